"""The memo's Danish section for the published methods a scenario asks for (``methods:``).

Plain data for ``_methods.md`` / ``_methods.html``: per method a heading, paragraphs and one
table (header + rows of text), every figure with the table it comes from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from budgetmodel import fmt
from budgetmodel.errors import InputError, Problem


def _bdo_part(profile: Any) -> dict[str, Any]:
    from budgetmodel.unitcost.assumptions import load_assumptions
    from budgetmodel.unitcost.bdo import BdoTables, bdo_unit_costs, load_bdo_assumptions

    r = bdo_unit_costs(profile, BdoTables.load(), load_bdo_assumptions(), load_assumptions().salary_dkk_per_aarsvaerk)
    c = r.comparison[1]
    paragraphs = [
        f"Enhedsomkostningen efter BDO/HBS' metode er {fmt.kr(r.unit_cost)} pr. fuldtidsperson på forsørgelse "
        f"({fmt.kr(r.total_dkk - r.andet_dkk)} / {fmt.number(r.fuldtidspersoner)} fuldtidspersoner) mod {fmt.kr(r.reference.published_average)} "
        "på landsplan (BDO/HBS 2024, afsnit 4.3). Med landets sammensætning af målgrupper er den "
        f"{fmt.kr(r.mix_corrected)}, {c['position']} (BDO/HBS 2024, afsnit 4.4: de 10 laveste {fmt.kr(c['bdo_low_dkk_per_fp'])}, "
        f"de 10 højeste {fmt.kr(c['bdo_high_dkk_per_fp'])}). {c['bdo_note']}.",
        "Metode: " + " ".join(r.method),
        "Fordelingsnøgler: " + " ".join(r.keys_derivation[:3]),
        "Landsplan pr. målgruppe: " + " ".join(r.reference.derivation),
    ]
    if r.what_if:
        paragraphs.append(f"Hvad nu hvis: {r.what_if['text']}. {r.what_if['reading']} ({r.what_if['source']}).")
    if r.konto:
        paragraphs.append(f"Hovedkonto 5 og 6: {r.konto['text']}")
    paragraphs += [f"Bemærk: {n}" for n in r.comparability_notes]
    rows = [[g.label, fmt.number(g.fuldtidspersoner), fmt.number(g.total_dkk), "" if g.per_fp is None else fmt.number(g.per_fp), fmt.number(g.reference_per_fp)] for g in r.groups]
    rows.append(["I alt", fmt.number(r.fuldtidspersoner), fmt.number(r.total_dkk - r.andet_dkk), fmt.number(r.unit_cost), fmt.number(r.reference.published_average)])
    return {
        "heading": "Enhedsomkostninger (BDO/HBS 2024)",
        "paragraphs": paragraphs,
        "header": ["Målgruppe", "Fuldtidspersoner", "Kr. i alt", "Kr. pr. fuldtidsperson", "Landsplan (Tabel 3.1 / Tabel 5.2)"],
        "rows": rows,
        "source": "; ".join(r.sources),
    }


def _quartz_part(profile: Any) -> dict[str, Any]:
    from budgetmodel.unitcost.quartz import TIME_LABELS, QuartzData, quartz

    r = quartz(profile, QuartzData.load())
    lo, hi = r.direct_range
    paragraphs = [
        f"Direkte borger- og virksomhedskontakt: {fmt.number(r.direct_hours_per_aarsvaerk)} timer pr. årsværk af {fmt.number(r.available_hours)} timer til rådighed "
        f"({r.direct_position} {fmt.number(lo)}-{fmt.number(hi)} timer i de 15 besøgte jobcentre; landsgennemsnit {fmt.number(r.direct_national)} timer; Quartz+Co 2014, linje 103 og 123), "
        f"svarende til {fmt.number(r.direct_hours_per_case_related_aarsvaerk)} timer pr. sagsrelateret årsværk.",
    ]
    if r.sager_per_aarsvaerk is not None:
        paragraphs.append(f"Sagsproduktivitet: {fmt.number(r.sager_per_aarsvaerk, 1)} sager pr. årsværk, {r.productivity_position} "
                          f"({fmt.number(r.productivity_range[0])} og {fmt.number(r.productivity_range[1])} i gennemsnit i de fem mindst og mest produktive jobcentre, linje 71 og 132).")
    paragraphs.append(
        f"Prioriteringspotentiale: Tabel 1's forslag skaleret til omkostningsbasen {fmt.kr(r.cost_base_dkk)} ({r.cost_base_basis}) giver "
        f"{fmt.number(r.proposals_low / 1e6, 1)}-{fmt.number(r.proposals_high / 1e6, 1)} mio. kr., efter fradrag for overlap "
        f"{fmt.number(r.net_low / 1e6, 1)}-{fmt.number(r.net_high / 1e6, 1)} mio. kr. om året "
        f"({fmt.pct(r.share_low, 1)}-{fmt.pct(r.share_high, 1)} af omkostningsbasen; landsplan 517-730 mio. kr., 11-16 pct.)."
    )
    if r.benchmark:
        b = r.benchmark
        paragraphs.append(f"Benchmarkgab: ved {fmt.number(b['benchmark_sager_per_aarsvaerk'])} sager pr. årsværk kræver sagerne {fmt.number(b['aarsvaerk_at_benchmark'], 1)} årsværk; "
                          f"gabet er {fmt.number(b['gap_aarsvaerk'], 1)} årsværk eller {fmt.kr(b['gap_dkk'])} om året.")
    paragraphs.append("Metode: " + " ".join(r.method))
    rows = [[TIME_LABELS.get(k, k), fmt.number(h, 1), fmt.pct(h / r.available_hours, 1)] for k, h in r.hours_per_aarsvaerk.items()]
    return {"heading": "Tidsanvendelse og prioriteringspotentiale (Quartz+Co 2014)", "paragraphs": paragraphs,
            "header": ["Tidsanvendelse", "Timer pr. årsværk", "Andel"], "rows": rows, "source": "; ".join(r.sources)}


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _passivity_part(spec: Any, panel_path: str | Path, scenario_path: str | Path) -> dict[str, Any]:
    from budgetmodel.financing.panel import read_panel_arrays
    from budgetmodel.unitcost.passivity import StarData, load_passivity_assumptions, passive_share

    path = Path(panel_path)
    if not path.is_file():
        raise InputError([Problem(str(scenario_path), None, "methods.passivity.panel", f"panelfilen findes ikke: {spec.panel} (ledt efter {path})")])
    r = passive_share(read_panel_arrays(path), StarData.load(), load_passivity_assumptions(), spec.at,
                      at_where=(str(scenario_path), None, "methods.passivity.at"))
    rows = []
    for g in r.groups:
        s = g.share
        rows.append([g.label, fmt.number(g.long_term), fmt.number(g.passive), "–" if s is None else fmt.pct(s, 1), fmt.pct(g.national, 0), fmt.pct(g.surveyed, 0)])
    return {
        "heading": "Passive langtidsmodtagere (STAR 2018)",
        "paragraphs": [
            _first_upper("; ".join(
                f"{g.label.lower()}: {fmt.pct(g.share, 1)} passive ({fmt.number(g.passive)} af {fmt.number(g.long_term)} langtidsmodtagere), "
                f"{fmt.number(abs(g.share - g.national) * 100, 1)} procentpoint {'over' if g.share > g.national else 'under'} landsgennemsnittet {fmt.pct(g.national, 0)}"
                if g.share is not None and g.share != g.national else f"{g.label.lower()}: {'ingen langtidsmodtagere' if g.share is None else 'som landsgennemsnittet'}"
                for g in r.groups
            )) + f" (STAR 2018: landsgennemsnit maj 2018; de undersøgte kommuner {', '.join(fmt.pct(g.surveyed, 0) for g in r.groups)}).",
            " ".join(r.method[:2]),
        ],
        "header": ["Ydelsesgruppe", "Langtidsmodtagere", "Passive", "Passivandel", "Hele landet (maj 2018)", "Undersøgte kommuner"],
        "rows": rows,
        "source": "; ".join(sorted({g.source for g in r.groups})),
    }


def _benchmark_part(staff: Any) -> dict[str, Any]:
    from budgetmodel.unitcost.benchmark import BenchmarkData, benchmark_profile

    r = benchmark_profile(BenchmarkData.load(), staff)
    t = r.total
    rows = [[a.label, fmt.number(a.productivity, 1), fmt.number(a.average, 1), "" if a.rank is None else str(a.rank)] for a in r.areas if a.productivity is not None]
    return {
        "heading": "Jobcenterbenchmark (Mploy/Kibak 2013)",
        "paragraphs": [f"{fmt.number(t.productivity, 1)} årsværk pr. 1.000 årspersoner mod gennemsnittet {fmt.number(t.average, 1)}; nr. {t.rank} af {r.peers} (1 = højeste produktivitet)."],
        "header": ["Område", "Kommunen", "Gns. 15 kommuner", "Rang"],
        "rows": rows,
        "source": "; ".join(r.sources),
    }


def method_parts(scenario: Any, scenario_path: str | Path, aux: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every method the scenario's ``methods:`` section names, computed as the memo shows it.

    Each method runs with the same checks as its command; the problems of all of them are raised
    together (``validate`` calls this, so it refuses what the memo would)."""
    m = getattr(scenario, "methods", None)
    if m is None:
        return []
    base = Path(scenario_path).parent
    staff = getattr(scenario.municipality, "staff", None)
    jobs: list[Any] = []
    if m.bdo is not None:
        jobs.append(lambda: _bdo_part(m.bdo))
    if m.quartz is not None:
        jobs.append(lambda: _quartz_part(m.quartz))
    if m.passivity is not None:
        panel = (aux or {}).get("passivity_panel") or base / m.passivity.panel
        jobs.append(lambda: _passivity_part(m.passivity, panel, scenario_path))
    if m.benchmark and staff is not None:  # without staff the loader has refused the scenario (methods.benchmark)
        jobs.append(lambda: _benchmark_part(staff))
    parts, problems = [], []
    for job in jobs:
        try:
            parts.append(job())
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return parts


def methods_context(scenario: Any, scenario_path: str | Path, aux: dict[str, str] | None = None) -> dict[str, Any] | None:
    """The memo's methods section, or None when the scenario does not ask for one."""
    m = getattr(scenario, "methods", None)
    if m is None or not m.memo:
        return None
    parts = method_parts(scenario, scenario_path, aux)
    return {"title": "Kommunens tal efter de publicerede analyser", "parts": parts} if parts else None


def methods_sheet(ws: Any, methods: dict[str, Any], bold: Any) -> None:
    """The methods section as one worksheet of the memo workbook (text as in the memo)."""
    ws.cell(row=1, column=1, value=methods["title"]).font = bold
    r = 3
    for p in methods["parts"]:
        ws.cell(row=r, column=1, value=p["heading"]).font = bold
        r += 1
        for para in p["paragraphs"]:
            ws.cell(row=r, column=1, value=para)
            r += 1
        r += 1
        for j, h in enumerate(p["header"], 1):
            ws.cell(row=r, column=j, value=h).font = bold
        for row in p["rows"]:
            r += 1
            for j, c in enumerate(row, 1):
                ws.cell(row=r, column=j, value=c)
        r += 1
        ws.cell(row=r, column=1, value=f"Kilde: {p['source']}")
        r += 2
    ws.column_dimensions["A"].width = 60
