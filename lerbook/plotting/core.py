"""The house style and the drawing helpers every view shares.

Colours are the Okabe-Ito palette [1]_, distinguishable with the common forms of
colour-vision deficiency; heat maps use ``inferno`` (perceptually uniform,
readable in greyscale).

.. rubric:: References

.. [1] M. Okabe and K. Ito, "Color universal design (CUD): how to make figures
   and presentations that are friendly to colorblind people" (2008).
"""

from __future__ import annotations

import functools
import io

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from lerbook.units import readable_time_unit

#: Okabe-Ito colours, in the order curves use them.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

#: The house style, applied to every figure the views create.
STYLE = {
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "lines.linewidth": 1.8,
    "figure.dpi": 100,
    "savefig.dpi": 100,
}


def styled(draw):
    """Decorator: run a drawing function or method inside the house style."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(STYLE):
            return draw(*args, **kwargs)

    return wrapper


@styled
def new_figure(nrows: int = 1, ncols: int = 1, width: float = 8.0, height: float = 3.4,
               **subplot_kw):
    """A figure in the house style with a grid of axes.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : ndarray of Axes
        Always two-dimensional, shape (nrows, ncols).
    """
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    for ax in axes.flat:
        ax.set_prop_cycle(color=COLORS)
    return fig, axes


def to_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes (for widgets and static output).

    Draws once with Agg and encodes with light compression: about twice as fast as
    ``savefig``, which matters on every slider move.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    buffer = io.BytesIO()
    Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).save(
        buffer, format="png", compress_level=1)
    return buffer.getvalue()


def time_axis(t):
    """Times [s] in a readable unit: (scaled times, unit name)."""
    name, scale = readable_time_unit(np.max(t))
    return np.asarray(t) / scale, name
