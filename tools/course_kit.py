"""Write the course kit into the built website, so any static host serves it with the book.

``make book`` runs this after the website build and ``make pdf``. Into ``_build/html/kit/``:

- ``student/<chapter>.ipynb``: every notebook of the book without its solutions
  (``tools/strip_solutions.py``); the exercises and their self-checks stay;
- ``notebooks/<chapter>.ipynb``: every notebook as it is in the repository, solutions included;
- ``student-notebooks.zip`` and ``notebooks.zip``: each set in one download;
- ``lattice-energy-reservoir.pdf``: the whole book (``make pdf``), copied from ``--pdf``.

Every chapter's download menu links these files (``_ext/lerbook_site.py``), and so does the
instructors' page. Usage::

    python tools/course_kit.py --pdf _build/pdf/lattice-energy-reservoir.pdf
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
from strip_solutions import strip_solutions  # tools/, the folder of this script

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
PDF_NAME = "lattice-energy-reservoir.pdf"



def book_notebooks(root: Path = ROOT) -> list[Path]:
    """The notebooks of the book that git tracks (no checkpoints, no build output)."""
    listed = subprocess.run(["git", "ls-files", "book/*.ipynb"], cwd=root, check=True,
                            capture_output=True, text=True).stdout.split()
    return [root / name for name in listed]


def write_kit(notebooks: list[Path], out: Path, pdf: Path | None) -> dict[str, list[str]]:
    """Write the kit (see the module doc) and return, per folder, the notebooks written."""
    written = {"student": [], "notebooks": []}
    for folder in written:
        shutil.rmtree(out / folder, ignore_errors=True)
        (out / folder).mkdir(parents=True)
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        student, _ = strip_solutions(notebook)
        nbformat.write(student, out / "student" / path.name)
        shutil.copy2(path, out / "notebooks" / path.name)
        for folder in written:
            written[folder].append(path.name)
    for folder, archive in (("student", "student-notebooks.zip"), ("notebooks", "notebooks.zip")):
        with zipfile.ZipFile(out / archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for name in written[folder]:
                zipped.write(out / folder / name, f"{Path(archive).stem}/{name}")
    if pdf is not None:
        shutil.copy2(pdf, out / PDF_NAME)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html" / "kit",
                        help="the kit's folder; default _build/html/kit")
    parser.add_argument("--pdf", type=Path, required=True,
                        help="the PDF of the whole book (from make pdf)")
    args = parser.parse_args(argv)
    if not args.pdf.is_file():
        print(f"{args.pdf} is missing: run `make pdf` first", file=sys.stderr)
        return 1
    written = write_kit(book_notebooks(), args.out, args.pdf)
    print(f"course kit in {args.out}: {len(written['student'])} student notebooks, "
          f"{len(written['notebooks'])} full notebooks, 2 zip files, {PDF_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
