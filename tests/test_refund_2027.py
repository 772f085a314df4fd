"""A person-week panel 2014-2027 (benefit changes across the 2025 reform, subsidised-employment
weeks, restarts, førtidspension, midlertidig arbejdsmarkedsydelse before and after the staircase)
priced by the engine agrees row by row with the plain reference (tests/refund_reference.py, which
reads the rate tables itself, one row at a time); and a hand-computed panel in kroner."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from refund_reference import BENEFITS_ALL, MA, SUBSIDISED, random_panel, reference_rows  # noqa: E402

from budgetmodel.financing.refund import compute_refunds, summarise  # noqa: E402
from budgetmodel.rates import load_rates  # noqa: E402


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.mark.parametrize("seed", [11, 2027])
def test_panel_2014_2027_agrees_with_the_reference(book, seed):
    df = random_panel(50, seed=seed, first="2014-W01", weeks=730, benefits=BENEFITS_ALL, subsidised=0.4)
    assert (df.benefit == SUBSIDISED).any() and (df.week >= "2025-W27").any() and (df.benefit == "foertidspension").any()
    assert (df[df.benefit == MA].week < "2016-W01").any() and (df[df.benefit == MA].week >= "2016-W01").any()
    assert ((df.benefit == "jobafklaring") & (df.week >= "2027-W01")).any()
    got = compute_refunds(df, book)
    ref = pd.DataFrame(reference_rows(df.to_dict("records"), book))
    np.testing.assert_array_equal(got.count_week.to_numpy(), ref.count_week.to_numpy())
    np.testing.assert_array_equal(got.state_share.to_numpy(), ref.state_share.to_numpy())
    s = summarise(got)
    assert s["state_dkk"] == round(float(ref.state_dkk.sum()), 2)
    assert s["municipal_dkk"] == round(float(ref.municipal_dkk.sum()), 2)
    # restarts happened, and subsidised weeks carried no money and no count
    assert (got.count_week.diff() < 0).any()
    sub = got[got.benefit == SUBSIDISED]
    assert (sub.count_week == 0).all() and (sub.state_dkk == 0).all()


def test_weeks_after_known_through_are_recorded(book):
    df = random_panel(5, seed=1, first="2026-W40", weeks=30)
    b = load_rates()
    compute_refunds(df, b)
    assert "refusionstrappe" in {r["table"] for r in b.assumed_unchanged()}


def _weeks(pid, first, benefit, activations, amount):
    y, w = first.split("-W")
    import datetime as dt

    m = dt.date.fromisocalendar(int(y), int(w), 1)
    out = []
    for k, act in enumerate(activations):
        iy, iw, _ = (m + dt.timedelta(weeks=k)).isocalendar()
        out.append({"person_id": pid, "week": f"{iy}-W{iw:02d}", "benefit": MA if benefit is None else benefit, "activation": act, "amount_dkk": amount})
    return out


def test_hand_computed_panel_in_kroner(book):
    """Each week priced by hand from the rules (state share = 100 - the municipality's part):
    1) MA-ydelse 2014-W49 - 2015-W04, 1.234,50 kr. a week. Seed 002 pkt. 334 (Varde, l. 397, 433-435;
       rates/medfinansiering_arbejdsmarkedsydelse, midlertidig_arbejdsmarkedsydelse_regler): spell weeks
       1-4 without an offer, contribution 70 → 30 pct. = 4 x 370,35; week 5 (2015-W01, Thursday
       1 January 2015) without an offer after the 4-week deadline: 100 pct. from 2015 → 0; week 6 in
       løntilskud: 50 → 617,25; week 7 delvis raskmelding (no LAB tilbud) → 0; week 8 mentor (LAB
       § 31 b) → 617,25. State 2.715,90 kr.
    2) MA-ydelse 2014-W10 - W14 without an offer, 1.000 kr.: week 5 is late, but the 100 pct. rule
       'gælder dog ikke for 2014' (l. 435) → 70 → 5 x 300 = 1.500,00 kr.
    3) MA-ydelse 2016-W01 - W06, 2.000 kr., first weeks on benefit: co-financed on the count (LBK
       221/2021 § 3, stk. 1, nr. 2, § 5, stk. 3: 20/60 pct.) → 4 x 1.600 + 2 x 800 = 8.000,00 kr.
    4) førtidspension 2015-W53 and 2016-W01, 3.000 kr.: 35 pct. before the staircase
       (rates/refusion_forsoergelse, pensionsloven § 52) = 1.050; then count week 2 (§ 30, stk. 1:
       2015-W53 counted), co-financing 20 → 2.400. State 3.450,00 kr.
    5) jobafklaring 2027-W01 - W05, 500 kr.: priced as sygedagpenge on the staircase from 2027
       (refusionstrappe_omfattede_ydelser), 80/40 pct. → 4 x 400 + 200 = 1.800,00 kr."""
    rows = (
        _weeks(1, "2014-W49", None, ["none"] * 5 + ["loentilskud", "delvis_raskmelding", "mentor"], 1234.50)
        + _weeks(2, "2014-W10", None, ["none"] * 5, 1000.0)
        + _weeks(3, "2016-W01", None, ["none", "virksomhedspraktik"] * 3, 2000.0)
        + _weeks(4, "2015-W53", "foertidspension", ["none"] * 2, 3000.0)
        + _weeks(5, "2027-W01", "jobafklaring", ["none"] * 5, 500.0)
    )
    df = pd.DataFrame(rows)
    got = compute_refunds(df, book)
    assert got.state_share.tolist() == [0.3] * 4 + [0.0, 0.5, 0.0, 0.5] + [0.3] * 5 + [0.8] * 4 + [0.4] * 2 + [0.35, 0.8] + [0.8] * 4 + [0.4]
    s = summarise(got)
    assert s["gross_dkk"] == 35376.00
    assert s["state_dkk"] == 17465.90
    assert s["municipal_dkk"] == 17910.10
    assert s["by_benefit"][MA]["state_dkk"] == 12215.90
    ref = pd.DataFrame(reference_rows(rows, book))
    assert ref.state_share.tolist() == got.state_share.tolist()
    assert round(float(ref.state_dkk.sum()), 2) == 17465.90
