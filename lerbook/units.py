"""Physical constants and unit conversions: the one place the book converts units.

The public API of :mod:`lerbook` uses the field's own units (densities in
cm^-3, times in s, energies in eV, temperatures in K, fluence in uJ cm^-2,
power density in mW cm^-2, wavelengths in nm). The constants below are the
exact or CODATA 2018 values [1]_.

.. rubric:: References

.. [1] E. Tiesinga et al., "CODATA recommended values of the fundamental
   physical constants: 2018", Rev. Mod. Phys. 93, 025010 (2021).
   doi:10.1103/RevModPhys.93.025010
"""

from __future__ import annotations

import numpy as np

#: Elementary charge [C]; also joules per electronvolt [J eV^-1].
ELEMENTARY_CHARGE = 1.602176634e-19
#: Boltzmann constant [eV K^-1].
BOLTZMANN_EV = 8.617333262e-5
#: Boltzmann constant [J K^-1].
BOLTZMANN_J = 1.380649e-23
#: Planck constant times speed of light [eV nm].
HC_EV_NM = 1239.8419843320026
#: Vacuum permittivity [F m^-1].
VACUUM_PERMITTIVITY = 8.8541878128e-12
#: Electron rest mass [kg].
ELECTRON_MASS = 9.1093837015e-31
#: Reduced Planck constant [eV s].
HBAR_EV_S = 6.582119569e-16
#: Planck constant [eV s] (exact in the 2019 SI: 6.62607015e-34 J s / e).
PLANCK_EV_S = 4.135667696e-15
#: Speed of light in vacuum [cm s^-1].
SPEED_OF_LIGHT_CM_S = 2.99792458e10
#: Stefan-Boltzmann constant [W cm^-2 K^-4].
STEFAN_BOLTZMANN_W_CM2 = 5.670374419e-12


def photon_energy(wavelength_nm):
    """Photon energy [eV] of light of wavelength ``wavelength_nm`` [nm]: E = hc / lambda."""
    return HC_EV_NM / np.asarray(wavelength_nm, dtype=float)


def wavelength(photon_energy_ev):
    """Wavelength [nm] of a photon of energy ``photon_energy_ev`` [eV]: lambda = hc / E."""
    return HC_EV_NM / np.asarray(photon_energy_ev, dtype=float)


def thermal_energy(temperature_k):
    """Thermal energy kB T [eV] at temperature ``temperature_k`` [K]."""
    return BOLTZMANN_EV * np.asarray(temperature_k, dtype=float)


# Lengths, areas, volumes: the API uses nm for sizes and cm for densities' volumes; SI inside
# formulas that need it.
#: Nanometres per centimetre.
NM_PER_CM = 1e7
#: Metres per nanometre.
M_PER_NM = 1e-9
#: Square metres per square centimetre (mobilities cm^2 V^-1 s^-1 -> m^2 V^-1 s^-1).
M2_PER_CM2 = 1e-4
#: Cubic centimetres per cubic metre (densities m^-3 -> cm^-3 divide by it).
CM3_PER_M3 = 1e6

#: Readable time units for plot axes: name -> seconds.
TIME_UNITS = {"fs": 1e-15, "ps": 1e-12, "ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0,
              "min": 60.0, "h": 3600.0}


def readable_time_unit(seconds: float) -> tuple[str, float]:
    """Choose a readable unit for a time span.

    Parameters
    ----------
    seconds : float
        The span to label [s].

    Returns
    -------
    name : str
        The unit name, e.g. ``"ns"``.
    scale : float
        Seconds per unit [s]: divide times in seconds by it.
    """
    span = abs(float(seconds))
    chosen = ("fs", 1e-15)
    for name, scale in TIME_UNITS.items():
        if span >= scale:
            chosen = (name, scale)
    return chosen
