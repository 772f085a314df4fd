"""law.overrides mechanics: a reform laid over the rate book (budgetmodel.rates.book)."""

import datetime as dt

import pandas as pd
import pytest

from budgetmodel.errors import InputError
from budgetmodel.financing.refund import compute_refunds
from budgetmodel.financing.refund_rules import benefit_share
from budgetmodel.rates import load_rates

HALF = [{"table": "refusionstrappe", "where": {}, "valid_from": "2016-01-04", "value": 50, "source": "Reformforslag (test)", "note": "alle trin 50 pct."}]


@pytest.fixture(scope="module")
def book():
    return load_rates()


def test_override_is_a_new_book_and_the_baseline_is_untouched(book):
    reform = book.with_overrides(HALF)
    at = dt.date(2017, 3, 1)
    assert reform is not book
    assert book.value("refusionstrappe", at, count_week=3) == 80
    v = reform.lookup("refusionstrappe", at, count_week=3)
    assert (v.value, v.status, v.source) == (50, "reform", "Reformforslag (test)")
    assert reform.value("refusionstrappe", at, count_week=60) == 50
    assert [x.status for x in reform.table("refusionstrappe").in_force(at)] == ["reform"]


def test_fingerprints(book):
    reform = book.with_overrides(HALF)
    assert reform.base_fingerprint == book.fingerprint
    assert book.overlay_fingerprint is None
    assert reform.overlay_fingerprint is not None and reform.fingerprint != book.fingerprint
    other = book.with_overrides([HALF[0] | {"value": 40}])
    assert other.overlay_fingerprint != reform.overlay_fingerprint


def test_override_of_one_band_leaves_the_others(book):
    reform = book.with_overrides([{"table": "refusionstrappe", "where": {"count_week": "1-4"}, "valid_from": "2027-01-01", "value": 60, "source": "Test reform"}])
    assert reform.value("refusionstrappe", dt.date(2027, 1, 4), count_week=2) == 60
    assert reform.value("refusionstrappe", dt.date(2026, 12, 28), count_week=2) == 80
    assert reform.value("refusionstrappe", dt.date(2027, 1, 4), count_week=10) == 40


def test_the_engine_prices_the_reform(book):
    reform = book.with_overrides(HALF)
    panel = pd.DataFrame({"person_id": [1, 1, 1], "week": ["2016-W01", "2016-W02", "2016-W40"], "benefit": ["kontanthjaelp", "dagpenge", "kontanthjaelp"], "activation": "none", "amount_dkk": 1000.0})
    out = compute_refunds(panel, reform)
    # kontanthjælp is on the staircase (50 pct.), dagpenge co-financed (unchanged 80/40 …)
    assert out.state_share.tolist() == [0.5, 0.8, 0.5]
    assert compute_refunds(panel, book).state_share.tolist() == [0.8, 0.8, 0.8]  # count weeks 1, 2, 3
    assert benefit_share(reform, benefit="sygedagpenge", activation="none", spell_week=1, count_week=70, at=dt.date(2016, 6, 1)).state_share == 0.5


def test_problems_are_listed_together_and_located(book):
    lines = {("law", "overrides", 0, "value"): 12, ("law", "overrides", 1, "table"): 20}
    bad = [
        {"table": "refusionstrappe", "where": {"count_wek": "1-4"}, "valid_from": "2016-01-04", "value": 150, "source": "Test reform"},
        {"table": "refusionstrape", "valid_from": "2016-01-04", "value": 50, "source": "Test reform"},
        {"table": "refusionstrappe", "valid_from": "2016-13-04", "value": 50, "source": "Test reform", "colour": "red"},
        {"table": "refusionstrappe", "where": {"count_week": "1-4"}, "valid_from": "2016-01-04", "value": "x"},
    ]
    with pytest.raises(InputError) as exc:
        book.with_overrides(bad, file="s.yaml", locate=lambda path: lines.get(path))
    got = {(p.field, p.line) for p in exc.value.problems}
    assert ("law.overrides.0.value", 12) in got
    assert ("law.overrides.0.where.count_wek", None) in got
    assert ("law.overrides.1.table", 20) in got
    assert ("law.overrides.2.valid_from", None) in got and ("law.overrides.2.colour", None) in got
    assert ("law.overrides.3.value", None) in got and ("law.overrides.3.source", None) in got
    assert all(p.file == "s.yaml" for p in exc.value.problems)


def test_two_overrides_for_one_cell_and_day_are_an_error(book):
    two = [HALF[0], HALF[0] | {"where": {"count_week": "1-4"}, "value": 60}]
    with pytest.raises(InputError, match="overlapper ændring 0"):
        book.with_overrides(two)


def test_a_rate_file_may_not_claim_status_reform(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "id: t\ndescription: Test\nunit: pct\nvalues:\n  - {valid_from: 2016-01-04, value: 5, source: abc, status: reform}\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="kun til law.overrides"):
        load_rates(tmp_path, need=())


def test_lookups_after_known_through_are_recorded():
    book = load_rates()
    v = book.lookup("refusionstrappe", dt.date(2030, 1, 1), count_week=1)
    assert v.known_through is not None and v.assumed_unchanged(dt.date(2030, 1, 1))
    assert not v.assumed_unchanged(v.known_through)
    [row] = [r for r in book.assumed_unchanged() if r["table"] == "refusionstrappe"]
    assert row["text"] == f"refusionstrappe: lov antaget uændret efter {v.known_through.isoformat()}"
