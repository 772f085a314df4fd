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
    from budgetmodel.scenario.load import load_scenario
    from budgetmodel.scenario.run import Inputs, budget_lines_input

    book = load_rates()
    return budget_lines_input(Inputs(load_scenario(REFORM, book).scenario, book))
