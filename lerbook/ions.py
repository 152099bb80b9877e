r"""Mobile ions: light-induced quenching, blinking, current-voltage hysteresis and halide
phase segregation.

Halide perovskites are mixed ionic-electronic conductors: halide vacancies (and, more slowly,
cation vacancies) move at room temperature [ion-Eames2015]_. Where the lattice energy
reservoir (LER) of :mod:`lerbook.reservoir` makes the film *brighter* under light, mobile ions
mostly pull the other way. This module holds four small models, each as transparent as the
phenomenon allows; every rate constant is **illustrative** unless its docstring cites a source.

1. **Competition** (:func:`competition`): light-generated quenching defects with their own
   formation and healing kinetics, against the reservoir brightening of
   :func:`lerbook.ultraslow.simulate`. Formation is superlinear in the intensity, so
   quenching wins above a crossover intensity, as in the MAPbBr3 single crystal that brightens
   below 200 mW cm^-2 and quenches at 350 mW cm^-2 [ion-Chen2017]_.
2. **Blinking** (:func:`simulate_blinking`): a single grain with a few switching quenching
   sites, simulated exactly (Gillespie's direct method [ion-Gillespie1977]_), binned like a
   photon-counting experiment, with on/off times fitted by exponential and power laws
   [ion-Tian2015]_ [ion-Clauset2009]_.
3. **Hysteresis** (:func:`jv_sweep`): a one-state model of the ionic charge screening the
   built-in field, relaxing with the Debye-layer time constant of the drift-diffusion theory
   [ion-Richardson2016]_ and the IonMonger defaults [ion-Courtier2019]_.
4. **Phase segregation** (:func:`segregation`): a mixed-halide lattice with Kawasaki-exchange
   Monte Carlo in which a fixed number of funnelled carriers pulls iodide towards itself under
   light (a caricature field), the PL red-shifting as carriers funnel into iodide-rich domains
   [ion-Hoke2015]_ [ion-Bischak2017]_.

.. rubric:: References

.. [ion-Eames2015] C. Eames et al., "Ionic transport in hybrid lead iodide perovskite solar
   cells", Nat. Commun. 6, 7497 (2015). doi:10.1038/ncomms8497
.. [ion-Chen2017] S. Chen et al., "Light illumination induced photoluminescence enhancement and
   quenching in lead halide perovskite", Sol. RRL 1, 1600001 (2017).
   doi:10.1002/solr.201600001
.. [ion-Gillespie1977] D. T. Gillespie, "Exact stochastic simulation of coupled chemical
   reactions", J. Phys. Chem. 81, 2340-2361 (1977). doi:10.1021/j100540a008
.. [ion-Tian2015] Y. Tian et al., "Giant photoluminescence blinking of perovskite nanocrystals
   reveals single-trap control of luminescence", Nano Lett. 15, 1603-1608 (2015).
.. [ion-Clauset2009] A. Clauset, C. R. Shalizi and M. E. J. Newman, "Power-law distributions
   in empirical data", SIAM Rev. 51, 661-703 (2009). doi:10.1137/070710111
.. [ion-Richardson2016] G. Richardson et al., "Can slow-moving ions explain hysteresis in the
   current-voltage curves of perovskite solar cells?", Energy Environ. Sci. 9, 1476-1485
   (2016). doi:10.1039/C5EE02740C
.. [ion-Courtier2019] N. E. Courtier, J. M. Cave, J. M. Foster, A. B. Walker and
   G. Richardson, "IonMonger: a free and fast planar perovskite solar cell simulator with
   coupled ion vacancy and charge carrier dynamics", J. Comput. Electron. 18, 1435-1449
   (2019). doi:10.1007/s10825-019-01396-2
.. [ion-Hoke2015] E. T. Hoke et al., "Reversible photo-induced trap formation in mixed-halide
   hybrid perovskites for photovoltaics", Chem. Sci. 6, 613-617 (2015).
   doi:10.1039/C4SC03141E
.. [ion-Bischak2017] C. G. Bischak et al., "Origin of reversible photoinduced phase separation
   in hybrid perovskites", Nano Lett. 17, 1028-1033 (2017).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.ndimage import uniform_filter
from scipy.optimize import brentq, minimize_scalar

from lerbook import _validate
from lerbook.materials import MATERIALS
from lerbook.ultraslow import IlluminationProtocol, UltraslowParameters, simulate
from lerbook.units import BOLTZMANN_EV, ELEMENTARY_CHARGE, VACUUM_PERMITTIVITY

__all__ = [
    "MOBILE_SPECIES",
    "QuenchingParameters",
    "CompetitionResult",
    "competition",
    "crossover_intensity",
    "BlinkingParameters",
    "BlinkingTrace",
    "simulate_blinking",
    "BlinkingStatistics",
    "blinking_statistics",
    "fit_exponential_rate",
    "fit_power_law_exponent",
    "HysteresisParameters",
    "JVSweep",
    "jv_sweep",
    "hysteresis_index",
    "hysteresis_vs_scan_rate",
    "SegregationParameters",
    "SegregationResult",
    "segregation",
    "mixed_halide_band_gap",
]

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


# ============================================================================================
# 1. Competition: quenching defects against reservoir brightening
# ============================================================================================
@dataclass(frozen=True)
class QuenchingParameters:
    r"""Light-generated quenching defects (illustrative parameters for MAPbBr3).

    Parameters
    ----------
    formation_rate : float
        Formation rate of quenching defects at the reference intensity, k_f [s^-1], > 0.
        Default 0.02.
    reference_intensity : float
        Intensity I_ref at which the formation rate is ``formation_rate`` [mW cm^-2], > 0.
        Default 350.
    order : float
        Power m of the intensity in the formation rate [-], in [1, 4]. Default 2 (two carriers
        are needed to displace an ion, so formation outpaces the linear reservoir drive).
    healing_time : float
        Lifetime of a quenching defect, tau_h [s], > 0; defects heal in the dark too.
        Default 60.
    strength : float
        Extra non-radiative rate of a fully formed defect population relative to the film's
        own decay rate, Q [-], >= 0. Default 3.

    Notes
    -----
    The fraction q of the possible quenching defects that exist obeys

    .. math::

        \frac{dq}{dt} = k_f \left(\frac{I}{I_{ref}}\right)^m (1 - q) - \frac{q}{\tau_h},

    and the defects add a non-radiative channel :math:`Q q` (in units of the film's decay
    rate) in parallel with the carrier kinetics, so the PL is divided by :math:`1 + Q q`.

    Examples
    --------
    >>> QuenchingParameters().formation_at(175.0)
    0.005
    """

    formation_rate: float = 0.02
    reference_intensity: float = 350.0
    order: float = 2.0
    healing_time: float = 60.0
    strength: float = 3.0

    def __post_init__(self):
        object.__setattr__(self, "formation_rate",
                           _validate.positive("formation_rate", self.formation_rate, "s^-1"))
        object.__setattr__(self, "reference_intensity",
                           _validate.positive("reference_intensity", self.reference_intensity,
                                              "mW cm^-2"))
        object.__setattr__(self, "order", _validate.in_range("order", self.order, 1.0, 4.0))
        object.__setattr__(self, "healing_time",
                           _validate.positive("healing_time", self.healing_time, "s"))
        object.__setattr__(self, "strength",
                           _validate.non_negative("strength", self.strength))

    def formation_at(self, intensity: float) -> float:
        """Formation rate k_f (I/I_ref)^m at ``intensity`` [mW cm^-2], in [s^-1]."""
        return self.formation_rate * (intensity / self.reference_intensity) ** self.order


#: The chapter's MAPbBr3 film: the reservoir model of :mod:`lerbook.ultraslow` with the
#: MAPbBr3 preset (illustrative kinetics).
MAPBBR3_RESERVOIR = UltraslowParameters(material="MAPbBr3")


@dataclass(frozen=True)
class CompetitionResult:
    """Result of :func:`competition`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s].
    intensity : float
        Illumination intensity [mW cm^-2].
    brightening : numpy.ndarray
        PL relative to t = 0 of the reservoir model alone [-].
    quench_fraction : numpy.ndarray
        Fraction q of the quenching defects formed [-].
    relative_pl : numpy.ndarray
        PL relative to t = 0 with both processes, brightening / (1 + Q q) [-].
    quenching : QuenchingParameters
        The quenching model.
    """

    t: np.ndarray
    intensity: float
    brightening: np.ndarray
    quench_fraction: np.ndarray
    relative_pl: np.ndarray
    quenching: QuenchingParameters = field(repr=False)

    @property
    def final_change(self) -> float:
        """PL at the end relative to the start [-]: > 1 brightened, < 1 quenched."""
        return float(self.relative_pl[-1])


def _quench_fraction(quenching: QuenchingParameters, intensity: float, t) -> np.ndarray:
    k = quenching.formation_at(intensity)
    rate = k + 1.0 / quenching.healing_time
    return k / rate * (1.0 - np.exp(-rate * np.asarray(t, dtype=float)))


def competition(intensity: float, duration: float = 120.0,
                quenching: QuenchingParameters | None = None,
                reservoir: UltraslowParameters = MAPBBR3_RESERVOIR,
                wavelength: float = 405.0, points: int = 200) -> CompetitionResult:
    r"""PL under constant light when reservoir brightening competes with ion quenching.

    Parameters
    ----------
    intensity : float
        Incident power density [mW cm^-2], > 0.
    duration : float
        Illumination time [s], > 0. Default 120.
    quenching : QuenchingParameters, optional
        The quenching defects; default :class:`QuenchingParameters` ().
    reservoir : lerbook.ultraslow.UltraslowParameters
        The brightening model; default MAPbBr3 with illustrative kinetics.
    wavelength : float
        Excitation wavelength [nm]. Default 405.
    points : int
        Number of times of the result. Default 200.

    Returns
    -------
    CompetitionResult

    Notes
    -----
    .. math::

        \frac{PL(t)}{PL(0)} = \frac{B(t)}{1 + Q\, q(t)}, \qquad
        q(t) = \frac{k}{k + 1/\tau_h}\left(1 - e^{-(k + 1/\tau_h) t}\right), \quad
        k = k_f (I/I_{ref})^m,

    with :math:`B(t)` the brightening of :func:`lerbook.ultraslow.simulate` (reservoir
    formation driven by the deposited heat; with the MAPbBr3 preset its 120 s brightening is
    largest near 100 mW cm^-2 and falls at higher I, which adds to the crossover). Treating
    the quenching channel as a factor on the PL assumes the defects add a non-radiative rate
    in parallel with, and small against the change of, the fast carrier kinetics: a first
    approximation, not a coupled solution.

    Examples
    --------
    >>> low, high = competition(100.0), competition(350.0)
    >>> print(f"{low.final_change:.2f} {high.final_change:.2f}")
    2.06 0.74
    """
    quenching = QuenchingParameters() if quenching is None else quenching
    intensity = _validate.positive("intensity", intensity, "mW cm^-2")
    duration = _validate.positive("duration", duration, "s")
    protocol = IlluminationProtocol.constant(intensity, duration, wavelength=wavelength)
    run = simulate(reservoir, protocol, points=int(points))
    t = np.asarray(run.t, dtype=float)
    brightening = np.asarray(run.probe_pl, dtype=float) / float(run.probe_pl[0])
    q = _quench_fraction(quenching, intensity, t)
    relative = brightening / (1.0 + quenching.strength * q)
    return CompetitionResult(t, intensity, brightening, q, relative, quenching)


def crossover_intensity(duration: float = 120.0, quenching: QuenchingParameters | None = None,
                        reservoir: UltraslowParameters = MAPBBR3_RESERVOIR,
                        low: float = 10.0, high: float = 3000.0) -> float:
    """Intensity [mW cm^-2] above which the PL ends lower than it started after ``duration``
    [s] of light (root of final_change = 1 in [low, high]).

    Examples
    --------
    >>> print(f"{crossover_intensity():.0f} mW cm^-2")
    253 mW cm^-2
    """
    def excess(log_intensity):
        return competition(10 ** log_intensity, duration, quenching, reservoir,
                           points=20).final_change - 1.0

    a, b = math.log10(low), math.log10(high)
    if excess(a) * excess(b) > 0:
        raise ValueError(f"no crossover between low={low} and high={high} mW cm^-2")
    return float(10 ** brentq(excess, a, b, xtol=1e-4))


# ============================================================================================
# 2. Blinking of a single grain
# ============================================================================================
@dataclass(frozen=True)
class BlinkingParameters:
    r"""A grain with a few quenching sites that switch on and off (illustrative values).

    Parameters
    ----------
    sites : int
        Number of switching quenching sites, 1-20. Default 1.
    activation_rate : float
        Rate at which an inactive site becomes an active quencher, k_a [s^-1], > 0.
        Default 1.
    deactivation_rate : float
        Rate at which an active site heals, k_d [s^-1], > 0; used when ``off_exponent`` is
        None. Default 2.
    off_exponent : float or None
        If set, every activation draws its own healing rate from
        :math:`\rho(k) \propto k^{m-2}` on [rate_min, rate_max], which makes the off times a
        power law :math:`p(t) \propto t^{-m}` between 1/rate_max and 1/rate_min; m in
        (1, 3]. Default 1.5.
    rate_min, rate_max : float
        Range of the healing rates of the power-law mode [s^-1]. Default 0.01 and 20.
    bright_rate : float
        Detected count rate of the grain with no active site [counts s^-1], > 0. Default 2e4.
    quench_ratio : float
        With n active sites the PL is divided by (1 + quench_ratio * n) [-], > 0. Default 9.
    bin_width : float
        Width of the time bins of the recorded trajectory [s], > 0. Default 0.01.

    Examples
    --------
    >>> BlinkingParameters(sites=2).on_rate
    2.0
    """

    sites: int = 1
    activation_rate: float = 1.0
    deactivation_rate: float = 2.0
    off_exponent: float | None = 1.5
    rate_min: float = 0.01
    rate_max: float = 20.0
    bright_rate: float = 2.0e4
    quench_ratio: float = 9.0
    bin_width: float = 0.01

    def __post_init__(self):
        object.__setattr__(self, "sites", _validate.integer("sites", self.sites, 1, 20))
        for name, unit in (("activation_rate", "s^-1"), ("deactivation_rate", "s^-1"),
                           ("rate_min", "s^-1"), ("rate_max", "s^-1"),
                           ("bright_rate", "counts s^-1"), ("quench_ratio", ""),
                           ("bin_width", "s")):
            object.__setattr__(self, name, _validate.positive(name, getattr(self, name), unit))
        if self.off_exponent is not None:
            object.__setattr__(self, "off_exponent",
                               _validate.in_range("off_exponent", self.off_exponent, 1.0, 3.0,
                                                  include_low=False))
        if not self.rate_min < self.rate_max:
            raise ValueError(f"rate_min ({self.rate_min}) must be below rate_max "
                             f"({self.rate_max}) [s^-1]")

    @property
    def on_rate(self) -> float:
        """Rate of leaving the bright state, N k_a [s^-1]: on times are exponential."""
        return self.sites * self.activation_rate

    def draw_healing_rates(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Healing rates [s^-1] of ``size`` new active sites."""
        if self.off_exponent is None:
            return np.full(size, self.deactivation_rate)
        power = self.off_exponent - 1.0  # exponent of the CDF of rho(k) ~ k^(m-2)
        lo, hi = self.rate_min ** power, self.rate_max ** power
        return (lo + rng.random(size) * (hi - lo)) ** (1.0 / power)


@dataclass(frozen=True)
class BlinkingTrace:
    """Result of :func:`simulate_blinking`.

    Attributes
    ----------
    event_times : numpy.ndarray
        Times of the switching events, starting with 0 [s].
    active : numpy.ndarray
        Number of active quenching sites after each event [-].
    t : numpy.ndarray
        Centres of the time bins [s].
    counts : numpy.ndarray
        Detected photon counts per bin (Poisson) [counts].
    expected : numpy.ndarray
        Expected counts per bin without shot noise [counts].
    threshold : float
        On/off threshold on the counts per bin [counts].
    params : BlinkingParameters
        The model.
    seed : int
        Seed of the numpy Generator.
    """

    event_times: np.ndarray
    active: np.ndarray
    t: np.ndarray
    counts: np.ndarray
    expected: np.ndarray
    threshold: float
    params: BlinkingParameters = field(repr=False)
    seed: int = 0

    @property
    def exact_on_times(self) -> np.ndarray:
        """Durations of the periods with no active site, from the events [s]."""
        return _exact_durations(self.event_times, self.active == 0)

    @property
    def exact_off_times(self) -> np.ndarray:
        """Durations of the periods with at least one active site, from the events [s]."""
        return _exact_durations(self.event_times, self.active > 0)


def _exact_durations(times, state) -> np.ndarray:
    change = np.flatnonzero(np.diff(state.astype(np.int8)) != 0) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(state)]))
    keep = state[starts]
    edges = np.append(times, np.inf)
    durations = edges[ends] - edges[starts]
    # Drop the first period (started before t = 0 in a stationary grain) and the last (cut).
    inner = np.zeros(len(starts), bool)
    inner[1:-1] = True
    return durations[keep & inner]


def simulate_blinking(params: BlinkingParameters | None = None, duration: float = 600.0,
                      seed: int = 0, max_events: int = 2_000_000) -> BlinkingTrace:
    r"""Exact stochastic PL trajectory of a single grain (Gillespie's direct method).

    Parameters
    ----------
    params : BlinkingParameters, optional
        The grain; default :class:`BlinkingParameters` ().
    duration : float
        Length of the trajectory [s], > 0. Default 600.
    seed : int
        Seed of the :class:`numpy.random.Generator`: the same seed gives the same trace.
    max_events : int
        Safety limit on the number of switching events.

    Returns
    -------
    BlinkingTrace

    Notes
    -----
    Each inactive site activates with rate :math:`k_a`, each active site :math:`i` heals with
    its own rate :math:`k_i`. The direct method draws the time to the next event from an
    exponential with the total rate :math:`a_0 = (N - n) k_a + \sum_i k_i` and picks the event
    with probability proportional to its rate. The PL count rate is
    :math:`R_0 / (1 + r\, n)`, integrated over each bin and drawn as Poisson counts.

    Examples
    --------
    >>> trace = simulate_blinking(duration=60.0, seed=1)
    >>> same = simulate_blinking(duration=60.0, seed=1)
    >>> bool(np.array_equal(trace.counts, same.counts))
    True
    """
    params = BlinkingParameters() if params is None else params
    duration = _validate.positive("duration", duration, "s")
    rng = np.random.default_rng(seed)
    n_sites, k_a = params.sites, params.activation_rate
    healing = np.zeros(n_sites)          # healing rate of each active site; 0 = inactive
    times, active = [0.0], [0]
    t = 0.0
    for _ in range(int(max_events)):
        inactive = healing == 0.0
        rates = np.where(inactive, k_a, healing)
        total = rates.sum()
        t += rng.exponential(1.0 / total)
        if t >= duration:
            break
        site = int(np.searchsorted(np.cumsum(rates), rng.random() * total, side="right"))
        site = min(site, n_sites - 1)
        healing[site] = params.draw_healing_rates(rng, 1)[0] if inactive[site] else 0.0
        times.append(t)
        active.append(int(np.count_nonzero(healing)))
    else:  # pragma: no cover - only with absurd rates
        raise ValueError(f"more than max_events={max_events} events: lower the rates or "
                         f"the duration")
    event_times = np.asarray(times)
    active = np.asarray(active)
    # Integrate the piecewise-constant count rate over the bins.
    rate = params.bright_rate / (1.0 + params.quench_ratio * active)
    cumulative = np.concatenate(([0.0], np.cumsum(rate[:-1] * np.diff(event_times))))
    edges = np.arange(0.0, duration + 0.5 * params.bin_width, params.bin_width)
    integral = np.interp(edges, event_times, cumulative)
    beyond = edges > event_times[-1]
    integral[beyond] = cumulative[-1] + rate[-1] * (edges[beyond] - event_times[-1])
    expected = np.diff(integral)
    counts = rng.poisson(expected)
    on = params.bright_rate * params.bin_width
    off = on / (1.0 + params.quench_ratio)
    threshold = math.sqrt(on * off)
    return BlinkingTrace(event_times, active, 0.5 * (edges[1:] + edges[:-1]), counts,
                         expected, threshold, params, int(seed))


def fit_exponential_rate(durations, t_min: float = 0.0, resolution: float = 0.0) -> float:
    r"""Maximum-likelihood rate [s^-1] of exponential durations [s] at or above ``t_min`` [s].

    With ``resolution`` > 0 the durations are whole multiples of a bin of that width [s]
    and the geometric-distribution estimate
    :math:`k = -\ln(1 - \Delta/\overline{(t - t_{min} + \Delta)})/\Delta` is used; with 0, the
    continuous one :math:`k = 1/\overline{(t - t_{min})}`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> print(f"{fit_exponential_rate(rng.exponential(0.5, 20000)):.2f}")
    2.01
    """
    t = np.asarray(durations, dtype=float)
    t = t[t >= t_min - 1e-12]
    if t.size < 2:
        raise ValueError(f"need at least 2 durations >= t_min={t_min} s, got {t.size}")
    if resolution > 0:
        mean_bins = np.mean(t - t_min) / resolution + 1.0
        return float(-math.log(1.0 - 1.0 / mean_bins) / resolution) if mean_bins > 1 else math.inf
    return float(1.0 / np.mean(t - t_min))


def fit_power_law_exponent(durations, t_min: float, t_max: float) -> float:
    r"""Maximum-likelihood exponent m of :math:`p(t) \propto t^{-m}` truncated to
    [t_min, t_max] [s], from the durations [s] inside that window.

    Notes
    -----
    Maximises :math:`\ell(m) = -m \sum \ln t_i + n \ln\frac{m - 1}{t_{min}^{1-m} - t_{max}^{1-m}}`
    (Clauset et al., with the upper truncation).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> u = rng.random(20000)
    >>> t = (1 - u) ** (-1 / 0.5) * 0.1   # untruncated m = 1.5 above 0.1 s
    >>> print(f"{fit_power_law_exponent(t, 0.1, 1e9):.2f}")
    1.50
    """
    t = np.asarray(durations, dtype=float)
    t = t[(t >= t_min) & (t <= t_max)]
    if t.size < 5:
        raise ValueError(f"need at least 5 durations in [{t_min}, {t_max}] s, got {t.size}")
    log_sum = np.sum(np.log(t))
    n = t.size

    def negative_log_likelihood(m):
        if abs(m - 1.0) < 1e-9:
            norm = math.log(math.log(t_max / t_min))
        else:
            norm = math.log((t_min ** (1 - m) - t_max ** (1 - m)) / (m - 1))
        return m * log_sum + n * norm

    return float(minimize_scalar(negative_log_likelihood, bounds=(0.2, 5.0),
                                 method="bounded", options={"xatol": 1e-6}).x)


@dataclass(frozen=True)
class BlinkingStatistics:
    """On/off statistics of a binned trajectory (:func:`blinking_statistics`).

    Attributes
    ----------
    on_times, off_times : numpy.ndarray
        Durations of the on and off periods of the thresholded trajectory [s].
    on_rate : float
        Exponential fit of the on times [s^-1].
    off_rate : float
        Exponential fit of the off times [s^-1].
    off_exponent : float
        Power-law fit of the off times in the fit window [-].
    window : tuple of float
        The power-law fit window [s].
    on_hist, off_hist : tuple of numpy.ndarray
        Log-binned probability densities (bin centres [s], density [s^-1]), empty bins left
        out, for log-log plots.
    off_exponent_error : float
        Standard error abs(m - 1)/sqrt(n) of the power-law exponent, n the off times in the
        window (asymptotic, for the untruncated maximum-likelihood estimate) [-].

    Notes
    -----
    The fit window is fixed, not chosen from the data: Clauset et al.'s choice of t_min by the
    Kolmogorov-Smirnov distance and their goodness-of-fit test are not done here.
    """

    on_times: np.ndarray
    off_times: np.ndarray
    on_rate: float
    off_rate: float
    off_exponent: float
    window: tuple
    on_hist: tuple = field(repr=False)
    off_hist: tuple = field(repr=False)
    off_exponent_error: float = math.nan


def _log_histogram(durations, low, high, bins=20):
    edges = np.logspace(math.log10(low), math.log10(high), bins + 1)
    counts, _ = np.histogram(durations, edges)
    density = counts / (np.diff(edges) * max(len(durations), 1))
    centres = np.sqrt(edges[1:] * edges[:-1])
    keep = counts > 0
    return centres[keep], density[keep]


def blinking_statistics(trace: BlinkingTrace, window: tuple = (0.3, 30.0)) -> BlinkingStatistics:
    """Threshold the binned trajectory, measure on/off durations and fit them.

    Parameters
    ----------
    trace : BlinkingTrace
        The trajectory.
    window : tuple of float
        (t_min, t_max) of the power-law fit of the off times [s].

    Returns
    -------
    BlinkingStatistics

    Examples
    --------
    >>> stats = blinking_statistics(simulate_blinking(duration=1200.0, seed=3))
    >>> print(f"on rate {stats.on_rate:.1f} s^-1, off exponent {stats.off_exponent:.1f}")
    on rate 1.0 s^-1, off exponent 1.6
    """
    dt = trace.params.bin_width
    on = trace.counts >= trace.threshold
    change = np.flatnonzero(np.diff(on.astype(np.int8)) != 0) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(on)]))
    durations = (ends - starts) * dt
    inner = np.zeros(len(starts), bool)
    inner[1:-1] = True
    on_times = durations[on[starts] & inner]
    off_times = durations[~on[starts] & inner]
    on_rate = fit_exponential_rate(on_times, dt, resolution=dt) if on_times.size > 1 else math.nan
    off_rate = (fit_exponential_rate(off_times, dt, resolution=dt) if off_times.size > 1
                else math.nan)
    try:
        exponent = fit_power_law_exponent(off_times, *window)
        n_window = np.count_nonzero((off_times >= window[0]) & (off_times <= window[1]))
        error = abs(exponent - 1.0) / math.sqrt(n_window)
    except ValueError:
        exponent = error = math.nan
    high = max(trace.t[-1], 10 * dt)
    return BlinkingStatistics(on_times, off_times, on_rate, off_rate, exponent, tuple(window),
                              _log_histogram(on_times, dt, high),
                              _log_histogram(off_times, dt, high), error)


# ============================================================================================
# 3. Current-voltage hysteresis
# ============================================================================================
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
        n0 = self.vacancy_density * 1e6  # m^-3
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
        """Ionic screening voltage at equilibrium, x_eq = s (V_bi - V) [V]."""
        return self.screening * (self.built_in_voltage - np.asarray(voltage, dtype=float))

    def current(self, voltage, ionic):
        """Current density J(V, x) [mA cm^-2] at applied voltage [V] and ionic state x [V]."""
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
    and give different numbers. The model gives only normal hysteresis (index >= 0)."""
    return (sweep.power_reverse - sweep.power_forward) / sweep.power_reverse


def hysteresis_vs_scan_rate(scan_rates, params: HysteresisParameters | None = None,
                            v_max: float = 1.2) -> np.ndarray:
    """Hysteresis index [-] at each scan rate [V s^-1].

    Examples
    --------
    >>> index = hysteresis_vs_scan_rate([1e-5, 1e-2, 1e2])
    >>> print(np.round(index, 2))
    [0.01 0.6  0.  ]
    """
    return np.array([jv_sweep(r, params, v_max, points=121).hysteresis_index
                     for r in np.atleast_1d(scan_rates)])


# ============================================================================================
# 4. Light-induced halide phase segregation
# ============================================================================================
def mixed_halide_band_gap(iodide_fraction, bowing: float = 0.33):
    r"""Band gap of MAPb(I_c Br_1-c)3 [eV] from the MAPbI3 and MAPbBr3 presets and a bowing
    parameter [eV] (0.33 eV reproduces the quadratic fit of Noh et al., cited in
    :mod:`lerbook.materials`).

    .. math:: E_g(c) = c E_g^{I} + (1 - c) E_g^{Br} - b\, c (1 - c)

    Examples
    --------
    >>> print(f"{mixed_halide_band_gap(0.5):.3f} eV")
    1.848 eV
    """
    c = np.asarray(iodide_fraction, dtype=float)
    e_i, e_br = MATERIALS["MAPbI3"].band_gap, MATERIALS["MAPbBr3"].band_gap
    return c * e_i + (1.0 - c) * e_br - bowing * c * (1.0 - c)


@dataclass(frozen=True)
class SegregationParameters:
    r"""Lattice model of a mixed-halide film (illustrative parameters).

    Parameters
    ----------
    size : int
        Sites per side of the periodic square lattice, a multiple of 4 in [8, 128].
        Default 32.
    iodide_fraction : float
        Iodide fraction c of MAPb(I_c Br_1-c)3, in (0, 1). Default 0.4.
    dark_coupling : float
        I-I attraction J/kT in the dark [-], >= 0; below the 2D Ising critical value
        0.4407 the alloy stays mixed. Default 0.25.
    light_coupling : float
        Extra I-I attraction K_L per 100 mW cm^-2 of light [-], >= 0. Default 0.1.
    funnel_coupling : float
        Strength h_0 of the funnelling field per 100 mW cm^-2 [-], >= 0: the light adds
        :math:`-\sum_i h_i \sigma_i` with :math:`h_i = h_0 (I/100)\, n_i`, n_i the carrier
        density relative to a uniform film (a fixed number of carriers shared by the
        funnelling weights, mean 1). This term, not ``light_coupling``, sets most of the red
        shift. Default 0.2.
    sweeps_per_second : float
        Monte Carlo sweeps per second of real time (maps MC time to seconds) [s^-1].
        Default 2.
    window : int
        Half-width w of the (2w+1)^2 window over which the composition sets the local gap
        (the carrier's extent, in sites). Default 2.
    funnel_energy : float
        Energy scale E_f of carrier funnelling to low gaps [eV], > 0: site weights
        exp(-E_g / E_f); kT (0.026 eV) would mean full equilibrium. Default 0.1.
    linewidth : float
        Gaussian linewidth of each site's emission [eV]. Default 0.04.
    """

    size: int = 32
    iodide_fraction: float = 0.4
    dark_coupling: float = 0.25
    light_coupling: float = 0.1
    funnel_coupling: float = 0.2
    sweeps_per_second: float = 2.0
    window: int = 2
    funnel_energy: float = 0.1
    linewidth: float = 0.04

    def __post_init__(self):
        object.__setattr__(self, "size", _validate.integer("size", self.size, 8, 128))
        size = self.size
        if size % 4:
            raise ValueError(f"size must be a multiple of 4 in [8, 128], got {size!r}")
        window = _validate.integer("window", self.window, 0, size // 2 - 1)
        object.__setattr__(self, "window", window)
        object.__setattr__(self, "iodide_fraction", _validate.in_range(
            "iodide_fraction", self.iodide_fraction, 0.0, 1.0, include_low=False,
            include_high=False))
        for name, unit in (("dark_coupling", ""), ("light_coupling", ""),
                           ("funnel_coupling", "")):
            object.__setattr__(self, name, _validate.non_negative(name, getattr(self, name),
                                                                  unit))
        for name, unit in (("sweeps_per_second", "s^-1"), ("funnel_energy", "eV"),
                           ("linewidth", "eV")):
            object.__setattr__(self, name, _validate.positive(name, getattr(self, name), unit))

    def coupling(self, intensity: float) -> float:
        """J/kT at ``intensity`` [mW cm^-2]: dark + light * I / 100."""
        return self.dark_coupling + self.light_coupling * intensity / 100.0


def _kawasaki_sweep(spins, coupling, rng, drive=None):
    """One Monte Carlo sweep of nearest-neighbour exchanges (vectorised, detailed balance).

    Non-interacting bonds are updated together: bonds along one axis on every second row
    and every fourth column, so no two chosen bonds share a site or a neighbour. ``spins``
    (C-contiguous) is updated in place."""
    flat = spins.reshape(-1)
    drive_flat = None if drive is None else np.asarray(drive).reshape(-1)
    for _ in range(8):
        axis = int(rng.integers(2))
        q, p = int(rng.integers(2)), int(rng.integers(4))
        a, b, around_a, around_b = _bond_indices(spins.shape[0], axis, q, p)
        sa, sb = flat[a], flat[b]
        field_a = flat[around_a].sum(axis=0)
        field_b = flat[around_b].sum(axis=0)
        delta = 2.0 * coupling * sa * (field_a - field_b) + 4.0 * coupling
        if drive_flat is not None:
            delta = delta + 2.0 * sa * (drive_flat[a] - drive_flat[b])
        accept = (sa != sb) & (rng.random(sa.shape) < np.exp(-np.maximum(delta, 0.0)))
        flat[a] = np.where(accept, sb, sa)
        flat[b] = np.where(accept, sa, sb)


@functools.lru_cache(maxsize=64)
def _bond_indices(size: int, axis: int, q: int, p: int):
    """Flat indices of the bonds one sub-step updates and of their sites' four neighbours.

    Bond (i, j)-(i, j+1) for axis 0, (j, i)-(j+1, i) for axis 1, with i = q, q+2, ... and
    j = p, p+4, ...; the neighbour indices have shape (4, bonds)."""
    rows = np.arange(q, size, 2)[:, None]
    cols = np.arange(p, size, 4)[None, :]
    if axis == 0:
        ai, aj, bi, bj = rows, cols, rows, (cols + 1) % size
    else:
        ai, aj, bi, bj = cols.T, rows.T, (cols.T + 1) % size, rows.T

    def flat(i, j):
        return (np.broadcast_to(i, np.broadcast(i, j).shape) * size + j).ravel()

    def around(i, j):
        return np.stack([flat((i - 1) % size, j), flat((i + 1) % size, j),
                         flat(i, (j - 1) % size), flat(i, (j + 1) % size)])

    return flat(ai, aj), flat(bi, bj), around(ai, aj), around(bi, bj)


def _carriers(params: SegregationParameters, spins):
    """Local band gaps [eV] and carrier occupation (funnelling weights, max 1) of each site."""
    local = uniform_filter((spins > 0).astype(float), size=2 * params.window + 1, mode="wrap")
    gaps = mixed_halide_band_gap(local)
    return local, gaps, np.exp(-(gaps - gaps.min()) / params.funnel_energy)


def _carrier_density(params: SegregationParameters, spins):
    """Carrier density per site relative to a uniform film (mean 1): a fixed number of
    carriers shared by the funnelling weights, smoothed over the carrier's extent."""
    weights = _carriers(params, spins)[2]
    density = weights * (weights.size / weights.sum())
    return uniform_filter(density, size=2 * params.window + 1, mode="wrap")


def _emission(params: SegregationParameters, spins, energies):
    local, gaps, weights = _carriers(params, spins)
    gaps = gaps.ravel()
    weights = weights.ravel() / weights.sum()
    peak = float(np.sum(weights * gaps))
    spectrum = None
    if energies is not None:
        hist, _ = np.histogram(gaps, bins=_edges(energies), weights=weights)
        kernel_e = energies - energies.mean()
        kernel = np.exp(-0.5 * (kernel_e / params.linewidth) ** 2)
        spectrum = np.convolve(hist, kernel / kernel.max(), mode="same")
        spectrum /= spectrum.max()
    return peak, spectrum, float(np.mean(local > 0.8))


def _edges(centres):
    step = centres[1] - centres[0]
    return np.append(centres - 0.5 * step, centres[-1] + 0.5 * step)


@dataclass(frozen=True)
class SegregationResult:
    """Result of :func:`segregation`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s] (light from 0 to light_time, then dark).
    intensity : numpy.ndarray
        Intensity at each time [mW cm^-2].
    peak_energy : numpy.ndarray
        Emission-weighted mean PL energy [eV] (not the spectral maximum).
    peak_wavelength : numpy.ndarray
        The same as a wavelength [nm].
    iodide_rich : numpy.ndarray
        Fraction of sites whose local iodide fraction exceeds 0.8 [-].
    energies : numpy.ndarray
        Energy axis of the spectra [eV].
    spectra : numpy.ndarray
        Normalised PL spectra at the start, end of light and end of dark, shape (3, E) [-].
    snapshots : numpy.ndarray
        Lattices (1 = I, 0 = Br) at the same three times, shape (3, size, size).
    params : SegregationParameters
    seed : int
    """

    t: np.ndarray
    intensity: np.ndarray
    peak_energy: np.ndarray
    peak_wavelength: np.ndarray
    iodide_rich: np.ndarray
    energies: np.ndarray
    spectra: np.ndarray
    snapshots: np.ndarray
    params: SegregationParameters = field(repr=False)
    seed: int = 0

    @property
    def red_shift(self) -> float:
        """PL energy at the start minus at the end of the light [eV] (> 0: red shift)."""
        end = int(np.flatnonzero(self.intensity > 0)[-1]) if np.any(self.intensity > 0) else 0
        return float(self.peak_energy[0] - self.peak_energy[end])

    @property
    def recovery(self) -> float:
        """PL energy at the end of the dark minus at the start [eV] (~0: recovered)."""
        tail = max(len(self.t) // 10, 1)
        return float(np.mean(self.peak_energy[-tail:]) - self.peak_energy[0])


def segregation(intensity: float = 100.0, light_time: float = 60.0, dark_time: float = 240.0,
                params: SegregationParameters | None = None, seed: int = 0,
                samples: int = 60, equilibration: int = 50) -> SegregationResult:
    r"""Light-induced halide segregation and its dark recovery (Kawasaki Monte Carlo).

    Parameters
    ----------
    intensity : float
        Light intensity [mW cm^-2], >= 0.
    light_time, dark_time : float
        Durations of the light and of the following dark [s], >= 0.
    params : SegregationParameters, optional
    seed : int
        Seed of the :class:`numpy.random.Generator`.
    samples : int
        Number of PL samples over the run.
    equilibration : int
        Dark sweeps before t = 0 from a random alloy.

    Returns
    -------
    SegregationResult

    Notes
    -----
    Sites hold iodide (:math:`\sigma = +1`) or bromide (:math:`\sigma = -1`) with energy
    :math:`E/kT = -K(I) \sum_{\langle ij\rangle} \sigma_i \sigma_j - \sum_i h_i \sigma_i`,
    :math:`K(I) = K_0 + K_L I / (100\ \mathrm{mW\,cm^{-2}})`, and under light the funnelling
    field :math:`h_i = h_0 (I / 100\ \mathrm{mW\,cm^{-2}})\, n_i` with
    :math:`n_i = \overline{N w_i / \sum_j w_j}` the carrier density relative to a uniform
    film (N sites, weights :math:`w_i = e^{-(E_{g,i} - E_{g,min})/E_f}`, averaged over the
    window), so a fixed number of carriers is shared out and the pull per site falls as the
    iodide-rich area grows. The field term sets most of the red shift; :math:`K_L` adds
    little. Neighbours exchange with the
    Metropolis probability :math:`\min(1, e^{-\Delta E/kT})`, which conserves the
    composition. The light term is a caricature of the light-dependent driving forces of
    the literature (carriers funnelling into, and lowering the free energy of, iodide-rich
    regions; polaron strain, Bischak et al. 2017). The PL comes from every site with gap
    :math:`E_g(c_{loc})` (:func:`mixed_halide_band_gap` of the local composition), weighted by
    :math:`e^{-E_g/E_f}` for funnelling; ``peak_energy`` is the weighted *mean* PL energy,
    which sits below the alloy gap even in the dark because of this weighting.

    Examples
    --------
    >>> run = segregation(100.0, light_time=60.0, dark_time=240.0, seed=0)
    >>> print(f"red shift {run.red_shift * 1e3:.0f} meV, after dark {run.recovery * 1e3:.0f} meV")
    red shift 128 meV, after dark -4 meV
    """
    params = SegregationParameters() if params is None else params
    intensity = _validate.non_negative("intensity", intensity, "mW cm^-2")
    light_time = _validate.non_negative("light_time", light_time, "s")
    dark_time = _validate.non_negative("dark_time", dark_time, "s")
    if light_time + dark_time == 0:
        raise ValueError("light_time + dark_time must be > 0 s")
    rng = np.random.default_rng(seed)
    size = params.size
    n_iodide = int(round(params.iodide_fraction * size * size))
    flat = -np.ones(size * size, dtype=np.int8)
    flat[rng.permutation(size * size)[:n_iodide]] = 1
    spins = flat.reshape(size, size).astype(float)
    for _ in range(int(equilibration)):
        _kawasaki_sweep(spins, params.dark_coupling, rng)
    total = light_time + dark_time
    n_sweeps = max(int(round(total * params.sweeps_per_second)), 1)
    light_sweeps = int(round(light_time * params.sweeps_per_second))
    sample_at = np.unique(np.linspace(0, n_sweeps, int(samples) + 1).round().astype(int))
    sample_at = np.union1d(sample_at, [light_sweeps])
    energies = np.linspace(1.45, 2.45, 201)
    peaks, rich, times, levels, spectra, snaps = [], [], [], [], [], []
    sweep = 0
    for target in sample_at:
        while sweep < target:
            lit = sweep < light_sweeps
            drive = None
            if lit and params.funnel_coupling > 0 and intensity > 0:
                drive = (params.funnel_coupling * intensity / 100.0
                         * _carrier_density(params, spins))
            _kawasaki_sweep(spins, params.coupling(intensity if lit else 0.0), rng, drive)
            sweep += 1
        keep = target in (0, light_sweeps, n_sweeps)
        peak, spectrum, frac = _emission(params, spins, energies if keep else None)
        peaks.append(peak)
        rich.append(frac)
        times.append(target / params.sweeps_per_second)
        levels.append(intensity if target <= light_sweeps and light_sweeps > 0 else 0.0)
        if keep:
            spectra.append(spectrum)
            snaps.append((spins > 0).astype(np.int8))
    while len(spectra) < 3:  # light_time or dark_time 0: repeat the last state
        spectra.append(spectra[-1])
        snaps.append(snaps[-1])
    peak_energy = np.asarray(peaks)
    return SegregationResult(np.asarray(times), np.asarray(levels), peak_energy,
                             1239.84198 / peak_energy, np.asarray(rich), energies,
                             np.asarray(spectra), np.asarray(snaps), params, int(seed))

