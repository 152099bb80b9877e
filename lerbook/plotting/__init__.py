"""Figures of the book: one view per model result, in one house style.

Each view is built as ``View(result)``: it draws one model result on a
:class:`matplotlib.figure.Figure` of its own (``view.fig``; no pyplot state, so
notebooks show only what they display) and redraws a new result in place with
``view.update(result)``, which the explorers of :mod:`lerbook.explore` call on
every slider move. Where a figure needs more than one physics result (a
reference run, the time shown, fits), the chapter's module defines the small
frozen dataclass that bundles them. The ``plot_*`` functions return a figure:
the static forms (several results on one figure) and a few one-line forms for
notebooks.

The shared style and renderer are in :mod:`lerbook.plotting.core`, tick and
label text in :mod:`lerbook.plotting.labels`; each chapter's views are in a
module named after its physics (``plotting.reservoir``, ``plotting.cooling``,
``plotting.recombination``).
"""

from lerbook.plotting import (
    comparison,
    cooling,
    devices,
    ions,
    labels,
    recombination,
    reservoir,
    ultraslow,
    upconversion,
)
from lerbook.plotting.core import COLORS, STYLE, new_figure, styled, time_axis, to_png
from lerbook.plotting.reservoir import (
    EnergyBalanceView,
    NanodomainView,
    plot_energy_balance_family,
    plot_nanodomain_panels,
    plot_reservoir_density,
)

__all__ = [
    "cooling", "recombination", "reservoir", "ultraslow", "upconversion", "ions", "devices",
    "comparison", "labels",
    "COLORS", "STYLE", "new_figure", "styled", "time_axis", "to_png",
    "EnergyBalanceView", "NanodomainView", "plot_energy_balance_family",
    "plot_nanodomain_panels", "plot_reservoir_density",
]
