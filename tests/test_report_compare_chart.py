"""The committee chart compares the total net effect of every scenario (a line missing in one
scenario counts as 0 there, and the page says so), and the reader may pick any other line."""

from pathlib import Path

import pytest

from budgetmodel import fmt
from budgetmodel.rates import load_rates
from budgetmodel.reports.compare import compare_context, net_total
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import run_scenario

SCEN = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def results():
    book = load_rates()
    names = ["lyngby-taarbaek-2014-kontanthjaelpsreform", "lyngby-taarbaek-2016-refusionstrappe", "lyngby-taarbaek-2014-jobformidler"]
    return [run_scenario(load_scenario(SCEN / f"{n}.yaml", book), book) for n in names]


def k(v: float) -> int:
    return int(fmt.round_half_up(v / 1000))


def test_the_chart_shows_each_scenarios_total_net_effect(results):
    ctx = compare_context(results)
    chart = ctx["chart"]
    assert chart["title"] == "Samlet nettovirkning" and chart["default"] == "samlet.total"
    # the legend names the scenarios, the axes are labelled
    assert all(entry["text"].startswith(f"{s}: {r.scenario.title}") for entry, s, r in zip(chart["legend"], "ABC", results))
    assert len(chart["legend"]) == 3
    assert chart["x_label"] == "Budgetår" and chart["y_label"] == "1.000 kr."
    for letter, r in zip("ABC", results):
        want = {y: k(net_total(r)[y]) for y in r.scenario.years}
        got = {b["year"]: b["value"] for b in chart["bars"] if b["scenario"] == letter}
        assert got == want
    reform, staircase, job = results
    # the caseload's net cost plus the budget's bottom line, the initiative's extra refund (in both) once
    refund = {y: sum(c.state_refund_dkk[y] for c in reform.initiatives) for y in reform.scenario.years}
    assert net_total(reform)[2014] == pytest.approx(reform.caseload.line("netto").dkk[2014] + reform.budget.line("netto").dkk[2014] + refund[2014])
    assert k(net_total(staircase)[2014]) == k(staircase.caseload.line("netto").dkk[2014])


def test_the_total_differs_from_the_baseline_by_the_business_case():
    book = load_rates()
    basis, job = (run_scenario(load_scenario(SCEN / f"{n}.yaml", book), book) for n in ("lyngby-taarbaek-2014-basis", "lyngby-taarbaek-2014-jobformidler"))
    diff = [net_total(job)[y] - net_total(basis)[y] for y in basis.scenario.years]
    assert [k(v) for v in diff] == [-651, -1302, -1302, -651]  # Tabel 2's Samlet besparelse, not twice the refund


def test_a_scenario_that_costs_more_is_drawn_higher(results):
    reform, staircase, job = results
    ctx = compare_context([job, reform])
    bars = {(b["scenario"], b["year"]): b for b in ctx["chart"]["bars"]}
    for y in job.scenario.years:
        # the reform scenario costs 4.637 + 651 = 5.288 (1.000 kr.) more in 2014: its bar ends higher (smaller y)
        assert bars[("B", y)]["value"] > bars[("A", y)]["value"]
        assert bars[("B", y)]["y"] < bars[("A", y)]["y"]
    total = next(g for g in ctx["sections"][0]["groups"])
    diff = next(r for r in total["rows"] if r["kind"] == "difference")
    assert [c["value"] for c in diff["cells"]] == [5288, 6347, 6110, 5826]  # the reform without the initiative both carry


def test_a_missing_line_counts_as_zero_and_every_difference_is_filled(results):
    reform, staircase, _ = results
    ctx = compare_context([staircase, reform])  # A has no budget table at all
    assert "Samlet budgetudfordring, netto" in ctx["missing_note"] and "A har ikke" in ctx["missing_note"]
    budget = next(s for s in ctx["sections"] if s["key"] == "budget")
    netto = next(g for g in budget["groups"] if g["key"] == "netto")
    a_row, b_row, diff = netto["rows"]
    assert a_row["missing"] and all(c["value"] == 0 and c["text"] == "0*" for c in a_row["cells"])
    assert [c["value"] for c in diff["cells"]] == [4637, 5045, 4808, 5175]
    for sec in ctx["sections"]:
        for g in sec["groups"]:
            for row in g["rows"]:
                assert all(c["value"] is not None and c["text"] for c in row["cells"])


def test_the_reader_can_chart_any_line(results):
    ctx = compare_context(results[:2])
    keys = [o["key"] for o in ctx["chart"]["options"]]
    assert keys[0] == "samlet.total" and "forsoergelse.refusion" in keys and "budget.netto" in keys
    refusion = next(o for o in ctx["chart"]["options"] if o["key"] == "forsoergelse.refusion")
    got = {b["year"]: b["value"] for b in refusion["bars"] if b["scenario"] == "B"}
    assert got == {y: k(results[1].caseload.line("refusion").dkk[y]) for y in results[1].scenario.years}


def test_the_comparison_is_the_same_bytes_every_time(results):
    from budgetmodel.reports.compare import render_compare_html, render_compare_xlsx

    one, two = compare_context(results), compare_context(results)
    assert render_compare_html(one) == render_compare_html(two)
    assert render_compare_xlsx(one) == render_compare_xlsx(two)
