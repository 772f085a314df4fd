"""Solve a built model with HiGHS through Pyomo's ``appsi_highs`` and record how it ended.

Numbers are only loaded into the model when the solver proves optimality; anything else comes
back as a :class:`SolveResult` whose ``optimal`` is False, and :func:`require_optimal` turns it
into :class:`NotOptimal` before a figure can reach a person. With whole posts (integer) the MIP is
solved first; the duals then come from the LP with the posts fixed at the MIP's optimum.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyomo.environ as pyo

SOLVER = "appsi_highs"


class SolverUnavailable(RuntimeError):
    """HiGHS (highspy) cannot be loaded through Pyomo."""


class NotOptimal(RuntimeError):
    """The solve ended without a proven optimum; no number from it may be reported."""

    def __init__(self, result: "SolveResult"):
        self.result = result
        super().__init__(f"løsningen er ikke optimal (HiGHS: {result.termination})")


@dataclass(frozen=True)
class SolveResult:
    termination: str  # Pyomo's termination condition, e.g. 'optimal', 'infeasible'
    optimal: bool
    objective: float | None  # only when optimal
    seconds: float
    mip: bool
    dual_termination: str | None = None  # the fixed-posts LP solved for duals (MIP only)

    @property
    def status(self) -> str:
        return "optimal" if self.optimal else self.termination


def check_solver() -> None:
    """Raise :class:`SolverUnavailable` unless ``appsi_highs`` can be used (call before building)."""
    try:
        available = bool(pyo.SolverFactory(SOLVER).available())
    except Exception as exc:  # pragma: no cover - depends on the installation
        raise SolverUnavailable(f"{SOLVER} kan ikke indlæses: {exc}") from exc
    if not available:
        raise SolverUnavailable(f"{SOLVER} er ikke tilgængelig: installér pakken highspy")


def _integer_vars(model: pyo.Block) -> list[pyo.Var]:
    return [v for v in model.component_data_objects(pyo.Var, active=True, descend_into=True) if v.is_integer() and not v.fixed]


def _run(model: pyo.Block, duals: bool, options: dict | None) -> tuple[str, bool]:
    opt = pyo.SolverFactory(SOLVER)
    for k, v in (options or {}).items():
        opt.highs_options[k] = v
    if duals:
        if model.component("dual") is None:
            model.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT)
    elif model.component("dual") is not None:
        model.del_component("dual")
    results = opt.solve(model, load_solutions=False)
    tc = results.solver.termination_condition
    ok = tc == pyo.TerminationCondition.optimal and len(results.solution) > 0
    if ok:
        model.solutions.load_from(results)
    return str(tc), ok


def solve(model: pyo.ConcreteModel, *, duals: bool = True, options: dict | None = None) -> SolveResult:
    """Solve ``model`` (objective ``model.obj``); load primal values and duals only when optimal."""
    check_solver()
    start = time.perf_counter()
    ints = _integer_vars(model)
    if not ints:
        tc, ok = _run(model, duals, options)
        return SolveResult(tc, ok, pyo.value(model.obj) if ok else None, time.perf_counter() - start, mip=False)

    tc, ok = _run(model, False, options)
    if not ok or not duals:
        return SolveResult(tc, ok, pyo.value(model.obj) if ok else None, time.perf_counter() - start, mip=True)
    objective = pyo.value(model.obj)
    # Duals of a MIP: fix the posts at the optimum and solve the remaining LP.
    saved = [(v, round(pyo.value(v)), v.domain) for v in ints]
    try:
        for v, val, _ in saved:
            v.domain = pyo.NonNegativeReals
            v.fix(val)
        dtc, dok = _run(model, True, options)
    finally:
        for v, _, domain in saved:
            v.unfix()
            v.domain = domain
    return SolveResult(tc, ok and dok, objective if dok else None, time.perf_counter() - start, mip=True, dual_termination=dtc)


def require_optimal(result: SolveResult) -> SolveResult:
    if not result.optimal:
        raise NotOptimal(result)
    return result
