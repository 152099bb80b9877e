"""Views of the recombination chapter: ABC decays and PLQY, the Langevin comparison, trap
filling with the reservoir term, pulse trains, and fits to TCSPC data.

Each view draws a result of :mod:`lerbook.recombination` or :mod:`lerbook.fitting` (or a
pair of them bundled here: :class:`TrapRuns`, :class:`PulseTrainRuns`, :class:`ModelFits`)
and redraws a new one in place with ``update``; each ``plot_*_family`` function is the
static form the website shows (several slider positions on one figure).

Conventions: times on logarithmic axes are in ns (they span many decades); densities in
cm^-3; PL as the radiative rate B n p [cm^-3 s^-1] or normalised to its value at t = 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FormatStrFormatter, LogLocator, NullFormatter

from lerbook import fitting, recombination
from lerbook.plotting.core import COLORS, new_figure, positive, styled, time_axis
from lerbook.plotting.labels import CM3, PER_S, decade_axes, rate_text, scientific
from lerbook.units import readable_time_unit

#: Floor of normalised decays on logarithmic axes (values below are off the plot).
DECAY_FLOOR = 1e-6
_TINY = 1e-300
_NS = 1e-9


def _log_limits(ax, values, decades: float = 6.0, margin: float = 2.0):
    """Logarithmic y limits from the largest value down by ``decades``."""
    top = max(float(np.max(values)), _TINY) * margin
    ax.set_ylim(top / (margin * 10 ** decades), top)


# ============================================================================================
# 1. ABC decays and the PLQY
# ============================================================================================
#: Densities on which the PLQY curve is drawn [cm^-3].
PLQY_DENSITIES = np.geomspace(1e13, 1e20, 200)


class ABCView:
    """An ABC decay after one pulse, and the PLQY against density.

    Left: carrier density n/n0 and PL/PL(0) against time (log-log, in ns), with the
    trap-only limit exp(-A t) dotted. Right: internal PLQY B n / (A + B n + C n^2) against
    the excess density, with the starting density n0 marked and the maximum at
    sqrt(A/C) dashed.

    Parameters
    ----------
    result : lerbook.recombination.DecayResult
        The decay to draw (its ``params`` give the PLQY curve).
    """

    @styled
    def __init__(self, result):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.5)
        self.ax_decay, self.ax_plqy = axes[0]
        (self.n_line,) = self.ax_decay.plot([], [], color=COLORS[0], label="carriers n/n\u2080")
        (self.pl_line,) = self.ax_decay.plot([], [], color=COLORS[1],
                                             label="PL / PL(0)")
        (self.a_line,) = self.ax_decay.plot([], [], color=COLORS[6], ls=":", lw=1.2,
                                            label="trap-only limit exp(\u2212At)")
        self.ax_decay.set(xscale="log", yscale="log", xlabel="time after the pulse [ns]",
                          ylabel="normalised to t = 0", ylim=(1e-4, 2.0))
        decade_axes(self.ax_decay, x=True, y=True)
        self.ax_decay.legend(loc="lower left")
        (self.plqy_line,) = self.ax_plqy.plot(PLQY_DENSITIES, np.zeros_like(PLQY_DENSITIES),
                                              color=COLORS[2])
        self.peak_line = self.ax_plqy.axvline(1e17, color=COLORS[6], ls="--", lw=1,
                                              label="maximum at \u221a(A/C)")
        (self.n0_marker,) = self.ax_plqy.plot([], [], "o", color=COLORS[0],
                                              label="start of the decay, n\u2080")
        self.ax_plqy.set(xscale="log", xlabel=f"excess carrier density n [{CM3}]",
                         ylabel="internal PLQY", xlim=(PLQY_DENSITIES[0], PLQY_DENSITIES[-1]),
                         ylim=(0.0, 1.05))
        decade_axes(self.ax_plqy, x=True)
        self.ax_plqy.legend(loc="upper left")
        self.update(result)

    @styled
    def update(self, result):
        """Redraw with a new decay, in place.

        Parameters
        ----------
        result : lerbook.recombination.DecayResult
            The decay to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        params = result.params
        keep = result.t > 0
        t_ns = result.t[keep] / _NS
        self.n_line.set_data(t_ns, positive(result.n[keep] / result.n0))
        self.pl_line.set_data(t_ns, positive(result.pl[keep] / max(result.pl[0], _TINY)))
        self.a_line.set_data(t_ns, positive(np.exp(-params.A * result.t[keep])))
        self.ax_decay.set_xlim(t_ns[0], t_ns[-1])
        curve = recombination.plqy(params, PLQY_DENSITIES)
        self.plqy_line.set_ydata(curve)
        n_peak, best = recombination.plqy_peak(params)
        shown = n_peak if 0 < n_peak < math.inf else PLQY_DENSITIES[-1]
        self.peak_line.set_xdata([shown, shown])
        self.n0_marker.set_data([result.n0], [recombination.plqy(params, result.n0)])
        self.ax_plqy.set_title(f"PLQY maximum {best:.2f} at n = {scientific(n_peak, CM3)}")
        self.ax_decay.set_title(
            f"A = {scientific(params.A, PER_S)}, B = {scientific(params.B)} cm\u00b3 {PER_S}, "
            f"C = {scientific(params.C)} cm\u2076 {PER_S}")
        return self.fig


@styled
def plot_abc_family(results, title: str = "") -> Figure:
    """ABC decays from several starting densities, with the PLQY curve they sample.

    Parameters
    ----------
    results : sequence of lerbook.recombination.DecayResult
        Decays with the same parameters and different n0 [cm^-3].
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Left: the decays; right: the PLQY curve with each n0 marked.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.5)
    ax_decay, ax_plqy = axes[0]
    params = results[0].params
    ax_plqy.plot(PLQY_DENSITIES, recombination.plqy(params, PLQY_DENSITIES), color=COLORS[6],
                 lw=1.2)
    n_peak, best = recombination.plqy_peak(params)
    if 0 < n_peak < math.inf:
        ax_plqy.axvline(n_peak, color=COLORS[6], ls="--", lw=1)
        ax_plqy.annotate(f"maximum {best:.2f}\nat $\\sqrt{{A/C}}$", (n_peak, best),
                         xytext=(6, 8), textcoords="offset points", fontsize=9)
    for i, result in enumerate(results):
        color = COLORS[i % len(COLORS)]
        keep = result.t > 0
        label = f"$n_0$ = {scientific(result.n0)} cm$^{{-3}}$"
        ax_decay.plot(result.t[keep] / _NS, positive(result.n[keep] / result.n0), color=color,
                      label=label)
        ax_plqy.plot([result.n0], [recombination.plqy(params, result.n0)], "o", color=color)
    ax_decay.set(xscale="log", yscale="log", xlabel="time after the pulse [ns]",
                 ylabel=r"carrier density $n/n_0$", ylim=(1e-4, 2.0))
    ax_decay.legend(loc="lower left")
    ax_plqy.set(xscale="log", xlabel=r"excess carrier density $n$ [cm$^{-3}$]",
                ylabel="internal PLQY", ylim=(0.0, 1.05))
    decade_axes(ax_decay, x=True, y=True)
    decade_axes(ax_plqy, x=True)
    if title:
        fig.suptitle(title)
    return fig


# ============================================================================================
# 2. The Langevin comparison
# ============================================================================================
class LangevinView:
    """Measured bimolecular coefficients against the Langevin rate, material by material.

    Left: B and k_L [cm^3 s^-1] on a logarithmic axis, joined by a line whose length is
    the gap. Right: the ratio B / k_L, with the Langevin limit (ratio 1) dashed.

    Parameters
    ----------
    rows : sequence of lerbook.recombination.LangevinComparison
        One row per material (same materials, in the same order, on every update).
    """

    @styled
    def __init__(self, rows):
        rows = list(rows)
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.5)
        self.ax_rates, self.ax_ratio = axes[0]
        x = np.arange(len(rows))
        self.gaps = [self.ax_rates.plot([i, i], [1.0, 1.0], color=COLORS[6], lw=1)[0]
                     for i in x]
        (self.b_points,) = self.ax_rates.plot(x, np.ones(x.size), "o", color=COLORS[0],
                                              label="measured B")
        (self.k_points,) = self.ax_rates.plot(x, np.ones(x.size), "s", color=COLORS[1],
                                              label=r"Langevin $k_L$")
        self.ax_ratio.axhline(1.0, color=COLORS[6], ls="--", lw=1)
        self.ax_ratio.text(len(rows) - 0.6, 1.3, "Langevin limit", ha="right", va="bottom",
                           fontsize=9)
        (self.ratio_points,) = self.ax_ratio.plot(x, np.ones(x.size), "D", color=COLORS[2])
        self.labels = [self.ax_ratio.text(i, 1.0, "", ha="center", va="bottom", fontsize=8)
                       for i in x]
        names = [row.material for row in rows]
        for ax in (self.ax_rates, self.ax_ratio):
            ax.set_xticks(x, names, rotation=20)
            ax.set_xlim(-0.6, len(rows) - 0.4)
            ax.set_yscale("log")
            decade_axes(ax, y=True)
        self.ax_rates.set(ylabel=f"rate constant [cm\u00b3 {PER_S}]", ylim=(1e-11, 1e-2))
        self.ax_rates.legend(loc="upper center", ncol=2)
        self.ax_ratio.set(ylabel=r"$B / k_L$", ylim=(1e-7, 10.0))
        self.update(rows)

    @styled
    def update(self, rows):
        """Redraw with new rows, in place.

        Parameters
        ----------
        rows : sequence of lerbook.recombination.LangevinComparison
            The same materials in the same order as the first rows.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        rows = list(rows)
        b = np.array([row.B for row in rows])
        k = np.array([row.k_langevin for row in rows])
        ratio = np.array([row.ratio for row in rows])
        x = np.arange(len(rows))
        self.b_points.set_ydata(b)
        self.k_points.set_ydata(k)
        self.ratio_points.set_ydata(ratio)
        for i, line in enumerate(self.gaps):
            line.set_ydata([b[i], k[i]])
        for i, label in enumerate(self.labels):
            label.set_position((x[i], ratio[i] * 1.6))
            label.set_text(f"{ratio[i]:.1e}")
        self.ax_ratio.set_title(f"{rows[0].permittivity} permittivity")
        return self.fig


@styled
def plot_langevin_family(row_sets, labels, title: str = "") -> Figure:
    """The Langevin comparison for several choices (e.g. static and optical permittivity).

    Parameters
    ----------
    row_sets : sequence of sequences of LangevinComparison
        One set of rows per choice, with the same materials in the same order.
    labels : sequence of str
        One legend label per set.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Left: B and k_L [cm^3 s^-1]; right: B / k_L.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.5)
    ax_rates, ax_ratio = axes[0]
    names = [row.material for row in row_sets[0]]
    x = np.arange(len(names))
    ax_rates.plot(x, [row.B for row in row_sets[0]], "o", color=COLORS[0], label="measured $B$",
                  ms=7)
    markers = ("s", "^", "v", "D")
    for j, (rows, label) in enumerate(zip(row_sets, labels, strict=True)):
        offset = 0.12 * (j - (len(row_sets) - 1) / 2)
        color = COLORS[(j + 1) % len(COLORS)]
        ax_rates.plot(x + offset, [row.k_langevin for row in rows], markers[j % 4], color=color,
                      label=f"$k_L$, {label}")
        ratio = np.array([row.ratio for row in rows])
        ax_ratio.plot(x + offset, ratio, markers[j % 4], color=color, label=label)
    ax_ratio.axhline(1.0, color=COLORS[6], ls="--", lw=1)
    ax_ratio.text(len(names) - 0.6, 1.3, "Langevin limit", ha="right", va="bottom", fontsize=9)
    for ax in (ax_rates, ax_ratio):
        ax.set_xticks(x, names, rotation=20)
        ax.set_xlim(-0.6, len(names) - 0.4)
        ax.set_yscale("log")
        decade_axes(ax, y=True)
    ax_rates.set(ylabel=r"rate constant [cm$^3$ s$^{-1}$]", ylim=(1e-11, 1e-2))
    ax_rates.legend(loc="upper center", ncol=3, fontsize=8)
    ax_ratio.set(ylabel=r"$B / k_L$", ylim=(1e-7, 10.0))
    ax_ratio.legend(loc="center right")
    if title:
        fig.suptitle(title)
    return fig


# ============================================================================================
# 3. Trap filling and the reservoir term
# ============================================================================================
@dataclass(frozen=True)
class TrapRuns:
    """A trap-model decay with the reservoir term and the same film without reservoirs.

    Attributes
    ----------
    result : lerbook.recombination.TrapResult
        The decay with the reservoir term.
    reference : lerbook.recombination.TrapResult
        The same film and pulse with n_LER = 0, on the same times.
    """

    result: recombination.TrapResult
    reference: recombination.TrapResult


class TrapView:
    """TRPL in the trap model with the reservoir term, against the same film without it.

    Left: PL / PL(0) against time (log-log, in ns), with the reservoir-free decay dashed.
    Right: free electrons n, free holes p and trapped electrons n_t [cm^-3] with the
    reservoir, and the trapped electrons the reservoir term has returned to the band so far.

    Parameters
    ----------
    runs : TrapRuns
        The decay with the reservoir term and its reservoir-free reference.
    """

    @styled
    def __init__(self, runs: TrapRuns):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.6)
        self.ax_pl, self.ax_pop = axes[0]
        (self.ref_line,) = self.ax_pl.plot([], [], color=COLORS[6], ls="--", lw=1.2,
                                           label="no reservoir")
        (self.pl_line,) = self.ax_pl.plot([], [], color=COLORS[1], label="with the reservoir")
        self.ax_pl.set(xscale="log", yscale="log", xlabel="time after the pulse [ns]",
                       ylabel="PL / PL(0)", ylim=(DECAY_FLOOR, 2.0))
        decade_axes(self.ax_pl, x=True, y=True)
        self.ax_pl.legend(loc="lower left")
        names = ("free electrons n", "free holes p", "trapped electrons n\u209c",
                 "released by the reservoir")
        styles = ((COLORS[0], "-"), (COLORS[4], "-"), (COLORS[2], "-"), (COLORS[3], ":"))
        self.pop_lines = [self.ax_pop.plot([], [], color=c, ls=ls, label=name)[0]
                          for name, (c, ls) in zip(names, styles, strict=True)]
        self.ax_pop.set(xscale="log", yscale="log", xlabel="time after the pulse [ns]",
                        ylabel=f"density [{CM3}]")
        decade_axes(self.ax_pop, x=True, y=True)
        self.ax_pop.legend(loc="upper left", fontsize=8, ncol=2)
        self.update(runs)

    @styled
    def update(self, runs: TrapRuns):
        """Redraw with a new pair of decays, in place.

        Parameters
        ----------
        runs : TrapRuns
            The decays to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        result, reference = runs.result, runs.reference
        keep = result.t > 0
        t_ns = result.t[keep] / _NS
        self.pl_line.set_data(t_ns, positive(result.pl[keep] / max(result.pl[0], _TINY)))
        self.ref_line.set_data(t_ns,
                               positive(reference.pl[keep] / max(reference.pl[0], _TINY)))
        self.ax_pl.set_xlim(t_ns[0], t_ns[-1])
        series = (result.n, result.p, result.n_t, result.released_ler)
        for line, values in zip(self.pop_lines, series, strict=True):
            line.set_data(t_ns, positive(values[keep]))
        self.ax_pop.set_xlim(t_ns[0], t_ns[-1])
        top = max(result.n0, float(np.max(result.n_t)), float(np.max(result.released_ler)))
        _log_limits(self.ax_pop, top, decades=5.0, margin=100.0)  # room for the legend
        p = result.params
        self.ax_pl.set_title(f"release K\u03c3\u2032n_LER = {scientific(p.ler_rate, PER_S)}, "
                             f"capture \u03b3_n N_t = "
                             f"{scientific(p.gamma_n * p.trap_density, PER_S)}")
        self.ax_pop.set_title(f"n\u2080 = {scientific(result.n0)}, "
                              f"N_t = {scientific(p.trap_density, CM3)}")
        return self.fig


@styled
def plot_trap_family(results, sweep_n_ler, sweep_decay_time, sweep_plqy,
                     reference=None, title: str = "") -> Figure:
    """TRPL as the reservoir density rises, and what a measurement would extract.

    Parameters
    ----------
    results : sequence of lerbook.recombination.TrapResult
        Decays at a few reservoir densities (labelled by their ``params.n_ler``).
    sweep_n_ler : array_like
        Reservoir densities of the sweep [cm^-3], > 0.
    sweep_decay_time : array_like
        PL 1/e time at each of them [s].
    sweep_plqy : array_like
        Time-integrated PL per injected pair at each of them [dimensionless].
    reference : lerbook.recombination.TrapResult or None
        The decay without the reservoir (n_LER = 0), drawn dashed and as horizontal lines.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The decays, the PL 1/e time [ns] and the photon yield [-] against n_LER.
    """
    fig, axes = new_figure(1, 3, width=11.0, height=3.6)
    ax_pl, ax_tau, ax_yield = axes[0]
    if reference is not None:
        keep = reference.t > 0
        ax_pl.plot(reference.t[keep] / _NS, positive(reference.pl[keep] / reference.pl[0]),
                   color=COLORS[6], ls="--", lw=1.2, label="0 (no reservoir)")
    for i, result in enumerate(results):
        keep = result.t > 0
        color = COLORS[i % (len(COLORS) - 1)]
        ax_pl.plot(result.t[keep] / _NS, positive(result.pl[keep] / result.pl[0]),
                   color=color, label=f"{scientific(result.params.n_ler)} cm$^{{-3}}$")
        ax_tau.plot([result.params.n_ler], [recombination.one_over_e_time(result.t, result.pl)
                                            / _NS], "o", color=color)
        ax_yield.plot([result.params.n_ler], [result.plqy], "o", color=color)
    ax_pl.set(xscale="log", yscale="log", xlabel="time after the pulse [ns]",
              ylabel="PL / PL(0)", ylim=(DECAY_FLOOR, 2.0))
    ax_pl.legend(loc="lower left", fontsize=8, title=r"$n_\mathrm{LER}$", title_fontsize=8)
    decade_axes(ax_pl, x=True, y=True)
    n_ler = np.asarray(sweep_n_ler, dtype=float)
    ax_tau.plot(n_ler, np.asarray(sweep_decay_time) / _NS, color=COLORS[6], lw=1.2, zorder=1)
    ax_yield.plot(n_ler, sweep_plqy, color=COLORS[6], lw=1.2, zorder=1)
    if reference is not None:
        tau0 = recombination.one_over_e_time(reference.t, reference.pl) / _NS
        ax_tau.axhline(tau0, color=COLORS[6], ls="--", lw=1)
        ax_yield.axhline(reference.plqy, color=COLORS[6], ls="--", lw=1)
    ax_tau.set(xscale="log", yscale="log", xlabel=r"reservoir density $n_\mathrm{LER}$ "
               r"[cm$^{-3}$]", ylabel="PL 1/e time [ns]")
    ax_tau.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax_tau.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax_tau.yaxis.set_minor_formatter(NullFormatter())
    decade_axes(ax_tau, x=True)
    decade_axes(ax_yield, x=True)
    ax_yield.set(xscale="log", xlabel=r"reservoir density $n_\mathrm{LER}$ [cm$^{-3}$]",
                 ylabel="photons per injected pair", ylim=(0.0, 1.05))
    if title:
        fig.suptitle(title)
    return fig


# ============================================================================================
# 4. Pulse trains
# ============================================================================================
@dataclass(frozen=True)
class PulseTrainRuns:
    """A pulse train in its periodic steady state, and the first pulse into a dark film.

    Attributes
    ----------
    steady : lerbook.recombination.PulseTrainResult
        The periodic steady state.
    first : lerbook.recombination.TrapResult
        The decay after a single pulse from the dark state, on the same times.
    """

    steady: recombination.PulseTrainResult
    first: recombination.TrapResult


class PulseTrainView:
    """One period of a pulse train in its periodic steady state, against the first pulse.

    Left: PL [cm^-3 s^-1] over one period (log), in the periodic steady state and after the
    first pulse into a film in the dark. Right: free electrons, free holes and trapped
    electrons over the same period, with the density one pulse injects dotted.

    Parameters
    ----------
    runs : PulseTrainRuns
        The periodic steady state and the first pulse.
    """

    @styled
    def __init__(self, runs: PulseTrainRuns):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.6)
        self.ax_pl, self.ax_pop = axes[0]
        (self.first_line,) = self.ax_pl.plot([], [], color=COLORS[6], ls="--", lw=1.2,
                                             label="first pulse (film in the dark)")
        (self.pl_line,) = self.ax_pl.plot([], [], color=COLORS[1],
                                          label="periodic steady state")
        self.ax_pl.set(yscale="log", ylabel=f"PL = Bnp [{CM3} {PER_S}]")
        decade_axes(self.ax_pl, y=True)
        self.ax_pl.legend(loc="lower left")
        names = ("free electrons n", "free holes p", "trapped electrons n\u209c")
        colors = (COLORS[0], COLORS[4], COLORS[2])
        self.pop_lines = [self.ax_pop.plot([], [], color=c, label=name)[0]
                          for name, c in zip(names, colors, strict=True)]
        self.pulse_line = self.ax_pop.axhline(1.0, color=COLORS[6], ls=":", lw=1,
                                              label="one pulse")
        self.ax_pop.set(yscale="log", ylabel=f"density [{CM3}]")
        decade_axes(self.ax_pop, y=True)
        self.ax_pop.legend(loc="upper left", fontsize=8, ncol=2)
        self.update(runs)

    @styled
    def update(self, runs: PulseTrainRuns):
        """Redraw with a new steady state and first-pulse decay, in place.

        Parameters
        ----------
        runs : PulseTrainRuns
            The runs to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        result, first = runs.steady, runs.first
        t, unit = time_axis(result.t)
        self.pl_line.set_data(t, positive(result.pl))
        self.first_line.set_data(t, positive(first.pl))
        _log_limits(self.ax_pl, np.maximum(result.pl, first.pl), decades=5.0)
        for line, values in zip(self.pop_lines, (result.n, result.p, result.n_t), strict=True):
            line.set_data(t, positive(values))
        self.pulse_line.set_ydata([result.n_pulse, result.n_pulse])
        top = max(float(np.max(result.n)), float(np.max(result.p)), float(np.max(result.n_t)),
                  result.n_pulse)
        _log_limits(self.ax_pop, top, decades=5.0, margin=100.0)  # room for the legend
        for ax in (self.ax_pl, self.ax_pop):
            ax.set_xlim(t[0], t[-1])
            ax.set_xlabel(f"time since the last pulse [{unit}]")
        self.ax_pl.set_title(f"{rate_text(result.repetition_rate)}, one pulse = "
                             f"{scientific(result.n_pulse, CM3)}")
        self.ax_pop.set_title(f"left over from earlier pulses: {result.leftover_fraction:.3g} "
                              f"pulses' worth")
        return self.fig


@styled
def plot_pulse_train_family(results, firsts, sweep_rates, sweep_leftovers, sweep_yields,
                            sweep_labels, title: str = "") -> Figure:
    """Periodic steady states at several repetition rates, and what accumulates.

    Top: one period of PL at each repetition rate, steady state against the first pulse.
    Bottom: the leftover fraction and the photons per pulse per pair (the PLQY of the
    train) against the repetition rate, one curve per parameter set.

    Parameters
    ----------
    results : sequence of PulseTrainResult
        Periodic steady states, one small panel each.
    firsts : sequence of TrapResult or DecayResult
        The first-pulse decay for each, on the same times.
    sweep_rates : array_like
        Repetition rates of the sweep [Hz].
    sweep_leftovers : sequence of array_like
        Leftover fraction (holes before a pulse / pairs per pulse) at each rate, one array
        per curve [dimensionless].
    sweep_yields : sequence of array_like
        Photons emitted per period per pair injected at each rate [dimensionless].
    sweep_labels : sequence of str
        One label per curve.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One small panel per steady state above, the two sweeps below.
    """
    fig = Figure(figsize=(11.0, 6.2), layout="constrained")
    top = [f"p{i}" for i in range(len(results))]
    half = len(results) // 2
    mosaic = [top, ["sweep"] * half + ["yield"] * (len(results) - half)]
    axes = fig.subplot_mosaic(mosaic, gridspec_kw={"height_ratios": [1.0, 1.1]})
    for ax in axes.values():
        ax.set_prop_cycle(color=COLORS)
    for i, (result, first) in enumerate(zip(results, firsts, strict=True)):
        ax = axes[f"p{i}"]
        t, unit = time_axis(result.t)
        ax.plot(t, positive(first.pl), color=COLORS[6], ls="--", lw=1.2, label="first pulse")
        ax.plot(t, positive(result.pl), color=COLORS[1], label="steady state")
        ax.set_yscale("log")
        decade_axes(ax, y=True)
        _log_limits(ax, np.maximum(result.pl, first.pl), decades=5.0)
        ax.set_xlim(t[0], t[-1])
        ax.set_xlabel(f"time since the pulse [{unit}]")
        ax.set_title(f"{rate_text(result.repetition_rate)}\n"
                     f"leftover {result.leftover_fraction:.2g} pulses")
    axes["p0"].set_ylabel(r"PL [cm$^{-3}$ s$^{-1}$]")
    axes["p0"].legend(loc="upper right", fontsize=8)
    ax_left, ax_yield = axes["sweep"], axes["yield"]
    for j, label in enumerate(sweep_labels):
        color = COLORS[j % len(COLORS)]
        ax_left.plot(sweep_rates, sweep_leftovers[j], "o-", color=color, label=label, ms=4)
        ax_yield.plot(sweep_rates, sweep_yields[j], "o-", color=color, label=label, ms=4)
    ax_left.axhline(1.0, color=COLORS[6], ls=":", lw=1)
    ax_left.set(xscale="log", yscale="log", xlabel="repetition rate [Hz]",
                ylabel="holes left before a pulse\n/ pairs per pulse")
    ax_yield.set(xscale="log", xlabel="repetition rate [Hz]",
                 ylabel="photons per pulse / pairs per pulse", ylim=(0.0, 1.05))
    decade_axes(ax_left, x=True, y=True)
    decade_axes(ax_yield, x=True)
    ax_left.legend(loc="upper left", fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


# ============================================================================================
# 5. Fitting TCSPC data
# ============================================================================================
_MODEL_LABELS = {"mono": "mono-exponential", "bi": "bi-exponential", "abc": "ABC model",
                 "trap": "trap model"}
_MODEL_COLORS = {"mono": COLORS[0], "bi": COLORS[1], "abc": COLORS[2], "trap": COLORS[3]}


def _model_color(fit, index: int) -> str:
    """The colour of a model, the same in every figure (by position for other models)."""
    return _MODEL_COLORS.get(fit.model, COLORS[index % len(COLORS)])


def _delta(value: float) -> str:
    """A difference of information criteria: whole numbers above 10, one decimal below."""
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _preferred(fits, criterion: str) -> str:
    return min(fits, key=lambda fit: getattr(fit, criterion)).model


@dataclass(frozen=True)
class ModelFits:
    """A TCSPC histogram and the models fitted to it.

    Attributes
    ----------
    data : lerbook.fitting.TRPLData
        The histogram.
    fits : sequence of lerbook.fitting.FitResult
        The fits to compare (same channels), e.g. mono, bi and ABC.
    """

    data: fitting.TRPLData
    fits: Sequence[fitting.FitResult]


class FitView:
    """A TCSPC histogram, the models fitted to it and their residuals.

    Left: the counts per channel (grey) with each fitted model (log counts against time).
    Right: the weighted residuals of each model in its own panel, with its reduced
    chi^2 and its AIC and BIC relative to the best model.

    Parameters
    ----------
    fitted : ModelFits
        The histogram and its fits.
    """

    @styled
    def __init__(self, fitted: ModelFits):
        fits = list(fitted.fits)
        self.fig = Figure(figsize=(10.0, 4.6), layout="constrained")
        names = [fit.model for fit in fits]
        axes = self.fig.subplot_mosaic([["data", name] for name in names],
                                       gridspec_kw={"width_ratios": [1.25, 1.0]})
        self.ax_data = axes["data"]
        self.ax_res = [axes[name] for name in names]
        for ax in axes.values():
            ax.set_prop_cycle(color=COLORS)
        (self.data_line,) = self.ax_data.plot([], [], ".", color="0.6", ms=1.5, label="counts")
        self.fit_lines = [self.ax_data.plot([], [], color=_model_color(fit, i), lw=1.4,
                                            label=_MODEL_LABELS.get(fit.model, fit.model))[0]
                          for i, fit in enumerate(fits)]
        self.ax_data.set(yscale="log", ylabel="counts per channel")
        decade_axes(self.ax_data, y=True)
        self.ax_data.legend(loc="upper right")
        self.res_lines = []
        for i, ax in enumerate(self.ax_res):
            (line,) = ax.plot([], [], color=_model_color(fits[i], i), lw=0.6)
            ax.axhline(0.0, color=COLORS[6], lw=0.8)
            ax.set_ylabel("residual", fontsize=8)
            ax.tick_params(labelsize=8)
            if i < len(self.ax_res) - 1:
                ax.tick_params(labelbottom=False)
            self.res_lines.append(line)
        self.update(fitted)

    @styled
    def update(self, fitted: ModelFits):
        """Redraw with a new histogram and fits, in place.

        Parameters
        ----------
        fitted : ModelFits
            The histogram and its fits (the same models as the first).

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        data, fits = fitted.data, list(fitted.fits)
        unit, scale = readable_time_unit(float(data.t[-1] - data.t[0]))
        t = data.t / scale
        counts = np.asarray(data.counts, dtype=float)
        self.data_line.set_data(t, np.where(counts > 0, counts, np.nan))
        for line, fit in zip(self.fit_lines, fits, strict=True):
            line.set_data(t, positive(fit.fitted))
        peak = max(float(np.max(counts)), 1.0)
        self.ax_data.set_ylim(0.5, 2.0 * peak)
        self.ax_data.set_xlim(t[0], t[-1])
        self.ax_data.set_xlabel(f"time [{unit}]")
        best_aic = min(fit.aic for fit in fits)
        best_bic = min(fit.bic for fit in fits)
        for ax, line, fit in zip(self.ax_res, self.res_lines, fits, strict=True):
            line.set_data(t, fit.residuals)
            spread = float(np.percentile(np.abs(fit.residuals[fit.mask]), 99.5))
            limit = min(max(5.0, 1.2 * spread), 60.0)
            ax.set_ylim(-limit, limit)
            ax.set_xlim(t[0], t[-1])
            ax.set_title(f"{_MODEL_LABELS.get(fit.model, fit.model)}: "
                         f"reduced \u03c7\u00b2 = {fit.chi2_reduced:.2f}, "
                         f"\u0394AIC = {_delta(fit.aic - best_aic)}, "
                         f"\u0394BIC = {_delta(fit.bic - best_bic)}", fontsize=8)
        self.ax_res[-1].set_xlabel(f"time [{unit}]")
        by_aic, by_bic = _preferred(fits, "aic"), _preferred(fits, "bic")
        self.ax_data.set_title(
            f"{data.counts.sum():.2g} counts: AIC prefers {_MODEL_LABELS.get(by_aic, by_aic)}, "
            f"BIC {_MODEL_LABELS.get(by_bic, by_bic)}", fontsize=9)
        return self.fig


def plot_fit(data, fits) -> Figure:
    """Figure of a histogram with its fits and residuals (see :class:`FitView`).

    Parameters
    ----------
    data : lerbook.fitting.TRPLData
        The histogram.
    fits : sequence of lerbook.fitting.FitResult
        The fits to compare (same channels).

    Returns
    -------
    matplotlib.figure.Figure
        The counts with the fits, and each model's residuals.
    """
    return FitView(ModelFits(data, tuple(fits))).fig


@styled
def plot_fit_family(datasets, fit_sets, title: str = "") -> Figure:
    """The same model comparison on several histograms, side by side.

    Each column: the counts with the fitted models, labelled with their AIC and BIC
    relative to the best (top), and each model's residuals offset below one another,
    clipped at +-6 (bottom).

    Parameters
    ----------
    datasets : sequence of TRPLData
        Histograms, one column each.
    fit_sets : sequence of sequences of FitResult
        The fits of each histogram (same models in the same order).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One column per histogram.
    """
    columns = len(datasets)
    fig, axes = new_figure(2, columns, width=3.6 * columns + 0.6, height=5.8,
                           gridspec_kw={"height_ratios": [1.3, 1.0]})
    offset = 12.0
    for j, (data, fits) in enumerate(zip(datasets, fit_sets, strict=True)):
        ax_data, ax_res = axes[0, j], axes[1, j]
        unit, scale = readable_time_unit(float(data.t[-1] - data.t[0]))
        t = data.t / scale
        counts = np.asarray(data.counts, dtype=float)
        ax_data.plot(t, np.where(counts > 0, counts, np.nan), ".", color="0.6", ms=1.5)
        best_aic = min(fit.aic for fit in fits)
        best_bic = min(fit.bic for fit in fits)
        for i, fit in enumerate(fits):
            label = (f"{fit.model}: \u0394AIC {_delta(fit.aic - best_aic)}, "
                     f"\u0394BIC {_delta(fit.bic - best_bic)}")
            ax_data.plot(t, positive(fit.fitted), color=_model_color(fit, i), lw=1.3,
                         label=label)
            shift = -offset * i
            ax_res.plot(t, np.clip(fit.residuals, -offset / 2, offset / 2) + shift,
                        color=_model_color(fit, i), lw=0.5)
            ax_res.axhline(shift, color=COLORS[6], lw=0.6)
        ax_data.set(yscale="log", ylim=(0.5, 3.0 * max(float(counts.max()), 1.0)),
                    xlim=(t[0], t[-1]))
        decade_axes(ax_data, y=True)
        ax_data.legend(loc="upper right", fontsize=7, handlelength=1.2)
        ax_res.set(xlim=(t[0], t[-1]), ylim=(-offset * (len(fits) - 0.5), offset / 2),
                   xlabel=f"time [{unit}]")
        ax_res.set_yticks([-offset * i for i in range(len(fits))],
                          [fit.model for fit in fits])
        by_aic, by_bic = _preferred(fits, "aic"), _preferred(fits, "bic")
        ax_data.set_title(f"{data.counts.sum():.1e} counts: AIC prefers {by_aic}, "
                          f"BIC {by_bic}", fontsize=9)
    axes[0, 0].set_ylabel("counts per channel")
    axes[1, 0].set_ylabel("residuals (offset, clipped at $\\pm$6)")
    if title:
        fig.suptitle(title)
    return fig
