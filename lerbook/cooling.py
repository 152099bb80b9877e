r"""Hot-carrier cooling: carriers, LO phonons and acoustic phonons as coupled populations.

A pump photon of energy :math:`E_{ph}` above the band gap :math:`E_g` creates an electron-hole
pair with the excess energy :math:`E_{ph} - E_g`. Carrier-carrier scattering shares it out within
~100 fs, after which the carriers have a Boltzmann distribution at a carrier temperature
:math:`T_c` above the lattice temperature :math:`T_0`. They cool by emitting longitudinal optical
(LO) phonons through the Froehlich interaction (tens of fs per phonon), the LO phonons decay into
pairs of acoustic phonons (Klemens decay, ~0.6 ps in MAPbI3), and the acoustic phonons carry
the energy away into the rest of the lattice.

This module follows four populations, each with its own energy:

==========================  ===============================  ==================================
population                  state variable                   energy density
==========================  ===============================  ==================================
electron-hole pairs         density n [cm^-3]                :math:`n E_g` (recombination
                                                             energy, released by recombination)
carrier kinetic energy      u = 3 kB Tc n [eV cm^-3]         :math:`3 k_B T_c` per pair
hot (Froehlich) LO modes    occupation N_LO [-]              :math:`M_{LO} \hbar\omega N_{LO}`
acoustic bath               temperature T_A [K]              :math:`C_A (T_A - T_0)`
==========================  ===============================  ==================================

and couples the acoustic bath to the rest of the lattice (a bath at :math:`T_0`) through a
dissipation time :math:`\tau_{diss}`. The *lattice energy reservoir* (LER) of Wen and Jia (2024)
is modelled as what it claims to be: a strained nanodomain whose boundary conducts heat poorly,
so the dissipation time is lengthened by a factor (``reservoir_factor``). The acoustic energy
then stays in the domain, the reverse Klemens process re-pumps the LO modes (acoustic-optical
phonon upconversion, as proposed by Yang et al. 2017) and the LO phonons are reabsorbed by the
carriers, which stay warm longer (reheating). The stored energy sits in the acoustic modes only
(:math:`C_A`, 0.167 J cm^-3 K^-1 for MAPbI3), whereas the domain lifetime of
:mod:`lerbook.reservoir` uses the whole lattice (~1.25 J cm^-3 K^-1). A strained boundary blocks
transport *out of* a domain, not the sharing of energy with the other modes *inside* it, so
lengthening :math:`\tau_{diss}` by the reservoir factor mixes two processes: it assumes that the
acoustic energy neither leaves the domain nor spreads over the domain's other modes. The late
plateau heights are therefore ~7 times higher than a reservoir sharing its heat with the whole
domain lattice would give.

Two mechanisms slow cooling at high density and both are in the model:

* **Hot-phonon bottleneck.** The carriers emit into a finite number of LO modes, an effective
  density :math:`M_{LO}` [cm^-3] of Froehlich-active modes at small wave vector. Once
  :math:`n \gtrsim M_{LO}/3` these modes heat up to the carrier temperature, reabsorption
  balances emission, and the carriers cool only as fast as the LO phonons decay (Yang et al. 2016;
  Price et al. 2015; Fu et al. 2017).
* **Auger heating.** Each Auger event removes a pair and hands its band-gap energy to the
  remaining carriers, which dominates near 1e19 cm^-3 (Fu et al. 2017).

:func:`simulate_cooling` integrates the model (scipy Radau with an analytic Jacobian: the
exchange is fs-fast, the dissipation ns-slow); :func:`cooling_time` reads off the cooling time
and :func:`cooling_times` sweeps it over densities. Parameters come from
:func:`cooling_parameters`, which combines a :class:`lerbook.materials.Material` (band gap, LO
phonon energy, permittivities, masses, recombination coefficients) with the cooling-specific
values of :data:`COOLING_PRESETS`, each with its source and its status (measured, fitted,
derived or chosen).

What the model leaves out, on purpose: degeneracy of the carrier gas (it is Boltzmann; with
m* = 0.208 the band-edge density of states
(:func:`lerbook.recombination.effective_density_of_states`) is ~2.4e18 cm^-3 at 300 K,
growing as T^(3/2), so the statistics hold below ~1e18 cm^-3 at 300 K; hot carriers tolerate
more, but the late, nearly cooled plateau at 1e19 is degenerate and only qualitative, and 1e20
is out of range), the wave-vector dependence of the hot LO modes
(one lumped occupation), direct carrier-acoustic (deformation-potential) scattering, which
matters only at cryogenic temperatures where LO emission freezes out, polaron screening of the
Froehlich coupling, and the slow warming of the whole lattice: the dissipated energy goes to a
bath held at :math:`T_0` (at 1e19 cm^-3 the whole lattice would warm by only ~1-2 K).

.. rubric:: References

- X. Wen and B. Jia, "Lattice energy reservoir in metal halide perovskites",
  arXiv:2406.18818 (2024). doi:10.48550/arXiv.2406.18818
- J. Yang et al., "Acoustic-optical phonon up-conversion and hot-phonon bottleneck in
  lead-halide perovskites", Nat. Commun. 8, 14120 (2017). doi:10.1038/ncomms14120
- Y. Yang et al., "Observation of a hot-phonon bottleneck in lead-iodide perovskites",
  Nat. Photonics 10, 53 (2016). doi:10.1038/nphoton.2015.213
- M. B. Price et al., "Hot-carrier cooling and photoinduced refractive index changes in
  organic-inorganic lead halide perovskites", Nat. Commun. 6, 8420 (2015).
  doi:10.1038/ncomms9420
- J. Fu et al., "Hot carrier cooling mechanisms in halide perovskites", Nat. Commun. 8,
  1300 (2017). doi:10.1038/s41467-017-01360-3
- P. G. Klemens, "Anharmonic decay of optical phonons", Phys. Rev. 148, 845 (1966).
  doi:10.1103/PhysRev.148.845
- H. Froehlich, "Electrons in lattice fields", Adv. Phys. 3, 325 (1954).
  doi:10.1080/00018735400101213
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.integrate import solve_ivp

from lerbook import _validate
from lerbook.materials import Material, get_material
from lerbook.units import (
    BOLTZMANN_EV,
    BOLTZMANN_J,
    ELECTRON_MASS,
    ELEMENTARY_CHARGE,
    HBAR_EV_S,
    VACUUM_PERMITTIVITY,
)

__all__ = [
    "COOLING_PRESETS",
    "PresetValue",
    "CoolingParameters",
    "CoolingResult",
    "EnergyBudget",
    "EnergyFlows",
    "bose_occupation",
    "lo_temperature",
    "froehlich_coupling",
    "lo_emission_time",
    "acoustic_heat_capacity",
    "cooling_parameters",
    "initial_carrier_temperature",
    "default_time_grid",
    "cooling_rate",
    "cooling_jacobian",
    "energy_flows",
    "simulate_cooling",
    "simulate_cooling_sweep",
    "energy_budget",
    "cooling_time",
    "cooling_times",
]

_HBAR_J_S = HBAR_EV_S * ELEMENTARY_CHARGE  # J s
_ANGSTROM3_PER_CM3 = 1e24
_T_FLOOR = 0.1  # K: temperatures below this are treated as this inside the rate law

# Ranges the parameters are validated against (wide: the book's sliders stay well inside).
_RANGES = {
    "band_gap": (0.5, 4.0, "eV"),
    "lo_phonon_energy": (1e-3, 0.2, "eV"),
    "tau_em": (1e-16, 1e-11, "s"),
    "tau_lo": (1e-15, 1e-9, "s"),
    "M_LO": (1e14, 1e23, "cm^-3"),
    "acoustic_heat_capacity": (1e-4, 10.0, "J cm^-3 K^-1"),
    "reservoir_factor": (1.0, 1e6, "-"),
    "T0": (1.0, 1000.0, "K"),
}
_DENSITY_RANGE = (1e10, 1e21)  # cm^-3
_MAX_EXCESS_ENERGY = 5.0  # eV above the gap
_MAX_INITIAL_TEMPERATURE = 1e5  # K


# --------------------------------------------------------------------------------------------
# Phonon statistics and the Froehlich coupling
# --------------------------------------------------------------------------------------------
def bose_occupation(energy, temperature, chemical_potential=0.0):
    r"""Bose-Einstein occupation of a phonon mode (or, with a chemical potential, of photons).

    Parameters
    ----------
    energy : float or array_like
        Quantum energy :math:`\hbar\omega` [eV], > ``chemical_potential``.
    temperature : float or array_like
        Temperature [K], > 0.
    chemical_potential : float or array_like
        Chemical potential :math:`\mu` [eV]: 0 for phonons; the quasi-Fermi level splitting
        for the photons a band edge emits (generalised Planck law). Default 0.

    Returns
    -------
    float or numpy.ndarray
        :math:`N = 1 / (e^{(\hbar\omega - \mu) / k_B T} - 1)` [-], computed as
        :math:`e^{-x} / (1 - e^{-x})` so that it underflows to 0 instead of overflowing at
        low temperature.

    Examples
    --------
    >>> round(bose_occupation(0.0115, 300.0), 3)  # the MAPbI3 LO mode at room temperature
    1.785
    """
    energy = np.asarray(energy, dtype=float)
    temperature = np.asarray(temperature, dtype=float)
    if np.any(~(energy - chemical_potential > 0)) or np.any(~(temperature > 0)):
        raise ValueError(
            f"energy and temperature must be > 0 eV (above the chemical potential "
            f"{chemical_potential!r} eV) and > 0 K, got {energy!r}, {temperature!r}")
    x = (energy - chemical_potential) / (BOLTZMANN_EV * temperature)
    result = np.exp(-x) / -np.expm1(-x)
    return float(result) if result.ndim == 0 else result


def lo_temperature(occupation, energy):
    r"""Temperature at which a Bose mode of this energy has this occupation.

    Parameters
    ----------
    occupation : float or array_like
        Mode occupation :math:`N` [-]; values <= 0 give 0 K.
    energy : float
        Phonon energy :math:`\hbar\omega` [eV], > 0.

    Returns
    -------
    float or numpy.ndarray
        :math:`T = \hbar\omega / (k_B \ln(1 + 1/N))` [K], the inverse of
        :func:`bose_occupation`.

    Examples
    --------
    >>> round(lo_temperature(bose_occupation(0.0115, 450.0), 0.0115), 6)
    450.0
    """
    energy = _validate.positive("energy", energy, "eV")
    occupation = np.asarray(occupation, dtype=float)
    safe = np.maximum(occupation, 1e-300)
    result = np.where(occupation > 0, energy / (BOLTZMANN_EV * np.log1p(1.0 / safe)), 0.0)
    return float(result) if result.ndim == 0 else result


def froehlich_coupling(eps_optical, eps_static, mass, lo_phonon_energy):
    r"""Dimensionless Froehlich coupling constant of a carrier to the LO phonons.

    Parameters
    ----------
    eps_optical : float
        High-frequency relative permittivity :math:`\varepsilon_\infty` [-].
    eps_static : float
        Static relative permittivity :math:`\varepsilon_s` [-], >= ``eps_optical``.
    mass : float
        Band effective mass of the carrier [m0].
    lo_phonon_energy : float
        LO phonon energy :math:`\hbar\omega_{LO}` [eV].

    Returns
    -------
    float
        :math:`\alpha` [-].

    Notes
    -----
    .. math::

        \alpha = \frac{e^2}{4\pi\varepsilon_0\hbar}
                 \sqrt{\frac{m^*}{2\hbar\omega_{LO}}}
                 \left(\frac{1}{\varepsilon_\infty} - \frac{1}{\varepsilon_s}\right)

    (Froehlich 1954). Frost (2017) finds alpha = 2.39 (electrons) and 2.68 (holes) for MAPbI3
    with his parameters; the book's MAPbI3 preset gives 2.67 for both.

    References
    ----------
    - H. Froehlich, Adv. Phys. 3, 325 (1954). doi:10.1080/00018735400101213
    - J. M. Frost, "Calculating polaron mobility in halide perovskites", Phys. Rev. B 96,
      195202 (2017). doi:10.1103/PhysRevB.96.195202

    Examples
    --------
    >>> round(froehlich_coupling(5.0, 33.5, 0.208, 0.0115), 2)  # MAPbI3
    2.67
    """
    eps_optical = _validate.in_range("eps_optical", eps_optical, 1.0, 1e4)
    eps_static = _validate.in_range("eps_static", eps_static, eps_optical, 1e6)
    mass = _validate.in_range("mass", mass, 1e-3, 100.0, "m0")
    energy_j = _validate.positive("lo_phonon_energy", lo_phonon_energy, "eV") * ELEMENTARY_CHARGE
    prefactor = ELEMENTARY_CHARGE**2 / (4 * math.pi * VACUUM_PERMITTIVITY * _HBAR_J_S)
    return prefactor * math.sqrt(mass * ELECTRON_MASS / (2 * energy_j)) * (
        1.0 / eps_optical - 1.0 / eps_static)


def lo_emission_time(material: Material | str) -> float:
    r"""Froehlich LO-phonon emission time of a hot carrier in a material.

    Parameters
    ----------
    material : Material or str
        The material or its name in :data:`lerbook.materials.MATERIALS`.

    Returns
    -------
    float
        :math:`\tau_{em} = 1 / (\bar\alpha\, \omega_{LO})` [s], with :math:`\bar\alpha` the mean
        of the electron and hole Froehlich constants (:func:`froehlich_coupling`).

    Notes
    -----
    The Froehlich emission rate of a carrier of kinetic energy :math:`E \gg \hbar\omega` into
    an empty LO mode is
    :math:`W = \alpha\omega_{LO}\sqrt{\hbar\omega/E}\,\ln(4E/\hbar\omega)` (Froehlich 1954). The
    ratio :math:`W/(\alpha\omega_{LO})` falls from 1.34 at :math:`E = 5\hbar\omega` to 0.87 at
    :math:`E = 30\hbar\omega` (carrier temperatures of ~300-3000 K), so
    :math:`1/(\alpha\omega_{LO})` is the emission time of the carriers this chapter follows to
    within ~30 %. For MAPbI3 it
    is ~21 fs, inside the 6-30 fs intraband relaxation times computed ab initio by Schlipf et
    al. (2018).

    References
    ----------
    - H. Froehlich, Adv. Phys. 3, 325 (1954). doi:10.1080/00018735400101213
    - M. Schlipf, S. Ponce and F. Giustino, "Carrier lifetimes and polaronic mass
      enhancement in the hybrid halide perovskite CH3NH3PbI3 from multiphonon Froehlich
      coupling", Phys. Rev. Lett. 121, 086402 (2018). doi:10.1103/PhysRevLett.121.086402

    Examples
    --------
    >>> print(f"{lo_emission_time('MAPbI3') * 1e15:.0f} fs")
    21 fs
    """
    material = get_material(material)
    alphas = [froehlich_coupling(material.eps_optical, material.eps_static, mass,
                                 material.lo_phonon_energy)
              for mass in (material.mass_electron, material.mass_hole)]
    omega = material.lo_phonon_energy / HBAR_EV_S
    return 1.0 / (0.5 * sum(alphas) * omega)


def acoustic_heat_capacity(formula_unit_volume: float) -> float:
    r"""Classical heat capacity of the three acoustic branches per volume.

    Parameters
    ----------
    formula_unit_volume : float
        Volume per formula unit ABX3 (the pseudo-cubic perovskite cell) [Angstrom^3].

    Returns
    -------
    float
        :math:`C_A = 3 k_B / V_{f.u.}` [J cm^-3 K^-1].

    Notes
    -----
    Counting the acoustic branches of the pseudo-cubic one-formula-unit cell, each mode
    holding :math:`k_B` (the Dulong-Petit limit, good above the ~50-100 K at which the soft
    acoustic branches of the lead halides are fully excited). These are the modes that the
    Klemens decay of the LO phonons feeds and whose heat the reservoir is said to trap.

    Examples
    --------
    >>> round(acoustic_heat_capacity(247.5), 3)  # MAPbI3
    0.167
    """
    volume = _validate.in_range("formula_unit_volume", formula_unit_volume, 10.0, 1e4,
                                "Angstrom^3")
    return 3 * BOLTZMANN_J * _ANGSTROM3_PER_CM3 / volume


# --------------------------------------------------------------------------------------------
# Presets
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PresetValue:
    """One cooling parameter of a preset, with where it comes from.

    Attributes
    ----------
    value : float
        The value, in the unit of the :class:`CoolingParameters` field of the same name.
    sources : tuple of str
        BibTeX keys (``book/references.bib``).
    basis : str
        ``"measured"``, ``"fitted"`` (an effective value fitted to experiments in the source),
        ``"derived"`` (computed here from other literature values), ``"analogue"`` (another
        compound's value) or ``"chosen"`` (set in this book, within the range the sources allow).
    note : str
        Why this value.
    """

    value: float
    sources: tuple[str, ...]
    basis: str
    note: str


_M_LO_NOTE = (
    "Effective density of Froehlich-active LO modes that the hot carriers populate. It is "
    "q_c^3/(6 pi^2) with q_c ~ 5e8 m^-1 (a tenth of the Brillouin zone): Froehlich emission "
    "(matrix element ~1/q^2) concentrates at small q, between q_min ~1e8 m^-1 and the carrier "
    "wave vector ~3e9 m^-1, so the plain mode count up to the carrier wave vector (~1e20) "
    "overestimates it and the 1/q^2-weighted count (~1e17) underestimates it. Chosen inside "
    "that range so that the bottleneck sets in near 5e17-1e18 cm^-3, where Yang et al. 2016 "
    "and Price et al. 2015 see cooling slow down and where Frost et al. 2017 place the "
    "overlap of polarons that share their phonon sub-populations (n >= 1e18 cm^-3)."
)
_TAU_DISS_NOTE = (
    "Time for the acoustic modes fed by Klemens decay to hand their energy to the rest of the "
    "lattice, without a reservoir. Inelastic neutron scattering finds acoustic-phonon "
    "lifetimes of the order of picoseconds over much of the Brillouin zone; chosen as a few "
    "such lifetimes. The reservoir multiplies it (reservoir_factor; ~100 gives the ~0.5 ns "
    "thermal lifetime of a 20 nm domain in lerbook.reservoir)."
)

#: Cooling-specific parameters of each material, each a :class:`PresetValue` with its sources
#: and basis. :func:`cooling_parameters` combines them with the material's own values (band
#: gap, LO phonon energy, recombination coefficients) from :mod:`lerbook.materials`.
COOLING_PRESETS = MappingProxyType({
    "MAPbI3": MappingProxyType({
        "tau_em": PresetValue(
            lo_emission_time("MAPbI3"), ("frohlich1954electrons", "schlipf2018carrier"),
            "derived",
            "1/(alpha omega_LO) from the material's permittivities, masses and LO energy "
            "(lo_emission_time); inside the 6-30 fs ab initio range of Schlipf et al. 2018."),
        "tau_lo": PresetValue(
            0.6e-12, ("fu2017hotcarrier",), "fitted",
            "LO phonon lifetime 0.6 +- 0.1 ps fitted to fluence-dependent transient absorption "
            "of MAPbI3 with a hot-phonon model."),
        "M_LO": PresetValue(2e18, ("yang2016hotphonon", "price2015hotcarrier",
                                   "frost2017slowcooling"), "chosen", _M_LO_NOTE),
        "acoustic_heat_capacity": PresetValue(
            acoustic_heat_capacity(247.5), ("stoumpos2013semiconducting",), "derived",
            "3 kB per formula unit (247.5 A^3: tetragonal cell a = 8.85 A, c = 12.64 A, Z = 4)"
            "; acoustic_heat_capacity()."),
        "tau_diss": PresetValue(5e-12, ("goldparker2018acoustic",), "chosen", _TAU_DISS_NOTE),
    }),
    "CsPbBr3": MappingProxyType({
        "tau_em": PresetValue(
            lo_emission_time("CsPbBr3"), ("frohlich1954electrons",), "derived",
            "1/(alpha omega_LO) from the material's permittivities, masses and LO energy "
            "(lo_emission_time)."),
        "tau_lo": PresetValue(
            0.6e-12, ("fu2017hotcarrier",), "analogue",
            "No LO lifetime from a hot-phonon fit of CsPbBr3 was found; the MAPbI3 value is "
            "used."),
        "M_LO": PresetValue(2e18, ("yang2016hotphonon", "price2015hotcarrier",
                                   "frost2017slowcooling"), "analogue",
                            "Same effective value as MAPbI3. " + _M_LO_NOTE),
        "acoustic_heat_capacity": PresetValue(
            acoustic_heat_capacity(198.3), ("stoumpos2013crystal",), "derived",
            "3 kB per formula unit (198.3 A^3: orthorhombic Pnma cell, Z = 4); "
            "acoustic_heat_capacity()."),
        "tau_diss": PresetValue(5e-12, ("songvilay2019common",), "chosen",
                                _TAU_DISS_NOTE + " The same short acoustic lifetimes are found "
                                "in CsPbBr3 (Songvilay et al. 2019)."),
    }),
})


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CoolingParameters:
    r"""Parameters of the three-temperature hot-carrier cooling model.

    Build one from the literature with :func:`cooling_parameters`; change values with
    ``dataclasses.replace`` (the copy is validated again).

    Parameters
    ----------
    band_gap : float
        Band gap :math:`E_g` [eV], 0.5-4. Energy released by each recombination event.
    lo_phonon_energy : float
        Energy :math:`\hbar\omega` of the Froehlich-coupled LO phonon [eV], 0.001-0.2.
    tau_em : float
        LO-phonon emission time :math:`\tau_{em}` of a hot carrier [s], 1e-16-1e-11.
    tau_lo : float
        LO phonon lifetime :math:`\tau_{LO}` against Klemens decay into acoustic phonons [s],
        1e-15-1e-9.
    M_LO : float
        Effective density of hot LO modes the carriers exchange energy with [cm^-3],
        1e14-1e23. Their energy is :math:`M_{LO}\hbar\omega N_{LO}`; the smaller it is, the
        sooner the hot-phonon bottleneck sets in.
    acoustic_heat_capacity : float
        Volumetric heat capacity :math:`C_A` of the acoustic modes fed by Klemens decay
        [J cm^-3 K^-1], 1e-4-10.
    tau_diss : float
        Dissipation time :math:`\tau_{diss}` of the acoustic excess energy into the rest of
        the lattice without a reservoir [s], > 0; ``math.inf`` switches dissipation off.
    reservoir_factor : float
        Factor >= 1 by which the lattice energy reservoir lengthens the dissipation time [-],
        1-1e6. 1 is the conventional model.
    T0 : float
        Lattice (bath) temperature :math:`T_0` [K], 1-1000.
    A : float
        Monomolecular (trap) recombination rate [s^-1], >= 0.
    B : float
        Bimolecular recombination coefficient [cm^3 s^-1], >= 0.
    C : float
        Auger recombination coefficient [cm^6 s^-1], >= 0. 0 switches Auger recombination,
        and so Auger heating, off.

    Notes
    -----
    The effective dissipation time is
    :math:`\tau_{diss}^{eff} =` ``tau_diss * reservoir_factor`` (:attr:`tau_diss_effective`).
    The rate law is in :func:`cooling_rate`.

    Examples
    --------
    >>> from dataclasses import replace
    >>> params = cooling_parameters("MAPbI3")
    >>> with_reservoir = replace(params, reservoir_factor=100.0)
    >>> print(f"{with_reservoir.tau_diss_effective * 1e12:.0f} ps")
    500 ps
    """

    band_gap: float
    lo_phonon_energy: float
    tau_em: float
    tau_lo: float
    M_LO: float
    acoustic_heat_capacity: float
    tau_diss: float
    reservoir_factor: float = 1.0
    T0: float = 300.0
    A: float = 0.0
    B: float = 0.0
    C: float = 0.0

    def __post_init__(self):
        for name, (low, high, unit) in _RANGES.items():
            object.__setattr__(self, name,
                               _validate.in_range(name, getattr(self, name), low, high, unit))
        object.__setattr__(self, "tau_diss", _validate.in_range(
            "tau_diss", self.tau_diss, 0.0, math.inf, "s", include_low=False))
        for name, unit in (("A", "s^-1"), ("B", "cm^3 s^-1"), ("C", "cm^6 s^-1")):
            object.__setattr__(self, name, _validate.non_negative(name, getattr(self, name), unit))

    @property
    def tau_diss_effective(self) -> float:
        """Dissipation time with the reservoir, ``tau_diss * reservoir_factor`` [s]."""
        return self.tau_diss * self.reservoir_factor

    @property
    def lo_occupation_equilibrium(self) -> float:
        """Bose occupation of the LO mode at the lattice temperature T0 [-]."""
        return bose_occupation(self.lo_phonon_energy, self.T0)


def cooling_parameters(material: Material | str = "MAPbI3", **overrides) -> CoolingParameters:
    r"""Literature parameters of the cooling model for a material.

    Parameters
    ----------
    material : Material or str
        A material with an entry in :data:`COOLING_PRESETS` (``"MAPbI3"``, ``"CsPbBr3"``), by
        name or as a :class:`~lerbook.materials.Material` (e.g. a preset changed with
        ``with_``; its name selects the cooling preset).
    **overrides
        Any :class:`CoolingParameters` field [its unit], replacing the literature value. With
        all of ``tau_em``, ``tau_lo``, ``M_LO``, ``acoustic_heat_capacity`` and ``tau_diss``
        given, any material works.

    Returns
    -------
    CoolingParameters
        ``band_gap``, ``lo_phonon_energy``, ``A``, ``B`` and ``C`` from the material (sources in
        ``book/references.bib``), the rest from :data:`COOLING_PRESETS`, with
        ``reservoir_factor = 1`` and ``T0 = 300`` K unless overridden.

    Raises
    ------
    ValueError
        For an unknown field, a material without cooling preset (unless all the cooling values
        are given), or a value out of range.

    Examples
    --------
    >>> params = cooling_parameters("MAPbI3", T0=77.0)
    >>> params.lo_phonon_energy, params.tau_lo, params.T0
    (0.0115, 6e-13, 77.0)
    """
    material = get_material(material)
    valid = set(CoolingParameters.__dataclass_fields__)
    unknown = sorted(set(overrides) - valid)
    if unknown:
        raise ValueError(f"cooling_parameters got unknown field(s) {', '.join(unknown)}; "
                         f"valid fields: {', '.join(sorted(valid))}")
    values = {"band_gap": material.band_gap, "lo_phonon_energy": material.lo_phonon_energy,
              "A": material.A, "B": material.B, "C": material.C}
    preset = COOLING_PRESETS.get(material.name, {})
    values.update({name: entry.value for name, entry in preset.items()})
    values.update(overrides)
    missing = sorted(set(("tau_em", "tau_lo", "M_LO", "acoustic_heat_capacity", "tau_diss"))
                     - set(values))
    if missing:
        raise ValueError(
            f"material {material.name!r} has no cooling preset (presets: "
            f"{', '.join(COOLING_PRESETS)}); give {', '.join(missing)} as keyword arguments")
    return CoolingParameters(**values)


# --------------------------------------------------------------------------------------------
# The rate law
# --------------------------------------------------------------------------------------------
def _exchange_terms(n, u, occupation, params):
    """Carrier temperature and the net LO emission rate per carrier with its derivatives."""
    temperature = u / (3.0 * BOLTZMANN_EV * n) if n > 0 else params.T0
    safe = max(temperature, _T_FLOOR)
    x = params.lo_phonon_energy / (BOLTZMANN_EV * safe)
    boltzmann = math.exp(-x)
    rate = ((occupation + 1.0) * boltzmann - occupation) / params.tau_em
    d_rate_d_temperature = (occupation + 1.0) * boltzmann * x / safe / params.tau_em \
        if temperature > _T_FLOOR else 0.0
    d_rate_d_occupation = (boltzmann - 1.0) / params.tau_em
    return temperature, rate, d_rate_d_temperature, d_rate_d_occupation


def _bath_terms(acoustic_temperature, params):
    """Bose occupation of the LO mode at the acoustic temperature and its derivative.

    The formula of :func:`bose_occupation`, on floats with ``math``: the solver calls this
    once per right-hand-side evaluation, where numpy's per-call overhead would dominate."""
    safe = max(acoustic_temperature, _T_FLOOR)
    x = params.lo_phonon_energy / (BOLTZMANN_EV * safe)
    boltzmann = math.exp(-x)
    occupation = boltzmann / -math.expm1(-x)
    derivative = occupation * (occupation + 1.0) * x / safe if acoustic_temperature > _T_FLOOR \
        else 0.0
    return occupation, derivative


def cooling_rate(t, y, params: CoolingParameters) -> np.ndarray:
    r"""Right-hand side of the cooling model, dy/dt.

    Parameters
    ----------
    t : float
        Time [s]; unused (the model is autonomous), kept for the common ``(t, y, params)``
        signature.
    y : array_like, shape (4,)
        State ``(n, u, N_LO, T_A)``: pair density n [cm^-3], carrier kinetic energy density
        :math:`u = 3 k_B T_c n` [eV cm^-3], LO occupation :math:`N_{LO}` [-] and acoustic
        temperature :math:`T_A` [K].
    params : CoolingParameters
        Model parameters.

    Returns
    -------
    numpy.ndarray, shape (4,)
        ``(dn/dt [cm^-3 s^-1], du/dt [eV cm^-3 s^-1], dN_LO/dt [s^-1], dT_A/dt [K s^-1])``.

    Notes
    -----
    With :math:`T_c = u / (3 k_B n)` (a non-degenerate electron and hole gas sharing one
    temperature, :math:`\tfrac32 k_B T_c` each), :math:`x_c = \hbar\omega / k_B T_c`, the Bose
    occupation :math:`N_B(T) = 1/(e^{\hbar\omega/k_B T} - 1)` and the net LO emission rate per
    carrier (electrons and holes alike, 2n carriers)

    .. math:: R = \frac{(N_{LO} + 1)\, e^{-x_c} - N_{LO}}{\tau_{em}},

    which vanishes when :math:`N_{LO} = N_B(T_c)` (detailed balance: emission into a mode of
    occupation N goes as N + 1 and needs a carrier above :math:`\hbar\omega`, a Boltzmann
    fraction :math:`e^{-x_c}`; absorption goes as N),

    .. math::

        \frac{dn}{dt} &= -A n - B n^2 - C n^3 \\
        \frac{du}{dt} &= -2 n \hbar\omega R + E_g C n^3 - \frac{u}{n} (A n + B n^2) \\
        \frac{dN_{LO}}{dt} &= \frac{2 n R}{M_{LO}} - \frac{N_{LO} - N_B(T_A)}{\tau_{LO}} \\
        C_A \frac{dT_A}{dt} &= \frac{M_{LO}\hbar\omega}{\tau_{LO}} \left(N_{LO} - N_B(T_A)\right)
            - C_A \frac{T_A - T_0}{\tau_{diss}^{eff}}

    Auger recombination removes a pair and gives the band gap to the remaining carriers (the
    pair's kinetic energy stays with them too); trap and radiative recombination remove pairs
    with their average kinetic energy, leaving :math:`T_c` unchanged. The Klemens term relaxes
    :math:`N_{LO}` toward the Bose occupation at the *acoustic* temperature (Klemens 1966), so a
    acoustic bath pumps LO phonons back (acoustic-optical upconversion). The total energy
    :math:`E = n E_g + u + M_{LO}\hbar\omega N_{LO} + C_A T_A` changes only through the
    dissipation and the trap and radiative recombination terms (:func:`energy_flows`).

    References
    ----------
    - P. G. Klemens, Phys. Rev. 148, 845 (1966). doi:10.1103/PhysRev.148.845

    Examples
    --------
    At equilibrium (carriers, LO modes and acoustic bath at T0, no recombination) nothing
    changes:

    >>> params = cooling_parameters("MAPbI3", A=0.0, B=0.0, C=0.0)
    >>> u = 3 * 8.617333262e-5 * 300.0 * 1e18  # 3 kB T0 n [eV cm^-3]
    >>> rates = cooling_rate(0.0, [1e18, u, params.lo_occupation_equilibrium, 300.0], params)
    >>> bool(abs(rates[1]) < 1e-9 * u / params.tau_em)
    True
    """
    n, u, occupation, acoustic_temperature = (float(v) for v in y)
    p = params
    temperature, rate, _, _ = _exchange_terms(n, u, occupation, p)
    bath_occupation, _ = _bath_terms(acoustic_temperature, p)
    capacity = p.acoustic_heat_capacity / ELEMENTARY_CHARGE  # eV cm^-3 K^-1
    monomolecular = p.A + p.B * n
    auger = p.C * n**3
    klemens = (occupation - bath_occupation) / p.tau_lo
    return np.array([
        -monomolecular * n - auger,
        -2.0 * n * p.lo_phonon_energy * rate + p.band_gap * auger - u * monomolecular,
        2.0 * n * rate / p.M_LO - klemens,
        p.M_LO * p.lo_phonon_energy * klemens / capacity
        - (acoustic_temperature - p.T0) / p.tau_diss_effective,
    ])


def cooling_jacobian(t, y, params: CoolingParameters) -> np.ndarray:
    """Analytic Jacobian of :func:`cooling_rate`, d(dy/dt)/dy.

    Parameters
    ----------
    t : float
        Time [s]; unused.
    y : array_like, shape (4,)
        State ``(n [cm^-3], u [eV cm^-3], N_LO [-], T_A [K])``.
    params : CoolingParameters
        Model parameters.

    Returns
    -------
    numpy.ndarray, shape (4, 4)
        ``J[i, j] = d f_i / d y_j`` in the units of the state and its rate.

    Examples
    --------
    >>> params = cooling_parameters("MAPbI3")
    >>> cooling_jacobian(0.0, [1e18, 1e17, 2.0, 300.0], params).shape
    (4, 4)
    """
    n, u, occupation, acoustic_temperature = (float(v) for v in y)
    p = params
    temperature, rate, rate_t, rate_n = _exchange_terms(n, u, occupation, p)
    bath_occupation, bath_derivative = _bath_terms(acoustic_temperature, p)
    capacity = p.acoustic_heat_capacity / ELEMENTARY_CHARGE
    hw = p.lo_phonon_energy
    n_safe = n if n > 0 else 1.0
    dtemp_dn = -temperature / n_safe
    dtemp_du = 1.0 / (3.0 * BOLTZMANN_EV * n_safe)
    jac = np.zeros((4, 4))
    jac[0, 0] = -(p.A + 2.0 * p.B * n + 3.0 * p.C * n**2)
    jac[1, 0] = (-2.0 * hw * (rate + n * rate_t * dtemp_dn) + 3.0 * p.band_gap * p.C * n**2
                 - u * p.B)
    jac[1, 1] = -2.0 * n * hw * rate_t * dtemp_du - (p.A + p.B * n)
    jac[1, 2] = -2.0 * n * hw * rate_n
    jac[2, 0] = 2.0 * (rate + n * rate_t * dtemp_dn) / p.M_LO
    jac[2, 1] = 2.0 * n * rate_t * dtemp_du / p.M_LO
    jac[2, 2] = 2.0 * n * rate_n / p.M_LO - 1.0 / p.tau_lo
    jac[2, 3] = bath_derivative / p.tau_lo
    gain = p.M_LO * hw / (p.tau_lo * capacity)
    jac[3, 2] = gain
    jac[3, 3] = -gain * bath_derivative - 1.0 / p.tau_diss_effective
    return jac


@dataclass(frozen=True)
class EnergyFlows:
    """Power densities between the populations at one state (see :func:`energy_flows`).

    Attributes
    ----------
    carrier_to_lo : float
        Net power from the carriers to the LO modes, emission minus absorption [W cm^-3].
    lo_to_acoustic : float
        Net Klemens power from the LO modes to the acoustic bath [W cm^-3]; negative when the
        acoustic bath pumps the LO modes (acoustic-optical upconversion).
    acoustic_to_lattice : float
        Dissipation from the acoustic bath into the lattice at T0 [W cm^-3].
    auger_heating : float
        Band-gap energy handed to the carriers by Auger recombination [W cm^-3].
    recombination_loss : float
        Energy removed with the pairs lost to trap and radiative recombination,
        (E_g + 3 kB Tc)(A n + B n^2) [W cm^-3].
    upconversion : float
        Power the acoustic bath returns to the LO modes by the reverse Klemens process beyond
        what a bath at T0 would return, M_LO hbar w (N_B(T_A) - N_B(T0)) / tau_LO [W cm^-3]:
        the energy a warm reservoir hands back (already included in ``lo_to_acoustic``).
    """

    carrier_to_lo: float
    lo_to_acoustic: float
    acoustic_to_lattice: float
    auger_heating: float
    recombination_loss: float
    upconversion: float


def energy_flows(y, params: CoolingParameters) -> EnergyFlows:
    r"""Energy flows between carriers, LO phonons, acoustic bath and lattice at one state.

    Parameters
    ----------
    y : array_like, shape (4,)
        State ``(n [cm^-3], u [eV cm^-3], N_LO [-], T_A [K])`` as in :func:`cooling_rate`.
    params : CoolingParameters
        Model parameters.

    Returns
    -------
    EnergyFlows
        The power densities [W cm^-3].

    Notes
    -----
    The total energy :math:`E = n E_g + u + M_{LO}\hbar\omega N_{LO} + C_A T_A` obeys
    :math:`dE/dt = -` ``acoustic_to_lattice`` :math:`-` ``recombination_loss`` exactly.

    Examples
    --------
    >>> params = cooling_parameters("MAPbI3")
    >>> flows = energy_flows([1e18, 3 * 8.617333262e-5 * 1000.0 * 1e18, 1.77, 300.0], params)
    >>> flows.carrier_to_lo > 0  # carriers at 1000 K heat the LO modes
    True
    """
    n, u, occupation, acoustic_temperature = (float(v) for v in y)
    p = params
    temperature, rate, _, _ = _exchange_terms(n, u, occupation, p)
    bath_occupation, _ = _bath_terms(acoustic_temperature, p)
    to_watts = ELEMENTARY_CHARGE  # eV cm^-3 s^-1 -> W cm^-3
    return EnergyFlows(
        carrier_to_lo=2.0 * n * p.lo_phonon_energy * rate * to_watts,
        lo_to_acoustic=p.M_LO * p.lo_phonon_energy * (occupation - bath_occupation) / p.tau_lo
        * to_watts,
        acoustic_to_lattice=p.acoustic_heat_capacity * (acoustic_temperature - p.T0)
        / p.tau_diss_effective,
        auger_heating=p.band_gap * p.C * n**3 * to_watts,
        recombination_loss=(p.band_gap + 3.0 * BOLTZMANN_EV * temperature) * (p.A * n + p.B * n**2)
        * to_watts,
        upconversion=p.M_LO * p.lo_phonon_energy
        * (bath_occupation - p.lo_occupation_equilibrium) / p.tau_lo * to_watts,
    )


# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CoolingResult:
    """Result of :func:`simulate_cooling`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s] after the pump pulse (a delta pulse at t = 0).
    n : numpy.ndarray
        Electron-hole pair density [cm^-3].
    Tc : numpy.ndarray
        Carrier temperature [K].
    N_LO : numpy.ndarray
        Occupation of the hot LO modes [-].
    T_LO : numpy.ndarray
        Temperature of the LO modes, the Bose temperature of ``N_LO`` [K].
    T_A : numpy.ndarray
        Temperature of the acoustic bath [K].
    reservoir_energy : numpy.ndarray
        Energy stored in the acoustic bath above the lattice, C_A (T_A - T0) [J cm^-3].
    initial_density : float
        Pair density at t = 0 [cm^-3].
    initial_temperature : float
        Carrier temperature at t = 0 [K].
    params : CoolingParameters
        The parameters used.
    """

    t: np.ndarray
    n: np.ndarray
    Tc: np.ndarray
    N_LO: np.ndarray
    T_LO: np.ndarray
    T_A: np.ndarray
    reservoir_energy: np.ndarray
    initial_density: float
    initial_temperature: float
    params: CoolingParameters = field(repr=False)

    @property
    def T0(self) -> float:
        """Lattice temperature [K]."""
        return self.params.T0

    @property
    def state(self) -> np.ndarray:
        """The state ``(n, u, N_LO, T_A)`` of :func:`cooling_rate` at each time, shape (4, t)."""
        return np.vstack([self.n, 3.0 * BOLTZMANN_EV * self.Tc * self.n, self.N_LO, self.T_A])


def initial_carrier_temperature(params: CoolingParameters, photon_energy=None) -> float:
    r"""Carrier temperature right after thermalisation of the excess photon energy.

    Parameters
    ----------
    params : CoolingParameters
        Model parameters (band gap and T0).
    photon_energy : float or None
        Pump photon energy [eV], from the band gap to the band gap + 5 eV; None means carriers
        created at the band edge.

    Returns
    -------
    float
        :math:`T_{c,0} = T_0 + (E_{ph} - E_g) / (3 k_B)` [K]: the excess energy shared by the
        electron and the hole (3/2 kB per carrier) on top of the thermal energy they take from
        the lattice. Carriers created at the band edge start at :math:`T_0`.

    Notes
    -----
    Experiments resolve the carrier temperature only after ~100-200 fs, when part of the excess
    energy is already gone, so their first measured temperature is lower than this (Price et
    al. 2015 see ~1000 K). Pass ``initial_temperature`` to :func:`simulate_cooling` to start
    from a measured value.

    References
    ----------
    - M. B. Price et al., Nat. Commun. 6, 8420 (2015). doi:10.1038/ncomms9420

    Examples
    --------
    >>> params = cooling_parameters("MAPbI3")
    >>> round(initial_carrier_temperature(params, params.band_gap + 0.5))
    2234
    """
    if photon_energy is None:
        return params.T0
    energy = _validate.in_range("photon_energy", photon_energy, params.band_gap,
                                params.band_gap + _MAX_EXCESS_ENERGY, "eV")
    return params.T0 + (energy - params.band_gap) / (3.0 * BOLTZMANN_EV)


def default_time_grid(t_end: float = 1e-9, points: int = 300) -> np.ndarray:
    """Times 0 and ``points`` log-spaced values from 1 fs to ``t_end`` [s].

    Parameters
    ----------
    t_end : float
        Last time [s], 1e-14 to 1e-6.
    points : int
        Number of log-spaced times after 0, 2-100000.

    Returns
    -------
    numpy.ndarray
        Strictly increasing times [s] starting at 0.

    Examples
    --------
    >>> t = default_time_grid(1e-10, 100)
    >>> print(t[0], t[1], t[-1], t.size)
    0.0 1e-15 1e-10 101
    """
    t_end = _validate.in_range("t_end", t_end, 1e-14, 1e-6, "s")
    points = _validate.integer("points", points, 2, 100000)
    return np.concatenate(([0.0], np.geomspace(1e-15, t_end, points)))


def _check_times(t) -> np.ndarray:
    return _validate.array("t", t, "s", low=0.0, high=1e-6, ndim=1, min_size=2,
                           order="increasing", reason="the model covers fs to ns")


def _initial_state(params, initial_density, photon_energy, initial_temperature):
    density = _validate.in_range("initial_density", initial_density, *_DENSITY_RANGE, "cm^-3")
    if initial_temperature is not None and photon_energy is not None:
        raise ValueError("give photon_energy or initial_temperature, not both")
    if initial_temperature is not None:
        temperature = _validate.in_range("initial_temperature", initial_temperature, params.T0,
                                         _MAX_INITIAL_TEMPERATURE, "K")
    else:
        temperature = initial_carrier_temperature(params, photon_energy)
    y0 = np.array([density, 3.0 * BOLTZMANN_EV * temperature * density,
                   params.lo_occupation_equilibrium, params.T0])
    return density, temperature, y0


def _solve(params, y0, t_span, t_eval, rtol, events=None):
    rtol = _validate.in_range("rtol", rtol, 1e-12, 1e-2)
    density = y0[0]
    thermal_energy = 3.0 * BOLTZMANN_EV * params.T0 * density
    atol = rtol * 1e-3 * np.array([density, thermal_energy, 1.0, params.T0])
    solution = solve_ivp(cooling_rate, t_span, y0, method="Radau", t_eval=t_eval,
                         args=(params,), jac=cooling_jacobian, rtol=rtol, atol=atol,
                         events=events)
    if not solution.success:  # pragma: no cover - not seen across the explorer ranges
        raise RuntimeError(f"the cooling model failed to integrate: {solution.message}")
    return solution


def simulate_cooling(params: CoolingParameters, initial_density: float,
                     photon_energy: float | None = None, *,
                     initial_temperature: float | None = None, t=None,
                     rtol: float = 1e-4) -> CoolingResult:
    r"""Carrier, LO and acoustic temperatures after a short pump pulse.

    Parameters
    ----------
    params : CoolingParameters
        Model parameters (:func:`cooling_parameters`).
    initial_density : float
        Electron-hole pairs created by the pulse [cm^-3], 1e10-1e21 (the model is meant for
        1e15-1e19; the Boltzmann carrier gas it assumes becomes degenerate above ~1e18 cm^-3
        once the carriers are back near 300 K, see
        :func:`lerbook.recombination.effective_density_of_states`).
    photon_energy : float or None
        Pump photon energy [eV], band gap to band gap + 5 eV; sets the initial carrier
        temperature (:func:`initial_carrier_temperature`). None starts at ``T0`` unless
        ``initial_temperature`` is given.
    initial_temperature : float or None, keyword-only
        Initial carrier temperature [K], T0 to 1e5, instead of ``photon_energy``.
    t : array_like or None, keyword-only
        Output times [s], >= 0, strictly increasing, ending by 1e-6 s; the pulse is at t = 0.
        None gives :func:`default_time_grid` (0 and 300 log-spaced times from 1 fs to 1 ns).
    rtol : float, keyword-only
        Relative tolerance of the solver [-], 1e-12 to 1e-2. The absolute tolerances are
        ``rtol * 1e-3`` times the initial density, its thermal energy at T0 (3 kB T0 n), 1 for
        N_LO and T0 for T_A. The default 1e-4 gives cooling times to ~1e-5 relative; energy
        conservation (see :func:`energy_budget`) holds to rounding error at any tolerance,
        because the state variables make the total energy a linear invariant, which the Radau
        collocation conserves.

    Returns
    -------
    CoolingResult
        Temperatures, occupations, densities and stored reservoir energy at ``t``.

    Raises
    ------
    ValueError
        If an input is out of range, or both ``photon_energy`` and ``initial_temperature``
        are given.

    Notes
    -----
    Initial state: pair density ``initial_density``, carrier temperature as above, LO modes
    and acoustic bath at ``T0``. The rate law and its energy conservation are in
    :func:`cooling_rate`. Integration uses scipy's Radau method with the analytic Jacobian
    :func:`cooling_jacobian`; the model is stiff (fs LO exchange against ns dissipation).
    One run over the default grid takes ~10-20 ms.

    References
    ----------
    - Y. Yang et al., Nat. Photonics 10, 53 (2016). doi:10.1038/nphoton.2015.213
    - J. Fu et al., Nat. Commun. 8, 1300 (2017). doi:10.1038/s41467-017-01360-3

    Examples
    --------
    >>> params = cooling_parameters("MAPbI3")
    >>> low = simulate_cooling(params, 1e17, initial_temperature=1000.0)
    >>> high = simulate_cooling(params, 1e19, initial_temperature=1000.0)
    >>> print(f"{cooling_time(low) * 1e12:.2f} ps, {cooling_time(high) * 1e12:.0f} ps")
    0.22 ps, 45 ps
    """
    if not isinstance(params, CoolingParameters):
        raise ValueError(f"params must be a CoolingParameters, got {type(params).__name__}")
    density, temperature, y0 = _initial_state(params, initial_density, photon_energy,
                                              initial_temperature)
    times = default_time_grid() if t is None else _check_times(t)
    solution = _solve(params, y0, (0.0, float(times[-1])), times, rtol)
    n, u, occupation, acoustic = solution.y
    carrier_temperature = u / (3.0 * BOLTZMANN_EV * n)
    return CoolingResult(
        t=times,
        n=n,
        Tc=carrier_temperature,
        N_LO=occupation,
        T_LO=np.asarray(lo_temperature(occupation, params.lo_phonon_energy)),
        T_A=acoustic,
        reservoir_energy=params.acoustic_heat_capacity * (acoustic - params.T0),
        initial_density=density,
        initial_temperature=temperature,
        params=params,
    )


def _sweep_system(params: CoolingParameters, members: int):
    """Right-hand side and block-diagonal Jacobian of ``members`` independent copies of the
    model, stacked component-major: y = (n_1..n_m, u_1..u_m, N_LO,1.., T_A,1..).

    The same expressions as :func:`cooling_rate` and :func:`cooling_jacobian`, on arrays.
    """
    p = params
    capacity = p.acoustic_heat_capacity / ELEMENTARY_CHARGE
    hw = p.lo_phonon_energy
    gain = p.M_LO * hw / (p.tau_lo * capacity)
    diagonal = np.arange(members)

    def terms(y):
        n, u, occupation, acoustic = y.reshape(4, members)
        n_safe = np.where(n > 0, n, 1.0)
        temperature = np.where(n > 0, u / (3.0 * BOLTZMANN_EV * n_safe), p.T0)
        safe = np.maximum(temperature, _T_FLOOR)
        x = hw / (BOLTZMANN_EV * safe)
        boltzmann = np.exp(-x)
        rate = ((occupation + 1.0) * boltzmann - occupation) / p.tau_em
        safe_a = np.maximum(acoustic, _T_FLOOR)
        x_a = hw / (BOLTZMANN_EV * safe_a)
        bath = np.exp(-x_a) / -np.expm1(-x_a)
        return n, u, occupation, acoustic, n_safe, temperature, safe, x, boltzmann, rate, \
            safe_a, x_a, bath

    def rhs(_t, y):
        n, u, occupation, acoustic, *_, rate, _sa, _xa, bath = terms(y)
        monomolecular = p.A + p.B * n
        auger = p.C * n**3
        klemens = (occupation - bath) / p.tau_lo
        return np.concatenate((
            -monomolecular * n - auger,
            -2.0 * n * hw * rate + p.band_gap * auger - u * monomolecular,
            2.0 * n * rate / p.M_LO - klemens,
            p.M_LO * hw * klemens / capacity - (acoustic - p.T0) / p.tau_diss_effective))

    def jac(_t, y):
        (n, u, occupation, _a, n_safe, temperature, safe, x, boltzmann, rate, safe_a, x_a,
         bath) = terms(y)
        rate_t = np.where(temperature > _T_FLOOR,
                          (occupation + 1.0) * boltzmann * x / safe / p.tau_em, 0.0)
        rate_n = (boltzmann - 1.0) / p.tau_em
        bath_derivative = np.where(_a > _T_FLOOR, bath * (bath + 1.0) * x_a / safe_a, 0.0)
        dtemp_dn = -temperature / n_safe
        dtemp_du = 1.0 / (3.0 * BOLTZMANN_EV * n_safe)
        blocks = {
            (0, 0): -(p.A + 2.0 * p.B * n + 3.0 * p.C * n**2),
            (1, 0): (-2.0 * hw * (rate + n * rate_t * dtemp_dn) + 3.0 * p.band_gap * p.C * n**2
                     - u * p.B),
            (1, 1): -2.0 * n * hw * rate_t * dtemp_du - (p.A + p.B * n),
            (1, 2): -2.0 * n * hw * rate_n,
            (2, 0): 2.0 * (rate + n * rate_t * dtemp_dn) / p.M_LO,
            (2, 1): 2.0 * n * rate_t * dtemp_du / p.M_LO,
            (2, 2): 2.0 * n * rate_n / p.M_LO - 1.0 / p.tau_lo,
            (2, 3): bath_derivative / p.tau_lo,
            (3, 2): np.full(members, gain),
            (3, 3): -gain * bath_derivative - 1.0 / p.tau_diss_effective,
        }
        out = np.zeros((4 * members, 4 * members))
        for (i, j), values in blocks.items():
            out[i * members + diagonal, j * members + diagonal] = values
        return out

    return rhs, jac


def simulate_cooling_sweep(params: CoolingParameters, initial_densities,
                           photon_energy: float | None = None, *,
                           initial_temperature: float | None = None, t=None,
                           rtol: float = 1e-4) -> tuple[CoolingResult, ...]:
    r""":func:`simulate_cooling` for several initial densities at once (a fast sweep).

    Parameters
    ----------
    params : CoolingParameters
        Model parameters.
    initial_densities : array_like
        Initial pair densities [cm^-3], each 1e10-1e21; one-dimensional, at least one.
    photon_energy, initial_temperature, t, rtol
        As in :func:`simulate_cooling` (the tolerances apply to every density).

    Returns
    -------
    tuple of CoolingResult
        One result per density, in order, on the common times ``t``.

    Notes
    -----
    The runs are independent, so they are integrated as one system of 4 m equations whose
    Jacobian is block diagonal (the analytic :func:`cooling_jacobian` of each density), with
    one Radau step sequence for all: a single vectorised right-hand side per stage instead of
    m Python-level solves, several times faster for the explorer's 8 densities. Each run gets
    the absolute tolerances of its own density; the shared steps follow the fastest run, and
    the error norm (a root mean square over all 4 m components) is tightened by
    :math:`\sqrt{m}` so that no single run is held to a looser tolerance than
    :func:`simulate_cooling` holds it: the runs agree with one-by-one runs to within the
    tolerance, and are as accurate (the tests compare both with a tight reference).

    Examples
    --------
    >>> params = cooling_parameters("MAPbI3")
    >>> runs = simulate_cooling_sweep(params, [1e17, 1e19], initial_temperature=1000.0)
    >>> print(", ".join(f"{cooling_time(run) * 1e12:.2f} ps" for run in runs))
    0.22 ps, 44.89 ps
    """
    if not isinstance(params, CoolingParameters):
        raise ValueError(f"params must be a CoolingParameters, got {type(params).__name__}")
    densities = np.atleast_1d(np.asarray(initial_densities, dtype=float))
    if densities.ndim != 1 or densities.size == 0:
        raise ValueError(f"initial_densities must be a non-empty 1D array [cm^-3], got "
                         f"{initial_densities!r}")
    starts = [_initial_state(params, n, photon_energy, initial_temperature) for n in densities]
    times = default_time_grid() if t is None else _check_times(t)
    rtol = _validate.in_range("rtol", rtol, 1e-12, 1e-2)
    members = densities.size
    y0 = np.concatenate([np.array([y[k] for _, _, y in starts]) for k in range(4)])
    atol = rtol * 1e-3 * np.concatenate((densities, 3.0 * BOLTZMANN_EV * params.T0 * densities,
                                         np.ones(members), np.full(members, params.T0)))
    shrink = math.sqrt(members)
    rhs, jac = _sweep_system(params, members)
    solution = solve_ivp(rhs, (0.0, float(times[-1])), y0, method="Radau", t_eval=times,
                         jac=jac, rtol=rtol / shrink, atol=atol / shrink)
    if not solution.success:  # pragma: no cover - not seen across the explorer ranges
        raise RuntimeError(f"the cooling model failed to integrate: {solution.message}")
    n, u, occupation, acoustic = solution.y.reshape(4, members, -1)
    return tuple(CoolingResult(
        t=times,
        n=n[k],
        Tc=u[k] / (3.0 * BOLTZMANN_EV * n[k]),
        N_LO=occupation[k],
        T_LO=np.asarray(lo_temperature(occupation[k], params.lo_phonon_energy)),
        T_A=acoustic[k],
        reservoir_energy=params.acoustic_heat_capacity * (acoustic[k] - params.T0),
        initial_density=density,
        initial_temperature=temperature,
        params=params,
    ) for k, (density, temperature, _) in enumerate(starts))


@dataclass(frozen=True)
class EnergyBudget:
    """Excess energy densities of the populations over time (see :func:`energy_budget`).

    Attributes
    ----------
    t : numpy.ndarray
        Times [s].
    pairs : numpy.ndarray
        Recombination energy of the pairs, n E_g [J cm^-3].
    carriers : numpy.ndarray
        Carrier kinetic energy, 3 kB Tc n [J cm^-3].
    lo_phonons : numpy.ndarray
        LO energy above equilibrium, M_LO hbar w (N_LO - N_B(T0)) [J cm^-3].
    acoustic : numpy.ndarray
        Acoustic energy above equilibrium, C_A (T_A - T0) [J cm^-3] (the stored reservoir
        energy).
    total : numpy.ndarray
        Sum of the four [J cm^-3].
    """

    t: np.ndarray
    pairs: np.ndarray
    carriers: np.ndarray
    lo_phonons: np.ndarray
    acoustic: np.ndarray
    total: np.ndarray


def energy_budget(result: CoolingResult) -> EnergyBudget:
    r"""Where the absorbed energy is at each time.

    Parameters
    ----------
    result : CoolingResult
        A simulation.

    Returns
    -------
    EnergyBudget
        Energy densities above the equilibrium at T0 without carriers [J cm^-3].

    Notes
    -----
    .. math::

        E(t) = n E_g + 3 k_B T_c n + M_{LO}\hbar\omega\,(N_{LO} - N_B(T_0)) + C_A (T_A - T_0)

    is constant when dissipation is off (``tau_diss = inf``) and there is no trap or radiative
    recombination (A = B = 0); Auger recombination only moves energy from the pairs to the
    carriers. Otherwise it falls by the dissipated and recombined energy (:func:`energy_flows`).

    Examples
    --------
    >>> params = cooling_parameters("MAPbI3", tau_diss=float("inf"), A=0.0, B=0.0)
    >>> budget = energy_budget(simulate_cooling(params, 1e19, params.band_gap + 0.5))
    >>> bool(abs(budget.total[-1] / budget.total[0] - 1) < 1e-6)
    True
    """
    if not isinstance(result, CoolingResult):
        raise ValueError(f"result must be a CoolingResult, got {type(result).__name__}")
    p = result.params
    to_joule = ELEMENTARY_CHARGE
    pairs = result.n * p.band_gap * to_joule
    carriers = 3.0 * BOLTZMANN_EV * result.Tc * result.n * to_joule
    lo_phonons = p.M_LO * p.lo_phonon_energy * (result.N_LO - p.lo_occupation_equilibrium) \
        * to_joule
    acoustic = result.reservoir_energy
    return EnergyBudget(t=result.t, pairs=pairs, carriers=carriers, lo_phonons=lo_phonons,
                        acoustic=acoustic, total=pairs + carriers + lo_phonons + acoustic)


# --------------------------------------------------------------------------------------------
# Cooling time
# --------------------------------------------------------------------------------------------
def cooling_time(result: CoolingResult) -> float:
    r"""Time for the excess carrier temperature to fall to 1/e of its initial value.

    Parameters
    ----------
    result : CoolingResult
        A simulation.

    Returns
    -------
    float
        The first time [s] at which :math:`T_c(t) - T_0 \le (T_c(0) - T_0)/e`, interpolated
        linearly between the two output times around the crossing (the start of the pulse,
        t = 0 and :math:`T_c(0)`, counts as a point even if ``result.t`` does not include it).
        ``math.inf`` if the excess never falls that far within the simulated window (e.g.
        Auger heating at very high density with a short window); 0.0 if the carriers start
        at T0 (no excess energy).

    Notes
    -----
    This is the 1/e time of the measured cooling curves (Price et al. 2015 fit ~0.23 ps at low
    density). Cooling is not exponential, so it depends on the initial temperature: start
    from a measured temperature (``initial_temperature``) when comparing with experiments.
    Its accuracy is that of linear interpolation on the output grid (~0.1 % on the default
    grid).

    References
    ----------
    - M. B. Price et al., Nat. Commun. 6, 8420 (2015). doi:10.1038/ncomms9420

    Examples
    --------
    >>> params = cooling_parameters("MAPbI3")
    >>> result = simulate_cooling(params, 1e17, initial_temperature=1000.0)
    >>> print(f"{cooling_time(result) * 1e12:.2f} ps")
    0.22 ps
    """
    if not isinstance(result, CoolingResult):
        raise ValueError(f"result must be a CoolingResult, got {type(result).__name__}")
    initial_excess = result.initial_temperature - result.T0
    if initial_excess <= 0:
        return 0.0
    threshold = initial_excess / math.e
    times, excess = result.t, result.Tc - result.T0
    if times[0] > 0:
        times = np.concatenate(([0.0], times))
        excess = np.concatenate(([initial_excess], excess))
    below = np.flatnonzero(excess <= threshold)
    if below.size == 0:
        return math.inf
    i = int(below[0])
    if i == 0:
        return float(times[0])
    t0, t1, e0, e1 = times[i - 1], times[i], excess[i - 1], excess[i]
    return float(t0 + (e0 - threshold) / (e0 - e1) * (t1 - t0))


def cooling_times(params: CoolingParameters, initial_densities, photon_energy=None, *,
                  initial_temperature=None, t_max: float = 1e-9,
                  rtol: float = 1e-4) -> np.ndarray:
    """Cooling time for each of several initial densities (a fast sweep).

    Parameters
    ----------
    params : CoolingParameters
        Model parameters.
    initial_densities : array_like
        Initial pair densities [cm^-3], each 1e10-1e21.
    photon_energy : float or None
        Pump photon energy [eV], as in :func:`simulate_cooling`.
    initial_temperature : float or None, keyword-only
        Initial carrier temperature [K], instead of ``photon_energy``.
    t_max : float, keyword-only
        Longest time to integrate [s], 1e-14 to 1e-6.
    rtol : float, keyword-only
        Relative solver tolerance [-].

    Returns
    -------
    numpy.ndarray
        Cooling times [s], same shape as ``initial_densities``; ``inf`` where the excess
        carrier temperature has not fallen to 1/e of its initial value by ``t_max``.

    Notes
    -----
    The definition is that of :func:`cooling_time`, but each integration stops at the crossing,
    found by the solver's event location on its dense output rather than by interpolation on
    an output grid, so the two agree to the interpolation error of :func:`cooling_time`.
    30 densities take well under a second.

    Examples
    --------
    >>> params = cooling_parameters("MAPbI3")
    >>> times = cooling_times(params, [1e17, 1e18, 1e19], initial_temperature=1000.0)
    >>> print(", ".join(f"{x * 1e12:.2f}" for x in times))
    0.22, 0.95, 44.88
    """
    if not isinstance(params, CoolingParameters):
        raise ValueError(f"params must be a CoolingParameters, got {type(params).__name__}")
    densities = np.asarray(initial_densities, dtype=float)
    t_max = _validate.in_range("t_max", t_max, 1e-14, 1e-6, "s")
    out = np.empty(densities.shape)
    for index, density in np.ndenumerate(densities):
        density, temperature, y0 = _initial_state(params, density, photon_energy,
                                                  initial_temperature)
        excess = temperature - params.T0
        if excess <= 0:
            out[index] = 0.0
            continue
        threshold = params.T0 + excess / math.e

        def crossed(t, y, p, threshold=threshold):
            return y[1] / (3.0 * BOLTZMANN_EV * y[0]) - threshold

        crossed.terminal = True
        crossed.direction = -1
        solution = _solve(params, y0, (0.0, t_max), None, rtol, events=crossed)
        hits = solution.t_events[0]
        out[index] = float(hits[0]) if hits.size else math.inf
    return out
