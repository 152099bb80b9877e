"""Every notebook imports lerbook one way, so that the chapters read alike.

The rule: a notebook imports the lerbook modules it uses in its first code cell, as one
``from lerbook import a, b, c`` (third-party imports above it, in ruff's isort order), and names
everything through its module: ``explore.recombination.abc_explorer()``, ``units.BOLTZMANN_EV``,
``recombination.TrapParameters(...)``. No ``from lerbook.x import y``, no ``import ... as``
alias, no function or class imported on its own. Explorers and figures are reached through their
chapter's module (``explore.reservoir.energy_balance_explorer()``,
``plotting.ultraslow.plot_protocol(...)``), not through the names the packages re-export.

The one exception: a self-check cell imports ``checks`` itself (``from lerbook import checks``),
so that it runs on its own in a fresh kernel, as a student who jumps to an exercise runs it (and
as the live browser test does). Code shown in markdown cells follows the same import rule.

These tests read the committed notebooks; they run no notebook (nbval does).
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

BOOK = Path(__file__).resolve().parents[1] / "book"

#: Python shown in a markdown cell: a fenced block marked python or ipython.
FENCED_PYTHON = re.compile(r"^```+\s*\{?(?:python|ipython3?)\}?\s*\n(.*?)^```+", re.M | re.S)

#: The lerbook packages whose names are reached through a chapter module.
BY_CHAPTER_MODULE = ("explore", "plotting")


def notebooks():
    """Every notebook of the book (not checkpoints or build output)."""
    return sorted(
        path for path in BOOK.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts and "_build" not in path.parts
    )


def is_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def parse(source: str) -> ast.Module:
    """A code cell as Python (IPython magics such as ``%matplotlib inline`` translated)."""
    return ast.parse(TransformerManager().transform_cell(source))


def lerbook_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "lerbook"
                                                    for alias in node.names)
            or isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "lerbook"]


def form_problems(tree: ast.Module) -> list[str]:
    """How the lerbook imports of one piece of code break the rule (empty when they follow it)."""
    problems = []
    for node in lerbook_imports(tree):
        line = f"line {node.lineno}: {ast.unparse(node)}"
        if isinstance(node, ast.Import):
            problems.append(f"{line}: use `from lerbook import <module>`")
        elif node.module != "lerbook":
            problems.append(f"{line}: import the module from lerbook and name it")
        else:
            for alias in node.names:
                if alias.asname is not None:
                    problems.append(f"{line}: no alias for lerbook.{alias.name}")
                if not is_module(f"lerbook.{alias.name}"):
                    problems.append(f"{line}: lerbook.{alias.name} is not a module")
    return problems


def imported_names(tree: ast.Module) -> set[str]:
    return {alias.asname or alias.name for node in lerbook_imports(tree)
            if isinstance(node, ast.ImportFrom) for alias in node.names}


def import_problems(notebook) -> list[str]:
    """Every way a notebook imports or names lerbook other than by the rule."""
    problems = []
    trees = [(index, parse(cell.source)) for index, cell in enumerate(notebook.cells)
             if cell.cell_type == "code"]
    names = set().union(*(imported_names(tree) for _, tree in trees))
    for position, (index, tree) in enumerate(trees):
        problems += [f"cell {index}, {problem}" for problem in form_problems(tree)]
        later = imported_names(tree) - {"checks"} if position else set()
        if later:
            problems.append(f"cell {index}: imports {sorted(later)} from lerbook; the first code "
                            "cell imports the chapter's modules")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in BY_CHAPTER_MODULE and node.value.id in names
                    and not is_module(f"lerbook.{node.value.id}.{node.attr}")):
                problems.append(f"cell {index}, line {node.lineno}: {ast.unparse(node)} is not "
                                f"reached through a chapter module ({node.value.id}.<module>.)")
    if names - {"checks"} and not imported_names(trees[0][1]):
        problems.append("the first code cell does not import the chapter's lerbook modules")
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            for block in FENCED_PYTHON.findall(cell.source):
                problems += [f"cell {index} (markdown), {problem}"
                             for problem in form_problems(ast.parse(block))]
    return problems


NOTEBOOKS = notebooks()


def test_the_book_has_notebooks():
    assert len(NOTEBOOKS) >= 9


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_imports_lerbook_modules_in_its_first_cell_and_names_them(path):
    problems = import_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def notebook(*cells):
    """A small notebook of code cells, and markdown cells given as ("md", source)."""
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(cell[1]) if isinstance(cell, tuple)
        else nbformat.v4.new_code_cell(cell)
        for cell in cells])


FIRST = "%matplotlib inline\nimport numpy as np\n\nfrom lerbook import explore, plotting, units"
CHECK = 'from lerbook import checks\n\ncheck_x = checks.Check("ex-x", "AAAA")\ncheck_x(...)'


def test_the_rule_accepts_a_chapter_written_by_it():
    assert import_problems(notebook(
        FIRST,
        "explore.reservoir.energy_balance_explorer()",
        "plotting.ultraslow.plot_timescales({}); print(units.BOLTZMANN_EV)",
        CHECK,
        ("md", "```python\nfrom lerbook import materials\n\nmaterials.get_material('MAPbI3')\n```"),
    )) == []


@pytest.mark.parametrize("cells, expected", [
    ((FIRST + "\nfrom lerbook.units import BOLTZMANN_EV",), "import the module from lerbook"),
    ((FIRST + "\nfrom lerbook.explore import ions as explore_ions",), "import the module"),
    ((FIRST + "\nimport lerbook.units",), "use `from lerbook import <module>`"),
    (("from lerbook import explore as explorers",), "no alias for lerbook.explore"),
    (("from lerbook import units\nfrom lerbook import __version__",), "is not a module"),
    ((FIRST, "from lerbook import ions\nions.MOBILE_SPECIES"), "the first code cell imports"),
    (("import numpy as np", "from lerbook import units"), "the first code cell does not import"),
    ((FIRST, "explore.energy_balance_explorer()"), "not reached through a chapter module"),
    ((FIRST, "plotting.plot_reservoir_density([], [])"), "not reached through a chapter module"),
    ((FIRST, ("md", "```python\nfrom lerbook.materials import get_material\n```")),
     "(markdown), line 1"),
], ids=["from-submodule", "alias-of-submodule", "import-lerbook", "alias", "not-a-module",
        "later-cell", "not-in-first-cell", "explore-re-export", "plotting-re-export", "markdown"])
def test_the_rule_finds_each_other_way_to_import(cells, expected):
    problems = import_problems(notebook(*cells))
    assert any(expected in problem for problem in problems), problems
