"""The budgetgaranti: the bloktilskud follows the national change in the covered expenses, times the
municipality's share of the bloktilskud (seed 004 l. 650, 661-673; ``rates/budgetgaranti``).

    compensation   = national change in covered expenses × bloktilskud share
    budget challenge = the municipality's own change − compensation

A municipality with fewer recipients than its bloktilskud share (Lyngby-Taarbæk: 0,59 pct. of the
kontanthjælp recipients against 0,935 pct. of the bloktilskud) loses more bloktilskud than it saves
when a reform cuts the expenses: seed 004's reform table (l. 1581-1584) has the local change
−4.667 against the state's −7.084 in 2014 → a challenge of 2.417 (1.000 kr.).

Seed 004 prints the state's figure for the municipality ('Ifølge staten'); a part may give that
(``state_dkk``) or the national change (``national_covered_change_dkk``, multiplied by the share).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.inputs import BudgetgarantiInput
from budgetmodel.rates import RateBook

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
    compensation_from: str  # "state" (printed 'Ifølge staten') or "national" (× share)
    years: dict[int, BudgetgarantiYear]
    lines: dict[str, dict[int, float]]  # the detail lines as given

    def lines_sum_dkk(self, year: int) -> float:
        """The detail lines added up (seed 004's printed lines do not always add up to 'I alt')."""
        return sum(v.get(year, 0.0) for v in self.lines.values())


@dataclass(frozen=True)
class BudgetgarantiResult:
    label: str
    bloktilskud_share: float
    parts: dict[str, BudgetgarantiPartResult]
    total: dict[int, BudgetgarantiYear]


def compensation(national_change_dkk: float, bloktilskud_share: float) -> float:
    """The municipality's bloktilskud regulation for a national change in covered expenses."""
    return national_change_dkk * bloktilskud_share


def covered_national_change(changes: dict[str, float], book: RateBook, at: dt.date) -> float:
    """The national change in the expenses the budgetgaranti covers: only the expense codes flagged
    true in ``rates/budgetgaranti`` count (sygedagpenge, fleksjob, boligstøtte, mentor … do not)."""
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
        if p.state_dkk is not None:
            comp, source = dict(p.state_dkk), "state"
        else:
            comp = {y: compensation(v, inp.bloktilskud_share) for y, v in (p.national_covered_change_dkk or {}).items()}
            source = "national"
        years = {y: BudgetgarantiYear(local, comp[y]) for y, local in sorted(p.local_dkk.items())}
        parts[key] = BudgetgarantiPartResult(key, p.label, source, years, {k: dict(v) for k, v in p.lines.items()})
    common = sorted(set.intersection(*(set(r.years) for r in parts.values())))
    total = {
        y: BudgetgarantiYear(
            sum(r.years[y].local_dkk for r in parts.values()),
            sum(r.years[y].compensation_dkk for r in parts.values()),
        )
        for y in common
    }
    return BudgetgarantiResult(inp.label, inp.bloktilskud_share, parts, total)
