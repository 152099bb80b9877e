"""Explorers of the cooling chapter: temperatures after a pulse, cooling time against density,
and the carrier temperature read from a spectrum.

Three explorers, each a function returning an :class:`~lerbook.explore.core.Explorer`:

- :func:`temperatures_explorer`: carrier, LO and acoustic temperatures after a pump pulse for a
  chosen density, pump photon energy, reservoir factor and Auger recombination on or off.
- :func:`cooling_time_explorer`: the 1/e cooling time and the late carrier temperature against
  the initial density, with and without the reservoir, for chosen LO lifetime, LO-mode density
  and reservoir factor.
- :func:`tail_fit_explorer`: a synthetic hot-carrier spectrum with Poisson noise and the
  carrier temperature fitted from its high-energy tail, against the start of the fit window.

The models are the physics of :mod:`lerbook.cooling` and :mod:`lerbook.spectra`; this module
only sweeps them and caches the runs (``functools.lru_cache`` keyed on the slider values), so
that moving a slider back to a position already seen costs only the drawing. The density
sweeps integrate with a looser tolerance (``rtol = 1e-3``) and fewer output times than the
library defaults; their cooling times differ from the defaults' by under 2 % and their late
temperatures by under 0.01 K.

The readouts flag runs that leave the model's range: carriers heated above
:data:`MAX_MODEL_TEMPERATURE` (Auger heating at high density, or a small ``M_LO`` with a long
LO lifetime), and a carrier gas denser than :data:`DEGENERACY_LIMIT` times the band-edge
density of states (:func:`lerbook.recombination.effective_density_of_states`), where the
Boltzmann statistics of the model fail.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache

import numpy as np

from lerbook import cooling, recombination, spectra
from lerbook.cooling import CoolingParameters, CoolingResult
from lerbook.explore.core import Control, Explorer
from lerbook.materials import get_material
from lerbook.plotting import cooling as views
from lerbook.plotting.cooling import CoolingSweep, SweepPair, TailFitStudy, TemperatureRuns
from lerbook.plotting.labels import times_ten

#: Material of the chapter's explorers.
MATERIAL = "MAPbI3"
#: Tolerance of the temperature runs [-] (the library default): the solver's error on T_c
#: stays ~1e-3 K, below what the excess-temperature panel shows.
TEMPERATURE_RTOL = 1e-4
#: Tolerance of the density sweeps [-]: looser, for speed (8 runs per curve).
SWEEP_RTOL = 1e-3
#: Output times of the live temperature runs: 0 and 150 log-spaced times from 1 fs to 1 ns [s].
LIVE_TIMES = cooling.default_time_grid(1e-9, 150)
#: Initial carrier temperature of the density sweeps [K]: the ~1000 K that Price et al. (2015)
#: measure at their first resolved delay, so the sweep compares with their cooling time.
SWEEP_INITIAL_TEMPERATURE = 1000.0
#: Initial densities of the sweeps [cm^-3]: 1e16 and then every half decade from 1e17 to
#: 1e20, denser where the cooling time changes.
SWEEP_DENSITIES = (1e16, 1e17, 10**17.5, 1e18, 10**18.5, 1e19, 10**19.5, 1e20)
#: Time at which the sweeps read the carrier temperature left by the reservoir [s]: the end
#: of the runs.
LATE_TIME = 1e-9
#: Seed of the synthetic spectra: the same noise for the same slider values.
SPECTRUM_SEED = 2015
#: Expected counts at which the tail-fit window ends [counts] (see
#: :func:`lerbook.spectra.fit_boltzmann_tail`: deeper in the tail, dropped zero-count points
#: would bias the fit).
WINDOW_END_COUNTS = 10.0
#: Carrier temperature [K] above which the readouts flag a run as outside the model's range:
#: the emission time is calibrated for ~300-3000 K (:func:`lerbook.cooling.lo_emission_time`),
#: and hotter carriers at these densities mean runaway Auger heating, where degeneracy and the
#: screening of the Froehlich coupling, both left out, matter.
MAX_MODEL_TEMPERATURE = 3000.0
#: Ratio n / N_c(T_c) above which the readouts call the carrier gas degenerate [-]: the
#: Fermi-Dirac mean energy per carrier is then ~9 % above the Boltzmann value.
DEGENERACY_LIMIT = 0.5


def _carrier_mass() -> float:
    material = get_material(MATERIAL)
    return 0.5 * (material.mass_electron + material.mass_hole)


def _degeneracy(density, temperature):
    """n / N_c(T_c) [-] for the chapter's material."""
    return np.asarray(density) / recombination.effective_density_of_states(_carrier_mass(),
                                                                           temperature)


def _warning(text: str) -> str:
    return f"<br>&#9888; {text}"


def _temperature_text(value: float) -> str:
    return f"{value:,.0f} K"


def _excess_text(value: float) -> str:
    """An excess temperature: two decimals for the few kelvin of a plateau, none above 1000 K."""
    return _temperature_text(value) if abs(value) >= 1000 else f"{value:.2f} K"


def _parameters(reservoir_factor: float = 1.0, auger: float = 1.0, **overrides
                ) -> CoolingParameters:
    """MAPbI3 cooling parameters with the reservoir factor and Auger on (1) or off (0)."""
    params = cooling.cooling_parameters(MATERIAL, reservoir_factor=float(reservoir_factor),
                                        **overrides)
    return params if auger >= 0.5 else replace(params, C=0.0)


# --------------------------------------------------------------------------------------------
# 1. Temperatures after a pulse
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _temperature_run(initial_density, photon_energy, reservoir_factor, auger) -> CoolingResult:
    params = _parameters(reservoir_factor, auger)
    return cooling.simulate_cooling(params, initial_density, photon_energy, t=LIVE_TIMES,
                                    rtol=TEMPERATURE_RTOL)


def _temperatures_model(initial_density, photon_energy, reservoir_factor, auger):
    auger = float(auger >= 0.5)
    return TemperatureRuns(
        result=_temperature_run(initial_density, photon_energy, reservoir_factor, auger),
        reference=_temperature_run(initial_density, photon_energy, 1.0, auger))


def _temperatures_readout(runs: TemperatureRuns) -> str:
    result, reference = runs.result, runs.reference
    tau = cooling.cooling_time(result)
    tau_text = f"{tau * 1e12:.3g} ps" if math.isfinite(tau) else "&gt; 1 ns"
    late = float(result.Tc[-1] - result.T0)
    late_ref = float(reference.Tc[-1] - reference.T0)
    text = (f"T<sub>c</sub>(0) = <b>{result.initial_temperature:.0f} K</b> &middot; "
            f"1/e cooling time <b>{tau_text}</b> &middot; at 1 ns: T<sub>c</sub> &minus; "
            f"T<sub>0</sub> = <b>{late:.2f} K</b> ({late_ref:.2f} K without reservoir), "
            f"T<sub>A</sub> &minus; T<sub>0</sub> = <b>{result.T_A[-1] - result.T0:.2f} K</b>")
    return text + _temperatures_warnings(result)


def _temperatures_warnings(result: CoolingResult) -> str:
    """Flags for a run outside the model's range (hot or degenerate carriers), or ''."""
    notes = []
    peak = float(np.max(result.Tc[1:]))
    if peak > max(MAX_MODEL_TEMPERATURE, result.initial_temperature):
        notes.append(f"Auger heating drives T<sub>c</sub> to <b>{_temperature_text(peak)}</b>: "
                     f"outside the model's range (above ~{MAX_MODEL_TEMPERATURE:.0f} K; no "
                     "degeneracy, no screening). Read it as &ldquo;Auger heating wins&rdquo;, "
                     "not as a temperature.")
    elif result.initial_temperature > MAX_MODEL_TEMPERATURE:
        notes.append(f"T<sub>c</sub>(0) is above the ~{MAX_MODEL_TEMPERATURE:.0f} K for which "
                     "the emission time is calibrated: the first picoseconds are qualitative.")
    ratio = _degeneracy(result.n, result.Tc)
    worst = int(np.argmax(ratio))
    if ratio[worst] > DEGENERACY_LIMIT:
        notes.append(f"degenerate carrier gas (n/N<sub>c</sub> up to {ratio[worst]:.1f}, near "
                     f"T<sub>c</sub> = {_temperature_text(float(result.Tc[worst]))}): the "
                     "Boltzmann model is only qualitative here, including the late plateau.")
    return "".join(_warning(note) for note in notes)


def temperatures_explorer() -> Explorer:
    """Explorer of the carrier, LO and acoustic temperatures after a pump pulse (MAPbI3).

    Sliders: initial pair density n0 [cm^-3] (log, 1e16-1e20), pump photon energy [eV]
    (1.6-3.1; sets the initial carrier temperature), reservoir factor [-] (log, 1-1e4: how
    many times the reservoir lengthens the 5 ps dissipation of the acoustic bath) and Auger
    recombination off (0) or on (1). The grey dashed curve is the same run without the
    reservoir. The static form shows the carrier temperature at three densities and the late
    excess temperatures at three reservoir factors.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.cooling.TemperatureRuns`.
    """
    params = cooling.cooling_parameters(MATERIAL)
    controls = [
        Control("initial_density", "initial density n0", "cm^-3", 1e16, 1e20, 1e19, log=True,
                steps=40),
        Control("photon_energy", "pump photon energy", "eV", 1.6, 3.1, 2.25, steps=30),
        Control("reservoir_factor", "reservoir factor", "", 1.0, 1e4, 100.0, log=True,
                steps=16),
        Control("auger", "Auger recombination (0 off, 1 on)", "", 0.0, 1.0, 1.0, steps=1),
    ]

    def static(values):
        densities = (1e17, 1e18, 1e19)
        left = [_temperatures_model(**{**values, "initial_density": n, "reservoir_factor": 1.0})
                .result for n in densities]
        factors = (1.0, 100.0, 1e4)
        right = [_temperatures_model(**{**values, "reservoir_factor": f}).result
                 for f in factors]
        auger = "on" if values["auger"] >= 0.5 else "off"
        return views.plot_temperature_families(
            left, [f"n₀ = {times_ten(n)} cm⁻³" for n in densities],
            right, [f"factor {_factor_text(f)}" for f in factors],
            left_title="Higher density: slower cooling (no reservoir)",
            right_title=f"n₀ = {times_ten(values['initial_density'])} cm⁻³, reservoir factor "
                        f"1 to 10⁴",
            title=f"MAPbI₃ pumped at {values['photon_energy']:g} eV (Auger {auger}; lattice at "
                  f"{params.T0:.0f} K)")

    return Explorer("Carrier, LO-phonon and acoustic temperatures after the pump pulse",
                    controls, _temperatures_model, views.TemperaturesView,
                    _temperatures_readout, static)


def _factor_text(value: float) -> str:
    """A reservoir factor in plain text: 1, 100, 10⁴."""
    return times_ten(value) if value > 1000 else f"{value:g}"


# --------------------------------------------------------------------------------------------
# 2. Cooling time against density
# --------------------------------------------------------------------------------------------
def _sweep_point(result: cooling.CoolingResult) -> tuple[float, float, float, float]:
    """(cooling time [s], late excess temperature [K], peak temperature [K], late
    degeneracy [-]) of one run of a sweep."""
    late_temperature = float(np.interp(LATE_TIME, result.t, result.Tc))
    late_density = float(np.interp(LATE_TIME, result.t, result.n))
    return (cooling.cooling_time(result), late_temperature - result.T0,
            float(np.max(result.Tc)), float(_degeneracy(late_density, late_temperature)))


@lru_cache(maxsize=128)
def cooling_sweep(reservoir_factor: float = 1.0, tau_lo: float = 0.6e-12,
                  M_LO: float = 2e18, auger: float = 1.0) -> CoolingSweep:
    """Cooling time and late carrier temperature at each density of :data:`SWEEP_DENSITIES`.

    Parameters
    ----------
    reservoir_factor : float
        Factor lengthening the dissipation time of the acoustic bath [-], 1-1e6.
    tau_lo : float
        LO phonon lifetime [s].
    M_LO : float
        Effective density of hot LO modes [cm^-3].
    auger : float
        1 for Auger recombination (MAPbI3's C), 0 for none [-].

    Returns
    -------
    CoolingSweep
        MAPbI3 runs from :data:`SWEEP_INITIAL_TEMPERATURE` (1000 K), read at :data:`LATE_TIME`,
        with the peak carrier temperature and the late degeneracy of each run.
    """
    params = _parameters(reservoir_factor, float(auger >= 0.5), tau_lo=tau_lo, M_LO=M_LO)
    # All densities in one vectorised integration (lerbook.cooling.simulate_cooling_sweep).
    runs = cooling.simulate_cooling_sweep(params, SWEEP_DENSITIES,
                                          initial_temperature=SWEEP_INITIAL_TEMPERATURE,
                                          t=LIVE_TIMES, rtol=SWEEP_RTOL)
    points = [_sweep_point(run) for run in runs]
    times, late, peak, degeneracy = (np.array(column, dtype=float)
                                     for column in zip(*points, strict=True))
    return CoolingSweep(densities=np.array(SWEEP_DENSITIES), cooling_time=times,
                        late_excess=late, late_time=LATE_TIME, params=params,
                        run_time=float(LIVE_TIMES[-1]), peak_temperature=peak,
                        late_degeneracy=degeneracy)


def _cooling_time_model(reservoir_factor, tau_lo, M_LO, auger):
    tau_lo_s = tau_lo * 1e-12
    auger = float(auger >= 0.5)
    return SweepPair(sweep=cooling_sweep(reservoir_factor, tau_lo_s, M_LO, auger),
                     reference=cooling_sweep(1.0, tau_lo_s, M_LO, auger))


def _cooling_time_readout(pair: SweepPair) -> str:
    sweep, reference = pair.sweep, pair.reference
    densities = list(SWEEP_DENSITIES)
    low, high = densities.index(1e17), densities.index(1e19)

    def text(value):
        return f"{value * 1e12:.3g} ps" if math.isfinite(value) else "&gt; 1 ns"

    ratio = sweep.cooling_time[high] / sweep.cooling_time[low]
    ratio_text = f"{ratio:.0f}&times;" if math.isfinite(ratio) else "&gt; 1000&times;"
    late_note = ""
    if sweep.late_degeneracy is not None and sweep.late_degeneracy[high] > DEGENERACY_LIMIT:
        late_note = (f" [degenerate carriers, n/N<sub>c</sub> = "
                     f"{sweep.late_degeneracy[high]:.2f}: qualitative]")
    return (f"&tau;<sub>cool</sub> at 10<sup>17</sup> cm<sup>-3</sup>: "
            f"<b>{text(sweep.cooling_time[low])}</b>; at 10<sup>19</sup>: "
            f"<b>{text(sweep.cooling_time[high])}</b> ({ratio_text}; "
            f"{text(reference.cooling_time[high])} without reservoir) &middot; "
            f"T<sub>c</sub> &minus; T<sub>0</sub> at {LATE_TIME * 1e9:g} ns and "
            f"10<sup>19</sup> cm<sup>-3</sup>: <b>{_excess_text(sweep.late_excess[high])}</b> "
            f"({_excess_text(reference.late_excess[high])} without reservoir){late_note}"
            f"{_sweep_warning(pair)}")


def _sweep_warning(pair: SweepPair) -> str:
    """A flag for the densities whose carriers heat above MAX_MODEL_TEMPERATURE, or ''."""
    peaks = [s.peak_temperature for s in (pair.sweep, pair.reference)
             if s.peak_temperature is not None]
    if not peaks:
        return ""
    peak = np.max(peaks, axis=0)
    hot = np.flatnonzero(peak > MAX_MODEL_TEMPERATURE)
    if hot.size == 0:
        return ""
    first = times_ten(float(SWEEP_DENSITIES[hot[0]]))
    return _warning(f"T<sub>c</sub> rises above {MAX_MODEL_TEMPERATURE:.0f} K (up to "
                    f"<b>{_temperature_text(float(peak.max()))}</b>) from n<sub>0</sub> = "
                    f"{first} cm<sup>-3</sup> up: outside the model's range (no degeneracy, no "
                    "screening). Read those points as &ldquo;Auger heating wins&rdquo;, not as "
                    "temperatures.")


def cooling_time_explorer() -> Explorer:
    """Explorer of the cooling time against the initial density, with and without the reservoir.

    Sliders: reservoir factor [-] (log, 1-1e4), LO phonon lifetime tau_LO [ps] (log, 0.1-5),
    effective density of hot LO modes M_LO [cm^-3] (log, 2e16-2e20; a chosen value, see
    :data:`lerbook.cooling.COOLING_PRESETS`) and Auger recombination off (0) or on (1). Each
    run starts from 1000 K (the first temperature Price et al. 2015 resolve). Left: 1/e
    cooling time; right: the carrier excess temperature left at 1 ns. The static form shows
    the cooling time for three values of M_LO and the late excess for three reservoir factors.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.cooling.SweepPair`.
    """
    defaults = cooling.cooling_parameters(MATERIAL)
    controls = [
        Control("reservoir_factor", "reservoir factor", "", 1.0, 1e4, 100.0, log=True,
                steps=8),
        Control("tau_lo", "LO phonon lifetime tau_LO", "ps", 0.1, 5.0, defaults.tau_lo * 1e12,
                log=True, steps=17),
        Control("M_LO", "hot LO-mode density M_LO (chosen)", "cm^-3", 2e16, 2e20,
                defaults.M_LO, log=True, steps=8),
        Control("auger", "Auger recombination (0 off, 1 on)", "", 0.0, 1.0, 1.0, steps=1),
    ]

    def static(values):
        mode_densities = (2e17, 2e18, 2e19)
        left = [_cooling_time_model(**{**values, "reservoir_factor": 1.0, "M_LO": m}).sweep
                for m in mode_densities]
        factors = (1.0, 100.0, 1e4)
        right = [_cooling_time_model(**{**values, "reservoir_factor": f}).sweep
                 for f in factors]
        auger = "on" if values["auger"] >= 0.5 else "off"
        return views.plot_cooling_time_families(
            left, [f"M_LO = {times_ten(m)} cm⁻³" for m in mode_densities],
            right, [f"reservoir factor {_factor_text(f)}" for f in factors],
            left_title="The bottleneck sets in near n₀ ≈ M_LO/3 (M_LO is chosen)",
            right_title="The reservoir leaves the carriers warm after 1 ns",
            title=f"MAPbI₃ from {SWEEP_INITIAL_TEMPERATURE:.0f} K, LO lifetime "
                  f"{values['tau_lo']:g} ps, Auger {auger}")

    return Explorer("Cooling time against initial density, with and without the reservoir",
                    controls, _cooling_time_model, views.CoolingTimeView,
                    _cooling_time_readout, static)


# --------------------------------------------------------------------------------------------
# 3. Carrier temperature from the tail of a spectrum
# --------------------------------------------------------------------------------------------
#: Window starts of the tail-fit sweep [eV above the gap].
FIT_STARTS = np.arange(0.01, 0.2001, 0.01)


def _band_gap() -> float:
    return cooling.cooling_parameters(MATERIAL).band_gap


@lru_cache(maxsize=128)
def _spectrum(temperature, peak_counts):
    gap = _band_gap()
    energy = np.round(np.arange(gap - 0.07, gap + 1.2 + 1e-9, 0.001), 6)
    return spectra.synthetic_spectrum(energy, gap, temperature, peak_counts=peak_counts,
                                      noise="poisson", rng=SPECTRUM_SEED)


def _window(spectrum, gap, start):
    """Fit window from ``start`` [eV above the gap] to where the expected counts reach 10."""
    low = gap + start
    counted = spectrum.energy[spectrum.expected >= WINDOW_END_COUNTS]
    high = float(counted.max()) if counted.size else low
    return low, min(max(high, low + 0.02), float(spectrum.energy[-1]))


def _fits(spectrum, gap, start):
    low, high = _window(spectrum, gap, start)
    fits = []
    for band_gap in (None, gap):
        try:
            fits.append(spectra.fit_boltzmann_tail(spectrum.energy, spectrum.intensity, low,
                                                   high, band_gap=band_gap))
        except ValueError:  # too few counts in the window, or no falling tail
            fits.append(None)
    return (low, high), fits[0], fits[1]


@lru_cache(maxsize=128)
def _fit_sweep(temperature, peak_counts):
    spectrum, gap = _spectrum(temperature, peak_counts), _band_gap()
    plain, corrected = [], []
    for start in FIT_STARTS:
        _, a, b = _fits(spectrum, gap, float(start))
        plain.append(a.temperature if a is not None else np.nan)
        corrected.append(b.temperature if b is not None else np.nan)
    return np.array(plain), np.array(corrected)


def tail_fit_study(temperature: float = 1000.0, peak_counts: float = 1e4,
                   window_start: float = 0.13) -> TailFitStudy:
    """A synthetic MAPbI3 hot-carrier spectrum and its Boltzmann-tail fits.

    Parameters
    ----------
    temperature : float
        True carrier temperature [K].
    peak_counts : float
        Expected counts at the maximum of the spectrum [counts].
    window_start : float
        Start of the fit window above the band gap [eV]; the window ends where the expected
        counts fall to :data:`WINDOW_END_COUNTS`.

    Returns
    -------
    TailFitStudy
        The spectrum (Poisson noise, seed :data:`SPECTRUM_SEED`), both fits and the sweep of the
        window start over :data:`FIT_STARTS`.
    """
    gap = _band_gap()
    spectrum = _spectrum(float(temperature), float(peak_counts))
    window, plain, corrected = _fits(spectrum, gap, float(window_start))
    plain_sweep, corrected_sweep = _fit_sweep(float(temperature), float(peak_counts))
    return TailFitStudy(spectrum=spectrum, band_gap=gap, temperature=float(temperature),
                        window=window, plain=plain, corrected=corrected, starts=FIT_STARTS,
                        plain_temperatures=plain_sweep, corrected_temperatures=corrected_sweep)


def _tail_fit_model(temperature, peak_counts, window_start):
    return tail_fit_study(temperature, peak_counts, window_start * 1e-3)


def _tail_fit_readout(study: TailFitStudy) -> str:
    def text(fit):
        if fit is None:
            return "no fit (too few counts in the window)"
        return f"{fit.temperature:.0f} &plusmn; {fit.temperature_error:.0f} K"

    low, high = study.window
    return (f"true T<sub>c</sub> = <b>{study.temperature:.0f} K</b> &middot; fit of ln I: "
            f"<b>{text(study.plain)}</b> &middot; prefactor divided out: "
            f"<b>{text(study.corrected)}</b> &middot; window {low:.3f}&ndash;{high:.3f} eV")


def tail_fit_explorer() -> Explorer:
    """Explorer of the carrier temperature read from the high-energy tail of a spectrum.

    Sliders: true carrier temperature [K] (400-3000), expected peak counts [counts] (log,
    1e3-1e6; Poisson noise) and the start of the fit window [meV above the MAPbI3 gap]
    (10-200; the window ends where the expected counts fall to 10). The spectrum is the
    absorption-weighted generalised Planck law of :func:`lerbook.spectra.hot_carrier_pl`. The
    static form shows three temperatures.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.cooling.TailFitStudy`.
    """
    controls = [
        Control("temperature", "true carrier temperature T_c", "K", 400.0, 3000.0, 1000.0,
                steps=26),
        Control("peak_counts", "peak counts", "counts", 1e3, 1e6, 1e4, log=True, steps=12),
        Control("window_start", "fit window start E_min - E_g", "meV", 10.0, 200.0, 130.0,
                steps=19),
    ]

    def static(values):
        temperatures = (600.0, 1000.0, 2000.0)
        studies = [_tail_fit_model(**{**values, "temperature": t}) for t in temperatures]
        return views.plot_tail_fit_family(
            studies, [f"carriers at {t:.0f} K" for t in temperatures],
            title="A plain fit of ln I overestimates the temperature unless E²√(E − Eg) is "
                  f"divided out ({times_ten(values['peak_counts'])} peak counts)")

    return Explorer("Carrier temperature from the high-energy tail of a spectrum", controls,
                    _tail_fit_model, views.TailFitView, _tail_fit_readout, static)
