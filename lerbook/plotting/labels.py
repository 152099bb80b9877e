"""Tick labels and text of the views: powers of ten, units and times in plain Unicode.

Every text a live view changes on a slider move is plain Unicode, not mathtext: matplotlib
parses mathtext again on every draw with a new renderer, which costs milliseconds per label
on every move, while Unicode superscripts cost nothing. Static figures may still use
mathtext (``$n_0$``) where it reads better.

Examples
--------
>>> from lerbook.plotting.labels import decade_label, time_text, times_ten
>>> decade_label(1e-3), decade_label(2e-3)
('10⁻³', '')
>>> times_ten(2e18), times_ten(1e19)
('2×10¹⁸', '10¹⁹')
>>> time_text(2.31e-7)
'231 ns'
"""

from __future__ import annotations

import math

from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, NullLocator

from lerbook.units import readable_time_unit

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

#: Units in plain text, for labels and titles that change on every slider move.
CM3 = "cm⁻³"
PER_S = "s⁻¹"


def superscript(value) -> str:
    """Digits and minus signs as Unicode superscripts.

    Parameters
    ----------
    value : int or str
        The exponent to write.

    Returns
    -------
    str
        The same characters raised, e.g. ``-3`` -> ``'⁻³'``.

    Examples
    --------
    >>> superscript(-3)
    '⁻³'
    """
    return str(value).translate(_SUPERSCRIPTS)


def decade_label(value, _position=None) -> str:
    """Tick label of a logarithmic axis: the power of ten at a decade, nothing between.

    Parameters
    ----------
    value : float
        Tick position [the axis' data unit].
    _position : int, optional
        Tick index (passed by :class:`matplotlib.ticker.FuncFormatter`; unused).

    Returns
    -------
    str
        ``'10ᵏ'`` in Unicode superscripts where ``value`` is a power of ten, else ``''``.

    Examples
    --------
    >>> decade_label(1e5), decade_label(3e5), decade_label(0.0)
    ('10⁵', '', '')
    """
    if not value > 0:
        return ""
    exponent = math.log10(value)
    if abs(exponent - round(exponent)) > 1e-6:
        return ""
    return f"10{superscript(round(exponent))}"


def decade_ticks(axis, numticks: int | None = None, minor_subs: tuple | None = None) -> None:
    """Label a logarithmic axis at its decades with :func:`decade_label`.

    Parameters
    ----------
    axis : matplotlib.axis.Axis
        The x or y axis (already on a logarithmic scale, or set to one later).
    numticks : int or None
        Most major ticks [-]: a :class:`~matplotlib.ticker.LogLocator` with that many; None
        keeps the axis' own locator.
    minor_subs : tuple of float or None
        Unlabelled minor ticks at these multiples of each decade [-] (e.g. ``(2.0, 5.0)``); None
        for no minor ticks: eight per decade would cost more to draw than the curves.

    Returns
    -------
    None
        The axis is changed in place.

    Examples
    --------
    >>> from lerbook.plotting import new_figure
    >>> fig, axes = new_figure()
    >>> axis = axes[0, 0].yaxis
    >>> axes[0, 0].set_yscale("log")
    >>> decade_ticks(axis, numticks=6)
    >>> axis.get_major_formatter()(1e-2)
    '10⁻²'
    """
    if numticks is not None:
        axis.set_major_locator(LogLocator(base=10.0, numticks=numticks))
    axis.set_major_formatter(FuncFormatter(decade_label))
    if minor_subs is None:
        axis.set_minor_locator(NullLocator())
    else:
        axis.set_minor_locator(LogLocator(base=10.0, subs=minor_subs, numticks=100))
        axis.set_minor_formatter(NullFormatter())


def decade_axes(ax, x: bool = False, y: bool = False, numticks: int | None = None) -> None:
    """Label the chosen logarithmic axes of ``ax`` at their decades, without minor ticks.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes.
    x, y : bool
        Which of its axes to label.
    numticks : int or None
        Most major ticks per axis [-] (see :func:`decade_ticks`).

    Returns
    -------
    None
        The axes are changed in place.
    """
    for flag, axis in ((x, ax.xaxis), (y, ax.yaxis)):
        if flag:
            decade_ticks(axis, numticks=numticks)


def times_ten(value: float) -> str:
    """A positive number in plain text as a power of ten.

    Parameters
    ----------
    value : float
        The number, > 0 [any unit].

    Returns
    -------
    str
        e.g. ``2e18`` -> ``'2×10¹⁸'``, ``1e19`` -> ``'10¹⁹'``.
    """
    exponent = math.floor(math.log10(value) + 1e-9)
    mantissa = value / 10**exponent
    power = f"10{superscript(exponent)}"
    return power if abs(mantissa - 1) < 1e-9 else f"{mantissa:.3g}×{power}"


def decade_below(value: float) -> tuple[float, str]:
    """The power of ten at or below a value, for the scale of an axis label.

    Parameters
    ----------
    value : float
        The largest value on the axis [the axis' unit]; 0 or below gives 10⁰.

    Returns
    -------
    scale : float
        10^k with 10^k <= value < 10^(k+1).
    label : str
        ``'10ᵏ'`` in Unicode superscripts.

    Examples
    --------
    >>> decade_below(3.2e21)
    (1e+21, '10²¹')
    """
    exponent = math.floor(math.log10(value)) if value > 0 else 0
    return 10.0 ** exponent, f"10{superscript(exponent)}"


def compact(text: str) -> str:
    """A formatted number with a short exponent.

    Parameters
    ----------
    text : str
        A number as Python formats it, e.g. ``f"{x:.2g}"``.

    Returns
    -------
    str
        The same with ``e+08`` written ``e8`` and ``e-05`` written ``e-5``.

    Examples
    --------
    >>> compact(f"{1e8:g}"), compact(f"{2.5e-5:.2g}")
    ('1e8', '2.5e-5')
    """
    return str(text).replace("e+", "e").replace("e-0", "e-").replace("e0", "e")


def scientific(value: float, unit: str = "") -> str:
    """A number in compact scientific notation, with its unit.

    Parameters
    ----------
    value : float
        The number [any unit]; infinities read ``'inf'``.
    unit : str
        Unit written after it.

    Returns
    -------
    str
        Two significant digits, e.g. ``3.2e+16 cm⁻³``.

    Examples
    --------
    >>> scientific(3.16e16, CM3)
    '3.2e+16 cm⁻³'
    """
    text = f"{value:.2g}" if math.isfinite(value) else "inf"
    return f"{text} {unit}".strip()


def time_text(seconds: float, beyond: str = "beyond the window") -> str:
    """A time in the unit that reads best (:func:`lerbook.units.readable_time_unit`).

    Parameters
    ----------
    seconds : float
        The time [s].
    beyond : str
        Text for a time that is not finite (a decay that never falls to 1/e within the
        times computed).

    Returns
    -------
    str
        Three significant digits and the unit, e.g. ``'231 ns'``.

    Examples
    --------
    >>> time_text(1e-9), time_text(float("inf"))
    ('1 ns', 'beyond the window')
    """
    if not math.isfinite(seconds):
        return beyond
    name, scale = readable_time_unit(seconds)
    return f"{seconds / scale:.3g} {name}"


def rate_text(rate: float) -> str:
    """A repetition rate in kHz or MHz.

    Parameters
    ----------
    rate : float
        Pulses per second [Hz].

    Returns
    -------
    str
        e.g. ``'100 kHz'``, ``'80 MHz'``.
    """
    if rate >= 1e6:
        return f"{rate / 1e6:.3g} MHz"
    return f"{rate / 1e3:.3g} kHz"
