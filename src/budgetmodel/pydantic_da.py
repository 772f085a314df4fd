"""Pydantic's validation errors in Danish.

pydantic writes its messages in English from a fixed template per error ``type`` ("Input should be
a valid number, unable to parse string as a number"); a user of budgetmodel reads Danish. Here each
type the scenario, rate, profile and panel loaders (and typer's option parsing) can meet has a
Danish text built from the error's ``ctx`` (the limit, the allowed values …). A type not listed
keeps pydantic's text; our own validators' messages (``value_error``: already Danish) are passed
on without pydantic's "Value error, " prefix. Light: no pydantic import.
"""

from __future__ import annotations

from typing import Any

from budgetmodel.safefile import short


def _n(x: Any) -> str:
    """A limit as a Danish number (decimal comma)."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(x).replace(".", ",") if isinstance(x, (int, float)) else str(x)


def _expected(ctx: dict) -> str:
    exp = str(ctx.get("expected", ""))
    return exp.replace(" or ", " eller ")


# type → Danish text (str.format over the error's ctx, plus {expected} / {n} helpers below)
TEXTS: dict[str, str] = {
    "missing": "feltet mangler (det skal udfyldes)",
    "extra_forbidden": "ukendt felt (ikke tilladt her)",
    "int_type": "forventede et heltal",
    "int_parsing": "forventede et heltal (kunne ikke læse teksten som et heltal)",
    "int_parsing_size": "heltallet er for stort",
    "int_from_float": "forventede et heltal, ikke et tal med decimaler",
    "float_type": "forventede et tal",
    "float_parsing": "forventede et tal (kunne ikke læse teksten som et tal)",
    "finite_number": "forventede et endeligt tal (ikke NaN eller uendelig)",
    "decimal_type": "forventede et tal",
    "decimal_parsing": "forventede et tal (kunne ikke læse teksten som et tal)",
    "number_type": "forventede et tal",
    "bool_type": "forventede true eller false",
    "bool_parsing": "forventede true eller false (ja/nej: true/false)",
    "string_type": "forventede en tekst",
    "string_too_short": "teksten er for kort (mindst {min_length} tegn)",
    "string_too_long": "teksten er for lang (højst {max_length} tegn)",
    "string_pattern_mismatch": "teksten har ikke den forventede form ({pattern})",
    "date_type": "forventede en dato ÅÅÅÅ-MM-DD uden anførselstegn (fx 2027-01-01)",
    "date_parsing": "forventede en dato ÅÅÅÅ-MM-DD uden anførselstegn (fx 2027-01-01)",
    "date_from_datetime_parsing": "forventede en dato ÅÅÅÅ-MM-DD uden anførselstegn (fx 2027-01-01)",
    "date_from_datetime_inexact": "forventede en dato uden klokkeslæt (ÅÅÅÅ-MM-DD)",
    "datetime_type": "forventede et tidspunkt ÅÅÅÅ-MM-DDTTT:MM",
    "datetime_parsing": "forventede et tidspunkt ÅÅÅÅ-MM-DDTTT:MM",
    "greater_than": "skal være større end {gt}",
    "greater_than_equal": "skal være mindst {ge}",
    "less_than": "skal være mindre end {lt}",
    "less_than_equal": "skal være højst {le}",
    "multiple_of": "skal være et multiplum af {multiple_of}",
    "too_short": "for få elementer (mindst {min_length})",
    "too_long": "for mange elementer (højst {max_length})",
    "list_type": "forventede en liste (- element pr. linje eller [a, b])",
    "tuple_type": "forventede en liste",
    "set_type": "forventede en liste",
    "dict_type": "forventede en sektion med felter (nøgle: værdi)",
    "model_type": "forventede en sektion med felter (nøgle: værdi)",
    "model_attributes_type": "forventede en sektion med felter (nøgle: værdi)",
    "literal_error": "forventede en af: {expected}",
    "enum": "forventede en af: {expected}",
    "union_tag_invalid": "ukendt slags {tag!r} (forventede en af: {expected_tags})",
    "union_tag_not_found": "mangler feltet {discriminator}, som afgør hvilken slags sektionen er",
    "is_instance_of": "forventede en værdi af typen {class}",
    "path_type": "forventede en sti til en fil eller mappe",
    "json_invalid": "ugyldig JSON",
    "none_required": "forventede ingen værdi (null)",
    "frozen_instance": "feltet kan ikke ændres",
    "assertion_error": "{error}",
}


def danish(err: dict[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as a Danish sentence, without the
    value (the caller adds it): the type's text, or our own validator's message."""
    kind = str(err.get("type", ""))
    ctx = dict(err.get("ctx") or {})
    if kind == "value_error":
        msg = str(err.get("msg", ""))
        return msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg
    template = TEXTS.get(kind)
    if template is None:
        return str(err.get("msg", "ugyldig værdi"))
    if "expected" in ctx:
        ctx["expected"] = _expected(ctx)
    for key in ("gt", "ge", "lt", "le", "multiple_of"):
        if key in ctx:
            ctx[key] = _n(ctx[key])
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split(" (")[0].split(" {")[0]


def danish_with_input(err: dict[str, Any]) -> str:
    """:func:`danish` plus the value that was given ("; fik 'abc'"), as the loaders print it."""
    text = danish(err)
    kind = str(err.get("type", ""))
    value = err.get("input")
    if kind in ("missing", "extra_forbidden") or value is None or isinstance(value, (dict, list)):
        return text
    return f"{text}; fik {short(value)}"


def first_danish(exc: Any) -> str:
    """The first error of a ValidationError in Danish (typer's option values)."""
    errors = exc.errors()
    return danish_with_input(errors[0]) if errors else str(exc)
