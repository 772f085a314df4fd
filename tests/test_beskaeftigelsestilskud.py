"""Beskæftigelsestilskud on a worked example built by hand (seed 004 gives only the structure)."""

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from pydantic import ValidationError

from budgetmodel.financing.beskaeftigelsestilskud import (
    BeskaeftigelsestilskudInput,
    MunicipalityInput,
    compute_beskaeftigelsestilskud,
    distribute_by_key,
    grundtilskud,
    insurance_compensation,
    merudgiftsbehov_total,
    unemployment_growth_pct,
)
from budgetmodel.paths import rates_dir
from budgetmodel.rates import load_rates


def _m(name, landsdel, grant_before, net, key, now):
    return MunicipalityInput(
        municipality=name,
        landsdel=landsdel,
        grant_two_years_before_dkk=D(grant_before),
        net_expenses_dkk=D(net),
        unemployed_key_year=D(key),
        unemployed_grant_year=D(now),
    )


NORD = [
    _m("A", "Nord", 50_000_000, 60_000_000, 1000, 1300),
    _m("B", "Nord", 25_000_000, 27_000_000, 500, 550),
    _m("C", "Nord", 25_000_000, 27_000_000, 500, 550),
]


def _syd(d_now, e_now=1050):
    return [
        _m("D", "Syd", 40_000_000, 44_000_000, 1000, d_now),
        _m("E", "Syd", 40_000_000, 42_002_000, 1000, e_now),
    ]


def _run(munis, book=None, year=2014, factor="1.02"):
    inp = BeskaeftigelsestilskudInput(grant_year=year, price_wage_factor=D(factor), municipalities=tuple(munis))
    return compute_beskaeftigelsestilskud(inp, book)


@pytest.fixture(scope="module")
def book():
    return load_rates()


def test_worked_example_landsdel_nord(book):
    """Landsdel Nord, grant year 2014, P/L factor 1,02 from 2012.

    grundtilskud (§ 23 a, stk. 2, nr. 1):  A 50.000.000 × 1,02 = 51.000.000
                                           B, C 25.000.000 × 1,02 = 25.500.000 each
    landsdel: grundtilskud 102.000.000; net expenses 60 + 27 + 27 = 114.000.000
    merudgiftsbehov (§ 23 a, stk. 7) = 114.000.000 − 102.000.000 = 12.000.000
    key (unemployed 2012) A 1.000, B 500, C 500 of 2.000:
        A 12.000.000 × 1.000/2.000 = 6.000.000; B = C = 3.000.000
    growth 2012→2014: A 1.000→1.300 = 30 %; B, C 500→550 = 10 %; landsdel 2.000→2.400 = 20 %
    gap: A 30 − 20 = 10 pp > 5 → insured part 10 − 5 = 5 pp; B, C −10 pp → nothing
    insurance A = (12.000.000 / 2.400) × 1.000 × 5/100 = 5.000 × 50 = 250.000
        (cross-check: keyed on 2014 unemployment A would get 12.000.000 × 1.300/2.400
         = 6.500.000, i.e. 500.000 more = 5.000 × 1.000 × 10/100; the insurance pays the half
         beyond the threshold)
    total A = 51.000.000 + 6.000.000 + 250.000 = 57.250.000; balance 57.250.000 − 60.000.000
            = −2.750.000
    total B = C = 25.500.000 + 3.000.000 = 28.500.000; balance +1.500.000
    """
    res = _run(NORD, book)
    a, b, c = (res.by_municipality(n) for n in "ABC")
    assert res.threshold_pp == D(5)
    assert (a.grundtilskud_dkk, a.merudgiftsbehov_dkk, a.insurance_dkk) == (D("51000000.00"), D("6000000.00"), D("250000.00"))
    assert a.total_dkk == D("57250000.00") and a.balance_dkk == D("-2750000.00")
    assert (a.unemployment_growth_pct, a.landsdel_growth_pct, a.growth_gap_pp) == (D(30), D(20), D(10))
    for m in (b, c):
        assert (m.grundtilskud_dkk, m.merudgiftsbehov_dkk, m.insurance_dkk) == (D("25500000.00"), D("3000000.00"), D(0))
        assert m.total_dkk == D("28500000.00") and m.balance_dkk == D("1500000.00")
        assert m.growth_gap_pp == D(-10)


def test_edge_exactly_five_points_gives_nothing(book):
    """Landsdel Syd: D 1.000→1.150 (15 %), E 1.000→1.050 (5 %), landsdel 2.000→2.200 (10 %).

    D's gap is exactly 15 − 10 = 5 pp: 'mere end 5 procentpoint' is not met → insurance 0.
    grundtilskud 40.000.000 × 1,02 = 40.800.000 each; merudgiftsbehov = (44.000.000 +
    42.002.000) − 81.600.000 = 4.402.000, halved by the equal key: 2.201.000 each.
    total D = 40.800.000 + 2.201.000 = 43.001.000.
    """
    res = _run(_syd(1150), book)
    d = res.by_municipality("D")
    assert d.growth_gap_pp == D(5)
    assert d.insurance_dkk == D(0)
    assert d.merudgiftsbehov_dkk == D("2201000.00")
    assert d.total_dkk == D("43001000.00")


def test_edge_just_above_five_points(book):
    """D 1.000→1.151 (15,1 %), E 1.000→1.050, landsdel 2.000→2.201 (10,05 %): gap 5,05 pp.

    insurance D = (4.402.000 / 2.201) × 1.000 × (5,05 − 5)/100 = 2.000 × 0,5 = 1.000 kr.
    """
    d = _run(_syd(1151), book).by_municipality("D")
    assert d.growth_gap_pp == D("5.05")
    assert d.insurance_dkk == D("1000.00")
    assert d.total_dkk == D("43002000.00")


def test_landsdele_are_settled_separately(book):
    """Nord and Syd in one run give the same figures as each alone (merudgiftsbehov per landsdel)."""
    both = _run(NORD + _syd(1151), book)
    alone = {**{m.municipality: m for m in _run(NORD, book).municipalities}, **{m.municipality: m for m in _run(_syd(1151), book).municipalities}}
    assert [m.municipality for m in both.municipalities] == list("ABCDE")
    for m in both.municipalities:
        assert m == alone[m.municipality]


def test_threshold_comes_from_rates(tmp_path):
    """With the threshold set to 3 in a copy of rates/, A's insured part is 10 − 3 = 7 pp:
    5.000 × 1.000 × 7/100 = 350.000 kr."""
    root = tmp_path / "rates"
    shutil.copytree(rates_dir(), root)
    f = root / "beskaeftigelsestilskud.yaml"
    text = f.read_text(encoding="utf-8")
    assert "value: 5, status: law" in text
    f.write_text(text.replace("value: 5, status: law", "value: 3, status: law"), encoding="utf-8")
    res = _run(NORD, load_rates(root))
    assert res.by_municipality("A").insurance_dkk == D("350000.00")


def test_sources_cite_the_law(book):
    res = _run(NORD, book)
    cited = " ".join(s["source"] for s in res.sources)
    assert "§ 23 b" in cited and "§ 23 a, stk. 2, nr. 1" in cited and "§ 23 a, stk. 7" in cited
    statuses = {s["where"].get("element", s["where"].get("parameter")): s["status"] for s in res.sources}
    assert statuses["forsikringsberegning"] == "assumption"
    assert statuses["forsikring_taerskel"] == "law"


def test_not_in_force_before_2014(book):
    with pytest.raises(KeyError):
        _run(NORD, book, year=2013)


def test_pure_functions():
    assert grundtilskud(D(100), D("1.025")) == D("102.5")
    assert merudgiftsbehov_total([D(10), D(20)], [D(5), D(7)]) == D(18)
    assert distribute_by_key(D(90), {"x": D(1), "y": D(2)}) == {"x": D(30), "y": D(60)}
    assert unemployment_growth_pct(D(200), D(150)) == D(-25)
    # negative merudgiftsbehov: nothing to insure, however large the gap
    assert insurance_compensation(D(20), D(5), D(1000), D(-1), D(2000)) == 0
    assert insurance_compensation(D(6), D(5), D(1000), D(2_000_000), D(2000)) == D(10_000)
    with pytest.raises(ValueError):
        distribute_by_key(D(1), {"x": D(0)})


def test_inputs_are_checked():
    with pytest.raises(ValidationError, match="mere end én gang"):
        BeskaeftigelsestilskudInput(grant_year=2014, price_wage_factor=D(1), municipalities=(NORD[0], NORD[0]))
    with pytest.raises(ValidationError):
        _m("X", "Nord", 1, 1, 0, 1)  # no unemployed in the key year: no key
    with pytest.raises(ValidationError):
        BeskaeftigelsestilskudInput(grant_year=2014, price_wage_factor=D(1), municipalities=NORD, extra=1)
    with pytest.raises(ValidationError):
        NORD[0].model_copy(update={"municipality": "Z"}).__setattr__("landsdel", "Syd")
