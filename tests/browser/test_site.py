"""The built website (``_build/html``), read in Chromium as a reader would.

Every page of the table of contents is loaded at desktop and at phone width; chapter pages are
also checked for their figures, exercise solutions and launch buttons, and screenshots of them
are written to ``_build/screenshots/``.
"""

from __future__ import annotations

import json

import nbformat
import pytest
import yaml

from . import checks
from .conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def toc_files(toc=TOC) -> list[str]:
    """Every file of the table of contents, in reading order (without extension)."""
    files = [toc["root"]] if "root" in toc else []
    for key in ("parts", "chapters", "sections"):
        for entry in toc.get(key, []):
            if "file" in entry:
                files.append(entry["file"])
            files += toc_files({k: v for k, v in entry.items() if k != "file"})
    return files


PAGES = toc_files()
NOTEBOOKS = [f for f in PAGES if (ROOT / f"{f}.ipynb").is_file()]
CHAPTERS = [f for f in NOTEBOOKS if f.split("/")[-1].startswith("ch")]

#: A word from each chapter's text that the search page must find it by.
SEARCH_WORDS = {"book/ch00_reservoir": "Kapitza", "book/ch01_cooling": "Klemens",
                "book/ch02_recombination": "Langevin", "book/ch03_upconversion": "Urbach",
                "book/ch04_ultraslow": "reciprocity", "book/ch05_ions": "Gillespie"}


def notebook_figures(name: str) -> int:
    """Image outputs the notebook makes (counted in its committed outputs)."""
    nb = nbformat.read(ROOT / f"{name}.ipynb", as_version=4)
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for output in cell.get("outputs", [])
               if any(m.startswith("image/") for m in output.get("data", {})))


@pytest.fixture(scope="module")
def desktop_page(browser, site):
    """``desktop_page(name) -> (page, log)``: each page loaded once at desktop size and kept
    for the tests that only read it (MathJax typesets a chapter in a few seconds)."""
    from .conftest import open_page

    cache, contexts = {}, []

    def get(name):
        if name not in cache:
            context, page, log = open_page(browser, **DESKTOP)
            contexts.append(context)
            checks.load(page, page_url(site, name))
            cache[name] = (page, log)
        return cache[name]

    yield get
    for context in contexts:
        context.close()


def page_url(site, name):
    return f"{site}/{name}.html"


def shot_name(name):
    return name.replace("/", "_")


@pytest.mark.parametrize("name", PAGES)
def test_page_desktop(desktop_page, screenshots, name):
    page, log = desktop_page(name)
    problems = {
        "errors": log.problems(),
        "images": checks.check_images(page),
        "alt text": checks.check_alt_text(page),
        "error output": checks.check_no_error_output(page),
        "math": checks.check_math(page),
    }
    if name in NOTEBOOKS:
        made, shown = notebook_figures(name), checks.count_figures(page)
        if shown < made:
            problems["figures"] = [f"the notebook makes {made} figures, the page shows {shown}"]
        figures_log = screenshots / "figures.json"
        counts = json.loads(figures_log.read_text()) if figures_log.is_file() else {}
        counts[name] = {"notebook": made, "page": shown}
        figures_log.write_text(json.dumps(counts, indent=1, sort_keys=True))
    if name in NOTEBOOKS or name == "book/index":
        page.screenshot(path=screenshots / f"{shot_name(name)}-desktop.png", full_page=True)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("name", PAGES)
def test_page_phone(new_page, site, screenshots, name):
    page, log = new_page(**PHONE, is_mobile=True, has_touch=True)
    checks.load(page, page_url(site, name))
    problems = {
        "errors": log.problems(),
        "overflow": checks.check_no_horizontal_overflow(page),
        "figures": checks.check_figures_fit(page),
    }
    if name in NOTEBOOKS or name == "book/index":
        page.screenshot(path=screenshots / f"{shot_name(name)}-phone.png", full_page=True)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_launch_buttons(desktop_page, name):
    page, _ = desktop_page(name)
    launch = CONFIG.get("launch_buttons", {})
    hrefs = checks.launch_hrefs(page)
    assert hrefs, "a notebook page has launch buttons"
    assert checks.check_launch_links(
        hrefs, CONFIG["repository"]["url"], CONFIG["repository"].get("branch", "main"),
        f"{name}.ipynb", launch.get("binderhub_url", ""), launch.get("jupyterhub_url", "")) == []


@pytest.mark.parametrize("name", CHAPTERS)
def test_solutions_hidden_until_toggled(desktop_page, name):
    page, _ = desktop_page(name)  # clicks them open: runs after the tests that read the page
    assert page.locator("div.solution").count() > 0, "a chapter has exercises with solutions"
    assert checks.check_solutions_toggle(page) == []


@pytest.mark.parametrize("name", sorted(SEARCH_WORDS))
def test_search_finds_chapter(new_page, site, name):
    word = SEARCH_WORDS[name]
    assert word in (ROOT / f"{name}.ipynb").read_text(), f"{word!r} is no longer in {name}"
    page, log = new_page(**DESKTOP)
    assert checks.check_search_finds(page, site, word, f"{name}.html") == []
    assert log.problems() == []


def download_hrefs(page) -> dict[str, str]:
    """The download menu's links, by their label (the theme's button label)."""
    return dict(page.eval_on_selector_all(
        ".dropdown-download-buttons a",
        "els => els.map(e => [e.querySelector('.btn__text-container')?.innerText || '', e.href])"))


def fetch(page, url: str) -> bytes:
    response = page.request.get(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    return response.body()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_download_menu_offers_the_student_notebook_without_solutions(desktop_page, name):
    page, _ = desktop_page(name)
    links = download_hrefs(page)
    student = nbformat.reads(fetch(page, links["Student notebook (.ipynb)"]).decode(), as_version=4)
    full = nbformat.reads(fetch(page, links["Notebook with solutions (.ipynb)"]).decode(),
                          as_version=4)
    assert full == nbformat.read(ROOT / f"{name}.ipynb", as_version=4)
    solution_cells = [cell for cell in student.cells if "{solution-" in cell.source
                      or cell.metadata.get("jupyter", {}).get("source_hidden")]
    assert solution_cells == [], f"{name}: the student notebook has solution cells"
    exercises = sum("{exercise-start}" in cell.source for cell in full.cells)
    checks_kept = sum("checks.Check(" in cell.source for cell in student.cells)
    assert checks_kept == sum("checks.Check(" in cell.source for cell in full.cells)
    assert len(student.cells) < len(full.cells) or exercises == 0


@pytest.mark.parametrize("name", ["book/index", "book/ch00_reservoir", "book/instructors"])
def test_the_pdf_of_the_whole_book_is_linked_and_built(desktop_page, name):
    page, _ = desktop_page(name)
    pdf = fetch(page, download_hrefs(page)["Whole book (.pdf)"])
    assert pdf.startswith(b"%PDF") and len(pdf) > 1_000_000


def test_the_instructors_page_links_the_course_kit_and_the_footer_the_licences(desktop_page):
    page, _ = desktop_page("book/instructors")
    kit = page.eval_on_selector_all("a[href*='kit/']", "els => els.map(e => e.href)")
    assert {url.rsplit("/", 1)[-1] for url in kit} >= {
        "student-notebooks.zip", "notebooks.zip", "lattice-energy-reservoir.pdf"}
    for url in kit:
        assert len(fetch(page, url)) > 10_000, url
    footer = page.locator("footer.bd-footer-content").inner_text()
    assert "CC BY 4.0" in footer and "MIT" in footer
