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

    @field_validator("columns", "benefit", "activation")
    @classmethod
    def _targets(cls, v: dict, info) -> dict:
        """Every target must be one of the model's columns or codes (null only for a benefit)."""
        allowed, what = _TARGETS[info.field_name]
        bad = [t for t in v.values() if not (t is None and info.field_name == "benefit") and t not in allowed]
        if bad:
            raise ValueError(f"ukendt {what} {bad[0]!r} (modellens: {', '.join(allowed)}; se budgetmodel koder)")
        return v


_TARGETS = {"columns": (COLUMNS, "kolonne"), "benefit": (BENEFITS, "ydelseskode"), "activation": (ACTIVATIONS, "aktiveringskode")}
