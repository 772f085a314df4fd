"""The `budgetmodel` command. Each command group lives in its own module with a `register(app)`."""

from __future__ import annotations

import typer

from budgetmodel.cli import (
    benchmark_cmd,
    businesscase_cmd,
    forecast_cmd,
    methods_cmd,
    optimise_cmd,
    rates_cmd,
    refund_cmd,
    scenario_cmd,
)

app = typer.Typer(
    name="budgetmodel",
    help="Budget- og reformkonsekvensmodel for jobcentre: refusion, driftsloft, mentorramme, "
    "budgetgaranti, enhedsomkostninger, optimering og business case-notater.",
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (rates_cmd, refund_cmd, benchmark_cmd, optimise_cmd, scenario_cmd, businesscase_cmd, forecast_cmd, methods_cmd):
    module.register(app)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Vis modelversionen og stop."),
) -> None:
    if version:
        from budgetmodel import __version__

        typer.echo(f"budgetmodel {__version__}")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def main() -> None:
    app()
