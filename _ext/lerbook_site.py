"""Local Sphinx extension of the book: offline MathJax and the book's own stylesheet.

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

Registered in ``_config.yml`` under ``sphinx: local_extensions:``.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

#: MathJax entry point (relative to ``_static``) that every page loads.
MATHJAX_ENTRY = "mathjax/tex-mml-chtml.js"

#: The parts of MathJax's ``es5`` tree the pages need: the combined TeX/MathML to CHTML
#: component, the CommonHTML fonts, the TeX extensions loaded on demand (``\require``,
#: autoload), the menu and the accessibility extensions (speech via ``sre``).
MATHJAX_PARTS = ("tex-mml-chtml.js", "output/chtml", "input/tex", "input/mml", "ui",
                 "a11y", "sre", "adaptors")

STATIC_DIR = Path("book") / "_static"


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


def _page_context(app, pagename, templatename, context, doctree):
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
    app.connect("build-finished", _copy_mathjax)
    app.connect("html-page-context", _page_context, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
