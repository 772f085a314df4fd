"""Projection week by week: the stock by benefit and week of duration.

Each week the stock moves one week of duration on, thinned by the exit hazard of the week it
was in; the pooled last cell keeps its survivors; the week's inflow enters in week 1:

    x[t, b, 1]   = inflow[t, b]
    x[t, b, s+1] = x[t-1, b, s] · (1 − h[t, b, s])          for s < cap
    x[t, b, cap] += x[t-1, b, cap] · (1 − h[t, b, cap])

``h[t]`` is the hazard applied to the stock of week t−1 (its week of duration) as it moves into
week t. Paths (inflow, hazard, level) are built here from an :class:`Estimate` and the
assumptions; nothing in this module is a number of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from budgetmodel.codes import WEEKS_PER_HELAARSPERSON
from budgetmodel.errors import InputError, Problem
from budgetmodel.forecast.assumptions import ANY, LoadedAssumptions, by_benefit
from budgetmodel.forecast.estimate import Estimate
from budgetmodel.forecast.spells import iso_years, monday_of, week_number

WEEKS_PER_YEAR = WEEKS_PER_HELAARSPERSON  # growth and placements are per year of 52 weeks


@dataclass(frozen=True)
class Paths:
    """Everything the projection runs on, week by week from ``start`` (a week number)."""

    start: int
    initial: np.ndarray  # (..., B, cap) the stock in week start−1
    inflow: np.ndarray  # (T, ..., B)
    hazard: np.ndarray  # (T, ..., B, cap)
    level: np.ndarray  # (T, B) gross kr. per person-week

    @property
    def weeks(self) -> int:
        return int(self.inflow.shape[0])


def step(x: np.ndarray, inflow: np.ndarray, hazard: np.ndarray) -> np.ndarray:
    """One week on: ``x`` (..., B, cap) in week t−1 → the stock in week t."""
    survive = x * (1.0 - hazard)
    out = np.empty_like(survive)
    out[..., 0] = inflow
    out[..., 1:] = survive[..., :-1]
    out[..., -1] += survive[..., -1]
    return out


def run(paths: Paths) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (week number, stock (..., B, cap)) for every projected week."""
    x = np.asarray(paths.initial, dtype=float)
    for k in range(paths.weeks):
        x = step(x, paths.inflow[k], paths.hazard[k])
        yield paths.start + k, x


def project(paths: Paths) -> np.ndarray:
    """The whole projected stock (T, ..., B, cap); for small problems and tests."""
    return np.stack([x for _, x in run(paths)])


def growth_factor(pct_per_year: np.ndarray, weeks_after: np.ndarray) -> np.ndarray:
    """(T, B) compounding of a yearly growth rate per benefit over ``weeks_after`` weeks."""
    return (1.0 + np.asarray(pct_per_year)[None, :] / 100.0) ** (np.asarray(weeks_after, dtype=float)[:, None] / WEEKS_PER_YEAR)


def projected_weeks(start: int, n: int) -> np.ndarray:
    return np.arange(start, start + n)


def inflow_path(est: Estimate, loaded: LoadedAssumptions, start: int, n: int) -> np.ndarray:
    """(T, B) weekly inflow: the estimate (mean of the window, with growth) or the given path."""
    m = loaded.model.inflow
    weeks = projected_weeks(start, n)
    base = est.mean_inflow(m.window_weeks)
    path = base[None, :] * growth_factor(by_benefit(m.growth_pct_per_year, est.benefits), weeks - est.last_week)
    years = iso_years(weeks)
    problems: list[Problem] = []
    for b, given in m.weekly.items():
        j = est.benefits.index(b)
        if isinstance(given, dict):
            # a week's inflow is its ISO year's; a week across New Year that the reported calendar
            # years take part of may use the year of its Monday or Sunday when its ISO year is not given
            chosen = [_given_year(int(w), int(y), given) for w, y in zip(weeks, years)]
            missing = sorted({int(y) for y, c in zip(years, chosen) if c is None})
            if missing:
                problems.append(loaded.problem(("inflow", "weekly", b), f"ingen tilgang givet for det fremskrevne år {', '.join(map(str, missing))}"))
                continue
            path[:, j] = [float(given[c]) for c in chosen]
        else:
            path[:, j] = float(given)
    if problems:
        raise InputError(problems)
    return path


def _given_year(week: int, iso: int, given: dict) -> int | None:
    if iso in given:
        return iso
    monday = monday_of(week)
    for y in (monday.year, (monday + dt.timedelta(days=6)).year):
        if y in given:
            return y
    return None


def level_path(est: Estimate, loaded: LoadedAssumptions, start: int, n: int) -> np.ndarray:
    """(T, B) gross kr. per person-week: the panel's mean (or the given level), with growth."""
    m = loaded.model.benefit_level
    base = est.level_dkk_per_week.copy()
    for b, v in m.weekly_dkk.items():
        base[est.benefits.index(b)] = float(v)
    weeks = projected_weeks(start, n)
    return base[None, :] * growth_factor(by_benefit(m.growth_pct_per_year, est.benefits), weeks - est.last_week)


def effect_factors(est: Estimate, loaded: LoadedAssumptions, weeks: np.ndarray) -> np.ndarray:
    """(T, B, cap) multipliers on the exit hazard from the initiative effects.

    An effect limited to some activations works on the share of the cell in them (the
    estimated activation mix, held fixed): h' = h · (1 + (m − 1) · share).
    """
    cap = est.cap
    nb = len(est.benefits)
    mix = est.activation_mix
    out = np.ones((len(weeks), nb, cap))
    problems: list[Problem] = []
    for i, e in enumerate(loaded.model.effects):
        lo, hi = e.band
        if hi is not None and hi >= cap:
            problems.append(
                loaded.problem(
                    ("effects", i, "weeks"),
                    f"band '{e.weeks}' reaches week {cap}, which pools every later week; raise duration_cap_weeks above {hi} or make the band open ('{lo}+')",
                )
            )
            continue
        cells = np.zeros(cap, dtype=bool)
        cells[lo - 1 : (hi if hi is not None else cap)] = True
        bmask = np.array([ANY in e.benefits or b in e.benefits for b in est.benefits])
        if ANY in e.activations:
            share = np.ones((nb, cap))
        else:
            idx = [est.activations.index(a) for a in e.activations]
            share = mix[:, :, idx].sum(axis=2)
        factor = 1.0 + (float(e.exit_hazard_multiplier) - 1.0) * share
        factor = np.where(bmask[:, None] & cells[None, :], factor, 1.0)
        # the hazard of week t moves the stock of week t−1: the effect is on from that week
        active = np.ones(len(weeks), dtype=bool) if e.valid_from is None else (weeks - 1) >= week_number(e.valid_from) + (e.valid_from.weekday() != 0)
        out[active] *= factor[None]
    if problems:
        raise InputError(problems)
    return out


def hazard_path(est: Estimate, loaded: LoadedAssumptions, start: int, n: int, base: np.ndarray | None = None) -> np.ndarray:
    """(T, B, cap) exit hazards: the estimated curves times the effects, kept within [0, 1]."""
    h = est.life.hazard if base is None else base
    return np.clip(h[None] * effect_factors(est, loaded, projected_weeks(start, n)), 0.0, 1.0)


def paths_for(est: Estimate, loaded: LoadedAssumptions, start: int, n: int, initial: np.ndarray | None = None) -> Paths:
    """The paths for projecting ``n`` weeks from week ``start`` (default start: the panel's end stock)."""
    return Paths(
        start=start,
        initial=est.stock if initial is None else initial,
        inflow=inflow_path(est, loaded, start, n),
        hazard=hazard_path(est, loaded, start, n),
        level=level_path(est, loaded, start, n),
    )
