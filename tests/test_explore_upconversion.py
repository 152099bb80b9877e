"""Explorers of the upconversion chapter: every slider changes the figure in place, every
extreme gives finite figures, the static forms have data, the readouts report the model."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lerbook import upconversion
from lerbook.explore import upconversion as explorers

EXPLORERS = [explorers.spectrum_explorer, explorers.power_explorer,
             explorers.temperature_explorer, explorers.cooling_explorer]


def _figure_data(fig):
    """Every line's y data and every image's array, flattened: what the reader sees."""
    parts = []
    for ax in fig.axes:
        for line in ax.lines:
            y = np.asarray(line.get_ydata(), dtype=float).ravel()
            parts.append(y[np.isfinite(y)])  # NaN splits a curve into drawn pieces
        parts += [np.asarray(image.get_array(), dtype=float).ravel() for image in ax.images]
    return np.concatenate(parts)


def _drawn(fig):
    """The y data including the NaN gaps (those must be deliberate, not failures)."""
    return [np.asarray(line.get_ydata(), dtype=float) for ax in fig.axes for line in ax.lines]


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
            data = _figure_data(explorer.view.fig)
            assert data.size > 0 and np.all(np.isfinite(data))
            assert not np.any(np.isinf(np.concatenate(_drawn(explorer.view.fig))))
            assert "nan" not in explorer.text.value.lower()
            assert "inf" not in explorer.text.value.lower()
        explorer.sliders[control.name].value = control.value


@pytest.mark.parametrize("make", EXPLORERS)
def test_all_sliders_at_their_extremes_together(make):
    explorer = make()
    explorer.widget()
    for pick in (0, -1):
        for control in explorer.controls:
            explorer.sliders[control.name].value = control.extremes()[pick]
        data = _figure_data(explorer.view.fig)
        assert data.size > 0 and np.all(np.isfinite(data))


@pytest.mark.parametrize("make", EXPLORERS)
def test_static_form_draws_a_figure_with_data(make):
    fig = make().static_figure()
    assert isinstance(fig, Figure)
    data = _figure_data(fig)
    assert data.size > 0 and np.all(np.isfinite(data))


def test_spectrum_readout_reports_the_shift_and_the_efficiency():
    explorer = explorers.spectrum_explorer()
    explorer.widget()
    spec = upconversion.anti_stokes_spectrum(upconversion.UpconversionParameters(
        n_ler=explorers.NO_RESERVOIR), 0.1, 1e3)
    assert f"{spec.energy_gain * 1e3:.0f} meV" in explorer.text.value
    assert f"{spec.efficiency:.3g}" in explorer.text.value


def test_temperature_readout_recovers_the_detuning():
    explorer = explorers.temperature_explorer()
    explorer.widget()
    explorer.sliders["detuning"].value = 150.0
    assert "150.0 meV" in explorer.text.value


def test_cooling_readout_reports_the_window():
    explorer = explorers.cooling_explorer()
    explorer.widget()
    explorer.sliders["external_quantum_efficiency"].value = 0.9
    explorer.sliders["background_absorption"].value = 10.0
    assert "no net cooling" in explorer.text.value


def test_power_explorer_compares_matched_two_photon_absorption():
    one, two = explorers.power_explorer().compute()
    assert one.paths == ("phonon", "reservoir") and two.paths == ("two_photon",)
    middle = int(np.argmin(np.abs(np.log(one.power_density / explorers.MATCH_POWER))))
    assert two.band_generation[middle] == pytest.approx(one.band_generation[middle], rel=1e-9)
    assert one.fit.slope < two.fit.slope


def test_cooling_readout_marks_a_window_that_reaches_the_edge_of_the_axis():
    params = upconversion.UpconversionParameters(loss_rate=1e-6)   # eta = 1: never closes
    balance = upconversion.cooling_balance(params, explorers.COOLING_DETUNINGS, 1.0)
    assert "&ge; 250" in explorers._cooling_readout(balance)
    assert upconversion.cooling_threshold(params, 1.0)[1] == float("inf")
