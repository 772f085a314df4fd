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

    def line_of(self, loc: Loc) -> int | None:
        """The line of the deepest known node on ``loc`` (pydantic locations may go deeper)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


_constructor = yaml.SafeLoader(" ")  # used only for its scalar constructors


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int], problems: list[Problem], file: str) -> Any:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _constructor.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                problems.append(Problem(file, key_node.start_mark.line + 1, ".".join(map(str, loc)), "en nøgle skal være en simpel værdi"))
                continue
            if key in out:
                problems.append(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        ".".join(map(str, (*loc, key))),
                        f"duplicate key '{key}' (first at line {lines[(*loc, key)]})",
                    )
                )
                continue
            lines[(*loc, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*loc, key), lines, problems, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            items.append(_build(item, (*loc, i), lines, problems, file))
        return items
    return _constructor.construct_object(node, deep=True)


def load_yaml(path: Path | str) -> LocatedDocument:
    """Parse one YAML file; syntax errors and duplicate keys raise :class:`InputError`."""
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
    try:
        data = _build(root, (), lines, problems, file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError([Problem(file, mark.line + 1 if mark else None, "", f"ugyldig værdi: {exc}")]) from exc
    if problems:
        raise InputError(problems)
    return LocatedDocument(path=path, data=data, lines=lines, sha256=hashlib.sha256(raw).hexdigest())


def _describe(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key (not allowed here)"
    if kind == "missing":
        return "required field is missing"
    msg = err.get("msg", "invalid")
    value = err.get("input")
    if value is not None and not isinstance(value, (dict, list)):
        return f"{msg}; got {value!r}"
    return msg


def problems_from_validation(doc: LocatedDocument, exc: ValidationError, prefix: Loc = ()) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(x for x in (*prefix, *err["loc"]) if not (isinstance(x, str) and x.startswith("function-")))
        out.append(Problem(str(doc.path), doc.line_of(loc), ".".join(map(str, loc)), _describe(err)))
    return out


def validate(doc: LocatedDocument, model: type[M], context: dict[str, Any] | None = None) -> M:
    """Validate a located document against a pydantic model; all problems at once."""
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        raise InputError(problems_from_validation(doc, exc)) from exc


def load_model(path: Path | str, model: type[M], context: dict[str, Any] | None = None) -> tuple[M, LocatedDocument]:
    doc = load_yaml(path)
    return validate(doc, model, context), doc
