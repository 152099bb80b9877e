"""Views of the cooling chapter: temperatures against time, cooling time against density, and
the carrier temperature read from the tail of a spectrum.

Three views, each with a ``.fig`` and an ``update`` that redraws a new result in place (the
explorers of :mod:`lerbook.explore.cooling` call it on every slider move), and ``plot_*``
functions for notebooks and for the static figures of the website:

- :class:`TemperaturesView` / :func:`plot_temperature_families`:
  carrier, LO and acoustic temperatures of a :class:`lerbook.cooling.CoolingResult` on a
  logarithmic time axis, and their excess over the lattice on log-log axes, where a warm
  reservoir shows as a late plateau.
- :class:`CoolingTimeView` / :func:`plot_cooling_time_families`: the cooling time and the
  late carrier excess temperature against the initial density, with the measurement of
  Price et al. (2015) marked.
- :class:`TailFitView` / :func:`plot_tail_fit_family`: a synthetic hot-carrier spectrum with its
  Boltzmann-tail fits, and the fitted temperature against the start of the fit window.

The results the views draw are defined here (:class:`TemperatureRuns`, :class:`CoolingSweep`,
:class:`SweepPair`, :class:`TailFitStudy`) and computed by the models of
:mod:`lerbook.explore.cooling`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lerbook import spectra
from lerbook.cooling import CoolingParameters, CoolingResult, cooling_time
from lerbook.fitting import CurveFit
from lerbook.plotting.core import COLORS, new_figure, styled
from lerbook.plotting.labels import decade_ticks, time_text

#: Smallest excess temperature drawn on logarithmic axes [K]; smaller excesses sit on it. It
#: lies above the solver's error on the carrier temperature (~1e-3 K at the explorers'
#: tolerances), so what shows above it is physics, not numerical noise.
EXCESS_FLOOR = 1e-2

#: The measured low-density cooling time of Price et al. (2015) in MAPbI3: ~230 fs from
#: ~1000 K at densities from 1.6e17 up to ~6e17 cm^-3 (their lowest densities), drawn as a
#: bar over that range: (lowest density [cm^-3], highest density [cm^-3], time [s]).
PRICE_2015 = (1.6e17, 6.4e17, 0.23e-12)

_PS = 1e12  # s -> ps
_DENSITY_LABEL = "initial density n₀ [cm⁻³]"
_WINDOW_LABEL = "fit window start above the gap [meV]"


def _log_axis(axis):
    """Make an x or y axis logarithmic, labelled at its decades in plain text (10⁻³, ...),
    with unlabelled minor ticks at 2 and 5."""
    ax = axis.axes
    (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
    decade_ticks(axis, minor_subs=(2.0, 5.0))


def _late_label(late_time: float) -> str:
    return f"carriers: T − T₀ at {time_text(late_time)} [K]"


_COLOR_CARRIERS, _COLOR_LO, _COLOR_ACOUSTIC = COLORS[1], COLORS[2], COLORS[0]
_COLOR_REFERENCE = "#7f7f7f"


def _times_ps(result):
    """Output times after t = 0 [ps] and the mask that drops t = 0 (log axes)."""
    keep = result.t > 0
    return result.t[keep] * _PS, keep


def _excess(values, T0):
    """Temperature excess over T0 [K], floored for logarithmic axes."""
    return np.maximum(np.asarray(values, dtype=float) - T0, EXCESS_FLOOR)


def _one_over_e_point(result):
    """(time [ps], temperature [K]) where the excess carrier temperature has fallen to 1/e."""
    tau = cooling_time(result)
    level = result.T0 + (result.initial_temperature - result.T0) / math.e
    if not (0 < tau < math.inf):
        return np.array([]), np.array([]), tau
    return np.array([tau * _PS]), np.array([level]), tau


@dataclass(frozen=True)
class TemperatureRuns:
    """A cooling run and the same run without the reservoir.

    Attributes
    ----------
    result : lerbook.cooling.CoolingResult
        The run at the slider values.
    reference : lerbook.cooling.CoolingResult or None
        The same run with ``reservoir_factor = 1`` (the conventional model), on the same time
        grid; None for none.
    """

    result: CoolingResult
    reference: CoolingResult | None = None


class TemperaturesView:
    """Carrier, LO and acoustic temperatures after the pump pulse.

    Left: :math:`T_c`, :math:`T_{LO}` and :math:`T_A` [K] against time [ps] on a logarithmic
    axis, the 1/e cooling point marked and the lattice temperature dotted. Right: the same
    temperatures' excess over the lattice, :math:`T - T_0` [K], on log-log axes, where a warm
    acoustic bath shows as a late plateau. A reference run (e.g. without the reservoir) is
    drawn as a grey dashed carrier temperature on both panels.

    Parameters
    ----------
    runs : TemperatureRuns
        The run to draw, and the run to compare with (its carrier temperature only).
    """

    @styled
    def __init__(self, runs: TemperatureRuns):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.6)
        self.ax_temp, self.ax_excess = axes[0]
        self.lines = {}
        for ax, key in ((self.ax_temp, "temp"), (self.ax_excess, "excess")):
            (ref,) = ax.plot([], [], color=_COLOR_REFERENCE, ls="--", lw=1.4,
                             label="carriers without reservoir")
            (acoustic,) = ax.plot([], [], color=_COLOR_ACOUSTIC, label="acoustic phonons")
            (lo,) = ax.plot([], [], color=_COLOR_LO, label="LO phonons")
            (carriers,) = ax.plot([], [], color=_COLOR_CARRIERS, label="carriers")
            self.lines[key] = dict(reference=ref, acoustic=acoustic, lo=lo, carriers=carriers)
            _log_axis(ax.xaxis)
            ax.set_xlabel("time after the pulse [ps]")
        self.lattice_line = self.ax_temp.axhline(300.0, color=COLORS[6], ls=":", lw=1)
        (self.tau_marker,) = self.ax_temp.plot([], [], "o", color=COLORS[6], ms=5,
                                               label="1/e cooling time")
        _log_axis(self.ax_excess.yaxis)
        self.ax_temp.set_ylabel("temperature [K]")
        # Fixed label positions: explorers freeze the layout after the first draw, and tick
        # labels grow from 4 to 5 digits at the highest densities.
        self.ax_temp.yaxis.set_label_coords(-0.17, 0.5)
        self.ax_excess.set_ylabel("excess over the lattice T − T₀ [K]")
        self.ax_excess.yaxis.set_label_coords(-0.15, 0.5)
        handles = [self.lines["temp"][name]
                   for name in ("carriers", "lo", "acoustic", "reference")]
        self.fig.legend(handles=[*handles, self.tau_marker], loc="outside lower center",
                        ncols=5)
        self.update(runs)

    def update(self, runs: TemperatureRuns):
        """Redraw with a new run (and reference), in place.

        Parameters
        ----------
        runs : TemperatureRuns
            The runs to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        result, reference = runs.result, runs.reference
        t, keep = _times_ps(result)
        T0 = result.T0
        series = dict(carriers=result.Tc, lo=result.T_LO, acoustic=result.T_A)
        for name, values in series.items():
            self.lines["temp"][name].set_data(t, values[keep])
            self.lines["excess"][name].set_data(t, _excess(values[keep], T0))
        if reference is not None:
            t_ref, keep_ref = _times_ps(reference)
            self.lines["temp"]["reference"].set_data(t_ref, reference.Tc[keep_ref])
            self.lines["excess"]["reference"].set_data(t_ref,
                                                       _excess(reference.Tc[keep_ref], T0))
        else:
            for key in ("temp", "excess"):
                self.lines[key]["reference"].set_data([], [])
        self.lattice_line.set_ydata([T0, T0])
        x, y, _ = _one_over_e_point(result)
        self.tau_marker.set_data(x, y)
        top = max(float(np.max(result.Tc)), float(np.max(result.T_LO)),
                  float(np.max(result.T_A)))
        if reference is not None:
            top = max(top, float(np.max(reference.Tc)))
        for ax in (self.ax_temp, self.ax_excess):
            ax.set_xlim(t[0], t[-1])
        self.ax_temp.set_ylim(T0 - 0.03 * (top - T0) - 1.0, top + 0.08 * (top - T0) + 1.0)
        self.ax_excess.set_ylim(EXCESS_FLOOR, 3.0 * max(top - T0, 10 * EXCESS_FLOOR))
        return self.fig


@styled
def plot_temperature_families(left, left_labels, right, right_labels, *,
                              left_title: str = "", right_title: str = "",
                              title: str = "") -> Figure:
    """Two families of cooling runs: carrier temperatures (left) and excess temperatures (right).

    Parameters
    ----------
    left : sequence of CoolingResult
        Runs whose carrier temperature :math:`T_c` [K] is drawn against time [ps] (e.g. several
        initial densities).
    left_labels : sequence of str
        One legend label per left run.
    right : sequence of CoolingResult
        Runs whose excess carrier temperature :math:`T_c - T_0` (solid) and acoustic excess
        :math:`T_A - T_0` (dashed) [K] are drawn on log-log axes (e.g. several reservoir
        factors).
    right_labels : sequence of str
        One legend label per right run.
    left_title, right_title, title : str
        Panel titles and the figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The two panels.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.8)
    ax_left, ax_right = axes[0]
    for result, label in zip(left, left_labels, strict=True):
        t, keep = _times_ps(result)
        ax_left.plot(t, result.Tc[keep], label=label)
    ax_left.axhline(left[0].T0, color=COLORS[6], ls=":", lw=1)
    _log_axis(ax_left.xaxis)
    ax_left.set(xlabel="time after the pulse [ps]", ylabel="carrier temperature [K]",
                title=left_title)
    ax_left.legend(loc="upper right")
    floor = EXCESS_FLOOR / 10  # the legend sits below the rising acoustic curves
    top = 10 * floor
    for index, (result, label) in enumerate(zip(right, right_labels, strict=True)):
        t, keep = _times_ps(result)
        color = COLORS[index % len(COLORS)]
        ax_right.plot(t, np.maximum(result.Tc[keep] - result.T0, floor), color=color,
                      label=label)
        ax_right.plot(t, np.maximum(result.T_A[keep] - result.T0, floor), color=color, ls="--",
                      lw=1.2)
        top = max(top, float(np.max(result.Tc - result.T0)))
    ax_right.plot([], [], color=COLORS[6], label="carriers")
    ax_right.plot([], [], color=COLORS[6], ls="--", lw=1.2, label="acoustic phonons")
    # From 0.1 ps (the reservoir acts late): the band below the rising acoustic curves holds
    # the legend.
    _log_axis(ax_right.xaxis)
    _log_axis(ax_right.yaxis)
    ax_right.set(xlabel="time after the pulse [ps]", ylabel="excess over the lattice T − T₀ [K]",
                 title=right_title, xlim=(0.1, 1.2 * t[-1]), ylim=(floor, 3 * top))
    ax_right.legend(loc="lower left", ncols=2)
    if title:
        fig.suptitle(title)
    return fig


def _finite(x, y):
    """The points of (x, y) where y is finite and positive (log axes)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = np.isfinite(y) & (y > 0)
    return x[keep], y[keep]


def _draw_price(ax):
    low, high, time = PRICE_2015
    (line,) = ax.plot([low, high], [time * _PS] * 2, color=COLORS[3], lw=6, alpha=0.6,
                      solid_capstyle="butt", label="Price et al. 2015")
    return line


@dataclass(frozen=True)
class CoolingSweep:
    """Cooling time and late carrier temperature over a set of initial densities.

    Attributes
    ----------
    densities : numpy.ndarray
        Initial pair densities [cm^-3].
    cooling_time : numpy.ndarray
        1/e cooling time at each density [s]; ``inf`` where the excess carrier temperature did
        not fall to 1/e within the run.
    late_excess : numpy.ndarray
        Carrier excess temperature :math:`T_c - T_0` at ``late_time`` [K].
    late_time : float
        Time of the late reading [s].
    params : lerbook.cooling.CoolingParameters
        The parameters of the runs.
    run_time : float
        Length of each run [s].
    peak_temperature : numpy.ndarray or None
        Highest carrier temperature of each run [K] (the starting temperature unless Auger
        heating raises it); None if not recorded.
    late_degeneracy : numpy.ndarray or None
        n / N_c(T_c) at ``late_time`` [-]
        (:func:`lerbook.recombination.effective_density_of_states`); None if not recorded.
    """

    densities: np.ndarray
    cooling_time: np.ndarray
    late_excess: np.ndarray
    late_time: float
    params: CoolingParameters
    run_time: float
    peak_temperature: np.ndarray | None = None
    late_degeneracy: np.ndarray | None = None


@dataclass(frozen=True)
class SweepPair:
    """A density sweep with the reservoir and the same sweep without it.

    Attributes
    ----------
    sweep, reference : CoolingSweep
        With the reservoir, and with ``reservoir_factor = 1``.
    """

    sweep: CoolingSweep
    reference: CoolingSweep


class CoolingTimeView:
    """Cooling time and late carrier temperature against the initial density.

    Left: the 1/e cooling time [ps] against the initial pair density [cm^-3] (log-log), with
    the reservoir (solid) and without (dashed), and the low-density measurement of Price et al.
    (2015) as a bar. Right: the carrier excess temperature :math:`T_c - T_0` [K] left at a late
    time, with and without the reservoir.

    Parameters
    ----------
    pair : SweepPair
        Density sweeps with and without the reservoir; runs that did not cool to 1/e
        (``cooling_time`` ``inf``) are drawn as triangles at the end of the run.
    """

    @styled
    def __init__(self, pair: SweepPair):
        sweep = pair.sweep
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.6)
        self.ax_time, self.ax_late = axes[0]
        self.price_line = _draw_price(self.ax_time)
        (self.time_ref,) = self.ax_time.plot([], [], "s--", color=_COLOR_REFERENCE, ms=4,
                                             lw=1.4, label="without reservoir")
        (self.time_line,) = self.ax_time.plot([], [], "o-", color=_COLOR_CARRIERS, ms=4,
                                              label="with reservoir")
        never = f"not cooled within {time_text(sweep.run_time)}"
        (self.never_line,) = self.ax_time.plot([], [], "^", color=_COLOR_CARRIERS, ms=7,
                                               label=never)
        (self.never_ref,) = self.ax_time.plot([], [], "^", color=_COLOR_REFERENCE, ms=5)
        (self.late_ref,) = self.ax_late.plot([], [], "s--", color=_COLOR_REFERENCE, ms=4,
                                             lw=1.4, label="without reservoir")
        (self.late_line,) = self.ax_late.plot([], [], "o-", color=_COLOR_CARRIERS, ms=4,
                                              label="with reservoir")
        for ax in (self.ax_time, self.ax_late):
            _log_axis(ax.xaxis)
            _log_axis(ax.yaxis)
            ax.set_xlabel(_DENSITY_LABEL)
        self.ax_time.set_ylabel("1/e cooling time [ps]")
        self.fig.legend(handles=[self.time_line, self.time_ref, self.price_line,
                                 self.never_line], loc="outside lower center", ncols=4)
        self.update(pair)

    def update(self, pair: SweepPair):
        """Redraw with new sweeps, in place.

        Parameters
        ----------
        pair : SweepPair
            The sweeps to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        sweep, reference = pair.sweep, pair.reference
        self.time_line.set_data(*_finite(sweep.densities, sweep.cooling_time * _PS))
        self.time_ref.set_data(*_finite(reference.densities, reference.cooling_time * _PS))
        for line, data in ((self.never_line, sweep), (self.never_ref, reference)):
            never = ~np.isfinite(data.cooling_time)
            line.set_data(data.densities[never],
                          np.full(int(never.sum()), data.run_time * _PS))
        floor = EXCESS_FLOOR
        self.late_line.set_data(sweep.densities, np.maximum(sweep.late_excess, floor))
        self.late_ref.set_data(reference.densities, np.maximum(reference.late_excess, floor))
        self.ax_late.set_ylabel(_late_label(sweep.late_time))
        densities = np.concatenate([sweep.densities, reference.densities])
        for ax in (self.ax_time, self.ax_late):
            ax.set_xlim(densities.min() / 1.6, densities.max() * 1.6)
        times = np.concatenate([sweep.cooling_time, reference.cooling_time]) * _PS
        times = np.where(np.isfinite(times), times, sweep.run_time * _PS)
        times = times[times > 0]
        low = min(np.min(times) if times.size else 0.1, PRICE_2015[2] * _PS)
        high = max(np.max(times) if times.size else 1.0, 1.0)
        self.ax_time.set_ylim(low / 2, high * 3)
        late = max(float(np.max(sweep.late_excess)), float(np.max(reference.late_excess)))
        self.ax_late.set_ylim(floor, 3 * max(late, 10 * floor))
        return self.fig


@styled
def plot_cooling_time_families(left, left_labels, right, right_labels, *,
                               left_title: str = "", right_title: str = "",
                               title: str = "") -> Figure:
    """Cooling time (left) and late carrier excess temperature (right) against density.

    Parameters
    ----------
    left : sequence of CoolingSweep
        Sweeps whose cooling time [ps] is drawn against the initial density [cm^-3]
        (e.g. several LO-mode densities), with the Price et al. (2015) measurement.
    left_labels : sequence of str
        One legend label per left sweep.
    right : sequence of CoolingSweep
        Sweeps whose late excess carrier temperature [K] is drawn (e.g. several reservoir
        factors).
    right_labels : sequence of str
        One legend label per right sweep.
    left_title, right_title, title : str
        Panel titles and the figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The two panels.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.8)
    ax_left, ax_right = axes[0]
    _draw_price(ax_left)
    for index, (sweep, label) in enumerate(zip(left, left_labels, strict=True)):
        ax_left.plot(*_finite(sweep.densities, sweep.cooling_time * _PS), "o-", ms=4,
                     color=COLORS[index % len(COLORS)], label=label)
    top = 10 * EXCESS_FLOOR
    for index, (sweep, label) in enumerate(zip(right, right_labels, strict=True)):
        ax_right.plot(sweep.densities, np.maximum(sweep.late_excess, EXCESS_FLOOR), "o-",
                      ms=4, color=COLORS[index % len(COLORS)], label=label)
        top = max(top, float(np.max(sweep.late_excess)))
    for ax in (ax_left, ax_right):
        _log_axis(ax.xaxis)
        _log_axis(ax.yaxis)
        ax.set_xlabel(_DENSITY_LABEL)
    ax_left.set(ylabel="1/e cooling time [ps]", title=left_title)
    ax_left.set_ylim(bottom=min(0.1, ax_left.get_ylim()[0]))
    ax_right.set(ylabel=_late_label(right[0].late_time),
                 title=right_title, ylim=(EXCESS_FLOOR, 3 * top))
    ax_left.legend(loc="upper left")
    ax_right.legend(loc="upper left")
    if title:
        fig.suptitle(title)
    return fig


def _plain_line(fit, energy):
    """The fitted straight line exp(c + s E) of a plain tail fit [counts]."""
    return np.exp(fit.intercept + fit.slope * energy)


def _corrected_line(fit, energy, band_gap):
    """The fitted tail of a prefactor-corrected fit, E^2 sqrt(E - E_g) exp(c + s E) [counts]."""
    return energy**2 * np.sqrt(energy - band_gap) * np.exp(fit.intercept + fit.slope * energy)


def _fit_curve(fit, study, corrected):
    if fit is None:
        return np.array([]), np.array([])
    energy = np.linspace(fit.energy_min, fit.energy_max, 60)
    if corrected:
        return energy, _corrected_line(fit, energy, study.band_gap)
    return energy, _plain_line(fit, energy)


@dataclass(frozen=True)
class TailFitStudy:
    """A synthetic spectrum, its tail fits in one window, and the fits against the window start.

    Attributes
    ----------
    spectrum : lerbook.spectra.Spectrum
        The synthetic spectrum [counts] (Poisson noise).
    band_gap : float
        Band gap [eV].
    temperature : float
        True carrier temperature [K].
    window : tuple of float
        Lowest and highest energy of the fit window [eV].
    plain, corrected : lerbook.fitting.CurveFit or None
        Fit of ln I, and fit with the prefactor E^2 sqrt(E - E_g) divided out; None if the
        window holds too few counts to fit.
    starts : numpy.ndarray
        Window starts of the sweep [eV above the gap].
    plain_temperatures, corrected_temperatures : numpy.ndarray
        Fitted temperatures at each start [K]; NaN where no fit was possible.
    """

    spectrum: spectra.Spectrum
    band_gap: float
    temperature: float
    window: tuple[float, float]
    plain: CurveFit | None
    corrected: CurveFit | None
    starts: np.ndarray
    plain_temperatures: np.ndarray
    corrected_temperatures: np.ndarray


class TailFitView:
    """A hot-carrier spectrum, its Boltzmann-tail fits, and the fit against its window.

    Left: the synthetic spectrum [counts] against photon energy [eV] on a logarithmic axis
    (dots; noise-free lineshape in grey), the fit window shaded, the plain :math:`\\ln I` fit
    and the fit with the :math:`E^2\\sqrt{E - E_g}` prefactor divided out. Right: the
    temperature each fit returns [K] against the start of the fit window [meV above the gap],
    with the true temperature dotted and the current start marked.

    Parameters
    ----------
    study : TailFitStudy
        The spectrum, its fits and the sweep of the window start.
    """

    @styled
    def __init__(self, study):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.6)
        self.ax_spec, self.ax_fit = axes[0]
        self.window = self.ax_spec.axvspan(1.0, 1.1, color=COLORS[4], alpha=0.18, lw=0,
                                           label="fit window")
        (self.expected,) = self.ax_spec.plot([], [], color=_COLOR_REFERENCE, lw=1,
                                             label="noise-free")
        (self.data,) = self.ax_spec.plot([], [], ".", color=COLORS[6], ms=2, alpha=0.5,
                                         label="counts")
        (self.plain,) = self.ax_spec.plot([], [], color=COLORS[1], lw=2.2,
                                          label="fit of ln I")
        (self.corrected,) = self.ax_spec.plot([], [], color=COLORS[0], lw=2.2, ls="--",
                                              label="fit with E²√(E − Eg) divided out")
        _log_axis(self.ax_spec.yaxis)
        self.ax_spec.set(xlabel="photon energy [eV]", ylabel="counts")
        self.ax_spec.legend(handles=[self.plain, self.corrected, self.window], loc="lower left")
        (self.sweep_plain,) = self.ax_fit.plot([], [], color=COLORS[1], label="fit of ln I")
        (self.sweep_corrected,) = self.ax_fit.plot([], [], color=COLORS[0], ls="--",
                                                   label="prefactor divided out")
        (self.true_line,) = self.ax_fit.plot([], [], ":", color=COLORS[6], lw=1.2,
                                             label="true temperature")
        (self.marker_plain,) = self.ax_fit.plot([], [], "o", color=COLORS[1], ms=6)
        (self.marker_corrected,) = self.ax_fit.plot([], [], "o", color=COLORS[0], ms=6)
        self.ax_fit.set(xlabel=_WINDOW_LABEL, ylabel="fitted carrier temperature [K]")
        self.ax_fit.legend(handles=[self.true_line], loc="upper right")
        self.update(study)

    def update(self, study: TailFitStudy):
        """Redraw with a new study, in place.

        Parameters
        ----------
        study : TailFitStudy
            The study to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        spectrum = study.spectrum
        energy = spectrum.energy
        positive = spectrum.intensity > 0
        self.data.set_data(energy[positive], spectrum.intensity[positive])
        shown = spectrum.expected > 0.3
        self.expected.set_data(energy[shown], spectrum.expected[shown])
        low, high = study.window
        self.window.set_x(low)
        self.window.set_width(high - low)
        self.plain.set_data(*_fit_curve(study.plain, study, corrected=False))
        self.corrected.set_data(*_fit_curve(study.corrected, study, corrected=True))
        peak = float(np.max(spectrum.expected))
        self.ax_spec.set_ylim(0.5, 3 * peak)
        last = energy[shown][-1] if shown.any() else energy[-1]
        self.ax_spec.set_xlim(energy[0], max(last, high) + 0.02)

        starts_mev = np.asarray(study.starts) * 1e3
        self.sweep_plain.set_data(*_finite(starts_mev, study.plain_temperatures))
        self.sweep_corrected.set_data(*_finite(starts_mev, study.corrected_temperatures))
        self.true_line.set_data([starts_mev[0], starts_mev[-1]], [study.temperature] * 2)
        start_mev = (low - study.band_gap) * 1e3
        for marker, fit in ((self.marker_plain, study.plain),
                            (self.marker_corrected, study.corrected)):
            if fit is None:
                marker.set_data([], [])
            else:
                marker.set_data([start_mev], [fit.temperature])
        values = np.concatenate([np.asarray(study.plain_temperatures, dtype=float),
                                 np.asarray(study.corrected_temperatures, dtype=float),
                                 [study.temperature]])
        values = values[np.isfinite(values)]
        pad = 0.03 * (starts_mev[-1] - starts_mev[0])
        self.ax_fit.set_xlim(starts_mev[0] - pad, starts_mev[-1] + pad)
        self.ax_fit.set_ylim(0.8 * min(values.min(), study.temperature),
                             1.1 * max(values.max(), study.temperature))
        return self.fig


@styled
def plot_tail_fit_family(studies, labels, title: str = "") -> Figure:
    """Several tail-fit studies: spectra with their fits, and the fit bias against the window.

    Parameters
    ----------
    studies : sequence of TailFitStudy
        Studies as drawn by :class:`TailFitView` (e.g. several true temperatures).
    labels : sequence of str
        One legend label per study.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The two panels described under Notes.

    Notes
    -----
    Left: each spectrum [counts] with its plain fit (solid) and prefactor-corrected fit
    (dashed) over the fit window. Right: fitted over true temperature [-] against the start of
    the fit window [meV above the gap], plain (solid) and corrected (dashed).
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.8)
    ax_spec, ax_ratio = axes[0]
    top, last = 1.0, 0.0
    for index, (study, label) in enumerate(zip(studies, labels, strict=True)):
        color = COLORS[index % len(COLORS)]
        spectrum = study.spectrum
        positive = spectrum.intensity > 0
        ax_spec.plot(spectrum.energy[positive], spectrum.intensity[positive], ".", ms=2,
                     color=color, alpha=0.35)
        ax_spec.plot(*_fit_curve(study.plain, study, corrected=False), color=color, lw=2,
                     label=label)
        ax_spec.plot(*_fit_curve(study.corrected, study, corrected=True), color=COLORS[6],
                     lw=1.2, ls="--")
        top = max(top, float(np.max(spectrum.expected)))
        shown = spectrum.expected > 0.3
        last = max(last, float(spectrum.energy[shown][-1]))
        starts_mev = np.asarray(study.starts) * 1e3
        ax_ratio.plot(*_finite(starts_mev, np.asarray(study.plain_temperatures)
                               / study.temperature), color=color, label=label)
        ax_ratio.plot(*_finite(starts_mev, np.asarray(study.corrected_temperatures)
                               / study.temperature), color=color, ls="--")
    ax_spec.plot([], [], color=COLORS[6], lw=1.2, ls="--", label="prefactor divided out")
    _log_axis(ax_spec.yaxis)
    ax_spec.set(ylim=(0.5, 3 * top), xlim=(studies[0].spectrum.energy[0], last),
                xlabel="photon energy [eV]", ylabel="counts")
    ax_spec.legend(loc="lower left")
    ax_ratio.axhline(1.0, color=COLORS[6], ls=":", lw=1)
    ax_ratio.plot([], [], color=COLORS[6], ls="--", label="prefactor divided out")
    ax_ratio.set(xlabel=_WINDOW_LABEL, ylabel="fitted / true carrier temperature",
                 ylim=(0.8, None))
    ax_ratio.legend(loc="upper right")
    if title:
        fig.suptitle(title)
    return fig
