"""Run a scenario: turn it into the engines' typed inputs, call the engines, and collect the
results as plain tables (kroner by year) together with everything they were computed from.

The orchestrator is :func:`run_scenario`. It never computes a budget figure itself beyond sums
and the phasing of an assumption's effect: the budget lines, mentorramme, driftsloft,
budgetgaranti and initiative valuation come from ``budgetmodel.financing`` (caps engines), the
pricing of the caseload from the refund engine's aggregate path.

Provenance: every scenario value the run reads is recorded (path → Sourced/Series), and every
rate looked up through the book is recorded as a RateValue, so a memo's Kilder and
Forudsætninger list exactly what was used.
"""

from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from budgetmodel.rates.book import RateBook, RateTable, RateValue
from budgetmodel.scenario.beskaeftigelsestilskud_inputs import beskaeftigelsestilskud_line, grant_year_inputs
from budgetmodel.scenario.load import LoadedScenario, lookup_rate
from budgetmodel.scenario.schema import (
    Initiative,
    RateRef,
    Scenario,
    Series,
    Sourced,
)

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
    rows: list[CaseRow]  # Tabel 1, full-year kroner
    phased: Table  # the initiative by budget year (half years at the ends)
    year_fractions: dict[int, float]
    participants: float


@dataclass(frozen=True)
class UsedInput:
    path: str
    label: str
    value: Any  # number, or {year: number}
    unit: str
    source: str
    status: str
    note: str


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

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @property
    def final_table(self) -> Table | None:
        if self.budget is not None and self.budget.lines:
            return self.budget
        return self.caseload


# ---------------------------------------------------------------------------------------------
# provenance


class _RecordingTable:
    """A rate table that records every value it hands out (and remembers lookups: rates are
    immutable, and sensitivity runs repeat the same lookups thousands of times)."""

    def __init__(self, table: RateTable, log: dict[tuple, RateValue]):
        self._table = table
        self._log = log
        self._memo: dict[tuple, RateValue] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def _note(self, rv: RateValue) -> None:
        self._log.setdefault((rv.table_id, tuple(sorted(rv.where.items())), rv.valid_from), rv)

    def lookup(self, at: dt.date, **cell: Any) -> RateValue:
        key = (at, tuple(sorted(cell.items())))
        rv = self._memo.get(key)
        if rv is None:
            rv = self._table.lookup(at, **cell)
            self._memo[key] = rv
        self._note(rv)
        return rv

    def value(self, at: dt.date, **cell: Any) -> Any:
        return self.lookup(at, **cell).value

    def in_force(self, at: dt.date) -> list[RateValue]:
        values = self._table.in_force(at)
        for rv in values:
            self._note(rv)
        return values


class RecordingBook(RateBook):
    """A rate book that records every rate an engine reads (for the memo's Kilder)."""

    def __init__(self, book: RateBook):
        self.log: dict[tuple, RateValue] = {}
        super().__init__({k: _RecordingTable(t, self.log) for k, t in book.tables.items()}, book.root)  # type: ignore[misc]
        self._fingerprint = book.fingerprint
        self.inner = book  # for engines that read whole tables (they cite through explicit lookups)

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    def used(self) -> list[RateValue]:
        return sorted(self.log.values(), key=lambda v: (v.table_id, sorted(v.where.items()), v.valid_from))


class Inputs:
    """Reads scenario values by dotted path and records what was read."""

    def __init__(self, scenario: Scenario, book: RateBook):
        self.s = scenario
        self.book = book
        self.used: dict[str, UsedInput] = {}

    def _node(self, path: str) -> Any:
        node: Any = self.s
        for part in path.split("."):
            if isinstance(node, BaseModel):
                node = getattr(node, part)
            else:
                node = node[int(part)] if part not in node and part.isdigit() else node[part]  # years are int keys
        return node

    def value(self, path: str, label: str = "", unit: str = "") -> float:
        node = self._node(path)
        if isinstance(node, Sourced):
            self.used.setdefault(path, UsedInput(path, label or path, node.value, unit, node.source, node.status.value, node.note))
            return float(node.value)
        if isinstance(node, RateRef):
            return lookup_rate(self.s, node, self.book)[0]  # the recording book notes the RateValue
        if isinstance(node, list) and node and all(isinstance(x, RateRef) for x in node):
            return sum(lookup_rate(self.s, ref, self.book)[0] for ref in node)
        raise TypeError(f"{path} is not a number input")

    def series(self, path: str, label: str = "") -> dict[int, float]:
        node = self._node(path)
        if not isinstance(node, Series):
            raise TypeError(f"{path} is not a series")
        self.used.setdefault(
            path,
            UsedInput(path, label or node.label or path, dict(node.by_year), node.unit, node.source, node.status.value, node.note),
        )
        return {y: node.dkk(y) for y in self.s.years}

    def record(self, path: str, label: str, value: Any, unit: str, source: str, status: str, note: str = "") -> None:
        self.used.setdefault(path, UsedInput(path, label, value, unit, source, status, note))


# ---------------------------------------------------------------------------------------------
# scenario → caps inputs

_INDSATS_EXPENSE = {
    "virksomhedspraktik": "virksomhedsrettet",
    "loentilskud": "virksomhedsrettet",
    "nytteindsats": "virksomhedsrettet",
    "vejledning_opkvalificering": "vejledning_opkvalificering",
    "ordinaer_uddannelse": "ordinaer_uddannelse",
    "mentor": "mentor",
}

ACTIVATION_DA = {
    "none": "ingen aktivering",
    "virksomhedspraktik": "virksomhedspraktik",
    "loentilskud": "løntilskud",
    "ordinaer_uddannelse": "ordinær uddannelse",
    "vejledning_opkvalificering": "vejledning og opkvalificering",
    "nytteindsats": "nytteindsats",
    "delvis_raskmelding": "delvis raskmelding",
    "mentor": "mentor",
}

AGE_LABEL = {"under_30": "under 30 år", "over_30": "over 30 år", "alle": "alle aldre"}


def _initiative_input(key: str, ini: Initiative, inp: Inputs) -> Any:
    from budgetmodel.financing import inputs as fi

    s = inp.s
    base = f"initiatives.{key}"
    group = s.municipality.caseload.groups[ini.target_group]
    gpath = f"municipality.caseload.groups.{ini.target_group}"
    staff = inp.value(f"{base}.staff_count", "Antal medarbejdere (jobformidlere)", "count")
    wage = inp.value(f"{base}.wage_dkk_per_year", "Årlig lønudgift i alt", "dkk")
    reductions = []
    for age, red in ini.offer_reductions.items():
        n = inp.value(f"{base}.offer_reductions.{age}.helaarstilbud", f"Færre helårstilbud, {AGE_LABEL[age]}", "count")
        if red.price_dkk is not None:
            price = inp.value(f"{base}.offer_reductions.{age}.price_dkk", f"Pris pr. helårstilbud, {AGE_LABEL[age]}", "dkk")
        else:
            price = inp.value(f"municipality.prices.helaarstilbud_dkk.{age}", f"Pris pr. helårstilbud, {AGE_LABEL[age]}", "dkk")
        reductions.append(fi.OfferReduction(label=AGE_LABEL[age], helaarstilbud=n, price_dkk_per_helaarstilbud=price))
    expense = _INDSATS_EXPENSE.get(ini.from_activation)
    cell = (
        fi.IndsatsRefundCell(target_group=group.target_group, expense=expense, benefit_month=ini.participant_benefit_month)
        if expense is not None
        else None
    )
    if group.benefit_dkk_per_helaarsperson is None:
        from budgetmodel.errors import InputError, Problem

        raise InputError([Problem(str(inp.s.id), None, f"{gpath}.benefit_dkk_per_helaarsperson", "the initiative's target group needs a benefit level")])
    return fi.JobBrokerInitiative(
        label=ini.title,
        start=ini.start,
        duration_months=ini.duration_months,
        brokers=staff,
        wage_dkk_per_broker_per_year=wage / staff if staff else 0.0,
        persons_per_broker=inp.value(f"{base}.persons_per_staff", "Personer i virksomhedsrettet tilbud pr. medarbejder", "count"),
        benefit=group.benefit,
        activation_before=ini.from_activation,
        activation_after=ini.to_activation,
        spell_week=ini.participant_week,
        benefit_dkk_per_person_per_year=inp.value(f"{gpath}.benefit_dkk_per_helaarsperson", f"Ydelse pr. helårsperson ({group.label})", "dkk"),
        offer_reductions=reductions,
        offer_refund_cell=cell,
        source=ini.note,
    )


def budgetgaranti_input(inp: Inputs) -> Any:
    """The reform's parts: local = the sum of its lines, state = national × the municipality's share of the key."""
    from budgetmodel.financing import inputs as fi

    bgs = inp.s.budget.budgetgaranti
    if bgs is None:
        return None
    share = inp.value("municipality.bloktilskud_share", "Andel af bloktilskuddet", "share")
    covered = inp.value("budget.budgetgaranti.covered_expenses_share", "Andel af de omfattede udgifter", "share") if bgs.covered_expenses_share is not None else None
    parts = {}
    for key, part in bgs.parts.items():
        p = f"budget.budgetgaranti.parts.{key}"
        parts[key] = fi.BudgetgarantiPart(
            label=part.title,
            lines={ln.label or k: inp.series(f"{p}.lines.{k}", f"{part.title}: {ln.label or k}") for k, ln in part.lines.items()},
            national_dkk=inp.series(f"{p}.national", f"{part.title}: landstal"),
            key=part.key,
            key_share=share if part.key == "bloktilskud" else covered,
        )
    return fi.BudgetgarantiInput(label=bgs.title, bloktilskud_share=share, parts=parts)


def driftsloft_input(inp: Inputs) -> Any:
    """The recomputed driftsloft: helårspersoner by target group and operating expenses, by year."""
    from budgetmodel.financing import inputs as fi

    d = inp.s.budget.driftsloft
    if d is None:
        return None
    base = "budget.driftsloft"
    inp.record(f"{base}.old_loft", "Det gamle driftsloft", d.old_loft.basis, "text", d.old_loft.source, d.old_loft.status.value, d.old_loft.note)
    hp = {tg: inp.series(f"{base}.helaarspersoner.{tg}", f"Helårspersoner under driftsloftet: {tg}") for tg in d.helaarspersoner}
    ex = {k: inp.series(f"{base}.expenses.{k}.amount", f"Driftsudgifter: {e.label or k}") for k, e in d.expenses.items()}
    years = {
        y: fi.DriftsloftInput(
            helaarspersoner={tg: hp[tg][y] for tg in hp},
            expenses=[fi.ActivationExpense(target_group=e.target_group, expense=e.expense, benefit_month=e.benefit_month, dkk=ex[k][y]) for k, e in d.expenses.items()],
        )
        for y in inp.s.years
    }
    return fi.DriftsloftRecomputationInput(basis=d.basis, old_basis=d.old_loft.basis, years=years, source=d.old_loft.note)


def beskaeftigelsestilskud_table(inp: Inputs) -> Table | None:
    """The memo's table of the beskæftigelsestilskud by year (kroner, computed)."""
    from budgetmodel.financing.beskaeftigelsestilskud import grant_year

    b = inp.s.budget.beskaeftigelsestilskud
    if b is None:
        return None
    years = list(inp.s.years)
    g = {y: grant_year(x, inp.book) for y, x in grant_year_inputs(inp).items() if y in years}
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


def budget_lines_input(inp: Inputs) -> Any:
    """The caps engines' BudgetLinesInput for a scenario (reform, mentor, driftsloft, fixed lines, initiatives)."""
    from budgetmodel.financing import inputs as fi

    s = inp.s
    years = list(s.years)
    b = s.budget
    bg = budgetgaranti_input(inp)
    mentor = None
    if b.mentor is not None:
        m = b.mentor
        ramme = inp.value("budget.mentor.ramme_dkk", "Mentorramme", "dkk")
        lines = {k: inp.series(f"budget.mentor.lines.{k}.amount", f"Mentor: {ln.label}") for k, ln in m.lines.items()}
        mentor = fi.MentorInput(
            basis=m.basis,
            years={
                y: fi.MentorYear(
                    lines=[fi.MentorLine(label=ln.label, target_group=ln.target_group, dkk=lines[k][y]) for k, ln in m.lines.items()],
                    ramme_dkk=ramme,
                )
                for y in years
            },
        )
    driftsloft = driftsloft_input(inp)
    oevo_mentor = None
    if b.oevo_mentor is not None:
        spend = inp.series("budget.oevo_mentor.spending", "ØVO- og mentorudgifter")
        ftp = inp.series("budget.oevo_mentor.fuldtidspersoner", "Fuldtidspersoner (LAB § 6, nr. 1-10)")
        oevo_mentor = fi.OevoMentorInput(
            label=b.oevo_mentor.label,
            years={y: fi.OevoMentorYear(spending_dkk=spend[y], fuldtidspersoner=ftp[y]) for y in years},
            source=b.oevo_mentor.spending.source,
        )
    fixed = []
    for key, ser in b.fixed_lines.items():
        fixed.append(
            fi.FixedLine(key=key, label=ser.label or key, dkk=inp.series(f"budget.fixed_lines.{key}"), source=ser.source, status=ser.status.value)
        )
    initiatives = [_initiative_input(k, ini, inp) for k, ini in s.initiatives.items()]
    bt = beskaeftigelsestilskud_line(inp)  # budgetmodel.scenario.beskaeftigelsestilskud_inputs
    return fi.BudgetLinesInput(
        computed_lines=[bt] if bt is not None else [],
        years=years,
        law_date=s.law.refund_rules_at,
        budgetgaranti=bg,
        mentor=mentor,
        driftsloft=driftsloft,
        oevo_mentor=oevo_mentor,
        fixed_lines=fixed,
        initiatives=initiatives,
    )


# ---------------------------------------------------------------------------------------------
# the caseload priced by the refund rules (aggregate path)


def _grown(inp: Inputs, years: list[int]) -> dict[int, float]:
    g = inp.value("assumptions.caseload_growth", "Årlig vækst i sagsstammen", "share")
    return {y: (1.0 + g) ** (y - years[0]) for y in years}


def caseload_cells(inp: Inputs) -> list[dict[str, Any]]:
    """Cells for the aggregate refund path: year × group × activation × duration band."""
    s = inp.s
    years = list(s.years)
    growth = _grown(inp, years)
    cells: list[dict[str, Any]] = []
    for key, g in s.municipality.caseload.groups.items():
        if g.benefit_dkk_per_helaarsperson is None or not g.duration:
            continue
        gp = f"municipality.caseload.groups.{key}"
        hp = inp.value(f"{gp}.helaarspersoner", f"Helårspersoner: {g.label}", "count")
        level = inp.value(f"{gp}.benefit_dkk_per_helaarsperson", f"Ydelse pr. helårsperson: {g.label}", "dkk")
        act = {a: inp.value(f"{gp}.activation.{a}", f"Andel i {ACTIVATION_DA.get(a, a)}: {g.label}", "share") for a in g.activation}
        act_none = max(0.0, 1.0 - sum(act.values()))
        mix = [*act.items(), ("none", act_none)] if act_none > 0 else list(act.items())
        dur = {band: inp.value(f"{gp}.duration.{band}", f"Andel i uge {band}: {g.label}", "share") for band in g.duration}
        for y in years:
            for a, ashare in mix:
                for band, dshare in dur.items():
                    n = hp * growth[y] * ashare * dshare
                    if n == 0:
                        continue
                    cells.append(
                        {
                            "group": key,
                            "year": y,
                            "date": s.law.refund_rules_at.isoformat(),
                            "benefit": g.benefit,
                            "activation": a,
                            "spell_week": band,
                            "count_week": band,
                            "helaarspersoner": n,
                            "level_dkk_per_helaarsperson": level,
                        }
                    )
    return cells


def forecast_cells(inp: Inputs, loaded: LoadedScenario) -> tuple[list[dict[str, Any]], set[str]]:
    """The forecast's cells for the scenario's years (priced by the law of each year) and the
    benefits they cover; empty when the scenario has no forecast."""
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
    fc = forecast_caseload(panel, fc_spec.years, _inner(inp.book), assumptions=loaded.aux.get("assumptions"), inflow_growth_pct_per_year=growth)
    have = set(int(y) for y in fc.cells["year"].unique())
    missing = [y for y in inp.s.years if y not in have]
    if missing:
        raise InputError([Problem(str(loaded.path), None, "municipality.caseload.forecast.years", f"the forecast covers {sorted(have)}; the scenario needs {missing} as well")])
    cells = fc.cells[fc.cells["year"].isin(inp.s.years)]
    rows = cells.to_dict("records")
    return rows, set(cells["benefit"].astype(str).unique())


def price_caseload(inp: Inputs, loaded: LoadedScenario | None = None) -> Table | None:
    fc_rows, fc_benefits = forecast_cells(inp, loaded) if loaded is not None else ([], set())
    cells = [c for c in caseload_cells(inp) if c["benefit"] not in fc_benefits]
    for r in fc_rows:
        cells.append({"group": f"forecast:{r['benefit']}", "date": dt.date.fromisocalendar(int(r["year"]), 1, 1).isoformat(), **{k: r[k] for k in ("year", "benefit", "activation", "spell_week", "count_week", "helaarspersoner", "level_dkk_per_helaarsperson")}})
    if not cells:
        return None
    import pandas as pd

    from budgetmodel.financing.aggregate import price_cells

    df = pd.DataFrame(cells)
    priced = price_cells(df.drop(columns=["group", "year"]), _inner(inp.book))
    _cite_refund_rules(inp.book, cells)
    priced["year"] = df["year"].to_numpy()
    by_year = priced.groupby("year")[["helaarspersoner", "gross_dkk", "state_dkk", "municipal_dkk"]].sum()
    years = list(inp.s.years)
    at = inp.s.law.refund_rules_at
    if fc_rows:
        regime = "reglerne i kraft i hvert år; fremskrevet sagsstamme"
        src = "Refusion efter reglerne i kraft i hvert budgetår; sagsstammen fremskrevet af budgetmodel.forecast"
    else:
        regime = "refusionstrappen" if _staircase(inp.book, at) else "2014-reglerne, refusion efter aktivering"
        src = f"Refusion efter {regime}, pr. {at.isoformat()}; sagsstammen fra scenariet"
    return Table(
        key="forsoergelse",
        title=f"Forsørgelsesudgifter efter refusion ({regime})",
        years=years,
        lines=[
            Line("helaarspersoner", "Helårspersoner", "count", {y: float(by_year.loc[y, "helaarspersoner"]) for y in years}, src, "derived"),
            Line("brutto", "Forsørgelsesudgifter, brutto", "line", {y: float(by_year.loc[y, "gross_dkk"]) for y in years}, src, "derived"),
            Line("refusion", "Statsrefusion", "line", {y: -float(by_year.loc[y, "state_dkk"]) for y in years}, src, "derived"),
            Line("netto", "Kommunens nettoudgift", "total", {y: float(by_year.loc[y, "municipal_dkk"]) for y in years}, src, "derived"),
        ],
    )


def _inner(book: RateBook) -> RateBook:
    return book.inner if isinstance(book, RecordingBook) else book


def _cite_refund_rules(book: RateBook, cells: list[dict[str, Any]]) -> None:
    """The aggregate path reads the refund tables as dense arrays; look the cells' rates up once
    through the (recording) book so the memo cites the values that priced them."""
    from budgetmodel.rates.schema import parse_band

    seen = set()
    for c in cells:
        at = dt.date.fromisoformat(c["date"])
        key = (at, c["benefit"], c["activation"], c["spell_week"])
        if key in seen:
            continue
        seen.add(key)
        week = parse_band(str(c["spell_week"]))[0]
        for table, cell in (
            ("refusion_forsoergelse", {"benefit": c["benefit"], "activation": c["activation"], "spell_week": week}),
            ("refusionstrappe", {"count_week": week}),
        ):
            try:
                book.lookup(table, at, **cell)
            except KeyError:
                continue  # not in force at this date, or no such table in this book


def _staircase(book: RateBook, at: dt.date) -> bool:
    try:
        return bool(book.table("refusionstrappe").in_force(at))
    except KeyError:
        return False


# ---------------------------------------------------------------------------------------------
# the duration effect (an assumption): fewer helårspersoner on benefit among the participants


def duration_effect_dkk(inp: Inputs, key: str, ini: Initiative, fractions: dict[int, float], participants: float) -> dict[int, float]:
    """Municipal benefit cost saved when participants leave benefit sooner: effect × participants
    helårspersoner fewer per year (phased like the initiative), each priced by the refund rules in
    force for a participant in the company-based offer. Zero (as published) unless the assumption
    says otherwise."""
    effect = inp.value("assumptions.duration_effect", "Kortere tid på ydelse for deltagere (andel)", "share")
    years = list(inp.s.years)
    if effect == 0:
        return {y: 0.0 for y in years}
    group = inp.s.municipality.caseload.groups[ini.target_group]
    level = inp.value(f"municipality.caseload.groups.{ini.target_group}.benefit_dkk_per_helaarsperson", f"Ydelse pr. helårsperson ({group.label})", "dkk")
    per_hp = municipal_cost_per_helaarsperson(inp.book, inp.s.law.refund_rules_at, group.benefit, ini.to_activation, ini.participant_week, level)
    return {y: -effect * participants * fractions.get(y, 0.0) * per_hp for y in years}


_PER_HP: dict[tuple, float] = {}


def municipal_cost_per_helaarsperson(book: RateBook, at: dt.date, benefit: str, activation: str, week: int, level: float) -> float:
    """The municipality's cost of one helårsperson on benefit after the state's refund (refund
    engine, aggregate path). Remembered per rate book: sensitivity runs ask the same thousands of times."""
    import pandas as pd

    from budgetmodel.financing.aggregate import price_cells

    inner = _inner(book)
    key = (id(inner), inner.fingerprint, at, benefit, activation, week, level)
    if key not in _PER_HP:
        row = {"date": at.isoformat(), "benefit": benefit, "activation": activation, "spell_week": week, "count_week": week, "helaarspersoner": 1.0, "level_dkk_per_helaarsperson": level}
        _PER_HP[key] = float(price_cells(pd.DataFrame([row]), inner)["municipal_dkk"].iloc[0])
    _cite_refund_rules(book, [{"date": at.isoformat(), "benefit": benefit, "activation": activation, "spell_week": week}])
    return _PER_HP[key]


# ---------------------------------------------------------------------------------------------
# orchestrator


def _line(bl: Any, years: list[int]) -> Line:
    return Line(bl.key, bl.label, bl.kind, {y: float(bl.dkk[y]) for y in years}, getattr(bl, "source", "") or "", getattr(bl, "status", "") or "")


def run_scenario(loaded: LoadedScenario, book: RateBook, *, with_caseload: bool = True, detail: bool = True) -> RunResult:
    """Run one scenario against a rate book; see the module docstring.

    ``with_caseload`` prices the caseload through the refund rules (the 'forsørgelse' table);
    ``detail=False`` skips the memo's sub-tables and Tabel 1 (for sensitivity runs)."""
    from budgetmodel import __version__
    from budgetmodel.financing.budget_lines import build_budget_lines

    s = loaded.scenario
    rec = book if isinstance(book, RecordingBook) else RecordingBook(book)
    inp = Inputs(s, rec)
    years = list(s.years)
    for key, change in s.law.changes.items():
        inp.record(f"law.changes.{key}", change.title, change.in_force.isoformat(), "date", change.source, "law", change.note)

    bl_input = budget_lines_input(inp)
    has_budget = bool(s.budget.budgetgaranti or s.budget.mentor or s.budget.driftsloft or s.budget.oevo_mentor or s.budget.beskaeftigelsestilskud or s.budget.fixed_lines or s.initiatives)
    table = build_budget_lines(bl_input, rec) if has_budget else None
    lines = [_line(bl, years) for bl in table.lines] if table is not None else []
    if lines and not any(ln.kind == "line" for ln in lines):
        # initiatives only: no budget challenge to add them to, so the table is the initiatives line
        lines = [ln for ln in lines if ln.key not in ("total", "netto")]

    cases: list[InitiativeCase] = []
    effect_total = {y: 0.0 for y in years}
    details = table.details.initiatives if table is not None else ()
    for (key, ini), det in zip(s.initiatives.items(), details):
        fractions = {y: det.phased[y].fraction for y in years}
        val = det.valuation[years[0]]
        participants = val.persons
        effect = duration_effect_dkk(inp, key, ini, fractions, participants)
        for y in years:
            effect_total[y] += effect[y]
        if detail:
            cases.append(_case(key, ini, det, effect, years))

    if any(v != 0 for v in effect_total.values()) and lines:
        lines = _with_effect(lines, effect_total, years)

    caseload = price_caseload(inp, loaded) if with_caseload else None
    sub_tables = _sub_tables(s, table, years) if table is not None and detail else []
    if detail and (bt_table := beskaeftigelsestilskud_table(inp)) is not None:
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
        used_inputs=list(inp.used.values()),
        used_rates=rec.used(),
        rates_fingerprint=rec.fingerprint,
        model_version=__version__,
    )


def _with_effect(lines: list[Line], effect: dict[int, float], years: list[int]) -> list[Line]:
    """Add the assumed duration effect to the initiatives line and the totals after it."""
    out = []
    seen_initiatives = False
    for ln in lines:
        if ln.key == "initiatives":
            out.append(Line("duration_effect", "Effekt af kortere tid på ydelse (antagelse)", "effect", dict(effect), "Scenariets antagelse assumptions.duration_effect", "assumption"))
            seen_initiatives = True
            out.append(Line(ln.key, ln.label, ln.kind, {y: ln.dkk[y] + effect[y] for y in years}, ln.source, ln.status))
        elif seen_initiatives:
            out.append(Line(ln.key, ln.label, ln.kind, {y: ln.dkk[y] + effect[y] for y in years}, ln.source, ln.status))
        else:
            out.append(ln)
    return out


def _case(key: str, ini: Initiative, det: Any, effect: dict[int, float], years: list[int]) -> InitiativeCase:
    """Tabel 1 (yearly kroner at full effect, valued at the first budget year's law) and the phased table."""
    from budgetmodel import fmt

    n = fmt.number
    init = det.initiative
    val = det.valuation[years[0]]
    rows: list[CaseRow] = []
    rows.append(CaseRow(f"Årlig lønudgift for {n(init.brokers)} personlige jobformidlere kr.", val.wages_dkk, "dkk", "line", f"{n(init.brokers)} × {n(init.wage_dkk_per_broker_per_year)}"))
    rows.append(
        CaseRow(
            "Årlig øget statsrefusion på forsørgelsesudgiften baseret på takst for ej-forsørger kr.",
            val.extra_refund_dkk,
            "dkk",
            "line",
            f"{n(val.persons)} × {n(val.benefit_dkk_per_person_per_year)} × ({n(val.pct_after)} − {n(val.pct_before)}) pct.",
        )
    )
    for o in val.offers:
        rows.append(CaseRow(f"Reduktion i antal helårstilbud - {o.label}", o.helaarstilbud, "count", "input"))
        rows.append(CaseRow("Pris pr. helårsperson kr.", o.price_dkk_per_helaarstilbud, "dkk", "input"))
        working = f"{n(o.helaarstilbud)} × {n(o.price_dkk_per_helaarstilbud)}"
        if o.refund_pct:
            working += f" × (100 − {n(o.refund_pct)}) pct."
        rows.append(CaseRow("Årlig besparelse på driftsudgifterne kr.", o.saving_dkk, "dkk", "line", working))
    rows.append(CaseRow("Årlig besparelse på driftsudgifterne kr.", val.offer_savings_dkk, "dkk", "total", " + ".join(n(o.saving_dkk) for o in val.offers)))
    rows.append(CaseRow("Øget statsrefusion fradraget udgiften til løn kr.", val.refund_minus_wages_dkk, "dkk", "line", f"{n(val.extra_refund_dkk)} − {n(val.wages_dkk)}"))
    rows.append(CaseRow("Samlet årlig besparelse kr.", val.net_saving_dkk, "dkk", "total", f"{n(val.offer_savings_dkk)} + {n(val.refund_minus_wages_dkk)}"))
    # each working ends in its result, as the notat reads: 3 × 56.209 = 168.627
    rows = [dataclasses.replace(r, working=f"{r.working} = {n(r.value)}") if r.working else r for r in rows]

    ph = det.phased
    src = "Initiativet værdisat af budgetmodel.financing.initiative × andel af året"
    plines = [
        Line("wages", "Lønudgift jobformidlere", "line", {y: ph[y].wages_dkk for y in years}, src, "derived"),
        Line("extra_refund", "Merindtægt statsrefusion", "line", {y: ph[y].state_refund_dkk for y in years}, src, "derived"),
        Line("offer_savings", "Driftsudgifter til aktivering", "line", {y: ph[y].operating_dkk for y in years}, src, "derived"),
    ]
    total = {y: ph[y].total_dkk for y in years}
    if any(v != 0 for v in effect.values()):
        plines.append(Line("duration_effect", "Effekt af kortere tid på ydelse (antagelse)", "effect", dict(effect), "assumptions.duration_effect", "assumption"))
        total = {y: total[y] + effect[y] for y in years}
    plines.append(Line("total", "Samlet besparelse", "total", total, src, "derived"))
    fractions = {y: ph[y].fraction for y in years}
    return InitiativeCase(key, ini.title, rows, Table(f"initiative_{key}", ini.title, years, plines), fractions, val.persons)


def _sub_tables(s: Scenario, table: Any, years: list[int]) -> list[Table]:
    """The reform memo's sub-tables from the engines' details (budgetgaranti parts, mentor, driftsloft):
    every figure computed from its causes."""
    out: list[Table] = []
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
            lines = [Line(k, ser.label or k, "line", {y: ser.dkk(y) for y in years}, ser.source, ser.status.value) for k, ser in part.lines.items()]
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
