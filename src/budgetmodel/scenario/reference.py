"""The scenario reference (docs/scenario-reference.md), generated from the pydantic schema.

Every model the ``Scenario`` reaches gets a section, and a table of its fields with type and
allowed values (literals, enums such as the statuses, number ranges, patterns), whether it is
required (or its default), its unit, what it means in Danish and an example. The Danish meaning
and unit are in :mod:`budgetmodel.scenario.reference_da`; the example is that table's or, where it
gives none, the first value of the field in the bundled scenarios (``scenarios/*.yaml``). The file
ends with the template ``budgetmodel ny`` writes. ``tests/test_scenario_reference.py`` regenerates
it and fails when it differs, or when a field has no Danish meaning or no example:

    python -m budgetmodel.scenario.reference --write      # after a change to the schema
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typing

from pydantic import BaseModel

from budgetmodel import fmt
from budgetmodel.scenario import schema
from budgetmodel.scenario.reference_da import FIELDS, MODELS_DA

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "scenario-reference.md"
EXAMPLES = ROOT / "scenarios"  # the bundled scenarios the examples are read from
EXAMPLE_CHARS = 90



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


def _models_in(tp: Any) -> list[type[BaseModel]]:
    """The pydantic models a field's annotation can hold (through Optional, unions, lists, dicts)."""
    out: list[type[BaseModel]] = []
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        out.append(tp)
    for arg in typing.get_args(tp):
        out += _models_in(arg)
    if getattr(tp, "__metadata__", None) is not None:
        out += _models_in(getattr(tp, "__origin__", None))
    return out


def _fits(models: list[type[BaseModel]], value: Any) -> type[BaseModel] | None:
    if isinstance(value, dict):
        for m in models:
            if set(value) <= set(m.model_fields):
                return m
    return None


def _walk(model: type[BaseModel], data: Any, found: dict[tuple[str, str], Any]) -> None:
    """The first value of every (model, field) in a scenario's data."""
    if not isinstance(data, dict):
        return
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        value = data[name]
        found.setdefault((model.__name__, name), value)
        models = _models_in(info.annotation)
        if not models:
            continue
        if _fits(models, value) is not None:
            items = [value]
        elif isinstance(value, dict):
            items = list(value.values())
        elif isinstance(value, list):
            items = value
        else:
            items = []
        for item in items:
            for x in item if isinstance(item, list) else [item]:
                m = _fits(models, x)
                if m is not None:
                    _walk(m, x, found)


def bundled_examples() -> dict[tuple[str, str], Any]:
    """(model, field) → the first value in the bundled scenarios (files in name order, composed,
    the staff profile included)."""
    from budgetmodel.scenario.load import compose, include_staff_profile

    found: dict[tuple[str, str], Any] = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        c = compose(path)
        if c.data.get("kind") != "scenario":
            continue
        include_staff_profile(c)
        _walk(schema.Scenario, c.data, found)
    return found


def _example(value: Any) -> str:
    """A value as one line of YAML flow style, cut to EXAMPLE_CHARS."""
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False).strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    text = text.removesuffix("...").strip()
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"


def meanings(model: type[BaseModel]) -> dict[str, str]:
    """field → its Danish meaning (with the unit in parentheses), for other readers of the schema
    (the workbook's explanations)."""
    rows = FIELDS.get(model.__name__, {})
    return {f: (f"{m} ({u})" if u and u != "–" else m) for f, (m, u, _e) in rows.items() if m}


def field_texts() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(model, field) → (Danish meaning, unit, example) for every field of every model; a field
    without a Danish line gets empty texts (the test names it)."""
    bundled = bundled_examples()
    out: dict[tuple[str, str], tuple[str, str, str]] = {}
    for name, model in _models().items():
        rows = FIELDS.get(name, {})
        for field in model.model_fields:
            meaning, unit, example = rows.get(field, ("", "", ""))
            if not example and (name, field) in bundled:
                example = _example(bundled[(name, field)])
            out[(name, field)] = (meaning, unit, example)
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
    return ", ".join(text.format(fmt.plain(node[key]) if isinstance(node[key], (int, float)) else node[key]) for key, text in _LIMITS if key in node)



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
        "[Share](#share)) skrives `{value: …, source: \"…\", status: …}`; enheden står i kolonnen enhed",
        "(feltnavne: `_dkk` = kroner, `_share` = andel 0-1, `helaarspersoner` = helårspersoner).",
        "Et felt med `value: null  # UDFYLD` er ikke udfyldt endnu: `budgetmodel validate` lister det som",
        "'mangler'. `budgetmodel ny KOMMUNE --years 2027-2030` skriver et udgangspunkt (se sidst).",
        "",
        "Statusser (`status`): " + ", ".join(f"`{v}`" for v in defs.get("InputStatus", {}).get("enum", [])) + ". "
        "`data`: kommunens egne tal; `fra_notat`: trykt i et dokument uden udledning; `derived`: beregnet "
        "(regnestykket i `note`); `law`: loven; `assumption`: en antagelse (en læsning, skrevet ned).",
        "",
        "Hver tabel: feltet, dets type og tilladte værdier, om det er krævet (eller dets standard), "
        "enheden, hvad det betyder og et eksempel (fra tabellen i `reference_da.py` eller de medfølgende scenarier).",
        "",
    ]
    texts = field_texts()
    order = ["Scenario"] + sorted(n for n in models if n != "Scenario")
    for name in order:
        model = models[name]
        node = s if name == "Scenario" else defs.get(name)
        if node is None:
            continue
        lines += [f"## {name}", ""]
        about = MODELS_DA.get(name, "")
        if about:
            lines += [about, ""]
        if "enum" in node:
            lines += ["Værdier: " + ", ".join(f"`{v}`" for v in node["enum"]), ""]
            continue
        required = set(node.get("required", []))
        lines += ["| felt | type og tilladte værdier | krævet / standard | enhed | betydning | eksempel |", "|---|---|---|---|---|---|"]
        for field, prop in node.get("properties", {}).items():
            prop = _number_union(prop)
            req = "krævet" if field in required else f"standard `{json.dumps(prop['default'], ensure_ascii=False)}`" if "default" in prop else "valgfri"
            if len(req) > 60:
                req = "valgfri (standard: tom)"
            meaning, unit, example = texts.get((name, field), ("", "", ""))
            shown = f"`{example}`" if example else ""
            lines.append(f"| `{field}` | {_cell(_type(prop, defs))} | {_cell(req)} | {_cell(unit)} | {_cell(meaning)} | {_cell(shown)} |")
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
