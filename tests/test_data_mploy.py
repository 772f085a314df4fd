"""The Mploy/Kibak benchmark tables in data/mploy2013: rows add up to the printed totals within the
printed rounding, the printed averages are the simple means of the fifteen, and the tables agree
with each other except where data/KNOWN_ISSUES.md says they don't."""

import pytest

from budgetmodel.paths import data_dir
from budgetmodel.statistics.table import load_tables
from budgetmodel.unitcost import method

MUNIS = (
    "Sønderborg", "Varde", "Middelfart", "Rebild", "Egedal", "Odsherred", "Jammerbugt", "Lyngby-Taarbæk",
    "Aabenraa", "Stevns", "Furesø", "Mariagerfjord", "Assens", "Ikast-Brande", "Haderslev",
)  # fmt: skip
AVG = "Gns. kommuner"
ALL = (*MUNIS, AVG)
GROUP_TABLES = {
    "a_dagpenge": "tabel_4_02_a_dagpenge",
    "uddannelsesydelse": "tabel_4_03_uddannelsesydelse",
    "kontanthjaelp_match1": "tabel_4_04_kontanthjaelp_match1",
    "kontanthjaelp_match23": "tabel_4_05_kontanthjaelp_match23",
    "sygedagpenge": "tabel_4_06_sygedagpenge",
    "ledighedsydelse": "tabel_4_07_ledighedsydelse",
    "revalidering": "tabel_4_08_revalidering",
    "ressourceforloeb": "tabel_4_09_ressourceforloeb",
}


@pytest.fixture(scope="module")
def T():
    return {k.split("/", 1)[1]: v for k, v in load_tables(data_dir()).items() if k.startswith("mploy2013/")}


def within_rounding(table, total, parts, col):
    """|Σ parts − total| ≤ Σ half units (a dash counts as 0 printed to one decimal)."""
    t = table.cell(total, col)
    cells = [table.cell(p, col) for p in parts]
    s = sum(c.or_zero() for c in cells)
    tol = t.half_unit + sum(0.05 if c.dash else c.half_unit for c in cells)
    return abs(s - t.or_zero()) <= tol + 1e-9, s, t.or_zero()


def test_columns_are_the_fifteen_and_the_average(T):
    for tid, t in T.items():
        if tid.startswith(("tabel_4", "bilag")):
            assert t.columns[3:] == ALL, tid


@pytest.mark.parametrize("tid", [*GROUP_TABLES.values()])
def test_group_table_tasks_add_up_to_the_total(T, tid):
    t = T[tid]
    tasks = [k for k in ("modtagelse", "sagsbehandling", "virksomhedsindsats", "teamledelse") if k in t.keys()]
    for col in ALL:
        ok, s, total = within_rounding(t, "samlet", tasks, col)
        assert ok, (tid, col, s, total)
        assert t.cell("produktivitet", col).text == t.cell("samlet", col).text


@pytest.mark.parametrize("tid", [*GROUP_TABLES.values()])
def test_subtasks_add_up_where_they_share_the_base(T, tid):
    t = T[tid]
    for parent in ("sagsbehandling", "virksomhedsindsats"):
        subs = [k for k in t.keys() if k.startswith(parent + ".")]
        if not subs:
            continue
        if any(t.row(k).text("unit").endswith("_i_aldersgruppen") for k in subs):
            # rates per 1.000 in the age group do not add up to the group's rate
            continue
        for col in ALL:
            ok, s, total = within_rounding(t, parent, subs, col)
            assert ok, (tid, parent, col, s, total)


def test_virksomhedsindsats_administration_ledelse_tables_add_up(T):
    for tid, total, parts in (
        ("tabel_4_10_virksomhedsindsats", "produktivitet", ["udplacering", "jobformidling", "jobrotation", "generel_kontakt", "fastholdelse", "teamledelse"]),
        ("tabel_4_11_administration", "samlet", ["administration_moeder", "stabsbetjening", "ledelse_stab"]),
        ("tabel_4_12_ledelse", "i_alt", ["teamledelse", "strategisk_ledelse"]),
    ):
        for col in ALL:
            ok, s, t = within_rounding(T[tid], total, parts, col)
            assert ok, (tid, col, s, t)


def test_every_printed_average_is_the_simple_mean_of_the_fifteen(T):
    checked = 0
    for tid, t in T.items():
        if not tid.startswith("tabel_4"):
            continue
        for code in t.keys():
            avg = t.cell(code, AVG)
            cells = [t.cell(code, m) for m in MUNIS]
            present = {m: c for m, c in zip(MUNIS, cells) if not c.empty}
            if avg.value is None or not present:
                continue
            values = {m: c.or_zero() for m, c in present.items()}
            tol = avg.half_unit + max(c.half_unit for c in present.values())
            assert abs(method.simple_mean(values) - avg.value) <= tol + 1e-9, (tid, code)
            checked += 1
    assert checked >= 170  # every productivity and quality row of the twelve tables


def test_table_4_1_total_is_the_productivity_row(T):
    t = T["tabel_4_01"]
    for col in ALL:
        assert t.cell("i_alt", col).text == t.cell("produktivitet", col).text


def test_table_4_1_agrees_with_the_area_tables_except_the_known_cells(T):
    """Every Tabel 4.1 row against its area table: only MK-01, MK-02 and MK-03 differ."""
    t41 = T["tabel_4_01"]
    pairs = {**GROUP_TABLES, "heraf_virksomhedsindsats": "tabel_4_10_virksomhedsindsats", "administration": "tabel_4_11_administration", "heraf_ledelse": "tabel_4_12_ledelse"}
    differing = set()
    for code, tid in pairs.items():
        for col in ALL:
            if t41.cell(code, col).text != T[tid].cell("produktivitet", col).text:
                differing.add((code, col))
    assert differing == {
        ("kontanthjaelp_match1", "Haderslev"),
        ("kontanthjaelp_match23", "Haderslev"),
        ("revalidering", "Haderslev"),
        ("sygedagpenge", "Haderslev"),
        ("ledighedsydelse", "Haderslev"),
        ("kontanthjaelp_match1", AVG),
        ("heraf_ledelse", "Mariagerfjord"),
    }


@pytest.mark.parametrize("name,total,persons_text", [("lyngby_taarbaek", 51.6, "ca. 2.100"), ("varde", 68.8, "ca. 2.850")])
def test_tabel_3_1_rows_add_up(T, name, total, persons_text):
    t = T[f"tabel_3_1_{name}"]
    rows = [k for k in t.keys() if k != "i_alt" and not k.startswith("heraf")]
    assert len(rows) == 11
    for col in ("aarsvaerk", "pct_kommune", "pct_alle_15_jc"):
        ok, s, printed = within_rounding(t, "i_alt", rows, col)
        assert ok, (name, col, s, printed)
    assert t.value("i_alt", "aarsvaerk") == total
    # the percentages are the rows' share of the total
    for k in t.keys():
        share = t.value(k, "aarsvaerk") / total * 100
        c = t.cell(k, "pct_kommune")
        tol = c.half_unit + 0.05 / total * 100 + 1e-9
        assert abs(share - c.value) <= tol, (name, k, share, c.text)


def test_tabel_3_1_alle_15_column_is_the_same_in_both_reports(T):
    a, b = T["tabel_3_1_lyngby_taarbaek"], T["tabel_3_1_varde"]
    assert [a.cell(k, "pct_alle_15_jc").text for k in a.keys()] == [b.cell(k, "pct_alle_15_jc").text for k in b.keys()]


@pytest.mark.parametrize("name,muni", [("lyngby_taarbaek", "Lyngby-Taarbæk"), ("varde", "Varde")])
def test_tabel_3_1_and_bilag_1_resource_shares_agree(T, name, muni):
    t31, b = T[f"tabel_3_1_{name}"], T["bilag_1_noegletal"]
    for k in t31.keys():
        code = f"ressourcefordeling.{k}"
        assert b.cell(code, muni).text == t31.cell(k, "pct_kommune").text.replace("100,0%", "100%"), k


def test_published_statements_about_the_totals(T):
    b, t41 = T["bilag_1_noegletal"], T["tabel_4_01"]
    # Lyngby-Taarbæk (seed 004 line 852-858, 930-932): 51,6 årsværk, 24,3 → ca. 2.100 årspersoner = 6,7 % of 31.893
    persons = method.aarspersoner_from(51.6, t41.value("produktivitet", "Lyngby-Taarbæk"))
    assert round(persons, -2) == 2100
    assert round(persons / b.value("befolkning_18_64", "Lyngby-Taarbæk") * 100, 1) == 6.7
    assert round(51.6 / b.value("befolkning_18_64", "Lyngby-Taarbæk") * 1000, 1) == b.value("aarsvaerk_pr_1000_18_64", "Lyngby-Taarbæk") == 1.6
    # Varde (seed 002 line 991, 1036): 68,8 årsværk, ca. 2.850 årspersoner = 9,8 %, 2,4 pr. 1.000 indbyggere
    persons = method.aarspersoner_from(68.8, t41.value("produktivitet", "Varde"))
    assert round(persons, -1) == 2850
    assert round(persons / b.value("befolkning_18_64", "Varde") * 100, 1) == 9.8
    assert round(68.8 / b.value("befolkning_18_64", "Varde") * 1000, 1) == b.value("aarsvaerk_pr_1000_18_64", "Varde") == 2.4
    # 19,4 pct. of the fifteen's resources on administration, stab and strategisk ledelse (line 934)
    t31 = T["tabel_3_1_lyngby_taarbaek"]
    assert t31.value("administration", "pct_alle_15_jc") + t31.value("strategisk_ledelse", "pct_alle_15_jc") == pytest.approx(19.4)
    # Lyngby-Taarbæk: ca. 17 pct. on administration, stab and strategisk ledelse
    assert round(t31.value("administration", "pct_kommune") + t31.value("strategisk_ledelse", "pct_kommune")) == 17


def test_bilag_1_rows_add_up_for_every_municipality(T):
    b = T["bilag_1_noegletal"]
    groups = [f"forsoergelsestryk.{g}" for g in ("a_dagpenge", "kontanthjaelp_match1", "kontanthjaelp_match23", "sygedagpenge", "ledighedsydelse", "revalidering")]
    shares = [k for k in b.keys() if k.startswith("ressourcefordeling.") and k != "ressourcefordeling.i_alt" and not k.startswith("ressourcefordeling.heraf")]
    for m in MUNIS:
        assert within_rounding(b, "forsoergelsestryk.jc_maalgruppe_i_alt", groups, m)[0], m
        assert within_rounding(b, "forsoergelsestryk.i_alt_inkl_pension_fleksjob", ["forsoergelsestryk.jc_maalgruppe_i_alt", "forsoergelsestryk.foertidspension", "forsoergelsestryk.fleksjob"], m)[0], m
        assert within_rounding(b, "ressourcefordeling.i_alt", shares, m)[0], m


def test_bilag_1_staff_per_inhabitant_is_productivity_times_target_group_share(T):
    """Årsværk pr. 1.000 18-64-årige = årsværk pr. 1.000 årspersoner × JC-målgruppe, within rounding."""
    b, t41 = T["bilag_1_noegletal"], T["tabel_4_01"]
    for m in (*MUNIS, AVG):
        p, s, a = t41.cell("produktivitet", m), b.cell("forsoergelsestryk.jc_maalgruppe_i_alt", m), b.cell("aarsvaerk_pr_1000_18_64", m)
        lo = (p.value - p.half_unit) * (s.value - s.half_unit) / 100 - a.half_unit
        hi = (p.value + p.half_unit) * (s.value + s.half_unit) / 100 + a.half_unit
        assert lo <= a.value <= hi, m


def test_alle_15_jc_column_is_the_pooled_resource_share(T):
    """Tabel 3.1's 'Alle 15 JC' = Σ årsværk on the area / Σ årsværk of the fifteen, where each
    municipality's årsværk = productivity × JC-målgruppe × population and its area årsværk = Bilag
    I's share × that total (the estimate `benchmark` uses for the 13 without a Tabel 3.1)."""
    b, t41, t31 = T["bilag_1_noegletal"], T["tabel_4_01"], T["tabel_3_1_lyngby_taarbaek"]
    total = {m: t41.value("produktivitet", m) * b.cell("forsoergelsestryk.jc_maalgruppe_i_alt", m).share * b.value("befolkning_18_64", m) / 1000 for m in MUNIS}
    for k in t31.keys():
        if k == "i_alt":
            continue
        pooled = sum(b.cell(f"ressourcefordeling.{k}", m).share * total[m] for m in MUNIS) / sum(total.values()) * 100
        assert abs(pooled - t31.value(k, "pct_alle_15_jc")) <= 0.05, (k, pooled)


def test_the_report_text_ranks(T):
    """The ranks the two reports state in words, from the area tables (competition ranking)."""

    def rank(tid, m):
        values = {x: T[tid].cell("produktivitet", x).or_zero() for x in MUNIS}
        return method.rank_position(values[m], values)

    lowest = lambda r: 15 - r + 1  # noqa: E731  "n-te laveste" counted from the other end
    # Lyngby-Taarbæk, seed 004
    assert rank("tabel_4_01", "Lyngby-Taarbæk") == 4  # fjerde højeste
    assert rank("tabel_4_02_a_dagpenge", "Lyngby-Taarbæk") == 8  # ottende højeste
    assert lowest(rank("tabel_4_03_uddannelsesydelse", "Lyngby-Taarbæk")) == 7  # syvende laveste
    assert rank("tabel_4_04_kontanthjaelp_match1", "Lyngby-Taarbæk") == 3
    assert rank("tabel_4_05_kontanthjaelp_match23", "Lyngby-Taarbæk") == 4
    assert lowest(rank("tabel_4_07_ledighedsydelse", "Lyngby-Taarbæk")) == 1  # laveste
    assert lowest(rank("tabel_4_08_revalidering", "Lyngby-Taarbæk")) == 5
    assert lowest(rank("tabel_4_09_ressourceforloeb", "Lyngby-Taarbæk")) == 3
    assert rank("tabel_4_10_virksomhedsindsats", "Lyngby-Taarbæk") == 5
    assert rank("tabel_4_11_administration", "Lyngby-Taarbæk") == 3
    assert lowest(rank("tabel_4_12_ledelse", "Lyngby-Taarbæk")) == 7
    # Varde, seed 002
    assert rank("tabel_4_01", "Varde") == 3
    assert rank("tabel_4_02_a_dagpenge", "Varde") == 5
    assert rank("tabel_4_03_uddannelsesydelse", "Varde") == 1
    assert rank("tabel_4_04_kontanthjaelp_match1", "Varde") == 4
    assert rank("tabel_4_06_sygedagpenge", "Varde") == 7
    assert rank("tabel_4_07_ledighedsydelse", "Varde") == 3
    assert rank("tabel_4_08_revalidering", "Varde") == 5
    assert rank("tabel_4_09_ressourceforloeb", "Varde") == 7
    assert rank("tabel_4_10_virksomhedsindsats", "Varde") == 2  # næsthøjeste
    assert rank("tabel_4_11_administration", "Varde") == 7  # tie with Middelfart at 4,3
    assert rank("tabel_4_12_ledelse", "Varde") == 7
