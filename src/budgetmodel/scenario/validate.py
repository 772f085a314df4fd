"""`budgetmodel validate` checks scenario files (and fragments) through this checker."""

from __future__ import annotations

from pathlib import Path

from budgetmodel.scenario.load import check_fragment, load_scenario
from budgetmodel.sourcefile import LocatedDocument
from budgetmodel.validation import FILE_CHECKERS, register_checker


def claims(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and doc.data.get("kind") in ("scenario", "scenario-fragment")


def check(path: Path, rates_root: Path | None = None) -> None:
    from budgetmodel.scenario.workbook import is_workbook, read_workbook
    from budgetmodel.sourcefile import load_yaml

    data = read_workbook(path).data if is_workbook(path) else load_yaml(path).data
    if data.get("kind") == "scenario-fragment":
        check_fragment(path)
        return
    from budgetmodel.rates import load_rates

    from budgetmodel.scenario.compile import compile_scenario

    # validate = compile without running: whatever run, businesscase, compare or optimise would
    # refuse (rate references, law.overrides, impossible initiatives), validate refuses first
    book = load_rates(rates_root)
    loaded = load_scenario(path, book)
    compiled = compile_scenario(loaded, book)
    if loaded.scenario.municipality.caseload.forecast is not None:
        # the forecast's panel is read, priced and projected as run does (its rows, its weeks, the
        # projection's years against the law's span and the scenario's years)
        from budgetmodel.scenario.run import forecast_cells

        forecast_cells(compiled.inputs, loaded, compiled.law.as_if)
    if loaded.scenario.assumptions.weeks_per_placement is not None:  # set up for the optimiser: the activatable share it needs (issue 15)
        from budgetmodel.optimise.adapter import check_activatable

        check_activatable(loaded)
    if loaded.scenario.methods is not None:  # issue 15: the methods' own inputs (a passivity panel's contents), as the memo reads them
        from budgetmodel.reports.methods_section import method_parts

        method_parts(loaded.scenario, loaded.path, loaded.aux)
    sens = loaded.scenario.sensitivity
    if sens is not None:
        # the memo's tornado and Monte Carlo, as businesscase runs them: a range or a draw that a
        # check refuses is refused here. Draws computed as arrays take milliseconds; an input
        # varied one run per draw (a forecast's inflow growth) is left to businesscase.
        from budgetmodel.scenario.sensitivity import method_for

        varied = [i.parameter for i in (*sens.tornado, *(sens.monte_carlo or ()))]
        if method_for(varied) == "arrays":
            from budgetmodel.reports.memo import memo_run

            memo_run(loaded, book)


register_checker(("scenarie (kind: scenario)", claims, check))
FILE_CHECKERS[".xlsx"] = check  # a scenario workbook (budgetmodel.scenario.workbook)
