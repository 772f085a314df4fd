"""A scenario as an Excel workbook: YAML → xlsx → YAML gives the same scenario (every bundled
one), a workbook typed by hand runs to the same numbers as the equivalent YAML, and bad or
hostile workbooks give one located Danish message per problem (sheet and cell), never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.cli.konverter_cmd import TEMPLATE, convert, template_workbook
from budgetmodel.cli.scenario_cmd import result_json
from budgetmodel.errors import InputError
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import check_fragment, load_scenario
from budgetmodel.scenario.run import run_scenario
from budgetmodel.scenario.workbook import read_workbook
from budgetmodel.scenario.workbook_schema import SHEETS, _concrete, all_fields, node_at, sheet_for

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
runner = CliRunner()


@pytest.fixture(scope="module")
def book():
    return load_rates()


def _comparable(result) -> dict:
    """run --json without the provenance that names files (paths and the workbook's own bytes)."""
    doc = result_json(result, None)
    doc["provenance"] = {k: v for k, v in doc["provenance"].items() if k not in ("files", "resolved_scenario")}
    return doc


# ------------------------------------------------------------------------ round trip


@pytest.mark.parametrize("name", sorted(p.name for p in SCEN.glob("*.yaml")))
def test_yaml_to_xlsx_to_yaml_is_the_same_scenario(name, tmp_path, book):
    """Converted into another folder (so extends, the staff profile and panels are rebased), the
    workbook loads to the same compiled scenario, input hash and run --json; so does the YAML
    converted back from it."""
    src = SCEN / name
    xlsx = tmp_path / "wb" / (src.stem + ".xlsx")
    xlsx.parent.mkdir()
    back = tmp_path / "yaml" / (src.stem + ".yaml")
    back.parent.mkdir()
    convert(src, xlsx)
    convert(xlsx, back)
    a = load_scenario(src, book)
    for other in (xlsx, back):
        b = load_scenario(other, book)
        assert b.scenario == a.scenario
        assert b.input_hash == a.input_hash
        assert b.resolved == a.resolved
    ja = json.dumps(_comparable(run_scenario(a, book)), sort_keys=True)
    jb = json.dumps(_comparable(run_scenario(load_scenario(xlsx, book), book)), sort_keys=True)
    assert ja == jb


@pytest.mark.parametrize("name", sorted(p.name for p in (SCEN / "parts").glob("*.yaml")))
def test_fragments_convert_and_check(name, tmp_path):
    from budgetmodel.sourcefile import load_yaml

    src = SCEN / "parts" / name
    xlsx = tmp_path / (src.stem + ".xlsx")
    convert(src, xlsx)
    check_fragment(xlsx)  # a fragment workbook is checked like a fragment file
    assert read_workbook(xlsx).data == load_yaml(src).data


def test_same_data_same_bytes(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    src = SCEN / "testrup-2026-virksomhedskonsulenter.yaml"
    convert(src, a)
    convert(src, b)
    assert a.read_bytes() == b.read_bytes()


# ------------------------------------------------------------------------ typed by hand

YAML_SOENDERBY = """\
kind: scenario
id: soenderby-2027
title: Sønderby Kommune 2027-2029, to jobkonsulenter
years: [2027, 2028, 2029]
municipality:
  name: Sønderby Kommune
  bloktilskud_share: {value: 0.004, status: assumption, source: "Opdigtet kommune"}
  prices:
    wage_dkk_per_aarsvaerk: {value: 500000, status: assumption, source: "Opdigtet: årsløn"}
    helaarstilbud_dkk:
      over_30: {value: 55000, status: assumption, source: "Opdigtet: pris pr. helårstilbud"}
  caseload:
    source: "Opdigtet sagsstamme"
    groups:
      aktivitetsparate:
        label: Aktivitetsparate over 30 år
        target_group: kontanthjaelp_aktivitetsparat
        benefit: kontanthjaelp
        age: over_30
        helaarspersoner: {value: 300, status: data, source: "Opdigtet: eget ydelsessystem"}
        benefit_dkk_per_helaarsperson: {value: 140000, status: assumption, source: "Opdigtet"}
        activation:
          vejledning_opkvalificering: {value: 0.2, status: assumption, source: "Opdigtet"}
        duration:
          "1-4": {value: 0.1, status: assumption, source: "Opdigtet"}
          "5-26": {value: 0.1, status: assumption, source: "Opdigtet"}
          "27-52": {value: 0.2, status: assumption, source: "Opdigtet"}
          "53+": {value: 0.6, status: assumption, source: "Opdigtet"}
        purchases:
          vejledning_opkvalificering: {value: 60, status: data, source: "Opdigtet: helårstilbud købt om året"}
law: {}
initiatives:
  jobkonsulenter:
    title: To jobkonsulenter
    start: 2027-01-01
    duration_months: 36
    target_group: aktivitetsparate
    staff_count: {value: 2, status: assumption, source: "Opdigtet"}
    participants: {value: 30, status: assumption, source: "Opdigtet"}
    from_activation: vejledning_opkvalificering
    to_activation: loentilskud
    participant_week: 60
    duration_effect: {value: 0.1, status: assumption, source: "Opdigtet"}
    offer_reductions:
      over_30:
        helaarstilbud: {value: 8, status: assumption, source: "Opdigtet"}
assumptions:
  duration_effect: {value: 0, status: assumption, source: "Opdigtet"}
  caseload_growth: {value: 0, status: assumption, source: "Opdigtet"}
"""


def _sheet(wb, name: str, header: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(name)
    ws.append(["Overskrift, som læseren springer over"])
    ws.append([])
    ws.append(header)
    for r in rows:
        ws.append(r)


def _hand_typed(path: Path) -> None:
    """The same municipality typed into a workbook, as an economist would (no template)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    h = ["Felt", "Værdi", "Kilde", "Status", "Note"]
    _sheet(wb, "Scenarie", h, [["kind", "scenario"], ["id", "soenderby-2027"], ["title", "Sønderby Kommune 2027-2029, to jobkonsulenter"],
                               ["years.0", 2027], ["years.1", 2028], ["years.2", 2029]])
    _sheet(wb, "Kommune", h, [["name", "Sønderby Kommune"], ["bloktilskud_share", 0.004, "Opdigtet kommune", "assumption"],
                              ["caseload.source", "Opdigtet sagsstamme"]])
    _sheet(wb, "Priser", h, [["wage_dkk_per_aarsvaerk", 500000, "Opdigtet: årsløn", "assumption"],
                             ["helaarstilbud_dkk.over_30", 55000, "Opdigtet: pris pr. helårstilbud", "assumption"]])
    g = "aktivitetsparate"
    _sheet(wb, "Sagsstamme", ["Gruppe", *h], [
        [g, "label", "Aktivitetsparate over 30 år"], [g, "target_group", "kontanthjaelp_aktivitetsparat"], [g, "benefit", "kontanthjaelp"],
        [g, "age", "over_30"], [g, "helaarspersoner", 300, "Opdigtet: eget ydelsessystem", "data"],
        [g, "benefit_dkk_per_helaarsperson", 140000, "Opdigtet", "assumption"],
        [g, "activation.vejledning_opkvalificering", 0.2, "Opdigtet", "assumption"],
        [g, "duration.1-4", 0.1, "Opdigtet", "assumption"], [g, "duration.5-26", 0.1, "Opdigtet", "assumption"],
        [g, "duration.27-52", 0.2, "Opdigtet", "assumption"], [g, "duration.53+", 0.6, "Opdigtet", "assumption"],
        [g, "purchases.vejledning_opkvalificering", 60, "Opdigtet: helårstilbud købt om året", "data"],
    ])
    _sheet(wb, "Lov", h, [])
    i = "jobkonsulenter"
    _sheet(wb, "Initiativer", ["Initiativ", *h], [
        [i, "title", "To jobkonsulenter"], [i, "start", dt.datetime(2027, 1, 1)], [i, "duration_months", 36],
        [i, "target_group", "aktivitetsparate"], [i, "staff_count", 2, "Opdigtet", "assumption"],
        [i, "participants", 30, "Opdigtet", "assumption"], [i, "from_activation", "vejledning_opkvalificering"],
        [i, "to_activation", "loentilskud"], [i, "participant_week", 60], [i, "duration_effect", 0.1, "Opdigtet", "assumption"],
        [i, "offer_reductions.over_30.helaarstilbud", 8, "Opdigtet", "assumption"],
    ])
    _sheet(wb, "Antagelser", h, [["duration_effect", 0, "Opdigtet", "assumption"], ["caseload_growth", 0, "Opdigtet", "assumption"]])
    _sheet(wb, "_mine_beregninger", ["vilkårligt"], [["=SUM(A1:A3)"]])  # one's own sheet: not read
    wb.save(path)


def test_hand_typed_workbook_runs_like_the_yaml(tmp_path, book):
    """Sønderby (made up, 2027 law): 2 staff × 500.000 = 1.000.000; 10 pct. shorter time on
    benefit for 30 participants saves 3 helårspersoner × 140.000 × 80 pct. (20 pct. refund in
    week 53+) = 336.000; 8 fewer helårstilbud × 55.000 = 440.000; moving them from vejledning to
    løntilskud in week 60 changes no refund (20 pct. both). Net cost 224.000 kr. a year."""
    y = tmp_path / "soenderby.yaml"
    y.write_text(YAML_SOENDERBY, encoding="utf-8")
    x = tmp_path / "soenderby.xlsx"
    _hand_typed(x)
    a, b = load_scenario(y, book), load_scenario(x, book)
    assert a.scenario == b.scenario
    assert a.input_hash == b.input_hash
    ra, rb = run_scenario(a, book), run_scenario(b, book)
    assert _comparable(ra) == _comparable(rb)
    (case,) = rb.initiatives
    assert case.net_dkk_per_year == pytest.approx(1_000_000 - 336_000 - 440_000)
    assert case.dkk == pytest.approx({2027: 224_000, 2028: 224_000, 2029: 224_000})
    # the CLI reads it the same way
    out = runner.invoke(app, ["run", str(x), "--json", "--save-resolved", str(tmp_path / "r.yaml")])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["initiatives"][0]["dkk"] == {"2027": 224000.0, "2028": 224000.0, "2029": 224000.0}


def test_validate_compare_businesscase_accept_a_workbook(tmp_path):
    x = tmp_path / "soenderby.xlsx"
    _hand_typed(x)
    y = tmp_path / "soenderby.yaml"
    y.write_text(YAML_SOENDERBY, encoding="utf-8")
    assert runner.invoke(app, ["validate", str(x)]).exit_code == 0
    res = runner.invoke(app, ["compare", str(y), str(x)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["businesscase", str(x), "--format", "md", "--out", str(tmp_path / "m.md")])
    assert res.exit_code == 0, res.output
    assert "224" in (tmp_path / "m.md").read_text(encoding="utf-8")


def test_new_municipality_workbook_lists_what_is_missing_by_cell(tmp_path):
    y = tmp_path / "ny.yaml"
    assert runner.invoke(app, ["ny", "Fiktiv Kommune", "--years", "2027-2030", "--out", str(y)]).exit_code == 0
    x = tmp_path / "ny.xlsx"
    assert runner.invoke(app, ["konverter", str(y), str(x)]).exit_code == 0
    (tmp_path / "b").mkdir()
    direct = tmp_path / "b" / "direkte.xlsx"  # its own folder: ny writes the staff profile beside it and never overwrites
    assert runner.invoke(app, ["ny", "Fiktiv Kommune", "--years", "2027-2030", "--xlsx", "--out", str(direct)]).exit_code == 0
    assert read_workbook(direct).data == read_workbook(x).data
    res = runner.invoke(app, ["validate", str(x)])
    assert res.exit_code == 1
    assert f"{x}:Sagsstamme!C9: [municipality.caseload.groups.kontanthjaelp_jobparat.helaarspersoner.value] mangler" in res.output
    assert "fiktiv-kommune-personale.yaml:12: [municipality.staff.target_groups.a_dagpenge.aarsvaerk] mangler" in res.output  # the staff profile beside it
    assert f"{x}:Priser!B4: [municipality.prices.wage_dkk_per_aarsvaerk.value] mangler" in res.output
    assert "Traceback" not in res.output


# ------------------------------------------------------------------------ the template


def test_template_matches_the_schema():
    """docs/scenarie-skabelon.xlsx is generated (python -m budgetmodel.cli.konverter_cmd --skabelon);
    it fails here when the schema or `ny`'s template changed without regenerating it."""
    fresh = template_workbook()
    stored = openpyxl.load_workbook(TEMPLATE)
    assert stored.sheetnames == fresh.sheetnames
    for ws in fresh.worksheets:
        want = [[c for c in row] for row in ws.iter_rows(values_only=True)]
        got = [[c for c in row] for row in stored[ws.title].iter_rows(values_only=True)]
        assert got == want, f"arket {ws.title} i {TEMPLATE} er forældet: kør python -m budgetmodel.cli.konverter_cmd --skabelon"


def test_every_schema_field_has_a_sheet_and_reads_back():
    rows = all_fields()
    assert len(rows) > 150
    names = {sh.name for sh in SHEETS}
    for sheet, key, felt, _doc in rows:
        assert sheet in names
        sh = next(s for s in SHEETS if s.name == sheet)
        path = sh.root + ((key,) if key else ()) + tuple(felt.split("."))
        concrete = _concrete(path)
        node_at(concrete)  # raises for a field the reader would refuse
        assert sheet_for(concrete).name == sheet
    listed = {(s, f) for s, _, f, _ in rows}
    assert ("Sagsstamme", "helaarspersoner") in listed
    assert ("Budget", "budgetgaranti.parts.<nøgle>.lines.<nøgle>.by_year.<år>") in listed
    assert ("Initiativer", "offers.<n>.helaarstilbud") in listed


# ------------------------------------------------------------------------ bad and hostile workbooks


def _edit(src: Path, dst: Path, fn) -> Path:
    wb = openpyxl.load_workbook(src)
    fn(wb)
    wb.save(dst)
    return dst


@pytest.fixture()
def good(tmp_path) -> Path:
    x = tmp_path / "good.xlsx"
    _hand_typed(x)
    return x


def _errors(path: Path) -> str:
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    return res.output


def test_wrong_types_name_sheet_and_cell_all_at_once(good, tmp_path):
    def bad(wb):
        wb["Sagsstamme"]["C8"] = "abc"  # helaarspersoner
        wb["Initiativer"]["C6"] = "tre"  # duration_months
        wb["Initiativer"]["C5"] = "1. januar"  # start
        wb["Kommune"]["B5"] = "0,4 pct."  # bloktilskud_share
    out = _errors(_edit(good, tmp_path / "bad.xlsx", bad))
    assert "bad.xlsx:Sagsstamme!C8: [municipality.caseload.groups.aktivitetsparate.helaarspersoner] forventede et tal, fik 'abc'" in out
    assert "bad.xlsx:Initiativer!C6: [initiatives.jobkonsulenter.duration_months] forventede et heltal, fik 'tre'" in out
    assert "bad.xlsx:Initiativer!C5: [initiatives.jobkonsulenter.start] forventede en dato (ÅÅÅÅ-MM-DD), fik '1. januar'" in out
    assert "bad.xlsx:Kommune!B5: [municipality.bloktilskud_share] forventede et tal, fik '0,4 pct.'" in out
    assert out.startswith("4 fejl i input:")


def test_schema_problems_point_at_the_cell(good, tmp_path):
    """The reader's own problems (types, unknown fields) come first, as a YAML file's syntax
    problems do; then the schema's, each at its cell."""
    out = _errors(_edit(good, tmp_path / "bad1.xlsx", lambda wb: wb["Sagsstamme"].cell(7, 2, "alder")))
    assert "bad1.xlsx:Sagsstamme!B7: [municipality.caseload.groups.aktivitetsparate.alder] ukendt felt 'alder'" in out

    def bad(wb):
        wb["Sagsstamme"]["E8"] = "gaet"  # status
        wb["Kommune"]["C5"] = None  # bloktilskud_share without source
    out = _errors(_edit(good, tmp_path / "bad.xlsx", bad))
    assert "bad.xlsx:Sagsstamme!E8: [municipality.caseload.groups.aktivitetsparate.helaarspersoner.status]" in out
    assert "bad.xlsx:Kommune!C5: [municipality.bloktilskud_share.source]" in out


def test_formulas_errors_and_merged_cells_are_refused(good, tmp_path):
    def bad(wb):
        wb["Sagsstamme"]["C8"] = "=100*3"
        wb["Priser"]["B4"] = "#DIV/0!"
        wb["Priser"]["B4"].data_type = "e"
        wb["Antagelser"].merge_cells("C4:C5")
        wb["Kommune"]["B5"] = "='[kommunens_tal.xlsx]Ark1'!B2"  # an external link is a formula: refused, never followed
    out = _errors(_edit(good, tmp_path / "bad.xlsx", bad))
    assert "bad.xlsx:Kommune!B5: cellen indeholder en formel (\"='[kommunens_tal.xlsx]Ark1'!B2\")" in out
    assert "bad.xlsx:Sagsstamme!C8: cellen indeholder en formel ('=100*3'); formler læses ikke" in out
    assert "bad.xlsx:Priser!B4: cellen indeholder Excel-fejlen" in out
    assert "bad.xlsx:Antagelser!C4:C5: flettede celler læses ikke" in out


def test_unknown_sheet_duplicate_rows_and_list_gaps(good, tmp_path):
    def bad(wb):
        wb.create_sheet("Sagstamme")  # a typo of a sheet name
        wb["Scenarie"].append(["years.4", 2031])
        wb["Priser"].append(["wage_dkk_per_aarsvaerk", 1, "x x x", "data"])
        wb["Antagelser"].append(["caseload_growth.value", 0.5])  # the value given twice, once as a sub-field
    out = _errors(_edit(good, tmp_path / "bad.xlsx", bad))
    assert "bad.xlsx:Antagelser!B6: [assumptions.caseload_growth.value] assumptions.caseload_growth.value står to gange: også i" in out
    assert "bad.xlsx:Sagstamme!A1: ukendt ark 'Sagstamme'" in out
    assert "bad.xlsx:Priser!A6: [municipality.prices.wage_dkk_per_aarsvaerk] municipality.prices.wage_dkk_per_aarsvaerk står to gange: også i" in out
    assert "løbenumrene under years skal være 0, 1, 2, … uden huller (fandt 0, 1, 2, 4)" in out


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"kind: scenario\n", "ikke en Excel-arbejdsbog"),
        (b"", "filen er tom"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "gamle Excel-format (.xls)"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path, content, expected):
    p = tmp_path / "x.xlsx"
    p.write_bytes(content)
    assert expected in _errors(p)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_zip_bomb_and_doctype_are_refused_before_parsing(tmp_path, good):
    bomb = _zip(tmp_path / "bomb.xlsx", {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * (30 << 20)})
    assert "pakker sig ud til 31.457.280 byte fra" in _errors(bomb)
    big = _zip(tmp_path / "big.xlsx", {"xl/workbook.xml": b"<workbook/>", "xl/media/tal.txt": "".join(f"{i:09d}\n" for i in range(4_200_000)).encode()})
    assert "arbejdsbogen fylder 42.000.011 byte udpakket; højst 41.943.040 byte læses" in _errors(big)
    raw = zipfile.ZipFile(good)
    members = {i.filename: raw.read(i) for i in raw.infolist()}
    members["xl/workbook.xml"] = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + members["xl/workbook.xml"].split(b"?>", 1)[-1]
    assert "DOCTYPE/ENTITY" in _errors(_zip(tmp_path / "dtd.xlsx", members))
    no_wb = _zip(tmp_path / "nowb.xlsx", {"a.txt": b"hej"})
    assert "ingen xl/workbook.xml" in _errors(no_wb)


def test_huge_sheet_and_empty_workbook(tmp_path, good):
    def huge(wb):
        wb["Lov"]["A1000000"] = "x"  # one cell far down: the streaming reader stops at 20.000 rows
    assert "Lov!A1: arket har mere end 20.000 rækker" in _errors(_edit(good, tmp_path / "huge.xlsx", huge))
    wb = openpyxl.Workbook()
    wb.active.title = "Vejledning"
    wb.save(tmp_path / "empty.xlsx")
    assert "arbejdsbogen har ingen scenarieark" in _errors(tmp_path / "empty.xlsx")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_xlsx_is_refused_without_hanging(tmp_path):
    p = tmp_path / "fifo.xlsx"
    os.mkfifo(p)
    res = runner.invoke(app, ["run", str(p)])
    assert res.exit_code == 1
    assert "FIFO" in res.output


def test_konverter_refuses_what_a_workbook_cannot_hold(tmp_path):
    y = tmp_path / "x.yaml"
    y.write_text(YAML_SOENDERBY.replace("law: {}", "law: {colour: blue}").replace("title: To jobkonsulenter", "title: To jobkonsulenter\n    note: null"), encoding="utf-8")
    res = runner.invoke(app, ["konverter", str(y), str(tmp_path / "x.xlsx")])
    assert res.exit_code == 1
    assert "[law.colour] kan ikke udtrykkes i en arbejdsbog: ukendt felt 'colour' under law" in res.output
    assert "[initiatives.jobkonsulenter.note] kan ikke udtrykkes i en arbejdsbog: null" in res.output
    assert not (tmp_path / "x.xlsx").exists()
    res = runner.invoke(app, ["konverter", str(y), str(tmp_path / "x.csv")])
    assert res.exit_code == 1 and "giv en udfil, der ender på .xlsx" in res.output


def test_relative_paths_resolve_from_the_workbook_folder_and_stay_confined(tmp_path, book):
    """The workbook's extends point at the bundled files from its own folder; a path out of the
    allowed folders is refused at its cell, as for a YAML file."""
    x = tmp_path / "j.xlsx"
    convert(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", x)
    ws = openpyxl.load_workbook(x)["Scenarie"]
    ext = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] and str(r[0]).startswith("extends.")]
    assert ext and all(os.path.normpath(tmp_path / r[1]).startswith(str(SCEN)) for r in ext)

    def out_of_bounds(wb):
        for row in wb["Scenarie"].iter_rows(min_row=4):
            if row[0].value == "extends.0":
                row[1].value = "../../../../../../etc/passwd"
    bad = _edit(x, tmp_path / "bad.xlsx", out_of_bounds)
    env = {k: v for k, v in os.environ.items() if k != "BUDGETMODEL_ALLOW"}
    res = runner.invoke(app, ["validate", str(bad)], env=env)
    assert res.exit_code == 1
    assert "bad.xlsx:Scenarie!B" in res.output and "ligger uden for scenariets mapper" in res.output


def test_forecast_takes_a_workbook_scenario(tmp_path):
    x = tmp_path / "testrup.xlsx"
    convert(SCEN / "testrup-2026-virksomhedskonsulenter.yaml", x)
    panel = str(ROOT / "examples" / "panel-eksempel.csv")
    docs = []
    for scen in (x, SCEN / "testrup-2026-virksomhedskonsulenter.yaml"):
        res = runner.invoke(app, ["forecast", panel, "--years", "2", "--scenario", str(scen), "--json"])
        assert res.exit_code == 0, res.output
        doc = json.loads(res.stdout)
        docs.append(json.dumps({k: v for k, v in doc.items() if k not in ("assumptions", "provenance", "files")}, sort_keys=True))
    assert docs[0] == docs[1]


def test_a_workbook_extends_a_workbook_fragment(tmp_path, book):
    """extends may name a workbook: the jobformidler scenario from workbooks only."""
    base, part, top = tmp_path / "basis.xlsx", tmp_path / "del.xlsx", tmp_path / "top.xlsx"
    convert(SCEN / "lyngby-taarbaek-2014-basis.yaml", base)
    convert(SCEN / "parts" / "personlig-jobformidler.yaml", part)

    def point(wb):
        ws = wb["Scenarie"]
        for row in ws.iter_rows(min_row=4):
            if row[0].value == "extends.0":
                row[1].value = "basis.xlsx"
            elif row[0].value == "extends.1":
                row[1].value = "del.xlsx"
    convert(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", top)
    _edit(top, top, point)
    a = load_scenario(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", book)
    b = load_scenario(top, book)
    assert b.input_hash == a.input_hash
    assert [Path(f).name for f, _ in b.files] == ["basis.xlsx", "del.xlsx", "lyngby_taarbaek.yaml", "top.xlsx"]


HOSTILE_VALUES = [
    "abc", "", " ", -1, 0, 1e300, -1e14, 2**70, 0.5, True, False, dt.datetime(2027, 1, 1), dt.datetime(2027, 1, 1, 12, 30),
    "=1+1", "{}", "[]", "x.y.z", "..", ".", "a" * 5000, "0,5", "null", "53+", "2027-13-01", "#REF!", "kontanthjaelp", "assumption",
]


def test_random_hostile_cells_never_crash(good, tmp_path):
    """Seeded: any value in any read cell gives exit 0 or one located message (exit 1), never an
    internal error."""
    import random

    rng = random.Random(20271)
    src = openpyxl.load_workbook(good)
    targets = [(ws.title, r, c) for ws in src.worksheets if not ws.title.startswith("_") for r in range(4, ws.max_row + 2) for c in range(1, 7)]
    for i in range(24):
        picks = rng.sample(targets, 3)

        def mutate(wb, picks=picks):
            for sheet, r, c in picks:
                wb[sheet].cell(r, c).value = rng.choice(HOSTILE_VALUES)
        path = _edit(good, tmp_path / f"m{i}.xlsx", mutate)
        res = runner.invoke(app, ["validate", str(path)])
        assert res.exit_code in (0, 1), (picks, res.output)
        assert "intern fejl" not in res.output and "Traceback" not in res.output, (picks, res.output)


def test_unitcost_and_optimise_take_a_workbook_scenario(tmp_path):
    x = tmp_path / "j.xlsx"
    y = SCEN / "lyngby-taarbaek-2014-jobformidler.yaml"
    convert(y, x)
    for cmd in (["unitcost"], ["optimise"]):
        a, b = (runner.invoke(app, [*cmd, str(p), "--json"]) for p in (y, x))
        assert a.exit_code == 0 and b.exit_code == 0, b.output
        assert json.loads(a.stdout) == json.loads(b.stdout)


def test_empty_lists_and_mappings_survive_and_an_empty_optional_section_is_named(tmp_path):
    from budgetmodel.sourcefile import load_yaml

    y = tmp_path / "tom.yaml"
    y.write_text(
        "kind: scenario-fragment\nid: tom\nbudget:\n  caseload_groups: []\nmunicipality:\n  caseload:\n    groups:\n      a:\n        activation: {}\n"
        "sensitivity:\n  seed: 1\n  draws: 100\n  tornado: []\n",
        encoding="utf-8",
    )
    x = tmp_path / "tom.xlsx"
    convert(y, x)
    assert read_workbook(x).data == load_yaml(y).data  # [] replaces an inherited list when composed
    y.write_text("kind: scenario-fragment\nid: tom\nmethods: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[methods\] kan ikke udtrykkes i en arbejdsbog: et tomt afsnit"):
        convert(y, tmp_path / "m.xlsx")


def test_a_workbook_saved_again_by_libreoffice_is_the_same_scenario(tmp_path, book):
    """An economist edits the workbook in a spreadsheet and saves it: LibreOffice rewrites every
    part (and stores sand/falsk as =TRUE()/=FALSE()); the scenario is unchanged."""
    import shutil
    import subprocess

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is required (scripts/install.sh --test installs libreoffice-calc-nogui)"
    names = ["lyngby-taarbaek-2014-basis", "testrup-2026-virksomhedskonsulenter"]
    files = []
    (tmp_path / "src").mkdir()
    for n in names:
        files.append(tmp_path / "src" / f"{n}.xlsx")
        convert(SCEN / f"{n}.yaml", files[-1])
    out = tmp_path / "lo"  # the same depth as src/: the workbooks' relative paths still hold
    cmd = [exe, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--convert-to", "xlsx", "--outdir", str(out), *map(str, files)]
    subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
    for n in names:
        assert load_scenario(out / f"{n}.xlsx", book).input_hash == load_scenario(SCEN / f"{n}.yaml", book).input_hash


def test_a_check_in_compile_names_the_value_cell(good, tmp_path):
    """validate = compile: an initiative buying fewer offers than the group buys is refused at the
    initiative's value cell, as run would refuse it."""
    def fewer(wb):
        for row in wb["Sagsstamme"].iter_rows(min_row=4):
            if row[1].value == "purchases.vejledning_opkvalificering":
                row[2].value = 2
    out = _errors(_edit(good, tmp_path / "bad.xlsx", fewer))
    assert "bad.xlsx:Initiativer!C14: [initiatives.jobkonsulenter.offer_reductions.over_30.helaarstilbud] 8 færre helårstilbud" in out
    assert "køber kun 2" in out


def test_a_list_of_numbers_may_stand_in_one_cell(good, tmp_path, book):
    """years as '2027; 2028; 2029' in one cell reads as the rows years.0 … years.2 do; a text list
    (memo paragraphs) is never split at its commas."""
    def one_cell(wb):
        ws = wb["Scenarie"]
        for row in list(ws.iter_rows(min_row=4)):
            if str(row[0].value).startswith("years."):
                row[0].value, row[1].value = None, None
        ws.append(["years", "2027; 2028; 2029"])
    x = _edit(good, tmp_path / "years.xlsx", one_cell)
    assert load_scenario(x, book).input_hash == load_scenario(good, book).input_hash
    bad = _edit(good, tmp_path / "bad.xlsx", lambda wb: wb["Scenarie"].append(["years", "2027;;2028"]))
    assert "en tom værdi i listen" in _errors(bad)
    bad = _edit(good, tmp_path / "bad2.xlsx", lambda wb: wb["Initiativer"].append(["jobkonsulenter", "offers", "x"]))
    assert "initiatives.jobkonsulenter.offers er en liste af grupper af felter; skriv hvert felt på sin egen række (offers.0.FELT" in _errors(bad)


def test_a_forecast_panel_is_read_from_the_workbook_folder(tmp_path, book):
    """A scenario whose caseload is forecast from a panel beside it: the workbook beside the same
    files gives the same scenario (the input hash covers the panel's bytes) and the same run."""
    import shutil

    from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, week_number
    from budgetmodel.forecast import synthetic as sy

    specs = {"kontanthjaelp": sy.BenefitSpec(inflow_per_week=6.0, hazard=(0.03,), amount_dkk_per_week=2400.0, activation_probs={"none": 0.7, "virksomhedspraktik": 0.3})}
    panel = sy.simulate(specs, week_number(dt.date(2017, 1, 2)), 130, benefits=BENEFITS, activations=ACTIVATIONS, seed=7, burn_in_weeks=150)
    sy.to_frame(panel).to_csv(tmp_path / "panel.csv", index=False)
    shutil.copy(ROOT / "tests" / "fixtures" / "scenarios" / "staircase-toy.yaml", tmp_path / "toy.yaml")
    y = tmp_path / "toy-forecast.yaml"
    y.write_text(
        "kind: scenario\nid: toy-forecast\ntitle: Testkommune med fremskrivning\nextends: [toy.yaml]\nyears: [2020, 2021]\n"
        "municipality:\n  caseload:\n    forecast: {panel: panel.csv, years: 3, note: Syntetisk panel}\n",
        encoding="utf-8",
    )
    x = tmp_path / "toy-forecast.xlsx"
    convert(y, x)
    a, b = load_scenario(y, book), load_scenario(x, book)
    assert b.input_hash == a.input_hash
    assert b.aux == a.aux
    assert _comparable(run_scenario(a, book)) == _comparable(run_scenario(b, book))


def test_konverter_warns_when_a_named_file_falls_outside_the_new_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "top.yaml").write_text("kind: scenario\nid: x\ntitle: x\nextends: [base.yaml]\n", encoding="utf-8")
    (tmp_path / "a" / "base.yaml").write_text(YAML_SOENDERBY, encoding="utf-8")
    msg = convert(tmp_path / "a" / "top.yaml", tmp_path / "b" / "top.xlsx")
    assert "Bemærk, når top.xlsx køres: ../a/base.yaml ligger uden for scenariets mapper" in msg
    assert "Bemærk" not in convert(tmp_path / "a" / "top.yaml", tmp_path / "a" / "top.xlsx")
