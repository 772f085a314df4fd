"""Render report contexts: Markdown and HTML through sandboxed, autoescaped Jinja templates in
``reports/templates/``; PDF by printing the HTML with WeasyPrint; xlsx with openpyxl.

Reproducible: the same context gives byte-identical Markdown, HTML and xlsx (the workbook's
timestamps are fixed and its zip entries carry a fixed date). The PDF carries WeasyPrint's own
metadata and is not promised to be byte-identical.

Numbers in the xlsx are numbers, with the display format ``#,##0`` — Excel shows it with the
reader's separators, i.e. 1.302.483 in a Danish Excel.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from budgetmodel.paths import templates_dir
from budgetmodel.reports.escape import defuse_formulas, md_html

FORMATS = ("md", "html", "pdf", "xlsx")
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _md(text: Any) -> str:
    """Escape what would break a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def environment(root: Path | None = None) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(root or templates_dir())),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "svg"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    return env


def _markdown_env(root: Path | None = None) -> SandboxedEnvironment:
    """Markdown is not HTML: no HTML escaping, but cells are escaped with the ``md`` filter."""
    env = environment(root)
    env.autoescape = False
    env.trim_blocks = False
    env.finalize = md_html  # raw HTML from input is shown as text
    return env


def render_md(ctx: dict[str, Any], template: str = "memo.md") -> str:
    text = _markdown_env().get_template(template).render(**ctx)
    lines = [ln.rstrip() for ln in text.splitlines()]
    out: list[str] = []
    for ln in lines:  # at most one blank line in a row
        if ln == "" and out and out[-1] == "":
            continue
        out.append(ln)
    return "\n".join(out).strip() + "\n"


def render_html(ctx: dict[str, Any], template: str = "memo.html") -> str:
    return environment().get_template(template).render(**ctx)


def render_pdf(ctx: dict[str, Any], template: str = "memo.html") -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(ctx, template), base_url=str(templates_dir())).write_pdf()


# ---------------------------------------------------------------------------------------------
# xlsx


def _sheet_name(text: str, used: set[str]) -> str:
    bad = '[]:*?/\\'
    name = "".join("-" if ch in bad else ch for ch in text)[:31].strip() or "Ark"
    base, i = name, 2
    while name in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name)
    return name


def _number_format(v: Any) -> str:
    if isinstance(v, float) and not v.is_integer():
        return "#,##0.0##"
    return "#,##0"


def deterministic_zip(raw: bytes) -> bytes:
    """Rewrite a zip with a fixed date on every entry (same order, same content)."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def workbook_bytes(wb: Any) -> bytes:
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.creator = "budgetmodel"
    wb.properties.lastModifiedBy = "budgetmodel"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    defuse_formulas(wb)  # text from input is never a formula
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
    return deterministic_zip(buf.getvalue())


def _bold() -> Any:
    from openpyxl.styles import Font

    return Font(bold=True)


def _write_rows(ws: Any, start_row: int, header: list[str], rows: list[list[Any]], strong: list[bool] | None = None) -> int:
    bold = _bold()
    for j, h in enumerate(header, 1):
        c = ws.cell(row=start_row, column=j, value=h)
        c.font = bold
    r = start_row
    for i, row in enumerate(rows):
        r += 1
        for j, v in enumerate(row, 1):
            c = ws.cell(row=r, column=j, value=v)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                c.number_format = _number_format(v)
            if strong and strong[i]:
                c.font = bold
    return r


def _widths(ws: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w


def memo_workbook(ctx: dict[str, Any]) -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = _bold()
    for sec in ctx["sections"]:
        for case in sec["cases"]:
            ws = wb.create_sheet(_sheet_name(f"Tabel {case['number']} Businesscase", used))
            ws.cell(row=1, column=1, value=case["caption"]).font = bold
            ws.cell(row=2, column=1, value=case["title"])
            _write_rows(ws, 4, ["", "Beløb (kr.) / antal", "Beregning"], [[r["label"], r["value"], r["working"]] for r in case["rows"]], [r["strong"] for r in case["rows"]])
            _widths(ws, [80, 18, 40])
        for t in sec["tables"]:
            ws = wb.create_sheet(_sheet_name(f"Tabel {t['number']}" if t["number"] else t["title"], used))
            ws.cell(row=1, column=1, value=t["caption"]).font = bold
            rows = [[r["label"] + (f" ({r['unit_note']})" if r["unit_note"] else ""), *(c["value"] for c in r["cells"])] for r in t["rows"]]
            _write_rows(ws, 3, [t["unit"], *(int(y) for y in t["years"])], rows, [r["strong"] for r in t["rows"]])
            _widths(ws, [50, *([12] * len(t["years"]))])
    sens = ctx.get("sensitivity")
    if sens:
        ws = wb.create_sheet(_sheet_name("Følsomhed", used))
        ws.cell(row=1, column=1, value=f"Resultatmål: {sens['metric_label']} (1.000 kr.)").font = bold
        ws.cell(row=2, column=1, value="Grundberegning")
        c = ws.cell(row=2, column=2, value=sens["base_value"])
        c.number_format = "#,##0"
        r = 4
        if sens["tornado"]:
            r = _write_rows(
                ws,
                r,
                ["Forudsætning", "Lav", "Høj", "Resultat ved lav", "Resultat ved høj"],
                [[b["label"], b["low"], b["high"], b["metric_low_value"], b["metric_high_value"]] for b in sens["tornado"]],
            ) + 2
        if sens["mc"]:
            mc = sens["mc"]
            ws.cell(row=r, column=1, value=f"Monte Carlo: {mc['draws']} træk, seed {mc['seed']}").font = bold
            r = _write_rows(ws, r + 1, ["", "1.000 kr."], [["P10", mc["p10_value"]], ["P50", mc["p50_value"]], ["P90", mc["p90_value"]]])
            for p in mc["params"]:
                r += 1
                ws.cell(row=r, column=1, value=f"{p['label']}: {p['distribution']}")
        _widths(ws, [55, 14, 14, 18, 18])
    if ctx.get("methods"):  # issue 15: the scenario's `methods:` section
        from budgetmodel.reports.methods_section import methods_sheet

        methods_sheet(wb.create_sheet(_sheet_name("Metoder", used)), ctx["methods"], bold)
    ws = wb.create_sheet(_sheet_name("Forudsætninger", used))
    ws.cell(row=1, column=1, value="Forudsætninger (antagelser, ikke lovgivning)").font = bold
    _write_rows(ws, 3, ["Forudsætning", "Værdi", "Tal", "Status", "Kilde", "Note"], [[a["label"], a["value"], a["number"], a["status"], a["source"], a["note"]] for a in ctx["assumptions"]])
    r = ws.max_row + 2
    ws.cell(row=r, column=1, value="Lovgrundlag").font = bold
    _write_rows(ws, r + 1, ["Regel", "Dato", "", "", "Kilde", "Note"], [[l["title"], l["date"], None, None, l["source"], l["text"]] for l in ctx["law"]])
    _widths(ws, [55, 28, 14, 12, 70, 50])
    ws = wb.create_sheet(_sheet_name("Kilder", used))
    ws.cell(row=1, column=1, value="Satser og regler (rates/)").font = bold
    r = _write_rows(ws, 2, ["Tabel", "Celle", "Værdi", "Tal", "Gyldighed", "Kilde"], [[x["table"], x["cell"], x["value"], x["number"], x["valid"], x["source"]] for x in ctx["rates"]])
    ws.cell(row=r + 2, column=1, value="Tal fra dokumenterne og scenariet").font = bold
    _write_rows(ws, r + 3, ["Tal", "Sti i scenariet", "Værdi", "Tal", "Status", "Kilde"], [[x["label"], x["path"], x["value"], x["number"], x["status"], x["source"] + (f" ({x['note']})" if x["note"] else "")] for x in ctx["inputs"]])
    _widths(ws, [45, 45, 30, 14, 24, 90])
    f = ctx["footer"]
    ws = wb.create_sheet(_sheet_name("Om beregningen", used))
    _write_rows(
        ws,
        1,
        ["", ""],
        [["Model", f"budgetmodel {f['model_version']}"], ["Satser (rates) sha256", f["rates_fingerprint"]], ["Input sha256", f["input_hash"]], ["Scenarie", f["scenario_id"]]]
        + [[p["path"], p["sha256"]] for p in f["files"]],
    )
    _widths(ws, [45, 70])
    return wb


def render_xlsx(ctx: dict[str, Any]) -> bytes:
    return workbook_bytes(memo_workbook(ctx))


def render(ctx: dict[str, Any], fmt_name: str) -> bytes:
    if fmt_name == "md":
        return render_md(ctx).encode("utf-8")
    if fmt_name == "html":
        return render_html(ctx).encode("utf-8")
    if fmt_name == "pdf":
        return render_pdf(ctx)
    if fmt_name == "xlsx":
        return render_xlsx(ctx)
    raise ValueError(f"unknown format {fmt_name!r} (expected one of {', '.join(FORMATS)})")
