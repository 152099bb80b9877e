"""Explorer of the devices chapter: how trap density, reservoir density and parasitic
absorption set the PLQY and the open-circuit voltage."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from lerbook import devices
from lerbook.explore.core import Control, Explorer
from lerbook.plotting import devices as views
from lerbook.plotting.devices import VocScan
from lerbook.recombination import TrapParameters

__all__ = ["voc_explorer"]

_SUNS = np.logspace(-2, 2, 33)
_DENSITIES = np.logspace(13, 18.5, 23)


def _cell(n_ler, trap_density, parasitic_probability, suns):
    return devices.open_circuit_voltage(TrapParameters(trap_density=trap_density, n_ler=n_ler),
                                        suns, devices.Outcoupling(
                                            parasitic_probability=parasitic_probability))


@lru_cache(maxsize=64)
def _scan(trap_density, parasitic_probability):
    """One-sun yields over the reservoir densities and the cell without reservoir: they do not
    depend on the n_LER slider, so moving it reuses them."""
    scan = [_cell(n, trap_density, parasitic_probability, 1.0) for n in _DENSITIES]
    return (np.array([c.internal_plqy[0] for c in scan]),
            np.array([c.external_plqy[0] for c in scan]),
            _cell(0.0, trap_density, parasitic_probability, _SUNS))


@lru_cache(maxsize=256)
def _voc_model(n_ler, trap_density, parasitic_probability):
    internal, external, conventional = _scan(trap_density, parasitic_probability)
    return VocScan(n_ler, _cell(n_ler, trap_density, parasitic_probability, _SUNS),
                   conventional, _DENSITIES, internal, external)


def voc_explorer() -> Explorer:
    """V_oc and PLQY: reservoir density n_LER [cm^-3] (log), trap density [cm^-3] (log),
    probability that an emitted photon is lost to parasitic absorption [-]. Starts at a
    defective film (2.5e17 cm^-3 traps, ten times chapter 2's). Static form: V_oc for five
    reservoir densities in that film and the voltage loss at one sun.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.devices.VocScan`.
    """
    controls = [
        Control("n_ler", "reservoir density n_LER", "cm^-3", 1e13, 3e18, 1e17, log=True),
        Control("trap_density", "trap density N_t", "cm^-3", 1e14, 1e18, 2.5e17, log=True),
        Control("parasitic_probability", "parasitic absorption p_a", "", 0.0, 0.5, 0.05),
    ]

    def readout(scan):
        i = int(np.argmin(abs(np.log(scan.cell.suns))))
        cell, conv = scan.cell, scan.conventional
        gain = 1e3 * (cell.voc[i] - conv.voc[i])
        return (f"one sun: PLQY internal <b>{cell.internal_plqy[i]:.3f}</b>, external "
                f"<b>{cell.external_plqy[i]:.4f}</b>; V_oc = <b>{cell.voc[i]:.3f} V</b> "
                f"({gain:+.0f} mV from the reservoir; radiative limit "
                f"{cell.voc_radiative[i]:.3f} V)")

    def static(values):
        densities = (0.0, 1e15, 1e16, 1e17, 1e18)
        cells = [_cell(n, values["trap_density"], values["parasitic_probability"], _SUNS)
                 for n in densities]
        return views.plot_voc_family(densities, cells)

    return Explorer("What the reservoir is worth in volts: PLQY and V_oc", controls,
                    _voc_model, views.VocView, readout, static)
