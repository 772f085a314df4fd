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
from budgetmodel.scenario.sensitivity import AUTO_PCT, SensitivityResult, measure_by_year, measure_of

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
STATUS_DA = {
    "fra_notat": "fra notat",
    "derived": "afledt",
    "data": "statistik",
    "law": "lov",
    "assumption": "antagelse",
    "reform": "reform (law.overrides)",
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


def cell_ctx(v: float, kind: str) -> dict[str, Any]:
    """One figure of a by-year table: ``value`` as printed (1.000 kr., or a count, or kroner for
    a per-unit 'dkk' line), ``raw`` unrounded in the same unit (for the xlsx), ``text`` in Danish."""
    if kind == "count":
        d = digits_for(v, 1)
        r = fmt.round_half_up(v, d)
        return {"value": int(r) if d == 0 else r, "raw": float(v), "text": fmt.number(v, d)}
    if kind == "dkk":
        return {"value": int(fmt.round_half_up(v)), "raw": float(v), "text": fmt.number(v)}
    t = fmt.round_half_up(v / 1000.0)
    return {"value": int(t), "raw": float(v) / 1000.0, "text": fmt.number(t)}


def table_ctx(t: Table, number: int | None = None, title: str | None = None) -> dict[str, Any]:
    """A table of lines by year in 1.000 kr. (rows of kind count/dkk shown as such)."""
    rows = []
    for ln in t.lines:
        cells = [{"year": y, **cell_ctx(ln.dkk[y], ln.kind)} for y in t.years]
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
            "date": da_date(s.law.as_if) if s.law.as_if is not None else "loven i kraft i hver uge",
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


def money_words(v_dkk: float) -> str:
    """An amount for a sentence: '5,3 mio' from a million, else to the nearest 1.000: '494.000'
    (followed by ' kr.' where the sentence goes on; see effect_words)."""
    a = abs(v_dkk)
    if fmt.round_half_up(a / 100_000.0) >= 10:
        return fmt.mio(a)
    return f"{fmt.number(fmt.round_half_up(a / 1000.0) * 1000)} kr."


def _sentence(text: str) -> str:
    """End a sentence with one full stop ('… 2,4 mio. kr.' is already ended)."""
    return text if text.endswith(".") else text + "."


def effect_words(v_dkk: float, saving: str = "en besparelse", cost: str = "en merudgift") -> str:
    """'en besparelse på 1,3 mio. kr.' (negative = saving) or 'en merudgift på 494.000 kr.'."""
    if abs(v_dkk) < 500:
        return "ingen nettovirkning"
    return f"{saving if v_dkk < 0 else cost} på {money_words(v_dkk)}"


def _yearly_phrase(by_year: dict[int, float], years: list[int]) -> str:
    """The steady yearly effect and the total: 'en besparelse på 1,3 mio. kr. om året fra 2015
    (i alt 3,9 mio. kr. i 2014-2017)'; a varying effect by its total."""
    k = [fmt.round_half_up(by_year[y] / 1000.0) for y in years]
    total = sum(by_year[y] for y in years)
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    best: tuple[int, int] | None = None
    i = 0
    while i < len(years):
        j = i
        while j + 1 < len(years) and k[j + 1] == k[i]:
            j += 1
        if k[i] != 0 and j > i and (best is None or abs(k[i]) > abs(k[best[0]])):
            best = (i, j)
        i = j + 1
    if len(years) > 1 and best is not None and abs(k[best[0]]) >= max(abs(v) for v in k):
        i, j = best
        v = by_year[years[i]]
        when = f"i {span}" if i == 0 and j == len(years) - 1 else f"fra {years[i]}"
        same_sign = (v < 0) == (total < 0)
        tail = f"i alt {money_words(total)} i {span}" if same_sign else f"i alt {effect_words(total)} i {span}"
        if j < len(years) - 1:
            tail = f"fuldt ud til og med {years[j]}; {tail}"
        return f"{effect_words(v)} om året {when} ({tail})"
    return f"{effect_words(total)} i alt i {span}"


def _break_even(by_year: dict[int, float], years: list[int], subject: str = "Initiativet") -> dict[str, Any]:
    """The first budget year in which the accumulated net effect is a saving (≤ 0)."""
    cum = 0.0
    for n, y in enumerate(years, 1):
        cum += by_year[y]
        if cum <= 0.5 and (n > 1 or by_year[y] < -0.5):
            if n == 1:
                text = f"{subject} giver en besparelse fra første år ({y}); der er ingen tilbagebetalingstid."
            else:
                text = _sentence(f"{subject} tjener sig hjem i {y} (år {n}): den akkumulerede nettovirkning {years[0]}-{y} er {effect_words(cum)}")
            return {"year": y, "year_number": n, "text": text}
    return {"year": None, "year_number": None, "text": _sentence(f"{subject} tjener sig ikke hjem i {years[0]}-{years[-1]}: den akkumulerede nettovirkning er {effect_words(cum)}")}


def answer_ctx(result: RunResult, sens: SensitivityResult | None) -> dict[str, Any] | None:
    """The answer first: the net effect by year and in total against the baseline, the
    break-even year, and the three assumptions that move it most."""
    s = result.scenario
    measure = sens.measure if sens is not None else measure_of(s)
    by_year = measure_by_year(result, measure)
    if by_year is None:
        return None
    years = list(s.years)
    total = sum(by_year[y] for y in years)
    rows = []
    if measure == "initiatives" and len(result.initiatives) > 1:
        for c in result.initiatives:
            ln = c.phased.line("total").dkk
            rows.append({"label": c.title, "strong": False, "cells": [cell_ctx(ln[y], "line") for y in years], "total": cell_ctx(sum(ln[y] for y in years), "line")})
    if measure == "initiatives":
        label = "Nettovirkning mod samme scenarie uden initiativ" + ("erne" if len(s.initiatives) > 1 else "et")
        subject = "Initiativerne giver" if len(s.initiatives) > 1 else f"{next(iter(s.initiatives.values())).title} giver"
        lead = f"{subject} {_yearly_phrase(by_year, years)} i forhold til samme scenarie uden {'initiativerne' if len(s.initiatives) > 1 else 'initiativet'}."
    elif measure == "budget":
        label = result.budget.lines[-1].label if result.budget is not None and result.budget.lines else "Budgettets bundlinje"
        lead = _sentence(f"Budgettets bundlinje ({label}) er {_yearly_phrase(by_year, years)}")
    else:
        label = "Kommunens nettoudgift til forsørgelse efter refusion"
        lead = _sentence(f"Kommunens nettoudgift til forsørgelse efter refusion er {_yearly_phrase(by_year, years).replace('en merudgift på ', '')}")
    rows.append({"label": label, "strong": True, "cells": [cell_ctx(by_year[y], "line") for y in years], "total": cell_ctx(total, "line")})
    drivers = []
    if sens is not None:
        for b in sens.tornado[:3]:
            drivers.append(
                {
                    "label": b.label,
                    "text": f"{b.label}: {show_value(b.low, b.unit)} til {show_value(b.high, b.unit)} giver {fmt.thousand(b.metric_low)} til {fmt.thousand(b.metric_high)} (1.000 kr.)",
                }
            )
    if drivers:
        rests = "Resultatet hviler især på" + (" (hver antagelse ±" + fmt.number(AUTO_PCT) + " pct.)" if sens is not None and sens.automatic else "") + ":"
    else:
        rests = "Ingen af de varierede forudsætninger flytter resultatet." if sens is not None else "Scenariet har ingen talmæssige antagelser at variere."
    return {
        "title": "Resultat",
        "lead": lead,
        "measure": measure,
        "unit": "1.000 kr.",
        "years": [str(y) for y in years],
        "rows": rows,
        "total_value": cell_ctx(total, "line")["value"],
        "break_even": _break_even(by_year, years, "Initiativerne" if len(s.initiatives) > 1 else "Initiativet") if measure == "initiatives" else None,
        "rests_on": rests,
        "drivers": drivers,
    }


def _tornado_ctx(sens: SensitivityResult) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
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
                "unit": b.unit,
                "low": show_value(b.low, b.unit),
                "high": show_value(b.high, b.unit),
                "low_number": b.low,
                "high_number": b.high,
                "base_value": show_value(b.base_value, b.unit),
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
    return bars, svg


def _mc_ctx(sens: SensitivityResult) -> dict[str, Any] | None:
    m = sens.monte_carlo
    if m is None:
        return None
    t = fmt.thousand
    params = []
    for p in m.parameters:
        u = p["unit"]
        if p["distribution"] == "triangular":
            dist = f"trekantfordeling {show_value(p['low'], u)} – {show_value(p['mode'], u)} – {show_value(p['high'], u)}"
        else:
            dist = f"ligefordeling {show_value(p['low'], u)} – {show_value(p['high'], u)}"
        params.append({"label": p["label"], "distribution": dist, "base": show_value(p["base"], u)})
    # the distribution as a histogram with the base case and P10/P50/P90 marked
    left, top, w, h = 50.0, 12.0, 560.0, 120.0
    lo, hi = m.histogram[0][0], m.histogram[-1][1]
    span = (hi - lo) or 1.0
    most = max(c for _, _, c in m.histogram) or 1

    def x(v: float) -> float:
        return round(left + (v - lo) / span * w, 1)

    bins = []
    for a, b, c in m.histogram:
        bh = round(c / most * h, 1)
        bins.append({"x": x(a), "w": max(round(x(b) - x(a) - 1, 1), 0.5), "y": round(top + h - bh, 1), "h": bh, "count": c, "from": t(a), "to": t(b)})
    marks = [{"x": x(v), "label": name, "text": t(v)} for name, v in (("P10", m.p10), ("P50", m.p50), ("P90", m.p90))]
    notes = []
    flat = abs(m.p90 - m.p10) < 0.5
    if flat:
        notes.append("P10, P50 og P90 er ens: de usikre forudsætninger flytter ikke resultatmålet.")
    if sens.base_outside_p10_p90:
        side = "under P10" if sens.base < m.p10 else "over P90"
        notes.append(
            f"Bemærk: grundberegningen ({t(sens.base)}) ligger {side} i sin egen Monte Carlo-fordeling (P10 {t(m.p10)} – P90 {t(m.p90)}); "
            "intervallerne ligger skævt om grundværdierne."
        )
    if m.at_edge:
        notes.append("Grundværdien ligger i kanten af intervallet for: " + ", ".join(m.at_edge) + "; fordelingen kan derfor kun flytte resultatet til den ene side.")
    if m.method == "loop":
        notes.append("Trækkene er regnet ét ad gangen (en hel beregning pr. træk), fordi en af de usikre forudsætninger (væksten i fremskrivningens tilgang) ikke kan regnes for alle træk på én gang.")
    return {
        "seed": str(m.seed),
        "draws": fmt.number(m.draws),
        "p10": t(m.p10),
        "p50": t(m.p50),
        "p90": t(m.p90),
        "p10_value": int(fmt.round_half_up(m.p10 / 1000.0)),
        "p50_value": int(fmt.round_half_up(m.p50 / 1000.0)),
        "p90_value": int(fmt.round_half_up(m.p90 / 1000.0)),
        "mean": t(m.mean),
        "method": m.method,
        "base_below_pct": fmt.pct(m.base_share_below),
        "params": params,
        "notes": notes,
        "flat": flat,
        "base_outside": sens.base_outside_p10_p90,
        "svg": {
            "width": left + w + 20,
            "height": top + h + 42,
            "left": left,
            "right": left + w,
            "top": top,
            "bottom": top + h,
            "bins": bins,
            "marks": marks,
            "base_x": x(sens.base),
            "base_text": t(sens.base),
            "lo_text": t(lo),
            "hi_text": t(hi),
        },
    }


def sensitivity_ctx(sens: SensitivityResult | None) -> dict[str, Any] | None:
    if sens is None:
        return None
    bars, svg = _tornado_ctx(sens)
    unmoved = [{"label": b.label, "low": show_value(b.low, b.unit), "high": show_value(b.high, b.unit)} for b in sens.unmoved]
    intro = f"Resultatmål: {sens.metric_label}"
    if sens.automatic:
        intro += f". Scenariet har ingen følsomhedsafsnit; her varieres hver talmæssig antagelse ±{fmt.number(AUTO_PCT)} pct., én ad gangen"
    return {
        "measure": sens.measure,
        "metric_label": sens.metric_label,
        "intro": intro,
        "automatic": sens.automatic,
        "base": fmt.thousand(sens.base),
        "base_value": int(fmt.round_half_up(sens.base / 1000.0)),
        "tornado": bars,
        "unmoved": unmoved,
        "svg": svg,
        "mc": _mc_ctx(sens),
    }


def title_note(result: RunResult) -> str:
    """A scenario priced as if another date's law applied (law.as_if) says so in its title line."""
    as_if = getattr(result.scenario.law, "as_if", None)
    if not as_if:
        return ""
    return f"prissat efter loven pr. {da_date(as_if)} i alle år"


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
            case = case_ctx(c, next_n())
            title = c.title if len(result.initiatives) > 1 else ""
            sections.append({"title": title, "paragraphs": [f"Nedenfor skitseres initiativets årlige økonomi ved fuld virkning, jf. tabel {case['number']}:"], "tables": [], "cases": [case]})
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
        "title_note": title_note(result),
        "answer": answer_ctx(result, sens),
        "toc": False,  # a table of contents: set by the PDF rendering for memos over three pages
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
        "methods": methods_context(s, result.loaded.path, result.loaded.aux),  # issue 15: the scenario's `methods:` section
    }
