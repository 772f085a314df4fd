from pydantic import BaseModel, ConfigDict

import pytest

from budgetmodel.errors import InputError
from budgetmodel.sourcefile import load_model, load_yaml


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    amount: int


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[Item]


def test_lines_are_tracked(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("items:\n  - name: x\n    amount: 1\n  - name: y\n    amount: 2\n", encoding="utf-8")
    doc = load_yaml(p)
    assert doc.line_of(("items", 1, "amount")) == 5
    assert doc.line_of(("items", 0)) == 2


def test_all_problems_at_once_with_file_line_field(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("items:\n  - name: x\n    amount: many\n  - name: y\n    amount: 2\n    colour: red\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_model(p, Doc)
    text = str(exc.value)
    assert f"{p}:3: [items.0.amount]" in text
    assert f"{p}:6: [items.1.colour] ukendt nøgle" in text
    assert len(exc.value.problems) == 2


def test_duplicate_key_rejected_with_both_lines(tmp_path):
    p = tmp_path / "dup.yaml"
    p.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_yaml(p)
    assert f"{p}:3: [a] nøglen 'a' står to gange (første gang i linje 1)" in str(exc.value)


def test_syntax_error_names_line(tmp_path):
    p = tmp_path / "syn.yaml"
    p.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_yaml(p)
    assert str(p) in str(exc.value) and "YAML" in str(exc.value)
