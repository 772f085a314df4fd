import datetime as dt

import pytest
from budgetmodel.rates import load_rates
from caps_support import ltk_budget_input

from budgetmodel.errors import InputError
from budgetmodel.financing.budget_lines import thousand
from budgetmodel.financing.inputs import MentorInput
from budgetmodel.financing.mentor import mentor_challenge

LAW = dt.date(2014, 1, 1)


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.fixture(scope="module")
def ltk(book):
    return mentor_challenge(ltk_budget_input().mentor, book, LAW)


def test_ltk_mentor_table(ltk):
    # seed 004 l. 1655-1662
    assert {y: thousand(r.lost_refund_dkk) for y, r in ltk.items()} == {2014: 1761, 2015: 1428, 2016: 1428, 2017: 1428}
    assert ltk[2014].lost_refund_dkk == pytest.approx(1_761_424)  # 3.166.000 + 726.000 − 2.130.576
    assert ltk[2015].lost_refund_dkk == pytest.approx(1_428_424)  # 3.166.000 + 393.000 − 2.130.576
    assert {thousand(r.ramme_dkk) for r in ltk.values()} == {2131}
    res = {y: {x.label: thousand(x.dkk) for x in r.lines} for y, r in ltk.items()}
    assert res[2014] == {"Ressourceforløb": 1510, "Øvrige målgrupper": 3166, "Udvidet målgruppe (reformen)": 726}
    assert res[2017] == {"Ressourceforløb": 2613, "Øvrige målgrupper": 3166, "Udvidet målgruppe (reformen)": 393}


def _line(r, label):
    return next(x for x in r.lines if x.label == label)


def test_ltk_budget_total_and_known_rounding_issue(ltk):
    # 'Budget mentor' = ressourceforløb + øvrige: 4.676 / 4.913 / 5.558 / 5.779 printed.
    printed = {2014: 4676, 2015: 4913, 2016: 5558, 2017: 5779}
    ours = {y: thousand(r.budget_dkk - _line(r, "Udvidet målgruppe (reformen)").dkk) for y, r in ltk.items()}  # without the wider group
    assert {y: v for y, v in ours.items() if y != 2015} == {y: v for y, v in printed.items() if y != 2015}
    # KNOWN ISSUE: 2015 prints 4.913 but its parts 1.748 + 3.166 = 4.914 (rounding in the notat).
    assert ours[2015] == 4914 and printed[2015] == 4913


def test_ressourceforloeb_is_refunded_outside_the_ramme(ltk):
    r = ltk[2014]
    rf = _line(r, "Ressourceforløb")
    assert (rf.target_group, rf.under_ramme, rf.rate) == ("ressourceforloeb", False, 0.5)
    assert rf.gross_dkk == pytest.approx(3_020_000)  # net 1.510.000 after 50 pct. refund
    assert r.refund_outside_ramme_dkk == pytest.approx(1_510_000)
    assert r.refund_under_ramme_dkk == pytest.approx(2_130_576)
    assert r.expected_refund_under_ramme_dkk == pytest.approx(3_892_000)


def test_the_notats_words(ltk):
    # 'mister refusion svarende til 1,0 mio. kr.': the budget without the wider target group
    r = ltk[2014]
    assert _line(r, "Øvrige målgrupper").expected_refund_dkk - r.ramme_dkk == pytest.approx(1_035_424)


def test_gross_basis_and_jobparate(book):
    inp = MentorInput.model_validate(
        {
            "basis": "gross",
            "years": {
                2014: {
                    "ramme_dkk": 2_130_576,
                    "lines": [
                        {"label": "aktivitetsparate", "target_group": "kontanthjaelp_aktivitetsparat", "dkk": 5_000_000},
                        {"label": "jobparate", "target_group": "kontanthjaelp_jobparat", "dkk": 1_000_000},
                    ],
                },
                2015: {"ramme_dkk": 3_000_000, "lines": [{"label": "a", "target_group": "kontanthjaelp_aktivitetsparat", "dkk": 5_000_000}]},
            },
        }
    )
    res = mentor_challenge(inp, book, LAW)
    assert res[2014].lines[1].expected_refund_dkk == 0  # jobparate 0 pct.
    assert res[2014].refund_dkk == pytest.approx(2_130_576)
    assert res[2014].lost_refund_dkk == pytest.approx(369_424)  # 2.500.000 − 2.130.576
    assert res[2015].lost_refund_dkk == 0  # 2.500.000 under a ramme of 3.000.000
    assert res[2015].refund_dkk == pytest.approx(2_500_000)


def test_ramme_not_in_force_from_2016(book):
    # L 66 (FT 2015-16) repeals the separate mentorramme from 2016.
    inp = ltk_budget_input().mentor
    with pytest.raises(InputError) as err:
        mentor_challenge(inp, book, dt.date(2016, 1, 1))
    assert "2016-01-01" in str(err.value)
