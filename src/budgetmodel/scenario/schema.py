"""The shape of a scenario file in ``scenarios/``: a municipality, the law it runs under, its
initiatives and the assumptions, each number with its source.

A scenario file is YAML with ``kind: scenario`` (a complete scenario) or ``kind:
scenario-fragment`` (a piece meant to be composed into others through ``extends:``, e.g. a reform
or an initiative). Composition is described in :mod:`budgetmodel.scenario.compose`.

Sections, kept apart on purpose:

- ``municipality`` — the profile: caseload by target group (helårspersoner, activation and
  duration mix, benefit level), staff (the unit-cost profile), prices, bloktilskud share.
- ``law`` — every week is priced by the law in force that week, unless ``as_if`` names one date
  whose law prices every year; ``overrides`` change rate values as a reform would. The rules
  themselves live in ``rates/``.
- ``budget`` — the financing inputs of a reform memo (budgetgaranti tables, mentor budget and
  ramme, driftsloft, pulje). Published figures the document does not derive are carried with
  ``status: fra_notat``.
- ``initiatives`` — changes to the caseload (participants moved between activation types, time
  on benefit, staff, offers bought) with a start date and a duration, phased by year.
- ``assumptions`` — effects and caseload growth: what a sensitivity run varies.
- ``sensitivity`` — the tornado and the seeded Monte Carlo over named assumptions.
- ``memo`` — the text of the memo (heading, baggrund); the numbers come from the engines.

Every number a person may read is a :class:`Sourced` value (value + source + status + note)
or a :class:`Series` (values by year + source + status), or a :class:`RateRef` to a table in
``rates/`` looked up at a date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import Enum
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from budgetmodel.codes import Activation, Benefit, IndsatsExpense, TargetGroup  # the codes shared by panels, rates and scenarios
from budgetmodel.unitcost.profile import UnitCostProfile
from budgetmodel.unitcost.scenario_section import MethodsSection  # issue 15: published methods on own figures
from budgetmodel.rates.schema import parse_band

StrictDate = Annotated[dt.date, Field(strict=True)]
# every number in a scenario is finite and within ±10^13 (kroner, persons or shares: far beyond
# any municipality's), so no product or sum the engines form can overflow to infinity
MAX_NUMBER = 1e13


def _bounded(v: float | int) -> float | int:
    if not math.isfinite(v) or abs(v) > MAX_NUMBER:
        raise ValueError("tallet skal være endeligt og højst ±10^13")
    return v


Number = Annotated[StrictFloat | StrictInt, AfterValidator(_bounded)]  # a message for text says "valid number"
Slug = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
FileId = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
Year = Annotated[int, Field(ge=2000, le=2100)]
Text = Annotated[StrictStr, Field(min_length=1)]
SourceText = Annotated[StrictStr, Field(min_length=3)]

# Codes shared with the rest of the model (the refund engine's panel codes and the rate tables).
AgeGroup = Literal["under_30", "over_30", "alle"]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputStatus(str, Enum):
    """Where a scenario number comes from."""

    fra_notat = "fra_notat"  # printed in the source document, which gives no derivation: taken as given
    derived = "derived"  # computed from a document's figures; the computation is in `note`
    data = "data"  # a published statistic (data/ or a document table)
    law = "law"  # a rule or amount set by law or by the state (e.g. an udmeldt ramme)
    assumption = "assumption"  # a choice where the documents are silent; varied by sensitivity runs


class Sourced(Frozen):
    """One number with its source. ``value`` is in the unit the field name states."""

    value: Number
    source: SourceText
    status: InputStatus
    note: StrictStr = ""


class NonNegative(Sourced):
    value: Annotated[Number, Field(ge=0)]


class Share(Sourced):
    """A fraction in [0, 1] (not percent)."""

    value: Annotated[Number, Field(ge=0, le=1)]


class OpenShare(Share):
    """A fraction strictly between 0 and 1: a share that is never none or all (the municipality's
    share of the national bloktilskud)."""

    value: Annotated[Number, Field(gt=0, lt=1)]


class Series(Frozen):
    """Values by budget year, e.g. a published line of a memo table.

    ``unit`` is ``tdkk`` (1.000 kr., as memo tables print), ``dkk`` or ``count`` (e.g.
    helårspersoner); the engines receive kroner.
    """

    label: StrictStr = ""
    unit: Literal["tdkk", "dkk", "count"]
    by_year: dict[Year, Number] = Field(min_length=1)
    source: SourceText
    status: InputStatus
    note: StrictStr = ""

    def dkk(self, year: int) -> float:
        """The value in kroner (or the count, for unit 'count')."""
        v = float(self.by_year[year])
        return v * 1000.0 if self.unit == "tdkk" else v

    def as_dkk(self) -> dict[int, float]:
        return {y: self.dkk(y) for y in self.by_year}


class RateRef(Frozen):
    """A value taken from a rate table in ``rates/`` (law), looked up at ``at`` (default:
    ``law.rates_at``, else ``law.as_if``, else each budget year's 1 January), times ``factor`` (e.g. 12 to turn a monthly rate into a yearly one)."""

    rate: Slug
    where: dict[Slug, StrictStr | StrictInt] = Field(default_factory=dict)
    at: StrictDate | None = None
    factor: Annotated[Number, Field(gt=0)] = 1
    note: StrictStr = ""


# ---------------------------------------------------------------------------------------------
# municipality profile


class CaseloadGroup(Frozen):
    """Persons on benefit in one target group, and what can be done with them.

    ``activation`` gives the share of helårspersoner by activation type (the rest is 'none');
    ``duration`` the share by duration band in weeks of the refund count ('1-4', '5-26', '27-52',
    '53+'), summing to 1. Cells for the aggregate refund path are helårspersoner × activation share
    × duration share (the two mixes taken as independent).
    """

    label: Text
    target_group: TargetGroup
    benefit: Benefit
    age: AgeGroup
    helaarspersoner: NonNegative
    long_term_helaarspersoner: NonNegative | None = None  # ≥ 1 year on public support
    placeable_share: Share | None = None  # can be placed in company-based offers
    activatable_share: Share | None = None  # can be activated at all
    # kr. per helårsperson per year: a number, a rate reference, or rate references summed
    # (e.g. uddannelseshjælp + aktivitetstillæg)
    benefit_dkk_per_helaarsperson: NonNegative | RateRef | list[RateRef] | None = None
    benefit_label: StrictStr = ""  # how a memo names the benefit level, e.g. 'takst for ej-forsørger'
    activation: dict[Activation, Share] = Field(default_factory=dict)
    duration: dict[StrictStr, Share] = Field(default_factory=dict)
    purchases: dict[Activation, NonNegative] = Field(default_factory=dict)  # helårstilbud bought per year, by offer type
    activation_duty_helaarspersoner: NonNegative | None = None  # minimum helårspersoner in offers, if any
    first_3_months_share: Share | None = None  # share in their first 3 months (visitation conversations)
    staff_group: Slug | None = None  # the key in municipality.staff.target_groups whose staff serves this group

    @field_validator("duration")
    @classmethod
    def _bands(cls, v: dict[str, Share]) -> dict[str, Share]:
        if not v:
            return v
        spans = []
        for band in v:
            lo, hi = parse_band(band)  # ValueError names the bad band
            spans.append((lo, hi))
        spans.sort(key=lambda s: s[0])
        if spans[0][0] != 1:
            raise ValueError("varighedsbåndene skal begynde i uge 1")
        for (alo, ahi), (blo, _) in zip(spans, spans[1:]):
            if ahi is None or blo != ahi + 1:
                raise ValueError(f"varighedsbåndene skal følge hinanden uden huller eller overlap (efter {alo}-{ahi or ''} kommer {blo})")
        if spans[-1][1] is not None:
            raise ValueError("det sidste varighedsbånd skal være åbent (fx '53+')")
        total = sum(s.value for s in v.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"varighedsandelene skal summe til 1; de summer til {total:g}")
        return v

    @field_validator("activation")
    @classmethod
    def _activation_sum(cls, v: dict[str, Share]) -> dict[str, Share]:
        total = sum(s.value for s in v.values())
        if total > 1.0 + 1e-9:
            raise ValueError(f"aktiveringsandelene må højst summe til 1; de summer til {total:g}")
        return v

    @model_validator(mode="after")
    def _long_term_within(self) -> "CaseloadGroup":
        if self.long_term_helaarspersoner is not None and self.long_term_helaarspersoner.value > self.helaarspersoner.value:
            raise ValueError("long_term_helaarspersoner kan ikke være større end helaarspersoner")
        return self


class ForecastCaseload(Frozen):
    """Extension point (issue 7): take the caseload from a forecast of a person-week panel.

    When set, ``budgetmodel.forecast.caseload.forecast_caseload`` projects the panel ``years`` ISO
    years past its end, and the forecast's cells (helårspersoner by benefit × activation ×
    duration band, with its benefit level) replace the groups on the benefits it covers when
    the caseload is priced; each year is priced by the refund law in force in that year. The
    scenario's budget years must lie in the forecast's years. Paths are relative to the file
    that names them; the input hash covers the files' contents, not their paths.
    """

    panel: Text
    years: Annotated[int, Field(ge=1, le=20)]
    inflow_growth: Sourced | None = None  # yearly inflow growth as a fraction (0.1 = 10 pct.)
    assumptions: Text | None = None  # a forecast assumptions file (`forecast:` section)
    note: StrictStr = ""


class Caseload(Frozen):
    source: SourceText
    groups: dict[Slug, CaseloadGroup] = Field(min_length=1)
    forecast: ForecastCaseload | None = None


class Prices(Frozen):
    wage_dkk_per_aarsvaerk: NonNegative  # a caseworker's yearly wage (kr. per årsværk, excl. overhead)
    helaarstilbud_dkk: dict[AgeGroup, NonNegative] = Field(default_factory=dict)  # price of one helårstilbud (external offer) by age


class DriftsloftPool(Frozen):
    """The helårspersoner whose driftsloft pools the refundable operating costs of active offers,
    and those costs (refund = rate × min(expenses, loft × helårspersoner))."""

    helaarspersoner: NonNegative
    operating_expenses_dkk: NonNegative | None = None


class Municipality(Frozen):
    name: Text
    kommunekode: Annotated[int, Field(ge=101, le=999)] | None = None
    bloktilskud_share: OpenShare  # the municipality's share of the national bloktilskud (fraction)
    population_18_64: NonNegative | None = None
    caseload: Caseload
    staff: UnitCostProfile | None = None  # the unit-cost model's profile (budgetmodel.unitcost.profile)
    prices: Prices
    driftsloft_pool: DriftsloftPool | None = None


# ---------------------------------------------------------------------------------------------
# law


class LawChange(Frozen):
    """A change in law that a scenario assumes, by the date it takes effect."""

    title: Text
    in_force: StrictDate
    source: SourceText
    note: StrictStr = ""


class LawOverride(Frozen):
    """One rate value laid over the rate book, as a reform proposal would change the law: the
    table, the cell (``where``), from when (and optionally until when), the value in the table's
    unit, its source and a note. Checked like a rate value (the table, the cell and the unit must
    exist) and cited in the memo's Kilder with status ``reform``."""

    table: Slug
    where: dict[Slug, StrictStr | StrictInt] = Field(default_factory=dict)
    valid_from: StrictDate
    valid_to: StrictDate | None = None
    value: Number | StrictStr | StrictBool
    source: SourceText
    note: StrictStr = ""


class Law(Frozen):
    """Which law prices the scenario.

    Without ``as_if`` every week is priced by the law in force that week (rates/ gives each value
    its dates): a 2014-2017 scenario is priced by the 2014 rules in 2014-2015 and by the
    refusionstrappe from 2016-01-04. ``as_if: DATE`` prices every week of every budget year by the
    law of that one date (a 'what if' comparison, printed as such). ``rates_at`` is the date the
    benefit levels (satser) of rate references are read at (default: ``as_if``, else each budget
    year's 1 January). ``overrides`` change the law by parameter, laid over the rate book."""

    as_if: StrictDate | None = None
    rates_at: StrictDate | None = None
    overrides: list[LawOverride] = Field(default_factory=list)
    changes: dict[Slug, LawChange] = Field(default_factory=dict)
    note: StrictStr = ""


# Fields that were renamed or removed: (path in the scenario) → what replaced them. A file that
# still uses one gets an error naming the replacement (load.py), never a silent reinterpretation.
RENAMED_FIELDS: dict[tuple[str, ...], str] = {
    ("law", "refund_rules_at"): (
        "law.refund_rules_at er erstattet af law.as_if: uden as_if prissættes hver uge efter loven i kraft "
        "den uge; skriv law: {as_if: DATO} for at regne alle år efter loven på én dato"
    ),
    ("initiatives", "*", "refund_gain_dkk_per_year"): (
        "refund_gain_dkk_per_year er fjernet: den øgede statsrefusion beregnes af modellen (flyttede deltagere "
        "prissat efter refusionsreglerne); et trykt tal hører i en note"
    ),
}


def renamed_fields(data: Any) -> list[tuple[tuple[str, ...], str]]:
    """Every use of a renamed or removed field in raw scenario data: (location, message)."""
    out: list[tuple[tuple[str, ...], str]] = []

    def walk(node: Any, pattern: tuple[str, ...], loc: tuple[str, ...], message: str) -> None:
        if not pattern:
            out.append((loc, message))
            return
        if not isinstance(node, dict):
            return
        head, rest = pattern[0], pattern[1:]
        keys = list(node) if head == "*" else ([head] if head in node else [])
        for k in keys:
            if not rest:
                out.append(((*loc, str(k)), message))
            else:
                walk(node[k], rest, (*loc, str(k)), message)

    for pattern, message in RENAMED_FIELDS.items():
        walk(data, pattern, (), message)
    return out


# ---------------------------------------------------------------------------------------------
# budget: the financing inputs of a reform memo


class ReformCaseloadCell(Frozen):
    """Helårspersoner on one benefit in one activation (or a change in them), by year: of a caseload
    group (its benefit, level, activation and duration mix unless given here) or of a benefit given
    here with its level and duration band."""

    group: Slug | None = None  # a key in municipality.caseload.groups
    benefit: Benefit | None = None
    activation: Activation | None = None  # default: the group's activation mix ('none' without a group)
    band: StrictStr | None = None  # duration band of the refund count, e.g. '53+' (default: the group's duration mix)
    benefit_dkk_per_helaarsperson: NonNegative | RateRef | list[RateRef] | None = None  # default: the group's
    helaarspersoner: Series  # unit count; negative = fewer

    @model_validator(mode="after")
    def _enough(self) -> "ReformCaseloadCell":
        if self.helaarspersoner.unit != "count":
            raise ValueError("helaarspersoner skal have unit: count")
        if self.group is None:
            missing = [k for k in ("benefit", "band", "benefit_dkk_per_helaarsperson") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"uden group skal cellen give {', '.join(missing)}")
        if self.band is not None:
            parse_band(self.band)  # ValueError names the bad band
        return self


class ReformExpenseCell(Frozen):
    """Operating expenses of one offer type for one target group (a change in them, or the
    expenses a change in law reprices), by year; refunded by rates/refusion_driftsudgifter, within
    the driftsloft pool of municipality.driftsloft_pool while a loft is law."""

    label: StrictStr = ""
    target_group: TargetGroup
    activation: Activation  # the offer type (its expense code: codes.ACTIVATION_EXPENSE)
    benefit_month: Annotated[int, Field(ge=1, le=240)] = 1  # month of the kontanthjælp period (the jobparate rule)
    amount: Series  # unit tdkk or dkk


class OldLaw(Frozen):
    """The law a reform line compares with: the rate book WITHOUT the scenario's law.overrides
    (unless ``overrides: true``), each week by the law in force that week, or every week by the
    law of ``as_if``."""

    as_if: StrictDate | None = None
    overrides: StrictBool = False


class ReformComputation(Frozen):
    """A reform line computed by the model: the municipality's net spending (benefit × (1 − the
    state's share) + operating expenses − their refund, every week through the refund gateway)

    - on ``caseload`` and ``expenses`` under the scenario's law (a change in the caseload), or
    - with ``old_law``: under the scenario's law minus under the old law (a refusionsomlægning:
      the same caseload, repriced by a changed law)."""

    caseload: list[ReformCaseloadCell] = Field(default_factory=list)
    expenses: list[ReformExpenseCell] = Field(default_factory=list)
    old_law: OldLaw | None = None

    @model_validator(mode="after")
    def _something(self) -> "ReformComputation":
        if not self.caseload and not self.expenses:
            raise ValueError("en beregnet linje skal have caseload eller expenses")
        return self


class ReformLine(Series):
    """One line of a reform's consequences: given (``by_year``, with its source and status) or
    computed by the model (``computed``: a caseload or a change in it, valued under the law).
    Where ``by_year`` is a reading inside the document's rounding (the notat added unrounded lines),
    or the line is computed, ``printed`` holds the figure as printed, which the run checks."""

    unit: Literal["tdkk", "dkk", "count"] = "tdkk"
    by_year: Annotated[dict[Year, Number], Field(min_length=1)] | None = None
    printed: dict[Year, Number] | None = None
    computed: ReformComputation | None = None
    # the same amount as another series of the budget (one cause in two tables), e.g.
    # budget.mentor.lines.udvidet_maalgruppe.amount: changing it moves both lines
    same_as: Annotated[StrictStr, Field(pattern=r"^budget(\.[a-z0-9_]+)+$")] | None = None

    @model_validator(mode="after")
    def _given_or_computed(self) -> "ReformLine":
        if sum(x is not None for x in (self.by_year, self.computed, self.same_as)) != 1:
            raise ValueError(
                "en linje har enten by_year (givet med kilde), computed (beregnet af sagsstammen og loven) "
                "eller same_as (samme beløb som en anden serie i budgettet), præcis én af dem"
            )
        return self


class BudgetgarantiPart(Frozen):
    """One sub-table of a reform's consequences (ydelsesdelen, indsatsdelen).

    The municipality's own change is the sum of ``lines``; the state's regulation is ``national``
    (the DUT or the budgetgaranti's national figure, with its source) times the municipality's
    share of ``key``: the bloktilskud (``municipality.bloktilskud_share``) or the covered expenses
    (``budget.budgetgaranti.covered_expenses_share``). The printed 'I alt', 'Ifølge staten' and
    'Forskel' are checks of the computed figures, not inputs."""

    title: Text
    lines: dict[Slug, ReformLine] = Field(min_length=1)
    national: Series
    key: Literal["bloktilskud", "covered_expenses"] = "bloktilskud"
    local: Series | None = None  # printed 'I alt' (a check)
    state: Series | None = None  # printed 'Ifølge staten' (a check)
    difference: Series | None = None  # printed 'Forskel' (a check)

    @model_validator(mode="before")
    @classmethod
    def _replaced(cls, data: Any) -> Any:
        if isinstance(data, dict) and "national" not in data and "state" in data:
            raise ValueError(
                "'national' mangler: statens regulering beregnes nu som landstallet (DUT eller budgetgarantiens "
                "landstal, med kilde) × kommunens andel af nøglen; 'state' ('Ifølge staten') og 'local' ('I alt') "
                "er kontroller af de beregnede tal, og 'I alt' er summen af 'lines'"
            )
        return data


class BudgetgarantiSummary(Frozen):
    """The printed summary table (I alt, Ifølge staten, Forskel): a check, not an input."""

    local: Series | None = None
    state: Series | None = None
    difference: Series | None = None


class Budgetgaranti(Frozen):
    title: Text = "Kontanthjælpsreformen"
    parts: dict[Slug, BudgetgarantiPart] = Field(min_length=1)
    covered_expenses_share: Share | None = None  # the municipality's share of the covered expenses (key covered_expenses)
    summary: BudgetgarantiSummary | None = None

    @model_validator(mode="after")
    def _key_share(self) -> "Budgetgaranti":
        uses = [k for k, p in self.parts.items() if p.key == "covered_expenses"]
        if uses and self.covered_expenses_share is None:
            raise ValueError(f"delene {uses} fordeles efter de omfattede udgifter: giv covered_expenses_share")
        return self


class MentorLine(Frozen):
    label: Text
    target_group: TargetGroup  # decides the refund: capped by the ramme, uncapped (ressourceforløb) or none
    amount: Series


class Mentor(Frozen):
    """Mentor budget and the mentorramme (seed 004, 'Mentorudgifter').

    ``basis: net`` = the amounts are the municipality's budget after the 50 pct refund it counted
    on (the notat's reading); ``gross`` = before refund."""

    basis: Literal["net", "gross"]
    ramme_dkk: NonNegative  # the udmeldte ramme
    lines: dict[Slug, MentorLine] = Field(min_length=1)
    budget: Series | None = None  # printed 'Budget mentor' (a check)
    challenge: Series | None = None  # printed 'Samlet budgetudfordring' (a check)


class OldLoft(Frozen):
    """The loft the budget was laid with before the recomputation: a basis of rates/driftsloft, or
    ``ikke_bindende`` (the budget counted on the refund of every refundable expense)."""

    basis: Literal["udmeldt", "genberegnet", "ikke_bindende"]
    source: SourceText
    status: InputStatus
    note: StrictStr = ""


class DriftsloftExpense(Frozen):
    """Operating expenses of active offers under the driftsloft (kroner by year), with the refund
    cell they are priced by (rates/refusion_driftsudgifter)."""

    label: StrictStr = ""
    target_group: TargetGroup
    expense: IndsatsExpense
    benefit_month: Annotated[int, Field(ge=1, le=240)] = 1
    amount: Series


class Driftsloft(Frozen):
    """The recomputed driftsloft (seed 004, 'Genberegning af driftsloftet'), while it was law
    (2014-2018, dagpenge to mid-2019). The lofts are law (rates/driftsloft); the scenario gives the
    helårspersoner by target group and the operating expenses, and

        refund(loft) = rate × min(expenses, loft × helårspersoner)   per loft group
        challenge    = refund(old loft) − refund(recomputed loft)

    The printed loss per helårsperson and line are checks."""

    basis: Literal["udmeldt", "genberegnet"] = "genberegnet"
    old_loft: OldLoft
    helaarspersoner: dict[TargetGroup, Series] = Field(min_length=1)  # unit count
    expenses: dict[Slug, DriftsloftExpense] = Field(min_length=1)
    loss_dkk_per_helaarsperson: Series | None = None  # printed 'Tab pr. helårsperson i kr.' (a check)
    challenge: Series | None = None  # printed 'Samlet budgetudfordring i 1.000 kr.' (a check)

    @model_validator(mode="before")
    @classmethod
    def _replaced(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("helaarspersoner"), dict) and "by_year" in data["helaarspersoner"]:
            raise ValueError(
                "driftsloftet beregnes nu af sine årsager: 'helaarspersoner' gives pr. målgruppe "
                "({målgruppe: serie}), driftsudgifterne under 'expenses' og det gamle loft under 'old_loft'; "
                "'loss_dkk_per_helaarsperson' og 'challenge' er kontroller af det beregnede"
            )
        return data


class OevoMentor(Frozen):
    """ØVO and mentor spending and the fuldtidspersoner of LAB § 6, nr. 1-10, by year: from 2026 the
    budgetgaranti counts the spending only up to the limit per fuldtidsperson (LAB § 203 a,
    rates/beloebsgraense_oevo_mentor); the excess is the municipality's own."""

    label: Text = "ØVO og mentor over beløbsgrænsen"
    spending: Series  # unit dkk or tdkk
    fuldtidspersoner: Series  # unit count


class BeskaeftigelsestilskudOwn(Frozen):
    """The municipality's own figures for one grant year (kroner; unemployment in fuldtidspersoner)."""

    grant_two_years_before_dkk: Sourced  # its total beskæftigelsestilskud in the grant year − 2
    unemployed_key_year: NonNegative  # bruttoledige in the key year (grant year − 2)
    unemployed_grant_year: NonNegative  # bruttoledige in the grant year
    net_expenses_dkk: Sourced | None = None  # its net expenses on insured unemployed (the grant's area)


class BeskaeftigelsestilskudLandsdel(Frozen):
    """The landsdel's published totals for one grant year."""

    name: Text
    grundtilskud_dkk: Sourced  # the grundtilskud of all the landsdel's municipalities
    net_expenses_foreloebig_dkk: Sourced  # expected net expenses when the grant was set
    net_expenses_midtvejs_dkk: Sourced | None = None  # at the midtvejsregulering (in the grant year)
    net_expenses_endelig_dkk: Sourced | None = None  # actual, at the efterregulering (the year after)
    unemployed_key_year: NonNegative
    unemployed_grant_year: NonNegative


class BeskaeftigelsestilskudYear(Frozen):
    price_wage_factor: NonNegative  # P/L uprating from the grant year − 2 to the grant year
    own: BeskaeftigelsestilskudOwn
    landsdel: BeskaeftigelsestilskudLandsdel


class Beskaeftigelsestilskud(Frozen):
    """The beskæftigelsestilskud (LUL § 23 a-b) by grant year: grundtilskud, merudgiftsbehov with its
    midtvejs- and efterregulering, and the forsikringsordning, from the municipality's own figures
    and its landsdel's. Its budget line is the own net expenses minus the grant (or minus the grant
    alone, when the expenses are not given)."""

    label: Text = "Beskæftigelsestilskud"
    years: dict[Year, BeskaeftigelsestilskudYear] = Field(min_length=1)


class Budget(Frozen):
    budgetgaranti: Budgetgaranti | None = None
    mentor: Mentor | None = None
    driftsloft: Driftsloft | None = None
    oevo_mentor: OevoMentor | None = None
    beskaeftigelsestilskud: Beskaeftigelsestilskud | None = None
    fixed_lines: dict[Slug, Series] = Field(default_factory=dict)  # lines taken as printed, e.g. the pulje (fra notat)
    caseload_groups: list[Slug] = Field(default_factory=list)  # caseload groups whose net cost after the state's share is a budget line
    total: Series | None = None  # printed 'Samlet budgetudfordring' (a check)
    netto: Series | None = None  # printed 'Samlet budgetudfordring, netto' (a check)


# ---------------------------------------------------------------------------------------------
# initiatives


class OfferReduction(Frozen):
    """Fewer external helårstilbud bought, by age group (priced by municipality.prices): the
    offers of the initiative's ``from_activation`` bought for the caseload group of the same
    target group and age."""

    helaarstilbud: NonNegative
    price_dkk: NonNegative | None = None  # default: municipality.prices.helaarstilbud_dkk[age]


class OfferChange(Frozen):
    """External helårstilbud bought more (positive) or less (negative) for one caseload group and
    offer type, at a price (default: municipality.prices.helaarstilbud_dkk for the group's age)."""

    group: Slug  # a key of municipality.caseload.groups
    activation: Activation  # the offer type bought
    helaarstilbud: Sourced  # + more, − fewer, per year at full effect
    price_dkk: NonNegative | None = None
    benefit_month: Annotated[int, Field(ge=1, le=240)] | None = None  # default: the initiative's participant_benefit_month


class Initiative(Frozen):
    """A change to the caseload, with a start date and a duration: staff who move participants
    of one caseload group from one activation type to another (and perhaps shorten their time on
    benefit), and offers bought more or less. The run prices the caseload with and without it by
    the same refund rules, week by week; a budget year counts the share of its months the
    initiative runs (a part month by its share of days).

    Staff: ``staff_count`` persons; their wage per årsværk is ``municipality.prices.
    wage_dkk_per_aarsvaerk`` unless the initiative gives ``wage_dkk_per_staff`` (per person) or
    ``wage_dkk_per_year`` (in total for the stated count). Participants: ``persons_per_staff`` ×
    ``staff_count`` or ``participants`` in total."""

    title: Text
    start: StrictDate
    duration_months: Annotated[int, Field(ge=1, le=240)]
    target_group: Slug  # a key of municipality.caseload.groups: the group the participants come from
    staff_label: StrictStr = ""  # what the staff are called in tables, e.g. 'personlige jobformidlere'
    staff_count: NonNegative  # persons employed (årsværk)
    wage_dkk_per_staff: NonNegative | None = None  # yearly wage per person; default municipality.prices.wage_dkk_per_aarsvaerk
    wage_dkk_per_year: NonNegative | None = None  # total yearly wage of the staff as stated (for staff_count persons)
    persons_per_staff: NonNegative | None = None  # participants each staff member keeps in the new activation
    participants: NonNegative | None = None  # or: participants in total (helårspersoner at full effect)
    from_activation: Activation = "vejledning_opkvalificering"  # taken first from here, then from the group's other non-company activations in their duration band
    to_activation: Activation = "virksomhedspraktik"
    # where the participants are in their time on benefit: the week of their spell / refund count
    # (prices the benefit refund; default: spread like the group's duration mix) and the month of
    # their benefit period (prices the refund of the offers bought; jobparate vejledning og
    # opkvalificering has none in months 1-24; default: the month of participant_week)
    participant_week: Annotated[int, Field(ge=1, le=520)] | None = None
    participant_benefit_month: Annotated[int, Field(ge=1, le=240)] | None = None
    duration_effect: Share | None = None  # relative cut in participants' time on benefit; default assumptions.duration_effect
    offer_reductions: dict[AgeGroup, OfferReduction] = Field(default_factory=dict)
    offers: list[OfferChange] = Field(default_factory=list)
    note: StrictStr = ""

    @model_validator(mode="after")
    def _one_of_each(self) -> "Initiative":
        if self.persons_per_staff is not None and self.participants is not None:
            raise ValueError("giv enten persons_per_staff eller participants, ikke begge")
        if self.persons_per_staff is None and self.participants is None:
            raise ValueError("giv deltagerne: persons_per_staff (pr. medarbejder) eller participants (i alt)")
        if self.wage_dkk_per_staff is not None and self.wage_dkk_per_year is not None:
            raise ValueError("giv lønnen enten pr. medarbejder (wage_dkk_per_staff) eller i alt (wage_dkk_per_year), ikke begge")
        if self.from_activation == self.to_activation:
            raise ValueError(f"from_activation og to_activation er begge '{self.to_activation}': et initiativ flytter deltagere mellem to aktiveringstyper")
        return self


# ---------------------------------------------------------------------------------------------
# assumptions and sensitivity


class Assumptions(Frozen):
    """Assumptions, never law: what a sensitivity run varies."""

    duration_effect: Share  # relative cut in time on benefit for participants (default 0 as published)
    caseload_growth: Sourced  # yearly growth of the caseload (fraction; 0 = flat)
    weeks_per_placement: NonNegative | None = None  # average length of one company placement
    keep_current_staff: StrictBool = True  # staff may be moved between tasks, not dismissed
    optimiser_budget_dkk: NonNegative | None = None  # wages + purchases to spend; default: today's
    other: dict[Slug, Sourced] = Field(default_factory=dict)


RelativePct = Annotated[Number, Field(gt=0, le=100)]


def _check_range(item: Any, what: str) -> None:
    """A range is either ``low``/``high`` or ``relative_pct`` (± pct. of the base value), not both."""
    given = item.low is not None or item.high is not None
    if item.relative_pct is not None and given:
        raise ValueError(f"giv enten low/high eller relative_pct for {what}, ikke begge")
    if item.relative_pct is None and (item.low is None or item.high is None):
        raise ValueError(f"{what} skal have low og high eller relative_pct (fx 20 for ±20 pct. af basisværdien)")
    if item.low is not None and item.high is not None and item.low > item.high:
        raise ValueError(f"low ({item.low}) må ikke være større end high ({item.high})")


class TornadoItem(Frozen):
    parameter: Text  # dotted path to a Sourced value, e.g. initiatives.personlig_jobformidler.persons_per_staff
    label: Text
    low: Number | None = None
    high: Number | None = None
    relative_pct: RelativePct | None = None  # low/high = base × (1 ∓ relative_pct/100)

    @model_validator(mode="after")
    def _order(self) -> "TornadoItem":
        _check_range(self, "tornadoens interval")
        return self


class Uncertain(Frozen):
    parameter: Text
    label: Text
    distribution: Literal["triangular", "uniform"]
    low: Number | None = None
    mode: Number | None = None  # triangular only; with relative_pct the base value
    high: Number | None = None
    relative_pct: RelativePct | None = None

    @model_validator(mode="after")
    def _shape(self) -> "Uncertain":
        _check_range(self, "fordelingen")
        if self.distribution == "triangular":
            if self.mode is None and self.relative_pct is None:
                raise ValueError("en trekantfordeling skal have mode")
            if self.mode is not None and self.low is not None and self.high is not None and not self.low <= self.mode <= self.high:
                raise ValueError(f"mode ({self.mode}) skal ligge mellem low og high")
        elif self.mode is not None:
            raise ValueError("kun en trekantfordeling har mode")
        return self


SensitivityMeasure = Literal["initiatives", "budget", "caseload"]


class Sensitivity(Frozen):
    seed: Annotated[int, Field(ge=0)]
    draws: Annotated[int, Field(ge=100, le=200_000)]
    # the result measured, summed over the budget years: the initiatives' net effect, the budget
    # table's bottom line or the municipality's net benefit cost; default: initiatives if any, else budget
    measure: SensitivityMeasure | None = None
    tornado: list[TornadoItem] = Field(default_factory=list)
    monte_carlo: list[Uncertain] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# memo text


class Memo(Frozen):
    template: Literal["businesscase", "reform", "budget"]
    heading: Text
    subheading: StrictStr = ""
    date: StrictDate | None = None
    journal: StrictStr = ""
    author: StrictStr = ""
    summary: list[Text] = Field(default_factory=list)
    background: list[Text] = Field(default_factory=list)
    source: SourceText


# ---------------------------------------------------------------------------------------------
# the scenario


class Scenario(Frozen):
    kind: Literal["scenario"]
    id: FileId
    title: Text
    description: StrictStr = ""
    years: list[Year] = Field(min_length=1)
    municipality: Municipality
    law: Law
    budget: Budget = Budget()
    initiatives: dict[Slug, Initiative] = Field(default_factory=dict)
    assumptions: Assumptions
    sensitivity: Sensitivity | None = None
    memo: Memo | None = None
    methods: MethodsSection | None = None

    @field_validator("years")
    @classmethod
    def _years(cls, v: list[int]) -> list[int]:
        if v != sorted(set(v)):
            raise ValueError("årene skal være forskellige og stigende")
        if v != list(range(v[0], v[-1] + 1)):
            raise ValueError("årene skal følge hinanden uden huller")
        return v


SECTIONS = tuple(n for n in Scenario.model_fields if n not in ("kind",))


def _fragment_model() -> type[BaseModel]:
    """A fragment: any sections of a scenario, each complete in itself."""
    from pydantic import create_model

    fields: dict[str, Any] = {"kind": (Literal["scenario-fragment"], ...), "id": (FileId, ...), "description": (StrictStr, "")}
    for name, info in Scenario.model_fields.items():
        if name in fields:
            continue
        fields[name] = (Union[info.annotation, None], None)  # type: ignore[name-defined]
    return create_model("ScenarioFragment", __config__=ConfigDict(extra="forbid", frozen=True), **fields)


ScenarioFragment = _fragment_model()

_PATH_PART = re.compile(r"^[A-Za-z0-9_]+$")


def resolve_parameter(scenario: Scenario, path: str) -> Sourced:
    """The Sourced value at a dotted path (e.g. ``assumptions.duration_effect``); KeyError if none."""
    node: Any = scenario
    for part in path.split("."):
        if not _PATH_PART.match(part):
            raise KeyError(f"'{path}' er ikke en sti med punktummer")
        if isinstance(node, BaseModel):
            if part not in type(node).model_fields:
                raise KeyError(f"'{path}': intet felt '{part}'")
            node = getattr(node, part)
        elif isinstance(node, dict):
            if part not in node:
                if part.isdigit() and int(part) in node:  # the beskæftigelsestilskud's grant years
                    raise KeyError(f"'{path}': tal under et årstal ('{part}') kan ikke varieres i følsomhedsanalysen (de afregnes år for år i øre)")
                raise KeyError(f"'{path}': ingen nøgle '{part}' (har: {', '.join(map(str, node))})")
            node = node[part]
        else:
            raise KeyError(f"'{path}': kan ikke gå ind i '{part}'")
    if not isinstance(node, Sourced):
        raise KeyError(f"'{path}' er ikke en værdi med kilde (value/source/status)")
    return node


def with_parameter(scenario: Scenario, path: str, value: Any) -> Scenario:
    """A copy of the scenario with the Sourced value at ``path`` set to ``value`` (for sensitivity
    runs). The copy is rebuilt along the path only, without re-validating the whole scenario; the
    new value is checked against the field's own bounds.

    ``value`` may be a numpy array of draws (``budgetmodel.draws``): its smallest and largest
    element are checked against the bounds (so the set is refused if any draw is out of them),
    and the array is placed where the number was, for the valuation to compute every draw at once."""
    from budgetmodel.draws import bounds, is_draws

    old = resolve_parameter(scenario, path)
    if is_draws(value):
        dump = old.model_dump()
        for v in bounds(value):
            type(old).model_validate({**dump, "value": v})
        new = old.model_copy(update={"value": value})
    else:
        new = type(old).model_validate({**old.model_dump(), "value": value})
    return _replace(scenario, path.split("."), new)


def _replace(node: Any, parts: list[str], new: Any) -> Any:
    if not parts:
        return new
    head, rest = parts[0], parts[1:]
    if isinstance(node, BaseModel):
        return node.model_copy(update={head: _replace(getattr(node, head), rest, new)})
    return {**node, head: _replace(node[head], rest, new)}
