"""Validation of physical parameters, shared by every parameter dataclass.

Every check raises :class:`ValueError` whose message names the parameter, the
value it was given and the range it must lie in, so a reader who moves a slider
too far or mistypes a value learns what to change.
"""

from __future__ import annotations

import math

import numpy as np


def _as_float(name: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if math.isnan(number):
        raise ValueError(f"{name} must be a real number, got NaN")
    return number


def positive(name: str, value, unit: str = "") -> float:
    """Return ``value`` as a float if it is finite and > 0, else raise ValueError."""
    number = _as_float(name, value)
    if not (0 < number < math.inf):
        raise ValueError(f"{name} must be finite and > 0{_unit(unit)}, got {value!r}")
    return number


def non_negative(name: str, value, unit: str = "") -> float:
    """Return ``value`` as a float if it is finite and >= 0, else raise ValueError."""
    number = _as_float(name, value)
    if not (0 <= number < math.inf):
        raise ValueError(f"{name} must be finite and >= 0{_unit(unit)}, got {value!r}")
    return number


def in_range(name: str, value, low: float, high: float, unit: str = "",
             include_low: bool = True, include_high: bool = True) -> float:
    """Return ``value`` as a float if it lies in the range, else raise ValueError.

    The range is ``[low, high]`` by default; ``include_low``/``include_high``
    make either end open.
    """
    number = _as_float(name, value)
    above = number >= low if include_low else number > low
    below = number <= high if include_high else number < high
    if not (above and below):
        left = "[" if include_low else "("
        right = "]" if include_high else ")"
        raise ValueError(
            f"{name} must lie in {left}{low:g}, {high:g}{right}{_unit(unit)}, got {value!r}"
        )
    return number


def _unit(unit: str) -> str:
    return f" {unit}" if unit else ""


def integer(name: str, value, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int if it is an integer in [low, high] (no upper bound when
    ``high`` is None), else raise ValueError. Booleans are not accepted as integers."""
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not whole or value < low or (high is not None and value > high):
        allowed = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an integer {allowed}, got {value!r}")
    return int(value)


def choice(name: str, value, options):
    """Return ``value`` if it is one of ``options``, else raise ValueError listing them."""
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(str, options))}; got {value!r}")
    return value


def _summary(values: np.ndarray) -> str:
    """The offending array in a few words: itself if short, else its shape and extremes."""
    if values.size <= 8:
        return repr(values.tolist())
    with np.errstate(invalid="ignore"):
        return (f"an array of shape {values.shape} from {np.nanmin(values):g} to "
                f"{np.nanmax(values):g}")


def array(name: str, value, unit: str = "", *, low: float | None = None,
          high: float | None = None, include_low: bool = True, include_high: bool = True,
          ndim: int | None = None, shape: tuple | None = None, min_size: int = 1,
          order: str | None = None, reason: str = "") -> np.ndarray:
    """Return ``value`` as a float array if it passes every check asked for, else raise
    ValueError naming the parameter, the value it was given and the range it must lie in.

    Parameters
    ----------
    name : str
        Parameter name, as the caller spells it.
    value : array_like
        The value to check.
    unit : str
        Unit for the message, e.g. ``"s"``.
    low, high : float or None
        Bounds of every element (None: unbounded); ``include_low``/``include_high`` False make
        either end open. Elements must always be finite.
    ndim : int or None
        Required number of dimensions.
    shape : tuple or None
        Required shape (e.g. the shape of another argument).
    min_size : int
        Least number of elements (0 allows an empty array).
    order : {None, "non-decreasing", "increasing", "equally spaced"}
        Required ordering along a 1-D array; "equally spaced" also means increasing, with
        steps equal to within 1e-6 of their mean (TCSPC channels).
    reason : str
        Why the bounds are what they are, added to the message of a bounds error (e.g.
        "the pulse arrives at t = 0").

    Returns
    -------
    numpy.ndarray
        The checked array [unit].
    """
    suffix = f" [{unit}]" if unit else ""
    try:
        values = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be real numbers{suffix}, got {value!r}") from None
    if ndim is not None and values.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional{suffix}, got shape {values.shape}")
    if shape is not None and values.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}{suffix}, got shape "
                         f"{values.shape}")
    if values.size < min_size:
        raise ValueError(f"{name} must hold at least {min_size} value"
                         f"{'s' if min_size > 1 else ''}{suffix}, got {values.size}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite{suffix}, got {_summary(values)}")
    above = True if low is None else np.all(values >= low if include_low else values > low)
    below = True if high is None else np.all(values <= high if include_high else values < high)
    if not (above and below):
        if high is None:
            allowed = f"{'>=' if include_low else '>'} {low:g}"
        elif low is None:
            allowed = f"{'<=' if include_high else '<'} {high:g}"
        else:
            allowed = (f"in {'[' if include_low else '('}{low:g}, {high:g}"
                       f"{']' if include_high else ')'}")
        why = f" ({reason})" if reason else ""
        raise ValueError(f"{name} must be finite and {allowed}{_unit(unit)}{why}, got "
                         f"{_summary(values)}")
    if order is not None:
        steps = np.diff(values.ravel())
        bad = {"non-decreasing": np.any(steps < 0), "increasing": np.any(steps <= 0),
               "equally spaced": np.any(steps <= 0)
               or bool(steps.size and np.ptp(steps) > 1e-6 * steps.mean())}[order]
        if bad:
            raise ValueError(f"{name} must be {order}{suffix}, got {_summary(values)}")
    return values
