r"""Fits: TRPL histograms with their instrument, and the small curve fits of every chapter.

Three modules, re-exported here (``from lerbook import fitting; fitting.fit_abc(...)``):

- ``fitting.measured``: what a TCSPC measurement adds to a model decay -- the instrument
  response (:func:`gaussian_irf`), reconvolution (:func:`reconvolve`), Poisson counting noise
  and a background (:func:`synthetic_trpl`) -- and :class:`TRPLData`, a histogram synthetic or
  measured;
- ``fitting.trpl``: exponentials and recombination models fitted to such histograms with IRF
  reconvolution (:func:`fit_exponential`, :func:`fit_abc`, :func:`fit_trap`,
  :func:`fit_decay`), their :class:`FitResult`, and chapter 2's model comparison on a
  synthetic histogram (:func:`synthetic_dataset`, :func:`compare_models`);
- ``fitting.curves``: the small curve fits (:func:`fit_line`, :func:`fit_power_law`,
  :func:`fit_arrhenius`, :func:`fit_stretched_exponential`, :func:`fit_exponential_rate`,
  :func:`fit_power_law_exponent`) with one result type, :class:`CurveFit`.
"""

from lerbook.fitting.curves import (
    CurveFit,
    fit_arrhenius,
    fit_exponential_rate,
    fit_line,
    fit_power_law,
    fit_power_law_exponent,
    fit_stretched_exponential,
    stretched_exponential,
)
from lerbook.fitting.measured import TRPLData, gaussian_irf, reconvolve, synthetic_trpl
from lerbook.fitting.trpl import (
    FIT_BACKGROUND,
    FIT_CHANNELS,
    FIT_N0,
    FIT_TRUTH,
    FitResult,
    compare_models,
    fit_abc,
    fit_decay,
    fit_exponential,
    fit_trap,
    synthetic_dataset,
)

__all__ = [
    "gaussian_irf", "reconvolve", "TRPLData", "synthetic_trpl",
    "FitResult", "fit_decay", "fit_exponential", "fit_abc", "fit_trap",
    "FIT_TRUTH", "FIT_N0", "FIT_CHANNELS", "FIT_BACKGROUND", "synthetic_dataset", "compare_models",
    "CurveFit", "fit_line", "fit_power_law", "fit_arrhenius", "stretched_exponential",
    "fit_stretched_exponential", "fit_exponential_rate", "fit_power_law_exponent",
]
