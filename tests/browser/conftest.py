"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, the built website
served on 127.0.0.1, and pages that record JavaScript errors and block outside hosts.

The website must be built first (``make book``); ``make browser-test`` does both and installs
Chromium with apt-get when /usr/bin/chromium is missing. Playwright never downloads a browser
here: it launches ``CHROMIUM`` (override with the environment variable LERBOOK_CHROMIUM).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from .checks import PageLog

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("LERBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

#: Requests to hosts other than 127.0.0.1 that pages tried (blocked): listed at the end.
OUTSIDE_REQUESTS: dict[str, set[str]] = {}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class StaticServer:
    """A folder served over HTTP on 127.0.0.1 in a background thread."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make browser-test` installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site():
    """The built website, served on 127.0.0.1: yields its base URL."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no website in {SITE}: run `make book` first")
    with StaticServer(SITE) as server:
        yield server.url


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """The deliberately broken pages of tests/browser/fixtures, served on 127.0.0.1, with
    the built website's ``_static/`` beside them (for the vendored MathJax)."""
    folder = tmp_path_factory.mktemp("fixtures")
    shutil.copytree(FIXTURES, folder, dirs_exist_ok=True)
    if (SITE / "_static").is_dir():
        (folder / "_static").symlink_to(SITE / "_static", target_is_directory=True)
    with StaticServer(folder) as server:
        yield server.url


def _block_outside(route, request):
    from urllib.parse import urlsplit

    host = urlsplit(request.url).hostname or ""
    if request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
        route.continue_()
        return
    OUTSIDE_REQUESTS.setdefault(host, set()).add(request.url)
    route.abort("blockedbyclient")


def open_page(browser, width=1280, height=900, **context_options):
    """A new page that records errors and blocks every host but 127.0.0.1.

    Returns ``(context, page, log)``; close the context when done.
    """
    context = browser.new_context(viewport={"width": width, "height": height},
                                  **context_options)
    context.route("**/*", _block_outside)
    page = context.new_page()
    log = PageLog.attach(page)
    return context, page, log


@pytest.fixture
def new_page(browser):
    """Factory fixture: ``new_page(width=..., height=...) -> (page, log)``."""
    contexts = []

    def factory(**options):
        context, page, log = open_page(browser, **options)
        contexts.append(context)
        return page, log

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter):
    if not OUTSIDE_REQUESTS:
        return
    terminalreporter.section("requests to outside hosts (blocked, not fatal)")
    for host, urls in sorted(OUTSIDE_REQUESTS.items()):
        terminalreporter.write_line(f"{host}: {len(urls)} URL(s), e.g. {sorted(urls)[0]}")
