"""Projection: Little's law, the geometric steady state, effects, inflow and level paths."""

import datetime as dt

import numpy as np
import pytest

from budgetmodel.errors import InputError
from budgetmodel.forecast import synthetic as sy
from budgetmodel.forecast.assumptions import load_assumptions
from budgetmodel.forecast.estimate import estimate
from budgetmodel.forecast.project import Paths, effect_factors, inflow_path, level_path, paths_for, project
from budgetmodel.forecast.spells import week_number

BENEFITS = ("kontanthjaelp", "sygedagpenge", "dagpenge")
ACTS = ("none", "virksomhedspraktik", "loentilskud")
W0 = week_number(dt.date(2017, 1, 2))


def expected_duration(hazard_by_week, horizon=20000):
    """E[T] = Σ_{s≥0} S(s), summed week by week far into the tail (independent of the cap)."""
    h = np.array(list(hazard_by_week) + [hazard_by_week[-1]] * (horizon - len(hazard_by_week)))
    return 1.0 + np.cumprod(1 - h)[:-1].sum()


def test_littles_law_steady_state_stock_is_inflow_times_expected_duration():
    cap = 30
    h = np.concatenate([np.full(4, 0.2), np.full(22, 0.07), np.full(cap - 26, 0.025)])
    lam = np.array([37.0, 0.0, 12.5])
    hz = np.stack([h, h, h * 2])
    n = 3000
    paths = Paths(
        start=0, initial=np.zeros((3, cap)), inflow=np.tile(lam, (n, 1)), hazard=np.tile(hz, (n, 1, 1)), level=np.ones((n, 3))
    )
    stock = project(paths)[-1]
    assert stock[0].sum() == pytest.approx(lam[0] * expected_duration(h), rel=1e-10)
    assert stock[2].sum() == pytest.approx(lam[2] * expected_duration(h * 2), rel=1e-10)
    assert stock[1].sum() == 0


def test_constant_hazard_steady_state_is_geometric():
    cap, p, lam = 60, 0.05, 20.0
    n = 2000
    paths = Paths(0, np.zeros((1, cap)), np.full((n, 1), lam), np.full((n, 1, cap), p), np.ones((n, 1)))
    x = project(paths)[-1, 0]
    assert np.allclose(x[: cap - 1], lam * (1 - p) ** np.arange(cap - 1), rtol=1e-12)
    assert x.sum() == pytest.approx(lam / p, rel=1e-12)  # E[T] = 1/p weeks


def test_forecast_from_a_panel_reproduces_the_known_stock(tmp_path):
    """Known inflow 50/week and exit rate 0.04: the stock settles at 50/0.04 = 1.250 persons."""
    pan = sy.simulate(
        {"kontanthjaelp": sy.BenefitSpec(50, (0.04,), 3000.0)}, W0, 156, benefits=BENEFITS, activations=ACTS, seed=2, burn_in_weeks=400
    )
    est = estimate(pan, cap=104, window_weeks=52)
    loaded = load_assumptions()
    paths = paths_for(est, loaded, est.last_week + 1, 52 * 30)
    final = project(paths)[-1, 0].sum()
    # truth 1250; the estimate's own error: inflow ±2 %, hazard ±3 % (one panel, 3 years)
    assert final == pytest.approx(1250, rel=0.05)
    # and the stock the projection starts from is the panel's: 1.250 ± noise
    assert est.stock[0].sum() == pytest.approx(1250, rel=0.1)


def write(tmp_path, text):
    p = tmp_path / "a.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def small_estimate():
    pan = sy.simulate(
        {"kontanthjaelp": sy.BenefitSpec(30, (0.05,), 3000.0, {"none": 0.75, "virksomhedspraktik": 0.25})},
        W0,
        104,
        benefits=BENEFITS,
        activations=ACTS,
        seed=4,
    )
    return estimate(pan, cap=60, window_weeks=52)


def test_effect_multiplies_the_hazard_on_the_activation_share(tmp_path):
    est = small_estimate()
    f = write(
        tmp_path,
        """
forecast:
  effects:
    - name: Virksomhedsrettede tilbud
      benefits: [kontanthjaelp]
      activations: [virksomhedspraktik, loentilskud]
      weeks: "13-52"
      exit_hazard_multiplier: 1.1
    - name: Alle dagpengemodtagere fra 2020
      benefits: [dagpenge]
      weeks: "1+"
      exit_hazard_multiplier: 1.5
      valid_from: 2020-01-08
""",
    )
    loaded = load_assumptions(f)
    weeks = np.arange(week_number(dt.date(2019, 12, 30)), week_number(dt.date(2019, 12, 30)) + 4)
    fac = effect_factors(est, loaded, weeks)
    k, d = 0, 2
    share = est.activation_mix[k, :, 1] + est.activation_mix[k, :, 2]
    assert np.allclose(fac[:, k, 12:52], 1 + 0.1 * share[12:52])
    assert np.all(fac[:, k, :12] == 1) and np.all(fac[:, k, 52:] == 1)
    assert 0.2 < share[12:52].mean() < 0.3
    # the dagpenge effect starts with the first week beginning on or after 8 January 2020:
    # the hazard of projected week t moves the stock of week t−1, so from t = 13 January + 1 week
    assert np.all(fac[:3, d] == 1) and np.all(fac[3, d] == 1.5)


def test_effect_band_must_not_cut_the_pooled_week(tmp_path):
    est = small_estimate()
    f = write(tmp_path, "forecast:\n  effects:\n    - {name: x, weeks: '13-60', exit_hazard_multiplier: 1.1}\n")
    with pytest.raises(InputError) as exc:
        effect_factors(est, load_assumptions(f), np.arange(3))
    (p,) = exc.value.problems
    assert p.line == 3 and p.field == "forecast.effects.0.weeks" and "duration_cap_weeks" in p.message


def test_inflow_growth_and_given_paths(tmp_path):
    est = small_estimate()
    f = write(
        tmp_path,
        """
forecast:
  inflow:
    window_weeks: 26
    growth_pct_per_year: {"*": 10}
    weekly:
      dagpenge: {2019: 7, 2020: 9}
      sygedagpenge: 4.5
""",
    )
    loaded = load_assumptions(f)
    start = est.last_week + 1
    path = inflow_path(est, loaded, start, 60)
    base = est.inflow[0, -26:].mean()
    assert path[0, 0] == pytest.approx(base * 1.1 ** (1 / 52))
    assert path[51, 0] == pytest.approx(base * 1.1)
    assert np.all(path[:, 1] == 4.5)
    assert set(path[:, 2]) == {7.0, 9.0}
    with pytest.raises(InputError) as exc:
        inflow_path(est, loaded, start, 200)  # runs into 2021, not given
    assert "2021" in exc.value.problems[0].message and exc.value.problems[0].line == 7
    lv = level_path(est, load_assumptions(write(tmp_path, "forecast:\n  benefit_level: {weekly_dkk: {kontanthjaelp: 1000}, growth_pct_per_year: {kontanthjaelp: 2}}\n")), start, 53)
    assert lv[51, 0] == pytest.approx(1020.0)


def test_bad_assumptions_report_every_problem_with_its_line(tmp_path):
    f = write(
        tmp_path,
        """forecast:
  duration_cap_weeks: 1
  inflow:
    window_weeks: 0
  effects:
    - {name: x, weeks: 'tretten', exit_hazard_multiplier: -1}
  bootstrap: {replicates: 10, seed: 1, level_pct: 100, extra: 1}
""",
    )
    with pytest.raises(InputError) as exc:
        load_assumptions(f)
    got = {(p.line, p.field) for p in exc.value.problems}
    assert (2, "forecast.duration_cap_weeks") in got
    assert (4, "forecast.inflow.window_weeks") in got
    assert (6, "forecast.effects.0.weeks") in got
    assert (6, "forecast.effects.0.exit_hazard_multiplier") in got
    assert (7, "forecast.bootstrap.level_pct") in got
    assert (7, "forecast.bootstrap.extra") in got
    assert all(p.file == str(f) for p in exc.value.problems)
