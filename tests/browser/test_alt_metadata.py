"""Every figure a notebook makes has alt text in its cell's metadata (no browser needed).

MyST-NB puts ``metadata.mystnb.image.alt`` of a code cell on the <img> of each image the cell
outputs; without it the website's alt text is the image's file name. In JupyterLab: select
the cell, open the property inspector (gear icon, right sidebar), and add under "Cell
Metadata"::

    "mystnb": {"image": {"alt": "What the figure shows, in a sentence or two."}}

The browser test ``test_page_desktop`` checks the same on the built pages; this test names the
cells to fix.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_figure_cells_have_alt_text(path):
    nb = nbformat.read(path, as_version=4)
    missing = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        makes_image = any(m.startswith("image/") for output in cell.get("outputs", [])
                          for m in output.get("data", {}))
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
        if makes_image and len(str(alt).split()) < 3:
            missing.append(f"cell {index}: {cell.source.splitlines()[0][:70]!r}")
    assert missing == [], f"{path.name}: figure cells without mystnb.image.alt"
