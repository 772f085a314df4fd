"""The optimiser's orchestrator: value today, value the initiative, find the optimum, explain it.

:func:`optimise` is the one entry point the CLI and reports call. Each of the three solves uses
the same model (:func:`build.build_model`); today's and the initiative's allocations are valued
with every decision fixed. Any solve that is not optimal stops the run: an infeasible one is
diagnosed with the elastic model (:func:`diagnose`), which names the constraints that cannot all
hold and by how much each must give.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyomo.environ as pyo

from budgetmodel import fmt
from budgetmodel.optimise import explain
from budgetmodel.optimise.build import build_model
from budgetmodel.optimise.data import Allocation, OptimiserInput, current_allocation, initiative_allocation
from budgetmodel.optimise.extract import allocation_frame, constraint_frame, cost_frame, slack_frame
from budgetmodel.optimise.solve import SolveResult, check_solver, solve


class Infeasible(Exception):
    """No allocation satisfies every constraint; ``conflicts`` says which ones must give."""

    def __init__(self, what: str, result: SolveResult, families: list[str], relaxation: pd.DataFrame, message: str):
        self.what = what
        self.result = result
        self.families = families  # a minimal set of constraint families that cannot all hold
        self.relaxation = relaxation  # the smallest weighted relaxation of those families (elastic model)
        self.message = message
        super().__init__(message)


class SolveFailed(Exception):
    """The solver stopped without an optimum for another reason than infeasibility."""

    def __init__(self, what: str, result: SolveResult):
        self.what = what
        self.result = result
        super().__init__(f"{what}: HiGHS sluttede uden optimum ({result.termination}); ingen tal rapporteres")


@dataclass(frozen=True)
class Valuation:
    name: str
    result: SolveResult
    net_cost_dkk: float  # over the horizon (Σ weight × yearly net cost)
    allocation: pd.DataFrame
    costs: pd.DataFrame
    constraints: pd.DataFrame

    def per_year(self, years: float) -> float:
        return self.net_cost_dkk / years


@dataclass(frozen=True)
class OptimiseReport:
    input: OptimiserInput
    today: Valuation
    initiative: Valuation | None
    optimum: Valuation
    model: pyo.ConcreteModel = field(repr=False)

    @property
    def years(self) -> float:
        """Full-year equivalents in the horizon (Σ weights)."""
        return sum(p.weight for p in self.input.periods)

    @property
    def status(self) -> str:
        return self.optimum.result.status

    @property
    def net_saving_dkk_per_year(self) -> float:
        return (self.today.net_cost_dkk - self.optimum.net_cost_dkk) / self.years

    @property
    def fixed_case_saving_dkk_per_year(self) -> float | None:
        if self.initiative is None:
            return None
        return (self.today.net_cost_dkk - self.initiative.net_cost_dkk) / self.years

    def allocation_table(self) -> pd.DataFrame:
        keys = ["period", "kind", "id", "label"]
        t = self.today.allocation.rename(columns={"value": "today"})
        o = self.optimum.allocation.rename(columns={"value": "optimum"})
        out = t.merge(o, on=keys, how="outer", sort=False)
        if self.initiative is not None:
            i = self.initiative.allocation.rename(columns={"value": "initiative"})
            out = out.merge(i, on=keys, how="outer", sort=False)
            out = out[keys + ["today", "initiative", "optimum"]]
        return out

    def shadow_prices(self) -> pd.DataFrame:
        return explain.shadow_prices(self.optimum.constraints, self.input)

    def binding(self) -> pd.DataFrame:
        return explain.binding_constraints(self.optimum.constraints)

    def changes(self) -> list[str]:
        return explain.changes(self.allocation_table(), "today", "optimum")

    def as_dict(self) -> dict:
        """The CLI's JSON: amounts in whole kroner (Danish rounding), allocation and explanations."""
        def kr(x: float) -> int:
            return int(fmt.round_half_up(x))

        alloc = []
        for _, r in self.allocation_table().iterrows():
            row = {"period": r["period"], "kind": r["kind"], "id": r["id"], "label": r["label"],
                   "today": round(float(r["today"]), 6), "optimum": round(float(r["optimum"]), 6)}
            if self.initiative is not None:
                row["initiative"] = round(float(r["initiative"]), 6)
            alloc.append(row)
        costs = {}
        for v in (self.today, self.initiative, self.optimum):
            if v is None:
                continue
            costs[v.name] = [{k: (kr(val) if isinstance(val, float) and k != "weight" else val) for k, val in row.items()}
                             for row in v.costs.to_dict("records")]
        sp = self.shadow_prices()
        return {
            "status": self.status,
            "municipality": self.input.municipality,
            "regime": self.input.regime,
            "periods": [{"id": p.id, "weight": p.weight, "rates_date": p.rates_date.isoformat()} for p in self.input.periods],
            "net_saving_dkk_per_year": kr(self.net_saving_dkk_per_year),
            "fixed_case_saving_dkk_per_year": None if self.fixed_case_saving_dkk_per_year is None else kr(self.fixed_case_saving_dkk_per_year),
            "net_cost_dkk_per_year": {v.name: kr(v.per_year(self.years)) for v in (self.today, self.initiative, self.optimum) if v is not None},
            "termination": {v.name: v.result.termination for v in (self.today, self.initiative, self.optimum) if v is not None},
            "allocation": alloc,
            "changes": self.changes(),
            "shadow_prices": [
                {"constraint": r["constraint"], "family": r["family"], "period": r["period"],
                 "value_dkk_per_year": kr(r["value_dkk_per_year"]), "text": r["text"], "source": r["source"]}
                for _, r in sp.iterrows()
            ],
            "binding": [
                {"constraint": r["description"], "family": r["family"], "source": r["source"]}
                for _, r in self.binding().iterrows()
            ],
            "costs": costs,
            "notes": list(self.input.notes),
            "sources": dict(self.input.sources),
        }


def _value(inp: OptimiserInput, name: str, fixed: Allocation | None) -> tuple[Valuation, pyo.ConcreteModel]:
    # A fixed allocation (today's, the initiative's) is valued, not chosen: the budget binds only
    # the optimiser's choice, so a budget below today's spending is diagnosed on the free model.
    model = build_model(inp, fixed=fixed, exclude=frozenset({"budget"}) if fixed is not None else frozenset())
    result = solve(model)
    if not result.optimal:
        if result.termination in ("infeasible", "infeasibleOrUnbounded"):
            families, relaxation, message = diagnose(inp, fixed=fixed, what=name)
            raise Infeasible(name, result, families, relaxation, message)
        raise SolveFailed(name, result)
    return (
        Valuation(name, result, pyo.value(model.net_cost), allocation_frame(model, inp, result),
                  cost_frame(model, inp, result), constraint_frame(model, inp, result)),
        model,
    )


WHAT = {
    "today": "Dagens fordeling overholder ikke alle begrænsninger.",
    "initiative": "Initiativets fordeling overholder ikke alle begrænsninger.",
    "optimum": "Der findes ingen fordeling, der overholder alle begrænsninger.",
}


def conflicting_families(inp: OptimiserInput, fixed: Allocation | None = None) -> list[str]:
    """A minimal set of constraint families that cannot all hold (a deletion filter over families).

    Start from every family; drop one at a time and keep it dropped when the rest is still
    infeasible. What remains conflicts, and dropping any one of them restores feasibility.
    """
    families = inp.families(fixed=fixed is not None)
    kept = list(families)
    for fam in families:
        trial = frozenset(f for f in families if f not in kept or f == fam)
        result = solve(build_model(inp, fixed=fixed, exclude=trial, feasibility_only=True), duals=False)
        if result.termination in ("infeasible", "infeasibleOrUnbounded"):
            kept.remove(fam)
        elif not result.optimal:
            raise SolveFailed("konfliktsøgning", result)
    return kept


def diagnose(inp: OptimiserInput, *, fixed: Allocation | None = None, what: str = "optimum") -> tuple[list[str], pd.DataFrame, str]:
    """Name the constraint families that conflict, and (elastic model) how much each must give."""
    families = conflicting_families(inp, fixed)
    model = build_model(inp, fixed=fixed, elastic=frozenset(families))
    result = solve(model, duals=False)
    if not result.optimal:  # the elastic model is always feasible; anything else is a solver fault
        raise SolveFailed(f"{what} (elastisk model)", result)
    df = slack_frame(model, inp, result)
    names = ", ".join(explain.FAMILY_NAMES[f] for f in families)
    lines = [f"{WHAT.get(what, what)} Disse kan ikke holde samtidig: {names}."]
    for fam in families:
        lines.append(f"  - {explain.FAMILY_NAMES[fam]} (kilde: {inp.sources.get(fam, '')})")
    if len(df):
        lines.append("Den mindste lempelse af dem, der gør opgaven løsbar:")
        for _, r in df.iterrows():
            amount = r["raise_lhs"] if r["raise_lhs"] > 0 else r["lower_lhs"]
            lines.append(f"  - {r['description']}: {fmt.number(amount, 2)} {explain.unit_of(r['component'], r['index'])}")
    return families, df, "\n".join(lines)


def optimise(inp: OptimiserInput) -> OptimiseReport:
    """Value today's allocation and the initiative's, then solve for the optimum."""
    check_solver()
    today, _ = _value(inp, "today", current_allocation(inp))
    fixed = initiative_allocation(inp)
    initiative = _value(inp, "initiative", fixed)[0] if fixed is not None else None
    optimum, model = _value(inp, "optimum", None)
    return OptimiseReport(inp, today, initiative, optimum, model)
