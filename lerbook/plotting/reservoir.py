"""Views of the reservoir chapter: the lumped energy balance and the 2D nanodomain."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lerbook.plotting.core import COLORS, new_figure, styled, time_axis
from lerbook.reservoir import Nanodomain2DResult
from lerbook.units import readable_time_unit


class EnergyBalanceView:
    """Injected power and stored energy of the lumped reservoir against time.

    Top: the injected phonon power density p(t) [W cm^-3]. Bottom: the temperature
    rise of the reservoir U/C_v [K] with its steady state p tau / C_v dashed.

    Parameters
    ----------
    result : lerbook.reservoir.EnergyBalanceResult
        The solution to draw.
    """

    @styled
    def __init__(self, result):
        self.fig, axes = new_figure(1, 2, width=8.5, height=3.2)
        self.ax_power, self.ax_heat = axes[0]
        t, unit = time_axis(result.t)
        (self.power_line,) = self.ax_power.plot(t, result.power_density, color=COLORS[1])
        (self.heat_line,) = self.ax_heat.plot(t, result.temperature_rise, color=COLORS[0],
                                              label="reservoir")
        self.steady_line = self.ax_heat.axhline(0.0, color=COLORS[6], ls="--", lw=1,
                                                label=r"steady state $p\tau/C_v$")
        self.ax_power.set_ylabel(r"injected power $p$ [W cm$^{-3}$]")
        self.ax_heat.set_ylabel(r"temperature rise $\Delta T$ [K]")
        self.ax_heat.legend(loc="upper right")
        self.update(result)

    @styled
    def update(self, result):
        """Redraw with a new result, in place.

        Parameters
        ----------
        result : lerbook.reservoir.EnergyBalanceResult
            The solution to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        t, unit = time_axis(result.t)
        self.power_line.set_data(t, result.power_density)
        self.heat_line.set_data(t, result.temperature_rise)
        steady = np.max(result.power_density) * result.lifetime / result.params.heat_capacity
        self.steady_line.set_ydata([steady, steady])
        for ax in (self.ax_power, self.ax_heat):
            ax.set_xlabel(f"time [{unit}]")
            ax.set_xlim(t[0], t[-1])
            ax.relim()
            ax.autoscale_view(scalex=False)
        self.ax_heat.set_ylim(0, 1.15 * max(steady, np.max(result.temperature_rise), 1e-300))
        self.ax_power.set_ylim(0, 1.15 * max(np.max(result.power_density), 1e-300))
        return self.fig


@styled
def plot_energy_balance_family(results, labels, title: str = "") -> Figure:
    """Several energy-balance solutions on one figure, normalised time and energy.

    Parameters
    ----------
    results : sequence of EnergyBalanceResult
        Solutions to overlay.
    labels : sequence of str
        One legend label per result.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Left: temperature rise [K] against time (log scale); right: the same normalised,
        against time over the lifetime.
    """
    fig, axes = new_figure(1, 2, width=8.5, height=3.2)
    ax_abs, ax_norm = axes[0]
    unit, scale = readable_time_unit(max(np.max(r.t) for r in results))
    for result, label in zip(results, labels, strict=True):
        ax_abs.plot(result.t / scale, result.temperature_rise, label=label)
        ax_norm.plot(result.t / result.lifetime, result.temperature_rise /
                     max(np.max(result.temperature_rise), 1e-300), label=label)
    ax_abs.set(xlabel=f"time [{unit}]", ylabel=r"temperature rise $\Delta T$ [K]")
    ax_abs.set_yscale("log")
    ax_norm.set(xlabel=r"time / lifetime $t/\tau$", ylabel=r"$\Delta T / \Delta T_{max}$")
    ax_abs.legend(loc="lower right")
    if title:
        fig.suptitle(title)
    return fig


@dataclass(frozen=True)
class NanodomainFrame:
    """A 2D nanodomain run and the time at which its map is shown.

    Attributes
    ----------
    run : lerbook.reservoir.Nanodomain2DResult
        The solution.
    index : int
        Index into ``run.t`` of the temperature map shown (-1: the last).
    """

    run: Nanodomain2DResult
    index: int = -1


class NanodomainView:
    """A 2D nanodomain under phonon injection: temperature map and energies.

    Left: the temperature rise [K] across the cross-section at one time, with the
    domain boundary outlined. Right: energy in the domain and in the whole cell
    against time, with the injected energy, and a marker at the shown time.

    Parameters
    ----------
    frame : NanodomainFrame
        The solution and the time index of the map.
    """

    @styled
    def __init__(self, frame: NanodomainFrame):
        result, index = frame.run, frame.index
        self.fig, axes = new_figure(1, 2, width=8.5, height=3.4)
        self.ax_map, self.ax_energy = axes[0]
        self.ax_map.grid(False)
        p = result.params
        extent = (0.0, p.box_size_nm, 0.0, p.box_size_nm)
        self.image = self.ax_map.imshow(result.temperature_rise[index], origin="lower",
                                        extent=extent, cmap="inferno", interpolation="nearest")
        self.colorbar = self.fig.colorbar(self.image, ax=self.ax_map,
                                          label=r"temperature rise $\Delta T$ [K]")
        low = (p.box_size_nm - p.domain_size_nm) / 2
        self.outline = self.ax_map.plot(
            [low, low + p.domain_size_nm, low + p.domain_size_nm, low, low],
            [low, low, low + p.domain_size_nm, low + p.domain_size_nm, low],
            color="white", ls="--", lw=1)[0]
        self.ax_map.set(xlabel="x [nm]", ylabel="y [nm]")
        (self.domain_line,) = self.ax_energy.plot([], [], label="in the domain")
        (self.total_line,) = self.ax_energy.plot([], [], label="whole cell")
        (self.injected_line,) = self.ax_energy.plot([], [], ls=":", color=COLORS[6],
                                                    label="injected")
        (self.marker,) = self.ax_energy.plot([], [], "o", color=COLORS[1])
        self.ax_energy.set_ylabel(r"energy per depth [pJ m$^{-1}$]")
        self.ax_energy.legend(loc="upper left")
        self.update(frame)

    @styled
    def update(self, frame: NanodomainFrame):
        """Redraw with a new solution (or another time index), in place.

        Parameters
        ----------
        frame : NanodomainFrame
            The solution and the time index of the map.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        result, index = frame.run, frame.index
        field = result.temperature_rise[index]
        p = result.params
        self.image.set_data(field)
        self.image.set_extent((0.0, p.box_size_nm, 0.0, p.box_size_nm))
        self.image.set_clim(0.0, max(float(np.max(result.temperature_rise)), 1e-300))
        low = (p.box_size_nm - p.domain_size_nm) / 2
        high = low + p.domain_size_nm
        self.outline.set_data([low, high, high, low, low], [low, low, high, high, low])
        t, unit = time_axis(result.t)
        pico = 1e12
        self.domain_line.set_data(t, result.energy_domain * pico)
        self.total_line.set_data(t, result.energy_total * pico)
        self.injected_line.set_data(t, result.injected_energy * pico)
        self.marker.set_data([t[index]], [result.energy_domain[index] * pico])
        self.ax_map.set_title(f"t = {t[index]:.3g} {unit}")
        self.ax_energy.set_xlabel(f"time [{unit}]")
        self.ax_energy.set_xlim(t[0], t[-1])
        self.ax_energy.set_ylim(0, 1.1 * max(np.max(result.injected_energy),
                                             np.max(result.energy_total)) * pico + 1e-300)
        return self.fig


@styled
def plot_nanodomain_panels(results, labels, index: int = -1, title: str = "") -> Figure:
    """Temperature maps of several 2D solutions side by side, on one colour scale.

    Parameters
    ----------
    results : sequence of Nanodomain2DResult
        Solutions to show (one panel each).
    labels : sequence of str
        One panel title per result.
    index : int
        Time index of the maps.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One temperature-rise map [K] per result, with the share of the energy in the domain.
    """
    fig, axes = new_figure(1, len(results), width=2.9 * len(results) + 1.2, height=3.0)
    vmax = max(float(np.max(r.temperature_rise[index])) for r in results)
    for ax, result, label in zip(axes[0], results, labels, strict=True):
        ax.grid(False)
        size = result.params.box_size_nm
        image = ax.imshow(result.temperature_rise[index], origin="lower", cmap="inferno",
                          extent=(0, size, 0, size), vmin=0, vmax=vmax, interpolation="nearest")
        share = 100 * result.fraction_in_domain[index]
        ax.set_title(f"{label}\n{share:.0f}% of the energy in the domain")
        ax.set_xlabel("x [nm]")
    axes[0][0].set_ylabel("y [nm]")
    fig.colorbar(image, ax=list(axes[0]), label=r"temperature rise $\Delta T$ [K]")
    if title:
        fig.suptitle(title)
    return fig


@styled
def plot_reservoir_density(results, labels, title: str = "") -> Figure:
    """Reservoir density under an illumination protocol, for several parameter sets.

    Top: the phonon power density that drives the reservoirs [W cm^-3]. Bottom: the
    reservoir density relative to its maximum, n_LER / n_max [-].

    Parameters
    ----------
    results : sequence of lerbook.reservoir.ReservoirDensityResult
        Solutions to overlay (they share the time axis of the first).
    labels : sequence of str
        One legend label per result.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Top: the drive; bottom: the relative reservoir densities.
    """
    fig, axes = new_figure(2, 1, width=7.0, height=4.4, sharex=True,
                           gridspec_kw={"height_ratios": [1, 2.5]})
    ax_drive, ax_density = axes[:, 0]
    t, unit = time_axis(results[0].t)
    ax_drive.fill_between(t, results[0].power_density, step="mid", color=COLORS[4], alpha=0.5)
    ax_drive.set_ylabel("$p$ [W cm$^{-3}$]")
    for result, label in zip(results, labels, strict=True):
        ax_density.plot(time_axis(result.t)[0], result.relative_density, label=label)
    ax_density.set(xlabel=f"time [{unit}]", ylabel=r"$n_\mathrm{LER} / n_\mathrm{max}$",
                   ylim=(0, None))
    ax_density.legend(loc="upper right")
    if title:
        fig.suptitle(title)
    return fig
