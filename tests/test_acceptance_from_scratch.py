"""Acceptance check, by hand: a municipality built from scratch (tests/fixtures/scenarios/
fiktiv-2026-virksomhedskonsulenter.yaml) under the 2026-2029 law with an initiative of its own,
priced here from the rules — not by the engine's valuation — and compared with `run --json` and
`optimise --json` to the krone, also when one cause at a time changes.

The rules used (an independent reading):
- refusionstrappen, lov om kommunernes finansiering af visse offentlige ydelser § 5, stk. 2: the
  state's share of the benefit is 80/40/30/20 pct. in count weeks 1-4/5-26/27-52/53+, whatever the
  activation, so moving participants from vejledning into løntilskud earns no extra refund;
- no refund of operating costs for offers from 2019 (LAB § 118 repealed with refusionsreformen's
  driftsloft ending), so fewer offers save their full price;
- a shorter time on benefit (duration_effect) saves the benefit less the state's share of it, by
  the participants' count-week band (spread like the group's duration mix);
- phasing: whole months count 1/12 of a year, a part month its share of days.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from budgetmodel.cli import app

FIXTURE = Path(__file__).parent / "fixtures" / "scenarios" / "fiktiv-2026-virksomhedskonsulenter.yaml"
STAIRCASE = {"1-4": 0.80, "5-26": 0.40, "27-52": 0.30, "53+": 0.20}  # § 5, stk. 2, nr. 1-4
runner = CliRunner()


def month_fractions(start: dt.date, months: int, years: list[int]) -> dict[int, float]:
    """Share of each year the initiative runs, counted by hand month by month."""
    y, m = divmod(start.month - 1 + months, 12)
    end = dt.date(start.year + y, m + 1, min(start.day, calendar.monthrange(start.year + y, m + 1)[1]))
    out = {yr: 0.0 for yr in years}
    d = start
    while d < end:
        out[d.year] += 1 / (12 * calendar.monthrange(d.year, d.month)[1])
        d += dt.timedelta(days=1)
    return out


def hand_net_per_year(s: dict) -> float:
    g = s["municipality"]["caseload"]["groups"]["aktivitetsparate_over30"]
    ini = s["initiatives"]["virksomhedskonsulenter"]
    wage = ini.get("wage_dkk_per_staff", s["municipality"]["prices"]["wage_dkk_per_aarsvaerk"])["value"]
    staff = ini["staff_count"]["value"]
    n = ini["participants"]["value"]
    level = g["benefit_dkk_per_helaarsperson"]["value"]
    effect = ini["duration_effect"]["value"]
    state = sum(v["value"] * STAIRCASE[b] for b, v in g["duration"].items())
    cut = ini["offer_reductions"]["over_30"]["helaarstilbud"]["value"]
    price = s["municipality"]["prices"]["helaarstilbud_dkk"]["over_30"]["value"]
    move = 0.0  # the staircase pays the same share in løntilskud as in vejledning
    return staff * wage - move - effect * n * level * (1 - state) - cut * price


def run_json(path: Path) -> dict:
    res = runner.invoke(app, ["run", str(path), "--json"])
    assert res.exit_code == 0, res.output
    (ini,) = json.loads(res.stdout)["initiatives"]
    return ini


def optimise_json(path: Path) -> dict:
    res = runner.invoke(app, ["optimise", str(path), "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def variant(tmp_path: Path, name: str, change) -> tuple[Path, dict]:
    s = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    change(s)
    p = tmp_path / f"{name}.yaml"
    p.write_text(yaml.safe_dump(s, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p, s


def test_hand_figures_of_the_fixture():
    s = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    # 3 × 480.000 − 0,05 × 40 × 150.000 × (1 − 28 pct.) − 10 × 60.000 = 624.000
    assert hand_net_per_year(s) == pytest.approx(624_000, abs=1e-6)
    f = month_fractions(dt.date(2026, 7, 15), 36, [2026, 2027, 2028, 2029])
    assert f[2026] == pytest.approx((5 + 17 / 31) / 12)
    assert f[2029] == pytest.approx((6 + 14 / 31) / 12)
    assert sum(f.values()) == pytest.approx(3.0)


def _set(path: list[str], value):
    def change(s):
        d = s
        for k in path[:-1]:
            d = d[k]
        d[path[-1]] = value
    return change


INI = ["initiatives", "virksomhedskonsulenter"]
VARIANTS = {
    "fixture": lambda s: None,
    "staff_5": _set([*INI, "staff_count"], {"value": 5, "status": "assumption", "source": "Test"}),
    "wage_520000": _set(["municipality", "prices", "wage_dkk_per_aarsvaerk"], {"value": 520000, "status": "assumption", "source": "Test"}),
    "participants_30": _set([*INI, "participants"], {"value": 30, "status": "assumption", "source": "Test"}),
    "start_2027_03_10_24m": lambda s: (_set([*INI, "start"], dt.date(2027, 3, 10))(s), _set([*INI, "duration_months"], 24)(s)),
    "all_long_term": _set(["municipality", "caseload", "groups", "aktivitetsparate_over30", "duration"],
                          {b: {"value": v, "status": "assumption", "source": "Test"} for b, v in {"1-4": 0, "5-26": 0, "27-52": 0, "53+": 1}.items()}),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_run_and_optimise_agree_with_the_hand_computation(tmp_path, name):
    p, s = variant(tmp_path, name, VARIANTS[name])
    ini = s["initiatives"]["virksomhedskonsulenter"]
    years = s["years"]
    net = hand_net_per_year(s)
    frac = month_fractions(dt.date.fromisoformat(str(ini["start"])), ini["duration_months"], years)
    got = run_json(p)
    assert got["net_dkk_per_year"] == pytest.approx(net, abs=0.5)
    for y in years:
        assert got["year_fractions"][str(y)] == pytest.approx(frac[y], abs=1e-9)
        assert got["dkk"][str(y)] == pytest.approx(net * frac[y], abs=0.5)
    opt = optimise_json(p)
    assert opt["status"] == "optimal"
    assert round(-opt["fixed_case_saving_dkk_per_year"]) == round(net)


def test_causes_move_the_result_as_computed(tmp_path):
    base = run_json(FIXTURE)["net_dkk_per_year"]
    assert base == pytest.approx(624_000, abs=0.5)
    assert run_json(variant(tmp_path, "s", VARIANTS["staff_5"])[0])["net_dkk_per_year"] - base == pytest.approx(2 * 480_000, abs=0.5)
    assert run_json(variant(tmp_path, "w", VARIANTS["wage_520000"])[0])["net_dkk_per_year"] - base == pytest.approx(3 * 40_000, abs=0.5)
    # 10 fewer participants: 0,05 × 10 × 150.000 × 0,72 = 54.000 less saved
    assert run_json(variant(tmp_path, "p", VARIANTS["participants_30"])[0])["net_dkk_per_year"] - base == pytest.approx(54_000, abs=0.5)
    # all in week 53+: the state pays 20 instead of 28 pct., so the effect saves 0,05 × 40 × 150.000 × 8 pct. = 24.000 more
    assert run_json(variant(tmp_path, "l", VARIANTS["all_long_term"])[0])["net_dkk_per_year"] - base == pytest.approx(-24_000, abs=0.5)


def test_memo_lists_the_law_assumed_unchanged(tmp_path):
    """2027-2029 are priced past rates/refusionstrappe.yaml's known_through (2026-12-31): the
    memo's Forudsætninger says so (issue 10)."""
    out = tmp_path / "memo.md"
    res = runner.invoke(app, ["businesscase", str(FIXTURE), "--format", "md", "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    section = text.split("## Forudsætninger", 1)[1].split("## Lovgrundlag", 1)[0]
    assert "**Lov antaget uændret efter 31. december 2026**: refusionstrappe brugt til og med" in section
    assert "lov antaget uændret efter 2026-12-31" in section
