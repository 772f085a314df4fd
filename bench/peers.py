"""The refund rules written as DuckDB SQL and as Polars queries, timed beside `budgetmodel refund`
and a bare pyarrow read of the same file, at 1, 10 and 100 million rows, CSV and Parquet; plus the
peak memory of the out-of-core run. One run prints every figure and ratio.

    python bench/peers.py [--sizes 1e6,1e7,1e8] [--data DIR] [--formats csv,parquet] [--keep] [--no-out-of-core]

A program whose memory would pass three quarters of the machine's at a size (its peak per million
rows at the sizes before, times the rows) is left out of that size, and the output says so.

The peers get what any implementation gets from the rate tables — the share tables laid out by
week period, benefit, activation and week of duration (:func:`share_tables`, exported as plain
tables) — and compute the hard part themselves: the spell week (gaps and islands per person and
benefit) and the staircase count with its restart (§ 6, stk. 1: 52 weeks of self-support within
the last 156 weeks, counted from the current count's start). The restart depends on the previous
restart, so the peers iterate to the fixed point: start with no restarts, mark the weeks whose
window (from the last marked restart) holds ≥ 52 self-support weeks, repeat until nothing
changes (each pass settles at least one more restart per person, so a person with r restarts
needs r + 1 passes). Their totals are checked against the engine's to the øre.

Every command runs in a fresh process (python start and imports included), timed by wall clock,
its peak memory read from the kernel (ru_maxrss of the child).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CLI = str(Path(PY).with_name("budgetmodel"))


# ----------------------------------------------------------------------------- lookup tables


def lookup_tables(out: Path) -> dict:
    """The share grid and week periods as Parquet files the peers read (from the rates)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from budgetmodel.codes import ACTIVATIONS, BENEFITS
    from budgetmodel.financing.panel import week_label
    from budgetmodel.financing.shares import load_refund_rates, share_tables

    st = share_tables(load_refund_rates())
    weeks = np.arange((2000 - 1970) * 52, (2040 - 1970) * 52)
    regime, period = st.week_rules(weeks)
    pq.write_table(
        pa.table(
            {
                "week": [week_label(int(w)) for w in weeks],
                "wno": weeks.astype(np.int64),
                "regime": regime.astype(np.int64),
                "p": period.astype(np.int64),
            }
        ),
        out / "weeks.parquet",
    )
    values = np.where(st.is_benefit[None, :, None, None], st.values, 0.0)  # subsidised employment: 0
    idx = np.indices(values.shape).reshape(4, -1)
    pq.write_table(
        pa.table(
            {
                "p": idx[0].astype(np.int64),
                "benefit": np.array(BENEFITS)[idx[1]],
                "activation": np.array(ACTIVATIONS)[idx[2]],
                "w": idx[3].astype(np.int64),
                "share": values.reshape(-1),
            }
        ),
        out / "grid.parquet",
    )
    return {
        "dir": str(out),
        "top": int(values.shape[3] - 1),
        "counted": [b for b, ok in zip(BENEFITS, st.is_benefit) if ok],
        "origin": int((np.datetime64(st.rules.count_origin, "D") - np.datetime64("1970-01-05", "D")).astype(int) // 7),
        "need": st.rules.restart_selfsupport_weeks,
        "window": st.rules.restart_window_weeks,
    }


# ----------------------------------------------------------------------------- DuckDB


def run_duckdb(path: str, lk: dict) -> dict:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET temp_directory='{tempfile.gettempdir()}/duckdb-peers'")
    d = lk["dir"]
    src = f"read_parquet('{path}')" if path.endswith(".parquet") else f"read_csv('{path}', header=true, all_varchar=false, types={{'person_id': 'VARCHAR', 'amount_dkk': 'DOUBLE'}})"
    con.execute(
        f"""CREATE TEMP TABLE rows AS
        SELECT trim(r.person_id) AS person, w.wno, w.regime, w.p, r.benefit, r.activation, r.amount_dkk AS amount
        FROM {src} r JOIN read_parquet('{d}/weeks.parquet') w ON r.week = w.week"""
    )
    # weeks from the § 30 origin with any row ("occupied": not self-support, § 6, stk. 2), and
    # of them the counted ones (a benefit, not only subsidised employment); one per person and week
    ben = ", ".join(repr(b) for b in lk["counted"])
    con.execute(
        f"""CREATE TEMP TABLE cw AS
        SELECT person, wno, counted,
               rank() OVER (PARTITION BY person ORDER BY wno) AS ro,
               sum(counted::INT) OVER (PARTITION BY person ORDER BY wno ROWS UNBOUNDED PRECEDING) AS rc,
               count(*) OVER (PARTITION BY person ORDER BY wno RANGE BETWEEN {lk['window']} PRECEDING AND 1 PRECEDING) AS n_window,
               false AS restart
        FROM (SELECT person, wno, bool_or(benefit IN ({ben})) AS counted FROM rows WHERE wno >= {lk['origin']} GROUP BY person, wno)"""
    )
    first = "(counted AND rc = 1)"
    for _ in range(100):
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE cw2 AS
            WITH s AS (
              SELECT *, max(CASE WHEN restart OR {first} THEN wno END) OVER w AS s_wno,
                        max(CASE WHEN restart OR {first} THEN ro END) OVER w AS s_ro
              FROM cw WINDOW w AS (PARTITION BY person ORDER BY wno ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
            SELECT person, wno, counted, ro, rc, n_window,
              coalesce(counted AND rc > 1 AND (CASE WHEN s_wno + 1 >= wno - {lk['window']}
                              THEN (wno - s_wno - 1) - (ro - s_ro - 1)
                              ELSE {lk['window']} - n_window END) >= {lk['need']}, false) AS restart,
              restart AS was
            FROM s"""
        )
        n = con.execute("SELECT count(*) FROM cw2 WHERE restart <> was").fetchone()[0]
        con.execute("CREATE OR REPLACE TEMP TABLE cw AS SELECT person, wno, counted, ro, rc, n_window, restart FROM cw2")
        if n == 0:
            break
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cw AS
        SELECT person, wno, rc - max(CASE WHEN restart OR {first} THEN rc END) OVER (PARTITION BY person ORDER BY wno ROWS UNBOUNDED PRECEDING) + 1 AS cw
        FROM cw WHERE counted"""
    )
    res = con.execute(
        f"""WITH sp AS (
              SELECT *, wno - dense_rank() OVER (PARTITION BY person, benefit ORDER BY wno) AS island FROM rows),
            sp2 AS (SELECT *, wno - min(wno) OVER (PARTITION BY person, benefit, island) + 1 AS sw FROM sp),
            priced AS (
              SELECT sp2.benefit, sp2.amount, CASE WHEN sp2.benefit IN ({ben}) THEN g.share ELSE 0.0 END AS share
              FROM sp2
              LEFT JOIN cw ON sp2.regime = 1 AND cw.person = sp2.person AND cw.wno = sp2.wno
              LEFT JOIN read_parquet('{d}/grid.parquet') g ON g.p = sp2.p AND g.benefit = sp2.benefit AND g.activation = sp2.activation
                   AND g.w = least(CASE WHEN sp2.regime = 0 THEN sp2.sw ELSE cw.cw END, {lk['top']}))
            SELECT benefit, count(*), fsum(amount), fsum(amount * share), fsum(amount - amount * share) FROM priced GROUP BY benefit ORDER BY benefit"""
    ).fetchall()
    return {b: {"rows": n, "gross_dkk": g, "state_dkk": s, "municipal_dkk": m} for b, n, g, s, m in res}


# ----------------------------------------------------------------------------- Polars


def run_polars(path: str, lk: dict) -> dict:
    import polars as pl

    d = lk["dir"]
    if path.endswith(".parquet"):
        raw = pl.scan_parquet(path)
    else:
        raw = pl.scan_csv(path, schema_overrides={"person_id": pl.String, "amount_dkk": pl.Float64})
    weeks = pl.scan_parquet(f"{d}/weeks.parquet")
    rows = (
        raw.with_columns(pl.col("person_id").str.strip_chars().alias("person"))
        .join(weeks, on="week", how="inner")
        .select("person", "wno", "regime", "p", "benefit", "activation", pl.col("amount_dkk").alias("amount"))
        .collect()
    )
    cw = (
        rows.lazy()
        .filter(pl.col("wno") >= lk["origin"])
        .group_by("person", "wno")
        .agg(pl.col("benefit").is_in(lk["counted"]).any().alias("counted"))
        .sort("person", "wno")
        .with_columns(
            pl.col("wno").rank("ordinal").over("person").cast(pl.Int64).alias("ro"),
            pl.col("counted").cast(pl.Int64).cum_sum().over("person").alias("rc"),
        )
        .collect()
    )
    # occupied weeks in [t - window, t - 1]: ro - 1 - (occupied weeks ≤ t - window - 1)
    before = cw.select("person", pl.col("wno").alias("k"), pl.col("ro").alias("r_before")).sort("person", "k")
    cw = (
        cw.with_columns((pl.col("wno") - lk["window"] - 1).alias("k"))
        .sort("person", "k")
        .join_asof(before, on="k", by="person", strategy="backward", check_sortedness=False)
        .with_columns((pl.col("ro") - 1 - pl.col("r_before").fill_null(0)).alias("n_window"))
        .drop("k", "r_before")
        .sort("person", "wno")
        .with_columns(pl.lit(False).alias("restart"))
    )
    first = pl.col("counted") & (pl.col("rc") == 1)
    for _ in range(100):
        mark = pl.col("restart") | first
        s = cw.with_columns(
            pl.when(mark).then(pl.col("wno")).shift(1).forward_fill().over("person").alias("s_wno"),
            pl.when(mark).then(pl.col("ro")).shift(1).forward_fill().over("person").alias("s_ro"),
        )
        ss = (
            pl.when(pl.col("s_wno") + 1 >= pl.col("wno") - lk["window"])
            .then((pl.col("wno") - pl.col("s_wno") - 1) - (pl.col("ro") - pl.col("s_ro") - 1))
            .otherwise(lk["window"] - pl.col("n_window"))
        )
        new = s.select((pl.col("counted") & (pl.col("rc") > 1) & (ss >= lk["need"])).fill_null(False)).to_series()
        changed = int((new != cw["restart"]).sum())
        cw = cw.with_columns(new.alias("restart"))
        if changed == 0:
            break
    cw = cw.filter("counted").with_columns(
        (pl.col("rc") - pl.when(pl.col("restart") | first).then(pl.col("rc")).forward_fill().over("person") + 1).alias("cw")
    ).select("person", "wno", "cw")
    spells = (
        rows.lazy()
        .with_columns((pl.col("wno") - pl.col("wno").rank("dense").over("person", "benefit")).alias("island"))
        .with_columns((pl.col("wno") - pl.col("wno").min().over("person", "benefit", "island") + 1).alias("sw"))
    )
    grid = pl.scan_parquet(f"{d}/grid.parquet")
    priced = (
        spells.join(cw.lazy(), on=["person", "wno"], how="left")
        .with_columns(pl.min_horizontal(pl.when(pl.col("regime") == 0).then("sw").otherwise("cw"), pl.lit(lk["top"])).alias("w"))
        .join(grid, on=["p", "benefit", "activation", "w"], how="left")
        .with_columns(pl.when(pl.col("benefit").is_in(lk["counted"])).then("share").otherwise(0.0).alias("share"))
        .group_by("benefit")
        .agg(
            pl.len().alias("rows"),
            pl.col("amount").sum().alias("gross_dkk"),
            (pl.col("amount") * pl.col("share")).sum().alias("state_dkk"),
            (pl.col("amount") - pl.col("amount") * pl.col("share")).sum().alias("municipal_dkk"),
        )
        .collect()
    )
    return {r["benefit"]: {k: r[k] for k in ("rows", "gross_dkk", "state_dkk", "municipal_dkk")} for r in priced.iter_rows(named=True)}


# ----------------------------------------------------------------------------- timing


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak memory of the child (GB), stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024**2, done.stdout


def measure_rss(cmd: list[str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak memory (GB) and stdout of one fresh process, and its CPU seconds (user +
    system, every thread): on a shared machine the CPU time is the fairer clock."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as f:
        wall, _, out = timed(["/usr/bin/time", "-f", "%M %U %S", "-o", f.name, *cmd])
        rss, user, sys_ = f.read().strip().splitlines()[-1].split()
        return wall, int(rss) / 1024**2, out, float(user) + float(sys_)


def bare_read(path: str) -> list[str]:
    code = (
        "import sys, pyarrow.parquet as pq; pq.read_table(sys.argv[1])" if path.endswith(".parquet") else "import sys, pyarrow.csv as c; c.read_csv(sys.argv[1])"
    )
    return [PY, "-c", code, path]


def compare(engine: dict, peer: dict) -> str:
    worst = 0.0
    for b, e in engine["by_benefit"].items():
        p = peer.get(b)
        if p is None or p["rows"] != e["rows"]:
            return f"DIFFERENT rows for {b}"
        worst = max(worst, *(abs(round(p[k], 2) - e[k]) for k in ("gross_dkk", "state_dkk", "municipal_dkk")))
    return "equal to the øre" if worst <= 0.011 else f"DIFFERENT by up to {worst:.2f} kr."


def fmt_s(x: float) -> str:
    return f"{x:.2f}".replace(".", ",") + " s"


def machine_gb() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg()).replace(".", ",")


class Peaks:
    """Peak memory per million rows of each program, from the sizes run so far (largest last): a
    program is left out of a size where it would need more than ``share`` of the machine's memory."""

    def __init__(self, share: float = 0.75):
        self.limit = share * machine_gb()
        self.per_million: dict[str, float] = {}

    def seen(self, name: str, rows: int, gb: float) -> None:
        self.per_million[name] = gb / (rows / 1e6)

    def too_big(self, name: str, rows: int) -> str | None:
        per = self.per_million.get(name)
        if per is None or per * rows / 1e6 <= self.limit:
            return None
        return f"{name} left out: ≈ {per * rows / 1e6:.0f} GB at this size ({per:.2f} GB per million rows measured), more than {self.limit:.0f} GB of the machine's {machine_gb():.0f} GB".replace(".", ",")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="refund: engine vs DuckDB vs Polars vs pyarrow read")
    ap.add_argument("--sizes", default="1e6,1e7,1e8")
    ap.add_argument("--formats", default="csv,parquet")
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "budgetmodel-bench")
    ap.add_argument("--skip-peers-above", type=float, default=1e12, help="rows above which the peers are not run at all (besides the memory rule)")
    ap.add_argument("--no-out-of-core", action="store_true", help="skip the --partitioned run of the largest CSV")
    ap.add_argument("--peaks", default="", help="peak GB per million rows measured in an earlier run, e.g. duckdb=0.36,polars=0.32,read-csv=0.15 (for sizes run alone)")
    ap.add_argument("--keep", action="store_true", help="keep the generated panels")
    ap.add_argument("--peer", choices=["duckdb", "polars"], help=argparse.SUPPRESS)  # one peer in this process
    ap.add_argument("--lookup", help=argparse.SUPPRESS)
    ap.add_argument("file", nargs="?", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.peer:
        lk = json.loads(Path(a.lookup).read_text())
        out = run_duckdb(a.file, lk) if a.peer == "duckdb" else run_polars(a.file, lk)
        print(json.dumps(out))
        return 0

    a.data.mkdir(parents=True, exist_ok=True)
    subprocess.run([PY, "-m", "budgetmodel.jit"], check=True, capture_output=True)  # as install.sh: kernels compiled ahead
    lk = lookup_tables(a.data)
    lk_file = a.data / "lookup.json"
    lk_file.write_text(json.dumps(lk))
    peaks = Peaks()
    for item in filter(None, a.peaks.split(",")):
        name, gb = item.split("=")
        peaks.per_million[name] = float(gb)
    print(f"{os.cpu_count()} cores, {machine_gb():.0f} GB; each cell: wall seconds (CPU seconds: user + system, every thread), peak GB; ratios of CPU seconds, then of wall seconds")
    print(f"{'rows':>12} {'format':8} {'read':>22} {'engine':>22} {'duckdb':>22} {'polars':>22}  engine/read (wall)  duckdb/engine (wall)  polars/engine (wall)  check  load 1/5/15 min")
    for size in (float(s) for s in a.sizes.split(",")):
        for form in a.formats.split(","):
            path = a.data / f"panel-{int(size)}.{form}"
            made = False
            if not path.exists():
                flag = "--csv" if form == "csv" else "--parquet"
                subprocess.run([PY, str(ROOT / "bench" / "make_panel.py"), "--rows", str(size), flag, str(path)], check=True, capture_output=True)
                made = True
            try:
                notes = []
                cells = {}
                skip = peaks.too_big(f"read-{form}", int(size))
                if skip:
                    notes.append(skip)
                else:
                    cells["read"] = measure_rss(bare_read(str(path)))
                t_eng, peak, out, c_eng = measure_rss([CLI, "refund", str(path), "--json"])
                engine = json.loads(out)
                rows = engine["rows"]
                cells["engine"] = (t_eng, peak, out, c_eng)
                if "read" in cells:
                    peaks.seen(f"read-{form}", rows, cells["read"][1])
                for peer in ("duckdb", "polars"):
                    skip = f"{peer} left out: above --skip-peers-above" if size > a.skip_peers_above else peaks.too_big(peer, rows)
                    if skip:
                        notes.append(skip)
                        continue
                    t, pk, out, c = measure_rss([PY, __file__, "--peer", peer, "--lookup", str(lk_file), str(path)])
                    cells[peer] = (t, pk, compare(engine, json.loads(out)), c)
                    peaks.seen(peer, rows, pk)

                def cell(x):
                    return f"{fmt_s(x[0])} ({x[3]:.1f}) {x[1]:.2f} GB".replace(".", ",") if x else "–"

                def ratio(num, den):
                    x, y = cells.get(num), cells.get(den)
                    return f"{x[3] / y[3]:.2f}× ({x[0] / y[0]:.2f}×)".replace(".", ",") if x and y else "–"

                e, d, p = cells["engine"], cells.get("duckdb"), cells.get("polars")
                check = "; ".join(f"{name} {c[2]}" for name, c in (("duckdb", d), ("polars", p)) if c) or "–"
                print(
                    f"{f'{rows:,}'.replace(',', '.'):>12} {form:8} {cell(cells.get('read')):>22} {cell(e):>22} {cell(d):>22} {cell(p):>22}"
                    f"  {ratio('engine', 'read'):>18}  {ratio('duckdb', 'engine'):>20}  {ratio('polars', 'engine'):>20}  {check}  {load()}",
                    flush=True,
                )
                for n in notes:
                    print(f"{'':>12} {form:8} {n}", flush=True)
            finally:
                if made and not a.keep:
                    path.unlink(missing_ok=True)
    if a.no_out_of_core:
        return 0
    big = max(float(s) for s in a.sizes.split(","))
    path = a.data / f"panel-{int(big)}.csv"
    made = not path.exists()
    if made:
        subprocess.run([PY, str(ROOT / "bench" / "make_panel.py"), "--rows", str(big), "--csv", str(path)], check=True, capture_output=True)
    try:
        t, peak, out, c = measure_rss([CLI, "refund", str(path), "--json", "--partitioned"])
        print(f"out of core (--partitioned): {json.loads(out)['rows']:_} rows of CSV in {fmt_s(t)} ({c:.1f} s CPU), peak {peak:.2f} GB, load {load()}".replace(".", ",").replace("_", "."))
    finally:
        if made and not a.keep:
            path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
