"""Load every table in ``rates/``, check them as a whole, look values up at a date, and lay a
reform over the law.

API (the one way to read the law):

* ``book = load_rates(DIR)``; ``book.lookup(table, at, **cell) -> RateValue`` (value + citation),
  ``book.value(...)`` the bare value. A ``RateValue`` knows its table's ``known_through``;
  ``v.assumed_unchanged(at)`` is true when ``at`` lies after it (the law assumed unchanged).
* ``book.past_known_through`` records every table looked up after its ``known_through``
  (``{table_id: (known_through, latest date asked)}``) so a run or memo can list them under
  Forudsætninger ("lov antaget uændret efter …"); ``book.note_lookup(table, at)`` adds one for
  a vectorised path that reads a table without ``lookup``.
* ``book.with_overrides(overrides, file=…, locate=…, prefix=…) -> RateBook``: a NEW book with
  reform values laid over the law (the baseline is never mutated, like OpenFisca's
  ``Reform.modify_parameters`` on a copy). An override is a mapping
  ``{table, where, valid_from, valid_to?, value, source, note?}``, checked like a rate value
  (table, dimension, code and unit range must exist/hold; every problem at once, located by
  ``locate(prefix + (i, field))``). Overridden values carry status ``reform``; for a cell and
  date an override wins over the law. ``book.overlay_fingerprint`` hashes the overrides,
  ``book.fingerprint`` then differs from ``book.base_fingerprint``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from budgetmodel.errors import InputError, Problem
from budgetmodel.rates.schema import ANY, INTEGER_UNITS, UNIT_RANGE, RateEntry, RateTableFile, Status, Unit, parse_band
from budgetmodel.safefile import regular_files, short

if TYPE_CHECKING:
    from budgetmodel.sourcefile import LocatedDocument


@dataclass(frozen=True)
class RateValue:
    """One value in force, with everything needed to cite it."""

    table_id: str
    where: dict[str, str]
    value: Any
    unit: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    status: str
    note: str
    known_through: dt.date | None = None  # the table's: after it the law is assumed unchanged

    def assumed_unchanged(self, at: dt.date) -> bool:
        """True when a lookup at ``at`` lies after the date the table's sources establish it."""
        return self.known_through is not None and at > self.known_through

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table_id,
            "where": dict(self.where),
            "value": self.value,
            "unit": self.unit,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "source": self.source,
            "status": self.status,
            "note": self.note,
            "known_through": self.known_through.isoformat() if self.known_through else None,
        }


class RateTable:
    def __init__(self, spec: RateTableFile, path: Path, sha256: str, overlay: tuple[RateEntry, ...] = ()):
        self.spec = spec
        self.path = path
        self.sha256 = sha256
        self.dims = {d.name: d for d in spec.dimensions}
        self._ends = _effective_ends(spec.values)
        self.overlay = overlay  # reform values (status reform), laid over the law
        self._overlay_ends = _effective_ends(list(overlay))
        starts = [e.valid_from for e in (*spec.values, *overlay)]
        self.first_date: dt.date = min(starts)
        # lookups: entries bucketed by the code of the first category dimension, answers memoised
        self._bucket_dim = next((d.name for d in spec.dimensions if d.kind == "category"), None)
        # keyed by name, not id(): a book sent to another process (a Dask worker) keeps working
        self._buckets = {"law": _bucket(spec.values, self._bucket_dim), "overlay": _bucket(overlay, self._bucket_dim)}
        self._memo: dict[tuple, RateValue | None] = {}

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def unit(self) -> str:
        return self.spec.unit.value

    @property
    def known_through(self) -> dt.date | None:
        return self.spec.known_through

    def unit_for(self, where: Mapping[str, Any]) -> Unit:
        """The unit of a cell: the unit of the table's values for it when they name one
        (a rules table mixing weeks and dates), else the table's."""
        cell = {str(k): str(v) for k, v in where.items()}
        for e in self.spec.values:
            if e.unit is not None and _cells_intersect(self.dims, e.where, cell):
                return e.unit
        return self.spec.unit

    def with_overlay(self, entries: Sequence[RateEntry]) -> "RateTable":
        return RateTable(self.spec, self.path, self.sha256, tuple(self.overlay) + tuple(entries))

    def _all(self):
        yield from ((e, end, False) for e, end in zip(self.spec.values, self._ends))
        yield from ((e, end, True) for e, end in zip(self.overlay, self._overlay_ends))

    def periods(self) -> list[tuple[dt.date, dt.date | None]]:
        """The distinct validity periods in the table, overrides included (from, to inclusive / open)."""
        seen = sorted({(e.valid_from, end) for e, end, _ in self._all()}, key=lambda p: (p[0], p[1] or dt.date.max))
        return seen

    def in_force(self, at: dt.date) -> list[RateValue]:
        """Every value in force at ``at`` (a snapshot of the table): the law's values that no
        override covers whole, then the overrides in force (which win where cells intersect)."""
        over = [(e, end) for e, end in zip(self.overlay, self._overlay_ends) if _covers(e.valid_from, end, at)]
        base = [
            (e, end)
            for e, end in zip(self.spec.values, self._ends)
            if _covers(e.valid_from, end, at) and not any(_cell_contains(self.dims, o.where, e.where) for o, _ in over)
        ]
        return [self._value(e, end) for e, end in base + over]

    def lookup(self, at: dt.date, **cell: Any) -> RateValue:
        """The single value in force at ``at`` for a cell: categories by code, bands by integer
        week. An override in force for the cell wins over the law."""
        key = (at, tuple(sorted(cell.items())))
        if key in self._memo:
            hit = self._memo[key]
            if hit is None:
                raise KeyError(f"{self.id}: ingen værdi i kraft {at} for {cell}")
            return hit
        unknown = set(cell) - set(self.dims)
        missing = set(self.dims) - set(cell)
        if unknown or missing:
            raise KeyError(f"{self.id}: opslaget kræver præcis {sorted(self.dims)}; fik {sorted(cell)}")
        for name, want in cell.items():  # a band (weeks, age) is looked up by a whole number
            if self.dims[name].kind == "band" and not (isinstance(want, int) or str(want).strip().isdigit()):
                raise KeyError(f"{self.id}: {name} skal være et helt tal (båndet slås op med et heltal); fik {short(want)}")
        found: RateValue | None = None
        for entries, ends, part in ((self.overlay, self._overlay_ends, "overlay"), (self.spec.values, self._ends, "law")):
            buckets = self._buckets[part]
            idx = buckets.get(cell.get(self._bucket_dim), buckets.get(ANY, [])) if self._bucket_dim else range(len(entries))
            hits = [i for i in idx if _covers(entries[i].valid_from, ends[i], at) and _matches(self.dims, entries[i].where, cell)]
            if len(hits) > 1:  # excluded at load time; kept as a guard
                raise KeyError(f"{self.id}: {len(hits)} værdier i kraft {at} for {cell}")
            if hits:
                found = self._value(entries[hits[0]], ends[hits[0]])
                break
        if len(self._memo) > 200_000:
            self._memo.clear()
        self._memo[key] = found
        if found is None:
            raise KeyError(f"{self.id}: ingen værdi i kraft {at} for {cell}")
        return found

    def value(self, at: dt.date, **cell: Any) -> Any:
        return self.lookup(at, **cell).value

    def _value(self, e: RateEntry, end: dt.date | None) -> RateValue:
        return RateValue(self.id, dict(e.where), e.value, self.unit, e.valid_from, end, e.source, e.status.value, e.note, self.known_through)


class RateBook:
    """All rate tables, by id, with a fingerprint of the files they came from (and of the
    overrides laid over them, if any)."""

    def __init__(self, tables: dict[str, RateTable], root: Path, overrides: tuple["Override", ...] = (), fingerprint: str | None = None):
        self.tables = tables
        self.root = root
        self.overrides = overrides
        self._files_fingerprint = fingerprint  # set when only some of root's tables were loaded
        # {table_id: (known_through, latest date looked up after it)}: see the module docstring
        self.past_known_through: dict[str, tuple[dt.date, dt.date]] = {}

    def table(self, table_id: str) -> RateTable:
        try:
            return self.tables[table_id]
        except KeyError:
            raise KeyError(f"ingen satstabel '{table_id}' i {self.root} (har: {', '.join(sorted(self.tables))})") from None

    def value(self, table_id: str, at: dt.date, **cell: Any) -> Any:
        return self.lookup(table_id, at, **cell).value

    def lookup(self, table_id: str, at: dt.date, **cell: Any) -> RateValue:
        v = self.table(table_id).lookup(at, **cell)
        self.note_lookup(table_id, at)
        return v

    def note_lookup(self, table_id: str, at: dt.date) -> None:
        """Record a read of ``table_id`` at ``at`` if that lies after the table's known_through."""
        kt = self.table(table_id).known_through
        if kt is not None and at > kt:
            _, last = self.past_known_through.get(table_id, (kt, at))
            self.past_known_through[table_id] = (kt, max(last, at))

    def assumed_unchanged(self) -> list[dict[str, str]]:
        """The tables read after their known_through, for Forudsætninger: id, known_through, latest date."""
        return [
            {"table": tid, "known_through": kt.isoformat(), "latest": last.isoformat(), "text": f"{tid}: lov antaget uændret efter {kt.isoformat()}"}
            for tid, (kt, last) in sorted(self.past_known_through.items())
        ]

    @property
    def base_fingerprint(self) -> str:
        """sha256 over the table files (id + content hash).

        One value for one rates folder, whichever of its tables a command loaded (refund loads
        only the refund tables): :func:`fingerprint_of` over every file of the folder."""
        if self._files_fingerprint is not None:
            return self._files_fingerprint
        return _fingerprint({tid: t.sha256 for tid, t in self.tables.items()})

    @property
    def overlay_fingerprint(self) -> str | None:
        """sha256 over the overrides (canonical JSON, in order); None without overrides."""
        if not self.overrides:
            return None
        h = hashlib.sha256()
        for o in self.overrides:
            h.update(json.dumps(o.canonical(), sort_keys=True, ensure_ascii=False).encode() + b"\n")
        return h.hexdigest()

    @property
    def fingerprint(self) -> str:
        """The 'rates version' a memo prints: the files' hash, combined with the overlay's if any."""
        base = self.base_fingerprint
        over = self.overlay_fingerprint
        return base if over is None else hashlib.sha256(f"{base}+{over}".encode()).hexdigest()

    def with_overrides(
        self,
        overrides: Sequence[Mapping[str, Any]],
        *,
        file: str = "law.overrides",
        locate: Callable[[tuple], int | None] | None = None,
        prefix: tuple = ("law", "overrides"),
    ) -> "RateBook":
        """A new book with ``overrides`` laid over this one (this book is not changed).

        Raises one InputError listing every problem (file, line via ``locate(prefix + (i, field))``,
        field ``law.overrides.i.field``)."""
        parsed = parse_overrides(self, overrides, file=file, locate=locate, prefix=prefix)
        by_table: dict[str, list[RateEntry]] = {}
        for o in parsed:
            by_table.setdefault(o.table, []).append(o.entry())
        tables = dict(self.tables)
        for tid, entries in by_table.items():
            tables[tid] = tables[tid].with_overlay(entries)
        return RateBook(tables, self.root, tuple(self.overrides) + tuple(parsed), fingerprint=self._files_fingerprint)


@dataclass(frozen=True)
class Override:
    """One reform value laid over a table (status ``reform``)."""

    table: str
    where: dict[str, str]
    valid_from: dt.date
    valid_to: dt.date | None
    value: Any
    source: str
    note: str

    def entry(self) -> RateEntry:
        return RateEntry(
            valid_from=self.valid_from, valid_to=self.valid_to, where=self.where, value=self.value, source=self.source, status=Status.reform, note=self.note
        )

    def canonical(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "where": dict(sorted(self.where.items())),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "value": self.value,
            "source": self.source,
            "note": self.note,
        }


def parse_overrides(
    book: RateBook,
    overrides: Sequence[Mapping[str, Any]],
    *,
    file: str = "law.overrides",
    locate: Callable[[tuple], int | None] | None = None,
    prefix: tuple = ("law", "overrides"),
) -> list[Override]:
    """Check overrides against the book like rate values; every problem at once (InputError)."""
    problems: list[Problem] = []

    def problem(path: tuple, message: str) -> None:
        full = (*prefix, *path)
        line = locate(full) if locate is not None else None
        problems.append(Problem(file, line, ".".join(map(str, full)), message))

    from pydantic import ValidationError

    from budgetmodel.rates.file_schema import OverrideSpec

    out: list[Override] = []
    if not isinstance(overrides, (list, tuple)):
        problem((), "forventede en liste af ændrede satser {table, where, valid_from, value, source, note}")
        raise InputError(problems)
    for i, raw in enumerate(overrides):
        if not isinstance(raw, Mapping):
            problem((i,), "forventede en ændret sats {table, where, valid_from, value, source, note}")
            continue
        schema_ok = True
        try:
            spec = OverrideSpec.model_validate(dict(raw))
        except ValidationError as exc:
            schema_ok = False
            for err in exc.errors():
                loc = tuple(err["loc"])
                msg = err["msg"]
                if err["type"] == "extra_forbidden":
                    msg = f"ukendt nøgle '{loc[-1]}' (forventede table, where, valid_from, valid_to, value, source, note)"
                elif err["type"] == "missing":
                    msg = f"feltet '{loc[-1]}' mangler"
                elif loc and loc[0] in ("valid_from", "valid_to"):
                    msg = f"{raw.get(loc[0])!r} er ikke en dato; forventede en ISO-dato ÅÅÅÅ-MM-DD, fx 2016-01-04"
                problem((i, *loc), msg)
        if schema_ok and spec.valid_to is not None and spec.valid_to < spec.valid_from:
            problem((i, "valid_to"), f"valid_to {spec.valid_to} ligger før valid_from {spec.valid_from}")
        tid = raw.get("table")
        if not isinstance(tid, str):
            continue
        if tid not in book.tables:
            problem((i, "table"), f"ingen satstabel '{tid}' (har: {', '.join(sorted(book.tables))})")
            continue
        table = book.tables[tid]
        where = raw.get("where", {})
        if isinstance(where, Mapping):
            for name, msg in check_cell(table.dims, {str(k): str(v) for k, v in where.items()}):
                problem((i, "where", name), msg)
        if "value" in raw:
            msg = check_value(table.unit_for(where if isinstance(where, Mapping) else {}), raw["value"])
            if msg:
                problem((i, "value"), msg)
        if schema_ok:
            out.append(Override(spec.table, dict(spec.where), spec.valid_from, spec.valid_to, spec.value, spec.source, spec.note))
    if not problems:  # two overrides for one cell on one day: ambiguous
        by_table: dict[str, list[int]] = {}
        for k, o in enumerate(out):
            by_table.setdefault(o.table, []).append(k)
        for tid, idx in by_table.items():
            entries = [out[k].entry() for k in idx]
            ends = _effective_ends(entries)
            dims = book.tables[tid].dims
            for a in range(len(entries)):
                for b in range(a + 1, len(entries)):
                    ea, eb = entries[a], entries[b]
                    if ea.valid_from <= (ends[b] or dt.date.max) and eb.valid_from <= (ends[a] or dt.date.max) and _cells_intersect(dims, ea.where, eb.where):
                        problem((idx[b], "valid_from"), f"overlapper ændring {idx[a]}: begge gælder for {eb.where or 'alle celler'} i {tid} den {max(ea.valid_from, eb.valid_from)}")
    if problems:
        raise InputError(problems)
    return out


def check_cell(dims: dict, where: Mapping[str, str]) -> list[tuple[str, str]]:
    """Problems with a value's cell: (dimension, message) — unknown dimension, code or band."""
    out: list[tuple[str, str]] = []
    for name, code in where.items():
        if name not in dims:
            out.append((name, f"ukendt dimension '{name}' (forventede en af {sorted(dims)})"))
        elif code == ANY:
            continue
        elif dims[name].kind == "band":
            try:
                parse_band(code)
            except ValueError as exc:
                out.append((name, str(exc)))
        elif code not in dims[name].values:
            out.append((name, f"ukendt kode '{code}' (forventede en af {dims[name].values})"))
    return out


def _bucket(entries, dim: str | None) -> dict:
    """Entry indices by their code in ``dim`` ('*' entries in every bucket, and under '*')."""
    if dim is None:
        return {}
    out: dict = {ANY: []}
    for i, e in enumerate(entries):
        out.setdefault(e.where.get(dim, ANY), [])
    for i, e in enumerate(entries):
        code = e.where.get(dim, ANY)
        for k in out if code == ANY else (code,):
            out[k].append(i)
    for k in out:
        out[k].sort()
    return out


def _fingerprint(hashes: dict[str, str]) -> str:
    h = hashlib.sha256()
    for tid in sorted(hashes):
        h.update(f"{tid}:{hashes[tid]}\n".encode())
    return h.hexdigest()


def fingerprint_of(root: Path) -> str:
    """The base fingerprint load_rates(root) would print, from the files alone (table id = file name)."""
    return _fingerprint({p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in rate_files([Path(root)])})


def _covers(start: dt.date, end: dt.date | None, at: dt.date) -> bool:
    return start <= at and (end is None or at <= end)


def _key(where: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(where.items()))


def _effective_ends(values: list[RateEntry]) -> list[dt.date | None]:
    """A value runs to its valid_to, or to the day before the next value for the same cell."""
    by_cell: dict[tuple, list[int]] = {}
    for i, e in enumerate(values):
        by_cell.setdefault(_key(e.where), []).append(i)
    ends: list[dt.date | None] = [e.valid_to for e in values]
    for idx in by_cell.values():
        idx.sort(key=lambda i: values[i].valid_from)
        for a, b in zip(idx, idx[1:]):
            # a later value ends an open one; two values from the same date stay open, so the
            # overlap check sees them
            if ends[a] is None and values[b].valid_from > values[a].valid_from:
                ends[a] = values[b].valid_from - dt.timedelta(days=1)
    return ends


def _band_contains(band: str, week: int) -> bool:
    lo, hi = parse_band(band)
    return week >= lo and (hi is None or week <= hi)


def _matches(dims: dict, where: dict[str, str], cell: dict[str, Any]) -> bool:
    for name, want in cell.items():
        have = where.get(name, ANY)
        if have == ANY:
            continue
        if dims[name].kind == "band":
            if not _band_contains(have, int(want)):
                return False
        elif have != want:
            return False
    return True


def _cell_contains(dims: dict, outer: dict[str, str], inner: dict[str, str]) -> bool:
    """True when every cell of ``inner`` lies in ``outer`` (an override covering a law value whole)."""
    for name, d in dims.items():
        x, y = outer.get(name, ANY), inner.get(name, ANY)
        if x == ANY:
            continue
        if y == ANY:
            return False
        if d.kind == "band":
            (olo, ohi), (ilo, ihi) = parse_band(x), parse_band(y)
            if ilo < olo or (ohi is not None and (ihi is None or ihi > ohi)):
                return False
        elif x != y:
            return False
    return True


def _cells_intersect(dims: dict, a: dict[str, str], b: dict[str, str]) -> bool:
    for name, d in dims.items():
        x, y = a.get(name, ANY), b.get(name, ANY)
        if ANY in (x, y):
            continue
        if d.kind == "band":
            (alo, ahi), (blo, bhi) = parse_band(x), parse_band(y)
            if (ahi is not None and ahi < blo) or (bhi is not None and bhi < alo):
                return False
        elif x != y:
            return False
    return True


def check_value(unit: Unit, value: Any) -> str | None:
    """What is wrong with a value for its unit (type, finiteness, range), or None."""
    lo_hi = UNIT_RANGE.get(unit)
    if lo_hi is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"forventede et tal for enheden '{unit.value}'; fik {short(value)}"
        if not math.isfinite(value):
            return f"{value} er ikke et endeligt tal (enhed '{unit.value}')"
        if unit in INTEGER_UNITS and value != int(value):
            return f"forventede et helt antal for enheden '{unit.value}'; fik {value}"
        if not lo_hi[0] <= value <= lo_hi[1]:
            return f"værdien {value} er uden for [{lo_hi[0]:g}, {lo_hi[1]:g}] for enheden '{unit.value}'"
        return None
    if unit is Unit.flag and not isinstance(value, bool):
        return f"forventede true/false for enheden 'flag'; fik {short(value)}"
    if unit is Unit.date:
        try:
            dt.date.fromisoformat(value if isinstance(value, str) else "")
        except ValueError:
            return f"forventede en dato ÅÅÅÅ-MM-DD i anførselstegn for enheden 'date'; fik {short(value)}"
        return None
    if unit is Unit.text and not isinstance(value, str):
        return f"forventede tekst for enheden 'text'; fik {short(value)} (et tal eller en dato har sin egen enhed: giv værdien 'unit')"
    return None


def check_table(spec: RateTableFile, doc: LocatedDocument) -> list[Problem]:
    """Whole-table rules pydantic cannot see: id vs file name, cells, bands, ranges, overlaps."""
    file = str(doc.path)
    problems: list[Problem] = []
    if spec.id != doc.path.stem:
        problems.append(Problem(file, doc.line_of(("id",)), "id", f"id '{spec.id}' skal være lig filnavnet '{doc.path.stem}'"))
    dims = {d.name: d for d in spec.dimensions}
    if len(dims) != len(spec.dimensions):
        problems.append(Problem(file, doc.line_of(("dimensions",)), "dimensions", "et dimensionsnavn bruges to gange"))
    for i, e in enumerate(spec.values):
        loc = ("values", i)
        for name, msg in check_cell(dims, e.where):
            wloc = (*loc, "where", name)
            problems.append(Problem(file, doc.line_of(wloc), ".".join(map(str, wloc)), msg))
        vloc = (*loc, "value")
        msg = check_value(e.unit or spec.unit, e.value)
        if msg:
            problems.append(Problem(file, doc.line_of(vloc), ".".join(map(str, vloc)), msg))
        if e.status == Status.reform:
            sloc = (*loc, "status")
            problems.append(Problem(file, doc.line_of(sloc), ".".join(map(str, sloc)), "status 'reform' er kun til law.overrides i et scenarie; en satsfil har law, derived eller assumption"))
    if problems:
        return problems
    ends = _effective_ends(spec.values)
    for i, (a, aend) in enumerate(zip(spec.values, ends)):
        for j in range(i + 1, len(spec.values)):
            b, bend = spec.values[j], ends[j]
            dates_overlap = a.valid_from <= (bend or dt.date.max) and b.valid_from <= (aend or dt.date.max)
            if dates_overlap and _cells_intersect(dims, a.where, b.where):
                loc = ("values", j, "valid_from")
                problems.append(
                    Problem(
                        file,
                        doc.line_of(loc),
                        ".".join(map(str, loc)),
                        f"overlappende perioder: denne værdi og værdien i linje {doc.line_of(('values', i))} gælder begge for {b.where or 'alle celler'} den {max(a.valid_from, b.valid_from)}",
                    )
                )
    return problems


def _raw_checks(doc: LocatedDocument) -> list[Problem]:
    """The whole-table checks that need no valid schema (id vs file name, values within their
    unit's range), so a file with schema errors still gets every problem in one message."""
    file, data, out = str(doc.path), doc.data, []
    if not isinstance(data, dict):
        return out
    tid = data.get("id")
    if isinstance(tid, str) and tid != doc.path.stem:
        out.append(Problem(file, doc.line_of(("id",)), "id", f"id '{tid}' skal være lig filnavnet '{doc.path.stem}'"))
    try:
        lo_hi = UNIT_RANGE.get(Unit(data.get("unit")))
    except ValueError:
        lo_hi = None
    values = data.get("values")
    if lo_hi is not None and isinstance(values, list):
        for i, e in enumerate(values):
            v = e.get("value") if isinstance(e, dict) else None
            if isinstance(v, (int, float)) and not isinstance(v, bool) and not lo_hi[0] <= v <= lo_hi[1]:
                loc = ("values", i, "value")
                out.append(Problem(file, doc.line_of(loc), ".".join(map(str, loc)), f"værdien {v} er uden for [{lo_hi[0]:g}, {lo_hi[1]:g}] for enheden '{data['unit']}'"))
    return out


# the modules whose code decides a table's checked form (a change to any of them checks every table again)
CHECKING_CODE = ("rates/schema.py", "rates/file_schema.py", "rates/book.py", "sourcefile.py", "safefile.py")


def load_table(path: Path) -> RateTable:
    """One table, checked (schema and whole-table rules) or, for the same bytes, its checked form
    kept from an earlier run (:mod:`budgetmodel.compiled`)."""
    from budgetmodel.compiled import cached_file

    path = Path(path)
    spec, sha = cached_file("rates", path, CHECKING_CODE, lambda sha: _checked_table(path, sha))
    return RateTable(spec, path, sha)


def _checked_table(path: Path, sha: str) -> RateTableFile:
    from budgetmodel.rates.file_schema import TableSpec
    from budgetmodel.sourcefile import parse_yaml, validate

    doc = parse_yaml(path)
    if doc.sha256 != sha:
        raise InputError([Problem(str(path), None, "", "filen blev ændret, mens den blev læst; kør igen")])
    try:
        spec = validate(doc, TableSpec).form()  # reading and schema problems together
    except InputError as exc:
        raise InputError([*exc.problems, *_raw_checks(doc)]) from None
    problems = check_table(spec, doc)
    if problems:
        raise InputError(problems)
    return spec


def rate_files(paths: list[Path], problems: list[Problem] | None = None) -> list[Path]:
    """The YAML files of ``paths`` (folders searched); FIFOs, devices and links out of a folder
    are added to ``problems`` (when given) instead of being read."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            files, refused = regular_files(p, (".yaml", ".yml"))
            out.extend(files)
            if problems is not None:
                problems.extend(refused)
        else:
            out.append(p)
    return out


def model_tables() -> tuple[str, ...]:
    """The ids of the bundled ``rates/`` tables: the model reads every one of them (a scenario's
    refunds, caps, budget lines and rate references)."""
    from budgetmodel.paths import rates_dir

    return tuple(sorted(p.stem for p in rate_files([rates_dir()])))


def missing_tables(root: Path, have, need) -> list[Problem]:
    """One problem per table of ``need`` that ``have`` (ids) lacks, naming the table and its file
    (one problem when ``root`` is no folder at all)."""
    if need and not Path(root).is_dir():
        return [Problem(str(root), None, "", "satsmappen findes ikke eller er ikke en mappe (forventede en mappe med satstabeller *.yaml)")]
    return [
        Problem(str(root), None, t, f"satsmappen mangler tabellen '{t}' ({t}.yaml), som beregningen bruger; kopiér den fra den medfølgende rates/ eller ret mappen")
        for t in need
        if t not in have
    ]


def load_rates(root: Path | str | None = None, need=None) -> RateBook:
    """Load and check every table below ``root`` (default: the bundled ``rates/``).

    ``need``: the table ids the caller reads; a folder lacking one is an InputError naming it.
    Default: every table of the bundled folder (:func:`model_tables`) when ``root`` is another
    folder; ``()`` for no requirement (``rates list``)."""
    from budgetmodel.paths import rates_dir

    if need is None:
        need = model_tables() if root is not None and Path(root).resolve() != rates_dir().resolve() else ()
    root = Path(root) if root is not None else rates_dir()
    if need and not root.is_dir():
        raise InputError(missing_tables(root, (), need))
    tables: dict[str, RateTable] = {}
    problems: list[Problem] = []
    read: set[str] = set()  # file stems read, loaded or not (a broken table is not also missing)
    for path in rate_files([root], problems):
        read.add(path.stem)
        try:
            t = load_table(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if t.id in tables:
            problems.append(Problem(str(path), 1, "id", f"tabel-id '{t.id}' bruges også af {tables[t.id].path}"))
        tables[t.id] = t
    if tables or problems:  # (an empty folder is its own error below)
        problems.extend(missing_tables(root, {*tables, *read}, need))
    if problems:
        raise InputError(problems)
    if not tables:
        raise InputError([Problem(str(root), None, "", "ingen satstabeller (*.yaml) i mappen")])
    return RateBook(tables, root)
