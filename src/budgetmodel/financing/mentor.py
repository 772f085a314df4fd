"""Mentor refunds and the mentorramme (seed 004, 'Loft over mentorstøtte' and 'Mentorudgifter').

Rule (LAB § 121 a from 1 January 2014; seed 004 l. 615-616, 635-637, 1630): the state refunds 50
pct. of mentor expenses for target groups that are not employed, dagpenge or jobparate
kontanthjælp (those get 0 pct.; rates in ``rates/refusion_driftsudgifter``). For the groups under the
ramme (``rates/mentorramme``: aktivitetsparate etc.) the refund is capped by the municipality's
udmeldte ramme; ressourceforløb has no upper limit.

Reading of the ramme (written down in ``rates/mentorramme.yaml`` too): the ramme is an amount of
REFUND — the municipality's share (by its share of kontanthjælp recipients in match groups 2-3) of
the Finanslov appropriation for mentors, i.e. of state money. So

    refund under the ramme = min(rate × expenses of the capped groups, ramme)

and the budget challenge is the refund lost to the ramme: max(0, rate × capped expenses − ramme).

Seed 004's mentor table (l. 1655-1662) prints the municipality's mentor BUDGET, which we read as
its net budget after the 50 pct. refund it counted on (``basis: net``). At 50 pct. the expected
refund equals that net budget, so the loss is the printed arithmetic: øvrige målgrupper 3.166 +
the wider target group 726 − ramme 2.130,576 = 1.761,424 (1.000 kr.) in 2014, and 3.166 + 393 −
2.130,576 = 1.428,424 in 2015-2017. The notat's words match: 'mister refusion svarende til 1,0 mio.
kr.' (3.166 − 2.131) and 'den del af udgiftsbeløbet, der ligger uden for rammen ... et øget tab i
refusionsindtægt' (+726).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budgetmodel.draws import vmin
from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.driftsloft import unique_sources
from budgetmodel.financing.inputs import MentorInput, MentorYear
from budgetmodel.financing.refund_rules import operating_refund
from budgetmodel.rates import RateBook, RateValue

RAMME = "mentorramme"


@dataclass(frozen=True)
class MentorLineResult:
    label: str
    target_group: str
    dkk: float  # as given (net or gross)
    gross_dkk: float
    rate: float  # state share, 0-1
    under_ramme: bool
    expected_refund_dkk: float  # rate × gross, before the ramme


@dataclass(frozen=True)
class MentorYearResult:
    year: int
    basis: str
    lines: tuple[MentorLineResult, ...]
    ramme_dkk: float
    budget_dkk: float  # sum of the lines as given
    expected_refund_under_ramme_dkk: float
    refund_under_ramme_dkk: float  # min(expected, ramme)
    refund_outside_ramme_dkk: float  # uncapped groups (ressourceforløb)
    lost_refund_dkk: float  # the budget challenge of the ramme
    sources: tuple[RateValue, ...]

    @property
    def refund_dkk(self) -> float:
        return self.refund_under_ramme_dkk + self.refund_outside_ramme_dkk


def mentor_year(year: int, y: MentorYear, basis: str, book: RateBook, at: dt.date) -> MentorYearResult:
    problems: list[Problem] = []
    lines: list[MentorLineResult] = []
    used: list[RateValue] = []
    for i, line in enumerate(y.lines):
        where = f"years.{year}.lines[{i}]"
        try:
            op = operating_refund(book, target_group=line.target_group, expense="mentor", benefit_month=1, at=at)
            flag = book.lookup(RAMME, at, target_group=line.target_group)
        except KeyError as exc:
            problems.append(Problem("mentor", None, where, f"ingen mentorregel for '{line.target_group}' på {at.isoformat()}: {exc}"))
            continue
        rate = op.share
        if basis == "net":
            if rate >= 1.0:
                problems.append(Problem("mentor", None, where, "et nettobudget kan ikke omregnes ved 100 pct. refusion"))
                continue
            gross = line.dkk / (1.0 - rate)
        else:
            gross = line.dkk
        used += [*op.cites, flag]
        lines.append(MentorLineResult(line.label, line.target_group, line.dkk, gross, rate, bool(flag.value), rate * gross))
    if problems:
        raise InputError(problems)
    expected_capped = sum(x.expected_refund_dkk for x in lines if x.under_ramme)
    capped = vmin(expected_capped, y.ramme_dkk)
    return MentorYearResult(
        year=year,
        basis=basis,
        lines=tuple(lines),
        ramme_dkk=y.ramme_dkk,
        budget_dkk=sum(x.dkk for x in lines),
        expected_refund_under_ramme_dkk=expected_capped,
        refund_under_ramme_dkk=capped,
        refund_outside_ramme_dkk=sum(x.expected_refund_dkk for x in lines if not x.under_ramme),
        lost_refund_dkk=expected_capped - capped,
        sources=unique_sources(used),
    )


def mentor_challenge(inp: MentorInput, book: RateBook, at: dt.date | None = None) -> dict[int, MentorYearResult]:
    """The mentor line by year. ``at``: the date whose law is used for every year (default 1 January
    of each year; the mentorramme itself only exists 2014-2015, see rates/mentorramme)."""
    return {year: mentor_year(year, y, inp.basis, book, at or dt.date(year, 1, 1)) for year, y in sorted(inp.years.items())}
