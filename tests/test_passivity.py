"""STAR 2018 passivity: the published shares as data, a panel's own share by hand, the optimiser's default."""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.financing.panel import read_panel_arrays
from budgetmodel.unitcost.passivity import StarData, activatable_default, load_passivity_assumptions, passive_share


@pytest.fixture(scope="module")
def star():
    return StarData.load()


def test_published_shares_are_data(star):
    assert (star.surveyed("dagpenge"), star.national("dagpenge")) == (0.34, 0.16)
    assert (star.surveyed("sygedagpenge"), star.national("sygedagpenge")) == (0.38, 0.22)
    assert (star.surveyed("udsatte"), star.national("udsatte")) == (0.48, 0.27)
    # the gaps STAR's text implies (seed notes T2-T4): 18, 16 and 21 percentage points
    gaps = [round((star.surveyed(g) - star.national(g)) * 100) for g in ("dagpenge", "sygedagpenge", "udsatte")]
    assert gaps == [18, 16, 21]
    assert "linje 96" in star.source("dagpenge")
    assert any(r["printed"] == "omkring to tredjedele" for r in star.reasons_for("udsatte"))


def _weeks(start: str, end: str) -> list[str]:
    d = dt.date.fromisocalendar(int(start[:4]), int(start[6:]), 1)
    stop = dt.date.fromisocalendar(int(end[:4]), int(end[6:]), 1)
    out = []
    while d <= stop:
        y, w, _ = d.isocalendar()
        out.append(f"{y}-W{w:02d}")
        d += dt.timedelta(days=7)
    return out


def _panel(tmp_path):
    rows = ["person_id,week,benefit,activation,amount_dkk"]

    def spell(pid, benefit, start, end, offers=None):
        for w in _weeks(start, end):
            rows.append(f"{pid},{w},{benefit},{(offers or {}).get(w, 'none')},4000")

    spell(1, "dagpenge", "2017-W01", "2018-W20")  # long-term, passive
    spell(2, "dagpenge", "2017-W01", "2018-W20", {"2018-W10": "virksomhedspraktik"})  # long-term, active
    spell(3, "dagpenge", "2018-W01", "2018-W20")  # 20 weeks: not long-term
    spell(4, "dagpenge", "2017-W01", "2017-W30")
    spell(4, "dagpenge", "2017-W40", "2018-W20")  # broken by 9 weeks of self-support: 33 weeks
    spell(5, "sygedagpenge", "2017-W10", "2018-W20", {"2017-W15": "delvis_raskmelding"})  # offer 57 weeks ago: passive
    spell(6, "kontanthjaelp", "2016-W01", "2018-W20", {"2017-W30": "mentor"})  # udsatte, active
    spell(7, "ressourceforloeb", "2016-W01", "2018-W20")  # udsatte, passive
    spell(8, "dagpenge", "2016-W01", "2018-W19")  # off benefit in the reference week
    p = tmp_path / "panel.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_panel_passive_share_by_hand(tmp_path, star):
    r = passive_share(read_panel_arrays(_panel(tmp_path)), star, load_passivity_assumptions())
    assert r.reference_week == "2018-W20"
    g = {x.group: x for x in r.groups}
    # dagpenge: persons 1 and 2 are long-term (72 weeks), 1 has no offer → 1 / 2
    assert (g["dagpenge"].long_term, g["dagpenge"].passive, g["dagpenge"].share) == (2, 1, 0.5)
    assert (g["sygedagpenge"].long_term, g["sygedagpenge"].passive) == (1, 1)
    assert (g["udsatte"].long_term, g["udsatte"].passive) == (2, 1)
    assert g["udsatte"].by_benefit == {"kontanthjaelp": {"long_term_persons": 1, "passive_persons": 0}, "ressourceforloeb": {"long_term_persons": 1, "passive_persons": 1}}
    d = g["dagpenge"].as_dict()
    assert d["difference_to_national_pct_points"] == pytest.approx(50 - 16)


def test_reference_week_changes_the_answer(tmp_path, star):
    r = passive_share(read_panel_arrays(_panel(tmp_path)), star, load_passivity_assumptions(), at="2018-W09")
    g = {x.group: x for x in r.groups}
    # a week before person 2's offer: both long-term dagpenge persons are passive; person 8 is on benefit again
    assert (g["dagpenge"].long_term, g["dagpenge"].passive) == (3, 3)


def test_cli_passivandel(tmp_path):
    res = CliRunner().invoke(app, ["passivandel", str(_panel(tmp_path)), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [round(g["passive_share"], 2) for g in out["groups"]] == [0.5, 1.0, 0.5]
    txt = CliRunner().invoke(app, ["passivandel", str(_panel(tmp_path))])
    assert "Dagpenge " in txt.stdout and "Passivandel" in txt.stdout
    bad = CliRunner().invoke(app, ["passivandel", str(_panel(tmp_path)), "--at", "2018-W99"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output


def test_activatable_default_derivation(star):
    d = activatable_default("sygedagpenge", 400, 100, star)
    assert d.value == pytest.approx(1 - 0.22 * 0.25)  # 94,5 pct.
    assert "22 pct." in d.derivation and "94,5 pct." in d.derivation
    assert activatable_default("dagpenge", 400, None, star).value == pytest.approx(0.84)
    assert activatable_default("kontanthjaelp_jobparat", 400, None, star) is None


def test_optimiser_defaults_activatable_share_from_star(tmp_path):
    import shutil

    import yaml

    from budgetmodel.optimise.adapter import from_scenario
    from budgetmodel.paths import data_dir, scenarios_dir
    from budgetmodel.rates import load_rates

    root = tmp_path / "scenarios"
    shutil.copytree(scenarios_dir(), root)
    shutil.copytree(data_dir() / "profiles", tmp_path / "data" / "profiles")
    basis = root / "lyngby-taarbaek-2014-basis.yaml"
    doc = yaml.safe_load(basis.read_text(encoding="utf-8"))
    group = doc["municipality"]["caseload"]["groups"]["kontanthjaelp_aktivitetsparat_over30"]
    del group["activatable_share"]
    basis.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    inp = from_scenario(root / "lyngby-taarbaek-2014-jobformidler.yaml", load_rates())
    hp, lt = group["helaarspersoner"]["value"], group["long_term_helaarspersoner"]["value"]
    first = inp.periods[0]
    tg = {g.id: g for g in first.groups}["kontanthjaelp_aktivitetsparat_over30"]
    growth = tg.helaarspersoner / hp
    # udsatte: 1 − 27 pct. × (295,5 / helårspersoner) → 27 pct. of the long-term are not activatable
    assert tg.activatable_helaarspersoner == pytest.approx((hp - 0.27 * lt) * growth)
    note = [n for n in inp.notes if "STAR 2018" in n]
    assert note and "27 pct." in note[0] and "Aktiverbar andel = 1 −" in note[0]


def _copy_scenarios(tmp_path):
    import shutil

    from budgetmodel.paths import data_dir, scenarios_dir

    root = tmp_path / "scenarios"
    shutil.copytree(scenarios_dir(), root)
    shutil.copytree(data_dir() / "profiles", tmp_path / "data" / "profiles")
    return root


def test_jobparate_without_activatable_share_is_a_required_input_validate_asks_for(tmp_path):
    """STAR 2018 leaves the jobparate out (linje 66): no derived default, so validate (for a scenario set up
    for the optimiser) and optimise both ask for the field, with its file and line."""
    import yaml

    from budgetmodel.errors import InputError
    from budgetmodel.optimise.adapter import from_scenario
    from budgetmodel.rates import load_rates

    root = _copy_scenarios(tmp_path)
    basis = root / "lyngby-taarbaek-2014-basis.yaml"
    doc = yaml.safe_load(basis.read_text(encoding="utf-8"))
    del doc["municipality"]["caseload"]["groups"]["kontanthjaelp_jobparat_under30"]["activatable_share"]
    basis.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = CliRunner().invoke(app, ["validate", str(root / "lyngby-taarbaek-2014-jobformidler.yaml")])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "lyngby-taarbaek-2014-basis.yaml:" in r.output and "kontanthjaelp_jobparat_under30.activatable_share mangler" in r.output
    assert "STAR 2018's seks ydelsesgrupper" in r.output and "linje 66" in r.output
    with pytest.raises(InputError) as e:
        from_scenario(root / "lyngby-taarbaek-2014-jobformidler.yaml", load_rates())
    assert "kontanthjaelp_jobparat_under30.activatable_share" in e.value.render() and "linje 66" in e.value.render()


def _testrup_to_mentor(root, target_group="kontanthjaelp_aktivitetsparat"):
    import yaml

    path = root / "testrup-2026-virksomhedskonsulenter.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    g = doc["municipality"]["caseload"]["groups"]["aktivitetsparate"]
    del g["activatable_share"]
    g["target_group"] = target_group
    g["long_term_helaarspersoner"] = {"value": 300, "status": "assumption", "source": "Eksempel"}
    doc["initiatives"]["virksomhedskonsulenter"]["to_activation"] = "mentor"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_star_default_in_an_initiative_check_appears_in_forudsaetninger(tmp_path):
    """An initiative into a non-company offer is checked against the activatable share; without one the
    STAR 2018 derivation is used and the memo's Forudsætninger shows it (udsatte: 1 − 27 pct. × 300/400)."""
    from budgetmodel.rates import load_rates
    from budgetmodel.reports.memo import build_memo

    path = _testrup_to_mentor(_copy_scenarios(tmp_path))
    assert CliRunner().invoke(app, ["validate", str(path)]).exit_code == 0
    md = build_memo(path, "md", load_rates()).decode("utf-8")
    assert "Andel der kan aktiveres: Aktivitetsparate kontanthjælpsmodtagere over 30 år (standard fra STAR 2018)" in md
    assert "Aktiverbar andel = 1 − 27 pct." in md and "75,0 pct." in md and "79,8 pct." in md  # 300/400; 1 − 0,27 × 0,75


def test_a_non_star_group_in_an_initiative_check_must_give_the_share(tmp_path):
    path = _testrup_to_mentor(_copy_scenarios(tmp_path), "kontanthjaelp_jobparat")
    r = CliRunner().invoke(app, ["validate", str(path)])
    assert r.exit_code == 1 and "testrup-2026-virksomhedskonsulenter.yaml:" in r.output
    assert "groups.aktivitetsparate.activatable_share mangler" in r.output and "kontanthjaelp_jobparat" in r.output
