"""A scenario can take a forecast as its caseload (issue 7 item 6): the forecast's cells replace
the flat groups on the benefits it covers, and are priced year by year."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from budgetmodel.errors import InputError
from budgetmodel.financing.aggregate import price_cells
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, week_number
from budgetmodel.forecast import synthetic as sy
from budgetmodel.forecast.caseload import forecast_caseload
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import run_scenario

TOY = Path(__file__).parent / "fixtures" / "scenarios" / "staircase-toy.yaml"


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fc")
    specs = {"kontanthjaelp": sy.BenefitSpec(inflow_per_week=6.0, hazard=(0.03,), amount_dkk_per_week=2400.0, activation_probs={"none": 0.7, "virksomhedspraktik": 0.3})}
    panel = sy.simulate(specs, week_number(dt.date(2017, 1, 2)), 130, benefits=BENEFITS, activations=ACTIVATIONS, seed=7, burn_in_weeks=150)
    sy.to_frame(panel).to_csv(d / "panel.csv", index=False)
    shutil.copy(TOY, d / "toy.yaml")
    (d / "toy-forecast.yaml").write_text(
        "kind: scenario\nid: toy-forecast\ntitle: Testkommune med fremskrivning\nextends: [toy.yaml]\nyears: [2020, 2021]\n"
        "municipality:\n  caseload:\n    forecast: {panel: panel.csv, years: 3, note: Syntetisk panel}\n",
        encoding="utf-8",
    )
    return d


def test_forecast_replaces_the_flat_caseload(book, folder):
    loaded = load_scenario(folder / "toy-forecast.yaml", book)
    result = run_scenario(loaded, book)
    fc = forecast_caseload(folder / "panel.csv", 3, book)
    cells = fc.cells[fc.cells["year"].isin([2020, 2021])].copy()
    priced = price_cells(cells.assign(date=[dt.date.fromisocalendar(int(y), 1, 1).isoformat() for y in cells["year"]]).drop(columns=["year"]), book)
    priced["year"] = cells["year"].to_numpy()
    want = priced.groupby("year")[["gross_dkk", "municipal_dkk", "helaarspersoner"]].sum()
    for y in (2020, 2021):
        assert result.caseload.line("brutto").dkk[y] == pytest.approx(want.loc[y, "gross_dkk"])
        assert result.caseload.line("netto").dkk[y] == pytest.approx(want.loc[y, "municipal_dkk"])
        assert result.caseload.line("helaarspersoner").dkk[y] == pytest.approx(want.loc[y, "helaarspersoner"])
    assert "fremskrevet" in result.caseload.title


def test_the_hash_follows_the_panel_content_not_its_path(book, folder, tmp_path):
    a = load_scenario(folder / "toy-forecast.yaml", book)
    other = tmp_path / "sub"
    other.mkdir()
    shutil.copy(folder / "panel.csv", other / "data.csv")
    shutil.copy(TOY, tmp_path / "toy.yaml")
    (tmp_path / "s.yaml").write_text((folder / "toy-forecast.yaml").read_text(encoding="utf-8").replace("panel.csv", "sub/data.csv"), encoding="utf-8")
    b = load_scenario(tmp_path / "s.yaml", book)
    assert a.input_hash == b.input_hash
    (other / "data.csv").write_text((other / "data.csv").read_text(encoding="utf-8").replace(",2400.0", ",2500.0", 1), encoding="utf-8")
    assert load_scenario(tmp_path / "s.yaml", book).input_hash != a.input_hash


def test_years_outside_the_forecast_are_an_error(book, folder):
    (folder / "too-far.yaml").write_text(
        (folder / "toy-forecast.yaml").read_text(encoding="utf-8").replace("years: [2020, 2021]", "years: [2021, 2022]").replace("id: toy-forecast", "id: too-far"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="2022"):
        run_scenario(load_scenario(folder / "too-far.yaml", book), book)


def test_a_missing_panel_is_located(book, folder):
    (folder / "no-panel.yaml").write_text(
        (folder / "toy-forecast.yaml").read_text(encoding="utf-8").replace("panel.csv", "findes-ikke.csv").replace("id: toy-forecast", "id: no-panel"),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_scenario(folder / "no-panel.yaml", book)
    (p,) = exc.value.problems
    assert (Path(p.file).name, p.line, p.field) == ("no-panel.yaml", 8, "municipality.caseload.forecast.panel")
