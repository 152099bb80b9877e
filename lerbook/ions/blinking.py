"""Blinking of a single grain (model 2 of :mod:`lerbook.ions`): a few switching quenching
sites simulated exactly with Gillespie's direct method, binned like a photon-counting
experiment, with on/off times fitted by exponential and power laws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from lerbook import _validate
from lerbook.fitting.curves import fit_exponential_rate, fit_power_law_exponent

__all__ = ["BlinkingParameters", "BlinkingTrace", "simulate_blinking", "BlinkingStatistics",
           "blinking_statistics"]

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
        """Healing rates [s^-1] of ``size`` new active sites.

        Parameters
        ----------
        rng : numpy.random.Generator
            The random generator of the simulation.
        size : int
            Number of new active sites, >= 0.

        Returns
        -------
        numpy.ndarray
            A healing rate for each [s^-1].
        """
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
    on_rate = (fit_exponential_rate(on_times, dt, resolution=dt).rate if on_times.size > 1
               else math.nan)
    off_rate = (fit_exponential_rate(off_times, dt, resolution=dt).rate if off_times.size > 1
                else math.nan)
    try:
        power_law = fit_power_law_exponent(off_times, *window)
        exponent, error = power_law.exponent, power_law.exponent_error
    except ValueError:
        exponent = error = math.nan
    high = max(trace.t[-1], 10 * dt)
    return BlinkingStatistics(on_times, off_times, on_rate, off_rate, exponent, tuple(window),
                              _log_histogram(on_times, dt, high),
                              _log_histogram(off_times, dt, high), error)
