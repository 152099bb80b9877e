"""Explorers: sliders drive the model, the figure changes in place, every extreme works."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lerbook import explore

EXPLORERS = [explore.energy_balance_explorer, explore.nanodomain_explorer]


def _figure_data(fig):
    """Every line's y data and every image's array, flattened: what the reader sees."""
    parts = []
    for ax in fig.axes:
        parts += [np.asarray(line.get_ydata(), dtype=float).ravel() for line in ax.lines]
        parts += [np.asarray(image.get_array(), dtype=float).ravel() for image in ax.images]
    return np.concatenate(parts)


@pytest.mark.parametrize("make", EXPLORERS)
def test_moving_each_slider_changes_the_figure_in_place(make):
    explorer = make()
    explorer.widget()
    fig = explorer.view.fig
    for control in explorer.controls:
        before_data, before_png = _figure_data(fig), explorer.image.value
        slider = explorer.sliders[control.name]
        slider.value = control.high if slider.value != control.high else control.low
        assert explorer.view.fig is fig, "a slider move must not create a new figure"
        after = _figure_data(fig)
        changed = before_data.shape != after.shape or not np.allclose(before_data, after)
        assert changed, f"moving {control.name} left the figure data unchanged"
        assert explorer.image.value != before_png


@pytest.mark.parametrize("make", EXPLORERS)
def test_every_slider_extreme_gives_finite_figures(make):
    explorer = make()
    explorer.widget()
    for control in explorer.controls:
        for value in (control.low, control.high):
            explorer.sliders[control.name].value = value
            assert np.all(np.isfinite(_figure_data(explorer.view.fig)))
            assert "nan" not in explorer.text.value.lower()
        explorer.sliders[control.name].value = control.value


@pytest.mark.parametrize("make", EXPLORERS)
def test_static_form_draws_a_figure_with_data(make):
    fig = make().static_figure()
    assert isinstance(fig, Figure)
    data = _figure_data(fig)
    assert data.size > 0 and np.all(np.isfinite(data))


def test_static_mode_follows_the_environment(monkeypatch):
    monkeypatch.setenv("LERBOOK_STATIC", "1")
    assert explore.static_mode()
    monkeypatch.setenv("LERBOOK_STATIC", "0")
    assert not explore.static_mode()


def test_energy_balance_readout_reports_the_lifetime():
    explorer = explore.energy_balance_explorer()
    explorer.widget()
    explorer.sliders["interface_conductance"].value = 1e8
    explorer.sliders["domain_size"].value = 20.0
    # tau = C_v d / (6 G_K) = 1.25e6 J m^-3 K^-1 * 20e-9 m / 6e8 W m^-2 K^-1 = 41.7 ps
    assert "41.7 ps" in explorer.text.value


@pytest.mark.parametrize("kwargs", [dict(low=1.0, high=0.5, value=0.7),
                                    dict(low=0.0, high=1.0, value=2.0),
                                    dict(low=0.0, high=1.0, value=0.5, log=True)])
def test_bad_control_ranges_raise(kwargs):
    with pytest.raises(ValueError, match="x"):
        explore.Control("x", "x", "", **kwargs)
