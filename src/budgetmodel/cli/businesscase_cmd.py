"""`budgetmodel businesscase SCENARIO --format md|html|pdf|xlsx --out FILE`: the Danish memo."""

from __future__ import annotations

from pathlib import Path

import typer

from budgetmodel.cli.common import reports_input_errors, write_atomic
from budgetmodel.errors import InputError, Problem
from budgetmodel.reports.render import FORMATS


@reports_input_errors
def businesscase(
    scenario: Path = typer.Argument(..., help="Scenariefil (YAML), fx scenarios/lyngby-taarbaek-2014-jobformidler.yaml."),
    format: str = typer.Option(..., "--format", help="md, html, pdf eller xlsx."),
    out: Path = typer.Option(..., "--out", help="Outputfil; skrives atomisk."),
    rates: Path = typer.Option(None, "--rates", help="Mappe med satstabeller (standard: den medfølgende rates/)."),
) -> None:
    """Skriv scenariets notat (business case eller reformkonsekvenser) på dansk, hvert tal med sin kilde."""
    from budgetmodel.cli import keep_imported
    from budgetmodel.rates import load_rates
    from budgetmodel.reports.memo import build_memo

    keep_imported()  # the scenario's and the engines' modules
    if format not in FORMATS:
        raise InputError([Problem("businesscase", None, "--format", f"ukendt format '{format}' (forventet: {', '.join(FORMATS)})")])
    data = build_memo(scenario, format, load_rates(rates))
    write_atomic(out, data)
    typer.echo(f"Notat skrevet: {out} ({len(data):,} bytes)".replace(",", "."))


def register(app: typer.Typer) -> None:
    app.command("businesscase")(businesscase)
