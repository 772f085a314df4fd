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

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from budgetmodel import fmt
from budgetmodel.codes import ACTIVATIONS, BENEFITS, CODE_NAMES
from budgetmodel.draws import any_, bounds, ratio, vmin, where
from budgetmodel.errors import InputError, Problem
from budgetmodel.paths import data_dir
from budgetmodel.statistics.table import StatTable, require_tables

StarGroup = Literal["dagpenge", "sygedagpenge", "udsatte"]
STAR_LABELS = {"dagpenge": "Dagpengemodtagere", "sygedagpenge": "Sygedagpengemodtagere", "udsatte": "Udsatte borgere"}


@dataclass(frozen=True)
class SourcedValue:
    """A value of the assumption file with its unit, status and source (checked by
    :class:`budgetmodel.unitcost.passivity_file.PassivityAssumptionsFile`)."""

    value: Any
    status: str
    source: str
    unit: str | None = None
    price_level: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class PassivityAssumptions:
    """``data/assumptions/passivity.yaml``, checked, as plain values."""

    anciennity_weeks: SourcedValue
    window_weeks: SourcedValue
    active_activations: SourcedValue
    benefit_groups: SourcedValue
    target_groups: SourcedValue
    activatable_reading: SourcedValue


# the modules whose code decides the checked form (a change to any of them checks the file again)
CHECKING_CODE = ("unitcost/passivity.py", "unitcost/passivity_file.py", "unitcost/sourced.py", "codes.py", "sourcefile.py", "safefile.py")


def load_passivity_assumptions(path: Path | str | None = None) -> PassivityAssumptions:
    """The checked assumption file; for the same bytes, its checked form kept from an earlier run
    (:mod:`budgetmodel.compiled`), so the passive share beside ``refund`` needs no pydantic."""
    from budgetmodel.compiled import cached_file

    path = Path(path or data_dir() / "assumptions" / "passivity.yaml")
    return cached_file("passivity", path, CHECKING_CODE, lambda _sha: _checked(path))[0]


def _checked(path: Path) -> PassivityAssumptions:
    from budgetmodel.sourcefile import load_model
    from budgetmodel.unitcost.passivity_file import PassivityAssumptionsFile

    model, _doc = load_model(path, PassivityAssumptionsFile)
    return model.form()


@dataclass(frozen=True)
class StarData:
    """STAR 2018's published passive shares (pct. of long-term recipients) and reasons."""

    shares: StatTable
    reasons: StatTable

    @classmethod
    def load(cls, root: Path | str | None = None) -> "StarData":
        shares, reasons = require_tables(root, "star2018", ("passivandele", "aarsager"))
        bad = [code for code in reasons.keys() if reasons.row(code).text("art") not in REASON_KINDS]
        if bad:
            raise InputError([Problem(str(reasons.path), None, f"{code}.art", f"forventede en af {', '.join(REASON_KINDS)}, fandt '{reasons.row(code).text('art')}'") for code in bad])
        return cls(shares, reasons)

    def national(self, group: str) -> float:
        return self.shares.cell(group, "hele_landet").share  # type: ignore[return-value]

    def surveyed(self, group: str) -> float:
        return self.shares.cell(group, "undersoegte").share  # type: ignore[return-value]

    def source(self, group: str) -> str:
        return f"{self.shares.document.split(';')[0]}, {self.shares.row(group).text('source')}"

    def reasons_for(self, group: str) -> list[dict[str, object]]:
        """The reasons the municipalities gave for ``group`` (art = aarsag); STAR's findings on
        follow-up and political treatment are no reasons (:meth:`governance_findings`)."""
        out = []
        for code in self.reasons.keys():
            row = self.reasons.row(code)
            if row.text("art") != "aarsag":
                continue
            if re.search(rf"\b{group}\b", row.text("gruppe")) or row.text("gruppe").startswith("alle"):  # not 'dagpenge' in 'sygedagpenge'
                out.append(self._entry(code))
        return out

    def governance_findings(self) -> list[dict[str, object]]:
        """STAR's findings on how the municipalities follow up the effort (art = styring): how it is
        governed, not why persons are passive."""
        return [self._entry(code) for code in self.reasons.keys() if self.reasons.row(code).text("art") == "styring"]

    def _entry(self, code: str) -> dict[str, object]:
        row = self.reasons.row(code)
        kind = row.text("art")
        return {"code": code, "kind": kind, "kind_label": REASON_KINDS[kind], "reason": row.text("aarsag"), "printed": row.text("trykt"), "source": row.text("source")}


REASON_KINDS = {"aarsag": "årsag til manglende aktiv indsats", "styring": "styringsfund (opfølgning), ikke en årsag til passivitet"}


# --- a panel's own passive share -------------------------------------------------------------------

STAR_GROUPS = ("dagpenge", "sygedagpenge", "udsatte")


@dataclass
class GroupPassivity:
    group: str
    label: str
    long_term: int | None  # None: not computed (the panel is too short, see PassivityResult.message)
    passive: int | None
    national: float
    surveyed: float
    source: str
    by_benefit: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: list[dict[str, object]] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.passive / self.long_term if self.long_term else None

    def as_dict(self) -> dict[str, object]:
        s = None if self.share is None else round(self.share, 9)  # JSON without float noise
        return {
            "group": self.group,
            "label": self.label,
            "long_term_persons": self.long_term,
            "passive_persons": self.passive,
            "passive_share": s,
            "national_share": self.national,
            "surveyed_share": self.surveyed,
            "difference_to_national_pct_points": None if s is None else round((s - self.national) * 100, 9),
            "difference_to_surveyed_pct_points": None if s is None else round((s - self.surveyed) * 100, 9),
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
    message: str | None = None  # Danish: why no share was computed (a panel too short), else None
    governance: list[dict[str, object]] = field(default_factory=list)  # STAR's findings on follow-up, not reasons

    @property
    def computed(self) -> bool:
        return self.message is None

    def as_dict(self) -> dict[str, object]:
        return {
            "reference_week": self.reference_week,
            "anciennity_weeks": self.anciennity_weeks,
            "window_weeks": self.window_weeks,
            "unit": "andel af personer med mindst 1 års anciennitet på ydelsen i referenceugen",
            "convention": CONVENTION.format(anc=self.anciennity_weeks, win=self.window_weeks, ref=self.reference_week),
            "computed": self.computed,
            "message": self.message,
            "groups": [g.as_dict() for g in self.groups],
            "governance_findings": self.governance,
            "method": self.method,
            "assumptions": self.assumptions,
        }


CONVENTION = (
    "STAR 2018 (seeds/003, linje 72): langtidsmodtager = på en ydelse i STAR-gruppen i referenceugen {ref} med mindst {anc} "
    "sammenhængende uger i gruppen til og med den; passiv = ingen uge med aktiv indsats i de {win} uger til og med referenceugen; "
    "passivandel = passive / langtidsmodtagere (personer, ikke helårspersoner), pr. gruppe; sammenlignet med STAR's landsgennemsnit "
    "og de undersøgte kommuners gennemsnit (maj 2018, data/star2018/passivandele.csv)"
)


def passivity_counts(panel, assumptions: PassivityAssumptions, ref: int) -> np.ndarray:
    """Long-term and passive persons at week number ``ref``, by the benefit they are on then:
    an int64 array (len(BENEFITS), 2). Every count looks at one person's own rows, so the counts of
    panels split by person add up to the whole panel's (the out-of-core path sums its buckets).

    Long-term: on a benefit of a STAR group in the reference week, with an unbroken run of weeks on
    that group of at least ``anciennity_weeks`` ending there (counted under the lowest benefit code
    the person has in the group that week). Passive: no row with an active activation (any benefit)
    in the ``window_weeks`` up to and including the reference week."""
    from budgetmodel.financing.panel import parse_week, week_number

    out = np.zeros((len(BENEFITS), 2), np.int64)
    if not len(panel):
        return out
    week_no_of_label = np.array([week_number(parse_week(w)) for w in panel.week_labels], dtype=np.int64)
    weeks = week_no_of_label[panel.week]
    anc, win = assumptions.anciennity_weeks.value, assumptions.window_weeks.value
    active_codes = np.array([ACTIVATIONS.index(a) for a in assumptions.active_activations.value], dtype=np.int8)
    active_row = np.isin(panel.activation, active_codes) & (weeks <= ref) & (weeks > ref - win)
    active_persons = np.unique(panel.person[active_row])
    group_of_benefit = assumptions.benefit_groups.value
    recent = (weeks <= ref) & (weeks > ref - anc)  # an unbroken run of >= anc weeks ending at ref = every one of these weeks
    for g in STAR_GROUPS:
        codes = np.array([BENEFITS.index(b) for b, sg in group_of_benefit.items() if sg == g], dtype=np.int8)
        sel = np.isin(panel.benefit, codes) & recent
        person, week = panel.person[sel], weeks[sel]
        if not person.size:
            continue
        order = np.lexsort((week, person))
        person, week = person[order], week[order]
        distinct = np.r_[True, (person[1:] != person[:-1]) | (week[1:] != week[:-1])]
        persons, n_weeks = np.unique(person[distinct], return_counts=True)
        long_term = persons[n_weeks == anc]
        if not long_term.size:
            continue
        at_ref = sel & (weeks == ref)
        p_ref, b_ref = panel.person[at_ref], panel.benefit[at_ref]
        o = np.lexsort((b_ref, p_ref))
        p_ref, b_ref = p_ref[o], b_ref[o]
        first = np.r_[True, p_ref[1:] != p_ref[:-1]]
        p_ref, b_ref = p_ref[first], b_ref[first]  # each person's lowest benefit code in the group that week
        is_long = np.isin(p_ref, long_term)
        lt_benefit = b_ref[is_long]
        passive = ~np.isin(p_ref[is_long], active_persons)
        np.add.at(out[:, 0], lt_benefit, 1)
        np.add.at(out[:, 1], lt_benefit[passive], 1)
    return out


def reference_week(
    first: int | None, last: int | None, at: str | None, assumptions: PassivityAssumptions, file: str,
    at_where: tuple[str, int | None, str] = ("--at", None, "at"), strict: bool = True,
) -> tuple[int | None, str | None]:
    """The reference week (a week number) of a panel spanning week numbers ``first``-``last``:
    ``at`` (an ISO week) or the panel's last week; and, when the panel begins less than
    ``max(anciennity_weeks, window_weeks)`` weeks before it (nobody could be seen as long-term or
    passive, and the share would be a silent 0), why no share can be computed (Danish).

    Refused (InputError, every problem at once; ``at_where`` = file, line, field of ``at``): a week
    that is no ISO week or lies outside the panel; with ``strict`` also an empty or too short panel."""
    from budgetmodel.financing.panel import parse_week, week_label, week_number

    if first is None or last is None:
        message = "panelet er tomt"
        if strict:
            raise InputError([Problem(file, None, "week", message)])
        return None, "Passivandelen er ikke beregnet: " + message
    if at is None:
        ref = last
    else:
        try:
            ref = int(week_number(parse_week(at)))
        except (ValueError, TypeError):
            raise InputError([Problem(*at_where, f"'{at}' er ikke en ISO-uge (ÅÅÅÅ-Uww, fx 2018-W20)")]) from None
    if not first <= ref <= last:
        raise InputError([Problem(*at_where, f"referenceugen {week_label(ref)} ligger uden for panelet ({week_label(first)} til {week_label(last)})")])
    need = max(assumptions.anciennity_weeks.value, assumptions.window_weeks.value)
    if ref - first + 1 >= need:
        return ref, None
    message = (
        f"panelet begynder {week_label(first)}, kun {ref - first + 1} uger til og med referenceugen {week_label(ref)}; "
        f"passivandelen kræver mindst {need} uger (1 års anciennitet og det seneste års indsats, STAR 2018) — vælg en senere referenceuge eller et længere panel"
    )
    if strict:
        raise InputError([Problem(file, None, "week", message)])
    return ref, "Passivandelen er ikke beregnet: " + message


def passivity_result(counts: np.ndarray | None, ref: int | None, star: StarData, assumptions: PassivityAssumptions, message: str | None = None) -> PassivityResult:
    """The result from :func:`passivity_counts` (summed over parts), with STAR 2018's shares beside it;
    ``counts`` None (with ``message``) when the panel is too short to compute them."""
    from budgetmodel.financing.panel import week_label

    group_of_benefit = assumptions.benefit_groups.value
    groups: list[GroupPassivity] = []
    for g in STAR_GROUPS:
        long_term = passive = None
        by_benefit: dict[str, dict[str, int]] = {}
        if counts is not None:
            long_term = passive = 0
            for b, sg in group_of_benefit.items():
                lt, pa_ = (int(x) for x in counts[BENEFITS.index(b)])
                if sg == g and lt:
                    by_benefit[b] = {"long_term_persons": lt, "passive_persons": pa_}
                    long_term += lt
                    passive += pa_
            by_benefit = dict(sorted(by_benefit.items()))
        groups.append(GroupPassivity(g, STAR_LABELS[g], long_term, passive, star.national(g), star.surveyed(g), star.source(g), by_benefit, star.reasons_for(g)))
    anc, win = assumptions.anciennity_weeks.value, assumptions.window_weeks.value
    ref_label = "–" if ref is None else week_label(ref)
    method = [
        f"Referenceuge {ref_label}; langtidsmodtager = på en ydelse i gruppen i referenceugen med mindst {anc} sammenhængende uger i gruppen (STAR 2018, linje 72).",
        f"Passiv = ingen uge med aktiv indsats ({', '.join(CODE_NAMES.get(a, a).lower() for a in assumptions.active_activations.value)}) i de {win} uger til og med referenceugen.",
        "Passivandel = passive / langtidsmodtagere; sammenlignet med STAR's landsgennemsnit og de undersøgte kommuners gennemsnit (maj 2018).",
    ]
    used = [
        {"name": n, "value": getattr(assumptions, n).value, "status": getattr(assumptions, n).status, "source": getattr(assumptions, n).source}
        for n in ("anciennity_weeks", "window_weeks", "active_activations", "benefit_groups")
    ]
    return PassivityResult(ref_label, anc, win, groups, method, used, message, star.governance_findings())


def passive_share(panel, star: StarData, assumptions: PassivityAssumptions, at: str | None = None,
                  at_where: tuple[str, int | None, str] = ("--at", None, "at"), strict: bool = True) -> PassivityResult:
    """The passive share of a panel (:class:`budgetmodel.financing.panel.PanelArrays`) at week ``at``
    (default: the panel's last week); the measure of :func:`passivity_counts`, the reference week of
    :func:`reference_week` (``strict``: a panel too short is refused; otherwise the result says so)."""
    from budgetmodel.financing.panel import parse_week, week_number

    labels = panel.week_labels if len(panel) else []
    first, last = (int(week_number(parse_week(labels[0]))), int(week_number(parse_week(labels[-1])))) if labels else (None, None)
    ref, message = reference_week(first, last, at, assumptions, panel.where.file, at_where, strict)
    if ref is None:
        return passivity_result(None, None, star, assumptions, message)
    return passivity_result(None if message else passivity_counts(panel, assumptions, ref), ref, star, assumptions, message)


def bucket_passivity(bucket_dir: str, assumptions: PassivityAssumptions, ref: int) -> np.ndarray:
    """:func:`passivity_counts` of one bucket of the out-of-core path (a Dask task, too)."""
    from budgetmodel.financing.partitioned import read_bucket

    panel = read_bucket(bucket_dir)
    return passivity_counts(panel, assumptions, ref) if panel is not None else np.zeros((len(BENEFITS), 2), np.int64)


def bucketed_passive_share(b, client, star: StarData, assumptions: PassivityAssumptions, at: str | None, file: str,
                           at_where: tuple[str, int | None, str] = ("--at", None, "at")) -> PassivityResult:
    """:func:`passive_share` (not strict) of a panel bucketed by person (``financing.partitioned.Bucketed``):
    the buckets' counts added (integers, so the in-memory result exactly)."""
    ref, message = reference_week(b.first_week, b.last_week, at, assumptions, file, at_where, strict=False)
    if ref is None:
        return passivity_result(None, None, star, assumptions, message)
    counts = None if message else b.fold(bucket_passivity, np.add, client, assumptions=assumptions, ref=ref)
    return passivity_result(counts, ref, star, assumptions, message)


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


def _show(x: Any, digits: int) -> str:
    lo, hi = bounds(x)
    return fmt.number(lo, digits) if lo == hi else f"{fmt.number(lo, digits)}-{fmt.number(hi, digits)}"


def _show_pct(x: Any) -> str:
    lo, hi = bounds(x)
    return fmt.pct(lo, 1) if lo == hi else f"{fmt.number(lo * 100, 1)}-{fmt.pct(hi, 1)}"


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
    # a sensitivity run's draws (budgetmodel.draws) are computed element-wise; the text shows their range
    if long_term_helaarspersoner is not None and any_(helaarspersoner > 0):
        lt = where(helaarspersoner > 0, vmin(1.0, ratio(long_term_helaarspersoner, helaarspersoner)), 1.0)
        lt_text = f"{_show(long_term_helaarspersoner, 0)} / {_show(helaarspersoner, 0)} helårspersoner med mindst 1 års anciennitet = {_show_pct(lt)}"
    else:
        lt = 1.0
        lt_text = "ingen oplysning om langtidsmodtagere: alle regnes som langtidsmodtagere"
    value = 1.0 - p * lt
    derivation = (
        f"Aktiverbar andel = 1 − {fmt.pct(p, 0)} (STAR 2018, landsgennemsnit for {STAR_LABELS[g].lower()}) × {_show_pct(lt)} ({lt_text}) "
        f"= {_show_pct(value)}. Læsning: {assumptions.activatable_reading.note}"
    )
    return ActivatableDefault(value, g, derivation, f"{star.source(g)}; data/assumptions/passivity.yaml (status: {assumptions.activatable_reading.status})")
