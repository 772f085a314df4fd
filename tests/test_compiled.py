"""The checked form of rate tables and assumption files kept between runs (budgetmodel.compiled):
an edited file is checked again and its new value used, a broken file is never kept, and a cache
that cannot be written or read is left out silently."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budgetmodel import compiled
from budgetmodel.errors import InputError
from budgetmodel.paths import data_dir, rates_dir
from budgetmodel.rates import book as book_mod
from budgetmodel.rates import load_rates
from budgetmodel.unitcost import passivity

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setattr(compiled, "CACHE_DIR", d)
    monkeypatch.delenv("BUDGETMODEL_NO_CACHE", raising=False)
    return d


@pytest.fixture
def rates(tmp_path):
    d = tmp_path / "rates"
    shutil.copytree(rates_dir(), d)
    return d


def _staircase(book, week: int) -> float:
    import datetime as dt

    return book.value("refusionstrappe", dt.date(2017, 3, 6), count_week=week)


def test_a_checked_table_is_kept_and_read_back_without_checking_again(cache, rates, monkeypatch):
    first = load_rates(rates)
    assert len(list(cache.glob("rates-*-refusionstrappe.yaml.pickle"))) == 1
    monkeypatch.setattr(book_mod, "_checked_table", lambda *a: (_ for _ in ()).throw(AssertionError("checked again")))
    again = load_rates(rates)
    assert {t: again.table(t).spec for t in again.tables} == {t: first.table(t).spec for t in first.tables}
    assert again.fingerprint == first.fingerprint
    assert _staircase(again, 3) == 80


def test_an_edited_rate_file_is_checked_again_and_its_new_value_used(cache, rates):
    assert _staircase(load_rates(rates), 3) == 80
    f = rates / "refusionstrappe.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace('where: {count_week: "1-4"}, value: 80', 'where: {count_week: "1-4"}, value: 75'), encoding="utf-8")
    assert _staircase(load_rates(rates), 3) == 75
    f.write_text(f.read_text(encoding="utf-8").replace("value: 75", "value: 80"), encoding="utf-8")
    assert _staircase(load_rates(rates), 3) == 80  # and back


def test_the_refund_command_uses_an_edited_rate_file(rates):
    """End to end in fresh processes with the real cache folder: a second run after an edit prices
    with the edited value (the staircase's first band 80 → 60 pct.)."""
    panel = FIXTURES / "refund" / "small_panel.csv"

    def state_dkk() -> float:
        cmd = [sys.executable, "-c", "from budgetmodel.cli import main; main()", "refund", str(panel), "--json", "--rates", str(rates)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)["state_dkk"]

    before = state_dkk()
    assert state_dkk() == before  # from the kept form
    f = rates / "refusionstrappe.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace('where: {count_week: "1-4"}, value: 80', 'where: {count_week: "1-4"}, value: 60'), encoding="utf-8")
    assert state_dkk() < before


def test_a_broken_table_is_never_kept(cache, rates):
    f = rates / "refusionstrappe.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("value: 80", "value: 180"), encoding="utf-8")
    for _ in range(2):  # the same message both times: checked each time
        with pytest.raises(InputError) as exc:
            load_rates(rates)
        assert "180" in exc.value.render() and "refusionstrappe.yaml" in exc.value.render()
    assert not list(cache.glob("rates-*-refusionstrappe.yaml.pickle"))


def test_a_renamed_file_is_checked_again(cache, rates):
    """The table's id must equal its file name: the same bytes under another name are no hit."""
    load_rates(rates)
    (rates / "refusionstrappe.yaml").rename(rates / "trappen.yaml")
    with pytest.raises(InputError) as exc:
        load_rates(rates)
    assert "id 'refusionstrappe' skal være lig filnavnet 'trappen'" in exc.value.render()


def test_a_changed_checker_checks_again(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(compiled, "PACKAGE", tmp_path)
    (tmp_path / "checker.py").write_text("x = 1\n")
    calls = []

    def build():
        calls.append(1)
        return {"v": len(calls)}

    assert compiled.cached("k", "f", "sha", ("checker.py",), build) == {"v": 1}
    assert compiled.cached("k", "f", "sha", ("checker.py",), build) == {"v": 1}
    (tmp_path / "checker.py").write_text("x = 22\n")
    assert compiled.cached("k", "f", "sha", ("checker.py",), build) == {"v": 2}
    assert compiled.cached("k", "f", "other", ("checker.py",), build) == {"v": 3}  # other bytes


def test_an_unwritable_or_unreadable_cache_is_left_out(tmp_path, monkeypatch, rates):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(compiled, "CACHE_DIR", blocker / "compiled")  # cannot be created (read-only install)
    assert _staircase(load_rates(rates), 3) == 80
    good = tmp_path / "cache"
    monkeypatch.setattr(compiled, "CACHE_DIR", good)
    load_rates(rates)
    for f in good.iterdir():
        f.write_bytes(b"\x80\x05garbage")  # a truncated or foreign file
    assert _staircase(load_rates(rates), 3) == 80
    monkeypatch.setenv("BUDGETMODEL_NO_CACHE", "1")
    monkeypatch.setattr(book_mod, "_checked_table", lambda *a: (_ for _ in ()).throw(AssertionError("checked")))
    with pytest.raises(AssertionError):
        load_rates(rates)  # switched off: every file checked


def test_an_edited_passivity_assumption_is_used(cache, tmp_path):
    f = tmp_path / "passivity.yaml"
    shutil.copy(data_dir() / "assumptions" / "passivity.yaml", f)
    a = passivity.load_passivity_assumptions(f)
    assert a.anciennity_weeks.value == 52 and a.anciennity_weeks.status == "derived"
    assert passivity.load_passivity_assumptions(f) == a
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("anciennity_weeks:\n  value: 52", "anciennity_weeks:\n  value: 26"), encoding="utf-8")
    assert passivity.load_passivity_assumptions(f).anciennity_weeks.value == 26
    f.write_text(text.replace("anciennity_weeks:\n  value: 52", "anciennity_weeks:\n  value: 0"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        passivity.load_passivity_assumptions(f)
    assert "anciennity_weeks.value" in exc.value.render()


def test_the_refund_grid_is_kept_and_follows_the_tables(cache, rates):
    """The gateway's grid (financing.shares) is kept for the law as filed and built again when a
    table it reads changes; a book with a scenario's overrides always builds its own."""
    import datetime as dt

    import numpy as np

    from budgetmodel.financing import shares

    built = shares.build_share_tables(load_rates(rates))
    kept = shares.share_tables(shares.load_refund_rates(rates))
    assert len(list(cache.glob("grid-*.pickle"))) == 1
    np.testing.assert_array_equal(kept.values, built.values)
    assert shares.share_tables(load_rates(rates)).values.tobytes() == built.values.tobytes()  # the whole book: same grid, same slot
    f = rates / "refusionstrappe.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace('where: {count_week: "1-4"}, value: 80', 'where: {count_week: "1-4"}, value: 70'), encoding="utf-8")
    edited = shares.share_tables(shares.load_refund_rates(rates))
    assert np.any(np.isclose(edited.values, 0.7)) and not np.any(np.isclose(built.values, 0.7))  # the first band: 70 pct., not 80
    book = load_rates(rates)
    over = book.with_overrides([{"table": "refusionstrappe", "where": {"count_week": "1-4"}, "valid_from": dt.date(2016, 1, 4), "value": 50, "source": "test af en reform"}])
    assert not np.array_equal(shares.share_tables(over).values, edited.values, equal_nan=True)


def test_compiled_templates_are_kept_and_follow_their_source(cache, tmp_path):
    """Jinja's compiled templates are kept per environment (html, md) and compiled again when the
    template's source changes; an unwritable folder only means compiling every time."""
    from budgetmodel.reports.render import environment

    root = tmp_path / "templates"
    root.mkdir()
    (root / "t.html").write_text("<p>{{ x }}</p>\n", encoding="utf-8")
    assert environment(root).get_template("t.html").render(x="<a>") == "<p>&lt;a&gt;</p>\n"
    assert list((cache.parent / "jinja-html").iterdir())
    assert environment(root).get_template("t.html").render(x="<a>") == "<p>&lt;a&gt;</p>\n"  # from the kept code
    (root / "t.html").write_text("<b>{{ x }}</b>\n", encoding="utf-8")
    assert environment(root).get_template("t.html").render(x="y") == "<b>y</b>\n"
    md = environment(root, kind="md")
    md.autoescape = False
    assert md.get_template("t.html").render(x="<a>") == "<b><a></b>\n"  # not the html environment's code
    blocker = tmp_path / "file"
    blocker.write_text("")
    compiled.CACHE_DIR = blocker / "compiled"  # restored by the fixture's monkeypatch
    assert environment(root).get_template("t.html").render(x="z") == "<b>z</b>\n"


def test_a_copy_of_the_tables_elsewhere_keeps_its_own_slot_and_the_cache_stays_bounded(cache, rates, tmp_path, monkeypatch):
    """An edited copy of rates/ (a test, a municipality's own folder) does not evict the bundled
    tables' checked form; at most MAX_KEPT files are kept, the least recently written go first."""
    load_rates()
    load_rates(rates)
    assert len(list(cache.glob("rates-*-refusionstrappe.yaml.pickle"))) == 2
    monkeypatch.setattr(book_mod, "_checked_table", lambda *a: (_ for _ in ()).throw(AssertionError("checked again")))
    assert _staircase(load_rates(), 3) == 80  # both still kept
    monkeypatch.setattr(compiled, "MAX_KEPT", 5)
    for i in range(9):
        compiled.cached("k", f"f{i}", "sha", (), lambda: i)
    assert len(list(cache.glob("*.pickle"))) == 5


def test_install_compiles_every_template_ahead(cache):
    """scripts/install.sh compiles the memo's templates once; a memo afterwards loads them from
    the kept bytecode (Jinja's compile is not called)."""
    from budgetmodel.paths import templates_dir
    from budgetmodel.reports import render

    names = sorted(p.name for p in templates_dir().iterdir() if p.suffix in (".html", ".md"))
    assert render.compile_templates() == len(names)
    kept = list((cache.parent / "jinja-html").iterdir()) + list((cache.parent / "jinja-md").iterdir())
    assert len(kept) == len(names)
    html, md = render.environment(), render.environment(kind="md")
    md.autoescape = False
    for env in (html, md):
        env.compile = lambda *a, **k: (_ for _ in ()).throw(AssertionError("compiled again"))  # type: ignore[method-assign]
    for name in names:
        env = md if name.endswith(".md") else html
        assert env.get_template(name).name == name  # from the kept bytecode: compile would raise
