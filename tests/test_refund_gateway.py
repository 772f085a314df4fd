"""The refund gateway (financing/refund_rules.py): one route to a share, by the law of the date."""

import datetime as dt

import pytest

from budgetmodel.financing import refund_rules as rr
from budgetmodel.financing.shares import state_share
from budgetmodel.rates import load_rates
import numpy as np


@pytest.fixture(scope="module")
def book():
    return load_rates()


def share(book, benefit, at, activation="none", spell=1, count=1):
    return rr.benefit_share(book, benefit=benefit, activation=activation, spell_week=spell, count_week=count, at=dt.date.fromisoformat(at))


def test_2014_rules_before_the_staircase(book):
    r = share(book, "kontanthjaelp", "2015-06-01", activation="virksomhedspraktik", spell=40, count=99)
    assert (r.regime, r.state_share, r.cofinancing) == ("2014", 0.5, 0.0)
    assert [v.table_id for v in r.cites] == ["refusion_forsoergelse"]
    assert share(book, "foertidspension", "2015-06-01").state_share == 0.35


def test_staircase_and_cofinancing(book):
    r = share(book, "kontanthjaelp", "2017-03-01", count=30)
    assert (r.regime, r.state_share) == ("refusion", 0.3)
    assert [v.table_id for v in r.cites] == ["refusionstrappe_omfattede_ydelser", "refusionstrappe"]
    d = share(book, "dagpenge", "2017-03-01", count=30)
    assert (d.regime, d.state_share, d.cofinancing, d.municipal_share) == ("medfinansiering", 0.3, 0.7, 0.7)
    f = share(book, "foertidspension", "2026-03-01", count=200)
    assert (f.regime, f.state_share, f.cofinancing) == ("medfinansiering", 0.2, 0.8)


def test_subsidised_employment_is_no_benefit(book):
    for at in ("2015-01-05", "2020-01-06"):
        r = share(book, "ansat_med_loentilskud", at, count=0, spell=0)
        assert (r.regime, r.state_share) == ("stoettet_beskaeftigelse", 0.0)


def test_kontanthjaelp_reform_codes_priced_as_kontanthjaelp(book):
    for b in ("uddannelseshjaelp", "integrationsydelse"):
        r = share(book, b, "2025-07-07", count=10)
        assert (r.regime, r.state_share) == ("refusion", 0.4)
        assert r.cites[0].status == "assumption"


def test_operating_refund_by_date(book):
    def op(tg, expense, month, at):
        return rr.operating_refund(book, target_group=tg, expense=expense, benefit_month=month, at=dt.date.fromisoformat(at))

    assert op("kontanthjaelp_aktivitetsparat", "vejledning_opkvalificering", 3, "2014-06-01").share == 0.5
    assert op("kontanthjaelp_aktivitetsparat", "vejledning_opkvalificering", 3, "2014-06-01").within_driftsloft is True
    assert op("kontanthjaelp_jobparat", "vejledning_opkvalificering", 3, "2014-06-01").share == 0.0


def test_the_engine_reads_the_gateway(book):
    """The dense grid of shares.py equals the gateway cell by cell (one route)."""
    from budgetmodel.codes import ACTIVATIONS, BENEFITS

    for at in ("2014-03-06", "2015-12-31", "2016-01-07", "2019-07-04", "2025-07-03", "2027-01-07"):
        d = dt.date.fromisoformat(at)
        for b in BENEFITS:
            for a in ACTIVATIONS:
                for w in (1, 4, 5, 9, 26, 27, 52, 53, 300):
                    try:
                        want = rr.benefit_share(book, benefit=b, activation=a, spell_week=w, count_week=w, at=d).state_share
                    except KeyError:
                        continue
                    got = state_share(book, np.datetime64(at), b, a, w, w).item()
                    assert got == want, (at, b, a, w)


def _weeks(first: str, n: int) -> list[str]:
    from budgetmodel.financing.panel import parse_week, week_label, week_number

    w0 = week_number(parse_week(first))
    return [week_label(w0 + k) for k in range(n)]


def test_subsidised_weeks_are_not_self_support(book):
    """LBK 221/2021 § 6, stk. 2: 60 weeks in subsidised employment between two benefit spells do
    not restart the count; 60 weeks of nothing do."""
    import pandas as pd

    from budgetmodel.financing.refund import compute_refunds

    rows = []
    wk = _weeks("2017-W01", 10 + 60 + 1)
    for k, w in enumerate(wk):
        kind = "kontanthjaelp" if k < 10 or k == 70 else "ansat_med_loentilskud"
        rows.append({"person_id": "A", "week": w, "benefit": kind, "activation": "none", "amount_dkk": 0.0 if kind != "kontanthjaelp" else 1000.0})
    rows += [{"person_id": "B", "week": w, "benefit": "kontanthjaelp", "activation": "none", "amount_dkk": 1000.0} for k, w in enumerate(wk) if k < 10 or k == 70]
    out = compute_refunds(pd.DataFrame(rows), book)
    a = out[(out.person_id == "A") & (out.benefit == "kontanthjaelp")]
    b = out[out.person_id == "B"]
    assert a.count_week.tolist()[-1] == 11 and a.state_share.tolist()[-1] == 0.4  # no restart; week 11
    assert b.count_week.tolist()[-1] == 1 and b.state_share.tolist()[-1] == 0.8  # 60 weeks self-support: restart
    sub = out[out.benefit == "ansat_med_loentilskud"]
    assert (sub.count_week == 0).all() and (sub.state_dkk == 0).all()


def test_subsidised_week_with_an_amount_is_an_error(book):
    import pandas as pd

    from budgetmodel.errors import InputError
    from budgetmodel.financing.refund import compute_refunds

    df = pd.DataFrame([{"person_id": 1, "week": "2017-W01", "benefit": "ansat_med_loentilskud", "activation": "none", "amount_dkk": 5.0}])
    with pytest.raises(InputError, match="forventede beløbet 0"):
        compute_refunds(df, book)
