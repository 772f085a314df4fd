"""Seed 004's readings are assumptions, and its published figures are checks, never the answer.

The notat prints no national DUT figures, no helårspersoner and no operating expenses under the
driftsloft, and lines rounded to 1.000 kr. that do not add up to its totals. Where the scenario
reads such a cause, the value has status ``assumption`` and a note saying how it was read
("Læsning (antagelse)"). What the notat prints ('Ifølge staten', 'I alt', 'Forskel', the driftsloft
line, the totals) is compared with the computed figure, with the rounding difference reported, and
changing a printed figure changes no computed line, only its check.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]
REFORM = ROOT / "scenarios" / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(REFORM, load_rates()).scenario


def _run(path: Path) -> dict:
    out = CliRunner().invoke(app, ["run", str(path), "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def base():
    return _run(REFORM)


def test_every_reading_is_an_assumption_that_says_how_it_was_read(scenario):
    b = scenario.budget
    for key, part in b.budgetgaranti.parts.items():
        assert part.national.status.value == "assumption", key
        assert "Læsning (antagelse)" in part.national.note and "kontrol" in part.national.note
        for lk, ln in part.lines.items():
            if ln.by_year is not None and ln.printed is not None and ln.by_year != ln.printed:  # an unrounded reading of a printed line
                assert ln.status.value == "assumption", lk
                assert ln.note.startswith("Læsning (antagelse)"), lk
    for tg, ser in b.driftsloft.helaarspersoner.items():
        assert ser.status.value == "assumption" and "Læsning (antagelse)" in ser.note, tg
    for k, e in b.driftsloft.expenses.items():
        assert e.amount.status.value == "assumption" and "Læsning (antagelse)" in e.amount.note, k
    assert b.driftsloft.old_loft.status.value == "assumption"
    # the printed figures themselves are carried as checks (fra_notat), never as readings
    for ser in (b.driftsloft.challenge, b.driftsloft.loss_dkk_per_helaarsperson, b.total, b.netto, b.budgetgaranti.summary.difference):
        assert ser.status.value == "fra_notat"


def _check(checks: list[dict], table: str, line: str, year: int) -> dict:
    return next(c for c in checks if c["table"] == table and c["line"] == line and c["year"] == year)


def test_published_figures_are_checks_with_their_rounding_difference(base):
    checks = base["checks"]
    # 'Ifølge staten', ydelsesdelen 2014: −803.800 (1.000 kr., the reading) × 0,00935 = −7.515,53; printed −7.516
    c = _check(checks, "Ydelsesdelen", "Ifølge staten", 2014)
    assert c["ok"] and c["printed"] == -7516 and c["computed"] == -7516
    assert c["unrounded"] == pytest.approx(-7515.53) and c["rounding_difference"] == pytest.approx(0.47)
    # the driftsloft line 2014: 0,5 × 15.130.400 − 0,5 × 11.835 × 940,3 = 2.000.974,75 kr.; printed 2.001
    c = _check(checks, "Budgetlinjer", "Driftsloft aktiveringsudgifter", 2014)
    assert c["ok"] and c["unrounded"] == pytest.approx(2000.97475) and c["rounding_difference"] == pytest.approx(-0.02525)
    # loss per helårsperson 2014: 2.000.974,75 / 940,3 = 2.128,01; printed 2.128
    c = _check(checks, "Genberegning af driftsloftet", "Tab pr. helårsperson i kr.", 2014)
    assert c["ok"] and c["unrounded"] == pytest.approx(2000974.75 / 940.3)
    # where the notat's own printed parts break its sum, the run says by how much (2015: 6.346 against 6.347)
    c = _check(checks, "Budgetlinjer", "Samlet budgetudfordring", 2015)
    assert c["ok"] and c["document_sum"] == 6346 and c["rounding_break"] == 1
    assert all(c["ok"] for c in checks) and len(checks) == 96


def test_a_printed_figure_is_never_the_answer(tmp_path, base):
    """Every printed total of the budget table and the driftsloft line raised by 1.000 (1.000 kr.):
    no computed line moves; the checks fail by exactly −1.000."""
    variant = tmp_path / "printed.yaml"
    variant.write_text(
        f"kind: scenario\nid: printed\ntitle: Andre trykte tal\nextends: [{REFORM}]\n"
        """budget:
  driftsloft:
    challenge: {label: "Samlet budgetudfordring i 1.000 kr.", unit: tdkk, by_year: {2014: 3001, 2015: 3075, 2016: 3486, 2017: 3583}, status: fra_notat, source: "Test"}
  budgetgaranti:
    summary:
      difference: {label: "Forskel", unit: tdkk, by_year: {2014: 3417, 2015: 5774, 2016: 5756, 2017: 5756}, status: fra_notat, source: "Test"}
  total: {label: "Samlet budgetudfordring", unit: tdkk, by_year: {2014: 6288, 2015: 7347, 2016: 7110, 2017: 6826}, status: fra_notat, source: "Test"}
""",
        encoding="utf-8",
    )
    got = _run(variant)
    lines = lambda d: {t["key"]: {ln["key"]: ln["dkk"] for ln in t["lines"]} for t in d["tables"]}  # noqa: E731
    assert lines(got) == lines(base)
    failed = [c for c in got["checks"] if not c["ok"]]
    assert {(c["table"], c["line"]) for c in failed} == {
        ("Budgetlinjer", "Driftsloft aktiveringsudgifter"),
        ("Budgetlinjer", "Kontanthjælpsreformen"),
        ("Kontanthjælpsreformen", "Forskel"),
        ("Budgetlinjer", "Samlet budgetudfordring"),
    }
    assert all(c["difference"] == -1000 for c in failed) and len(failed) == 16
