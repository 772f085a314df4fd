import datetime as dt

import pytest
from budgetmodel.rates import load_rates
from caps_support import ltk_budget_input
from pydantic import ValidationError

from budgetmodel.errors import InputError
from budgetmodel.financing.budget_lines import thousand
from budgetmodel.financing.budgetgaranti import budgetgaranti, compensation, covered_national_change
from budgetmodel.financing.inputs import BudgetgarantiInput, BudgetgarantiPart

YEARS = (2014, 2015, 2016, 2017)

# seed 004, notat l. 1581-1584, 1619-1621, 1643-1645 (1.000 kr.), as printed
PRINTED = {
    "total": {"local": (-4667, -7600, -7887, -8035), "state": (-7084, -12374, -12643, -12792), "diff": (2417, 4774, 4756, 4756)},
    "ydelsesdelen": {"local": (-4517, -5912, -5912, -5912), "state": (-7516, -10748, -10748, -10748), "diff": (2999, 4836, 4836, 4836)},
    "indsatsdelen": {"local": (-150, -1688, -1975, -2123), "state": (432, -1626, -1895, -2044), "diff": (-582, -61, -79, -79)},
}


@pytest.fixture(scope="module")
def ltk():
    return budgetgaranti(ltk_budget_input().budgetgaranti)


def _t(d):
    return tuple(thousand(d[y]) for y in YEARS)


def test_ltk_reform_table_and_both_sub_tables(ltk):
    for name, p in (("ydelsesdelen", ltk.parts["ydelsesdelen"].years), ("indsatsdelen", ltk.parts["indsatsdelen"].years), ("total", ltk.total)):
        assert _t({y: p[y].local_dkk for y in YEARS}) == PRINTED[name]["local"], name
        assert _t({y: p[y].compensation_dkk for y in YEARS}) == PRINTED[name]["state"], name
        assert _t({y: p[y].challenge_dkk for y in YEARS}) == PRINTED[name]["diff"], name
    assert ltk.bloktilskud_share == 0.00935


def test_readings_stay_inside_the_printed_rounding():
    # Where a line's value is a reading (the notat added unrounded lines), it rounds to the printed figure.
    from caps_support import REFORM
    from budgetmodel.scenario.load import load_scenario

    bg = load_scenario(REFORM, load_rates()).scenario.budget.budgetgaranti
    readings = 0
    for part in bg.parts.values():
        for line in part.lines.values():
            if line.by_year is None:  # computed or the same amount as another series: checked by the run
                continue
            for y, printed in (line.printed or {}).items():
                readings += 1
                assert abs(line.by_year[y] - printed) < 0.5
        assert part.national.status.value == "assumption"  # the notat prints no national figure
    assert readings > 0


def test_local_is_the_sum_of_the_lines_and_state_is_national_times_share(ltk):
    for part in ltk.parts.values():
        for y in YEARS:
            assert part.years[y].local_dkk == pytest.approx(sum(v[y] for v in part.lines.values()))
            assert part.years[y].compensation_dkk == pytest.approx(part.national_dkk[y] * 0.00935)


def test_a_cause_moves_exactly_its_lines():
    inp = ltk_budget_input().budgetgaranti
    base = budgetgaranti(inp)
    # one detail line of ydelsesdelen 500 kr. lower: I alt and the challenge move by -500, the state not
    parts = inp.parts
    yd = parts["ydelsesdelen"]
    lines = dict(yd.lines)
    lines["Boligstøtte"] = {y: v - (500.0 if y == 2015 else 0.0) for y, v in lines["Boligstøtte"].items()}
    moved = budgetgaranti(inp.model_copy(update={"parts": {**parts, "ydelsesdelen": yd.model_copy(update={"lines": lines})}}))
    assert moved.total[2015].local_dkk - base.total[2015].local_dkk == pytest.approx(-500)
    assert moved.total[2015].challenge_dkk - base.total[2015].challenge_dkk == pytest.approx(-500)
    assert moved.total[2015].compensation_dkk == base.total[2015].compensation_dkk
    assert moved.total[2014].challenge_dkk == base.total[2014].challenge_dkk
    # the bloktilskud share 0,935 → 1,000 pct.: the state's regulation moves by national × 0,065 pct.
    new = {k: p.model_copy(update={"key_share": 0.01}) for k, p in parts.items()}
    shared = budgetgaranti(inp.model_copy(update={"parts": new}))
    for y in YEARS:
        national = sum(p.national_dkk[y] for p in parts.values())
        assert shared.total[y].compensation_dkk - base.total[y].compensation_dkk == pytest.approx(national * 0.00065)
        assert shared.total[y].local_dkk == base.total[y].local_dkk
        assert shared.total[y].challenge_dkk - base.total[y].challenge_dkk == pytest.approx(-national * 0.00065)


# KNOWN ISSUES: the notat's printed figures do not always follow from each other. Its totals and
# differences were computed from unrounded values; with the printed figures alone the arithmetic
# gives these results. Asserted here so they stay visible (see the notes in rates/budgetgaranti.yaml).
KNOWN = [
    # (what, printed arithmetic, our value from printed figures, printed value)
    ("summary Forskel 2017: -8.035 - (-12.792)", -8035 - -12792, 4757, 4756),
    ("indsatsdelen Forskel 2015: -1.688 - (-1.626)", -1688 - -1626, -62, -61),
    ("ydelsesdelen + indsatsdelen Forskel 2015: 4.836 + (-61)", 4836 + -61, 4775, 4774),
    ("ydelsesdelen + indsatsdelen Forskel 2016: 4.836 + (-79)", 4836 + -79, 4757, 4756),
    ("ydelsesdelen + indsatsdelen Forskel 2017: 4.836 + (-79)", 4836 + -79, 4757, 4756),
]


@pytest.mark.parametrize("what,arith,ours,printed", KNOWN, ids=[k[0] for k in KNOWN])
def test_known_rounding_issues_in_the_printed_tables(what, arith, ours, printed):
    assert arith == ours
    assert ours != printed and abs(ours - printed) == 1


def test_printed_lines_do_not_add_up_to_i_alt():
    # The printed detail lines (l. 1610-1618, 1633-1642) vs the printed 'I alt': the notat's rounding.
    ydelse = [(-5003, 148, 233, -37, 0, 0, 54, 59, 30)]
    indsats_2014 = (36, 508, 70, -1550, 17, 45, -11, 726, 402, -391)
    indsats_2017 = (-484, 536, -1000, -1632, -12, 45, 27, 393, 511, -508)
    assert sum(ydelse[0]) == -4516  # printed -4.517
    assert sum(indsats_2014) == -148  # printed -150
    assert sum(indsats_2017) == -2124  # printed -2.123


def test_compensation_from_the_national_change_in_covered_expenses():
    book = load_rates()
    at = dt.date(2014, 1, 1)
    national = {"kontanthjaelp": -400_000_000.0, "aktivering": -100_000_000.0, "sygedagpenge": -100_000_000.0, "mentor": 50_000_000.0, "boligsikring": 20_000_000.0}
    covered = covered_national_change(national, book, at)
    assert covered == -500_000_000  # sygedagpenge, mentor and boligsikring are not covered
    assert compensation(covered, 0.00935) == pytest.approx(-4_675_000)
    part = BudgetgarantiPart(label="x", lines={"ændring": {2014: -3_000_000.0}}, national_dkk={2014: covered}, key="covered_expenses", key_share=0.00935)
    res = budgetgaranti(BudgetgarantiInput(bloktilskud_share=0.00935, parts={"x": part}))
    assert res.total[2014].compensation_dkk == pytest.approx(-4_675_000)
    assert res.total[2014].challenge_dkk == pytest.approx(1_675_000)
    assert res.parts["x"].key_name == "covered_expenses"
    with pytest.raises(InputError) as err:
        covered_national_change({"kontanthjaelp": 1.0, "pension": 2.0}, book, at)
    assert err.value.problems[0].field == "pension"


def test_part_lines_must_cover_the_national_years():
    with pytest.raises(ValidationError, match=r"mangler år \[2015\]"):
        BudgetgarantiPart(label="x", lines={"a": {2014: 1.0}}, national_dkk={2014: 1.0, 2015: 2.0}, key_share=0.01)
