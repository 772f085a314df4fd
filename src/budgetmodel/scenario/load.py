"""Load a scenario: compose its files, validate, check across sections, and fingerprint it.

>>> loaded = load_scenario("scenarios/lyngby-taarbaek-2014-jobformidler.yaml")
>>> loaded.scenario.initiatives["personlig_jobformidler"].staff_count.value
2

Every problem is reported at once with the file and line that hold it (the file may be one the
scenario extends). A loaded scenario carries the resolved data (what a run saves, so it can be
re-run without the files it was composed from) and ``input_hash``, the sha256 of its canonical
JSON — the "input hash" a memo prints.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from budgetmodel import fmt
from budgetmodel.errors import InputError, Problem
from budgetmodel.pydantic_da import danish
from budgetmodel.rates.book import RateBook, RateValue
from budgetmodel.scenario.compose import Composed, allowed_roots, compose, confine
from budgetmodel.scenario.schema import (
    RateRef,
    Scenario,
    ScenarioFragment,
    Series,
    renamed_fields,
    resolve_parameter,
    with_parameter,
)
from budgetmodel.sourcefile import FILL_MARK, Loc, describe_error, fill_gaps, load_yaml, sha256_file


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    path: Path
    files: tuple[tuple[str, str], ...]  # every file composed, in order, with its sha256
    resolved: dict[str, Any]  # the merged data; valid on its own as a scenario file
    input_hash: str
    aux: dict[str, str] = field(default_factory=dict)  # data files the scenario reads (role → absolute path)

    def resolved_yaml(self) -> str:
        """The resolved scenario as YAML, with a header naming the files it was composed from."""
        head = [f"# Resolved scenario '{self.scenario.id}' (input hash {self.input_hash})", "# composed from:"]
        head += [f"#   {p}  sha256 {h}" for p, h in self.files]
        body = yaml.safe_dump(self.resolved, allow_unicode=True, sort_keys=False, width=100)
        return "\n".join(head) + "\n" + body


def canonical_hash(scenario: BaseModel, aux: dict[str, str] | None = None) -> str:
    """sha256 of the scenario's canonical JSON; data files it reads count by content, not path."""
    data = scenario.model_dump(mode="json")
    fc = (data.get("municipality") or {}).get("caseload", {}).get("forecast") if isinstance(data, dict) else None
    for role, path in sorted((aux or {}).items()):
        digest = "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()
        if fc is not None and role in ("panel", "assumptions"):
            fc[role] = digest
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _aux_files(s: Scenario, c: Composed) -> dict[str, str]:
    """Absolute paths of the data files a scenario reads (the forecast's panel and assumptions),
    and the resolved data rewritten to point at them so a saved resolved scenario runs anywhere."""
    out: dict[str, str] = {}
    fc = s.municipality.caseload.forecast
    if s.methods is not None and s.methods.passivity is not None:  # issue 15: the passivity method's panel
        file, _ = c.where(("methods", "passivity", "panel"))
        out["passivity_panel"] = str((Path(file).parent / s.methods.passivity.panel).resolve())
        c.data["methods"]["passivity"]["panel"] = out["passivity_panel"]
    if fc is None:
        return out
    for role in ("panel", "assumptions"):
        rel = getattr(fc, role)
        if rel is None:
            continue
        file, _ = c.where(("municipality", "caseload", "forecast", role))
        out[role] = str((Path(file).parent / rel).resolve())
        c.data["municipality"]["caseload"]["forecast"][role] = out[role]
    return out


def _data_loc(data: Any, loc: Loc) -> Loc:
    """Drop the parts of a pydantic location that name union branches (``float``, ``RateRef``,
    ``function-after[...]``) rather than keys of the data, so the field reads as the user wrote it."""
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        elif last and isinstance(node, dict) and isinstance(part, str) and not part.startswith(("function-", "union[", "list[", "dict[")) and part not in _BRANCH_TAGS:
            out.append(part)  # a missing or unknown key
    return tuple(out)


_BRANCH_TAGS = {"int", "float", "str", "bool", "NonNegative", "RateRef", "Share", "Sourced", "UnitCostProfile"}


# errors that say the value has another shape than a union branch expects (not what is wrong inside it)
_SHAPE_ERRORS = {"extra_forbidden", "missing", "model_type", "model_attributes_type", "list_type", "dict_type", "float_type", "int_type", "string_type", "bool_type"}


def _union_branch(data: Any, loc: tuple) -> tuple[tuple, str] | None:
    """(the data path of the union, the branch tag) of an error inside one branch of a union."""
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            tag = str(part)
            if tag in _BRANCH_TAGS or "[" in tag or tag[:1].isupper():
                return loc[:i], tag
            return None
    return None


def _best_branches(data: Any, errors: list[dict]) -> list[dict]:
    """Where a value fits no branch of a union (a number with source, or a rate reference, or a
    list of them), keep the errors of the branch it comes closest to: fewest shape errors, then
    fewest errors. 'source: x' in a number with source is then one problem, not five."""
    branches: dict[tuple, dict[str, list[dict]]] = {}
    for err in errors:
        found = _union_branch(data, tuple(err["loc"]))
        if found is not None:
            branches.setdefault(found[0], {}).setdefault(found[1], []).append(err)
    drop: set[int] = set()
    for by_tag in branches.values():
        if len(by_tag) < 2:
            continue
        best = min(by_tag, key=lambda t: (sum(e["type"] in _SHAPE_ERRORS for e in by_tag[t]), len(by_tag[t])))
        drop |= {id(e) for t, errs in by_tag.items() if t != best for e in errs}
    return [e for e in errors if id(e) not in drop]


def _problems(composed: Composed, exc: ValidationError, skip_missing: bool = False) -> list[Problem]:
    out = []
    seen: set[tuple] = set()
    for err in _best_branches(composed.data, exc.errors()):
        if skip_missing and err.get("type") == "missing":
            continue
        loc = _data_loc(composed.data, tuple(err["loc"]))
        file, line = composed.where(loc)
        key = (file, line, loc)
        if key in seen:  # a union (number or rate reference) reports each branch: keep the first
            continue
        seen.add(key)
        message = describe_error(err)
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        out.append(Problem(file, line, ".".join(map(str, loc)), message))
    return out




def _unfilled(composed: Composed) -> list[Problem]:
    """Every ``value: null`` and every text marked UDFYLD: what is left to fill in (one 'mangler'
    problem each, with file and line), so a new scenario lists its gaps at once."""
    out: list[Problem] = []
    for loc, what in fill_gaps(composed.data, nulls=True):
        file, line = composed.where(loc)
        out.append(Problem(file, line, ".".join(map(str, loc)), f"mangler: {what} er ikke udfyldt endnu ({FILL_MARK}; se docs/scenario-reference.md)"))
    return out


def _cross_checks(s: Scenario, c: Composed) -> list[Problem]:
    """Rules across sections that a single field cannot see."""
    problems: list[Problem] = []

    def at(loc: Loc, message: str) -> None:
        file, line = c.where(loc)
        problems.append(Problem(file, line, ".".join(map(str, loc)), message))

    groups = s.municipality.caseload.groups
    prices = s.municipality.prices.helaarstilbud_dkk
    for iid, ini in s.initiatives.items():
        if ini.target_group not in groups:
            at(("initiatives", iid, "target_group"), f"ukendt gruppe i sagsstammen '{ini.target_group}' (forventede en af: {', '.join(groups)})")
        for age, red in ini.offer_reductions.items():
            if red.price_dkk is None and age not in prices:
                at(("initiatives", iid, "offer_reductions", age), f"ingen pris for aldersgruppen '{age}': angiv price_dkk eller municipality.prices.helaarstilbud_dkk.{age}")
    staff = s.municipality.staff
    staff_groups = set(getattr(staff, "target_groups", {}) or {}) if staff is not None else set()
    for gid, g in groups.items():
        if g.staff_group is not None and g.staff_group not in staff_groups:
            at(("municipality", "caseload", "groups", gid, "staff_group"), f"ukendt medarbejdergruppe '{g.staff_group}' (forventede en af: {', '.join(sorted(staff_groups)) or 'ingen: ingen medarbejderprofil'})")
    # every series must cover every budget year
    years = set(s.years)

    def series(loc: Loc, obj: Any) -> None:
        if isinstance(obj, Series) and obj.by_year is not None:  # a reform line computed by the model has none: its caseload series are checked
            missing = sorted(years - set(obj.by_year))
            if missing:
                at((*loc, "by_year"), f"ingen værdi for år {', '.join(map(str, missing))} (scenariet løber {s.years[0]}-{s.years[-1]})")
        elif isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                series((*loc, name), getattr(obj, name))
        elif isinstance(obj, dict):
            for k, v in obj.items():
                series((*loc, k), v)
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                series((*loc, i), v)

    series(("budget",), s.budget)
    for i, key in enumerate(s.budget.caseload_groups):
        if key not in groups:
            at(("budget", "caseload_groups", i), f"ukendt gruppe i sagsstammen '{key}' (forventede en af: {', '.join(groups)})")
    if s.budget.budgetgaranti is not None:  # a reform line computed from caseload groups names existing ones
        for pk, part in s.budget.budgetgaranti.parts.items():
            for lk, ln in part.lines.items():
                if ln.same_as is not None and (why := _same_as_problem(s, ln.same_as)):
                    at(("budget", "budgetgaranti", "parts", pk, "lines", lk, "same_as"), why)
                for i, cell in enumerate(ln.computed.caseload if ln.computed is not None else []):
                    if cell.group is not None and cell.group not in groups:
                        at(("budget", "budgetgaranti", "parts", pk, "lines", lk, "computed", "caseload", i, "group"), f"ukendt gruppe i sagsstammen '{cell.group}' (kendte: {', '.join(groups)})")
    if s.budget.beskaeftigelsestilskud is not None and (missing := sorted(years - set(s.budget.beskaeftigelsestilskud.years))):
        at(("budget", "beskaeftigelsestilskud", "years"), f"mangler tilskudsår {', '.join(map(str, missing))} (scenariet løber {s.years[0]}-{s.years[-1]})")
    if s.sensitivity is not None:
        for kind in ("tornado", "monte_carlo"):
            for i, item in enumerate(getattr(s.sensitivity, kind)):
                try:
                    resolve_parameter(s, item.parameter)
                except KeyError as exc:
                    at(("sensitivity", kind, i, "parameter"), str(exc.args[0]))
                    continue
                for bound in ("low", "mode", "high"):  # the engine sets each bound: it must fit the field
                    value = getattr(item, bound, None)
                    if value is None:
                        continue
                    try:
                        with_parameter(s, item.parameter, value)
                    except (ValidationError, ValueError, ArithmeticError) as exc:
                        why = danish(exc.errors()[0]) if isinstance(exc, ValidationError) else str(exc)
                        at(("sensitivity", kind, i, bound), f"{bound} = {fmt.plain(value)} passer ikke til {item.parameter}: {why}")
        if s.sensitivity.measure == "initiatives" and not s.initiatives:
            at(("sensitivity", "measure"), "scenariet har ingen initiativer at måle (forventede budget eller caseload)")
    fc = s.municipality.caseload.forecast
    if fc is not None:
        for role in ("panel", "assumptions"):
            rel = getattr(fc, role)
            if rel is None:
                continue
            file, _ = c.where(("municipality", "caseload", "forecast", role))
            _, refused = confine(rel, file, c.roots or allowed_roots(file))
            if refused:
                at(("municipality", "caseload", "forecast", role), f"{role}: {refused}")
    if s.methods is not None and s.methods.passivity is not None:
        file, _ = c.where(("methods", "passivity", "panel"))
        _, refused = confine(s.methods.passivity.panel, file, c.roots or allowed_roots(file))
        if refused:
            at(("methods", "passivity", "panel"), f"panel: {refused}")
    if s.methods is not None and s.methods.benchmark and s.municipality.staff is None:
        at(("methods", "benchmark"), "benchmarket (Mploy/Kibak) bruger kommunens personale: scenariet mangler municipality.staff (årsværk og årspersoner pr. målgruppe, eller en profilfil)")
    return problems


def same_as_series(s: Scenario, path: str) -> Series:
    """The series a reform line's ``same_as`` names (a dotted path below ``budget``); KeyError if none."""
    node: Any = s
    for part in path.split("."):
        if isinstance(node, BaseModel) and part in type(node).model_fields:
            node = getattr(node, part)
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(part)
    if not isinstance(node, Series) or node.by_year is None:
        raise KeyError(path)
    return node


def _same_as_problem(s: Scenario, path: str) -> str | None:
    try:
        ser = same_as_series(s, path)
    except KeyError:
        return f"'{path}' er ikke en serie med by_year i scenariet (fx budget.mentor.lines.udvidet_maalgruppe.amount)"
    if ser.unit == "count":
        return f"'{path}' er et antal (unit: count), ikke et beløb"
    return None


def rate_refs(s: Scenario) -> list[tuple[Loc, RateRef]]:
    """Every rate reference in the scenario, with its location."""
    out: list[tuple[Loc, RateRef]] = []

    def walk(loc: Loc, obj: Any) -> None:
        if isinstance(obj, RateRef):
            out.append((loc, obj))
        elif isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                walk((*loc, name), getattr(obj, name))
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk((*loc, k), v)
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                walk((*loc, i), v)

    walk((), s)
    return out


def rates_date(s: Scenario, year: int | None = None) -> "dt.date":
    """The date a rate reference without its own ``at`` is read at: ``law.rates_at``, else
    ``law.as_if``, else 1 January of the budget year (default: the first)."""
    import datetime as dt

    return s.law.rates_at or s.law.as_if or dt.date(year if year is not None else s.years[0], 1, 1)


def lookup_rate(s: Scenario, ref: RateRef, book: RateBook, year: int | None = None) -> tuple[float, RateValue]:
    """The value a rate reference stands for (× factor) and the RateValue to cite."""
    rv = book.lookup(ref.rate, ref.at or rates_date(s, year), **ref.where)
    return float(rv.value) * float(ref.factor), rv


def check_rates(loaded: LoadedScenario, book: RateBook) -> None:
    """Every rate reference must resolve in ``book`` at its date; all problems at once."""
    c = compose_cached(loaded)
    problems = []
    seen = set()
    for loc, ref in rate_refs(loaded.scenario):
        for year in loaded.scenario.years:
            try:
                lookup_rate(loaded.scenario, ref, book, year)
            except KeyError as exc:
                if loc not in seen:
                    seen.add(loc)
                    file, line = c.where(loc)
                    problems.append(Problem(file, line, ".".join(map(str, loc)), str(exc.args[0])))
    if problems:
        raise InputError(problems)


_COMPOSED: dict[str, Composed] = {}


def compose_cached(loaded: LoadedScenario) -> Composed:
    return _COMPOSED.get(loaded.input_hash) or compose(loaded.path)


def load_scenario(path: Path | str, book: RateBook | None = None) -> LoadedScenario:
    """Compose, validate and cross-check one scenario file; with ``book``, also its rate references."""
    path = Path(path)
    composed = compose(path)
    include_staff_profile(composed)
    kind = composed.data.get("kind")
    if kind != "scenario":
        file, line = composed.where(("kind",))
        what = "et fragment sættes ind i et scenarie med extends og køres ikke alene" if kind == "scenario-fragment" else "forventede 'scenario'"
        raise InputError([Problem(file, line, "kind", f"kind er {kind!r}: {what}")])
    renamed = renamed_fields(composed.data)
    if renamed:
        raise InputError([Problem(*composed.where(loc), ".".join(loc), message) for loc, message in renamed])
    unfilled = _unfilled(composed)
    try:
        scenario = Scenario.model_validate(composed.data)
    except ValidationError as exc:
        # a value still to fill in: no schema problem for it or for the sourced number holding it
        # (a union such as number | rate reference would otherwise report every branch)
        holders = {p.field.rsplit(".", 1)[0] if p.field.endswith((".value", ".source")) else p.field for p in unfilled}
        raise InputError([*unfilled, *(p for p in _problems(composed, exc) if not any(p.field == h or p.field.startswith(h + ".") for h in holders))]) from exc
    if unfilled:
        raise InputError(unfilled)
    problems = _cross_checks(scenario, composed)
    if problems:
        raise InputError(problems)
    aux = _aux_files(scenario, composed)
    files = list(composed.files)
    for p in aux.values():
        files.insert(len(files) - 1, (p, sha256_file(p)))
    loaded = LoadedScenario(scenario, path, tuple(files), composed.data, canonical_hash(scenario, aux), aux)
    _COMPOSED[loaded.input_hash] = composed
    if book is not None:
        check_rates(loaded, book)
    return loaded


def include_staff_profile(c: Composed) -> None:
    """``municipality.staff: {profile: data/profiles/x.yaml, …}`` embeds a unit-cost profile file
    (path relative to the scenario file that names it); keys beside ``profile`` override the
    profile's own (e.g. one target group's conversations). Problems point into the file a value
    came from, and the resolved scenario carries the profile inline."""
    from budgetmodel.scenario.compose import merge_layer

    muni = c.data.get("municipality")
    staff = muni.get("staff") if isinstance(muni, dict) else None
    if not (isinstance(staff, dict) and isinstance(staff.get("profile"), str)):
        return
    base = ("municipality", "staff")
    loc = (*base, "profile")
    file, line = c.where(loc)
    target, refused = confine(staff["profile"], file, c.roots or allowed_roots(file))
    if target is None:
        raise InputError([Problem(file, line, "municipality.staff.profile", f"profile: {refused}")])
    doc = load_yaml(target)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(str(target), 1, "", "en medarbejderprofil skal bestå af nøgler med værdier")])
    overrides = {k: v for k, v in staff.items() if k != "profile"}
    override_origins = {k: v for k, v in c.origins.items() if k[:2] == base and k[:3] != loc}
    for k in [k for k in c.origins if k[:2] == base]:
        del c.origins[k]
    c.origins.update({(*base, *k): (str(target), ln) for k, ln in doc.lines.items()})
    muni["staff"] = merge_layer(doc.data, overrides, base, c.origins, override_origins)
    c.files.insert(len(c.files) - 1, (str(target), doc.sha256))


def check_fragment(path: Path | str) -> None:
    """A fragment is checked on its own for everything but fields a base scenario supplies."""
    from budgetmodel.scenario.compose import _load_file  # YAML or a workbook, with the origin of every key

    path = Path(path)
    doc, origins = _load_file(path)
    composed = Composed(doc.data, origins, [(str(path), doc.sha256)])
    problems: list[Problem] = []
    if "extends" in doc.data:
        problems.append(Problem(*composed.where(("extends",)), "extends", "et fragment kan ikke udvide andre filer; sammensæt i scenariet"))
    data = {k: v for k, v in doc.data.items() if k != "extends"}
    problems.extend(Problem(*composed.where(loc), ".".join(loc), message) for loc, message in renamed_fields(data))
    try:
        ScenarioFragment.model_validate(data)
    except ValidationError as exc:
        problems.extend(_problems(composed, exc, skip_missing=True))
    if problems:
        raise InputError(problems)
