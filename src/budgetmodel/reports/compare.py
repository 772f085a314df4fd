"""Scenarios side by side: every budget and caseload line of each scenario by year, with the
difference to the first scenario; a chart of each scenario's headline line. Plain context for
the committee page (``reports/templates/compare.html``), the terminal table and the xlsx."""

from __future__ import annotations

from typing import Any

from budgetmodel import fmt
from budgetmodel.reports.context import _cell
from budgetmodel.reports.render import _bold, _number_format, _sheet_name, _widths, environment, workbook_bytes
from budgetmodel.scenario.run import Line, RunResult, Table

DASH = "–"
COLOURS = ["#2f6b9a", "#e0a458", "#5b9a5b", "#a05195", "#7f7f7f", "#c44e52"]


def _tables(r: RunResult) -> list[Table]:
    return [t for t in (r.budget, r.caseload) if t is not None]


def _headline(r: RunResult) -> Line | None:
    t = r.final_table
    return t.lines[-1] if t is not None and t.lines else None


def _charted_lines(results: list[RunResult]) -> list[Line | None]:
    """The one line the chart compares: each scenario's headline when they all end on the same
    line; otherwise the last line every scenario has (e.g. the municipality's net benefit cost),
    so the bars never set a budget challenge against a benefit bill."""
    heads = [_headline(r) for r in results]
    if heads and all(h is not None for h in heads) and len({h.key for h in heads}) == 1:
        return heads
    for table_key in ("budget", "forsoergelse"):
        tables = [next((t for t in _tables(r) if t.key == table_key), None) for r in results]
        if any(t is None for t in tables):
            continue
        common = set.intersection(*({ln.key for ln in t.lines} for t in tables))
        for ln in reversed(tables[0].lines):
            if ln.key in common:
                return [next(x for x in t.lines if x.key == ln.key) for t in tables]
    return heads


def compare_context(results: list[RunResult]) -> dict[str, Any]:
    years = sorted({y for r in results for y in r.scenario.years})
    scen = [
        {"id": r.scenario.id, "title": r.scenario.title, "input_hash": r.loaded.input_hash, "letter": chr(ord("A") + i), "colour": COLOURS[i % len(COLOURS)]}
        for i, r in enumerate(results)
    ]
    # sections in order of first appearance: (table key) → lines in order of first appearance
    order: list[str] = []
    titles: dict[str, str] = {}
    line_order: dict[str, list[tuple[str, str, str]]] = {}
    for r in results:
        for t in _tables(r):
            if t.key not in titles:
                order.append(t.key)
                titles[t.key] = "Økonomiske konsekvenser" if t.key == "budget" else t.title.split(" (")[0]
                line_order[t.key] = []
            for ln in t.lines:
                if (ln.key, ln.label, ln.kind) not in line_order[t.key] and all(k != ln.key for k, _, _ in line_order[t.key]):
                    line_order[t.key].append((ln.key, ln.label, ln.kind))
    sections = []
    for tk in order:
        groups = []
        for key, label, kind in line_order[tk]:
            rows = []
            values: list[dict[int, float] | None] = []
            for r, sc in zip(results, scen):
                t = next((t for t in _tables(r) if t.key == tk), None)
                ln = next((x for x in t.lines if x.key == key), None) if t is not None else None
                values.append(ln.dkk if ln is not None else None)
                cells = []
                for y in years:
                    if ln is None or y not in ln.dkk:
                        cells.append({"year": y, "value": None, "text": DASH})
                    else:
                        cells.append({"year": y, **_cell(ln.dkk[y], kind)})
                rows.append({"scenario": sc["letter"], "scenario_id": sc["id"], "label": sc["title"], "kind": "value", "cells": cells})
            base = values[0]
            for v, sc in zip(values[1:], scen[1:]):
                cells = []
                for y in years:
                    if base is None or v is None or y not in base or y not in v:
                        cells.append({"year": y, "value": None, "text": DASH})
                    else:
                        cells.append({"year": y, **_cell(v[y] - base[y], kind)})
                rows.append({"scenario": f"{sc['letter']}-A", "scenario_id": sc["id"], "label": f"Forskel {sc['letter']} − A", "kind": "difference", "cells": cells})
            unit = {"count": "antal", "dkk": "kr."}.get(kind, "1.000 kr.")
            groups.append({"key": key, "label": label, "unit": unit, "strong": kind in ("total", "netto"), "rows": rows})
        sections.append({"key": tk, "title": titles[tk], "groups": groups})
    return {
        "title": "Sammenligning af scenarier",
        "scenarios": scen,
        "years": [str(y) for y in years],
        "sections": sections,
        "chart": _chart(results, scen, years),
        "footer": {
            "model_version": results[0].model_version if results else "",
            "rates_fingerprint": results[0].rates_fingerprint if results else "",
        },
    }


def _chart(results: list[RunResult], scen: list[dict[str, Any]], years: list[int]) -> dict[str, Any] | None:
    """Grouped bars: each scenario's headline line by year (1.000 kr.)."""
    series = []
    for ln, sc in zip(_charted_lines(results), scen):
        if ln is None:
            continue
        series.append((sc, ln, {y: fmt.round_half_up(ln.dkk[y] / 1000.0) for y in years if y in ln.dkk}))
    if not series:
        return None
    vals = [v for _, _, d in series for v in d.values()]
    lo, hi = min(0.0, *vals), max(0.0, *vals)
    span = (hi - lo) or 1.0
    left, top, plot_w, plot_h = 70.0, 20.0, 560.0, 220.0
    group_w = plot_w / max(len(years), 1)
    bar_w = min(40.0, (group_w - 16.0) / max(len(series), 1))

    def ypos(v: float) -> float:
        return round(top + (hi - v) / span * plot_h, 1)

    zero = ypos(0.0)
    bars = []
    for gi, y in enumerate(years):
        for si, (sc, ln, d) in enumerate(series):
            if y not in d:
                continue
            v = d[y]
            x = round(left + gi * group_w + 8.0 + si * bar_w, 1)
            y0, y1 = sorted((ypos(v), zero))
            bars.append(
                {
                    "x": x,
                    "y": y0,
                    "w": round(bar_w - 2.0, 1),
                    "h": max(round(y1 - y0, 1), 0.5),
                    "colour": sc["colour"],
                    "scenario": sc["letter"],
                    "year": y,
                    "value": int(v),
                    "text": fmt.number(v),
                    "label_x": round(x + (bar_w - 2.0) / 2, 1),
                    "label_y": round(y0 - 3 if v >= 0 else y1 + 11, 1),
                }
            )
    ticks = [{"x": round(left + gi * group_w + group_w / 2, 1), "text": str(y)} for gi, y in enumerate(years)]
    same_line = len({ln.key for _, ln, _ in series}) == 1
    legend = [{"x": left + i * 200.0, "colour": sc["colour"], "text": sc["letter"] if same_line else f"{sc['letter']}: {ln.label}"} for i, (sc, ln, _) in enumerate(series)]
    return {
        "width": left + plot_w + 20,
        "height": top + plot_h + 60,
        "left": left,
        "right": left + plot_w,
        "zero_y": zero,
        "top": top,
        "bottom": top + plot_h,
        "hi_text": fmt.number(hi),
        "lo_text": fmt.number(lo),
        "tick_y": top + plot_h + 16,
        "legend_y": top + plot_h + 40,
        "bars": bars,
        "ticks": ticks,
        "legend": legend,
        "title": series[0][1].label if same_line else "Resultat",
    }


def render_compare_html(ctx: dict[str, Any]) -> str:
    return environment().get_template("compare.html").render(**ctx)


def compare_workbook(ctx: dict[str, Any]) -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = _bold()
    ws = wb.create_sheet(_sheet_name("Sammenligning", used))
    ws.cell(row=1, column=1, value=ctx["title"]).font = bold
    r = 2
    for sc in ctx["scenarios"]:
        r += 1
        ws.cell(row=r, column=1, value=f"{sc['letter']}: {sc['title']}")
        ws.cell(row=r, column=2, value=sc["id"])
        ws.cell(row=r, column=3, value=sc["input_hash"])
    for sec in ctx["sections"]:
        r += 2
        ws.cell(row=r, column=1, value=sec["title"]).font = bold
        r += 1
        for j, h in enumerate(["Linje", "Scenarie", "Enhed", *(int(y) for y in ctx["years"])], 1):
            ws.cell(row=r, column=j, value=h).font = bold
        for g in sec["groups"]:
            for row in g["rows"]:
                r += 1
                ws.cell(row=r, column=1, value=g["label"])
                ws.cell(row=r, column=2, value=row["label"])
                ws.cell(row=r, column=3, value=g["unit"])
                for j, c in enumerate(row["cells"], 4):
                    cell = ws.cell(row=r, column=j, value=c["value"] if c["value"] is not None else DASH)
                    if c["value"] is not None:
                        cell.number_format = _number_format(c["value"])
                    if row["kind"] == "difference":
                        cell.font = bold
    _widths(ws, [40, 45, 10, *([12] * len(ctx["years"]))])
    return wb


def render_compare_xlsx(ctx: dict[str, Any]) -> bytes:
    return workbook_bytes(compare_workbook(ctx))
