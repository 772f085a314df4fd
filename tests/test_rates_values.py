"""Every value of the bundled rate tables, looked up at dates around the 2016 staircase.

The expected figures are typed here from the documents (seed 004, seed 002, the law), not read
back from the YAML: a wrong number in rates/ fails here. Each table test also checks that every
value in force is reached by at least one expectation, so a value added without a test fails.
"""

import datetime as dt

import pytest

from budgetmodel.rates import load_rates

D2014 = dt.date(2014, 6, 1)
DAY_BEFORE_STAIRCASE = dt.date(2016, 1, 3)
D2017 = dt.date(2017, 3, 1)
ALL_DATES = (D2014, DAY_BEFORE_STAIRCASE, D2017)


@pytest.fixture(scope="module")
def book():
    return load_rates()


def _check(book, table_id, at, expected):
    """expected: list of (cell, value); all must match, and together cover every value in force."""
    table = book.table(table_id)
    reached = set()
    for cell, value in expected:
        hit = table.lookup(at, **cell)
        assert hit.value == value, (table_id, at, cell, hit.value, value)
        assert hit.source and hit.status in ("law", "derived", "assumption")
        reached.add((tuple(sorted(hit.where.items())), hit.valid_from))
    in_force = {(tuple(sorted(v.where.items())), v.valid_from) for v in table.in_force(at)}
    assert in_force == reached, f"{table_id} at {at}: values without a test: {in_force - reached}"


# --- refusion_driftsudgifter ----------------------------------------------------------------------

KH_J, KH_A = "kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat"
U_AAB, U_UDD, U_AKT = (
    "uddannelseshjaelp_aabenlyst_uddannelsesparat",
    "uddannelseshjaelp_uddannelsesparat",
    "uddannelseshjaelp_aktivitetsparat",
)
OFFER_GROUPS = [KH_J, KH_A, U_AAB, U_UDD, U_AKT, "dagpenge", "sygedagpenge", "revalidering", "ledighedsydelse"]


def _indsats_expected():
    e = []

    def add(group, expense, value, month=1):
        e.append(({"target_group": group, "expense": expense, "benefit_month": month}, value))

    # Seed 004 l. 614: tilbud within the rådighedsloft 50 pct
    for g in OFFER_GROUPS:
        add(g, "virksomhedsrettet", 50)
        add(g, "laese_skrive_regne", 50)  # from day one, also for jobparate (l. 2377)
    for g in OFFER_GROUPS:
        if g in (KH_J, U_AAB):
            continue
        add(g, "vejledning_opkvalificering", 50)
        add(g, "ordinaer_uddannelse", 50)
    # jobparate kontanthjælp: no refund for vejledning og opkvalificering in months 1-24 (l. 1629,
    # l. 2381), ordinær uddannelse refunded after 9 months (l. 2381)
    for month, value in ((1, 0), (9, 0), (24, 0), (25, 50), (60, 50)):
        add(KH_J, "vejledning_opkvalificering", value, month)
    for month, value in ((1, 0), (9, 0), (10, 50), (24, 50)):
        add(KH_J, "ordinaer_uddannelse", value, month)
    # åbenlyst uddannelsesparate: no refund for vejledning og opkvalificering (l. 139, l. 2179)
    add(U_AAB, "vejledning_opkvalificering", 0)
    add(U_AAB, "ordinaer_uddannelse", 0)
    # mentor: jobparate 0, aktivitetsparate 50 (l. 615-616); none for dagpenge / employed (l. 1630)
    for g, v in ((KH_J, 0), (KH_A, 50), ("dagpenge", 0), ("beskaeftiget", 0), (U_AAB, 50), (U_UDD, 50), (U_AKT, 50),
                 ("sygedagpenge", 50), ("revalidering", 50), ("ledighedsydelse", 50), ("ressourceforloeb", 50)):
        add(g, "mentor", v)
    # ressourceforløb: vejledning og opkvalificering 50 pct. until 2021 (reading of STAR 5.68.98,
    # which ends it on 1 January 2022)
    for x in ("vejledning_opkvalificering", "ordinaer_uddannelse", "laese_skrive_regne"):
        add("ressourceforloeb", x, 50)
    # personlig assistance 50, løntilskud til voksenelever 100, whatever the group (l. 617-618)
    for g in (KH_J, "dagpenge", "beskaeftiget"):
        add(g, "personlig_assistance", 50)
        add(g, "loentilskud_voksenelev", 100)
    return e


@pytest.mark.parametrize("at", ALL_DATES)
def test_refusion_indsats_2014(book, at):
    _check(book, "refusion_driftsudgifter", at, _indsats_expected())


def test_refusion_indsats_not_before_2014(book):
    with pytest.raises(KeyError):
        book.value("refusion_driftsudgifter", dt.date(2013, 12, 31), target_group=KH_A, expense="mentor", benefit_month=1)


def test_refusion_indsats_unknown_cell_is_an_error_not_a_guess(book):
    with pytest.raises(KeyError, match="ingen værdi i kraft"):
        book.value("refusion_driftsudgifter", D2014, target_group="ressourceforloeb", expense="virksomhedsrettet", benefit_month=1)


def test_refusion_indsats_marks_readings(book):
    ly = book.lookup("refusion_driftsudgifter", D2014, target_group="ledighedsydelse", expense="virksomhedsrettet", benefit_month=1)
    assert ly.status == "assumption" and "l. 630" in ly.source
    kj = book.lookup("refusion_driftsudgifter", D2014, target_group=KH_J, expense="vejledning_opkvalificering", benefit_month=3)
    assert kj.status == "law" and "2381" in kj.source and "l. 1629" in kj.source


# --- ydelsessatser -------------------------------------------------------------------------

SATSER = [
    # (ydelse, husstand, age, dkk per month) — seed 004 l. 2244-2252; voksensats derived (notes)
    ("uddannelseshjaelp", "hjemmeboende", 18, 2479), ("uddannelseshjaelp", "hjemmeboende", 27, 2479),
    ("uddannelseshjaelp", "udeboende", 24, 5753), ("uddannelseshjaelp", "udeboende", 25, 5753),
    ("uddannelseshjaelp", "forsoerger_enlig", 22, 11505),
    ("uddannelseshjaelp", "forsoerger_samlevende_su", 29, 8051),
    ("uddannelseshjaelp", "forsoerger_samlevende_andre", 20, 5753),
    ("aktivitetstillaeg", "hjemmeboende", 24, 786), ("aktivitetstillaeg", "hjemmeboende", 25, 8021),
    ("aktivitetstillaeg", "udeboende", 19, 1014), ("aktivitetstillaeg", "udeboende", 29, 4747),
    ("aktivitetstillaeg", "forsoerger_enlig", 18, 2447),
    ("aktivitetstillaeg", "forsoerger_samlevende_su", 25, 5901),
    ("aktivitetstillaeg", "forsoerger_samlevende_andre", 26, 8199),
    ("kontanthjaelp", "ikke_forsoerger", 30, 10500), ("kontanthjaelp", "forsoerger", 45, 13952),
]


def test_ydelsessatser_2014(book):
    _check(book, "ydelsessatser", D2014,
           [({"ydelse": y, "husstand": h, "alder": a}, v) for y, h, a, v in SATSER])


def test_aktivitetstillaeg_brings_young_people_to_the_kontanthjaelp_level(book):
    """l. 137: uddannelseshjælp + aktivitetstillæg = 'hvad der svarer til kontanthjælpsatsen'."""
    def v(y, h, a):
        return book.value("ydelsessatser", D2014, ydelse=y, husstand=h, alder=a)

    voksen = v("kontanthjaelp", "ikke_forsoerger", 30)
    forsoerger = v("kontanthjaelp", "forsoerger", 30)
    for h in ("hjemmeboende", "udeboende"):
        assert v("uddannelseshjaelp", h, 27) + v("aktivitetstillaeg", h, 27) == voksen
    for h in ("forsoerger_enlig", "forsoerger_samlevende_su", "forsoerger_samlevende_andre"):
        assert v("uddannelseshjaelp", h, 27) + v("aktivitetstillaeg", h, 27) == forsoerger


@pytest.mark.parametrize("at", [DAY_BEFORE_STAIRCASE, D2017, dt.date(2013, 12, 31)])
def test_ydelsessatser_only_for_2014(book, at):
    """The pjece's amounts are not satsreguleret; they are not offered for other years."""
    assert book.table("ydelsessatser").in_force(at) == []
    with pytest.raises(KeyError):
        book.value("ydelsessatser", at, ydelse="uddannelseshjaelp", husstand="hjemmeboende", alder=20)


def test_no_uddannelseshjaelp_at_17_or_30(book):
    for age in (17, 30):
        with pytest.raises(KeyError):
            book.value("ydelsessatser", D2014, ydelse="uddannelseshjaelp", husstand="hjemmeboende", alder=age)


# --- medfinansiering_arbejdsmarkedsydelse -------------------------------------------------------

@pytest.mark.parametrize(
    "at,late",
    [(D2014, 70), (dt.date(2014, 12, 31), 70), (dt.date(2015, 1, 1), 100), (DAY_BEFORE_STAIRCASE, 100)],
)
def test_medfinansiering_arbejdsmarkedsydelse(book, at, late):
    """Seed 002 l. 433-435: 70 pct; 50 pct in an offer; 100 pct when the offer starts late, not in 2014."""
    _check(book, "medfinansiering_arbejdsmarkedsydelse", at,
           [({"situation": "uden_tilbud"}, 70), ({"situation": "i_tilbud"}, 50), ({"situation": "tilbud_for_sent"}, late)])


def test_medfinansiering_ends_with_the_staircase(book):
    # from 4 January 2016 the ydelse is co-financed by the count (LBK 221/2021 § 3, stk. 1, nr. 2, § 5, stk. 3)
    with pytest.raises(KeyError):
        book.value("medfinansiering_arbejdsmarkedsydelse", D2017, situation="uden_tilbud")
    assert book.value("refusionstrappe_omfattede_ydelser", D2017, benefit="midlertidig_arbejdsmarkedsydelse") == "medfinansiering"


def test_medfinansiering_from_entry_into_force(book):
    assert book.value("medfinansiering_arbejdsmarkedsydelse", dt.date(2013, 12, 30), situation="uden_tilbud") == 70
    with pytest.raises(KeyError):
        book.value("medfinansiering_arbejdsmarkedsydelse", dt.date(2013, 12, 29), situation="uden_tilbud")


# --- beskaeftigelsestilskud ---------------------------------------------------------------------

@pytest.mark.parametrize("at", ALL_DATES)
def test_beskaeftigelsestilskud_threshold(book, at):
    _check(book, "beskaeftigelsestilskud", at, [({"parameter": "forsikring_taerskel"}, 5)])
    assert "§ 23 b" in book.lookup("beskaeftigelsestilskud", at, parameter="forsikring_taerskel").source


@pytest.mark.parametrize("at", ALL_DATES)
def test_beskaeftigelsestilskud_struktur(book, at):
    expected_words = {
        "omfattede_udgifter": ("nettodriftsudgifter til forsikrede ledige", "l. 694"),
        "grundtilskud": ("2 år før tilskudsåret", "§ 23 a, stk. 2, nr. 1"),
        "merudgiftsbehov": ("grundtilskuddet", "§ 23 a, stk. 2, nr. 2"),
        "midtvejsregulering": ("hele landet", "§ 23 a, stk. 6"),
        "efterregulering": ("landsdelsniveau", "§ 23 a, stk. 7"),
        "fordelingsnoegle": ("bruttoledigheden", "§ 2, stk. 2"),
        "forsikringsordning": ("mere end 5 procentpoint", "§ 23 b"),
        "forsikringsberegning": ("tærskel", "§ 23 b"),
    }
    table = book.table("beskaeftigelsestilskud_struktur")
    assert {v.where["element"] for v in table.in_force(at)} == set(expected_words)
    for element, (text, para) in expected_words.items():
        v = table.lookup(at, element=element)
        assert text in v.value and para in v.source, element


# --- refusionstrappe (main's table, checked at the same dates) ----------------------------------

def test_refusionstrappe_at_dates(book):
    _check(book, "refusionstrappe", D2017,
           [({"count_week": 1}, 80), ({"count_week": 26}, 40), ({"count_week": 27}, 30), ({"count_week": 53}, 20)])
    for at in (D2014, DAY_BEFORE_STAIRCASE):
        assert book.table("refusionstrappe").in_force(at) == []


def test_every_bundled_table_has_sources_and_a_danish_description(book):
    for tid, t in book.tables.items():
        assert len(t.spec.description) > 20, tid
        for e in t.spec.values:
            assert len(e.source) > 10, (tid, e.where)
