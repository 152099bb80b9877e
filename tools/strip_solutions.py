"""Remove the exercise solutions from the book's notebooks, for an assessed version.

A solution in this book is a run of cells: a markdown cell that opens with a
``{solution-start} <label>`` directive (followed by the solution's prose), one or more code
cells, and a markdown cell holding only ``{solution-end}``. This script deletes each such run,
start and end cells included, and keeps every other cell (the exercises too) unchanged.

Usage::

    python tools/strip_solutions.py --out-dir assessed/ book/*.ipynb   # stripped copies
    python tools/strip_solutions.py --in-place book/*.ipynb            # on a course branch

It stops with an error, and writes nothing for that notebook, if a solution is not closed or
a directive is not where the book's conventions put it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

SOLUTION_START = re.compile(r"^\s*(```+|:::+)\{solution-start\}\s+(\S+)")
SOLUTION_END = re.compile(r"^\s*(```+|:::+)\{solution-end\}\s*\1\s*$")


def solution_label(cell) -> str | None:
    """The exercise label of a cell that opens a solution, else None."""
    if cell.cell_type != "markdown":
        return None
    match = SOLUTION_START.match(cell.source)
    return match.group(2) if match else None


def closes_solution(cell) -> bool:
    """Whether a cell is the markdown cell that closes a solution."""
    return cell.cell_type == "markdown" and bool(SOLUTION_END.match(cell.source))


def strip_solutions(notebook):
    """Return a copy of a notebook without its solutions, and the labels removed.

    Raises
    ------
    ValueError
        If a solution is opened but never closed, if a ``solution-start`` or
        ``solution-end`` directive appears anywhere but at the top of its own markdown cell,
        or if a solution-end cell has no solution to close.
    """
    kept, removed = [], []
    inside = None
    for index, cell in enumerate(notebook.cells):
        label = solution_label(cell)
        if cell.cell_type == "markdown" and label is None and not closes_solution(cell):
            if "{solution-start}" in cell.source or "{solution-end}" in cell.source:
                raise ValueError(f"cell {index}: a solution directive that does not open its cell")
        if label is not None:
            if inside is not None:
                raise ValueError(f"cell {index}: solution {label} opens inside solution {inside}")
            inside = label
            continue
        if closes_solution(cell):
            if inside is None:
                raise ValueError(f"cell {index}: solution-end without a solution-start")
            removed.append(inside)
            inside = None
            continue
        if inside is None:
            kept.append(cell)
    if inside is not None:
        raise ValueError(f"solution {inside} is never closed")
    stripped = nbformat.from_dict(notebook)
    stripped.cells = kept
    return stripped, removed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out-dir", type=Path, help="write stripped copies into this folder")
    where.add_argument("--in-place", action="store_true", help="overwrite the notebooks")
    args = parser.parse_args(argv)

    failed = False
    for path in args.notebooks:
        notebook = nbformat.read(path, as_version=4)
        try:
            stripped, removed = strip_solutions(notebook)
        except ValueError as error:
            print(f"{path}: {error}; left unchanged", file=sys.stderr)
            failed = True
            continue
        target = path if args.in_place else args.out_dir / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(stripped, target)
        print(f"{path}: removed {len(removed)} solutions -> {target}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
