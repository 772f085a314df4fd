"""The schema of a code-mapping file (``kind: code-mapping``): a source system's columns and
codes → the model's (see :mod:`budgetmodel.financing.panel_input`)."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from budgetmodel.codes import ACTIVATIONS, BENEFITS
from budgetmodel.financing.panel_input import COLUMNS


class CodeMapping(BaseModel):
    """A source system's columns and codes → the model's (``kind: code-mapping``)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(pattern="^code-mapping$", description="altid 'code-mapping'")
    name: str = Field(description="kildesystemets navn")
    source: str = Field(description="hvor kodelisten er offentliggjort (dokument, tabel, adresse)")
    note: str = ""
    columns: dict[str, str] = Field(default_factory=dict, description="kildesystemets kolonnenavn → modellens")
    benefit: dict[str, Optional[str]] = Field(default_factory=dict, description="kildekode → modellens ydelseskode; null = ikke en ydelse modellen prissætter (rækken udelades)")
    activation: dict[str, str] = Field(default_factory=dict, description="kildekode → modellens aktiveringskode")

    @field_validator("columns", "benefit", "activation", mode="before")
    @classmethod
    def _keys_as_text(cls, v):
        return {str(k).strip(): v2 for k, v2 in v.items()} if isinstance(v, dict) else v

    @field_validator("columns")
    @classmethod
    def _columns(cls, v: dict[str, str]) -> dict[str, str]:
        bad = [t for t in v.values() if t not in COLUMNS]
        if bad:
            raise ValueError(f"ukendt kolonne {bad[0]!r} (modellens kolonner: {', '.join(COLUMNS)})")
        return v

    @field_validator("benefit")
    @classmethod
    def _benefits(cls, v: dict[str, Optional[str]]) -> dict[str, Optional[str]]:
        bad = [t for t in v.values() if t is not None and t not in BENEFITS]
        if bad:
            raise ValueError(f"ukendt ydelseskode {bad[0]!r} (modellens koder: {', '.join(BENEFITS)}; se budgetmodel koder)")
        return v

    @field_validator("activation")
    @classmethod
    def _activations(cls, v: dict[str, str]) -> dict[str, str]:
        bad = [t for t in v.values() if t not in ACTIVATIONS]
        if bad:
            raise ValueError(f"ukendt aktiveringskode {bad[0]!r} (modellens koder: {', '.join(ACTIVATIONS)}; se budgetmodel koder)")
        return v
