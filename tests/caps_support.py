"""Shared helpers for the caps tests: the bundled rates and the Lyngby-Taarbæk fixture."""

from __future__ import annotations

from pathlib import Path

from budgetmodel.financing.inputs import BudgetLinesInput
from budgetmodel.sourcefile import load_model

FIXTURES = Path(__file__).parent / "fixtures"


def ltk_budget_input() -> BudgetLinesInput:
    model, _ = load_model(FIXTURES / "ltk_2014_budget.yaml", BudgetLinesInput)
    return model
