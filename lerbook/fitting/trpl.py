r"""TRPL fits: exponentials and recombination models fitted to histograms, with IRF reconvolution.

Every fit here follows the same recipe, the standard one for time-correlated single photon
counting (TCSPC) data [fit-Lakowicz2006]_:

1. a model decay :math:`m(\tau; \theta)` (counts per channel, before the instrument) is
   convolved with the instrument response (IRF) of the data
   (:func:`~lerbook.fitting.reconvolve`) and a flat background b is added:
   :math:`\lambda_i(\theta) = (\mathrm{IRF} \ast m)_i + b`;
2. the Poisson-weighted residuals :math:`r_i = (k_i - \lambda_i) / \sigma_i`,
   :math:`\sigma_i = \sqrt{\max(k_i, 1)}`, are minimised with
   :func:`scipy.optimize.least_squares` (trust-region reflective) -- or, with
   ``weighting="poisson"``, the signed square roots of the Poisson deviance, which gives the
   maximum-likelihood estimate and avoids the low bias of data-based weights in channels
   with few counts [fit-Baker1984]_; positive parameters (lifetimes, amplitudes, rate
   constants) are fitted as their logarithms, so they stay positive and parameters that
   differ by orders of magnitude are equally well scaled;
3. the covariance is :math:`(J^T J)^{-1}` at the optimum (pseudo-inverse via the SVD, as in
   :func:`scipy.optimize.curve_fit`), scaled by the reduced :math:`\chi^2`, and mapped back
   to the natural parameters (:math:`\sigma_\theta = \theta\, \sigma_{\ln\theta}` for
   log-fitted ones);
4. goodness of fit: :math:`\chi^2 = \sum r_i^2`, :math:`\chi^2_\nu = \chi^2 / (N - k)`, and
   the information criteria :math:`\mathrm{AIC} = \chi^2 + 2k` [fit-Akaike1974]_ and
   :math:`\mathrm{BIC} = \chi^2 + k \ln N` [fit-Schwarz1978]_ (the Gaussian approximation
   of the Poisson likelihood, up to a constant common to all models fitted to the same
   channels: only differences between models mean anything).

Models: :func:`~lerbook.fitting.fit_exponential` (mono- and bi-exponential),
:func:`~lerbook.fitting.fit_abc` (the ABC model
with a known initial density), :func:`~lerbook.fitting.fit_trap` (any subset of the trap-model
parameters),
and :func:`~lerbook.fitting.fit_decay` for a user-defined decay. Data come as a
:class:`~lerbook.fitting.TRPLData`, from :func:`~lerbook.fitting.synthetic_trpl` or
:meth:`~lerbook.fitting.TRPLData.from_arrays` for measured arrays.

.. rubric:: References

.. [fit-Lakowicz2006] J. R. Lakowicz, *Principles of Fluorescence Spectroscopy*, 3rd ed.
   (Springer, 2006), ch. 4 (time-domain lifetime measurements, reconvolution, chi^2).
.. [fit-Akaike1974] H. Akaike, "A new look at the statistical model identification",
   IEEE Trans. Autom. Control 19, 716-723 (1974). doi:10.1109/TAC.1974.1100705
.. [fit-Schwarz1978] G. Schwarz, "Estimating the dimension of a model", Ann. Stat. 6,
   461-464 (1978). doi:10.1214/aos/1176344136
.. [fit-Baker1984] S. Baker and R. D. Cousins, "Clarification of the use of chi-square and
   likelihood functions in fits to histograms", Nucl. Instrum. Methods Phys. Res. 221,
   437-442 (1984).
"""

from __future__ import annotations

import dataclasses
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from lerbook import _validate
from lerbook.fitting.measured import TRPLData, reconvolve, synthetic_trpl
from lerbook.recombination import (
    ABCParameters,
    TrapParameters,
    abc_decay,
    one_over_e_time,
    periodic_steady_state,
    trap_decay,
)

__all__ = ["FitResult", "fit_decay", "fit_exponential", "fit_abc", "fit_trap", "FIT_TRUTH",
           "FIT_N0", "FIT_CHANNELS", "FIT_BACKGROUND", "synthetic_dataset", "compare_models"]

_TRAP_FIELDS = ("trap_density", "gamma_n", "gamma_p", "B", "C", "trap_depth", "doping",
                "k_sigma", "n_ler")


@dataclass(frozen=True)
class FitResult:
    """Result of a TRPL fit.

    Attributes
    ----------
    model : str
        Name of the model (``"mono"``, ``"bi"``, ``"abc"``, ``"trap"`` or the name given to
        :func:`fit_decay`).
    params : dict
        Best-fit value of every fitted parameter, in its unit (lifetimes [s], amplitudes and
        background [counts per channel], A [s^-1], B [cm^3 s^-1], ...).
    errors : dict
        One-standard-deviation uncertainty of each parameter [same unit], from the Jacobian
        covariance scaled by the reduced chi^2.
    residuals : numpy.ndarray
        Weighted residuals (counts - fitted) / sqrt(max(counts, 1)) on every channel
        (signed deviance residuals for ``weighting="poisson"``) [dimensionless]; 0 outside
        the fitted window (see ``mask``).
    chi2_reduced : float
        chi^2 / (N - k) over the fitted window [dimensionless]; about 1 for a model that
        describes the data to within the counting noise.
    aic : float
        Akaike information criterion chi^2 + 2k [dimensionless].
    bic : float
        Bayesian information criterion chi^2 + k ln N [dimensionless].
    fitted : numpy.ndarray
        Model counts on every channel [counts].
    t : numpy.ndarray
        Channel times [s].
    mask : numpy.ndarray
        True on the channels that were fitted.
    chi2 : float
        Sum of squared weighted residuals over the window [dimensionless].
    dof : int
        Degrees of freedom N - k.
    covariance : numpy.ndarray
        Covariance of the parameters in the order of ``params`` [products of their units].
    success : bool
        Whether the optimiser reported convergence.
    message : str
        The optimiser's message.
    """

    model: str
    params: dict
    errors: dict
    residuals: np.ndarray = field(repr=False)
    chi2_reduced: float
    aic: float
    bic: float
    fitted: np.ndarray = field(repr=False)
    t: np.ndarray = field(default=None, repr=False)
    mask: np.ndarray = field(default=None, repr=False)
    chi2: float = 0.0
    dof: int = 0
    covariance: np.ndarray = field(default=None, repr=False)
    success: bool = True
    message: str = ""

    def z_scores(self, truth: Mapping[str, float]) -> dict:
        """(fitted - true) / error for each parameter named in ``truth`` [dimensionless].

        Parameters
        ----------
        truth : Mapping of str to float
            True value of some fitted parameters [their units].

        Returns
        -------
        dict
            (fitted - true) / error for each of them [dimensionless].
        """
        return {name: (self.params[name] - value) / self.errors[name]
                for name, value in truth.items()}


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------
def _check_data(data) -> TRPLData:
    if not isinstance(data, TRPLData):
        raise ValueError("data must be a TRPLData (see synthetic_trpl or TRPLData.from_arrays), "
                         f"got {type(data).__name__}")
    return data


def _window(data: TRPLData, fit_range) -> np.ndarray:
    if fit_range is None:
        return np.ones(data.t.size, dtype=bool)
    try:
        low, high = (float(v) for v in fit_range)
    except (TypeError, ValueError):
        raise ValueError(f"fit_range must be (t_min, t_max) [s], got {fit_range!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"fit_range must be finite with t_min < t_max [s], got {fit_range!r}")
    return (data.t >= low) & (data.t <= high)


def _guess_background(data: TRPLData) -> float:
    """Median counts before the excitation (where the IRF has not yet risen), else in the
    last 5 % of the channels."""
    before = np.cumsum(data.irf) < 1e-4
    region = data.counts[before] if before.sum() >= 5 else data.counts[-max(5, data.t.size // 20):]
    return float(np.median(region))


def _guess_decay(data: TRPLData, background: float) -> tuple[float, float]:
    """(amplitude [counts], 1/e time [s]) of the background-subtracted, lightly smoothed data."""
    signal = np.convolve(data.counts - background, np.ones(5) / 5.0, mode="same")
    signal = np.clip(signal, 0.0, None)
    amplitude = max(float(signal.max()), 1.0)
    try:
        tau = one_over_e_time(data.t, signal)
    except ValueError:
        tau = 0.3 * float(data.t[-1] - data.t[0])
    return amplitude, max(tau, data.channel_width)


def _weighting(value) -> str:
    if value not in ("neyman", "poisson"):
        raise ValueError(f"weighting must be one of neyman, poisson; got {value!r}")
    return value


def _deviance_residuals(counts: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Signed square roots of the Poisson deviance terms [dimensionless]."""
    lam = np.maximum(expected, 1e-300)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(counts > 0, counts * np.log(counts / lam), 0.0)
    deviance = np.maximum(2.0 * (lam - counts + log_term), 0.0)
    return np.sign(counts - lam) * np.sqrt(deviance)


def _sorted_evaluation(function: Callable[[np.ndarray], np.ndarray], tau: np.ndarray):
    """Evaluate a model that needs non-decreasing times at arbitrary delays."""
    order = np.argsort(tau, kind="stable")
    out = np.empty(tau.size)
    out[order] = function(tau[order])
    return out


def fit_decay(data: TRPLData, model: Callable[..., np.ndarray], p0: Mapping[str, float], *,
              name: str = "custom", log_params: Iterable[str] | None = None,
              background: float | None = None, fit_range=None,
              diff_step: float = 1e-6, weighting: str = "neyman") -> FitResult:
    r"""Fit a user-defined decay, reconvolved with the data's IRF, plus a flat background.

    Parameters
    ----------
    data : TRPLData
        Channels, counts and instrument response.
    model : callable
        ``model(tau, **params)`` gives the decay at delays ``tau`` >= 0 [s] after the
        excitation, in counts per channel before the instrument response (so it includes
        the amplitude).
    p0 : mapping
        Starting value of each fitted parameter (name -> value, in its unit).
    name : str
        Name stored in :attr:`FitResult.model`.
    log_params : iterable of str or None
        Parameters fitted as their logarithm (they must be > 0); None (default) for every
        parameter whose starting value is > 0.
    background : float or None
        None (default) fits the background [counts per channel]; a number fixes it.
    fit_range : (float, float) or None
        Window (t_min, t_max) [s] of the channels compared with the data; the model is always
        computed on all channels (the convolution needs the earlier ones).
    diff_step : float
        Relative step of the finite-difference Jacobian [dimensionless] (raise it, e.g. to
        1e-4, for models computed by an ODE solver).
    weighting : {"neyman", "poisson"}
        ``"neyman"`` (default): least squares with :math:`\sigma_i = \sqrt{\max(k_i, 1)}`.
        ``"poisson"``: Poisson maximum likelihood, minimising the deviance through the
        residuals :math:`r_i = \mathrm{sign}(k_i - \lambda_i) \sqrt{2(\lambda_i - k_i +
        k_i \ln(k_i/\lambda_i))}` Baker (1984), with the background kept >= 0; unbiased where
        channels hold few counts, where Neyman weights pull the fit low by about one count
        per channel (visible mostly in the background).

    Returns
    -------
    FitResult

    Notes
    -----
    See the module docstring for the weighting, the covariance and the information
    criteria.

    Examples
    --------
    >>> import numpy as np
    >>> from lerbook.fitting import synthetic_trpl
    >>> t = np.arange(-5e-9, 95e-9, 0.1e-9)
    >>> data = synthetic_trpl(t, lambda tau: np.exp(-tau / 10e-9), irf_fwhm=0.3e-9,
    ...                       counts_peak=1e4, background=5.0, seed=1)
    >>> fit = fit_decay(data, lambda tau, a, tau1: a * np.exp(-tau / tau1),
    ...                 {"a": 5e3, "tau1": 5e-9}, name="my exponential")
    >>> print(f"tau = {fit.params['tau1'] * 1e9:.2f} +- {fit.errors['tau1'] * 1e9:.2f} ns")
    tau = 10.02 +- 0.01 ns
    """
    data = _check_data(data)
    if not callable(model):
        raise ValueError(f"model must be callable as model(tau, **params), got {model!r}")
    if not isinstance(p0, Mapping) or len(p0) == 0:
        raise ValueError(f"p0 must be a non-empty mapping name -> starting value, got {p0!r}")
    names = list(p0)
    start = {key: _validate._as_float(f"p0[{key!r}]", value) for key, value in p0.items()}
    if log_params is None:
        logs = {key for key, value in start.items() if value > 0}
    else:
        logs = set(log_params)
        unknown = logs - set(names)
        if unknown:
            raise ValueError(f"log_params names parameters not in p0: {sorted(unknown)}")
        for key in logs:
            _validate.positive(f"p0[{key!r}]", start[key])
    if background is not None:
        background = _validate._as_float("background", background)
    diff_step = _validate.in_range("diff_step", diff_step, 1e-10, 1e-1)
    weighting = _weighting(weighting)
    mask = _window(data, fit_range)
    fit_bg = background is None
    all_names = names + (["background"] if fit_bg else [])
    if mask.sum() <= len(all_names):
        raise ValueError(f"fit_range must contain more channels than the {len(all_names)} "
                         f"fitted parameters, got {int(mask.sum())}")
    if fit_bg:
        start["background"] = _guess_background(data)
    is_log = np.array([key in logs for key in all_names])
    x0 = np.array([math.log(start[k]) if key_log else start[k]
                   for k, key_log in zip(all_names, is_log, strict=True)])
    counts = data.counts[mask]
    sigma = np.sqrt(np.maximum(counts, 1.0))

    def natural(x):
        values = np.where(is_log, np.exp(np.clip(x, -745.0, 709.0)), x)
        return dict(zip(all_names, values.tolist(), strict=True))

    def expected(x):
        values = natural(x)
        bg = values.pop("background") if fit_bg else background
        curve = reconvolve(data.t, lambda tau: np.asarray(model(tau, **values), dtype=float),
                           data.irf, data.period)
        return curve + bg

    def residuals(x):
        model_counts = expected(x)[mask]
        if weighting == "neyman":
            r = (counts - model_counts) / sigma
        else:
            r = _deviance_residuals(counts, model_counts)
        return np.where(np.isfinite(r), r, 1e30)

    first = residuals(x0)
    if np.any(first >= 1e30):
        raise ValueError(f"p0 gives non-finite model values: {dict(p0)!r}")
    lower = np.full(x0.size, -np.inf)
    if fit_bg and weighting == "poisson":  # a Poisson expectation cannot be negative
        lower[-1] = 0.0
        x0[-1] = max(x0[-1], 1e-3)
    solution = least_squares(residuals, x0, method="trf", x_scale="jac", diff_step=diff_step,
                             bounds=(lower, np.inf), xtol=1e-12, ftol=1e-12, gtol=1e-12,
                             max_nfev=200 * x0.size)
    x = solution.x
    r = solution.fun
    chi2 = float(r @ r)
    n_points, k = int(mask.sum()), x.size
    dof = n_points - k
    chi2_reduced = chi2 / dof
    jac = solution.jac
    _, singular, vt = np.linalg.svd(jac, full_matrices=False)
    keep = singular > np.finfo(float).eps * max(jac.shape) * singular[0]
    vt = vt[keep]
    cov_x = (vt.T / singular[keep] ** 2) @ vt * chi2_reduced
    values = natural(x)
    factor = np.where(is_log, np.array(list(values.values())), 1.0)
    covariance = cov_x * np.outer(factor, factor)
    spread = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    errors = dict(zip(all_names, spread.tolist(), strict=True))
    fitted = expected(x)
    full_residuals = np.zeros(data.t.size)
    full_residuals[mask] = r
    return FitResult(model=name, params=values, errors=errors, residuals=full_residuals,
                     chi2_reduced=chi2_reduced, aic=chi2 + 2.0 * k,
                     bic=chi2 + k * math.log(n_points), fitted=fitted, t=data.t, mask=mask,
                     chi2=chi2, dof=dof, covariance=covariance,
                     success=bool(solution.success), message=str(solution.message))


# --------------------------------------------------------------------------------------------
# Exponentials
# --------------------------------------------------------------------------------------------
def _mono(tau, amplitude, tau_1):
    return amplitude * np.exp(-tau / tau_1)


def _bi(tau, amplitude_1, tau_1, amplitude_2, tau_2):
    return amplitude_1 * np.exp(-tau / tau_1) + amplitude_2 * np.exp(-tau / tau_2)


def fit_exponential(data: TRPLData, n_exp: int = 1, p0: Mapping[str, float] | None = None,
                    background: float | None = None, fit_range=None,
                    weighting: str = "neyman") -> FitResult:
    r"""Mono- or bi-exponential fit with IRF reconvolution.

    Parameters
    ----------
    data : TRPLData
        The histogram.
    n_exp : {1, 2}
        Number of exponentials.
    p0 : mapping or None
        Starting values: ``amplitude`` [counts], ``tau_1`` [s] for one exponential;
        ``amplitude_1``, ``tau_1``, ``amplitude_2``, ``tau_2`` for two. None: guessed from the
        data (the 1/e time; for two exponentials, from a one-exponential fit first).
    background : float or None
        None fits a flat background [counts per channel]; a number fixes it.
    fit_range : (float, float) or None
        Window of fitted channels (t_min, t_max) [s].
    weighting : {"neyman", "poisson"}
        Residual weighting, as in :func:`fit_decay`.

    Returns
    -------
    FitResult
        ``model`` is ``"mono"`` or ``"bi"``; for two exponentials ``tau_1 < tau_2``.

    Notes
    -----
    :math:`m(\tau) = a e^{-\tau/\tau_1}` or :math:`a_1 e^{-\tau/\tau_1} + a_2
    e^{-\tau/\tau_2}` (counts per channel at the excitation), fitted as described in the
    module docstring.

    Examples
    --------
    >>> import numpy as np
    >>> from lerbook.fitting import synthetic_trpl
    >>> t = np.arange(-5e-9, 95e-9, 0.1e-9)
    >>> data = synthetic_trpl(t, lambda tau: np.exp(-tau / 10e-9), irf_fwhm=0.3e-9,
    ...                       counts_peak=1e4, background=5.0, seed=1)
    >>> fit = fit_exponential(data)
    >>> print(f"tau = {fit.params['tau_1'] * 1e9:.2f} ns, chi2_red = {fit.chi2_reduced:.2f}")
    tau = 10.02 ns, chi2_red = 1.02
    """
    data = _check_data(data)
    if n_exp not in (1, 2) or isinstance(n_exp, bool):
        raise ValueError(f"n_exp must be 1 or 2, got {n_exp!r}")
    if n_exp == 1:
        if p0 is None:
            amplitude, tau = _guess_decay(data, _guess_background(data)
                                          if background is None else background)
            p0 = {"amplitude": amplitude, "tau_1": tau}
        _require_keys("p0", p0, ("amplitude", "tau_1"))
        return fit_decay(data, _mono, p0, name="mono", background=background,
                         fit_range=fit_range, weighting=weighting)
    if p0 is None:
        mono = fit_exponential(data, 1, background=background, fit_range=fit_range,
                               weighting=weighting)
        a, tau = mono.params["amplitude"], mono.params["tau_1"]
        p0 = {"amplitude_1": 0.5 * a, "tau_1": tau / 4.0, "amplitude_2": 0.5 * a,
              "tau_2": 2.0 * tau}
    _require_keys("p0", p0, ("amplitude_1", "tau_1", "amplitude_2", "tau_2"))
    fit = fit_decay(data, _bi, p0, name="bi", background=background, fit_range=fit_range,
                    weighting=weighting)
    if fit.params["tau_1"] > fit.params["tau_2"]:
        fit = _swap_components(fit)
    return fit


def _require_keys(name: str, mapping, keys: tuple[str, ...]) -> None:
    if not isinstance(mapping, Mapping) or set(mapping) != set(keys):
        raise ValueError(f"{name} must have exactly the keys {', '.join(keys)}; got "
                         f"{mapping!r}")


def _swap_components(fit: FitResult) -> FitResult:
    """Relabel a bi-exponential fit so that tau_1 < tau_2."""
    rename = {"amplitude_1": "amplitude_2", "amplitude_2": "amplitude_1",
              "tau_1": "tau_2", "tau_2": "tau_1"}
    names = list(fit.params)
    index = [names.index(rename.get(key, key)) for key in names]
    params = {key: fit.params[names[i]] for key, i in zip(names, index, strict=True)}
    errors = {key: fit.errors[names[i]] for key, i in zip(names, index, strict=True)}
    covariance = fit.covariance[np.ix_(index, index)]
    return FitResult(model=fit.model, params=params, errors=errors, residuals=fit.residuals,
                     chi2_reduced=fit.chi2_reduced, aic=fit.aic, bic=fit.bic,
                     fitted=fit.fitted, t=fit.t, mask=fit.mask, chi2=fit.chi2, dof=fit.dof,
                     covariance=covariance, success=fit.success, message=fit.message)


# --------------------------------------------------------------------------------------------
# Recombination models
# --------------------------------------------------------------------------------------------
class _ShapeCache:
    """Remembers the normalised PL shape per set of model parameters, so that changing only
    the amplitude (a finite-difference column of the Jacobian) costs no ODE solve."""

    def __init__(self, compute: Callable[[tuple, np.ndarray], np.ndarray], size: int = 64):
        self._compute = compute
        self._store: OrderedDict = OrderedDict()
        self._size = size

    def __call__(self, key: tuple, tau: np.ndarray) -> np.ndarray:
        full_key = (key, tau.size, float(tau[0]) if tau.size else 0.0,
                    float(tau[-1]) if tau.size else 0.0)
        if full_key in self._store:
            self._store.move_to_end(full_key)
            return self._store[full_key]
        value = self._compute(key, tau)
        self._store[full_key] = value
        if len(self._store) > self._size:
            self._store.popitem(last=False)
        return value


def _normalised(pl: np.ndarray, pl_zero: float) -> np.ndarray:
    if not pl_zero > 0:
        raise ValueError("the model gives no PL at t = 0 (B = 0?); it cannot be fitted")
    return pl / pl_zero


def _pl_shape_model(make_params, decay, free: tuple[str, ...], n0: float, period):
    """The model ``fit_decay`` fits for a kinetic model: amplitude x PL(t) / PL(0).

    ``make_params(values)`` builds the kinetic parameters from the free ones, ``decay`` is
    :func:`~lerbook.recombination.abc_decay` or :func:`~lerbook.recombination.trap_decay`;
    with a ``period`` [s] the PL is that of the pulse train's periodic steady state.
    """

    def compute(key, tau):
        kinetics = make_params(dict(zip(free, key, strict=True)))
        if period is None:
            def run(times):
                return decay(kinetics, n0, times).pl
        else:
            def run(times):
                return periodic_steady_state(kinetics, n0, 1.0 / period, t=times).pl
        pl = _sorted_evaluation(run, tau)
        return _normalised(pl, float(run(np.zeros(1))[0]))

    shapes = _ShapeCache(compute)

    def model(tau, amplitude, **values):
        return amplitude * shapes(tuple(values[name] for name in free), tau)

    return model


def _start_values(p0, free: tuple[str, ...]) -> dict:
    """The user's starting values, checked to name only the amplitude and free parameters."""
    start = dict(p0 or {})
    if not set(start) <= set(free) | {"amplitude"}:
        raise ValueError(f"p0 keys must be among {free + ('amplitude',)}, got {sorted(start)}")
    return start


def fit_abc(data: TRPLData, n0: float, free: Iterable[str] = ("A", "B"),
            params: ABCParameters | None = None, p0: Mapping[str, float] | None = None,
            background: float | None = None, fit_range=None,
            weighting: str = "neyman") -> FitResult:
    r"""Fit the ABC model (with a known initial density) to a TRPL histogram.

    Parameters
    ----------
    data : TRPLData
        The histogram. If ``data.period`` is set, the model is the periodic steady state of
        a pulse train with that period (:func:`lerbook.recombination.periodic_steady_state`).
    n0 : float
        Excess density injected by the pulse [cm^-3], > 0 (from the fluence, e.g.
        :func:`lerbook.excitation.initial_density`): the shape of the decay fixes B n0 and
        C n0^2, so B and C follow only if n0 is known.
    free : iterable of str
        Coefficients to fit, a subset of ``("A", "B", "C")`` (default A and B).
    params : ABCParameters or None
        Values of the coefficients that are not fitted, and the doping; default
        :class:`~lerbook.recombination.ABCParameters` with C = 0.
    p0 : mapping or None
        Starting values of the free coefficients (A [s^-1], B [cm^3 s^-1], C [cm^6 s^-1])
        and optionally ``amplitude`` [counts]; None guesses them from the 1/e time.
    background : float or None
        None fits the background [counts per channel]; a number fixes it.
    fit_range : (float, float) or None
        Window of fitted channels [s].
    weighting : {"neyman", "poisson"}
        Residual weighting, as in :func:`fit_decay`.

    Returns
    -------
    FitResult
        ``model == "abc"``; params are the free coefficients, ``amplitude`` (counts per
        channel at the excitation) and ``background``.

    Notes
    -----
    :math:`m(\tau) = a\, PL(\tau) / PL(0)` with PL = B n p from
    :func:`lerbook.recombination.abc_decay` (closed form when C is fixed at 0).

    Examples
    --------
    >>> import numpy as np
    >>> from lerbook.recombination import ABCParameters, abc_decay
    >>> truth = ABCParameters(A=1e7, B=1e-10, C=0.0)
    >>> t = np.arange(-5e-9, 195e-9, 0.25e-9)
    >>> data = synthetic_trpl(t, lambda tau: abc_decay(truth, 1e17, tau).pl, irf_fwhm=0.5e-9,
    ...                       counts_peak=2e4, background=3.0, seed=2)
    >>> fit = fit_abc(data, n0=1e17)
    >>> print(f"A = {fit.params['A']:.2e} s^-1, B = {fit.params['B']:.2e} cm^3 s^-1")
    A = 1.00e+07 s^-1, B = 9.96e-11 cm^3 s^-1
    """
    data = _check_data(data)
    n0 = _validate.positive("n0", n0, "cm^-3")
    free = tuple(free)
    if not free or any(name not in ("A", "B", "C") for name in free) or len(set(free)) != len(
            free):
        raise ValueError(f"free must be a non-empty subset of ('A', 'B', 'C'), got {free!r}")
    if params is None:
        params = ABCParameters(A=1e7, B=1e-10, C=0.0)
    if not isinstance(params, ABCParameters):
        raise ValueError(f"params must be an ABCParameters, got {type(params).__name__}")
    period = data.period

    model = _pl_shape_model(lambda values: dataclasses.replace(params, **values), abc_decay,
                            free, n0, period)
    start = _start_values(p0, free)
    if len(start) < len(free) + 1:
        amplitude, tau = _guess_decay(data, _guess_background(data)
                                      if background is None else background)
        start.setdefault("amplitude", amplitude)
        start.setdefault("A", 0.25 / tau)
        start.setdefault("B", 0.25 / (tau * n0))
        start.setdefault("C", max(params.C, 0.1 / (tau * n0 * n0)))
    p_start = {"amplitude": start["amplitude"], **{name: start[name] for name in free}}
    uses_solver = "C" in free or params.C > 0 or period is not None
    return fit_decay(data, model, p_start, name="abc", background=background,
                     fit_range=fit_range, diff_step=1e-4 if uses_solver else 1e-6,
                     weighting=weighting)


def fit_trap(data: TRPLData, params: TrapParameters, n0: float,
             free: Iterable[str] = ("trap_density", "gamma_n"),
             p0: Mapping[str, float] | None = None, background: float | None = None,
             fit_range=None, weighting: str = "neyman") -> FitResult:
    r"""Fit chosen parameters of the trap model to a TRPL histogram.

    Parameters
    ----------
    data : TRPLData
        The histogram; with ``data.period`` set the model is the periodic steady state.
    params : TrapParameters
        The model; fields not in ``free`` keep these values, fields in ``free`` start from
        them unless ``p0`` says otherwise.
    n0 : float
        Pairs injected by the pulse [cm^-3], > 0.
    free : iterable of str
        Fields of :class:`~lerbook.recombination.TrapParameters` to fit (each > 0 at the
        start), e.g. ``("trap_density", "gamma_n")`` or ``("n_ler",)``.
    p0 : mapping or None
        Starting values of the free fields [their units] and optionally ``amplitude``
        [counts].
    background : float or None
        None fits the background [counts per channel]; a number fixes it.
    fit_range : (float, float) or None
        Window of fitted channels [s].
    weighting : {"neyman", "poisson"}
        Residual weighting, as in :func:`fit_decay`.

    Returns
    -------
    FitResult
        ``model == "trap"``; params are the free fields, ``amplitude`` and ``background``.

    Notes
    -----
    :math:`m(\tau) = a\, PL(\tau)/PL(0)` with PL = B n p from
    :func:`lerbook.recombination.trap_decay`. A single decay constrains only some
    combinations of the trap parameters (e.g. the capture rate :math:`\gamma_n N_t` at low
    density, the trap density once traps fill): fit few parameters at a time, or fit decays
    at several fluences, and look at the reported uncertainties and ``covariance``.
    """
    data = _check_data(data)
    if not isinstance(params, TrapParameters):
        raise ValueError(f"params must be a TrapParameters, got {type(params).__name__}")
    n0 = _validate.positive("n0", n0, "cm^-3")
    free = tuple(free)
    if not free or any(name not in _TRAP_FIELDS for name in free) or len(set(free)) != len(
            free):
        raise ValueError(f"free must be a non-empty subset of {_TRAP_FIELDS}, got {free!r}")
    period = data.period

    model = _pl_shape_model(lambda values: params.replace(**values), trap_decay, free, n0,
                            period)
    start = _start_values(p0, free)
    for name in free:
        start.setdefault(name, getattr(params, name))
        _validate.positive(f"p0[{name!r}]", start[name])
    if "amplitude" not in start:
        start["amplitude"] = _guess_decay(data, _guess_background(data)
                                          if background is None else background)[0]
    p_start = {"amplitude": start["amplitude"], **{name: start[name] for name in free}}
    return fit_decay(data, model, p_start, name="trap", background=background,
                     fit_range=fit_range, diff_step=1e-4, weighting=weighting)


# ============================================================================================
# Model comparison on a synthetic TCSPC histogram (chapter 2)
# ============================================================================================
#: The true model of the synthetic data: ABC with A = 1e7 s^-1, B = 1e-10 cm^3 s^-1, C = 0.
FIT_TRUTH = ABCParameters(A=1e7, B=1e-10, C=0.0)
#: Pairs injected by the pulse in the synthetic data [cm^-3] (known to the ABC fit).
FIT_N0 = 1e17
#: TCSPC channels of the synthetic data [s]: 1000 channels of 0.2 ns from -5 ns.
FIT_CHANNELS = np.arange(-5e-9, 195e-9 - 1e-13, 0.2e-9)
#: Background per channel as a fraction of the total signal counts [dimensionless].
FIT_BACKGROUND = 2e-5


def synthetic_dataset(total_counts: float, irf_fwhm: float, seed: int,
                      truth: ABCParameters = FIT_TRUTH, n0: float = FIT_N0) -> TRPLData:
    """A TCSPC histogram of an ABC decay, as chapter 2 and its fitting explorer make it.

    Parameters
    ----------
    total_counts : float
        Expected signal counts in the histogram [counts], > 0.
    irf_fwhm : float
        FWHM of the Gaussian instrument response [s], > 0.
    seed : int
        Seed of the Poisson noise [dimensionless].
    truth : ABCParameters
        The true recombination coefficients [s^-1, cm^3 s^-1, cm^6 s^-1].
    n0 : float
        Pairs injected by the pulse [cm^-3], > 0.

    Returns
    -------
    TRPLData
        On ``fitting.FIT_CHANNELS``, with a flat background of ``fitting.FIT_BACKGROUND``
        (2e-5) times
        the total counts per channel.

    Examples
    --------
    >>> data = synthetic_dataset(1e5, 0.2e-9, seed=0)
    >>> print(data.counts.size, f"{data.background:g}")
    1000 2
    """
    return synthetic_trpl(
        FIT_CHANNELS, lambda tau: abc_decay(truth, n0, tau).pl,
        irf_fwhm=irf_fwhm, total_counts=total_counts,
        background=FIT_BACKGROUND * total_counts, seed=int(seed))


def compare_models(data: TRPLData, n0: float = FIT_N0) -> tuple[FitResult, FitResult, FitResult]:
    """Fit a mono-exponential, a bi-exponential and the ABC model (A, B free) to a histogram.

    Parameters
    ----------
    data : TRPLData
        The histogram [counts per channel].
    n0 : float
        Pairs injected by the pulse [cm^-3], > 0, which the ABC fit needs.

    Returns
    -------
    tuple of FitResult
        (mono, bi, abc), each fitted by Poisson maximum likelihood with IRF reconvolution;
        compare their ``aic`` and ``bic``.

    Examples
    --------
    >>> fits = compare_models(synthetic_dataset(1e5, 0.2e-9, seed=0))
    >>> print(min(fits, key=lambda fit: fit.bic).model)
    abc
    """
    return (fit_exponential(data, 1, weighting="poisson"),
            fit_exponential(data, 2, weighting="poisson"),
            fit_abc(data, n0=n0, weighting="poisson"))
