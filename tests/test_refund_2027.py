"""A person-week panel 2014-2027 (benefit changes across the 2025 reform, subsidised-employment
weeks, restarts, førtidspension) priced by the engine agrees row by row with the plain reference
(tests/refund_reference.py, which reads the rate tables itself, one row at a time)."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from refund_reference import BENEFITS_2027, SUBSIDISED, random_panel, reference_rows  # noqa: E402

from budgetmodel.financing.refund import compute_refunds, summarise  # noqa: E402
from budgetmodel.rates import load_rates  # noqa: E402


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.mark.parametrize("seed", [11, 2027])
def test_panel_2014_2027_agrees_with_the_reference(book, seed):
    df = random_panel(50, seed=seed, first="2014-W01", weeks=730, benefits=BENEFITS_2027, subsidised=0.4)
    assert (df.benefit == SUBSIDISED).any() and (df.week >= "2025-W27").any() and (df.benefit == "foertidspension").any()
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
