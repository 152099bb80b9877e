"""Competition under constant light: light-generated quenching defects against reservoir
brightening (model 1 of :mod:`lerbook.ions`).

Formation of the quenching defects is superlinear in the intensity, so quenching wins above a
crossover intensity (:func:`crossover_intensity`), as in the MAPbBr3 single crystal of Chen et
al. 2017 that brightens below 200 mW cm^-2 and quenches at 350 mW cm^-2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq

from lerbook import _validate
from lerbook.ultraslow import IlluminationProtocol, UltraslowParameters, simulate

__all__ = ["QuenchingParameters", "CompetitionResult", "competition", "crossover_intensity"]

@dataclass(frozen=True)
class QuenchingParameters:
    r"""Light-generated quenching defects (illustrative parameters for MAPbBr3).

    Parameters
    ----------
    formation_rate : float
        Formation rate of quenching defects at the reference intensity, k_f [s^-1], > 0.
        Default 0.02.
    reference_intensity : float
        Intensity I_ref at which the formation rate is ``formation_rate`` [mW cm^-2], > 0.
        Default 350.
    order : float
        Power m of the intensity in the formation rate [-], in [1, 4]. Default 2 (two carriers
        are needed to displace an ion, so formation outpaces the linear reservoir drive).
    healing_time : float
        Lifetime of a quenching defect, tau_h [s], > 0; defects heal in the dark too.
        Default 60.
    strength : float
        Extra non-radiative rate of a fully formed defect population relative to the film's
        own decay rate, Q [-], >= 0. Default 3.

    Notes
    -----
    The fraction q of the possible quenching defects that exist obeys

    .. math::

        \frac{dq}{dt} = k_f \left(\frac{I}{I_{ref}}\right)^m (1 - q) - \frac{q}{\tau_h},

    and the defects add a non-radiative channel :math:`Q q` (in units of the film's decay
    rate) in parallel with the carrier kinetics, so the PL is divided by :math:`1 + Q q`.

    Examples
    --------
    >>> QuenchingParameters().formation_at(175.0)
    0.005
    """

    formation_rate: float = 0.02
    reference_intensity: float = 350.0
    order: float = 2.0
    healing_time: float = 60.0
    strength: float = 3.0

    def __post_init__(self):
        object.__setattr__(self, "formation_rate",
                           _validate.positive("formation_rate", self.formation_rate, "s^-1"))
        object.__setattr__(self, "reference_intensity",
                           _validate.positive("reference_intensity", self.reference_intensity,
                                              "mW cm^-2"))
        object.__setattr__(self, "order", _validate.in_range("order", self.order, 1.0, 4.0))
        object.__setattr__(self, "healing_time",
                           _validate.positive("healing_time", self.healing_time, "s"))
        object.__setattr__(self, "strength",
                           _validate.non_negative("strength", self.strength))

    def formation_at(self, intensity: float) -> float:
        """Formation rate k_f (I/I_ref)^m at ``intensity`` [mW cm^-2], in [s^-1].

        Parameters
        ----------
        intensity : float
            Incident power density I [mW cm^-2], > 0.

        Returns
        -------
        float
            The formation rate k_f (I/I_ref)^m [s^-1].
        """
        return self.formation_rate * (intensity / self.reference_intensity) ** self.order


#: The chapter's MAPbBr3 film: the reservoir model of :mod:`lerbook.ultraslow` with the
#: MAPbBr3 preset (illustrative kinetics).
MAPBBR3_RESERVOIR = UltraslowParameters(material="MAPbBr3")


@dataclass(frozen=True)
class CompetitionResult:
    """Result of :func:`competition`.

    Attributes
    ----------
    t : numpy.ndarray
        Times [s].
    intensity : float
        Illumination intensity [mW cm^-2].
    brightening : numpy.ndarray
        PL relative to t = 0 of the reservoir model alone [-].
    quench_fraction : numpy.ndarray
        Fraction q of the quenching defects formed [-].
    relative_pl : numpy.ndarray
        PL relative to t = 0 with both processes, brightening / (1 + Q q) [-].
    quenching : QuenchingParameters
        The quenching model.
    """

    t: np.ndarray
    intensity: float
    brightening: np.ndarray
    quench_fraction: np.ndarray
    relative_pl: np.ndarray
    quenching: QuenchingParameters = field(repr=False)

    @property
    def final_change(self) -> float:
        """PL at the end relative to the start [-]: > 1 brightened, < 1 quenched."""
        return float(self.relative_pl[-1])


def _quench_fraction(quenching: QuenchingParameters, intensity: float, t) -> np.ndarray:
    k = quenching.formation_at(intensity)
    rate = k + 1.0 / quenching.healing_time
    return k / rate * (1.0 - np.exp(-rate * np.asarray(t, dtype=float)))


def competition(intensity: float, duration: float = 120.0,
                quenching: QuenchingParameters | None = None,
                reservoir: UltraslowParameters = MAPBBR3_RESERVOIR,
                wavelength: float = 405.0, points: int = 200) -> CompetitionResult:
    r"""PL under constant light when reservoir brightening competes with ion quenching.

    Parameters
    ----------
    intensity : float
        Incident power density [mW cm^-2], > 0.
    duration : float
        Illumination time [s], > 0. Default 120.
    quenching : QuenchingParameters, optional
        The quenching defects; default :class:`QuenchingParameters` ().
    reservoir : lerbook.ultraslow.UltraslowParameters
        The brightening model; default MAPbBr3 with illustrative kinetics.
    wavelength : float
        Excitation wavelength [nm]. Default 405.
    points : int
        Number of times of the result. Default 200.

    Returns
    -------
    CompetitionResult

    Notes
    -----
    .. math::

        \frac{PL(t)}{PL(0)} = \frac{B(t)}{1 + Q\, q(t)}, \qquad
        q(t) = \frac{k}{k + 1/\tau_h}\left(1 - e^{-(k + 1/\tau_h) t}\right), \quad
        k = k_f (I/I_{ref})^m,

    with :math:`B(t)` the brightening of :func:`lerbook.ultraslow.simulate` (reservoir
    formation driven by the deposited heat; with the MAPbBr3 preset its 120 s brightening is
    largest near 100 mW cm^-2 and falls at higher I, which adds to the crossover). Treating
    the quenching channel as a factor on the PL assumes the defects add a non-radiative rate
    in parallel with, and small against the change of, the fast carrier kinetics: a first
    approximation, not a coupled solution.

    Examples
    --------
    >>> low, high = competition(100.0), competition(350.0)
    >>> print(f"{low.final_change:.2f} {high.final_change:.2f}")
    2.06 0.74
    """
    quenching = QuenchingParameters() if quenching is None else quenching
    intensity = _validate.positive("intensity", intensity, "mW cm^-2")
    duration = _validate.positive("duration", duration, "s")
    protocol = IlluminationProtocol.constant(intensity, duration, wavelength=wavelength)
    run = simulate(reservoir, protocol, points=int(points))
    t = np.asarray(run.t, dtype=float)
    brightening = np.asarray(run.probe_pl, dtype=float) / float(run.probe_pl[0])
    q = _quench_fraction(quenching, intensity, t)
    relative = brightening / (1.0 + quenching.strength * q)
    return CompetitionResult(t, intensity, brightening, q, relative, quenching)


def crossover_intensity(duration: float = 120.0, quenching: QuenchingParameters | None = None,
                        reservoir: UltraslowParameters = MAPBBR3_RESERVOIR,
                        low: float = 10.0, high: float = 3000.0) -> float:
    """Intensity [mW cm^-2] above which the PL ends lower than it started after ``duration``
    [s] of light (root of final_change = 1 in [low, high]).

    Parameters
    ----------
    duration : float
        Illumination time [s], > 0. Default 120.
    quenching : QuenchingParameters, optional
        The quenching defects; default :class:`QuenchingParameters` ().
    reservoir : lerbook.ultraslow.UltraslowParameters
        The brightening model [its units]; default MAPbBr3.
    low, high : float
        Bracket of the search [mW cm^-2], 0 < low < high.

    Returns
    -------
    float
        The crossover intensity [mW cm^-2]; ValueError if the PL change does not cross 1
        between ``low`` and ``high``.

    Examples
    --------
    >>> print(f"{crossover_intensity():.0f} mW cm^-2")
    253 mW cm^-2
    """
    def excess(log_intensity):
        return competition(10 ** log_intensity, duration, quenching, reservoir,
                           points=20).final_change - 1.0

    a, b = math.log10(low), math.log10(high)
    if excess(a) * excess(b) > 0:
        raise ValueError(f"no crossover between low={low} and high={high} mW cm^-2")
    return float(10 ** brentq(excess, a, b, xtol=1e-4))
