"""The multi-year budget-lines table: a municipality's budget challenge from a reform, composed of
the budgetgaranti difference, the mentorramme, the driftsloft, ØVO and mentor above the 2026 limit,
the beskæftigelsestilskud, fixed lines (a pulje set aside), and then the counter-initiatives → netto.
Seed 004 (l. 1591-1597, 198-202, 206-210). Every line is computed from its causes here; a figure a
document prints is a check the run reports (``budgetmodel.scenario.budget_checks``).

Reading of the arithmetic (one rule): every line is computed in kroner from unrounded inputs;
totals add the unrounded lines; 1.000 kr. (Danish rounding, half away from zero) is only the way a
figure is shown. This is what the notat did: its printed lines do not always add up (2015: 4.774 +
1.428 + 2.075 − 1.931 = 6.346, printed 6.347; 2017: 4.756 + 1.428 + 2.583 − 2.942 = 5.825, printed
5.826). Where the notat does not print what a line derives from, the scenario carries derived
readings inside the printed rounding intervals (status assumption or derived, each with its note in
the scenario): with them every printed figure of the four tables comes out, and the places where the
notat's own printed lines do not add up are reported as checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from budgetmodel.draws import bounds, is_draws
from budgetmodel.financing.budgetgaranti import BudgetgarantiResult, OevoMentorYearResult, budgetgaranti, oevo_mentor_excess
from budgetmodel.financing.driftsloft import DriftsloftRecomputationYear, driftsloft_recomputation
from budgetmodel.financing.inputs import BudgetLinesInput, InitiativeLine
from budgetmodel.financing.mentor import MentorYearResult, mentor_challenge
from budgetmodel.fmt import round_half_up
from budgetmodel.rates import RateBook

TOTAL_LABEL = "Samlet budgetudfordring"
INITIATIVES_LABEL = "Modgående initiativer"
NETTO_LABEL = "Samlet budgetudfordring, netto"


def thousand(dkk: float) -> int:
    """Kroner shown in 1.000 kr., Danish rounding (half away from zero)."""
    return int(round_half_up(dkk / 1000.0))


@dataclass(frozen=True)
class BudgetLine:
    key: str
    label: str
    kind: str  # "line" (part of the total), "total", "initiative", "netto"
    dkk: dict[int, float]  # unrounded kroner by year
    source: str
    status: str

    def thousand(self, year: int) -> int:
        return thousand(self.dkk[year])


@dataclass(frozen=True)
class BudgetDetails:
    """The engines' results behind the lines, for the memo's sub-tables."""

    budgetgaranti: BudgetgarantiResult | None = None
    mentor: dict[int, MentorYearResult] | None = None
    driftsloft: dict[int, DriftsloftRecomputationYear] | None = None
    oevo_mentor: dict[int, OevoMentorYearResult] | None = None
    initiatives: tuple[InitiativeLine, ...] = ()


@dataclass(frozen=True)
class BudgetTable:
    years: tuple[int, ...]
    lines: tuple[BudgetLine, ...]
    details: BudgetDetails = field(default_factory=BudgetDetails)
    rates_fingerprint: str = ""

    def line(self, key: str) -> BudgetLine:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(f"ingen budgetlinje '{key}' (har: {', '.join(x.key for x in self.lines)})")

    def to_frame(self, unit: str = "tdkk"):
        """One row per line; a column per year in 1.000 kr. (ints, Danish rounding) or kroner."""
        import pandas as pd

        rows = []
        for line in self.lines:
            row: dict[str, Any] = {"key": line.key, "label": line.label, "kind": line.kind}
            for y in self.years:
                row[str(y)] = line.thousand(y) if unit == "tdkk" else line.dkk[y]
            row["source"] = line.source
            row["status"] = line.status
            rows.append(row)
        return pd.DataFrame(rows)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: per line the 1.000 kr. figures and the unrounded kroner."""
        return {
            "years": list(self.years),
            "rates_fingerprint": self.rates_fingerprint,
            "lines": [
                {
                    "key": x.key,
                    "label": x.label,
                    "kind": x.kind,
                    "tdkk": {str(y): x.thousand(y) for y in self.years},
                    "dkk": {str(y): x.dkk[y] for y in self.years},
                    "source": x.source,
                    "status": x.status,
                }
                for x in self.lines
            ],
        }


def _pct3(share: float) -> str:
    """A key share in pct. with 3 decimals (a sensitivity run's draws: their range)."""
    if is_draws(share):
        lo, hi = bounds(share)
        return f"{lo * 100:.3f}-{hi * 100:.3f}"
    return f"{share * 100:.3f}"


def inp_extra_lines(inp: BudgetLinesInput) -> list[BudgetLine]:
    """Lines computed by other engines before the table is built (the beskæftigelsestilskud)."""
    return [BudgetLine(x.key, x.label, "line", {y: x.dkk[y] for y in inp.years}, x.source, x.status) for x in inp.computed_lines]


def build_budget_lines(inp: BudgetLinesInput, book: RateBook) -> BudgetTable:
    years = list(inp.years)

    lines: list[BudgetLine] = []
    details: dict[str, Any] = {}

    if inp.budgetgaranti is not None:
        bg = budgetgaranti(inp.budgetgaranti)
        details["budgetgaranti"] = bg
        missing = [y for y in years if y not in bg.total]
        if missing:
            raise KeyError(f"budgetgarantien mangler år {missing} i mindst én del")
        keys = ", ".join(f"{p.label}: landstal × {_pct3(p.key_share)} pct. ({'bloktilskud' if p.key == 'bloktilskud' else 'omfattede udgifter'})" for p in inp.budgetgaranti.parts.values())
        lines.append(
            BudgetLine(
                "reform",
                inp.budgetgaranti.label,
                "line",
                {y: bg.total[y].challenge_dkk for y in years},
                f"Summen af reformens linjer minus statens regulering (landstal × kommunens andel af nøglen); {keys}. {inp.budgetgaranti.source}".strip(),
                "derived",
            )
        )

    if inp.mentor is not None:
        mentor = {y: r for y, r in mentor_challenge(inp.mentor, book, inp.law_date).items() if y in years}
        details["mentor"] = mentor
        lines.append(
            BudgetLine(
                "mentor",
                inp.mentor.label,
                "line",
                {y: mentor[y].lost_refund_dkk for y in years},
                f"Refusion tabt til mentorrammen: max(0, refusionssats × udgifter under rammen − rammen) (rates: mentorramme, refusion_driftsudgifter). {inp.mentor.source}".strip(),
                "derived",
            )
        )

    if inp.driftsloft is not None:
        dl = {y: r for y, r in driftsloft_recomputation(inp.driftsloft, book, inp.law_date).items() if y in years}
        details["driftsloft"] = dl
        old = "det gamle loft ikke bindende" if inp.driftsloft.old_basis == "ikke_bindende" else f"loft {inp.driftsloft.old_basis}"
        lines.append(
            BudgetLine(
                "driftsloft",
                inp.driftsloft.label,
                "line",
                {y: dl[y].dkk for y in years},
                f"Refusion tabt ved genberegningen: sats × min(udgifter, loft × helårspersoner) med {old} minus med loft {inp.driftsloft.basis} "
                f"(rates: driftsloft, driftsloft_gruppe, refusion_driftsudgifter). {inp.driftsloft.source}".strip(),
                "derived",
            )
        )

    if inp.oevo_mentor is not None:
        om = {y: r for y, r in oevo_mentor_excess(inp.oevo_mentor, book, inp.law_date).items() if y in years}
        details["oevo_mentor"] = om
        lines.append(
            BudgetLine(
                "oevo_mentor",
                inp.oevo_mentor.label,
                "line",
                {y: om[y].excess_dkk for y in years},
                f"ØVO- og mentorudgifter over beløbsgrænsen × fuldtidspersoner bæres af kommunen selv (LAB § 203 a; rates: beloebsgraense_oevo_mentor). {inp.oevo_mentor.source}".strip(),
                "derived",
            )
        )

    for extra in inp_extra_lines(inp):
        lines.append(extra)

    for fl in inp.fixed_lines:
        lines.append(BudgetLine(fl.key, fl.label, "line", {y: fl.dkk[y] for y in years}, fl.source, fl.status))

    total = {y: sum(x.dkk[y] for x in lines if x.kind == "line") for y in years}
    lines.append(BudgetLine("total", TOTAL_LABEL, "total", total, "Summen af linjerne ovenfor (uafrundede kroner).", "derived"))

    if inp.initiatives:
        effect = {y: sum(init.dkk.get(y, 0.0) for init in inp.initiatives) for y in years}
        lines.append(
            BudgetLine(
                "initiatives",
                INITIATIVES_LABEL,
                "initiative",
                effect,
                "Initiativernes budgetvirkning: sagsstammen med initiativerne minus uden, prissat efter refusionsreglerne (løn − øget statsrefusion + ændrede driftsudgifter) × andel af året: "
                + "; ".join(f"{i.label}, start {i.start.isoformat()}, {i.duration_months} mdr." for i in inp.initiatives),
                "derived",
            )
        )
        lines.append(
            BudgetLine("netto", NETTO_LABEL, "netto", {y: total[y] + effect[y] for y in years}, "Samlet budgetudfordring plus modgående initiativer (uafrundede kroner).", "derived")
        )
    details["initiatives"] = tuple(inp.initiatives)
    return BudgetTable(tuple(years), tuple(lines), BudgetDetails(**details), book.fingerprint)
