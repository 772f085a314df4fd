"""`budgetmodel run SCENARIO` and `budgetmodel compare A B …`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table as RichTable

from budgetmodel import fmt
from budgetmodel.cli.common import echo_json, reports_input_errors, write_atomic
from budgetmodel.errors import InputError, Problem


def _line_json(ln: Any, years: list[int]) -> dict[str, Any]:
    shown: dict[str, Any]
    if ln.kind == "count":
        shown = {str(y): fmt.round_half_up(ln.dkk[y], 1) for y in years}
    elif ln.kind == "dkk":
        shown = {str(y): fmt.round_half_up(ln.dkk[y]) for y in years}
    else:
        shown = {str(y): int(fmt.round_half_up(ln.dkk[y] / 1000.0)) for y in years}
    return {
        "key": ln.key,
        "label": ln.label,
        "kind": ln.kind,
        "unit": {"count": "count", "dkk": "dkk"}.get(ln.kind, "tdkk"),
        "values": shown,
        "dkk": {str(y): round(ln.dkk[y], 2) for y in years},
        "source": ln.source,
        "status": ln.status,
    }


def result_json(result: Any, resolved_path: Path | None) -> dict[str, Any]:
    years = list(result.scenario.years)
    tables = [t for t in (result.budget, result.caseload) if t is not None] + [c.phased for c in result.initiatives] + list(result.sub_tables)
    return {
        "scenario": result.scenario.id,
        "title": result.scenario.title,
        "years": years,
        "unit": "tdkk (1.000 kr., Danish rounding) unless a line says otherwise; 'dkk' holds unrounded kroner",
        "tables": [{"key": t.key, "title": t.title, "lines": [_line_json(ln, years) for ln in t.lines]} for t in tables],
        "initiatives": [
            {
                "key": c.key,
                "title": c.title,
                "tabel_1": [{"label": r.label, "value": fmt.round_half_up(r.value, 2), "unit": r.unit, "working": r.working} for r in c.rows],
                "year_fractions": {str(y): f for y, f in c.year_fractions.items()},
                "net_dkk_per_year": round(c.net_dkk_per_year, 2),
                "dkk": {str(y): round(c.dkk[y], 2) for y in years},
                "state_refund_dkk": {str(y): round(c.state_refund_dkk[y], 2) for y in years},
            }
            for c in result.initiatives
        ],
        "law": {
            "as_if": result.law.as_if.isoformat() if result.law is not None and result.law.as_if is not None else None,
            "text": result.law.describe() if result.law is not None else "",
            "overrides": [rv.as_dict() for rv in result.used_rates if str(getattr(rv, "status", "")) == "reform"],
            "assumed_unchanged": list(result.assumed_unchanged),
        },
        "notes": list(result.notes),
        "checks": result.checks,
        "provenance": {
            "model_version": result.model_version,
            "rates_fingerprint": result.rates_fingerprint,
            "input_hash": result.loaded.input_hash,
            "files": [{"path": p, "sha256": h} for p, h in result.loaded.files],
            "resolved_scenario": str(resolved_path) if resolved_path else None,
        },
    }


def _print_table(console: Console, title: str, years: list[int], lines: list[Any]) -> None:
    t = RichTable(title=title, title_justify="left")
    t.add_column("1.000 kr.")
    for y in years:
        t.add_column(str(y), justify="right")
    for ln in lines:
        if ln.kind == "count":
            cells = [fmt.number(ln.dkk[y], 1) for y in years]
        elif ln.kind == "dkk":
            cells = [fmt.number(ln.dkk[y]) for y in years]
        else:
            cells = [fmt.thousand(ln.dkk[y]) for y in years]
        style = "bold" if ln.kind in ("total", "netto") else None
        t.add_row(ln.label, *cells, style=style)
    console.print(t)


@reports_input_errors
def run(
    scenario: Path = typer.Argument(..., help="Scenariefil (YAML)."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON (budgetlinjer pr. år i 1.000 kr. og uafrundede kroner)."),
    rates: Path = typer.Option(None, "--rates", help="Mappe med satstabeller (standard: den medfølgende rates/)."),
    save_resolved: Optional[Path] = typer.Option(
        None, "--save-resolved", help="Hvor det samlede (resolved) scenarie gemmes (standard: out/runs/<id>-<input-hash>.resolved.yaml)."
    ),
) -> None:
    """Beregn et scenarie: budgetlinjerne pr. år i 1.000 kr.; gemmer det samlede scenarie, der blev brugt."""
    from budgetmodel.rates import load_rates
    from budgetmodel.scenario.load import load_scenario
    from budgetmodel.scenario.run import run_scenario

    book = load_rates(rates)
    loaded = load_scenario(scenario, book)
    result = run_scenario(loaded, book)
    target = save_resolved or Path("out") / "runs" / f"{loaded.scenario.id}-{loaded.input_hash[:12]}.resolved.yaml"
    write_atomic(target, loaded.resolved_yaml())
    if json_out:
        echo_json(result_json(result, target))
        return
    console = Console(width=140)
    years = list(loaded.scenario.years)
    console.print(f"[bold]{loaded.scenario.title}[/bold] ({loaded.scenario.id})")
    if result.budget is not None:
        _print_table(console, "Budgetlinjer", years, result.budget.lines)
    for c in result.initiatives:
        _print_table(console, c.title, years, c.phased.lines)
    if result.caseload is not None:
        _print_table(console, result.caseload.title, years, result.caseload.lines)
    failed = [c for c in result.checks if not c["ok"]]
    if result.checks:
        console.print(f"Kontrol mod kildens trykte tal: {len(result.checks) - len(failed)} af {len(result.checks)} genfundet.")
        for c in failed:
            console.print(f"  Afvigelse: {c.get('table', '')} {c['line']} {c['year']}: trykt {fmt.number(c['printed'])}, beregnet {fmt.number(c['computed'])} (uafrundet {fmt.number(c['unrounded'], 1)})")
        for c in result.checks:
            if "rounding_break" in c:
                console.print(
                    f"  Kildens egen afrunding: {c.get('table', '')} {c['line']} {c['year']}: de trykte dele giver {fmt.number(c['document_sum'])}, "
                    f"trykt {fmt.number(c['printed'])} (forskel {fmt.number(c['rounding_break'])}); beregnet af uafrundede tal: {fmt.number(c['computed'])}"
                )
    console.print(f"Input sha256 {loaded.input_hash}; satser sha256 {result.rates_fingerprint}; samlet scenarie gemt i {target}")


@reports_input_errors
def compare(
    scenarios: list[Path] = typer.Argument(..., help="To eller flere scenariefiler; den første er sammenligningsgrundlaget (A)."),
    format: str = typer.Option("table", "--format", help="table (terminal), html (selvstændig side til udvalget) eller xlsx."),
    out: Optional[Path] = typer.Option(None, "--out", help="Outputfil (krævet for xlsx; html skrives til stdout uden)."),
    rates: Path = typer.Option(None, "--rates", help="Mappe med satstabeller."),
) -> None:
    """Sammenlign scenarier side om side, hver linje pr. år, med forskellen til det første."""
    from budgetmodel.rates import load_rates
    from rich.markup import escape

    from budgetmodel.reports.compare import compare_context, render_compare_html, render_compare_xlsx
    from budgetmodel.scenario.load import load_scenario
    from budgetmodel.scenario.run import run_scenario

    problems = []
    if len(scenarios) < 2:
        problems.append(Problem("compare", None, "SCENARIOS", "giv mindst to scenarier"))
    if format not in ("table", "html", "xlsx"):
        problems.append(Problem("compare", None, "--format", f"ukendt format '{format}' (table, html eller xlsx)"))
    if format == "xlsx" and out is None:
        problems.append(Problem("compare", None, "--out", "xlsx kræver --out FIL"))
    if problems:
        raise InputError(problems)
    book = load_rates(rates)
    loaded = []
    for p in scenarios:
        try:
            loaded.append(load_scenario(p, book))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    results = [run_scenario(x, book) for x in loaded]
    ctx = compare_context(results)
    if format == "html":
        html = render_compare_html(ctx)
        if out is None:
            typer.echo(html, nl=False)
        else:
            write_atomic(out, html)
        return
    if format == "xlsx":
        write_atomic(out, render_compare_xlsx(ctx))
        return
    console = Console(width=160, record=out is not None)
    for sc in ctx["scenarios"]:
        console.print(f"[bold]{sc['letter']}[/bold]: {escape(sc['title'])} ({escape(sc['id'])})", highlight=False)
    console.print(ctx["total_note"], markup=False, highlight=False)
    if ctx["missing_note"]:
        console.print(ctx["missing_note"], markup=False, highlight=False)
    for sec in ctx["sections"]:
        t = RichTable(title=sec["title"], title_justify="left")
        t.add_column("Linje")
        t.add_column("Scenarie")
        for y in ctx["years"]:
            t.add_column(y, justify="right")
        for g in sec["groups"]:
            for i, row in enumerate(g["rows"]):
                t.add_row(f"{g['label']} ({g['unit']})" if i == 0 else "", row["label"], *(c["text"] for c in row["cells"]), style="bold" if row["kind"] == "difference" else None)
        console.print(t)
    if out is not None:
        write_atomic(out, console.export_text())


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("compare")(compare)
