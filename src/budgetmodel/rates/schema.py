"""The shape of a rate table file in ``rates/`` (law as data).

A table has an id (= file name), a Danish description, a unit, its dimensions, a list of
values and ``known_through`` (the date up to which its sources establish it). Each value names the dimension cell it applies to (``where``), the date it is valid from
(and optionally to), the value itself, its source (seed file + table, or law + §) and a status.

Dimensions are either categories (a closed list of codes; ``"*"`` in ``where`` means any) or
week bands (``"1-4"``, ``"53+"``) that a lookup matches by an integer week.

This module is the checked table's plain form (frozen dataclasses, no pydantic): what a rate book
holds and what :mod:`budgetmodel.compiled` keeps between runs. The file itself is checked by the
pydantic models of :mod:`budgetmodel.rates.file_schema` (imported only when a file is read).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

BAND_RE = re.compile(r"^(\d+)(?:-(\d+)|\+)?$")
ANY = "*"


class Status(str, Enum):
    law = "law"  # the rule as the law or the document states it
    derived = "derived"  # computed from a document's figures (the computation is in `note`)
    assumption = "assumption"  # a reading where the document is silent or ambiguous
    reform = "reform"  # laid over the law by a scenario's law.overrides; never in a rates/ file


class Unit(str, Enum):
    pct = "pct"  # percent, 0-100
    share = "share"  # fraction, 0-1
    dkk = "dkk"
    dkk_per_helaarsperson = "dkk_per_helaarsperson"
    dkk_per_month = "dkk_per_month"
    dkk_per_week = "dkk_per_week"
    dkk_per_year = "dkk_per_year"
    weeks = "weeks"
    months = "months"
    count = "count"
    percentage_points = "percentage_points"
    flag = "flag"  # true/false
    date = "date"  # an ISO date YYYY-MM-DD
    text = "text"


INTEGER_UNITS = frozenset({Unit.weeks})

UNIT_RANGE: dict[Unit, tuple[float, float]] = {
    Unit.pct: (0.0, 100.0),
    Unit.share: (0.0, 1.0),
    Unit.dkk: (0.0, 1e13),
    Unit.dkk_per_helaarsperson: (0.0, 1e7),
    Unit.dkk_per_month: (0.0, 1e6),
    Unit.dkk_per_week: (0.0, 1e6),
    Unit.dkk_per_year: (0.0, 1e8),
    Unit.weeks: (1.0, 5200.0),  # a whole number of weeks, at least one, at most a century
    Unit.months: (0.0, 1e3),
    Unit.count: (0.0, 1e9),
    Unit.percentage_points: (-100.0, 100.0),
}


@dataclass(frozen=True)
class Dimension:
    name: str
    kind: str = "category"  # "category" | "band"
    description: str = ""
    values: list[str] = field(default_factory=list)  # for categories: the allowed codes


@dataclass(frozen=True)
class RateEntry:
    valid_from: dt.date
    valid_to: dt.date | None = None  # inclusive; open-ended when absent
    where: dict[str, str] = field(default_factory=dict)
    value: Any = None  # int | float | bool | str
    unit: Unit | None = None  # this value's unit when it differs from the table's (a rules table mixing weeks and dates)
    source: str = ""
    status: Status = Status.law
    note: str = ""


@dataclass(frozen=True)
class RateTableFile:
    id: str
    description: str
    unit: Unit
    dimensions: list[Dimension] = field(default_factory=list)
    values: list[RateEntry] = field(default_factory=list)
    notes: str = ""  # readings of ambiguous text, written down next to the values
    # the date up to which the table's sources establish it; a lookup after it still answers
    # (the law assumed unchanged) and says so ("antaget uændret efter …")
    known_through: dt.date | None = None


def parse_band(text: str) -> tuple[int, int | None]:
    """'1-4' → (1, 4); '53+' → (53, None); '7' → (7, 7)."""
    m = BAND_RE.match(text)
    if not m:
        raise ValueError(f"'{text}' er ikke et ugebånd (forventede fx '1-4', '53+' eller '7')")
    lo = int(m.group(1))
    if m.group(2) is not None:
        hi = int(m.group(2))
        if hi < lo:
            raise ValueError(f"båndet '{text}' slutter, før det begynder")
        return lo, hi
    return (lo, None) if text.endswith("+") else (lo, lo)
