"""Figures of the book: one view per model result, in one house style.

Each view draws a model result on a :class:`matplotlib.figure.Figure` of its
own (no pyplot state, so notebooks show only what they display) and redraws a
new result in place with ``update``, which the explorers of
:mod:`lerbook.explore` call on every slider move. The ``plot_*`` functions are
the one-line forms for notebooks: they return the figure.

The shared style and helpers are in :mod:`lerbook.plotting.core`; each chapter's
views are in a module named after its physics (``plotting.reservoir``,
``plotting.cooling``, ``plotting.recombination``).
"""

from lerbook.plotting import (
    comparison,
    cooling,
    devices,
    ions,
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
    "comparison",
    "COLORS", "STYLE", "new_figure", "styled", "time_axis", "to_png",
    "EnergyBalanceView", "NanodomainView", "plot_energy_balance_family",
    "plot_nanodomain_panels", "plot_reservoir_density",
]
