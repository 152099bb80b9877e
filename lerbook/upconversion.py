r"""Anti-Stokes (upconversion) photoluminescence: subgap absorption, upconversion, cooling.

Halide perovskites excited *below* their band gap still emit band-edge light, with anti-Stokes
shifts up to about 220 meV (about 8 k_B T at room temperature) and a PL that grows nearly
linearly with the pump power [up-Ha2016]_ [up-Morozov2017]_ [up-Pokryshkin2023]_. The lattice
energy reservoir (LER) perspective [up-Wen2024]_ attributes the efficiency of this upconversion
to hot reservoirs handing energy to subgap carriers. This module computes what a conventional
model predicts and what the reservoir term adds, one process at a time (chapter 3 of the
book):

1. **Subgap absorption.** A pump photon of energy :math:`E_p = E_g - \Delta E` is absorbed in
   the Urbach tail, :math:`\alpha(E_p) = \alpha_0 e^{-\Delta E / E_U}` [up-Urbach1953]_
   (:func:`lerbook.spectra.urbach_absorption`, the model of :mod:`lerbook.excitation`),
   creating electron-hole pairs with one carrier in a tail state :math:`\Delta E` below its
   band at the rate :math:`G_1 = \alpha(E_p)\,\Phi` (:func:`one_photon_generation`).
2. **Upconversion** of that carrier into the band competes with its loss
   (:func:`upconversion_rates`):

   .. math::

       k_{ph} = \nu_{LO}\, e^{-\Delta E / k_B T}, \qquad
       k_{LER} = K\sigma'\, n_{LER}, \qquad
       \eta = \frac{k_{ph} + k_{LER}}{k_{ph} + k_{LER} + k_{loss}},

   phonon-assisted (absorbing :math:`\Delta E / \hbar\omega_{LO}` LO phonons) and
   reservoir-assisted (the term :math:`K\sigma' n_{LER} n_{sub}` of chapter 2).
3. **Two-photon absorption**, the conventional comparison, puts pairs straight into the band,
   :math:`G_2 = \beta I^2 / (2 E_p)` (:func:`two_photon_generation`).
4. **Band recombination** by the recombination chapter's model: the band generation
   :math:`G_{band} = \eta G_1 + G_2` feeds :func:`lerbook.recombination.trap_steady_state`
   (or the ABC model), whose radiative rate :math:`B n p` is the PL
   (:func:`power_dependence`).
5. **The emission lineshape** follows from the absorption by the van Roosbroeck-Shockley
   relation [up-vanRoosbroeck1954]_ (:func:`lerbook.spectra.band_edge_emission`), so emission
   and absorption stay consistent (:func:`anti_stokes_spectrum`).
6. **Optical cooling**: each emitted photon carries away its energy, each absorbed one brings
   :math:`E_p`, and a share :math:`1 - \eta` of the tail pairs becomes heat; the net cooling
   efficiency is
   :math:`\eta_c = \eta\,\eta_{ext}\,\eta_{abs}\,\langle E_f\rangle / E_p - 1` [up-SheikBahae2007]_
   (:func:`cooling_balance`).
7. **The reservoir's history.** The reservoir density follows the slow kinetics of
   :class:`lerbook.reservoir.ReservoirKinetics`, fed by the heat the light deposits
   (:func:`heat_power_density`), so the reservoir path remembers earlier illumination
   (:func:`reservoir_history`) and depends on how slowly the pump is chopped
   (:func:`chopping_response`); the phonon path does neither.

.. rubric:: Sources of the parameters

Band gap, Urbach energy, above-gap absorption and LO-phonon energy are those of
:mod:`lerbook.materials` (MAPbI3 by default, with their sources). Everything else is
**illustrative**: the attempt rate of phonon-assisted upconversion is taken as the LO-phonon
frequency :math:`E_{LO}/h` (2.8e12 s^-1 for MAPbI3), the loss rate of a tail carrier as
1e10 s^-1 (100 ps), the reservoir coupling to tail states as :math:`K\sigma'` = 1e-7 cm^3 s^-1
(the perspective gives no value; this is the geometric cross-section of a 20 nm domain,
3e-12 cm^2, times a thermal velocity, 3e7 cm s^-1, times a transfer probability of about one
in a thousand per encounter), and the
two-photon coefficient as 1e-8 cm W^-1, the order measured in bromide perovskite crystals
[up-Walters2015]_.

Units: energies and detunings in eV, temperatures in K, pump power densities in mW cm^-2
(continuous wave), generation and PL rates in cm^-3 s^-1, rates in s^-1, heat in W cm^-3.

.. rubric:: References

.. [up-Wen2024] X. Wen and B. Jia, "Lattice energy reservoir in metal halide perovskites",
   arXiv:2406.18818 (2024). doi:10.48550/arXiv.2406.18818
.. [up-Ha2016] S.-T. Ha, C. Shen, J. Zhang and Q. Xiong, "Laser cooling of organic-inorganic
   lead halide perovskites", Nat. Photonics 10, 115-121 (2016). doi:10.1038/nphoton.2015.243
.. [up-Morozov2017] Y. V. Morozov et al., "Photoluminescence up-conversion in CsPbBr3
   nanocrystals", ACS Energy Lett. 2, 2514 (2017).
.. [up-Pokryshkin2023] N. S. Pokryshkin, V. N. Mantsevich and V. Y. Timoshenko, "Anti-Stokes
   photoluminescence in halide perovskite nanocrystals", Nanomaterials 13, 1833 (2023).
   doi:10.3390/nano13121833
.. [up-Urbach1953] F. Urbach, "The long-wavelength edge of photographic sensitivity and of
   the electronic absorption of solids", Phys. Rev. 92, 1324 (1953).
   doi:10.1103/PhysRev.92.1324
.. [up-vanRoosbroeck1954] W. van Roosbroeck and W. Shockley, "Photon-radiative recombination
   of electrons and holes in germanium", Phys. Rev. 94, 1558 (1954).
   doi:10.1103/PhysRev.94.1558
.. [up-SheikBahae2007] M. Sheik-Bahae and R. I. Epstein, "Optical refrigeration",
   Nat. Photonics 1, 693-699 (2007). doi:10.1038/nphoton.2007.244
.. [up-Walters2015] G. Walters et al., "Two-photon absorption in organometallic bromide
   perovskites", ACS Nano 9, 9340-9346 (2015). doi:10.1021/acsnano.5b03308
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from lerbook import _validate, excitation, recombination, reservoir, spectra
from lerbook.fitting.curves import CurveFit, fit_arrhenius, fit_power_law
from lerbook.materials import Material, get_material
from lerbook.recombination import ABCParameters, TrapParameters
from lerbook.units import BOLTZMANN_EV, ELEMENTARY_CHARGE, HC_EV_NM, PLANCK_EV_S

__all__ = [
    "PATHS",
    "UpconversionParameters",
    "UpconversionRates",
    "upconversion_rates",
    "TemperatureDependence",
    "temperature_dependence",
    "one_photon_generation",
    "two_photon_generation",
    "matched_two_photon_coefficient",
    "BandRecombination",
    "band_recombination",
    "PowerDependence",
    "power_dependence",
    "AntiStokesSpectrum",
    "anti_stokes_spectrum",
    "CoolingBalance",
    "cooling_balance",
    "cooling_threshold",
    "heat_power_density",
    "ReservoirHistory",
    "reservoir_history",
    "ChoppingResponse",
    "chopping_response",
]

#: The routes from a pump photon to a band carrier: phonon-assisted and reservoir-assisted
#: upconversion of a one-photon subgap excitation, and two-photon absorption.
PATHS = ("phonon", "reservoir", "two_photon")

_TEMPERATURE_RANGE = (10.0, 1000.0)  # K
_POWER_RANGE = (1e-12, 1e12)  # mW cm^-2


# ============================================================================================
# Parameters
# ============================================================================================
@dataclass(frozen=True)
class UpconversionParameters:
    r"""One sample under subgap excitation: its band edge, its upconversion and loss rates.

    Parameters
    ----------
    material : Material or str
        The material or its name in :data:`lerbook.materials.MATERIALS` (default MAPbI3): band
        gap [eV], Urbach energy [eV], above-gap absorption [cm^-1] and LO-phonon energy [eV].
    temperature : float
        Lattice temperature T [K], in [10, 1000]. Default 295.
    loss_rate : float
        Rate k_loss at which a carrier in a tail state is lost before it reaches the band
        (relaxation into deeper states, non-radiative recombination) [s^-1], > 0. Default 1e10,
        **illustrative**.
    attempt_rate : float or None
        Prefactor :math:`\nu` of phonon-assisted upconversion [s^-1], > 0; None (default) for
        the LO-phonon frequency :math:`E_{LO}/h` of the material.
    k_sigma : float
        Reservoir coupling :math:`K\sigma'` of a tail carrier [cm^3 s^-1], >= 0. Default 1e-7,
        **illustrative** (see the module docstring).
    n_ler : float
        Density of active reservoirs :math:`n_{LER}` [cm^-3], >= 0. Default 0: the
        conventional model.
    reservoir_temperature : float or None
        None (default): the reservoir hands over whatever energy the detuning needs, at the
        rate :math:`K\sigma' n_{LER}` (the term of chapter 2). A temperature
        :math:`T_{LER}` [K] > 0 makes the reservoir an effective hot bath instead:
        :math:`k_{LER} = K\sigma' n_{LER}\, e^{-\Delta E / k_B T_{LER}}`.
    two_photon_coefficient : float
        Two-photon absorption coefficient :math:`\beta` [cm W^-1], >= 0. Default 1e-8, the
        order measured in MAPbBr3 crystals (Walters 2015); illustrative for other compounds.
    band_model : ABCParameters, TrapParameters or None
        How band carriers recombine (chapter 2's models). None (default):
        ``TrapParameters.from_material(material)``. A trap model takes this object's
        ``temperature`` (see :attr:`recombination`).
    reservoir_detrapping : bool
        False (default): ``n_ler`` acts only on the upconversion of tail carriers, and the
        band model is held at n_LER = 0, so that the two effects can be told apart. True: the
        reservoir density also switches on chapter 2's detrapping term
        :math:`K\sigma' n_{LER}` of the trap model, which raises the band PLQY (at 100 meV
        and n_LER = 1e17 cm^-3 it raises the PL about tenfold while eta moves only from
        0.845 to 0.866).

    Notes
    -----
    Phonon-assisted upconversion over a detuning :math:`\Delta E` absorbs
    :math:`m = \Delta E / E_{LO}` LO phonons. If the reverse, downhill relaxation has a
    temperature-independent rate, detailed balance makes the uphill rate
    :math:`k_{ph} = \nu\, e^{-\Delta E / k_B T}`, which is what this model assumes. (If
    instead every step is a stimulated phonon emission with rate :math:`\propto (n_{LO}+1)`,
    the uphill rate goes as :math:`n_{LO}^m`, whose apparent activation energy
    :math:`\Delta E\,(n_{LO} + 1)` exceeds :math:`\Delta E` above about 100 K.)

    Examples
    --------
    >>> params = UpconversionParameters()
    >>> print(f"nu_LO = {params.phonon_attempt_rate:.3g} s^-1, "
    ...       f"E_g = {params.band_gap} eV, E_U = {params.urbach_energy * 1e3:.0f} meV")
    nu_LO = 2.78e+12 s^-1, E_g = 1.57 eV, E_U = 15 meV
    """

    material: Material | str = "MAPbI3"
    temperature: float = 295.0
    loss_rate: float = 1.0e10
    attempt_rate: float | None = None
    k_sigma: float = 1.0e-7
    n_ler: float = 0.0
    reservoir_temperature: float | None = None
    two_photon_coefficient: float = 1.0e-8
    band_model: ABCParameters | TrapParameters | None = None
    reservoir_detrapping: bool = False

    def __post_init__(self):
        material = get_material(self.material)
        object.__setattr__(self, "material", material)
        object.__setattr__(self, "temperature", _validate.in_range(
            "temperature", self.temperature, *_TEMPERATURE_RANGE, unit="K"))
        object.__setattr__(self, "loss_rate",
                           _validate.positive("loss_rate", self.loss_rate, "s^-1"))
        if self.attempt_rate is not None:
            object.__setattr__(self, "attempt_rate",
                               _validate.positive("attempt_rate", self.attempt_rate, "s^-1"))
        for name, unit in (("k_sigma", "cm^3 s^-1"), ("n_ler", "cm^-3"),
                           ("two_photon_coefficient", "cm W^-1")):
            object.__setattr__(self, name, _validate.non_negative(name, getattr(self, name),
                                                                  unit))
        if not isinstance(self.reservoir_detrapping, (bool, np.bool_)):
            raise ValueError(f"reservoir_detrapping must be True or False, "
                             f"got {self.reservoir_detrapping!r}")
        if self.reservoir_temperature is not None:
            object.__setattr__(self, "reservoir_temperature", _validate.in_range(
                "reservoir_temperature", self.reservoir_temperature, 1.0, 1e5, unit="K"))
        if self.band_model is None:
            object.__setattr__(self, "band_model", TrapParameters.from_material(material))
        elif not isinstance(self.band_model, (ABCParameters, TrapParameters)):
            raise ValueError(f"band_model must be ABCParameters, TrapParameters or None, got "
                             f"{type(self.band_model).__name__}")

    def replace(self, **changes) -> UpconversionParameters:
        """A validated copy with some fields changed (units as in the class docstring).

        Parameters
        ----------
        **changes
            New values of fields [their units, as in the class docstring].

        Returns
        -------
        UpconversionParameters
            The copy, validated.
        """
        return dataclasses.replace(self, **changes)

    @property
    def band_gap(self) -> float:
        """Band gap E_g of the material [eV]."""
        return self.material.band_gap

    @property
    def urbach_energy(self) -> float:
        """Urbach energy E_U of the material [eV]."""
        return self.material.urbach_energy

    @property
    def lo_phonon_energy(self) -> float:
        """LO-phonon energy E_LO of the material [eV]."""
        return self.material.lo_phonon_energy

    @property
    def phonon_attempt_rate(self) -> float:
        """Prefactor nu of phonon-assisted upconversion [s^-1]: attempt_rate or E_LO / h."""
        if self.attempt_rate is not None:
            return self.attempt_rate
        return self.lo_phonon_energy / PLANCK_EV_S

    @property
    def recombination(self) -> ABCParameters | TrapParameters:
        """The band recombination model actually used: a trap model with this object's
        temperature [K] and, only if ``reservoir_detrapping``, its n_ler [cm^-3] (else 0); or
        the ABC model as given."""
        if isinstance(self.band_model, TrapParameters):
            density = self.n_ler if self.reservoir_detrapping else 0.0
            return self.band_model.replace(temperature=self.temperature, n_ler=density)
        return self.band_model


# ============================================================================================
# Validation helpers
# ============================================================================================
def _detuning(params: UpconversionParameters, detuning, allow_above_gap: bool = False):
    low = -0.5 if allow_above_gap else 0.0
    return _validate.array(
        "detuning", detuning, "eV", low=low, high=0.5 * params.band_gap, include_high=False,
        reason=f"between {'0.5 eV above' if allow_above_gap else 'the gap'} and half the gap "
               f"below it, so two pump photons still reach the band")


def _power(power_density) -> np.ndarray:
    low, high = _POWER_RANGE
    return _validate.array("power_density", power_density, "mW cm^-2", low=low, high=high)


def _paths(paths) -> tuple[str, ...]:
    if paths == "all":
        return PATHS
    if paths == "one_photon":
        return ("phonon", "reservoir")
    chosen = (paths,) if isinstance(paths, str) else tuple(paths)
    unknown = [p for p in chosen if p not in PATHS]
    if unknown or not chosen:
        raise ValueError(f"paths must be 'all', 'one_photon' or names from {PATHS}, "
                         f"got {paths!r}")
    return tuple(p for p in PATHS if p in chosen)


# ============================================================================================
# 1-2. Subgap absorption and upconversion rates
# ============================================================================================
def _phonon_rate(params: UpconversionParameters, detuning, temperature=None) -> np.ndarray:
    kt = BOLTZMANN_EV * (params.temperature if temperature is None else temperature)
    return params.phonon_attempt_rate * np.exp(-np.maximum(detuning, 0.0) / kt)


def _reservoir_rate(params: UpconversionParameters, detuning, n_ler=None) -> np.ndarray:
    density = params.n_ler if n_ler is None else n_ler
    rate = params.k_sigma * np.asarray(density, dtype=float)
    if params.reservoir_temperature is not None:
        rate = rate * np.exp(-np.maximum(detuning, 0.0)
                             / (BOLTZMANN_EV * params.reservoir_temperature))
    return rate


def _efficiency(params: UpconversionParameters, detuning, paths=PATHS, temperature=None,
                n_ler=None) -> np.ndarray:
    up = np.zeros(np.broadcast_shapes(np.shape(detuning), np.shape(temperature),
                                      np.shape(n_ler)))
    if "phonon" in paths:
        up = up + _phonon_rate(params, detuning, temperature)
    if "reservoir" in paths:
        up = up + _reservoir_rate(params, detuning, n_ler)
    return up / (up + params.loss_rate)


@dataclass(frozen=True)
class UpconversionRates:
    """Result of :func:`upconversion_rates`.

    Attributes
    ----------
    detuning : numpy.ndarray
        Detuning Delta E = E_g - E_p of the pump below the gap [eV].
    pump_energy : numpy.ndarray
        Pump photon energy E_p [eV].
    absorption : numpy.ndarray
        Absorption coefficient at the pump energy [cm^-1].
    absorption_factor : numpy.ndarray
        Absorption relative to the gap, alpha(E_p) / alpha(E_g) = exp(-Delta E / E_U) [-].
    phonon_rate : numpy.ndarray
        Phonon-assisted upconversion rate k_ph [s^-1].
    reservoir_rate : numpy.ndarray
        Reservoir-assisted upconversion rate k_LER [s^-1].
    loss_rate : float
        Loss rate k_loss of a tail carrier [s^-1].
    efficiency : numpy.ndarray
        Upconversion efficiency eta, both paths [-].
    phonon_efficiency : numpy.ndarray
        Upconversion efficiency with the phonon path alone [-].
    phonons_absorbed : numpy.ndarray
        LO phonons absorbed per upconverted carrier, Delta E / E_LO [-].
    params : UpconversionParameters
        The parameters used.
    """

    detuning: np.ndarray
    pump_energy: np.ndarray
    absorption: np.ndarray
    absorption_factor: np.ndarray
    phonon_rate: np.ndarray
    reservoir_rate: np.ndarray
    loss_rate: float
    efficiency: np.ndarray
    phonon_efficiency: np.ndarray
    phonons_absorbed: np.ndarray
    params: UpconversionParameters = field(repr=False)

    @property
    def relative_yield(self) -> np.ndarray:
        """Band carriers per incident photon, relative to excitation at the gap:
        absorption_factor x efficiency [-] (both paths)."""
        return self.absorption_factor * self.efficiency

    @property
    def phonon_relative_yield(self) -> np.ndarray:
        """As :attr:`relative_yield`, phonon path alone [-]."""
        return self.absorption_factor * self.phonon_efficiency


def upconversion_rates(params: UpconversionParameters, detuning) -> UpconversionRates:
    r"""Absorption, upconversion rates and efficiency at pump detunings below the gap.

    Parameters
    ----------
    params : UpconversionParameters
        The sample.
    detuning : float or array_like
        Detuning :math:`\Delta E = E_g - E_p` [eV], in [0, E_g / 2).

    Returns
    -------
    UpconversionRates
        Rates [s^-1], efficiencies [-] and the Urbach absorption at each detuning.

    Notes
    -----
    A subgap pair lives in a tail state until it is lifted into the band or lost:

    .. math::

        \frac{dn_{sub}}{dt} = G_1 - (k_{ph} + k_{LER} + k_{loss})\, n_{sub},
        \qquad \eta = \frac{k_{ph} + k_{LER}}{k_{ph} + k_{LER} + k_{loss}},

    with :math:`k_{ph} = \nu e^{-\Delta E / k_B T}` and :math:`k_{LER} = K\sigma' n_{LER}`.
    The number of band carriers per *incident* photon is set by two exponentials,
    absorption :math:`e^{-\Delta E / E_U}` and escape :math:`e^{-\Delta E / k_B T}` (once
    :math:`k_{ph} < k_{loss}`); with :math:`E_U < k_B T` the absorption falls faster.

    Examples
    --------
    At 220 meV below the gap of MAPbI3, absorption costs a factor 4e-7 while a tail carrier
    still escapes to the band at ~5e8 s^-1:

    >>> rates = upconversion_rates(UpconversionParameters(), 0.220)
    >>> print(f"{rates.absorption_factor:.2e}, k_ph = {rates.phonon_rate:.2e} s^-1, "
    ...       f"eta = {rates.efficiency:.3f}")
    4.27e-07, k_ph = 4.85e+08 s^-1, eta = 0.046
    """
    values = _detuning(params, detuning)
    gap, eu = params.band_gap, params.urbach_energy
    pump = gap - values
    alpha = spectra.urbach_absorption(pump, gap, eu, params.material.alpha_above_gap)
    k_ph = _phonon_rate(params, values)
    k_res = np.broadcast_to(_reservoir_rate(params, values), values.shape)
    total = k_ph + k_res
    out = dict(
        detuning=values, pump_energy=pump, absorption=alpha,
        absorption_factor=np.exp(-values / eu), phonon_rate=k_ph, reservoir_rate=k_res * 1.0,
        efficiency=total / (total + params.loss_rate),
        phonon_efficiency=k_ph / (k_ph + params.loss_rate),
        phonons_absorbed=values / params.lo_phonon_energy)
    if values.ndim == 0:
        out = {key: float(value) for key, value in out.items()}
    return UpconversionRates(loss_rate=params.loss_rate, params=params, **out)


# ============================================================================================
# Temperature dependence and the Arrhenius fit
# ============================================================================================
@dataclass(frozen=True)
class TemperatureDependence:
    """Result of :func:`temperature_dependence`.

    Attributes
    ----------
    temperature : numpy.ndarray
        Lattice temperatures [K].
    detuning : float
        Pump detuning below the gap [eV].
    efficiency : numpy.ndarray
        Upconversion efficiency, both paths [-].
    phonon_efficiency : numpy.ndarray
        Upconversion efficiency with the phonon path alone [-].
    fit : CurveFit
        Linearised Arrhenius fit of ``efficiency``.
    phonon_fit : CurveFit
        Linearised Arrhenius fit of ``phonon_efficiency`` (recovers the detuning).
    params : UpconversionParameters
        The parameters used (their own temperature is ignored).
    """

    temperature: np.ndarray
    detuning: float
    efficiency: np.ndarray
    phonon_efficiency: np.ndarray
    fit: CurveFit
    phonon_fit: CurveFit
    params: UpconversionParameters = field(repr=False)

    @property
    def inverse_thermal_energy(self) -> np.ndarray:
        """1 / k_B T, the Arrhenius axis [eV^-1]."""
        return 1.0 / (BOLTZMANN_EV * self.temperature)


def temperature_dependence(params: UpconversionParameters, detuning: float,
                           temperature) -> TemperatureDependence:
    r"""Upconversion efficiency against lattice temperature, with Arrhenius fits.

    Parameters
    ----------
    params : UpconversionParameters
        The sample (its ``temperature`` is replaced by each value of ``temperature``).
    detuning : float
        Pump detuning below the gap [eV].
    temperature : array_like
        Lattice temperatures [K], in [10, 1000], at least 3 distinct values.

    Returns
    -------
    TemperatureDependence
        Efficiencies [-] and their Arrhenius fits.

    Notes
    -----
    The odds of upconversion are :math:`\eta / (1 - \eta) = (k_{ph} + k_{LER}) / k_{loss}`.
    For the phonon path alone this is :math:`(\nu / k_{loss})\, e^{-\Delta E / k_B T}`: a
    straight line of slope :math:`-\Delta E` against :math:`1/k_B T`. A temperature-independent
    reservoir rate adds a floor :math:`k_{LER}/k_{loss}` that flattens the plot at low
    temperature. (The Urbach energy and the gap are held at their room-temperature values.)

    Examples
    --------
    >>> scan = temperature_dependence(UpconversionParameters(), 0.1, np.linspace(100, 300, 9))
    >>> print(f"E_a = {scan.phonon_fit.activation_energy * 1e3:.1f} meV")
    E_a = 100.0 meV
    """
    temps = np.asarray(temperature, dtype=float)
    if temps.ndim != 1 or not np.all(np.isfinite(temps)) or np.any(
            temps < _TEMPERATURE_RANGE[0]) or np.any(temps > _TEMPERATURE_RANGE[1]):
        raise ValueError(f"temperature must be a 1-D array in [{_TEMPERATURE_RANGE[0]:g}, "
                         f"{_TEMPERATURE_RANGE[1]:g}] K, got {temperature!r}")
    value = float(_detuning(params, detuning))
    eta = _efficiency(params, value, PATHS, temperature=temps)
    eta_ph = _efficiency(params, value, ("phonon",), temperature=temps)
    # Efficiencies indistinguishable from 0 or 1 in double precision carry no slope.
    usable = (eta > 1e-300) & (eta < 1 - 1e-12)
    usable_ph = (eta_ph > 1e-300) & (eta_ph < 1 - 1e-12)
    return TemperatureDependence(
        temperature=temps, detuning=value, efficiency=eta, phonon_efficiency=eta_ph,
        fit=fit_arrhenius(temps[usable], eta[usable]),
        phonon_fit=fit_arrhenius(temps[usable_ph], eta_ph[usable_ph]), params=params)


# ============================================================================================
# 3-4. Generation by the pump and band recombination
# ============================================================================================
def one_photon_generation(params: UpconversionParameters, detuning: float,
                          power_density) -> np.ndarray:
    r"""Pairs created per volume and time by one-photon absorption of a subgap CW pump.

    Parameters
    ----------
    params : UpconversionParameters
        The sample.
    detuning : float
        Pump detuning below the gap [eV].
    power_density : float or array_like
        Incident pump power density [mW cm^-2].

    Returns
    -------
    numpy.ndarray
        :math:`G_1 = (P / E_p)\, \alpha(E_p)` at the front surface [cm^-3 s^-1], from
        :func:`lerbook.excitation.generation_rate` (no reflection).

    Examples
    --------
    >>> g = one_photon_generation(UpconversionParameters(), 0.1, 1e3)
    >>> print(f"{g:.2e} cm^-3 s^-1")
    2.70e+20 cm^-3 s^-1
    """
    value = float(_detuning(params, detuning))
    power = _power(power_density)
    beam = excitation.CWExcitation(power_density=1.0,
                                   wavelength=HC_EV_NM / (params.band_gap - value))
    per_unit = excitation.generation_rate(params.material, beam)
    out = per_unit * power
    return out if out.ndim else float(out)


def two_photon_generation(params: UpconversionParameters, detuning: float,
                          power_density) -> np.ndarray:
    r"""Pairs created per volume and time by two-photon absorption of the pump.

    Parameters
    ----------
    params : UpconversionParameters
        The sample (``two_photon_coefficient`` :math:`\beta` [cm W^-1]).
    detuning : float
        Pump detuning below the gap [eV] (< E_g / 2, so that 2 E_p > E_g).
    power_density : float or array_like
        Pump intensity I [mW cm^-2].

    Returns
    -------
    numpy.ndarray
        :math:`G_2 = \beta I^2 / (2 E_p)` [cm^-3 s^-1] (I in W cm^-2, E_p in J).

    Examples
    --------
    Negligible for a CW pump, important for a focused femtosecond one:

    >>> params = UpconversionParameters()
    >>> print(f"{two_photon_generation(params, 0.1, 1e3):.1e}, "
    ...       f"{two_photon_generation(params, 0.1, 1e12):.1e} cm^-3 s^-1")
    2.1e+10, 2.1e+28 cm^-3 s^-1
    """
    value = float(_detuning(params, detuning))
    intensity = _power(power_density) * 1e-3  # W cm^-2
    photon = (params.band_gap - value) * ELEMENTARY_CHARGE  # J
    out = params.two_photon_coefficient * intensity**2 / (2.0 * photon)
    return out if out.ndim else float(out)


def matched_two_photon_coefficient(params: UpconversionParameters, detuning: float,
                                   power_density: float) -> float:
    r"""The two-photon coefficient that would match the one-photon paths at one power.

    Parameters
    ----------
    params : UpconversionParameters
        The sample.
    detuning : float
        Pump detuning below the gap [eV].
    power_density : float
        Pump power density at which the two routes should deliver the same band carriers
        [mW cm^-2].

    Returns
    -------
    float
        :math:`\beta^* = 2 E_p\, \eta\, G_1 / I^2` [cm W^-1], so that
        :math:`G_2 = \eta G_1` at ``power_density``. Comparing the one-photon paths with
        two-photon absorption at this :math:`\beta^*` asks what the data would look like if
        two-photon absorption were the mechanism behind the same signal; the ratio
        :math:`\beta^* / \beta` says how far the real two-photon coefficient falls short.

    Examples
    --------
    >>> params = UpconversionParameters()
    >>> beta = matched_two_photon_coefficient(params, 0.1, 100.0)
    >>> print(f"{beta:.2g} cm/W, {beta / params.two_photon_coefficient:.0e} times the real one")
    1.1e+03 cm/W, 1e+11 times the real one
    """
    value = float(_detuning(params, detuning))
    power = float(_power(power_density))
    eta = float(_efficiency(params, value))
    g1 = one_photon_generation(params, value, power)
    intensity = power * 1e-3  # W cm^-2
    return 2.0 * (params.band_gap - value) * ELEMENTARY_CHARGE * eta * g1 / intensity**2


@dataclass(frozen=True)
class BandRecombination:
    """Result of :func:`band_recombination`.

    Attributes
    ----------
    generation_rate : numpy.ndarray
        Band generation rates [cm^-3 s^-1].
    pl : numpy.ndarray
        Steady radiative recombination rate B n p [cm^-3 s^-1] (0 where G = 0).
    plqy : numpy.ndarray
        Internal PLQY B n p / G [-] (0 where G = 0).
    model : ABCParameters or TrapParameters
        The recombination model used.
    """

    generation_rate: np.ndarray
    pl: np.ndarray
    plqy: np.ndarray
    model: ABCParameters | TrapParameters = field(repr=False)


def _abc_steady_density(params: ABCParameters, generation: np.ndarray) -> np.ndarray:
    """Excess density solving G = x (a0 + a1 x + a2 x^2) (Newton from above: monotone)."""
    a0, a1, a2 = params.coefficients
    guesses = []
    with np.errstate(divide="ignore"):
        if a0 > 0:
            guesses.append(generation / a0)
        if a1 > 0:
            guesses.append(np.sqrt(generation / a1))
        if a2 > 0:
            guesses.append(np.cbrt(generation / a2))
    # Each guess solves one term alone, so the full polynomial is >= G there: the root lies
    # below the smallest guess and Newton on the convex, increasing cubic approaches it
    # monotonically from above.
    x = np.min(guesses, axis=0)
    for _ in range(200):
        residual = x * (a0 + x * (a1 + a2 * x)) - generation
        step = residual / (a0 + x * (2.0 * a1 + 3.0 * a2 * x))
        x = x - step
        if np.all(np.abs(step) <= 1e-15 * x):
            break
    return x


def band_recombination(params: UpconversionParameters, generation_rate) -> BandRecombination:
    r"""Steady PL of band carriers generated at a constant rate (chapter 2's models).

    Parameters
    ----------
    params : UpconversionParameters
        The sample; :attr:`UpconversionParameters.recombination` is the model.
    generation_rate : float or array_like
        Band generation rate G [cm^-3 s^-1], >= 0.

    Returns
    -------
    BandRecombination
        PL = B n p [cm^-3 s^-1] and PLQY [-].

    Notes
    -----
    Trap model: :func:`lerbook.recombination.trap_steady_state`. ABC model: the excess
    density solves :math:`G = \Delta n (a_0 + a_1 \Delta n + a_2 \Delta n^2)` and
    PL :math:`= B \Delta n (\Delta n + N_D)`. In the trap-limited regime of the ABC model
    :math:`\Delta n = G/A` and PL :math:`= B G^2 / A^2`: quadratic in the pump for a
    one-photon process.

    Examples
    --------
    >>> abc = UpconversionParameters(band_model=ABCParameters())
    >>> low, high = band_recombination(abc, [1e18, 1e19]).pl
    >>> print(f"slope {np.log10(high / low):.2f}")
    slope 2.00
    """
    rates = np.asarray(generation_rate, dtype=float)
    if not np.all(np.isfinite(rates)) or np.any(rates < 0):
        raise ValueError(f"generation_rate must be finite and >= 0 cm^-3 s^-1, "
                         f"got {generation_rate!r}")
    model = params.recombination
    flat = np.atleast_1d(rates).ravel()
    pl = np.zeros(flat.size)
    on = flat > 0
    if np.any(on):
        if isinstance(model, TrapParameters):
            pl[on] = recombination.trap_steady_state(model, flat[on]).pl
        else:
            x = _abc_steady_density(model, flat[on])
            pl[on] = model.B * x * (x + model.doping)
    plqy = np.zeros(flat.size)
    plqy[on] = pl[on] / flat[on]
    shape = rates.shape
    return BandRecombination(generation_rate=rates * 1.0, pl=pl.reshape(shape),
                             plqy=plqy.reshape(shape), model=model)


# ============================================================================================
# Power dependence
# ============================================================================================
@dataclass(frozen=True)
class PowerDependence:
    """Result of :func:`power_dependence`.

    Attributes
    ----------
    power_density : numpy.ndarray
        Incident pump power densities [mW cm^-2].
    detuning : float
        Pump detuning below the gap [eV].
    pump_energy : float
        Pump photon energy [eV].
    paths : tuple of str
        The routes to the band that were switched on (see :data:`PATHS`).
    one_photon_generation : numpy.ndarray
        Pairs created by one-photon (Urbach-tail) absorption, G_1 [cm^-3 s^-1]: the
        "absorbed carrier density" per unit time.
    two_photon_generation : numpy.ndarray
        Pairs created by two-photon absorption, G_2 [cm^-3 s^-1] (counted only if
        ``"two_photon"`` is in ``paths``).
    band_generation : numpy.ndarray
        Carriers arriving in the band, eta G_1 + G_2 [cm^-3 s^-1].
    efficiency : float
        Upconversion efficiency eta of the one-photon paths switched on [-].
    pl : numpy.ndarray
        Anti-Stokes PL, B n p [cm^-3 s^-1].
    plqy : numpy.ndarray
        Internal PLQY of the band carriers [-].
    reference_pl : numpy.ndarray
        PL under above-gap excitation at the same absorbed pair generation G_1
        [cm^-3 s^-1].
    fit : CurveFit
        Log-log fit of ``pl`` against ``power_density``.
    params : UpconversionParameters
        The parameters used.
    """

    power_density: np.ndarray
    detuning: float
    pump_energy: float
    paths: tuple[str, ...]
    one_photon_generation: np.ndarray
    two_photon_generation: np.ndarray
    band_generation: np.ndarray
    efficiency: float
    pl: np.ndarray
    plqy: np.ndarray
    reference_pl: np.ndarray
    fit: CurveFit
    params: UpconversionParameters = field(repr=False)

    @property
    def pl_ratio(self) -> np.ndarray:
        """Anti-Stokes PL over above-gap PL at equal absorbed pair generation [-]."""
        return self.pl / self.reference_pl

    @property
    def upconversion_yield(self) -> np.ndarray:
        """Band carriers per absorbed (one-photon) pair, G_band / G_1 [-]: what reading the
        anti-Stokes PL on the above-gap calibration curve recovers."""
        return self.band_generation / self.one_photon_generation

    @property
    def reference_fit(self) -> CurveFit:
        """Log-log fit of the above-gap reference PL against power."""
        return fit_power_law(self.power_density, self.reference_pl)


def power_dependence(params: UpconversionParameters, detuning: float, power_density,
                     paths="all") -> PowerDependence:
    r"""Steady anti-Stokes PL against CW pump power, with the above-gap reference.

    Parameters
    ----------
    params : UpconversionParameters
        The sample.
    detuning : float
        Pump detuning below the gap [eV].
    power_density : array_like
        Pump power densities [mW cm^-2], at least 3 distinct values.
    paths : str or sequence of str
        Routes to the band: ``"all"`` (default), ``"one_photon"`` (phonon and reservoir), or
        names from :data:`PATHS`, e.g. ``("two_photon",)`` for two-photon absorption alone.

    Returns
    -------
    PowerDependence
        Generation [cm^-3 s^-1], PL [cm^-3 s^-1], the above-gap reference and a log-log fit.

    Notes
    -----
    .. math::

        G_{band} = \eta\, G_1 + G_2 \propto \eta P + \beta' P^2, \qquad
        \mathrm{PL} = B n p\,(G_{band}).

    The raw log-log slope mixes two things: the order of the excitation (1 for the
    one-photon paths, 2 for two-photon absorption) and the order of the band recombination
    (1 when radiative recombination wins, up to 2 when traps win). Dividing by the PL of an
    above-gap reference at the same absorbed pair generation :math:`G_1` removes only part of
    the second: the ratio :math:`\mathrm{PL}(\eta G_1)/\mathrm{PL}(G_1)` equals the constant
    :math:`\eta^k` only if :math:`\mathrm{PL} \propto G^k` with one k over the whole range
    from :math:`\eta G_1` to :math:`G_1`; where the local order changes (between 1 and 2) the
    one-photon ratio drifts with power, by up to a factor :math:`1/\eta`. Reading the
    anti-Stokes PL on the reference curve instead gives the band generation itself, whose
    ratio to :math:`G_1` (:attr:`PowerDependence.upconversion_yield`, the calibrated yield)
    is exactly :math:`\eta` for one photon and :math:`\propto P` for two, in any film: that
    is the observable to use.

    Examples
    --------
    >>> run = power_dependence(UpconversionParameters(), 0.1, np.geomspace(1, 1e4, 9))
    >>> print(f"PL slope {run.fit.slope:.2f}, ratio from {run.pl_ratio[0]:.3f} to "
    ...       f"{run.pl_ratio[-1]:.3f}")
    PL slope 1.51, ratio from 0.779 to 0.777
    """
    value = float(_detuning(params, detuning))
    power = _power(power_density)
    if power.ndim != 1:
        raise ValueError("power_density must be a 1-D array [mW cm^-2]")
    chosen = _paths(paths)
    g1 = one_photon_generation(params, value, power)
    g2 = two_photon_generation(params, value, power)
    eta = float(_efficiency(params, value, chosen)) if set(chosen) - {"two_photon"} else 0.0
    band = eta * g1 + (g2 if "two_photon" in chosen else 0.0)
    if not np.all(band > 0):
        raise ValueError("no carriers reach the band: switch on a path with a non-zero rate "
                         "(e.g. two_photon_coefficient > 0 for paths=('two_photon',))")
    emitted = band_recombination(params, band)
    reference = band_recombination(params, g1)
    return PowerDependence(
        power_density=power, detuning=value, pump_energy=params.band_gap - value, paths=chosen,
        one_photon_generation=g1, two_photon_generation=g2, band_generation=band,
        efficiency=eta, pl=emitted.pl, plqy=emitted.plqy, reference_pl=reference.pl,
        fit=fit_power_law(power, emitted.pl), params=params)


# ============================================================================================
# 5. The anti-Stokes spectrum
# ============================================================================================
@dataclass(frozen=True)
class AntiStokesSpectrum:
    """Result of :func:`anti_stokes_spectrum`.

    Attributes
    ----------
    energy : numpy.ndarray
        Photon energies [eV].
    intensity : numpy.ndarray
        Emitted photons per volume, time and energy [cm^-3 s^-1 eV^-1].
    absorption : numpy.ndarray
        Absorption coefficient at ``energy`` [cm^-1] (from which the lineshape follows).
    pump_energy : float
        Pump photon energy [eV].
    detuning : float
        Pump detuning below the gap [eV].
    power_density : float
        Pump power density [mW cm^-2].
    one_photon_generation, two_photon_generation, band_generation : float
        Pair generation by one- and two-photon absorption and into the band [cm^-3 s^-1].
    efficiency : float
        Upconversion efficiency eta (both one-photon paths) [-].
    pl : float
        Total emission rate B n p [cm^-3 s^-1] (the area of ``intensity`` over all energies).
    plqy : float
        Internal PLQY of the band carriers [-].
    reference_pl : float
        PL under above-gap excitation at the same absorbed pair generation [cm^-3 s^-1].
    mean_energy : float
        Mean emitted photon energy <E_f> [eV].
    anti_stokes_fraction : float
        Share of the emitted photons above the pump energy [-].
    params : UpconversionParameters
        The parameters used.
    """

    energy: np.ndarray
    intensity: np.ndarray
    absorption: np.ndarray
    pump_energy: float
    detuning: float
    power_density: float
    one_photon_generation: float
    two_photon_generation: float
    band_generation: float
    efficiency: float
    pl: float
    plqy: float
    reference_pl: float
    mean_energy: float
    anti_stokes_fraction: float
    params: UpconversionParameters = field(repr=False)

    @property
    def energy_gain(self) -> float:
        """Mean emitted minus pump photon energy, <E_f> - E_p [eV]: the anti-Stokes shift."""
        return self.mean_energy - self.pump_energy

    @property
    def quantum_yield(self) -> float:
        """Photons emitted (inside the sample) per absorbed one-photon pair, PL / G_1 [-]."""
        return self.pl / self.one_photon_generation


def _fraction_above(params: UpconversionParameters, pump_energy: float) -> float:
    """Share of the band-edge emission above pump_energy [-] (integrated on fine grids)."""
    gap, eu, t = params.band_gap, params.urbach_energy, params.temperature
    kt = BOLTZMANN_EV * t
    top = gap + 40.0 * kt
    total = 0.0
    pieces = ((pump_energy, gap), (gap, top)) if pump_energy < gap else ((pump_energy, top),)
    for low, high in pieces:
        if high > low:
            axis = np.linspace(low, high, 2001)
            total += np.trapezoid(spectra.band_edge_emission(axis, gap, eu, t), axis)
    return float(min(total, 1.0))


def anti_stokes_spectrum(params: UpconversionParameters, detuning: float,
                         power_density: float, energy=None, paths="all") -> AntiStokesSpectrum:
    r"""The PL spectrum of a sample pumped below its gap.

    Parameters
    ----------
    params : UpconversionParameters
        The sample (its temperature must exceed :math:`1.05\,E_U/k_B`, see
        :func:`lerbook.spectra.band_edge_emission`).
    detuning : float
        Pump detuning below the gap [eV].
    power_density : float
        Pump power density [mW cm^-2].
    energy : array_like or None
        Photon energies [eV]; None for 400 points from below the pump to 10 k_B T above the
        gap.
    paths : str or sequence of str
        Routes to the band (see :func:`power_dependence`).

    Returns
    -------
    AntiStokesSpectrum
        The spectrum [cm^-3 s^-1 eV^-1] and its headline numbers.

    Notes
    -----
    The band carriers thermalise with the lattice before they recombine, so whatever the pump
    energy the spectrum has the shape of the band-edge emission, given by the absorption
    through the van Roosbroeck-Shockley relation:

    .. math::

        I(E) = \mathrm{PL}\, g(E), \qquad
        g(E) \propto \frac{E^2 \alpha(E)}{e^{E/k_B T} - 1}, \qquad \int g\, dE = 1.

    Examples
    --------
    >>> spec = anti_stokes_spectrum(UpconversionParameters(), 0.1, 1e3)
    >>> print(f"<E_f> - E_p = {spec.energy_gain * 1e3:.0f} meV, "
    ...       f"{spec.anti_stokes_fraction:.3f} of the photons above the pump")
    <E_f> - E_p = 91 meV, 0.968 of the photons above the pump
    """
    value = float(_detuning(params, detuning))
    power = float(_power(power_density))
    chosen = _paths(paths)
    gap, eu, t = params.band_gap, params.urbach_energy, params.temperature
    kt = BOLTZMANN_EV * t
    pump = gap - value
    if energy is None:
        axis = np.linspace(gap - max(value + 0.06, 0.15), gap + 10.0 * kt, 400)
    else:
        axis = np.asarray(energy, dtype=float)
    shape = spectra.band_edge_emission(axis, gap, eu, t)
    g1 = one_photon_generation(params, value, power)
    g2 = two_photon_generation(params, value, power)
    eta = float(_efficiency(params, value, chosen)) if set(chosen) - {"two_photon"} else 0.0
    band = eta * g1 + (g2 if "two_photon" in chosen else 0.0)
    emitted = band_recombination(params, band)
    reference = band_recombination(params, g1)
    pl = float(emitted.pl)
    return AntiStokesSpectrum(
        energy=axis, intensity=pl * shape,
        absorption=spectra.urbach_absorption(axis, gap, eu, params.material.alpha_above_gap),
        pump_energy=pump, detuning=value, power_density=power, one_photon_generation=g1,
        two_photon_generation=g2, band_generation=band, efficiency=eta, pl=pl,
        plqy=float(emitted.plqy), reference_pl=float(reference.pl),
        mean_energy=spectra.mean_emission_energy(gap, eu, t),
        anti_stokes_fraction=_fraction_above(params, pump), params=params)


# ============================================================================================
# 6. Optical cooling
# ============================================================================================
@dataclass(frozen=True)
class CoolingBalance:
    """Result of :func:`cooling_balance`.

    Attributes
    ----------
    detuning : numpy.ndarray
        Pump detunings below the gap [eV] (negative: above the gap).
    pump_energy : numpy.ndarray
        Pump photon energies E_p [eV].
    absorption : numpy.ndarray
        Band-edge absorption at the pump energy [cm^-1].
    absorption_efficiency : numpy.ndarray
        Share of the absorbed pump taken by the band edge rather than by background
        (parasitic) absorption, eta_abs [-].
    upconversion_efficiency : numpy.ndarray
        Share of the band-edge pairs that reach the band, eta [-] (both one-photon paths of
        ``params``; 1 for a pump above the gap, which creates band pairs directly).
    mean_emission_energy : float
        Mean emitted photon energy <E_f> [eV] of the internal emission (the escaping photons'
        mean is somewhat lower: reabsorption red-shifts it).
    external_quantum_efficiency : float
        Photons escaping the sample per band pair, eta_ext [-].
    background_absorption : float
        Parasitic absorption coefficient alpha_b [cm^-1].
    cooling_efficiency : numpy.ndarray
        Net cooling power per absorbed pump power, eta_c [-]; > 0 cools, < 0 heats.
    breakeven_eqe : numpy.ndarray
        External quantum efficiency at which eta_c = 0, E_p / (eta eta_abs <E_f>) [-]
        (above 1: cooling impossible at that pump energy).
    params : UpconversionParameters
        The parameters used.
    """

    detuning: np.ndarray
    pump_energy: np.ndarray
    absorption: np.ndarray
    absorption_efficiency: np.ndarray
    upconversion_efficiency: np.ndarray
    mean_emission_energy: float
    external_quantum_efficiency: float
    background_absorption: float
    cooling_efficiency: np.ndarray
    breakeven_eqe: np.ndarray
    params: UpconversionParameters = field(repr=False)

    @property
    def cooling_window(self) -> tuple[float, float] | None:
        """(smallest, largest) detuning [eV] with net cooling, from linear interpolation of
        the sign changes on the detuning grid; None if nothing cools."""
        d, eta = self.detuning, self.cooling_efficiency
        cools = eta > 0
        if not np.any(cools):
            return None
        first, last = int(np.argmax(cools)), int(len(cools) - 1 - np.argmax(cools[::-1]))

        def crossing(i, j):
            return float(d[i] + (d[j] - d[i]) * (0.0 - eta[i]) / (eta[j] - eta[i]))

        low = crossing(first - 1, first) if first > 0 else float(d[first])
        high = crossing(last, last + 1) if last < len(d) - 1 else float(d[last])
        return low, high


def _cooling_terms(params, detuning, eqe, background):
    """Pump energy, absorption, eta_abs, upconversion efficiency eta, <E_f> and eta_c."""
    gap, eu, t = params.band_gap, params.urbach_energy, params.temperature
    detuning = np.asarray(detuning, dtype=float)
    pump = gap - detuning
    alpha = spectra.urbach_absorption(pump, gap, eu, params.material.alpha_above_gap)
    eta_abs = alpha / (alpha + background)
    # A pump above the gap makes band pairs directly; below it, a share 1 - eta of the tail
    # pairs is lost as heat before it reaches the band.
    eta = np.where(detuning < 0, 1.0, _efficiency(params, detuning, ("phonon", "reservoir")))
    mean = spectra.mean_emission_energy(gap, eu, t)
    return pump, alpha, eta_abs, eta, mean, eqe * eta * eta_abs * mean / pump - 1.0


def _cooling_inputs(eqe, background):
    eqe = _validate.in_range("external_quantum_efficiency", eqe, 0.0, 1.0)
    background = _validate.non_negative("background_absorption", background, "cm^-1")
    return eqe, background


def cooling_balance(params: UpconversionParameters, detuning, external_quantum_efficiency: float,
                    background_absorption: float = 0.0) -> CoolingBalance:
    r"""Net cooling (or heating) of a sample pumped at several energies near its gap.

    Parameters
    ----------
    params : UpconversionParameters
        The sample.
    detuning : array_like
        Pump detunings below the gap [eV], in [-0.5, E_g / 2) (negative: above the gap).
    external_quantum_efficiency : float
        Photons leaving the sample per pair created at the band edge, :math:`\eta_{ext}`
        [-], in [0, 1].
    background_absorption : float
        Parasitic absorption :math:`\alpha_b` [cm^-1], >= 0, whose energy all becomes heat.

    Returns
    -------
    CoolingBalance
        :math:`\eta_c` [-] at each pump energy, the break-even EQE and the cooling window.

    Notes
    -----
    Per absorbed pump photon the sample gains :math:`E_p`. A share :math:`\eta_{abs} =
    \alpha(E_p) / (\alpha(E_p) + \alpha_b)` makes a tail pair, of which a share
    :math:`\eta` (:func:`upconversion_rates`) reaches the band, the rest being lost as heat;
    a band pair leaves as an escaping photon with probability :math:`\eta_{ext}`. So
    (Sheik-Bahae and Epstein 2007, with the upconversion step added)

    .. math::

        \eta_c = \frac{P_{cool}}{P_{abs}}
               = \eta\,\eta_{ext}\,\eta_{abs}\,\frac{\langle E_f\rangle}{E_p} - 1 .

    It changes sign where :math:`E_p = \eta\,\eta_{ext}\,\eta_{abs}\,\langle E_f\rangle`
    (:func:`cooling_threshold`). The upconversion efficiency closes the window at large
    detuning even without background absorption, since :math:`\eta` falls as
    :math:`e^{-\Delta E/k_BT}` beyond :math:`\Delta E^*`; background absorption closes it
    where the band edge no longer absorbs. Here the upconversion step enters, and with it a
    reservoir (``n_ler``): it raises :math:`\eta` and widens the window. :math:`\langle
    E_f\rangle` is the mean of the *internal* emission; the escaping photons' mean is lower
    (reabsorption red-shifts it, photon recycling more so), which this balance ignores.

    Examples
    --------
    >>> balance = cooling_balance(UpconversionParameters(), np.linspace(0, 0.2, 201), 1.0)
    >>> low, high = balance.cooling_window
    >>> print(f"<E_f> = {balance.mean_emission_energy:.4f} eV, cools for detuning "
    ...       f"{low * 1e3:.0f}-{high * 1e3:.0f} meV")
    <E_f> = 1.5613 eV, cools for detuning 22-54 meV
    """
    values = _detuning(params, detuning, allow_above_gap=True)
    eqe, background = _cooling_inputs(external_quantum_efficiency, background_absorption)
    pump, alpha, eta_abs, eta, mean, eta_c = _cooling_terms(params, values, eqe, background)
    share = eta_abs * eta
    with np.errstate(divide="ignore"):
        breakeven = np.where(share > 0, pump / (np.maximum(share, 1e-300) * mean), np.inf)
    return CoolingBalance(
        detuning=values, pump_energy=pump, absorption=alpha, absorption_efficiency=eta_abs,
        upconversion_efficiency=eta, mean_emission_energy=mean, external_quantum_efficiency=eqe,
        background_absorption=background, cooling_efficiency=eta_c, breakeven_eqe=breakeven,
        params=params)


def cooling_threshold(params: UpconversionParameters, external_quantum_efficiency: float,
                      background_absorption: float = 0.0) -> tuple[float, float] | None:
    r"""The detunings where net cooling starts and stops, from the balance equation.

    Parameters
    ----------
    params : UpconversionParameters
        The sample.
    external_quantum_efficiency : float
        :math:`\eta_{ext}` [-], in [0, 1].
    background_absorption : float
        Parasitic absorption :math:`\alpha_b` [cm^-1], >= 0.

    Returns
    -------
    tuple of float or None
        (onset, end) detunings [eV] solving
        :math:`E_g - \Delta E = \eta(\Delta E)\,\eta_{ext}\,\eta_{abs}(\Delta E)\,
        \langle E_f\rangle` (Brent's method). The end is ``math.inf`` if the sample still
        cools at the largest detuning the model allows (:math:`E_g/2`), which needs a
        reservoir that keeps :math:`\eta` near 1 and no background absorption. None if no
        detuning cools.

    Examples
    --------
    With a perfect EQE and no background absorption the upconversion efficiency still closes
    the window; an EQE of 0.99 cools nowhere:

    >>> params = UpconversionParameters()
    >>> onset, end = cooling_threshold(params, 1.0)
    >>> print(f"{onset * 1e3:.1f}-{end * 1e3:.1f} meV; EQE 0.99: {cooling_threshold(params, 0.99)}")
    21.8-53.6 meV; EQE 0.99: None
    """
    from scipy.optimize import brentq, minimize_scalar

    eqe, background = _cooling_inputs(external_quantum_efficiency, background_absorption)
    top = 0.5 * params.band_gap * (1.0 - 1e-9)

    def eta_c(d):
        return float(_cooling_terms(params, d, eqe, background)[5])

    # eta_c rises from the gap, peaks, then falls as eta and the tail absorption fall: locate
    # the peak on a grid first, then refine it.
    grid = np.linspace(0.0, top, 2001)
    values = _cooling_terms(params, grid, eqe, background)[5]
    i = int(np.argmax(values))
    low, high = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    best = minimize_scalar(lambda d: -eta_c(d), bounds=(low, high), method="bounded",
                           options={"xatol": 1e-12})
    peak, peak_value = (float(best.x), -best.fun) if -best.fun >= values[i] \
        else (float(grid[i]), float(values[i]))
    if peak_value <= 0:
        return None
    onset = brentq(eta_c, -0.5, peak, xtol=1e-12) if eta_c(-0.5) < 0 else -0.5
    end = brentq(eta_c, peak, top, xtol=1e-12) if eta_c(top) < 0 else math.inf
    return float(onset), float(end)


# ============================================================================================
# 7. The reservoir's history
# ============================================================================================
def heat_power_density(params: UpconversionParameters, detuning: float,
                       power_density) -> np.ndarray:
    r"""Heat the pump releases into the lattice by non-radiative processes [W cm^-3].

    Parameters
    ----------
    params : UpconversionParameters
        The sample.
    detuning : float
        Pump detuning below the gap [eV].
    power_density : float or array_like
        Pump power density [mW cm^-2].

    Returns
    -------
    numpy.ndarray
        Gross phonon power density p [W cm^-3]: what feeds the reservoir density in
        :class:`lerbook.reservoir.ReservoirKinetics`.

    Notes
    -----
    .. math::

        p = e\left[(1 - \eta) G_1 E_p + (1 - \mathrm{PLQY})\, G_{band} E_g
            + G_2 (2 E_p - E_g)\right]:

    lost subgap pairs, band pairs that recombine without light, and the excess energy of
    two-photon pairs. It is a *gross* input: the phonons absorbed by upconversion, which cool
    the lattice, are not subtracted (they are the cooling of :func:`cooling_balance`).

    Examples
    --------
    >>> print(f"{heat_power_density(UpconversionParameters(), 0.1, 1e4):.0f} W cm^-3")
    473 W cm^-3
    """
    value = float(_detuning(params, detuning))
    power = _power(power_density)
    g1 = one_photon_generation(params, value, power)
    g2 = two_photon_generation(params, value, power)
    eta = float(_efficiency(params, value))
    band = eta * g1 + g2
    plqy = band_recombination(params, band).plqy
    pump, gap = params.band_gap - value, params.band_gap
    out = ELEMENTARY_CHARGE * ((1.0 - eta) * g1 * pump + (1.0 - plqy) * band * gap
                               + g2 * (2.0 * pump - gap))
    return out if np.ndim(out) else float(out)


@dataclass(frozen=True)
class ReservoirHistory:
    """Result of :func:`reservoir_history`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s].
    power_density : numpy.ndarray
        Heat deposited in the lattice, the reservoir's drive [W cm^-3].
    n_ler : numpy.ndarray
        Reservoir density [cm^-3].
    detuning : float
        Detuning of the (weak) subgap probe [eV].
    efficiency : numpy.ndarray
        Upconversion efficiency of the probe, both paths [-].
    phonon_efficiency : float
        The same, phonon path alone [-]: constant at a fixed lattice temperature.
    params : UpconversionParameters
        The parameters used (their n_ler is replaced by n_ler(t)).
    """

    t: np.ndarray
    power_density: np.ndarray
    n_ler: np.ndarray
    detuning: float
    efficiency: np.ndarray
    phonon_efficiency: float
    params: UpconversionParameters = field(repr=False)


def reservoir_history(params: UpconversionParameters, kinetics: reservoir.ReservoirKinetics,
                      drive: reservoir.PiecewiseDrive, t, detuning: float,
                      initial_density: float = 0.0) -> ReservoirHistory:
    r"""Upconversion efficiency of a weak subgap probe while the reservoir density evolves.

    Parameters
    ----------
    params : UpconversionParameters
        The sample (``n_ler`` is ignored: the kinetics set it).
    kinetics : lerbook.reservoir.ReservoirKinetics
        Formation and dark decay of the reservoirs.
    drive : lerbook.reservoir.PiecewiseDrive
        Heat deposited in the lattice [W cm^-3] (e.g. by an above-gap pre-illumination, see
        :func:`lerbook.reservoir.injected_power_density`); dark after its end.
    t : array_like
        Times [s], >= 0.
    detuning : float
        Probe detuning below the gap [eV]; the probe is assumed too weak to feed the
        reservoir.
    initial_density : float
        n_LER(0) [cm^-3].

    Returns
    -------
    ReservoirHistory
        n_LER(t) [cm^-3] from :func:`lerbook.reservoir.reservoir_density` and the probe's
        efficiency [-].

    Notes
    -----
    The reservoir density obeys
    :math:`dn_{LER}/dt = \kappa p (1 - n_{LER}/n_{max}) - n_{LER}/\tau_{LER}` and the probe's
    efficiency follows it instantly, :math:`\eta(t) = \eta(n_{LER}(t))`. The phonon path
    depends only on the lattice temperature, which relaxes in micro- to milliseconds: it has
    no memory on the time scale of :math:`\tau_{LER}`.

    Examples
    --------
    Five minutes of heating at 100 W cm^-3, then the dark:

    >>> drive = reservoir.PiecewiseDrive.on_off(100.0, 300.0, 600.0)
    >>> run = reservoir_history(UpconversionParameters(), reservoir.ReservoirKinetics(),
    ...                         drive, [0.0, 300.0, 900.0], 0.22)
    >>> print(", ".join(f"{e:.3f}" for e in run.efficiency))
    0.046, 0.093, 0.047
    """
    if not isinstance(kinetics, reservoir.ReservoirKinetics):
        raise ValueError(f"kinetics must be a ReservoirKinetics, got {type(kinetics).__name__}")
    value = float(_detuning(params, detuning))
    run = reservoir.reservoir_density(kinetics, drive, t, initial_density)
    eta = _efficiency(params, value, PATHS, n_ler=run.density)
    return ReservoirHistory(t=run.t, power_density=run.power_density, n_ler=run.density,
                            detuning=value, efficiency=eta,
                            phonon_efficiency=float(_efficiency(params, value, ("phonon",))),
                            params=params)


@dataclass(frozen=True)
class ChoppingResponse:
    """Result of :func:`chopping_response`.

    Attributes
    ----------
    period : numpy.ndarray
        Chopping periods of the heating beam [s].
    duty_cycle : float
        Fraction of each period with the heating beam on [-].
    heat_power_density : float
        Heat deposited while the beam is on [W cm^-3].
    detuning : float
        Detuning of the subgap excitation whose efficiency is reported [eV].
    phase : str
        ``"on"`` or ``"off"``: the half of each period over which the efficiency is averaged.
    efficiency : numpy.ndarray
        Upconversion efficiency averaged over that phase, in the periodic steady state [-].
    fast_limit : float
        The same for chopping much faster than the reservoir lifetime: the reservoir holds
        n_ss(D p), the steady state of the average heat [-].
    slow_limit : float
        The same for chopping much slower: n_ss(p) during the on-phase, 0 during the
        off-phase [-].
    phonon_efficiency : float
        Efficiency of the phonon path alone, the same for every period [-].
    params : UpconversionParameters
        The parameters used.
    """

    period: np.ndarray
    duty_cycle: float
    heat_power_density: float
    detuning: float
    phase: str
    efficiency: np.ndarray
    fast_limit: float
    slow_limit: float
    phonon_efficiency: float
    params: UpconversionParameters = field(repr=False)


def chopping_response(params: UpconversionParameters, kinetics: reservoir.ReservoirKinetics,
                      detuning: float, heat_power_density: float, periods,
                      duty_cycle: float = 0.5, phase: str = "on",
                      points: int = 101) -> ChoppingResponse:
    r"""Upconversion efficiency under a chopped heating beam, against the chopping period.

    Parameters
    ----------
    params : UpconversionParameters
        The sample (``n_ler`` is ignored: the kinetics set it).
    kinetics : lerbook.reservoir.ReservoirKinetics
        Formation and dark decay of the reservoirs.
    detuning : float
        Detuning of the subgap excitation whose efficiency is reported [eV]: the chopped pump
        itself (``phase="on"``) or a weak CW probe read while the heating beam is off
        (``phase="off"``, a gated measurement).
    heat_power_density : float
        Heat the chopped beam deposits while on [W cm^-3], > 0 (see
        :func:`heat_power_density` and :func:`lerbook.reservoir.injected_power_density`).
    periods : array_like
        Chopping periods [s], > 0.
    duty_cycle : float
        Fraction of the period with the beam on [-], in (0, 1).
    phase : {"on", "off"}
        Average the efficiency over the on-phases or the off-phases.
    points : int
        Samples per phase for the average (>= 3).

    Returns
    -------
    ChoppingResponse
        Phase-averaged efficiency [-] for each period, and its two limits.

    Notes
    -----
    In the periodic steady state the reservoir density at the start of an on-phase is the
    fixed point of one period of the linear kinetics,

    .. math::

        n_0 = n_{on}\,\frac{(1 - e^{-r_{on} t_{on}})\, e^{-t_{off}/\tau_{LER}}}
                          {1 - e^{-r_{on} t_{on} - t_{off}/\tau_{LER}}},

    with :math:`n_{on} = n_{ss}(p)` and :math:`r_{on} = \kappa p / n_{max} + 1/\tau_{LER}`;
    each phase is then followed with :func:`lerbook.reservoir.reservoir_density`. Chopped
    fast, the reservoir sees the average heat :math:`D p`; chopped slower than
    :math:`\tau_{LER}`, it follows the beam. Carrier kinetics (ns-us) and the lattice
    temperature (us-ms) follow the beam at any period a mechanical chopper makes, so the
    phonon path gives the same efficiency at every period.

    Examples
    --------
    >>> run = chopping_response(UpconversionParameters(), reservoir.ReservoirKinetics(), 0.22,
    ...                         100.0, [1.0, 1e4])
    >>> print(f"{run.efficiency[0]:.3f} (1 s) -> {run.efficiency[1]:.3f} (3 h); "
    ...       f"phonon path {run.phonon_efficiency:.3f}")
    0.079 (1 s) -> 0.093 (3 h); phonon path 0.046
    """
    if not isinstance(kinetics, reservoir.ReservoirKinetics):
        raise ValueError(f"kinetics must be a ReservoirKinetics, got {type(kinetics).__name__}")
    value = float(_detuning(params, detuning))
    p = _validate.positive("heat_power_density", heat_power_density, "W cm^-3")
    duty = _validate.in_range("duty_cycle", duty_cycle, 0.0, 1.0, include_low=False,
                              include_high=False)
    if phase not in ("on", "off"):
        raise ValueError(f"phase must be 'on' or 'off', got {phase!r}")
    points = _validate.integer("points", points, 3)
    period = np.asarray(periods, dtype=float)
    if period.ndim != 1 or period.size == 0 or not np.all(np.isfinite(period)) \
            or np.any(period <= 0):
        raise ValueError(f"periods must be a 1-D array of finite values > 0 s, got {periods!r}")
    rate_on = float(kinetics.rise_rate(p))
    n_on = float(kinetics.steady_state(p))
    efficiency = np.empty(period.size)
    for i, length in enumerate(period):
        t_on, t_off = duty * length, (1.0 - duty) * length
        decay_on, decay_off = math.exp(-rate_on * t_on), math.exp(-t_off / kinetics.lifetime)
        start = min(n_on * (1.0 - decay_on) * decay_off / (1.0 - decay_on * decay_off),
                    kinetics.max_density)
        if phase == "on":
            duration, level = t_on, p
        else:
            duration, level = t_off, 0.0
            start = min(n_on + (start - n_on) * decay_on, kinetics.max_density)
        times = np.linspace(0.0, duration, points)
        run = reservoir.reservoir_density(
            kinetics, reservoir.PiecewiseDrive.constant(level, duration), times, start)
        eta = _efficiency(params, value, PATHS, n_ler=run.density)
        efficiency[i] = np.trapezoid(eta, times) / duration
    fast = float(_efficiency(params, value, PATHS, n_ler=float(kinetics.steady_state(duty * p))))
    slow = float(_efficiency(params, value, PATHS, n_ler=n_on if phase == "on" else 0.0))
    return ChoppingResponse(
        period=period, duty_cycle=duty, heat_power_density=p, detuning=value, phase=phase,
        efficiency=efficiency, fast_limit=fast, slow_limit=slow,
        phonon_efficiency=float(_efficiency(params, value, ("phonon",))), params=params)
