"""Hostile and broken input, one fixture per failure kind (issue 16): each gives exit code 1, one
Danish message naming the file (and line/field where there is one), and never a traceback or a
hang; outputs never replace anything but a regular file."""

from __future__ import annotations

import re

import errno
import os
import shutil
import stat
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.errors import InputError
from budgetmodel.paths import data_dir, rates_dir, scenarios_dir

JOB = scenarios_dir() / "lyngby-taarbaek-2014-jobformidler.yaml"
HEADER = "person_id,week,benefit,activation,amount_dkk\n"


def cli(*args: str):
    r = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in r.output and not isinstance(r.exception, (AssertionError, TypeError, ValueError, KeyError, RecursionError)), r.output
    return r


def refused(*args: str, expect: tuple[str, ...]) -> str:
    r = cli(*args)
    assert r.exit_code == 1, (r.exit_code, r.output)
    for text in expect:
        assert text in r.output, (text, r.output)
    return r.output


def copy_rates(tmp_path: Path) -> Path:
    dst = tmp_path / "rates"
    shutil.copytree(rates_dir(), dst)
    return dst


# ------------------------------------------------------------------------------------ YAML


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")
)


@pytest.mark.parametrize(
    "name, text, expect",
    [
        ("laughs", BILLION_LAUGHS, "YAML-alias '*a' er ikke tilladt"),
        ("recursive", "a: &x [*x]\n", "YAML-alias '*x' er ikke tilladt"),
        ("deep", "a: " + "{b: " * 200 + "1" + "}" * 200 + "\n", "dybere end 40 niveauer"),
        ("deep_seq", "[" * 100000 + "]" * 100000, "YAML-syntaksfejl"),
        ("two_docs", "a: 1\n---\nb: 2\n", "mere end ét YAML-dokument"),
        ("python_tag", "a: !!python/object/apply:os.system ['true']\n", "er ikke tilladt"),
        ("nan", "a: .nan\n", "'.nan' er ikke et endeligt tal"),
        ("inf", "a: [1, -.inf]\n", "'-.inf' er ikke et endeligt tal"),
        ("huge_int", "a: 1" + "0" * 30 + "\n", "er for stort"),
    ],
)
def test_hostile_yaml_is_one_located_error(tmp_path, name, text, expect):
    f = tmp_path / f"{name}.yaml"
    f.write_text(text, encoding="utf-8")
    out = refused("validate", f, expect=(expect, str(f)))
    assert len(out) < 5000  # a bounded message, however many aliases the file holds


def test_yaml_in_other_encodings(tmp_path):
    u16 = tmp_path / "u16.yaml"
    u16.write_bytes("kind: scenario\nid: x\n".encode("utf-16"))  # with BOM: decoded, then checked as usual
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("id: x\ntitle: Bælt\n".encode("latin-1"))
    refused("validate", latin, expect=(f"{latin}:2:", "ikke gyldig UTF-8", "byte 0xe6", "gem filen som UTF-8"))
    refused("validate", u16, expect=(str(u16),))  # read, then an incomplete scenario: located problems


def test_a_non_yaml_file_in_rates_is_not_echoed(tmp_path):
    rates = copy_rates(tmp_path)
    secret = "HEMMELIG-" + "x" * 5000
    (rates / "notes.yaml").write_text(f"Dette er ikke en satstabel. {secret}\n", encoding="utf-8")
    out = refused("validate", rates, expect=("notes.yaml",))
    assert secret not in out and len(out) < 2000


# ------------------------------------------------------------------------------------ special files


@pytest.mark.parametrize("kind", ["fifo", "devzero", "outside_link"])
def test_special_files_in_rates_and_data_are_refused_without_reading(tmp_path, kind):
    rates = copy_rates(tmp_path)
    target = rates / "zzz.yaml"
    if kind == "fifo":
        os.mkfifo(target)
        expect = "FIFO"
    elif kind == "devzero":
        target.symlink_to("/dev/zero")
        expect = "peger ud af mappen"
    else:
        outside = tmp_path / "outside.yaml"
        shutil.copy(rates / "budgetgaranti.yaml", outside)
        target.symlink_to(outside)
        expect = "peger ud af mappen"
    refused("validate", rates, expect=(str(target), expect))
    refused("rates", "list", "--rates", rates, expect=(str(target), expect))


def test_a_device_named_directly_is_refused():
    refused("validate", "/dev/zero", expect=("/dev/zero", "enhedsfil"))
    refused("refund", "/dev/zero", "--in-memory", expect=("/dev/zero", "enhedsfil"))


def test_a_fifo_in_data_is_refused(tmp_path):
    from budgetmodel.statistics.table import load_tables

    data = tmp_path / "data"
    shutil.copytree(data_dir() / "mploy2013", data / "mploy2013")
    os.mkfifo(data / "mploy2013" / "zzz.csv")
    with pytest.raises(InputError, match="FIFO"):
        load_tables(data)


def test_a_fifo_named_as_a_scenario_or_panel(tmp_path):
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    refused("validate", fifo, expect=("FIFO",))
    refused("run", fifo, expect=("FIFO",))
    pfifo = tmp_path / "p.csv"
    os.mkfifo(pfifo)
    refused("refund", pfifo, "--in-memory", expect=("FIFO",))


# ------------------------------------------------------------------------------------ rates typed


@pytest.mark.parametrize("value, expect", [("-5", "uden for"), ("0", "uden for"), ("true", "forventede et tal"), ("1000000", "uden for"), ("52.5", "helt antal"), ('"52"', "forventede et tal")])
def test_staircase_restart_weeks_are_whole_weeks_in_range(tmp_path, value, expect):
    rates = copy_rates(tmp_path)
    f = rates / "refusionstrappe_regler.yaml"
    text = f.read_text(encoding="utf-8")
    old = "where: {parameter: restart_selfsupport_weeks}, unit: weeks, value: 52,"
    assert old in text
    f.write_text(text.replace(old, f"where: {{parameter: restart_selfsupport_weeks}}, unit: weeks, value: {value},"), encoding="utf-8")
    refused("validate", f, expect=(f"{f}:", "values.1.value", expect))
    refused("refund", Path(__file__).parent / "fixtures" / "refund" / "small_panel.csv", "--rates", rates, expect=(expect,))


# ------------------------------------------------------------------------------------ scenarios


def scenario(tmp_path: Path, body: str, name: str = "s.yaml") -> Path:
    f = tmp_path / name
    f.write_text(f"kind: scenario\nid: s\ntitle: S\nextends: [{JOB}]\n{body}", encoding="utf-8")
    return f


@pytest.mark.parametrize(
    "body, expect",
    [
        ("sensitivity:\n  tornado:\n    - {parameter: initiatives.personlig_jobformidler.persons_per_staff, label: x, low: -.inf, high: 30}\n", "ikke et endeligt tal"),
        ("initiatives:\n  personlig_jobformidler:\n    persons_per_staff: .nan\n", "ikke et endeligt tal"),
    ],
)
def test_nan_and_inf_in_a_scenario_fail_validate_and_run(tmp_path, body, expect):
    f = scenario(tmp_path, body)
    refused("validate", f, expect=(str(f), expect))
    refused("run", f, expect=(str(f), expect))


def test_extends_outside_the_scenario_folder_is_refused_unread(tmp_path):
    f = tmp_path / "evil.yaml"
    f.write_text("kind: scenario\nid: e\ntitle: E\nextends: [/etc/passwd, ../../../../../etc/hostname]\n", encoding="utf-8")
    out = refused("run", f, expect=(f"{f}:4: [extends.0]", "uden for scenariets mapper", "[extends.1]"))
    assert "root:" not in out


def test_a_link_out_of_the_scenario_folder_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    secret = elsewhere / "secret.yaml"
    secret.write_text("kind: scenario-fragment\nnote: HEMMELIG\n", encoding="utf-8")
    folder = tmp_path / "scen"
    folder.mkdir()
    (folder / "part.yaml").symlink_to(secret)
    f = folder / "s.yaml"
    f.write_text("kind: scenario\nid: e\ntitle: E\nextends: [part.yaml]\n", encoding="utf-8")
    out = refused("run", f, expect=("uden for scenariets mapper",))
    assert "HEMMELIG" not in out


def test_profile_and_panel_paths_are_confined(tmp_path):
    f = scenario(tmp_path, "municipality:\n  staff:\n    profile: /etc/passwd\n")
    refused("run", f, expect=("municipality.staff.profile", "uden for scenariets mapper"))
    g = scenario(tmp_path, "municipality:\n  caseload:\n    forecast:\n      years: 3\n      panel: /etc/hostname\n", name="g.yaml")
    refused("validate", g, expect=("municipality.caseload.forecast.panel", "uden for scenariets mapper"))


def test_allowed_folder_from_the_environment(tmp_path, monkeypatch):
    from budgetmodel.scenario.compose import compose

    other = tmp_path / "other"
    other.mkdir()
    part = other / "part.yaml"
    part.write_text("kind: scenario-fragment\n", encoding="utf-8")
    folder = tmp_path / "scen"
    folder.mkdir()
    f = folder / "s.yaml"
    f.write_text(f"kind: scenario\nid: e\ntitle: E\nextends: [{part}]\n", encoding="utf-8")
    with pytest.raises(InputError, match="uden for scenariets mapper"):
        compose(f)
    monkeypatch.setenv("BUDGETMODEL_ALLOW", str(other))
    assert compose(f).files[0][0] == str(part)


# ------------------------------------------------------------------------------------ panels


def write_panel(tmp_path: Path, name: str, rows: str) -> Path:
    p = tmp_path / name
    p.write_text(HEADER + rows, encoding="utf-8")
    return p


def test_nan_person_id_in_parquet_is_missing_not_a_person(tmp_path):
    p = tmp_path / "p.parquet"
    pq.write_table(pa.table({"person_id": [1.0, float("nan"), 2.5], "week": ["2016-W01"] * 3, "benefit": ["kontanthjaelp"] * 3, "activation": ["none"] * 3, "amount_dkk": [1000.0] * 3}), p)
    refused("refund", p, "--in-memory", expect=(f"{p}:2: [person_id]", "mangler en værdi", f"{p}:3: [person_id]", "hverken tekst eller et helt tal"))


def test_duplicated_columns_are_an_error(tmp_path):
    c = tmp_path / "dup.csv"
    c.write_text("person_id,week,benefit,activation,amount_dkk,amount_dkk\n1,2016-W01,kontanthjaelp,none,1,2\n", encoding="utf-8")
    refused("refund", c, "--in-memory", expect=(f"{c}:1: [amount_dkk]", "står 2 gange"))
    p = tmp_path / "dup.parquet"
    t = pa.Table.from_arrays([pa.array([1]), pa.array(["2016-W01"]), pa.array(["kontanthjaelp"]), pa.array(["none"]), pa.array([1.0]), pa.array([2.0])], names=[*HEADER.strip().split(","), "amount_dkk"])
    pq.write_table(t, p)
    refused("refund", p, "--in-memory", expect=(f"{p}: [amount_dkk]", "står 2 gange"))


@pytest.mark.parametrize(
    "encoding, expect",
    [("utf-16", "UTF-16-kodet"), ("utf-16-le", "NUL-byte"), ("latin-1", "ikke gyldig UTF-8: byte 0xe6")],
)
def test_panel_encodings_are_refused_with_a_message(tmp_path, encoding, expect):
    p = tmp_path / "p.csv"
    p.write_bytes((HEADER + "1,2016-W01,kontanthjaelp,none,1000\næ,2016-W01,kontanthjaelp,none,1000\n").encode(encoding))
    refused("refund", p, "--in-memory", expect=(str(p), expect, "UTF-8"))


def test_maximal_float_amount_is_refused(tmp_path):
    p = write_panel(tmp_path, "p.csv", "1,2016-W01,kontanthjaelp,none,1.7976931348623157e308\n2,2016-W01,kontanthjaelp,none,1e400\n")
    refused("refund", p, "--in-memory", expect=(f"{p}:2: [amount_dkk]", "over 100.000.000 kr.", f"{p}:3: [amount_dkk]", "ikke endeligt"))


def test_running_out_of_memory_is_a_message(tmp_path, monkeypatch):
    import budgetmodel.financing.panel as panel

    p = write_panel(tmp_path, "p.csv", "1,2016-W01,kontanthjaelp,none,1000\n")

    def boom(*a, **k):
        raise MemoryError

    monkeypatch.setattr(panel, "read_panel_arrays", boom)
    out = refused("refund", p, "--in-memory", expect=(str(p), "hukommelsen slap op", "MB", "--partitioned"))
    assert "MemoryError" not in out


# ------------------------------------------------------------------------------------ outputs


@pytest.mark.parametrize("kind", ["fifo", "devnull_link", "proc_fd", "folder", "trailing_slash", "dangling"])
def test_out_never_replaces_a_non_regular_file(tmp_path, kind):
    target = tmp_path / "out"
    arg = str(target)
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "devnull_link":
        target.symlink_to("/dev/null")
    elif kind == "proc_fd":
        target.symlink_to("/proc/self/fd/1")
    elif kind == "folder":
        target.mkdir()
    elif kind == "trailing_slash":
        arg = str(tmp_path / "nyt") + "/"
    else:
        target.symlink_to(tmp_path / "nowhere" / "x")
    before = os.lstat(target).st_mode if os.path.lexists(target) else None
    refused("businesscase", JOB, "--format", "md", "--out", arg, expect=("[--out]",))
    if before is not None:
        assert os.lstat(target).st_mode == before  # untouched
    assert not (tmp_path / "nyt").exists() or (tmp_path / "nyt").is_dir()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_dev_null_itself_is_refused():
    refused("businesscase", JOB, "--format", "md", "--out", "/dev/null", expect=("/dev/null", "kun almindelige filer"))
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_stale_temporary_files_are_removed_and_failures_leave_none(tmp_path, monkeypatch):
    from budgetmodel import outfile

    stale = tmp_path / ".memo.md.999999999.abcd.tmp"  # from a killed run (no such process)
    stale.write_text("halv", encoding="utf-8")
    r = cli("businesscase", JOB, "--format", "md", "--out", tmp_path / "memo.md")
    assert r.exit_code == 0 and not stale.exists()

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outfile.os, "fsync", full)
    target = tmp_path / "b.md"
    with pytest.raises(InputError) as exc:
        outfile.write_atomic(target, "x")
    msg = str(exc.value)
    assert str(target) in msg and "disken er fuld" in msg and ".tmp" not in msg
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memo.md"]


def test_xlsx_holds_no_formula_from_input_text(tmp_path):
    from openpyxl import load_workbook

    f = scenario(
        tmp_path,
        "assumptions:\n  duration_effect: {value: 0.0, status: assumption, source: '=HYPERLINK(\"http://x\",\"klik\")', note: '@SUM(A1)'}\n",
    )
    out = tmp_path / "m.xlsx"
    r = cli("businesscase", f, "--format", "xlsx", "--out", out)
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    # the only formulas are the report's own sums and differences over its cells (issue 13), never input text
    formulas = [c.value for c in cells if c.data_type == "f"]
    assert formulas and all(re.fullmatch(r"=[A-Z0-9$:,()+\-*/.]+", v) for v in formulas), formulas
    hyper = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert hyper and all(c.data_type == "s" and c.quotePrefix for c in hyper)


def test_markdown_escapes_raw_html_from_input(tmp_path):
    f = scenario(tmp_path, "memo:\n  template: businesscase\n  heading: 'Jobformidlere <script>alert(1)</script>'\n  date: 2014-01-20\n  source: test\n")
    out = tmp_path / "m.md"
    r = cli("businesscase", f, "--format", "md", "--out", out)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_project_laid_out_like_the_repository_reads_its_data_folder(tmp_path):
    from budgetmodel.scenario.compose import compose

    (tmp_path / "data").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "scenarios").mkdir()
    for folder in ("data", "other"):
        (tmp_path / folder / "part.yaml").write_text("kind: scenario-fragment\n", encoding="utf-8")
    ok = tmp_path / "scenarios" / "ok.yaml"
    ok.write_text("kind: scenario\nid: a\ntitle: A\nextends: [../data/part.yaml]\n", encoding="utf-8")
    assert compose(ok).files[0][0].endswith("data/part.yaml")
    bad = tmp_path / "scenarios" / "bad.yaml"
    bad.write_text("kind: scenario\nid: a\ntitle: A\nextends: [../other/part.yaml]\n", encoding="utf-8")
    with pytest.raises(InputError, match="uden for scenariets mapper"):
        compose(bad)
