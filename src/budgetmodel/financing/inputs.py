"""Typed inputs of the caps engines: driftsloft, mentorramme, budgetgaranti, initiatives, budget lines.

Every model is frozen and forbids unknown keys, so a scenario file that builds them reports every
problem with its location. Money is in kroner (float) throughout; 1.000 kr. is only a display unit.
Years are integer keys. Codes are those of the rate tables (``rates/refusion_driftsudgifter``,
``rates/refusion_forsoergelse``, ``rates/budgetgaranti``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, WrapValidator, field_validator, model_validator

from budgetmodel.codes import Activation, Benefit, IndsatsExpense, TargetGroup  # the codes shared by panels, rates and scenarios



def _or_draws(v, handler):
    """A sensitivity run's draws (a numpy array, ``budgetmodel.draws``) pass where a number is
    expected, their smallest and largest element checked as the number would be."""
    if type(v).__module__ == "numpy" and getattr(v, "ndim", 0) > 0:
        handler(float(v.min()))
        handler(float(v.max()))
        return v
    return handler(v)


Draws = WrapValidator(_or_draws)
Dkk = Annotated[float, Field(strict=True, allow_inf_nan=False), Draws]
NonNegDkk = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0), Draws]
Count = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0), Draws]
Year = Annotated[int, Field(strict=True, ge=2000, le=2100)]
Label = Annotated[StrictStr, Field(min_length=1)]
Key = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
StrictDate = Annotated[dt.date, Field(strict=True)]

LoftBasis = Literal["udmeldt", "genberegnet"]  # rates/driftsloft `basis`
Status = Literal["law", "derived", "assumption", "fra_notat", "data"]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------------
# driftsloft


class ActivationExpense(Frozen):
    """Operating expenses of active offers for one target group and expense type in a year."""

    target_group: TargetGroup
    expense: IndsatsExpense
    benefit_month: Annotated[int, Field(ge=1)] = 1  # month of the kontanthjælp period (jobparate rules)
    dkk: NonNegDkk


class DriftsloftInput(Frozen):
    """One year's helårspersoner by target group and the operating expenses under the driftsloft."""

    helaarspersoner: dict[TargetGroup, Count] = Field(min_length=1)
    expenses: list[ActivationExpense] = Field(default_factory=list)
    basis: LoftBasis = "udmeldt"


OldLoft = Literal["udmeldt", "genberegnet", "ikke_bindende"]


class DriftsloftRecomputationInput(Frozen):
    """A recomputed driftsloft: the same helårspersoner and operating expenses refunded under the old
    loft and under the new one, by year. ``old_basis: ikke_bindende`` = the budget counted on the
    refund of the whole refundable expense (the old loft did not bind)."""

    label: Label = "Driftsloft aktiveringsudgifter"
    basis: LoftBasis = "genberegnet"
    old_basis: OldLoft = "udmeldt"
    years: dict[Year, DriftsloftInput] = Field(min_length=1)
    source: StrictStr = ""

    @model_validator(mode="after")
    def _different(self) -> "DriftsloftRecomputationInput":
        if self.basis == self.old_basis:
            raise ValueError("det gamle og det nye loft er det samme (basis = old_basis)")
        return self


# ---------------------------------------------------------------------------------------------
# mentor


class MentorLine(Frozen):
    label: Label
    target_group: TargetGroup
    dkk: NonNegDkk


class MentorYear(Frozen):
    lines: list[MentorLine] = Field(min_length=1)
    ramme_dkk: NonNegDkk  # the municipality's udmeldte mentorramme (kroner of refund)


class MentorInput(Frozen):
    """Mentor budgets by year. ``basis: net`` = the amounts are the municipality's budget after the
    refund it counted on before the ramme (seed 004's 'Budget mentor'); ``gross`` = expenses."""

    label: Label = "Ramme mentorordninger"
    basis: Literal["gross", "net"]
    years: dict[Year, MentorYear] = Field(min_length=1)
    source: StrictStr = ""


# ---------------------------------------------------------------------------------------------
# budgetgaranti


class BudgetgarantiPart(Frozen):
    """One part of a reform's consequences (e.g. ydelsesdelen): the municipality's own change, line by
    line, and the national amount the state regulates the bloktilskud by, by year.

    local = the sum of ``lines`` (each line computed by the model or given with its source);
    state = ``national_dkk`` (the DUT or the budgetgaranti's national figure) × ``key_share``, the
    municipality's share of the key the law uses for the part (the bloktilskud, or the covered
    expenses); challenge = local − state."""

    label: Label
    lines: dict[Label, dict[Year, Dkk]] = Field(min_length=1)
    national_dkk: dict[Year, Dkk] = Field(min_length=1)
    key: Literal["bloktilskud", "covered_expenses"] = "bloktilskud"
    key_share: Annotated[float, Field(strict=True, ge=0, le=1), Draws]

    @model_validator(mode="after")
    def _years(self) -> "BudgetgarantiPart":
        years = set(self.national_dkk)
        gaps = [f"linjen '{k}' mangler år {sorted(years - set(v))}" for k, v in self.lines.items() if years - set(v)]
        if gaps:
            raise ValueError("; ".join(gaps))
        return self


class BudgetgarantiInput(Frozen):
    label: Label = "Kontanthjælpsreformen"
    bloktilskud_share: Annotated[float, Field(strict=True, gt=0, lt=1), Draws]  # fraction (LTK 0,935 pct. = 0.00935)
    parts: dict[Key, BudgetgarantiPart] = Field(min_length=1)
    source: StrictStr = ""


class OevoMentorYear(Frozen):
    """One year's ØVO and mentor spending and the fuldtidspersoner the limit is multiplied by
    (LAB § 203 a, from 2026: persons in LAB § 6, nr. 1-10)."""

    spending_dkk: NonNegDkk
    fuldtidspersoner: Count


class OevoMentorInput(Frozen):
    label: Label = "ØVO og mentor over beløbsgrænsen"
    years: dict[Year, OevoMentorYear] = Field(min_length=1)
    source: StrictStr = ""


# ---------------------------------------------------------------------------------------------
# initiatives


class InitiativeLine(Frozen):
    """An initiative's budget effect by year (expense +, saving −), valued by
    ``budgetmodel.financing.initiative`` as the caseload with it minus without it."""

    label: Label
    start: StrictDate
    duration_months: Annotated[int, Field(ge=1, le=600)]
    dkk: dict[Year, Dkk] = Field(min_length=1)


# ---------------------------------------------------------------------------------------------
# budget lines


class FixedLine(Frozen):
    """A line the document gives without anything to derive it from (e.g. a pulje set aside)."""

    key: Key
    label: Label
    dkk: dict[Year, Dkk] = Field(min_length=1)
    source: StrictStr = Field(min_length=3)
    status: Status


class BudgetLinesInput(Frozen):
    """Everything the multi-year budget-lines table composes. ``law_date`` is the date at which every
    rate is read for every year (seed 004 projects the 2014 law onto 2015-2017); without it each
    year reads the law in force on 1 January of that year."""

    years: list[Year] = Field(min_length=1)
    law_date: StrictDate | None = None
    budgetgaranti: BudgetgarantiInput | None = None
    mentor: MentorInput | None = None
    driftsloft: DriftsloftRecomputationInput | None = None
    oevo_mentor: OevoMentorInput | None = None
    fixed_lines: list[FixedLine] = Field(default_factory=list)
    computed_lines: list[FixedLine] = Field(default_factory=list)  # lines another engine computed (beskæftigelsestilskud)
    initiatives: list[InitiativeLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _years_covered(self) -> "BudgetLinesInput":
        years = set(self.years)
        if len(years) != len(self.years):
            raise ValueError("years indeholder et år to gange")
        gaps: list[str] = []
        if self.budgetgaranti is not None:
            for key, part in self.budgetgaranti.parts.items():
                if miss := sorted(years - set(part.national_dkk)):
                    gaps.append(f"budgetgaranti.parts.{key}.national_dkk mangler {miss}")
        if self.mentor is not None and (miss := sorted(years - set(self.mentor.years))):
            gaps.append(f"mentor.years mangler {miss}")
        if self.driftsloft is not None and (miss := sorted(years - set(self.driftsloft.years))):
            gaps.append(f"driftsloft.years mangler {miss}")
        for line in self.fixed_lines:
            if miss := sorted(years - set(line.dkk)):
                gaps.append(f"fixed_lines[{line.key}].dkk mangler {miss}")
        keys = [line.key for line in self.fixed_lines]
        if self.oevo_mentor is not None and (miss := sorted(years - set(self.oevo_mentor.years))):
            gaps.append(f"oevo_mentor.years mangler {miss}")
        reserved = {"reform", "mentor", "driftsloft", "oevo_mentor", "beskaeftigelsestilskud", "total", "initiatives", "netto"}
        if clash := sorted(set(keys) & reserved) or sorted({k for k in keys if keys.count(k) > 1}):
            gaps.append(f"fixed_lines bruger en nøgle, der allerede er i brug: {clash}")
        if gaps:
            raise ValueError("; ".join(gaps))
        return self
