"""The pydantic check of a rate table file (``rates/*.yaml``) and of a scenario's changed rates
(``law.overrides``); :meth:`TableSpec.form` gives the plain form of :mod:`budgetmodel.rates.schema`.

Imported only when a file is actually read and checked (not when its checked form is taken from
:mod:`budgetmodel.compiled`), so a command that reads the law needs no pydantic at start."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

from budgetmodel.rates.schema import Dimension, RateEntry, RateTableFile, Status, Unit

StrictDate = Annotated[dt.date, Field(strict=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DimensionSpec(_Strict):
    name: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["category", "band"] = "category"
    description: StrictStr = ""
    values: list[StrictStr] = Field(default_factory=list)  # for categories: the allowed codes

    @model_validator(mode="after")
    def _values_for_categories(self) -> "DimensionSpec":
        if self.kind == "category" and not self.values:
            raise ValueError(f"kategoridimensionen '{self.name}' skal have sin liste af værdier")
        if self.kind == "band" and self.values:
            raise ValueError(f"bånddimensionen '{self.name}' tager ingen liste af værdier")
        return self


Scalar = StrictInt | StrictFloat | StrictBool | StrictStr


class EntrySpec(_Strict):
    valid_from: StrictDate
    valid_to: StrictDate | None = None  # inclusive; open-ended when absent
    where: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    value: Scalar
    unit: Unit | None = None  # this value's unit when it differs from the table's (a rules table mixing weeks and dates)
    source: StrictStr = Field(min_length=3)
    status: Status
    note: StrictStr = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> "EntrySpec":
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} ligger før valid_from {self.valid_from}")
        return self


class TableSpec(_Strict):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: StrictStr = Field(min_length=3)
    unit: Unit
    dimensions: list[DimensionSpec] = Field(default_factory=list)
    values: list[EntrySpec] = Field(min_length=1)
    notes: StrictStr = ""  # readings of ambiguous text, written down next to the values
    # the date up to which the table's sources establish it; a lookup after it still answers
    # (the law assumed unchanged) and says so ("antaget uændret efter …")
    known_through: StrictDate | None = None

    def form(self) -> RateTableFile:
        """The checked table as plain objects (what a rate book holds)."""
        return RateTableFile(
            id=self.id,
            description=self.description,
            unit=self.unit,
            dimensions=[Dimension(d.name, d.kind, d.description, list(d.values)) for d in self.dimensions],
            values=[RateEntry(e.valid_from, e.valid_to, dict(e.where), e.value, e.unit, e.source, e.status, e.note) for e in self.values],
            notes=self.notes,
            known_through=self.known_through,
        )


class OverrideSpec(BaseModel):
    """One changed rate in a scenario's ``law.overrides`` (checked against its table in :func:`budgetmodel.rates.book.parse_overrides`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str = Field(min_length=1)
    where: dict[str, str] = Field(default_factory=dict)
    valid_from: dt.date
    valid_to: dt.date | None = None
    value: Scalar
    source: str = Field(min_length=3)
    note: str = ""
