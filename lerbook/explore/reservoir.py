"""Explorers of the reservoir chapter: the energy balance and the 2D nanodomain."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from lerbook import plotting, reservoir, units
from lerbook.explore.core import Control, Explorer
from lerbook.materials import MATERIALS
from lerbook.plotting.labels import compact
from lerbook.plotting.reservoir import NanodomainFrame

#: Thermal conductivity of the lattice around a domain, for the Biot number [W m^-1 K^-1].
_LATTICE_CONDUCTIVITY = MATERIALS["MAPbI3"].thermal_conductivity


def _energy_balance_model(domain_size, interface_conductance, power_density, on_time):
    params = reservoir.EnergyBalance(domain_size_nm=domain_size,
                                     interface_conductance=interface_conductance)
    # Show the pulse of injection and as long again in the dark, in units of the lifetime,
    # so the rise and the decay are both visible whatever the sliders say.
    on = on_time * params.lifetime
    drive = reservoir.PiecewiseDrive.on_off(power_density, on, on)
    t = np.linspace(0.0, 2 * on, 400)
    return reservoir.energy_balance(params, drive, t)


def _energy_balance_readout(result) -> str:
    peak = float(np.max(result.temperature_rise))
    lifetime_ps = result.lifetime * 1e12
    params = result.params
    biot = (params.interface_conductance * params.domain_size_nm * units.M_PER_NM
            / (6 * _LATTICE_CONDUCTIVITY))
    text = (f"lifetime &tau; = <b>{lifetime_ps:.3g} ps</b> &middot; "
            f"peak stored energy U = <b>{np.max(result.energy_density):.3g} J cm<sup>-3</sup></b> "
            f"&middot; peak temperature rise &Delta;T = <b>{peak:.3g} K</b> &middot; "
            f"Biot number G<sub>K</sub>d/6k = {biot:.2g}")
    if biot > 0.3:
        text += (" <br><i>Biot number above 0.3: heat flow inside the domain, not the boundary, "
                 "limits the lifetime, and the lumped model overestimates it.</i>")
    if peak > 100:
        text += (" <br><i>A rise above 100 K is outside this linear model (and would melt "
                 "or decompose the film long before).</i>")
    return text


def energy_balance_explorer() -> Explorer:
    """Explorer of the lumped reservoir energy balance dU/dt = p - U/tau.

    Sliders: domain size d [nm], interface conductance G_K [W m^-2 K^-1],
    injected phonon power density p [W cm^-3] and the injection time in units of
    the lifetime. The readout warns where the lumped model stops holding (Biot
    number G_K d / 6k above 0.3). The static form overlays three interface
    conductances.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.reservoir.EnergyBalanceResult`.
    """
    defaults = reservoir.EnergyBalance()
    controls = [
        Control("domain_size", "domain size d", "nm", 2.0, 200.0, defaults.domain_size_nm,
                log=True),
        Control("interface_conductance", "interface conductance G_K", "W m^-2 K^-1",
                1e6, 1e10, defaults.interface_conductance, log=True),
        Control("power_density", "injected power p", "W cm^-3", 1e2, 1e10, 1e8, log=True),
        Control("on_time", "injection time / lifetime", "", 0.1, 10.0, 4.0),
    ]

    def static(values):
        conductances = (1e7, 1e8, 1e9)
        results = [_energy_balance_model(**{**values, "interface_conductance": g})
                   for g in conductances]
        labels = [f"G_K = {g:.0e} W m$^{{-2}}$ K$^{{-1}}$" for g in conductances]
        power = compact(f"{values['power_density']:g}")
        title = (f"Lower interface conductance: longer lifetime, more stored energy "
                 f"(d = {values['domain_size']:g} nm, p = {power} W cm$^{{-3}}$)")
        return plotting.plot_energy_balance_family(results, labels, title=title)

    return Explorer("The reservoir's energy balance: dU/dt = p - U/tau", controls,
                    _energy_balance_model, plotting.EnergyBalanceView, _energy_balance_readout,
                    static)


#: Phonon power density injected into the nanodomain in the 2D explorer [W cm^-3]: over
#: 1 ns, 0.1 J cm^-3, the excess energy of one intense (~10 uJ cm^-2) pulse.
NANODOMAIN_POWER = 1e8
#: Injection time and length of the 2D explorer's run [s]: the same window for every
#: slider position, so that runs compare at equal injected energy.
NANODOMAIN_INJECTION_TIME = 1e-9
NANODOMAIN_RUN_TIME = 2e-9


_DEFAULT_2D = reservoir.Nanodomain2D()


def end_of_injection(result) -> int:
    """Index of the first time at or after the end of injection in a 2D explorer run.

    Parameters
    ----------
    result : lerbook.reservoir.Nanodomain2DResult
        A run of :func:`nanodomain_explorer`'s model (injection for
        :data:`NANODOMAIN_INJECTION_TIME`).

    Returns
    -------
    int
        Index into ``result.t``.
    """
    return int(np.searchsorted(result.t, NANODOMAIN_INJECTION_TIME * (1 - 1e-9)))


# Each result holds the whole temperature history (~2 MB): keep a few, not many.
@lru_cache(maxsize=12)
def _nanodomain_model(interface_conductance, domain_size, k_matrix):
    # A typed-in slider value may fall between grid-aligned sizes: snap to the nearest.
    sizes = reservoir.Nanodomain2D.valid_domain_sizes(_DEFAULT_2D.box_size_nm, _DEFAULT_2D.cells)
    domain_size = float(sizes[np.argmin(np.abs(sizes - domain_size))])
    params = reservoir.Nanodomain2D(domain_size_nm=domain_size,
                                    interface_conductance=interface_conductance,
                                    k_matrix=k_matrix)
    return reservoir.heat_injection_2d(params, power_density=NANODOMAIN_POWER,
                                       t_end=NANODOMAIN_RUN_TIME, steps=100,
                                       injection_time=NANODOMAIN_INJECTION_TIME)


def nanodomain_explorer() -> Explorer:
    """Explorer of the 2D nanodomain: heat piling up behind a low-conductance boundary.

    Sliders: interface conductance [W m^-2 K^-1], domain size [nm], matrix
    thermal conductivity [W m^-1 K^-1] and the time shown (as a fraction of the
    run: 1 ns of injection at 1e8 W cm^-3, then 1 ns in the dark). The static form
    shows the temperature maps at the end of injection for three interface
    conductances.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.reservoir.NanodomainFrame`.
    """
    defaults = _DEFAULT_2D
    controls = [
        Control("interface_conductance", "interface conductance G_K", "W m^-2 K^-1",
                1e6, 1e10, defaults.interface_conductance, log=True),
        Control("domain_size", "domain size d", "nm", 10.0, 40.0, defaults.domain_size_nm,
                steps=6),
        Control("k_matrix", "matrix conductivity k", "W m^-1 K^-1", 0.05, 5.0,
                defaults.k_matrix, log=True),
        Control("time_fraction", "time shown / run", "", 0.0, 1.0, 0.5),
    ]

    def model(interface_conductance, domain_size, k_matrix, time_fraction):
        run = _nanodomain_model(interface_conductance, domain_size, k_matrix)
        return NanodomainFrame(run, int(round(time_fraction * (len(run.t) - 1))))

    def readout(frame: NanodomainFrame) -> str:
        result = frame.run
        end = end_of_injection(result)
        kept = result.energy_domain[-1] / result.energy_domain[end]
        return (f"at the end of injection: <b>{100 * result.fraction_in_domain[end]:.0f}%</b> "
                f"of the energy in the domain, peak &Delta;T = "
                f"<b>{np.max(result.temperature_rise[end]):.3g} K</b>; "
                f"1 ns later the domain still holds <b>{100 * kept:.0f}%</b> of it")

    def static(values):
        conductances = (1e10, 1e8, 1e6)
        results = [_nanodomain_model(g, values["domain_size"], values["k_matrix"])
                   for g in conductances]
        labels = [f"G_K = {g:.0e} W m$^{{-2}}$ K$^{{-1}}$" for g in conductances]
        return plotting.plot_nanodomain_panels(
            results, labels, index=end_of_injection(results[0]),
            title="Temperature rise after 1 ns of injection: the lower the interface "
                  "conductance, the more heat piles up in the domain")

    return Explorer("Heat piling up in a nanodomain behind a low-conductance boundary",
                    controls, model, plotting.NanodomainView, readout, static)
