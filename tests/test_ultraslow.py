"""Tests of lerbook.ultraslow: the acceptance behaviours (brightening, recovery, memory,
lengthening TRPL), the multi-timescale solver against brute-force integration (where the time
scales separate and where they do not), analytic limits, the competing model, fits and
validation."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from lerbook import fitting
from lerbook import ultraslow as us
from lerbook.recombination import (
    TrapParameters,
    periodic_steady_state,
    trap_rate,
    trap_steady_state,
)
from lerbook.reservoir import PiecewiseDrive, ReservoirKinetics, reservoir_density
from lerbook.units import ELEMENTARY_CHARGE, photon_energy

LER = us.UltraslowParameters()
CW = us.Segment(1.0, 200.0)
PULSED = us.Segment(1.0, 200.0, repetition_rate=1e6)


# --------------------------------------------------------------------------------------------
# Protocols and parameters
# --------------------------------------------------------------------------------------------
def test_protocol_builders_edges_and_segment_lookup():
    protocol = us.IlluminationProtocol.exposures(100.0, 10.0, 5.0, 20.0, dark_after=3.0,
                                                 repetition_rate=1e6)
    np.testing.assert_allclose(protocol.edges, [0, 10, 15, 35, 38])
    np.testing.assert_allclose(protocol.intensities, [100, 0, 100, 0])
    assert protocol.total_duration == 38.0
    assert protocol.reference is protocol.segments[0]
    assert protocol.segments[0].fluence == pytest.approx(0.1)
    assert isinstance(protocol.drive, PiecewiseDrive)
    np.testing.assert_array_equal(protocol.segment_index([0, 9.9, 10, 15, 38]), [0, 0, 1, 2, 3])
    assert us.IlluminationProtocol.constant(5.0, 2.0).segments == (us.Segment(2.0, 5.0),)
    assert us.Segment(1.0).is_dark and not us.Segment(1.0, 1.0).is_pulsed
    assert hash(protocol) == hash(us.IlluminationProtocol(list(protocol.segments)))


@pytest.mark.parametrize("kwargs, name", [
    (dict(duration=0.0), "duration"),
    (dict(duration=1.0, intensity=-1.0), "intensity"),
    (dict(duration=1.0, wavelength=50.0), "wavelength"),
    (dict(duration=1.0, intensity=1.0, repetition_rate=0.0), "repetition_rate"),
])
def test_segment_validation_names_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        us.Segment(**kwargs)


def test_protocol_validation():
    with pytest.raises(ValueError, match="segments"):
        us.IlluminationProtocol(())
    with pytest.raises(ValueError, match="lit segment"):
        us.IlluminationProtocol((us.Segment(1.0),))
    with pytest.raises(ValueError, match=r"segments\[1\]"):
        us.IlluminationProtocol((us.Segment(1.0, 1.0), 3.0))
    with pytest.raises(ValueError, match="fluence"):
        _ = us.Segment(1.0, 1.0).fluence
    with pytest.raises(ValueError, match="dark"):
        us.Segment(1.0).excitation()


def test_parameter_validation_and_normalisation():
    assert us.UltraslowParameters(trap=TrapParameters(n_ler=5e15)).trap.n_ler == 0.0
    with pytest.raises(ValueError, match="thickness"):
        us.UltraslowParameters(thickness=-1.0)
    with pytest.raises(ValueError, match="trap"):
        us.UltraslowParameters(trap="MAPbI3")
    with pytest.raises(ValueError, match="kinetics"):
        us.UltraslowParameters(kinetics=1.0)
    with pytest.raises(ValueError):
        us.UltraslowParameters(material="unobtainium")
    with pytest.raises(ValueError, match="max_fraction"):
        us.PassivationParameters(max_fraction=1.0)
    with pytest.raises(ValueError, match="passivation_yield"):
        us.PassivationParameters(passivation_yield=0.0)
    assert LER.with_kinetics(lifetime=10.0).kinetics.lifetime == 10.0
    rival = us.PassivationParameters()
    assert rival.kinetics.max_density == pytest.approx(rival.max_fraction * 1e17)
    with pytest.raises(ValueError, match="params"):
        us.simulate("LER", us.IlluminationProtocol.constant(1.0, 1.0))


# --------------------------------------------------------------------------------------------
# Rate functions and the fast response
# --------------------------------------------------------------------------------------------
def test_coupled_rate_sums_the_processes_and_conserves_charge():
    y = np.array([2e15, 5e15, 3e15, 4e15])
    g, excess = 1e22, 1.2
    rate = us.coupled_rate(0.0, y, LER, g, excess)
    lit_trap = LER.trap.replace(n_ler=y[3])
    np.testing.assert_allclose(rate[:3], trap_rate(0.0, y[:3], lit_trap, g), rtol=1e-12)
    assert rate[0] + rate[2] - rate[1] == pytest.approx(0.0, abs=1e-9 * abs(rate).max())
    trap = LER.trap
    nonradiative = trap.gamma_p * y[2] * y[1] + 0.5 * trap.C * y[0] * y[1] * (y[0] + y[1])
    heat = ELEMENTARY_CHARGE * (g * excess + nonradiative * LER.band_gap)
    kin = LER.kinetics
    expected = kin.formation_yield * heat * (1 - y[3] / kin.max_density) - y[3] / kin.lifetime
    assert rate[3] == pytest.approx(expected, rel=1e-12)


def test_passivation_rate_reduces_the_trap_density():
    rival = us.PassivationParameters()
    y = np.array([1e15, 2e15, 1e15, 3e16])
    rate = us.passivation_rate(0.0, y, rival, 1e21)
    fewer = rival.trap.replace(trap_density=rival.trap.trap_density - 3e16)
    np.testing.assert_allclose(rate[:3], trap_rate(0.0, y[:3], fewer, 1e21))
    kin = rival.kinetics
    assert rate[3] == pytest.approx(kin.formation_yield * 1e21 * (1 - 3e16 / kin.max_density)
                                    - 3e16 / kin.lifetime)


def test_cw_fast_response_balances_energy():
    response = us.fast_response(LER, CW, 3e15)
    steady = trap_steady_state(LER.trap.replace(n_ler=3e15), response.generation_rate)
    assert response.pl == pytest.approx(float(steady.pl[0]), rel=1e-12)
    excess = float(photon_energy(405.0)) - LER.band_gap
    g = response.generation_rate
    expected = ELEMENTARY_CHARGE * (g * excess + (g - response.pl) * LER.band_gap)
    assert response.heat == pytest.approx(expected, rel=1e-12)


def test_pulse_train_fast_response_recombines_every_pulse_and_tends_to_cw():
    response = us.fast_response(LER, PULSED, 5e15)
    cw = us.fast_response(LER, CW, 5e15)
    assert response.generation_rate == pytest.approx(cw.generation_rate, rel=1e-12)
    # In the periodic steady state each period recombines what a pulse injects, so the heat
    # is bounded by the energy of the absorbed light.
    photon = ELEMENTARY_CHARGE * float(photon_energy(405.0)) * response.generation_rate
    assert 0 < response.heat < photon
    # At a repetition rate far above every carrier rate the train acts as CW light.
    fast = us.fast_response(LER, us.Segment(1.0, 200.0, repetition_rate=2e9), 5e15)
    assert fast.pl == pytest.approx(cw.pl, rel=2e-3)


def test_reservoirs_raise_the_plqy_and_lower_the_heat():
    densities = np.linspace(0.0, LER.max_state, 6)
    responses = [us.fast_response(LER, CW, n) for n in densities]
    assert np.all(np.diff([r.plqy for r in responses]) > 0)
    assert np.all(np.diff([r.heat for r in responses]) < 0)


def test_fast_response_tables_interpolate_to_high_accuracy():
    for segment in (CW, PULSED):
        table = us._table_for(LER, segment, us.TABLE_POINTS, 1e-8)
        for density in (1.1e15, 6.3e15):
            direct = us.fast_response(LER, segment, density)
            assert float(table.pl_at(density)) == pytest.approx(direct.pl, rel=1e-6)
            assert float(table.heat_at(density)) == pytest.approx(direct.heat, rel=1e-6)


def test_fast_response_validation():
    with pytest.raises(ValueError, match="density"):
        us.fast_response(LER, CW, 2 * LER.max_state)
    with pytest.raises(ValueError, match="segment"):
        us.fast_response(LER, us.Segment(1.0), 0.0)


# --------------------------------------------------------------------------------------------
# The acceptance behaviours
# --------------------------------------------------------------------------------------------
def test_constant_illumination_brightens_monotonically_and_saturates():
    run = us.simulate(LER, us.IlluminationProtocol.constant(200.0, 600.0), points=600)
    assert np.all(np.diff(run.pl) >= 0) and np.all(np.diff(run.density) >= 0)
    assert run.relative_pl[-1] > 1.5
    assert run.pl[-1] == pytest.approx(run.plateau_pl[0], rel=1e-3)
    tail = run.pl[run.t > 500]
    assert (tail[-1] - tail[0]) / tail[-1] < 1e-3
    assert run.density.max() < LER.max_state


def test_dark_recovers_towards_the_initial_value():
    protocol = us.IlluminationProtocol((us.Segment(300.0, 200.0), us.Segment(1800.0)))
    run = us.simulate(protocol=protocol, params=LER, points=800)
    dark = run.segment == 1
    assert np.all(run.pl[dark] == 0)
    assert np.all(np.diff(run.probe_pl[dark]) < 0)
    assert run.relative_probe_pl[dark][0] > 2.0
    assert run.relative_probe_pl[-1] == pytest.approx(1.0, abs=0.01)


def test_second_exposure_after_a_short_dark_is_faster():
    protocol = us.IlluminationProtocol.exposures(200.0, first=400.0, dark=60.0, second=400.0)
    run = us.simulate(LER, protocol, points=4000)
    first, second = us.rise_times(run, 0.9)
    assert second < 0.7 * first
    # Both exposures end on the same plateau, so "final value" means the same in both.
    assert run.plateau_pl[0] == pytest.approx(run.plateau_pl[2], rel=1e-12)


def test_rise_times_measure_the_way_from_the_fresh_film_to_the_plateau():
    protocol = us.IlluminationProtocol.exposures(200.0, first=300.0, dark=60.0, second=300.0)
    run = us.simulate(LER, protocol, points=3000)
    first, second = us.rise_times(run)
    fresh, plateau = run.fresh_pl[0], run.plateau_pl[0]
    mark = fresh + 0.9 * (plateau - fresh)
    lit = run.segment == 0
    assert np.interp(first, run.t[lit], run.pl[lit]) == pytest.approx(mark, rel=1e-3)
    assert 0 < second < 0.7 * first
    # The mark does not depend on the segment's length: a short first exposure does not reach
    # it (nan, not a time shorter than the second's), and the second then shows no memory.
    short = us.simulate(LER, us.IlluminationProtocol.exposures(200.0, 10.0, 60.0, 300.0),
                        points=600)
    early, late = us.rise_times(short)
    assert math.isnan(early) and late > second
    assert us.describe_rise_time(early) == "not reached"
    # A second exposure right after a long first one starts above the mark: 0, in words.
    soon = us.simulate(LER, us.IlluminationProtocol.exposures(200.0, 600.0, 1.0, 300.0),
                       points=600)
    assert us.rise_times(soon)[1] == 0.0
    assert us.describe_rise_time(0.0) == "starts above the 90 % mark"
    assert us.describe_rise_time(15.6) == "16 s"


def test_relative_pl_is_relative_to_the_fresh_film():
    protocol = us.IlluminationProtocol.constant(200.0, 10.0)
    run = us.simulate(LER, protocol, [0.0, 10.0], initial_density=5e15)
    fresh = us.fast_response(LER, CW, 0.0).pl
    assert run.fresh_pl[0] == pytest.approx(fresh, rel=1e-9)
    assert run.fresh_probe_pl == pytest.approx(fresh, rel=1e-9)
    assert run.relative_pl[0] == pytest.approx(run.pl[0] / fresh, rel=1e-12)
    assert run.relative_probe_pl[0] > 1.5  # a pre-brightened film, not 1
    assert run.initial_pl == pytest.approx(run.probe_pl[0])


def test_successive_trpl_decays_lengthen_monotonically():
    protocol = us.IlluminationProtocol.constant(200.0, 120.0, repetition_rate=1e6)
    family = us.time_dependent_trpl(LER, protocol, [0, 5, 10, 20, 40, 80, 120], points=800)
    assert np.all(np.diff(family.density) > 0)
    assert np.all(np.diff(family.one_over_e) > 0)
    fits = us.fit_trpl_family(family, floor=0.1)
    assert np.all(np.diff([fit.mean_time for fit in fits]) > 0)
    assert np.all(np.diff([fit.beta for fit in fits]) < 0)  # and more stretched
    integrated = np.trapezoid(family.normalized, family.t, axis=1)
    assert np.all(np.diff(integrated) > 0)


def test_minute_at_one_megahertz_is_solved_without_pulse_by_pulse_integration():
    protocol = us.IlluminationProtocol.constant(200.0, 60.0, repetition_rate=1e6)
    run = us.simulate(LER, protocol, points=100, table_points=9)
    assert np.all(np.isfinite(run.pl)) and run.relative_pl[-1] > 1.5
    with pytest.raises(ValueError, match="max_pulses"):
        us.full_integration(LER, protocol, [60.0])


def test_fast_solves_per_segment_do_not_grow_with_the_number_of_pulses(monkeypatch):
    """What makes a minute at 1 MHz cheap: at most ``table_points`` fast (periodic steady
    state) solves per distinct illumination, however many pulses the segment holds."""
    calls = {"fast_response": 0, "periodic_steady_state": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(us, "fast_response", counted("fast_response", us.fast_response))
    monkeypatch.setattr(us, "periodic_steady_state",
                        counted("periodic_steady_state", us.periodic_steady_state))
    counts = []
    for duration in (1e-3, 1.0, 60.0):  # 1e3, 1e6 and 6e7 pulses at 1 MHz
        us.clear_cache()
        calls.update(fast_response=0, periodic_steady_state=0)
        protocol = us.IlluminationProtocol.constant(200.0, duration, repetition_rate=1e6)
        us.simulate(LER, protocol, points=50, table_points=7)
        counts.append(dict(calls))
    assert all(c["fast_response"] <= 7 and c["periodic_steady_state"] <= 7 for c in counts)
    assert counts[0] == counts[1] == counts[2]
    # Two lit segments with the same light share one table; a dark one needs none.
    us.clear_cache()
    calls.update(fast_response=0, periodic_steady_state=0)
    us.simulate(LER, us.IlluminationProtocol.exposures(200.0, 30.0, 30.0, 30.0,
                                                       repetition_rate=1e6),
                points=50, table_points=7)
    assert calls["fast_response"] <= 7
    us.clear_cache()


# --------------------------------------------------------------------------------------------
# Decay tables
# --------------------------------------------------------------------------------------------
TRAIN = us.Segment(1.0, 200.0, repetition_rate=1e6)
DECAY_T = np.linspace(0.0, 1e-6, 201)


def test_decay_table_gives_the_periodic_steady_state_decays():
    us.clear_cache()
    table = us.decay_table(LER, TRAIN, DECAY_T, points=5, rtol=1e-8)
    n_pulse = us.fast_response(LER, TRAIN, 0.0).generation_rate / 1e6
    assert table.pl.shape == (5, DECAY_T.size)
    assert table.nodes[0] == 0.0 and table.nodes[-1] == pytest.approx(LER.max_state)
    for density in (table.nodes[2], 0.37 * LER.max_state):  # a node, and between nodes
        reference = periodic_steady_state(LER.fast_params(density), n_pulse, 1e6, t=DECAY_T,
                                          rtol=1e-8).pl
        # at a node to the solver's tolerance, between nodes to the interpolation error
        np.testing.assert_allclose(table.at(density), reference, rtol=2e-3)
    node = periodic_steady_state(LER.fast_params(table.nodes[3]), n_pulse, 1e6, t=DECAY_T,
                                 rtol=1e-8).pl
    np.testing.assert_allclose(table.pl[3], node, rtol=1e-6)
    assert table.at([[0.0, 1e15]]).shape == (1, 2, DECAY_T.size)


def test_decay_table_shares_the_fixed_points_of_simulate(monkeypatch):
    calls = []
    monkeypatch.setattr(us, "periodic_steady_state",
                        lambda *a, **k: calls.append(1) or periodic_steady_state(*a, **k))
    us.clear_cache()
    us.simulate(LER, us.IlluminationProtocol.constant(200.0, 30.0, repetition_rate=1e6),
                points=20, table_points=5, rtol=1e-6)
    solves = len(calls)
    assert solves == 5
    us.decay_table(LER.with_kinetics(lifetime=600.0), TRAIN, DECAY_T, points=5, rtol=1e-6)
    assert len(calls) == solves  # no new fixed point: the slow kinetics do not matter
    us.clear_cache()


@pytest.mark.parametrize("kwargs, message", [
    (dict(segment=us.Segment(1.0, 200.0)), "segment must be a lit pulse-train"),
    (dict(segment=us.Segment(1.0, repetition_rate=1e6)), "segment must be a lit pulse-train"),
    (dict(t=[0.0, 2e-6]), "t must be"),
    (dict(t=[5e-7, 1e-7]), "t must be"),
    (dict(points=3), "points"),
    (dict(rtol=1e-2), "rtol"),
])
def test_decay_table_rejects_bad_input_by_name(kwargs, message):
    args = {"params": LER, "segment": TRAIN, "t": DECAY_T, "points": 5, **kwargs}
    with pytest.raises(ValueError, match=message):
        us.decay_table(**args)


# --------------------------------------------------------------------------------------------
# The multi-timescale solver against brute force
# --------------------------------------------------------------------------------------------
#: A reservoir fast enough that brute force covers its whole rise (0.3 ms at 1 MHz: 300
#: pulses), still slow compared with the carriers (ratio ~ 1e-2).
FAST_RESERVOIR = LER.with_kinetics(lifetime=3e-4, formation_yield=3e15)


def test_multi_timescale_solver_matches_full_integration_on_a_pulse_train():
    window = 3e-4
    protocol = us.IlluminationProtocol((us.Segment(window, 200.0, repetition_rate=1e6),
                                        us.Segment(window / 2)))
    separation = us.timescale_separation(FAST_RESERVOIR, protocol.segments[0])
    assert 1e-3 < separation.ratio < 2e-2
    t = np.linspace(0.0, 1.5 * window, 13)[1:]
    quick = us.simulate(FAST_RESERVOIR, protocol, t)
    brute = us.full_integration(FAST_RESERVOIR, protocol, t)
    assert brute.pulses == 300
    lit = quick.pl > 0
    np.testing.assert_allclose(brute.pl[lit], quick.pl[lit], rtol=0.01)
    assert np.max(np.abs(brute.density - quick.density)) < 0.01 * quick.density.max()


def test_multi_timescale_solver_matches_full_integration_under_cw_light():
    fast = LER.with_kinetics(lifetime=1e-3, formation_yield=1e15)
    protocol = us.IlluminationProtocol((us.Segment(3e-3, 200.0), us.Segment(2e-3)))
    t = np.linspace(0.0, 5e-3, 26)[1:]
    quick = us.simulate(fast, protocol, t)
    brute = us.full_integration(fast, protocol, t)
    lit = quick.pl > 0
    np.testing.assert_allclose(brute.pl[lit], quick.pl[lit], rtol=0.01)
    assert np.max(np.abs(brute.density - quick.density)) < 0.01 * quick.density.max()


def test_separation_fails_when_the_reservoir_is_as_fast_as_the_carriers():
    too_fast = LER.with_kinetics(lifetime=2e-7, formation_yield=3e18)
    separation = us.timescale_separation(too_fast, CW)
    assert separation.ratio > 0.3 and not separation.valid
    protocol = us.IlluminationProtocol.constant(200.0, 2e-6)
    t = np.linspace(0.0, 2e-6, 21)[1:]
    quick = us.simulate(too_fast, protocol, t)
    brute = us.full_integration(too_fast, protocol, t)
    assert np.max(np.abs(brute.pl / quick.pl - 1)) > 0.05


def test_separation_fails_for_a_pulse_train_as_slow_as_the_reservoir():
    """A 3 kHz train builds a reservoir that rises in ~0.2 ms: n_LER jumps at every pulse, and
    the period-averaged solver misses it."""
    protocol = us.IlluminationProtocol.constant(200.0, 3e-3, repetition_rate=3e3)
    separation = us.timescale_separation(FAST_RESERVOIR, protocol.segments[0])
    assert separation.ratio > 1 and not separation.valid
    t = np.linspace(0.0, 3e-3, 16)[1:]
    quick = us.simulate(FAST_RESERVOIR, protocol, t)
    brute = us.full_integration(FAST_RESERVOIR, protocol, t)
    assert np.max(np.abs(brute.density - quick.density)) > 0.2 * quick.density.max()


def test_chapter_defaults_separate_by_many_orders_of_magnitude():
    for segment in (CW, PULSED):
        separation = us.timescale_separation(LER, segment)
        assert separation.valid and separation.ratio < 1e-5
        assert 1.0 < separation.slow_time < 300.0
    assert us.timescale_separation(LER, PULSED).fast_time >= 1e-6  # at least one period


def test_without_coupling_the_slow_ode_has_the_closed_form():
    # k_sigma = 0: the carriers ignore the reservoirs, the heat is constant and the slow ODE
    # is linear, with the closed form of lerbook.reservoir.reservoir_density.
    params = LER.replace(trap=LER.trap.replace(k_sigma=0.0))
    protocol = us.IlluminationProtocol.exposures(200.0, 100.0, 50.0, 30.0)
    run = us.simulate(params, protocol, points=300)
    heat = us.fast_response(params, CW, 0.0).heat
    drive = PiecewiseDrive(tuple(protocol.durations), (heat, 0.0, heat))
    exact = reservoir_density(params.kinetics, drive, run.t).density
    # Times at an edge belong to the next segment in both, so compare away from the edges.
    np.testing.assert_allclose(run.density, exact, rtol=1e-6, atol=1e-6 * exact.max())
    np.testing.assert_allclose(run.pl[run.pl > 0], run.pl[0], rtol=1e-9)


def test_initial_density_and_explicit_times():
    run = us.simulate(LER, us.IlluminationProtocol.constant(200.0, 10.0), [0.0, 5.0, 10.0],
                      initial_density=5e15)
    assert run.density[0] == pytest.approx(5e15)
    with pytest.raises(ValueError, match="within the protocol"):
        us.simulate(LER, us.IlluminationProtocol.constant(200.0, 10.0), [0.0, 11.0])
    with pytest.raises(ValueError, match="initial_density"):
        us.simulate(LER, us.IlluminationProtocol.constant(200.0, 10.0), initial_density=-1)


# --------------------------------------------------------------------------------------------
# The competing model and the experiments that separate it from the reservoirs
# --------------------------------------------------------------------------------------------
def test_passivation_slow_variable_follows_its_closed_form():
    rival = us.PassivationParameters()
    protocol = us.IlluminationProtocol.exposures(200.0, 100.0, 50.0, 30.0)
    run = us.simulate(rival, protocol, points=200)
    g = us.fast_response(rival, CW, 0.0).generation_rate
    drive = PiecewiseDrive(tuple(protocol.durations), (g, 0.0, g))
    exact = reservoir_density(rival.kinetics, drive, run.t).density
    np.testing.assert_allclose(run.density, exact, rtol=1e-12)


def test_matched_passivation_reproduces_one_curve_but_not_the_recovery():
    run = us.simulate(LER, us.IlluminationProtocol.constant(200.0, 300.0), points=300)
    rival = us.match_passivation(run)
    assert isinstance(rival, us.PassivationParameters)
    twin = us.simulate(rival, run.protocol, run.t)
    assert np.max(np.abs(twin.relative_pl - run.relative_pl)) < 0.06 * run.relative_pl.max()
    protocol = us.IlluminationProtocol((us.Segment(300.0, 200.0), us.Segment(600.0)))
    ler, passivated = (us.simulate(p, protocol, points=300) for p in (LER, rival))
    recovered = [(r.relative_probe_pl.max() - r.relative_probe_pl[-1])
                 / (r.relative_probe_pl.max() - 1.0) for r in (ler, passivated)]
    assert recovered[0] > 0.9 and recovered[1] < 0.05


def test_reciprocity_holds_for_passivation_and_fails_for_reservoirs():
    ler = us.dose_response(LER, [20.0, 200.0, 2000.0], max_dose=12.0, points=40)
    rival = us.dose_response(us.PassivationParameters(), [20.0, 200.0, 2000.0], max_dose=12.0,
                             points=40)
    assert rival.reciprocity_spread < 1.05
    assert ler.reciprocity_spread > 1.5
    assert ler.exposure_time[0, -1] == pytest.approx(600.0)
    assert np.all(rival.relative_pl[:, 0] == 1.0)


def test_heat_drives_the_reservoirs_and_photons_drive_passivation():
    """At equal absorbed photon flux, blue light brightens faster only if heat drives it."""
    def rise(params, wavelength):
        intensity = 200.0 * float(photon_energy(wavelength) / photon_energy(405.0))
        protocol = us.IlluminationProtocol.constant(intensity, 20.0, wavelength)
        run = us.simulate(params, protocol, [0.0, 20.0], probe=us.Segment(1.0, 20.0))
        return run.relative_probe_pl[-1] - 1.0

    assert rise(LER, 405.0) > 1.3 * rise(LER, 750.0)
    rival = us.PassivationParameters()
    assert rise(rival, 405.0) == pytest.approx(rise(rival, 750.0), rel=1e-9)


# --------------------------------------------------------------------------------------------
# Fits and helpers
# --------------------------------------------------------------------------------------------
def test_stretched_exponential_fits_recover_their_parameters():
    t = np.linspace(0.0, 200e-9, 400)
    decay = 3e20 * fitting.stretched_exponential(t, 30e-9, 0.6) + 1e17
    fit = fitting.fit_stretched_exponential(t, decay, "decay", offset=True)
    assert fit.tau == pytest.approx(30e-9, rel=1e-4)
    assert fit.beta == pytest.approx(0.6, rel=1e-4)
    assert fit.offset == pytest.approx(1e17, rel=1e-3)
    assert fit.mean_time == pytest.approx(30e-9 / 0.6 * math.gamma(1 / 0.6), rel=1e-4)
    times = np.linspace(0.0, 300.0, 300)
    rise = 3.0 - 2.0 * fitting.stretched_exponential(times, 40.0, 0.8)
    fit = fitting.fit_stretched_exponential(times, rise, "rise")
    assert (fit.tau, fit.beta, fit.offset, fit.final) == pytest.approx((40.0, 0.8, 1.0, 3.0),
                                                                       rel=1e-5)
    short = fitting.fit_stretched_exponential(t, np.exp(-t / 20e-9), floor=0.1)
    assert short.x[-1] <= 20e-9 * math.log(10) + t[1]
    assert short.tau == pytest.approx(20e-9, rel=1e-6) and short.beta == pytest.approx(1.0)


@pytest.mark.parametrize("args, match", [
    (([0, 1, 2], [1, 2, 3]), "at least 5"),
    ((np.arange(6.0), -np.ones(6)), "> 0"),
    ((np.arange(6.0), np.ones(6), "sideways"), "kind"),
    ((np.arange(6.0)[::-1], np.ones(6)), "increasing"),
])
def test_stretched_exponential_fit_validation(args, match):
    with pytest.raises(ValueError, match=match):
        fitting.fit_stretched_exponential(*args)


def test_rise_times_and_trpl_need_the_right_inputs():
    with pytest.raises(ValueError, match="fraction"):
        us.rise_times(us.simulate(LER, CW, points=30), fraction=0.0)
    with pytest.raises(ValueError, match="pulse-train"):
        us.time_dependent_trpl(LER, us.IlluminationProtocol.constant(200.0, 5.0), [1.0])
    with pytest.raises(ValueError, match="UltraslowParameters"):
        us.full_integration(us.PassivationParameters(), CW, [0.5])


def test_physics_module_imports_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, lerbook.ultraslow\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('matplotlib', 'ipywidgets')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_reservoir_kinetics_defaults_are_illustrative_and_give_seconds_to_minutes():
    kinetics = us.DEFAULT_KINETICS
    assert isinstance(kinetics, ReservoirKinetics)
    heat = us.fast_response(LER, CW, 0.0).heat
    assert 10.0 < 1.0 / float(kinetics.rise_rate(heat)) < 100.0
    assert kinetics.lifetime == 120.0


def test_pulsed_passivation_rival_runs_where_node_continuation_leaves_its_trap_range():
    # The rival passivates traps along the Chebyshev nodes, so a neighbour's trapped density
    # can exceed the next node's trap density; the tables must still be built (chapter 4).
    film = us.UltraslowParameters()
    pulsed = us.IlluminationProtocol.constant(200.0, 120.0, repetition_rate=1e6)
    rival = us.match_passivation(us.simulate(film, pulsed, points=100))
    decays = us.time_dependent_trpl(rival, pulsed, [0.0, 120.0])
    assert np.all(np.isfinite(decays.normalized))
    assert decays.one_over_e[-1] > decays.one_over_e[0]
