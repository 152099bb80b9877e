r"""Measured decays: the instrument response, reconvolution and TRPL histograms.

What a time-correlated single photon counting (TCSPC) experiment adds to a model decay: a
Gaussian (or measured) instrument response integrated over each channel
(:func:`~lerbook.fitting.gaussian_irf`),
its convolution with the model (:func:`~lerbook.fitting.reconvolve`), a flat background and Poisson
counting
noise (:func:`~lerbook.fitting.synthetic_trpl`). :class:`~lerbook.fitting.TRPLData` holds a
histogram, synthetic or measured
(:meth:`~lerbook.fitting.TRPLData.from_arrays`), ready for the fits of :mod:`lerbook.fitting`.

Units: times in s, counts per channel in counts; the instrument response is normalised to
unit sum [dimensionless].
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.signal import fftconvolve
from scipy.special import ndtr

from lerbook import _validate
from lerbook.recombination import PulseTrainResult

__all__ = ["gaussian_irf", "reconvolve", "TRPLData", "synthetic_trpl"]


def _channels(name: str, value) -> np.ndarray:
    return _validate.array(name, value, "s", ndim=1, min_size=3, order="equally spaced")


def gaussian_irf(t, fwhm: float, center: float = 0.0) -> np.ndarray:
    """Gaussian instrument response integrated over each channel, normalised to unit sum.

    Parameters
    ----------
    t : array_like
        Channel centre times [s], equally spaced.
    fwhm : float
        Full width at half maximum of the instrument response [s], > 0.
    center : float
        Arrival time of the excitation (the Gaussian's centre) [s]; within the channels.

    Returns
    -------
    numpy.ndarray
        Fraction of the response in each channel [dimensionless], summing to 1.
    """
    times = _channels("t", t)
    fwhm = _validate.positive("irf_fwhm", fwhm, "s")
    center = _validate.in_range("irf_center", center, float(times[0]), float(times[-1]),
                                unit="s")
    sigma = fwhm / (2.0 * math.sqrt(2.0 * math.log(2.0)))
    half = 0.5 * (times[1] - times[0])
    weights = ndtr((times + half - center) / sigma) - ndtr((times - half - center) / sigma)
    total = weights.sum()
    if total <= 0:  # pragma: no cover - center lies inside the axis
        raise ValueError("irf_center must lie within the channels")
    return weights / total


def reconvolve(t, decay: Callable[[np.ndarray], np.ndarray], irf,
               period: float | None = None) -> np.ndarray:
    r"""Convolve a decay model with an instrument response on equally spaced channels.

    Parameters
    ----------
    t : array_like
        Channel centre times [s], equally spaced.
    decay : callable
        ``decay(tau)`` gives the model [any unit] at delays ``tau`` >= 0 [s] after an
        excitation (a numpy array in, an array of the same shape out).
    irf : array_like
        Instrument response on the channels [dimensionless], normalised to unit sum (e.g.
        :func:`gaussian_irf` or a measured response).
    period : float or None
        Repetition period [s] for a periodic model (the decay is evaluated at
        ``tau mod period``, so tails of earlier pulses appear before t = 0); None for a
        single excitation (the model is 0 at negative delays).

    Returns
    -------
    numpy.ndarray
        :math:`S_i = \sum_j \mathrm{IRF}_j\, m(t_i - t_j)` on the channels [model unit].
    """
    times = _channels("t", t)
    weights = _validate.array("irf", irf, "dimensionless")
    if weights.shape != times.shape:
        raise ValueError(f"irf must have the shape of t {times.shape}, got {weights.shape}")
    size = times.size
    lags = (times[1] - times[0]) * np.arange(-(size - 1), size)
    model = np.zeros(lags.size)
    if period is None:
        model[size - 1:] = decay(lags[size - 1:])
    else:
        period = _validate.positive("period", period, "s")
        model = np.asarray(decay(np.mod(lags, period)), dtype=float)
    return fftconvolve(weights, model)[size - 1:2 * size - 1]


def _decay_callable(pl_model):
    """A callable decay(tau) and an optional period from the forms synthetic_trpl takes."""
    if isinstance(pl_model, PulseTrainResult):
        t_model, pl, period = pl_model.t, pl_model.pl, pl_model.period
        return (lambda tau: np.interp(tau, t_model, pl)), period
    if hasattr(pl_model, "t") and hasattr(pl_model, "pl"):
        t_model, pl = np.asarray(pl_model.t), np.asarray(pl_model.pl)
        return (lambda tau: np.interp(tau, t_model, pl, right=0.0)), None
    if callable(pl_model):
        return (lambda tau: np.asarray(pl_model(tau), dtype=float)), None
    raise ValueError("pl_model must be a callable pl(t), or a result with t and pl arrays "
                     f"(DecayResult, TrapResult, PulseTrainResult), got {type(pl_model).__name__}")


@dataclass(frozen=True)
class TRPLData:
    """A TRPL histogram, synthetic or measured, ready for :mod:`lerbook.fitting`.

    Attributes
    ----------
    t : numpy.ndarray
        Channel centre times [s], equally spaced; the excitation arrives near t = 0.
    counts : numpy.ndarray
        Photon counts per channel [counts].
    irf : numpy.ndarray
        Instrument response on the channels [dimensionless], normalised to unit sum.
    irf_fwhm : float or None
        FWHM of a Gaussian instrument response [s]; None for a measured response.
    background : float or None
        True background per channel [counts] (synthetic data); None if unknown.
    expected : numpy.ndarray or None
        Noise-free expected counts per channel [counts] (synthetic data); None if unknown.
    scale : float or None
        Counts per channel per unit of the PL model [counts per model unit] (synthetic data).
    seed : int or None
        Seed of the noise (synthetic data).
    period : float or None
        Repetition period [s] if the model was periodic, else None.
    """

    t: np.ndarray
    counts: np.ndarray
    irf: np.ndarray
    irf_fwhm: float | None = None
    background: float | None = None
    expected: np.ndarray | None = field(default=None, repr=False)
    scale: float | None = None
    seed: int | None = None
    period: float | None = None

    @property
    def channel_width(self) -> float:
        """Width of one channel [s]."""
        return float(self.t[1] - self.t[0])

    @classmethod
    def from_arrays(cls, t, counts, irf=None, irf_fwhm: float | None = None,
                    irf_center: float = 0.0, period: float | None = None) -> TRPLData:
        """Wrap measured (or any user-supplied) data.

        Parameters
        ----------
        t : array_like
            Channel centre times [s], equally spaced.
        counts : array_like
            Counts per channel [counts], >= 0.
        irf : array_like or None
            Measured instrument response on the same channels [any unit], >= 0; normalised
            here to unit sum.
        irf_fwhm : float or None
            FWHM [s] of a Gaussian response centred at ``irf_center``, used when ``irf`` is
            None. With neither, the response is a delta at the channel nearest ``irf_center``
            (no reconvolution).
        irf_center : float
            Excitation arrival time [s] for a Gaussian or delta response.
        period : float or None
            Repetition period [s] if earlier pulses have not decayed, else None.

        Returns
        -------
        TRPLData
        """
        times = _channels("t", t)
        data = _validate.array("counts", counts, "counts")
        if data.shape != times.shape or np.any(data < 0):
            raise ValueError(f"counts must be >= 0 with the shape of t {times.shape}")
        if irf is not None:
            response = _validate.array("irf", irf, "dimensionless")
            if response.shape != times.shape or np.any(response < 0) or response.sum() <= 0:
                raise ValueError("irf must be >= 0, not all 0, with the shape of t")
            response = response / response.sum()
            fwhm = None
        elif irf_fwhm is not None:
            response = gaussian_irf(times, irf_fwhm, irf_center)
            fwhm = float(irf_fwhm)
        else:
            center = _validate.in_range("irf_center", irf_center, float(times[0]),
                                        float(times[-1]), unit="s")
            response = np.zeros(times.size)
            response[int(np.argmin(np.abs(times - center)))] = 1.0
            fwhm = None
        if period is not None:
            period = _validate.positive("period", period, "s")
        return cls(t=times, counts=data, irf=response, irf_fwhm=fwhm, period=period)


def synthetic_trpl(t_bins, pl_model, irf_fwhm: float, counts_peak: float | None = None,
                   total_counts: float | None = None, background: float = 0.0,
                   seed=None, irf_center: float = 0.0) -> TRPLData:
    r"""A TCSPC-like TRPL histogram: model PL convolved with a Gaussian instrument response,
    scaled to counts, plus a flat background, with Poisson noise.

    Parameters
    ----------
    t_bins : array_like
        Channel centre times [s], equally spaced; include some channels before
        ``irf_center`` to see the background.
    pl_model : callable or result
        ``pl(tau)`` at delays ``tau`` >= 0 after the pulse [any unit], or a
        :class:`DecayResult` / :class:`TrapResult` (interpolated, 0 after its last time) or a
        :class:`PulseTrainResult` (periodic: tails of earlier pulses are included).
    irf_fwhm : float
        FWHM of the Gaussian instrument response [s], > 0.
    counts_peak : float or None
        Expected counts in the highest channel, background excluded [counts], > 0.
    total_counts : float or None
        Expected total signal counts, background excluded [counts], > 0. Give exactly one of
        ``counts_peak`` and ``total_counts``.
    background : float
        Expected background counts per channel (dark counts, stray light) [counts], >= 0.
    seed : int, numpy.random.Generator or None
        Seed of the noise (:func:`numpy.random.default_rng`).
    irf_center : float
        Arrival time of the excitation [s], within ``t_bins``. Default 0.

    Returns
    -------
    TRPLData
        Counts, the normalised IRF, the noise-free expectation and the scale used.

    Notes
    -----
    Expected counts :math:`\lambda_i = s \sum_j \mathrm{IRF}_j\, m(t_i - t_j) + b` (see
    :func:`reconvolve`), with s fixed by ``counts_peak`` or ``total_counts``; the counts are
    Poisson draws :math:`k_i \sim \mathrm{Poisson}(\lambda_i)`, which is what TCSPC gives
    at count rates low enough to avoid pile-up.

    Examples
    --------
    >>> t = np.arange(-5e-9, 95e-9, 0.1e-9)
    >>> data = synthetic_trpl(t, lambda tau: np.exp(-tau / 10e-9), irf_fwhm=0.3e-9,
    ...                       counts_peak=1e4, background=5.0, seed=1)
    >>> print(data.counts.size, int(data.expected.max()))
    1000 10005
    """
    times = _channels("t_bins", t_bins)
    decay, period = _decay_callable(pl_model)
    irf = gaussian_irf(times, irf_fwhm, irf_center)
    background = _validate.non_negative("background", background, "counts")
    if (counts_peak is None) == (total_counts is None):
        raise ValueError("give exactly one of counts_peak and total_counts [counts], got "
                         f"counts_peak={counts_peak!r}, total_counts={total_counts!r}")
    signal = reconvolve(times, decay, irf, period)
    if not np.all(np.isfinite(signal)) or signal.max() <= 0:
        raise ValueError("pl_model must give finite values with a positive maximum")
    if counts_peak is not None:
        scale = _validate.positive("counts_peak", counts_peak, "counts") / signal.max()
    else:
        scale = _validate.positive("total_counts", total_counts, "counts") / signal.sum()
    expected = np.clip(scale * signal, 0.0, None) + background
    rng = np.random.default_rng(seed)
    counts = rng.poisson(expected).astype(float)
    return TRPLData(t=times, counts=counts, irf=irf, irf_fwhm=float(irf_fwhm),
                    background=background, expected=expected, scale=float(scale),
                    seed=seed if isinstance(seed, (int, np.integer)) else None, period=period)
