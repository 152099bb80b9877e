"""Explorers of the ultraslow chapter: an illumination-protocol builder, time-dependent TRPL,
and the dose (reciprocity) test of the reservoir against trap passivation.

Every model function is cached on its slider values (``functools.lru_cache``) and the
fast-carrier tables of ``lerbook.ultraslow`` are cached on the illumination, so moving a
slider back and forth costs only the drawing.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from lerbook import ultraslow as us
from lerbook.explore.core import Control, Explorer, one_over_e_or_inf
from lerbook.plotting import ultraslow as views
from lerbook.plotting.labels import rate_text, time_text
from lerbook.plotting.ultraslow import DoseRun, ProtocolRun, TRPLRun

#: Wavelength of every explorer [nm]: the perspective's 405 nm.
WAVELENGTH = 405.0
#: Repetition rate of the pulse train of the TRPL explorer [Hz].
TRPL_RATE = 1e6
#: Laboratory times of the decays, as fractions of the exposure.
TRPL_FRACTIONS = (0.0, 1 / 32, 1 / 8, 1 / 4, 1 / 2, 1.0)
#: Exposure intensities of the dose explorer [mW cm^-2].
DOSE_INTENSITIES = (20.0, 60.0, 200.0, 600.0)
#: Intensity of the probe that reads the film after each dose [mW cm^-2]: the intensity at
#: which the two models are matched, so that their 200 mW cm^-2 curves coincide.
DOSE_PROBE = 200.0
#: Delays after the pulse at which the TRPL explorer draws the decays [s].
DECAY_TIMES = np.linspace(0.0, 1.0 / TRPL_RATE, 601)
#: Chebyshev nodes of the live views' tables: the fewest `ultraslow` accepts. Against 9 nodes
#: the TRPL decays differ by < 0.3 % and their 1/e times by < 0.02 ns, for ~40 % less work.
LIVE_TABLE_POINTS = 5


def _default_params() -> us.UltraslowParameters:
    return us.UltraslowParameters()


# --------------------------------------------------------------------------------------------
# 1. The protocol builder
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def protocol_model(intensity: float, first_on: float, dark: float, second_on: float,
                   lifetime: float) -> ProtocolRun:
    """The protocol explorer's model: light, dark, light again (CW, 405 nm).

    Parameters
    ----------
    intensity : float
        Intensity of both exposures [mW cm^-2].
    first_on : float
        First exposure [s].
    dark : float
        Dark interval [s].
    second_on : float
        Second exposure [s].
    lifetime : float
        Reservoir lifetime tau_LER [s].

    Returns
    -------
    lerbook.plotting.ultraslow.ProtocolRun
        The run and the t90 of both exposures.
    """
    params = _default_params().with_kinetics(lifetime=lifetime)
    protocol = us.IlluminationProtocol.exposures(intensity, first_on, dark, second_on,
                                                 wavelength=WAVELENGTH)
    result = us.simulate(params, protocol, points=500, table_points=LIVE_TABLE_POINTS)
    return ProtocolRun(result, us.rise_times(result, 0.9))


def _protocol_readout(run: ProtocolRun) -> str:
    result = run.result
    first_end = result.segment == 0
    peak = float(result.relative_pl[first_end][-1])
    dark = result.segment == 1
    after_dark = float(result.relative_probe_pl[dark][-1])
    recovered = 100 * (peak - after_dark) / max(peak - 1.0, 1e-12)
    first, second = (us.describe_rise_time(x) for x in run.rise)
    return (f"first exposure: PL <b>x{peak:.2f}</b>, t90 <b>{first}</b> &middot; after the "
            f"dark the probe reads <b>x{after_dark:.2f}</b> ({recovered:.0f} % recovered) "
            f"&middot; second exposure: t90 <b>{second}</b> (t90: time to cover 90 % of the "
            f"way from the fresh film's PL to the plateau)")


def protocol_explorer() -> Explorer:
    """Explorer of an illumination protocol: light, dark, light again.

    Sliders: intensity [mW cm^-2] (log), first exposure [s], dark interval [s] (log),
    second exposure [s] and the reservoir lifetime tau_LER [s] (log); 405 nm CW light. The
    figure shows the brightening, the recovery a probe would read in the dark, and the
    faster second rise (memory); the readout gives each exposure's t90 (90 % of the way from
    the fresh film's PL to the plateau), "not reached" for an exposure too short and "starts
    above the 90 % mark" for one that begins on a film still bright from the first. The
    static form overlays three reservoir lifetimes.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.ultraslow.ProtocolRun`.
    """
    controls = [
        Control("intensity", "intensity I", "mW cm^-2", 10.0, 1000.0, 200.0, log=True),
        Control("first_on", "first exposure", "s", 10.0, 600.0, 300.0),
        Control("dark", "dark interval", "s", 1.0, 1800.0, 60.0, log=True),
        Control("second_on", "second exposure", "s", 10.0, 600.0, 300.0),
        Control("lifetime", "reservoir lifetime tau_LER", "s", 10.0, 3600.0, 120.0,
                log=True),
    ]

    def static(values):
        lifetimes = (30.0, 120.0, 600.0)
        dark = 300.0
        results = [protocol_model(**{**values, "dark": dark, "lifetime": life}).result
                   for life in lifetimes]
        labels = [rf"$\tau_\mathrm{{LER}}$ = {life:.0f} s" for life in lifetimes]
        return views.plot_protocol_family(
            results, labels,
            title=f"{time_text(values['first_on'])} light, {time_text(dark)} dark, "
                  f"{time_text(values['second_on'])} light at {values['intensity']:g} "
                  "mW cm$^{-2}$:\nlonger-lived reservoirs recover less in the dark, so the "
                  "second rise is faster")

    return Explorer("Illumination protocol: photobrightening, dark recovery and memory",
                    controls, protocol_model, views.ProtocolView, _protocol_readout, static)


# --------------------------------------------------------------------------------------------
# 2. Time-dependent TRPL
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _decay_table(intensity: float) -> us.DecayTable:
    """Periodic-steady-state decays on the Chebyshev nodes of n_LER of ``trpl_model``'s
    tables, for interpolation; their fixed points are those ``simulate`` just solved."""
    segment = us.Segment(1.0, intensity, WAVELENGTH, TRPL_RATE)
    return us.decay_table(_default_params(), segment, DECAY_TIMES, points=LIVE_TABLE_POINTS,
                          rtol=1e-6)


def _decays(intensity: float, densities) -> np.ndarray:
    decays = _decay_table(intensity).at(densities)
    return np.clip(decays, 1e-12 * decays.max(axis=-1, keepdims=True), None)


@lru_cache(maxsize=256)
def trpl_model(intensity: float, lifetime: float, formation_yield: float,
               exposure: float) -> TRPLRun:
    """The TRPL explorer's model: decays taken during an exposure to 405 nm pulses at 1 MHz.

    Decays are interpolated from a coarse table in n_LER (:data:`LIVE_TABLE_POINTS` nodes).

    Parameters
    ----------
    intensity : float
        Average intensity of the pulse train [mW cm^-2].
    lifetime : float
        Reservoir lifetime tau_LER [s].
    formation_yield : float
        Reservoir formation yield kappa [J^-1].
    exposure : float
        Length of the exposure [s].

    Returns
    -------
    lerbook.plotting.ultraslow.TRPLRun
        Decays at :data:`TRPL_FRACTIONS` of the exposure, their stretched-exponential fits,
        the 1/e time on a finer grid and the brightening at the end.
    """
    params = _default_params().with_kinetics(lifetime=lifetime,
                                             formation_yield=formation_yield)
    protocol = us.IlluminationProtocol.constant(intensity, exposure, WAVELENGTH, TRPL_RATE)
    times = np.linspace(0.0, exposure, 25)
    marks = exposure * np.array(TRPL_FRACTIONS)
    run = us.simulate(params, protocol, np.union1d(times, marks),
                      table_points=LIVE_TABLE_POINTS, rtol=1e-6)
    decays = _decays(intensity, run.density)
    pick = np.searchsorted(run.t, marks)
    family = us.TRPLFamily(t=DECAY_TIMES, times=run.t[pick], pl=decays[pick],
                           density=run.density[pick],
                           one_over_e=np.array([one_over_e_or_inf(DECAY_TIMES, d)
                                                for d in decays[pick]]),
                           params=params)
    trend = (run.t, np.array([one_over_e_or_inf(DECAY_TIMES, d) for d in decays]))
    return TRPLRun(family, us.fit_trpl_family(family), trend,
                   float(run.pl[-1] / run.pl[0]))


def _trpl_readout(run: TRPLRun) -> str:
    first, last = run.fits[0], run.fits[-1]
    life = run.family.one_over_e * 1e9
    span = f"{run.family.t[-1] * 1e9:.0f}"

    def show(x):
        return f"&gt; {span}" if not np.isfinite(x) else f"{x:.0f}"

    return (f"1/e time <b>{show(life[0])} &rarr; {show(life[-1])} ns</b> &middot; stretched "
            f"exponential &lang;&tau;&rang; <b>{first.mean_time * 1e9:.0f} &rarr; "
            f"{last.mean_time * 1e9:.0f} ns</b>, &beta; <b>{first.beta:.2f} &rarr; "
            f"{last.beta:.2f}</b> &middot; PL x<b>{run.brightening:.2f}</b>")


def trpl_explorer() -> Explorer:
    """Explorer of time-dependent TRPL: decays taken while a pulse train brightens the film.

    Sliders: average intensity of the 405 nm, 1 MHz pulse train [mW cm^-2] (log), reservoir
    lifetime tau_LER [s] (log), formation yield kappa [J^-1] (log) and the exposure [s]
    (log). Six decays are taken from the start to the end of the exposure; the right panel
    shows their 1/e time and the mean time of a stretched exponential fitted to the first
    decade. The static form shows the default family.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.ultraslow.TRPLRun`.
    """
    defaults = us.DEFAULT_KINETICS
    controls = [
        Control("intensity", "average intensity I", "mW cm^-2", 20.0, 1000.0, 200.0,
                log=True, steps=12),
        Control("lifetime", "reservoir lifetime tau_LER", "s", 10.0, 3600.0,
                defaults.lifetime, log=True),
        Control("formation_yield", "formation yield kappa", "J^-1", 5e9, 5e11,
                defaults.formation_yield, log=True),
        Control("exposure", "exposure", "s", 5.0, 600.0, 120.0, log=True),
    ]

    def static(values):
        fig = views.TRPLFamilyView(trpl_model(**values)).fig
        fig.suptitle(f"TRPL during {time_text(values['exposure'])} of {WAVELENGTH:.0f} nm "
                     f"pulses ({rate_text(TRPL_RATE)}, {values['intensity']:g} mW cm$^{{-2}}$):\n"
                     "the decays lengthen and stretch as the reservoirs form")
        return fig

    return Explorer("Time-dependent TRPL: decays taken while the film brightens", controls,
                    trpl_model, views.TRPLFamilyView, _trpl_readout, static)


# --------------------------------------------------------------------------------------------
# 3. Dose dependence: reservoirs against trap passivation
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def matched_rival() -> us.PassivationParameters:
    """The passivation model matched to the default reservoir model's brightening.

    Returns
    -------
    lerbook.ultraslow.PassivationParameters
        Matched (``lerbook.ultraslow.match_passivation``) under 5 min of 200 mW cm^-2.
    """
    run = us.simulate(_default_params(), us.IlluminationProtocol.constant(200.0, 300.0,
                                                                         WAVELENGTH),
                      points=300)
    return us.match_passivation(run)


@lru_cache(maxsize=256)
def dose_model(lifetime: float, recovery_time: float, max_dose: float,
               formation_yield: float) -> DoseRun:
    """The dose explorer's model: probe PL against dose at :data:`DOSE_INTENSITIES`.

    Parameters
    ----------
    lifetime : float
        Reservoir lifetime tau_LER [s].
    recovery_time : float
        Dark lifetime of passivated traps tau_rec [s] (of the matched passivation model).
    max_dose : float
        Largest dose [J cm^-2].
    formation_yield : float
        Reservoir formation yield kappa [J^-1].

    Returns
    -------
    lerbook.plotting.ultraslow.DoseRun
        The reservoir model's and the passivation model's responses.
    """
    ler = _default_params().with_kinetics(lifetime=lifetime, formation_yield=formation_yield)
    rival = matched_rival().replace(recovery_time=recovery_time)
    common = dict(intensities=DOSE_INTENSITIES, max_dose=max_dose, wavelength=WAVELENGTH,
                  probe_intensity=DOSE_PROBE, points=60, table_points=LIVE_TABLE_POINTS)
    return DoseRun(us.dose_response(ler, **common), us.dose_response(rival, **common))


def _dose_readout(run: DoseRun) -> str:
    return (f"at the largest dose the brightening differs between intensities by "
            f"<b>x{run.ler.reciprocity_spread:.2f}</b> for the reservoirs and "
            f"<b>x{run.rival.reciprocity_spread:.2f}</b> for passivation (x1: reciprocity "
            f"holds; exposures last {run.ler.exposure_time[-1, -1]:.3g} to "
            f"{run.ler.exposure_time[0, -1]:.3g} s)")


def dose_explorer() -> Explorer:
    """Explorer of the reciprocity test: brightening against dose at four intensities.

    Sliders: reservoir lifetime tau_LER [s] (log), dark lifetime of passivated traps
    tau_rec [s] (log), the largest dose [J cm^-2] (log) and the reservoir formation yield
    [J^-1] (log). The passivation model is matched to the default reservoir model's
    brightening at 200 mW cm^-2, so the two agree on that one curve. The static form shows
    the default comparison.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.ultraslow.DoseRun`.
    """
    defaults = us.DEFAULT_KINETICS
    controls = [
        Control("lifetime", "reservoir lifetime tau_LER", "s", 10.0, 3600.0,
                defaults.lifetime, log=True),
        Control("recovery_time", "passivation lifetime tau_rec", "s", 60.0, 1e6, 3.6e4,
                log=True),
        Control("max_dose", "largest dose", "J cm^-2", 1.0, 100.0, 12.0, log=True),
        Control("formation_yield", "formation yield kappa", "J^-1", 5e9, 5e11,
                defaults.formation_yield, log=True),
    ]

    def static(values):
        fig = views.DoseView(dose_model(**values)).fig
        probe = f"{DOSE_PROBE:g} mW cm$^{{-2}}$"
        fig.suptitle(f"Same brightening at {probe}, different reciprocity\n"
                     f"(a brief {probe} probe reads the film after each dose)")
        return fig

    return Explorer("Reciprocity: brightening against dose, reservoirs against passivation",
                    controls, dose_model, views.DoseView, _dose_readout, static)
