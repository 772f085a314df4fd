"""The weekly engine on hand-built panels with known answers: every rule and band edge."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from budgetmodel.errors import InputError
from budgetmodel.financing.refund import compute_refunds, refund_summary, summarise
from budgetmodel.financing.shares import state_share
from budgetmodel.rates import load_rates
from refund_reference import BENEFITS_ALL, MA, random_panel, reference_rows, week_str


@pytest.fixture(scope="module")
def book():
    return load_rates()


def weeks(first: str, n: int, step: int = 1) -> list[str]:
    y, w = first.split("-W")
    m = dt.date.fromisocalendar(int(y), int(w), 1)
    return [week_str(m + dt.timedelta(weeks=k * step)) for k in range(n)]


def rows(person, week_list, benefit, activation="none", amount=1000.0):
    return [{"person_id": person, "week": w, "benefit": benefit, "activation": activation, "amount_dkk": amount} for w in week_list]


def run(book, *parts):
    df = pd.DataFrame([r for part in parts for r in part])
    return compute_refunds(df, book)


# ------------------------------------------------------------------- 2014 rules


def test_kontanthjaelp_50_in_company_offer_30_otherwise(book):
    out = run(book, rows(1, ["2015-W10"], "kontanthjaelp", "loentilskud"), rows(1, ["2015-W11"], "kontanthjaelp", "vejledning_opkvalificering"),
              rows(1, ["2015-W12"], "kontanthjaelp", "ordinaer_uddannelse"), rows(2, ["2015-W10"], "uddannelseshjaelp", "virksomhedspraktik"),
              rows(3, ["2014-W30"], "ledighedsydelse", "nytteindsats"))
    assert out.state_share.tolist() == [0.5, 0.3, 0.5, 0.5, 0.3]
    assert out.state_dkk.tolist() == [500.0, 300.0, 500.0, 500.0, 300.0]
    assert out.municipal_dkk.tolist() == [500.0, 700.0, 500.0, 500.0, 700.0]
    assert set(out.regime) == {"2014"}


def test_sygedagpenge_band_edges_4_5_8_9_52_53(book):
    ws = weeks("2014-W02", 60)
    acts = ["none"] * 60
    acts[8] = "loentilskud"  # spell week 9 with løntilskud → 50
    acts[51] = "delvis_raskmelding"  # spell week 52 → 50
    acts[52] = "delvis_raskmelding"  # spell week 53 → 0 whatever the activation
    out = run(book, [r | {"activation": a} for r, a in zip(rows(1, ws, "sygedagpenge"), acts)])
    got = dict(zip(out.spell_week, out.state_share))
    assert [got[k] for k in (1, 4, 5, 8, 9, 10, 52, 53, 60)] == [1.0, 1.0, 0.5, 0.5, 0.5, 0.3, 0.5, 0.0, 0.0]


def test_dagpenge_karens_weeks_1_4_then_50_30(book):
    out = run(book, rows(1, weeks("2015-W01", 4), "dagpenge"), rows(1, ["2015-W05"], "dagpenge", "loentilskud"), rows(1, ["2015-W06"], "dagpenge", "mentor"))
    assert out.spell_week.tolist() == [1, 2, 3, 4, 5, 6]
    assert out.state_share.tolist() == [1.0, 1.0, 1.0, 1.0, 0.5, 0.3]


def test_revalidering_fleksjob_and_the_general_rule_for_benefits_not_in_the_table(book):
    out = run(book, rows(1, ["2015-W01"], "revalidering", "virksomhedspraktik"), rows(1, ["2015-W02"], "revalidering", "ordinaer_uddannelse"),
              rows(1, ["2015-W03"], "revalidering", "mentor"), rows(2, ["2015-W01"], "fleksjob", "none"), rows(3, ["2015-W01"], "integrationsydelse", "loentilskud"),
              rows(3, ["2015-W02"], "jobafklaring", "none"), rows(3, ["2015-W03"], "ressourceforloeb", "ordinaer_uddannelse"))
    assert out.state_share.tolist() == [0.65, 0.5, 0.3, 0.65, 0.5, 0.3, 0.5]


def test_spell_restarts_after_a_gap_and_is_per_benefit(book):
    out = run(book, rows(1, weeks("2014-W10", 4), "sygedagpenge"), rows(1, weeks("2014-W15", 5), "sygedagpenge"),  # gap in W14
              rows(2, weeks("2014-W10", 6), "sygedagpenge"), rows(2, ["2014-W12"], "kontanthjaelp"))  # a second benefit does not break the spell
    p1 = out[out.person_id == 1]
    assert p1.spell_week.tolist() == [1, 2, 3, 4, 1, 2, 3, 4, 5]
    assert p1.state_share.tolist() == [1.0] * 8 + [0.5]
    p2 = out[(out.person_id == 2) & (out.benefit == "sygedagpenge")]
    assert p2.spell_week.tolist() == [1, 2, 3, 4, 5, 6]


# ------------------------------------------------------------------- staircase


def test_staircase_band_edges_and_dagpenge_complement(book):
    ws = weeks("2016-W10", 60)
    out = run(book, rows(1, ws, "kontanthjaelp"), rows(2, ws, "dagpenge"))
    for p in (1, 2):
        got = dict(zip(out[out.person_id == p].count_week, out[out.person_id == p].state_share))
        assert [got[k] for k in (1, 4, 5, 26, 27, 52, 53, 60)] == [0.8, 0.8, 0.4, 0.4, 0.3, 0.3, 0.2, 0.2]
    assert set(out.regime) == {"trappe"}


def test_one_count_across_benefits_a_week_with_two_benefits_counts_once(book):
    out = run(book, rows(1, weeks("2016-W01", 3), "kontanthjaelp"), rows(1, weeks("2016-W03", 3), "sygedagpenge"), rows(1, ["2016-W06"], "dagpenge"))
    assert out.count_week.tolist() == [1, 2, 3, 3, 4, 5, 6]
    assert out.state_share.tolist() == [0.8, 0.8, 0.8, 0.8, 0.8, 0.4, 0.4]


def test_activation_does_not_matter_on_the_staircase(book):
    out = run(book, rows(1, ["2016-W01"], "kontanthjaelp", "loentilskud"), rows(2, ["2016-W01"], "sygedagpenge", "none"))
    assert out.state_share.tolist() == [0.8, 0.8]


def test_restart_after_exactly_52_self_support_weeks_not_51(book):
    a = rows(1, ["2016-W01"], "kontanthjaelp") + rows(1, [weeks("2016-W01", 2, 53)[1]], "kontanthjaelp")  # 52 weeks absent between
    b = rows(2, ["2016-W01"], "kontanthjaelp") + rows(2, [weeks("2016-W01", 2, 52)[1]], "kontanthjaelp")  # 51 weeks absent
    out = run(book, a, b)
    assert out[out.person_id == 1].count_week.tolist() == [1, 1]
    assert out[out.person_id == 2].count_week.tolist() == [1, 2]


def test_self_support_counts_only_within_156_weeks(book):
    # start s; 30 weeks off; on; 22 weeks off; on again. With 70 weeks on in between, the 30 + 22
    # weeks lie within 156 weeks (restart); with 130 weeks on, only 4 of the 30 are left in the window.
    def person(pid, middle):
        ws = weeks("2016-W01", 1 + 30 + middle + 22 + 1)
        on = [ws[0]] + ws[31 : 31 + middle] + [ws[-1]]
        return rows(pid, on, "kontanthjaelp")

    out = run(book, person(1, 70), person(2, 130))
    assert out[out.person_id == 1].count_week.iloc[-1] == 1
    assert out[out.person_id == 2].count_week.iloc[-1] == 132


def test_self_support_before_the_current_count_does_not_count(book):
    # restart at t1 after 52 weeks off; then 51 weeks off: no second restart, although the earlier 52
    # weeks are within 156 weeks (they lie before the first week of the current count).
    ws = weeks("2016-W01", 1 + 52 + 1 + 1 + 51 + 1)
    on = [ws[0], ws[53], ws[54], ws[-1]]
    out = run(book, rows(1, on, "kontanthjaelp"))
    assert out.count_week.tolist() == [1, 1, 2, 3]


def test_transitional_rule_counts_weeks_from_2014_w27(book):
    # § 30, stk. 1: weeks with benefits from 1 July 2014 (the week 2014-W27) count on the staircase
    early = weeks("2014-W20", 9)  # W20 … W28
    out = run(book, rows(1, early, "kontanthjaelp"))
    assert out.count_week.tolist() == [0] * 7 + [1, 2]
    # continuously on benefit since 2014: 2014-W27 … 2015-W53 is 26 + 53 = 79 weeks → 2016-W01 is week 80
    on = weeks("2014-W01", 106)  # 52 weeks in 2014, 53 in 2015
    assert on[-1] == "2016-W01"
    out = run(book, rows(2, on, "kontanthjaelp"))
    last = out.iloc[-1]
    assert (last.count_week, last.state_share, last.regime) == (80, 0.2, "trappe")
    assert out.iloc[-2].regime == "2014" and out.iloc[-2].state_share == 0.3


def test_2015_to_2016_boundary_in_one_person(book):
    out = run(book, rows(1, weeks("2015-W50", 4), "sygedagpenge"), rows(1, weeks("2016-W01", 2), "sygedagpenge"))
    assert out.week.tolist() == ["2015-W50", "2015-W51", "2015-W52", "2015-W53", "2016-W01", "2016-W02"]
    assert out.spell_week.tolist() == [1, 2, 3, 4, 5, 6]
    assert out.count_week.tolist() == [1, 2, 3, 4, 5, 6]
    assert out.state_share.tolist() == [1.0, 1.0, 1.0, 1.0, 0.4, 0.4]


def test_weeks_absent_before_the_panel_are_self_support(book):
    out = run(book, rows(1, weeks("2019-W10", 5), "dagpenge"))
    assert out.count_week.tolist() == [1, 2, 3, 4, 5]
    assert out.state_share.tolist() == [0.8, 0.8, 0.8, 0.8, 0.4]


# ------------------------------------------------------------------- engine properties


def test_unsorted_input_gives_the_same_rows_in_input_order(book):
    df = random_panel(60, seed=3)
    a = compute_refunds(df, book)
    shuffled = df.sample(frac=1.0, random_state=11)
    b = compute_refunds(shuffled, book)
    pd.testing.assert_frame_equal(a.loc[shuffled.index].reset_index(drop=True), b.reset_index(drop=True), check_categorical=False)


def test_engine_matches_the_per_row_python_reference_to_the_krone(book):
    df = random_panel(250, seed=2024, benefits=BENEFITS_ALL)  # every benefit a panel can carry, 2014-2017
    ref = pd.DataFrame(reference_rows(df.to_dict("records"), book))
    got = compute_refunds(df, book)
    # midlertidig arbejdsmarkedsydelse before the staircase past the offer deadline, with and without
    # an offer, and after it (co-financed on the count)
    ma = ref[ref.benefit == MA]
    before = ma[ma.week < "2016-W01"]
    assert (before[before.spell_week > 4].activation == "none").any() and (before[before.spell_week > 4].activation != "none").any()
    assert (ma.week >= "2016-W01").any() and (before.state_share == 0.0).any()
    assert (got.count_week.to_numpy() == ref.count_week.to_numpy()).all()
    assert (got.spell_week.to_numpy() == ref.spell_week.to_numpy()).all()
    assert (got.count_week == 1).sum() > got.person_id.nunique()  # restarts happened
    np.testing.assert_array_equal(got.state_share.to_numpy(), ref.state_share.to_numpy())
    summary = summarise(got)
    assert abs(summary["state_dkk"] - ref.state_dkk.sum()) < 0.01
    assert abs(summary["municipal_dkk"] - ref.municipal_dkk.sum()) < 0.01
    for b, g in ref.groupby("benefit"):
        assert abs(summary["by_benefit"][b]["state_dkk"] - g.state_dkk.sum()) < 0.01
    assert refund_summary(df, book) == summary


def test_state_share_agrees_with_the_engine(book):
    df = random_panel(40, seed=5)
    got = compute_refunds(df, book)
    mondays = np.array([dt.date.fromisocalendar(int(w[:4]), int(w[6:]), 1) for w in got.week.astype(str)], dtype="datetime64[D]")
    share = state_share(book, mondays, got.benefit.astype(str).to_numpy(), got.activation.astype(str).to_numpy(), got.spell_week.to_numpy(), got.count_week.to_numpy())
    np.testing.assert_array_equal(share, got.state_share.to_numpy())


def test_state_share_takes_dates_inside_the_week_and_integer_codes(book):
    friday = np.datetime64("2016-01-08")
    assert state_share(book, friday, 3, 0, 1, 5).item() == 0.4  # dagpenge, count week 5
    assert state_share(book, np.datetime64("2016-01-01"), "sygedagpenge", "none", 9, 1).item() == 0.3  # Friday in 2015-W53
    with pytest.raises(ValueError, match="ukendt benefit"):
        state_share(book, friday, "kontant", "none", 1, 1)
    # every week before the staircase follows the 2014 rules (issue 3), from their first day on
    assert state_share(book, np.datetime64("2014-01-01"), "kontanthjaelp", "virksomhedspraktik", 1, 1).item() == 0.5
    with pytest.raises(ValueError, match="ingen regel for 2010-W01"):
        state_share(book, np.datetime64("2010-01-04"), "kontanthjaelp", "virksomhedspraktik", 1, 1)


def test_summary_totals_are_rounded_half_up_to_the_ore(book):
    out = run(book, rows(1, ["2015-W10"], "kontanthjaelp", "none", 0.05))  # 30 pct. of 0,05 = 0,015 → 0,02
    s = summarise(out)
    assert (s["gross_dkk"], s["state_dkk"], s["municipal_dkk"]) == (0.05, 0.02, 0.04)
    assert list(s)[:4] == ["gross_dkk", "state_dkk", "municipal_dkk", "by_benefit"]


def test_two_payments_in_one_week_share_the_spell_and_count(book):
    """A change of activation within a week gives two rows for the same person, week and benefit:
    two payments, the same spell week (2014) / count week (staircase), each at its own share."""
    df = pd.DataFrame(
        rows(1, ["2015-W01", "2015-W02"], "kontanthjaelp", "none", 1000.0)
        + rows(1, ["2015-W02"], "kontanthjaelp", "virksomhedspraktik", 500.0)
        + rows(2, ["2016-W01", "2016-W02", "2016-W03", "2016-W04", "2016-W05"], "dagpenge", "none", 1000.0)
        + rows(2, ["2016-W05"], "dagpenge", "none", 200.0)
    )
    out = compute_refunds(df, book)
    assert list(out["spell_week"][:3]) == [1, 2, 2]
    assert list(out["state_dkk"][:3]) == [300.0, 300.0, 250.0]
    assert list(out["count_week"][3:]) == [1, 2, 3, 4, 5, 5]
    assert list(out["state_dkk"][3:]) == [800.0, 800.0, 800.0, 800.0, 400.0, 80.0]


def test_csv_person_ids_are_text(tmp_path, book):
    """'0101701234' and '101701234' are two persons even when every id in the file looks numeric."""
    from budgetmodel.financing.panel import read_panel

    p = tmp_path / "cpr.csv"
    p.write_text(
        "person_id,week,benefit,activation,amount_dkk\n"
        + "".join(f"0101701234,2016-W0{w},kontanthjaelp,none,100\n" for w in (1, 2, 3, 4))
        + "101701234,2016-W05,kontanthjaelp,none,100\n",
        encoding="utf-8",
    )
    out = compute_refunds(read_panel(p), book)
    assert list(out["count_week"]) == [1, 2, 3, 4, 1]
    assert out["state_dkk"].sum() == 400.0


def test_the_2014_rules_apply_from_their_first_day_and_no_week_before(book):
    """Issue 3 / 16: weeks before 2016-01-04 follow the 2014 rules from their first value
    (refusion_forsoergelse, valid from 2014-01-01; 2014-W01 is dated by Thursday 2 January 2014);
    a week before that has no rule and is an error naming its row, not a price."""
    df = pd.DataFrame(rows(1, ["2014-W01", "2014-W02", "2014-W03", "2014-W04", "2014-W05"], "sygedagpenge", "none", 1000.0))
    out = compute_refunds(df, book)
    assert list(out["spell_week"]) == [1, 2, 3, 4, 5]
    assert list(out["state_dkk"]) == [1000.0, 1000.0, 1000.0, 1000.0, 500.0]
    early = pd.DataFrame(rows(1, ["2013-W51", "2013-W52", "2014-W01"], "sygedagpenge", "none", 1000.0))
    with pytest.raises(InputError) as exc:
        compute_refunds(early, book)
    msgs = [p.message for p in exc.value.problems]
    assert len(msgs) == 2 and msgs[0].startswith("række 1: ingen regel for 2013-W51: reglerne i rates/ gælder fra 2014-01-01")
    assert [p.field for p in exc.value.problems] == ["week", "week"]
