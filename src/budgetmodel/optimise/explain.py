"""Explain an optimum in budget language: shadow prices, binding constraints, changes against today.

All text is Danish and every amount goes through :mod:`budgetmodel.fmt` (1.302.483 kr.).
A shadow price here is what relaxing a constraint by one unit is worth in a year
(``value_per_year`` from :func:`extract.constraint_frame`); only binding constraints whose
value rounds to at least one krone are explained.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from budgetmodel import fmt
from budgetmodel.optimise.data import OptimiserInput

BUDGET_STEP_DKK = 100_000  # the budget's shadow price is shown per 100.000 kr. (a readable step)
DRIFTSLOFT_STEP_DKK = 1_000

# the amount a sentence prints is the shadow price times this step
STEP = {"budget": BUDGET_STEP_DKK, "driftsloft": DRIFTSLOFT_STEP_DKK, "mentorramme": DRIFTSLOFT_STEP_DKK}

FAMILY_NAMES = {
    "budget": "budget til løn og køb",
    "staff_floor": "de nuværende årsværk bevares",
    "legal_minimum_conversations": "lovpligtige samtaler (samtalekadence)",
    "conversation_hours": "timer pr. samtale og pr. årsværk",
    "persons_per_broker": "personer pr. jobformidler",
    "placement_hours": "timer pr. virksomhedsplacering og pr. årsværk",
    "placeable": "hvor mange der kan placeres i virksomhedsrettede tilbud",
    "activatable": "hvor mange der kan aktiveres",
    "activation_duty": "aktiveringspligt",
    "driftsloft": "driftsloftet",
    "mentorramme": "mentorrammen",
    "fixed_allocation": "den fastlagte fordeling",
}


COMPONENT_UNITS = {
    "budget": "kr.",
    "staff_floor": "årsværk",
    "legal_minimum_conversations": "samtaler",
    "conversation_hours": "timer",
    "persons_per_broker": "helårspersoner",
    "placement_hours": "timer",
    "placeable": "helårspersoner",
    "activatable": "helårspersoner",
    "activatable_within_caseload": "helårspersoner",
    "activation_duty": "helårspersoner",
    "driftsloft": "kr.",
    "driftsloft_expenses": "kr.",
    "mentorramme": "kr.",
    "mentorramme_expenses": "kr.",
}
FIXED_UNITS = {"c": "årsværk", "p": "årsværk", "x": "helårspersoner", "y": "helårstilbud"}


def unit_of(component: str, index: str) -> str:
    """The unit a constraint's right-hand side (and its slack) is measured in."""
    if component == "fixed_allocation":
        return FIXED_UNITS[index.split("|")[0]]
    return COMPONENT_UNITS[component]


PRIORITY = ("placeable", "budget", "activatable", "activation_duty", "legal_minimum_conversations", "staff_floor",
            "driftsloft", "mentorramme", "persons_per_broker", "placement_hours", "conversation_hours")


def _label(inp: OptimiserInput, row: pd.Series) -> str:
    parts = str(row["index"]).split("|")
    if len(parts) >= 2:
        per = inp.period(parts[0])
        g = next((g for g in per.groups if g.id == parts[1]), None)
        if g is not None:
            return g.label
        pool = next((p for p in per.driftsloft if p.id == parts[1]), None)
        if pool is not None:
            return pool.label
        duty = next((d for d in per.activation_duties if d.id == parts[1]), None)
        if duty is not None:
            return duty.label
    return ""


def _sentence(inp: OptimiserInput, row: pd.Series) -> str | None:
    v = float(row["value_per_year"])
    label = _label(inp, row)
    label = label[:1].lower() + label[1:]
    comp = row["component"]
    templates: dict[str, Callable[[], str]] = {
        "budget": lambda: f"{fmt.kr(BUDGET_STEP_DKK)} mere til løn og køb er værd {fmt.kr(v * BUDGET_STEP_DKK)} om året.",
        "staff_floor": lambda: f"Kravet om at beholde de nuværende årsværk koster {fmt.kr(v)} om året pr. årsværk.",
        "legal_minimum_conversations": lambda: f"Hver lovpligtig samtale med {label} koster {fmt.kr(v)} om året i sagsbehandlertid.",
        "conversation_hours": lambda: f"Én time mere til samtaler med {label} er værd {fmt.kr(v)}",
        "persons_per_broker": lambda: (
            f"Kunne ét årsværk i virksomhedsindsatsen have én person mere i virksomhedsrettet tilbud ({label}), "
            f"ville det være værd {fmt.kr(v)} om året."
        ),
        "placement_hours": lambda: f"Én time mere til virksomhedsplaceringer for {label} er værd {fmt.kr(v)}",
        "placeable": lambda: _placeable(inp, row, v, label),
        "activatable": lambda: f"Én helårsperson mere, der kan aktiveres ({label}), er værd {fmt.kr(v)} om året.",
        "activatable_within_caseload": lambda: f"Én helårsperson mere på ydelse, der kan komme i tilbud ({label}), er værd {fmt.kr(v)} om året.",
        "activation_duty": lambda: f"Aktiveringspligten for {label} koster {fmt.kr(v)} om året pr. helårsperson i tilbud.",
        "driftsloft": lambda: (
            f"Driftsloftet binder for {label}: udgifter over loftet får ingen refusion; "
            f"{fmt.kr(DRIFTSLOFT_STEP_DKK)} mere i loft ville give {fmt.kr(v * DRIFTSLOFT_STEP_DKK)} mere i refusion om året."
        ),
        "driftsloft_expenses": lambda: f"Hele driftsudgiften til {label} ligger under driftsloftet og får refusion.",
        "mentorramme": lambda: (
            f"Mentorrammen binder: {fmt.kr(DRIFTSLOFT_STEP_DKK)} mere i ramme ville give {fmt.kr(v * DRIFTSLOFT_STEP_DKK)} mere i refusion om året."
        ),
        "mentorramme_expenses": lambda: "Mentorudgifterne ligger under mentorrammen og får refusion.",
    }
    fn = templates.get(comp)
    return fn() if fn is not None else None


def persons_per_aarsvaerk(inp: OptimiserInput, period: str, group: str) -> float:
    """How many more helårspersoner one more årsværk of job brokering keeps in company-based offers:
    the persons-per-broker norm, or fewer where the hours per placement (Tab. 2.1) allow fewer."""
    per = inp.period(period)
    g = per.group(group)
    need = g.hours_per_placement * g.placements_per_helaarsperson
    return min(per.persons_per_broker, per.hours_per_aarsvaerk / need) if need > 0 else per.persons_per_broker


def _placeable(inp: OptimiserInput, row: pd.Series, v: float, label: str) -> str:
    period, group = str(row["index"]).split("|")[:2]
    k = persons_per_aarsvaerk(inp, period, group)
    return (
        f"Ét årsværk mere til virksomhedsindsats for {label} er værd {fmt.kr(v * k)} om året "
        f"({fmt.number(k, 0 if float(k).is_integer() else 1)} personer mere i virksomhedsrettede tilbud à {fmt.kr(v)}), hvis så mange flere kan placeres "
        f"(i dag højst {fmt.number(row['rhs'], 1)} helårspersoner)."
    )


def shadow_prices(constraints: pd.DataFrame, inp: OptimiserInput) -> pd.DataFrame:
    """Binding constraints whose relaxation is worth at least ½ kr. a year, with a Danish sentence."""
    rows = []
    for _, row in constraints.iterrows():
        if row["family"] == "fixed_allocation" or not row["binding"]:
            continue
        v = float(row["value_per_year"])
        if abs(v) * STEP.get(str(row["component"]), 1.0) < 0.5:  # rounds to 0 kr. as printed
            continue
        text = _sentence(inp, row)
        if text is None:
            continue
        rows.append({
            "family": row["family"],
            "constraint": row["description"],
            "period": row["period"],
            "value_dkk_per_year": v,
            "text": text,
            "source": row["source"],
        })
    df = pd.DataFrame(rows, columns=["family", "constraint", "period", "value_dkk_per_year", "text", "source"])
    # The decisions' own limits first (what an extra årsværk or krone is worth), then the rules.
    order = {f: i for i, f in enumerate(PRIORITY)}
    df["_order"] = df["family"].map(order)
    df = df.sort_values(["_order", "period"], kind="stable").drop(columns="_order")
    return df.reset_index(drop=True)


def binding_constraints(constraints: pd.DataFrame) -> pd.DataFrame:
    """Binding constraints (outside the definitional and fixed ones) with a nonzero requirement or value."""
    keep = constraints[(constraints["binding"]) & (constraints["family"] != "fixed_allocation")]
    keep = keep[(keep["rhs"].abs() > 0) | (keep["value_per_year"].abs() >= 0.5)]
    return keep[["family", "description", "lhs", "rhs", "value_per_year", "source"]].reset_index(drop=True)


UNITS = {
    "conversation_aarsvaerk": "årsværk",
    "placement_aarsvaerk": "årsværk",
    "in_company_offers": "helårspersoner",
    "helaarstilbud": "helårstilbud",
    "conversations": "samtaler",
    "helaarspersoner": "helårspersoner",
    "posts_conversation": "stillinger",
    "posts_placement": "stillinger",
}

CHANGE_WORDS = {
    "conversation_aarsvaerk": "årsværk til samtaler",
    "placement_aarsvaerk": "årsværk til virksomhedsindsats",
    "in_company_offers": "helårspersoner i virksomhedsrettede tilbud",
    "helaarstilbud": "købte helårstilbud",
    "helaarspersoner": "helårspersoner på ydelse",
}


def changes(table: pd.DataFrame, against: str = "today", to: str = "optimum", min_change: float = 0.05) -> list[str]:
    """Danish sentences for the decisions that differ between two columns of an allocation table."""
    out = []
    for _, r in table.iterrows():
        if r["kind"] not in CHANGE_WORDS:
            continue
        a, b = float(r[against]), float(r[to])
        if abs(b - a) < min_change:
            continue
        verb = "flere" if b > a else "færre"
        out.append(
            f"{r['period']}: {fmt.number(abs(b - a), 1)} {verb} {CHANGE_WORDS[r['kind']]} – {r['label']} "
            f"({fmt.number(a, 1)} → {fmt.number(b, 1)})."
        )
    return out
