"""Explorers of the upconversion chapter: every slider changes the figure in place, every
extreme gives finite figures, the static forms have data, the readouts report the model."""

import numpy as np
import pytest
from figures import figure_data, finite_where_drawn

from lerbook import upconversion
from lerbook.explore import upconversion as explorers

EXPLORERS = [explorers.spectrum_explorer, explorers.power_explorer,
             explorers.temperature_explorer, explorers.cooling_explorer]


@pytest.mark.parametrize("make", EXPLORERS)
def test_all_sliders_at_their_extremes_together(make):
    explorer = make()
    explorer.widget()
    for pick in (0, -1):
        for control in explorer.controls:
            explorer.sliders[control.name].value = control.extremes()[pick]
        assert finite_where_drawn(figure_data(explorer.view.fig))


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
    runs = explorers.power_explorer().compute()
    one, two = runs.one_photon, runs.two_photon
    assert one.paths == ("phonon", "reservoir") and two.paths == ("two_photon",)
    middle = int(np.argmin(np.abs(np.log(one.power_density / explorers.MATCH_POWER))))
    assert two.band_generation[middle] == pytest.approx(one.band_generation[middle], rel=1e-9)
    assert one.fit.slope < two.fit.slope


def test_cooling_readout_marks_a_window_that_reaches_the_edge_of_the_axis():
    params = upconversion.UpconversionParameters(loss_rate=1e-6)   # eta = 1: never closes
    balance = upconversion.cooling_balance(params, explorers.COOLING_DETUNINGS, 1.0)
    assert "&ge; 250" in explorers._cooling_readout(balance)
    assert upconversion.cooling_threshold(params, 1.0)[1] == float("inf")
