"""Workbook cells an economist can work in: numbers as numbers in the Danish format, totals and
differences as Excel formulas over the lines (each formula is checked against the model's own
figure before it is written, so a recalculated sheet shows the model's totals), text always as
text, frozen header rows, print areas and print titles.

Amounts by year are stored in 1.000 kr. unrounded (a line of 651.241,50 kr. is 651,2415) and
shown as ``#,##0``: the sheet displays what the memo prints, and a sum over the lines equals the
model's total to the krone.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from openpyxl.utils import get_column_letter

THOUSANDS = "#,##0"
DECIMALS = "#,##0.0##"
SHARE = "0%"
TOLERANCE = 0.0006  # in the cell's own unit: half a krone on 1.000 kr. cells


def text(ws: Any, row: int, col: int, value: Any, bold: bool = False) -> Any:
    """A text cell, never read as a formula (text starting with = + - @ stays text)."""
    c = ws.cell(row=row, column=col)
    c.value = "" if value is None else str(value)
    c.data_type = "s"
    if bold:
        c.font = _font(True)
    return c


def number(ws: Any, row: int, col: int, value: float | int | None, fmt: str | None = None, bold: bool = False) -> Any:
    c = ws.cell(row=row, column=col)
    if value is None:
        return c
    c.value = value
    c.number_format = fmt or (THOUSANDS if float(value).is_integer() else DECIMALS)
    if bold:
        c.font = _font(True)
    return c


def formula(ws: Any, row: int, col: int, expr: str, fmt: str = THOUSANDS, bold: bool = False) -> Any:
    c = ws.cell(row=row, column=col)
    c.value = "=" + expr
    c.data_type = "f"
    ws.parent.__dict__.setdefault("intended_formulas", set()).add((ws.title, c.coordinate))  # kept by defuse_formulas
    c.number_format = fmt
    if bold:
        c.font = _font(True)
    return c


def put_row(ws: Any, row: int, values: Sequence[Any], fmts: dict[int, str | None] | None = None) -> None:
    """One row from column A: text as text, numbers as numbers (``fmts``: column → format), None left empty."""
    for j, v in enumerate(values, 1):
        if v is None:
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            number(ws, row, j, v, (fmts or {}).get(j))
        else:
            text(ws, row, j, v)


def _font(bold: bool) -> Any:
    from openpyxl.styles import Font

    return Font(bold=bold)


NOT_MONEY = ("count", "dkk", "total", "netto")  # per-unit and count rows are never summed


def sum_formula(rows: Sequence[dict[str, Any]], i: int) -> list[tuple[int, int]] | None:
    """The rows (index, sign) whose signed sum is the total row ``i``, checked year by year.

    Each row: ``{"kind": line|initiative|effect|total|netto|count|dkk, "values": [..]}``.
    Candidates, the first that adds up wins: the previous total plus the money rows since it; the
    same without 'effect' rows (already inside the line they qualify); the previous total minus
    the rows since it (I alt − Ifølge staten = Forskel); every money row above."""
    target = rows[i]["values"]
    prev = next((k for k in range(i - 1, -1, -1) if rows[k]["kind"] in ("total", "netto")), None)
    start = (prev + 1) if prev is not None else 0
    since = [k for k in range(start, i) if rows[k]["kind"] not in NOT_MONEY]
    since_lines = [k for k in since if rows[k]["kind"] != "effect"]
    above = [k for k in range(i) if rows[k]["kind"] not in NOT_MONEY]
    candidates: list[list[tuple[int, int]]] = []
    for group in (since, since_lines):
        if prev is not None:
            candidates.append([(prev, 1), *((k, 1) for k in group)])
        candidates.append([(k, 1) for k in group])
    if prev is not None and since:
        candidates.append([(prev, 1), *((k, -1) for k in since)])
    if prev is None and len(since) > 1:
        candidates.append([(since[0], 1), *((k, -1) for k in since[1:])])
    candidates.append([(k, 1) for k in above])
    for cand in candidates:
        if len(cand) < 2:
            continue
        if all(abs(sum(sign * rows[k]["values"][j] for k, sign in cand) - target[j]) < TOLERANCE for j in range(len(target))):
            return cand
    return None


def sum_expr(col: str, terms: Sequence[tuple[int, int]]) -> str:
    """A signed sum over rows of one column: contiguous added rows as a range, SUM(C5:C7)-C9."""
    plus = sorted(r for r, sign in terms if sign > 0)
    minus = sorted(r for r, sign in terms if sign < 0)
    parts, run = [], []
    for r in plus:
        if run and r == run[-1] + 1:
            run.append(r)
            continue
        if run:
            parts.append(f"{col}{run[0]}" if len(run) == 1 else f"{col}{run[0]}:{col}{run[-1]}")
        run = [r]
    if run:
        parts.append(f"{col}{run[0]}" if len(run) == 1 else f"{col}{run[0]}:{col}{run[-1]}")
    expr = f"SUM({','.join(parts)})" if len(plus) > 1 else (parts[0] if parts else "0")
    return expr + "".join(f"-{col}{r}" for r in minus)


_NUM = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?")


def _da_number(tok: str) -> float:
    return float(tok.replace(".", "").replace(",", "."))


def working_formula(working: str, value: float, refs: dict[float, str]) -> str | None:
    """A written working ('16 × 68.791 × (100 − 50) pct.') as an Excel formula, each figure that
    is another row's value replaced by a reference to that row; None unless it computes ``value``."""
    expr = working.split(" = ")[0].strip()
    if not expr:
        return None
    out, py = [], []
    pos = 0
    for m in _NUM.finditer(expr):
        between = expr[pos:m.start()]
        out.append(between)
        py.append(between)
        v = _da_number(m.group())
        ref = refs.get(v)
        out.append(ref if ref else repr(v).removesuffix(".0"))
        py.append(repr(v))
        pos = m.end()
    out.append(expr[pos:])
    py.append(expr[pos:])

    def norm(s: str) -> str:
        return s.replace("×", "*").replace("−", "-").replace("pct.", "/100").replace(" ", "")

    xl, pe = norm("".join(out)), norm("".join(py))
    if not re.fullmatch(r"[\d.()*/+\-A-Z$]*", xl) or not re.fullmatch(r"[\d.()*/+\-e]*", pe):
        return None
    try:
        got = eval(pe, {"__builtins__": {}}, {})  # arithmetic on numbers only (checked above)
    except (SyntaxError, ZeroDivisionError, TypeError):
        return None
    if abs(got - value) > 0.5:
        return None
    return xl


def print_setup(ws: Any, header_rows: int, last_row: int, last_col: int, freeze: str | None = None) -> None:
    """Frozen header rows, print area, print titles, landscape for wide sheets, fit to width."""
    ws.freeze_panes = freeze or f"A{header_rows + 1}"
    ws.print_area = f"A1:{get_column_letter(max(last_col, 1))}{max(last_row, 1)}"
    ws.print_title_rows = f"1:{header_rows}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if last_col > 6 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def widths(ws: Any, cols: Sequence[float]) -> None:
    for j, w in enumerate(cols, 1):
        ws.column_dimensions[get_column_letter(j)].width = w


# ---------------------------------------------------------------------------------------------
# the memo's workbook


def sheet_name(label: str, used: set[str]) -> str:
    bad = '[]:*?/\\'
    name = "".join("-" if ch in bad else ch for ch in label)[:31].strip() or "Ark"
    base, i = name, 2
    while name in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name)
    return name


def _title(ctx: dict[str, Any], caption: str) -> str:
    note = ctx.get("title_note") or ""
    return f"{caption} ({note})" if note else caption


def header(ws: Any, row: int, labels: Sequence[Any]) -> None:
    for j, h in enumerate(labels, 1):
        if isinstance(h, (int, float)) and not isinstance(h, bool):
            number(ws, row, j, h, "0", bold=True)
        else:
            text(ws, row, j, h, bold=True)


def by_year_table(ws: Any, start: int, unit: str, years: Sequence[str], rows: Sequence[dict[str, Any]], total_column: bool = True) -> tuple[int, dict[str, int]]:
    """Lines by year from row ``start`` (the header); totals as SUM formulas over the lines where
    they add up, and an 'I alt' column over the years for amounts. Returns the last row and the
    sheet row of each line key."""
    n = len(years)
    header(ws, start, [unit, *(int(y) for y in years), *(["I alt"] if total_column else [])])
    spec = [{"kind": r["kind"], "values": [c["raw"] for c in r["cells"]]} for r in rows]
    where: dict[str, int] = {}
    for i, r in enumerate(rows):
        rr = start + 1 + i
        where[r.get("key") or r["label"]] = rr
        label = r["label"] + (f" ({r['unit_note']})" if r.get("unit_note") else "")
        text(ws, rr, 1, label, bold=r.get("strong", False))
        group = sum_formula(spec, i) if r["kind"] in ("total", "netto") else None
        fmt_ = DECIMALS if r["kind"] == "count" and any(not float(c["value"]).is_integer() for c in r["cells"]) else THOUSANDS
        for j, c in enumerate(r["cells"]):
            col = get_column_letter(2 + j)
            if group is not None:
                formula(ws, rr, 2 + j, sum_expr(col, [(start + 1 + k, sign) for k, sign in group]), fmt_, bold=r.get("strong", False))
            else:
                number(ws, rr, 2 + j, c["raw"], fmt_, bold=r.get("strong", False))
        if total_column and r["kind"] not in ("count", "dkk"):
            formula(ws, rr, 2 + n, f"SUM(B{rr}:{get_column_letter(1 + n)}{rr})", THOUSANDS, bold=r.get("strong", False))
    return start + len(rows), where


def case_sheet(ws: Any, ctx: dict[str, Any], case: dict[str, Any]) -> None:
    """Tabel 1: each row's working as a formula over the rows above where it computes the row."""
    text(ws, 1, 1, _title(ctx, case["caption"]), bold=True)
    text(ws, 2, 1, case["title"])
    header(ws, 4, ["", "Beløb (kr.) / antal", "Beregning"])
    refs: dict[float, str] = {}
    dup: set[float] = set()
    for i, r in enumerate(case["rows"]):
        rr = 5 + i
        text(ws, rr, 1, r["label"], bold=r["strong"])
        expr = working_formula(r["working"], float(r["value"]), {k: v for k, v in refs.items() if k not in dup}) if r["working"] else None
        if expr is not None:
            formula(ws, rr, 2, expr, THOUSANDS if float(r["value"]).is_integer() else DECIMALS, bold=r["strong"])
        else:
            number(ws, rr, 2, r["value"], bold=r["strong"])
        text(ws, rr, 3, r["working"])
        v = float(r["value"])
        if v in refs:
            dup.add(v)
        else:
            refs[v] = f"B{rr}"
    last = 4 + len(case["rows"])
    widths(ws, [80, 18, 48])
    print_setup(ws, 4, last, 3)


def memo_workbook(ctx: dict[str, Any]) -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    ans = ctx.get("answer")
    if ans:
        ws = wb.create_sheet(sheet_name("Resultat", used))
        text(ws, 1, 1, _title(ctx, ctx["heading"]), bold=True)
        text(ws, 2, 1, ans["lead"])
        rows = [{"key": f"r{i}", "label": r["label"], "kind": "netto" if r["strong"] and len(ans["rows"]) > 1 else "line", "strong": r["strong"], "cells": r["cells"]} for i, r in enumerate(ans["rows"])]
        last, _ = by_year_table(ws, 4, ans["unit"], ans["years"], rows)
        r = last + 2
        if ans["break_even"]:
            text(ws, r, 1, ans["break_even"]["text"])
            r += 1
        text(ws, r, 1, ans["rests_on"])
        for d in ans["drivers"]:
            r += 1
            text(ws, r, 1, d["text"])
        widths(ws, [60, *([12] * (len(ans["years"]) + 1))])
        print_setup(ws, 4, r, len(ans["years"]) + 2, freeze="B5")
    for sec in ctx["sections"]:
        for case in sec["cases"]:
            case_sheet(wb.create_sheet(sheet_name(f"Tabel {case['number']} Businesscase", used)), ctx, case)
        for t in sec["tables"]:
            ws = wb.create_sheet(sheet_name(f"Tabel {t['number']}" if t["number"] else t["title"], used))
            text(ws, 1, 1, _title(ctx, t["caption"]), bold=True)
            last, _ = by_year_table(ws, 3, t["unit"], t["years"], t["rows"])
            widths(ws, [50, *([12] * (len(t["years"]) + 1))])
            print_setup(ws, 3, last, len(t["years"]) + 2, freeze="B4")
    sens = ctx.get("sensitivity")
    if sens:
        ws = wb.create_sheet(sheet_name("Følsomhed", used))
        text(ws, 1, 1, f"{sens['intro']} (1.000 kr.)", bold=True)
        text(ws, 2, 1, "Grundberegning")
        number(ws, 2, 2, sens["base_value"])
        r = 4
        header(ws, r, ["Forudsætning", "Lav", "Høj", "Resultat ved lav", "Resultat ved høj"])
        for b in sens["tornado"]:
            r += 1
            text(ws, r, 1, b["label"])
            f = SHARE if b["unit"] == "share" else None
            number(ws, r, 2, b["low_number"], f)
            number(ws, r, 3, b["high_number"], f)
            number(ws, r, 4, b["metric_low_value"])
            number(ws, r, 5, b["metric_high_value"])
        for b in sens["unmoved"]:
            r += 1
            text(ws, r, 1, f"{b['label']}: flytter ikke resultatmålet ({b['low']} – {b['high']})")
        mc = sens["mc"]
        if mc:
            r += 2
            text(ws, r, 1, f"Monte Carlo: {mc['draws']} træk, seed {mc['seed']}", bold=True)
            r += 1
            header(ws, r, ["", "1.000 kr."])
            for name in ("p10", "p50", "p90"):
                r += 1
                text(ws, r, 1, name.upper())
                number(ws, r, 2, mc[f"{name}_value"])
            for n in mc["notes"]:
                r += 1
                text(ws, r, 1, n)
            for p in mc["params"]:
                r += 1
                text(ws, r, 1, f"{p['label']}: {p['distribution']} (grundværdi {p['base']})")
        widths(ws, [60, 14, 14, 18, 18])
        print_setup(ws, 4, r, 5, freeze="A5")
    if ctx.get("methods"):  # issue 15: the scenario's `methods:` section
        from budgetmodel.reports.methods_section import methods_sheet

        methods_sheet(wb.create_sheet(sheet_name("Metoder", used)), ctx["methods"], _font(True))
    ws = wb.create_sheet(sheet_name("Forudsætninger", used))
    text(ws, 1, 1, "Forudsætninger (antagelser, ikke lovgivning)", bold=True)
    header(ws, 3, ["Forudsætning", "Værdi", "Tal", "Status", "Kilde", "Note"])
    r = 3
    for a in ctx["assumptions"]:
        r += 1
        put_row(ws, r, [a["label"], a["value"], a["number"], a["status"], a["source"], a["note"]], {3: SHARE if a["unit"] == "share" else None})
    r += 2
    text(ws, r, 1, "Lovgrundlag", bold=True)
    r += 1
    header(ws, r, ["Regel", "Dato", "", "", "Kilde", "Note"])
    for law in ctx["law"]:
        r += 1
        put_row(ws, r, [law["title"], law["date"], None, None, law["source"], law["text"]])
    widths(ws, [55, 28, 14, 12, 70, 50])
    print_setup(ws, 3, r, 6)
    ws = wb.create_sheet(sheet_name("Kilder", used))
    text(ws, 1, 1, "Satser og regler (rates/)", bold=True)
    header(ws, 2, ["Tabel", "Celle", "Værdi", "Tal", "Gyldighed", "Kilde", "Status"])
    r = 2
    for x in ctx["rates"]:
        r += 1
        put_row(ws, r, [x["table"], x["cell"], x["value"], x["number"], x["valid"], x["source"], x["status"]])
    r += 2
    text(ws, r, 1, "Tal fra dokumenterne og scenariet", bold=True)
    r += 1
    header(ws, r, ["Tal", "Sti i scenariet", "Værdi", "Tal", "Status", "Kilde"])
    for x in ctx["inputs"]:
        r += 1
        put_row(ws, r, [x["label"], x["path"], x["value"], x["number"], x["status"], x["source"] + (f" ({x['note']})" if x["note"] else "")], {4: SHARE if x["unit"] == "share" else None})
    widths(ws, [45, 45, 30, 14, 24, 90])
    print_setup(ws, 2, r, 6)
    f = ctx["footer"]
    ws = wb.create_sheet(sheet_name("Om beregningen", used))
    rows = [["Model", f"budgetmodel {f['model_version']}"], ["Satser (rates) sha256", f["rates_fingerprint"]], ["Input sha256", f["input_hash"]], ["Scenarie", f["scenario_id"]]]
    if ctx.get("title_note"):
        rows.append(["Lovgrundlag", ctx["title_note"]])
    rows += [[p["path"], p["sha256"]] for p in f["files"]]
    header(ws, 1, ["", ""])
    for i, (a, b) in enumerate(rows, 2):
        text(ws, i, 1, a)
        text(ws, i, 2, b)
    widths(ws, [45, 70])
    print_setup(ws, 1, len(rows) + 1, 2)
    return wb
