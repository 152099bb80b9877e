"""Figures of the model-comparison lab: data with competing fits, their residuals, and the
experiments that separate the candidates."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from lerbook.plotting.core import COLORS, new_figure, styled

__all__ = ["plot_trpl_comparison", "plot_upconversion_comparison", "plot_discriminators"]


@styled
def plot_trpl_comparison(comparison, models=("reservoir", "passivation")) -> Figure:
    """TRPL decays at every soak time with two candidates' fits (top) and each candidate's
    deviance residuals against time (bottom).

    Parameters
    ----------
    comparison : lerbook.comparison.Comparison
        A comparison on a TRPL dataset.
    models : pair of str
        The two candidates to draw.

    Returns
    -------
    matplotlib.figure.Figure
        One column per candidate: decays with fits [counts], and residuals.
    """
    data = comparison.dataset
    t, soak = data.x["t"], data.x["soak"]
    fig, axes = new_figure(2, 2, width=9.0, height=5.4, sharex=True)
    for col, name in enumerate(models):
        fit = comparison.fits[name]
        ax, ax_r = axes[0, col], axes[1, col]
        for k, s in enumerate(np.unique(soak)):
            rows = soak == s
            color = COLORS[k % len(COLORS)]
            ax.semilogy(1e9 * t[rows], data.y[rows], ".", ms=1.5, color=color, alpha=0.5)
            ax.semilogy(1e9 * t[rows], fit.fitted[rows], color=color, lw=1.2,
                        label=f"{s:.0f} s")
            ax_r.plot(1e9 * t[rows], fit.residuals[rows], ".", ms=1.0, color=color, alpha=0.5)
        ax.set_ylim(0.5, 1.5 * data.y.max())
        ax.set_title(f"{name}: ΔAIC = {comparison.delta_aic[name]:.0f}, "
                     f"χ²/dof = {fit.chi2_reduced:.2f}")
        ax_r.axhline(0.0, color=COLORS[6], lw=0.8)
        ax_r.set_ylim(-6, 6)
        ax_r.set_xlabel("time after the pulse [ns]")
        if col == 0:
            ax.set_ylabel("counts per channel")
            ax_r.set_ylabel("deviance residual")
            ax.legend(title="soak", fontsize=7, title_fontsize=8, ncol=2)
    return fig


@styled
def plot_upconversion_comparison(comparison) -> Figure:
    """Upconversion yield against pump power at each temperature with every candidate's fit
    (one panel per candidate).

    Parameters
    ----------
    comparison : lerbook.comparison.Comparison
        A comparison on an upconversion dataset (pump power [mW cm^-2], temperature [K]).

    Returns
    -------
    matplotlib.figure.Figure
        One panel per candidate.
    """
    data = comparison.dataset
    power, temperature = data.x["power"], data.x["temperature"]
    names = list(comparison.fits)
    fig, axes = new_figure(1, len(names), width=9.5, height=3.3, sharey=True)
    for ax, name in zip(axes[0], names, strict=True):
        fit = comparison.fits[name]
        for k, temp in enumerate(np.unique(temperature)):
            rows = temperature == temp
            color = COLORS[k % len(COLORS)]
            ax.loglog(power[rows], data.y[rows], "o", ms=3, color=color)
            ax.loglog(power[rows], fit.fitted[rows], color=color, lw=1.2, label=f"{temp:.0f} K")
        ax.set_title(f"{name}: ΔAIC = {comparison.delta_aic[name]:.0f}")
        ax.set_xlabel("pump power [mW cm$^{-2}$]")
    axes[0, 0].set_ylabel("upconversion yield")
    axes[0, 0].legend(fontsize=7)
    return fig


@styled
def plot_discriminators(photon_energy, soak_reservoir, soak_passivation, t, switch_on) -> Figure:
    """The two discriminating experiments of the lab.

    Parameters
    ----------
    photon_energy : array_like
        Excitation photon energies [eV].
    soak_reservoir, soak_passivation : array_like
        Predicted soak time constants at those energies [s].
    t : array_like
        Times after switching the pump on [s].
    switch_on : Mapping of str to array_like
        Predicted upconversion yield [-] against ``t`` for each candidate.

    Returns
    -------
    matplotlib.figure.Figure
        Left: soak time against photon energy; right: the switch-on transients.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.3)
    ax_e, ax_t = axes[0]
    ax_e.plot(photon_energy, soak_reservoir, color=COLORS[0], label="reservoir (fed by heat)")
    ax_e.plot(photon_energy, soak_passivation, color=COLORS[1], ls="--",
              label="passivation (driven by carriers)")
    ax_e.set_xlabel("excitation photon energy [eV]")
    ax_e.set_ylabel("soak time constant [s]")
    ax_e.set_ylim(0, 1.15 * max(np.max(soak_reservoir), np.max(soak_passivation)))
    ax_e.legend(fontsize=8)
    ax_e.set_title("same absorbed photon flux")
    for k, (name, y) in enumerate(switch_on.items()):
        ax_t.plot(t, y, color=COLORS[k], ls=("-", "--", ":")[k % 3], label=name)
    ax_t.set_xlabel("time after switching the pump on [s]")
    ax_t.set_ylabel("upconversion yield")
    ax_t.set_title("100 mW cm$^{-2}$, 300 K")
    ax_t.legend(fontsize=8)
    return fig
