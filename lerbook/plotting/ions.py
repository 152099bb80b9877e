"""Views of the ions chapter: quench-vs-brighten competition, blinking, J-V hysteresis and
halide phase segregation. Live views use plain Unicode labels (no mathtext) for speed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, NullLocator

from lerbook import ions
from lerbook.plotting.core import COLORS, new_figure, styled
from lerbook.plotting.labels import decade_ticks

__all__ = ["BlinkingRun", "HysteresisRun", "CompetitionView", "BlinkingView", "HysteresisView",
           "SegregationView", "plot_competition_family", "plot_hysteresis_family",
           "plot_segregation_family"]


def _lean_axes(ax, logx: bool = False, logy: bool = False, nbins: int = 5):
    """Few ticks, plain-text labels and no minor ticks on a live view's axes.

    Matplotlib's default log labels are mathtext, parsed again on every draw of a slider
    move; every tick label (and its grid line) is drawn again on every move."""
    for log, axis in ((logx, ax.xaxis), (logy, ax.yaxis)):
        if log:
            decade_ticks(axis, numticks=6)
        else:
            axis.set_major_locator(MaxNLocator(nbins=nbins))
            axis.set_minor_locator(NullLocator())


def _fit_limits(ax, x, y, pad=0.08):
    y = np.asarray(y, dtype=float)
    lo, hi = float(np.min(y)), float(np.max(y))
    span = max(hi - lo, 1e-3)
    ax.set_xlim(float(np.min(x)), float(np.max(x)))
    ax.set_ylim(lo - pad * span, hi + pad * span)


class CompetitionView:
    """Left: PL relative to t = 0 (total, reservoir only, quench factor); right: quenching
    defect fraction q(t).

    Parameters
    ----------
    result : lerbook.ions.CompetitionResult
        The run to draw.
    """

    @styled
    def __init__(self, result):
        self.fig, axes = new_figure(1, 2, width=8.5, height=3.2)
        self.ax_pl, self.ax_q = axes[0]
        (self.total,) = self.ax_pl.plot([], [], color=COLORS[0], label="PL (both)")
        (self.bright,) = self.ax_pl.plot([], [], color=COLORS[2], ls="--",
                                         label="reservoir only")
        (self.quench,) = self.ax_pl.plot([], [], color=COLORS[1], ls=":",
                                         label="quench factor 1/(1+Qq)")
        self.ax_pl.axhline(1.0, color=COLORS[6], lw=0.8)
        (self.q_line,) = self.ax_q.plot([], [], color=COLORS[1])
        self.ax_pl.set_xlabel("time [s]")
        self.ax_pl.set_ylabel("PL(t) / PL(0)")
        self.ax_q.set_xlabel("time [s]")
        self.ax_q.set_ylabel("quenching defects q")
        self.ax_pl.legend(loc="upper left")
        _lean_axes(self.ax_pl)
        _lean_axes(self.ax_q)
        self.update(result)

    def update(self, result):
        """Redraw with a new run, in place.

        Parameters
        ----------
        result : lerbook.ions.CompetitionResult
            The run to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        t = result.t
        factor = 1.0 / (1.0 + result.quenching.strength * result.quench_fraction)
        self.total.set_data(t, result.relative_pl)
        self.bright.set_data(t, result.brightening)
        self.quench.set_data(t, factor)
        self.q_line.set_data(t, result.quench_fraction)
        _fit_limits(self.ax_pl, t, np.concatenate([result.relative_pl, result.brightening,
                                                   factor, [1.0]]))
        self.ax_q.set_xlim(t[0], t[-1])
        self.ax_q.set_ylim(0, 1.05)
        self.ax_pl.set_title(f"I = {result.intensity:.3g} mW cm⁻²: PL × "
                             f"{result.final_change:.2f} after {t[-1]:.0f} s")
        return self.fig


@styled
def plot_competition_family(results) -> Figure:
    """PL(t)/PL(0) at several intensities (static form).

    Parameters
    ----------
    results : sequence of lerbook.ions.CompetitionResult
        Runs at several intensities [mW cm^-2].

    Returns
    -------
    matplotlib.figure.Figure
        One curve per run.
    """
    fig, axes = new_figure(1, 1, width=7.0, height=3.4)
    ax = axes[0, 0]
    for result in results:
        ax.plot(result.t, result.relative_pl, label=f"{result.intensity:.0f} mW cm$^{{-2}}$")
    ax.axhline(1.0, color=COLORS[6], lw=0.8)
    ax.set_xlabel("time [s]")
    ax.set_ylabel("PL(t) / PL(0)")
    ax.set_title("Brightening at low intensity, quenching at high intensity (MAPbBr$_3$)")
    ax.legend()
    return fig


@dataclass(frozen=True)
class BlinkingRun:
    """A blinking trace and its on/off statistics.

    Attributes
    ----------
    trace : lerbook.ions.BlinkingTrace
        The simulated PL trajectory.
    stats : lerbook.ions.BlinkingStatistics
        Its on and off times and their fits.
    """

    trace: ions.BlinkingTrace
    stats: ions.BlinkingStatistics


class BlinkingView:
    """Left: binned PL trajectory with the on/off threshold; right: on and off time
    distributions on log-log axes with their fits.

    Parameters
    ----------
    run : BlinkingRun
        The trace and its statistics.
    """

    @styled
    def __init__(self, run: BlinkingRun):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.3)
        self.ax_trace, self.ax_hist = axes[0]
        (self.trace_line,) = self.ax_trace.plot([], [], color=COLORS[0], lw=0.6)
        self.threshold = self.ax_trace.axhline(0.0, color=COLORS[1], ls="--", lw=1)
        (self.on_pts,) = self.ax_hist.plot([], [], "o", color=COLORS[0], ms=4, label="on")
        (self.off_pts,) = self.ax_hist.plot([], [], "s", color=COLORS[1], ms=4, label="off")
        (self.on_fit,) = self.ax_hist.plot([], [], color=COLORS[0], lw=1)
        (self.off_fit,) = self.ax_hist.plot([], [], color=COLORS[1], lw=1)
        self.ax_hist.set_xscale("log")
        self.ax_hist.set_yscale("log")
        self.ax_trace.set_xlabel("time [s]")
        self.ax_trace.set_ylabel("counts per bin")
        self.ax_hist.set_xlabel("duration [s]")
        self.ax_hist.set_ylabel("probability density [s⁻¹]")
        self.ax_hist.legend(loc="lower left")
        _lean_axes(self.ax_trace)
        _lean_axes(self.ax_hist, logx=True, logy=True)
        self.update(run)

    def update(self, run: BlinkingRun):
        """Redraw with a new trace and its statistics, in place.

        Parameters
        ----------
        run : BlinkingRun
            The trace and statistics to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        trace, stats = run.trace, run.stats
        shown = trace.t <= min(60.0, trace.t[-1])
        self.trace_line.set_data(trace.t[shown], trace.counts[shown])
        self.threshold.set_ydata([trace.threshold, trace.threshold])
        self.ax_trace.set_xlim(0, trace.t[shown][-1])
        self.ax_trace.set_ylim(0, 1.1 * max(np.max(trace.counts[shown]), 1))
        self.on_pts.set_data(*stats.on_hist)
        self.off_pts.set_data(*stats.off_hist)
        grid = np.logspace(-2, np.log10(max(trace.t[-1], 1.0)), 50)
        self.on_fit.set_data([], [])
        self.off_fit.set_data([], [])
        if np.isfinite(stats.on_rate):
            self.on_fit.set_data(grid, stats.on_rate * np.exp(-stats.on_rate * grid))
        if np.isfinite(stats.off_exponent) and stats.off_hist[0].size:
            lo, hi = stats.window
            band = (grid >= lo) & (grid <= hi)
            inside = (stats.off_times >= lo) & (stats.off_times <= hi)
            m = stats.off_exponent
            share = np.mean(inside) if stats.off_times.size else 0.0
            norm = share * (m - 1) / (lo ** (1 - m) - hi ** (1 - m)) if m != 1 else share
            self.off_fit.set_data(grid[band], norm * grid[band] ** -m)
        dens = np.concatenate([stats.on_hist[1], stats.off_hist[1], [1e-3, 1.0]])
        dens = dens[dens > 0]
        self.ax_hist.set_xlim(trace.params.bin_width * 0.7, max(trace.t[-1], 1.0))
        self.ax_hist.set_ylim(0.5 * dens.min(), 2 * dens.max())
        self.ax_trace.set_title(f"{trace.params.sites} site(s), seed {trace.seed} "
                                "(first 60 s)")
        k = (f"{stats.on_rate:.2f} s⁻¹" if np.isfinite(stats.on_rate)
             else "too few periods")
        m = (f"{stats.off_exponent:.2f} ± {stats.off_exponent_error:.2f}"
             if np.isfinite(stats.off_exponent) else "too few periods")
        self.ax_hist.set_title(f"on: k = {k} · off: single-site m = {m}", fontsize=9)
        return self.fig


@dataclass(frozen=True)
class HysteresisRun:
    """A J-V sweep and the hysteresis index curve at the same temperature.

    Attributes
    ----------
    sweep : lerbook.ions.JVSweep
        The reverse and forward scans at one scan rate.
    rates : numpy.ndarray
        Scan rates of the index curve [V s^-1].
    index : numpy.ndarray
        Hysteresis index at each of them [-]. Runs at the same temperature share one
        (read-only) array, so a view redraws the curve only when it changes.
    """

    sweep: ions.JVSweep
    rates: np.ndarray
    index: np.ndarray


class HysteresisView:
    """Left: reverse and forward J-V scans and the steady state; right: hysteresis index vs
    scan rate with the current rate marked.

    Parameters
    ----------
    run : HysteresisRun
        The sweep and the index curve.
    """

    @styled
    def __init__(self, run: HysteresisRun):
        sweep = run.sweep
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.3)
        self.ax_jv, self.ax_hi = axes[0]
        (self.rev,) = self.ax_jv.plot([], [], color=COLORS[0], label="reverse")
        (self.fwd,) = self.ax_jv.plot([], [], color=COLORS[1], label="forward")
        (self.steady,) = self.ax_jv.plot([], [], color=COLORS[6], ls=":", label="steady state")
        (self.index_line,) = self.ax_hi.semilogx(run.rates, run.index, color=COLORS[2])
        self.index = None
        self.marker = self.ax_hi.axvline(1.0, color=COLORS[1], ls="--", lw=1)
        self.ax_jv.set_xlabel("voltage [V]")
        self.ax_jv.set_ylabel("current density [mA cm⁻²]")
        self.ax_hi.set_xlabel("scan rate [V s⁻¹]")
        self.ax_hi.set_ylabel("hysteresis index")
        self.ax_jv.legend(loc="lower left")
        self.ax_jv.set_ylim(0, 1.1 * sweep.params.photocurrent)
        _lean_axes(self.ax_jv)
        _lean_axes(self.ax_hi, logx=True)
        self.update(run)

    def update(self, run: HysteresisRun):
        """Redraw with a new sweep (and index curve), in place.

        Parameters
        ----------
        run : HysteresisRun
            The sweep and index curve to draw (same scan rates as the first).

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        if run.index is not self.index:  # the curve changes with the temperature only
            self.index = run.index
            self.index_line.set_ydata(run.index)
            self.ax_hi.set_ylim(0, 1.1 * max(float(np.max(run.index)), 0.05))
        sweep = run.sweep
        self.rev.set_data(sweep.voltage_reverse, sweep.current_reverse)
        self.fwd.set_data(sweep.voltage_forward, sweep.current_forward)
        self.steady.set_data(sweep.steady_voltage, sweep.steady_current)
        self.ax_jv.set_xlim(0, sweep.voltage_reverse[0])
        self.marker.set_xdata([sweep.scan_rate, sweep.scan_rate])
        self.ax_jv.set_title(f"{sweep.scan_rate:.3g} V/s: HI = {sweep.hysteresis_index:.2f}, "
                             f"τ_ion = {sweep.params.ionic_time:.3g} s")
        return self.fig


@styled
def plot_hysteresis_family(sweeps, rates, index) -> Figure:
    """J-V loops at several scan rates and the hysteresis index vs scan rate (static form).

    Parameters
    ----------
    sweeps : sequence of lerbook.ions.JVSweep
        Scans at several scan rates, same parameters.
    rates : array_like
        Scan rates of the index curve [V s^-1].
    index : array_like
        Hysteresis index at each of them [-].

    Returns
    -------
    matplotlib.figure.Figure
        Left: the loops; right: the index curve with the ionic time and its peak marked.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.4)
    ax_jv, ax_hi = axes[0]
    for sweep, color in zip(sweeps, COLORS, strict=False):
        ax_jv.plot(sweep.voltage_reverse, sweep.current_reverse, color=color,
                   label=f"{sweep.scan_rate:.3g} V s$^{{-1}}$")
        ax_jv.plot(sweep.voltage_forward, sweep.current_forward, color=color, ls="--")
    ax_jv.set_ylim(0, 1.1 * sweeps[0].params.photocurrent)
    ax_jv.set_xlabel("voltage [V]")
    ax_jv.set_ylabel("current density [mA cm$^{-2}$]")
    ax_jv.set_title("reverse (solid) and forward (dashed) scans")
    ax_jv.legend(loc="lower left")
    ax_hi.semilogx(rates, index, color=COLORS[2])
    tau = sweeps[0].params.ionic_time
    ax_hi.axvline(1.2 / tau, color=COLORS[6], ls=":", lw=1)
    ax_hi.text(1.2 / tau, 0.02, r" scan time $=\tau_{ion}$", fontsize=8)
    peak = float(np.asarray(rates)[int(np.argmax(index))])
    ax_hi.axvline(peak, color=COLORS[1], ls="--", lw=1)
    ax_hi.text(peak, 0.9 * float(np.max(index)),
               f" peak: scan time ≈ {1.2 / peak / tau:.0f} τ_ion ({1.2 / peak / 60:.0f} min)",
               fontsize=8, ha="left")
    ax_hi.set_xlabel("scan rate [V s$^{-1}$]")
    ax_hi.set_ylabel("hysteresis index")
    return fig


class SegregationView:
    """Left to right: lattice at the end of the light and at the end of the dark (I yellow,
    Br dark), mean PL energy against time.

    Parameters
    ----------
    result : lerbook.ions.SegregationResult
        The run to draw.
    """

    @styled
    def __init__(self, result):
        self.fig, axes = new_figure(1, 3, width=9.5, height=3.2)
        self.ax_light, self.ax_dark, self.ax_pl = axes[0]
        self.img_light = self.ax_light.imshow(result.snapshots[1], cmap="inferno", vmin=0,
                                              vmax=1, interpolation="nearest")
        self.img_dark = self.ax_dark.imshow(result.snapshots[2], cmap="inferno", vmin=0,
                                            vmax=1, interpolation="nearest")
        for ax, name in ((self.ax_light, "end of light"), (self.ax_dark, "end of dark")):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            ax.set_title(name)
        (self.line,) = self.ax_pl.plot([], [], color=COLORS[0])
        self.span = self.ax_pl.axvline(0.0, color=COLORS[1], ls="--", lw=1)
        self.ax_pl.set_xlabel("time [s]")
        self.ax_pl.set_ylabel("mean PL energy [eV]")
        _lean_axes(self.ax_pl, nbins=4)
        self.update(result)

    def update(self, result):
        """Redraw with a new run, in place.

        Parameters
        ----------
        result : lerbook.ions.SegregationResult
            The run to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        self.img_light.set_data(result.snapshots[1])
        self.img_dark.set_data(result.snapshots[2])
        self.line.set_data(result.t, result.peak_energy)
        lit = np.flatnonzero(result.intensity > 0)
        end = result.t[lit[-1]] if lit.size else 0.0
        self.span.set_xdata([end, end])
        _fit_limits(self.ax_pl, result.t, result.peak_energy)
        self.ax_pl.set_title(f"red shift {1e3 * result.red_shift:.0f} meV, "
                             f"recovery {1e3 * result.recovery:+.0f} meV")
        return self.fig


@styled
def plot_segregation_family(results) -> Figure:
    """Mean PL energy against time at several intensities, and the PL spectra of the last run
    (static form).

    Parameters
    ----------
    results : sequence of lerbook.ions.SegregationResult
        Runs at several intensities [mW cm^-2].

    Returns
    -------
    matplotlib.figure.Figure
        Left: mean PL energy [eV] against time [s]; right: spectra at the start, the end of
        the light and the end of the dark.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.4)
    ax_t, ax_s = axes[0]
    for result in results:
        lit = result.intensity[0]
        ax_t.plot(result.t, result.peak_energy, label=f"{lit:.0f} mW cm$^{{-2}}$")
    ax_t.set_xlabel("time [s] (light, then dark)")
    ax_t.set_ylabel("mean PL energy [eV]")
    ax_t.legend()
    last = results[-1]
    for spectrum, name, color in zip(last.spectra, ("start", "end of light", "end of dark"),
                                     COLORS, strict=False):
        ax_s.plot(last.energies, spectrum, color=color, label=name)
    ax_s.set_xlabel("photon energy [eV]")
    ax_s.set_ylabel("PL (normalised)")
    ax_s.set_xlim(1.5, 2.1)
    ax_s.legend()
    return fig
