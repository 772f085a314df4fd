"""The one place a scenario meets the law: a loaded scenario and the rate book become one typed
set of model inputs (:class:`Compiled`).

- the law: the rate book with the scenario's ``law.overrides`` laid over it, read through a
  recording book (every rate value an engine reads is cited in the memo's Kilder), and the
  pricing dates: every week by the law in force that week, or every week by the law of
  ``law.as_if``;
- the caseload cells (group × activation × duration band × year, with the benefit level of the
  year);
- the initiatives as changes to the caseload (:class:`budgetmodel.financing.initiative.InitiativeSpec`),
  each checked: more participants than the group can place, more offers cut than are bought, a
  start outside the scenario's years, staff without a wage or a wage without staff;
- the budget inputs of the caps engines (budgetgaranti, mentorramme, driftsloft, fixed lines);
- the record of every scenario input and rate value used.

Every problem is reported at once with the scenario file, line and field it comes from.
``budgetmodel validate`` runs this step, so whatever ``run``, ``businesscase``, ``compare`` or
``optimise`` would refuse, ``validate`` refuses first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from budgetmodel import fmt
from budgetmodel.codes import ACTIVATION_EXPENSE, CODE_NAMES, COMPANY_ACTIVATIONS
from budgetmodel.draws import Num, any_, first_bad, num, ratio, vmax, vmin, where
from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.aggregate import WeekPricing
from budgetmodel.financing.refund_rules import law_span, operating_refund
from budgetmodel.financing.initiative import InitiativeSpec, Move, OfferLine, OfferRefundRule, active_weeks, add_months
from budgetmodel.rates.book import RateBook, RateTable, RateValue
from budgetmodel.rates.schema import parse_band
from budgetmodel.scenario.load import LoadedScenario, compose_cached, lookup_rate, rate_refs
from budgetmodel.scenario.schema import Initiative, RateRef, Scenario, Series, Sourced

AGE_LABEL = {"under_30": "under 30 år", "over_30": "over 30 år", "alle": "alle aldre"}
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


# ---------------------------------------------------------------------------------------------
# the record of rates and inputs used


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

    def __init__(self, book: RateBook, log: dict[tuple, RateValue] | None = None):
        self.log: dict[tuple, RateValue] = log if log is not None else {}
        super().__init__({k: _RecordingTable(t, self.log) for k, t in book.tables.items()}, book.root, getattr(book, "overrides", ()))  # type: ignore[misc]
        self._fingerprint = book.fingerprint
        self.inner = book  # for engines that read whole tables (they cite through explicit lookups)

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    def used(self) -> list[RateValue]:
        return sorted(self.log.values(), key=lambda v: (v.table_id, sorted(v.where.items()), v.valid_from))


def inner_book(book: RateBook) -> RateBook:
    return book.inner if isinstance(book, RecordingBook) else book


@dataclass(frozen=True)
class UsedInput:
    path: str
    label: str
    value: Any  # number, or {year: number}
    unit: str
    source: str
    status: str
    note: str


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

    def value(self, path: str, label: str = "", unit: str = "", year: int | None = None) -> Num:
        """The number at ``path`` (a float; the array of draws a sensitivity run placed there)."""
        node = self._node(path)
        if isinstance(node, Sourced):
            self.used.setdefault(path, UsedInput(path, label or path, node.value, unit, node.source, node.status.value, node.note))
            return num(node.value)
        if isinstance(node, RateRef):
            return lookup_rate(self.s, node, self.book, year)[0]  # the recording book notes the RateValue
        if isinstance(node, list) and node and all(isinstance(x, RateRef) for x in node):
            return sum(lookup_rate(self.s, ref, self.book, year)[0] for ref in node)
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
# compiled inputs


@dataclass(frozen=True)
class LawBasis:
    """Which law prices the scenario: every week by the law in force that week, or (``as_if``)
    every week by the law of one date."""

    as_if: dt.date | None
    overrides: int = 0

    def describe(self) -> str:
        from budgetmodel.fmt import date_da as da_date

        if self.as_if is not None:
            text = f"Alle budgetår er regnet efter lovgivningen pr. {da_date(self.as_if)} (scenariets law.as_if), også uger, hvor anden lov var eller er i kraft."
        else:
            text = "Hver uge i budgetårene er prissat efter lovgivningen i kraft i den uge (fx 2014-reglerne til og med 3. januar 2016 og refusionstrappen derefter)."
        if self.overrides:
            text += f" Scenariet ændrer {self.overrides} satsværdi(er) i forhold til gældende lov (law.overrides, status reform)."
        return text


@dataclass(frozen=True)
class Cell:
    """Helårspersoner of one caseload group in one activation type and duration band in a year."""

    group: str
    year: int
    benefit: str
    activation: str
    band: str
    helaarspersoner: float
    level_dkk_per_helaarsperson: float


@dataclass
class Compiled:
    loaded: LoadedScenario
    book: RecordingBook
    inputs: Inputs
    law: LawBasis
    years: list[int]
    initiatives: list[InitiativeSpec]
    budget: Any  # financing.inputs.BudgetLinesInput (without the initiatives; the run adds their lines)
    pricing: WeekPricing
    notes: list[str] = field(default_factory=list)
    grants: dict[int, Any] = field(default_factory=dict)  # budget.beskaeftigelsestilskud by grant year (financing.beskaeftigelsestilskud.GrantYear)
    reform_lines: dict[tuple[str, str], Any] = field(default_factory=dict)  # (part, line) → ComputedReformLine: the reform lines computed from caseload and law
    _cells: list[Cell] | None = None

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @property
    def cells(self) -> list[Cell]:
        """The caseload cells (built when first asked: a sensitivity run may not price the caseload)."""
        if self._cells is None:
            self._cells = _cells(self.inputs)
        return self._cells

    def year_weeks(self, year: int) -> tuple[tuple[dt.date, float], ...]:
        """The weeks of a full budget year with their weights (Σ = 1)."""
        return active_weeks(year)

    def group_share(self, group: str, activation: str, year: int, weeks=None, bands: dict[str, float] | None = None) -> float:
        """The state's average share of one group's benefit in ``activation`` over a year's weeks
        (default: all of them) and duration bands (default: the group's duration mix)."""
        g = self.scenario.municipality.caseload.groups[group]
        weeks = weeks if weeks is not None else active_weeks(year)
        if bands is None:
            bands = {b: num(v.value) for b, v in g.duration.items()}
        total_w = sum(w for _, w in weeks)
        total_b = sum(bands.values())
        if total_w <= 0 or total_b <= 0:
            return 0.0
        self.pricing.prepare([(m, g.benefit, activation, b) for m, _ in weeks for b in bands])
        s = sum(w * share * self.pricing.benefit_share(m, g.benefit, activation, b) for m, w in weeks for b, share in bands.items())
        return s / (total_w * total_b)


class _Located:
    """Problems by scenario location; mapped to file and line only when there are any."""

    def __init__(self, loaded: LoadedScenario):
        self.loaded = loaded
        self.items: list[tuple[tuple, str]] = []

    def add(self, loc: tuple, message: str) -> None:
        self.items.append((tuple(loc), message))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        c = compose_cached(self.loaded)
        out = []
        for loc, message in self.items:
            file, line = c.where(loc)
            out.append(Problem(file, line, ".".join(map(str, loc)), message))
        raise InputError(out)


_SHARE_CACHES: dict[tuple, WeekPricing] = {}
_REFS_CHECKED: set[tuple] = set()
_OVERLAYS: dict[tuple, RateBook] = {}


def compile_scenario(loaded: LoadedScenario, book: RateBook) -> Compiled:
    """The loaded scenario and the rate book as the model's inputs (see the module doc); an
    InputError lists every problem with file, line and field."""
    s = loaded.scenario
    pr = _Located(loaded)
    law_book = _law_book(book, s, loaded, pr)
    pr.raise_if_any()
    _check_law_span(inner_book(law_book), s, pr)
    pr.raise_if_any()
    rec = law_book if isinstance(law_book, RecordingBook) else RecordingBook(law_book)
    checked = (loaded.input_hash, id(rec), rec.fingerprint)
    if checked not in _REFS_CHECKED:  # sensitivity variants change values, never rate references
        for loc, ref in rate_refs(s):
            for year in s.years:
                try:
                    lookup_rate(s, ref, rec, year)
                except KeyError as exc:
                    pr.add(loc, str(exc.args[0]))
                    break
        pr.raise_if_any()
        if len(_REFS_CHECKED) > 256:
            _REFS_CHECKED.clear()
        _REFS_CHECKED.add(checked)
    inp = Inputs(s, rec)
    law = LawBasis(s.law.as_if, len(s.law.overrides))
    for key, change in s.law.changes.items():
        inp.record(f"law.changes.{key}", change.title, change.in_force.isoformat(), "date", change.source, "law", change.note)
    for i, o in enumerate(s.law.overrides):
        inp.record(f"law.overrides.{i}", f"Ændret sats: {o.table} {o.where}", o.value, "", o.source, "reform", o.note)
    notes: list[str] = []
    pool = s.municipality.driftsloft_pool
    basis = s.budget.driftsloft.basis if s.budget.driftsloft is not None else "genberegnet"
    pricing = _shared_pricing(inner_book(rec), rec.fingerprint, s.law.as_if).with_offer_rule(_offer_rule(rec, pool, basis, notes))
    initiatives = [_initiative(k, ini, inp, pr) for k, ini in s.initiatives.items()]
    pr.raise_if_any()
    reform_lines = _reform_lines(inp, pr, pricing, book, rec, pool, basis)
    pr.raise_if_any()
    from budgetmodel.scenario.beskaeftigelsestilskud_inputs import grants as bt_grants

    grants = bt_grants(inp)
    budget = _budget_input(inp, grants, reform_lines)
    return Compiled(loaded, rec, inp, law, list(s.years), [i for i in initiatives if i is not None], budget, pricing, notes, grants, reform_lines)


def _check_law_span(book: RateBook, s: Scenario, pr: _Located) -> None:
    """Every week priced lies in the law's span (refund_rules.law_span): the first and last ISO
    week of each budget year, or the ``law.as_if`` date, which then prices every year."""
    span = law_span(book)
    if s.law.as_if is not None:
        why = span.why_not(s.law.as_if)
        if why:
            pr.add(("law", "as_if"), why)
        return
    for y in s.years:
        weeks = range(1, dt.date(y, 12, 28).isocalendar()[1] + 1)
        why = next((w for w in (span.why_not_week(dt.date.fromisocalendar(y, k, 1), f"budgetåret {y} ({y}-W{k:02d})") for k in weeks) if w), None)
        if why:
            pr.add(("years",), why)


def _shared_pricing(inner: RateBook, fingerprint: str, as_if: dt.date | None) -> WeekPricing:
    """The week pricing of a rate book and law date, kept across compiles (its remembered shares:
    sensitivity runs compile the same scenario thousands of times)."""
    key = (id(inner), fingerprint, as_if)
    got = _SHARE_CACHES.get(key)
    if got is None or got.book is not inner:
        got = WeekPricing(inner, as_if)
        if len(_SHARE_CACHES) > 32:
            _SHARE_CACHES.clear()
        _SHARE_CACHES[key] = got
    return got


def _law_book(book: RateBook, s: Scenario, loaded: LoadedScenario, pr: _Located) -> RateBook:
    """The rate book with the scenario's law.overrides laid over it (budgetmodel.rates' overlay:
    its own fingerprint; each override checked like a rate value, at its file and line)."""
    if not s.law.overrides:
        return book
    base = inner_book(book)
    key = (id(base), base.fingerprint, loaded.input_hash)
    if key in _OVERLAYS:  # sensitivity variants change values, never the overrides
        return _OVERLAYS[key]
    c = compose_cached(loaded)
    file, _ = c.where(("law", "overrides"))
    raw = [{**{k: v for k, v in o.model_dump().items() if v is not None or k != "valid_to"}, "where": {k: str(v) for k, v in o.where.items()}} for o in s.law.overrides]
    try:
        got = base.with_overrides(raw, file=file, locate=lambda loc: c.where(loc)[1])
    except InputError as exc:
        for p in exc.problems:
            parts = tuple(int(x) if x.isdigit() else x for x in p.field.split(".")) if p.field else ("law", "overrides")
            pr.add(parts, p.message)
        return book
    if len(_OVERLAYS) > 32:
        _OVERLAYS.clear()
    _OVERLAYS[key] = got
    return got


def _offer_rule(book: RateBook, pool: Any, basis: str, notes: list[str]):
    """The refund of an offer's operating costs at a date, through the rate book: the rate by
    target group, expense and benefit month (rates/refusion_driftsudgifter), and the driftsloft
    pool it counts in (rates/driftsloft, driftsloft_gruppe, driftsloft_omfattet)."""
    memo: dict[tuple, OfferRefundRule] = {}

    def rule(at: dt.date, o: OfferLine) -> OfferRefundRule:
        key = (at, o.target_group, o.activation, o.benefit_month)
        if key in memo:
            return memo[key]
        expense = ACTIVATION_EXPENSE.get(o.activation)
        r = OfferRefundRule(0.0)
        if expense is not None:
            try:  # the refund gateway: the law's share at the date, and whether the driftsloft applies
                got = operating_refund(book, target_group=o.target_group, expense=expense, benefit_month=o.benefit_month, at=at)
            except KeyError:
                got = None  # no refund of operating costs in force for this expense at this date
            share = got.share if got is not None else 0.0
            r = OfferRefundRule(share)
            if share > 0 and got.within_driftsloft and pool is not None and pool.operating_expenses_dkk is not None:
                try:
                    group = str(book.value("driftsloft_gruppe", at, target_group=o.target_group))
                    loft = float(book.value("driftsloft", at, loft_group=group, basis=basis))
                    r = OfferRefundRule(share, group, loft * num(pool.helaarspersoner.value), num(pool.operating_expenses_dkk.value))
                except KeyError:
                    pass  # no loft in force: the change is refunded at the share
            elif share > 0 and got.within_driftsloft and not any("driftsloft_pool" in n for n in notes):
                notes.append("Scenariet oplyser ikke driftsudgifterne i loftspuljen (municipality.driftsloft_pool): ændrede køb refunderes med den fulde sats, som om udgifterne ligger under driftsloftet.")
        memo[key] = r
        return r

    return rule


# ---------------------------------------------------------------------------------------------
# caseload


def _growth(inp: Inputs) -> dict[int, float]:
    years = list(inp.s.years)
    g = inp.value("assumptions.caseload_growth", "Årlig vækst i sagsstammen", "share")
    return {y: (1.0 + g) ** (y - years[0]) for y in years}


def _activation_mix(inp: Inputs, key: str) -> dict[str, float]:
    g = inp.s.municipality.caseload.groups[key]
    gp = f"municipality.caseload.groups.{key}"
    act = {a: inp.value(f"{gp}.activation.{a}", f"Andel i {ACTIVATION_DA.get(a, a)}: {g.label}", "share") for a in g.activation if a != "none"}
    none = inp.value(f"{gp}.activation.none", "", "share") if "none" in g.activation else vmax(0.0, 1.0 - sum(act.values()))
    return {**act, "none": none}


def _cells(inp: Inputs) -> list[Cell]:
    s = inp.s
    growth = _growth(inp)
    out: list[Cell] = []
    for key, g in s.municipality.caseload.groups.items():
        if g.benefit_dkk_per_helaarsperson is None or not g.duration:
            continue
        gp = f"municipality.caseload.groups.{key}"
        hp = inp.value(f"{gp}.helaarspersoner", f"Helårspersoner: {g.label}", "count")
        mix = _activation_mix(inp, key)
        dur = {band: inp.value(f"{gp}.duration.{band}", f"Andel i uge {band}: {g.label}", "share") for band in g.duration}
        for y in s.years:
            level = inp.value(f"{gp}.benefit_dkk_per_helaarsperson", f"Ydelse pr. helårsperson: {g.label}", "dkk", year=y)
            for a, ashare in mix.items():
                for band, dshare in dur.items():
                    n = hp * growth[y] * ashare * dshare
                    if any_(n > 0):  # a draw with no one in the cell adds 0
                        out.append(Cell(key, y, g.benefit, a, band, where(n > 0, n, 0.0), level))
    return out


# ---------------------------------------------------------------------------------------------
# initiatives


def _da(x: float) -> str:
    """A number in a message as a Danish reader writes it, to two decimals: 374,09; 0,6; 1.250."""
    text = fmt.number(float(x), 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def _band_of(bands: list[str], week: int) -> str | None:
    for b in bands:
        lo, hi = parse_band(b)
        if week >= lo and (hi is None or week <= hi):
            return b
    return None


def _initiative(key: str, ini: Initiative, inp: Inputs, pr: _Located) -> InitiativeSpec | None:
    s = inp.s
    base = ("initiatives", key)
    bp = f"initiatives.{key}"
    groups = s.municipality.caseload.groups
    if ini.target_group not in groups:
        return None  # load's cross-check names it
    g = groups[ini.target_group]
    gp = f"municipality.caseload.groups.{ini.target_group}"
    years = list(s.years)
    ok = True

    # when
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    if not first <= ini.start <= last:
        pr.add((*base, "start"), f"initiativet starter {ini.start.isoformat()}, uden for scenariets år {years[0]}-{years[-1]}")
        ok = False
    end = add_months(ini.start, ini.duration_months)

    # staff and wage
    staff_label = ini.staff_label or "medarbejdere"
    n_staff = inp.value(f"{bp}.staff_count", f"Antal {staff_label}", "count")
    if ini.wage_dkk_per_staff is not None:
        wage = inp.value(f"{bp}.wage_dkk_per_staff", f"Løn pr. {staff_label.rstrip('e') or 'medarbejder'} (årsværk)", "dkk")
        wage_loc = (*base, "wage_dkk_per_staff")
    elif ini.wage_dkk_per_year is not None:
        total = inp.value(f"{bp}.wage_dkk_per_year", f"Årlig lønudgift for {staff_label} i alt", "dkk")
        wage = ratio(total, n_staff)
        wage_loc = (*base, "wage_dkk_per_year")
        if any_(bad := (n_staff == 0) & (total > 0)):
            (t,) = first_bad(bad, total)
            pr.add((*base, "staff_count"), f"en lønudgift på {t:,.0f} kr. uden medarbejdere: staff_count er 0".replace(",", "."))
            ok = False
    else:
        wage = inp.value("municipality.prices.wage_dkk_per_aarsvaerk", "Løn pr. årsværk", "dkk")
        wage_loc = ("municipality", "prices", "wage_dkk_per_aarsvaerk")
    if any_(bad := (n_staff > 0) & (wage <= 0)):
        (n,) = first_bad(bad, n_staff)
        pr.add(wage_loc if wage_loc[0] == "initiatives" else (*base, "staff_count"), f"{n:g} medarbejdere uden løn: giv wage_dkk_per_staff eller municipality.prices.wage_dkk_per_aarsvaerk")
        ok = False
    if ini.wage_dkk_per_staff is not None and any_((n_staff == 0) & (wage > 0)):
        pr.add((*base, "staff_count"), "en løn pr. medarbejder, men ingen medarbejdere: staff_count er 0")
        ok = False

    # participants and where they come from
    if ini.persons_per_staff is not None:
        participants = n_staff * inp.value(f"{bp}.persons_per_staff", f"Deltagere pr. {staff_label.rstrip('e') or 'medarbejder'}", "count")
        p_loc = (*base, "persons_per_staff")
    else:
        participants = inp.value(f"{bp}.participants", "Deltagere i alt", "count")
        p_loc = (*base, "participants")
    if g.benefit_dkk_per_helaarsperson is None:
        pr.add((*base, "target_group"), f"gruppen '{ini.target_group}' har ingen ydelse pr. helårsperson ({gp}.benefit_dkk_per_helaarsperson)")
        return None
    hp = inp.value(f"{gp}.helaarspersoner", f"Helårspersoner: {g.label}", "count")
    mix = _activation_mix(inp, ini.target_group)
    company_now = hp * sum(v for a, v in mix.items() if a in COMPANY_ACTIVATIONS)
    if ini.to_activation in COMPANY_ACTIVATIONS:
        share = inp.value(f"{gp}.placeable_share", f"Andel der kan placeres: {g.label}", "share") if g.placeable_share is not None else 1.0
        room = share * hp - company_now
        what = "{share} × {hp} helårspersoner, der kan placeres i virksomhedsrettede tilbud, − {company_now} der allerede er i dem"
    else:
        if g.activatable_share is not None:
            share = inp.value(f"{gp}.activatable_share", f"Andel der kan aktiveres: {g.label}", "share")
        else:  # the STAR 2018 derivation, or a required input (issue 15; unitcost.passivity)
            share = _activatable_default(inp, pr, gp, g, hp)
            if share is None:
                return None
        room = share * hp - hp * sum(v for a, v in mix.items() if a != "none")
        what = "{share} × {hp} helårspersoner, der kan aktiveres, − dem, der allerede er i tilbud"
    if any_(bad := participants > room + 1e-9):  # one draw above the room refuses the draw set
        n, r, sh, h, c = first_bad(bad, participants, room, share, hp, company_now)  # the first such draw
        said = {"share": _da(sh), "hp": _da(h), "company_now": _da(c)}
        pr.add(p_loc, f"{_da(n)} deltagere, men gruppen '{g.label}' kan kun tage {fmt.number(max(r, 0.0), 1)} flere i {ACTIVATION_DA.get(ini.to_activation, ini.to_activation)} ({what.format(**said)})")
        ok = False

    bands = list(g.duration)
    dur = {b: inp.value(f"{gp}.duration.{b}", f"Andel i uge {b}: {g.label}", "share") for b in bands}
    if ini.participant_week is not None:
        band = _band_of(bands, ini.participant_week) if bands else str(ini.participant_week)
        if band is None:
            pr.add((*base, "participant_week"), f"uge {ini.participant_week} ligger ikke i gruppens varighedsbånd ({', '.join(bands)})")
            return None
        per_band = {band: participants}
    elif bands:
        per_band = {b: participants * v for b, v in dur.items()}
    else:
        pr.add((*base, "participant_week"), f"giv participant_week (deltagernes uge på ydelse) eller en varighedsfordeling for gruppen '{ini.target_group}'")
        return None
    moves: list[Move] = []
    for band, persons in per_band.items():
        if not any_(persons > 0):
            continue
        persons = where(persons > 0, persons, 0.0)  # a draw with no participants in the band moves no one
        in_band = hp * dur.get(band, 1.0)
        avail = {a: where(v > 0, in_band * v, 0.0) for a, v in mix.items() if a not in COMPANY_ACTIVATIONS and a != ini.to_activation and any_(v > 0)}
        total = sum(avail.values())
        if any_(bad := persons > total + 1e-9):
            n, t = first_bad(bad, persons, total)
            pr.add(p_loc, f"{n:g} deltagere i uge {band}, men gruppen '{g.label}' har kun {t:.1f} helårspersoner i uge {band} uden for virksomhedsrettede tilbud")
            ok = False
            continue
        # first from the activation the initiative names, the rest from the others in proportion
        first_take = vmin(persons, avail.get(ini.from_activation, 0.0))
        if any_(first_take > 0):
            moves.append(Move(ini.from_activation, band, where(first_take > 0, first_take, 0.0)))
        rest = persons - first_take
        others = {a: v for a, v in avail.items() if a != ini.from_activation}
        o_total = sum(others.values())
        rest = where((rest > 1e-12) & (o_total > 0), rest, 0.0)
        if any_(rest > 0):
            for a, v in others.items():
                moves.append(Move(a, band, ratio(rest * v, o_total)))

    # offers bought more or less
    month = ini.participant_benefit_month
    if month is None:
        month = ((ini.participant_week - 1) * 12) // 52 + 1 if ini.participant_week is not None else 1
    prices = s.municipality.prices.helaarstilbud_dkk
    offers: list[OfferLine] = []
    for age, red in ini.offer_reductions.items():
        loc = (*base, "offer_reductions", age)
        keys = [k for k, gg in groups.items() if gg.target_group == g.target_group and gg.age == age]
        if len(keys) != 1:
            pr.add(loc, f"fandt {len(keys)} grupper med målgruppen {g.target_group} og alder {age}; der skal være præcis én (eller brug offers: med group)")
            ok = False
            continue
        n = inp.value(f"{bp}.offer_reductions.{age}.helaarstilbud", f"Færre helårstilbud, {AGE_LABEL[age]}", "count")
        if red.price_dkk is not None:
            price = inp.value(f"{bp}.offer_reductions.{age}.price_dkk", f"Pris pr. helårstilbud, {AGE_LABEL[age]}", "dkk")
        elif age in prices:
            price = inp.value(f"municipality.prices.helaarstilbud_dkk.{age}", f"Pris pr. helårstilbud, {AGE_LABEL[age]}", "dkk")
        else:
            continue  # load's cross-check names the missing price
        o = OfferLine(f"{key}.{age}", AGE_LABEL[age], keys[0], g.target_group, ini.from_activation, -n, price, month)
        ok &= _check_bought(inp, o, (*loc, "helaarstilbud"), pr)
        offers.append(o)
    for i, oc in enumerate(ini.offers):
        loc = (*base, "offers", i)
        if oc.group not in groups:
            pr.add((*loc, "group"), f"ukendt gruppe '{oc.group}' (kendte: {', '.join(groups)})")
            ok = False
            continue
        og = groups[oc.group]
        n = inp.value(f"{bp}.offers.{i}.helaarstilbud", f"Ændring i helårstilbud, {og.label}", "count")
        if oc.price_dkk is not None:
            price = inp.value(f"{bp}.offers.{i}.price_dkk", f"Pris pr. helårstilbud, {og.label}", "dkk")
        elif og.age in prices:
            price = inp.value(f"municipality.prices.helaarstilbud_dkk.{og.age}", f"Pris pr. helårstilbud, {AGE_LABEL[og.age]}", "dkk")
        else:
            pr.add((*loc, "price_dkk"), f"ingen pris: giv price_dkk eller municipality.prices.helaarstilbud_dkk.{og.age}")
            ok = False
            continue
        o = OfferLine(f"{key}.offers.{i}", f"{ACTIVATION_DA.get(oc.activation, oc.activation)}, {og.label.lower()}", oc.group, og.target_group, oc.activation, n, price, oc.benefit_month or month)
        ok &= _check_bought(inp, o, (*loc, "helaarstilbud"), pr)
        offers.append(o)

    if ini.duration_effect is not None:
        effect = inp.value(f"{bp}.duration_effect", "Kortere tid på ydelse for deltagerne (andel)", "share")
    else:
        effect = inp.value("assumptions.duration_effect", "Kortere tid på ydelse for deltagere (andel)", "share")
    if not ok:
        return None
    levels = {y: inp.value(f"{gp}.benefit_dkk_per_helaarsperson", f"Ydelse pr. helårsperson ({g.label})", "dkk", year=y) for y in years}
    return InitiativeSpec(
        key=key,
        title=ini.title,
        staff_label=staff_label,
        staff_count=n_staff,
        wage_dkk_per_staff=wage,
        group=ini.target_group,
        group_label=g.label,
        benefit=g.benefit,
        benefit_label=g.benefit_label or "ydelsen pr. helårsperson",
        to_activation=ini.to_activation,
        participants=participants,
        moves=tuple(moves),
        effect=effect,
        offers=tuple(offers),
        start=ini.start,
        duration_months=ini.duration_months,
        levels=levels,
        weeks={y: active_weeks(y, ini.start, end) for y in years},
    )


def _check_bought(inp: Inputs, o: OfferLine, loc: tuple, pr: _Located) -> bool:
    """Fewer offers than the group buys today (its purchases of that type)."""
    if not any_(o.helaarstilbud < 0):
        return True
    g = inp.s.municipality.caseload.groups[o.group]
    bought = inp.value(f"municipality.caseload.groups.{o.group}.purchases.{o.activation}", f"Køb af {ACTIVATION_DA.get(o.activation, o.activation)}: {g.label}", "count") if o.activation in g.purchases else 0.0
    if any_(bad := -o.helaarstilbud > bought + 1e-9):  # one draw cutting more than is bought refuses the draw set
        cut, b = first_bad(bad, -o.helaarstilbud, bought)
        pr.add(loc, f"{cut:g} færre helårstilbud {ACTIVATION_DA.get(o.activation, o.activation)}, men gruppen '{g.label}' køber kun {b:g} (municipality.caseload.groups.{o.group}.purchases.{o.activation})")
        return False
    return True


# ---------------------------------------------------------------------------------------------
# budget inputs of the caps engines


def budgetgaranti_input(inp: Inputs, reform_lines: dict[tuple[str, str], Any] | None = None) -> Any:
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
            lines={
                ln.label or k: (
                    {y: v.dkk for y, v in reform_lines[(key, k)].years.items()}
                    if ln.computed is not None and reform_lines
                    else inp.series(ln.same_as or f"{p}.lines.{k}", f"{part.title}: {ln.label or k}")
                )
                for k, ln in part.lines.items()
            },
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


def _budget_input(inp: Inputs, grants: dict[int, Any], reform_lines: dict[tuple[str, str], Any]) -> Any:
    """The caps engines' BudgetLinesInput (reform, mentor, driftsloft, ØVO/mentor limit, fixed
    lines); the run adds each initiative's line, valued as a change to the caseload."""
    from budgetmodel.financing import inputs as fi

    s = inp.s
    years = list(s.years)
    b = s.budget
    bg = budgetgaranti_input(inp, reform_lines)
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
        fixed.append(fi.FixedLine(key=key, label=ser.label or key, dkk=inp.series(f"budget.fixed_lines.{key}"), source=ser.source, status=ser.status.value))
    from budgetmodel.scenario.beskaeftigelsestilskud_inputs import beskaeftigelsestilskud_line

    bt = beskaeftigelsestilskud_line(inp, grants)
    return fi.BudgetLinesInput(
        computed_lines=[bt] if bt is not None else [],
        years=years,
        law_date=s.law.as_if,
        budgetgaranti=bg,
        mentor=mentor,
        driftsloft=driftsloft,
        oevo_mentor=oevo_mentor,
        fixed_lines=fixed,
    )


# ---------------------------------------------------------------------------------------------
# reform lines computed from the caseload and the law


@dataclass(frozen=True)
class ComputedReformLine:
    """A reform line the model computed (budget.budgetgaranti.parts.P.lines.L.computed): its spec,
    its value by year (financing.reform_line.ReformLineYear) and how it was priced, in Danish."""

    spec: Any  # financing.reform_line.ReformLineSpec
    years: dict[int, Any]
    working: str


def cite_benefit_rules(book: RateBook, years: list[int], as_if: dt.date | None, keys: set[tuple[str, str, str]]) -> None:
    """Ask the refund gateway for the shares of (benefit, activation, band) at the first Monday of
    each month of the years (or the as_if date) through a recording book, so the memo cites the
    rate values that priced them (the aggregate path reads the rules as dense arrays)."""
    from budgetmodel.financing.refund_rules import benefit_share

    dates: set[dt.date] = set()
    for y in years:
        for m in range(1, 13):
            d = dt.date(y, m, 1)
            dates.add(as_if or d + dt.timedelta(days=(7 - d.weekday()) % 7))
    for at in sorted(dates):
        for benefit, activation, band in sorted(keys):
            week = parse_band(str(band))[0]
            try:
                benefit_share(book, benefit=benefit, activation=activation, spell_week=week, count_week=week, at=at)
            except (KeyError, ValueError):
                continue  # the pricing itself reports a case the law does not cover


def _reform_lines(inp: Inputs, pr: _Located, pricing: WeekPricing, book: RateBook, rec: RecordingBook, pool: Any, basis: str) -> dict[tuple[str, str], ComputedReformLine]:
    """Every computed reform line valued: its caseload and expenses priced through the refund
    gateway under the scenario's law, and (old_law) under the old law: the rate book without the
    scenario's overrides, or the law of one date."""
    from budgetmodel.financing.reform_line import value_reform_line
    from budgetmodel.fmt import date_da

    s = inp.s
    bgs = s.budget.budgetgaranti
    out: dict[tuple[str, str], ComputedReformLine] = {}
    if bgs is None:
        return out
    pricings: dict[tuple, tuple[WeekPricing, RecordingBook]] = {}  # by old law: its pricing, and the book that cites it
    for part_key, part in bgs.parts.items():
        for key, ln in part.lines.items():
            if ln.computed is None:
                continue
            loc = ("budget", "budgetgaranti", "parts", part_key, "lines", key, "computed")
            spec = _reform_spec(inp, pr, loc, key, ln)
            if spec is None:
                continue
            old = None
            c = ln.computed
            if c.old_law is not None:
                if c.old_law.as_if is not None and (why := law_span(inner_book(book)).why_not(c.old_law.as_if)):
                    pr.add((*loc, "old_law", "as_if"), why)  # a date the law in rates/ does not cover
                    continue
                as_if = c.old_law.as_if or s.law.as_if
                k = (as_if, c.old_law.overrides)
                if k not in pricings:
                    base = inner_book(rec) if c.old_law.overrides else inner_book(book)
                    old_rec = RecordingBook(base, rec.log)  # its reads are cited with the scenario's
                    pricings[k] = (_shared_pricing(base, base.fingerprint, as_if).with_offer_rule(_offer_rule(old_rec, pool, basis, [])), old_rec)
                old, old_rec = pricings[k]
            try:
                years = value_reform_line(spec, list(s.years), pricing, old)
            except (KeyError, ValueError) as exc:
                pr.add(loc, f"linjen kan ikke prissættes efter loven: {exc.args[0] if exc.args else exc}")
                continue
            keys = {(cl.benefit, cl.activation, cl.band) for cl in spec.cells}
            cite_benefit_rules(rec, list(s.years), s.law.as_if, keys)
            if old is not None:
                cite_benefit_rules(old_rec, list(s.years), old.as_if, keys)
            what = " + ".join(x for x, on in (("helårspersoner × ydelse × (1 − statens andel)", spec.cells), ("driftsudgifter − refusion", spec.expenses)) if on)
            new_law = f"loven pr. {date_da(s.law.as_if)}" if s.law.as_if else "loven i kraft i hver uge"
            if s.law.overrides:
                new_law += " med scenariets lovændringer (law.overrides)"
            if old is not None:
                old_law = f"loven pr. {date_da(old.as_if)}" if old.as_if else "loven i kraft i hver uge"
                old_law += " med scenariets lovændringer" if c.old_law.overrides else (" uden scenariets lovændringer" if s.law.overrides else "")
                working = f"Beregnet: {what} efter {new_law} minus efter {old_law}, uge for uge gennem refusionsgatewayen"
            else:
                working = f"Beregnet: {what} efter {new_law}, uge for uge gennem refusionsgatewayen"
            out[(part_key, key)] = ComputedReformLine(spec, years, working)
    return out


def _reform_spec(inp: Inputs, pr: _Located, loc: tuple, key: str, ln: Any) -> Any:
    """A computed reform line's caseload cells and expenses as the valuation's input (kroner and
    helårspersoner by year, every value recorded); problems located."""
    from budgetmodel.financing.reform_line import BenefitCell, ExpenseCell, ReformLineSpec

    s = inp.s
    years = list(s.years)
    groups = s.municipality.caseload.groups
    p = ".".join(map(str, loc))
    label = ln.label or key
    cells: list[BenefitCell] = []
    ok = True
    for i, cell in enumerate(ln.computed.caseload):
        cp = f"{p}.caseload.{i}"  # every year is there: load checks every series
        g = None
        if cell.group is not None:
            if cell.group not in groups:
                ok = False  # load's cross-check names it
                continue
            g = groups[cell.group]
            if cell.benefit is not None and cell.benefit != g.benefit:
                pr.add((*loc, "caseload", i, "benefit"), f"gruppen '{cell.group}' er på {g.benefit}, ikke {cell.benefit}")
                ok = False
                continue
        benefit = cell.benefit or g.benefit  # type: ignore[union-attr]
        hp = inp.series(f"{cp}.helaarspersoner", f"{label}: helårspersoner ({CODE_NAMES.get(benefit, benefit)})")
        if cell.benefit_dkk_per_helaarsperson is not None:
            levels = {y: inp.value(f"{cp}.benefit_dkk_per_helaarsperson", f"{label}: ydelse pr. helårsperson", "dkk", year=y) for y in years}
        elif g is not None and g.benefit_dkk_per_helaarsperson is not None:
            gp = f"municipality.caseload.groups.{cell.group}"
            levels = {y: inp.value(f"{gp}.benefit_dkk_per_helaarsperson", f"Ydelse pr. helårsperson: {g.label}", "dkk", year=y) for y in years}
        else:
            pr.add((*loc, "caseload", i, "benefit_dkk_per_helaarsperson"), f"ingen ydelse pr. helårsperson: giv den her eller i municipality.caseload.groups.{cell.group}")
            ok = False
            continue
        if cell.activation is not None:
            acts = {cell.activation: 1.0}
        elif g is not None:
            acts = {a: where(v > 0, v, 0.0) for a, v in _activation_mix(inp, cell.group).items() if any_(v > 0)}
        else:
            acts = {"none": 1.0}
        if cell.band is not None:
            bands = {cell.band: 1.0}
        elif g is not None and g.duration:
            gp = f"municipality.caseload.groups.{cell.group}"
            bands = {b: inp.value(f"{gp}.duration.{b}", f"Andel i uge {b}: {g.label}", "share") for b in g.duration}
        else:
            pr.add((*loc, "caseload", i, "band"), f"giv band (varighedsbånd, fx '53+') eller en varighedsfordeling for gruppen '{cell.group}'")
            ok = False
            continue
        for a, av in acts.items():
            for b, bv in bands.items():
                if any_(av * bv > 0):  # a draw with an empty cell adds 0
                    cells.append(BenefitCell(benefit, a, b, {y: hp[y] * av * bv for y in years}, levels))
    expenses: list[ExpenseCell] = []
    for i, e in enumerate(ln.computed.expenses):
        ep = f"{p}.expenses.{i}"
        if e.activation not in ACTIVATION_EXPENSE:
            pr.add((*loc, "expenses", i, "activation"), f"'{e.activation}' er ikke en tilbudstype med driftsudgifter (kendte: {', '.join(ACTIVATION_EXPENSE)})")
            ok = False
            continue
        amount = inp.series(f"{ep}.amount", f"{label}: {e.label or 'driftsudgifter'}")
        expenses.append(ExpenseCell(e.label or key, key, e.target_group, e.activation, e.benefit_month, amount))
    if not ok:
        return None
    return ReformLineSpec(key, label, tuple(cells), tuple(expenses), ln.computed.old_law is not None)


def _activatable_default(inp: "Inputs", pr: Any, gp: str, g: Any, hp: float) -> float | None:
    """A caseload group's activatable share when the scenario gives none: derived from STAR 2018
    for the groups STAR covers (recorded as an assumption, so Forudsætninger shows the
    derivation), else a problem asking for the field."""
    from budgetmodel.unitcost.passivity import activatable_default, no_activatable_default

    missing = no_activatable_default(g.target_group, f"{gp}.activatable_share")
    if missing is not None:
        pr.add(tuple(int(p) if p.isdigit() else p for p in f"{gp}.activatable_share".split(".")), missing)
        return None
    lt = None if g.long_term_helaarspersoner is None else inp.value(f"{gp}.long_term_helaarspersoner", f"Langtidsmodtagere: {g.label}", "count")
    d = activatable_default(g.target_group, hp, lt)
    assert d is not None
    inp.record(f"{gp}.activatable_share", f"Andel der kan aktiveres: {g.label} (standard fra STAR 2018)", d.value, "share", d.source, "assumption", d.derivation)
    return d.value
