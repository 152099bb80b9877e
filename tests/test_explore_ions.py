"""Explorers of the ions chapter: sliders change the figure in place, extremes are finite,
static forms have data."""

import numpy as np
import pytest

from lerbook.explore import ions as explore_ions
from lerbook.plotting.core import to_png

MAKERS = [explore_ions.competition_explorer, explore_ions.blinking_explorer,
          explore_ions.hysteresis_explorer, explore_ions.segregation_explorer]


def _data(fig):
    out = []
    for ax in fig.axes:
        for line in ax.get_lines():
            out.append(np.asarray(line.get_ydata(), dtype=float).copy())
        for image in ax.get_images():
            out.append(np.asarray(image.get_array(), dtype=float).copy())
    return out


@pytest.mark.parametrize("make", MAKERS)
def test_each_slider_changes_figure_in_place(make):
    explorer = make()
    result = explorer.compute()
    view = explorer._view_factory(result, explorer.values)
    fig = view.fig
    for control in explorer.controls:
        before = _data(fig)
        for value in (control.low, control.high):
            new = explorer.compute(**{control.name: value})
            view.update(new, explorer.values)
            assert view.fig is fig
            for array in _data(fig):
                assert np.all(np.isfinite(array[np.isfinite(array)]))
        after = _data(fig)
        changed = any(a.shape != b.shape or not np.allclose(a, b, equal_nan=True)
                      for a, b in zip(before, after, strict=True))
        assert changed, control.name
        assert to_png(fig)[:4] == b"\x89PNG"


@pytest.mark.parametrize("make", MAKERS)
def test_extremes_are_finite(make):
    explorer = make()
    for control in explorer.controls:
        for value in control.extremes():
            text = explorer.readout(explorer.compute(**{control.name: value}))
            assert "nan" not in text.lower().split() and "inf" not in text.lower().split()
            assert ">nan<" not in text and ">inf<" not in text


@pytest.mark.parametrize("make", MAKERS)
def test_static_form_has_data(make):
    fig = make().static()
    assert any(np.size(line.get_xdata()) > 1 for ax in fig.axes for line in ax.get_lines())
