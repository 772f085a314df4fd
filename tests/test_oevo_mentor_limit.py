"""LAB § 203 a (L 77 2025-26, from 2026): ØVO and mentor spending above the limit per fuldtidsperson
is not counted in the budgetgaranti's efterregulering; the municipality carries the excess."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from budgetmodel.errors import InputError
from budgetmodel.financing.budgetgaranti import LIMIT, oevo_mentor_excess
from budgetmodel.financing.inputs import OevoMentorInput
from budgetmodel.rates import load_rates

ROOT = Path(__file__).resolve().parents[1]

# a stand-in limit table where the rate book has none yet (the figure in the bill is in brackets)
TABLE = """id: beloebsgraense_oevo_mentor
description: Beløbsgrænse for ØVO og mentor pr. fuldtidsperson i budgetgarantiens efterregulering (test).
unit: dkk_per_helaarsperson
values:
  - {valid_from: 2026-01-01, value: 10602, status: assumption,
     source: "L 77 (FT 2025-26), LAB § 203 a (beløbet står i klammer i lovforslaget)"}
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    rates = tmp_path_factory.mktemp("r") / "rates"
    shutil.copytree(ROOT / "rates", rates)
    if not (rates / f"{LIMIT}.yaml").exists():
        (rates / f"{LIMIT}.yaml").write_text(TABLE, encoding="utf-8")
    return load_rates(rates)


def _inp(spending, persons):
    return OevoMentorInput(years={y: {"spending_dkk": spending, "fuldtidspersoner": persons} for y in (2025, 2026, 2027)})


def test_excess_above_the_limit_is_the_municipalitys(book):
    limit = float(book.value(LIMIT, dt.date(2026, 1, 1)))
    res = oevo_mentor_excess(_inp(30_000_000.0, 2_000.0), book)
    assert res[2025].excess_dkk == 0 and res[2025].limit_dkk_per_fuldtidsperson is None  # no limit before 2026
    assert res[2026].excess_dkk == pytest.approx(30_000_000 - limit * 2_000)
    assert res[2026].covered_dkk == pytest.approx(limit * 2_000)
    # 100 more fuldtidspersoner: the limit grows by 100 × limit, the excess falls by as much
    more = oevo_mentor_excess(_inp(30_000_000.0, 2_100.0), book)
    assert res[2026].excess_dkk - more[2026].excess_dkk == pytest.approx(100 * limit)
    # spending under the limit: nothing carried alone
    assert oevo_mentor_excess(_inp(1_000_000.0, 2_000.0), book)[2026].excess_dkk == 0


def test_no_limit_table_is_one_clear_error():
    book = load_rates()
    if LIMIT in book.tables:
        pytest.skip("the rate book has the limit table")
    with pytest.raises(InputError, match=LIMIT):
        oevo_mentor_excess(_inp(1.0, 1.0), book)


def test_scenario_line_and_table(book):
    from budgetmodel.scenario.load import load_scenario
    from budgetmodel.scenario.run import run_scenario

    toy = Path(__file__).parent / "fixtures" / "scenarios" / "oevo-mentor-toy.yaml"
    r = run_scenario(load_scenario(toy, book), book, with_caseload=False)
    limit = float(book.value(LIMIT, dt.date(2026, 1, 1)))
    line = r.budget.line("oevo_mentor").dkk
    # the toy's law date is 2026-01-01 for every year (the scenario freezes the law at one date)
    assert line[2025] == pytest.approx(30_000_000 - 2_000 * limit)
    assert line[2026] == pytest.approx(30_000_000 - 2_000 * limit)
    assert line[2027] == pytest.approx(max(0.0, 25_000_000 - 2_000 * limit))
    t = {x.key: x for x in r.sub_tables}["oevo_mentor"]
    assert t.line("excess").dkk == line
