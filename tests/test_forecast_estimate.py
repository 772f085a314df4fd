"""Estimation: the life table reproduces known exit curves; censoring does not bias it."""

import datetime as dt

import numpy as np
import pytest

from budgetmodel.forecast import synthetic as sy
from budgetmodel.forecast.estimate import estimate
from budgetmodel.forecast.spells import build_spells, week_number

BENEFITS = ("kontanthjaelp", "sygedagpenge", "dagpenge")
ACTS = ("none", "virksomhedspraktik", "loentilskud")
W0 = week_number(dt.date(2017, 1, 2))


def panel(specs, n_weeks, seed, **kw):
    return sy.simulate(specs, W0, n_weeks, benefits=BENEFITS, activations=ACTS, seed=seed, **kw)


def greenwood_se(life, b, upto):
    h, n = life.hazard[b, :upto], life.at_risk[b, :upto]
    s = np.cumprod(1 - h)
    return s * np.sqrt(np.cumsum(h / (n * (1 - h))))


def test_constant_exit_rate_gives_the_geometric_curve():
    p = 0.08
    pan = panel({"kontanthjaelp": sy.BenefitSpec(150, (p,), 3000.0)}, 156, seed=11)
    est = estimate(pan, cap=60, window_weeks=52)
    life = est.life
    truth = (1 - p) ** np.arange(1, 53)
    km = life.survival[0, :52]
    se = greenwood_se(life, 0, 52)
    assert np.all(np.abs(km - truth) < 4 * se), np.max(np.abs(km - truth) / se)
    # the pooled cell (weeks 60+) estimates the same constant hazard
    assert life.hazard[0, -1] == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / life.at_risk[0, -1]))
    # the counts behind the estimates: every fresh spell is at risk in week 1 (unless it is
    # cut by the panel's end in that week), and each one either exits or is censored
    s = build_spells(pan)
    fresh = ~s.left_censored
    assert life.at_risk[0, 0] == (fresh & ~(s.right_censored & (s.length == 1))).sum()
    assert life.at_risk[0, 1] == (fresh & (s.length - s.right_censored >= 2)).sum()
    assert life.exits[0, :59].sum() + (fresh & (s.length >= 60) & ~s.right_censored).sum() + (fresh & s.right_censored).sum() == fresh.sum()
    assert not life.extrapolated[0].any()


def test_right_censoring_does_not_bias_the_curve():
    """A one-year panel cuts most long spells; the life table still finds the true curve,
    while the naive curve that takes every observed end for an exit is far off."""
    truth_h = (0.15,) * 4 + (0.06,) * 22 + (0.03,)
    pan = panel({"sygedagpenge": sy.BenefitSpec(200, truth_h, 4000.0)}, 52, seed=5)
    est = estimate(pan, cap=40, window_weeks=52)
    b = BENEFITS.index("sygedagpenge")
    life = est.life
    upto = 30
    h = np.array(truth_h + (0.03,) * upto)[:upto]
    truth = np.cumprod(1 - h)
    km = life.survival[b, :upto]
    se = greenwood_se(life, b, upto)
    assert np.all(np.abs(km - truth) < 4 * se)
    # no bias: over independent panels the error at week 26 averages out to within its noise
    errs, ses = [], []
    for seed in range(20, 28):
        other = estimate(panel({"sygedagpenge": sy.BenefitSpec(60, truth_h, 4000.0)}, 52, seed=seed), cap=40, window_weeks=52).life
        errs.append(other.survival[b, 25] - truth[25])
        ses.append(greenwood_se(other, b, 26)[-1])
    assert abs(np.mean(errs)) < 3 * np.mean(ses) / np.sqrt(len(errs))
    # naive: the observed lengths as if all were complete
    s = build_spells(pan)
    fresh = ~s.left_censored
    lengths = s.length[fresh]
    naive = np.array([(lengths > k).mean() for k in range(1, upto + 1)])
    assert np.max(np.abs(naive - truth)) > 10 * np.max(se)


def test_left_censored_spells_are_kept_out_of_the_early_weeks():
    """With a long burn-in, the panel starts with a stock of unknown duration; counting their
    weeks from the panel's start would bias the early hazards; leaving them out does not."""
    truth_h = (0.2,) * 8 + (0.02,)
    pan = panel({"kontanthjaelp": sy.BenefitSpec(120, truth_h, 3000.0)}, 104, seed=7, burn_in_weeks=300)
    est = estimate(pan, cap=30, window_weeks=52)
    life = est.life
    h = np.array(truth_h + (0.02,) * 30)[:29]
    se_h = np.sqrt(h * (1 - h) / life.at_risk[0, :29])
    assert np.all(np.abs(life.hazard[0, :29] - h) < 4.5 * se_h)
    # the pooled cell uses the left-censored spells' weeks from position 30 on as well
    s = build_spells(pan)
    assert s.left_censored.sum() > 1000
    assert life.hazard[0, -1] == pytest.approx(0.02, abs=4 * np.sqrt(0.02 / life.at_risk[0, -1]))
    assert est.stock_left_censored[0] > 0


def test_inflow_stock_levels_and_mix():
    pan = panel(
        {
            "kontanthjaelp": sy.BenefitSpec(40, (0.05,), 3100.0, {"none": 0.6, "virksomhedspraktik": 0.4}),
            "dagpenge": sy.BenefitSpec(25, (0.1,), 4200.0, {"none": 0.5, "loentilskud": 0.5}),
        },
        80,
        seed=3,
        exact_inflow=True,
    )
    est = estimate(pan, cap=20, window_weeks=52)
    k, d = BENEFITS.index("kontanthjaelp"), BENEFITS.index("dagpenge")
    # exact inflow: 40 and 25 new spells every week after the first
    assert np.all(est.inflow[k] == 40) and np.all(est.inflow[d] == 25)
    assert est.inflow.shape[1] == 79
    assert est.mean_inflow(52)[k] == 40
    assert est.level_dkk_per_week[k] == pytest.approx(3100.0)
    assert est.level_dkk_per_week[d] == pytest.approx(4200.0)
    # the stock in the last week, by benefit: everyone with a row that week
    last = pan.week == pan.last_week
    assert est.stock[k].sum() == np.sum(last & (pan.benefit == k))
    assert est.stock[d].sum() == np.sum(last & (pan.benefit == d))
    # in week 1 of duration the stock is that week's inflow
    assert est.stock[k, 0] == 40
    mix = est.activation_mix
    assert mix[k, :, ACTS.index("virksomhedspraktik")].mean() == pytest.approx(0.4, abs=0.03)
    assert np.allclose(mix.sum(axis=2), 1.0)
    # benefits absent from the panel take the neutral mix and zero level, never NaN
    s = BENEFITS.index("sygedagpenge")
    assert est.level_dkk_per_week[s] == 0 and np.all(mix[s, :, 0] == 1.0)
    assert not est.life.estimable[s]
