"""Run a scenario: compile it (the one place it meets the law), call the engines, and collect
the results as plain tables (kroner by year) together with everything they were computed from.

The orchestrator is :func:`run_scenario`. It never computes a budget figure itself beyond sums:
the caseload is priced week by week by the refund rules in force (or the ``law.as_if`` law)
through the aggregate path; each initiative is valued as the caseload with it minus without it
(``budgetmodel.financing.initiative``), and the forsørgelse table shows the caseload with the
initiatives, so its refund line differs from the scenario without them by exactly their refund
effect; the budget lines, mentorramme, driftsloft and budgetgaranti come from the caps engines.

Provenance: every scenario value the run reads is recorded (path → Sourced/Series), and every
rate looked up through the book is recorded as a RateValue, so a memo's Kilder and
Forudsætninger list exactly what was used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from budgetmodel.draws import num, ratio
from budgetmodel.financing.initiative import InitiativeValuation, active_weeks, value_initiative
from budgetmodel.rates.book import RateBook, RateValue
from budgetmodel.scenario.compile import (  # noqa: F401  (RecordingBook, Inputs, UsedInput: the run's public names)
    Compiled,
    Inputs,
    LawBasis,
    RecordingBook,
    UsedInput,
    cite_benefit_rules,
    compile_scenario,
    inner_book,
)
from budgetmodel.scenario.load import LoadedScenario, compose_cached, same_as_series
from budgetmodel.scenario.schema import Scenario, Series

# ---------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    kind: str  # line | total | effect
    dkk: dict[int, float]
    source: str = ""
    status: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    years: list[int]
    lines: list[Line]

    def line(self, key: str) -> Line:
        for ln in self.lines:
            if ln.key == key:
                return ln
        raise KeyError(f"{self.key}: no line '{key}'")


@dataclass(frozen=True)
class CaseRow:
    """One row of a business-case table (Tabel 1): a yearly amount or a count, with its working."""

    label: str
    value: float
    unit: str  # dkk | count
    kind: str  # input | line | total
    working: str = ""


@dataclass(frozen=True)
class InitiativeCase:
    key: str
    title: str
    rows: list[CaseRow]  # Tabel 1, kroner per full year of the initiative
    phased: Table  # the initiative by budget year (part years at the ends)
    year_fractions: dict[int, float]
    participants: float
    net_dkk_per_year: float  # full-year net effect (saving negative): Tabel 1's bottom line with a budget's sign
    dkk: dict[int, float]  # the net effect by budget year, phased
    state_refund_dkk: dict[int, float]  # the change in the state's refund of benefits by year (+ = more refund)


@dataclass
class RunResult:
    loaded: LoadedScenario
    budget: Table | None
    initiatives: list[InitiativeCase]
    caseload: Table | None
    sub_tables: list[Table]
    checks: list[dict[str, Any]]  # printed figures the run reproduces (or not): label, year, printed, computed
    used_inputs: list[UsedInput]
    used_rates: list[RateValue]
    rates_fingerprint: str
    model_version: str
    law: LawBasis | None = None
    notes: list[str] = dataclasses.field(default_factory=list)
    valuations: list[InitiativeValuation] = dataclasses.field(default_factory=list)
    assumed_unchanged: list[dict[str, str]] = dataclasses.field(default_factory=list)  # tables read past known_through: 'lov antaget uændret efter …'

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @property
    def final_table(self) -> Table | None:
        if self.budget is not None and self.budget.lines:
            return self.budget
        return self.caseload


# ---------------------------------------------------------------------------------------------
# the caseload priced week by week (aggregate path), with the initiatives' changes


def forecast_cells(inp: Inputs, loaded: LoadedScenario, as_if: dt.date | None = None) -> tuple[list[dict[str, Any]], set[str]]:
    """The forecast's cells for the scenario's years (priced at the Monday of each year's ISO
    week 1, or at the ``as_if`` date) and the benefits they cover; empty without a forecast."""



    fc_spec = inp.s.municipality.caseload.forecast
    if fc_spec is None:
        return [], set()
    from budgetmodel.errors import InputError, Problem
    from budgetmodel.forecast.caseload import forecast_caseload

    growth = None
    if fc_spec.inflow_growth is not None:
        growth = 100.0 * inp.value("municipality.caseload.forecast.inflow_growth", "Årlig vækst i tilgangen (fremskrivning)", "share")
    panel = loaded.aux["panel"]
    inp.record("municipality.caseload.forecast.panel", "Forløbsdata bag fremskrivningen", Path(panel).name, "file", f"Paneldata {Path(panel).name} (sha256 i sidefoden)", "data", fc_spec.note)
    try:
        fc = forecast_caseload(panel, fc_spec.years, inner_book(inp.book), assumptions=loaded.aux.get("assumptions"), inflow_growth_pct_per_year=growth)
    except InputError as exc:  # the projection's years (the CLI's --years) are the scenario's forecast.years
        loc = ("municipality", "caseload", "forecast", "years")
        file, line = compose_cached(loaded).where(loc)
        raise InputError([Problem(file, line, ".".join(loc), p.message) if p.file == "--years" else p for p in exc.problems]) from None
    have = set(int(y) for y in fc.cells["year"].unique())
    missing = [y for y in inp.s.years if y not in have]
    if missing:
        raise InputError([Problem(str(loaded.path), None, "municipality.caseload.forecast.years", f"prognosen dækker {sorted(have)}; scenariet har også brug for {missing}")])
    cells = fc.cells[fc.cells["year"].isin(inp.s.years)]
    keep = ("year", "benefit", "activation", "spell_week", "count_week", "helaarspersoner", "level_dkk_per_helaarsperson")
    rows = [{"date": (as_if or dt.date.fromisocalendar(int(r["year"]), 1, 1)).isoformat(), **{k: r[k] for k in keep}} for r in cells.to_dict("records")]
    return rows, set(cells["benefit"].astype(str).unique())


def price_caseload(compiled: Compiled, loaded: LoadedScenario | None = None, valuations: list[InitiativeValuation] = (), cite: bool = True) -> Table | None:
    """The forsørgelse table: the caseload's benefits, the state's refund and the municipality's
    net cost by year, every week priced by its law, plus the initiatives' changes to it."""
    inp = compiled.inputs
    years = list(compiled.years)
    fc_rows, fc_benefits = forecast_cells(inp, loaded, compiled.law.as_if) if loaded is not None else ([], set())
    cells = [c for c in compiled.cells if c.benefit not in fc_benefits]
    if not cells and not fc_rows:
        return None
    pricing = compiled.pricing
    pricing.prepare([(m, c.benefit, c.activation, c.band) for c in cells for m, _ in active_weeks(c.year)])
    hp = {y: 0.0 for y in years}
    gross = {y: 0.0 for y in years}
    state = {y: 0.0 for y in years}
    for c in cells:
        share = sum(w * pricing.benefit_share(m, c.benefit, c.activation, c.band) for m, w in active_weeks(c.year))
        g = c.helaarspersoner * c.level_dkk_per_helaarsperson
        hp[c.year] += c.helaarspersoner
        gross[c.year] += g
        state[c.year] += g * share
    if fc_rows:
        import pandas as pd

        from budgetmodel.financing.aggregate import price_cells

        df = pd.DataFrame(fc_rows)
        priced = price_cells(df.drop(columns=["year"]), inner_book(compiled.book))
        priced["year"] = df["year"].to_numpy()
        by_year = priced.groupby("year")[["helaarspersoner", "gross_dkk", "state_dkk"]].sum()
        for y in years:
            if y in by_year.index:
                hp[y] += float(by_year.loc[y, "helaarspersoner"])
                gross[y] += float(by_year.loc[y, "gross_dkk"])
                state[y] += float(by_year.loc[y, "state_dkk"])
    for v in valuations:
        for y in years:
            iy = v.years[y]
            level = v.spec.levels.get(y, 0.0)
            hp[y] += ratio(iy.effect_gross_dkk, level)
            gross[y] += iy.effect_gross_dkk
            state[y] += iy.state_refund_dkk
    if cite:
        _cite_refund_rules(compiled, cells)
    law = compiled.law
    if law.as_if is not None:
        from budgetmodel.fmt import date_da

        regime = f"loven pr. {date_da(law.as_if)} for alle år"
    else:
        regime = "loven i kraft i hver uge"
    if fc_rows:
        regime += "; fremskrevet sagsstamme"
    src = f"Refusion efter {regime} (budgetmodel.financing.aggregate); sagsstammen fra scenariet" + ("; fremskrevet af budgetmodel.forecast" if fc_rows else "")
    if valuations:
        src += "; med initiativernes ændringer af sagsstammen"
    return Table(
        key="forsoergelse",
        title=f"Forsørgelsesudgifter efter refusion ({regime})",
        years=years,
        lines=[
            Line("helaarspersoner", "Helårspersoner", "count", dict(hp), src, "derived"),
            Line("brutto", "Forsørgelsesudgifter, brutto", "line", dict(gross), src, "derived"),
            Line("refusion", "Statsrefusion", "line", {y: -state[y] for y in years}, src, "derived"),
            Line("netto", "Kommunens nettoudgift", "total", {y: gross[y] - state[y] for y in years}, src, "derived"),
        ],
    )


def caseload_group_lines(compiled: Compiled) -> list[Any]:
    """budget.caseload_groups: each named caseload group's net cost after the state's share (refund
    or co-financing, the gateway's answer for every week by its law) as a line of the budget."""
    from budgetmodel.financing.inputs import FixedLine

    keys = compiled.loaded.scenario.budget.caseload_groups
    if not keys:
        return []
    years = list(compiled.years)
    groups = compiled.loaded.scenario.municipality.caseload.groups
    cells = [c for c in compiled.cells if c.group in keys]
    pricing = compiled.pricing
    pricing.prepare([(m, c.benefit, c.activation, c.band) for c in cells for m, _ in active_weeks(c.year)])
    net = {k: {y: 0.0 for y in years} for k in keys}
    for c in cells:
        share = sum(w * pricing.benefit_share(m, c.benefit, c.activation, c.band) for m, w in active_weeks(c.year))
        net[c.group][c.year] += c.helaarspersoner * c.level_dkk_per_helaarsperson * (1.0 - share)
    _cite_refund_rules(compiled, cells)
    src = "Helårspersoner × ydelse × (1 − statens andel), hver uge efter loven i kraft (refusionsgatewayen, budgetmodel.financing.refund_rules)"
    return [FixedLine(key=f"forsoergelse_{k}", label=f"Forsørgelse efter statens andel: {groups[k].label}", dkk=net[k], source=src, status="derived") for k in keys]


def _cite_refund_rules(compiled: Compiled, cells: list[Any]) -> None:
    """The aggregate path reads the refund rules as dense arrays; ask the refund gateway for the
    cells' shares through the recording book (at the first Monday of each month, or the as_if
    date) so the memo cites the values that priced them, and only those in force."""
    cite_benefit_rules(compiled.book, list(compiled.years), compiled.law.as_if, {(c.benefit, c.activation, c.band) for c in cells})


def beskaeftigelsestilskud_table(compiled: Compiled) -> Table | None:
    """The memo's table of the beskæftigelsestilskud by year (kroner, computed by the compile step)."""
    b = compiled.scenario.budget.beskaeftigelsestilskud
    if b is None:
        return None
    years = list(compiled.years)
    g = compiled.grants
    src = "LUL § 23 a-b (budgetmodel.financing.beskaeftigelsestilskud)"
    lines = [
        Line("grundtilskud", "Grundtilskud", "line", {y: g[y].grundtilskud_dkk for y in years}, "Tilskud 2 år før × P/L-faktor (§ 23 a, stk. 2, nr. 1)", "derived"),
        Line("merudgiftsbehov", "Merudgiftsbehov, foreløbigt", "line", {y: g[y].merudgiftsbehov_foreloebig_dkk for y in years}, "(Landsdelens nettoudgifter − landsdelens grundtilskud) × kommunens andel af ledigheden i nøgleåret (§ 23 a, stk. 2, nr. 2)", "derived"),
        Line("midtvejsregulering", "Midtvejsregulering", "line", {y: g[y].midtvejsregulering_dkk for y in years}, "§ 23 a, stk. 6", "derived"),
        Line("efterregulering", "Efterregulering", "line", {y: g[y].efterregulering_dkk for y in years}, "§ 23 a, stk. 7", "derived"),
        Line("forsikringsordning", "Forsikringsordning", "line", {y: g[y].insurance_dkk for y in years}, "§ 23 b (tærskel: rates/beskaeftigelsestilskud)", "derived"),
        Line("total", "Beskæftigelsestilskud i alt", "total", {y: g[y].total_dkk for y in years}, src, "derived"),
    ]
    if all(g[y].net_expenses_dkk is not None for y in years):
        lines.append(Line("net_expenses", "Nettoudgifter til forsikrede ledige", "line", {y: g[y].net_expenses_dkk or 0.0 for y in years}, "budget.beskaeftigelsestilskud: own.net_expenses_dkk", "data"))
        lines.append(Line("balance", "Tilskud minus nettoudgifter", "total", {y: g[y].balance_dkk or 0.0 for y in years}, src, "derived"))
    return Table("beskaeftigelsestilskud", b.label, years, lines)


# ---------------------------------------------------------------------------------------------
# orchestrator


def _line(bl: Any, years: list[int]) -> Line:
    return Line(bl.key, bl.label, bl.kind, {y: num(bl.dkk[y]) for y in years}, getattr(bl, "source", "") or "", getattr(bl, "status", "") or "")


def value_initiatives(compiled: Compiled, cite: bool = True) -> list[InitiativeValuation]:
    """Every initiative valued as the caseload with it minus without it, week by week."""
    out = [value_initiative(spec, compiled.pricing, compiled.years) for spec in compiled.initiatives]
    if cite:
        from budgetmodel.scenario.compile import Cell

        moved = [Cell(sp.group, y, sp.benefit, a, m.band, 0.0, 0.0) for sp in compiled.initiatives for y in compiled.years for m in sp.moves for a in (m.from_activation, sp.to_activation)]
        _cite_refund_rules(compiled, moved)
    return out


def run_scenario(loaded: LoadedScenario, book: RateBook, *, with_caseload: bool = True, detail: bool = True) -> RunResult:
    """Run one scenario against a rate book; see the module docstring.

    ``with_caseload`` prices the caseload through the refund rules (the 'forsørgelse' table);
    ``detail=False`` skips the memo's sub-tables and Tabel 1 (for sensitivity runs)."""
    from budgetmodel import __version__
    from budgetmodel.financing.budget_lines import build_budget_lines
    from budgetmodel.financing.inputs import InitiativeLine

    compiled = compile_scenario(loaded, book)
    s = loaded.scenario
    rec = compiled.book
    years = list(s.years)
    valuations = value_initiatives(compiled, cite=detail)
    bl_input = compiled.budget.model_copy(
        update={
            "initiatives": [
                InitiativeLine(label=v.spec.title, start=v.spec.start, duration_months=v.spec.duration_months, dkk={y: v.years[y].total_dkk for y in years})
                for v in valuations
            ]
        }
    )
    group_lines = caseload_group_lines(compiled)
    if group_lines:
        bl_input = bl_input.model_copy(update={"computed_lines": [*bl_input.computed_lines, *group_lines]})
    has_budget = bool(s.budget.budgetgaranti or s.budget.mentor or s.budget.driftsloft or s.budget.oevo_mentor or s.budget.beskaeftigelsestilskud or s.budget.fixed_lines or group_lines or s.initiatives)
    table = build_budget_lines(bl_input, rec) if has_budget else None
    lines = [_line(bl, years) for bl in table.lines] if table is not None else []
    if lines and not any(ln.kind == "line" for ln in lines):
        # initiatives only: no budget challenge to add them to, so the table is the initiatives line
        lines = [ln for ln in lines if ln.key not in ("total", "netto")]
    cases = [_case(v, years) for v in valuations] if detail else []
    caseload = price_caseload(compiled, loaded, valuations, cite=detail) if with_caseload else None
    sub_tables = _sub_tables(s, table, years, compiled.reform_lines) if table is not None and detail else []
    if detail and (bt_table := beskaeftigelsestilskud_table(compiled)) is not None:
        sub_tables.append(bt_table)
    budget = Table("budget", "Økonomiske konsekvenser", years, lines) if lines else None
    checks = _checks(s, budget, years, sub_tables) if detail else []
    return RunResult(
        loaded=loaded,
        budget=budget,
        initiatives=cases,
        caseload=caseload,
        sub_tables=sub_tables,
        checks=checks,
        used_inputs=list(compiled.inputs.used.values()),
        used_rates=rec.used(),
        rates_fingerprint=rec.fingerprint,
        model_version=__version__,
        law=compiled.law,
        notes=list(compiled.notes),
        valuations=valuations,
        assumed_unchanged=_assumed_unchanged(compiled),
    )


def _assumed_unchanged(compiled: Compiled) -> list[dict[str, str]]:
    """Tables the run read after their known_through, for Forudsætninger: 'lov antaget uændret
    efter …' (the recording book's reads: the gateway's answers for the priced cells and weeks)."""
    return list(compiled.book.assumed_unchanged())


def _case(v: InitiativeValuation, years: list[int]) -> InitiativeCase:
    """Tabel 1 (kroner per full year of the initiative) and the phased table."""
    from budgetmodel import fmt

    n = fmt.number
    sp = v.spec
    per = v.per_full_year
    f_total = v.fraction_total
    level = sum(sp.levels.get(y, 0.0) * v.years[y].fraction for y in years) / f_total if f_total else 0.0
    pct_before = 100.0 * per(lambda y: y.share_before * y.fraction)
    pct_after = 100.0 * per(lambda y: y.share_after * y.fraction)
    wages = sp.staff_count * sp.wage_dkk_per_staff
    refund = per(lambda y: y.move_refund_dkk)
    rows: list[CaseRow] = []
    rows.append(CaseRow(f"Årlig lønudgift for {n(sp.staff_count)} {sp.staff_label} kr.", wages, "dkk", "line", f"{n(sp.staff_count)} × {n(sp.wage_dkk_per_staff)}"))
    rows.append(
        CaseRow(
            f"Årlig øget statsrefusion på forsørgelsesudgiften baseret på {sp.benefit_label} kr.",
            refund,
            "dkk",
            "line",
            f"{n(sp.participants)} × {n(level)} × ({n(pct_after, 1 if pct_after % 1 else 0)} − {n(pct_before, 1 if pct_before % 1 else 0)}) pct.",
        )
    )
    offer_total = 0.0
    for o in sp.offers:
        net = v.offer_net_per_year(o.key)
        saving = -net
        offer_total += saving
        fewer = o.helaarstilbud < 0
        rows.append(CaseRow(f"{'Reduktion' if fewer else 'Forøgelse'} i antal helårstilbud - {o.label}", abs(o.helaarstilbud), "count", "input"))
        rows.append(CaseRow("Pris pr. helårsperson kr.", o.price_dkk, "dkk", "input"))
        working = f"{n(abs(o.helaarstilbud))} × {n(o.price_dkk)}"
        refund_o = o.gross_dkk - net
        if abs(refund_o) > 0.005:
            working += f" − refusion {n(abs(refund_o))}"
        rows.append(CaseRow("Årlig besparelse på driftsudgifterne kr.", saving, "dkk", "line", working))
    if sp.offers:
        rows.append(CaseRow("Årlig besparelse på driftsudgifterne kr.", offer_total, "dkk", "total", " + ".join(n(-v.offer_net_per_year(o.key)) for o in sp.offers)))
    rows.append(CaseRow("Øget statsrefusion fradraget udgiften til løn kr.", refund - wages, "dkk", "line", f"{n(refund)} − {n(wages)}"))
    effect = -per(lambda y: y.effect_net_dkk)
    parts = [n(offer_total), n(refund - wages)]
    if abs(effect) > 0.005:
        rows.append(CaseRow("Færre forsørgelsesudgifter efter refusion (kortere tid på ydelse) kr.", effect, "dkk", "line", f"{n(100 * sp.effect, 1)} pct. × {n(sp.participants)} × {n(level)} × (100 − {n(pct_before, 1 if pct_before % 1 else 0)}) pct."))
        parts.append(n(effect))
    rows.append(CaseRow("Samlet årlig besparelse kr.", -v.net_dkk_per_year, "dkk", "total", " + ".join(parts)))
    # each working ends in its result, as the notat reads: 3 × 56.209 = 168.627
    rows = [dataclasses.replace(r, working=f"{r.working} = {n(r.value)}") if r.working else r for r in rows]

    src = "Initiativet værdisat som sagsstammen med minus uden initiativet (budgetmodel.financing.initiative), uge for uge × andel af året"
    yv = v.years
    plines = [
        Line("wages", f"Lønudgift {sp.staff_label}", "line", {y: yv[y].wages_dkk for y in years}, src, "derived"),
        Line("extra_refund", "Merindtægt statsrefusion", "line", {y: -yv[y].move_refund_dkk for y in years}, src, "derived"),
        Line("offer_savings", "Driftsudgifter til aktivering", "line", {y: yv[y].offers_net_dkk for y in years}, src, "derived"),
    ]
    if any(yv[y].effect_net_dkk != 0 for y in years):
        plines.append(Line("duration_effect", "Effekt af kortere tid på ydelse (antagelse)", "effect", {y: yv[y].effect_net_dkk for y in years}, "Scenariets antagelse om kortere tid på ydelse", "assumption"))
    total = {y: yv[y].total_dkk for y in years}
    plines.append(Line("total", "Nettovirkning i alt (− = besparelse)", "total", total, src, "derived"))
    return InitiativeCase(
        sp.key,
        sp.title,
        rows,
        Table(f"initiative_{sp.key}", sp.title, years, plines),
        {y: yv[y].fraction for y in years},
        sp.participants,
        v.net_dkk_per_year,
        total,
        {y: yv[y].state_refund_dkk for y in years},
    )


def _sub_tables(s: Scenario, table: Any, years: list[int], computed: dict[tuple[str, str], Any] | None = None) -> list[Table]:
    """The reform memo's sub-tables from the engines' details (budgetgaranti parts, mentor, driftsloft):
    every figure computed from its causes."""
    out: list[Table] = []
    computed = computed or {}
    det = getattr(table, "details", None)
    if det is None:
        return out
    bg = det.budgetgaranti
    if bg is not None and s.budget.budgetgaranti is not None:
        src = "Summen af reformens linjer; staten: landstal × kommunens andel af nøglen (budgetmodel.financing.budgetgaranti)"
        out.append(
            Table(
                "budgetgaranti",
                s.budget.budgetgaranti.title,
                years,
                [
                    Line("local", "I alt", "line", {y: bg.total[y].local_dkk for y in years}, src, "derived"),
                    Line("state", "Ifølge staten", "line", {y: bg.total[y].compensation_dkk for y in years}, src, "derived"),
                    Line("difference", "Forskel", "total", {y: bg.total[y].challenge_dkk for y in years}, src, "derived"),
                ],
            )
        )
        for key, part in s.budget.budgetgaranti.parts.items():
            res = bg.parts[key]
            lines = []
            for k, ser in part.lines.items():
                got = computed.get((key, k))
                if got is not None:  # computed from the caseload and the law
                    lines.append(Line(k, ser.label or k, "line", {y: got.years[y].dkk for y in years}, f"{got.working}. {ser.source}", "derived"))
                elif ser.same_as is not None:  # one cause in two tables
                    other = same_as_series(s, ser.same_as)
                    lines.append(Line(k, ser.label or k, "line", {y: other.dkk(y) for y in years}, f"Samme beløb som {ser.same_as} ({other.label or ''}). {ser.source}", ser.status.value))
                else:
                    lines.append(Line(k, ser.label or k, "line", {y: ser.dkk(y) for y in years}, ser.source, ser.status.value))
            key_da = "bloktilskuddet" if res.key_name == "bloktilskud" else "de omfattede udgifter"
            lines.append(Line("local", "I alt", "total", {y: res.years[y].local_dkk for y in years}, "Summen af linjerne ovenfor", "derived"))
            lines.append(
                Line(
                    "state",
                    "Ifølge staten",
                    "line",
                    {y: res.years[y].compensation_dkk for y in years},
                    f"Landstal × kommunens andel af {key_da} ({fmt_pct(res.key_share)}); landstal: {part.national.source}",
                    "derived",
                )
            )
            lines.append(Line("difference", "Forskel", "total", {y: res.years[y].challenge_dkk for y in years}, src, "derived"))
            out.append(Table(f"budgetgaranti_{key}", part.title, years, lines))
    if det.mentor is not None and s.budget.mentor is not None:
        m = s.budget.mentor
        src = "Refusion tabt til mentorrammen (budgetmodel.financing.mentor)"
        lines = [Line(k, ln.label, "line", {y: ln.amount.dkk(y) for y in years}, ln.amount.source, ln.amount.status.value) for k, ln in m.lines.items()]
        lines.append(Line("ramme", "Udmeldt ramme", "line", {y: float(m.ramme_dkk.value) for y in years}, m.ramme_dkk.source, m.ramme_dkk.status.value))
        lines.append(Line("challenge", "Samlet budgetudfordring", "total", {y: det.mentor[y].lost_refund_dkk for y in years}, src, "derived"))
        out.append(Table("mentor", "Mentorudgifter og mentorrammen", years, lines))
    if det.driftsloft is not None and s.budget.driftsloft is not None:
        d = det.driftsloft
        src = "sats × min(udgifter, loft × helårspersoner) pr. loftsgruppe (budgetmodel.financing.driftsloft)"
        out.append(
            Table(
                "driftsloft",
                "Genberegning af driftsloftet",
                years,
                [
                    Line("helaarspersoner", "Helårspersoner under driftsloftet", "count", {y: d[y].helaarspersoner for y in years}, "budget.driftsloft.helaarspersoner", "assumption"),
                    Line("expenses", "Driftsudgifter under driftsloftet", "line", {y: d[y].expenses_dkk for y in years}, "budget.driftsloft.expenses", "assumption"),
                    Line("loft", "Nyt genberegnet driftsloft pr. helårsperson i kr.", "dkk", {y: d[y].loft_dkk_per_helaarsperson for y in years}, "rates/driftsloft", "law"),
                    Line("old_refund", "Refusion med det gamle loft", "line", {y: d[y].old_refund_dkk for y in years}, src, "derived"),
                    Line("refund", "Refusion med det genberegnede loft", "line", {y: d[y].refund_dkk for y in years}, src, "derived"),
                    Line("loss", "Tab pr. helårsperson i kr.", "dkk", {y: d[y].loss_dkk_per_helaarsperson for y in years}, "Samlet budgetudfordring / helårspersoner", "derived"),
                    Line("challenge", "Samlet budgetudfordring", "total", {y: d[y].dkk for y in years}, "Refusion med det gamle loft − refusion med det genberegnede", "derived"),
                ],
            )
        )
    if det.oevo_mentor is not None and s.budget.oevo_mentor is not None:
        om = det.oevo_mentor
        src = "LAB § 203 a: max(0, udgifter − beløbsgrænse × fuldtidspersoner) (rates/beloebsgraense_oevo_mentor)"
        out.append(
            Table(
                "oevo_mentor",
                s.budget.oevo_mentor.label,
                years,
                [
                    Line("spending", "ØVO- og mentorudgifter", "line", {y: om[y].spending_dkk for y in years}, s.budget.oevo_mentor.spending.source, s.budget.oevo_mentor.spending.status.value),
                    Line("fuldtidspersoner", "Fuldtidspersoner", "count", {y: om[y].fuldtidspersoner for y in years}, s.budget.oevo_mentor.fuldtidspersoner.source, s.budget.oevo_mentor.fuldtidspersoner.status.value),
                    Line("limit", "Beløbsgrænse pr. fuldtidsperson i kr.", "dkk", {y: om[y].limit_dkk_per_fuldtidsperson or 0.0 for y in years}, "rates/beloebsgraense_oevo_mentor (0: ingen grænse det år)", "law"),
                    Line("covered", "Medregnet i budgetgarantien", "line", {y: om[y].covered_dkk for y in years}, src, "derived"),
                    Line("excess", "Bæres af kommunen selv", "total", {y: om[y].excess_dkk for y in years}, src, "derived"),
                ],
            )
        )
    return out


def fmt_pct(share: float) -> str:
    from budgetmodel import fmt

    return f"{fmt.number(share * 100, 3)} pct."


def _checks(s: Scenario, budget: Table | None, years: list[int], sub_tables: list[Table] | None = None) -> list[dict[str, Any]]:
    """Printed figures of the scenario against what the run computed.

    Each check: ``line``, ``year``, ``printed``, ``computed`` (in the printed unit: 1.000 kr., kr. or
    a count), ``ok`` and ``difference`` (computed − printed). Where the document's own printed
    figures do not add up (its lines to its 'I alt', its 'I alt' − 'Ifølge staten' to its
    'Forskel', its budget lines to its total), ``document_sum`` holds what the printed parts give
    and ``rounding_break`` by how much the document's rounding breaks the sum."""
    from budgetmodel.scenario.budget_checks import figure_checks

    return figure_checks(s, budget, {t.key: t for t in (sub_tables or [])}, years)
