"""Explorers of the ions chapter: quench-vs-brighten crossover, blinking, J-V hysteresis and
halide phase segregation."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from lerbook import ions
from lerbook.explore.core import Control, Explorer
from lerbook.plotting import ions as views
from lerbook.plotting.ions import BlinkingRun, HysteresisRun

__all__ = ["competition_explorer", "blinking_explorer", "hysteresis_explorer",
           "segregation_explorer"]


# ---- 1. competition -----------------------------------------------------------------------
@lru_cache(maxsize=256)
def _competition_model(intensity, duration, healing_time):
    quenching = ions.QuenchingParameters(healing_time=healing_time)
    return ions.competition(intensity, duration, quenching)


def competition_explorer() -> Explorer:
    """Reservoir brightening against ion quenching: intensity [mW cm^-2] (log), illumination
    time [s], healing time of the quenching defects [s]. Static form: five intensities.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.ions.CompetitionResult`.
    """
    controls = [
        Control("intensity", "intensity I", "mW cm^-2", 10.0, 2000.0, 350.0, log=True),
        Control("duration", "illumination time", "s", 10.0, 600.0, 120.0, log=True),
        Control("healing_time", "healing time τ_h", "s", 5.0, 600.0, 60.0, log=True),
    ]

    def readout(result):
        verdict = "brightens" if result.final_change > 1 else "quenches"
        return (f"PL {verdict}: × <b>{result.final_change:.2f}</b> after {result.t[-1]:.0f} s "
                f"(reservoir alone × {result.brightening[-1]:.2f}, "
                f"quenching defects q = {result.quench_fraction[-1]:.2f})")

    def static(values):
        return views.plot_competition_family(
            [_competition_model(**{**values, "intensity": i})
             for i in (30.0, 100.0, 200.0, 350.0, 1000.0)])

    return Explorer("Mobile ions quench, the reservoir brightens: who wins?", controls,
                    _competition_model, views.CompetitionView, readout, static)


# ---- 2. blinking --------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _blinking_model(seed, sites, activation_rate, off_exponent):
    params = ions.BlinkingParameters(sites=int(round(sites)), activation_rate=activation_rate,
                                     off_exponent=off_exponent)
    trace = ions.simulate_blinking(params, duration=600.0, seed=int(round(seed)))
    return BlinkingRun(trace, ions.blinking_statistics(trace))


def blinking_explorer() -> Explorer:
    """A single blinking grain: seed, number of quenching sites (1-3: with more, the grain is
    almost never free of active sites and there are too few on/off periods), activation rate
    [s^-1] (log), single-site off-time exponent. Static form: the default trace and its
    statistics.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.ions.BlinkingRun`.
    """
    controls = [
        Control("seed", "random seed", "", 0, 50, 0, steps=50),
        Control("sites", "quenching sites N", "", 1, 3, 1, steps=2),
        Control("activation_rate", "activation rate k_a", "s^-1", 0.1, 10.0, 1.0, log=True),
        Control("off_exponent", "single-site off-time exponent m", "", 1.2, 2.5, 1.5),
    ]

    def readout(run):
        p, s = run.trace.params, run.stats

        def show(x):
            return f"{x:.2f}" if np.isfinite(x) else "– (too few periods to fit)"

        return (f"on times: fitted k = <b>{show(s.on_rate)} s<sup>-1</sup></b> "
                f"(simulated N k_a = {p.on_rate:.2f}); off times: fitted exponent "
                f"<b>{show(s.off_exponent)}</b>"
                + (f" ± {s.off_exponent_error:.2f}" if np.isfinite(s.off_exponent) else "")
                + f" (single-site m = {p.off_exponent:.2f}; fixed window "
                f"{s.window[0]:g}-{s.window[1]:g} s); "
                f"{s.on_times.size} on and {s.off_times.size} off periods")

    def static(values):
        return views.BlinkingView(_blinking_model(**values)).fig

    return Explorer("Blinking of a single grain", controls, _blinking_model, views.BlinkingView,
                    readout, static)


# ---- 3. hysteresis ------------------------------------------------------------------------
#: Scan rates of the hysteresis-index curve [V s^-1].
SCAN_RATES = np.logspace(-5, 3, 33)


@lru_cache(maxsize=128)
def _hysteresis_index(temperature):
    """Hysteresis index against SCAN_RATES at one temperature (shared by every scan rate)."""
    index = ions.hysteresis_vs_scan_rate(
        SCAN_RATES, ions.HysteresisParameters(temperature=temperature))
    index.flags.writeable = False
    return index


@lru_cache(maxsize=256)
def _hysteresis_model(scan_rate, temperature):
    params = ions.HysteresisParameters(temperature=temperature)
    return HysteresisRun(ions.jv_sweep(scan_rate, params), SCAN_RATES,
                         _hysteresis_index(temperature))


def hysteresis_explorer() -> Explorer:
    """J-V hysteresis: scan rate [V s^-1] (log) and temperature [K]. Static form: loops at
    four scan rates and the hysteresis index against scan rate.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.ions.HysteresisRun`.
    """
    controls = [
        Control("scan_rate", "scan rate", "V s^-1", 1e-5, 1e3, 3e-3, log=True),
        Control("temperature", "temperature T", "K", 250.0, 350.0, 298.0),
    ]

    def readout(run):
        s = run.sweep
        return (f"τ_ion = L_D b / D = <b>{s.params.ionic_time:.3g} s</b> · hysteresis index "
                f"<b>{s.hysteresis_index:.2f}</b> · P_rev = {s.power_reverse:.1f}, "
                f"P_fwd = {s.power_forward:.1f} mW cm<sup>-2</sup>")

    def static(values):
        runs = [_hysteresis_model(**{**values, "scan_rate": r}) for r in (1e-4, 3e-3, 0.1, 10.0)]
        return views.plot_hysteresis_family([run.sweep for run in runs], SCAN_RATES,
                                            runs[0].index)

    return Explorer("Ion-driven J-V hysteresis against scan rate", controls, _hysteresis_model,
                    views.HysteresisView, readout, static)


# ---- 4. segregation -----------------------------------------------------------------------
@lru_cache(maxsize=128)
def _segregation_model(intensity, light_time, seed):
    return ions.segregation(intensity, light_time=light_time, dark_time=120.0,
                            seed=int(round(seed)), samples=40)


def segregation_explorer() -> Explorer:
    """Halide phase segregation: intensity [mW cm^-2] (log), light time [s], seed. Static
    form: mean PL energy against time at three intensities and the spectra.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.ions.SegregationResult`.
    """
    controls = [
        Control("intensity", "intensity I", "mW cm^-2", 1.0, 300.0, 100.0, log=True),
        Control("light_time", "light time", "s", 5.0, 120.0, 60.0),
        Control("seed", "random seed", "", 0, 20, 0, steps=20),
    ]

    def readout(result):
        return (f"mean PL energy {result.peak_energy[0]:.3f} eV → "
                f"<b>{result.peak_energy[result.intensity > 0][-1]:.3f} eV</b> under light "
                f"→ {result.peak_energy[-1]:.3f} eV after the dark (one seed: "
                f"~±12 meV noise); "
                f"iodide-rich sites {100 * result.iodide_rich.max():.0f}% at most")

    def static(values):
        return views.plot_segregation_family(
            [_segregation_model(**{**values, "intensity": i}) for i in (10.0, 30.0, 100.0)])

    return Explorer("Light-induced halide segregation and dark recovery", controls,
                    _segregation_model, views.SegregationView, readout, static)
