"""The optimiser's input: one frozen, validated description of a municipality's allocation problem.

Everything the model needs is here as plain numbers with the source of each constraint family in
``sources``; nothing is looked up while the model is built. :func:`from_scenario` (bottom) builds
this object from a scenario, the rates at the scenario's dates and the unit-cost figures; tests
build it from small dicts.

Units: helårspersoner (full-year persons on benefit), årsværk (full-time staff years), helårstilbud
(a full-year place in an offer), kroner per year. A *period* is one budget year; its ``weight`` is
the part of the year the allocation applies (½ for an initiative starting 1 July).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Pos = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]

# Constraint families of the model (build.py has one function per family). Every family the
# model contains must have a source in OptimiserInput.sources.
FAMILIES: tuple[str, ...] = (
    "budget",
    "staff_floor",
    "legal_minimum_conversations",
    "conversation_hours",
    "persons_per_broker",
    "placement_hours",
    "placeable",
    "activatable",
    "activation_duty",
    "driftsloft",
    "mentorramme",
    "fixed_allocation",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetGroup(_Frozen):
    """Citizens of one target group in one period, and what the law and the scenario say about them."""

    id: Ident
    label: str = Field(min_length=1)  # Danish, for reports
    helaarspersoner: NonNeg  # on benefit today (before any effect of the allocation)
    benefit_dkk_per_helaarsperson: NonNeg  # gross benefit per helårsperson per year
    refund_share_passive: Share  # state's share of the benefit when not in a company-based offer
    refund_share_company: Share  # state's share of the benefit while in a company-based offer
    min_conversations_per_helaarsperson: NonNeg  # legal minimum per helårsperson per year
    hours_per_conversation: Pos
    hours_per_placement: NonNeg
    placements_per_helaarsperson: NonNeg  # placements a full year in company-based offers takes
    placeable_helaarspersoner: NonNeg  # at most this many can be in company-based offers
    activatable_helaarspersoner: NonNeg  # at most this many can be in offers of any kind
    effect_company: NonNeg = 0.0  # fewer helårspersoner on benefit per helårsperson in company offers
    current_conversation_aarsvaerk: NonNeg
    # today's company-based activity is given: the model adds job brokering to it, never removes it
    current_placement_aarsvaerk: NonNeg
    current_in_company_offers: NonNeg


class ActivationDuty(_Frozen):
    """At least this many helårspersoner of these groups in company-based offers or offers that count."""

    id: Ident
    label: str = Field(min_length=1)
    groups: list[Ident] = Field(min_length=1)
    min_helaarspersoner: NonNeg


class Offer(_Frozen):
    """An external offer bought in helårstilbud for one target group."""

    id: Ident
    label: str = Field(min_length=1)
    group: Ident  # the TargetGroup.id it serves
    price_dkk_per_helaarstilbud: NonNeg
    refund: Literal["driftsloft", "mentorramme", "none"]  # which refund rule covers its expenses
    counts_as_activation: StrictBool = True
    effect: NonNeg = 0.0  # fewer helårspersoner on benefit per helårstilbud bought
    current_helaarstilbud: NonNeg
    max_helaarstilbud: NonNeg | None = None


class DriftsloftPool(_Frozen):
    """Refund of operating costs = share × min(expenses, loft × helårspersoner) for one covered group."""

    id: Ident
    label: str = Field(min_length=1)
    refund_share: Share
    loft_dkk_per_helaarsperson: NonNeg
    groups: list[Ident]  # target groups whose helårspersoner count under the loft
    other_helaarspersoner: NonNeg = 0.0  # helårspersoner in the covered group outside the model
    other_expenses_dkk: NonNeg = 0.0  # refundable operating expenses outside the model


class Mentorramme(_Frozen):
    """Mentor refund = min(share × mentor expenses, ramme): the ramme caps the refund (state kroner)."""

    refund_share: Share
    ramme_dkk: NonNeg  # the largest mentor refund the municipality can get in a year
    other_expenses_dkk: NonNeg = 0.0


class Change(_Frozen):
    """An initiative: changes against today's allocation (+ more, − fewer)."""

    conversation_aarsvaerk: dict[Ident, float] = Field(default_factory=dict)
    placement_aarsvaerk: dict[Ident, float] = Field(default_factory=dict)
    in_company_offers: dict[Ident, float] = Field(default_factory=dict)
    helaarstilbud: dict[Ident, float] = Field(default_factory=dict)


class Period(_Frozen):
    id: Ident
    weight: Annotated[float, Field(gt=0, le=1)] = 1.0
    rates_date: dt.date  # the date the law was looked up at (for the report)
    groups: list[TargetGroup] = Field(min_length=1)
    offers: list[Offer] = Field(default_factory=list)
    wage_conversation_dkk_per_aarsvaerk: NonNeg
    wage_placement_dkk_per_aarsvaerk: NonNeg
    hours_per_aarsvaerk: Pos  # hours per årsværk available for conversations and placements
    persons_per_broker: Pos
    budget_dkk: NonNeg  # wages + purchases may not exceed this
    keep_current_staff: StrictBool  # staff can be moved between tasks but not dismissed
    activation_duties: list[ActivationDuty] = Field(default_factory=list)
    driftsloft: list[DriftsloftPool] = Field(default_factory=list)
    mentorramme: Mentorramme | None = None
    initiative: Change | None = None  # the scenario's own initiative (the fixed case)

    @model_validator(mode="after")
    def _references(self) -> "Period":
        gids = [g.id for g in self.groups]
        problems = []
        if len(set(gids)) != len(gids):
            problems.append("a target group id is used twice")
        oids = [o.id for o in self.offers]
        if len(set(oids)) != len(oids):
            problems.append("an offer id is used twice")
        for o in self.offers:
            if o.group not in gids:
                problems.append(f"offer '{o.id}' serves unknown target group '{o.group}'")
        for pool in self.driftsloft:
            for g in pool.groups:
                if g not in gids:
                    problems.append(f"driftsloft pool '{pool.id}' names unknown target group '{g}'")
        for duty in self.activation_duties:
            for g in duty.groups:
                if g not in gids:
                    problems.append(f"activation duty '{duty.id}' names unknown target group '{g}'")
        pooled = [g for pool in self.driftsloft for g in pool.groups]
        if len(set(pooled)) != len(pooled):
            problems.append("a target group is in more than one driftsloft pool")
        for o in self.offers:
            if o.refund == "driftsloft" and o.group not in pooled:
                problems.append(f"offer '{o.id}' is refunded under the driftsloft but its group '{o.group}' is in no driftsloft pool")
        if any(o.refund == "mentorramme" for o in self.offers) and self.mentorramme is None:
            problems.append("offers refunded under the mentorramme need a mentorramme")
        if self.initiative is not None:
            ch = self.initiative
            for name, keys, known in (
                ("conversation_aarsvaerk", ch.conversation_aarsvaerk, gids),
                ("placement_aarsvaerk", ch.placement_aarsvaerk, gids),
                ("in_company_offers", ch.in_company_offers, gids),
                ("helaarstilbud", ch.helaarstilbud, oids),
            ):
                for k in keys:
                    if k not in known:
                        problems.append(f"initiative.{name} names unknown '{k}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def group(self, gid: str) -> TargetGroup:
        return next(g for g in self.groups if g.id == gid)

    def pool_of(self, gid: str) -> DriftsloftPool | None:
        return next((p for p in self.driftsloft if gid in p.groups), None)


class OptimiserInput(_Frozen):
    municipality: str = Field(min_length=1)
    regime: str = Field(min_length=1)  # e.g. "refusionsregler 2014" (for the report)
    periods: list[Period] = Field(min_length=1)
    integer_posts: StrictBool = False
    sources: dict[str, str]  # constraint family → where its coefficients come from
    notes: list[str] = Field(default_factory=list)  # readings applied where the inputs are silent (printed)

    @model_validator(mode="after")
    def _check(self) -> "OptimiserInput":
        ids = [p.id for p in self.periods]
        if len(set(ids)) != len(ids):
            raise ValueError("a period id is used twice")
        unknown = sorted(set(self.sources) - set(FAMILIES) - {"objective"})
        if unknown:
            raise ValueError(f"sources names unknown constraint families {unknown} (known: {list(FAMILIES)})")
        missing = sorted(f for f in self.families() if f not in self.sources)
        if "objective" not in self.sources:
            missing.insert(0, "objective")
        if missing:
            raise ValueError(f"every constraint family needs its source; missing: {missing}")
        return self

    def families(self, fixed: bool = False) -> list[str]:
        """The constraint families this input gives rise to (the model builds exactly these)."""
        out = ["budget", "legal_minimum_conversations", "conversation_hours", "persons_per_broker",
               "placement_hours", "placeable", "activatable", "activation_duty"]
        if any(p.keep_current_staff for p in self.periods):
            out.insert(1, "staff_floor")
        if any(p.driftsloft for p in self.periods):
            out.append("driftsloft")
        if any(p.mentorramme is not None for p in self.periods):
            out.append("mentorramme")
        if fixed:
            out.append("fixed_allocation")
        return out

    def period(self, pid: str) -> Period:
        return next(p for p in self.periods if p.id == pid)


# ---------------------------------------------------------------------------------------------
# Allocations (what the model decides) and their construction from today's figures.


class PeriodAllocation(_Frozen):
    conversation_aarsvaerk: dict[str, float]
    placement_aarsvaerk: dict[str, float]
    in_company_offers: dict[str, float]
    helaarstilbud: dict[str, float]


Allocation = dict[str, PeriodAllocation]  # period id → allocation


def current_allocation(inp: OptimiserInput) -> Allocation:
    """Today's allocation as the input describes it."""
    return {
        p.id: PeriodAllocation(
            conversation_aarsvaerk={g.id: g.current_conversation_aarsvaerk for g in p.groups},
            placement_aarsvaerk={g.id: g.current_placement_aarsvaerk for g in p.groups},
            in_company_offers={g.id: g.current_in_company_offers for g in p.groups},
            helaarstilbud={o.id: o.current_helaarstilbud for o in p.offers},
        )
        for p in inp.periods
    }


def initiative_allocation(inp: OptimiserInput) -> Allocation | None:
    """Today's allocation plus the scenario's initiative, or None when no period has one."""
    if all(p.initiative is None for p in inp.periods):
        return None
    today = current_allocation(inp)
    out: Allocation = {}
    for p in inp.periods:
        base = today[p.id]
        ch = p.initiative or Change()

        def plus(d: dict[str, float], delta: dict[str, float]) -> dict[str, float]:
            return {k: v + delta.get(k, 0.0) for k, v in d.items()}

        out[p.id] = PeriodAllocation(
            conversation_aarsvaerk=plus(base.conversation_aarsvaerk, ch.conversation_aarsvaerk),
            placement_aarsvaerk=plus(base.placement_aarsvaerk, ch.placement_aarsvaerk),
            in_company_offers=plus(base.in_company_offers, ch.in_company_offers),
            helaarstilbud=plus(base.helaarstilbud, ch.helaarstilbud),
        )
    return out


def conversations_per_helaarsperson(first_3_months: tuple[float, float], thereafter: tuple[float, float],
                                    share_first_3_months: float) -> float:
    """Legal minimum conversations per helårsperson per year from the samtalekadence.

    Each phase gives (count, window in months). A helårsperson spends ``share_first_3_months`` of
    the year in the first three months of the spell, the rest thereafter; in each phase the
    minimum rate is count / window × 12 conversations a year.
    """
    (c1, w1), (c2, w2) = first_3_months, thereafter
    months_per_year = 12.0
    return share_first_3_months * c1 / w1 * months_per_year + (1.0 - share_first_3_months) * c2 / w2 * months_per_year


# ---------------------------------------------------------------------------------------------
# Loading


def _is_optimiser_input(data: object) -> bool:
    return isinstance(data, dict) and {"periods", "sources", "municipality"} <= set(data)


def load_input(path: Path | str, book: Any = None) -> OptimiserInput:
    """An optimiser input file (the fields of OptimiserInput), or a scenario (see from_scenario);
    ``book``: the rate book a scenario is read with (default: the bundled rates/)."""
    from budgetmodel.errors import InputError, Problem
    from budgetmodel.scenario.workbook import is_workbook
    from budgetmodel.sourcefile import load_yaml, validate

    if is_workbook(path):  # a scenario workbook (.xlsx)
        return from_scenario(path, book)
    doc = load_yaml(path)
    if _is_optimiser_input(doc.data):
        return validate(doc, OptimiserInput)
    if isinstance(doc.data, dict) and doc.data.get("kind") == "scenario":
        return from_scenario(path, book)
    raise InputError([Problem(str(path), 1, "", "hverken et scenarie (kind: scenario) eller en optimeringsinput-fil (municipality, regime, periods, sources)")])


def from_scenario(path: Path | str, book: Any = None) -> OptimiserInput:
    """A scenario file → the optimiser's input (see optimise/adapter.py for where each number comes from)."""
    from budgetmodel.optimise.adapter import from_scenario as build

    return build(path, book)
