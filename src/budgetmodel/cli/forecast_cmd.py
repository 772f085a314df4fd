"""`budgetmodel forecast PANEL --years N [--scenario FILE] [--backtest] [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from budgetmodel.cli import passivity_opt
from budgetmodel.cli.common import dump_json, echo_json, reports_input_errors, write_atomic


def register(app: typer.Typer) -> None:
    @app.command("forecast")
    @reports_input_errors
    def forecast(
        panel: Path = typer.Argument(..., help="Personugepanel (CSV eller Parquet) som til `budgetmodel refund`."),
        years: int = typer.Option(..., "--years", min=1, max=50, help="Antal kalenderår der vises, fra året med ugen efter panelets sidste uge (et år panelet dækker fra sin start, får panelets egne dage + fremskrivningen; en uge over nytår fordeles efter dage)."),
        scenario: Optional[Path] = typer.Option(
            None,
            "--scenario",
            help="Et scenarie (kind: scenario: dets antagelser om vækst i sagsstammen og varighedseffekt, og dets "
            "forecast-antagelser) eller en YAML med en 'forecast:'-sektion (vækst, effekter, varighedsloft …).",
        ),
        backtest: bool = typer.Option(False, "--backtest", help="Estimér på panelets første del, fremskriv resten og vis fejlen pr. år og ydelse."),
        json_out: bool = typer.Option(False, "--json", help="Skriv JSON på stdout."),
        bootstrap: Optional[int] = typer.Option(None, "--bootstrap", min=0, help="Antal bootstrap-gentagelser (0 = ingen intervaller); standard fra antagelserne."),
        curves: bool = typer.Option(False, "--curves", help="Tag afgangskurverne med tællinger med i JSON."),
        out: Optional[Path] = typer.Option(None, "--out", help="Skriv også JSON til denne fil (atomisk)."),
        rates: Optional[Path] = typer.Option(None, "--rates", help="Mappe med satstabeller (standard: den medfølgende rates/)."),
        csv_format: str = typer.Option("auto", "--csv-format", help="Panelets CSV-format: auto (læses af filen), dansk (semikolon og decimalkomma) eller standard (komma og decimalpunktum)."),
        mapping: Optional[Path] = typer.Option(None, "--kortlaegning", help="Kortlægningsfil (YAML, kind: code-mapping) fra kildesystemets kolonner og koder til modellens (se budgetmodel koder)."),
        start_count: Optional[Path] = typer.Option(None, "--start-count", help="CSV med person_id,count_weeks: uger talt på refusionstrappen før panelets første uge."),
        partitioned: Optional[bool] = typer.Option(
            None,
            "--partitioned/--in-memory",
            help="Estimér i dele af personer (større end hukommelsen; en mappe med filer er altid delt) eller helt i hukommelsen. Standard: delt, når panelet ikke kan regnes inden for --memory. Samme tal begge veje.",
        ),
        partitions: Optional[int] = typer.Option(None, "--partitions", min=1, max=1_000_000, help="Antal dele (standard: efter panelets størrelse og --memory)."),
        memory: Optional[float] = typer.Option(None, "--memory", min=0.1, max=1_000_000.0, help="Arbejdshukommelse i GB, som valget af delt beregning og delenes størrelse følger (standard: 4)."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Kør delene på Dask: adressen på en scheduler (tcp://vært:8786) eller 'local' for en lokal klynge af processer."),
        workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Antal processer i en lokal Dask-klynge (--scheduler local; standard: antal kerner)."),
        tmp: Optional[Path] = typer.Option(None, "--tmp", help="Mappe til de midlertidige dele (med Dask på flere maskiner: en mappe alle workers kan læse)."),
        passivandel_uge: Optional[str] = typer.Option(None, "--passivandel-uge", help=passivity_opt.HELP),
    ) -> None:
        """Fremskriv sagsstammen pr. ydelse og varighedsuge fra et panel, og prissæt den (refusion, pr. år)."""
        from budgetmodel.financing.panel import read_panel_arrays
        from budgetmodel.forecast.assumptions import load_assumptions
        from budgetmodel.forecast.backtest import backtest as run_backtest
        from budgetmodel.forecast.engine import PricedPanel, run_forecast
        from budgetmodel.forecast.report import forecast_json, render_text
        from budgetmodel.financing.refund_rules import BENEFIT_TABLES
        from budgetmodel.rates import load_rates

        book = load_rates(rates, need=BENEFIT_TABLES)  # the tables the pricing reads
        loaded = _scenario_assumptions(scenario, book) if _is_scenario(scenario) else load_assumptions(scenario)
        from budgetmodel.errors import InputError, Problem
        from budgetmodel.financing.panel_input import CSV_FORMATS, load_mapping, read_start_counts

        if csv_format not in CSV_FORMATS:
            raise InputError([Problem("--csv-format", None, "", f"ukendt format '{csv_format}' (forventede en af: {', '.join(CSV_FORMATS)})")])
        counts = read_start_counts(start_count) if start_count is not None else None
        budget = int(memory * (1 << 30)) if memory is not None else None
        if partitioned is None:
            from budgetmodel.financing.sizing import needs_partitions

            partitioned = bool(scheduler or partitions) or panel.is_dir() or (panel.is_file() and needs_partitions(panel, budget))
        if partitioned:
            from contextlib import nullcontext

            from budgetmodel.financing.partitioned import dask_client
            from budgetmodel.forecast.partitioned import forecast_partitioned

            collect = passivity_opt.Collector(passivandel_uge, str(panel))
            with dask_client(scheduler, workers) if scheduler else nullcontext() as client:
                result, info, bt = forecast_partitioned(
                    panel, book, loaded, years, replicates=bootstrap, backtest=backtest, partitions=partitions, memory=budget, tmp_dir=tmp, client=client,
                    csv_format=csv_format, mapping=load_mapping(mapping), start_counts=counts, on_buckets=collect,
                )  # fmt: skip
            doc = forecast_json(result, info, book, curves=curves, bt=bt)
            doc["passive_share"] = collect.block
        else:
            arrays = read_panel_arrays(panel, csv_format, load_mapping(mapping))  # validated once, when read
            passive = passivity_opt.in_memory(arrays, passivandel_uge)
            pp = PricedPanel.from_frame(arrays, book, start_counts=counts)
            result = run_forecast(pp, book, loaded, years, replicates=bootstrap)
            bt = run_backtest(pp, book, loaded) if backtest else None
            doc = forecast_json(result, pp, book, curves=curves, bt=bt)
            doc["passive_share"] = passive
        if out is not None:
            write_atomic(out, dump_json(doc) + "\n")
        if json_out:
            echo_json(doc)
        else:
            typer.echo(render_text(doc), nl=False)


def _is_scenario(path: Optional[Path]) -> bool:
    if path is None:
        return False
    from budgetmodel.scenario.workbook import is_workbook
    from budgetmodel.sourcefile import load_yaml

    if is_workbook(path):  # a scenario workbook (.xlsx)
        return True
    data = load_yaml(path).data
    return isinstance(data, dict) and data.get("kind") == "scenario"


def _scenario_assumptions(path: Path, book):
    """A scenario's assumptions as forecast assumptions: its forecast assumptions file (if the
    caseload names one) over the standard ones; inflow growth from the forecast's own
    ``inflow_growth`` or else ``assumptions.caseload_growth``; and its ``duration_effect`` (a
    relative cut in time on benefit for participants in company-based offers) as an exit-hazard
    multiplier 1 / (1 − effect) for weeks in virksomhedspraktik or løntilskud — with a constant
    hazard, expected time on benefit scales by (1 − effect)."""
    from budgetmodel.codes import COMPANY_ACTIVATIONS
    from budgetmodel.forecast.assumptions import Effect, LoadedAssumptions, load_assumptions, with_inflow_growth
    from budgetmodel.scenario.load import load_scenario
    from budgetmodel.scenario.workbook import is_workbook
    from budgetmodel.sourcefile import LocatedDocument, load_yaml

    loaded_scenario = load_scenario(path, book)
    s = loaded_scenario.scenario
    fc = s.municipality.caseload.forecast
    loaded = load_assumptions(loaded_scenario.aux.get("assumptions"))
    growth = fc.inflow_growth if fc is not None and fc.inflow_growth is not None else s.assumptions.caseload_growth
    loaded = with_inflow_growth(loaded, 100.0 * float(growth.value))
    effect = float(s.assumptions.duration_effect.value)
    if effect > 0:
        m = loaded.model
        extra = Effect(
            name=f"varighedseffekt fra {path.name}",
            activations=list(COMPANY_ACTIVATIONS),
            weeks="1+",
            exit_hazard_multiplier=1.0 / (1.0 - effect),
            source=f"{path}: assumptions.duration_effect = {effect:g} ({s.assumptions.duration_effect.source})",
        )
        loaded = LoadedAssumptions(m.model_copy(update={"effects": [*m.effects, extra]}), loaded.docs)
    return LoadedAssumptions(loaded.model, [*loaded.docs, *(LocatedDocument(Path(f), None, sha256=h) if is_workbook(f) else load_yaml(f) for f, h in loaded_scenario.files)])
