"""Scenarios side by side: every budget and caseload line of each scenario by year, with the
difference to the first scenario (A), and each scenario's total net effect.

A line that one scenario has and another lacks counts as 0 in the one that lacks it, and the page
says so; every difference is filled. The chart shows the total net effect of every scenario by
year (and any other line the reader picks), with the scenarios' names in the legend and labelled
axes. Plain context for the committee page (``reports/templates/compare.html``), the terminal
table and the xlsx (a sheet per scenario and the comparison, with formulas).
"""

from __future__ import annotations

import math
from typing import Any

from budgetmodel import fmt
from budgetmodel.reports.context import cell_ctx, table_ctx, title_note
from budgetmodel.reports.render import environment, workbook_bytes
from budgetmodel.scenario.run import RunResult, Table

COLOURS = ["#2f6b9a", "#e0a458", "#5b9a5b", "#a05195", "#7f7f7f", "#c44e52"]
TOTAL_KEY = "total"
TOTAL_LABEL = "Samlet nettovirkning"
TOTAL_NOTE = "kommunens nettoudgift til forsørgelse efter refusion plus budgettabellens bundlinje (initiativernes merrefusion, som begge rummer, talt én gang)"


def _tables(r: RunResult) -> list[Table]:
    return [t for t in (r.budget, r.caseload) if t is not None]


CORRECTION = ("korrektion", "initiatives_refund")


def double_counted_refund(r: RunResult) -> dict[int, float] | None:
    """The initiatives' extra state refund on benefits, by year: it is in the caseload's refund
    line (the moved participants) and in the budget's initiatives line alike, so the total adds
    it back once. None where the run has no such overlap."""
    if r.caseload is None or not r.initiatives or r.budget is None:
        return None
    years = list(r.scenario.years)
    out = {y: 0.0 for y in years}
    for c in r.initiatives:
        for y, v in (getattr(c, "state_refund_dkk", None) or {}).items():
            if y in out:
                out[y] += v
    return out if any(abs(v) > 0 for v in out.values()) else None


def net_parts(r: RunResult) -> list[tuple[str, str]]:
    """The (table, line) keys whose sum is the scenario's total net effect: the municipality's net
    benefit cost after refund and the bottom line of the budget table, where the scenario has them,
    and the correction for the initiatives' refund counted in both."""
    parts = []
    if r.caseload is not None and any(ln.key == "netto" for ln in r.caseload.lines):
        parts.append((r.caseload.key, "netto"))
    if r.budget is not None and r.budget.lines:
        parts.append((r.budget.key, r.budget.lines[-1].key))
    if double_counted_refund(r) is not None:
        parts.append(CORRECTION)
    return parts


def net_total(r: RunResult) -> dict[int, float]:
    """The scenario's total net effect by year in kroner: the sum of its net lines (net_parts)."""
    years = list(r.scenario.years)
    out = {y: 0.0 for y in years}
    for tk, lk in net_parts(r):
        if (tk, lk) == CORRECTION:
            values = double_counted_refund(r) or {}
        else:
            values = next(t for t in _tables(r) if t.key == tk).line(lk).dkk
        for y in years:
            out[y] += values.get(y, 0.0)
    return out


def _correction_table(r: RunResult) -> list[dict[str, Any]]:
    extra = double_counted_refund(r)
    if extra is None:
        return []
    years = list(r.scenario.years)
    row = {
        "key": CORRECTION[1],
        "label": "Initiativernes merrefusion, der indgår både i forsørgelsen og i budgetlinjen (lægges til én gang)",
        "kind": "line",
        "strong": False,
        "unit_note": "",
        "cells": [{"year": y, **cell_ctx(extra[y], "line")} for y in years],
    }
    return [{"key": CORRECTION[0], "title": "Korrektion for dobbelttælling", "unit": "1.000 kr.", "years": [str(y) for y in years], "rows": [row]}]


def _section_title(t: Table) -> str:
    return "Økonomiske konsekvenser" if t.key == "budget" else t.title.split(" (")[0]


def compare_context(results: list[RunResult]) -> dict[str, Any]:
    years = sorted({y for r in results for y in r.scenario.years})
    scen = []
    for i, r in enumerate(results):
        note = title_note(r)
        scen.append(
            {
                "id": r.scenario.id,
                "title": r.scenario.title + (f" ({note})" if note else ""),
                "title_note": note,
                "input_hash": r.loaded.input_hash,
                "letter": chr(ord("A") + i),
                "colour": COLOURS[i % len(COLOURS)],
                "years": [str(y) for y in r.scenario.years],
            }
        )
    # every scenario's lines by (table, line): kroner by year, None where the scenario lacks it
    order: list[str] = []
    titles: dict[str, str] = {}
    line_order: dict[str, list[tuple[str, str, str]]] = {}
    for r in results:
        for t in _tables(r):
            if t.key not in titles:
                order.append(t.key)
                titles[t.key] = _section_title(t)
                line_order[t.key] = []
            for ln in t.lines:
                if all(k != ln.key for k, _, _ in line_order[t.key]):
                    line_order[t.key].append((ln.key, ln.label, ln.kind))

    def values_of(r: RunResult, tk: str, key: str) -> dict[int, float] | None:
        t = next((t for t in _tables(r) if t.key == tk), None)
        ln = next((x for x in t.lines if x.key == key), None) if t is not None else None
        return dict(ln.dkk) if ln is not None else None

    missing: list[dict[str, str]] = []
    groups_by_section: list[tuple[str, str, list[dict[str, Any]]]] = []
    total_group = _group(TOTAL_KEY, TOTAL_LABEL, "line", [net_total(r) for r in results], scen, years, "samlet")
    groups_by_section.append(("samlet", TOTAL_LABEL, [total_group]))
    for tk in order:
        groups = []
        for key, label, kind in line_order[tk]:
            vals = [values_of(r, tk, key) for r in results]
            for v, sc in zip(vals, scen):
                if v is None:
                    missing.append({"section": titles[tk], "line": label, "scenario": sc["letter"]})
            groups.append(_group(key, label, kind, vals, scen, years, tk))
        groups_by_section.append((tk, titles[tk], groups))
    sections = [{"key": k, "title": t, "groups": g} for k, t, g in groups_by_section]
    return {
        "title": "Sammenligning af scenarier",
        "scenarios": scen,
        "years": [str(y) for y in years],
        "sections": sections,
        "missing": missing,
        "scenario_tables": {sc["letter"]: [table_ctx(t, None, _section_title(t)) for t in _tables(r)] + _correction_table(r) for sc, r in zip(scen, results)},
        "net_parts": {sc["letter"]: [list(p) for p in net_parts(r)] for sc, r in zip(scen, results)},
        "missing_note": _missing_note(missing, scen),
        "total_note": f"{TOTAL_LABEL}: {TOTAL_NOTE}; udgifter positive, besparelser og indtægter negative.",
        "chart": _charts(sections, scen, years),
        "footer": {
            "model_version": results[0].model_version if results else "",
            "rates_fingerprint": results[0].rates_fingerprint if results else "",
        },
    }


def _missing_note(missing: list[dict[str, str]], scen: list[dict[str, Any]]) -> str:
    if not missing:
        return ""
    parts = []
    for sc in scen:
        lines = [m["line"] for m in missing if m["scenario"] == sc["letter"]]
        if lines:
            parts.append(f"{sc['letter']} har ikke {', '.join(dict.fromkeys(lines))}")
    return "Linjer, som et scenarie ikke har, regnes som 0 i det scenarie (markeret med *): " + "; ".join(parts) + "."


def _group(key: str, label: str, kind: str, vals: list[dict[int, float] | None], scen: list[dict[str, Any]], years: list[int], table: str) -> dict[str, Any]:
    """One line across the scenarios: a row per scenario (a missing line as 0, marked) and a
    difference row against A for each other scenario."""
    filled = [{y: (v or {}).get(y, 0.0) for y in years} for v in vals]
    rows = []
    for v, f, sc in zip(vals, filled, scen):
        cells = []
        for y in years:
            c = {"year": y, **cell_ctx(f[y], kind)}
            c["missing"] = v is None or y not in v
            if c["missing"]:
                c["text"] += "*"
            cells.append(c)
        rows.append({"scenario": sc["letter"], "scenario_id": sc["id"], "label": sc["title"], "kind": "value", "missing": v is None, "cells": cells})
    for f, sc in zip(filled[1:], scen[1:]):
        cells = [{"year": y, "missing": False, **cell_ctx(f[y] - filled[0][y], kind)} for y in years]
        rows.append({"scenario": f"{sc['letter']}-A", "scenario_id": sc["id"], "label": f"Forskel {sc['letter']} − A", "kind": "difference", "missing": False, "cells": cells})
    unit = {"count": "antal", "dkk": "kr."}.get(kind, "1.000 kr.")
    return {"key": key, "table": table, "label": label, "kind": kind, "unit": unit, "strong": kind in ("total", "netto") or key == TOTAL_KEY, "rows": rows}


def _nice_step(span: float) -> float:
    raw = span / 5.0
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _charts(sections: list[dict[str, Any]], scen: list[dict[str, Any]], years: list[int]) -> dict[str, Any]:
    """Grouped bars by year, one bar per scenario, for the total net effect and for every line
    the reader may pick; the total is shown first."""
    options = []
    for sec in sections:
        for g in sec["groups"]:
            values = [r for r in g["rows"] if r["kind"] == "value"]
            series = [(sc, {int(c["year"]): c["value"] for c in row["cells"]}) for sc, row in zip(scen, values)]
            name = g["label"] if sec["key"] == "samlet" else f"{sec['title']}: {g['label']}"
            options.append(_chart(f"{g['table']}.{g['key']}", name, g["unit"], series, scen, years))
    return {"default": options[0]["key"] if options else "", "options": options, **(options[0] if options else {})}


def _chart(key: str, title: str, unit: str, series: list[tuple[dict[str, Any], dict[int, float]]], scen: list[dict[str, Any]], years: list[int]) -> dict[str, Any]:
    vals = [v for _, d in series for v in d.values()]
    lo, hi = min(0.0, *vals), max(0.0, *vals)
    step = _nice_step((hi - lo) or 1.0)
    lo_t, hi_t = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if hi_t == lo_t:
        hi_t = lo_t + step
    left, top, plot_w, plot_h = 90.0, 24.0, 600.0, 240.0
    group_w = plot_w / max(len(years), 1)
    bar_w = min(44.0, (group_w - 16.0) / max(len(series), 1))

    def ypos(v: float) -> float:
        return round(top + (hi_t - v) / (hi_t - lo_t) * plot_h, 1)

    zero = ypos(0.0)
    bars = []
    for gi, y in enumerate(years):
        for si, (sc, d) in enumerate(series):
            if y not in d:
                continue
            v = d[y]
            x = round(left + gi * group_w + (group_w - bar_w * len(series)) / 2 + si * bar_w, 1)
            y0, y1 = sorted((ypos(v), zero))
            bars.append(
                {
                    "x": x,
                    "y": y0,
                    "w": round(bar_w - 2.0, 1),
                    "h": max(round(y1 - y0, 1), 0.5),
                    "colour": sc["colour"],
                    "scenario": sc["letter"],
                    "name": sc["title"],
                    "year": y,
                    "value": v,
                    "text": fmt.number(v, 0 if float(v).is_integer() else 1),
                    "label_x": round(x + (bar_w - 2.0) / 2, 1),
                    "label_y": round(y0 - 3 if v >= 0 else y1 + 10, 1),
                }
            )
    yticks = []
    n = int(round((hi_t - lo_t) / step))
    for k in range(n + 1):
        v = lo_t + k * step
        yticks.append({"y": ypos(v), "text": fmt.number(v, 0 if float(v).is_integer() else 1)})
    xticks = [{"x": round(left + gi * group_w + group_w / 2, 1), "text": str(y)} for gi, y in enumerate(years)]
    legend_top = top + plot_h + 52
    legend = [{"x": left, "y": legend_top + i * 16, "colour": sc["colour"], "text": f"{sc['letter']}: {sc['title']}"} for i, (sc, _) in enumerate(series)]
    return {
        "key": key,
        "title": title,
        "unit": unit,
        "width": left + plot_w + 20,
        "height": legend_top + len(legend) * 16 + 6,
        "left": left,
        "right": left + plot_w,
        "zero_y": zero,
        "top": top,
        "bottom": top + plot_h,
        "bars": bars,
        "xticks": xticks,
        "yticks": yticks,
        "x_label": "Budgetår",
        "x_label_y": top + plot_h + 34,
        "y_label": unit,
        "y_label_x": 16,
        "y_label_y": top + plot_h / 2,
        "legend": legend,
    }


def render_compare_html(ctx: dict[str, Any]) -> str:
    return environment().get_template("compare.html").render(**ctx)


# ---------------------------------------------------------------------------------------------
# xlsx: a sheet per scenario, the comparison over them in formulas


def compare_workbook(ctx: dict[str, Any]) -> Any:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter, quote_sheetname

    from budgetmodel.reports.xlsx import DECIMALS, THOUSANDS, by_year_table, formula, header, number, print_setup, sheet_name, text, widths

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    n = len(ctx["years"])
    cmp_ws = wb.create_sheet(sheet_name("Sammenligning", used))
    # one sheet per scenario: each line's values by year (the figures the comparison refers to)
    where: dict[tuple[str, str, str], int] = {}  # (letter, table, line) → row on the scenario's sheet
    sheets: dict[str, str] = {}
    for i, sc in enumerate(ctx["scenarios"]):
        ws = wb.create_sheet(sheet_name(f"{sc['letter']} {sc['id']}", used))
        sheets[sc["letter"]] = ws.title
        text(ws, 1, 1, f"{sc['letter']}: {sc['title']}", bold=True)
        text(ws, 2, 1, f"{sc['id']} · input sha256 {sc['input_hash']}")
        r = 3
        for t in ctx["scenario_tables"][sc["letter"]]:
            r += 1
            text(ws, r, 1, t["title"], bold=True)
            last, rows_at = by_year_table(ws, r + 1, t["unit"], t["years"], t["rows"])
            for key, at in rows_at.items():
                where[(sc["letter"], t["key"], key)] = at
            r = last + 1
        widths(ws, [50, *([12] * (n + 1))])
        print_setup(ws, 3, r, 2 + n, freeze="B4")
    # the comparison: each scenario's row refers to its sheet; a missing line is 0; differences are formulas
    ws = cmp_ws
    text(ws, 1, 1, ctx["title"], bold=True)
    r = 2
    for sc in ctx["scenarios"]:
        r += 1
        text(ws, r, 1, f"{sc['letter']}: {sc['title']}")
        text(ws, r, 2, sheets[sc["letter"]])
        text(ws, r, 3, sc["input_hash"])
    notes = [ctx["total_note"]] + ([ctx["missing_note"]] if ctx["missing_note"] else [])
    for note in notes:
        r += 1
        text(ws, r, 1, note)
    r += 2
    head = r
    header(ws, r, ["Linje", "Scenarie", "Enhed", *(int(y) for y in ctx["years"])])
    parts = {}  # the total net effect of a scenario: the sum of its net lines (see net_parts)
    for sec in ctx["sections"]:
        for g in sec["groups"]:
            first_row = r + 1
            for row in g["rows"]:
                r += 1
                text(ws, r, 1, g["label"], bold=g["strong"])
                text(ws, r, 2, row["label"], bold=row["kind"] == "difference")
                text(ws, r, 3, g["unit"])
                fmt_ = DECIMALS if g["kind"] == "count" else THOUSANDS
                sc_years = next((x["years"] for x in ctx["scenarios"] if x["letter"] == row["scenario"][0]), [])
                for j, c in enumerate(row["cells"]):
                    col = get_column_letter(4 + j)
                    year = str(c["year"])
                    src_col = get_column_letter(2 + sc_years.index(year)) if year in sc_years else None
                    if row["kind"] == "difference":
                        k = ord(row["scenario"][0]) - ord("A")
                        formula(ws, r, 4 + j, f"{col}{first_row + k}-{col}{first_row}", fmt_, bold=True)
                    elif src_col is None or (row["missing"] and not (g["key"] == TOTAL_KEY and sec["key"] == "samlet")):
                        number(ws, r, 4 + j, 0, fmt_)
                    elif g["key"] == TOTAL_KEY and sec["key"] == "samlet":
                        refs = [f"{quote_sheetname(sheets[row['scenario']])}!{src_col}{where[(row['scenario'], tk, lk)]}" for tk, lk in _net_refs(ctx, row["scenario"]) if (row["scenario"], tk, lk) in where]
                        formula(ws, r, 4 + j, "+".join(refs) if refs else "0", fmt_, bold=True)
                    else:
                        at = where[(row["scenario"], g["table"], g["key"])]
                        formula(ws, r, 4 + j, f"{quote_sheetname(sheets[row['scenario']])}!{src_col}{at}", fmt_, bold=g["strong"])
    widths(ws, [50, 55, 10, *([12] * n)])
    print_setup(ws, head, r, 3 + n, freeze=f"D{head + 1}")
    return wb


def _net_refs(ctx: dict[str, Any], letter: str) -> list[tuple[str, str]]:
    return [tuple(p) for p in ctx["net_parts"].get(letter, [])]  # type: ignore[misc]


def render_compare_xlsx(ctx: dict[str, Any]) -> bytes:
    return workbook_bytes(compare_workbook(ctx))
