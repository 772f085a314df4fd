"""`budgetmodel benchmark MUNICIPALITY` and `budgetmodel unitcost PROFILE`.

benchmark: one of the fifteen municipalities of the Mploy/Kibak benchmark by name (any case,
with or without æøå: "lyngby-taarbaek"), or any municipality from a profile file
(`--profile FILE`, or a path to a .yaml file as the argument).

unitcost: a profile file, a scenario file whose municipality has a `staff` profile, or the name of
one of the fifteen (its profile is then built from the benchmark's published figures).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from budgetmodel import fmt
from budgetmodel.cli.common import echo_json, reports_input_errors
from budgetmodel.errors import InputError, Problem
from budgetmodel.sourcefile import load_yaml
from budgetmodel.unitcost import method, names
from budgetmodel.unitcost.assumptions import load_assumptions
from budgetmodel.unitcost.benchmark import AREAS, BenchmarkData, BenchmarkResult, benchmark, benchmark_profile, peer_mix, published_profile
from budgetmodel.unitcost.costs import BdoData, UnitCostResult, unit_costs
from budgetmodel.unitcost.profile import UnitCostProfile, load_profile

SEGMENTS = {"taet": "tæt på", "langt": "langt fra", "syg": "sygemeldt"}
WIDTH = 160


def plain(obj: Any) -> Any:
    """JSON numbers without float noise (rounded to 9 decimals), recursively."""
    if isinstance(obj, float):
        return round(obj, 9)
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    return obj


def _n(v: float | None, digits: int = 1) -> str:
    return "" if v is None else fmt.number(v, digits)


def _signed(v: float | None, digits: int = 1) -> str:
    if v is None:
        return ""
    s = fmt.number(v, digits)
    return s if s.startswith("-") or fmt.round_half_up(v, digits) == 0 else "+" + s


def _quality(v: float | None, unit: str) -> str:
    if v is None:
        return "-"
    return f"{fmt.number(v, 0)} pct." if unit == "pct" else fmt.number(v, 1)


def _is_path(text: str) -> bool:
    p = Path(text)
    return p.suffix.lower() in (".yaml", ".yml", ".xlsx") or p.is_file()


def _load_staff(path: Path) -> UnitCostProfile:
    """A profile file, or a scenario file (YAML or workbook) whose municipality carries a staff profile."""
    from budgetmodel.scenario.workbook import is_workbook, read_workbook

    doc = read_workbook(path) if is_workbook(path) else load_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    is_scenario = data.get("kind") == "scenario" or "extends" in data or isinstance(data.get("municipality"), dict)
    if not is_scenario:
        return load_profile(path)
    from budgetmodel.scenario.load import compose_cached, load_scenario

    loaded = load_scenario(path)
    staff = getattr(loaded.scenario.municipality, "staff", None)
    if staff is None:
        raise InputError([Problem(*compose_cached(loaded).where(("municipality",)), "municipality.staff", "scenariet har ingen personaleprofil (municipality.staff)")])
    return staff


def _unknown(name: str, data: BenchmarkData) -> InputError:
    return InputError(
        [Problem(name, None, "kommune", names.unknown_text(name, data.municipalities, f"en af benchmarkets {len(data.municipalities)} kommuner")
                 + f"; de {len(data.municipalities)}: " + ", ".join(data.municipalities) + "; for andre kommuner: en profilfil (.yaml), i benchmark også --profile FIL")]
    )


# --- benchmark ---------------------------------------------------------------------------------------


def _print_benchmark(r: BenchmarkResult) -> None:
    con = Console(width=WIDTH)
    t = r.total
    where = "" if r.in_benchmark else " (fra profil, ikke med i benchmarket)"
    con.print(f"[bold]Jobcenterbenchmark 2013 (Mploy/Kibak): {r.municipality}{where}[/bold]")
    con.print(
        f"Produktivitet i alt: {_n(t.productivity)} årsværk pr. 1.000 årspersoner (gennemsnit {_n(t.average)}); "
        f"nr. {t.rank} af {r.peers} (1 = højeste produktivitet).",
        soft_wrap=True,
    )
    if t.aarsvaerk is not None and t.gap is not None:
        word = "færre" if fmt.round_half_up(t.gap, 1) < 0 else "flere" if fmt.round_half_up(t.gap, 1) > 0 else "lige så mange"
        con.print(
            f"Årsværk: {_n(t.aarsvaerk)} ({t.aarsvaerk_basis}); ved gennemsnittets produktivitet {_n(t.aarsvaerk_at_average)} "
            f"årsværk: {_n(abs(t.gap))} årsværk {word} end gennemsnittet.",
            soft_wrap=True,
        )
    tab = Table(title="Produktivitet pr. område (årsværk pr. 1.000 årspersoner)", show_lines=False)
    for col in ("Område", "Kommunen", "Gns.", "Forskel", "Rang", "Årsværk", "Ved gns.", "Forskel årsværk", "Bemærkning"):
        tab.add_column(col, justify="left" if col in ("Område", "Bemærkning") else "right", overflow="fold")
    for a in r.areas:
        tab.add_row(
            a.label,
            _n(a.productivity),
            _n(a.average),
            _signed(a.diff),
            "" if a.rank is None else f"{a.rank}",
            _n(a.aarsvaerk),
            _n(a.aarsvaerk_at_average),
            _signed(a.gap),
            a.discrepancy or "",
        )
    con.print(tab)
    if r.quality:
        q = Table(title="Kvalitet (samlet, Tabel 4.1)")
        for col in ("Indikator", "Kommunen", "Gns.", "Forskel"):
            q.add_column(col, justify="left" if col == "Indikator" else "right")
        for c in r.quality:
            q.add_row(c.label, _quality(c.value, c.unit), _quality(c.average, c.unit), "" if c.diff is None else _signed(c.diff, 0 if c.unit == "pct" else 1))
        con.print(q)
    if r.mix:
        m = r.mix
        con.print(
            "Målgruppekorrigeret (seks målgrupper med forsørgelsestryk): kommunens satser ved gennemsnittets sammensætning "
            f"{_n(m['own_rates_at_peer_mix'], 1)} mod gennemsnittets {_n(m['peer_rates_at_peer_mix'], 1)} "
            f"(indeks {_n(m['index_mix_corrected'], 2)}); gennemsnittets satser ved kommunens sammensætning "
            f"{_n(m['peer_rates_at_own_mix'], 1)} mod kommunens {_n(m['own_rates_at_own_mix'], 1)}.",
            soft_wrap=True,
        )
    diffs = r.differences()
    for direction, title in (("flere", "Bruger flere ressourcer end gennemsnittet"), ("færre", "Bruger færre ressourcer end gennemsnittet")):
        rows = [d for d in diffs if d["direction"] == direction][:10]
        if not rows:
            continue
        d_tab = Table(title=title)
        for col in ("Område / opgave", "Pr. 1.000 årspersoner", "Årsværk"):
            d_tab.add_column(col, justify="left" if col.startswith("Område") else "right")
        for d in rows:
            d_tab.add_row(str(d["what"]), _signed(d["per_1000"]), _signed(d["aarsvaerk"]))  # type: ignore[arg-type]
        con.print(d_tab)
    for note in r.notes:
        con.print(f"Note: {note}", soft_wrap=True)
    con.print("Kilder: " + "; ".join(r.sources), soft_wrap=True)


@reports_input_errors
def benchmark_command(
    municipality: Optional[str] = typer.Argument(None, help="En af de 15 kommuner (fx lyngby-taarbaek) eller en profilfil (.yaml)."),
    profile: Optional[Path] = typer.Option(None, "--profile", help="Profilfil for en kommune uden for de 15 (egne årsværk og årspersoner)."),
    move: Optional[str] = typer.Option(None, "--move", help="Flyt årsværk mellem målgrupper: FRA:TIL:ÅRSVÆRK, fx sygedagpenge:a_dagpenge:1."),
    data: Optional[Path] = typer.Option(None, "--data", help="Mappe med data (standard: den medfølgende data/)."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON."),
) -> None:
    """Benchmark en kommune: produktivitet pr. målgruppe og i alt, gennemsnit og placering,
    forskellen i årsværk, kvalitetsindikatorer, og hvor den bruger mere eller mindre end de andre."""
    bdata = BenchmarkData.load(data)
    if profile is None and municipality is not None and _is_path(municipality):
        profile = Path(municipality)
    if profile is not None:
        prof = _load_staff(profile)
    elif municipality is None:
        raise InputError([Problem("benchmark", None, "kommune", "angiv en kommune eller --profile FIL")])
    elif bdata.find(municipality) is None:
        raise _unknown(municipality, bdata)
    else:
        prof = None
    if move is not None:
        base = prof or published_profile(bdata, municipality, load_assumptions().samtaler_per_year_per_intensity.value)  # type: ignore[arg-type]
        prof = _moved(base, move)
    result = benchmark_profile(bdata, prof) if prof is not None else benchmark(bdata, municipality)  # type: ignore[arg-type]
    if json_out:
        echo_json(plain(result.as_dict()))
    else:
        _print_benchmark(result)


def _moved(profile: UnitCostProfile, spec: str) -> UnitCostProfile:
    parts = spec.split(":")
    problems = []
    if len(parts) != 3:
        raise InputError([Problem("--move", None, "move", f"'{spec}' skal have formen FRA:TIL:ÅRSVÆRK")])
    src, dst, amount_text = parts
    try:
        amount = float(amount_text.replace(",", "."))
    except ValueError:
        raise InputError([Problem("--move", None, "move", f"'{amount_text}' er ikke et antal årsværk")]) from None
    for g in (src, dst):
        if g not in profile.target_groups:
            problems.append(Problem("--move", None, "move", f"målgruppen '{g}' findes ikke i profilen ({', '.join(profile.target_groups)})"))
    if problems:
        raise InputError(problems)
    staff = {g: s.aarsvaerk for g, s in profile.target_groups.items()}
    try:
        moved = method.move_staff(staff, {}, src, dst, amount)
    except ValueError as exc:
        raise InputError([Problem("--move", None, "move", str(exc))]) from None
    groups = {}
    for g, s in profile.target_groups.items():
        # the tasks of a changed group no longer add up; the what-if works on the group totals
        groups[g] = s.model_copy(update={"aarsvaerk": moved[g], "tasks": {} if moved[g] != s.aarsvaerk else s.tasks})
    return profile.model_copy(update={"target_groups": groups, "municipality": f"{profile.municipality} (flyttet {fmt.number(amount, 1)} årsværk fra {src} til {dst})"})


# --- unitcost -----------------------------------------------------------------------------------------


def _print_unitcost(r: UnitCostResult) -> None:
    con = Console(width=WIDTH)
    con.print(f"[bold]Enhedsomkostninger: {r.municipality}[/bold]")
    con.print("Metode:")
    for i, m in enumerate(r.method, start=1):
        con.print(f"  {i}. {m}", soft_wrap=True)
    a = Table(title="Antagelser")
    for col in ("Antagelse", "Værdi", "Status", "Kilde"):
        a.add_column(col, overflow="fold")
    labels = {
        "salary_dkk_per_aarsvaerk": ("Løn pr. årsværk (ekskl. overhead)", lambda v: fmt.kr(v)),
        "overhead_share": ("Overhead", lambda v: fmt.pct(v, 0)),
        "productive_hours_per_aarsvaerk": ("Produktive timer pr. årsværk", lambda v: f"{fmt.number(v, 0)} timer"),
    }
    for u in r.assumptions.values():
        label, show = labels[u.name]
        a.add_row(label, show(u.value), "egen værdi" if u.overridden else u.status, u.source)
    con.print(a)
    con.print(f"Omkostning pr. årsværk inkl. overhead: {fmt.kr(r.cost_per_aarsvaerk)} Timepris: {fmt.kr(r.hourly_cost)}")
    g = Table(title="Enhedsomkostning pr. målgruppe (kr. pr. fuldtidsperson pr. år)")
    for col in ("Målgruppe", "Årsværk", "Fuldtidspersoner", "Interne kr.", "Eksterne kr.", "Pr. person, direkte", "Pr. person, inkl. fælles funktioner"):
        g.add_column(col, justify="left" if col == "Målgruppe" else "right")
    for grp in r.groups:
        g.add_row(
            grp.label,
            _n(grp.aarsvaerk),
            _n(grp.aarspersoner, 0),
            fmt.number(grp.internal_dkk),
            fmt.number(grp.external_dkk),
            "ikke beregnet (fuldtidspersoner mangler)" if grp.unit_cost_direct is None else fmt.number(grp.unit_cost_direct),
            "" if grp.unit_cost_full is None else fmt.number(grp.unit_cost_full),
        )
    for c in r.cross_cutting:
        g.add_row(f"{c.label} (fælles)", _n(c.aarsvaerk), "", fmt.number(c.cost_dkk), "", "", "")
    tot = r.total
    g.add_row(
        "I alt",
        _n(tot["aarsvaerk"]),
        _n(tot["fuldtidspersoner"], 0),
        fmt.number(tot["internal_dkk"]),  # type: ignore[arg-type]
        fmt.number(tot["external_dkk"]),  # type: ignore[arg-type]
        "",
        "" if tot["unit_cost_dkk_per_person"] is None else fmt.number(tot["unit_cost_dkk_per_person"]),  # type: ignore[arg-type]
    )
    con.print(g)
    if "unit_cost_direct_mix_corrected_dkk_per_person" in tot:
        con.print(
            "Målgruppekorrigeret (direkte enhedsomkostning for "
            + ", ".join(AREAS[c][0] for c in tot["mix_groups"])  # type: ignore[union-attr]
            + f"): {fmt.kr(tot['unit_cost_direct_own_mix_dkk_per_person'])} pr. fuldtidsperson med kommunens egen sammensætning, "  # type: ignore[arg-type]
            f"{fmt.kr(tot['unit_cost_direct_mix_corrected_dkk_per_person'])} med benchmarkets gennemsnitlige sammensætning (Bilag I, forsørgelsestryk).",  # type: ignore[arg-type]
            soft_wrap=True,
        )
    t = Table(title="Pris pr. opgave")
    for col in ("Målgruppe", "Opgave", "Årsværk", "Kr. pr. år", "Kr. pr. fuldtidsperson"):
        t.add_column(col, justify="left" if col in ("Målgruppe", "Opgave") else "right")
    for grp in r.groups:
        for task in grp.tasks:
            t.add_row(grp.label, task.label, _n(task.aarsvaerk, 2), fmt.number(task.cost_dkk), "" if task.per_person_dkk is None else fmt.number(task.per_person_dkk))
    if t.row_count:
        con.print(t)
    act = Table(title="Pris pr. aktivitet (timer i BDO's nøgleprocesser × timepris; lav / gns. / høj)")
    for col in ("Målgruppe", "Aktivitet", "Segment", "Timer", "Kr.", "Ovenfra (kr.)"):
        act.add_column(col, justify="left" if col in ("Målgruppe", "Aktivitet", "Segment") else "right")
    for grp in r.groups:
        for ac in grp.activities:
            act.add_row(
                grp.label,
                ac.label,
                SEGMENTS[ac.segment],
                " / ".join(fmt.number(ac.hours[k], 1) for k in ("low", "average", "high")),
                " / ".join(fmt.number(ac.cost_dkk[k]) for k in ("low", "average", "high")),
                "" if ac.top_down_dkk is None else fmt.number(ac.top_down_dkk),
            )
    con.print(act)
    ref = Table(title="Til sammenligning: BDO/HBS 2024 (2022-niveau, ikke pris- og lønreguleret)")
    for col in ("Nøgletal", "Kr.", "Kilde"):
        ref.add_column(col, overflow="fold", justify="right" if col == "Kr." else "left")
    for x in r.references:
        v = x["value_dkk"]
        ref.add_row(str(x["what"]), " / ".join(fmt.number(y) for y in v) if isinstance(v, list) else fmt.number(v), str(x["source"]))  # type: ignore[arg-type]
    con.print(ref)
    if r.total.get("comparability"):
        con.print(f"Bemærk: {r.total['comparability']}", soft_wrap=True)
    con.print("Kilder: " + "; ".join(r.sources), soft_wrap=True)


@reports_input_errors
def unitcost_command(
    profile: str = typer.Argument(..., help="Profilfil (.yaml), scenariefil med municipality.staff, eller en af de 15 benchmarkkommuner."),
    assumptions: Optional[Path] = typer.Option(None, "--assumptions", help="Antagelsesfil (standard: data/assumptions/unitcost.yaml)."),
    data: Optional[Path] = typer.Option(None, "--data", help="Mappe med data (standard: den medfølgende data/)."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON."),
) -> None:
    """Enhedsomkostninger for en kommune pr. målgruppe og pr. opgave, med metode og kilder."""
    ass = load_assumptions(assumptions)
    bdata = BenchmarkData.load(data)
    if _is_path(profile):
        prof = _load_staff(Path(profile))
    else:
        if bdata.find(profile) is None:
            raise _unknown(profile, bdata)
        prof = published_profile(bdata, profile, ass.samtaler_per_year_per_intensity.value)
    mix_source = f"{bdata.bilag.citation()}: Gns. kommuner, forsørgelsestryk pr. målgruppe"
    result = unit_costs(prof, ass, BdoData.load(data), peer_mix(bdata), mix_source)
    if json_out:
        echo_json(plain(result.as_dict()))
    else:
        _print_unitcost(result)


def register(app: typer.Typer) -> None:
    app.command("benchmark")(benchmark_command)
    app.command("unitcost")(unitcost_command)

