"""The aggregate path gives the weekly engine's money for the same mix of helårspersoner."""

import numpy as np
import pandas as pd
import pytest

from budgetmodel.errors import InputError
from budgetmodel.financing.aggregate import price_cells
from budgetmodel.financing.refund import compute_refunds
from budgetmodel.rates import load_rates
from refund_reference import random_panel

WEEKS_PER_HELAARSPERSON = 52  # a helårsperson is 52 weeks on a benefit


@pytest.fixture(scope="module")
def book():
    return load_rates()


def band(x: np.ndarray, cuts: list[tuple[int, int | None]]) -> list[str]:
    out = []
    for v in x:
        for lo, hi in cuts:
            if v >= lo and (hi is None or v <= hi):
                out.append(f"{lo}-{hi}" if hi else f"{lo}+")
                break
    return out


def test_cells_from_a_panel_price_to_the_weekly_engines_money(book):
    rows = compute_refunds(random_panel(200, seed=99), book)
    rows["year"] = rows.week.astype(str).str[:4].astype(int)  # ISO year
    trappe = (rows.regime == "trappe").to_numpy()
    spell = band(rows.spell_week.to_numpy(), [(1, 4), (5, 8), (9, 52), (53, None)])
    count = band(np.maximum(rows.count_week.to_numpy(), 1), [(1, 4), (5, 26), (27, 52), (53, None)])
    rows["spell_band"] = np.where(trappe, "1+", spell)
    rows["count_band"] = np.where(trappe, count, "1+")
    keys = ["year", "benefit", "activation", "spell_band", "count_band"]
    grouped = rows.groupby(keys, observed=True).agg(weeks=("amount_dkk", "size"), gross=("amount_dkk", "sum"), state=("state_dkk", "sum")).reset_index()
    cells = pd.DataFrame(
        {
            "year": grouped.year,
            "benefit": grouped.benefit.astype(str),
            "activation": grouped.activation.astype(str),
            "spell_week": grouped.spell_band,
            "count_week": grouped.count_band,
            "helaarspersoner": grouped.weeks / WEEKS_PER_HELAARSPERSON,
            "level_dkk_per_helaarsperson": grouped.gross / (grouped.weeks / WEEKS_PER_HELAARSPERSON),
        }
    )
    priced = price_cells(cells, book)
    assert len(priced) > 100 and set(priced.regime) == {"2014", "trappe"}
    assert priced.state_dkk.sum() == pytest.approx(rows.state_dkk.sum(), abs=0.01)
    assert priced.municipal_dkk.sum() == pytest.approx(rows.municipal_dkk.sum(), abs=0.01)
    by_b = priced.groupby("benefit").state_dkk.sum()
    for b, s in rows.groupby("benefit", observed=True).state_dkk.sum().items():
        assert by_b[b] == pytest.approx(s, abs=0.01)
    np.testing.assert_allclose(priced.state_dkk.to_numpy(), grouped.state.to_numpy(), rtol=0, atol=1e-6)


def test_a_cell_by_hand(book):
    cells = pd.DataFrame(
        {"year": [2015, 2017], "benefit": ["sygedagpenge", "dagpenge"], "activation": ["delvis_raskmelding", "none"],
         "spell_week": ["9-52", "1+"], "count_week": ["1+", "27-52"], "helaarspersoner": [2.5, 4.0], "level_dkk_per_helaarsperson": [200000, 180000]}
    )
    out = price_cells(cells, book)
    assert out.state_share.tolist() == [0.5, 0.3]
    assert out.gross_dkk.tolist() == [500000.0, 720000.0]
    assert out.state_dkk.tolist() == [250000.0, 216000.0]
    assert out.municipal_dkk.tolist() == [250000.0, 504000.0]


def test_a_band_across_rate_bands_or_a_missing_needed_band_is_an_error(book):
    cells = pd.DataFrame({"date": ["2017-06-01", "2015-06-01"], "benefit": ["kontanthjaelp", "sygedagpenge"], "activation": ["none", "none"],
                          "count_week": ["1-26", "1"], "helaarspersoner": [1, 1], "level_dkk_per_helaarsperson": [1, 1]})
    with pytest.raises(InputError) as exc:
        price_cells(cells, book)
    text = str(exc.value)
    assert "<cells>:1: [count_week] række 1: count_week 1-26 spænder over andele fra 40% til 80%" in text
    assert "<cells>:2: [spell_week]" in text and "ingen kolonne spell_week" in text


def test_bad_cells_name_row_and_field(book):
    cells = pd.DataFrame({"year": [2017], "benefit": ["kontant"], "activation": ["none"], "count_week": ["0-4"], "helaarspersoner": [-1], "level_dkk_per_helaarsperson": [1]})
    with pytest.raises(InputError) as exc:
        price_cells(cells, book)
    text = str(exc.value)
    assert "[benefit] række 1: ukendt benefit 'kontant'" in text
    assert "[helaarspersoner] række 1" in text
    assert "[count_week] række 1" in text
