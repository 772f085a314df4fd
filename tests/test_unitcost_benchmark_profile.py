"""A benchmark municipality put through the profile route gives its published column (issue 15, item 4).

Varde from its profile used to come out 24,0 against the printed 24,1 (Tabel 3.1's rows add to 68,6,
its total is 68,8) and one rank worse in four areas (its own printed figure was counted as a peer).
"""

import pytest

from budgetmodel.fmt import round_half_up
from budgetmodel.paths import data_dir
from budgetmodel.unitcost.benchmark import BenchmarkData, benchmark, benchmark_profile, published_profile
from budgetmodel.unitcost.profile import UnitCostProfile, load_profile


@pytest.fixture(scope="module")
def data():
    return BenchmarkData.load()


@pytest.mark.parametrize("name", ["varde", "lyngby_taarbaek"])
def test_profile_gives_the_published_ranks_and_total(data, name):
    profile = load_profile(data_dir() / "profiles" / f"{name}.yaml")
    published = benchmark(data, profile.municipality)
    own = benchmark_profile(data, profile)
    assert round_half_up(own.total.productivity, 1) == data.t41.value("produktivitet", profile.municipality)
    assert own.total.rank == published.total.rank
    ranks = {a.code: a.rank for a in own.areas}
    for a in published.areas:
        assert ranks[a.code] == a.rank, a.code
        assert round_half_up([x for x in own.areas if x.code == a.code][0].productivity, 1) == (a.area_table_value if a.area_table_value is not None else a.productivity), a.code


def test_varde_by_hand(data):
    p = load_profile(data_dir() / "profiles" / "varde.yaml")
    assert p.aarsvaerk_rows == pytest.approx(68.6)  # Tabel 3.1's rows
    assert p.aarsvaerk_total == 68.8  # Tabel 3.1's total
    r = benchmark_profile(data, p)
    assert r.total.productivity == pytest.approx(68.8 / p.aarspersoner_total * 1000)
    areas = {a.code: a for a in r.areas}
    # management from the profile's own field: 4,5 årsværk / 2.854,8 årspersoner = 1,6 (Tabel 4.12), 7th
    assert p.heraf_aarsvaerk["ledelse"] == 4.5
    assert round_half_up(areas["heraf_ledelse"].productivity, 1) == 1.6 and areas["heraf_ledelse"].rank == 7
    # A-dagpenge 10,5 ties nobody among the other fourteen; four use fewer: 5th (the report's rank)
    assert areas["a_dagpenge"].rank == 5 and areas["sygedagpenge"].rank == 7
    assert areas["revalidering"].rank == 5 and areas["ledighedsydelse"].rank == 3


def test_a_changed_input_moves_the_rank(data):
    p = load_profile(data_dir() / "profiles" / "varde.yaml")
    groups = dict(p.target_groups)
    groups["a_dagpenge"] = groups["a_dagpenge"].model_copy(update={"aarsvaerk": 10.0, "tasks": {}})
    moved = p.model_copy(update={"target_groups": groups, "aarsvaerk_total_stated": 70.3})
    r = benchmark_profile(data, moved)
    areas = {a.code: a for a in r.areas}
    assert round_half_up(areas["a_dagpenge"].productivity, 1) == 12.4  # 10 / 809,5
    assert areas["a_dagpenge"].rank > 5
    assert round_half_up(r.total.productivity, 1) == round_half_up(70.3 / p.aarspersoner_total * 1000, 1) == 24.6


def test_without_management_field_falls_back_to_the_tasks(data):
    p = load_profile(data_dir() / "profiles" / "varde.yaml")
    r = benchmark_profile(data, p.model_copy(update={"heraf_aarsvaerk": {}}))
    led = [a for a in r.areas if a.code == "heraf_ledelse"][0]
    assert "teamledelse" in led.source


def test_stated_total_must_agree_with_rows():
    with pytest.raises(ValueError, match="aarsvaerk_total_stated"):
        UnitCostProfile.model_validate(
            {"municipality": "X", "target_groups": {"a_dagpenge": {"aarsvaerk": 10, "aarspersoner": 800}}, "aarsvaerk_total_stated": 12}
        )


@pytest.mark.parametrize("municipality", ["Sønderborg", "Middelfart", "Rebild", "Egedal", "Odsherred", "Jammerbugt", "Aabenraa", "Stevns", "Furesø", "Mariagerfjord", "Assens", "Ikast-Brande", "Haderslev"])
def test_estimated_profiles_give_the_printed_total_and_rank(data, municipality):
    p = published_profile(data, municipality, 4)
    r = benchmark_profile(data, p)
    assert round_half_up(r.total.productivity, 1) == data.t41.value("produktivitet", municipality)
    assert r.total.rank == benchmark(data, municipality).total.rank
