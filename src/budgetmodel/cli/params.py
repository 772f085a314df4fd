"""Option values converted without pydantic when they are plainly valid.

typer (0.29) converts every option and argument through a pydantic ``TypeAdapter``: the first
command parameter a run meets imports pydantic and builds an adapter per parameter (~0,07 s at
every start, also for ``refund`` which otherwise needs no pydantic). A parameter of type ``str``,
``bool``, ``int``, ``float`` or ``Path`` (no list, no parser, no enum) is converted here by plain Python
when the text is a plain value within the option's ``min``/``max``; anything else (a bad number,
a value out of range) goes to typer's own adapter, so every message stays the one typer gives
(in Danish via :mod:`budgetmodel.cli.danish`). Installed once by :mod:`budgetmodel.cli`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

# ASCII digits only: int() and float() also read other scripts' digits ('٣' is 3), which typer refuses
_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _plain(annotation: Any, info: Any) -> bool:
    """True for the parameters converted here (the rest keep typer's adapter)."""
    if info.parser is not None or getattr(info, "click_type", None) is not None:
        return False
    if annotation in (str, int, float, bool):
        return True
    return isinstance(annotation, type) and issubclass(annotation, Path) and not info.allow_dash


def _within(x: float, info: Any) -> bool:
    return (info.min is None or x >= info.min) and (info.max is None or x <= info.max)


def install() -> None:
    """Route plain parameters through :class:`PlainParam` (idempotent)."""
    import typer.core

    try:  # typer's internals of 0.29; another typer converts every value itself, as before
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer._param_types import coerce_cli_path
    except ImportError:  # pragma: no cover - another typer
        return
    if not hasattr(typer.core, "build_runtime_param") or getattr(typer.core.build_runtime_param, "_plain", False):
        return

    class PlainParam(RuntimeParam):
        """str/int/float/Path by plain Python; typer's adapter for anything it would refuse."""

        def __init__(self, descriptor: Any) -> None:
            super().__init__(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
            object.__setattr__(self, "descriptor", descriptor)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            a, info = self.annotation, self.parameter_info
            if a is str or a is bool:
                if isinstance(value, a):
                    return value
            elif a in (int, float):
                x = None
                if isinstance(value, str) and (_INT if a is int else _FLOAT).fullmatch(value.strip()) and len(value) < 19:
                    x = a(value)
                elif isinstance(value, (int, float)) and not isinstance(value, bool) and (a is float or type(value) is int):
                    x = a(value)
                if x is not None and math.isfinite(x) and _within(x, info) and not info.clamp:
                    return x
            elif isinstance(value, (str, Path)):  # a Path: typer's own checks (exists, file_okay …) on a Path object
                return coerce_cli_path(Path(value), info, path_type=info.path_type or a, param=param, ctx=ctx)
            return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

    def build(descriptor: Any) -> Any:
        if descriptor.file_annotation is None and _plain(descriptor.annotation, descriptor.parameter_info):
            return PlainParam(descriptor)
        return build_runtime_param(descriptor)

    build._plain = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = build  # type: ignore[attr-defined]
