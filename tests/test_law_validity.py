"""No price outside the law's validity (issue 16): a week before the first value of the rule
tables (2014-01-01) or after rates/lov_antaget_uaendret_til (2036-12-31) is an error naming the row
or field and the bound, in every route: refund (in memory, partitioned, Parquet), aggregate cells,
forecast, scenario years and law.as_if, a scenario's forecast, and validate."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.errors import InputError
from budgetmodel.financing import refund_rules as rr
from budgetmodel.financing.aggregate import price_cells
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, week_number
from budgetmodel.forecast import synthetic as sy
from budgetmodel.rates import load_rates

runner = CliRunner()
HEADER = "person_id,week,benefit,activation,amount_dkk\n"
TOY = Path(__file__).parent / "fixtures" / "scenarios" / "staircase-toy.yaml"
BEFORE = "ingen regel for 1990-W01: reglerne i rates/ gælder fra 2014-01-01 (refusion_forsoergelse)"
AFTER = "ingen regel for 2200-W01: loven er kun antaget uændret til 2036-12-31 (lov_antaget_uaendret_til)"


@pytest.fixture(scope="module")
def book():
    return load_rates()


def test_the_span_is_the_first_rule_value_to_the_assumed_horizon(book):
    span = rr.law_span(book)
    assert (span.first, span.last) == (dt.date(2014, 1, 1), dt.date(2036, 12, 31))
    horizon = book.lookup(rr.TABLE_HORIZON, dt.date(2020, 1, 1))
    assert (horizon.status, horizon.unit) == ("assumption", "date") and "§ 38" in horizon.source


@pytest.mark.parametrize("mode", ["--in-memory", "--partitioned"])
def test_refund_names_every_row_outside(tmp_path, mode):
    p = tmp_path / "p.csv"
    p.write_text(HEADER + "1,1990-W01,kontanthjaelp,none,1000\n1,2016-W01,kontanthjaelp,none,1000\n2,2200-W01,kontanthjaelp,none,1000\n", encoding="utf-8")
    r = runner.invoke(app, ["refund", str(p), mode])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"{p}:2: [week] {BEFORE}" in r.output
    assert f"{p}:4: [week] {AFTER}" in r.output
    assert "p.csv:3" not in r.output


def test_a_parquet_panel_names_the_row(tmp_path):
    p = tmp_path / "p.parquet"
    pq.write_table(pa.table({"person_id": [1, 1], "week": ["2016-W01", "2200-W01"], "benefit": ["kontanthjaelp"] * 2, "activation": ["none"] * 2, "amount_dkk": [1000.0, 1000.0]}), p)
    r = runner.invoke(app, ["refund", str(p)])
    assert r.exit_code == 1 and f"[week] række 2: {AFTER}" in r.output


def test_the_first_and_last_weeks_are_priced(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text(HEADER + "1,2014-W01,kontanthjaelp,none,1000\n2,2037-W01,kontanthjaelp,none,1000\n", encoding="utf-8")  # Monday 29 December 2036
    r = runner.invoke(app, ["refund", str(p), "--json"])
    assert r.exit_code == 0, r.output
    assert '"state_dkk": 1100.0' in r.output  # 30 pct. (2014 rules) + 80 pct. (staircase week 1)


def test_aggregate_cells_outside_are_an_error(book):
    cells = pd.DataFrame({"date": ["2013-12-23", "2037-01-05", "2013-12-30"], "benefit": ["kontanthjaelp"] * 3, "activation": ["none"] * 3,
                          "spell_week": ["1"] * 3, "count_week": ["1"] * 3, "helaarspersoner": [1.0] * 3, "level_dkk_per_helaarsperson": [1.0] * 3})
    with pytest.raises(InputError) as exc:
        price_cells(cells, book, file="cells.csv")
    got = [(p.line, p.field) for p in exc.value.problems]  # 2013-12-30 is the Monday of 2014-W01 (Thursday 2 January): priced
    assert got == [(1, "date"), (2, "date")]
    assert "ingen regel for 2013-12-23" in exc.value.problems[0].message and "antaget uændret til 2036-12-31" in exc.value.problems[1].message


@pytest.fixture(scope="module")
def late_panel(tmp_path_factory) -> Path:
    """2033-W01 … 2035-W26."""
    specs = {"kontanthjaelp": sy.BenefitSpec(8, (0.05,), 3000.0, {"none": 0.7, "virksomhedspraktik": 0.3})}
    panel = sy.simulate(specs, week_number(dt.date(2033, 1, 3)), 130, benefits=BENEFITS, activations=ACTIVATIONS, seed=4, burn_in_weeks=100)
    d = tmp_path_factory.mktemp("late")
    sy.to_frame(panel).to_csv(d / "panel.csv", index=False)
    return d / "panel.csv"


def test_a_forecast_past_the_horizon_is_refused(late_panel):
    ok = runner.invoke(app, ["forecast", str(late_panel), "--years", "2", "--bootstrap", "0", "--json"])
    assert ok.exit_code == 0, ok.output
    r = runner.invoke(app, ["forecast", str(late_panel), "--years", "3", "--bootstrap", "0"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "ingen regel for 2037-W02: loven er kun antaget uændret til 2036-12-31" in r.output and "--years" in r.output


def _scenario(tmp_path: Path, years: str, law: str = "", forecast: str = "") -> Path:
    shutil.copy(TOY, tmp_path / "toy.yaml")
    text = f"kind: scenario\nid: s\ntitle: T\nextends: [toy.yaml]\nyears: {years}\n"
    if law:
        text += f"law:\n  {law}\n"
    if forecast:
        text += f"municipality:\n  caseload:\n    forecast: {forecast}\n"
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "s.yaml"


@pytest.mark.parametrize("command", ["run", "validate"])
def test_scenario_years_outside_are_an_error_at_the_years_field(tmp_path, command):
    s = _scenario(tmp_path, "[2012, 2013, 2014]")
    r = runner.invoke(app, [command, str(s)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"{s}:5: [years] ingen regel for budgetåret 2012 (2012-W01): reglerne i rates/ gælder fra 2014-01-01" in r.output
    assert "budgetåret 2013" in r.output and "budgetåret 2014" not in r.output
    s = _scenario(tmp_path, "[2036, 2037]")
    r = runner.invoke(app, [command, str(s)])
    assert r.exit_code == 1 and "ingen regel for budgetåret 2037 (2037-W02): loven er kun antaget uændret til 2036-12-31" in r.output
    assert "budgetåret 2036" not in r.output


def test_as_if_outside_is_an_error_and_inside_prices_every_year(tmp_path):
    s = _scenario(tmp_path, "[2040, 2041]", law="as_if: 2040-01-01")
    r = runner.invoke(app, ["validate", str(s)])
    assert r.exit_code == 1 and "[law.as_if] ingen regel for 2040-01-01: loven er kun antaget uændret til 2036-12-31" in r.output
    s = _scenario(tmp_path, "[2040, 2041]", law="as_if: 2016-01-04")
    assert runner.invoke(app, ["run", str(s)]).exit_code == 0  # an explicit 'what if': the law of one date


def test_a_scenario_forecast_past_the_horizon_names_forecast_years(tmp_path, late_panel):
    shutil.copy(late_panel, tmp_path / "panel.csv")
    s = _scenario(tmp_path, "[2035, 2036]", forecast="{panel: panel.csv, years: 3, note: Syntetisk}")
    for command in ("run", "validate"):
        r = runner.invoke(app, [command, str(s)])
        assert r.exit_code == 1 and "Traceback" not in r.output, r.output
        assert "[municipality.caseload.forecast.years] prognosen kan ikke prissættes: ingen regel for 2037-W02" in r.output
