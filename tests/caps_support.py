"""Shared helpers for the caps tests: the bundled rates and the Lyngby-Taarbæk fixture."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from budgetmodel.financing.inputs import BudgetLinesInput
from budgetmodel.sourcefile import load_model

FIXTURES = Path(__file__).parent / "fixtures"


def ltk_budget_input() -> BudgetLinesInput:
    """The fixture's reform lines plus the jobformidler initiative valued by the initiative engine."""
    from budgetmodel.financing.inputs import InitiativeLine
    from budgetmodel.rates import load_rates
    from budgetmodel.scenario.load import load_scenario
    from budgetmodel.scenario.run import run_scenario

    model, _ = load_model(FIXTURES / "ltk_2014_budget.yaml", BudgetLinesInput)
    book = load_rates()
    job = run_scenario(load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml", book), book, with_caseload=False)
    (case,) = job.initiatives
    line = InitiativeLine(label=case.title, start=dt.date(2014, 7, 1), duration_months=36, dkk=dict(case.dkk))
    return model.model_copy(update={"initiatives": [line]})
