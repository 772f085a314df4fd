"""Shared helpers for the caps tests: the bundled rates and the Lyngby-Taarbæk fixture."""

from __future__ import annotations

from pathlib import Path

from budgetmodel.financing.inputs import BudgetLinesInput
from budgetmodel.rates import RateBook, load_rates
from budgetmodel.sourcefile import load_model

FIXTURES = Path(__file__).parent / "fixtures"


def book_with_standins() -> RateBook:
    """The bundled rates (the stand-ins used while other branches' tables were missing are gone)."""
    return load_rates()


def ltk_budget_input() -> BudgetLinesInput:
    model, _ = load_model(FIXTURES / "ltk_2014_budget.yaml", BudgetLinesInput)
    return model
