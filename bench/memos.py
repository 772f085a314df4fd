"""Time the memo pipeline on the bundled jobformidler scenario: load, run, sensitivity, each format.

Baseline measured in the same run: one plain run of the scenario (load + engines). The ratio says
how much the memo costs on top of the numbers it prints.
"""

from __future__ import annotations

import time
from pathlib import Path

from budgetmodel.rates import load_rates
from budgetmodel.reports.context import memo_context
from budgetmodel.reports.render import render
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import RecordingBook, run_scenario
from budgetmodel.scenario.sensitivity import analyse

SCEN = Path(__file__).resolve().parents[1] / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml"


def timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t
    print(f"{label:38s} {dt * 1000:9.1f} ms")
    return out, dt


def main() -> None:
    book = load_rates()
    run_scenario(load_scenario(SCEN, book), book, with_caseload=False)  # warm imports and caches
    loaded, t_load = timed("load + validate scenario", lambda: load_scenario(SCEN, book))
    result, t_run = timed("run (engines)", lambda: run_scenario(loaded, RecordingBook(book), with_caseload=False))
    draws = loaded.scenario.sensitivity.draws
    sens, t_sens = timed(f"sensitivity ({draws} Monte Carlo draws)", lambda: analyse(loaded, RecordingBook(book), result))
    ctx, t_ctx = timed("report context", lambda: memo_context(result, sens))
    total = t_load + t_run + t_sens + t_ctx
    for fmt_name in ("md", "html", "xlsx", "pdf"):
        _, t = timed(f"render {fmt_name}", lambda: render(ctx, fmt_name))
        total_fmt = total + t
        print(f"{'  memo total, ' + fmt_name:38s} {total_fmt * 1000:9.1f} ms")
    base = t_load + t_run
    print(f"baseline (load + run): {base * 1000:.1f} ms; per Monte Carlo draw {t_sens / max(draws, 1) * 1e6:.0f} µs; "
          f"memo (pdf) / baseline = {(total + t) / base:.0f}×")


if __name__ == "__main__":
    main()
