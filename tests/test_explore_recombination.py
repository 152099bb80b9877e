"""Explorers of the recombination chapter: sliders change the figure in place, every slider
extreme gives finite figures without warnings, and the static forms have data."""

import itertools
import warnings

import numpy as np
import pytest
from figures import figure_data, finite_where_drawn

from lerbook import fitting, recombination
from lerbook.explore import recombination as explorers

EXPLORERS = [explorers.abc_explorer, explorers.langevin_explorer, explorers.trap_explorer,
             explorers.pulse_train_explorer, explorers.fit_explorer]
#: Explorers cheap enough to try at the corners of their slider space too.
CHEAP = [explorers.abc_explorer, explorers.langevin_explorer, explorers.trap_explorer,
         explorers.pulse_train_explorer]


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
        session = explorer.session(**corners[0])
        for values in corners:
            session.move(**values)
            assert finite_where_drawn(figure_data(session.fig)), values
            assert "nan" not in session.readout().lower()


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
    rows = recombination.trap_decay_times([0.0, 1e14, 1e15, 1e16, 1e17])
    times = [row[1] for row in rows]
    yields = [row[2] for row in rows]
    assert np.all(np.diff(times) > 0) and np.all(np.diff(yields) > 0)


def test_fit_explorer_prefers_the_true_model_with_many_counts():
    data = fitting.synthetic_dataset(1e7, 0.2e-9, 0)
    mono, bi, abc = fitting.compare_models(data)
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


def _accurate_steady_yield(rate, n_pulse, n_ler):
    """Photons per pulse per pair from a quadrature on a log grid down to 1 fs."""
    from lerbook import recombination

    steady = recombination.periodic_steady_state(recombination.TrapParameters(n_ler=n_ler),
                                                 n_pulse, rate, points=2)
    t = np.concatenate(([0.0], np.geomspace(1e-15, steady.period, 20001)))
    run = recombination.trap_decay(steady.params, n_pulse, t,
                                   initial_state=steady.state_before_pulse, rtol=1e-11)
    return np.trapezoid(run.pl, run.t) / n_pulse


@pytest.mark.parametrize(("rate", "n_pulse", "n_ler", "expected"),
                         [(1e5, 1e18, 1e8, 0.651), (1e6, 1e18, 1e8, 0.657),
                          (1e5, 1e15, 1e16, None), (1e8, 1e14, 1e18, None)])
def test_pulse_train_yield_is_a_yield_and_accurate_at_the_slider_corners(rate, n_pulse, n_ler,
                                                                          expected):
    # An even grid of 200 points once gave 2.449 at 100 kHz and 1e18 cm^-3 per pulse.
    value = explorers.steady_state_yield(rate, n_pulse, n_ler)
    assert 0.0 < value <= 1.0
    assert value == pytest.approx(_accurate_steady_yield(rate, n_pulse, n_ler), rel=2e-3)
    if expected is not None:
        assert value == pytest.approx(expected, abs=1e-3)
    explorer = explorers.pulse_train_explorer()
    text = explorer.readout(explorer.compute(repetition_rate=rate, n_pulse=n_pulse, n_ler=n_ler))
    assert f"<b>{value:.3f}</b>" in text


def test_trap_readout_counts_the_reservoir_energy_per_pair():
    rows = recombination.reservoir_releases([0.0, 1e15, 1e16])
    assert rows[0][1] == 0.0
    # ~46 and ~206 releases of 0.4 eV each per injected pair in 10 ms (n0 = 1e15 cm^-3)
    assert rows[1][1] == pytest.approx(46.5, rel=0.02) and rows[1][2] == pytest.approx(18.6,
                                                                                        rel=0.02)
    assert rows[2][1] == pytest.approx(206, rel=0.02) and rows[2][2] == pytest.approx(82.4,
                                                                                       rel=0.02)
    explorer = explorers.trap_explorer()
    text = explorer.readout(explorer.compute(n_ler=1e16, k_sigma=1e-10, trap_density=2.5e16,
                                             n0=1e15))
    assert "82.4 eV" in text and "206" in text
