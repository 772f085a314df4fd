"""STAR 2018: the passive share of long-term recipients, from a panel and as published.

STAR (seed 003, linje 72) measures, per benefit group, the share of persons with at least one year
on the benefit who have had no active offer in the last year; the surveyed municipalities had 34,
38 and 48 pct. (dagpenge, sygedagpenge, udsatte) against 16, 22 and 27 pct. nationally. The figures
are data (``data/star2018``); how a panel or a scenario group is read into STAR's three groups is an
assumption file (``data/assumptions/passivity.yaml``).

* :func:`passive_share` — the same measure on a person-week panel at a reference week;
* :func:`activatable_default` — the optimiser's default activatable share of a caseload group,
  derived from the national passive share (the derivation is returned as text for Forudsætninger).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import Field

from budgetmodel import fmt
from budgetmodel.codes import ACTIVATIONS, BENEFITS, CODE_NAMES
from budgetmodel.errors import InputError, Problem
from budgetmodel.paths import data_dir
from budgetmodel.sourcefile import load_model
from budgetmodel.statistics.table import StatTable, require_tables
from budgetmodel.unitcost.assumptions import Sourced, _Frozen

StarGroup = Literal["dagpenge", "sygedagpenge", "udsatte"]
STAR_LABELS = {"dagpenge": "Dagpengemodtagere", "sygedagpenge": "Sygedagpengemodtagere", "udsatte": "Udsatte borgere"}
Weeks = Annotated[int, Field(ge=1, le=520)]


class PassivityAssumptions(_Frozen):
    anciennity_weeks: Sourced[Weeks]
    window_weeks: Sourced[Weeks]
    active_activations: Sourced[list[Literal[ACTIVATIONS]]]  # type: ignore[valid-type]
    benefit_groups: Sourced[dict[Literal[BENEFITS], StarGroup]]  # type: ignore[valid-type]
    target_groups: Sourced[dict[str, StarGroup]]
    activatable_reading: Sourced[Literal["national_passive_share_of_long_term"]]


def load_passivity_assumptions(path: Path | str | None = None) -> PassivityAssumptions:
    model, _doc = load_model(path or data_dir() / "assumptions" / "passivity.yaml", PassivityAssumptions)
    return model


@dataclass(frozen=True)
class StarData:
    """STAR 2018's published passive shares (pct. of long-term recipients) and reasons."""

    shares: StatTable
    reasons: StatTable

    @classmethod
    def load(cls, root: Path | str | None = None) -> "StarData":
        return cls(*require_tables(root, "star2018", ("passivandele", "aarsager")))

    def national(self, group: str) -> float:
        return self.shares.cell(group, "hele_landet").share  # type: ignore[return-value]

    def surveyed(self, group: str) -> float:
        return self.shares.cell(group, "undersoegte").share  # type: ignore[return-value]

    def source(self, group: str) -> str:
        return f"{self.shares.document.split(';')[0]}, {self.shares.row(group).text('source')}"

    def reasons_for(self, group: str) -> list[dict[str, object]]:
        out = []
        for code in self.reasons.keys():
            row = self.reasons.row(code)
            if group in row.text("gruppe") or row.text("gruppe").startswith("alle") or (group == "sygedagpenge" and "sygedagpenge" in row.text("gruppe")):
                out.append({"code": code, "reason": row.text("aarsag"), "printed": row.text("trykt"), "source": row.text("source")})
        return out


# --- a panel's own passive share -------------------------------------------------------------------


@dataclass
class GroupPassivity:
    group: str
    label: str
    long_term: int
    passive: int
    national: float
    surveyed: float
    source: str
    by_benefit: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: list[dict[str, object]] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.passive / self.long_term if self.long_term else None

    def as_dict(self) -> dict[str, object]:
        s = self.share
        return {
            "group": self.group,
            "label": self.label,
            "long_term_persons": self.long_term,
            "passive_persons": self.passive,
            "passive_share": s,
            "national_share": self.national,
            "surveyed_share": self.surveyed,
            "difference_to_national_pct_points": None if s is None else (s - self.national) * 100,
            "source": self.source,
            "by_benefit": self.by_benefit,
            "reasons": self.reasons,
        }


@dataclass
class PassivityResult:
    reference_week: str
    anciennity_weeks: int
    window_weeks: int
    groups: list[GroupPassivity]
    method: list[str]
    assumptions: list[dict[str, object]]

    def as_dict(self) -> dict[str, object]:
        return {
            "reference_week": self.reference_week,
            "anciennity_weeks": self.anciennity_weeks,
            "window_weeks": self.window_weeks,
            "unit": "andel af personer med mindst 1 års anciennitet på ydelsen i referenceugen",
            "groups": [g.as_dict() for g in self.groups],
            "method": self.method,
            "assumptions": self.assumptions,
        }


def passive_share(panel, star: StarData, assumptions: PassivityAssumptions, at: str | None = None,
                  at_where: tuple[str, int | None, str] = ("--at", None, "at")) -> PassivityResult:
    """The passive share of a panel (:class:`budgetmodel.financing.panel.PanelArrays`) at week ``at``.

    Long-term: on a benefit of the STAR group in the reference week, with an unbroken run of weeks
    on that group of at least ``anciennity_weeks`` ending there. Passive: no row with an active
    activation (any benefit) in the ``window_weeks`` up to and including the reference week.

    Refused (every problem at once; ``at_where`` = file, line, field of the reference week): an empty
    panel, a reference week that is no ISO week or lies outside the panel, and a panel that begins
    less than ``max(anciennity_weeks, window_weeks)`` weeks before it (nobody could then be seen as
    long-term or passive, and the share would be a silent 0).
    """
    from budgetmodel.financing.panel import parse_week, week_label, week_number

    labels = panel.week_labels
    if not labels:
        raise InputError([Problem(panel.where.file, None, "week", "panelet er tomt")])
    week_no_of_label = np.array([week_number(parse_week(w)) for w in labels], dtype=np.int64)
    first, last = int(week_no_of_label.min()), int(week_no_of_label.max())
    if at is None:
        ref = last
    else:
        try:
            ref = int(week_number(parse_week(at)))
        except (ValueError, TypeError):
            raise InputError([Problem(*at_where, f"'{at}' er ikke en ISO-uge (ÅÅÅÅ-Uww, fx 2018-W20)")]) from None
    anc, win = assumptions.anciennity_weeks.value, assumptions.window_weeks.value
    need = max(anc, win)
    problems = []
    if not first <= ref <= last:
        problems.append(Problem(*at_where, f"referenceugen {week_label(ref)} ligger uden for panelet ({labels[0]} til {labels[-1]})"))
    elif ref - first + 1 < need:
        problems.append(Problem(
            panel.where.file, None, "week",
            f"panelet begynder {labels[0]}, kun {ref - first + 1} uger til og med referenceugen {week_label(ref)}; "
            f"passivandelen kræver mindst {need} uger (1 års anciennitet og det seneste års indsats, STAR 2018) — vælg en senere referenceuge eller et længere panel",
        ))
    if problems:
        raise InputError(problems)
    weeks = week_no_of_label[panel.week]
    group_of_benefit = assumptions.benefit_groups.value
    active_codes = np.array([ACTIVATIONS.index(a) for a in assumptions.active_activations.value], dtype=np.int8)
    active_row = np.isin(panel.activation, active_codes) & (weeks <= ref) & (weeks > ref - win)
    active_persons = set(np.unique(panel.person[active_row]).tolist())

    groups: list[GroupPassivity] = []
    for g in ("dagpenge", "sygedagpenge", "udsatte"):
        benefits = [b for b, sg in group_of_benefit.items() if sg == g]
        codes = np.array([BENEFITS.index(b) for b in benefits], dtype=np.int8)
        sel = np.isin(panel.benefit, codes) & (weeks <= ref)
        person, week, benefit = panel.person[sel], weeks[sel], panel.benefit[sel]
        long_term: list[int] = []
        benefit_at_ref: dict[int, int] = {}
        if person.size:
            order = np.lexsort((-week, person))  # by person, latest week first
            person, week, benefit = person[order], week[order], benefit[order]
            starts = np.flatnonzero(np.r_[True, person[1:] != person[:-1]])
            ends = np.r_[starts[1:], person.size]
            for s, e in zip(starts, ends):
                if week[s] != ref:
                    continue  # not on the group in the reference week
                uniq = np.unique(week[s:e])[::-1]  # distinct weeks, latest first
                run = int(np.argmax(np.r_[np.diff(-uniq) != 1, True])) + 1  # unbroken weeks ending at ref
                if run >= anc:
                    pid = int(person[s])
                    long_term.append(pid)
                    benefit_at_ref[pid] = int(benefit[s])
        passive = [p for p in long_term if p not in active_persons]
        by_benefit: dict[str, dict[str, int]] = {}
        for p in long_term:
            b = BENEFITS[benefit_at_ref[p]]
            entry = by_benefit.setdefault(b, {"long_term_persons": 0, "passive_persons": 0})
            entry["long_term_persons"] += 1
            entry["passive_persons"] += int(p not in active_persons)
        groups.append(
            GroupPassivity(g, STAR_LABELS[g], len(long_term), len(passive), star.national(g), star.surveyed(g), star.source(g), by_benefit, star.reasons_for(g))
        )
    method = [
        f"Referenceuge {week_label(ref)}; langtidsmodtager = på en ydelse i gruppen i referenceugen med mindst {anc} sammenhængende uger i gruppen (STAR 2018, linje 72).",
        f"Passiv = ingen uge med aktiv indsats ({', '.join(CODE_NAMES.get(a, a).lower() for a in assumptions.active_activations.value)}) i de {win} uger til og med referenceugen.",
        "Passivandel = passive / langtidsmodtagere; sammenlignet med STAR's landsgennemsnit og de undersøgte kommuners gennemsnit (maj 2018).",
    ]
    used = [
        {"name": n, "value": getattr(assumptions, n).value, "status": getattr(assumptions, n).status, "source": getattr(assumptions, n).source}
        for n in ("anciennity_weeks", "window_weeks", "active_activations", "benefit_groups")
    ]
    return PassivityResult(week_label(ref), anc, win, groups, method, used)


# --- the optimiser's default activatable share -----------------------------------------------------


@dataclass(frozen=True)
class ActivatableDefault:
    value: float
    star_group: str
    derivation: str
    source: str


def no_activatable_default(target_group: str, where: str, assumptions: PassivityAssumptions | None = None) -> str | None:
    """Why ``target_group`` has no default activatable share (a Danish message asking for the
    field at ``where``), or None when STAR 2018 covers it and :func:`activatable_default` applies.

    The rule (data/assumptions/passivity.yaml, activatable_reading): STAR 2018 measured six benefit
    groups (linje 57-66); jobparate kontanthjælps- and uddannelseshjælpsmodtagere are left out
    (linje 66), so nothing in the document says how many of them can be activated, and the share is
    a required input for them (and for any group outside STAR's six)."""
    assumptions = assumptions or load_passivity_assumptions()
    if target_group in assumptions.target_groups.value:
        return None
    return (
        f"{where} mangler: målgruppen '{target_group}' er ikke blandt STAR 2018's seks ydelsesgrupper "
        "(jobparate indgår ikke, seeds/003 linje 66), så der er ingen afledt standard; angiv andelen, der kan aktiveres "
        "(0-1, med kilde), fx 1 hvis alle i gruppen vurderes at kunne aktiveres"
    )


def activatable_default(
    target_group: str,
    helaarspersoner: float,
    long_term_helaarspersoner: float | None,
    star: StarData | None = None,
    assumptions: PassivityAssumptions | None = None,
) -> ActivatableDefault | None:
    """Activatable share = 1 − national passive share × long-term share (None for a group STAR
    does not cover, e.g. jobparate). Reading in data/assumptions/passivity.yaml (activatable_reading)."""
    star = star or StarData.load()
    assumptions = assumptions or load_passivity_assumptions()
    g = assumptions.target_groups.value.get(target_group)
    if g is None:
        return None
    p = star.national(g)
    if long_term_helaarspersoner is not None and helaarspersoner > 0:
        lt = min(1.0, long_term_helaarspersoner / helaarspersoner)
        lt_text = f"{fmt.number(long_term_helaarspersoner, 0)} / {fmt.number(helaarspersoner, 0)} helårspersoner med mindst 1 års anciennitet = {fmt.pct(lt, 1)}"
    else:
        lt = 1.0
        lt_text = "ingen oplysning om langtidsmodtagere: alle regnes som langtidsmodtagere"
    value = 1.0 - p * lt
    derivation = (
        f"Aktiverbar andel = 1 − {fmt.pct(p, 0)} (STAR 2018, landsgennemsnit for {STAR_LABELS[g].lower()}) × {fmt.pct(lt, 1)} ({lt_text}) "
        f"= {fmt.pct(value, 1)}. Læsning: {assumptions.activatable_reading.note}"
    )
    return ActivatableDefault(value, g, derivation, f"{star.source(g)}; data/assumptions/passivity.yaml (status: {assumptions.activatable_reading.status})")
