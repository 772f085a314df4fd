"""Every inconsistency listed in data/KNOWN_ISSUES.md, asserted as known: the published value stays
in the data as printed, and the discrepancy has the size the list says."""

import pytest

from budgetmodel.paths import data_dir
from budgetmodel.statistics.table import load_tables
from budgetmodel.unitcost import method


@pytest.fixture(scope="module")
def T():
    return load_tables(data_dir())


def test_known_issues_file_lists_every_id():
    text = (data_dir() / "KNOWN_ISSUES.md").read_text(encoding="utf-8")
    for i in [*(f"MK-{n:02d}" for n in range(1, 13)), *(f"BDO-{n:02d}" for n in range(1, 11)), *(f"QC-{n:02d}" for n in range(1, 5))]:
        assert f"| {i} |" in text, i


@pytest.mark.parametrize(
    "code,tid,printed_41,printed_area",
    [
        ("kontanthjaelp_match1", "tabel_4_04_kontanthjaelp_match1", "24,9", "25,1"),
        ("kontanthjaelp_match23", "tabel_4_05_kontanthjaelp_match23", "22,8", "22,9"),
        ("revalidering", "tabel_4_08_revalidering", "11,0", "11,2"),
        ("sygedagpenge", "tabel_4_06_sygedagpenge", "24,7", "24,9"),
        ("ledighedsydelse", "tabel_4_07_ledighedsydelse", "28,0", "28,1"),
    ],
)
def test_mk01_haderslev_column_of_tabel_4_1(T, code, tid, printed_41, printed_area):
    assert T["mploy2013/tabel_4_01"].cell(code, "Haderslev").text == printed_41
    assert T[f"mploy2013/{tid}"].cell("produktivitet", "Haderslev").text == printed_area


def test_mk01_haderslev_delvise_raskmeldinger(T):
    assert T["mploy2013/tabel_4_01"].cell("delvise_raskmeldinger", "Haderslev").text == "9%"
    assert T["mploy2013/tabel_4_06_sygedagpenge"].cell("delvise_raskmeldinger", "Haderslev").text == "10%"


def test_mk02_kontanthjaelp_match1_average(T):
    t41, t44 = T["mploy2013/tabel_4_01"], T["mploy2013/tabel_4_04_kontanthjaelp_match1"]
    munis = [c for c in t41.number_columns if c != "Gns. kommuner"]
    assert t41.cell("kontanthjaelp_match1", "Gns. kommuner").text == "26,4"
    assert t44.cell("produktivitet", "Gns. kommuner").text == "26,5"
    mean_41 = method.simple_mean({m: t41.value("kontanthjaelp_match1", m) for m in munis})
    mean_44 = method.simple_mean({m: t44.value("produktivitet", m) for m in munis})
    assert round(mean_41, 2) == 26.45 and round(mean_44, 2) == 26.46
    # the 0,2 of Haderslev's column is the whole difference: 0,2 / 15
    assert mean_44 - mean_41 == pytest.approx(0.2 / 15)


def test_mk03_mariagerfjord_ledelse(T):
    assert T["mploy2013/tabel_4_01"].cell("heraf_ledelse", "Mariagerfjord").text == "1,4"
    assert T["mploy2013/tabel_4_12_ledelse"].cell("produktivitet", "Mariagerfjord").text == "2,3"
    v = T["mploy2013/seed002_varianter"]
    assert (v.cell("t41_ledelse_mariagerfjord", "seed_004").text, v.cell("t41_ledelse_mariagerfjord", "seed_002").text) == ("1,4", "2,3")
    b = T["mploy2013/bilag_1_noegletal"]
    assert round(b.cell("ressourcefordeling.heraf_ledelse", "Mariagerfjord").share * T["mploy2013/tabel_4_01"].value("produktivitet", "Mariagerfjord"), 1) == 2.3


def test_mk04_seed_002_variants_are_the_cells_seed_004_prints(T):
    v = T["mploy2013/seed002_varianter"]
    for code in v.keys():
        row = v.row(code)
        table = T[f"mploy2013/{row.text('tabel')}"]
        assert table.cell(row.text("raekke"), row.text("kommune")).text == row.text("seed_004"), code
        assert row.text("seed_002") != row.text("seed_004")
    # Tabel 4.11, Lyngby-Taarbæk: the two editions split the same 3,8 differently
    t411 = T["mploy2013/tabel_4_11_administration"]
    assert t411.value("administration_moeder", "Lyngby-Taarbæk") + t411.value("stabsbetjening", "Lyngby-Taarbæk") == pytest.approx(
        v.value("t411_adm_lyngby", "seed_002") + v.value("t411_stab_lyngby", "seed_002")
    )


def test_mk05_bilag_1_average_target_group(T):
    b = T["mploy2013/bilag_1_noegletal"]
    munis = [c for c in b.number_columns if c != "Gns. kommuner"]
    assert b.cell("forsoergelsestryk.jc_maalgruppe_i_alt", "Gns. kommuner").text == "9,9%"
    mean = method.simple_mean({m: b.value("forsoergelsestryk.jc_maalgruppe_i_alt", m) for m in munis})
    assert round(mean, 1) == 10.2
    groups = ("a_dagpenge", "kontanthjaelp_match1", "kontanthjaelp_match23", "sygedagpenge", "ledighedsydelse", "revalidering")
    assert round(sum(b.value(f"forsoergelsestryk.{g}", "Gns. kommuner") for g in groups), 1) == 10.3
    assert b.cell("forsoergelsestryk.i_alt_inkl_pension_fleksjob", "Gns. kommuner").text == "19,3%"
    assert round(method.simple_mean({m: b.value("forsoergelsestryk.i_alt_inkl_pension_fleksjob", m) for m in munis}), 1) == 19.6


def test_mk06_bilag_1_average_resource_shares(T):
    b, t31 = T["mploy2013/bilag_1_noegletal"], T["mploy2013/tabel_3_1_lyngby_taarbaek"]
    munis = [c for c in b.number_columns if c != "Gns. kommuner"]
    assert b.cell("ressourcefordeling.uddannelsesydelse", "Gns. kommuner").text == "0,0%"
    assert round(method.simple_mean({m: b.value("ressourcefordeling.uddannelsesydelse", m) for m in munis}), 1) == 1.2
    assert t31.cell("uddannelsesydelse", "pct_alle_15_jc").text == "1,2%"
    # e.g. kontanthjælp 2+3: Bilag I 20,5 %, simple mean 19,7 %, Tabel 3.1 "Alle 15 JC" 20,2 %
    assert b.value("ressourcefordeling.kontanthjaelp_match23", "Gns. kommuner") == 20.5
    assert round(method.simple_mean({m: b.value("ressourcefordeling.kontanthjaelp_match23", m) for m in munis}), 1) == 19.7
    assert t31.value("kontanthjaelp_match23", "pct_alle_15_jc") == 20.2


def test_mk07_mk08_mk10_text_figures(T):
    assert T["mploy2013/tabel_4_07_ledighedsydelse"].cell("produktivitet", "Lyngby-Taarbæk").text == "69,8"  # text: "69,8,3"
    t46 = T["mploy2013/tabel_4_06_sygedagpenge"]
    munis = [c for c in t46.number_columns if c != "Gns. kommuner"]
    syg = {m: t46.value("produktivitet", m) for m in munis}
    assert method.rank_position(syg["Lyngby-Taarbæk"], syg) == 6  # text: "femte højeste"
    t45 = T["mploy2013/tabel_4_05_kontanthjaelp_match23"]
    kh = {m: t45.value("produktivitet", m) for m in munis}
    assert method.rank_position(kh["Varde"], kh) == 6  # text: "sytjette"


def test_mk09_ressourceforloeb_denominator():
    """Only KH 2-3 + sygedagpenge + ledighedsydelse + revalidering reproduces both printed rates."""
    lyngby = {"kh23": (9.5, 18.1), "syg": (9.7, 21.4), "ly": (5.2, 69.8), "rev": (0.9, 18.5), "ad": (8.3, 11.9), "kh1": (5.3, 19.9)}
    varde = {"kh23": (13.4, 19.8), "syg": (17.1, 21.5), "ly": (5.6, 34.3), "rev": (1.5, 11.1), "ad": (8.5, 10.5), "kh1": (4.9, 20.9)}

    def rate(data, rf, groups):
        base = sum(method.aarspersoner_from(*data[g]) for g in groups)
        return round(method.productivity(rf, base), 1)

    base = ("kh23", "syg", "ly", "rev")
    assert rate(lyngby, 2.7, base) == 2.5 and rate(varde, 2.4, base) == 1.4
    assert round(sum(method.aarspersoner_from(*lyngby[g]) for g in base)) == 1101
    assert round(sum(method.aarspersoner_from(*varde[g]) for g in base)) == 1771
    # the nearby candidates miss at least one of the two
    for other in (("kh23", "syg"), ("kh23", "syg", "ly"), ("kh23", "syg", "rev"), ("kh23", "syg", "ly", "rev", "kh1")):
        assert (rate(lyngby, 2.7, other), rate(varde, 2.4, other)) != (2.5, 1.4), other


def test_mk11_stevns_missing_figure(T):
    c = T["mploy2013/tabel_4_06_sygedagpenge"].cell("samtaleintensitet", "Stevns")
    assert c.dash and c.value is None


def test_mk12_forsoergelsestryk_does_not_give_the_group_denominators(T):
    b = T["mploy2013/bilag_1_noegletal"]
    pop = b.value("befolkning_18_64", "Lyngby-Taarbæk")
    assert round(b.cell("forsoergelsestryk.a_dagpenge", "Lyngby-Taarbæk").share * pop) == 765
    assert round(method.aarspersoner_from(8.3, 11.9)) == 697
    assert round(b.cell("forsoergelsestryk.jc_maalgruppe_i_alt", "Lyngby-Taarbæk").share * pop) == 2137
    assert round(method.aarspersoner_from(51.6, 24.3)) == 2123


def test_bdo01_average_unit_cost_two_versions(T):
    t = T["bdo2024/noegletal_tekst"]
    assert t.value("enhedsomkostning_gns", "value") == 31993
    assert t.value("enhedsomkostning_gns_resume", "value") == 31991


def test_bdo02_tabel_4_1_total_is_the_16_municipalities(T):
    total = T["bdo2024/tab_4_1_enhedsomkostninger_opgaver"].value("samlet", "enhedsomkostning")
    assert total == 29730
    assert round(total / T["bdo2024/noegletal_tekst"].value("enhedsomkostning_gns", "value"), 3) == 0.929  # "knap 7 pct." lower


def test_bdo03_tabel_7_1_ratio_column_not_reproducible(T):
    t = T["bdo2024/tab_7_1_andre_tilbud"]
    assert t.value("dagpenge", "tilbud_pr_fuldtidsperson") == 1.9
    assert round(t.value("dagpenge", "tilbud") / t.value("dagpenge", "fuldtidspersoner"), 2) == 2.27
    assert t.value("samlet", "tilbud_pr_fuldtidsperson") == 1.2
    assert round(t.value("samlet", "tilbud") / t.value("samlet", "fuldtidspersoner"), 2) == 1.57
    ratios = [t.value(k, "tilbud_pr_fuldtidsperson") / (t.value(k, "tilbud") / t.value(k, "fuldtidspersoner")) for k in t.keys()]
    assert round(min(ratios), 2) == 0.68 and round(max(ratios), 2) == 0.85
    # the "Fleksjob + ledighedsydelse" row uses ledighedsydelse's 3.100 FP only
    assert t.value("fleksjob_ledighedsydelse", "fuldtidspersoner") == T["bdo2024/tab_5_1_samtaler"].value("ledighedsydelse", "fuldtidspersoner")


def test_bdo04_conversations_per_person_text_vs_table(T):
    assert T["bdo2024/noegletal_tekst"].value("samtaler_pr_fp_tekst", "value") == 7.4
    assert T["bdo2024/tab_5_1_samtaler"].value("samlet", "samtaler_pr_fuldtidsperson") == 7.9


def test_bdo05_management_cost_text_vs_table(T):
    assert T["bdo2024/noegletal_tekst"].value("ledelse_pr_fp_tekst", "value") == 1854
    assert T["bdo2024/tab_4_1_enhedsomkostninger_opgaver"].value("t7", "enhedsomkostning") == 1845


def test_bdo06_andet_in_samlet(T):
    t = T["bdo2024/tab_3_1_opgaver_maalgrupper"]
    assert t.value("total", "samlet") == 12734
    assert T["bdo2024/fig_2_1_udgifter"].value("samlet", "samlet") == 12736


def test_bdo07_bdo08_text_and_figure_vs_tabel_3_1(T):
    t31 = T["bdo2024/tab_3_1_opgaver_maalgrupper"]
    assert T["bdo2024/noegletal_tekst"].value("virksomhedsindsats_intern", "value") == 1.3
    assert t31.value("virksomhedsindsats", "samlet") == 1417
    assert t31.value("ekstern_indsats", "samlet") == 3408
    assert T["bdo2024/fig_2_1_udgifter"].value("eksternt", "samlet") == 3678


def test_bdo09_extremes_section_4_4(T):
    t = T["bdo2024/noegletal_tekst"]
    assert (t.value("bund_10_maalgruppekorrigeret", "value"), t.value("top_10_maalgruppekorrigeret", "value")) == (23743, 43205)


def test_bdo10_three_shares_of_tabel_4_1_miss_their_rounding(T):
    t = T["bdo2024/tab_4_1_enhedsomkostninger_opgaver"]
    for code, printed, exact in (("t2.fastholdelse", "0,8%", 0.747), ("t4.mentor", "1,8%", 1.749), ("t5.loebende_opfoelgning", "4,4%", 4.349)):
        assert t.cell(code, "andel").text == printed
        assert round(t.value(code, "enhedsomkostning") / 29730 * 100, 3) == exact
        assert 0.05 < abs(exact - t.value(code, "andel")) < 0.06


def test_qc01_direct_contact_hours(T):
    n = T["quartz2014/noegletal_tekst"]
    assert n.value("direkte_kontakt_timer", "value") == 374
    assert round(0.26 * n.value("timer_til_raadighed", "value"), 1) == 371.3
    assert round(374 / 1428 * 100, 1) == 26.2


def test_qc03_thirty_proposals_in_31_rows(T):
    t = T["quartz2014/tabel_1_forbedringsforslag"]
    proposals = [k for k in t.keys() if "." in k]
    assert len(proposals) == 31 and {"D.1a", "D.1b"} <= set(proposals)
    assert sum(1 for k in proposals if not t.cell(k, "lav").empty) == 27


def test_qc04_overlap_not_deducted_when_reprioritised():
    assert method.net_potential(550, 786, 33, 56) == (517, 730)
    assert method.net_potential(550, 786, 33, 56, reprioritised=True) == (550, 786)
