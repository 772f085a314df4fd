"""The scenario reference in docs/ is the schema's (regenerated and compared), and `budgetmodel ny`
writes a scenario whose gaps `validate` lists and that validates and runs once filled in."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.scenario import reference
from budgetmodel.scenario.schema import InputStatus, Scenario

runner = CliRunner()


def test_reference_matches_the_schema():
    on_disk = reference.DOC.read_text(encoding="utf-8")
    assert on_disk == reference.render(), "docs/scenario-reference.md is out of date: run python -m budgetmodel.scenario.reference --write"


def test_reference_lists_every_field_and_status():
    text = reference.render()
    for name in Scenario.model_fields:
        assert f"| `{name}` |" in text
    for status in InputStatus:
        assert f"`{status.value}`" in text
    assert (
        "| `wage_dkk_per_aarsvaerk` | [NonNegative](#nonnegative) | krævet | kr. pr. årsværk pr. år | en sagsbehandlers årsløn (uden overhead) | "
        "`{value: 500000, status: derived, source: 'Seed 004, bilag 4"
    ) in text
    # statuses explained in Danish, and no English field text left
    assert "`assumption`: en antagelse" in text and "| relative cut" not in text and "(a check)" not in text


def test_every_field_has_a_danish_meaning_a_unit_and_an_example():
    """The drift test's other half: a field added to the schema needs its line in reference_da.py
    (meaning, unit, and an example unless a bundled scenario has one); a line for a field the
    schema no longer has is an error too. Every written example is YAML."""
    import yaml

    from budgetmodel.scenario.reference_da import FIELDS

    texts = reference.field_texts()
    missing = [f"{m}.{f}" for (m, f), (meaning, unit, example) in texts.items() if not (meaning and unit and example)]
    assert not missing, f"mangler dansk betydning, enhed eller eksempel i src/budgetmodel/scenario/reference_da.py: {missing}"
    models = reference._models()
    stale = [f"{m}.{f}" for m, rows in FIELDS.items() for f in rows if m not in models or f not in models[m].model_fields]
    assert not stale, f"reference_da.py beskriver felter, skemaet ikke har: {stale}"
    for m, rows in FIELDS.items():
        for f, (_meaning, _unit, example) in rows.items():
            if example:
                yaml.safe_load(example)  # raises on a broken example
    # examples from the bundled scenarios are their real values
    assert texts[("CaseloadGroup", "helaarspersoner")][2].startswith("{value: ")



def test_ny_writes_a_scenario_whose_gaps_validate_lists_and_that_runs_when_filled(tmp_path):
    target = tmp_path / "ringsted.yaml"
    r = runner.invoke(app, ["ny", "Ringsted Kommune", "--years", "2027-2030", "--out", str(target)])
    assert r.exit_code == 0, r.stderr
    text = target.read_text(encoding="utf-8")
    assert "years: [2027, 2028, 2029, 2030]" in text and "id: ringsted-kommune-basis" in text
    assert "profile: ringsted-kommune-personale.yaml" in text
    # the staircase's bands in force on 1 January 2027, read from rates/refusionstrappe
    assert '"1-4": {value: null' in text and '"53+": {value: null' in text and "53+: 20 pct." in text
    v = runner.invoke(app, ["validate", str(target)])
    assert v.exit_code == 1
    gaps = [line for line in v.stderr.splitlines() if "mangler:" in line]
    own = [g for g in gaps if str(target) in g]
    assert len(own) == len(re.findall(r"value: null(?=  # UDFYLD|,)", text)) + text.count('"UDFYLD: ') == 7 + 3 * 12
    assert f"{target}:15: [municipality.bloktilskud_share.value] mangler: et tal er ikke udfyldt endnu" in v.stderr
    assert len(gaps) == len(own) + 17  # the staff profile's 16 numbers and its source
    numbers = iter(["0.004", "520000", "60000"] + ["300", "150000", "0.1", "0.2", "0.2", "0.5"] * 3)
    filled = re.sub(r"value: null(?=  # UDFYLD|,)", lambda m: "value: " + next(numbers), text).replace('"UDFYLD: ', '"Eget udtræk: ')
    target.write_text(filled, encoding="utf-8")
    staff = tmp_path / "ringsted-kommune-personale.yaml"
    staff.write_text(re.sub(r"UDFYLD(?=  #)", "4", staff.read_text(encoding="utf-8")).replace('"UDFYLD: ', '"Lønsystemet: '), encoding="utf-8")
    assert runner.invoke(app, ["validate", str(target)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(staff)]).exit_code == 0
    run = runner.invoke(app, ["run", str(target), "--save-resolved", str(tmp_path / "r.yaml"), "--json"])
    assert run.exit_code == 0, run.stderr


def test_ny_staff_profile_gaps_are_listed_when_validated_on_its_own(tmp_path):
    target = tmp_path / "x.yaml"
    assert runner.invoke(app, ["ny", "Ærø Kommune", "--years", "2027", "--out", str(target)]).exit_code == 0
    staff = tmp_path / "aeroe-kommune-personale.yaml"
    v = runner.invoke(app, ["validate", str(staff)])
    assert v.exit_code == 1 and v.stderr.startswith("17 fejl i input:")
    assert f"{staff}:12: [target_groups.a_dagpenge.aarsvaerk] mangler: en værdi er ikke udfyldt endnu (UDFYLD)" in v.stderr
    assert "forventede et tal" not in v.stderr  # not filled in is not the wrong type


def test_ny_refuses_bad_years_and_never_overwrites(tmp_path):
    r = runner.invoke(app, ["ny", "X", "--years", "2030-2027", "--out", str(tmp_path / "x.yaml")])
    assert r.exit_code == 1 and "sidste år kommer før første" in r.stderr
    p = tmp_path / "x.yaml"
    p.write_text("kind: scenario\n")
    r = runner.invoke(app, ["ny", "X", "--years", "2027", "--out", str(p)])
    assert r.exit_code == 1 and "findes allerede" in r.stderr and p.read_text() == "kind: scenario\n"
    assert not (tmp_path / "x-personale.yaml").exists()  # nothing written when one file is refused
    (tmp_path / "y-personale.yaml").write_text("x: 1\n")
    r = runner.invoke(app, ["ny", "Y", "--years", "2027", "--out", str(tmp_path / "y.yaml")])
    assert r.exit_code == 1 and "y-personale.yaml" in r.stderr and not (tmp_path / "y.yaml").exists()
