"""Sensitivity of a scenario's result to its assumptions: a tornado (one assumption at a time at
its low and high value) and a seeded Monte Carlo (all uncertain assumptions drawn together).

The measured result is the scenario's headline: the sum over the budget years of the last line
of its final table (the net budget effect, e.g. 'Samlet budgetudfordring, netto'), in kroner.
Draws use numpy's PCG64 with the scenario's seed, so the same scenario gives the same P10/P50/P90.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from budgetmodel.rates.book import RateBook
from budgetmodel.scenario.load import LoadedScenario
from budgetmodel.scenario.run import RecordingBook, RunResult, run_scenario
from budgetmodel.scenario.schema import resolve_parameter, with_parameter


@dataclass(frozen=True)
class TornadoBar:
    label: str
    parameter: str
    base_value: float
    low: float
    high: float
    metric_low: float
    metric_high: float

    @property
    def swing(self) -> float:
        return abs(self.metric_high - self.metric_low)


@dataclass(frozen=True)
class MonteCarlo:
    seed: int
    draws: int
    p10: float
    p50: float
    p90: float
    mean: float
    parameters: list[dict]


@dataclass(frozen=True)
class SensitivityResult:
    metric_label: str
    base: float
    tornado: list[TornadoBar]
    monte_carlo: MonteCarlo | None


def headline(result: RunResult) -> float:
    table = result.final_table
    if table is None or not table.lines:
        return 0.0
    last = table.lines[-1]
    return float(sum(last.dkk[y] for y in table.years))


def headline_label(result: RunResult) -> str:
    table = result.final_table
    if table is None or not table.lines:
        return "Ingen budgetlinjer"
    y0, y1 = table.years[0], table.years[-1]
    return f"{table.lines[-1].label}, {y0}-{y1} i alt"


def _metric(loaded: LoadedScenario, book: RateBook, with_caseload: bool) -> float:
    return headline(run_scenario(loaded, book, with_caseload=with_caseload, detail=False))


def _with(loaded: LoadedScenario, path: str, value: float) -> LoadedScenario:
    s = with_parameter(loaded.scenario, path, value)
    return LoadedScenario(s, loaded.path, loaded.files, loaded.resolved, loaded.input_hash, loaded.aux)


def analyse(loaded: LoadedScenario, book: RateBook, base: RunResult) -> SensitivityResult | None:
    sens = loaded.scenario.sensitivity
    if sens is None:
        return None
    rec = book if isinstance(book, RecordingBook) else RecordingBook(book)
    needs_caseload = base.budget is None
    base_metric = headline(base)
    bars = []
    for item in sens.tornado:
        v0 = float(resolve_parameter(loaded.scenario, item.parameter).value)
        lo = _metric(_with(loaded, item.parameter, item.low), rec, needs_caseload)
        hi = _metric(_with(loaded, item.parameter, item.high), rec, needs_caseload)
        bars.append(TornadoBar(item.label, item.parameter, v0, float(item.low), float(item.high), lo, hi))
    bars.sort(key=lambda b: (-b.swing, b.label))
    mc = None
    if sens.monte_carlo:
        rng = np.random.Generator(np.random.PCG64(sens.seed))
        columns = []
        for u in sens.monte_carlo:
            if u.distribution == "triangular" and u.low < u.high:
                columns.append(rng.triangular(u.low, u.mode, u.high, size=sens.draws))
            elif u.low < u.high:
                columns.append(rng.uniform(u.low, u.high, size=sens.draws))
            else:
                columns.append(np.full(sens.draws, float(u.low)))
        values = np.empty(sens.draws)
        for i in range(sens.draws):
            s = loaded
            for u, col in zip(sens.monte_carlo, columns):
                s = _with(s, u.parameter, float(col[i]))
            values[i] = _metric(s, rec, needs_caseload)
        p10, p50, p90 = (float(x) for x in np.percentile(values, [10, 50, 90]))
        params = [
            {"label": u.label, "parameter": u.parameter, "distribution": u.distribution, "low": u.low, "mode": u.mode, "high": u.high}
            for u in sens.monte_carlo
        ]
        mc = MonteCarlo(sens.seed, sens.draws, p10, p50, p90, float(values.mean()), params)
    return SensitivityResult(headline_label(base), base_metric, bars, mc)
