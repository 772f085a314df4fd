"""The shape of a rate table file in ``rates/`` (law as data).

A table has an id (= file name), a Danish description, a unit, its dimensions, a list of
values and ``known_through`` (the date up to which its sources establish it). Each value names the dimension cell it applies to (``where``), the date it is valid from
(and optionally to), the value itself, its source (seed file + table, or law + §) and a status.

Dimensions are either categories (a closed list of codes; ``"*"`` in ``where`` means any) or
week bands (``"1-4"``, ``"53+"``) that a lookup matches by an integer week.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

StrictDate = Annotated[dt.date, Field(strict=True)]

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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dimension(_Strict):
    name: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["category", "band"] = "category"
    description: StrictStr = ""
    values: list[StrictStr] = Field(default_factory=list)  # for categories: the allowed codes

    @model_validator(mode="after")
    def _values_for_categories(self) -> "Dimension":
        if self.kind == "category" and not self.values:
            raise ValueError(f"kategoridimensionen '{self.name}' skal have sin liste af værdier")
        if self.kind == "band" and self.values:
            raise ValueError(f"bånddimensionen '{self.name}' tager ingen liste af værdier")
        return self


Scalar = StrictInt | StrictFloat | StrictBool | StrictStr


class RateEntry(_Strict):
    valid_from: StrictDate
    valid_to: StrictDate | None = None  # inclusive; open-ended when absent
    where: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    value: Scalar
    unit: Unit | None = None  # this value's unit when it differs from the table's (a rules table mixing weeks and dates)
    source: StrictStr = Field(min_length=3)
    status: Status
    note: StrictStr = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> "RateEntry":
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} ligger før valid_from {self.valid_from}")
        return self


class RateTableFile(_Strict):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: StrictStr = Field(min_length=3)
    unit: Unit
    dimensions: list[Dimension] = Field(default_factory=list)
    values: list[RateEntry] = Field(min_length=1)
    notes: StrictStr = ""  # readings of ambiguous text, written down next to the values
    # the date up to which the table's sources establish it; a lookup after it still answers
    # (the law assumed unchanged) and says so ("antaget uændret efter …")
    known_through: StrictDate | None = None


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
