"""Tests of lerbook.devices: detailed balance, the Ross relation, photon recycling and
hot-carrier extraction."""

import dataclasses
import doctest

import numpy as np
import pytest
from scipy import integrate

from lerbook import cooling, devices
from lerbook.recombination import TrapParameters

KT = 8.617333262e-5 * 300.0


def test_docstring_examples_hold():
    assert doctest.testmod(devices).failed == 0


def test_step_absorber_dark_current_matches_planck_integral():
    # The series used for the step absorber against direct quadrature of the Planck law.
    gap = 1.6
    flux, _ = integrate.quad(lambda e: devices.blackbody_photon_flux(e, 300.0), gap, gap + 3.0,
                             epsabs=0, epsrel=1e-12)
    limit = devices.radiative_limit(gap)
    assert limit.dark_current == pytest.approx(1.602176634e-16 * flux, rel=1e-8)


def test_sun_carries_the_requested_power():
    energy = np.linspace(0.01, 20.0, 400001)
    power = np.trapezoid(energy * devices.solar_photon_flux(energy), energy) * 1.602176634e-16
    assert power == pytest.approx(devices.ONE_SUN, rel=1e-4)


def test_radiative_voc_below_gap_by_a_shockley_queisser_margin():
    # Shockley-Queisser: V_oc,rad sits ~0.25-0.3 V below E_g/q at 300 K for 1.1-2 eV gaps.
    for gap in (1.1, 1.6, 2.0):
        margin = gap - devices.radiative_limit(gap).voc
        assert 0.2 < margin < 0.35


def test_urbach_tail_lowers_radiative_voc_and_converges_to_step():
    step = devices.radiative_limit(1.6)
    sharp = devices.radiative_limit(1.6, 0.0005)
    broad = devices.radiative_limit(1.6, 0.015)
    assert broad.voc < sharp.voc
    assert sharp.voc == pytest.approx(step.voc, abs=0.003)


def test_radiative_voc_rises_by_kt_ln10_per_decade_of_light():
    limit = devices.radiative_limit(1.6)
    v = limit.voc_at([1.0, 10.0])
    assert v[1] - v[0] == pytest.approx(KT * np.log(10.0), rel=1e-9)


def test_perfect_emitter_reaches_the_radiative_limit():
    # No traps, no Auger, every photon escapes: PLQY_ext = 1 and V_oc = V_oc,rad.
    params = TrapParameters(trap_density=0.0, C=0.0, temperature=300.0)
    cell = devices.open_circuit_voltage(params, outcoupling=devices.Outcoupling(1.0, 0.0))
    assert cell.external_plqy[0] == pytest.approx(1.0, rel=1e-9)
    assert cell.voc[0] == pytest.approx(cell.voc_radiative[0], abs=1e-9)


def test_external_yield_is_the_recycling_series_of_the_internal_yield():
    out = devices.Outcoupling(0.1, 0.05)
    cell = devices.open_circuit_voltage(TrapParameters(n_ler=1e16), suns=[0.1, 1.0, 10.0],
                                        outcoupling=out)
    assert np.allclose(cell.external_plqy, devices.external_plqy(cell.internal_plqy, out),
                       rtol=1e-9)


def test_recycling_series_sums_the_photon_histories():
    # Monte Carlo-free check: sum the series p_e eta (p_r eta)^k term by term.
    eta, out = 0.8, devices.Outcoupling(0.05, 0.1)
    terms = out.escape_probability * eta * (out.reabsorption_probability * eta) ** np.arange(400)
    assert devices.external_plqy(eta, out)[()] == pytest.approx(terms.sum(), rel=1e-12)


def test_splitting_equals_ross_voltage_when_emission_obeys_detailed_balance():
    # Two independent routes: the carriers' quasi-Fermi levels and the escaping photons.
    cell = devices.open_circuit_voltage(TrapParameters(n_ler=1e16), suns=[0.01, 1.0, 30.0])
    assert np.allclose(cell.splitting, cell.voc, atol=1e-9)
    assert np.all(cell.splitting <= cell.voc_radiative)
    assert np.all(cell.nonradiative_loss > 0)


def test_literature_coefficient_is_inconsistent_with_the_absorption():
    # Chapter 2's measured B with MAPbI3's masses and absorption: the film's splitting exceeds
    # its Ross voltage, i.e. B n_i^2 is below what the absorption demands.
    cell = devices.open_circuit_voltage(radiative_coefficient="apparent")
    assert cell.splitting[0] > cell.voc[0] + 0.01
    assert cell.params.B == pytest.approx(9e-11 / (1 - devices.Outcoupling()
                                                   .reabsorption_probability))


def test_reservoir_raises_plqy_and_voc_monotonically():
    densities = [0.0, 1e15, 1e16, 1e17, 1e18]
    cells = [devices.open_circuit_voltage(TrapParameters(n_ler=n)) for n in densities]
    voc = np.array([c.voc[0] for c in cells])
    plqy = np.array([c.internal_plqy[0] for c in cells])
    assert np.all(np.diff(voc) > 0) and np.all(np.diff(plqy) > 0)
    # The gain is bounded by the log of the yield ratio: kT/q ln(PLQY_ext ratio).
    gain = voc[-1] - voc[0]
    ratio = cells[-1].external_plqy[0] / cells[0].external_plqy[0]
    assert gain == pytest.approx(cells[0].limit.temperature * 8.617333262e-5 * np.log(ratio))


def test_recombination_balances_generation_at_open_circuit():
    out = devices.Outcoupling()
    cell = devices.open_circuit_voltage(TrapParameters(n_ler=1e16), suns=[0.3, 3.0],
                                        outcoupling=out)
    p = cell.params
    n, h, n_t = cell.electron_density, cell.hole_density, cell.trapped_density
    losses = ((1 - out.reabsorption_probability) * p.B * n * h + p.gamma_p * n_t * h
              + 0.5 * p.C * n * h * (n + h))
    assert np.allclose(losses, cell.generation_rate, rtol=1e-6)


def test_exponential_cooling_keeps_tau_c_over_tau_c_plus_tau_ext():
    t = np.linspace(0.0, 30e-12, 3001)
    tau = np.array([1e-13, 1e-12, 1e-11])
    f = devices.retained_excess_energy(t, np.exp(-t / 1e-12), tau)
    assert np.allclose(f, 1e-12 / (1e-12 + tau), rtol=1e-4)


def test_constant_excess_is_fully_kept():
    t = np.array([0.0, 1e-12, 1e-11])
    assert np.allclose(devices.retained_excess_energy(t, [0.3, 0.3, 0.3], [1e-13, 1e-9]), 1.0)


def test_hot_phonon_bottleneck_keeps_more_energy_than_low_density():
    params = cooling.cooling_parameters("MAPbI3")
    t = np.concatenate([[0.0], np.logspace(-15, -9, 300)])
    low = cooling.simulate_cooling(params, 1e17, photon_energy=3.1, t=t)
    high = cooling.simulate_cooling(params, 1e19, photon_energy=3.1, t=t)
    tau = np.logspace(-14, -10, 9)
    f_low = devices.hot_carrier_extraction(low, tau)
    f_high = devices.hot_carrier_extraction(high, tau)
    assert np.all(np.diff(f_low.retained_fraction) < 0)
    assert np.all(f_high.retained_fraction >= f_low.retained_fraction)
    assert f_high.half_time > 5 * f_low.half_time
    reservoir = cooling.simulate_cooling(dataclasses.replace(params, reservoir_factor=1e4),
                                         1e19, photon_energy=3.1, t=t)
    f_res = devices.hot_carrier_extraction(reservoir, tau)
    assert np.all(f_res.retained_fraction >= f_high.retained_fraction - 1e-9)


@pytest.mark.parametrize("call, name", [
    (lambda: devices.radiative_limit(0.2), "band_gap"),
    (lambda: devices.radiative_limit(1.6, 0.03), "urbach_energy"),
    (lambda: devices.radiative_limit(1.6, thickness=-5.0), "thickness"),
    (lambda: devices.radiative_limit(1.6, temperature=np.nan), "temperature"),
    (lambda: devices.Outcoupling(0.0), "escape_probability"),
    (lambda: devices.Outcoupling(0.7, 0.5), "escape_probability + parasitic_probability"),
    (lambda: devices.external_plqy(1.2), "internal_plqy"),
    (lambda: devices.open_circuit_voltage(suns=0.0), "suns"),
    (lambda: devices.open_circuit_voltage(params="MAPbI3"), "params"),
    (lambda: devices.open_circuit_voltage(TrapParameters(B=0.0),
                                          radiative_coefficient="apparent"), "B must"),
    (lambda: devices.open_circuit_voltage(radiative_coefficient="fitted"),
     "radiative_coefficient"),
    (lambda: devices.open_circuit_voltage(limit=devices.radiative_limit(1.6)),
     "limit.temperature"),
    (lambda: devices.retained_excess_energy([0.0, 1.0], [0.1, 0.0], -1.0), "extraction_time"),
    (lambda: devices.retained_excess_energy([1.0, 2.0], [0.1, 0.0], 1.0), "t must"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name.replace("+", r"\+")):
        call()
