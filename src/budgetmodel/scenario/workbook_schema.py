"""The scenario workbook's layout, read from the scenario schema (``schema.py``), so the workbook
and the YAML format cannot drift apart.

A scenario in a workbook is one row per value: the *field* (its dotted path below the sheet's
root, e.g. ``helaarspersoner`` or ``activation.virksomhedspraktik``), the *value*, and — for a
number with a source (``Sourced``, ``Series``, ``LawOverride``) — its *source*, *status* and
*note* in their own columns. Which sheet holds a path is fixed by :data:`SHEETS` (the longest
root that is a prefix of the path); every path of the schema falls on a sheet, because every
top-level section has one. :func:`node_at` tells the type the schema expects at a path, which
the reader uses to turn cells into values and to name the cell of a value of the wrong type.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union

from pydantic import BaseModel

from budgetmodel import fmt
from budgetmodel.scenario import schema


@dataclass(frozen=True)
class Sheet:
    name: str  # the sheet's Danish name (at most 31 characters, none of \\ / ? * [ ] :)
    root: tuple[str, ...]  # the scenario path the sheet's fields are below
    key: str | None  # header of the key column for a sheet of named items (groups, initiatives)
    title: str  # the heading written in A1


INSTRUCTIONS = "Vejledning"
FIELD_LIST = "Felter"
SHEETS: tuple[Sheet, ...] = (
    Sheet("Scenarie", (), None, "Scenariet: id, titel, budgetår og de filer, det bygger på (extends)"),
    Sheet("Kommune", ("municipality",), None, "Kommunen: navn, kommunekode, bloktilskudsandel, sagsstammens kilde, driftsloft"),
    Sheet("Sagsstamme", ("municipality", "caseload", "groups"), "Gruppe", "Sagsstammen: én gruppe pr. målgruppe, ydelse og alder (helårspersoner, aktivering, varighed)"),
    Sheet("Personale", ("municipality", "staff"), None, "Personalet: enhedsomkostningsprofilen (årsværk og årspersoner pr. målgruppe) eller en profilfil"),
    Sheet("Priser", ("municipality", "prices"), None, "Priser: årsløn pr. årsværk og pris pr. helårstilbud efter alder"),
    Sheet("Lov", ("law",), None, "Loven: gældende lov uge for uge, eller as_if (én dato), rates_at og ændringer lagt over loven (overrides)"),
    Sheet("Budget", ("budget",), None, "Budgettet: finansieringsinput til et reformnotat (budgetgaranti, mentor, driftsloft, beskæftigelsestilskud, faste linjer)"),
    Sheet("Initiativer", ("initiatives",), "Initiativ", "Initiativer: personale, deltagere, flytning mellem aktiveringstyper, tilbud købt, start og varighed"),
    Sheet("Antagelser", ("assumptions",), None, "Antagelser (aldrig lov): effekt, vækst i sagsstammen og andre antagelser, som følsomheden varierer"),
    Sheet("Følsomhed", ("sensitivity",), None, "Følsomhed: tornado og seedet Monte Carlo over navngivne antagelser"),
    Sheet("Notat", ("memo",), None, "Notatets tekst: skabelon, overskrift, resumé og baggrund"),
    Sheet("Metoder", ("methods",), None, "Publicerede metoder på kommunens egne tal (BDO, Quartz+Co, passivandel, benchmark)"),
)
IGNORED_SHEETS = (INSTRUCTIONS, FIELD_LIST)  # written for the reader, never read
OWN_SHEET_PREFIX = "_"  # a sheet named '_…' is the user's own (calculations, notes) and is not read

COLUMNS = ("Felt", "Værdi", "Kilde", "Status", "Note", "Forklaring")
META = {"Kilde": "source", "Status": "status", "Note": "note"}  # columns → fields of a sourced value

# keys a scenario file may hold that are read before the schema sees the data
EXTRA_PATHS: dict[tuple[str, ...], Any] = {
    ("extends",): list[str],  # compose.py: files merged in before this one
    ("municipality", "staff", "profile"): str,  # load.py: a staff profile file
}
# paths holding a file path relative to the scenario file (rebased when a file is converted into
# another folder); '*' is any list index
PATH_FIELDS: tuple[tuple[str, ...], ...] = (
    ("extends", "*"),
    ("municipality", "staff", "profile"),
    ("municipality", "caseload", "forecast", "panel"),
    ("municipality", "caseload", "forecast", "assumptions"),
    ("methods", "passivity", "panel"),
)


def sheet_for(path: tuple) -> Sheet:
    """The sheet holding a path: the one with the longest root that is a prefix of it."""
    best = SHEETS[0]
    for sh in SHEETS:
        if tuple(path[: len(sh.root)]) == sh.root and len(sh.root) > len(best.root):
            best = sh
    return best


# ---------------------------------------------------------------------------------- types


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def branches(tp: Any) -> list[Any]:
    """The alternatives of a type (a union's members, Annotated and None removed)."""
    tp = _unwrap(tp)
    if typing.get_origin(tp) in (Union, types.UnionType):
        out: list[Any] = []
        for a in typing.get_args(tp):
            out.extend(branches(a))
        return out
    return [] if tp is type(None) else [tp]


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def is_sourced(tp: Any) -> bool:
    """A value with its source on one row: a model with a status, or with a value and a source."""
    if not is_model(tp):
        return False
    f = tp.model_fields
    return "status" in f or ("value" in f and "source" in f)


def container(tp: Any) -> str | None:
    """'model', 'dict' or 'list' for a container type, else None (a scalar)."""
    if is_model(tp):
        return "model"
    origin = typing.get_origin(tp)
    if origin is dict:
        return "dict"
    if origin is list:
        return "list"
    return None


def scalar_kinds(tp: Any) -> tuple[set[str], tuple[Any, ...]]:
    """What a scalar type accepts: kinds among number, int, str, date, bool, any; and the literal
    choices if it is a Literal or an enum."""
    if tp is Any:
        return {"any"}, ()
    if typing.get_origin(tp) is Literal:
        choices = typing.get_args(tp)
        return {"int" if isinstance(c, int) and not isinstance(c, bool) else "str" for c in choices}, choices
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"str"}, tuple(m.value for m in tp)
    if tp is bool:
        return {"bool"}, ()
    if tp is int:
        return {"int"}, ()
    if tp is float:
        return {"number"}, ()
    if tp is str:
        return {"str"}, ()
    if tp is dt.date:
        return {"date"}, ()
    return {"any"}, ()


def key_type(tp: Any) -> Any:
    """The key type of a dict type."""
    return _unwrap(typing.get_args(tp)[0]) if typing.get_args(tp) else str


class UnknownField(KeyError):
    """A path the schema has no field for; args[0] says which part and what is allowed there."""


def _children(tp: Any) -> list[str]:
    return list(tp.model_fields) if is_model(tp) else []


def node_at(path: tuple) -> list[Any]:
    """The types the schema allows at ``path`` (a union gives several). Dict keys and list indices
    in ``path`` may be any key; raises :class:`UnknownField` for a field the schema lacks."""
    return list(_node_at(tuple(path)))


@functools.lru_cache(maxsize=4096)
def _node_at(path: tuple) -> tuple[Any, ...]:
    if path in EXTRA_PATHS:
        return tuple(branches(EXTRA_PATHS[path]))
    if path[:1] == ("extends",) and len(path) == 2:
        return (str,)
    current: list[Any] = [schema.Scenario]
    for i, part in enumerate(path):
        nxt: list[Any] = []
        for tp in current:
            kind = container(tp)
            if kind == "model" and isinstance(part, str) and part in tp.model_fields:
                nxt.extend(branches(tp.model_fields[part].annotation))
            elif kind == "dict":
                nxt.extend(branches(typing.get_args(tp)[1]))
            elif kind == "list" and isinstance(part, int):
                nxt.extend(branches(typing.get_args(tp)[0]))
        if not nxt:
            where = ".".join(map(str, path[:i])) or "scenariets øverste niveau"
            allowed = sorted({f for tp in current for f in _children(tp)})
            lists = any(container(tp) == "list" for tp in current)
            if lists and not isinstance(part, int):
                raise UnknownField(f"'{part}' under {where}: forventede et løbenummer (0, 1, 2, …)")
            hint = f" (forventede et af: {', '.join(allowed)})" if allowed else " (feltet har ingen underfelter)"
            raise UnknownField(f"ukendt felt '{part}' under {where}{hint}")
        current = list(dict.fromkeys(nxt))
    return tuple(current)


def convert_key(path: tuple, part: str) -> str | int:
    """A path part as the key the schema expects at ``path`` (a year or list index is a number)."""
    try:
        types_ = node_at(path)
    except UnknownField:
        return part
    for tp in types_:
        kind = container(tp)
        if kind == "list" or (kind == "dict" and key_type(tp) is int):
            if part.lstrip("-").isdigit():
                return int(part)
    return part


@functools.lru_cache(maxsize=None)
def _field_comments(model: type) -> dict[str, str]:
    from budgetmodel.scenario.reference import meanings  # the Danish meanings the reference prints

    return meanings(model)


@functools.lru_cache(maxsize=4096)
def field_doc(path: tuple) -> str:
    """The field's Danish meaning and unit (the scenario reference's), and the allowed values of a
    code field."""
    if not path or isinstance(path[-1], int):
        return ""
    try:
        parent = node_at(path[:-1])
        here = node_at(path)
    except UnknownField:
        return ""
    text, info = "", None
    for tp in parent:
        if is_model(tp) and path[-1] in tp.model_fields:
            info = tp.model_fields[path[-1]]
            text = info.description or _field_comments(tp).get(path[-1], "")
            break
    if info is None:  # a key of a mapping: the mapping's values
        for tp in parent:
            if container(tp) == "dict":
                info_ann = typing.get_args(tp)[1]
                break
        else:
            info_ann = None
    kind = _type_text(here, info.annotation if info is not None else info_ann, list(info.metadata) if info is not None else [])
    if kind:
        text = f"{kind}. {text}" if text else kind
    choices: list[Any] = []
    for tp in here:
        if is_sourced(tp) and "value" in tp.model_fields:
            continue
        if container(tp) is None:
            choices.extend(scalar_kinds(tp)[1])
    if choices and len(choices) <= 40:
        text = (text + "; " if text else "") + "én af: " + ", ".join(map(str, dict.fromkeys(choices)))
    return text


_KIND_DA = {"number": "tal", "int": "heltal", "str": "tekst", "date": "dato (ÅÅÅÅ-MM-DD)", "bool": "sand/falsk (ja/nej)"}


def _bounds(annotation: Any, metadata: list[Any]) -> str:
    """' ≥ 0', ' 0-1', ' 1-240' from the limits on a field (Field(ge=…) and annotated_types)."""
    found: dict[str, Any] = {}

    def collect(items: Any) -> None:
        for m in items:
            for attr in ("ge", "gt", "le", "lt"):
                v = getattr(m, attr, None)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    found.setdefault(attr, v)
            collect(getattr(m, "metadata", []) or [])

    collect(metadata)

    def walk(tp: Any) -> None:
        if typing.get_origin(tp) is typing.Annotated:
            collect(tp.__metadata__)
            walk(typing.get_args(tp)[0])
        elif typing.get_origin(tp) in (Union, types.UnionType):
            for a in typing.get_args(tp):
                walk(a)

    walk(annotation)
    lo = found.get("ge", found.get("gt"))
    hi = found.get("le", found.get("lt"))
    if lo is not None and hi is not None:
        return f" {fmt.plain(lo)}-{fmt.plain(hi)}"
    if lo is not None:
        return f" {'≥' if 'ge' in found else '>'} {fmt.plain(lo)}"
    if hi is not None:
        return f" {'≤' if 'le' in found else '<'} {fmt.plain(hi)}"
    return ""


def _type_text(tps: list[Any], annotation: Any, metadata: list[Any]) -> str:
    """What a field holds, in Danish: 'andel 0-1 med kilde og status', 'heltal 1-240', 'dato …'."""
    parts: list[str] = []
    for tp in tps:
        if is_sourced(tp):
            if "value" in tp.model_fields:
                vi = tp.model_fields["value"]
                b = _bounds(vi.annotation, list(vi.metadata))
                parts.append(("andel 0-1 (0,15 = 15 pct.)" if b == " 0-1" else "tal" + b) + " med kilde og status (Værdi, Kilde, Status, Note)")
            elif "by_year" in tp.model_fields:
                parts.append("tal pr. år (rækkerne by_year.ÅÅÅÅ, label og unit) med kilde og status")
            else:
                parts.append("med kilde og status")
        elif container(tp) is None:
            kinds, choices = scalar_kinds(tp)
            if choices or "any" in kinds:
                continue
            parts.extend(_KIND_DA[k] + (_bounds(annotation, metadata) if k in ("int", "number") else "") for k in sorted(kinds))
        elif container(tp) == "list":
            parts.append("liste (én række pr. element: .0, .1, …)")
        elif container(tp) == "dict":
            parts.append("efter nøgle (én række pr. nøgle)")
        elif is_model(tp) and "rate" in tp.model_fields:
            parts.append("henvisning til en satstabel i rates/ (rækkerne .rate, .where.NØGLE, .at, .factor)")
    return " eller ".join(dict.fromkeys(parts))


def all_fields() -> list[tuple[str, str, str, str]]:
    """Every field the schema allows, as (sheet, key column placeholder, field, explanation):
    dict keys are written ``<nøgle>`` (years ``<år>``) and list indices ``<n>``. The workbook's
    'Felter' sheet lists them; a test checks that each one reads back."""
    rows: list[tuple[str, str, str, str]] = []
    seen: set[tuple] = set()

    def visit(path: tuple, tps: list[Any], depth: int) -> None:
        if depth > 12:
            return
        sourced = [tp for tp in tps if is_sourced(tp)]
        containers = [tp for tp in tps if container(tp) is not None and not is_sourced(tp)]
        scalars = [tp for tp in tps if container(tp) is None]
        if path and (sourced or scalars) and path not in seen:
            seen.add(path)
            sh = sheet_for(_concrete(path))
            rel = path[len(sh.root):]
            key = ""
            if sh.key and rel:
                key, rel = str(rel[0]), rel[1:]
            doc = field_doc(_concrete(path))
            if sourced:
                cols = [c for c, f in (("Værdi", "value"), *META.items()) if any(f in tp.model_fields for tp in sourced)]
                doc = (doc + " " if doc else "") + f"(kolonnerne {', '.join(cols)})"
            rows.append((sh.name, key, ".".join(map(str, rel)), doc))
        for tp in [*sourced, *containers]:
            kind = container(tp)
            if kind == "model":
                for name, info in tp.model_fields.items():
                    if is_sourced(tp) and name in ("value", "source", "status", "note"):
                        continue
                    visit((*path, name), branches(info.annotation), depth + 1)
            elif kind == "dict":
                placeholder = "<år>" if key_type(tp) is int else "<nøgle>"
                visit((*path, placeholder), branches(typing.get_args(tp)[1]), depth + 1)
            elif kind == "list":
                visit((*path, "<n>"), branches(typing.get_args(tp)[0]), depth + 1)

    rows.append(("Scenarie", "", "extends.<n>", "filer, dette scenarie bygger på (stier relative til arbejdsbogens mappe)"))
    rows.append(("Personale", "", "profile", "en profilfil (YAML) i stedet for felterne nedenfor; felter ved siden af den overskriver profilens"))
    for name, info in schema.Scenario.model_fields.items():
        visit((name,), branches(info.annotation), 1)
    return rows


def _concrete(path: tuple) -> tuple:
    """A placeholder path as one the schema navigation accepts (``<n>`` → 0, ``<år>`` → 2000)."""
    return tuple(0 if p == "<n>" else 2000 if p == "<år>" else "x" if p == "<nøgle>" else p for p in path)
