r"""Small curve fits: straight lines, power laws, Arrhenius plots, stretched exponentials and the
maximum-likelihood rates of waiting times, all returning one result type,
:class:`~lerbook.fitting.CurveFit`.

Every fit here is a few lines of linear algebra or a one- to four-parameter least-squares
problem, the way the fitted numbers are reported in papers:

- :func:`~lerbook.fitting.fit_line`: weighted least squares :math:`y = c + s x`, with the covariance
  :math:`(X^T W X)^{-1}` scaled by the residual variance per unit weight; the straight-line
  fits below (and :func:`lerbook.spectra.fit_boltzmann_tail`) are this one on transformed axes;
- :func:`~lerbook.fitting.fit_power_law`: :math:`y = a x^k` on log-log axes;
- :func:`~lerbook.fitting.fit_arrhenius`: :math:`\ln[\eta/(1 - \eta)]` (or :math:`\ln\eta`) against
  :math:`1/k_B T`;
- :func:`~lerbook.fitting.fit_stretched_exponential`: the Kohlrausch-Williams-Watts function
  :func:`~lerbook.fitting.stretched_exponential` [crv-Williams1970]_ fitted to a decay (in log y)
  or a rise;
- :func:`~lerbook.fitting.fit_exponential_rate` and
  :func:`~lerbook.fitting.fit_power_law_exponent`: maximum-likelihood
  estimates for exponential and (truncated) power-law waiting times [crv-Clauset2009]_.

.. rubric:: References

.. [crv-Williams1970] G. Williams and D. C. Watts, "Non-symmetrical dielectric relaxation
   behaviour arising from a simple empirical decay function", Trans. Faraday Soc. 66, 80-85
   (1970). doi:10.1039/TF9706600080
.. [crv-Clauset2009] A. Clauset, C. R. Shalizi and M. E. J. Newman, "Power-law distributions
   in empirical data", SIAM Rev. 51, 661-703 (2009). doi:10.1137/070710111
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.optimize import least_squares, minimize_scalar
from scipy.special import gamma as gamma_function

from lerbook import _validate
from lerbook.units import BOLTZMANN_EV

__all__ = ["CurveFit", "fit_line", "fit_power_law", "fit_arrhenius", "stretched_exponential",
           "fit_stretched_exponential", "fit_exponential_rate", "fit_power_law_exponent"]

_EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True)
class CurveFit:
    """Result of a small curve fit (this module, :func:`lerbook.spectra.fit_boltzmann_tail` and
    :func:`lerbook.comparison.fit`).

    Each fitted parameter is also an attribute (``fit.slope``), its uncertainty
    ``fit.slope_error``, and each entry of ``info`` too (``fit.mean_time``).

    Attributes
    ----------
    model : str
        Name of the fitted function (``"line"``, ``"power_law"``, ``"arrhenius"``, ...).
    params : Mapping
        Best-fit value of each parameter [its unit, given by the fitting function].
    errors : Mapping
        One-standard-deviation uncertainty of the parameters that have one [same unit].
    chi2 : float
        Sum of the squared (weighted) residuals [dimensionless]; nan for a
        maximum-likelihood estimate without residuals.
    n_points : int
        Number of data points used N.
    residuals : numpy.ndarray or None
        Residuals at the points used [unit of the fitted quantity].
    x : numpy.ndarray or None
        Abscissae of the points used [unit of x].
    fitted : numpy.ndarray or None
        The fitted function at ``x`` [unit of y].
    info : Mapping
        What the fit needs to be read: fit window, flags, derived quantities [their units].
    converged : bool
        Whether the optimiser met its tolerance.
    """

    model: str
    params: Mapping
    errors: Mapping = field(default_factory=dict)
    chi2: float = math.nan
    n_points: int = 0
    residuals: np.ndarray | None = field(default=None, repr=False)
    x: np.ndarray | None = field(default=None, repr=False)
    fitted: np.ndarray | None = field(default=None, repr=False)
    info: Mapping = field(default_factory=dict)
    converged: bool = True

    def __getattr__(self, name: str):
        # Only called when normal lookup fails: parameters, their errors and info entries.
        if not name.startswith("__"):
            values = self.__dict__
            if name in values.get("params", _EMPTY):
                return values["params"][name]
            if name.endswith("_error") and name[:-6] in values.get("errors", _EMPTY):
                return values["errors"][name[:-6]]
            if name in values.get("info", _EMPTY):
                return values["info"][name]
        raise AttributeError(f"{type(self).__name__} of {self.__dict__.get('model')!r} has no "
                             f"attribute {name!r}")

    @property
    def n_params(self) -> int:
        """Number of fitted parameters k."""
        return len(self.params)

    @property
    def dof(self) -> int:
        """Degrees of freedom N - k."""
        return self.n_points - self.n_params

    @property
    def chi2_reduced(self) -> float:
        """:math:`\\chi^2/(N - k)` [dimensionless]: about 1 when the model describes the data
        (for weights that are inverse variances)."""
        return self.chi2 / max(self.dof, 1)

    @property
    def rms_residual(self) -> float:
        """Root-mean-square residual :math:`\\sqrt{\\chi^2/N}` [unit of the residuals]."""
        return math.sqrt(self.chi2 / self.n_points) if self.n_points else math.nan

    @property
    def aic(self) -> float:
        """Akaike information criterion :math:`\\chi^2 + 2k` [dimensionless]."""
        return self.chi2 + 2 * self.n_params

    @property
    def bic(self) -> float:
        """Bayesian information criterion :math:`\\chi^2 + k \\ln N` [dimensionless]."""
        return self.chi2 + self.n_params * math.log(self.n_points)


def _pair(xname: str, x, yname: str, y, least: int, x_checks=None,
          y_checks=None) -> tuple[np.ndarray, np.ndarray]:
    xs = _validate.array(xname, x, ndim=1, **(x_checks or {}))
    ys = _validate.array(yname, y, shape=xs.shape, **(y_checks or {}))
    if np.unique(xs).size < least:
        raise ValueError(f"{xname} must hold at least {least} distinct values, got "
                         f"{np.unique(xs).size}")
    return xs, ys


def fit_line(x, y, weights=None) -> CurveFit:
    r"""Weighted least-squares straight line :math:`y = c + s x`.

    Parameters
    ----------
    x : array_like
        Abscissae [unit of x], at least 2 distinct values.
    y : array_like
        Ordinates [unit of y], same shape.
    weights : array_like or None
        Relative weights [dimensionless], >= 0, same shape (inverse variances up to a common
        factor); None weights every point equally.

    Returns
    -------
    CurveFit
        ``params`` ``intercept`` [unit of y] and ``slope`` [unit of y / unit of x], with
        ``errors`` from the covariance :math:`(X^T W X)^{-1}` scaled by the residual variance
        per unit weight :math:`\sum w_i r_i^2 / (N - 2)` (0 for exact data or N = 2);
        ``chi2`` is :math:`\sum w_i r_i^2`.

    Examples
    --------
    >>> fit = fit_line([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    >>> print(f"{fit.slope:.3f} {fit.intercept:.3f} {fit.slope_error:.1f}")
    2.000 1.000 0.0
    """
    xs, ys = _pair("x", x, "y", y, 2)
    w = np.ones(xs.size) if weights is None else _validate.array(
        "weights", weights, low=0.0, shape=xs.shape)
    design = np.column_stack([np.ones(xs.size), xs])
    normal = design.T @ (w[:, None] * design)
    coefficients = np.linalg.solve(normal, design.T @ (w * ys))
    fitted = design @ coefficients
    residuals = ys - fitted
    chi2 = float(np.sum(w * residuals**2))
    dof = xs.size - 2
    covariance = np.linalg.inv(normal) * (chi2 / dof if dof > 0 else 0.0)
    intercept, slope = (float(c) for c in coefficients)
    errors = np.sqrt(np.maximum(np.diag(covariance), 0.0))
    return CurveFit("line", {"intercept": intercept, "slope": slope},
                    {"intercept": float(errors[0]), "slope": float(errors[1])}, chi2, xs.size,
                    residuals, xs, fitted)


def fit_power_law(x, y) -> CurveFit:
    r"""Straight-line fit on log-log axes: the exponent of :math:`y = a x^k`.

    Parameters
    ----------
    x, y : array_like
        Positive values [any units], at least 3 points with distinct x.

    Returns
    -------
    CurveFit
        ``slope`` k [dimensionless] with ``slope_error``, and ``prefactor`` a
        [y unit / x unit^k]: the least-squares slope of :math:`\ln y` against
        :math:`\ln x`.

    Examples
    --------
    >>> x = np.geomspace(1, 100, 5)
    >>> print(f"{fit_power_law(x, 3 * x**2).slope:.3f}")
    2.000
    """
    positive = {"low": 0.0, "include_low": False, "reason": "for a log-log fit"}
    xs, ys = _pair("x", x, "y", y, 3, positive, positive)
    line = fit_line(np.log(xs), np.log(ys))
    return CurveFit("power_law", {"slope": line.slope, "prefactor": math.exp(line.intercept)},
                    {"slope": line.slope_error}, line.chi2, line.n_points, line.residuals, xs,
                    np.exp(line.fitted))


def fit_arrhenius(temperature, efficiency, linearize: bool = True) -> CurveFit:
    r"""Activation energy from efficiencies measured at several temperatures.

    Parameters
    ----------
    temperature : array_like
        Temperatures [K], > 0, at least 3 distinct values.
    efficiency : array_like
        Efficiencies at those temperatures [dimensionless], in (0, 1) (in (0, inf) without
        ``linearize``).
    linearize : bool
        True (default): fit :math:`\ln[\eta / (1 - \eta)]`, which is exactly
        :math:`\ln(k_{up} / k_{loss})` for two competing first-order channels, so saturation
        does not bend the plot. False: fit :math:`\ln\eta`, as is common, which underestimates
        :math:`E_a` by about the mean efficiency.

    Returns
    -------
    CurveFit
        ``activation_energy`` E_a [eV] with ``activation_energy_error`` [eV] (0 for exact
        data) and ``prefactor`` (the fitted odds or efficiency extrapolated to 1/kT = 0)
        [dimensionless]; ``info``: ``linearized`` and the temperature range
        ``temperature_min``, ``temperature_max`` [K].

    Notes
    -----
    Least-squares fit of :math:`y = \ln A - E_a / k_B T`: the slope against :math:`1/k_B T` is
    :math:`-E_a`.

    Examples
    --------
    >>> t = np.array([200.0, 250.0, 300.0])
    >>> eta = 1 / (1 + 10 * np.exp(0.1 / (8.617333262e-5 * t)))
    >>> print(f"{fit_arrhenius(t, eta).activation_energy:.4f} eV")
    0.1000 eV
    """
    upper = {"high": 1.0, "include_high": False} if linearize else {}
    temps, eff = _pair("temperature", temperature, "efficiency", efficiency, 3,
                       {"low": 0.0, "include_low": False, "unit": "K"},
                       {"low": 0.0, "include_low": False, **upper})
    y = np.log(eff / (1.0 - eff)) if linearize else np.log(eff)
    line = fit_line(1.0 / (BOLTZMANN_EV * temps), y)
    return CurveFit("arrhenius", {"activation_energy": -line.slope,
                                  "prefactor": math.exp(line.intercept)},
                    {"activation_energy": line.slope_error}, line.chi2, line.n_points,
                    line.residuals, temps, line.fitted,
                    {"linearized": bool(linearize), "temperature_min": float(temps.min()),
                     "temperature_max": float(temps.max())})


def stretched_exponential(t, tau: float, beta: float) -> np.ndarray:
    r"""The Kohlrausch-Williams-Watts function :math:`\exp[-(t/\tau)^\beta]`.

    Parameters
    ----------
    t : array_like
        Times [s]; negative times are treated as 0.
    tau : float
        Characteristic time [s], > 0.
    beta : float
        Stretching exponent [dimensionless], 0 < beta <= 1 for a stretched decay.

    Returns
    -------
    numpy.ndarray
        The function at ``t`` [dimensionless].

    Examples
    --------
    >>> print(f"{float(stretched_exponential(2.0, 2.0, 0.5)):.4f}")
    0.3679
    """
    t = np.clip(np.asarray(t, dtype=float), 0.0, None)
    return np.exp(-((t / tau) ** beta))


def _first_time_below(t, y, level) -> float:
    hit = np.nonzero(y <= level)[0]
    return float(t[hit[0]]) if hit.size and t[hit[0]] > 0 else float(t[-1] / 3)


def fit_stretched_exponential(t, y, kind: str = "decay", floor: float = 0.0,
                              offset: bool = False) -> CurveFit:
    r"""Fit a stretched exponential, the way photobrightening and TRPL data are reported.

    Parameters
    ----------
    t : array_like
        Times [s], >= 0, increasing, counted from the pulse (decay) or from the start of the
        exposure (rise); at least 5.
    y : array_like
        Data [any unit], same shape; > 0 for a decay.
    kind : {"decay", "rise"}
        Decay :math:`A e^{-(t/\tau)^\beta}` (+ c with ``offset``), fitted in log y so every
        decade counts; or rise :math:`y_\infty - (y_\infty - y_0) e^{-(t/\tau)^\beta}`,
        fitted in y.
    floor : float
        Decays only: fit from the peak until the data first fall below ``floor`` times the
        peak [dimensionless], in [0, 1); 0 (default) fits everything from the peak on. TRPL
        papers typically fit the first one to three decades.
    offset : bool
        Decays only: also fit a constant c >= 0 (a background). Default False.

    Returns
    -------
    CurveFit
        ``params``: ``tau`` [s], ``beta`` [dimensionless], ``amplitude`` (A, or
        :math:`y_\infty - y_0` for a rise) and ``offset`` (c, or :math:`y_0`; in ``info``
        when held at 0) [unit of y];
        ``info``: ``kind``, ``mean_time`` :math:`(\tau/\beta)\,\Gamma(1/\beta)` [s] and
        ``final`` (:math:`y_\infty` of a rise, c of a decay) [unit of y]; ``x`` the times
        fitted [s] and ``fitted`` the function there [unit of y]; ``rms_residual`` of log y
        (decay) or of y / max|y| (rise) [dimensionless].

    Notes
    -----
    Least squares (:func:`scipy.optimize.least_squares`, trust-region reflective) with
    :math:`\ln\tau` and :math:`\ln A` as parameters and :math:`0.05 \le \beta \le 2`. The
    average time of a stretched exponential is
    :math:`\langle\tau\rangle = \int_0^\infty e^{-(t/\tau)^\beta} dt
    = (\tau/\beta)\,\Gamma(1/\beta)` [1]_. A decay with several components
    gives a beta below 1 that falls as the slow components grow.

    References
    ----------
    .. [1] G. Williams and D. C. Watts, "Non-symmetrical dielectric relaxation behaviour
       arising from a simple empirical decay function", Trans. Faraday Soc. 66, 80-85 (1970).
       doi:10.1039/TF9706600080

    Examples
    --------
    >>> t = np.linspace(0, 100e-9, 200)
    >>> fit = fit_stretched_exponential(t, 5 * stretched_exponential(t, 20e-9, 0.7))
    >>> print(f"tau = {fit.tau * 1e9:.1f} ns, beta = {fit.beta:.2f}")
    tau = 20.0 ns, beta = 0.70
    """
    kind = _validate.choice("kind", kind, ("decay", "rise"))
    floor = _validate.in_range("floor", floor, 0.0, 1.0, include_high=False)
    t = _validate.array("t", t, "s", low=0.0, ndim=1, min_size=5, order="increasing")
    y = _validate.array("y", y, shape=t.shape)
    if kind == "decay":
        y = _validate.array("y", y, low=0.0, include_low=False)  # it is fitted in log y
        peak = int(np.argmax(y))
        below = np.nonzero(y[peak:] < floor * y[peak])[0]
        stop = peak + (int(below[0]) if below.size else y.size - peak)
        if stop - peak < 5:
            raise ValueError(f"floor = {floor:g} leaves fewer than 5 points to fit")
        t, y = t[peak:stop], y[peak:stop]
        log_y = np.log(y)
        low = float(y.min()) if offset else 0.0
        tau0 = _first_time_below(t - t[0], y - 0.5 * low, (y[0] - 0.5 * low) / math.e)

        def model(x):
            return (np.exp(x[0]) * stretched_exponential(t - t[0], math.exp(x[1]), x[2])
                    + (x[3] if offset else 0.0))

        def residuals(x):
            return np.log(model(x)) - log_y

        x0 = [math.log(y[0] - 0.5 * low), math.log(tau0), 0.9, 0.5 * low]
        bounds = ([-np.inf, -np.inf, 0.05, 0.0], [np.inf, np.inf, 2.0, max(low, 1e-300)])
        if not offset:
            x0, bounds = x0[:3], (bounds[0][:3], bounds[1][:3])
        sol = least_squares(residuals, x0, bounds=bounds, x_scale="jac")
        amplitude, tau, beta = math.exp(sol.x[0]), math.exp(sol.x[1]), sol.x[2]
        background = sol.x[3] if offset else 0.0
        final = background
    else:
        span = float(np.max(np.abs(y))) or 1.0
        change = y[-1] - y[0]
        sign = 1.0 if change >= 0 else -1.0
        tau0 = _first_time_below(t, -sign * (y - y[0]), -sign * change * (1 - 1 / math.e))

        def model(x):
            return x[1] - (x[1] - x[0]) * stretched_exponential(t, math.exp(x[2]), x[3])

        def residuals(x):
            return (model(x) - y) / span

        x0 = [y[0], y[-1], math.log(max(tau0, 1e-300)), 1.0]
        bounds = ([-np.inf, -np.inf, -np.inf, 0.05], [np.inf, np.inf, np.inf, 2.0])
        sol = least_squares(residuals, x0, bounds=bounds, x_scale="jac")
        background, final, tau, beta = sol.x[0], sol.x[1], math.exp(sol.x[2]), sol.x[3]
        amplitude = final - background
    params = {"tau": float(tau), "beta": float(beta), "amplitude": float(amplitude),
              "offset": float(background)}
    info = {}
    if kind == "decay" and not offset:
        info["offset"] = params.pop("offset")  # held at 0, not fitted
    info |= {"kind": kind, "mean_time": float(tau / beta * gamma_function(1.0 / beta)),
            "final": float(background + amplitude if kind == "rise" else background)}
    return CurveFit("stretched_exponential", params, _EMPTY, float(sol.fun @ sol.fun),
                    int(t.size), sol.fun, t, model(sol.x), info, bool(sol.status > 0))


def fit_exponential_rate(durations, t_min: float = 0.0, resolution: float = 0.0) -> CurveFit:
    r"""Maximum-likelihood rate of exponentially distributed durations at or above ``t_min``.

    Parameters
    ----------
    durations : array_like
        Durations [s], finite; those below ``t_min`` are left out, at least 2 must remain.
    t_min : float
        Shortest duration used [s], >= 0.
    resolution : float
        Bin width the durations are whole multiples of [s], >= 0; 0 for continuous durations.

    Returns
    -------
    CurveFit
        ``rate`` k [s^-1] (inf when every binned duration equals ``t_min``): with
        ``resolution`` > 0 the geometric-distribution estimate
        :math:`k = -\ln(1 - \Delta/\overline{(t - t_{min} + \Delta)})/\Delta`; with 0, the
        continuous one :math:`k = 1/\overline{(t - t_{min})}`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> print(f"{fit_exponential_rate(rng.exponential(0.5, 20000)).rate:.2f}")
    2.01
    """
    t = _validate.array("durations", durations, "s", min_size=0)
    t_min = _validate.non_negative("t_min", t_min, "s")
    resolution = _validate.non_negative("resolution", resolution, "s")
    t = t[t >= t_min - 1e-12]
    if t.size < 2:
        raise ValueError(f"need at least 2 durations >= t_min={t_min} s, got {t.size}")
    if resolution > 0:
        mean_bins = np.mean(t - t_min) / resolution + 1.0
        rate = float(-math.log(1.0 - 1.0 / mean_bins) / resolution) if mean_bins > 1 \
            else math.inf
    else:
        rate = float(1.0 / np.mean(t - t_min))
    return CurveFit("exponential_rate", {"rate": rate}, n_points=int(t.size),
                    info={"t_min": t_min, "resolution": resolution})


def fit_power_law_exponent(durations, t_min: float, t_max: float) -> CurveFit:
    r"""Maximum-likelihood exponent m of :math:`p(t) \propto t^{-m}` truncated to
    [t_min, t_max], from the durations inside that window.

    Parameters
    ----------
    durations : array_like
        Durations [s], finite; at least 5 inside the window.
    t_min, t_max : float
        The window [s], 0 < t_min < t_max.

    Returns
    -------
    CurveFit
        ``exponent`` m [dimensionless], searched in [0.2, 5], with ``exponent_error``
        :math:`|m - 1|/\sqrt{n}` (asymptotic, for the untruncated estimate; n the durations
        in the window).

    Notes
    -----
    Maximises :math:`\ell(m) = -m \sum \ln t_i + n \ln\frac{m - 1}{t_{min}^{1-m} - t_{max}^{1-m}}`
    ([1]_, with the upper truncation). The window is fixed, not chosen from the
    data: Clauset et al.'s choice of t_min by the Kolmogorov-Smirnov distance is not done here.

    References
    ----------
    .. [1] A. Clauset, C. R. Shalizi and M. E. J. Newman, "Power-law distributions in empirical
       data", SIAM Rev. 51, 661-703 (2009). doi:10.1137/070710111

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> u = rng.random(20000)
    >>> t = (1 - u) ** (-1 / 0.5) * 0.1   # untruncated m = 1.5 above 0.1 s
    >>> print(f"{fit_power_law_exponent(t, 0.1, 1e9).exponent:.2f}")
    1.50
    """
    t = _validate.array("durations", durations, "s", min_size=0)
    t_min = _validate.positive("t_min", t_min, "s")
    t_max = _validate.in_range("t_max", t_max, t_min, math.inf, "s", include_low=False)
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

    exponent = float(minimize_scalar(negative_log_likelihood, bounds=(0.2, 5.0),
                                     method="bounded", options={"xatol": 1e-6}).x)
    return CurveFit("power_law_exponent", {"exponent": exponent},
                    {"exponent": abs(exponent - 1.0) / math.sqrt(n)}, n_points=int(n),
                    info={"t_min": t_min, "t_max": t_max})
