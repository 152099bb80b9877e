r"""Recombination of photo-excited carriers: ABC kinetics, traps, the reservoir term, pulse trains.

Chapter 2 of the book builds up, one process at a time, the models a time-resolved
photoluminescence (TRPL) experiment on a halide perovskite film is read with:

1. **ABC kinetics** (:class:`ABCParameters`, :func:`abc_decay`): monomolecular (trap-assisted)
   A, bimolecular (radiative) B and Auger C recombination of one excess density, with the closed
   forms where they exist and a stiff solver otherwise; the photoluminescence quantum yield
   :func:`plqy` and its maximum :func:`plqy_peak`; the lifetimes a reader meets in papers
   (:func:`effective_lifetime`, :func:`differential_lifetime`, :func:`pl_decay_time`).
2. **The Langevin bound** (:func:`langevin_rate`, :func:`langevin_ratio`): the rate constant of
   diffusion-limited electron-hole capture, which the measured B undercuts by orders of magnitude.
3. **A trap model** (:class:`TrapParameters`, :func:`trap_decay`, :func:`trap_steady_state`):
   free electrons, free holes and electrons in traps, with capture, thermal emission, trapped
   electron-hole recombination, radiative and Auger recombination, optional n-type doping, and
   the lattice-energy-reservoir (LER) term :math:`K\sigma' n_{LER} n_t` that returns trapped
   (sub-gap) electrons to the band.
4. **Pulse trains** (:func:`periodic_steady_state`, :func:`pulse_train`): carriers left over
   from earlier pulses, with the periodic steady state found directly as the fixed point of the
   pulse-to-pulse map.

TCSPC-like data made from these models (a Gaussian instrument response, Poisson counting noise,
a background) and their fits live beside the fits, in :mod:`lerbook.fitting`
(:func:`~lerbook.fitting.synthetic_trpl`, :class:`lerbook.fitting.TRPLData`).

Every rate function has the signature ``(t, y, params)`` (plus an optional constant generation
rate) and an analytic Jacobian next to it, so models can be combined and solved with the stiff
integrators of :func:`scipy.integrate.solve_ivp`.

Units: densities in cm^-3, A in s^-1, B in cm^3 s^-1, C in cm^6 s^-1, times in s, energies in
eV, temperatures in K. Photoluminescence is the radiative recombination rate B n p in
cm^-3 s^-1 (photons emitted per volume per time, before outcoupling).

Where the parameters come from
------------------------------
:data:`SOURCES` lists the BibTeX key (``book/references.bib``) behind each
literature-based default. The trap-model defaults follow the trap-filling model of
Stranks et al. [rec-Stranks2014]_ (trap density 2.5e16 cm^-3 and capture/recombination
coefficients of the size they report); the trap depth, and both LER parameters
(:math:`K\sigma'` and :math:`n_{LER}`), are **illustrative**: the LER perspective
[rec-Wen2024]_ names the term but gives no values.

Background: the ABC picture and its coefficients [rec-Herz2016]_ [rec-Johnston2016]_; the
Langevin bound [rec-Langevin1903]_ [rec-Wehrenfennig2014]_; trap statistics [rec-Shockley1952]_;
what PL measurements can and cannot tell [rec-Kirchartz2020]_ [rec-Kiligaridis2021]_; effective
masses [rec-Miyata2015]_ and the band density of states [rec-Sze2007]_; stiff solvers
[rec-Hairer1996]_ [rec-Petzold1983]_.

.. rubric:: References

.. [rec-Herz2016] L. M. Herz, "Charge-carrier dynamics in organic-inorganic metal halide
   perovskites", Annu. Rev. Phys. Chem. 67, 65-89 (2016).
   doi:10.1146/annurev-physchem-040215-112222
.. [rec-Johnston2016] M. B. Johnston and L. M. Herz, "Hybrid perovskites for photovoltaics:
   charge-carrier recombination, diffusion, and radiative efficiencies", Acc. Chem. Res. 49,
   146-154 (2016). doi:10.1021/acs.accounts.5b00411
.. [rec-Wehrenfennig2014] C. Wehrenfennig, G. E. Eperon, M. B. Johnston, H. J. Snaith and
   L. M. Herz, "High charge carrier mobilities and lifetimes in organolead trihalide
   perovskites", Adv. Mater. 26, 1584-1589 (2014). doi:10.1002/adma.201305172
.. [rec-Langevin1903] P. Langevin, "Recombinaison et mobilites des ions dans les gaz",
   Ann. Chim. Phys. 28, 433-530 (1903).
.. [rec-Stranks2014] S. D. Stranks, V. M. Burlakov, T. Leijtens, J. M. Ball, A. Goriely and
   H. J. Snaith, "Recombination kinetics in organic-inorganic perovskites: excitons, free
   charge, and subgap states", Phys. Rev. Applied 2, 034007 (2014).
   doi:10.1103/PhysRevApplied.2.034007
.. [rec-Shockley1952] W. Shockley and W. T. Read, "Statistics of the recombinations of holes
   and electrons", Phys. Rev. 87, 835-842 (1952). doi:10.1103/PhysRev.87.835
.. [rec-Kirchartz2020] T. Kirchartz, J. A. Marquez, M. Stolterfoht and T. Unold,
   "Photoluminescence-based characterization of halide perovskites for photovoltaics",
   Adv. Energy Mater. 10, 1904134 (2020). doi:10.1002/aenm.201904134
.. [rec-Wen2024] X. Wen and B. Jia, "Lattice energy reservoir in metal halide perovskites",
   arXiv:2406.18818 (2024). doi:10.48550/arXiv.2406.18818
.. [rec-Kiligaridis2021] A. Kiligaridis et al., "Are Shockley-Read-Hall and ABC models valid
   for lead halide perovskites?", Nat. Commun. 12, 3329 (2021).
   doi:10.1038/s41467-021-23275-w
.. [rec-Hairer1996] E. Hairer and G. Wanner, *Solving Ordinary Differential Equations II:
   Stiff and Differential-Algebraic Problems*, 2nd ed. (Springer, 1996).
.. [rec-Miyata2015] A. Miyata et al., "Direct measurement of the exciton binding energy and
   effective masses for charge carriers in organic-inorganic tri-halide perovskites",
   Nat. Phys. 11, 582-587 (2015). doi:10.1038/nphys3357
.. [rec-Petzold1983] L. Petzold, "Automatic selection of methods for solving stiff and
   nonstiff systems of ordinary differential equations", SIAM J. Sci. Stat. Comput. 4,
   136-148 (1983).
.. [rec-Sze2007] S. M. Sze and K. K. Ng, *Physics of Semiconductor Devices*, 3rd ed.
   (Wiley, 2007).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from lerbook import _validate
from lerbook.materials import MATERIALS, Material, get_material
from lerbook.units import (
    BOLTZMANN_EV,
    BOLTZMANN_J,
    CM3_PER_M3,
    ELECTRON_MASS,
    ELEMENTARY_CHARGE,
    HBAR_EV_S,
    M2_PER_CM2,
    VACUUM_PERMITTIVITY,
)

__all__ = [
    "SOURCES",
    "ABCParameters",
    "DecayResult",
    "abc_rate",
    "abc_jacobian",
    "abc_decay",
    "plqy",
    "plqy_peak",
    "effective_lifetime",
    "differential_lifetime",
    "pl_decay_time",
    "low_injection_pl_decay_time",
    "decay_time_from_trace",
    "one_over_e_time",
    "LangevinComparison",
    "langevin_rate",
    "langevin_ratio",
    "langevin_table",
    "effective_density_of_states",
    "TrapParameters",
    "TrapResult",
    "TrapSteadyState",
    "trap_rate",
    "trap_jacobian",
    "trap_equilibrium",
    "trap_decay",
    "trap_steady_state",
    "TRAP_TIMES",
    "trap_decay_times",
    "reservoir_releases",
    "PulseTrainResult",
    "periodic_steady_state",
    "pulse_train",
]

#: BibTeX keys (``book/references.bib``) behind each literature-based default.
#: Defaults not listed (``TrapParameters.trap_depth``, ``k_sigma``, ``n_ler``, ``doping``) are
#: illustrative.
SOURCES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "ABCParameters.A": ("johnston2016recombination",),
    "ABCParameters.B": ("johnston2016recombination",),
    "ABCParameters.C": ("johnston2016recombination",),
    "TrapParameters.trap_density": ("stranks2014recombination",),
    "TrapParameters.gamma_n": ("stranks2014recombination",),
    "TrapParameters.gamma_p": ("stranks2014recombination",),
    "TrapParameters.B": ("johnston2016recombination",),
    "TrapParameters.C": ("johnston2016recombination",),
    "TrapParameters.mass_electron": ("miyata2015direct",),
    "langevin_rate": ("langevin1903recombinaison", "wehrenfennig2014mobilities"),
    "effective_density_of_states": ("sze2007physics",),
})

_SOLVERS = ("Radau", "BDF", "LSODA")
_ABC_METHODS = ("auto", "closed", "solver")


def _check_solution(sol, what: str):
    if not sol.success:  # pragma: no cover - the solvers succeed for every validated input
        raise RuntimeError(f"{what}: the ODE solver failed ({sol.message})")
    return sol


# ============================================================================================
# 1. ABC kinetics
# ============================================================================================
@dataclass(frozen=True)
class ABCParameters:
    r"""Recombination coefficients of the ABC model, with optional n-type doping.

    Parameters
    ----------
    A : float
        Monomolecular (trap-assisted, Shockley-Read-Hall in the low-injection limit)
        recombination rate [s^-1], >= 0. Default 5e6, MAPbI3 films Johnston (2016).
    B : float
        Bimolecular (radiative band-to-band) coefficient [cm^3 s^-1], >= 0. Default 9e-11
        Johnston (2016).
    C : float
        Auger coefficient [cm^6 s^-1], >= 0. Default 1e-28 Johnston (2016).
    doping : float
        Density N_D of ionised donors [cm^-3], >= 0: the dark electron density. Default 0
        (intrinsic).

    Notes
    -----
    With excess density :math:`\Delta n` (electrons :math:`n = \Delta n + N_D`, holes
    :math:`p = \Delta n`) the recombination rate is

    .. math::

        R = A \Delta n + B n p + \frac{C}{2} n p (n + p)
          = \Delta n \left(a_0 + a_1 \Delta n + a_2 \Delta n^2\right),

    with :math:`a_0 = A + B N_D + C N_D^2/2`, :math:`a_1 = B + 3 C N_D / 2`, :math:`a_2 = C`.
    The Auger term splits C equally between the eeh and hhe channels, so that for
    :math:`N_D = 0` it is the familiar :math:`C n^3` and :math:`dn/dt = -A n - B n^2 - C n^3`.
    At least one of A, B, C must be positive.

    References
    ----------
    - L. M. Herz, Annu. Rev. Phys. Chem. 67, 65 (2016).
      doi:10.1146/annurev-physchem-040215-112222
    - M. B. Johnston and L. M. Herz, Acc. Chem. Res. 49, 146 (2016).
      doi:10.1021/acs.accounts.5b00411

    Examples
    --------
    >>> params = ABCParameters(A=1e7, B=1e-10, C=0.0)
    >>> params.has_closed_form
    True
    >>> ABCParameters.from_material("MAPbI3").B
    9e-11
    """

    A: float = 5.0e6
    B: float = 9.0e-11
    C: float = 1.0e-28
    doping: float = 0.0

    def __post_init__(self):
        for name, unit in (("A", "s^-1"), ("B", "cm^3 s^-1"), ("C", "cm^6 s^-1"),
                           ("doping", "cm^-3")):
            object.__setattr__(self, name, _validate.non_negative(name, getattr(self, name),
                                                                  unit))
        if self.A == 0 and self.B == 0 and self.C == 0:
            raise ValueError("A, B and C must not all be 0 (at least one recombination channel "
                             "is needed), got A=0, B=0, C=0")

    @classmethod
    def from_material(cls, material: Material | str, doping: float = 0.0) -> ABCParameters:
        """The A, B, C of a material preset.

        Parameters
        ----------
        material : Material or str
            The material or its name in :data:`lerbook.materials.MATERIALS`.
        doping : float
            Ionised donor density N_D [cm^-3], >= 0.

        Returns
        -------
        ABCParameters
            A [s^-1], B [cm^3 s^-1], C [cm^6 s^-1] of the preset, with ``doping``.
        """
        material = get_material(material)
        return cls(A=material.A, B=material.B, C=material.C, doping=doping)

    @property
    def coefficients(self) -> tuple[float, float, float]:
        """(a0 [s^-1], a1 [cm^3 s^-1], a2 [cm^6 s^-1]) of R = dn (a0 + a1 dn + a2 dn^2)."""
        nd = self.doping
        return (self.A + self.B * nd + 0.5 * self.C * nd * nd,
                self.B + 1.5 * self.C * nd, self.C)

    @property
    def has_closed_form(self) -> bool:
        """True if :func:`abc_decay` has a closed form: C = 0, or B = 0 with no doping."""
        _, a1, a2 = self.coefficients
        return a2 == 0 or a1 == 0


def abc_rate(t, y, params: ABCParameters, generation: float = 0.0) -> np.ndarray:
    r"""Time derivative of the excess density in the ABC model.

    Parameters
    ----------
    t : float
        Time [s] (unused: the model is autonomous; kept for the common signature).
    y : float or array_like
        Excess carrier density :math:`\Delta n` [cm^-3].
    params : ABCParameters
        Recombination coefficients.
    generation : float
        Constant generation rate G [cm^-3 s^-1].

    Returns
    -------
    numpy.ndarray
        :math:`d\Delta n/dt = G - \Delta n (a_0 + a_1 \Delta n + a_2 \Delta n^2)`
        [cm^-3 s^-1], same shape as ``y``.
    """
    x = np.asarray(y, dtype=float)
    a0, a1, a2 = params.coefficients
    return generation - x * (a0 + x * (a1 + a2 * x))


def abc_jacobian(t, y, params: ABCParameters, generation: float = 0.0) -> np.ndarray:
    r"""Jacobian of :func:`abc_rate`.

    Parameters
    ----------
    t : float
        Time [s] (unused).
    y : float or array_like
        Excess carrier density [cm^-3].
    params : ABCParameters
        Recombination coefficients.
    generation : float
        Constant generation rate [cm^-3 s^-1] (does not enter the Jacobian).

    Returns
    -------
    numpy.ndarray
        :math:`\partial \dot{\Delta n} / \partial \Delta n = -(a_0 + 2 a_1 \Delta n +
        3 a_2 \Delta n^2)` [s^-1]: shape (1, 1) for a scalar ``y`` (the form
        :func:`scipy.integrate.solve_ivp` takes), elementwise for an array.
    """
    x = np.asarray(y, dtype=float)
    a0, a1, a2 = params.coefficients
    value = -(a0 + x * (2.0 * a1 + 3.0 * a2 * x))
    return value.reshape(1, 1) if value.size == 1 else value


@dataclass(frozen=True)
class DecayResult:
    """Result of :func:`abc_decay`.

    Attributes
    ----------
    t : numpy.ndarray
        Times after the pulse [s].
    n : numpy.ndarray
        Excess carrier density :math:`\\Delta n` (photo-generated electrons = holes) [cm^-3].
    pl : numpy.ndarray
        Photoluminescence, the radiative rate B n p [cm^-3 s^-1].
    params : ABCParameters
        The parameters used.
    n0 : float
        Initial excess density [cm^-3].
    method : str
        ``"closed"`` or the solver used (``"LSODA"``, ...).
    """

    t: np.ndarray
    n: np.ndarray
    pl: np.ndarray
    params: ABCParameters = field(repr=False)
    n0: float = 0.0
    method: str = "closed"

    @property
    def electron_density(self) -> np.ndarray:
        """Free electron density n = dn + N_D [cm^-3]."""
        return self.n + self.params.doping

    @property
    def hole_density(self) -> np.ndarray:
        """Free hole density p = dn [cm^-3]."""
        return self.n

    @property
    def plqy(self) -> np.ndarray:
        """Instantaneous internal PLQY B n p / R at each time [dimensionless]."""
        return plqy(self.params, self.n)


def _phi(k: float, t: np.ndarray) -> np.ndarray:
    """(1 - exp(-k t)) / k [s], continuous (-> t) at k = 0."""
    if k == 0:
        return np.asarray(t, dtype=float)
    return -np.expm1(-k * t) / k


def _abc_closed(params: ABCParameters, x0: float, t: np.ndarray) -> np.ndarray:
    a0, a1, a2 = params.coefficients
    decay = np.exp(-a0 * t)
    if a2 == 0:
        return x0 * decay / (1.0 + a1 * x0 * _phi(a0, t))
    return x0 * decay / np.sqrt(1.0 + 2.0 * a2 * x0 * x0 * _phi(2.0 * a0, t))


def _abc_solve(params: ABCParameters, x0: float, t: np.ndarray | None, t_end: float,
               solver: str, rtol: float):
    """Integrate d(ln dn)/dt = -(a0 + a1 dn + a2 dn^2): relative accuracy at every density."""
    a0, a1, a2 = params.coefficients

    def rhs(_t, y):
        x = math.exp(y[0])
        return [-(a0 + x * (a1 + a2 * x))]

    def jac(_t, y):
        x = math.exp(y[0])
        return [[-x * (a1 + 2.0 * a2 * x)]]

    return _check_solution(
        solve_ivp(rhs, (0.0, t_end), [math.log(x0)], method=solver, t_eval=t, jac=jac,
                  rtol=rtol, atol=rtol), "abc_decay")


def _abc_flow(params: ABCParameters, x0: float, duration: float, solver: str = "LSODA",
              rtol: float = 1e-11) -> float:
    """Excess density a time ``duration`` after starting from ``x0`` (closed form or solver)."""
    if x0 == 0 or duration == 0:
        return float(x0)
    if params.has_closed_form:
        return float(_abc_closed(params, x0, np.array(duration)))
    sol = _abc_solve(params, x0, None, duration, solver, rtol)
    return math.exp(sol.y[0, -1])


def abc_decay(params: ABCParameters, n0: float, t, method: str = "auto", solver: str = "LSODA",
              rtol: float = 1e-10) -> DecayResult:
    r"""Decay of an excess carrier density after a short pulse, in the ABC model.

    Parameters
    ----------
    params : ABCParameters
        Recombination coefficients and doping.
    n0 : float
        Excess density created by the pulse at t = 0 [cm^-3], > 0.
    t : array_like
        Times [s], >= 0 and non-decreasing.
    method : {"auto", "closed", "solver"}
        ``"closed"`` uses a closed form (ValueError if there is none, i.e. if C > 0 together
        with B > 0 or doping); ``"solver"`` always integrates numerically; ``"auto"`` (default)
        uses the closed form when there is one.
    solver : {"LSODA", "Radau", "BDF"}
        Integrator of :func:`scipy.integrate.solve_ivp`, given the analytic Jacobian; default
        LSODA (switches to BDF when the problem turns stiff; the fastest here).
    rtol : float
        Relative tolerance of the solver (it integrates ln(dn), so this bounds the relative
        error of dn at every density) [dimensionless], in [1e-13, 1e-3].

    Returns
    -------
    DecayResult
        Excess density [cm^-3] and PL = B n p [cm^-3 s^-1] at ``t``.

    Notes
    -----
    With :math:`R = \Delta n (a_0 + a_1 \Delta n + a_2 \Delta n^2)` (see
    :class:`ABCParameters`) and :math:`\phi_k(t) = (1 - e^{-k t})/k` (:math:`= t` for k = 0):

    - :math:`a_2 = 0` (no Auger): the Bernoulli equation
      :math:`\dot x = -a_0 x - a_1 x^2` gives

      .. math:: \Delta n(t) = \frac{n_0 e^{-a_0 t}}{1 + a_1 n_0 \phi_{a_0}(t)}
                = \frac{A n_0 e^{-A t}}{A + B n_0 (1 - e^{-A t})} \quad (N_D = 0),

      which reduces to :math:`n_0 e^{-A t}` (pure A) and :math:`n_0 / (1 + B n_0 t)` (pure B).
    - :math:`a_1 = 0` (B = 0 and no doping): :math:`\dot x = -a_0 x - C x^3` gives
      :math:`\Delta n = n_0 e^{-a_0 t} / \sqrt{1 + 2 C n_0^2 \phi_{2 a_0}(t)}`.
    - Otherwise the solver integrates :math:`d \ln \Delta n / dt = -(a_0 + a_1 \Delta n +
      a_2 \Delta n^2)` with the analytic Jacobian (LSODA Petzold (1983) by default,
      which switches to BDF when the problem is stiff; Radau IIA Hairer (1996) and BDF
      on request).

    References
    ----------
    - L. M. Herz, Annu. Rev. Phys. Chem. 67, 65 (2016).
      doi:10.1146/annurev-physchem-040215-112222
    - E. Hairer and G. Wanner, Solving ODEs II, 2nd ed. (Springer, 1996).
    - L. Petzold, SIAM J. Sci. Stat. Comput. 4, 136 (1983).

    Examples
    --------
    >>> params = ABCParameters(A=1e7, B=1e-10, C=0.0)
    >>> result = abc_decay(params, n0=1e17, t=[0.0, 10e-9, 50e-9])
    >>> print(", ".join(f"{n:.3g}" for n in result.n), result.method)
    1e+17, 8.26e+16, 4.35e+16 closed
    >>> with_auger = abc_decay(ABCParameters(A=1e7, B=1e-10, C=1e-28), 1e17, [0.0, 10e-9])
    >>> print(f"{with_auger.n[1]:.3g} {with_auger.method}")
    8.2e+16 LSODA
    """
    if not isinstance(params, ABCParameters):
        raise ValueError(f"params must be an ABCParameters, got {type(params).__name__}")
    n0 = _validate.positive("n0", n0, "cm^-3")
    times = _validate.array("t", t, "s", low=0.0, ndim=1, order="non-decreasing")
    method = _validate.choice("method", method, _ABC_METHODS)
    solver = _validate.choice("solver", solver, _SOLVERS)
    rtol = _validate.in_range("rtol", rtol, 1e-13, 1e-3)
    if method == "closed" and not params.has_closed_form:
        raise ValueError("method='closed' needs C = 0, or B = 0 with doping = 0; got "
                         f"A={params.A:g}, B={params.B:g}, C={params.C:g}, "
                         f"doping={params.doping:g}")
    use_closed = method == "closed" or (method == "auto" and params.has_closed_form)
    if use_closed:
        n = _abc_closed(params, n0, times)
        used = "closed"
    elif times[-1] == 0:
        n = np.full(times.shape, n0)
        used = solver
    else:
        unique, inverse = np.unique(times, return_inverse=True)  # solve_ivp needs t strictly
        sol = _abc_solve(params, n0, unique, float(times[-1]), solver, rtol)
        n = np.exp(sol.y[0])[inverse]
        used = solver
    pl = params.B * n * (n + params.doping)
    return DecayResult(t=times, n=n, pl=pl, params=params, n0=n0, method=used)


def plqy(params: ABCParameters, n) -> np.ndarray:
    r"""Internal photoluminescence quantum yield at excess density n.

    Parameters
    ----------
    params : ABCParameters
        Recombination coefficients and doping.
    n : float or array_like
        Excess carrier density [cm^-3], > 0.

    Returns
    -------
    numpy.ndarray or float
        :math:`\eta = B n p / R` [dimensionless]; for :math:`N_D = 0`,
        :math:`\eta = B n / (A + B n + C n^2)`.

    Examples
    --------
    >>> print(f"{plqy(ABCParameters(A=1e7, B=1e-10, C=1e-28), 1e17):.3f}")
    0.476
    """
    x = _validate.array("n", n, "cm^-3", low=0.0, include_low=False)
    a0, a1, a2 = params.coefficients
    out = params.B * (x + params.doping) / (a0 + x * (a1 + a2 * x))
    return out if out.ndim else float(out)


def plqy_peak(params: ABCParameters) -> tuple[float, float]:
    r"""Excess density at which the PLQY peaks, and the peak value.

    Parameters
    ----------
    params : ABCParameters
        Recombination coefficients and doping.

    Returns
    -------
    n_peak : float
        Excess density of the maximum [cm^-3]: :math:`\sqrt{A/C}` for an intrinsic material;
        ``inf`` if C = 0 (the PLQY then rises towards its supremum as n grows); 0 if the PLQY
        is largest in the low-density limit.
    plqy_max : float
        The maximum (or supremum) PLQY [dimensionless]:
        :math:`B / (B + 2\sqrt{A C})` for an intrinsic material.

    Notes
    -----
    Writing :math:`m = \Delta n + N_D`, :math:`\eta = B m / (A + b m + C m^2)` with
    :math:`b = B - C N_D / 2`; :math:`d\eta/dm = 0` at :math:`m^2 = A/C` whatever b is, so the
    peak sits at :math:`\Delta n = \sqrt{A/C} - N_D` (if positive) with
    :math:`\eta_{max} = B / (b + 2 \sqrt{A C})`: trap-assisted loss wins below it, Auger
    above it.

    Examples
    --------
    >>> n_peak, best = plqy_peak(ABCParameters(A=1e7, B=1e-10, C=1e-28))
    >>> print(f"{n_peak:.3g} cm^-3, {best:.3f}")
    3.16e+17 cm^-3, 0.613
    """
    A, B, C, nd = params.A, params.B, params.C, params.doping
    if C == 0:
        return math.inf, (1.0 if B > 0 else 0.0)
    m_peak = math.sqrt(A / C)
    if m_peak > nd:
        return m_peak - nd, B / (B - 0.5 * C * nd + 2.0 * math.sqrt(A * C))
    a0 = params.coefficients[0]
    return 0.0, (B * nd / a0 if a0 > 0 else (1.0 if B > 0 else 0.0))


def effective_lifetime(params: ABCParameters, n) -> np.ndarray:
    r"""Effective (instantaneous) carrier lifetime.

    Parameters
    ----------
    params : ABCParameters
        Recombination coefficients and doping.
    n : float or array_like
        Excess carrier density [cm^-3], > 0.

    Returns
    -------
    numpy.ndarray or float
        :math:`\tau_{eff} = \Delta n / R(\Delta n) = -\Delta n / (d\Delta n/dt)` [s]:
        :math:`1/(A + B n + C n^2)` for an intrinsic material, the e-folding time of n at that
        density.
    """
    x = _validate.array("n", n, "cm^-3", low=0.0, include_low=False)
    a0, a1, a2 = params.coefficients
    out = 1.0 / (a0 + x * (a1 + a2 * x))
    return out if out.ndim else float(out)


def differential_lifetime(params: ABCParameters, n) -> np.ndarray:
    r"""Differential (small-signal) carrier lifetime.

    Parameters
    ----------
    params : ABCParameters
        Recombination coefficients and doping.
    n : float or array_like
        Excess carrier density [cm^-3], > 0.

    Returns
    -------
    numpy.ndarray or float
        :math:`\tau_{diff} = (dR/d\Delta n)^{-1}` [s]: :math:`1/(A + 2 B n + 3 C n^2)` for an
        intrinsic material.

    Notes
    -----
    The decay time of a small extra density on top of n, what small-perturbation and
    modulated measurements see. Names vary between papers Kirchartz (2020); compare
    :func:`effective_lifetime` and :func:`pl_decay_time`.

    References
    ----------
    - T. Kirchartz et al., Adv. Energy Mater. 10, 1904134 (2020).
      doi:10.1002/aenm.201904134
    """
    x = _validate.array("n", n, "cm^-3", low=0.0, include_low=False)
    a0, a1, a2 = params.coefficients
    out = 1.0 / (a0 + x * (2.0 * a1 + 3.0 * a2 * x))
    return out if out.ndim else float(out)


def pl_decay_time(params: ABCParameters, n) -> np.ndarray:
    r"""Instantaneous decay time of the PL signal.

    Parameters
    ----------
    params : ABCParameters
        Recombination coefficients and doping.
    n : float or array_like
        Excess carrier density [cm^-3], > 0.

    Returns
    -------
    numpy.ndarray or float
        :math:`\tau_{PL} = -(d \ln PL/dt)^{-1}` [s] at that density.

    Notes
    -----
    Since PL = B n p with :math:`p = \Delta n`, :math:`n = \Delta n + N_D`,

    .. math:: \tau_{PL} = \frac{\tau_{eff}}{1 + \Delta n / (\Delta n + N_D)},

    half the carrier lifetime in an intrinsic material (PL ~ n^2) and equal to it in a doped
    one at low injection Kirchartz (2020).

    References
    ----------
    - T. Kirchartz et al., Adv. Energy Mater. 10, 1904134 (2020).
      doi:10.1002/aenm.201904134
    """
    x = _validate.array("n", n, "cm^-3", low=0.0, include_low=False)
    tau = effective_lifetime(params, x)
    out = tau / (1.0 + x / (x + params.doping))
    return out if np.ndim(out) else float(out)


def low_injection_pl_decay_time(params: ABCParameters) -> float:
    r"""Low-injection limit of :func:`pl_decay_time`.

    Parameters
    ----------
    params : ABCParameters
        Recombination coefficients and doping.

    Returns
    -------
    float
        The PL decay time as the excess density tends to 0 [s] (``inf`` if A = 0 and
        undoped).

    Notes
    -----
    :math:`1/(2A)` for an intrinsic material (PL ~ n^2 decays twice as fast as n), and
    :math:`1/(A + B N_D + C N_D^2/2)` for a doped one (PL ~ B N_D n decays with n), which is
    :math:`1/A` when :math:`B N_D \ll A`.

    Examples
    --------
    >>> print(low_injection_pl_decay_time(ABCParameters(A=1e7, B=1e-10, C=0.0)))
    5e-08
    >>> print(f"{low_injection_pl_decay_time(ABCParameters(1e7, 1e-10, 0.0, doping=1e15)):.3g}")
    9.9e-08
    """
    a0 = params.coefficients[0]
    if a0 == 0:
        return math.inf
    return 1.0 / (2.0 * a0) if params.doping == 0 else 1.0 / a0


def decay_time_from_trace(t, signal) -> np.ndarray:
    r"""Instantaneous decay time :math:`-(d \ln S/dt)^{-1}` [s] of a sampled decay.

    Parameters
    ----------
    t : array_like
        Times [s], strictly increasing, at least 3 values.
    signal : array_like
        The decay S(t) [any unit], > 0, same length as ``t``.

    Returns
    -------
    numpy.ndarray
        Decay time at each sample [s] (second-order finite differences of ln S).
    """
    times = _validate.array("t", t, "s", low=0.0, ndim=1, order="increasing")
    values = _validate.array("signal", signal, "signal unit", low=0.0, include_low=False)
    if values.shape != times.shape or times.size < 3:
        raise ValueError(f"signal must have the shape of t with at least 3 values, got "
                         f"{values.shape} and {times.shape}")
    return -1.0 / np.gradient(np.log(values), times, edge_order=2)


def one_over_e_time(t, signal) -> float:
    """Time [s] at which a decay first falls to 1/e of its maximum, counted from the maximum.

    Parameters
    ----------
    t : array_like
        Times [s], strictly increasing.
    signal : array_like
        The decay [any unit], >= 0, same length as ``t``, with a positive maximum.

    Returns
    -------
    float
        The 1/e time [s], interpolated log-linearly between samples. ValueError if the signal
        never falls to 1/e of its maximum within ``t``.
    """
    times = _validate.array("t", t, "s", low=0.0, ndim=1, order="increasing")
    values = _validate.array("signal", signal, "signal unit")
    if values.shape != times.shape or np.any(values < 0) or values.max() <= 0:
        raise ValueError("signal must be >= 0, have a positive maximum and the shape of t")
    peak = int(np.argmax(values))
    level = values[peak] / math.e
    below = np.nonzero(values[peak:] <= level)[0]
    if below.size == 0:
        raise ValueError(f"signal does not fall to 1/e of its maximum within t (up to "
                         f"{times[-1]:g} s); extend t")
    j = peak + int(below[0])
    t0, t1, v0, v1 = times[j - 1], times[j], values[j - 1], values[j]
    if v1 > 0:
        frac = math.log(v0 / level) / math.log(v0 / v1)
    else:
        frac = (v0 - level) / (v0 - v1)
    return float(t0 + frac * (t1 - t0) - times[peak])


# ============================================================================================
# 2. The Langevin bound
# ============================================================================================
@dataclass(frozen=True)
class LangevinComparison:
    """One row of :func:`langevin_table`.

    Attributes
    ----------
    material : str
        Material name.
    k_langevin : float
        Langevin rate constant [cm^3 s^-1].
    B : float
        Measured bimolecular coefficient of the preset [cm^3 s^-1].
    ratio : float
        B / k_L [dimensionless].
    permittivity : str
        Which relative permittivity was used (``"static"`` or ``"optical"``).
    """

    material: str
    k_langevin: float
    B: float
    ratio: float
    permittivity: str


def langevin_rate(material: Material | str, permittivity: str = "static") -> float:
    r"""Langevin rate constant of electron-hole recombination of a material.

    Parameters
    ----------
    material : Material or str
        The material or its name in :data:`lerbook.materials.MATERIALS`.
    permittivity : {"static", "optical"}
        Which relative permittivity screens the electron-hole attraction: ``"static"``
        (default; ``eps_static``, below the optical phonons, the appropriate one for slow
        carriers meeting over many phonon periods) or ``"optical"`` (``eps_optical``).

    Returns
    -------
    float
        :math:`k_L = e (\mu_e + \mu_h) / (\varepsilon_0 \varepsilon_r)` [cm^3 s^-1].

    Notes
    -----
    Langevin's rate is the rate at which an electron and a hole drift into each other in
    their mutual Coulomb field when every encounter ends in recombination
    Langevin (1903). In SI units with mobilities in m^2 V^-1 s^-1 it is in m^3 s^-1; this
    function converts mobilities from cm^2 V^-1 s^-1 and the result to cm^3 s^-1. The
    measured B of halide perovskites lies four to five orders of magnitude below it
    Wehrenfennig (2014): recombination is far from encounter-limited.

    References
    ----------
    - C. Wehrenfennig et al., Adv. Mater. 26, 1584 (2014). doi:10.1002/adma.201305172
    - P. Langevin, Ann. Chim. Phys. 28, 433 (1903).

    Examples
    --------
    >>> print(f"{langevin_rate('MAPbI3'):.3g} cm^3 s^-1")
    1.89e-06 cm^3 s^-1
    """
    material = get_material(material)
    permittivity = _validate.choice("permittivity", permittivity, ("static", "optical"))
    eps_r = material.eps_static if permittivity == "static" else material.eps_optical
    mobility_si = (material.mobility_electron + material.mobility_hole) * M2_PER_CM2
    return ELEMENTARY_CHARGE * mobility_si / (VACUUM_PERMITTIVITY * eps_r) * CM3_PER_M3


def langevin_ratio(material: Material | str, permittivity: str = "static") -> float:
    """Ratio of a material's measured bimolecular coefficient to its Langevin rate constant.

    Parameters
    ----------
    material : Material or str
        The material or its name.
    permittivity : {"static", "optical"}
        Permittivity used for k_L (see :func:`langevin_rate`).

    Returns
    -------
    float
        B / k_L [dimensionless]; far below 1 in halide perovskites.

    Examples
    --------
    >>> print(f"{langevin_ratio('MAPbI3'):.1e}")
    4.8e-05
    """
    material = get_material(material)
    return material.B / langevin_rate(material, permittivity)


def langevin_table(permittivity: str = "static") -> dict[str, LangevinComparison]:
    """The Langevin comparison for every material preset.

    Parameters
    ----------
    permittivity : {"static", "optical"}
        Permittivity used for k_L (see :func:`langevin_rate`).

    Returns
    -------
    dict
        Material name -> :class:`LangevinComparison` (k_L [cm^3 s^-1], B [cm^3 s^-1],
        B / k_L [dimensionless]) for every material in :data:`lerbook.materials.MATERIALS`.

    Examples
    --------
    >>> rows = langevin_table()
    >>> print(max(row.ratio for row in rows.values()) < 1e-3)
    True
    """
    rows = {}
    for name, material in MATERIALS.items():
        k_l = langevin_rate(material, permittivity)
        rows[name] = LangevinComparison(name, k_l, material.B, material.B / k_l, permittivity)
    return rows


# ============================================================================================
# 3. Trap model: free electrons, free holes, trapped electrons, and the LER term
# ============================================================================================
def effective_density_of_states(mass: float, temperature):
    r"""Effective density of states of a parabolic band edge (one carrier type) [cm^-3].

    Parameters
    ----------
    mass : float
        Density-of-states effective mass [m0], > 0.
    temperature : float or array_like
        Temperature (of the carriers, for a hot carrier gas) [K], > 0.

    Returns
    -------
    float or numpy.ndarray
        :math:`N_c = 2 (2 \pi m^* k_B T / h^2)^{3/2}` [cm^-3] Sze (2007).

    Notes
    -----
    Boltzmann statistics need :math:`n \ll N_c`: at :math:`n = N_c/2` the Fermi-Dirac mean
    energy per carrier is already ~9 % above :math:`\tfrac32 k_B T`, and at
    :math:`n \approx 0.77 N_c` the Fermi level reaches the band edge. The trap model (here) and
    the hot-carrier gas of :mod:`lerbook.cooling` both rest on it.

    References
    ----------
    - S. M. Sze and K. K. Ng, Physics of Semiconductor Devices, 3rd ed. (Wiley, 2007).

    Examples
    --------
    >>> print(f"{effective_density_of_states(1.0, 300.0):.3g}")
    2.51e+19
    >>> print(f"{effective_density_of_states(0.208, 300.0):.2e} cm^-3")  # MAPbI3 electrons
    2.38e+18 cm^-3
    """
    mass = _validate.positive("mass", mass, "m0")
    temperature = _validate.array("temperature", temperature, "K", low=0.0, include_low=False)
    planck = 2.0 * math.pi * HBAR_EV_S * ELEMENTARY_CHARGE  # J s
    per_m3 = 2.0 * (2.0 * math.pi * mass * ELECTRON_MASS * BOLTZMANN_J * temperature
                    / planck ** 2) ** 1.5
    result = per_m3 / CM3_PER_M3
    return float(result) if result.ndim == 0 else result


@dataclass(frozen=True)
class TrapParameters:
    r"""Parameters of the three-population trap model with the LER detrapping term.

    Parameters
    ----------
    trap_density : float
        Density N_t of electron traps [cm^-3], >= 0. Default 2.5e16 Stranks (2014).
    gamma_n : float
        Electron capture coefficient [cm^3 s^-1], >= 0. Default 2e-10, the size of the
        trapping coefficient in Stranks (2014).
    gamma_p : float
        Coefficient of recombination of trapped electrons with free holes [cm^3 s^-1], >= 0.
        Default 8e-12, the size of the trap-depopulation coefficient in Stranks (2014).
    B : float
        Radiative coefficient [cm^3 s^-1], >= 0. Default 9e-11 (MAPbI3 Johnston (2016)).
    C : float
        Auger coefficient [cm^6 s^-1], >= 0. Default 1e-28 (MAPbI3 Johnston (2016)).
    trap_depth : float
        Depth E_t of the traps below the conduction band [eV], in [0, 3]. Default 0.4
        (illustrative: deep enough that thermal emission is slow at room temperature).
    temperature : float
        Lattice temperature [K], in [1, 1000]. Default 295.
    mass_electron : float
        Electron effective mass for N_c [m0], > 0. Default 0.208 (MAPbI3, twice the reduced
        mass measured by magneto-optics Miyata (2015)).
    doping : float
        Ionised donor density N_D [cm^-3], >= 0. Default 0.
    k_sigma : float
        LER coupling :math:`K \sigma'` [cm^3 s^-1], >= 0. Default 1e-10, **illustrative**.
    n_ler : float
        Density of active reservoirs :math:`n_{LER}` [cm^-3], >= 0. Default 0 (the
        conventional model); its slow dynamics live in :mod:`lerbook.reservoir`.
        **Illustrative**.

    Notes
    -----
    Free electrons n, free holes p, trapped electrons :math:`n_t` Stranks (2014)
    Shockley (1952):

    .. math::

        \frac{dn}{dt} &= G - \gamma_n (N_t - n_t) n + (e_n + k_{LER}) n_t - B n p - R_{Aug} \\
        \frac{dp}{dt} &= G - B n p - R_{Aug} - \gamma_p n_t p \\
        \frac{dn_t}{dt} &= \gamma_n (N_t - n_t) n - (e_n + k_{LER}) n_t - \gamma_p n_t p

    with thermal emission :math:`e_n = \gamma_n N_c e^{-E_t / k_B T}` (detailed balance with
    capture), :math:`N_c` from :func:`effective_density_of_states`, the LER term
    :math:`k_{LER} n_t = K\sigma' n_{LER} n_t` Wen (2024), and
    :math:`R_{Aug} = (C/2) n p (n + p)` (= C n^3 when n = p, as in :class:`ABCParameters`).
    Charge neutrality :math:`n + n_t = p + N_D` is conserved exactly:
    :math:`d(n + n_t - p)/dt = 0`. The dark state has p = 0 and
    :math:`n + n_t = N_D` (:func:`trap_equilibrium`); there is no thermal generation of holes.

    References
    ----------
    - M. B. Johnston and L. M. Herz, Acc. Chem. Res. 49, 146 (2016).
      doi:10.1021/acs.accounts.5b00411
    - S. D. Stranks et al., Phys. Rev. Applied 2, 034007 (2014).
      doi:10.1103/PhysRevApplied.2.034007
    - W. Shockley and W. T. Read, Phys. Rev. 87, 835 (1952). doi:10.1103/PhysRev.87.835
    - X. Wen and B. Jia, arXiv:2406.18818 (2024). doi:10.48550/arXiv.2406.18818
    - A. Miyata et al., Nat. Phys. 11, 582 (2015). doi:10.1038/nphys3357

    Examples
    --------
    >>> params = TrapParameters(n_ler=1e16)
    >>> print(f"k_LER = {params.ler_rate:.0e} s^-1, e_n = {params.emission_rate:.2g} s^-1")
    k_LER = 1e+06 s^-1, e_n = 68 s^-1
    """

    trap_density: float = 2.5e16
    gamma_n: float = 2.0e-10
    gamma_p: float = 8.0e-12
    B: float = 9.0e-11
    C: float = 1.0e-28
    trap_depth: float = 0.4
    temperature: float = 295.0
    mass_electron: float = 0.208
    doping: float = 0.0
    k_sigma: float = 1.0e-10
    n_ler: float = 0.0

    def __post_init__(self):
        for name, unit in (("trap_density", "cm^-3"), ("gamma_n", "cm^3 s^-1"),
                           ("gamma_p", "cm^3 s^-1"), ("B", "cm^3 s^-1"), ("C", "cm^6 s^-1"),
                           ("doping", "cm^-3"), ("k_sigma", "cm^3 s^-1"), ("n_ler", "cm^-3")):
            object.__setattr__(self, name, _validate.non_negative(name, getattr(self, name),
                                                                  unit))
        object.__setattr__(self, "trap_depth",
                           _validate.in_range("trap_depth", self.trap_depth, 0.0, 3.0, "eV"))
        object.__setattr__(self, "temperature",
                           _validate.in_range("temperature", self.temperature, 1.0, 1000.0,
                                              "K"))
        object.__setattr__(self, "mass_electron",
                           _validate.positive("mass_electron", self.mass_electron, "m0"))

    @classmethod
    def from_material(cls, material: Material | str, **changes) -> TrapParameters:
        """Trap parameters with B, C and the electron mass of a material preset.

        Parameters
        ----------
        material : Material or str
            The material or its name in :data:`lerbook.materials.MATERIALS`.
        **changes
            Any other field -> value, in the field's unit (e.g. ``n_ler=1e16`` [cm^-3]).

        Returns
        -------
        TrapParameters
        """
        material = get_material(material)
        values = {"B": material.B, "C": material.C, "mass_electron": material.mass_electron}
        values.update(changes)
        return cls(**values)

    def replace(self, **changes) -> TrapParameters:
        """A validated copy with some fields changed.

        Parameters
        ----------
        **changes
            New values of fields [their units, as in the class docstring].

        Returns
        -------
        TrapParameters
            The copy, validated.
        """
        return dataclasses.replace(self, **changes)

    @property
    def effective_density_of_states(self) -> float:
        """Conduction-band effective density of states N_c [cm^-3]."""
        return effective_density_of_states(self.mass_electron, self.temperature)

    @property
    def emission_rate(self) -> float:
        """Thermal emission rate e_n = gamma_n N_c exp(-E_t / kB T) of a trapped electron
        [s^-1]."""
        return self.gamma_n * self.effective_density_of_states * math.exp(
            -self.trap_depth / (BOLTZMANN_EV * self.temperature))

    @property
    def ler_rate(self) -> float:
        """LER detrapping rate k_LER = K sigma' n_LER of a trapped electron [s^-1]."""
        return self.k_sigma * self.n_ler

    @property
    def has_hole_recombination(self) -> bool:
        """True if holes can recombine at all (B, C or gamma_p > 0)."""
        return self.B > 0 or self.C > 0 or self.gamma_p > 0


class _TrapConstants(NamedTuple):
    """The trap model's rate constants, read once from a TrapParameters: the properties
    behind ``k_out`` (emission rate, density of states) cost more than the arithmetic of the
    rates, and solvers evaluate the rates thousands of times."""

    gn: float
    gp: float
    B: float
    half_c: float
    nt_max: float
    k_out: float


def _trap_constants(params: TrapParameters) -> _TrapConstants:
    return _TrapConstants(params.gamma_n, params.gamma_p, params.B, 0.5 * params.C,
                          params.trap_density, params.emission_rate + params.ler_rate)


def _rates(n, p, nt, c: _TrapConstants):
    """The five process rates [cm^-3 s^-1]: capture, release, radiative, Auger, trap-hole."""
    gn, gp, B, half_c, nt_max, k_out = c
    return gn * (nt_max - nt) * n, k_out * nt, B * n * p, half_c * n * p * (n + p), gp * nt * p


def _jacobian_entries(n, p, nt, c: _TrapConstants) -> tuple:
    """d(dn/dt, dp/dt, dn_t/dt)/d(n, p, n_t) [s^-1], row by row (nine entries)."""
    gn, gp, B, half_c, nt_max, k_out = c
    aug_n = half_c * p * (2.0 * n + p)
    aug_p = half_c * n * (n + 2.0 * p)
    cap_n = gn * (nt_max - nt)
    cap_nt = -gn * n
    return (-cap_n - B * p - aug_n, -B * n - aug_p, -cap_nt + k_out,
            -B * p - aug_n, -B * n - aug_p - gp * nt, -gp * p,
            cap_n, -gp * nt, cap_nt - k_out - gp * p)


def _trap_terms(n, p, nt, params: TrapParameters):
    """The five process rates [cm^-3 s^-1]: capture, release, radiative, Auger, trap-hole."""
    return _rates(n, p, nt, _trap_constants(params))


def trap_rate(t, y, params: TrapParameters, generation: float = 0.0) -> np.ndarray:
    """Time derivative of (n, p, n_t) in the trap model (equations in :class:`TrapParameters`).

    Parameters
    ----------
    t : float
        Time [s] (unused: the model is autonomous; kept for the common signature).
    y : array_like
        State (n, p, n_t) [cm^-3], shape (3,) or (3, k).
    params : TrapParameters
        Model parameters.
    generation : float
        Constant generation rate G of electron-hole pairs [cm^-3 s^-1].

    Returns
    -------
    numpy.ndarray
        (dn/dt, dp/dt, dn_t/dt) [cm^-3 s^-1], shape of ``y``.
    """
    n, p, nt = np.asarray(y, dtype=float)
    capture, release, radiative, auger, trapped = _trap_terms(n, p, nt, params)
    return np.array([generation - capture + release - radiative - auger,
                     generation - radiative - auger - trapped,
                     capture - release - trapped])


def trap_jacobian(t, y, params: TrapParameters, generation: float = 0.0) -> np.ndarray:
    """Analytic Jacobian of :func:`trap_rate`.

    Parameters
    ----------
    t : float
        Time [s] (unused).
    y : array_like
        State (n, p, n_t) [cm^-3], shape (3,).
    params : TrapParameters
        Model parameters.
    generation : float
        Constant generation rate [cm^-3 s^-1] (does not enter the Jacobian).

    Returns
    -------
    numpy.ndarray
        d(dy/dt)/dy [s^-1], shape (3, 3); rows and columns in the order (n, p, n_t).
    """
    n, p, nt = (float(v) for v in np.asarray(y, dtype=float))
    return _trap_jacobian_values(n, p, nt, params)


def _trap_jacobian_values(n, p, nt, params: TrapParameters) -> np.ndarray:
    return np.array(_jacobian_entries(n, p, nt, _trap_constants(params))).reshape(3, 3)


def _trap_hessian(n, p, params: TrapParameters) -> np.ndarray:
    """H[i, m, k] = d^2 f_i / dy_m dy_k of the trap rates (state order n, p, n_t)."""
    gn, gp, B, C = params.gamma_n, params.gamma_p, params.B, params.C
    cap = np.zeros((3, 3))
    cap[0, 2] = cap[2, 0] = -gn
    rad = np.zeros((3, 3))
    rad[0, 1] = rad[1, 0] = B
    aug = np.zeros((3, 3))
    aug[0, 0] = C * p
    aug[0, 1] = aug[1, 0] = C * (n + p)
    aug[1, 1] = C * n
    trp = np.zeros((3, 3))
    trp[1, 2] = trp[2, 1] = gp
    return np.stack([-cap - rad - aug, -rad - aug - trp, cap - trp])


def trap_equilibrium(params: TrapParameters) -> np.ndarray:
    r"""Dark state of the trap model.

    Parameters
    ----------
    params : TrapParameters
        Model parameters.

    Returns
    -------
    numpy.ndarray
        (n, p, n_t) [cm^-3] with p = 0, :math:`n + n_t = N_D` and capture balancing release,
        :math:`\gamma_n (N_t - n_t) n = (e_n + k_{LER}) n_t`.

    Notes
    -----
    With :math:`n_1 = (e_n + k_{LER})/\gamma_n`, n solves
    :math:`n^2 + (n_1 + N_t - N_D) n - N_D n_1 = 0`. Without doping everything is zero.
    """
    nd, nt_max = params.doping, params.trap_density
    if nd == 0:
        return np.zeros(3)
    if params.gamma_n == 0 or nt_max == 0:
        return np.array([nd, 0.0, 0.0])
    n1 = (params.emission_rate + params.ler_rate) / params.gamma_n
    b = n1 + nt_max - nd
    root = math.sqrt(b * b + 4.0 * nd * n1)
    n = 2.0 * nd * n1 / (b + root) if b > 0 else 0.5 * (root - b)
    return np.array([n, 0.0, nd - n])


@dataclass(frozen=True)
class TrapResult:
    """Result of :func:`trap_decay`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s].
    n, p, n_t : numpy.ndarray
        Free electron, free hole and trapped electron densities [cm^-3] (totals, including
        the dark densities of a doped sample).
    pl : numpy.ndarray
        Photoluminescence B n p [cm^-3 s^-1].
    params : TrapParameters
        The parameters used.
    n0 : float
        Pair density injected at t = 0 [cm^-3].
    recombined_radiative, recombined_auger, recombined_trap : numpy.ndarray
        Pairs recombined since t = 0 radiatively, by Auger and through traps (trapped
        electron + free hole) [cm^-3]: time integrals of each rate, integrated with the state.
    released_ler : numpy.ndarray
        Trapped electrons returned to the band by the LER term since t = 0 [cm^-3].
    generation_rate : float
        Constant generation rate during the run [cm^-3 s^-1].
    """

    t: np.ndarray
    n: np.ndarray
    p: np.ndarray
    n_t: np.ndarray
    pl: np.ndarray
    params: TrapParameters = field(repr=False)
    n0: float = 0.0
    recombined_radiative: np.ndarray = field(default=None, repr=False)
    recombined_auger: np.ndarray = field(default=None, repr=False)
    recombined_trap: np.ndarray = field(default=None, repr=False)
    released_ler: np.ndarray = field(default=None, repr=False)
    generation_rate: float = 0.0

    @property
    def recombined_total(self) -> np.ndarray:
        """All pairs recombined since t = 0 [cm^-3]."""
        return self.recombined_radiative + self.recombined_auger + self.recombined_trap

    @property
    def integrated_pl(self) -> float:
        """Time-integrated PL over the run: photons emitted per volume [cm^-3]."""
        return float(self.recombined_radiative[-1])

    @property
    def plqy(self) -> float:
        """Photons emitted during the run per injected pair [dimensionless] (for a single
        pulse without generation, the PLQY once the run covers the whole decay)."""
        injected = self.n0 + self.generation_rate * float(self.t[-1] - self.t[0])
        return self.integrated_pl / injected


def _trap_system(params: TrapParameters, scale: float, generation: float):
    """Scaled right-hand side and Jacobian of (n, p, n_t, Q_rad, Q_aug, Q_trap, Q_ler)/scale."""
    c = _trap_constants(params)
    gp, B, half_c = c.gp, c.B, c.half_c
    k_ler = params.ler_rate
    g = generation / scale

    def rhs(_t, z):
        n, p, nt = z[0] * scale, z[1] * scale, z[2] * scale
        capture, release, radiative, auger, trapped = _rates(n, p, nt, c)
        return np.array([
            g + (-capture + release - radiative - auger) / scale,
            g - (radiative + auger + trapped) / scale,
            (capture - release - trapped) / scale,
            radiative / scale, auger / scale, trapped / scale, k_ler * nt / scale])

    def jac(_t, z):
        n, p, nt = z[0] * scale, z[1] * scale, z[2] * scale
        out = np.zeros((7, 7))
        out[:3, :3] = _trap_jacobian_values(n, p, nt, params)
        out[3, 0], out[3, 1] = B * p, B * n
        out[4, 0], out[4, 1] = half_c * p * (2.0 * n + p), half_c * n * (n + 2.0 * p)
        out[5, 1], out[5, 2] = gp * nt, gp * p
        out[6, 2] = k_ler
        return out

    return rhs, jac


def _trap_integrate(params: TrapParameters, y0: np.ndarray, t: np.ndarray | None,
                    t_end: float, generation: float, solver: str, rtol: float):
    """Integrate the scaled trap system from state y0 [cm^-3]; returns (t, Y) unscaled, Y of
    shape (7, len(t)) (or the final column only when t is None)."""
    scale = max(float(np.max(y0)), params.trap_density, params.doping,
                generation * max(t_end, 1e-300), 1.0)
    z0 = np.concatenate((np.asarray(y0, dtype=float) / scale, np.zeros(4)))
    if t_end == 0:
        times = np.zeros(1) if t is None else t
        return times, np.repeat(z0[:, None] * scale, times.size, axis=1)
    rhs, jac = _trap_system(params, scale, generation)
    if t is None:
        unique, inverse = None, None
    else:  # solve_ivp needs strictly increasing output times
        unique, inverse = np.unique(t, return_inverse=True)
    sol = _check_solution(solve_ivp(rhs, (0.0, t_end), z0, method=solver, t_eval=unique,
                                    jac=jac, rtol=rtol, atol=rtol * 1e-3), "trap model")
    y = sol.y * scale
    if t is None:
        return sol.t[-1:], y[:, -1:]
    return t, y[:, inverse]


def trap_decay(params: TrapParameters, n0: float, t, generation_rate: float = 0.0,
               initial_state=None, solver: str = "LSODA", rtol: float = 1e-9) -> TrapResult:
    r"""Carrier densities and PL after a short pulse in the trap model.

    Parameters
    ----------
    params : TrapParameters
        Model parameters.
    n0 : float
        Electron-hole pairs injected at t = 0 [cm^-3], >= 0 (0 with a generation rate gives
        the rise under CW light).
    t : array_like
        Times [s], >= 0 and non-decreasing.
    generation_rate : float
        Constant generation rate G [cm^-3 s^-1], >= 0. Default 0.
    initial_state : array_like or None
        State (n, p, n_t) [cm^-3] just before the pulse (it must satisfy charge neutrality
        n + n_t = p + N_D); None (default) for the dark state :func:`trap_equilibrium`.
    solver : {"LSODA", "Radau", "BDF"}
        Integrator of :func:`scipy.integrate.solve_ivp`, given the analytic Jacobian
        (default LSODA).
    rtol : float
        Relative tolerance [dimensionless], in [1e-13, 1e-3]; the absolute tolerance is
        1e-3 rtol times the largest density in the problem.

    Returns
    -------
    TrapResult
        Densities [cm^-3], PL [cm^-3 s^-1] and the time-integrated recombination of each
        channel [cm^-3].

    Notes
    -----
    The rate equations are in :class:`TrapParameters`. The solver integrates the densities
    divided by the largest density of the problem, together with the running integrals of
    every recombination channel, so carrier bookkeeping
    :math:`p(0) - p(t) + G t = \int_0^t (B n p + R_{Aug} + \gamma_p n_t p)\, dt'` and charge
    neutrality hold to round-off.

    Examples
    --------
    Traps capture electrons in ~0.2 us; the reservoir term hands them back:

    >>> t = np.concatenate(([0.0], np.geomspace(1e-11, 1e-3, 400)))
    >>> dark = trap_decay(TrapParameters(), n0=1e15, t=t)
    >>> lit = trap_decay(TrapParameters(n_ler=1e16), n0=1e15, t=t)
    >>> print(f"PLQY {dark.plqy:.3f} -> {lit.plqy:.3f}")
    PLQY 0.018 -> 0.668
    """
    if not isinstance(params, TrapParameters):
        raise ValueError(f"params must be a TrapParameters, got {type(params).__name__}")
    n0 = _validate.non_negative("n0", n0, "cm^-3")
    times = _validate.array("t", t, "s", low=0.0, ndim=1, order="non-decreasing")
    generation = _validate.non_negative("generation_rate", generation_rate, "cm^-3 s^-1")
    solver = _validate.choice("solver", solver, _SOLVERS)
    rtol = _validate.in_range("rtol", rtol, 1e-13, 1e-3)
    before = _initial_trap_state(params, initial_state)
    if n0 == 0 and generation == 0 and not np.any(before):
        raise ValueError("n0 must be > 0 cm^-3 when there is no generation_rate and no "
                         "initial_state (nothing to simulate), got 0")
    y0 = before + np.array([n0, n0, 0.0])
    _, y = _trap_integrate(params, y0, times, float(times[-1]), generation, solver, rtol)
    n, p, nt = y[0], y[1], y[2]
    return TrapResult(t=times, n=n, p=p, n_t=nt, pl=params.B * n * p, params=params, n0=n0,
                      recombined_radiative=y[3], recombined_auger=y[4], recombined_trap=y[5],
                      released_ler=y[6], generation_rate=generation)


def _initial_trap_state(params: TrapParameters, state, name: str = "initial_state"
                        ) -> np.ndarray:
    if state is None:
        return trap_equilibrium(params)
    values = _validate.array(name, state, "cm^-3")
    if values.shape != (3,) or np.any(values < 0):
        raise ValueError(f"{name} must be (n, p, n_t) >= 0 [cm^-3], got {state!r}")
    n, p, nt = values
    if nt > params.trap_density * (1 + 1e-12):
        raise ValueError(f"{name} n_t must be <= trap_density = "
                         f"{params.trap_density:g} cm^-3, got {nt!r}")
    imbalance = n + nt - p - params.doping
    if abs(imbalance) > 1e-9 * max(n + nt, p + params.doping, 1.0):
        raise ValueError(f"{name} must be charge neutral, n + n_t = p + doping, got "
                         f"n + n_t - p - doping = {imbalance:g} cm^-3")
    return values


@dataclass(frozen=True)
class TrapSteadyState:
    """Result of :func:`trap_steady_state`.

    Attributes
    ----------
    generation_rate : numpy.ndarray
        Generation rates G [cm^-3 s^-1].
    n, p, n_t : numpy.ndarray
        Steady free electron, free hole and trapped electron densities [cm^-3].
    pl : numpy.ndarray
        Photoluminescence B n p [cm^-3 s^-1].
    plqy : numpy.ndarray
        Internal PLQY B n p / G [dimensionless].
    params : TrapParameters
        The parameters used.
    """

    generation_rate: np.ndarray
    n: np.ndarray
    p: np.ndarray
    n_t: np.ndarray
    pl: np.ndarray
    plqy: np.ndarray
    params: TrapParameters = field(repr=False)


def _trapped_given_p(params: TrapParameters, p: float) -> tuple[float, float]:
    """Steady (n, n_t) for hole density p: neutrality plus trap balance (smaller root)."""
    gn, nt_max = params.gamma_n, params.trap_density
    m = p + params.doping
    if gn == 0 or nt_max == 0 or m == 0:
        return m, 0.0
    k_out = params.emission_rate + params.ler_rate + params.gamma_p * p
    b = gn * (nt_max + m) + k_out
    disc = max(b * b - 4.0 * gn * gn * nt_max * m, 0.0)
    nt = 2.0 * gn * nt_max * m / (b + math.sqrt(disc))
    return m - nt, nt


def _steady_generation(params: TrapParameters, p: float) -> float:
    n, nt = _trapped_given_p(params, p)
    return params.B * n * p + 0.5 * params.C * n * p * (n + p) + params.gamma_p * nt * p


def trap_steady_state(params: TrapParameters, generation_rate) -> TrapSteadyState:
    r"""Steady state of the trap model under continuous-wave generation.

    Parameters
    ----------
    params : TrapParameters
        Model parameters (holes must be able to recombine: B, C or gamma_p > 0).
    generation_rate : float or array_like
        Generation rate G [cm^-3 s^-1], > 0.

    Returns
    -------
    TrapSteadyState
        Steady densities [cm^-3], PL [cm^-3 s^-1] and PLQY for each G.

    Notes
    -----
    In steady state every time derivative in :class:`TrapParameters` vanishes. For a given
    hole density p, neutrality :math:`n = p + N_D - n_t` and the trap balance
    :math:`\gamma_n (N_t - n_t) n = (e_n + k_{LER} + \gamma_p p) n_t` give :math:`n_t` as the
    smaller root of a quadratic; the hole balance
    :math:`G = B n p + R_{Aug} + \gamma_p n_t p` is then solved for p with Brent's method.

    Examples
    --------
    One sun is about G = 1e21 cm^-3 s^-1 in a 500 nm film:

    >>> ss = trap_steady_state(TrapParameters(), 1e21)
    >>> print(f"p = {ss.p[0]:.2e} cm^-3, PLQY = {ss.plqy[0]:.3f}")
    p = 9.95e+15 cm^-3, PLQY = 0.226
    """
    if not isinstance(params, TrapParameters):
        raise ValueError(f"params must be a TrapParameters, got {type(params).__name__}")
    rates = _validate.array("generation_rate", generation_rate, "cm^-3 s^-1", low=0.0,
                            include_low=False)
    if not params.has_hole_recombination:
        raise ValueError("params must let holes recombine (B, C or gamma_p > 0) for a steady "
                         "state to exist, got B = C = gamma_p = 0")
    flat = np.atleast_1d(rates).ravel()
    p_out = np.empty(flat.size)
    for i, g in enumerate(flat):
        hi = max(math.sqrt(g / params.B) if params.B > 0 else 0.0, 1.0)
        while _steady_generation(params, hi) < g:
            hi *= 4.0
        p_out[i] = brentq(lambda p, g=g: _steady_generation(params, p) - g, 0.0, hi,
                          xtol=1e-300, rtol=1e-14, maxiter=500)
    pairs = np.array([_trapped_given_p(params, p) for p in p_out]).reshape(-1, 2)
    n_out, nt_out = pairs[:, 0], pairs[:, 1]
    shape = np.atleast_1d(rates).shape
    pl = params.B * n_out * p_out
    return TrapSteadyState(generation_rate=flat.reshape(shape), n=n_out.reshape(shape),
                           p=p_out.reshape(shape), n_t=nt_out.reshape(shape),
                           pl=pl.reshape(shape), plqy=(pl / flat).reshape(shape),
                           params=params)


#: Times of the trap-model studies [s]: t = 0, then 10 ps to 10 ms on a logarithmic grid (long
#: enough for the PL of the default trap model to fall to 1/e at every n_LER chapter 2 shows).
TRAP_TIMES = np.concatenate(([0.0], np.geomspace(1e-11, 1e-2, 240)))


def _trap_runs(n_ler_values, n0: float, changes):
    """(n_LER, TrapParameters, TrapResult over TRAP_TIMES) for each n_LER of a study."""
    for n_ler in n_ler_values:
        params = TrapParameters(**{**changes, "n_ler": float(n_ler)})
        yield float(n_ler), params, trap_decay(params, n0, TRAP_TIMES)


def _one_over_e_or_nan(t, pl) -> float:
    try:
        return one_over_e_time(t, pl)
    except ValueError:  # the PL stays above 1/e over the whole window
        return math.nan


def trap_decay_times(n_ler_values, n0: float = 1e15, **changes) -> list[tuple[float, float, float]]:
    """PL 1/e time and photons per injected pair of the trap model, for several n_LER.

    Parameters
    ----------
    n_ler_values : iterable of float
        Reservoir densities n_LER [cm^-3], >= 0.
    n0 : float
        Pairs injected by the pulse [cm^-3], > 0.
    **changes
        Other :class:`TrapParameters` fields [their units].

    Returns
    -------
    list of (float, float, float)
        (n_LER [cm^-3], 1/e time of the PL [s] or nan if the PL stays above 1/e over
        :data:`TRAP_TIMES`, time-integrated PL per injected pair over 10 ms [dimensionless])
        for each n_LER.

    Examples
    --------
    >>> for n_ler, tau, photons in trap_decay_times([0.0, 1e16]):
    ...     print(f"{n_ler:.0e}: {tau * 1e9:.3g} ns, {photons:.3f}")
    0e+00: 197 ns, 0.018
    1e+16: 231 ns, 0.696
    """
    return [(n_ler, _one_over_e_or_nan(run.t, run.pl), run.plqy)
            for n_ler, _, run in _trap_runs(n_ler_values, n0, changes)]


def reservoir_releases(n_ler_values, n0: float = 1e15,
                       **changes) -> list[tuple[float, float, float]]:
    """How often the reservoir term frees each injected electron, and the energy that costs.

    Parameters
    ----------
    n_ler_values : iterable of float
        Reservoir densities n_LER [cm^-3], >= 0.
    n0 : float
        Pairs injected by the pulse [cm^-3], > 0.
    **changes
        Other :class:`TrapParameters` fields [their units].

    Returns
    -------
    list of (float, float, float)
        (n_LER [cm^-3], LER releases per injected pair over :data:`TRAP_TIMES` (10 ms)
        [dimensionless], those releases times the trap depth E_t [eV per injected pair]) for
        each n_LER. The model holds n_LER fixed, so this energy is never taken from the
        reservoir.

    Examples
    --------
    >>> for n_ler, releases, energy in reservoir_releases([1e16]):
    ...     print(f"{n_ler:.0e}: {releases:.0f} releases, {energy:.0f} eV per pair")
    1e+16: 206 releases, 82 eV per pair
    """
    rows = []
    for n_ler, params, run in _trap_runs(n_ler_values, n0, changes):
        releases = float(run.released_ler[-1]) / run.n0
        rows.append((n_ler, releases, releases * params.trap_depth))
    return rows


# ============================================================================================
# 4. Pulse trains: the periodic steady state as a fixed point of the pulse-to-pulse map
# ============================================================================================
@dataclass(frozen=True)
class PulseTrainResult:
    """One period of TRPL under a train of identical pulses.

    Attributes
    ----------
    t : numpy.ndarray
        Time since the last pulse [s], within [0, 1 / repetition_rate].
    n, p, n_t : numpy.ndarray
        Free electron, free hole and trapped electron densities [cm^-3] (totals; for the ABC
        model n = dn + N_D, p = dn and n_t = 0).
    pl : numpy.ndarray
        Photoluminescence B n p [cm^-3 s^-1].
    params : ABCParameters or TrapParameters
        The parameters used.
    n_pulse : float
        Pairs injected by each pulse [cm^-3].
    repetition_rate : float
        Pulses per second [Hz].
    state_before_pulse : numpy.ndarray
        (n, p, n_t) just before a pulse [cm^-3]: the carriers left from earlier pulses.
    iterations : int
        Newton iterations of the fixed-point solve, or the number of pulses simulated by
        :func:`pulse_train`.
    """

    t: np.ndarray
    n: np.ndarray
    p: np.ndarray
    n_t: np.ndarray
    pl: np.ndarray
    params: ABCParameters | TrapParameters = field(repr=False)
    n_pulse: float = 0.0
    repetition_rate: float = 0.0
    state_before_pulse: np.ndarray = field(default=None)
    iterations: int = 0

    @property
    def period(self) -> float:
        """Time between pulses [s]."""
        return 1.0 / self.repetition_rate

    @property
    def leftover_fraction(self) -> float:
        """Holes left from earlier pulses relative to those one pulse injects
        [dimensionless]."""
        return float(self.state_before_pulse[1] / self.n_pulse)


def _pulse_train_inputs(model_params, n_pulse, repetition_rate, t, points):
    if not isinstance(model_params, (ABCParameters, TrapParameters)):
        raise ValueError("model_params must be an ABCParameters or a TrapParameters, got "
                         f"{type(model_params).__name__}")
    n_pulse = _validate.positive("n_pulse", n_pulse, "cm^-3")
    rate = _validate.positive("repetition_rate", repetition_rate, "Hz")
    period = 1.0 / rate
    if t is None:
        points = _validate.integer("points", points, 2)
        times = np.linspace(0.0, period, points)
    else:
        times = _validate.array("t", t, "s", low=0.0, ndim=1, order="non-decreasing")
        if times[-1] > period * (1 + 1e-12):
            raise ValueError(f"t must lie within one period [0, {period:g}] s, got max "
                             f"{times[-1]!r}")
    if isinstance(model_params, TrapParameters) and not model_params.has_hole_recombination:
        raise ValueError("model_params must let holes recombine (B, C or gamma_p > 0) for a "
                         "periodic steady state to exist, got B = C = gamma_p = 0")
    return n_pulse, rate, period, times


def _abc_trace(params, x_before, n_pulse, times, rate, iterations):
    decay = abc_decay(params, x_before + n_pulse, times)
    nd = params.doping
    return PulseTrainResult(t=times, n=decay.n + nd, p=decay.n, n_t=np.zeros_like(decay.n),
                            pl=decay.pl, params=params, n_pulse=n_pulse, repetition_rate=rate,
                            state_before_pulse=np.array([x_before + nd, x_before, 0.0]),
                            iterations=iterations)


def _trap_trace(params, before, n_pulse, times, rate, iterations, solver, rtol):
    y0 = before + np.array([n_pulse, n_pulse, 0.0])
    _, y = _trap_integrate(params, y0, times, float(times[-1]), 0.0, solver, rtol)
    return PulseTrainResult(t=times, n=y[0], p=y[1], n_t=y[2], pl=params.B * y[0] * y[1],
                            params=params, n_pulse=n_pulse, repetition_rate=rate,
                            state_before_pulse=np.asarray(before, dtype=float),
                            iterations=iterations)


def _abc_fixed_point(params: ABCParameters, n_pulse: float, period: float,
                     solver: str, rtol: float) -> tuple[float, int]:
    """Excess density x before a pulse with F(x) = x, F the pulse-to-pulse map.

    Safeguarded Newton with the exact map derivative F'(x) = R(F(x)) / R(x + n_pulse) (the
    flow of a scalar autonomous ODE), bracketed by bisection: g(x) = F(x) - x decreases
    (0 < F' < 1), g(0) > 0.
    """
    a0, a1, a2 = params.coefficients

    def rate(x):
        return x * (a0 + x * (a1 + a2 * x))

    def g_and_slope(x):
        fx = _abc_flow(params, x + n_pulse, period, solver, rtol)
        return fx - x, rate(fx) / rate(x + n_pulse) - 1.0

    if _abc_flow(params, n_pulse, period, solver, rtol) <= 0:
        return 0.0, 1  # everything recombines (to underflow) between pulses
    lo, hi = 0.0, n_pulse
    while g_and_slope(hi)[0] > 0:
        lo, hi = hi, 4.0 * hi
    x = 0.5 * (lo + hi)
    for iteration in range(1, 101):
        g, slope = g_and_slope(x)
        if g == 0:  # exactly on the fixed point: a bisection step would walk away from it
            return x, iteration
        if g > 0:
            lo = x
        else:
            hi = x
        step = -g / slope if slope < 0 else math.inf
        x_new = x + step
        if not lo < x_new < hi:
            x_new = 0.5 * (lo + hi)
        tolerance = 1e-13 * max(x_new, 1e-3 * n_pulse)
        if abs(x_new - x) <= tolerance or hi - lo <= tolerance:
            return x_new, iteration
        x = x_new
    raise RuntimeError(  # pragma: no cover
        "periodic_steady_state: the ABC fixed point did not converge")


def _trap_flow_variational(params: TrapParameters, y0: np.ndarray, period: float,
                           scale: float, solver: str, rtol: float):
    """State after one period and its sensitivity Phi = dy(T)/dy(0), from the variational
    equations dPhi/dt = J(y) Phi integrated with the state (exact augmented Jacobian)."""
    c = _trap_constants(params)

    def rhs(_t, z):
        n, p, nt = z[0] * scale, z[1] * scale, z[2] * scale
        capture, release, radiative, auger, trapped = _rates(n, p, nt, c)
        j00, j01, j02, j10, j11, j12, j20, j21, j22 = _jacobian_entries(n, p, nt, c)
        f = z[3:]
        return np.array([
            (0.0 - capture + release - radiative - auger) / scale,
            (0.0 - radiative - auger - trapped) / scale,
            (capture - release - trapped) / scale,
            j00 * f[0] + j01 * f[3] + j02 * f[6], j00 * f[1] + j01 * f[4] + j02 * f[7],
            j00 * f[2] + j01 * f[5] + j02 * f[8],
            j10 * f[0] + j11 * f[3] + j12 * f[6], j10 * f[1] + j11 * f[4] + j12 * f[7],
            j10 * f[2] + j11 * f[5] + j12 * f[8],
            j20 * f[0] + j21 * f[3] + j22 * f[6], j20 * f[1] + j21 * f[4] + j22 * f[7],
            j20 * f[2] + j21 * f[5] + j22 * f[8]])

    def jac(_t, z):
        y = z[:3] * scale
        j = _trap_jacobian_values(y[0], y[1], y[2], params)
        phi = z[3:].reshape(3, 3)
        hess = _trap_hessian(y[0], y[1], params) * scale
        out = np.zeros((12, 12))
        out[:3, :3] = j
        out[3:, :3] = np.einsum("imk,mj->ijk", hess, phi).reshape(9, 3)
        out[3:, 3:] = np.kron(j, np.eye(3))
        return out

    z0 = np.concatenate((y0 / scale, np.eye(3).ravel()))
    sol = _check_solution(solve_ivp(rhs, (0.0, period), z0, method=solver, jac=jac, rtol=rtol,
                                    atol=rtol * 1e-3), "periodic_steady_state")
    z = sol.y[:, -1]
    return z[:3] * scale, z[3:].reshape(3, 3)


def _trap_fixed_point(params: TrapParameters, n_pulse: float, period: float, solver: str,
                      rtol: float, start: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """State before a pulse that the pulse-to-pulse map leaves unchanged.

    Newton on the reduced unknowns u = (p, n_t) (n follows from neutrality, which the map
    conserves, so the full 3x3 problem is singular), with the map Jacobian from the
    variational equations and step halving to stay inside the physical region; from
    ``start`` (n, p, n_t), or from the dark state when None.
    """
    nd, nt_max = params.doping, params.trap_density
    scale = max(n_pulse, nt_max, nd, 1.0)
    pulse = np.array([n_pulse, n_pulse, 0.0])
    u = (trap_equilibrium(params) if start is None else start)[1:].copy()

    def full(u_):
        return np.array([u_[0] + nd - u_[1], u_[0], u_[1]])

    def valid(u_):
        return u_[0] >= 0 and 0 <= u_[1] <= nt_max and u_[0] + nd - u_[1] >= 0

    for iteration in range(1, 61):
        y_end, phi = _trap_flow_variational(params, full(u) + pulse, period, scale, solver,
                                            rtol)
        g = y_end[1:] - u
        d_dp = phi[1:, 1] + phi[1:, 0]  # moving p moves n with it (neutrality)
        d_dnt = phi[1:, 2] - phi[1:, 0]
        jac = np.column_stack((d_dp, d_dnt)) - np.eye(2)
        try:
            step = np.linalg.solve(jac, -g)
        except np.linalg.LinAlgError:  # pragma: no cover - singular only without recombination
            step = g
        lam = 1.0
        while not valid(u + lam * step) and lam > 1e-6:
            lam *= 0.5
        u_new = u + lam * step
        if not valid(u_new):  # pragma: no cover - fall back on one application of the map
            u_new = np.clip(y_end[1:], 0.0, nt_max)
        change = np.max(np.abs(u_new - u))
        u = u_new
        if change <= max(1e-11, 0.1 * rtol) * scale:
            return full(u), iteration
    raise RuntimeError(  # pragma: no cover
        "periodic_steady_state: the trap-model fixed point did not converge")


def periodic_steady_state(model_params: ABCParameters | TrapParameters, n_pulse: float,
                          repetition_rate: float, t=None, points: int = 400,
                          solver: str = "LSODA", rtol: float = 1e-10,
                          initial_guess=None) -> PulseTrainResult:
    r"""TRPL under a pulse train once it has reached its periodic steady state.

    Parameters
    ----------
    model_params : ABCParameters or TrapParameters
        The recombination model.
    n_pulse : float
        Electron-hole pairs injected by each pulse [cm^-3], > 0.
    repetition_rate : float
        Pulses per second [Hz], > 0.
    t : array_like or None
        Times after a pulse [s], within [0, 1 / repetition_rate]; None for ``points`` equally
        spaced times over the whole period.
    points : int
        Number of times when ``t`` is None (>= 2).
    solver : {"LSODA", "Radau", "BDF"}
        Integrator for the solver-based maps, given analytic Jacobians (default LSODA).
    rtol : float
        Relative tolerance of the integrations [dimensionless], in [1e-13, 1e-3].
    initial_guess : array_like or None
        Trap model only: the state (n, p, n_t) [cm^-3] just before a pulse that Newton
        starts from, e.g. ``state_before_pulse`` of a nearby model (a sweep converges in
        fewer iterations); it must be charge neutral, n + n_t = p + N_D. None (default)
        starts from the dark state. The fixed point found is the same within the tolerance.

    Returns
    -------
    PulseTrainResult
        One period of densities [cm^-3] and PL [cm^-3 s^-1], and the state left from earlier
        pulses.

    Notes
    -----
    Let :math:`F` map the state just before a pulse to the state just before the next one:
    add :math:`n_{pulse}` to n and p, then evolve for :math:`T = 1/f`. The periodic steady
    state is the fixed point :math:`y^* = F(y^*)`, found directly (not by simulating
    thousands of pulses, which converges slowly exactly when accumulation matters
    Kiligaridis (2021)):

    - ABC model (one unknown, the leftover excess density x): Newton on
      :math:`g(x) = F(x) - x` with the exact derivative of the flow of a scalar autonomous
      ODE, :math:`F'(x) = R(F(x)) / R(x + n_{pulse})`, safeguarded by bisection.
    - Trap model: neutrality :math:`n + n_t = p + N_D` is conserved by F, so the unknowns are
      :math:`u = (p, n_t)`; Newton with the Jacobian of F from the variational equations
      :math:`\dot\Phi = J(y) \Phi`, integrated alongside the state with its exact Jacobian
      (second derivatives of the rates included), and step halving to keep densities
      physical.

    References
    ----------
    - A. Kiligaridis et al., Nat. Commun. 12, 3329 (2021).
      doi:10.1038/s41467-021-23275-w

    Examples
    --------
    At 80 MHz (12.5 ns between pulses) a film with a 200 ns lifetime never empties:

    >>> pst = periodic_steady_state(ABCParameters(A=5e6, B=9e-11, C=0.0), 1e15, 80e6)
    >>> print(f"{pst.leftover_fraction:.1f} pulses' worth of carriers left over")
    12.5 pulses' worth of carriers left over
    """
    n_pulse, rate, period, times = _pulse_train_inputs(model_params, n_pulse, repetition_rate,
                                                       t, points)
    solver = _validate.choice("solver", solver, _SOLVERS)
    rtol = _validate.in_range("rtol", rtol, 1e-13, 1e-3)
    if isinstance(model_params, ABCParameters):
        if initial_guess is not None:
            raise ValueError("initial_guess applies to the trap model only; pass None for "
                             "ABCParameters")
        x, iterations = _abc_fixed_point(model_params, n_pulse, period, solver, rtol)
        return _abc_trace(model_params, x, n_pulse, times, rate, iterations)
    start = None
    if initial_guess is not None:
        start = _initial_trap_state(model_params, initial_guess, "initial_guess")
    before, iterations = _trap_fixed_point(model_params, n_pulse, period, solver, rtol, start)
    return _trap_trace(model_params, before, n_pulse, times, rate, iterations, solver, rtol)


def pulse_train(model_params: ABCParameters | TrapParameters, n_pulse: float,
                repetition_rate: float, pulses: int, t=None, points: int = 400,
                solver: str = "LSODA", rtol: float = 1e-10) -> PulseTrainResult:
    """Brute force: simulate ``pulses`` pulses one after the other from the dark state.

    The reference :func:`periodic_steady_state` is tested against; slow when carriers
    accumulate over many pulses (each pulse is one ODE integration).

    Parameters
    ----------
    model_params : ABCParameters or TrapParameters
        The recombination model.
    n_pulse : float
        Electron-hole pairs injected by each pulse [cm^-3], > 0.
    repetition_rate : float
        Pulses per second [Hz], > 0.
    pulses : int
        Number of pulses (>= 1); the result is the period after the last one.
    t : array_like or None
        Times after the last pulse [s], within one period; None for ``points`` equally
        spaced times.
    points : int
        Number of times when ``t`` is None (>= 2).
    solver : {"LSODA", "Radau", "BDF"}
        Integrator, given analytic Jacobians (default LSODA).
    rtol : float
        Relative tolerance [dimensionless], in [1e-13, 1e-3].

    Returns
    -------
    PulseTrainResult
        The period after the last pulse [cm^-3, cm^-3 s^-1]; ``iterations`` = ``pulses``.
    """
    n_pulse, rate, period, times = _pulse_train_inputs(model_params, n_pulse, repetition_rate,
                                                       t, points)
    pulses = _validate.integer("pulses", pulses, 1)
    solver = _validate.choice("solver", solver, _SOLVERS)
    rtol = _validate.in_range("rtol", rtol, 1e-13, 1e-3)
    if isinstance(model_params, ABCParameters):
        x = 0.0
        for _ in range(pulses - 1):
            x = _abc_flow(model_params, x + n_pulse, period, solver, rtol)
        return _abc_trace(model_params, x, n_pulse, times, rate, pulses)
    state = trap_equilibrium(model_params)
    pulse = np.array([n_pulse, n_pulse, 0.0])
    for _ in range(pulses - 1):
        _, y = _trap_integrate(model_params, state + pulse, None, period, 0.0, solver, rtol)
        state = np.maximum(y[:3, -1], 0.0)
    return _trap_trace(model_params, state, n_pulse, times, rate, pulses, solver, rtol)
