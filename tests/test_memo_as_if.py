"""A scenario priced as if another date's law applied (law.as_if) says so in its title line in
every output: md, html (and so the PDF), xlsx and the comparison."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from budgetmodel.rates import load_rates
from budgetmodel.reports.compare import compare_context, render_compare_html, render_compare_xlsx
from budgetmodel.reports.context import memo_context
from budgetmodel.reports.memo import memo_run
from budgetmodel.reports.render import render
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import run_scenario

SCEN = Path(__file__).resolve().parents[1] / "scenarios"
NOTE_2014 = "prissat efter loven pr. 1. januar 2014 i alle år"
NOTE_2016 = "prissat efter loven pr. 4. januar 2016 i alle år"


def test_every_output_says_the_law_it_is_priced_by():
    book = load_rates()
    loaded = load_scenario(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", book)
    assert loaded.scenario.law.as_if.isoformat() == "2014-01-01"
    ctx = memo_context(*memo_run(loaded, book))
    md = render(ctx, "md").decode("utf-8")
    assert md.splitlines()[0] == f"# Personlige jobformidlere til langtidsledige på kontanthjælp ({NOTE_2014})"
    html = render(ctx, "html").decode("utf-8")
    assert f'<span class="asif">({NOTE_2014})</span></h1>' in html
    wb = load_workbook(io.BytesIO(render(ctx, "xlsx")))
    assert wb["Resultat"]["A1"].value.endswith(f"({NOTE_2014})")
    assert wb["Tabel 2"]["A1"].value.endswith(f"({NOTE_2014})")
    a, b = (run_scenario(load_scenario(SCEN / f"{n}.yaml", book), book) for n in ("lyngby-taarbaek-2014-basis", "lyngby-taarbaek-2016-refusionstrappe"))
    cmp = compare_context([a, b])
    page = render_compare_html(cmp)
    assert f"({NOTE_2014})" in page and f"({NOTE_2016})" in page
    assert [e["text"].endswith(f"({n})") for e, n in zip(cmp["chart"]["legend"], (NOTE_2014, NOTE_2016))] == [True, True]
    sheet = load_workbook(io.BytesIO(render_compare_xlsx(cmp)))["Sammenligning"]
    titles = [sheet.cell(row=r, column=1).value for r in (3, 4)]
    assert titles[0].endswith(f"({NOTE_2014})") and titles[1].endswith(f"({NOTE_2016})")
