"""Anti-Stokes photoluminescence: rates against their closed forms, the Urbach ceiling, the
Arrhenius slope, slopes and ratios of the power dependence, the spectrum's consistency with
the absorption, the cooling balance, and the reservoir's history."""

import doctest
import math

import numpy as np
import pytest

from lerbook import recombination, reservoir, spectra, upconversion
from lerbook.fitting import fit_arrhenius, fit_power_law
from lerbook.units import BOLTZMANN_EV, ELEMENTARY_CHARGE
from lerbook.upconversion import (
    ABCParameters,
    TrapParameters,
    UpconversionParameters,
    anti_stokes_spectrum,
    band_recombination,
    chopping_response,
    cooling_balance,
    cooling_threshold,
    heat_power_density,
    matched_two_photon_coefficient,
    one_photon_generation,
    power_dependence,
    reservoir_history,
    temperature_dependence,
    two_photon_generation,
    upconversion_rates,
)

POWERS = np.geomspace(0.1, 1e5, 13)  # mW cm^-2
#: A band that recombines only radiatively: PL = G exactly, so ratios show the pump's order.
LINEAR_BAND = ABCParameters(A=0.0, B=9e-11, C=0.0)


def kt(temperature=295.0):
    return BOLTZMANN_EV * temperature


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------
def test_defaults_come_from_the_material_and_are_illustrative_elsewhere():
    params = UpconversionParameters()
    assert params.material.name == "MAPbI3"
    assert (params.band_gap, params.urbach_energy, params.lo_phonon_energy) == (1.57, 0.015,
                                                                                0.0115)
    assert params.phonon_attempt_rate == pytest.approx(0.0115 / 4.135667696e-15)
    assert isinstance(params.band_model, TrapParameters)
    assert "upconversion" in upconversion.__doc__.lower()


def test_trap_band_model_takes_the_samples_temperature_and_reservoir_density_only_on_request():
    params = UpconversionParameters(temperature=200.0, n_ler=3e15)
    model = params.recombination
    assert (model.temperature, model.n_ler) == (200.0, 0.0)
    model = params.replace(reservoir_detrapping=True).recombination
    assert (model.temperature, model.n_ler) == (200.0, 3e15)
    with pytest.raises(ValueError, match="reservoir_detrapping"):
        UpconversionParameters(reservoir_detrapping="yes")


def test_reservoir_detrapping_separates_band_pl_from_upconversion():
    # At 100 meV, n_LER = 1e17 barely moves eta but (through detrapping) raises the PL tenfold.
    base = UpconversionParameters()
    lit = base.replace(n_ler=1e17)
    both = lit.replace(reservoir_detrapping=True)
    eta0, eta1 = (upconversion_rates(p, 0.1).efficiency for p in (base, lit))
    assert eta0 == pytest.approx(0.845, abs=1e-3) and eta1 == pytest.approx(0.866, abs=1e-3)
    pl0, pl1, pl2 = (anti_stokes_spectrum(p, 0.1, 1e3).pl for p in (base, lit, both))
    assert 1.0 < pl1 / pl0 < 1.1   # the upconversion step alone
    assert pl2 / pl0 > 5.0         # the band model's detrapping term
    abc = ABCParameters()
    assert UpconversionParameters(band_model=abc).recombination is abc


@pytest.mark.parametrize("changes, name", [
    (dict(temperature=5.0), "temperature"),
    (dict(loss_rate=0.0), "loss_rate"),
    (dict(attempt_rate=-1.0), "attempt_rate"),
    (dict(k_sigma=-1e-7), "k_sigma"),
    (dict(n_ler=-1.0), "n_ler"),
    (dict(reservoir_temperature=0.0), "reservoir_temperature"),
    (dict(two_photon_coefficient=float("nan")), "two_photon_coefficient"),
    (dict(band_model="traps"), "band_model"),
    (dict(material="unobtainium"), "material"),
])
def test_bad_parameters_raise_naming_the_parameter(changes, name):
    with pytest.raises(ValueError, match=name):
        UpconversionParameters(**changes)


@pytest.mark.parametrize("call, name", [
    (lambda p: upconversion_rates(p, -0.1), "detuning"),
    (lambda p: upconversion_rates(p, 0.8), "detuning"),
    (lambda p: one_photon_generation(p, 0.1, 0.0), "power_density"),
    (lambda p: power_dependence(p, 0.1, POWERS, paths=("photons",)), "paths"),
    (lambda p: cooling_balance(p, [0.1], 1.2), "external_quantum_efficiency"),
    (lambda p: cooling_balance(p, [0.1], 0.9, background_absorption=-1), "background"),
    (lambda p: band_recombination(p, [-1.0]), "generation_rate"),
    (lambda p: temperature_dependence(p, 0.1, [5.0, 100.0, 200.0]), "temperature"),
    (lambda p: chopping_response(p, reservoir.ReservoirKinetics(), 0.1, 10.0, [1.0],
                                 duty_cycle=1.0), "duty_cycle"),
])
def test_bad_inputs_raise_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call(UpconversionParameters())


# ---------------------------------------------------------------------------------------------
# Rates, the Urbach ceiling and the reservoir path
# ---------------------------------------------------------------------------------------------
def test_rates_match_their_closed_forms():
    params = UpconversionParameters(n_ler=2e15)
    detuning = np.array([0.0, 0.05, 0.1, 0.22])
    rates = upconversion_rates(params, detuning)
    k_ph = params.phonon_attempt_rate * np.exp(-detuning / kt())
    k_res = params.k_sigma * params.n_ler
    assert rates.phonon_rate == pytest.approx(k_ph, rel=1e-12)
    assert rates.reservoir_rate == pytest.approx(np.full(4, k_res))
    assert rates.efficiency == pytest.approx((k_ph + k_res) / (k_ph + k_res + 1e10), rel=1e-12)
    assert rates.phonon_efficiency == pytest.approx(k_ph / (k_ph + 1e10), rel=1e-12)
    assert rates.phonons_absorbed[-1] == pytest.approx(0.22 / 0.0115)


def test_urbach_absorption_not_thermal_escape_limits_large_shifts():
    rates = upconversion_rates(UpconversionParameters(), 0.220)
    assert rates.absorption_factor == pytest.approx(math.exp(-220 / 15), rel=1e-12)
    # A tail carrier 220 meV down still escapes at ~5e8 s^-1, a few per cent of the loss rate:
    assert 1e8 < rates.phonon_rate < 1e9
    assert rates.phonon_efficiency > 1e4 * rates.absorption_factor
    # On a log scale absorption costs more than four times what escape costs ...
    assert -math.log(rates.absorption_factor) > 4 * -math.log(rates.phonon_efficiency)
    # ... and per meV of detuning the Urbach tail (1/E_U) beats the Boltzmann factor (1/kT).
    detuning = np.linspace(0.18, 0.26, 9)
    deep = upconversion_rates(UpconversionParameters(), detuning)
    slope = -np.polyfit(detuning, np.log(deep.phonon_relative_yield), 1)[0]
    assert slope == pytest.approx(1 / 0.015 + 1 / kt(), rel=0.05)
    assert 1 / 0.015 > 1 / kt()


@pytest.mark.parametrize("n_ler", [0.0, 1e15, 1e16, 1e17, 1e19])
def test_the_reservoir_raises_the_yield_but_never_above_the_absorption_ceiling(n_ler):
    detuning = np.linspace(0.0, 0.3, 31)
    base = upconversion_rates(UpconversionParameters(), detuning)
    lit = upconversion_rates(UpconversionParameters(n_ler=n_ler), detuning)
    assert np.all(lit.relative_yield <= lit.absorption_factor * (1 + 1e-12))
    assert np.all(lit.relative_yield >= base.relative_yield * (1 - 1e-12))
    if n_ler > 0:
        assert lit.relative_yield[-1] > 2 * base.relative_yield[-1]


def test_a_reservoir_temperature_makes_the_reservoir_rate_thermally_activated():
    params = UpconversionParameters(n_ler=1e16, reservoir_temperature=600.0)
    rates = upconversion_rates(params, np.array([0.1, 0.2]))
    expected = 1e-7 * 1e16 * np.exp(-np.array([0.1, 0.2]) / (BOLTZMANN_EV * 600.0))
    assert rates.reservoir_rate == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Temperature dependence
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("detuning", [0.05, 0.1, 0.22])
def test_arrhenius_slope_of_the_phonon_path_recovers_the_detuning(detuning):
    scan = temperature_dependence(UpconversionParameters(), detuning,
                                  np.linspace(100.0, 350.0, 26))
    assert scan.phonon_fit.activation_energy == pytest.approx(detuning, rel=0.02)
    assert scan.phonon_fit.linearized


def test_plain_log_efficiency_also_gives_the_detuning_where_the_efficiency_is_low():
    temps = np.linspace(150.0, 250.0, 11)
    scan = temperature_dependence(UpconversionParameters(), 0.22, temps)
    assert np.max(scan.phonon_efficiency) < 0.02
    raw = fit_arrhenius(temps, scan.phonon_efficiency, linearize=False)
    assert raw.activation_energy == pytest.approx(0.22, rel=0.02)


def test_phonon_efficiency_falls_as_exp_minus_detuning_over_kt():
    temps = np.array([120.0, 160.0, 200.0])
    scan = temperature_dependence(UpconversionParameters(), 0.15, temps)
    odds = scan.phonon_efficiency / (1 - scan.phonon_efficiency)
    expected = UpconversionParameters().phonon_attempt_rate / 1e10 * np.exp(
        -0.15 / (BOLTZMANN_EV * temps))
    assert odds == pytest.approx(expected, rel=1e-9)


def test_a_reservoir_flattens_the_arrhenius_plot_at_low_temperature():
    temps = np.linspace(80.0, 350.0, 28)
    scan = temperature_dependence(UpconversionParameters(n_ler=1e16), 0.1, temps)
    floor = 1e-7 * 1e16 / (1e-7 * 1e16 + 1e10)
    assert scan.efficiency[0] == pytest.approx(floor, rel=5e-3)  # phonons nearly frozen out
    assert scan.fit.activation_energy < 0.6 * 0.1
    assert scan.phonon_fit.activation_energy == pytest.approx(0.1, rel=1e-6)


def test_fits_are_exact_on_exact_data():
    t = np.array([150.0, 200.0, 250.0, 300.0])
    eta = 1 / (1 + 30 * np.exp(0.12 / (BOLTZMANN_EV * t)))
    fit = fit_arrhenius(t, eta)
    assert fit.activation_energy == pytest.approx(0.12, rel=1e-10)
    assert fit.prefactor == pytest.approx(1 / 30, rel=1e-8)
    x = np.geomspace(1, 1e4, 7)
    power = fit_power_law(x, 5 * x**1.7)
    assert (power.slope, power.prefactor) == (pytest.approx(1.7), pytest.approx(5.0))
    with pytest.raises(ValueError, match="efficiency"):
        fit_arrhenius(t, np.array([0.1, 0.2, 1.0, 0.3]))
    with pytest.raises(ValueError, match="log-log"):
        fit_power_law(x, -x)


# ---------------------------------------------------------------------------------------------
# Generation and band recombination
# ---------------------------------------------------------------------------------------------
def test_generation_rates_match_their_formulas():
    params = UpconversionParameters()
    pump = params.band_gap - 0.1
    photon_flux = 1.0 / (pump * ELEMENTARY_CHARGE)  # 1 W cm^-2
    alpha = 5e4 * math.exp(-0.1 / 0.015)
    assert one_photon_generation(params, 0.1, 1e3) == pytest.approx(alpha * photon_flux,
                                                                      rel=1e-10)
    assert two_photon_generation(params, 0.1, 1e3) == pytest.approx(
        1e-8 * 1.0 / (2 * pump * ELEMENTARY_CHARGE), rel=1e-12)


def test_matched_two_photon_coefficient_gives_equal_band_generation():
    params = UpconversionParameters()
    beta = matched_two_photon_coefficient(params, 0.1, 100.0)
    matched = params.replace(two_photon_coefficient=beta)
    eta = upconversion_rates(params, 0.1).efficiency
    assert two_photon_generation(matched, 0.1, 100.0) == pytest.approx(
        eta * one_photon_generation(params, 0.1, 100.0), rel=1e-12)


def test_abc_steady_state_balances_generation_and_trap_model_is_chapter_2s():
    abc = ABCParameters(A=5e6, B=9e-11, C=1e-28, doping=1e15)
    generation = np.geomspace(1e15, 1e27, 13)
    result = band_recombination(UpconversionParameters(band_model=abc), generation)
    a0, a1, a2 = abc.coefficients
    # Recover dn from PL = B dn (dn + N_D) and check the balance G = dn (a0 + a1 dn + a2 dn^2).
    dn = 0.5 * (-abc.doping + np.sqrt(abc.doping**2 + 4 * result.pl / abc.B))
    assert dn * (a0 + dn * (a1 + a2 * dn)) == pytest.approx(generation, rel=1e-9)
    trap = UpconversionParameters()
    mine = band_recombination(trap, [1e19, 1e21]).pl
    theirs = recombination.trap_steady_state(trap.recombination, [1e19, 1e21]).pl
    assert mine == pytest.approx(theirs, rel=1e-12)
    assert band_recombination(trap, [0.0, 1e20]).pl[0] == 0.0


# ---------------------------------------------------------------------------------------------
# Power dependence: slopes and the ratio at equal absorbed carrier density
# ---------------------------------------------------------------------------------------------
def _two_photon_like(params, detuning=0.1):
    """Two-photon absorption alone, with the coefficient matching the one-photon paths."""
    beta = matched_two_photon_coefficient(params, detuning, 100.0)
    return power_dependence(params.replace(two_photon_coefficient=beta), detuning, POWERS,
                            ("two_photon",))


@pytest.mark.parametrize("band", [LINEAR_BAND, ABCParameters(), TrapParameters()],
                         ids=["radiative", "abc", "trap"])
def test_upconversion_yield_is_power_independent_for_one_photon_and_linear_for_two(band):
    params = UpconversionParameters(band_model=band, n_ler=1e15)
    one = power_dependence(params, 0.1, POWERS, "one_photon")
    assert one.upconversion_yield == pytest.approx(np.full(POWERS.size, one.efficiency),
                                                   rel=1e-12)
    two = _two_photon_like(params)
    assert fit_power_law(POWERS, two.upconversion_yield).slope == pytest.approx(1.0, abs=1e-9)


def test_pl_ratio_is_flat_for_one_photon_and_proportional_to_power_for_two_photon():
    params = UpconversionParameters(band_model=LINEAR_BAND)
    for paths in (("phonon",), ("reservoir",), "one_photon"):
        run = power_dependence(params.replace(n_ler=1e16), 0.15, POWERS, paths)
        assert run.pl_ratio == pytest.approx(np.full(POWERS.size, run.efficiency), rel=1e-9)
        assert run.fit.slope == pytest.approx(1.0, abs=1e-6)
    two = _two_photon_like(params)
    assert fit_power_law(POWERS, two.pl_ratio).slope == pytest.approx(1.0, abs=1e-6)
    assert two.pl_ratio / POWERS == pytest.approx(np.full(POWERS.size,
                                                          two.pl_ratio[0] / POWERS[0]))
    assert two.fit.slope == pytest.approx(2.0, abs=1e-6)


def test_trap_limited_pl_is_quadratic_even_for_one_photon_but_the_ratio_stays_flat():
    params = UpconversionParameters(band_model=ABCParameters())
    low = np.geomspace(0.1, 100.0, 7)
    one = power_dependence(params, 0.1, low, "one_photon")
    assert one.fit.slope == pytest.approx(2.0, abs=0.01)  # looks like two photons ...
    assert one.pl_ratio == pytest.approx(np.full(7, one.efficiency**2), rel=2e-3)  # ... is not
    two = power_dependence(params.replace(two_photon_coefficient=1e3), 0.1, low,
                           ("two_photon",))
    assert two.fit.slope == pytest.approx(4.0, abs=0.01)


def test_default_trap_model_ratio_moves_little_while_the_pl_moves_nine_decades():
    params = UpconversionParameters()
    one = power_dependence(params, 0.1, POWERS, "one_photon")
    assert one.pl[-1] / one.pl[0] > 1e8
    assert np.ptp(np.log(one.pl_ratio)) < math.log(1.1)
    two = _two_photon_like(params)
    assert two.pl_ratio[-1] / two.pl_ratio[0] > 1e5


def test_reading_the_pl_on_the_above_gap_calibration_recovers_the_band_generation():
    params = UpconversionParameters(n_ler=1e16)
    run = power_dependence(params, 0.2, POWERS, "all")
    calibration_g = np.geomspace(1e10, 1e26, 400)
    calibration_pl = band_recombination(params, calibration_g).pl
    read = np.exp(np.interp(np.log(run.pl), np.log(calibration_pl), np.log(calibration_g)))
    assert read / run.one_photon_generation == pytest.approx(run.upconversion_yield, rel=2e-3)


def test_two_photon_absorption_is_negligible_for_a_cw_pump():
    params = UpconversionParameters()
    for detuning in (0.05, 0.22):
        g1 = one_photon_generation(params, detuning, 1e5)
        g2 = two_photon_generation(params, detuning, 1e5)
        assert g2 < 1e-3 * g1


# ---------------------------------------------------------------------------------------------
# The spectrum: the emission is consistent with the absorption
# ---------------------------------------------------------------------------------------------
def test_spectrum_obeys_van_roosbroeck_shockley_with_the_absorption():
    params = UpconversionParameters(temperature=320.0)
    spec = anti_stokes_spectrum(params, 0.12, 1e3)
    ratio = spec.intensity / (spec.absorption * spec.energy**2)
    slope = np.polyfit(spec.energy, np.log(ratio), 1)[0]
    assert -1 / (BOLTZMANN_EV * slope) == pytest.approx(320.0, rel=1e-6)


def test_spectrum_integrates_to_the_pl_and_reports_consistent_numbers():
    params = UpconversionParameters()
    energy = np.linspace(0.9, 2.3, 28001)
    spec = anti_stokes_spectrum(params, 0.1, 1e3, energy=energy)
    assert np.trapezoid(spec.intensity, energy) == pytest.approx(spec.pl, rel=1e-5)
    assert spec.mean_energy == pytest.approx(
        spectra.mean_photon_energy(energy, spec.intensity), abs=1e-5)
    above = energy >= spec.pump_energy
    share = np.trapezoid(spec.intensity[above], energy[above]) / spec.pl
    assert spec.anti_stokes_fraction == pytest.approx(share, abs=1e-4)
    assert spec.energy_gain == pytest.approx(spec.mean_energy - (1.57 - 0.1))
    run = power_dependence(params, 0.1, [1e3, 2e3, 4e3])
    assert spec.pl == pytest.approx(run.pl[0], rel=1e-12)
    assert spec.efficiency == pytest.approx(run.efficiency, rel=1e-12)


def test_the_spectrum_shape_does_not_depend_on_the_pump():
    params = UpconversionParameters()
    energy = np.linspace(1.3, 1.8, 101)
    a = anti_stokes_spectrum(params, 0.05, 1e3, energy=energy)
    b = anti_stokes_spectrum(params, 0.2, 10.0, energy=energy)
    assert a.intensity / a.pl == pytest.approx(b.intensity / b.pl, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# The cooling balance
# ---------------------------------------------------------------------------------------------
def test_cooling_balance_changes_sign_where_eqe_times_mean_energy_equals_the_pump():
    # With a negligible loss rate every tail pair reaches the band (eta = 1).
    params = UpconversionParameters(loss_rate=1e-6)
    eqe = 0.97
    mean = spectra.mean_emission_energy(1.57, 0.015, 295.0)
    onset = 1.57 - eqe * mean
    detuning = np.linspace(-0.03, 0.3, 3301)
    balance = cooling_balance(params, detuning, eqe)
    assert balance.mean_emission_energy == pytest.approx(mean)
    assert np.all(balance.cooling_efficiency[detuning < onset - 1e-4] < 0)
    assert np.all(balance.cooling_efficiency[detuning > onset + 1e-4] > 0)
    low, high = balance.cooling_window
    assert low == pytest.approx(onset, abs=1e-6)
    assert cooling_threshold(params, eqe) == (pytest.approx(onset, abs=1e-12), math.inf)


def test_cooling_balance_counts_the_upconversion_efficiency_once():
    params = UpconversionParameters()
    eqe = 0.99
    mean = spectra.mean_emission_energy(1.57, 0.015, 295.0)
    eta = upconversion_rates(params, 0.05).efficiency
    at = cooling_balance(params, [0.05, -0.01], eqe)
    assert at.upconversion_efficiency[0] == pytest.approx(eta, rel=1e-12)
    assert at.upconversion_efficiency[1] == 1.0   # above the gap: band pairs directly
    assert at.cooling_efficiency[0] == pytest.approx(eqe * eta * mean / 1.52 - 1, rel=1e-12)
    assert at.breakeven_eqe[0] == pytest.approx(1.52 / (eta * mean), rel=1e-12)


def test_an_upconversion_efficiency_below_one_closes_the_cooling_window():
    # No background absorption: with eta = 1 everything beyond the onset cools; with the
    # default loss rate eta falls as exp(-dE/kT) and closes the window, and EQE 0.99 no
    # longer cools anywhere.
    perfect = UpconversionParameters(loss_rate=1e-6)
    params = UpconversionParameters()
    assert cooling_threshold(perfect, 0.99)[1] == math.inf
    assert cooling_threshold(params, 0.99) is None
    low, high = cooling_threshold(params, 1.0)
    assert 0.0 < low < high < 0.1
    balance = cooling_balance(params, np.linspace(0.0, 0.25, 2501), 1.0)
    assert balance.cooling_window == (pytest.approx(low, abs=1e-5), pytest.approx(high, abs=1e-5))
    assert np.all(balance.cooling_efficiency[balance.detuning > high + 1e-4] < 0)
    # A reservoir raises eta and reopens the window.
    lit = cooling_threshold(params.replace(n_ler=1e19), 1.0)
    assert lit[1] == math.inf


def test_background_absorption_closes_the_cooling_window_at_large_detuning():
    params = UpconversionParameters()
    eqe, background = 1.0, 1.0
    detuning = np.linspace(0.0, 0.3, 30001)
    balance = cooling_balance(params, detuning, eqe, background)
    low, high = balance.cooling_window
    exact = cooling_threshold(params, eqe, background)
    assert (low, high) == (pytest.approx(exact[0], abs=1e-6), pytest.approx(exact[1], abs=1e-6))
    no_background = cooling_threshold(params, eqe)
    assert high < no_background[1]
    for d in exact:  # each end solves E_p = eta eta_ext eta_abs <E_f>
        pump = 1.57 - d
        alpha = 5e4 * math.exp(-d / 0.015)
        eta = upconversion_rates(params, d).efficiency
        assert pump == pytest.approx(eta * eqe * alpha / (alpha + background)
                                     * balance.mean_emission_energy, rel=1e-9)
    assert balance.cooling_efficiency[-1] < 0


def test_no_cooling_without_a_high_enough_quantum_efficiency():
    params = UpconversionParameters()
    assert cooling_threshold(params, 0.5) is None
    assert cooling_balance(params, np.linspace(0, 0.3, 31), 0.5).cooling_window is None
    assert cooling_threshold(params, 0.9, 10.0) is None


def test_heat_closes_the_energy_balance():
    params = UpconversionParameters(two_photon_coefficient=1e-2)
    detuning, power = 0.1, 1e4
    g1 = one_photon_generation(params, detuning, power)
    g2 = two_photon_generation(params, detuning, power)
    eta = upconversion_rates(params, detuning).efficiency
    band = eta * g1 + g2
    plqy = band_recombination(params, band).plqy
    pump, gap = 1.57 - detuning, 1.57
    absorbed = (g1 * pump + 2 * g2 * pump) * ELEMENTARY_CHARGE
    lattice_to_carriers = eta * g1 * (gap - pump) * ELEMENTARY_CHARGE
    light = plqy * band * gap * ELEMENTARY_CHARGE  # band-edge photons at ~E_g each
    heat = heat_power_density(params, detuning, power)
    assert heat + light == pytest.approx(absorbed + lattice_to_carriers, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# The reservoir's history: memory and chopping
# ---------------------------------------------------------------------------------------------
def test_history_follows_the_reservoir_density_and_the_phonon_path_has_no_memory():
    params = UpconversionParameters()
    kinetics = reservoir.ReservoirKinetics()
    drive = reservoir.PiecewiseDrive.on_off(200.0, 300.0, 900.0)
    t = np.linspace(0.0, 1200.0, 241)
    run = reservoir_history(params, kinetics, drive, t, 0.22)
    density = reservoir.reservoir_density(kinetics, drive, t).density
    assert run.n_ler == pytest.approx(density, rel=1e-12)
    k_up = upconversion_rates(params, 0.22).phonon_rate + params.k_sigma * density
    assert run.efficiency == pytest.approx(k_up / (k_up + params.loss_rate), rel=1e-12)
    # Memory: the excess efficiency decays in the dark with the reservoir lifetime.
    excess = run.efficiency - run.phonon_efficiency
    dark = (t >= 600.0) & (t <= 1200.0)
    decay = -np.polyfit(t[dark], np.log(excess[dark]), 1)[0]
    assert 1 / decay == pytest.approx(kinetics.lifetime, rel=0.1)
    assert run.phonon_efficiency == pytest.approx(upconversion_rates(params, 0.22)
                                                  .phonon_efficiency)


def test_chopping_response_runs_between_its_fast_and_slow_limits():
    params = UpconversionParameters()
    kinetics = reservoir.ReservoirKinetics()
    periods = np.geomspace(1e-2, 1e6, 17)
    run = chopping_response(params, kinetics, 0.22, 100.0, periods, duty_cycle=0.5)
    assert run.efficiency[0] == pytest.approx(run.fast_limit, rel=1e-3)
    assert run.efficiency[-1] == pytest.approx(run.slow_limit, rel=2e-2)
    assert np.all(np.diff(run.efficiency) > -1e-12)
    assert run.slow_limit > run.fast_limit > run.phonon_efficiency
    # The crossover sits near the reservoir's own time scales (tens of seconds to minutes).
    middle = 0.5 * (run.fast_limit + run.slow_limit)
    crossing = np.exp(np.interp(middle, run.efficiency, np.log(periods)))
    assert 10.0 < crossing < 1e4


def test_module_examples_run():
    assert doctest.testmod(upconversion).failed == 0


def test_gated_probe_between_heating_pulses_loses_the_reservoir_when_chopped_slowly():
    params = UpconversionParameters()
    kinetics = reservoir.ReservoirKinetics()
    periods = np.geomspace(1e-2, 1e6, 13)
    off = chopping_response(params, kinetics, 0.22, 1000.0, periods, phase="off")
    on = chopping_response(params, kinetics, 0.22, 1000.0, periods, phase="on")
    assert off.efficiency[0] == pytest.approx(on.efficiency[0], rel=1e-3)  # same fast limit
    assert off.efficiency[-1] == pytest.approx(off.phonon_efficiency, rel=2e-2)
    assert off.slow_limit == pytest.approx(off.phonon_efficiency)
    assert np.all(np.diff(off.efficiency) < 1e-12)
    assert off.efficiency[0] > 2 * off.phonon_efficiency
    with pytest.raises(ValueError, match="phase"):
        chopping_response(params, kinetics, 0.22, 1000.0, periods, phase="both")


def test_calibrated_yield_is_flat_for_one_photon_where_the_raw_ratio_is_not():
    # At 220 meV (eta = 0.046) the trap model's local order changes between eta G1 and G1,
    # so the raw ratio PL(eta G1) / PL(G1) drifts; G_band / G1 stays exactly eta.
    powers = np.geomspace(0.1, 1e5, 25)
    run = power_dependence(UpconversionParameters(), 0.22, powers, "one_photon")
    assert np.allclose(run.upconversion_yield, run.efficiency, rtol=1e-12)
    change = run.pl_ratio[-1] / run.pl_ratio[0]
    assert change < 0.5                       # not flat
    assert change > run.efficiency            # but bounded by a factor 1/eta
    # Few traps at 150 K: the one-photon ratio even grows, like a two-photon signature.
    few = UpconversionParameters(
        temperature=150.0, band_model=recombination.TrapParameters(trap_density=1e13))
    run = power_dependence(few, 0.22, powers, "one_photon")
    assert run.pl_ratio[-1] / run.pl_ratio[0] > 10.0
    assert run.pl_ratio[-1] / run.pl_ratio[0] < 1.0 / run.efficiency
    assert np.allclose(run.upconversion_yield, run.efficiency, rtol=1e-12)
