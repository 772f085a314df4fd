"""What every command shares: one clear error for bad input, JSON output, atomic writes."""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import typer

from budgetmodel.errors import InputError
from budgetmodel.outfile import check_target, danish_reason, write_atomic

__all__ = ["dump_json", "echo_json", "reports_input_errors", "write_atomic"]

F = TypeVar("F", bound=Callable[..., Any])

# the options through which a command writes a file
OUTPUT_OPTIONS = ("out", "save_resolved", "save_lp")


def reports_input_errors(fn: F) -> F:
    """Turn an InputError into its full message on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            for name in OUTPUT_OPTIONS:  # refuse a FIFO, device or folder before the work, not after
                if isinstance(kwargs.get(name), Path):
                    check_target(kwargs[name])
            return fn(*args, **kwargs)
        except InputError as exc:
            typer.echo(exc.render(), err=True)
            raise typer.Exit(1) from None
        except OSError as exc:  # a path that cannot be read or written: one line, no traceback
            where = exc.filename if exc.filename is not None else ""
            typer.echo(f"1 fejl:\n  {where}: {danish_reason(exc)} (stien kan ikke læses eller skrives)", err=True)
            raise typer.Exit(1) from None
        except MemoryError:
            typer.echo(out_of_memory_message(kwargs), err=True)
            raise typer.Exit(1) from None
        except RecursionError:
            typer.echo("1 fejl:\n  inputtet er for dybt indlejret til at blive læst (rekursionsgrænsen er nået)", err=True)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # a check the input missed: still one message, never a traceback
            if os.environ.get("BUDGETMODEL_DEBUG") or type(exc).__module__.split(".")[0] in ("typer", "click"):
                raise  # usage errors are the CLI library's to print
            text = str(exc).splitlines()[0][:300] if str(exc) else ""
            typer.echo(
                f"1 fejl:\n  intern fejl ({type(exc).__name__}: {text}); inputtet nåede forbi kontrollen. "
                "Kør igen med BUDGETMODEL_DEBUG=1 for detaljer, og meld fejlen med inputfilen.",
                err=True,
            )
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def dump_json(obj: Any) -> str:
    """Stable JSON: sorted keys off (order is meaningful), UTF-8, no NaN allowed."""
    return json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False, default=str)


def echo_json(obj: Any) -> None:
    sys.stdout.write(dump_json(obj) + "\n")


# The option that reads a panel in parts instead of all at once (named in the out-of-memory message).
OUT_OF_CORE_HINT = "kør igen med --partitioned (panelet regnes i dele af personer, uden for hukommelsen; --memory sætter arbejdshukommelsen) eller på en maskine med mere hukommelse"


def out_of_memory_message(kwargs: dict[str, Any]) -> str:
    """The message for a run that ran out of memory: which input, how big, what to do."""
    lines = ["1 fejl:"]
    named = False
    for name in ("panel", "scenario", "profile"):
        p = kwargs.get(name)
        if isinstance(p, Path):
            try:
                size = p.stat().st_size
            except OSError:
                continue
            mb = f"{size / 1e6:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
            lines.append(f"  {p}: hukommelsen slap op under kørslen; filen fylder {mb} MB")
            named = True
    if not named:
        lines.append("  hukommelsen slap op under kørslen")
    lines.append(f"  {OUT_OF_CORE_HINT}")
    return "\n".join(lines)
