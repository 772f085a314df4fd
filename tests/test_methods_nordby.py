"""A municipality outside every published set (Nordby Kommune, built from its own figures) through
each method, from the CLI and from a scenario's `methods:` section with the Danish memo section;
the figures checked by hand against the methods as the seeds state them."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.paths import data_dir, scenarios_dir

FIX = Path(__file__).parent / "fixtures" / "methods"


def _run(*args):
    r = CliRunner().invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r


def _weeks(first: dt.date, n: int) -> list[str]:
    return [f"{(first + dt.timedelta(weeks=i)).isocalendar()[0]}-W{(first + dt.timedelta(weeks=i)).isocalendar()[1]:02d}" for i in range(n)]


def _panel(path: Path) -> Path:
    """Six persons, reference week 2026-W27 (the panel's last). By hand: dagpenge 2 long-term
    (ids 1, 2), 1 passive (id 1: 60 weeks, no offer); id 3 is 51 weeks (not long-term). Sygedagpenge
    1 long-term (id 4), passive (its offer 53 weeks back lies outside the year). Udsatte (kontanthjælp,
    ressourceforløb): ids 5 and 6 long-term, id 6 in mentor 10 weeks back → 1 of 2 passive."""
    all_weeks = _weeks(dt.date.fromisocalendar(2024, 27, 1), 105)  # 2024-W27 … 2026-W27
    rows = ["person_id,week,benefit,activation,amount_dkk"]

    def spell(pid, benefit, n, offer_back=None, activation="virksomhedspraktik"):
        for j, w in enumerate(all_weeks[-n:]):
            back = n - 1 - j
            rows.append(f"{pid},{w},{benefit},{activation if back == offer_back else 'none'},4000")

    spell(1, "dagpenge", 60)
    spell(2, "dagpenge", 80, offer_back=30)
    spell(3, "dagpenge", 51)
    spell(4, "sygedagpenge", 70, offer_back=52, activation="delvis_raskmelding")
    spell(5, "kontanthjaelp", 105)
    spell(6, "ressourceforloeb", 90, offer_back=10, activation="mentor")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_nordby_bdo_from_the_cli_by_hand():
    out = json.loads(_run("bdo", FIX / "nordby_bdo.yaml", "--json").stdout)
    b, t, y, le = 42_000 * 12 * 1.15, 41_000 * 12 * 1.15, 36_000 * 12 * 1.15, 55_000 * 12 * 1.15  # 579.600; 565.800; 496.800; 759.000
    assert out["cost_per_aarsvaerk_dkk"] == pytest.approx({"borgernaere": b, "tvaergaaende": t, "ydelse": y, "ledelse": le})
    g = {x["code"]: x for x in out["target_groups"]}
    # tværgående 12 årsværk by borgernære årsværk: 58 in the eight groups + 1 in Andet
    assert g["dagpenge"]["kr_by_function"]["borgernaere"] == pytest.approx(7 * b)
    assert g["dagpenge"]["kr_by_function"]["tvaergaaende"] == pytest.approx(12 * t * 7 / 59)
    # ydelse 9 årsværk by Tabel 3.1 ydelse kr. per national FP × own FP; dagpenge 0 (a-kasserne)
    assert g["dagpenge"]["kr_by_function"]["ydelse"] == 0
    ref = out["national_reference"]
    inten = {k: 1e6 * v / ref["fuldtidspersoner"][k] for k, v in {"kontanthjaelp": 263, "sygedagpenge": 191, "uddannelseshjaelp": 207,
                                                                    "fleksjob_ledighedsydelse": 43, "introduktionsprogram": 97, "jobafklaring": 67, "ressourceforloeb": 49}.items()}
    fps = {k: x["fuldtidspersoner"] for k, x in g.items()}
    key = {k: inten[k] * fps[k] for k in inten}
    assert g["kontanthjaelp"]["kr_by_function"]["ydelse"] == pytest.approx(9 * y * key["kontanthjaelp"] / sum(key.values()))
    # the unit cost: all kroner of the eight groups / 4.700 fuldtidspersoner; Andet outside
    total = sum(x["total_dkk"] for x in g.values())
    assert out["fuldtidspersoner"] == 4_700 and out["unit_cost_dkk_per_fp"] == pytest.approx(total / 4_700)
    assert round(out["unit_cost_dkk_per_fp"]) == 14_395
    # uddannelseshjælp has no external purchases: the comparison says it mixes in- and excluded costs
    assert out["comparable"] is False and "Uddannelseshjælp" in out["comparability_notes"][0]
    # what-if for kontanthjælp + uddannelseshjælp (1.080 FP): 1 × 500 + 0,2 × 6.000 = 1.700 kr. per FP
    assert out["what_if"]["extra_dkk"] == pytest.approx(1_700 * 1_080) and out["what_if"]["status"] == "assumption"


def test_nordby_bdo_konto_5_and_6_by_hand(tmp_path):
    """With each function's konto 5 share, the kroner on hovedkonto 5 and 6 against Figur 2.1 (46,1 pct. on
    konto 5; internal 70,0 pct. on konto 6; external 86,0 pct. on konto 5) and the 31-63 pct. of Figur 3.6."""
    doc = yaml.safe_load((FIX / "nordby_bdo.yaml").read_text(encoding="utf-8"))
    for f, share in {"borgernaere": 0.4, "tvaergaaende": 0.0, "ydelse": 0.0, "ledelse": 0.2}.items():
        doc["functions"][f]["konto5_andel"] = share
    doc["eksterne_konto5_andel"] = 0.9
    p = tmp_path / "k.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    k = json.loads(_run("bdo", p, "--json").stdout)["konto_5_6"]
    b, t, y, le = 42_000 * 13.8, 41_000 * 13.8, 36_000 * 13.8, 55_000 * 13.8  # × 12 × 1,15
    internal = (58 + 1) * b + 12 * t + 9 * y + 5 * le  # Andet's borgernære årsværk and its share of tværgående included, as in Figur 2.1
    external = 4e6 + 0.6e6 + 6.5e6 + 1.2e6 + 3.5e6 + 1.8e6 + 1.5e6 + 0.3e6
    assert k["internt_konto5_dkk"] == pytest.approx(0.4 * 59 * b + 0.2 * 5 * le)
    assert k["eksternt_konto5_dkk"] == pytest.approx(0.9 * external)
    assert k["samlet_konto5_andel"] == pytest.approx((0.4 * 59 * b + 0.2 * 5 * le + 0.9 * external) / (internal + external))
    pub = k["published"]
    assert round(pub["samlet_konto5_andel"], 3) == 0.461 and round(pub["internt_konto6_andel"], 3) == 0.700 and round(pub["eksternt_konto5_andel"], 3) == 0.860
    assert (pub["kommuner_konto5_andel_min"], pub["kommuner_konto5_andel_max"]) == (0.31, 0.63)
    del doc["functions"]["ledelse"]["konto5_andel"]
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    k = json.loads(_run("bdo", p, "--json").stdout)["konto_5_6"]
    assert k["missing"] == ["Ledelse"] and "samlet_konto5_andel" not in k


def test_nordby_quartz_from_the_cli_by_hand():
    out = json.loads(_run("quartz", FIX / "nordby_quartz.yaml", "--json").stdout)
    assert out["direct_hours_per_aarsvaerk"] == pytest.approx(0.22 * 1_428)  # 314,2 h, inside 251-460
    assert out["direct_position"] == "inden for spændet"
    assert out["sager_per_aarsvaerk"] == pytest.approx(1_800 / 84)  # 21,4: below the five least productive's 22
    assert out["productivity_position"] == "under gennemsnittet af de fem mindst produktive"
    scale = 48e6 / 4.5e9
    assert out["net_low"] == pytest.approx((550e6 - 33e6) * scale) and round(out["net_low"]) == 5_514_667
    assert out["net_high"] == pytest.approx((786e6 - 56e6) * scale) and round(out["net_high"]) == 7_786_667
    b = out["benchmark"]
    assert b["aarsvaerk_at_benchmark"] == pytest.approx(40.0) and b["gap_dkk"] == pytest.approx(44 * 48e6 / 84)


def test_nordby_passive_share_from_the_cli_by_hand(tmp_path):
    out = json.loads(_run("passivandel", _panel(tmp_path / "panel.csv"), "--json").stdout)
    assert out["reference_week"] == "2026-W27"
    got = {g["group"]: (g["long_term_persons"], g["passive_persons"]) for g in out["groups"]}
    assert got == {"dagpenge": (2, 1), "sygedagpenge": (1, 1), "udsatte": (2, 1)}


def test_nordby_benchmark_from_a_profile_ranks_among_sixteen():
    r = _run("benchmark", "--profile", FIX / "nordby_staff.yaml")
    assert "Nordby Kommune (fra profil, ikke med i benchmarket)" in r.output
    out = json.loads(_run("benchmark", "--profile", FIX / "nordby_staff.yaml", "--json").stdout)
    assert out["peers"] == 16 and "16. kommune" in " ".join(out["notes"])
    varde = json.loads(_run("benchmark", "--profile", data_dir() / "profiles" / "varde.yaml", "--json").stdout)
    assert varde["peers"] == 15  # Varde's profile takes Varde's own place


def test_nordby_every_method_from_a_scenario_in_the_memo(tmp_path):
    from budgetmodel.rates import load_rates
    from budgetmodel.reports.memo import build_memo

    root = tmp_path / "scenarios"
    shutil.copytree(scenarios_dir(), root)
    shutil.copytree(data_dir() / "profiles", tmp_path / "data" / "profiles")
    _panel(tmp_path / "data" / "nordby_panel.csv")
    doc = {
        "kind": "scenario", "id": "nordby-metoder", "title": "Nordby Kommune efter de publicerede metoder",
        "extends": ["lyngby-taarbaek-2014-jobformidler.yaml"],
        "methods": {
            "bdo": yaml.safe_load((FIX / "nordby_bdo.yaml").read_text(encoding="utf-8")),
            "quartz": yaml.safe_load((FIX / "nordby_quartz.yaml").read_text(encoding="utf-8")),
            "passivity": {"panel": "../data/nordby_panel.csv"},
        },
    }
    path = root / "nordby.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert CliRunner().invoke(app, ["validate", str(path)]).exit_code == 0
    md = build_memo(path, "md", load_rates()).decode("utf-8")
    assert "## Kommunens tal efter de publicerede analyser" in md
    assert "14.395 kr. pr. fuldtidsperson" in md and "kommunerne er anonyme" in md and "Hældningerne er aflæst (antagelse)" in md
    assert "21,4 sager pr. årsværk, under gennemsnittet af de fem mindst produktive" in md
    assert "5,5-7,8 mio. kr. om året" in md
    assert "| Dagpengemodtagere | 2 | 1 | 50,0 pct. | 16 pct. | 34 pct. |" in md
    assert "| Sygedagpengemodtagere | 1 | 1 | 100,0 pct. | 22 pct. | 38 pct. |" in md
    assert "Dagpengemodtagere: 50,0 pct. passive (1 af 2 langtidsmodtagere), 34,0 procentpoint over landsgennemsnittet 16 pct." in md
    assert "| Øvrig administration til sagsbehandlingen | 214,2 | 15,0 pct. |" in md and "oevrig" not in md.split("Tidsanvendelse og")[1].split("Kilde:")[0]
    # the same scenario through run: the methods do not change the budget lines
    r = CliRunner().invoke(app, ["run", str(path), "--json"])
    assert r.exit_code == 0, r.output
