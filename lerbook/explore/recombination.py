"""Explorers of the recombination chapter.

Five explorers, one per figure of chapter 2:

- :func:`abc_explorer`: ABC decays after one pulse and the PLQY against density;
- :func:`langevin_explorer`: measured B against the Langevin rate k_L, material by material;
- :func:`trap_explorer`: trap filling and the reservoir term K sigma' n_LER n_t in TRPL;
- :func:`pulse_train_explorer`: accumulation under a pulse train, in its periodic steady state;
- :func:`fit_explorer`: a synthetic TCSPC histogram fitted by a mono-exponential, a
  bi-exponential and the ABC model, compared by AIC and BIC.

Models are cached on the slider values (``functools.lru_cache``), so returning to a
slider position costs only the drawing.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from lerbook import recombination
from lerbook.explore.core import Control, Explorer, one_over_e_or_inf

# The analysis chapter 2 quotes lives in the physics layer; re-exported here for the explorers.
from lerbook.fitting import compare_models, synthetic_dataset
from lerbook.plotting import recombination as views
from lerbook.plotting.labels import compact, time_text
from lerbook.plotting.recombination import ModelFits, PulseTrainRuns, TrapRuns
from lerbook.recombination import (
    TRAP_TIMES,
    ABCParameters,
    LangevinComparison,
    TrapParameters,
    trap_decay_times,
)

# The chapter's analysis (trap_decay_times, synthetic_dataset, ...) lives in the physics
# layer (lerbook.recombination, lerbook.fitting) and is documented there.
__all__ = ["abc_explorer", "langevin_explorer", "trap_explorer", "pulse_train_explorer",
           "fit_explorer", "abc_times", "steady_state_yield"]

_NS = 1e-9


# ============================================================================================
# 1. ABC decays and the PLQY
# ============================================================================================
def abc_times(params: ABCParameters, n0: float, points: int = 200) -> np.ndarray:
    """Times that show a whole ABC decay on a logarithmic axis [s].

    t = 0, then a logarithmic grid from a thousandth of the fastest initial time constant
    (1/A, 1/(B n0), 1/(C n0^2)) to 10/A, when the trap-only limit has fallen to 5e-5; at
    least 1 fs and at most 100 us.

    Parameters
    ----------
    params : lerbook.recombination.ABCParameters
        The recombination coefficients A [s^-1], B [cm^3 s^-1] and C [cm^6 s^-1].
    n0 : float
        Initial carrier density [cm^-3].
    points : int
        Number of logarithmically spaced times after t = 0.

    Returns
    -------
    numpy.ndarray
        ``points + 1`` increasing times [s], starting at 0.

    Examples
    --------
    >>> from lerbook.recombination import ABCParameters
    >>> t = abc_times(ABCParameters(A=1e7, B=1e-10, C=1e-28), 1e17)
    >>> float(t[0]), t.size, bool(t[-1] <= 1e-4)
    (0.0, 201, True)
    """
    rates = [params.A, params.B * n0, params.C * n0 * n0]
    fastest = max(rates)
    start = min(max(1e-3 / fastest, 1e-15), 1e-9)
    end = min(max(10.0 / max(params.A, 1.0), 100.0 * start), 1e-4)
    return np.concatenate(([0.0], np.geomspace(start, end, points)))


@lru_cache(maxsize=256)
def _abc_model(n0, A, B, C):
    params = ABCParameters(A=A, B=B, C=C)
    return recombination.abc_decay(params, n0, abc_times(params, n0))


def _abc_readout(result) -> str:
    params = result.params
    n_peak, best = recombination.plqy_peak(params)
    here = recombination.plqy(params, result.n0)
    tau = recombination.effective_lifetime(params, result.n0)
    return (f"PLQY at n<sub>0</sub>: <b>{here:.3f}</b> &middot; maximum <b>{best:.3f}</b> at "
            f"n = &radic;(A/C) = <b>{n_peak:.3g} cm<sup>-3</sup></b> &middot; "
            f"lifetime at n<sub>0</sub>, 1/(A + B n<sub>0</sub> + C n<sub>0</sub><sup>2</sup>)"
            f" = <b>{time_text(tau)}</b> &middot; PL 1/e time "
            f"<b>{time_text(one_over_e_or_inf(result.t, result.pl))}</b>")


def abc_explorer() -> Explorer:
    """Explorer of the ABC model: the decay after one pulse and the PLQY against density.

    Sliders: initial density n0 [cm^-3], A [s^-1], B [cm^3 s^-1] and C [cm^6 s^-1], all
    logarithmic. The static form overlays decays from five initial densities on the PLQY
    curve they sample.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.recombination.DecayResult`.
    """
    controls = [
        Control("n0", "initial density n0", "cm^-3", 1e14, 1e19, 1e17, log=True),
        Control("A", "trap-assisted A", "s^-1", 1e5, 1e9, 1e7, log=True),
        Control("B", "radiative B", "cm^3 s^-1", 1e-12, 1e-8, 1e-10, log=True),
        Control("C", "Auger C", "cm^6 s^-1", 1e-30, 1e-26, 1e-28, log=True),
    ]

    def static(values):
        results = [_abc_model(**{**values, "n0": n0}) for n0 in (1e15, 1e16, 1e17, 1e18, 1e19)]
        a, b, c = (compact(f"{values[name]:g}") for name in ("A", "B", "C"))
        return views.plot_abc_family(
            results, title=f"A = {a} s$^{{-1}}$, B = {b} cm$^3$ s$^{{-1}}$, C = {c} cm$^6$ "
                           "s$^{-1}$: the higher $n_0$, the faster the start of the decay")

    return Explorer("ABC recombination: decay after one pulse, and PLQY against density",
                    controls, _abc_model, views.ABCView, _abc_readout, static)


# ============================================================================================
# 2. The Langevin comparison
# ============================================================================================
@lru_cache(maxsize=256)
def _langevin_model(mobility_scale, static_permittivity):
    permittivity = "static" if static_permittivity >= 0.5 else "optical"
    rows = []
    for row in recombination.langevin_table(permittivity).values():
        k_l = row.k_langevin * mobility_scale
        rows.append(LangevinComparison(row.material, k_l, row.B, row.B / k_l, permittivity))
    return tuple(rows)


def _langevin_readout(rows) -> str:
    worst = max(rows, key=lambda row: row.ratio)
    mapi = next((row for row in rows if row.material == "MAPbI3"), rows[0])
    return (f"{mapi.material}: k<sub>L</sub> = <b>{mapi.k_langevin:.3g} cm<sup>3</sup> "
            f"s<sup>-1</sup></b>, B / k<sub>L</sub> = <b>{mapi.ratio:.2g}</b> &middot; closest "
            f"to the Langevin limit: {worst.material}, B / k<sub>L</sub> = "
            f"<b>{worst.ratio:.2g}</b> ({mapi.permittivity} permittivity)")


def langevin_explorer() -> Explorer:
    """Explorer of the Langevin comparison: measured B against k_L for every material.

    Sliders: a factor on the electron and hole mobilities (measured mobilities vary by an
    order of magnitude between techniques and films) and the permittivity that screens the
    electron-hole attraction (0: optical, 1: static). The static form shows both
    permittivities at the tabulated mobilities.

    Returns
    -------
    Explorer
        Its model returns a tuple of :class:`lerbook.recombination.LangevinComparison`, one
        per material.
    """
    controls = [
        Control("mobility_scale", "mobility / tabulated", "", 0.1, 10.0, 1.0, log=True),
        Control("static_permittivity", "permittivity (0 optical, 1 static)", "", 0.0, 1.0,
                1.0, steps=1),
    ]

    def static(values):
        return views.plot_langevin_family(
            [_langevin_model(**{**values, "static_permittivity": choice}) for choice in (1.0, 0.0)],
            ["static $\\varepsilon_r$", "optical $\\varepsilon_r$"],
            title="Measured B lies 3 to 5 orders of magnitude below the Langevin rate, "
                  "with either permittivity")

    return Explorer("The Langevin bound: measured B against k_L = e (mu_e + mu_h) / (eps0 eps_r)",
                    controls, _langevin_model, views.LangevinView, _langevin_readout, static)


# ============================================================================================
# 3. Trap filling and the reservoir term
# ============================================================================================
@lru_cache(maxsize=256)
def _trap_run(n_ler, k_sigma, trap_density, n0):
    params = TrapParameters(n_ler=n_ler, k_sigma=k_sigma, trap_density=trap_density)
    return recombination.trap_decay(params, n0, TRAP_TIMES)


def _trap_model(n_ler, k_sigma, trap_density, n0):
    # The reference has no reservoir, so K sigma' does not matter: cache it once.
    return TrapRuns(_trap_run(n_ler, k_sigma, trap_density, n0),
                    _trap_run(0.0, 1e-10, trap_density, n0))


def _trap_readout(runs: TrapRuns) -> str:
    result, reference = runs.result, runs.reference
    p = result.params
    releases = float(result.released_ler[-1]) / result.n0
    return (f"K&sigma;'n<sub>LER</sub> = <b>{p.ler_rate:.3g} s<sup>-1</sup></b> against capture "
            f"&gamma;<sub>n</sub>N<sub>t</sub> = {p.gamma_n * p.trap_density:.3g} s<sup>-1</sup>"
            f" and thermal emission e<sub>n</sub> = {p.emission_rate:.3g} s<sup>-1</sup>"
            f" &middot; PL 1/e time <b>{time_text(one_over_e_or_inf(result.t, result.pl))}</b> "
            f"(without the reservoir {time_text(one_over_e_or_inf(reference.t, reference.pl))}) "
            f"&middot; photons per pair <b>{result.plqy:.3f}</b> (without {reference.plqy:.3f})"
            f"<br>reservoir releases per injected pair in 10 ms: <b>{releases:.3g}</b>, "
            f"&times; E<sub>t</sub> = <b>{releases * p.trap_depth:.3g} eV</b> per pair of "
            f"lattice energy (n<sub>LER</sub> is held fixed: the model never drains it)")


def trap_explorer() -> Explorer:
    """Explorer of trap filling and the reservoir term in TRPL.

    Sliders: reservoir density n_LER [cm^-3], coupling K sigma' [cm^3 s^-1], trap density
    N_t [cm^-3] and the pairs one pulse injects n0 [cm^-3], all logarithmic. The reference
    curve is the same film without reservoirs. The static form shows TRPL for five n_LER and
    the 1/e time and photon yield a measurement would extract as n_LER rises.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.recombination.TrapRuns`.
    """
    defaults = TrapParameters()
    controls = [
        Control("n_ler", "reservoir density n_LER", "cm^-3", 1e8, 1e19, 1e15, log=True),
        Control("k_sigma", "coupling K sigma'", "cm^3 s^-1", 1e-13, 1e-8, defaults.k_sigma,
                log=True),
        Control("trap_density", "trap density N_t", "cm^-3", 1e14, 1e18,
                defaults.trap_density, log=True),
        Control("n0", "pairs per pulse n0", "cm^-3", 1e14, 1e19, 1e15, log=True),
    ]

    def static(values):
        shown = (1e13, 1e14, 1e15, 1e16, 1e17)
        runs = [_trap_model(**{**values, "n_ler": n_ler}) for n_ler in shown]
        sweep = trap_decay_times(np.geomspace(1e11, 1e18, 22))
        n_ler, tau, yield_ = (np.array(column) for column in zip(*sweep, strict=True))
        n0, k_sigma, trap_density = (compact(f"{values[name]:g}")
                                     for name in ("n0", "k_sigma", "trap_density"))
        return views.plot_trap_family(
            [run.result for run in runs], n_ler, tau, yield_, reference=runs[0].reference,
            title="The reservoir returns trapped electrons: first a delayed tail and more "
                  f"photons, then a longer decay\n($n_0$ = {n0} cm$^{{-3}}$, "
                  f"$K\\sigma'$ = {k_sigma} cm$^3$ s$^{{-1}}$, $N_t$ = {trap_density} "
                  "cm$^{-3}$)")

    return Explorer("Trap filling and the reservoir term K sigma' n_LER n_t in TRPL", controls,
                    _trap_model, views.TrapView, _trap_readout, static)


# ============================================================================================
# 4. Pulse trains
# ============================================================================================
#: Samples per period in the pulse-train explorer.
PULSE_POINTS = 200


@lru_cache(maxsize=256)
def _pulse_model(repetition_rate, n_pulse, n_ler):
    params = TrapParameters(n_ler=n_ler)
    steady = recombination.periodic_steady_state(params, n_pulse, repetition_rate,
                                                 points=PULSE_POINTS)
    first = recombination.trap_decay(params, n_pulse, steady.t)
    return PulseTrainRuns(steady, first)


@lru_cache(maxsize=256)
def _period_photons(params, n_pulse, period, before) -> float:
    run = recombination.trap_decay(params, n_pulse, [0.0, period], initial_state=before)
    return run.integrated_pl


def _photons_per_pulse(result) -> float:
    """Photons emitted over one period [cm^-3].

    The radiative running integral the trap solver carries with the state, not a quadrature
    of the sampled PL: on ``PULSE_POINTS`` evenly spaced times the first nanoseconds after an
    intense pulse fall between two samples, and a trapezoid over them overestimates the
    photons several times (PLQY 2.4 instead of 0.65 at 100 kHz and 1e18 cm^-3 per pulse).
    """
    if isinstance(result, recombination.TrapResult):
        return result.integrated_pl
    before = tuple(float(value) for value in result.state_before_pulse)
    return _period_photons(result.params, float(result.n_pulse), result.period, before)


def steady_state_yield(repetition_rate: float, n_pulse: float, n_ler: float = 0.0) -> float:
    """Photons per pulse per injected pair in the periodic steady state of the trap model.

    Parameters
    ----------
    repetition_rate : float
        Pulses per second [Hz], > 0.
    n_pulse : float
        Pairs injected by each pulse [cm^-3], > 0.
    n_ler : float
        Reservoir density n_LER [cm^-3], >= 0; other fields take the
        :class:`~lerbook.recombination.TrapParameters` defaults.

    Returns
    -------
    float
        The PLQY of the train [dimensionless], in [0, 1]: in the steady state every period
        removes exactly the pairs one pulse injects.
    """
    steady = _pulse_model(float(repetition_rate), float(n_pulse), float(n_ler)).steady
    return _photons_per_pulse(steady) / steady.n_pulse


def _pulse_readout(runs: PulseTrainRuns) -> str:
    steady, first = runs.steady, runs.first
    params = steady.params
    photons = _photons_per_pulse(steady)
    gain = photons / max(_photons_per_pulse(first), 1e-300)
    return (f"left over before each pulse: <b>{steady.leftover_fraction:.3g}</b> pulses' worth "
            f"of holes, traps <b>{100 * steady.state_before_pulse[2] / params.trap_density:.0f}%"
            f"</b> full &middot; photons per pulse (PLQY in the steady state): "
            f"<b>{photons / steady.n_pulse:.3f}</b>, "
            f"<b>{gain:.3g}</b> times the first pulse's")


def pulse_train_explorer() -> Explorer:
    """Explorer of a pulse train in the trap model, in its periodic steady state.

    Sliders: repetition rate [Hz], pairs per pulse [cm^-3] and reservoir density n_LER
    [cm^-3] (1e8 is no reservoir to speak of), all logarithmic. The periodic steady state is
    found as the fixed point of the pulse-to-pulse map
    (:func:`lerbook.recombination.periodic_steady_state`). The static form shows one period
    at four repetition rates and the leftover fraction against the rate.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.recombination.PulseTrainRuns`.
    """
    controls = [
        Control("repetition_rate", "repetition rate", "Hz", 1e5, 1e8, 1e6, log=True),
        Control("n_pulse", "pairs per pulse", "cm^-3", 1e14, 1e18, 1e15, log=True),
        Control("n_ler", "reservoir density n_LER", "cm^-3", 1e8, 1e18, 1e8, log=True),
    ]

    def static(values):
        def steady_state(rate, n_ler):
            return _pulse_model(**{**values, "repetition_rate": rate, "n_ler": n_ler})

        shown = [steady_state(rate, 0.0) for rate in (1e5, 1e6, 1e7, 1e8)]
        sweep = np.geomspace(1e5, 1e8, 10)
        runs = [[steady_state(rate, n_ler).steady for rate in sweep] for n_ler in (0.0, 1e16)]
        leftovers = [[run.leftover_fraction for run in row] for row in runs]
        yields = [[_photons_per_pulse(run) / run.n_pulse for run in row] for row in runs]
        n_pulse = values["n_pulse"]
        return views.plot_pulse_train_family(
            [p.steady for p in shown], [p.first for p in shown], sweep, leftovers, yields,
            ["no reservoir", r"$n_\mathrm{LER}$ = 1e16 cm$^{-3}$"],
            title=f"Pulse trains at {compact(f'{n_pulse:g}')} cm$^{{-3}}$ per pulse: trapped "
                  "electrons keep holes alive between pulses, so the film never empties")

    return Explorer("Pulse trains: accumulation and the periodic steady state", controls,
                    _pulse_model, views.PulseTrainView, _pulse_readout, static)


# ============================================================================================
# 5. Fitting a synthetic TCSPC histogram
# ============================================================================================
@lru_cache(maxsize=128)
def _fit_model(total_counts, irf_fwhm, seed):
    data = synthetic_dataset(total_counts, irf_fwhm * _NS, int(round(seed)))
    return ModelFits(data, compare_models(data))


def _fit_readout(fitted: ModelFits) -> str:
    fits = fitted.fits
    best_aic = min(fit.aic for fit in fits)
    best_bic = min(fit.bic for fit in fits)
    cells = " &middot; ".join(
        f"{fit.model}: &chi;<sup>2</sup><sub>&nu;</sub> {fit.chi2_reduced:.2f}, &Delta;AIC "
        f"{fit.aic - best_aic:.3g}, &Delta;BIC {fit.bic - best_bic:.3g}" for fit in fits)
    abc = fits[-1]
    return (f"{cells}<br>AIC prefers <b>{min(fits, key=lambda f: f.aic).model}</b>, BIC "
            f"prefers <b>{min(fits, key=lambda f: f.bic).model}</b> &middot; ABC fit: A = "
            f"{abc.params['A']:.3g} &plusmn; {abc.errors['A']:.2g} s<sup>-1</sup>, B = "
            f"{abc.params['B']:.3g} &plusmn; {abc.errors['B']:.2g} cm<sup>3</sup> s<sup>-1</sup>"
            f" (true 1e+07, 1e-10)")


def fit_explorer() -> Explorer:
    """Explorer of model selection on a noisy synthetic TCSPC histogram.

    The data are an ABC decay (A = 1e7 s^-1, B = 1e-10 cm^3 s^-1, n0 = 1e17 cm^-3)
    convolved with a Gaussian instrument response, with Poisson noise and a flat background.
    Sliders: total counts, IRF width [ns] and the noise seed. Each move fits three models
    (about 0.1 s). The static form shows three count levels.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.recombination.ModelFits`.
    """
    controls = [
        Control("total_counts", "total counts", "counts", 1e3, 1e7, 1e5, log=True),
        Control("irf_fwhm", "IRF width (FWHM)", "ns", 0.03, 3.0, 0.2, log=True),
        Control("seed", "noise seed", "", 0.0, 20.0, 0.0, steps=20),
    ]

    def static(values):
        studies = [_fit_model(**{**values, "total_counts": counts}) for counts in (1e3, 1e5, 1e7)]
        return views.plot_fit_family(
            [study.data for study in studies], [study.fits for study in studies],
            title="One ABC decay counted longer and longer: with few counts the margins are "
                  "small; with many the single exponential fails\nand the ABC model beats two "
                  "exponentials with fewer parameters "
                  f"(IRF {values['irf_fwhm']:g} ns, seed {values['seed']:.0f})")

    return Explorer("Fitting TCSPC data: mono- vs bi-exponential vs the ABC model",
                    controls, _fit_model, views.FitView, _fit_readout, static)
