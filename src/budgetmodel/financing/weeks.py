"""ISO weeks as continuous week numbers (weeks since Monday 1970-01-05): the panel's ``week``
column, the rate grid's weeks and the aggregate path's dates share them. Light (numpy only), so
pricing cells needs no panel reader (pyarrow)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
# Week numbers run continuously across years: weeks since Monday 1970-01-05 (a calendar anchor).
EPOCH_MONDAY = np.datetime64("1970-01-05", "D")


def parse_week(text: str) -> dt.date:
    """'2016-W01' → its Monday (date(2016, 1, 4)); ValueError naming what is wrong."""
    m = WEEK_RE.match(text)
    if not m:
        raise ValueError(f"'{text}' er ikke en ISO-uge (forventede ÅÅÅÅ-Wuu, fx 2016-W01)")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        last = dt.date(year, 12, 28).isocalendar()[1]
        raise ValueError(f"'{text}': {year} har ISO-ugerne 1-{last}") from None


def week_number(monday: dt.date | np.ndarray) -> int | np.ndarray:
    """Continuous week number of a date's week (weeks since the epoch Monday); floors to Monday."""
    days = (np.asarray(monday, dtype="datetime64[D]") - EPOCH_MONDAY).astype(np.int64)
    out = np.floor_divide(days, 7)
    return int(out) if np.ndim(out) == 0 else out


def monday_of(week_no: int | np.ndarray) -> np.ndarray:
    return EPOCH_MONDAY + np.asarray(week_no, dtype=np.int64) * 7


def week_label(week_no: int) -> str:
    y, w, _ = dt.date.fromisoformat(str(monday_of(week_no))).isocalendar()
    return f"{y}-W{w:02d}"
