"""The forecast orchestrator: panel → estimate → projection → pricing → yearly figures.

``run_forecast`` is the one entry point (the CLI, the backtest and the scenario engine call it);
everything else in the package is a pure function over arrays.

Years are calendar years, as a municipal budget's (:mod:`budgetmodel.financing.calendar`, the
refund engine's ``by_calendar_year``): a projected or observed week across New Year gives each
year the share of its 7 days that falls in it, so a year's "person_weeks" are its person-days / 7
and a year with 53 ISO weeks is not a dearer year at the same caseload.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from budgetmodel.errors import InputError, Problem
from budgetmodel.financing import exact
from budgetmodel.financing.calendar import days_in_year, year_day_shares
from budgetmodel.financing.panel import PanelArrays, where_of
from budgetmodel.financing.refund_rules import OutsideLawError
from budgetmodel.financing.shares import check_weeks
from budgetmodel.financing.panel_input import StartCounts
from budgetmodel.financing.refund import compute_refunds
from budgetmodel.forecast.assumptions import LoadedAssumptions, check_codes
from budgetmodel.forecast.estimate import Estimate, SpellData, activation_mix_weeks, estimate_from, prepare
from budgetmodel.forecast.price import by_offset, cap_problem, initial_weights, mix_collapse, new_weights, normalise, rate_periods, share_cube
from budgetmodel.forecast.project import effect_factors, inflow_path, level_path, step
from budgetmodel.forecast.spells import WeekPanel, from_frame, monday_of, week_number
from budgetmodel.rates.book import RateBook


@dataclass(frozen=True)
class PanelInfo:
    """What a forecast reports about its panel."""

    file: str
    rows: int
    persons: int


@dataclass(frozen=True)
class PricedPanel:
    """A validated panel as arrays plus the refund engine's count and state kroner per row."""

    panel: WeekPanel
    count_week: np.ndarray
    state_dkk: np.ndarray
    file: str

    @classmethod
    def from_frame(cls, df: "pd.DataFrame | PanelArrays", book: RateBook, start_counts: "StartCounts | None" = None) -> "PricedPanel":
        """From a frame (validated here) or read_panel_arrays' arrays (validated when read);
        ``start_counts``: each person's weeks on the staircase before the panel (--start-count)."""
        rows = compute_refunds(df, book, start_counts=start_counts)
        return cls(from_frame(rows), rows["count_week"].to_numpy(), rows["state_dkk"].to_numpy(), where_of(rows).file)

    @property
    def info(self) -> PanelInfo:
        return PanelInfo(self.file, self.panel.n_rows, int(np.unique(self.panel.person).shape[0]))

    def before(self, week: int) -> "PricedPanel":
        """The rows up to and including ``week`` (the engine's counts there depend only on the past)."""
        keep = self.panel.week <= week
        return PricedPanel(self.panel.select(keep), self.count_week[keep], self.state_dkk[keep], self.file)


def week_of_new_year(year: int) -> int:
    """The week holding 1 January of ``year`` (its Monday may lie in the year before)."""
    return week_number(dt.date(year, 1, 1))


def calendar_year(week: int, day: int = 0) -> int:
    """The calendar year of a week's ``day`` (0 = Monday … 6 = Sunday)."""
    return (monday_of(week) + dt.timedelta(days=day)).year


@dataclass(frozen=True)
class Horizon:
    """The projected weeks and the calendar years reported."""

    start: int  # first projected week
    weeks: int
    years: tuple[int, ...]

    @classmethod
    def after(cls, first_week: int, last_week: int, n_years: int) -> "Horizon":
        """``n_years`` calendar years from the one holding the Sunday of the week after the panel;
        a year the panel only partly covers from its start is skipped (its weeks are projected,
        not reported). The projection runs to the week holding the last year's 31 December."""
        start = last_week + 1
        first_year = calendar_year(start, 6)
        if monday_of(first_week) > dt.date(first_year, 1, 1) and first_week < start:
            first_year += 1
        years = tuple(range(first_year, first_year + n_years))
        end = week_number(dt.date(years[-1], 12, 31)) + 1  # exclusive
        return cls(start, end - start, years)

    @classmethod
    def between(cls, start: int, last: int, years: tuple[int, ...] | None = None) -> "Horizon":
        """The weeks ``start`` … ``last``; ``years`` defaults to every calendar year from the one
        holding ``start``'s Sunday to the one holding ``last``'s Monday."""
        if years is None:
            years = tuple(range(calendar_year(start, 6), max(calendar_year(last), calendar_year(start, 6)) + 1))
        return cls(start, last - start + 1, years)

    @property
    def week_numbers(self) -> np.ndarray:
        return np.arange(self.start, self.start + self.weeks)

    @property
    def day_shares(self) -> np.ndarray:
        """(T, Y): the share of each projected week's days in each reported year."""
        return year_day_shares(self.week_numbers, self.years)


@dataclass(frozen=True)
class Pricing:
    """The share weights for the horizon, computed once per forecast (rates × activation mix × offsets)."""

    period: np.ndarray  # (T,) index into ``m``
    m: list[np.ndarray]  # per rate period: (B, cap spell, cap count) share averaged over the activation mix
    initial: np.ndarray  # (T, B, cap) for the panel's end stock as it ages
    stock_offset: np.ndarray  # (B, cap, cap) offset distribution of the end stock
    factors: np.ndarray  # (T, B, cap) effect multipliers on the exit hazard

    def new(self, entry_offset: np.ndarray) -> list[np.ndarray]:
        return [new_weights(m, entry_offset) for m in self.m]


def build_pricing(book: RateBook, est: Estimate, loaded: LoadedAssumptions, horizon: Horizon) -> Pricing:
    weeks = horizon.week_numbers
    try:
        check_weeks(book, weeks)
    except OutsideLawError as exc:
        raise InputError([Problem("--years", None, "years", f"prognosen kan ikke prissættes: {exc}; vælg færre år")]) from None
    pid = rate_periods(book, weeks)
    _, first, inv = np.unique(pid, return_index=True, return_inverse=True)
    ms, problems = [], []
    for j in first:
        try:
            why = cap_problem(book, int(weeks[j]), est.benefits, est.activations, est.cap)
            if why:
                problems.append(loaded.problem(("duration_cap_weeks",), why))
            ms.append(mix_collapse(share_cube(book, int(weeks[j]), est.benefits, est.activations, est.cap), est.activation_mix))
        except ValueError as exc:  # e.g. no refund rules in force for a projected week
            raise InputError([Problem("rates", None, "", f"prognosen kan ikke prissættes: {exc}")]) from None
    if problems:
        raise InputError(problems)
    phi = normalise(est.stock_offset)
    gathered = [by_offset(m) for m in ms]
    initial = np.stack([initial_weights(ms[inv[k]], phi, k, gathered[inv[k]]) for k in range(horizon.weeks)]) if horizon.weeks else np.zeros((0, len(est.benefits), est.cap))
    return Pricing(inv, ms, initial, phi, effect_factors(est, loaded, weeks))


@dataclass
class Weekly:
    """Projected weekly figures by benefit: (T, ..., B)."""

    person_weeks: np.ndarray
    gross: np.ndarray
    state: np.ndarray
    stock_initial: np.ndarray | None = None  # (T, B, cap), kept for the point forecast only
    stock_new: np.ndarray | None = None


def simulate(pr: Pricing, initial: np.ndarray, inflow: np.ndarray, base_hazard: np.ndarray, level: np.ndarray, entry_offset: np.ndarray, keep: bool = False) -> Weekly:
    """Project and price week by week. Leading replicate axes (...) are carried through.

    ``initial`` (..., B, cap); ``inflow`` and ``level`` (T, ..., B); ``base_hazard`` (..., B, cap)
    is the estimated curve, multiplied each week by the effect factors of ``pr``.

    The end stock and the spells started in the projection are projected apart (the system is
    linear, so their sum is the stock) because their staircase offsets differ.
    """
    T = inflow.shape[0]
    wn = pr.new(normalise(entry_offset))
    xi = np.asarray(initial, dtype=float)
    xn = np.zeros_like(xi)
    shape = (T, *xi.shape[:-1])
    pw, state = np.zeros(shape), np.zeros(shape)
    keep_i = np.zeros((T, *xi.shape)) if keep else None
    keep_n = np.zeros((T, *xi.shape)) if keep else None
    zero = np.zeros(xi.shape[:-1])
    for k in range(T):
        hazard = np.clip(base_hazard * pr.factors[k], 0.0, 1.0)
        xi = step(xi, zero, hazard)
        xn = step(xn, inflow[k], hazard)
        pw[k] = xi.sum(axis=-1) + xn.sum(axis=-1)
        state[k] = (xi * pr.initial[k]).sum(axis=-1) + (xn * wn[pr.period[k]]).sum(axis=-1)
        if keep:
            keep_i[k], keep_n[k] = xi, xn
    gross = pw * level
    return Weekly(pw, gross, state * level, keep_i, keep_n)


def yearly(horizon: Horizon, weekly: Weekly) -> dict[int, dict[str, np.ndarray]]:
    """Sum each reported calendar year's days: person-weeks (person-days / 7), gross, state by
    benefit (..., B); a week across New Year counts by the share of its days in the year."""
    shares = horizon.day_shares
    out = {}
    for j, y in enumerate(horizon.years):
        w = shares[:, j]
        out[y] = {k: np.tensordot(w, getattr(weekly, k), axes=(0, 0)) for k in ("person_weeks", "gross", "state")}
    return out


def observed_counts(pp: PricedPanel, years: tuple[int, ...], weeks: tuple[int, int] | None = None) -> dict[int, dict[str, np.ndarray]]:
    """The panel's own figures per calendar year and benefit (weeks within ``weeks`` = (first,
    last) if given), each row weighted by the share of its week's days in the year: person-days,
    and gross and state kroner as exact integers (financing.exact), so that the figures of
    partitions of persons add up to the whole panel's exactly (:func:`observed_kroner`)."""
    p = pp.panel
    nb = len(p.benefits)
    sel = np.ones(p.n_rows, dtype=bool) if weeks is None else (p.week >= weeks[0]) & (p.week <= weeks[1])
    wk = p.week[sel]
    uniq, inv = np.unique(wk, return_inverse=True)
    shares = year_day_shares(uniq, years)[inv] if uniq.size else np.zeros((0, len(years)))
    b = p.benefit[sel].astype(np.int64)
    amount, state = p.amount[sel], pp.state_dkk[sel]
    out = {}
    for j, y in enumerate(years):
        w = shares[:, j]
        out[y] = {
            "person_days": np.bincount(b, weights=np.rint(7.0 * w), minlength=nb),
            "gross": exact.bincount(b, amount * w, nb),
            "state": exact.bincount(b, state * w, nb),
        }
    return out


def add_observed(parts: list[dict[int, dict[str, np.ndarray]]]) -> dict[int, dict[str, np.ndarray]]:
    out = {y: {k: v.copy() for k, v in d.items()} for y, d in parts[0].items()}
    for part in parts[1:]:
        for y, d in part.items():
            for k, v in d.items():
                out[y][k] += v
    return out


def observed_kroner(counts: dict[int, dict[str, np.ndarray]]) -> dict[int, dict[str, np.ndarray]]:
    """:func:`observed_counts` (or their sum over partitions) as person-weeks (person-days / 7) and kroner."""
    return {
        y: {"person_weeks": d["person_days"] / 7.0, **{k: exact.kroner(exact.exact(d[k][..., 0], d[k][..., 1])) for k in ("gross", "state")}}
        for y, d in counts.items()
    }


def observed_yearly(pp: PricedPanel, years: tuple[int, ...], weeks: tuple[int, int] | None = None) -> dict[int, dict[str, np.ndarray]]:
    """The panel's own figures per calendar year and benefit (weeks within ``weeks`` = (first,
    last) if given), each row weighted by the share of its week's days in the year."""
    return observed_kroner(observed_counts(pp, years, weeks))


def observed_days(start: int, years: tuple[int, ...]) -> dict[int, int]:
    """Days of each year before the first projected week's Monday (taken from the panel)."""
    monday = monday_of(start)
    return {y: min(max((monday - dt.date(y, 1, 1)).days, 0), days_in_year(y)) for y in years}


@dataclass
class ForecastResult:
    """A priced forecast: per reported year and benefit, plus what it was built from."""

    horizon: Horizon
    estimate: Estimate
    pricing: Pricing
    weekly: Weekly
    paths_level: np.ndarray  # (T, B)
    projected: dict[int, dict[str, np.ndarray]]  # year → person_weeks/gross/state (B,)
    observed: dict[int, dict[str, np.ndarray]]  # the panel's own weeks in reported years
    observed_days: dict[int, int]  # days of each reported year taken from the panel
    replicates: dict[int, dict[str, np.ndarray]] | None = None  # year → (R, B) arrays
    assumptions: LoadedAssumptions | None = None
    meta: dict = field(default_factory=dict)

    def totals(self, year: int) -> dict[str, np.ndarray]:
        """Observed + projected (B,) for one reported year."""
        return {k: self.projected[year][k] + self.observed[year][k] for k in ("person_weeks", "gross", "state")}


def check_estimable(est: Estimate, file: str) -> None:
    missing = [b for j, b in enumerate(est.benefits) if (est.stock[j].sum() > 0 or est.inflow[j].sum() > 0) and not est.life.estimable[j]]
    if missing:
        raise InputError(
            [Problem(file, None, "week", f"the panel is too short to estimate how people leave {b}: no week of a {b} spell has a known outcome") for b in missing]
        )


def estimate_panel(pp: PricedPanel, loaded: LoadedAssumptions) -> tuple[SpellData, Estimate]:
    m = loaded.model
    check_codes(loaded, pp.panel.benefits, pp.panel.activations)
    data = prepare(pp.panel, pp.count_week)
    mix = activation_mix_weeks(pp.panel, data.spells, m.duration_cap_weeks)
    est = estimate_from(data, m.duration_cap_weeks, mix, m.inflow.window_weeks)
    check_estimable(est, pp.file)
    return data, est


def observed_range(hz: Horizon) -> tuple[int, int]:
    """The panel's own weeks reported with the forecast: those of the first reported year before the projection."""
    return (week_of_new_year(hz.years[0]), hz.start - 1)


def run_forecast(
    pp: PricedPanel,
    book: RateBook,
    loaded: LoadedAssumptions,
    n_years: int | None = None,
    *,
    horizon: Horizon | None = None,
    replicates: int | None = None,
    keep_stock: bool = True,
    from_empty: bool = False,
    inflow: np.ndarray | None = None,
) -> ForecastResult:
    """Estimate on ``pp``, project from its last week, price, and (optionally) bootstrap.

    ``horizon`` defaults to ``n_years`` calendar years from the week after the panel; a reported
    year that begins inside the panel adds the panel's own days of that year (``observed``).
    ``from_empty`` starts from no one on benefit instead of the panel's end stock, and
    ``inflow`` (T, B) replaces the inflow path (both for :func:`own_period`).
    """
    from budgetmodel.forecast.bootstrap import replicate_counts  # local: bootstrap uses this module

    data, est = estimate_panel(pp, loaded)
    hz = horizon or Horizon.after(est.first_week, est.last_week, n_years or 1)
    observed = observed_yearly(pp, hz.years, observed_range(hz))
    reps = replicates if replicates is not None else loaded.model.bootstrap.replicates
    rep = replicate_counts(data, est.cap, est.offset_window_weeks, reps, loaded.model.bootstrap.seed) if reps > 0 else None
    return forecast_estimate(est, book, loaded, hz, observed, rep, keep_stock=keep_stock, from_empty=from_empty, inflow=inflow)


def forecast_estimate(
    est: Estimate,
    book: RateBook,
    loaded: LoadedAssumptions,
    hz: Horizon,
    observed: dict[int, dict[str, np.ndarray]],
    replicate_counts: dict[str, np.ndarray] | None = None,
    *,
    keep_stock: bool = True,
    from_empty: bool = False,
    inflow: np.ndarray | None = None,
) -> ForecastResult:
    """Project an estimate (of a whole panel, or added up from its partitions) over ``hz`` and price
    it; ``observed``: the panel's own days in the reported years; ``replicate_counts``: the
    bootstrap's weighted counts (:func:`bootstrap.replicate_counts`)."""
    from budgetmodel.forecast.bootstrap import bootstrap_from_counts
    from budgetmodel.forecast.estimate import PanelFrame

    pr = build_pricing(book, est, loaded, hz)
    inflow = inflow_path(est, loaded, hz.start, hz.weeks) if inflow is None else inflow
    level = level_path(est, loaded, hz.start, hz.weeks)
    initial = np.zeros_like(est.stock) if from_empty else est.stock
    weekly = simulate(pr, initial, inflow, est.life.hazard, level, est.entry_offset, keep=keep_stock)
    projected = yearly(hz, weekly)
    days = observed_days(hz.start, hz.years)
    result = ForecastResult(hz, est, pr, weekly, level, projected, observed, days, assumptions=loaded)
    if replicate_counts is not None:
        frame = PanelFrame(est.first_week, est.last_week, est.benefits, est.activations, est.counted)
        result.replicates = bootstrap_from_counts(replicate_counts, frame, est, pr, loaded, hz)
    return result


def own_period(pp: PricedPanel, book: RateBook, loaded: LoadedAssumptions) -> ForecastResult:
    """Forecast a panel's own weeks from an empty caseload with the panel's own weekly inflow.

    Meant for panels that start with no one on benefit (a new benefit, a synthetic check): every
    spell in the panel's first week is then new, so the inflow of every week is known and the
    forecast differs from the panel only through the estimated exit curves, activation mix,
    benefit levels and staircase offsets. Its money can be set against the refund engine's.
    """
    p = pp.panel
    spells = prepare(p).spells
    first = spells.start == p.first_week
    week0 = np.bincount(spells.benefit[first], minlength=len(p.benefits)).astype(float)
    _, est = estimate_panel(pp, loaded)
    inflow = np.vstack([week0[None, :], est.inflow.T])
    return run_forecast(pp, book, loaded, horizon=Horizon.between(p.first_week, p.last_week), replicates=0, from_empty=True, inflow=inflow)
