"""Property-based checks over every loader (issue 16): whatever a file holds, a loader either
accepts it or raises one InputError (never another exception, never a hang), and what
``validate`` accepts the engines run without crashing and without silently wrong totals.

Fixed seed (derandomize) and a bounded number of examples keep this fast and reproducible."""

from __future__ import annotations

import copy
import csv
import io
import math
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetmodel.codes import ACTIVATIONS, BENEFITS
from budgetmodel.errors import InputError
from budgetmodel.paths import data_dir, rates_dir, scenarios_dir

SETTINGS = settings(max_examples=40, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
FEW = settings(SETTINGS, max_examples=15)

# values a careless export or an attacker puts where a number, a date or a code belongs
HOSTILE = st.one_of(
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1.7976931348623157e308, -1e300, 10**30, -5, 0, True, False, None, "", "=1+1", "@SUM(A1)", "<script>x</script>", "1e6", "2014-13-01", "null", "*a"]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def leaves(data: Any, loc: tuple = ()) -> list[tuple]:
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in leaves(v, (*loc, k))] or [loc]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in leaves(v, (*loc, i))] or [loc]
    return [loc]


def replaced(data: Any, loc: tuple, value: Any) -> Any:
    out = copy.deepcopy(data)
    if not loc:
        return value
    node = out
    for k in loc[:-1]:
        node = node[k]
    node[loc[-1]] = value
    return out


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def expect_input_error_or_ok(fn, *args, **kwargs):
    """Run a loader: its result, or None when it raised InputError (any other exception fails)."""
    try:
        return fn(*args, **kwargs)
    except InputError as exc:
        assert exc.problems and all(p.file for p in exc.problems)
        assert "Traceback" not in exc.render()
        return None


# ------------------------------------------------------------------------------------ YAML bytes


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused(raw):
    from budgetmodel.validation import validate_paths

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "x.yaml"
        f.write_bytes(raw)
        expect_input_error_or_ok(validate_paths, [f])


YAML_TOKENS = st.sampled_from(["a", ":", " ", "\n", "- ", "[", "]", "{", "}", "&x", "*x", "!!str", "!!python/name:os", "---", "'", '"', "#", ".nan", "-.inf", "1e400", "?", "|", ">", "\t", "2014-02-30", "~"])


@SETTINGS
@given(st.lists(YAML_TOKENS, max_size=60))
def test_yaml_shaped_text_is_read_or_refused(tokens):
    from budgetmodel.sourcefile import load_yaml

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "x.yaml"
        f.write_text("".join(tokens), encoding="utf-8")
        doc = expect_input_error_or_ok(load_yaml, f)
        if doc is not None:  # accepted: no NaN or infinity anywhere in it
            stack = [doc.data]
            while stack:
                v = stack.pop()
                if isinstance(v, dict):
                    stack.extend(v.values())
                    stack.extend(v.keys())
                elif isinstance(v, list):
                    stack.extend(v)
                elif isinstance(v, float):
                    assert math.isfinite(v)


# ------------------------------------------------------------------------------------ rates


RATE_FILES = sorted(p.name for p in rates_dir().glob("*.yaml"))


@SETTINGS
@given(st.sampled_from(RATE_FILES), st.data())
def test_a_mutated_rate_table_is_refused_or_typed(name, data):
    from budgetmodel.rates.book import check_value, load_table

    original = yaml.safe_load((rates_dir() / name).read_text(encoding="utf-8"))
    loc = data.draw(st.sampled_from(leaves(original)))
    value = data.draw(HOSTILE)
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / name
        f.write_text(dump(replaced(original, loc, value)), encoding="utf-8")
        table = expect_input_error_or_ok(load_table, f)
    if table is not None:  # accepted: every value fits its unit (no NaN, no out-of-range, typed)
        for e in table.spec.values:
            assert check_value(e.unit or table.spec.unit, e.value) is None
            if isinstance(e.value, float):
                assert math.isfinite(e.value)


# ------------------------------------------------------------------------------------ scenarios


@pytest.fixture(scope="module")
def book():
    from budgetmodel.rates import load_rates

    return load_rates()


@pytest.fixture(scope="module")
def resolved(book):
    from budgetmodel.scenario.load import load_scenario

    return load_scenario(scenarios_dir() / "lyngby-taarbaek-2016-refusionstrappe.yaml", book).resolved


@FEW
@given(st.data())
def test_a_scenario_validate_accepts_runs(book, resolved, data):
    """What validate accepts, run computes (no crash) with finite results."""
    from budgetmodel.scenario.load import load_scenario
    from budgetmodel.scenario.run import run_scenario
    from budgetmodel.validation import validate_paths

    loc = data.draw(st.sampled_from([x for x in leaves(resolved) if x and x[0] not in ("memo", "description", "title")]))
    value = data.draw(HOSTILE)
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "s.yaml"
        f.write_text(dump(replaced(resolved, loc, value)), encoding="utf-8")
        if expect_input_error_or_ok(validate_paths, [f]) is None:
            return
        loaded = load_scenario(f, book)
        result = run_scenario(loaded, book)
        for line in getattr(result, "lines", []) or []:
            for v in getattr(line, "dkk", {}).values():
                assert math.isfinite(v)


# ------------------------------------------------------------------------------------ profiles, assumptions


@FEW
@given(st.sampled_from(["profiles/lyngby_taarbaek.yaml", "profiles/varde.yaml"]), st.data())
def test_a_mutated_profile_is_refused_or_used(rel, data):
    from typer.testing import CliRunner

    from budgetmodel.cli import app

    original = yaml.safe_load((data_dir() / rel).read_text(encoding="utf-8"))
    loc = data.draw(st.sampled_from(leaves(original)))
    value = data.draw(HOSTILE)
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / Path(rel).name
        f.write_text(dump(replaced(original, loc, value)), encoding="utf-8")
        v = CliRunner().invoke(app, ["validate", str(f)])
        assert v.exit_code in (0, 1) and "Traceback" not in v.output, v.output
        u = CliRunner().invoke(app, ["unitcost", str(f), "--json"])
        assert "Traceback" not in u.output and u.exit_code in (0, 1), u.output
        if v.exit_code == 0:
            assert u.exit_code == 0, u.output  # validate catches whatever unitcost would


@SETTINGS
@given(st.data())
def test_mutated_forecast_assumptions(data):
    from budgetmodel.forecast.assumptions import load_assumptions
    from budgetmodel.validation import validate_paths

    original = yaml.safe_load((scenarios_dir() / "forecast" / "standard.yaml").read_text(encoding="utf-8"))
    loc = data.draw(st.sampled_from(leaves(original)))
    value = data.draw(HOSTILE)
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "a.yaml"
        f.write_text(dump(replaced(original, loc, value)), encoding="utf-8")
        if expect_input_error_or_ok(validate_paths, [f]) is not None:
            load_assumptions(f)  # validate accepted it: the loader does too


# ------------------------------------------------------------------------------------ data CSVs


@SETTINGS
@given(st.data())
def test_a_mutated_statistics_table_is_refused_or_read(data):
    from budgetmodel.statistics.table import load_table

    src = sorted((data_dir() / "mploy2013").glob("*.csv"))
    path = data.draw(st.sampled_from(src))
    lines = path.read_text(encoding="utf-8").splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    junk = data.draw(st.one_of(st.text(max_size=40), st.sampled_from(["1" * 400, "nan", "inf", "-", ";;;;", '"', "=1+1", "\x00"])))
    lines[i] = lines[i] + junk if data.draw(st.booleans()) else junk
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / path.name
        f.write_text("\n".join(lines) + "\n", encoding="utf-8")
        t = expect_input_error_or_ok(load_table, f)
    if t is not None:
        for row in t.rows:
            for cell in row.cells.values():
                v = getattr(cell, "value", None)
                assert v is None or math.isfinite(v)


# ------------------------------------------------------------------------------------ panels

WEEKS = st.one_of(st.sampled_from(["2015-W10", "2016-W01", "2016-W02", "2017-W30", "2015-W53"]), st.text(max_size=10), st.sampled_from(["2016-W54", "2016-W00", "16-W01", "", "nan"]))
IDS = st.one_of(st.integers(-5, 30), st.text(max_size=6), st.sampled_from(["", "nan", "NULL", " 7", "007"]))
AMOUNTS = st.one_of(
    st.floats(min_value=0, max_value=5e4, allow_nan=False),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "abc", "1e400", "1.7976931348623157e308", "-1", "1,5", "0x10"]),
)
ROW = st.tuples(IDS, WEEKS, st.one_of(st.sampled_from(BENEFITS), st.text(max_size=6)), st.one_of(st.sampled_from(ACTIVATIONS), st.text(max_size=6)), AMOUNTS)


def check_panel_result(arrays, book) -> None:
    from budgetmodel.financing.refund import refund_summary

    assert all(math.isfinite(a) and 0 <= a <= 1e8 for a in arrays.amount)
    if arrays.person_labels is not None:
        assert all(lbl.strip() and lbl.lower() != "nan" for lbl in arrays.person_labels)
    try:
        s = refund_summary(arrays, book)
    except InputError:
        return
    assert math.isfinite(s["gross_dkk"]) and abs(s["gross_dkk"] - round(float(sum(arrays.amount)), 2)) <= 0.01 * max(1, len(arrays))
    assert abs(s["state_dkk"] + s["municipal_dkk"] - s["gross_dkk"]) <= 0.02 * max(1, len(arrays))


@SETTINGS
@given(st.lists(ROW, min_size=1, max_size=8), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]), st.booleans())
def test_csv_panels_are_refused_or_priced(book, rows, encoding, dup):
    from budgetmodel.financing.panel import read_panel_arrays

    buf = io.StringIO()
    w = csv.writer(buf)
    header = ["person_id", "week", "benefit", "activation", "amount_dkk"] + (["amount_dkk"] if dup else [])
    w.writerow(header)
    for r in rows:
        w.writerow([*r, *(["1"] if dup else [])])
    try:
        raw = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        raw = buf.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "p.csv"
        f.write_bytes(raw)
        arrays = expect_input_error_or_ok(read_panel_arrays, f)
        if dup:
            assert arrays is None
        if arrays is not None:
            check_panel_result(arrays, book)


@SETTINGS
@given(
    st.lists(st.tuples(st.one_of(st.none(), st.just(float("nan")), st.floats(-1e12, 1e12), st.integers(-3, 40)), st.sampled_from(["2016-W01", "2016-W02", "1990-W01"]), st.sampled_from(BENEFITS), st.sampled_from(ACTIVATIONS), st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))), min_size=1, max_size=6),
    st.booleans(),
)
def test_parquet_panels_are_refused_or_priced(book, rows, float_ids):
    from budgetmodel.financing.panel import read_panel_arrays

    ids = [r[0] for r in rows]
    if float_ids:
        ids = [float(x) if x is not None else float("nan") for x in ids]
    else:
        ids = [None if isinstance(x, float) and (math.isnan(x) or x != int(x)) else (int(x) if x is not None else None) for x in ids]
    t = pa.table({"person_id": ids, "week": [r[1] for r in rows], "benefit": [r[2] for r in rows], "activation": [r[3] for r in rows], "amount_dkk": pa.array([r[4] for r in rows], pa.float64())})
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "p.parquet"
        pq.write_table(t, f)
        arrays = expect_input_error_or_ok(read_panel_arrays, f)
        if arrays is not None:
            assert len(arrays) == len(rows)
            n_missing = sum(1 for x in ids if x is None or (isinstance(x, float) and math.isnan(x)))
            assert n_missing == 0  # a missing id is never a person
            check_panel_result(arrays, book)
