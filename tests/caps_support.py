"""Shared helpers for the caps tests: the bundled rates and the Lyngby-Taarbæk reform scenario.

The engines' inputs for seed 004 come from the bundled scenario itself (one place holds the
figures and their readings), turned into the engines' typed inputs by the run's own code."""

from __future__ import annotations

from pathlib import Path

from budgetmodel.financing.inputs import BudgetLinesInput
from budgetmodel.rates import load_rates

FIXTURES = Path(__file__).parent / "fixtures"
REFORM = Path(__file__).resolve().parents[1] / "scenarios" / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"


def ltk_budget_input() -> BudgetLinesInput:
    """The reform scenario's budget inputs (compiled) plus its initiative, valued by the initiative engine."""
    from budgetmodel.financing.inputs import InitiativeLine
    from budgetmodel.scenario.compile import compile_scenario
    from budgetmodel.scenario.load import load_scenario
    from budgetmodel.scenario.run import value_initiatives

    book = load_rates()
    compiled = compile_scenario(load_scenario(REFORM, book), book)
    lines = [
        InitiativeLine(label=v.spec.title, start=v.spec.start, duration_months=v.spec.duration_months, dkk={y: v.years[y].total_dkk for y in compiled.years})
        for v in value_initiatives(compiled)
    ]
    return compiled.budget.model_copy(update={"initiatives": lines})
