"""Views of the ultraslow chapter: photobrightening under an illumination protocol,
time-dependent TRPL, the dose (reciprocity) test of the reservoir against trap passivation,
and the ladder of time scales.

Each view draws a result of ``lerbook.ultraslow`` bundled with what the figure marks
(:class:`ProtocolRun`, :class:`TRPLRun`, :class:`DoseRun`) and redraws a new one in place
with ``update`` (the explorers of :mod:`lerbook.explore.ultraslow` call it on every slider
move); the ``plot_*`` functions return a static figure.

Conventions: laboratory times in s or min (whichever reads better), TRPL delays in ns, PL
relative to the fresh film's, intensities in mW cm^-2, doses in J cm^-2.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from lerbook import ultraslow
from lerbook.plotting.core import COLORS, new_figure, styled, time_axis
from lerbook.plotting.labels import time_text

#: Floor of normalised TRPL decays on the logarithmic axis.
DECAY_FLOOR = 1e-3


def _lit(result) -> np.ndarray:
    return result.intensity > 0


def _masked(values, mask) -> np.ma.MaskedArray:
    """``values`` with ``mask`` hidden (matplotlib leaves gaps; the data stay finite)."""
    return np.ma.array(np.asarray(values, dtype=float), mask=mask)


def _family_colors(count: int):
    cmap = colormaps["viridis"]
    return [cmap(x) for x in np.linspace(0.05, 0.85, max(count, 1))]


@dataclass(frozen=True)
class ProtocolRun:
    """A run under an illumination protocol and the rise times of its exposures.

    Attributes
    ----------
    result : lerbook.ultraslow.UltraslowResult
        The run.
    rise : numpy.ndarray or None
        t90 of each exposure [s] (``lerbook.ultraslow.rise_times``: 90 % of the way from the
        fresh film's PL to the plateau; 0 if it starts above that mark, nan if not reached);
        None for no marks.
    """

    result: ultraslow.UltraslowResult
    rise: np.ndarray | None = None


class ProtocolView:
    """Photobrightening, dark recovery and memory under an illumination protocol.

    Top: the incident intensity [mW cm^-2]. Bottom: the PL relative to the fresh film's
    (solid, while the light is on), what a brief probe would read in the dark (dashed), the
    plateau of a long exposure (dotted) and, marked, each exposure's t90: where its PL has
    covered 90 % of the way from the fresh film's PL to the plateau (no mark if the exposure
    starts above that level or ends before reaching it).

    Parameters
    ----------
    run : ProtocolRun
        The run and the rise times of its lit segments, marked on the curve.
    """

    @styled
    def __init__(self, run: ProtocolRun):
        self.fig, axes = new_figure(2, 1, width=8.0, height=4.6, sharex=True,
                                    gridspec_kw={"height_ratios": [1, 3.2]})
        self.ax_light, self.ax_pl = axes[:, 0]
        (self.light_line,) = self.ax_light.plot([], [], color=COLORS[4], drawstyle="steps-post")
        self.ax_light.set_ylabel("$I$ [mW cm$^{-2}$]")
        (self.pl_line,) = self.ax_pl.plot([], [], color=COLORS[0], label="PL under light")
        (self.probe_line,) = self.ax_pl.plot([], [], color=COLORS[0], ls="--", lw=1.4,
                                             label="probe in the dark (recovery)")
        self.plateau_line = self.ax_pl.axhline(1.0, color=COLORS[6], ls=":", lw=1,
                                               label="plateau of a long exposure")
        self.ax_pl.axhline(1.0, color="0.6", lw=0.8)
        (self.rise_marks,) = self.ax_pl.plot([], [], "o", color=COLORS[1], ms=6,
                                             label="$t_{90}$: 90 % of the way to the plateau")
        self.ax_pl.set_ylabel("PL / PL of the fresh film")
        self.fig.legend(handles=[self.pl_line, self.probe_line, self.plateau_line,
                                 self.rise_marks], loc="outside lower center", ncols=4,
                        fontsize=8.5)
        self.update(run)

    def update(self, run: ProtocolRun):
        """Redraw with a new run (and rise times), in place.

        Parameters
        ----------
        run : ProtocolRun
            The run to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        result, rise = run.result, run.rise
        t, unit = time_axis(result.t)
        scale = result.t[-1] / t[-1] if t[-1] > 0 else 1.0
        lit = _lit(result)
        self.light_line.set_data(t, result.intensity)
        self.pl_line.set_data(t, _masked(result.relative_pl, ~lit))
        self.probe_line.set_data(t, _masked(result.relative_probe_pl, lit))
        first = int(np.nonzero(result.plateau_pl)[0][0])
        fresh = result.fresh_pl[first]
        plateau = float(result.plateau_pl[first] / fresh)
        self.plateau_line.set_ydata([plateau, plateau])
        if rise is None or len(rise) == 0:
            self.rise_marks.set_data([], [])
        else:
            times, levels = [], []
            lit_segments = [i for i, s in enumerate(result.protocol.segments) if not s.is_dark]
            for i, value in zip(lit_segments, rise, strict=True):
                if np.isfinite(value) and value > 0:  # no mark: not reached, or starts above
                    times.append((result.protocol.edges[i] + value) / scale)
                    levels.append((result.fresh_pl[i] + 0.9 * (result.plateau_pl[i]
                                                               - result.fresh_pl[i])) / fresh)
            self.rise_marks.set_data(times, levels)
        self.ax_pl.set_xlabel(f"time [{unit}]")
        self.ax_pl.set_xlim(t[0], t[-1])
        top = max(float(np.max(result.relative_probe_pl)), plateau, 1.0)
        self.ax_pl.set_ylim(0.9, 1.08 * top + 0.02)
        self.ax_light.set_ylim(0, 1.2 * max(float(result.intensity.max()), 1e-300))
        return self.fig


def plot_protocol(result, rise=None) -> Figure:
    """Figure of one protocol run (see :class:`ProtocolView`).

    Parameters
    ----------
    result : lerbook.ultraslow.UltraslowResult
        The run.
    rise : array_like or None
        Rise times of the lit segments [s] (``lerbook.ultraslow.rise_times``); None for no
        marks.

    Returns
    -------
    matplotlib.figure.Figure
        The intensity and the relative PL.
    """
    return ProtocolView(ProtocolRun(result, rise)).fig


@styled
def plot_protocol_family(results: Sequence, labels: Sequence[str], title: str = "",
                         probe: bool = True) -> Figure:
    """Several protocol runs on one figure: PL under light (solid) and, with ``probe``, the
    probe reading in the dark (dashed), relative to the fresh film.

    Parameters
    ----------
    results : sequence of lerbook.ultraslow.UltraslowResult
        Runs of the same protocol (their intensity is drawn from the first).
    labels : sequence of str
        One legend label per run.
    title : str
        Figure title.
    probe : bool
        Draw the probe reading in the dark (dashed).

    Returns
    -------
    matplotlib.figure.Figure
        The intensity of the first run and every run's relative PL.
    """
    fig, axes = new_figure(2, 1, width=8.0, height=4.6, sharex=True,
                           gridspec_kw={"height_ratios": [1, 3.2]})
    ax_light, ax_pl = axes[:, 0]
    t, unit = time_axis(results[0].t)
    scale = results[0].t[-1] / t[-1] if t[-1] > 0 else 1.0
    ax_light.plot(t, results[0].intensity, color=COLORS[4], drawstyle="steps-post")
    ax_light.set_ylabel("$I$ [mW cm$^{-2}$]")
    ax_light.set_ylim(0, 1.2 * results[0].intensity.max())
    for color, result, label in zip(COLORS, results, labels, strict=False):
        lit = _lit(result)
        times = result.t / scale
        ax_pl.plot(times, _masked(result.relative_pl, ~lit), color=color, label=label)
        if probe:
            ax_pl.plot(times, _masked(result.relative_probe_pl, lit), color=color, ls="--",
                       lw=1.4)
    ax_pl.axhline(1.0, color="0.6", lw=0.8)
    ax_pl.set(xlabel=f"time [{unit}]", ylabel="PL / PL of the fresh film",
              xlim=(t[0], t[-1]))
    handles, names = ax_pl.get_legend_handles_labels()
    if probe:
        handles.append(ax_pl.plot([], [], color="0.4", ls="--", lw=1.4)[0])
        names.append("probe in the dark")
    fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 4))
    if title:
        fig.suptitle(title)
    return fig


@styled
def plot_brightening_fit(result, fit, segment: int = 0, title: str = "") -> Figure:
    """One exposure's relative PL with its stretched-exponential fit.

    Parameters
    ----------
    result : lerbook.ultraslow.UltraslowResult
        The run.
    fit : lerbook.fitting.CurveFit
        A ``"rise"`` fit of that exposure (times from its start [s]).
    segment : int
        Index of the protocol segment fitted.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The exposure's PL and the fitted curve.
    """
    fig, axes = new_figure(1, 1, width=6.5, height=3.4)
    ax = axes[0, 0]
    mask = result.segment == segment
    start = result.protocol.edges[segment]
    ax.plot(result.t[mask] - start, result.relative_pl[mask], color=COLORS[0], lw=3,
            alpha=0.5, label="model")
    ax.plot(fit.x, fit.fitted, color=COLORS[1], ls="--",
            label=rf"stretched exponential: $\tau$ = {fit.tau:.3g} s, $\beta$ = {fit.beta:.2f}")
    ax.set(xlabel="time since the light came on [s]", ylabel="PL / PL of the fresh film")
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return fig


@dataclass(frozen=True)
class TRPLRun:
    """Decays taken during an exposure, their fits and the trend of their lifetime.

    Attributes
    ----------
    family : lerbook.ultraslow.TRPLFamily
        The decays at the chosen laboratory times.
    fits : tuple of lerbook.fitting.CurveFit or None
        Their stretched-exponential fits (``lerbook.ultraslow.fit_trpl_family``); None for
        none.
    trend : tuple of numpy.ndarray or None
        (laboratory times [s], 1/e times [s]) sampled more finely than the decays; None to
        draw the decays' own 1/e times.
    brightening : float
        PL at the end of the exposure over PL of the fresh film [dimensionless]; NaN if not
        known.
    """

    family: ultraslow.TRPLFamily
    fits: tuple | None = None
    trend: tuple | None = None
    brightening: float = math.nan


class TRPLFamilyView:
    """Time-dependent TRPL: decays taken at successive times, and their lifetimes.

    Left: the normalised decays (periodic steady state) on a logarithmic axis against the
    delay after the pulse [ns], coloured from early (dark) to late (light). Right: the 1/e
    time and, if fits are given, the mean time of a stretched exponential, against the
    laboratory time.

    Parameters
    ----------
    run : TRPLRun
        The decays, and optionally their fits and the finer trend.
    """

    @styled
    def __init__(self, run: TRPLRun):
        family = run.family
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.6,
                                    gridspec_kw={"width_ratios": [1.5, 1]})
        self.ax_decay, self.ax_life = axes[0]
        self.decay_lines = [self.ax_decay.plot([], [], color=color)[0]
                            for color in _family_colors(len(family.times))]
        self.ax_decay.set_yscale("log")
        self.ax_decay.set(xlabel="delay after the pulse [ns]", ylabel="PL / peak",
                          ylim=(DECAY_FLOOR, 1.5))
        (self.trend_line,) = self.ax_life.plot([], [], color=COLORS[0], label="1/e time")
        (self.mean_line,) = self.ax_life.plot([], [], "s--", color=COLORS[1], ms=5, lw=1.2,
                                              label=r"stretched exp. $\langle\tau\rangle$")
        self.point_lines = [self.ax_life.plot([], [], "o", color=color, ms=7)[0]
                            for color in _family_colors(len(family.times))]
        self.ax_life.set_ylabel("lifetime [ns]")
        self.ax_life.legend(loc="lower right")
        self.decay_legend = None
        self.update(run)

    def update(self, run: TRPLRun):
        """Redraw with a new family (same number of decays), in place.

        Parameters
        ----------
        run : TRPLRun
            The decays to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        family, fits, trend = run.family, run.fits, run.trend
        t_ns = family.t * 1e9
        decays = np.clip(family.normalized, DECAY_FLOOR / 10, None)
        t_lab, unit = time_axis(np.append(family.times, 1e-300))
        scale = family.times.max() / t_lab[:-1].max() if family.times.max() > 0 else 1.0
        lifetimes = np.where(np.isfinite(family.one_over_e), family.one_over_e,
                             family.t[-1]) * 1e9
        for line, point, decay, when, life in zip(self.decay_lines, self.point_lines, decays,
                                                  family.times, lifetimes, strict=True):
            line.set_data(t_ns, decay)
            point.set_data([when / scale], [life])
        if trend is None:
            self.trend_line.set_data(family.times / scale, lifetimes)
            top = lifetimes.max()
        else:
            times, one_over_e = (np.asarray(x, dtype=float) for x in trend)
            trend_ns = np.where(np.isfinite(one_over_e), one_over_e, family.t[-1]) * 1e9
            self.trend_line.set_data(times / scale, trend_ns)
            top = max(lifetimes.max(), trend_ns.max())
        if fits is None:
            self.mean_line.set_data([], [])
        else:
            means = np.array([fit.mean_time for fit in fits]) * 1e9
            self.mean_line.set_data(family.times / scale, means)
            top = max(top, means.max())
        self.ax_decay.set_xlim(0, t_ns[-1])
        labels = [f"{when:.3g} s" for when in family.times]
        if self.decay_legend is None:  # build the legend once, then only change its texts
            self.decay_legend = self.ax_decay.legend(self.decay_lines, labels, loc="upper right",
                                                     title="taken at", ncols=2, fontsize=8)
        else:
            for text, label in zip(self.decay_legend.get_texts(), labels, strict=True):
                text.set_text(label)
        self.ax_life.set_xlabel(f"illumination time [{unit}]")
        self.ax_life.set_xlim(-0.03 * family.times.max() / scale,
                              1.03 * family.times.max() / scale + 1e-300)
        self.ax_life.set_ylim(0, 1.12 * top)
        return self.fig


def plot_trpl_family(family, fits=None, trend=None) -> Figure:
    """Figure of a TRPL family (see :class:`TRPLFamilyView`).

    Parameters
    ----------
    family : lerbook.ultraslow.TRPLFamily
        The decays.
    fits : sequence of lerbook.fitting.CurveFit or None
        One fit per decay; None for none.
    trend : tuple of array_like or None
        ``(times [s], 1/e times [s])`` sampled more finely than the decays; None for none.

    Returns
    -------
    matplotlib.figure.Figure
        The decays and their lifetimes against the illumination time.
    """
    return TRPLFamilyView(TRPLRun(family, fits, trend)).fig


@dataclass(frozen=True)
class DoseRun:
    """The dose responses of the reservoir model and of the matched passivation model.

    Attributes
    ----------
    ler, rival : lerbook.ultraslow.DoseResponse
        Reservoir and passivation responses (same intensities).
    """

    ler: ultraslow.DoseResponse
    rival: ultraslow.DoseResponse


class DoseView:
    """The reciprocity test: brightening against light dose, reservoirs against passivation.

    Two panels, one per model, each with one curve per exposure intensity: the PL a weak
    probe reads after each dose, relative to the fresh film. Curves that fall on top of each
    other mean the change depends on the dose only. The panel titles give the reservoir
    lifetime and the dark lifetime of passivated traps.

    Parameters
    ----------
    run : DoseRun
        The two models' responses.
    """

    @styled
    def __init__(self, run: DoseRun):
        ler = run.ler
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.6, sharey=True)
        self.axes = axes[0]
        self.lines = []
        for ax in self.axes:
            self.lines.append([ax.plot([], [], color=color)[0]
                               for color in COLORS[:len(ler.intensity)]])
            ax.set_xlabel("dose $H = I\\,t$ [J cm$^{-2}$]")
            ax.axhline(1.0, color="0.6", lw=0.8)
        self.axes[0].set_ylabel("probe PL / fresh film")
        self.legends = [ax.legend(lines, [f"{i:.3g} mW cm$^{{-2}}$" for i in ler.intensity],
                                  loc="lower right", title="exposure at")
                        for ax, lines in zip(self.axes, self.lines, strict=True)]
        self.update(run)

    def update(self, run: DoseRun):
        """Redraw with new responses, in place.

        Parameters
        ----------
        run : DoseRun
            The responses to draw (same intensities as the first).

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        ler, rival = run.ler, run.rival
        lifetime, recovery = ler.params.kinetics.lifetime, rival.params.recovery_time
        titles = (rf"reservoirs, $\tau_\mathrm{{LER}}$ = {time_text(lifetime)}",
                  rf"trap passivation, $\tau_\mathrm{{rec}}$ = {time_text(recovery)}")
        top = 1.0
        for ax, lines, response, title in zip(self.axes, self.lines, (ler, rival), titles,
                                              strict=True):
            for line, curve in zip(lines, response.relative_pl, strict=True):
                line.set_data(response.dose, curve)
            top = max(top, float(response.relative_pl.max()))
            ax.set_title(f"{title}\nspread at the largest dose: "
                         f"x{response.reciprocity_spread:.2f}")
            ax.set_xlim(0, response.dose[-1])
        self.axes[0].set_ylim(0.9, 1.08 * top)
        return self.fig


@styled
def plot_timescales(times: Mapping[str, float], title: str = "") -> Figure:
    """A ladder of characteristic times on one logarithmic axis.

    Parameters
    ----------
    times : mapping of str to float
        Label -> characteristic time [s], drawn from the shortest (top) to the longest.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One row per time, on a logarithmic axis [s].
    """
    items = sorted(times.items(), key=lambda item: item[1])
    fig, axes = new_figure(1, 1, width=8.0, height=0.42 * len(items) + 1.1)
    ax = axes[0, 0]
    values = np.array([value for _, value in items])
    rows = np.arange(len(items))[::-1]
    ax.hlines(rows, values.min() / 30, values, color="0.8", lw=6)
    ax.plot(values, rows, "o", color=COLORS[0], ms=8)
    for row, (label, value) in zip(rows, items, strict=True):
        ax.annotate(label, (value, row), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=9)
    ax.set_xscale("log")
    ax.set_xlim(values.min() / 30, values.max() * 3e4)
    ax.set_ylim(-0.8, len(items) - 0.2)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("time [s]")
    decades = np.log10(values.max() / values.min())
    ax.set_title(title or f"{decades:.0f} orders of magnitude in time")
    return fig
