"""Panels larger than memory (issue 17): the engine run on partitions of persons gives the in-memory
engine's figures, from a CSV in any row order, a folder of Parquet files, with the same error
messages (file and line), and on a two-worker Dask cluster."""

import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.errors import InputError
from budgetmodel.financing import partitioned
from budgetmodel.financing.panel import read_panel_arrays
from budgetmodel.financing.partitioned import refund_summary_partitioned
from budgetmodel.financing.refund import refund_summary
from budgetmodel.financing.shares import load_refund_rates
from refund_reference import BENEFITS_ALL, random_panel, reference_rows


@pytest.fixture(scope="module")
def book():
    return load_refund_rates()


@pytest.fixture(scope="module")
def panel_df():
    df = random_panel(400, seed=1717)
    df["person_id"] = df["person_id"].map(lambda p: f"{p:07d}")  # CPR-like text ids
    return df.sample(frac=1.0, random_state=3).reset_index(drop=True)  # no order by person or week


def assert_same(a: dict, b: dict) -> None:
    """The partitioned summary is the in-memory one exactly: sums of integers (financing.exact) do
    not depend on the order of addition, so every krone and øre, by benefit, regime and year, agrees."""
    assert a == b


@pytest.mark.parametrize("k", [1, 2, 7])
def test_csv_in_any_order_equals_the_in_memory_engine(tmp_path, book, panel_df, k, monkeypatch):
    path = tmp_path / "panel.csv"
    panel_df.to_csv(path, index=False)
    monkeypatch.setattr(partitioned, "CSV_BLOCK_BYTES", 64 << 10)  # many batches
    whole = refund_summary(read_panel_arrays(path), book)
    parts = refund_summary_partitioned(path, book, partitions=k, tmp_dir=tmp_path)
    assert_same(parts, whole)
    assert whole["persons"] == 400 and whole["rows"] == len(panel_df)
    assert [p.name for p in tmp_path.iterdir()] == ["panel.csv"]  # the buckets are gone


def test_folder_of_parquet_files_is_one_panel(tmp_path, book, panel_df):
    table = pa.Table.from_pandas(panel_df, preserve_index=False)
    folder = tmp_path / "panel"
    folder.mkdir()
    idx = np.random.default_rng(9).permutation(len(panel_df))
    for i in range(5):  # a person's weeks spread over every file
        pq.write_table(table.take(pa.array(idx[i::5])), folder / f"del-{4 - i}.parquet")
    one = tmp_path / "one.parquet"
    pq.write_table(table, one)
    whole = refund_summary(read_panel_arrays(one), book)
    assert_same(refund_summary_partitioned(folder, book, partitions=3), whole)


def test_integer_ids_and_the_per_row_reference(tmp_path, book):
    df = random_panel(120, seed=4, benefits=BENEFITS_ALL)
    path = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path)
    got = refund_summary_partitioned(path, book, partitions=4)
    ref = reference_rows(df.to_dict("records"), book)
    assert abs(got["state_dkk"] - sum(r["state_dkk"] for r in ref)) < 0.01
    assert abs(got["municipal_dkk"] - sum(r["municipal_dkk"] for r in ref)) < 0.01
    assert got["persons"] == 120


def test_text_ids_stay_text_across_partitions(tmp_path, book):
    path = tmp_path / "p.csv"
    path.write_text(
        "person_id,week,benefit,activation,amount_dkk\n"
        "007,2016-W01,kontanthjaelp,none,1000\n7,2016-W02,kontanthjaelp,none,1000\n"
        " 7,2016-W03,kontanthjaelp,none,1000\n007,2016-W02,kontanthjaelp,none,1000\n",
        encoding="utf-8",
    )
    got = refund_summary_partitioned(path, book, partitions=5)
    assert got == refund_summary(read_panel_arrays(path), book)
    assert got["persons"] == 2


def test_errors_name_the_file_lines_of_every_batch_at_once(tmp_path, book, panel_df, monkeypatch):
    df = panel_df.head(3000).copy()
    df.loc[5, "week"] = "2016-W54"
    df.loc[1800, "benefit"] = "bistand"
    df.loc[2999, "amount_dkk"] = -1.0
    path = tmp_path / "bad.csv"
    text = df.to_csv(index=False).splitlines()
    text.insert(1000, "1,2,3")  # a malformed line shifts the later lines
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    monkeypatch.setattr(partitioned, "CSV_BLOCK_BYTES", 16 << 10)
    with pytest.raises(InputError) as whole:
        read_panel_arrays(path)
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(InputError) as parts:
        refund_summary_partitioned(path, book, partitions=3, tmp_dir=work)
    key = lambda p: (p.line or 0, p.field, p.message)  # noqa: E731
    assert sorted(parts.value.problems, key=key) == sorted(whole.value.problems, key=key)
    assert {p.line for p in parts.value.problems} == {1001, 7, 1803, 3002}
    assert list(work.iterdir()) == []  # cleaned up after the failure


def test_cli_chooses_partitions_for_a_folder_and_on_request(tmp_path, panel_df):
    path = tmp_path / "panel.csv"
    panel_df.to_csv(path, index=False)
    runner = CliRunner()
    whole = runner.invoke(app, ["refund", str(path), "--json", "--in-memory"])
    parts = runner.invoke(app, ["refund", str(path), "--json", "--partitions", "3"])
    tiny = runner.invoke(app, ["refund", str(path), "--json", "--memory", "0.1"])  # 0,1 GB: too small to hold it? then partitioned
    assert whole.exit_code == parts.exit_code == tiny.exit_code == 0, parts.output
    a, b = json.loads(whole.output), json.loads(parts.output)
    assert_same(b, a)
    assert json.loads(tiny.output)["rows"] == a["rows"]
    bad = runner.invoke(app, ["refund", str(path), "--partitions", "2", "--out", str(tmp_path / "rows.csv")])
    assert bad.exit_code == 1 and "--in-memory" in bad.output


def test_two_worker_dask_cluster_gives_identical_totals(tmp_path, book):
    distributed = pytest.importorskip("dask.distributed")
    df = random_panel(150, seed=21)
    folder = tmp_path / "panel"
    folder.mkdir()
    table = pa.Table.from_pandas(df, preserve_index=False)
    for i in range(3):
        pq.write_table(table.slice(i * len(df) // 3, len(df) // 3 + 1), folder / f"{i}.parquet")
    local = refund_summary_partitioned(folder, book, partitions=4)
    book = load_refund_rates()  # a fresh book, sent to the workers before anything is cached in it
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = refund_summary_partitioned(folder, book, partitions=4, client=client, tmp_dir=tmp_path)
    assert on_dask == local


def test_a_rate_book_works_after_pickling():
    """A Dask worker gets the book pickled: its lookups must not depend on object ids."""
    import pickle

    fresh = load_refund_rates()
    copy = pickle.loads(pickle.dumps(fresh))
    at = __import__("datetime").date(2017, 3, 1)
    assert copy.value("refusionstrappe", at, count_week=1) == 80
    assert copy.value("refusionstrappe_omfattede_ydelser", at, benefit="kontanthjaelp") == "refusion"  # a category table


def test_sums_are_exact_whatever_the_order_and_path(book, panel_df):
    """Each row's kroner in millionths, added as integers: the summary is the exact sum of the rows
    (any order, any split), and the --out path's summary is the summary path's."""
    from fractions import Fraction

    from budgetmodel.financing.panel import from_frame, validate_panel
    from budgetmodel.financing.refund import compute_refunds, summarise

    rows = compute_refunds(panel_df, book)
    summary = refund_summary(from_frame(validate_panel(panel_df)), book)
    shuffled = refund_summary(from_frame(validate_panel(panel_df.iloc[::-1].reset_index(drop=True))), book)
    assert summarise(rows) == summary == shuffled

    def micro(x: float) -> int:
        q = abs(x) * 1e6
        return (1 if x >= 0 else -1) * int(np.floor(q + 0.5))

    state = sum(micro(x) for x in rows["state_dkk"])
    gross = sum(micro(x) for x in rows["amount_dkk"])
    assert summary["state_dkk"] == float(round(Fraction(state, 10**6), 2))
    assert summary["municipal_dkk"] == float(round(Fraction(gross - state, 10**6), 2))


# ----------------------------------------------------------------------------- own extracts out of core (issue 14)

EX = partitioned.Path(__file__).resolve().parents[1] / "examples"


def _cli(*args):
    r = CliRunner().invoke(app, ["refund", *map(str, args), "--json"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_danish_extract_with_mapping_and_counts_at_start_gives_the_in_memory_totals():
    """The bundled semicolon extract (decimal commas, DST codes, a 2023 start with counts at start):
    out of core, with auto-detection, a forced format and in a folder, the totals of the in-memory run."""
    own = ("--kortlaegning", EX / "kortlaegning-dst.yaml", "--start-count", EX / "optaelling-ved-start.csv")
    whole = _cli(EX / "panel-eksempel-dansk.csv", *own, "--in-memory")
    for extra in ((), ("--csv-format", "dansk"), ("--partitions", "3"), ("--dansk-csv",)):
        parts = _cli(EX / "panel-eksempel-dansk.csv", *own, "--partitioned", *extra)
        for key in ("gross_dkk", "state_dkk", "municipal_dkk", "rows", "persons", "weeks", "by_benefit", "by_regime", "by_calendar_year", "warnings"):
            assert parts[key] == whole[key], (extra, key)
    assert whole["warnings"] == [] and whole["rows"] > 1000
    # the counts at start matter: without them the refund is higher, and a warning says why
    plain = _cli(EX / "panel-eksempel-dansk.csv", "--kortlaegning", EX / "kortlaegning-dst.yaml", "--partitioned")
    assert plain["state_dkk"] > whole["state_dkk"] and "--start-count" in plain["warnings"][0]
    # the same extract in standard form prices the same, also out of core
    std = _cli(EX / "panel-eksempel.csv", "--start-count", EX / "optaelling-ved-start.csv", "--partitioned")
    assert std["state_dkk"] == whole["state_dkk"]


def test_mapped_parquet_folder_out_of_core(tmp_path, book):
    from budgetmodel.financing.panel import read_panel_arrays as read
    from budgetmodel.financing.panel_input import load_mapping, read_start_counts

    mapping = load_mapping(EX / "kortlaegning-dst.yaml")
    counts = read_start_counts(EX / "optaelling-ved-start.csv")
    whole = refund_summary(read(EX / "panel-eksempel-dansk.csv", mapping=mapping), book, start_counts=counts)
    import pandas as pd

    df = pd.read_csv(EX / "panel-eksempel-dansk.csv", sep=";", dtype=str)
    df["beloeb"] = df["beloeb"].str.replace(".", "", regex=False).str.replace(",", ".", regex=False).astype(float)
    folder = tmp_path / "udtraek"
    folder.mkdir()
    for i in range(3):
        pq.write_table(pa.Table.from_pandas(df.iloc[i::3], preserve_index=False), folder / f"del{i}.parquet")
    got = refund_summary_partitioned(folder, book, partitions=2, mapping=mapping, start_counts=counts)
    assert_same(got, whole)
    assert got["by_calendar_year"] == whole["by_calendar_year"]


def test_counts_at_start_for_a_panel_from_before_the_origin_are_refused_out_of_core(tmp_path, book):
    from budgetmodel.financing.panel_input import StartCounts

    df = random_panel(30, seed=5, first="2014-W01", weeks=60)
    path = tmp_path / "p.csv"
    df.to_csv(path, index=False)
    counts = StartCounts({str(df["person_id"].iloc[0]): 4}, "start.csv")
    with pytest.raises(InputError) as a:
        refund_summary(read_panel_arrays(path), book, start_counts=counts)
    with pytest.raises(InputError) as b:
        refund_summary_partitioned(path, book, partitions=5, start_counts=counts)
    assert str(a.value) == str(b.value) and "start.csv: [count_weeks] panelet starter i 2014-W01" in str(b.value)
