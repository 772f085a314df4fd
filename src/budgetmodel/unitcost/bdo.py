"""BDO/HBS 2024 (seed 000) unit costs for any municipality from its own figures.

Method (afsnit 3.2, 4.2 and 8.4):

1. internal kroner of a function = årsværk × monthly gross salary × 12 × (1 + overhead 15 pct.);
2. borgernære årsværk are the municipality's own by target group; the other functions are spread
   with BDO's keys (§ 8.4): tværgående by the borgernære årsværk; ydelse by ydelse-intensity per
   fuldtidsperson × fuldtidspersoner (dagpenge 0); ledelse by ledelse per borgernært årsværk ×
   borgernære årsværk. The intensities are read from Tabel 3.1 (the national kroner BDO's keys
   produced) per national fuldtidsperson, resp. per borgernær krone. A municipality that knows its
   own ydelse or ledelse årsværk by group gives them and no key is used;
3. external purchases by target group are added; unit cost = kroner / fuldtidspersoner;
4. the same kroner by task: borgernære kroner split over tasks 1-3 by the group's national shares
   (Tabel 3.1) or the municipality's own split; tværgående → 6, ydelse → 5, ledelse → 7,
   external → 4;
5. the national reference by group and task = Tabel 3.1 / national fuldtidspersoner (Tabel 5.2,
   dagpenge and introduktionsprogram estimated, see data/assumptions/bdo.yaml); the mix-corrected
   unit cost = own unit costs at the national mix of fuldtidspersoner, held against BDO's 23.743
   (10 lowest), 31.993 (average) and 43.205 (10 highest);
6. what-if: BDO's slopes (+1 samtale per fuldtidsperson ≈ +500 kr.; +1 tilbud ≈ +6.000 kr.).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from budgetmodel import fmt
from budgetmodel.errors import InputError, Problem
from budgetmodel.paths import data_dir
from budgetmodel.sourcefile import load_model
from budgetmodel.statistics.table import StatTable, require_tables
from budgetmodel.unitcost.assumptions import Sourced, _Frozen

BdoGroup = Literal[
    "dagpenge", "fleksjob_ledighedsydelse", "introduktionsprogram", "jobafklaring",
    "kontanthjaelp", "ressourceforloeb", "sygedagpenge", "uddannelseshjaelp",
]
GROUPS: tuple[str, ...] = BdoGroup.__args__  # type: ignore[attr-defined]
GROUP_LABELS = {
    "dagpenge": "Dagpenge", "fleksjob_ledighedsydelse": "Fleksjob og ledighedsydelse", "introduktionsprogram": "Introduktionsprogram",
    "jobafklaring": "Jobafklaring", "kontanthjaelp": "Kontanthjælp", "ressourceforloeb": "Ressourceforløb",
    "sygedagpenge": "Sygedagpenge", "uddannelseshjaelp": "Uddannelseshjælp",
}
Function = Literal["borgernaere", "tvaergaaende", "ydelse", "ledelse"]
FUNCTIONS: tuple[str, ...] = Function.__args__  # type: ignore[attr-defined]
FUNCTION_LABELS = {"borgernaere": "Borgernære", "tvaergaaende": "Tværgående", "ydelse": "Ydelse", "ledelse": "Ledelse"}
Task = Literal["sagsrelateret", "virksomhedsindsats", "interne_tilbud", "ekstern_indsats", "ydelsesadministration", "faglig_sparring_administration", "ledelse"]
TASKS: tuple[str, ...] = Task.__args__  # type: ignore[attr-defined]
BORGERNAERE_TASKS = ("sagsrelateret", "virksomhedsindsats", "interne_tilbud")
TASK_T41 = {  # Tabel 3.1 task → Tabel 4.1 row
    "sagsrelateret": "t1", "virksomhedsindsats": "t2", "interne_tilbud": "t3", "ekstern_indsats": "t4",
    "ydelsesadministration": "t5", "faglig_sparring_administration": "t6", "ledelse": "t7",
}
ANONYMOUS_EXTREMES = (
    "23.743 og 43.205 kr. er gennemsnit af de 10 kommuner med lavest og højest målgruppekorrigeret enhedsomkostning blandt 92 "
    "(afsnit 4.4, Figur 4.4); kommunerne er anonyme, så tallene kan ikke genberegnes, kun holdes op mod gennemsnittet 31.993 kr. "
    "(de 10 højeste ligger ca. 35 pct. over, linje 545)"
)
_STATUS_DA = {"assumption": "antagelse", "derived": "afledt"}
MONTHS = 12  # BDO asks for the average monthly gross salary (afsnit 8.4); a year has 12

NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Pos = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FunctionStaff(_Model):
    maanedsloen_dkk: Pos | None = None  # average monthly gross salary incl. pension (BDO afsnit 8.4); omitted = assumption
    aarsvaerk: NonNeg | None = None  # for tværgående, ydelse and ledelse: the total, spread with BDO's keys
    konto5_andel: Share | None = None  # share of the function's årsværk booked on hovedkonto 5 (the rest on 6; afsnit 3.5)


class GroupInput(_Model):
    fuldtidspersoner: NonNeg
    borgernaere_aarsvaerk: NonNeg = 0.0
    eksterne_dkk: NonNeg | None = None  # external purchases; omitted = not known (the comparison says so)
    ydelse_aarsvaerk: NonNeg | None = None  # the municipality's own, instead of BDO's key
    ledelse_aarsvaerk: NonNeg | None = None
    opgaver: dict[Literal["sagsrelateret", "virksomhedsindsats", "interne_tilbud"], NonNeg] = Field(default_factory=dict)  # own split of borgernære årsværk
    samtaler: NonNeg | None = None
    tilbud: NonNeg | None = None


class OtherInput(_Model):
    """Effort for groups outside the eight (employed, revalidender, 15-17-årige): in the kroner, not in unit costs."""

    borgernaere_aarsvaerk: NonNeg = 0.0
    eksterne_dkk: NonNeg = 0.0


class BdoProfile(_Model):
    municipality: str = Field(min_length=1)
    year: int | None = Field(None, ge=1990, le=2100)
    overhead_share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None
    functions: dict[Function, FunctionStaff] = Field(default_factory=dict)
    target_groups: dict[BdoGroup, GroupInput] = Field(min_length=1)
    andet: OtherInput | None = None
    what_if: "WhatIf | None" = None
    eksterne_konto5_andel: Share | None = None  # share of the external purchases booked on hovedkonto 5 (afsnit 3.5)

    @model_validator(mode="after")
    def _consistent(self) -> "BdoProfile":
        for f in ("ydelse", "ledelse"):
            own = [g for g, x in self.target_groups.items() if getattr(x, f"{f}_aarsvaerk") is not None]
            total = self.functions.get(f)  # type: ignore[call-overload]
            if own and total is not None and total.aarsvaerk is not None and len(own) != len(self.target_groups):
                raise ValueError(f"{f}_aarsvaerk er angivet for nogle målgrupper ({', '.join(own)}), men ikke alle; angiv for alle eller kun functions.{f}.aarsvaerk")
        for g, x in self.target_groups.items():
            if x.opgaver and abs(sum(x.opgaver.values()) - x.borgernaere_aarsvaerk) > 0.05 * (len(x.opgaver) + 1) + 1e-9:
                raise ValueError(f"target_groups.{g}.opgaver summer til {fmt.number(sum(x.opgaver.values()), 2)}, borgernaere_aarsvaerk er {fmt.number(x.borgernaere_aarsvaerk, 2)}")
            if x.fuldtidspersoner == 0 and (x.borgernaere_aarsvaerk > 0 or (x.eksterne_dkk or 0) > 0):
                raise ValueError(f"target_groups.{g}: ressourcer uden fuldtidspersoner giver ingen enhedsomkostning; angiv fuldtidspersoner")
        return self


class WhatIf(_Model):
    """BDO's activity slopes as a what-if: more conversations or offers per fuldtidsperson a year."""

    samtaler_pr_fuldtidsperson: float = 0.0
    tilbud_pr_fuldtidsperson: float = 0.0
    groups: list[BdoGroup] = Field(default_factory=list)  # empty = all the profile's groups


BdoProfile.model_rebuild()


SlopeFigure = Literal["haeldning_samtale", "haeldning_tilbud", "haeldning_alle_tilbud"]


class BdoAssumptions(_Frozen):
    task_functions: Sourced[dict[Task, Literal["borgernaere", "tvaergaaende", "ydelse", "ledelse", "ekstern"]]]
    fp_groups: Sourced[dict[BdoGroup, list[str]]]
    national_fp_estimate: Sourced[Literal["ratio_16_to_national"]]  # the independent cross-check of national_fp_missing
    national_fp_missing: Sourced[dict[BdoGroup, Annotated[int, Field(gt=0)]]]  # groups Tabel 5.2 does not print
    activity_slopes: Sourced[dict[Literal["samtale", "tilbud"], SlopeFigure]]  # the printed slope each what-if reads


def load_bdo_profile(path: Path | str) -> BdoProfile:
    model, _doc = load_model(path, BdoProfile)
    return model


def load_bdo_assumptions(path: Path | str | None = None) -> BdoAssumptions:
    model, _doc = load_model(path or data_dir() / "assumptions" / "bdo.yaml", BdoAssumptions)
    return model


@dataclass(frozen=True)
class BdoTables:
    t31: StatTable
    t41: StatTable
    t51: StatTable
    t52: StatTable
    text: StatTable
    fig21: StatTable

    @classmethod
    def load(cls, root: Path | str | None = None) -> "BdoTables":
        need = ("tab_3_1_opgaver_maalgrupper", "tab_4_1_enhedsomkostninger_opgaver", "tab_5_1_samtaler", "tab_5_2_rehabiliteringsteam", "noegletal_tekst", "fig_2_1_udgifter")
        return cls(*require_tables(root, "bdo2024", need))

    def figure(self, code: str) -> float:
        c = self.text.cell(code, "value")
        return c.share if c.percent else c.value  # type: ignore[return-value]


# --- national reference -------------------------------------------------------------------------


@dataclass
class NationalReference:
    fuldtidspersoner: dict[str, float]
    fp_basis: dict[str, str]
    kr: dict[str, dict[str, float]]  # group → task → kroner (Tabel 3.1 × 1e6)
    per_fp: dict[str, dict[str, float]]  # group → task → kr. per fuldtidsperson, plus 'total'
    average_per_fp: float
    published_average: float
    ratio_16: float
    derivation: list[str]
    missing: "MissingFp"


@dataclass
class MissingFp:
    """How the national fuldtidspersoner Tabel 5.2 does not print (dagpenge, introduktionsprogram) are read.

    The report prints them nowhere (Tabel 5.2, the text, the notes). Together they are what BDO's
    average presupposes: Σ Tabel 3.1 (the eight groups) / 31.993 kr. − Σ Tabel 5.2; they are split
    as in the 16 municipalities (Tabel 5.1). The stored reading (data/assumptions/bdo.yaml,
    ``national_fp_missing``) is this, rounded to whole persons. Independent of 31.993 are two
    checks: the introduktionsprogram then costs "knap 80.000 kr." (afsnit 4.3, linje 504), and the
    16 municipalities' share of Tabel 5.2's groups (``national_fp_estimate``) gives nearly the same."""

    groups: tuple[str, ...]
    kr_total: float  # Σ Tabel 3.1's task cells of the eight groups, kroner
    published_average: float
    known_fp: float  # Σ Tabel 5.2
    implied_fp: float  # kr_total / published_average
    split_basis: dict[str, float]  # Tabel 5.1 (16 kommuner)
    derived: dict[str, float]  # unrounded
    stored: dict[str, float]
    ratio_16: float
    ratio_estimate: dict[str, float]

    @property
    def missing_fp(self) -> float:
        return self.implied_fp - self.known_fp

    @property
    def stored_matches(self) -> bool:
        return all(round(self.derived[g]) == self.stored.get(g) for g in self.groups)


def derive_missing_fp(t: BdoTables, a: BdoAssumptions) -> MissingFp:
    fp52: dict[str, float] = {}
    n16 = n_nat = 0.0
    missing: list[str] = []
    for g, parts in a.fp_groups.value.items():
        if all(p in t.t52.keys() for p in parts):
            fp52[g] = sum(t.t52.value(p, "fuldtidspersoner_landsplan") for p in parts)  # type: ignore[misc]
            n16 += sum(t.t51.value(p, "fuldtidspersoner") for p in parts)  # type: ignore[misc]
            n_nat += fp52[g]
        else:
            missing.append(g)
    kr_total = sum(t.t31.value(task, g) * 1e6 for g in GROUPS for task in TASKS)  # type: ignore[operator]
    published = t.figure("enhedsomkostning_gns")
    implied = kr_total / published
    basis = {g: float(sum(t.t51.value(p, "fuldtidspersoner") for p in a.fp_groups.value[g])) for g in missing}  # type: ignore[misc]
    derived = {g: (implied - n_nat) * basis[g] / sum(basis.values()) for g in missing}
    ratio = n16 / n_nat
    return MissingFp(tuple(missing), kr_total, published, n_nat, implied, basis, derived,
                     {g: float(v) for g, v in a.national_fp_missing.value.items()}, ratio, {g: basis[g] / ratio for g in missing})


def national_reference(t: BdoTables, a: BdoAssumptions) -> NationalReference:
    """Kr. per fuldtidsperson by target group and task: Tabel 3.1 / national fuldtidspersoner."""
    m = derive_missing_fp(t, a)
    absent = [g for g in m.groups if g not in m.stored]
    if absent:
        raise InputError([Problem("data/assumptions/bdo.yaml", None, "national_fp_missing.value",
                                  "fuldtidspersoner på landsplan mangler for " + ", ".join(absent) + " (Tabel 5.2 trykker dem ikke)")])
    fp_nat: dict[str, float] = {}
    basis: dict[str, str] = {}
    for g, parts in a.fp_groups.value.items():
        if g in m.groups:
            fp_nat[g] = m.stored[g]
            basis[g] = f"antaget {fmt.number(m.stored[g])} (ikke trykt; data/assumptions/bdo.yaml, national_fp_missing: {_STATUS_DA[a.national_fp_missing.status]})"
        else:
            fp_nat[g] = sum(t.t52.value(p, "fuldtidspersoner_landsplan") for p in parts)  # type: ignore[misc]
            basis[g] = "Tabel 5.2 (landsplan): " + " + ".join(f"{p} {fmt.number(t.t52.value(p, 'fuldtidspersoner_landsplan'))}" for p in parts)  # type: ignore[arg-type]
    kr = {g: {task: t.t31.value(task, g) * 1e6 for task in TASKS} for g in GROUPS}  # type: ignore[operator]
    per_fp = {g: {task: kr[g][task] / fp_nat[g] for task in TASKS} for g in GROUPS}
    for g in GROUPS:
        per_fp[g]["total"] = sum(kr[g].values()) / fp_nat[g]
    total_kr = sum(sum(kr[g].values()) for g in GROUPS)
    avg = total_kr / sum(fp_nat.values())
    published = m.published_average
    names_ = " og ".join(GROUP_LABELS[g].lower() for g in m.groups)
    ratio_avg = total_kr / (m.known_fp + sum(m.ratio_estimate.values()))
    checks = []
    if "introduktionsprogram" in m.groups:  # the only group whose unit cost the text prints
        checks.append(f"introduktionsprogram koster {fmt.kr(per_fp['introduktionsprogram']['total'])} pr. fuldtidsperson (afsnit 4.3, linje 504: 'knap 80.000 kr.')")
    checks.append(
        f"de 16 kommuners andel af Tabel 5.2's grupper ({fmt.number(m.known_fp * m.ratio_16)} / {fmt.number(m.known_fp)} = {fmt.number(m.ratio_16, 4)}) giver "
        + "; ".join(f"{GROUP_LABELS[g].lower()} {fmt.number(m.ratio_estimate[g])}" for g in m.groups)
        + f" og et gennemsnit på {fmt.kr(ratio_avg)} ({fmt.pct(ratio_avg / published - 1, 2)} fra {fmt.kr(published)})"
    )
    if "introduktionsprogram" in m.groups:
        checks[-1] += f", men introduktionsprogram til {fmt.kr(sum(kr['introduktionsprogram'].values()) / m.ratio_estimate['introduktionsprogram'])}, over 'knap 80.000'"
    derivation = [
        "Referenceomkostning pr. målgruppe = Tabel 3.1 (mio. kr., 92 kommuner, 2022) / fuldtidspersoner på landsplan (Tabel 5.2).",
        f"Antaget årsag: {names_} har ingen fuldtidspersoner på landsplan i rapporten (Tabel 5.2, teksten og noterne trykker dem ikke). "
        f"Læsningen er de fuldtidspersoner, BDO's gennemsnit forudsætter: Σ Tabel 3.1's otte målgrupper {fmt.number(m.kr_total / 1e6)} mio. kr. / {fmt.kr(published)} "
        f"= {fmt.number(m.implied_fp)} fuldtidspersoner − Tabel 5.2's {fmt.number(m.known_fp)} = {fmt.number(m.missing_fp)}, fordelt som i de 16 kommuner (Tabel 5.1: "
        + " : ".join(fmt.number(m.split_basis[g]) for g in m.groups) + "): "
        + "; ".join(f"{GROUP_LABELS[g].lower()} {fmt.number(m.stored[g])}" for g in m.groups)
        + f" ({_STATUS_DA[a.national_fp_missing.status]}, data/assumptions/bdo.yaml). {fmt.kr(published)} er derfor ikke en uafhængig kontrol af summen, kun af regnestykket.",
        "Uafhængige kontroller af læsningen: " + "; ".join(checks) + ".",
        f"Kontrol: {fmt.number(total_kr / 1e6)} mio. kr. / {fmt.number(sum(fp_nat.values()))} fuldtidspersoner = {fmt.kr(avg)} "
        f"mod BDO's {fmt.kr(published)} (Andet, 253 mio. kr., er udeladt som hos BDO).",
    ]
    if not m.stored_matches:
        derivation.append(
            "Bemærk: de antagne fuldtidspersoner (" + "; ".join(f"{GROUP_LABELS[g]} {fmt.number(m.stored[g])}" for g in m.groups)
            + ") svarer ikke til udledningen fra de indlæste tabeller (" + "; ".join(f"{GROUP_LABELS[g]} {fmt.number(m.derived[g])}" for g in m.groups) + ")."
        )
    return NationalReference(fp_nat, basis, kr, per_fp, avg, published, m.ratio_16, derivation, m)


# --- the municipality -----------------------------------------------------------------------------


@dataclass
class GroupResult:
    code: str
    label: str
    fuldtidspersoner: float
    kr_by_function: dict[str, float]
    external_dkk: float | None
    kr_by_task: dict[str, float]
    keys: dict[str, float]
    reference_per_fp: float

    @property
    def total_dkk(self) -> float:
        return sum(self.kr_by_function.values()) + (self.external_dkk or 0.0)

    @property
    def per_fp(self) -> float | None:
        return self.total_dkk / self.fuldtidspersoner if self.fuldtidspersoner else None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code, "label": self.label, "fuldtidspersoner": self.fuldtidspersoner,
            "kr_by_function": self.kr_by_function, "external_dkk": self.external_dkk, "total_dkk": self.total_dkk,
            "unit_cost_dkk_per_fp": self.per_fp, "kr_by_task": self.kr_by_task,
            "unit_cost_by_task_dkk_per_fp": {k: v / self.fuldtidspersoner for k, v in self.kr_by_task.items()} if self.fuldtidspersoner else None,
            "allocation_keys": self.keys, "national_reference_dkk_per_fp": self.reference_per_fp,
        }


@dataclass
class BdoResult:
    municipality: str
    overhead_share: float
    cost_per_aarsvaerk: dict[str, float]
    salary_basis: dict[str, str]
    groups: list[GroupResult]
    andet_dkk: float
    total_dkk: float
    fuldtidspersoner: float
    unit_cost: float
    mix_corrected: float
    own_mix_at_national_rates: float
    by_task_per_fp: dict[str, float]
    comparison: list[dict[str, object]]
    by_task_comparison: list[dict[str, object]]
    comparable: bool
    comparability_notes: list[str]
    reference: NationalReference
    keys_derivation: list[str]
    what_if: dict[str, object] | None
    method: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    konto: dict[str, object] | None = None  # hovedkonto 5/6 against Figur 2.1, when the profile gives the shares

    def as_dict(self) -> dict[str, object]:
        ref = self.reference
        return {
            "municipality": self.municipality,
            "unit": "kr. pr. fuldtidsperson på forsørgelse pr. år (BDO/HBS 2024's enhedsomkostning)",
            "overhead_share": self.overhead_share,
            "cost_per_aarsvaerk_dkk": self.cost_per_aarsvaerk,
            "salary_basis": self.salary_basis,
            "target_groups": [g.as_dict() for g in self.groups],
            "andet_dkk": self.andet_dkk,
            "total_dkk": self.total_dkk,
            "fuldtidspersoner": self.fuldtidspersoner,
            "unit_cost_dkk_per_fp": self.unit_cost,
            "unit_cost_mix_corrected_dkk_per_fp": self.mix_corrected,
            "national_rates_at_own_mix_dkk_per_fp": self.own_mix_at_national_rates,
            "by_task_dkk_per_fp": self.by_task_per_fp,
            "comparison": self.comparison,
            "by_task_comparison": self.by_task_comparison,
            "comparable": self.comparable,
            "comparability_notes": self.comparability_notes,
            "national_reference": {
                "fuldtidspersoner": ref.fuldtidspersoner, "basis": ref.fp_basis, "dkk_per_fp": ref.per_fp,
                "average_dkk_per_fp": ref.average_per_fp, "published_average_dkk_per_fp": ref.published_average, "derivation": ref.derivation,
            },
            "allocation_keys_derivation": self.keys_derivation,
            "konto_5_6": self.konto,
            "what_if": self.what_if,
            "method": self.method,
            "sources": self.sources,
        }


def _share(num: dict[str, float]) -> dict[str, float]:
    tot = sum(num.values())
    return {k: (v / tot if tot > 0 else 0.0) for k, v in num.items()}


def bdo_unit_costs(profile: BdoProfile, t: BdoTables, a: BdoAssumptions, default_salary: Sourced | None = None) -> BdoResult:
    """BDO unit costs of one municipality (see module doc). ``default_salary`` (kr. per årsværk per
    year, with source) prices a function whose monthly salary the profile does not give."""
    ref = national_reference(t, a)
    overhead = profile.overhead_share if profile.overhead_share is not None else t.figure("overhead")
    problems: list[Problem] = []
    cost: dict[str, float] = {}
    salary_basis: dict[str, str] = {}
    groups_in = profile.target_groups
    needed = {"borgernaere"} | {f for f in ("tvaergaaende", "ydelse", "ledelse")
                                if (profile.functions.get(f) and profile.functions[f].aarsvaerk)  # type: ignore[index]
                                or any(getattr(x, f"{f}_aarsvaerk", None) for x in groups_in.values())}
    for f in FUNCTIONS:
        own = profile.functions.get(f)  # type: ignore[call-overload]
        if own is not None and own.maanedsloen_dkk is not None:
            annual = own.maanedsloen_dkk * MONTHS
            salary_basis[f] = f"kommunens egen: {fmt.kr(own.maanedsloen_dkk)} om måneden × 12"
        elif default_salary is not None:
            annual = float(default_salary.value)
            salary_basis[f] = f"ikke angivet; antagelse {fmt.kr(annual)} om året ({default_salary.source})"
        elif f in needed:
            problems.append(Problem(profile.municipality, None, f"functions.{f}.maanedsloen_dkk", "månedslønnen mangler"))
            continue
        else:
            annual = 0.0
        cost[f] = annual * (1 + overhead)
    if problems:
        raise InputError(problems)

    # keys (§ 8.4)
    b = {g: x.borgernaere_aarsvaerk for g, x in groups_in.items()}
    andet_b = profile.andet.borgernaere_aarsvaerk if profile.andet else 0.0
    ydelse_int = {g: ref.per_fp[g]["ydelsesadministration"] for g in GROUPS}
    borger_kr = {g: sum(ref.kr[g][k] for k in BORGERNAERE_TASKS) for g in GROUPS}
    ledelse_int = {g: ref.kr[g]["ledelse"] / borger_kr[g] if borger_kr[g] else 0.0 for g in GROUPS}
    key_t = {g: b[g] for g in groups_in}
    key_y = {g: ydelse_int[g] * x.fuldtidspersoner for g, x in groups_in.items()}
    key_l = {g: ledelse_int[g] * b[g] for g in groups_in}
    tot_t = (profile.functions["tvaergaaende"].aarsvaerk or 0.0) if "tvaergaaende" in profile.functions else 0.0
    tot_y = (profile.functions["ydelse"].aarsvaerk or 0.0) if "ydelse" in profile.functions else 0.0
    tot_l = (profile.functions["ledelse"].aarsvaerk or 0.0) if "ledelse" in profile.functions else 0.0
    share_t = _share({**key_t, "andet": andet_b})
    share_y, share_l = _share(key_y), _share(key_l)
    own_y = all(x.ydelse_aarsvaerk is not None for x in groups_in.values())
    own_l = all(x.ledelse_aarsvaerk is not None for x in groups_in.values())

    groups: list[GroupResult] = []
    for g in GROUPS:
        if g not in groups_in:
            continue
        x = groups_in[g]
        aarsvaerk = {
            "borgernaere": x.borgernaere_aarsvaerk,
            "tvaergaaende": tot_t * share_t[g],
            "ydelse": x.ydelse_aarsvaerk if own_y else tot_y * share_y[g],  # type: ignore[dict-item]
            "ledelse": x.ledelse_aarsvaerk if own_l else tot_l * share_l[g],  # type: ignore[dict-item]
        }
        kr_f = {f: aarsvaerk[f] * cost.get(f, 0.0) for f in FUNCTIONS}  # type: ignore[operator]
        split = _share(dict(x.opgaver)) if x.opgaver else _share({k: ref.kr[g][k] for k in BORGERNAERE_TASKS})
        tasks = {k: kr_f["borgernaere"] * split.get(k, 0.0) for k in BORGERNAERE_TASKS}
        tasks["ekstern_indsats"] = x.eksterne_dkk or 0.0
        tasks["ydelsesadministration"] = kr_f["ydelse"]
        tasks["faglig_sparring_administration"] = kr_f["tvaergaaende"]
        tasks["ledelse"] = kr_f["ledelse"]
        keys = {"tvaergaaende": share_t[g], "ydelse": None if own_y else share_y[g], "ledelse": None if own_l else share_l[g], "aarsvaerk": aarsvaerk}
        groups.append(GroupResult(g, GROUP_LABELS[g], x.fuldtidspersoner, kr_f, x.eksterne_dkk, tasks, keys, ref.per_fp[g]["total"]))  # type: ignore[arg-type]

    andet_dkk = 0.0
    if profile.andet is not None:
        andet_dkk = andet_b * cost["borgernaere"] + tot_t * share_t["andet"] * cost.get("tvaergaaende", 0.0) + profile.andet.eksterne_dkk
    konto = _konto(profile, groups, cost, andet_b, tot_t * share_t["andet"], t)
    fp = sum(gr.fuldtidspersoner for gr in groups)
    if fp <= 0:
        raise InputError([Problem(profile.municipality, None, "target_groups", "ingen fuldtidspersoner: enhedsomkostningen kan ikke beregnes")])
    grp_total = sum(gr.total_dkk for gr in groups)
    unit = grp_total / fp
    priced = {gr.code: gr.per_fp for gr in groups if gr.per_fp is not None}
    nat_mix = {g: ref.fuldtidspersoner[g] for g in priced}
    mix_corr = sum(nat_mix[g] * priced[g] for g in priced) / sum(nat_mix.values())  # type: ignore[operator]
    own_at_nat = sum(gr.fuldtidspersoner * ref.per_fp[gr.code]["total"] for gr in groups) / fp
    by_task = {k: sum(gr.kr_by_task[k] for gr in groups) / fp for k in TASKS}

    missing_ext = [GROUP_LABELS[g] for g, x in groups_in.items() if x.eksterne_dkk is None]
    notes = []
    if missing_ext:
        notes.append(
            "Sammenligningen blander ind- og udeladte udgifter: kommunens tal er uden eksterne køb for "
            + ", ".join(missing_ext) + "; BDO's tal (31.993 kr., 23.743 / 43.205 kr. og referencerne pr. målgruppe) omfatter eksterne køb "
            f"(landsplan {fmt.number(sum(ref.kr[g]['ekstern_indsats'] for g in GROUPS) / 1e6)} mio. kr. af {fmt.number(sum(sum(ref.kr[g].values()) for g in GROUPS) / 1e6)} mio. kr., Tabel 3.1)."
        )
    if overhead != t.figure("overhead"):
        notes.append(f"Overhead er {fmt.pct(overhead, 0)} mod BDO's {fmt.pct(t.figure('overhead'), 0)}; de interne kroner er ikke direkte sammenlignelige.")
    if len(priced) < len(GROUPS):
        notes.append("Den målgruppekorrigerede enhedsomkostning vægter kun kommunens egne målgrupper (" + ", ".join(GROUP_LABELS[g] for g in priced) + ") med landets fordeling af fuldtidspersoner.")
    notes.append("BDO's tal er 2022-niveau (2022-pl); kommunens tal er i det år og prisniveau, profilen angiver.")
    low, high = t.figure("bund_10_maalgruppekorrigeret"), t.figure("top_10_maalgruppekorrigeret")
    comparison = [
        {"what": "Enhedsomkostning, kommunens egen målgruppesammensætning", "own_dkk_per_fp": unit,
         "bdo_dkk_per_fp": ref.published_average, "bdo_source": t.text.citation() + ", linje 490 (31.993 kr.; resuméet 31.991 kr., se KNOWN_ISSUES BDO-01)",
         "national_rates_at_own_mix_dkk_per_fp": own_at_nat},
        {"what": "Målgruppekorrigeret enhedsomkostning (landets fordeling af fuldtidspersoner)", "own_dkk_per_fp": mix_corr,
         "bdo_low_dkk_per_fp": low, "bdo_average_dkk_per_fp": ref.published_average, "bdo_high_dkk_per_fp": high,
         "bdo_source": t.text.citation() + ", linje 545",
         "bdo_note": ANONYMOUS_EXTREMES,
         "position": ("under gennemsnittet af de 10 laveste" if mix_corr < low else "over gennemsnittet af de 10 højeste" if mix_corr > high
                      else "mellem de 10 laveste og gennemsnittet" if mix_corr <= ref.published_average else "mellem gennemsnittet og de 10 højeste")},
    ]
    t41_total = t.t41.value("samlet", "enhedsomkostning")
    by_task_cmp = []
    for k in TASKS:
        row = TASK_T41[k]
        printed = t.t41.value(row, "enhedsomkostning")
        by_task_cmp.append({
            "task": k, "label": t.t31.row(k).text("label"), "own_dkk_per_fp": by_task[k],
            "national_dkk_per_fp": sum(ref.kr[g][k] for g in GROUPS) / sum(ref.fuldtidspersoner.values()),
            "tab_4_1_printed_dkk_per_fp": printed,
            "tab_4_1_scaled_to_average_dkk_per_fp": printed / t41_total * ref.published_average,  # type: ignore[operator]
        })
    keys_derivation = [
        "Tværgående årsværk fordeles efter målgruppernes borgernære årsværk (BDO afsnit 8.4, pkt. 1, linje 1512).",
        ("Ydelsesårsværk: kommunens egne pr. målgruppe." if own_y else
         "Ydelsesårsværk fordeles efter ydelsesintensitet × fuldtidspersoner (afsnit 8.4, pkt. 2, linje 1513); intensiteten pr. målgruppe = Tabel 3.1 "
         "'Ydelsesadministration' / fuldtidspersoner på landsplan: " + "; ".join(f"{GROUP_LABELS[g]} {fmt.kr(ydelse_int[g])}" for g in GROUPS) + " (dagpenge 0: a-kasserne udbetaler)."),
        ("Ledelsesårsværk: kommunens egne pr. målgruppe." if own_l else
         "Ledelsesårsværk fordeles efter ledelse pr. borgernært årsværk × borgernære årsværk (afsnit 8.4, pkt. 3, linje 1514); forholdet pr. målgruppe = Tabel 3.1 "
         "'Ledelse' / opgave 1-3: " + "; ".join(f"{GROUP_LABELS[g]} {fmt.number(ledelse_int[g], 3)}" for g in GROUPS) + "."),
        f"Opgavefordeling: borgernære kroner på opgave 1-3 efter målgruppens fordeling i Tabel 3.1 (medmindre profilen angiver 'opgaver'); {a.task_functions.note}",
    ]
    what = None
    if profile.what_if is not None:
        what = what_if(profile.what_if, groups, t, a)
    method = [
        f"Intern udgift pr. årsværk = månedsløn × 12 × (1 + {fmt.pct(overhead, 0)} overhead) pr. funktion (BDO afsnit 3.2 og 8.4).",
        "Enhedsomkostning = (interne kroner fordelt på målgrupper + eksterne køb) / fuldtidspersoner (afsnit 4.2); Andet (beskæftigede, revalidender m.v.) indgår ikke.",
        "Målgruppekorrigeret = kommunens enhedsomkostning pr. målgruppe vægtet med landets fuldtidspersoner (afsnit 4.4).",
    ]
    sources = sorted({t.t31.citation(), t.t41.citation(), t.t51.citation(), t.t52.citation(), t.text.citation(), a.task_functions.source, a.national_fp_missing.source, a.national_fp_estimate.source}
                     | ({a.activity_slopes.source} if profile.what_if is not None else set()))
    return BdoResult(
        municipality=profile.municipality, overhead_share=overhead, cost_per_aarsvaerk=cost, salary_basis=salary_basis,
        groups=groups, andet_dkk=andet_dkk, total_dkk=grp_total + andet_dkk, fuldtidspersoner=fp, unit_cost=unit,
        mix_corrected=mix_corr, own_mix_at_national_rates=own_at_nat, by_task_per_fp=by_task, comparison=comparison,
        by_task_comparison=by_task_cmp, comparable=not missing_ext, comparability_notes=notes, reference=ref,
        keys_derivation=keys_derivation, what_if=what, method=method, sources=sources, konto=konto,
    )


def _konto(profile: BdoProfile, groups: list[GroupResult], cost: dict[str, float], andet_b: float, andet_t: float, t: BdoTables) -> dict[str, object] | None:
    """The municipality's kroner on hovedkonto 5 and 6 (all kroner, Andet included, as Figur 2.1)
    when the profile gives each function's and the external purchases' konto 5 share."""
    asked = profile.eksterne_konto5_andel is not None or any(f.konto5_andel is not None for f in profile.functions.values())
    if not asked:
        return None
    internal = {f: sum(gr.kr_by_function[f] for gr in groups) for f in FUNCTIONS}
    internal["borgernaere"] += andet_b * cost.get("borgernaere", 0.0)
    internal["tvaergaaende"] += andet_t * cost.get("tvaergaaende", 0.0)
    external = sum(gr.external_dkk or 0.0 for gr in groups) + (profile.andet.eksterne_dkk if profile.andet else 0.0)
    missing = [FUNCTION_LABELS[f] for f in FUNCTIONS if internal[f] > 0 and (profile.functions.get(f) is None or profile.functions[f].konto5_andel is None)]  # type: ignore[call-overload,index]
    if external > 0 and profile.eksterne_konto5_andel is None:
        missing.append("eksterne køb")
    f21 = t.fig21
    published = {
        "internt_konto6_andel": f21.value("internt", "konto_6") / f21.value("internt", "samlet"),  # type: ignore[operator]
        "eksternt_konto5_andel": f21.value("eksternt", "konto_5") / f21.value("eksternt", "samlet"),  # type: ignore[operator]
        "samlet_konto5_andel": f21.value("samlet", "konto_5") / f21.value("samlet", "samlet"),  # type: ignore[operator]
        "kommuner_konto5_andel_min": t.figure("konto5_andel_min"), "kommuner_konto5_andel_max": t.figure("konto5_andel_max"),
    }
    out: dict[str, object] = {"published": published, "source": f"{f21.citation()}; {t.text.citation()}, linje 406 (Figur 3.6)", "missing": missing}
    if missing:
        out["text"] = "Fordelingen på hovedkonto 5 og 6 kræver konto 5-andelen for " + ", ".join(missing) + "; den er ikke beregnet."
        return out
    i5 = sum(internal[f] * (profile.functions[f].konto5_andel or 0.0) for f in FUNCTIONS if internal[f] > 0)  # type: ignore[index]
    e5 = external * (profile.eksterne_konto5_andel or 0.0)
    i_tot, total = sum(internal.values()), sum(internal.values()) + external
    own = {"internt_konto5_dkk": i5, "internt_konto6_dkk": i_tot - i5, "eksternt_konto5_dkk": e5, "eksternt_konto6_dkk": external - e5,
           "internt_konto6_andel": (i_tot - i5) / i_tot if i_tot else None, "eksternt_konto5_andel": e5 / external if external else None,
           "samlet_konto5_andel": (i5 + e5) / total if total else None}
    out.update(own)
    share5 = own["samlet_konto5_andel"]
    lo, hi = published["kommuner_konto5_andel_min"], published["kommuner_konto5_andel_max"]
    e5_text = "–" if own["eksternt_konto5_andel"] is None else fmt.pct(own["eksternt_konto5_andel"], 1)
    out["text"] = (
        f"hovedkonto 5 {fmt.kr(i5 + e5)} ({fmt.pct(share5, 1)} af {fmt.kr(total)}), hovedkonto 6 {fmt.kr(total - i5 - e5)}; "
        f"landsplan {fmt.pct(published['samlet_konto5_andel'], 1)} på konto 5 (Figur 2.1), kommunerne mellem {fmt.number(lo * 100)} og {fmt.number(hi * 100)} pct. (Figur 3.6); "
        f"internt på konto 6 {fmt.pct(own['internt_konto6_andel'], 1)} mod {fmt.pct(published['internt_konto6_andel'], 1)}, "
        f"eksternt på konto 5 {e5_text} mod {fmt.pct(published['eksternt_konto5_andel'], 1)}. "
        "Konteringspraksis varierer mellem kommunerne (afsnit 3.5); enhedsomkostningen afhænger ikke af den."
    )
    return out


def what_if(w: WhatIf, groups: list[GroupResult], t: BdoTables, a: BdoAssumptions) -> dict[str, object]:
    """'If we held one more conversation per person a year, what would it cost': BDO's slopes ×
    the change per fuldtidsperson × fuldtidspersoner of the chosen groups. The slopes are
    correlations across the 16 municipalities (Figur 5.5 and 7.4), read as marginal costs
    (``activity_slopes`` in data/assumptions/bdo.yaml, status assumption)."""
    codes = a.activity_slopes.value
    s_samtale, s_tilbud = t.figure(codes["samtale"]), t.figure(codes["tilbud"])
    chosen = [gr for gr in groups if not w.groups or gr.code in w.groups]
    fp = sum(gr.fuldtidspersoner for gr in chosen)
    per_fp = w.samtaler_pr_fuldtidsperson * s_samtale + w.tilbud_pr_fuldtidsperson * s_tilbud
    return {
        "groups": [gr.code for gr in chosen],
        "fuldtidspersoner": fp,
        "samtaler_pr_fuldtidsperson": w.samtaler_pr_fuldtidsperson,
        "tilbud_pr_fuldtidsperson": w.tilbud_pr_fuldtidsperson,
        "slope_samtale_dkk_per_fp": s_samtale,
        "slope_tilbud_dkk_per_fp": s_tilbud,
        "extra_dkk_per_fp": per_fp,
        "extra_dkk": per_fp * fp,
        "text": (
            f"{fmt.number(w.samtaler_pr_fuldtidsperson, 1)} samtale(r) × {fmt.kr(s_samtale)} + {fmt.number(w.tilbud_pr_fuldtidsperson, 1)} tilbud × {fmt.kr(s_tilbud)} "
            f"= {fmt.kr(per_fp)} pr. fuldtidsperson × {fmt.number(fp)} fuldtidspersoner = {fmt.kr(per_fp * fp)} om året"
        ),
        "status": a.activity_slopes.status,
        "source": a.activity_slopes.source,
        "reading": (f"Hældningerne er aflæst ({_STATUS_DA[a.activity_slopes.status]}): sammenhænge på tværs af de 16 kommuner i figurer, hvis punkter "
                    "rapporten ikke trykker; de kan ikke genberegnes og er ikke målte årsager"),
    }
