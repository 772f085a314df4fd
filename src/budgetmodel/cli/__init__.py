"""The `budgetmodel` command. Each command group lives in its own module with a `register(app)`.

A command's module is imported only when that command runs: `budgetmodel refund …` does not load
the memo templates, the optimiser or the unit-cost data. The list in `budgetmodel --help` is read
from the modules' source (command names and docstrings, via :mod:`ast`) without importing them.
To add a command module, add its name to :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import ast
import importlib
import os
from pathlib import Path

import typer
from typer.core import TyperCommand, TyperGroup

from budgetmodel.cli import params as _params
from budgetmodel.cli.danish import install as _danish

_danish()  # typer's own words (Usage, Options, …) in Danish
_params.install()  # plain option values without pydantic

# in the order `--help` lists them
COMMAND_MODULES: tuple[str, ...] = (
    "rates_cmd",
    "refund_cmd",
    "benchmark_cmd",
    "optimise_cmd",
    "scenario_cmd",
    "businesscase_cmd",
    "forecast_cmd",
    "beskaeftigelsestilskud_cmd",
    "methods_cmd",
    "input_cmd",
    "konverter_cmd",
)


def _const(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _commands_in(module: str) -> list[tuple[bool, str, str]]:
    """(is a group, name, help) of every command a module registers, read from its source in source order:
    ``@app.command("x")`` on a function, ``app.command("x")(fn)``, ``app.add_typer(sub, name="x")``."""
    tree = ast.parse((Path(__file__).parent / f"{module}.py").read_text(encoding="utf-8"))
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    typers = {  # sub = typer.Typer(help="…")
        t.id: _const(next((k.value for k in n.value.keywords if k.arg == "help"), None))
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and getattr(n.value.func, "attr", None) == "Typer"
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    found: list[tuple[int, str, str]] = []
    for fn in functions.values():
        for dec in fn.decorator_list:
            if isinstance(dec, ast.Call) and getattr(dec.func, "attr", None) == "command" and getattr(dec.func.value, "id", None) == "app":
                name = _const(dec.args[0]) if dec.args else fn.name.replace("_", "-")
                text = _const(next((k.value for k in dec.keywords if k.arg == "help"), None)) or ast.get_docstring(fn) or ""
                found.append((dec.lineno, name or fn.name, text))
    for n in ast.walk(tree):
        if not isinstance(n, ast.Call):
            continue
        f = n.func
        if isinstance(f, ast.Call) and getattr(f.func, "attr", None) == "command" and getattr(f.func.value, "id", None) == "app" and n.args:
            target = functions.get(getattr(n.args[0], "id", ""))
            name = _const(f.args[0]) if f.args else None
            text = _const(next((k.value for k in f.keywords if k.arg == "help"), None)) or (ast.get_docstring(target) if target else "") or ""
            found.append((n.lineno, name or getattr(n.args[0], "id", "?"), text))
        elif getattr(f, "attr", None) == "add_typer" and getattr(f.value, "id", None) == "app" and n.args:
            name = _const(next((k.value for k in n.keywords if k.arg == "name"), None))
            text = _const(next((k.value for k in n.keywords if k.arg == "help"), None)) or typers.get(getattr(n.args[0], "id", ""), "") or ""
            found.append((n.lineno + 10**9, name or "?", text))  # groups after the commands, as typer lists them
    return [(line > 10**9, name, text) for line, name, text in sorted(found)]


_INDEX: dict[str, str] | None = None  # command name → module
_HELP: dict[str, str] = {}


_INDEX_CACHE = Path(__file__).parent / "__pycache__" / "commands.json"


def _listed() -> list[list]:
    """[group, name, help, module] of every command, read from the modules' source; kept in
    __pycache__/commands.json beside the modules' bytecode, valid while their size and mtime are
    (parsing eleven modules costs ~0,15 s at every start)."""
    import json

    stamp = []
    for module in COMMAND_MODULES:
        st = (Path(__file__).parent / f"{module}.py").stat()
        stamp.append([module, st.st_size, st.st_mtime_ns])
    try:
        cached = json.loads(_INDEX_CACHE.read_text(encoding="utf-8"))
        if cached["stamp"] == stamp:
            return cached["listed"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    listed = [[group, name, text, module] for module in COMMAND_MODULES for group, name, text in _commands_in(module)]
    try:
        _INDEX_CACHE.parent.mkdir(exist_ok=True)
        tmp = _INDEX_CACHE.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"stamp": stamp, "listed": listed}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, _INDEX_CACHE)
    except OSError:  # a read-only install: parse every time
        pass
    return listed


def _index() -> dict[str, str]:
    global _INDEX
    if _INDEX is None:
        _INDEX = {}
        for _, name, text, module in sorted(_listed(), key=lambda x: x[0]):  # stable: commands, then groups
            _INDEX.setdefault(name, module)
            _HELP.setdefault(name, text)
    return _INDEX


_LOADED: dict[str, object] = {}  # command name → its click command


def _load(module: str) -> None:
    """Import a command module and build its click commands (once per process)."""
    sub = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    importlib.import_module(f"budgetmodel.cli.{module}").register(sub)
    group = typer.main.get_group(sub)
    for name, cmd in group.commands.items():
        _LOADED.setdefault(name, cmd)
    keep_imported()


def keep_imported() -> None:
    """Leave what is imported so far out of the cyclic garbage collector's passes (``gc.freeze``):
    modules, classes and pydantic schemas live as long as the process, and each collection of the
    oldest generation would walk them again (~0,2 s of a cold PDF memo). Reference counting still
    frees them; :func:`_release_native_threads` unfreezes before the final collection."""
    import gc

    gc.freeze()


class LazyGroup(TyperGroup):
    """Commands listed from source, imported when invoked."""

    _listing = False

    def list_commands(self, ctx) -> list[str]:
        return [*_index(), *(n for n in super().list_commands(ctx) if n not in _index())]

    def get_command(self, ctx, cmd_name: str):
        own = super().get_command(ctx, cmd_name)
        if own is not None:
            return own
        module = _index().get(cmd_name)
        if module is None:
            return None
        if self._listing and cmd_name not in _LOADED:  # --help: name and text, no import
            return TyperCommand(cmd_name, help=_HELP.get(cmd_name, ""), callback=None)
        if cmd_name not in _LOADED:
            _load(module)
        return _LOADED.get(cmd_name)

    def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]
        from budgetmodel import cmdline

        cmdline.note(list(args))  # folders a scenario may read; '--out mappe/' (Path() drops the slash)
        return super().parse_args(ctx, args)

    def format_help(self, ctx, formatter) -> None:
        self._listing = True
        try:
            return super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="budgetmodel",
    help="Budget- og reformkonsekvensmodel for jobcentre: refusion, driftsloft, mentorramme, "
    "budgetgaranti, enhedsomkostninger, optimering og business case-notater.",
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Vis modelversionen og stop."),
) -> None:
    if version:
        from budgetmodel import __version__

        typer.echo(f"budgetmodel {__version__}")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def main() -> None:
    import os

    # budgetmodel uses no pydantic plugins: without this, building the first model scans every
    # installed package's entry points for them (tens of ms at every start)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    finally:
        _release_native_threads()


def _release_native_threads() -> None:
    """Stop the C++ worker threads of the libraries a command used while the interpreter is whole.

    A native pool torn down at process exit with a worker still alive ends the process with
    "terminate called without an active exception" (SIGABRT) after the work is done: Arrow's
    readers left to the final garbage collection (apache/arrow#34314), HiGHS's task scheduler
    (reset by ``Highs.resetGlobalScheduler``, ERGO-Code/HiGHS#2291)."""
    import gc
    import sys

    gc.unfreeze()
    gc.collect()  # Arrow readers and futures held by reference cycles are closed now, not at exit
    highspy = sys.modules.get("highspy")
    if highspy is not None:
        try:
            highspy.Highs.resetGlobalScheduler(True)
        except (AttributeError, RuntimeError):  # pragma: no cover - an older highspy
            pass
