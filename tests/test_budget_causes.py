"""Every budget line moves with its causes, and only the lines that depend on a cause move.

Seed 004's reform scenario is varied one cause at a time (a detail line of the reform, the
bloktilskud share, the helårspersoner and the operating expenses under the driftsloft, the loft
itself in the rate book); each test asserts which lines of the budget move and by how much,
worked by hand from the rule, and that the memo prints the new figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budgetmodel import fmt
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import LoadedScenario, load_scenario
from budgetmodel.scenario.run import run_scenario

ROOT = Path(__file__).resolve().parents[1]
REFORM = ROOT / "scenarios" / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"
YEARS = [2014, 2015, 2016, 2017]
LINES = ("reform", "mentor", "driftsloft", "pulje", "total", "initiatives", "netto")


@pytest.fixture(scope="module")
def book():
    return load_rates()


@pytest.fixture(scope="module")
def loaded(book):
    return load_scenario(REFORM, book)


@pytest.fixture(scope="module")
def base(loaded, book):
    return run_scenario(loaded, book, with_caseload=False)


def _run(loaded, book, scenario):
    return run_scenario(LoadedScenario(scenario, loaded.path, loaded.files, loaded.resolved, loaded.input_hash), book, with_caseload=False)


def _set(model, path: list, value):
    """A copy of a pydantic model with the value at path replaced (dict keys or field names)."""
    head, rest = path[0], path[1:]
    if isinstance(model, dict):
        return {**model, head: _set(model[head], rest, value) if rest else value}
    return model.model_copy(update={head: _set(getattr(model, head), rest, value) if rest else value})


def _moves(base, other) -> dict[str, dict[int, float]]:
    """The budget lines that differ, with the difference in kroner by year."""
    out = {}
    for key in LINES:
        a, b = base.budget.line(key).dkk, other.budget.line(key).dkk
        d = {y: b[y] - a[y] for y in YEARS}
        if any(abs(v) > 1e-6 for v in d.values()):
            out[key] = d
    return out


def test_a_detail_line_moves_its_part_and_the_totals(loaded, book, base):
    s = loaded.scenario
    line = s.budget.budgetgaranti.parts["ydelsesdelen"].lines["boligstoette"]
    lowered = line.model_copy(update={"by_year": {**line.by_year, 2015: line.by_year[2015] - 0.5}})  # 500 kr. lower (1.000 kr.)
    r = _run(loaded, book, _set(s, ["budget", "budgetgaranti", "parts", "ydelsesdelen", "lines", "boligstoette"], lowered))
    moves = _moves(base, r)
    assert set(moves) == {"reform", "total", "netto"}
    for key in moves:
        assert moves[key] == pytest.approx({2014: 0, 2015: -500, 2016: 0, 2017: 0})
    sub = {t.key: t for t in r.sub_tables}
    old = {t.key: t for t in base.sub_tables}
    assert sub["budgetgaranti_ydelsesdelen"].line("local").dkk[2015] - old["budgetgaranti_ydelsesdelen"].line("local").dkk[2015] == pytest.approx(-500)
    assert sub["budgetgaranti_ydelsesdelen"].line("state").dkk == old["budgetgaranti_ydelsesdelen"].line("state").dkk


def test_the_bloktilskud_share_moves_the_states_regulation(loaded, book, base):
    s = loaded.scenario
    share = s.municipality.bloktilskud_share
    r = _run(loaded, book, _set(s, ["municipality", "bloktilskud_share"], share.model_copy(update={"value": 0.01})))
    moves = _moves(base, r)
    assert set(moves) == {"reform", "total", "netto"}
    parts = s.budget.budgetgaranti.parts
    for y in YEARS:
        national = sum(p.national.dkk(y) for p in parts.values())
        # challenge = local − national × share: 0,935 → 1,000 pct. moves it by −national × 0,065 pct.
        assert moves["reform"][y] == pytest.approx(-national * (0.01 - 0.00935))
    # 2015: the national figures −1.149,5 and −173,95 mio. kr. → the challenge grows by 1.323.450.000 × 0,00065 = 860.242,5 kr.
    assert moves["reform"][2015] == pytest.approx(860_242.5)
    # a printed 'Ifølge staten' is a check: it now fails, and says by how much
    failed = [c for c in r.checks if not c["ok"] and c["line"] == "Ifølge staten" and c["table"] == "Ydelsesdelen"]
    assert {c["year"]: c["difference"] for c in failed}[2015] == -747.0  # −11.495 computed against −10.748 printed


def _driftsloft_series(s, name: str, factor: float):
    d = s.budget.driftsloft
    if name == "helaarspersoner":
        ser = d.helaarspersoner["kontanthjaelp_aktivitetsparat"]
        return ["budget", "driftsloft", "helaarspersoner", "kontanthjaelp_aktivitetsparat"], ser.model_copy(update={"by_year": {y: v * factor for y, v in ser.by_year.items()}})
    ser = d.expenses["aktivering"].amount
    return ["budget", "driftsloft", "expenses", "aktivering", "amount"], ser.model_copy(update={"by_year": {y: v * factor for y, v in ser.by_year.items()}})


def test_helaarspersoner_move_the_driftsloft_line_only(loaded, book, base):
    s = loaded.scenario
    path, ser = _driftsloft_series(s, "helaarspersoner", 1.1)
    r = _run(loaded, book, _set(s, path, ser))
    moves = _moves(base, r)
    assert set(moves) == {"driftsloft", "total", "netto"}
    hp = s.budget.driftsloft.helaarspersoner["kontanthjaelp_aktivitetsparat"].by_year
    # 10 pct. more helårspersoner: the rådighedsbeløb grows by 0,1 × hp × 11.835, half of it refunded
    for y in YEARS:
        assert moves["driftsloft"][y] == pytest.approx(-0.5 * 11_835 * 0.1 * hp[y])
    assert moves["driftsloft"][2014] == pytest.approx(-556_422.525, abs=0.01)  # 0,5 × 11.835 × 94,03


def test_expenses_move_the_driftsloft_line_only(loaded, book, base):
    s = loaded.scenario
    path, ser = _driftsloft_series(s, "expenses", 1.01)
    r = _run(loaded, book, _set(s, path, ser))
    moves = _moves(base, r)
    assert set(moves) == {"driftsloft", "total", "netto"}
    ex = s.budget.driftsloft.expenses["aktivering"].amount.by_year
    for y in YEARS:  # expenses above the loft: every extra krone loses its 50 pct.
        assert moves["driftsloft"][y] == pytest.approx(0.5 * 0.01 * ex[y] * 1000)


def test_the_loft_moves_the_driftsloft_line_only(loaded, tmp_path):
    rates = tmp_path / "rates"
    shutil.copytree(ROOT / "rates", rates)
    f = rates / "driftsloft.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("value: 11835", "value: 12835"), encoding="utf-8")
    other = load_rates(rates)
    base_book = load_rates()
    a = run_scenario(load_scenario(REFORM, base_book), base_book, with_caseload=False)
    b = run_scenario(load_scenario(REFORM, other), other, with_caseload=False)
    moves = _moves(a, b)
    assert set(moves) == {"driftsloft", "total", "netto"}
    hp = loaded.scenario.budget.driftsloft.helaarspersoner["kontanthjaelp_aktivitetsparat"].by_year
    for y in YEARS:  # 1.000 kr. more loft per helårsperson: 0,5 × 1.000 × hp more refund
        assert moves["driftsloft"][y] == pytest.approx(-0.5 * 1000 * hp[y])


def test_the_memo_shows_the_new_figures(loaded, book, base):
    from budgetmodel.reports.context import memo_context
    from budgetmodel.reports.render import render

    s = loaded.scenario
    share = s.municipality.bloktilskud_share
    r = run_scenario(LoadedScenario(_set(s, ["municipality", "bloktilskud_share"], share.model_copy(update={"value": 0.01})), loaded.path, loaded.files, loaded.resolved, loaded.input_hash), book)
    md = render(memo_context(r), "md").decode("utf-8")
    reform = r.budget.line("reform").dkk
    shown = " | ".join(fmt.thousand(reform[y]) for y in YEARS)
    assert f"| Kontanthjælpsreformen | {shown} |" in md
    assert fmt.thousand(reform[2015]) == "5.635"  # 4.774,451 + 860,243 (unrounded)
    assert "Afvigelse" in md  # the printed 'Ifølge staten' no longer comes out
