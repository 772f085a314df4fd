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
    assert "| `wage_dkk_per_aarsvaerk` | [NonNegative](#nonnegative) | krævet | a caseworker's yearly wage (kr. per årsværk, excl. overhead) |" in text


def test_ny_writes_a_scenario_whose_gaps_validate_lists_and_that_runs_when_filled(tmp_path):
    target = tmp_path / "ringsted.yaml"
    r = runner.invoke(app, ["ny", "Ringsted Kommune", "--years", "2027-2030", "--out", str(target)])
    assert r.exit_code == 0, r.stderr
    text = target.read_text(encoding="utf-8")
    assert "years: [2027, 2028, 2029, 2030]" in text and "id: ringsted-kommune-basis" in text
    v = runner.invoke(app, ["validate", str(target)])
    assert v.exit_code == 1
    gaps = [line for line in v.stderr.splitlines() if "mangler:" in line]
    assert len(gaps) == text.count("value: null  # UDFYLD") + text.count('"UDFYLD: ') == 13
    assert f"{target}:15: [municipality.bloktilskud_share.value] mangler: et tal er ikke udfyldt endnu" in v.stderr
    numbers = iter(["0.004", "520000", "60000", "300", "250", "400"])
    filled = re.sub(r"value: null  # UDFYLD[^\n]*", lambda m: "value: " + next(numbers), text).replace('"UDFYLD: ', '"Eget udtræk: ')
    target.write_text(filled, encoding="utf-8")
    assert runner.invoke(app, ["validate", str(target)]).exit_code == 0
    run = runner.invoke(app, ["run", str(target), "--save-resolved", str(tmp_path / "r.yaml"), "--json"])
    assert run.exit_code == 0, run.stderr


def test_ny_refuses_bad_years_and_never_overwrites(tmp_path):
    r = runner.invoke(app, ["ny", "X", "--years", "2030-2027", "--out", str(tmp_path / "x.yaml")])
    assert r.exit_code == 1 and "sidste år kommer før første" in r.stderr
    p = tmp_path / "x.yaml"
    p.write_text("kind: scenario\n")
    r = runner.invoke(app, ["ny", "X", "--years", "2027", "--out", str(p)])
    assert r.exit_code == 1 and "findes allerede" in r.stderr and p.read_text() == "kind: scenario\n"
