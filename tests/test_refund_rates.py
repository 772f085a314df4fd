"""The refund rate tables: every value of seed 004's 2014 table and the 2016 law, at dates."""

import datetime as dt

import pytest

from budgetmodel.financing.shares import staircase_rules
from budgetmodel.rates import load_rates

ACTS = ["none", "virksomhedspraktik", "loentilskud", "ordinaer_uddannelse", "vejledning_opkvalificering", "nytteindsats", "delvis_raskmelding", "mentor"]
JUNE_2014 = dt.date(2014, 6, 2)
LAST_2014_RULES = dt.date(2016, 1, 3)


@pytest.fixture(scope="module")
def book():
    return load_rates()


def v14(book, at, benefit, activation, spell_week=1):
    return book.value("refusion_forsoergelse", at, benefit=benefit, activation=activation, spell_week=spell_week)


@pytest.mark.parametrize("benefit", ["kontanthjaelp", "uddannelseshjaelp", "ledighedsydelse", "integrationsydelse", "ressourceforloeb", "jobafklaring"])
def test_general_rule_50_in_company_offers_or_education_else_30(book, benefit):
    for act in ACTS:
        want = 50 if act in ("virksomhedspraktik", "loentilskud", "ordinaer_uddannelse") else 30
        assert v14(book, JUNE_2014, benefit, act, 1) == want
        assert v14(book, LAST_2014_RULES, benefit, act, 300) == want


@pytest.mark.parametrize(
    "week,act,want",
    [(1, "none", 100), (4, "mentor", 100), (5, "none", 50), (8, "ordinaer_uddannelse", 50), (9, "virksomhedspraktik", 50),
     (9, "loentilskud", 50), (9, "delvis_raskmelding", 50), (9, "none", 30), (9, "ordinaer_uddannelse", 30), (52, "delvis_raskmelding", 50),
     (52, "mentor", 30), (53, "loentilskud", 0), (200, "none", 0)],
)
def test_sygedagpenge_bands(book, week, act, want):
    assert v14(book, JUNE_2014, "sygedagpenge", act, week) == want


@pytest.mark.parametrize("week,act,want", [(1, "none", 100), (4, "loentilskud", 100), (5, "loentilskud", 50), (5, "ordinaer_uddannelse", 50), (5, "none", 30), (100, "nytteindsats", 30)])
def test_dagpenge_karens_then_50_30(book, week, act, want):
    assert v14(book, JUNE_2014, "dagpenge", act, week) == want


def test_revalidering_and_fleksjob(book):
    assert v14(book, JUNE_2014, "revalidering", "virksomhedspraktik") == 65
    assert v14(book, JUNE_2014, "revalidering", "loentilskud") == 65
    assert v14(book, JUNE_2014, "revalidering", "ordinaer_uddannelse") == 50
    assert v14(book, JUNE_2014, "revalidering", "none") == 30
    for act in ACTS:
        assert v14(book, JUNE_2014, "fleksjob", act, 77) == 65


def test_2014_table_ends_the_day_before_the_staircase(book):
    with pytest.raises(KeyError):
        v14(book, dt.date(2016, 1, 4), "kontanthjaelp", "none")
    # seed 004 dates the table 2014; the engine looks ISO week 2014-W01 up at its Thursday, 2 January
    assert v14(book, dt.date(2014, 1, 1), "kontanthjaelp", "none") == 30
    assert v14(book, dt.date(2016, 1, 3), "kontanthjaelp", "none") == 30
    with pytest.raises(KeyError):
        v14(book, dt.date(2013, 12, 31), "kontanthjaelp", "none")


@pytest.mark.parametrize("week,want", [(1, 20), (4, 20), (5, 60), (26, 60), (27, 70), (52, 70), (53, 80), (400, 80)])
def test_dagpenge_co_financing_2016(book, week, want):
    assert book.value("dagpenge_medfinansiering", dt.date(2017, 3, 1), count_week=week) == want
    assert book.value("refusionstrappe", dt.date(2017, 3, 1), count_week=week) == 100 - want


def test_staircase_rules(book):
    r = staircase_rules(book)
    assert r.start == dt.date(2016, 1, 4)
    assert r.restart_selfsupport_weeks == 52
    assert r.restart_window_weeks == 156
    assert r.count_origin == dt.date(2014, 7, 1)
    assert "§ 30, stk. 1" in book.lookup("refusionstrappe_regler", r.start, parameter="count_origin").source
    assert "§ 6, stk. 1" in book.lookup("refusionstrappe_regler", r.start, parameter="restart_window_weeks").source
