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
    bars = re.findall(r'<rect class="bar" data-line="samlet.total" data-scenario="([AB])" data-year="(\d{4})" data-value="(-?\d+)"', dom)
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


JOB = SCEN / "lyngby-taarbaek-2014-jobformidler.yaml"
REFORM = SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compare3") / "tre.html"
    res = CliRunner().invoke(app, ["compare", str(A), str(JOB), str(REFORM), "--format", "html", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_the_reader_picks_a_line_and_the_chart_follows(three, tmp_path):
    """In the browser the script shows the line named in the address (#linje=TABLE.LINE) and hides the others."""
    url = three.resolve().as_uri() + "#linje=forsoergelse.refusion"
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
           f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url]
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
    groups = re.findall(r'<g class="chart"([^>]*)>', dom)
    visible = [re.search(r'data-line="([^"]+)"', attrs).group(1) for attrs in groups if "hidden" not in attrs]
    assert len(groups) > 10
    assert visible == ["forsoergelse.refusion"], groups[:5]
    assert re.search(r'<h2 id="chart-title">Forsørgelsesudgifter efter refusion: Statsrefusion pr. år', dom)


def test_screenshot_shows_every_scenarios_net_effect_with_its_name(three, tmp_path):
    from PIL import Image

    shot = tmp_path / "tre.png"
    browse(three, tmp_path / "profile", "--window-size=1100,1500", "--hide-scrollbars", f"--screenshot={shot}")
    img = Image.open(shot).convert("RGB")
    colours = {px for _, px in img.getcolors(maxcolors=1 << 20)}
    for hex_ in ("#2f6b9a", "#e0a458", "#5b9a5b"):  # the three scenarios' bars are drawn
        assert tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5)) in colours, hex_
    dom = browse(three, tmp_path / "profile2", "--dump-dom").stdout
    total = re.search(r'<g class="chart" data-line="samlet.total"(.*?)</g>\s*(?=<g class="chart"|</svg>)', dom, flags=re.S).group(1)
    for letter, title in (("A", "Lyngby-Taarbæk Kommune 2014-2017, budgetgrundlag"), ("B", "Personlige jobformidlere"), ("C", "Økonomiske konsekvenser af kontanthjælpsreformen")):
        assert re.search(rf'<text[^>]*>{letter}: {title}', total), letter  # the legend names every scenario
        assert len(re.findall(rf'<rect class="bar" data-line="samlet.total" data-scenario="{letter}"', total)) == 4
    assert ">Budgetår</text>" in total and ">1.000 kr.</text>" in total  # labelled axes
