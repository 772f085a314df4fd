"""Check a big panel's refunds on a sample of its persons against two independent implementations.

    python bench/check_sample.py PANEL.csv [--every 1000] [--remainder 137]

Streams the panel and keeps every person whose numeric id ≡ remainder (mod every) — all of that
person's weeks, wherever they are in the file — then prices the sample four ways and prints the
totals by benefit: the engine in memory, the engine in partitions (the out-of-core path), the
plain per-row reference of the tests (tests/refund_reference.py) and the independent check
written from the issue text alone (tools/independent_refund_check.py). Every rule works per
person, so a sample of persons is a panel of its own.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tools")]


def sample(path: Path, every: int, remainder: int, out: Path) -> int:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    reader = pacsv.open_csv(path, convert_options=pacsv.ConvertOptions(column_types={"person_id": pa.string()}))
    writer = None
    n = 0
    for batch in reader:
        t = pa.Table.from_batches([batch])
        ids = pc.cast(pc.utf8_trim_whitespace(t.column("person_id")), pa.int64())
        t = t.filter(pc.equal(pc.remainder(ids, every), remainder))  # type: ignore[attr-defined]
        if writer is None:
            writer = pacsv.CSVWriter(str(out), t.schema)
        writer.write_table(t)
        n += t.num_rows
    if writer is not None:
        writer.close()
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("panel", type=Path)
    ap.add_argument("--every", type=int, default=1000)
    ap.add_argument("--remainder", type=int, default=137)
    a = ap.parse_args(argv)

    import csv
    from decimal import ROUND_HALF_UP, Decimal

    import independent_refund_check as indep
    from refund_reference import reference_rows

    from budgetmodel.financing.panel import read_panel_arrays
    from budgetmodel.financing.partitioned import refund_summary_partitioned
    from budgetmodel.financing.refund import refund_summary
    from budgetmodel.rates import load_rates

    with tempfile.TemporaryDirectory() as tmp:
        part = Path(tmp) / "sample.csv"
        t = time.perf_counter()
        rows = sample(a.panel, a.every, a.remainder, part)
        print(f"sample: {rows:,} rows of persons with id ≡ {a.remainder} (mod {a.every}), {time.perf_counter() - t:.0f} s")
        book = load_rates()
        results = {"engine in memory": refund_summary(read_panel_arrays(part), book)}
        results["engine in 7 partitions"] = refund_summary_partitioned(part, book, partitions=7)
        with open(part, newline="") as f:
            records = list(csv.DictReader(f))
        typed = [dict(r, amount_dkk=float(r["amount_dkk"])) for r in records]
        ref = reference_rows(typed, book)
        # summed exactly (amount in øre × share as the table prints it), rounded to øre at the end: a
        # float sum of 10^5 rows is off by an øre now and then, which is no difference of rules
        by: dict[str, Decimal] = {}
        for r, raw in zip(ref, records):
            by[r["benefit"]] = by.get(r["benefit"], Decimal(0)) + Decimal(raw["amount_dkk"]) * Decimal(repr(r["state_share"]))
        ore = Decimal("0.01")
        results["tests/refund_reference.py"] = {
            "state_dkk": float(sum(by.values(), Decimal(0)).quantize(ore, ROUND_HALF_UP)),
            "by_benefit": {b: {"state_dkk": float(v.quantize(ore, ROUND_HALF_UP))} for b, v in by.items()},
        }
        mine, _ = indep.compute(records)
        results["tools/independent_refund_check.py"] = {
            "state_dkk": float(mine["state_dkk"]),
            "by_benefit": {b: {"state_dkk": float(v["state_dkk"])} for b, v in mine["by_benefit"].items()},
        }
    base = results["engine in memory"]
    print(f"{'':36} {'state_dkk':>18}  max difference by benefit")
    for name, r in results.items():
        worst = max(abs(r["by_benefit"].get(b, {}).get("state_dkk", 0.0) - v["state_dkk"]) for b, v in base["by_benefit"].items())
        print(f"{name:36} {r['state_dkk']:>18,.2f}  {worst:,.2f} kr.")
    names = list(results)
    benefits = sorted({b for r in results.values() for b in r["by_benefit"]})
    print("\nstate_dkk by benefit (" + " | ".join(names) + "):")
    for b in benefits:
        vals = [r["by_benefit"].get(b, {}).get("state_dkk") for r in results.values()]
        same = "same" if len({v for v in vals}) == 1 else "DIFFERENT"
        print(f"  {b:34} " + " | ".join("-" if v is None else f"{v:,.2f}" for v in vals) + f"  {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
