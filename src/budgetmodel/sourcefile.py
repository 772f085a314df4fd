"""Load YAML with line numbers, reject duplicate keys, and turn pydantic errors into located problems.

Every input file of the tool (rates, scenarios, profiles, assumptions) goes through
:func:`load_yaml` and :func:`validate`, so all of them report problems the same way: file, line,
field, expectation. Reading is hardened against hostile or broken files:

- files are read through :mod:`budgetmodel.safefile` (only regular files, at most
  :data:`MAX_YAML_BYTES`, UTF-8 or UTF-16/32 with a BOM, links out of a folder refused);
- the document is built from libyaml's event stream (the C parser when PyYAML has it) without
  recursion: aliases (``*navn``, the "billion laughs" file), explicit tags, more than one
  document and nesting deeper than :data:`MAX_DEPTH` are refused; NaN and infinity are refused
  wherever they appear; every mapping key and sequence item keeps its line.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from budgetmodel.errors import InputError, Problem
from budgetmodel.safefile import (  # noqa: F401  (re-exported: the readers every loader uses)
    MAX_TEXT_BYTES,
    check_regular,
    decode_text,
    read_regular,
    regular_files,
    sha256_file,
    short,
    sniff_encoding,
)

M = TypeVar("M", bound=BaseModel)

Loc = tuple[str | int, ...]

MAX_YAML_BYTES = MAX_TEXT_BYTES  # a rate table or scenario is a few kB; 8 MB is far beyond any real one
MAX_DEPTH = 40  # nesting of mappings and sequences; real files use < 10
MAX_NODES = 500_000  # values in one document
MAX_ABS_INT = 10**15  # integers beyond ±10^15 (kroner or weeks) are typing errors, never data
MAX_ALIAS_PROBLEMS = 10  # aliases are refused; after this many the file is not read further

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)



@dataclass
class LocatedDocument:
    """A parsed YAML document plus the line (1-based) of every mapping key and sequence item."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    sha256: str = ""
    # problems found while reading (duplicate keys, impossible dates …) and where they are; the
    # value at such a location is kept as the raw text so schema checks can still run elsewhere
    problems: list[Problem] = field(default_factory=list)
    bad_locs: set[Loc] = field(default_factory=set)

    def line_of(self, loc: Loc) -> int | None:
        """The line of the deepest known node on ``loc`` (pydantic locations may go deeper)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


# ------------------------------------------------------------------------------------ YAML


_constructor = yaml.SafeLoader(" ")  # used only for its scalar constructors and resolver
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_BAD_KEY = object()  # the value after a refused key is read (for the syntax) and dropped


def _field(loc: Loc) -> str:
    return ".".join(map(str, loc))


def _scalar(node: yaml.Node, loc: Loc, problems: list[Problem], bad: set[Loc], file: str) -> Any:
    """Construct one scalar; a value YAML recognises but cannot build (2014-13-01) is a problem,
    and so is NaN, infinity or an integer beyond ±10^15."""
    line = node.start_mark.line + 1
    try:
        value = _constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        text = short(str(node.value))
        if node.tag == "tag:yaml.org,2002:timestamp":
            why = {"month must be in 1..12": "måneden skal være 1-12", "day is out of range for month": "dagen findes ikke i måneden"}.get(str(exc), str(exc))
            msg = f"{text} er ikke en gyldig dato ({why}); forventede en ISO-dato ÅÅÅÅ-MM-DD, fx 2014-01-01"
        else:
            msg = f"{text} kan ikke læses som {node.tag.rsplit(':', 1)[-1]} ({exc})"
        problems.append(Problem(file, line, _field(loc), msg))
        bad.add(loc)
        return str(node.value)
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(Problem(file, line, _field(loc), f"{short(str(node.value))} er ikke et endeligt tal (NaN og uendelig er ikke tilladt)"))
        bad.add(loc)
        return Refused(str(node.value))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ABS_INT:
        problems.append(Problem(file, line, _field(loc), f"tallet {short(str(node.value))} er for stort (højst ±10^15)"))
        bad.add(loc)
        return Refused(str(node.value))
    return value


class Refused:
    """Stands in for a refused number (NaN, infinity, too large): no schema accepts it, and no
    lax conversion turns it back into the number (the problem is already reported)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return short(self.text)


class _Frame:
    __slots__ = ("container", "loc", "key", "is_map")

    def __init__(self, container: Any, loc: Loc, is_map: bool):
        self.container = container
        self.loc = loc
        self.key: Any = None  # a mapping's key waiting for its value
        self.is_map = is_map


class _Builder:
    """Python values from libyaml's events, iteratively (no recursion), with every node's line."""

    def __init__(self, file: str):
        self.file = file
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self.bad: set[Loc] = set()
        self.stack: list[_Frame] = []
        self.skip = 0  # nesting depth of a subtree being read and dropped
        self.skip_is_key = False  # … in key position (then the value after it is dropped too)
        self.nodes = 0
        self.aliases = 0
        self.root: Any = None
        self.has_root = False

    def fail(self, line: int | None, msg: str) -> InputError:
        return InputError([*self.problems, Problem(self.file, line, "", msg)])

    def _slot(self, line: int) -> Loc | None:
        """Where the next node goes: its loc (line recorded), or None when it is to be dropped."""
        if not self.stack:
            self.lines.setdefault((), line)
            return ()
        top = self.stack[-1]
        if top.is_map:
            if top.key is _BAD_KEY:
                return None
            return (*top.loc, top.key)
        loc = (*top.loc, len(top.container))
        self.lines[loc] = line
        return loc

    def _put(self, value: Any, loc: Loc | None) -> None:
        if not self.stack:
            self.root, self.has_root = value, True
            return
        top = self.stack[-1]
        if top.is_map:
            if loc is not None:
                top.container[top.key] = value
            top.key = None
        else:
            top.container.append(value)

    def _key(self, ev: Any, line: int) -> None:
        """A scalar in key position of the mapping on top of the stack."""
        top = self.stack[-1]
        node = self._node(ev)
        key = _scalar(node, top.loc, self.problems, self.bad, self.file)
        if key is None:
            self.problems.append(Problem(self.file, line, _field(top.loc), "en nøgle skal være en enkel værdi"))
            top.key = _BAD_KEY
        elif key in top.container or (*top.loc, key) in self.bad:
            first = self.lines.get((*top.loc, key))
            where = f" (første gang i linje {first})" if first is not None else ""
            self.problems.append(Problem(self.file, line, _field((*top.loc, key)), f"nøglen {short(key) if isinstance(key, str) else repr(key)} står to gange{where}"))
            self.bad.add((*top.loc, key))
            top.key = _BAD_KEY
        else:
            self.lines[(*top.loc, key)] = line
            top.key = key

    def _node(self, ev: Any) -> yaml.ScalarNode:
        tag = ev.tag
        if tag is None or tag == "!":
            tag = _constructor.resolve(yaml.ScalarNode, ev.value, ev.implicit)
        elif tag not in _SCALAR_TAGS:
            self.problems.append(Problem(self.file, ev.start_mark.line + 1, "", f"YAML-tagget {short(tag)} er ikke tilladt; skriv værdien uden tag"))
            tag = "tag:yaml.org,2002:str"
        return yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, ev.style)

    def _count(self, line: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(line, f"filen har mere end {MAX_NODES:,} værdier; det er ikke en inputfil til modellen".replace(",", "."))

    def feed(self, ev: Any) -> None:
        line = ev.start_mark.line + 1
        if self.skip:
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self.skip += 1
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self.skip -= 1
                if not self.skip and not self.skip_is_key:
                    self._put(None, None)  # a dropped value: its mapping waits for the next key
            return
        if isinstance(ev, yaml.AliasEvent):
            self._count(line)
            if self.stack and self.stack[-1].is_map and self.stack[-1].key is None:
                self.problems.append(Problem(self.file, line, _field(self.stack[-1].loc), "en nøgle skal være en enkel værdi"))
                self.stack[-1].key = _BAD_KEY
                return
            self.aliases += 1
            if self.aliases > MAX_ALIAS_PROBLEMS:
                raise self.fail(line, f"flere end {MAX_ALIAS_PROBLEMS} YAML-aliasser; læsningen er stoppet")
            loc = self._slot(line)
            if loc is not None:
                self.problems.append(Problem(self.file, line, _field(loc), f"YAML-alias '*{short(ev.anchor, 30)[1:-1]}' er ikke tilladt; skriv værdien ud"))
                self.bad.add(loc)
            self._put(None, loc)
        elif isinstance(ev, yaml.ScalarEvent):
            self._count(line)
            if self.stack and self.stack[-1].is_map and self.stack[-1].key is None:
                self._key(ev, line)
                return
            loc = self._slot(line)
            value = None if loc is None else _scalar(self._node(ev), loc, self.problems, self.bad, self.file)
            self._put(value, loc)
        elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._count(line)
            if ev.tag is not None and ev.tag != "!" and ev.tag not in _COLLECTION_TAGS:
                self.problems.append(Problem(self.file, line, "", f"YAML-tagget {short(ev.tag)} er ikke tilladt; skriv værdien uden tag"))
            is_map = isinstance(ev, yaml.MappingStartEvent)
            if self.stack and self.stack[-1].is_map and self.stack[-1].key is None:
                top = self.stack[-1]
                self.problems.append(Problem(self.file, line, _field(top.loc), "en nøgle skal være en enkel værdi"))
                top.key = _BAD_KEY
                self.skip, self.skip_is_key = 1, True
                return
            loc = self._slot(line)
            if loc is None:
                self.skip, self.skip_is_key = 1, False
                return
            if len(self.stack) >= MAX_DEPTH:
                raise self.fail(line, f"strukturen er dybere end {MAX_DEPTH} niveauer; det er ikke en inputfil til modellen")
            self.stack.append(_Frame({} if is_map else [], loc, is_map))
        elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            self._put(frame.container, frame.loc)


# PyYAML's problems in Danish (by how they begin); another problem is shown as PyYAML words it
YAML_PROBLEMS_DA = (
    ("mapping values are not allowed", "et kolon efter en værdi, hvor der ikke kan stå en nøgle; sæt værdien i anførselstegn eller ret indrykningen"),
    ("found character '\\t'", "et tabulatortegn; indryk med mellemrum"),
    ("could not find expected ':'", "forventede et kolon (nøgle: værdi)"),
    ("did not find expected key", "indrykningen passer ikke med linjerne over (forventede en nøgle)"),
    ("did not find expected '-' indicator", "indrykningen passer ikke med listen over (forventede '- ')"),
    ("expected <block end>", "indrykningen passer ikke med linjerne over"),
    ("found unexpected end of stream", "filen slutter midt i en værdi (mangler et afsluttende anførselstegn?)"),
    ("did not find expected node content", "forventede en værdi"),
    ("did not find expected ',' or ']'", "forventede ',' eller ']' i en liste i [ ]"),
    ("did not find expected ',' or '}'", "forventede ',' eller '}' i en tabel i { }"),
    ("expected ',' or ']'", "forventede ',' eller ']' i en liste i [ ]"),
    ("expected ',' or '}'", "forventede ',' eller '}' i en tabel i { }"),
    ("found undefined alias", "en henvisning (*navn) til et anker, der ikke findes"),
    ("found unknown escape character", "en ukendt escape-sekvens (\\) i en tekst i dobbelte anførselstegn"),
    ("found unexpected ':'", "et uventet kolon; sæt værdien i anførselstegn"),
    ("found duplicate anchor", "et anker (&navn) er brugt to gange"),
    ("found a tab character", "et tabulatortegn i indrykningen; indryk med mellemrum"),
    ("did not find expected alphabetic or numeric character", "et anker (&) eller en henvisning (*) uden navn"),
    ("expected alphabetic or numeric character", "et anker (&) eller en henvisning (*) uden navn"),
    ("found duplicate %YAML directive", "direktivet %YAML står to gange"),
    ("found duplicate %TAG directive", "direktivet %TAG står to gange"),
    ("found incompatible YAML document", "en YAML-version, som læseren ikke kender"),
    ("did not find expected <document start>", "forventede et nyt dokument (---) efter et direktiv"),
    ("found unexpected document", "et uventet dokumentskift (--- eller ...)"),
    ("found a BOM", "et byte-order-mærke midt i filen"),
    ("found character", "et tegn, der ikke kan begynde en værdi (fx et tabulatortegn i indrykningen: indryk med mellemrum); sæt en værdi i anførselstegn"),
)


def yaml_problem_da(problem: str) -> str:
    for start, danish in YAML_PROBLEMS_DA:
        if problem.startswith(start):
            return danish
    return "filen kan ikke læses som YAML her (se linjen og linjen over: indrykning, kolon og anførselstegn)"


def _yaml_error(file: str, exc: yaml.YAMLError, problems: list[Problem]) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(exc, "problem", None)
    text = yaml_problem_da(str(what)) if what else "ulæselig YAML"
    return InputError([*problems, Problem(file, line, "", f"YAML-syntaksfejl: {text}")])


def parse_text(text: str, file: str) -> tuple[Any, dict[Loc, int], list[Problem], set[Loc], bool]:
    """(data, lines, problems, bad locations, has a document) of one YAML text."""
    builder = _Builder(file)
    loader = _Loader(text)
    documents = 0
    try:
        while loader.check_event():
            ev = loader.get_event()
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise builder.fail(ev.start_mark.line + 1, "filen indeholder mere end ét YAML-dokument ('---'); én fil er ét dokument")
            elif not isinstance(ev, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                builder.feed(ev)
    except yaml.YAMLError as exc:
        raise _yaml_error(file, exc, builder.problems) from None
    finally:
        loader.dispose()
    return builder.root, builder.lines, builder.problems, builder.bad, builder.has_root


def parse_yaml(path: Path | str) -> LocatedDocument:
    """Parse one YAML file with the line of every node.

    An unreadable or non-regular file, a bad encoding, a syntax error, too deep a structure or an
    empty file raise :class:`InputError`; problems inside a well-formed document (duplicate keys,
    impossible dates, aliases, NaN) are collected in ``doc.problems`` so that a caller can report
    them together with the schema's problems.
    """
    path = Path(path)
    file = str(path)
    raw = read_regular(path, MAX_YAML_BYTES)
    text = decode_text(raw, file)
    data, lines, problems, bad, has_root = parse_text(text, file)
    if not has_root:
        raise InputError([Problem(file, 1, "", "filen er tom")])
    return LocatedDocument(path=path, data=data, lines=lines, sha256=hashlib.sha256(raw).hexdigest(), problems=problems, bad_locs=bad)


def load_yaml(path: Path | str) -> LocatedDocument:
    """Parse one YAML file; syntax errors, duplicate keys and unreadable values raise :class:`InputError`."""
    doc = parse_yaml(path)
    if doc.problems:
        raise InputError(doc.problems)
    return doc


def describe_error(err: dict[str, Any]) -> str:
    """One pydantic error in Danish (:mod:`budgetmodel.pydantic_da`), with the value given."""
    from budgetmodel.pydantic_da import danish_with_input

    kind = err.get("type", "")
    name = err["loc"][-1] if err.get("loc") else ""
    if kind == "extra_forbidden":
        return f"ukendt nøgle {short(name) if isinstance(name, str) else repr(name)} (ikke tilladt her)"
    if kind == "missing":
        return f"det krævede felt '{name}' mangler"
    value = err.get("input")
    if kind.startswith("date") and not isinstance(value, (dict, list)):
        return f"forventede en ISO-dato ÅÅÅÅ-MM-DD uden anførselstegn (fx 2014-01-01); fik {short(value)}"
    return danish_with_input(err)


def _under(loc: Loc, bad: set[Loc]) -> bool:
    return any(loc[: len(b)] == b for b in bad)


def problems_from_validation(doc: LocatedDocument, exc: ValidationError, prefix: Loc = ()) -> list[Problem]:
    """Pydantic's errors as located problems; a node already reported while reading is skipped."""
    out = []
    for err in exc.errors():
        loc = tuple(x for x in (*prefix, *err["loc"]) if not (isinstance(x, str) and x.startswith("function-")))
        if _under(loc, doc.bad_locs):
            continue
        out.append(Problem(str(doc.path), doc.line_of(loc), _field(loc), describe_error(err)))
    return out


FILL_MARK = "UDFYLD"  # what `budgetmodel ny` writes where a value is still to be filled in


def fill_gaps(data: Any, nulls: bool = False) -> list[tuple[Loc, str]]:
    """Where a file still says UDFYLD (what `budgetmodel ny` leaves to fill in): each place and
    what is missing there ('en værdi' for a bare UDFYLD, 'en tekst' for a text holding it, with
    ``nulls`` also 'et tal' for every ``value: null``)."""
    out: list[tuple[Loc, str]] = []

    def walk(loc: Loc, node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk((*loc, k), v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk((*loc, i), v)
        elif nulls and node is None and loc and loc[-1] == "value":
            out.append((loc, "et tal"))
        elif isinstance(node, str) and FILL_MARK in node:
            out.append((loc, "en værdi" if node.strip() == FILL_MARK else "en tekst"))

    walk((), data)
    return out


def unfilled(doc: LocatedDocument) -> list[Problem]:
    """Every text marked UDFYLD in a document: one 'mangler' problem each."""
    return [Problem(str(doc.path), doc.line_of(loc), _field(loc), f"mangler: {what} er ikke udfyldt endnu ({FILL_MARK})") for loc, what in fill_gaps(doc.data)]


def validate(doc: LocatedDocument, model: type[M], context: dict[str, Any] | None = None) -> M:
    """Validate a located document against a pydantic model; reading and schema problems at once
    (a value marked UDFYLD is reported as not filled in, not as of the wrong type)."""
    marked = unfilled(doc)
    try:
        result = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        fields = {p.field for p in marked}
        raise InputError([*doc.problems, *marked, *(p for p in problems_from_validation(doc, exc) if p.field not in fields)]) from exc
    except RecursionError:
        raise InputError([*doc.problems, Problem(str(doc.path), None, "", "strukturen er for dyb til at kontrollere")]) from None
    except Exception:
        if doc.problems:  # a whole-model check met a value already refused: report that
            raise InputError(doc.problems) from None
        raise
    if doc.problems or marked:
        raise InputError([*doc.problems, *marked])
    return result


def load_model(path: Path | str, model: type[M], context: dict[str, Any] | None = None) -> tuple[M, LocatedDocument]:
    doc = parse_yaml(path)
    return validate(doc, model, context), doc
