"""Report contexts: a run's results as plain data (dicts of strings and numbers) for the templates.

Templates never see engine objects: every figure arrives here already formatted the Danish way
(``budgetmodel.fmt``) next to its number, and every chart arrives as geometry. The same context
feeds the Markdown, HTML, PDF and xlsx renderings, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from budgetmodel import fmt
from budgetmodel.reports.methods_section import methods_context
from budgetmodel.rates.book import RateValue
from budgetmodel.scenario.run import InitiativeCase, RunResult, Table, UsedInput
from budgetmodel.scenario.schema import Sourced
from budgetmodel.scenario.sensitivity import SensitivityResult

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
STATUS_DA = {
    "fra_notat": "fra notat",
    "derived": "afledt",
    "data": "statistik",
    "law": "lov",
    "assumption": "antagelse",
}
UNIT_DA = {
    "pct": "pct.",
    "share": "",
    "dkk": "kr.",
    "dkk_per_helaarsperson": "kr. pr. helårsperson",
    "dkk_per_month": "kr. pr. måned",
    "dkk_per_week": "kr. pr. uge",
    "dkk_per_year": "kr. pr. år",
    "weeks": "uger",
    "months": "måneder",
    "count": "",
    "percentage_points": "procentpoint",
}
STRONG_KINDS = {"total", "netto"}


def da_date(d: dt.date | str | None) -> str:
    if d is None:
        return ""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def digits_for(v: float, most: int = 3) -> int:
    """The fewest decimals (up to ``most``) that show ``v`` without losing a digit."""
    for d in range(most + 1):
        if abs(fmt.round_half_up(v, d) - v) < 1e-9:
            return d
    return most


def show_number(v: float) -> str:
    return fmt.number(v, digits_for(v))


def show_value(value: Any, unit: str) -> str:
    """A scenario input or a rate value as a person reads it."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dict):
        scale = 1.0
        suffix = ""
        if unit == "tdkk":
            suffix = " (1.000 kr.)"
        elif unit == "dkk":
            suffix = " kr."
        return "; ".join(f"{y}: {show_number(float(v) * scale)}" for y, v in sorted(value.items())) + suffix
    if unit == "date":
        return da_date(value)
    if isinstance(value, (int, float)):
        v = float(value)
        if unit == "share":
            return fmt.pct(v, digits_for(v * 100))
        if unit == "pct":
            return f"{show_number(v)} pct."
        if unit in ("dkk",):
            return fmt.kr(v, digits_for(v, 2))
        label = UNIT_DA.get(unit, "")
        return f"{show_number(v)} {label}".strip()
    return str(value)


def _cell(v: float, kind: str) -> dict[str, Any]:
    if kind == "count":
        d = digits_for(v, 1)
        r = fmt.round_half_up(v, d)
        return {"value": int(r) if d == 0 else r, "text": fmt.number(v, d)}
    if kind == "dkk":
        return {"value": int(fmt.round_half_up(v)), "text": fmt.number(v)}
    t = fmt.round_half_up(v / 1000.0)
    return {"value": int(t), "text": fmt.number(t)}


def table_ctx(t: Table, number: int | None = None, title: str | None = None) -> dict[str, Any]:
    """A table of lines by year in 1.000 kr. (rows of kind count/dkk shown as such)."""
    rows = []
    for ln in t.lines:
        cells = [{"year": y, **_cell(ln.dkk[y], ln.kind)} for y in t.years]
        unit_note = {"count": "antal", "dkk": "kr."}.get(ln.kind, "")
        rows.append({"key": ln.key, "label": ln.label, "kind": ln.kind, "strong": ln.kind in STRONG_KINDS, "unit_note": unit_note, "cells": cells})
    head = title or t.title
    return {
        "key": t.key,
        "number": number,
        "caption": (f"Tabel {number}. " if number else "") + head,
        "title": head,
        "unit": "1.000 kr.",
        "years": [str(y) for y in t.years],
        "rows": rows,
    }


def case_ctx(c: InitiativeCase, number: int) -> dict[str, Any]:
    rows = []
    for r in c.rows:
        value = fmt.round_half_up(r.value, digits_for(r.value, 2))
        value = int(value) if float(value).is_integer() else value
        rows.append({"label": r.label, "value": value, "text": fmt.number(r.value, digits_for(r.value, 2)), "working": r.working, "kind": r.kind, "strong": r.kind == "total", "unit": r.unit})
    return {"key": c.key, "number": number, "caption": f"Tabel {number}. Businesscase", "title": c.title, "rows": rows}


def _rel(path: str, base: Path) -> str:
    try:
        return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()
    except ValueError:
        return Path(path).name


def _rate_ctx(rv: RateValue) -> dict[str, Any]:
    cell = ", ".join(f"{k} = {v}" for k, v in sorted(rv.where.items())) or "alle"
    valid = f"fra {da_date(rv.valid_from)}" + (f" til {da_date(rv.valid_to)}" if rv.valid_to else "")
    return {
        "table": rv.table_id,
        "cell": cell,
        "value": show_value(rv.value, rv.unit),
        "number": rv.value if isinstance(rv.value, (int, float)) and not isinstance(rv.value, bool) else None,
        "unit": rv.unit,
        "valid": valid,
        "source": rv.source,
        "status": STATUS_DA.get(rv.status, rv.status),
        "note": rv.note,
    }


def _input_ctx(u: UsedInput) -> dict[str, Any]:
    return {
        "path": u.path,
        "label": u.label,
        "value": show_value(u.value, u.unit),
        "number": u.value if isinstance(u.value, (int, float)) and not isinstance(u.value, bool) else None,
        "unit": u.unit,
        "source": u.source,
        "status": STATUS_DA.get(u.status, u.status),
        "note": u.note,
    }


ASSUMPTION_LABELS = {
    "duration_effect": ("Kortere tid på ydelse for deltagere i virksomhedsrettede tilbud (andel)", "share"),
    "caseload_growth": ("Årlig vækst i sagsstammen", "share"),
}


def _assumptions(result: RunResult) -> list[dict[str, Any]]:
    s = result.scenario
    used = {u.path: u for u in result.used_inputs}
    out: list[UsedInput] = []
    for name, (label, unit) in ASSUMPTION_LABELS.items():
        path = f"assumptions.{name}"
        src: Sourced = getattr(s.assumptions, name)
        out.append(used.get(path) or UsedInput(path, label, src.value, unit, src.source, src.status.value, src.note))
    for u in result.used_inputs:
        if u.status == "assumption" and not u.path.startswith("assumptions."):
            out.append(u)
    items = [_input_ctx(u) for u in out]
    for it, (name, (label, _)) in zip(items, ASSUMPTION_LABELS.items()):
        it["label"] = label
    # the law read past what its sources establish (rates/ known_through) is an assumption too
    for a in result.assumed_unchanged:
        kt = dt.date.fromisoformat(a["known_through"])
        items.append({
            "path": f"rates.{a['table']}.known_through",
            "label": f"Lov antaget uændret efter {da_date(kt)}",
            "value": f"{a['table']} brugt til og med {da_date(dt.date.fromisoformat(a['latest']))}",
            "number": None,
            "unit": "text",
            "source": f"rates/{a['table']}.yaml (known_through {a['known_through']}): lov antaget uændret efter {a['known_through']}",
            "status": STATUS_DA.get("assumption", "assumption"),
            "note": "",
        })
    return items


def _law(result: RunResult) -> list[dict[str, Any]]:
    s = result.scenario
    law_text = result.law.describe() if result.law is not None else ""
    items = [
        {
            "title": "Refusionsregler",
            "date": da_date(s.law.as_if),
            "text": law_text,
            "source": s.law.note or "Scenariets lov (law)",
        },
    ]
    if s.law.rates_at is not None:
        items.append({"title": "Satser", "date": da_date(s.law.rates_at), "text": f"Ydelsessatser slås op pr. {da_date(s.law.rates_at)}.", "source": "rates/"})
    for ch in s.law.changes.values():
        items.append({"title": ch.title, "date": da_date(ch.in_force), "text": ch.note, "source": ch.source})
    return items


def _bar_geometry(values: list[tuple[str, float, float]], base: float, width: float = 360.0) -> dict[str, Any]:
    lo = min([base, *(min(a, b) for _, a, b in values)])
    hi = max([base, *(max(a, b) for _, a, b in values)])
    span = hi - lo or 1.0

    def x(v: float) -> float:
        return round((v - lo) / span * width, 1)

    return {"x": x, "lo": lo, "hi": hi}


def sensitivity_ctx(sens: SensitivityResult | None) -> dict[str, Any] | None:
    if sens is None:
        return None
    t = fmt.thousand
    label_w, bar_w, row_h, pad = 300.0, 330.0, 30.0, 10.0
    bars = []
    geo = _bar_geometry([(b.label, b.metric_low, b.metric_high) for b in sens.tornado], sens.base, bar_w) if sens.tornado else None
    for i, b in enumerate(sens.tornado):
        y = pad + i * row_h
        xb = geo["x"](sens.base)
        xl, xh = geo["x"](b.metric_low), geo["x"](b.metric_high)
        bars.append(
            {
                "label": b.label,
                "low": show_number(b.low),
                "high": show_number(b.high),
                "base_value": show_number(b.base_value),
                "metric_low": t(b.metric_low),
                "metric_high": t(b.metric_high),
                "metric_low_value": int(fmt.round_half_up(b.metric_low / 1000.0)),
                "metric_high_value": int(fmt.round_half_up(b.metric_high / 1000.0)),
                "swing": t(b.swing),
                "y": y,
                "text_y": y + 15,
                "low_x": label_w + min(xb, xl),
                "low_w": max(abs(xl - xb), 0.5),
                "high_x": label_w + min(xb, xh),
                "high_w": max(abs(xh - xb), 0.5),
            }
        )
    svg = None
    if bars:
        svg = {
            "width": label_w + bar_w + 20,
            "height": pad * 2 + len(bars) * row_h + 20,
            "base_x": label_w + geo["x"](sens.base),
            "axis_y": pad * 2 + len(bars) * row_h,
            "label_w": label_w,
            "lo_text": t(geo["lo"]),
            "hi_text": t(geo["hi"]),
            "hi_x": label_w + bar_w,
        }
    mc = None
    if sens.monte_carlo is not None:
        m = sens.monte_carlo
        params = []
        for p in m.parameters:
            if p["distribution"] == "triangular":
                dist = f"trekantfordeling {show_number(p['low'])} – {show_number(p['mode'])} – {show_number(p['high'])}"
            else:
                dist = f"ligefordeling {show_number(p['low'])} – {show_number(p['high'])}"
            params.append({"label": p["label"], "distribution": dist})
        mc = {
            "seed": str(m.seed),
            "draws": fmt.number(m.draws),
            "p10": t(m.p10),
            "p50": t(m.p50),
            "p90": t(m.p90),
            "p10_value": int(fmt.round_half_up(m.p10 / 1000.0)),
            "p50_value": int(fmt.round_half_up(m.p50 / 1000.0)),
            "p90_value": int(fmt.round_half_up(m.p90 / 1000.0)),
            "mean": t(m.mean),
            "params": params,
        }
    return {
        "metric_label": sens.metric_label,
        "base": t(sens.base),
        "base_value": int(fmt.round_half_up(sens.base / 1000.0)),
        "tornado": bars,
        "svg": svg,
        "mc": mc,
    }


def footer_ctx(result: RunResult) -> dict[str, Any]:
    base = Path(result.loaded.path).parent
    return {
        "model_version": result.model_version,
        "rates_fingerprint": result.rates_fingerprint,
        "input_hash": result.loaded.input_hash,
        "scenario_id": result.scenario.id,
        "files": [{"path": _rel(p, base), "sha256": h} for p, h in result.loaded.files],
    }


def memo_context(result: RunResult, sens: SensitivityResult | None = None) -> dict[str, Any]:
    """Everything a memo template needs, as plain data."""
    s = result.scenario
    memo = s.memo
    template = memo.template if memo is not None else ("businesscase" if s.initiatives and s.budget.budgetgaranti is None else ("reform" if s.budget.budgetgaranti else "budget"))
    sections: list[dict[str, Any]] = []
    n = 0

    def next_n() -> int:
        nonlocal n
        n += 1
        return n

    summary = list(memo.summary) if memo else []
    background = list(memo.background) if memo else []
    years = f"{s.years[0]}-{s.years[-1]}"
    sub = {t.key: t for t in result.sub_tables}

    if template == "businesscase":
        if summary:
            sections.append({"title": "Businesscase", "paragraphs": summary, "tables": [], "cases": []})
        if background:
            sections.append({"title": "Baggrund", "paragraphs": background, "tables": [], "cases": []})
        for c in result.initiatives:
            sections.append(
                {"title": "", "paragraphs": ["Nedenfor skitseres et forsigtigt skøn over besparelsen af omlægningen, jf. tabel 1:"], "tables": [], "cases": [case_ctx(c, next_n())]}
            )
        tables = [table_ctx(c.phased, next_n(), f"Økonomiske konsekvenser {years} i 1.000 kr.") for c in result.initiatives]
        paras = [
            f"Initiativet starter {da_date(s.initiatives[c.key].start)} og løber {s.initiatives[c.key].duration_months} måneder; "
            "et budgetår tæller den andel af året, initiativet løber. Udgifter er positive, besparelser negative."
            for c in result.initiatives
        ]
        if result.budget is not None and any(ln.kind == "line" for ln in result.budget.lines):
            tables.append(table_ctx(result.budget, next_n(), f"Samlet budgetudfordring {years} i 1.000 kr."))
        sections.append({"title": "Økonomiske konsekvenser", "paragraphs": paras, "tables": tables, "cases": []})
    elif template == "reform":
        if summary:
            sections.append({"title": "Sammenfatning", "paragraphs": summary, "tables": [], "cases": []})
        tables = []
        if "budgetgaranti" in sub:
            tables.append(table_ctx(sub["budgetgaranti"], next_n(), f"Kontanthjælpsreformen: økonomiske konsekvenser {years} i 1.000 kr."))
        if result.budget is not None:
            tables.append(table_ctx(result.budget, next_n(), f"Samlet budgetudfordring {years} i 1.000 kr."))
        sections.append({"title": "Økonomiske konsekvenser", "paragraphs": [], "tables": tables, "cases": []})
        if background:
            sections.append({"title": "Baggrund", "paragraphs": background, "tables": [], "cases": []})
        detail = [table_ctx(sub[k], next_n(), f"{sub[k].title} i 1.000 kr.") for k in sub if k != "budgetgaranti"]
        if detail:
            sections.append({"title": "Deltabeller", "paragraphs": [], "tables": detail, "cases": []})
        for c in result.initiatives:
            case = case_ctx(c, next_n())  # the memo shows the business case before its phasing
            sections.append(
                {
                    "title": f"Modgående initiativ: {c.title}",
                    "paragraphs": [],
                    "tables": [table_ctx(c.phased, next_n(), f"{c.title} {years} i 1.000 kr.")],
                    "cases": [case],
                }
            )
    else:
        if summary:
            sections.append({"title": "Sammenfatning", "paragraphs": summary, "tables": [], "cases": []})
        if background:
            sections.append({"title": "Baggrund", "paragraphs": background, "tables": [], "cases": []})
        tables = []
        if result.caseload is not None:
            tables.append(table_ctx(result.caseload, next_n(), f"{result.caseload.title}, {years}, 1.000 kr."))
        if result.budget is not None:
            tables.append(table_ctx(result.budget, next_n(), f"Budgetlinjer {years} i 1.000 kr."))
        sections.append({"title": "Økonomiske konsekvenser", "paragraphs": [], "tables": tables, "cases": []})

    used_rates = [_rate_ctx(rv) for rv in result.used_rates]
    inputs = [_input_ctx(u) for u in result.used_inputs if u.status != "assumption" and not u.path.startswith("law.")]
    checks = result.checks
    return {
        "template": template,
        "lang": "da",
        "heading": memo.heading if memo else s.title,
        "subheading": memo.subheading if memo else "",
        "date": da_date(memo.date) if memo and memo.date else "",
        "author": memo.author if memo else "",
        "journal": memo.journal if memo else "",
        "municipality": s.municipality.name,
        "memo_source": memo.source if memo else "",
        "scenario_title": s.title,
        "sections": sections,
        "assumptions": _assumptions(result),
        "law": _law(result),
        "sensitivity": sensitivity_ctx(sens),
        "rates": used_rates,
        "inputs": inputs,
        "checks": {
            "count": len(checks),
            "ok": sum(1 for c in checks if c["ok"]),
            "failed": [{"line": c["line"], "year": c["year"], "printed": fmt.number(c["printed"]), "computed": fmt.number(c["computed"])} for c in checks if not c["ok"]],
            "rounding": [
                {"table": c.get("table", ""), "line": c["line"], "year": c["year"], "printed": fmt.number(c["printed"]), "parts": fmt.number(c["document_sum"]), "by": fmt.number(c["rounding_break"])}
                for c in checks
                if "rounding_break" in c
            ],
        },
        "footer": footer_ctx(result),
        "methods": methods_context(s, result.loaded.path),  # issue 15: the scenario's `methods:` section
    }
