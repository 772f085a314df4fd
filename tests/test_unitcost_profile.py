"""The profile file: validated with every problem at once, each with file and line."""

import pytest

from budgetmodel.errors import InputError
from budgetmodel.paths import data_dir
from budgetmodel.unitcost.profile import IN_TOTAL, TARGET_GROUPS, UnitCostProfile, load_profile

GOOD = """municipality: Eksempelby
reference_year: 2024
source: kommunens egen opgørelse
target_groups:
  a_dagpenge:
    aarsvaerk: 10
    aarspersoner: 1000
    tasks: {sagsbehandling: 7, virksomhedsindsats: 2, teamledelse: 1}
    external_dkk: 1500000
  sygedagpenge:
    aarsvaerk: 12.5
    aarspersoner: 600
cross_cutting:
  administration: 8
salary_dkk_per_aarsvaerk: 520000
"""


def test_good_profile(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text(GOOD, encoding="utf-8")
    prof = load_profile(p)
    assert prof.municipality == "Eksempelby"
    assert prof.aarsvaerk_total == pytest.approx(30.5)
    assert prof.total_aarspersoner() == 1600
    assert prof.target_groups["a_dagpenge"].external_dkk == 1_500_000
    assert prof.salary_dkk_per_aarsvaerk == 520_000 and prof.overhead_share is None
    with pytest.raises(Exception):
        prof.municipality = "x"  # frozen


def test_all_problems_at_once_with_lines(tmp_path):
    bad = """municipality: Eksempelby
target_groups:
  a_dagpenge:
    aarsvaerk: -1
    aarspersoner: 0
  kontanthjaelp:
    aarsvaerk: 3
  sygedagpenge:
    aarsvaerk: 10
    tasks: {sagsbehandling: 5, kaffe: 1}
  ledighedsydelse:
    aarsvaerk: 4
    tasks: {sagsbehandling: 1, virksomhedsindsats: 1}
overhead_share: 1.5
ukendt: 1
"""
    p = tmp_path / "bad.yaml"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_profile(p)
    by_line = {(pr.line, pr.field.split(".")[-1] if pr.field else "") for pr in err.value.problems}
    text = err.value.render()
    assert str(p) in text
    assert (4, "aarsvaerk") in by_line  # negative
    assert (5, "aarspersoner") in by_line  # zero
    assert any(line == 6 for line, _ in by_line)  # unknown target group
    assert any(line == 10 for line, _ in by_line)  # unknown task 'kaffe'
    assert any(line == 11 for line, _ in by_line) and "opgaverne summer til 2,00" in text  # tasks do not add up
    assert (14, "overhead_share") in by_line
    assert (15, "ukendt") in by_line
    assert len(err.value.problems) >= 7


def test_duplicate_keys_are_refused(tmp_path):
    p = tmp_path / "dup.yaml"
    p.write_text("municipality: A\nmunicipality: B\ntarget_groups: {a_dagpenge: {aarsvaerk: 1}}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_profile(p)
    assert err.value.problems[0].line == 2


def test_tasks_may_carry_printed_rounding():
    ok = UnitCostProfile.model_validate({"municipality": "A", "target_groups": {"a_dagpenge": {"aarsvaerk": 8.3, "tasks": {"modtagelse": 0.8, "sagsbehandling": 5.6, "virksomhedsindsats": 1.0, "teamledelse": 0.8}}}})
    assert sum(ok.target_groups["a_dagpenge"].tasks.values()) == pytest.approx(8.2)
    with pytest.raises(ValueError):
        UnitCostProfile.model_validate({"municipality": "A", "target_groups": {"a_dagpenge": {"aarsvaerk": 8.3, "tasks": {"sagsbehandling": 7.9}}}})


def test_total_persons_needs_every_group_or_the_published_total():
    p = UnitCostProfile.model_validate({"municipality": "A", "target_groups": {"a_dagpenge": {"aarsvaerk": 1, "aarspersoner": 100}, "sygedagpenge": {"aarsvaerk": 1}}})
    assert p.total_aarspersoner() is None
    p2 = p.model_copy(update={"aarspersoner_total": 250.0})
    assert p2.total_aarspersoner() == 250
    # ressourceforløb is not part of the jobcentre's total target group
    p3 = UnitCostProfile.model_validate({"municipality": "A", "target_groups": {"a_dagpenge": {"aarsvaerk": 1, "aarspersoner": 100}, "ressourceforloeb": {"aarsvaerk": 1, "aarspersoner": 50}}})
    assert p3.total_aarspersoner() == 100
    assert "ressourceforloeb" in TARGET_GROUPS and "ressourceforloeb" not in IN_TOTAL


@pytest.mark.parametrize("name", ["lyngby_taarbaek", "varde"])
def test_bundled_example_profiles_load(name):
    prof = load_profile(data_dir() / "profiles" / f"{name}.yaml")
    assert prof.reference_year == 2013 and prof.source
    assert set(prof.target_groups) == set(TARGET_GROUPS)


def test_bundled_lyngby_profile_totals():
    prof = load_profile(data_dir() / "profiles" / "lyngby_taarbaek.yaml")
    # Tabel 3.1: the eleven rows as printed (they add to 51,5; the printed total is 51,6)
    assert prof.aarsvaerk_rows == pytest.approx(51.5)
    assert prof.aarsvaerk_total == 51.6  # the stated total (aarsvaerk_total_stated)
    assert prof.target_groups["sygedagpenge"].aarsvaerk == 9.7
    assert round(prof.total_aarspersoner()) == 2123
