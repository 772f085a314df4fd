"""The forecast of a panel larger than memory: estimated on partitions of persons, here or on Dask.

Everything the forecast estimates from a panel is a count over whole spells of persons — the
inflow, the exit curves' risk sets and exits, the activation mix, the end stock and its offsets,
the weeks and kroner by benefit and year — and every spell belongs to one person. So the panel is
bucketed by person (:func:`financing.partitioned.bucketed`, as ``refund`` does), each bucket is
priced by the refund engine and counted (:func:`forecast_bucket`, holding one bucket in memory),
and the counts are added. The whole panel's first and last week, known after bucketing, decide
censoring and the inflow's weeks in every bucket. Counts of spells are whole numbers (exact in
floats), kroner are added as integers (:mod:`financing.exact`) and the bootstrap's weights are a
function of each person's id (:mod:`forecast.bootstrap`), so the sums are the in-memory
forecast's exactly: the same estimate, projection, intervals and backtest, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from budgetmodel.financing.panel_input import LoadedMapping, StartCounts
from budgetmodel.financing.partitioned import Bucketed, bucketed, read_bucket
from budgetmodel.forecast.assumptions import LoadedAssumptions, check_codes
from budgetmodel.forecast.backtest import BacktestResult, backtest_plan, backtest_result
from budgetmodel.forecast.bootstrap import replicate_counts
from budgetmodel.forecast.engine import (
    ForecastResult,
    Horizon,
    PanelInfo,
    PricedPanel,
    add_observed,
    check_estimable,
    forecast_estimate,
    observed_counts,
    observed_kroner,
    observed_range,
)
from budgetmodel.forecast.estimate import PanelFrame, activation_mix_weeks, add_counts, estimate_of_counts, prepare, tally_counts
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS
from budgetmodel.rates.book import RateBook


@dataclass(frozen=True)
class Plan:
    """What every bucket counts, fixed before pass 2 from the whole panel's weeks and the assumptions."""

    weeks: tuple[int, int]  # the whole panel's first and last week
    cap: int
    window: int
    years: tuple[int, ...]  # reported years
    observed: tuple[int, int]  # the panel's own weeks reported with them
    reps: int
    seed: int
    backtest: tuple[int, int, tuple[int, ...], tuple[int, int]] | None  # cutoff, last week before it, held-out years, their observed range


@dataclass
class Counts:
    """The counts of one panel (or one partition of it) for an estimate."""

    tallies: dict[str, np.ndarray]
    mix: np.ndarray
    observed: dict[int, dict[str, np.ndarray]]


@dataclass
class ForecastPart:
    """One bucket counted: the estimate's counts, the bootstrap's, and the backtest's."""

    rows: int
    persons: int
    full: Counts
    replicates: dict[str, np.ndarray] | None
    held_out: Counts | None  # the weeks up to the backtest's cutoff
    actual: dict[int, dict[str, np.ndarray]] | None  # the held-out weeks as observed


def _counts(pp: PricedPanel, weeks: tuple[int, int], plan: Plan, years: tuple[int, ...], observed: tuple[int, int]) -> tuple[Counts, Any]:
    data = prepare(pp.panel, pp.count_week, weeks)
    mix = activation_mix_weeks(pp.panel, data.spells, plan.cap)
    return Counts(tally_counts(data, plan.cap, plan.window), mix, observed_counts(pp, years, observed)), data


def forecast_bucket(bucket_dir: str, book: RateBook, plan: Plan, start_counts: StartCounts | None = None) -> ForecastPart:
    """Price one bucket with the refund engine and count what the forecast estimates (a Dask task, too)."""
    pp = PricedPanel.from_frame(read_bucket(bucket_dir), book, start_counts=start_counts)
    full, data = _counts(pp, plan.weeks, plan, plan.years, plan.observed)
    reps = replicate_counts(data, plan.cap, plan.window, plan.reps, plan.seed) if plan.reps > 0 else None
    held = actual = None
    if plan.backtest is not None:
        cutoff, last_before, years, observed = plan.backtest
        held, _ = _counts(pp.before(cutoff), (plan.weeks[0], last_before), plan, years, observed)
        actual = observed_counts(pp, years, (cutoff + 1, plan.weeks[1]))
    return ForecastPart(pp.panel.n_rows, int(np.unique(pp.panel.person).shape[0]), full, reps, held, actual)


def _add_counts(a: Counts, b: Counts) -> Counts:
    return Counts(add_counts([a.tallies, b.tallies]), a.mix + b.mix, add_observed([a.observed, b.observed]))


def add_parts(a: ForecastPart, b: ForecastPart) -> ForecastPart:
    """Two buckets' counts added (integers and whole-number floats: the same in any order)."""
    return ForecastPart(
        a.rows + b.rows,
        a.persons + b.persons,
        _add_counts(a.full, b.full),
        add_counts([a.replicates, b.replicates]) if a.replicates is not None else None,
        _add_counts(a.held_out, b.held_out) if a.held_out is not None else None,
        add_observed([a.actual, b.actual]) if a.actual is not None else None,
    )


def _estimate(c: Counts, weeks: tuple[int, int], plan: Plan, file: str):
    frame = PanelFrame(weeks[0], weeks[1], BENEFITS, ACTIVATIONS, True)
    est = estimate_of_counts(c.tallies, frame, plan.cap, c.mix, plan.window)
    check_estimable(est, file)
    return est, observed_kroner(c.observed)


def forecast_partitioned(
    path: Path | str,
    book: RateBook,
    loaded: LoadedAssumptions,
    n_years: int,
    *,
    replicates: int | None = None,
    backtest: bool = False,
    partitions: int | None = None,
    memory: int | None = None,
    tmp_dir: Path | str | None = None,
    client: Any = None,
    csv_format: str = "auto",
    mapping: LoadedMapping | None = None,
    start_counts: StartCounts | None = None,
    on_buckets: Callable[[Bucketed, Any], None] | None = None,
) -> tuple[ForecastResult, PanelInfo, BacktestResult | None]:
    """:func:`engine.run_forecast` (and :func:`backtest.backtest`) for a panel of any size, file or
    folder; the arguments of :func:`financing.partitioned.refund_summary_partitioned`."""
    m = loaded.model
    check_codes(loaded, BENEFITS, ACTIVATIONS)
    own = {"csv_format": csv_format, "mapping": mapping, "start_counts": start_counts}
    with bucketed(path, book, partitions=partitions, memory=memory, tmp_dir=tmp_dir, client=client, **own) as b:
        if b.first_week is None:
            from budgetmodel.errors import InputError, Problem

            raise InputError([Problem(str(path), None, "", "panelet har ingen rækker (forventede mindst én person-uge)")])
        if on_buckets is not None:  # another measure over the same buckets (refund_summary_partitioned's)
            on_buckets(b, client)
        weeks = (b.first_week, b.last_week)
        hz = Horizon.after(weeks[0], weeks[1], n_years)
        bt_plan = None
        if backtest:
            cutoff, bt_hz = backtest_plan(weeks[0], weeks[1], loaded)
            last_before = max(w for w in b.weeks if w <= cutoff)
            bt_plan = (cutoff, last_before, bt_hz.years, observed_range(bt_hz))
        reps = replicates if replicates is not None else m.bootstrap.replicates
        plan = Plan(weeks, m.duration_cap_weeks, m.inflow.window_weeks, hz.years, observed_range(hz), reps, m.bootstrap.seed, bt_plan)
        total: ForecastPart = b.fold(forecast_bucket, add_parts, client, book=book, plan=plan, start_counts=start_counts)
    info = PanelInfo(str(path), total.rows, total.persons)
    est, observed = _estimate(total.full, weeks, plan, info.file)
    result = forecast_estimate(est, book, loaded, hz, observed, total.replicates)
    bt = None
    if bt_plan is not None:
        cutoff, last_before, _, _ = bt_plan
        est_bt, observed_bt = _estimate(total.held_out, (weeks[0], last_before), plan, info.file)
        res_bt = forecast_estimate(est_bt, book, loaded, bt_hz, observed_bt, None, keep_stock=False)
        actual = observed_kroner(total.actual)
        bt = backtest_result(cutoff, bt_hz, res_bt.projected, actual, BENEFITS)
    return result, info, bt


__all__ = ["forecast_partitioned", "forecast_bucket", "Plan", "ForecastPart"]
