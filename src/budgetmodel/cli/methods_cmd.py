"""The published analyses as methods on a municipality's own figures (issue 15).

* ``passivandel PANEL`` — STAR 2018: the passive share of long-term recipients in a person-week
  panel, compared with STAR's national and surveyed averages;
* ``bdo PROFIL`` — BDO/HBS 2024 unit costs (kr. per fuldtidsperson by target group and task);
* ``quartz PROFIL`` — Quartz+Co 2014 time use, case productivity and savings potential.

Imports happen inside the commands so the CLI starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from budgetmodel.cli.common import echo_json, reports_input_errors

WIDTH = 160


@reports_input_errors
def passivandel_command(
    panel: Path = typer.Argument(..., help="Person-uge-panel (CSV eller Parquet) i samme format som 'refund'."),
    at: Optional[str] = typer.Option(None, "--at", help="Referenceuge ÅÅÅÅ-Uww (standard: panelets sidste uge)."),
    data: Optional[Path] = typer.Option(None, "--data", help="Mappe med data (standard: den medfølgende data/)."),
    assumptions: Optional[Path] = typer.Option(None, "--assumptions", help="Antagelsesfil (standard: data/assumptions/passivity.yaml)."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON."),
) -> None:
    """Passivandel (STAR 2018): langtidsmodtagere uden aktiv indsats det seneste år, mod landsgennemsnittet.

    Pr. ydelsesgruppe (dagpenge, sygedagpenge, udsatte): andelen af borgere med mindst 1 års
    anciennitet, der ikke har deltaget i aktiv indsats det seneste år, sammenlignet med STAR's
    landsgennemsnit og de undersøgte kommuners gennemsnit (maj 2018)."""
    from rich.console import Console

    from budgetmodel.cli.benchmark_cmd import plain
    from budgetmodel.financing.panel import read_panel_arrays
    from budgetmodel.unitcost.passivity import StarData, load_passivity_assumptions, passive_share
    from budgetmodel.unitcost.passivity_view import passivity_renderables

    result = passive_share(read_panel_arrays(panel), StarData.load(data), load_passivity_assumptions(assumptions), at)
    if json_out:
        echo_json(plain(result.as_dict()))
        return
    con = Console(width=WIDTH)
    for r in passivity_renderables(plain(result.as_dict()), detail=True):
        con.print(r, soft_wrap=True)


@reports_input_errors
def bdo_command(
    profile: Path = typer.Argument(..., help="BDO-profil (.yaml): funktioner med månedsløn, målgrupper med fuldtidspersoner, borgernære årsværk og eksterne køb."),
    samtaler: Optional[float] = typer.Option(None, "--samtaler", help="Hvad nu hvis: flere (eller færre) samtaler pr. fuldtidsperson om året."),
    tilbud: Optional[float] = typer.Option(None, "--tilbud", help="Hvad nu hvis: flere (eller færre) tilbud pr. fuldtidsperson om året."),
    data: Optional[Path] = typer.Option(None, "--data", help="Mappe med data (standard: den medfølgende data/)."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON."),
) -> None:
    """Enhedsomkostninger efter BDO/HBS 2024: kr. pr. fuldtidsperson pr. målgruppe og opgave mod landstallene.

    Kommunens egne årsværk, lønninger, overhead og eksterne køb fordeles med BDO's nøgler (afsnit
    8.4) og holdes op mod BDO's 31.993 kr., de målgruppekorrigerede 23.743 / 43.205 kr. og Tabel
    4.1 pr. opgave; --samtaler/--tilbud regner BDO's hældninger (ca. 500 / 6.000 kr.) som hvad-nu-hvis."""
    from budgetmodel.unitcost.bdo import BdoTables, WhatIf, bdo_unit_costs, load_bdo_assumptions, load_bdo_profile
    from budgetmodel.unitcost.assumptions import load_assumptions
    from budgetmodel.cli.benchmark_cmd import plain

    prof = load_bdo_profile(profile)
    if samtaler is not None or tilbud is not None:
        prof = prof.model_copy(update={"what_if": WhatIf(samtaler_pr_fuldtidsperson=samtaler or 0.0, tilbud_pr_fuldtidsperson=tilbud or 0.0)})
    result = bdo_unit_costs(prof, BdoTables.load(data), load_bdo_assumptions(), load_assumptions().salary_dkk_per_aarsvaerk)
    if json_out:
        echo_json(plain(result.as_dict()))
    else:
        print_bdo(result)


def print_bdo(r) -> None:
    from rich.console import Console
    from rich.table import Table

    from budgetmodel import fmt
    from budgetmodel.unitcost.bdo import FUNCTION_LABELS

    con = Console(width=WIDTH)
    con.print(f"[bold]Enhedsomkostninger efter BDO/HBS 2024: {r.municipality}[/bold]")
    for m in r.method:
        con.print("  " + m, soft_wrap=True)
    f = Table(title="Intern udgift pr. årsværk inkl. overhead")
    for col in ("Funktion", "Kr. pr. årsværk", "Løn"):
        f.add_column(col, justify="right" if col == "Kr. pr. årsværk" else "left", overflow="fold")
    for k, v in r.cost_per_aarsvaerk.items():
        f.add_row(FUNCTION_LABELS[k], fmt.number(v), r.salary_basis.get(k, ""))
    con.print(f)
    g = Table(title="Enhedsomkostning pr. målgruppe (kr. pr. fuldtidsperson)")
    for col in ("Målgruppe", "Fuldtidspersoner", "Borgernære", "Tværgående", "Ydelse", "Ledelse", "Eksternt", "I alt kr.", "Pr. fuldtidsperson", "Landsplan (Tabel 3.1 / fuldtidspersoner)"):
        g.add_column(col, justify="left" if col == "Målgruppe" else "right")
    for x in r.groups:
        kf = x.kr_by_function
        g.add_row(x.label, fmt.number(x.fuldtidspersoner), fmt.number(kf["borgernaere"]), fmt.number(kf["tvaergaaende"]), fmt.number(kf["ydelse"]),
                  fmt.number(kf["ledelse"]), "ikke oplyst" if x.external_dkk is None else fmt.number(x.external_dkk), fmt.number(x.total_dkk),
                  "" if x.per_fp is None else fmt.number(x.per_fp), fmt.number(x.reference_per_fp))
    g.add_row("I alt", fmt.number(r.fuldtidspersoner), "", "", "", "", "", fmt.number(r.total_dkk - r.andet_dkk), fmt.number(r.unit_cost), fmt.number(r.reference.published_average))
    con.print(g)
    c = r.comparison
    con.print(
        f"Enhedsomkostning {fmt.kr(r.unit_cost)} pr. fuldtidsperson mod BDO's {fmt.kr(r.reference.published_average)}; landets satser ved kommunens "
        f"sammensætning giver {fmt.kr(r.own_mix_at_national_rates)}; målgruppekorrigeret {fmt.kr(r.mix_corrected)}: {c[1]['position']} "
        f"(BDO: 10 laveste {fmt.kr(c[1]['bdo_low_dkk_per_fp'])}, gennemsnit {fmt.kr(c[1]['bdo_average_dkk_per_fp'])}, 10 højeste {fmt.kr(c[1]['bdo_high_dkk_per_fp'])}). "
        f"{c[1]['bdo_note']}.",
        soft_wrap=True,
    )
    tt = Table(title="Pr. opgave (kr. pr. fuldtidsperson)")
    for col in ("Opgave", "Kommunen", "Landsplan (Tabel 3.1 / fuldtidspersoner)", "Tabel 4.1 (16 kommuner, trykt)", "Tabel 4.1 skaleret til 31.993"):
        tt.add_column(col, justify="left" if col == "Opgave" else "right")
    for row in r.by_task_comparison:
        tt.add_row(row["label"], fmt.number(row["own_dkk_per_fp"]), fmt.number(row["national_dkk_per_fp"]), fmt.number(row["tab_4_1_printed_dkk_per_fp"]), fmt.number(row["tab_4_1_scaled_to_average_dkk_per_fp"]))
    con.print(tt)
    con.print("[bold]Fordelingsnøgler[/bold]")
    for k in r.keys_derivation:
        con.print("  " + k, soft_wrap=True)
    con.print("[bold]Landsplan pr. målgruppe (afledt)[/bold]")
    for k in r.reference.derivation:
        con.print("  " + k, soft_wrap=True)
    if r.what_if:
        con.print(f"[bold]Hvad nu hvis[/bold]: {r.what_if['text']}. {r.what_if['reading']} ({r.what_if['source']}).", soft_wrap=True)
    if r.konto:
        con.print(f"[bold]Hovedkonto 5 og 6[/bold]: {r.konto['text']} ({r.konto['source']})", soft_wrap=True)
    for n in r.comparability_notes:
        con.print(f"Bemærk: {n}", soft_wrap=True)
    con.print("Kilder: " + "; ".join(r.sources), soft_wrap=True)


@reports_input_errors
def quartz_command(
    profile: Optional[Path] = typer.Argument(None, help="Quartz-profil (.yaml): årsværk pr. medarbejdergruppe, tidsanvendelse, sager, omkostningsbase. Uden: hele landet."),
    omprioriteret: bool = typer.Option(False, "--omprioriteret", help="Ressourcerne omprioriteres i jobcenteret: intet fradrag for overlap (Tabel 1's note)."),
    data: Optional[Path] = typer.Option(None, "--data", help="Mappe med data (standard: den medfølgende data/)."),
    json_out: bool = typer.Option(False, "--json", help="Skriv JSON."),
) -> None:
    """Tidsanvendelse, sagsproduktivitet og prioriteringspotentiale efter Quartz+Co 2014.

    Direkte kontakttimer pr. årsværk mod 374 timer og spændet 251-460; sager pr. årsværk mod 22-45;
    Tabel 1's forslag skaleret til kommunens omkostningsbase minus overlap, og benchmarkgabet i kroner."""
    from budgetmodel.cli.benchmark_cmd import plain
    from budgetmodel.unitcost.quartz import QuartzData, load_quartz_profile, national_profile, quartz

    qd = QuartzData.load(data)
    prof = load_quartz_profile(profile) if profile is not None else national_profile(qd)
    if omprioriteret:
        prof = prof.model_copy(update={"reprioritised": True})
    result = quartz(prof, qd)
    if json_out:
        echo_json(plain(result.as_dict()))
    else:
        print_quartz(result)




def print_quartz(r) -> None:
    from rich.console import Console
    from rich.table import Table

    from budgetmodel.unitcost.quartz import TIME_LABELS

    from budgetmodel import fmt

    con = Console(width=WIDTH)
    con.print(f"[bold]Quartz+Co-metoden: {r.municipality}[/bold]")
    for m in r.method:
        con.print("  " + m, soft_wrap=True)
    t = Table(title=f"Tidsanvendelse pr. årsværk ({fmt.number(r.available_hours)} timer til rådighed)")
    for col in ("Kategori", "Timer pr. årsværk", "Andel"):
        t.add_column(col, justify="left" if col == "Kategori" else "right")
    for k, h in r.hours_per_aarsvaerk.items():
        t.add_row(TIME_LABELS[k], fmt.number(h, 1), fmt.pct(h / r.available_hours, 1))
    con.print(t)
    lo, hi = r.direct_range
    con.print(
        f"Direkte kontakt: {fmt.number(r.direct_hours_per_aarsvaerk)} timer pr. årsværk ({r.direct_position} {fmt.number(lo)}-{fmt.number(hi)}; landsgennemsnit "
        f"{fmt.number(r.direct_national)}), {fmt.number(r.direct_hours_per_case_related_aarsvaerk)} timer pr. sagsrelateret årsværk "
        f"({fmt.number(r.aarsvaerk_case_related, 1)} af {fmt.number(r.aarsvaerk_total, 1)} årsværk).",
        soft_wrap=True,
    )
    if r.sager_per_aarsvaerk is not None:
        con.print(f"Sagsproduktivitet: {fmt.number(r.sager_per_aarsvaerk, 1)} sager pr. årsværk, {r.productivity_position} (de fem mindst / mest produktive: {fmt.number(r.productivity_range[0])} / {fmt.number(r.productivity_range[1])} i gennemsnit).", soft_wrap=True)
    con.print(f"Omkostningsbase: {fmt.kr(r.cost_base_dkk)} ({r.cost_base_basis}); skala mod landet {fmt.number(r.scale * 100, 3)} pct.", soft_wrap=True)
    p = Table(title="Prioriteringspotentiale (Tabel 1 skaleret), kr. om året")
    for col in ("Forslag", "Lav", "Høj"):
        p.add_column(col, justify="left" if col == "Forslag" else "right", overflow="fold")
    for x in r.proposals:
        p.add_row(f"{x['code']} {x['proposal']}" + ("" if x["included"] else " (udeladt)"), fmt.number(x["low_dkk"]), fmt.number(x["high_dkk"]))
    p.add_row("I alt for forslag", fmt.number(r.proposals_low), fmt.number(r.proposals_high))
    p.add_row("Reduktion pga. mulige overlap", fmt.number(-r.overlap_low), fmt.number(-r.overlap_high))
    p.add_row("Samlet prioriteringspotentiale", fmt.number(r.net_low), fmt.number(r.net_high))
    con.print(p)
    con.print(f"Det er {fmt.pct(r.share_low, 1)}-{fmt.pct(r.share_high, 1)} af omkostningsbasen.")
    if r.benchmark:
        b = r.benchmark
        con.print(
            f"Benchmark: ved {fmt.number(b['benchmark_sager_per_aarsvaerk'])} sager pr. årsværk ({b['benchmark_basis']}) kræver sagerne "
            f"{fmt.number(b['aarsvaerk_at_benchmark'], 1)} årsværk; gab {fmt.number(b['gap_aarsvaerk'], 1)} årsværk = {fmt.kr(b['gap_dkk'])} om året.",
            soft_wrap=True,
        )
    con.print("Kilder: " + "; ".join(r.sources), soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("passivandel")(passivandel_command)
    app.command("bdo")(bdo_command)
    app.command("quartz")(quartz_command)
