"""When each benefit and activation code can be priced, read from the refund tables in ``rates/``.

A benefit code is priced in a week when the 2014 table (``refusion_forsoergelse``) has a value
for it, or when the staircase regime is in force for it: ``refusionstrappe`` for the refunded
benefits, ``dagpenge_medfinansiering`` for the co-financed ones (LBK nr. 221 af 12/02/2021 § 5,
stk. 2-3). An activation code matters under the 2014 rules only (the staircase ignores it), so it
is valid where the 2014 table has it, and in every staircase week. A table that has no dimension
for the code's kind applies to every code of that kind.
"""

from __future__ import annotations

import datetime as dt

from budgetmodel.codes import ACTIVATIONS, BENEFITS, CODE_NAMES
from budgetmodel.rates.book import RateBook
from budgetmodel.rates.schema import ANY

Period = tuple[dt.date, dt.date | None]


def _periods(book: RateBook, table_id: str, dim: str, code: str) -> list[Period]:
    if table_id not in book.tables:
        return []
    t = book.table(table_id)
    has_dim = dim in t.dims
    return [(start, end) for start, end in t.periods() if not has_dim or any(v.where.get(dim, ANY) in (code, ANY) for v in t.in_force(start))]


def merge(periods: list[Period]) -> list[Period]:
    """Union of periods; adjacent ones (one ending the day before the next starts) join."""
    out: list[Period] = []
    for start, end in sorted(periods, key=lambda p: (p[0], p[1] or dt.date.max)):
        if out:
            s0, e0 = out[-1]
            if e0 is None or start <= e0 + dt.timedelta(days=1):
                out[-1] = (s0, None if (e0 is None or end is None) else max(e0, end))
                continue
        out.append((start, end))
    return out


def code_validity(book: RateBook) -> dict[str, list[dict]]:
    """{"benefit": [{code, name, valid: [{from, to}], tables}], "activation": [...]}"""
    from budgetmodel.financing.shares import COFINANCED_BENEFITS, TABLE_2014, TABLE_COFINANCING, TABLE_TRAPPE

    def entry(code: str, periods: dict[str, list[Period]]) -> dict:
        used = {t: p for t, p in periods.items() if p}
        return {
            "code": code,
            "name": CODE_NAMES.get(code, ""),
            "valid": [{"from": s.isoformat(), "to": e.isoformat() if e else None} for s, e in merge([p for ps in used.values() for p in ps])],
            "tables": sorted(used),
        }

    benefits = []
    for b in BENEFITS:
        staircase = TABLE_COFINANCING if b in COFINANCED_BENEFITS else TABLE_TRAPPE
        benefits.append(entry(b, {TABLE_2014: _periods(book, TABLE_2014, "benefit", b), staircase: _periods(book, staircase, "benefit", b)}))
    activations = []
    for a in ACTIVATIONS:
        activations.append(
            entry(a, {TABLE_2014: _periods(book, TABLE_2014, "activation", a), TABLE_TRAPPE: _periods(book, TABLE_TRAPPE, "activation", a)})
        )
    return {"benefit": benefits, "activation": activations}
