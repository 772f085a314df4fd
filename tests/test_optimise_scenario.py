"""The bundled Lyngby-Taarbæk scenarios through the optimiser, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from budgetmodel import fmt
from budgetmodel.cli import app
from budgetmodel.optimise.adapter import from_scenario
from budgetmodel.optimise.run import optimise
from budgetmodel.paths import scenarios_dir
from budgetmodel.rates import load_rates

from optimise_cases import make, period

JOBFORMIDLER = scenarios_dir() / "lyngby-taarbaek-2014-jobformidler.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.fixture(scope="module")
def report(book):
    return optimise(from_scenario(JOBFORMIDLER, book))


def test_jobformidler_fixed_case_is_the_published_1302483(report):
    """Seed 004 bilag 4 Tabel 1: the scenario's own initiative valued by the model."""
    assert report.status == "optimal"
    assert fmt.round_half_up(report.fixed_case_saving_dkk_per_year) == 1_302_483
    # and its parts, in the full year 2015
    init = report.initiative.costs.set_index("period").loc["2015"]
    today = report.today.costs.set_index("period").loc["2015"]
    assert init["wages"] - today["wages"] == pytest.approx(1_000_000, abs=1e-3)
    assert init["benefit_refund"] - today["benefit_refund"] == pytest.approx(1_033_200, abs=1e-3)
    assert today["purchases"] - init["purchases"] == pytest.approx(1_269_283, abs=1e-3)


def test_fixed_case_equals_the_runs_valuation(book):
    """The same initiative valued by run (the caseload with minus without it) and by the
    optimiser's fixed case, both from the compile step: every part and the total agree."""
    from budgetmodel.scenario.load import load_scenario
    from budgetmodel.scenario.run import run_scenario

    run = run_scenario(load_scenario(JOBFORMIDLER, book), book)
    (v,) = run.valuations
    y = v.years[2015]
    r = optimise(from_scenario(JOBFORMIDLER, book))
    assert r.fixed_case_saving_dkk_per_year == pytest.approx(-v.net_dkk_per_year, abs=1e-3)
    init = r.initiative.costs.set_index("period").loc["2015"]
    today = r.today.costs.set_index("period").loc["2015"]
    assert init["wages"] - today["wages"] == pytest.approx(y.wages_dkk, abs=1e-3)
    assert init["benefit_refund"] - today["benefit_refund"] == pytest.approx(y.move_refund_dkk, abs=1e-3)
    assert today["purchases"] - init["purchases"] == pytest.approx(-y.offers_gross_dkk, abs=1e-3)


def test_free_optimum_is_at_least_as_good_and_explained(report):
    assert report.net_saving_dkk_per_year >= report.fixed_case_saving_dkk_per_year
    texts = list(report.shadow_prices()["text"])
    # the broker's net value per årsværk as in Tabel 1: 25 × 20 pct × 103.320 − 500.000 = 16.600
    assert ("Ét årsværk mere til virksomhedsindsats for jobparate kontanthjælpsmodtagere over 30 år er værd 16.600 kr. om året "
            "(25 personer mere i virksomhedsrettede tilbud à 664 kr.)") in " ".join(texts)
    assert any(t.startswith("Hver lovpligtig samtale med") for t in texts)
    assert len(report.binding()) > 0
    assert report.changes()


def test_horizon_follows_the_initiative(report):
    """Start medio 2014, 36 months: ½, 1, 1, ½ (sagsfremstillingen, seed 004 l. 192-199)."""
    assert [(p.id, p.weight) for p in report.input.periods] == [("2014", 0.5), ("2015", 1.0), ("2016", 1.0), ("2017", 0.5)]


def test_2016_staircase_the_initiative_only_saves_the_purchases(tmp_path, book):
    """Under the staircase the refund follows the duration, not the offer: the brokers move no refund,
    so the initiative is worth 1.269.283 − 1.000.000 = 269.283 kr. a year (effect 0)."""
    f = tmp_path / "trappe.yaml"
    f.write_text(yaml.safe_dump({
        "kind": "scenario", "id": "trappe-jobformidler", "title": "Jobformidlere under refusionstrappen",
        "extends": [str(JOBFORMIDLER)], "law": {"as_if": dt.date(2016, 1, 4)},
    }, allow_unicode=True), encoding="utf-8")
    r = optimise(from_scenario(f, book))
    assert "4. januar 2016" in r.input.regime
    assert fmt.round_half_up(r.fixed_case_saving_dkk_per_year) == 269_283
    assert r.net_saving_dkk_per_year >= r.fixed_case_saving_dkk_per_year


def test_cli_json(tmp_path):
    lp = tmp_path / "model.lp"
    res = runner.invoke(app, ["optimise", str(JOBFORMIDLER), "--json", "--save-lp", str(lp)])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["status"] == "optimal"
    assert d["fixed_case_saving_dkk_per_year"] == 1302483
    assert d["net_saving_dkk_per_year"] >= 1302483
    assert {"allocation", "shadow_prices", "binding", "changes", "sources", "notes", "termination"} <= set(d)
    assert all(v == "optimal" for v in d["termination"].values())
    assert d["shadow_prices"] and all(isinstance(s["value_dkk_per_year"], int) for s in d["shadow_prices"])
    text = lp.read_text()
    assert text.split("\n")[2].startswith("min") and "c_u_budget(_2015_)_:" in text


def test_cli_json_is_byte_identical_across_runs():
    a = runner.invoke(app, ["optimise", str(JOBFORMIDLER), "--json"]).stdout
    b = runner.invoke(app, ["optimise", str(JOBFORMIDLER), "--json"]).stdout
    assert a == b


def test_cli_text():
    res = runner.invoke(app, ["optimise", str(JOBFORMIDLER)])
    assert res.exit_code == 0, res.output
    assert "Scenariets initiativ (fastlagt fordeling): besparelse 1.302.483 kr. om året" in res.stdout
    assert "Skyggepriser" in res.stdout and "Kilder" in res.stdout


def _write_input(tmp_path: Path, inp) -> Path:
    f = tmp_path / "input.yaml"
    f.write_text(yaml.safe_dump(inp.model_dump(mode="json"), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f


def test_cli_infeasible_names_the_conflict(tmp_path):
    """A budget below what the legal minimum of conversations costs: today's allocation is still
    valued (the budget binds the choice, not the facts), and the free model names the conflict:
    the budget against the legal minimum conversations and the hours they take."""
    inp = make([period(budget_dkk=300_000.0)])
    f = _write_input(tmp_path, inp)
    res = runner.invoke(app, ["optimise", str(f), "--json"])
    assert res.exit_code == 1
    d = json.loads(res.stdout)
    assert d["status"] == "infeasible"
    assert d["infeasible_allocation"] == "optimum"
    assert {c["family"] for c in d["conflicting_constraints"]} == {"budget", "legal_minimum_conversations", "conversation_hours"}
    assert d["relaxation"] and d["relaxation"][0]["unit"] in ("kr.", "årsværk", "samtaler")
    res = runner.invoke(app, ["optimise", str(f)])
    assert res.exit_code == 1
    assert (
        "Der findes ingen fordeling, der overholder alle begrænsninger. Disse kan ikke holde samtidig: "
        "budget til løn og køb, lovpligtige samtaler (samtalekadence), timer pr. samtale og pr. årsværk." in res.output
    )


def test_cli_bad_input_file(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("municipality: X\nregime: r\nperiods: []\nsources: {}\n", encoding="utf-8")
    res = runner.invoke(app, ["optimise", str(f)])
    assert res.exit_code == 1
    assert "bad.yaml" in res.output and "periods" in res.output


def test_cli_whole_posts():
    res = runner.invoke(app, ["optimise", str(JOBFORMIDLER), "--json", "--whole-posts"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["status"] == "optimal" and d["fixed_case_saving_dkk_per_year"] == 1302483
    posts = [a["optimum"] for a in d["allocation"] if a["kind"].startswith("posts_")]
    assert posts and all(float(p).is_integer() for p in posts)
    # whole posts can only cost more than fractional årsværk
    free = json.loads(runner.invoke(app, ["optimise", str(JOBFORMIDLER), "--json"]).stdout)
    assert d["net_saving_dkk_per_year"] <= free["net_saving_dkk_per_year"]


def test_profile_conversations_and_driftsloft_pool(tmp_path, book):
    """With the profile's conversations (data/profiles/lyngby_taarbaek.yaml: match 1 1.385, match 2-3
    2.519 a year) and the pool's operating expenses (an illustrative 15 mio. kr., above the loft
    11.835 × 940,2 = 11.127.267 kr.), the pool enters the model under the driftsloft, the young
    aktivitetsparate (2.519 × 131 / 524,86 ≈ 629 conversations < 6 × 131 = 786) are lifted to the
    legal minimum, and the initiative is still worth 1.302.483 kr. (its offers carry no refund)."""
    f = tmp_path / "med-samtaler.yaml"
    f.write_text(yaml.safe_dump({
        "kind": "scenario", "id": "jobformidler-med-samtaler", "title": "Jobformidlere, profil med samtaler",
        "extends": [str(JOBFORMIDLER)],
        "municipality": {
            "staff": {"target_groups": {"kontanthjaelp_match1": {"samtaler": 1385.0}, "kontanthjaelp_match23": {"samtaler": 2519.0}}},
            "driftsloft_pool": {"operating_expenses_dkk": {"value": 15_000_000, "status": "assumption", "source": "test: over loftet (seed 004, bilag 4)"}},
        },
    }, allow_unicode=True), encoding="utf-8")
    inp = from_scenario(f, book)
    per = inp.period("2015")
    assert len(per.driftsloft) == 1
    pool = per.driftsloft[0]
    assert pool.loft_dkk_per_helaarsperson == 11_835 and pool.refund_share == 0.5
    assert pool.other_expenses_dkk == pytest.approx(15_000_000 - 63 * 68_791 - 21 * 56_209)
    assert any("løftes til lovens minimum" in n and "Aktivitetsparate uddannelseshjælpsmodtagere" in n for n in inp.notes)
    jp = per.group("kontanthjaelp_jobparat_over30")
    assert jp.current_conversation_aarsvaerk == pytest.approx(1385 * 186 / (186 + 80) * 1.6 / 1428)
    r = optimise(inp)
    assert fmt.round_half_up(r.fixed_case_saving_dkk_per_year) == 1_302_483
    today = r.today.costs.set_index("period").loc["2015"]
    assert today["operating_refund"] == pytest.approx(0.5 * 11_835 * 940.2, abs=1e-3)  # above the loft today
    assert r.net_saving_dkk_per_year >= r.fixed_case_saving_dkk_per_year
