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
    (r"^Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", r"Uventede ekstra argumenter: (\1)"),
    (r"^Invalid value for (.*?): (.*)$", r"Ugyldig værdi for \1: \2"),
    (r"^Invalid value: (.*)$", r"Ugyldig værdi: \1"),
    (r"^Option (.*) does not take a value\.$", r"Tilvalget \1 tager ingen værdi."),
    (r"^Option (.*) requires (\d+) arguments\.$", r"Tilvalget \1 skal have \2 værdier."),
    (r"^Option (.*) requires an argument\.$", r"Tilvalget \1 skal have en værdi."),
    (r"^(.*) is not a valid integer\.?$", r"\1 er ikke et heltal."),
    (r"^(.*) is not a valid float\.?$", r"\1 er ikke et tal."),
    (r"\(Possible options: (.*)\)", r"(mulige tilvalg: \1)"),
    (r"\. Did you mean (.*)\?$", r". Mente du \1?"),
    (r"^(?:File|Directory|Path|file|dir|path) (.*) does not exist\.$", r"\1 findes ikke."),
    (r"^(?:File|Directory|Path|file|dir|path) (.*) is a file\.$", r"\1 er en fil (forventede en mappe)."),
    (r"^(?:File|Directory|Path|file|dir|path) (.*) is a directory\.$", r"\1 er en mappe (forventede en fil)."),
    (r"^(?:File|Directory|Path|file|dir|path) (.*) is not readable\.$", r"\1 kan ikke læses."),
    (r"^(?:File|Directory|Path|file|dir|path) (.*) is not writable\.$", r"\1 kan ikke skrives."),
    (r"^(.*) is not in the range (.*)\.$", r"\1 ligger ikke i intervallet \2."),
    (r"^(.*) is not one of (.*)\.$", r"\1 er ikke en af \2."),
)

# the usage line's placeholders and the type shown beside each option
USAGE: dict[str, str] = {"[OPTIONS]": "[TILVALG]", "COMMAND [ARGS]...": "KOMMANDO [ARGUMENTER]..."}
TYPES: dict[str, str] = {
    "bool": "ja/nej",
    "int": "heltal",
    "float": "tal",
    "str": "tekst",
    "text": "tekst",
    "path": "sti",
    "file": "fil",
    "dir": "mappe",
    "datetime": "tidspunkt",
    "Path": "sti",
}

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
    if not getattr(click_core.Command.collect_usage_pieces, "_danish", False):
        pieces = click_core.Command.collect_usage_pieces

        def collect_usage_pieces_da(self: Any, ctx: Any) -> list[str]:
            return [USAGE.get(p, p) for p in pieces(self, ctx)]

        collect_usage_pieces_da._danish = True  # type: ignore[attr-defined]
        click_core.Command.collect_usage_pieces = collect_usage_pieces_da
    if not getattr(typer.core.TyperGroup.collect_usage_pieces, "_danish", False):
        group_pieces = typer.core.TyperGroup.collect_usage_pieces

        def group_usage_pieces_da(self: Any, ctx: Any) -> list[str]:
            return [USAGE.get(p, p) for p in group_pieces(self, ctx)]

        group_usage_pieces_da._danish = True  # type: ignore[attr-defined]
        typer.core.TyperGroup.collect_usage_pieces = group_usage_pieces_da
    parameter = typer.core._TyperParameter
    if not getattr(parameter.display_type, "_danish", False):
        display_type = parameter.display_type

        def display_type_da(self: Any, ctx: Any) -> str:
            label = display_type(self, ctx)
            if not (label.startswith("<") and label.endswith(">")):
                return label
            inner = label[1:-1]
            many = inner.startswith("list[") and inner.endswith("]")
            inner = inner[5:-1] if many else inner
            word = TYPES.get(inner, inner)
            return f"<{word} …>" if many else f"<{word}>"

        display_type_da._danish = True  # type: ignore[attr-defined]
        parameter.display_type = display_type_da
    # typer converts option values with pydantic and shows its first error: in Danish
    import typer._coercion
    import typer._param_types

    from budgetmodel.pydantic_da import first_danish

    typer._coercion.get_error_msg = first_danish  # type: ignore[attr-defined]
    typer._param_types.get_error_msg = first_danish  # type: ignore[attr-defined]
    from typer._click import exceptions

    shown = (exceptions.UsageError, exceptions.BadParameter, exceptions.MissingParameter, exceptions.NoSuchOption, exceptions.BadOptionUsage, exceptions.BadArgumentUsage)
    for cls in {base for c in shown for base in c.__mro__ if "format_message" in vars(base)}:  # where each one's text is made
        if not getattr(vars(cls)["format_message"], "_danish", False):
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
