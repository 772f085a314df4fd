"""Valuing an initiative like seed 004's personlige jobformidlere (bilag 4, Tabel 1) and phasing it
over budget years.

Per year at full effect:

- wages = brokers × wage per broker (a price assumption; Tabel 1: 2 × 500.000 = 1.000.000 kr.)
- extra state refund = persons in company-based offers × (refund rate in the offer − refund rate
  without it) × yearly benefit per person. Persons = brokers × persons per broker (seed 004: each
  broker keeps at least 25 in virksomhedsrettede tilbud). The rates are the 2014 forsørgelse
  refunds (``rates/refusion_forsoergelse``: kontanthjælp 50 pct. in virksomhedspraktik, 30 pct.
  otherwise). Tabel 1: 50 × 20 pct. × 103.320 = 1.033.200 kr.
- fewer external offers = Σ helårstilbud × price × (1 − the refund the offers carried,
  ``rates/refusion_driftsudgifter``). For jobparate kontanthjælp in the first 24 months
  'vejledning og opkvalificering' carries no refund, so the whole price is saved:
  3 × 56.209 + 16 × 68.791 = 168.627 + 1.100.656 = 1.269.283 kr.
- net saving = extra refund − wages + fewer offers = 33.200 + 1.269.283 = 1.302.483 kr.

The notat (l. 1954) counts no effect on the time on benefit ('medregner ikke eventuelle
besparelser som følge af en større effekt'); neither does this valuation.

Phasing: a year counts the months the initiative runs in it / 12. Seed 004 starts 'medio 2014' for
3 years: 2014-07-01 + 36 months → ½, 1, 1, ½.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.driftsloft import unique_sources
from budgetmodel.financing.inputs import JobBrokerInitiative
from budgetmodel.rates import RateBook, RateValue

BENEFIT_RATE = "refusion_forsoergelse"
OFFER_RATE = "refusion_driftsudgifter"


@dataclass(frozen=True)
class OfferSaving:
    label: str
    helaarstilbud: float
    price_dkk_per_helaarstilbud: float
    refund_pct: float  # the state share the offers carried (percent)

    @property
    def gross_dkk(self) -> float:
        return self.helaarstilbud * self.price_dkk_per_helaarstilbud

    @property
    def saving_dkk(self) -> float:
        """The municipality's saving: the price less the refund it no longer gets."""
        return self.gross_dkk * (100.0 - self.refund_pct) / 100.0


@dataclass(frozen=True)
class JobBrokerValuation:
    """Tabel 1 of seed 004 bilag 4, in kroner per year at full effect."""

    label: str
    persons: float
    wages_dkk: float
    benefit_dkk_per_person_per_year: float
    pct_before: float  # state refund of the benefit without the offer (percent)
    pct_after: float  # ... in the company-based offer
    offers: tuple[OfferSaving, ...]
    sources: tuple[RateValue, ...]

    @property
    def extra_refund_dkk(self) -> float:
        return self.persons * (self.pct_after - self.pct_before) * self.benefit_dkk_per_person_per_year / 100.0

    @property
    def offer_savings_dkk(self) -> float:
        return sum(o.saving_dkk for o in self.offers)

    @property
    def refund_minus_wages_dkk(self) -> float:
        return self.extra_refund_dkk - self.wages_dkk

    @property
    def net_saving_dkk(self) -> float:
        return self.refund_minus_wages_dkk + self.offer_savings_dkk


def value_job_broker(init: JobBrokerInitiative, book: RateBook, at: dt.date) -> JobBrokerValuation:
    """The yearly value of the initiative at full effect, with the refund law in force at ``at``."""
    problems: list[Problem] = []
    used: list[RateValue] = []
    rates: dict[str, float] = {}
    for name, activation in (("before", init.activation_before), ("after", init.activation_after)):
        try:
            rv = book.lookup(BENEFIT_RATE, at, benefit=init.benefit, activation=activation, spell_week=init.spell_week)
        except KeyError as exc:
            problems.append(Problem("initiative", None, f"activation_{name}", f"ingen 2014-refusionssats for {init.benefit}/{activation} på {at.isoformat()}: {exc}"))
            continue
        used.append(rv)
        rates[name] = float(rv.value)
    offer_pct = 0.0
    if init.offer_refund_cell is not None:
        c = init.offer_refund_cell
        try:
            rv = book.lookup(OFFER_RATE, at, target_group=c.target_group, expense=c.expense, benefit_month=c.benefit_month)
            used.append(rv)
            offer_pct = float(rv.value)
        except KeyError as exc:
            problems.append(Problem("initiative", None, "offer_refund_cell", f"ingen indsatsrefusion for {c.target_group}/{c.expense}: {exc}"))
    if problems:
        raise InputError(problems)
    offers = tuple(OfferSaving(o.label, o.helaarstilbud, o.price_dkk_per_helaarstilbud, offer_pct) for o in init.offer_reductions)
    return JobBrokerValuation(
        label=init.label,
        persons=init.brokers * init.persons_per_broker,
        wages_dkk=init.brokers * init.wage_dkk_per_broker_per_year,
        benefit_dkk_per_person_per_year=init.benefit_dkk_per_person_per_year,
        pct_before=rates["before"],
        pct_after=rates["after"],
        offers=offers,
        sources=unique_sources(used),
    )


def year_fractions(start: dt.date, duration_months: int, years: list[int] | None = None) -> dict[int, float]:
    """Months the initiative runs in each calendar year / 12 (start: the 1st of a month)."""
    months: dict[int, int] = {}
    y, m = start.year, start.month
    for _ in range(duration_months):
        months[y] = months.get(y, 0) + 1
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    keys = years if years is not None else sorted(months)
    return {year: months.get(year, 0) / 12.0 for year in keys}


@dataclass(frozen=True)
class PhasedYear:
    """One budget year's effect (expense positive, saving negative), as seed 004's table prints it."""

    year: int
    fraction: float
    wages_dkk: float  # 'Lønudgift jobformidlere'
    state_refund_dkk: float  # 'Merindtægt statsrefusion' (negative)
    operating_dkk: float  # 'Driftsudgifter til aktivering' (negative)

    @property
    def total_dkk(self) -> float:  # 'Samlet besparelse'
        return self.wages_dkk + self.state_refund_dkk + self.operating_dkk


def phased_lines(init: JobBrokerInitiative, valuation: JobBrokerValuation, years: list[int]) -> dict[int, PhasedYear]:
    """The initiative's budget effect by year: the yearly valuation × the share of the year it runs."""
    fr = year_fractions(init.start, init.duration_months, years)
    return {
        y: PhasedYear(y, f, f * valuation.wages_dkk, -f * valuation.extra_refund_dkk, -f * valuation.offer_savings_dkk)
        for y, f in fr.items()
    }
