"""`budgetmodel forecast PANEL --years N [--scenario FILE] [--backtest] [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from budgetmodel.cli.common import dump_json, echo_json, reports_input_errors, write_atomic


def register(app: typer.Typer) -> None:
    @app.command("forecast")
    @reports_input_errors
    def forecast(
        panel: Path = typer.Argument(..., help="Personugepanel (CSV eller Parquet) som til `budgetmodel refund`."),
        years: int = typer.Option(..., "--years", min=1, max=50, help="Antal ISO-år der vises, fra året med ugen efter panelets sidste uge (et år panelet dækker fra sin start, får panelets egne uger + fremskrivningen)."),
        scenario: Optional[Path] = typer.Option(
            None, "--scenario", help="YAML med en 'forecast:'-sektion (vækst, effekter, varighedsloft …); overskriver standardantagelserne."
        ),
        backtest: bool = typer.Option(False, "--backtest", help="Estimér på panelets første del, fremskriv resten og vis fejlen pr. år og ydelse."),
        json_out: bool = typer.Option(False, "--json", help="Skriv JSON på stdout."),
        bootstrap: Optional[int] = typer.Option(None, "--bootstrap", min=0, help="Antal bootstrap-gentagelser (0 = ingen intervaller); standard fra antagelserne."),
        curves: bool = typer.Option(False, "--curves", help="Tag afgangskurverne med tællinger med i JSON."),
        out: Optional[Path] = typer.Option(None, "--out", help="Skriv også JSON til denne fil (atomisk)."),
        rates: Optional[Path] = typer.Option(None, "--rates", help="Mappe med satstabeller (standard: den medfølgende rates/)."),
    ) -> None:
        """Forecast the caseload by benefit and week of duration from a panel, and price it (refunds, yearly)."""
        from budgetmodel.financing.panel import read_panel
        from budgetmodel.forecast.assumptions import load_assumptions
        from budgetmodel.forecast.backtest import backtest as run_backtest
        from budgetmodel.forecast.engine import PricedPanel, run_forecast
        from budgetmodel.forecast.report import forecast_json, render_text
        from budgetmodel.rates import load_rates

        loaded = load_assumptions(scenario)
        book = load_rates(rates)
        pp = PricedPanel.from_frame(read_panel(panel), book)
        result = run_forecast(pp, book, loaded, years, replicates=bootstrap)
        bt = run_backtest(pp, book, loaded) if backtest else None
        doc = forecast_json(result, pp, book, curves=curves, bt=bt)
        if out is not None:
            write_atomic(out, dump_json(doc) + "\n")
        if json_out:
            echo_json(doc)
        else:
            typer.echo(render_text(doc), nl=False)
