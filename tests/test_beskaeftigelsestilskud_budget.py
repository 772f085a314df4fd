"""The beskæftigelsestilskud as a scenario section, a budget line and a CLI command, worked by hand
(LUL § 23 a-b; the toy figures are in tests/fixtures/scenarios/beskaeftigelsestilskud-toy.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import run_scenario

TOY = Path(__file__).parent / "fixtures" / "scenarios" / "beskaeftigelsestilskud-toy.yaml"

# 2014: grund 40.000.000 × 1,02; merudgiftsbehov (460 − 400 mio.) × 1.000/10.000 = 6.000.000, midtvejs
# (470 − 400) × 0,1 = 7.000.000 (+1.000.000), endelig (465 − 400) × 0,1 = 6.500.000 (−500.000);
# unemployment +20 pct. against the landsdel's +5 pct.: 15 pp, 10 pp over the threshold →
# 65.000.000 / 10.500 × 1.000 × 10 / 100 = 619.047,62
INSURANCE_2014 = 65_000_000 / 10_500 * 1_000 * 0.10
TOTAL_2014 = 40_800_000 + 6_500_000 + INSURANCE_2014


@pytest.fixture(scope="module")
def result():
    book = load_rates()
    return run_scenario(load_scenario(TOY, book), book, with_caseload=False)


def test_the_grant_by_hand(result):
    t = {x.key: x for x in result.sub_tables}["beskaeftigelsestilskud"]
    assert t.line("grundtilskud").dkk == pytest.approx({2014: 40_800_000, 2015: 42_000_000})
    assert t.line("merudgiftsbehov").dkk == pytest.approx({2014: 6_000_000, 2015: 4_000_000})
    assert t.line("midtvejsregulering").dkk == pytest.approx({2014: 1_000_000, 2015: 0})
    assert t.line("efterregulering").dkk == pytest.approx({2014: -500_000, 2015: 0})
    assert t.line("forsikringsordning").dkk == pytest.approx({2014: INSURANCE_2014, 2015: 0})
    assert t.line("total").dkk == pytest.approx({2014: TOTAL_2014, 2015: 46_000_000})


def test_its_line_in_the_budget(result):
    line = result.budget.line("beskaeftigelsestilskud")
    assert line.dkk == pytest.approx({2014: 50_000_000 - TOTAL_2014, 2015: 1_000_000})
    assert result.budget.line("total").dkk == pytest.approx(line.dkk)


def test_cli_prints_kroner_danish_and_json():
    runner = CliRunner()
    out = runner.invoke(app, ["beskaeftigelsestilskud", str(TOY)])
    assert out.exit_code == 0, out.output
    assert "40.800.000" in out.output and "619.048" in out.output and "Decimal" not in out.output
    js = runner.invoke(app, ["beskaeftigelsestilskud", str(TOY), "--json"])
    data = json.loads(js.output)
    y = data["years"]["2014"]
    assert y["total_dkk"] == round(TOTAL_2014, 2) and y["stage"] == "endelig"
    assert y["threshold_pp"] == 5 and any(s["table"] == "beskaeftigelsestilskud" for s in y["sources"])


def test_cli_without_the_section_is_one_clear_error():
    base = TOY.parent / "staircase-toy.yaml"
    out = CliRunner().invoke(app, ["beskaeftigelsestilskud", str(base)])
    assert out.exit_code != 0
    assert "budget.beskaeftigelsestilskud" in out.output and "Traceback" not in out.output


def test_cli_and_run_meet_the_law_in_one_place(tmp_path):
    """The command compiles the scenario like `run` does, so a law.overrides of the forsikringsordning's
    threshold (5 → 12 procentpoint from 2014) reaches both: the 2014 gap is 15 pp, 3 pp over the new
    threshold → 65.000.000 / 10.500 × 1.000 × 3 / 100 = 185.714,29 kr. (was 10 pp → 619.047,62)."""
    reform = tmp_path / "toy-threshold.yaml"
    reform.write_text(
        "kind: scenario\nid: toy-threshold\ntitle: Tærskel 12 procentpoint\n"
        f"extends: [{TOY}]\n"
        "law:\n  overrides:\n"
        "    - {table: beskaeftigelsestilskud, where: {parameter: forsikring_taerskel}, valid_from: 2014-01-01, value: 12,\n"
        "       source: 'Tænkt reform (test)'}\n",
        encoding="utf-8",
    )
    insurance = 65_000_000 / 10_500 * 1_000 * 0.03
    runner = CliRunner()
    js = runner.invoke(app, ["beskaeftigelsestilskud", str(reform), "--json", "--rates", str(Path(__file__).resolve().parents[1] / "rates")])
    assert js.exit_code == 0, js.output
    y = json.loads(js.output)["years"]["2014"]
    assert y["threshold_pp"] == 12
    assert y["insurance_dkk"] == round(insurance, 2)
    assert y["total_dkk"] == round(40_800_000 + 6_500_000 + insurance, 2)
    run = runner.invoke(app, ["run", str(reform), "--json"])
    assert run.exit_code == 0, run.output
    budget = next(t for t in json.loads(run.stdout)["tables"] if t["key"] == "budget")
    line = next(ln for ln in budget["lines"] if ln["key"] == "beskaeftigelsestilskud")
    assert line["dkk"]["2014"] == pytest.approx(50_000_000 - (40_800_000 + 6_500_000 + insurance))
