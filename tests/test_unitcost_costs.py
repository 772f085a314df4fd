"""Unit costs per target group, task and activity; assumptions with sources, overridable."""

import pytest

from budgetmodel.errors import InputError
from budgetmodel.paths import data_dir
from budgetmodel.statistics.table import load_tables
from budgetmodel.unitcost.assumptions import load_assumptions, resolve
from budgetmodel.unitcost.costs import BdoData, unit_costs
from budgetmodel.unitcost.profile import UnitCostProfile, load_profile


@pytest.fixture(scope="module")
def assumptions():
    return load_assumptions()


@pytest.fixture(scope="module")
def bdo():
    return BdoData.load()


PROFILE = UnitCostProfile.model_validate(
    {
        "municipality": "Eksempelby",
        "target_groups": {
            "a_dagpenge": {
                "aarsvaerk": 10,
                "aarspersoner": 1000,
                "tasks": {"sagsbehandling": 7, "virksomhedsindsats": 2, "teamledelse": 1},
                "external_dkk": 1_500_000,
                "samtaler": 5000,
                "virksomhedsplaceringer": 400,
            },
            "sygedagpenge": {"aarsvaerk": 10, "aarspersoner": 500},
            "ressourceforloeb": {"aarsvaerk": 2},
        },
        "cross_cutting": {"administration": 4, "strategisk_ledelse": 1},
    }
)


def test_default_assumptions_have_sources_and_derive_from_the_documents(assumptions):
    T = load_tables(data_dir())
    fig = T["bdo2024/fig_2_1_udgifter"]
    txt = T["bdo2024/noegletal_tekst"]
    # salary = BDO internal cost per årsværk / (1 + overhead), to the krone
    internal_per_aarsvaerk = fig.value("internt", "samlet") * 1e6 / txt.value("aarsvaerk_i_alt", "value")
    assert round(internal_per_aarsvaerk) == 576_943
    assert assumptions.salary_dkk_per_aarsvaerk.value == round(internal_per_aarsvaerk / (1 + txt.cell("overhead", "value").share))
    assert assumptions.overhead_share.value == txt.cell("overhead", "value").share == pytest.approx(0.15)
    assert assumptions.productive_hours_per_aarsvaerk.value == T["quartz2014/noegletal_tekst"].value("timer_til_raadighed", "value") == 1428
    for a in (assumptions.salary_dkk_per_aarsvaerk, assumptions.overhead_share, assumptions.productive_hours_per_aarsvaerk, assumptions.segments):
        assert "seeds/" in a.source
    assert set(assumptions.segments.value.values()) == {"taet", "langt", "syg"}


def test_unit_costs_by_group_by_hand(assumptions, bdo):
    r = unit_costs(PROFILE, assumptions, bdo)
    per_aarsvaerk = 501_689 * 1.15
    assert r.cost_per_aarsvaerk == pytest.approx(per_aarsvaerk)
    assert r.hourly_cost == pytest.approx(per_aarsvaerk / 1428)
    g = {x.code: x for x in r.groups}
    ad = g["a_dagpenge"]
    assert ad.internal_dkk == pytest.approx(10 * per_aarsvaerk)
    # (årsværk × løn × 1,15 + eksterne) / fuldtidspersoner
    assert ad.unit_cost_direct == pytest.approx((10 * per_aarsvaerk + 1_500_000) / 1000)
    # administration + strategisk ledelse (5 årsværk) spread by the groups' årsværk (10 : 10 : 2)
    assert ad.shared_dkk == pytest.approx(5 * per_aarsvaerk * 10 / 22)
    assert ad.unit_cost_full == pytest.approx((10 * per_aarsvaerk + 1_500_000 + 5 * per_aarsvaerk * 10 / 22) / 1000)
    assert g["sygedagpenge"].unit_cost_direct == pytest.approx(10 * per_aarsvaerk / 500)
    assert g["ressourceforloeb"].unit_cost_direct is None  # no fuldtidspersoner: not computed, said so
    assert g["ressourceforloeb"].as_dict()["missing"]
    # per task
    tasks = {t.code: t for t in ad.tasks}
    assert tasks["sagsbehandling"].cost_dkk == pytest.approx(7 * per_aarsvaerk)
    assert tasks["sagsbehandling"].per_person_dkk == pytest.approx(7 * per_aarsvaerk / 1000)
    # totals: all årsværk + external over the groups in the jobcentre's target group
    assert r.total["aarsvaerk"] == 27
    assert r.total["unit_cost_dkk_per_person"] == pytest.approx((27 * per_aarsvaerk + 1_500_000) / 1500)


def test_activity_costs_bottom_up_and_top_down(assumptions, bdo):
    r = unit_costs(PROFILE, assumptions, bdo)
    per_hour = 501_689 * 1.15 / 1428
    g = {x.code: x for x in r.groups}
    acts = {a.code: a for a in g["a_dagpenge"].activities}
    # A-dagpenge is 'tæt på arbejdsmarkedet': jobsamtale 0,8 / 1,6 / 2,2 hours (BDO Tab. 2.1)
    assert acts["samtaler"].segment == "taet"
    assert acts["samtaler"].hours == {"low": 0.8, "average": 1.6, "high": 2.2}
    assert acts["samtaler"].cost_dkk["average"] == pytest.approx(1.6 * per_hour)
    assert round(acts["samtaler"].cost_dkk["average"]) == 646
    assert "rehabiliteringsteam" not in acts  # not mapped for 'tæt på' ("-" in Tab. 2.1)
    # top-down from the profile's own counts
    assert acts["samtaler"].top_down_dkk == pytest.approx(7 * 501_689 * 1.15 / 5000)
    assert acts["virksomhedsplaceringer"].top_down_dkk == pytest.approx(2 * 501_689 * 1.15 / 400)
    syg = {a.code: a for a in g["sygedagpenge"].activities}
    assert syg["samtaler"].hours["average"] == 2.0 and syg["rehabiliteringsteam"].hours["average"] == 9.1
    assert "sanktioner" not in syg
    rf = {a.code: a for a in g["ressourceforloeb"].activities}
    assert round(rf["rehabiliteringsteam"].cost_dkk["average"]) == round(20.5 * per_hour) == 8282


def test_bdo_reference_figures(assumptions, bdo):
    refs = unit_costs(PROFILE, assumptions, bdo).references
    assert refs[0]["value_dkk"] == 31993
    assert refs[1]["value_dkk"] == [23743, 43205]
    assert round(refs[2]["value_dkk"], 1) == 800.6  # 6.325 / 7,9: "godt 800 kr."
    assert round(refs[3]["value_dkk"]) == round(480e6 / 37539) == 12787
    assert round(refs[4]["value_dkk"]) == round(1.3e9 / 108000)


def test_municipality_overrides(assumptions, bdo):
    own = PROFILE.model_copy(update={"salary_dkk_per_aarsvaerk": 450_000.0, "overhead_share": 0.2, "productive_hours_per_aarsvaerk": 1500.0})
    used = resolve(assumptions, own)
    assert all(u.overridden for u in used.values())
    assert used["salary_dkk_per_aarsvaerk"].source.startswith("kommunens profil")
    r = unit_costs(own, assumptions, bdo)
    assert r.cost_per_aarsvaerk == pytest.approx(450_000 * 1.2)
    assert r.hourly_cost == pytest.approx(450_000 * 1.2 / 1500)
    default = resolve(assumptions, PROFILE)
    assert not any(u.overridden for u in default.values())


def test_lyngby_profile_unit_costs(assumptions, bdo):
    prof = load_profile(data_dir() / "profiles" / "lyngby_taarbaek.yaml")
    r = unit_costs(prof, assumptions, bdo)
    per_aarsvaerk = 501_689 * 1.15
    g = {x.code: x for x in r.groups}
    # sygedagpenge: 9,7 årsværk over 9,7 / 21,4 × 1.000 årspersoner = 21,4 årsværk per 1.000 → 21,4 × cost / 1.000
    assert g["sygedagpenge"].unit_cost_direct == pytest.approx(21.4 * per_aarsvaerk / 1000, rel=1e-6)
    # total: 51,6 årsværk (Tabel 3.1's stated total; the rows add to 51,5) over 2.123,5 årspersoner
    assert r.total["unit_cost_dkk_per_person"] == pytest.approx(51.6 * per_aarsvaerk / (51.6 / 24.3 * 1000), rel=1e-6)


def test_bad_assumptions_file(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("salary_dkk_per_aarsvaerk: {value: -1, status: derived, source: x}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_assumptions(p)
    fields = {pr.field for pr in err.value.problems}
    assert "salary_dkk_per_aarsvaerk.value" in fields and "overhead_share" in fields


def test_mix_corrected_total(assumptions, bdo):
    """Σ mix_g × unit cost_g / Σ mix_g over the priced groups; the own mix gives the groups' pooled cost."""
    per_aarsvaerk = 501_689 * 1.15
    mix = {"a_dagpenge": 3.4, "sygedagpenge": 2.4, "kontanthjaelp_match1": 1.1}  # KH1 not in the profile: left out
    r = unit_costs(PROFILE, assumptions, bdo, mix, "test")
    ad = (10 * per_aarsvaerk + 1_500_000) / 1000
    syg = 10 * per_aarsvaerk / 500
    assert r.total["mix_groups"] == ["a_dagpenge", "sygedagpenge"]
    assert r.total["unit_cost_direct_mix_corrected_dkk_per_person"] == pytest.approx((3.4 * ad + 2.4 * syg) / 5.8)
    assert r.total["unit_cost_direct_own_mix_dkk_per_person"] == pytest.approx((20 * per_aarsvaerk + 1_500_000) / 1500)
    assert "unit_cost_direct_mix_corrected_dkk_per_person" not in unit_costs(PROFILE, assumptions, bdo).total
