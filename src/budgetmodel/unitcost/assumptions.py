"""The assumptions of the unit-cost model (salary, overhead, productive hours, segments) with sources.

They live in ``data/assumptions/unitcost.yaml``; a profile may override salary, overhead and hours
for its municipality. :func:`resolve` returns the values in force for one profile and says, for each,
whether it is the default (with its source) or the municipality's own figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from budgetmodel.paths import data_dir
from budgetmodel.sourcefile import load_model
from budgetmodel.unitcost.profile import TargetGroup, UnitCostProfile
from budgetmodel.unitcost.sourced import Sourced, _Frozen

Segment = Literal["taet", "langt", "syg"]


class UnitCostAssumptions(_Frozen):
    salary_dkk_per_aarsvaerk: Sourced[Annotated[float, Field(gt=0, allow_inf_nan=False)]]
    overhead_share: Sourced[Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]]
    productive_hours_per_aarsvaerk: Sourced[Annotated[float, Field(gt=0, allow_inf_nan=False)]]
    segments: Sourced[dict[TargetGroup, Segment]]
    samtaler_per_year_per_intensity: Sourced[Annotated[float, Field(gt=0, allow_inf_nan=False)]]


def default_path() -> Path:
    return data_dir() / "assumptions" / "unitcost.yaml"


def load_assumptions(path: Path | str | None = None) -> UnitCostAssumptions:
    model, _doc = load_model(path or default_path(), UnitCostAssumptions)
    return model


@dataclass(frozen=True)
class Used:
    """One assumption as used for a profile: the value and where it comes from."""

    name: str
    value: float
    unit: str
    source: str
    status: str
    note: str | None = None
    overridden: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "status": self.status,
            "overridden": self.overridden,
            "source": self.source,
            "note": self.note,
        }


def resolve(assumptions: UnitCostAssumptions, profile: UnitCostProfile) -> dict[str, Used]:
    out: dict[str, Used] = {}
    for name in ("salary_dkk_per_aarsvaerk", "overhead_share", "productive_hours_per_aarsvaerk"):
        default: Sourced = getattr(assumptions, name)
        own = getattr(profile, name)
        if own is not None:
            out[name] = Used(name, float(own), default.unit or "", f"kommunens profil ({profile.municipality})", "municipality", None, True)
        else:
            out[name] = Used(name, float(default.value), default.unit or "", default.source, default.status, default.note, False)
    return out
