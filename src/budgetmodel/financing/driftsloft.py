"""The driftsloft: the state refunds operating costs of active offers only up to a ceiling per
helårsperson (seed 004, 'Driftsloft aktiveringsindsats' and 'Genberegning af driftsloftet').

Per loft group (``rates/driftsloft_gruppe``), the rådighedsbeløb is loft × the group's
helårspersoner, and

    refund = rate × min(refundable expenses, rådighedsbeløb)

The part of the refundable expenses above the rådighedsbeløb is reported with the refund it
loses. The rate comes from ``rates/refusion_driftsudgifter``: an expense whose rate is 0 gets no
refund and does not use the loft — notably 'vejledning og opkvalificering' for jobparate
kontanthjælpsmodtagere in months 1-24 of the kontanthjælp period (seed 004 l. 1629).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.inputs import DriftsloftInput, DriftsloftLossInput
from budgetmodel.rates import RateBook, RateValue

LOFT = "driftsloft"
GROUP = "driftsloft_gruppe"
COVERED = "driftsloft_omfattet"
RATE = "refusion_driftsudgifter"


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
    rows: dict[str, list[tuple[float, float, RateValue]]] = {}
    for i, e in enumerate(inp.expenses):
        where = f"expenses[{i}]"
        try:
            covered = book.value(COVERED, at, expense=e.expense)
        except KeyError as exc:
            problems.append(Problem("driftsloft", None, where, str(exc)))
            continue
        if not covered:
            problems.append(Problem("driftsloft", None, f"{where}.expense", f"udgiftstypen '{e.expense}' refunderes ikke inden for driftsloftet ({COVERED})"))
            continue
        try:
            g = loft_group_of(book, at, e.target_group)
            rate = book.lookup(RATE, at, target_group=e.target_group, expense=e.expense, benefit_month=e.benefit_month)
        except KeyError as exc:
            problems.append(Problem("driftsloft", None, where, f"ingen loftsgruppe eller refusionssats for {e.target_group}/{e.expense}: {exc}"))
            continue
        if g not in hp:
            problems.append(Problem("driftsloft", None, f"{where}.target_group", f"udgifter i loftsgruppen '{g}', men ingen helårspersoner i den"))
            continue
        rows.setdefault(g, []).append((e.dkk, float(rate.value) / 100.0, rate))
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
        sources = (lv, *unique_sources(r for _, _, r in items))
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
class DriftsloftLossYearResult:
    year: int
    helaarspersoner: float
    loss_dkk_per_helaarsperson: float
    loft_dkk_per_helaarsperson: float  # the loft the loss is measured against (for the memo's table)
    dkk: float  # the budget challenge: helårspersoner × loss


def driftsloft_loss_line(inp: DriftsloftLossInput, book: RateBook, at: dt.date | None = None) -> dict[int, DriftsloftLossYearResult]:
    """Seed 004's driftsloft line: 'tab pr. helårsperson' × helårspersoner, by year.

    The notat prints the loss per helårsperson against the genberegnet loft and the line in 1.000
    kr. but not the helårspersoner; the scenario carries them as derived inputs. Under the rule
    above the loss per helårsperson is rate × (expenses per helårsperson − loft) for a municipality
    whose expenses were below the old loft and above the new one; the notat does not print the
    expenses, so the loss is taken as printed. ``at`` (default: 1 January of each year) is where the
    loft is read, for the table only."""
    out: dict[int, DriftsloftLossYearResult] = {}
    for year, y in sorted(inp.years.items()):
        when = at or dt.date(year, 1, 1)
        # One loft figure for the table: the genberegnet loft applies to every loft group.
        lv = loft(book, when, "kontanthjaelp_dagpenge", inp.basis)
        out[year] = DriftsloftLossYearResult(
            year=year,
            helaarspersoner=y.helaarspersoner,
            loss_dkk_per_helaarsperson=y.loss_dkk_per_helaarsperson,
            loft_dkk_per_helaarsperson=float(lv.value),
            dkk=y.helaarspersoner * y.loss_dkk_per_helaarsperson,
        )
    return out
