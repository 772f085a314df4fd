"""Tiny models whose optimum is derived by hand (the derivation is in each docstring)."""

from __future__ import annotations

import pytest
import pyomo.environ as pyo

from budgetmodel import fmt
from budgetmodel.optimise.build import build_model
from budgetmodel.optimise.data import FAMILIES, OptimiserInput
from budgetmodel.optimise.extract import allocation_frame, constraint_frame
from budgetmodel.optimise.run import Infeasible, optimise
from budgetmodel.optimise.solve import NotOptimal, solve

from optimise_cases import group, jobformidler_period, make, period


def _alloc(report, kind, key, col="optimum"):
    t = report.allocation_table()
    row = t[(t["kind"] == kind) & (t["id"] == key)]
    assert len(row) == 1
    return float(row[col].iloc[0])


def _value(report, component, col="value_per_year"):
    c = report.optimum.constraints
    row = c[c["component"] == component]
    assert len(row) == 1
    return float(row[col].iloc[0])


def test_brokers_up_to_the_placeable_limit():
    """Each placed person: 20 pct × 100.000 = 20.000 more refund; a broker costs 400.000 / 25 = 16.000
    per person. So place all 40 who can be placed (1,6 årsværk). Conversations: 4 × 100 × 2 h = 800 h
    = 1 årsværk. Today: 100 × 70.000 + 400.000 = 7.400.000; optimum 7.240.000; saving 160.000.
    Shadow prices: 4.000 kr. per placeable person (100.000 per extra broker årsværk); a legal
    conversation costs 400.000 × 2 / 800 = 1.000 kr."""
    r = optimise(make())
    assert r.status == "optimal"
    assert r.today.net_cost_dkk == pytest.approx(7_400_000, abs=1e-3)
    assert r.optimum.net_cost_dkk == pytest.approx(7_240_000, abs=1e-3)
    assert r.net_saving_dkk_per_year == pytest.approx(160_000, abs=1e-3)
    assert _alloc(r, "in_company_offers", "kh") == pytest.approx(40)
    assert _alloc(r, "placement_aarsvaerk", "kh") == pytest.approx(1.6)
    assert _alloc(r, "conversation_aarsvaerk", "kh") == pytest.approx(1.0)
    assert _value(r, "placeable") == pytest.approx(4_000)
    assert _value(r, "legal_minimum_conversations") == pytest.approx(1_000)
    texts = list(r.shadow_prices()["text"])
    assert "Ét årsværk mere til virksomhedsindsats for jobparate kontanthjælpsmodtagere er værd 100.000 kr. om året" in texts[0]
    assert any("Hver lovpligtig samtale med jobparate kontanthjælpsmodtagere koster 1.000 kr." in t for t in texts)
    assert r.fixed_case_saving_dkk_per_year is None


def test_budget_binds_before_the_placeable_limit():
    """Budget 800.000 pays 1 årsværk on conversations + 1 on placements: 25 placed, saving 25 × 4.000
    = 100.000. One more krone buys 1/16.000 person worth 4.000: 0,25 kr. → 25.000 per 100.000 kr."""
    r = optimise(make([period(budget_dkk=800_000.0)]))
    assert r.net_saving_dkk_per_year == pytest.approx(100_000, abs=1e-3)
    assert _alloc(r, "in_company_offers", "kh") == pytest.approx(25)
    assert _value(r, "budget") == pytest.approx(0.25)
    assert "100.000 kr. mere til løn og køb er værd 25.000 kr. om året." in list(r.shadow_prices()["text"])


def test_2016_staircase_brokers_do_not_pay_without_an_effect():
    """Staircase (53+ weeks: 20 pct both in and out of offers): placement moves no refund, so no broker."""
    inp = make([period(groups=[group(refund_share_passive=0.2, refund_share_company=0.2)])])
    r = optimise(inp)
    assert r.net_saving_dkk_per_year == pytest.approx(0, abs=1e-3)
    assert _alloc(r, "placement_aarsvaerk", "kh") == pytest.approx(0, abs=1e-9)


def test_2016_staircase_the_duration_effect_is_what_pays():
    """Effect 0,25 helårsperson less on benefit per helårsperson placed: 0,25 × 100.000 × 80 pct = 20.000
    plus 0,25 × 4 fewer legal conversations × 1.000 = 1.000, against 16.000 per person for the broker:
    place all 40. Optimum: 90 × 80.000 + 0,9 × 400.000 + 1,6 × 400.000 = 8.200.000; today 8.400.000."""
    inp = make([period(groups=[group(refund_share_passive=0.2, refund_share_company=0.2, effect_company=0.25)])])
    r = optimise(inp)
    assert r.optimum.net_cost_dkk == pytest.approx(8_200_000, abs=1e-3)
    assert r.net_saving_dkk_per_year == pytest.approx(200_000, abs=1e-3)
    assert _alloc(r, "helaarspersoner", "kh") == pytest.approx(90)


def _duty(n):
    return dict(id="kh", label="jobparate kontanthjælpsmodtagere", groups=["kh"], min_helaarspersoner=n)


def _offer(**kw):
    o = dict(id="vo", label="vejledning og opkvalificering", group="kh", price_dkk_per_helaarstilbud=50_000.0,
             refund="driftsloft", current_helaarstilbud=30.0)
    o.update(kw)
    return o


@pytest.mark.parametrize("loft,refund", [(10_000.0, 500_000.0), (20_000.0, 750_000.0)])
def test_driftsloft_caps_the_operating_refund(loft, refund):
    """30 helårstilbud at 50.000 are required (activation duty; nobody placeable). Refund = 50 pct ×
    min(1.500.000, loft × 100): 500.000 above a loft of 10.000, 750.000 under a loft of 20.000.
    Above the loft the duty costs the full price per helårsperson; under it half."""
    pool = dict(id="kh_pool", label="kontanthjælp", refund_share=0.5, loft_dkk_per_helaarsperson=loft, groups=["kh"])
    inp = make([period(groups=[group(placeable_helaarspersoner=0.0)], activation_duties=[_duty(30.0)],
                       offers=[_offer()], driftsloft=[pool])])
    r = optimise(inp)
    costs = r.optimum.costs.iloc[0]
    assert costs["operating_refund"] == pytest.approx(refund, abs=1e-3)
    assert costs["purchases"] == pytest.approx(1_500_000, abs=1e-3)
    duty = 50_000 if refund == 500_000.0 else 25_000
    assert _value(r, "activation_duty") == pytest.approx(duty)
    if loft == 10_000.0:
        assert _value(r, "driftsloft") == pytest.approx(1.0)
        assert any(t.startswith("Driftsloftet binder for kontanthjælp") for t in r.shadow_prices()["text"])


def test_mentorramme_caps_the_mentor_refund():
    """4 mentor helårstilbud at 40.000 required: refund min(50 pct × 160.000, ramme 50.000) = 50.000
    (the ramme caps the refund, as financing/mentor.py reads it)."""
    inp = make([period(groups=[group(placeable_helaarspersoner=0.0)], activation_duties=[_duty(4.0)],
                       offers=[_offer(id="mentor", label="mentor", price_dkk_per_helaarstilbud=40_000.0,
                                      refund="mentorramme", current_helaarstilbud=4.0)],
                       mentorramme=dict(refund_share=0.5, ramme_dkk=50_000.0))])
    r = optimise(inp)
    assert r.optimum.costs.iloc[0]["operating_refund"] == pytest.approx(50_000, abs=1e-3)
    assert _value(r, "mentorramme") == pytest.approx(1.0)


def test_whole_posts():
    """Integer posts: 1 broker post places 25 (saves 25 × 20.000 − 400.000 = 100.000); 2 posts place
    40 (800.000 − 800.000 = 0). So 1 post; the conversation post is exactly 1. Saving 100.000."""
    r = optimise(make(integer_posts=True))
    assert r.optimum.result.mip and r.optimum.result.dual_termination == "optimal"
    assert r.net_saving_dkk_per_year == pytest.approx(100_000, abs=1e-3)
    assert _alloc(r, "posts_placement", "") == pytest.approx(1.0)
    assert _alloc(r, "in_company_offers", "kh") == pytest.approx(25)
    # with the post fixed, the binding rule is the 25 persons per broker: one more slot is worth 20.000
    assert _value(r, "persons_per_broker") == pytest.approx(20_000)


def test_weights_and_periods():
    """Two periods: ½ year in 2014 and a full 2015, same figures: per year the saving is 160.000."""
    inp = make([period(id="2014", weight=0.5), period(id="2015")])
    r = optimise(inp)
    assert r.years == 1.5
    assert r.today.net_cost_dkk - r.optimum.net_cost_dkk == pytest.approx(240_000, abs=1e-3)
    assert r.net_saving_dkk_per_year == pytest.approx(160_000, abs=1e-3)
    # the placeable shadow price is per year in both periods
    c = r.optimum.constraints
    assert list(c[c["component"] == "placeable"]["value_per_year"]) == pytest.approx([4_000, 4_000])


def test_jobformidler_fixed_allocation_is_valued_at_1302483():
    """Seed 004 bilag 4 Tabel 1: 1.033.200 − 1.000.000 + 168.627 + 1.100.656 = 1.302.483 kr. a year."""
    r = optimise(make([jobformidler_period()]))
    init, today = r.initiative.costs.iloc[0], r.today.costs.iloc[0]
    assert init["wages"] - today["wages"] == pytest.approx(1_000_000, abs=1e-3)
    assert init["benefit_refund"] - today["benefit_refund"] == pytest.approx(1_033_200, abs=1e-3)
    assert today["purchases"] - init["purchases"] == pytest.approx(1_269_283, abs=1e-3)
    assert fmt.round_half_up(r.fixed_case_saving_dkk_per_year) == 1_302_483
    assert r.as_dict()["fixed_case_saving_dkk_per_year"] == 1_302_483
    assert r.net_saving_dkk_per_year >= r.fixed_case_saving_dkk_per_year


def test_infeasible_input_names_the_conflicting_constraints():
    """A budget of 300.000 cannot pay the 1 årsværk the legal conversations need (400.000)."""
    inp = make([period(budget_dkk=300_000.0, groups=[group(current_conversation_aarsvaerk=0.7)])])
    with pytest.raises(Infeasible) as err:
        optimise(inp)
    e = err.value
    assert e.what == "today"  # today's allocation (0,7 årsværk) already breaks the law
    assert e.result.termination == "infeasible"
    assert "Dagens fordeling overholder ikke alle begrænsninger." in e.message
    assert "lovpligtige samtaler (samtalekadence)" in e.message
    assert "test: kilde til legal_minimum_conversations" in e.message
    assert "lovpligtige samtaler, jobparate kontanthjælpsmodtagere (2015): 120,00 samtaler" in e.message


def test_infeasible_optimum_names_budget_and_legal_minimum():
    inp = make([period(budget_dkk=300_000.0, groups=[group(current_conversation_aarsvaerk=0.0)], keep_current_staff=False)])
    # today's allocation breaks the law too; value only the free model
    from budgetmodel.optimise.run import conflicting_families, diagnose

    fams = conflicting_families(inp)
    assert set(fams) == {"budget", "legal_minimum_conversations", "conversation_hours"}
    families, relaxation, message = diagnose(inp)
    assert families == fams
    assert message.startswith("Der findes ingen fordeling, der overholder alle begrænsninger. Disse kan ikke holde samtidig: "
                              "budget til løn og køb, lovpligtige samtaler (samtalekadence), timer pr. samtale og pr. årsværk.")
    assert len(relaxation) >= 1 and set(relaxation["family"]) <= set(fams)


def test_no_numbers_from_a_non_optimal_solve():
    inp = make([period(budget_dkk=300_000.0)])
    m = build_model(inp)
    res = solve(m)
    assert not res.optimal and res.objective is None
    with pytest.raises(NotOptimal):
        allocation_frame(m, inp, res)
    with pytest.raises(NotOptimal):
        constraint_frame(m, inp, res)


def test_every_family_has_a_source():
    with pytest.raises(ValueError, match="mangler: \\['budget'"):
        make(sources={k: v for k, v in make().sources.items() if k != "budget"})
    assert set(make().families()) <= set(FAMILIES)


def test_unknown_references_are_rejected():
    with pytest.raises(ValueError, match="tilbuddet 'vo' er til en ukendt målgruppe 'nope'"):
        make([period(offers=[_offer(group="nope", refund="none")])])
    with pytest.raises(ValueError, match="initiative.helaarstilbud nævner en ukendt 'x'"):
        make([period(initiative=dict(helaarstilbud={"x": 1.0}))])


def test_model_has_one_constraint_per_family_function():
    m = build_model(make([jobformidler_period()]))
    names = {c.local_name for c in m.component_objects(pyo.Constraint)}
    assert {"budget", "staff_floor", "legal_minimum_conversations", "conversation_hours", "persons_per_broker",
            "placement_hours", "placeable", "activatable"} <= names
