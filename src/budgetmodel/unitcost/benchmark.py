"""Benchmark a municipality against the fifteen jobcentres of the Mploy/Kibak benchmark (2013).

For one of the fifteen the published figures are shown as printed (Tabel 4.1 for the overview,
Tabel 4.2-4.12 for each area) and the derived figures (rank, staff-year gap, target-group mix)
are computed from them. A municipality outside the fifteen is benchmarked from a
:class:`~budgetmodel.unitcost.profile.UnitCostProfile` with its own årsværk and årspersoner.

Readings (see data/KNOWN_ISSUES.md):

* The headline productivity of an area is the Tabel 4.1 figure. The rank is computed among the
  values of the area's own table (4.2-4.12): the report's text ranks follow those tables where the
  two disagree (Haderslev's column of 4.1, Mariagerfjord's ledelse).
* Årsværk: Tabel 3.1 where the report prints it (Lyngby-Taarbæk, Varde). For the other thirteen
  they are estimated from Bilag I: total = productivity × JC-målgruppe (pct. of the 18-64-årige)
  × population; per area = the Bilag I resource share × total. These estimates reproduce the
  "Alle 15 JC" column of Tabel 3.1 to 0,05 pct.-point, and Lyngby-Taarbæk's and Varde's totals to
  under 1 pct.
* Ressourceforløb is measured per 1.000 årspersoner on kontanthjælp match 2-3, sygedagpenge,
  ledighedsydelse and revalidering (the only base that reproduces both Lyngby-Taarbæk's 2,5 and
  Varde's 1,4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from budgetmodel import fmt
from budgetmodel.errors import InputError, Problem
from budgetmodel.paths import data_dir
from budgetmodel.statistics.table import Cell, StatTable, load_tables
from budgetmodel.unitcost import method, names
from budgetmodel.unitcost.profile import HERAF, IN_TOTAL, UnitCostProfile

AVERAGE = "Gns. kommuner"
PRODUCTIVITY_UNIT = "aarsvaerk_pr_1000_aarspersoner"

# area code (row of Tabel 4.1) → (Danish label, area table id or None)
AREAS: dict[str, tuple[str, str | None]] = {
    "a_dagpenge": ("A-dagpenge", "mploy2013/tabel_4_02_a_dagpenge"),
    "uddannelsesydelse": ("Udd.- og arbejdsmarkedsydelse", "mploy2013/tabel_4_03_uddannelsesydelse"),
    "kontanthjaelp_match1": ("Kontanthjælp match 1", "mploy2013/tabel_4_04_kontanthjaelp_match1"),
    "kontanthjaelp_match23": ("Kontanthjælp match 2-3", "mploy2013/tabel_4_05_kontanthjaelp_match23"),
    "revalidering": ("Revalidering", "mploy2013/tabel_4_08_revalidering"),
    "sygedagpenge": ("Sygedagpenge", "mploy2013/tabel_4_06_sygedagpenge"),
    "ledighedsydelse": ("Ledighedsydelse", "mploy2013/tabel_4_07_ledighedsydelse"),
    "ressourceforloeb": ("Ressourceforløb", "mploy2013/tabel_4_09_ressourceforloeb"),
    "administration": ("Administration", "mploy2013/tabel_4_11_administration"),
    "heraf_ledelse": ("Heraf ledelse", "mploy2013/tabel_4_12_ledelse"),
    "heraf_virksomhedsindsats": ("Heraf virksomhedsindsats", "mploy2013/tabel_4_10_virksomhedsindsats"),
    "heraf_puljer_loentilskud": ("Heraf puljer og løntilskud", None),
}
TARGET_AREAS = tuple(a for a in AREAS if a in IN_TOTAL or a == "ressourceforloeb")
# Ressourceforløb: årspersoner of these groups form the denominator (reading, see module doc).
RESSOURCEFORLOEB_BASE = ("kontanthjaelp_match23", "sygedagpenge", "ledighedsydelse", "revalidering")
# Bilag I forsørgelsestryk rows (the target-group mix) that exist per group.
MIX_GROUPS = ("a_dagpenge", "kontanthjaelp_match1", "kontanthjaelp_match23", "sygedagpenge", "ledighedsydelse", "revalidering")
QUALITY_ROWS = (
    "samtaleintensitet",
    "tilbudsintensitet",
    "virksomhedsrettet_tilbudsintensitet",
    "aktiveringsgrad",
    "virksomhedsrettet_aktiveringsgrad",
    "delvise_raskmeldinger",
    "job_og_uddannelsesrate",
)
TASK_LABELS = {
    "modtagelse": "Modtagelse og telefonvagt",
    "sagsbehandling": "Sagsbehandling",
    "virksomhedsindsats": "Virksomhedsindsats",
    "teamledelse": "Teamledelse",
}


@dataclass(frozen=True)
class BenchmarkData:
    """The Mploy/Kibak tables, loaded from data/mploy2013."""

    tables: dict[str, StatTable]
    municipalities: tuple[str, ...]

    @classmethod
    def load(cls, root: Path | str | None = None) -> "BenchmarkData":
        root = Path(root) if root is not None else data_dir()
        tables = load_tables(root, "mploy2013")
        t41 = tables.get("mploy2013/tabel_4_01")
        if t41 is None:
            raise InputError([Problem(str(root / "mploy2013"), None, "", "tabel_4_01.csv mangler")])
        munis = tuple(c for c in t41.number_columns if c != AVERAGE)
        problems = []
        for tid, t in tables.items():
            if tid.startswith("mploy2013/tabel_4") or tid == "mploy2013/bilag_1_noegletal":
                missing = [m for m in (*munis, AVERAGE) if m not in t.columns]
                if missing:
                    problems.append(Problem(str(t.path), None, "", f"kolonner mangler: {', '.join(missing)}"))
        for _, tid in AREAS.values():
            if tid is not None and tid not in tables:
                problems.append(Problem(str(root / f"{tid}.csv"), None, "", "tabellen mangler"))
        if "mploy2013/bilag_1_noegletal" not in tables:
            problems.append(Problem(str(root / "mploy2013/bilag_1_noegletal.csv"), None, "", "tabellen mangler"))
        if problems:
            raise InputError(problems)
        return cls(tables=tables, municipalities=munis)

    @property
    def t41(self) -> StatTable:
        return self.tables["mploy2013/tabel_4_01"]

    @property
    def bilag(self) -> StatTable:
        return self.tables["mploy2013/bilag_1_noegletal"]

    def area_table(self, area: str) -> StatTable | None:
        tid = AREAS[area][1]
        return self.tables[tid] if tid else None

    def tabel_3_1(self, municipality: str) -> StatTable | None:
        return self.tables.get(f"mploy2013/tabel_3_1_{names.slug(municipality)}")

    def find(self, name: str) -> str | None:
        return names.match(name, self.municipalities)

    def row_values(self, table: StatTable, code: str) -> dict[str, float]:
        """Values of one row for the fifteen (the document's dash read as 0: no resources)."""
        return {m: table.cell(code, m).or_zero() for m in self.municipalities if not table.cell(code, m).empty}


# --- results ---------------------------------------------------------------------------------------


@dataclass
class Compared:
    code: str
    label: str
    unit: str
    value: float | None
    average: float | None
    text: str | None = None  # the printed figure, where the value is published

    @property
    def diff(self) -> float | None:
        if self.value is None or self.average is None:
            return None
        return self.value - self.average

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "unit": self.unit,
            "value": self.value,
            "average": self.average,
            "difference": self.diff,
            "printed": self.text,
        }


@dataclass
class AreaResult:
    code: str
    label: str
    productivity: float | None
    average: float
    source: str
    rank: int | None = None
    rank_basis: str | None = None
    area_table_value: float | None = None
    aarsvaerk: float | None = None
    aarsvaerk_basis: str | None = None
    aarspersoner: float | None = None
    aarsvaerk_at_average: float | None = None
    gap: float | None = None
    discrepancy: str | None = None
    tasks: list[Compared] = field(default_factory=list)
    quality: list[Compared] = field(default_factory=list)

    @property
    def diff(self) -> float | None:
        return None if self.productivity is None else self.productivity - self.average

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "productivity": self.productivity,
            "average": self.average,
            "difference": self.diff,
            "rank": self.rank,
            "rank_basis": self.rank_basis,
            "source": self.source,
            "area_table_value": self.area_table_value,
            "discrepancy": self.discrepancy,
            "aarsvaerk": self.aarsvaerk,
            "aarsvaerk_basis": self.aarsvaerk_basis,
            "aarspersoner": self.aarspersoner,
            "aarsvaerk_at_average": self.aarsvaerk_at_average,
            "staff_gap_to_average": self.gap,
            "tasks": [t.as_dict() for t in self.tasks],
            "quality": [q.as_dict() for q in self.quality],
        }


@dataclass
class BenchmarkResult:
    municipality: str
    in_benchmark: bool
    peers: int
    total: AreaResult
    areas: list[AreaResult]
    quality: list[Compared]
    mix: dict[str, object] | None
    sources: list[str]
    notes: list[str]

    def differences(self) -> list[dict[str, object]]:
        """Where the municipality spends more or less than the peer average (areas and tasks),
        largest staff-year difference first where årsværk are known, else per 1.000 årspersoner."""
        rows: list[dict[str, object]] = []
        for a in self.areas:
            if a.diff is not None:
                rows.append(_difference(a.label, a.diff, a.gap))
            for t in a.tasks:
                if t.diff is not None and _is_top_task(t):
                    gap = t.diff * a.aarspersoner / method.PER if a.aarspersoner else None
                    rows.append(_difference(f"{a.label}: {t.label}", t.diff, gap))
        rows.sort(key=lambda r: (-(abs(r["aarsvaerk"]) if r["aarsvaerk"] is not None else -1.0), -abs(r["per_1000"]), r["what"]))  # type: ignore[arg-type]
        return rows

    def as_dict(self) -> dict[str, object]:
        diffs = self.differences()
        return {
            "municipality": self.municipality,
            "in_benchmark": self.in_benchmark,
            "peers": self.peers,
            "unit": "årsværk pr. 1.000 årspersoner (færre = højere produktivitet); rang 1 = højeste produktivitet",
            "total": self.total.as_dict(),
            "areas": [a.as_dict() for a in self.areas],
            "quality": [q.as_dict() for q in self.quality],
            "target_group_mix": self.mix,
            "spends_more_than_peers": [d for d in diffs if d["direction"] == "flere"],
            "spends_less_than_peers": [d for d in diffs if d["direction"] == "færre"],
            "sources": self.sources,
            "notes": self.notes,
        }


def _is_top_task(t: Compared) -> bool:
    """A task on the area's own base (not a sub-task, an age group or a financing 'heraf' row)."""
    return "." not in t.code and t.unit == PRODUCTIVITY_UNIT and not t.code.startswith("heraf")


def _difference(what: str, per_1000: float, aarsvaerk: float | None) -> dict[str, object]:
    rounded = round(per_1000, 6)
    direction = "flere" if rounded > 0 else "færre" if rounded < 0 else "samme"
    return {"what": what, "direction": direction, "per_1000": per_1000, "aarsvaerk": aarsvaerk}


# --- the fifteen -------------------------------------------------------------------------------------


def _cell_value(cell: Cell) -> float | None:
    if cell.empty:
        return None
    return cell.or_zero()


def _staff_from_tables(data: BenchmarkData, municipality: str) -> tuple[dict[str, float], str]:
    """Årsværk by Tabel 4.1 area code plus 'i_alt': Tabel 3.1 if printed, else the Bilag I estimate."""
    t31 = data.tabel_3_1(municipality)
    if t31 is not None:
        staff = {k: t31.cell(k, "aarsvaerk").or_zero() for k in t31.keys()}
        return staff, t31.title.split(":")[0] + " (" + t31.title.split(":", 1)[1].strip() + ")"
    b = data.bilag
    share = b.cell("forsoergelsestryk.jc_maalgruppe_i_alt", municipality).share
    pop = b.value("befolkning_18_64", municipality)
    prod = data.t41.value("produktivitet", municipality)
    if share is None or pop is None or prod is None:
        return {}, "ukendt"
    total = method.staff_at_rate(prod, share * pop)
    staff = {"i_alt": total}
    for code in b.keys():
        if code.startswith("ressourcefordeling.") and code != "ressourcefordeling.i_alt":
            s = b.cell(code, municipality).share
            if s is not None:
                staff[code.split(".", 1)[1]] = s * total
    return staff, "estimeret: produktivitet (Tabel 4.1) × JC-målgruppe × befolkning (Bilag I), fordelt med Bilag I's ressourcefordeling"


def _tasks_compared(data: BenchmarkData, table: StatTable, municipality: str) -> list[Compared]:
    out = []
    for code in table.keys():
        row = table.row(code)
        if code in ("produktivitet", "samlet", "i_alt") or not row.text("unit").startswith(PRODUCTIVITY_UNIT):
            continue
        c, a = table.cell(code, municipality), table.cell(code, AVERAGE)
        out.append(Compared(code, row.text("label").lstrip("-*"), row.text("unit"), _cell_value(c), _cell_value(a), c.text))
    return out


def _quality_compared(table: StatTable, municipality: str) -> list[Compared]:
    out = []
    for code in QUALITY_ROWS:
        if code not in table.keys():
            continue
        row = table.row(code)
        c, a = table.cell(code, municipality), table.cell(code, AVERAGE)
        out.append(Compared(code, row.text("label"), row.text("unit"), c.value, a.value, c.text))
    return out


def _sources(data: BenchmarkData) -> list[str]:
    docs = sorted({data.tables[t].document for t in data.tables if t.startswith(("mploy2013/tabel_4", "mploy2013/bilag"))})
    return [f"{d}: Tabel 4.1-4.12 og Bilag I" for d in docs]


def peer_mix(data: BenchmarkData) -> dict[str, float]:
    """The fifteen's average target-group mix: Bilag I 'Gns. kommuner' forsørgelsestryk by group."""
    return {g: data.bilag.cell(f"forsoergelsestryk.{g}", AVERAGE).value for g in MIX_GROUPS}  # type: ignore[misc]


def _mix(data: BenchmarkData, rates: dict[str, float], own_mix: dict[str, float]) -> dict[str, object]:
    """Target-group mix correction over the groups Bilag I gives a forsørgelsestryk for."""
    peer_mix_ = peer_mix(data)
    peer_rates = {g: data.t41.value(g, AVERAGE) for g in MIX_GROUPS}
    own = {g: rates[g] for g in MIX_GROUPS if g in rates}
    own_at_peer_mix = method.mix_weighted(own, peer_mix_)
    peers_at_peer_mix = method.mix_weighted(peer_rates, peer_mix_)
    peers_at_own_mix = method.mix_weighted(peer_rates, own_mix)
    own_at_own_mix = method.mix_weighted(own, own_mix)
    return {
        "groups": list(MIX_GROUPS),
        "own_mix": own_mix,
        "peer_mix": peer_mix_,
        "own_rates_at_own_mix": own_at_own_mix,
        "peer_rates_at_own_mix": peers_at_own_mix,
        "own_rates_at_peer_mix": own_at_peer_mix,
        "peer_rates_at_peer_mix": peers_at_peer_mix,
        "index_mix_corrected": own_at_peer_mix / peers_at_peer_mix,
        "note": "Målgruppekorrigeret: kommunens produktivitet pr. målgruppe vægtet med gennemsnittets "
        "målgruppesammensætning (forsørgelsestryk, Bilag I); indeks under 1 = færre årsværk end gennemsnittet "
        "ved samme sammensætning. Omfatter de seks målgrupper med forsørgelsestryk.",
    }


def benchmark(data: BenchmarkData, municipality: str) -> BenchmarkResult:
    """The published benchmark of one of the fifteen municipalities, with ranks, gaps and mix."""
    name = data.find(municipality)
    if name is None:
        raise KeyError(municipality)
    t41, b = data.t41, data.bilag
    staff, staff_basis = _staff_from_tables(data, name)
    aarspersoner_total = None
    total_prod = t41.value("produktivitet", name)
    if "i_alt" in staff:
        aarspersoner_total = method.aarspersoner_from(staff["i_alt"], total_prod)
    areas = []
    for code, (label, tid) in AREAS.items():
        cell = t41.cell(code, name)
        avg = t41.value(code, AVERAGE)
        table = data.area_table(code)
        res = AreaResult(code, label, cell.or_zero(), avg, f"Tabel 4.1 ({cell.text})")
        if table is not None:
            values = data.row_values(table, "produktivitet")
            res.area_table_value = values[name]
            res.rank = method.rank_position(values[name], values)
            res.rank_basis = table.title.split(":")[0]
            if table.cell("produktivitet", name).text != cell.text:
                res.discrepancy = (
                    f"Tabel 4.1 trykker {cell.text}, {res.rank_basis} trykker {table.cell('produktivitet', name).text} "
                    "(se data/KNOWN_ISSUES.md)"
                )
            res.tasks = _tasks_compared(data, table, name)
            res.quality = _quality_compared(table, name)
        else:
            values = data.row_values(t41, code)
            res.rank = method.rank_position(values[name], values)
            res.rank_basis = "Tabel 4.1"
        a = staff.get(code)
        rate = res.area_table_value or res.productivity  # the area's own figure where it has one
        if a is not None and rate:
            res.aarsvaerk = a
            res.aarsvaerk_basis = staff_basis
            if code in ("administration", "heraf_ledelse", "heraf_virksomhedsindsats", "heraf_puljer_loentilskud"):
                res.aarspersoner = aarspersoner_total
            else:
                res.aarspersoner = method.aarspersoner_from(a, rate)
            if res.aarspersoner is not None:
                res.aarsvaerk_at_average = method.staff_at_rate(avg, res.aarspersoner)
                res.gap = a - res.aarsvaerk_at_average
        areas.append(res)
    totals = data.row_values(t41, "produktivitet")
    total = AreaResult("i_alt", "I alt", total_prod, t41.value("produktivitet", AVERAGE), f"Tabel 4.1 ({t41.cell('produktivitet', name).text})")
    total.rank = method.rank_position(total_prod, totals)
    total.rank_basis = "Tabel 4.1"
    total.area_table_value = total_prod
    if "i_alt" in staff:
        total.aarsvaerk = staff["i_alt"]
        total.aarsvaerk_basis = staff_basis
        total.aarspersoner = aarspersoner_total
        total.aarsvaerk_at_average = method.staff_at_rate(total.average, aarspersoner_total)  # type: ignore[arg-type]
        total.gap = total.aarsvaerk - total.aarsvaerk_at_average
    own_mix = {g: b.cell(f"forsoergelsestryk.{g}", name).value for g in MIX_GROUPS}
    rates = {g: t41.value(g, name) for g in MIX_GROUPS}
    notes = [
        "Produktivitet = årsværk pr. 1.000 årspersoner i målgruppen; rang blandt de 15 kommuner i områdets egen tabel (4.2-4.12).",
        "Gennemsnittet er rapportens 'Gns. kommuner' (simpelt gennemsnit af de 15).",
        "Summen af målgruppernes årsværksforskelle er ikke lig forskellen i alt: gennemsnittene er simple gennemsnit og kan ikke lægges sammen.",
    ]
    if not staff_basis.startswith("Tabel 3.1"):
        notes.append("Årsværk er estimeret (rapporten trykker kun Tabel 3.1 for Lyngby-Taarbæk og Varde): " + staff_basis + ".")
    return BenchmarkResult(
        municipality=name,
        in_benchmark=True,
        peers=len(data.municipalities),
        total=total,
        areas=areas,
        quality=_quality_compared(t41, name),
        mix=_mix(data, rates, own_mix),
        sources=_sources(data) + ([data.tabel_3_1(name).citation()] if data.tabel_3_1(name) is not None else []),  # type: ignore[union-attr]
        notes=notes,
    )


# --- a municipality outside the fifteen ------------------------------------------------------------


def _rank_among_peers(data: BenchmarkData, table: StatTable, code: str, rate: float, own: str | None) -> int:
    """The place a profile's rate takes among the published figures of one row.

    The report ranks its printed figures (ties share a place), so the profile's rate is rounded
    to the row's printed decimals first; a municipality that is itself one of the fifteen is
    ranked against the other fourteen (its own printed figure is what the profile replaces).
    """
    cells = {m: table.cell(code, m) for m in data.municipalities if m != own and not table.cell(code, m).empty}
    decimals = max((c.decimals for c in cells.values() if c.value is not None), default=1)
    peers = {m: c.or_zero() for m, c in cells.items()}
    return method.rank_position(fmt.round_half_up(rate, decimals), peers)



def benchmark_profile(data: BenchmarkData, profile: UnitCostProfile) -> BenchmarkResult:
    """Place a municipality from its own profile among the fifteen."""
    t41 = data.t41
    groups = profile.target_groups
    total_persons = profile.total_aarspersoner()
    own = data.find(profile.municipality)  # a municipality among the fifteen is ranked against the other fourteen
    rates: dict[str, float] = {}
    areas: list[AreaResult] = []
    for code, (label, tid) in AREAS.items():
        table = data.area_table(code)
        avg = t41.value(code, AVERAGE)
        a: float | None = None
        persons: float | None = None
        basis = "profil"
        if code in groups:
            a = groups[code].aarsvaerk
            if code == "ressourceforloeb":
                base = [groups[g].aarspersoner for g in RESSOURCEFORLOEB_BASE if g in groups]
                persons = float(sum(base)) if base and all(p is not None for p in base) else None  # type: ignore[arg-type]
                basis = "profil; pr. 1.000 årspersoner på kontanthjælp match 2-3, sygedagpenge, ledighedsydelse og revalidering"
            else:
                persons = groups[code].aarspersoner
        elif code == "administration" and "administration" in profile.cross_cutting:
            a, persons = profile.cross_cutting["administration"], total_persons
        elif code.startswith("heraf_") and code[len("heraf_"):] in profile.heraf_aarsvaerk:
            a, persons = profile.heraf_aarsvaerk[code[len("heraf_"):]], total_persons  # type: ignore[index]
            basis = f"profil: heraf_aarsvaerk.{code[len('heraf_'):]}"
        elif code == "heraf_ledelse":
            team = [g.tasks["teamledelse"] for g in groups.values() if "teamledelse" in g.tasks]
            if team or "strategisk_ledelse" in profile.cross_cutting:
                a, persons = sum(team) + profile.cross_cutting.get("strategisk_ledelse", 0.0), total_persons
                basis = "profil: teamledelse (opgaver) + strategisk ledelse (heraf_aarsvaerk.ledelse er ikke angivet)"
        elif code == "heraf_virksomhedsindsats":
            virk = [g.tasks["virksomhedsindsats"] for g in groups.values() if "virksomhedsindsats" in g.tasks]
            if virk:
                a, persons = sum(virk), total_persons
                basis = "profil: virksomhedsindsats (opgaver)"
        if a is None or persons is None:
            continue
        rate = method.productivity(a, persons)
        rates[code] = rate
        res = AreaResult(code, label, rate, avg, basis, aarsvaerk=a, aarsvaerk_basis="profil", aarspersoner=persons)
        if table is not None:
            res.rank = _rank_among_peers(data, table, "produktivitet", rate, own)
            res.rank_basis = table.title.split(":")[0]
        else:
            res.rank = _rank_among_peers(data, t41, code, rate, own)
            res.rank_basis = "Tabel 4.1"
        res.aarsvaerk_at_average = method.staff_at_rate(avg, persons)
        res.gap = a - res.aarsvaerk_at_average
        if code in groups and groups[code].tasks and table is not None:
            for task, t_aarsvaerk in groups[code].tasks.items():
                avg_task = table.cell(task, AVERAGE)
                res.tasks.append(
                    Compared(task, TASK_LABELS[task], PRODUCTIVITY_UNIT, method.productivity(t_aarsvaerk, persons), _cell_value(avg_task))
                )
        areas.append(res)
    if total_persons is None:
        raise InputError([Problem(profile.municipality, None, "aarspersoner", "årspersoner mangler for en eller flere målgrupper; angiv dem eller aarspersoner_total")])
    total_rate = method.productivity(profile.aarsvaerk_total, total_persons)
    total = AreaResult("i_alt", "I alt", total_rate, t41.value("produktivitet", AVERAGE), "profil")
    total.rank = _rank_among_peers(data, t41, "produktivitet", total_rate, own)
    total.rank_basis = "Tabel 4.1"
    total.aarsvaerk, total.aarsvaerk_basis, total.aarspersoner = profile.aarsvaerk_total, "profil", total_persons
    total.aarsvaerk_at_average = method.staff_at_rate(total.average, total_persons)
    total.gap = total.aarsvaerk - total.aarsvaerk_at_average
    own_mix = {g: groups[g].aarspersoner for g in MIX_GROUPS if g in groups and groups[g].aarspersoner}
    mix = _mix(data, rates, own_mix) if own_mix and any(g in rates for g in MIX_GROUPS) else None  # type: ignore[arg-type]
    notes = [
        "Kommunen er ikke med i benchmarket: produktiviteten er beregnet ud fra profilens årsværk og årspersoner; "
        + ("rangen er den plads, profilen får i stedet for kommunens egne trykte tal blandt de 15 (1 = højeste produktivitet)." if own else
         "rangen er den plads, kommunen ville få, hvis den var den 16. kommune i benchmarket (1 = højeste produktivitet)."),
        "Gennemsnittet er rapportens 'Gns. kommuner' (2013); kvalitetsindikatorer indgår ikke i en profil.",
    ]
    return BenchmarkResult(
        municipality=profile.municipality,
        in_benchmark=False,
        peers=len(data.municipalities) + (0 if own else 1),  # the size of the ranking the profile is placed in
        total=total,
        areas=areas,
        quality=[],
        mix=mix,
        sources=_sources(data) + ([profile.source] if profile.source else []),
        notes=notes,
    )


def profile_from_benchmark(data: BenchmarkData, municipality: str) -> dict[str, float]:
    """Årsværk by group for a benchmark municipality (Tabel 3.1 or the Bilag I estimate)."""
    name = data.find(municipality)
    if name is None:
        raise KeyError(municipality)
    staff, _basis = _staff_from_tables(data, name)
    return staff


def published_profile(data: BenchmarkData, municipality: str, samtaler_per_intensity: float) -> UnitCostProfile:
    """A unit-cost profile of one of the fifteen built from the benchmark's own figures.

    Årsværk from Tabel 3.1 (or the Bilag I estimate); årspersoner = årsværk / productivity of the
    area table × 1.000; each group's årsværk split over its tasks in proportion to the printed task
    rates; samtaler = samtaleintensitet × ``samtaler_per_intensity`` (52/13) × årspersoner;
    virksomhedsplaceringer = virksomhedsrettet tilbudsintensitet × årspersoner.
    """
    name = data.find(municipality)
    if name is None:
        raise KeyError(municipality)
    staff, basis = _staff_from_tables(data, name)
    groups: dict[str, dict[str, object]] = {}
    persons: dict[str, float] = {}
    for code in TARGET_AREAS:
        table = data.area_table(code)
        a = staff.get(code)
        if a is None or table is None:
            continue
        rate = table.cell("produktivitet", name).or_zero()
        entry: dict[str, object] = {"aarsvaerk": round(a, 4)}
        if code != "ressourceforloeb" and rate > 0:
            persons[code] = method.aarspersoner_from(a, rate)
            entry["aarspersoner"] = round(persons[code], 4)
        task_rates = {t: table.cell(t, name).or_zero() for t in TASK_LABELS if t in table.keys()}
        rate_sum = sum(task_rates.values())
        if rate_sum > 0:
            entry["tasks"] = {t: round(a * r / rate_sum, 4) for t, r in task_rates.items() if r > 0}
        if code in persons:
            keys = table.keys()
            if "samtaleintensitet" in keys and table.cell("samtaleintensitet", name).value is not None:
                entry["samtaler"] = round(table.cell("samtaleintensitet", name).value * samtaler_per_intensity * persons[code])  # type: ignore[operator]
            if "virksomhedsrettet_tilbudsintensitet" in keys and table.cell("virksomhedsrettet_tilbudsintensitet", name).value is not None:
                entry["virksomhedsplaceringer"] = round(table.cell("virksomhedsrettet_tilbudsintensitet", name).value * persons[code])  # type: ignore[operator]
        groups[code] = entry
    cross = {c: round(staff[c], 4) for c in ("administration", "strategisk_ledelse", "diverse") if c in staff}
    heraf = {h: round(staff[f"heraf_{h}"], 4) for h in HERAF if f"heraf_{h}" in staff}
    total_persons = method.aarspersoner_from(staff["i_alt"], data.t41.value("produktivitet", name))  # type: ignore[arg-type]
    return UnitCostProfile.model_validate(
        {
            "municipality": name,
            "reference_year": 2013,
            "source": f"Mploy/Kibak Jobcenterbenchmark 2013: årsværk {basis}; årspersoner = årsværk / produktivitet (Tabel 4.2-4.9); "
            "opgaver fordelt efter tabellernes opgaverækker; samtaler og placeringer af kvalitetsindikatorerne",
            "target_groups": groups,
            "cross_cutting": cross,
            "aarspersoner_total": round(total_persons, 4),
            "aarsvaerk_total_stated": round(staff["i_alt"], 4),
            "heraf_aarsvaerk": heraf,
        }
    )
