"""What a reader would notice, as functions of a loaded page that return a list of problems.

Each check returns ``[]`` for a good page and one readable line per problem otherwise, so the
tests over the website assert ``== []`` and the tests over the deliberately broken fixtures
(``tests/browser/fixtures/``) assert that the same function finds the fault.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

#: The main text of a page (the theme's article; the fixtures use <article> too).
ARTICLE = "article"

#: Text that must never reach a reader, in the prose or in a cell's output.
OUTPUT_ERRORS = (
    ("a Python traceback", re.compile(r"Traceback \(most recent call last\)")),
    ("an exception line", re.compile(r"^\s*[A-Z]\w*(Error|Exception): ", re.M)),
)
#: Markup that did not render, in the prose (code blocks may show it on purpose).
RAW_MARKUP = (
    ("a raw MyST role", re.compile(
        r"\{(cite(:[a-z]+)?|ref|doc|term|eq|numref|func|class|mod|meth|attr|obj|download"
        r"|prf:ref|glossary)\}`")),
    ("a raw MyST directive", re.compile(r"^```\{[a-z:-]+\}", re.M)),
    ("unrendered display math", re.compile(r"\$\$|\\\[|\\begin\{")),
    ("unrendered inline math", re.compile(r"\\\(|\$[^$\s][^$\n]{0,200}\\[A-Za-z]+[^$\n]*\$")),
)

IMAGE_FILE = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.I)

#: JavaScript: the visible text of the article without code blocks, where a literal
#: ``{cite}`` or ``$x$`` may be shown on purpose, and without MathJax's output.
_READER_TEXT = """(sel) => {
  const article = document.querySelector(sel) || document.body;
  const copy = article.cloneNode(true);
  copy.querySelectorAll('pre, code, .highlight, mjx-container, mjx-assistive-mml, script, style')
      .forEach(e => e.remove());
  return copy.innerText;
}"""


@dataclass
class PageLog:
    """JavaScript errors, failed local requests and HTTP errors seen by one page."""

    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    @classmethod
    def attach(cls, page) -> PageLog:
        log = cls()
        page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
        page.on("console", log._on_console)
        page.on("requestfailed", log._on_request_failed)
        page.on("response", log._on_response)
        return log

    def _on_console(self, message):
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if "Failed to load resource" in message.text and not _local(url):
            return  # an outside host, blocked on purpose: listed by the conftest
        self.console_errors.append(f"{message.text} ({url})")

    def _on_request_failed(self, request):
        if _local(request.url):
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _on_response(self, response):
        if _local(response.url) and response.status >= 400:
            self.failed_requests.append(f"{response.url}: HTTP {response.status}")

    def problems(self) -> list[str]:
        return ([f"JavaScript error: {e}" for e in self.page_errors]
                + [f"console error: {e}" for e in self.console_errors]
                + [f"failed request: {e}" for e in self.failed_requests])


def _local(url: str) -> bool:
    return (urlsplit(url).hostname or "") in ("127.0.0.1", "localhost")


def load(page, url: str):
    """Open ``url`` and wait until the page, its images and MathJax (if any) are done."""
    page.goto(url, wait_until="load")
    wait_for_math(page)


def wait_for_math(page):
    """Wait for MathJax's first typesetting pass, when the page loaded MathJax."""
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise)
            await MathJax.startup.promise;
    }""")


def check_images(page) -> list[str]:
    """Every <img> of the page is decoded by the browser (naturalWidth > 0)."""
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all(
        "img", """els => els.map(e => ({src: e.getAttribute('src'), complete: e.complete,
                                        width: e.naturalWidth}))""")
    return [f"image not decoded: {img['src']}" for img in images
            if not (img["complete"] and img["width"] > 0)]


def count_figures(page) -> int:
    """Number of images in notebook cell outputs."""
    return page.locator(".cell_output img").count()


def check_alt_text(page) -> list[str]:
    """Every image of the article has alt text that says something (not its file name)."""
    images = page.eval_on_selector_all(
        f"{ARTICLE} img", "els => els.map(e => ({src: e.getAttribute('src') || '', "
                          "alt: e.getAttribute('alt')}))")
    problems = []
    for img in images:
        alt = (img["alt"] or "").strip()
        if not alt:
            problems.append(f"no alt text: {img['src']}")
        elif alt == img["src"] or IMAGE_FILE.search(alt) or len(alt.split()) < 3:
            problems.append(f"alt text is a file name or too short ({alt!r}): {img['src']}")
    return problems


def reader_text(page) -> str:
    return page.evaluate(_READER_TEXT, ARTICLE)


def check_no_error_output(page) -> list[str]:
    """No traceback, error or stderr output, raw role or unrendered math on the page."""
    problems = []
    prose = reader_text(page)
    outputs = "\n".join(page.locator(".cell_output").all_inner_texts())
    for text, patterns in ((prose, OUTPUT_ERRORS + RAW_MARKUP), (outputs, OUTPUT_ERRORS)):
        for what, pattern in patterns:
            for match in pattern.finditer(text):
                start = max(match.start() - 40, 0)
                snippet = text[start:match.end() + 40].replace("\n", " ")
                problems.append(f"{what}: ...{snippet}...")
    for selector, what in ((".output.traceback, .output.error", "an error output"),
                           (".output.stderr", "a stderr output")):
        found = page.locator(selector)
        for n in range(found.count()):
            problems.append(f"{what}: {found.nth(n).inner_text()[:200]}")
    return problems


def check_math(page) -> list[str]:
    """Every math element was typeset by MathJax, without TeX errors."""
    state = page.evaluate("""() => {
        const math = [...document.querySelectorAll('.math')];
        return {count: math.length,
                mathjax: !!(window.MathJax && MathJax.version),
                untypeset: math.filter(e => !e.querySelector('mjx-container'))
                               .map(e => e.textContent.slice(0, 80)),
                // TeX errors render as <merror>; undefined macros, with MathJax's
                // noundefined extension, as red text: both show in the MathML.
                errors: (window.MathJax && MathJax.startup && MathJax.startup.document)
                  ? [...MathJax.startup.document.math]
                      .filter(m => /<merror|mathcolor="red"/.test(MathJax.startup.toMML(m.root)))
                      .map(m => m.math.slice(0, 80))
                  : []};
    }""")
    problems = []
    if state["count"] and not state["mathjax"]:
        problems.append("MathJax did not load")
    problems += [f"math not typeset: {t}" for t in state["untypeset"]]
    problems += [f"TeX error: {t}" for t in state["errors"]]
    return problems


def check_no_horizontal_overflow(page) -> list[str]:
    """The page does not scroll sideways: names the outermost elements that stick out
    of the screen (not clipped by a scrolling or hidden-overflow box)."""
    wide = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width + 1) return [];
        const clipped = e => {
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                const o = getComputedStyle(a).overflowX;
                if (o !== 'visible') return true;
            }
            return false;
        };
        const sticksOut = e => e.getBoundingClientRect().right > width + 1 && !clipped(e);
        return [...document.querySelectorAll('body *')]
          .filter(e => sticksOut(e) && !(e.parentElement && sticksOut(e.parentElement)))
          .filter(e => !e.closest('.skip-link, .bd-sidebar-primary, .bd-sidebar-secondary'))
          .slice(0, 5)
          .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': '
                    + (e.innerText || '').slice(0, 60).replace(/\\s+/g, ' '));
    }""")
    return [f"wider than the screen: {w}" for w in wide]


def check_figures_fit(page, minimum_fraction: float = 0.85) -> list[str]:
    """Figures in outputs use the width they have (not shrunk to a thumbnail), and are
    either no wider than their column or inside a box that scrolls sideways."""
    sizes = page.eval_on_selector_all(
        ".cell_output img", """els => els.map(e => {
            const box = e.getBoundingClientRect(), parent = e.parentElement;
            return {src: e.getAttribute('src'), width: box.width, natural: e.naturalWidth,
                    room: parent.getBoundingClientRect().width,
                    scrolls: ['auto', 'scroll'].includes(getComputedStyle(parent).overflowX)};
        })""")
    problems = []
    for s in sizes:
        if s["width"] > s["room"] + 1 and not s["scrolls"]:
            problems.append(f"figure wider than its column ({s['width']:.0f} > "
                            f"{s['room']:.0f} px): {s['src']}")
        elif s["width"] < minimum_fraction * min(s["room"], s["natural"]):
            problems.append(f"figure shrunk to {s['width']:.0f} px of {s['room']:.0f}: "
                            f"{s['src']}")
    return problems


def check_solutions_toggle(page) -> list[str]:
    """Exercise solutions are hidden until their title is clicked, and shown after."""
    solutions = page.locator("div.solution")
    problems = []
    for n in range(solutions.count()):
        solution = solutions.nth(n)
        body = solution.locator(":scope > :not(.admonition-title):not(button)").first
        title = solution.locator(".admonition-title").first.inner_text().strip()
        if body.count() == 0:
            problems.append(f"solution {title!r} has no content")
            continue
        if body.is_visible():
            problems.append(f"solution {title!r} is visible before it is toggled")
            continue
        solution.locator(".admonition-title, button.toggle-button").first.click()
        try:
            body.wait_for(state="visible", timeout=3000)
        except Exception:
            problems.append(f"solution {title!r} stays hidden after a click")
    return problems


def check_launch_links(hrefs: list[str], repository: str, branch: str, notebook: str,
                       binderhub: str, jupyterhub: str = "") -> list[str]:
    """The launch buttons open ``notebook`` of ``repository`` at ``branch``.

    ``repository`` is the GitHub URL of _config.yml, ``notebook`` the path in the repository.
    """
    owner_repo = urlsplit(repository).path.strip("/").removesuffix(".git")
    problems = []
    binder = [h for h in hrefs if binderhub and h.startswith(binderhub.rstrip("/"))]
    if binderhub and not binder:
        problems.append(f"no Binder button among {hrefs}")
    for href in binder:
        url = urlsplit(href)
        expected = f"/v2/gh/{owner_repo}/{branch}"
        if url.path.rstrip("/") != expected:
            problems.append(f"Binder link {href}: path should be {expected}")
        urlpath = parse_qs(url.query).get("urlpath", [""])[0]
        if urlpath.split("/tree/", 1)[-1] != notebook:
            problems.append(f"Binder link {href}: opens {urlpath!r}, not {notebook}")
    hub = [h for h in hrefs if jupyterhub and h.startswith(jupyterhub.rstrip("/"))]
    if jupyterhub and not hub:
        problems.append(f"no JupyterHub button among {hrefs}")
    for href in hub:
        query = parse_qs(urlsplit(href).query)
        repo_name = owner_repo.split("/")[-1]
        if query.get("repo", [""])[0].removesuffix(".git") != repository.removesuffix(".git"):
            problems.append(f"JupyterHub link {href}: repo should be {repository}")
        if query.get("branch", [""])[0] != branch:
            problems.append(f"JupyterHub link {href}: branch should be {branch}")
        if not query.get("urlpath", [""])[0].endswith(f"{repo_name}/{notebook}"):
            problems.append(f"JupyterHub link {href}: does not open {notebook}")
    return problems


def launch_hrefs(page) -> list[str]:
    return page.eval_on_selector_all(".dropdown-launch-buttons a",
                                     "els => els.map(e => e.href)")


def check_search_finds(page, site: str, word: str, expected_page: str) -> list[str]:
    """The search page lists ``expected_page`` (a path such as book/ch01_cooling.html)."""
    page.goto(f"{site}/search.html?q={word}", wait_until="load")
    summary = page.locator(".search-summary")
    try:  # Sphinx writes the summary when the search has finished
        page.wait_for_function(
            "() => /finished|did not match/.test("
            "(document.querySelector('.search-summary') || {}).innerText || '')",
            timeout=20_000)
    except Exception:
        return [f"search for {word!r} did not finish"]
    hrefs = page.locator("#search-results li a, ul.search li a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    if not hrefs:
        return [f"search for {word!r} found nothing ({summary.inner_text()})"]
    if not any(h.split("?")[0].split("#")[0].endswith(expected_page) for h in hrefs):
        return [f"search for {word!r} does not list {expected_page}: {hrefs[:8]}"]
    return []


def image_fingerprint(locator) -> str:
    """A hash of the pixels an <img> shows now (draws it on a canvas)."""
    data = locator.evaluate("""img => {
        const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        if (!c.width) return '';
        c.getContext('2d').drawImage(img, 0, 0);
        return c.toDataURL('image/png');
    }""")
    return hashlib.sha256(data.encode()).hexdigest() if data else ""


def move_slider_changes_figure(page, explorer, presses: int = 8,
                               timeout: float = 20_000) -> list[str]:
    """Move the first slider of an explorer with the keyboard; its figure must change.

    ``explorer`` is the locator of the explorer's box: an ipywidgets VBox holding sliders
    (``.widget-slider`` with a noUiSlider ``.noUi-handle``) and an Image widget (``img``).
    """
    handle = explorer.locator(".widget-slider .noUi-handle").first
    image = explorer.locator("img").first
    if handle.count() == 0 or image.count() == 0:
        return ["no slider or no figure in the explorer"]
    image.wait_for(state="visible", timeout=timeout)
    src, before = image.get_attribute("src"), image_fingerprint(image)
    if not before:
        return ["the figure is empty before the slider moves"]
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight")
    try:
        page.wait_for_function(
            "([img, src]) => img.getAttribute('src') !== src && img.complete",
            arg=[image.element_handle(), src], timeout=timeout)
    except Exception:
        return ["the figure did not change when the slider moved"]
    page.wait_for_timeout(200)
    if image_fingerprint(image) == before:
        return ["the figure was redrawn but shows the same pixels after the slider moved"]
    return []
