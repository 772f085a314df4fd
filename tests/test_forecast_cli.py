"""`budgetmodel forecast`: JSON keys, intervals, backtest, scenario file, errors, caseload cells."""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.financing.aggregate import price_cells
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, read_panel
from budgetmodel.forecast import synthetic as sy
from budgetmodel.forecast.assumptions import load_assumptions
from budgetmodel.forecast.caseload import caseload_cells, caseload_summary, rule_bands
from budgetmodel.forecast.engine import PricedPanel, run_forecast
from budgetmodel.forecast.spells import week_number
from budgetmodel.rates import load_rates

SPECS = {
    "kontanthjaelp": sy.BenefitSpec(8, (0.05,), 3000.0, {"none": 0.7, "virksomhedspraktik": 0.3}),
    "dagpenge": sy.BenefitSpec(6, (0.08,), 4300.0, {"none": 0.6, "loentilskud": 0.4}),
}
runner = CliRunner()


@pytest.fixture(scope="module")
def panel_csv(tmp_path_factory):
    """2017-W01 … 2019-W26: the panel ends mid-year."""
    p = sy.simulate(SPECS, week_number(dt.date(2017, 1, 2)), 130, benefits=BENEFITS, activations=ACTIVATIONS, seed=4, burn_in_weeks=200,
                    reentry=sy.Reentry(0.3, 6))
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    sy.to_frame(p).to_csv(path, index=False)
    return path


def run(*args):
    return runner.invoke(app, ["forecast", *map(str, args)])


def test_json_has_the_named_keys_and_intervals(panel_csv):
    r = run(panel_csv, "--years", 3, "--json", "--bootstrap", 20)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [y["year"] for y in doc["years"]] == [2019, 2020, 2021]
    for y in doc["years"]:
        assert list(y)[:5] == ["year", "helaarspersoner", "gross_dkk", "state_dkk", "municipal_dkk"]
        assert y["municipal_dkk"] == y["gross_dkk"] - y["state_dkk"] or abs(y["municipal_dkk"] - (y["gross_dkk"] - y["state_dkk"])) <= 1
        for k in ("helaarspersoner", "gross_dkk", "state_dkk", "municipal_dkk"):
            assert y["intervals"][k]["low"] <= y["intervals"][k]["high"]
        assert sum(b["helaarspersoner"] for b in y["by_benefit"].values()) == pytest.approx(y["helaarspersoner"], abs=0.02)
    # calendar years: the panel ends with 2019-W26 (Sunday 30 June), so 2019 has 181 days from the
    # panel (1 January - 30 June) and 184 projected
    assert doc["year_convention"] == "calendar_year_days"
    assert (doc["years"][0]["observed_days"], doc["years"][0]["projected_days"]) == (181, 184)
    assert doc["intervals"]["replicates"] == 20
    assert "backtest" not in doc
    assert set(doc["estimation"]) == {"kontanthjaelp", "dagpenge"}
    # same inputs → byte-identical output
    assert run(panel_csv, "--years", 3, "--json", "--bootstrap", 20).stdout == r.stdout


def test_observed_weeks_of_the_first_year_are_the_panels_own(panel_csv):
    r = run(panel_csv, "--years", 1, "--json", "--bootstrap", 0)
    doc = json.loads(r.stdout)
    assert "intervals" not in doc["years"][0] and "intervals" not in doc
    book = load_rates()
    pp = PricedPanel.from_frame(read_panel(panel_csv), book)
    res = run_forecast(pp, book, load_assumptions(), 1, replicates=0)
    obs = res.observed[2019]
    rows_2019 = pp.panel.week >= week_number(dt.date(2018, 12, 31))
    # 2019-W01 runs Monday 31 December 2018 - Sunday 6 January 2019: 6 of its 7 days are 2019's
    w01 = pp.panel.week == week_number(dt.date(2018, 12, 31))
    assert obs["person_weeks"].sum() == pytest.approx(rows_2019.sum() - w01.sum() / 7)
    assert obs["gross"].sum() == pytest.approx(pp.panel.amount[rows_2019].sum() - pp.panel.amount[w01].sum() / 7)
    assert obs["state"].sum() == pytest.approx(pp.state_dkk[rows_2019].sum() - pp.state_dkk[w01].sum() / 7)


def test_backtest_and_curves_in_json(panel_csv):
    r = run(panel_csv, "--years", 1, "--json", "--bootstrap", 0, "--backtest", "--curves")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    bt = doc["backtest"]
    assert bt["estimated_through"] == "2018-W52" and bt["years"][0]["days"] == 181
    assert set(bt["years"][0]["error_pct"]) == {"helaarspersoner", "gross_dkk", "state_dkk", "municipal_dkk"}
    curve = doc["estimation"]["kontanthjaelp"]["exit_curve"]
    assert curve[0]["week"] == 1 and curve[-1]["week"] == "104+"
    assert all(c["exits"] <= c["at_risk"] for c in curve)


def test_text_output_and_scenario_effect(panel_csv, tmp_path):
    r = run(panel_csv, "--years", 2, "--bootstrap", 0, "--backtest")
    assert r.exit_code == 0, r.output
    assert "Helårspersoner" in r.stdout and "Backtest" in r.stdout and "2020" in r.stdout
    f = tmp_path / "scen.yaml"
    f.write_text(
        "forecast:\n  effects:\n    - {name: Virksomhedsrettet, benefits: [kontanthjaelp], weeks: '1+', exit_hazard_multiplier: 1.5}\n",
        encoding="utf-8",
    )
    base = json.loads(run(panel_csv, "--years", 2, "--json", "--bootstrap", 0).stdout)
    faster = json.loads(run(panel_csv, "--years", 2, "--json", "--bootstrap", 0, "--scenario", f).stdout)
    kb, kf = base["years"][1]["by_benefit"], faster["years"][1]["by_benefit"]
    assert kf["kontanthjaelp"]["helaarspersoner"] < 0.8 * kb["kontanthjaelp"]["helaarspersoner"]
    assert kf["dagpenge"] == kb["dagpenge"]
    assert faster["assumptions"]["effects"] == ["Virksomhedsrettet"]


def test_bad_inputs_give_one_clear_error(panel_csv, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,week,benefit,activation,amount_dkk\n1,2017-W01,kontanthjaelp,none,100\n1,2017-W60,kontanthjaelp,none,100\n", encoding="utf-8")
    r = run(bad, "--years", 1)
    assert r.exit_code == 1 and "bad.csv:3" in r.output and "week" in r.output
    f = tmp_path / "s.yaml"
    f.write_text("forecast:\n  inflow: {growth_pct_per_year: {kontantjælp: 2}}\n  duration_cap_weeks: x\n", encoding="utf-8")
    r = run(panel_csv, "--years", 1, "--scenario", f)
    assert r.exit_code == 1
    assert "s.yaml:3" in r.output and "duration_cap_weeks" in r.output
    f.write_text("forecast:\n  inflow: {growth_pct_per_year: {kontantjælp: 2}}\n", encoding="utf-8")
    r = run(panel_csv, "--years", 1, "--scenario", f)
    assert r.exit_code == 1 and "s.yaml:2" in r.output and "unknown benefit 'kontantjælp'" in r.output


def test_caseload_cells_price_to_the_forecasts_money(panel_csv):
    """The scenario engine's view: cells priced by the aggregate path give the forecast's kroner."""
    book = load_rates()
    pp = PricedPanel.from_frame(read_panel(panel_csv), book)
    res = run_forecast(pp, book, load_assumptions(), 3, replicates=0)
    bands = rule_bands(book, res)
    assert bands.count_labels == ["1-4", "5-26", "27-52", "53+"]  # the staircase's own bands
    cells = caseload_cells(res, pp, book)
    priced = price_cells(cells, book)
    for y in res.horizon.years:
        c = priced[priced["year"] == y]
        t = res.totals(y)
        days = 366 if y == 2020 else 365  # calendar years: person-days / the year's days
        assert c["helaarspersoner"].sum() == pytest.approx(t["person_weeks"].sum() * 7 / days, rel=1e-12)
        # to the øre: the forecast adds the panel's own kroner exactly, each row to a millionth of a krone
        assert c["gross_dkk"].sum() == pytest.approx(t["gross"].sum(), abs=0.005)
        assert c["state_dkk"].sum() == pytest.approx(t["state"].sum(), abs=0.005)
    summary = caseload_summary(cells)
    k = summary[2021]["kontanthjaelp"]
    assert sum(k["duration"].values()) == pytest.approx(1.0)
    assert set(k["duration"]) <= {"1-4", "5-26", "27-52", "53+"}
    assert k["activation"]["virksomhedspraktik"] == pytest.approx(0.3, abs=0.03)


def test_forecast_caseload_for_the_scenario_engine(panel_csv):
    from budgetmodel.forecast.caseload import forecast_caseload

    book = load_rates()
    flat = forecast_caseload(panel_csv, 3, book)
    grow = forecast_caseload(panel_csv, 3, book, inflow_growth_pct_per_year=10)
    assert list(flat.summary) == [2019, 2020, 2021]
    hp = lambda fc, y: sum(b["helaarspersoner"] for b in fc.summary[y].values())  # noqa: E731
    assert hp(grow, 2021) > 1.1 * hp(flat, 2021)
    assert [y["helaarspersoner"] for y in flat.document["years"]] == pytest.approx([hp(flat, y) for y in (2019, 2020, 2021)], abs=0.01)


def test_validate_checks_forecast_assumption_files(tmp_path):
    from budgetmodel.paths import scenarios_dir

    r = runner.invoke(app, ["validate", str(scenarios_dir() / "forecast" / "standard.yaml")])
    assert r.exit_code == 0, r.output
    f = tmp_path / "a.yaml"
    f.write_text("forecast:\n  effects:\n    - {name: x, weeks: '13-52', exit_hazard_multiplier: -1}\n", encoding="utf-8")
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 1 and "a.yaml:3" in r.output and "exit_hazard_multiplier" in r.output


def test_a_scenario_file_gives_its_growth_and_duration_effect(panel_csv, tmp_path):
    """`--scenario` also takes a scenario (kind: scenario): assumptions.caseload_growth becomes the
    inflow growth and assumptions.duration_effect an exit-hazard multiplier 1/(1 − effect) for weeks
    in company-based offers; with growth 0 and effect 0 (the published jobformidler case) nothing moves."""
    from pathlib import Path

    job = Path(__file__).resolve().parents[1] / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml"
    base = json.loads(run(panel_csv, "--years", 2, "--json", "--bootstrap", 0).stdout)
    same = json.loads(run(panel_csv, "--years", 2, "--json", "--bootstrap", 0, "--scenario", job).stdout)
    assert [y["helaarspersoner"] for y in same["years"]] == [y["helaarspersoner"] for y in base["years"]]
    assert str(job) in [f["file"] for f in same["assumptions"]["files"]]

    f = tmp_path / "vaekst.yaml"
    f.write_text(
        f"kind: scenario\nid: vaekst\ntitle: Vækst og effekt\nextends: [{job}]\nassumptions:\n"
        "  caseload_growth: {value: 0.1, status: assumption, source: test}\n"
        "  duration_effect: {value: 0.5, status: assumption, source: test}\n",
        encoding="utf-8",
    )
    r = run(panel_csv, "--years", 2, "--json", "--bootstrap", 0, "--scenario", f)
    assert r.exit_code == 0, r.output
    changed = json.loads(r.stdout)
    assert changed["assumptions"]["effects"] == ["varighedseffekt fra vaekst.yaml"]
    # dagpenge: 40 pct. of weeks in løntilskud leave twice as fast; kontanthjælp 30 pct. in praktik
    for b in ("kontanthjaelp", "dagpenge"):
        assert changed["years"][1]["by_benefit"][b]["helaarspersoner"] < base["years"][1]["by_benefit"][b]["helaarspersoner"]
    g = tmp_path / "kun-vaekst.yaml"
    g.write_text(
        f"kind: scenario\nid: kun-vaekst\ntitle: Vækst\nextends: [{job}]\nassumptions:\n"
        "  caseload_growth: {value: 0.1, status: assumption, source: test}\n",
        encoding="utf-8",
    )
    grown = json.loads(run(panel_csv, "--years", 2, "--json", "--bootstrap", 0, "--scenario", g).stdout)
    assert grown["years"][1]["helaarspersoner"] > base["years"][1]["helaarspersoner"]
    assert grown["assumptions"]["effects"] == []
