"""The vectorised estimation and projection agree with the plain-Python reference."""

import datetime as dt

import numpy as np

from budgetmodel.forecast import synthetic as sy
from budgetmodel.forecast.estimate import estimate
from budgetmodel.forecast.project import Paths, project
from budgetmodel.forecast.spells import week_number

import forecast_reference as ref

BENEFITS = ("kontanthjaelp", "sygedagpenge", "dagpenge")
ACTS = ("none", "virksomhedspraktik")


def test_estimation_matches_the_reference():
    specs = {
        "kontanthjaelp": sy.BenefitSpec(6, (0.05,), 3000.0),
        "sygedagpenge": sy.BenefitSpec(9, (0.2,) * 4 + (0.05,), 4000.0),
        "dagpenge": sy.BenefitSpec(4, (0.07,), 4300.0),
    }
    # burn-in (left-censored spells), re-entries onto other benefits (same person, several spells)
    pan = sy.simulate(specs, week_number(dt.date(2017, 1, 2)), 70, benefits=BENEFITS, activations=ACTS, seed=9, burn_in_weeks=80,
                      reentry=sy.Reentry(0.6, 3, {"kontanthjaelp": 0.5, "dagpenge": 0.5}))
    cap = 20
    est = estimate(pan, cap=cap, window_weeks=52)
    r = ref.estimate(zip(pan.person.tolist(), pan.week.tolist(), pan.benefit.tolist()), pan.first_week, pan.last_week, cap)
    nb = len(BENEFITS)
    at_risk = np.zeros((nb, cap))
    exits = np.zeros((nb, cap))
    for (b, cell), v in r["at_risk"].items():
        at_risk[b, cell - 1] = v
    for (b, cell), v in r["exits"].items():
        exits[b, cell - 1] = v
    assert np.array_equal(est.life.at_risk, at_risk)
    assert np.array_equal(est.life.exits, exits)
    inflow = np.zeros_like(est.inflow)
    for (b, start), v in r["inflow"].items():
        inflow[b, start - pan.first_week - 1] = v
    assert np.array_equal(est.inflow, inflow)
    stock = np.zeros((nb, cap))
    for (b, cell), v in r["stock"].items():
        stock[b, cell - 1] = v
    assert np.array_equal(est.stock, stock)
    assert at_risk[:, : cap - 1].sum() > 1000 and at_risk[:, cap - 1].sum() > 100


def test_projection_matches_the_reference():
    rng = np.random.default_rng(1)
    nb, cap, T = 3, 12, 40
    stock = rng.uniform(0, 50, (nb, cap))
    inflow = rng.uniform(0, 20, (T, nb))
    hazard = rng.uniform(0, 0.3, (nb, cap))
    mine = project(Paths(0, stock, inflow, np.broadcast_to(hazard, (T, nb, cap)), np.ones((T, nb))))
    theirs = np.array(ref.project(stock.tolist(), inflow.tolist(), hazard.tolist(), T))
    assert np.allclose(mine, theirs, rtol=1e-13, atol=1e-10)
