"""Person-week panels (the shape of DREAM / Ydelsesrefusion extracts): read, validate, encode.

A panel has one row per payment: ``person_id, week, benefit, activation, amount_dkk``. ``week`` is ``YYYY-Www``; ``amount_dkk`` the gross benefit paid that week. Weeks a
person is absent from are self-support.

Bad input raises one :class:`InputError` with every problem (file, line, field, what was expected);
at most ``MAX_SHOWN`` rows are listed, plus a count of the rest. For CSV the data row ``i``
(0-based) is line ``i + 2`` (line 1 is the header); for Parquet the problem names row ``i + 1``.

A week in employment with wage subsidy WITHOUT a benefit payment is the benefit code
``ansat_med_loentilskud`` with amount 0: it is not self-support (LBK nr. 221 af 12/02/2021 § 6,
stk. 2), so it does not help restart the staircase count, and it is not a week with benefits, so
it does not advance the count either; it is priced at 0.

Several rows for the same person, week and benefit (e.g. a change of activation within the week)
are separate payments: they share the spell and count week and are each priced at the share of
their own activation. ``person_id`` is text in a CSV file ('007' and '7' are two persons).
Extra columns are ignored.

The validated panel is compact. :func:`read_panel_arrays` gives :class:`PanelArrays` (integer codes
and float amounts; no pandas, so the CLI starts fast); :func:`read_panel` gives a DataFrame whose
``week``, ``benefit`` and ``activation`` are categoricals (benefit and activation categories are
:data:`BENEFITS` / :data:`ACTIVATIONS` in that order, so their codes are the engine's integer codes),
``amount_dkk`` float64 and ``person_id`` an integer column or a categorical of strings. pandas is
imported inside the DataFrame functions only.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from budgetmodel.codes import ACTIVATIONS, BENEFITS, SUBSIDISED_EMPLOYMENT  # the codes shared by panels, rates and scenarios
from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.panel_input import DANISH_NUMBER, CsvDialect, LoadedMapping, detect_dialect, header_hint, load_mapping, translate
from budgetmodel.financing.weeks import EPOCH_MONDAY, WEEK_RE, monday_of, parse_week, week_label, week_number  # noqa: F401  (re-exported)
from budgetmodel.safefile import check_regular

if TYPE_CHECKING:
    import pandas as pd

COLUMNS: tuple[str, ...] = ("person_id", "week", "benefit", "activation", "amount_dkk")
MAX_SHOWN = 100  # problems listed in one error; the rest are counted
# one row is one person's payment of one benefit in one week: more than 100 mio. kr. is a typing
# error (and near float's maximum the totals would overflow to infinity)
MAX_ROW_AMOUNT = 100_000_000.0
# text a spreadsheet or pandas writes for an empty cell: never a person's id
MISSING_MARKERS = frozenset({"nan", "na", "n/a", "null", "none", "#n/a"})


# ---------------------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Where:
    """How rows of a panel are named in messages: file, and CSV lines or Parquet rows."""

    file: str
    kind: str  # "csv" | "parquet" | "frame"
    skipped: tuple[int, ...] = ()  # CSV data rows (0-based) dropped as malformed, so later rows shift
    offset: int = 0  # data rows of the file before these (a batch read in a stream)

    def line(self, i: int) -> int:
        i = i + self.offset
        if self.skipped:
            adj = np.asarray(self.skipped) - np.arange(len(self.skipped))
            i = i + int(np.searchsorted(adj, i, side="right"))
        return i + 2 if self.kind == "csv" else i + 1

    def row(self, i: int) -> str:
        return "" if self.kind == "csv" else f"række {i + self.offset + 1}: "

    def originals(self, idx: np.ndarray) -> np.ndarray:
        """Data-row indices of the file (0-based, counting skipped rows) of the rows ``idx``."""
        idx = np.asarray(idx, dtype=np.int64) + self.offset
        if not self.skipped:
            return idx
        adj = np.asarray(self.skipped) - np.arange(len(self.skipped))
        return idx + np.searchsorted(adj, idx, side="right")


class ProblemCollector:
    """Offending row indices per (field, message-maker); renders at most MAX_SHOWN problems."""

    def __init__(self, where: Where):
        self.where = where
        self._groups: list[tuple[np.ndarray, str, object]] = []
        self.extra: list[Problem] = []

    def add(self, idx: np.ndarray, field: str, message) -> None:
        """``message(i) -> str`` for one data row index ``i`` (only called for shown rows)."""
        idx = np.asarray(idx, dtype=np.int64)
        if idx.size:
            self._groups.append((idx, field, message))

    def __bool__(self) -> bool:
        return bool(self._groups or self.extra)

    def problems(self) -> list[Problem]:
        out = list(self.extra[:MAX_SHOWN])
        if len(self.extra) > MAX_SHOWN:
            out.append(Problem(self.where.file, None, "", f"… og {len(self.extra) - MAX_SHOWN} fejl mere, som ikke er vist"))
        if not self._groups:
            return out
        rows = np.concatenate([g[0] for g in self._groups])
        which = np.concatenate([np.full(g[0].size, k) for k, g in enumerate(self._groups)])
        order = np.lexsort((which, rows))
        shown = order[:MAX_SHOWN]
        for j in shown:
            i, k = int(rows[j]), int(which[j])
            _, field, message = self._groups[k]
            out.append(Problem(self.where.file, self.where.line(i), field, self.where.row(i) + message(i)))
        rest = rows.size - shown.size
        if rest:
            out.append(Problem(self.where.file, None, "", f"… og {rest} rækkefejl mere, som ikke er vist (de første {MAX_SHOWN} er vist)"))
        return out

    def raise_if_any(self) -> None:
        if self:
            raise InputError(self.problems())


# ---------------------------------------------------------------------------------------- reading


@dataclass
class PanelArrays:
    """A validated panel as arrays (row order as read)."""

    person: np.ndarray  # int64: the ids themselves, or codes into person_labels
    person_labels: list[str] | None  # None when the ids are integers
    week: np.ndarray  # int32 codes into week_labels
    week_labels: list[str]  # distinct ISO weeks, ascending
    benefit: np.ndarray  # int8 codes into BENEFITS
    activation: np.ndarray  # int8 codes into ACTIVATIONS
    amount: np.ndarray  # float64 kroner
    where: Where

    def __len__(self) -> int:
        return int(self.amount.shape[0])

    def person_label(self, i: int) -> str:
        p = int(self.person[i])
        return self.person_labels[p] if self.person_labels is not None else str(p)


def read_panel_arrays(path: Path | str, csv_format: str = "auto", mapping: "LoadedMapping | Path | str | None" = None) -> PanelArrays:
    """Read a CSV or Parquet panel and validate it (raises InputError listing every problem).

    ``csv_format``: "auto" (read the separator and decimal mark from the file), "dansk" (``;`` and
    decimal comma) or "standard" (``,`` and decimal point); ``mapping``: a code-mapping file (or
    its loaded form) translating the extract's columns and codes (see :mod:`panel_input`)."""
    path = Path(path)
    if not isinstance(mapping, LoadedMapping):
        mapping = load_mapping(mapping)
    if not path.exists():
        raise InputError([Problem(str(path), None, "", "panelfilen findes ikke")])
    check_regular(path, "panelet")  # a FIFO or device would block or never end
    if path.suffix.lower() in (".parquet", ".pq"):
        table, where = _read_parquet(path, mapping)
        return validate_table(table, where, mapping=mapping)
    table, where, malformed, dialect = _read_csv(path, csv_format, mapping)
    return validate_table(table, where, malformed, dialect=dialect, mapping=mapping)


def read_panel(path: Path | str, csv_format: str = "auto", mapping: "LoadedMapping | Path | str | None" = None) -> "pd.DataFrame":
    """Read a CSV or Parquet panel, validated, as a compact DataFrame (see module doc)."""
    return to_frame(read_panel_arrays(path, csv_format, mapping))


def to_frame(p: PanelArrays) -> "pd.DataFrame":
    import pandas as pd

    person = p.person if p.person_labels is None else pd.Categorical.from_codes(p.person, categories=p.person_labels)
    out = pd.DataFrame(
        {
            "person_id": person,
            "week": pd.Categorical.from_codes(p.week, categories=p.week_labels),
            "benefit": pd.Categorical.from_codes(p.benefit, categories=list(BENEFITS)),
            "activation": pd.Categorical.from_codes(p.activation, categories=list(ACTIVATIONS)),
            "amount_dkk": p.amount,
        },
        copy=False,
    )
    out.attrs["source"] = {"file": p.where.file, "kind": p.where.kind}
    return out


def from_frame(df: "pd.DataFrame") -> PanelArrays:
    """The arrays of a frame that validate_panel returned (no copies where the dtypes fit)."""
    import pandas as pd

    person_col = df["person_id"]
    if isinstance(person_col.dtype, pd.CategoricalDtype):
        person, labels = person_col.cat.codes.to_numpy().astype(np.int64), [str(c) for c in person_col.cat.categories]
    else:
        person, labels = person_col.to_numpy().astype(np.int64, copy=False), None
    return PanelArrays(
        person=person,
        person_labels=labels,
        week=df["week"].cat.codes.to_numpy().astype(np.int32, copy=False),
        week_labels=[str(c) for c in df["week"].cat.categories],
        benefit=df["benefit"].cat.codes.to_numpy().astype(np.int8, copy=False),
        activation=df["activation"].cat.codes.to_numpy().astype(np.int8, copy=False),
        amount=df["amount_dkk"].to_numpy(dtype=np.float64),
        where=where_of(df),
    )


def require_columns(names: list[str], where: Where, line: int | None, hint: str = "") -> None:
    """One problem naming every missing column (and, for a CSV, what was found and what to do)."""
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        which = ", ".join(f"'{c}'" for c in missing)
        text = f"mangler kolonne{'rne' if len(missing) > 1 else 'n'} {which} (et panel skal have kolonnerne {', '.join(COLUMNS)})"
        raise InputError([Problem(where.file, line, ",".join(missing), text + (f"; {hint}" if hint else ""))])


def _read_csv(path: Path, csv_format: str = "auto", mapping: LoadedMapping | None = None) -> tuple[pa.Table, Where, list[Problem], CsvDialect]:
    where = Where(str(path), "csv")
    csv_header(path)  # UTF-16, NUL bytes or latin-1 in the header: refused with a message first
    amount_name = mapping.source_name("amount_dkk") if mapping else "amount_dkk"
    dialect = detect_dialect(path, csv_format, amount_name)
    header = csv_header(path, dialect.delimiter)
    if mapping is not None:
        header = mapping.rename(header)
    check_duplicate_columns(header, where, 1)
    require_columns(header, where, 1, header_hint(header, dialect, mapping))
    # the code columns are dictionary-encoded while parsing (few distinct values); person_id is
    # text too: '0101701234' and '101701234' (CPR-style ids) are two persons, whatever the rest of
    # the file looks like
    text = {c: pa.dictionary(pa.int32(), pa.string()) for c in ("person_id", "week", "benefit", "activation")}
    if dialect.decimal == ",":
        text["amount_dkk"] = pa.string()  # 1.234,56: converted in validate_table
    convert = pacsv.ConvertOptions(include_columns=list(COLUMNS), column_types=text, strings_can_be_null=False)
    invalid: list[object] = []

    def on_invalid(row) -> str:
        invalid.append(row)
        return "skip"

    def read(threads: bool) -> pa.Table:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=threads, column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter, invalid_row_handler=on_invalid, ignore_empty_lines=False),
            convert_options=convert,
        )

    try:
        table = read(True)
        if invalid:  # line numbers of skipped rows are only known from a serial read
            invalid.clear()
            table = read(False)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        bad = first_invalid_utf8(path)
        if bad is not None:
            raise InputError([Problem(where.file, bad[0], "", f"panelet er ikke gyldig UTF-8: byte 0x{bad[1]:02x} kan ikke læses (latin-1/Windows-1252?); gem det som UTF-8 (i Excel: 'CSV UTF-8')")]) from None
        raise InputError([Problem(where.file, None, "", f"CSV-filen kan ikke læses ({dialect.describe()}): {str(exc)[:200]}")]) from None
    malformed = [
        Problem(where.file, r.number, "", f"forventede {r.expected_columns} felter, fandt {r.actual_columns}: {r.text[:80]!r}")
        for r in invalid
    ]
    if malformed:  # the other rows are still checked; their lines skip the malformed ones
        where = Where(where.file, "csv", tuple(sorted(p.line - 2 for p in malformed)))
    return table, where, malformed, dialect


def _read_parquet(path: Path, mapping: LoadedMapping | None = None) -> tuple[pa.Table, Where]:
    import pyarrow.parquet as pq  # only for Parquet panels (~50 ms of start-up)

    where = Where(str(path), "parquet")
    try:
        names = pq.read_schema(path).names
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError([Problem(where.file, None, "", f"Parquet-filen kan ikke læses: {str(exc)[:200]}")]) from None
    renamed = mapping.rename(names) if mapping is not None else names
    check_duplicate_columns([str(n).strip() for n in renamed], where, None)
    require_columns(renamed, where, None)
    sources = [names[renamed.index(c)] for c in COLUMNS]
    try:
        with pq.ParquetFile(path) as pf:  # not pq.read_table: its dataset layer imports pandas (~0,3 s)
            table = pf.read(columns=sources)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError([Problem(where.file, None, "", f"Parquet-filen kan ikke læses: {str(exc)[:200]}")]) from None
    return table.rename_columns(list(COLUMNS)), where


# ---------------------------------------------------------------------------------------- encodings and headers

HEADER_BYTES = 1 << 16  # a header line longer than this is not a panel's


def csv_header(path: Path, delimiter: str = ",") -> list[str]:
    """The stripped column names of a CSV panel; a file that is not UTF-8 text is refused with a
    message naming its encoding (UTF-16/32 with or without BOM, latin-1 / Windows-1252)."""
    from budgetmodel.safefile import sniff_encoding

    file = str(path)
    with open(path, "rb") as fh:
        head = fh.read(HEADER_BYTES)
    codec = sniff_encoding(head)
    if codec in ("utf-16", "utf-32"):
        raise InputError([Problem(file, 1, "", f"panelet er {codec.upper()}-kodet; gem det som UTF-8 (i Excel: 'CSV UTF-8')")])
    if b"\x00" in head:
        raise InputError([Problem(file, 1, "", "panelet indeholder NUL-byte (UTF-16 uden BOM eller en binær fil); gem det som UTF-8-tekst (i Excel: 'CSV UTF-8')")])
    first = head.split(b"\n", 1)[0]
    if len(first) == len(head) == HEADER_BYTES:
        raise InputError([Problem(file, 1, "", f"første linje er længere end {HEADER_BYTES} byte; filen er ikke et panel i CSV")])
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(file, 1, "", f"panelet er ikke gyldig UTF-8: byte 0x{first[exc.start]:02x} i overskriften kan ikke læses (latin-1/Windows-1252?); gem det som UTF-8 (i Excel: 'CSV UTF-8')")]) from None
    return [h.strip() for h in next(csv.reader([text.rstrip("\r")], delimiter=delimiter), [])]


def first_invalid_utf8(path: Path) -> tuple[int, int] | None:
    """(line, byte) of the first byte that is not UTF-8 in a file, read in blocks; None if all is."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    line, offset = 1, 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                pos = max(0, exc.start)
                return line + block[:pos].count(b"\n"), block[pos] if pos < len(block) else 0
            line += block.count(b"\n")
            offset += len(block)
    return None


def check_duplicate_columns(names: list[str], where: Where, line: int | None) -> None:
    """Two columns with one name: which one holds the data is a guess, so it is an error."""
    seen: dict[str, int] = {}
    twice = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        if seen[n] == 2 and n in COLUMNS:
            twice.append(n)
    if twice:
        raise InputError([Problem(where.file, line, c, f"kolonnen '{c}' står {seen[c]} gange i overskriften; hvilken der gælder er et gæt, så fjern de andre") for c in twice])


# ---------------------------------------------------------------------------------------- validation


def validate_panel(df: "pd.DataFrame", file: str | None = None) -> "pd.DataFrame":
    """Check an in-memory panel and return it in the canonical compact form (see module doc).

    Rows are named by line as read_panel recorded them, else by row number in ``file``."""
    where = where_of(df) if file is None else Where(file, "frame")
    require_columns(list(df.columns), where, None)
    if _is_canonical(df):
        problems = ProblemCollector(where)
        _check_person(df["person_id"], problems)
        _check_amount(df["amount_dkk"].to_numpy(), problems)
        _check_subsidised(df["benefit"].cat.codes.to_numpy(), df["amount_dkk"].to_numpy(), problems)
        bad_weeks = _week_categories(df["week"].cat.categories)[1]
        _check_categorical_weeks(df["week"], bad_weeks, problems)
        problems.raise_if_any()
        out = df.loc[:, list(COLUMNS)]
        out.attrs["source"] = {"file": where.file, "kind": where.kind}
        return out
    table = pa.Table.from_pandas(df.loc[:, list(COLUMNS)].reset_index(drop=True), preserve_index=False)
    return to_frame(validate_table(table, where))


def _is_canonical(df: "pd.DataFrame") -> bool:
    import pandas as pd

    return (
        isinstance(df["week"].dtype, pd.CategoricalDtype)
        and isinstance(df["benefit"].dtype, pd.CategoricalDtype)
        and tuple(df["benefit"].cat.categories) == BENEFITS
        and isinstance(df["activation"].dtype, pd.CategoricalDtype)
        and tuple(df["activation"].cat.categories) == ACTIVATIONS
        and df["amount_dkk"].dtype == np.float64
        and not df["benefit"].hasnans
        and not df["activation"].hasnans
    )


def _week_categories(categories) -> tuple[dict[str, dt.date], dict[str, str]]:
    good: dict[str, dt.date] = {}
    bad: dict[str, str] = {}
    for c in categories:
        try:
            good[c] = parse_week(str(c))
        except ValueError as exc:
            bad[c] = str(exc)
    return good, bad


def _check_categorical_weeks(weeks: "pd.Series", bad: dict[str, str], problems: ProblemCollector) -> None:
    codes = weeks.cat.codes.to_numpy()
    problems.add(np.flatnonzero(codes < 0), "week", lambda i: "mangler en værdi (forventede en ISO-uge ÅÅÅÅ-Wuu)")
    if bad:
        cats = weeks.cat.categories
        bad_codes = np.array([cats.get_loc(c) for c in bad], dtype=codes.dtype)
        idx = np.flatnonzero(np.isin(codes, bad_codes))
        problems.add(idx, "week", lambda i: bad[cats[codes[i]]])


def _check_person(person: "pd.Series", problems: ProblemCollector) -> None:
    if person.dtype.kind in "iu":
        return
    values = person.astype("string")
    missing = values.isna().to_numpy() | (values.str.strip() == "").fillna(True).to_numpy()
    problems.add(np.flatnonzero(missing), "person_id", lambda i: "mangler en værdi (forventede et person-id)")


def _check_amount(amount: np.ndarray, problems: ProblemCollector, raw: np.ndarray | None = None, number_hint: str = "") -> None:
    """Amounts are finite numbers ≥ 0; ``raw`` is the text column when the values were not numeric."""

    def show(i: int):
        return raw[i] if raw is not None else amount[i]

    expect = f"forventede et beløb i kroner ≥ 0{number_hint}"
    with np.errstate(invalid="ignore"):
        nan = np.isnan(amount)
        if raw is not None:
            blank = np.array([v is None or not str(v).strip() for v in raw], dtype=bool)
            problems.add(np.flatnonzero(nan & blank), "amount_dkk", lambda i: f"mangler en værdi ({expect})")
            problems.add(np.flatnonzero(nan & ~blank), "amount_dkk", lambda i: f"'{raw[i]}' er ikke et tal ({expect})")
        else:
            problems.add(np.flatnonzero(nan), "amount_dkk", lambda i: f"mangler en værdi ({expect})")
        problems.add(np.flatnonzero(np.isinf(amount)), "amount_dkk", lambda i: f"beløbet {show(i)} er ikke endeligt ({expect})")
        problems.add(np.flatnonzero(amount < 0), "amount_dkk", lambda i: f"negativt beløb {show(i)} ({expect})")
        problems.add(
            np.flatnonzero(np.isfinite(amount) & (amount > MAX_ROW_AMOUNT)),
            "amount_dkk",
            lambda i: f"beløbet {show(i)} er over {MAX_ROW_AMOUNT:,.0f} kr. for én række (én persons ydelse i én uge); en tastefejl?".replace(",", "."),
        )


def _check_subsidised(benefit: np.ndarray, amount: np.ndarray, problems: ProblemCollector) -> None:
    """A subsidised-employment week carries no benefit: its amount must be 0."""
    codes = [BENEFITS.index(c) for c in SUBSIDISED_EMPLOYMENT]
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(np.isin(benefit, codes) & (amount != 0) & ~np.isnan(amount))
    problems.add(
        bad,
        "amount_dkk",
        lambda i: f"{BENEFITS[benefit[i]]} er en uge i støttet beskæftigelse uden ydelse (LBK 221/2021 § 6, stk. 2); forventede beløbet 0, fandt {amount[i]:g}",
    )


def _numpy(col: pa.ChunkedArray | pa.Array, dtype) -> np.ndarray:
    """A fixed-width column without nulls as a writable numpy array, read from the Arrow buffers
    (pyarrow's to_numpy imports pandas, which the CLI's start-up does without)."""
    chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
    size = np.dtype(dtype).itemsize
    parts = [np.frombuffer(c.buffers()[1], dtype=dtype, count=len(c), offset=c.offset * size) for c in chunks if len(c)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


def _dictionary(col: pa.ChunkedArray) -> tuple[np.ndarray, list]:
    """Dictionary-encode a column: (int32 indices with -1 for nulls, list of distinct values)."""
    if pa.types.is_dictionary(col.type):
        if not pa.types.is_string(col.type.value_type):
            col = pc.cast(col, pa.string())
    if pa.types.is_dictionary(col.type):
        enc = col.unify_dictionaries().combine_chunks() if col.num_chunks else pa.array([], pa.dictionary(pa.int32(), pa.string()))
    else:
        enc = pc.dictionary_encode(col).combine_chunks()
    indices = pc.cast(enc.indices, pa.int32())
    idx = _numpy(pc.fill_null(indices, -1) if enc.null_count else indices, np.int32)
    values = [v.strip() if isinstance(v, str) else v for v in enc.dictionary.to_pylist()]  # ' dagpenge' = 'dagpenge'
    return idx.astype(np.int32, copy=False), values


_FIELD_DA = {"benefit": "ydelseskode", "activation": "aktiveringskode"}


def _codes(col: pa.ChunkedArray, allowed: tuple[str, ...], field: str, problems: ProblemCollector, mapping: LoadedMapping | None = None) -> np.ndarray:
    idx, values = _dictionary(col)
    source = list(values)
    table = getattr(mapping.mapping, field, {}) if mapping is not None else {}
    if table:
        values, _ = translate(values, table, allowed)
    lookup = np.array([allowed.index(v) if v in allowed else -1 for v in values] + [-1], dtype=np.int8)
    codes = lookup[idx]  # idx -1 → the trailing -1
    bad = np.flatnonzero(codes < 0)
    if bad.size:
        listed = ", ".join(allowed)

        where_codes = f"i kortlægningen {mapping.file} eller " if table else ""

        def message(i: int) -> str:
            v = source[idx[i]] if idx[i] >= 0 else None
            if v in (None, ""):
                return f"mangler en værdi (forventede en af: {listed})"
            return f"ukendt {_FIELD_DA.get(field, field)} '{v}' (forventede en kode {where_codes}en af: {listed}; se budgetmodel koder)"

        problems.add(bad, field, message)
    return codes


def _drop_unpriced(table: pa.Table, where: Where, mapping: LoadedMapping | None) -> tuple[pa.Table, Where]:
    """Rows whose benefit code the mapping sends to null (not a benefit the model prices) are
    dropped; the rest keep their line numbers (the dropped rows join ``where.skipped``)."""
    if mapping is None or not any(v is None for v in mapping.mapping.benefit.values()):
        return table, where
    idx, values = _dictionary(table.column("benefit"))
    _, drop_values = translate(values, mapping.mapping.benefit, BENEFITS)
    if not drop_values:
        return table, where
    flag = np.zeros(len(values) + 1, dtype=bool)
    flag[list(drop_values)] = True
    drop = flag[idx]
    if not drop.any():
        return table, where
    dropped = where.originals(np.flatnonzero(drop))
    skipped = tuple(sorted(set(where.skipped) | set(int(x) for x in dropped)))
    return table.filter(pa.array(~drop)), Where(where.file, where.kind, skipped, where.offset)


def amounts_decimal_comma(col: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray | None]:
    """Amounts written with a decimal comma (1.234,56): float64, and the raw text when some are not numbers."""
    text = pc.cast(col, pa.string())
    ok = pc.fill_null(pc.match_substring_regex(text, DANISH_NUMBER), False)
    clean = pc.replace_substring(pc.replace_substring(pc.utf8_trim_whitespace(text), ".", ""), ",", ".")
    clean = pc.if_else(ok, clean, pa.scalar(None, pa.string()))
    values = pc.cast(clean, pa.float64())
    amount = _numpy(pc.fill_null(values, float("nan")), np.float64) if values.null_count else _numpy(values, np.float64)
    raw = None
    if values.null_count:
        raw = np.array(text.to_pylist(), dtype=object)
    return amount, raw


def validate_table(
    table: pa.Table, where: Where, malformed: list[Problem] | None = None, dialect: CsvDialect | None = None, mapping: LoadedMapping | None = None
) -> PanelArrays:
    table, where = _drop_unpriced(table, where, mapping)
    problems = ProblemCollector(where)
    problems.extra.extend(malformed or [])

    # person_id: integers stay integers; anything else becomes codes into the distinct (stripped) ids
    person_col = table.column("person_id")
    person_missing = np.zeros(table.num_rows, dtype=bool)
    labels: list[str] | None = None
    if pa.types.is_floating(person_col.type) or pa.types.is_decimal(person_col.type):
        person_col = _float_ids(person_col, problems)
    if pa.types.is_integer(person_col.type) and person_col.null_count == 0:
        person = _numpy(pc.cast(person_col, pa.int64()), np.int64)
    else:
        if not (pa.types.is_string(person_col.type) or pa.types.is_dictionary(person_col.type)):
            person_col = pc.cast(person_col, pa.string())
        idx, values = _dictionary(person_col)
        empty = np.array([v in (None, "") or v.lower() in MISSING_MARKERS for v in values] + [True])
        person_missing = empty[idx]
        problems.add(np.flatnonzero(person_missing), "person_id", lambda i: "mangler en værdi (forventede et person-id)")
        first_seen: dict[str, int] = {}  # ' 7' and '7' are the same person
        remap = np.array([first_seen.setdefault(v or "", len(first_seen)) for v in values] + [0], dtype=np.int64)
        person = remap[idx]
        labels = list(first_seen)

    # week: parse each distinct value once
    week_col = table.column("week")
    if not (pa.types.is_string(week_col.type) or pa.types.is_dictionary(week_col.type)):
        week_col = pc.cast(week_col, pa.string())
    widx, wvalues = _dictionary(week_col)
    good, bad = _week_categories([v for v in wvalues if v is not None])
    ok = np.array([v in good for v in wvalues] + [False])
    bad_rows = np.flatnonzero(~ok[widx])
    if bad_rows.size:
        problems.add(
            bad_rows,
            "week",
            lambda i: bad.get(wvalues[widx[i]], "") if widx[i] >= 0 and wvalues[widx[i]] else "mangler en værdi (forventede en ISO-uge ÅÅÅÅ-Wuu)",
        )

    benefit = _codes(table.column("benefit"), BENEFITS, "benefit", problems, mapping)
    activation = _codes(table.column("activation"), ACTIVATIONS, "activation", problems, mapping)

    # amount: numbers ≥ 0; text that is not a number is reported as such
    amount_col = table.column("amount_dkk")
    raw: np.ndarray | None = None
    hint = ""
    if dialect is not None and dialect.decimal == "," and not (pa.types.is_integer(amount_col.type) or pa.types.is_floating(amount_col.type)):
        amount, raw = amounts_decimal_comma(amount_col)
        hint = f"; læst med {dialect.describe()}, fx 1.234,56 — tving et andet format med --csv-format"
    elif pa.types.is_integer(amount_col.type) or pa.types.is_floating(amount_col.type) or pa.types.is_decimal(amount_col.type):
        amount_col = pc.cast(amount_col, pa.float64())
        amount = _numpy(pc.fill_null(amount_col, float("nan")) if amount_col.null_count else amount_col, np.float64)
    else:
        raw = np.array(pc.cast(amount_col, pa.string()).to_pylist(), dtype=object)
        amount = np.array([_number(v) for v in raw], dtype=np.float64)
        if dialect is not None and dialect.delimiter != "," and np.isnan(amount).any():
            hint = f"; læst med {dialect.describe()} — tving et andet format med --csv-format"
    _check_amount(amount, problems, raw, hint)
    _check_subsidised(benefit, amount, problems)

    problems.raise_if_any()
    ordered = sorted(good, key=lambda c: good[c])
    position = {c: k for k, c in enumerate(ordered)}
    remap = np.array([position.get(v, -1) for v in wvalues] + [-1], dtype=np.int32)
    return PanelArrays(person, labels, remap[widx], ordered, benefit, activation, amount, where)


def _float_ids(col: pa.ChunkedArray, problems: ProblemCollector) -> pa.ChunkedArray:
    """Person ids stored as floating point (a Parquet export from pandas): whole numbers become
    integers; NaN or a missing value is a missing id, a fraction is no id (never an extra person)."""
    col = pc.cast(col, pa.float64())
    f = _numpy(pc.fill_null(col, float("nan")) if col.null_count else col, np.float64)
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(f)
        whole = finite & (np.floor(f) == f) & (np.abs(f) <= 2.0**53)
    problems.add(np.flatnonzero(~finite), "person_id", lambda i: "mangler en værdi (forventede et person-id)")
    problems.add(np.flatnonzero(finite & ~whole), "person_id", lambda i: f"person_id {float(f[i])!r} er hverken tekst eller et helt tal")
    return pa.chunked_array([pa.array(np.where(whole, f, 0).astype(np.int64))])


def _number(v) -> float:
    try:
        return float(str(v).strip()) if v is not None else np.nan
    except ValueError:
        return np.nan


def where_of(df: "pd.DataFrame", file: str | None = None) -> Where:
    """How to name the rows of a validated frame in messages (from read_panel's attrs)."""
    src = df.attrs.get("source") or {}
    return Where(file or src.get("file", "<panel>"), src.get("kind", "frame"))
