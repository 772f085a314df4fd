"""One published table as data: a CSV file in ``data/`` with a header naming its source.

File format (UTF-8)::

    # document: Mploy/Kibak, Jobcenterbenchmark ... (2013); seeds/004_e014b426b53ea594.txt
    # table: Tabel 4.1 Produktivitet og kvalitet i beskæftigelsesindsatsen
    # unit: årsværk pr. 1.000 årspersoner          (or: "per row, column unit")
    # source: lines 989-1015                        (optional)
    # key: code                                     (optional: the column that names a row; unique)
    # text: code, label, unit                       (optional: columns that hold text, not numbers)
    # note: free text, repeatable                   (optional)
    code;label;unit;Sønderborg;Varde;...
    produktivitet;Produktivitet;aarsvaerk_per_1000;21,5;24,1;...

* ``#`` lines come first; ``document``, ``table`` and ``unit`` are required.
* The body is CSV with ``;`` as separator (the Danish spreadsheet convention, since ``,`` is the
  decimal mark).
* Numbers are written **as printed** in the document, in Danish format: ``21,5``, ``43.323``,
  ``20%``, ``11,5%``, ``-1,2``. ``-`` is the document's dash (nothing reported / no resources); an
  empty cell means the document prints nothing there. Keeping the printed text lets a data test
  know the printed rounding (the number of decimals) of every figure.

Every problem in a file (or a folder of files) is reported at once with file, line and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from budgetmodel.errors import InputError, Problem
from budgetmodel.safefile import decode_text, read_regular, regular_files, short

MAX_TABLE_BYTES = 16 * 1024 * 1024  # a published statistics table is a few kB
REQUIRED_META = ("document", "table", "unit")
KNOWN_META = (*REQUIRED_META, "source", "key", "text", "note")

_NUMBER_RE = re.compile(r"^(-?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(%?)$")


@dataclass(frozen=True)
class Cell:
    """A printed figure: its value, how many decimals it was printed with, and the printed text.

    ``value`` is None for the document's dash (``dash``) and for an empty cell. A percentage is
    kept in percent (``20%`` → 20.0, ``percent`` True); :attr:`share` gives the fraction.
    """

    text: str
    value: float | None
    decimals: int = 0
    percent: bool = False

    @property
    def dash(self) -> bool:
        return self.text == "-"

    @property
    def empty(self) -> bool:
        return self.text == ""

    @property
    def half_unit(self) -> float:
        """Half of the last printed digit: the rounding error the printed figure may carry."""
        return 0.5 * 10.0 ** (-self.decimals)

    @property
    def share(self) -> float | None:
        if self.value is None:
            return None
        return self.value / 100.0 if self.percent else self.value

    def or_zero(self) -> float:
        """The value, with the document's dash read as zero (no resources reported)."""
        if self.value is None:
            if self.dash:
                return 0.0
            raise ValueError("tom celle har ingen værdi")
        return self.value


def parse_number(text: str) -> Cell | None:
    """Parse a Danish printed number; None if the text is not one."""
    t = text.strip()
    if t in ("", "-"):
        return Cell(text=t, value=None)
    m = _NUMBER_RE.match(t)
    if not m:
        return None
    sign, whole, frac, pct = m.groups()
    digits = whole.replace(".", "")
    if len(digits) > 15:  # beyond 10^15 a printed figure is a typing error (and float would round or overflow)
        return None
    value = float(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")
    return Cell(text=t, value=value, decimals=len(frac) if frac else 0, percent=bool(pct))


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, Cell | str]

    def text(self, column: str) -> str:
        v = self.cells[column]
        return v if isinstance(v, str) else v.text

    def cell(self, column: str) -> Cell:
        v = self.cells[column]
        if isinstance(v, str):
            raise KeyError(f"kolonnen '{column}' er en tekstkolonne")
        return v


@dataclass(frozen=True)
class StatTable:
    """A loaded table: its header (meta), columns and typed rows with their line numbers."""

    path: Path
    meta: dict[str, str]
    notes: tuple[str, ...]
    columns: tuple[str, ...]
    text_columns: tuple[str, ...]
    rows: tuple[Row, ...]
    key: str | None = None
    _index: dict[str, Row] = field(default_factory=dict, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def document(self) -> str:
        return self.meta["document"]

    @property
    def title(self) -> str:
        return self.meta["table"]

    @property
    def unit(self) -> str:
        return self.meta["unit"]

    @property
    def number_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.text_columns)

    def citation(self) -> str:
        src = self.meta.get("source")
        return f"{self.document}, {self.title}" + (f" ({src})" if src else "")

    def row(self, key: str) -> Row:
        if self.key is None:
            raise KeyError(f"{self.path}: tabellen har ingen nøglekolonne")
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"{self.path}: ingen række '{key}'") from None

    def keys(self) -> list[str]:
        return list(self._index)

    def cell(self, key: str, column: str) -> Cell:
        return self.row(key).cell(column)

    def value(self, key: str, column: str) -> float | None:
        return self.cell(key, column).value


def _split_list(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def parse_table(path: Path, text: str) -> StatTable:
    """Parse the text of one data file; raise InputError listing every problem."""
    file = str(path)
    problems: list[Problem] = []
    meta: dict[str, str] = {}
    notes: list[str] = []
    lines = text.splitlines()
    body_start = 0
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = i
            break
        body = line[1:].strip()
        if not body:
            continue
        name, sep, value = body.partition(":")
        name, value = name.strip().lower(), value.strip()
        if not sep or name not in KNOWN_META:
            problems.append(Problem(file, i + 1, name if sep else "", f"ukendt hovedlinje; forventet '# navn: værdi' med navn blandt {', '.join(KNOWN_META)}"))
            continue
        if not value:
            problems.append(Problem(file, i + 1, name, "værdien mangler"))
            continue
        if name == "note":
            notes.append(value)
        elif name in meta:
            problems.append(Problem(file, i + 1, name, f"'{name}' er angivet to gange"))
        else:
            meta[name] = value
    else:
        body_start = len(lines)
    for name in REQUIRED_META:
        if name not in meta:
            problems.append(Problem(file, 1, name, f"hovedet mangler '# {name}: …'"))

    body_lines = lines[body_start:]
    if not body_lines or not body_lines[0].strip():
        problems.append(Problem(file, body_start + 1, "", "kolonneoverskrifterne mangler efter hovedet"))
        raise InputError(problems)
    reader = csv.reader(io.StringIO("\n".join(body_lines)), delimiter=";")
    records = list(reader)
    header = [h.strip() for h in records[0]]
    header_line = body_start + 1
    seen: set[str] = set()
    for h in header:
        if not h:
            problems.append(Problem(file, header_line, "", "en kolonne har intet navn"))
        elif h in seen:
            problems.append(Problem(file, header_line, h, "kolonnenavnet bruges to gange"))
        seen.add(h)
    text_cols = _split_list(meta.get("text", ""))
    for c in text_cols:
        if c not in header:
            problems.append(Problem(file, 1, "text", f"tekstkolonnen '{c}' findes ikke blandt kolonnerne"))
    key = meta.get("key")
    if key is not None:
        if key not in header:
            problems.append(Problem(file, 1, "key", f"nøglekolonnen '{key}' findes ikke blandt kolonnerne"))
            key = None
        elif key not in text_cols:
            text_cols.append(key)

    rows: list[Row] = []
    index: dict[str, Row] = {}
    for n, rec in enumerate(records[1:], start=1):
        line_no = header_line + n
        if not any(x.strip() for x in rec):
            continue
        if len(rec) != len(header):
            problems.append(Problem(file, line_no, "", f"rækken har {len(rec)} felter, overskriften {len(header)}"))
            continue
        cells: dict[str, Cell | str] = {}
        for col, raw in zip(header, rec):
            raw = raw.strip()
            if col in text_cols:
                cells[col] = raw
                continue
            cell = parse_number(raw)
            if cell is None:
                problems.append(Problem(file, line_no, col, f"{short(raw)} er ikke et tal i dansk format med højst 15 cifre (fx 21,5 · 43.323 · 20% · -)"))
                continue
            cells[col] = cell
        row = Row(line=line_no, cells=cells)
        if key is not None:
            k = cells.get(key, "")
            if not k:
                problems.append(Problem(file, line_no, key, "nøglen mangler"))
            elif k in index:
                problems.append(Problem(file, line_no, key, f"nøglen '{k}' bruges også i linje {index[k].line}"))
            else:
                index[k] = row  # type: ignore[index]
        rows.append(row)
    if problems:
        raise InputError(problems)
    return StatTable(
        path=path,
        meta=meta,
        notes=tuple(notes),
        columns=tuple(header),
        text_columns=tuple(c for c in header if c in text_cols),
        rows=tuple(rows),
        key=key,
        _index=index,
    )


def load_table(path: Path | str) -> StatTable:
    path = Path(path)
    raw = read_regular(path, MAX_TABLE_BYTES)
    return parse_table(path, decode_text(raw, str(path)))


def load_tables(root: Path | str, under: str | None = None) -> dict[str, StatTable]:
    """Every ``*.csv`` under ``root`` (or only under ``root/under``), keyed by its path relative to
    root without ``.csv`` (e.g. ``mploy2013/tabel_4_01``); all problems in all files at once."""
    root = Path(root)
    folder = root / under if under else root
    if not folder.is_dir():
        raise InputError([Problem(str(folder), None, "", "mappen findes ikke")])
    tables: dict[str, StatTable] = {}
    files, problems = regular_files(folder, (".csv",))
    for p in files:
        try:
            t = load_table(p)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        tables[p.relative_to(root).with_suffix("").as_posix()] = t
    if problems:
        raise InputError(problems)
    return tables


def require_tables(root: Path | str | None, under: str, names: tuple[str, ...]) -> list[StatTable]:
    """The named tables of one folder (``root`` defaults to the bundled data/), in the order asked;
    one error naming every table that is missing."""
    from budgetmodel.paths import data_dir

    base = Path(root) if root is not None else data_dir()
    tables = load_tables(base, under)
    missing = [n for n in names if f"{under}/{n}" not in tables]
    if missing:
        raise InputError([Problem(str(base / under / f"{n}.csv"), None, "", "tabellen mangler") for n in missing])
    return [tables[f"{under}/{n}"] for n in names]
