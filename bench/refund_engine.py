"""Benchmark of the weekly refund engine (issue 3, item 8). Prints measured figures; asserts nothing.

1. A synthetic national panel (default 1.000.000 persons × 156 weeks, 2015-W02 … 2017-W52, so both
   regimes and the 2015→2016 boundary; seeded) is run through the engine in a child process:
   wall time, rows/s and the process' peak memory (ru_maxrss: panel + engine), for the summary path
   the CLI's --json uses and for the full per-row result (compute_refunds).
2. The same engine against a plain per-row Python reference (tests/refund_reference.py) on a sample of
   persons, measured in this run: rows/s of each and the ratio; the two must agree to the krone.
3. A CSV panel of about 3.000.000 rows through `budgetmodel refund FILE --json` (a fresh process,
   wall time) against pandas.read_csv of the same file.

    python bench/refund_engine.py                       # everything, national size
    python bench/refund_engine.py --persons 20000 --csv-rows 300000   # small
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

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # the per-row reference lives with the tests

FIRST_WEEK = "2015-W02"


def synthetic_panel(persons: int, weeks: int, seed: int, on_to_off: float, off_to_on: float) -> pd.DataFrame:
    """Grouped by person, weeks ascending (as registers deliver them). Each person moves between
    benefit and self-support weekly (a Markov chain), keeps a benefit for a spell, sometimes switches,
    and has an activation per week and an amount with øre."""
    from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, parse_week, week_label, week_number

    rng = np.random.default_rng(seed)
    on = np.empty((persons, weeks), dtype=bool)
    ben = np.empty((persons, weeks), dtype=np.int8)
    state = rng.random(persons) < off_to_on / (on_to_off + off_to_on)
    b = rng.integers(0, len(BENEFITS), persons, dtype=np.int8)
    for t in range(weeks):
        u = rng.random(persons)
        state = np.where(state, u >= on_to_off, u < off_to_on)
        switch = rng.random(persons) < 0.01
        b = np.where(switch, rng.integers(0, len(BENEFITS), persons, dtype=np.int8), b)
        on[:, t] = state
        ben[:, t] = b
    pidx, tidx = np.nonzero(on)  # C order: person-major, weeks ascending
    n = pidx.size
    benefit = ben[pidx, tidx]
    del on, ben
    activation = np.where(rng.random(n) < 0.6, 0, rng.integers(1, len(ACTIVATIONS), n)).astype(np.int8)
    amount = np.round(rng.uniform(500.0, 5000.0, n), 2)
    first = week_number(parse_week(FIRST_WEEK))
    labels = [week_label(first + k) for k in range(weeks)]
    return pd.DataFrame(
        {
            "person_id": (pidx + 1).astype(np.int64),
            "week": pd.Categorical.from_codes(tidx.astype(np.int16), categories=labels),
            "benefit": pd.Categorical.from_codes(benefit, categories=list(BENEFITS)),
            "activation": pd.Categorical.from_codes(activation, categories=list(ACTIVATIONS)),
            "amount_dkk": amount,
        }
    )


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # kB on Linux


def child(args: argparse.Namespace) -> None:
    """Run in a fresh process: build the panel, run one engine path, print one JSON line."""
    from budgetmodel.financing.refund import compute_refunds, refund_summary
    from budgetmodel.rates import load_rates

    book = load_rates()
    warm = synthetic_panel(50, 20, 1, 0.05, 0.1)
    refund_summary(warm, book), compute_refunds(warm, book)  # compile / load the numba cache
    t0 = time.perf_counter()
    panel = synthetic_panel(args.persons, args.weeks, args.seed, args.on_to_off, args.off_to_on)
    t_gen = time.perf_counter() - t0
    rss_panel = peak_gb()
    t0 = time.perf_counter()
    if args.child == "summary":
        result = refund_summary(panel, book)
        state = result["state_dkk"]
    else:
        rows = compute_refunds(panel, book)
        state = float(rows["state_dkk"].sum())
    wall = time.perf_counter() - t0
    print(json.dumps({"rows": len(panel), "persons": args.persons, "generate_s": t_gen, "wall_s": wall, "peak_gb": peak_gb(), "peak_after_panel_gb": rss_panel, "state_dkk": state}))


def run_child(kind: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--persons", str(args.persons), "--weeks", str(args.weeks), "--seed", str(args.seed),
           "--on-to-off", str(args.on_to_off), "--off-to-on", str(args.off_to_on)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"child {kind} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def reference_ratio(args: argparse.Namespace) -> dict:
    from refund_reference import reference_rows

    from budgetmodel.financing.refund import refund_summary
    from budgetmodel.rates import load_rates

    book = load_rates()
    sample = synthetic_panel(args.sample_persons, args.weeks, args.seed + 1, args.on_to_off, args.off_to_on)
    refund_summary(sample.head(100), book)  # warm
    t0 = time.perf_counter()
    eng = refund_summary(sample, book)
    t_eng = time.perf_counter() - t0
    records = sample.assign(week=sample.week.astype(str), benefit=sample.benefit.astype(str), activation=sample.activation.astype(str)).to_dict("records")
    t0 = time.perf_counter()
    ref = reference_rows(records, book)
    t_ref = time.perf_counter() - t0
    ref_state = sum(r["state_dkk"] for r in ref)
    return {"rows": len(sample), "engine_s": t_eng, "reference_s": t_ref, "agree_to_the_krone": abs(ref_state - eng["state_dkk"]) < 0.5, "ref_state": ref_state, "eng_state": eng["state_dkk"]}


def csv_vs_pandas(args: argparse.Namespace) -> dict:
    weeks = args.weeks
    persons = max(1, round(args.csv_rows / (weeks * args.off_to_on / (args.on_to_off + args.off_to_on))))
    panel = synthetic_panel(persons, weeks, args.seed + 2, args.on_to_off, args.off_to_on)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "panel.csv"
        panel.to_csv(path, index=False)
        size_mb = path.stat().st_size / 1e6
        cli = [sys.executable, "-c", "from budgetmodel.cli import main; main()", "refund"]
        small = Path(tmp) / "warm.csv"
        panel.head(1000).to_csv(small, index=False)
        subprocess.run([*cli, str(small), "--json"], check=True, capture_output=True)  # numba cache warm
        t_pd = []
        for _ in range(2):
            t0 = time.perf_counter()
            pd.read_csv(path)
            t_pd.append(time.perf_counter() - t0)
        t_cli = []
        for _ in range(2):
            t0 = time.perf_counter()
            p = subprocess.run([*cli, str(path), "--json"], check=True, capture_output=True, text=True)
            t_cli.append(time.perf_counter() - t0)
        rows = json.loads(p.stdout)["rows"]
    return {"rows": rows, "size_mb": size_mb, "pandas_read_s": min(t_pd), "cli_s": min(t_cli)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--weeks", type=int, default=156)
    ap.add_argument("--seed", type=int, default=20160104)
    ap.add_argument("--on-to-off", type=float, default=0.04, help="weekly chance a person on benefit becomes self-supporting")
    ap.add_argument("--off-to-on", type=float, default=0.08, help="weekly chance a self-supporting person comes on benefit")
    ap.add_argument("--sample-persons", type=int, default=400, help="persons in the per-row reference sample")
    ap.add_argument("--csv-rows", type=int, default=3_000_000)
    ap.add_argument("--skip", nargs="*", default=[], choices=["national", "rows", "reference", "csv"])
    ap.add_argument("--child", choices=["summary", "rows"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return

    print(f"refund engine benchmark — {os.cpu_count()} cores, numpy {np.__version__}, pandas {pd.__version__}")
    if "national" not in args.skip:
        r = run_child("summary", args)
        print(f"\nnational panel, summary path (CLI --json): {r['persons']:,} persons × {args.weeks} weeks = {r['rows']:,} person-weeks on benefit")
        print(f"  wall {r['wall_s']:.1f} s   {r['rows'] / r['wall_s'] / 1e6:.1f} M rows/s   peak memory {r['peak_gb']:.2f} GB (panel alone {r['peak_after_panel_gb']:.2f} GB; generating it took {r['generate_s']:.1f} s)")
    if "rows" not in args.skip:
        r = run_child("rows", args)
        print(f"national panel, per-row result (compute_refunds): {r['rows']:,} rows")
        print(f"  wall {r['wall_s']:.1f} s   {r['rows'] / r['wall_s'] / 1e6:.1f} M rows/s   peak memory {r['peak_gb']:.2f} GB")
    if "reference" not in args.skip:
        r = reference_ratio(args)
        eng, ref = r["rows"] / r["engine_s"], r["rows"] / r["reference_s"]
        print(f"\nper-row Python reference on a sample of {args.sample_persons:,} persons ({r['rows']:,} rows), same run:")
        print(f"  reference {ref:,.0f} rows/s   engine {eng:,.0f} rows/s   ratio {eng / ref:,.0f}×   agree to the krone: {r['agree_to_the_krone']}")
    if "csv" not in args.skip:
        r = csv_vs_pandas(args)
        print(f"\nCSV panel through the CLI: {r['rows']:,} rows, {r['size_mb']:.0f} MB")
        print(f"  pandas.read_csv {r['pandas_read_s']:.2f} s   budgetmodel refund --json {r['cli_s']:.2f} s (fresh process, best of 2)   ratio {r['cli_s'] / r['pandas_read_s']:.2f}× (goal ≤ 3×)")


if __name__ == "__main__":
    main()
