"""Shared helpers for the caps tests: the bundled rates plus stand-ins for tables other branches own
(only where the bundled rates/ lacks them), and the Lyngby-Taarbæk fixture."""

from __future__ import annotations

from pathlib import Path

from budgetmodel.financing.inputs import BudgetLinesInput
from budgetmodel.rates import RateBook, load_rates, load_table
from budgetmodel.sourcefile import load_model

FIXTURES = Path(__file__).parent / "fixtures"


def book_with_standins() -> RateBook:
    real = load_rates()
    tables = dict(real.tables)
    for path in sorted((FIXTURES / "rates_standin").glob("*.yaml")):
        table = load_table(path)
        tables.setdefault(table.id, table)
    return RateBook(tables, real.root)


def ltk_budget_input() -> BudgetLinesInput:
    model, _ = load_model(FIXTURES / "ltk_2014_budget.yaml", BudgetLinesInput)
    return model
