"""`budgetmodel validate`, `budgetmodel rates list`, `budgetmodel rates show`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from budgetmodel import fmt
from budgetmodel.cli.common import echo_json, reports_input_errors
from budgetmodel.errors import InputError, Problem
from budgetmodel.rates import load_rates
from budgetmodel.validation import validate_paths

rates_app = typer.Typer(help="Vis satstabellerne i rates/ (lovgivning som data).", no_args_is_help=True)


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' er ikke en dato på formen ÅÅÅÅ-MM-DD") from None


def _show_value(v: object) -> str:
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, (int, float)):
        return fmt.number(v, 0 if float(v).is_integer() else 2)
    return str(v)


@rates_app.command("list")
@reports_input_errors
def rates_list(
    rates: Path = typer.Option(None, "--rates", help="Mappe med satstabeller (standard: den medfølgende rates/)."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON."),
) -> None:
    """Vis alle satstabeller: id, enhed, gyldighedsperioder og kilder."""
    book = load_rates(rates, need=())
    rows = []
    for tid in sorted(book.tables):
        t = book.tables[tid]
        periods = [f"{a.isoformat()}–{b.isoformat() if b else ''}" for a, b in t.periods()]
        sources = sorted({e.source for e in t.spec.values})
        kt = t.known_through.isoformat() if t.known_through else None
        rows.append({"id": tid, "unit": t.unit, "description": t.spec.description, "periods": periods, "known_through": kt, "sources": sources})
    if json_out:
        echo_json(rows)
        return
    table = Table(title=f"Satstabeller i {book.root}", show_lines=True)
    for col in ("id", "enhed", "gyldighed", "kendt til og med", "kilde"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["unit"], "\n".join(r["periods"]), r["known_through"] or "", "\n".join(r["sources"]))
    Console(width=200).print(table)


@rates_app.command("show")
@reports_input_errors
def rates_show(
    table_id: str = typer.Argument(..., help="Tabellens id (se `budgetmodel rates list`)."),
    at: str = typer.Option(..., "--at", help="Dato ÅÅÅÅ-MM-DD som satserne slås op på."),
    rates: Path = typer.Option(None, "--rates", help="Mappe med satstabeller."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON."),
) -> None:
    """Vis én tabels værdier i kraft på en dato, med kilder og status."""
    day = _parse_date(at)
    book = load_rates(rates, need=())
    try:
        table = book.table(table_id)
    except KeyError as exc:
        raise InputError([Problem(str(book.root), None, "id", str(exc.args[0]))]) from None
    values = table.in_force(day)
    if not values:  # nothing in force is an error, never an empty answer
        periods = ", ".join(f"{a.isoformat()}–{b.isoformat() if b else ''}" for a, b in table.periods())
        ends = [b for _, b in table.periods()]
        ended = all(b is not None for b in ends) and day > max(b for b in ends if b is not None)
        why = f"; loven har afløst eller ophævet tabellen efter {max(ends).isoformat()}" if ended else ""
        raise InputError([Problem(str(table.path), None, "--at", f"{table.id}: ingen værdier gælder den {day.isoformat()} (gyldighed: {periods}){why}")])
    kt = table.known_through
    assumed = kt is not None and day > kt
    notice = f"antaget uændret efter {kt.isoformat()}" if assumed else None
    if json_out:
        echo_json(
            {
                "id": table.id,
                "description": table.spec.description,
                "unit": table.unit,
                "at": day.isoformat(),
                "known_through": kt.isoformat() if kt else None,
                "assumed_unchanged": assumed,
                "notice": notice,
                "dimensions": [d.name for d in table.spec.dimensions],
                "values": [v.as_dict() for v in values],
                "rates_fingerprint": book.fingerprint,
            }
        )
        return
    title = f"{table.id} ({table.unit}) pr. {day.isoformat()}\n{table.spec.description}"
    if notice:
        title += f"\nLov {notice}: kilderne fastlægger tabellen til og med {kt.isoformat()}; værdierne er de senest kendte."
    out = Table(title=title, show_lines=False)
    for d in table.spec.dimensions:
        out.add_column(d.name)
    for col in ("værdi", "gyldig fra", "status", "kilde"):
        out.add_column(col, overflow="fold")
    for v in values:
        status = f"{v.status} (antaget uændret efter {kt.isoformat()})" if assumed else v.status
        out.add_row(*(v.where.get(d.name, "*") for d in table.spec.dimensions), _show_value(v.value), v.valid_from.isoformat(), status, v.source)
    console = Console(width=200)
    console.print(out)
    if notice:
        console.print(f"Bemærk: {table.id} er {notice} (known_through).")


@reports_input_errors
def validate(
    paths: Optional[list[Path]] = typer.Argument(None, help="Filer eller mapper (standard: rates/ og scenarios/)."),
    rates: Optional[Path] = typer.Option(None, "--rates", help="Mappe med satstabeller, som scenarier kontrolleres mod (standard: den medfølgende rates/)."),
) -> None:
    """Kontrollér sats- og scenariefiler: alle fejl på én gang (fil, linje, felt, hvad der forventes); afslutter med kode 1 ved fejl."""
    from budgetmodel.paths import rates_dir, scenarios_dir

    targets = list(paths) if paths else [p for p in (rates_dir(), scenarios_dir()) if p.exists()]
    checked = validate_paths(targets, rates)
    typer.echo(f"OK: {checked} filer uden fejl")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.add_typer(rates_app, name="rates")
