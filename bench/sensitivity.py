"""Time the sensitivity analysis of the bundled scenarios with a Monte Carlo: the draws computed as
arrays (one scenario run with each varied input as an array of its draws) against, as the baseline
in the same run, one scalar scenario run per draw over the SAME draws (what the analysis did
before). Checks that both give the same value for every draw (to 1e-6 kr.) and prints the ratio.

    .venv/bin/python bench/sensitivity.py [SCENARIO.yaml ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import LoadedScenario, load_scenario
from budgetmodel.scenario.run import RecordingBook, run_scenario
from budgetmodel.scenario.schema import with_parameter
from budgetmodel.scenario.sensitivity import analyse, headline, measure_draws, measure_of, monte_carlo_draws

SCEN = Path(__file__).resolve().parents[1] / "scenarios"
DEFAULT = [SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"]


def best_of(n: int, fn):
    best, out = float("inf"), None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return out, best


def per_draw(loaded: LoadedScenario, book, measure: str, draws) -> np.ndarray:
    """The baseline: one scalar scenario run per draw."""
    n = len(draws[0][1])
    out = np.empty(n)
    for i in range(n):
        s = loaded.scenario
        for path, col in draws:
            s = with_parameter(s, path, float(col[i]))
        one = LoadedScenario(s, loaded.path, loaded.files, loaded.resolved, loaded.input_hash, loaded.aux)
        out[i] = headline(run_scenario(one, book, with_caseload=measure == "caseload", detail=False), measure)
    return out


def main(paths: list[Path]) -> None:
    book = load_rates()
    for path in paths:
        loaded = load_scenario(path, book)
        rec = RecordingBook(book)
        base = run_scenario(loaded, rec)
        measure = measure_of(loaded.scenario)
        draws, _, _ = monte_carlo_draws(loaded.scenario)
        n = len(draws[0][1])
        analyse(loaded, rec, base)  # warm caches (the week pricing, the rate lookups)
        arrays, t_arrays = best_of(5, lambda: measure_draws(loaded, rec, measure, draws, n))
        loop, t_loop = best_of(1, lambda: per_draw(loaded, rec, measure, draws))
        worst = float(np.abs(arrays - loop).max())
        assert worst <= 1e-6, f"{path.name}: arrays and loop differ by {worst} kr."
        _, t_analyse = best_of(3, lambda: analyse(loaded, rec, base))
        print(f"{path.name}: {n} draws of {len(draws)} input(s), measure {measure}")
        print(f"  Monte Carlo as arrays      {t_arrays * 1000:9.1f} ms")
        print(f"  one run per draw (before)  {t_loop * 1000:9.1f} ms")
        print(f"  ratio                      {t_loop / t_arrays:9.0f}×   (largest difference {worst:.1e} kr.)")
        print(f"  sensitivity.analyse        {t_analyse * 1000:9.1f} ms   (tornado + Monte Carlo)")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or DEFAULT)
