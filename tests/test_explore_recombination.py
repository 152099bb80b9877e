"""Explorers of the recombination chapter: sliders change the figure in place, every slider
extreme gives finite figures without warnings, and the static forms have data."""

import itertools
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from lerbook.explore import recombination as explorers

EXPLORERS = [explorers.abc_explorer, explorers.langevin_explorer, explorers.trap_explorer,
             explorers.pulse_train_explorer, explorers.fit_explorer]
#: Explorers cheap enough to try at the corners of their slider space too.
CHEAP = [explorers.abc_explorer, explorers.langevin_explorer, explorers.trap_explorer,
         explorers.pulse_train_explorer]


def _figure_data(fig):
    """Every line's y data and every image's array, flattened: what the reader sees."""
    parts = []
    for ax in fig.axes:
        parts += [np.asarray(line.get_ydata(), dtype=float).ravel() for line in ax.lines]
        parts += [np.asarray(image.get_array(), dtype=float).ravel() for image in ax.images]
    return np.concatenate(parts)


def _finite(data):
    # Histogram channels with zero counts are drawn as gaps (nan) on the log axis.
    return np.all(np.isfinite(data[~np.isnan(data)])) and np.isfinite(data).mean() > 0.5


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
        changed = before_data.shape != after.shape or not np.allclose(
            before_data, after, equal_nan=True)
        assert changed, f"moving {control.name} left the figure data unchanged"
        assert explorer.image.value != before_png


@pytest.mark.parametrize("make", EXPLORERS)
def test_every_slider_extreme_gives_finite_figures_without_warnings(make):
    explorer = make()
    explorer.widget()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for control in explorer.controls:
            for value in (control.low, control.high):
                explorer.sliders[control.name].value = value
                assert _finite(_figure_data(explorer.view.fig)), (control.name, value)
                assert "nan" not in explorer.text.value.lower()
            explorer.sliders[control.name].value = control.value


@pytest.mark.parametrize("make", CHEAP)
def test_corners_of_the_slider_space_solve(make):
    explorer = make()
    lows = {c.name: c.low for c in explorer.controls}
    highs = {c.name: c.high for c in explorer.controls}
    corners = [lows, highs]
    # ... and each slider alone at the other end.
    for name in lows:
        corners += [{**lows, name: highs[name]}, {**highs, name: lows[name]}]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view = None
        for values in corners:
            result = explorer.compute(**values)
            if view is None:
                view = explorer._view_factory(result, values)
            view.update(result, values)
            assert _finite(_figure_data(view.fig)), values
            assert "nan" not in explorer.readout(result).lower()


@pytest.mark.parametrize("make", EXPLORERS)
def test_static_form_draws_a_figure_with_data(make):
    fig = make().static_figure()
    assert isinstance(fig, Figure)
    data = _figure_data(fig)
    assert data.size > 0 and _finite(data)


def test_abc_readout_reports_the_plqy_maximum():
    explorer = explorers.abc_explorer()
    explorer.widget()
    # A = 1e7, C = 1e-28: sqrt(A/C) = 3.16e17 cm^-3, PLQY max B/(B + 2 sqrt(AC)) = 0.613
    assert "3.16e+17" in explorer.text.value and "0.613" in explorer.text.value


def test_langevin_readout_and_scaling():
    explorer = explorers.langevin_explorer()
    explorer.widget()
    assert "4.8e-05" in explorer.text.value
    explorer.sliders["mobility_scale"].value = 10.0
    assert "4.8e-06" in explorer.text.value  # k_L is linear in the mobility
    explorer.sliders["static_permittivity"].value = 0.0
    assert "optical" in explorer.text.value


def test_trap_sweep_is_monotonic_in_the_reservoir_density():
    rows = explorers.trap_decay_times([0.0, 1e14, 1e15, 1e16, 1e17])
    times = [row[1] for row in rows]
    yields = [row[2] for row in rows]
    assert np.all(np.diff(times) > 0) and np.all(np.diff(yields) > 0)


def test_fit_explorer_prefers_the_true_model_with_many_counts():
    data = explorers.synthetic_dataset(1e7, 0.2e-9, 0)
    mono, bi, abc = explorers.compare_models(data)
    assert abc.bic < bi.bic < mono.bic
    assert abc.params["A"] == pytest.approx(1e7, rel=0.05)
    assert abc.params["B"] == pytest.approx(1e-10, rel=0.05)


def test_abc_times_cover_the_decay():
    from lerbook.recombination import ABCParameters

    for n0, params in itertools.product((1e14, 1e19), (ABCParameters(A=1e5, B=1e-12, C=1e-30),
                                                       ABCParameters(A=1e9, B=1e-8, C=1e-26))):
        t = explorers.abc_times(params, n0)
        assert t[0] == 0 and np.all(np.diff(t) > 0)
        assert 1e-15 <= t[1] and t[-1] <= 1e-4
        decay = explorers._abc_model(n0, params.A, params.B, params.C)
        assert decay.n[1] > 0.9 * n0  # the grid starts before the decay
