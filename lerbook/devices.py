r"""Devices: external PLQY, open-circuit voltage and hot-carrier extraction.

What the lattice energy reservoir (LER) would mean for a solar cell (chapter 6 of the book),
in three steps that each come from a textbook relation:

1. **The radiative limit** [dev-Shockley1961]_. A cell whose absorptance is :math:`a(E)`
   absorbs the sun's photons and, in the dark, the 300 K black-body photons of its
   surroundings; by detailed balance it emits the latter back when it is in equilibrium, so

   .. math::

       J_{sc} = q\int a(E)\,\phi_{sun}(E)\,dE, \qquad
       J_{0,rad} = q\int a(E)\,\phi_{bb}(E, T)\,dE, \qquad
       V_{oc,rad} = \frac{k_BT}{q}\ln\!\left(\frac{J_{sc}}{J_{0,rad}} + 1\right),

   with the black-body photon flux into a hemisphere
   :math:`\phi_{bb} = \frac{2\pi E^2}{h^3c^2}\,\frac{1}{e^{E/k_BT}-1}`
   (:func:`radiative_limit`). The absorptance of a film of thickness :math:`d` with a back
   mirror is :math:`a = 1 - e^{-2\alpha(E) d}`, with the Urbach-tailed :math:`\alpha(E)` of
   :func:`lerbook.spectra.urbach_absorption`. The sun is a 5778 K black body scaled to
   100 mW cm^-2, a stand-in for the AM1.5G spectrum that gives a short-circuit current about
   10 % lower (and so :math:`V_{oc,rad}` about 3 mV lower).
2. **Non-radiative losses** cost voltage in proportion to the log of the external
   photoluminescence quantum yield [dev-Ross1967]_ [dev-Rau2007]_:

   .. math:: V_{oc} = V_{oc,rad} + \frac{k_BT}{q}\ln \mathrm{PLQY}_{ext}.

   The external yield follows from the internal one by photon recycling
   [dev-PazosOuton2016]_: a photon emitted inside escapes with probability :math:`p_e`, is
   lost to parasitic absorption with :math:`p_a`, and is otherwise re-absorbed, creating a new
   pair (:func:`external_plqy`),

   .. math::

       \mathrm{PLQY}_{ext} = \frac{p_e\,\eta_{int}}{1 - (1 - p_e - p_a)\,\eta_{int}}.

   The internal yield comes from the recombination chapter's trap model at the open-circuit
   steady state (all generated pairs recombine) under :math:`G = J_{sc}/(q d)`
   (:func:`lerbook.recombination.trap_steady_state`); re-absorption feeds pairs back, so the
   net radiative loss rate is :math:`(1 - p_r) B n p` with :math:`p_r = 1 - p_e - p_a`. The
   reservoir enters through the trap model's detrapping term :math:`K\sigma' n_{LER} n_t`
   (:func:`open_circuit_voltage`).
3. **Hot-carrier extraction** [dev-Ross1982]_ [dev-Konig2010]_. A carrier taken out through
   an energy-selective contact after a time :math:`t` delivers its excess energy
   :math:`\Delta E(t) = 3k_B\,[T_c(t) - T_0]` per pair on top of the band gap. With
   extraction at a rate :math:`1/\tau_{ext}`, the retained share of the initial excess is
   (:func:`retained_excess_energy`)

   .. math::

       f(\tau_{ext}) = \frac{1}{\Delta E(0)}\int_0^\infty
       \frac{e^{-t/\tau_{ext}}}{\tau_{ext}}\,\Delta E(t)\,dt,

   with :math:`T_c(t)` from the cooling chapter's model (:func:`hot_carrier_extraction`).

.. rubric:: References

.. [dev-Shockley1961] W. Shockley and H. J. Queisser, J. Appl. Phys. 32, 510 (1961).
   doi:10.1063/1.1736034
.. [dev-Ross1967] R. T. Ross, J. Chem. Phys. 46, 4590 (1967). doi:10.1063/1.1840606
.. [dev-Rau2007] U. Rau, Phys. Rev. B 76, 085303 (2007). doi:10.1103/PhysRevB.76.085303
.. [dev-PazosOuton2016] L. M. Pazos-Outón et al., Science 351, 1430 (2016).
   doi:10.1126/science.aaf1168
.. [dev-Ross1982] R. T. Ross and A. J. Nozik, J. Appl. Phys. 53, 3813 (1982).
   doi:10.1063/1.331124
.. [dev-Konig2010] D. König et al., Physica E 42, 2862 (2010).
   doi:10.1016/j.physe.2009.12.032

Units: energies in eV, temperatures in K, thickness in nm, current densities in mA cm^-2,
voltages in V, generation rates in cm^-3 s^-1, times in s.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

import numpy as np

from lerbook import _validate
from lerbook.cooling import CoolingResult
from lerbook.materials import get_material
from lerbook.recombination import (
    TrapParameters,
    effective_density_of_states,
    trap_steady_state,
)
from lerbook.spectra import urbach_absorption
from lerbook.units import (
    BOLTZMANN_EV,
    ELEMENTARY_CHARGE,
    PLANCK_EV_S,
    SPEED_OF_LIGHT_CM_S,
    STEFAN_BOLTZMANN_W_CM2,
)

__all__ = ["SUN_TEMPERATURE", "ONE_SUN", "blackbody_photon_flux", "solar_photon_flux",
           "absorptance", "RadiativeLimit", "radiative_limit", "Outcoupling", "external_plqy",
           "intrinsic_density_squared", "detailed_balance_coefficient",
           "DeviceVoltage", "open_circuit_voltage", "retained_excess_energy",
           "HotCarrierExtraction", "hot_carrier_extraction"]

_SOLAR_DILUTION = 2.1646e-5  # (R_sun / 1 AU)^2: the solid angle of the sun over pi

SUN_TEMPERATURE = 5778.0    # K, effective temperature of the sun
ONE_SUN = 100.0             # mW cm^-2

_ENERGY_MAX = 4.5           # eV: above it the 5778 K sun carries < 1 % of its photons
_GRID_POINTS = 3001


def blackbody_photon_flux(energy, temperature: float) -> np.ndarray:
    r"""Photon flux of a black body into a hemisphere, per unit energy.

    .. math:: \phi_{bb}(E) = \frac{2\pi E^2}{h^3 c^2}\,\frac{1}{e^{E/k_BT} - 1}

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], > 0.
    temperature : float
        Temperature [K], > 0.

    Returns
    -------
    numpy.ndarray
        Photon flux [photons cm^-2 s^-1 eV^-1].
    """
    e = np.asarray(energy, dtype=float)
    if e.size == 0 or not np.all(np.isfinite(e)) or np.any(e <= 0):
        raise ValueError("energy must be finite and > 0 eV")
    temperature = _validate.positive("temperature", temperature, "K")
    return (2.0 * np.pi * e**2 / (PLANCK_EV_S**3 * SPEED_OF_LIGHT_CM_S**2)
            / np.expm1(e / (BOLTZMANN_EV * temperature)))


def solar_photon_flux(energy, power_density: float = ONE_SUN) -> np.ndarray:
    r"""The sun as a 5778 K black body scaled to a total power density.

    :math:`\phi_{sun} = s\,f_\odot\,\phi_{bb}(E, 5778\ \mathrm{K})` with the dilution factor
    :math:`f_\odot = (R_\odot / 1\,\mathrm{AU})^2 = 2.16\times10^{-5}` (1366 W m^-2 outside
    the atmosphere) and :math:`s` chosen so that the total is ``power_density``, the simple
    sun of Shockley and Queisser (see the module docstring).

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], > 0.
    power_density : float
        Total power density of the spectrum [mW cm^-2], > 0 (100 is one sun).

    Returns
    -------
    numpy.ndarray
        Photon flux [photons cm^-2 s^-1 eV^-1].
    """
    power_density = _validate.positive("power_density", power_density, "mW cm^-2")
    total = STEFAN_BOLTZMANN_W_CM2 * SUN_TEMPERATURE**4 * _SOLAR_DILUTION * 1e3   # mW cm^-2
    return power_density / total * _SOLAR_DILUTION * blackbody_photon_flux(energy,
                                                                           SUN_TEMPERATURE)


def absorptance(energy, band_gap: float, urbach_energy: float | None = None,
                alpha_above_gap: float = 5e4, thickness: float = 500.0) -> np.ndarray:
    r"""Absorptance of a film on a back mirror, :math:`a = 1 - e^{-2\alpha(E) d}`.

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], > 0.
    band_gap : float
        Band gap :math:`E_g` [eV], 0.5-4.
    urbach_energy : float or None
        Urbach energy of the absorption tail [eV], > 0; None gives a step
        (:math:`a = 1` at and above the gap, 0 below: the Shockley-Queisser absorber).
    alpha_above_gap : float
        Absorption coefficient at and above the gap [cm^-1], > 0.
    thickness : float
        Film thickness d [nm], > 0.

    Returns
    -------
    numpy.ndarray
        Absorptance [-], 0 to 1.
    """
    e = np.asarray(energy, dtype=float)
    band_gap = _validate.in_range("band_gap", band_gap, 0.5, 4.0, "eV")
    if urbach_energy is None:
        return (e >= band_gap).astype(float)
    thickness = _validate.positive("thickness", thickness, "nm")
    alpha = urbach_absorption(e, band_gap, urbach_energy, alpha_above_gap)
    return -np.expm1(-2.0 * alpha * thickness * 1e-7)


@dataclass(frozen=True)
class RadiativeLimit:
    """Detailed-balance limit of a cell (:func:`radiative_limit`).

    Attributes
    ----------
    band_gap : float
        Band gap [eV].
    urbach_energy : float or None
        Urbach energy of the absorption edge [eV]; None for a step.
    thickness : float
        Film thickness [nm].
    temperature : float
        Cell temperature [K].
    power_density : float
        Illumination [mW cm^-2].
    short_circuit_current : float
        :math:`J_{sc}` [mA cm^-2]: every absorbed photon gives one electron.
    dark_current : float
        Radiative saturation current :math:`J_{0,rad}` [mA cm^-2].
    voc : float
        Radiative open-circuit voltage :math:`V_{oc,rad}` [V].
    """

    band_gap: float
    urbach_energy: float | None
    thickness: float
    temperature: float
    power_density: float
    short_circuit_current: float
    dark_current: float
    voc: float

    @property
    def generation_rate(self) -> float:
        """Mean generation rate :math:`G = J_{sc}/(q d)` in the film [cm^-3 s^-1]."""
        return self.short_circuit_current * 1e-3 / (ELEMENTARY_CHARGE * self.thickness * 1e-7)

    def voc_at(self, suns) -> np.ndarray:
        """Radiative open-circuit voltage at other intensities, ``suns`` times this one [V].

        Parameters
        ----------
        suns : float or array_like
            Intensity relative to this limit's illumination [dimensionless], > 0.

        Returns
        -------
        numpy.ndarray
            Radiative open-circuit voltage at each intensity [V].
        """
        x = np.asarray(suns, dtype=float)
        if x.size == 0 or not np.all(np.isfinite(x)) or np.any(x <= 0):
            raise ValueError("suns must be finite and > 0")
        kt = BOLTZMANN_EV * self.temperature
        return kt * np.log1p(x * self.short_circuit_current / self.dark_current)


def radiative_limit(band_gap: float, urbach_energy: float | None = None, *,
                    alpha_above_gap: float = 5e4, thickness: float = 500.0,
                    temperature: float = 300.0,
                    power_density: float = ONE_SUN) -> RadiativeLimit:
    r"""Short-circuit current, radiative dark current and :math:`V_{oc,rad}` of a film.

    Parameters
    ----------
    band_gap : float
        Band gap [eV], 0.5-4.
    urbach_energy : float or None
        Urbach energy [eV], > 0 and at most 0.8 :math:`k_BT`: for a tail as broad as
        :math:`k_BT` the absorbed 300 K black-body flux, and so :math:`J_{0,rad}`, grows without
        bound into the gap. None gives the step absorber of Shockley and Queisser.
    alpha_above_gap : float, keyword-only
        Absorption coefficient at and above the gap [cm^-1], > 0.
    thickness : float, keyword-only
        Film thickness [nm], > 0 (with a back mirror: two passes).
    temperature : float, keyword-only
        Cell temperature [K], 200-400.
    power_density : float, keyword-only
        Illumination [mW cm^-2], > 0; 100 is one sun.

    Returns
    -------
    RadiativeLimit

    Notes
    -----
    The integrals in the module docstring are evaluated on a grid from
    :math:`E_g - 40 E_U` (or :math:`E_g`) to 4.5 eV by the trapezoid rule; the step
    absorber's :math:`J_{0,rad}` agrees with its series
    :math:`\sum_k e^{-kx}(x^2/k + 2x/k^2 + 2/k^3)` (:math:`x = E_g/k_BT`) to 1e-6.

    Examples
    --------
    >>> limit = radiative_limit(1.6)
    >>> print(f"J_sc = {limit.short_circuit_current:.1f} mA/cm2, Voc,rad = {limit.voc:.3f} V")
    J_sc = 23.3 mA/cm2, Voc,rad = 1.322 V
    """
    band_gap = _validate.in_range("band_gap", band_gap, 0.5, 4.0, "eV")
    temperature = _validate.in_range("temperature", temperature, 200.0, 400.0, "K")
    power_density = _validate.positive("power_density", power_density, "mW cm^-2")
    thickness = _validate.positive("thickness", thickness, "nm")
    alpha_above_gap = _validate.positive("alpha_above_gap", alpha_above_gap, "cm^-1")
    kt = BOLTZMANN_EV * temperature
    if urbach_energy is None:
        low = band_gap
    else:
        urbach_energy = _validate.in_range("urbach_energy", urbach_energy, 0.0, 0.8 * kt, "eV",
                                           include_low=False)
        low = max(band_gap - 40.0 * urbach_energy, 0.05)
    # The dark current lives within a few kT of the gap, the photocurrent up to the UV: one
    # fine grid near the edge, one coarse grid above.
    edge = np.linspace(low, band_gap + 30.0 * kt, _GRID_POINTS)
    above = np.linspace(edge[-1], max(_ENERGY_MAX, edge[-1] + 0.1), _GRID_POINTS)[1:]
    energy = np.concatenate([edge, above])
    a = absorptance(energy, band_gap, urbach_energy, alpha_above_gap, thickness)
    to_ma = ELEMENTARY_CHARGE * 1e3
    j_sc = to_ma * np.trapezoid(a * solar_photon_flux(energy, power_density), energy)
    j_0 = to_ma * np.trapezoid(a * blackbody_photon_flux(energy, temperature), energy)
    if urbach_energy is None:
        # The trapezoid rule on a step is first order: use the exact series at the edge.
        j_0 = to_ma * _step_dark_flux(band_gap, temperature)
    return RadiativeLimit(band_gap, urbach_energy, thickness, temperature, power_density,
                          float(j_sc), float(j_0), float(kt * np.log1p(j_sc / j_0)))


def _step_dark_flux(band_gap: float, temperature: float) -> float:
    """Black-body photon flux above the gap [cm^-2 s^-1], by its exponential series."""
    kt = BOLTZMANN_EV * temperature
    x = band_gap / kt
    k = np.arange(1, 60)
    series = np.sum(np.exp(-k * x) * (x**2 / k + 2 * x / k**2 + 2 / k**3))
    return float(2.0 * np.pi * kt**3 / (PLANCK_EV_S**3 * SPEED_OF_LIGHT_CM_S**2) * series)


@dataclass(frozen=True)
class Outcoupling:
    r"""Fate of a photon emitted inside the film.

    Parameters
    ----------
    escape_probability : float
        :math:`p_e`: probability that it leaves through the front [-], (0, 1]. Default 0.04,
        **illustrative**: isotropic emission escapes a planar film of refractive index n
        through its front cone with :math:`\approx 1/(4n^2)` = 0.04 for n = 2.5 at the MAPbI3
        band edge [dev-Loper2015]_; a perfect back mirror would add the backward cone (up to
        :math:`1/(2n^2)`), Fresnel losses and an imperfect mirror take some of it back.
    parasitic_probability : float
        :math:`p_a`: probability that it is absorbed by contacts or the mirror [-], >= 0,
        with :math:`p_e + p_a \le 1`. Default 0.05, **illustrative**.

    Attributes
    ----------
    reabsorption_probability : float
        :math:`p_r = 1 - p_e - p_a` [-]: the share recycled into new pairs.

    References
    ----------
    .. [dev-Loper2015] P. Löper et al., J. Phys. Chem. Lett. 6, 66 (2015).
       doi:10.1021/jz502471h
    """

    escape_probability: float = 0.04
    parasitic_probability: float = 0.05

    def __post_init__(self):
        _validate.in_range("escape_probability", self.escape_probability, 0.0, 1.0,
                           include_low=False)
        _validate.in_range("parasitic_probability", self.parasitic_probability, 0.0, 1.0)
        if self.escape_probability + self.parasitic_probability > 1.0 + 1e-12:
            raise ValueError("escape_probability + parasitic_probability must be <= 1, got "
                             f"{self.escape_probability} + {self.parasitic_probability}")

    @property
    def reabsorption_probability(self) -> float:
        """:math:`p_r = 1 - p_e - p_a` [-]."""
        return max(1.0 - self.escape_probability - self.parasitic_probability, 0.0)


def external_plqy(internal_plqy, outcoupling: Outcoupling = Outcoupling()) -> np.ndarray:
    r"""External PLQY from the internal one with photon recycling.

    .. math::

        \mathrm{PLQY}_{ext} = \frac{p_e\,\eta_{int}}{1 - p_r\,\eta_{int}}

    Parameters
    ----------
    internal_plqy : array_like
        Internal quantum yield :math:`\eta_{int}` [-], 0 to 1.
    outcoupling : Outcoupling
        Escape and parasitic-absorption probabilities.

    Returns
    -------
    numpy.ndarray
        External quantum yield [-], 0 to :math:`p_e / (p_e + p_a)`.

    References
    ----------
    The summed geometric series of re-absorption and re-emission: L. M. Pazos-Outón et al.,
    Science 351, 1430 (2016). doi:10.1126/science.aaf1168
    """
    eta = np.asarray(internal_plqy, dtype=float)
    if eta.size == 0 or not np.all(np.isfinite(eta)) or np.any((eta < 0) | (eta > 1)):
        raise ValueError(f"internal_plqy must be in [0, 1], got {internal_plqy!r}")
    p_e, p_r = outcoupling.escape_probability, outcoupling.reabsorption_probability
    return p_e * eta / (1.0 - p_r * eta)


def intrinsic_density_squared(band_gap: float, temperature: float,
                              mass_electron: float, mass_hole: float) -> float:
    r""":math:`n_i^2 = N_c N_v\,e^{-E_g/k_BT}` of parabolic bands [cm^-6].

    Parameters
    ----------
    band_gap : float
        Band gap [eV], 0.5-4.
    temperature : float
        Temperature [K], > 0.
    mass_electron, mass_hole : float
        Density-of-states effective masses [m0], > 0.

    Returns
    -------
    float
        :math:`n_i^2` [cm^-6], with :math:`N_{c,v}` from
        :func:`lerbook.recombination.effective_density_of_states`.
    """
    band_gap = _validate.in_range("band_gap", band_gap, 0.5, 4.0, "eV")
    temperature = _validate.positive("temperature", temperature, "K")
    n_c = effective_density_of_states(_validate.positive("mass_electron", mass_electron, "m0"),
                                      temperature)
    n_v = effective_density_of_states(_validate.positive("mass_hole", mass_hole, "m0"),
                                      temperature)
    return float(n_c * n_v * np.exp(-band_gap / (BOLTZMANN_EV * temperature)))


def detailed_balance_coefficient(limit: RadiativeLimit, outcoupling: Outcoupling,
                                 mass_electron: float, mass_hole: float) -> float:
    r"""Internal radiative coefficient that makes the film's emission obey detailed balance.

    In the dark the photons that escape the front must equal the black-body photons the film
    absorbs from the front, :math:`p_e\,B\,n_i^2\,d = J_{0,rad}/q`, so

    .. math:: B = \frac{J_{0,rad}}{q\,d\,p_e\,n_i^2}.

    This is the van Roosbroeck-Shockley link between emission and absorption
    [dev-vanRoosbroeck1954]_, which accounts for the measured bimolecular recombination of
    MAPbI3 [dev-Davies2018]_. With it, the quasi-Fermi-level splitting
    :math:`k_BT\ln(np/n_i^2)` of the film equals the Ross-relation voltage.

    Parameters
    ----------
    limit : RadiativeLimit
        Radiative limit of the film (its :math:`J_{0,rad}`, thickness and temperature).
    outcoupling : Outcoupling
        Escape probability :math:`p_e` of an emitted photon.
    mass_electron, mass_hole : float
        Density-of-states effective masses [m0], > 0.

    Returns
    -------
    float
        Internal (intrinsic) radiative coefficient :math:`B` [cm^3 s^-1], before photon
        recycling; the apparent coefficient of a film is :math:`(1 - p_r) B`.

    References
    ----------
    .. [dev-vanRoosbroeck1954] W. van Roosbroeck and W. Shockley, Phys. Rev. 94, 1558 (1954).
       doi:10.1103/PhysRev.94.1558
    .. [dev-Davies2018] C. L. Davies et al., Nat. Commun. 9, 293 (2018).
       doi:10.1038/s41467-017-02670-2
    """
    n_i2 = intrinsic_density_squared(limit.band_gap, limit.temperature, mass_electron,
                                     mass_hole)
    escaping = limit.dark_current * 1e-3 / ELEMENTARY_CHARGE      # photons cm^-2 s^-1
    return escaping / (limit.thickness * 1e-7 * outcoupling.escape_probability * n_i2)


@dataclass(frozen=True)
class DeviceVoltage:
    """Open-circuit steady state of a cell (:func:`open_circuit_voltage`).

    Attributes
    ----------
    suns : numpy.ndarray
        Illumination in suns [-].
    generation_rate : numpy.ndarray
        Mean generation rate [cm^-3 s^-1].
    electron_density, hole_density, trapped_density : numpy.ndarray
        Steady free-electron, free-hole and trapped-electron densities [cm^-3].
    internal_plqy : numpy.ndarray
        Internal quantum yield [-]: radiative over all recombination, before recycling.
    external_plqy : numpy.ndarray
        External quantum yield [-]: photons leaving the front per generated pair.
    voc_radiative : numpy.ndarray
        Radiative limit :math:`V_{oc,rad}` at each illumination [V].
    voc : numpy.ndarray
        Open-circuit voltage :math:`V_{oc,rad} + (k_BT/q)\\ln \\mathrm{PLQY}_{ext}` [V].
    splitting : numpy.ndarray
        Quasi-Fermi-level splitting :math:`k_BT\\ln(np/n_i^2)` of the film [V]; equal to
        ``voc`` when the radiative coefficient obeys detailed balance.
    limit : RadiativeLimit
        The radiative limit at one sun.
    params : TrapParameters
        Recombination parameters used, with the internal radiative coefficient as ``B``.
    outcoupling : Outcoupling
        Photon fates used.
    """

    suns: np.ndarray
    generation_rate: np.ndarray
    electron_density: np.ndarray
    hole_density: np.ndarray
    trapped_density: np.ndarray
    internal_plqy: np.ndarray
    external_plqy: np.ndarray
    voc_radiative: np.ndarray
    voc: np.ndarray
    splitting: np.ndarray
    limit: RadiativeLimit = field(repr=False)
    params: TrapParameters = field(repr=False)
    outcoupling: Outcoupling = field(repr=False)

    @property
    def nonradiative_loss(self) -> np.ndarray:
        """Voltage lost to non-radiative recombination and poor outcoupling,
        :math:`V_{oc,rad} - V_{oc}` [V]."""
        return self.voc_radiative - self.voc


def open_circuit_voltage(params: TrapParameters | None = None, suns=1.0,
                         outcoupling: Outcoupling = Outcoupling(),
                         limit: RadiativeLimit | None = None, *,
                         radiative_coefficient: str = "detailed_balance",
                         mass_hole: float | None = None) -> DeviceVoltage:
    r"""Open-circuit voltage of a cell whose film recombines by the trap model.

    Parameters
    ----------
    params : TrapParameters or None
        Recombination in the film (chapter 2's trap model; the reservoir acts through its
        ``n_ler`` and ``k_sigma``). None gives ``TrapParameters()``.
    suns : float or array_like
        Illumination in suns [-], (0, 1e4].
    outcoupling : Outcoupling
        Escape and parasitic-absorption probabilities of emitted photons.
    limit : RadiativeLimit or None
        Radiative limit at one sun, at the temperature of ``params``; None computes it for
        MAPbI3 (band gap, Urbach energy and above-gap absorption from
        :mod:`lerbook.materials`, 500 nm on a mirror).
    radiative_coefficient : {"detailed_balance", "apparent"}, keyword-only
        ``"detailed_balance"`` replaces ``params.B`` by the internal coefficient that obeys
        detailed balance with the absorption (:func:`detailed_balance_coefficient`), so that
        the film's quasi-Fermi-level splitting equals the Ross voltage. ``"apparent"`` reads
        ``params.B`` as the coefficient measured on a film, which already contains photon
        recycling, and uses :math:`B/(1 - p_r)` as the internal one; with literature values
        of B, masses and absorption the splitting then differs from the Ross voltage, which
        measures how far those values are from one another.
    mass_hole : float or None, keyword-only
        Hole density-of-states mass [m0], > 0; None takes MAPbI3's. The electron mass is
        ``params.mass_electron``.

    Returns
    -------
    DeviceVoltage

    Notes
    -----
    At open circuit every generated pair recombines in the film. Re-absorbed photons return
    pairs, so the trap model is solved with the net coefficient :math:`(1 - p_r)B`; then

    .. math::

        \eta_{int} = \frac{Bnp}{Bnp + R_{nr}},\quad R_{nr} = G - (1-p_r)Bnp, \qquad
        \mathrm{PLQY}_{ext} = \frac{p_e B n p}{G},

    which equals :func:`external_plqy` of :math:`\eta_{int}`, and
    :math:`V_{oc} = V_{oc,rad} + (k_BT/q)\ln\mathrm{PLQY}_{ext}` (Rau 2007, see the module
    docstring). The film is taken as uniformly excited at :math:`G = J_{sc}/(qd)` (no
    transport or surface recombination).

    Examples
    --------
    >>> cell = open_circuit_voltage()
    >>> print(f"PLQY_ext = {cell.external_plqy[0]:.4f}, Voc = {cell.voc[0]:.3f} V")
    PLQY_ext = 0.2602, Voc = 1.224 V
    """
    params = TrapParameters() if params is None else params
    if not isinstance(params, TrapParameters):
        raise ValueError(f"params must be a TrapParameters, got {type(params).__name__}")
    _validate.choice("radiative_coefficient", radiative_coefficient,
                     ("detailed_balance", "apparent"))
    limit = _mapbi3_limit(params.temperature) if limit is None else limit
    if not isinstance(limit, RadiativeLimit):
        raise ValueError(f"limit must be a RadiativeLimit, got {type(limit).__name__}")
    if abs(limit.temperature - params.temperature) > 1e-9:
        raise ValueError(f"limit.temperature ({limit.temperature} K) must equal "
                         f"params.temperature ({params.temperature} K)")
    x = np.atleast_1d(np.asarray(suns, dtype=float))
    if x.size == 0 or not np.all(np.isfinite(x)) or np.any(x <= 0) or np.any(x > 1e4):
        raise ValueError(f"suns must be in (0, 1e4], got {suns!r}")
    m_h = get_material("MAPbI3").mass_hole if mass_hole is None else mass_hole
    p_r = outcoupling.reabsorption_probability
    if radiative_coefficient == "detailed_balance":
        params = dataclasses.replace(params, B=detailed_balance_coefficient(
            limit, outcoupling, params.mass_electron, m_h))
    elif params.B <= 0:
        raise ValueError(f"B must be > 0 cm^3 s^-1 for a radiative yield, got {params.B}")
    else:
        params = dataclasses.replace(params, B=params.B / (1.0 - p_r))
    generation = x * limit.generation_rate
    state = trap_steady_state(dataclasses.replace(params, B=params.B * (1.0 - p_r)),
                              generation)
    radiative = params.B * state.n * state.p
    nonradiative = generation - (1.0 - p_r) * radiative
    internal = radiative / (radiative + nonradiative)
    external = outcoupling.escape_probability * radiative / generation
    kt = BOLTZMANN_EV * limit.temperature
    voc_rad = limit.voc_at(x)
    voc = voc_rad + kt * np.log(external)
    n_i2 = intrinsic_density_squared(limit.band_gap, limit.temperature, params.mass_electron,
                                     m_h)
    splitting = kt * np.log(state.n * state.p / n_i2)
    return DeviceVoltage(x, generation, state.n, state.p, state.n_t, internal, external,
                         voc_rad, voc, splitting, limit, params, outcoupling)


@functools.lru_cache(maxsize=16)
def _mapbi3_limit(temperature: float) -> RadiativeLimit:
    # The default limit depends only on the registry and the temperature: computed once.
    m = get_material("MAPbI3")
    return radiative_limit(m.band_gap, m.urbach_energy, alpha_above_gap=m.alpha_above_gap,
                           temperature=temperature)


def retained_excess_energy(t, excess_energy, extraction_time) -> np.ndarray:
    r"""Share of the initial excess energy a carrier keeps when extracted at a rate
    :math:`1/\tau_{ext}`.

    .. math::

        f(\tau_{ext}) = \frac{1}{\Delta E(0)}\int_0^\infty
        \frac{e^{-t/\tau_{ext}}}{\tau_{ext}}\,\Delta E(t)\,dt

    with :math:`\Delta E(t)` linear between the given times and constant after the last
    one; each segment is integrated exactly.

    Parameters
    ----------
    t : array_like
        Times [s], starting at 0, strictly increasing.
    excess_energy : array_like
        Excess energy per pair at those times [eV], first value > 0.
    extraction_time : float or array_like
        Mean extraction time :math:`\tau_{ext}` [s], > 0.

    Returns
    -------
    numpy.ndarray
        :math:`f` for each extraction time [-].

    Examples
    --------
    Exponential cooling with time constant :math:`\tau_c` keeps
    :math:`\tau_c/(\tau_c + \tau_{ext})`:

    >>> t = np.linspace(0.0, 20e-12, 20001)
    >>> print(f"{retained_excess_energy(t, np.exp(-t / 1e-12), 1e-12)[0]:.4f}")
    0.5000
    """
    t = np.asarray(t, dtype=float)
    de = np.asarray(excess_energy, dtype=float)
    if t.ndim != 1 or t.size < 2 or t[0] != 0.0 or np.any(np.diff(t) <= 0):
        raise ValueError("t must be a 1-D array of times starting at 0, strictly increasing")
    if de.shape != t.shape or not np.all(np.isfinite(de)) or de[0] <= 0:
        raise ValueError("excess_energy must be finite, the shape of t, with a first value > 0")
    tau = np.atleast_1d(np.asarray(extraction_time, dtype=float))
    if tau.size == 0 or not np.all(np.isfinite(tau)) or np.any(tau <= 0):
        raise ValueError(f"extraction_time must be finite and > 0 s, got {extraction_time!r}")
    h = np.diff(t)[None, :]
    slope = (np.diff(de) / np.diff(t))[None, :]
    tt = tau[:, None]
    x = h / tt
    start = np.exp(-t[:-1][None, :] / tt)
    kept = -np.expm1(-x)
    # Integral of (a + b s) e^{-s/tau}/tau over one segment of length h.
    segments = start * (de[:-1][None, :] * kept + slope * (tt * kept - h * np.exp(-x)))
    total = segments.sum(axis=1) + np.exp(-t[-1] / tau) * de[-1]
    return total / de[0]


@dataclass(frozen=True)
class HotCarrierExtraction:
    """Hot-carrier extraction from a cooling run (:func:`hot_carrier_extraction`).

    Attributes
    ----------
    extraction_time : numpy.ndarray
        Mean extraction times [s].
    retained_fraction : numpy.ndarray
        Share of the initial excess energy delivered at extraction [-].
    initial_excess_energy : float
        Excess energy per pair at t = 0, :math:`3k_B(T_c - T_0)` [eV].
    half_time : float
        Extraction time that keeps half of it [s] (nan if the grid does not reach it).
    """

    extraction_time: np.ndarray
    retained_fraction: np.ndarray
    initial_excess_energy: float
    half_time: float


def hot_carrier_extraction(result: CoolingResult, extraction_time) -> HotCarrierExtraction:
    r"""How much of the carriers' excess energy an extraction time keeps.

    Parameters
    ----------
    result : lerbook.cooling.CoolingResult
        A cooling run (:func:`lerbook.cooling.simulate_cooling`) starting hot, whose time grid
        starts at 0 and runs long enough for the extraction times asked.
    extraction_time : array_like
        Mean extraction times [s], > 0.

    Returns
    -------
    HotCarrierExtraction

    Notes
    -----
    :math:`\Delta E(t) = 3k_B[T_c(t) - T_0]` per pair (both carriers), weighted as in
    :func:`retained_excess_energy`. Recombination during extraction is neglected (it is
    nanoseconds to microseconds against picoseconds).
    """
    if not isinstance(result, CoolingResult):
        raise ValueError(f"result must be a CoolingResult, got {type(result).__name__}")
    excess = 3.0 * BOLTZMANN_EV * (result.Tc - result.T0)
    if excess[0] <= 0:
        raise ValueError("result must start hot (initial carrier temperature above T0)")
    tau = np.atleast_1d(np.asarray(extraction_time, dtype=float))
    fraction = retained_excess_energy(result.t, excess, tau)
    # f decreases monotonically with tau_ext: the half point by interpolation in log tau.
    order = np.argsort(tau)
    f_sorted, tau_sorted = fraction[order], tau[order]
    half = np.nan
    if f_sorted[0] >= 0.5 >= f_sorted[-1]:
        half = float(np.exp(np.interp(-0.5, -f_sorted, np.log(tau_sorted))))
    return HotCarrierExtraction(tau, fraction, float(excess[0]), half)
