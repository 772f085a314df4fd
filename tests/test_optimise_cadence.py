"""The legal minimum conversations (rates/samtalekadence, seed 004's pjecer) and their yearly rate."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetmodel.optimise.data import conversations_per_helaarsperson
from budgetmodel.rates import load_rates

AT = dt.date(2014, 6, 1)


@pytest.fixture(scope="module")
def book():
    return load_rates()


def cadence(book, tg, share_first):
    c = lambda phase: (book.value("samtalekadence", AT, target_group=tg, phase=phase),  # noqa: E731
                       book.value("samtalekadence_vindue", AT, target_group=tg, phase=phase))
    return conversations_per_helaarsperson(c("foerste_3_maaneder"), c("derefter"), share_first)


@pytest.mark.parametrize("tg,first,then", [
    ("kontanthjaelp_jobparat", (3, 3), (4, 12)),  # visitation + 2 in 3 months; then 4 per 12 months
    ("kontanthjaelp_aktivitetsparat", (2, 3), (4, 12)),  # visitation + 4 × 3/12; then 4 per 12 months
    ("uddannelseshjaelp_uddannelsesparat", (3, 3), (0, 12)),  # 3 to visitate; then by need
    ("uddannelseshjaelp_aabenlyst_uddannelsesparat", (3, 3), (0, 12)),
    ("uddannelseshjaelp_aktivitetsparat", (3, 3), (1, 2)),  # every second month
])
def test_table_values(book, tg, first, then):
    for phase, (n, months) in (("foerste_3_maaneder", first), ("derefter", then)):
        assert book.value("samtalekadence", AT, target_group=tg, phase=phase) == n
        assert book.value("samtalekadence_vindue", AT, target_group=tg, phase=phase) == months


def test_not_in_force_before_the_reform(book):
    with pytest.raises(KeyError):
        book.value("samtalekadence", dt.date(2013, 12, 31), target_group="kontanthjaelp_jobparat", phase="derefter")


@pytest.mark.parametrize("tg,share,per_year", [
    ("kontanthjaelp_jobparat", 0.0, 4.0),
    ("kontanthjaelp_jobparat", 0.15, 0.15 * 12 + 0.85 * 4),  # 5,2
    ("kontanthjaelp_aktivitetsparat", 0.0, 4.0),
    ("uddannelseshjaelp_aktivitetsparat", 0.0, 6.0),
    ("uddannelseshjaelp_uddannelsesparat", 0.0, 0.0),
    ("uddannelseshjaelp_uddannelsesparat", 1.0, 12.0),
])
def test_conversations_per_helaarsperson(book, tg, share, per_year):
    assert cadence(book, tg, share) == pytest.approx(per_year)
