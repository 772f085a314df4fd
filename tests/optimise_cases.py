"""Small optimiser inputs whose optimum can be worked out by hand (used by tests/test_optimise_*.py).

The base case: one target group of 100 helårspersoner on a benefit of 100.000 kr. a year, 30 pct
refund outside and 50 pct inside company-based offers (the 2014 rule), 4 legal conversations a
year of 2 hours each, 800 hours per årsværk, 25 persons per broker, 400.000 kr. per årsværk.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from budgetmodel.optimise.data import FAMILIES, OptimiserInput

SOURCES = {"objective": "test: kommunens nettoudgift", **{f: f"test: kilde til {f}" for f in FAMILIES}}


def group(**kw: Any) -> dict:
    g = dict(
        id="kh",
        label="jobparate kontanthjælpsmodtagere",
        helaarspersoner=100.0,
        benefit_dkk_per_helaarsperson=100_000.0,
        refund_share_passive=0.3,
        refund_share_company=0.5,
        min_conversations_per_helaarsperson=4.0,
        hours_per_conversation=2.0,
        hours_per_placement=0.0,
        placements_per_helaarsperson=0.0,
        placeable_helaarspersoner=40.0,
        activatable_helaarspersoner=100.0,
        current_conversation_aarsvaerk=1.0,
        current_placement_aarsvaerk=0.0,
        current_in_company_offers=0.0,
    )
    g.update(kw)
    return g


def period(**kw: Any) -> dict:
    p = dict(
        id="2015",
        rates_date=dt.date(2015, 1, 1),
        groups=[group()],
        offers=[],
        wage_conversation_dkk_per_aarsvaerk=400_000.0,
        wage_placement_dkk_per_aarsvaerk=400_000.0,
        hours_per_aarsvaerk=800.0,
        persons_per_broker=25.0,
        budget_dkk=10_000_000.0,
        keep_current_staff=False,
    )
    p.update(kw)
    return p


def make(periods: list[dict] | None = None, **kw: Any) -> OptimiserInput:
    data = dict(municipality="Testkommune", regime="test", periods=periods or [period()], sources=SOURCES)
    data.update(kw)
    return OptimiserInput.model_validate(copy.deepcopy(data))


def jobformidler_period(**kw: Any) -> dict:
    """Seed 004, bilag 4, Tabel 1 as a fixed allocation: 2 brokers × 25 persons, 3 + 16 fewer helårstilbud.

    Caseload, staff and the prices of today's offers are illustrative; the initiative and its
    prices are the notat's: wages 1.000.000, refund 50 × (50−30) pct × 103.320, purchases
    3 × 56.209 + 16 × 68.791.
    """
    p = period(
        groups=[
            group(id="kh_jobparat_30plus", label="jobparate kontanthjælpsmodtagere over 30 år", helaarspersoner=200.0,
                  benefit_dkk_per_helaarsperson=103_320.0, hours_per_conversation=1.6, hours_per_placement=10.2,
                  placements_per_helaarsperson=2.0, placeable_helaarspersoner=60.0, activatable_helaarspersoner=150.0,
                  current_conversation_aarsvaerk=2.0),
            group(id="kh_jobparat_u30", label="jobparate kontanthjælpsmodtagere under 30 år", helaarspersoner=40.0,
                  benefit_dkk_per_helaarsperson=103_320.0, hours_per_conversation=1.6, hours_per_placement=10.2,
                  placements_per_helaarsperson=2.0, placeable_helaarspersoner=10.0, activatable_helaarspersoner=30.0,
                  current_conversation_aarsvaerk=0.5),
        ],
        offers=[
            dict(id="vo_30plus", label="vejledning og opkvalificering, over 30 år", group="kh_jobparat_30plus",
                 price_dkk_per_helaarstilbud=68_791.0, refund="none", current_helaarstilbud=40.0),
            dict(id="vo_u30", label="vejledning og opkvalificering, under 30 år", group="kh_jobparat_u30",
                 price_dkk_per_helaarstilbud=56_209.0, refund="none", current_helaarstilbud=10.0),
        ],
        wage_conversation_dkk_per_aarsvaerk=450_000.0,
        wage_placement_dkk_per_aarsvaerk=500_000.0,
        hours_per_aarsvaerk=828.24,
        budget_dkk=2.5 * 450_000.0 + 40 * 68_791.0 + 10 * 56_209.0,
        keep_current_staff=True,
        initiative=dict(placement_aarsvaerk={"kh_jobparat_30plus": 2.0}, in_company_offers={"kh_jobparat_30plus": 50.0},
                        helaarstilbud={"vo_30plus": -16.0, "vo_u30": -3.0}),
    )
    p.update(kw)
    return p
