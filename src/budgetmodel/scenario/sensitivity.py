"""Sensitivity of a scenario's result to its assumptions: a tornado (one assumption at a time at
its low and high value) and a seeded Monte Carlo (all uncertain assumptions drawn together).

The measured result is chosen by the scenario (``sensitivity.measure``), summed over the budget
years, in kroner:

- ``initiatives``: the net effect of the initiatives against the same scenario without them (the
  budget table's 'Modgående initiativer' line; negative = saving). Default when there are any.
- ``budget``: the bottom line of the budget table (e.g. 'Samlet budgetudfordring, netto').
  Default otherwise.
- ``caseload``: the municipality's net benefit cost after refund (the 'forsørgelse' table).

A range is ``low``/``high`` or ``relative_pct`` (± that many pct. of the base value). An input
whose range does not move the measure is reported (``unmoved``), not drawn as an empty bar.
Draws use numpy's PCG64 with the scenario's seed, so the same scenario gives the same P10/P50/P90.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from budgetmodel.errors import InputError
from budgetmodel.rates.book import RateBook
from budgetmodel.scenario.load import LoadedScenario
from budgetmodel.scenario.run import RecordingBook, RunResult, Table, run_scenario
from budgetmodel.scenario.schema import Scenario, Share, TornadoItem, resolve_parameter, with_parameter

MEASURE_LABELS = {
    "initiatives": "Initiativernes nettovirkning",
    "budget": "Budgettets bundlinje",
    "caseload": "Kommunens nettoudgift til forsørgelse",
}
AUTO_PCT = 20.0  # without a sensitivity section, each numeric assumption is varied ± this many pct.
SAME = 0.5  # kroner: a change below half a krone does not move the measure


@dataclass(frozen=True)
class TornadoBar:
    label: str
    parameter: str
    unit: str  # share | dkk | "" (how the varied input reads: 0,1 → 10 pct.)
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
    histogram: list[tuple[float, float, int]]  # (from, to, draws) in kroner
    base_share_below: float  # share of draws below the base value
    at_edge: list[str] = field(default_factory=list)  # labels of ranges with the base value at an edge


@dataclass(frozen=True)
class SensitivityResult:
    measure: str
    metric_label: str
    base: float
    tornado: list[TornadoBar]  # inputs that move the measure, largest swing first
    unmoved: list[TornadoBar]  # inputs whose range leaves the measure where it is
    monte_carlo: MonteCarlo | None
    automatic: bool = False  # no sensitivity section: every assumption ±AUTO_PCT pct., one at a time

    @property
    def base_outside_p10_p90(self) -> bool:
        m = self.monte_carlo
        return m is not None and not (m.p10 - SAME <= self.base <= m.p90 + SAME)


def default_measure(scenario: Scenario) -> str:
    if scenario.initiatives:
        return "initiatives"
    b = scenario.budget
    if b.budgetgaranti or b.mentor or b.driftsloft or b.fixed_lines:
        return "budget"
    return "caseload"


def measure_of(scenario: Scenario) -> str:
    sens = scenario.sensitivity
    return sens.measure if sens is not None and sens.measure else default_measure(scenario)


def _table_line(table: Table | None, keys: tuple[str, ...]) -> dict[int, float] | None:
    if table is None or not table.lines:
        return None
    for key in keys:
        for ln in table.lines:
            if ln.key == key:
                return dict(ln.dkk)
    return None


def measure_by_year(result: RunResult, measure: str) -> dict[int, float] | None:
    """The measure by budget year in kroner, or None if the run has no such result."""
    if measure == "initiatives":
        years = list(result.scenario.years)
        line = _table_line(result.budget, ("initiatives",))
        if line is not None:
            return line
        if result.initiatives:
            return {y: sum(c.phased.line("total").dkk[y] for c in result.initiatives) for y in years}
        return None
    if measure == "budget":
        t = result.budget
        return dict(t.lines[-1].dkk) if t is not None and t.lines else None
    if measure == "caseload":
        return _table_line(result.caseload, ("netto",))
    raise ValueError(f"ukendt følsomhedsmål {measure!r}")


def measure_label(result: RunResult, measure: str) -> str:
    y0, y1 = result.scenario.years[0], result.scenario.years[-1]
    label = MEASURE_LABELS[measure]
    if measure == "budget" and result.budget is not None and result.budget.lines:
        label = result.budget.lines[-1].label
    return f"{label}, {y0}-{y1} i alt"


def headline(result: RunResult, measure: str | None = None) -> float:
    by_year = measure_by_year(result, measure or measure_of(result.scenario))
    return float(sum(by_year.values())) if by_year else 0.0


def parameter_unit(scenario: Scenario, path: str) -> str:
    """How a varied input reads: a share (0,1 → 10 pct.), kroner, or a plain number."""
    node = resolve_parameter(scenario, path)
    if isinstance(node, Share):
        return "share"
    last = path.split(".")[-1]
    if "dkk" in last.split("_") or any(p.endswith("_dkk") or "_dkk_" in p for p in path.split(".")):
        return "dkk"
    return ""


def _range(base: float, low: float | None, high: float | None, relative_pct: float | None) -> tuple[float, float]:
    if relative_pct is not None:
        a, b = base * (1 - relative_pct / 100.0), base * (1 + relative_pct / 100.0)
        return (min(a, b), max(a, b))
    return float(low), float(high)  # type: ignore[arg-type]


def _with(loaded: LoadedScenario, path: str, value: float) -> LoadedScenario:
    s = with_parameter(loaded.scenario, path, value)
    return LoadedScenario(s, loaded.path, loaded.files, loaded.resolved, loaded.input_hash, loaded.aux)


def _automatic_items(base: RunResult) -> list[TornadoItem]:
    """Without a sensitivity section: every numeric scalar input with status 'assumption' that the
    run read, ±AUTO_PCT pct. (a share kept within 0-1)."""
    items = []
    for u in base.used_inputs:
        if u.status != "assumption" or isinstance(u.value, bool) or not isinstance(u.value, (int, float)) or u.value == 0:
            continue
        try:
            resolve_parameter(base.scenario, u.path)
        except KeyError:
            continue
        label = u.label or u.path
        parts = u.path.split(".")
        if parts[0] == "initiatives" and len(base.scenario.initiatives) > 1 and parts[1] in base.scenario.initiatives:
            label = f"{base.scenario.initiatives[parts[1]].title}: {label}"
        items.append(TornadoItem(parameter=u.path, label=label, relative_pct=AUTO_PCT))
    return items


def analyse(loaded: LoadedScenario, book: RateBook, base: RunResult) -> SensitivityResult | None:
    """The tornado and Monte Carlo of the scenario's sensitivity section; without one, a tornado
    of its assumptions at ±AUTO_PCT pct. (None if it has no numeric assumption that moves)."""
    scenario = loaded.scenario
    sens = scenario.sensitivity
    automatic = sens is None
    items = list(sens.tornado) if sens is not None else _automatic_items(base)
    measure = measure_of(scenario)
    rec = book if isinstance(book, RecordingBook) else RecordingBook(book)
    with_caseload = measure == "caseload"
    base_run = base if (not with_caseload or base.caseload is not None) else run_scenario(loaded, rec, with_caseload=True, detail=False)
    base_metric = headline(base_run, measure)

    def metric(s: LoadedScenario) -> float:
        return headline(run_scenario(s, rec, with_caseload=with_caseload, detail=False), measure)

    moved, unmoved = [], []
    for item in items:
        v0 = float(resolve_parameter(scenario, item.parameter).value)
        low, high = _range(v0, item.low, item.high, item.relative_pct)
        unit = parameter_unit(scenario, item.parameter)
        if unit == "share":
            low, high = max(low, 0.0), min(high, 1.0)
        try:
            lo_m, hi_m = metric(_with(loaded, item.parameter, low)), metric(_with(loaded, item.parameter, high))
        except (InputError, ValueError):
            if automatic:  # a varied assumption the model refuses (e.g. shares above 1 in total): left out
                continue
            raise
        bar = TornadoBar(item.label, item.parameter, unit, v0, low, high, lo_m, hi_m)
        still = abs(bar.metric_low - base_metric) < SAME and abs(bar.metric_high - base_metric) < SAME
        (unmoved if still else moved).append(bar)
    moved.sort(key=lambda b: (-b.swing, b.label))
    if automatic and not moved and not unmoved:
        return None
    mc = None
    if sens is not None and sens.monte_carlo:
        rng = np.random.Generator(np.random.PCG64(sens.seed))
        columns, params, at_edge = [], [], []
        for u in sens.monte_carlo:
            v0 = float(resolve_parameter(scenario, u.parameter).value)
            low, high = _range(v0, u.low, u.high, u.relative_pct)
            mode = float(u.mode) if u.mode is not None else v0
            if u.distribution == "triangular" and low < high:
                columns.append(rng.triangular(low, mode, high, size=sens.draws))
            elif low < high:
                columns.append(rng.uniform(low, high, size=sens.draws))
            else:
                columns.append(np.full(sens.draws, low))
            if low < high and (abs(v0 - low) < 1e-12 or abs(v0 - high) < 1e-12):
                at_edge.append(u.label)
            params.append(
                {"label": u.label, "parameter": u.parameter, "unit": parameter_unit(scenario, u.parameter), "distribution": u.distribution,
                 "low": low, "mode": mode if u.distribution == "triangular" else None, "high": high, "base": v0}
            )
        values = np.empty(sens.draws)
        for i in range(sens.draws):
            s = loaded
            for u, col in zip(sens.monte_carlo, columns):
                s = _with(s, u.parameter, float(col[i]))
            values[i] = metric(s)
        p10, p50, p90 = (float(x) for x in np.percentile(values, [10, 50, 90]))
        lo, hi = float(min(values.min(), base_metric)), float(max(values.max(), base_metric))
        if hi - lo < SAME:
            hist = [(lo, hi, int(sens.draws))]
        else:
            counts, edges = np.histogram(values, bins=20, range=(lo, hi))
            hist = [(float(edges[k]), float(edges[k + 1]), int(counts[k])) for k in range(len(counts))]
        below = float((values < base_metric - SAME).mean())
        mc = MonteCarlo(sens.seed, sens.draws, p10, p50, p90, float(values.mean()), params, hist, below, at_edge)
    return SensitivityResult(measure, measure_label(base_run, measure), base_metric, moved, unmoved, mc, automatic)
