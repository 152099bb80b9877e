r"""Mobile ions: light-induced quenching, blinking, current-voltage hysteresis and halide
phase segregation.

Halide perovskites are mixed ionic-electronic conductors: halide vacancies (and, more slowly,
cation vacancies) move at room temperature [ion-Eames2015]_. Where the lattice energy
reservoir (LER) of :mod:`lerbook.reservoir` makes the film *brighter* under light, mobile ions
mostly pull the other way. This package holds four small models, one module each
(``ions.competition``, ``ions.blinking``, ``ions.hysteresis``, ``ions.segregation``), each as
transparent as the phenomenon allows; every rate constant is **illustrative** unless its
docstring cites a source.

1. **Competition** (:func:`competition`): light-generated quenching defects with their own
   formation and healing kinetics, against the reservoir brightening of
   :func:`lerbook.ultraslow.simulate`. Formation is superlinear in the intensity, so
   quenching wins above a crossover intensity, as in the MAPbBr3 single crystal that brightens
   below 200 mW cm^-2 and quenches at 350 mW cm^-2 [ion-Chen2017]_.
2. **Blinking** (:func:`simulate_blinking`): a single grain with a few switching quenching
   sites, simulated exactly (Gillespie's direct method [ion-Gillespie1977]_), binned like a
   photon-counting experiment, with on/off times fitted by exponential and power laws
   [ion-Tian2015]_ [ion-Clauset2009]_.
3. **Hysteresis** (:func:`jv_sweep`): a one-state model of the ionic charge screening the
   built-in field, relaxing with the Debye-layer time constant of the drift-diffusion theory
   [ion-Richardson2016]_ and the IonMonger defaults [ion-Courtier2019]_.
4. **Phase segregation** (:func:`segregation`): a mixed-halide lattice with Kawasaki-exchange
   Monte Carlo in which a fixed number of funnelled carriers pulls iodide towards itself under
   light (a caricature field), the PL red-shifting as carriers funnel into iodide-rich domains
   [ion-Hoke2015]_ [ion-Bischak2017]_.

.. rubric:: References

.. [ion-Eames2015] C. Eames et al., "Ionic transport in hybrid lead iodide perovskite solar
   cells", Nat. Commun. 6, 7497 (2015). doi:10.1038/ncomms8497
.. [ion-Chen2017] S. Chen et al., "Light illumination induced photoluminescence enhancement and
   quenching in lead halide perovskite", Sol. RRL 1, 1600001 (2017).
   doi:10.1002/solr.201600001
.. [ion-Gillespie1977] D. T. Gillespie, "Exact stochastic simulation of coupled chemical
   reactions", J. Phys. Chem. 81, 2340-2361 (1977). doi:10.1021/j100540a008
.. [ion-Tian2015] Y. Tian et al., "Giant photoluminescence blinking of perovskite nanocrystals
   reveals single-trap control of luminescence", Nano Lett. 15, 1603-1608 (2015).
.. [ion-Clauset2009] A. Clauset, C. R. Shalizi and M. E. J. Newman, "Power-law distributions
   in empirical data", SIAM Rev. 51, 661-703 (2009). doi:10.1137/070710111
.. [ion-Richardson2016] G. Richardson et al., "Can slow-moving ions explain hysteresis in the
   current-voltage curves of perovskite solar cells?", Energy Environ. Sci. 9, 1476-1485
   (2016). doi:10.1039/C5EE02740C
.. [ion-Courtier2019] N. E. Courtier, J. M. Cave, J. M. Foster, A. B. Walker and
   G. Richardson, "IonMonger: a free and fast planar perovskite solar cell simulator with
   coupled ion vacancy and charge carrier dynamics", J. Comput. Electron. 18, 1435-1449
   (2019). doi:10.1007/s10825-019-01396-2
.. [ion-Hoke2015] E. T. Hoke et al., "Reversible photo-induced trap formation in mixed-halide
   hybrid perovskites for photovoltaics", Chem. Sci. 6, 613-617 (2015).
   doi:10.1039/C4SC03141E
.. [ion-Bischak2017] C. G. Bischak et al., "Origin of reversible photoinduced phase separation
   in hybrid perovskites", Nano Lett. 17, 1028-1033 (2017).
"""

# One module per model; the package re-exports every public name, so that
# ``from lerbook import ions; ions.competition(...)`` reads as before (pvlib's spectrum/ pattern).
from lerbook.ions.blinking import (
    BlinkingParameters,
    BlinkingStatistics,
    BlinkingTrace,
    blinking_statistics,
    simulate_blinking,
)
from lerbook.ions.competition import (
    CompetitionResult,
    QuenchingParameters,
    competition,
    crossover_intensity,
)
from lerbook.ions.hysteresis import (
    MOBILE_SPECIES,
    HysteresisParameters,
    JVSweep,
    hysteresis_index,
    hysteresis_vs_scan_rate,
    jv_sweep,
)
from lerbook.ions.segregation import (
    SegregationParameters,
    SegregationResult,
    mixed_halide_band_gap,
    segregation,
)

__all__ = [
    "MOBILE_SPECIES",
    "QuenchingParameters",
    "CompetitionResult",
    "competition",
    "crossover_intensity",
    "BlinkingParameters",
    "BlinkingTrace",
    "simulate_blinking",
    "BlinkingStatistics",
    "blinking_statistics",
    "HysteresisParameters",
    "JVSweep",
    "jv_sweep",
    "hysteresis_index",
    "hysteresis_vs_scan_rate",
    "SegregationParameters",
    "SegregationResult",
    "segregation",
    "mixed_halide_band_gap",
]
