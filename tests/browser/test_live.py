"""The live notebooks: JupyterLab on 127.0.0.1, a chapter run in Chromium, a slider moved, and
an exercise as jupyterlab-myst renders it (solution folded) with its self-check answered.

One chapter runs by default (the fastest); set ``LERBOOK_LIVE_ALL=1`` (``make
browser-test-all``) to run every chapter and move a slider of every explorer in it.
JupyterLab runs on copies of the notebooks in a temporary folder, with its own config,
runtime, settings and workspace folders there too, so nothing in the repository or the home
folder changes; ``LERBOOK_STATIC`` is unset so the explorers show live widgets.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from . import checks
from .conftest import ROOT

DEFAULT_CHAPTER = "ch00_reservoir"
LIVE_ALL = os.environ.get("LERBOOK_LIVE_ALL", "") == "1"
CHAPTERS = (sorted(p.stem for p in (ROOT / "book").glob("ch*.ipynb")) if LIVE_ALL
            else [DEFAULT_CHAPTER])
#: Seconds for one chapter to run all its cells.
RUN_TIMEOUT = int(os.environ.get("LERBOOK_LIVE_TIMEOUT", "300"))

#: JupyterLab settings for the test: every cell in the DOM (no virtual scrolling), no
#: autosave, no news or update checks.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
        '{"windowingMode": "none"}',
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": '{"autosave": false}',
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        '{"fetchNews": "false", "checkForUpdates": false}',
}

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
EXPLORER = ".jp-OutputArea-output .widget-vbox:has(.widget-slider):has(img)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 over copies of the chapters: yields (url, token)."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    shutil.copytree(ROOT / "book", tmp / "book", ignore=shutil.ignore_patterns("_static"))
    for name, text in SETTINGS.items():
        path = tmp / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = {k: v for k, v in os.environ.items() if k != "LERBOOK_STATIC"}
    env.update(JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"), IPYTHONDIR=str(tmp / "ipython"),
               MPLCONFIGDIR=str(tmp / "mpl"))
    token, port = secrets.token_hex(16), _free_port()
    lab = Path(sys.executable).with_name("jupyter-lab")
    command = [str(lab), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.news_url=None", "--LabApp.extension_manager=readonly", "--allow-root"]
    log = open(tmp / "jupyterlab.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, env=env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n"
                                + (tmp / "jupyterlab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def accept_kernel_dialog(page, timeout: float = 15_000):
    """Confirm the kernel JupyterLab proposes (Python 3) when it asks which one to start."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(timeout=timeout)
    except Exception:
        return  # no dialog: the kernel starts by itself
    dialog.locator("button.jp-mod-accept").click()
    dialog.wait_for(state="detached", timeout=timeout)


def expand_all(page):
    """Unfold every cell's code and outputs (solutions are folded), so every prompt shows."""
    for item in ("Expand All Code", "Expand All Outputs"):
        page.locator(".lm-MenuBar-itemLabel", has_text="View").first.click()
        page.locator(".lm-Menu-itemLabel", has_text=item).first.click()
    page.locator(".jp-InputPlaceholder").first.wait_for(state="detached", timeout=15_000)


def run_all_cells(page, code_cells: int) -> list[str]:
    """Run every cell from the Run menu; wait until the last one has run or one failed."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    # The saved outputs are still there: wait for the run to start (a queued cell, [*]),
    # then for every cell to have run, numbered 1..N by the fresh kernel.
    try:
        page.locator(".jp-CodeCell .jp-InputPrompt", has_text="*").first.wait_for(
            timeout=60_000)
    except Exception:
        return ["the cells did not start running"]
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        if page.locator(STDERR).count():
            return []  # an error stops the run: the caller reports it
        texts = prompts.all_inner_texts()
        if (len(texts) == code_cells and not any("*" in t for t in texts)
                and f"[{code_cells}]" in texts[-1]):
            return []
        page.wait_for_timeout(500)
    texts = prompts.all_inner_texts()
    return [f"the notebook did not finish in {RUN_TIMEOUT} s ({code_cells} code cells, "
            f"prompts {' '.join(t.strip() for t in texts)})"]


def error_outputs(page) -> list[str]:
    return [f"error output: {t[:300]}" for t in page.locator(STDERR).all_inner_texts()]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_live_chapter(new_page, jupyterlab, screenshots, chapter):
    import nbformat

    url, token = jupyterlab
    nb = nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)
    code_cells = sum(cell.cell_type == "code" for cell in nb.cells)
    page, log = new_page(width=1400, height=1000)
    # A workspace of its own per chapter: JupyterLab would otherwise reopen the notebooks of
    # the chapters before, and "Run All Cells" would run whichever tab is active.
    page.goto(f"{url}/lab/workspaces/{chapter}/tree/book/{chapter}.ipynb?token={token}",
              wait_until="load")
    page.locator(".jp-Notebook .jp-CodeCell").first.wait_for(timeout=60_000)
    accept_kernel_dialog(page)
    expand_all(page)
    started = time.monotonic()
    problems = run_all_cells(page, code_cells)
    ran = time.monotonic() - started
    problems += error_outputs(page)
    explorers = page.locator(EXPLORER)
    count = explorers.count()
    if count == 0:
        problems.append("no live explorer (sliders and a figure) appeared")
    for n in range(count if LIVE_ALL else min(count, 1)):
        explorer = explorers.nth(n)
        explorer.scroll_into_view_if_needed()
        problems += [f"explorer {n + 1}: {p}"
                     for p in checks.move_slider_changes_figure(page, explorer)]
    page.wait_for_timeout(500)
    problems += error_outputs(page)
    if count:
        explorers.first.screenshot(path=screenshots / f"live-{chapter}-explorer.png")
    print(f"{chapter}: {code_cells} code cells ran in {ran:.0f} s, {count} explorers; "
          f"JupyterLab's own console errors (not checked): {len(log.console_errors)}")
    assert problems == []


#: Raw MyST that must not show in a live notebook (jupyterlab-myst renders it).
RAW_MYST = re.compile(r"\{(exercise|solution)-(start|end)\}|:label:|:class: dropdown|\{cite:[pt]\}")


def self_check(chapter: str, label: str) -> tuple[str, float]:
    """The name of the check object of exercise ``label`` and its right answer (the first)."""
    import nbformat

    from lerbook.checks import decode

    for cell in nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4).cells:
        found = re.search(r'^(\w+) = checks\.Check\(\s*"' + label + r'", "([^"]+)"',
                          cell.source, re.MULTILINE)
        if cell.cell_type == "code" and found:
            return found.group(1), decode(found.group(2))[0]
    raise AssertionError(f"no self-check for {label} in {chapter}")


def run_cell_with(page, cell, last_line: str, expect: str) -> str:
    """Replace the last line of a code cell, run it, wait for ``expect`` in its output."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type(last_line)
    page.keyboard.press("Shift+Enter")
    cell.locator(".jp-OutputArea-output", has_text=expect).wait_for(timeout=60_000)
    return cell.locator(".jp-OutputArea-output").inner_text()


def test_live_exercise_renders_folded_and_its_check_answers(new_page, jupyterlab, screenshots):
    chapter, label = DEFAULT_CHAPTER, "ex-reservoir-size"
    name, right = self_check(chapter, label)
    url, token = jupyterlab
    page, _ = new_page(width=1400, height=1000)
    page.goto(f"{url}/lab/workspaces/{chapter}-check/tree/book/{chapter}.ipynb?token={token}",
              wait_until="load")
    page.locator(".jp-Notebook .jp-CodeCell").first.wait_for(timeout=60_000)
    accept_kernel_dialog(page)
    # jupyterlab-myst renders the exercise as a box; the solution's prose is folded ...
    exercise = page.locator(f"aside.myst-exercise#{label}")
    exercise.wait_for(timeout=60_000)
    assert "Exercise" in exercise.inner_text()
    cells = page.locator(".jp-Notebook .jp-Cell")
    index = next(i for i in range(cells.count()) if cells.nth(i).locator(f"#{label}").count())
    check, opening, code = cells.nth(index + 1), cells.nth(index + 2), cells.nth(index + 3)
    solution = opening.locator("details.myst-exercise")
    assert "Solution to" in solution.inner_text() and not solution.evaluate("el => el.open")
    # ... and so is its code: JupyterLab shows one line and an ellipsis, no output.
    assert code.locator(".jp-InputPlaceholder").count() == 1
    assert code.locator(".jp-OutputArea-output").count() == 0
    rendered = "\n".join(page.locator(".jp-MarkdownOutput").all_inner_texts())
    assert not RAW_MYST.findall(rendered), "raw MyST in the live notebook"
    exercise.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / f"live-{chapter}-exercise.png")
    # The self-check: a wrong answer gets the hint, the right one is confirmed.
    wrong = run_cell_with(page, check, f"{name}({right * 1.5:.4g})", f"{label}: not yet")
    assert f"{label}: not yet" in wrong and "Hint:" in wrong
    assert f"{right:.3g}" not in wrong
    confirmed = run_cell_with(page, check, f"{name}({right:.4g})", f"{label}: right.")
    assert f"{label}: right." in confirmed
    check.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / f"live-{chapter}-check.png")
    assert not solution.evaluate("el => el.open")
