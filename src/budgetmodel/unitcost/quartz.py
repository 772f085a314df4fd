"""Quartz+Co 2014 (seed 001) as a method on one municipality's own figures.

* **Time use**: the årsværk's available hours (1.428 nationally, linje 103) split by the five
  time-use categories of Figur 1 → direct-contact hours per årsværk, held against the national
  374 timer and the visited jobcentres' range 251-460 (linje 123); and per case-related årsværk
  (sagsbehandlere, virksomhedskonsulenter, øvrige sagsunderstøttende), reading that management
  and staff functions have no direct contact.
* **Case productivity** (linje 130): sager (fuldtidspersoner on a-dagpenge, sygedagpenge and
  kontanthjælp) per årsværk, held against the five least and most productive jobcentres (22 and 45).
* **Savings potential**: the Tabel 1 proposals scaled to the municipality's cost base (its cost
  base / the national 4,5 mia. kr.), less the overlap deduction scaled the same way (not when
  the resources are re-prioritised inside the jobcentre, the table's note); and the benchmark
  gap: årsværk above what the benchmark productivity needs for the same cases, in kroner.

With the national figures as input (:func:`national_profile`) the method gives Tabel 1's
550-786 → 517-730 mio. kr. and the "11-16 pct." of the cost base.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from budgetmodel import fmt
from budgetmodel.errors import InputError, Problem
from budgetmodel.sourcefile import load_model
from budgetmodel.statistics.table import StatTable, require_tables

StaffGroup = Literal["sagsbehandlere", "virksomhedskonsulenter", "oevrige", "ledelse_administration"]
CASE_RELATED: tuple[str, ...] = ("sagsbehandlere", "virksomhedskonsulenter", "oevrige")
TimeUse = Literal["direkte_kontakt", "indirekte_sagsbehandling", "oevrig_administration", "ledelse_administration", "oevrig_tid"]
TIME_USE: tuple[str, ...] = TimeUse.__args__  # type: ignore[attr-defined]
SHARE_ROUNDING = 0.005  # time-use shares are printed in whole per cent: half a point per share

NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Pos = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class QuartzProfile(BaseModel):
    """One municipality's figures for the Quartz+Co method (a file, or a scenario's ``methods.quartz``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    municipality: str = Field(min_length=1)
    aarsvaerk: dict[StaffGroup, NonNeg] = Field(min_length=1)
    time_use: dict[TimeUse, Share] = Field(default_factory=dict)  # shares of the available hours; omitted = the national Figur 1
    available_hours_per_aarsvaerk: Pos | None = None  # omitted = 1.428 (linje 103)
    sager: Pos | None = None  # fuldtidspersoner on a-dagpenge, sygedagpenge and kontanthjælp
    cost_base_dkk: Pos | None = None  # the jobcentre's operating cost base; omitted = årsværk × the national cost per årsværk
    exclude_proposals: list[str] = Field(default_factory=list)  # Tabel 1 codes that do not apply locally
    reprioritised: bool = False  # freed resources kept inside the jobcentre: no overlap deduction
    benchmark_sager_per_aarsvaerk: Pos | None = None  # omitted = 45 (the five most productive)

    @model_validator(mode="after")
    def _shares_add_up(self) -> "QuartzProfile":
        if self.time_use:
            missing = [k for k in TIME_USE if k not in self.time_use]
            if missing:
                raise ValueError(f"time_use mangler {', '.join(missing)} (alle fem kategorier skal angives)")
            total = sum(self.time_use.values())
            tol = SHARE_ROUNDING * len(TIME_USE)
            if abs(total - 1.0) > tol + 1e-9:
                raise ValueError(f"time_use summer til {fmt.pct(total, 1)}, skal være 100 pct. (tilladt afvigelse for afrunding: {fmt.pct(tol, 1)})")
        if sum(self.aarsvaerk.values()) <= 0:
            raise ValueError("aarsvaerk skal være større end 0 i alt")
        return self


def load_quartz_profile(path: Path | str) -> QuartzProfile:
    model, _doc = load_model(path, QuartzProfile)
    return model


_SCALE = {"mia_kr_pr_aar": 1e9, "mio_kr_pr_aar": 1e6}


@dataclass(frozen=True)
class QuartzData:
    aarsvaerk: StatTable
    time_use: StatTable
    key_figures: StatTable
    proposals: StatTable

    @classmethod
    def load(cls, root: Path | str | None = None) -> "QuartzData":
        return cls(*require_tables(root, "quartz2014", ("aarsvaerk", "tidsanvendelse", "noegletal_tekst", "tabel_1_forbedringsforslag")))

    def figure(self, code: str) -> float:
        return self.key_figures.value(code, "value")  # type: ignore[return-value]

    def cost_base_dkk(self) -> float:
        return self.figure("omkostningsbase") * _SCALE[self.key_figures.row("omkostningsbase").text("unit")]

    def national_aarsvaerk(self) -> dict[str, float]:
        t = self.aarsvaerk
        return {
            "sagsbehandlere": t.value("sagsrelaterede.sagsbehandlere", "aarsvaerk"),
            "virksomhedskonsulenter": t.value("sagsrelaterede.virksomhedskonsulenter", "aarsvaerk"),
            "oevrige": t.value("sagsrelaterede.oevrige", "aarsvaerk"),
            "ledelse_administration": t.value("ledelse_administration", "aarsvaerk"),
        }  # type: ignore[return-value]

    def national_time_use(self) -> dict[str, float]:
        return {k: self.time_use.cell(k, "andel").share for k in TIME_USE}  # type: ignore[misc]

    def quantified(self) -> list[tuple[str, str, str, float, float]]:
        """(code, category, proposal, low, high) of every quantified Tabel 1 row, in printed order."""
        out = []
        for code in self.proposals.keys():
            if code in ("i_alt", "overlap", "samlet"):
                continue
            low, high = self.proposals.cell(code, "lav"), self.proposals.cell(code, "hoej")
            if low.value is None or high.value is None:
                continue
            row = self.proposals.row(code)
            out.append((code, row.text("kategori"), row.text("forslag"), low.value, high.value))
        return out


def national_profile(data: QuartzData) -> QuartzProfile:
    """The national figures as a profile (Afsnit 3, Figur 1, 4,5 mia. kr.)."""
    return QuartzProfile(
        municipality="Hele landet (Quartz+Co 2014)",
        aarsvaerk=data.national_aarsvaerk(),  # type: ignore[arg-type]
        time_use=data.national_time_use(),  # type: ignore[arg-type]
        cost_base_dkk=data.cost_base_dkk(),
    )


@dataclass
class QuartzResult:
    municipality: str
    aarsvaerk_total: float
    aarsvaerk_case_related: float
    available_hours: float
    hours_per_aarsvaerk: dict[str, float]
    direct_hours_per_aarsvaerk: float
    direct_hours_per_case_related_aarsvaerk: float
    direct_range: tuple[float, float]
    direct_national: float
    direct_position: str
    sager: float | None
    sager_per_aarsvaerk: float | None
    productivity_range: tuple[float, float]
    productivity_position: str | None
    cost_base_dkk: float
    cost_base_basis: str
    cost_per_aarsvaerk: float
    scale: float
    proposals: list[dict[str, object]]
    proposals_low: float
    proposals_high: float
    overlap_low: float
    overlap_high: float
    net_low: float
    net_high: float
    share_low: float
    share_high: float
    benchmark: dict[str, object] | None
    method: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


TIME_LABELS = {  # Quartz+Co linje 103 (Figur 1)
    "direkte_kontakt": "Direkte borger- og virksomhedskontakt", "indirekte_sagsbehandling": "Indirekte sagsbehandling",
    "oevrig_administration": "Øvrig administration til sagsbehandlingen", "ledelse_administration": "Ledelse og administration",
    "oevrig_tid": "Øvrig tid (møder, kurser, pauser)",
}


def _position(value: float, low: float, high: float) -> str:
    if value < low:
        return "under spændet"
    if value > high:
        return "over spændet"
    return "inden for spændet"


def quartz(profile: QuartzProfile, data: QuartzData) -> QuartzResult:
    """Time use, case productivity and savings potential of one municipality (see module doc)."""
    national_hours = data.figure("timer_til_raadighed")
    hours = profile.available_hours_per_aarsvaerk or national_hours
    shares = dict(profile.time_use) if profile.time_use else data.national_time_use()
    total = sum(profile.aarsvaerk.values())
    case_related = sum(v for k, v in profile.aarsvaerk.items() if k in CASE_RELATED)
    per_aarsvaerk = {k: shares[k] * hours for k in TIME_USE}
    direct = per_aarsvaerk["direkte_kontakt"]
    direct_case = direct * total / case_related if case_related > 0 else 0.0
    lo, hi = data.figure("direkte_kontakt_spaend_lav"), data.figure("direkte_kontakt_spaend_hoej")

    sager_per = profile.sager / total if profile.sager is not None else None
    p_lo, p_hi = data.figure("produktivitet_bund_5"), data.figure("produktivitet_top_5")

    nat_base = data.cost_base_dkk()
    nat_total = sum(data.national_aarsvaerk().values())
    nat_per_aarsvaerk = nat_base / nat_total
    if profile.cost_base_dkk is not None:
        base, basis = profile.cost_base_dkk, "kommunens egen omkostningsbase"
    else:
        base = total * nat_per_aarsvaerk
        basis = (
            f"{fmt.number(total, 1)} årsværk × landsgennemsnittets {fmt.kr(nat_per_aarsvaerk)} pr. årsværk "
            f"({fmt.number(nat_base / 1e9, 1)} mia. kr. / {fmt.number(nat_total)} årsværk)"
        )
    scale = base / nat_base
    rows = data.quantified()
    unknown = [c for c in profile.exclude_proposals if c not in {r[0] for r in rows} and c not in data.proposals.keys()]
    if unknown:
        raise InputError([Problem(profile.municipality, None, "exclude_proposals", f"ukendte forslag i Tabel 1: {', '.join(unknown)}")])
    proposals = []
    all_low = sum(r[3] for r in rows)
    all_high = sum(r[4] for r in rows)
    inc_low = inc_high = 0.0
    for code, cat, text, low, high in rows:
        included = code not in profile.exclude_proposals
        proposals.append(
            {"code": code, "category": cat, "proposal": text, "national_low_mio": low, "national_high_mio": high,
             "low_dkk": low * 1e6 * scale if included else 0.0, "high_dkk": high * 1e6 * scale if included else 0.0, "included": included}
        )
        if included:
            inc_low += low
            inc_high += high
    ov_lo_nat = data.proposals.value("overlap", "lav") or 0.0
    ov_hi_nat = data.proposals.value("overlap", "hoej") or 0.0
    # the overlap deduction shrinks with the proposals left out (reading: in proportion to their sum)
    overlap_low = 0.0 if profile.reprioritised else ov_lo_nat * 1e6 * scale * (inc_low / all_low)
    overlap_high = 0.0 if profile.reprioritised else ov_hi_nat * 1e6 * scale * (inc_high / all_high)
    p_low, p_high = inc_low * 1e6 * scale, inc_high * 1e6 * scale
    net_low, net_high = p_low - overlap_low, p_high - overlap_high

    bench = None
    if profile.sager is not None:
        target = profile.benchmark_sager_per_aarsvaerk or p_hi
        needed = profile.sager / target
        gap = total - needed
        per = base / total
        bench = {
            "benchmark_sager_per_aarsvaerk": target,
            "benchmark_basis": "kommunens egen" if profile.benchmark_sager_per_aarsvaerk else "de fem mest produktive jobcentre (Quartz+Co, linje 71 og 132)",
            "aarsvaerk_at_benchmark": needed,
            "gap_aarsvaerk": gap,
            "cost_per_aarsvaerk_dkk": per,
            "gap_dkk": max(gap, 0.0) * per,
            "note": "Årsværk ud over det, benchmarkproduktiviteten kræver for samme antal sager, gange omkostning pr. årsværk; 0 kr. når kommunen allerede er mindst lige så produktiv.",
        }
    method = [
        f"Timer til rådighed pr. årsværk: {fmt.number(hours)} ({'kommunens egen' if profile.available_hours_per_aarsvaerk else 'Quartz+Co linje 103'}); timer pr. kategori = andel × timer.",
        "Direkte kontakt pr. sagsrelateret årsværk = direkte timer pr. årsværk × alle årsværk / sagsrelaterede årsværk (læsning: ledelse og stab har ingen direkte kontakt).",
        "Sagsproduktivitet = sager (fuldtidspersoner på a-dagpenge, sygedagpenge og kontanthjælp) / alle årsværk (Quartz+Co linje 130).",
        f"Prioriteringspotentiale = Tabel 1's forslag × kommunens omkostningsbase / {fmt.number(nat_base / 1e9, 1)} mia. kr., minus overlap skaleret på samme måde"
        + (" (udeladt: ressourcerne omprioriteres i jobcenteret, tabellens note)" if profile.reprioritised else "") + ".",
        "Udeladte forslag trækker overlappet ned i forhold til deres andel af forslagenes sum (læsning; dokumentet fordeler ikke overlappet).",
        "Quartz+Co's kroner er 2014-tal uden pris- og lønregulering; en omkostningsbase i senere priser giver en tilsvarende større skala.",
    ]
    sources = sorted({data.proposals.citation(), data.time_use.citation(), data.key_figures.citation(), data.aarsvaerk.citation()})
    return QuartzResult(
        municipality=profile.municipality,
        aarsvaerk_total=total,
        aarsvaerk_case_related=case_related,
        available_hours=hours,
        hours_per_aarsvaerk=per_aarsvaerk,
        direct_hours_per_aarsvaerk=direct,
        direct_hours_per_case_related_aarsvaerk=direct_case,
        direct_range=(lo, hi),
        direct_national=data.figure("direkte_kontakt_timer"),
        direct_position=_position(direct, lo, hi),
        sager=profile.sager,
        sager_per_aarsvaerk=sager_per,
        productivity_range=(p_lo, p_hi),
        productivity_position=None if sager_per is None else (
            "under gennemsnittet af de fem mindst produktive" if sager_per < p_lo else
            "over gennemsnittet af de fem mest produktive" if sager_per > p_hi else "mellem de fem mindst og de fem mest produktive"),
        cost_base_dkk=base,
        cost_base_basis=basis,
        cost_per_aarsvaerk=base / total,
        scale=scale,
        proposals=proposals,
        proposals_low=p_low,
        proposals_high=p_high,
        overlap_low=overlap_low,
        overlap_high=overlap_high,
        net_low=net_low,
        net_high=net_high,
        share_low=net_low / base,
        share_high=net_high / base,
        benchmark=bench,
        method=method,
        sources=sources,
    )
