"""Load every table in ``rates/``, check them as a whole, and look values up at a date."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from budgetmodel.errors import InputError, Problem
from budgetmodel.rates.schema import ANY, UNIT_RANGE, RateEntry, RateTableFile, Unit, parse_band
from budgetmodel.sourcefile import LocatedDocument, parse_yaml, regular_files, validate


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
        }


class RateTable:
    def __init__(self, spec: RateTableFile, path: Path, sha256: str):
        self.spec = spec
        self.path = path
        self.sha256 = sha256
        self.dims = {d.name: d for d in spec.dimensions}
        self._ends = _effective_ends(spec.values)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def unit(self) -> str:
        return self.spec.unit.value

    def periods(self) -> list[tuple[dt.date, dt.date | None]]:
        """The distinct validity periods in the table (from, to inclusive / open)."""
        seen = sorted({(e.valid_from, end) for e, end in zip(self.spec.values, self._ends)}, key=lambda p: (p[0], p[1] or dt.date.max))
        return seen

    def in_force(self, at: dt.date) -> list[RateValue]:
        """Every value in force at ``at`` (a snapshot of the table)."""
        return [self._value(e, end) for e, end in zip(self.spec.values, self._ends) if _covers(e.valid_from, end, at)]

    def lookup(self, at: dt.date, **cell: Any) -> RateValue:
        """The single value in force at ``at`` for a cell: categories by code, bands by integer week."""
        unknown = set(cell) - set(self.dims)
        missing = set(self.dims) - set(cell)
        if unknown or missing:
            raise KeyError(f"{self.id}: lookup needs exactly {sorted(self.dims)}; got {sorted(cell)}")
        hits = [v for v in self.in_force(at) if _matches(self.dims, v.where, cell)]
        if not hits:
            raise KeyError(f"{self.id}: no value in force at {at} for {cell}")
        if len(hits) > 1:  # excluded at load time; kept as a guard
            raise KeyError(f"{self.id}: {len(hits)} values in force at {at} for {cell}")
        return hits[0]

    def value(self, at: dt.date, **cell: Any) -> Any:
        return self.lookup(at, **cell).value

    def _value(self, e: RateEntry, end: dt.date | None) -> RateValue:
        return RateValue(self.id, dict(e.where), e.value, self.unit, e.valid_from, end, e.source, e.status.value, e.note)


class RateBook:
    """All rate tables, by id, with a fingerprint of the files they came from."""

    def __init__(self, tables: dict[str, RateTable], root: Path):
        self.tables = tables
        self.root = root

    def table(self, table_id: str) -> RateTable:
        try:
            return self.tables[table_id]
        except KeyError:
            raise KeyError(f"no rate table '{table_id}' in {self.root} (have: {', '.join(sorted(self.tables))})") from None

    def value(self, table_id: str, at: dt.date, **cell: Any) -> Any:
        return self.table(table_id).value(at, **cell)

    def lookup(self, table_id: str, at: dt.date, **cell: Any) -> RateValue:
        return self.table(table_id).lookup(at, **cell)

    @property
    def fingerprint(self) -> str:
        """sha256 over the table files (id + content hash), the 'rates version' a memo prints."""
        h = hashlib.sha256()
        for tid in sorted(self.tables):
            h.update(f"{tid}:{self.tables[tid].sha256}\n".encode())
        return h.hexdigest()


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


def check_table(spec: RateTableFile, doc: LocatedDocument) -> list[Problem]:
    """Whole-table rules pydantic cannot see: id vs file name, cells, bands, ranges, overlaps."""
    file = str(doc.path)
    problems: list[Problem] = []
    if spec.id != doc.path.stem:
        problems.append(Problem(file, doc.line_of(("id",)), "id", f"id '{spec.id}' must equal the file name '{doc.path.stem}'"))
    dims = {d.name: d for d in spec.dimensions}
    if len(dims) != len(spec.dimensions):
        problems.append(Problem(file, doc.line_of(("dimensions",)), "dimensions", "a dimension name is used twice"))
    lo_hi = UNIT_RANGE.get(spec.unit)
    for i, e in enumerate(spec.values):
        loc = ("values", i)
        for name, code in e.where.items():
            wloc = (*loc, "where", name)
            if name not in dims:
                problems.append(Problem(file, doc.line_of(wloc), ".".join(map(str, wloc)), f"unknown dimension '{name}' (expected one of {sorted(dims)})"))
            elif code == ANY:
                continue
            elif dims[name].kind == "band":
                try:
                    parse_band(code)
                except ValueError as exc:
                    problems.append(Problem(file, doc.line_of(wloc), ".".join(map(str, wloc)), str(exc)))
            elif code not in dims[name].values:
                problems.append(Problem(file, doc.line_of(wloc), ".".join(map(str, wloc)), f"unknown code '{code}' (expected one of {dims[name].values})"))
        vloc = (*loc, "value")
        if lo_hi is not None:
            if isinstance(e.value, bool) or not isinstance(e.value, (int, float)):
                problems.append(Problem(file, doc.line_of(vloc), ".".join(map(str, vloc)), f"expected a number for unit '{spec.unit.value}'; got {e.value!r}"))
            elif not lo_hi[0] <= e.value <= lo_hi[1]:
                problems.append(Problem(file, doc.line_of(vloc), ".".join(map(str, vloc)), f"value {e.value} out of range [{lo_hi[0]:g}, {lo_hi[1]:g}] for unit '{spec.unit.value}'"))
        elif spec.unit.value == "flag" and not isinstance(e.value, bool):
            problems.append(Problem(file, doc.line_of(vloc), ".".join(map(str, vloc)), f"expected true/false for unit 'flag'; got {e.value!r}"))
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
                        f"overlapping periods: this value and the one at line {doc.line_of(('values', i))} both apply to {b.where or 'every cell'} on {max(a.valid_from, b.valid_from)}",
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
        out.append(Problem(file, doc.line_of(("id",)), "id", f"id '{tid}' must equal the file name '{doc.path.stem}'"))
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
                out.append(Problem(file, doc.line_of(loc), ".".join(map(str, loc)), f"value {v} out of range [{lo_hi[0]:g}, {lo_hi[1]:g}] for unit '{data['unit']}'"))
    return out


def load_table(path: Path) -> RateTable:
    doc = parse_yaml(path)
    try:
        spec = validate(doc, RateTableFile)  # reading and schema problems together
    except InputError as exc:
        raise InputError([*exc.problems, *_raw_checks(doc)]) from None
    problems = check_table(spec, doc)
    if problems:
        raise InputError(problems)
    return RateTable(spec, path, doc.sha256)


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


def load_rates(root: Path | str | None = None) -> RateBook:
    """Load and check every table below ``root`` (default: the bundled ``rates/``)."""
    from budgetmodel.paths import rates_dir

    root = Path(root) if root is not None else rates_dir()
    tables: dict[str, RateTable] = {}
    problems: list[Problem] = []
    for path in rate_files([root], problems):
        try:
            t = load_table(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if t.id in tables:
            problems.append(Problem(str(path), 1, "id", f"table id '{t.id}' also used by {tables[t.id].path}"))
        tables[t.id] = t
    if problems:
        raise InputError(problems)
    if not tables:
        raise InputError([Problem(str(root), None, "", "no rate tables (*.yaml) found")])
    return RateBook(tables, root)
