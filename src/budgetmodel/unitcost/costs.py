"""Unit costs of one municipality: kroner per fuldtidsperson by target group and task, and the cost
of one conversation, company placement or rehabilitation meeting (the orchestrator of the method).

Method (BDO/HBS 2024, seed 000, afsnit 3.2, 4.2 and 8.4):

1. cost of an årsværk = salary × (1 + overhead);
2. a group's internal cost = its årsværk × cost of an årsværk; its unit cost =
   (internal cost + external purchases) / fuldtidspersoner;
3. the cross-cutting årsværk (administration, strategisk ledelse, diverse) are spread over the groups
   in proportion to the groups' årsværk (BDO's key for tværgående functions) to give the full unit cost;
4. one activity bottom-up = hours of the key process for the group's citizen segment (Tab. 2.1) ×
   hourly cost, where hourly cost = cost of an årsværk / productive hours (Quartz+Co: 1.428);
   top-down, where the profile counts the activities = the task's cost / the number of activities.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from budgetmodel import fmt
from budgetmodel.paths import data_dir
from budgetmodel.statistics.table import StatTable, load_tables
from budgetmodel.unitcost import method
from budgetmodel.unitcost.assumptions import UnitCostAssumptions, Used, load_assumptions, resolve
from budgetmodel.unitcost.benchmark import AREAS, TASK_LABELS
from budgetmodel.unitcost.profile import UnitCostProfile

ACTIVITIES = {
    "samtaler": "Samtale (jobsamtale inkl. forberedelse og dokumentation)",
    "virksomhedsplaceringer": "Virksomhedsplacering",
    "rehabiliteringsteam": "Møde i rehabiliteringsteam",
    "sanktioner": "Sanktion",
    "visitation_andre_tilbud": "Visitation til andre tilbud",
}
STATS = (("lavt", "low"), ("gns", "average"), ("hoejt", "high"))
CROSS_LABELS = {"administration": "Administration", "strategisk_ledelse": "Strategisk ledelse", "diverse": "Diverse"}


@dataclass(frozen=True)
class BdoData:
    """The BDO/HBS tables the unit-cost model reads (data/bdo2024)."""

    tables: dict[str, StatTable]

    @classmethod
    def load(cls, root: Path | str | None = None) -> "BdoData":
        root = Path(root) if root is not None else data_dir()
        return cls(load_tables(root, "bdo2024"))

    def t(self, name: str) -> StatTable:
        return self.tables[f"bdo2024/{name}"]

    def hours(self, segment: str, activity: str) -> dict[str, float] | None:
        table = self.t("tab_2_1_noegleprocesser")
        out = {}
        for code, key in STATS:
            cell = table.cell(f"{segment}.{code}", activity)
            if cell.value is None:
                return None
            out[key] = cell.value
        return out


@dataclass
class TaskCost:
    code: str
    label: str
    aarsvaerk: float
    cost_dkk: float
    per_person_dkk: float | None

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "label": self.label, "aarsvaerk": self.aarsvaerk, "cost_dkk": self.cost_dkk, "per_person_dkk": self.per_person_dkk}


@dataclass
class ActivityCost:
    code: str
    label: str
    segment: str
    hours: dict[str, float]
    cost_dkk: dict[str, float]
    top_down_dkk: float | None = None
    top_down_basis: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "segment": self.segment,
            "hours": self.hours,
            "cost_dkk": self.cost_dkk,
            "top_down_dkk": self.top_down_dkk,
            "top_down_basis": self.top_down_basis,
        }


@dataclass
class GroupCost:
    code: str
    label: str
    aarsvaerk: float
    aarspersoner: float | None
    internal_dkk: float
    external_dkk: float
    shared_dkk: float
    productivity: float | None
    tasks: list[TaskCost] = field(default_factory=list)
    activities: list[ActivityCost] = field(default_factory=list)

    @property
    def direct_dkk(self) -> float:
        return self.internal_dkk + self.external_dkk

    @property
    def full_dkk(self) -> float:
        return self.direct_dkk + self.shared_dkk

    @property
    def unit_cost_direct(self) -> float | None:
        return None if not self.aarspersoner else self.direct_dkk / self.aarspersoner

    @property
    def unit_cost_full(self) -> float | None:
        return None if not self.aarspersoner else self.full_dkk / self.aarspersoner

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "aarsvaerk": self.aarsvaerk,
            "fuldtidspersoner": self.aarspersoner,
            "productivity_aarsvaerk_pr_1000": self.productivity,
            "internal_dkk": self.internal_dkk,
            "external_dkk": self.external_dkk,
            "shared_functions_dkk": self.shared_dkk,
            "unit_cost_direct_dkk_per_person": self.unit_cost_direct,
            "unit_cost_full_dkk_per_person": self.unit_cost_full,
            "tasks": [t.as_dict() for t in self.tasks],
            "activities": [a.as_dict() for a in self.activities],
            "missing": None if self.aarspersoner else "fuldtidspersoner mangler i profilen: ingen enhedsomkostning pr. person",
        }


@dataclass
class UnitCostResult:
    municipality: str
    assumptions: dict[str, Used]
    cost_per_aarsvaerk: float
    hourly_cost: float
    groups: list[GroupCost]
    cross_cutting: list[TaskCost]
    total: dict[str, object]
    references: list[dict[str, object]]
    method: list[str]
    sources: list[str]

    def as_dict(self) -> dict[str, object]:
        return {
            "municipality": self.municipality,
            "unit": "kr. pr. år; enhedsomkostning = kr. pr. fuldtidsperson (årsperson) pr. år",
            "method": self.method,
            "assumptions": [u.as_dict() for u in self.assumptions.values()],
            "cost_per_aarsvaerk_dkk": self.cost_per_aarsvaerk,
            "hourly_cost_dkk": self.hourly_cost,
            "target_groups": [g.as_dict() for g in self.groups],
            "cross_cutting": [c.as_dict() for c in self.cross_cutting],
            "total": self.total,
            "references": self.references,
            "sources": self.sources,
        }


METHOD = [
    "Omkostning pr. årsværk = løn × (1 + overhead) (BDO/HBS 2024, afsnit 3.2: 15 pct. overhead på interne lønudgifter).",
    "Enhedsomkostning pr. fuldtidsperson = (årsværk × løn × (1 + overhead) + eksterne udgifter) / fuldtidspersoner (BDO/HBS 2024, afsnit 4.2).",
    "Fuld enhedsomkostning: administration, strategisk ledelse og diverse fordeles på målgrupperne efter deres årsværk (BDO/HBS 2024, afsnit 8.4: tværgående årsværk fordeles efter de borgernære).",
    "Pris pr. opgave = opgavens årsværk × omkostning pr. årsværk; pr. fuldtidsperson / målgruppens fuldtidspersoner.",
    "Timepris = omkostning pr. årsværk / produktive timer pr. årsværk (Quartz+Co 2014: 1.428 timer).",
    "Pris pr. aktivitet (nedefra) = timer i nøgleprocessen for målgruppens segment (BDO/HBS 2024, Tabel 2.1: lavt, gns., højt) × timepris.",
    "Pris pr. aktivitet (ovenfra), hvor profilen tæller aktiviteterne = opgavens omkostning / antal (samtaler: sagsbehandling; placeringer: virksomhedsindsats).",
    "Produktivitet = årsværk pr. 1.000 årspersoner (Mploy/Kibak 2013).",
]


_SCALE = {"mio_kr": 1e6, "mia_kr": 1e9}  # the units' own meaning: million and billion kroner


def _in_dkk(table: StatTable, code: str) -> float:
    return table.value(code, "value") * _SCALE[table.row(code).text("unit")]  # type: ignore[operator]


def _references(bdo: BdoData) -> list[dict[str, object]]:
    """BDO's own figures to hold a municipality's unit costs against (2022, not price-adjusted)."""
    t41 = bdo.t("tab_4_1_enhedsomkostninger_opgaver")
    t51 = bdo.t("tab_5_1_samtaler")
    txt = bdo.t("noegletal_tekst")
    kontakt = t41.value("t1.kontaktforloeb", "enhedsomkostning")
    samtaler_pr_fp = t51.value("samlet", "samtaler_pr_fuldtidsperson")
    rehab_dkk = _in_dkk(txt, "rehab_ressourcer")
    rehab_n = bdo.t("tab_5_2_rehabiliteringsteam").value("samlet", "moeder_landsplan")
    virk_dkk = _in_dkk(txt, "virksomhedsindsats_intern")
    virk_n = txt.value("virksomhedsplaceringer_landsplan", "value")
    return [
        {
            "what": "Gennemsnitlig enhedsomkostning, alle målgrupper (92 kommuner, 2022)",
            "value_dkk": txt.value("enhedsomkostning_gns", "value"),
            "source": txt.citation() + ", linje 490",
        },
        {
            "what": "Målgruppekorrigeret enhedsomkostning, de 10 laveste / de 10 højeste kommuner",
            "value_dkk": [txt.value("bund_10_maalgruppekorrigeret", "value"), txt.value("top_10_maalgruppekorrigeret", "value")],
            "source": txt.citation() + ", linje 545",
        },
        {
            "what": "Pris pr. samtale ovenfra: kontaktforløb pr. fuldtidsperson / samtaler pr. fuldtidsperson (rapporten: 'godt 800 kr.')",
            "value_dkk": method.activity_cost_top_down(kontakt, samtaler_pr_fp),  # type: ignore[arg-type]
            "source": f"{t41.title} ({fmt.kr(kontakt)}) og {t51.title} ({fmt.number(samtaler_pr_fp, 1)})",  # type: ignore[arg-type]
        },
        {
            "what": "Pris pr. møde i rehabiliteringsteam ovenfra: interne ressourcer / møder på landsplan",
            "value_dkk": rehab_dkk / rehab_n,  # type: ignore[operator]
            "source": "BDO/HBS 2024 linje 935 (ca. 480 mio. kr.) og Tabel 5.2 (37.539 møder)",
        },
        {
            "what": "Interne virksomhedsrettede ressourcer pr. virksomhedsplacering ovenfra",
            "value_dkk": virk_dkk / virk_n,  # type: ignore[operator]
            "source": "BDO/HBS 2024 linje 1006 (ca. 1,3 mia. kr., ca. 108.000 placeringer)",
        },
    ]


def unit_costs(
    profile: UnitCostProfile,
    assumptions: UnitCostAssumptions,
    bdo: BdoData,
    reference_mix: Mapping[str, float] | None = None,
    reference_mix_source: str | None = None,
) -> UnitCostResult:
    """Unit costs of one profile. With a ``reference_mix`` (shares of fuldtidspersoner by target
    group, e.g. the benchmark's average forsørgelsestryk) the total is also given corrected for
    the target-group mix: Σ_g mix_g × unit cost_g / Σ_g mix_g over the groups the profile prices."""
    used = resolve(assumptions, profile)
    salary = used["salary_dkk_per_aarsvaerk"].value
    overhead = used["overhead_share"].value
    hours = used["productive_hours_per_aarsvaerk"].value
    per_aarsvaerk = method.cost_per_aarsvaerk(salary, overhead)
    per_hour = method.hourly_cost(salary, overhead, hours)
    segments = assumptions.segments.value

    group_aarsvaerk = sum(g.aarsvaerk for g in profile.target_groups.values())
    shared_total = sum(method.internal_cost(a, salary, overhead) for a in profile.cross_cutting.values())
    groups: list[GroupCost] = []
    for code, staff in profile.target_groups.items():
        persons = staff.aarspersoner
        internal = method.internal_cost(staff.aarsvaerk, salary, overhead)
        shared = shared_total * staff.aarsvaerk / group_aarsvaerk if group_aarsvaerk > 0 else 0.0
        g = GroupCost(
            code=code,
            label=AREAS[code][0],
            aarsvaerk=staff.aarsvaerk,
            aarspersoner=persons,
            internal_dkk=internal,
            external_dkk=staff.external_dkk,
            shared_dkk=shared,
            productivity=method.productivity(staff.aarsvaerk, persons) if persons else None,
        )
        for task, a in staff.tasks.items():
            cost = method.internal_cost(a, salary, overhead)
            g.tasks.append(TaskCost(task, TASK_LABELS[task], a, cost, cost / persons if persons else None))
        segment = segments.get(code)  # type: ignore[call-overload]
        task_cost = {t.code: t.cost_dkk for t in g.tasks}
        for act, label in ACTIVITIES.items():
            if segment is None:
                break
            h = bdo.hours(segment, act)
            if h is None:
                continue
            ac = ActivityCost(act, label, segment, h, {k: method.activity_cost_bottom_up(v, per_hour) for k, v in h.items()})
            if act == "samtaler" and staff.samtaler and "sagsbehandling" in task_cost:
                ac.top_down_dkk = task_cost["sagsbehandling"] / staff.samtaler
                ac.top_down_basis = "sagsbehandling / samtaler i profilen"
            if act == "virksomhedsplaceringer" and staff.virksomhedsplaceringer and "virksomhedsindsats" in task_cost:
                ac.top_down_dkk = task_cost["virksomhedsindsats"] / staff.virksomhedsplaceringer
                ac.top_down_basis = "virksomhedsindsats / virksomhedsplaceringer i profilen"
            g.activities.append(ac)
        groups.append(g)

    cross = [
        TaskCost(code, CROSS_LABELS[code], a, method.internal_cost(a, salary, overhead), None) for code, a in profile.cross_cutting.items()
    ]
    total_persons = profile.total_aarspersoner()
    internal_total = method.internal_cost(profile.aarsvaerk_total, salary, overhead)
    external_total = sum(s.external_dkk for s in profile.target_groups.values())
    # The per-person total uses the groups that count in the jobcentre's target group.
    total = {
        "aarsvaerk": profile.aarsvaerk_total,
        "fuldtidspersoner": total_persons,
        "internal_dkk": internal_total,
        "external_dkk": external_total,
        "total_dkk": internal_total + external_total,
        "unit_cost_dkk_per_person": (internal_total + external_total) / total_persons if total_persons else None,
        "productivity_aarsvaerk_pr_1000": method.productivity(profile.aarsvaerk_total, total_persons) if total_persons else None,
    }
    missing_ext = [AREAS[g.code][0] for g in groups if g.external_dkk == 0]
    if missing_ext:
        fig = bdo.t("fig_2_1_udgifter")
        ext_share = fig.value("eksternt", "samlet") / fig.value("samlet", "samlet")  # type: ignore[operator]
        # BDO's 31.993 kr. (and 23.743 / 43.205 kr.) include external purchases; say so when the profile has none
        total["comparability"] = (  # type: ignore[assignment]
            "Sammenligningen med BDO/HBS 2024 blander ind- og udeladte udgifter: profilen har ingen eksterne køb for "
            + ", ".join(missing_ext) + ", mens BDO's enhedsomkostninger (31.993 kr. pr. fuldtidsperson m.fl.) omfatter eksterne køb "
            f"({fmt.pct(ext_share, 1)} af udgifterne, {fig.title}). Brug 'budgetmodel bdo' med kommunens eksterne køb for en sammenlignelig opgørelse."
        )
    priced = {g.code: g.unit_cost_direct for g in groups if g.unit_cost_direct is not None}
    if reference_mix and any(g in priced for g in reference_mix):
        own_mix = {g.code: g.aarspersoner for g in groups if g.code in reference_mix and g.code in priced}
        total["mix_groups"] = [g for g in reference_mix if g in priced]  # type: ignore[assignment]
        total["unit_cost_direct_own_mix_dkk_per_person"] = method.mix_weighted(priced, own_mix)  # type: ignore[arg-type]
        total["unit_cost_direct_mix_corrected_dkk_per_person"] = method.mix_weighted(priced, reference_mix)
        total["mix_reference"] = reference_mix_source  # type: ignore[assignment]
    sources = sorted(
        {u.source for u in used.values()}
        | {assumptions.segments.source}
        | {bdo.t("tab_2_1_noegleprocesser").citation()}
        | ({profile.source} if profile.source else set())
    )
    return UnitCostResult(
        municipality=profile.municipality,
        assumptions=used,
        cost_per_aarsvaerk=per_aarsvaerk,
        hourly_cost=per_hour,
        groups=groups,
        cross_cutting=cross,
        total=total,
        references=_references(bdo),
        method=METHOD,
        sources=sources,
    )
