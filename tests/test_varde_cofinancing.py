"""A Varde-like caseload of midlertidig arbejdsmarkedsydelse (seed 002) and the municipality's
beskæftigelsestilskud computed from the CLI and shown in the budget (scenarios/varde-2014-arbejdsmarkedsydelse.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app

VARDE = Path(__file__).resolve().parents[1] / "scenarios" / "varde-2014-arbejdsmarkedsydelse.yaml"
GROSS = 150 * 127_140  # helårspersoner × 489 kr. × 260 dage


@pytest.fixture(scope="module")
def run_json():
    out = CliRunner().invoke(app, ["run", str(VARDE), "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def _lines(run_json, table):
    t = next(t for t in run_json["tables"] if t["key"] == table)
    return {ln["key"]: ln for ln in t["lines"]}


def test_cofinancing_of_the_caseload_is_a_budget_line(run_json):
    line = _lines(run_json, "budget")["forsoergelse_arbejdsmarkedsydelse"]
    # 2014: half the weeks in offers (50 pct.), half without (70 pct.; the 100 pct. rule not in 2014) = 60 pct.
    # 2015: 0,5 × 50 + 0,5 × (0,1 × 70 + 0,9 × 100) = 73,5 pct. (weeks without offer after the first month: late)
    assert line["dkk"] == {"2014": pytest.approx(0.60 * GROSS), "2015": pytest.approx(0.735 * GROSS)}
    assert line["values"] == {"2014": 11443, "2015": 14017}
    caseload = _lines(run_json, "forsoergelse")
    assert caseload["netto"]["dkk"] == line["dkk"]


def test_beskaeftigelsestilskud_in_the_budget(run_json):
    b = _lines(run_json, "beskaeftigelsestilskud")
    share = 813 / 10_300
    assert b["grundtilskud"]["dkk"]["2014"] == pytest.approx(95_000_000 * 1.03)
    assert b["merudgiftsbehov"]["dkk"]["2014"] == pytest.approx(90_000_000 * share)
    assert b["midtvejsregulering"]["dkk"]["2014"] == pytest.approx(-15_000_000 * share)
    assert b["efterregulering"]["dkk"]["2014"] == pytest.approx(-7_000_000 * share)
    total = 95_000_000 * 1.03 + 68_000_000 * share
    assert _lines(run_json, "budget")["beskaeftigelsestilskud"]["dkk"]["2014"] == pytest.approx(101_000_000 - total)
    budget = _lines(run_json, "budget")
    assert budget["total"]["dkk"]["2015"] == pytest.approx(budget["beskaeftigelsestilskud"]["dkk"]["2015"] + budget["forsoergelse_arbejdsmarkedsydelse"]["dkk"]["2015"])


def test_beskaeftigelsestilskud_command_on_varde():
    out = CliRunner().invoke(app, ["beskaeftigelsestilskud", str(VARDE)])
    assert out.exit_code == 0, out.output
    assert "97.850.000" in out.output and "Sydjylland" in out.output


def test_unknown_caseload_group_in_the_budget_is_located(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"kind: scenario\nid: bad\ntitle: Forkert\nextends: [{VARDE}]\nbudget:\n  caseload_groups: [findes_ikke]\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["validate", str(bad)])
    assert out.exit_code == 1
    assert "caseload_groups" in out.output and "findes_ikke" in out.output
