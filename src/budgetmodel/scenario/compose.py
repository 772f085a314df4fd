"""Scenarios compose: ``extends: [basis.yaml, parts/reform.yaml, parts/initiative.yaml]``.

The files named in ``extends`` (paths relative to the file that names them; they may extend
others in turn) are merged in order, then the file's own content on top:

- mappings merge key by key (so ``initiatives:`` from two files add up, and a later file can
  change one field of an earlier section);
- a *value object* — a mapping with ``value``, ``by_year``, ``rate``, ``computed`` or ``same_as`` — is replaced
  whole, so an overridden number never keeps the source of the number it replaced (and a reform
  line given by year can be replaced by one computed from the caseload);
- lists and scalars are replaced;
- ``key: null`` removes the key (e.g. drop an inherited initiative);
- ``kind``, ``id``, ``title``, ``description``, ``memo`` and ``sensitivity`` are never inherited
  piecewise: ``memo`` and ``sensitivity`` are replaced whole, the others come from the top file.

Every merged key keeps the file and line it came from, so a validation error in a composed
scenario names the file that holds the bad value.

Files a scenario may touch (``extends``, a staff profile, a forecast's panel and assumptions) are
confined: they must resolve (links followed) inside the folder of the scenario named on the
command line (for a scenario inside a folder called ``scenarios``: that folder and the ``data/``
beside it, the repository's layout), the tool's own folder (bundled ``scenarios/``, ``data/``, fixtures), a folder named on
the command line, or a folder listed in ``BUDGETMODEL_ALLOW`` (separated by ``:``). Anything else (``extends:
/etc/passwd``, an absolute panel path elsewhere) is refused before a byte of it is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from budgetmodel.errors import InputError, Problem
from budgetmodel import cmdline
from budgetmodel.sourcefile import Loc, LocatedDocument, load_yaml

VALUE_KEYS = ("value", "by_year", "rate", "computed", "same_as")  # a reform line given or computed is replaced whole
REPLACED_WHOLE = ("memo", "sensitivity")
OWN_ONLY = ("kind", "id", "title", "description", "extends")


@dataclass
class Composed:
    """Merged data plus the origin (file, line) of every key and the files used, in order."""

    data: dict[str, Any]
    origins: dict[Loc, tuple[str, int]] = field(default_factory=dict)
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256)
    roots: tuple[Path, ...] = ()  # the folders the scenario's files may come from

    def where(self, loc: Loc) -> tuple[str, int | None]:
        loc = tuple(loc)
        while True:
            if loc in self.origins:
                return self.origins[loc]
            if not loc:
                return (self.files[-1][0] if self.files else "", None)
            loc = loc[:-1]


def _is_value_object(v: Any) -> bool:
    return isinstance(v, dict) and any(k in v for k in VALUE_KEYS)


def _origins_of(doc: LocatedDocument) -> dict[Loc, tuple[str, int]]:
    return {loc: (str(doc.path), line) for loc, line in doc.lines.items()}


def _purge(origins: dict[Loc, tuple[str, int]], prefix: Loc) -> None:
    n = len(prefix)
    for loc in [k for k in origins if k[:n] == prefix]:
        del origins[loc]


def merge_layer(base: dict, over: dict, loc: Loc, origins: dict, over_origins: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        here = (*loc, key)
        if value is None:
            out.pop(key, None)
            _purge(origins, here)
            continue
        old = out.get(key)
        whole = (not loc and key in REPLACED_WHOLE) or _is_value_object(value) or _is_value_object(old)
        if isinstance(value, dict) and isinstance(old, dict) and not whole:
            if here in over_origins:
                origins[here] = over_origins[here]
            out[key] = merge_layer(old, value, here, origins, over_origins)
        else:
            _purge(origins, here)
            n = len(here)
            origins.update({k: v for k, v in over_origins.items() if k[:n] == here})
            out[key] = value
    return out


def allowed_roots(path: Path | str) -> tuple[Path, ...]:
    """The folders a scenario at ``path`` may read from (see the module doc), resolved."""
    from budgetmodel.paths import data_dir, project_root, scenarios_dir

    here = Path(path).resolve().parent
    home = project_root()
    # the tool's own folder (bundled scenarios, data and test fixtures), when it is one
    bundled = [home.resolve()] if (home / "pyproject.toml").is_file() and (home / "rates").is_dir() else [scenarios_dir().resolve(), data_dir().resolve()]
    roots = [here, *bundled]
    # a project laid out like this repository (…/scenarios/x.yaml beside …/data/): both folders
    project = next((p for p in (here, *here.parents) if p.name == "scenarios"), None)
    if project is not None:
        roots += [project, project.parent / "data"]
    roots += [Path(p).resolve() for p in cmdline.FOLDERS]
    roots += [Path(p).resolve() for p in os.environ.get("BUDGETMODEL_ALLOW", "").split(os.pathsep) if p]
    return tuple(dict.fromkeys(roots))


def confine(rel: Any, named_in: str, roots: tuple[Path, ...]) -> tuple[Path | None, str | None]:
    """(the file ``rel`` names, relative to the file ``named_in``) or (None, why it is refused)."""
    if not isinstance(rel, str) or not rel.strip() or "\x00" in rel:
        return None, "forventede en filsti (relativ til filen, der nævner den)"
    target = Path(named_in).parent / rel
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        return None, f"stien {rel} kan ikke følges (en løkke af links?)"
    if not any(real.is_relative_to(r) for r in roots):
        return None, (
            f"{rel} ligger uden for scenariets mapper ({', '.join(str(r) for r in roots[:1])}, værktøjets egen mappe, "
            "mapper nævnt på kommandolinjen eller i BUDGETMODEL_ALLOW); filen læses ikke"
        )
    if not target.exists():
        return None, f"filen findes ikke: {rel} (ledte efter {target})"
    if not target.is_file():
        return None, f"{rel} er ikke en almindelig fil"
    return target, None


def _load_file(path: Path) -> tuple[Any, dict[Loc, tuple[str, int | None]]]:
    """A scenario file's data and the origin of every key: YAML (file, line) or, for an Excel
    workbook (.xlsx), its sheet and cell (budgetmodel.scenario.workbook)."""
    from budgetmodel.scenario.workbook import is_workbook, read_workbook

    if is_workbook(path):
        wb = read_workbook(path)
        return wb, wb.origins
    doc = load_yaml(path)
    return doc, _origins_of(doc)


def _at(origins: dict[Loc, tuple[str, int | None]], loc: Loc, path: Path) -> tuple[str, int | None]:
    while loc:
        if loc in origins:
            return origins[loc]
        loc = loc[:-1]
    return (str(path), 1)


def compose(path: Path | str, _stack: tuple[Path, ...] = (), _roots: tuple[Path, ...] | None = None) -> Composed:
    """Load ``path`` and everything it extends; InputError lists every problem found."""
    path = Path(path)
    roots = _roots if _roots is not None else allowed_roots(path)
    real = path.resolve()
    if real in _stack:
        chain = " → ".join(str(p) for p in (*_stack, real))
        raise InputError([Problem(str(path), None, "extends", f"extends itself in a loop: {chain}")])
    doc, own_origins = _load_file(path)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(str(path), 1, "", "a scenario file must be a mapping of sections")])
    extends = doc.data.get("extends", [])
    problems: list[Problem] = []
    if not isinstance(extends, list) or not all(isinstance(x, str) for x in extends):
        raise InputError([Problem(*_at(own_origins, ("extends",), path), "extends", "expected a list of file paths (relative to this file)")])
    merged: dict[str, Any] = {}
    origins: dict[Loc, tuple[str, int]] = {}
    files: list[tuple[str, str]] = []
    for i, rel in enumerate(extends):
        target, refused = confine(rel, str(path), roots)
        if target is None:
            problems.append(Problem(*_at(own_origins, ("extends", i), path), f"extends.{i}", refused or ""))
            continue
        try:
            parent = compose(target, (*_stack, real), roots)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        parent_data = {k: v for k, v in parent.data.items() if k not in OWN_ONLY}
        parent_origins = {k: v for k, v in parent.origins.items() if not (k and k[0] in OWN_ONLY)}
        merged = merge_layer(merged, parent_data, (), origins, parent_origins)
        files.extend(f for f in parent.files if f not in files)
    if problems:
        raise InputError(problems)
    own = {k: v for k, v in doc.data.items() if k != "extends"}
    merged = merge_layer(merged, own, (), origins, own_origins)
    # top-level keys in the order a reader expects: the file's own identity first
    ordered = {k: merged[k] for k in ("kind", "id", "title", "description") if k in merged}
    ordered.update({k: v for k, v in merged.items() if k not in ordered})
    origins[()] = own_origins.get((), (str(path), 1))
    files.append((str(path), doc.sha256))
    return Composed(ordered, origins, files, roots)
