"""Docstrings are part of the API: every example runs, every public function says what it takes
and what it gives, in numpydoc sections with units (the pattern of python-control's
``control/tests/docstrings_test.py``).

Modules are discovered with pkgutil, so a new module is covered the day it lands.
"""

import doctest
import importlib
import inspect
import pkgutil
import re

import matplotlib
import pytest
from numpydoc.docscrape import FunctionDoc

import lerbook

matplotlib.use("Agg")

MODULES = sorted(info.name for info in pkgutil.walk_packages(lerbook.__path__, "lerbook."))

# A unit in brackets, e.g. [s], [cm^-3], [dimensionless], [their units], [-].
_UNIT = re.compile(r"\[[^\]]+\]")
# Types that carry a number, so their description must give its unit.
# (Counts such as ``points`` or ``seed`` are int and need none.)
_NUMERIC = re.compile(r"\b(float|array_like|array-like|numpy\.ndarray|ndarray)\b")


def _public_functions(module):
    """(qualified name, function) of every public function and method the module defines."""
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if getattr(obj, "__module__", None) != module.__name__:
            continue  # a re-export: checked where it is defined
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if inspect.isfunction(member) and not attr.startswith("_"):
                    yield f"{name}.{attr}", member
                elif isinstance(member, (classmethod, staticmethod)) and not attr.startswith("_"):
                    yield f"{name}.{attr}", member.__func__


def _missing_sections(function) -> list[str]:
    """What the numpydoc sections of ``function`` lack: a list of complaints, empty if none."""
    doc = FunctionDoc(function)
    signature = inspect.signature(function)
    wanted = [p for p in signature.parameters.values()
              if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL,)]
    documented = {}
    for entry in doc["Parameters"]:
        for name in entry.name.split(","):
            documented[name.strip().lstrip("*")] = entry
    problems = []
    for parameter in wanted:
        entry = documented.get(parameter.name)
        if entry is None:
            problems.append(f"parameter {parameter.name!r} not in Parameters")
        elif _NUMERIC.search(entry.type) and not _UNIT.search(" ".join(entry.desc)):
            problems.append(f"parameter {parameter.name!r} ({entry.type}) gives no [unit]")
    returns_nothing = signature.return_annotation in ("None", None)
    if not returns_nothing and not doc["Returns"] and not doc["Yields"]:
        problems.append("no Returns section")
    return problems


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} fail"


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_have_numpydoc_parameters_with_units_and_returns(name):
    module = importlib.import_module(name)
    problems = {qualified: missing for qualified, function in _public_functions(module)
                if (missing := _missing_sections(function))}
    assert not problems, "\n".join(f"{name}.{q}: {'; '.join(m)}" for q, m in problems.items())


def test_discovery_finds_the_physics_packages_and_the_layers():
    assert {"lerbook.ions.competition", "lerbook.fitting.curves", "lerbook.plotting.core",
            "lerbook.explore.core", "lerbook.units"} <= set(MODULES)
