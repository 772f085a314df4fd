import datetime as dt

import pytest

from budgetmodel.rates import load_rates


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.mark.parametrize(
    "week,share",
    [(1, 80), (4, 80), (5, 40), (26, 40), (27, 30), (52, 30), (53, 20), (260, 20)],
)
def test_refusionstrappe_2017(book, week, share):
    assert book.value("refusionstrappe", dt.date(2017, 3, 1), count_week=week) == share


def test_refusionstrappe_not_in_force_before_2016_01_04(book):
    with pytest.raises(KeyError):
        book.value("refusionstrappe", dt.date(2016, 1, 3), count_week=1)
    assert book.value("refusionstrappe", dt.date(2016, 1, 4), count_week=1) == 80
