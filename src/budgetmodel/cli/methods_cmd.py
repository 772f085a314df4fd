"""The published analyses as methods on a municipality's own figures (issue 15).

* ``passivandel PANEL`` — STAR 2018: the passive share of long-term recipients in a person-week
  panel, compared with STAR's national and surveyed averages;
* ``bdo PROFIL`` — BDO/HBS 2024 unit costs (kr. per fuldtidsperson by target group and task);
* ``quartz PROFIL`` — Quartz+Co 2014 time use, case productivity and savings potential.

Imports happen inside the commands so the CLI starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from budgetmodel.cli.common import echo_json, reports_input_errors

WIDTH = 160


@reports_input_errors
def passivandel_command(
    panel: Path = typer.Argument(..., help="Person-uge-panel (CSV eller Parquet) i samme format som 'refund'."),
    at: Optional[str] = typer.Option(None, "--at", help="Referenceuge ÅÅÅÅ-Uww (standard: panelets sidste uge)."),
    data: Optional[Path] = typer.Option(None, "--data", help="Mappe med data (standard: den medfølgende data/)."),
    assumptions: Optional[Path] = typer.Option(None, "--assumptions", help="Antagelsesfil (standard: data/assumptions/passivity.yaml)."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON."),
) -> None:
    """Passivandel (STAR 2018): langtidsmodtagere uden aktiv indsats det seneste år, mod landsgennemsnittet.

    Pr. ydelsesgruppe (dagpenge, sygedagpenge, udsatte): andelen af borgere med mindst 1 års
    anciennitet, der ikke har deltaget i aktiv indsats det seneste år, sammenlignet med STAR's
    landsgennemsnit og de undersøgte kommuners gennemsnit (maj 2018)."""
    from rich.console import Console
    from rich.table import Table

    from budgetmodel import fmt
    from budgetmodel.cli.benchmark_cmd import plain
    from budgetmodel.financing.panel import read_panel_arrays
    from budgetmodel.unitcost.passivity import StarData, load_passivity_assumptions, passive_share

    result = passive_share(read_panel_arrays(panel), StarData.load(data), load_passivity_assumptions(assumptions), at)
    if json_out:
        echo_json(plain(result.as_dict()))
        return
    con = Console(width=WIDTH)
    con.print(f"[bold]Passivandel (STAR 2018-metoden) i referenceugen {result.reference_week}[/bold]")
    for m in result.method:
        con.print("  " + m, soft_wrap=True)
    t = Table(title="Passive langtidsmodtagere")
    for col in ("Ydelsesgruppe", "Langtidsmodtagere", "Passive", "Passivandel", "Hele landet 2018", "Undersøgte kommuner 2018", "Forskel til landet"):
        t.add_column(col, justify="left" if col == "Ydelsesgruppe" else "right")
    for g in result.groups:
        s = g.share
        t.add_row(
            g.label,
            fmt.number(g.long_term),
            fmt.number(g.passive),
            "ingen langtidsmodtagere" if s is None else fmt.pct(s, 1),
            fmt.pct(g.national, 0),
            fmt.pct(g.surveyed, 0),
            "" if s is None else f"{fmt.number((s - g.national) * 100, 1)} procentpoint",
        )
    con.print(t)
    for g in result.groups:
        if g.reasons:
            con.print(f"Årsager, kommunerne angav for {g.label.lower()} (andel af kommuner, ikke af borgere):", soft_wrap=True)
            for r in g.reasons:
                con.print(f"  - {r['reason']} ({r['printed']}; {r['source']})", soft_wrap=True)
    con.print("Kilde: " + "; ".join(sorted({g.source for g in result.groups})), soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("passivandel")(passivandel_command)
