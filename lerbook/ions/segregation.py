"""Light-induced halide phase segregation (model 4 of :mod:`lerbook.ions`): a mixed-halide
lattice with Kawasaki-exchange Monte Carlo in which funnelled carriers pull iodide towards
themselves under light, the PL red-shifting as carriers funnel into iodide-rich domains.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import uniform_filter

from lerbook import _validate
from lerbook.materials import MATERIALS

__all__ = ["SegregationParameters", "SegregationResult", "segregation", "mixed_halide_band_gap"]

def mixed_halide_band_gap(iodide_fraction, bowing: float = 0.33):
    r"""Band gap of MAPb(I_c Br_1-c)3 [eV] from the MAPbI3 and MAPbBr3 presets and a bowing
    parameter [eV] (0.33 eV reproduces the quadratic fit of Noh et al., cited in
    :mod:`lerbook.materials`).

    .. math:: E_g(c) = c E_g^{I} + (1 - c) E_g^{Br} - b\, c (1 - c)

    Parameters
    ----------
    iodide_fraction : float or array_like
        Iodide fraction c [dimensionless], in [0, 1].
    bowing : float
        Bowing parameter b [eV]. Default 0.33.

    Returns
    -------
    float or numpy.ndarray
        E_g(c) [eV].

    Examples
    --------
    >>> print(f"{mixed_halide_band_gap(0.5):.3f} eV")
    1.848 eV
    """
    c = np.asarray(iodide_fraction, dtype=float)
    e_i, e_br = MATERIALS["MAPbI3"].band_gap, MATERIALS["MAPbBr3"].band_gap
    return c * e_i + (1.0 - c) * e_br - bowing * c * (1.0 - c)


@dataclass(frozen=True)
class SegregationParameters:
    r"""Lattice model of a mixed-halide film (illustrative parameters).

    Parameters
    ----------
    size : int
        Sites per side of the periodic square lattice, a multiple of 4 in [8, 128].
        Default 32.
    iodide_fraction : float
        Iodide fraction c of MAPb(I_c Br_1-c)3, in (0, 1). Default 0.4.
    dark_coupling : float
        I-I attraction J/kT in the dark [-], >= 0; below the 2D Ising critical value
        0.4407 the alloy stays mixed. Default 0.25.
    light_coupling : float
        Extra I-I attraction K_L per 100 mW cm^-2 of light [-], >= 0. Default 0.1.
    funnel_coupling : float
        Strength h_0 of the funnelling field per 100 mW cm^-2 [-], >= 0: the light adds
        :math:`-\sum_i h_i \sigma_i` with :math:`h_i = h_0 (I/100)\, n_i`, n_i the carrier
        density relative to a uniform film (a fixed number of carriers shared by the
        funnelling weights, mean 1). This term, not ``light_coupling``, sets most of the red
        shift. Default 0.2.
    sweeps_per_second : float
        Monte Carlo sweeps per second of real time (maps MC time to seconds) [s^-1].
        Default 2.
    window : int
        Half-width w of the (2w+1)^2 window over which the composition sets the local gap
        (the carrier's extent, in sites). Default 2.
    funnel_energy : float
        Energy scale E_f of carrier funnelling to low gaps [eV], > 0: site weights
        exp(-E_g / E_f); kT (0.026 eV) would mean full equilibrium. Default 0.1.
    linewidth : float
        Gaussian linewidth of each site's emission [eV]. Default 0.04.
    """

    size: int = 32
    iodide_fraction: float = 0.4
    dark_coupling: float = 0.25
    light_coupling: float = 0.1
    funnel_coupling: float = 0.2
    sweeps_per_second: float = 2.0
    window: int = 2
    funnel_energy: float = 0.1
    linewidth: float = 0.04

    def __post_init__(self):
        object.__setattr__(self, "size", _validate.integer("size", self.size, 8, 128))
        size = self.size
        if size % 4:
            raise ValueError(f"size must be a multiple of 4 in [8, 128], got {size!r}")
        window = _validate.integer("window", self.window, 0, size // 2 - 1)
        object.__setattr__(self, "window", window)
        object.__setattr__(self, "iodide_fraction", _validate.in_range(
            "iodide_fraction", self.iodide_fraction, 0.0, 1.0, include_low=False,
            include_high=False))
        for name, unit in (("dark_coupling", ""), ("light_coupling", ""),
                           ("funnel_coupling", "")):
            object.__setattr__(self, name, _validate.non_negative(name, getattr(self, name),
                                                                  unit))
        for name, unit in (("sweeps_per_second", "s^-1"), ("funnel_energy", "eV"),
                           ("linewidth", "eV")):
            object.__setattr__(self, name, _validate.positive(name, getattr(self, name), unit))

    def coupling(self, intensity: float) -> float:
        """J/kT at ``intensity`` [mW cm^-2]: dark + light * I / 100.

        Parameters
        ----------
        intensity : float
            Incident power density I [mW cm^-2], >= 0.

        Returns
        -------
        float
            The coupling J/kT [dimensionless].
        """
        return self.dark_coupling + self.light_coupling * intensity / 100.0


def _kawasaki_sweep(spins, coupling, rng, drive=None):
    """One Monte Carlo sweep of nearest-neighbour exchanges (vectorised, detailed balance).

    Non-interacting bonds are updated together: bonds along one axis on every second row
    and every fourth column, so no two chosen bonds share a site or a neighbour. ``spins``
    (C-contiguous) is updated in place."""
    flat = spins.reshape(-1)
    drive_flat = None if drive is None else np.asarray(drive).reshape(-1)
    for _ in range(8):
        axis = int(rng.integers(2))
        q, p = int(rng.integers(2)), int(rng.integers(4))
        a, b, around_a, around_b = _bond_indices(spins.shape[0], axis, q, p)
        sa, sb = flat[a], flat[b]
        field_a = flat[around_a].sum(axis=0)
        field_b = flat[around_b].sum(axis=0)
        delta = 2.0 * coupling * sa * (field_a - field_b) + 4.0 * coupling
        if drive_flat is not None:
            delta = delta + 2.0 * sa * (drive_flat[a] - drive_flat[b])
        accept = (sa != sb) & (rng.random(sa.shape) < np.exp(-np.maximum(delta, 0.0)))
        flat[a] = np.where(accept, sb, sa)
        flat[b] = np.where(accept, sa, sb)


@functools.lru_cache(maxsize=64)
def _bond_indices(size: int, axis: int, q: int, p: int):
    """Flat indices of the bonds one sub-step updates and of their sites' four neighbours.

    Bond (i, j)-(i, j+1) for axis 0, (j, i)-(j+1, i) for axis 1, with i = q, q+2, ... and
    j = p, p+4, ...; the neighbour indices have shape (4, bonds)."""
    rows = np.arange(q, size, 2)[:, None]
    cols = np.arange(p, size, 4)[None, :]
    if axis == 0:
        ai, aj, bi, bj = rows, cols, rows, (cols + 1) % size
    else:
        ai, aj, bi, bj = cols.T, rows.T, (cols.T + 1) % size, rows.T

    def flat(i, j):
        return (np.broadcast_to(i, np.broadcast(i, j).shape) * size + j).ravel()

    def around(i, j):
        return np.stack([flat((i - 1) % size, j), flat((i + 1) % size, j),
                         flat(i, (j - 1) % size), flat(i, (j + 1) % size)])

    return flat(ai, aj), flat(bi, bj), around(ai, aj), around(bi, bj)


def _carriers(params: SegregationParameters, spins):
    """Local band gaps [eV] and carrier occupation (funnelling weights, max 1) of each site."""
    local = uniform_filter((spins > 0).astype(float), size=2 * params.window + 1, mode="wrap")
    gaps = mixed_halide_band_gap(local)
    return local, gaps, np.exp(-(gaps - gaps.min()) / params.funnel_energy)


def _carrier_density(params: SegregationParameters, spins):
    """Carrier density per site relative to a uniform film (mean 1): a fixed number of
    carriers shared by the funnelling weights, smoothed over the carrier's extent."""
    weights = _carriers(params, spins)[2]
    density = weights * (weights.size / weights.sum())
    return uniform_filter(density, size=2 * params.window + 1, mode="wrap")


def _emission(params: SegregationParameters, spins, energies):
    local, gaps, weights = _carriers(params, spins)
    gaps = gaps.ravel()
    weights = weights.ravel() / weights.sum()
    peak = float(np.sum(weights * gaps))
    spectrum = None
    if energies is not None:
        hist, _ = np.histogram(gaps, bins=_edges(energies), weights=weights)
        kernel_e = energies - energies.mean()
        kernel = np.exp(-0.5 * (kernel_e / params.linewidth) ** 2)
        spectrum = np.convolve(hist, kernel / kernel.max(), mode="same")
        spectrum /= spectrum.max()
    return peak, spectrum, float(np.mean(local > 0.8))


def _edges(centres):
    step = centres[1] - centres[0]
    return np.append(centres - 0.5 * step, centres[-1] + 0.5 * step)


@dataclass(frozen=True)
class SegregationResult:
    """Result of :func:`segregation`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s] (light from 0 to light_time, then dark).
    intensity : numpy.ndarray
        Intensity at each time [mW cm^-2].
    peak_energy : numpy.ndarray
        Emission-weighted mean PL energy [eV] (not the spectral maximum).
    peak_wavelength : numpy.ndarray
        The same as a wavelength [nm].
    iodide_rich : numpy.ndarray
        Fraction of sites whose local iodide fraction exceeds 0.8 [-].
    energies : numpy.ndarray
        Energy axis of the spectra [eV].
    spectra : numpy.ndarray
        Normalised PL spectra at the start, end of light and end of dark, shape (3, E) [-].
    snapshots : numpy.ndarray
        Lattices (1 = I, 0 = Br) at the same three times, shape (3, size, size).
    params : SegregationParameters
    seed : int
    """

    t: np.ndarray
    intensity: np.ndarray
    peak_energy: np.ndarray
    peak_wavelength: np.ndarray
    iodide_rich: np.ndarray
    energies: np.ndarray
    spectra: np.ndarray
    snapshots: np.ndarray
    params: SegregationParameters = field(repr=False)
    seed: int = 0

    @property
    def red_shift(self) -> float:
        """PL energy at the start minus at the end of the light [eV] (> 0: red shift)."""
        end = int(np.flatnonzero(self.intensity > 0)[-1]) if np.any(self.intensity > 0) else 0
        return float(self.peak_energy[0] - self.peak_energy[end])

    @property
    def recovery(self) -> float:
        """PL energy at the end of the dark minus at the start [eV] (~0: recovered)."""
        tail = max(len(self.t) // 10, 1)
        return float(np.mean(self.peak_energy[-tail:]) - self.peak_energy[0])


def segregation(intensity: float = 100.0, light_time: float = 60.0, dark_time: float = 240.0,
                params: SegregationParameters | None = None, seed: int = 0,
                samples: int = 60, equilibration: int = 50) -> SegregationResult:
    r"""Light-induced halide segregation and its dark recovery (Kawasaki Monte Carlo).

    Parameters
    ----------
    intensity : float
        Light intensity [mW cm^-2], >= 0.
    light_time, dark_time : float
        Durations of the light and of the following dark [s], >= 0.
    params : SegregationParameters, optional
    seed : int
        Seed of the :class:`numpy.random.Generator`.
    samples : int
        Number of PL samples over the run.
    equilibration : int
        Dark sweeps before t = 0 from a random alloy.

    Returns
    -------
    SegregationResult

    Notes
    -----
    Sites hold iodide (:math:`\sigma = +1`) or bromide (:math:`\sigma = -1`) with energy
    :math:`E/kT = -K(I) \sum_{\langle ij\rangle} \sigma_i \sigma_j - \sum_i h_i \sigma_i`,
    :math:`K(I) = K_0 + K_L I / (100\ \mathrm{mW\,cm^{-2}})`, and under light the funnelling
    field :math:`h_i = h_0 (I / 100\ \mathrm{mW\,cm^{-2}})\, n_i` with
    :math:`n_i = \overline{N w_i / \sum_j w_j}` the carrier density relative to a uniform
    film (N sites, weights :math:`w_i = e^{-(E_{g,i} - E_{g,min})/E_f}`, averaged over the
    window), so a fixed number of carriers is shared out and the pull per site falls as the
    iodide-rich area grows. The field term sets most of the red shift; :math:`K_L` adds
    little. Neighbours exchange with the
    Metropolis probability :math:`\min(1, e^{-\Delta E/kT})`, which conserves the
    composition. The light term is a caricature of the light-dependent driving forces of
    the literature (carriers funnelling into, and lowering the free energy of, iodide-rich
    regions; polaron strain, Bischak et al. 2017). The PL comes from every site with gap
    :math:`E_g(c_{loc})` (:func:`mixed_halide_band_gap` of the local composition), weighted by
    :math:`e^{-E_g/E_f}` for funnelling; ``peak_energy`` is the weighted *mean* PL energy,
    which sits below the alloy gap even in the dark because of this weighting.

    Examples
    --------
    >>> run = segregation(100.0, light_time=60.0, dark_time=240.0, seed=0)
    >>> print(f"red shift {run.red_shift * 1e3:.0f} meV, after dark {run.recovery * 1e3:.0f} meV")
    red shift 128 meV, after dark -4 meV
    """
    params = SegregationParameters() if params is None else params
    intensity = _validate.non_negative("intensity", intensity, "mW cm^-2")
    light_time = _validate.non_negative("light_time", light_time, "s")
    dark_time = _validate.non_negative("dark_time", dark_time, "s")
    if light_time + dark_time == 0:
        raise ValueError("light_time + dark_time must be > 0 s")
    rng = np.random.default_rng(seed)
    size = params.size
    n_iodide = int(round(params.iodide_fraction * size * size))
    flat = -np.ones(size * size, dtype=np.int8)
    flat[rng.permutation(size * size)[:n_iodide]] = 1
    spins = flat.reshape(size, size).astype(float)
    for _ in range(int(equilibration)):
        _kawasaki_sweep(spins, params.dark_coupling, rng)
    total = light_time + dark_time
    n_sweeps = max(int(round(total * params.sweeps_per_second)), 1)
    light_sweeps = int(round(light_time * params.sweeps_per_second))
    sample_at = np.unique(np.linspace(0, n_sweeps, int(samples) + 1).round().astype(int))
    sample_at = np.union1d(sample_at, [light_sweeps])
    energies = np.linspace(1.45, 2.45, 201)
    peaks, rich, times, levels, spectra, snaps = [], [], [], [], [], []
    sweep = 0
    for target in sample_at:
        while sweep < target:
            lit = sweep < light_sweeps
            drive = None
            if lit and params.funnel_coupling > 0 and intensity > 0:
                drive = (params.funnel_coupling * intensity / 100.0
                         * _carrier_density(params, spins))
            _kawasaki_sweep(spins, params.coupling(intensity if lit else 0.0), rng, drive)
            sweep += 1
        keep = target in (0, light_sweeps, n_sweeps)
        peak, spectrum, frac = _emission(params, spins, energies if keep else None)
        peaks.append(peak)
        rich.append(frac)
        times.append(target / params.sweeps_per_second)
        levels.append(intensity if target <= light_sweeps and light_sweeps > 0 else 0.0)
        if keep:
            spectra.append(spectrum)
            snaps.append((spins > 0).astype(np.int8))
    while len(spectra) < 3:  # light_time or dark_time 0: repeat the last state
        spectra.append(spectra[-1])
        snaps.append(snaps[-1])
    peak_energy = np.asarray(peaks)
    return SegregationResult(np.asarray(times), np.asarray(levels), peak_energy,
                             1239.84198 / peak_energy, np.asarray(rich), energies,
                             np.asarray(spectra), np.asarray(snaps), params, int(seed))
