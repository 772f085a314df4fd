"""A scenario as an Excel workbook (.xlsx): read one into scenario data, and build one from it.

The layout is in :mod:`budgetmodel.scenario.workbook_schema`: one sheet per section (Danish
names: Scenarie, Kommune, Sagsstamme, Personale, Priser, Lov, Budget, Initiativer, Antagelser,
Følsomhed, Notat, Metoder), a header row ``[Gruppe|Initiativ,] Felt, Værdi, Kilde, Status, Note,
Forklaring`` and one row per value. The reader returns the same data a YAML file would give, with
the cell of every value as its origin, so the scenario loader composes, validates and compiles a
workbook exactly as a YAML file and every problem names its sheet and cell
(``scenarie.xlsx:Sagsstamme!C7: forventede et tal, fik 'abc'``).

Reading is hardened (a workbook is a zip of XML parts):

- only a regular file of at most :data:`MAX_XLSX_BYTES` is read (:mod:`budgetmodel.safefile`);
- the zip is checked before anything is unpacked: at most :data:`MAX_MEMBERS` parts and
  :data:`MAX_UNZIPPED_BYTES` unpacked, no part packed more than :data:`MAX_RATIO` to 1 (a zip
  bomb), no XML ``DOCTYPE`` (entity expansion); a file that is not a zip (an old .xls, a
  password-protected workbook, a text file) is named as such;
- openpyxl streams it (read-only) without external links or macros; only the scenario's sheets
  are parsed, their first :data:`MAX_COLUMNS` columns, and a sheet of more than :data:`MAX_ROWS`
  rows is refused;
- **formulas are refused** in the cells that are read (Felt, Værdi, Kilde, Status, Note and the
  key column): a cached result may be stale or missing, and the scenario must be what the file
  says, so the message asks for the value (Kopiér → Indsæt som værdier). The one exception is
  ``=TRUE()`` / ``=FALSE()``, which is how LibreOffice saves a plain sand/falsk. Cells with an Excel error
  (``#DIV/0!``) and merged cells across the read columns are refused too; other columns (the
  Forklaring column, one's own columns) are not read, and sheets whose name starts with ``_`` are
  one's own and not read;
- every problem in every sheet is reported at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
import typing
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from budgetmodel.errors import InputError, Problem
from budgetmodel.safefile import read_regular, short
from budgetmodel.scenario.workbook_schema import (
    COLUMNS,
    FIELD_LIST,
    IGNORED_SHEETS,
    INSTRUCTIONS,
    META,
    OWN_SHEET_PREFIX,
    SHEETS,
    Sheet,
    UnknownField,
    all_fields,
    branches,
    container,
    convert_key,
    field_doc,
    is_model,
    is_sourced,
    node_at,
    scalar_kinds,
    sheet_for,
)

Loc = tuple[Any, ...]

MAX_XLSX_BYTES = 20 * 1024 * 1024  # a scenario workbook is tens of kB
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 200  # unpacked/packed for a part larger than 1 MB; XML of a real sheet packs ~10:1
MAX_ROWS = 20_000
MAX_COLUMNS = 60  # the read columns are found among the first 60
MAX_ABS_NUMBER = 1e15  # as for YAML: beyond ±10^15 a number is a typing error
MAX_TEXT = 32_767  # Excel's limit on a cell's text
HEADER_SEARCH_ROWS = 10
FIRST_DATA_ROW = 4  # row 1: heading, row 2: hint, row 3: column headers
INTEGRAL_FLOAT_FORMAT = "0.0"  # a float such as 1.0 is written with this format, and read back as a float
DATE_FORMAT = "yyyy-mm-dd"

SUFFIXES = (".xlsx",)


def is_workbook(path: Path | str) -> bool:
    return Path(path).suffix.lower() in SUFFIXES


def cell_file(path: Path | str, sheet: str, coord: str) -> str:
    """How a problem names a cell: the workbook, then ``Ark!C7``."""
    return f"{path}:{sheet}!{coord}"


@dataclass
class WorkbookDocument:
    """Scenario data read from a workbook, with the cell every key came from."""

    path: Path
    data: dict[str, Any]
    origins: dict[Loc, tuple[str, int | None]] = field(default_factory=dict)
    sha256: str = ""


# ------------------------------------------------------------------------------- the zip


def _check_zip(raw: bytes, file: str) -> list[Problem]:
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return [Problem(file, None, "", "filen er i det gamle Excel-format (.xls) eller er beskyttet med adgangskode; gem den som Excel-arbejdsbog (.xlsx) uden adgangskode")]
    if not raw:
        return [Problem(file, None, "", "filen er tom; forventede en Excel-arbejdsbog (.xlsx)")]
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return [Problem(file, None, "", "filen er ikke en Excel-arbejdsbog (.xlsx er en zip-fil; denne er det ikke); gem den som Excel-arbejdsbog (.xlsx)")]
    if len(infos) > MAX_MEMBERS:
        return [Problem(file, None, "", f"arbejdsbogen har {len(infos)} dele; højst {MAX_MEMBERS} læses")]
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        return [Problem(file, None, "", f"arbejdsbogen fylder {total:,} byte udpakket; højst {MAX_UNZIPPED_BYTES:,} byte læses".replace(",", "."))]
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        return [Problem(file, None, "", "zip-filen er ikke en Excel-arbejdsbog (den har ingen xl/workbook.xml)")]
    for i in infos:
        if i.file_size > 1 << 20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            return [Problem(file, None, "", f"delen {short(i.filename)} pakker sig ud til {i.file_size:,} byte fra {i.compress_size:,} (en zip-bombe?); arbejdsbogen læses ikke".replace(",", "."))]
        if i.filename.endswith((".xml", ".rels", ".vml")):
            try:
                head = zf.read(i)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
                return [Problem(file, None, "", f"delen {short(i.filename)} kan ikke pakkes ud ({short(str(exc))}); arbejdsbogen er ødelagt")]
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                return [Problem(file, None, "", f"delen {short(i.filename)} har en XML-DOCTYPE/ENTITY-erklæring, som Excel aldrig skriver; arbejdsbogen læses ikke")]
    return []


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Za-z0-9:$]{1,40})"')


def _merged(archive: zipfile.ZipFile, part: str) -> list[str]:
    """The merged ranges of a sheet, read from its XML part (openpyxl's streaming reader has none)."""
    try:
        xml = archive.read(part.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return []
    return [m.decode("ascii") for m in _MERGE.findall(xml)]


def _open(raw: bytes, file: str) -> Any:
    import openpyxl

    problems = _check_zip(raw, file)
    if problems:
        raise InputError(problems)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False, keep_vba=False, rich_text=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken part
        raise InputError([Problem(file, None, "", f"arbejdsbogen kan ikke læses ({type(exc).__name__}: {short(str(exc), 120)}); gem den igen fra Excel som .xlsx")]) from None


# ------------------------------------------------------------------------------- reading


class _Seq(dict):
    """A list being built from rows ``x.0``, ``x.1`` …; turned into a list at the end."""


class CellError(ValueError):
    pass


_WHAT = {"number": "et tal", "int": "et heltal", "str": "en tekst", "date": "en dato (ÅÅÅÅ-MM-DD)", "bool": "sand eller falsk (ja/nej)"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"true", "sand", "ja"}
_FALSE = {"false", "falsk", "nej"}
_NUMBERISH = re.compile(r"^\s*[-+]?[\d.,\s]+\s*$")


def _expected(kinds: set[str]) -> str:
    order = ("number", "int", "date", "bool", "str")
    return " eller ".join(_WHAT[k] for k in order if k in kinds and not (k == "int" and "number" in kinds)) or "en værdi"


def _shown(v: Any) -> str:
    if isinstance(v, bool):
        return "sand" if v else "falsk"
    if isinstance(v, float):
        return f"tallet {v:g}".replace(".", ",")
    if isinstance(v, int):
        return f"tallet {v}"
    if isinstance(v, dt.datetime):
        return f"datoen {v.date().isoformat()}" if v.time() == dt.time() else f"tidspunktet {v.isoformat(sep=' ')}"
    if isinstance(v, (dt.date, dt.time, dt.timedelta)):
        return str(v)
    return short(v)


def coerce(v: Any, tps: list[Any]) -> Any:
    """A cell's value as the schema's scalar types at its field want it; CellError says what was
    expected and what the cell holds."""
    kinds: set[str] = set()
    for tp in tps:
        if container(tp) is None:
            kinds |= scalar_kinds(tp)[0]
        elif is_sourced(tp) and "value" in tp.model_fields:
            kinds |= {k for t in branches(tp.model_fields["value"].annotation) for k in scalar_kinds(t)[0]}
    if "any" in kinds:
        kinds |= {"number", "int", "str", "date", "bool"}
    if isinstance(v, bool):
        if "bool" in kinds:
            return v
        raise CellError(f"forventede {_expected(kinds)}, fik {_shown(v)}")
    if isinstance(v, (int, float)):
        if not math.isfinite(v) or abs(v) > MAX_ABS_NUMBER:
            raise CellError(f"tallet {_shown(v)} er ikke et endeligt tal inden for ±10^15")
        if "number" in kinds:
            return v
        if "int" in kinds:
            if isinstance(v, float):
                if v.is_integer():
                    return int(v)
                raise CellError(f"forventede et heltal, fik {_shown(v)}")
            return v
        raise CellError(f"forventede {_expected(kinds)}, fik {_shown(v)} (skriv teksten som tekst)")
    if isinstance(v, dt.datetime):
        if "date" in kinds:
            if v.time() != dt.time():
                raise CellError(f"forventede en dato uden klokkeslæt, fik {_shown(v)}")
            return v.date()
        raise CellError(f"forventede {_expected(kinds)}, fik {_shown(v)} (Excel har læst værdien som en dato; skriv den som tekst)")
    if isinstance(v, (dt.date, dt.time, dt.timedelta)):
        if "date" in kinds and type(v) is dt.date:
            return v
        raise CellError(f"forventede {_expected(kinds)}, fik {_shown(v)}")
    if isinstance(v, str):
        if "str" in kinds:
            return v
        text = v.strip()
        if "date" in kinds and _ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError as exc:
                raise CellError(f"{short(v)} er ikke en gyldig dato ({exc}); forventede ÅÅÅÅ-MM-DD") from None
        if "bool" in kinds and text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        hint = " (skriv tallet som et tal i cellen, ikke som tekst)" if _NUMBERISH.match(v) and kinds & {"number", "int"} else ""
        raise CellError(f"forventede {_expected(kinds)}, fik {short(v)}{hint}")
    raise CellError(f"forventede {_expected(kinds)}, fik {short(str(v))}")


_BOOL_FORMULAS = {"=TRUE()": True, "=FALSE()": False, "=SAND()": True, "=FALSK()": False}


def _number_text(p: Any) -> Any:
    """An item of a list written in one cell: a whole number as a number (years), else the text."""
    return int(p) if isinstance(p, str) and re.fullmatch(r"-?\d{1,15}", p) else p


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.file = str(path)
        self.data: dict[str, Any] = {}
        self.origins: dict[Loc, tuple[str, int | None]] = {(): (self.file, None)}
        self.assigned: dict[Loc, str] = {}  # a value's path → its cell (duplicates are refused)
        self.sourced_rows: dict[Loc, str] = {}  # a sourced value's path → its Felt cell
        self.problems: list[Problem] = []
        self.present: set[Sheet] = set()

    def at(self, sheet: str, coord: str) -> str:
        return cell_file(self.path, sheet, coord)

    def problem(self, where: str, field: Loc | str, message: str) -> None:
        f = field if isinstance(field, str) else ".".join(map(str, field))
        self.problems.append(Problem(where, None, f, message))

    # -- building the data
    def _node(self, path: Loc, where: str, leaf_list: bool = False) -> Any:
        """The container at ``path``, created on the way (a dict, or a _Seq where the next part is
        a list index; the container at ``path`` itself is a _Seq only with ``leaf_list``)."""
        node: Any = self.data
        for i, part in enumerate(path):
            here = tuple(path[: i + 1])
            if not isinstance(node, dict):
                raise CellError(f"{'.'.join(map(str, path[:i]))} har allerede en værdi i {self.assigned.get(tuple(path[:i]), 'en anden celle')}")
            if part not in node or node[part] is None:
                nxt = path[i + 1] if i + 1 < len(path) else None
                try:
                    lists = any(container(t) == "list" for t in node_at(here))
                except UnknownField:
                    lists = False
                node[part] = _Seq() if lists and (leaf_list if nxt is None else isinstance(nxt, int)) else {}
                self.origins.setdefault(here, (where, None))
            elif not isinstance(node[part], dict):
                raise CellError(f"{'.'.join(map(str, here))} har allerede en værdi i {self.assigned.get(here, 'en anden celle')}")
            node = node[part]
        return node

    def _set(self, path: Loc, value: Any, where: str) -> None:
        if path in self.assigned:
            raise CellError(f"{'.'.join(map(str, path))} står to gange: også i {self.assigned[path]}")
        for n in range(1, len(path)):
            if path[:n] in self.assigned:
                raise CellError(f"{'.'.join(map(str, path[:n]))} har allerede en værdi i {self.assigned[path[:n]]}")
        parent = self._node(path[:-1], where, leaf_list=isinstance(path[-1], int))
        if path[-1] in parent and isinstance(parent[path[-1]], dict):
            raise CellError(f"{'.'.join(map(str, path))} har underfelter i andre rækker og kan ikke også have en værdi")
        parent[path[-1]] = value
        self.assigned[path] = where
        self.origins[path] = (where, None)

    # -- one sheet
    def sheet(self, ws: Any, sh: Sheet, merged: list[str]) -> None:
        """Read one sheet, streaming its rows (at most MAX_ROWS, the first MAX_COLUMNS columns)."""
        from openpyxl.utils import get_column_letter, range_boundaries

        name = ws.title
        stream = iter(ws.iter_rows(min_row=1, max_col=MAX_COLUMNS))
        head: list[tuple] = []
        header_row, cols = None, {}
        for r, row in enumerate(stream, 1):
            head.append(row)
            texts: dict[str, int] = {}
            for c, cell in enumerate(row, 1):
                v = cell.value
                if isinstance(v, str) and v.strip():
                    texts.setdefault(v.strip().casefold(), c)
            if "felt" in texts and "værdi" in texts:
                header_row, cols = r, texts
                break
            if r >= HEADER_SEARCH_ROWS:
                break
        if header_row is None:
            self.problem(self.at(name, "A1"), "", f"arket mangler overskriftsrækken ({', '.join(([sh.key] if sh.key else []) + list(COLUMNS[:5]))}) i de første {HEADER_SEARCH_ROWS} rækker")
            return
        read = {"Felt": cols["felt"], "Værdi": cols["værdi"], **{k: cols[k.casefold()] for k in META if k.casefold() in cols}}
        if sh.key:
            if sh.key.casefold() not in cols:
                self.problem(self.at(name, f"A{header_row}"), "", f"arket mangler kolonnen '{sh.key}' (navnet på hver {sh.key.lower()})")
                return
            read[sh.key] = cols[sh.key.casefold()]
        self.present.add(sh)
        read_cols = set(read.values())
        for ref in merged:
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (ValueError, TypeError):
                continue
            if (max_row or 0) > header_row and any((min_col or 0) <= c <= (max_col or 0) for c in read_cols):
                self.problem(self.at(name, ref), "", "flettede celler læses ikke; ophæv fletningen og skriv værdien i hver række")
        letters = {k: get_column_letter(c) for k, c in read.items()}
        for r, row in enumerate(stream, header_row + 1):  # streamed: only the read cells of one row are kept
            if r > MAX_ROWS:
                self.problem(self.at(name, "A1"), "", f"arket har mere end {MAX_ROWS:,} rækker; højst {MAX_ROWS:,} læses (et scenarie har få hundrede)".replace(",", "."))
                return
            values: dict[str, Any] = {}
            bad = False
            for k, c in read.items():
                cell = row[c - 1] if c - 1 < len(row) else None
                if cell is None:
                    values[k] = None
                    continue
                where = self.at(name, f"{letters[k]}{r}")
                v = cell.value
                if cell.data_type == "f" and isinstance(v, str) and v.replace(" ", "").upper() in _BOOL_FORMULAS:
                    v = _BOOL_FORMULAS[v.replace(" ", "").upper()]  # LibreOffice saves sand/falsk as =TRUE() / =FALSE(): a constant, not a calculation
                elif cell.data_type == "f" or type(v).__name__ in ("ArrayFormula", "DataTableFormula"):
                    shown = v if isinstance(v, str) else getattr(v, "text", "") or "formel"
                    self.problem(where, "", f"cellen indeholder en formel ({short(str(shown), 40)}); formler læses ikke, skriv værdien (Kopiér → Indsæt som værdier)")
                    bad = True
                    continue
                if cell.data_type == "e":
                    self.problem(where, "", f"cellen indeholder Excel-fejlen {short(str(v), 20)}; skriv en værdi")
                    bad = True
                    continue
                if isinstance(v, int) and not isinstance(v, bool) and INTEGRAL_FLOAT_FORMAT in str(cell.number_format or ""):
                    v = float(v)  # written as a decimal number (1,0): keep it a decimal number
                values[k] = v
            if bad:
                continue
            if all(_blank(values.get(k)) for k in read):
                continue
            self.row(name, sh, r, values, letters)

    def row(self, name: str, sh: Sheet, r: int, values: dict[str, Any], letters: dict[str, str]) -> None:
        at = {k: self.at(name, f"{letter}{r}") for k, letter in letters.items()}
        felt = values.get("Felt")
        if isinstance(felt, str) and felt.strip().startswith("#"):
            return  # a comment row
        if isinstance(felt, int) and not isinstance(felt, bool):
            felt = str(felt)
        key = values.get(sh.key) if sh.key else None
        if sh.key:
            if isinstance(key, int) and not isinstance(key, bool):
                key = str(key)
            if _blank(key) or not isinstance(key, str):
                self.problem(at[sh.key], "", f"kolonnen {sh.key} er tom; hver række skal sige, hvilken {sh.key.lower()} den hører til")
                return
            key = key.strip()
            self.origins.setdefault((*sh.root, key), (at[sh.key], None))  # a problem with the group or initiative as a whole
        if _blank(felt) or not isinstance(felt, str):
            self.problem(at["Felt"], "", f"kolonnen Felt er tom eller ikke en tekst ({_shown(felt)}); skriv feltets navn, fx {self._example(sh)}")
            return
        parts = [p.strip() for p in felt.strip().split(".")]
        if any(not p for p in parts):
            self.problem(at["Felt"], "", f"feltet {short(felt)} har en tom del (to punktummer efter hinanden eller et punktum i enden)")
            return
        path: Loc = sh.root + ((key,) if sh.key else ())
        for p in parts:
            path = (*path, convert_key(path, p))
        try:
            tps = node_at(path)
        except UnknownField as exc:
            self.problem(at["Felt"], path, exc.args[0])
            return
        if sheet_for(path) != sh:
            self.problem(at["Felt"], path, f"{'.'.join(map(str, path))} hører til arket {sheet_for(path).name}")
            return
        self.origins.setdefault(path, (at["Felt"], None))
        try:
            self._values(path, tps, values, at)
        except CellError as exc:
            self.problem(exc.args[1] if len(exc.args) > 1 else at["Værdi"], path, exc.args[0])

    @staticmethod
    def _example(sh: Sheet) -> str:
        return {"Sagsstamme": "helaarspersoner", "Initiativer": "staff_count", "Priser": "wage_dkk_per_aarsvaerk"}.get(sh.name, "title")

    def _values(self, path: Loc, tps: list[Any], values: dict[str, Any], at: dict[str, str]) -> None:
        v = values.get("Værdi")
        meta = {col: values.get(col) for col in META if col in values}
        meta_given = [col for col, x in meta.items() if not _blank(x)]
        sourced = [tp for tp in tps if is_sourced(tp)]
        scalars = [tp for tp in tps if container(tp) is None]
        if sourced and (meta_given or not scalars):
            model = sourced[0]
            fields = model.model_fields
            if path in self.assigned or path in self.sourced_rows:
                raise CellError(f"{'.'.join(map(str, path))} står to gange: også i {self.assigned.get(path) or self.sourced_rows[path]}", at["Felt"])
            self._node(path, at["Felt"])
            self.sourced_rows[path] = at["Felt"]
            if "value" in fields:
                self.origins[path] = (at["Værdi"], None)  # a check on the number (compile's) names its value cell
                self.origins[(*path, "value")] = (at["Værdi"], None)
                value = None if _blank(v) else coerce(v, branches(fields["value"].annotation))
                self._set_in(path, "value", value, at["Værdi"])
            elif not _blank(v):
                raise CellError(f"{'.'.join(map(str, path))} har ingen enkelt værdi (kun {', '.join(c for c, f in META.items() if f in fields)}); dens tal står i rækkerne under den, fx {'.'.join(map(str, path[-1:]))}.by_year.ÅÅÅÅ", at["Værdi"])
            for col, f in META.items():
                if col not in at:
                    continue
                self.origins[(*path, f)] = (at[col], None)
                x = meta.get(col)
                if _blank(x):
                    continue
                if f not in fields:
                    raise CellError(f"kolonnen {col} bruges ikke for {'.'.join(map(str, path))}", at[col])
                try:
                    self._set_in(path, f, coerce(x, branches(fields[f].annotation)), at[col])
                except CellError as exc:
                    raise CellError(exc.args[0], at[col]) from None
            return
        if meta_given:
            col = meta_given[0]
            raise CellError(f"kolonnen {col} gælder kun et tal med kilde (value/source/status); {'.'.join(map(str, path))} er et enkelt felt: lad {col} stå tom", at[col])
        if scalars:
            self.origins[path] = (at["Værdi"], None)
            if _blank(v):
                return  # not given (a required field is reported by the schema at this cell)
            self._set(path, coerce(v, scalars), at["Værdi"])
            return
        if isinstance(v, str) and v.strip() in ("{}", "[]"):
            self._set(path, _Seq() if v.strip() == "[]" else {}, at["Værdi"])
            return
        items = [b for t in tps if container(t) == "list" for b in branches(typing.get_args(t)[0])]
        if not _blank(v) and items and all(container(b) is None for b in items):
            # a list of plain values in one cell: '2027; 2028; 2029' (or one value), as well as rows years.0, years.1, …
            texts = any("str" in scalar_kinds(b)[0] for b in items)  # a text (a paragraph, a file) is one item, never split
            parts = [p.strip() for p in re.split(r"[;,]", v)] if isinstance(v, str) and not texts else [v]
            if any(p == "" for p in parts):
                raise CellError(f"{short(v)}: en tom værdi i listen (skriv værdierne adskilt af semikolon, fx 2027; 2028; 2029)")
            self._set(path, [coerce(p if texts else _number_text(p), items) for p in parts], at["Værdi"])
            return
        if not _blank(v):
            name = ".".join(map(str, path[-1:]))
            if any(container(t) == "list" for t in tps):
                raise CellError(f"{'.'.join(map(str, path))} er en liste af grupper af felter; skriv hvert felt på sin egen række ({name}.0.FELT, {name}.1.FELT, …)")
            raise CellError(f"{'.'.join(map(str, path))} er en gruppe af felter; skriv hvert underfelt på sin egen række ({name}.FELT)")
        self._node(path, at["Felt"], leaf_list=all(container(t) == "list" for t in tps))

    def _set_in(self, path: Loc, name: str, value: Any, where: str) -> None:
        here = (*path, name)
        if here in self.assigned:
            raise CellError(f"{'.'.join(map(str, here))} står to gange: også i {self.assigned[here]}", where)
        node = self._node(path, where)
        node[name] = value
        self.assigned[here] = where
        self.origins[here] = (where, None)

    # -- the end
    def finish(self) -> dict[str, Any]:
        for sh in self.present:  # an empty sheet of a required section with no required fields: the section is there ('law: {}')
            if not sh.root or self.data.get("kind") != "scenario":
                continue
            try:
                parents = node_at(sh.root[:-1]) if len(sh.root) > 1 else [None]
            except UnknownField:
                continue
            from budgetmodel.scenario.schema import Scenario

            parent_models = [Scenario] if len(sh.root) == 1 else [p for p in parents if is_model(p)]
            required = any(sh.root[-1] in p.model_fields and p.model_fields[sh.root[-1]].is_required() for p in parent_models)
            here = [t for t in node_at(sh.root) if is_model(t)]
            if required and here and not any(f.is_required() for f in here[0].model_fields.values()):
                node: Any = self.data
                for part in sh.root[:-1]:
                    node = node.setdefault(part, {})
                node.setdefault(sh.root[-1], {})
                self.origins.setdefault(sh.root, (self.at(sh.name, "A1"), None))
        return self._lists(self.data, ())

    def _lists(self, node: Any, path: Loc) -> Any:
        if isinstance(node, _Seq):
            keys = sorted(node)
            if keys != list(range(len(keys))):
                where = self.origins.get(path, (self.file, None))[0]
                self.problem(where, path, f"løbenumrene under {'.'.join(map(str, path))} skal være 0, 1, 2, … uden huller (fandt {', '.join(map(str, keys))})")
            return [self._lists(node[k], (*path, k)) for k in keys]
        if isinstance(node, dict):
            return {k: self._lists(v, (*path, k)) for k, v in node.items()}
        return node


def read_workbook(path: Path | str) -> WorkbookDocument:
    """Scenario data from a workbook, with the cell of every value; every problem at once."""
    path = Path(path)
    file = str(path)
    raw = read_regular(path, MAX_XLSX_BYTES, what="arbejdsbogen")
    wb = _open(raw, file)
    reader = _Reader(path)
    by_name = {sh.name.casefold(): sh for sh in SHEETS}
    by_name["foelsomhed"] = by_name["følsomhed"]
    known = ", ".join(sh.name for sh in SHEETS)
    archive = zipfile.ZipFile(io.BytesIO(raw))
    seen: dict[Sheet, str] = {}
    for ws in wb.worksheets:
        name = ws.title
        if name in IGNORED_SHEETS or name.startswith(OWN_SHEET_PREFIX):
            continue
        sh = by_name.get(name.strip().casefold())
        if sh is None:
            reader.problem(reader.at(name, "A1"), "", f"ukendt ark '{name}' (forventede et af: {known}; et ark til egne beregninger skal have et navn, der begynder med '{OWN_SHEET_PREFIX}')")
            continue
        if sh in seen:
            reader.problem(reader.at(name, "A1"), "", f"arket {sh.name} findes to gange (også som '{seen[sh]}')")
            continue
        seen[sh] = name
        try:
            reader.sheet(ws, sh, _merged(archive, getattr(ws, "_worksheet_path", "")))
        except RecursionError:
            reader.problem(reader.at(name, "A1"), "", "arket er for dybt indlejret til at blive læst")
        except InputError:
            raise
        except Exception as exc:  # a broken sheet part: name it, never a traceback
            reader.problem(reader.at(name, "A1"), "", f"arket kan ikke læses ({type(exc).__name__}: {short(str(exc), 120)})")
    wb.close()
    if not reader.present and not reader.problems:
        reader.problem(file, "", f"arbejdsbogen har ingen scenarieark (forventede arkene {known}); start fra budgetmodel konverter af en scenariefil eller docs/scenarie-skabelon.xlsx")
    data = reader.finish()
    if reader.problems:
        raise InputError(reader.problems)
    ordered = {k: data[k] for k in ("kind", "id", "title", "description", "extends") if k in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return WorkbookDocument(path, ordered, reader.origins, hashlib.sha256(raw).hexdigest())


# ------------------------------------------------------------------------------- writing


@dataclass
class _Row:
    key: str
    felt: str
    value: Any = None
    meta: dict[str, Any] = field(default_factory=dict)  # column → text
    doc: str = ""


_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _cell_value(v: Any, where: str, problems: list[str]) -> Any:
    """A scalar as a cell can hold it, or a problem saying why it cannot."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, float):
        if not math.isfinite(v):
            problems.append(f"{where}: {v} er ikke et endeligt tal")
        elif float("%.16g" % v) != v:
            problems.append(f"{where}: tallet {v!r} har flere cifre, end en Excel-celle gemmer (16); afrund det")
        return v
    if isinstance(v, int):
        if abs(v) > MAX_ABS_NUMBER:
            problems.append(f"{where}: tallet {v} er større end ±10^15")
        return v
    if isinstance(v, dt.datetime):
        problems.append(f"{where}: et tidspunkt ({v.isoformat()}) kan ikke skrives; forventede en dato")
        return None
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        if len(v) > MAX_TEXT:
            problems.append(f"{where}: teksten har {len(v)} tegn; en Excel-celle rummer højst {MAX_TEXT}")
        elif _ILLEGAL.search(v):
            problems.append(f"{where}: teksten indeholder et kontroltegn, som en Excel-celle ikke kan rumme")
        return v
    problems.append(f"{where}: {short(str(v))} kan ikke skrives i en celle")
    return None


def rows_of(data: dict[str, Any]) -> tuple[dict[str, list[_Row]], set[str], list[tuple[Loc, str]]]:
    """The rows of each sheet for scenario data (a file's own content, as YAML gives it), the
    sheets its sections make present, and (path, why) for every field a workbook cannot hold."""
    sheets: dict[str, list[_Row]] = {sh.name: [] for sh in SHEETS}
    present: set[str] = set()
    problems: list[tuple[Loc, str]] = []

    def emit(path: Loc, row: _Row) -> None:
        sh = sheet_for(path)
        rel = path[len(sh.root):]
        if sh.key:
            if not rel:
                problems.append((path, "en hel gruppe kan ikke stå på én række"))
                return
            row.key, rel = str(rel[0]), rel[1:]
        row.felt = ".".join(map(str, rel))
        if not row.felt:
            problems.append((path, "feltet har intet navn på arket"))
            return
        if any("." in str(p) for p in rel):
            problems.append((path, "en nøgle med punktum kan ikke skrives som felt"))
            return
        row.doc = field_doc(path)
        sheets[sh.name].append(row)

    def scalar(path: Loc, v: Any) -> Any:
        why: list[str] = []
        out = _cell_value(v, ".".join(map(str, path)), why)
        for w in why:
            problems.append((path, w.split(": ", 1)[1]))
        return out

    def walk(path: Loc, node: Any) -> None:
        try:
            tps = node_at(path)
        except UnknownField as exc:
            problems.append((path, exc.args[0]))
            return
        if path and path == sheet_for(path).root:
            present.add(sheet_for(path).name)
            if node == {} and _empty_means_absent(path):
                problems.append((path, "et tomt afsnit ({}) kan ikke skrives: et tomt ark betyder, at afsnittet ikke er der; udelad det eller giv mindst ét felt"))
                return
        if node is None:
            problems.append((path, "null (en tom værdi, der sletter et arvet felt) kan ikke skrives i en arbejdsbog"))
            return
        if isinstance(node, dict):
            models = [t for t in tps if is_model(t)]
            fitting = [m for m in models if set(map(str, node)) <= set(m.model_fields) | {"profile"}]
            model = next((m for m in fitting if "value" in node and "value" in m.model_fields), None) or (fitting[0] if fitting else None)
            if model is not None and is_sourced(model):
                row = _Row("", "")
                if "value" in model.model_fields:
                    row.value = None if node.get("value") is None else scalar((*path, "value"), node.get("value"))
                for col, f in META.items():
                    if f in node and node[f] is not None:
                        row.meta[col] = scalar((*path, f), node[f])
                emit(path, row)
                for k, v in node.items():
                    if k not in ("value", *META.values()):
                        walk((*path, k), v)
                return
            if not node and path and path != sheet_for(path).root:
                emit(path, _Row("", "", "{}"))  # written out: in a fragment an empty mapping replaces nothing, but it is what the file says
                return
            for k, v in node.items():
                walk((*path, k), v)
            return
        if isinstance(node, list):
            if not any(container(t) == "list" for t in tps):
                problems.append((path, "forventede ikke en liste her"))
                return
            if not node and path != sheet_for(path).root:
                emit(path, _Row("", "", "[]"))  # an empty list (in a fragment it replaces an inherited one)
                return
            for i, v in enumerate(node):
                walk((*path, i), v)
            return
        if not any(container(t) is None for t in tps):
            problems.append((path, f"forventede en gruppe af felter, fik {_shown(node)}"))
            return
        emit(path, _Row("", "", scalar(path, node)))

    if not isinstance(data, dict):
        return sheets, present, [((), "scenariefilen er ikke en ordbog af afsnit")]
    for k, v in data.items():
        walk((k,), v)
    present.add("Scenarie")
    return sheets, present, problems


def _empty_means_absent(root: Loc) -> bool:
    """An optional section whose absence (None) differs from its being empty: an empty sheet
    cannot tell the two apart."""
    from budgetmodel.scenario.schema import Scenario

    try:
        parents = [Scenario] if len(root) == 1 else [t for t in node_at(root[:-1]) if is_model(t)]
    except UnknownField:
        return False
    info = next((p.model_fields[root[-1]] for p in parents if root[-1] in p.model_fields), None)
    return info is not None and not info.is_required() and info.default is None


def _instructions() -> list[str]:
    from budgetmodel.scenario.schema import InputStatus

    return [
        "Scenarie i en Excel-arbejdsbog",
        "",
        "Arbejdsbogen er et scenarie for budgetmodel, præcis som en YAML-scenariefil: budgetmodel run, validate, compare og businesscase læser den direkte,",
        "og budgetmodel konverter FIL.xlsx FIL.yaml (eller omvendt) oversætter mellem de to. Felterne og deres betydning står i docs/scenario-reference.md.",
        "",
        "Hvert ark er ét afsnit af scenariet. Én række pr. værdi:",
        "  Felt: feltets navn under arkets afsnit; punktum går et niveau ned (activation.virksomhedspraktik, by_year.2027, years.0 for første element i en liste).",
        "  Værdi: tallet, teksten, datoen (ÅÅÅÅ-MM-DD) eller sand/falsk. Tal skrives som tal (ikke som tekst), andele som brøk (0,15 = 15 pct.).",
        "  Kilde, Status, Note: for et tal med kilde — hvor tallet kommer fra, dets status og en forklaring. Tom for et enkelt felt.",
        "  Forklaring: hvad feltet betyder (fra skemaet); kolonnen læses ikke.",
        "  Sagsstamme og Initiativer har en første kolonne (Gruppe, Initiativ) med gruppens eller initiativets navn (små bogstaver, tal og _).",
        "Statusser: " + ", ".join(s.value for s in InputStatus) + " (data = kommunens egne tal, fra_notat = trykt i et dokument, derived = beregnet, law = loven, assumption = en antagelse).",
        "En tom Værdi i en række med kilde betyder 'ikke udfyldt endnu': budgetmodel validate lister den som mangler, med ark og celle.",
        "",
        "Regler, som læseren håndhæver (hver fejl nævner ark og celle, alle på én gang):",
        "  Formler læses ikke: en celle, der læses, skal indeholde værdien (Kopiér → Indsæt som værdier). Et gemt formelresultat kan være forældet.",
        "  Flettede celler i de læste kolonner, Excel-fejl (#DIV/0!), ukendte felter og ukendte ark afvises. Ark, hvis navn begynder med _, er dine egne og læses ikke.",
        "  Stier (extends, Personale!profile, forecast.panel) er relative til arbejdsbogens mappe og skal ligge i de samme mapper som for en YAML-fil.",
        "  Rækker, hvor Felt begynder med #, er kommentarer.",
        "",
        "Arkene:",
        *(f"  {sh.name}: {sh.title}" for sh in SHEETS),
        f"  {FIELD_LIST}: alle felter, skemaet tillader, med deres ark og forklaring (læses ikke).",
    ]


def build_workbook(data: dict[str, Any], locate: Callable[[Loc], tuple[str, int | None]] | None = None) -> Any:
    """An openpyxl Workbook for scenario data; InputError naming every field a workbook cannot
    hold (``locate`` gives a field's file and line for the message)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from budgetmodel.scenario.schema import InputStatus

    sheets, present, problems = rows_of(data)
    if problems:
        where = locate or (lambda loc: ("", None))
        raise InputError([Problem(*where(loc), ".".join(map(str, loc)), f"kan ikke udtrykkes i en arbejdsbog: {why}") for loc, why in problems])
    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = INSTRUCTIONS
    for i, line in enumerate(_instructions(), 1):
        c = _text(ws, i, 1, line)
        if i == 1:
            c.font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 160
    for sh in SHEETS:
        ws = wb.create_sheet(sh.name)
        headers = ([sh.key] if sh.key else []) + list(COLUMNS)
        _text(ws, 1, 1, sh.title).font = Font(bold=True, size=13)
        _text(ws, 2, 1, "Én række pr. værdi; se arket Vejledning. Kolonnen Forklaring læses ikke.")
        for j, h in enumerate(headers, 1):
            _text(ws, 3, j, h).font = bold
        off = 1 if sh.key else 0
        for i, row in enumerate(sheets[sh.name], FIRST_DATA_ROW):
            if sh.key:
                _text(ws, i, 1, row.key)
            _text(ws, i, off + 1, row.felt)
            _put(ws, i, off + 2, row.value)
            for j, col in enumerate(("Kilde", "Status", "Note"), off + 3):
                if col in row.meta:
                    _put(ws, i, j, row.meta[col])
            c = _text(ws, i, off + 6, row.doc)
            c.alignment = Alignment(wrap_text=False)
        status_col = get_column_letter(off + 4)  # a list of the statuses to pick from (schema.InputStatus)
        dv = DataValidation(type="list", formula1='"' + ",".join(s.value for s in InputStatus) + '"', allow_blank=True)
        dv.add(f"{status_col}{FIRST_DATA_ROW}:{status_col}{FIRST_DATA_ROW + 1999}")
        ws.add_data_validation(dv)
        widths = ([28] if sh.key else []) + [42, 18, 60, 12, 50, 80]
        for j, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(j)].width = w
        ws.freeze_panes = f"{get_column_letter(off + 2)}{FIRST_DATA_ROW}"
    ws = wb.create_sheet(FIELD_LIST)
    _text(ws, 1, 1, "Alle felter i et scenarie (genereret fra skemaet; læses ikke)").font = Font(bold=True, size=13)
    for j, h in enumerate(("Ark", "Gruppe/Initiativ", "Felt", "Forklaring"), 1):
        _text(ws, 3, j, h).font = bold
    for i, (sheet, key, felt, doc) in enumerate(all_fields(), FIRST_DATA_ROW):
        for j, v in enumerate((sheet, key, felt, doc), 1):
            _text(ws, i, j, v)
    for j, w in enumerate((14, 18, 60, 100), 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    return wb


def _text(ws: Any, row: int, col: int, value: str) -> Any:
    c = ws.cell(row, col)
    if value == "":
        return c
    c.value = value
    c.data_type = "s"  # text is text, never a formula
    return c


def _put(ws: Any, row: int, col: int, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, str):
        _text(ws, row, col, value)
        return
    c = ws.cell(row, col)
    c.value = value
    if isinstance(value, float) and value.is_integer():
        c.number_format = INTEGRAL_FLOAT_FORMAT
    elif isinstance(value, dt.date):
        c.number_format = DATE_FORMAT


# ------------------------------------------------------------------------------- paths


def rebase_paths(data: dict[str, Any], from_dir: Path, to_dir: Path) -> dict[str, Any]:
    """Scenario data with its relative file paths (extends, staff profile, forecast files) made
    relative to ``to_dir`` instead of ``from_dir``, for a file converted into another folder."""
    import copy
    import os

    from budgetmodel.scenario.workbook_schema import PATH_FIELDS

    if from_dir.resolve() == to_dir.resolve():
        return data
    out = copy.deepcopy(data)

    def fix(node: Any, pattern: tuple[str, ...]) -> None:
        head, rest = pattern[0], pattern[1:]
        if isinstance(node, list) and head == "*":
            for i, v in enumerate(node):
                if rest:
                    fix(v, rest)
                elif isinstance(v, str) and not os.path.isabs(v):
                    node[i] = os.path.relpath(from_dir / v, to_dir)
        elif isinstance(node, dict) and head in node:
            if rest:
                fix(node[head], rest)
            elif isinstance(node[head], str) and not os.path.isabs(node[head]):
                node[head] = os.path.relpath(from_dir / node[head], to_dir)

    for pattern in PATH_FIELDS:
        fix(out, pattern)
    return out


def workbook_to_yaml(doc: WorkbookDocument) -> str:
    import yaml

    head = f"# Scenarie konverteret fra arbejdsbogen {doc.path.name} (sha256 {doc.sha256}) af budgetmodel konverter.\n"
    return head + yaml.safe_dump(doc.data, allow_unicode=True, sort_keys=False, width=100)
