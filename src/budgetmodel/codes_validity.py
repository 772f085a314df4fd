"""When and how each benefit and activation code is priced, read from the refund tables in ``rates/``.

A benefit code: under the 2014 rules where ``refusion_forsoergelse`` has a value for it; from the
refusionstrappe's start as ``refusionstrappe_omfattede_ydelser`` says at each date (``refusion``,
``medfinansiering``, ``ikke_omfattet`` or ``stoettet_beskaeftigelse``; LBK nr. 221 af 12/02/2021
§ 5, stk. 2-3 and § 6, stk. 2). Midlertidig arbejdsmarkedsydelse before the staircase: the
municipality's contribution by offer (``medfinansiering_arbejdsmarkedsydelse`` and its offer
deadline). An activation code matters under the 2014 rules only; on the staircase every activation
is priced alike.
"""

from __future__ import annotations

import datetime as dt

from budgetmodel.codes import ACTIVATIONS, BENEFITS, CODE_NAMES
from budgetmodel.financing import refund_rules as rr
from budgetmodel.rates.book import RateBook
from budgetmodel.rates.schema import ANY

Period = tuple[dt.date, dt.date | None, str]  # from, to (inclusive; None = open), how it is priced

REGIME_TEXT = {
    "2014": "2014-reglerne (refusion_forsoergelse)",
    rr.COVERED_REFUND: "refusion efter refusionstrappen",
    rr.COVERED_COFINANCING: "medfinansiering efter trappen",
    rr.NOT_COVERED: "ikke omfattet (statens andel 0)",
    rr.SUBSIDISED: "støttet beskæftigelse uden ydelse (tæller hverken med eller som selvforsørgelse)",
    "trappe": "refusionstrappen (aktiveringen har ingen betydning)",
    "arbejdsmarkedsydelse": "kommunens bidrag efter tilbud og tilbudsfrist (medfinansiering_arbejdsmarkedsydelse)",
}


def _periods(book: RateBook, table_id: str, dim: str, code: str, label: str | None = None) -> list[Period]:
    """The periods in which ``table_id`` has a value for ``code`` (or for any code), each labelled
    ``label`` or, for a text table, with the value in force."""
    if table_id not in book.tables:
        return []
    t = book.table(table_id)
    out: list[Period] = []
    for start, end in t.periods():
        hits = [v for v in t.in_force(start) if dim not in t.dims or v.where.get(dim, ANY) in (code, ANY)]
        if hits:
            out.append((start, end, label if label is not None else str(hits[0].value)))
    return out


def merge(periods: list[Period]) -> list[Period]:
    """Periods in date order; touching or overlapping ones with the same label join."""
    out: list[Period] = []
    for start, end, label in sorted(periods, key=lambda p: (p[0], p[1] or dt.date.max)):
        if out:
            s0, e0, l0 = out[-1]
            if l0 == label and (e0 is None or start <= e0 + dt.timedelta(days=1)):
                out[-1] = (s0, None if (e0 is None or end is None) else max(e0, end), l0)
                continue
        out.append((start, end, label))
    return out


def _clip(periods: list[Period], before: dt.date | None = None) -> list[Period]:
    """The parts of periods before a date (the 2014 rules stop where the staircase starts)."""
    if before is None:
        return periods
    last = before - dt.timedelta(days=1)
    return [(s, last if (e is None or e > last) else e, lab) for s, e, lab in periods if s <= last]


def code_validity(book: RateBook) -> dict[str, list[dict]]:
    """{"benefit": [{code, name, valid: [{from, to, regime, text}], tables}], "activation": [...]}"""
    start = rr.staircase_rules(book).start if rr.TABLE_RULES in book.tables else None

    def entry(code: str, parts: dict[str, list[Period]]) -> dict:
        used = {t: p for t, p in parts.items() if p}
        periods = merge([p for ps in used.values() for p in ps])
        return {
            "code": code,
            "name": CODE_NAMES.get(code, ""),
            "valid": [{"from": s.isoformat(), "to": e.isoformat() if e else None, "regime": lab, "text": REGIME_TEXT.get(lab, lab)} for s, e, lab in periods],
            "tables": sorted(used),
        }

    def contribution(b: str) -> dict[str, list[Period]]:
        """Midlertidig arbejdsmarkedsydelse before the staircase, from the first day the law prices."""
        if b != rr.AMY:
            return {}
        first = rr.law_span(book).first if rr.TABLE_HORIZON in book.tables and rr.TABLE_2014 in book.tables else None
        out = {}
        for tid, dim, code in ((rr.TABLE_AMY, "benefit", b), (rr.TABLE_AMY_RULES, "parameter", "tilbudsfrist_uger")):
            parts = _clip(_periods(book, tid, dim, code, "arbejdsmarkedsydelse"), start)
            out[tid] = [(max(s, first), e, lab) for s, e, lab in parts if e is None or e >= first] if first else parts
        return out

    benefits = [
        entry(b, {rr.TABLE_2014: _clip(_periods(book, rr.TABLE_2014, "benefit", b, "2014"), start), rr.TABLE_COVERAGE: _periods(book, rr.TABLE_COVERAGE, "benefit", b)} | contribution(b))
        for b in BENEFITS
    ]
    activations = [
        entry(a, {rr.TABLE_2014: _clip(_periods(book, rr.TABLE_2014, "activation", a, "2014"), start), rr.TABLE_TRAPPE: _periods(book, rr.TABLE_TRAPPE, "activation", a, "trappe")})
        for a in ACTIVATIONS
    ]
    return {"benefit": benefits, "activation": activations}
