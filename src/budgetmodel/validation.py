"""`budgetmodel validate`: recognise each YAML file's kind and check it; all problems at once.

A file is a rate table when it has the keys of one (``id``, ``unit``, ``values``). Other kinds
(scenarios, profiles) register a checker in ``CHECKERS`` from their own package; a file no
checker claims is an error, never silently skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from budgetmodel.errors import InputError, Problem
from budgetmodel.rates.book import load_table
from budgetmodel.sourcefile import LocatedDocument, parse_yaml, regular_files

# (name, claims(doc) -> bool, check(path, rates_root) -> None raising InputError; rates_root: the
# rates folder a scenario is compiled against, None for the bundled rates/)
Checker = tuple[str, Callable[[LocatedDocument], bool], Callable[[Path, Path | None], None]]


def _is_rate_table(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and {"id", "unit", "values"} <= set(doc.data)


def _check_rate_table(path: Path, rates_root: Path | None = None) -> None:
    load_table(path)


# The names say in Danish what makes a file that kind (they are listed when no checker claims a file).
RATE_TABLE = "satstabel (felterne id, unit og values)"
CHECKERS: list[Checker] = [(RATE_TABLE, _is_rate_table, _check_rate_table)]


# checkers of files that are not YAML, by suffix (a scenario workbook, .xlsx): check(path, rates_root)
FILE_CHECKERS: dict[str, Callable[[Path, Path | None], None]] = {}


def register_checker(checker: Checker) -> None:
    if all(c[0] != checker[0] for c in CHECKERS):
        CHECKERS.append(checker)


def _load_plugins() -> None:
    """Import the packages that own other file kinds so they can register their checker."""
    import importlib

    for mod in ("budgetmodel.scenario.validate", "budgetmodel.forecast.assumptions", "budgetmodel.unitcost.validate"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise


def yaml_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        if p.is_dir():
            found, refused = regular_files(p, (".yaml", ".yml", *FILE_CHECKERS))
            files.extend(found)
            problems.extend(refused)
        elif p.exists():
            files.append(p)  # a FIFO or device named on the command line is refused by the reader
        else:
            problems.append(Problem(str(p), None, "", "filen eller mappen findes ikke"))
    return files, problems


def validate_paths(paths: list[Path], rates_root: Path | None = None) -> int:
    """Check every YAML file under ``paths``; return how many were checked or raise InputError."""
    _load_plugins()
    files, problems = yaml_files(paths)
    if rates_root is not None:  # the folder scenarios are compiled against must hold every table the model reads
        from budgetmodel.rates.book import missing_tables, model_tables, rate_files

        if Path(rates_root).is_dir():
            problems.extend(missing_tables(Path(rates_root), {p.stem for p in rate_files([Path(rates_root)])}, model_tables()))
    ids: dict[str, Path] = {}
    for path in files:
        if path.suffix.lower() in FILE_CHECKERS:
            try:
                FILE_CHECKERS[path.suffix.lower()](path, rates_root)
            except InputError as exc:
                problems.extend(exc.problems)
            continue
        try:
            doc = parse_yaml(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for name, claims, check in CHECKERS:
            if claims(doc):
                try:
                    check(path, rates_root)
                except InputError as exc:
                    problems.extend(exc.problems)
                if name == RATE_TABLE and isinstance(doc.data.get("id"), str):
                    tid = doc.data["id"]
                    if tid in ids:
                        problems.append(Problem(str(path), doc.line_of(("id",)), "id", f"tabel-id '{tid}' bruges også af {ids[tid]}"))
                    ids[tid] = path
                break
        else:
            problems.extend(doc.problems)
            kinds = "; ".join(c[0] for c in CHECKERS)
            problems.append(Problem(str(path), 1, "", f"ukendt slags fil; forventede en af: {kinds}"))
    if problems:
        raise InputError(list(dict.fromkeys(problems)))  # a rates folder's problem is met once per scenario
    return len(files)
