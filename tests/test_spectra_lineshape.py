"""Band-edge lineshapes: the Urbach edge, van Roosbroeck-Shockley emission, the generalised
Planck law, and the normalised emission the upconversion chapter uses."""

import math

import numpy as np
import pytest

from lerbook import excitation, spectra
from lerbook.spectra import (
    band_edge_emission,
    generalized_planck,
    mean_emission_energy,
    mean_photon_energy,
    urbach_absorption,
    van_roosbroeck_shockley,
)
from lerbook.units import BOLTZMANN_EV, HC_EV_NM

GAP, EU, ALPHA0 = 1.57, 0.015, 5e4
KT = BOLTZMANN_EV * 295.0
#: 8 pi / (h^3 c^2) with h in eV s and c in cm s^-1 [cm^-2 s^-1 eV^-3 per unit n^2].
PLANCK_PREFACTOR = 8 * math.pi / (4.135667696e-15**3 * 2.99792458e10**2)


def test_urbach_tail_is_the_excitation_model_written_in_energy():
    wavelengths = np.array([500.0, 790.0, 800.0, 850.0, 900.0, 950.0])
    energy = HC_EV_NM / wavelengths
    assert urbach_absorption(energy, GAP, EU, ALPHA0) == pytest.approx(
        excitation.absorption_coefficient("MAPbI3", wavelengths), rel=1e-12)


def test_urbach_tail_falls_by_exp_of_detuning_over_urbach_energy():
    ratio = urbach_absorption(GAP - 0.220, GAP, EU, ALPHA0) / ALPHA0
    assert ratio == pytest.approx(math.exp(-220 / 15), rel=1e-12)
    assert urbach_absorption([GAP, GAP + 0.3], GAP, EU, ALPHA0) == pytest.approx([ALPHA0] * 2)


def test_emission_over_absorption_is_the_van_roosbroeck_shockley_factor():
    energy = np.linspace(1.3, 1.9, 301)
    alpha = urbach_absorption(energy, GAP, EU, ALPHA0)
    for mu in (0.0, 1.2):
        rate = van_roosbroeck_shockley(energy, alpha, 295.0, chemical_potential=mu,
                                       refractive_index=2.6)
        ratio = rate * np.expm1((energy - mu) / KT) / (alpha * energy**2)
        assert ratio == pytest.approx(np.full(energy.size, PLANCK_PREFACTOR * 2.6**2), rel=1e-10)


def test_the_ratio_of_emission_to_absorption_gives_back_the_temperature():
    energy = np.linspace(1.4, 1.8, 81)
    alpha = urbach_absorption(energy, GAP, EU, ALPHA0)
    for temperature in (250.0, 295.0, 400.0):
        rate = van_roosbroeck_shockley(energy, alpha, temperature)
        slope = np.polyfit(energy, np.log(rate / (alpha * energy**2)), 1)[0]
        assert -1 / (BOLTZMANN_EV * slope) == pytest.approx(temperature, rel=1e-6)


def test_quasi_fermi_level_splitting_scales_emission_by_its_boltzmann_factor():
    energy = np.linspace(1.5, 1.7, 5)
    dark = van_roosbroeck_shockley(energy, 1.0, 300.0)
    lit = van_roosbroeck_shockley(energy, 1.0, 300.0, chemical_potential=1.0)
    assert lit / dark == pytest.approx(np.exp(1.0 / (BOLTZMANN_EV * 300.0)), rel=1e-7)


def test_generalized_planck_of_a_thin_film_is_the_internal_rate_over_4_n_squared():
    # A weakly absorbing film of thickness d: a = alpha d, and the flux out of one face is
    # the internal emission of the film times the escape cone share 1 / (4 n^2).
    energy = np.linspace(1.5, 1.7, 11)
    alpha, thickness, n_r = 10.0, 1e-5, 2.6
    inside = van_roosbroeck_shockley(energy, alpha, 295.0, refractive_index=n_r) * thickness
    outside = generalized_planck(energy, alpha * thickness, 295.0)
    assert outside / inside == pytest.approx(np.full(11, 1 / (4 * n_r**2)), rel=1e-12)


def test_band_edge_emission_has_unit_area_and_peaks_at_the_gap():
    energy = np.linspace(0.8, 2.4, 32001)
    g = band_edge_emission(energy, GAP, EU, 295.0)
    assert np.trapezoid(g, energy) == pytest.approx(1.0, abs=1e-6)
    assert energy[np.argmax(g)] == pytest.approx(GAP, abs=1e-4)


def test_band_edge_emission_sides_have_the_urbach_and_boltzmann_slopes():
    below = np.linspace(GAP - 0.15, GAP - 0.05, 51)
    above = np.linspace(GAP + 0.05, GAP + 0.15, 51)
    for axis, expected in ((below, 1 / EU - 1 / KT), (above, -1 / KT)):
        g = band_edge_emission(axis, GAP, EU, 295.0)
        slope = np.polyfit(axis, np.log(g / axis**2), 1)[0]
        assert slope == pytest.approx(expected, rel=1e-6)


def test_mean_emission_energy_is_the_first_moment_and_lies_below_the_gap():
    energy = np.linspace(0.8, 2.4, 64001)
    g = band_edge_emission(energy, GAP, EU, 295.0)
    mean = mean_emission_energy(GAP, EU, 295.0)
    assert mean == pytest.approx(mean_photon_energy(energy, g), abs=2e-6)
    tail = EU * KT / (KT - EU)
    assert mean - GAP == pytest.approx(KT - tail, abs=3e-3)  # two-exponential estimate
    assert mean < GAP
    # A hotter lattice shortens the tail relative to kT: the mean moves up.
    assert mean_emission_energy(GAP, EU, 350.0) > mean


def test_mean_photon_energy_of_a_flat_spectrum_is_the_midpoint():
    energy = np.linspace(1.0, 2.0, 11)
    assert mean_photon_energy(energy, np.ones(11)) == pytest.approx(1.5)


@pytest.mark.parametrize("call, name", [
    (lambda: urbach_absorption([1.5], GAP, -0.01, ALPHA0), "urbach_energy"),
    (lambda: urbach_absorption([1.5], GAP, EU, 0.0), "alpha_above_gap"),
    (lambda: urbach_absorption([-1.0], GAP, EU, ALPHA0), "energy"),
    (lambda: van_roosbroeck_shockley([1.5, 1.6], [1.0, -1.0], 295.0), "absorption"),
    (lambda: van_roosbroeck_shockley([1.5, 1.6], 1.0, 295.0, chemical_potential=1.55),
     "chemical_potential"),
    (lambda: van_roosbroeck_shockley([1.5, 1.6], 1.0, 295.0, refractive_index=0.5),
     "refractive_index"),
    (lambda: generalized_planck([1.5, 1.6], 1.5, 295.0), "absorptivity"),
    (lambda: band_edge_emission([1.5, 1.6], GAP, EU, 150.0), "temperature"),
    (lambda: mean_emission_energy(GAP, EU, 100.0), "temperature"),
    (lambda: mean_photon_energy([1.0, 2.0], [0.0, 0.0]), "spectrum"),
])
def test_bad_inputs_raise_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_lineshape_functions_are_exported():
    for name in ("urbach_absorption", "van_roosbroeck_shockley", "generalized_planck",
                 "band_edge_emission", "mean_emission_energy", "mean_photon_energy"):
        assert name in spectra.__all__
