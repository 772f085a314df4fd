"""The committee page opened in a real browser (headless Chromium from the OS packages): the
rendered DOM and the printed page carry the right figures. Nothing here is skipped: CI installs
chromium (scripts/install.sh --test)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from budgetmodel import fmt
from budgetmodel.cli import app
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import run_scenario

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
A = SCEN / "lyngby-taarbaek-2014-basis.yaml"
B = SCEN / "lyngby-taarbaek-2016-refusionstrappe.yaml"


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    assert Path(exe).exists(), "chromium is required (scripts/install.sh --test installs it)"
    return exe


def browse(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *extra,
        page.resolve().as_uri(),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compare") / "sammenligning.html"
    res = CliRunner().invoke(app, ["compare", str(A), str(B), "--format", "html", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def expected():
    book = load_rates()
    a, b = (run_scenario(load_scenario(p, book), book) for p in (A, B))
    return {
        "A": {y: int(fmt.round_half_up(a.caseload.line("netto").dkk[y] / 1000)) for y in a.scenario.years},
        "B": {y: int(fmt.round_half_up(b.caseload.line("netto").dkk[y] / 1000)) for y in b.scenario.years},
    }


def test_rendered_dom_has_the_figures_and_the_chart(page, expected, tmp_path):
    dom = browse(page, tmp_path / "profile", "--dump-dom").stdout
    assert "<svg" in dom and "Sammenligning af scenarier" in dom
    bars = re.findall(r'<rect class="bar" data-scenario="([AB])" data-year="(\d{4})" data-value="(-?\d+)"', dom)
    got = {(s, int(y)): int(v) for s, y, v in bars}
    for s in ("A", "B"):
        for y, v in expected[s].items():
            assert got[(s, y)] == v
    cells = re.findall(r'<tr class="diff" data-line="netto" data-scenario="B-A">(.*?)</tr>', dom, flags=re.S)
    assert cells, "difference row for the municipality's net cost"
    diffs = re.findall(r'data-value="(-?\d+)">([^<]+)<', cells[0])
    for (y, a_v), (value, text) in zip(sorted(expected["A"].items()), diffs):
        b_v = expected["B"][y]
        assert abs(int(value) - (b_v - a_v)) <= 1  # difference of unrounded kroner, then rounded
        assert text == fmt.number(int(value))


def test_printed_page_shows_the_figures(page, expected, tmp_path):
    pdf = tmp_path / "page.pdf"
    browse(page, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    text = re.sub(r"\s+", " ", text)
    for s in ("A", "B"):
        for v in expected[s].values():
            assert fmt.number(v) in text
    assert "Forskel B − A" in text or "Forskel B - A" in text
