"""From one's own data to the model: `budgetmodel koder` (the codes a panel uses)."""

from __future__ import annotations

from pathlib import Path

import typer

from budgetmodel.cli.common import echo_json, reports_input_errors


def _period_text(valid: list[dict]) -> str:
    if not valid:
        return "ingen satser i rates/"
    return "\n".join(f"{p['from']} – {p['to'] or 'og frem'}: {p['text']}" for p in valid)


def register(app: typer.Typer) -> None:
    @app.command("koder")
    @reports_input_errors
    def koder(
        json_out: bool = typer.Option(False, "--json", help="Skriv koderne som JSON."),
        rates: Path = typer.Option(None, "--rates", help="Mappe med satstabeller (standard: den medfølgende rates/)."),
    ) -> None:
        """Vis panelets ydelses- og aktiveringskoder med dansk navn og de perioder, refusionstabellerne i rates/ dækker dem."""
        from rich.console import Console
        from rich.table import Table

        from budgetmodel.codes_validity import code_validity
        from budgetmodel.financing.shares import load_refund_rates

        book = load_refund_rates(rates)
        doc = code_validity(book)
        if json_out:
            echo_json(doc | {"rates_fingerprint": book.fingerprint})
            return
        console = Console(width=max(Console().width, 140))
        for kind, title in (("benefit", "Ydelseskoder (kolonnen benefit)"), ("activation", "Aktiveringskoder (kolonnen activation)")):
            t = Table(title=title)
            for col in ("Kode", "Navn", "Gyldig og prissat som", "Tabeller"):
                t.add_column(col)
            for e in doc[kind]:
                t.add_row(e["code"], e["name"] or "(intet dansk navn)", _period_text(e["valid"]), ", ".join(e["tables"]))
            console.print(t)
        console.print("Egne koder oversættes med en kortlægningsfil: budgetmodel refund PANEL --kortlaegning FIL (se examples/kortlaegning-dst.yaml).")

    @app.command("ny")
    @reports_input_errors
    def ny(
        kommune: str = typer.Argument(..., help="Kommunens navn, fx 'Ringsted Kommune'.", show_default=False),
        years: str = typer.Option(..., "--years", help="Budgetårene, fx 2027-2030."),
        out: Path = typer.Option(None, "--out", help="Filen der skrives (standard: KOMMUNE-basis.yaml i den aktuelle mappe)."),
        xlsx: bool = typer.Option(False, "--xlsx", help="Skriv scenariet som Excel-arbejdsbog (.xlsx) i stedet for YAML (også når --out ender på .xlsx)."),
    ) -> None:
        """Skriv et basisscenarie og en personaleprofil for en kommune under gældende lov: hvert felt forklaret, det der mangler markeret UDFYLD (budgetmodel validate lister det)."""
        from budgetmodel.cli.common import write_atomic
        from budgetmodel.errors import InputError, Problem
        from budgetmodel.rates import load_rates
        from budgetmodel.scenario.new import parse_years, profile_file, slug, staff_template, staircase_bands, template

        try:
            first, last = parse_years(years)
        except ValueError as exc:
            raise InputError([Problem("--years", None, "", str(exc))]) from None
        target = out if out is not None else Path(f"{slug(kommune)}-basis.{'xlsx' if xlsx else 'yaml'}")
        staff = target.parent / profile_file(kommune)
        existing = [p for p in (target, staff) if p.exists()]
        if existing:
            raise InputError([Problem(str(p), None, "", "filen findes allerede; vælg en anden med --out (ny overskriver aldrig)") for p in existing])
        text = template(kommune, first, last, staff.name, staircase_bands(load_rates(), first))
        write_atomic(staff, staff_template(kommune, first))
        if xlsx or target.suffix.lower() == ".xlsx":  # the same scenario as a workbook (budgetmodel konverter)
            import yaml

            from budgetmodel.cli.konverter_cmd import workbook_bytes_for

            write_atomic(target, workbook_bytes_for(yaml.safe_load(text)))
        else:
            write_atomic(target, text)
        typer.echo(f"Skrevet: {target}\nSkrevet: {staff} (personaleprofilen)\nUdfyld felterne markeret UDFYLD i begge filer, og kør: budgetmodel validate {target}")
