"""Forecast assumptions: a small YAML file (or the ``forecast:`` section of a scenario file).

Everything the forecast assumes rather than estimates lives here, never in code: the duration
cap, how the inflow is carried forward (window, growth, or a given path), benefit-level growth,
initiative effects on the exit hazard, the bootstrap and the backtest split. The bundled
``scenarios/forecast/standard.yaml`` holds the values used when no file is given.

Format (every key optional except where said; unknown keys are errors)::

    forecast:
      description: "…"
      duration_cap_weeks: 104        # weeks of duration tracked one by one; the last pools cap+
      inflow:
        window_weeks: 52             # the estimated weekly inflow = the mean of the last N weeks
        growth_pct_per_year: {"*": 0, kontanthjaelp: 2.5}   # compounded weekly from the panel's end
        weekly:                      # a given inflow path replaces the estimate for that benefit
          sygedagpenge: 40           #   the same every week, or
          dagpenge: {2025: 30, 2026: 28}   # by ISO year (every projected year must be given)
      benefit_level:
        growth_pct_per_year: {"*": 0}
        weekly_dkk: {kontanthjaelp: 3200}   # replaces the panel's mean gross per week
      effects:
        - name: "Virksomhedsrettede tilbud"
          benefits: [kontanthjaelp]          # default: every benefit
          activations: [virksomhedspraktik, loentilskud]   # default: everyone in the cell
          weeks: "13-52"                     # weeks of duration (a band, like the rate tables)
          exit_hazard_multiplier: 1.1
          valid_from: 2025-01-06             # optional: from this week on
          source: "…"                        # where the effect size comes from
      bootstrap: {replicates: 200, seed: 20240101, level_pct: 90}
      backtest: {holdout_years: 1}
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError, field_validator, model_validator

from budgetmodel.errors import InputError, Problem
from budgetmodel.rates.schema import parse_band
from budgetmodel.sourcefile import LocatedDocument, load_yaml, problems_from_validation

Number = StrictInt | StrictFloat
StrictDate = Annotated[dt.date, Field(strict=True)]
ANY = "*"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InflowAssumptions(_Strict):
    window_weeks: StrictInt = Field(ge=1)
    growth_pct_per_year: dict[StrictStr, Number] = Field(default_factory=dict)
    weekly: dict[StrictStr, Annotated[Number, Field(ge=0)] | dict[StrictInt, Annotated[Number, Field(ge=0)]]] = Field(default_factory=dict)


class LevelAssumptions(_Strict):
    growth_pct_per_year: dict[StrictStr, Number] = Field(default_factory=dict)
    weekly_dkk: dict[StrictStr, Annotated[Number, Field(ge=0)]] = Field(default_factory=dict)


class Effect(_Strict):
    name: StrictStr = Field(min_length=1)
    benefits: list[StrictStr] = Field(default_factory=lambda: [ANY])
    activations: list[StrictStr] = Field(default_factory=lambda: [ANY])
    weeks: StrictStr
    exit_hazard_multiplier: Number = Field(ge=0)
    valid_from: StrictDate | None = None
    source: StrictStr = ""

    @field_validator("weeks")
    @classmethod
    def _band(cls, v: str) -> str:
        parse_band(v)
        return v

    @property
    def band(self) -> tuple[int, int | None]:
        return parse_band(self.weeks)


class BootstrapAssumptions(_Strict):
    replicates: StrictInt = Field(ge=0)
    seed: StrictInt = Field(ge=0)
    level_pct: Number = Field(gt=0, lt=100)


class BacktestAssumptions(_Strict):
    holdout_years: StrictInt = Field(ge=1)


class ForecastAssumptions(_Strict):
    description: StrictStr = ""
    duration_cap_weeks: StrictInt = Field(ge=2)
    inflow: InflowAssumptions
    benefit_level: LevelAssumptions = Field(default_factory=LevelAssumptions)
    effects: list[Effect] = Field(default_factory=list)
    bootstrap: BootstrapAssumptions
    backtest: BacktestAssumptions

    @model_validator(mode="after")
    def _growth_above_minus_100(self) -> "ForecastAssumptions":
        for part in (self.inflow.growth_pct_per_year, self.benefit_level.growth_pct_per_year):
            for k, v in part.items():
                if v <= -100:
                    raise ValueError(f"væksten for '{k}' skal være over -100 pct.; fik {v}")
        return self


class AssumptionsFile(_Strict):
    forecast: ForecastAssumptions


def _merge(base: Any, over: Any) -> Any:
    """Deep-merge mappings (``over`` wins); lists and scalars are replaced whole."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    return over


def _loc(field: str) -> tuple[str | int, ...]:
    return tuple(int(x) if x.isdigit() else x for x in field.split(".")) if field else ()


def standard_path() -> Path:
    from budgetmodel.paths import scenarios_dir

    return scenarios_dir() / "forecast" / "standard.yaml"


class LoadedAssumptions:
    """The validated assumptions plus where each came from (for errors found at run time)."""

    def __init__(self, model: ForecastAssumptions, docs: list[LocatedDocument]):
        self.model = model
        self.docs = docs  # the standard file first, then the user's file (if any)

    def problem(self, loc: tuple[str | int, ...], message: str) -> Problem:
        """A located problem for a key, in the last file that sets it."""
        for doc in reversed(self.docs):
            node: Any = doc.data
            found = True
            for k in ("forecast", *loc):
                if isinstance(node, dict) and k in node:
                    node = node[k]
                elif isinstance(node, list) and isinstance(k, int) and k < len(node):
                    node = node[k]
                else:
                    found = False
                    break
            if found:
                return Problem(str(doc.path), doc.line_of(("forecast", *loc)), ".".join(map(str, ("forecast", *loc))), message)
        doc = self.docs[-1]
        return Problem(str(doc.path), doc.line_of(("forecast",)), ".".join(map(str, ("forecast", *loc))), message)

    @property
    def sources(self) -> list[dict[str, str]]:
        return [{"file": str(d.path), "sha256": d.sha256} for d in self.docs]


def load_assumptions(path: Path | str | None = None, standard: Path | str | None = None) -> LoadedAssumptions:
    """The standard assumptions, overlaid by the ``forecast:`` section of ``path`` if given.

    A user file may set only the keys it changes; the merged result is validated as a whole and
    every problem is reported against the file and line that set the value.
    """
    docs = [load_yaml(standard or standard_path())]
    if path is not None:
        docs.append(load_yaml(path))
    problems: list[Problem] = []
    for doc in docs:
        if isinstance(doc.data, dict) and "kind" in doc.data and "forecast" not in doc.data:
            problems.append(
                Problem(
                    str(doc.path),
                    doc.line_of(("kind",)),
                    "forecast",
                    f"dette er en '{doc.data['kind']}'-fil; prognosen læser en fil med en 'forecast:'-sektion "
                    "(se scenarios/forecast/standard.yaml); et scenarie tager en prognose gennem municipality.caseload.forecast",
                )
            )
        elif not isinstance(doc.data, dict) or "forecast" not in doc.data:
            problems.append(Problem(str(doc.path), 1, "forecast", "forventede en 'forecast:'-sektion med prognosens antagelser"))
    if problems:
        raise InputError(problems)
    merged = docs[0].data["forecast"]
    for doc in docs[1:]:
        if not isinstance(doc.data["forecast"], dict):
            raise InputError([Problem(str(doc.path), doc.line_of(("forecast",)), "forecast", "forventede en sektion med nøgler og værdier")])
        merged = _merge(merged, doc.data["forecast"])
    try:
        model = ForecastAssumptions.model_validate(merged)
    except ValidationError as exc:
        loaded = LoadedAssumptions(None, docs)  # type: ignore[arg-type]  # only to locate problems
        raise InputError(
            [loaded.problem(_loc(p.field)[1:], p.message) for p in problems_from_validation(docs[-1], exc, ("forecast",))]
        ) from exc
    return LoadedAssumptions(model, docs)


def check_codes(loaded: LoadedAssumptions, benefits: tuple[str, ...], activations: tuple[str, ...]) -> None:
    """Benefit and activation codes named in the assumptions must be the panel's codes."""
    m = loaded.model
    problems: list[Problem] = []
    allowed_b = set(benefits) | {ANY}

    def check(loc: tuple[str | int, ...], code: str, allowed: set[str], kind: str) -> None:
        if code not in allowed:
            problems.append(loaded.problem(loc, f"ukendt {kind} '{code}' (forventede en af {sorted(allowed)})"))

    for k in m.inflow.growth_pct_per_year:
        check(("inflow", "growth_pct_per_year", k), k, allowed_b, "benefit")
    for k in m.inflow.weekly:
        check(("inflow", "weekly", k), k, set(benefits), "benefit")
    for k in m.benefit_level.growth_pct_per_year:
        check(("benefit_level", "growth_pct_per_year", k), k, allowed_b, "benefit")
    for k in m.benefit_level.weekly_dkk:
        check(("benefit_level", "weekly_dkk", k), k, set(benefits), "benefit")
    for i, e in enumerate(m.effects):
        for j, b in enumerate(e.benefits):
            check(("effects", i, "benefits", j), b, allowed_b, "benefit")
        for j, a in enumerate(e.activations):
            check(("effects", i, "activations", j), a, set(activations) | {ANY}, "activation")
    if problems:
        raise InputError(problems)


def by_benefit(values: dict[str, float], benefits: tuple[str, ...]) -> list[float]:
    """A per-benefit value from a mapping with an optional '*' default (0 when neither is set)."""
    default = float(values.get(ANY, 0.0))
    return [float(values.get(b, default)) for b in benefits]


def with_inflow_growth(loaded: LoadedAssumptions, pct_per_year: float) -> LoadedAssumptions:
    """The same assumptions with one inflow growth rate (pct. per year) for every benefit."""
    if not pct_per_year > -100:
        raise InputError([loaded.problem(("inflow", "growth_pct_per_year"), f"væksten skal være over -100 pct.; fik {pct_per_year}")])
    m = loaded.model
    inflow = m.inflow.model_copy(update={"growth_pct_per_year": {ANY: float(pct_per_year)}})
    return LoadedAssumptions(m.model_copy(update={"inflow": inflow}), loaded.docs)


# `budgetmodel validate`: a YAML file whose top level is a `forecast:` section (and no `kind`)
# is a forecast assumptions file; it is checked as the forecast would read it (over the standard).
def _claims(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and "forecast" in doc.data and "kind" not in doc.data


def _check(path: Path, rates_root: Path | None = None) -> None:
    load_assumptions(path)


def _register() -> None:
    from budgetmodel.validation import register_checker

    register_checker(("fremskrivningsforudsætninger (afsnittet forecast:, uden kind)", _claims, _check))


_register()
