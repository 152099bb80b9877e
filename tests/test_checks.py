"""lerbook.checks: encoded answers, verdicts, hints, and the record the grader reads."""

import doctest
import subprocess
import sys

import numpy as np
import pytest

from lerbook import checks
from lerbook.checks import Check, decode, encode


def test_docstring_examples_run():
    assert doctest.testmod(checks).failed == 0


@pytest.mark.parametrize("values", [329.0, [1.785, 7.004], np.array([2.24e17, 0.668]), -0.5])
def test_encode_round_trips_and_hides_the_digits(values):
    text = encode(values)
    assert decode(text) == tuple(np.atleast_1d(values).astype(float))
    assert str(np.atleast_1d(values)[0]) not in text


@pytest.mark.parametrize("bad", [[], float("nan"), [[1.0, 2.0]], "abc"])
def test_encode_refuses_what_is_not_finite_numbers(bad):
    with pytest.raises(ValueError, match="finite numbers|could not convert"):
        encode(bad)


@pytest.mark.parametrize("bad", ["not base64!", "AAAA", ""])
def test_decode_refuses_foreign_text(bad):
    with pytest.raises(ValueError, match="not the output of checks.encode"):
        decode(bad)


def test_right_within_tolerance_and_wrong_outside_it_with_the_hint():
    check = Check("ex-x", encode(100.0), rtol=0.05, unit="ps", hint="Use the lifetime.")
    assert check(104.9).status == "right"
    wrong = check(106.0)
    assert wrong.status == "wrong" and "Hint: Use the lifetime." in wrong.message
    assert "100" not in wrong.message  # the answer is never shown


def test_unanswered_and_not_a_number():
    check = Check("ex-x", encode(1.0))
    assert check(...).status == check(None).status == "unanswered"
    assert check("one").status == "wrong" and "not a number" in check("one").message


def test_several_numbers_with_a_tolerance_each():
    check = Check("ex-x", encode([0.997, 39.0]), rtol=(0.001, 0.1))
    assert check([0.9975, 42.0]).correct
    assert not check([0.99, 39.0]).correct and "number 1 is off" in check([0.99, 39.0]).message
    assert "has 2 number(s), you gave 1" in check(0.997).message


def test_an_answer_off_by_a_power_of_ten_points_at_the_unit():
    check = Check("ex-x", encode(18.0), unit="ns", hint="T_rep / ln 2")
    message = check(18e-9).message
    assert "10^-9" in message and "check the unit (ns)" in message
    assert "10^" not in check(36.0).message


@pytest.mark.parametrize("kwargs", [{"rtol": -0.1}, {"atol": (0.1, 0.2, 0.3)}])
def test_bad_tolerances_are_refused_with_their_name(kwargs):
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=name):
        Check("ex-x", encode([1.0, 2.0]), **kwargs)


def test_the_verdict_carries_a_record_for_the_grader():
    bundle, metadata = Check("ex-x", encode(1.0))(1.0)._repr_mimebundle_()
    assert metadata[checks.RECORD] == {"label": "ex-x", "status": "right"}
    assert bundle["text/plain"] == "ex-x: right."
    assert "lerbook-check-right" in bundle["text/html"]


def test_checks_needs_only_numpy():
    code = ("import sys, lerbook.checks\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'scipy', 'matplotlib', 'ipywidgets'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
