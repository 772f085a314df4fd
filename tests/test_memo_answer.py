"""Every memo opens with the answer: the net effect against the baseline by year and in total (in
1.000 kr. and in words), the break-even year, and the assumptions that move it most; the
sensitivity measures what the scenario chooses, reports inputs that do not move it, and points
out a base case outside its own P10-P90. Bundled memos and business cases of our own (one that
costs more than it saves, one that breaks even in year 3)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from budgetmodel.errors import InputError
from budgetmodel.rates import load_rates
from budgetmodel.reports.context import memo_context
from budgetmodel.reports.memo import build_memo, memo_run
from budgetmodel.reports.render import render
from budgetmodel.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
FIX = ROOT / "tests" / "fixtures" / "memo"


@pytest.fixture(scope="module")
def book():
    return load_rates()


def ctx_of(path: Path, book):
    return memo_context(*memo_run(load_scenario(path, book), book))


def md_of(path: Path, book) -> str:
    return build_memo(path, "md", book).decode("utf-8")


def first_section(md: str) -> str:
    return md.split("\n## ")[1].split("\n## ")[0]


def test_the_published_case_opens_with_its_net_effect_in_words(book):
    md = md_of(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", book)
    answer = first_section(md)
    assert answer.startswith("Resultat\n")
    assert "en besparelse på 1,3 mio. kr. om året fra 2015" in answer
    assert "i alt 3,9 mio. kr. i 2014-2017" in answer
    assert "| **Nettovirkning mod samme scenarie uden initiativet** | **-651** | **-1.302** | **-1.302** | **-651** | **-3.907** |" in answer
    assert "Initiativet giver en besparelse fra første år (2014)" in answer
    drivers = re.findall(r"^\d\. (.+?):", answer, flags=re.M)
    assert drivers == ["Færre helårstilbud over 30 år", "Personer i virksomhedsrettet tilbud pr. jobformidler", "Kortere tid på ydelse for deltagerne (andel)"]


def test_a_case_that_costs_more_than_it_saves(book):
    ctx = ctx_of(FIX / "costs-more.yaml", book)
    a = ctx["answer"]
    # 3 × 500.000 kr. in wages against 15 participants × 103.320 kr. × (50 − 30) pct. more refund = 309.960 kr.
    assert [c["value"] for c in a["rows"][-1]["cells"]] == [0, 1190, 1190, 0] and a["rows"][-1]["total"]["value"] == 2380
    assert "en merudgift på 1,2 mio. kr. om året fra 2015" in a["lead"]
    assert a["break_even"]["year"] is None
    assert a["break_even"]["text"] == "Initiativet tjener sig ikke hjem i 2014-2017: den akkumulerede nettovirkning er en merudgift på 2,4 mio. kr."
    assert [d["label"] for d in a["drivers"]] == ["Lønudgift (kr. om året)", "Deltagere pr. konsulent"]
    # the offer price moves nothing here (no offers are bought less): reported, not drawn
    assert [u["label"] for u in ctx["sensitivity"]["unmoved"]] == ["Pris pr. helårstilbud over 30 år (kr.)"]
    assert all(b["label"] != "Pris pr. helårstilbud over 30 år (kr.)" for b in ctx["sensitivity"]["tornado"])


def test_a_case_that_breaks_even_in_year_3(book):
    ctx = ctx_of(FIX / "break-even-year-3.yaml", book)
    a = ctx["answer"]
    net = [c["value"] for c in a["rows"][-1]["cells"]]
    assert net[0] > 0 and net[0] + net[1] > 0 and net[0] + net[1] + net[2] <= 0
    assert (a["break_even"]["year"], a["break_even"]["year_number"]) == (2016, 3)
    assert a["break_even"]["text"].startswith("Initiativerne tjener sig hjem i 2016 (år 3)")
    assert [r["label"] for r in a["rows"]] == ["Opstartsår med to jobformidlere", "Færre tilkøb af vejledning og opkvalificering", "Nettovirkning mod samme scenarie uden initiativerne"]
    # no sensitivity section: every numeric assumption ±20 pct., labelled with its initiative
    assert ctx["sensitivity"]["automatic"] and "±20 pct." in a["rests_on"]
    assert a["drivers"][0]["label"].startswith("Færre tilkøb af vejledning og opkvalificering: ")
    html = render(ctx, "html").decode("utf-8")
    assert 'data-break-even="2016"' in html


def test_every_bundled_memo_opens_with_the_answer(book):
    reform = md_of(SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml", book)
    assert first_section(reform).startswith("Resultat\n")
    assert "| **Samlet budgetudfordring, netto** | **4.637** | **5.045** | **4.808** | **5.175** | **19.664** |" in first_section(reform)
    for name in ("lyngby-taarbaek-2014-basis", "lyngby-taarbaek-2016-refusionstrappe"):
        md = md_of(SCEN / f"{name}.yaml", book)
        assert first_section(md).startswith("Resultat\n\nKommunens nettoudgift til forsørgelse efter refusion er "), name


def test_the_sensitivity_measure_is_the_scenarios_choice(book):
    reform = ctx_of(SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml", book)["sensitivity"]
    assert reform["measure"] == "budget" and reform["metric_label"] == "Samlet budgetudfordring, netto, 2014-2017 i alt"
    assert reform["base_value"] == 19664
    job = ctx_of(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", book)["sensitivity"]
    assert job["measure"] == "initiatives" and job["base_value"] == -3907
    basis = ctx_of(SCEN / "lyngby-taarbaek-2014-basis.yaml", book)["sensitivity"]
    assert basis["measure"] == "caseload" and basis["automatic"]


def test_relative_ranges_and_one_number_format(book):
    ctx = ctx_of(SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", book)
    bars = {b["label"]: b for b in ctx["sensitivity"]["tornado"]}
    wage = bars["Lønudgift for 2 jobformidlere (kr. om året)"]  # relative_pct: 10 of 1.000.000 kr.
    assert (wage["low_number"], wage["high_number"]) == pytest.approx((900_000, 1_100_000))
    assert (wage["metric_low_value"], wage["metric_high_value"]) == (-4207, -3607)
    share = bars["Kortere tid på ydelse for deltagerne (andel)"]
    assert (share["low"], share["high"]) == ("0 pct.", "10 pct.")  # 0,1 reads as in Forudsætninger
    assert next(a for a in ctx["assumptions"] if a["path"] == "assumptions.duration_effect")["value"] == "0 pct."


def test_a_base_at_the_edge_of_its_range_is_pointed_out(book):
    ctx = ctx_of(FIX / "base-at-edge.yaml", book)
    mc = ctx["sensitivity"]["mc"]
    assert mc["base_outside"] and mc["p90_value"] < ctx["sensitivity"]["base_value"]
    assert any("ligger over P90 i sin egen Monte Carlo-fordeling" in n for n in mc["notes"])
    assert any("Grundværdien ligger i kanten af intervallet for: Deltagere pr. konsulent" in n for n in mc["notes"])
    html = render(ctx, "html").decode("utf-8")
    assert '<line class="base"' in html and "Grundberegning 2.380" in html  # the base drawn on the distribution
    # the bundled memos' ranges lie around their base values
    for name in ("lyngby-taarbaek-2014-jobformidler", "lyngby-taarbaek-2014-kontanthjaelpsreform"):
        mc = ctx_of(SCEN / f"{name}.yaml", book)["sensitivity"]["mc"]
        assert not mc["base_outside"] and not mc["notes"], name


def test_a_flat_distribution_is_explained(book):
    mc = ctx_of(FIX / "flat.yaml", book)["sensitivity"]["mc"]
    assert mc["flat"] and mc["p10"] == mc["p50"] == mc["p90"] == "2.380"
    assert "P10, P50 og P90 er ens: de usikre forudsætninger flytter ikke resultatmålet." in mc["notes"]


def test_bad_sensitivity_input_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (FIX / "costs-more.yaml").read_text(encoding="utf-8").replace("../../../scenarios/", str(SCEN) + "/")
    text = text.replace("      relative_pct: 20\n    - parameter: initiatives.virksomhedskonsulenter.wage", "      relative_pct: 20\n      low: 3\n      high: 6\n    - parameter: initiatives.virksomhedskonsulenter.wage", 1)
    text = text.replace("  draws: 200\n", "  draws: 200\n  measure: saldo\n")
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(bad, load_rates())
    msgs = [(p.line, p.field, p.message) for p in exc.value.problems]
    assert any(f == "sensitivity.tornado.0" and "giv enten low/high eller relative_pct" in m for _, f, m in msgs), msgs
    assert any(f == "sensitivity.measure" and "initiatives" in m for _, f, m in msgs), msgs
    assert all(line for line, _, _ in msgs)


def _pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("path", [SCEN / "lyngby-taarbaek-2014-jobformidler.yaml", SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml", FIX / "break-even-year-3.yaml"])
def test_the_pdf_prints_well(book, path):
    ctx = ctx_of(path, book)
    pages = _pages(render(ctx, "pdf"))
    n = len(pages)
    headings = {"Resultat", "Forudsætninger", "Lovgrundlag", "Følsomhed", "Kilder", *(s["title"] for s in ctx["sections"] if s["title"])}
    for i, text in enumerate(pages, 1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        assert lines[-1] == f"Side {i} af {n}"  # page numbers
        body = [ln for ln in lines[:-1]]
        assert body, f"page {i} holds only the footer"
        assert not body[-1].startswith("budgetmodel ") or len(body) > 3, f"page {i} holds only the memo's footer"
        assert body[-1] not in headings, f"page {i} ends with the heading {body[-1]!r}"
    if n > 3:
        assert "Indhold" in pages[0] and re.search(r"Kilder\s*\.+\s*\d+", pages[0])  # a table of contents with page numbers
