"""`validate` runs every check the engines make (issue 16, item 2): a rates folder missing a table
the model reads is one Danish error naming the table in validate, run, refund, forecast, optimise
and businesscase; validate reads a scenario's forecast panel as run does."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, week_number
from budgetmodel.forecast import synthetic as sy
from budgetmodel.paths import rates_dir

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml"
PANEL = ROOT / "tests" / "fixtures" / "refund" / "small_panel.csv"
TOY = ROOT / "tests" / "fixtures" / "scenarios" / "staircase-toy.yaml"
runner = CliRunner()


def _without(tmp_path: Path, table: str) -> Path:
    rates = tmp_path / "rates"
    shutil.copytree(rates_dir(), rates)
    (rates / f"{table}.yaml").unlink()
    return rates


def _message(rates: Path, table: str) -> str:
    return f"{rates}: [{table}] satsmappen mangler tabellen '{table}' ({table}.yaml), som beregningen bruger"


@pytest.mark.parametrize("table", ["driftsloft", "ydelsessatser", "lov_antaget_uaendret_til"])
@pytest.mark.parametrize(
    "command",
    [["validate", str(SCENARIO)], ["validate", str(ROOT / "scenarios")], ["run", str(SCENARIO)], ["businesscase", str(SCENARIO), "--format", "md", "--out", "OUT"]],
)
def test_a_scenario_command_names_the_missing_table(tmp_path, table, command):
    rates = _without(tmp_path, table)
    args = [str(tmp_path / "memo.md") if a == "OUT" else a for a in command]
    r = runner.invoke(app, [*args, "--rates", str(rates)])
    assert r.exit_code == 1 and "Traceback" not in r.output and "intern fejl" not in r.output, r.output
    assert r.output.count(_message(rates, table)) == 1, r.output
    assert not (tmp_path / "memo.md").exists()


def test_optimise_names_the_missing_table(tmp_path):
    rates = _without(tmp_path, "mentorramme")
    r = runner.invoke(app, ["optimise", str(SCENARIO), "--rates", str(rates)])
    assert r.exit_code == 1 and _message(rates, "mentorramme") in r.output, r.output


@pytest.mark.parametrize("table", ["refusionstrappe", "refusionstrappe_regler", "lov_antaget_uaendret_til"])
@pytest.mark.parametrize("command", ["refund", "forecast"])
def test_refund_and_forecast_name_a_missing_pricing_table(tmp_path, table, command):
    rates = _without(tmp_path, table)
    args = [command, str(PANEL), "--rates", str(rates)] + (["--years", "1", "--bootstrap", "0"] if command == "forecast" else [])
    r = runner.invoke(app, args)
    assert r.exit_code == 1 and "Traceback" not in r.output and "intern fejl" not in r.output, r.output
    assert _message(rates, table) in r.output


def test_refund_does_not_require_a_table_it_does_not_read(tmp_path):
    rates = _without(tmp_path, "driftsloft")
    r = runner.invoke(app, ["refund", str(PANEL), "--rates", str(rates), "--json"])
    assert r.exit_code == 0, r.output


def test_validate_rates_alone_notices_the_missing_table(tmp_path):
    rates = _without(tmp_path, "samtalekadence")
    r = runner.invoke(app, ["validate", str(rates), "--rates", str(rates)])
    assert r.exit_code == 1 and _message(rates, "samtalekadence") in r.output


def test_rates_that_are_no_folder_are_one_error(tmp_path):
    for command in (["run", str(SCENARIO)], ["refund", str(PANEL)], ["validate", str(SCENARIO)]):
        r = runner.invoke(app, [*command, "--rates", str(tmp_path / "nowhere")])
        assert r.exit_code == 1 and "1 fejl i input" in r.output and "satsmappen findes ikke eller er ikke en mappe" in r.output, r.output


@pytest.fixture(scope="module")
def forecast_folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fc")
    specs = {"kontanthjaelp": sy.BenefitSpec(inflow_per_week=6.0, hazard=(0.03,), amount_dkk_per_week=2400.0, activation_probs={"none": 1.0})}
    panel = sy.simulate(specs, week_number(dt.date(2017, 1, 2)), 130, benefits=BENEFITS, activations=ACTIVATIONS, seed=7, burn_in_weeks=150)
    sy.to_frame(panel).to_csv(d / "panel.csv", index=False)
    shutil.copy(TOY, d / "toy.yaml")
    (d / "s.yaml").write_text(
        "kind: scenario\nid: s\ntitle: T\nextends: [toy.yaml]\nyears: [2020, 2021]\n"
        "municipality:\n  caseload:\n    forecast: {panel: panel.csv, years: 3, note: Syntetisk}\n",
        encoding="utf-8",
    )
    return d


def test_validate_reads_the_forecast_panel_contents(forecast_folder, tmp_path):
    assert runner.invoke(app, ["validate", str(forecast_folder / "s.yaml")]).exit_code == 0
    d = tmp_path / "bad"
    shutil.copytree(forecast_folder, d)
    lines = (d / "panel.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("kontanthjaelp", "kontanthjalp")
    lines[5] = "P1,2017-W99,kontanthjaelp,none,2400.0"
    (d / "panel.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in ("validate", "run"):
        r = runner.invoke(app, [command, str(d / "s.yaml")])
        assert r.exit_code == 1 and "Traceback" not in r.output, r.output
        assert f"{d / 'panel.csv'}:4: [benefit]" in r.output and f"{d / 'panel.csv'}:6: [week]" in r.output, r.output
