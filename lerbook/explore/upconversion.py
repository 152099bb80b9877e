"""Explorers of the upconversion chapter: the anti-Stokes spectrum, the power dependence with
its slope fits, the temperature dependence, and the optical-cooling balance.

Each explorer's model is cached on the slider values (``functools.lru_cache``), so
returning to a slider position costs only the drawing. Sliders use physical units (detunings
in meV, power densities in mW cm^-2, densities in cm^-3); the static forms show several
slider positions on one figure.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from lerbook import upconversion
from lerbook.explore.core import Control, Explorer
from lerbook.plotting import upconversion as views
from lerbook.plotting.labels import compact
from lerbook.plotting.upconversion import PowerRuns, TemperatureStudy
from lerbook.units import BOLTZMANN_EV

_MEV = 1e-3
#: Reservoir density standing for "no reservoir" on the logarithmic sliders [cm^-3].
NO_RESERVOIR = 1e12
#: Pump powers of the power explorer [mW cm^-2]: 0.1 mW cm^-2 to 100 W cm^-2, CW.
POWERS = np.geomspace(0.1, 1e5, 25)
#: Temperatures of the Arrhenius plots [K].
TEMPERATURES = np.linspace(80.0, 350.0, 28)
#: Detunings of the detuning axes [eV].
DETUNINGS = np.linspace(0.0, 0.3, 61)
#: Detunings of the cooling explorer [eV], from 30 meV above the gap to 250 meV below it.
COOLING_DETUNINGS = np.linspace(-0.03, 0.25, 141)


# --------------------------------------------------------------------------------------------
# The spectrum
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _spectrum_model(detuning, temperature, power_density, n_ler):
    params = upconversion.UpconversionParameters(temperature=temperature, n_ler=n_ler)
    return upconversion.anti_stokes_spectrum(params, detuning * _MEV, power_density)


def _spectrum_readout(result) -> str:
    params = result.params
    kt = BOLTZMANN_EV * params.temperature
    rates = upconversion.upconversion_rates(params, result.detuning)
    return (f"E<sub>p</sub> = <b>{result.pump_energy:.3f} eV</b> "
            f"(&Delta;E = {result.detuning * 1e3:.0f} meV = {result.detuning / kt:.1f} "
            f"k<sub>B</sub>T = {rates.phonons_absorbed:.0f} LO phonons) &middot; "
            f"&alpha;(E<sub>p</sub>) = <b>{compact(f'{rates.absorption:.2g}')} cm<sup>-1</sup></b> "
            f"&middot; &eta; = <b>{result.efficiency:.3g}</b> "
            f"(k<sub>ph</sub> = {compact(f'{rates.phonon_rate:.2g}')}, k<sub>LER</sub> = "
            f"{compact(f'{rates.reservoir_rate:.2g}')} s<sup>-1</sup>) &middot; "
            f"PL = <b>{compact(f'{result.pl:.2g}')} cm<sup>-3</sup> s<sup>-1</sup></b>, "
            f"{result.quantum_yield:.2g} photons per absorbed photon &middot; "
            f"&lang;E<sub>f</sub>&rang; &minus; E<sub>p</sub> = "
            f"<b>{result.energy_gain * 1e3:.0f} meV</b>")


def spectrum_explorer() -> Explorer:
    """Explorer of the anti-Stokes spectrum of MAPbI3 pumped below its gap.

    Sliders: pump detuning below the gap [meV], lattice temperature [K] (250-350: the
    Urbach-edge emission model needs k_B T > E_U), pump power density [mW cm^-2] and the
    reservoir density [cm^-3] (1e12: no reservoir). The static form overlays the spectra for
    three detunings.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.upconversion.AntiStokesSpectrum`.
    """
    controls = [
        Control("detuning", "detuning below the gap \u0394E", "meV", 10.0, 300.0, 100.0),
        Control("temperature", "temperature T", "K", 250.0, 350.0, 295.0),
        Control("power_density", "pump power density P", "mW cm^-2", 0.1, 1e5, 1e3, log=True),
        Control("n_ler", "reservoir density n_LER", "cm^-3", NO_RESERVOIR, 1e17, NO_RESERVOIR,
                log=True),
    ]

    def static(values):
        detunings = (50.0, 100.0, 200.0)
        params = upconversion.UpconversionParameters(temperature=values["temperature"])
        energy = np.linspace(params.band_gap - 0.26, params.band_gap + 0.25, 400)
        results = [upconversion.anti_stokes_spectrum(params, d * _MEV, values["power_density"],
                                                     energy)
                   for d in detunings]
        labels = [f"\u0394E = {d:.0f} meV" for d in detunings]
        return views.plot_spectrum_family(
            results, labels,
            title="Whatever the pump energy, the band-edge emission keeps its shape "
                  f"(MAPbI3, {values['temperature']:.0f} K)")

    return Explorer("Anti-Stokes PL of MAPbI3 pumped below its gap", controls, _spectrum_model,
                    views.SpectrumView, _spectrum_readout, static)


# --------------------------------------------------------------------------------------------
# The power dependence
# --------------------------------------------------------------------------------------------
#: Power at which the hypothetical two-photon comparison matches the one-photon paths
#: [mW cm^-2] (the middle of :data:`POWERS` on a log scale).
MATCH_POWER = 100.0


def _power_runs(params, detuning):
    """One-photon run, and two-photon absorption with the coefficient that would deliver the
    same band carriers at MATCH_POWER."""
    one = upconversion.power_dependence(params, detuning, POWERS, "one_photon")
    beta = upconversion.matched_two_photon_coefficient(params, detuning, MATCH_POWER)
    two = upconversion.power_dependence(params.replace(two_photon_coefficient=beta), detuning,
                                        POWERS, ("two_photon",))
    return PowerRuns(one, two)


@lru_cache(maxsize=256)
def _power_model(detuning, n_ler, trap_density, temperature):
    band = upconversion.TrapParameters(trap_density=trap_density)
    params = upconversion.UpconversionParameters(temperature=temperature, n_ler=n_ler,
                                                 band_model=band)
    return _power_runs(params, detuning * _MEV)


def _power_readout(runs: PowerRuns) -> str:
    one, two = runs.one_photon, runs.two_photon
    one_yield = one.upconversion_yield[-1] / one.upconversion_yield[0]
    two_yield = two.upconversion_yield[-1] / two.upconversion_yield[0]
    one_change = one.pl_ratio[-1] / one.pl_ratio[0]
    two_change = two.pl_ratio[-1] / two.pl_ratio[0]
    real = upconversion.UpconversionParameters().two_photon_coefficient
    shortfall = two.params.two_photon_coefficient / real
    return (f"fitted slopes: one-photon <b>{one.fit.slope:.2f}</b>, two-photon "
            f"<b>{two.fit.slope:.2f}</b>, above-gap reference "
            f"<b>{one.reference_fit.slope:.2f}</b> &middot; over six decades of power the "
            f"calibrated yield G<sub>band</sub>/G<sub>1</sub> changes by "
            f"&times;<b>{one_yield:.3f}</b> (one-photon, = &eta; = {one.efficiency:.3g}) and "
            f"&times;<b>{compact(f'{two_yield:.2g}')}</b> (two-photon) &middot; the raw ratio to "
            f"the above-gap PL by &times;{one_change:.3g} (one-photon; flat only where "
            f"PL &prop; G<sup>k</sup> from &eta;G<sub>1</sub> to G<sub>1</sub>, can move by up "
            f"to 1/&eta;) and &times;{compact(f'{two_change:.2g}')} (two-photon) &middot; the "
            f"band model is held at n<sub>LER</sub> = 0 (no detrapping) &middot; the two-photon "
            f"curve assumes &beta; = {compact(f'{two.params.two_photon_coefficient:.2g}')} cm/W "
            f"to match at {MATCH_POWER:g} mW cm<sup>-2</sup>, "
            f"{compact(f'{shortfall:.0e}')} times the measured order")


def power_explorer() -> Explorer:
    """Explorer of the power dependence: raw slopes, and the ratio that tells the order.

    Sliders: pump detuning [meV], reservoir density [cm^-3], trap density of the band model
    [cm^-3] (how far the band recombination is from linear) and temperature [K]. The
    two-photon comparison uses the coefficient that would deliver as many band carriers as
    the one-photon paths at 100 mW cm^-2
    (``lerbook.upconversion.matched_two_photon_coefficient``): it shows what the data
    would look like if two-photon absorption made the signal. The static form compares three
    band models.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.upconversion.PowerRuns`.
    """
    controls = [
        Control("detuning", "detuning below the gap \u0394E", "meV", 20.0, 250.0, 100.0),
        Control("n_ler", "reservoir density n_LER", "cm^-3", NO_RESERVOIR, 1e17, NO_RESERVOIR,
                log=True),
        Control("trap_density", "trap density N_t", "cm^-3", 1e13, 1e18, 2.5e16, log=True),
        Control("temperature", "temperature T", "K", 150.0, 350.0, 295.0),
    ]

    def static(values):
        base = upconversion.UpconversionParameters(temperature=values["temperature"])
        bands = [upconversion.TrapParameters(trap_density=1e14), upconversion.TrapParameters(),
                 upconversion.ABCParameters()]
        runs = [_power_runs(base.replace(band_model=band), values["detuning"] * _MEV)
                for band in bands]
        cm3 = "cm\u207b\u00b3"
        labels = [f"few traps (N_t = 1e14 {cm3})", f"trap model (N_t = 2.5e16 {cm3})",
                  "ABC, trap-limited"]
        return views.plot_power_family(
            [r.one_photon for r in runs], [r.two_photon for r in runs], labels,
            title="Raw slopes depend on the band recombination; the ratio to above-gap PL "
                  f"much less (\u0394E = {values['detuning']:.0f} meV)")

    return Explorer("Anti-Stokes PL against pump power: one photon or two?", controls,
                    _power_model, views.PowerView, _power_readout, static)


# --------------------------------------------------------------------------------------------
# The temperature dependence
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _temperature_model(detuning, temperature, n_ler, loss_rate):
    params = upconversion.UpconversionParameters(temperature=temperature, n_ler=n_ler,
                                                 loss_rate=loss_rate)
    scan = upconversion.temperature_dependence(params, detuning * _MEV, TEMPERATURES)
    rates = upconversion.upconversion_rates(params, DETUNINGS)
    return TemperatureStudy(scan, rates, temperature)


def _temperature_readout(study: TemperatureStudy) -> str:
    scan, rates, temperature = study.scan, study.rates, study.temperature
    at = upconversion.upconversion_rates(rates.params, scan.detuning)
    return (f"&Delta;E = {scan.detuning * 1e3:.0f} meV &middot; Arrhenius fit (phonon path): "
            f"E<sub>a</sub> = <b>{scan.phonon_fit.activation_energy * 1e3:.1f} meV</b>; "
            f"all paths: <b>{scan.fit.activation_energy * 1e3:.1f} meV</b> &middot; at "
            f"{temperature:.0f} K: &eta; = <b>{at.efficiency:.3g}</b> (phonon alone "
            f"{at.phonon_efficiency:.3g}), absorption e<sup>-&Delta;E/E<sub>U</sub></sup> = "
            f"<b>{compact(f'{at.absorption_factor:.2g}')}</b>")


def temperature_explorer() -> Explorer:
    """Explorer of the temperature dependence: the Arrhenius plot and the detuning ceiling.

    Sliders: pump detuning [meV], temperature [K] (for the detuning panel and the marker),
    reservoir density [cm^-3] and the loss rate of tail carriers [s^-1]. The static form
    overlays four reservoir densities.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.plotting.upconversion.TemperatureStudy`.
    """
    controls = [
        Control("detuning", "detuning below the gap \u0394E", "meV", 20.0, 300.0, 100.0),
        Control("temperature", "temperature T", "K", 80.0, 350.0, 295.0),
        Control("n_ler", "reservoir density n_LER", "cm^-3", NO_RESERVOIR, 1e17, NO_RESERVOIR,
                log=True),
        Control("loss_rate", "loss rate of tail carriers k_loss", "s^-1", 1e8, 1e12, 1e10,
                log=True),
    ]

    def static(values):
        densities = (NO_RESERVOIR, 1e15, 1e16, 1e17)
        runs = [_temperature_model(**{**values, "n_ler": n}) for n in densities]
        labels = ["no reservoir"] + [f"n_LER = {n:.0e} cm\u207b\u00b3" for n in densities[1:]]
        # The apparent activation energy of a straight-line fit over 80-350 K.
        return views.plot_temperature_family(
            [r.scan for r in runs], [r.rates for r in runs], labels,
            title="A reservoir flattens the Arrhenius plot; nothing beats the absorption "
                  "ceiling")

    return Explorer("Upconversion efficiency against temperature and detuning", controls,
                    _temperature_model, views.TemperatureView, _temperature_readout, static)


# --------------------------------------------------------------------------------------------
# The cooling balance
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _cooling_model(external_quantum_efficiency, background_absorption, temperature,
                   n_ler=NO_RESERVOIR):
    params = upconversion.UpconversionParameters(temperature=temperature, n_ler=n_ler)
    return upconversion.cooling_balance(params, COOLING_DETUNINGS, external_quantum_efficiency,
                                        background_absorption)


def _window_text(result) -> str:
    """The cooling window in meV; an end at the last detuning is only a lower bound."""
    low, high = result.cooling_window
    edge = result.detuning[-1]
    if high >= edge:
        return f"{low * 1e3:.0f} to &ge; {edge * 1e3:.0f} (the edge of the axis)"
    return f"{low * 1e3:.0f}&ndash;{high * 1e3:.0f}"


def _cooling_readout(result) -> str:
    window = result.cooling_window
    at = int(np.argmin(np.abs(result.detuning - 0.05)))
    text = ("no net cooling at any pump energy" if window is None else
            f"net cooling for &Delta;E = <b>{_window_text(result)} meV</b>, best "
            f"&eta;<sub>c</sub> = <b>{100 * np.max(result.cooling_efficiency):.2f}%</b>")
    return (f"&lang;E<sub>f</sub>&rang; = <b>{result.mean_emission_energy:.4f} eV</b> "
            f"({(result.mean_emission_energy - result.params.band_gap) * 1e3:+.0f} meV from "
            f"the gap; internal emission) &middot; at &Delta;E = 50 meV: upconversion "
            f"&eta; = <b>{result.upconversion_efficiency[at]:.3f}</b>, break-even EQE "
            f"<b>{result.breakeven_eqe[at]:.4f}</b> &middot; {text}")


def cooling_explorer() -> Explorer:
    """Explorer of the optical-cooling balance against the pump detuning.

    Sliders: external quantum efficiency [-], background (parasitic) absorption [cm^-1],
    temperature [K] and reservoir density [cm^-3] (which raises the upconversion efficiency
    eta that the balance includes). The static form overlays four external quantum
    efficiencies.

    Returns
    -------
    Explorer
        Its model returns a :class:`lerbook.upconversion.CoolingBalance`.
    """
    controls = [
        Control("external_quantum_efficiency", "external quantum efficiency \u03b7_ext", "",
                0.9, 1.0, 0.999),
        Control("background_absorption", "background absorption \u03b1_b", "cm^-1", 1e-4,
                10.0, 1e-2, log=True),
        Control("temperature", "temperature T", "K", 250.0, 350.0, 295.0),
        Control("n_ler", "reservoir density n_LER", "cm^-3", NO_RESERVOIR, 1e17, NO_RESERVOIR,
                log=True),
    ]

    def static(values):
        efficiencies = (0.99, 0.997, 0.999, 1.0)
        results = [_cooling_model(**{**values, "external_quantum_efficiency": e})
                   for e in efficiencies]
        labels = [f"\u03b7_ext = {e:.3f}" for e in efficiencies]
        return views.plot_cooling_family(
            results, labels,
            title="Net cooling needs an EQE within 0.3% of 1 and a pump the tail absorbs\n"
                  "and the carriers escape from "
                  f"(\u03b1_b = {values['background_absorption']:g} cm\u207b\u00b9)")

    return Explorer("Optical cooling: does anti-Stokes emission cool the sample?", controls,
                    _cooling_model, views.CoolingView, _cooling_readout, static)
