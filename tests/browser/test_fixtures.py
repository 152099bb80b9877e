"""The checks fail where they should: each deliberately broken page of ``fixtures/`` is
rejected by the same check function that passes the real website."""

from __future__ import annotations

from . import checks

REPO = "https://github.com/ler-book/lattice-energy-reservoir"
BINDER = "https://mybinder.org"
HUB = "https://hub.example.edu"


def open_fixture(new_page, fixture_site, name, **size):
    page, log = new_page(**(size or {"width": 1280, "height": 900}))
    checks.load(page, f"{fixture_site}/{name}")
    return page, log


def test_broken_image_is_found(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "broken_image.html")
    problems = checks.check_images(page)
    assert len(problems) == 2
    assert any("missing-figure.png" in p for p in problems)
    assert any("not-a-png.png" in p for p in problems)


def test_missing_figures_are_counted(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "traceback.html")
    assert checks.count_figures(page) == 0


def test_traceback_is_found(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "traceback.html")
    problems = checks.check_no_error_output(page)
    assert any(p.startswith("a Python traceback") for p in problems)
    assert any(p.startswith("an exception line") for p in problems)


def test_raw_roles_are_found(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "raw_role.html")
    problems = checks.check_no_error_output(page)
    assert sum(p.startswith("a raw MyST role") for p in problems) == 2


def test_unrendered_math_is_found(new_page, fixture_site):
    page, log = open_fixture(new_page, fixture_site, "unrendered_math.html")
    problems = checks.check_math(page)
    assert "MathJax did not load" in problems
    assert sum(p.startswith("math not typeset") for p in problems) == 2
    text = checks.check_no_error_output(page)
    assert any(p.startswith("unrendered inline math") for p in text)
    assert any(p.startswith("unrendered display math") for p in text)
    assert any("no-such-mathjax.js" in p for p in log.problems())


def test_tex_error_is_found(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "tex_error.html")
    problems = checks.check_math(page)
    assert problems and all(p.startswith("TeX error") for p in problems)
    assert len(problems) == 2 and "nosuchmacro" in problems[0]


def test_file_name_alt_text_is_found(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "filename_alt.html")
    problems = checks.check_alt_text(page)
    assert len(problems) == 2
    assert any(p.startswith("no alt text") for p in problems)
    assert any(p.startswith("alt text is a file name") for p in problems)


def test_javascript_errors_are_found(new_page, fixture_site):
    _, log = open_fixture(new_page, fixture_site, "js_error.html")
    problems = log.problems()
    assert any("undefinedBookFunction" in p for p in problems)
    assert any("no-such-script.js" in p for p in problems)


def test_overflow_and_thumbnails_are_found(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "wide_page.html", width=390, height=844)
    assert checks.check_no_horizontal_overflow(page)
    problems = checks.check_figures_fit(page)
    assert len(problems) == 1 and "shrunk" in problems[0]


def test_visible_solution_is_found(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "visible_solution.html")
    problems = checks.check_solutions_toggle(page)
    assert len(problems) == 1 and "visible before it is toggled" in problems[0]


def test_wrong_launch_links_are_found():
    notebook = "book/ch01_cooling.ipynb"
    good = [f"{BINDER}/v2/gh/ler-book/lattice-energy-reservoir/main?urlpath=lab/tree/{notebook}",
            f"{HUB}/hub/user-redirect/git-pull?repo={REPO}&urlpath=lab/tree/"
            f"lattice-energy-reservoir/{notebook}&branch=main"]
    assert checks.check_launch_links(good, REPO, "main", notebook, BINDER, HUB) == []
    wrong_branch = [good[0].replace("/main?", "/master?"), good[1]]
    assert checks.check_launch_links(wrong_branch, REPO, "main", notebook, BINDER, HUB)
    wrong_repo = [good[0].replace("ler-book/", "someone-else/"), good[1]]
    assert checks.check_launch_links(wrong_repo, REPO, "main", notebook, BINDER, HUB)
    wrong_notebook = [g.replace("ch01_cooling", "ch02_recombination") for g in good]
    assert len(checks.check_launch_links(wrong_notebook, REPO, "main", notebook, BINDER,
                                         HUB)) == 2
    no_hub = good[:1]
    assert checks.check_launch_links(no_hub, REPO, "main", notebook, BINDER, HUB)
    hub_wrong_branch = [good[0], good[1].replace("branch=main", "branch=gh-pages")]
    assert checks.check_launch_links(hub_wrong_branch, REPO, "main", notebook, BINDER, HUB)


def test_search_failures_are_found(new_page, site):
    page, _ = new_page(width=1280, height=900)
    assert checks.check_search_finds(page, site, "zzyzxnotaword", "book/ch01_cooling.html")
    # a word of chapter 1 that chapter 5 does not contain
    assert checks.check_search_finds(page, site, "Klemens", "book/ch05_ions.html")


def test_stuck_slider_is_found(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "explorer_stuck.html")
    explorer = page.locator(".explorer")
    problems = checks.move_slider_changes_figure(page, explorer, timeout=2000)
    assert problems == ["the figure did not change when the slider moved"]


def test_same_pixels_are_found(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "explorer_same.html")
    problems = checks.move_slider_changes_figure(page, page.locator(".explorer"), timeout=2000)
    assert problems and "same pixels" in problems[0]


def test_live_slider_passes(new_page, fixture_site):
    page, _ = open_fixture(new_page, fixture_site, "explorer_live.html")
    assert checks.move_slider_changes_figure(page, page.locator(".explorer"),
                                             timeout=2000) == []
