"""Material parameters of lead halide perovskites, each value with its literature source.

One frozen :class:`Material` per compound, collected in the registry :data:`MATERIALS`
(a read-only mapping in the spirit of pvlib's ``TEMPERATURE_MODEL_PARAMETERS``). Every
numeric field of every preset names the BibTeX key (in ``book/references.bib``)
it comes from: ``MATERIALS["MAPbI3"].source("B")``. Values are room-temperature (about
295 K) thin-film or single-crystal values as commonly used in the literature; they are
typical values, not the properties of any one sample, and trap-limited quantities (``A``,
the mobilities) vary by an order of magnitude between films.

Where a quantity has not been measured for a compound, the preset uses a close analogue
(the compound with the same halide, or the same excess energy above the gap) and says so
in a comment next to the value and in the ``note`` of the cited BibTeX entry.

The presets (phase at room temperature):

- ``MAPbI3``: CH3NH3PbI3, tetragonal (I4/mcm) between about 162 K and 327 K.
- ``FAPbI3``: HC(NH2)2PbI3, the black alpha (pseudo-cubic) perovskite phase, metastable at
  room temperature against the yellow hexagonal delta phase.
- ``MAPbBr3``: CH3NH3PbBr3, cubic (Pm-3m) at room temperature.
- ``CsPbBr3``: orthorhombic (Pnma) perovskite at room temperature, cubic above about 400 K.
- ``CsPbI3``: the black perovskite phase. It is cubic (alpha) only above about 600 K; black
  films at room temperature are the metastable orthorhombic gamma phase (Sutton et al.
  2018), which reverts to the yellow non-perovskite delta phase in humid air.

.. rubric:: References

The same works, with their citation keys, are in ``book/references.bib``.

- J. H. Noh et al., "Chemical management for colorful, efficient, and stable
  inorganic-organic hybrid nanostructured solar cells", Nano Lett. 13, 1764 (2013).
  doi:10.1021/nl400349b
- G. E. Eperon et al., "Formamidinium lead trihalide: a broadly tunable perovskite for
  efficient planar heterojunction solar cells", Energy Environ. Sci. 7, 982 (2014).
  doi:10.1039/c3ee43822h
- R. J. Sutton et al., "Bandgap-tunable cesium lead halide perovskites with high
  thermal stability for efficient solar cells", Adv. Energy Mater. 6, 1502458 (2016).
- G. E. Eperon et al., "Inorganic caesium lead iodide perovskite solar cells",
  J. Mater. Chem. A 3, 19688 (2015).
- M. Sendner et al., "Optical phonons in methylammonium lead halide perovskites and
  implications for charge transport", Mater. Horiz. 3, 613 (2016).
  doi:10.1039/C6MH00275G
- R. L. Milot et al., "Temperature-dependent charge-carrier dynamics in CH3NH3PbI3
  perovskite thin films", Adv. Funct. Mater. 25, 6218 (2015). doi:10.1002/adfm.201502340
- W. Rehman et al., "Charge-carrier dynamics and mobilities in formamidinium lead
  mixed-halide perovskites", Adv. Mater. 27, 7938 (2015).
- E. M. Hutter et al., "Vapour-deposited cesium lead iodide perovskites: microsecond
  charge carrier lifetimes and enhanced photovoltaic performance", ACS Energy Lett. 2,
  1901 (2017).
- A. Miyata et al., "Direct measurement of the exciton binding energy and effective
  masses for charge carriers in organic-inorganic tri-halide perovskites", Nat. Phys. 11,
  582 (2015). doi:10.1038/nphys3357
- K. Galkowski et al., "Determination of the exciton binding energy and effective
  masses for methylammonium and formamidinium lead tri-halide perovskite semiconductors",
  Energy Environ. Sci. 9, 962 (2016). doi:10.1039/C5EE03435C
- Z. Yang et al., "Impact of the halide cage on the electronic properties of fully
  inorganic cesium lead halide perovskites", ACS Energy Lett. 2, 1621 (2017).
  arXiv:1706.04489
- M. B. Johnston and L. M. Herz, "Hybrid perovskites for photovoltaics:
  charge-carrier recombination, diffusion, and radiative efficiencies", Acc. Chem. Res.
  49, 146 (2016). doi:10.1021/acs.accounts.5b00411
- Y. Yang et al., "Comparison of recombination dynamics in CH3NH3PbBr3 and
  CH3NH3PbI3 perovskite films: influence of exciton binding energy", J. Phys. Chem. Lett.
  6, 4688 (2015).
- A. D. Wright et al., "Electron-phonon coupling in hybrid lead halide perovskites",
  Nat. Commun. 7, 11755 (2016). doi:10.1038/ncomms11755
- S. De Wolf et al., "Organometallic halide perovskites: sharp optical absorption
  edge and its relation to photovoltaic performance", J. Phys. Chem. Lett. 5, 1035 (2014).
  doi:10.1021/jz500279b
- A. Pisoni et al., "Ultra-low thermal conductivity in organic-inorganic hybrid
  perovskite CH3NH3PbI3", J. Phys. Chem. Lett. 5, 2488 (2014). doi:10.1021/jz5012109
- W. Lee et al., "Ultralow thermal conductivity in all-inorganic halide perovskites",
  Proc. Natl. Acad. Sci. USA 114, 8693 (2017). doi:10.1073/pnas.1711744114
- N. Onoda-Yamamuro, T. Matsuo and H. Suga, "Calorimetric and IR spectroscopic
  studies of phase transitions in methylammonium trihalogenoplumbates (II)", J. Phys.
  Chem. Solids 51, 1383 (1990).
- A.-T. Petit and P.-L. Dulong, "Recherches sur quelques points importants de la
  theorie de la chaleur", Ann. Chim. Phys. 10, 395 (1819).
- R. J. Sutton et al., "Cubic or orthorhombic? Revealing the crystal structure of
  metastable black-phase CsPbI3 by theory and experiment", ACS Energy Lett. 3, 1787
  (2018). doi:10.1021/acsenergylett.8b00672
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lerbook import _validate

__all__ = ["FIELD_UNITS", "MATERIALS", "Material", "get_material", "table"]

#: Unit and one-line description of every numeric field of :class:`Material`, in field
#: order: ``FIELD_UNITS["B"] == ("cm^3 s^-1", "bimolecular recombination coefficient")``.
FIELD_UNITS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "band_gap": ("eV", "band gap at room temperature"),
    "eps_static": ("-", "static (low-frequency, below the optical phonons) relative permittivity"),
    "eps_optical": ("-", "high-frequency (optical, above the phonons) relative permittivity"),
    "mobility_electron": ("cm^2 V^-1 s^-1", "electron mobility"),
    "mobility_hole": ("cm^2 V^-1 s^-1", "hole mobility"),
    "mass_electron": ("m0", "electron effective mass"),
    "mass_hole": ("m0", "hole effective mass"),
    "A": ("s^-1", "monomolecular (trap-assisted) recombination rate"),
    "B": ("cm^3 s^-1", "bimolecular recombination coefficient"),
    "C": ("cm^6 s^-1", "Auger recombination coefficient"),
    "lo_phonon_energy": ("eV", "energy of the LO phonon that dominates Froehlich coupling"),
    "urbach_energy": ("eV", "Urbach energy of the exponential absorption tail"),
    "alpha_above_gap": ("cm^-1", "absorption coefficient at alpha_wavelength"),
    "alpha_wavelength": ("nm", "reference wavelength (above the gap) of alpha_above_gap"),
    "thermal_conductivity": ("W m^-1 K^-1", "lattice thermal conductivity"),
    "heat_capacity": ("J cm^-3 K^-1", "volumetric heat capacity"),
})

_BAND_GAP_RANGE = (0.5, 4.0)  # eV: the halide perovskites and their relatives lie inside


@dataclass(frozen=True)
class Material:
    """Room-temperature parameters of one semiconductor, each with its literature source.

    Frozen and hashable; every numeric field is validated on construction (finite and
    > 0; ``eps_static >= eps_optical >= 1``; ``band_gap`` in [0.5, 4] eV). Use
    :meth:`with_` for a validated copy with some values changed.

    Parameters
    ----------
    name : str
        Short name, e.g. ``"MAPbI3"``.
    band_gap : float
        Band gap at room temperature [eV].
    eps_static : float
        Static relative permittivity: the low-frequency limit below the optical phonons
        (not the giant sub-Hz value caused by mobile ions) [-].
    eps_optical : float
        High-frequency (optical) relative permittivity, above the phonons and below the
        gap [-].
    mobility_electron : float
        Electron mobility [cm^2 V^-1 s^-1].
    mobility_hole : float
        Hole mobility [cm^2 V^-1 s^-1].
    mass_electron : float
        Electron effective mass in units of the free electron mass [m0].
    mass_hole : float
        Hole effective mass [m0].
    A : float
        Monomolecular (trap-assisted) recombination rate [s^-1].
    B : float
        Bimolecular recombination coefficient [cm^3 s^-1].
    C : float
        Auger (trimolecular) recombination coefficient [cm^6 s^-1].
    lo_phonon_energy : float
        Energy of the longitudinal optical phonon that dominates Froehlich coupling [eV].
    urbach_energy : float
        Urbach energy of the exponential sub-gap absorption tail [eV].
    alpha_above_gap : float
        Absorption coefficient at ``alpha_wavelength`` [cm^-1].
    alpha_wavelength : float
        Reference wavelength, above the gap, at which ``alpha_above_gap`` applies [nm].
    thermal_conductivity : float
        Lattice thermal conductivity [W m^-1 K^-1].
    heat_capacity : float
        Volumetric heat capacity at constant pressure [J cm^-3 K^-1].
    sources : mapping or iterable of (str, str) pairs, optional
        Field name -> BibTeX key of the value's source. Stored as a sorted tuple of
        ``(field, key)`` pairs so the material stays hashable; read it with
        :meth:`source` or :attr:`source_map`.

    Notes
    -----
    The recombination coefficients define the ABC rate law for a carrier density n
    [cm^-3]:

    .. math:: \\frac{dn}{dt} = -A n - B n^2 - C n^3

    The effective masses enter through the reduced mass
    :math:`\\mu = m_e m_h / (m_e + m_h)` (:attr:`reduced_mass`), the quantity that
    magneto-optics measures.
    """

    name: str
    band_gap: float
    eps_static: float
    eps_optical: float
    mobility_electron: float
    mobility_hole: float
    mass_electron: float
    mass_hole: float
    A: float
    B: float
    C: float
    lo_phonon_energy: float
    urbach_energy: float
    alpha_above_gap: float
    alpha_wavelength: float
    thermal_conductivity: float
    heat_capacity: float
    sources: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        for field_name, (unit, _) in FIELD_UNITS.items():
            value = _validate.positive(field_name, getattr(self, field_name), unit)
            object.__setattr__(self, field_name, value)
        _validate.in_range("band_gap", self.band_gap, *_BAND_GAP_RANGE, unit="eV")
        if self.eps_optical < 1.0:
            raise ValueError(f"eps_optical must be >= 1 (eps_static >= eps_optical >= 1), "
                             f"got {self.eps_optical!r}")
        if self.eps_static < self.eps_optical:
            raise ValueError(
                f"eps_static must be >= eps_optical (eps_static >= eps_optical >= 1), "
                f"got eps_static={self.eps_static!r} < eps_optical={self.eps_optical!r}")
        object.__setattr__(self, "sources", _normalise_sources(self.sources))

    # ---- derived quantities -------------------------------------------------------------
    @property
    def reduced_mass(self) -> float:
        """Reduced electron-hole mass m_e m_h / (m_e + m_h) [m0]."""
        return self.mass_electron * self.mass_hole / (self.mass_electron + self.mass_hole)

    @property
    def mobility_sum(self) -> float:
        """Sum of electron and hole mobilities [cm^2 V^-1 s^-1] (what THz and TRMC measure)."""
        return self.mobility_electron + self.mobility_hole

    @property
    def source_map(self) -> Mapping[str, str]:
        """Read-only mapping field name -> BibTeX key of its source."""
        return MappingProxyType(dict(self.sources))

    def source(self, field: str) -> str:
        """BibTeX key of the source of ``field``.

        Parameters
        ----------
        field : str
            A numeric field name, e.g. ``"band_gap"``.

        Returns
        -------
        str
            The key of the entry in ``book/references.bib``.

        Raises
        ------
        ValueError
            If ``field`` is not a numeric field, or has no source (a value set by the user).
        """
        if field not in FIELD_UNITS:
            raise ValueError(f"field must be one of {', '.join(FIELD_UNITS)}; got {field!r}")
        try:
            return dict(self.sources)[field]
        except KeyError:
            raise ValueError(f"field {field!r} of {self.name} has no recorded source "
                             f"(a value set by the user)") from None

    def with_(self, **changes) -> Material:
        """Return a validated copy with some fields changed.

        The changed fields lose their literature source (``source`` then raises for them)
        unless ``sources`` is passed too.

        Parameters
        ----------
        **changes
            Field name -> new value, in the field's unit (see :data:`FIELD_UNITS`).

        Returns
        -------
        Material
            The new material; the original is unchanged.

        Raises
        ------
        ValueError
            If a name is not a field, or a new value is out of range.
        """
        valid = [f.name for f in dataclasses.fields(self)]
        unknown = [name for name in changes if name not in valid]
        if unknown:
            raise ValueError(f"with_ got unknown field(s) {', '.join(map(repr, unknown))}; "
                             f"valid fields: {', '.join(valid)}")
        if "sources" not in changes:
            changes["sources"] = tuple(
                (field, key) for field, key in self.sources if field not in changes)
        return dataclasses.replace(self, **changes)


def _normalise_sources(sources) -> tuple[tuple[str, str], ...]:
    """Return ``sources`` as a sorted tuple of (field, key) pairs, validated."""
    if sources is None:
        return ()
    pairs = sources.items() if isinstance(sources, Mapping) else sources
    try:
        pairs = [(field, key) for field, key in pairs]
    except (TypeError, ValueError):
        raise ValueError(f"sources must be a mapping or (field, key) pairs, got {sources!r}") \
            from None
    for field, key in pairs:
        if field not in FIELD_UNITS:
            raise ValueError(f"sources has unknown field {field!r}; "
                             f"valid fields: {', '.join(FIELD_UNITS)}")
        if not isinstance(key, str) or not key.strip():
            raise ValueError(f"sources[{field!r}] must be a non-empty BibTeX key, got {key!r}")
    if len({field for field, _ in pairs}) != len(pairs):
        raise ValueError(f"sources names a field twice: {pairs!r}")
    return tuple(sorted(pairs))


def _preset(name: str, values: Mapping[str, tuple[float, str]]) -> Material:
    """Build a registry material from field -> (value, BibTeX key)."""
    return Material(name=name, **{field: value for field, (value, _) in values.items()},
                    sources={field: key for field, (_, key) in values.items()})


# ---- the presets ----------------------------------------------------------------------------
# Effective masses: magneto-optics measures only the reduced mass mu. The presets split it
# equally, m_e = m_h = 2 mu, as first-principles band structures of these compounds suggest.
# Mobilities: THz and microwave photoconductivity measure only the sum mu_e + mu_h; the
# presets split it equally.
# Absorption: alpha is given at the photon energy 0.50 eV above each gap (600 nm for MAPbI3).

_MAPBI3 = _preset("MAPbI3", {
    "band_gap": (1.57, "noh2013chemical"),
    "eps_static": (33.5, "sendner2016optical"),
    "eps_optical": (5.0, "sendner2016optical"),
    "mobility_electron": (17.5, "milot2015temperature"),  # half the THz sum of 35
    "mobility_hole": (17.5, "milot2015temperature"),
    "mass_electron": (0.208, "miyata2015direct"),  # 2 x mu, mu = 0.104 m0
    "mass_hole": (0.208, "miyata2015direct"),
    "A": (5.0e6, "johnston2016recombination"),
    "B": (9.0e-11, "johnston2016recombination"),
    "C": (1.0e-28, "johnston2016recombination"),  # order of magnitude of reported k3
    "lo_phonon_energy": (0.0115, "wright2016electron"),
    "urbach_energy": (0.015, "dewolf2014sharp"),
    "alpha_above_gap": (5.0e4, "dewolf2014sharp"),  # read from the spectrum, +-30 %
    "alpha_wavelength": (600.0, "dewolf2014sharp"),
    "thermal_conductivity": (0.50, "pisoni2014thermal"),  # single crystal
    "heat_capacity": (1.25, "onodayamamuro1990calorimetric"),  # ~0.30 J g^-1 K^-1 x 4.16
})

_FAPBI3 = _preset("FAPbI3", {
    "band_gap": (1.48, "eperon2014formamidinium"),
    "eps_static": (33.5, "sendner2016optical"),  # analogue: MAPbI3 (not measured)
    "eps_optical": (5.0, "sendner2016optical"),  # analogue: MAPbI3
    "mobility_electron": (13.5, "rehman2015formamidinium"),  # half the THz sum of 27
    "mobility_hole": (13.5, "rehman2015formamidinium"),
    "mass_electron": (0.190, "galkowski2016determination"),  # 2 x mu, mu = 0.095 m0
    "mass_hole": (0.190, "galkowski2016determination"),
    "A": (5.0e6, "johnston2016recombination"),  # analogue: MAPbI3
    "B": (9.0e-11, "johnston2016recombination"),  # analogue: MAPbI3
    "C": (1.0e-28, "johnston2016recombination"),  # analogue: MAPbI3
    "lo_phonon_energy": (0.0115, "wright2016electron"),
    "urbach_energy": (0.015, "dewolf2014sharp"),  # analogue: MAPbI3
    "alpha_above_gap": (5.0e4, "dewolf2014sharp"),  # analogue: MAPbI3 at gap + 0.50 eV
    "alpha_wavelength": (627.0, "dewolf2014sharp"),  # 1.48 + 0.50 eV
    "thermal_conductivity": (0.50, "pisoni2014thermal"),  # analogue: MAPbI3
    "heat_capacity": (1.25, "onodayamamuro1990calorimetric"),  # analogue: MAPbI3
})

_MAPBBR3 = _preset("MAPbBr3", {
    "band_gap": (2.29, "noh2013chemical"),  # their fit 1.57 + 0.39 x + 0.33 x^2 at x = 1
    "eps_static": (32.3, "sendner2016optical"),
    "eps_optical": (4.7, "sendner2016optical"),
    "mobility_electron": (7.0, "rehman2015formamidinium"),  # analogue: FAPbBr3, sum 14
    "mobility_hole": (7.0, "rehman2015formamidinium"),
    "mass_electron": (0.234, "galkowski2016determination"),  # 2 x mu, mu = 0.117 m0
    "mass_hole": (0.234, "galkowski2016determination"),
    "A": (2.7e7, "yang2015comparison"),
    "B": (4.9e-10, "yang2015comparison"),
    "C": (1.35e-27, "yang2015comparison"),
    "lo_phonon_energy": (0.0153, "wright2016electron"),
    "urbach_energy": (0.015, "dewolf2014sharp"),  # analogue: MAPbI3
    "alpha_above_gap": (5.0e4, "dewolf2014sharp"),  # analogue: MAPbI3 at gap + 0.50 eV
    "alpha_wavelength": (445.0, "dewolf2014sharp"),  # 2.29 + 0.50 eV
    "thermal_conductivity": (0.50, "pisoni2014thermal"),  # analogue: MAPbI3
    "heat_capacity": (1.45, "onodayamamuro1990calorimetric"),  # MAPbI3 molar Cp / 125.6 cm^3
})

_CSPBBR3 = _preset("CsPbBr3", {
    "band_gap": (2.36, "sutton2016bandgap"),
    "eps_static": (32.3, "sendner2016optical"),  # analogue: MAPbBr3
    "eps_optical": (4.7, "sendner2016optical"),  # analogue: MAPbBr3
    "mobility_electron": (7.0, "rehman2015formamidinium"),  # analogue: FAPbBr3, sum 14
    "mobility_hole": (7.0, "rehman2015formamidinium"),
    "mass_electron": (0.252, "yang2017halide"),  # 2 x mu, mu = 0.126 m0
    "mass_hole": (0.252, "yang2017halide"),
    "A": (2.7e7, "yang2015comparison"),  # analogue: MAPbBr3
    "B": (4.9e-10, "yang2015comparison"),  # analogue: MAPbBr3
    "C": (1.35e-27, "yang2015comparison"),  # analogue: MAPbBr3
    "lo_phonon_energy": (0.0153, "wright2016electron"),  # analogue: MAPbBr3
    "urbach_energy": (0.015, "dewolf2014sharp"),  # analogue: MAPbI3
    "alpha_above_gap": (5.0e4, "dewolf2014sharp"),  # analogue: MAPbI3 at gap + 0.50 eV
    "alpha_wavelength": (434.0, "dewolf2014sharp"),  # 2.36 + 0.50 eV
    "thermal_conductivity": (0.42, "lee2017ultralow"),  # nanowires
    "heat_capacity": (1.04, "petit1819chaleur"),  # 15 R / 119.9 cm^3 mol^-1 (Pnma cell)
})

_CSPBI3 = _preset("CsPbI3", {
    "band_gap": (1.73, "eperon2015caesium"),
    "eps_static": (33.5, "sendner2016optical"),  # analogue: MAPbI3
    "eps_optical": (5.0, "sendner2016optical"),  # analogue: MAPbI3
    "mobility_electron": (12.5, "hutter2017vapour"),  # half the TRMC sum of 25
    "mobility_hole": (12.5, "hutter2017vapour"),
    "mass_electron": (0.228, "yang2017halide"),  # 2 x mu, mu = 0.114 m0
    "mass_hole": (0.228, "yang2017halide"),
    "A": (5.0e6, "johnston2016recombination"),  # analogue: MAPbI3
    "B": (9.0e-11, "johnston2016recombination"),  # analogue: MAPbI3
    "C": (1.0e-28, "johnston2016recombination"),  # analogue: MAPbI3
    "lo_phonon_energy": (0.0115, "wright2016electron"),  # analogue: MAPbI3
    "urbach_energy": (0.015, "dewolf2014sharp"),  # analogue: MAPbI3
    "alpha_above_gap": (5.0e4, "dewolf2014sharp"),  # analogue: MAPbI3 at gap + 0.50 eV
    "alpha_wavelength": (557.0, "dewolf2014sharp"),  # 1.73 + 0.50 eV
    "thermal_conductivity": (0.45, "lee2017ultralow"),  # nanowires, phase not stated
    "heat_capacity": (0.87, "petit1819chaleur"),  # 15 R / 143.7 cm^3 mol^-1 (gamma cell)
})

#: The material presets, by name (read-only). Every numeric field of every preset has a
#: source key: ``MATERIALS["CsPbBr3"].source("thermal_conductivity") == "lee2017ultralow"``.
MATERIALS: Mapping[str, Material] = MappingProxyType(
    {m.name: m for m in (_MAPBI3, _FAPBI3, _MAPBBR3, _CSPBBR3, _CSPBI3)})


def get_material(material: str | Material) -> Material:
    """Look up a material preset by name, ignoring case.

    Parameters
    ----------
    material : str or Material
        A name in :data:`MATERIALS` (any case, e.g. ``"mapbi3"``), or a :class:`Material`,
        which is returned as is.

    Returns
    -------
    Material
        The preset.

    Raises
    ------
    ValueError
        If the name is not in the registry; the message lists the valid names.

    References
    ----------
    The sources of every value are listed in the module docstring and in
    ``book/references.bib``; e.g. the MAPbI3 reduced mass is from A. Miyata et
    al., Nat. Phys. 11, 582 (2015), doi:10.1038/nphys3357.

    Examples
    --------
    >>> from lerbook.materials import get_material
    >>> mapi = get_material("mapbi3")
    >>> mapi.name, mapi.band_gap
    ('MAPbI3', 1.57)
    >>> round(mapi.reduced_mass, 3)
    0.104
    >>> mapi.source("band_gap")
    'noh2013chemical'
    >>> get_material(mapi) is mapi
    True
    >>> brighter = mapi.with_(B=2e-10)
    >>> brighter.B, mapi.B
    (2e-10, 9e-11)
    """
    if isinstance(material, Material):
        return material
    names = ", ".join(MATERIALS)
    if not isinstance(material, str):
        raise ValueError(f"material must be a Material or one of {names}; got {material!r}")
    by_lower = {name.lower(): preset for name, preset in MATERIALS.items()}
    try:
        return by_lower[material.strip().lower()]
    except KeyError:
        raise ValueError(f"material must be one of {names} (case-insensitive); "
                         f"got {material!r}") from None


def table(materials: Iterable[str | Material] | None = None) -> list[tuple]:
    """Rows of the materials table of the book: one row per numeric field.

    Parameters
    ----------
    materials : iterable of str or Material, optional
        The materials (columns) to include, in order. Default: every preset in
        :data:`MATERIALS`.

    Returns
    -------
    list of tuple
        One ``(field, unit, description, values, keys)`` row per field of
        :data:`FIELD_UNITS`, where ``values`` maps material name -> value (in ``unit``)
        and ``keys`` maps material name -> BibTeX key of the value's source (``None``
        for a value without a recorded source).

    Examples
    --------
    >>> row = dict((r[0], r) for r in table())["band_gap"]
    >>> row[1], row[3]["CsPbBr3"], row[4]["CsPbBr3"]
    ('eV', 2.36, 'sutton2016bandgap')
    """
    chosen = [get_material(m) for m in (MATERIALS.values() if materials is None else materials)]
    rows = []
    for field, (unit, description) in FIELD_UNITS.items():
        values = {m.name: getattr(m, field) for m in chosen}
        keys = {m.name: m.source_map.get(field) for m in chosen}
        rows.append((field, unit, description, values, keys))
    return rows


def _check_registry() -> None:
    """Every preset has a source for every numeric field (run at import)."""
    for preset in MATERIALS.values():
        missing = [f for f in FIELD_UNITS if f not in preset.source_map]
        if missing:  # pragma: no cover - a programming error in this file
            raise RuntimeError(f"{preset.name} has no source for {missing}")


_check_registry()
