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

from pydantic import BaseModel, ConfigDict, Field

from budgetmodel.unitcost.bdo import BdoProfile
from budgetmodel.unitcost.quartz import QuartzProfile


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PassivitySpec(_M):
    panel: str = Field(min_length=1)  # a person-week panel, relative to the scenario file
    at: str | None = Field(None, pattern=r"^\d{4}-W\d{2}$")  # reference week; omitted = the panel's last


class MethodsSection(_M):
    memo: bool = True  # a Danish section in the memo
    bdo: BdoProfile | None = None
    quartz: QuartzProfile | None = None
    passivity: PassivitySpec | None = None
    benchmark: bool = False  # Mploy/Kibak benchmark of municipality.staff
