"""Backtest: estimate on the first part of a panel, forecast the rest, compare with what it shows.

The held-out part is the panel's last ``backtest.holdout_years`` calendar years, from the week
holding the first held-out 1 January (the last year may be partial: then only its days in the
panel are compared, on both sides; a week across New Year counts by its days). The estimation part
is every week before them. The forecast starts from the estimation part's end stock; the actual
figures are the panel's own: person-weeks, gross amounts, and the state's share as the refund
engine computes it on the whole panel (so counts carried in from before the cut are right).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from budgetmodel.errors import InputError
from budgetmodel.forecast.assumptions import LoadedAssumptions
from budgetmodel.forecast.engine import Horizon, PricedPanel, calendar_year, observed_yearly, run_forecast, week_of_new_year
from budgetmodel.rates.book import RateBook


@dataclass(frozen=True)
class BacktestResult:
    cutoff: int  # last week of the estimation part
    horizon: Horizon
    forecast: dict[int, dict[str, np.ndarray]]  # year → person_weeks/gross/state (B,)
    actual: dict[int, dict[str, np.ndarray]]
    days: dict[int, int]  # days compared in each year
    benefits: tuple[str, ...]


def backtest_plan(first_week: int, last_week: int, loaded: LoadedAssumptions) -> tuple[int, Horizon]:
    """The last week estimated on and the held-out horizon of a panel spanning ``first_week``–``last_week``."""
    h = loaded.model.backtest.holdout_years
    last_year = calendar_year(last_week, 6)
    first_held = last_year - h + 1
    cutoff = week_of_new_year(first_held) - 1
    if cutoff - first_week + 1 < 2:
        raise InputError(
            [
                loaded.problem(
                    ("backtest", "holdout_years"),
                    f"at holde {h} kalenderår ude (fra {first_held}) efterlader færre end 2 uger af panelet at estimere på",
                )
            ]
        )
    return cutoff, Horizon.between(cutoff + 1, last_week, tuple(range(first_held, last_year + 1)))


def backtest_result(cutoff: int, hz: Horizon, forecast: dict, actual: dict, benefits: tuple[str, ...]) -> BacktestResult:
    days = {y: int(round(7 * float(hz.day_shares[:, j].sum()))) for j, y in enumerate(hz.years)}
    return BacktestResult(cutoff, hz, forecast, actual, days, benefits)


def backtest(pp: PricedPanel, book: RateBook, loaded: LoadedAssumptions) -> BacktestResult:
    p = pp.panel
    cutoff, hz = backtest_plan(p.first_week, p.last_week, loaded)
    part = pp.before(cutoff)
    res = run_forecast(part, book, loaded, horizon=hz, replicates=0, keep_stock=False)
    actual = observed_yearly(pp, hz.years, (cutoff + 1, p.last_week))
    return backtest_result(cutoff, hz, res.projected, actual, p.benefits)
