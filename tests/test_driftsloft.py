import datetime as dt

import pytest
from budgetmodel.rates import load_rates
from caps_support import ltk_budget_input

from budgetmodel.errors import InputError
from budgetmodel.financing.budget_lines import thousand
from budgetmodel.financing.driftsloft import driftsloft_recomputation, driftsloft_refund
from budgetmodel.financing.inputs import ActivationExpense, DriftsloftInput, DriftsloftRecomputationInput

AT = dt.date(2014, 6, 1)


@pytest.fixture(scope="module")
def book():
    return load_rates()


def test_published_lofts(book):
    # seed 004 l. 629-630 and l. 1668
    assert book.value("driftsloft", AT, loft_group="kontanthjaelp_dagpenge", basis="udmeldt") == 10757
    assert book.value("driftsloft", AT, loft_group="revalidering_ledighedsydelse_sygedagpenge", basis="udmeldt") == 10585
    for g in ("kontanthjaelp_dagpenge", "revalidering_ledighedsydelse_sygedagpenge"):
        assert book.value("driftsloft", AT, loft_group=g, basis="genberegnet") == 11835


def test_refund_is_rate_times_min_expenses_and_loft(book):
    # Hand-built: 100 helårspersoner on kontanthjælp → rådighedsbeløb 100 × 10.757 = 1.075.700 kr.
    inp = DriftsloftInput(
        helaarspersoner={"kontanthjaelp_jobparat": 60, "kontanthjaelp_aktivitetsparat": 40, "sygedagpenge": 10},
        expenses=[
            ActivationExpense(target_group="kontanthjaelp_jobparat", expense="virksomhedsrettet", dkk=800_000),
            ActivationExpense(target_group="kontanthjaelp_aktivitetsparat", expense="vejledning_opkvalificering", dkk=500_000),
            # jobparate, vejledning og opkvalificering in month 5: no refund, does not use the loft
            ActivationExpense(target_group="kontanthjaelp_jobparat", expense="vejledning_opkvalificering", benefit_month=5, dkk=300_000),
            ActivationExpense(target_group="sygedagpenge", expense="virksomhedsrettet", dkk=50_000),
        ],
    )
    res = driftsloft_refund(inp, book, AT)
    k = res.groups["kontanthjaelp_dagpenge"]
    assert k.helaarspersoner == 100
    assert k.raadighedsbeloeb_dkk == pytest.approx(1_075_700)
    assert k.expenses_dkk == 1_600_000
    assert k.refundable_dkk == 1_300_000
    assert k.refund_dkk == pytest.approx(537_850)  # 50 pct. × 1.075.700
    assert k.above_loft_dkk == pytest.approx(224_300)  # 1.300.000 − 1.075.700
    assert k.lost_refund_dkk == pytest.approx(112_150)  # 50 pct. × 224.300
    s = res.groups["revalidering_ledighedsydelse_sygedagpenge"]
    assert s.raadighedsbeloeb_dkk == pytest.approx(105_850)
    assert (s.refund_dkk, s.above_loft_dkk, s.lost_refund_dkk) == (25_000, 0, 0)
    assert res.refund_dkk == pytest.approx(562_850)
    assert res.lost_refund_dkk == pytest.approx(112_150)
    assert {v.table_id for v in k.sources} == {"driftsloft", "refusion_driftsudgifter"}


def test_jobparate_vejledning_gets_refund_from_month_25(book):
    def refund(month):
        inp = DriftsloftInput(
            helaarspersoner={"kontanthjaelp_jobparat": 10},
            expenses=[ActivationExpense(target_group="kontanthjaelp_jobparat", expense="vejledning_opkvalificering", benefit_month=month, dkk=40_000)],
        )
        return driftsloft_refund(inp, book, AT).refund_dkk

    assert refund(24) == 0
    assert refund(25) == pytest.approx(20_000)


def test_genberegnet_basis(book):
    inp = DriftsloftInput(
        helaarspersoner={"kontanthjaelp_aktivitetsparat": 10},
        expenses=[ActivationExpense(target_group="kontanthjaelp_aktivitetsparat", expense="virksomhedsrettet", dkk=200_000)],
        basis="genberegnet",
    )
    g = driftsloft_refund(inp, book, AT).groups["kontanthjaelp_dagpenge"]
    assert g.raadighedsbeloeb_dkk == 118_350
    assert g.refund_dkk == pytest.approx(59_175)


def test_bad_input_reports_every_problem(book):
    inp = DriftsloftInput(
        helaarspersoner={"ressourceforloeb": 5, "kontanthjaelp_jobparat": 1},
        expenses=[
            ActivationExpense(target_group="kontanthjaelp_jobparat", expense="mentor", dkk=1),
            ActivationExpense(target_group="sygedagpenge", expense="virksomhedsrettet", dkk=1),
        ],
    )
    with pytest.raises(InputError) as err:
        driftsloft_refund(inp, book, AT)
    fields = [p.field for p in err.value.problems]
    assert fields == ["expenses[0].expense", "expenses[1].target_group", "helaarspersoner.ressourceforloeb"]
    assert "mentor" in str(err.value) and "ingen helårspersoner" in str(err.value)


def test_ltk_driftsloft_line(book):
    # seed 004 l. 1667-1670: the line and the loss per helårsperson come out of helårspersoner,
    # expenses, the recomputed loft and the 50 pct. rate (the scenario's readings)
    inp = ltk_budget_input().driftsloft
    res = driftsloft_recomputation(inp, book, dt.date(2014, 1, 1))
    assert {y: thousand(r.dkk) for y, r in res.items()} == {2014: 2001, 2015: 2075, 2016: 2486, 2017: 2583}
    assert {y: round(r.loss_dkk_per_helaarsperson) for y, r in res.items()} == {2014: 2128, 2015: 2200, 2016: 2638, 2017: 2740}
    assert {r.loft_dkk_per_helaarsperson for r in res.values()} == {11835}
    # 0,5 × (15.130.400 − 11.835 × 940,3)
    assert res[2014].dkk == pytest.approx(0.5 * (15_130_400 - 11_835 * 940.3))


def _recomputation(hp=100.0, expenses=1_500_000.0, old="ikke_bindende", basis="genberegnet"):
    year = DriftsloftInput(
        helaarspersoner={"kontanthjaelp_aktivitetsparat": hp},
        expenses=[ActivationExpense(target_group="kontanthjaelp_aktivitetsparat", expense="virksomhedsrettet", dkk=expenses)],
    )
    return DriftsloftRecomputationInput(basis=basis, old_basis=old, years={2014: year})


def test_recomputation_from_its_causes(book):
    at = dt.date(2014, 1, 1)
    base = driftsloft_recomputation(_recomputation(), book, at)[2014]
    # 100 hp, 1.500.000 kr.: old refund 750.000 (loft not binding), new 0,5 × 100 × 11.835 = 591.750
    assert (base.old_refund_dkk, base.refund_dkk, base.dkk) == (750_000, pytest.approx(591_750), pytest.approx(158_250))
    # 10 more helårspersoner: the rådighedsbeløb grows by 118.350 → 59.175 less refund lost
    more = driftsloft_recomputation(_recomputation(hp=110.0), book, at)[2014]
    assert more.dkk - base.dkk == pytest.approx(-59_175)
    # 100.000 kr. more expenses above the loft: all of it loses the 50 pct.
    dearer = driftsloft_recomputation(_recomputation(expenses=1_600_000.0), book, at)[2014]
    assert dearer.dkk - base.dkk == pytest.approx(50_000)
    # expenses under the new loft: nothing lost
    assert driftsloft_recomputation(_recomputation(expenses=1_000_000.0), book, at)[2014].dkk == 0
    # old loft = the udmeldt 10.757 (lower than 11.835): the recomputation gains refund
    udm = driftsloft_recomputation(_recomputation(old="udmeldt"), book, at)[2014]
    assert udm.dkk == pytest.approx(0.5 * 100 * (10_757 - 11_835))


def test_no_driftsloft_no_line(book):
    # L 76 (2018-19): the driftsloft ended; a year without a loft in force has no recomputation line
    res = driftsloft_recomputation(_recomputation(), book, dt.date(2013, 1, 1))[2014]
    assert res.dkk == 0 and res.new is None
