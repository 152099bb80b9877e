r"""Ultraslow phenomena: photobrightening, dark recovery, memory and time-dependent TRPL.

Under continuous illumination the photoluminescence (PL) of many halide perovskite films rises
over seconds to minutes (photobrightening) and their TRPL decays lengthen; in the dark the change
reverses, and a second exposure responds faster than the first (memory) [ult-Tian2015]_
[ult-Chen2017]_. The lattice-energy-reservoir (LER) perspective [ult-Wen2024]_ explains all of
it with reservoirs that form slowly under illumination and live long in the dark. This module
couples the two models of the earlier chapters that describe that idea:

- the **fast** carrier kinetics of :mod:`lerbook.recombination` (free electrons n, free holes p,
  trapped electrons :math:`n_t`, with the reservoir term :math:`K\sigma' n_{LER} n_t` that
  returns trapped electrons to the band), state :math:`y = (n, p, n_t)`;
- the **slow** reservoir density of :mod:`lerbook.reservoir`,
  :math:`dn_{LER}/dt = \kappa\, P_{heat} (1 - n_{LER}/n_{max}) - n_{LER}/\tau_{LER}`,

joined by the heat the carriers deposit: every absorbed photon leaves its excess energy
:math:`E_{ph} - E_g` in the lattice (hot-carrier cooling) and every non-radiative
recombination (trap-assisted or Auger) leaves :math:`E_g`,

.. math::

    P_{heat} = q \left[ G\, (E_{ph} - E_g) + R_{nr}\, E_g \right],
    \qquad R_{nr} = \gamma_p n_t p + R_{Aug} .

As the reservoirs grow the PL quantum yield rises, so :math:`R_{nr}` and the heat fall: a weak
negative feedback that the solvers keep.

.. rubric:: Energy bookkeeping: the reservoir is a catalyst, not a store

Each release lifts a trapped electron by the trap depth :math:`E_t`. At the plateau under
200 mW cm^-2 the reservoirs release about 1.8 trapped electrons per absorbed photon,
:math:`q K\sigma' n_{LER} n_t E_t \approx` 1.2 kW cm^-3 at 0.4 eV each, some 30 % of the heat
deposited, yet nothing in the slow law draws :math:`n_{LER}` down: there is **no depletion
term**. In this model a reservoir is a catalyst, not an energy store: it opens a path by which
the lattice returns trapped electrons to the band, the energy of each release is drawn from
the lattice as a whole (which every capture pays :math:`E_t` into; :math:`P_{heat}` above is
the net heat, absorbed minus emitted power), and the reservoir survives the release. Chapter 2
raised the question (how many releases per pair the reservoirs could pay for); this chapter
answers it by that assumption, not by an energy balance of the reservoirs. A model in which
each release consumed part of a reservoir's energy would add a term
:math:`-\eta K\sigma' n_{LER} n_t` to :math:`dn_{LER}/dt` and give lower plateaus.

.. rubric:: Why the time scales separate, and when they do not

Carriers relax to their steady state (under CW light) or their periodic steady state (under a
pulse train) within a fast time :math:`\tau_{fast}`: nanoseconds to microseconds, the slowest
eigenvalue of the carrier Jacobian or of the pulse-to-pulse map
(:func:`timescale_separation`). The reservoir density changes over
:math:`\tau_{slow} = 1/(\kappa P_{heat}/n_{max} + 1/\tau_{LER})`, seconds to minutes. With
:math:`\varepsilon = \tau_{fast} / \tau_{slow} \ll 1` the carriers follow the reservoir
adiabatically: the fast state is the (periodic) steady state for the *current*
:math:`n_{LER}`, and the error of this approximation is of order :math:`\varepsilon`
(Tikhonov's theorem on singularly perturbed systems [ult-Kokotovic1999]_). For the chapter's
film, :math:`\varepsilon \sim 10^{-7}`. The approximation fails when the reservoir changes
within a carrier lifetime, i.e. for a reservoir lifetime or a rise time of microseconds, or for
pulse trains so slow (or carriers so long-lived, e.g. deep traps emptying over seconds) that
the fast kinetics never settle between changes of :math:`n_{LER}`; the tests compare
:func:`simulate` with :func:`full_integration`, the brute-force solution of the coupled system,
where the scales separate (CW light and a 1 MHz train) and where they do not (a reservoir as
fast as the carriers, and a pulse train whose period is as long as the reservoir's rise).

.. rubric:: The multi-timescale solver

:func:`simulate` never integrates pulse by pulse. On each segment of an
:class:`IlluminationProtocol` the fast (periodic) steady state depends on :math:`n_{LER}` only,
so it is computed on a few Chebyshev nodes of :math:`n_{LER}` (:func:`fast_response`:
:func:`lerbook.recombination.trap_steady_state` for CW,
:func:`~lerbook.recombination.periodic_steady_state` for a pulse train) and interpolated; the
slow ODE then advances by seconds with a stiff integrator (dark segments: the closed form of
:func:`lerbook.reservoir.reservoir_density`). The work is therefore ``table_points`` fast
solves per distinct illumination, whatever the number of pulses (a test counts them): a minute
at 1 MHz, 6e7 pulses, costs a few hundred milliseconds.

.. rubric:: A competing explanation

:class:`PassivationParameters` is the main alternative of the literature: light-activated
passivation of traps, e.g. by oxygen and photo-generated carriers [ult-Tian2015b]_
[ult-Mosconi2016]_ [ult-Galisteo2015]_. Passivated traps accumulate in proportion to the number
of absorbed photons, :math:`dN_p/dt = \phi\, G (1 - N_p/N_{p,max}) - N_p/\tau_{rec}`, and reduce
the trap density of the conventional model (no reservoir). The slow maths is the same
first-order law; what differs is what drives it (absorbed photons, not deposited heat), how
long it lasts in the dark, and what it changes in the fast kinetics. :func:`match_passivation`
tunes it to reproduce a given brightening curve, :func:`dose_response` runs the reciprocity
test. With a dark lifetime of hours the rival neither recovers nor breaks reciprocity; with
:math:`\tau_{rec}` of minutes it recovers, shows memory and breaks reciprocity like the
reservoirs, and only the excitation-wavelength test (heat against photon count) and the TRPL
shape (fewer traps against delayed emission) still tell the two apart.

Parameter values are **illustrative**: the perspective reports the phenomena and their time
scales (e.g. a MAPbI3 nanoplatelet under 405 nm at 200 mW cm^-2) but gives no rate constants;
the defaults reproduce brightening over tens of seconds and recovery over minutes. Stretched
exponentials, the form experiments use to report both the brightening and the TRPL decays,
are fitted by :func:`lerbook.fitting.fit_stretched_exponential` [ult-Williams1970]_.

.. rubric:: References

.. [ult-Wen2024] X. Wen and B. Jia, "Lattice energy reservoir in metal halide perovskites",
   arXiv:2406.18818 (2024). doi:10.48550/arXiv.2406.18818
.. [ult-Tian2015] Y. Tian et al., "Enhanced organo-metal halide perovskite photoluminescence
   from nanosized defect-free crystallites and emitting sites", J. Phys. Chem. Lett. 6,
   4171-4177 (2015). doi:10.1021/acs.jpclett.5b02033
.. [ult-Chen2017] S. Chen et al., "Light illumination induced photoluminescence enhancement
   and quenching in lead halide perovskite", Sol. RRL 1, 1600001 (2017).
   doi:10.1002/solr.201600001
.. [ult-Tian2015b] Y. Tian et al., "Mechanistic insights into perovskite photoluminescence
   enhancement: light curing with oxygen can boost yield thousandfold", Phys. Chem. Chem.
   Phys. 17, 24978-24987 (2015).
.. [ult-Mosconi2016] E. Mosconi et al., "Light-induced annihilation of Frenkel defects in
   organo-lead halide perovskites", Energy Environ. Sci. 9, 3180-3187 (2016).
   doi:10.1039/C6EE01504B
.. [ult-Galisteo2015] J. F. Galisteo-Lopez, M. Anaya, M. E. Calvo and H. Miguez, "Environmental
   effects on the photophysics of organic-inorganic halide perovskites", J. Phys. Chem. Lett.
   6, 2200-2205 (2015).
.. [ult-Kokotovic1999] P. Kokotovic, H. K. Khalil and J. O'Reilly, *Singular Perturbation
   Methods in Control: Analysis and Design* (SIAM, 1999).
.. [ult-Williams1970] G. Williams and D. C. Watts, "Non-symmetrical dielectric relaxation
   behaviour arising from a simple empirical decay function", Trans. Faraday Soc. 66, 80-85
   (1970). doi:10.1039/TF9706600080
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.integrate import solve_ivp
from scipy.interpolate import BarycentricInterpolator
from scipy.optimize import brentq, least_squares

from lerbook import _validate
from lerbook.excitation import (
    WAVELENGTH_RANGE,
    CWExcitation,
    PulsedExcitation,
    generation_rate,
    initial_density,
)
from lerbook.fitting.curves import CurveFit, fit_stretched_exponential
from lerbook.materials import get_material
from lerbook.recombination import (
    TrapParameters,
    one_over_e_time,
    periodic_steady_state,
    trap_decay,
    trap_jacobian,
    trap_rate,
    trap_steady_state,
)
from lerbook.reservoir import (
    PiecewiseDrive,
    ReservoirKinetics,
    reservoir_density,
    reservoir_density_rate,
)
from lerbook.units import ELEMENTARY_CHARGE, photon_energy

__all__ = [
    "DEFAULT_TRAP",
    "DEFAULT_KINETICS",
    "Segment",
    "IlluminationProtocol",
    "UltraslowParameters",
    "PassivationParameters",
    "FastResponse",
    "fast_response",
    "DecayTable",
    "decay_table",
    "clear_cache",
    "coupled_rate",
    "passivation_rate",
    "UltraslowResult",
    "simulate",
    "rise_times",
    "describe_rise_time",
    "FullIntegrationResult",
    "full_integration",
    "TimescaleSeparation",
    "timescale_separation",
    "TRPLFamily",
    "time_dependent_trpl",
    "fit_trpl_family",
    "DoseResponse",
    "dose_response",
    "match_passivation",
]

#: Default trap model of the chapter's film: the Stranks-type trap model of
#: :mod:`lerbook.recombination` with a larger trap density (1e17 cm^-3, illustrative), so that
#: the film is trap-limited at 200 mW cm^-2 and the reservoirs have something to undo.
DEFAULT_TRAP = TrapParameters(trap_density=1.0e17)
#: Default slow kinetics (illustrative): at 200 mW cm^-2 of 405 nm light (P_heat ~ 4.7e3
#: W cm^-3 in a 300 nm MAPbI3 film) the reservoirs rise with a time constant of ~30 s to
#: ~0.7 n_max and decay in the dark over 2 min.
DEFAULT_KINETICS = ReservoirKinetics(formation_yield=5.0e10, lifetime=120.0, max_density=1.0e16)
#: Chebyshev nodes of the fast-response tables (interpolation error ~1e-8 for the defaults).
TABLE_POINTS = 11


# ============================================================================================
# Illumination protocols
# ============================================================================================
@dataclass(frozen=True)
class Segment:
    """One segment of an illumination protocol: constant light (CW or a pulse train) or dark.

    Parameters
    ----------
    duration : float
        Length of the segment [s], > 0.
    intensity : float
        Average incident power density [mW cm^-2], >= 0; 0 for a dark segment.
    wavelength : float
        Wavelength [nm], 200-2000. Default 405 (the perspective's photobrightening experiment).
    repetition_rate : float or None
        Pulses per second [Hz] of a pulse train (fluence per pulse = intensity / rate); None
        (default) for continuous-wave light.

    Examples
    --------
    >>> segment = Segment(60.0, intensity=200.0, repetition_rate=1e6)
    >>> print(f"{segment.fluence:.2f} uJ cm^-2 per pulse")
    0.20 uJ cm^-2 per pulse
    """

    duration: float
    intensity: float = 0.0
    wavelength: float = 405.0
    repetition_rate: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "duration",
                           _validate.positive("duration", self.duration, "s"))
        object.__setattr__(self, "intensity",
                           _validate.non_negative("intensity", self.intensity, "mW cm^-2"))
        object.__setattr__(self, "wavelength",
                           _validate.in_range("wavelength", self.wavelength, *WAVELENGTH_RANGE,
                                              unit="nm"))
        if self.repetition_rate is not None:
            object.__setattr__(self, "repetition_rate",
                               _validate.positive("repetition_rate", self.repetition_rate, "Hz"))

    @property
    def is_dark(self) -> bool:
        """True for a dark segment (intensity 0)."""
        return self.intensity == 0

    @property
    def is_pulsed(self) -> bool:
        """True for a lit pulse-train segment."""
        return self.repetition_rate is not None and not self.is_dark

    @property
    def fluence(self) -> float:
        """Energy per pulse per area [uJ cm^-2] (pulse trains only)."""
        if not self.is_pulsed:
            raise ValueError("fluence is defined for a lit pulse-train segment only "
                             "(repetition_rate set and intensity > 0)")
        return self.intensity * 1e3 / self.repetition_rate

    def excitation(self) -> CWExcitation | PulsedExcitation:
        """The :mod:`lerbook.excitation` object of a lit segment.

        Returns
        -------
        lerbook.excitation.CWExcitation or lerbook.excitation.PulsedExcitation
            The excitation of this segment.
        """
        if self.is_dark:
            raise ValueError("a dark segment (intensity 0) has no excitation")
        if self.is_pulsed:
            return PulsedExcitation(self.fluence, self.wavelength, self.repetition_rate)
        return CWExcitation(self.intensity, self.wavelength)

    def light(self) -> Segment:
        """The same illumination with a unit duration (what the fast kinetics depend on).

        Returns
        -------
        Segment
            The unit-duration copy.
        """
        return dataclasses.replace(self, duration=1.0)


@dataclass(frozen=True)
class IlluminationProtocol:
    """A sequence of illumination segments, the first starting at t = 0.

    Parameters
    ----------
    segments : sequence of Segment
        The segments in order; at least one must be lit.

    Examples
    --------
    >>> protocol = IlluminationProtocol.exposures(200.0, first=60.0, dark=30.0, second=60.0)
    >>> protocol.edges.tolist(), protocol.intensities.tolist()
    ([0.0, 60.0, 90.0, 150.0], [200.0, 0.0, 200.0])
    """

    segments: tuple[Segment, ...]

    def __post_init__(self):
        if not isinstance(self.segments, (tuple, list)):
            raise ValueError(f"segments must be a sequence of Segment, got {self.segments!r}")
        segments = tuple(self.segments)
        if len(segments) == 0:
            raise ValueError("segments must hold at least one Segment, got ()")
        for i, segment in enumerate(segments):
            if not isinstance(segment, Segment):
                raise ValueError(f"segments[{i}] must be a Segment, got {segment!r}")
        if all(s.is_dark for s in segments):
            raise ValueError("segments must include at least one lit segment (intensity > 0)")
        object.__setattr__(self, "segments", segments)

    @classmethod
    def constant(cls, intensity: float, duration: float, wavelength: float = 405.0,
                 repetition_rate: float | None = None) -> IlluminationProtocol:
        """One exposure at ``intensity`` [mW cm^-2] for ``duration`` [s].

        Parameters
        ----------
        intensity : float
            Incident power density [mW cm^-2], > 0.
        duration : float
            Exposure [s], > 0.
        wavelength : float
            Excitation wavelength [nm]. Default 405.
        repetition_rate : float or None
            Pulse repetition rate [Hz] for pulsed light; None for continuous-wave.

        Returns
        -------
        IlluminationProtocol
            The one-segment protocol.
        """
        return cls((Segment(duration, intensity, wavelength, repetition_rate),))

    @classmethod
    def exposures(cls, intensity: float, first: float, dark: float, second: float,
                  dark_after: float = 0.0, wavelength: float = 405.0,
                  repetition_rate: float | None = None) -> IlluminationProtocol:
        """Light for ``first`` [s], dark for ``dark`` [s], light for ``second`` [s], then
        optionally dark for ``dark_after`` [s] (0 for none): the memory experiment.

        Parameters
        ----------
        intensity : float
            Incident power density of both exposures [mW cm^-2], > 0.
        first, second : float
            The two exposures [s], > 0.
        dark : float
            Dark interval between them [s], > 0.
        dark_after : float
            Dark time after the second exposure [s], >= 0. Default 0.
        wavelength : float
            Excitation wavelength [nm]. Default 405.
        repetition_rate : float or None
            Pulse repetition rate [Hz] for pulsed light; None for continuous-wave.

        Returns
        -------
        IlluminationProtocol
            Three or four segments.
        """
        light = dict(intensity=intensity, wavelength=wavelength,
                     repetition_rate=repetition_rate)
        segments = [Segment(first, **light), Segment(dark, wavelength=wavelength),
                    Segment(second, **light)]
        if dark_after > 0:
            segments.append(Segment(dark_after, wavelength=wavelength))
        return cls(tuple(segments))

    @property
    def durations(self) -> np.ndarray:
        """Segment durations [s]."""
        return np.array([s.duration for s in self.segments])

    @property
    def intensities(self) -> np.ndarray:
        """Segment intensities [mW cm^-2]."""
        return np.array([s.intensity for s in self.segments])

    @property
    def edges(self) -> np.ndarray:
        """Segment boundaries [s], ``[0, d0, d0 + d1, ...]``."""
        return np.concatenate(([0.0], np.cumsum(self.durations)))

    @property
    def total_duration(self) -> float:
        """Length of the protocol [s]."""
        return float(self.edges[-1])

    @property
    def drive(self) -> PiecewiseDrive:
        """The intensity [mW cm^-2] as a :class:`lerbook.reservoir.PiecewiseDrive`."""
        return PiecewiseDrive(tuple(self.durations), tuple(self.intensities))

    @property
    def reference(self) -> Segment:
        """The first lit segment: the illumination whose PL :attr:`UltraslowResult.probe_pl`
        reports at every time, dark segments included."""
        return next(s for s in self.segments if not s.is_dark)

    def segment_index(self, t) -> np.ndarray:
        """Index of the segment holding each time ``t`` [s] (the new segment at an edge; the
        last segment at the very end).

        Parameters
        ----------
        t : float or array_like
            Times [s], within the protocol.

        Returns
        -------
        numpy.ndarray
            Segment index of each time [dimensionless].
        """
        index = np.searchsorted(self.edges, np.asarray(t, dtype=float), side="right") - 1
        return np.clip(index, 0, len(self.segments) - 1)


# ============================================================================================
# Parameters of the two models
# ============================================================================================
def _check_common(obj):
    if not isinstance(obj.trap, TrapParameters):
        raise ValueError(f"trap must be a TrapParameters, got {type(obj.trap).__name__}")
    if not obj.trap.has_hole_recombination:
        raise ValueError("trap must let holes recombine (B, C or gamma_p > 0)")
    get_material(obj.material)  # raises ValueError naming the valid materials
    object.__setattr__(obj, "thickness", _validate.positive("thickness", obj.thickness, "nm"))


@dataclass(frozen=True)
class UltraslowParameters:
    r"""The LER model of the ultraslow chapter: fast carrier kinetics plus slow reservoirs.

    Parameters
    ----------
    trap : TrapParameters
        Fast carrier kinetics, with the LER coupling ``k_sigma`` [cm^3 s^-1]; its ``n_ler``
        is set to 0 here (the slow variable supplies it). Default: :data:`DEFAULT_TRAP`
        (Stranks-type coefficients with N_t = 1e17 cm^-3, illustrative).
    kinetics : ReservoirKinetics
        Slow reservoir kinetics: formation yield kappa [J^-1], dark lifetime tau_LER [s] and
        saturation density n_max [cm^-3]. Default :data:`DEFAULT_KINETICS` (illustrative).
    material : str
        Material preset for the band gap and absorption (:mod:`lerbook.materials`).
        Default ``"MAPbI3"``.
    thickness : float
        Film thickness [nm] over which the generation is averaged. Default 300.

    Notes
    -----
    .. math::

        \frac{dy}{dt} &= F_{trap}(y; G) + K\sigma' n_{LER} n_t\, (1, 0, -1) \\
        \frac{dn_{LER}}{dt} &= \kappa P_{heat}(y) \left(1 - \frac{n_{LER}}{n_{max}}\right)
            - \frac{n_{LER}}{\tau_{LER}}

    with :math:`F_{trap}` :func:`lerbook.recombination.trap_rate` and :math:`P_{heat}` the
    module docstring's heat (see :func:`coupled_rate`).

    Examples
    --------
    >>> params = UltraslowParameters()
    >>> print(params.material, params.band_gap, params.kinetics.lifetime)
    MAPbI3 1.57 120.0
    """

    trap: TrapParameters = DEFAULT_TRAP
    kinetics: ReservoirKinetics = DEFAULT_KINETICS
    material: str = "MAPbI3"
    thickness: float = 300.0

    def __post_init__(self):
        _check_common(self)
        if not isinstance(self.kinetics, ReservoirKinetics):
            raise ValueError("kinetics must be a ReservoirKinetics, got "
                             f"{type(self.kinetics).__name__}")
        if self.trap.n_ler != 0:
            object.__setattr__(self, "trap", self.trap.replace(n_ler=0.0))

    @property
    def band_gap(self) -> float:
        """Band gap of the material [eV]."""
        return get_material(self.material).band_gap

    @property
    def max_state(self) -> float:
        """Largest value of the slow variable, n_max [cm^-3]."""
        return self.kinetics.max_density

    def replace(self, **changes) -> UltraslowParameters:
        """A validated copy with some fields changed.

        Parameters
        ----------
        **changes
            New values of fields [their units, as in the class docstring].

        Returns
        -------
        UltraslowParameters
            The copy, validated.
        """
        return dataclasses.replace(self, **changes)

    def with_kinetics(self, **changes) -> UltraslowParameters:
        """A copy whose :class:`ReservoirKinetics` has some fields changed (e.g.
        ``lifetime=600.0`` [s]).

        Parameters
        ----------
        **changes
            New values of :class:`lerbook.reservoir.ReservoirKinetics` fields [their units].

        Returns
        -------
        UltraslowParameters
            The copy, validated.
        """
        return self.replace(kinetics=dataclasses.replace(self.kinetics, **changes))

    def fast_params(self, density: float) -> TrapParameters:
        """The trap model with ``n_ler = density`` [cm^-3].

        Parameters
        ----------
        density : float
            Reservoir density n_LER [cm^-3], >= 0.

        Returns
        -------
        lerbook.recombination.TrapParameters
            The fast trap model at that density.
        """
        return self.trap.replace(n_ler=float(density))


@dataclass(frozen=True)
class PassivationParameters:
    r"""The competing model: light-activated passivation of traps, no reservoir.

    Parameters
    ----------
    trap : TrapParameters
        Carrier kinetics of the fresh film; ``n_ler`` is set to 0 (no reservoir). Default
        :data:`DEFAULT_TRAP`.
    passivation_yield : float
        phi, traps passivated per absorbed photon while none are [dimensionless], > 0.
        Default 3.2e-7 (illustrative: with the other defaults it reproduces the default LER
        model's brightening under 200 mW cm^-2, see :func:`match_passivation`).
    recovery_time : float
        tau_rec, lifetime of a passivated trap in the dark [s], > 0. Default 3.6e4 (10 h:
        oxygen-passivated films recover slowly if at all; illustrative).
    max_fraction : float
        Largest fraction of the traps that can be passivated [dimensionless], in (0, 0.99].
        Default 0.55 (matched as ``passivation_yield``).
    material : str
        Material preset for the absorption. Default ``"MAPbI3"``.
    thickness : float
        Film thickness [nm] over which the generation is averaged. Default 300.

    Notes
    -----
    With :math:`N_p` the density of passivated traps,

    .. math::

        \frac{dN_p}{dt} = \phi\, G \left(1 - \frac{N_p}{f_{max} N_t}\right)
            - \frac{N_p}{\tau_{rec}},

    the law of :class:`lerbook.reservoir.ReservoirKinetics` with the generation rate G
    [cm^-3 s^-1] as its drive instead of the heat (see :attr:`kinetics`); the carriers see the
    trap density :math:`N_t - N_p` (:func:`passivation_rate`). Photochemical passivation by
    oxygen is one reading, Tian (2015); light-induced annihilation of Frenkel defects is
    another, Mosconi (2016).

    References
    ----------
    - Y. Tian et al., Phys. Chem. Chem. Phys. 17, 24978 (2015).
    - E. Mosconi et al., Energy Environ. Sci. 9, 3180 (2016). doi:10.1039/C6EE01504B

    Examples
    --------
    >>> params = PassivationParameters()
    >>> print(f"{params.max_state:.1e} cm^-3 of traps can be passivated")
    5.5e+16 cm^-3 of traps can be passivated
    """

    trap: TrapParameters = DEFAULT_TRAP
    passivation_yield: float = 3.2e-7
    recovery_time: float = 3.6e4
    max_fraction: float = 0.55
    material: str = "MAPbI3"
    thickness: float = 300.0

    def __post_init__(self):
        _check_common(self)
        if self.trap.n_ler != 0:
            object.__setattr__(self, "trap", self.trap.replace(n_ler=0.0))
        if self.trap.trap_density <= 0:
            raise ValueError("trap.trap_density must be > 0 cm^-3 for traps to be passivated, "
                             f"got {self.trap.trap_density!r}")
        object.__setattr__(self, "passivation_yield",
                           _validate.positive("passivation_yield", self.passivation_yield))
        object.__setattr__(self, "recovery_time",
                           _validate.positive("recovery_time", self.recovery_time, "s"))
        object.__setattr__(self, "max_fraction",
                           _validate.in_range("max_fraction", self.max_fraction, 0.0, 0.99,
                                              include_low=False))

    @property
    def band_gap(self) -> float:
        """Band gap of the material [eV]."""
        return get_material(self.material).band_gap

    @property
    def max_state(self) -> float:
        """Largest passivated trap density f_max N_t [cm^-3]."""
        return self.max_fraction * self.trap.trap_density

    @property
    def kinetics(self) -> ReservoirKinetics:
        """The passivation law as a :class:`lerbook.reservoir.ReservoirKinetics` whose drive
        is the generation rate G [cm^-3 s^-1] (formation_yield = phi, lifetime = tau_rec,
        max_density = f_max N_t)."""
        return ReservoirKinetics(formation_yield=self.passivation_yield,
                                 lifetime=self.recovery_time, max_density=self.max_state)

    def replace(self, **changes) -> PassivationParameters:
        """A validated copy with some fields changed.

        Parameters
        ----------
        **changes
            New values of fields [their units, as in the class docstring].

        Returns
        -------
        PassivationParameters
            The copy, validated.
        """
        return dataclasses.replace(self, **changes)

    def fast_params(self, density: float) -> TrapParameters:
        """The trap model with ``density`` [cm^-3] of its traps passivated.

        Parameters
        ----------
        density : float
            Passivated trap density [cm^-3], >= 0.

        Returns
        -------
        lerbook.recombination.TrapParameters
            The fast trap model with those traps removed.
        """
        return self.trap.replace(trap_density=self.trap.trap_density - float(density))


_Params = UltraslowParameters | PassivationParameters


def _check_params(params) -> None:
    if not isinstance(params, (UltraslowParameters, PassivationParameters)):
        raise ValueError("params must be UltraslowParameters or PassivationParameters, got "
                         f"{type(params).__name__}")


def _check_protocol(protocol) -> IlluminationProtocol:
    if isinstance(protocol, Segment):
        return IlluminationProtocol((protocol,))
    if not isinstance(protocol, IlluminationProtocol):
        raise ValueError("protocol must be an IlluminationProtocol, got "
                         f"{type(protocol).__name__}")
    return protocol


def _excess_energy(params: _Params, segment: Segment) -> float:
    """Energy per absorbed photon that thermalisation leaves in the lattice [eV], >= 0
    (sub-gap excitation, whose anti-Stokes cooling chapter 3 treats, counts as 0)."""
    return max(float(photon_energy(segment.wavelength)) - params.band_gap, 0.0)


def _generation(params: _Params, segment: Segment) -> tuple[float, float]:
    """(time-averaged generation rate [cm^-3 s^-1], pairs per pulse [cm^-3] or 0 for CW)."""
    if segment.is_dark:
        return 0.0, 0.0
    excitation = segment.excitation()
    if segment.is_pulsed:
        n_pulse = initial_density(params.material, excitation, params.thickness)
        return n_pulse * segment.repetition_rate, n_pulse
    return generation_rate(params.material, excitation, params.thickness), 0.0


# ============================================================================================
# Rate functions of the coupled systems
# ============================================================================================
def _carrier_and_heat_rates(y, params: _Params, generation: float, excess_energy: float,
                            band_gap: float):
    """Carrier tendencies (trap model plus the LER term) and the heat [W cm^-3]."""
    n, p, nt = (float(v) for v in y[:3])
    if isinstance(params, UltraslowParameters):
        trap = params.trap
        carriers = trap_rate(0.0, (n, p, nt), trap, generation)
        release = trap.k_sigma * float(y[3]) * nt  # the reservoir term K sigma' n_LER n_t
        carriers = carriers + release * np.array([1.0, 0.0, -1.0])
    else:
        trap = params.fast_params(float(y[3]))
        carriers = trap_rate(0.0, (n, p, nt), trap, generation)
    # Every pair that does not recombine radiatively recombines non-radiatively:
    # dp/dt = G - B n p - R_nr.
    nonradiative = generation - trap.B * n * p - carriers[1]
    heat = ELEMENTARY_CHARGE * (generation * excess_energy + nonradiative * band_gap)
    return carriers, heat


def coupled_rate(t, y, params: UltraslowParameters, generation: float = 0.0,
                 excess_energy: float = 0.0) -> np.ndarray:
    r"""Right-hand side of the coupled fast + slow LER system.

    Parameters
    ----------
    t : float
        Time [s] (unused: the system is autonomous at constant generation).
    y : array_like
        State (n, p, n_t, n_LER) [cm^-3].
    params : UltraslowParameters
        Model parameters.
    generation : float
        Generation rate G [cm^-3 s^-1] (0 between the pulses of a pulse train).
    excess_energy : float
        Energy each absorbed photon leaves in the lattice, E_ph - E_g [eV].

    Returns
    -------
    numpy.ndarray
        (dn/dt, dp/dt, dn_t/dt, dn_LER/dt) [cm^-3 s^-1].

    Notes
    -----
    The tendencies of the processes add up: :func:`lerbook.recombination.trap_rate` (with
    n_LER = 0) plus the reservoir term :math:`K\sigma' n_{LER} n_t` moving trapped electrons
    to the band, and :func:`lerbook.reservoir.reservoir_density_rate` driven by

    .. math:: P_{heat} = q\,[G (E_{ph} - E_g) + (G - B n p - \dot p)\, E_g],

    where :math:`G - B n p - \dot p = \gamma_p n_t p + R_{Aug}` is the non-radiative rate.

    Examples
    --------
    >>> params = UltraslowParameters()
    >>> rate = coupled_rate(0.0, [1e16, 2e16, 1e16, 0.0], params, generation=1e22,
    ...                     excess_energy=1.49)
    >>> print(f"dn_LER/dt = {rate[3]:.2e} cm^-3 s^-1")
    dn_LER/dt = 1.43e+14 cm^-3 s^-1
    """
    if not isinstance(params, UltraslowParameters):
        raise ValueError(f"params must be UltraslowParameters, got {type(params).__name__}")
    y = np.asarray(y, dtype=float)
    return _coupled_rate(t, y, params, generation, excess_energy, params.band_gap)


def _coupled_rate(t, y, params, generation, excess_energy, band_gap):
    carriers, heat = _carrier_and_heat_rates(y, params, generation, excess_energy, band_gap)
    slow = reservoir_density_rate(t, y[3], params.kinetics, heat)
    return np.concatenate((carriers, [float(slow)]))


def passivation_rate(t, y, params: PassivationParameters,
                     generation: float = 0.0) -> np.ndarray:
    r"""Right-hand side of the competing model: carriers plus passivated traps.

    Parameters
    ----------
    t : float
        Time [s] (unused).
    y : array_like
        State (n, p, n_t, N_p) [cm^-3], N_p the passivated trap density.
    params : PassivationParameters
        Model parameters.
    generation : float
        Generation rate G [cm^-3 s^-1].

    Returns
    -------
    numpy.ndarray
        (dn/dt, dp/dt, dn_t/dt, dN_p/dt) [cm^-3 s^-1].

    Notes
    -----
    The carriers follow :func:`lerbook.recombination.trap_rate` with the trap density
    :math:`N_t - N_p`, and
    :math:`dN_p/dt = \phi G (1 - N_p/(f_{max} N_t)) - N_p/\tau_{rec}`
    (:func:`lerbook.reservoir.reservoir_density_rate` with G as its drive).

    Examples
    --------
    >>> rate = passivation_rate(0.0, [0.0, 0.0, 0.0, 0.0], PassivationParameters(), 1e22)
    >>> print(f"{rate[3]:.2e}")
    3.20e+15
    """
    if not isinstance(params, PassivationParameters):
        raise ValueError(f"params must be PassivationParameters, got {type(params).__name__}")
    y = np.asarray(y, dtype=float)
    carriers = trap_rate(t, y[:3], params.fast_params(y[3]), generation)
    slow = reservoir_density_rate(t, y[3], params.kinetics, generation)
    return np.concatenate((carriers, [float(slow)]))


# ============================================================================================
# The fast response for one value of the slow variable, and its tables
# ============================================================================================
@dataclass(frozen=True)
class FastResponse:
    """Carrier kinetics in (periodic) steady state for one value of the slow variable.

    Attributes
    ----------
    density : float
        The slow variable: reservoir density n_LER, or passivated trap density [cm^-3].
    generation_rate : float
        Time-averaged generation rate G [cm^-3 s^-1].
    pl : float
        Time-averaged PL B n p [cm^-3 s^-1].
    plqy : float
        pl / G [dimensionless].
    heat : float
        Time-averaged phonon power density deposited, P_heat [W cm^-3].
    state : numpy.ndarray
        (n, p, n_t) [cm^-3]: the steady state (CW) or the state just before a pulse.
    segment : Segment
        The illumination.
    """

    density: float
    generation_rate: float
    pl: float
    plqy: float
    heat: float
    state: np.ndarray
    segment: Segment


def fast_response(params: _Params, segment: Segment, density: float,
                  rtol: float = 1e-8) -> FastResponse:
    r"""One slow step's fast problem: the carriers' (periodic) steady state for a given
    reservoir (or passivated trap) density.

    Parameters
    ----------
    params : UltraslowParameters or PassivationParameters
        The model.
    segment : Segment
        A lit illumination segment (CW or pulse train); its duration does not matter.
    density : float
        The slow variable [cm^-3], in [0, ``params.max_state``].
    rtol : float
        Relative tolerance of the pulse-train solvers [dimensionless].

    Returns
    -------
    FastResponse
        Average PL [cm^-3 s^-1], PLQY and heat [W cm^-3].

    Notes
    -----
    CW: :func:`lerbook.recombination.trap_steady_state`; all generation recombines, so
    :math:`R_{nr} = G - PL`. Pulse train: :func:`lerbook.recombination.periodic_steady_state`
    gives the state before a pulse, and one period of :func:`lerbook.recombination.trap_decay`
    from it gives the photons emitted and the non-radiative recombination per pulse exactly
    (integrated with the state). In both,
    :math:`P_{heat} = q [G (E_{ph} - E_g) + R_{nr} E_g]`.

    Examples
    --------
    >>> params = UltraslowParameters()
    >>> light = Segment(1.0, intensity=200.0)
    >>> fresh, lit = (fast_response(params, light, n) for n in (0.0, 1e16))
    >>> print(f"PLQY {fresh.plqy:.3f} -> {lit.plqy:.3f}, heat {fresh.heat:.0f} W cm^-3")
    PLQY 0.180 -> 0.474, heat 4700 W cm^-3
    """
    _check_params(params)
    if not isinstance(segment, Segment) or segment.is_dark:
        raise ValueError("segment must be a lit Segment (intensity > 0)")
    density = _validate.in_range("density", density, 0.0, params.max_state, "cm^-3")
    return _fast_response(params, segment, density, rtol)


def _fast_response(params: _Params, segment: Segment, density: float, rtol: float,
                   state: np.ndarray | None = None) -> FastResponse:
    """:func:`fast_response` without the checks; ``state``: the pulse train's fixed point
    when already known (None: solve for it)."""
    generation, n_pulse = _generation(params, segment)
    trap = params.fast_params(density)
    if segment.is_pulsed:
        rate = segment.repetition_rate
        period = 1.0 / rate
        if state is None:  # t=[0]: the fixed point only, no trace
            state = periodic_steady_state(trap, n_pulse, rate, t=[0.0],
                                          rtol=rtol).state_before_pulse
        run = trap_decay(trap, n_pulse, [0.0, period], initial_state=state, rtol=rtol)
        pl = float(run.recombined_radiative[-1]) * rate
        nonradiative = float(run.recombined_auger[-1] + run.recombined_trap[-1]) * rate
    else:
        steady = trap_steady_state(trap, generation)
        pl = float(steady.pl[0])
        nonradiative = generation - pl
        state = np.array([steady.n[0], steady.p[0], steady.n_t[0]])
    heat = ELEMENTARY_CHARGE * (generation * _excess_energy(params, segment)
                                + nonradiative * params.band_gap)
    return FastResponse(density=density, generation_rate=generation, pl=pl,
                        plqy=pl / generation, heat=heat, state=state, segment=segment)


@lru_cache(maxsize=512)
def _fixed_points(params: _Params, light: Segment, points: int, rtol: float,
                  high: float) -> np.ndarray:
    """Pulse-to-pulse fixed points (n, p, n_t) [cm^-3] on the Chebyshev nodes, shape
    (points, 3), read-only; cached (emptied by :func:`clear_cache`).

    The Newton solves are most of the cost of a pulsed table, and :func:`decay_table` needs
    the same fixed points as the fast-response tables of :func:`simulate`, so both take them
    from here. Each node starts Newton from the previous node's fixed point (continuation
    along the smooth branch): about a third fewer iterations than from the dark state, to
    the same fixed point within the tolerance.
    """
    n_pulse = _generation(params, light)[1]
    states, previous = [], None
    for density in _chebyshev_nodes(high, points):
        fast = params.fast_params(density)
        previous = periodic_steady_state(fast, n_pulse, light.repetition_rate, t=[0.0],
                                         rtol=rtol,
                                         initial_guess=_usable_guess(previous, fast)
                                         ).state_before_pulse
        states.append(previous)
    states = np.array(states)
    states.flags.writeable = False
    return states


def _usable_guess(state, fast) -> np.ndarray | None:
    """The previous node's fixed point as a Newton start, if it is a valid state of this
    node's model: where the rival model passivates traps along the nodes, the previous
    trapped density can exceed this node's trap density, and then the dark start is used."""
    if state is None:
        return None
    n, p, n_t = state
    doping = getattr(fast, "doping", 0.0)
    neutral = abs(n + n_t - p - doping) <= 1e-9 * max(n + n_t, p + doping, 1.0)
    return state if n_t <= fast.trap_density and neutral else None


def _chebyshev_nodes(high: float, points: int) -> np.ndarray:
    k = np.arange(points)
    return 0.5 * high * (1.0 - np.cos(np.pi * k / (points - 1)))


@dataclass(frozen=True)
class _Table:
    """Fast response on Chebyshev nodes of the slow variable, with interpolants."""

    nodes: np.ndarray
    pl: np.ndarray
    heat: np.ndarray
    generation: float

    def __post_init__(self):
        object.__setattr__(self, "_interpolator",
                           BarycentricInterpolator(self.nodes, np.stack((self.pl, self.heat),
                                                                        axis=-1)))

    def pl_at(self, density) -> np.ndarray:
        return self._interp(density)[..., 0]

    def heat_at(self, density) -> np.ndarray:
        return self._interp(density)[..., 1]

    def _interp(self, density):
        x = np.clip(np.asarray(density, dtype=float), self.nodes[0], self.nodes[-1])
        return self._interpolator(x)


@lru_cache(maxsize=512)
def _table(params: _Params, light: Segment, points: int, rtol: float, high: float) -> _Table:
    nodes = _chebyshev_nodes(high, points)
    states = (_fixed_points(params, light, points, rtol, high) if light.is_pulsed
              else [None] * points)
    responses = [_fast_response(params, light, n, rtol, state)
                 for n, state in zip(nodes, states, strict=True)]
    return _Table(nodes=nodes, pl=np.array([r.pl for r in responses]),
                  heat=np.array([r.heat for r in responses]),
                  generation=responses[0].generation_rate)


def clear_cache() -> None:
    """Empty the caches of fast-response tables and pulse-train fixed points (e.g. before
    timing :func:`simulate`)."""
    _table.cache_clear()
    _fixed_points.cache_clear()


def _fast_part(params: _Params, high: float) -> _Params:
    """The parameters with everything the fast kinetics ignore set to fixed values, so that
    the cached tables are shared by models that differ only in their slow kinetics."""
    if isinstance(params, UltraslowParameters):
        return params.replace(kinetics=ReservoirKinetics(formation_yield=1.0, lifetime=1.0,
                                                         max_density=high))
    return params.replace(passivation_yield=1.0, recovery_time=1.0)


def _table_for(params: _Params, segment: Segment, points: int, rtol: float,
               high: float | None = None) -> _Table:
    high = params.max_state if high is None else high
    return _table(_fast_part(params, high), segment.light(), points, rtol, high)


@dataclass(frozen=True)
class DecayTable:
    """Periodic-steady-state TRPL decays on Chebyshev nodes of the slow variable.

    Attributes
    ----------
    nodes : numpy.ndarray
        Slow variable at the nodes [cm^-3]: reservoir density n_LER or passivated trap
        density, from 0 to ``params.max_state``.
    t : numpy.ndarray
        Times after the pulse [s], within one period.
    pl : numpy.ndarray
        PL decays B n p [cm^-3 s^-1], shape (len(nodes), len(t)).
    segment : Segment
        The pulse train.
    """

    nodes: np.ndarray
    t: np.ndarray
    pl: np.ndarray
    segment: Segment = field(repr=False)

    def __post_init__(self):
        object.__setattr__(self, "_interpolator", BarycentricInterpolator(self.nodes, self.pl))

    def at(self, density) -> np.ndarray:
        """Decays at slow-variable values ``density`` [cm^-3] (clipped to the nodes' range),
        by barycentric interpolation between the nodes: shape ``density.shape + t.shape``
        [cm^-3 s^-1].

        Parameters
        ----------
        density : float or array_like
            Slow-variable values [cm^-3].

        Returns
        -------
        numpy.ndarray
            The decays [cm^-3 s^-1].
        """
        x = np.clip(np.asarray(density, dtype=float), self.nodes[0], self.nodes[-1])
        return self._interpolator(x)


def decay_table(params: _Params, segment: Segment, t, points: int = TABLE_POINTS,
                rtol: float = 1e-8) -> DecayTable:
    r"""TRPL decays in the periodic steady state of a pulse train, tabulated on the Chebyshev
    nodes of the slow variable that :func:`simulate` uses.

    Decays at any reservoir (or passivated trap) density then follow by interpolation
    (:meth:`DecayTable.at`), which is what a live view of time-dependent TRPL needs: a
    handful of fast solves per illumination instead of one per decay.

    Parameters
    ----------
    params : UltraslowParameters or PassivationParameters
        The model.
    segment : Segment
        A pulse train (``repetition_rate`` set, intensity > 0); its duration does not matter.
    t : array_like
        Times after the pulse [s], non-decreasing, within one period.
    points : int
        Chebyshev nodes (>= 5), as ``table_points`` of :func:`simulate`.
    rtol : float
        Relative tolerance of the pulse-train solvers [dimensionless], in [1e-12, 1e-4].

    Returns
    -------
    DecayTable
        Decays [cm^-3 s^-1] on the nodes [cm^-3].

    Notes
    -----
    At each node :math:`n_k = \tfrac{1}{2} n_{max} [1 - \cos(\pi k / (N - 1))]` the decay is
    one period of :func:`lerbook.recombination.trap_decay` from the pulse-to-pulse fixed point
    of :func:`lerbook.recombination.periodic_steady_state`, so it equals that function's
    ``pl`` at :math:`n_k`. The fixed points are cached and shared with the fast-response
    tables of :func:`simulate` for the same illumination, ``points`` and ``rtol``: after a
    :func:`simulate` run, the decay table costs one integration per node. The decays are
    smooth (nearly linear) in the slow variable and interpolate to ~1e-4 on 5 nodes; their
    logarithms are not smooth (the tail grows from ~0) and are not interpolated.

    Examples
    --------
    The decay lengthens as the reservoirs form:

    >>> t = np.linspace(0.0, 1e-6, 201)
    >>> light = Segment(1.0, intensity=200.0, repetition_rate=1e6)
    >>> fresh, bright = decay_table(UltraslowParameters(), light, t).at([0.0, 7e15])
    >>> print(f"1/e time {one_over_e_time(t, fresh) * 1e9:.1f} -> "
    ...       f"{one_over_e_time(t, bright) * 1e9:.1f} ns")
    1/e time 55.2 -> 62.7 ns
    """
    _check_params(params)
    if not isinstance(segment, Segment) or segment.is_dark or not segment.is_pulsed:
        raise ValueError(f"segment must be a lit pulse-train Segment (intensity > 0, "
                         f"repetition_rate set), got {segment!r}")
    points = int(_validate.in_range("points", points, 5, 200))
    rtol = _validate.in_range("rtol", rtol, 1e-12, 1e-4)
    times = np.asarray(t, dtype=float)
    period = 1.0 / segment.repetition_rate
    if (times.ndim != 1 or times.size == 0 or not np.all(np.isfinite(times))
            or np.any(np.diff(times) < 0) or times[0] < 0 or times[-1] > period * (1 + 1e-12)):
        raise ValueError(f"t must be a non-empty 1D array of non-decreasing times within one "
                         f"period [0, {period:g}] s")
    high = params.max_state
    fast = _fast_part(params, high)
    light = segment.light()
    n_pulse = _generation(fast, light)[1]
    nodes = _chebyshev_nodes(high, points)
    states = _fixed_points(fast, light, points, rtol, high)
    traces = [trap_decay(fast.fast_params(density), n_pulse, times, initial_state=state,
                         rtol=rtol).pl for density, state in zip(nodes, states, strict=True)]
    return DecayTable(nodes=nodes, t=times, pl=np.array(traces), segment=light)


# ============================================================================================
# The multi-timescale solver
# ============================================================================================
@dataclass(frozen=True)
class UltraslowResult:
    """Result of :func:`simulate`: the slow variable and the PL under an illumination protocol.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s], non-decreasing; a time appears twice at a segment edge (end of one segment,
        start of the next) so that switching the light shows as a step.
    segment : numpy.ndarray
        Index of the protocol segment of each time [-].
    intensity : numpy.ndarray
        Average incident power density [mW cm^-2].
    density : numpy.ndarray
        The slow variable [cm^-3]: reservoir density n_LER (:class:`UltraslowParameters`) or
        passivated trap density (:class:`PassivationParameters`).
    pl : numpy.ndarray
        Time-averaged PL [cm^-3 s^-1]; 0 in the dark.
    plqy : numpy.ndarray
        PL quantum yield pl / G [dimensionless]; 0 in the dark.
    heat : numpy.ndarray
        Deposited phonon power density [W cm^-3]; 0 in the dark.
    probe_pl : numpy.ndarray
        PL that a brief exposure to the probe illumination (by default the protocol's first
        lit segment) would give at each time [cm^-3 s^-1]: how dark recovery is measured.
    plateau_pl : numpy.ndarray
        PL each segment would reach after an infinitely long exposure [cm^-3 s^-1] (0 for
        dark segments).
    plateau_density : numpy.ndarray
        Slow variable at the end of an infinitely long exposure to each segment [cm^-3].
    params : UltraslowParameters or PassivationParameters
        The model.
    protocol : IlluminationProtocol
        The protocol.
    probe : Segment
        The probe illumination of ``probe_pl``.
    fresh_pl : numpy.ndarray
        PL of the fresh film (slow variable 0) under each segment's light [cm^-3 s^-1], one
        per segment (0 for dark segments).
    fresh_probe_pl : float
        PL of the fresh film under the probe illumination [cm^-3 s^-1].
    """

    t: np.ndarray
    segment: np.ndarray
    intensity: np.ndarray
    density: np.ndarray
    pl: np.ndarray
    plqy: np.ndarray
    heat: np.ndarray
    probe_pl: np.ndarray
    plateau_pl: np.ndarray
    plateau_density: np.ndarray
    params: _Params = field(repr=False)
    protocol: IlluminationProtocol = field(repr=False)
    probe: Segment = field(repr=False, default=None)
    fresh_pl: np.ndarray = field(repr=False, default=None)
    fresh_probe_pl: float = field(repr=False, default=None)

    @property
    def initial_pl(self) -> float:
        """PL of the film at t = 0 under the probe illumination [cm^-3 s^-1] (the fresh
        film's unless ``initial_density`` > 0)."""
        return float(self.probe_pl[0])

    @property
    def relative_pl(self) -> np.ndarray:
        """pl / PL of the fresh film under the first lit segment's light [dimensionless]: the
        photobrightening curve as experiments plot it (for a film kept in the dark before the
        protocol, the default, the first lit sample is the fresh film's)."""
        first = next(i for i, s in enumerate(self.protocol.segments) if not s.is_dark)
        return self.pl / self.fresh_pl[first]

    @property
    def relative_probe_pl(self) -> np.ndarray:
        """probe_pl / fresh_probe_pl [dimensionless]: brightening, and recovery in the dark,
        relative to the fresh film."""
        return self.probe_pl / self.fresh_probe_pl

    @property
    def relative_density(self) -> np.ndarray:
        """density / params.max_state [dimensionless]."""
        return self.density / self.params.max_state


def _time_grid(protocol: IlluminationProtocol, points: int):
    total = protocol.total_duration
    times, index = [], []
    for i, (start, duration) in enumerate(zip(protocol.edges[:-1], protocol.durations,
                                              strict=True)):
        count = max(24, int(round(points * duration / total)))
        times.append(start + np.linspace(0.0, duration, count))
        index.append(np.full(count, i))
    return np.concatenate(times), np.concatenate(index)


def _user_times(protocol: IlluminationProtocol, t):
    times = _validate.array("t", t, "s", low=0.0, high=protocol.total_duration * (1 + 1e-12),
                            ndim=1, order="non-decreasing", reason="within the protocol")
    return times, protocol.segment_index(times)


def _lit_segment_ler(params: UltraslowParameters, table: _Table, n0: float, local, duration,
                     rtol: float):
    """Slow ODE of the LER model on one lit segment; densities at ``local`` times and at the
    end, and the plateau density."""
    kinetics = params.kinetics
    n_max = kinetics.max_density

    def rate(_t, n):
        return reservoir_density_rate(_t, n, kinetics, table.heat_at(n))

    def jac(_t, n):
        step = 1e-6 * n_max
        return (rate(_t, n + step) - rate(_t, n - step)) / (2 * step)

    sol = solve_ivp(rate, (0.0, duration), [n0], method="LSODA", jac=jac, dense_output=True,
                    rtol=rtol, atol=rtol * n_max)
    if not sol.success:  # pragma: no cover - a smooth scalar ODE
        raise RuntimeError(f"simulate: the slow ODE failed ({sol.message})")
    values = np.clip(sol.sol(local)[0], 0.0, n_max) if local.size else np.empty(0)
    end = float(np.clip(sol.y[0, -1], 0.0, n_max))
    plateau = brentq(lambda n: float(rate(0.0, n)), 0.0, n_max, xtol=1e-12 * n_max)
    return values, end, plateau


def _segment_densities(params: _Params, segment: Segment, table: _Table | None, n0: float,
                       local: np.ndarray, rtol: float):
    """Slow variable on one segment: (values at local times, value at the end, plateau)."""
    kinetics = params.kinetics
    drive_level = 0.0
    if not segment.is_dark:
        if isinstance(params, UltraslowParameters):
            return _lit_segment_ler(params, table, n0, local, segment.duration, rtol)
        drive_level = table.generation  # passivation: driven by absorbed photons, exact
    drive = PiecewiseDrive.constant(drive_level, segment.duration)
    values = reservoir_density(kinetics, drive, local, initial_density=n0).density
    end = float(reservoir_density(kinetics, drive, [segment.duration], n0).density[0])
    plateau = float(kinetics.steady_state(drive_level))
    return values, end, plateau


def simulate(params: _Params, protocol: IlluminationProtocol, t=None, points: int = 400,
             initial_density: float = 0.0, probe: Segment | None = None,
             table_points: int = TABLE_POINTS, rtol: float = 1e-8) -> UltraslowResult:
    r"""Photobrightening, dark recovery and memory under an illumination protocol.

    The multi-timescale solver: carriers in their (periodic) steady state for the current
    slow variable, the slow variable advanced by seconds (see the module docstring).

    Parameters
    ----------
    params : UltraslowParameters or PassivationParameters
        The LER model or the competing passivation model.
    protocol : IlluminationProtocol
        The illumination (a single :class:`Segment` is accepted too).
    t : array_like or None
        Times [s], non-decreasing, within the protocol (at an edge the new segment applies);
        None (default) for a grid of about ``points`` times with each edge twice.
    points : int
        Size of the default grid (>= 2).
    initial_density : float
        Slow variable at t = 0 [cm^-3], in [0, ``params.max_state``]; 0 for a film kept in
        the dark.
    probe : Segment or None
        Illumination whose PL :attr:`UltraslowResult.probe_pl` reports at every time (a
        brief read-out that does not change the slow variable); None (default) for the
        protocol's first lit segment.
    table_points : int
        Chebyshev nodes of the fast-response tables (>= 5).
    rtol : float
        Relative tolerance of the slow integration and of the pulse-train solvers
        [dimensionless], in [1e-12, 1e-4].

    Returns
    -------
    UltraslowResult
        Slow variable [cm^-3], PL [cm^-3 s^-1], PLQY, heat [W cm^-3] and the probe PL.

    Notes
    -----
    On a lit segment of the LER model the slow ODE is

    .. math::

        \frac{dn_{LER}}{dt} = \kappa P_{heat}(n_{LER}) \left(1 - \frac{n_{LER}}{n_{max}}\right)
            - \frac{n_{LER}}{\tau_{LER}},

    with :math:`P_{heat}(n_{LER})` from :func:`fast_response` on ``table_points`` Chebyshev
    nodes of :math:`[0, n_{max}]`, interpolated (barycentric, spectrally accurate for the
    smooth response); it is scalar and autonomous, so :math:`n_{LER}(t)` rises monotonically
    towards the plateau where the right-hand side vanishes. Dark segments, and every segment
    of the passivation model (whose drive G does not depend on the state), use the closed
    form of :func:`lerbook.reservoir.reservoir_density`. Tables depend only on the
    illumination, so they are cached and shared by segments with the same light.

    Examples
    --------
    One minute under 200 mW cm^-2, one minute dark, one minute light:

    >>> protocol = IlluminationProtocol.exposures(200.0, first=60.0, dark=60.0, second=60.0)
    >>> run = simulate(UltraslowParameters(), protocol)
    >>> dark = run.segment == 1
    >>> print(f"PL x{run.relative_probe_pl[dark][0]:.2f}; after the dark x"
    ...       f"{run.relative_probe_pl[dark][-1]:.2f}; at the end x{run.relative_pl[-1]:.2f}")
    PL x2.16; after the dark x1.79; at the end x2.23
    """
    _check_params(params)
    protocol = _check_protocol(protocol)
    points = int(_validate.in_range("points", points, 2, 1e7))
    table_points = int(_validate.in_range("table_points", table_points, 5, 200))
    rtol = _validate.in_range("rtol", rtol, 1e-12, 1e-4)
    n0 = _validate.in_range("initial_density", initial_density, 0.0, params.max_state, "cm^-3")
    if t is None:
        times, index = _time_grid(protocol, points)
    else:
        times, index = _user_times(protocol, t)
    segments = protocol.segments
    density = np.empty(times.size)
    pl = np.zeros(times.size)
    heat = np.zeros(times.size)
    plateau_pl = np.zeros(len(segments))
    plateau_density = np.zeros(len(segments))
    fresh_pl = np.zeros(len(segments))
    for i, (segment, start) in enumerate(zip(segments, protocol.edges[:-1], strict=True)):
        mask = index == i
        local = times[mask] - start
        table = None if segment.is_dark else _table_for(params, segment, table_points, rtol)
        values, n0, plateau = _segment_densities(params, segment, table, n0, local, rtol)
        density[mask] = values
        plateau_density[i] = plateau
        if table is not None:
            pl[mask] = table.pl_at(values)
            heat[mask] = table.heat_at(values)
            plateau_pl[i] = float(table.pl_at(plateau))
            fresh_pl[i] = float(table.pl[0])  # the first Chebyshev node is 0
    probe = protocol.reference if probe is None else probe
    if not isinstance(probe, Segment) or probe.is_dark:
        raise ValueError(f"probe must be a lit Segment or None, got {probe!r}")
    reference = _table_for(params, probe, table_points, rtol)
    generation = np.array([_generation(params, s)[0] for s in segments])[index]
    plqy = np.divide(pl, generation, out=np.zeros_like(pl), where=generation > 0)
    return UltraslowResult(t=times, segment=index, intensity=protocol.intensities[index],
                           density=density, pl=pl, plqy=plqy, heat=heat,
                           probe_pl=reference.pl_at(density), plateau_pl=plateau_pl,
                           plateau_density=plateau_density, params=params, protocol=protocol,
                           probe=probe, fresh_pl=fresh_pl, fresh_probe_pl=float(reference.pl[0]))


def rise_times(result: UltraslowResult, fraction: float = 0.9) -> np.ndarray:
    r"""Time each exposure takes to cover a fraction of the brightening, :math:`t_{90}`.

    Parameters
    ----------
    result : UltraslowResult
        A simulation.
    fraction : float
        Fraction of the brightening [dimensionless], in (0, 1). Default 0.9.

    Returns
    -------
    numpy.ndarray
        One time per lit segment, in order [s], counted from the segment's start: the first
        time its PL reaches the mark
        :math:`PL_{fresh} + f\,(PL_\infty - PL_{fresh})`, where :math:`PL_{fresh}` is the
        fresh film's PL and :math:`PL_\infty` the plateau (the steady state of an
        infinitely long exposure) under that segment's light (interpolated linearly between
        samples). **0** if the segment starts at or beyond the mark (a film still brightened
        by an earlier exposure), **nan** if it ends before reaching it (too short an
        exposure); :func:`describe_rise_time` words both.

    Notes
    -----
    The mark depends on the light only, not on the segment's history or length, so the
    times of two exposures to the same light compare directly: a second exposure that
    starts from a brightened film reaches it sooner (memory). Two other definitions fail:
    a fraction of each segment's *own final* PL depends on the segment's length (a 10 s
    exposure reaches 90 % of its own final PL within 6 s, long before the film has
    brightened), and a fraction of the *remaining* change from the segment's start hides the
    memory (for a first-order law that fraction covered in a given time does not depend on
    the start).

    Examples
    --------
    >>> protocol = IlluminationProtocol.exposures(200.0, first=300.0, dark=60.0, second=300.0)
    >>> first, second = rise_times(simulate(UltraslowParameters(), protocol, points=3000))
    >>> print(f"t90: {first:.0f} s, then {second:.0f} s")
    t90: 64 s, then 34 s
    """
    if not isinstance(result, UltraslowResult):
        raise ValueError(f"result must be an UltraslowResult, got {type(result).__name__}")
    fraction = _validate.in_range("fraction", fraction, 0.0, 1.0, include_low=False,
                                  include_high=False)
    out = []
    for i, segment in enumerate(result.protocol.segments):
        if segment.is_dark:
            continue
        mask = result.segment == i
        t = result.t[mask] - result.protocol.edges[i]
        fresh, plateau = result.fresh_pl[i], result.plateau_pl[i]
        sign = 1.0 if plateau >= fresh else -1.0
        # Distance past the mark, > 0 beyond it (works for a darkening film too).
        past = sign * (result.pl[mask] - (fresh + fraction * (plateau - fresh)))
        reached = np.nonzero(past >= 0)[0]
        if reached.size == 0:
            out.append(math.nan)
            continue
        j = int(reached[0])
        if j == 0:
            out.append(0.0)
            continue
        share = -past[j - 1] / (past[j] - past[j - 1])
        out.append(float(t[j - 1] + share * (t[j] - t[j - 1])))
    return np.array(out)


def describe_rise_time(value: float, fraction: float = 0.9) -> str:
    """Words for one value of :func:`rise_times`: ``"16 s"``, ``"starts above the 90 %
    mark"`` (0) or ``"not reached"`` (nan).

    Parameters
    ----------
    value : float
        A rise time [s], 0 or nan.
    fraction : float
        The level the rise time refers to [dimensionless]. Default 0.9.

    Returns
    -------
    str
        The words.

    Examples
    --------
    >>> [describe_rise_time(x) for x in (15.6, 0.0, math.nan)]
    ['16 s', 'starts above the 90 % mark', 'not reached']
    """
    if not math.isfinite(value):
        return "not reached"
    if value == 0:
        return f"starts above the {100 * fraction:.0f} % mark"
    return f"{value:.0f} s"


# ============================================================================================
# Brute force: the coupled fast + slow ODE, pulse by pulse
# ============================================================================================
@dataclass(frozen=True)
class FullIntegrationResult:
    """Result of :func:`full_integration`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s].
    density : numpy.ndarray
        Reservoir density n_LER [cm^-3].
    pl : numpy.ndarray
        PL [cm^-3 s^-1]: instantaneous B n p under CW light and in the dark, averaged over
        the period that holds each time under a pulse train.
    pulses : int
        Number of pulses integrated one by one.
    params : UltraslowParameters
        The model.
    protocol : IlluminationProtocol
        The protocol.
    """

    t: np.ndarray
    density: np.ndarray
    pl: np.ndarray
    pulses: int
    params: UltraslowParameters = field(repr=False)
    protocol: IlluminationProtocol = field(repr=False)


def _coupled_system(params: UltraslowParameters, generation: float, excess: float,
                    scale: float):
    """Scaled right-hand side and Jacobian of (n, p, n_t, n_LER, Q_rad) / scale, Q_rad the
    photons emitted so far."""
    trap = params.trap
    kinetics = params.kinetics
    k_sigma, B = trap.k_sigma, trap.B
    kappa, n_max, tau = kinetics.formation_yield, kinetics.max_density, kinetics.lifetime
    band_gap = params.band_gap
    q_eg = ELEMENTARY_CHARGE * band_gap

    def rhs(_t, z):
        y = z[:4] * scale
        rates = _coupled_rate(_t, y, params, generation, excess, band_gap)
        return np.concatenate((rates, [B * y[0] * y[1]])) / scale

    def jac(_t, z):
        n, p, nt, n_ler = z[:4] * scale
        out = np.zeros((5, 5))
        out[:3, :3] = trap_jacobian(_t, (n, p, nt), trap)
        out[0, 2] += k_sigma * n_ler
        out[2, 2] -= k_sigma * n_ler
        out[0, 3] = k_sigma * nt
        out[2, 3] = -k_sigma * nt
        _, heat = _carrier_and_heat_rates((n, p, nt, n_ler), params, generation, excess,
                                          band_gap)
        d_nonradiative = -B * np.array([p, n, 0.0, 0.0]) - out[1, :4]
        out[3, :4] = kappa * (1.0 - n_ler / n_max) * q_eg * d_nonradiative
        out[3, 3] += -kappa * heat / n_max - 1.0 / tau
        out[4, 0], out[4, 1] = B * p, B * n
        return out

    return rhs, jac


def _integrate(rhs, jac, z0, duration, t_eval, rtol):
    sol = solve_ivp(rhs, (0.0, duration), z0, method="LSODA", jac=jac, t_eval=t_eval,
                    rtol=rtol, atol=rtol * 1e-3)
    if not sol.success:  # pragma: no cover
        raise RuntimeError(f"full_integration: the ODE solver failed ({sol.message})")
    return sol


def full_integration(params: UltraslowParameters, protocol: IlluminationProtocol, t,
                     initial_density: float = 0.0, rtol: float = 1e-8,
                     max_pulses: int = 100_000) -> FullIntegrationResult:
    r"""Brute force: integrate the coupled fast + slow system, every pulse of a pulse train.

    The reference that :func:`simulate` is tested against, affordable only over short windows
    (a fast reservoir, a modest repetition rate): each pulse is one stiff ODE integration.

    Parameters
    ----------
    params : UltraslowParameters
        The LER model.
    protocol : IlluminationProtocol
        The illumination, starting from the dark state (no carriers).
    t : array_like
        Output times [s], non-decreasing, within the protocol.
    initial_density : float
        n_LER at t = 0 [cm^-3].
    rtol : float
        Relative tolerance [dimensionless], in [1e-12, 1e-4].
    max_pulses : int
        Refuse protocols with more pulses than this (>= 1); :func:`simulate` handles those.

    Returns
    -------
    FullIntegrationResult
        n_LER [cm^-3] and PL [cm^-3 s^-1] at the times ``t``.

    Notes
    -----
    State :math:`(n, p, n_t, n_{LER}, Q_{rad})` scaled by the largest density, integrated
    with LSODA and the analytic Jacobian of :func:`coupled_rate`. A pulse adds
    :math:`n_{pulse}` to n and p and deposits its thermalisation energy
    :math:`u = q\, n_{pulse} (E_{ph} - E_g)` at once, which integrates the slow law exactly
    across the pulse: :math:`1 - n_{LER}/n_{max}` is multiplied by
    :math:`\exp(-\kappa u / n_{max})`. Between pulses G = 0 and the non-radiative heat is
    deposited as it happens.

    Examples
    --------
    A reservoir that lives 1 ms, 100 pulses at 1 MHz:

    >>> fast = UltraslowParameters().with_kinetics(lifetime=1e-3, formation_yield=5e15)
    >>> protocol = IlluminationProtocol.constant(200.0, 1e-4, repetition_rate=1e6)
    >>> brute = full_integration(fast, protocol, [1e-4])
    >>> quick = simulate(fast, protocol, [1e-4])
    >>> print(f"PL {brute.pl[0] / quick.pl[0]:.3f}, "
    ...       f"n_LER {brute.density[0] / quick.density[0]:.3f}")
    PL 0.998, n_LER 0.989
    """
    if not isinstance(params, UltraslowParameters):
        raise ValueError(f"params must be UltraslowParameters, got {type(params).__name__}")
    protocol = _check_protocol(protocol)
    times, index = _user_times(protocol, t)
    rtol = _validate.in_range("rtol", rtol, 1e-12, 1e-4)
    max_pulses = int(_validate.in_range("max_pulses", max_pulses, 1, 1e9))
    n_ler = _validate.in_range("initial_density", initial_density, 0.0, params.max_state,
                               "cm^-3")
    counts = [math.ceil(s.duration * s.repetition_rate - 1e-9) if s.is_pulsed else 0
              for s in protocol.segments]
    if sum(counts) > max_pulses:
        raise ValueError(f"the protocol has {sum(counts)} pulses, more than max_pulses = "
                         f"{max_pulses}; use simulate() for long pulse trains")
    n_max = params.kinetics.max_density
    kappa = params.kinetics.formation_yield
    pulse_sizes = [_generation(params, s)[1] for s in protocol.segments]
    scale = max(params.trap.trap_density, n_max, max(pulse_sizes),
                max(_generation(params, s)[0] for s in protocol.segments) * 1e-7, 1.0)
    state = np.array([0.0, 0.0, 0.0, n_ler])
    density = np.empty(times.size)
    pl = np.empty(times.size)
    for i, (segment, start) in enumerate(zip(protocol.segments, protocol.edges[:-1],
                                             strict=True)):
        mask = index == i
        local = np.clip(times[mask] - start, 0.0, segment.duration)
        excess = 0.0 if segment.is_dark else _excess_energy(params, segment)
        if not segment.is_pulsed:
            generation = _generation(params, segment)[0]
            rhs, jac = _coupled_system(params, generation, excess, scale)
            z0 = np.concatenate((state, [0.0])) / scale
            eval_at = np.unique(np.concatenate((local, [segment.duration])))
            sol = _integrate(rhs, jac, z0, segment.duration, eval_at, rtol)
            y = sol.y * scale
            at = np.searchsorted(eval_at, local)
            density[mask] = y[3, at]
            pl[mask] = params.trap.B * y[0, at] * y[1, at]
            state = np.maximum(y[:4, -1], 0.0)
            continue
        n_pulse = pulse_sizes[i]
        period = 1.0 / segment.repetition_rate
        jump = math.exp(-kappa * ELEMENTARY_CHARGE * n_pulse * excess / n_max)
        rhs, jac = _coupled_system(params, 0.0, excess, scale)
        ends, end_density, photons = [0.0], [state[3]], []
        for k in range(counts[i]):
            state = state + np.array([n_pulse, n_pulse, 0.0, 0.0])
            state[3] = n_max - (n_max - state[3]) * jump
            length = min(period, segment.duration - k * period)
            sol = _integrate(rhs, jac, np.concatenate((state, [0.0])) / scale, length,
                             None, rtol)
            y = sol.y[:, -1] * scale
            state = np.maximum(y[:4], 0.0)
            ends.append(k * period + length)
            end_density.append(state[3])
            photons.append(y[4] / length)
        ends = np.array(ends)
        density[mask] = np.interp(local, ends, end_density)
        which = np.clip(np.searchsorted(ends, local, side="right") - 1, 0, len(photons) - 1)
        pl[mask] = np.array(photons)[which]
    return FullIntegrationResult(t=times, density=density, pl=pl, pulses=int(sum(counts)),
                                 params=params, protocol=protocol)


# ============================================================================================
# Separation of time scales
# ============================================================================================
@dataclass(frozen=True)
class TimescaleSeparation:
    """Result of :func:`timescale_separation`.

    Attributes
    ----------
    fast_time : float
        Relaxation time of the carriers to their (periodic) steady state [s]; at least one
        period for a pulse train.
    slow_time : float
        Relaxation time of the slow variable, 1 / (kappa P / n_max + 1 / tau) [s].
    ratio : float
        epsilon = fast_time / slow_time [dimensionless]: the relative error of the
        multi-timescale solver is of this order.
    period : float
        Time between pulses [s]; 0 for CW light.
    density : float
        The slow variable at which the times were evaluated [cm^-3].
    """

    fast_time: float
    slow_time: float
    ratio: float
    period: float
    density: float

    @property
    def valid(self) -> bool:
        """True if the separation holds well (ratio < 1e-2)."""
        return self.ratio < 1e-2


def _reduced_jacobian(trap: TrapParameters, state) -> np.ndarray:
    """Carrier Jacobian in the coordinates (p, n_t), n = p + N_D - n_t (neutrality)."""
    jac = trap_jacobian(0.0, state, trap)
    d_dp = jac[1:, 1] + jac[1:, 0]
    d_dnt = jac[1:, 2] - jac[1:, 0]
    return np.column_stack((d_dp, d_dnt))


def _map_relaxation(trap: TrapParameters, response: FastResponse, n_pulse: float,
                    period: float, rtol: float) -> float:
    """Spectral radius of the pulse-to-pulse map at its fixed point (finite differences in the
    neutral coordinates (p, n_t))."""
    before = response.state
    nd = trap.doping

    def flow(u):
        start = np.array([u[0] + nd - u[1], u[0], u[1]])
        run = trap_decay(trap, n_pulse, [0.0, period], initial_state=start, rtol=rtol)
        return np.array([run.p[-1], run.n_t[-1]])

    u0 = before[1:].copy()
    base = flow(u0)
    step = 1e-4 * max(n_pulse, trap.trap_density)
    columns = []
    # Raise p (n follows) and lower n_t (n rises): both keep every density >= 0.
    for direction in (np.array([step, 0.0]), np.array([0.0, -min(step, 0.5 * u0[1])])):
        size = float(np.linalg.norm(direction))
        if size == 0:
            columns.append(np.zeros(2))
            continue
        columns.append((flow(u0 + direction) - base) / (direction[0] + direction[1]))
    radius = float(np.max(np.abs(np.linalg.eigvals(np.column_stack(columns)))))
    return radius


def timescale_separation(params: _Params, segment: Segment, density: float = 0.0,
                         rtol: float = 1e-8) -> TimescaleSeparation:
    r"""How well the carriers' and the reservoirs' time scales separate.

    Parameters
    ----------
    params : UltraslowParameters or PassivationParameters
        The model.
    segment : Segment
        A lit segment (CW or pulse train).
    density : float
        Slow variable at which to evaluate [cm^-3]. Default 0 (the fresh film, where the
        carriers are slowest).
    rtol : float
        Relative tolerance of the fast solvers [dimensionless].

    Returns
    -------
    TimescaleSeparation
        Fast and slow times [s] and their ratio.

    Notes
    -----
    CW: the carriers relax at the slowest rate of the Jacobian of
    :func:`lerbook.recombination.trap_rate` at the steady state, restricted to the neutral
    subspace (n = p + N_D - n_t), :math:`\tau_{fast} = 1/\min(-\mathrm{Re}\,\lambda)`.
    Pulse train: a deviation shrinks by the spectral radius :math:`\rho` of the
    pulse-to-pulse map per period T, :math:`\tau_{fast} = \max(T, -T/\ln\rho)`. The slow
    time is :math:`1/(\kappa P/n_{max} + 1/\tau)`
    (:meth:`lerbook.reservoir.ReservoirKinetics.rise_rate`, with
    the heat, or G for the passivation model, as the drive). The quasi-steady solver is
    accurate to :math:`O(\tau_{fast}/\tau_{slow})`.

    Examples
    --------
    >>> sep = timescale_separation(UltraslowParameters(), Segment(1.0, 200.0,
    ...                                                           repetition_rate=1e6))
    >>> print(f"fast {sep.fast_time * 1e6:.1f} us, slow {sep.slow_time:.0f} s, "
    ...       f"ratio {sep.ratio:.0e}")
    fast 1.7 us, slow 32 s, ratio 5e-08
    """
    _check_params(params)
    response = fast_response(params, segment, density, rtol)
    trap = params.fast_params(density)
    if segment.is_pulsed:
        period = 1.0 / segment.repetition_rate
        n_pulse = _generation(params, segment)[1]
        radius = _map_relaxation(trap, response, n_pulse, period, rtol)
        fast = period if radius <= 0 else max(period, -period / math.log(min(radius, 1 - 1e-15)))
    else:
        period = 0.0
        eigenvalues = np.linalg.eigvals(_reduced_jacobian(trap, response.state))
        fast = 1.0 / float(np.min(-eigenvalues.real))
    drive = response.heat if isinstance(params, UltraslowParameters) else \
        response.generation_rate
    slow = 1.0 / float(params.kinetics.rise_rate(drive))
    return TimescaleSeparation(fast_time=fast, slow_time=slow, ratio=fast / slow,
                               period=period, density=float(density))


# ============================================================================================
# Time-dependent TRPL
# ============================================================================================
@dataclass(frozen=True)
class TRPLFamily:
    """TRPL decays recorded at successive times of an illumination protocol.

    Attributes
    ----------
    t : numpy.ndarray
        Time after the pulse [s] (the decay axis), within one period.
    times : numpy.ndarray
        Laboratory times at which the decays were taken [s].
    pl : numpy.ndarray
        PL decays B n p [cm^-3 s^-1], shape (len(times), len(t)), each in its periodic
        steady state.
    density : numpy.ndarray
        Slow variable at each laboratory time [cm^-3].
    one_over_e : numpy.ndarray
        Time for each decay to fall to 1/e of its peak [s]; inf if it does not within ``t``.
    params : UltraslowParameters or PassivationParameters
        The model.
    """

    t: np.ndarray
    times: np.ndarray
    pl: np.ndarray
    density: np.ndarray
    one_over_e: np.ndarray
    params: _Params = field(repr=False)

    @property
    def normalized(self) -> np.ndarray:
        """Each decay divided by its peak [dimensionless]."""
        return self.pl / self.pl.max(axis=1, keepdims=True)


def time_dependent_trpl(params: _Params, protocol: IlluminationProtocol, times, t=None,
                        points: int = 1001, table_points: int = TABLE_POINTS,
                        rtol: float = 1e-8) -> TRPLFamily:
    r"""TRPL decays taken at successive times while a pulse train brightens the film.

    Parameters
    ----------
    params : UltraslowParameters or PassivationParameters
        The model.
    protocol : IlluminationProtocol
        The illumination; every time in ``times`` must fall in a pulse-train segment, whose
        pulses both drive the brightening and excite the TRPL (as in a TCSPC experiment).
    times : array_like
        Laboratory times [s], non-decreasing, within the protocol.
    t : array_like or None
        Times after the pulse [s], within one period; None for ``points`` equally spaced
        times over the period.
    points : int
        Number of decay times when ``t`` is None (>= 2). Default 1001: fine enough to resolve
        the first nanoseconds, which fits of the decay's shape are sensitive to.
    table_points, rtol
        As in :func:`simulate`.

    Returns
    -------
    TRPLFamily
        One periodic-steady-state decay per laboratory time.

    Notes
    -----
    At each laboratory time the slow variable comes from :func:`simulate`, and the decay is
    :func:`lerbook.recombination.periodic_steady_state` for it: the carriers settle within
    microseconds (see :func:`timescale_separation`) while the reservoirs change over seconds,
    so the decay recorded over a TCSPC acquisition of ~1 s is the periodic steady state of
    that moment.

    Examples
    --------
    >>> protocol = IlluminationProtocol.constant(200.0, 60.0, repetition_rate=1e6)
    >>> family = time_dependent_trpl(UltraslowParameters(), protocol, [0.0, 60.0])
    >>> print(", ".join(f"{x * 1e9:.1f} ns" for x in family.one_over_e))
    55.2 ns, 61.6 ns
    """
    _check_params(params)
    protocol = _check_protocol(protocol)
    run = simulate(params, protocol, times, table_points=table_points, rtol=rtol)
    segments = [protocol.segments[i] for i in run.segment]
    for when, segment in zip(run.t, segments, strict=True):
        if not segment.is_pulsed:
            raise ValueError(f"times must fall in pulse-train segments; t = {when:g} s is in "
                             "a CW or dark segment")
    periods = [1.0 / s.repetition_rate for s in segments]
    if t is None:
        points = int(_validate.in_range("points", points, 2, 1e6))
        decay_t = np.linspace(0.0, min(periods), points)
    else:
        decay_t = np.asarray(t, dtype=float)
    traces, lifetimes = [], []
    for density, segment in zip(run.density, segments, strict=True):
        n_pulse = _generation(params, segment)[1]
        pst = periodic_steady_state(params.fast_params(density), n_pulse,
                                    segment.repetition_rate, t=decay_t, rtol=rtol)
        traces.append(pst.pl)
        try:
            lifetimes.append(one_over_e_time(decay_t, pst.pl))
        except ValueError:  # never falls to 1/e within the window: longer than the window
            lifetimes.append(math.inf)
    return TRPLFamily(t=decay_t, times=run.t, pl=np.array(traces), density=run.density,
                      one_over_e=np.array(lifetimes), params=params)


# ============================================================================================
# Stretched exponentials
# ============================================================================================
def fit_trpl_family(family: TRPLFamily, floor: float = 0.1) -> tuple[CurveFit, ...]:
    """Stretched-exponential fits of every decay of a :class:`TRPLFamily`.

    Parameters
    ----------
    family : TRPLFamily
        The decays.
    floor : float
        Fit each decay from its peak down to ``floor`` times the peak [dimensionless].
        Default 0.1 (the first decade, where the decay of a freshly illuminated film is
        nearly exponential).

    Returns
    -------
    tuple of lerbook.fitting.CurveFit
        One :func:`~lerbook.fitting.fit_stretched_exponential` per laboratory time; ``tau``
        and ``mean_time`` in [s].

    Examples
    --------
    >>> protocol = IlluminationProtocol.constant(200.0, 60.0, repetition_rate=1e6)
    >>> family = time_dependent_trpl(UltraslowParameters(), protocol, [0.0, 60.0])
    >>> print(", ".join(f"<tau> = {fit.mean_time * 1e9:.0f} ns, beta = {fit.beta:.2f}"
    ...                 for fit in fit_trpl_family(family)))
    <tau> = 56 ns, beta = 0.95, <tau> = 63 ns, beta = 0.59
    """
    if not isinstance(family, TRPLFamily):
        raise ValueError(f"family must be a TRPLFamily, got {type(family).__name__}")
    return tuple(fit_stretched_exponential(family.t, np.clip(decay, 1e-300, None), "decay",
                                           floor=floor) for decay in family.pl)


# ============================================================================================
# Dose dependence and the competing model
# ============================================================================================
@dataclass(frozen=True)
class DoseResponse:
    """Result of :func:`dose_response`: brightening against the delivered light dose.

    Attributes
    ----------
    dose : numpy.ndarray
        Incident light dose H = I t [J cm^-2].
    intensity : numpy.ndarray
        Exposure intensities [mW cm^-2], one per curve.
    relative_pl : numpy.ndarray
        PL read out by the probe after each dose, relative to the fresh film's,
        shape (len(intensity), len(dose)) [dimensionless].
    exposure_time : numpy.ndarray
        Time to deliver each dose at each intensity [s], same shape.
    probe : Segment
        The read-out illumination.
    params : UltraslowParameters or PassivationParameters
        The model.
    """

    dose: np.ndarray
    intensity: np.ndarray
    relative_pl: np.ndarray
    exposure_time: np.ndarray
    probe: Segment
    params: _Params = field(repr=False)

    @property
    def reciprocity_spread(self) -> float:
        """Largest over smallest brightening (PL / PL_0 - 1) at the highest dose across the
        intensities [dimensionless]: 1 if the response depends on the dose only
        (Bunsen-Roscoe reciprocity)."""
        gain = self.relative_pl[:, -1] - 1.0
        return float(gain.max() / max(gain.min(), 1e-300))


def dose_response(params: _Params, intensities: Sequence[float], max_dose: float,
                  wavelength: float = 405.0, repetition_rate: float | None = None,
                  probe_intensity: float = 20.0, points: int = 100,
                  table_points: int = TABLE_POINTS) -> DoseResponse:
    r"""Brightening against the light dose, for several intensities: the reciprocity test.

    Parameters
    ----------
    params : UltraslowParameters or PassivationParameters
        The model.
    intensities : sequence of float
        Exposure intensities [mW cm^-2], each > 0.
    max_dose : float
        Largest dose [J cm^-2], > 0.
    wavelength : float
        Wavelength [nm] of the exposure and of the probe.
    repetition_rate : float or None
        Pulse-train repetition rate [Hz] of the exposure and of the probe; None for CW.
    probe_intensity : float
        Intensity of the read-out [mW cm^-2], > 0. Default 20: a weak probe, the same for
        every exposure, so that the curves compare the state of the film and not the
        intensity dependence of the carrier kinetics.
    points : int
        Doses per curve, equally spaced from 0 (>= 2).
    table_points : int
        As in :func:`simulate`.

    Returns
    -------
    DoseResponse
        Probe PL relative to the fresh film against dose [J cm^-2], for each intensity.

    Notes
    -----
    If the change of the film depended only on the number of photons absorbed, every
    intensity would give the same curve against the dose :math:`H = I t` (Bunsen-Roscoe
    reciprocity). A slow state that also decays in the dark, over :math:`\tau`, breaks
    reciprocity once delivering the dose takes longer than :math:`\tau`: at low intensity
    the curve falls below the others; a state that saturates at a level set by the intensity
    breaks it at high intensity too. The LER model (:math:`\tau_{LER}` of minutes, drive =
    heat) breaks it over minutes of exposure; light-activated passivation lasting hours
    (drive = absorbed photons) keeps it, but only by construction: its drive is linear in G.
    A photochemistry driven by the carrier density (a rate proportional to n or n p) breaks
    reciprocity even if it never reverses, because n / G depends on the intensity.

    Examples
    --------
    >>> ler = dose_response(UltraslowParameters(), [20.0, 200.0], max_dose=12.0)
    >>> rival = dose_response(PassivationParameters(), [20.0, 200.0], max_dose=12.0)
    >>> print(f"{ler.reciprocity_spread:.2f} vs {rival.reciprocity_spread:.2f}")
    2.25 vs 1.01
    """
    _check_params(params)
    values = np.atleast_1d(np.asarray(intensities, dtype=float))
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)) or \
            np.any(values <= 0):
        raise ValueError(f"intensities must be finite and > 0 [mW cm^-2], got {intensities!r}")
    max_dose = _validate.positive("max_dose", max_dose, "J cm^-2")
    points = int(_validate.in_range("points", points, 2, 1e6))
    probe = Segment(1.0, probe_intensity, wavelength, repetition_rate)
    dose = np.linspace(0.0, max_dose, points)
    curves, durations = [], []
    for intensity in values:
        exposure = dose / (intensity * 1e-3)
        protocol = IlluminationProtocol.constant(intensity, float(exposure[-1]), wavelength,
                                                 repetition_rate)
        run = simulate(params, protocol, exposure, probe=probe, table_points=table_points)
        curves.append(run.relative_probe_pl)
        durations.append(exposure)
    return DoseResponse(dose=dose, intensity=values, relative_pl=np.array(curves),
                        exposure_time=np.array(durations), probe=probe, params=params)


def match_passivation(result: UltraslowResult, recovery_time: float = 3.6e4,
                      table_points: int = 25) -> PassivationParameters:
    r"""The passivation model that reproduces a brightening curve of the LER model.

    Parameters
    ----------
    result : UltraslowResult
        A run of the LER model (:class:`UltraslowParameters`); its first lit segment is the
        curve to match.
    recovery_time : float
        Dark lifetime of a passivated trap [s] (not constrained by a single exposure).
    table_points : int
        Chebyshev nodes of the passivation model's fast-response table.

    Returns
    -------
    PassivationParameters
        Same trap model and film; passivation yield and maximum fraction fitted so that
        its relative PL matches the LER run's over the first exposure.

    Notes
    -----
    Both models start from the same fresh film, so they give the same PL at t = 0; a single
    brightening curve fixes the passivation yield phi (the rate) and the maximum fraction
    (the plateau). That the fit is good is the point: one brightening curve cannot tell the
    mechanisms apart (see :func:`dose_response` for an experiment that can).

    Examples
    --------
    >>> run = simulate(UltraslowParameters(), IlluminationProtocol.constant(200.0, 300.0))
    >>> rival = match_passivation(run)
    >>> print(f"phi = {rival.passivation_yield:.2e}, f_max = {rival.max_fraction:.2f}")
    phi = 3.16e-07, f_max = 0.55
    """
    if not isinstance(result, UltraslowResult) or not isinstance(result.params,
                                                                 UltraslowParameters):
        raise ValueError("result must be an UltraslowResult of UltraslowParameters")
    first = next(i for i, s in enumerate(result.protocol.segments) if not s.is_dark)
    segment = result.protocol.segments[first]
    mask = result.segment == first
    local = result.t[mask] - result.protocol.edges[first]
    target = result.pl[mask] / result.pl[mask][0]
    template = PassivationParameters(trap=result.params.trap, recovery_time=recovery_time,
                                     material=result.params.material,
                                     thickness=result.params.thickness, max_fraction=0.99)
    table = _table_for(template, segment, int(table_points), 1e-8, high=template.max_state)
    generation = table.generation
    trap_density = template.trap.trap_density
    drive = PiecewiseDrive.constant(generation, segment.duration)

    def curve(x):
        kinetics = ReservoirKinetics(formation_yield=math.exp(x[0]), lifetime=recovery_time,
                                     max_density=x[1] * trap_density)
        passivated = reservoir_density(kinetics, drive, local).density
        return table.pl_at(passivated) / table.pl_at(0.0)

    # Start from the rate and plateau of the target curve.
    rise = local[np.argmax(target >= target[0] + (1 - 1 / math.e) * (target[-1] - target[0]))]
    x0 = [math.log(0.5 * trap_density / max(rise, 1e-300) / generation), 0.5]
    sol = least_squares(lambda x: curve(x) - target, x0,
                        bounds=([-np.inf, 0.01], [np.inf, 0.99]), x_scale=[1.0, 0.1])
    return template.replace(passivation_yield=math.exp(sol.x[0]), max_fraction=float(sol.x[1]))
