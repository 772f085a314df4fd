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

The draws are computed as arrays, not as one scenario run per draw: each varied input enters the
scenario as a numpy array (``with_parameter``), and the same compile step and engines that value a
scenario compute every draw element-wise (``budgetmodel.draws``), in ONE run. A tornado bar is one
run with its low and high value as two draws. Only inputs in ``LOOP_ONLY`` are run draw by draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    method: str = "arrays"  # arrays: all draws in one run; loop: one run per draw (an input in LOOP_ONLY)


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


def _with(loaded: LoadedScenario, path: str, value: Any) -> LoadedScenario:
    """The scenario with ``value`` (a number, or an array of draws) at ``path``."""
    s = with_parameter(loaded.scenario, path, value)
    return LoadedScenario(s, loaded.path, loaded.files, loaded.resolved, loaded.input_hash, loaded.aux)


# Inputs the valuation cannot compute as arrays: a forecast's inflow growth re-projects the
# person-week panel (budgetmodel.forecast). A Monte Carlo (or tornado bar) that varies it runs the
# scenario once per draw instead ("method": "loop" in the result, named in the memo); every other
# input a sensitivity section can name is computed for all draws at once ("arrays"). (The
# beskæftigelsestilskud's inputs, settled in Decimal øre, sit under year keys that a parameter
# path cannot name.)
LOOP_ONLY = ("municipality.caseload.forecast.",)


def method_for(paths: list[str]) -> str:
    """'arrays' when every varied input can be computed for all draws at once, else 'loop'."""
    return "loop" if any(p.startswith(LOOP_ONLY) for p in paths) else "arrays"


def _draw_values(result: RunResult, measure: str, n: int) -> np.ndarray:
    """The measure of a run whose inputs hold n draws, one value per draw (a measure the draws do
    not move is the same for all)."""
    by_year = measure_by_year(result, measure)
    total = sum(by_year.values()) if by_year else 0.0  # the years in the order headline() adds them
    return np.array(np.broadcast_to(np.asarray(total, dtype=float), (n,)))


Draws = list[tuple[str, np.ndarray]]  # (parameter path, one value per draw)


def measure_draws(loaded: LoadedScenario, book: RateBook, measure: str, draws: Draws, n: int) -> np.ndarray:
    """The measure for n draws of the inputs: ONE run of the scenario with each varied input as
    an array of its draws (the compile step and the engines compute all draws element-wise), or,
    if an input is in LOOP_ONLY, one run per draw. A check the scenario run would refuse refuses
    the draw set if any draw breaks it (InputError, the scenario run's message for that draw)."""
    with_caseload = measure == "caseload"
    if method_for([p for p, _ in draws]) == "arrays":
        s = loaded
        for path, col in draws:
            s = _with(s, path, np.asarray(col, dtype=float))
        try:
            return _draw_values(run_scenario(s, book, with_caseload=with_caseload, detail=False), measure, n)
        except ValueError as exc:  # numpy's "truth value of an array": a branch not written for draws
            if "truth value of an array" in str(exc):  # an internal error, never a refusal of the draws
                raise TypeError(f"{', '.join(p for p, _ in draws)}: en forgrening i beregningen tager ikke træk som arrays ({exc})") from exc
            raise
    out = np.empty(n)
    for i in range(n):
        s = loaded
        for path, col in draws:
            s = _with(s, path, float(col[i]))
        out[i] = headline(run_scenario(s, book, with_caseload=with_caseload, detail=False), measure)
    return out


def monte_carlo_draws(scenario: Scenario) -> tuple[Draws, list[dict], list[str]]:
    """The seeded draws of the sensitivity section's uncertain inputs (PCG64, in the section's
    order), their description for the memo, and the labels of ranges with the base at an edge."""
    sens = scenario.sensitivity
    assert sens is not None
    rng = np.random.Generator(np.random.PCG64(sens.seed))
    draws: Draws = []
    params, at_edge = [], []
    for u in sens.monte_carlo:
        v0 = float(resolve_parameter(scenario, u.parameter).value)
        low, high = _range(v0, u.low, u.high, u.relative_pct)
        mode = float(u.mode) if u.mode is not None else v0
        if u.distribution == "triangular" and low < high:
            col = rng.triangular(low, mode, high, size=sens.draws)
        elif low < high:
            col = rng.uniform(low, high, size=sens.draws)
        else:
            col = np.full(sens.draws, low)
        draws.append((u.parameter, col))
        if low < high and (abs(v0 - low) < 1e-12 or abs(v0 - high) < 1e-12):
            at_edge.append(u.label)
        params.append(
            {"label": u.label, "parameter": u.parameter, "unit": parameter_unit(scenario, u.parameter), "distribution": u.distribution,
             "low": low, "mode": mode if u.distribution == "triangular" else None, "high": high, "base": v0}
        )
    return draws, params, at_edge


def summarise(values: np.ndarray, base_metric: float, seed: int, params: list[dict], at_edge: list[str], method: str) -> MonteCarlo:
    """P10/P50/P90, mean, a 20-bin histogram spanning the draws and the base, and the share of
    draws below the base."""
    n = len(values)
    p10, p50, p90 = (float(x) for x in np.percentile(values, [10, 50, 90]))
    lo, hi = float(min(values.min(), base_metric)), float(max(values.max(), base_metric))
    if hi - lo < SAME:
        hist = [(lo, hi, int(n))]
    else:
        counts, edges = np.histogram(values, bins=20, range=(lo, hi))
        hist = [(float(edges[k]), float(edges[k + 1]), int(counts[k])) for k in range(len(counts))]
    below = float((values < base_metric - SAME).mean())
    return MonteCarlo(seed, n, p10, p50, p90, float(values.mean()), params, hist, below, at_edge, method)


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

    moved, unmoved = [], []
    for item in items:
        v0 = float(resolve_parameter(scenario, item.parameter).value)
        low, high = _range(v0, item.low, item.high, item.relative_pct)
        unit = parameter_unit(scenario, item.parameter)
        if unit == "share":
            low, high = max(low, 0.0), min(high, 1.0)
        try:  # low and high as two draws of one run
            lo_m, hi_m = (float(x) for x in measure_draws(loaded, rec, measure, [(item.parameter, np.array([low, high]))], 2))
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
        draws, params, at_edge = monte_carlo_draws(scenario)
        values = measure_draws(loaded, rec, measure, draws, sens.draws)
        mc = summarise(values, base_metric, sens.seed, params, at_edge, method_for([p for p, _ in draws]))
    return SensitivityResult(measure, measure_label(base_run, measure), base_metric, moved, unmoved, mc, automatic)
