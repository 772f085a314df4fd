"""The generic loader of data/ CSV files: header, Danish printed numbers, every problem at once."""

import pytest

from budgetmodel.errors import InputError
from budgetmodel.paths import data_dir
from budgetmodel.statistics.table import load_table, load_tables, parse_number

GOOD = """# document: Et dokument; seeds/x.txt
# table: Tabel 1 Noget
# unit: årsværk
# source: linje 1-3
# key: code
# text: code, label
# note: en note
# note: endnu en
code;label;a;b
x;Række x;21,5;43.323
y;Række y;20%;-
z;Række z;;-1,25
"""


def write(tmp_path, text, name="t.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "text,value,decimals,percent",
    [
        ("21,5", 21.5, 1, False),
        ("43.323", 43323.0, 0, False),
        ("12.736", 12736.0, 0, False),
        ("1.234.567,89", 1234567.89, 2, False),
        ("20%", 20.0, 0, True),
        ("11,5%", 11.5, 1, True),
        ("0,0%", 0.0, 1, True),
        ("-1,25", -1.25, 2, False),
        ("0", 0.0, 0, False),
    ],
)
def test_danish_printed_numbers(text, value, decimals, percent):
    c = parse_number(text)
    assert c is not None
    assert c.value == value and c.decimals == decimals and c.percent == percent
    assert c.half_unit == pytest.approx(0.5 * 10**-decimals)


@pytest.mark.parametrize("text", ["1.5", "21.50", "1,2,3", "abc", "12 %", "1.23", "--1"])
def test_not_danish_numbers(text):
    assert parse_number(text) is None


def test_dash_and_empty():
    dash, empty = parse_number("-"), parse_number("")
    assert dash.dash and dash.value is None and dash.or_zero() == 0.0
    assert empty.empty and empty.value is None
    with pytest.raises(ValueError):
        empty.or_zero()


def test_good_file(tmp_path):
    t = load_table(write(tmp_path, GOOD))
    assert t.document.startswith("Et dokument") and t.title == "Tabel 1 Noget" and t.unit == "årsværk"
    assert t.notes == ("en note", "endnu en")
    assert t.keys() == ["x", "y", "z"]
    assert t.value("x", "a") == 21.5 and t.value("x", "b") == 43323
    assert t.cell("y", "a").share == pytest.approx(0.20)
    assert t.cell("y", "b").dash and t.cell("z", "a").empty
    assert t.row("z").line == 12
    assert t.citation() == "Et dokument; seeds/x.txt, Tabel 1 Noget (linje 1-3)"


def test_every_problem_at_once_with_file_line_and_column(tmp_path):
    bad = """# document: D
# tabel: forkert navn
# key: code
# text: code, label
code;label;a;a
x;X;1,5;1.5
x;X;2;2
y;Y;3
"""
    p = write(tmp_path, bad)
    with pytest.raises(InputError) as err:
        load_table(p)
    rendered = err.value.render()
    probs = {(pr.line, pr.field) for pr in err.value.problems}
    assert (2, "tabel") in probs  # unknown header line
    assert (1, "table") in probs and (1, "unit") in probs  # required header lines missing
    assert (5, "a") in probs  # duplicate column name
    assert (6, "a") in probs  # '1.5' is not a Danish number
    assert (7, "code") in probs  # duplicate key
    assert (8, "") in probs  # wrong number of fields
    assert str(p) in rendered and "1.5" in rendered


def test_missing_body(tmp_path):
    with pytest.raises(InputError) as err:
        load_table(write(tmp_path, "# document: D\n# table: T\n# unit: u\n"))
    assert "kolonneoverskrifterne mangler" in err.value.render()


def test_load_tables_collects_problems_from_all_files(tmp_path):
    write(tmp_path, GOOD, "ok.csv")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "# document: D\n# table: T\n# unit: u\ncode;a\nx;1.5\n", "bad1.csv")
    write(tmp_path / "sub", "# table: T\n# unit: u\ncode;a\nx;1\n", "bad2.csv")
    with pytest.raises(InputError) as err:
        load_tables(tmp_path)
    files = {p.file for p in err.value.problems}
    assert files == {str(tmp_path / "sub" / "bad1.csv"), str(tmp_path / "sub" / "bad2.csv")}


def test_bundled_data_loads_and_every_table_names_its_source():
    tables = load_tables(data_dir())
    assert len(tables) >= 25
    for tid, t in tables.items():
        assert "seeds/" in t.document, tid
        assert t.title and t.unit, tid
