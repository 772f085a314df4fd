"""`budgetmodel refund`: JSON shape, the readable table, --out rows, Parquet input and bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app

FIX = Path(__file__).parent / "fixtures" / "refund"
runner = CliRunner()

# small_panel.csv by hand: person 7 on kontanthjælp 2015-W52 (30 pct.), 2015-W53 in løntilskud (50 pct.),
# then 2016-W01 count week 3 (80 pct.), 2016-W02 dagpenge count week 4 (80 pct.); person 8 sygedagpenge
# 2016-W02 count week 1 (80 pct.).
EXPECTED = {
    "gross_dkk": 6500.5,
    "state_dkk": 300 + 500 + 800 + 1600 + 1200.4,
    "by_benefit": {"kontanthjaelp": 1600.0, "dagpenge": 1600.0, "sygedagpenge": 1200.4},
}


def invoke(*args):
    return runner.invoke(app, ["refund", *map(str, args)])


def test_json_shape_and_values():
    r = invoke(FIX / "small_panel.csv", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert list(data)[:4] == ["gross_dkk", "state_dkk", "municipal_dkk", "by_benefit"]
    assert data["gross_dkk"] == EXPECTED["gross_dkk"]
    assert data["state_dkk"] == pytest.approx(EXPECTED["state_dkk"], abs=0.001)
    assert data["municipal_dkk"] == pytest.approx(6500.5 - EXPECTED["state_dkk"], abs=0.001)
    assert set(data["by_benefit"]) == set(EXPECTED["by_benefit"])
    for b, state in EXPECTED["by_benefit"].items():
        block = data["by_benefit"][b]
        assert set(block) >= {"gross_dkk", "state_dkk", "municipal_dkk"}
        assert block["state_dkk"] == pytest.approx(state, abs=0.001)
    assert data["rows"] == 5 and data["persons"] == 2
    assert data["by_regime"]["2014"]["state_dkk"] == 800.0


def test_stdout_is_exactly_one_json_object_in_a_real_process():
    cmd = [sys.executable, "-c", "from budgetmodel.cli import main; main()", "refund", str(FIX / "small_panel.csv"), "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert json.loads(p.stdout)["gross_dkk"] == EXPECTED["gross_dkk"]


def test_readable_table_in_danish_number_format():
    r = invoke(FIX / "small_panel.csv")
    assert r.exit_code == 0
    assert "6.500,50" in r.stdout and "I alt" in r.stdout and "sygedagpenge" in r.stdout


def test_out_writes_every_row_with_counts_shares_and_amounts(tmp_path):
    out = tmp_path / "rows.csv"
    r = invoke(FIX / "small_panel.csv", "--json", "--out", out)
    assert r.exit_code == 0, r.stderr
    rows = pd.read_csv(out)
    assert list(rows.columns) == ["person_id", "week", "benefit", "activation", "amount_dkk", "regime", "spell_week", "count_week", "state_share", "state_dkk", "municipal_dkk"]
    assert rows.count_week.tolist() == [1, 2, 3, 4, 1]
    assert rows.spell_week.tolist() == [1, 2, 3, 1, 1]
    assert rows.state_share.tolist() == [0.3, 0.5, 0.8, 0.8, 0.8]
    assert rows.state_dkk.sum() == pytest.approx(EXPECTED["state_dkk"])
    assert not list(tmp_path.glob(".*.tmp"))
    assert out.stat().st_mode & 0o044  # readable by others, like every output


def test_out_ending_in_parquet_writes_parquet(tmp_path):
    csv_out, pq_out = tmp_path / "rows.csv", tmp_path / "rows.parquet"
    assert invoke(FIX / "small_panel.csv", "--out", csv_out).exit_code == 0
    assert invoke(FIX / "small_panel.csv", "--out", pq_out).exit_code == 0
    a, b = pd.read_csv(csv_out), pd.read_parquet(pq_out)
    assert b.state_dkk.tolist() == a.state_dkk.tolist() and b.count_week.tolist() == [1, 2, 3, 4, 1]


def test_parquet_input_gives_the_same_summary(tmp_path):
    df = pd.read_csv(FIX / "small_panel.csv")
    pq = tmp_path / "panel.parquet"
    df.to_parquet(pq)
    a = json.loads(invoke(FIX / "small_panel.csv", "--json").stdout)
    b = json.loads(invoke(pq, "--json").stdout)
    a.pop("file"), b.pop("file")
    assert a == b


def test_parquet_bad_rows_are_named_by_row(tmp_path):
    df = pd.read_csv(FIX / "small_panel.csv")
    df.loc[3, "benefit"] = "kontant"
    pq = tmp_path / "bad.parquet"
    df.to_parquet(pq)
    r = invoke(pq, "--json")
    assert r.exit_code == 1 and r.stdout == ""
    assert f"{pq}:4: [benefit] række 4: ukendt ydelseskode 'kontant'" in r.stderr


@pytest.mark.parametrize(
    "fixture,expected",
    [
        ("unknown_benefit.csv", ["unknown_benefit.csv:3: [benefit] ukendt ydelseskode 'kontanthjaelpp'"]),
        ("bad_week.csv", ["bad_week.csv:3: [week] '2014-W53': 2014 har ISO-ugerne 1-52", "bad_week.csv:4: [week] '2015-10' er ikke en ISO-uge"]),
        ("negative_amount.csv", ["negative_amount.csv:4: [amount_dkk] negativt beløb -12.5"]),
        ("missing_column.csv", ["missing_column.csv:1: [activation] mangler kolonnen 'activation'"]),
        ("non_numeric_amount.csv", ["non_numeric_amount.csv:3: [amount_dkk] 'tusind' er ikke et tal", "non_numeric_amount.csv:4: [activation] ukendt aktiveringskode 'praktik'"]),
    ],
)
def test_bad_input_names_file_line_and_field(fixture, expected):
    r = invoke(FIX / fixture, "--json")
    assert r.exit_code == 1
    assert r.stdout == ""
    for text in expected:
        assert str(FIX / text.split(":")[0]) + ":" + text.split(":", 1)[1] in r.stderr


def test_many_bad_rows_are_capped_with_a_count(tmp_path):
    lines = ["person_id,week,benefit,activation,amount_dkk"] + [f"{i},2015-W10,nope,none,1" for i in range(250)]
    p = tmp_path / "many.csv"
    p.write_text("\n".join(lines) + "\n")
    r = invoke(p)
    assert r.exit_code == 1
    assert r.stderr.count("ukendt ydelseskode 'nope'") == 100
    assert "150 rækkefejl mere, som ikke er vist" in r.stderr
    assert f"{p}:251: [benefit]" not in r.stderr and f"{p}:101: [benefit]" in r.stderr


def test_malformed_lines_are_reported_with_the_other_problems(tmp_path):
    p = tmp_path / "ragged.csv"
    p.write_text("person_id,week,benefit,activation,amount_dkk\n1,2015-W10,kontanthjaelp\n1,2015-W11,kontanthjaelp,none,-1\n")
    r = invoke(p)
    assert r.exit_code == 1
    assert f"{p}:2: forventede 5 felter, fandt 3" in r.stderr
    assert f"{p}:3: [amount_dkk] negativt beløb -1" in r.stderr


def test_parquet_with_narrow_integer_ids_and_dictionary_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = pd.read_csv(FIX / "small_panel.csv")
    table = pa.table(
        {
            "person_id": pa.array(df.person_id, pa.int16()),
            "week": pa.array(df.week).dictionary_encode(),
            "benefit": pa.array(df.benefit).dictionary_encode(),
            "activation": pa.array(df.activation),
            "amount_dkk": pa.array(df.amount_dkk, pa.float32()),
        }
    )
    path = tmp_path / "narrow.parquet"
    pq.write_table(table, path)
    data = json.loads(invoke(path, "--json").stdout)
    assert data["gross_dkk"] == EXPECTED["gross_dkk"] and data["persons"] == 2
