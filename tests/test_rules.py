"""The law as data cases: every case in tests/rules/*.yaml (see tests/rules/README.md), one test each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from budgetmodel.errors import InputError
from budgetmodel.financing import refund_rules as rr
from budgetmodel.financing.panel import parse_week, week_label, week_number
from budgetmodel.financing.refund import compute_refunds
from budgetmodel.rates import load_rates

RULES = Path(__file__).parent / "rules"
BOOK = load_rates()


def _cases():
    for path in sorted(RULES.glob("*.yaml")):
        for i, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield pytest.param(case, id=f"{path.stem}[{i}] {case['name']}")


def _date(x) -> dt.date:
    return x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x))


def _rows(spec) -> list[dict]:
    rows = []
    for r in spec:
        if isinstance(r, dict):  # a run of weeks: {weeks: [first, last], row: [person, benefit, activation, amount]}
            first, last = (week_number(parse_week(str(w))) for w in r["weeks"])
            p, b, a, amt = r["row"]
            rows += [{"person_id": p, "week": week_label(w), "benefit": b, "activation": a, "amount_dkk": float(amt)} for w in range(first, last + 1)]
        else:
            p, w, b, a, amt = r
            rows.append({"person_id": p, "week": str(w), "benefit": b, "activation": a, "amount_dkk": float(amt)})
    return rows


@pytest.mark.parametrize("case", list(_cases()))
def test_rule(case):
    assert case.get("law"), "every case names the law it tests"
    book = BOOK.with_overrides(case["overrides"]) if case.get("overrides") else BOOK
    want = case["expect"]
    if "error" in want:  # no rule: the gateway, or the panel engine naming the row, refuses
        if "share" in case:
            call = lambda: rr.benefit_share(book, at=_date(case["date"]), **case["share"])  # noqa: E731
        elif "operating" in case:
            call = lambda: rr.operating_refund(book, at=_date(case["date"]), **case["operating"])  # noqa: E731
        else:
            call = lambda: compute_refunds(pd.DataFrame(_rows(case["panel"])), book)  # noqa: E731
        with pytest.raises((ValueError, InputError)) as exc:
            call()
        text = exc.value.render() if isinstance(exc.value, InputError) else str(exc.value)
        assert want["error"] in text, text
        return
    if "share" in case:
        got = rr.benefit_share(book, at=_date(case["date"]), **case["share"])
        for k, v in want.items():
            assert getattr(got, k) == v, (k, getattr(got, k))
    elif "operating" in case:
        got = rr.operating_refund(book, at=_date(case["date"]), **case["operating"])
        for k, v in want.items():
            assert getattr(got, k) == v, (k, getattr(got, k))
    elif "lookup" in case:
        at = _date(case["date"])
        spec = case["lookup"]
        if want.get("missing"):
            with pytest.raises(KeyError):
                book.lookup(spec["table"], at, **spec["where"])
            return
        v = book.lookup(spec["table"], at, **spec["where"])
        for k, x in want.items():
            got = v.assumed_unchanged(at) if k == "assumed_unchanged" else getattr(v, k)
            assert got == x, (k, got)
    elif "panel" in case:
        out = compute_refunds(pd.DataFrame(_rows(case["panel"])), book)
        benefit_rows = out[out.benefit != "ansat_med_loentilskud"]
        for k, x in want.items():
            if k in ("state_dkk", "municipal_dkk"):
                assert round(float(out[k].sum()), 2) == x, (k, float(out[k].sum()))
            elif k == "last":
                last = out.iloc[-1]
                for kk, xx in x.items():
                    assert last[kk] == xx, (kk, last[kk])
            elif k.endswith("_of_benefit_rows"):
                col = k.removesuffix("_of_benefit_rows")
                assert benefit_rows[col].tolist() == x, (col, benefit_rows[col].tolist())
            else:
                assert out[k].tolist() == x, (k, out[k].tolist())
    else:
        raise AssertionError(f"case without share/operating/lookup/panel: {case}")
