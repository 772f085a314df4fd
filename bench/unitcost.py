"""Time the unit-cost engine: load data/, benchmark all fifteen, unit costs for all fifteen.

Baseline measured in the same run: reading the same CSV files with the plain csv module (no
typing, no checks). Prints the figures and the ratio engine / baseline.

    .venv/bin/python bench/unitcost.py
"""

from __future__ import annotations

import csv
import time

from budgetmodel.paths import data_dir
from budgetmodel.unitcost.assumptions import load_assumptions
from budgetmodel.unitcost.benchmark import BenchmarkData, benchmark, published_profile
from budgetmodel.unitcost.costs import BdoData, unit_costs

REPEAT = 20


def best(fn, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def baseline() -> None:
    for p in sorted(data_dir().rglob("*.csv")):
        with p.open(encoding="utf-8") as fh:
            list(csv.reader((line for line in fh if not line.startswith("#")), delimiter=";"))


def load() -> tuple[BenchmarkData, BdoData]:
    return BenchmarkData.load(), BdoData.load()


def main() -> None:
    t_base = best(baseline)
    t_load = best(load)
    data, bdo = load()
    ass = load_assumptions()

    def all_benchmarks() -> None:
        for m in data.municipalities:
            benchmark(data, m).as_dict()

    def all_unit_costs() -> None:
        for m in data.municipalities:
            unit_costs(published_profile(data, m, ass.samtaler_per_year_per_intensity.value), ass, bdo).as_dict()

    t_bench = best(all_benchmarks)
    t_cost = best(all_unit_costs)
    print(f"baseline: csv.reader over data/ (untyped)      {t_base * 1000:8.2f} ms")
    print(f"load data/ (typed, checked, both sources)      {t_load * 1000:8.2f} ms   ratio {t_load / t_base:5.1f}x baseline")
    print(f"benchmark of all 15 municipalities             {t_bench * 1000:8.2f} ms   ({t_bench / 15 * 1000:.2f} ms each)")
    print(f"unit costs of all 15 published profiles        {t_cost * 1000:8.2f} ms   ({t_cost / 15 * 1000:.2f} ms each)")


if __name__ == "__main__":
    main()
