"""Check a whole big panel's refund totals against an independent implementation of the same rules.

    python bench/check_full.py PANEL.csv ENGINE.json [--shards 40] [--tmp DIR]

ENGINE.json is the output of `budgetmodel refund PANEL.csv --json`. The panel is streamed once and
split by person (numeric id mod SHARDS) into Parquet files, each holding all the weeks of its
persons; every rule works per person, so each shard is a panel of its own. Each shard is then
priced in a fresh process by the Polars version of the rules in `bench/peers.py` (written from the
rules, not from the engine: the share grid as data, spells by gaps and islands, the staircase count
with its restart as a fixed-point iteration), and the shards' rows and kroner are added by benefit
and compared with the engine's to the øre. Prints the peak memory of the largest shard run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import peers  # noqa: E402


def shard(path: Path, shards: int, out: Path) -> int:
    """Split the panel by person into ``shards`` Parquet files; returns the number of rows."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=64 << 20),
        convert_options=pacsv.ConvertOptions(column_types={"person_id": pa.string(), "amount_dkk": pa.float64()}),
    )
    writers: list = [None] * shards
    n = 0
    for batch in reader:
        ids = pc.cast(pc.utf8_trim_whitespace(batch.column("person_id")), pa.int64()).to_numpy()
        key = ids % shards
        order = np.argsort(key, kind="stable")
        t = pa.Table.from_batches([batch]).take(pa.array(order))
        bounds = np.searchsorted(key[order], np.arange(shards + 1))
        for k in range(shards):
            lo, hi = int(bounds[k]), int(bounds[k + 1])
            if hi == lo:
                continue
            if writers[k] is None:
                writers[k] = pq.ParquetWriter(str(out / f"shard{k:03d}.parquet"), t.schema)
            writers[k].write_table(t.slice(lo, hi - lo))
        n += batch.num_rows
    for w in writers:
        if w is not None:
            w.close()
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("panel", type=Path)
    ap.add_argument("engine_json", type=Path)
    ap.add_argument("--shards", type=int, default=40)
    ap.add_argument("--tmp", type=Path, default=Path(tempfile.gettempdir()))
    a = ap.parse_args(argv)
    engine = json.loads(a.engine_json.read_text())
    work = Path(tempfile.mkdtemp(prefix="check-full-", dir=a.tmp))
    try:
        t0 = time.perf_counter()
        lk = peers.lookup_tables(work)
        (work / "lookup.json").write_text(json.dumps(lk))
        rows = shard(a.panel, a.shards, work)
        print(f"split {rows:,} rows into {a.shards} person shards in {time.perf_counter() - t0:.0f} s", flush=True)
        total: dict[str, dict[str, float]] = {}
        peak = cpu = 0.0
        for k, f in enumerate(sorted(work.glob("shard*.parquet"))):
            cmd = [peers.PY, str(ROOT / "bench" / "peers.py"), "--peer", "polars", "--lookup", str(work / "lookup.json"), str(f)]
            _, rss, out, secs = peers.measure_rss(cmd)
            peak, cpu = max(peak, rss), cpu + secs
            for b, v in json.loads(out).items():
                acc = total.setdefault(b, {"rows": 0, "gross_dkk": 0.0, "state_dkk": 0.0, "municipal_dkk": 0.0})
                for key in acc:
                    acc[key] += v[key]
            print(f"  shard {k + 1}/{a.shards}: {secs:.1f} s CPU, peak {rss:.2f} GB", flush=True)
        print(f"Polars over {a.shards} shards: {cpu:.0f} s CPU, largest shard's peak {peak:.2f} GB")
        print(f"{'benefit':34} {'rows':>12} {'state refund, engine':>22} {'state refund, Polars':>22} {'difference':>11}")
        worst = 0.0
        for b, e in sorted(engine["by_benefit"].items()):
            p = total.get(b, {"rows": 0, "gross_dkk": 0.0, "state_dkk": 0.0, "municipal_dkk": 0.0})
            diff = max(abs(round(p[x], 2) - e[x]) for x in ("gross_dkk", "state_dkk", "municipal_dkk"))
            worst = max(worst, diff if p["rows"] == e["rows"] else float("inf"))
            print(f"{b:34} {e['rows']:>12,} {e['state_dkk']:>22,.2f} {p['state_dkk']:>22,.2f} {diff:>11.2f}" + ("" if p["rows"] == e["rows"] else f"  ROWS {p['rows']:,}"))
        state = sum(v["state_dkk"] for v in total.values())
        print(f"{'total':34} {engine['rows']:>12,} {engine['state_dkk']:>22,.2f} {state:>22,.2f}")
        print("check: " + ("equal to the øre in every benefit" if worst <= 0.011 else f"DIFFERENT by up to {worst:.2f} kr."))
        return 0 if worst <= 0.011 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
