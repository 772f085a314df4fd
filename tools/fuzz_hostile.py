"""Fuzz campaign over every loader, run against a checkout through the real CLI (issue 16).

    .venv/bin/python tools/fuzz_hostile.py [--cases 40] [--seed 16] [--jobs 4] [--bin .venv/bin/budgetmodel]

For each loader (rate tables, scenarios, unit-cost profiles, statistics CSVs in data/, forecast
assumptions, CSV and Parquet panels, and --out targets) it writes broken or hostile files in a
temporary folder and runs the commands that read them, each in its own process with a 60 s
timeout. It counts:

- tracebacks: "Traceback" on stdout/stderr, or an exit code other than 0 and 1;
- hangs: a run past 60 s;
- exit 0 on bad input: a case built to be invalid (NaN, alias, unknown key, out of range, bad
  encoding, FIFO, device, confinement …) that a command accepted;
- silent wrong results: a valid panel whose reported gross total differs from the sum of its
  amounts, or an --out that replaced something other than a regular file.

Round 2 adds: weeks, years and dates outside the law's validity in every route (refund in
memory, partitioned and Parquet, forecast, scenario years and law.as_if) — the refusal must say
"ingen regel for"; --rates folders missing a table the model reads — the refusal must name it;
scenarios whose forecast panel has a bad cell — validate and run must name the panel's line; and
scenario text starting with = + - @ in every xlsx output (businesscase, compare, konverter, ny
--xlsx) — no cell may hold it as a formula. A refusal with the wrong message counts as a silent
wrong result.

Prints one JSON object with the counts and the first failures; exit code 1 if any count is > 0.
The same seed gives the same cases.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60

BENEFITS = ("kontanthjaelp", "uddannelseshjaelp", "dagpenge", "sygedagpenge")
ACTIVATIONS = ("none", "virksomhedspraktik", "loentilskud", "vejledning_opkvalificering")

BAD_SCALARS = [float("nan"), float("inf"), -float("inf"), 10**30, -(10**30)]
ODD_SCALARS = [-5, 0, True, 1e6, "", "=1+1", "<script>x</script>", None, [], {}, "2014-13-01", 1.7976931348623157e308, "x" * 5000]


@dataclass
class Case:
    loader: str
    kind: str
    argv: list[str]
    bad: bool  # built to be invalid: exit 0 is a failure
    check: object = None  # callable(stdout) -> str | None (a silent wrong result)
    after: object = None  # callable() -> str | None (damage after the run)
    env: dict = field(default_factory=dict)
    message: object = None  # callable(stdout + stderr) -> str | None: what a refusal must say


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def leaves(data, loc=()):
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in leaves(v, (*loc, k))] or [loc]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in leaves(v, (*loc, i))] or [loc]
    return [loc]


def put(data, loc, value):
    node = data
    for k in loc[:-1]:
        node = node[k]
    node[loc[-1]] = value


# raw hostile YAML texts: every one is invalid input
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")
)
HOSTILE_YAML = {
    "billion_laughs": BILLION_LAUGHS,
    "recursive_alias": "a: &x [*x]\n",
    "deep_map": "a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n",
    "deep_seq": "[" * 200000 + "]" * 200000,
    "python_tag": "a: !!python/object/apply:os.system ['echo pwned']\n",
    "two_docs": "id: a\n---\nid: b\n",
    "prose": "Dette er ikke YAML men et langt notat. " * 400,
    "nan_top": "value: .nan\n",
}


def write_hostile_file(path: Path, kind: str, rng: random.Random) -> None:
    if kind in HOSTILE_YAML:
        path.write_text(HOSTILE_YAML[kind], encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "devzero":
        path.symlink_to("/dev/zero")
    elif kind == "latin1":
        path.write_bytes("id: bælt\nunit: pct\n".encode("latin-1"))
    elif kind == "utf16_nobom":
        path.write_bytes("id: x\n".encode("utf-16-le"))
    elif kind == "binary":
        path.write_bytes(bytes(rng.randrange(256) for _ in range(300)))
    else:
        raise ValueError(kind)


RAW_KINDS = [*HOSTILE_YAML, "fifo", "devzero", "latin1", "utf16_nobom", "binary"]


# ------------------------------------------------------------------------------------ rates


def rate_cases(rng: random.Random, n: int, work: Path) -> list[Case]:
    out = []
    files = sorted((ROOT / "rates").glob("*.yaml"))
    panel = ROOT / "tests" / "fixtures" / "refund" / "small_panel.csv"
    for k in range(n):
        d = work / f"rates{k}"
        shutil.copytree(ROOT / "rates", d)
        target = d / rng.choice(files).name
        mode = rng.choice(["raw", "bad_value", "odd_value", "unknown_key", "restart"])
        bad = True
        if mode == "raw":
            target.unlink()
            kind = rng.choice(RAW_KINDS)
            write_hostile_file(target, kind, rng)
        else:
            data = yaml.safe_load(target.read_text(encoding="utf-8"))
            kind = mode
            if mode == "restart":
                target = d / "refusionstrappe_regler.yaml"
                data = yaml.safe_load(target.read_text(encoding="utf-8"))
                e = next(v for v in data["values"] if v["where"]["parameter"] == "restart_selfsupport_weeks")
                e["value"] = rng.choice([-5, 0, True, 1e6, "52", 52.5, None])
            elif mode == "unknown_key":
                data["values"][rng.randrange(len(data["values"]))]["colour"] = "red"
            else:
                loc = rng.choice([x for x in leaves(data) if x and x[0] == "values" and x[-1] == "value"] or leaves(data))
                if mode == "bad_value":
                    put(data, loc, rng.choice(BAD_SCALARS))
                else:
                    put(data, loc, rng.choice(ODD_SCALARS))
                    bad = False  # some odd values fit some units
            target.write_text(dump(data), encoding="utf-8")
        out.append(Case("rates", kind, ["validate", str(d)], bad))
        out.append(Case("rates", kind, ["rates", "list", "--json", "--rates", str(d)], bad))
        if mode in ("restart",) or (mode == "raw" and target.stem in ("refusionstrappe", "refusionstrappe_regler", "refusion_forsoergelse", "dagpenge_medfinansiering")):
            out.append(Case("rates", kind, ["refund", str(panel), "--json", "--in-memory", "--rates", str(d)], bad))
    return out


# ------------------------------------------------------------------------------------ scenarios


SCENARIO = ROOT / "scenarios" / "lyngby-taarbaek-2016-refusionstrappe.yaml"
TOY = ROOT / "tests" / "fixtures" / "scenarios" / "staircase-toy.yaml"  # no initiatives or series by year
SCENARIO_BAD_BODIES = [
    "initiatives: .nan\n",
    "years: [1990, 2200]\n",
    "extends_extra: 1\n",
    "sensitivity:\n  seed: 1\n  draws: 100\n  tornado:\n    - {parameter: assumptions.duration_effect, label: x, low: -.inf, high: 0.5}\n",
    "sensitivity:\n  seed: 1\n  draws: 100\n  tornado:\n    - {parameter: assumptions.duration_effect, label: x, low: -5, high: 0.5}\n",
    "municipality:\n  staff:\n    profile: /etc/passwd\n",
    "municipality:\n  caseload:\n    forecast:\n      years: 2\n      panel: /etc/hostname\n",
    "law: {rates_at: 1990-01-01}\n",
]


def scenario_cases(rng: random.Random, n: int, work: Path) -> list[Case]:
    out = []
    base = yaml.safe_load(subprocess.run([sys.executable, "-c", "import sys,yaml\nfrom budgetmodel.scenario.load import load_scenario\nprint(yaml.safe_dump(load_scenario(sys.argv[1]).resolved, allow_unicode=True))", str(SCENARIO)], capture_output=True, text=True, check=True).stdout)
    for k in range(n):
        d = work / f"scen{k}"
        d.mkdir()
        f = d / "s.yaml"
        mode = rng.choice(["body", "leaf_bad", "leaf_odd", "raw", "extends"])
        bad = True
        if mode == "body":
            body = rng.choice(SCENARIO_BAD_BODIES)
            f.write_text(f"kind: scenario\nid: s\ntitle: S\nextends: [{SCENARIO}]\n{body}", encoding="utf-8")
            kind = "body:" + body.split(":")[0]
        elif mode in ("leaf_bad", "leaf_odd"):
            data = json.loads(json.dumps(base, default=str))
            data = yaml.safe_load(dump(base))
            loc = rng.choice([x for x in leaves(data) if x and x[0] not in ("title", "description", "memo")])
            put(data, loc, rng.choice(BAD_SCALARS if mode == "leaf_bad" else ODD_SCALARS))
            bad = mode == "leaf_bad"
            f.write_text(dump(data), encoding="utf-8")
            kind = mode + ":" + ".".join(map(str, loc))[:60]
        elif mode == "extends":
            f.write_text(f"kind: scenario\nid: s\ntitle: S\nextends: [{rng.choice(['/etc/passwd', '../../../../etc/hostname', '/dev/zero', '/proc/self/environ'])}]\n", encoding="utf-8")
            kind = "extends_outside"
        else:
            kind = rng.choice(RAW_KINDS)
            write_hostile_file(f, kind, rng)
        out.append(Case("scenarios", kind, ["validate", str(f)], bad))
        out.append(Case("scenarios", kind, ["run", str(f), "--json", "--save-resolved", str(d / "r.yaml")], bad))
    return out


# ------------------------------------------------------------------------------------ profiles, assumptions


def yaml_mutation_cases(loader: str, source: Path, argv_for, rng: random.Random, n: int, work: Path) -> list[Case]:
    out = []
    base = yaml.safe_load(source.read_text(encoding="utf-8"))
    for k in range(n):
        d = work / f"{loader}{k}"
        d.mkdir()
        f = d / source.name
        mode = rng.choice(["leaf_bad", "leaf_odd", "raw"])
        if mode == "raw":
            kind = rng.choice(RAW_KINDS)
            write_hostile_file(f, kind, rng)
            bad = True
        else:
            data = yaml.safe_load(dump(base))
            loc = rng.choice([x for x in leaves(data) if x])
            put(data, loc, rng.choice(BAD_SCALARS if mode == "leaf_bad" else ODD_SCALARS))
            f.write_text(dump(data), encoding="utf-8")
            kind = mode + ":" + ".".join(map(str, loc))[:60]
            bad = mode == "leaf_bad"
        for argv in argv_for(f):
            out.append(Case(loader, kind, argv, bad))
    return out


# ------------------------------------------------------------------------------------ data CSVs


def data_cases(rng: random.Random, n: int, work: Path) -> list[Case]:
    out = []
    csvs = sorted((ROOT / "data" / "mploy2013").glob("*.csv"))
    for k in range(n):
        d = work / f"data{k}"
        shutil.copytree(ROOT / "data", d)
        target = d / "mploy2013" / rng.choice(csvs).name
        mode = rng.choice(["cell", "raw"])
        if mode == "raw":
            target.unlink()
            kind = rng.choice(["fifo", "devzero", "latin1", "utf16_nobom", "binary"])
            write_hostile_file(target, kind, rng)
        else:
            lines = target.read_text(encoding="utf-8").splitlines()
            data_lines = [i for i, ln in enumerate(lines) if ln and not ln.startswith("#") and "," in ln][1:]
            i = rng.choice(data_lines)
            cells = next(csv.reader([lines[i]]))
            j = rng.randrange(1, len(cells)) if len(cells) > 1 else 0
            cells[j] = rng.choice(["1" * 400, "nan", "inf", "abc", "=1+1", "1,2,3", '"'])
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow(cells)
            lines[i] = buf.getvalue()
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
            kind = "cell"
        out.append(Case("data", kind, ["benchmark", "Lyngby-Taarbæk", "--json", "--data", str(d)], True))
        out.append(Case("data", kind, ["unitcost", "Lyngby-Taarbæk", "--json", "--data", str(d)], True))
    return out


# ------------------------------------------------------------------------------------ panels


def panel_cases(rng: random.Random, n: int, work: Path) -> list[Case]:
    out = []
    weeks = ["2015-W10", "2015-W53", "2016-W01", "2016-W02", "2017-W30", "2019-W12"]
    for k in range(n):
        d = work / f"panel{k}"
        d.mkdir()
        rows = [[str(rng.randrange(1, 6)), rng.choice(weeks), rng.choice(BENEFITS), rng.choice(ACTIVATIONS), f"{rng.uniform(0, 5000):.2f}"] for _ in range(rng.randrange(1, 30))]
        mode = rng.choice(["good", "bad_cell", "dup_col", "encoding", "parquet_good", "parquet_nan_id", "raw", "maxfloat"])
        header = ["person_id", "week", "benefit", "activation", "amount_dkk"]
        bad = mode not in ("good", "parquet_good")
        check = None
        if mode == "bad_cell":
            r = rng.choice(rows)
            j = rng.randrange(5)
            # every choice is invalid in its column (an id is any non-empty text, so only blanks)
            r[j] = rng.choice({0: ["", "nan", "NULL"], 1: ["", "2016-W54", "16-W01", "x"], 2: ["", "kontant", "??"], 3: ["", "ingen", "??"]}.get(j, ["", "nan", "-1", "inf", "abc"]))
        if mode == "maxfloat":
            rng.choice(rows)[4] = rng.choice(["1.7976931348623157e308", "1e400", "-0.0001"])
        if mode.startswith("parquet"):
            import pyarrow as pa
            import pyarrow.parquet as pq

            f = d / "p.parquet"
            ids = [float(r[0]) for r in rows]
            if mode == "parquet_nan_id":
                ids[rng.randrange(len(ids))] = float("nan")
            pq.write_table(pa.table({"person_id": ids, "week": [r[1] for r in rows], "benefit": [r[2] for r in rows], "activation": [r[3] for r in rows], "amount_dkk": [float(r[4]) for r in rows]}), f)
        elif mode == "raw":
            f = d / "p.csv"
            kind = rng.choice(["fifo", "devzero", "binary", "utf16_nobom"])
            write_hostile_file(f, kind, rng)
        else:
            f = d / "p.csv"
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(header + (["amount_dkk"] if mode == "dup_col" else []))
            for r in rows:
                w.writerow(r + (["1"] if mode == "dup_col" else []))
            text = buf.getvalue()
            if mode == "encoding":
                rows[0][0] = "Søren"
                text = text.replace(text.splitlines()[1].split(",")[0], "Søren", 1)
                f.write_bytes(text.encode(rng.choice(["latin-1", "utf-16", "utf-16-le", "cp1252"])))
            else:
                f.write_text(text, encoding="utf-8")
        if not bad:
            total = round(sum(float(r[4]) for r in rows), 2)

            def check(stdout: str, total=total) -> str | None:
                got = json.loads(stdout)["gross_dkk"]
                return None if abs(got - total) < 0.01 else f"gross_dkk {got} != sum of amounts {total}"

        out.append(Case("panels", mode, ["refund", str(f), "--json", "--in-memory"], bad, check))
    return out


# ------------------------------------------------------------------------------------ outputs


def output_cases(rng: random.Random, n: int, work: Path) -> list[Case]:
    out = []
    scen = ROOT / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml"
    kinds = ["fifo", "devnull_link", "proc_fd_link", "folder", "trailing_slash", "devnull", "dangling_link"]
    for k in range(n):
        d = work / f"out{k}"
        d.mkdir()
        kind = kinds[k % len(kinds)]
        target = d / "t.md"
        arg = str(target)
        if kind == "fifo":
            os.mkfifo(target)
        elif kind == "devnull_link":
            target.symlink_to("/dev/null")
        elif kind == "proc_fd_link":
            target.symlink_to("/proc/self/fd/1")
        elif kind == "folder":
            target.mkdir()
        elif kind == "trailing_slash":
            arg = str(d / "ny") + "/"
        elif kind == "devnull":
            arg = "/dev/null"
        else:
            target.symlink_to(d / "nowhere" / "x.md")
        before = os.lstat(arg).st_mode if os.path.lexists(arg) else None

        def after(arg=arg, before=before, d=d) -> str | None:
            now = os.lstat(arg).st_mode if os.path.lexists(arg) else None
            if now != before:
                return f"{arg} changed from {before} to {now}"
            if os.path.isfile(str(d / "ny")):
                return "trailing slash wrote a file"
            left = [p.name for p in d.iterdir() if p.name.endswith(".tmp")]
            return f"temporary files left: {left}" if left else None

        cmd = rng.choice([["businesscase", str(scen), "--format", rng.choice(["md", "xlsx"]), "--out", arg], ["compare", str(scen), str(scen), "--format", "html", "--out", arg]])
        out.append(Case("outputs", kind, cmd, True, None, after))
    return out


# ------------------------------------------------------------------------------------ issue 16, round 2


def law_span_cases(rng: random.Random, n: int, work: Path) -> list[Case]:
    """Weeks, years and dates outside the law's validity (before 2014-01-01 or after the horizon in
    rates/lov_antaget_uaendret_til.yaml) in every route: exit 1 naming 'ingen regel for'."""
    out = []
    early = ["1990-W01", "2000-W10", "2013-W01", "2013-W52", "1970-W01"]
    late = ["2037-W02", "2040-W01", "2200-W01", "2099-W52", "3000-W01"]
    for k in range(n):
        d = work / f"span{k}"
        d.mkdir()
        rows = [[str(rng.randrange(1, 6)), rng.choice(["2016-W01", "2020-W10", "2036-W52"]), rng.choice(BENEFITS), rng.choice(ACTIVATIONS), f"{rng.uniform(0, 5000):.2f}"] for _ in range(rng.randrange(1, 20))]
        rng.choice(rows)[1] = rng.choice(early + late)
        route = rng.choice(["csv", "csv_partitioned", "parquet", "forecast", "scenario_years", "scenario_as_if"])
        expect = lambda text: None if "ingen regel for" in text else "no 'ingen regel for' in the message"  # noqa: E731
        if route in ("csv", "csv_partitioned", "forecast"):
            f = d / "p.csv"
            f.write_text("person_id,week,benefit,activation,amount_dkk\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
            argv = {"csv": ["refund", str(f), "--json", "--in-memory"], "csv_partitioned": ["refund", str(f), "--json", "--partitioned", "--partitions", "2"],
                    "forecast": ["forecast", str(f), "--years", "1", "--bootstrap", "0"]}[route]
        elif route == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            f = d / "p.parquet"
            pq.write_table(pa.table({"person_id": [int(r[0]) for r in rows], "week": [r[1] for r in rows], "benefit": [r[2] for r in rows], "activation": [r[3] for r in rows], "amount_dkk": [float(r[4]) for r in rows]}), f)
            argv = ["refund", str(f), "--json"]
        elif route == "scenario_years":
            y = rng.choice([2000, 2005, 2012, 2013, 2037, 2050, 2099])
            f = d / "s.yaml"
            f.write_text(f"kind: scenario\nid: s\ntitle: S\nextends: [{TOY}]\nyears: [{y}, {y + 1}]\n", encoding="utf-8")
            argv = rng.choice([["validate", str(f)], ["run", str(f), "--json", "--save-resolved", str(d / "r.yaml")]])
        else:
            f = d / "s.yaml"
            at = rng.choice(["1990-01-01", "2013-12-31", "2037-01-01", "2100-06-01"])
            f.write_text(f"kind: scenario\nid: s\ntitle: S\nextends: [{TOY}]\nlaw: {{as_if: {at}}}\n", encoding="utf-8")
            argv = rng.choice([["validate", str(f)], ["run", str(f), "--json", "--save-resolved", str(d / "r.yaml")]])
        out.append(Case("law_span", route, argv, True, None, None, message=expect))
    return out


def missing_table_cases(rng: random.Random, n: int, work: Path) -> list[Case]:
    """A --rates folder without a table the model reads: one error naming the table, never 'intern fejl'."""
    out = []
    tables = sorted(p.stem for p in (ROOT / "rates").glob("*.yaml"))
    pricing = ["dagpenge_medfinansiering", "lov_antaget_uaendret_til", "medfinansiering_arbejdsmarkedsydelse", "midlertidig_arbejdsmarkedsydelse_regler",
               "refusion_forsoergelse", "refusionstrappe", "refusionstrappe_omfattede_ydelser", "refusionstrappe_regler"]
    panel = ROOT / "tests" / "fixtures" / "refund" / "small_panel.csv"
    scen = ROOT / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml"
    for k in range(n):
        d = work / f"missing{k}"
        shutil.copytree(ROOT / "rates", d)
        cmd = rng.choice(["validate", "validate_rates", "run", "refund", "forecast", "optimise", "businesscase", "compare"])
        table = rng.choice(pricing if cmd in ("refund", "forecast") else tables)
        (d / f"{table}.yaml").unlink()
        argv = {
            "validate": ["validate", str(scen), "--rates", str(d)],
            "validate_rates": ["validate", str(d), "--rates", str(d)],
            "run": ["run", str(scen), "--json", "--rates", str(d), "--save-resolved", str(work / f"missing{k}.yaml")],
            "refund": ["refund", str(panel), "--json", "--rates", str(d)],
            "forecast": ["forecast", str(panel), "--years", "1", "--bootstrap", "0", "--rates", str(d)],
            "optimise": ["optimise", str(scen), "--json", "--rates", str(d)],
            "businesscase": ["businesscase", str(scen), "--format", "md", "--out", str(work / f"missing{k}.md"), "--rates", str(d)],
            "compare": ["compare", str(scen), str(scen), "--rates", str(d)],
        }[cmd]

        def expect(text: str, table=table) -> str | None:
            if "intern fejl" in text:
                return "intern fejl"
            return None if f"mangler tabellen '{table}'" in text else f"the message does not name the missing table {table}"

        out.append(Case("missing_table", f"{cmd}:{table}", argv, True, None, None, message=expect))
    return out


def forecast_panel_cases(rng: random.Random, n: int, work: Path) -> list[Case]:
    """A scenario whose forecast panel has bad contents: validate refuses what run would, naming the panel's line."""
    out = []
    toy = TOY
    good = work / "fc_good.csv"
    import datetime as dt

    lines = ["person_id,week,benefit,activation,amount_dkk"]
    for p in range(60):
        start = dt.date(2017, 1, 2) + dt.timedelta(weeks=rng.randrange(0, 100))
        for w in range(rng.randrange(5, 40)):
            y, wk, _ = (start + dt.timedelta(weeks=w)).isocalendar()
            if (y, wk) <= (2019, 26):
                lines.append(f"P{p},{y}-W{wk:02d},kontanthjaelp,none,2400.0")
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for k in range(n):
        d = work / f"fcpanel{k}"
        d.mkdir()
        shutil.copy(toy, d / "toy.yaml")
        body = good.read_text(encoding="utf-8").splitlines()
        i = rng.randrange(1, len(body))
        cells = body[i].split(",")
        j = rng.randrange(5)
        cells[j] = rng.choice({0: ["", "nan"], 1: ["2017-W99", "x", "1990-W01", "2200-W01"], 2: ["kontant", ""], 3: ["ingen", ""]}.get(j, ["abc", "nan", "inf", "-5", "1e400"]))
        body[i] = ",".join(cells)
        (d / "panel.csv").write_text("\n".join(body) + "\n", encoding="utf-8")
        (d / "s.yaml").write_text("kind: scenario\nid: s\ntitle: T\nextends: [toy.yaml]\nyears: [2020, 2021]\n"
                                  "municipality:\n  caseload:\n    forecast: {panel: panel.csv, years: 3, note: Syntetisk}\n", encoding="utf-8")
        line = i + 1

        def expect(text: str, line=line, f=d / "panel.csv") -> str | None:
            return None if f"{f}:{line}:" in text else f"the message does not name {f}:{line}"

        for cmd in ("validate", "run"):
            argv = [cmd, str(d / "s.yaml")] + (["--json", "--save-resolved", str(d / "r.yaml")] if cmd == "run" else [])
            out.append(Case("forecast_panel", f"col{j}", argv, True, None, None, message=expect))
    return out


INJECTIONS = ["=ZZINJ()+1", "+ZZINJ(1)", "-ZZINJ(1)+1", "@ZZINJ(A1)", "=HYPERLINK(\"http://x\",\"ZZINJ\")"]


def xlsx_injection_cases(rng: random.Random, n: int, work: Path) -> list[Case]:
    """Scenario text starting with = + - @ lands in every xlsx output as text, never a formula."""
    out = []
    base = ROOT / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml"
    for k in range(n):
        d = work / f"inj{k}"
        d.mkdir()
        inj = rng.choice(INJECTIONS)
        f = d / "s.yaml"
        q = json.dumps(inj)
        f.write_text(f"kind: scenario\nid: s\ntitle: {q}\ndescription: {q}\nextends: [{base}]\nmemo: {{template: businesscase, heading: {q}, subheading: {q}, author: {q}, journal: {q}, source: {q}, summary: [{q}], background: [{q}]}}\n", encoding="utf-8")
        target = d / "out.xlsx"
        cmd = rng.choice(["businesscase", "compare", "konverter", "ny"])
        argv = {
            "businesscase": ["businesscase", str(f), "--format", "xlsx", "--out", str(target)],
            "compare": ["compare", str(base), str(f), "--format", "xlsx", "--out", str(target)],
            "konverter": ["konverter", str(f), str(target)],
            "ny": ["ny", inj, "--years", "2027-2030", "--xlsx", "--out", str(target)],
        }[cmd]

        def after(target=target) -> str | None:
            if not target.exists():
                return None
            import openpyxl

            wb = openpyxl.load_workbook(target)
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        if c.data_type == "f" and "ZZINJ" in str(c.value):
                            return f"{ws.title}!{c.coordinate} holds the formula {c.value!r} from input text"
            return None

        out.append(Case("xlsx_injection", cmd, argv, False, None, after))
    return out


# ------------------------------------------------------------------------------------ running


def run_case(binary: str, case: Case) -> dict:
    try:
        p = subprocess.run([binary, *case.argv], capture_output=True, text=True, timeout=TIMEOUT, env={**os.environ, **case.env}, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {"result": "hang"}
    text = p.stdout + p.stderr
    if "Traceback" in text or p.returncode not in (0, 1):
        return {"result": "traceback", "code": p.returncode, "tail": text[-400:]}
    damage = case.after() if case.after else None
    if damage:
        return {"result": "silent_wrong", "why": damage}
    if p.returncode == 0 and case.bad:
        return {"result": "exit0_bad", "tail": text[-300:]}
    if p.returncode == 1 and case.message:
        why = case.message(text)
        if why:
            return {"result": "silent_wrong", "why": why, "tail": text[-300:]}
    if p.returncode == 0 and case.check:
        why = case.check(p.stdout)
        if why:
            return {"result": "silent_wrong", "why": why}
    return {"result": "ok", "code": p.returncode}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=40, help="cases per loader")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--bin", default=str(ROOT / ".venv" / "bin" / "budgetmodel"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="fuzz-hostile-") as tmp:
        work = Path(tmp)
        cases = [
            *rate_cases(rng, args.cases, work),
            *scenario_cases(rng, args.cases, work),
            *yaml_mutation_cases("profiles", ROOT / "data" / "profiles" / "lyngby_taarbaek.yaml", lambda f: [["validate", str(f)], ["unitcost", str(f), "--json"]], rng, args.cases, work),
            *yaml_mutation_cases("assumptions", ROOT / "scenarios" / "forecast" / "standard.yaml", lambda f: [["validate", str(f)]], rng, args.cases, work),
            *data_cases(rng, max(4, args.cases // 4), work),
            *panel_cases(rng, args.cases * 2, work),
            *output_cases(rng, max(7, args.cases // 2), work),
            *law_span_cases(rng, args.cases, work),
            *missing_table_cases(rng, args.cases, work),
            *forecast_panel_cases(rng, max(4, args.cases // 4), work),
            *xlsx_injection_cases(rng, max(8, args.cases // 2), work),
        ]
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda c: run_case(args.bin, c), cases))
    counts = {"runs": len(cases), "traceback": 0, "hang": 0, "exit0_bad": 0, "silent_wrong": 0, "ok": 0}
    per_loader: dict[str, int] = {}
    failures = []
    for c, r in zip(cases, results):
        counts[r["result"]] += 1
        per_loader[c.loader] = per_loader.get(c.loader, 0) + 1
        if r["result"] != "ok":
            failures.append({"loader": c.loader, "kind": c.kind, "argv": c.argv[:2], **r})
    print(json.dumps({"seed": args.seed, "counts": counts, "runs_per_loader": per_loader, "failures": failures[:40]}, ensure_ascii=False, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
