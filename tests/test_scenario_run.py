"""Running scenarios reproduces seed 004's published figures; the caseload is priced by the
refund rules of the scenario's law date; sensitivity runs are seeded and exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetmodel import fmt
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import run_scenario
from budgetmodel.scenario.schema import with_parameter
from budgetmodel.scenario.sensitivity import analyse, headline
from budgetmodel.scenario.load import LoadedScenario

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
TOY = Path(__file__).parent / "fixtures" / "scenarios"
YEARS = [2014, 2015, 2016, 2017]


def tdkk(line):
    return [int(fmt.round_half_up(line.dkk[y] / 1000.0)) for y in YEARS]


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.fixture(scope="module")
def reform(book):
    return run_scenario(load_scenario(SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml", book), book, with_caseload=False)


@pytest.fixture(scope="module")
def job(book):
    return run_scenario(load_scenario(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", book), book, with_caseload=False)


def test_reform_budget_lines_as_published(reform):
    b = reform.budget
    assert tdkk(b.line("reform")) == [2417, 4774, 4756, 4756]
    assert tdkk(b.line("mentor")) == [1761, 1428, 1428, 1428]
    assert tdkk(b.line("driftsloft")) == [2001, 2075, 2486, 2583]
    assert tdkk(b.line("pulje")) == [-891, -1931, -2560, -2942]
    assert tdkk(b.line("total")) == [5288, 6347, 6110, 5826]
    assert tdkk(b.line("initiatives")) == [-651, -1302, -1302, -651]
    assert tdkk(b.line("netto")) == [4637, 5045, 4808, 5175]
    assert all(c["ok"] for c in reform.checks) and len(reform.checks) == 96  # 92 + the Mentorordning line, computed from the mentor table, checked against its print
    # where the notat's own printed figures do not add up, the run says by how much
    breaks = {(c["table"], c["line"], c["year"]): (c["document_sum"], c["printed"], c["rounding_break"]) for c in reform.checks if "rounding_break" in c}
    assert breaks == {
        ("Ydelsesdelen", "I alt", 2014): (-4516, -4517, -1),
        ("Indsatsdelen", "I alt", 2014): (-148, -150, -2),
        ("Indsatsdelen", "I alt", 2017): (-2124, -2123, 1),
        ("Indsatsdelen", "Forskel", 2015): (-62, -61, 1),
        ("Indsatsdelen", "Forskel", 2016): (-80, -79, 1),
        ("Kontanthjælpsreformen", "Forskel", 2017): (4757, 4756, -1),
        ("Budgetlinjer", "Samlet budgetudfordring", 2015): (6346, 6347, 1),
        ("Budgetlinjer", "Samlet budgetudfordring", 2017): (5825, 5826, 1),
    }


def test_reform_sub_tables_as_published(reform):
    sub = {t.key: t for t in reform.sub_tables}
    bg = sub["budgetgaranti"]
    assert tdkk(bg.line("local")) == [-4667, -7600, -7887, -8035]
    assert tdkk(bg.line("state")) == [-7084, -12374, -12643, -12792]
    assert tdkk(bg.line("difference")) == [2417, 4774, 4756, 4756]
    assert tdkk(sub["budgetgaranti_ydelsesdelen"].line("difference")) == [2999, 4836, 4836, 4836]
    assert tdkk(sub["budgetgaranti_indsatsdelen"].line("difference")) == [-582, -61, -79, -79]
    assert tdkk(sub["mentor"].line("challenge")) == [1761, 1428, 1428, 1428]


def test_jobformidler_tabel_1_and_phasing(job):
    (case,) = job.initiatives
    rows = [(r.label, r.value) for r in case.rows]
    assert [v for _, v in rows] == pytest.approx([1_000_000, 1_033_200, 3, 56209, 168_627, 16, 68791, 1_100_656, 1_269_283, 33_200, 1_302_483], abs=1e-6)
    assert rows[-1][0] == "Samlet årlig besparelse kr."
    assert case.year_fractions == {2014: 0.5, 2015: 1.0, 2016: 1.0, 2017: 0.5}
    p = case.phased
    assert tdkk(p.line("wages")) == [500, 1000, 1000, 500]
    assert tdkk(p.line("extra_refund")) == [-517, -1033, -1033, -517]
    assert tdkk(p.line("offer_savings")) == [-635, -1269, -1269, -635]
    assert tdkk(p.line("total")) == [-651, -1302, -1302, -651]
    # the budget table of an initiative-only scenario is the initiatives line
    assert [ln.key for ln in job.budget.lines] == ["initiatives"]


def test_run_records_what_it_used(job):
    tables = {rv.table_id for rv in job.used_rates}
    assert {"refusion_forsoergelse", "refusion_driftsudgifter"} <= tables
    paths = {u.path for u in job.used_inputs}
    assert "initiatives.personlig_jobformidler.wage_dkk_per_year" in paths
    assert "initiatives.personlig_jobformidler.staff_count" in paths
    assert "municipality.prices.helaarstilbud_dkk.over_30" in paths


def test_caseload_priced_by_the_law_date(book):
    """100 helårspersoner, kontanthjælp 10.500 kr./md., week 53+ of the count, no activation:
    2014 rules → state 30 pct.; the staircase → state 20 pct. Growth 10 pct. in 2015."""
    a = run_scenario(load_scenario(TOY / "staircase-toy.yaml", book), book)
    b = run_scenario(load_scenario(TOY / "staircase-toy-2016.yaml", book), book)
    gross = 100 * 10_500 * 12
    assert a.caseload.line("brutto").dkk == pytest.approx({2014: gross, 2015: gross * 1.1})
    assert a.caseload.line("netto").dkk == pytest.approx({2014: gross * 0.7, 2015: gross * 1.1 * 0.7})
    assert b.caseload.line("netto").dkk == pytest.approx({2014: gross * 0.8, 2015: gross * 1.1 * 0.8})
    assert b.caseload.line("refusion").dkk[2014] == pytest.approx(-gross * 0.2)
    assert any(rv.table_id == "refusionstrappe" and rv.value == 20 for rv in b.used_rates)
    assert not any(rv.table_id == "refusionstrappe" for rv in a.used_rates)


def test_a_span_across_2016_is_priced_by_the_law_of_each_week(tmp_path, book):
    """Years 2015-2016 without as_if: 2015 by the 2014 rules (30 pct.), 2016 by the staircase
    (20 pct. in week 53+): the § 30 count has run far past 52 weeks by 2016-01-04."""
    p = tmp_path / "span.yaml"
    p.write_text(f"kind: scenario\nid: span\ntitle: Span\nextends: [{TOY / 'staircase-toy.yaml'}]\nyears: [2015, 2016]\n"
                 "assumptions:\n  caseload_growth: {value: 0, status: assumption, source: Test}\n")
    r = run_scenario(load_scenario(p, book), book)
    gross = 100 * 10_500 * 12
    assert r.caseload.line("refusion").dkk == pytest.approx({2015: -gross * 0.3, 2016: -gross * 0.2})
    assert r.law.as_if is None and "Hver uge" in r.law.describe()


def test_bundled_staircase_comparison_costs_more_for_a_long_term_caseload(book):
    a = run_scenario(load_scenario(SCEN / "lyngby-taarbaek-2014-basis.yaml", book), book)
    b = run_scenario(load_scenario(SCEN / "lyngby-taarbaek-2016-refusionstrappe.yaml", book), book)
    assert a.caseload.line("brutto").dkk == b.caseload.line("brutto").dkk
    assert b.caseload.line("netto").dkk[2014] > a.caseload.line("netto").dkk[2014]


def test_duration_effect_is_priced_when_assumed(book):
    loaded = load_scenario(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", book)
    s = with_parameter(loaded.scenario, "assumptions.duration_effect", 0.1)
    r = run_scenario(LoadedScenario(s, loaded.path, loaded.files, loaded.resolved, loaded.input_hash), book, with_caseload=False)
    # 10 pct. of 50 participants × 103.320 kr. × the municipality's 70 pct.: the weeks saved are
    # weeks the participants would have spent on benefit outside the offer (state 30 pct., as the
    # optimiser's neff reads it), so the same 14.466 × 50 × 0.1 in run and optimise
    full_year = 0.1 * 50 * 103_320 * 0.7
    eff = r.initiatives[0].phased.line("duration_effect").dkk
    assert eff == pytest.approx({2014: -full_year / 2, 2015: -full_year, 2016: -full_year, 2017: -full_year / 2})
    assert r.budget.line("initiatives").dkk[2015] == pytest.approx(-1_302_483 - full_year)


def test_tornado_values_by_hand(book, job):
    loaded = job.loaded
    sens = analyse(loaded, book, job)
    base = -1_302_483 * 3  # ½ + 1 + 1 + ½ years
    assert sens.base == pytest.approx(base)
    bar = next(b for b in sens.tornado if b.parameter.endswith("persons_per_staff"))
    # 30 per broker: 60 × 103.320 × 20 pct. − 1.000.000 + 1.269.283
    assert bar.metric_high == pytest.approx(-(60 * 103_320 * 0.2 - 1_000_000 + 1_269_283) * 3)
    assert [b.swing for b in sens.tornado] == sorted((b.swing for b in sens.tornado), reverse=True)


def test_monte_carlo_is_seeded(book, job):
    a = analyse(job.loaded, book, job).monte_carlo
    b = analyse(job.loaded, book, job).monte_carlo
    assert (a.p10, a.p50, a.p90) == (b.p10, b.p50, b.p90)
    assert a.p10 <= a.p50 <= a.p90
    assert a.draws == job.scenario.sensitivity.draws

    def metric(persons_per_broker, offers_over_30, effect):  # 3 full years' worth over 2014-2017, by hand
        persons = 2 * persons_per_broker
        yearly = persons * 103_320 * 0.2 - 1_000_000 + 3 * 56_209 + offers_over_30 * 68_791 + effect * persons * 103_320 * 0.7
        return -3 * yearly

    # the draws lie between the corners of the uncertain inputs (18-27 persons, 12-16 offers, effect 0-0,1)
    assert metric(27, 16, 0.1) <= a.p10 and a.p90 <= metric(18, 12, 0.0)
    assert headline(job) == pytest.approx(metric(25, 16, 0.0))


def _half_staircase_reform(tmp_path):
    """The toy caseload for 2015-2016 with all four staircase shares overridden to 50 pct. from 2016-01-04."""
    p = tmp_path / "reform.yaml"
    overrides = "".join(
        f"    - {{table: refusionstrappe, where: {{count_week: '{band}'}}, valid_from: 2016-01-04, value: 50, source: 'Reformforslag (test)', note: 'Test'}}\n"
        for band in ("1-4", "5-26", "27-52", "53+")
    )
    p.write_text(f"kind: scenario\nid: reform\ntitle: Reform\nextends: [{TOY / 'staircase-toy.yaml'}]\nyears: [2015, 2016]\n"
                 "assumptions:\n  caseload_growth: {value: 0, status: assumption, source: Test}\n"
                 f"law:\n  overrides:\n{overrides}")
    return p


def test_law_overrides_set_the_staircase_to_half(tmp_path, book):
    """law.overrides: all four staircase shares 50 pct. from 2016-01-04 (a reform laid over the
    law): the state refunds exactly half the gross in 2016, 2015 keeps the 2014 rules (30 pct.),
    and the run cites the overridden values with status 'reform' and a rates fingerprint of its own."""
    p = _half_staircase_reform(tmp_path)
    r = run_scenario(load_scenario(p, book), book)
    gross = 100 * 10_500 * 12
    assert r.caseload.line("refusion").dkk == pytest.approx({2015: -gross * 0.3, 2016: -gross * 0.5})
    reform = [rv for rv in r.used_rates if rv.status == "reform"]
    assert reform and all(rv.table_id == "refusionstrappe" and rv.value == 50 for rv in reform)
    assert r.rates_fingerprint != book.fingerprint


def test_a_bad_override_is_located(tmp_path, book):
    p = tmp_path / "bad.yaml"
    p.write_text(f"kind: scenario\nid: bad\ntitle: Bad\nextends: [{TOY / 'staircase-toy.yaml'}]\n"
                 "law:\n  overrides:\n    - {table: refusionstrappe, where: {count_week: '1-4', foo: bar}, valid_from: 2016-01-04, value: 50, source: 'Test'}\n"
                 "    - {table: no_such_table, valid_from: 2016-01-04, value: 50, source: 'Test'}\n")
    from budgetmodel.errors import InputError
    from budgetmodel.scenario.validate import check

    for attempt in (lambda: run_scenario(load_scenario(p, book), book), lambda: check(p)):
        with pytest.raises(InputError) as err:
            attempt()
        fields = {x.field for x in err.value.problems}
        assert any(f.startswith("law.overrides.0") for f in fields) and any(f.startswith("law.overrides.1") for f in fields)
        assert all(x.file == str(p) and x.line in (7, 8) for x in err.value.problems)


def test_memo_kilder_lists_overridden_values_with_status_reform(tmp_path):
    """Issue 10, item 4: the memo's Kilder lists every overridden value with status reform."""
    from typer.testing import CliRunner

    from budgetmodel.cli import app

    p = _half_staircase_reform(tmp_path)
    out = tmp_path / "memo.md"
    res = CliRunner().invoke(app, ["businesscase", str(p), "--format", "md", "--out", str(out)])
    assert res.exit_code == 0, res.output
    kilder = out.read_text(encoding="utf-8").split("## Kilder", 1)[1]
    rows = [line for line in kilder.splitlines() if line.startswith("| refusionstrappe |") and "reform" in line]
    assert rows and all("Reformforslag (test)" in r and "| 50 pct. |" in r for r in rows), kilder[:2000]
