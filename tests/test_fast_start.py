"""A fast start: commands import only what they use, and small panels skip numba (issue 17).

Nothing is timed here (bench/start.py measures); these tests check what is imported and that the
plain-Python and compiled kernels give the same rows."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import typer

import budgetmodel.cli as cli
from budgetmodel import jit
from budgetmodel.financing.panel import from_frame, validate_panel
from budgetmodel.financing.refund import compute_refunds, refund_summary
from budgetmodel.rates import load_rates
from refund_reference import random_panel

FIXTURES = Path(__file__).parent / "fixtures"


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from budgetmodel.cli import app\n"
        "try:\n"
        f"    app({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stderr.split())


HEAVY = ("numba", "pandas", "pydantic", "jinja2", "pyomo", "weasyprint", "openpyxl", "budgetmodel.unitcost", "budgetmodel.reports", "budgetmodel.scenario")


def test_help_imports_no_command_module():
    mods = _modules_after(["--help"])
    assert not [m for m in mods if m.startswith(HEAVY) or m.startswith("budgetmodel.cli.") and m.endswith("_cmd")]
    assert "typer" in mods


def test_refund_of_a_small_panel_loads_neither_numba_nor_pandas():
    _modules_after(["refund", str(FIXTURES / "refund" / "small_panel.csv"), "--json"])  # the first run may check the rate files and keep them
    mods = _modules_after(["refund", str(FIXTURES / "refund" / "small_panel.csv"), "--json"])
    assert "budgetmodel.financing.refund" in mods
    # refund reports the panel's own passive share (STAR 2018, issue 15): its module and the package
    # it lives in, nothing else of unitcost (not the unit-cost profile)
    passivity = {"budgetmodel.unitcost", "budgetmodel.unitcost.passivity"}
    heavy = [m for m in mods if m not in passivity and m.startswith(HEAVY) or m == "pyarrow.parquet"]
    assert heavy == []
    assert "budgetmodel.unitcost.passivity" in mods


def test_refund_of_a_small_panel_imports_only_what_it_uses():
    """No pydantic or YAML (the rate tables and the passivity assumptions come checked from
    :mod:`budgetmodel.compiled`; typer's option values are converted without pydantic), no
    out-of-core engine, no Dask."""
    argv = ["refund", str(FIXTURES / "refund" / "small_panel.csv"), "--json", "--partitions", "2", "--in-memory", "--memory", "1.5"]
    _modules_after(argv)  # the first run may check the files and keep them
    mods = _modules_after(argv)
    unused = ("pydantic", "pydantic_core", "yaml", "typer._adapters", "dask", "distributed", "numba", "pandas", "budgetmodel.financing.partitioned", "budgetmodel.sourcefile", "budgetmodel.rates.file_schema", "pyarrow.parquet")
    assert [m for m in mods if m.startswith(unused)] == []
    assert {"budgetmodel.financing.refund", "budgetmodel.unitcost.passivity", "budgetmodel.compiled"} <= mods


def test_help_lists_every_command_with_the_text_it_registers():
    """The listing read from source equals what the modules register when imported."""
    index = cli._index()
    for module in cli.COMMAND_MODULES:
        sub = typer.Typer()
        __import__(f"budgetmodel.cli.{module}", fromlist=["register"]).register(sub)
        group = typer.main.get_group(sub)
        for name, cmd in group.commands.items():
            assert index[name] == module
            assert cli._HELP[name].strip() == (cmd.help or "").strip(), name
    assert {"refund", "forecast", "rates", "validate", "businesscase"} <= set(index)


def test_plain_python_and_compiled_kernels_give_the_same_rows(monkeypatch):
    book = load_rates()
    df = random_panel(150, seed=17)
    assert len(df) < jit.SMALL_ROWS  # the plain-Python path
    plain = compute_refunds(df, book)
    plain_summary = refund_summary(from_frame(validate_panel(df)), book)
    monkeypatch.setattr(jit, "SMALL_ROWS", 0)  # every kernel compiled by numba
    compiled = compute_refunds(df, book)
    for col in ("spell_week", "count_week", "state_share", "state_dkk", "municipal_dkk"):
        np.testing.assert_array_equal(plain[col].to_numpy(), compiled[col].to_numpy())
    assert refund_summary(from_frame(validate_panel(df)), book) == plain_summary
    assert plain_summary["state_dkk"] > 0 and (plain.count_week > 52).any()


@pytest.mark.parametrize("name", ["durations_kernel", "share_kernel", "sums_from_share", "is_grouped"])
def test_kernels_are_lazy_numba_kernels(name):
    import budgetmodel.financing.refund as refund
    import budgetmodel.financing.shares as shares

    k = getattr(refund, name, None) or getattr(shares, name)
    assert isinstance(k, jit.Kernel)


def test_refund_out_validates_the_panel_once(tmp_path, monkeypatch):
    """read_panel_arrays checks the panel; the engine does not check it again for --out."""
    from typer.testing import CliRunner

    import budgetmodel.financing.refund as refund

    calls = []
    monkeypatch.setattr(refund, "validate_panel", lambda *a, **k: calls.append(a) or (_ for _ in ()).throw(AssertionError("validated twice")))
    res = CliRunner().invoke(cli.app, ["refund", str(FIXTURES / "refund" / "small_panel.csv"), "--json", "--out", str(tmp_path / "rows.csv")])
    assert res.exit_code == 0, res.output
    assert calls == [] and (tmp_path / "rows.csv").read_text().count("\n") == 1 + sum(1 for _ in open(FIXTURES / "refund" / "small_panel.csv")) - 1


def test_jit_as_main_compiles_every_kernel():
    """`python -m budgetmodel.jit` (scripts/install.sh) runs as __main__ and still counts the kernels
    the package registers: every one of them compiled (or loaded from numba's cache)."""
    import budgetmodel.financing.refund  # noqa: F401 - registers the kernels
    import budgetmodel.financing.stream  # noqa: F401 - and the one-pass path's

    out = subprocess.run([sys.executable, "-m", "budgetmodel.jit"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"{len(jit._KERNELS)} kernels compiled" and len(jit._KERNELS) >= 7


def test_command_index_is_cached_and_follows_the_sources(tmp_path, monkeypatch):
    """The command index is read from a cache while the modules are unchanged, and rebuilt from the
    sources when one of them changes (its size or mtime)."""
    cache = tmp_path / "commands.json"
    monkeypatch.setattr(cli, "_INDEX_CACHE", cache)
    parsed = cli._listed()
    assert cache.exists() and cli._listed() == parsed
    data = __import__("json").loads(cache.read_text())
    data["listed"] = [["x"]]
    cache.write_text(__import__("json").dumps(data))
    assert cli._listed() == [["x"]]  # served from the cache
    data["stamp"][0][2] -= 1  # a module changed
    cache.write_text(__import__("json").dumps(data))
    assert cli._listed() == parsed


def test_yaml_goes_through_the_c_parser_with_line_marks():
    """libyaml's C parser (when PyYAML has it, as installed) builds the documents, and every key
    and item keeps its line."""
    import yaml

    from budgetmodel import sourcefile

    if not yaml.__with_libyaml__:  # pragma: no cover - PyYAML without libyaml
        pytest.skip("PyYAML without libyaml")
    assert sourcefile._Loader is yaml.CSafeLoader
    data, lines, problems, _, _ = sourcefile.parse_text("a: 1\nb:\n  - x\n  - {c: 2}\n", "t.yaml")
    assert data == {"a": 1, "b": ["x", {"c": 2}]} and problems == []
    assert lines[("a",)] == 1 and lines[("b", 1)] == 4 and lines[("b", 1, "c")] == 4
