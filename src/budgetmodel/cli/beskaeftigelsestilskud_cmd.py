"""`budgetmodel beskaeftigelsestilskud SCENARIO`: a municipality's beskæftigelsestilskud by grant year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from budgetmodel.cli.common import echo_json, reports_input_errors
from budgetmodel.errors import InputError, Problem

ROWS = (
    ("grundtilskud_dkk", "Grundtilskud"),
    ("merudgiftsbehov_foreloebig_dkk", "Merudgiftsbehov, foreløbigt"),
    ("midtvejsregulering_dkk", "Midtvejsregulering"),
    ("efterregulering_dkk", "Efterregulering"),
    ("insurance_dkk", "Forsikringsordning"),
    ("total_dkk", "Beskæftigelsestilskud i alt"),
    ("net_expenses_dkk", "Nettoudgifter til forsikrede ledige"),
    ("balance_dkk", "Tilskud minus nettoudgifter"),
)
STAGE_DA = {"foreloebig": "foreløbigt", "midtvejs": "midtvejsreguleret", "endelig": "efterreguleret (endeligt)"}


def grants_json(grants: dict[int, Any]) -> dict[str, Any]:
    """Plain data: kroner rounded to øre, keys in English."""
    out = {}
    for y, g in grants.items():
        row: dict[str, Any] = {k: (None if getattr(g, k) is None else round(getattr(g, k), 2)) for k, _ in ROWS}
        row.update(
            landsdel=g.landsdel,
            stage=g.stage,
            key_share=g.key_share,
            growth_gap_pp=round(g.growth_gap_pp, 4),
            threshold_pp=g.threshold_pp,
            sources=[{k: s[k] for k in ("table", "where", "value", "source", "status")} for s in g.sources],
        )
        out[str(y)] = row
    return out


@reports_input_errors
def beskaeftigelsestilskud(
    scenario: Path = typer.Argument(..., help="Scenariefil (YAML) med afsnittet budget.beskaeftigelsestilskud."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON (kroner pr. tilskudsår, afrundet til øre)."),
    rates: Path = typer.Option(None, "--rates", help="Mappe med satstabeller (standard: den medfølgende rates/)."),
) -> None:
    """Beskæftigelsestilskud: grundtilskud, merudgiftsbehov, midtvejs- og efterregulering og forsikringsordning pr. tilskudsår."""
    from rich.console import Console
    from rich.table import Table as RichTable

    from budgetmodel import fmt
    from budgetmodel.rates import load_rates
    from budgetmodel.scenario.compile import compile_scenario
    from budgetmodel.scenario.load import load_scenario

    book = load_rates(rates)
    loaded = load_scenario(scenario, book)
    s = loaded.scenario
    if s.budget.beskaeftigelsestilskud is None:
        raise InputError([Problem(str(scenario), None, "budget.beskaeftigelsestilskud", "scenariet har intet afsnit om beskæftigelsestilskuddet (budget.beskaeftigelsestilskud)")])
    compiled = compile_scenario(loaded, book)  # the one place a scenario meets the law (its overrides included)
    grants = compiled.grants
    if json_out:
        echo_json({"scenario": s.id, "municipality": s.municipality.name, "unit": "dkk", "years": grants_json(grants), "rates_fingerprint": compiled.book.fingerprint})
        return
    console = Console(width=140)
    console.print(f"[bold]Beskæftigelsestilskud for {s.municipality.name}[/bold] ({s.id})")
    t = RichTable(title="Kr.", title_justify="left")
    t.add_column("")
    for y in grants:
        t.add_column(str(y), justify="right")
    for key, label in ROWS:
        vals = [getattr(g, key) for g in grants.values()]
        if all(v is None for v in vals):
            continue
        t.add_row(label, *("" if v is None else fmt.number(v) for v in vals), style="bold" if key in ("total_dkk", "balance_dkk") else None)
    console.print(t)
    for y, g in grants.items():
        console.print(
            f"{y}: landsdel {g.landsdel}, {STAGE_DA[g.stage]}; andel af landsdelens ledige i nøgleåret {fmt.number(g.key_share * 100, 2)} pct.; "
            f"ledighedsudvikling {fmt.number(g.growth_gap_pp, 1)} procentpoint over landsdelens (tærskel {fmt.number(g.threshold_pp)})"
        )


def register(app: typer.Typer) -> None:
    app.command("beskaeftigelsestilskud")(beskaeftigelsestilskud)
