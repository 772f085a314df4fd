"""The memo in every format carries the published figures; md/html/xlsx are byte-identical for
the same inputs; templates see plain data only and are sandboxed and autoescaped."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError
from openpyxl import load_workbook
from pypdf import PdfReader

from budgetmodel.rates import load_rates
from budgetmodel.reports.context import memo_context
from budgetmodel.reports.memo import build_memo, memo_run
from budgetmodel.reports.render import environment, render, render_html
from budgetmodel.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]
JOB = ROOT / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml"
REFORM = ROOT / "scenarios" / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"

TABEL_1 = ["1.000.000", "1.033.200", "56.209", "168.627", "68.791", "1.100.656", "1.269.283", "33.200", "1.302.483"]
PHASED = [["500", "1.000", "1.000", "500"], ["-517", "-1.033", "-1.033", "-517"], ["-635", "-1.269", "-1.269", "-635"], ["-651", "-1.302", "-1.302", "-651"]]
REFORM_ROWS = {
    "Kontanthjælpsreformen": [2417, 4774, 4756, 4756],
    "Ramme mentorordninger": [1761, 1428, 1428, 1428],
    "Driftsloft aktiveringsudgifter": [2001, 2075, 2486, 2583],
    "Hensat budgetgarantibeløb (Puljer)": [-891, -1931, -2560, -2942],
    "Samlet budgetudfordring": [5288, 6347, 6110, 5826],
    "Modgående initiativer": [-651, -1302, -1302, -651],
    "Samlet budgetudfordring, netto": [4637, 5045, 4808, 5175],
}


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.fixture(scope="module")
def job_ctx(book):
    return memo_context(*memo_run(load_scenario(JOB, book), book))


@pytest.fixture(scope="module")
def reform_ctx(book):
    return memo_context(*memo_run(load_scenario(REFORM, book), book))


def _pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[ \t]+", " ", text)


def test_context_is_plain_data(job_ctx, reform_ctx):
    def walk(x, path="ctx"):
        if isinstance(x, dict):
            for k, v in x.items():
                assert isinstance(k, str), path
                walk(v, f"{path}.{k}")
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{path}[{i}]")
        else:
            assert x is None or isinstance(x, (str, int, float, bool)), f"{path}: {type(x).__name__}"

    walk(job_ctx)
    walk(reform_ctx)


def test_markdown_memo(job_ctx):
    md = render(job_ctx, "md").decode("utf-8")
    for heading in ("# Personlige jobformidlere", "## Baggrund", "**Tabel 1. Businesscase**", "## Økonomiske konsekvenser", "## Forudsætninger", "## Kilder", "## Følsomhed"):
        assert heading in md
    for v in TABEL_1:
        assert f"| {v} |" in md or f"| **{v}** |" in md
    assert "| 3 × 56.209 = 168.627 |" in md and "| 16 × 68.791 = 1.100.656 |" in md
    for row in PHASED:
        assert " | ".join(row) in md.replace("**", "")
    assert "P10" in md and "P50" in md and "P90" in md
    assert job_ctx["footer"]["input_hash"] in md and job_ctx["footer"]["rates_fingerprint"] in md


def test_pdf_text_carries_the_published_figures(job_ctx, reform_ctx):
    text = _pdf_text(render(job_ctx, "pdf"))
    for v in TABEL_1:
        assert v in text
    for row in PHASED:
        assert " ".join(row) in text
    assert "Forudsætninger" in text and "Kilder" in text and "Følsomhed" in text and "P50" in text
    rtext = _pdf_text(render(reform_ctx, "pdf"))
    for label, values in REFORM_ROWS.items():
        from budgetmodel import fmt

        assert f"{label} {' '.join(fmt.number(v) for v in values)}" in rtext, label


def test_xlsx_cells_carry_the_published_figures(job_ctx, reform_ctx):
    """Lines are numbers (1.000 kr. unrounded, shown #,##0); totals are formulas over them (their
    recalculated values are checked in LibreOffice: tests/test_xlsx_libreoffice.py)."""
    wb = load_workbook(io.BytesIO(render(job_ctx, "xlsx")))
    assert {"Resultat", "Forudsætninger", "Kilder", "Følsomhed"} <= set(wb.sheetnames)
    assert wb.sheetnames[0] == "Resultat"
    t1 = wb["Tabel 1 Businesscase"]
    values = {r[0].value: r[1] for r in t1.iter_rows(min_row=5) if r[0].value}
    assert values["Samlet årlig besparelse kr."].value == "=B13+B14"
    assert values["Øget statsrefusion fradraget udgiften til løn kr."].value == "=B6-B5"
    assert values["Samlet årlig besparelse kr."].number_format == "#,##0"
    t2 = wb["Tabel 2"]
    assert t2.freeze_panes == "B4" and t2.print_title_rows == "$1:$3"
    rows = {r[0].value: [c.value for c in r[1:5]] for r in t2.iter_rows(min_row=4)}
    rounded = {k: [round(v) if isinstance(v, float) else v for v in vs] for k, vs in rows.items()}
    assert rounded["Lønudgift personlige jobformidlere"] == [500, 1000, 1000, 500]
    assert rounded["Merindtægt statsrefusion"] == [-517, -1033, -1033, -517]
    assert rounded["Driftsudgifter til aktivering"] == [-635, -1269, -1269, -635]
    assert rows["Nettovirkning i alt (− = besparelse)"] == ["=SUM(B4:B6)", "=SUM(C4:C6)", "=SUM(D4:D6)", "=SUM(E4:E6)"]
    kilder = [c.value for c in wb["Kilder"]["A"] if c.value]
    assert "refusion_forsoergelse" in kilder
    sens = wb["Følsomhed"]
    lav_hoj = {r[0].value: (r[1], r[2]) for r in sens.iter_rows(min_row=5) if r[0].value}
    low, high = lav_hoj["Kortere tid på ydelse for deltagerne (andel)"]
    assert (low.value, high.value, high.number_format) == (0, 0.1, "0%")  # numbers, shown as 10%
    low, high = lav_hoj["Pris pr. helårstilbud over 30 år (kr.)"]
    assert isinstance(low.value, float) and abs(low.value - 61911.9) < 1e-6
    rwb = load_workbook(io.BytesIO(render(reform_ctx, "xlsx")))
    found = {}
    for ws in rwb.worksheets:
        if not ws.title.startswith("Tabel"):
            continue
        for r in ws.iter_rows():
            if r[0].value in REFORM_ROWS and len(r) >= 5:
                found.setdefault(r[0].value, [c.value for c in r[1:5]])
    for label, want in REFORM_ROWS.items():
        got = found[label]
        if label.startswith("Samlet budgetudfordring"):
            assert all(isinstance(v, str) and v.startswith("=SUM(") for v in got), label
        else:
            assert [round(v) for v in got] == want, label


def test_html_is_self_contained_and_carries_the_figures(job_ctx):
    html = render(job_ctx, "html").decode("utf-8")
    assert "<svg" in html and "<style>" in html
    assert not re.search(r"<(link|script|img)\b", html)
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) <= {"http://www.w3.org/2000/svg"}
    assert 'data-value="1302483"' in html


@pytest.mark.parametrize("fmt_name", ["md", "html", "xlsx"])
def test_same_inputs_give_identical_bytes(book, fmt_name):
    assert build_memo(JOB, fmt_name, book) == build_memo(JOB, fmt_name, book)


def test_templates_are_sandboxed_and_autoescaped(job_ctx):
    env = environment()
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__[1].__subclasses__() }}").render(x="")
    ctx = dict(job_ctx, heading="<script>alert(1)</script>")
    html = render_html(ctx)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_reform_memo_sections(reform_ctx):
    md = render(reform_ctx, "md").decode("utf-8")
    assert "## Sammenfatning" in md and "## Deltabeller" in md and "Modgående initiativ" in md
    assert "Kontrol: 96 af 96 trykte tal fra kilden genfundet." in md
    assert "Kildens egen afrunding: Ydelsesdelen I alt 2014: de trykte dele giver -4.516, trykt -4.517 (forskel -1)." in md
    assert "| **Samlet budgetudfordring, netto** | **4.637** | **5.045** | **4.808** | **5.175** |" in md
