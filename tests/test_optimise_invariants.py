"""Invariants on seeded random inputs: the budget and the legal minimums hold, more budget never
raises the net cost, the free optimum is never worse than the fixed initiative, and a fixed
allocation is valued exactly as a direct computation of the refund rules values it."""

from __future__ import annotations

import numpy as np
import pytest
import pyomo.environ as pyo

from budgetmodel.optimise.build import build_model
from budgetmodel.optimise.data import Period, current_allocation, initiative_allocation
from budgetmodel.optimise.run import optimise
from budgetmodel.optimise.solve import solve

from optimise_cases import make, period

SEEDS = [1, 2, 3, 4, 5, 6]


def random_input(seed: int, budget_factor: float = 1.0):
    rng = np.random.default_rng(seed)
    groups, offers = [], []
    for i in range(3):
        n = float(rng.integers(40, 300))
        cadence, hours = float(rng.choice([0.0, 4.0, 6.0])), float(rng.choice([1.6, 2.4]))
        c0 = cadence * n * hours / 828.24 + float(rng.uniform(0.1, 1.0))  # today meets the legal minimum
        placeable = float(rng.integers(0, int(n // 3) + 1))
        groups.append(dict(
            id=f"g{i}", label=f"gruppe {i}", helaarspersoner=n, benefit_dkk_per_helaarsperson=float(rng.integers(80_000, 140_000)),
            refund_share_passive=0.3, refund_share_company=0.5, min_conversations_per_helaarsperson=cadence,
            hours_per_conversation=hours, hours_per_placement=float(rng.choice([10.2, 33.2])),
            placements_per_helaarsperson=float(rng.choice([2.0, 4.0])), placeable_helaarspersoner=placeable,
            activatable_helaarspersoner=float(n * 0.8),
            effect_company=float(rng.choice([0.0, 0.1])), current_conversation_aarsvaerk=c0,
            current_placement_aarsvaerk=float(rng.uniform(0.0, 1.0)), current_in_company_offers=float(min(placeable, rng.integers(0, 10))),
        ))
        offers.append(dict(id=f"o{i}", label=f"tilbud {i}", group=f"g{i}", price_dkk_per_helaarstilbud=float(rng.integers(40_000, 80_000)),
                           refund=str(rng.choice(["driftsloft", "none"])), current_helaarstilbud=float(rng.integers(10, 30)),
                           effect=float(rng.choice([0.0, 0.05]))))
    pool = dict(id="pool", label="pulje", refund_share=0.5, loft_dkk_per_helaarsperson=float(rng.integers(5_000, 15_000)),
                groups=[g["id"] for g in groups], other_expenses_dkk=float(rng.integers(0, 2_000_000)))
    staff = sum(g["current_conversation_aarsvaerk"] for g in groups)
    spend = staff * 450_000 + sum(g["current_placement_aarsvaerk"] for g in groups) * 500_000 + sum(o["price_dkk_per_helaarstilbud"] * o["current_helaarstilbud"] for o in offers)
    duties = [dict(id="alle", label="alle grupper", groups=[g["id"] for g in groups], min_helaarspersoner=float(rng.integers(0, 30)))]
    p = period(groups=groups, offers=offers, driftsloft=[pool], activation_duties=duties, wage_conversation_dkk_per_aarsvaerk=450_000.0,
               wage_placement_dkk_per_aarsvaerk=500_000.0, hours_per_aarsvaerk=828.24, budget_dkk=(spend + 1_000_000.0) * budget_factor,
               keep_current_staff=bool(rng.integers(0, 2)),
               initiative=dict(placement_aarsvaerk={"g0": 1.0},
                               in_company_offers={"g0": min(groups[0]["placeable_helaarspersoner"] - groups[0]["current_in_company_offers"], 6.0)},
                               helaarstilbud={"o0": -5.0}))
    return make([p])


def direct_net_cost(per: Period, a) -> float:
    """The yearly net cost of an allocation straight from the rules (no optimiser)."""
    neff = {g.id: g.helaarspersoner - g.effect_company * (a.in_company_offers[g.id] - g.current_in_company_offers)
            - sum(o.effect * (a.helaarstilbud[o.id] - o.current_helaarstilbud) for o in per.offers if o.group == g.id)
            for g in per.groups}
    cost = 0.0
    for g in per.groups:
        x = a.in_company_offers[g.id]
        cost += g.benefit_dkk_per_helaarsperson * ((1 - g.refund_share_passive) * (neff[g.id] - x) + (1 - g.refund_share_company) * x)
    cost += per.wage_conversation_dkk_per_aarsvaerk * sum(a.conversation_aarsvaerk.values())
    cost += per.wage_placement_dkk_per_aarsvaerk * sum(a.placement_aarsvaerk.values())
    cost += sum(o.price_dkk_per_helaarstilbud * a.helaarstilbud[o.id] for o in per.offers)
    for pool in per.driftsloft:
        exp = pool.other_expenses_dkk + sum(o.price_dkk_per_helaarstilbud * a.helaarstilbud[o.id]
                                            for o in per.offers if o.refund == "driftsloft" and o.group in pool.groups)
        hp = pool.other_helaarspersoner + sum(neff[g] for g in pool.groups)
        cost += pool.other_expenses_dkk - pool.refund_share * min(exp, pool.loft_dkk_per_helaarsperson * hp)
    return cost


@pytest.mark.parametrize("seed", SEEDS)
def test_budget_and_legal_minimums_hold(seed):
    inp = random_input(seed)
    m = build_model(inp)
    res = solve(m)
    assert res.optimal
    per = inp.periods[0]
    t = per.id
    spend = pyo.value(m.wages[t] + m.purchases[t])
    assert spend <= per.budget_dkk * (1 + 1e-9)
    for g in per.groups:
        k = (t, g.id)
        held = pyo.value(m.s[k])
        assert held >= g.min_conversations_per_helaarsperson * pyo.value(m.neff[k]) - 1e-6
        assert g.hours_per_conversation * held <= per.hours_per_aarsvaerk * pyo.value(m.c[k]) + 1e-6
        assert pyo.value(m.x[k]) <= per.persons_per_broker * pyo.value(m.p[k]) + 1e-6
        assert pyo.value(m.x[k]) <= g.placeable_helaarspersoner + 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_more_budget_never_raises_net_cost(seed):
    costs = []
    for factor in (1.0, 1.2, 2.0):
        m = build_model(random_input(seed, factor))
        assert solve(m).optimal
        costs.append(pyo.value(m.net_cost))
    assert costs[1] <= costs[0] + 1e-6
    assert costs[2] <= costs[1] + 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_free_optimum_at_least_as_good_as_the_fixed_case(seed):
    r = optimise(random_input(seed))
    assert r.initiative is not None
    assert r.optimum.net_cost_dkk <= r.initiative.net_cost_dkk + 1e-6
    assert r.optimum.net_cost_dkk <= r.today.net_cost_dkk + 1e-6
    assert r.net_saving_dkk_per_year >= r.fixed_case_saving_dkk_per_year - 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_fixed_allocation_valued_as_the_rules_value_it(seed):
    inp = random_input(seed)
    per = inp.periods[0]
    for alloc in (current_allocation(inp), initiative_allocation(inp)):
        m = build_model(inp, fixed=alloc)
        assert solve(m).optimal
        assert pyo.value(m.net_cost) == pytest.approx(direct_net_cost(per, alloc[per.id]), abs=1e-4)
