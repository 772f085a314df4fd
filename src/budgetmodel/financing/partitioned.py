"""Panels larger than memory: the refund engine run on partitions of persons, here or on Dask.

Every rule of the engine looks at one person at a time (the spell, the one count per person, the
restart after 52 weeks of self-support), so a panel split by person gives the same kroner part by
part. Two passes, each holding one batch or one partition in memory:

1. **Bucket.** The panel — a CSV, a Parquet file, or a folder of them in any order — is read as a
   stream of batches. Each batch is validated as :mod:`panel` validates a whole file (the same
   messages, with the file's own line or row numbers; every problem of the whole panel is
   collected before anything is priced), its weeks are checked against the rate tables, and its
   rows are appended to one of ``k`` bucket files (Arrow IPC) chosen by a hash of the person.
   All rows of a person land in one bucket, whatever the order of the input.
2. **Price.** Each bucket is read whole and priced by the in-memory engine
   (:func:`refund.run_engine`), which sorts it by person and week; only its sums per benefit and
   regime (exact: integers, :mod:`exact`), its row and person counts and its first and last week are kept. The sums
   of the buckets are integers, added in any order (the in-memory path's bytes exactly).

The buckets live in a temporary folder that is removed afterwards, also when something fails.
``k`` follows the panel's size, so the memory a partition takes stays about the same however many
rows the panel has. The same two functions (:func:`bucket_file`, :func:`price_bucket`) run as Dask
tasks when a ``dask.distributed`` client is given: files are bucketed in parallel and buckets are
priced in parallel; the folder must then be one every worker can read (``tmp_dir``).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
import pyarrow as pa

from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.panel import (
    ACTIVATIONS,
    BENEFITS,
    COLUMNS,
    MAX_SHOWN,
    PanelArrays,
    ProblemCollector,
    Where,
    require_columns,
    check_duplicate_columns,
    csv_header,
    validate_table,
    parse_week,
    week_label,
    week_number,
)
from budgetmodel.financing.calendar import combine_calendars
from budgetmodel.financing import exact
from budgetmodel.financing.panel_input import CsvDialect, LoadedMapping, StartCounts, detect_dialect, header_hint, start_offsets
from budgetmodel.financing.refund import calendar_years_json, group_sums, outside_law, run_engine, start_count_problem, start_warning, summary_json
from budgetmodel.financing.shares import WEEK_MAX, share_tables
from budgetmodel.financing.sizing import PARQUET_SUFFIXES, estimated_rows, needs_partitions, panel_files, partition_count  # noqa: F401  (re-exported)
from budgetmodel.rates.book import RateBook

CSV_BLOCK_BYTES = 32 << 20  # bytes of CSV text per streamed batch
PARQUET_BATCH_ROWS = 1 << 20

BUCKET_SCHEMA_INT = pa.schema([("person", pa.int64()), ("week", pa.int32()), ("benefit", pa.int8()), ("activation", pa.int8()), ("amount", pa.float64())])
BUCKET_SCHEMA_TEXT = BUCKET_SCHEMA_INT.set(0, pa.field("person", pa.string()))


# ------------------------------------------------------------------------------------ batches


class _LinesUnknown(Exception):
    """A malformed CSV row was met by the threaded reader, which does not know its line."""


def _csv_batches(
    path: Path, problems: list[Problem], threads: bool = True, csv_format: str = "auto", mapping: LoadedMapping | None = None
) -> Iterator[tuple[pa.Table, Where, CsvDialect]]:
    """A CSV panel as validated-size batches, each with the Where that names its lines and the
    file's dialect (read from the file, as the in-memory reader does, or forced by ``csv_format``);
    ``mapping`` renames the extract's own columns.

    Raises _LinesUnknown when a malformed row is met while reading with threads (the caller reads
    again without: only a serial read numbers the lines)."""
    import pyarrow.csv as pacsv

    where = Where(str(path), "csv")
    csv_header(path)  # UTF-16 / latin-1 refused with a message
    dialect = detect_dialect(path, csv_format, mapping.source_name("amount_dkk") if mapping else "amount_dkk")
    header = csv_header(path, dialect.delimiter)
    if mapping is not None:
        header = mapping.rename(header)
    check_duplicate_columns(header, where, 1)
    require_columns(header, where, 1, header_hint(header, dialect, mapping))
    text = {c: pa.string() for c in ("person_id", "week", "benefit", "activation")}
    if dialect.decimal == ",":
        text["amount_dkk"] = pa.string()  # 1.234,56: converted when the batch is validated
    skipped: list[int] = []

    def on_invalid(row) -> str:
        if row.number is None or row.number < 0:
            skipped.append(-1)
            return "skip"
        problems.append(Problem(where.file, row.number, "", f"forventede {row.expected_columns} felter, fandt {row.actual_columns}: {row.text[:80]!r}"))
        skipped.append(row.number - 2)
        return "skip"

    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=threads, column_names=header, skip_rows=1, block_size=CSV_BLOCK_BYTES, encoding="utf8"),
            parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter, invalid_row_handler=on_invalid, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(include_columns=list(COLUMNS), column_types=text, strings_can_be_null=False),
        )
        with reader:  # closed when the generator ends or is closed early: no Arrow reader left to the exit
            offset = 0
            for batch in reader:
                if -1 in skipped:
                    raise _LinesUnknown
                table = pa.Table.from_batches([batch])
                yield table, Where(where.file, "csv", tuple(sorted(skipped)), offset), dialect
                offset += table.num_rows
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputError([Problem(where.file, None, "", f"CSV-filen kan ikke læses ({dialect.describe()}): {str(exc)[:200]}")]) from None


def _parquet_batches(path: Path, mapping: LoadedMapping | None = None) -> Iterator[tuple[pa.Table, Where, None]]:
    import pyarrow.parquet as pq

    where = Where(str(path), "parquet")
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError([Problem(where.file, None, "", f"Parquet-filen kan ikke læses: {str(exc)[:200]}")]) from None
    names = list(pf.schema_arrow.names)
    renamed = mapping.rename(names) if mapping is not None else names
    check_duplicate_columns([str(n).strip() for n in renamed], where, None)
    require_columns(renamed, where, None)
    sources = [names[renamed.index(c)] for c in COLUMNS]
    with pf:
        offset = 0
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=sources):
            yield pa.Table.from_batches([batch]).rename_columns(list(COLUMNS)), Where(where.file, "parquet", (), offset), None
            offset += batch.num_rows


def batches(
    path: Path, problems: list[Problem], threads: bool = True, csv_format: str = "auto", mapping: LoadedMapping | None = None
) -> Iterator[tuple[pa.Table, Where, CsvDialect | None]]:
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return _parquet_batches(path, mapping)
    return _csv_batches(path, problems, threads, csv_format, mapping)


# ------------------------------------------------------------------------------------ hashing


_FNV_OFFSET, _FNV_PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)


def text_hash(labels: list[str]) -> np.ndarray:
    """FNV-1a of each label's UTF-8 bytes (vectorised over labels; stable across runs and machines)."""
    if not labels:
        return np.zeros(0, np.uint64)
    raw = np.array([s.encode("utf-8") for s in labels], dtype=object).astype(bytes)  # fixed width, NUL padded
    width = raw.dtype.itemsize
    b = raw.view(np.uint8).reshape(len(labels), width).astype(np.uint64) if width else np.zeros((len(labels), 0), np.uint64)
    h = np.full(len(labels), _FNV_OFFSET, np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            col = b[:, j]
            h = np.where(col != 0, (h ^ col) * _FNV_PRIME, h)
    return h


def int_hash(ids: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = ids.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        return x ^ (x >> np.uint64(29))


# ------------------------------------------------------------------------------------ pass 1: bucket


@dataclass
class BucketReport:
    """What bucketing one file found: its problems (at most MAX_SHOWN listed) and its extent."""

    problems: list[Problem]
    more: int  # row problems not listed
    rows: int
    first_week: int | None
    last_week: int | None
    text_ids: bool | None  # None: no rows
    counted: bool = False  # some row's person has a count at start above 0 (--start-count)
    weeks: frozenset[int] = frozenset()  # the week numbers with rows


def _rule_problems(arrays: PanelArrays, week_no: np.ndarray, book: RateBook, problems: ProblemCollector) -> None:
    """Rows whose benefit and activation the law in rates/ has no share for in their week, at any
    week of duration: the engine's message, named by the file's line (the engine would name a bucket)."""
    st = share_tables(book)
    cat_weeks = np.array([week_number(parse_week(c)) for c in arrays.week_labels], dtype=np.int64)
    if not len(cat_weeks):
        return
    present = np.bincount(arrays.week, minlength=len(cat_weeks)) > 0
    outside_law(st, cat_weeks, present, arrays.week, arrays.week_labels, arrays.where)  # raises for weeks no law prices
    period = st.week_rules(cat_weeks)[1]
    no_rule = np.isnan(st.values[:, :, :, 1:]).all(axis=3) & st.is_benefit[None, :, None]  # (period, benefit, activation)
    bad = np.flatnonzero(no_rule[period[arrays.week], arrays.benefit, arrays.activation])
    if bad.size:
        labels, codes, b, a = arrays.week_labels, arrays.week, arrays.benefit, arrays.activation
        problems.add(bad, "benefit", lambda i: f"ingen refusionsregel i rates/ for {BENEFITS[b[i]]} ({ACTIVATIONS[a[i]]}) i uge {labels[codes[i]]}")


def bucket_file(
    path: str, part: int, out_dir: str, k: int, book: RateBook, csv_format: str = "auto", mapping: LoadedMapping | None = None, start_counts: StartCounts | None = None
) -> BucketReport:
    """Validate one panel file batch by batch and append its rows to ``out_dir/b{j}/p{part}.arrow``.

    ``csv_format`` and ``mapping`` read an own extract as :func:`panel.read_panel_arrays` does;
    ``start_counts`` only marks whether a person of the file has a count at start.
    Nothing is written once a batch has problems; the report lists them (a Dask task, too)."""
    try:
        return _bucket_file(path, part, out_dir, k, book, True, csv_format, mapping, start_counts)
    except _LinesUnknown:
        for f in Path(out_dir).glob(f"b*/p{part:06d}.arrow"):
            f.unlink()
        return _bucket_file(path, part, out_dir, k, book, False, csv_format, mapping, start_counts)


def _bucket_file(
    path: str, part: int, out_dir: str, k: int, book: RateBook, threads: bool, csv_format: str, mapping: LoadedMapping | None, start_counts: StartCounts | None
) -> BucketReport:
    from pyarrow import ipc

    path_ = Path(path)
    listed: list[Problem] = []
    more = rows = 0
    first = last = None
    seen: set[int] = set()
    text_ids: bool | None = None
    counted = False
    writers: dict[int, Any] = {}
    malformed: list[Problem] = []
    try:
        for table, where, dialect in batches(path_, malformed, threads, csv_format, mapping):
            try:
                arrays = validate_table(table, where, dialect=dialect, mapping=mapping)
                collector = ProblemCollector(where)
                week_no = np.array([week_number(parse_week(c)) for c in arrays.week_labels], dtype=np.int32)[arrays.week]
                _rule_problems(arrays, week_no, book, collector)
                collector.raise_if_any()
            except InputError as exc:
                for p in exc.problems:
                    if p.line is None and p.message.startswith("…"):  # "… and N more" of the batch
                        more += int(re.search(r"\d+", p.message).group())
                    elif len(listed) < MAX_SHOWN:
                        listed.append(p)
                    else:
                        more += 1
                continue
            n = len(arrays)
            if not n:
                continue
            rows += n
            first = int(week_no.min()) if first is None else min(first, int(week_no.min()))
            last = int(week_no.max()) if last is None else max(last, int(week_no.max()))
            present = np.bincount(arrays.week, minlength=len(arrays.week_labels)) > 0
            seen.update(week_number(parse_week(arrays.week_labels[j])) for j in np.flatnonzero(present))
            is_text = arrays.person_labels is not None
            if text_ids is None:
                text_ids = is_text
            elif text_ids != is_text:
                listed.append(Problem(path, None, "person_id", "person_id er tekst i én del af panelet og heltal i en anden (forventede én slags)"))
                continue
            if start_counts is not None and not counted:
                counted = bool((start_offsets(arrays.person, arrays.person_labels, start_counts) > 0).any())
            if listed or more:
                continue  # keep validating, stop writing
            if is_text:
                labels = arrays.person_labels
                bucket_of_label = (text_hash(labels) % np.uint64(k)).astype(np.int32)
                bucket = bucket_of_label[arrays.person]
                person_col = pa.array(labels, pa.string()).take(pa.array(arrays.person))
            else:
                bucket = (int_hash(arrays.person) % np.uint64(k)).astype(np.int32)
                person_col = pa.array(arrays.person, pa.int64())
            schema = BUCKET_SCHEMA_TEXT if is_text else BUCKET_SCHEMA_INT
            full = pa.Table.from_arrays(
                [person_col, pa.array(week_no), pa.array(arrays.benefit), pa.array(arrays.activation), pa.array(arrays.amount)], schema=schema
            )
            order = np.argsort(bucket, kind="stable")
            counts = np.bincount(bucket, minlength=k)
            sorted_full = full.take(pa.array(order))
            start = 0
            for j in np.flatnonzero(counts):
                piece = sorted_full.slice(start, int(counts[j]))
                start += int(counts[j])
                w = writers.get(j)
                if w is None:
                    d = Path(out_dir) / f"b{j:05d}"
                    d.mkdir(parents=True, exist_ok=True)
                    w = writers[j] = ipc.new_file(str(d / f"p{part:06d}.arrow"), schema)
                w.write_table(piece)
    finally:
        for w in writers.values():
            w.close()
    listed = malformed[:MAX_SHOWN] + listed
    more += max(0, len(malformed) - MAX_SHOWN)
    return BucketReport(listed[:MAX_SHOWN], more + max(0, len(listed) - MAX_SHOWN), rows, first, last, text_ids, counted, frozenset(seen))


# ------------------------------------------------------------------------------------ pass 2: price


@dataclass
class BucketSums:
    """One partition priced: exact sums (benefit × regime, gross/state/municipal) and counts."""

    sums: np.ndarray  # (2 * len(BENEFITS), 3, 2): whole kroner and millionths (financing.exact)
    rows: np.ndarray  # (2 * len(BENEFITS),)
    persons: int
    first_week: int | None
    last_week: int | None
    calendar: dict | None = None  # sums by calendar year (financing.calendar)


def read_bucket(bucket_dir: str) -> PanelArrays | None:
    """The rows of one bucket (every part file) as a panel for the engine."""
    import pyarrow.compute as pc
    from pyarrow import ipc

    parts = sorted(Path(bucket_dir).glob("p*.arrow"))
    if not parts:
        return None
    tables = []
    for p in parts:
        with pa.memory_map(str(p)) as src:
            tables.append(ipc.open_file(src).read_all())
    table = pa.concat_tables(tables).combine_chunks()
    del tables
    person = table.column("person")
    if pa.types.is_string(person.type):
        enc = pc.dictionary_encode(person).combine_chunks()
        pcodes = np.asarray(enc.indices).astype(np.int64)
        labels: list[str] | None = enc.dictionary.to_pylist()
    else:
        pcodes, labels = np.asarray(person.chunk(0)) if person.num_chunks else np.zeros(0, np.int64), None
    week_no = np.asarray(table.column("week").chunk(0))
    uniq, wcodes = np.unique(week_no, return_inverse=True)
    return PanelArrays(
        person=np.ascontiguousarray(pcodes),
        person_labels=labels,
        week=wcodes.astype(np.int32),
        week_labels=[week_label(int(w)) for w in uniq],
        benefit=np.asarray(table.column("benefit").chunk(0)),
        activation=np.asarray(table.column("activation").chunk(0)),
        amount=np.asarray(table.column("amount").chunk(0)),
        where=Where(bucket_dir, "frame"),
    )


def price_bucket(bucket_dir: str, book: RateBook, start_counts: StartCounts | None = None) -> BucketSums:
    """Run the in-memory engine on one bucket and keep its sums (a Dask task, too); ``start_counts``:
    each person's weeks on the staircase before the panel (checked against the panel's start by
    :func:`refund_summary_partitioned`, so never against one bucket's)."""
    ngroups = 2 * len(BENEFITS)
    panel = read_bucket(bucket_dir)
    if panel is None or not len(panel):
        return BucketSums(np.zeros((ngroups, 3, 2), np.int64), np.zeros(ngroups, np.int64), 0, None, None)
    res = run_engine(panel, book, start_counts=start_counts)
    sums, rows = group_sums(res.benefit, res.regime, res.amount, res.share, ngroups)
    first, last = (week_number(parse_week(w)) for w in res.weeks) if res.weeks else (None, None)
    return BucketSums(np.asarray(sums), np.asarray(rows), res.persons, first, last, res.calendar)


def combine(parts: list[BucketSums]) -> tuple[np.ndarray, np.ndarray, int, tuple[str, str] | None]:
    """Add the partitions: exact sums per cell (integers, so in any order), counts, the panel's week range."""
    ngroups = 2 * len(BENEFITS)
    sums = exact.total(np.stack([p.sums for p in parts]), axis=0) if parts else np.zeros((ngroups, 3, 2), np.int64)
    rows = np.sum([p.rows for p in parts], axis=0) if parts else np.zeros(ngroups, np.int64)
    persons = sum(p.persons for p in parts)
    firsts = [p.first_week for p in parts if p.first_week is not None]
    lasts = [p.last_week for p in parts if p.last_week is not None]
    weeks = (week_label(min(firsts)), week_label(max(lasts))) if firsts else None
    return sums, rows, persons, weeks


# ------------------------------------------------------------------------------------ orchestration


Stage = Callable[[str], None]


def _raise_reports(reports: list[BucketReport]) -> None:
    listed = [p for r in reports for p in r.problems]
    more = sum(r.more for r in reports) + max(0, len(listed) - MAX_SHOWN)
    if listed or more:
        shown = listed[:MAX_SHOWN]
        if more:
            shown.append(Problem(shown[0].file if shown else "", None, "", f"… og {more} rækkefejl mere, som ikke er vist (de første {len(shown)} er vist)"))
        raise InputError(shown)


@dataclass
class Bucketed:
    """A panel bucketed by person in a temporary folder: the buckets' folders and what pass 1 found."""

    buckets: list[str]
    reports: list[BucketReport]
    first_week: int | None
    last_week: int | None
    weeks: frozenset[int]  # every week number with rows
    origin: int  # the staircase count's origin week (§ 30, stk. 1)

    def map(self, fn: Callable[..., Any], client: Any = None, **kwargs: Any) -> list[Any]:
        """``fn(bucket, **kwargs)`` for every bucket, here or as Dask tasks."""
        if client is None:
            return [fn(b, **kwargs) for b in self.buckets]
        return client.gather(client.map(fn, self.buckets, pure=False, **kwargs))

    def fold(self, fn: Callable[..., Any], add: Callable[[Any, Any], Any], client: Any = None, **kwargs: Any) -> Any:
        """``fn(bucket, **kwargs)`` for every bucket, each result added into the total as it comes
        (``add`` must not depend on the order), so only the total and one result are held."""
        total = None
        if client is None:
            results = (fn(b, **kwargs) for b in self.buckets)
        else:
            from dask.distributed import as_completed

            results = (f.result() for f in as_completed(client.map(fn, self.buckets, pure=False, **kwargs)))
        for r in results:
            total = r if total is None else add(total, r)
        return total


@contextmanager
def bucketed(
    path: Path | str,
    book: RateBook,
    *,
    partitions: int | None = None,
    memory: int | None = None,
    tmp_dir: Path | str | None = None,
    client: Any = None,
    on_stage: Stage = lambda _s: None,
    csv_format: str = "auto",
    mapping: LoadedMapping | None = None,
    start_counts: StartCounts | None = None,
) -> Iterator[Bucketed]:
    """Pass 1 for a panel of any size (file or folder): validate it and bucket its rows by person;
    every problem of the whole panel is raised before anything is priced. The buckets are removed
    when the block ends, also when something fails. Arguments as :func:`refund_summary_partitioned`."""
    files = panel_files(path)
    rows_guess = estimated_rows(files)
    k = partitions or partition_count(rows_guess, memory)
    work = Path(tempfile.mkdtemp(prefix="budgetmodel-buckets-", dir=tmp_dir))
    try:
        on_stage("opdeler")
        if client is None:
            reports = [bucket_file(str(f), i, str(work), k, book, csv_format, mapping, start_counts) for i, f in enumerate(files)]
        else:
            own = {"csv_format": csv_format, "mapping": mapping, "start_counts": start_counts}
            futures = client.map(bucket_file, [str(f) for f in files], list(range(len(files))), out_dir=str(work), k=k, book=book, pure=False, **own)
            reports = client.gather(futures)
        _raise_reports(reports)
        firsts = [r.first_week for r in reports if r.first_week is not None]
        first = min(firsts) if firsts else None
        last = max(r.last_week for r in reports if r.last_week is not None) if firsts else None
        if firsts:
            span = last - first + 1
            if span > WEEK_MAX:
                raise InputError([Problem(str(path), None, "week", f"panelet spænder over {span} uger; højst {WEEK_MAX} understøttes")])
        origin = week_number(share_tables(book).rules.count_origin)
        if start_counts is not None and firsts and any(r.counted for r in reports) and first <= origin:
            raise InputError([start_count_problem(start_counts.file, first, origin)])
        buckets = [str(d) for d in sorted(work.iterdir()) if d.is_dir()]
        yield Bucketed(buckets, reports, first, last, frozenset().union(*(r.weeks for r in reports)), origin)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def refund_summary_partitioned(
    path: Path | str,
    book: RateBook,
    *,
    partitions: int | None = None,
    memory: int | None = None,
    tmp_dir: Path | str | None = None,
    client: Any = None,
    on_stage: Stage = lambda _s: None,
    csv_format: str = "auto",
    mapping: LoadedMapping | None = None,
    start_counts: StartCounts | None = None,
    on_buckets: Callable[[Bucketed, Any], None] | None = None,
) -> dict:
    """The summary of :func:`refund.refund_summary` for a panel of any size (file or folder).

    ``csv_format``, ``mapping`` and ``start_counts`` read an own extract as the in-memory path does
    (the CLI's ``--csv-format``, ``--kortlaegning`` and ``--start-count``). ``partitions`` fixes the number of buckets (default from the panel's size and ``memory``);
    ``client`` is a ``dask.distributed.Client`` to run the tasks on; ``tmp_dir`` is where the
    buckets are written (a folder every worker can read when ``client`` runs on other machines);
    ``on_buckets(b, client)`` is called with the bucketed panel for another measure over the same
    buckets (the passive share of ``unitcost.passivity``)."""
    own = {"csv_format": csv_format, "mapping": mapping, "start_counts": start_counts}
    with bucketed(path, book, partitions=partitions, memory=memory, tmp_dir=tmp_dir, client=client, on_stage=on_stage, **own) as b:
        if on_buckets is not None:
            on_buckets(b, client)
        on_stage("refusion")
        parts = b.map(price_bucket, client, book=book, start_counts=start_counts)
        on_stage("summer")
        sums, rows, persons, weeks = combine(parts)
        calendar = combine_calendars([p.calendar for p in parts])
        warning = start_warning(week_number(parse_week(weeks[0])), b.origin) if weeks and start_counts is None else None
        return summary_json(sums, rows, persons, weeks, calendar_years_json(calendar)["years"], [warning] if warning else [])


class dask_client:
    """``with dask_client(address) as client``: a client of a running Dask scheduler (``tcp://host:8786``),
    or of a local cluster of ``workers`` processes when ``address`` is ``local``."""

    def __init__(self, address: str, workers: int | None = None):
        self.address, self.workers = address, workers
        self._cluster = self._client = None

    def __enter__(self):
        from dask.distributed import Client, LocalCluster

        if self.address == "local":
            n = self.workers or os.cpu_count() or 1
            self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
            self._client = Client(self._cluster)
        else:
            self._client = Client(self.address)
        return self._client

    def __exit__(self, *exc) -> None:
        import logging

        # every result is gathered by now: a worker that a loaded machine stops slowly is killed by
        # its nanny after 4 s with a warning ("worker still alive, killing") that says nothing to a user
        nanny = logging.getLogger("distributed.nanny")
        level = nanny.level
        nanny.setLevel(logging.ERROR)
        try:
            if self._client is not None:
                self._client.close()
            if self._cluster is not None:
                self._cluster.close(timeout=60)
        finally:
            nanny.setLevel(level)


__all__ = ["refund_summary_partitioned", "bucketed", "Bucketed", "read_bucket", "needs_partitions", "partition_count", "bucket_file", "price_bucket", "panel_files", "dask_client"]
