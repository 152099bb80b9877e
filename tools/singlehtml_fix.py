"""Sphinx extension used only by tools/book_pdf.py: lets Jupyter Book 1.0.4 build singlehtml.

sphinx-jupyterbook-latex inserts a ``HiddenCellNode`` next to every visible toctree (the
``{tableofcontents}`` of ``book/index.md``) for every builder, and registers how to skip it
for the ``html`` builder but not for ``singlehtml``, whose translator then stops with
"unknown node type: HiddenCellNode". This extension registers the same skip for
``singlehtml``. It changes nothing else and is never loaded by the website build.
"""

from __future__ import annotations

from docutils import nodes


def _skip(self, node):
    raise nodes.SkipNode


def setup(app):
    from sphinx_jupyterbook_latex.nodes import HiddenCellNode

    app.add_node(HiddenCellNode, override=True, singlehtml=(_skip, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
