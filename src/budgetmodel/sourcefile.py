"""Load YAML with line numbers, reject duplicate keys, and turn pydantic errors into located problems.

Every input file of the tool (rates, scenarios, profiles) goes through :func:`load_yaml` and
:func:`validate`, so all of them report problems the same way: file, line, field, expectation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from budgetmodel.errors import InputError, Problem

M = TypeVar("M", bound=BaseModel)

Loc = tuple[str | int, ...]


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


_constructor = yaml.SafeLoader(" ")  # used only for its scalar constructors


def _field(loc: Loc) -> str:
    return ".".join(map(str, loc))


def _scalar(node: yaml.Node, loc: Loc, problems: list[Problem], bad: set[Loc], file: str) -> Any:
    """Construct one scalar; a value YAML recognises but cannot build (2014-13-01) is a problem."""
    try:
        return _constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        text = str(node.value)
        if node.tag == "tag:yaml.org,2002:timestamp":
            msg = f"'{text}' is not a valid date ({exc}); expected an ISO date YYYY-MM-DD, e.g. 2014-01-01"
        else:
            msg = f"'{text}' cannot be read as {node.tag.rsplit(':', 1)[-1]} ({exc})"
        problems.append(Problem(file, node.start_mark.line + 1, _field(loc), msg))
        bad.add(loc)
        return text


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int], problems: list[Problem], file: str, bad: set[Loc]) -> Any:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loc, problems, bad, file) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or isinstance(key, (list, dict)):
                problems.append(Problem(file, key_node.start_mark.line + 1, _field(loc), "a key must be a plain value"))
                continue
            if key in out:
                problems.append(
                    Problem(file, key_node.start_mark.line + 1, _field((*loc, key)), f"duplicate key '{key}' (first at line {lines[(*loc, key)]})")
                )
                bad.add((*loc, key))
                continue
            lines[(*loc, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*loc, key), lines, problems, file, bad)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            items.append(_build(item, (*loc, i), lines, problems, file, bad))
        return items
    return _scalar(node, loc, problems, bad, file)


def parse_yaml(path: Path | str) -> LocatedDocument:
    """Parse one YAML file with the line of every node.

    An unreadable file, a syntax error or an empty file raise :class:`InputError`; problems
    inside a well-formed document (duplicate keys, impossible dates) are collected in
    ``doc.problems`` so that a caller can report them together with the schema's problems.
    """
    path = Path(path)
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(file, None, "", f"kan ikke læses: {exc.strerror}")]) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(file, None, "", "filen er ikke UTF-8")]) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError([Problem(file, line, "", f"YAML-syntaksfejl: {getattr(exc, 'problem', exc)}")]) from exc
    if root is None:
        raise InputError([Problem(file, 1, "", "filen er tom")])
    lines: dict[Loc, int] = {}
    problems: list[Problem] = []
    bad: set[Loc] = set()
    try:
        data = _build(root, (), lines, problems, file, bad)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError([Problem(file, mark.line + 1 if mark else None, "", f"ugyldig værdi: {exc}")]) from exc
    return LocatedDocument(path=path, data=data, lines=lines, sha256=hashlib.sha256(raw).hexdigest(), problems=problems, bad_locs=bad)


def load_yaml(path: Path | str) -> LocatedDocument:
    """Parse one YAML file; syntax errors, duplicate keys and unreadable values raise :class:`InputError`."""
    doc = parse_yaml(path)
    if doc.problems:
        raise InputError(doc.problems)
    return doc


def _describe(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    name = err["loc"][-1] if err.get("loc") else ""
    if kind == "extra_forbidden":
        return f"unknown key '{name}' (not allowed here)"
    if kind == "missing":
        return f"required field '{name}' is missing"
    msg = err.get("msg", "invalid")
    value = err.get("input")
    if kind.startswith("date") and not isinstance(value, (dict, list)):
        return f"expected an unquoted ISO date YYYY-MM-DD (e.g. 2014-01-01); got {value!r}"
    if value is not None and not isinstance(value, (dict, list)):
        return f"{msg}; got {value!r}"
    return msg


def _under(loc: Loc, bad: set[Loc]) -> bool:
    return any(loc[: len(b)] == b for b in bad)


def problems_from_validation(doc: LocatedDocument, exc: ValidationError, prefix: Loc = ()) -> list[Problem]:
    """Pydantic's errors as located problems; a node already reported while reading is skipped."""
    out = []
    for err in exc.errors():
        loc = tuple(x for x in (*prefix, *err["loc"]) if not (isinstance(x, str) and x.startswith("function-")))
        if _under(loc, doc.bad_locs):
            continue
        out.append(Problem(str(doc.path), doc.line_of(loc), _field(loc), _describe(err)))
    return out


def validate(doc: LocatedDocument, model: type[M], context: dict[str, Any] | None = None) -> M:
    """Validate a located document against a pydantic model; reading and schema problems at once."""
    try:
        result = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        raise InputError([*doc.problems, *problems_from_validation(doc, exc)]) from exc
    if doc.problems:
        raise InputError(doc.problems)
    return result


def load_model(path: Path | str, model: type[M], context: dict[str, Any] | None = None) -> tuple[M, LocatedDocument]:
    doc = parse_yaml(path)
    return validate(doc, model, context), doc
