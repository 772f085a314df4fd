"""Printed figures as checks: what a document prints (a reform table's 'I alt', 'Ifølge staten',
'Forskel', a budget line, a loss per helårsperson) is compared with the figure the run computed
from its causes, never used as an input.

A check is plain data: ``table``, ``line``, ``year``, ``unit`` (tdkk, dkk or count, as printed),
``printed``, ``computed`` (rounded as the document rounds), ``difference`` (computed − printed),
``ok``, ``unrounded`` (the computed figure before rounding) and ``rounding_difference`` (unrounded −
printed: the published figure is a check of the computed one, reported with its rounding). Where the document's own printed parts do not give its printed total (its lines against its
'I alt', 'I alt' − 'Ifølge staten' against 'Forskel', the budget lines against 'Samlet
budgetudfordring'), the check also holds ``document_sum`` (what the printed parts give) and
``rounding_break`` (printed total − document_sum): by how much the document's own rounding breaks
the sum. The model adds unrounded figures, as the document did.
"""

from __future__ import annotations

from typing import Any

from budgetmodel import fmt
from budgetmodel.scenario.schema import Scenario, Series

Part = tuple[int, "Series | None"]  # (sign, printed series)


def _shown(value: float, unit: str) -> float:
    if unit == "tdkk":
        return float(fmt.round_half_up(value / 1000.0))
    if unit == "count":
        return float(fmt.round_half_up(value, 1))
    return float(fmt.round_half_up(value))


def _printed(ser: Series, year: int) -> float | None:
    """The figure as printed (a ReformLine's ``printed`` where its value is a reading)."""
    printed = getattr(ser, "printed", None)
    if printed and year in printed:
        return float(printed[year])
    v = ser.by_year.get(year) if ser.by_year is not None else None  # a computed reform line prints only what `printed` holds
    return None if v is None else float(v)


def _in_unit(ser: Series, unit: str, year: int) -> float | None:
    """A printed part in the unit of the total it adds to."""
    v = _printed(ser, year)
    if v is None:
        return None
    dkk = v * 1000.0 if ser.unit == "tdkk" else v
    return _shown(dkk, unit) if unit != ser.unit else v


def figure_checks(s: Scenario, budget: Any, sub: dict[str, Any], years: list[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def check(table: str, label: str, ser: Series | None, computed_dkk: dict[int, float] | None, parts: list[Part] | None = None) -> None:
        if ser is None or computed_dkk is None:
            return
        for y in years:
            printed = _printed(ser, y)
            if printed is None or y not in computed_dkk:
                continue
            unit = ser.unit
            computed = _shown(computed_dkk[y], unit)
            unrounded = computed_dkk[y] / 1000.0 if unit == "tdkk" else computed_dkk[y]
            row: dict[str, Any] = {
                "table": table,
                "line": label,
                "year": y,
                "unit": unit,
                "printed": printed,
                "computed": computed,
                "difference": computed - printed,
                "ok": computed == printed,
                "unrounded": unrounded,  # the computed figure before the document's rounding, in its unit
                "rounding_difference": unrounded - printed,  # how far the printed figure is from the computed one
            }
            if parts:
                vals = [(sign, None if p is None else _in_unit(p, unit, y)) for sign, p in parts]
                if all(v is not None for _, v in vals):
                    doc = sum(sign * v for sign, v in vals)  # type: ignore[operator]
                    if doc != printed:
                        row["document_sum"] = doc
                        row["rounding_break"] = printed - doc
            out.append(row)

    def line_dkk(table: Any, key: str) -> dict[int, float] | None:
        if table is None:
            return None
        try:
            return table.line(key).dkk
        except KeyError:
            return None

    b = s.budget
    bg = b.budgetgaranti
    if bg is not None:
        for key, part in bg.parts.items():
            t = sub.get(f"budgetgaranti_{key}")
            for lk, ln in part.lines.items():
                if getattr(ln, "printed", None):
                    check(part.title, ln.label or lk, ln, line_dkk(t, lk))
            check(part.title, "I alt", part.local, line_dkk(t, "local"), [(1, ln) for ln in part.lines.values()])
            check(part.title, "Ifølge staten", part.state, line_dkk(t, "state"))
            check(part.title, "Forskel", part.difference, line_dkk(t, "difference"), [(1, part.local), (-1, part.state)])
        if bg.summary is not None:
            t = sub.get("budgetgaranti")
            sm = bg.summary
            check(bg.title, "I alt", sm.local, line_dkk(t, "local"), [(1, p.local) for p in bg.parts.values()])
            check(bg.title, "Ifølge staten", sm.state, line_dkk(t, "state"), [(1, p.state) for p in bg.parts.values()])
            check(bg.title, "Forskel", sm.difference, line_dkk(t, "difference"), [(1, sm.local), (-1, sm.state)])
    if b.driftsloft is not None:
        t = sub.get("driftsloft")
        check("Genberegning af driftsloftet", "Tab pr. helårsperson i kr.", b.driftsloft.loss_dkk_per_helaarsperson, line_dkk(t, "loss"))

    printed_lines: list[Part] = []
    if budget is not None:
        keys = {ln.key for ln in budget.lines}
        pairs: list[tuple[str, Series | None]] = []
        if bg is not None:
            pairs.append(("reform", bg.summary.difference if bg.summary is not None else None))
        if b.mentor is not None:
            pairs.append(("mentor", b.mentor.challenge))
        if b.driftsloft is not None:
            pairs.append(("driftsloft", b.driftsloft.challenge))
        for key, ser in pairs:
            printed_lines.append((1, ser))
            if key in keys:
                check("Budgetlinjer", budget.line(key).label, ser, budget.line(key).dkk)
        for key, ser in b.fixed_lines.items():
            printed_lines.append((1, ser))
        if "oevo_mentor" in keys:
            printed_lines.append((1, None))  # no printed figure: no document sum
        total = getattr(b, "total", None)
        if "total" in keys:
            check("Budgetlinjer", budget.line("total").label, total, budget.line("total").dkk, printed_lines)
        netto = getattr(b, "netto", None)
        if "netto" in keys:
            check("Budgetlinjer", budget.line("netto").label, netto, budget.line("netto").dkk)
    return out
