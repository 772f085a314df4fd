"""Budget years are calendar years: an ISO week's figures split by its days in each year.

A municipal budget runs 1 January - 31 December, while a benefit panel counts ISO weeks; an ISO
year has 52 or 53 weeks, so summing ISO weeks would make a 53-week year look 1/52 dearer at the
same caseload. Here a week whose seven days straddle New Year gives ``d/7`` of its amount to the
year holding ``d`` of its days, and the rest to the other; helårspersoner in a year are person-days
on benefit in that year divided by the year's days (365 or 366), so a person on benefit every day
of the year is one helårsperson whether the year has 52 or 53 ISO weeks.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from budgetmodel.financing import exact
from budgetmodel.financing.exact import add_micro, micro_of
from budgetmodel.jit import kernel

CONVENTION = "calendar_year_days"
CONVENTION_NOTE = (
    "kalenderår: en ISO-uge over nytår fordeles på de to år efter antal dage (d/7 af ugens beløb til året med d af ugens dage); "
    "helårspersoner = persondage på ydelse i året / årets dage"
)

EPOCH_MONDAY = np.datetime64("1970-01-05", "D")  # as financing.panel: continuous week 0


def week_year_split(first_week: int, span: int) -> tuple[np.ndarray, np.ndarray]:
    """For the continuous weeks first_week … first_week+span-1: the calendar year of each week's
    Monday and how many of its 7 days fall in that year (the rest fall in the next year)."""
    monday = EPOCH_MONDAY + (np.arange(span, dtype=np.int64) + first_week) * 7
    year = monday.astype("datetime64[Y]").astype(np.int64) + 1970
    next_jan1 = (year - 1970 + 1).astype("datetime64[Y]").astype("datetime64[D]")
    days_in_first = np.minimum(7, (next_jan1 - monday).astype(np.int64))
    return year.astype(np.int32), days_in_first.astype(np.int8)


def days_in_year(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


@kernel
def add_to_years(kr, micro, days, person_days, y, d, b, nbenefits, a, s, new_pw):  # pragma: no cover - compiled
    """Add one row (gross ``a``, state ``s`` kroner, benefit ``b``) of a week whose Monday falls in
    year index ``y`` with ``d`` of its days: d/7 to year ``y``, the rest to ``y + 1``. ``kr``,
    ``micro`` and ``days`` are flat (year, benefit[, gross/state/municipal]) cells; ``new_pw``: the
    row is its person's first in the week (person-days count once)."""
    for part in range(2):
        if part == 0:
            yy, dd = y, d
        else:
            yy, dd = y + 1, 7 - d
        if dd <= 0:
            continue
        f = dd / 7.0
        qa = micro_of(a * f)
        qs = micro_of(s * f)
        cell = (yy * nbenefits + b) * 3
        add_micro(kr, micro, cell, qa)
        add_micro(kr, micro, cell + 1, qs)
        add_micro(kr, micro, cell + 2, qa - qs)
        days[yy * nbenefits + b] += dd
        if new_pw:
            person_days[yy] += dd


@kernel
def _calendar_kernel(person, week, benefit, amount, share, first_week, year_of, days_of, year0, nyears, nbenefits):  # pragma: no cover - compiled
    """Exact sums per (calendar year, benefit): gross, state, municipal (whole kroner and millionths,
    :mod:`exact`) and person-days; and per year the person-days of distinct persons (a person on
    two benefits in one week counts once). Rows grouped by person with weeks ascending (the refund
    engine's order)."""
    kr = np.zeros(nyears * nbenefits * 3, np.int64)
    micro = np.zeros(nyears * nbenefits * 3, np.int64)
    days = np.zeros(nyears * nbenefits, np.int64)
    persons_days = np.zeros(nyears, np.int64)
    n = amount.shape[0]
    for i in range(n):
        k = week[i] - first_week
        a = amount[i]
        new_pw = i == 0 or person[i] != person[i - 1] or week[i] != week[i - 1]
        add_to_years(kr, micro, days, persons_days, year_of[k] - year0, days_of[k], benefit[i], nbenefits, a, a * share[i], new_pw)
    return kr.reshape(nyears, nbenefits, 3), micro.reshape(nyears, nbenefits, 3), days.reshape(nyears, nbenefits), persons_days


def calendar_sums(person: np.ndarray, week: np.ndarray, benefit: np.ndarray, amount: np.ndarray, share: np.ndarray, nbenefits: int) -> dict | None:
    """The engine's rows (grouped by person, weeks ascending) summed by calendar year; None if empty."""
    if amount.shape[0] == 0:
        return None
    first, last = int(week.min()), int(week.max())
    year_of, days_of = week_year_split(first, last - first + 1)
    year0 = int(year_of[0])
    nyears = int(year_of[-1]) - year0 + 2  # the last week may reach into the next year
    kr, micro, days, pdays = _calendar_kernel(person, week, benefit, amount, share, first, year_of, days_of, year0, nyears, nbenefits)
    money = exact.exact(kr, micro)  # (years, benefits, 3, 2)
    return {"year0": year0, "money": money, "days": days, "person_days": pdays}


def combine_calendars(parts: list[dict | None]) -> dict | None:
    """Add calendar-year sums of disjoint sets of persons (partitions of one panel)."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    year0 = min(p["year0"] for p in parts)
    nyears = max(p["year0"] + p["money"].shape[0] for p in parts) - year0
    money = np.zeros((nyears,) + parts[0]["money"].shape[1:], np.int64)
    days = np.zeros((nyears,) + parts[0]["days"].shape[1:], np.int64)
    pdays = np.zeros(nyears, np.int64)
    for p in parts:
        k = p["year0"] - year0
        n = p["money"].shape[0]
        money[k : k + n] += p["money"]
        days[k : k + n] += p["days"]
        pdays[k : k + n] += p["person_days"]
    money = exact.exact(money[..., 0], money[..., 1])
    return {"year0": year0, "money": money, "days": days, "person_days": pdays}


def year_day_shares(weeks: np.ndarray, years: tuple[int, ...] | list[int]) -> np.ndarray:
    """(len(weeks), len(years)): the share of each continuous week's 7 days that falls in each
    calendar year (1, or d/7 and (7−d)/7 for a week across New Year; 0 outside the years)."""
    weeks = np.asarray(weeks, dtype=np.int64)
    out = np.zeros((weeks.shape[0], len(years)))
    if not weeks.shape[0] or not len(years):
        return out
    first = int(weeks.min())
    year_of, days_of = week_year_split(first, int(weeks.max()) - first + 1)
    y, d = year_of[weeks - first].astype(np.int64), days_of[weeks - first].astype(float)
    for j, year in enumerate(years):
        out[:, j] = np.where(y == year, d / 7.0, 0.0) + np.where(y + 1 == year, (7.0 - d) / 7.0, 0.0)
    return out

