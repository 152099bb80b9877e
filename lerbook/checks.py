"""Self-checks for the book's exercises: right or wrong, with a hint, without the solution.

An exercise with a numerical answer has a check cell right below it in the chapter notebook::

    check_reservoir_size = checks.Check("ex-reservoir-size", "cVRfcpSQdEA=", rtol=0.05,
                                        unit="nm", hint="Set the two times equal ...")
    check_reservoir_size(...)   # your crossover size [nm]

The reader replaces ``...`` by a number (or a list of numbers, when the exercise asks for
several) and runs the cell; the check answers *right*, *not yet* with the hint, or asks for an
answer. The expected values are stored *encoded* (:func:`encode`), so they are not in plain
view; this keeps a self-check honest, it is not a lock against a reader who decodes them. The
solution (folded, below the check) ends by passing its own result to the same check, so the
tests confirm that the stored answer is what the solution computes.

Every verdict also leaves a small record in its output's metadata (key :data:`RECORD`), which
``tools/grade.py`` collects to grade a class's notebooks. This module needs only numpy.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field

import numpy as np

#: Key of a verdict's record (label and status) in the metadata of its notebook output.
RECORD = "lerbook_check"

#: The three outcomes of a check.
STATUSES = ("right", "wrong", "unanswered")


def encode(values) -> str:
    """Encode the expected answer of a check (one number or several) as a short text.

    Parameters
    ----------
    values : float or sequence of float
        The right answer, in the unit the check states [unit of the check].

    Returns
    -------
    str
        Base64 text of the values as little-endian float64; :func:`decode` reverses it.

    Examples
    --------
    >>> encode(329.0)
    'AAAAAACQdEA='
    >>> decode(encode([1.785, 7.004]))
    (1.785, 7.004)
    """
    array = np.atleast_1d(np.asarray(values, dtype="<f8"))
    if array.ndim != 1 or array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError(f"values must be one or more finite numbers, got {values!r}")
    return base64.b64encode(array.tobytes()).decode("ascii")


def decode(text: str) -> tuple[float, ...]:
    """The values encoded by :func:`encode`.

    Parameters
    ----------
    text : str
        Output of :func:`encode`.

    Returns
    -------
    tuple of float
        The encoded values [unit of the check].

    Examples
    --------
    >>> decode("AAAAAACQdEA=")
    (329.0,)
    """
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as error:
        raise ValueError(f"answer {text!r} is not the output of checks.encode") from error
    if not raw or len(raw) % 8:
        raise ValueError(f"answer {text!r} is not the output of checks.encode")
    return tuple(float(x) for x in np.frombuffer(raw, dtype="<f8"))


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check, shown as the output of the check cell.

    Attributes
    ----------
    label : str
        The exercise's label, e.g. ``"ex-reservoir-size"``.
    status : str
        ``"right"``, ``"wrong"`` or ``"unanswered"``.
    message : str
        What the reader sees: the verdict and, when wrong, the hint.
    """

    label: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        """Whether the answer was right."""
        return self.status == "right"

    def __repr__(self) -> str:
        return self.message

    def _repr_mimebundle_(self, include=None, exclude=None):
        colour = {"right": "#1a7f37", "wrong": "#b35900", "unanswered": "#555"}[self.status]
        html = (f'<div class="lerbook-check lerbook-check-{self.status}" '
                f'style="border-left: 4px solid {colour}; padding: 0.3em 0.8em;">'
                f"{_escape(self.message)}</div>")
        record = {RECORD: {"label": self.label, "status": self.status}}
        return {"text/plain": self.message, "text/html": html}, record


@dataclass(frozen=True)
class Check:
    """The check of one exercise: call it with the reader's answer.

    Parameters
    ----------
    label : str
        The exercise's label, e.g. ``"ex-reservoir-size"``.
    answer : str
        The right answer, encoded with :func:`encode` (one or several numbers).
    rtol : float or sequence of float, optional
        Relative tolerance, one for all numbers or one per number [-]. Default 0.02.
    atol : float or sequence of float, optional
        Absolute tolerance, one for all numbers or one per number [unit of the check].
        Default 0.
    unit : str, optional
        The unit the answer is asked in, named in the messages, e.g. ``"nm"``.
    hint : str, optional
        Shown with a wrong answer: a pointer to the method, never the answer.

    Examples
    --------
    >>> check = Check("ex-demo", encode(329.0), rtol=0.05, unit="nm",
    ...               hint="Set the two times equal and solve for d.")
    >>> check(...)
    ex-demo: no answer yet. Replace ... by your value (in nm) and run the cell again.
    >>> check(330)
    ex-demo: right.
    >>> check(0.33e-6)
    ex-demo: not yet: 3.3e-07 nm is off by a factor of about 10^-9; check the unit (nm).
    >>> check(420).status
    'wrong'
    """

    label: str
    answer: str
    rtol: float | tuple[float, ...] = 0.02
    atol: float | tuple[float, ...] = 0.0
    unit: str = ""
    hint: str = ""
    _expected: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        expected = decode(self.answer)
        for name in ("rtol", "atol"):
            tolerance = np.atleast_1d(np.asarray(getattr(self, name), dtype=float))
            if tolerance.size not in (1, len(expected)) or np.any(tolerance < 0):
                raise ValueError(f"{name} must be one non-negative number or one per answer "
                                 f"({len(expected)}), got {getattr(self, name)!r}")
        object.__setattr__(self, "_expected", expected)

    def __call__(self, value) -> Verdict:
        """Compare ``value`` with the right answer.

        Parameters
        ----------
        value : float, sequence of float, or ``...``
            The reader's answer, in the check's unit [unit of the check]; ``...`` or None
            while there is no answer yet.

        Returns
        -------
        Verdict
            Right, wrong (with the hint) or unanswered.
        """
        unit = f" {self.unit}" if self.unit else ""
        if value is Ellipsis or value is None:
            where = f" (in {self.unit})" if self.unit else ""
            return self._verdict("unanswered", "no answer yet. Replace ... by your value"
                                 f"{where} and run the cell again.")
        expected = np.array(self._expected)
        try:
            given = np.atleast_1d(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            return self._verdict("wrong", f"not yet: {value!r} is not a number.")
        if given.shape != expected.shape:
            return self._verdict("wrong", f"not yet: the answer has {expected.size} "
                                 f"number(s), you gave {given.size}.")
        close = np.isclose(given, expected, rtol=self.rtol, atol=self.atol)
        if np.all(close):
            return self._verdict("right", "right.")
        wrong = int(np.argmin(close))
        shown = _format(given) + unit
        factor = _power_of_ten(given[wrong], expected[wrong])
        if factor:
            where = f"check the unit ({self.unit})" if self.unit else "check the units"
            return self._verdict("wrong", f"not yet: {shown} is off by a factor of about "
                                 f"10^{factor}; {where}.")
        which = f" (number {wrong + 1} is off)" if expected.size > 1 else ""
        hint = f" Hint: {self.hint}" if self.hint else ""
        return self._verdict("wrong", f"not yet: {shown} is not the answer{which}.{hint}")

    def _verdict(self, status: str, text: str) -> Verdict:
        return Verdict(self.label, status, f"{self.label}: {text}")


def _format(values: np.ndarray) -> str:
    text = ", ".join(f"{x:.3g}" for x in values)
    return text if values.size == 1 else f"({text})"


def _power_of_ten(given: float, expected: float) -> int:
    """The power of ten by which ``given`` is off, when it is off by one (else 0)."""
    if given == 0 or expected == 0 or np.sign(given) != np.sign(expected):
        return 0
    exponent = math.log10(abs(given / expected))
    nearest = round(exponent)
    return nearest if nearest != 0 and abs(exponent - nearest) < 0.05 else 0


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
