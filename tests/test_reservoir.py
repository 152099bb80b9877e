"""Tests of lerbook.reservoir: closed forms, an independent ODE solver, conservation laws,
grid convergence, the lumped limit of the 2D model, and parameter validation."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from lerbook import reservoir as rv
from lerbook.reservoir import (
    SOURCES,
    EnergyBalance,
    Nanodomain2D,
    PiecewiseDrive,
    ReservoirKinetics,
    energy_balance,
    energy_balance_rate,
    heat_injection_2d,
    injected_power_density,
    reservoir_density,
    reservoir_density_rate,
    rise_rate,
    steady_state_density,
)

BIB = Path(__file__).resolve().parents[1] / "book" / "references.bib"


# --------------------------------------------------------------------------------------------
# PiecewiseDrive
# --------------------------------------------------------------------------------------------
def test_drive_converts_lists_to_tuples_and_builds_edges():
    drive = PiecewiseDrive([1.0, 2.0, 3.0], [5, 0, 7])
    assert drive.durations == (1.0, 2.0, 3.0)
    assert drive.levels == (5.0, 0.0, 7.0)
    assert isinstance(drive.levels[0], float)
    np.testing.assert_array_equal(drive.edges, [0.0, 1.0, 3.0, 6.0])
    assert drive.total_duration == 6.0
    assert hash(drive) == hash(PiecewiseDrive((1.0, 2.0, 3.0), (5.0, 0.0, 7.0)))


def test_drive_level_at_is_right_continuous_and_off_outside_the_drive():
    drive = PiecewiseDrive((1.0, 2.0, 3.0), (5.0, 0.0, 7.0))
    t = np.array([[-1.0, 0.0, 0.999], [1.0, 3.0, 5.999], [6.0, 100.0, 2.5]])
    expected = np.array([[0.0, 5.0, 5.0], [0.0, 7.0, 7.0], [0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(drive.level_at(t), expected)


def test_drive_helpers_build_the_expected_segments():
    assert PiecewiseDrive.constant(3.0, 2.0) == PiecewiseDrive((2.0,), (3.0,))
    assert PiecewiseDrive.on_off(3.0, 2.0, 4.0) == PiecewiseDrive((2.0, 4.0), (3.0, 0.0))
    wave = PiecewiseDrive.square_wave(1.0, 2.0, 3.0, cycles=3)
    assert wave.levels == (1.0, 0.0) * 3
    assert wave.total_duration == pytest.approx(15.0, rel=1e-15)


# --------------------------------------------------------------------------------------------
# _relax_piecewise: the exact solver both slow models use
# --------------------------------------------------------------------------------------------
def _solve_ivp_piecewise(rhs, drive, t_eval, y0):
    """Integrate segment by segment (restarting at each edge) with a tight-tolerance solver."""
    edges = np.append(drive.edges, 1.01 * max(t_eval.max(), drive.total_duration))
    levels = (*drive.levels, 0.0)
    y = y0
    out = np.empty_like(t_eval)
    for start, stop, level in zip(edges[:-1], edges[1:], levels, strict=True):
        inside = (t_eval >= start) & (t_eval < stop)
        sol = solve_ivp(lambda t, y, lv=level: rhs(t, y, lv), (start, stop), [y],
                        method="DOP853", rtol=1e-12, atol=1e-30, dense_output=True)
        assert sol.success
        out[inside] = sol.sol(t_eval[inside])[0]
        y = sol.y[0, -1]
    return out


def test_relax_piecewise_matches_solve_ivp_for_multisegment_saturating_drive():
    params = ReservoirKinetics(formation_yield=1e12, lifetime=30.0, max_density=1e16)
    p_half = params.half_saturation_power_density
    # Weak light, dark, strong light (deep in saturation: 50 p_1/2), moderate, dark tail.
    drive = PiecewiseDrive((40.0, 25.0, 60.0, 35.0), (0.3 * p_half, 0.0, 50 * p_half, 2 * p_half))
    t = np.linspace(0.0, 200.0, 801)
    exact = reservoir_density(params, drive, t, initial_density=2e15).density
    reference = _solve_ivp_piecewise(
        lambda t_, n, p: reservoir_density_rate(t_, n, params, p), drive, t, 2e15)
    np.testing.assert_allclose(exact, reference, rtol=1e-9, atol=0.0)
    # The strong segment really saturates: n comes within 3 % of n_max but stays below it.
    assert 0.97 * params.max_density < exact.max() < params.max_density


def test_relax_piecewise_matches_solve_ivp_for_energy_balance():
    params = EnergyBalance(interface_conductance=3e7)
    tau = params.lifetime
    drive = PiecewiseDrive((0.5 * tau, 2 * tau, 0.3 * tau), (40.0, 5.0, 300.0))
    t = np.linspace(0.0, 6 * tau, 301)
    exact = energy_balance(params, drive, t, initial_energy=1e-8).energy_density
    reference = _solve_ivp_piecewise(
        lambda t_, u, p: energy_balance_rate(t_, u, params, p), drive, t, 1e-8)
    np.testing.assert_allclose(exact, reference, rtol=1e-9, atol=0.0)


def test_relax_piecewise_ignores_time_order_and_keeps_shape():
    drive = PiecewiseDrive((1.0, 1.0), (2.0, 0.5))
    t = np.array([[2.5, 0.1], [1.0, 0.7]])
    values = rv._relax_piecewise(t, drive, lambda lv: lv, lambda lv: 1.0 + lv, initial=0.3)
    assert values.shape == (2, 2)
    for index in np.ndindex(t.shape):
        single = rv._relax_piecewise([t[index]], drive, lambda lv: lv, lambda lv: 1.0 + lv, 0.3)
        assert values[index] == pytest.approx(single[0], rel=1e-14)


def test_relax_piecewise_with_zero_rate_integrates_the_source_linearly():
    drive = PiecewiseDrive((2.0, 3.0), (4.0, 1.0))
    t = np.array([0.0, 1.0, 2.0, 4.0, 5.0, 7.0])
    values = rv._relax_piecewise(t, drive, lambda lv: lv, lambda lv: np.zeros_like(lv), 1.0)
    np.testing.assert_allclose(values, [1.0, 5.0, 9.0, 11.0, 12.0, 12.0], rtol=1e-15)


# --------------------------------------------------------------------------------------------
# Lumped energy balance
# --------------------------------------------------------------------------------------------
def test_lifetime_is_heat_capacity_times_size_over_six_conductances():
    params = EnergyBalance(domain_size_nm=30.0, interface_conductance=2e7, heat_capacity=1.5)
    expected = 1.5e6 * 30e-9 / (6 * 2e7)  # J m^-3 K^-1 * m / (W m^-2 K^-1)
    assert params.lifetime == pytest.approx(expected, rel=1e-14)


def test_energy_balance_steady_state_equals_p_times_tau():
    params = EnergyBalance()
    tau = params.lifetime
    p = 250.0
    result = energy_balance(params, PiecewiseDrive.constant(p, 100 * tau), [60 * tau, 90 * tau])
    np.testing.assert_allclose(result.energy_density, p * tau, rtol=1e-12)
    assert params.steady_state_energy_density(p) == pytest.approx(p * tau, rel=1e-15)


def test_energy_balance_rise_is_one_minus_exp_of_t_over_tau():
    params = EnergyBalance(domain_size_nm=12.0, interface_conductance=5e7)
    tau = params.lifetime
    p = 80.0
    t = tau * np.geomspace(0.01, 10.0, 60)
    result = energy_balance(params, PiecewiseDrive.constant(p, 20 * tau), t)
    expected = p * tau * (1.0 - np.exp(-t / tau))
    np.testing.assert_allclose(result.energy_density, expected, rtol=1e-12, atol=0.0)
    np.testing.assert_array_equal(result.power_density, p)


def test_energy_balance_decays_exponentially_after_switch_off():
    params = EnergyBalance()
    tau = params.lifetime
    p, t_on = 120.0, 1.7 * tau
    after = tau * np.linspace(0.0, 8.0, 41)
    result = energy_balance(params, PiecewiseDrive.on_off(p, t_on, 20 * tau), t_on + after)
    u_off = p * tau * (1.0 - math.exp(-t_on / tau))
    np.testing.assert_allclose(result.energy_density, u_off * np.exp(-after / tau),
                               rtol=1e-12, atol=0.0)
    np.testing.assert_array_equal(result.power_density, 0.0)


def test_energy_balance_initial_energy_decays_in_the_dark_and_sets_temperature():
    params = EnergyBalance(heat_capacity=1.3)
    tau = params.lifetime
    t = np.array([0.0, tau, 3 * tau])
    result = energy_balance(params, PiecewiseDrive.constant(0.0, tau), t, initial_energy=0.26)
    np.testing.assert_allclose(result.energy_density, 0.26 * np.exp(-t / tau), rtol=1e-13)
    np.testing.assert_allclose(result.temperature_rise, result.energy_density / 1.3, rtol=1e-15)
    assert result.temperature_rise[0] == pytest.approx(0.2, rel=1e-14)


def test_default_thermal_lifetime_is_sub_nanosecond_not_seconds():
    # The honesty check the book relies on: one domain stores heat for ps-ns only.
    tau = EnergyBalance().lifetime
    assert 1e-11 < tau < 2e-9


def test_injected_power_density_is_generation_times_excess_energy_times_charge():
    p = injected_power_density([1e21, 2e21], 1.0)
    np.testing.assert_allclose(p, [160.2176634, 320.4353268], rtol=1e-12)


# --------------------------------------------------------------------------------------------
# Slow reservoir-density kinetics
# --------------------------------------------------------------------------------------------
def test_reservoir_density_saturates_below_max_and_matches_steady_state_formula():
    params = ReservoirKinetics()
    p = 100 * params.half_saturation_power_density
    rate = float(rise_rate(params, p))
    t = np.linspace(0.0, 60.0 / rate, 200)
    result = reservoir_density(params, PiecewiseDrive.constant(p, t[-1] + 1.0), t)
    kappa, tau, n_max = params.formation_yield, params.lifetime, params.max_density
    n_ss = kappa * p / (kappa * p / n_max + 1.0 / tau)
    assert np.all(result.density < n_max)
    assert np.all(np.diff(result.density) >= 0)
    assert result.density[-1] == pytest.approx(n_ss, rel=1e-12)
    assert float(steady_state_density(params, p)) == pytest.approx(n_ss, rel=1e-14)
    assert float(params.steady_state(p)) == pytest.approx(n_max * 100 / 101, rel=1e-13)


def test_reservoir_density_approaches_steady_state_at_the_rise_rate():
    params = ReservoirKinetics(formation_yield=3e12, lifetime=90.0, max_density=5e15)
    p = 40.0
    rate = params.formation_yield * p / params.max_density + 1.0 / params.lifetime
    assert float(params.rise_rate(p)) == pytest.approx(rate, rel=1e-15)
    t = np.linspace(0.0, 5.0 / rate, 30)
    result = reservoir_density(params, PiecewiseDrive.constant(p, 10.0 / rate), t)
    n_ss = float(params.steady_state(p))
    np.testing.assert_allclose(result.density, n_ss * -np.expm1(-rate * t), rtol=1e-12)


def test_reservoir_density_recovers_in_the_dark_with_its_lifetime():
    params = ReservoirKinetics()
    t_on = 200.0
    after = np.linspace(0.0, 600.0, 25)
    result = reservoir_density(params, PiecewiseDrive.on_off(100.0, t_on, 600.0), t_on + after)
    np.testing.assert_allclose(result.density, result.density[0] * np.exp(-after / 120.0),
                               rtol=1e-12)
    np.testing.assert_allclose(result.relative_density, result.density / 1e16, rtol=1e-15)


def test_default_reservoir_kinetics_are_seconds_to_minutes():
    params = ReservoirKinetics()
    rise_time = 1.0 / float(params.rise_rate(100.0))
    assert 10.0 < rise_time < 600.0
    assert 60.0 <= params.lifetime <= 600.0


# --------------------------------------------------------------------------------------------
# 2D heat diffusion in a nanodomain
# --------------------------------------------------------------------------------------------
def test_2d_insulated_walls_conserve_energy_exactly():
    params = Nanodomain2D(outer_boundary="insulated", cells=24)
    p, t_end, t_inj = 5e7, 3e-9, 1.234e-9  # injection stops in the middle of a step
    result = heat_injection_2d(params, p, t_end, steps=70, injection_time=t_inj)
    injected = p * 1e6 * (20e-9) ** 2 * np.minimum(result.t, t_inj)  # W m^-3 * m^2 * s
    np.testing.assert_allclose(result.injected_energy, injected, rtol=1e-12, atol=0.0)
    np.testing.assert_allclose(result.energy_total[1:], result.injected_energy[1:],
                               rtol=1e-10, atol=0.0)
    assert result.energy_total[0] == 0.0
    # After the injection stops, heat keeps leaving the domain into the matrix.
    after = result.t > t_inj
    assert np.all(np.diff(result.energy_domain[after]) < 0)


def test_2d_domain_energy_converges_under_grid_refinement():
    energies = []
    for cells in (12, 24, 48):
        result = heat_injection_2d(Nanodomain2D(cells=cells), 1e8, 1e-9, steps=50)
        energies.append(result.energy_domain[-1])
    coarse, medium, fine = energies
    assert abs(fine - medium) < 0.5 * abs(medium - coarse)
    assert abs(fine - medium) < 0.02 * abs(fine)


def test_2d_decay_time_approaches_lumped_limit_when_conduction_is_fast():
    params = Nanodomain2D(k_domain=1e3, k_matrix=1e3, cells=24, outer_boundary="heat_sink")
    tau = params.lumped_lifetime
    assert tau == pytest.approx(1.25e6 * 20e-9 / (4 * 1e7), rel=1e-14)
    result = heat_injection_2d(params, 1e8, 4 * tau, steps=400, injection_time=tau)
    e = result.energy_domain
    i2, i4 = np.searchsorted(result.t, [2 * tau, 4 * tau])
    decay_time = (result.t[i4] - result.t[i2]) / math.log(e[i2] / e[i4])
    assert decay_time == pytest.approx(tau, rel=0.02)


def test_2d_heat_sink_walls_give_the_fundamental_dirichlet_decay_rate():
    # Uniform medium, no interface resistance: late-time decay is the (1, 1) sine mode of a
    # square with T = 0 walls, rate 2 pi^2 k / (C_v L^2). Backward Euler multiplies that mode by
    # exactly 1 / (1 + rate dt) per step, which removes the time-step error from the estimate.
    params = Nanodomain2D(k_domain=0.4, k_matrix=0.4, interface_conductance=1e15, cells=24)
    rate = 2 * math.pi**2 * 0.4 / (1.25e6 * (60e-9) ** 2)
    result = heat_injection_2d(params, 1e8, 6 / rate, steps=600, injection_time=0.1 / rate)
    e, dt = result.energy_total, result.t[1]
    estimate = (e[-2] / e[-1] - 1.0) / dt
    assert estimate == pytest.approx(rate, rel=5e-3)


def test_2d_domain_conductivity_sets_the_decay_of_a_domain_in_a_conducting_shell():
    # A domain filling the box except a one-cell, highly conductive matrix shell (a heat sink
    # at the domain edge), no interface resistance: the domain decays at the Dirichlet rate of
    # a square of side d built from k_domain, not k_matrix.
    params = Nanodomain2D(domain_size_nm=55.0, k_domain=0.4, k_matrix=100.0,
                          interface_conductance=1e15, cells=24)
    rate = 2 * math.pi**2 * 0.4 / (1.25e6 * (55e-9) ** 2)
    result = heat_injection_2d(params, 1e8, 6 / rate, steps=600, injection_time=0.1 / rate)
    e, dt = result.energy_domain, result.t[1]
    assert (e[-2] / e[-1] - 1.0) / dt == pytest.approx(rate, rel=1e-2)


def test_2d_lower_interface_conductance_stores_more_energy():
    stored = [heat_injection_2d(Nanodomain2D(interface_conductance=g), 1e8, 1e-9,
                                steps=40).energy_domain[-1]
              for g in (1e6, 1e7, 1e8, 1e9)]
    assert np.all(np.diff(stored) < 0)


def test_2d_heat_sink_removes_energy_and_field_keeps_square_symmetry():
    result = heat_injection_2d(Nanodomain2D(cells=24), 1e8, 2e-9, steps=40)
    assert np.all(result.energy_total[1:] < result.injected_energy[1:])
    final = result.temperature_rise[-1]
    assert final.min() >= 0.0
    np.testing.assert_allclose(final, final.T, rtol=1e-10, atol=1e-14 * final.max())
    np.testing.assert_allclose(final, final[::-1, :], rtol=1e-10, atol=1e-14 * final.max())
    # Hottest at the centre of the domain.
    centre = final.shape[0] // 2
    assert final.max() == pytest.approx(final[centre - 1:centre + 1, centre - 1:centre + 1].max())


def test_2d_result_axes_shapes_and_fraction_in_domain():
    params = Nanodomain2D(cells=12)
    result = heat_injection_2d(params, 1e8, 1e-9, steps=10)
    assert result.t.shape == (11,) and result.t[0] == 0.0 and result.t[-1] == 1e-9
    assert result.temperature_rise.shape == (11, 12, 12)
    np.testing.assert_allclose(result.x_nm, 2.5 + 5.0 * np.arange(12), rtol=1e-15)
    fraction = result.fraction_in_domain
    assert np.isnan(fraction[0])
    assert np.all((fraction[1:] > 0) & (fraction[1:] <= 1))
    assert np.all(np.diff(fraction[1:]) < 0)


def test_2d_factorisation_is_cached_per_params_and_dt():
    params = Nanodomain2D(cells=12, interface_conductance=4.2e7)
    first = rv._backward_euler_lu(params, 1e-11)
    again = rv._backward_euler_lu(Nanodomain2D(cells=12, interface_conductance=4.2e7), 1e-11)
    other = rv._backward_euler_lu(params, 2e-11)
    assert first is again
    assert first is not other




def test_valid_domain_sizes_all_construct():
    for size in Nanodomain2D.valid_domain_sizes(60.0, 24):
        assert Nanodomain2D(domain_size_nm=size, cells=24).domain_mask.sum() == (
            round(size / 2.5) ** 2)


# --------------------------------------------------------------------------------------------
# Validation: every bad value names its parameter
# --------------------------------------------------------------------------------------------
BAD_PARAMETERS = [
    (lambda: PiecewiseDrive((1.0, 2.0), (1.0,)), "levels"),
    (lambda: PiecewiseDrive((), ()), "durations"),
    (lambda: PiecewiseDrive((1.0, 0.0), (1.0, 1.0)), r"durations\[1\]"),
    (lambda: PiecewiseDrive((1.0,), (-1.0,)), r"levels\[0\]"),
    (lambda: PiecewiseDrive((math.nan,), (1.0,)), r"durations\[0\]"),
    (lambda: PiecewiseDrive((1.0,), (math.inf,)), r"levels\[0\]"),
    (lambda: PiecewiseDrive(1.0, 1.0), "durations"),
    (lambda: PiecewiseDrive.square_wave(1.0, 1.0, 1.0, cycles=0), "cycles"),
    (lambda: EnergyBalance(domain_size_nm=-20.0), "domain_size_nm"),
    (lambda: EnergyBalance(interface_conductance=0.0), "interface_conductance"),
    (lambda: EnergyBalance(heat_capacity=math.nan), "heat_capacity"),
    (lambda: EnergyBalance(heat_capacity=math.inf), "heat_capacity"),
    (lambda: energy_balance(EnergyBalance(), PiecewiseDrive.constant(1.0, 1.0), [-1.0]), "t"),
    (lambda: energy_balance(EnergyBalance(), PiecewiseDrive.constant(1.0, 1.0), [1.0],
                            initial_energy=-1.0), "initial_energy"),
    (lambda: injected_power_density(-1e21, 0.5), "generation_rate"),
    (lambda: injected_power_density(1e21, math.nan), "excess_energy"),
    (lambda: ReservoirKinetics(formation_yield=0.0), "formation_yield"),
    (lambda: ReservoirKinetics(lifetime=-5.0), "lifetime"),
    (lambda: ReservoirKinetics(max_density=math.inf), "max_density"),
    (lambda: reservoir_density(ReservoirKinetics(), PiecewiseDrive.constant(1.0, 1.0), [0.0],
                               initial_density=2e16), "initial_density"),
    (lambda: steady_state_density(ReservoirKinetics(), -1.0), "power_density"),
    (lambda: Nanodomain2D(domain_size_nm=80.0), "domain_size_nm"),
    (lambda: Nanodomain2D(domain_size_nm=60.0), "domain_size_nm"),
    (lambda: Nanodomain2D(domain_size_nm=21.0), "domain_size_nm"),
    (lambda: Nanodomain2D(domain_size_nm=18.75), "domain_size_nm"),  # odd cell count
    (lambda: Nanodomain2D(box_size_nm=0.0), "box_size_nm"),
    (lambda: Nanodomain2D(k_domain=-0.4), "k_domain"),
    (lambda: Nanodomain2D(k_matrix=math.nan), "k_matrix"),
    (lambda: Nanodomain2D(interface_conductance=math.inf), "interface_conductance"),
    (lambda: Nanodomain2D(heat_capacity=0.0), "heat_capacity"),
    (lambda: Nanodomain2D(cells=2), "cells"),
    (lambda: Nanodomain2D(cells=48.0), "cells"),
    (lambda: Nanodomain2D(outer_boundary="periodic"), "outer_boundary"),
    (lambda: heat_injection_2d(Nanodomain2D(cells=12), -1.0, 1e-9), "power_density"),
    (lambda: heat_injection_2d(Nanodomain2D(cells=12), 1.0, 0.0), "t_end"),
    (lambda: heat_injection_2d(Nanodomain2D(cells=12), 1.0, 1e-9, steps=0), "steps"),
    (lambda: heat_injection_2d(Nanodomain2D(cells=12), 1.0, 1e-9, injection_time=-1e-9),
     "injection_time"),
]


@pytest.mark.parametrize(("make", "name"), BAD_PARAMETERS)
def test_bad_parameters_raise_value_error_naming_the_parameter(make, name):
    with pytest.raises(ValueError, match=name):
        make()


def test_misaligned_domain_error_suggests_nearest_valid_sizes():
    with pytest.raises(ValueError, match=r"nearest valid values: 20, 22\.5 nm"):
        Nanodomain2D(domain_size_nm=21.0)


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------
def test_every_source_key_has_a_bibtex_entry_with_a_doi():
    text = BIB.read_text(encoding="utf-8")
    entries = dict(re.findall(r"@\w+\{([^,]+),(.*?)\n\}", text, flags=re.S))
    keys = {key for group in SOURCES.values() for key in group}
    assert keys, "SOURCES is empty"
    for key in keys:
        assert key in entries, f"{key} missing from {BIB.name}"
        assert re.search(r"doi\s*=\s*\{10\.\d{4,}/", entries[key]), f"{key} has no DOI"


def test_2d_solution_converges_first_order_in_the_time_step():
    params = Nanodomain2D(cells=24)
    finals = [heat_injection_2d(params, 1e8, 2e-9, steps=steps, injection_time=1e-9)
              .energy_domain[-1] for steps in (25, 50, 100, 200)]
    errors = np.abs(np.diff(finals))
    # Backward Euler: each halving of the step roughly halves the change.
    assert np.all(errors[1:] < 0.6 * errors[:-1])
    assert errors[-1] < 0.02 * abs(finals[-1])


@pytest.mark.parametrize("make, name", [
    (lambda: Nanodomain2D(domain_size_nm=1e-10), "domain_size_nm"),
    (lambda: Nanodomain2D(cells=10_000), "cells"),
    (lambda: heat_injection_2d(Nanodomain2D(cells=12), 1e8, 1e-9, steps=10**7), "steps"),
])
def test_degenerate_or_oversized_2d_inputs_raise(make, name):
    with pytest.raises(ValueError, match=name):
        make()
