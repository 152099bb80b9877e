"""Local Sphinx extension of the book: offline MathJax, the book's stylesheet, where it lives.

* MathJax 3 is vendored from the PyPI package ``django-static-mathjax`` (pinned in
  requirements.txt; it installs the MathJax 3.2.2 distribution as plain files under the
  import package ``mathjax`` and needs no Django). The files the pages use are copied into
  ``_static/mathjax/`` of the HTML build and ``mathjax_path`` points there, so equations
  render without a CDN (the website also works from a laptop with no network).
* ``book/_static/`` holds the book's CSS; every ``*.css`` in it is added to every page.
* Two fixes of what the browser console shows on every page of a Jupyter Book 1.0.4 site:
  the inline scripts of sphinx-thebe and sphinx-togglebutton are added twice (the second
  ``const THEBE_JS_URL`` is a JavaScript error), so duplicate scripts are dropped; and the
  theme's empty default colour mode ("Got invalid theme mode" in the console) is set to
  ``auto``, which is what the theme falls back to anyway.
* Where the book lives: ``repository.url`` and ``repository.branch`` of ``_config.yml`` are the
  one setting that the launch buttons (the theme's), the cite page and the instructors' page
  use. The book's Markdown pages write ``{{ repository_url }}``, ``{{ repository_branch }}``,
  ``{{ repository_name }}``, ``{{ hub_url }}`` and ``{{ hub_link }}`` (the nbgitpuller link of
  the whole book, for an instructor to paste); they are replaced before the page is parsed, in
  code blocks too, which MyST substitutions do not reach.
* The download menu of every page offers the course kit that ``make book`` puts under
  ``_build/html/kit/`` (``tools/course_kit.py``): on a chapter, the student notebook without
  solutions and the full notebook; on every page, the PDF of the whole book. The theme's ".pdf"
  entry, which only opens the browser's print dialogue, is renamed "Print this page".

Registered in ``_config.yml`` under ``sphinx: local_extensions:``.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from urllib.parse import urlencode

#: MathJax entry point (relative to ``_static``) that every page loads.
MATHJAX_ENTRY = "mathjax/tex-mml-chtml.js"

#: The parts of MathJax's ``es5`` tree the pages need: the combined TeX/MathML to CHTML
#: component, the CommonHTML fonts, the TeX extensions loaded on demand (``\require``,
#: autoload), the menu and the accessibility extensions (speech via ``sre``).
MATHJAX_PARTS = ("tex-mml-chtml.js", "output/chtml", "input/tex", "input/mml", "ui",
                 "a11y", "sre", "adaptors")

STATIC_DIR = Path("book") / "_static"

#: The course kit, relative to the website's root (written by tools/course_kit.py).
KIT_DIR = "kit"
KIT_PDF = f"{KIT_DIR}/lattice-energy-reservoir.pdf"
#: The hub shown on the instructors' page while ``launch_buttons.jupyterhub_url`` is empty.
EXAMPLE_HUB = "https://hub.example.edu"


def nbgitpuller_link(hub: str, repository: str, branch: str, path: str,
                     interface: str = "jupyterlab") -> str:
    """The nbgitpuller link that opens ``path`` (relative to the repository) on ``hub``.

    The same link as the theme's JupyterHub launch button: nbgitpuller clones the repository
    into a folder named after its last part, then the hub opens the file in that folder.
    """
    prefix = {"jupyterlab": "lab/tree", "classic": "tree"}[interface]
    folder = repository.rstrip("/").rsplit("/", 1)[-1]
    query = urlencode({"repo": repository, "urlpath": f"{prefix}/{folder}/{path}",
                       "branch": branch}, safe="/")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def where_the_book_lives(config) -> dict[str, str]:
    """The ``{{ name }}`` replacements of the pages, from ``repository`` in ``_config.yml``."""
    theme = config.html_theme_options
    repository = theme.get("repository_url", "").rstrip("/")
    if not repository:
        raise RuntimeError("_config.yml needs repository.url: where the book is published")
    branch = theme.get("repository_branch", "") or "main"
    launch = theme.get("launch_buttons", {}) or {}
    hub = (launch.get("jupyterhub_url") or EXAMPLE_HUB).rstrip("/")
    return {
        "repository_url": repository,
        "repository_branch": branch,
        "repository_name": repository.rsplit("/", 1)[-1],
        "hub_url": hub,
        "hub_link": nbgitpuller_link(hub, repository, branch, "book",
                                     launch.get("notebook_interface", "jupyterlab")),
    }


def mathjax_es5() -> Path:
    """The ``es5`` folder of the installed MathJax distribution."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("MathJax is not installed: pip install -r requirements.txt "
                           "(package django-static-mathjax)")
    es5 = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax" / "es5"
    if not (es5 / "tex-mml-chtml.js").is_file():
        raise RuntimeError(f"no tex-mml-chtml.js in {es5}")
    return es5


def _config_inited(app, config):
    mathjax_es5()  # fail early, with a readable message, if the package is missing
    config.mathjax_path = MATHJAX_ENTRY
    static = Path(app.srcdir) / STATIC_DIR
    if static.is_dir():
        config.html_static_path = [*config.html_static_path, str(static)]
        for css in sorted(static.glob("*.css")):
            app.add_css_file(css.name)


def _replace_repository(app, docname, source):
    if not str(app.env.doc2path(docname)).endswith(".md"):
        return
    for name, value in where_the_book_lives(app.config).items():
        source[0] = source[0].replace("{{ " + name + " }}", value)


def _kit_downloads(context, pagename):
    """Put the course kit into the page's download menu (see the module doc)."""
    group = next((button for button in context.get("header_buttons", [])
                  if button.get("label") == "download-buttons"), None)
    if group is None:
        return
    pathto = context["pathto"]
    buttons = [button for button in group["buttons"]
               if button.get("label") != "download-notebook-button"]
    for button in buttons:
        if button.get("label") == "download-pdf-button":
            button.update(text="Print this page", tooltip="Print this page")
    entries = []
    if context.get("page_source_suffix") == ".ipynb":
        name = Path(pagename).name
        buttons = [button for button in buttons if button.get("label") != "download-source-button"]
        entries += [
            ("Student notebook (.ipynb)", f"{KIT_DIR}/student/{name}.ipynb",
             "The notebook without the solutions, with the self-checks", "download-student-button"),
            ("Notebook with solutions (.ipynb)", f"{KIT_DIR}/notebooks/{name}.ipynb",
             "The notebook as in the repository", "download-notebook-button"),
        ]
    entries.append(("Whole book (.pdf)", KIT_PDF, "The whole book as one PDF",
                    "download-book-pdf-button"))
    group["buttons"] = [{"type": "link", "url": pathto(url, 1), "text": text, "tooltip": tip,
                         "icon": "fas fa-file-pdf" if url.endswith(".pdf") else "fas fa-code",
                         "label": label}
                        for text, url, tip, label in entries] + buttons


def _page_context(app, pagename, templatename, context, doctree):
    _kit_downloads(context, pagename)
    # The theme's layout reads the context variable default_mode, which nothing sets.
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    scripts, seen = context.get("script_files"), set()
    if not scripts:
        return
    unique = []
    for script in scripts:
        # the second copies carry filename '' where the first carry None
        key = (str(getattr(script, "filename", script) or ""),
               repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def _copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    es5 = mathjax_es5()
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        source = es5 / part
        if source.is_dir():
            shutil.copytree(source, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / part)
    licence = es5.parent / "LICENSE"
    if licence.is_file():
        shutil.copy2(licence, target / "LICENSE")


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("source-read", _replace_repository)
    app.connect("build-finished", _copy_mathjax)
    app.connect("html-page-context", _page_context, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
