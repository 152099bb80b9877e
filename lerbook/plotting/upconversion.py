"""Views of the upconversion chapter: the anti-Stokes spectrum, the power dependence with
its slope fits, the temperature dependence (Arrhenius), the optical-cooling balance, and the
reservoir's history.

Each view draws results of ``lerbook.upconversion`` and redraws new ones in place with
``update``; each ``plot_*_family`` function is the static form the website shows (several
slider positions on one figure). Energies are in eV on spectra and meV on detuning axes;
rates in cm^-3 s^-1. Text that changes on every slider move is plain Unicode, not mathtext,
which would be parsed again each time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lerbook import upconversion
from lerbook.plotting.core import COLORS, new_figure, positive, styled
from lerbook.plotting.labels import decade_axes, decade_below
from lerbook.units import BOLTZMANN_EV

_TINY = 1e-300
#: Axis labels in plain Unicode (mathtext would be parsed again on every slider move).
POWER_LABEL = "pump power density [mW cm\u207b\u00b2]"
DETUNING_LABEL = "detuning \u0394E = E_g \u2212 E_p [meV]"
_MEV = 1e3


def _log_ticks(ax, x: bool = False, y: bool = False):
    """Label the chosen logarithmic axes at their decades (at most 8), without minor ticks."""
    decade_axes(ax, x, y, numticks=8)


def _log_limits(ax, values, floor_decades: float = 12.0, margin: float = 3.0):
    """y limits of a log axis around finite positive values, at most ``floor_decades`` deep."""
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data) & (data > 0)]
    if data.size == 0:
        return
    top = float(data.max()) * margin
    bottom = max(float(data.min()) / margin, top / 10.0 ** floor_decades)
    ax.set_ylim(bottom, top)


# --------------------------------------------------------------------------------------------
# The anti-Stokes spectrum
# --------------------------------------------------------------------------------------------
class SpectrumView:
    """Absorption, emission and the anti-Stokes spectrum of a sample pumped below its gap.

    Left: the Urbach absorption edge and the band-edge emission that the van
    Roosbroeck-Shockley relation derives from it (each relative to its maximum, log scale),
    with the pump energy. Right: the PL spectrum [cm^-3 s^-1 eV^-1], solid above the pump
    (anti-Stokes) and dotted below it, with the laser line and the mean emitted energy.

    Parameters
    ----------
    result : lerbook.upconversion.AntiStokesSpectrum
        The spectrum to draw.
    """

    @styled
    def __init__(self, result):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.5)
        self.ax_edge, self.ax_pl = axes[0]
        ax = self.ax_edge
        (self.alpha_line,) = ax.semilogy([], [], color=COLORS[0],
                                         label="absorption \u03b1/\u03b1\u2080")
        (self.emission_line,) = ax.semilogy([], [], color=COLORS[2],
                                            label="emission (vRS)")
        self.pump_edge = ax.axvline(1.0, color=COLORS[1], lw=1.2, label="pump")
        (self.pump_marker,) = ax.plot([], [], "o", color=COLORS[1], ms=5)
        ax.set(xlabel="photon energy [eV]", ylabel="relative to its maximum", ylim=(1e-9, 5.0))
        _log_ticks(ax, y=True)
        ax.legend(loc="lower right")
        ax = self.ax_pl
        (self.anti_stokes_line,) = ax.plot([], [], color=COLORS[0], label="anti-Stokes")
        (self.stokes_line,) = ax.plot([], [], color=COLORS[0], ls=":", label="Stokes")
        self.laser_line = ax.axvline(1.0, color=COLORS[1], lw=1.2, label="laser")
        self.mean_line = ax.axvline(1.0, color=COLORS[2], ls="-.", lw=1.2,
                                    label="\u27e8E_f\u27e9")
        self.text = ax.text(0.97, 0.96, "", transform=ax.transAxes, ha="right", va="top")
        ax.set_xlabel("photon energy [eV]")
        ax.legend(loc="upper left")
        self.update(result)

    def update(self, result):
        """Redraw with a new spectrum, in place.

        Parameters
        ----------
        result : lerbook.upconversion.AntiStokesSpectrum
            The spectrum to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        e = result.energy
        alpha0 = result.params.material.alpha_above_gap
        self.alpha_line.set_data(e, positive(result.absorption / alpha0))
        shape = result.intensity / max(float(np.max(result.intensity)), _TINY)
        self.emission_line.set_data(e, positive(shape))
        pump = result.pump_energy
        self.pump_edge.set_xdata([pump, pump])
        self.pump_marker.set_data([pump], [math.exp(-result.detuning
                                                    / result.params.urbach_energy)])
        scale, label = decade_below(max(float(np.max(result.intensity)), _TINY))
        above = e >= pump
        self.anti_stokes_line.set_data(e, np.where(above, result.intensity / scale, np.nan))
        self.stokes_line.set_data(e, np.where(e <= pump, result.intensity / scale, np.nan))
        self.laser_line.set_xdata([pump, pump])
        self.mean_line.set_xdata([result.mean_energy, result.mean_energy])
        self.ax_pl.set_ylabel(f"PL [{label} cm\u207b\u00b3 s\u207b\u00b9 eV\u207b\u00b9]")
        self.ax_pl.set_ylim(0.0, 1.9 * float(np.nanmax(result.intensity)) / scale)
        for ax in (self.ax_edge, self.ax_pl):
            ax.set_xlim(e[0], e[-1])
        self.text.set_text(f"\u27e8E_f\u27e9 \u2212 E_p = {result.energy_gain * _MEV:.0f} meV\n"
                           f"{100 * result.anti_stokes_fraction:.0f}% anti-Stokes")
        return self.fig


@styled
def plot_spectrum_family(results, labels, title: str = "") -> Figure:
    """Anti-Stokes spectra at several pump detunings on one figure.

    Left: the absorption edge with each pump energy marked. Right: each spectrum
    [cm^-3 s^-1 eV^-1] on a logarithmic scale, with its laser line (dashed): the intensity
    follows the absorption at the pump, the shape stays that of the band-edge emission.

    Parameters
    ----------
    results : sequence of lerbook.upconversion.AntiStokesSpectrum
        Spectra to overlay (at the same pump power).
    labels : sequence of str
        One legend label per spectrum.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The absorption edge with the pumps, and the spectra.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.6)
    ax_edge, ax_pl = axes[0]
    widest = min(results, key=lambda r: r.energy[0])
    alpha0 = widest.params.material.alpha_above_gap
    ax_edge.semilogy(widest.energy, positive(widest.absorption / alpha0), color=COLORS[6],
                     label=r"absorption $\alpha/\alpha_0$")
    peaks = []
    for i, (result, label) in enumerate(zip(results, labels, strict=True)):
        color = COLORS[i % 6]
        factor = math.exp(-result.detuning / result.params.urbach_energy)
        ax_edge.plot([result.pump_energy], [factor], "o", color=color,
                     label=f"pump, {label}: \u03b1/\u03b1\u2080 = {factor:.1e}")
        ax_pl.semilogy(result.energy, positive(result.intensity), color=color,
                       label=f"{label}: \u27e8E_f\u27e9 \u2212 E_p = "
                             f"{result.energy_gain * _MEV:.0f} meV")
        ax_pl.axvline(result.pump_energy, color=color, lw=1.2, ls="--")
        peaks.append(float(np.max(result.intensity)))
    ax_edge.set(xlabel="photon energy [eV]", ylabel=r"$\alpha/\alpha_0$",
                xlim=(widest.energy[0], widest.energy[-1]))
    _log_ticks(ax_edge, y=True)
    ax_edge.legend(loc="lower right", fontsize=8)
    ax_pl.set(xlabel="photon energy [eV]", ylabel=r"PL [cm$^{-3}$ s$^{-1}$ eV$^{-1}$]",
              xlim=(widest.energy[0], widest.energy[-1]),
              ylim=(min(peaks) * 1e-3, max(peaks) * 1e5))
    _log_ticks(ax_pl, y=True)
    ax_pl.legend(loc="upper right", fontsize=8,
                 title=f"P = {results[0].power_density:g} mW cm\u207b\u00b2; dashed: lasers",
                 title_fontsize=8, frameon=True, facecolor="white", edgecolor="none",
                 framealpha=0.9)
    if title:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------------
# Power dependence
# --------------------------------------------------------------------------------------------
def _normalised(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return positive(values / values[0])


@dataclass(frozen=True)
class PowerRuns:
    """The one-photon power dependence and two-photon absorption over the same powers.

    Attributes
    ----------
    one_photon : lerbook.upconversion.PowerDependence
        The one-photon (phonon- and reservoir-assisted) paths.
    two_photon : lerbook.upconversion.PowerDependence
        Two-photon absorption alone.
    """

    one_photon: upconversion.PowerDependence
    two_photon: upconversion.PowerDependence


class PowerView:
    """Anti-Stokes PL against pump power, with two-photon absorption and the above-gap
    reference, and their ratios.

    Left: each PL relative to its value at the lowest power (log-log), with its fitted slope
    in the legend. Right: the ratio to the above-gap PL at equal absorbed pair generation,
    relative to its value at the lowest power (solid), and the upconversion yield read off
    the above-gap calibration (dashed).

    Parameters
    ----------
    runs : PowerRuns
        The one-photon paths and two-photon absorption.
    """

    @styled
    def __init__(self, runs: PowerRuns):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.5)
        self.ax_pl, self.ax_ratio = axes[0]
        ax = self.ax_pl
        (self.one_line,) = ax.loglog([], [], color=COLORS[0], label="one-photon")
        (self.two_line,) = ax.loglog([], [], color=COLORS[1], label="two-photon")
        (self.ref_line,) = ax.loglog([], [], color=COLORS[6], ls="--", lw=1.2,
                                     label="above gap")
        ax.set(xlabel=POWER_LABEL, ylabel="PL / PL at the lowest power")
        _log_ticks(ax, x=True, y=True)
        self.legend = ax.legend(loc="upper left")
        ax = self.ax_ratio
        (self.one_ratio,) = ax.loglog([], [], color=COLORS[0], label="one-photon")
        (self.two_ratio,) = ax.loglog([], [], color=COLORS[1], label="two-photon")
        (self.one_yield,) = ax.loglog([], [], color=COLORS[0], ls="--", lw=1.2)
        (self.two_yield,) = ax.loglog([], [], color=COLORS[1], ls="--", lw=1.2)
        ax.set(xlabel=POWER_LABEL,
               ylabel="ratio to above-gap PL\n(relative to the lowest power)")
        ax.set_title("solid: PL ratio, dashed: calibrated yield")
        _log_ticks(ax, x=True, y=True)
        ax.legend(loc="upper left")
        self.update(runs)

    def update(self, runs: PowerRuns):
        """Redraw with new results, in place.

        Parameters
        ----------
        runs : PowerRuns
            The runs to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        one_photon, two_photon = runs.one_photon, runs.two_photon
        p = one_photon.power_density
        curves = [_normalised(one_photon.pl), _normalised(two_photon.pl),
                  _normalised(one_photon.reference_pl)]
        for line, y in zip((self.one_line, self.two_line, self.ref_line), curves, strict=True):
            line.set_data(p, y)
        texts = self.legend.get_texts()
        texts[0].set_text(f"one-photon: slope {one_photon.fit.slope:.2f}")
        texts[1].set_text(f"two-photon: slope {two_photon.fit.slope:.2f}")
        texts[2].set_text(f"above gap: slope {one_photon.reference_fit.slope:.2f}")
        ratios = [_normalised(one_photon.pl_ratio), _normalised(two_photon.pl_ratio),
                  _normalised(one_photon.upconversion_yield),
                  _normalised(two_photon.upconversion_yield)]
        for line, y in zip((self.one_ratio, self.two_ratio, self.one_yield, self.two_yield),
                           ratios, strict=True):
            line.set_data(p, y)
        for ax, values in ((self.ax_pl, curves), (self.ax_ratio, ratios)):
            ax.set_xlim(p[0], p[-1])
            stacked = np.concatenate(values)
            ax.set_ylim(min(0.3, float(stacked.min()) / 3), float(stacked.max()) * 5)
        return self.fig


@styled
def plot_power_family(one_photon_runs, two_photon_runs, labels, title: str = "") -> Figure:
    """Power dependences of several samples: raw slopes differ, ratios tell the order.

    Left: one-photon anti-Stokes PL (solid) and two-photon PL (dashed), each relative to its
    value at the lowest power, slopes in the legend. Right: their ratios to the above-gap
    PL at equal absorbed pair generation, relative to the lowest power.

    Parameters
    ----------
    one_photon_runs, two_photon_runs : sequence of lerbook.upconversion.PowerDependence
        One-photon and two-photon runs, one pair per sample.
    labels : sequence of str
        One label per sample.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The PL against power, and the ratios to the above-gap PL.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.6)
    ax_pl, ax_ratio = axes[0]
    for i, (one, two, label) in enumerate(zip(one_photon_runs, two_photon_runs, labels,
                                              strict=True)):
        color = COLORS[i % 6]
        p = one.power_density
        ax_pl.loglog(p, _normalised(one.pl), color=color,
                     label=f"{label}: one-photon {one.fit.slope:.2f}, "
                           f"two-photon {two.fit.slope:.2f}")
        ax_pl.loglog(p, _normalised(two.pl), color=color, ls="--")
        ax_ratio.loglog(p, _normalised(one.pl_ratio), color=color, label=f"{label}")
        ax_ratio.loglog(p, _normalised(two.pl_ratio), color=color, ls="--")
    ax_pl.set(xlabel=r"pump power density [mW cm$^{-2}$]",
              ylabel="PL / PL at the lowest power")
    ax_pl.legend(loc="upper left", fontsize=8, title="fitted slopes (dashed: two-photon)",
                 title_fontsize=8)
    ax_ratio.set(xlabel=r"pump power density [mW cm$^{-2}$]",
                 ylabel="ratio to above-gap PL\n(relative to the lowest power)")
    _log_ticks(ax_pl, x=True, y=True)
    _log_ticks(ax_ratio, x=True, y=True)
    ax_ratio.legend(loc="upper left", fontsize=8, title="solid: one-photon, dashed: two-photon",
                    title_fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------------
# Temperature dependence
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TemperatureStudy:
    """The temperature dependence at one detuning and the rates at one temperature.

    Attributes
    ----------
    scan : lerbook.upconversion.TemperatureDependence
        Efficiency against temperature at the chosen detuning.
    rates : lerbook.upconversion.UpconversionRates
        Rates against detuning at the chosen temperature.
    temperature : float
        The chosen temperature [K].
    """

    scan: upconversion.TemperatureDependence
    rates: upconversion.UpconversionRates
    temperature: float


class TemperatureView:
    """Arrhenius plot of the upconversion efficiency, and the yield against detuning.

    Left: efficiency against 1/k_B T [eV^-1] (log scale; temperatures on the top axis): both
    paths (solid), phonon path alone (dashed), the fitted Arrhenius line (dotted) and the
    chosen temperature. Right: band carriers per incident photon relative to excitation at
    the gap, against the detuning: the Urbach absorption factor alone (the ceiling), the
    Boltzmann factor, the phonon path and the phonon plus reservoir paths.

    Parameters
    ----------
    study : TemperatureStudy
        The temperature scan, the rates and the chosen temperature (marked on the Arrhenius
        plot).
    """

    @styled
    def __init__(self, study: TemperatureStudy):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.6)
        self.ax_arr, self.ax_det = axes[0]
        ax = self.ax_arr
        (self.total_line,) = ax.semilogy([], [], color=COLORS[0], label="phonon + reservoir")
        (self.phonon_line,) = ax.semilogy([], [], color=COLORS[2], ls="--", label="phonon only")
        (self.fit_line,) = ax.semilogy([], [], color=COLORS[6], ls=":", lw=1.2,
                                       label="Arrhenius fit")
        (self.marker,) = ax.plot([], [], "o", color=COLORS[1], ms=5)
        ax.set(xlabel="1/k_BT [eV\u207b\u00b9]", ylabel="upconversion efficiency \u03b7")
        _log_ticks(ax, y=True)
        top = ax.secondary_xaxis("top", functions=(_inverse_kt, _inverse_kt))
        top.set_xticks([300, 200, 150, 100])
        top.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.0f} K"))
        ax.legend(loc="lower left")
        ax = self.ax_det
        (self.urbach_line,) = ax.semilogy([], [], color=COLORS[6], ls=":",
                                          label="absorption")
        (self.boltzmann_line,) = ax.semilogy([], [], color=COLORS[6], ls="--", lw=1,
                                             label="Boltzmann")
        (self.phonon_yield,) = ax.semilogy([], [], color=COLORS[2], label="\u00d7 phonon")
        (self.total_yield,) = ax.semilogy([], [], color=COLORS[0],
                                          label="\u00d7 (phonon + LER)")
        (self.det_marker,) = ax.plot([], [], "o", color=COLORS[1], ms=5)
        ax.set(xlabel=DETUNING_LABEL,
               ylabel="band carriers per incident photon\n(relative to pumping at the gap)",
               ylim=(1e-12, 3.0))
        _log_ticks(ax, y=True)
        ax.legend(loc="lower left", fontsize=8)
        self.update(study)

    def update(self, study: TemperatureStudy):
        """Redraw with new results, in place.

        Parameters
        ----------
        study : TemperatureStudy
            The results to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        scan, rates, temperature = study.scan, study.rates, study.temperature
        x = scan.inverse_thermal_energy
        self.total_line.set_data(x, positive(scan.efficiency))
        self.phonon_line.set_data(x, positive(scan.phonon_efficiency))
        fit = scan.phonon_fit
        odds = fit.prefactor * np.exp(-fit.activation_energy * x)
        self.fit_line.set_data(x, positive(odds / (1.0 + odds)))
        x0 = 1.0 / (BOLTZMANN_EV * temperature)
        eta0 = float(np.interp(x0, x[::-1], scan.efficiency[::-1]))
        self.marker.set_data([x0], [max(eta0, _TINY)])
        self.ax_arr.set_xlim(float(x.min()), float(x.max()))
        _log_limits(self.ax_arr, np.concatenate([scan.efficiency, scan.phonon_efficiency]),
                    floor_decades=14, margin=3.0)
        self.ax_arr.set_title(f"\u0394E = {scan.detuning * _MEV:.0f} meV: fitted E\u2090 = "
                              f"{fit.activation_energy * _MEV:.1f} meV")
        d = rates.detuning * _MEV
        kt = BOLTZMANN_EV * rates.params.temperature
        self.urbach_line.set_data(d, rates.absorption_factor)
        self.boltzmann_line.set_data(d, np.exp(-rates.detuning / kt))
        self.phonon_yield.set_data(d, positive(rates.phonon_relative_yield))
        self.total_yield.set_data(d, positive(rates.relative_yield))
        chosen = scan.detuning
        value = float(np.interp(chosen, rates.detuning, rates.relative_yield))
        self.det_marker.set_data([chosen * _MEV], [max(value, _TINY)])
        self.ax_det.set_xlim(float(d[0]), float(d[-1]))
        self.ax_det.set_title(f"T = {rates.params.temperature:.0f} K")
        return self.fig


def _inverse_kt(value):
    """1 / (k_B value): converts temperature [K] <-> 1/k_B T [eV^-1] (its own inverse)."""
    value = np.asarray(value, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(value > 0, 1.0 / (BOLTZMANN_EV * np.maximum(value, _TINY)), np.inf)


@styled
def plot_temperature_family(scans, rate_sets, labels, title: str = "") -> Figure:
    """Arrhenius plots and detuning dependences for several reservoir densities.

    Parameters
    ----------
    scans : sequence of lerbook.upconversion.TemperatureDependence
        Efficiency against temperature, one per case.
    rate_sets : sequence of lerbook.upconversion.UpconversionRates
        Rates against detuning at one temperature, one per case.
    labels : sequence of str
        One label per case.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The Arrhenius plots and the yields against detuning.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.6)
    ax_arr, ax_det = axes[0]
    for i, (scan, rates, label) in enumerate(zip(scans, rate_sets, labels, strict=True)):
        color = COLORS[i % 6]
        ax_arr.semilogy(scan.inverse_thermal_energy, positive(scan.efficiency), color=color,
                        label=f"{label}: apparent E\u2090 = "
                              f"{scan.fit.activation_energy * _MEV:.0f} meV")
        ax_det.semilogy(rates.detuning * _MEV, positive(rates.relative_yield), color=color,
                        label=label)
    first = rate_sets[0]
    ax_det.semilogy(first.detuning * _MEV, first.absorption_factor, color=COLORS[6], ls=":",
                    label=r"absorption alone $e^{-\Delta E/E_U}$")
    ax_arr.set(xlabel=r"$1/k_B T$ [eV$^{-1}$]", ylabel=r"upconversion efficiency $\eta$")
    _log_ticks(ax_arr, y=True)
    _log_ticks(ax_det, y=True)
    top = ax_arr.secondary_xaxis("top", functions=(_inverse_kt, _inverse_kt))
    top.set_xlabel("T [K]")
    top.set_xticks([350, 250, 200, 150, 120, 100])
    _log_limits(ax_arr, np.concatenate([s.efficiency for s in scans]), 14, 3.0)
    ax_arr.legend(loc="lower left", fontsize=8,
                  title=f"\u0394E = {scans[0].detuning * _MEV:.0f} meV", title_fontsize=8)
    ax_det.set(xlabel=r"detuning $\Delta E$ [meV]",
               ylabel="band carriers per incident photon\n(relative to pumping at the gap)",
               ylim=(1e-12, 3.0))
    ax_det.set_title(f"T = {first.params.temperature:.0f} K")
    ax_det.legend(loc="lower left", fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------------
# Optical cooling
# --------------------------------------------------------------------------------------------
class CoolingView:
    """The optical-cooling balance against the pump detuning.

    Left: the cooling efficiency eta_c [%], blue where the sample cools and vermilion where it
    heats. Right: energies per absorbed pump photon [eV]: the pump photon brought in, the mean
    emitted photon, and what escaping light carries away on average,
    eta eta_ext eta_abs <E_f> (eta: upconversion efficiency); the sample cools where the last
    lies above the first.

    Parameters
    ----------
    result : lerbook.upconversion.CoolingBalance
        The balance to draw.
    """

    @styled
    def __init__(self, result):
        self.fig, axes = new_figure(1, 2, width=9.0, height=3.5)
        self.ax_eta, self.ax_energy = axes[0]
        ax = self.ax_eta
        ax.axhline(0.0, color=COLORS[6], lw=0.8)
        (self.cool_line,) = ax.plot([], [], color=COLORS[0], lw=2.2, label="net cooling")
        (self.heat_line,) = ax.plot([], [], color=COLORS[1], label="net heating")
        self.window_lines = [ax.axvline(0.0, color=COLORS[0], ls=":", lw=1) for _ in range(2)]
        ax.set(xlabel=DETUNING_LABEL, ylabel="cooling efficiency \u03b7_c [%]")
        ax.legend(loc="lower left")
        self.text = ax.text(0.98, 0.96, "", transform=ax.transAxes, ha="right", va="top")
        ax = self.ax_energy
        (self.pump_line,) = ax.plot([], [], color=COLORS[1], label="pump E_p")
        (self.mean_line,) = ax.plot([], [], color=COLORS[2], ls="-.", label="\u27e8E_f\u27e9")
        (self.out_line,) = ax.plot([], [], color=COLORS[0],
                                   label="\u03b7 \u03b7_ext \u03b7_abs \u27e8E_f\u27e9")
        ax.set(xlabel=DETUNING_LABEL, ylabel="energy per absorbed photon [eV]")
        ax.legend(loc="lower left")
        self.update(result)

    def update(self, result):
        """Redraw with a new balance, in place.

        Parameters
        ----------
        result : lerbook.upconversion.CoolingBalance
            The balance to draw.

        Returns
        -------
        matplotlib.figure.Figure
            The view's figure, changed in place.
        """
        d = result.detuning * _MEV
        eta = 100.0 * result.cooling_efficiency
        self.cool_line.set_data(d, np.where(eta > 0, eta, np.nan))
        self.heat_line.set_data(d, np.where(eta <= 0, eta, np.nan))
        window = result.cooling_window
        for line, value in zip(self.window_lines, window or (np.nan, np.nan), strict=True):
            line.set_xdata([value * _MEV, value * _MEV])
        best = float(np.max(eta))
        top = max(1.0, 1.4 * best)
        self.ax_eta.set_ylim(-max(4.0, 2.5 * top), top)
        self.ax_eta.set_xlim(d[0], d[-1])
        if window is None:
            summary = "no net cooling"
        else:
            where = float(d[int(np.argmax(eta))])
            end = (f"\u2265 {d[-1]:.0f}" if window[1] >= result.detuning[-1]
                   else f"{window[1] * _MEV:.0f}")
            summary = (f"cools for \u0394E = {window[0] * _MEV:.0f}\u2013"
                       f"{end} meV\nbest \u03b7_c = {best:.2f}% at "
                       f"{where:.0f} meV")
        self.text.set_text(f"EQE = {result.external_quantum_efficiency:.3f}, "
                           f"\u03b1_b = {result.background_absorption:.2g} cm\u207b\u00b9\n"
                           + summary)
        out = result.upconversion_efficiency * result.external_quantum_efficiency \
            * result.absorption_efficiency * result.mean_emission_energy
        self.pump_line.set_data(d, result.pump_energy)
        self.mean_line.set_data(d, np.full(d.shape, result.mean_emission_energy))
        self.out_line.set_data(d, out)
        self.ax_energy.set_xlim(d[0], d[-1])
        top_energy = float(np.max(result.pump_energy))
        low_energy = float(np.min(result.pump_energy))
        self.ax_energy.set_ylim(low_energy - 0.25 * (top_energy - low_energy),
                                top_energy + 0.05 * (top_energy - low_energy))
        return self.fig


@styled
def plot_cooling_family(results, labels, title: str = "") -> Figure:
    """Cooling efficiency against detuning for several external quantum efficiencies.

    Left: eta_c [%] for each case. Right: the break-even EQE against detuning (one curve per
    background absorption present among the cases), with each case's EQE as a dotted line.

    Parameters
    ----------
    results : sequence of lerbook.upconversion.CoolingBalance
        Balances to overlay.
    labels : sequence of str
        One legend label per balance.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The cooling efficiencies and the break-even EQE.
    """
    fig, axes = new_figure(1, 2, width=9.0, height=3.5)
    ax_eta, ax_eqe = axes[0]
    ax_eta.axhline(0.0, color=COLORS[6], lw=0.8)
    seen = set()
    best = 0.0
    for i, (result, label) in enumerate(zip(results, labels, strict=True)):
        color = COLORS[i % 6]
        d = result.detuning * _MEV
        eta = 100.0 * result.cooling_efficiency
        best = max(best, float(np.max(eta)))
        ax_eta.plot(d, eta, color=color, label=label)
        ax_eqe.axhline(result.external_quantum_efficiency, color=color, ls=":", lw=1)
        if result.background_absorption not in seen:
            seen.add(result.background_absorption)
            ax_eqe.plot(d, np.minimum(result.breakeven_eqe, 2.0), color=COLORS[6],
                        ls=["-", "--", "-."][len(seen) % 3],
                        label=f"break-even, \u03b1_b = {result.background_absorption:.2g} "
                              f"cm\u207b\u00b9")
    top = max(1.0, 1.4 * best)
    ax_eta.set(xlabel=r"detuning $\Delta E$ [meV]", ylabel=r"cooling efficiency $\eta_c$ [%]",
               ylim=(-2.5 * top, top))
    ax_eta.legend(loc="lower right", fontsize=8)
    ax_eqe.set(xlabel=r"detuning $\Delta E$ [meV]",
               ylabel="external quantum efficiency", ylim=(0.98, 1.02))
    ax_eqe.legend(loc="lower left", fontsize=8, title="dotted: the cases' EQE",
                  title_fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------------
# The reservoir's history
# --------------------------------------------------------------------------------------------
@styled
def plot_reservoir_history(history, title: str = "") -> Figure:
    """A weak subgap probe's upconversion efficiency while the reservoir density evolves.

    Top: the heat deposited in the lattice [W cm^-3]. Bottom: the probe's efficiency with
    the reservoir (solid) and with the phonon path alone (dashed), against time in minutes.

    Parameters
    ----------
    history : lerbook.upconversion.ReservoirHistory
        The run to draw.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The heat drive and the probe's efficiency.
    """
    fig, axes = new_figure(2, 1, width=7.5, height=4.4, sharex=True,
                           gridspec_kw={"height_ratios": [1, 2.5]})
    ax_drive, ax_eta = axes[:, 0]
    minutes = history.t / 60.0
    ax_drive.fill_between(minutes, history.power_density, step="post", color=COLORS[4],
                          alpha=0.5)
    ax_drive.set_ylabel("heat [W cm$^{-3}$]")
    ax_eta.plot(minutes, history.efficiency, color=COLORS[0], label="phonon + reservoir")
    ax_eta.axhline(history.phonon_efficiency, color=COLORS[2], ls="--", label="phonon only")
    ax_eta.set(xlabel="time [min]", ylabel=r"probe efficiency $\eta$", ylim=(0, None))
    ax_eta.legend(loc="upper right")
    if title:
        fig.suptitle(title)
    return fig


@styled
def plot_chopping(responses, labels, lifetimes=None, title: str = "") -> Figure:
    """Phase-averaged upconversion efficiency against the chopping period of a heating beam.

    Solid: the efficiency; dotted: its fast- and slow-chopping limits; dashed: the phonon
    path alone, which does not depend on the period.

    Parameters
    ----------
    responses : sequence of lerbook.upconversion.ChoppingResponse
        Runs to overlay (e.g. several reservoir lifetimes).
    labels : sequence of str
        One label per run.
    lifetimes : sequence of float or None
        Reservoir lifetimes to mark [s], one per run (in the run's colour), or None.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The efficiencies against the period.
    """
    fig, axes = new_figure(1, 1, width=6.5, height=3.6)
    ax = axes[0, 0]
    for i, (response, label) in enumerate(zip(responses, labels, strict=True)):
        color = COLORS[i % 6]
        ax.semilogx(response.period, response.efficiency, color=color, label=label)
        ax.axhline(response.fast_limit, color=color, ls=":", lw=1)
        ax.axhline(response.slow_limit, color=color, ls=":", lw=1)
    ax.axhline(responses[0].phonon_efficiency, color=COLORS[2], ls="--",
               label="phonon path alone (any period)")
    for i, lifetime in enumerate(lifetimes or ()):
        ax.axvline(lifetime, color=COLORS[i % 6], ls="-.", lw=1,
                   label=r"$\tau_\mathrm{LER}$" if i == 0 else None)
    phase = responses[0].phase
    ax.set(xlabel="chopping period [s]",
           ylabel=f"efficiency, averaged over the {phase}-phases", ylim=(0, None))
    _log_ticks(ax, x=True)
    ax.legend(loc="center left", fontsize=8)
    if title:
        fig.suptitle(title)
    return fig
