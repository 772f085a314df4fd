"""Issue 12's 'Done when' as a user checks it: a scenario file that changes ONE cause of a bundled
scenario (through `extends`), run from the command line; the lines that depend on the cause move
by the amount worked by hand from the rules below, no other line moves, and the memo (md and
xlsx) prints the new figures.

Seed 004's reform (scenarios/lyngby-taarbaek-2014-kontanthjaelpsreform.yaml, 1.000 kr. as in the
scenario's parts/kontanthjaelpsreform-2014.yaml):

  2015 reform line = Σ reform lines − (national DUT) × bloktilskud share
    ydelsesdelen: −6.267 + 190 + 286 − 61 − 158 − 36 + 45 + 59 + 30              = −5.912
    indsatsdelen: −484 + 536,1 − 507 − 1.690 − 12 + 45 + 27 + 393 + 512 − 508    = −1.687,9
    national:     −1.149.500 − 173.950                                            = −1.323.450
    → −7.599,9 + 1.323.450 × 0,00935 = −7.599,9 + 12.374,2575                     = 4.774,3575 (printed 4.774)

  2014 driftsloft line = 50 pct. × expenses − 50 pct. × min(expenses, 11.835 × helårspersoner)
    (the old loft did not bind: the budget counted on 50 pct. of all the expenses)
    = 0,5 × 15.130.400 − 0,5 × 11.835 × 940,3 = 7.565.200 − 5.564.225,25           = 2.000.974,75 (printed 2.001)
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetmodel import fmt
from budgetmodel.cli import app

ROOT = Path(__file__).resolve().parents[1]
REFORM = ROOT / "scenarios" / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"
VARDE = ROOT / "scenarios" / "varde-2014-arbejdsmarkedsydelse.yaml"
OEVO = ROOT / "tests" / "fixtures" / "scenarios" / "oevo-mentor-toy.yaml"
NO_SENSITIVITY = "sensitivity:\n  seed: 1\n  draws: 100\n"  # the memo's Monte Carlo is not what these tests check

REFORM_2015 = -7_599_900 + 1_323_450_000 * 0.00935
DRIFTSLOFT_2014 = 0.5 * 15_130_400 - 0.5 * 11_835 * 940.3


def _variant(tmp_path: Path, base: Path, name: str, body: str) -> Path:
    p = tmp_path / f"{name}.yaml"
    p.write_text(f"kind: scenario\nid: {name}\ntitle: Variant\nextends: [{base}]\n{body}", encoding="utf-8")
    return p


def _budget(path: Path) -> dict[str, dict]:
    out = CliRunner().invoke(app, ["run", str(path), "--json"])
    assert out.exit_code == 0, out.output
    t = next(t for t in json.loads(out.stdout)["tables"] if t["key"] == "budget")
    return {ln["key"]: ln for ln in t["lines"]}


@pytest.fixture(scope="module")
def reform_base():
    return _budget(REFORM)


def _moved(base: dict, other: dict) -> dict[str, dict[str, float]]:
    out = {}
    for key, ln in other.items():
        d = {y: v - base[key]["dkk"][y] for y, v in ln["dkk"].items()}
        if any(abs(v) > 1e-6 for v in d.values()):
            out[key] = d
    return out


def _memo_md(path: Path, tmp_path: Path) -> str:
    md = tmp_path / f"{path.stem}.md"
    out = CliRunner().invoke(app, ["businesscase", str(path), "--format", "md", "--out", str(md)])
    assert out.exit_code == 0, out.output
    return md.read_text(encoding="utf-8")


def _memo_xlsx_rows(path: Path, tmp_path: Path) -> list[list]:
    from openpyxl import load_workbook

    xl = tmp_path / f"{path.stem}.xlsx"
    out = CliRunner().invoke(app, ["businesscase", str(path), "--format", "xlsx", "--out", str(xl)])
    assert out.exit_code == 0, out.output
    wb = load_workbook(io.BytesIO(xl.read_bytes()))
    return [[c for c in row] for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]


def _row(rows: list[list], label: str) -> list:
    return next(r for r in rows if r and r[0] == label)


def test_the_base_reform_and_driftsloft_lines_by_hand(reform_base):
    assert reform_base["reform"]["dkk"]["2015"] == pytest.approx(REFORM_2015)
    assert reform_base["driftsloft"]["dkk"]["2014"] == pytest.approx(DRIFTSLOFT_2014)
    assert reform_base["reform"]["values"]["2015"] == 4774 and reform_base["driftsloft"]["values"]["2014"] == 2001


def test_a_detail_line(tmp_path, reform_base):
    """Boligstøtte 2015: 190 → 140 (1.000 kr.): the reform line −50.000 kr. → 4.724,3575 → 4.724;
    ydelsesdelen's I alt −5.912 → −5.962."""
    v = _variant(
        tmp_path,
        REFORM,
        "boligstoette",
        NO_SENSITIVITY
        + """budget:
  budgetgaranti:
    parts:
      ydelsesdelen:
        lines:
          boligstoette: {label: "Boligstøtte", unit: tdkk, by_year: {2014: 147.7, 2015: 140, 2016: 190, 2017: 190}, status: assumption, source: "Test: lavere boligstøtte 2015"}
""",
    )
    got = _budget(v)
    moved = _moved(reform_base, got)
    assert set(moved) == {"reform", "total", "netto"}
    for d in moved.values():
        assert d == pytest.approx({"2014": 0, "2015": -50_000, "2016": 0, "2017": 0})
    assert got["reform"]["dkk"]["2015"] == pytest.approx(REFORM_2015 - 50_000)
    md = _memo_md(v, tmp_path)
    assert "| Kontanthjælpsreformen | 2.417 | 4.724 | 4.756 | 4.756 |" in md
    assert "| Boligstøtte | 148 | 140 | 190 | 190 |" in md
    assert "-5.962" in md
    rows = _memo_xlsx_rows(v, tmp_path)
    row = _row(rows, "Kontanthjælpsreformen")  # the sheet holds 1.000 kr. unrounded, shown as #,##0
    assert row[2] == pytest.approx((REFORM_2015 - 50_000) / 1000) and row[3] == pytest.approx(reform_base["reform"]["dkk"]["2016"] / 1000)


def test_the_bloktilskud_share(tmp_path, reform_base):
    """0,935 → 1,000 pct.: 2015 −7.599,9 + 1.323.450 × 0,01 = 5.634,6 → 5.635 (+860.242,5 kr.)."""
    v = _variant(tmp_path, REFORM, "andel", NO_SENSITIVITY + 'municipality:\n  bloktilskud_share: {value: 0.01, status: assumption, source: "Test: 1 pct."}\n')
    got = _budget(v)
    moved = _moved(reform_base, got)
    assert set(moved) == {"reform", "total", "netto"}
    assert moved["reform"]["2015"] == pytest.approx(1_323_450_000 * (0.01 - 0.00935))
    assert got["reform"]["dkk"]["2015"] == pytest.approx(-7_599_900 + 1_323_450_000 * 0.01)
    assert "| Kontanthjælpsreformen | " in (md := _memo_md(v, tmp_path)) and " 5.635 " in md.split("| Kontanthjælpsreformen |")[1].split("\n")[0]


DRIFTSLOFT_HP = """      kontanthjaelp_aktivitetsparat: {label: "Helårspersoner", unit: count, by_year: {2014: 1000, 2015: 943.2, 2016: 942.4, 2017: 942.7}, status: assumption, source: "Test: 1.000 helårspersoner i 2014"}
"""


def test_helaarspersoner_under_the_driftsloft(tmp_path, reform_base):
    """2014: 940,3 → 1.000 helårspersoner: 0,5 × 15.130.400 − 0,5 × 11.835 × 1.000 = 1.647.700 → 1.648
    (−353.274,75 kr.)."""
    v = _variant(tmp_path, REFORM, "helaarspersoner", NO_SENSITIVITY + "budget:\n  driftsloft:\n    helaarspersoner:\n" + DRIFTSLOFT_HP)
    got = _budget(v)
    moved = _moved(reform_base, got)
    assert set(moved) == {"driftsloft", "total", "netto"}
    assert moved["driftsloft"]["2014"] == pytest.approx(-0.5 * 11_835 * (1000 - 940.3))
    assert got["driftsloft"]["dkk"]["2014"] == pytest.approx(0.5 * 15_130_400 - 0.5 * 11_835 * 1000)
    assert "| Driftsloft aktiveringsudgifter | 1.648 | 2.075 | 2.486 | 2.583 |" in _memo_md(v, tmp_path)


def test_expenses_under_the_driftsloft(tmp_path, reform_base):
    """2014: expenses 15.130,4 → 15.230,4 (1.000 kr.), all above the loft: +0,5 × 100.000 = 50.000 → 2.051."""
    v = _variant(
        tmp_path,
        REFORM,
        "udgifter",
        NO_SENSITIVITY
        + """budget:
  driftsloft:
    expenses:
      aktivering:
        amount: {label: "Driftsudgifter", unit: tdkk, by_year: {2014: 15230.4, 2015: 15313.2, 2016: 16124.5, 2017: 16322.9}, status: assumption, source: "Test: 100.000 kr. mere i 2014"}
""",
    )
    got = _budget(v)
    moved = _moved(reform_base, got)
    assert set(moved) == {"driftsloft", "total", "netto"}
    assert moved["driftsloft"] == pytest.approx({"2014": 50_000, "2015": 0, "2016": 0, "2017": 0})
    assert "| Driftsloft aktiveringsudgifter | 2.051 | 2.075 | 2.486 | 2.583 |" in _memo_md(v, tmp_path)


def test_the_loft_as_a_change_in_law(tmp_path, reform_base):
    """The recomputed loft 11.835 → 12.835 kr. (law.overrides): 2014 7.565.200 − 0,5 × 12.835 × 940,3
    = 1.530.824,75 → 1.531; each year −0,5 × 1.000 × helårspersoner."""
    v = _variant(
        tmp_path,
        REFORM,
        "loft",
        NO_SENSITIVITY
        + """law:
  as_if: 2014-01-01
  rates_at: 2014-01-01
  overrides:
    - {table: driftsloft, where: {loft_group: kontanthjaelp_dagpenge, basis: genberegnet}, valid_from: 2014-01-01, valid_to: 2018-12-31, value: 12835, source: "Tænkt genberegning (test)"}
""",
    )
    got = _budget(v)
    moved = _moved(reform_base, got)
    assert set(moved) == {"driftsloft", "total", "netto"}
    hp = {"2014": 940.3, "2015": 943.2, "2016": 942.4, "2017": 942.7}
    assert moved["driftsloft"] == pytest.approx({y: -0.5 * 1000 * n for y, n in hp.items()})
    assert got["driftsloft"]["dkk"]["2014"] == pytest.approx(7_565_200 - 0.5 * 12_835 * 940.3)
    md = _memo_md(v, tmp_path)
    assert "| Driftsloft aktiveringsudgifter | 1.531 |" in md
    assert "12.835" in md  # the overridden rate value is cited (status reform)


def test_oevo_mentor_against_the_2026_limit(tmp_path):
    """LAB § 203 a: excess = max(0, spending − 10.602 × fuldtidspersoner).
    Base 2026: 30.000.000 − 10.602 × 2.000 = 8.796.000. With 2.100 fuldtidspersoner in 2026:
    30.000.000 − 22.264.200 = 7.735.800 (−1.060.200); with 2027 spending 20.000.000 under
    21.204.000: 0 (was 25.000.000 − 21.204.000 = 3.796.000)."""
    base = _budget(OEVO)
    assert base["oevo_mentor"]["dkk"]["2026"] == pytest.approx(30_000_000 - 10_602 * 2000)
    ftp = _variant(tmp_path, OEVO, "ftp", 'budget:\n  oevo_mentor:\n    fuldtidspersoner: {unit: count, by_year: {2025: 2000, 2026: 2100, 2027: 2000}, status: assumption, source: "Test"}\n')
    got = _budget(ftp)
    assert _moved(base, got) == {
        "oevo_mentor": pytest.approx({"2025": 0, "2026": -10_602 * 100, "2027": 0}),
        "total": pytest.approx({"2025": 0, "2026": -10_602 * 100, "2027": 0}),
    }
    assert got["oevo_mentor"]["dkk"]["2026"] == pytest.approx(7_735_800)
    spend = _variant(tmp_path, OEVO, "spend", 'budget:\n  oevo_mentor:\n    spending: {unit: dkk, by_year: {2025: 30000000, 2026: 30000000, 2027: 20000000}, status: assumption, source: "Test"}\n')
    got = _budget(spend)
    assert set(_moved(base, got)) == {"oevo_mentor", "total"}
    assert got["oevo_mentor"]["dkk"]["2027"] == 0 and base["oevo_mentor"]["dkk"]["2027"] == pytest.approx(3_796_000)
    md = _memo_md(ftp, tmp_path)
    assert fmt.thousand(7_735_800) == "7.736" and "7.736" in md


def test_varde_caseload_and_beskaeftigelsestilskud(tmp_path):
    """Varde: 200 instead of 150 helårspersoner on midlertidig arbejdsmarkedsydelse (127.140 kr. a
    helårsperson). The municipality pays 70 pct., 50 pct. in an offer, 100 pct. for weeks without the
    offer after the first month (from 2015): 2014 0,5 × 50 + 0,5 × 70 = 60 pct. → 200 × 127.140 × 0,60
    = 15.256.800; 2015 0,5 × 50 + 0,5 × (0,1 × 70 + 0,9 × 100) = 73,5 pct. → 18.689.580. Only that line
    and the total move. Then 1 mio. kr. more own net expenses on insured unemployed in 2014 moves only
    the beskæftigelsestilskud line (expenses − grant) by 1.000.000."""
    base = _budget(VARDE)
    v = _variant(tmp_path, VARDE, "varde200", 'municipality:\n  caseload:\n    groups:\n      arbejdsmarkedsydelse:\n        helaarspersoner: {value: 200, status: assumption, source: "Test"}\n')
    got = _budget(v)
    assert set(_moved(base, got)) == {"forsoergelse_arbejdsmarkedsydelse", "total"}
    line = got["forsoergelse_arbejdsmarkedsydelse"]
    assert line["dkk"] == pytest.approx({"2014": 200 * 127_140 * 0.60, "2015": 200 * 127_140 * 0.735})
    assert line["values"] == {"2014": 15257, "2015": 18690}
    md = _memo_md(v, tmp_path)
    assert "15.257" in md and "18.690" in md
    e = _variant(
        tmp_path,
        VARDE,
        "varde-udgifter",
        'budget:\n  beskaeftigelsestilskud:\n    years:\n      2014:\n        own:\n          net_expenses_dkk: {value: 102000000, status: assumption, source: "Test"}\n',
    )
    got = _budget(e)
    assert _moved(base, got) == {
        "beskaeftigelsestilskud": pytest.approx({"2014": 1_000_000, "2015": 0}),
        "total": pytest.approx({"2014": 1_000_000, "2015": 0}),
    }


def test_one_cause_in_two_tables(tmp_path, reform_base):
    """The wider mentor target group's merudgift (seed 004: 'Mentorordning' in indsatsdelen and 'Tab som
    følge af stigende udgifter' in the mentor table, l. 1640 and 1653) is one cause: 393 → 493 (1.000 kr.)
    in 2015 moves the reform line by +100.000 (indsatsdelen's I alt −1.687,9 → −1.587,9) and the mentor
    line by +100.000 (3.166 + 493 − 2.130,576 = 1.528,424 → 1.528, all of it above the ramme), so the
    total and netto by +200.000."""
    v = _variant(
        tmp_path,
        REFORM,
        "mentor",
        NO_SENSITIVITY
        + """budget:
  mentor:
    lines:
      udvidet_maalgruppe:
        amount: {label: "Tab som følge af stigende udgifter", unit: tdkk, by_year: {2014: 726, 2015: 493, 2016: 393, 2017: 393}, status: assumption, source: "Test: 100.000 kr. mere i 2015"}
""",
    )
    got = _budget(v)
    moved = _moved(reform_base, got)
    assert set(moved) == {"reform", "mentor", "total", "netto"}
    assert moved["reform"] == pytest.approx({"2014": 0, "2015": 100_000, "2016": 0, "2017": 0})
    assert moved["mentor"] == pytest.approx({"2014": 0, "2015": 100_000, "2016": 0, "2017": 0})
    assert moved["total"]["2015"] == pytest.approx(200_000)
    assert got["mentor"]["dkk"]["2015"] == pytest.approx(1_000 * (3_166 + 493) - 2_130_576)
    md = _memo_md(v, tmp_path)
    assert "| Mentorordning | 726 | 493 | 393 | 393 |" in md
    assert "| Ramme mentorordninger | 1.761 | 1.528 | 1.428 | 1.428 |" in md
