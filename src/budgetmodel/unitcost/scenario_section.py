"""The scenario's ``methods`` section: which published methods to run on the municipality's own
figures, and whether the memo gets a Danish section for them.

    methods:
      memo: true
      bdo: {...}            # a BDO profile (budgetmodel.unitcost.bdo.BdoProfile), inline
      quartz: {...}         # a Quartz profile (budgetmodel.unitcost.quartz.QuartzProfile), inline
      passivity:
        panel: ../data/panel.csv   # relative to the scenario file
        at: 2018-W20               # optional reference week
      benchmark: true       # the Mploy/Kibak benchmark of municipality.staff

A small model of its own so the scenario schema only imports it.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from budgetmodel.unitcost.bdo import BdoProfile
from budgetmodel.unitcost.quartz import QuartzProfile


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PassivitySpec(_M):
    panel: str = Field(min_length=1)  # a person-week panel, relative to the scenario file
    at: str | None = Field(None, pattern=r"^\d{4}-W\d{2}$")  # reference week; omitted = the panel's last

    @field_validator("at")
    @classmethod
    def _iso_week(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                dt.date.fromisocalendar(int(v[:4]), int(v[6:]), 1)
            except ValueError:
                raise ValueError(f"'{v}' er ikke en ISO-uge (år {v[:4]} har ikke uge {int(v[6:])}); forventede ÅÅÅÅ-Uww, fx 2018-W20") from None
        return v


class MethodsSection(_M):
    memo: bool = True  # a Danish section in the memo
    bdo: BdoProfile | None = None
    quartz: QuartzProfile | None = None
    passivity: PassivitySpec | None = None
    benchmark: bool = False  # Mploy/Kibak benchmark of municipality.staff
