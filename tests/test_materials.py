"""Material presets: every value sourced, physical trends right, bad values refused."""

import dataclasses
import doctest
import math
import re
from pathlib import Path

import pytest

import lerbook.materials as materials_module
from lerbook.materials import FIELD_UNITS, MATERIALS, Material, get_material, table

BIB = Path(__file__).resolve().parents[1] / "book" / "references.bib"
EXPECTED = {"MAPbI3", "FAPbI3", "MAPbBr3", "CsPbBr3", "CsPbI3"}
MAPI = MATERIALS["MAPbI3"]


def _bib_keys() -> set[str]:
    return set(re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8"), re.M))


def test_all_five_materials_are_in_the_registry():
    assert EXPECTED <= set(MATERIALS)
    for name, material in MATERIALS.items():
        assert material.name == name


def test_every_registry_value_has_a_source_key_present_in_the_bib_file():
    keys = _bib_keys()
    assert keys, "no BibTeX keys parsed"
    for material in MATERIALS.values():
        for field in FIELD_UNITS:
            assert material.source(field) in keys, (material.name, field)


def test_bib_keys_appear_once_and_cover_every_material_source():
    text = BIB.read_text(encoding="utf-8")
    found = re.findall(r"^@\w+\{([^,\s]+),", text, re.M)
    assert len(found) == len(set(found))
    used = {m.source(f) for m in MATERIALS.values() for f in FIELD_UNITS}
    assert used <= set(found)


def test_field_units_cover_every_numeric_field_in_order():
    numeric = [f.name for f in dataclasses.fields(Material) if f.name not in ("name", "sources")]
    assert list(FIELD_UNITS) == numeric
    for unit, description in FIELD_UNITS.values():
        assert unit and description


def test_bromides_have_wider_gaps_than_iodides():
    assert MATERIALS["MAPbBr3"].band_gap > MATERIALS["MAPbI3"].band_gap
    assert MATERIALS["CsPbBr3"].band_gap > MATERIALS["CsPbI3"].band_gap


def test_gap_order_within_iodides_fa_below_ma_below_cs():
    gaps = [MATERIALS[n].band_gap for n in ("FAPbI3", "MAPbI3", "CsPbI3")]
    assert gaps == sorted(gaps)


def test_static_permittivity_exceeds_optical_for_every_preset():
    for material in MATERIALS.values():
        assert material.eps_static > material.eps_optical >= 1


def test_alpha_wavelength_lies_above_the_gap():
    for material in MATERIALS.values():
        assert 1239.8419843320026 / material.alpha_wavelength > material.band_gap


def test_presets_are_room_temperature_magnitudes():
    for m in MATERIALS.values():
        assert 0.05 < m.reduced_mass < 0.2
        assert 1e-12 < m.B < 1e-8
        assert 5e-3 < m.lo_phonon_energy < 3e-2
        assert m.thermal_conductivity < 1.0  # ultralow, below amorphous silicon


def test_reduced_mass_and_mobility_sum_by_hand():
    assert MAPI.reduced_mass == pytest.approx(0.104, rel=1e-12)
    assert MAPI.mobility_sum == pytest.approx(35.0)
    m = MAPI.with_(mass_electron=0.2, mass_hole=0.3, mobility_electron=10, mobility_hole=2)
    assert m.reduced_mass == pytest.approx(0.2 * 0.3 / 0.5)
    assert m.mobility_sum == pytest.approx(12.0)


@pytest.mark.parametrize("name", ["MAPbI3", "mapbi3", "MAPBI3", "  MaPbI3 "])
def test_lookup_is_case_insensitive(name):
    assert get_material(name) is MAPI


def test_lookup_returns_a_material_instance_as_is():
    custom = MAPI.with_(band_gap=1.6)
    assert get_material(custom) is custom


def test_unknown_material_name_raises_listing_valid_names():
    with pytest.raises(ValueError, match="material") as info:
        get_material("GaAs")
    message = str(info.value)
    assert "'GaAs'" in message
    for name in EXPECTED:
        assert name in message


def test_non_string_material_raises_value_error():
    with pytest.raises(ValueError, match="material"):
        get_material(42)


@pytest.mark.parametrize("field", list(FIELD_UNITS))
@pytest.mark.parametrize("bad", [-1.0, 0.0, math.nan, math.inf, -math.inf, "abc", None])
def test_bad_numeric_values_raise_naming_the_parameter(field, bad):
    with pytest.raises(ValueError, match=field):
        MAPI.with_(**{field: bad})


def test_eps_optical_above_eps_static_raises_naming_both():
    with pytest.raises(ValueError, match="eps_static") as info:
        MAPI.with_(eps_optical=40.0)
    assert "eps_optical" in str(info.value)


def test_eps_optical_below_one_raises():
    with pytest.raises(ValueError, match="eps_optical"):
        MAPI.with_(eps_optical=0.5)


@pytest.mark.parametrize("gap", [0.3, 4.5])
def test_band_gap_outside_sensible_range_raises(gap):
    with pytest.raises(ValueError, match="band_gap"):
        MAPI.with_(band_gap=gap)


def test_empty_name_raises():
    with pytest.raises(ValueError, match="name"):
        MAPI.with_(name="")


def test_sources_with_unknown_field_or_empty_key_raise():
    with pytest.raises(ValueError, match="sources"):
        MAPI.with_(sources={"colour": "someone2020"})
    with pytest.raises(ValueError, match="sources"):
        MAPI.with_(sources={"band_gap": ""})


def test_with_unknown_field_raises_listing_valid_fields():
    with pytest.raises(ValueError, match="band_gap"):
        MAPI.with_(bandgap=1.6)


def test_with_returns_a_validated_copy_and_leaves_the_original():
    copy = MAPI.with_(B=2e-10)
    assert copy.B == 2e-10 and MAPI.B == 9e-11
    assert copy.band_gap == MAPI.band_gap


def test_with_drops_the_source_of_changed_values_only():
    copy = MAPI.with_(B=2e-10)
    assert copy.source("band_gap") == MAPI.source("band_gap")
    with pytest.raises(ValueError, match="no recorded source"):
        copy.source("B")


def test_source_of_unknown_field_raises():
    with pytest.raises(ValueError, match="field"):
        MAPI.source("colour")


def test_material_is_hashable_and_equal_copies_hash_equal():
    twin = dataclasses.replace(MAPI)
    assert twin == MAPI and hash(twin) == hash(MAPI)
    assert len({m for m in MATERIALS.values()}) == len(MATERIALS)


def test_sources_given_as_a_mapping_are_stored_as_a_sorted_tuple():
    m = MAPI.with_(sources={"C": "x2000", "A": "y2001"})
    assert m.sources == (("A", "y2001"), ("C", "x2000"))
    assert dict(m.source_map) == {"A": "y2001", "C": "x2000"}
    hash(m)


def test_material_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        MAPI.band_gap = 2.0
    with pytest.raises(TypeError):
        MAPI.source_map["band_gap"] = "me"


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        MATERIALS["GaAs"] = MAPI


def test_numeric_fields_are_stored_as_floats():
    m = MAPI.with_(band_gap=2)
    assert type(m.band_gap) is float


def test_table_has_one_row_per_field_with_values_and_keys_for_every_material():
    rows = table()
    assert [r[0] for r in rows] == list(FIELD_UNITS)
    for field, unit, description, values, keys in rows:
        assert (unit, description) == FIELD_UNITS[field]
        assert set(values) == set(MATERIALS) == set(keys)
        for name in MATERIALS:
            assert values[name] == getattr(MATERIALS[name], field)
            assert keys[name] == MATERIALS[name].source(field)


def test_table_of_chosen_materials_keeps_their_order():
    rows = table(["CsPbI3", MAPI])
    assert list(rows[0][3]) == ["CsPbI3", "MAPbI3"]


def test_docstring_examples_run():
    result = doctest.testmod(materials_module)
    assert result.attempted > 0 and result.failed == 0
