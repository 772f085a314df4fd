"""`budgetmodel optimise SCENARIO [--json] [--save-lp FILE]`: the staff-allocation optimiser."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from budgetmodel import fmt
from budgetmodel.cli.common import echo_json, reports_input_errors
from budgetmodel.outfile import atomic_path


def write_lp(model: object, path: Path) -> None:
    """Write a Pyomo model in CPLEX LP format with readable names, atomically."""
    with atomic_path(path) as tmp:
        model.write(str(tmp), format="lp", io_options={"symbolic_solver_labels": True})  # type: ignore[attr-defined]


def _years(periods: list[str], all_periods: list[str]) -> str:
    if periods == all_periods and len(periods) > 1:
        return f"alle år ({periods[0]}–{periods[-1]})"
    return ", ".join(periods)


def _collapse(rows: list[tuple[str, str]], all_periods: list[str]) -> list[str]:
    """(period, text) pairs → one line per text with the periods it holds in."""
    seen: dict[str, list[str]] = {}
    for period, text in rows:
        seen.setdefault(text, []).append(str(period))
    return [f"{text} [{_years(ps, all_periods)}]" for text, ps in seen.items()]


def _strip_period(text: str, period: str) -> str:
    suffix = f" ({period})"
    return text[: -len(suffix)] if text.endswith(suffix) else text


def _print_report(report: object) -> None:
    from budgetmodel.optimise.explain import FAMILY_NAMES
    from budgetmodel.optimise.extract import DECISIONS
    from budgetmodel.optimise.run import OptimiseReport

    assert isinstance(report, OptimiseReport)
    inp = report.input
    periods = [p.id for p in inp.periods]
    console = Console(width=160)
    console.print(f"[bold]Optimal fordeling af medarbejdere og køb – {inp.municipality}[/bold] ({inp.regime})")
    console.print(f"Status: {report.status} (HiGHS); horisont {_years(periods, periods)}, vægte "
                  + ", ".join(f"{p.id}: {fmt.number(p.weight, 2)}" for p in inp.periods))
    if report.fixed_case_saving_dkk_per_year is not None:
        console.print(f"Scenariets initiativ (fastlagt fordeling): besparelse {fmt.kr(report.fixed_case_saving_dkk_per_year)} om året")
    console.print(f"Optimum: besparelse {fmt.kr(report.net_saving_dkk_per_year)} om året i forhold til i dag")
    if inp.notes:
        console.print("[bold]Forudsætninger[/bold]")
        for note in inp.notes:
            console.print(f"  • {note}")

    alloc = report.allocation_table()
    alloc = alloc[alloc["kind"].isin(list(DECISIONS))]
    value_cols = ["today"] + (["initiative"] if report.initiative is not None else []) + ["optimum"]
    by_period = {p: alloc[alloc["period"] == p].reset_index(drop=True) for p in periods}
    first = by_period[periods[0]]
    same = all(
        len(df) == len(first) and (df[value_cols] - first[value_cols]).abs().to_numpy().max(initial=0.0) < 1e-9
        for df in by_period.values()
    )
    shown = [(_years(periods, periods), first)] if same else [(p, by_period[p]) for p in periods]
    for title, df in shown:
        table = Table(title=f"Fordeling pr. år – {title}", show_lines=False)
        heads = {"today": "i dag", "initiative": "initiativ", "optimum": "optimum"}
        for c in ["beslutning", "målgruppe / tilbud", *(heads[c] for c in value_cols)]:
            table.add_column(c, justify="left" if c in ("beslutning", "målgruppe / tilbud") else "right")
        for _, r in df.iterrows():
            table.add_row(DECISIONS[r["kind"]], str(r["label"]), *(fmt.number(r[c], 1) for c in value_cols))
        console.print(table)

    sp = report.shadow_prices()
    if len(sp):
        console.print("[bold]Skyggepriser (hvad en lempelse er værd)[/bold]")
        for line in _collapse(list(zip(sp["period"], sp["text"])), periods):
            console.print(f"  • {line}")
    binding = report.binding()
    if len(binding):
        console.print("[bold]Bindende begrænsninger[/bold]")
        rows = []
        for _, r in binding.iterrows():
            period = next((p for p in periods if str(r["description"]).endswith(f"({p})")), "")
            rows.append((period, _strip_period(str(r["description"]), period)))
        for line in _collapse(rows, periods):
            console.print(f"  • {line}")
    ch = report.changes()
    if ch:
        console.print("[bold]Optimum i forhold til i dag[/bold]")
        rows = [(c.split(":", 1)[0], c.split(":", 1)[1].strip()) for c in ch]
        for line in _collapse(rows, periods):
            console.print(f"  • {line}")
    console.print("[bold]Kilder[/bold]")
    for fam in ["objective", *inp.families()]:
        if fam in inp.sources:
            name = "målfunktionen" if fam == "objective" else FAMILY_NAMES[fam]
            console.print(f"  • {name}: {inp.sources[fam]}")


@reports_input_errors
def optimise(
    scenario: Path = typer.Argument(..., help="Scenariefil (YAML) eller en optimeringsinput-fil."),
    json_out: bool = typer.Option(False, "--json", help="Skriv resultatet som JSON."),
    save_lp: Optional[Path] = typer.Option(None, "--save-lp", help="Gem den optimerede model i LP-format."),
    whole_posts: bool = typer.Option(False, "--whole-posts", help="Hele stillinger (heltal) til samtaler og virksomhedsindsats."),
    rates: Optional[Path] = typer.Option(None, "--rates", help="Mappe med satstabeller (standard: den medfølgende rates/)."),
) -> None:
    """Find fordelingen af personale og køb, der giver kommunen den laveste nettoudgift."""
    from budgetmodel.optimise.data import load_input
    from budgetmodel.optimise.explain import FAMILY_NAMES, unit_of
    from budgetmodel.optimise.run import Infeasible, SolveFailed, optimise as run
    from budgetmodel.optimise.solve import SolverUnavailable, check_solver

    try:
        check_solver()
    except SolverUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    from budgetmodel.rates import load_rates

    inp = load_input(scenario, load_rates(rates) if rates is not None else None)
    if whole_posts:
        inp = inp.model_copy(update={"integer_posts": True})
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
