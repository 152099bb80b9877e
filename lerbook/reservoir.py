"""The lattice energy reservoir (LER): its energy bookkeeping and its slow population.

The lattice-energy-reservoir perspective pictures strained nanodomains in a metal halide
perovskite whose interfaces conduct heat poorly: phonon energy injected inside a domain (by hot
carriers cooling, by non-radiative recombination) leaks out only slowly through the boundary,
so the domain stores it and can hand part of it back to carriers. This module gives three
descriptions of that idea, from the simplest to the most detailed, plus one slow model that the
recombination, ultraslow and ion chapters reuse.

1. :func:`energy_balance`: a lumped (zero-dimensional) energy balance of one domain,
   ``dU/dt = p(t) - U / tau`` with the thermal lifetime ``tau = C_v d / (6 G_K)``.
2. :func:`heat_injection_2d`: 2D heat diffusion through a square cross-section with a square
   domain at its centre whose boundary has a low (Kapitza) conductance; sparse implicit solver.
3. :func:`reservoir_density`: the slow kinetics of the *number* of reservoirs,
   ``dn/dt = kappa p(t) (1 - n / n_max) - n / tau_LER``.

Two very different time scales, and what the book must say about them
-----------------------------------------------------------------------
The thermal lifetime of *one* domain follows from its heat capacity and the conductance of its
boundary. With the MAPbI3 heat capacity (~1.25 J cm^-3 K^-1) [1]_ [5]_, its thermal conductivity
[2]_, and interface conductances measured for the softest solid-solid and organic-inorganic
interfaces (~1e7-1e8 W m^-2 K^-1) [3]_ [4]_, a 20 nm
domain keeps its excess phonon energy for ``tau = C_v d / (6 G_K)`` ~ 0.04-0.4 ns: picoseconds to
nanoseconds, not seconds. Even a conductance a thousand times lower than any measured interface
only reaches microseconds. Thermal storage in a domain therefore cannot, by itself, explain
photobrightening over tens of seconds and dark recovery over minutes.

The slow population kinetics (:class:`ReservoirKinetics`) is a separate hypothesis: that the
domains *themselves* form under illumination (driven by deposited phonon energy, with a yield
``kappa``) and disappear in the dark over ``tau_LER`` (seconds to minutes), e.g. through strain
relaxation, cation reorientation or ion redistribution. Nothing in this module derives
``tau_LER`` from thermal transport; its parameters are illustrative and chosen to reproduce the
time scales the perspective reports. The book presents it as a phenomenological model to be
tested, not as a consequence of the heat balance.

The heating is small too: under one sun (about 100 mW cm^-2 absorbed within a few hundred nm,
~0.4-0.5 eV of excess energy per carrier, so p ~ 1e2-1e3 W cm^-3) the steady excess of a domain
over its surroundings, ``p tau / C_v = p d / (6 G_K)``, is ~1e-7 K (independent of C_v); an
intense pulse depositing 0.1 J cm^-3 at once raises it by ~0.08 K before it leaks away.

All public quantities use the field's units (see each docstring); SI is used internally for the
heat-transport calculations.

.. rubric:: References

.. [1] N. Onoda-Yamamuro, T. Matsuo, H. Suga, "Calorimetric and IR spectroscopic studies of
   phase transitions in methylammonium trihalogenoplumbates (II)", J. Phys. Chem. Solids 51,
   1383-1395 (1990). doi:10.1016/0022-3697(90)90021-7
.. [2] A. Pisoni et al., "Ultra-low thermal conductivity in organic-inorganic hybrid perovskite
   CH3NH3PbI3", J. Phys. Chem. Lett. 5, 2488-2492 (2014). doi:10.1021/jz5012109
.. [3] R. Y. Wang, R. A. Segalman, A. Majumdar, "Room temperature thermal conductance of
   alkanedithiol self-assembled monolayers", Appl. Phys. Lett. 89, 173113 (2006).
   doi:10.1063/1.2358856
.. [4] D. G. Cahill et al., "Nanoscale thermal transport. II. 2003-2012", Appl. Phys. Rev. 1,
   011305 (2014). doi:10.1063/1.4832615
.. [5] T. Haeger, R. Heiderhoff, T. Riedl, "Thermal properties of metal-halide perovskites",
   J. Mater. Chem. C 8, 14289-14311 (2020). doi:10.1039/D0TC03754K
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from lerbook import _validate
from lerbook.materials import MATERIALS
from lerbook.units import CM3_PER_M3, ELEMENTARY_CHARGE, M_PER_NM

__all__ = [
    "SOURCES",
    "PiecewiseDrive",
    "EnergyBalance",
    "EnergyBalanceResult",
    "energy_balance",
    "energy_balance_rate",
    "injected_power_density",
    "ReservoirKinetics",
    "ReservoirDensityResult",
    "reservoir_density",
    "reservoir_density_rate",
    "steady_state_density",
    "rise_rate",
    "Nanodomain2D",
    "Nanodomain2DResult",
    "heat_injection_2d",
]

#: Citation key (in ``book/references.bib``) of each literature-based default.
#: Defaults not listed here (domain and box sizes, all :class:`ReservoirKinetics` values) are
#: illustrative. ``interface_conductance`` has no measurement for a strained perovskite
#: nanodomain boundary: its default is an assumption placed at the low end of measured soft
#: interfaces, and the keys point to those analogues.
SOURCES = MappingProxyType(
    {
        "heat_capacity": ("onodayamamuro1990calorimetric", "haeger2020thermal"),
        "interface_conductance": ("wang2006room", "cahill2014nanoscale"),
        "k_domain": ("pisoni2014thermal",),
        "k_matrix": ("pisoni2014thermal",),
    }
)

# Defaults shared by the lumped and the 2D model: MAPbI3 near 300 K, as in lerbook.materials.
_HEAT_CAPACITY = MATERIALS["MAPbI3"].heat_capacity  # J cm^-3 K^-1
_THERMAL_CONDUCTIVITY = MATERIALS["MAPbI3"].thermal_conductivity  # W m^-1 K^-1
_INTERFACE_CONDUCTANCE = 1.0e7  # W m^-2 K^-1, assumption (see SOURCES)

#: Largest grid (cells per side) and number of time steps of the 2D model: the whole temperature
#: history is stored, (steps + 1) x cells^2 floats.
MAX_CELLS = 256
MAX_STEPS = 10_000



# --------------------------------------------------------------------------------------------
# Validation helpers for arrays (the scalar checks live in lerbook._validate)
# --------------------------------------------------------------------------------------------
# --------------------------------------------------------------------------------------------
# Piecewise-constant drive and the exact first-order relaxation solver
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PiecewiseDrive:
    """A drive (illumination, injected power) that is constant on consecutive segments.

    Segment ``i`` lasts ``durations[i]`` and has the value ``levels[i]``; the first segment starts
    at t = 0. Outside ``[0, total_duration)`` the drive is off (level 0), so a simulation that
    runs past the last segment sees the dark.

    Parameters
    ----------
    durations : tuple of float
        Length of each segment [s], each finite and > 0.
    levels : tuple of float
        Value of the drive on each segment, each finite and >= 0 [the drive's unit, e.g.
        W cm^-3 for an injected phonon power density]. Same length as ``durations``.

    Examples
    --------
    >>> drive = PiecewiseDrive.on_off(level=2.0, on_duration=10.0, off_duration=5.0)
    >>> drive.edges.tolist()
    [0.0, 10.0, 15.0]
    >>> drive.level_at([0.0, 9.9, 10.0, 20.0]).tolist()
    [2.0, 2.0, 0.0, 0.0]
    """

    durations: tuple[float, ...]
    levels: tuple[float, ...]

    def __post_init__(self):
        durations = self._as_tuple("durations", self.durations)
        levels = self._as_tuple("levels", self.levels)
        if len(durations) == 0:
            raise ValueError("durations must hold at least one segment, got ()")
        if len(levels) != len(durations):
            raise ValueError(
                f"levels must have the same length as durations ({len(durations)}), "
                f"got {len(levels)} levels"
            )
        durations = tuple(
            _validate.positive(f"durations[{i}]", d, "s") for i, d in enumerate(durations)
        )
        levels = tuple(_validate.non_negative(f"levels[{i}]", v) for i, v in enumerate(levels))
        object.__setattr__(self, "durations", durations)
        object.__setattr__(self, "levels", levels)

    @staticmethod
    def _as_tuple(name: str, value) -> tuple:
        if np.ndim(value) == 0:
            raise ValueError(f"{name} must be a sequence of numbers, got {value!r}")
        return tuple(np.asarray(value, dtype=object).ravel().tolist())

    @classmethod
    def constant(cls, level: float, duration: float) -> PiecewiseDrive:
        """A drive at ``level`` [drive unit] for ``duration`` [s], off afterwards.

        Parameters
        ----------
        level : float
            Drive level [drive unit].
        duration : float
            How long it lasts [s], > 0.

        Returns
        -------
        PiecewiseDrive
            The one-segment drive.
        """
        return cls((duration,), (level,))

    @classmethod
    def on_off(cls, level: float, on_duration: float, off_duration: float) -> PiecewiseDrive:
        """On at ``level`` [drive unit] for ``on_duration`` [s], then off for
        ``off_duration`` [s].

        Parameters
        ----------
        level : float
            Drive level while on [drive unit].
        on_duration, off_duration : float
            Durations on and off [s], > 0.

        Returns
        -------
        PiecewiseDrive
            The two-segment drive.
        """
        return cls((on_duration, off_duration), (level, 0.0))

    @classmethod
    def square_wave(cls, level: float, on_duration: float, off_duration: float,
                    cycles: int) -> PiecewiseDrive:
        """``cycles`` repetitions of on (``level`` for ``on_duration`` [s]) then off
        (``off_duration`` [s]): an illumination protocol with dark intervals.

        Parameters
        ----------
        level : float
            Drive level while on [drive unit].
        on_duration, off_duration : float
            Durations on and off [s], > 0.
        cycles : int
            Number of on-off cycles, >= 1.

        Returns
        -------
        PiecewiseDrive
            The drive of 2 ``cycles`` segments.
        """
        cycles = _validate.integer("cycles", cycles, 1)
        return cls((on_duration, off_duration) * cycles, (level, 0.0) * cycles)

    @property
    def edges(self) -> np.ndarray:
        """Segment boundaries [s]: ``[0, d0, d0 + d1, ...]``, length ``len(durations) + 1``."""
        return np.concatenate(([0.0], np.cumsum(self.durations)))

    @property
    def total_duration(self) -> float:
        """Sum of the durations [s]."""
        return float(self.edges[-1])

    def level_at(self, t) -> np.ndarray:
        """Drive level at times ``t`` [s] (vectorised); 0 before t = 0 and after the last edge.

        Each segment includes its start and excludes its end, so at an edge the new level
        applies.

        Parameters
        ----------
        t : float or array_like
            Times [s].

        Returns
        -------
        numpy.ndarray
            The drive level at each time [drive unit].
        """
        t = np.asarray(t, dtype=float)
        extended = np.array((0.0, *self.levels, 0.0))
        index = np.searchsorted(self.edges, t, side="right")
        return extended[index]


def _relax_step(y0, source, rate, dt):
    """Exact solution of dy/dt = source - rate * y after a time ``dt`` from ``y0``.

    ``y = y0 exp(-k dt) + s (1 - exp(-k dt)) / k``, written with expm1 so it stays accurate for
    small ``k dt`` and reduces to ``y0 + s dt`` for ``k = 0``.
    """
    rate = np.asarray(rate, dtype=float)
    dt = np.asarray(dt, dtype=float)
    kdt = rate * dt
    safe_rate = np.where(rate > 0, rate, 1.0)
    gain = np.where(rate > 0, -np.expm1(-kdt) / safe_rate, dt)
    return y0 * np.exp(-kdt) + source * gain


def _relax_piecewise(t, drive: PiecewiseDrive, source_per_level, rate_per_level,
                     initial: float = 0.0) -> np.ndarray:
    """Exact solution of ``dy/dt = s(t) - k(t) y`` for a piecewise-constant drive.

    On each segment of ``drive`` (and on the dark tail after it, level 0) the source ``s`` and
    the rate ``k`` are constant, functions of the segment's level only; ``y`` is continuous at
    the edges. The value at each segment start follows from the previous segment's closed form;
    the value at each requested time from its own segment's closed form.

    Parameters
    ----------
    t : array_like
        Times at which to evaluate ``y`` [s], finite and >= 0, any order and shape.
    drive : PiecewiseDrive
        The drive; ``y(0) = initial``.
    source_per_level, rate_per_level : callable
        Vectorised maps from an array of levels [drive unit] to the source [y unit s^-1] and to
        the rate [s^-1] (the rate must be >= 0).
    initial : float
        ``y(0)`` [y unit].

    Returns
    -------
    numpy.ndarray
        ``y(t)`` with the shape of ``t`` [y unit].
    """
    times = _validate.array("t", t, "s", low=0.0, min_size=0,
                            reason="the solvers start at t = 0")
    levels = np.array((*drive.levels, 0.0))
    source = np.broadcast_to(np.asarray(source_per_level(levels), dtype=float), levels.shape)
    rate = np.broadcast_to(np.asarray(rate_per_level(levels), dtype=float), levels.shape)
    if not np.all(np.isfinite(source)):
        raise ValueError("the source must be finite on every segment")
    if np.any(rate < 0) or not np.all(np.isfinite(rate)):
        raise ValueError("the relaxation rate must be finite and >= 0 on every segment")
    edges = drive.edges
    durations = np.diff(edges)
    start_values = np.empty(levels.size)
    y = float(initial)
    for i, duration in enumerate(durations):
        start_values[i] = y
        y = float(_relax_step(y, source[i], rate[i], duration))
    start_values[-1] = y
    segment = np.searchsorted(edges, times, side="right") - 1
    segment = np.clip(segment, 0, levels.size - 1)
    return _relax_step(start_values[segment], source[segment], rate[segment],
                       times - edges[segment])


# --------------------------------------------------------------------------------------------
# 1. Lumped energy balance of one reservoir
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EnergyBalance:
    r"""Lumped energy balance of one nanodomain (the reservoir) behind a Kapitza interface.

    Parameters
    ----------
    domain_size_nm : float
        Diameter of a spherical domain, or side of a cubic one [nm]; both have A/V = 6/d.
    interface_conductance : float
        Interface (Kapitza) conductance G_K of the domain boundary [W m^-2 K^-1]. No measurement
        exists for a strained perovskite nanodomain boundary: the default 1e7 is an assumption at
        the low end of measured soft interfaces (alkanedithiol monolayer junctions,
        ~2.6e7 [3]_; solid-solid interfaces at room temperature span ~1e7-1e9 [4]_).
    heat_capacity : float
        Volumetric heat capacity C_v of the domain [J cm^-3 K^-1]. Default 1.25, MAPbI3 near 300 K
        from calorimetry [1]_ (~0.30 J g^-1 K^-1 times 4.16 g cm^-3, +-10 %; see also the
        review [5]_).

    Notes
    -----
    The domain is taken as isothermal (small Biot number ``G_K d / (6 k)``, ~0.07 for the defaults
    with k = 0.5 W m^-1 K^-1), and the lattice around it as a bath at the lattice temperature.
    That neglects the spreading resistance of the lattice around the domain: for a sphere of
    radius R in a matrix of the same conductivity k the lifetime is longer by the factor
    (1 + G_K R / k), 20 % for the defaults. :func:`heat_injection_2d` includes it.
    Its excess energy density U [J cm^-3] obeys

    .. math::

        \frac{dU}{dt} = p(t) - \frac{U}{\tau}, \qquad
        \tau = \frac{C_v V}{G_K A} = \frac{C_v d}{6 G_K},

    so its temperature rise is :math:`\Delta T = U / C_v`. With the defaults
    :math:`\tau \approx 0.42` ns: a single domain stores heat for ps-ns, which is why the slow
    (s-min) phenomena need :class:`ReservoirKinetics` (see the module docstring).

    References
    ----------
    .. [1] N. Onoda-Yamamuro, T. Matsuo, H. Suga, J. Phys. Chem. Solids 51, 1383 (1990).
       doi:10.1016/0022-3697(90)90021-7
    .. [3] R. Y. Wang, R. A. Segalman, A. Majumdar, Appl. Phys. Lett. 89, 173113 (2006).
       doi:10.1063/1.2358856
    .. [4] D. G. Cahill et al., Appl. Phys. Rev. 1, 011305 (2014). doi:10.1063/1.4832615
    .. [5] T. Haeger, R. Heiderhoff, T. Riedl, J. Mater. Chem. C 8, 14289 (2020).
       doi:10.1039/D0TC03754K

    Examples
    --------
    >>> params = EnergyBalance(domain_size_nm=20.0)
    >>> print(f"{params.lifetime * 1e9:.3f} ns")
    0.417 ns
    """

    domain_size_nm: float = 20.0
    interface_conductance: float = _INTERFACE_CONDUCTANCE
    heat_capacity: float = _HEAT_CAPACITY

    def __post_init__(self):
        for name, unit in (("domain_size_nm", "nm"),
                           ("interface_conductance", "W m^-2 K^-1"),
                           ("heat_capacity", "J cm^-3 K^-1")):
            object.__setattr__(self, name, _validate.positive(name, getattr(self, name), unit))

    @property
    def lifetime(self) -> float:
        """Thermal lifetime tau = C_v d / (6 G_K) of the stored energy [s]."""
        c_si = self.heat_capacity * CM3_PER_M3  # J m^-3 K^-1
        return c_si * self.domain_size_nm * M_PER_NM / (6.0 * self.interface_conductance)

    def steady_state_energy_density(self, power_density) -> np.ndarray:
        """Stored energy density p tau [J cm^-3] under a constant power density p [W cm^-3].

        Parameters
        ----------
        power_density : float or array_like
            Absorbed power density p [W cm^-3], >= 0.

        Returns
        -------
        numpy.ndarray
            Stored energy density [J cm^-3].
        """
        power = _validate.array("power_density", power_density, "W cm^-3", low=0.0, min_size=0)
        return power * self.lifetime


@dataclass(frozen=True)
class EnergyBalanceResult:
    """Result of :func:`energy_balance`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s].
    power_density : numpy.ndarray
        Injected phonon power density p(t) [W cm^-3].
    energy_density : numpy.ndarray
        Stored excess energy density U(t) [J cm^-3].
    temperature_rise : numpy.ndarray
        Temperature rise of the domain U / C_v [K].
    lifetime : float
        Thermal lifetime tau [s].
    params : EnergyBalance
        The parameters used.
    """

    t: np.ndarray
    power_density: np.ndarray
    energy_density: np.ndarray
    temperature_rise: np.ndarray
    lifetime: float
    params: EnergyBalance = field(repr=False)


def energy_balance_rate(t, u, params: EnergyBalance, power_density) -> np.ndarray:
    """Right-hand side dU/dt = p - U / tau of the lumped balance [J cm^-3 s^-1].

    Parameters
    ----------
    t : float
        Time [s] (unused: the rate law is autonomous; kept for the common signature).
    u : array_like
        Stored energy density U [J cm^-3].
    params : EnergyBalance
        Reservoir parameters.
    power_density : array_like
        Injected phonon power density p [W cm^-3].

    Returns
    -------
    numpy.ndarray
        dU/dt [J cm^-3 s^-1].
    """
    return np.asarray(power_density, dtype=float) - np.asarray(u, dtype=float) / params.lifetime


def energy_balance(params: EnergyBalance, drive: PiecewiseDrive, t,
                   initial_energy: float = 0.0) -> EnergyBalanceResult:
    r"""Stored energy of one reservoir under a piecewise-constant injected power density.

    Parameters
    ----------
    params : EnergyBalance
        Reservoir parameters.
    drive : PiecewiseDrive
        Injected phonon power density p(t) [W cm^-3] (levels in W cm^-3); 0 after its end.
    t : array_like
        Times [s], finite and >= 0.
    initial_energy : float
        Stored energy density at t = 0 [J cm^-3].

    Returns
    -------
    EnergyBalanceResult
        U(t) [J cm^-3] and the temperature rise [K] at the times ``t``.

    Notes
    -----
    On each segment with constant p the balance :math:`dU/dt = p - U/\tau` has the closed form

    .. math::

        U(t) = U(t_i)\, e^{-(t - t_i)/\tau} + p \tau \left(1 - e^{-(t - t_i)/\tau}\right),

    applied segment by segment (no time stepping, exact at any t).

    Examples
    --------
    >>> params = EnergyBalance()
    >>> tau = params.lifetime
    >>> drive = PiecewiseDrive.on_off(100.0, on_duration=10 * tau, off_duration=10 * tau)
    >>> result = energy_balance(params, drive, [10 * tau, 11 * tau])
    >>> print(f"{result.energy_density[0] / (100.0 * tau):.4f}")
    1.0000
    >>> print(f"{result.energy_density[1] / result.energy_density[0]:.4f}")
    0.3679
    """
    initial_energy = _validate.non_negative("initial_energy", initial_energy, "J cm^-3")
    times = _validate.array("t", t, "s", low=0.0, min_size=0,
                            reason="the solvers start at t = 0")
    rate = 1.0 / params.lifetime
    energy = _relax_piecewise(times, drive, lambda p: p, lambda p: np.full_like(p, rate),
                              initial_energy)
    return EnergyBalanceResult(
        t=times,
        power_density=drive.level_at(times),
        energy_density=energy,
        temperature_rise=energy / params.heat_capacity,
        lifetime=params.lifetime,
        params=params,
    )


def injected_power_density(generation_rate, excess_energy) -> np.ndarray:
    """Phonon power density deposited by carriers that thermalise: p = G dE q.

    Parameters
    ----------
    generation_rate : array_like
        Carrier generation rate G [cm^-3 s^-1], >= 0.
    excess_energy : array_like
        Energy each carrier hands to the lattice dE [eV], >= 0 (e.g. photon energy minus band
        gap for hot-carrier cooling).

    Returns
    -------
    numpy.ndarray
        p [W cm^-3].

    Examples
    --------
    >>> print(f"{float(injected_power_density(1e21, 0.5)):.1f} W cm^-3")
    80.1 W cm^-3
    """
    generation = _validate.array("generation_rate", generation_rate, "cm^-3 s^-1", low=0.0,
                                 min_size=0)
    energy = _validate.array("excess_energy", excess_energy, "eV", low=0.0, min_size=0)
    return generation * energy * ELEMENTARY_CHARGE


# --------------------------------------------------------------------------------------------
# 3. Slow reservoir-density kinetics
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReservoirKinetics:
    r"""Slow kinetics of the reservoir density: formation under illumination, decay in the dark.

    The model the recombination, ultraslow and ion chapters share: a reservoir density that rises
    under illumination and decays in the dark with a long lifetime, saturating at a maximum.

    Parameters
    ----------
    formation_yield : float
        kappa, reservoirs formed per joule of deposited phonon energy [J^-1].
    lifetime : float
        tau_LER, lifetime of a reservoir in the dark [s] (seconds to minutes).
    max_density : float
        n_max, largest reservoir density the material can host [cm^-3].

    Notes
    -----
    .. math::

        \frac{dn}{dt} = \kappa\, p(t) \left(1 - \frac{n}{n_{max}}\right)
                         - \frac{n}{\tau_{LER}}
                       = \kappa p - \left(\frac{\kappa p}{n_{max}}
                         + \frac{1}{\tau_{LER}}\right) n ,

    linear in n at constant p, so under a constant p the density approaches

    .. math::

        n_{ss} = \frac{\kappa p}{\kappa p / n_{max} + 1/\tau_{LER}}
               = n_{max} \frac{p}{p + p_{1/2}}, \qquad
        p_{1/2} = \frac{n_{max}}{\kappa \tau_{LER}},

    always below n_max, with the rise rate :math:`\kappa p / n_{max} + 1/\tau_{LER}`
    (faster at higher p), and decays in the dark at :math:`1/\tau_{LER}`.

    This is a phenomenological population model, *not* the thermal relaxation of
    :class:`EnergyBalance`: one domain loses its heat in ps-ns through its boundary, while these
    s-min time scales must come from the slow formation and annihilation of the domains
    themselves (strain relaxation, cation reorientation, ion redistribution). The defaults are
    illustrative, chosen to match what the LER perspective reports (brightening over tens of
    seconds to minutes, recovery in the dark over minutes): with p = 100 W cm^-3 the density
    rises with a time constant of ~55 s to ~0.55 n_max, and recovers in the dark over
    tau_LER = 120 s. n_max = 1e16 cm^-3 corresponds to ~8 % of the volume filled with 20 nm
    cubic domains.

    Examples
    --------
    >>> params = ReservoirKinetics()
    >>> print(f"{1 / params.rise_rate(100.0):.0f} s, {params.steady_state(100.0):.2e} cm^-3")
    55 s, 5.45e+15 cm^-3
    """

    formation_yield: float = 1.0e12
    lifetime: float = 120.0
    max_density: float = 1.0e16

    def __post_init__(self):
        for name, unit in (("formation_yield", "J^-1"), ("lifetime", "s"),
                           ("max_density", "cm^-3")):
            object.__setattr__(self, name, _validate.positive(name, getattr(self, name), unit))

    @property
    def half_saturation_power_density(self) -> float:
        """Power density p_1/2 = n_max / (kappa tau_LER) giving n_ss = n_max / 2 [W cm^-3]."""
        return self.max_density / (self.formation_yield * self.lifetime)

    def rise_rate(self, power_density) -> np.ndarray:
        """Approach rate kappa p / n_max + 1 / tau_LER at power density p [W cm^-3] [s^-1].

        Parameters
        ----------
        power_density : float or array_like
            Heat power density p [W cm^-3], >= 0.

        Returns
        -------
        numpy.ndarray
            The approach rate [s^-1].
        """
        return rise_rate(self, power_density)

    def steady_state(self, power_density) -> np.ndarray:
        """Steady-state density under a constant power density p [W cm^-3] [cm^-3].

        Parameters
        ----------
        power_density : float or array_like
            Heat power density p [W cm^-3], >= 0.

        Returns
        -------
        numpy.ndarray
            Steady-state reservoir density [cm^-3].
        """
        return steady_state_density(self, power_density)


@dataclass(frozen=True)
class ReservoirDensityResult:
    """Result of :func:`reservoir_density`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s].
    power_density : numpy.ndarray
        Deposited phonon power density p(t) [W cm^-3].
    density : numpy.ndarray
        Reservoir density n(t) [cm^-3].
    params : ReservoirKinetics
        The parameters used.
    """

    t: np.ndarray
    power_density: np.ndarray
    density: np.ndarray
    params: ReservoirKinetics = field(repr=False)

    @property
    def relative_density(self) -> np.ndarray:
        """n / n_max [dimensionless]."""
        return self.density / self.params.max_density


def rise_rate(params: ReservoirKinetics, power_density) -> np.ndarray:
    """Rate kappa p / n_max + 1 / tau_LER at which n approaches its steady state [s^-1].

    Parameters
    ----------
    params : ReservoirKinetics
        Kinetic parameters.
    power_density : array_like
        Deposited phonon power density p [W cm^-3], >= 0.

    Returns
    -------
    numpy.ndarray
        The rise rate [s^-1]; 1 / tau_LER in the dark.
    """
    p = _validate.array("power_density", power_density, "W cm^-3", low=0.0, min_size=0)
    return params.formation_yield * p / params.max_density + 1.0 / params.lifetime


def steady_state_density(params: ReservoirKinetics, power_density) -> np.ndarray:
    """Steady-state reservoir density n_ss = kappa p / (kappa p / n_max + 1 / tau_LER) [cm^-3].

    Parameters
    ----------
    params : ReservoirKinetics
        Kinetic parameters.
    power_density : array_like
        Constant deposited phonon power density p [W cm^-3], >= 0.

    Returns
    -------
    numpy.ndarray
        n_ss [cm^-3], always < n_max.
    """
    p = _validate.array("power_density", power_density, "W cm^-3", low=0.0, min_size=0)
    return params.formation_yield * p / rise_rate(params, p)


def reservoir_density_rate(t, n, params: ReservoirKinetics, power_density) -> np.ndarray:
    """Right-hand side dn/dt = kappa p (1 - n / n_max) - n / tau_LER [cm^-3 s^-1].

    Parameters
    ----------
    t : float
        Time [s] (unused: the rate law is autonomous; kept for the common signature).
    n : array_like
        Reservoir density [cm^-3].
    params : ReservoirKinetics
        Kinetic parameters.
    power_density : array_like
        Deposited phonon power density p [W cm^-3].

    Returns
    -------
    numpy.ndarray
        dn/dt [cm^-3 s^-1].
    """
    n = np.asarray(n, dtype=float)
    p = np.asarray(power_density, dtype=float)
    return (params.formation_yield * p * (1.0 - n / params.max_density)
            - n / params.lifetime)


def reservoir_density(params: ReservoirKinetics, drive: PiecewiseDrive, t,
                      initial_density: float = 0.0) -> ReservoirDensityResult:
    r"""Reservoir density under a piecewise-constant deposited power density (exact).

    Parameters
    ----------
    params : ReservoirKinetics
        Kinetic parameters.
    drive : PiecewiseDrive
        Deposited phonon power density p(t) [W cm^-3]; dark (0) after its end.
    t : array_like
        Times [s], finite and >= 0.
    initial_density : float
        n(0) [cm^-3], in [0, n_max].

    Returns
    -------
    ReservoirDensityResult
        n(t) [cm^-3] at the times ``t``.

    Notes
    -----
    On a segment with constant p the rate law is linear,
    :math:`dn/dt = \kappa p - r(p)\, n` with :math:`r = \kappa p/n_{max} + 1/\tau_{LER}`,
    so

    .. math::

        n(t) = n(t_i)\, e^{-r (t - t_i)} + n_{ss}(p) \left(1 - e^{-r (t - t_i)}\right).

    Examples
    --------
    Two minutes of light, then three minutes of dark:

    >>> params = ReservoirKinetics()
    >>> drive = PiecewiseDrive.on_off(100.0, on_duration=120.0, off_duration=180.0)
    >>> result = reservoir_density(params, drive, [120.0, 300.0])
    >>> print(", ".join(f"{x:.2f}" for x in result.relative_density))
    0.49, 0.11
    """
    initial_density = _validate.in_range("initial_density", initial_density, 0.0,
                                         params.max_density, "cm^-3")
    times = _validate.array("t", t, "s", low=0.0, min_size=0,
                            reason="the solvers start at t = 0")
    density = _relax_piecewise(
        times, drive,
        lambda p: params.formation_yield * p,
        lambda p: params.formation_yield * p / params.max_density + 1.0 / params.lifetime,
        initial_density,
    )
    return ReservoirDensityResult(t=times, power_density=drive.level_at(times),
                                  density=density, params=params)


# --------------------------------------------------------------------------------------------
# 2. Heat diffusion in a 2D cross-section of a nanodomain with a low-conductance boundary
# --------------------------------------------------------------------------------------------
_OUTER_BOUNDARIES = ("insulated", "heat_sink")


@dataclass(frozen=True)
class Nanodomain2D:
    r"""A square nanodomain with a Kapitza boundary at the centre of a square 2D cell.

    Finite-volume model of a cross-section (per metre of depth): square cell of side L, square
    domain of side d at its centre, a cell-centred grid of ``cells`` x ``cells`` squares of side
    dx = L / cells. The domain edges must fall on cell faces (``domain_size_nm`` a whole number of
    cells, with the same number of matrix cells on each side): otherwise a ValueError lists the
    nearest valid sizes (see :meth:`valid_domain_sizes`).

    Parameters
    ----------
    box_size_nm : float
        Side L of the simulation cell [nm].
    domain_size_nm : float
        Side d of the central domain [nm], 0 < d < L, on cell faces.
    k_domain : float
        Thermal conductivity inside the domain [W m^-1 K^-1]. Default 0.5, MAPbI3 at room
        temperature (0.3-0.5 measured [2]_); the domain's own value is not known.
    k_matrix : float
        Thermal conductivity of the surrounding lattice [W m^-1 K^-1]. Default 0.5 [2]_.
    interface_conductance : float
        Kapitza conductance G_K of the domain boundary [W m^-2 K^-1]; an assumption, as in
        :class:`EnergyBalance` (default 1e7, analogues [3]_ [4]_).
    heat_capacity : float
        Volumetric heat capacity C_v, domain and matrix alike [J cm^-3 K^-1]. Default 1.25 [1]_.
    cells : int
        Cells per side (>= 3).
    outer_boundary : {"heat_sink", "insulated"}
        Outer walls held at the lattice temperature (temperature rise 0, reached through a
        half-cell conductance 2 k_matrix) or with zero heat flux.

    Notes
    -----
    Energy balance of cell i (per unit depth), temperature rise T_i [K]:

    .. math::

        C_v\, \Delta x^2 \frac{dT_i}{dt}
          = \sum_{j} g_{ij} (T_j - T_i) + q_i \Delta x^2, \qquad
        g_{ij} = \frac{\Delta x}{R_{ij}}, \quad
        R_{ij} = \frac{\Delta x / 2}{k_i} + \frac{[\text{i, j on opposite sides}]}{G_K}
                 + \frac{\Delta x / 2}{k_j},

    with q the injected power density [W m^-3] inside the domain, and for a heat-sink wall a face
    conductance :math:`g = 2 k_{matrix}` to T = 0. Time stepping is backward Euler,
    :math:`(C_v \Delta x^2/\Delta t\, I + K) T^{n+1} = C_v \Delta x^2/\Delta t\, T^n + s^{n+1}`,
    with K the symmetric conductance matrix factorised once (sparse LU) per (parameters, dt).
    The columns of K sum to zero for insulated walls, so the stored energy equals the injected
    energy to round-off. When conduction inside domain and matrix is fast, the domain is
    isothermal and its decay time tends to the lumped 2D value
    :math:`\tau = C_v d^2 / (4 d\, G_K) = C_v d / (4 G_K)` (:attr:`lumped_lifetime`).

    References
    ----------
    .. [1] N. Onoda-Yamamuro, T. Matsuo, H. Suga, J. Phys. Chem. Solids 51, 1383 (1990).
       doi:10.1016/0022-3697(90)90021-7
    .. [2] A. Pisoni et al., J. Phys. Chem. Lett. 5, 2488 (2014). doi:10.1021/jz5012109
    .. [3] R. Y. Wang, R. A. Segalman, A. Majumdar, Appl. Phys. Lett. 89, 173113 (2006).
       doi:10.1063/1.2358856
    .. [4] D. G. Cahill et al., Appl. Phys. Rev. 1, 011305 (2014). doi:10.1063/1.4832615

    Examples
    --------
    >>> params = Nanodomain2D()
    >>> print(f"dx = {params.dx_nm} nm, lumped tau = {params.lumped_lifetime * 1e9:.2f} ns")
    dx = 1.25 nm, lumped tau = 0.62 ns
    >>> Nanodomain2D.valid_domain_sizes(60.0, 12).tolist()
    [10.0, 20.0, 30.0, 40.0, 50.0]
    """

    box_size_nm: float = 60.0
    domain_size_nm: float = 20.0
    k_domain: float = _THERMAL_CONDUCTIVITY
    k_matrix: float = _THERMAL_CONDUCTIVITY
    interface_conductance: float = _INTERFACE_CONDUCTANCE
    heat_capacity: float = _HEAT_CAPACITY
    cells: int = 48
    outer_boundary: str = "heat_sink"

    def __post_init__(self):
        for name, unit in (("box_size_nm", "nm"), ("domain_size_nm", "nm"),
                           ("k_domain", "W m^-1 K^-1"), ("k_matrix", "W m^-1 K^-1"),
                           ("interface_conductance", "W m^-2 K^-1"),
                           ("heat_capacity", "J cm^-3 K^-1")):
            object.__setattr__(self, name, _validate.positive(name, getattr(self, name), unit))
        object.__setattr__(self, "cells", _validate.integer("cells", self.cells, 3))
        if self.cells > MAX_CELLS:
            raise ValueError(f"cells must lie in [3, {MAX_CELLS}], got {self.cells}")
        if self.outer_boundary not in _OUTER_BOUNDARIES:
            raise ValueError(
                f"outer_boundary must be one of {_OUTER_BOUNDARIES}, got {self.outer_boundary!r}"
            )
        if not self.domain_size_nm < self.box_size_nm:
            raise ValueError(
                f"domain_size_nm must be < box_size_nm = {self.box_size_nm:g} nm, "
                f"got {self.domain_size_nm!r}"
            )
        domain_cells = self.domain_size_nm / self.dx_nm
        whole = round(domain_cells)
        if (whole < 1 or abs(domain_cells - whole) > 1e-9 * max(1.0, domain_cells)
                or (self.cells - whole) % 2):
            valid = self.valid_domain_sizes(self.box_size_nm, self.cells)
            nearest = valid[np.argsort(np.abs(valid - self.domain_size_nm))[:2]]
            raise ValueError(
                f"domain_size_nm must put the domain edges on cell faces (a whole number of "
                f"cells dx = box_size_nm / cells = {self.dx_nm:g} nm, with equal margins), got "
                f"{self.domain_size_nm!r}; nearest valid values: "
                f"{', '.join(f'{v:g}' for v in np.sort(nearest))} nm"
            )

    @staticmethod
    def valid_domain_sizes(box_size_nm: float, cells: int) -> np.ndarray:
        """Domain sizes [nm] whose edges fall on cell faces for a box of ``box_size_nm`` [nm]
        split into ``cells`` cells per side (for sliders).

        Parameters
        ----------
        box_size_nm : float
            Side of the simulation box [nm], > 0.
        cells : int
            Cells per side, >= 1.

        Returns
        -------
        numpy.ndarray
            The allowed domain sizes [nm], increasing.
        """
        cells = _validate.integer("cells", cells, 3)
        box = _validate.positive("box_size_nm", box_size_nm, "nm")
        counts = np.arange(cells - 2, 0, -2)[::-1]
        return counts * box / cells

    @property
    def dx_nm(self) -> float:
        """Cell size L / cells [nm]."""
        return self.box_size_nm / self.cells

    @property
    def domain_cells(self) -> int:
        """Number of cells across the domain."""
        return round(self.domain_size_nm / self.dx_nm)

    @property
    def domain_mask(self) -> np.ndarray:
        """Boolean (cells, cells) array, True inside the domain (rows y, columns x)."""
        first = (self.cells - self.domain_cells) // 2
        inside = np.zeros(self.cells, dtype=bool)
        inside[first:first + self.domain_cells] = True
        return inside[:, None] & inside[None, :]

    @property
    def lumped_lifetime(self) -> float:
        """Lumped 2D decay time C_v d / (4 G_K) of an isothermal domain in a cold matrix [s]."""
        c_si = self.heat_capacity * CM3_PER_M3
        return c_si * self.domain_size_nm * M_PER_NM / (4.0 * self.interface_conductance)


@dataclass(frozen=True)
class Nanodomain2DResult:
    """Result of :func:`heat_injection_2d`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s], ``steps + 1`` values from 0.
    x_nm, y_nm : numpy.ndarray
        Cell-centre coordinates [nm], ``cells`` values each.
    temperature_rise : numpy.ndarray
        Temperature rise above the lattice, shape (steps + 1, cells, cells), indexed
        [time, y, x] [K].
    energy_domain : numpy.ndarray
        Excess energy inside the domain [J m^-1] (per metre of depth).
    energy_total : numpy.ndarray
        Excess energy in the whole cell [J m^-1].
    injected_energy : numpy.ndarray
        Energy injected since t = 0 [J m^-1].
    params : Nanodomain2D
        The parameters used.
    """

    t: np.ndarray
    x_nm: np.ndarray
    y_nm: np.ndarray
    temperature_rise: np.ndarray
    energy_domain: np.ndarray
    energy_total: np.ndarray
    injected_energy: np.ndarray
    params: Nanodomain2D = field(repr=False)

    @property
    def fraction_in_domain(self) -> np.ndarray:
        """Share of the excess energy held by the domain [dimensionless]; NaN where the cell
        holds no excess energy (e.g. t = 0)."""
        total = self.energy_total
        out = np.full(total.shape, np.nan)
        np.divide(self.energy_domain, total, out=out, where=total > 0)
        return out


def _face_conductances(params: Nanodomain2D) -> tuple[np.ndarray, np.ndarray]:
    """Conductances per unit depth of the interior x- and y-faces [W m^-1 K^-1]."""
    dx = params.dx_nm * M_PER_NM
    mask = params.domain_mask
    half_resistance = np.where(mask, 0.5 * dx / params.k_domain, 0.5 * dx / params.k_matrix)
    kapitza = 1.0 / params.interface_conductance
    # Faces between columns j and j+1 (x direction), shape (cells, cells - 1).
    r_x = (half_resistance[:, :-1] + half_resistance[:, 1:]
           + kapitza * (mask[:, :-1] != mask[:, 1:]))
    # Faces between rows i and i+1 (y direction), shape (cells - 1, cells).
    r_y = (half_resistance[:-1, :] + half_resistance[1:, :]
           + kapitza * (mask[:-1, :] != mask[1:, :]))
    return dx / r_x, dx / r_y


@functools.lru_cache(maxsize=32)
def _conductance_matrix(params: Nanodomain2D) -> sp.csc_matrix:
    """Symmetric conductance matrix K [W m^-1 K^-1] of the grid (heat leaves cell i as K T)."""
    n = params.cells
    index = np.arange(n * n).reshape(n, n)
    g_x, g_y = _face_conductances(params)
    rows = np.concatenate((index[:, :-1].ravel(), index[:-1, :].ravel()))
    cols = np.concatenate((index[:, 1:].ravel(), index[1:, :].ravel()))
    g = np.concatenate((g_x.ravel(), g_y.ravel()))
    diagonal = np.bincount(rows, weights=g, minlength=n * n) + np.bincount(
        cols, weights=g, minlength=n * n)
    if params.outer_boundary == "heat_sink":
        wall_faces = np.zeros((n, n))
        wall_faces[0, :] += 1
        wall_faces[-1, :] += 1
        wall_faces[:, 0] += 1
        wall_faces[:, -1] += 1
        diagonal = diagonal + 2.0 * params.k_matrix * wall_faces.ravel()
    off = sp.coo_matrix((-g, (rows, cols)), shape=(n * n, n * n))
    return (off + off.T + sp.diags(diagonal)).tocsc()


@functools.lru_cache(maxsize=32)
def _backward_euler_lu(params: Nanodomain2D, dt: float):
    """Sparse LU factors of (C_v dx^2 / dt) I + K, cached per (params, dt)."""
    dx = params.dx_nm * M_PER_NM
    capacity = params.heat_capacity * CM3_PER_M3 * dx * dx  # J m^-1 K^-1 per cell
    matrix = _conductance_matrix(params) + sp.identity(params.cells ** 2, format="csc") * (
        capacity / dt)
    # The matrix is symmetric positive definite and diagonally dominant: a symmetric fill-reducing
    # ordering without pivoting is stable and gives the sparsest factors (fastest solves).
    return splu(matrix.tocsc(), permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                options={"SymmetricMode": True})


def heat_injection_2d(params: Nanodomain2D, power_density: float, t_end: float,
                      steps: int = 100, injection_time: float | None = None
                      ) -> Nanodomain2DResult:
    r"""Inject phonon power uniformly into the nanodomain and follow the heat as it spreads.

    Parameters
    ----------
    params : Nanodomain2D
        Geometry and thermal parameters.
    power_density : float
        Injected phonon power density inside the domain [W cm^-3], >= 0.
    t_end : float
        Length of the simulation [s], > 0.
    steps : int
        Number of backward-Euler time steps (equal, dt = t_end / steps).
    injection_time : float or None
        Injection lasts from t = 0 to ``injection_time`` [s], then stops; None (default)
        injects during the whole run. Need not fall on a step: each step receives the exact
        energy injected during it.

    Returns
    -------
    Nanodomain2DResult
        Temperature rise maps [K] and energies per metre of depth [J m^-1].

    Notes
    -----
    See :class:`Nanodomain2D` for the discretisation. The injected energy is
    :math:`E_{in}(t) = q\, d^2 \min(t, t_{inj})` per unit depth; with insulated walls
    ``energy_total`` equals it to round-off (backward Euler conserves energy exactly because
    the conductance matrix has zero column sums).

    Examples
    --------
    A 1 ns burst (0.1 J cm^-3 deposited in the domain, roughly one intense laser pulse), heat-sink
    walls; the peak temperature rise and the share of the excess energy still in the domain at
    the end of the burst:

    >>> params = Nanodomain2D()
    >>> result = heat_injection_2d(params, power_density=1e8, t_end=2e-9, injection_time=1e-9)
    >>> print(f"{result.temperature_rise[50].max():.4f} K, {result.fraction_in_domain[50]:.2f}")
    0.0473 K, 0.71

    With insulated walls nothing is lost:

    >>> closed = heat_injection_2d(Nanodomain2D(outer_boundary="insulated"), 1e8, 2e-9)
    >>> print(f"{closed.energy_total[-1] / closed.injected_energy[-1]:.12f}")
    1.000000000000
    """
    power = _validate.non_negative("power_density", power_density, "W cm^-3")
    t_end = _validate.positive("t_end", t_end, "s")
    steps = _validate.integer("steps", steps, 1)
    if steps > MAX_STEPS:
        raise ValueError(f"steps must lie in [1, {MAX_STEPS}], got {steps} (the whole history is "
                         f"stored: {MAX_STEPS} steps of a {MAX_CELLS}-cell grid is already ~5 GB)")
    if injection_time is None:
        injection_time = t_end
    injection_time = _validate.non_negative("injection_time", injection_time, "s")

    n = params.cells
    dx = params.dx_nm * M_PER_NM
    dt = t_end / steps
    capacity = params.heat_capacity * CM3_PER_M3 * dx * dx  # J m^-1 K^-1 per cell
    mask = params.domain_mask.ravel()
    power_si = power * CM3_PER_M3  # W m^-3
    domain_area = mask.sum() * dx * dx  # m^2

    t = np.linspace(0.0, t_end, steps + 1)
    on_time = np.clip(np.minimum(t[1:], injection_time) - t[:-1], 0.0, None)  # s per step
    step_energy = power_si * domain_area * on_time  # J m^-1 injected in each step
    lu = _backward_euler_lu(params, dt)

    temperature = np.zeros((steps + 1, n * n))
    source_cell = np.where(mask, 1.0, 0.0) * (power_si * dx * dx)  # W m^-1 per domain cell
    state = np.zeros(n * n)
    for i in range(steps):
        rhs = (capacity / dt) * state
        if on_time[i] > 0:
            rhs = rhs + source_cell * (on_time[i] / dt)
        state = lu.solve(rhs)
        temperature[i + 1] = state

    energy_cells = capacity * temperature
    x = (np.arange(n) + 0.5) * params.dx_nm
    return Nanodomain2DResult(
        t=t,
        x_nm=x,
        y_nm=x.copy(),
        temperature_rise=temperature.reshape(steps + 1, n, n),
        energy_domain=energy_cells[:, mask].sum(axis=1),
        energy_total=energy_cells.sum(axis=1),
        injected_energy=np.concatenate(([0.0], np.cumsum(step_energy))),
        params=params,
    )
