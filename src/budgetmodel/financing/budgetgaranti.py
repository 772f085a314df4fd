"""The budgetgaranti and a reform's consequences: the bloktilskud follows the national change in the
covered expenses (or the DUT), times the municipality's share of the key the law uses — the
bloktilskud, or the covered expenses (seed 004 l. 650, 661-673; ``rates/budgetgaranti``).

    local          = the sum of the reform's lines (each computed by the model or given with its source)
    state          = national amount × the municipality's share of the key
    budget challenge = local − state

A municipality with fewer recipients than its bloktilskud share (Lyngby-Taarbæk: 0,59 pct. of the
kontanthjælp recipients against 0,935 pct. of the bloktilskud) loses more bloktilskud than it saves
when a reform cuts the expenses: seed 004's reform table (l. 1581-1584) has the local change
−4.667 against the state's −7.084 in 2014 → a challenge of 2.417 (1.000 kr.). The printed 'I alt',
'Ifølge staten' and 'Forskel' are checks against these computed figures, never inputs.

From 2026 the ØVO and mentor expenses count in the budgetgaranti's efterregulering only up to a
limit per fuldtidsperson (LAB § 203 a, L 77 2025-26; ``rates/beloebsgraense_oevo_mentor``): the
spending above limit × fuldtidspersoner is carried by the municipality itself
(:func:`oevo_mentor_excess`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budgetmodel.draws import vmax
from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.inputs import BudgetgarantiInput, OevoMentorInput
from budgetmodel.rates import RateBook, RateValue

COVERED = "budgetgaranti"


@dataclass(frozen=True)
class BudgetgarantiYear:
    local_dkk: float
    compensation_dkk: float

    @property
    def challenge_dkk(self) -> float:
        """Positive = the municipality's budget gets worse (it saves less than its bloktilskud falls)."""
        return self.local_dkk - self.compensation_dkk


@dataclass(frozen=True)
class BudgetgarantiPartResult:
    key: str
    label: str
    key_name: str  # "bloktilskud" or "covered_expenses"
    key_share: float
    national_dkk: dict[int, float]
    years: dict[int, BudgetgarantiYear]
    lines: dict[str, dict[int, float]]  # the lines that make up the local change


@dataclass(frozen=True)
class BudgetgarantiResult:
    label: str
    bloktilskud_share: float
    parts: dict[str, BudgetgarantiPartResult]
    total: dict[int, BudgetgarantiYear]


def compensation(national_change_dkk: float, share: float) -> float:
    """The municipality's bloktilskud regulation for a national amount at its share of the key."""
    return national_change_dkk * share


def covered_national_change(changes: dict[str, float], book: RateBook, at: dt.date) -> float:
    """The national change in the expenses the budgetgaranti covers: only the expense codes flagged
    true in ``rates/budgetgaranti`` count (sygedagpenge, fleksjob, boligstøtte … do not)."""
    problems: list[Problem] = []
    total = 0.0
    for code, dkk in changes.items():
        try:
            if book.value(COVERED, at, expense=code):
                total += dkk
        except KeyError as exc:
            problems.append(Problem("budgetgaranti", None, code, f"ukendt udgiftsart: {exc}"))
    if problems:
        raise InputError(problems)
    return total


def budgetgaranti(inp: BudgetgarantiInput) -> BudgetgarantiResult:
    parts: dict[str, BudgetgarantiPartResult] = {}
    for key, p in inp.parts.items():
        years = {
            y: BudgetgarantiYear(sum(line[y] for line in p.lines.values()), compensation(national, p.key_share))
            for y, national in sorted(p.national_dkk.items())
        }
        parts[key] = BudgetgarantiPartResult(key, p.label, p.key, p.key_share, dict(p.national_dkk), years, {k: dict(v) for k, v in p.lines.items()})
    common = sorted(set.intersection(*(set(r.years) for r in parts.values())))
    total = {
        y: BudgetgarantiYear(
            sum(r.years[y].local_dkk for r in parts.values()),
            sum(r.years[y].compensation_dkk for r in parts.values()),
        )
        for y in common
    }
    return BudgetgarantiResult(inp.label, inp.bloktilskud_share, parts, total)


LIMIT = "beloebsgraense_oevo_mentor"


@dataclass(frozen=True)
class OevoMentorYearResult:
    year: int
    spending_dkk: float
    fuldtidspersoner: float
    limit_dkk_per_fuldtidsperson: float | None  # None: no limit in force that year
    covered_dkk: float  # the spending the budgetgaranti counts
    excess_dkk: float  # carried by the municipality itself
    source: RateValue | None


def oevo_mentor_excess(inp: OevoMentorInput, book: RateBook, at: dt.date | None = None) -> dict[int, OevoMentorYearResult]:
    """LAB § 203 a (from 2026): ØVO + mentor spending above limit × fuldtidspersoner is not counted in
    the budgetgaranti's efterregulering; the municipality carries it. A year without a limit in
    force (before 2026) has no excess."""
    if LIMIT not in book.tables:
        raise InputError([Problem("oevo_mentor", None, LIMIT, f"satstabellen '{LIMIT}' (beløbsgrænsen for ØVO og mentor, LAB § 203 a) findes ikke i satsbogen")])
    out: dict[int, OevoMentorYearResult] = {}
    for year, y in sorted(inp.years.items()):
        when = at or dt.date(year, 1, 1)
        try:
            rv: RateValue | None = book.lookup(LIMIT, when)
        except KeyError:
            rv = None
        if rv is None:
            out[year] = OevoMentorYearResult(year, y.spending_dkk, y.fuldtidspersoner, None, y.spending_dkk, 0.0, None)
            continue
        cap = float(rv.value) * y.fuldtidspersoner
        excess = vmax(0.0, y.spending_dkk - cap)
        out[year] = OevoMentorYearResult(year, y.spending_dkk, y.fuldtidspersoner, float(rv.value), y.spending_dkk - excess, excess, rv)
    return out
