"""Tests of lerbook.recombination: closed forms against solvers and quadrature, PLQY and
lifetime limits, the Langevin ratio, conservation laws of the trap model, the reservoir term,
periodic steady states against brute-force pulse trains, synthetic TCSPC data, speed, and
parameter validation."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import quad

from lerbook import recombination as rc
from lerbook.fitting import TRPLData, gaussian_irf, reconvolve, synthetic_trpl
from lerbook.materials import MATERIALS
from lerbook.recombination import (
    SOURCES,
    ABCParameters,
    TrapParameters,
    abc_decay,
    abc_jacobian,
    abc_rate,
    decay_time_from_trace,
    differential_lifetime,
    effective_density_of_states,
    effective_lifetime,
    langevin_rate,
    langevin_ratio,
    langevin_table,
    low_injection_pl_decay_time,
    one_over_e_time,
    periodic_steady_state,
    pl_decay_time,
    plqy,
    plqy_peak,
    pulse_train,
    trap_decay,
    trap_equilibrium,
    trap_jacobian,
    trap_rate,
    trap_steady_state,
)
from lerbook.units import BOLTZMANN_EV, ELEMENTARY_CHARGE, VACUUM_PERMITTIVITY

BIB = Path(__file__).resolve().parents[1] / "book" / "references.bib"
LOG_TIMES = np.concatenate(([0.0], np.geomspace(1e-11, 1e-3, 500)))


# ============================================================================================
# ABC kinetics
# ============================================================================================
def test_abc_closed_form_gives_the_textbook_numbers_to_three_figures():
    params = ABCParameters(A=1e7, B=1e-10, C=0.0)
    result = abc_decay(params, 1e17, [10e-9, 50e-9])
    assert result.method == "closed"
    assert float(f"{result.n[0]:.3g}") == 8.26e16
    assert float(f"{result.n[1]:.3g}") == 4.35e16
    # The formula of the issue, written out independently.
    a, b, n0, t = 1e7, 1e-10, 1e17, np.array([10e-9, 50e-9])
    direct = a * n0 * np.exp(-a * t) / (a + b * n0 * (1 - np.exp(-a * t)))
    np.testing.assert_allclose(result.n, direct, rtol=1e-14)


def test_pure_a_and_pure_b_closed_forms():
    t = np.linspace(0, 1e-6, 50)
    only_a = abc_decay(ABCParameters(A=3e6, B=0.0, C=0.0), 1e16, t)
    np.testing.assert_allclose(only_a.n, 1e16 * np.exp(-3e6 * t), rtol=1e-14)
    only_b = abc_decay(ABCParameters(A=0.0, B=2e-10, C=0.0), 1e16, t)
    np.testing.assert_allclose(only_b.n, 1e16 / (1 + 2e-10 * 1e16 * t), rtol=1e-14)
    assert only_b.pl == pytest.approx(2e-10 * only_b.n ** 2, rel=1e-14)


@pytest.mark.parametrize("params", [
    ABCParameters(A=1e7, B=1e-10, C=0.0),
    ABCParameters(A=1e7, B=0.0, C=0.0),
    ABCParameters(A=0.0, B=1e-10, C=0.0),
    ABCParameters(A=1e7, B=0.0, C=1e-28),
    ABCParameters(A=0.0, B=0.0, C=1e-28),
    ABCParameters(A=1e7, B=1e-10, C=0.0, doping=1e16),
], ids=["AB", "A", "B", "AC", "C", "AB-doped"])
@pytest.mark.parametrize("solver", ["LSODA", "Radau", "BDF"])
def test_closed_forms_and_stiff_solvers_agree_to_1e6(params, solver):
    t = np.concatenate(([0.0], np.geomspace(1e-12, 2e-6, 200)))
    closed = abc_decay(params, 1e18, t, method="closed")
    solved = abc_decay(params, 1e18, t, method="solver", solver=solver)
    assert solved.method == solver
    np.testing.assert_allclose(solved.n, closed.n, rtol=1e-6)


def test_solver_with_auger_matches_the_implicit_time_integral():
    # t(n) = int_n^n0 dn' / R(n'), evaluated by adaptive quadrature: independent of the ODE
    # solver, valid when no closed form exists (A, B and C all present, and doped).
    for params in (ABCParameters(A=1e7, B=1e-10, C=1e-28),
                   ABCParameters(A=2e6, B=5e-10, C=1e-27, doping=3e16)):
        n0 = 1e18
        result = abc_decay(params, n0, np.geomspace(1e-12, 1e-6, 40))
        assert result.method == "LSODA" and not params.has_closed_form
        for t_value, n_value in zip(result.t[::7], result.n[::7], strict=True):
            t_back, _ = quad(lambda x, p=params: -1.0 / float(abc_rate(0, x, p)), n_value, n0,
                             epsrel=1e-12, epsabs=0.0, limit=200)
            assert t_back == pytest.approx(t_value, rel=1e-6)


def test_abc_rate_is_the_abc_law_and_its_jacobian_matches_finite_differences():
    params = ABCParameters(A=1e7, B=1e-10, C=1e-28)
    n = 3e17
    assert float(abc_rate(0, n, params)) == pytest.approx(-(1e7 * n + 1e-10 * n ** 2
                                                            + 1e-28 * n ** 3), rel=1e-14)
    assert float(abc_rate(0, n, params, generation=1e25)) == pytest.approx(
        1e25 + float(abc_rate(0, n, params)), rel=1e-14)
    h = n * 1e-6
    numeric = (abc_rate(0, n + h, params) - abc_rate(0, n - h, params)) / (2 * h)
    assert abc_jacobian(0, n, params).shape == (1, 1)
    assert abc_jacobian(0, n, params)[0, 0] == pytest.approx(float(numeric), rel=1e-8)
    doped = ABCParameters(A=1e7, B=1e-10, C=1e-28, doping=1e17)
    n_e, p = n + 1e17, n
    expected = -(1e7 * n + 1e-10 * n_e * p + 0.5e-28 * n_e * p * (n_e + p))
    assert float(abc_rate(0, n, doped)) == pytest.approx(expected, rel=1e-14)


def test_from_material_takes_the_preset_coefficients():
    params = ABCParameters.from_material("mapbi3", doping=1e15)
    material = MATERIALS["MAPbI3"]
    assert (params.A, params.B, params.C, params.doping) == (material.A, material.B,
                                                             material.C, 1e15)


def test_plqy_peaks_at_sqrt_a_over_c():
    params = ABCParameters(A=1e7, B=1e-10, C=1e-28)
    n_peak, best = plqy_peak(params)
    assert n_peak == pytest.approx(math.sqrt(1e7 / 1e-28), rel=1e-14)
    assert best == pytest.approx(1e-10 / (1e-10 + 2 * math.sqrt(1e7 * 1e-28)), rel=1e-14)
    grid = np.geomspace(1e14, 1e21, 200001)
    values = plqy(params, grid)
    assert grid[np.argmax(values)] == pytest.approx(n_peak, rel=1e-4)
    assert values.max() == pytest.approx(best, rel=1e-9)
    assert plqy(params, n_peak) == pytest.approx(best, rel=1e-14)
    # Intrinsic PLQY formula B n / (A + B n + C n^2).
    assert plqy(params, 1e16) == pytest.approx(1e-10 * 1e16 / (1e7 + 1e-10 * 1e16
                                                              + 1e-28 * 1e32), rel=1e-14)


def test_plqy_peak_of_a_doped_material_and_its_limits():
    doped = ABCParameters(A=1e7, B=1e-10, C=1e-28, doping=1e17)
    n_peak, best = plqy_peak(doped)
    assert n_peak == pytest.approx(math.sqrt(1e35) - 1e17, rel=1e-14)
    grid = np.geomspace(1e14, 1e21, 200001)
    assert grid[np.argmax(plqy(doped, grid))] == pytest.approx(n_peak, rel=1e-4)
    assert plqy(doped, grid).max() == pytest.approx(best, rel=1e-9)
    heavily = ABCParameters(A=1e7, B=1e-10, C=1e-28, doping=1e18)
    n_peak, best = plqy_peak(heavily)
    assert n_peak == 0.0
    assert plqy(heavily, 1e5) == pytest.approx(best, rel=1e-9)
    assert plqy_peak(ABCParameters(A=1e7, B=1e-10, C=0.0)) == (math.inf, 1.0)


def test_lifetime_definitions():
    params = ABCParameters(A=1e7, B=1e-10, C=1e-28)
    n = np.array([1e15, 1e17, 1e18])
    rate = -abc_rate(0, n, params)
    np.testing.assert_allclose(effective_lifetime(params, n), n / rate, rtol=1e-14)
    h = n * 1e-6
    slope = -(abc_rate(0, n + h, params) - abc_rate(0, n - h, params)) / (2 * h)
    np.testing.assert_allclose(differential_lifetime(params, n), 1 / slope, rtol=1e-8)
    # Intrinsic: PL ~ n^2 decays twice as fast as n.
    np.testing.assert_allclose(pl_decay_time(params, n), effective_lifetime(params, n) / 2,
                               rtol=1e-14)
    # pl_decay_time is what a simulated PL trace shows.
    t = np.linspace(0, 300e-9, 30001)
    decay = abc_decay(params, 1e18, t)
    measured = decay_time_from_trace(t, decay.pl)
    np.testing.assert_allclose(measured[100:-100], pl_decay_time(params, decay.n[100:-100]),
                               rtol=1e-5)


def test_low_injection_pl_decay_time_is_half_over_a_intrinsic_and_over_a_doped():
    intrinsic = ABCParameters(A=1e7, B=1e-10, C=0.0)
    assert low_injection_pl_decay_time(intrinsic) == pytest.approx(1 / (2e7), rel=1e-14)
    t = np.linspace(0, 1e-6, 2001)
    trace = abc_decay(intrinsic, 1e10, t, method="solver")
    assert decay_time_from_trace(t, trace.pl)[-1000:] == pytest.approx(1 / (2e7), rel=1e-4)

    doped = ABCParameters(A=1e7, B=1e-10, C=0.0, doping=1e15)  # B N_D = 1e5 << A
    assert low_injection_pl_decay_time(doped) == pytest.approx(1 / (1e7 + 1e5), rel=1e-14)
    trace = abc_decay(doped, 1e10, t, method="solver")
    tau = decay_time_from_trace(t, trace.pl)[-1000:]
    assert tau == pytest.approx(1 / (1e7 + 1e5), rel=1e-4)
    assert tau == pytest.approx(1 / 1e7, rel=0.011)


def test_one_over_e_time_of_an_exponential_and_of_a_sampled_peak():
    t = np.linspace(0, 100e-9, 1001)
    assert one_over_e_time(t, 5 * np.exp(-t / 7e-9)) == pytest.approx(7e-9, rel=1e-12)
    shifted = np.where(t < 10e-9, 0.0, np.exp(-(t - 10e-9) / 20e-9))
    assert one_over_e_time(t, shifted) == pytest.approx(20e-9, rel=1e-12)
    with pytest.raises(ValueError, match="signal"):
        one_over_e_time(t, np.exp(-t / 1e-6))


# ============================================================================================
# Langevin
# ============================================================================================
def test_langevin_rate_from_mobilities_and_static_permittivity():
    material = MATERIALS["MAPbI3"]
    by_hand = (ELEMENTARY_CHARGE * (material.mobility_electron + material.mobility_hole) * 1e-4
               / (VACUUM_PERMITTIVITY * material.eps_static) * 1e6)
    assert langevin_rate("MAPbI3") == pytest.approx(by_hand, rel=1e-14)
    assert langevin_rate("MAPbI3") == pytest.approx(1.89e-6, rel=1e-2)
    ratio_optical = langevin_ratio("MAPbI3", permittivity="optical")
    assert ratio_optical == pytest.approx(langevin_ratio("MAPbI3") * material.eps_optical
                                          / material.eps_static, rel=1e-14)


def test_observed_b_is_far_below_the_langevin_rate_for_every_material():
    assert langevin_ratio("MAPbI3") < 1e-2
    table = langevin_table()
    assert set(table) == set(MATERIALS)
    for name, row in table.items():
        assert row.ratio == pytest.approx(langevin_ratio(name), rel=1e-14)
        assert row.ratio < 1e-3
        assert row.permittivity == "static"


# ============================================================================================
# Trap model
# ============================================================================================
TRAP_CASES = {
    "default": TrapParameters(),
    "reservoir": TrapParameters(n_ler=1e16),
    "doped-shallow": TrapParameters(doping=1e16, trap_depth=0.25, n_ler=3e15),
    "auger-heavy": TrapParameters(C=1e-27),
}


def test_effective_density_of_states_and_detailed_balance_emission():
    assert effective_density_of_states(1.0, 300.0) == pytest.approx(2.509e19, rel=1e-3)
    assert effective_density_of_states(0.208, 295.0) == pytest.approx(
        2.509e19 * 0.208 ** 1.5 * (295 / 300) ** 1.5, rel=1e-3)
    params = TrapParameters(trap_depth=0.3, temperature=250.0)
    expected = params.gamma_n * params.effective_density_of_states * math.exp(
        -0.3 / (BOLTZMANN_EV * 250.0))
    assert params.emission_rate == pytest.approx(expected, rel=1e-14)
    assert TrapParameters(k_sigma=2e-10, n_ler=5e15).ler_rate == pytest.approx(1e6, rel=1e-14)


def test_trap_jacobian_and_hessian_match_finite_differences():
    params = TrapParameters(doping=1e15, trap_depth=0.2, n_ler=1e16, C=1e-27)
    y = np.array([3e16, 2e16, 1e16])
    numeric = np.empty((3, 3))
    for k in range(3):
        h = np.zeros(3)
        h[k] = y[k] * 1e-6
        numeric[:, k] = (trap_rate(0, y + h, params) - trap_rate(0, y - h, params)) / (2 * h[k])
    np.testing.assert_allclose(trap_jacobian(0, y, params), numeric, rtol=1e-7, atol=1e-9)
    hessian = rc._trap_hessian(y[0], y[1], params)
    for k in range(3):
        h = np.zeros(3)
        h[k] = y[k] * 1e-6
        numeric = (trap_jacobian(0, y + h, params) - trap_jacobian(0, y - h, params)) / (2 * h[k])
        np.testing.assert_allclose(hessian[:, :, k], numeric, rtol=1e-6, atol=1e-20)


def test_trap_equilibrium_is_neutral_and_stationary():
    for params in (TrapParameters(doping=1e16, trap_depth=0.25),
                   TrapParameters(doping=1e17, trap_depth=0.1, n_ler=1e16),
                   TrapParameters(doping=1e16, trap_depth=0.5)):
        n, p, nt = trap_equilibrium(params)
        assert p == 0 and n >= 0 and 0 <= nt <= params.trap_density
        assert n + nt == pytest.approx(params.doping, rel=1e-14)
        rates = trap_rate(0, [n, p, nt], params)
        capture = params.gamma_n * params.trap_density * max(n, 1.0)
        assert np.max(np.abs(rates)) <= 1e-9 * capture
    np.testing.assert_array_equal(trap_equilibrium(TrapParameters()), np.zeros(3))


@pytest.mark.parametrize("case", list(TRAP_CASES))
def test_trap_model_conserves_charge_neutrality_to_1e9(case):
    params = TRAP_CASES[case]
    n0 = 1e16
    result = trap_decay(params, n0, LOG_TIMES)
    imbalance = result.n + result.n_t - result.p - params.doping
    assert np.max(np.abs(imbalance)) <= 1e-9 * (n0 + params.doping)
    with_light = trap_decay(params, n0, LOG_TIMES[:300], generation_rate=1e22)
    imbalance = with_light.n + with_light.n_t - with_light.p - params.doping
    assert np.max(np.abs(imbalance)) <= 1e-9 * np.max(with_light.p + params.doping)


@pytest.mark.parametrize("case", list(TRAP_CASES))
def test_carriers_removed_equal_integrated_recombination_to_1e9(case):
    params = TRAP_CASES[case]
    n0 = 1e16
    result = trap_decay(params, n0, LOG_TIMES)
    removed = result.p[0] - result.p
    assert np.max(np.abs(removed - result.recombined_total)) <= 1e-9 * n0
    # Electrons: free + trapped + recombined is constant too.
    electrons = result.n + result.n_t + result.recombined_total
    assert np.max(np.abs(electrons - electrons[0])) <= 1e-9 * n0
    # Independent check of the running integrals: quadrature of the rates on a fine grid.
    t = np.linspace(0, 2e-6, 20001)
    fine = trap_decay(params, n0, t, rtol=1e-11)
    radiative = np.concatenate(([0.0], np.cumsum(np.diff(t) * 0.5 * (fine.pl[1:]
                                                                   + fine.pl[:-1]))))
    np.testing.assert_allclose(fine.recombined_radiative[1:], radiative[1:], rtol=1e-5)


def test_trap_model_without_traps_is_the_pure_b_closed_form():
    params = TrapParameters(trap_density=0.0, C=0.0, B=1e-10)
    t = np.linspace(0, 1e-6, 100)
    result = trap_decay(params, 1e17, t, rtol=1e-11)
    np.testing.assert_allclose(result.n, 1e17 / (1 + 1e-10 * 1e17 * t), rtol=1e-8)
    np.testing.assert_array_equal(result.n_t, 0.0)


def test_raising_n_ler_lengthens_the_trpl_1e_time_and_raises_integrated_pl():
    for n0 in (1e15, 1e16):
        times, photons = [], []
        for n_ler in (0.0, 1e14, 1e15, 1e16, 1e17):
            result = trap_decay(TrapParameters(n_ler=n_ler), n0, LOG_TIMES)
            times.append(one_over_e_time(result.t, result.pl))
            photons.append(result.integrated_pl)
        assert np.all(np.diff(times) > 0), times
        assert np.all(np.diff(photons) > 0), photons
        # The reservoir is not a small correction at the top of the range.
        assert photons[-1] > 5 * photons[0]


def test_trap_steady_state_solves_the_rate_equations_and_matches_a_long_run():
    params = TrapParameters(n_ler=1e15, doping=1e15, trap_depth=0.3)
    rates = np.array([1e19, 1e21, 1e23])
    ss = trap_steady_state(params, rates)
    for i, g in enumerate(rates):
        derivative = trap_rate(0, [ss.n[i], ss.p[i], ss.n_t[i]], params, generation=g)
        assert np.max(np.abs(derivative)) <= 1e-9 * g
        assert ss.n[i] + ss.n_t[i] == pytest.approx(ss.p[i] + params.doping, rel=1e-12)
    np.testing.assert_allclose(ss.plqy, ss.pl / rates, rtol=1e-14)
    run = trap_decay(params, 0.0, [0.0, 1e-1], generation_rate=1e21, rtol=1e-10)
    assert run.p[-1] == pytest.approx(ss.p[1], rel=1e-6)
    assert run.n_t[-1] == pytest.approx(ss.n_t[1], rel=1e-6)
    assert trap_steady_state(params, 1e21).p.shape == (1,)


# ============================================================================================
# Pulse trains
# ============================================================================================
PULSE_CASES = {
    "abc-closed": (ABCParameters(A=1e6, B=1e-10, C=0.0), 1e16, 10e6, 400),
    "abc-auger": (ABCParameters(A=1e6, B=1e-10, C=1e-28), 1e16, 10e6, 400),
    "abc-doped": (ABCParameters(A=1e6, B=1e-10, C=1e-28, doping=1e16), 1e16, 10e6, 400),
    "trap": (TrapParameters(), 1e15, 1e6, 300),
    "trap-reservoir": (TrapParameters(n_ler=1e16), 1e15, 1e6, 300),
    "trap-doped": (TrapParameters(doping=1e16, trap_depth=0.3), 1e15, 1e6, 300),
    "trap-80MHz": (TrapParameters(), 1e15, 80e6, 300),
}


@pytest.mark.parametrize("case", list(PULSE_CASES))
def test_periodic_steady_state_equals_brute_force_pulse_by_pulse(case):
    params, n_pulse, rate, pulses = PULSE_CASES[case]
    direct = periodic_steady_state(params, n_pulse, rate)
    brute = pulse_train(params, n_pulse, rate, pulses)
    # The brute force has converged: one pulse fewer gives the same state.
    previous = pulse_train(params, n_pulse, rate, pulses - 1)
    np.testing.assert_allclose(previous.state_before_pulse, brute.state_before_pulse,
                               rtol=1e-6, atol=1e-6 * n_pulse)
    np.testing.assert_allclose(direct.pl, brute.pl, rtol=1e-4)
    np.testing.assert_allclose(direct.state_before_pulse, brute.state_before_pulse,
                               rtol=1e-4, atol=1e-4 * n_pulse)
    for name in ("n", "p", "n_t"):
        np.testing.assert_allclose(getattr(direct, name), getattr(brute, name), rtol=1e-4,
                                   atol=1e-4 * n_pulse)
    assert direct.t[-1] == pytest.approx(1 / rate, rel=1e-14)
    assert direct.iterations < 30 < brute.iterations


def test_periodic_steady_state_is_a_fixed_point_and_accumulates_at_high_rates():
    params = TrapParameters(n_ler=1e15)
    pst = periodic_steady_state(params, 1e15, 5e6)
    # The state at the end of the period is the state before the pulse.
    end = np.array([pst.n[-1], pst.p[-1], pst.n_t[-1]])
    np.testing.assert_allclose(end, pst.state_before_pulse, rtol=1e-7)
    assert pst.leftover_fraction > 1  # trapped electrons keep holes alive for many pulses
    slow = periodic_steady_state(ABCParameters(A=1e7, B=1e-10, C=0.0), 1e15, 1e3)
    assert slow.leftover_fraction < 1e-12
    abc = periodic_steady_state(ABCParameters(A=5e6, B=9e-11, C=0.0), 1e15, 80e6)
    linear = math.exp(-5e6 / 80e6) / (1 - math.exp(-5e6 / 80e6))  # the B-free geometric sum
    assert 1 < abc.leftover_fraction < linear


@pytest.mark.parametrize("rtol", [1e-8, 1e-6])
def test_trap_fixed_point_converges_at_a_looser_integration_tolerance(rtol):
    # The Newton stopping rule follows rtol: a map computed to rtol cannot settle to 1e-11.
    params = TrapParameters(n_ler=1e18)
    loose = periodic_steady_state(params, 1e16, 1e5, rtol=rtol, points=20)
    tight = periodic_steady_state(params, 1e16, 1e5, points=20)
    assert loose.leftover_fraction == pytest.approx(tight.leftover_fraction, rel=1e3 * rtol)


def test_an_initial_guess_reaches_the_same_fixed_point_in_fewer_iterations():
    # A sweep in n_LER: Newton from the neighbour's fixed point instead of the dark state.
    near = periodic_steady_state(TrapParameters(n_ler=2e15), 1e16, 1e6, t=[0.0], rtol=1e-8)
    cold = periodic_steady_state(TrapParameters(n_ler=2.5e15), 1e16, 1e6, rtol=1e-8)
    warm = periodic_steady_state(TrapParameters(n_ler=2.5e15), 1e16, 1e6, rtol=1e-8,
                                 initial_guess=near.state_before_pulse)
    np.testing.assert_allclose(warm.state_before_pulse, cold.state_before_pulse, rtol=1e-7)
    np.testing.assert_allclose(warm.pl, cold.pl, rtol=1e-7)
    assert warm.iterations < cold.iterations


def test_a_bad_initial_guess_is_rejected_by_name():
    with pytest.raises(ValueError, match="initial_guess must be charge neutral"):
        periodic_steady_state(TrapParameters(), 1e16, 1e6, initial_guess=[1e15, 0.0, 0.0])
    with pytest.raises(ValueError, match="initial_guess must be"):
        periodic_steady_state(TrapParameters(), 1e16, 1e6, initial_guess=[1e15, 1e15])
    with pytest.raises(ValueError, match="initial_guess applies to the trap model only"):
        periodic_steady_state(ABCParameters(), 1e16, 1e6, initial_guess=[0.0, 0.0, 0.0])


def test_pulse_train_accepts_a_custom_time_grid_within_one_period():
    params = ABCParameters(A=1e6, B=1e-10, C=0.0)
    t = np.linspace(0, 50e-9, 11)
    pst = periodic_steady_state(params, 1e16, 10e6, t=t)
    np.testing.assert_array_equal(pst.t, t)
    with pytest.raises(ValueError, match="t must lie within one period"):
        periodic_steady_state(params, 1e16, 10e6, t=[0.0, 200e-9])


# ============================================================================================
# TCSPC synthesis
# ============================================================================================
def test_gaussian_irf_is_normalised_and_has_the_requested_width():
    t = np.arange(-5e-9, 5e-9, 0.01e-9)
    irf = gaussian_irf(t, 0.5e-9, center=0.3e-9)
    assert irf.sum() == pytest.approx(1.0, rel=1e-14)
    mean = np.sum(irf * t)
    sigma = math.sqrt(np.sum(irf * (t - mean) ** 2))
    assert mean == pytest.approx(0.3e-9, rel=1e-6)
    # Channel integration adds width^2 / 12 to the variance.
    expected = math.sqrt((0.5e-9 / (2 * math.sqrt(2 * math.log(2)))) ** 2 + (0.01e-9) ** 2 / 12)
    assert sigma == pytest.approx(expected, rel=1e-6)
    narrow = gaussian_irf(np.arange(-1e-9, 1e-9, 0.1e-9), 1e-15, center=0.03e-9)
    assert narrow.max() == pytest.approx(1.0, rel=1e-12)  # one channel takes it all


def test_reconvolve_with_a_delta_response_returns_the_model_and_wraps_periods():
    t = np.arange(-2e-9, 18e-9, 0.1e-9)
    delta = np.zeros(t.size)
    delta[20] = 1.0  # t = 0
    out = reconvolve(t, lambda tau: np.exp(-tau / 3e-9), delta)
    expected = np.where(t >= -1e-15, np.exp(-np.clip(t, 0, None) / 3e-9), 0.0)
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-12)
    periodic = reconvolve(t, lambda tau: np.exp(-tau / 3e-9), delta, period=10e-9)
    before = t < -1e-15
    np.testing.assert_allclose(periodic[before], np.exp(-(t[before] + 10e-9) / 3e-9),
                               rtol=1e-10)


def test_synthetic_trpl_scaling_noise_and_seed():
    t = np.arange(-5e-9, 95e-9, 0.1e-9)
    model = lambda tau: np.exp(-tau / 10e-9)  # noqa: E731
    data = synthetic_trpl(t, model, irf_fwhm=0.3e-9, counts_peak=1e4, background=5.0, seed=7)
    assert data.expected.max() == pytest.approx(1e4 + 5.0, rel=1e-12)
    assert np.all(data.counts == np.round(data.counts)) and np.all(data.counts >= 0)
    again = synthetic_trpl(t, model, irf_fwhm=0.3e-9, counts_peak=1e4, background=5.0, seed=7)
    np.testing.assert_array_equal(data.counts, again.counts)
    other = synthetic_trpl(t, model, irf_fwhm=0.3e-9, counts_peak=1e4, background=5.0, seed=8)
    assert np.any(other.counts != data.counts)
    total = synthetic_trpl(t, model, irf_fwhm=0.3e-9, total_counts=1e6, background=0.0, seed=1)
    assert total.expected.sum() == pytest.approx(1e6, rel=1e-12)
    # Poisson: standardised deviations have mean ~0 and variance ~1 over 1000 x 20 draws.
    draws = [synthetic_trpl(t, model, 0.3e-9, counts_peak=1e3, background=20.0, seed=s)
             for s in range(20)]
    z = np.concatenate([(d.counts - d.expected) / np.sqrt(d.expected) for d in draws])
    assert abs(z.mean()) < 0.02 and abs(z.var() - 1) < 0.03


def test_synthetic_trpl_accepts_simulation_results():
    t = np.arange(-5e-9, 195e-9, 0.5e-9)
    decay = abc_decay(ABCParameters(A=1e7, B=1e-10, C=0.0), 1e17, np.linspace(0, 300e-9, 3001))
    data = synthetic_trpl(t, decay, irf_fwhm=0.5e-9, counts_peak=1e4, seed=1)
    assert data.period is None and data.scale == pytest.approx(1e4 / np.max(
        reconvolve(t, lambda tau: np.interp(tau, decay.t, decay.pl), data.irf)), rel=1e-12)
    pst = periodic_steady_state(ABCParameters(A=5e6, B=1e-10, C=0.0), 1e16, 10e6)
    periodic = synthetic_trpl(np.arange(-20e-9, 80e-9, 0.5e-9), pst, irf_fwhm=0.5e-9,
                              counts_peak=1e4, background=0.0, seed=1)
    assert periodic.period == pytest.approx(1e-7, rel=1e-14)
    assert periodic.expected[0] > 0.1 * periodic.expected.max()  # last pulse's tail


def test_trpl_data_from_user_arrays():
    t = np.arange(-2e-9, 18e-9, 0.1e-9)
    counts = np.full(t.size, 3.0)
    data = TRPLData.from_arrays(t, counts)
    assert data.irf[20] == 1.0 and data.irf.sum() == 1.0
    measured = TRPLData.from_arrays(t, counts, irf=np.exp(-(t / 0.2e-9) ** 2) * 500)
    assert measured.irf.sum() == pytest.approx(1.0, rel=1e-14) and measured.irf_fwhm is None
    gaussian = TRPLData.from_arrays(t, counts, irf_fwhm=0.3e-9)
    np.testing.assert_allclose(gaussian.irf, gaussian_irf(t, 0.3e-9), rtol=1e-14)
    assert data.channel_width == pytest.approx(0.1e-9, rel=1e-9)


# ============================================================================================
# Validation, sources, bibliography
# ============================================================================================
@pytest.mark.parametrize("call, name", [
    (lambda: ABCParameters(A=-1.0), "A"),
    (lambda: ABCParameters(B=float("nan")), "B"),
    (lambda: ABCParameters(C=math.inf), "C"),
    (lambda: ABCParameters(doping=-1.0), "doping"),
    (lambda: ABCParameters(A=0.0, B=0.0, C=0.0), "A, B and C"),
    (lambda: abc_decay(ABCParameters(), 0.0, [0.0]), "n0"),
    (lambda: abc_decay(ABCParameters(), 1e17, [-1e-9, 0.0]), "t"),
    (lambda: abc_decay(ABCParameters(), 1e17, [2e-9, 1e-9]), "t"),
    (lambda: abc_decay(ABCParameters(), 1e17, [0.0], method="magic"), "method"),
    (lambda: abc_decay(ABCParameters(C=1e-28), 1e17, [0.0], method="closed"), "method"),
    (lambda: abc_decay(ABCParameters(), 1e17, [0.0], solver="RK45"), "solver"),
    (lambda: abc_decay("MAPbI3", 1e17, [0.0]), "params"),
    (lambda: plqy(ABCParameters(), -1e17), "n"),
    (lambda: langevin_rate("MAPbI3", permittivity="dynamic"), "permittivity"),
    (lambda: langevin_rate("unobtainium"), "material"),
    (lambda: TrapParameters(trap_depth=5.0), "trap_depth"),
    (lambda: TrapParameters(temperature=0.0), "temperature"),
    (lambda: TrapParameters(gamma_n=-1e-10), "gamma_n"),
    (lambda: TrapParameters(n_ler=float("nan")), "n_ler"),
    (lambda: TrapParameters(mass_electron=0.0), "mass_electron"),
    (lambda: trap_decay(TrapParameters(), -1.0, [0.0]), "n0"),
    (lambda: trap_decay(TrapParameters(), 0.0, [0.0, 1e-9]), "n0"),
    (lambda: trap_decay(TrapParameters(), 1e15, [0.0], initial_state=[1e15, 0, 0]),
     "initial_state"),
    (lambda: trap_decay(TrapParameters(), 1e15, [0.0], generation_rate=-1), "generation_rate"),
    (lambda: trap_steady_state(TrapParameters(), 0.0), "generation_rate"),
    (lambda: trap_steady_state(TrapParameters(B=0, C=0, gamma_p=0), 1e20), "params"),
    (lambda: periodic_steady_state(ABCParameters(), 0.0, 1e6), "n_pulse"),
    (lambda: periodic_steady_state(ABCParameters(), 1e15, -1.0), "repetition_rate"),
    (lambda: periodic_steady_state(ABCParameters(), 1e15, 1e6, points=1), "points"),
    (lambda: periodic_steady_state(object(), 1e15, 1e6), "model_params"),
    (lambda: pulse_train(ABCParameters(), 1e15, 1e6, 0), "pulses"),
    (lambda: gaussian_irf(np.linspace(0, 1e-8, 10), 0.0), "irf_fwhm"),
    (lambda: gaussian_irf(np.linspace(0, 1e-8, 10), 1e-9, center=-1.0), "irf_center"),
    (lambda: synthetic_trpl(np.linspace(0, 1e-8, 10), np.exp, 1e-9), "counts_peak"),
    (lambda: synthetic_trpl(np.linspace(0, 1e-8, 10), np.exp, 1e-9, counts_peak=1,
                            total_counts=1), "counts_peak"),
    (lambda: synthetic_trpl(np.array([0, 1e-9, 3e-9]), np.exp, 1e-9, counts_peak=1), "t_bins"),
    (lambda: synthetic_trpl(np.linspace(0, 1e-8, 10), np.exp, 1e-9, counts_peak=1,
                            background=-1), "background"),
    (lambda: synthetic_trpl(np.linspace(0, 1e-8, 10), "exp", 1e-9, counts_peak=1), "pl_model"),
    (lambda: TRPLData.from_arrays(np.linspace(0, 1e-8, 10), -np.ones(10)), "counts"),
    (lambda: TRPLData.from_arrays(np.linspace(0, 1e-8, 10), np.ones(10), irf=np.zeros(10)),
     "irf"),
])
def test_bad_inputs_raise_value_error_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=re.escape(name)):
        call()


def test_error_messages_give_value_and_range():
    with pytest.raises(ValueError, match=r"trap_depth must lie in \[0, 3\] eV, got 5"):
        TrapParameters(trap_depth=5)
    with pytest.raises(ValueError, match=r"n0 must be finite and > 0 cm\^-3, got -3"):
        abc_decay(ABCParameters(), -3, [0.0])


def test_parameter_dataclasses_are_frozen_and_results_carry_their_params():
    params = ABCParameters()
    with pytest.raises(AttributeError):
        params.A = 1.0
    result = abc_decay(params, 1e16, [0.0, 1e-9])
    assert result.params is params and result.n0 == 1e16
    trap = TrapParameters()
    assert trap.replace(n_ler=1e15).n_ler == 1e15 and trap.n_ler == 0.0
    assert TrapParameters.from_material("MAPbBr3").B == MATERIALS["MAPbBr3"].B


def test_every_source_key_is_in_the_chapter_bibliography():
    text = BIB.read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", text))
    for field_keys in SOURCES.values():
        for key in field_keys:
            assert key in keys, key
    for key in keys:  # every entry has a year and a title
        entry = text[text.index("{" + key + ","):].split("\n}", 1)[0]
        assert "title" in entry and "year" in entry, key


def test_repeated_times_are_accepted_by_every_solver_path():
    t = [0.0, 1e-9, 1e-9, 2e-9]
    auger = abc_decay(ABCParameters(A=1e7, B=1e-10, C=1e-28), 1e17, t)
    assert auger.n[1] == auger.n[2] and auger.n[3] < auger.n[1]
    trap = trap_decay(TrapParameters(), 1e15, t)
    assert trap.n[1] == trap.n[2] and trap.t.shape == (4,)
