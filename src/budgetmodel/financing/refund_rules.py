"""THE refund gateway: the one route from a case to the state's share of its cost, under whichever
law is in force at the date, with the rate values it cites.

Two questions, two functions (pure over a :class:`~budgetmodel.rates.RateBook`; a book with
``law.overrides`` laid over it answers the reform):

``benefit_share(book, benefit=…, activation=…, spell_week=…, count_week=…, at=…, benefit_month=None)``
    The state's share of one week's forsørgelsesydelse and the municipality's co-financing.
    Returns :class:`BenefitShare` ``(regime, state_share, cofinancing, cites)``;
    ``municipal_share = 1 - state_share``.

    * before the refusionstrappe's first day (``refusionstrappe_regler.staircase_start``, LBK nr. 221
      af 12/02/2021 § 29, stk. 1: 4 January 2016): the 2014 activation rules,
      ``refusion_forsoergelse`` by benefit × activation × spell week (regime ``"2014"``).
    * from it: ``refusionstrappe_omfattede_ydelser`` says, at the date, whether the benefit is
      refunded on the staircase (``refusion``: ``refusionstrappe`` by count week, § 5, stk. 2),
      co-financed (``medfinansiering``: the state pays and the municipality co-finances
      ``dagpenge_medfinansiering`` by count week, § 5, stk. 3 — the same percentages for every
      co-financed benefit: dagpenge, førtidspension tilkendt fra 1. juli 2014 …) or neither
      (``ikke_omfattet``: state share 0).
    * a week in subsidised employment without a benefit (code ``ansat_med_loentilskud``,
      ``stoettet_beskaeftigelse`` in the coverage table, § 6, stk. 2) is no benefit: share 0 at
      any date; the count engine treats it as neither a counted week nor self-support.
    ``benefit_month`` is accepted for a uniform call signature; no benefit rule uses it.

``operating_refund(book, target_group=…, expense=…, benefit_month=…, at=…)``
    The refund of operating costs (driftsudgifter) of an offer: :class:`OperatingRefund`
    ``(share, within_driftsloft, cites)``. ``refusion_driftsudgifter`` holds the law by date (2014:
    50 pct. within the driftsloft, none for vejledning og opkvalificering to jobparate in months
    1-24; 0 for kontanthjælp groups from 2019-01-01 and dagpenge from 2019-07-01, L 76 2018-19;
    ressourceforløb 0 from 2022; ØVO for førtidspensionister outside ressourceforløb 50 pct.).
    ``within_driftsloft`` (``driftsloft_omfattet``) is None when that table has no value at the
    date (no driftsloft any more).

No price outside the law's validity (:func:`law_span`): a date before the first value of the rule
tables (``refusion_forsoergelse`` from 2014-01-01) or after the date the law is assumed unchanged to
(``lov_antaget_uaendret_til``, an assumption in ``rates/``) raises :class:`OutsideLawError`
("ingen regel for …"); every route (panel engine, partitioned path, aggregate cells, forecast,
scenario compile) checks the same span.

A lookup after a table's ``known_through`` is recorded on the book (``book.past_known_through``),
so a run can list "lov antaget uændret efter …". The weekly engine (:mod:`shares`) evaluates
``benefit_share`` on a grid of (law period × benefit × activation × week band) once per book and
reads the grid per row: there is no other route to a share. No rate table is named by a year.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass

from budgetmodel.codes import SUBSIDISED_EMPLOYMENT
from budgetmodel.rates.book import RateBook, RateValue

TABLE_2014 = "refusion_forsoergelse"
TABLE_TRAPPE = "refusionstrappe"
TABLE_COFINANCING = "dagpenge_medfinansiering"
TABLE_COVERAGE = "refusionstrappe_omfattede_ydelser"
TABLE_RULES = "refusionstrappe_regler"
TABLE_OPERATING = "refusion_driftsudgifter"
TABLE_DRIFTSLOFT_COVERED = "driftsloft_omfattet"
TABLE_AMY = "medfinansiering_arbejdsmarkedsydelse"  # the municipality's contribution, 30.12.2013 - 3.1.2016
TABLE_AMY_RULES = "midlertidig_arbejdsmarkedsydelse_regler"  # the offer deadline in weeks
TABLE_OFFERS = "tilbud_efter_lab"  # which activations are a tilbud (LAB afsnit IV)
TABLE_HORIZON = "lov_antaget_uaendret_til"  # the last day the law in rates/ is assumed unchanged (an assumption)
AMY = "midlertidig_arbejdsmarkedsydelse"

# every table the benefit gateway reads (the refund CLI loads just these)
BENEFIT_TABLES: tuple[str, ...] = (TABLE_2014, TABLE_TRAPPE, TABLE_COFINANCING, TABLE_COVERAGE, TABLE_RULES, TABLE_AMY, TABLE_AMY_RULES, TABLE_OFFERS, TABLE_HORIZON)

REGIME_2014 = "2014"
COVERED_REFUND = "refusion"  # § 5, stk. 2
COVERED_COFINANCING = "medfinansiering"  # § 5, stk. 3
NOT_COVERED = "ikke_omfattet"
SUBSIDISED = "stoettet_beskaeftigelse"  # § 6, stk. 2: not a benefit, not self-support
COVERAGE_VALUES = (COVERED_REFUND, COVERED_COFINANCING, NOT_COVERED, SUBSIDISED)


@dataclass(frozen=True)
class StaircaseRules:
    """The counting rules of the staircase (rates/refusionstrappe_regler.yaml)."""

    start: dt.date  # first Monday under the staircase (§ 29, stk. 1)
    count_origin: dt.date  # § 30, stk. 1: weeks from the week containing this date count
    restart_selfsupport_weeks: int  # § 6, stk. 1: 52 whole weeks of self-support …
    restart_window_weeks: int  # … within the last 3 years = 156 weeks


@dataclass(frozen=True)
class BenefitShare:
    regime: str  # "2014" | "refusion" | "medfinansiering" | "ikke_omfattet" | "stoettet_beskaeftigelse"
    state_share: float  # 0-1 of the week's gross benefit
    cofinancing: float  # the municipality's co-financing share (§ 5, stk. 3); 0 unless co-financed
    cites: tuple[RateValue, ...]

    @property
    def municipal_share(self) -> float:
        return 1.0 - self.state_share


@dataclass(frozen=True)
class OperatingRefund:
    share: float  # 0-1 of the operating cost
    within_driftsloft: bool | None  # refunded only within the driftsloft; None: no driftsloft at the date
    cites: tuple[RateValue, ...]


class OutsideLawError(ValueError):
    """A date outside :func:`law_span`: no rule prices it (the message is Danish, for a person)."""


@dataclass(frozen=True)
class LawSpan:
    """The days the law in ``rates/`` prices: from the first value of the rule tables to the last
    day the law is assumed unchanged (both inclusive)."""

    first: dt.date
    last: dt.date

    def contains(self, at: dt.date) -> bool:
        return self.first <= at <= self.last

    def why_not(self, at: dt.date, what: str | None = None) -> str | None:
        """Why ``at`` has no rule ("ingen regel for WHAT: …"), or None inside the span."""
        what = what or at.isoformat()
        if at < self.first:
            return f"ingen regel for {what}: reglerne i rates/ gælder fra {self.first.isoformat()} ({TABLE_2014}); en uge før har ingen refusionsregel"
        if at > self.last:
            return f"ingen regel for {what}: loven er kun antaget uændret til {self.last.isoformat()} ({TABLE_HORIZON}); en uge efter prissættes ikke"
        return None

    def why_not_week(self, monday: dt.date, label: str) -> str | None:
        """The same for an ISO week: it is looked up at its Thursday (ISO 8601 dates a week by
        it), so a week whose Thursday lies before ``first`` has no rule; a week that begins after
        ``last`` is past the horizon (a week beginning by it is priced whole, so a calendar year
        ending on ``last`` is)."""
        thursday = monday + dt.timedelta(days=3)
        if thursday < self.first:
            return self.why_not(thursday, label)
        if monday > self.last:
            return self.why_not(monday, label)
        return None

    def check(self, at: dt.date, what: str | None = None) -> None:
        why = self.why_not(at, what)
        if why:
            raise OutsideLawError(why)


_SPANS: "weakref.WeakKeyDictionary[RateBook, LawSpan]" = weakref.WeakKeyDictionary()


def law_span(book: RateBook) -> LawSpan:
    """The span of :class:`LawSpan` for a book (overrides included: a reform may move the horizon).

    first: the earlier of the first value of ``refusion_forsoergelse`` (the 2014 rules) and the
    staircase's first day; last: ``lov_antaget_uaendret_til``'s latest value. Raises KeyError when
    a table is missing."""
    got = _SPANS.get(book)
    if got is not None:
        return got
    first = min(_first_date(book, TABLE_2014), staircase_rules(book).start)
    horizon = book.table(TABLE_HORIZON)
    latest = max(start for start, _ in horizon.periods())
    raw = horizon.lookup(latest).value
    try:
        last = dt.date.fromisoformat(str(raw))
    except ValueError:
        raise ValueError(f"{TABLE_HORIZON}: '{raw}' er ikke en dato ÅÅÅÅ-MM-DD") from None
    got = LawSpan(first, last)
    _SPANS[book] = got
    return got


def _fraction(v: RateValue) -> float:
    if v.unit == "pct":
        return float(v.value) / 100.0
    if v.unit == "share":
        return float(v.value)
    raise ValueError(f"{v.table_id}: enheden '{v.unit}' er ikke en andel (forventede pct eller share)")


def _complement(v: RateValue) -> float:
    """1 - the value as a fraction, computed in the table's unit (100 - 70 = 30 pct. → 0.3 exactly)."""
    if v.unit == "pct":
        return (100.0 - float(v.value)) / 100.0
    return 1.0 - _fraction(v)


_RULES: "weakref.WeakKeyDictionary[RateBook, StaircaseRules]" = weakref.WeakKeyDictionary()


def staircase_rules(book: RateBook) -> StaircaseRules:
    """The staircase's counting rules, looked up at its first day (the refusionstrappe table's start)."""
    got = _RULES.get(book)
    if got is not None:
        return got
    trappe = book.table(TABLE_TRAPPE)
    start = min(e.valid_from for e in trappe.spec.values)
    rules = book.table(TABLE_RULES)

    def value(name: str):
        return rules.value(start, parameter=name)

    stated = dt.date.fromisoformat(str(value("staircase_start")))
    if stated != start:
        raise ValueError(f"{TABLE_RULES}: staircase_start {stated} stemmer ikke med {TABLE_TRAPPE}, som begynder {start}")
    got = StaircaseRules(
        start=start,
        count_origin=dt.date.fromisoformat(str(value("count_origin"))),
        restart_selfsupport_weeks=int(value("restart_selfsupport_weeks")),
        restart_window_weeks=int(value("restart_window_weeks")),
    )
    _RULES[book] = got
    return got


def regime_at(book: RateBook, at: dt.date) -> str:
    """'2014' before the staircase's first day, else 'trappe'."""
    return REGIME_2014 if at < staircase_rules(book).start else "trappe"


def _first_date(book: RateBook, table_id: str) -> dt.date:
    return book.table(table_id).first_date


def coverage(book: RateBook, benefit: str, at: dt.date) -> RateValue:
    """How the staircase law treats ``benefit`` at ``at`` (refusion / medfinansiering / ikke_omfattet /
    stoettet_beskaeftigelse), as a cited value."""
    v = book.lookup(TABLE_COVERAGE, at, benefit=benefit)
    if v.value not in COVERAGE_VALUES:
        raise ValueError(f"{TABLE_COVERAGE}: værdien '{v.value}' for {benefit} er ikke en af {', '.join(COVERAGE_VALUES)}")
    return v


def benefit_share(
    book: RateBook,
    *,
    benefit: str,
    activation: str,
    spell_week: int,
    count_week: int,
    at: dt.date,
    benefit_month: int | None = None,
) -> BenefitShare:
    """The state's share of a week's benefit at ``at`` (see the module docstring). Raises KeyError
    when the law in ``rates/`` has no value for the case, ValueError for a week < 1 and
    OutsideLawError for a date outside :func:`law_span`."""
    law_span(book).check(at)
    if benefit in SUBSIDISED_EMPLOYMENT:
        cov = coverage(book, benefit, at)
        if cov.value != SUBSIDISED:
            raise ValueError(f"{TABLE_COVERAGE}: {benefit} skal være '{SUBSIDISED}' (LBK 221/2021 § 6, stk. 2); fik '{cov.value}'")
        return BenefitShare(SUBSIDISED, 0.0, 0.0, (cov,))
    rules = staircase_rules(book)
    if at < rules.start:
        if spell_week < 1:
            raise ValueError(f"spell_week {spell_week}: uger tælles fra 1")
        if benefit == AMY:
            return _arbejdsmarkedsydelse(book, activation, spell_week, at)
        v = book.lookup(TABLE_2014, at, benefit=benefit, activation=activation, spell_week=int(spell_week))
        return BenefitShare(REGIME_2014, _fraction(v), 0.0, (v,))
    cov = coverage(book, benefit, at)
    if cov.value in (NOT_COVERED, SUBSIDISED):
        return BenefitShare(str(cov.value), 0.0, 0.0, (cov,))
    if count_week < 1:
        raise ValueError(f"count_week {count_week}: uger tælles fra 1")
    if cov.value == COVERED_REFUND:
        v = book.lookup(TABLE_TRAPPE, at, count_week=int(count_week))
        return BenefitShare(COVERED_REFUND, _fraction(v), 0.0, (cov, v))
    c = book.lookup(TABLE_COFINANCING, at, count_week=int(count_week))
    return BenefitShare(COVERED_COFINANCING, _complement(c), _fraction(c), (cov, c))


def _arbejdsmarkedsydelse(book: RateBook, activation: str, spell_week: int, at: dt.date) -> BenefitShare:
    """Midlertidig arbejdsmarkedsydelse before the staircase: the state pays and the municipality
    contributes 70 pct., 50 pct. during an offer, 100 pct. when the offer did not start in time (from
    2015; seed 002 l. 433-435). A week without an offer after the deadline (the first weeks on the
    ydelse, ``midlertidig_arbejdsmarkedsydelse_regler``) is a late offer. Whether a week's activation
    is a tilbud (LAB afsnit IV) is the table ``tilbud_efter_lab``: delvis raskmelding is none."""
    offer = book.lookup(TABLE_OFFERS, at, activation=activation)
    if offer.value == "tilbud":
        situation, cites = "i_tilbud", (offer,)
    else:
        deadline = book.lookup(TABLE_AMY_RULES, at, parameter="tilbudsfrist_uger")
        situation = "uden_tilbud" if spell_week <= int(deadline.value) else "tilbud_for_sent"
        cites = (offer, deadline)
    c = book.lookup(TABLE_AMY, at, situation=situation)
    return BenefitShare(COVERED_COFINANCING, _complement(c), _fraction(c), (c, *cites))


def extra_week_breaks(book: RateBook) -> list[int]:
    """Weeks at which a rule not written as a week band changes (the offer deadline of midlertidig
    arbejdsmarkedsydelse): the engine's grid must start a piece there."""
    out = []
    if TABLE_AMY_RULES in book.tables:
        for v in book.table(TABLE_AMY_RULES).spec.values:
            out.append(int(v.value) + 1)
    return out


def operating_refund(book: RateBook, *, target_group: str, expense: str, benefit_month: int, at: dt.date) -> OperatingRefund:
    """The state's refund share of an offer's operating cost at ``at`` (see the module docstring).
    Raises KeyError when ``rates/`` has no value for the case, OutsideLawError outside :func:`law_span`."""
    law_span(book).check(at)
    v = book.lookup(TABLE_OPERATING, at, target_group=target_group, expense=expense, benefit_month=int(benefit_month))
    within: bool | None = None
    cites: tuple[RateValue, ...] = (v,)
    if TABLE_DRIFTSLOFT_COVERED in book.tables:
        try:
            f = book.lookup(TABLE_DRIFTSLOFT_COVERED, at, expense=expense)
        except KeyError:
            f = None
        if f is not None:
            within = bool(f.value)
            cites = (v, f)
    return OperatingRefund(_fraction(v), within, cites)


def law_boundaries(book: RateBook, tables: tuple[str, ...] = BENEFIT_TABLES) -> list[dt.date]:
    """Every date on which a value of ``tables`` starts or stops (overrides included), and the
    staircase start: between two of them the benefit gateway's answers do not change."""
    out = {staircase_rules(book).start}
    for tid in tables:
        if tid not in book.tables:
            continue
        for start, end in book.table(tid).periods():
            out.add(start)
            if end is not None:
                out.add(end + dt.timedelta(days=1))
    return sorted(out)


__all__ = [
    "BenefitShare",
    "LawSpan",
    "OperatingRefund",
    "OutsideLawError",
    "law_span",
    "StaircaseRules",
    "benefit_share",
    "operating_refund",
    "coverage",
    "regime_at",
    "staircase_rules",
    "law_boundaries",
]
