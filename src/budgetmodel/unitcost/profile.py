"""A municipality's staff profile: årsværk and årspersoner by target group (the input of the
unit-cost model and of a benchmark outside the fifteen municipalities).

The scenario engine embeds :class:`UnitCostProfile` as the staff part of a municipality profile,
so its field names are a contract (see /work/notes/unitcost-api.md): add optional fields only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from budgetmodel import fmt
from budgetmodel.sourcefile import load_model

TargetGroup = Literal[
    "a_dagpenge",
    "uddannelsesydelse",
    "kontanthjaelp_match1",
    "kontanthjaelp_match23",
    "revalidering",
    "sygedagpenge",
    "ledighedsydelse",
    "ressourceforloeb",
]
TARGET_GROUPS: tuple[str, ...] = TargetGroup.__args__  # type: ignore[attr-defined]

CrossCutting = Literal["administration", "strategisk_ledelse", "diverse"]
CROSS_CUTTING: tuple[str, ...] = CrossCutting.__args__  # type: ignore[attr-defined]

Task = Literal["modtagelse", "sagsbehandling", "virksomhedsindsats", "teamledelse"]
TASKS: tuple[str, ...] = Task.__args__  # type: ignore[attr-defined]

# The "heraf" rows of Mploy/Kibak's Tabel 3.1: subsets spread over the rows above (management of
# every kind, company-directed work, staff financed by pools or wage subsidy).
Heraf = Literal["ledelse", "virksomhedsindsats", "puljer_loentilskud"]
HERAF: tuple[str, ...] = Heraf.__args__  # type: ignore[attr-defined]

# Groups whose årspersoner make up the jobcentre's total target group. Ressourceforløb is left
# out: the benchmark measures it per 1.000 årspersoner of other groups (see KNOWN_ISSUES.md, MK-09).
IN_TOTAL: tuple[str, ...] = tuple(g for g in TARGET_GROUPS if g != "ressourceforloeb")

NonNeg = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
Pos = Annotated[float, Field(gt=0, le=1e12, allow_inf_nan=False)]

# A task split is printed with one decimal per task; allow that rounding per part and total.
TASK_ROUNDING = 0.05


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GroupStaff(_Frozen):
    """Staff and persons of one target group."""

    aarsvaerk: NonNeg = Field(description="årsværk on the group incl. teamledelse")
    aarspersoner: Pos | None = Field(None, description="full-year persons on benefit (årspersoner = fuldtidspersoner)")
    tasks: dict[Task, NonNeg] = Field(default_factory=dict, description="optional split of aarsvaerk by task")
    external_dkk: NonNeg = Field(0.0, description="external purchases for the group, kr. per year")
    samtaler: NonNeg | None = Field(None, description="conversations per year")
    virksomhedsplaceringer: NonNeg | None = Field(None, description="company placements started per year")

    @model_validator(mode="after")
    def _tasks_add_up(self) -> "GroupStaff":
        if self.tasks:
            total = sum(self.tasks.values())
            tol = TASK_ROUNDING * (len(self.tasks) + 1)
            if abs(total - self.aarsvaerk) > tol + 1e-9:
                raise ValueError(
                    f"opgaverne summer til {fmt.number(total, 2)} årsværk, men aarsvaerk er {fmt.number(self.aarsvaerk, 2)} "
                    f"(tilladt afvigelse for afrunding: {fmt.number(tol, 2)})"
                )
        return self


class UnitCostProfile(_Frozen):
    """Staff of one municipality's jobcentre by target group, plus optional cost overrides."""

    municipality: str = Field(min_length=1)
    reference_year: int | None = Field(None, ge=1990, le=2100)
    source: str | None = None
    target_groups: dict[TargetGroup, GroupStaff] = Field(min_length=1)
    cross_cutting: dict[CrossCutting, NonNeg] = Field(default_factory=dict)
    aarspersoner_total: Pos | None = None
    # The municipality's own total where its rows are rounded (Varde's Tabel 3.1: rows 68,6, total
    # 68,8); it must agree with the rows within their printed rounding.
    aarsvaerk_total_stated: Pos | None = Field(None, description="total årsværk as the municipality states it")
    # "Heraf" rows: årsværk of management (team + strategic + other managers), company-directed
    # work and pool/wage-subsidy financed staff, as subsets of the rows above.
    heraf_aarsvaerk: dict[Heraf, NonNeg] = Field(default_factory=dict)
    salary_dkk_per_aarsvaerk: Pos | None = None
    overhead_share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None
    productive_hours_per_aarsvaerk: Pos | None = None

    @property
    def aarsvaerk_rows(self) -> float:
        return sum(g.aarsvaerk for g in self.target_groups.values()) + sum(self.cross_cutting.values())

    @property
    def aarsvaerk_total(self) -> float:
        """The stated total if given, else the sum of the rows."""
        return self.aarsvaerk_total_stated if self.aarsvaerk_total_stated is not None else self.aarsvaerk_rows

    @model_validator(mode="after")
    def _total_within_rounding(self) -> "UnitCostProfile":
        if self.aarsvaerk_total_stated is not None:
            rows = len(self.target_groups) + len(self.cross_cutting)
            tol = TASK_ROUNDING * (rows + 1)
            if abs(self.aarsvaerk_rows - self.aarsvaerk_total_stated) > tol + 1e-9:
                raise ValueError(
                    f"aarsvaerk_total_stated er {fmt.number(self.aarsvaerk_total_stated, 2)}, men målgrupper og fælles funktioner "
                    f"summer til {fmt.number(self.aarsvaerk_rows, 2)} (tilladt afvigelse for afrunding: {fmt.number(tol, 2)})"
                )
        for k, v in self.heraf_aarsvaerk.items():
            if v > self.aarsvaerk_total + 1e-9:
                raise ValueError(f"heraf_aarsvaerk.{k} ({fmt.number(v, 1)}) er større end årsværk i alt ({fmt.number(self.aarsvaerk_total, 1)})")
        return self

    def total_aarspersoner(self) -> float | None:
        """The published total if given, else the sum over the groups that count in the total
        (None when one of the listed groups lacks årspersoner)."""
        if self.aarspersoner_total is not None:
            return self.aarspersoner_total
        parts = [self.target_groups[g].aarspersoner for g in IN_TOTAL if g in self.target_groups]
        if not parts or any(p is None for p in parts):
            return None
        return float(sum(parts))  # type: ignore[arg-type]


def load_profile(path: Path | str) -> UnitCostProfile:
    """Load and validate a profile file; bad input raises InputError with file and line."""
    profile, _doc = load_model(path, UnitCostProfile)
    return profile
