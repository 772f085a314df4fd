"""What a real extract brings besides the five columns: its CSV dialect, its own codes, and each
person's staircase count at the panel's start.

* **Dialect.** A Danish Excel writes CSV with ``;`` between fields and a decimal comma
  (``1.234,56``); other tools write ``,`` and a decimal point. :func:`detect_dialect` reads the
  header and a sample of lines: the separator is the candidate (``;``, tab, ``,``) that splits the
  header into the most fields; with ``;`` or tab the amounts use a decimal comma unless a sampled
  amount has a point followed by other than three digits (``300.5`` is a decimal point, ``1.234``
  a thousands point). ``--csv-format dansk|standard`` forces it.
* **Code mapping.** A ``kind: code-mapping`` YAML renames the extract's columns and translates its
  own benefit and activation codes into the model's (``budgetmodel koder`` lists those); a benefit
  code mapped to ``null`` marks rows that are not a benefit the model prices (they are dropped as
  self-support weeks). Codes that are already the model's pass unchanged.
* **Count at start.** A CSV ``person_id,count_weeks``: the weeks each person had counted on the
  refusionstrappe (LBK nr. 221 af 12/02/2021 § 5, stk. 2 and § 30) before the panel's first week.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import numpy as np

from budgetmodel.errors import InputError, Problem

COLUMNS: tuple[str, ...] = ("person_id", "week", "benefit", "activation", "amount_dkk")
if TYPE_CHECKING:
    from budgetmodel.financing.code_mapping import CodeMapping

CSV_FORMATS = ("auto", "dansk", "standard")
SAMPLE_BYTES = 256 * 1024

_COMMA_AMOUNT = re.compile(r"^\s*-?(\d+|\d{1,3}(\.\d{3})+),\d+\s*$")  # 1234,56 / 1.234,56
_POINT_DECIMAL = re.compile(r"^\s*-?\d*\.(\d{1,2}|\d{4,})\s*$")  # 300.5 / 12.0001: not a thousands point
# a valid amount under a decimal comma: digits with optional thousands points and optional ,decimals
DANISH_NUMBER = r"^\s*-?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?\s*$"


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str = ","
    decimal: str = "."
    how: str = "standard"  # "fundet i filen" (detected) or the forced format's name

    def describe(self) -> str:
        sep = {";": "semikolon", ",": "komma", "\t": "tabulator"}.get(self.delimiter, repr(self.delimiter))
        dec = "decimalkomma" if self.decimal == "," else "decimalpunktum"
        return f"{sep} mellem felterne og {dec} ({self.how})"


DANSK = CsvDialect(";", ",", "dansk")
STANDARD = CsvDialect(",", ".", "standard")


def _sample_lines(path: Path) -> list[str]:
    with open(path, "rb") as fh:
        raw = fh.read(SAMPLE_BYTES)
    text = raw.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    if len(raw) == SAMPLE_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut
    return lines


def detect_dialect(path: Path, csv_format: str = "auto", amount_column: str = "amount_dkk") -> CsvDialect:
    """The file's dialect: forced by ``csv_format`` (dansk/standard) or read from the file itself."""
    if csv_format == "dansk":
        return DANSK
    if csv_format == "standard":
        return STANDARD
    lines = _sample_lines(path)
    header = lines[0] if lines else ""
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))  # ties go to the comma
    if counts[delimiter] <= 1:
        delimiter = ","
    if delimiter == ",":
        return CsvDialect(",", ".", "fundet i filen")
    names = [h.strip() for h in next(csv.reader([header], delimiter=delimiter), [])]
    decimal = ","
    if amount_column in names:
        k = names.index(amount_column)
        for row in csv.reader(lines[1:2000], delimiter=delimiter):
            if k < len(row):
                v = row[k]
                if _COMMA_AMOUNT.match(v):
                    decimal = ","
                    break
                if _POINT_DECIMAL.match(v):
                    decimal = "."
                    break
    return CsvDialect(delimiter, decimal, "fundet i filen")


def header_hint(names: list[str], dialect: CsvDialect, mapping: Optional["LoadedMapping"] = None) -> str:
    """A Danish hint for a header that lacks the panel's columns: what was found and what to do."""
    shown = ", ".join(repr(n) for n in names[:8]) + (" …" if len(names) > 8 else "")
    hints = [f"fandt {len(names)} kolonne{'r' if len(names) != 1 else ''} ({shown}) med {dialect.describe()}"]
    if len(names) == 1 and names:
        other = [d for d in (";", ",", "\t") if d in names[0]]
        if other:
            sep = {";": "semikolon", ",": "komma", "\t": "tabulator"}[other[0]]
            hints.append(f"overskriften indeholder {sep}: prøv --csv-format {'dansk' if other[0] == ';' else 'standard'} eller --csv-format auto")
    if mapping is None:
        hints.append("hedder kolonnerne noget andet i jeres system, så oversæt dem i en kortlægningsfil (--kortlaegning, se examples/kortlaegning-dst.yaml)")
    else:
        hints.append("tjek 'columns:' i kortlægningsfilen")
    return "; ".join(hints)


# ------------------------------------------------------------------------------------ code mapping


@dataclass
class LoadedMapping:
    mapping: "CodeMapping"  # financing.code_mapping (pydantic, imported only when a mapping is used)
    file: str

    def source_name(self, column: str) -> str:
        """The extract's name of one of the model's columns."""
        for src, dst in self.mapping.columns.items():
            if dst == column:
                return src
        return column

    def rename(self, names: list[str]) -> list[str]:
        return [self.mapping.columns.get(n, n) for n in names]


def load_mapping(path: Path | str | None) -> LoadedMapping | None:
    if path is None:
        return None
    from budgetmodel.financing.code_mapping import CodeMapping
    from budgetmodel.sourcefile import load_model

    model, _doc = load_model(path, CodeMapping)
    return LoadedMapping(model, str(path))


def translate(values: list, table: dict[str, Optional[str]], allowed: tuple[str, ...]) -> tuple[list, set[int]]:
    """Distinct source values → model codes; indices of values mapped to null (rows to drop).

    A value already among ``allowed`` is kept; an unmapped value is kept as is (and reported as
    unknown by the caller)."""
    out, drop = [], set()
    for k, v in enumerate(values):
        if v is None:
            out.append(v)
        elif v in table:
            if table[v] is None:
                drop.add(k)
            out.append(table[v])
        else:
            out.append(v)
    return out, drop


# ------------------------------------------------------------------------------------ count at start


@dataclass
class StartCounts:
    """Weeks counted on the refusionstrappe before the panel's first week, per person id (text)."""

    counts: dict[str, int] = field(default_factory=dict)
    file: str = ""


def read_start_counts(path: Path | str, csv_format: str = "auto") -> StartCounts:
    """Read ``person_id,count_weeks`` (either CSV dialect); every problem at once."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise InputError([Problem(file, None, "", "filen med optælling ved start findes ikke")])
    dialect = detect_dialect(path, csv_format, amount_column="count_weeks")
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    first_line: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, delimiter=dialect.delimiter)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in ("person_id", "count_weeks") if c not in header]
        if missing:
            raise InputError([Problem(file, 1, ",".join(missing), f"mangler kolonnen {' og '.join(repr(m) for m in missing)} (filen skal have kolonnerne person_id og count_weeks); {header_hint(header, dialect)}")])
        kp, kc = header.index("person_id"), header.index("count_weeks")
        for line, row in enumerate(reader, start=2):
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) <= max(kp, kc):
                problems.append(Problem(file, line, "", f"forventede {len(header)} felter, fandt {len(row)}"))
                continue
            pid, raw = row[kp].strip(), row[kc].strip()
            if not pid:
                problems.append(Problem(file, line, "person_id", "mangler en værdi (forventede et person-id)"))
                continue
            try:
                n = int(raw)
            except ValueError:
                problems.append(Problem(file, line, "count_weeks", f"'{raw}' er ikke et helt antal uger (forventede et heltal ≥ 0)"))
                continue
            if n < 0:
                problems.append(Problem(file, line, "count_weeks", f"negativt antal uger {n} (forventede et heltal ≥ 0)"))
                continue
            if pid in counts:
                problems.append(Problem(file, line, "person_id", f"person '{pid}' står to gange (første gang i linje {first_line[pid]})"))
                continue
            counts[pid] = n
            first_line[pid] = line
    if problems:
        raise InputError(problems)
    return StartCounts(counts, file)


def start_offsets(person: np.ndarray, labels: list[str] | None, start: StartCounts) -> np.ndarray:
    """Per row: the person's count at the panel's start (0 where the file does not name the person)."""
    if labels is not None:
        per_code = np.array([start.counts.get(label, 0) for label in labels] + [0], dtype=np.int32)
        return per_code[person]
    ids = np.fromiter((int(k) for k in start.counts if k.lstrip("-").isdigit()), dtype=np.int64)
    vals = np.fromiter((v for k, v in start.counts.items() if k.lstrip("-").isdigit()), dtype=np.int32)
    out = np.zeros(person.shape[0], np.int32)
    if ids.size:
        order = np.argsort(ids)
        ids, vals = ids[order], vals[order]
        pos = np.clip(np.searchsorted(ids, person), 0, ids.size - 1)
        hit = ids[pos] == person
        out[hit] = vals[pos[hit]]
    return out
