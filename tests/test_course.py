"""The course materials agree with the notebooks: exercise index, solutions, syllabus.

The exercises live in the chapter notebooks as sphinx-exercise gated directives::

    ```{exercise-start}          (markdown cell)
    :label: ex-...
    ```
    ...
    check_x = checks.Check("ex-...", ...)   (code cell: the self-check, lerbook.checks)
    check_x(...)
    ```{solution-start} ex-...   (markdown cell: opens the solution, then its prose)
    :class: dropdown
    ```
    <code cells>                 (folded in JupyterLab; the last passes its answer to check_x)
    ```{solution-end}            (markdown cell)
    ```

These tests read the committed notebooks with nbformat; they run no notebook (nbval does).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"

EXERCISE_LABEL = re.compile(r"```+\{exercise-start\}[^\n]*\n(?:\s*:[^\n]*\n)*?\s*:label:\s*(\S+)")
SOLUTION_START = re.compile(r"^\s*```+\{solution-start\}\s+(\S+)")
SOLUTION_END = re.compile(r"^\s*```+\{solution-end\}\s*```+\s*$")
CHECK = re.compile(r"^(\w+) = checks\.Check\(\s*\"(ex-[\w-]+)\"", re.MULTILINE)
RECORD = "lerbook_check"  # lerbook.checks.RECORD
# {ref}`label`, {ref}`text <label>`, {numref}`label` and {numref}`text <label>`
REFERENCE = re.compile(r"\{(?:ref|numref)\}`(?:[^`<]*<)?([^`<>]+)>?`")
DOC_REFERENCE = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`<>]+)>?`")


def notebooks():
    """Every notebook of the book (not checkpoints or build output)."""
    return sorted(
        path for path in BOOK.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts and "_build" not in path.parts
    )


def read(path):
    return nbformat.read(path, as_version=4)


def exercise_labels(notebook):
    return [label for cell in notebook.cells if cell.cell_type == "markdown"
            for label in EXERCISE_LABEL.findall(cell.source)]


def solutions(notebook):
    """(exercise label, index of the start cell, the cells up to the end cell) per solution."""
    found = []
    cells = notebook.cells
    for index, cell in enumerate(cells):
        match = SOLUTION_START.match(cell.source) if cell.cell_type == "markdown" else None
        if match is None:
            continue
        end = next((j for j in range(index + 1, len(cells))
                    if cells[j].cell_type == "markdown" and SOLUTION_END.match(cells[j].source)),
                   None)
        body = cells[index + 1:end] if end is not None else None
        found.append((match.group(1), index, body))
    return found


ALL_NOTEBOOKS = notebooks()
EXERCISES = {path.name: exercise_labels(read(path)) for path in ALL_NOTEBOOKS}
ALL_LABELS = [label for labels in EXERCISES.values() for label in labels]
SOLUTIONS = [(path.name, *solution) for path in ALL_NOTEBOOKS for solution in solutions(read(path))]


def chapter_files():
    """The files of the "Chapters" part of _toc.yml, as paths relative to book/."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf8"))
    part = next(part for part in toc["parts"] if part.get("caption") == "Chapters")
    return [Path(entry["file"]).relative_to("book").as_posix() for entry in part["chapters"]]


def test_the_book_has_exercises_and_each_label_is_unique():
    assert len(ALL_LABELS) >= 25
    duplicated = [label for label, count in Counter(ALL_LABELS).items() if count > 1]
    assert not duplicated


def test_every_exercise_label_is_in_the_exercise_index():
    indexed = set(REFERENCE.findall((BOOK / "exercises.md").read_text(encoding="utf8")))
    missing = sorted(set(ALL_LABELS) - indexed)
    assert not missing, f"exercises missing from book/exercises.md: {missing}"


def test_the_exercise_index_and_syllabus_name_only_existing_exercises():
    for page in ("exercises.md", "syllabus.md"):
        named = {label for label in REFERENCE.findall((BOOK / page).read_text(encoding="utf8"))
                 if label.startswith("ex-")}
        unknown = sorted(named - set(ALL_LABELS))
        assert not unknown, f"book/{page} names exercises that do not exist: {unknown}"


def test_every_exercise_has_exactly_one_solution_in_its_own_notebook():
    for name, labels in EXERCISES.items():
        solved = Counter(label for notebook, label, _, _ in SOLUTIONS if notebook == name)
        for label in labels:
            assert solved[label] == 1, f"{name}: {label} has {solved[label]} solutions"


def test_every_solution_belongs_to_an_exercise():
    orphans = [(name, label) for name, label, _, _ in SOLUTIONS if label not in ALL_LABELS]
    assert not orphans


@pytest.mark.parametrize("name, label, start, body", SOLUTIONS,
                         ids=[solution[1] for solution in SOLUTIONS])
def test_solution_is_closed_and_ends_in_executed_code_without_errors(name, label, start, body):
    assert body is not None, f"{name}: the solution of {label} has no solution-end cell"
    code = [cell for cell in body if cell.cell_type == "code"]
    assert code, f"{name}: the solution of {label} has no code cell"
    assert body[-1].cell_type == "code", f"{name}: the solution of {label} does not end in code"
    for cell in code:
        assert cell.execution_count is not None, f"{name}: a code cell of {label} was never run"
        assert cell.outputs, f"{name}: a code cell of {label} shows no output"
        errors = [output for output in cell.outputs if output.output_type == "error"]
        assert not errors, f"{name}: a code cell of {label} saved an error: {errors[0].ename}"
        stderr = [output for output in cell.outputs
                  if output.output_type == "stream" and output.name == "stderr"
                  and "Traceback" in output.text]
        assert not stderr, f"{name}: a code cell of {label} printed a traceback"


def test_every_chapter_in_the_table_of_contents_is_in_the_syllabus():
    referenced = set(DOC_REFERENCE.findall((BOOK / "syllabus.md").read_text(encoding="utf8")))
    missing = [chapter for chapter in chapter_files()
               if Path(chapter).with_suffix("").as_posix() not in referenced]
    assert not missing, f"chapters missing from book/syllabus.md: {missing}"


def test_every_course_page_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf8")
    for page in ("syllabus", "exercises", "instructors", "cite"):
        assert f"file: book/{page}\n" in toc


def load_strip_solutions():
    spec = importlib.util.spec_from_file_location("strip_solutions",
                                                  ROOT / "tools" / "strip_solutions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=[path.name for path in ALL_NOTEBOOKS])
def test_strip_solutions_removes_every_solution_and_keeps_every_exercise(path):
    notebook = read(path)
    cells_before = len(notebook.cells)
    stripped, removed = load_strip_solutions().strip_solutions(notebook)
    assert sorted(removed) == sorted(label for name, label, _, _ in SOLUTIONS
                                     if name == path.name)
    assert exercise_labels(stripped) == exercise_labels(notebook)
    text = "\n".join(cell.source for cell in stripped.cells)
    assert "{solution-start}" not in text and "{solution-end}" not in text
    solution_cells = sum(len(body) + 2 for name, _, _, body in SOLUTIONS if name == path.name)
    assert len(stripped.cells) == len(notebook.cells) - solution_cells
    assert len(notebook.cells) == cells_before, "strip_solutions changed its input"


def test_strip_solutions_refuses_an_unclosed_solution():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("```{solution-start} ex-x\n:class: dropdown\n```\nProse"),
        nbformat.v4.new_code_cell("print(1)"),
    ])
    with pytest.raises(ValueError, match="never closed"):
        load_strip_solutions().strip_solutions(notebook)


def check_records(cell):
    """The (label, status) of every self-check verdict in a code cell's saved outputs."""
    return [(output["metadata"][RECORD]["label"], output["metadata"][RECORD]["status"])
            for output in cell.get("outputs", []) if RECORD in output.get("metadata", {})]


EXERCISE_CELLS = [(path.name, label, index, read(path).cells)
                  for path in ALL_NOTEBOOKS for index, cell in enumerate(read(path).cells)
                  if cell.cell_type == "markdown" for label in EXERCISE_LABEL.findall(cell.source)]


@pytest.mark.parametrize("name, label, index, cells", EXERCISE_CELLS,
                         ids=[exercise[1] for exercise in EXERCISE_CELLS])
def test_every_exercise_has_a_self_check_right_below_it_unanswered(name, label, index, cells):
    check = cells[index + 1]
    found = CHECK.findall(check.source) if check.cell_type == "code" else []
    assert [found_label for _, found_label in found] == [label], \
        f"{name}: the cell below {label} is not its self-check"
    assert check.source.rstrip().endswith(f"{found[0][0]}(...)")
    assert check_records(check) == [(label, "unanswered")], f"{name}: {label} saved no verdict"


@pytest.mark.parametrize("name, label, start, body", SOLUTIONS,
                         ids=[solution[1] for solution in SOLUTIONS])
def test_solution_passes_its_answer_to_the_check_and_is_folded_in_jupyterlab(name, label, start,
                                                                            body):
    last = body[-1]
    assert "nbval-check-output" in last.metadata.get("tags", []), \
        f"{name}: the last cell of the solution of {label} is not compared by nbval"
    assert check_records(last) == [(label, "right")], \
        f"{name}: the solution's answer to {label} does not pass its check"
    for cell in body:
        if cell.cell_type == "code":
            assert cell.metadata.get("jupyter") == {"source_hidden": True,
                                                    "outputs_hidden": True}, \
                f"{name}: a code cell of the solution of {label} is not folded in JupyterLab"


def test_the_student_kit_has_no_solution_cell_and_keeps_exercises_and_checks(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))  # as when the tool runs: its imports are its siblings
    try:
        import course_kit
    finally:
        sys.path.remove(str(ROOT / "tools"))
    written = course_kit.write_kit(ALL_NOTEBOOKS, tmp_path, pdf=None)
    assert sorted(written["student"]) == sorted(path.name for path in ALL_NOTEBOOKS)
    for path in ALL_NOTEBOOKS:
        original, student = read(path), read(tmp_path / "student" / path.name)
        solution_sources = {cell.source for name, _, _, body in SOLUTIONS if name == path.name
                            for cell in body}
        leaked = [cell.source[:60] for cell in student.cells
                  if cell.source in solution_sources or "{solution-" in cell.source]
        assert not leaked, f"{path.name}: solution cells in the student notebook: {leaked}"
        assert exercise_labels(student) == exercise_labels(original)
        checks_of = [CHECK.findall(cell.source) for cell in original.cells
                     if cell.cell_type == "code" and "checks.Check(" in cell.source]
        assert [CHECK.findall(cell.source) for cell in student.cells
                if cell.cell_type == "code" and "checks.Check(" in cell.source] == checks_of
        assert read(tmp_path / "notebooks" / path.name) == original
