"""Write a large synthetic person-week panel to disk, a block of persons at a time (memory stays
small however many rows): CSV, or a folder of Parquet files, or both.

    python bench/make_panel.py --rows 300_000_000 --csv /data/panel.csv --parquet-dir /data/panel/

Each person moves on and off benefit week by week (a two-state chain: a spell ends with
probability 1/25 a week, a gap of self-support ends with 1/20, and one gap in ten lasts a year
or more, so staircase counts restart), changes benefit at the start of a spell half the time, and
is in an activation half of the weeks; amounts have øre. Person ids are 10-digit text (CPR-like).
Rows are written week by week within each block (not grouped by person), as a register extract
sorted by week would be. Seeded: the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from budgetmodel.codes import ACTIVATIONS, BENEFITS, SUBSIDISED_EMPLOYMENT  # noqa: E402

DRAWN = tuple(b for b in BENEFITS if b not in SUBSIDISED_EMPLOYMENT)  # weeks with a benefit paid

FIRST = dt.date(2014, 1, 6)  # 2014-W02 Monday
WEEKS = 312  # six years
ROWS_PER_PERSON = 157  # rows a person has over WEEKS in the long run (measured)


def week_labels() -> list[str]:
    out = []
    for k in range(WEEKS):
        y, w, _ = (FIRST + dt.timedelta(weeks=k)).isocalendar()
        out.append(f"{y}-W{w:02d}")
    return out


def block(rng: np.random.Generator, first_person: int, persons: int, labels: pa.Array) -> pa.Table:
    on = rng.random(persons) < 0.5
    benefit = rng.integers(0, len(DRAWN), persons)
    long_gap = np.zeros(persons, bool)
    cols_p, cols_w, cols_b = [], [], []
    for k in range(WEEKS):
        u = rng.random(persons)
        leave = on & (u < 1 / 25)
        enter = ~on & ~long_gap & (u < 1 / 20) | long_gap & (u < 1 / 80)
        starting = enter
        switch = starting & (rng.random(persons) < 0.5)
        benefit = np.where(switch, rng.integers(0, len(DRAWN), persons), benefit)
        long_gap = np.where(leave, rng.random(persons) < 0.1, long_gap & ~enter)
        on = (on & ~leave) | enter
        idx = np.flatnonzero(on)
        cols_p.append(idx)
        cols_w.append(np.full(idx.size, k, np.int16))
        cols_b.append(benefit[idx])
    p = np.concatenate(cols_p)
    w = np.concatenate(cols_w)
    b = np.concatenate(cols_b).astype(np.int8)
    n = p.size
    act = np.where(rng.random(n) < 0.5, 0, rng.integers(0, len(ACTIVATIONS), n)).astype(np.int8)
    amount = np.round(rng.uniform(500, 5000, n), 2)
    ids = pc.utf8_lpad(pc.cast(pa.array(p + first_person + 1_000_000_000, pa.int64()), pa.string()), 10, "0")
    return pa.table(
        {
            "person_id": ids,
            "week": labels.take(pa.array(w)),
            "benefit": pa.array(DRAWN).take(pa.array(b)),
            "activation": pa.array(ACTIVATIONS).take(pa.array(act)),
            "amount_dkk": pa.array(amount),
        }
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=float, required=True, help="about this many rows")
    ap.add_argument("--csv", type=Path)
    ap.add_argument("--parquet-dir", type=Path)
    ap.add_argument("--parquet", type=Path, help="one Parquet file")
    ap.add_argument("--block-persons", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=17)
    a = ap.parse_args(argv)
    persons = max(1, round(a.rows / ROWS_PER_PERSON))
    rng = np.random.default_rng(a.seed)
    labels = pa.array(week_labels())
    csv_writer = pq_writer = None
    if a.parquet_dir:
        a.parquet_dir.mkdir(parents=True, exist_ok=True)
    rows = 0
    t0 = time.perf_counter()
    try:
        for j, start in enumerate(range(0, persons, a.block_persons)):
            t = block(rng, start, min(a.block_persons, persons - start), labels)
            rows += t.num_rows
            if a.csv:
                if csv_writer is None:
                    csv_writer = pacsv.CSVWriter(str(a.csv), t.schema, write_options=pacsv.WriteOptions(quoting_style="none"))
                csv_writer.write_table(t)
            if a.parquet:
                if pq_writer is None:
                    pq_writer = pq.ParquetWriter(str(a.parquet), t.schema)
                pq_writer.write_table(t)
            if a.parquet_dir:
                pq.write_table(t, a.parquet_dir / f"part-{j:05d}.parquet")
            print(f"\r{rows:,} rows, {persons:,} persons, {time.perf_counter() - t0:.0f} s", end="", file=sys.stderr)
    finally:
        if csv_writer is not None:
            csv_writer.close()
        if pq_writer is not None:
            pq_writer.close()
    print(file=sys.stderr)
    print(f"{rows} rows {persons} persons")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
