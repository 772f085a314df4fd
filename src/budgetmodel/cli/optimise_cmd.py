"""`budgetmodel optimise SCENARIO [--json] [--save-lp FILE]`: the staff-allocation optimiser."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from budgetmodel import fmt
from budgetmodel.cli.common import echo_json, reports_input_errors, write_atomic


def write_lp(model: object, path: Path) -> None:
    """Write a Pyomo model in CPLEX LP format with readable names, atomically."""
    fd, tmp = tempfile.mkstemp(suffix=".lp")
    os.close(fd)
    try:
        model.write(tmp, format="lp", io_options={"symbolic_solver_labels": True})  # type: ignore[attr-defined]
        write_atomic(path, Path(tmp).read_bytes())
    finally:
        os.unlink(tmp)


def _print_report(report: object) -> None:
    from budgetmodel.optimise.run import OptimiseReport

    assert isinstance(report, OptimiseReport)
    inp = report.input
    console = Console(width=160)
    console.print(f"[bold]Optimal fordeling af medarbejdere og køb – {inp.municipality}[/bold] ({inp.regime})")
    console.print(f"Status: {report.status} (HiGHS)")
    if report.fixed_case_saving_dkk_per_year is not None:
        console.print(f"Scenariets initiativ (fastlagt fordeling): besparelse {fmt.kr(report.fixed_case_saving_dkk_per_year)} om året")
    console.print(f"Optimum: besparelse {fmt.kr(report.net_saving_dkk_per_year)} om året i forhold til i dag")
    table = Table(title="Fordeling", show_lines=False)
    cols = ["år", "beslutning", "målgruppe / tilbud", "i dag"] + (["initiativ"] if report.initiative is not None else []) + ["optimum"]
    for c in cols:
        table.add_column(c, justify="right" if c in ("i dag", "initiativ", "optimum") else "left")
    from budgetmodel.optimise.extract import DECISIONS

    for _, r in report.allocation_table().iterrows():
        if r["kind"] not in DECISIONS:
            continue
        vals = [fmt.number(r["today"], 1)] + ([fmt.number(r["initiative"], 1)] if report.initiative is not None else []) + [fmt.number(r["optimum"], 1)]
        table.add_row(str(r["period"]), DECISIONS[r["kind"]], str(r["label"]), *vals)
    console.print(table)
    sp = report.shadow_prices()
    if len(sp):
        console.print("[bold]Skyggepriser[/bold]")
        for text in sp["text"]:
            console.print(f"  • {text}")
    binding = report.binding()
    if len(binding):
        console.print("[bold]Bindende begrænsninger[/bold]")
        for _, r in binding.iterrows():
            console.print(f"  • {r['description']} (kilde: {r['source']})")
    ch = report.changes()
    if ch:
        console.print("[bold]Optimum i forhold til i dag[/bold]")
        for line in ch:
            console.print(f"  • {line}")


@reports_input_errors
def optimise(
    scenario: Path = typer.Argument(..., help="Scenariefil (YAML) eller en optimeringsinput-fil."),
    json_out: bool = typer.Option(False, "--json", help="Skriv resultatet som JSON."),
    save_lp: Optional[Path] = typer.Option(None, "--save-lp", help="Gem den optimerede model i LP-format."),
) -> None:
    """Find the split of staff and purchases that minimises the municipality's net cost."""
    from budgetmodel.optimise.data import load_input
    from budgetmodel.optimise.explain import FAMILY_NAMES, unit_of
    from budgetmodel.optimise.run import Infeasible, SolveFailed, optimise as run
    from budgetmodel.optimise.solve import SolverUnavailable, check_solver

    try:
        check_solver()
    except SolverUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    inp = load_input(scenario)
    try:
        report = run(inp)
    except Infeasible as exc:
        if json_out:
            echo_json({
                "status": "infeasible",
                "infeasible_allocation": exc.what,
                "termination": exc.result.termination,
                "message": exc.message,
                "conflicting_constraints": [
                    {"family": f, "name": FAMILY_NAMES[f], "source": inp.sources.get(f, "")} for f in exc.families
                ],
                "relaxation": [
                    {"constraint": r["description"], "family": r["family"],
                     "relax_by": round(max(float(r["raise_lhs"]), float(r["lower_lhs"])), 6),
                     "unit": unit_of(r["component"], r["index"])}
                    for _, r in exc.relaxation.iterrows()
                ],
            })
        else:
            typer.echo(exc.message, err=True)
        raise typer.Exit(1) from None
    except SolveFailed as exc:
        if json_out:
            echo_json({"status": exc.result.termination, "message": str(exc)})
        else:
            typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    if save_lp is not None:
        write_lp(report.model, save_lp)
    if json_out:
        echo_json(report.as_dict())
    else:
        _print_report(report)


def register(app: typer.Typer) -> None:
    app.command("optimise")(optimise)
