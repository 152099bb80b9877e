"""What a reader sees in a figure, as numbers: shared by the explorer tests."""

import numpy as np


def figure_data(fig):
    """Every line's x and y data and every image's array, flattened.

    NaN is kept: views draw deliberate gaps with it (empty histogram channels, runs that
    never cool); :func:`finite_where_drawn` checks the rest.
    """
    parts = []
    for ax in fig.axes:
        for line in ax.lines:
            parts.append(np.asarray(line.get_xdata(), dtype=float).ravel())
            parts.append(np.asarray(line.get_ydata(), dtype=float).ravel())
        parts += [np.asarray(image.get_array(), dtype=float).ravel() for image in ax.images]
    return np.concatenate(parts) if parts else np.empty(0)


def finite_where_drawn(data):
    """No infinities, and at least half of the points drawn (the rest deliberate NaN gaps)."""
    return data.size > 0 and not np.any(np.isinf(data)) and np.isfinite(data).mean() > 0.5
