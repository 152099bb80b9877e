"""Explorers: a model, sliders in physical units, and a figure that follows them.

An :class:`Explorer` joins a model (a function of the slider values returning a
result), a view from :mod:`lerbook.plotting` (``View(result)`` draws it,
``view.update(result)`` redraws in place) and a readout of the headline numbers.
:meth:`~lerbook.explore.core.Explorer.figure`,
:meth:`~lerbook.explore.core.Explorer.view_at` and
:meth:`~lerbook.explore.core.Explorer.session` draw it headless at given slider values,
through the same code path as the widget. In a live notebook it shows sliders, the
figure (rendered to an image widget, so it updates in place) and the readout.
When the environment variable ``LERBOOK_STATIC`` is ``1`` (the website build
sets it) it shows instead a static figure with the trend the sliders would show,
plus a pointer to run the page live.

The machinery is in :mod:`lerbook.explore.core`; each chapter's explorers are
built by functions in a module named after its physics, e.g.
``explore.reservoir.energy_balance_explorer()`` or ``explore.cooling...``.
"""

from lerbook.explore import (
    cooling,
    devices,
    ions,
    recombination,
    reservoir,
    ultraslow,
    upconversion,
)
from lerbook.explore.core import Control, Explorer, Session, static_mode
from lerbook.explore.reservoir import energy_balance_explorer, nanodomain_explorer

__all__ = ["Control", "Explorer", "Session", "static_mode", "cooling", "recombination", "reservoir",
           "ultraslow", "upconversion", "ions", "devices",
           "energy_balance_explorer", "nanodomain_explorer"]
