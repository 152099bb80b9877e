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
