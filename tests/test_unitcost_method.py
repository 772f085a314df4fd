"""The method's pure functions reproduce the published figures."""

import pytest

from budgetmodel.fmt import round_half_up
from budgetmodel.unitcost import method, names


def test_lyngby_taarbaek_productivity_and_staff_gap():
    """Seed 004 line 98 and 860: 51,6 årsværk, 24,3 against 26,9: 5,5 årsværk fewer than the average."""
    persons = method.aarspersoner_from(51.6, 24.3)
    assert round_half_up(method.productivity(51.6, persons), 1) == 24.3
    assert round_half_up(method.staff_at_rate(26.9, persons), 1) == 57.1
    gap = method.staff_gap(51.6, 24.3, 26.9)
    assert round_half_up(gap, 1) == -5.5


def test_varde_productivity():
    """Seed 002: 68,8 årsværk, ca. 2.850 årspersoner → 24,1."""
    assert round_half_up(method.productivity(68.8, 2850), 1) == 24.1
    assert round_half_up(method.staff_gap(68.8, 24.1, 26.9), 1) == -8.0


def test_rank_is_competition_ranking_from_the_most_productive():
    peers = {"a": 3.4, "b": 3.7, "c": 4.2, "d": 4.2, "e": 4.3, "f": 4.3}
    assert method.rank_position(3.4, peers) == 1
    assert method.rank_position(4.2, peers) == 3
    assert method.rank_position(4.3, peers) == 5
    assert method.rank_position(3.0, peers) == 1  # outside the peers, placed first
    assert method.rank_position(9.9, peers) == 7


def test_move_staff_keeps_the_total_varde():
    """Varde notes TC-B2: 1 årsværk from sygedagpenge to A-dagpenge."""
    staff = {"sygedagpenge": 17.1, "a_dagpenge": 8.5}
    persons = {"sygedagpenge": method.aarspersoner_from(17.1, 21.5), "a_dagpenge": method.aarspersoner_from(8.5, 10.5)}
    moved = method.move_staff(staff, persons, "sygedagpenge", "a_dagpenge", 1.0)
    assert moved == {"sygedagpenge": pytest.approx(16.1), "a_dagpenge": pytest.approx(9.5)}
    assert sum(moved.values()) == pytest.approx(sum(staff.values()))
    assert round(method.productivity(moved["sygedagpenge"], persons["sygedagpenge"]), 2) == 20.24
    assert round(method.productivity(moved["a_dagpenge"], persons["a_dagpenge"]), 2) == 11.74


def test_move_staff_rejects_impossible_moves():
    with pytest.raises(ValueError):
        method.move_staff({"a": 1.0, "b": 1.0}, {}, "a", "b", 2.0)
    with pytest.raises(ValueError):
        method.move_staff({"a": 1.0, "b": 1.0}, {}, "a", "a", 0.5)
    with pytest.raises(KeyError):
        method.move_staff({"a": 1.0}, {}, "a", "x", 0.5)
    with pytest.raises(ValueError):
        method.move_staff({"a": 1.0, "b": 1.0}, {}, "a", "b", -0.5)


def test_bdo_cost_per_conversation():
    """BDO 2024 line 823: 6.325 kr. per fuldtidsperson / 7,9 samtaler per fuldtidsperson ≈ 'godt 800 kr.'"""
    cost = method.activity_cost_top_down(6325, 7.9)
    assert round(cost, 1) == 800.6
    assert 800 < cost < 850  # "godt 800"
    # with the unrounded ratio of Tab. 5.1 (652.652 / 82.766)
    assert round(method.activity_cost_top_down(6325, 652652 / 82766)) == 802


def test_unit_cost_per_person_bdo_overhead_rule():
    """(årsværk × løn × 1,15 + eksterne) / fuldtidspersoner."""
    assert method.cost_per_aarsvaerk(500_000, 0.15) == pytest.approx(575_000)
    assert method.unit_cost_per_person(10, 500_000, 0.15, 250_000, 400) == pytest.approx((5_750_000 + 250_000) / 400)
    # BDO's national figures: 9.058 mio. kr. internal over 15.700 årsværk = 576.943 kr. per årsværk incl. overhead
    assert round(9_058e6 / 15_700) == 576_943
    assert round(method.cost_per_aarsvaerk(9_058e6 / 15_700 / 1.15, 0.15)) == 576_943


def test_hourly_cost_and_bottom_up_activity():
    per_hour = method.hourly_cost(501_689, 0.15, 1428)
    assert round(per_hour, 2) == 404.02
    # a jobsamtale for someone close to the labour market takes 1,6 hours on average (BDO Tab. 2.1)
    assert round(method.activity_cost_bottom_up(1.6, per_hour)) == 646
    # a rehabilitation meeting, far from the labour market: 20,5 hours
    assert round(method.activity_cost_bottom_up(20.5, per_hour)) == 8282


def test_mix_weighted_corrects_for_target_group_mix():
    rates = {"a": 10.0, "b": 30.0}
    assert method.mix_weighted(rates, {"a": 3, "b": 1}) == pytest.approx(15.0)
    assert method.mix_weighted(rates, {"a": 1, "b": 1, "c": 5}) == pytest.approx(20.0)  # c has no rate: left out
    with pytest.raises(ValueError):
        method.mix_weighted(rates, {"c": 1})


def test_bad_numbers_are_refused():
    with pytest.raises(ValueError):
        method.productivity(1.0, 0)
    with pytest.raises(ValueError):
        method.productivity(-1.0, 10)
    with pytest.raises(ValueError):
        method.cost_per_aarsvaerk(500_000, 1.5)
    with pytest.raises(ValueError):
        method.hourly_cost(500_000, 0.15, 0)
    with pytest.raises(ValueError):
        method.activity_cost_top_down(6325, 0)
    with pytest.raises(ValueError):
        method.simple_mean({})


def test_quartz_net_potential():
    assert method.net_potential(550, 786, 33, 56) == (517, 730)


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("Lyngby-Taarbæk", "Lyngby-Taarbæk"),
        ("lyngby-taarbaek", "Lyngby-Taarbæk"),
        ("LYNGBY TAARBAEK", "Lyngby-Taarbæk"),
        ("lyngby-taarbak", "Lyngby-Taarbæk"),
        ("sonderborg", "Sønderborg"),
        ("Soenderborg", "Sønderborg"),
        ("furesoe", "Furesø"),
        ("ikast brande", "Ikast-Brande"),
        ("AABENRAA", "Aabenraa"),
        ("Lyngby-Taarbæk Kommune", "Lyngby-Taarbæk"),
        ("ikast-brande kommune", "Ikast-Brande"),
    ],
)
def test_names_match_case_and_danish_letters(typed, expected):
    candidates = ["Sønderborg", "Lyngby-Taarbæk", "Furesø", "Ikast-Brande", "Aabenraa", "Assens"]
    assert names.match(typed, candidates) == expected


def test_names_no_match_or_ambiguous():
    assert names.match("Odense", ["Odsherred", "Assens"]) is None
    assert names.match("a", ["Aabenraa", "Assens"]) is None  # ambiguous beginning


FREDERIKS = ["Fredericia", "Frederiksberg", "Frederikshavn", "Frederikssund", "Fredensborg", "Lyngby-Taarbæk", "København"]


@pytest.mark.parametrize("typed", ["lyngby", "Lyngby", "Frederiks", "frederiksb", "Fredens", "Taarbæk"])
def test_names_a_beginning_or_part_is_not_a_name(typed):
    """Exact after normalisation: a prefix would pick a wrong municipality (or guess between several)."""
    assert names.match(typed, FREDERIKS) is None


@pytest.mark.parametrize("typed,expected", [
    ("frederiksberg kommune", "Frederiksberg"), ("FREDERIKSHAVN", "Frederikshavn"), ("Københavns Kommune", "København"),
    ("kobenhavn", "København"), ("koebenhavn", "København"), ("Lyngby Taarbaek Kommune", "Lyngby-Taarbæk"),
])
def test_names_exact_after_normalisation(typed, expected):
    assert names.match(typed, FREDERIKS) == expected


def test_names_unknown_lists_close_matches_in_danish():
    text = names.unknown_text("Frederiks", FREDERIKS, "en af benchmarkets 15 kommuner")
    assert "mente du" in text and "Frederiksberg" in text and "Frederikshavn" in text and "Frederikssund" in text
    assert "Lyngby-Taarbæk" not in text.split(";")[0]
    assert names.close("lyngby", FREDERIKS) == ["Lyngby-Taarbæk"]
    assert "ingen ligner" in names.unknown_text("Odense", FREDERIKS, "kendt")
    assert names.slug("Lyngby-Taarbæk") == "lyngby_taarbaek"
