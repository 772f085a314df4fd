"""What every command shares: one clear error for bad input, JSON output, atomic writes."""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, TypeVar

import typer

from budgetmodel.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])


def reports_input_errors(fn: F) -> F:
    """Turn an InputError into its full message on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            typer.echo(exc.render(), err=True)
            raise typer.Exit(1) from None
        except OSError as exc:  # a path that cannot be read or written: one line, no traceback
            where = exc.filename if exc.filename is not None else ""
            typer.echo(f"1 fejl:\n  {where}: {exc.strerror or exc} (stien kan ikke læses eller skrives)", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def dump_json(obj: Any) -> str:
    """Stable JSON: sorted keys off (order is meaningful), UTF-8, no NaN allowed."""
    return json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False, default=str)


def echo_json(obj: Any) -> None:
    sys.stdout.write(dump_json(obj) + "\n")


def write_atomic(path: Path | str, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, then rename: never a half-written output."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; an output is an ordinary file
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
