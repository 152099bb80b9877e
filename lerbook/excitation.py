"""Excitation: laser fluence and power density into carrier densities.

A pulse of fluence F [uJ cm^-2] at wavelength lambda [nm] carries
N_ph = F / E_ph photons per cm^2, with E_ph = hc / lambda. A fraction R is
reflected; the rest is absorbed following Beer-Lambert, n(z) = N_ph (1 - R)
alpha exp(-alpha z), so the carrier density created at the front surface is

.. math:: n_0 = \\frac{F}{E_{ph}} (1 - R)\\, \\alpha ,

and averaged over a film of thickness d,

.. math:: \\bar n_0 = \\frac{F}{E_{ph}} (1 - R)\\, \\frac{1 - e^{-\\alpha d}}{d} .

A continuous-wave (CW) beam of power density P [mW cm^-2] generates carriers at
G = (P / E_ph)(1 - R) alpha (front surface) or its thickness average, in
cm^-3 s^-1. A pulse train at repetition rate f [Hz] generates on average
G = n_0 f (see [1]_ for these conversions in perovskite TRPL work).

The absorption coefficient is the one model of :func:`lerbook.spectra.urbach_absorption`:
the material's tabulated value as a plateau above the gap and an Urbach tail below it,
alpha(E) = alpha_above exp((E - E_g) / E_U) [2]_. The plateau is a simplification: the
tabulated value is taken about 0.5 eV above the gap, so for MAPbI3 pumped at 400 nm, where
a second transition raises the real coefficient to ~1.5-2e5 cm^-1, it underestimates alpha
(and the front-surface density) by a factor of 3-4. For such pumps, pass a material whose
``alpha_above_gap`` is the value at the pump wavelength (``material.with_(...)``), or
average over the film thickness, which depends on alpha only weakly for thick films.

.. rubric:: References

.. [1] L. M. Herz, "Charge-carrier dynamics in organic-inorganic metal halide
   perovskites", Annu. Rev. Phys. Chem. 67, 65 (2016).
   doi:10.1146/annurev-physchem-040215-112222
.. [2] F. Urbach, "The long-wavelength edge of photographic sensitivity and of
   the electronic absorption of solids", Phys. Rev. 92, 1324 (1953).
   doi:10.1103/PhysRev.92.1324
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lerbook import _validate
from lerbook.materials import Material, get_material
from lerbook.spectra import urbach_absorption
from lerbook.units import ELEMENTARY_CHARGE, NM_PER_CM, photon_energy

#: Wavelengths the excitation models accept [nm]: UV to near infrared.
WAVELENGTH_RANGE = (200.0, 2000.0)


@dataclass(frozen=True)
class PulsedExcitation:
    """A laser pulse, or a train of identical pulses.

    Parameters
    ----------
    fluence : float
        Pulse energy per area incident on the sample [uJ cm^-2].
    wavelength : float
        Laser wavelength [nm], 200-2000.
    repetition_rate : float or None
        Pulses per second [Hz]; None for a single pulse.
    reflectance : float
        Fraction of the light reflected at the front surface [-], 0 <= R < 1.
    """

    fluence: float
    wavelength: float
    repetition_rate: float | None = None
    reflectance: float = 0.0

    def __post_init__(self):
        _validate.positive("fluence", self.fluence, "uJ cm^-2")
        _validate.in_range("wavelength", self.wavelength, *WAVELENGTH_RANGE, unit="nm")
        if self.repetition_rate is not None:
            _validate.positive("repetition_rate", self.repetition_rate, "Hz")
        _validate.in_range("reflectance", self.reflectance, 0.0, 1.0, include_high=False)

    @property
    def photon_energy(self) -> float:
        """Photon energy [eV]."""
        return float(photon_energy(self.wavelength))

    @property
    def photon_fluence(self) -> float:
        """Incident photons per pulse per area [cm^-2]."""
        return self.fluence * 1e-6 / (self.photon_energy * ELEMENTARY_CHARGE)

    @property
    def period(self) -> float:
        """Time between pulses [s]."""
        if self.repetition_rate is None:
            raise ValueError("repetition_rate is None (a single pulse has no period)")
        return 1.0 / self.repetition_rate

    def pulse_times(self, duration: float) -> np.ndarray:
        """Arrival times [s] of the pulses in [0, duration), the first at t = 0."""
        _validate.positive("duration", duration, "s")
        count = int(np.ceil(duration / self.period - 1e-12))
        return np.arange(count) * self.period


@dataclass(frozen=True)
class CWExcitation:
    """A continuous-wave beam.

    Parameters
    ----------
    power_density : float
        Incident power per area [mW cm^-2].
    wavelength : float
        Wavelength [nm], 200-2000.
    reflectance : float
        Fraction reflected at the front surface [-], 0 <= R < 1.
    """

    power_density: float
    wavelength: float
    reflectance: float = 0.0

    def __post_init__(self):
        _validate.positive("power_density", self.power_density, "mW cm^-2")
        _validate.in_range("wavelength", self.wavelength, *WAVELENGTH_RANGE, unit="nm")
        _validate.in_range("reflectance", self.reflectance, 0.0, 1.0, include_high=False)

    @property
    def photon_energy(self) -> float:
        """Photon energy [eV]."""
        return float(photon_energy(self.wavelength))

    @property
    def photon_flux(self) -> float:
        """Incident photons per area per second [cm^-2 s^-1]."""
        return self.power_density * 1e-3 / (self.photon_energy * ELEMENTARY_CHARGE)


def absorption_coefficient(material: Material | str, wavelength) -> np.ndarray:
    """Absorption coefficient of a material at a wavelength.

    Parameters
    ----------
    material : Material or str
        The material or its name in :data:`lerbook.materials.MATERIALS`.
    wavelength : float or array_like
        Wavelength [nm].

    Returns
    -------
    alpha : float or ndarray
        Absorption coefficient [cm^-1]: the material's above-gap value for photon
        energies at or above the band gap, an Urbach tail
        alpha_above exp((E - E_g) / E_U) below it.
    """
    material = get_material(material)
    alpha = urbach_absorption(photon_energy(wavelength), material.band_gap,
                              material.urbach_energy, material.alpha_above_gap)
    return alpha if alpha.ndim else float(alpha)


def _absorbed_per_volume(material, excitation, thickness):
    """Absorbed photons per incident photon per depth [cm^-1], front or film average."""
    alpha = absorption_coefficient(material, excitation.wavelength)
    kept = 1.0 - excitation.reflectance
    if thickness is None:
        return kept * alpha
    depth_cm = _validate.positive("thickness", thickness, "nm") / NM_PER_CM
    return kept * -np.expm1(-alpha * depth_cm) / depth_cm


def initial_density(material: Material | str, excitation: PulsedExcitation,
                    thickness: float | None = None) -> float:
    """Carrier density created by one pulse.

    Parameters
    ----------
    material : Material or str
        The absorbing material or its name.
    excitation : PulsedExcitation
        The pulse.
    thickness : float or None
        Film thickness [nm] to average over; None gives the density at the
        front surface.

    Returns
    -------
    n0 : float
        Electron-hole pair density [cm^-3], n0 = F/E_ph (1 - R) alpha at the front
        or F/E_ph (1 - R)(1 - exp(-alpha d))/d averaged over the film.

    Examples
    --------
    >>> from lerbook.excitation import PulsedExcitation, initial_density
    >>> n0 = initial_density("MAPbI3", PulsedExcitation(fluence=1.0, wavelength=500))
    >>> 1e17 < n0 < 1e19
    True
    """
    if not isinstance(excitation, PulsedExcitation):
        raise ValueError(f"excitation must be a PulsedExcitation, got {type(excitation).__name__}")
    return float(excitation.photon_fluence * _absorbed_per_volume(material, excitation, thickness))


def generation_rate(material: Material | str, excitation: CWExcitation | PulsedExcitation,
                    thickness: float | None = None) -> float:
    """Time-averaged carrier generation rate.

    Parameters
    ----------
    material : Material or str
        The absorbing material or its name.
    excitation : CWExcitation or PulsedExcitation
        A CW beam, or a pulse train (its repetition rate must be set).
    thickness : float or None
        Film thickness [nm] to average over; None gives the front surface.

    Returns
    -------
    G : float
        Generation rate [cm^-3 s^-1]: (P/E_ph)(1 - R) alpha for CW, n0 f for a
        pulse train (front surface; thickness averages as in
        :func:`initial_density`).
    """
    if isinstance(excitation, PulsedExcitation):
        return initial_density(material, excitation, thickness) / excitation.period
    if not isinstance(excitation, CWExcitation):
        kind = type(excitation).__name__
        raise ValueError(f"excitation must be a CWExcitation or PulsedExcitation, got {kind}")
    return float(excitation.photon_flux * _absorbed_per_volume(material, excitation, thickness))
