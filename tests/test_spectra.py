"""Spectra: the hot-carrier PL lineshape, seeded noise, and the Boltzmann-tail fit that
recovers the carrier temperature with an honest uncertainty."""

import doctest
import math

import numpy as np
import pytest

import lerbook.spectra as spectra
from lerbook.cooling import cooling_parameters, simulate_cooling
from lerbook.spectra import (
    Spectrum,
    add_noise,
    fit_boltzmann_tail,
    hot_carrier_pl,
    synthetic_spectrum,
)
from lerbook.units import BOLTZMANN_EV

KB = BOLTZMANN_EV
GAP = 1.57
ENERGY = np.linspace(1.50, 2.60, 1101)


def tail_window(spectrum, temperature, min_counts=20.0):
    """Fit window: from one kT above the gap to where the expected counts fall to min_counts."""
    return GAP + KB * temperature, float(ENERGY[spectrum.expected >= min_counts].max())


def test_pl_lineshape_is_the_absorption_weighted_boltzmann_form():
    temperature = 800.0
    above = ENERGY[ENERGY > GAP]
    expected = above**2 * np.sqrt(above - GAP) * np.exp(-(above - GAP) / (KB * temperature))
    lineshape = hot_carrier_pl(ENERGY, GAP, temperature)
    assert lineshape[ENERGY > GAP] == pytest.approx(expected, rel=1e-12)
    assert np.all(lineshape[ENERGY <= GAP] == 0.0)


def test_hotter_carriers_give_a_longer_tail():
    cold = hot_carrier_pl(ENERGY, GAP, 300.0)
    hot = hot_carrier_pl(ENERGY, GAP, 1500.0)
    far = ENERGY > 1.9
    assert np.all(hot[far] / hot.max() > cold[far] / cold.max())


@pytest.mark.parametrize("temperature", [400.0, 1000.0, 2000.0])
@pytest.mark.parametrize("noise", ["poisson", "gaussian"])
def test_tail_fit_recovers_tc_within_5_percent_on_noisy_spectra(temperature, noise):
    for seed in range(5):
        spectrum = synthetic_spectrum(ENERGY, GAP, temperature, peak_counts=1e4, noise=noise,
                                      noise_level=0.01, rng=seed)
        low, high = tail_window(spectrum, temperature,
                                min_counts=20.0 if noise == "poisson" else 300.0)
        fit = fit_boltzmann_tail(ENERGY, spectrum.intensity, low, high, band_gap=GAP, noise=noise)
        assert fit.temperature == pytest.approx(temperature, rel=0.05)
        assert fit.temperature_error < 0.05 * temperature


def test_tail_fit_works_with_few_counts_too():
    for seed in range(5):
        spectrum = synthetic_spectrum(ENERGY, GAP, 1000.0, peak_counts=300.0, rng=100 + seed)
        low, high = tail_window(spectrum, 1000.0, min_counts=10.0)
        fit = fit_boltzmann_tail(ENERGY, spectrum.intensity, low, high, band_gap=GAP)
        assert fit.temperature == pytest.approx(1000.0, rel=0.05)


def test_tail_fit_uncertainty_matches_the_scatter_over_seeds():
    temperature = 900.0
    fits = []
    for seed in range(40):
        spectrum = synthetic_spectrum(ENERGY, GAP, temperature, peak_counts=2e3, rng=seed)
        low, high = tail_window(spectrum, temperature)
        fits.append(fit_boltzmann_tail(ENERGY, spectrum.intensity, low, high, band_gap=GAP))
    pulls = np.array([(f.temperature - temperature) / f.temperature_error for f in fits])
    assert 0.7 < pulls.std() < 1.4
    assert abs(pulls.mean()) < 0.6
    assert np.median([f.chi2_reduced for f in fits]) == pytest.approx(1.0, abs=0.2)


def test_noise_free_fit_is_exact():
    spectrum = synthetic_spectrum(ENERGY, GAP, 1234.0, noise="none")
    fit = fit_boltzmann_tail(ENERGY, spectrum.intensity, 1.60, 2.4, band_gap=GAP, noise="none")
    assert fit.temperature == pytest.approx(1234.0, rel=1e-9)
    assert fit.corrected and fit.n_points == int(np.sum((ENERGY >= 1.60) & (ENERGY <= 2.4)))


def test_plain_fit_of_ln_i_overestimates_tc_because_of_the_prefactor():
    spectrum = synthetic_spectrum(ENERGY, GAP, 1000.0, noise="none")
    plain = fit_boltzmann_tail(ENERGY, spectrum.intensity, GAP + 3 * KB * 1000.0, 2.4,
                               noise="none")
    assert not plain.corrected
    assert plain.temperature > 1.1 * 1000.0


def test_plain_fit_is_exact_on_a_pure_boltzmann_occupation():
    # A transient-absorption bleach measures the occupation exp(-E / kT) itself.
    occupation = 1e4 * np.exp(-(ENERGY - GAP) / (KB * 700.0))
    fit = fit_boltzmann_tail(ENERGY, occupation, 1.7, 2.0, noise="none")
    assert fit.temperature == pytest.approx(700.0, rel=1e-9)


def test_fit_reads_the_carrier_temperature_of_the_cooling_model():
    params = cooling_parameters("MAPbI3")
    result = simulate_cooling(params, 1e18, 2.25)
    for index in np.searchsorted(result.t, [0.2e-12, 1e-12, 5e-12]):
        truth = float(result.Tc[index])
        spectrum = synthetic_spectrum(ENERGY, params.band_gap, truth, rng=int(index))
        low = params.band_gap + KB * truth
        high = float(ENERGY[spectrum.expected >= 20].max())
        fit = fit_boltzmann_tail(ENERGY, spectrum.intensity, low, high,
                                 band_gap=params.band_gap)
        assert fit.temperature == pytest.approx(truth, rel=0.05)


def test_same_seed_gives_the_same_spectrum_and_other_seeds_differ():
    first = synthetic_spectrum(ENERGY, GAP, 1000.0, rng=42)
    again = synthetic_spectrum(ENERGY, GAP, 1000.0, rng=np.random.default_rng(42))
    other = synthetic_spectrum(ENERGY, GAP, 1000.0, rng=43)
    assert np.array_equal(first.intensity, again.intensity)
    assert not np.array_equal(first.intensity, other.intensity)
    assert isinstance(first, Spectrum) and first.info["temperature"] == 1000.0


def test_poisson_noise_has_mean_and_variance_of_the_expected_counts():
    noisy = add_noise(np.full(200000, 50.0), "poisson", rng=5)
    assert noisy.mean() == pytest.approx(50.0, rel=0.01)
    assert noisy.var() == pytest.approx(50.0, rel=0.02)
    assert np.all(noisy == np.round(noisy))


def test_gaussian_noise_scales_with_the_peak():
    expected = np.linspace(0.0, 1000.0, 100001)
    noisy = add_noise(expected, "gaussian", noise_level=0.02, rng=9)
    assert (noisy - expected).std() == pytest.approx(20.0, rel=0.02)


def test_background_is_added_to_the_expected_counts():
    spectrum = synthetic_spectrum(ENERGY, GAP, 800.0, background=5.0, noise="none")
    assert spectrum.expected[ENERGY <= GAP] == pytest.approx(5.0)
    assert spectrum.expected.max() == pytest.approx(1e4 + 5.0)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: hot_carrier_pl(ENERGY, GAP, -5.0), "temperature"),
    (lambda: hot_carrier_pl([[1.6, 1.7]], GAP, 500.0), "energy"),
    (lambda: hot_carrier_pl([1.6, float("nan")], GAP, 500.0), "energy"),
    (lambda: synthetic_spectrum(np.linspace(1.0, 1.5, 10), GAP, 500.0), "above band_gap"),
    (lambda: synthetic_spectrum(ENERGY, GAP, 500.0, peak_counts=0.0), "peak_counts"),
    (lambda: synthetic_spectrum(ENERGY, GAP, 500.0, rng="seed"), "rng"),
    (lambda: add_noise([1.0, -2.0]), "expected"),
    (lambda: add_noise([1.0, 2.0], "pink"), "noise"),
    (lambda: add_noise([1.0, 2.0], "gaussian", noise_level=2.0), "noise_level"),
    (lambda: fit_boltzmann_tail(ENERGY, np.ones(5), 1.6), "shape"),
    (lambda: fit_boltzmann_tail(ENERGY, np.ones_like(ENERGY), 1.6, 1.55), "energy_max"),
    (lambda: fit_boltzmann_tail(ENERGY, np.ones_like(ENERGY), 1.5, band_gap=GAP), "energy_min"),
    (lambda: fit_boltzmann_tail(ENERGY, np.ones_like(ENERGY), 2.5985), "at least 3"),
    (lambda: fit_boltzmann_tail(ENERGY, np.exp(ENERGY), 1.6), "does not fall"),
    (lambda: fit_boltzmann_tail(ENERGY, np.ones_like(ENERGY), 1.6, noise="pink"), "noise"),
])
def test_bad_inputs_raise_value_errors_that_say_what_to_change(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_zero_count_points_are_left_out_of_the_fit():
    spectrum = synthetic_spectrum(ENERGY, GAP, 600.0, peak_counts=500.0, rng=3)
    fit = fit_boltzmann_tail(ENERGY, spectrum.intensity, GAP + KB * 600.0, band_gap=GAP)
    assert fit.n_points == int(np.sum((ENERGY >= GAP + KB * 600.0) & (spectrum.intensity > 0)))
    assert math.isfinite(fit.temperature)


def test_docstring_examples_run():
    assert doctest.testmod(spectra).failed == 0
