"""A reform line computed from the caseload and the law: the municipality's net spending on a
caseload (helårspersoner by benefit, activation and duration band) and on operating expenses of
offers, every week priced through the refund gateway by the law of that week.

    net(law)   = Σ_cells helårspersoner × level × (1 − the state's share under the law)
               + Σ_expenses expenses − their refund under the law (rate × min(expenses, loft) in a pool)
    line       = net(new law)                      a change in the caseload (Δ helårspersoner)
               = net(new law) − net(old law)       a change in the law (e.g. a refusionsomlægning)

The new law is the scenario's (every week by the law in force, or ``law.as_if``; with its
``law.overrides``); the old law is the rate book without the overrides, or the law of an earlier
date (``old_law.as_if``). Pure: the pricings (``budgetmodel.financing.aggregate.WeekPricing``, built
by the compile step over the gateway) are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from budgetmodel.financing.initiative import OfferLine, Pricing, Weeks, active_weeks, by_law_date


@dataclass(frozen=True)
class BenefitCell:
    """Helårspersoner (or a change in them) on one benefit, activation and duration band, by year."""

    benefit: str
    activation: str
    band: str
    helaarspersoner: dict[int, float]
    level_dkk: dict[int, float]  # benefit kr. per helårsperson, by year


@dataclass(frozen=True)
class ExpenseCell:
    """Operating expenses (kroner by year) of one offer type for one target group."""

    label: str
    group: str
    target_group: str
    activation: str
    benefit_month: int
    dkk: dict[int, float]


@dataclass(frozen=True)
class ReformLineSpec:
    key: str
    label: str
    cells: tuple[BenefitCell, ...]
    expenses: tuple[ExpenseCell, ...]
    compare_law: bool  # True: net(new law) − net(old law); False: net(new law)


@dataclass(frozen=True)
class NetSpending:
    gross_dkk: float  # benefits + operating expenses
    state_dkk: float  # the state's share of the benefits + the refund of the expenses

    @property
    def net_dkk(self) -> float:
        return self.gross_dkk - self.state_dkk


@dataclass(frozen=True)
class ReformLineYear:
    new: NetSpending
    old: NetSpending | None

    @property
    def dkk(self) -> float:
        return self.new.net_dkk - (self.old.net_dkk if self.old is not None else 0.0) + 0.0  # + 0.0: no −0


def net_spending(spec: ReformLineSpec, pricing: Pricing, year: int, weeks: Weeks | None = None) -> NetSpending:
    """The municipality's spending on the line's caseload and expenses in a budget year, and the
    state's part of it, each week by the pricing's law."""
    weeks = by_law_date(pricing, weeks if weeks is not None else active_weeks(year))
    gross = state = 0.0
    for c in spec.cells:
        g = c.helaarspersoner.get(year, 0.0) * c.level_dkk.get(year, 0.0)
        gross += g
        state += g * sum(w * pricing.benefit_share(monday, c.benefit, c.activation, c.band) for monday, w in weeks)
    if spec.expenses:
        offers = tuple(OfferLine(f"{spec.key}.{i}", e.label, e.group, e.target_group, e.activation, 1.0, e.dkk.get(year, 0.0), e.benefit_month) for i, e in enumerate(spec.expenses))
        gross += sum(o.gross_dkk for o in offers) * sum(w for _, w in weeks)
        for monday, w in weeks:
            state += w * sum(pricing.offer_refund_dkk(monday, offers))
    return NetSpending(gross, state)


def value_reform_line(spec: ReformLineSpec, years: list[int], new: Pricing, old: Pricing | None = None) -> dict[int, ReformLineYear]:
    """The line by year: net spending under the new law (minus under the old, for a change in law)."""
    if spec.compare_law and old is None:
        raise ValueError(f"reformlinjen '{spec.key}' sammenligner med en gammel lov, men ingen prissætning efter den er givet")
    return {y: ReformLineYear(net_spending(spec, new, y), net_spending(spec, old, y) if spec.compare_law and old is not None else None) for y in years}
