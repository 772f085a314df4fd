"""The scenario reference (docs/scenario-reference.md), generated from the pydantic schema.

Every model the ``Scenario`` reaches gets a section: its description (the class docstring), and a
table of its fields with type, whether it is required (or its default), the allowed values
(literals, enums such as the statuses, number ranges, patterns) and what it means (the comment
beside the field in ``schema.py``). The file ends with the template ``budgetmodel ny`` writes, as
an example. ``tests/test_scenario_reference.py`` regenerates it and fails when it differs:

    python -m budgetmodel.scenario.reference --write      # after a change to the schema
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from budgetmodel.scenario import schema

DOC = Path(__file__).resolve().parents[3] / "docs" / "scenario-reference.md"

_FIELD_COMMENT = re.compile(r"^\s{4}([a-z_][a-z0-9_]*)\s*:[^#\n]*#\s*(.+)$")


def _models() -> dict[str, type[BaseModel]]:
    """Every pydantic model reachable from Scenario, by its schema title."""
    out: dict[str, type[BaseModel]] = {}

    def visit(tp: Any) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp.__name__ in out:
                return
            out[tp.__name__] = tp
            for f in tp.model_fields.values():
                visit(f.annotation)
        for arg in getattr(tp, "__args__", ()) or ():
            visit(arg)
        meta = getattr(tp, "__metadata__", None)
        if meta is not None:
            visit(getattr(tp, "__origin__", None))

    visit(schema.Scenario)
    return out


def _comments(model: type[BaseModel]) -> dict[str, str]:
    """The ``# comment`` beside each field in the class body (its own class and its bases)."""
    out: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls is BaseModel:
            continue
        try:
            src = inspect.getsource(cls)
        except (OSError, TypeError):
            continue
        for line in src.splitlines():
            m = _FIELD_COMMENT.match(line)
            if m:
                out[m.group(1)] = m.group(2).strip()
    return out


def _type(node: dict, defs: dict) -> str:
    """A short Danish rendering of a JSON-schema node."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = defs.get(name, {})
        if "enum" in target:
            return f"[{name}](#{name.lower()})"
        return f"[{name}](#{name.lower()})"
    if "anyOf" in node:
        parts = [p for p in node["anyOf"] if p.get("type") != "null"]
        text = " eller ".join(dict.fromkeys(_type(p, defs) for p in parts))
        return text if len(parts) == len(node["anyOf"]) else f"{text} (eller null)"
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return " | ".join(f"`{v}`" for v in node["enum"])
    t = node.get("type")
    if t == "array":
        return f"liste af {_type(node.get('items', {}), defs)}"
    if t == "object":
        value = node.get("additionalProperties")
        if isinstance(value, dict):
            key = node.get("propertyNames", {})
            k = _type(key, defs) if key else "tekst"
            return f"ordbog {k} → {_type(value, defs)}"
        pats = node.get("patternProperties")
        if pats:
            pat, value = next(iter(pats.items()))
            return f"ordbog nøgle (`{pat}`) → {_type(value, defs)}"
        return "ordbog"
    names = {"number": "tal", "integer": "heltal", "string": "tekst", "boolean": "sand/falsk", "null": "null"}
    if t in ("number", "integer") and set(node) <= {"type"}:
        return names[t]
    base = names.get(t, str(t))
    limits = _limits(node)
    return f"{base} ({limits})" if limits else base


_LIMITS = (
    ("minimum", "≥ {}"),
    ("exclusiveMinimum", "> {}"),
    ("maximum", "≤ {}"),
    ("minLength", "mindst {} tegn"),
    ("pattern", "mønster `{}`"),
    ("minItems", "mindst {}"),
)


def _limits(node: dict) -> str:
    return ", ".join(text.format(node[key]) for key, text in _LIMITS if key in node)


def _number_union(node: dict) -> dict:
    """``number | integer`` with the same limits reads as one 'tal'."""
    parts = node.get("anyOf")
    if parts and {p.get("type") for p in parts} == {"number", "integer"}:
        merged = {k: v for p in parts for k, v in p.items() if k != "type"}
        return {"type": "number", **merged}
    return node


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    s = schema.Scenario.model_json_schema()
    defs = s.get("$defs", {})
    models = _models()
    lines = [
        "# Scenariereference",
        "",
        "Genereret af `python -m budgetmodel.scenario.reference --write` fra skemaet i",
        "`src/budgetmodel/scenario/schema.py` — ret ikke i hånden; en test fejler, når fil og skema",
        "ikke stemmer. En scenariefil (`kind: scenario`) er YAML; `extends: [fil, …]` lægger filer",
        "sammen i rækkefølge. Et tal med kilde ([Sourced](#sourced), [NonNegative](#nonnegative),",
        "[Share](#share)) skrives `{value: …, source: \"…\", status: …}`; enheden står i feltets navn",
        "eller beskrivelse (`_dkk` = kroner, `_share` = andel 0-1, `helaarspersoner` = helårspersoner).",
        "Et felt med `value: null  # UDFYLD` er ikke udfyldt endnu: `budgetmodel validate` lister det som",
        "'mangler'. `budgetmodel ny KOMMUNE --years 2027-2030` skriver et udgangspunkt (se sidst).",
        "",
        "Statusser (`status`): " + ", ".join(f"`{v}`" for v in defs.get("InputStatus", {}).get("enum", [])) + ".",
        "",
    ]
    order = ["Scenario"] + sorted(n for n in models if n != "Scenario")
    for name in order:
        model = models[name]
        node = s if name == "Scenario" else defs.get(name)
        if node is None:
            continue
        lines += [f"## {name}", ""]
        doc = inspect.getdoc(model) or ""
        if doc and not doc.startswith(("!!!", "Usage docs")) and model.__doc__ and "BaseModel" not in doc[:40]:
            lines += [doc, ""]
        if "enum" in node:
            lines += ["Værdier: " + ", ".join(f"`{v}`" for v in node["enum"]), ""]
            continue
        comments = _comments(model)
        required = set(node.get("required", []))
        lines += ["| felt | type | krævet / standard | betydning |", "|---|---|---|---|"]
        for field, prop in node.get("properties", {}).items():
            prop = _number_union(prop)
            req = "krævet" if field in required else f"standard `{json.dumps(prop['default'], ensure_ascii=False)}`" if "default" in prop else "valgfri"
            if len(req) > 60:
                req = "valgfri (standard: tom)"
            desc = prop.get("description") or comments.get(field, "")
            lines.append(f"| `{field}` | {_cell(_type(prop, defs))} | {_cell(req)} | {_cell(desc)} |")
        lines.append("")
    for name in sorted(defs):
        if name not in models and "enum" in defs[name]:
            lines += [f"## {name}", "", "Værdier: " + ", ".join(f"`{v}`" for v in defs[name]["enum"]), ""]
    from budgetmodel.scenario.new import template

    lines += ["## Eksempel: `budgetmodel ny Eksempel Kommune --years 2027-2030`", "", "```yaml", template("Eksempel Kommune", 2027, 2030).rstrip(), "```", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if "--write" in argv:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
        print(f"skrevet: {DOC}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
