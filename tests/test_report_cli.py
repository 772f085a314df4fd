"""The commands users touch: run, compare, businesscase."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
runner = CliRunner()


def test_run_json_and_the_saved_resolved_scenario(tmp_path):
    resolved = tmp_path / "resolved.yaml"
    res = runner.invoke(app, ["run", str(SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"), "--json", "--save-resolved", str(resolved)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    budget = next(t for t in out["tables"] if t["key"] == "budget")
    lines = {ln["key"]: ln["values"] for ln in budget["lines"]}
    assert lines["total"] == {"2014": 5288, "2015": 6347, "2016": 6110, "2017": 5826}
    assert lines["netto"] == {"2014": 4637, "2015": 5045, "2016": 4808, "2017": 5175}
    assert out["provenance"]["resolved_scenario"] == str(resolved)
    again = load_scenario(resolved)
    assert again.input_hash == out["provenance"]["input_hash"]
    tabel1 = out["initiatives"][0]["tabel_1"]
    assert tabel1[-1]["value"] == 1302483


def test_run_table_output(tmp_path):
    res = runner.invoke(app, ["run", str(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml"), "--save-resolved", str(tmp_path / "r.yaml")])
    assert res.exit_code == 0, res.output
    assert "Nettovirkning i alt (− = besparelse)" in res.output and "-1.302" in res.output


def test_businesscase_writes_every_format(tmp_path):
    for fmt_name in ("md", "html", "pdf", "xlsx"):
        out = tmp_path / f"memo.{fmt_name}"
        res = runner.invoke(app, ["businesscase", str(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml"), "--format", fmt_name, "--out", str(out)])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 1000
    assert (tmp_path / "memo.pdf").read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left behind


def test_businesscase_rejects_an_unknown_format(tmp_path):
    res = runner.invoke(app, ["businesscase", str(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml"), "--format", "docx", "--out", str(tmp_path / "m.docx")])
    assert res.exit_code == 1 and "docx" in res.output


def test_compare_table_and_xlsx(tmp_path):
    a, b = str(SCEN / "lyngby-taarbaek-2014-basis.yaml"), str(SCEN / "lyngby-taarbaek-2016-refusionstrappe.yaml")
    res = runner.invoke(app, ["compare", a, b])
    assert res.exit_code == 0, res.output
    assert "Forskel B − A" in res.output and "Kommunens nettoudgift" in res.output
    out = tmp_path / "cmp.xlsx"
    res = runner.invoke(app, ["compare", a, b, "--format", "xlsx", "--out", str(out)])
    assert res.exit_code == 0, res.output
    ws = load_workbook(io.BytesIO(out.read_bytes()))["Sammenligning"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    netto = [r for r in rows if r[0] == "Kommunens nettoudgift"]
    assert len(netto) == 3  # A, B, difference
    a_row, b_row, diff = netto
    assert diff[1] == "Forskel B − A"
    # each scenario's row refers to its own sheet, the difference is a formula over the two rows
    assert all(isinstance(v, str) and v.startswith("='A ") for v in a_row[3:])
    assert all(isinstance(v, str) and v.startswith("='B ") for v in b_row[3:])
    first = next(i for i, r in enumerate(rows, 1) if r[0] == "Kommunens nettoudgift")
    assert diff[3:] == [f"={c}{first + 1}-{c}{first}" for c in "DEFG"]
    names = load_workbook(io.BytesIO(out.read_bytes())).sheetnames  # a sheet per scenario plus the comparison
    assert names[0] == "Sammenligning" and names[1] == "A lyngby-taarbaek-2014-basis" and names[2].startswith("B lyngby-taarbaek-2016-refusion")


def test_compare_needs_two_scenarios():
    res = runner.invoke(app, ["compare", str(SCEN / "lyngby-taarbaek-2014-basis.yaml")])
    assert res.exit_code == 1 and "mindst to" in res.output


def test_unitcost_reads_the_staff_profile_of_a_scenario():
    res = runner.invoke(app, ["unitcost", str(SCEN / "lyngby-taarbaek-2014-basis.yaml"), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["municipality"] == "Lyngby-Taarbæk"
