"""`budgetmodel refund PANEL [--json] [--out ROWS.csv]`: refunds of a person-week panel."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer

from budgetmodel.cli import passivity_opt
from budgetmodel.cli.common import echo_json, reports_input_errors
from budgetmodel.outfile import atomic_path

# Panels from this size on get a progress bar on stderr (when stderr is a terminal).
PROGRESS_FROM_BYTES = 20_000_000

ROW_COLUMNS = (
    "person_id",
    "week",
    "benefit",
    "activation",
    "amount_dkk",
    "regime",
    "spell_week",
    "count_week",
    "state_share",
    "state_dkk",
    "municipal_dkk",
)


@contextmanager
def _stages(enabled: bool, total: int) -> Iterator:
    """A rich progress bar on stderr (never stdout); yields a callback taking a stage name."""
    if not enabled:
        yield lambda _name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description:<12}"), BarColumn(), TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    with progress:
        task = progress.add_task("indlæser", total=total)

        def stage(name: str) -> None:
            progress.update(task, advance=1, description=name)

        yield stage


def _half_up(x, digits: int):
    import numpy as np

    f = 10.0**digits
    return np.sign(x) * np.floor(np.abs(x) * f + 0.5) / f + 0.0


def rounded_rows(rows):
    """The rows file's numbers: kroner to øre (half up), the state's share to six decimals; the
    municipal amount is the rounded gross minus the rounded state amount, so each row adds up."""
    amount = _half_up(rows["amount_dkk"].to_numpy(dtype=float), 2)
    state = _half_up(rows["state_dkk"].to_numpy(dtype=float), 2)
    out = rows.loc[:, list(ROW_COLUMNS)].copy()
    out.attrs.clear()  # the engine's sums live in attrs; a file has no use for them
    out["amount_dkk"] = amount
    out["state_dkk"] = state
    out["municipal_dkk"] = _half_up(amount - state, 2)
    out["state_share"] = _half_up(rows["state_share"].to_numpy(dtype=float), 6)
    return out


def _write_rows(rows, out: Path, danish: bool = False) -> None:
    """Every row as CSV (or Parquet when ``out`` ends in .parquet), written to a temporary file
    beside ``out`` and renamed (atomic). Kroner are rounded to øre; ``danish``: ``;`` between
    fields and a decimal comma, as a Danish Excel reads CSV."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(rounded_rows(rows), preserve_index=False)
    cols = [pc.cast(c, pa.string()) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    if danish and out.suffix.lower() != ".parquet":
        cols = [pc.replace_substring(pc.cast(c, pa.string()), ".", ",") if pa.types.is_floating(c.type) else c for c in cols]
    table = pa.Table.from_arrays(cols, names=table.column_names)
    with atomic_path(out) as tmp:
        if out.suffix.lower() == ".parquet":
            pq.write_table(table, str(tmp))
        else:
            sep = ";" if danish else ","
            plain = danish and not any(pc.any(pc.match_substring_regex(c, f'[{sep}"\n\r]')).as_py() for c in cols if pa.types.is_string(c.type))
            pacsv.write_csv(table, str(tmp), write_options=pacsv.WriteOptions(quoting_style="none" if plain else "needed", delimiter=sep))


def _print_table(summary: dict, panel: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    from budgetmodel import fmt

    def pct(block: dict) -> str:
        return fmt.pct(block["state_dkk"] / block["gross_dkk"], 1) if block["gross_dkk"] else "–"

    table = Table(title=f"Refusion af forsørgelsesydelser: {panel.name}", caption="Beløb i kr. Statens andel = refusion (dagpenge: 100 pct. minus kommunens medfinansiering).")
    for col, justify in (("Ydelse", "left"), ("Rækker", "right"), ("Udgift", "right"), ("Staten", "right"), ("Kommunen", "right"), ("Statens andel", "right")):
        table.add_column(col, justify=justify)
    for name, block in summary["by_benefit"].items():
        table.add_row(name, fmt.number(block["rows"]), fmt.number(block["gross_dkk"], 2), fmt.number(block["state_dkk"], 2), fmt.number(block["municipal_dkk"], 2), pct(block))
    table.add_section()
    for name, block in summary["by_regime"].items():
        label = "2014-regler" if name == "2014" else "refusionstrappen"
        table.add_row(f"heraf {label}", fmt.number(block["rows"]), fmt.number(block["gross_dkk"], 2), fmt.number(block["state_dkk"], 2), fmt.number(block["municipal_dkk"], 2), pct(block))
    table.add_section()
    table.add_row("I alt", fmt.number(summary["rows"]), fmt.number(summary["gross_dkk"], 2), fmt.number(summary["state_dkk"], 2), fmt.number(summary["municipal_dkk"], 2), pct(summary), style="bold")
    console = Console()
    console.print(table)
    years = Table(title="Pr. kalenderår (en uge over nytår fordelt efter dage)", caption="Helårspersoner = persondage på ydelse i året / årets dage.")
    for col in ("År", "Helårspersoner", "Udgift", "Staten", "Kommunen"):
        years.add_column(col, justify="right")
    for y in summary.get("by_calendar_year", []):
        years.add_row(str(y["year"]), fmt.number(y["helaarspersoner"], 2), fmt.number(y["gross_dkk"], 2), fmt.number(y["state_dkk"], 2), fmt.number(y["municipal_dkk"], 2))
    if summary.get("by_calendar_year"):
        console.print(years)
    weeks = summary.get("weeks") or {}
    console.print(f"{fmt.number(summary['persons'])} personer, uge {weeks.get('first', '–')} til {weeks.get('last', '–')}.")
    if summary.get("passive_share"):
        from budgetmodel.unitcost.passivity_view import passivity_renderables

        for r in passivity_renderables(summary["passive_share"]):
            console.print(r)


def register(app: typer.Typer) -> None:
    @app.command("refund")
    @reports_input_errors
    def refund(
        panel: Path = typer.Argument(..., help="Person-uge-panel (CSV eller Parquet): person_id,week,benefit,activation,amount_dkk.", show_default=False),
        json_out: bool = typer.Option(False, "--json", help="Skriv ét JSON-objekt med totaler, fordeling på ydelser og på kalenderår."),
        out: Path = typer.Option(None, "--out", help="Skriv hver række med uge i forløb/optælling, statens andel og beløb i kr. med øre (CSV; Parquet når filnavnet ender på .parquet)."),
        dansk_csv: bool = typer.Option(False, "--dansk-csv", help="Skriv rækkefilen som dansk CSV: semikolon mellem felterne og decimalkomma."),
        csv_format: str = typer.Option("auto", "--csv-format", help="Panelets CSV-format: auto (læses af filen), dansk (semikolon og decimalkomma) eller standard (komma og decimalpunktum)."),
        mapping: Path = typer.Option(None, "--kortlaegning", help="Kortlægningsfil (YAML, kind: code-mapping) fra kildesystemets kolonner og koder til modellens (se budgetmodel koder)."),
        start_count: Path = typer.Option(None, "--start-count", help="CSV med person_id,count_weeks: uger talt på refusionstrappen før panelets første uge."),
        rates: Path = typer.Option(None, "--rates", help="Mappe med satstabeller (standard: den medfølgende rates/)."),
        progress: bool = typer.Option(None, "--progress/--no-progress", help="Statuslinje på stderr (standard: for store paneler i en terminal)."),
        partitioned: bool = typer.Option(
            None,
            "--partitioned/--in-memory",
            help="Regn panelet i dele af personer (større end hukommelsen; en mappe med filer er altid delt) eller helt i hukommelsen. Standard: én gennemgang af filen uden sortering, når hver persons uger kommer i rækkefølge; ellers delt, når panelet ikke kan regnes inden for --memory.",
        ),
        partitions: int = typer.Option(None, "--partitions", min=1, max=1_000_000, help="Antal dele (standard: efter panelets størrelse og --memory)."),
        memory: float = typer.Option(None, "--memory", min=0.1, max=1_000_000.0, help="Arbejdshukommelse i GB, som valget af delt beregning og delenes størrelse følger (standard: 4)."),
        scheduler: str = typer.Option(None, "--scheduler", help="Kør delene på Dask: adressen på en scheduler (tcp://vært:8786) eller 'local' for en lokal klynge af processer."),
        workers: int = typer.Option(None, "--workers", min=1, help="Antal processer i en lokal Dask-klynge (--scheduler local; standard: antal kerner)."),
        tmp: Path = typer.Option(None, "--tmp", help="Mappe til de midlertidige dele (med Dask på flere maskiner: en mappe alle workers kan læse)."),
        passivandel_uge: str = typer.Option(None, "--passivandel-uge", help=passivity_opt.HELP),
    ) -> None:
        """Beregn statens refusion og kommunens udgift for hver person-uge (2014-regler og refusionstrappen), i alt, pr. ydelse og pr. kalenderår."""
        from budgetmodel.errors import InputError, Problem
        from budgetmodel.financing.panel_input import CSV_FORMATS, load_mapping, read_start_counts
        from budgetmodel.financing.shares import load_refund_rates

        if csv_format not in CSV_FORMATS:
            raise InputError([Problem("--csv-format", None, "", f"ukendt format '{csv_format}' (forventede en af: {', '.join(CSV_FORMATS)})")])
        if progress is None:
            progress = sys.stderr.isatty() and panel.is_file() and panel.stat().st_size >= PROGRESS_FROM_BYTES
        book = load_refund_rates(rates)
        budget = int(memory * (1 << 30)) if memory is not None else None
        loaded = load_mapping(mapping)
        counts = read_start_counts(start_count) if start_count is not None else None  # its own dialect, read from the file
        summary = None
        if partitioned is None and not (scheduler or partitions or out or counts) and _streams(panel):
            from budgetmodel.financing.stream import stream_summary

            summary = stream_summary(panel, book, csv_format=csv_format, mapping=loaded, passivity_at=passivandel_uge, at_where=passivity_opt.AT_WHERE, memory=budget)
        if partitioned is None:
            partitioned = bool(scheduler or partitions) or _large(panel, budget)
        if summary is not None:
            pass  # priced in one pass over the file (financing.stream)
        elif partitioned:
            own = {"csv_format": csv_format, "mapping": loaded, "start_counts": counts}
            collect = passivity_opt.Collector(passivandel_uge, str(panel))
            summary = _refund_partitioned(panel, book, out=out, partitions=partitions, memory=budget, scheduler=scheduler, workers=workers, tmp=tmp, own={**own, "on_buckets": collect})
            summary["passive_share"] = collect.block
        else:
            with _stages(progress, total=7 if out else 6) as stage:
                summary = _refund_in_memory(panel, book, out, stage, csv_format=csv_format, mapping=loaded, start_counts=counts, danish=dansk_csv, passivity_at=passivandel_uge)
        summary["file"] = str(panel)
        if mapping is not None:
            summary["mapping"] = str(mapping)
        if start_count is not None:
            summary["start_count"] = str(start_count)
        summary["rates_fingerprint"] = book.fingerprint
        for w in summary.get("warnings", []):
            typer.echo(f"Advarsel: {w}", err=True)
        if json_out:
            echo_json(summary)
        else:
            _print_table(summary, panel)
            if out is not None:
                typer.echo(f"Rækker skrevet til {out}")


def _streams(panel: Path) -> bool:
    """A panel file big enough for the compiled kernels is priced in one pass first (financing.stream:
    no sort; it declines a panel it cannot price as the sorting paths would, and they take over)."""
    from budgetmodel.jit import SMALL_ROWS
    from budgetmodel.financing.sizing import estimated_rows

    return panel.is_file() and estimated_rows([panel]) >= SMALL_ROWS


def _large(panel: Path, memory: int | None) -> bool:
    from budgetmodel.financing.sizing import needs_partitions

    return panel.is_dir() or (panel.is_file() and needs_partitions(panel, memory))


def _refund_partitioned(panel: Path, book, *, out, partitions, memory, scheduler, workers, tmp, own: dict) -> dict:
    from budgetmodel.errors import InputError, Problem
    from budgetmodel.financing.partitioned import dask_client, refund_summary_partitioned

    if out is not None:
        raise InputError([Problem(str(panel), None, "--out", "rækkerne (--out) skrives kun ved beregning i hukommelsen (--in-memory); den delte beregning giver totalerne")])
    if scheduler is None:
        return refund_summary_partitioned(panel, book, partitions=partitions, memory=memory, tmp_dir=tmp, **own)
    with dask_client(scheduler, workers) as client:
        return refund_summary_partitioned(panel, book, partitions=partitions, memory=memory, tmp_dir=tmp, client=client, **own)


def _refund_in_memory(panel: Path, book, out, stage, *, csv_format: str = "auto", mapping=None, start_counts=None, danish: bool = False, passivity_at: str | None = None) -> dict:
    from budgetmodel.financing.panel import read_panel_arrays
    from budgetmodel.financing.refund import compute_refunds, refund_summary, summarise

    arrays = read_panel_arrays(panel, csv_format, mapping)
    stage("kontrol")
    passive = passivity_opt.in_memory(arrays, passivity_at)
    if out is None:
        return {**refund_summary(arrays, book, on_stage=stage, start_counts=start_counts), "passive_share": passive}
    rows = compute_refunds(arrays, book, on_stage=stage, start_counts=start_counts)  # validated once, by read_panel_arrays
    summary = summarise(rows)
    summary["passive_share"] = passive
    stage("skriver")
    _write_rows(rows, out, danish=danish)
    return summary
