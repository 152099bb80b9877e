r"""Competing explanations fitted to the same synthetic data (the model-comparison lab).

The lattice energy reservoir (LER) is one explanation among several for each of its
signatures [cmp-Wen2024]_. This module generates synthetic measurements from a *stated*
model with realistic noise, fits every candidate model to them, ranks the candidates by
information criteria and simulates the experiment that would separate each pair. All models
are closed forms, so a whole comparison runs in a second or two.

**Dataset 1: TRPL after light soaking.** Decays after the film has been illuminated for a
soak time :math:`s` (0 to 300 s), counted by TCSPC (Poisson noise). Every candidate shares
the linear (low-fluence) kinetics of free carriers :math:`n` and trapped carriers
:math:`n_t` after a short pulse,

.. math::

    \dot n = -(k_1 + k_c)\,n + k_e\,n_t, \qquad
    \dot n_t = k_c\,n - (k_e + k_t)\,n_t, \qquad \mathrm{PL} \propto n,

(capture :math:`k_c`, release :math:`k_e`, loss from the trap :math:`k_t`, all other decay
:math:`k_1`; closed form :func:`two_state_decay`) and differs in what soaking changes. One
decay fixes only three combinations of the four rates (its two decay rates and their amplitude
ratio), so the trap loss rate is held at :data:`TRAP_LOSS_RATE` in every candidate, as if
measured independently; the other rates are fitted:

- ``reservoir``: reservoirs built by the light release trapped carriers,
  :math:`k_e(s) = k_e[1 + g(1 - e^{-s/\tau_s})]` (the term :math:`K\sigma' n_{LER} n_t` of
  chapter 2 with :math:`n_{LER}` growing as in chapter 4);
- ``passivation``: light-driven ion migration heals traps [cmp-deQuilettes2016]_,
  :math:`k_c(s) = k_c[1 - p(1 - e^{-s/\tau_s})]`;
- ``static``: nothing changes with soaking. Photon recycling [cmp-PazosOuton2016]_
  lengthens the decay, but it is set by the optics of the film and is the same at every
  soak time, so this is the recycling explanation of a long lifetime.

**Dataset 2: upconversion yield against power and temperature.** The calibrated
anti-Stokes yield :math:`Y` (upconverted band generation per absorbed subgap photon, as in
chapter 3) at detuning :math:`\Delta E`, measured with 5 % log-normal noise:

- ``phonon``: :math:`Y = a\,\frac{x}{1 + x}`, :math:`x = r\,e^{-\Delta E/k_BT}`
  (phonon-assisted escape from the tail state against its loss);
- ``reservoir``: :math:`Y = a\,\frac{x + \ell(P)}{1 + x + \ell(P)}`,
  :math:`\ell(P) = \ell_0 P/(P + P_s)` (reservoir-assisted escape, with a reservoir density
  that grows and saturates with pump power);
- ``two_photon``: :math:`Y = a\,\frac{x}{1 + x} + bP` (phonon-assisted plus two-photon
  absorption, whose yield grows linearly with power [cmp-Walters2015]_).

Fits maximise the likelihood with the noise level known (log-normal sigma as generated).

**Information criteria.** With :math:`\chi^2` the Poisson deviance (dataset 1) or the sum of
squared normalised log residuals (dataset 2), :math:`k` parameters and :math:`N` points,
:math:`\mathrm{AIC} = \chi^2 + 2k` [cmp-Akaike1974]_ and
:math:`\mathrm{BIC} = \chi^2 + k\ln N` [cmp-Schwarz1978]_ (constants common to all models
dropped); differences of more than about 10 are decisive [cmp-Burnham2002]_ [cmp-Kass1995]_.

.. rubric:: References

.. [cmp-Wen2024] X. Wen and B. Jia, arXiv:2406.18818 (2024). doi:10.48550/arXiv.2406.18818
.. [cmp-deQuilettes2016] D. W. deQuilettes et al., Nat. Commun. 7, 11683 (2016).
   doi:10.1038/ncomms11683
.. [cmp-PazosOuton2016] L. M. Pazos-Outón et al., Science 351, 1430 (2016).
   doi:10.1126/science.aaf1168
.. [cmp-Walters2015] G. Walters et al., ACS Nano 9, 9340 (2015).
   doi:10.1021/acsnano.5b03308
.. [cmp-Akaike1974] H. Akaike, IEEE Trans. Autom. Control 19, 716 (1974).
   doi:10.1109/TAC.1974.1100705
.. [cmp-Schwarz1978] G. Schwarz, Ann. Stat. 6, 461 (1978). doi:10.1214/aos/1176344136
.. [cmp-Burnham2002] K. P. Burnham and D. R. Anderson, Model Selection and Multimodel
   Inference, 2nd ed. (Springer, 2002). doi:10.1007/b97636
.. [cmp-Kass1995] R. E. Kass and A. E. Raftery, J. Am. Stat. Assoc. 90, 773 (1995).
   doi:10.1080/01621459.1995.10476572

All rates and their parameter values here are **illustrative**, chosen in the ranges of the
earlier chapters so that each effect is visible; they are not fitted to measurements.
Units: times in s (channels in ns on plots), rates in s^-1, power densities in mW cm^-2,
temperatures in K, energies in eV.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from lerbook import _validate
from lerbook.fitting.curves import CurveFit
from lerbook.units import BOLTZMANN_EV

__all__ = ["TRAP_LOSS_RATE", "two_state_decay", "Candidate", "Dataset", "Comparison",
           "TRPL_MODELS", "UPCONVERSION_MODELS", "TRPL_TRUTH", "UPCONVERSION_TRUTH",
           "trpl_dataset", "upconversion_dataset", "fit", "compare",
           "soak_time_against_photon_energy", "switch_on_response"]

#: Loss rate of a trapped carrier k_t [s^-1], held fixed in every TRPL candidate.
TRAP_LOSS_RATE = 5e6


def two_state_decay(t, k_1, k_c, k_e, k_t) -> np.ndarray:
    r"""Free-carrier density after a pulse, for linear capture and release.

    Solves :math:`\dot n = -(k_1 + k_c) n + k_e n_t`,
    :math:`\dot n_t = k_c n - (k_e + k_t) n_t` with :math:`n(0) = 1`, :math:`n_t(0) = 0`:

    .. math::

        n(t) = \frac{(\lambda_1 - m_{22})\,e^{\lambda_1 t} - (\lambda_2 - m_{22})\,
        e^{\lambda_2 t}}{\lambda_1 - \lambda_2}, \qquad m_{22} = -(k_e + k_t),

    with :math:`\lambda_{1,2}` the (real, negative) eigenvalues of the rate matrix.

    Parameters
    ----------
    t : array_like
        Times after the pulse [s], >= 0.
    k_1, k_c, k_e, k_t : float or array_like
        Rates [s^-1], >= 0 (broadcast against ``t``).

    Returns
    -------
    numpy.ndarray
        :math:`n(t)/n(0)` [-].
    """
    t = np.asarray(t, dtype=float)
    for name, value in (("k_1", k_1), ("k_c", k_c), ("k_e", k_e), ("k_t", k_t)):
        v = np.asarray(value, dtype=float)
        if not np.all(np.isfinite(v)) or np.any(v < 0):
            raise ValueError(f"{name} must be finite and >= 0 s^-1, got {value!r}")
    m11 = -(np.asarray(k_1, dtype=float) + k_c)
    m22 = -(np.asarray(k_e, dtype=float) + k_t)
    trace, det = m11 + m22, m11 * m22 - np.asarray(k_c) * k_e
    root = np.sqrt(np.maximum(trace**2 - 4.0 * det, 0.0))
    lam1, lam2 = 0.5 * (trace + root), 0.5 * (trace - root)
    # The coupling k_c k_e keeps lam1 - lam2 > 0; guard the uncoupled, degenerate case.
    gap = np.where(root > 0, root, 1.0)
    mixed = ((lam1 - m22) * np.exp(lam1 * t) - (lam2 - m22) * np.exp(lam2 * t)) / gap
    return np.where(root > 0, mixed, np.exp(m11 * t))


# --------------------------------------------------------------------------------------------
# Candidates and datasets
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """One explanation: a model function and its parameters.

    Attributes
    ----------
    name : str
        Short name (``"reservoir"``, ``"passivation"``, ...).
    describe : str
        One sentence saying what the explanation claims.
    parameters : tuple of str
        Names of the fitted parameters, in order.
    predict : callable
        ``predict(x, **params) -> expected`` on the dataset's axes ``x`` (a mapping).
    start : Mapping
        Starting value of each parameter [its unit], > 0.
    bounds : Mapping
        (low, high) of each parameter [its unit], 0 < low < high; parameters are fitted in
        log space.
    """

    name: str
    describe: str
    parameters: tuple
    predict: Callable = field(repr=False)
    start: Mapping = field(repr=False)
    bounds: Mapping = field(repr=False)


@dataclass(frozen=True)
class Dataset:
    """A synthetic measurement.

    Attributes
    ----------
    name : str
        What was measured.
    x : Mapping
        Axes of every data point (e.g. ``t`` [s] and ``soak`` [s]; ``power`` [mW cm^-2] and
        ``temperature`` [K]), each an array the shape of ``y``.
    y : numpy.ndarray
        Observations: counts (``noise="poisson"``) or yields [-] (``noise="lognormal"``).
    noise : str
        ``"poisson"`` or ``"lognormal"``.
    sigma : float
        Relative noise of a log-normal dataset [-]; unused for Poisson.
    truth : str
        Name of the model that generated the data.
    truth_params : Mapping
        Its parameters.
    """

    name: str
    x: Mapping = field(repr=False)
    y: np.ndarray = field(repr=False)
    noise: str
    sigma: float
    truth: str
    truth_params: Mapping = field(repr=False)

    @property
    def size(self) -> int:
        """Number of data points N."""
        return int(self.y.size)


def _soaked(rate, change, soak, soak_time):
    return rate * (1.0 + change * -np.expm1(-soak / soak_time))


def _trpl_reservoir(x, k_1, k_c, k_e, gain, soak_time, amplitude, background):
    k_e_s = _soaked(k_e, gain, x["soak"], soak_time)
    return amplitude * two_state_decay(x["t"], k_1, k_c, k_e_s, TRAP_LOSS_RATE) + background


def _trpl_passivation(x, k_1, k_c, k_e, healed, soak_time, amplitude, background):
    k_c_s = _soaked(k_c, -healed, x["soak"], soak_time)
    return amplitude * two_state_decay(x["t"], k_1, k_c_s, k_e, TRAP_LOSS_RATE) + background


def _trpl_static(x, k_1, k_c, k_e, amplitude, background):
    return amplitude * two_state_decay(x["t"], k_1, k_c, k_e, TRAP_LOSS_RATE) + background


_KINETIC = ("k_1", "k_c", "k_e")
_KINETIC_START = {"k_1": 1e7, "k_c": 1e7, "k_e": 1e6}
_KINETIC_BOUNDS = {name: (1e4, 1e10) for name in _KINETIC}
_COUNTS_START = {"amplitude": 1e3, "background": 1.0}
_COUNTS_BOUNDS = {"amplitude": (1.0, 1e7), "background": (1e-3, 1e4)}

#: The three explanations of a lifetime that changes (or not) with light soaking.
TRPL_MODELS = {
    "reservoir": Candidate(
        "reservoir", "reservoirs built by the light release trapped carriers (k_e grows)",
        (*_KINETIC, "gain", "soak_time", "amplitude", "background"), _trpl_reservoir,
        {**_KINETIC_START, "gain": 1.0, "soak_time": 30.0, **_COUNTS_START},
        {**_KINETIC_BOUNDS, "gain": (1e-3, 1e3), "soak_time": (0.1, 1e4), **_COUNTS_BOUNDS}),
    "passivation": Candidate(
        "passivation", "light-driven ion migration heals traps (k_c falls)",
        (*_KINETIC, "healed", "soak_time", "amplitude", "background"), _trpl_passivation,
        {**_KINETIC_START, "healed": 0.5, "soak_time": 30.0, **_COUNTS_START},
        {**_KINETIC_BOUNDS, "healed": (1e-4, 1.0), "soak_time": (0.1, 1e4), **_COUNTS_BOUNDS}),
    "static": Candidate(
        "static", "nothing changes with soaking (photon recycling sets a fixed lifetime)",
        (*_KINETIC, "amplitude", "background"), _trpl_static,
        {**_KINETIC_START, **_COUNTS_START}, {**_KINETIC_BOUNDS, **_COUNTS_BOUNDS}),
}

#: Parameters that generate the TRPL data under each explanation [s^-1, -, s, counts]; the
#: trap loss rate is :data:`TRAP_LOSS_RATE` in all of them.
TRPL_TRUTH = {
    "reservoir": {"k_1": 1e7, "k_c": 3e7, "k_e": 2e6, "gain": 4.0,
                  "soak_time": 40.0, "amplitude": 5e3, "background": 2.0},
    "passivation": {"k_1": 1e7, "k_c": 3e7, "k_e": 2e6, "healed": 0.6,
                    "soak_time": 40.0, "amplitude": 5e3, "background": 2.0},
    "static": {"k_1": 1e7, "k_c": 3e7, "k_e": 2e6, "amplitude": 5e3,
               "background": 2.0},
}

_SOAK_TIMES = (0.0, 10.0, 30.0, 60.0, 120.0, 300.0)


def _rng(seed) -> np.random.Generator:
    return np.random.default_rng(_validate.integer("seed", seed, 0))


def trpl_dataset(truth: str = "reservoir", params: Mapping | None = None, seed: int = 0,
                 soak_times=_SOAK_TIMES, channels: int = 500,
                 channel_width: float = 2e-9) -> Dataset:
    """TCSPC decays after several soak times, generated by one explanation.

    Parameters
    ----------
    truth : str
        Generating model, a key of :data:`TRPL_MODELS`.
    params : Mapping or None
        Its parameters (all of them); None takes :data:`TRPL_TRUTH`.
    seed : int
        Seed of the Poisson noise, >= 0.
    soak_times : sequence of float
        Illumination before each decay [s], >= 0.
    channels : int
        TCSPC channels per decay, 10-4096.
    channel_width : float
        Channel width [s], > 0.

    Returns
    -------
    Dataset
        Counts on ``len(soak_times) * channels`` points, axes ``t`` [s] and ``soak`` [s].

    Examples
    --------
    >>> data = trpl_dataset("reservoir")
    >>> print(data.size, data.noise)
    3000 poisson
    """
    model = TRPL_MODELS[_validate.choice("truth", truth, TRPL_MODELS)]
    values = dict(TRPL_TRUTH[truth] if params is None else params)
    _check_params(model, values)
    channels = _validate.integer("channels", channels, 10, 4096)
    width = _validate.positive("channel_width", channel_width, "s")
    soak = np.asarray(soak_times, dtype=float)
    if soak.ndim != 1 or soak.size == 0 or not np.all(np.isfinite(soak)) or np.any(soak < 0):
        raise ValueError(f"soak_times must be finite and >= 0 s, got {soak_times!r}")
    t = (np.arange(channels) + 0.5) * width
    x = {"t": np.tile(t, soak.size), "soak": np.repeat(soak, channels)}
    counts = _rng(seed).poisson(model.predict(x, **values)).astype(float)
    return Dataset("TRPL after light soaking", x, counts, "poisson", 0.0, truth, values)


def _uc_phonon_part(x, rate_ratio, detuning):
    return rate_ratio * np.exp(-detuning / (BOLTZMANN_EV * x["temperature"]))


def _uc_phonon(x, scale, rate_ratio, detuning=0.15):
    phonon = _uc_phonon_part(x, rate_ratio, detuning)
    return scale * phonon / (1.0 + phonon)


def _uc_reservoir(x, scale, rate_ratio, reservoir_ratio, saturation_power, detuning=0.15):
    escape = (_uc_phonon_part(x, rate_ratio, detuning)
              + reservoir_ratio * x["power"] / (x["power"] + saturation_power))
    return scale * escape / (1.0 + escape)


def _uc_two_photon(x, scale, rate_ratio, two_photon, detuning=0.15):
    return _uc_phonon(x, scale, rate_ratio, detuning) + two_photon * x["power"]


#: The three explanations of efficient upconversion.
UPCONVERSION_MODELS = {
    "phonon": Candidate(
        "phonon", "phonon-assisted escape from tail states, thermally activated",
        ("scale", "rate_ratio"), _uc_phonon,
        {"scale": 1.0, "rate_ratio": 100.0}, {"scale": (1e-3, 1e3), "rate_ratio": (1e-2, 1e6)}),
    "reservoir": Candidate(
        "reservoir", "phonon-assisted escape plus reservoir-assisted escape that grows and "
        "saturates with pump power",
        ("scale", "rate_ratio", "reservoir_ratio", "saturation_power"), _uc_reservoir,
        {"scale": 1.0, "rate_ratio": 100.0, "reservoir_ratio": 0.3, "saturation_power": 30.0},
        {"scale": (1e-3, 1e3), "rate_ratio": (1e-2, 1e6), "reservoir_ratio": (1e-4, 1e3),
         "saturation_power": (1e-2, 1e5)}),
    "two_photon": Candidate(
        "two_photon", "phonon-assisted escape plus two-photon absorption (yield grows as P)",
        ("scale", "rate_ratio", "two_photon"), _uc_two_photon,
        {"scale": 1.0, "rate_ratio": 100.0, "two_photon": 1e-4},
        {"scale": (1e-3, 1e3), "rate_ratio": (1e-2, 1e6), "two_photon": (1e-8, 1.0)}),
}

#: Parameters that generate the upconversion data under each explanation. The attempt ratio
#: 280 is chapter 3's LO-phonon frequency over the tail-state loss rate (2.8e12 / 1e10).
UPCONVERSION_TRUTH = {
    "phonon": {"scale": 1.0, "rate_ratio": 280.0},
    "reservoir": {"scale": 1.0, "rate_ratio": 280.0, "reservoir_ratio": 1.0,
                  "saturation_power": 100.0},
    "two_photon": {"scale": 1.0, "rate_ratio": 280.0, "two_photon": 5e-4},
}


def upconversion_dataset(truth: str = "reservoir", params: Mapping | None = None,
                         seed: int = 0, noise: float = 0.05) -> Dataset:
    """Calibrated upconversion yields on a grid of pump powers and temperatures.

    Parameters
    ----------
    truth : str
        Generating model, a key of :data:`UPCONVERSION_MODELS`.
    params : Mapping or None
        Its parameters; None takes :data:`UPCONVERSION_TRUTH`.
    seed : int
        Seed of the noise, >= 0.
    noise : float
        Relative (log-normal) noise of each yield [-], 0.001-1.

    Returns
    -------
    Dataset
        Yields at 7 powers (1-1000 mW cm^-2) x 5 temperatures (260-340 K), detuning 0.15 eV.
    """
    model = UPCONVERSION_MODELS[_validate.choice("truth", truth, UPCONVERSION_MODELS)]
    values = dict(UPCONVERSION_TRUTH[truth] if params is None else params)
    _check_params(model, values)
    sigma = _validate.in_range("noise", noise, 1e-3, 1.0)
    power, temperature = np.meshgrid(np.logspace(0, 3, 7), np.linspace(260.0, 340.0, 5))
    x = {"power": power.ravel(), "temperature": temperature.ravel()}
    clean = model.predict(x, **values)
    y = clean * np.exp(sigma * _rng(seed).standard_normal(clean.size))
    return Dataset("upconversion yield against power and temperature", x, y, "lognormal",
                   sigma, truth, values)


def _check_params(model: Candidate, values: Mapping) -> None:
    missing = set(model.parameters) - set(values)
    extra = set(values) - set(model.parameters)
    if missing or extra:
        raise ValueError(f"params of {model.name!r} must be exactly {list(model.parameters)}; "
                         f"missing {sorted(missing)}, unknown {sorted(extra)}")
    for name in model.parameters:
        _validate.positive(name, values[name])


# --------------------------------------------------------------------------------------------
# Fitting and ranking
# --------------------------------------------------------------------------------------------
def _residuals(dataset: Dataset, expected: np.ndarray) -> np.ndarray:
    if dataset.noise == "poisson":
        y, mu = dataset.y, np.maximum(expected, 1e-300)
        term = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0) - (y - mu)
        return np.sign(y - mu) * np.sqrt(2.0 * np.maximum(term, 0.0))
    return np.log(dataset.y / np.maximum(expected, 1e-300)) / dataset.sigma


def fit(dataset: Dataset, model: Candidate, starts: int = 3) -> CurveFit:
    """Fit one candidate by maximum likelihood (least squares on deviance residuals).

    Parameters
    ----------
    dataset : Dataset
        The measurement [counts or yields, with its axes].
    model : Candidate
        The explanation to fit [parameters in their units].
    starts : int
        Number of starting points, 1-10: the model's start and starts spread by factors of
        3 in every rate, to escape local minima; the best is kept.

    Returns
    -------
    lerbook.fitting.CurveFit
        ``params`` the best-fit parameters [their units]; ``chi2`` the Poisson deviance or sum
        of squared normalised log residuals [dimensionless], with ``aic`` and ``bic``;
        ``residuals`` the signed deviance residuals (Poisson) or normalised log residuals
        [dimensionless]; ``fitted`` the prediction at the data points [unit of y];
        ``converged`` whether the optimiser met its tolerance (rather than its evaluation
        limit).
    """
    if not isinstance(dataset, Dataset):
        raise ValueError(f"dataset must be a Dataset, got {type(dataset).__name__}")
    if not isinstance(model, Candidate):
        raise ValueError(f"model must be a Candidate, got {type(model).__name__}")
    starts = _validate.integer("starts", starts, 1, 10)
    names = model.parameters
    low = np.log10([model.bounds[n][0] for n in names])
    high = np.log10([model.bounds[n][1] for n in names])

    def expected(z):
        return model.predict(dataset.x, **dict(zip(names, 10.0 ** z, strict=True)))

    def residuals(z):
        return _residuals(dataset, expected(z))

    base = np.log10([model.start[n] for n in names])
    spread = np.random.default_rng(12345).uniform(-0.5, 0.5, size=(starts, len(names)))
    spread[0] = 0.0
    best = None
    for offset in spread:
        z0 = np.clip(base + offset, low + 1e-9, high - 1e-9)
        solution = optimize.least_squares(residuals, z0, bounds=(low, high), tr_solver="exact",
                                          xtol=1e-8, ftol=1e-8, max_nfev=400)
        if best is None or solution.cost < best.cost:
            best = solution
    r = residuals(best.x)
    return CurveFit(model.name, dict(zip(names, (10.0 ** best.x).tolist(), strict=True)),
                    chi2=float(r @ r), n_points=dataset.size, residuals=r, fitted=expected(best.x),
                    converged=bool(best.status > 0))


@dataclass(frozen=True)
class Comparison:
    """Every candidate fitted to one dataset (:func:`compare`).

    Attributes
    ----------
    dataset : Dataset
    fits : dict
        :class:`lerbook.fitting.CurveFit` by candidate name.
    """

    dataset: Dataset
    fits: dict

    @property
    def best_aic(self) -> str:
        """Candidate with the lowest AIC."""
        return min(self.fits, key=lambda m: self.fits[m].aic)

    @property
    def best_bic(self) -> str:
        """Candidate with the lowest BIC."""
        return min(self.fits, key=lambda m: self.fits[m].bic)

    @property
    def delta_aic(self) -> dict:
        """AIC of each candidate minus the lowest [-]."""
        low = self.fits[self.best_aic].aic
        return {m: f.aic - low for m, f in self.fits.items()}

    @property
    def delta_bic(self) -> dict:
        """BIC of each candidate minus the lowest [-]."""
        low = self.fits[self.best_bic].bic
        return {m: f.bic - low for m, f in self.fits.items()}

    @property
    def akaike_weights(self) -> dict:
        """:math:`e^{-\\Delta_i/2} / \\sum_j e^{-\\Delta_j/2}`: the relative support [-]."""
        w = {m: np.exp(-0.5 * d) for m, d in self.delta_aic.items()}
        total = sum(w.values())
        return {m: v / total for m, v in w.items()}


def compare(dataset: Dataset, models: Mapping[str, Candidate] | None = None,
            starts: int = 3) -> Comparison:
    """Fit every candidate to a dataset and rank them.

    Parameters
    ----------
    dataset : Dataset
    models : Mapping of str to Candidate, or None
        The candidates; None takes :data:`TRPL_MODELS` for Poisson data and
        :data:`UPCONVERSION_MODELS` otherwise.
    starts : int
        Starting points per fit (:func:`fit`).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> result = compare(upconversion_dataset("two_photon"))
    >>> print(result.best_aic)
    two_photon
    """
    if not isinstance(dataset, Dataset):
        raise ValueError(f"dataset must be a Dataset, got {type(dataset).__name__}")
    if models is None:
        models = TRPL_MODELS if dataset.noise == "poisson" else UPCONVERSION_MODELS
    return Comparison(dataset, {name: fit(dataset, m, starts) for name, m in models.items()})


# --------------------------------------------------------------------------------------------
# Discriminating experiments
# --------------------------------------------------------------------------------------------
def soak_time_against_photon_energy(soak_time: float, photon_energy,
                                    reference_energy: float = 1.96, band_gap: float = 1.57,
                                    emitted_fraction: float = 0.1, dark_lifetime: float = 120.0,
                                    heat_driven: bool = True) -> np.ndarray:
    r"""Soak time constant at other excitation photon energies, same absorbed photon flux.

    A reservoir is fed by heat: with the kinetics of :class:`lerbook.reservoir.ReservoirKinetics`
    its build-up rate is a formation term proportional to the heat deposited plus its dark
    decay, :math:`1/\tau_s = \kappa' Q + 1/\tau_{LER}`. Each absorbed photon leaves the heat
    :math:`Q(E) = E - \eta\,E_g` (all energy not re-emitted as band-edge light, emitted
    fraction :math:`\eta`), so at the same absorbed photon flux

    .. math::

        \frac{1}{\tau_s(E)} = \left(\frac{1}{\tau_s(E_{ref})} - \frac{1}{\tau_{LER}}\right)
        \frac{Q(E)}{Q(E_{ref})} + \frac{1}{\tau_{LER}}\ \text{(reservoir)},\qquad
        \tau_s(E) = \tau_s(E_{ref})\ \text{(passivation)},

    since trap healing by ion migration is driven by the carriers, one per absorbed photon
    whatever its energy. Two caveats the passivation side could raise: ion migration is
    thermally activated, so heating (which also grows with Q) speeds it too; and blue light is
    absorbed nearer the surface, which changes the carrier profile.

    Parameters
    ----------
    soak_time : float
        Time constant measured at the reference photon energy [s], > 0 and (for the
        reservoir) below ``dark_lifetime``.
    photon_energy : array_like
        Excitation photon energies [eV], >= ``band_gap``.
    reference_energy : float
        Photon energy of the measurement [eV] (1.96 eV = 633 nm), >= ``band_gap``.
    band_gap : float
        Band gap [eV], 0.5-4 (default: MAPbI3's 1.57 eV).
    emitted_fraction : float
        Share of absorbed photons re-emitted at the band edge [-], 0 to 0.99.
    dark_lifetime : float
        Reservoir lifetime in the dark :math:`\tau_{LER}` [s], > 0 (120 s as in chapter 0).
    heat_driven : bool
        True for the reservoir, False for light-driven passivation.

    Returns
    -------
    numpy.ndarray
        Soak time constant at each photon energy [s].
    """
    tau = _validate.positive("soak_time", soak_time, "s")
    gap = _validate.in_range("band_gap", band_gap, 0.5, 4.0, "eV")
    eta = _validate.in_range("emitted_fraction", emitted_fraction, 0.0, 0.99)
    e_ref = _validate.in_range("reference_energy", reference_energy, gap, 10.0, "eV")
    tau_dark = _validate.positive("dark_lifetime", dark_lifetime, "s")
    e = np.asarray(photon_energy, dtype=float)
    if e.size == 0 or not np.all(np.isfinite(e)) or np.any(e < gap):
        raise ValueError(f"photon_energy must be >= band_gap ({gap} eV), got {photon_energy!r}")
    if not heat_driven:
        return np.full(e.shape, tau)
    if tau >= tau_dark:
        raise ValueError(f"soak_time ({tau} s) must be below dark_lifetime ({tau_dark} s): "
                         "a reservoir cannot build up slower than it decays in the dark")
    formation = (1.0 / tau - 1.0 / tau_dark) * (e - eta * gap) / (e_ref - eta * gap)
    return 1.0 / (formation + 1.0 / tau_dark)


def switch_on_response(comparison_fit: CurveFit, t, rise_time: float = 55.0,
                       power: float = 100.0, temperature: float = 300.0) -> np.ndarray:
    r"""Upconversion yield after the pump is switched on, predicted by a fitted candidate.

    Reservoirs must first be built: in the ``reservoir`` model the reservoir term grows as
    :math:`\ell(P)(1 - e^{-t/\tau_R})`; phonon-assisted escape and two-photon absorption
    follow the pump at once.

    Parameters
    ----------
    comparison_fit : lerbook.fitting.CurveFit
        A fit of one of :data:`UPCONVERSION_MODELS`.
    t : array_like
        Times after switch-on [s], >= 0.
    rise_time : float
        Build-up time of the reservoir :math:`\tau_R` [s], > 0 (55 s is chapter 0's
        reservoir-density rise; it is not determined by the steady-state data).
    power : float
        Pump power [mW cm^-2], > 0.
    temperature : float
        Temperature [K], > 0.

    Returns
    -------
    numpy.ndarray
        Yield at each time [-].
    """
    if not isinstance(comparison_fit, CurveFit) or comparison_fit.model not in \
            UPCONVERSION_MODELS:
        raise ValueError("comparison_fit must be a CurveFit of an upconversion candidate")
    tau = _validate.positive("rise_time", rise_time, "s")
    power = _validate.positive("power", power, "mW cm^-2")
    temperature = _validate.positive("temperature", temperature, "K")
    t = np.asarray(t, dtype=float)
    if t.size == 0 or not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError(f"t must be finite and >= 0 s, got {t!r}")
    x = {"power": np.full(t.shape, power), "temperature": np.full(t.shape, temperature)}
    p = dict(comparison_fit.params)
    if comparison_fit.model == "reservoir":
        p["reservoir_ratio"] = p["reservoir_ratio"] * -np.expm1(-t / tau)
    return UPCONVERSION_MODELS[comparison_fit.model].predict(x, **p)
