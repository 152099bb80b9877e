"""Excitation: fluence and power density into carrier densities, checked by hand."""

import math

import numpy as np
import pytest

from lerbook.excitation import (
    CWExcitation,
    PulsedExcitation,
    absorption_coefficient,
    generation_rate,
    initial_density,
)
from lerbook.materials import get_material

MAPI = get_material("MAPbI3")


def test_photon_fluence_matches_hand_calculation():
    # 1 uJ cm^-2 at 500 nm: E = 1239.84 / 500 = 2.47968 eV = 3.97285e-19 J,
    # so 1e-6 J / 3.97285e-19 J = 2.51708e12 photons per cm^2.
    pulse = PulsedExcitation(fluence=1.0, wavelength=500.0)
    assert pulse.photon_energy == pytest.approx(2.479684, rel=1e-6)
    assert pulse.photon_fluence == pytest.approx(2.51708e12, rel=1e-5)


def test_front_surface_density_is_photon_fluence_times_alpha():
    pulse = PulsedExcitation(fluence=1.0, wavelength=500.0, reflectance=0.2)
    expected = 2.51708e12 * 0.8 * MAPI.alpha_above_gap
    assert initial_density(MAPI, pulse) == pytest.approx(expected, rel=1e-5)


def test_thickness_average_matches_beer_lambert_by_hand():
    pulse = PulsedExcitation(fluence=10.0, wavelength=500.0)
    thickness_cm = 300e-7
    absorbed = 1 - math.exp(-MAPI.alpha_above_gap * thickness_cm)
    expected = 10 * 2.51708e12 * absorbed / thickness_cm
    assert initial_density(MAPI, pulse, thickness=300.0) == pytest.approx(expected, rel=1e-5)


def test_thin_film_average_tends_to_front_density_and_thick_film_to_total_over_depth():
    pulse = PulsedExcitation(fluence=1.0, wavelength=500.0)
    front = initial_density(MAPI, pulse)
    assert initial_density(MAPI, pulse, thickness=1e-3) == pytest.approx(front, rel=1e-5)
    thick_nm = 1e7  # 1 cm: every photon absorbed, spread over 1 cm
    assert initial_density(MAPI, pulse, thickness=thick_nm) == pytest.approx(
        pulse.photon_fluence, rel=1e-9)


def test_cw_generation_rate_matches_hand_calculation():
    # 100 mW cm^-2 at 405 nm: E = 3.06134 eV, flux = 0.1 / (3.06134 * 1.602177e-19)
    beam = CWExcitation(power_density=100.0, wavelength=405.0)
    flux = 0.1 / (1239.8419843320026 / 405.0 * 1.602176634e-19)
    assert beam.photon_flux == pytest.approx(flux, rel=1e-12)
    assert generation_rate(MAPI, beam) == pytest.approx(flux * MAPI.alpha_above_gap, rel=1e-12)


def test_pulse_train_generation_is_density_times_repetition_rate():
    train = PulsedExcitation(fluence=0.5, wavelength=400.0, repetition_rate=2e6)
    n0 = initial_density(MAPI, train)
    assert generation_rate(MAPI, train) == pytest.approx(n0 * 2e6, rel=1e-12)
    assert train.period == pytest.approx(5e-7)
    times = train.pulse_times(2e-6)
    np.testing.assert_allclose(times, [0.0, 5e-7, 1e-6, 1.5e-6])


def test_absorption_follows_urbach_tail_below_gap_and_is_flat_above():
    gap_nm = 1239.8419843320026 / MAPI.band_gap
    above = absorption_coefficient(MAPI, [400.0, 500.0, gap_nm])
    np.testing.assert_allclose(above, MAPI.alpha_above_gap)
    below_energy = MAPI.band_gap - 3 * MAPI.urbach_energy
    below = absorption_coefficient(MAPI, 1239.8419843320026 / below_energy)
    assert below == pytest.approx(MAPI.alpha_above_gap * math.exp(-3), rel=1e-9)


@pytest.mark.parametrize("field,value", [
    ("fluence", -1.0), ("fluence", 0.0), ("fluence", float("nan")), ("fluence", float("inf")),
    ("wavelength", 50.0), ("wavelength", float("nan")), ("reflectance", 1.0),
    ("reflectance", -0.1), ("repetition_rate", 0.0),
])
def test_bad_pulse_parameters_raise_naming_the_parameter(field, value):
    kwargs = dict(fluence=1.0, wavelength=500.0, repetition_rate=1e6)
    kwargs[field] = value
    with pytest.raises(ValueError, match=field):
        PulsedExcitation(**kwargs)


@pytest.mark.parametrize("field,value", [
    ("power_density", -5.0), ("power_density", 0.0), ("wavelength", 5000.0),
])
def test_bad_cw_parameters_raise_naming_the_parameter(field, value):
    kwargs = dict(power_density=100.0, wavelength=500.0)
    kwargs[field] = value
    with pytest.raises(ValueError, match=field):
        CWExcitation(**kwargs)


def test_bad_thickness_material_and_single_pulse_period_raise():
    pulse = PulsedExcitation(fluence=1.0, wavelength=500.0)
    with pytest.raises(ValueError, match="thickness"):
        initial_density(MAPI, pulse, thickness=-10.0)
    with pytest.raises(ValueError, match="material"):
        initial_density("unobtainium", pulse)
    with pytest.raises(ValueError, match="repetition_rate"):
        generation_rate(MAPI, pulse)
    with pytest.raises(ValueError, match="excitation"):
        initial_density(MAPI, CWExcitation(power_density=1.0, wavelength=500.0))
