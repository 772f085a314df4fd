"""The driftsloft: the state refunds operating costs of active offers only up to a ceiling per
helårsperson (seed 004, 'Driftsloft aktiveringsindsats' and 'Genberegning af driftsloftet').

Per loft group (``rates/driftsloft_gruppe``), the rådighedsbeløb is loft × the group's
helårspersoner, and

    refund = rate × min(refundable expenses, rådighedsbeløb)

The part of the refundable expenses above the rådighedsbeløb is reported with the refund it
loses. The rate comes from the refund gateway (``refund_rules.operating_refund``: ``rates/refusion_driftsudgifter``): an expense whose rate is 0 gets no
refund and does not use the loft — notably 'vejledning og opkvalificering' for jobparate
kontanthjælpsmodtagere in months 1-24 of the kontanthjælp period (seed 004 l. 1629).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.refund_rules import operating_refund
from budgetmodel.financing.inputs import DriftsloftInput, DriftsloftRecomputationInput
from budgetmodel.rates import RateBook, RateValue

LOFT = "driftsloft"
GROUP = "driftsloft_gruppe"
COVERED = "driftsloft_omfattet"


@dataclass(frozen=True)
class LoftGroupResult:
    loft_group: str
    helaarspersoner: float
    loft_dkk_per_helaarsperson: float
    raadighedsbeloeb_dkk: float  # loft × helårspersoner
    expenses_dkk: float  # every expense in the group, refundable or not
    refundable_dkk: float  # the expenses with a refund rate above 0
    full_refund_dkk: float  # the refund without a loft
    refund_dkk: float
    above_loft_dkk: float  # refundable expenses above the rådighedsbeløb
    lost_refund_dkk: float  # full_refund_dkk - refund_dkk
    sources: tuple[RateValue, ...]


@dataclass(frozen=True)
class DriftsloftResult:
    groups: dict[str, LoftGroupResult]

    @property
    def refund_dkk(self) -> float:
        return sum(g.refund_dkk for g in self.groups.values())

    @property
    def lost_refund_dkk(self) -> float:
        return sum(g.lost_refund_dkk for g in self.groups.values())

    @property
    def above_loft_dkk(self) -> float:
        return sum(g.above_loft_dkk for g in self.groups.values())


def unique_sources(values) -> tuple[RateValue, ...]:
    """Rate values without repeats, in a stable order (for citing)."""
    seen: dict[tuple, RateValue] = {}
    for v in values:
        seen.setdefault((v.table_id, tuple(sorted(v.where.items())), v.valid_from), v)
    return tuple(seen[k] for k in sorted(seen, key=repr))


def loft_group_of(book: RateBook, at: dt.date, target_group: str) -> str:
    return str(book.value(GROUP, at, target_group=target_group))


def loft(book: RateBook, at: dt.date, loft_group: str, basis: str) -> RateValue:
    return book.lookup(LOFT, at, loft_group=loft_group, basis=basis)


def driftsloft_refund(inp: DriftsloftInput, book: RateBook, at: dt.date) -> DriftsloftResult:
    """Refund of the operating costs of active offers within the driftsloft, by loft group."""
    problems: list[Problem] = []
    hp: dict[str, float] = {}
    for tg, n in inp.helaarspersoner.items():
        try:
            g = loft_group_of(book, at, tg)
        except KeyError:
            problems.append(Problem("driftsloft", None, f"helaarspersoner.{tg}", f"målgruppen '{tg}' er ikke under driftsloftet ({GROUP})"))
            continue
        hp[g] = hp.get(g, 0.0) + n
    rows: dict[str, list[tuple[float, float, tuple[RateValue, ...]]]] = {}
    for i, e in enumerate(inp.expenses):
        where = f"expenses[{i}]"
        try:
            op = operating_refund(book, target_group=e.target_group, expense=e.expense, benefit_month=e.benefit_month, at=at)
        except KeyError as exc:
            problems.append(Problem("driftsloft", None, where, f"ingen refusionssats for {e.target_group}/{e.expense}: {exc}"))
            continue
        if not op.within_driftsloft:
            problems.append(Problem("driftsloft", None, f"{where}.expense", f"udgiftstypen '{e.expense}' refunderes ikke inden for driftsloftet ({COVERED})"))
            continue
        try:
            g = loft_group_of(book, at, e.target_group)
        except KeyError as exc:
            problems.append(Problem("driftsloft", None, where, f"ingen loftsgruppe for {e.target_group}: {exc}"))
            continue
        if g not in hp:
            problems.append(Problem("driftsloft", None, f"{where}.target_group", f"udgifter i loftsgruppen '{g}', men ingen helårspersoner i den"))
            continue
        rows.setdefault(g, []).append((e.dkk, op.share, op.cites))
    if problems:
        raise InputError(problems)

    groups: dict[str, LoftGroupResult] = {}
    for g, n in sorted(hp.items()):
        lv = loft(book, at, g, inp.basis)
        cap = float(lv.value) * n
        items = rows.get(g, [])
        expenses = sum(d for d, _, _ in items)
        refundable = sum(d for d, r, _ in items if r > 0)
        full = sum(d * r for d, r, _ in items)
        # The loft caps the refundable expenses; with one rate (50 pct. for every offer under the
        # loft in 2014) this is rate × min(expenses, loft × helårspersoner). Mixed rates share the
        # cap in proportion to their expenses.
        refund = full * min(1.0, cap / refundable) if refundable > 0 else 0.0
        sources = (lv, *unique_sources(rv for _, _, cites in items for rv in cites))
        groups[g] = LoftGroupResult(
            loft_group=g,
            helaarspersoner=n,
            loft_dkk_per_helaarsperson=float(lv.value),
            raadighedsbeloeb_dkk=cap,
            expenses_dkk=expenses,
            refundable_dkk=refundable,
            full_refund_dkk=full,
            refund_dkk=refund,
            above_loft_dkk=max(0.0, refundable - cap),
            lost_refund_dkk=full - refund,
            sources=sources,
        )
    return DriftsloftResult(groups)


@dataclass(frozen=True)
class DriftsloftRecomputationYear:
    year: int
    helaarspersoner: float
    expenses_dkk: float
    old_loft_dkk_per_helaarsperson: float | None  # None: the old loft did not bind
    loft_dkk_per_helaarsperson: float  # the recomputed loft (one figure for the memo's table)
    old_refund_dkk: float
    refund_dkk: float
    dkk: float  # the budget challenge: the refund lost, old − new
    new: DriftsloftResult | None  # None: no driftsloft in force that year
    old: DriftsloftResult | None

    @property
    def loss_dkk_per_helaarsperson(self) -> float:
        return self.dkk / self.helaarspersoner if self.helaarspersoner else 0.0


def in_force(book: RateBook, at: dt.date) -> bool:
    """Whether the driftsloft is law at ``at`` (it ended after 2018 for kontanthjælp and mid-2019
    for dagpenge, L 76 2018-19; the rate table's validity says so)."""
    try:
        return bool(book.table(LOFT).in_force(at))
    except KeyError:
        return False


def driftsloft_recomputation(inp: DriftsloftRecomputationInput, book: RateBook, at: dt.date | None = None) -> dict[int, DriftsloftRecomputationYear]:
    """The refund lost when the loft is recomputed, by year:

        refund(loft) = rate × min(refundable expenses, loft × helårspersoner)   per loft group
        challenge    = refund(old loft) − refund(new loft)

    ``old_basis: ikke_bindende`` reads the old budget as refunding every refundable expense. A year
    with no driftsloft in force has no such line (0). ``at``: the date whose law is used for every
    year (default 1 January of each year)."""
    out: dict[int, DriftsloftRecomputationYear] = {}
    for year, y in sorted(inp.years.items()):
        when = at or dt.date(year, 1, 1)
        hp = sum(y.helaarspersoner.values())
        expenses = sum(e.dkk for e in y.expenses)
        if not in_force(book, when):
            out[year] = DriftsloftRecomputationYear(year, hp, expenses, None, 0.0, 0.0, 0.0, 0.0, None, None)
            continue
        new = driftsloft_refund(y.model_copy(update={"basis": inp.basis}), book, when)
        if inp.old_basis == "ikke_bindende":
            old = None
            old_refund = sum(g.full_refund_dkk for g in new.groups.values())
            old_loft = None
        else:
            old = driftsloft_refund(y.model_copy(update={"basis": inp.old_basis}), book, when)
            old_refund = old.refund_dkk
            old_loft = _one_loft(old)
        out[year] = DriftsloftRecomputationYear(
            year=year,
            helaarspersoner=hp,
            expenses_dkk=expenses,
            old_loft_dkk_per_helaarsperson=old_loft,
            loft_dkk_per_helaarsperson=_one_loft(new) or 0.0,
            old_refund_dkk=old_refund,
            refund_dkk=new.refund_dkk,
            dkk=old_refund - new.refund_dkk,
            new=new,
            old=old,
        )
    return out


def _one_loft(r: DriftsloftResult) -> float | None:
    """The loft per helårsperson for a table row: the helårspersoner-weighted loft of the groups."""
    hp = sum(g.helaarspersoner for g in r.groups.values())
    return sum(g.raadighedsbeloeb_dkk for g in r.groups.values()) / hp if hp else None
