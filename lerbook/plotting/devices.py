"""Views of the devices chapter: open-circuit voltage and PLQY, hot-carrier extraction.

Live views use plain Unicode labels (no mathtext) and fixed axis limits, so a slider move
redraws only the curves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lerbook.devices import DeviceVoltage
from lerbook.plotting.core import COLORS, new_figure, styled

__all__ = ["VocScan", "VocView", "plot_voc_family", "plot_hot_carrier_extraction"]


@dataclass(frozen=True)
class VocScan:
    """A cell at the chosen reservoir density, the same cell without reservoir, and the
    one-sun PLQY over a range of reservoir densities.

    Attributes
    ----------
    n_ler : float
        Chosen reservoir density [cm^-3].
    cell, conventional : lerbook.devices.DeviceVoltage
        Against illumination [suns], with ``n_ler`` and with none.
    densities : numpy.ndarray
        Reservoir densities of the scan [cm^-3].
    internal_plqy, external_plqy : numpy.ndarray
        One-sun yields at those densities [-].
    """

    n_ler: float
    cell: DeviceVoltage
    conventional: DeviceVoltage
    densities: np.ndarray
    internal_plqy: np.ndarray
    external_plqy: np.ndarray


class VocView:
    """Left: V_oc against illumination, with and without the reservoir, and the radiative
    limit; right: internal and external PLQY at one sun against the reservoir density, with
    the current density marked.

    Parameters
    ----------
    result : VocScan
        The cells and the PLQY scan to draw.
    """

    @styled
    def __init__(self, result: VocScan):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.3)
        self.ax_v, self.ax_q = axes[0]
        (self.rad,) = self.ax_v.semilogx([], [], color=COLORS[6], ls=":",
                                         label="radiative limit")
        (self.conv,) = self.ax_v.semilogx([], [], color=COLORS[1], ls="--",
                                          label="no reservoir")
        (self.ler,) = self.ax_v.semilogx([], [], color=COLORS[0], label="with reservoir")
        self.ax_v.set_xlabel("illumination [suns]")
        self.ax_v.set_ylabel("V_oc [V]")
        self.ax_v.set_xlim(result.cell.suns[0], result.cell.suns[-1])
        self.ax_v.set_ylim(0.85, 1.40)
        self.ax_v.legend(loc="lower right")
        (self.q_int,) = self.ax_q.loglog(result.densities, result.internal_plqy,
                                         color=COLORS[2], label="internal")
        (self.q_ext,) = self.ax_q.loglog(result.densities, result.external_plqy,
                                         color=COLORS[0], label="external")
        self.marker = self.ax_q.axvline(result.n_ler, color=COLORS[1], ls="--", lw=1)
        self.ax_q.set_xlabel("reservoir density n_LER [cm⁻³]")
        self.ax_q.set_ylabel("PLQY at one sun")
        self.ax_q.set_xlim(result.densities[0], result.densities[-1])
        self.ax_q.set_ylim(1e-4, 1.5)
        self.ax_q.legend(loc="lower right")
        self.update(result)

    def update(self, result: VocScan):
        """Redraw with a new scan, in place.

        Parameters
        ----------
        result : VocScan
            The scan to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        cell, conv = result.cell, result.conventional
        self.rad.set_data(cell.suns, cell.voc_radiative)
        self.conv.set_data(conv.suns, conv.voc)
        self.ler.set_data(cell.suns, cell.voc)
        self.q_int.set_data(result.densities, result.internal_plqy)
        self.q_ext.set_data(result.densities, result.external_plqy)
        self.marker.set_xdata([result.n_ler, result.n_ler])
        return self.fig


@styled
def plot_voc_family(densities, cells) -> Figure:
    """V_oc against illumination for several reservoir densities (left) and the
    non-radiative voltage loss at one sun against the reservoir density (right).

    Parameters
    ----------
    densities : sequence of float
        Reservoir densities [cm^-3] of the cells, 0 allowed.
    cells : sequence of lerbook.devices.DeviceVoltage
        One run per density, over the same illuminations.

    Returns
    -------
    matplotlib.figure.Figure
        Left: V_oc [V] against illumination [suns]; right: the non-radiative loss [mV].
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.4)
    ax_v, ax_loss = axes[0]
    ax_v.semilogx(cells[0].suns, cells[0].voc_radiative, color=COLORS[6], ls=":",
                  label="radiative limit")
    for n, cell, color in zip(densities, cells, COLORS, strict=False):
        label = "no reservoir" if n == 0 else f"$n_{{LER}}$ = {n:.0e} cm$^{{-3}}$"
        ax_v.semilogx(cell.suns, cell.voc, color=color, label=label)
    ax_v.set_xlabel("illumination [suns]")
    ax_v.set_ylabel("$V_{oc}$ [V]")
    ax_v.legend(loc="lower right", fontsize=8)
    one_sun = [int(np.argmin(abs(np.log(c.suns)))) for c in cells]
    loss = [1e3 * c.nonradiative_loss[i] for c, i in zip(cells, one_sun, strict=True)]
    x = [max(n, 1e13) for n in densities]
    ax_loss.semilogx(x, loss, "o-", color=COLORS[0])
    ax_loss.set_xlabel("reservoir density $n_{LER}$ [cm$^{-3}$] (no reservoir at left)")
    ax_loss.set_ylabel("$V_{oc,rad} - V_{oc}$ at one sun [mV]")
    ax_loss.set_ylim(0, 1.1 * max(loss))
    return fig


@styled
def plot_hot_carrier_extraction(extractions, labels) -> Figure:
    """Share of the initial excess energy kept against the extraction time.

    Parameters
    ----------
    extractions : sequence of lerbook.devices.HotCarrierExtraction
        Runs to draw, two per colour (solid, then dashed).
    labels : sequence of str
        One legend label per run.

    Returns
    -------
    matplotlib.figure.Figure
        The retained share of the excess energy [-] against the extraction time [ps].
    """
    fig, axes = new_figure(1, 1, width=6.5, height=3.4)
    ax = axes[0, 0]
    styles = ("-", "--", "-", "--", "-", "--")
    for k, (ext, label) in enumerate(zip(extractions, labels, strict=True)):
        ax.semilogx(1e12 * ext.extraction_time, ext.retained_fraction,
                    color=COLORS[k // 2], ls=styles[k], label=label)
    ax.axhline(0.5, color=COLORS[6], lw=0.8, ls=":")
    ax.set_xlabel(r"mean extraction time $\tau_{ext}$ [ps]")
    ax.set_ylabel("share of excess energy kept")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)
    return fig
