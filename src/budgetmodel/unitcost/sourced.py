"""A value with its unit, status and source, as the unit-cost and methods assumption files state it
(a module of its own so the passive share can load its assumptions without the unit-cost profile)."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

V = TypeVar("V")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Sourced(_Frozen, Generic[V]):
    value: V
    unit: str | None = None
    price_level: int | None = None
    status: Literal["derived", "assumption"]
    source: str = Field(min_length=1)
    note: str | None = None
