"""Hot-carrier cooling: detailed balance, energy conservation, the literature cooling times,
the hot-phonon bottleneck, Auger heating and the reservoir's reheating."""

import dataclasses
import doctest
import itertools
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import lerbook.cooling as cooling
from lerbook.cooling import (
    COOLING_PRESETS,
    CoolingParameters,
    bose_occupation,
    cooling_jacobian,
    cooling_parameters,
    cooling_rate,
    cooling_time,
    cooling_times,
    energy_budget,
    energy_flows,
    froehlich_coupling,
    initial_carrier_temperature,
    lo_emission_time,
    lo_temperature,
    simulate_cooling,
    simulate_cooling_sweep,
)
from lerbook.materials import get_material
from lerbook.recombination import effective_density_of_states
from lerbook.units import BOLTZMANN_EV, ELEMENTARY_CHARGE

KB = BOLTZMANN_EV
MAPI = cooling_parameters("MAPbI3")
BIB = Path(__file__).resolve().parents[1] / "book" / "references.bib"


def state(n, carrier_temperature, occupation, acoustic_temperature):
    """The model state (n, u, N_LO, T_A) with u = 3 kB Tc n."""
    return np.array([n, 3 * KB * carrier_temperature * n, occupation, acoustic_temperature])


# ---- phonon statistics and parameters ------------------------------------------------------
def test_lo_occupation_at_300_k_for_11p5_mev_is_the_bose_value():
    # The issue quotes 1.77; its own formula gives 1.785 (kB T = 25.852 meV at 300 K).
    expected = 1 / (math.exp(0.0115 / 0.025852) - 1)
    assert bose_occupation(0.0115, 300.0) == pytest.approx(expected, rel=1e-4)
    assert bose_occupation(0.0115, 300.0) == pytest.approx(1.785, abs=1e-3)
    assert MAPI.lo_occupation_equilibrium == pytest.approx(expected, rel=1e-4)


def test_bose_occupation_underflows_to_zero_instead_of_overflowing_at_low_temperature():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert bose_occupation(0.0153, 0.05) == 0.0
        assert bose_occupation(0.0115, 4.0) == pytest.approx(math.exp(-0.0115 / (KB * 4)))


def test_lo_temperature_inverts_bose_occupation():
    temperatures = np.array([4.0, 77.0, 300.0, 1000.0, 5000.0])
    occupations = bose_occupation(0.0115, temperatures)
    assert lo_temperature(occupations, 0.0115) == pytest.approx(temperatures, rel=1e-10)
    assert lo_temperature(0.0, 0.0115) == 0.0


def test_froehlich_coupling_matches_hand_calculation_and_frost():
    # alpha = sqrt(Ry m*/hbar w)(1/eps_inf - 1/eps_s), Ry = 13.6057 eV.
    hand = math.sqrt(13.605693 * 0.208 / 0.0115) * (1 / 5.0 - 1 / 33.5)
    assert froehlich_coupling(5.0, 33.5, 0.208, 0.0115) == pytest.approx(hand, rel=1e-5)
    # Frost 2017: eps_inf 4.5, eps_s 24.1, 2.25 THz, m = 0.12 -> alpha = 2.39.
    hbar_w = 4.135667696e-15 * 2.25e12
    assert froehlich_coupling(4.5, 24.1, 0.12, hbar_w) == pytest.approx(2.39, abs=0.01)


@pytest.mark.parametrize("name", ["MAPbI3", "CsPbBr3"])
def test_lo_emission_time_is_tens_of_fs_inside_the_ab_initio_range(name):
    tau = lo_emission_time(name)
    assert 6e-15 <= tau <= 30e-15  # Schlipf et al. 2018: 6-30 fs
    assert COOLING_PRESETS[name]["tau_em"].value == tau


def test_emission_rate_ratio_quoted_in_lo_emission_time_docstring():
    # W / (alpha w) = sqrt(hw/E) ln(4E/hw) from E = 5 to 30 hw: 1.34 down to 0.87 (~30 %).
    x = np.linspace(5.0, 30.0, 251)
    ratio = np.log(4 * x) / np.sqrt(x)
    assert ratio.max() == pytest.approx(1.34, abs=0.005)
    assert ratio.min() == pytest.approx(0.87, abs=0.005)
    assert "1.34" in lo_emission_time.__doc__ and "0.87" in lo_emission_time.__doc__


def test_band_edge_density_of_states_of_mapbi3_makes_1e18_degenerate_near_300_k():
    n_c = effective_density_of_states(0.208, 300.0)
    assert n_c == pytest.approx(2.38e18, rel=0.01)
    np.testing.assert_allclose(effective_density_of_states(0.208, [300.0, 1200.0]),
                               [n_c, 8 * n_c], rtol=1e-12)  # N_c ~ T^(3/2)
    for bad in ((0.0, 300.0), (0.208, 0.0), (0.208, -1.0)):
        with pytest.raises(ValueError):
            effective_density_of_states(*bad)


def test_low_density_cooling_time_depends_only_weakly_on_m_lo():
    times = [cooling_times(dataclasses.replace(MAPI, M_LO=m), [1e17],
                           initial_temperature=1000.0)[0] for m in (2e18, 1e21)]
    assert times[0] == pytest.approx(0.216e-12, rel=0.01)
    assert times[1] == pytest.approx(0.197e-12, rel=0.01)


def test_acoustic_heat_capacity_is_three_kb_per_formula_unit():
    per_formula_unit = 3 * 1.380649e-23 / 247.5e-24  # J K^-1 / cm^3
    assert cooling.acoustic_heat_capacity(247.5) == pytest.approx(per_formula_unit, rel=1e-10)
    assert MAPI.acoustic_heat_capacity == pytest.approx(0.1674, abs=1e-4)


def test_every_preset_value_has_a_basis_and_sources_in_the_chapter_bibliography():
    keys = set(re.findall(r"@\w+\{([^,\s]+),", BIB.read_text()))
    for name, preset in COOLING_PRESETS.items():
        assert set(preset) == {"tau_em", "tau_lo", "M_LO", "acoustic_heat_capacity", "tau_diss"}
        for field, entry in preset.items():
            assert entry.basis in {"measured", "fitted", "derived", "analogue", "chosen"}
            assert entry.sources and set(entry.sources) <= keys, (name, field, entry.sources)
            assert entry.note
            cooling_parameters(name, **{field: entry.value})  # the value passes validation


def test_cooling_parameters_combine_material_values_with_the_cooling_preset():
    material = get_material("CsPbBr3")
    params = cooling_parameters("CsPbBr3", reservoir_factor=10.0)
    assert params.band_gap == material.band_gap
    assert params.lo_phonon_energy == material.lo_phonon_energy
    assert (params.A, params.B, params.C) == (material.A, material.B, material.C)
    assert params.tau_lo == COOLING_PRESETS["CsPbBr3"]["tau_lo"].value
    assert params.tau_diss_effective == pytest.approx(10 * params.tau_diss)


def test_cooling_parameters_need_all_cooling_values_for_a_material_without_preset():
    with pytest.raises(ValueError, match="tau_em"):
        cooling_parameters("FAPbI3")
    extra = {name: entry.value for name, entry in COOLING_PRESETS["MAPbI3"].items()}
    assert cooling_parameters("FAPbI3", **extra).band_gap == get_material("FAPbI3").band_gap
    with pytest.raises(ValueError, match="tau_typo"):
        cooling_parameters("MAPbI3", tau_typo=1.0)


@pytest.mark.parametrize(("field", "value"), [
    ("tau_em", 0.0), ("tau_em", float("nan")), ("tau_lo", -1e-12), ("M_LO", 1e30),
    ("acoustic_heat_capacity", 0.0), ("tau_diss", 0.0), ("tau_diss", -1.0),
    ("reservoir_factor", 0.5), ("T0", 0.0), ("T0", 5000.0), ("C", -1e-28),
    ("band_gap", 10.0), ("lo_phonon_energy", "a lot"),
])
def test_bad_parameters_raise_value_error_naming_the_parameter(field, value):
    with pytest.raises(ValueError, match=field):
        dataclasses.replace(MAPI, **{field: value})


def test_dissipation_can_be_switched_off_with_infinite_tau_diss():
    params = dataclasses.replace(MAPI, tau_diss=math.inf)
    assert params.tau_diss_effective == math.inf


# ---- the rate law ----------------------------------------------------------------------------
@pytest.mark.parametrize("y", [
    state(1e17, 1500.0, 1.8, 300.0),
    state(3e18, 900.0, 3.0, 310.0),
    state(1e19, 400.0, 0.5, 350.0),
    state(1e15, 20.0, 1e-4, 6.0),
])
def test_jacobian_matches_finite_differences(y):
    params = dataclasses.replace(MAPI, tau_diss=2e-11)
    numeric = np.empty((4, 4))
    for j in range(4):
        step = 1e-6 * abs(y[j])
        up, down = y.copy(), y.copy()
        up[j] += step
        down[j] -= step
        numeric[:, j] = (cooling_rate(0, up, params) - cooling_rate(0, down, params)) / (2 * step)
    analytic = cooling_jacobian(0, y, params)
    scale = np.abs(numeric).max(axis=1, keepdims=True)
    assert np.all(np.abs(analytic - numeric) <= 1e-5 * scale)


def test_net_lo_exchange_vanishes_when_the_lo_modes_are_bose_at_the_carrier_temperature():
    params = dataclasses.replace(MAPI, A=0.0, B=0.0, C=0.0)
    for temperature in (50.0, 300.0, 2000.0):
        occupation = bose_occupation(params.lo_phonon_energy, temperature)
        flows = energy_flows(state(1e18, temperature, occupation, temperature), params)
        emission_only = 2e18 * params.lo_phonon_energy / params.tau_em * ELEMENTARY_CHARGE
        assert abs(flows.carrier_to_lo) < 1e-12 * emission_only
        assert abs(flows.lo_to_acoustic) < 1e-12 * emission_only


def test_rates_vanish_at_equilibrium_at_t0():
    params = dataclasses.replace(MAPI, A=0.0, B=0.0, C=0.0, T0=77.0)
    y = state(1e18, 77.0, params.lo_occupation_equilibrium, 77.0)
    rates = cooling_rate(0.0, y, params)
    assert np.all(np.abs(rates) <= 1e-12 * np.abs(y) / params.tau_em)


def test_total_energy_changes_only_by_dissipation_and_recombination():
    rng = np.random.default_rng(3)
    for _ in range(20):
        y = state(10 ** rng.uniform(15, 20), rng.uniform(300, 5000), rng.uniform(0.1, 20),
                  rng.uniform(300, 400))
        params = MAPI
        dn, du, dnlo, dta = cooling_rate(0.0, y, params)
        capacity = params.acoustic_heat_capacity / ELEMENTARY_CHARGE
        d_energy = (dn * params.band_gap + du + params.M_LO * params.lo_phonon_energy * dnlo
                    + capacity * dta) * ELEMENTARY_CHARGE  # W cm^-3
        flows = energy_flows(y, params)
        losses = flows.acoustic_to_lattice + flows.recombination_loss
        scale = max(abs(flows.carrier_to_lo), abs(flows.lo_to_acoustic), flows.auger_heating)
        assert d_energy == pytest.approx(-losses, abs=1e-9 * scale)


# ---- simulations -----------------------------------------------------------------------------
@pytest.mark.parametrize("density", [1e16, 1e18, 1e19, 1e20])
def test_energy_is_conserved_to_1e_6_with_dissipation_off(density):
    params = dataclasses.replace(MAPI, tau_diss=math.inf, A=0.0, B=0.0)
    budget = energy_budget(simulate_cooling(params, density, params.band_gap + 1.0))
    relative = np.abs(budget.total / budget.total[0] - 1)
    assert relative.max() < 1e-6
    # Energy really moves: most of the kinetic energy ends in the acoustic bath, and Auger
    # turns pair energy into heat.
    assert budget.acoustic[-1] > 0.5 * budget.carriers[0]


def test_initial_carrier_temperature_shares_the_excess_energy_as_three_kb_per_pair():
    assert initial_carrier_temperature(MAPI, MAPI.band_gap + 0.3) == pytest.approx(
        300.0 + 0.3 / (3 * KB))
    assert initial_carrier_temperature(MAPI, MAPI.band_gap) == 300.0
    assert initial_carrier_temperature(MAPI) == 300.0


@pytest.mark.parametrize("density", [1e16, 1e17, 1e18])
def test_carriers_relax_to_t0_and_never_below_it(density):
    result = simulate_cooling(MAPI, density, MAPI.band_gap + 1.0)
    assert result.Tc.min() >= result.T0 * (1 - 1e-6)
    assert result.Tc[-1] - result.T0 < 1.0  # K, after 1 ns
    assert np.all(result.T_A >= result.T0 * (1 - 1e-6))


def test_cooling_time_is_sub_ps_near_1e17_as_measured_by_price():
    # Price et al. 2015: ~230 fs from an initial ~1000 K at low density.
    measured_start = cooling_time(simulate_cooling(MAPI, 1e17, initial_temperature=1000.0))
    assert 0.2e-12 <= measured_start <= 0.3e-12
    # Starting from the full excess energy of a 2.25 eV photon it is still sub-ps.
    from_pump = cooling_time(simulate_cooling(MAPI, 1e17, 2.25))
    assert from_pump < 1e-12


@pytest.mark.parametrize("start", [{"initial_temperature": 1000.0}, {"photon_energy": 2.25}])
def test_auger_heating_makes_cooling_near_1e19_at_least_20_times_slower(start):
    low, high = cooling_times(MAPI, [1e17, 1e19], **start)
    assert high >= 20 * low
    without_auger = cooling_times(dataclasses.replace(MAPI, C=0.0), [1e19], **start)[0]
    assert high > 1.5 * without_auger


def test_cooling_time_rises_with_initial_density():
    densities = np.geomspace(1e15, 1e20, 12)
    times = cooling_times(MAPI, densities, initial_temperature=1000.0)
    assert np.all(np.diff(times) > 0)


def test_hot_phonon_bottleneck_comes_from_the_finite_lo_mode_density():
    no_auger = dataclasses.replace(MAPI, C=0.0)
    many_modes = dataclasses.replace(no_auger, M_LO=1e23)
    start = {"initial_temperature": 1000.0}
    low = cooling_times(no_auger, [1e17], **start)[0]
    bottleneck = cooling_times(no_auger, [1e19], **start)[0]
    unbottled = cooling_times(many_modes, [1e19], **start)[0]
    assert bottleneck > 10 * low
    assert unbottled == pytest.approx(cooling_times(many_modes, [1e17], **start)[0], rel=0.05)


@pytest.mark.parametrize("auger", [True, False])
def test_reservoir_keeps_late_carriers_warmer_than_without_it(auger):
    params = MAPI if auger else dataclasses.replace(MAPI, C=0.0)
    conventional = simulate_cooling(params, 1e19, MAPI.band_gap + 0.68)
    reservoir = simulate_cooling(dataclasses.replace(params, reservoir_factor=100.0), 1e19,
                                 MAPI.band_gap + 0.68)
    late = conventional.t >= 100e-12
    excess_conventional = conventional.Tc[late] - conventional.T0
    excess_reservoir = reservoir.Tc[late] - reservoir.T0
    assert np.all(excess_reservoir > excess_conventional)
    if auger:
        # Auger heating keeps the carriers warm in both cases; the reservoir adds several K.
        assert np.all(excess_reservoir > excess_conventional + 2.0)
    else:
        # Without Auger heating the late warmth is returned reservoir energy.
        assert np.all(excess_reservoir > 10 * np.maximum(excess_conventional, 0.0))
    assert reservoir.reservoir_energy[late].min() > conventional.reservoir_energy[late].max()
    # The warm acoustic bath pumps LO phonons back (reverse Klemens, upconversion).
    upconversion = [energy_flows(y, reservoir.params).upconversion
                    for y in reservoir.state.T[late]]
    baseline = [energy_flows(y, conventional.params).upconversion
                for y in conventional.state.T[late]]
    assert min(upconversion) > 0
    assert np.trapezoid(upconversion, reservoir.t[late]) > 5 * np.trapezoid(
        baseline, conventional.t[late])


def test_reservoir_factor_and_a_longer_tau_diss_are_the_same_model():
    by_factor = simulate_cooling(dataclasses.replace(MAPI, reservoir_factor=100.0), 1e19, 2.0)
    by_time = simulate_cooling(dataclasses.replace(MAPI, tau_diss=5e-10), 1e19, 2.0)
    assert by_factor.Tc == pytest.approx(by_time.Tc, rel=1e-9)


def test_result_fields_are_consistent():
    result = simulate_cooling(MAPI, 1e18, 2.0)
    assert result.t[0] == 0.0 and result.t.shape == result.Tc.shape == result.T_LO.shape
    assert result.Tc[0] == pytest.approx(result.initial_temperature)
    assert result.T_LO == pytest.approx(lo_temperature(result.N_LO, MAPI.lo_phonon_energy))
    assert result.reservoir_energy == pytest.approx(
        MAPI.acoustic_heat_capacity * (result.T_A - MAPI.T0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.Tc = None


def test_cooling_time_interpolation_agrees_with_event_location():
    for density in (1e17, 1e18, 1e19):
        from_grid = cooling_time(simulate_cooling(MAPI, density, 2.2))
        from_event = cooling_times(MAPI, [density], 2.2)[0]
        assert from_grid == pytest.approx(from_event, rel=2e-3)


SWEEP = (1e16, 1e17, 10**17.5, 1e18, 10**18.5, 1e19, 10**19.5, 1e20)


@pytest.mark.parametrize("params", [MAPI, dataclasses.replace(MAPI, C=0.0, reservoir_factor=1e4)],
                         ids=["auger", "reservoir"])
def test_cooling_sweep_matches_one_run_per_density(params):
    t = cooling.default_time_grid(1e-9, 150)
    start = dict(initial_temperature=1000.0, t=t)
    swept = simulate_cooling_sweep(params, SWEEP, rtol=1e-7, **start)
    assert [run.initial_density for run in swept] == list(SWEEP)
    for run in swept:  # both converged: they agree to well within either's tolerance
        alone = simulate_cooling(params, run.initial_density, rtol=1e-7, **start)
        np.testing.assert_allclose(run.Tc, alone.Tc, rtol=1e-5)
        np.testing.assert_allclose(run.n, alone.n, rtol=1e-5)
        np.testing.assert_allclose(run.T_A, alone.T_A, rtol=1e-6)
        assert cooling_time(run) == pytest.approx(cooling_time(alone), rel=1e-5)
    # At a loose tolerance (the explorer's 1e-3) a sweep is as accurate as one run per
    # density: the shared steps follow the fastest run, the error norm is tightened.
    loose = simulate_cooling_sweep(params, SWEEP, rtol=1e-3, **start)
    alone = [simulate_cooling(params, n, rtol=1e-3, **start) for n in SWEEP]

    def worst(runs):
        return (max(abs(cooling_time(run) / cooling_time(ref) - 1)
                    for run, ref in zip(runs, swept, strict=True)),
                max(np.max(np.abs(run.Tc - ref.Tc)) for run, ref in zip(runs, swept, strict=True)))

    (time_error, tc_error), (time_alone, tc_alone) = worst(loose), worst(alone)
    assert time_error <= max(time_alone, 1e-5) and time_error < 1e-3
    assert tc_error <= 1.5 * tc_alone  # [K], a few K at the 1000 K start


@pytest.mark.parametrize("densities, kwargs, message", [
    ([1e17, 1e23], {}, "initial_density"),
    ([[1e17, 1e18]], {}, "initial_densities"),
    ([], {}, "initial_densities"),
    ([1e17], {"rtol": 0.5}, "rtol"),
    ([1e17], {"t": [0.0, 1e-12, 1e-13]}, "t"),
    ([1e17], {"photon_energy": 2.2, "initial_temperature": 900.0}, "not both"),
])
def test_cooling_sweep_rejects_bad_input_by_name(densities, kwargs, message):
    with pytest.raises(ValueError, match=message):
        simulate_cooling_sweep(MAPI, densities, **kwargs)
    with pytest.raises(ValueError, match="params"):
        simulate_cooling_sweep(None, [1e17])


def test_cooling_time_is_inf_if_the_window_is_too_short_and_zero_without_excess():
    short = simulate_cooling(MAPI, 1e19, 2.5, t=np.linspace(0, 1e-13, 20))
    assert cooling_time(short) == math.inf
    assert cooling_times(MAPI, [1e19], 2.5, t_max=1e-13)[0] == math.inf
    assert cooling_time(simulate_cooling(MAPI, 1e17, MAPI.band_gap)) == 0.0
    # A grid that does not start at 0 still counts t = 0 as the start.
    offset = simulate_cooling(MAPI, 1e17, initial_temperature=1000.0,
                              t=np.linspace(1e-13, 2e-12, 400))
    assert cooling_time(offset) == pytest.approx(0.216e-12, rel=0.03)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"initial_density": 0.0}, "initial_density"),
    ({"initial_density": 1e25}, "initial_density"),
    ({"initial_density": float("nan")}, "initial_density"),
    ({"photon_energy": 1.0}, "photon_energy"),
    ({"photon_energy": 2.0, "initial_temperature": 900.0}, "not both"),
    ({"initial_temperature": 100.0}, "initial_temperature"),
    ({"t": [0.0, 1e-12, 5e-13]}, "t must"),
    ({"t": [-1e-12, 1e-12]}, "t must"),
    ({"t": [[0.0, 1.0]]}, "t must"),
    ({"t": [0.0, 1.0]}, "t must"),
    ({"rtol": 0.5}, "rtol"),
])
def test_simulation_rejects_bad_inputs_with_a_clear_message(kwargs, name):
    arguments = {"initial_density": 1e18} | kwargs
    with pytest.raises(ValueError, match=name):
        simulate_cooling(MAPI, **arguments)


def test_functions_reject_wrong_types():
    with pytest.raises(ValueError, match="CoolingParameters"):
        simulate_cooling(get_material("MAPbI3"), 1e18)
    with pytest.raises(ValueError, match="CoolingResult"):
        cooling_time(MAPI)
    with pytest.raises(ValueError, match="energy and temperature"):
        bose_occupation(0.0115, -3.0)


@pytest.mark.parametrize(("material", "density", "excess", "tau_diss", "t0"), list(
    itertools.product(["MAPbI3", "CsPbBr3"], [1e15, 1e20], [0.0, 1.5], [1e-12, 1e-8],
                      [4.0, 400.0])))
def test_explorer_extremes_stay_finite_without_warnings(material, density, excess, tau_diss, t0):
    params = cooling_parameters(material, tau_diss=tau_diss, T0=t0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = simulate_cooling(params, density, params.band_gap + excess)
        time_constant = cooling_time(result)
    for name in ("n", "Tc", "N_LO", "T_LO", "T_A", "reservoir_energy"):
        assert np.all(np.isfinite(getattr(result, name))), name
    assert result.Tc.min() >= t0 * (1 - 1e-5)
    assert time_constant >= 0.0




def test_docstring_examples_run():
    assert doctest.testmod(cooling).failed == 0


def test_cooling_parameters_type_is_the_model_parameters():
    assert isinstance(MAPI, CoolingParameters)
