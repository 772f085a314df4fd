"""The committee chart compares one line across scenarios, never a budget challenge against a benefit bill."""

from pathlib import Path

import pytest

from budgetmodel import fmt
from budgetmodel.rates import load_rates
from budgetmodel.reports.compare import compare_context
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import run_scenario

SCEN = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def results():
    book = load_rates()
    names = ["lyngby-taarbaek-2014-kontanthjaelpsreform", "lyngby-taarbaek-2016-refusionstrappe", "lyngby-taarbaek-2014-jobformidler"]
    return [run_scenario(load_scenario(SCEN / f"{n}.yaml", book), book) for n in names]


def test_mixed_scenarios_chart_the_line_they_share(results):
    chart = compare_context(results)["chart"]
    assert chart["title"] == "Kommunens nettoudgift"
    assert [entry["text"] for entry in chart["legend"]] == ["A", "B", "C"]
    for letter, r in zip("ABC", results):
        want = {y: int(fmt.round_half_up(r.caseload.line("netto").dkk[y] / 1000)) for y in r.scenario.years}
        got = {b["year"]: b["value"] for b in chart["bars"] if b["scenario"] == letter}
        assert got == want


def test_scenarios_with_the_same_headline_chart_it(results):
    reform, _, job = results
    chart = compare_context([reform, job])["chart"]
    # both end their budget table on different lines (netto vs initiatives): the shared budget line is charted
    assert chart["title"] == "Modgående initiativer"
    got = {b["year"]: b["value"] for b in chart["bars"] if b["scenario"] == "B"}
    assert got == {2014: -651, 2015: -1302, 2016: -1302, 2017: -651}
