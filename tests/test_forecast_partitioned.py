"""`forecast` out of core (issue 17): a panel priced and counted in partitions of persons, from a CSV
in any row order or a folder of Parquet files, gives the in-memory forecast exactly — estimate,
projection, bootstrap intervals and backtest — and the same again on a two-worker Dask cluster."""

import datetime as dt
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS
from budgetmodel.forecast import synthetic as sy
from budgetmodel.forecast.bootstrap import person_weights
from budgetmodel.forecast.spells import week_number

SPECS = {
    "kontanthjaelp": sy.BenefitSpec(8, (0.05,), 3000.0, {"none": 0.7, "virksomhedspraktik": 0.3}),
    "dagpenge": sy.BenefitSpec(6, (0.08,), 4300.0, {"none": 0.6, "loentilskud": 0.4}),
}
runner = CliRunner()


@pytest.fixture(scope="module")
def frame():
    p = sy.simulate(SPECS, week_number(dt.date(2017, 1, 2)), 130, benefits=BENEFITS, activations=ACTIVATIONS, seed=7, burn_in_weeks=200, reentry=sy.Reentry(0.3, 6))
    df = sy.to_frame(p)
    assert isinstance(df["person_id"].iloc[0], str)  # text ids, as in an extract
    return df.sample(frac=1.0, random_state=11).reset_index(drop=True)  # no order by person or week


def forecast(*args) -> dict:
    r = runner.invoke(app, ["forecast", *map(str, args), "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_partitions_give_the_in_memory_forecast_exactly(tmp_path, frame):
    path = tmp_path / "panel.csv"
    frame.to_csv(path, index=False)
    args = (path, "--years", 3, "--bootstrap", 30, "--backtest", "--curves")
    whole = forecast(*args, "--in-memory")
    assert whole["panel"]["persons"] == frame["person_id"].nunique() and whole["years"][0]["intervals"]
    assert whole["backtest"]["years"] and whole["estimation"]
    for k in (1, 3, 7):
        parts = forecast(*args, "--partitions", k)
        assert parts == whole, k
    assert [p.name for p in tmp_path.iterdir()] == ["panel.csv"]  # the buckets are gone


def test_folder_of_parquet_files_and_dask(tmp_path, frame):
    distributed = pytest.importorskip("dask.distributed")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    one = tmp_path / "one.parquet"
    pq.write_table(table, one)
    folder = tmp_path / "panel"
    folder.mkdir()
    idx = np.random.default_rng(5).permutation(len(frame))
    for i in range(4):  # a person's weeks spread over every file
        pq.write_table(table.take(pa.array(idx[i::4])), folder / f"del-{i}.parquet")
    args = ("--years", 2, "--bootstrap", 20)
    whole = forecast(one, *args, "--in-memory")
    parts = forecast(folder, *args)  # a folder is always partitioned
    parts["panel"]["file"] = whole["panel"]["file"]
    assert parts == whole
    from budgetmodel.forecast.assumptions import load_assumptions
    from budgetmodel.forecast.partitioned import forecast_partitioned
    from budgetmodel.forecast.report import forecast_json
    from budgetmodel.rates import load_rates

    from budgetmodel.cli.passivity_opt import Collector

    book = load_rates()
    passive = Collector(None, str(folder))  # the passive share's counts run as Dask tasks, too
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        result, info, _ = forecast_partitioned(folder, book, load_assumptions(), 2, replicates=20, partitions=3, client=client, tmp_dir=tmp_path, on_buckets=passive)
    on_dask = json.loads(json.dumps({**forecast_json(result, info, book), "passive_share": passive.block}))
    on_dask["panel"]["file"] = whole["panel"]["file"]
    assert on_dask == whole


def test_bootstrap_weights_follow_the_person_not_the_row_order():
    """Poisson(1) weights from the id's hash: the same person gets the same weight in a replicate
    whatever else is in the panel; mean and variance ≈ 1."""
    keys = np.arange(200_000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    w = person_weights(keys, seed=3, replicate=0)
    assert abs(w.mean() - 1) < 0.01 and abs(w.var() - 1) < 0.02 and w.min() == 0
    np.testing.assert_array_equal(person_weights(keys[::-1], 3, 0), w[::-1])
    assert not np.array_equal(person_weights(keys, 3, 1), w) and not np.array_equal(person_weights(keys, 4, 0), w)
