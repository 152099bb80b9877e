"""Build a PDF of the whole book, offline: one HTML page of the book, printed by Chromium.

1. ``jupyter-book build <book> --builder singlehtml`` writes the book as one HTML page
   (under ``_build/singlehtml/``), with ``LERBOOK_STATIC=1`` so every explorer is a static
   figure. The build uses the book's own ``_config.yml`` plus ``tools/singlehtml_fix.py``, which
   works around a Jupyter Book 1.0.4 crash of that builder; the website build is untouched.
2. Playwright drives Debian's Chromium (``/usr/bin/chromium``, as the browser tests do; nothing
   is downloaded), waits until MathJax has typeset every equation, opens every solution (or
   removes them with ``--no-solutions``) and prints the page to an A4 PDF with page numbers.

Usage::

    python tools/book_pdf.py                       # -> _build/pdf/lattice-energy-reservoir.pdf
    python tools/book_pdf.py --no-solutions --output exercises-only.pdf
    python tools/book_pdf.py --skip-build          # reprint the existing singlehtml build

The notebooks are executed as configured in ``_config.yml`` (``execute_notebooks``); pass
``--no-execute`` to use their committed outputs, which is much faster.

Why not the other builders: ``--builder pdfhtml`` prints with pyppeteer, which downloads its own
Chromium at first use (no network, no PDF), and ``--builder pdflatex`` needs a TeX installation of
several hundred megabytes and renders the explorers' figures and the exercise boxes less well.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

TOOLS = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"

#: Open every folded solution, or drop them all, before printing.
SHOW_SOLUTIONS_JS = """
() => {
  document.querySelectorAll('.solution').forEach(box => {
    box.classList.remove('toggle-hidden');
    box.querySelectorAll('.toggle-hidden').forEach(el => el.classList.remove('toggle-hidden'));
    box.querySelectorAll('details').forEach(el => { el.open = true; });
    box.querySelectorAll('button.toggle-button').forEach(el => el.remove());
  });
  return document.querySelectorAll('.solution').length;
}
"""
DROP_SOLUTIONS_JS = """
() => {
  const boxes = document.querySelectorAll('.solution');
  boxes.forEach(box => box.remove());
  return boxes.length;
}
"""
#: Wrap long code lines instead of cutting them off at the page's edge.
PRINT_CSS = "pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }"
WAIT_FOR_MATHJAX_JS = """
async () => {
  if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) return 'no MathJax';
  await MathJax.startup.promise;
  if (MathJax.typesetPromise) await MathJax.typesetPromise();
  return document.querySelectorAll('mjx-container').length + ' equations';
}
"""
FOOTER = (
    '<div style="font-size:8px; width:100%; text-align:center; color:#555;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def derived_config(book: Path, target: Path, execute: bool, extensions=None, **sections) -> Path:
    """Write a copy of the book's ``_config.yml`` to ``target``, changed, and return its path.

    ``extensions`` adds local Sphinx extensions ({name: folder}); each keyword merges into that
    section of the configuration (``launch_buttons={"jupyterhub_url": ...}``). The copy can
    live anywhere: the paths of ``local_extensions``, which Jupyter Book resolves against the
    configuration file's folder, are made absolute.
    """
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf8"))
    sphinx = config.setdefault("sphinx", {})
    local = sphinx.setdefault("local_extensions", {}) or {}
    local = {name: str((book / path).resolve()) for name, path in local.items()}
    sphinx["local_extensions"] = {**local, **(extensions or {})}
    if not execute:
        config.setdefault("execute", {})["execute_notebooks"] = "off"
    for section, changes in sections.items():
        config[section] = {**(config.get(section) or {}), **changes}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf8")
    return target


def build_singlehtml(book: Path, execute: bool) -> Path:
    """Build the book as one HTML page and return the page's path."""
    pdf_config = derived_config(book, book / "_build" / "pdf" / "_config_pdf.yml", execute,
                                extensions={"singlehtml_fix": str(TOOLS)})

    env = dict(os.environ, LERBOOK_STATIC="1", MPLBACKEND="Agg")
    venv_bin = str(Path(sys.executable).parent)
    jupyter_book = shutil.which("jupyter-book", path=venv_bin) or "jupyter-book"
    command = [jupyter_book, "build", str(book), "--builder", "singlehtml",
               "--config", str(pdf_config), "-W", "-n", "--keep-going"]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True, env=env)
    return singlehtml_page(book)


def singlehtml_page(book: Path) -> Path:
    """The one page of the singlehtml build, as a file at the top of the build folder.

    The builder writes the page as ``<root document>.html`` (``book/index.html``) but makes its
    links to ``_static/`` and ``_images/`` relative to the build folder, and ``index.html`` is a
    redirect. A copy of the page next to ``_static/`` finds its styles, MathJax and figures.
    """
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf8"))
    build = book / "_build" / "singlehtml"
    page = build / "book_single_page.html"
    page.write_text((build / f"{toc['root']}.html").read_text(encoding="utf8"), encoding="utf8")
    return page


def print_pdf(page_path: Path, output: Path, solutions: bool, chromium: str) -> None:
    """Print one HTML page to PDF with headless Chromium."""
    from playwright.sync_api import sync_playwright

    output.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(page_path.resolve().as_uri(), wait_until="load", timeout=120_000)
        print("MathJax:", page.evaluate(WAIT_FOR_MATHJAX_JS), flush=True)
        count = page.evaluate(SHOW_SOLUTIONS_JS if solutions else DROP_SOLUTIONS_JS)
        print(f"solutions {'opened' if solutions else 'removed'}: {count}", flush=True)
        page.add_style_tag(content=PRINT_CSS)
        page.emulate_media(media="print")
        page.pdf(path=str(output), format="A4", print_background=True,
                 margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                 display_header_footer=True, header_template="<span></span>",
                 footer_template=FOOTER)
        browser.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=TOOLS.parent,
                        help="the book's root folder (with _config.yml); default: this repository")
    parser.add_argument("--output", type=Path, default=None,
                        help="the PDF to write; default _build/pdf/lattice-energy-reservoir.pdf")
    parser.add_argument("--no-solutions", action="store_true", help="leave the solutions out")
    parser.add_argument("--no-execute", action="store_true",
                        help="use the notebooks' committed outputs instead of re-running them")
    parser.add_argument("--skip-build", action="store_true",
                        help="print the existing singlehtml build in _build/singlehtml/")
    parser.add_argument("--chromium", default=CHROMIUM, help="the Chromium executable")
    args = parser.parse_args(argv)

    book = args.book.resolve()
    output = args.output or book / "_build" / "pdf" / "lattice-energy-reservoir.pdf"
    if not Path(args.chromium).exists():
        print(f"{args.chromium} is missing: install Debian's chromium (apt-get install chromium)",
              file=sys.stderr)
        return 1
    if args.skip_build:
        page = singlehtml_page(book)
    else:
        page = build_singlehtml(book, execute=not args.no_execute)
    print_pdf(page, output, solutions=not args.no_solutions, chromium=args.chromium)
    print(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
