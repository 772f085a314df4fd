"""The passive share (STAR 2018) as the terminal shows it, from its JSON block
(:meth:`passivity.PassivityResult.as_dict`): one renderer for ``passivandel``, ``refund`` and ``forecast``."""

from __future__ import annotations

from typing import Any

from budgetmodel import fmt


def passivity_renderables(block: dict[str, Any], detail: bool = False) -> list[Any]:
    """Rich renderables: a heading, the table by STAR group against STAR 2018's shares (or, for a
    panel too short, the Danish reason instead of numbers), STAR's findings on follow-up (labelled as
    such, not as reasons) and the source; ``detail`` adds the method and the reasons by group."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = [Text(f"Passivandel (STAR 2018-metoden) i referenceugen {block['reference_week']}", style="bold")]
    if detail:
        out += [Text("  " + m) for m in block["method"]]
    if not block["computed"]:
        out.append(Text(block["message"]))
    t = Table(
        title="Passive langtidsmodtagere mod STAR 2018",
        box=box.SIMPLE_HEAD,  # fits 80 columns
        caption=f"Langtidsmodtager: mindst {block['anciennity_weeks']} sammenhængende uger på en ydelse i gruppen til og med referenceugen; "
        f"passiv: ingen aktiv indsats i de {block['window_weeks']} uger til og med den. Andele af personer.",
    )
    for col in ("Gruppe", "Langtids-\nmodtagere", "Passive", "Passiv-\nandel\npct.", "Landet\n2018\npct.", "Under-\nsøgte\nkommuner\n2018 pct.", "Forskel\ntil\nlandet,\npct.-\npoint"):
        t.add_column(col, justify="left" if col == "Gruppe" else "right", no_wrap=col == "Gruppe")
    for g in block["groups"]:
        s = g["passive_share"]
        if not block["computed"]:
            counts = ["–", "–", "ikke beregnet"]
        else:
            counts = [fmt.number(g["long_term_persons"]), fmt.number(g["passive_persons"]), "ingen langtidsmodt." if s is None else fmt.number(s * 100, 1)]
        diff = g["difference_to_national_pct_points"]
        t.add_row(g["group"].capitalize(), *counts, fmt.number(g["national_share"] * 100, 0), fmt.number(g["surveyed_share"] * 100, 0), "" if diff is None else fmt.number(diff, 1))
    out.append(t)
    if detail:
        for g in block["groups"]:
            if g["reasons"]:
                out.append(Text(f"Årsager, kommunerne angav for {g['label'].lower()} (andel af kommuner, ikke af borgere):"))
                out += [Text(f"  - {r['reason']} ({r['printed']}; {r['source']})") for r in g["reasons"]]
    if block["governance_findings"]:
        out.append(Text("Styringsfund hos STAR 2018 (om kommunernes opfølgning, ikke årsager til passivitet): "
                        + "; ".join(f"{r['reason']} ({r['printed']}; {r['source']})" for r in block["governance_findings"])))
    document = {g["source"].rsplit(", linje", 1)[0] for g in block["groups"]}
    lines = [g["source"].rsplit(", ", 1)[-1].removeprefix("linje ") for g in block["groups"]]
    out.append(Text("Kilde: " + ("; ".join(sorted({g["source"] for g in block["groups"]})) if len(document) > 1 else f"{document.pop()}, linje {', '.join(lines)}")))
    return out
