"""Read a solved model into DataFrames: the allocation, the cost lines, every constraint with its dual.

Every function here first checks that the solve was optimal (:func:`solve.require_optimal`).
Duals are Pyomo's: the change in the objective (kr. over the horizon) per unit increase of the
constraint's right-hand side. ``value_per_year`` turns that into what relaxing the constraint by
one unit is worth in a year: −dual/weight for ≤, +dual/weight for ≥ (a lower requirement).
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from budgetmodel.optimise.build import FamilyMeta
from budgetmodel.optimise.data import OptimiserInput
from budgetmodel.optimise.solve import SolveResult, require_optimal

# Kinds of decision, with their Danish names for reports.
DECISIONS = {
    "conversation_aarsvaerk": "årsværk til samtaler",
    "placement_aarsvaerk": "årsværk til virksomhedsindsats",
    "in_company_offers": "helårspersoner i virksomhedsrettede tilbud",
    "helaarstilbud": "købte helårstilbud",
    "conversations": "samtaler pr. år",
    "helaarspersoner": "helårspersoner på ydelse",
}

COST_LINES = {
    "benefits": "forsørgelsesydelser (brutto)",
    "benefit_refund": "statsrefusion af forsørgelsesydelser",
    "wages": "løn",
    "purchases": "køb af tilbud",
    "other_expenses": "øvrige refusionsberettigede driftsudgifter",
    "operating_refund": "refusion af driftsudgifter (driftsloft, mentorramme)",
    "net_annual": "nettoudgift",
}

BINDING_TOL = 1e-6


def _v(x: object) -> float:
    val = pyo.value(x)
    return 0.0 if val is None else float(val)


def allocation_frame(model: pyo.Block, inp: OptimiserInput, result: SolveResult) -> pd.DataFrame:
    """One row per period × decision × target group/offer."""
    require_optimal(result)
    rows = []
    for per in inp.periods:
        t = per.id
        for g in per.groups:
            k = (t, g.id)
            for kind, var in (("conversation_aarsvaerk", model.c), ("placement_aarsvaerk", model.p_total),
                              ("in_company_offers", model.x_total), ("conversations", model.s)):
                rows.append({"period": t, "kind": kind, "id": g.id, "label": g.label, "value": _v(var[k])})
            rows.append({"period": t, "kind": "helaarspersoner", "id": g.id, "label": g.label, "value": _v(model.neff[k])})
        for o in per.offers:
            rows.append({"period": t, "kind": "helaarstilbud", "id": o.id, "label": o.label, "value": _v(model.y[t, o.id])})
        rows.append({"period": t, "kind": "posts_conversation", "id": "", "label": "stillinger til samtaler", "value": _v(model.n_conv[t])})
        rows.append({"period": t, "kind": "posts_placement", "id": "", "label": "stillinger til virksomhedsindsats", "value": _v(model.n_plac[t])})
    return pd.DataFrame(rows, columns=["period", "kind", "id", "label", "value"])


def cost_frame(model: pyo.Block, inp: OptimiserInput, result: SolveResult) -> pd.DataFrame:
    """Cost lines per period (kr. per full year) and the period's weight in the horizon."""
    require_optimal(result)
    rows = []
    for per in inp.periods:
        row: dict[str, object] = {"period": per.id, "weight": per.weight}
        for name in COST_LINES:
            row[name] = _v(getattr(model, name)[per.id])
        rows.append(row)
    return pd.DataFrame(rows, columns=["period", "weight", *COST_LINES])


def constraint_frame(model: pyo.Block, inp: OptimiserInput, result: SolveResult) -> pd.DataFrame:
    """Every constraint of every family: body, bound, slack, binding, dual and its yearly value."""
    require_optimal(result)
    root = model.model()
    duals = root.component("dual")
    if duals is None:
        raise ValueError("the model was solved without duals (solve(..., duals=True))")
    weight = {p.id: p.weight for p in inp.periods}
    rows = []
    meta: dict[str, FamilyMeta] = model._meta
    for name, fm in meta.items():
        con = model.component(name)
        for key in con:
            cd = con[key]
            idx = key if isinstance(key, tuple) else (key,)
            body = _v(cd.body)
            lo, up = cd.lower, cd.upper
            if cd.equality:
                sense, rhs, slack = "==", _v(up), 0.0
            elif up is not None:
                sense, rhs, slack = "<=", _v(up), _v(up) - body
            else:
                sense, rhs, slack = ">=", _v(lo), body - _v(lo)
            dual = float(duals.get(cd, 0.0))  # HiGHS reports every row; absent only for rows it never saw
            period = next((x for x in idx if x in weight), None)
            w = weight.get(period, 1.0)
            # what one unit of relaxation is worth in a year (for ==: one unit more)
            per_year = dual / w if sense == ">=" else -dual / w
            scale = max(1.0, abs(rhs))
            rows.append({
                "family": fm.family,
                "component": name,
                "index": "|".join(map(str, idx)),
                "period": period,
                "description": fm.describe(idx),
                "sense": sense,
                "lhs": body,
                "rhs": rhs,
                "slack": slack,
                "binding": abs(slack) <= BINDING_TOL * scale,
                "dual": dual,
                "value_per_year": per_year,
                "source": inp.sources.get(fm.family, ""),
            })
    cols = ["family", "component", "index", "period", "description", "sense", "lhs", "rhs", "slack", "binding", "dual", "value_per_year", "source"]
    return pd.DataFrame(rows, columns=cols)


def slack_frame(model: pyo.Block, inp: OptimiserInput, result: SolveResult) -> pd.DataFrame:
    """In a solved elastic model: every constraint whose slack is used, and by how much."""
    require_optimal(result)
    rows = []
    for name, (up, dn) in model._slacks.items():
        fm: FamilyMeta = model._meta[name]
        for key in up:
            idx = key if isinstance(key, tuple) else (key,)
            u, d = _v(up[key]), _v(dn[key])
            if u > 1e-7 or d > 1e-7:
                rows.append({"family": fm.family, "component": name, "index": "|".join(map(str, idx)),
                             "description": fm.describe(idx), "raise_lhs": u, "lower_lhs": d,
                             "source": inp.sources.get(fm.family, "")})
    return pd.DataFrame(rows, columns=["family", "component", "index", "description", "raise_lhs", "lower_lhs", "source"])
