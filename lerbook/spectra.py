r"""Spectra: model lineshapes, synthetic measured spectra with noise, and the fits that read them.

The module is organised by what an experiment does, so that later chapters can add their own
lineshapes next to the ones here:

1. a **lineshape**: a noise-free spectrum from a model (here the high-energy tail of the
   photoluminescence of hot carriers, :func:`hot_carrier_pl`);
2. a **measurement**: the lineshape scaled to counts with shot (Poisson) or read-out
   (Gaussian) noise from a seeded random generator (:func:`add_noise`,
   :func:`synthetic_spectrum`), returned as a :class:`Spectrum`;
3. a **fit** that recovers the physical parameter with its uncertainty, the way experiments do
   (:func:`fit_boltzmann_tail`: the carrier temperature from the slope of ln I against E),
   returned as a :class:`lerbook.fitting.CurveFit`.

All energies are in eV, temperatures in K and intensities in counts (or arbitrary units for
noise-free lineshapes).

.. rubric:: References

- W. van Roosbroeck and W. Shockley, "Photon-radiative recombination of electrons and
  holes in germanium", Phys. Rev. 94, 1558 (1954). doi:10.1103/PhysRev.94.1558
- P. Wuerfel, "The chemical potential of radiation", J. Phys. C: Solid State Phys. 15,
  3967 (1982). doi:10.1088/0022-3719/15/18/012
- M. B. Price et al., "Hot-carrier cooling and photoinduced refractive index changes in
  organic-inorganic lead halide perovskites", Nat. Commun. 6, 8420 (2015).
  doi:10.1038/ncomms9420
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.integrate import simpson

from lerbook import _validate
from lerbook.cooling import bose_occupation
from lerbook.fitting.curves import CurveFit, fit_line
from lerbook.units import BOLTZMANN_EV, PLANCK_EV_S, SPEED_OF_LIGHT_CM_S

__all__ = [
    "NOISE_MODELS",
    "Spectrum",
    "hot_carrier_pl",
    "add_noise",
    "synthetic_spectrum",
    "fit_boltzmann_tail",
]

#: Noise models of :func:`add_noise` and the weights of :func:`fit_boltzmann_tail`.
NOISE_MODELS = ("poisson", "gaussian", "none")

_TEMPERATURE_RANGE = (1.0, 1e5)  # K
_BAND_GAP_RANGE = (0.1, 10.0)  # eV


def _rng(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)
                       and rng >= 0):
        return np.random.default_rng(rng)
    raise ValueError(f"rng must be a numpy Generator, a non-negative integer seed or None, "
                     f"got {rng!r}")


# --------------------------------------------------------------------------------------------
# Lineshapes
# --------------------------------------------------------------------------------------------
def hot_carrier_pl(energy, band_gap: float, temperature: float) -> np.ndarray:
    r"""Photoluminescence spectrum of carriers at a temperature, absorption-weighted form.

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], > 0.
    band_gap : float
        Band gap [eV], 0.1-10.
    temperature : float
        Carrier temperature :math:`T_c` [K], 1-1e5.

    Returns
    -------
    numpy.ndarray
        :math:`I(E) = E^2 \sqrt{E - E_g}\, e^{-(E - E_g)/k_B T_c}` for :math:`E > E_g`, 0 below
        [eV^(5/2), arbitrary scale].

    Notes
    -----
    The generalised Planck law (van Roosbroeck and Shockley 1954; Wuerfel
    1982) gives the emission of a semiconductor whose carriers
    are at temperature :math:`T_c` as

    .. math:: I(E) \propto a(E)\, E^2 \exp\left(-\frac{E - \Delta\mu}{k_B T_c}\right)

    in the Boltzmann limit, with :math:`a(E)` the absorptivity and :math:`\Delta\mu` the
    quasi-Fermi-level splitting (which sets only the scale). This function uses the absorption
    of a direct gap between parabolic bands, :math:`a \propto \sqrt{E - E_g}`, valid for a
    thin or weakly absorbing sample; excitons, the Urbach tail and band non-parabolicity are
    left out (a later chapter adds such lineshapes). Far above the gap the spectrum falls as
    :math:`e^{-E/k_B T_c}`, which is why the slope of :math:`\ln I` measures :math:`T_c`; the
    prefactor :math:`E^2\sqrt{E - E_g}` bends the tail near the gap
    (:func:`fit_boltzmann_tail` can divide it out).

    References
    ----------
    - W. van Roosbroeck and W. Shockley, Phys. Rev. 94, 1558 (1954).
      doi:10.1103/PhysRev.94.1558
    - P. Wuerfel, J. Phys. C 15, 3967 (1982). doi:10.1088/0022-3719/15/18/012

    Examples
    --------
    >>> import numpy as np
    >>> energy = np.linspace(1.5, 2.0, 6)
    >>> spectrum = hot_carrier_pl(energy, band_gap=1.57, temperature=1000.0)
    >>> bool(spectrum[0] == 0.0), bool(spectrum[1] > spectrum[-1] > 0.0)
    (True, True)
    """
    axis = _validate.array("energy", energy, "eV", low=0.0, include_low=False, ndim=1,
                           min_size=2)
    gap = _validate.in_range("band_gap", band_gap, *_BAND_GAP_RANGE, unit="eV")
    temperature = _validate.in_range("temperature", temperature, *_TEMPERATURE_RANGE, unit="K")
    excess = np.maximum(axis - gap, 0.0)
    return axis**2 * np.sqrt(excess) * np.exp(-excess / (BOLTZMANN_EV * temperature))


# --------------------------------------------------------------------------------------------
# Synthetic measurements
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Spectrum:
    """A (synthetic) measured spectrum.

    Attributes
    ----------
    energy : numpy.ndarray
        Photon energies [eV].
    intensity : numpy.ndarray
        Measured intensity, with noise [counts].
    expected : numpy.ndarray
        Noise-free intensity the measurement scatters around [counts].
    noise : str
        Noise model, one of :data:`NOISE_MODELS`.
    info : Mapping
        The model parameters the spectrum was made from, e.g. ``{"band_gap": 1.57,
        "temperature": 1000.0}`` (units as in the generating function).
    """

    energy: np.ndarray
    intensity: np.ndarray
    expected: np.ndarray
    noise: str
    info: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "info", MappingProxyType(dict(self.info)))


def add_noise(expected, noise: str = "poisson", noise_level: float = 0.01,
              rng=None) -> np.ndarray:
    r"""Add measurement noise to a noise-free spectrum.

    Parameters
    ----------
    expected : array_like
        Noise-free intensities [counts], finite and >= 0.
    noise : str
        ``"poisson"``: shot noise, each value drawn from a Poisson distribution with the
        expected counts as mean (integers >= 0). ``"gaussian"``: read-out noise, normal with a
        standard deviation of ``noise_level`` times the largest expected value (can go
        negative). ``"none"``: a copy of ``expected``.
    noise_level : float
        Gaussian standard deviation relative to the peak [-], 0-1; ignored otherwise.
    rng : numpy.random.Generator, int or None
        Random generator, or a seed for ``numpy.random.default_rng``; use a seed for a
        reproducible spectrum. None draws fresh entropy.

    Returns
    -------
    numpy.ndarray
        Noisy intensities [counts], same shape as ``expected``.

    Examples
    --------
    >>> noisy = add_noise([100.0, 10.0, 1.0], "poisson", rng=1)
    >>> noisy.shape, bool(np.all(noisy >= 0))
    ((3,), True)
    >>> bool(np.array_equal(noisy, add_noise([100.0, 10.0, 1.0], "poisson", rng=1)))
    True
    """
    try:
        mean = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"expected must be an array of counts, got {expected!r}") from None
    if not np.all(np.isfinite(mean)) or np.any(mean < 0):
        raise ValueError("expected must be finite and >= 0 counts")
    if noise not in NOISE_MODELS:
        raise ValueError(f"noise must be one of {', '.join(NOISE_MODELS)}, got {noise!r}")
    level = _validate.in_range("noise_level", noise_level, 0.0, 1.0)
    generator = _rng(rng)
    if noise == "poisson":
        return generator.poisson(mean).astype(float)
    if noise == "gaussian":
        scale = level * (float(mean.max()) if mean.size else 0.0)
        return mean + generator.normal(0.0, 1.0, mean.shape) * scale
    return mean.copy()


def synthetic_spectrum(energy, band_gap: float, temperature: float, *,
                       peak_counts: float = 1e4, noise: str = "poisson",
                       noise_level: float = 0.01, background: float = 0.0,
                       rng=None) -> Spectrum:
    """A hot-carrier PL spectrum as a detector would record it.

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], > 0.
    band_gap : float
        Band gap [eV].
    temperature : float
        Carrier temperature [K].
    peak_counts : float, keyword-only
        Expected counts at the maximum of the lineshape on this energy grid [counts], 1-1e12.
    noise : str, keyword-only
        Noise model (:func:`add_noise`).
    noise_level : float, keyword-only
        Gaussian noise relative to the peak [-] (:func:`add_noise`).
    background : float, keyword-only
        Constant expected background added to every point [counts], >= 0 (dark counts);
        a tail fit must subtract it or stop above where it matters.
    rng : numpy.random.Generator, int or None, keyword-only
        Random generator or seed (:func:`add_noise`).

    Returns
    -------
    Spectrum
        ``expected = peak_counts * I / max(I) + background`` with
        ``I = hot_carrier_pl(energy, band_gap, temperature)``, and its noisy ``intensity``.

    Examples
    --------
    >>> import numpy as np
    >>> energy = np.linspace(1.55, 2.2, 651)
    >>> spectrum = synthetic_spectrum(energy, 1.57, 1000.0, rng=7)
    >>> print(f"{spectrum.expected.max():.0f}", spectrum.info["temperature"])
    10000 1000.0
    """
    axis = _validate.array("energy", energy, "eV", low=0.0, include_low=False, ndim=1,
                           min_size=2)
    shape = hot_carrier_pl(axis, band_gap, temperature)
    peak = float(shape.max())
    if peak <= 0:
        raise ValueError(f"energy must reach above band_gap ({band_gap} eV) for a PL spectrum")
    counts = _validate.in_range("peak_counts", peak_counts, 1.0, 1e12, "counts")
    offset = _validate.non_negative("background", background, "counts")
    expected = counts * shape / peak + offset
    return Spectrum(
        energy=axis,
        intensity=add_noise(expected, noise, noise_level, rng),
        expected=expected,
        noise=noise,
        info={"band_gap": float(band_gap), "temperature": float(temperature),
              "peak_counts": counts, "background": offset, "noise_level": float(noise_level)},
    )


# --------------------------------------------------------------------------------------------
# Fits
# --------------------------------------------------------------------------------------------
def fit_boltzmann_tail(energy, intensity, energy_min: float, energy_max: float | None = None,
                       *, band_gap: float | None = None, noise: str = "poisson") -> CurveFit:
    r"""Carrier temperature from the high-energy tail of a spectrum.

    Parameters
    ----------
    energy : array_like
        Photon energies [eV].
    intensity : array_like
        Intensities [counts], same length; points <= 0 are left out (their logarithm does not
        exist).
    energy_min : float
        Lowest energy of the fit window [eV]; above the band gap when ``band_gap`` is given.
    energy_max : float or None
        Highest energy of the fit window [eV]; None uses every point above ``energy_min``.
        Stop where the expected counts fall to ~10-20: dropping zero-count points deeper in
        the tail biases the fit toward higher temperatures.
    band_gap : float or None, keyword-only
        If given [eV], divide the intensity by :math:`E^2\sqrt{E - E_g}` before the fit (the
        absorption-weighted form of :func:`hot_carrier_pl`), which removes the bias of the
        plain fit near the gap. None fits :math:`\ln I` itself, as is common in experiments
        (and exact for a transient-absorption bleach, which measures the occupation itself).
    noise : str, keyword-only
        Noise model behind the weights: ``"poisson"`` weights each point by its counts (the
        variance of :math:`\ln I` is :math:`1/I`), ``"gaussian"`` by :math:`I^2` (constant
        noise on I), ``"none"`` weights all points equally.

    Returns
    -------
    lerbook.fitting.CurveFit
        ``params``: ``temperature`` [K] and ``intercept`` of the line at E = 0
        [dimensionless]; ``info``: the ``slope`` -1/(kB T) [eV^-1], the energies used
        ``energy_min``, ``energy_max`` [eV] and ``corrected`` (True if the prefactor was
        divided out); ``temperature_error`` [K] and ``slope_error`` [eV^-1] one standard
        deviation; ``n_points`` the points used;
        ``chi2_reduced``: for Poisson noise chi^2 per degree of freedom [dimensionless] (~1
        when the counts are Poisson), for the other noise models the weighted residual
        variance per unit weight (weights normalised to 1 at their maximum), which has no
        absolute meaning.

    Raises
    ------
    ValueError
        If the inputs are malformed, the window holds fewer than 3 usable points, or the tail
        does not fall with energy.

    Notes
    -----
    A weighted linear least-squares fit of

    .. math:: \ln I(E) = c - \frac{E}{k_B T_c}
       \quad\text{or}\quad
       \ln\frac{I(E)}{E^2\sqrt{E - E_g}} = c - \frac{E}{k_B T_c},

    so :math:`T_c = -1/(k_B s)` from the slope :math:`s`, and
    :math:`\sigma_T = \sigma_s / (k_B s^2)`. The weights are the inverse variances of
    :math:`\ln I` evaluated with the *fitted* intensity (three reweighting passes starting
    from the measured one), and for Poisson counts the logarithm is corrected for its bias
    :math:`\langle\ln N\rangle \approx \ln\mu - 1/(2\mu)`; both would otherwise bias the
    temperature by about one standard deviation. The covariance is scaled by the reduced
    :math:`\chi^2`, so the uncertainty stays honest if the noise model is off. This is how
    experiments read the carrier temperature from PL or transient-absorption tails, e.g.
    Price et al. 2015 (a fit of the bleach tail between 1.70 and 1.85 eV in MAPbI3).

    References
    ----------
    - M. B. Price et al., Nat. Commun. 6, 8420 (2015). doi:10.1038/ncomms9420

    Examples
    --------
    >>> import numpy as np
    >>> energy = np.linspace(1.55, 2.2, 651)
    >>> spectrum = synthetic_spectrum(energy, 1.57, 1000.0, rng=7)
    >>> fit = fit_boltzmann_tail(spectrum.energy, spectrum.intensity, 1.62, 2.1, band_gap=1.57)
    >>> bool(abs(fit.temperature - 1000.0) < 3 * fit.temperature_error + 10)
    True
    """
    axis = _validate.array("energy", energy, "eV", low=0.0, include_low=False, ndim=1,
                           min_size=2)
    try:
        values = np.asarray(intensity, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"intensity must be an array of counts, got {intensity!r}") from None
    if values.shape != axis.shape:
        raise ValueError(f"intensity must have the shape of energy {axis.shape}, "
                         f"got {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError("intensity must be finite")
    if noise not in NOISE_MODELS:
        raise ValueError(f"noise must be one of {', '.join(NOISE_MODELS)}, got {noise!r}")
    low = _validate.positive("energy_min", energy_min, "eV")
    high = np.inf if energy_max is None else _validate.in_range(
        "energy_max", energy_max, low, np.inf, "eV", include_low=False)
    if band_gap is not None:
        gap = _validate.in_range("band_gap", band_gap, *_BAND_GAP_RANGE, unit="eV")
        if low <= gap:
            raise ValueError(f"energy_min must be above band_gap ({gap} eV) when the prefactor "
                             f"is divided out, got {energy_min!r}")
    used = (axis >= low) & (axis <= high) & (values > 0)
    count = int(used.sum())
    if count < 3:
        raise ValueError(f"the fit window [{low}, {high}] eV holds {count} points with "
                         f"intensity > 0; it needs at least 3")
    x, y = axis[used], np.log(values[used])
    if band_gap is not None:
        y = y - np.log(x**2 * np.sqrt(x - gap))
    # First pass weighted by the measured intensity; then reweighted by the fitted intensity,
    # because weights that follow the noise of each point bias the slope (a point that
    # fluctuates up would count more). For Poisson counts the logarithm is also corrected
    # for its own bias, E[ln N] = ln(mu) - 1/(2 mu) + ..., which would steepen the tail.
    # The weights are relative, so fit_line scales the covariance by the reduced chi^2 (the
    # variance per unit weight estimated from the residuals).
    fitted = values[used]
    observed = y
    for _ in range(3):
        weights = {"poisson": fitted, "gaussian": fitted**2, "none": np.ones(count)}[noise]
        weights = weights / weights.max()
        if noise == "poisson":
            y = observed + 0.5 / fitted
        line = fit_line(x, y, weights)
        fitted = np.exp(np.clip(line.fitted - observed, -50.0, 50.0)) * values[used]
    slope = line.slope
    if not slope < 0:
        raise ValueError(f"the spectrum does not fall with energy in [{low}, {high}] eV "
                         f"(slope {slope:.3g} eV^-1); choose a window on the high-energy tail")
    absolute_scale = {"poisson": fitted.max(), "gaussian": 1.0, "none": 1.0}[noise]
    chi2 = line.chi2 * (float(absolute_scale) if noise == "poisson" else 1.0)
    return CurveFit(
        "boltzmann_tail",
        {"temperature": -1.0 / (BOLTZMANN_EV * slope), "intercept": line.intercept},
        {"temperature": line.slope_error / (BOLTZMANN_EV * slope**2),
         "slope": line.slope_error},
        chi2, count, line.residuals, x, line.fitted,
        {"slope": slope, "energy_min": float(x.min()), "energy_max": float(x.max()),
         "corrected": band_gap is not None})


# --------------------------------------------------------------------------------------------
# Absorption and emission of the band edge (chapter 3): the Urbach edge, van Roosbroeck-Shockley
# --------------------------------------------------------------------------------------------
#: Refractive index of MAPbI3 near its band gap [-] (about 2.6 at 633 nm, Loeper et al. 2015).
REFRACTIVE_INDEX = 2.6

__all__ += [
    "REFRACTIVE_INDEX",
    "urbach_absorption",
    "van_roosbroeck_shockley",
    "generalized_planck",
    "band_edge_emission",
    "mean_emission_energy",
    "mean_photon_energy",
]


def _alpha_array(name: str, value, shape) -> np.ndarray:
    """An absorption-like array, >= 0, broadcast to the shape of the energy axis."""
    alpha = _validate.array(name, value, low=0.0)
    try:
        return np.broadcast_to(alpha, shape)
    except ValueError:
        raise ValueError(f"{name} must have the shape of energy {shape}, "
                         f"got {alpha.shape}") from None


def _photon_occupation(energy, temperature: float, chemical_potential: float) -> np.ndarray:
    """The Bose occupation of the emitted photons, after the check a reader needs here."""
    if np.any(energy <= chemical_potential):
        raise ValueError(f"chemical_potential must lie below every photon energy (emission "
                         f"would diverge: gain), got {chemical_potential!r} eV >= "
                         f"{float(np.min(energy))!r} eV")
    return bose_occupation(energy, temperature, chemical_potential)


def urbach_absorption(energy, band_gap: float, urbach_energy: float,
                      alpha_above_gap: float) -> np.ndarray:
    r"""Absorption coefficient of a band edge with an exponential (Urbach) tail.

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], > 0.
    band_gap : float
        Band gap E_g [eV].
    urbach_energy : float
        Urbach energy E_U of the tail [eV], > 0.
    alpha_above_gap : float
        Absorption coefficient at and above the gap [cm^-1], > 0.

    Returns
    -------
    numpy.ndarray
        :math:`\alpha(E)` [cm^-1], same shape as ``energy``.

    Notes
    -----
    .. math::

        \alpha(E) = \alpha_0 \exp\left(\frac{\min(E - E_g, 0)}{E_U}\right),

    a plateau above the gap (near the edge of a 3D semiconductor the Coulomb
    (Sommerfeld) enhancement flattens the square-root joint density of states) and the
    Urbach tail below it (Urbach 1953). It is the model of
    :func:`lerbook.excitation.absorption_coefficient`, written in energy. A photon
    :math:`\Delta E` below the gap is absorbed :math:`e^{-\Delta E / E_U}` times less
    strongly than one at the gap: for MAPbI3 (:math:`E_U` = 15 meV, De Wolf 2014) a
    220 meV detuning costs a factor :math:`e^{-220/15} \approx 4 \times 10^{-7}`.

    References
    ----------
    - F. Urbach, Phys. Rev. 92, 1324 (1953). doi:10.1103/PhysRev.92.1324
    - S. De Wolf et al., J. Phys. Chem. Lett. 5, 1035 (2014). doi:10.1021/jz500279b

    Examples
    --------
    >>> alpha = urbach_absorption([1.35, 1.57, 1.8], 1.57, 0.015, 5e4)
    >>> print(", ".join(f"{a:.3g}" for a in alpha))
    0.0213, 5e+04, 5e+04
    """
    axis = np.asarray(energy, dtype=float)
    if not np.all(np.isfinite(axis)) or np.any(axis <= 0):
        raise ValueError(f"energy must be finite and > 0 eV, got {energy!r}")
    gap = _validate.in_range("band_gap", band_gap, *_BAND_GAP_RANGE, unit="eV")
    eu = _validate.in_range("urbach_energy", urbach_energy, 1e-4, 0.5, unit="eV")
    alpha0 = _validate.positive("alpha_above_gap", alpha_above_gap, "cm^-1")
    return alpha0 * np.exp(np.minimum(axis - gap, 0.0) / eu)


def van_roosbroeck_shockley(energy, absorption, temperature: float,
                            chemical_potential: float = 0.0,
                            refractive_index: float = REFRACTIVE_INDEX) -> np.ndarray:
    r"""Spontaneous emission rate per volume from the absorption coefficient.

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], > 0.
    absorption : array_like
        Absorption coefficient :math:`\alpha(E)` at ``energy`` [cm^-1], >= 0.
    temperature : float
        Temperature of the carriers and the lattice [K].
    chemical_potential : float
        Chemical potential of the emitted photons, the quasi-Fermi-level splitting
        :math:`\Delta\mu` [eV]; 0 in the dark (thermal equilibrium). Below every energy.
    refractive_index : float
        Refractive index :math:`n_r` of the medium [-], >= 1 (default 2.6, MAPbI3).

    Returns
    -------
    numpy.ndarray
        Emission rate :math:`R(E)` [cm^-3 s^-1 eV^-1], photons emitted inside the material.

    Notes
    -----
    Detailed balance between absorption and emission of photons in a medium
    (van Roosbroeck and Shockley 1954), generalised to excited carriers with a
    quasi-Fermi-level splitting :math:`\Delta\mu` (Wuerfel 1982):

    .. math::

        R(E) = \frac{8\pi n_r^2 E^2}{h^3 c^2}\,
               \frac{\alpha(E)}{\exp\left(\frac{E - \Delta\mu}{k_B T}\right) - 1}.

    The ratio :math:`R / (\alpha E^2)` is therefore a Bose (for
    :math:`E - \Delta\mu \gg k_B T`, Boltzmann) factor whatever the absorption spectrum is:
    emission and absorption can never be chosen independently. The absorption enters
    unchanged by the excitation (no band filling), which holds while
    :math:`E - \Delta\mu \gg k_B T`.

    References
    ----------
    - W. van Roosbroeck and W. Shockley, Phys. Rev. 94, 1558 (1954).
      doi:10.1103/PhysRev.94.1558
    - P. Wuerfel, J. Phys. C 15, 3967 (1982). doi:10.1088/0022-3719/15/18/012

    Examples
    --------
    >>> energy = np.array([1.5, 1.6])
    >>> rate = van_roosbroeck_shockley(energy, [1.0, 1.0], 295.0)
    >>> ratio = rate[1] / rate[0] * (1.5 / 1.6) ** 2
    >>> print(f"{ratio:.4f} = exp(-0.1 eV / kT) = {np.exp(-0.1 / (8.617333262e-5 * 295)):.4f}")
    0.0196 = exp(-0.1 eV / kT) = 0.0196
    """
    axis = _validate.array("energy", energy, "eV", low=0.0, include_low=False, ndim=1,
                           min_size=2)
    alpha = _alpha_array("absorption", absorption, axis.shape)
    temperature = _validate.in_range("temperature", temperature, *_TEMPERATURE_RANGE, unit="K")
    mu = _validate.in_range("chemical_potential", chemical_potential, -10.0, 10.0, unit="eV")
    n_r = _validate.in_range("refractive_index", refractive_index, 1.0, 10.0)
    prefactor = 8.0 * np.pi * n_r**2 / (PLANCK_EV_S**3 * SPEED_OF_LIGHT_CM_S**2)
    return prefactor * axis**2 * alpha * _photon_occupation(axis, temperature, mu)


def generalized_planck(energy, absorptivity, temperature: float,
                       chemical_potential: float = 0.0) -> np.ndarray:
    r"""Photon flux emitted through the surface of a body, from its absorptivity.

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], > 0.
    absorptivity : array_like
        Absorptivity :math:`a(E)` of the body for light incident from outside [-], in [0, 1]
        (e.g. :math:`1 - e^{-\alpha d}` for a film of thickness d without reflection).
    temperature : float
        Temperature [K].
    chemical_potential : float
        Quasi-Fermi-level splitting :math:`\Delta\mu` [eV], below every energy.

    Returns
    -------
    numpy.ndarray
        Emitted photon flux per area into the hemisphere outside [cm^-2 s^-1 eV^-1].

    Notes
    -----
    Kirchhoff's law for a body whose electrons and holes have a quasi-Fermi-level splitting
    :math:`\Delta\mu` (Wuerfel 1982):

    .. math::

        \phi(E) = a(E)\, \frac{2\pi E^2}{h^3 c^2}\,
                  \frac{1}{\exp\left(\frac{E - \Delta\mu}{k_B T}\right) - 1}.

    With :math:`\Delta\mu = 0` it is the black-body flux times the absorptivity; the
    emission of an excited semiconductor is the same spectrum multiplied by
    :math:`e^{\Delta\mu / k_B T}` (for :math:`E - \Delta\mu \gg k_B T`).

    References
    ----------
    - P. Wuerfel, J. Phys. C 15, 3967 (1982). doi:10.1088/0022-3719/15/18/012

    Examples
    --------
    >>> energy = np.linspace(1.5, 1.7, 3)
    >>> dark = generalized_planck(energy, 1.0, 300.0)
    >>> lit = generalized_planck(energy, 1.0, 300.0, chemical_potential=1.0)
    >>> boost = np.exp(1.0 / (8.617333262e-5 * 300.0))
    >>> print(f"{lit[0] / dark[0]:.4e} = exp(1 eV / kT) = {boost:.4e}")
    6.2988e+16 = exp(1 eV / kT) = 6.2988e+16
    """
    axis = _validate.array("energy", energy, "eV", low=0.0, include_low=False, ndim=1,
                           min_size=2)
    a = _alpha_array("absorptivity", absorptivity, axis.shape)
    if np.any(a > 1):
        raise ValueError("absorptivity must lie in [0, 1]")
    temperature = _validate.in_range("temperature", temperature, *_TEMPERATURE_RANGE, unit="K")
    mu = _validate.in_range("chemical_potential", chemical_potential, -10.0, 10.0, unit="eV")
    prefactor = 2.0 * np.pi / (PLANCK_EV_S**3 * SPEED_OF_LIGHT_CM_S**2)
    return prefactor * axis**2 * a * _photon_occupation(axis, temperature, mu)


def _emission_checks(band_gap, urbach_energy, temperature):
    gap = _validate.in_range("band_gap", band_gap, *_BAND_GAP_RANGE, unit="eV")
    eu = _validate.in_range("urbach_energy", urbach_energy, 1e-4, 0.5, unit="eV")
    low_t = 1.05 * eu / BOLTZMANN_EV
    temperature = _validate.in_range("temperature", temperature, low_t, _TEMPERATURE_RANGE[1],
                                     unit="K (above 1.05 E_U / k_B: otherwise the Urbach tail "
                                          "emission grows towards low energies)")
    return gap, eu, temperature


@functools.lru_cache(maxsize=256)
def _emission_reference(gap: float, eu: float, temperature: float):
    """Normalisation [cm^-3 s^-1] and mean energy [eV] of the Urbach-edge vRS emission."""
    kt = BOLTZMANN_EV * temperature
    tail = eu * kt / (kt - eu)  # decay length of the emission below the gap [eV]
    low = max(gap - 40.0 * tail, 0.05 * gap)
    high = gap + 40.0 * kt
    # Two grids that meet at the cusp at the gap, each integrated with Simpson's rule
    # (relative error ~ (step / decay length)^4 ~ 1e-9), so the lineshape has unit area.
    below = np.linspace(low, gap, 4001)
    above = np.linspace(gap, high, 4001)
    totals = []
    for axis in (below, above):
        shape = van_roosbroeck_shockley(axis, urbach_absorption(axis, gap, eu, 1.0), temperature)
        totals.append((simpson(shape, x=axis), simpson(axis * shape, x=axis)))
    norm = totals[0][0] + totals[1][0]
    mean = (totals[0][1] + totals[1][1]) / norm
    return norm, mean


def band_edge_emission(energy, band_gap: float, urbach_energy: float,
                       temperature: float) -> np.ndarray:
    r"""Emission lineshape of thermalised carriers at an Urbach band edge, unit area.

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], > 0.
    band_gap : float
        Band gap [eV].
    urbach_energy : float
        Urbach energy [eV], > 0.
    temperature : float
        Temperature of carriers and lattice [K], above :math:`1.05\,E_U / k_B`.

    Returns
    -------
    numpy.ndarray
        Lineshape :math:`g(E)` [eV^-1]: :func:`van_roosbroeck_shockley` applied to
        :func:`urbach_absorption`, divided by its integral over all energies (so it is the
        probability density of the emitted photon energy, whatever grid it is evaluated on).

    Notes
    -----
    .. math::

        g(E) \propto E^2 \alpha(E)\, e^{-E / k_B T}
        \propto E^2 \begin{cases}
            e^{-(E - E_g)/k_B T} & E \ge E_g \\
            e^{(E - E_g)(1/E_U - 1/k_B T)} & E < E_g
        \end{cases}

    Above the gap the Boltzmann factor makes the high-energy side; below it the Urbach tail
    of the absorption, which falls faster than the Boltzmann factor rises only while
    :math:`E_U < k_B T`. Below :math:`T = E_U / k_B` (174 K for 15 meV) the model emission
    would grow towards low energies: carriers in the tail no longer thermalise and the
    Urbach energy itself shrinks, so the function refuses such temperatures.

    Examples
    --------
    >>> energy = np.linspace(1.0, 2.0, 10001)
    >>> g = band_edge_emission(energy, 1.57, 0.015, 295.0)
    >>> print(f"peak at {energy[np.argmax(g)]:.3f} eV, area {np.trapezoid(g, energy):.4f}")
    peak at 1.570 eV, area 1.0000
    """
    axis = _validate.array("energy", energy, "eV", low=0.0, include_low=False, ndim=1,
                           min_size=2)
    gap, eu, temperature = _emission_checks(band_gap, urbach_energy, temperature)
    norm, _ = _emission_reference(gap, eu, temperature)
    shape = van_roosbroeck_shockley(axis, urbach_absorption(axis, gap, eu, 1.0), temperature)
    return shape / norm


def mean_emission_energy(band_gap: float, urbach_energy: float, temperature: float) -> float:
    r"""Mean energy of the photons in :func:`band_edge_emission` [eV].

    Parameters
    ----------
    band_gap : float
        Band gap [eV].
    urbach_energy : float
        Urbach energy [eV].
    temperature : float
        Temperature [K], above :math:`1.05\,E_U / k_B`.

    Returns
    -------
    float
        :math:`\langle E_f \rangle = \int E\, g(E)\, dE` [eV].

    Notes
    -----
    Without the slowly varying :math:`E^2` factor the line is two exponentials meeting at
    the gap, of lengths :math:`k_B T` above and :math:`\ell = E_U k_B T / (k_B T - E_U)`
    below, so :math:`\langle E_f\rangle \approx E_g + k_B T - \ell`: the mean lies *below*
    the gap when the tail is longer than :math:`k_B T`: for MAPbI3 at 295 K the estimate
    is 11 meV below, and the exact mean (the :math:`E^2` factor included) 9 meV below.

    Examples
    --------
    >>> print(f"{mean_emission_energy(1.57, 0.015, 295.0):.4f} eV")
    1.5613 eV
    """
    gap, eu, temperature = _emission_checks(band_gap, urbach_energy, temperature)
    return float(_emission_reference(gap, eu, temperature)[1])


def mean_photon_energy(energy, spectrum) -> float:
    r"""Mean photon energy of a spectrum given as photons per energy interval [eV].

    Parameters
    ----------
    energy : array_like
        Photon energies [eV], increasing.
    spectrum : array_like
        Photon number per energy interval [any unit eV^-1], >= 0, not all 0.

    Returns
    -------
    float
        :math:`\int E\, S(E)\, dE / \int S(E)\, dE` [eV] (trapezoidal rule).

    Examples
    --------
    >>> energy = np.linspace(1.0, 2.0, 101)
    >>> print(f"{mean_photon_energy(energy, np.ones(101)):.3f}")
    1.500
    """
    axis = _validate.array("energy", energy, "eV", low=0.0, include_low=False, ndim=1,
                           min_size=2)
    values = _alpha_array("spectrum", spectrum, axis.shape)
    total = np.trapezoid(values, axis)
    if not total > 0:
        raise ValueError("spectrum must not be all 0")
    return float(np.trapezoid(axis * values, axis) / total)
