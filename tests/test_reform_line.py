"""A reform's lines computed from the caseload and the law (budget.budgetgaranti.parts.*.lines.*.computed),
worked by hand from the rules (tests/fixtures/scenarios/reform-line-toy.yaml):

The toy municipality, 2015-2016; kontanthjælp 10.500 kr. a month = 126.000 kr. per helårsperson; a
year or more on benefit (refund count week 53+), no activation.

- refusionsomlaegning: 100 helårspersoner, the law of each week minus the law of 31.12.2015.
  2015: both the 2014 rules (state 30 pct., ikke-aktive perioder) → 0.
  2016: refusionstrappen from Monday 4 January, week 53+ → state 20 pct. (LBK 221/2021 § 5, stk. 2,
  nr. 4) against 30 → 100 × 126.000 × (0,30 − 0,20) = 1.260.000 kr. more for the municipality.
- faerre_paa_ydelse: −10 helårspersoner valued under the law: 2015 −10 × 126.000 × 0,70 = −882.000;
  2016 −10 × 126.000 × 0,80 = −1.008.000.
- praktik: 100.000 kr. more virksomhedspraktik for aktivitetsparate, refunded 50 pct. (no driftsloft
  pool given: at the full rate) → 50.000 a year.
- administration: given, 50 (1.000 kr.).
  I alt 2015: 0 − 882.000 + 50.000 + 50.000 = −782.000; 2016: 1.260.000 − 1.008.000 + 50.000 + 50.000 = 352.000.
  Ifølge staten: national 0 / 50.000.000 kr. × the bloktilskud share 1 pct. = 0 / 500.000.
  Forskel (the budget's reform line): −782.000 / −148.000.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app

ROOT = Path(__file__).resolve().parents[1]
TOY = ROOT / "tests" / "fixtures" / "scenarios" / "reform-line-toy.yaml"
LEVEL = 10_500 * 12
HAND = {
    "refusionsomlaegning": {"2015": 0.0, "2016": 100 * LEVEL * (0.30 - 0.20)},
    "faerre_paa_ydelse": {"2015": -10 * LEVEL * 0.70, "2016": -10 * LEVEL * 0.80},
    "praktik": {"2015": 100_000 * 0.5, "2016": 100_000 * 0.5},
    "administration": {"2015": 50_000.0, "2016": 50_000.0},
}
LOCAL = {y: sum(v[y] for v in HAND.values()) for y in ("2015", "2016")}
STATE = {"2015": 0.0, "2016": 50_000_000 * 0.01}


def _run(path: Path) -> dict:
    out = CliRunner().invoke(app, ["run", str(path), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    return {t["key"]: {ln["key"]: ln for ln in t["lines"]} for t in data["tables"]}


def _memo(path: Path, tmp_path: Path) -> str:
    md = tmp_path / f"{path.stem}.md"
    out = CliRunner().invoke(app, ["businesscase", str(path), "--format", "md", "--out", str(md)])
    assert out.exit_code == 0, out.output
    return md.read_text(encoding="utf-8")


def _approx(d: dict) -> dict:
    return {k: pytest.approx(v, abs=1e-6) for k, v in d.items()}


def test_each_line_by_hand_and_the_challenge():
    t = _run(TOY)
    part = t["budgetgaranti_refusionsreform"]
    for key, hand in HAND.items():
        assert part[key]["dkk"] == _approx(hand), key
    assert part["refusionsomlaegning"]["status"] == "derived"
    assert "minus efter loven pr. 31. december 2015" in part["refusionsomlaegning"]["source"]
    assert part["local"]["dkk"] == _approx(LOCAL)
    assert part["state"]["dkk"] == _approx(STATE)
    challenge = {y: LOCAL[y] - STATE[y] for y in LOCAL}
    assert part["difference"]["dkk"] == _approx(challenge)
    assert t["budgetgaranti"]["difference"]["dkk"] == _approx(challenge)
    assert t["budget"]["reform"]["dkk"] == _approx(challenge)
    assert t["budget"]["reform"]["values"] == {"2015": -782, "2016": -148}


def _variant(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / f"{name}.yaml"
    p.write_text(f"kind: scenario\nid: {name}\ntitle: Variant\nextends: [{TOY}]\n{body}", encoding="utf-8")
    return p


def test_changing_a_cause_moves_that_line_the_i_alt_and_the_challenge(tmp_path):
    """80 helårspersoner instead of 100 in 2016 under the refusionsomlægning: the line falls by
    20 × 126.000 × 0,10 = 252.000 kr. (1.260 → 1.008), and so do I alt (352 → 100), the Forskel and
    the budget's reform line and total (−148 → −400); no other line moves."""
    base = _run(TOY)
    variant = _variant(
        tmp_path,
        "toy-80",
        """budget:
  budgetgaranti:
    parts:
      refusionsreform:
        lines:
          refusionsomlaegning:
            label: Forsørgelse, langvarige (refusionstrappen mod 2015-reglerne)
            source: "Test: 80 helårspersoner i 2016"
            status: derived
            computed:
              caseload:
                - group: langvarige
                  helaarspersoner: {unit: count, by_year: {2015: 100, 2016: 80}, status: assumption, source: "Test"}
              old_law: {as_if: 2015-12-31}
""",
    )
    got = _run(variant)
    delta = -20 * LEVEL * 0.10
    moved = {}
    for table in ("budget", "budgetgaranti", "budgetgaranti_refusionsreform"):
        for key, ln in got[table].items():
            d = {y: ln["dkk"][y] - base[table][key]["dkk"][y] for y in ("2015", "2016")}
            if any(abs(v) > 1e-6 for v in d.values()):
                moved[(table, key)] = d
    expected = {y: (delta if y == "2016" else 0.0) for y in ("2015", "2016")}
    assert set(moved) == {
        ("budget", "reform"),
        ("budget", "total"),
        ("budgetgaranti", "local"),
        ("budgetgaranti", "difference"),
        ("budgetgaranti_refusionsreform", "refusionsomlaegning"),
        ("budgetgaranti_refusionsreform", "local"),
        ("budgetgaranti_refusionsreform", "difference"),
    }
    for d in moved.values():
        assert d == _approx(expected)
    memo = _memo(variant, tmp_path)
    assert "| Forsørgelse, langvarige (refusionstrappen mod 2015-reglerne) | 0 | 1.008 |" in memo
    assert "| **I alt** | **-782** | **100** |" in memo
    assert "-400" in memo and "-148" not in memo
    base_memo = _memo(TOY, tmp_path)
    assert "| Forsørgelse, langvarige (refusionstrappen mod 2015-reglerne) | 0 | 1.260 |" in base_memo
    assert "- **Refusionsregler** (loven i kraft i hver uge): Hver uge" in base_memo  # no as_if: no empty date


def test_a_reform_as_a_parameter_change_over_the_law(tmp_path):
    """A reform that lowers the staircase's week 53+ from 20 to 10 pct. from 4 January 2016
    (law.overrides); the line compares with the law without the override (old_law: {}):
    2015 0, 2016 100 × 126.000 × (0,20 − 0,10) = 1.260.000 kr. The forsørgelse table is priced by
    the reform too: 110 helårspersoner in 2016 (10 pct. growth) × 126.000 × 0,10 state = 1.386.000."""
    variant = _variant(
        tmp_path,
        "toy-override",
        """law:
  rates_at: 2014-01-01
  overrides:
    - {table: refusionstrappe, where: {count_week: "53+"}, valid_from: 2016-01-04, value: 10, source: "Tænkt reform (test)"}
budget:
  budgetgaranti:
    parts:
      refusionsreform:
        lines:
          refusionsomlaegning:
            label: Lavere refusion efter 52 uger
            source: "Test: reformen mod gældende lov"
            status: derived
            computed:
              caseload:
                - group: langvarige
                  helaarspersoner: {unit: count, by_year: {2015: 100, 2016: 100}, status: assumption, source: "Test"}
              old_law: {}
""",
    )
    t = _run(variant)
    line = t["budgetgaranti_refusionsreform"]["refusionsomlaegning"]
    assert line["dkk"] == _approx({"2015": 0.0, "2016": 100 * LEVEL * (0.20 - 0.10)})
    assert "uden scenariets lovændringer" in line["source"]
    # the caseload change under the reformed law: −10 × 126.000 × (1 − 0,10) in 2016
    assert t["budgetgaranti_refusionsreform"]["faerre_paa_ydelse"]["dkk"]["2016"] == pytest.approx(-10 * LEVEL * 0.90)
    assert -t["forsoergelse"]["refusion"]["dkk"]["2016"] == pytest.approx(110 * LEVEL * 0.10)


def test_bad_computed_lines_are_located(tmp_path):
    variant = _variant(
        tmp_path,
        "toy-bad",
        """budget:
  budgetgaranti:
    parts:
      refusionsreform:
        lines:
          refusionsomlaegning:
            label: X
            source: "Test"
            status: derived
            computed:
              caseload:
                - group: findes_ikke
                  helaarspersoner: {unit: count, by_year: {2015: 100, 2016: 100}, status: assumption, source: "Test"}
          ny:
            label: Y
            source: "Test"
            status: derived
            computed:
              caseload:
                - group: langvarige
                  helaarspersoner: {unit: count, by_year: {2015: 100}, status: assumption, source: "Test"}
          samme: {label: Z, same_as: budget.mentor.lines.findes_ikke.amount, status: derived, source: "Test"}
""",
    )
    out = CliRunner().invoke(app, ["validate", str(variant)])
    assert out.exit_code == 1
    assert "3 fejl" in out.output
    assert "lines.samme.same_as" in out.output and "budget.mentor.lines.findes_ikke.amount" in out.output
    assert "lines.refusionsomlaegning.computed.caseload.0.group" in out.output and "findes_ikke" in out.output
    assert "lines.ny.computed.caseload.0.helaarspersoner.by_year" in out.output and "2016" in out.output
    both = _variant(
        tmp_path,
        "toy-both",
        """budget:
  budgetgaranti:
    parts:
      refusionsreform:
        lines:
          administration: {label: Administration, unit: tdkk, by_year: {2015: 50, 2016: 50}, status: fra_notat, source: "Test",
                           computed: {caseload: [{group: langvarige, helaarspersoner: {unit: count, by_year: {2015: 1, 2016: 1}, status: assumption, source: "Test"}}]}}
""",
    )
    out = CliRunner().invoke(app, ["validate", str(both)])
    assert out.exit_code == 1 and "lines.administration" in out.output and "enten by_year" in out.output and "Traceback" not in out.output


def test_an_old_law_outside_the_rates_is_located(tmp_path):
    variant = _variant(
        tmp_path,
        "toy-2010",
        """budget:
  budgetgaranti:
    parts:
      refusionsreform:
        lines:
          refusionsomlaegning:
            label: X
            source: "Test"
            status: derived
            computed:
              caseload:
                - group: langvarige
                  helaarspersoner: {unit: count, by_year: {2015: 100, 2016: 100}, status: assumption, source: "Test"}
              old_law: {as_if: 2010-12-31}
""",
    )
    for cmd in ("validate", "run"):
        out = CliRunner().invoke(app, [cmd, str(variant)])
        assert out.exit_code == 1, out.output
        assert "lines.refusionsomlaegning.computed.old_law.as_if" in out.output and "Traceback" not in out.output
