"""Units and validation helpers: conversions and the error messages readers see."""

import math

import pytest

from lerbook import _validate
from lerbook.units import photon_energy, readable_time_unit, thermal_energy, wavelength


def test_photon_energy_and_wavelength_are_inverse():
    assert photon_energy(1239.8419843320026) == pytest.approx(1.0)
    assert wavelength(photon_energy(532.0)) == pytest.approx(532.0)


def test_thermal_energy_at_room_temperature_is_25_8_meV():
    assert thermal_energy(300.0) == pytest.approx(0.025852, rel=1e-4)


@pytest.mark.parametrize("seconds,unit", [(3e-13, "fs"), (5e-12, "ps"), (2e-7, "ns"),
                                          (0.5, "ms"), (120.0, "min")])
def test_readable_time_unit(seconds, unit):
    assert readable_time_unit(seconds)[0] == unit


@pytest.mark.parametrize("value", [0.0, -1.0, math.nan, math.inf, "abc", None])
def test_positive_rejects_with_name_value_and_range(value):
    with pytest.raises(ValueError, match=r"lifetime must .*"):
        _validate.positive("lifetime", value, "s")


def test_in_range_message_states_the_range_and_unit():
    with pytest.raises(ValueError, match=r"wavelength must lie in \[200, 2000\] nm, got 100"):
        _validate.in_range("wavelength", 100, 200, 2000, unit="nm")
    assert _validate.in_range("x", 0.5, 0, 1) == 0.5
