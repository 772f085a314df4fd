"""Bad scenario files: one fixture per failure mode, each a clear message with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.errors import InputError
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import load_scenario

BROKEN = Path(__file__).parent / "fixtures" / "scenarios_broken"

# fixture → (file that holds the problem, line, field, words the message must contain)
CASES = {
    "unknown_key": ("unknown_key.yaml", 8, "initiatives.personlig_jobformidler.staf_count", "ukendt nøgle"),
    "missing_source": ("missing_source.yaml", 7, "municipality.bloktilskud_share.source", "mangler"),
    "share_out_of_range": ("share_out_of_range.yaml", 7, "assumptions.duration_effect.value", "skal være højst 1"),
    "duration_not_one": ("duration_not_one.yaml", 10, "municipality.caseload.groups.kontanthjaelp_jobparat_over30.duration", "skal summe til 1"),
    "years_gap": ("years_gap.yaml", 6, "years", "uden huller"),
    "series_missing_year": ("series_missing_year.yaml", 8, "budget.fixed_lines.pulje.by_year", "2017"),
    "unknown_target_group": ("unknown_target_group.yaml", 8, "initiatives.personlig_jobformidler.target_group", "unknown caseload group"),
    "extends_missing": ("extends_missing.yaml", 5, "extends.1", "filen findes ikke"),
    "duplicate_key": ("duplicate_key.yaml", 6, "title", "duplicate key"),
    "bad_rate_ref": ("bad_rate_ref.yaml", 10, "municipality.caseload.groups.kontanthjaelp_aktivitetsparat_over30.benefit_dkk_per_helaarsperson", "ydelsessatser"),
    "sensitivity_bad_parameter": ("sensitivity_bad_parameter.yaml", 10, "sensitivity.tornado.0.parameter", "persons_per_broker"),
    "fragment_with_error": ("bad_fragment.yaml", 5, "initiatives.personlig_jobformidler.duration_months", "skal være mindst 1"),
    "not_a_scenario": ("not_a_scenario.yaml", 2, "kind", "fragment"),
}


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_failure_mode_is_located(book, name):
    file, line, field, words = CASES[name]
    with pytest.raises(InputError) as exc:
        load_scenario(BROKEN / f"{name}.yaml", book)
    problems = exc.value.problems
    assert len(problems) == 1, exc.value.render()
    p = problems[0]
    assert Path(p.file).name == file
    assert (p.line, p.field) == (line, field)
    assert words in p.message


def test_every_problem_at_once(book):
    with pytest.raises(InputError) as exc:
        load_scenario(BROKEN / "wrong_type.yaml", book)
    got = {(p.line, p.field) for p in exc.value.problems}
    assert got == {(8, "initiatives.personlig_jobformidler.start"), (9, "initiatives.personlig_jobformidler.wage_dkk_per_year.value")}
    assert "forventede et tal" in exc.value.render()


def test_a_loop_of_extends_is_named(book):
    with pytest.raises(InputError, match="loop") as exc:
        load_scenario(BROKEN / "extends_loop_a.yaml", book)
    assert "extends_loop_b.yaml" in exc.value.render()


def test_cli_reports_bad_scenarios_with_exit_1(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["run", str(BROKEN / "unknown_key.yaml"), "--save-resolved", str(tmp_path / "r.yaml")])
    assert res.exit_code == 1
    assert "unknown_key.yaml:8" in res.output and "staf_count" in res.output
    res = runner.invoke(app, ["businesscase", str(BROKEN / "years_gap.yaml"), "--format", "md", "--out", str(tmp_path / "m.md")])
    assert res.exit_code == 1 and "years_gap.yaml:6" in res.output
    assert not (tmp_path / "m.md").exists()


def test_validate_command_checks_scenarios(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["validate", str(BROKEN / "share_out_of_range.yaml"), str(BROKEN / "missing_source.yaml")])
    assert res.exit_code == 1
    assert "share_out_of_range.yaml:7" in res.output and "missing_source.yaml:7" in res.output
    # a fragment on its own is checked for what it holds (not for what a base scenario supplies)
    res = runner.invoke(app, ["validate", str(BROKEN / "bad_fragment.yaml")])
    assert res.exit_code == 1 and "duration_months" in res.output and "staff_count" not in res.output
