"""Bootstrap intervals (seeded, reproducible) and the backtest's errors against the panel."""

import datetime as dt

import numpy as np
import pytest

from budgetmodel.errors import InputError
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, validate_panel
from budgetmodel.financing.refund import compute_refunds
from budgetmodel.forecast import synthetic as sy
from budgetmodel.forecast.assumptions import load_assumptions
from budgetmodel.forecast.backtest import backtest
from budgetmodel.forecast.engine import PricedPanel, run_forecast
from budgetmodel.forecast.report import backtest_json, intervals
from budgetmodel.forecast.spells import week_number
from budgetmodel.rates import load_rates

SPECS = {
    "kontanthjaelp": sy.BenefitSpec(15, (0.05,), 3000.0, {"none": 0.7, "virksomhedspraktik": 0.3}),
    "sygedagpenge": sy.BenefitSpec(20, (0.15,) * 6 + (0.06,), 4000.0),
}


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.fixture(scope="module")
def panel(book):
    p = sy.simulate(SPECS, week_number(dt.date(2017, 1, 2)), 156, benefits=BENEFITS, activations=ACTIVATIONS, seed=21, burn_in_weeks=300)
    df = validate_panel(sy.to_frame(p))
    return df, PricedPanel.from_frame(df, book)


def with_seed(tmp_path, seed, reps=40):
    f = tmp_path / f"s{seed}.yaml"
    f.write_text(f"forecast:\n  bootstrap: {{replicates: {reps}, seed: {seed}, level_pct: 90}}\n", encoding="utf-8")
    return load_assumptions(f)


def test_bootstrap_is_reproducible_with_a_seed(book, panel, tmp_path):
    _, pp = panel
    a = run_forecast(pp, book, with_seed(tmp_path, 7), 2)
    b = run_forecast(pp, book, with_seed(tmp_path, 7), 2)
    c = run_forecast(pp, book, with_seed(tmp_path, 8), 2)
    for y in a.horizon.years:
        for k in ("person_weeks", "gross", "state"):
            assert np.array_equal(a.replicates[y][k], b.replicates[y][k])
            assert a.replicates[y][k].shape == (40, len(BENEFITS))
        assert intervals(a, y) == intervals(b, y)
        assert not np.array_equal(a.replicates[y]["gross"], c.replicates[y]["gross"])


def test_intervals_bracket_the_replicates_and_the_truth(book, panel, tmp_path):
    """90 pct. percentile intervals; the known steady state (15/0,05 + 20·E[T]) lies inside."""
    _, pp = panel
    res = run_forecast(pp, book, with_seed(tmp_path, 3, reps=100), 3)
    h = np.array((0.15,) * 6 + (0.06,) * 2000)
    expected_weeks = 1 + np.cumprod(1 - h)[:-1].sum()
    truth = 15 / 0.05 + 20 * expected_weeks
    y = res.horizon.years[-1]
    iv = intervals(res, y)
    assert iv["helaarspersoner"]["low"] < truth < iv["helaarspersoner"]["high"]
    tot = res.replicates[y]["person_weeks"].sum(axis=1) / 52
    assert iv["helaarspersoner"]["low"] >= tot.min() - 0.01 and iv["helaarspersoner"]["high"] <= tot.max() + 0.01
    assert iv["municipal_dkk"]["low"] < iv["municipal_dkk"]["high"]


def test_backtest_compares_the_held_out_year_with_the_panel(book, panel):
    df, pp = panel
    bt = backtest(pp, book, load_assumptions())
    assert bt.horizon.years == (2019,)
    # 2019-W01 begins Monday 31 December 2018 and the panel ends Sunday 29 December 2019:
    # 6 + 51 × 7 = 363 days of 2019 are compared
    assert bt.days == {2019: 363}
    doc = backtest_json(bt)
    assert doc["estimated_through"] == "2018-W52"
    assert doc["forecast_weeks"] == {"first": "2019-W01", "last": "2019-W52"}
    (year,) = doc["years"]
    # the actual side is the panel itself, through the refund engine
    rows = compute_refunds(df, book)
    held = rows[rows["week"].astype(str).str.startswith("2019")]
    w01 = held[held["week"].astype(str) == "2019-W01"]  # one of its days (31 December) is 2018's
    assert year["actual"]["helaarspersoner"] == pytest.approx((7 * len(held) - len(w01)) / 365, abs=0.005)
    assert year["actual"]["gross_dkk"] == round(held["amount_dkk"].sum() - w01["amount_dkk"].sum() / 7)
    assert year["actual"]["state_dkk"] == round(held["state_dkk"].sum() - w01["state_dkk"].sum() / 7)
    # a stationary panel: the forecast of the held-out year is close, and the error is forecast − actual
    for k in ("helaarspersoner", "gross_dkk", "state_dkk", "municipal_dkk"):
        assert abs(year["error_pct"][k]) < 5
        assert year["error"][k] == pytest.approx(year["forecast"][k] - year["actual"][k], abs=1)
    assert set(year["by_benefit"]) == {"kontanthjaelp", "sygedagpenge"}


def test_backtest_needs_weeks_to_estimate_on(book, panel, tmp_path):
    _, pp = panel
    f = tmp_path / "h.yaml"
    f.write_text("forecast:\n  backtest: {holdout_years: 3}\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        backtest(pp, book, load_assumptions(f))
    (p,) = exc.value.problems
    assert p.field == "forecast.backtest.holdout_years" and p.line == 2
