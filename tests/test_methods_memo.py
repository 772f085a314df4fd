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

    panel = _panel(tmp)
    doc = {
        "kind": "scenario",
        "id": "testrup-metoder",
        "title": "Jobformidlere med metodeafsnit",
        "extends": ["lyngby-taarbaek-2014-jobformidler.yaml"],
        "methods": {
            "bdo": yaml.safe_load((FIX / "testrup_bdo.yaml").read_text(encoding="utf-8")),
            "quartz": yaml.safe_load((FIX / "testrup_quartz.yaml").read_text(encoding="utf-8")),
            "passivity": {"panel": str(Path("..") / panel.name), "at": "2018-W20"},
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
