"""`budgetmodel benchmark` and `budgetmodel unitcost` as a user runs them."""

import json

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.paths import data_dir

runner = CliRunner()

TABEL_4_1_TOTAL = {
    "Sønderborg": 21.5, "Varde": 24.1, "Middelfart": 25.5, "Rebild": 37.6, "Egedal": 30.5, "Odsherred": 25.7,
    "Jammerbugt": 28.7, "Lyngby-Taarbæk": 24.3, "Aabenraa": 22.4, "Stevns": 26.9, "Furesø": 28.9,
    "Mariagerfjord": 28.6, "Assens": 25.0, "Ikast-Brande": 28.4, "Haderslev": 24.8,
}  # fmt: skip


def run(*args):
    r = runner.invoke(app, list(args))
    return r


@pytest.mark.parametrize("typed", ["Lyngby-Taarbæk", "lyngby-taarbaek", "LYNGBY-TAARBÆK", "lyngby taarbak"])
def test_benchmark_names_any_spelling(typed):
    r = run("benchmark", typed, "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["municipality"] == "Lyngby-Taarbæk"
    assert out["total"]["productivity"] == 24.3 and out["total"]["average"] == 26.9 and out["total"]["rank"] == 4
    assert out["total"]["aarsvaerk"] == 51.6
    assert round(out["total"]["staff_gap_to_average"], 1) == -5.5


@pytest.mark.parametrize("municipality", sorted(TABEL_4_1_TOTAL))
def test_benchmark_json_every_municipality(municipality):
    r = run("benchmark", municipality.lower(), "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["total"]["productivity"] == TABEL_4_1_TOTAL[municipality]
    assert out["total"]["rank"] == 1 + sum(1 for v in TABEL_4_1_TOTAL.values() if v < TABEL_4_1_TOTAL[municipality])
    assert len(out["areas"]) == 12 and len(out["quality"]) == 7
    assert out["sources"] and out["notes"]


def test_benchmark_table_in_danish_format():
    r = run("benchmark", "varde")
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert "Produktivitet i alt: 24,1 årsværk pr. 1.000 årspersoner (gennemsnit 26,9); nr. 3 af 15" in text
    assert "68,8" in text and "8,0 årsværk færre end gennemsnittet" in text
    assert "Kontanthjælp match 2-3" in text and "19,8" in text and "23,5" in text
    assert "22 pct." in text  # aktiveringsgrad
    assert "Bruger færre ressourcer end gennemsnittet" in text
    assert "Kilder:" in text


def test_benchmark_lyngby_table_states_the_gap():
    r = run("benchmark", "Lyngby-Taarbæk")
    assert r.exit_code == 0
    assert "51,6" in r.stdout and "57,1" in r.stdout and "5,5 årsværk færre end gennemsnittet" in r.stdout


def test_benchmark_profile_outside_the_fifteen(tmp_path):
    p = tmp_path / "eksempelby.yaml"
    p.write_text(
        "municipality: Eksempelby\n"
        "target_groups:\n"
        "  a_dagpenge: {aarsvaerk: 10, aarspersoner: 1000}\n"
        "  sygedagpenge: {aarsvaerk: 12, aarspersoner: 600}\n"
        "cross_cutting: {administration: 8}\n",
        encoding="utf-8",
    )
    for args in (("benchmark", "--profile", str(p), "--json"), ("benchmark", str(p), "--json")):
        r = run(*args)
        assert r.exit_code == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["municipality"] == "Eksempelby" and out["in_benchmark"] is False
        assert out["total"]["productivity"] == pytest.approx(30 / 1600 * 1000)
        assert out["total"]["rank"] == 1 + sum(1 for v in TABEL_4_1_TOTAL.values() if v < 30 / 1.6)
    r = run("benchmark", "--profile", str(p))
    assert r.exit_code == 0 and "fra profil, ikke med i benchmarket" in r.stdout


def test_benchmark_move_keeps_the_total():
    before = json.loads(run("benchmark", str(data_dir() / "profiles" / "varde.yaml"), "--json").stdout)
    r = run("benchmark", "varde", "--move", "sygedagpenge:a_dagpenge:1", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    areas = {a["code"]: a for a in out["areas"]}
    assert round(areas["sygedagpenge"]["productivity"], 2) == 20.24
    assert round(areas["a_dagpenge"]["productivity"], 2) == 11.74
    assert out["total"]["aarsvaerk"] == pytest.approx(68.8)  # Tabel 3.1's stated total; a move keeps it
    assert out["total"]["productivity"] == pytest.approx(before["total"]["productivity"])  # total kept
    assert round(before["total"]["productivity"], 1) == 24.1  # 68,8 / 2.855: the stated total (the rows add to 68,6)
    assert "flyttet 1,0 årsværk fra sygedagpenge til a_dagpenge" in out["municipality"]


def test_benchmark_bad_input_exits_1_with_one_clear_message(tmp_path):
    r = run("benchmark", "Odense")
    assert r.exit_code == 1 and "ikke en af benchmarkets 15 kommuner" in r.stderr and "--profile" in r.stderr
    r = run("benchmark", "varde", "--move", "sygedagpenge:kaffe:1")
    assert r.exit_code == 1 and "kaffe" in r.stderr
    r = run("benchmark", "varde", "--move", "sygedagpenge:a_dagpenge:99")
    assert r.exit_code == 1 and "kan ikke flytte" in r.stderr
    r = run("benchmark", str(tmp_path / "findes_ikke.yaml"))
    assert r.exit_code == 1 and "kan ikke læses" in r.stderr
    r = run("benchmark")
    assert r.exit_code == 1


def test_unitcost_profile_json_shows_method_and_sources():
    r = run("unitcost", str(data_dir() / "profiles" / "lyngby_taarbaek.yaml"), "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["municipality"] == "Lyngby-Taarbæk"
    assert any("løn × (1 + overhead)" in m for m in out["method"])
    assert {a["name"] for a in out["assumptions"]} == {"salary_dkk_per_aarsvaerk", "overhead_share", "productive_hours_per_aarsvaerk"}
    assert all(a["source"] for a in out["assumptions"])
    groups = {g["code"]: g for g in out["target_groups"]}
    assert len(groups) == 8
    assert groups["sygedagpenge"]["unit_cost_direct_dkk_per_person"] == pytest.approx(21.4 * 501_689 * 1.15 / 1000, rel=1e-6)
    assert groups["a_dagpenge"]["tasks"] and groups["a_dagpenge"]["activities"]
    assert any("seeds/000" in s for s in out["sources"]) and any("seeds/001" in s for s in out["sources"])
    # JSON numbers are plain numbers
    assert isinstance(out["cost_per_aarsvaerk_dkk"], float)


def test_unitcost_table_shows_method_sources_in_danish_format():
    r = run("unitcost", "varde")
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert "Enhedsomkostninger: Varde" in text and "Metode:" in text
    assert "501.689 kr." in text and "15 pct." in text and "1.428 timer" in text
    assert "576.942 kr." in text  # cost of an årsværk incl. overhead
    assert "31.993" in text and "801" in text  # BDO's average and cost per conversation
    assert "Kilder:" in text and "seeds/000" in text


def test_unitcost_by_name_equals_bundled_profile():
    by_name = json.loads(run("unitcost", "Lyngby-Taarbæk", "--json").stdout)
    by_file = json.loads(run("unitcost", str(data_dir() / "profiles" / "lyngby_taarbaek.yaml"), "--json").stdout)
    assert by_name == by_file


def test_unitcost_output_is_reproducible():
    a = run("unitcost", "varde", "--json").stdout
    b = run("unitcost", "varde", "--json").stdout
    assert a == b


def test_unitcost_bad_profile(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("municipality: X\ntarget_groups:\n  a_dagpenge: {aarsvaerk: -2}\n", encoding="utf-8")
    r = run("unitcost", str(p))
    assert r.exit_code == 1
    assert f"{p}:3" in r.stderr and "aarsvaerk" in r.stderr
    r = run("unitcost", "Odense")
    assert r.exit_code == 1 and "ikke en af benchmarkets 15 kommuner" in r.stderr


def test_validate_knows_profiles():
    r = run("validate", str(data_dir() / "profiles"))
    assert r.exit_code == 0, r.stderr
    assert "OK: 2 filer" in r.stdout


def test_unitcost_json_has_the_mix_corrected_total():
    out = json.loads(run("unitcost", "lyngby-taarbaek", "--json").stdout)
    t = out["total"]
    assert t["mix_groups"] == ["a_dagpenge", "kontanthjaelp_match1", "kontanthjaelp_match23", "sygedagpenge", "ledighedsydelse", "revalidering"]
    assert "Bilag I" in t["mix_reference"]
    assert t["unit_cost_direct_mix_corrected_dkk_per_person"] > 0
