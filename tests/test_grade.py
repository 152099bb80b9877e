"""tools/grade.py: a class's notebooks graded by their self-checks, with one command."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lerbook.checks import encode

ROOT = Path(__file__).resolve().parents[1]
SETUP = (f"from lerbook import checks\n"
         f"check_a = checks.Check('ex-a', {encode(2.0)!r}, hint='double it')\n"
         f"check_b = checks.Check('ex-b', {encode([5.0, 6.0])!r})")


def submission(folder: Path, name: str, *cells) -> Path:
    path = folder / f"{name}.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(SETUP), *cells]), path)
    return path


def test_one_command_grades_right_wrong_unanswered_and_ignores_kept_solutions(tmp_path):
    submissions = [
        submission(tmp_path, "ada", new_code_cell("check_a(2.0)"),
                   new_code_cell("check_b([5.0, 6.0])")),
        submission(tmp_path, "bob", new_code_cell("check_a(3.0)"),
                   new_code_cell("raise RuntimeError('a bug in my code')"),
                   new_code_cell("check_b([5.0, 6.0])")),
        # Kept the book's solution, which passes the right value to the check: no credit.
        submission(tmp_path, "cy", new_code_cell("check_a(...)"),
                   new_markdown_cell("```{solution-start} ex-a\n:class: dropdown\n```\nProse."),
                   new_code_cell("check_a(2.0)"),
                   new_markdown_cell("```{solution-end}\n```")),
    ]
    grades = tmp_path / "grades.csv"
    command = [sys.executable, str(ROOT / "tools" / "grade.py"), *map(str, submissions),
               "--csv", str(grades)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(grades.open()))
    assert rows[0] == ["notebook", "ex-a", "ex-b", "right", "checks"]
    by_name = {Path(row[0]).stem: row[1:] for row in rows[1:]}
    assert by_name == {"ada": ["right", "right", "2", "2"],
                       "bob": ["wrong", "right", "1", "2"],
                       "cy": ["unanswered", "missing", "0", "2"]}
    assert "ada" in result.stdout and "unanswered" in result.stdout
