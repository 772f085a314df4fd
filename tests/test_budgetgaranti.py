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


def test_derived_inputs_stay_inside_the_printed_rounding(ltk):
    # The fixture's unrounded 2015-2017 inputs are derived, not printed: each must round to the printed figure.
    for part in ("ydelsesdelen", "indsatsdelen"):
        years = ltk.parts[part].years
        for i, y in enumerate(YEARS):
            assert abs(years[y].local_dkk - 1000 * PRINTED[part]["local"][i]) < 500
            assert abs(years[y].compensation_dkk - 1000 * PRINTED[part]["state"][i]) < 500


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


def test_printed_only_inputs_give_the_known_differences():
    # The engine fed with the printed figures alone reproduces every Forskel except the known ones.
    parts = {
        name: BudgetgarantiPart(
            label=name,
            local_dkk={y: 1000.0 * v for y, v in zip(YEARS, PRINTED[name]["local"])},
            state_dkk={y: 1000.0 * v for y, v in zip(YEARS, PRINTED[name]["state"])},
        )
        for name in ("ydelsesdelen", "indsatsdelen")
    }
    res = budgetgaranti(BudgetgarantiInput(bloktilskud_share=0.00935, parts=parts))
    assert _t({y: res.total[y].local_dkk for y in YEARS}) == PRINTED["total"]["local"]
    assert _t({y: res.total[y].compensation_dkk for y in YEARS}) == PRINTED["total"]["state"]
    assert _t({y: res.total[y].challenge_dkk for y in YEARS}) == (2417, 4774, 4756, 4757)  # printed 4.756 in 2017
    assert _t({y: res.parts["indsatsdelen"].years[y].challenge_dkk for y in YEARS}) == (-582, -62, -80, -79)  # printed -61, -79 (2016)
    assert _t({y: res.parts["ydelsesdelen"].years[y].challenge_dkk for y in YEARS}) == PRINTED["ydelsesdelen"]["diff"]


def test_known_issue_detail_lines_do_not_add_up_to_i_alt(ltk):
    # The printed detail lines (l. 1610-1618, 1633-1642) vs the printed 'I alt'.
    yd, ind = ltk.parts["ydelsesdelen"], ltk.parts["indsatsdelen"]
    assert [thousand(yd.lines_sum_dkk(y)) for y in YEARS] == [-4516, -5912, -5912, -5912]  # printed -4.517 in 2014
    assert [thousand(ind.lines_sum_dkk(y)) for y in YEARS] == [-148, -1688, -1975, -2124]  # printed -150 (2014), -2.123 (2017)
    assert ind.lines["Mentorordning"] == {2014: 726000, 2015: 393000, 2016: 393000, 2017: 393000}


def test_compensation_from_the_national_change_in_covered_expenses():
    book = load_rates()
    at = dt.date(2014, 1, 1)
    national = {"kontanthjaelp": -400_000_000.0, "aktivering": -100_000_000.0, "sygedagpenge": -100_000_000.0, "mentor": 50_000_000.0, "boligsikring": 20_000_000.0}
    covered = covered_national_change(national, book, at)
    assert covered == -500_000_000  # sygedagpenge, mentor and boligsikring are not covered
    assert compensation(covered, 0.00935) == pytest.approx(-4_675_000)
    part = BudgetgarantiPart(label="x", local_dkk={2014: -3_000_000.0}, national_covered_change_dkk={2014: covered})
    res = budgetgaranti(BudgetgarantiInput(bloktilskud_share=0.00935, parts={"x": part}))
    assert res.total[2014].compensation_dkk == pytest.approx(-4_675_000)
    assert res.total[2014].challenge_dkk == pytest.approx(1_675_000)
    assert res.parts["x"].compensation_from == "national"
    with pytest.raises(InputError) as err:
        covered_national_change({"kontanthjaelp": 1.0, "pension": 2.0}, book, at)
    assert err.value.problems[0].field == "pension"


def test_part_needs_exactly_one_compensation():
    with pytest.raises(ValidationError, match="præcis én"):
        BudgetgarantiPart(label="x", local_dkk={2014: 1.0})
    with pytest.raises(ValidationError, match="præcis én"):
        BudgetgarantiPart(label="x", local_dkk={2014: 1.0}, state_dkk={2014: 1.0}, national_covered_change_dkk={2014: 1.0})
    with pytest.raises(ValidationError, match=r"mangler for år \[2015\]"):
        BudgetgarantiPart(label="x", local_dkk={2014: 1.0, 2015: 2.0}, state_dkk={2014: 1.0})
