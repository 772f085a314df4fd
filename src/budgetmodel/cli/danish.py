"""Typer's and click's own words in Danish ("Usage", "Options", "Show this message and exit" …).

Typer marks its fixed strings with ``gettext``: ``typer.core`` looks ``_`` up when it formats help,
and ``typer.rich_utils`` (imported only when help or an error is drawn) binds ``gettext.gettext``
when it is imported, so :func:`install` swaps in a translating ``gettext`` before that happens. The
usage prefix and the help option's text are plain literals in the vendored click: patched at
their one use. Strings without a Danish entry pass unchanged.
"""

from __future__ import annotations

import gettext as _gettext
from typing import Any

DANISH: dict[str, str] = {
    "Usage: ": "Brug: ",
    "Arguments": "Argumenter",
    "Options": "Tilvalg",
    "Commands": "Kommandoer",
    "Error": "Fejl",
    "Aborted.": "Afbrudt.",
    "Aborted!": "Afbrudt!",
    "(deprecated) ": "(forældet) ",
    "[default: {}]": "[standard: {}]",
    "default: {default}": "standard: {default}",
    "[env var: {}]": "[miljøvariabel: {}]",
    "env var: {var}": "miljøvariabel: {var}",
    "[required]": "[krævet]",
    "required": "krævet",
    "(dynamic)": "(dynamisk)",
    "Missing command.": "Kommando mangler.",
    "No such command {name!r}.": "Ingen kommando ved navn {name!r}.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Prøv [blue]'{command_path} {help_option}'[/] for hjælp.",
    "Show this message and exit.": "Vis denne hjælp og stop.",
}

# click's error messages are f-strings: translated by pattern when they are shown
ERRORS: tuple[tuple[str, str], ...] = (
    (r"^Missing argument (.*)\.$", r"Argumentet \1 mangler."),
    (r"^Missing option (.*)\.$", r"Tilvalget \1 mangler."),
    (r"^Missing parameter: (.*)$", r"Parameteren \1 mangler."),
    (r"^No such option: (.*)$", r"Ukendt tilvalg: \1"),
    (r"^Got unexpected extra arguments? \((.*)\)$", r"Uventede ekstra argumenter: (\1)"),
    (r"^Invalid value for (.*?): (.*)$", r"Ugyldig værdi for \1: \2"),
    (r"^Option (.*) requires an argument\.$", r"Tilvalget \1 skal have en værdi."),
    (r"^(.*) is not a valid integer\.?$", r"\1 er ikke et heltal."),
    (r"^(.*) is not a valid float\.?$", r"\1 er ikke et tal."),
)

_original = _gettext.gettext


def danish(message: str) -> str:
    return DANISH.get(message, _original(message))


def install() -> None:
    """Make typer and click speak Danish in help and usage (idempotent, no extra imports)."""
    import typer.core
    from typer._click import core as click_core
    from typer._click import formatting

    _gettext.gettext = danish  # for typer.rich_utils, imported later
    typer.core._ = danish  # type: ignore[attr-defined]
    if not getattr(formatting.HelpFormatter.write_usage, "_danish", False):
        write_usage = formatting.HelpFormatter.write_usage

        def write_usage_da(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(self, prog, args, DANISH["Usage: "] if prefix is None else prefix)

        write_usage_da._danish = True  # type: ignore[attr-defined]
        formatting.HelpFormatter.write_usage = write_usage_da
    if not getattr(click_core.Command.get_help_option, "_danish", False):
        get_help_option = click_core.Command.get_help_option

        def get_help_option_da(self: Any, ctx: Any) -> Any:
            opt = get_help_option(self, ctx)
            if opt is not None and opt.help == "Show this message and exit.":
                opt.help = DANISH["Show this message and exit."]
            return opt

        get_help_option_da._danish = True  # type: ignore[attr-defined]
        click_core.Command.get_help_option = get_help_option_da
    from typer._click import exceptions

    for cls in (exceptions.UsageError, exceptions.BadParameter, exceptions.MissingParameter, exceptions.NoSuchOption, exceptions.BadOptionUsage):
        if "format_message" in vars(cls) and not getattr(vars(cls)["format_message"], "_danish", False):
            cls.format_message = _translated(vars(cls)["format_message"])  # type: ignore[method-assign]


def _translated(fn: Any) -> Any:
    import re

    def format_message(self: Any) -> str:
        text = fn(self)
        for pattern, repl in ERRORS:
            text = re.sub(pattern, repl, text)
        return text

    format_message._danish = True  # type: ignore[attr-defined]
    return format_message
