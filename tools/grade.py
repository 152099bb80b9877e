"""Grade a class's notebooks by their self-checks: one command, one table.

Every exercise with a numerical answer has a check cell (``lerbook.checks``) whose output
records right, wrong or unanswered. This script re-runs each submitted notebook, so the verdicts
come from the code the student handed in and not from saved outputs, and tabulates them:

    python tools/grade.py submissions/*.ipynb                 # table on the terminal
    python tools/grade.py submissions/*.ipynb --csv grades.csv

Before running a notebook it removes any solution cells (``tools/strip_solutions.py``), so a
submission that kept the book's solutions gets no credit from them. Each notebook runs in its own
folder with ``LERBOOK_STATIC=1`` (explorers draw static figures, which is faster); a cell that
fails does not stop the others. The checks are self-checks: their answers are encoded, not
secret, so use the grade as a record of work done, and vary the numbers for marked work.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from strip_solutions import strip_solutions  # tools/, the folder of this script

RECORD = "lerbook_check"  # lerbook.checks.RECORD: a verdict's record in its output's metadata



def verdicts(notebook) -> dict[str, str]:
    """The status of every check in a notebook's outputs, by exercise label (the last one)."""
    found = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            record = output.get("metadata", {}).get(RECORD)
            if record:
                found[record["label"]] = record["status"]
    return found


def grade(path: Path, timeout: int = 900) -> dict[str, str]:
    """Run one submitted notebook without its solution cells; return its verdicts by label."""
    notebook = nbformat.read(path, as_version=4)
    notebook, _ = strip_solutions(notebook)
    os.environ["LERBOOK_STATIC"] = "1"  # inherited by the kernel nbclient starts
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    client.execute()
    return verdicts(notebook)


def table(results: dict[str, dict[str, str]]) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one row per notebook, one column per exercise, then the score."""
    labels = list(dict.fromkeys(label for found in results.values() for label in found))
    header = ["notebook", *labels, "right", "checks"]
    rows = []
    for name, found in results.items():
        right = sum(status == "right" for status in found.values())
        rows.append([name, *(found.get(label, "missing") for label in labels),
                     str(right), str(len(labels))])
    return header, rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="the submitted notebooks")
    parser.add_argument("--csv", type=Path, help="also write the table to this CSV file")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)

    results = {}
    for path in args.notebooks:
        try:
            results[str(path)] = grade(path, args.timeout)
        except Exception as error:  # a broken submission must not stop the class's grading
            print(f"{path}: could not be graded: {error}", file=sys.stderr)
            results[str(path)] = {}
    header, rows = table(results)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    if args.csv:
        with args.csv.open("w", newline="", encoding="utf8") as handle:
            csv.writer(handle).writerows([header, *rows])
    return 0


if __name__ == "__main__":
    sys.exit(main())
