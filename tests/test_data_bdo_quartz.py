"""BDO/HBS 2024 and Quartz+Co 2014 in data/: rows add up to the printed totals within the printed
rounding and the printed ratios come out of the printed counts."""

import pytest

from budgetmodel.paths import data_dir
from budgetmodel.statistics.table import load_tables


@pytest.fixture(scope="module")
def T():
    return load_tables(data_dir())


def adds_up(table, total, parts, col):
    t = table.cell(total, col)
    cells = [table.cell(p, col) for p in parts]
    s = sum(c.or_zero() for c in cells)
    return abs(s - t.value) <= t.half_unit + sum(c.half_unit for c in cells) + 1e-9


# --- BDO/HBS 2024 ---------------------------------------------------------------------------------


def test_fig_2_1_internal_external_by_konto(T):
    t = T["bdo2024/fig_2_1_udgifter"]
    for col in ("konto_5", "konto_6", "samlet"):
        assert adds_up(t, "samlet", ["internt", "eksternt"], col)
    for row in ("internt", "eksternt", "samlet"):
        tol = 0.5 * 3  # three figures printed to the million
        assert abs(t.value(row, "konto_5") + t.value(row, "konto_6") - t.value(row, "samlet")) <= tol, row
    assert t.value("samlet", "samlet") == 12736
    # "54 pct. af udgifterne (6,8 mia. kr.) ... hovedkonto 6"; "godt 70 pct." internal
    assert round(t.value("samlet", "konto_6") / t.value("samlet", "samlet") * 100) == 54
    assert round(t.value("internt", "samlet") / t.value("samlet", "samlet") * 100, 1) == 71.1
    # Fig. 3.7: ekstern indsats 28,9 pct.
    assert round(t.value("eksternt", "samlet") / t.value("samlet", "samlet") * 100, 1) == 28.9


def test_tab_3_1_tasks_by_target_group(T):
    t = T["bdo2024/tab_3_1_opgaver_maalgrupper"]
    tasks = [k for k in t.keys() if k != "total"]
    groups = [c for c in t.number_columns if c != "samlet"]
    assert len(tasks) == 7 and len(groups) == 8
    for col in t.number_columns:
        assert adds_up(t, "total", tasks, col), col
    # the Samlet column includes "Andet" (253 mio. kr., the table's note), the group columns do not
    assert t.value("total", "samlet") - sum(t.value("total", g) for g in groups) == 253
    for task in tasks:
        andet = t.value(task, "samlet") - sum(t.value(task, g) for g in groups)
        assert 0 <= andet <= 60, task


def test_tab_4_1_unit_cost_by_task(T):
    t = T["bdo2024/tab_4_1_enhedsomkostninger_opgaver"]
    mains = [k for k in t.keys() if "." not in k and k != "samlet"]
    assert mains == ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"]
    for col in ("enhedsomkostning", "andel"):
        assert adds_up(t, "samlet", mains, col), col
        for m in mains:
            subs = [k for k in t.keys() if k.startswith(m + ".")]
            assert adds_up(t, m, subs, col), (m, col)
    # the shares are the unit costs over the total, rounded as printed (three cells miss by a
    # hair: BDO-10 in data/KNOWN_ISSUES.md, tested in test_data_known_issues.py)
    known = {"t2.fastholdelse", "t4.mentor", "t5.loebende_opfoelgning"}
    for k in t.keys():
        share = t.value(k, "enhedsomkostning") / t.value("samlet", "enhedsomkostning") * 100
        assert (abs(share - t.value(k, "andel")) <= 0.05 + 1e-9) == (k not in known), k
    # "knap 82 pct." of sagsrelateret arbejde is kontaktforløb
    assert round(t.value("t1.kontaktforloeb", "enhedsomkostning") / t.value("t1", "enhedsomkostning") * 100, 1) == 81.6
    # virksomhedsindsats: udplacering "ca. 67 pct.", rekruttering "godt 14 pct."
    assert round(t.value("t2.udplacering", "enhedsomkostning") / t.value("t2", "enhedsomkostning") * 100) == 67
    assert round(t.value("t2.rekruttering", "enhedsomkostning") / t.value("t2", "enhedsomkostning") * 100, 1) == 14.4


@pytest.mark.parametrize(
    "tid,count,persons,ratio",
    [
        ("tab_5_1_samtaler", "samtaler", "fuldtidspersoner", "samtaler_pr_fuldtidsperson"),
        ("tab_5_2_rehabiliteringsteam", "moeder_landsplan", "fuldtidspersoner_landsplan", "moeder_pr_fuldtidsperson_landsplan"),
        ("tab_6_1_virksomhedsplaceringer", "virksomhedsplaceringer", "fuldtidspersoner", "placeringer_pr_fuldtidsperson"),
    ],
)
def test_activity_ratios_come_out_of_the_counts(T, tid, count, persons, ratio):
    """Tab. 5.1, 5.2 and 6.1: every printed ratio = count / fuldtidspersoner, rounded as printed;
    the rows add up to 'Samlet'."""
    t = T[f"bdo2024/{tid}"]
    rows = [k for k in t.keys() if k != "samlet"]
    for col in (count, persons):
        assert t.value("samlet", col) == sum(t.value(k, col) for k in rows), col
    for k in t.keys():
        c = t.cell(k, ratio)
        assert round(t.value(k, count) / t.value(k, persons), c.decimals) == pytest.approx(c.value), k


def test_tab_5_1_ratios_quoted(T):
    t = T["bdo2024/tab_5_1_samtaler"]
    assert round(652652 / 82766, 1) == t.value("samlet", "samtaler_pr_fuldtidsperson") == 7.9
    assert round(182256 / 12795, 1) == t.value("dagpenge", "samtaler_pr_fuldtidsperson") == 14.2
    assert round(15038 / 19516, 1) == t.value("fleksjob", "samtaler_pr_fuldtidsperson") == 0.8
    assert round(34987 / 3100, 1) == t.value("ledighedsydelse", "samtaler_pr_fuldtidsperson") == 11.3


def test_tab_2_1_key_process_hours(T):
    t = T["bdo2024/tab_2_1_noegleprocesser"]
    assert t.value("langt.gns", "virksomhedsplaceringer") == 33.2
    assert t.value("taet.lavt", "samtaler") == 0.8
    assert t.value("syg.hoejt", "rehabiliteringsteam") == 10.0
    assert t.cell("syg.gns", "sanktioner").dash and t.cell("taet.gns", "rehabiliteringsteam").dash
    # low ≤ average ≤ high wherever all three are printed
    for seg in ("taet", "langt", "syg"):
        for col in t.number_columns:
            lo, avg, hi = (t.cell(f"{seg}.{s}", col) for s in ("lavt", "gns", "hoejt"))
            if lo.value is not None:
                assert lo.value <= avg.value <= hi.value, (seg, col)


def test_bdo_text_figures(T):
    t = T["bdo2024/noegletal_tekst"]
    assert t.value("enhedsomkostning_gns", "value") == 31993
    assert t.cell("overhead", "value").share == pytest.approx(0.15)
    # the ten most expensive deviate "ca. 35 pct." from the average
    assert round((t.value("top_10_maalgruppekorrigeret", "value") / t.value("enhedsomkostning_gns", "value") - 1) * 100) == 35


# --- Quartz+Co 2014 ------------------------------------------------------------------------------


def test_quartz_staff_years(T):
    t = T["quartz2014/aarsvaerk"]
    assert t.value("sagsrelaterede", "aarsvaerk") == 5621 + 1396 + 679 == 7696
    assert adds_up(t, "sagsrelaterede", ["sagsrelaterede.sagsbehandlere", "sagsrelaterede.virksomhedskonsulenter", "sagsrelaterede.oevrige"], "aarsvaerk")
    assert t.value("i_alt", "aarsvaerk") == t.value("sagsrelaterede", "aarsvaerk") + t.value("ledelse_administration", "aarsvaerk") == 9117


def test_quartz_time_use(T):
    t = T["quartz2014/tidsanvendelse"]
    assert sum(t.value(k, "andel") for k in t.keys()) == 100
    n = T["quartz2014/noegletal_tekst"]
    assert n.value("timer_til_raadighed", "value") == 1428
    # 374 timer printed as "26 pct.": 374 / 1.428 rounds to 26
    assert round(n.value("direkte_kontakt_timer", "value") / n.value("timer_til_raadighed", "value") * 100) == t.value("direkte_kontakt", "andel")
    assert n.value("produktivitet_top_5", "value") == 45 and n.value("produktivitet_bund_5", "value") == 22


def test_quartz_tabel_1_totals(T):
    t = T["quartz2014/tabel_1_forbedringsforslag"]
    proposals = [k for k in t.keys() if k not in ("i_alt", "overlap", "samlet")]
    assert len(proposals) == 31
    assert sum(1 for k in proposals if t.cell(k, "lav").empty) == 4  # C.1, C.2, D.1a, D.3 "Ikke kvant."
    low = sum(t.cell(k, "lav").value or 0 for k in proposals)
    high = sum(t.cell(k, "hoej").value or 0 for k in proposals)
    assert (low, high) == (t.value("i_alt", "lav"), t.value("i_alt", "hoej")) == (550, 786)
    assert (low - t.value("overlap", "lav"), high - t.value("overlap", "hoej")) == (t.value("samlet", "lav"), t.value("samlet", "hoej")) == (517, 730)
    # the numbers agree with the printed text of every row
    for k in t.keys():
        printed = t.row(k).text("trykt")
        lo, hi = t.cell(k, "lav"), t.cell(k, "hoej")
        if printed == "Ikke kvant.":
            assert lo.empty and hi.empty, k
        else:
            parts = [p.strip() for p in printed.split("-")]
            assert [float(p) for p in parts] in ([lo.value, hi.value], [lo.value]), k
            assert lo.value <= hi.value
    # "11-16 pct." of the 4,5 mia. kr. cost base
    base = T["quartz2014/noegletal_tekst"].value("omkostningsbase", "value") * 1000
    assert (round(517 / base * 100), round(730 / base * 100)) == (11, 16)
