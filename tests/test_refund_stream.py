"""One pass without a sort (financing.stream): the summary of a panel priced row by row in the file's
own order equals the sorting in-memory path's (the same exact integers, so `==`), whatever the
order of persons, with a person's rows of a week split by other persons' rows, a person split
across blocks, ids with leading zeros or spaces, a Danish CSV and integer ids in Parquet; a panel
it cannot price as the sorting path would (a person's weeks out of order, a problem in a row) is
declined (None) and the CLI takes the sorting path with its messages."""

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from budgetmodel import jit
from budgetmodel.cli import app, passivity_opt, refund_cmd
from budgetmodel.financing import stream
from budgetmodel.financing.panel import read_panel_arrays
from budgetmodel.financing.refund import refund_summary
from budgetmodel.financing.shares import load_refund_rates
from budgetmodel.financing.stream import stream_summary
from refund_reference import SUBSIDISED, random_panel


@pytest.fixture(scope="module")
def book():
    return load_refund_rates()


def sorting_path(path, book, csv_format="auto", mapping=None, at=None) -> dict:
    """What `budgetmodel refund --in-memory --json` computes (without the CLI's file keys)."""
    arrays = read_panel_arrays(path, csv_format, mapping)
    out = refund_summary(arrays, book)
    out["passive_share"] = passivity_opt.in_memory(arrays, at)
    return out


def by_week(df: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Rows ordered by week, in a random order within each week (a register extract sorted by week):
    a person's rows of one week are split by other persons' rows."""
    rng = np.random.default_rng(seed)
    order = np.lexsort((rng.random(len(df)), df["week"].to_numpy().astype(str)))  # 'YYYY-Www' sorts as time
    return df.iloc[order].reset_index(drop=True)


@pytest.fixture(scope="module")
def panel_df():
    df = random_panel(300, seed=1718, subsidised=0.4)
    # a subsidised-employment row in some benefit weeks too: the week's count is decided by its
    # first benefit row, whichever comes first
    rng = np.random.default_rng(5)
    extra = df[(df["benefit"] != SUBSIDISED) & (rng.random(len(df)) < 0.05)].assign(benefit=SUBSIDISED, activation="none", amount_dkk=0.0)
    df = pd.concat([df, extra], ignore_index=True)
    df["person_id"] = df["person_id"].map(lambda p: f"{p - 1000:07d}")  # '0000000', '0000001', …: leading zeros
    return by_week(df, seed=11)


def test_rows_by_week_give_the_sorting_paths_summary(tmp_path, book, panel_df, monkeypatch):
    path = tmp_path / "p.csv"
    panel_df.to_csv(path, index=False)
    monkeypatch.setattr(stream, "STREAM_BLOCK_BYTES", 32 << 10)  # many blocks: every person split across them
    got = stream_summary(path, book)
    assert got is not None
    assert got == sorting_path(path, book)
    assert got["persons"] == 300 and got["rows"] == len(panel_df)
    assert got["passive_share"]["computed"]


@pytest.mark.parametrize("small_rows", [0, 10**9], ids=["compiled", "python"])
def test_compiled_and_plain_python_kernels_agree(tmp_path, book, panel_df, monkeypatch, small_rows):
    path = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pandas(panel_df, preserve_index=False), path)
    monkeypatch.setattr(jit, "SMALL_ROWS", small_rows)
    assert stream_summary(path, book) == sorting_path(path, book)


def test_grouped_by_person_and_integer_ids_in_parquet(tmp_path, book):
    df = random_panel(150, seed=3, subsidised=0.3)  # integer ids, grouped by person, weeks ascending
    path = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=500)
    got = stream_summary(path, book)
    assert got is not None and got == sorting_path(path, book)
    assert got["persons"] == 150


def test_ids_with_spaces_and_leading_zeros(tmp_path, book):
    """' 007' is '007' (stripped, as the sorting path does); '007' and '7' are two persons; an id that is
    not digits goes through the text table."""
    path = tmp_path / "p.csv"
    path.write_text(
        "person_id,week,benefit,activation,amount_dkk\n"
        "007,2017-W01,kontanthjaelp,none,1000.50\n"
        "7,2017-W01,kontanthjaelp,none,2000\n"
        "AB-12,2017-W01,dagpenge,none,3000\n"
        " 007,2017-W02,kontanthjaelp,none,1000.50\n"
        "7 ,2017-W03,kontanthjaelp,none,2000\n"
        "AB-12,2017-W02,dagpenge,none,3000\n"
        "123456789012345678901,2017-W02,sygedagpenge,none,10\n"
    )
    got = stream_summary(path, book)
    assert got is not None and got == sorting_path(path, book)
    assert got["persons"] == 4


def test_danish_csv_with_a_mapping(tmp_path, book):
    path = tmp_path / "udtraek.csv"
    path.write_text(
        "cpr;uge;ydelse;indsats;beloeb\n"
        "0101;2017-W01;KH;ingen;1.234,56\n"
        "0202;2017-W01;DP;ingen;2.000,00\n"
        "0101;2017-W02;KH;praktik;1.234,56\n"
        "0202;2017-W03;DP;ingen;1.999,99\n"
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "kind: code-mapping\nname: Testby\nsource: kodeliste (eksempel til testen)\n"
        "columns: {cpr: person_id, uge: week, ydelse: benefit, indsats: activation, beloeb: amount_dkk}\n"
        "benefit: {KH: kontanthjaelp, DP: dagpenge}\nactivation: {ingen: none, praktik: virksomhedspraktik}\n"
    )
    from budgetmodel.financing.panel_input import load_mapping

    loaded = load_mapping(mapping)
    got = stream_summary(path, book, mapping=loaded)
    assert got is not None and got == sorting_path(path, book, mapping=loaded)
    assert got["gross_dkk"] == 1234.56 * 2 + 2000 + 1999.99


def test_a_persons_week_out_of_order_is_declined(tmp_path, book, panel_df):
    df = panel_df.sample(frac=1.0, random_state=2)  # no order at all
    path = tmp_path / "p.csv"
    df.to_csv(path, index=False)
    assert stream_summary(path, book) is None


@pytest.mark.parametrize(
    "row",
    [
        "0000001,2017-W30,kontanthjaelp,none,-5",  # negative amount
        "0000001,2017-W30,kontanthjaelp,none,",  # missing amount
        "0000001,2017-W30,ukendt,none,5",  # unknown benefit
        "0000001,1990-W30,kontanthjaelp,none,5",  # outside the law
        "0000001,2017-W30,kontanthjaelp,none",  # a field short
        "NA,2017-W30,kontanthjaelp,none,5",  # a spreadsheet's empty cell
        f"0000001,2017-W30,{SUBSIDISED},none,5",  # subsidised employment with an amount
    ],
)
def test_a_row_with_a_problem_is_declined_and_the_cli_names_it(tmp_path, book, panel_df, row, monkeypatch):
    path = tmp_path / "p.csv"
    panel_df.to_csv(path, index=False)
    with path.open("a") as fh:
        fh.write(row + "\n")
    assert stream_summary(path, book) is None
    monkeypatch.setattr(refund_cmd, "_streams", lambda p: True)
    runner = CliRunner()
    streamed = runner.invoke(app, ["refund", str(path), "--json"])
    in_memory = runner.invoke(app, ["refund", str(path), "--json", "--in-memory"])
    assert streamed.exit_code == in_memory.exit_code == 1
    assert streamed.output == in_memory.output and f"p.csv:{len(panel_df) + 2}" in streamed.output


def test_the_cli_streams_and_gives_the_in_memory_json(tmp_path, panel_df, monkeypatch):
    path = tmp_path / "p.csv"
    panel_df.to_csv(path, index=False)
    used = []
    real = stream.stream_summary

    def spy(*a, **k):
        used.append(real(*a, **k))
        return used[-1]

    monkeypatch.setattr(refund_cmd, "_streams", lambda p: True)
    monkeypatch.setattr(stream, "stream_summary", spy)
    runner = CliRunner()
    for extra in ([], ["--passivandel-uge", "2017-W40"]):
        streamed = runner.invoke(app, ["refund", str(path), "--json", *extra])
        in_memory = runner.invoke(app, ["refund", str(path), "--json", "--in-memory", *extra])
        assert streamed.exit_code == 0, streamed.output
        assert json.loads(streamed.output) == json.loads(in_memory.output)
        assert used[-1] is not None  # it was the stream that priced it
    assert json.loads(streamed.output)["passive_share"]["reference_week"] == "2017-W40"


def test_a_memory_budget_too_small_for_the_persons_is_declined(tmp_path, book, panel_df):
    path = tmp_path / "p.csv"
    panel_df.to_csv(path, index=False)
    assert stream_summary(path, book, memory=1000) is None


def test_codes_with_spaces_are_left_to_the_sorting_path(tmp_path, book, monkeypatch):
    """' dagpenge' and '2014-W02 ' are read (stripped) by the sorting path; the stream reads code
    columns exactly, so it declines and the CLI gives the sorting path's figures."""
    path = tmp_path / "p.csv"
    path.write_text(
        "person_id,week,benefit,activation,amount_dkk\n"
        "1,2014-W01,dagpenge,none,100\n"
        "1,2014-W02 , dagpenge,none,100\n"
        "2,2014-W02,kontanthjaelp,virksomhedspraktik ,50\n"
    )
    assert stream_summary(path, book) is None
    monkeypatch.setattr(refund_cmd, "_streams", lambda p: True)
    runner = CliRunner()
    streamed = runner.invoke(app, ["refund", str(path), "--json"])
    assert streamed.exit_code == 0, streamed.output
    assert json.loads(streamed.output) == json.loads(runner.invoke(app, ["refund", str(path), "--json", "--in-memory"]).output)
    assert json.loads(streamed.output)["rows"] == 3
