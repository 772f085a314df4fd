"""Co-financing priced for a caseload through the refund gateway: midlertidig arbejdsmarkedsydelse
(seed 002, Varde: the municipality contributes 70 pct., 50 pct. during an offer, 100 pct. when the
offer did not start in time, from 2015) and, from 4 January 2016, the co-financing 20/60/70/80 by
the count (LBK 221/2021 § 3, stk. 1, nr. 1-2, § 5, stk. 3) for it and for dagpenge."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from budgetmodel.financing import refund_rules as rr
from budgetmodel.financing.aggregate import price_cells
from budgetmodel.rates import load_rates

AMY = "midlertidig_arbejdsmarkedsydelse"


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.mark.parametrize(
    "at,activation,week,municipal",
    [
        ("2014-06-05", "none", 3, 0.7),  # first month, no offer yet
        ("2014-06-05", "none", 10, 0.7),  # late offer, but the 100 pct. does not apply in 2014
        ("2014-06-05", "virksomhedspraktik", 10, 0.5),
        ("2015-06-04", "none", 4, 0.7),  # within the deadline (the first 4 weeks)
        ("2015-06-04", "none", 5, 1.0),  # offer not started in time
        ("2015-06-04", "loentilskud", 30, 0.5),
        ("2016-06-02", "none", 3, 0.2),  # the count: 20/60/70/80
        ("2016-06-02", "none", 10, 0.6),
        ("2016-06-02", "virksomhedspraktik", 30, 0.7),
        ("2016-06-02", "none", 60, 0.8),
    ],
)
def test_gateway_arbejdsmarkedsydelse(book, at, activation, week, municipal):
    s = rr.benefit_share(book, benefit=AMY, activation=activation, spell_week=week, count_week=week, at=dt.date.fromisoformat(at))
    assert s.cofinancing == pytest.approx(municipal)
    assert s.municipal_share == pytest.approx(municipal)
    assert s.cites  # every answer cites the rate values it used


def _varde_like(year: int) -> pd.DataFrame:
    """150 helårspersoner à 127.140 kr. (489 kr. a day × 260, bm.dk satser 2014, 'andre personer'):
    half in company-based offers, 10 pct. in their first month on the ydelse."""
    rows = []
    for activation, a_share in (("virksomhedspraktik", 0.3), ("loentilskud", 0.2), ("none", 0.5)):
        for band, d_share in (("1-4", 0.1), ("5-52", 0.9)):
            rows.append({"year": year, "benefit": AMY, "activation": activation, "spell_week": band, "count_week": "53+",
                         "helaarspersoner": 150 * a_share * d_share, "level_dkk_per_helaarsperson": 127_140.0})
    return pd.DataFrame(rows)


def test_varde_like_caseload_priced(book):
    gross = 150 * 127_140
    y2014 = price_cells(_varde_like(2014), book)
    y2015 = price_cells(_varde_like(2015), book)
    y2016 = price_cells(_varde_like(2016), book)
    assert y2014["gross_dkk"].sum() == pytest.approx(gross)
    # 2014: 0,5 × 50 pct. + 0,5 × 70 pct. = 60 pct.
    assert y2014["municipal_dkk"].sum() == pytest.approx(0.60 * gross)
    # 2015: 0,5 × 50 + 0,5 × (0,1 × 70 + 0,9 × 100) = 73,5 pct.
    assert y2015["municipal_dkk"].sum() == pytest.approx(0.735 * gross)
    # 2016: the count (week 53+ after two years on dagpenge): 80 pct. for everyone
    assert y2016["municipal_dkk"].sum() == pytest.approx(0.80 * gross)


def test_dagpenge_caseload_cofinanced_by_the_count_from_2016(book):
    level = 4_135 * 52.0
    rows = [{"year": 2016, "benefit": "dagpenge", "activation": "none", "count_week": band, "spell_week": band,
             "helaarspersoner": n, "level_dkk_per_helaarsperson": level}
            for band, n in (("1-4", 10), ("5-26", 40), ("27-52", 30), ("53+", 20))]
    priced = price_cells(pd.DataFrame(rows), book)
    want = level * (10 * 0.2 + 40 * 0.6 + 30 * 0.7 + 20 * 0.8)
    assert priced["municipal_dkk"].sum() == pytest.approx(want)
    assert list(priced["municipal_dkk"] / (priced["helaarspersoner"] * level)) == pytest.approx([0.2, 0.6, 0.7, 0.8])
    # 2015: the 2014 rules — the state pays the first 4 weeks (karensperiode), then 30 pct. without activation
    rows15 = [dict(r, year=2015) for r in rows]
    p15 = price_cells(pd.DataFrame(rows15), book)
    assert list(p15["municipal_dkk"] / (p15["helaarspersoner"] * level)) == pytest.approx([0.0, 0.7, 0.7, 0.7])
