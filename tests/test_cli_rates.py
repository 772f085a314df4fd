"""`budgetmodel validate`, `rates list` and `rates show` as a user runs them."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.paths import rates_dir

runner = CliRunner()
OWN_TABLES = [
    "refusion_driftsudgifter",
    "ydelsessatser",
    "medfinansiering_arbejdsmarkedsydelse",
    "beskaeftigelsestilskud",
    "beskaeftigelsestilskud_struktur",
    "refusionstrappe",
]


def test_show_refusionstrappe_2017_json():
    r = runner.invoke(app, ["rates", "show", "refusionstrappe", "--at", "2017-03-01", "--json"])
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["id"] == "refusionstrappe" and out["unit"] == "pct" and out["at"] == "2017-03-01"
    shares = {v["where"]["count_week"]: v["value"] for v in out["values"]}
    assert shares == {"1-4": 80, "5-26": 40, "27-52": 30, "53+": 20}
    assert all("§ 5" in v["source"] for v in out["values"])


def test_show_indsats_table_text_and_json():
    r = runner.invoke(app, ["rates", "show", "refusion_driftsudgifter", "--at", "2014-06-01", "--json"])
    assert r.exit_code == 0, r.stderr
    values = json.loads(r.stdout)["values"]
    jobparat = {
        (v["where"]["expense"], v["where"].get("benefit_month", "*")): v["value"]
        for v in values
        if v["where"]["target_group"] == "kontanthjaelp_jobparat"
    }
    assert jobparat[("vejledning_opkvalificering", "1-24")] == 0
    assert jobparat[("vejledning_opkvalificering", "25+")] == 50
    assert jobparat[("mentor", "*")] == 0
    r = runner.invoke(app, ["rates", "show", "refusion_driftsudgifter", "--at", "2014-06-01"])
    assert r.exit_code == 0 and "kontanthjaelp_jobparat" in r.stdout and "l. 614" in r.stdout


def test_show_nothing_in_force_is_an_error():
    r = runner.invoke(app, ["rates", "show", "ydelsessatser", "--at", "2017-03-01"])
    assert r.exit_code == 1
    assert "ingen værdier gælder den 2017-03-01" in r.stderr


def test_show_unknown_table_and_bad_date():
    r = runner.invoke(app, ["rates", "show", "no_such_table", "--at", "2017-03-01"])
    assert r.exit_code == 1 and "ingen satstabel 'no_such_table'" in r.stderr
    r = runner.invoke(app, ["rates", "show", "refusionstrappe", "--at", "2017-3-1"])
    assert r.exit_code == 2 and "ÅÅÅÅ-MM-DD" in r.stderr


def test_list_prints_ids():
    r = runner.invoke(app, ["rates", "list"])
    assert r.exit_code == 0, r.stderr
    for tid in OWN_TABLES:
        assert tid in r.stdout
    r = runner.invoke(app, ["rates", "list", "--json"])
    rows = {row["id"]: row for row in json.loads(r.stdout)}
    assert set(OWN_TABLES) <= set(rows)
    assert rows["medfinansiering_arbejdsmarkedsydelse"]["periods"] == [
        "2013-12-30–2014-12-31", "2013-12-30–2016-01-03", "2015-01-01–2016-01-03"
    ]
    assert rows["ydelsessatser"]["unit"] == "dkk_per_month"


def test_validate_real_rates_exits_zero():
    r = runner.invoke(app, ["validate", str(rates_dir())])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("OK:")


@pytest.fixture
def broken_copy(tmp_path):
    root = tmp_path / "rates"
    shutil.copytree(rates_dir(), root)
    target = root / "refusion_driftsudgifter.yaml"
    lines = target.read_text(encoding="utf-8").splitlines()
    target.write_text("\n".join(lines) + "\ncolour: red\n", encoding="utf-8")
    return root, target, len(lines) + 1


def test_validate_copy_with_unknown_key_names_file_and_line(broken_copy):
    root, target, line = broken_copy
    r = runner.invoke(app, ["validate", str(root)])
    assert r.exit_code == 1
    assert f"{target}:{line}: [colour] ukendt nøgle 'colour'" in r.stderr
    assert r.stdout == ""


def test_validate_as_a_process(broken_copy):
    """The installed console script, exactly as a user types it."""
    root, target, line = broken_copy
    exe = Path(sys.executable).parent / "budgetmodel"
    p = subprocess.run([str(exe), "validate", str(root)], capture_output=True, text=True)
    assert p.returncode == 1
    assert f"{target}:{line}:" in p.stderr
    p = subprocess.run([str(exe), "validate", str(rates_dir())], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_rates_commands_read_a_given_folder(broken_copy):
    root, target, line = broken_copy
    r = runner.invoke(app, ["rates", "list", "--rates", str(root)])
    assert r.exit_code == 1 and f"{target}:{line}:" in r.stderr


def test_show_with_nothing_in_force_is_an_error_also_as_json():
    from typer.testing import CliRunner

    from budgetmodel.cli import app

    for extra in ([], ["--json"]):
        r = CliRunner().invoke(app, ["rates", "show", "refusionstrappe", "--at", "2016-01-03", *extra])
        assert r.exit_code == 1
        assert "ingen værdier gælder den 2016-01-03" in r.output and "2016-01-04" in r.output


def test_list_json_gives_known_through_per_table():
    r = runner.invoke(app, ["rates", "list", "--json"])
    assert r.exit_code == 0, r.output
    rows = {x["id"]: x for x in json.loads(r.output)}
    assert rows["refusionstrappe"]["known_through"] == "2026-12-31"
    assert rows["driftsloft"]["known_through"] == "2014-12-31"
    assert all(x["known_through"] for x in rows.values())


def test_show_says_assumed_unchanged_past_known_through():
    r = runner.invoke(app, ["rates", "show", "driftsloft", "--at", "2017-03-01"])
    assert r.exit_code == 0, r.output
    assert "antaget uændret efter 2014-12-31" in r.output
    r = runner.invoke(app, ["rates", "show", "refusionstrappe", "--at", "2027-03-01", "--json"])
    d = json.loads(r.output)
    assert d["assumed_unchanged"] is True and d["notice"] == "antaget uændret efter 2026-12-31"
    r = runner.invoke(app, ["rates", "show", "refusionstrappe", "--at", "2026-03-01"])
    assert r.exit_code == 0 and "antaget uændret" not in r.output


def test_show_operating_costs_and_staircase_through_the_years():
    def cell(at, tg, expense, month):
        d = json.loads(runner.invoke(app, ["rates", "show", "refusion_driftsudgifter", "--at", at, "--json"]).output)
        hits = [v["value"] for v in d["values"] if v["where"].get("target_group") in (tg, "*") and v["where"]["expense"] == expense
                and (v["where"].get("benefit_month", "*") == "*" or v["where"]["benefit_month"] == month)]
        return hits

    assert cell("2014-06-01", "kontanthjaelp_aktivitetsparat", "vejledning_opkvalificering", "*") == [50]
    assert cell("2014-06-01", "kontanthjaelp_jobparat", "vejledning_opkvalificering", "1-24") == [0]
    assert cell("2017-03-01", "dagpenge", "mentor", "*") == [0]
    assert cell("2020-03-01", "kontanthjaelp_aktivitetsparat", "vejledning_opkvalificering", "*") == [0]
    assert cell("2020-03-01", "ressourceforloeb", "vejledning_opkvalificering", "*") == [50]
    assert cell("2026-03-01", "ressourceforloeb", "vejledning_opkvalificering", "*") == [0]
    assert cell("2026-03-01", "foertidspension", "vejledning_opkvalificering", "*") == [50]
    r = runner.invoke(app, ["rates", "show", "refusionstrappe", "--at", "2014-06-01"])
    assert r.exit_code == 1 and "ingen værdier gælder den 2014-06-01" in r.output
    for at in ("2017-03-01", "2020-03-01", "2026-03-01"):
        d = json.loads(runner.invoke(app, ["rates", "show", "refusionstrappe", "--at", at, "--json"]).output)
        assert [v["value"] for v in d["values"]] == [80, 40, 30, 20]
