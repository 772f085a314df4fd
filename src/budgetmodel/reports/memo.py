"""The business-case memo: scenario → run → sensitivity → context → rendered bytes."""

from __future__ import annotations

from pathlib import Path

from budgetmodel.rates.book import RateBook
from budgetmodel.reports.context import memo_context
from budgetmodel.reports.render import render
from budgetmodel.scenario.load import LoadedScenario, load_scenario
from budgetmodel.scenario.run import RecordingBook, RunResult, run_scenario
from budgetmodel.scenario.sensitivity import SensitivityResult, analyse


def memo_template(loaded: LoadedScenario) -> str:
    s = loaded.scenario
    if s.memo is not None:
        return s.memo.template
    if s.budget.budgetgaranti is not None:
        return "reform"
    return "businesscase" if s.initiatives else "budget"


def memo_run(loaded: LoadedScenario, book: RateBook) -> tuple[RunResult, SensitivityResult | None]:
    """Run the scenario for its memo: the caseload is priced only where the memo shows it."""
    rec = RecordingBook(book)
    template = memo_template(loaded)
    with_caseload = template == "budget"
    result = run_scenario(loaded, rec, with_caseload=with_caseload)
    # the sensitivity runs read rates through their own recorder, so the memo cites the base run only
    sens = analyse(loaded, RecordingBook(book), result)
    return result, sens


def build_memo(path: Path | str, fmt_name: str, book: RateBook | None = None) -> bytes:
    from budgetmodel.rates import load_rates

    book = book or load_rates()
    loaded = load_scenario(path, book)
    result, sens = memo_run(loaded, book)
    return render(memo_context(result, sens), fmt_name)
