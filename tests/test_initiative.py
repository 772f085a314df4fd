"""Initiatives as changes to the caseload, valued as the scenario with them minus without them,
priced week by week by the law in force (or the scenario's law.as_if).

Hand computations (seed 004, bilag 4, Tabel 1, and the rules in rates/):
- 2014 law: 2 × 25 participants, kontanthjælp 30 → 50 pct. refund, 103.320 kr. a year:
  50 × 103.320 × 20 pct. = 1.033.200; wages 2 × 500.000; fewer offers 3 × 56.209 + 16 × 68.791 =
  1.269.283 at full price (no refund for vejledning og opkvalificering to jobparate in months
  1-24): net 1.302.483 kr. a year.
- the refusionstrappe (as_if 2016-01-04): participants in week 53+ get 20 pct. whether in an offer
  or not, so moving them earns nothing: 1.269.283 − 1.000.000 = 269.283 kr. a year.
- participants in benefit month 25+: the offers carried 50 pct. refund within the driftsloft, but
  Lyngby-Taarbæk's operating costs (15.128.758 kr.) lie above the loft (11.835 × 940,2 =
  11.127.267 kr.), so the cut loses no refund: 1.302.483 kr. again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from budgetmodel import fmt
from budgetmodel.errors import InputError
from budgetmodel.financing.initiative import OfferLine, OfferRefundRule, active_weeks, offer_refund_changes, year_fractions
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import run_scenario

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
JOB = SCEN / "lyngby-taarbaek-2014-jobformidler.yaml"
BASIS = SCEN / "lyngby-taarbaek-2014-basis.yaml"
YEARS = [2014, 2015, 2016, 2017]


@pytest.fixture(scope="module")
def book():
    return load_rates()


def variant(tmp_path: Path, name: str, data: dict, base: Path | list[Path] = JOB) -> Path:
    p = tmp_path / f"{name}.yaml"
    bases = [str(b) for b in base] if isinstance(base, list) else [str(base)]
    p.write_text(yaml.safe_dump({"kind": "scenario", "id": name, "title": name, "extends": bases, **data}, allow_unicode=True, sort_keys=False))
    return p


def run(path: Path, book, **kw):
    return run_scenario(load_scenario(path, book), book, **kw)


def tdkk(d: dict) -> list[int]:
    return [int(fmt.round_half_up(d[y] / 1000.0)) for y in sorted(d)]


def test_published_tabel_1_under_the_2014_law(book):
    r = run(JOB, book)
    (case,) = r.initiatives
    assert case.net_dkk_per_year == pytest.approx(-1_302_483)
    assert tdkk(case.dkk) == [-651, -1302, -1302, -651]
    labels = [row.label for row in case.rows]
    assert labels[0] == "Årlig lønudgift for 2 personlige jobformidlere kr."
    assert labels[1] == "Årlig øget statsrefusion på forsørgelsesudgiften baseret på takst for ej-forsørger kr."


def test_refusionstrappe_moving_earns_nothing(tmp_path, book):
    r = run(variant(tmp_path, "trappe", {"law": {"as_if": dt.date(2016, 1, 4)}}), book)
    (case,) = r.initiatives
    assert case.net_dkk_per_year == pytest.approx(-269_283)
    assert case.rows[1].value == pytest.approx(0)


def test_month_25_above_the_loft_loses_no_refund(tmp_path, book):
    data = {"initiatives": {"personlig_jobformidler": {"participant_benefit_month": 25}}}
    r = run(variant(tmp_path, "month25", data), book)
    assert r.initiatives[0].net_dkk_per_year == pytest.approx(-1_302_483)


def test_month_25_within_the_loft_loses_half(tmp_path, book):
    # operating costs far below the loft: the cut offers lose their 50 pct. refund at the margin
    data = {
        "initiatives": {"personlig_jobformidler": {"participant_benefit_month": 25}},
        "municipality": {"driftsloft_pool": {"operating_expenses_dkk": {"value": 2_000_000, "status": "assumption", "source": "Test: under loftet"}}},
    }
    r = run(variant(tmp_path, "month25low", data), book)
    assert r.initiatives[0].net_dkk_per_year == pytest.approx(-(33_200 + 1_269_283 / 2))


def test_refund_line_differs_by_exactly_the_initiative(tmp_path, book):
    with_ = run(JOB, book)
    without = run(variant(tmp_path, "none", {}, BASIS), book)
    (case,) = with_.initiatives
    for y in YEARS:
        diff = with_.caseload.line("refusion").dkk[y] - without.caseload.line("refusion").dkk[y]
        assert diff == pytest.approx(-case.state_refund_dkk[y])
    assert case.state_refund_dkk[2015] == pytest.approx(1_033_200)


def test_phasing_by_months_and_days():
    assert year_fractions(dt.date(2014, 7, 1), 36, YEARS) == pytest.approx({2014: 0.5, 2015: 1.0, 2016: 1.0, 2017: 0.5})
    f = year_fractions(dt.date(2014, 7, 15), 36, YEARS)
    assert f[2014] == pytest.approx((17 / 31 + 5) / 12)
    assert f[2017] == pytest.approx((6 + 14 / 31) / 12)
    assert sum(f.values()) == pytest.approx(3.0)
    assert sum(w for _, w in active_weeks(2015)) == pytest.approx(1.0)


def test_start_mid_month_runs(tmp_path, book):
    r = run(variant(tmp_path, "mid", {"initiatives": {"personlig_jobformidler": {"start": dt.date(2014, 7, 15)}}}), book)
    (case,) = r.initiatives
    assert case.dkk[2014] == pytest.approx(-1_302_483 * (17 / 31 + 5) / 12)
    assert case.net_dkk_per_year == pytest.approx(-1_302_483)


def test_staff_count_changes_the_wage(tmp_path, book):
    data = {"initiatives": {"personlig_jobformidler": {"staff_count": {"value": 3, "status": "assumption", "source": "Test"}, "wage_dkk_per_year": None,
                                                       "wage_dkk_per_staff": {"value": 480_000, "status": "assumption", "source": "Test"},
                                                       "persons_per_staff": {"value": 20, "status": "assumption", "source": "Test"}}}}
    r = run(variant(tmp_path, "three", data, [BASIS, SCEN / "parts" / "personlig-jobformidler.yaml"]), book)
    # 60 × 103.320 × 20 pct. − 3 × 480.000 + 1.269.283
    assert r.initiatives[0].net_dkk_per_year == pytest.approx(-(60 * 103_320 * 0.2 - 1_440_000 + 1_269_283))


def test_offer_refund_within_a_pool():
    o = (OfferLine("a", "a", "g", "kontanthjaelp_jobparat", "vejledning_opkvalificering", -10, 50_000, 25),)
    # above the cap before and after: nothing lost; crossing it: the part below the cap
    assert offer_refund_changes(o, (OfferRefundRule(0.5, "p", 1_000_000, 2_000_000),)) == (0.0,)
    assert offer_refund_changes(o, (OfferRefundRule(0.5, "p", 1_000_000, 1_200_000),)) == pytest.approx((-150_000,))
    assert offer_refund_changes(o, (OfferRefundRule(0.5),)) == pytest.approx((-250_000,))
    assert offer_refund_changes(o, (OfferRefundRule(0.0),)) == (0.0,)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"persons_per_staff": {"value": 40, "status": "assumption", "source": "Test"}}, "initiatives.personlig_jobformidler.persons_per_staff"),
        ({"offer_reductions": {"over_30": {"helaarstilbud": {"value": 40, "status": "assumption", "source": "Test"}}}}, "initiatives.personlig_jobformidler.offer_reductions.over_30.helaarstilbud"),
        ({"start": dt.date(2019, 1, 1)}, "initiatives.personlig_jobformidler.start"),
        ({"staff_count": {"value": 0, "status": "assumption", "source": "Test"}}, "initiatives.personlig_jobformidler.staff_count"),
    ],
)
def test_impossible_initiatives_are_errors_with_file_line_field(tmp_path, book, change, field):
    p = variant(tmp_path, "bad", {"initiatives": {"personlig_jobformidler": change}})
    with pytest.raises(InputError) as err:
        run(p, book)
    probs = [x for x in err.value.problems if x.field == field]
    assert probs and all(x.file == str(p) and x.line is not None for x in probs)
    # validate refuses the same file
    from budgetmodel.scenario.validate import check

    with pytest.raises(InputError) as err2:
        check(p)
    assert field in {x.field for x in err2.value.problems}


def test_refund_rules_at_is_replaced_by_as_if(tmp_path, book):
    p = variant(tmp_path, "old", {"law": {"refund_rules_at": dt.date(2014, 1, 1)}})
    with pytest.raises(InputError) as err:
        load_scenario(p, book)
    (prob,) = err.value.problems
    assert prob.field == "law.refund_rules_at" and "law.as_if" in prob.message and prob.line is not None


TESTRUP = SCEN / "testrup-2026-virksomhedskonsulenter.yaml"


def test_a_municipality_from_scratch_under_2026_law(book):
    """By hand (the rules in rates/ for 2026-2029): the refusionstrappe gives the participants in
    week 60 the same 20 pct. in løntilskud as outside it, so moving 40 persons earns nothing; the
    10 pct. shorter time on benefit saves 4 helårspersoner × 150.000 × 80 pct. = 480.000; no refund
    of operating costs after 2018 (L 76 2018-19), so 10 fewer offers save 10 × 60.000 = 600.000;
    wages 3 × 520.000 (the municipality's wage per årsværk) = 1.560.000. Net: a cost of 480.000 a year."""
    r = run(TESTRUP, book)
    (case,) = r.initiatives
    assert case.net_dkk_per_year == pytest.approx(1_560_000 - 480_000 - 600_000)
    assert case.dkk == pytest.approx({2026: 480_000, 2027: 480_000, 2028: 480_000, 2029: 480_000})
    assert case.rows[1].value == pytest.approx(0)
    # the caseload's refund line carries the fewer helårspersoner at 20 pct.
    assert case.state_refund_dkk[2027] == pytest.approx(-0.1 * 40 * 150_000 * 0.2)
    assert r.law.as_if is None


@pytest.mark.parametrize("scenario", ["lyngby-taarbaek-2014-jobformidler.yaml", "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml", "testrup-2026-virksomhedskonsulenter.yaml"])
def test_run_and_optimise_value_every_bundled_initiative_alike(book, scenario):
    from budgetmodel.optimise.adapter import from_scenario
    from budgetmodel.optimise.run import optimise

    r = run(SCEN / scenario, book)
    report = optimise(from_scenario(SCEN / scenario, book))
    total = sum(c.net_dkk_per_year * sum(c.year_fractions.values()) for c in r.initiatives)
    years = sum(p.weight for p in report.input.periods)
    assert report.fixed_case_saving_dkk_per_year * years == pytest.approx(-total, abs=0.01)


def test_the_staircase_case_is_269283_in_every_command(tmp_path, book):
    import json

    from typer.testing import CliRunner

    from budgetmodel.cli import app

    p = variant(tmp_path, "trappe", {"law": {"as_if": dt.date(2016, 1, 4)}})
    runner = CliRunner()
    res = runner.invoke(app, ["run", str(p), "--json", "--save-resolved", str(tmp_path / "r.yaml")])
    assert res.exit_code == 0, res.output
    ini = json.loads(res.stdout)["initiatives"][0]
    assert ini["net_dkk_per_year"] == pytest.approx(-269_283)
    assert ini["dkk"]["2015"] == pytest.approx(-269_283)
    res = runner.invoke(app, ["optimise", str(p), "--json"])
    assert json.loads(res.stdout)["fixed_case_saving_dkk_per_year"] == 269_283
    res = runner.invoke(app, ["compare", str(JOB), str(p)])
    assert res.exit_code == 0, res.output
    assert "-269" in res.stdout and "-1.302" in res.stdout
    out = tmp_path / "memo.md"
    res = runner.invoke(app, ["businesscase", str(p), "--format", "md", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "269.283" in out.read_text(encoding="utf-8")


def _optimise_fixed(path: Path, book) -> float:
    from budgetmodel.optimise.adapter import from_scenario
    from budgetmodel.optimise.run import optimise

    return optimise(from_scenario(path, book)).fixed_case_saving_dkk_per_year


def test_month_25_above_the_loft_in_optimise_too(tmp_path, book):
    data = {"initiatives": {"personlig_jobformidler": {"participant_benefit_month": 25}}}
    assert _optimise_fixed(variant(tmp_path, "m25", data), book) == pytest.approx(1_302_483, abs=0.01)


def test_optimise_takes_every_initiative(tmp_path, book):
    """A second initiative (four konsulenter, 10 aktivitetsparate over 30 into løntilskud from
    2015, 24 months; aktivitetsparate take more hours per placement): run and optimise agree on
    the two together."""
    second = {
        "title": "Virksomhedskonsulent til aktivitetsparate", "start": dt.date(2015, 1, 1), "duration_months": 24,
        "target_group": "kontanthjaelp_aktivitetsparat_over30", "staff_label": "virksomhedskonsulent",
        "staff_count": {"value": 4, "status": "assumption", "source": "Test"},
        "participants": {"value": 10, "status": "assumption", "source": "Test"},
        "from_activation": "none", "to_activation": "loentilskud", "participant_week": 60,
    }
    p = variant(tmp_path, "two", {"initiatives": {"konsulent": second}})
    r = run(p, book)
    assert len(r.initiatives) == 2
    total = sum(sum(c.dkk.values()) for c in r.initiatives)
    from budgetmodel.optimise.adapter import from_scenario
    from budgetmodel.optimise.run import optimise

    report = optimise(from_scenario(p, book))
    years = sum(x.weight for x in report.input.periods)
    assert report.fixed_case_saving_dkk_per_year * years == pytest.approx(-total, abs=0.01)


def test_impossible_initiative_is_the_same_error_in_optimise(tmp_path, book):
    from budgetmodel.optimise.adapter import from_scenario

    p = variant(tmp_path, "bad", {"initiatives": {"personlig_jobformidler": {"start": dt.date(2019, 1, 1)}}})
    with pytest.raises(InputError) as err:
        from_scenario(p, book)
    assert "initiatives.personlig_jobformidler.start" in {x.field for x in err.value.problems}
