"""A scenario's `methods:` section: each method reachable from a scenario, with a Danish memo section."""

import shutil
from pathlib import Path

import pytest
import yaml

from budgetmodel.paths import data_dir, scenarios_dir
from budgetmodel.rates import load_rates
from budgetmodel.reports.memo import build_memo

FIX = Path(__file__).parent / "fixtures" / "methods"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("methods")
    root = tmp / "scenarios"
    shutil.copytree(scenarios_dir(), root)
    shutil.copytree(data_dir() / "profiles", tmp / "data" / "profiles")
    from test_passivity import _panel

    panel = _panel(tmp / "data")  # beside scenarios/, where a scenario may read (issue 16's confinement)
    doc = {
        "kind": "scenario",
        "id": "testrup-metoder",
        "title": "Jobformidlere med metodeafsnit",
        "extends": ["lyngby-taarbaek-2014-jobformidler.yaml"],
        "methods": {
            "bdo": yaml.safe_load((FIX / "testrup_bdo.yaml").read_text(encoding="utf-8")),
            "quartz": yaml.safe_load((FIX / "testrup_quartz.yaml").read_text(encoding="utf-8")),
            "passivity": {"panel": str(Path("..") / "data" / panel.name), "at": "2018-W20"},
            "benchmark": True,
        },
    }
    path = root / "metoder.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_memo_has_the_methods_section(scenario):
    md = build_memo(scenario, "md", load_rates()).decode("utf-8")
    assert "## Kommunens tal efter de publicerede analyser" in md
    assert "### Enhedsomkostninger (BDO/HBS 2024)" in md
    assert "13.281 kr. pr. fuldtidsperson" in md and "31.993 kr." in md  # 15.937.000 / 1.200
    assert "### Tidsanvendelse og prioriteringspotentiale (Quartz+Co 2014)" in md
    assert "1,8-2,6 mio. kr." in md and "1,7-2,4 mio. kr." in md  # 550/300-786/300; less overlap
    assert "### Passive langtidsmodtagere (STAR 2018)" in md
    assert "| Dagpengemodtagere | 2 | 1 | 50,0 pct. | 16 pct. | 34 pct. |" in md
    assert "### Jobcenterbenchmark (Mploy/Kibak 2013)" in md and "24,3 årsværk pr. 1.000 årspersoner" in md
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(build_memo(scenario, "xlsx", load_rates())))
    cells = [c for row in wb["Metoder"].iter_rows(values_only=True) for c in row if c]
    assert "Enhedsomkostninger (BDO/HBS 2024)" in cells and "50,0 pct." in cells
    html = build_memo(scenario, "html", load_rates()).decode("utf-8")
    assert "Enhedsomkostninger (BDO/HBS 2024)" in html and "50,0 pct." in html



def test_missing_panel_names_the_scenario_field(tmp_path):
    from budgetmodel.errors import InputError
    from budgetmodel.reports.methods_section import methods_context
    from budgetmodel.unitcost.scenario_section import MethodsSection

    class S:  # the two attributes methods_context reads
        methods = MethodsSection.model_validate({"passivity": {"panel": "mangler.csv"}})
        municipality = None

    with pytest.raises(InputError) as e:
        methods_context(S(), tmp_path / "s.yaml")
    assert "methods.passivity.panel" in e.value.render() and "mangler.csv" in e.value.render()


def _validate(path):
    from typer.testing import CliRunner

    from budgetmodel.cli import app

    return CliRunner().invoke(app, ["validate", str(path)])


def _with_passivity(tmp_path, panel_text, at="2018-W20"):
    root = tmp_path / "scenarios"
    shutil.copytree(scenarios_dir(), root)
    shutil.copytree(data_dir() / "profiles", tmp_path / "data" / "profiles")
    (tmp_path / "data" / "panel.csv").write_text(panel_text, encoding="utf-8")
    doc = {"kind": "scenario", "id": "p", "title": "Passivitet", "extends": ["lyngby-taarbaek-2014-jobformidler.yaml"],
           "methods": {"passivity": {"panel": "../data/panel.csv", "at": at}}}
    path = root / "p.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_validate_reads_the_passivity_panel_with_the_methods_checks_all_at_once(tmp_path):
    """validate refuses what the memo's passivity section would: every bad row of the panel at once."""
    bad = ("person_id,week,benefit,activation,amount_dkk\n1,2018-W20,dagpenge,none,4000\n1,2018-W99,dagpenge,none,4000\n"
           "2,2018-W20,dagpengeX,none,4000\n3,2018-W20,dagpenge,praktik,abc\n")
    r = _validate(_with_passivity(tmp_path, bad))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "4 fejl i input" in r.output
    for line, field in ((3, "week"), (4, "benefit"), (5, "activation"), (5, "amount_dkk")):
        assert f"panel.csv:{line}: [{field}]" in r.output


@pytest.mark.parametrize("at,message", [
    ("2019-W10", "referenceugen 2019-W10 ligger uden for panelet (2018-W10 til 2018-W20)"),
    ("2018-W20", "kun 11 uger til og med referenceugen 2018-W20; passivandelen kræver mindst 52 uger"),
])
def test_validate_refuses_a_reference_week_the_panel_cannot_measure(tmp_path, at, message):
    short = "person_id,week,benefit,activation,amount_dkk\n1,2018-W10,dagpenge,none,4000\n1,2018-W20,dagpenge,none,4000\n"
    r = _validate(_with_passivity(tmp_path, short, at))
    assert r.exit_code == 1 and message in r.output


def test_validate_refuses_an_impossible_week_and_a_panel_outside_the_scenario(tmp_path):
    ok = "person_id,week,benefit,activation,amount_dkk\n1,2018-W20,dagpenge,none,4000\n"
    r = _validate(_with_passivity(tmp_path, ok, "2019-W53"))
    assert r.exit_code == 1 and "p.yaml:" in r.output and "år 2019 har ikke uge 53" in r.output
    path = tmp_path / "scenarios" / "p.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("../data/panel.csv", "/etc/passwd").replace("2019-W53", "2018-W20"), encoding="utf-8")
    r = _validate(path)
    assert r.exit_code == 1 and "[methods.passivity.panel]" in r.output and "uden for scenariets mapper" in r.output


def test_validate_passes_a_good_passivity_panel_and_refuses_benchmark_without_staff(tmp_path):
    from test_passivity import _panel

    path = _with_passivity(tmp_path, _panel(tmp_path).read_text(encoding="utf-8"))
    assert _validate(path).exit_code == 0
    varde = yaml.safe_load((scenarios_dir() / "varde-2014-arbejdsmarkedsydelse.yaml").read_text(encoding="utf-8"))
    assert "staff" not in varde["municipality"]
    varde["methods"] = {"benchmark": True}
    p2 = tmp_path / "scenarios" / "b.yaml"
    p2.write_text(yaml.safe_dump(varde, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = _validate(p2)
    assert r.exit_code == 1 and "b.yaml:" in r.output and "[methods.benchmark]" in r.output and "municipality.staff" in r.output
