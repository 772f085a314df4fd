"""An initiative as a change to the caseload, valued as the difference between the caseload with
and without it, priced by the same refund rules as the caseload itself, week by week.

An initiative (typed input :class:`InitiativeSpec`, built by ``budgetmodel.scenario.compile``):

- moves ``participants`` helårspersoner of one caseload group from one activation type to another
  (:class:`Move`: from which activation and duration band). The benefit is paid either way; the
  state's share of it changes by the refund rules in force each week (2014: by activation, e.g.
  kontanthjælp 30 → 50 pct. in virksomhedspraktik; refusionstrappe from 2016-01-04: by the
  count week, the same whatever the activation, so moving earns nothing);
- may shorten the participants' time on benefit (``effect``: fewer helårspersoner on benefit,
  taken from where they were before the move);
- employs staff (``staff_count`` × ``wage_dkk_per_staff``);
- buys external offers more or less (:class:`OfferLine`); the refund of those operating costs
  follows the law in force each week (:class:`OfferRefundRule`, from the refund gateway): in 2014
  50 pct. within the driftsloft, so a municipality above the loft loses nothing at the margin;
  none for vejledning og opkvalificering to jobparate in months 1-24; none from 2019.

Every money figure is the budget effect for the municipality: expense positive, saving negative.
A budget year counts the weeks the initiative runs, each weighted by the share of its month's
days (``active_weeks``): 1 July + 36 months gives ½, 1, 1, ½; a start on 15 July counts 17/31 of
July. Seed 004, bilag 4 (2 × 25 participants, 1.000.000 kr. wages, 19 fewer helårstilbud) comes
out at Tabel 1's 1.302.483 kr. a year under the 2014 law (tested).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Protocol

from budgetmodel.draws import any_, ratio, vmax, vmin

Weeks = tuple[tuple[dt.date, float], ...]  # (Monday, weight): weights of a year sum to the share of the year


# ---------------------------------------------------------------------------------------------
# time: which weeks of a budget year an initiative (or the caseload) runs, and with what weight


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def active_weeks(year: int, start: dt.date | None = None, end: dt.date | None = None) -> Weeks:
    """The Mondays of the weeks of budget year ``year`` and their weights: each day running in
    [start, end) weighs 1 / (12 × days in its month), so a whole month weighs 1/12 and a whole year
    1. Without start/end the whole year runs (the caseload).

    A budget year is priced by the law of the ISO weeks of that year, as the aggregate path
    counts years: the days of 1-3 January that belong to the previous year's last ISO week are
    priced with the year's first week (2016: the refusionstrappe from Monday 4 January), and days
    at the end of December in the next year's week 1 with the year's last week."""
    first = dt.date.fromisocalendar(year, 1, 1)
    last = dt.date.fromisocalendar(year, dt.date(year, 12, 28).isocalendar()[1], 1)
    weights: dict[dt.date, float] = {}
    d = dt.date(year, 1, 1)
    one = dt.timedelta(days=1)
    while d.year == year:
        if (start is None or d >= start) and (end is None or d < end):
            monday = min(max(d - dt.timedelta(days=d.weekday()), first), last)
            weights[monday] = weights.get(monday, 0.0) + 1.0 / (12 * calendar.monthrange(year, d.month)[1])
        d += one
    return tuple(sorted(weights.items()))


def year_fractions(start: dt.date, duration_months: int, years: list[int]) -> dict[int, float]:
    """The share of each budget year the initiative runs: whole months count 1/12, a part month
    its share of days (2014-07-01 + 36 months → ½, 1, 1, ½)."""
    end = add_months(start, duration_months)
    return {y: round(sum(w for _, w in active_weeks(y, start, end)), 12) for y in years}


# ---------------------------------------------------------------------------------------------
# typed input


@dataclass(frozen=True)
class Move:
    """Participants (helårspersoner at full effect) taken from one activation in one duration band."""

    from_activation: str
    band: str  # duration band of the spell / refund count, e.g. '53+'
    persons: float


@dataclass(frozen=True)
class OfferLine:
    """External helårstilbud bought more (+) or less (−) for one caseload group and offer type."""

    key: str
    label: str
    group: str  # caseload group key
    target_group: str  # the rate tables' target group code
    activation: str  # offer type
    helaarstilbud: float  # + more, − fewer (per year at full effect)
    price_dkk: float
    benefit_month: int  # month of the participants' benefit period (the jobparate rule)

    @property
    def gross_dkk(self) -> float:
        return self.helaarstilbud * self.price_dkk


@dataclass(frozen=True)
class InitiativeSpec:
    key: str
    title: str
    staff_label: str
    staff_count: float
    wage_dkk_per_staff: float
    group: str
    group_label: str
    benefit: str
    benefit_label: str
    to_activation: str
    participants: float
    moves: tuple[Move, ...]
    effect: float  # relative cut in the participants' time on benefit (fewer helårspersoner)
    offers: tuple[OfferLine, ...]
    start: dt.date
    duration_months: int
    levels: dict[int, float]  # benefit kr. per helårsperson per year, by budget year
    weeks: dict[int, Weeks]  # the weeks it runs in each budget year, with weights

    @property
    def end(self) -> dt.date:
        return add_months(self.start, self.duration_months)


# ---------------------------------------------------------------------------------------------
# the pricing it needs (implemented over the refund gateway by the compile step)


class Pricing(Protocol):
    def law_date(self, monday: dt.date) -> dt.date:
        """The date whose law prices the week of ``monday`` (the Monday itself, or an as-if date)."""

    def benefit_share(self, monday: dt.date, benefit: str, activation: str, band: str) -> float:
        """The state's share (0-1) of the benefit of a person in ``band`` in the week of ``monday``."""

    def offer_refund_dkk(self, monday: dt.date, offers: tuple[OfferLine, ...]) -> tuple[float, ...]:
        """The change in the state's refund of operating costs (kroner per full year) for each
        offer change, under the law of that week (the rate, the driftsloft)."""


# ---------------------------------------------------------------------------------------------
# valuation


@dataclass(frozen=True)
class InitiativeYear:
    """One budget year's effect on the municipality (expense +, saving −) and its parts."""

    year: int
    fraction: float
    wages_dkk: float
    move_refund_dkk: float  # more state refund on the participants' benefit (+ = more refund)
    effect_gross_dkk: float  # benefit paid out less because of the effect (negative or 0)
    effect_refund_dkk: float  # the state refund that goes with it (negative or 0)
    offers_gross_dkk: float  # operating costs of offers bought more (+) or less (−)
    offers_refund_dkk: float  # the state's refund of those (+ = more refund)
    share_before: float  # weighted state share of the participants before the move (0-1)
    share_after: float  # … after

    @property
    def state_refund_dkk(self) -> float:
        """The change in the state's refund of benefits (the forsørgelse table's refund line)."""
        return self.move_refund_dkk + self.effect_refund_dkk

    @property
    def effect_net_dkk(self) -> float:
        return self.effect_gross_dkk - self.effect_refund_dkk

    @property
    def offers_net_dkk(self) -> float:
        return self.offers_gross_dkk - self.offers_refund_dkk

    @property
    def total_dkk(self) -> float:
        return self.wages_dkk - self.move_refund_dkk + self.effect_net_dkk + self.offers_net_dkk


@dataclass(frozen=True)
class InitiativeValuation:
    spec: InitiativeSpec
    years: dict[int, InitiativeYear]
    offer_refund_dkk: dict[str, float] = field(default_factory=dict)  # per offer key, Σ over years

    @property
    def fraction_total(self) -> float:
        return sum(y.fraction for y in self.years.values())

    def per_full_year(self, what: Callable[[InitiativeYear], float]) -> float:
        """A figure for one full year of the initiative: the sum over the budget years / the years it runs."""
        f = self.fraction_total
        return sum(what(y) for y in self.years.values()) / f if f > 0 else 0.0

    @property
    def net_dkk_per_year(self) -> float:
        """The full-year net effect (Tabel 1's bottom line with the sign of a budget: saving −)."""
        return self.per_full_year(lambda y: y.total_dkk)

    def offer_net_per_year(self, key: str) -> float:
        o = next(o for o in self.spec.offers if o.key == key)
        f = self.fraction_total
        return o.gross_dkk - (self.offer_refund_dkk.get(key, 0.0) / f if f > 0 else 0.0)


_BY_LAW: dict[tuple, Weeks] = {}


def by_law_date(pricing: Pricing, weeks: Weeks) -> Weeks:
    """Weeks priced by the same law date are priced once, with their weights summed (with an
    as-if law, a year is one date)."""
    key = (pricing.law_date(dt.date(2000, 1, 3)) if weeks else None, weeks)
    got = _BY_LAW.get(key)
    if got is None:
        out: dict[dt.date, float] = {}
        for monday, w in weeks:
            at = pricing.law_date(monday)
            out[at] = out.get(at, 0.0) + w
        got = tuple(out.items())
        if len(_BY_LAW) > 4096:
            _BY_LAW.clear()
        _BY_LAW[key] = got
    return got


def value_initiative(spec: InitiativeSpec, pricing: Pricing, years: list[int]) -> InitiativeValuation:
    """The initiative's budget effect by year: the caseload with it minus the caseload without it,
    each week priced by the law in force that week (or the scenario's ``as_if`` law)."""
    out: dict[int, InitiativeYear] = {}
    offer_refund = {o.key: 0.0 for o in spec.offers}
    for y in years:
        weeks = by_law_date(pricing, spec.weeks.get(y, ()))
        fraction = round(sum(w for _, w in weeks), 12)
        level = spec.levels.get(y, 0.0)
        move = effect_gross = effect_refund = 0.0
        before = after = 0.0
        offers_refund = 0.0
        for monday, w in weeks:
            s_after = {m.band: pricing.benefit_share(monday, spec.benefit, spec.to_activation, m.band) for m in spec.moves}
            for m in spec.moves:
                s_before = pricing.benefit_share(monday, spec.benefit, m.from_activation, m.band)
                move += w * m.persons * level * (s_after[m.band] - s_before)
                # the effect: fewer helårspersoner on benefit, where they were before the move
                effect_gross -= w * spec.effect * m.persons * level
                effect_refund -= w * spec.effect * m.persons * level * s_before
                before += ratio(w * s_before * m.persons, spec.participants)  # 0 without participants
                after += ratio(w * s_after[m.band] * m.persons, spec.participants)
            if spec.offers:
                for o, r in zip(spec.offers, pricing.offer_refund_dkk(monday, spec.offers)):
                    offers_refund += w * r
                    offer_refund[o.key] += w * r
        out[y] = InitiativeYear(
            year=y,
            fraction=fraction,
            wages_dkk=fraction * spec.staff_count * spec.wage_dkk_per_staff,
            move_refund_dkk=move,
            effect_gross_dkk=effect_gross,
            effect_refund_dkk=effect_refund,
            offers_gross_dkk=fraction * sum(o.gross_dkk for o in spec.offers),
            offers_refund_dkk=offers_refund,
            share_before=before / fraction if fraction else 0.0,
            share_after=after / fraction if fraction else 0.0,
        )
    return InitiativeValuation(spec, out, offer_refund)


# ---------------------------------------------------------------------------------------------
# the refund of operating costs at the margin (one rule, used by the compile step's pricing)


@dataclass(frozen=True)
class OfferRefundRule:
    """The refund rule for one offer change in one week: the state's share of the expense (0-1)
    and, if the expense falls under a driftsloft, the pool it counts in (the loft × helårspersoner
    and the refundable expenses already in it)."""

    share: float
    pool: str | None = None
    cap_dkk: float | None = None
    pool_expenses_dkk: float | None = None


def offer_refund_changes(offers: tuple[OfferLine, ...], rules: tuple[OfferRefundRule, ...]) -> tuple[float, ...]:
    """The change in refund for each offer change (kroner per full year).

    Within a pool the refund is share × min(refundable expenses, cap) (LAB § 118 as in 2014); the
    change is the refund with the changes minus without, shared among the changes in proportion to
    their expenses. Without a pool (no loft known or none applies) the refund is share × the change."""
    out = [0.0] * len(offers)
    pools: dict[str, list[int]] = {}
    for i, (o, r) in enumerate(zip(offers, rules)):
        if r.share <= 0:
            continue
        if r.pool is None or r.cap_dkk is None or r.pool_expenses_dkk is None:
            out[i] = r.share * o.gross_dkk
        else:
            pools.setdefault(r.pool, []).append(i)
    for idx in pools.values():
        r0 = rules[idx[0]]
        delta = sum(offers[i].gross_dkk for i in idx)
        e, cap = r0.pool_expenses_dkk, r0.cap_dkk  # both given (else the change is refunded at the share)
        change = r0.share * (vmin(vmax(e + delta, 0.0), cap) - vmin(e, cap))
        for i in idx:
            out[i] = change * ratio(offers[i].gross_dkk, delta) if any_(delta != 0) else 0.0
    return tuple(out)
