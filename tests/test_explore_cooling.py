"""Explorers of the cooling chapter: sliders change the figure in place, every extreme works,
the static forms have data, and the readouts report the chapter's numbers."""

import dataclasses
import itertools
import math
import warnings

import numpy as np
import pytest
from figures import figure_data

from lerbook import cooling, plotting
from lerbook.explore import cooling as explore_cooling

EXPLORERS = [explore_cooling.temperatures_explorer, explore_cooling.cooling_time_explorer,
             explore_cooling.tail_fit_explorer]


@pytest.mark.slow
@pytest.mark.parametrize("make", EXPLORERS)
def test_every_corner_of_the_slider_box_gives_finite_figures(make):
    session = make().session()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for corner in itertools.product(*(c.extremes() for c in session.explorer.controls)):
            values = dict(zip((c.name for c in session.explorer.controls), corner, strict=True))
            session.move(**values)
            data = figure_data(session.fig)
            assert data.size > 0 and np.all(np.isfinite(data)), values
            assert "nan" not in session.readout().lower(), values


def test_temperatures_explorer_compares_with_the_run_without_reservoir():
    explorer = explore_cooling.temperatures_explorer()
    runs = explorer.compute(reservoir_factor=1e4, initial_density=1e19, auger=0.0)
    assert runs.reference.params.reservoir_factor == 1.0
    assert runs.result.params.reservoir_factor == 1e4
    assert runs.result.params.C == 0.0
    # The warm reservoir keeps the carriers above the lattice at 1 ns; without it they are at T0.
    assert runs.result.Tc[-1] - 300.0 > 1.0
    assert abs(runs.reference.Tc[-1] - 300.0) < 0.05


def test_cooling_sweep_matches_the_library_cooling_times():
    sweep = explore_cooling.cooling_sweep(1.0, 0.6e-12, 2e18, 1.0)
    params = cooling.cooling_parameters("MAPbI3")
    densities = [1e17, 1e19]
    expected = cooling.cooling_times(params, densities, initial_temperature=1000.0)
    got = [sweep.cooling_time[list(sweep.densities).index(n)] for n in densities]
    # Sweeps use rtol = 1e-3 and interpolate on 150 output times: within 2 %.
    np.testing.assert_allclose(got, expected, rtol=0.02)


def test_cooling_time_readout_reports_the_low_density_cooling_time():
    explorer = explore_cooling.cooling_time_explorer()
    explorer.widget()
    assert "0.216 ps" in explorer.text.value  # Price et al. 2015: ~0.23 ps


def test_cooling_time_readout_flags_runs_outside_the_model_range():
    explorer = explore_cooling.cooling_time_explorer()
    # Few hot LO modes that live long, with Auger heating: T_c - T0 ~ 1.4e4 K after 1 ns.
    corner = explorer.compute(reservoir_factor=100.0, tau_lo=5.0, M_LO=2e16, auger=1.0)
    assert corner.sweep.late_excess[list(corner.sweep.densities).index(1e19)] > 1e4
    text = explorer.readout(corner)
    assert "outside the model's range" in text
    assert "3.16×10¹⁸" in text  # the first density whose carriers pass 3000 K
    # At the preset values the 1e19 plateau is flagged as degenerate and qualitative, and
    # only the points above 1e19 (Auger runaway) as outside the range.
    default = explorer.readout(explorer.compute())
    assert "degenerate" in default and "qualitative" in default
    assert "3.16×10¹⁹" in default
    assert explore_cooling.MAX_MODEL_TEMPERATURE == 3000.0


def test_temperatures_readout_flags_auger_runaway_and_degeneracy_only_where_they_occur():
    explorer = explore_cooling.temperatures_explorer()
    hot = explorer.readout(explorer.compute(initial_density=1e20, auger=1.0))
    assert "outside the model's range" in hot and "Auger heating" in hot
    dense = explorer.readout(explorer.compute(initial_density=1e19, auger=1.0))
    assert "degenerate" in dense and "outside the model's range" not in dense
    quiet = explorer.readout(explorer.compute(initial_density=1e17))
    assert "&#9888;" not in quiet
    # A pump that starts the carriers above 3000 K is noted, but not as Auger runaway.
    fast = explorer.readout(explorer.compute(initial_density=1e17, photon_energy=3.1))
    assert "calibrated" in fast and "Auger heating" not in fast


def test_cooling_time_view_marks_runs_that_never_cool_at_the_end_of_the_run():
    sweep = explore_cooling.cooling_sweep(1.0, 0.6e-12, 2e18, 1.0)
    never = dataclasses.replace(sweep, cooling_time=np.full(sweep.densities.shape, math.inf))
    view = plotting.cooling.CoolingTimeView(plotting.cooling.SweepPair(sweep, never))
    assert view.time_ref.get_xdata().size == 0
    np.testing.assert_array_equal(view.never_ref.get_ydata(), never.run_time * 1e12)
    assert view.never_ref.get_xdata().size == sweep.densities.size
    assert view.time_line.get_xdata().size == sweep.densities.size
    assert view.never_line.get_xdata().size == 0


def test_tail_fit_with_the_prefactor_divided_out_recovers_the_true_temperature():
    study = explore_cooling.tail_fit_study(1000.0, 1e4, 0.13)
    assert study.corrected.temperature == pytest.approx(1000.0, abs=3 * study.corrected
                                                         .temperature_error + 5)
    # The plain fit of ln I is biased high by the rising E^2 sqrt(E - Eg) prefactor.
    assert study.plain.temperature > 1.2 * 1000.0
    assert np.all(np.isfinite(study.corrected_temperatures))


def test_tail_fit_window_beyond_the_counts_gives_no_fit_instead_of_an_error():
    study = explore_cooling.tail_fit_study(400.0, 1e3, 1.0)
    assert study.plain is None and study.corrected is None
    fig = plotting.cooling.TailFitView(study).fig
    assert np.all(np.isfinite(figure_data(fig)))
    assert "no fit" in explore_cooling.tail_fit_explorer().readout(study)
