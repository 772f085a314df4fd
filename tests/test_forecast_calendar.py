"""`forecast` reports calendar years (issue 14): a week across New Year is split by its days and
helårspersoner are person-days / the year's days, so a year with 53 ISO weeks (2026) is not dearer
than one with 52 (2027) at the same caseload. The figures are worked by hand."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.financing.calendar import year_day_shares
from budgetmodel.financing.panel import week_number


@pytest.fixture(scope="module")
def steady_panel(tmp_path_factory):
    """2023-W01 … 2025-W52: every week 10 new persons on kontanthjælp for exactly one week at
    1.000 kr. The estimated exit curve is 1 in week 1 and the inflow 10 a week, so the projected
    caseload is 10 persons every week of every year."""
    path = tmp_path_factory.mktemp("kal") / "konstant.csv"
    lines, n, monday = ["person_id,week,benefit,activation,amount_dkk"], 0, dt.date(2023, 1, 2)
    while monday <= dt.date(2025, 12, 22):
        y, w, _ = monday.isocalendar()
        for _ in range(10):
            n += 1
            lines.append(f"P{n},{y}-W{w:02d},kontanthjaelp,none,1000")
        monday += dt.timedelta(days=7)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_53_week_year_is_not_dearer_at_the_same_caseload(steady_panel):
    r = CliRunner().invoke(app, ["forecast", str(steady_panel), "--years", "3", "--bootstrap", "0", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["year_convention"] == "calendar_year_days" and "dage" in doc["year_convention_note"]
    years = {y["year"]: y for y in doc["years"]}
    assert dt.date(2026, 12, 28).isocalendar()[1] == 53 and dt.date(2027, 12, 28).isocalendar()[1] == 52
    # 10 persons × 1.000 kr. a week × 365/7 weeks = 521.428,57 kr. in 2026 and in 2027 alike (an ISO
    # year would give 2026 53 weeks: 530.000 kr., 1,9 pct. more than 2027's 520.000 kr.); 2028 has
    # 366 days: 522.857,14 kr. A new person's first week is week 1 of the refusionstrappe: 80 pct.
    # state refund (LBK nr. 221 af 12/02/2021 § 5, stk. 2, nr. 1), so the state pays 417.142,86 kr.
    for y, days in ((2026, 365), (2027, 365), (2028, 366)):
        gross = 10 * 1000 * days / 7
        assert years[y]["helaarspersoner"] == 10.0
        assert years[y]["gross_dkk"] == round(gross)
        assert years[y]["state_dkk"] == round(0.8 * gross)
        assert years[y]["projected_days"] == days and years[y]["observed_days"] == 0
    assert (years[2026]["gross_dkk"], years[2027]["gross_dkk"], years[2028]["gross_dkk"]) == (521429, 521429, 522857)
    assert years[2026]["state_dkk"] == 417143 and years[2026]["municipal_dkk"] == 104286


def test_weeks_across_new_year_are_split_by_their_days():
    # 2026-W01 runs Monday 29 December 2025 - Sunday 4 January 2026 (3 days in 2025, 4 in 2026);
    # 2026-W53 runs Monday 28 December 2026 - Sunday 3 January 2027 (4 in 2026, 3 in 2027)
    weeks = np.array([week_number(dt.date(2025, 12, 29)), week_number(dt.date(2026, 6, 1)), week_number(dt.date(2026, 12, 28))])
    np.testing.assert_allclose(year_day_shares(weeks, (2025, 2026, 2027)), [[3 / 7, 4 / 7, 0], [0, 1, 0], [0, 4 / 7, 3 / 7]])
    # the weeks holding 2026 add up to its 365 days
    all_2026 = np.arange(week_number(dt.date(2025, 12, 29)), week_number(dt.date(2026, 12, 28)) + 1)
    assert year_day_shares(all_2026, (2026,)).sum() * 7 == pytest.approx(365)


def test_given_inflow_paths_by_year_cover_the_days_of_the_reported_years(steady_panel, tmp_path):
    """31 December 2029 is a Monday: the week holding it is ISO 2030-W01, whose Monday the reported
    calendar year 2029 takes. An inflow given for 2026-2029 is enough (the week uses its Monday's year)."""
    f = tmp_path / "tilgang.yaml"
    f.write_text("forecast:\n  inflow:\n    weekly:\n      kontanthjaelp: {2026: 10, 2027: 10, 2028: 10, 2029: 20}\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["forecast", str(steady_panel), "--years", "4", "--bootstrap", "0", "--json", "--scenario", str(f)])
    assert r.exit_code == 0, r.output
    years = {y["year"]: y for y in json.loads(r.stdout)["years"]}
    assert years[2027]["gross_dkk"] == round(10 * 1000 * 365 / 7)
    # 2029: 20 a week; 1 January 2029 is the Monday of ISO 2029-W01, 31 December the Monday of 2030-W01
    assert years[2029]["gross_dkk"] == round(20 * 1000 * 365 / 7) and years[2029]["helaarspersoner"] == 20.0
    f.write_text("forecast:\n  inflow:\n    weekly:\n      kontanthjaelp: {2026: 10, 2027: 10}\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["forecast", str(steady_panel), "--years", "4", "--bootstrap", "0", "--json", "--scenario", str(f)])
    assert r.exit_code == 1 and "ingen tilgang givet for det fremskrevne år 2028, 2029" in r.output
