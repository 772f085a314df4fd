"""How big a panel is, and whether it is priced in memory or in partitions of persons.

Light (no pyarrow unless a Parquet footer is read) so a command can choose its path before it
imports the partitioned engine (:mod:`budgetmodel.financing.partitioned`)."""

from __future__ import annotations

import math
import os
from pathlib import Path

from budgetmodel.errors import InputError, Problem

PARQUET_SUFFIXES = (".parquet", ".pq")
# Working memory of the in-memory path per panel row (bytes), measured with bench/refund_engine.py
# and bench/peers.py: the CSV text's Arrow columns, the codes, the sort and the engine's columns.
IN_MEMORY_BYTES_PER_ROW = 130
PARTITION_BYTES_PER_ROW = 130  # the same for one bucket priced by the engine
DEFAULT_MEMORY = 4 << 30  # the working-memory budget when none is given (bytes)
CSV_BYTES_PER_ROW_GUESS = 45  # only to size the buckets of a CSV before it is read


def panel_files(path: Path | str) -> list[Path]:
    """The files of a panel: the file itself, or every CSV and Parquet file in a folder (sorted)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (*PARQUET_SUFFIXES, ".csv"))
        if not files:
            raise InputError([Problem(str(path), None, "", "mappen indeholder ingen panelfiler (forventede .csv eller .parquet)")])
        return files
    if not path.is_file():
        raise InputError([Problem(str(path), None, "", "panelfilen findes ikke")])
    return [path]


def estimated_rows(files: list[Path]) -> int:
    """Rows of a panel: exact for Parquet (from the footers), from the size for CSV."""
    n = 0
    for f in files:
        if f.suffix.lower() in PARQUET_SUFFIXES:
            import pyarrow as pa
            import pyarrow.parquet as pq

            try:
                n += pq.ParquetFile(f).metadata.num_rows
            except (pa.ArrowInvalid, OSError):
                n += 1  # reported when read
        else:
            n += f.stat().st_size // CSV_BYTES_PER_ROW_GUESS
    return n


def needs_partitions(path: Path | str, memory: int | None = None) -> bool:
    """True when the in-memory path would take more than ``memory`` bytes (default 4 GB, at most
    half of this machine's memory): a folder always goes through the partitioned path."""
    path = Path(path)
    if path.is_dir():
        return True
    budget = memory if memory is not None else min(DEFAULT_MEMORY, _machine_memory() // 2)
    return estimated_rows([path]) * IN_MEMORY_BYTES_PER_ROW > budget


def partition_count(rows: int, memory: int | None = None) -> int:
    """Buckets so that one partition's working set takes about a third of the memory budget."""
    budget = memory if memory is not None else DEFAULT_MEMORY
    per = max(budget // 3 // PARTITION_BYTES_PER_ROW, 10_000)
    return max(1, math.ceil(rows / per))


def _machine_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return DEFAULT_MEMORY * 2
