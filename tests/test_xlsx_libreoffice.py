"""The workbooks opened and recalculated by LibreOffice (headless, from the OS packages; CI installs
it: scripts/install.sh --test): the totals and differences are formulas over the lines, and the
recalculated figures equal the model's. A changed line recomputes its total."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.rates import load_rates
from budgetmodel.reports.compare import net_total
from budgetmodel.reports.memo import build_memo
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import run_scenario
from budgetmodel.scenario.sensitivity import measure_by_year

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
JOB = SCEN / "lyngby-taarbaek-2014-jobformidler.yaml"
REFORM = SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"
BASIS = SCEN / "lyngby-taarbaek-2014-basis.yaml"
FIX = ROOT / "tests" / "fixtures" / "memo"
CASES = {"job": JOB, "reform": REFORM, "costs_more": FIX / "costs-more.yaml", "break_even": FIX / "break-even-year-3.yaml"}


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is required (scripts/install.sh --test installs libreoffice-calc-nogui)"
    return exe


def recalculate(files: list[Path], tmp: Path) -> dict[str, object]:
    """Open each workbook in LibreOffice, recalculate, save it again; the values as LibreOffice computed them."""
    out = tmp / "lo"
    cmd = [soffice(), "--headless", "--norestore", f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}", "--convert-to", "xlsx", "--outdir", str(out), *map(str, files)]
    subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
    return {f.stem: load_workbook(out / f.name, data_only=True) for f in files}


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.fixture(scope="module")
def recalculated(book, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xlsx")
    files = []
    for name, path in CASES.items():
        f = tmp / f"{name}.xlsx"
        f.write_bytes(build_memo(path, "xlsx", book))
        files.append(f)
    # the changed-cell check: Tabel 1 of the job memo with 20 instead of 16 fewer helårstilbud over 30
    changed = tmp / "job_changed.xlsx"
    wb = load_workbook(tmp / "job.xlsx")
    ws = wb["Tabel 1 Businesscase"]
    row = next(r for r in ws.iter_rows(min_row=5) if r[0].value == "Reduktion i antal helårstilbud - over 30 år")
    assert row[1].value == 16
    row[1].value = 20
    wb.save(changed)
    files.append(changed)
    cmp = tmp / "compare.xlsx"
    res = CliRunner().invoke(app, ["compare", str(BASIS), str(JOB), str(REFORM), "--format", "xlsx", "--out", str(cmp)])
    assert res.exit_code == 0, res.output
    files.append(cmp)
    return recalculate(files, tmp)


def rows(ws) -> dict[str, list]:
    return {r[0].value: [c.value for c in r[1:]] for r in ws.iter_rows() if r[0].value is not None}


def close(a: list, b: list) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 1e-6 for x, y in zip(a, b))


def test_memo_totals_recompute_to_the_models(recalculated, book):
    job = run_scenario(load_scenario(JOB, book), book)
    years = job.scenario.years
    t2 = rows(recalculated["job"]["Tabel 2"])
    phased = job.initiatives[0].phased.line("total").dkk
    assert close(t2["Nettovirkning i alt (− = besparelse)"][:4], [phased[y] / 1000 for y in years])
    assert abs(t2["Nettovirkning i alt (− = besparelse)"][4] - sum(phased.values()) / 1000) < 1e-6  # the 'I alt' column
    t1 = rows(recalculated["job"]["Tabel 1 Businesscase"])
    assert t1["Samlet årlig besparelse kr."][0] == 1302483
    assert t1["Øget statsrefusion fradraget udgiften til løn kr."][0] == 33200
    reform = run_scenario(load_scenario(REFORM, book), book)
    t = rows(recalculated["reform"]["Tabel 2"])
    for key, label in (("total", "Samlet budgetudfordring"), ("netto", "Samlet budgetudfordring, netto")):
        assert close(t[label][:4], [reform.budget.line(key).dkk[y] / 1000 for y in years]), label
    assert [round(v) for v in t["Samlet budgetudfordring, netto"][:4]] == [4637, 5045, 4808, 5175]


@pytest.mark.parametrize("name", ["costs_more", "break_even"])
def test_the_answer_sheet_recomputes_to_the_models_net_effect(recalculated, book, name):
    r = run_scenario(load_scenario(CASES[name], book), book)
    by_year = measure_by_year(r, "initiatives")
    res = rows(recalculated[name]["Resultat"])
    label = "Nettovirkning mod samme scenarie uden initiativ" + ("erne" if len(r.scenario.initiatives) > 1 else "et")
    assert close(res[label], [*(by_year[y] / 1000 for y in r.scenario.years), sum(by_year.values()) / 1000])


def test_a_changed_line_recomputes_its_total(recalculated):
    t1 = rows(recalculated["job_changed"]["Tabel 1 Businesscase"])
    assert t1["Samlet årlig besparelse kr."][0] == 1302483 + 4 * 68791  # 4 more helårstilbud at 68.791 kr.


def test_the_comparison_recomputes_to_the_models_differences(recalculated, book):
    a, b, c = (run_scenario(load_scenario(p, book), book) for p in (BASIS, JOB, REFORM))
    years = a.scenario.years
    ws = recalculated["compare"]["Sammenligning"]
    got = [[v for v in r[3:7]] for r in ws.iter_rows(values_only=True) if r[0] == "Samlet nettovirkning"]
    want = [[net_total(x)[y] / 1000 for y in years] for x in (a, b, c)]
    want += [[net_total(x)[y] / 1000 - net_total(a)[y] / 1000 for y in years] for x in (b, c)]
    assert len(got) == 5 and all(close(g, w) for g, w in zip(got, want))
    netto = [[v for v in r[3:7]] for r in ws.iter_rows(values_only=True) if r[0] == "Samlet budgetudfordring, netto"]
    # A and B have no such line: 0, so the difference C − A is the reform's netto itself
    assert netto[0] == [0, 0, 0, 0] and [round(v) for v in netto[-1]] == [4637, 5045, 4808, 5175]
