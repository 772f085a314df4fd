"""Scenario files: the bundled ones load, compose as documented, and round-trip through a run's
resolved copy with the same input hash."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from budgetmodel.errors import InputError
from budgetmodel.rates import load_rates
from budgetmodel.scenario.compose import compose
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.schema import InputStatus, Sourced, resolve_parameter, with_parameter
from budgetmodel.validation import validate_paths

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
JOB = SCEN / "lyngby-taarbaek-2014-jobformidler.yaml"
REFORM = SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"
TRAPPE = SCEN / "lyngby-taarbaek-2016-refusionstrappe.yaml"
BASIS = SCEN / "lyngby-taarbaek-2014-basis.yaml"


@pytest.fixture(scope="module")
def book():
    return load_rates()


def test_every_bundled_scenario_and_fragment_validates():
    assert validate_paths([SCEN]) == len(list(SCEN.rglob("*.yaml")))


@pytest.mark.parametrize("path", [BASIS, JOB, REFORM, TRAPPE], ids=lambda p: p.stem)
def test_bundled_scenarios_load_with_their_rate_references(book, path):
    loaded = load_scenario(path, book)
    assert loaded.scenario.years == [2014, 2015, 2016, 2017]
    assert len(loaded.input_hash) == 64


def test_jobformidler_carries_the_published_inputs_of_tabel_1(book):
    s = load_scenario(JOB, book).scenario
    ini = s.initiatives["personlig_jobformidler"]
    assert (ini.staff_count.value, ini.persons_per_staff.value, ini.wage_dkk_per_year.value) == (2, 25, 1_000_000)
    assert ini.start == dt.date(2014, 7, 1) and ini.duration_months == 36
    assert ini.offer_reductions["under_30"].helaarstilbud.value == 3
    assert ini.offer_reductions["over_30"].helaarstilbud.value == 16
    assert s.municipality.prices.helaarstilbud_dkk["under_30"].value == 56209
    assert s.municipality.prices.helaarstilbud_dkk["over_30"].value == 68791
    assert ini.wage_dkk_per_year.status is InputStatus.fra_notat
    assert s.assumptions.duration_effect.value == 0


def test_reform_composes_basis_reform_and_initiative(book):
    loaded = load_scenario(REFORM, book)
    names = [Path(p).name for p, _ in loaded.files]
    assert names == ["lyngby-taarbaek-2014-basis.yaml", "kontanthjaelpsreform-2014.yaml", "personlig-jobformidler.yaml", "lyngby_taarbaek.yaml", REFORM.name]
    s = loaded.scenario
    assert "kontanthjaelpsreform" in s.law.changes and "personlig_jobformidler" in s.initiatives
    assert s.budget.fixed_lines["pulje"].by_year == {2014: -891, 2015: -1931, 2016: -2560, 2017: -2942}
    assert s.budget.fixed_lines["pulje"].status is InputStatus.fra_notat
    # law (the reform, dated) and assumptions stay apart
    assert s.law.changes["kontanthjaelpsreform"].in_force == dt.date(2014, 1, 1)


def test_the_2016_comparison_changes_only_the_refund_law(book):
    a = load_scenario(BASIS, book).scenario
    b = load_scenario(TRAPPE, book).scenario
    assert a.law.as_if == dt.date(2014, 1, 1) and b.law.as_if == dt.date(2016, 1, 4)
    assert a.municipality == b.municipality and a.assumptions == b.assumptions


def test_composition_rules(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(
        "kind: scenario-fragment\nid: base\n"
        "assumptions:\n  duration_effect: {value: 0.1, status: assumption, source: Gammel kilde, note: gammel}\n"
        "  caseload_growth: {value: 0, status: assumption, source: A}\n"
        "initiatives:\n  a: {title: A}\n  b: {title: B}\n",
        encoding="utf-8",
    )
    top = tmp_path / "top.yaml"
    top.write_text(
        "kind: scenario\nid: top\nextends: [base.yaml]\n"
        "assumptions:\n  duration_effect: {value: 0.2, status: assumption, source: Ny kilde}\n"
        "initiatives:\n  b: null\n",
        encoding="utf-8",
    )
    c = compose(top)
    # a value object is replaced whole: the old note does not survive under the new source
    assert c.data["assumptions"]["duration_effect"] == {"value": 0.2, "status": "assumption", "source": "Ny kilde"}
    # mappings merge key by key; null removes
    assert c.data["assumptions"]["caseload_growth"]["value"] == 0
    assert list(c.data["initiatives"]) == ["a"]
    assert c.where(("assumptions", "duration_effect", "value")) == (str(top), 5)
    assert c.where(("assumptions", "caseload_growth")) == (str(base), 5)


def test_resolved_copy_loads_back_to_the_same_hash(book, tmp_path):
    loaded = load_scenario(REFORM, book)
    out = tmp_path / "resolved.yaml"
    out.write_text(loaded.resolved_yaml(), encoding="utf-8")
    again = load_scenario(out, book)
    assert again.input_hash == loaded.input_hash
    assert again.scenario == loaded.scenario
    assert "extends" not in out.read_text(encoding="utf-8").split("composed from:")[1].split("\n", 5)[-1]


def test_input_hash_follows_content_not_formatting(book, tmp_path):
    loaded = load_scenario(JOB, book)
    s2 = with_parameter(loaded.scenario, "initiatives.personlig_jobformidler.persons_per_staff", 26)
    from budgetmodel.scenario.load import canonical_hash

    assert canonical_hash(s2) != loaded.input_hash
    assert canonical_hash(with_parameter(s2, "initiatives.personlig_jobformidler.persons_per_staff", 25)) == loaded.input_hash


def test_parameters_resolve_to_sourced_values(book):
    s = load_scenario(JOB, book).scenario
    p = resolve_parameter(s, "municipality.prices.helaarstilbud_dkk.over_30")
    assert isinstance(p, Sourced) and p.value == 68791
    with pytest.raises(KeyError):
        resolve_parameter(s, "municipality.prices")
    with pytest.raises(Exception):
        with_parameter(s, "assumptions.duration_effect", 2.0)  # a share above 1 is refused


def test_a_fragment_is_not_run_on_its_own(book):
    with pytest.raises(InputError, match="fragment"):
        load_scenario(SCEN / "parts" / "personlig-jobformidler.yaml", book)


def test_staff_profile_reference_takes_local_overrides(tmp_path):
    """Keys beside `profile:` override the embedded profile; the rest comes from the profile file."""
    f = tmp_path / "override.yaml"
    f.write_text(
        "kind: scenario\nid: override\ntitle: Override\n"
        f"extends: [{JOB}]\n"
        "municipality:\n  staff:\n    target_groups:\n      kontanthjaelp_match1:\n        samtaler: 1500.0\n",
        encoding="utf-8",
    )
    base = load_scenario(JOB).scenario.municipality.staff
    over = load_scenario(f).scenario.municipality.staff
    assert over.target_groups["kontanthjaelp_match1"].samtaler == 1500.0
    assert over.target_groups["kontanthjaelp_match1"].aarsvaerk == base.target_groups["kontanthjaelp_match1"].aarsvaerk
    assert over.target_groups["kontanthjaelp_match23"] == base.target_groups["kontanthjaelp_match23"]


def test_staff_override_error_points_into_the_overriding_file(tmp_path):
    f = tmp_path / "bad-override.yaml"
    f.write_text(
        "kind: scenario\nid: bad\ntitle: Bad\n"
        f"extends: [{JOB}]\n"
        "municipality:\n  staff:\n    target_groups:\n      kontanthjaelp_match1:\n        samtaler: mange\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_scenario(f)
    assert f"{f}:9:" in str(exc.value) and "samtaler" in str(exc.value)
