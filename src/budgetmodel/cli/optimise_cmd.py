"""Commands of this group are registered here as their engine lands."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
