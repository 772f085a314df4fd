"""Typed inputs of the caps engines: driftsloft, mentorramme, budgetgaranti, initiatives, budget lines.

Every model is frozen and forbids unknown keys, so a scenario file that builds them reports every
problem with its location. Money is in kroner (float) throughout; 1.000 kr. is only a display unit.
Years are integer keys. Codes are those of the rate tables (``rates/refusion_driftsudgifter``,
``rates/refusion_forsoergelse``, ``rates/budgetgaranti``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator

from budgetmodel.codes import Activation, Benefit, IndsatsExpense, TargetGroup  # the codes shared by panels, rates and scenarios

Dkk = Annotated[float, Field(strict=True, allow_inf_nan=False)]
NonNegDkk = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]
Count = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]
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


class DriftsloftLossYear(Frozen):
    helaarspersoner: Count  # not printed in seed 004: derived (status in the scenario)
    loss_dkk_per_helaarsperson: NonNegDkk  # 'Tab pr. helårsperson i kr.' (fra notat)


class DriftsloftLossInput(Frozen):
    """The notat's driftsloft line: the refund lost per helårsperson under the new loft × helårspersoner."""

    label: Label = "Driftsloft aktiveringsudgifter"
    basis: LoftBasis = "genberegnet"
    years: dict[Year, DriftsloftLossYear] = Field(min_length=1)
    source: StrictStr = ""


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
    """One part of a reform's consequences (e.g. ydelsesdelen): the municipality's own change and the
    state's compensation through the bloktilskud, by year.

    Give the compensation either as the state computed it for the municipality (``state_dkk``,
    'Ifølge staten') or as the national change in covered expenses (``national_covered_change_dkk``),
    which is multiplied by the municipality's bloktilskud share."""

    label: Label
    local_dkk: dict[Year, Dkk] = Field(min_length=1)  # 'I alt'
    state_dkk: dict[Year, Dkk] | None = None
    national_covered_change_dkk: dict[Year, Dkk] | None = None
    lines: dict[Label, dict[Year, Dkk]] = Field(default_factory=dict)  # the printed detail lines (shown, not summed)

    @model_validator(mode="after")
    def _one_compensation(self) -> "BudgetgarantiPart":
        if (self.state_dkk is None) == (self.national_covered_change_dkk is None):
            raise ValueError("giv præcis én af state_dkk ('Ifølge staten') og national_covered_change_dkk")
        comp = self.state_dkk if self.state_dkk is not None else self.national_covered_change_dkk
        missing = sorted(set(self.local_dkk) - set(comp or {}))
        if missing:
            raise ValueError(f"statens tal mangler for år {missing} (local_dkk har dem)")
        return self


class BudgetgarantiInput(Frozen):
    label: Label = "Kontanthjælpsreformen"
    bloktilskud_share: Annotated[float, Field(strict=True, gt=0, lt=1)]  # fraction (LTK 0,935 pct. = 0.00935)
    parts: dict[Key, BudgetgarantiPart] = Field(min_length=1)
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
    driftsloft: DriftsloftLossInput | None = None
    fixed_lines: list[FixedLine] = Field(default_factory=list)
    initiatives: list[InitiativeLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _years_covered(self) -> "BudgetLinesInput":
        years = set(self.years)
        if len(years) != len(self.years):
            raise ValueError("years indeholder et år to gange")
        gaps: list[str] = []
        if self.budgetgaranti is not None:
            for key, part in self.budgetgaranti.parts.items():
                if miss := sorted(years - set(part.local_dkk)):
                    gaps.append(f"budgetgaranti.parts.{key}.local_dkk mangler {miss}")
        if self.mentor is not None and (miss := sorted(years - set(self.mentor.years))):
            gaps.append(f"mentor.years mangler {miss}")
        if self.driftsloft is not None and (miss := sorted(years - set(self.driftsloft.years))):
            gaps.append(f"driftsloft.years mangler {miss}")
        for line in self.fixed_lines:
            if miss := sorted(years - set(line.dkk)):
                gaps.append(f"fixed_lines[{line.key}].dkk mangler {miss}")
        keys = [line.key for line in self.fixed_lines]
        reserved = {"reform", "mentor", "driftsloft", "total", "initiatives", "netto"}
        if clash := sorted(set(keys) & reserved) or sorted({k for k in keys if keys.count(k) > 1}):
            gaps.append(f"fixed_lines bruger en nøgle, der allerede er i brug: {clash}")
        if gaps:
            raise ValueError("; ".join(gaps))
        return self
