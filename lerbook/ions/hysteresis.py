"""Current-voltage hysteresis (model 3 of :mod:`lerbook.ions`): a one-state model of the ionic
charge screening the built-in field, relaxing with the Debye-layer time constant of the
drift-diffusion theory (Richardson et al. 2016) and the IonMonger defaults (Courtier et al.
2019); and the mobile species of MAPbI3 with their migration barriers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from lerbook import _validate
from lerbook.units import BOLTZMANN_EV, CM3_PER_M3, ELEMENTARY_CHARGE, VACUUM_PERMITTIVITY

__all__ = ["MOBILE_SPECIES", "HysteresisParameters", "JVSweep", "jv_sweep", "hysteresis_index",
           "hysteresis_vs_scan_rate"]

#: Mobile species in MAPbI3: (activation energy of migration [eV], citation key in
#: ``book/references.bib``, note). Calculated vacancy-hopping barriers of Eames et al.; the
#: review of Yuan and Huang collects measured values (0.1-0.6 eV for iodide migration).
MOBILE_SPECIES = MappingProxyType({
    "iodide vacancy V_I+": (0.58, "eames2015ionic", "fast: seconds to minutes at 300 K"),
    "methylammonium vacancy V_MA-": (0.84, "eames2015ionic", "slow: hours to days"),
    "lead vacancy V_Pb2-": (2.31, "eames2015ionic", "immobile at room temperature"),
    "iodide migration (measured)": (0.33, "yuan2016ionmigration",
                                   "representative of the 0.1-0.6 eV measured range"),
})



@dataclass(frozen=True)
class HysteresisParameters:
    r"""One-state model of ion-driven J-V hysteresis of a planar MAPbI3 cell.

    Ionic parameters are the IonMonger defaults (Courtier et al. 2019, see the module); the
    electronic ones are illustrative.

    Parameters
    ----------
    vacancy_density : float
        Mean iodide-vacancy density N_0 [cm^-3]. Default 1.6e19.
    activation_energy : float
        Activation energy of vacancy migration E_a [eV], in [0.05, 2]. Default 0.58.
    diffusion_coefficient : float
        Vacancy diffusion coefficient at 298 K, D_298 [cm^2 s^-1]. Default 1.0e-13
        (IonMonger's vacancy mobility 3.93e-16 m^2 V^-1 s^-1 times kT/q).
    thickness : float
        Perovskite layer thickness b [nm]. Default 400.
    permittivity : float
        Relative permittivity of the perovskite [-]. Default 24.1.
    temperature : float
        Temperature [K], in [150, 450]. Default 298.
    built_in_voltage : float
        V_bi [V]. Default 1.1.
    screening : float
        Fraction s of V_bi - V that the ions screen at equilibrium [-], in [0, 1). Default 0.8.
    photocurrent : float
        Generated current density J_ph [mA cm^-2]. Default 22.
    field_scale : float
        Bulk voltage V_c over which extraction switches on [V]. Default 0.05.
    saturation_current : float
        Diode saturation current density J_0 [mA cm^-2]. Default 1e-11 (V_oc about 1.07 V,
        just below V_bi).
    ideality : float
        Diode ideality factor [-]. Default 1.5.
    """

    vacancy_density: float = 1.6e19
    activation_energy: float = 0.58
    diffusion_coefficient: float = 1.0e-13
    thickness: float = 400.0
    permittivity: float = 24.1
    temperature: float = 298.0
    built_in_voltage: float = 1.1
    screening: float = 0.8
    photocurrent: float = 22.0
    field_scale: float = 0.05
    saturation_current: float = 1e-11
    ideality: float = 1.5

    def __post_init__(self):
        for name, unit in (("vacancy_density", "cm^-3"), ("diffusion_coefficient", "cm^2 s^-1"),
                           ("thickness", "nm"), ("permittivity", ""), ("built_in_voltage", "V"),
                           ("photocurrent", "mA cm^-2"), ("field_scale", "V"),
                           ("saturation_current", "mA cm^-2"), ("ideality", "")):
            object.__setattr__(self, name, _validate.positive(name, getattr(self, name), unit))
        object.__setattr__(self, "activation_energy", _validate.in_range(
            "activation_energy", self.activation_energy, 0.05, 2.0, unit="eV"))
        object.__setattr__(self, "temperature", _validate.in_range(
            "temperature", self.temperature, 150.0, 450.0, unit="K"))
        object.__setattr__(self, "screening", _validate.in_range(
            "screening", self.screening, 0.0, 1.0, include_high=False))

    @property
    def diffusion_at_temperature(self) -> float:
        """D(T) = D_298 exp(-E_a/k (1/T - 1/298)) [cm^2 s^-1]."""
        return self.diffusion_coefficient * math.exp(
            -self.activation_energy / BOLTZMANN_EV * (1.0 / self.temperature - 1.0 / 298.0))

    @property
    def debye_length(self) -> float:
        """Debye length of the vacancies, sqrt(eps kT / (q^2 N_0)) [nm]."""
        thermal_voltage = BOLTZMANN_EV * self.temperature
        n0 = self.vacancy_density * CM3_PER_M3  # m^-3
        return 1e9 * math.sqrt(self.permittivity * VACUUM_PERMITTIVITY * thermal_voltage
                               / (ELEMENTARY_CHARGE * n0))

    @property
    def ionic_time(self) -> float:
        """Debye-layer charging time tau_ion = L_D b / D(T) [s]."""
        return self.debye_length * self.thickness * 1e-14 / self.diffusion_at_temperature

    @property
    def bulk_diffusion_time(self) -> float:
        """Time for vacancies to cross the layer, b^2 / D(T) [s] (the slow upper bound)."""
        return (self.thickness * 1e-7) ** 2 / self.diffusion_at_temperature

    def ionic_equilibrium(self, voltage):
        """Ionic screening voltage at equilibrium, x_eq = s (V_bi - V) [V].

        Parameters
        ----------
        voltage : float or array_like
            Applied voltage V [V].

        Returns
        -------
        float or numpy.ndarray
            x_eq [V].
        """
        return self.screening * (self.built_in_voltage - np.asarray(voltage, dtype=float))

    def current(self, voltage, ionic):
        """Current density J(V, x) [mA cm^-2] at applied voltage [V] and ionic state x [V].

        Parameters
        ----------
        voltage : float or array_like
            Applied voltage V [V].
        ionic : float or array_like
            Ionic screening voltage x [V], broadcast against ``voltage``.

        Returns
        -------
        float or numpy.ndarray
            J [mA cm^-2].
        """
        voltage = np.asarray(voltage, dtype=float)
        bulk = self.built_in_voltage - voltage - np.asarray(ionic, dtype=float)
        extraction = 0.5 * (1.0 + np.tanh(bulk / (2.0 * self.field_scale)))
        thermal_voltage = BOLTZMANN_EV * self.temperature
        diode = self.saturation_current * np.expm1(voltage / (self.ideality * thermal_voltage))
        return self.photocurrent * extraction - diode


@dataclass(frozen=True)
class JVSweep:
    """Result of :func:`jv_sweep`: a reverse scan followed by a forward scan.

    Attributes
    ----------
    voltage_reverse, current_reverse : numpy.ndarray
        Reverse scan (V_max to 0) [V], [mA cm^-2].
    voltage_forward, current_forward : numpy.ndarray
        Forward scan (0 to V_max) [V], [mA cm^-2].
    ionic_reverse, ionic_forward : numpy.ndarray
        Ionic screening voltage x during each scan [V].
    scan_rate : float
        [V s^-1].
    steady_voltage, steady_current : numpy.ndarray
        The steady-state J-V curve [V], [mA cm^-2].
    params : HysteresisParameters
    """

    voltage_reverse: np.ndarray
    current_reverse: np.ndarray
    voltage_forward: np.ndarray
    current_forward: np.ndarray
    ionic_reverse: np.ndarray
    ionic_forward: np.ndarray
    scan_rate: float
    steady_voltage: np.ndarray
    steady_current: np.ndarray
    params: HysteresisParameters = field(repr=False)

    @property
    def power_reverse(self) -> float:
        """Maximum power density of the reverse scan [mW cm^-2]."""
        return float(np.max(self.voltage_reverse * self.current_reverse))

    @property
    def power_forward(self) -> float:
        """Maximum power density of the forward scan [mW cm^-2]."""
        return float(np.max(self.voltage_forward * self.current_forward))

    @property
    def hysteresis_index(self) -> float:
        """(P_rev - P_fwd) / P_rev [-]."""
        return hysteresis_index(self)


def _relax_along_ramp(params, v0, rate, x0, t):
    """Exact x(t) for dx/dt = (x_eq(v0 + rate t) - x)/tau with linear x_eq."""
    tau = params.ionic_time
    a = params.ionic_equilibrium(v0)
    b = params.screening * rate  # x_eq = a - b t
    return a - b * t + b * tau + (x0 - a - b * tau) * np.exp(-t / tau)


def jv_sweep(scan_rate: float, params: HysteresisParameters | None = None,
             v_max: float = 1.2, points: int = 241) -> JVSweep:
    r"""Reverse then forward J-V scan after preconditioning at ``v_max``.

    Parameters
    ----------
    scan_rate : float
        [V s^-1], > 0.
    params : HysteresisParameters, optional
    v_max : float
        Start of the reverse scan and end of the forward scan [V]; the cell is held there
        until the ions equilibrate. Default 1.2.
    points : int
        Voltages per scan.

    Returns
    -------
    JVSweep

    Notes
    -----
    The ionic charge is summarised by the voltage x it drops in the Debye layers; the bulk
    keeps :math:`V_{bi} - V - x` and extracts carriers with an efficiency that switches on
    over :math:`V_c`:

    .. math::

        J &= J_{ph}\, \tfrac12\left[1 + \tanh\frac{V_{bi} - V - x}{2 V_c}\right]
             - J_0 \left(e^{V/n k T} - 1\right), \\
        \frac{dx}{dt} &= \frac{s (V_{bi} - V) - x}{\tau_{ion}}, \qquad
        \tau_{ion} = \frac{L_D\, b}{D(T)}, \quad L_D = \sqrt{\frac{\varepsilon k T}{q^2 N_0}},
        \quad D(T) = D_{298}\, e^{-\frac{E_a}{k}\left(\frac1T - \frac1{298}\right)},

    solved exactly along each linear voltage ramp. The time scale is that of the Debye-layer
    charging in the asymptotic analysis of Richardson et al. (2016, see the module).

    Examples
    --------
    >>> sweep = jv_sweep(0.05)
    >>> print(f"tau_ion = {sweep.params.ionic_time:.0f} s, HI = {sweep.hysteresis_index:.2f}")
    tau_ion = 58 s, HI = 0.22
    """
    params = HysteresisParameters() if params is None else params
    scan_rate = _validate.positive("scan_rate", scan_rate, "V s^-1")
    v_max = _validate.positive("v_max", v_max, "V")
    voltage = np.linspace(v_max, 0.0, int(points))
    t = (v_max - voltage) / scan_rate
    x_rev = _relax_along_ramp(params, v_max, -scan_rate, params.ionic_equilibrium(v_max), t)
    v_fwd = voltage[::-1]
    x_fwd = _relax_along_ramp(params, 0.0, scan_rate, x_rev[-1], t)
    steady = np.linspace(0.0, v_max, int(points))
    return JVSweep(voltage, params.current(voltage, x_rev), v_fwd,
                   params.current(v_fwd, x_fwd), x_rev, x_fwd, scan_rate, steady,
                   params.current(steady, params.ionic_equilibrium(steady)), params)


def hysteresis_index(sweep: JVSweep) -> float:
    """Hysteresis index (P_rev - P_fwd) / P_rev of a sweep [-].

    The efficiency-based definition (maximum power of the reverse and forward scans); other
    definitions (from the currents at 0.8 V_oc, or from the areas under the curves) are in use
    and give different numbers. The model gives only normal hysteresis (index >= 0).

    Parameters
    ----------
    sweep : JVSweep
        A reverse-then-forward scan (:func:`jv_sweep`).

    Returns
    -------
    float
        The hysteresis index [dimensionless].
    """
    return (sweep.power_reverse - sweep.power_forward) / sweep.power_reverse


def hysteresis_vs_scan_rate(scan_rates, params: HysteresisParameters | None = None,
                            v_max: float = 1.2) -> np.ndarray:
    """Hysteresis index [-] at each scan rate [V s^-1].

    Parameters
    ----------
    scan_rates : float or array_like
        Scan rates [V s^-1], > 0.
    params : HysteresisParameters, optional
        The cell; default :class:`HysteresisParameters` ().
    v_max : float
        Start of the reverse scan [V]. Default 1.2.

    Returns
    -------
    numpy.ndarray
        Hysteresis index at each scan rate [dimensionless].

    Examples
    --------
    >>> index = hysteresis_vs_scan_rate([1e-5, 1e-2, 1e2])
    >>> print(np.round(index, 2))
    [0.01 0.6  0.  ]
    """
    return np.array([jv_sweep(r, params, v_max, points=121).hysteresis_index
                     for r in np.atleast_1d(scan_rates)])
