"""`budgetmodel validate` checks scenario files (and fragments) through this checker."""

from __future__ import annotations

from pathlib import Path

from budgetmodel.scenario.load import check_fragment, check_rates, load_scenario
from budgetmodel.sourcefile import LocatedDocument
from budgetmodel.validation import register_checker


def claims(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and doc.data.get("kind") in ("scenario", "scenario-fragment")


def check(path: Path) -> None:
    from budgetmodel.sourcefile import load_yaml

    if load_yaml(path).data.get("kind") == "scenario-fragment":
        check_fragment(path)
        return
    from budgetmodel.rates import load_rates

    loaded = load_scenario(path)
    check_rates(loaded, load_rates())


register_checker(("scenario", claims, check))
