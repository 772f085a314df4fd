"""The pydantic check of ``data/assumptions/passivity.yaml`` (imported only when the file is read
and checked, not when its checked form is kept: :func:`budgetmodel.unitcost.passivity.load_passivity_assumptions`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from budgetmodel.codes import ACTIVATIONS, BENEFITS
from budgetmodel.unitcost.passivity import PassivityAssumptions, SourcedValue, StarGroup
from budgetmodel.unitcost.sourced import Sourced, _Frozen

Weeks = Annotated[int, Field(ge=1, le=520)]


class PassivityAssumptionsFile(_Frozen):
    anciennity_weeks: Sourced[Weeks]
    window_weeks: Sourced[Weeks]
    active_activations: Sourced[list[Literal[ACTIVATIONS]]]  # type: ignore[valid-type]
    benefit_groups: Sourced[dict[Literal[BENEFITS], StarGroup]]  # type: ignore[valid-type]
    target_groups: Sourced[dict[str, StarGroup]]
    activatable_reading: Sourced[Literal["national_passive_share_of_long_term"]]

    def form(self) -> PassivityAssumptions:
        """The checked file as plain values."""

        def plain(s: Sourced) -> SourcedValue:
            return SourcedValue(s.value, s.status, s.source, s.unit, s.price_level, s.note)

        return PassivityAssumptions(*(plain(getattr(self, name)) for name in PassivityAssumptions.__dataclass_fields__))
