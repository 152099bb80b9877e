"""lerbook: the simulation package of the Lattice Energy Reservoir book.

Physics modules (numpy and scipy only), one per physical process:

- :mod:`lerbook.materials`   material parameters with their literature sources
- :mod:`lerbook.excitation`  fluence and power density into carrier densities
- :mod:`lerbook.reservoir`   the lattice energy reservoir: energy balance,
  slow reservoir-density kinetics, 2D heat diffusion in a nanodomain
- :mod:`lerbook.cooling`, :mod:`lerbook.spectra`  hot-carrier cooling, PL lineshapes
- :mod:`lerbook.recombination`, :mod:`lerbook.fitting`  carrier recombination, TRPL fits
- :mod:`lerbook.upconversion`  anti-Stokes photoluminescence and optical cooling
- :mod:`lerbook.ultraslow`   photobrightening over seconds to minutes
- :mod:`lerbook.ions`        mobile-ion effects
- :mod:`lerbook.devices`     PLQY, open-circuit voltage, hot-carrier extraction
- :mod:`lerbook.comparison`  competing models fitted to the same synthetic data

On top of them, :mod:`lerbook.plotting` (matplotlib) draws one figure per
model result and :mod:`lerbook.explore` (ipywidgets) turns figures into
explorers with sliders. Imports point one way only: physics never imports
plotting or widgets.
"""

__version__ = "0.1.0"
