"""`budgetmodel konverter IN OUT`: a scenario between YAML and an Excel workbook (.xlsx)."""

from __future__ import annotations

from pathlib import Path

import typer

from budgetmodel.cli.common import reports_input_errors, write_atomic
from budgetmodel.errors import InputError, Problem

YAML_SUFFIXES = (".yaml", ".yml")


def workbook_bytes_for(data: dict, locate=None) -> bytes:  # type: ignore[no-untyped-def]
    """The workbook of scenario data as reproducible bytes (same data, same bytes)."""
    from budgetmodel.reports.render import workbook_bytes
    from budgetmodel.scenario.workbook import build_workbook

    return workbook_bytes(build_workbook(data, locate))


def convert(source: Path, target: Path) -> str:
    """Convert one scenario file; returns what was written, in Danish. InputError for bad input."""
    from budgetmodel.scenario.workbook import is_workbook, read_workbook, rebase_paths, workbook_to_yaml
    from budgetmodel.sourcefile import load_yaml

    src_wb, dst_wb = is_workbook(source), is_workbook(target)
    src_yaml, dst_yaml = source.suffix.lower() in YAML_SUFFIXES, target.suffix.lower() in YAML_SUFFIXES
    if not (src_wb or src_yaml):
        raise InputError([Problem(str(source), None, "", "forventede en scenariefil (.yaml/.yml) eller en arbejdsbog (.xlsx)")])
    if not ((src_yaml and dst_wb) or (src_wb and dst_yaml)):
        want = ".xlsx" if src_yaml else ".yaml"
        raise InputError([Problem(str(target), None, "", f"konverter skriver fra YAML til .xlsx eller fra .xlsx til YAML; giv en udfil, der ender på {want}")])
    if source.resolve() == target.resolve():
        raise InputError([Problem(str(target), None, "", "udfilen er den samme som indfilen")])
    if src_yaml:
        doc = load_yaml(source)
        data = rebase_paths(doc.data, source.parent, target.parent) if isinstance(doc.data, dict) else doc.data
        raw = workbook_bytes_for(data, lambda loc: (str(source), doc.line_of(loc)))
        write_atomic(target, raw)
        return f"Skrevet: {target} (arbejdsbog; kør budgetmodel validate {target})" + _outside(data, target)
    wb = read_workbook(source)
    wb.data = rebase_paths(wb.data, source.parent, target.parent)
    write_atomic(target, workbook_to_yaml(wb))
    return f"Skrevet: {target} (YAML; kør budgetmodel validate {target})" + _outside(wb.data, target)


def _outside(data: object, target: Path) -> str:
    """A note for each file the converted scenario names that its new folder may not read (the
    same confinement as for every scenario: see budgetmodel.scenario.compose)."""
    from budgetmodel.scenario.compose import allowed_roots, confine
    from budgetmodel.scenario.workbook_schema import PATH_FIELDS

    notes: list[str] = []

    def walk(node: object, pattern: tuple[str, ...]) -> None:
        if not pattern:
            if isinstance(node, str):
                _, refused = confine(node, str(target), allowed_roots(target))
                if refused and "uden for" in refused:
                    notes.append(f"\nBemærk, når {target.name} køres: {refused}")
            return
        head, rest = pattern[0], pattern[1:]
        if head == "*" and isinstance(node, list):
            for v in node:
                walk(v, rest)
        elif isinstance(node, dict) and head in node:
            walk(node[head], rest)

    for pattern in PATH_FIELDS:
        walk(data, pattern)
    return "".join(notes)


def register(app: typer.Typer) -> None:
    @app.command("konverter")
    @reports_input_errors
    def konverter(
        indfil: Path = typer.Argument(..., help="Scenariefil (.yaml) eller arbejdsbog (.xlsx).", show_default=False),
        udfil: Path = typer.Argument(..., help="Udfil: .xlsx for en YAML-fil, .yaml for en arbejdsbog.", show_default=False),
    ) -> None:
        """Konvertér et scenarie mellem YAML og en Excel-arbejdsbog (.xlsx), begge veje; stier (extends, profil, panel) følger med til udfilens mappe."""
        from budgetmodel.outfile import check_target

        check_target(udfil)
        typer.echo(convert(indfil, udfil))


def _template_path() -> Path:
    from budgetmodel.paths import project_root

    return project_root() / "docs" / "scenarie-skabelon.xlsx"


TEMPLATE = _template_path()


def template_workbook():  # type: ignore[no-untyped-def]
    """The workbook template: `budgetmodel ny`'s basis scenario for an example municipality, every
    sheet (with its headers), the instructions and every field of the schema (sheet Felter)."""
    import yaml

    from budgetmodel.scenario.new import template
    from budgetmodel.scenario.workbook import build_workbook

    return build_workbook(yaml.safe_load(template("Eksempel Kommune", 2027, 2030)))


def main(argv: list[str] | None = None) -> int:
    """``python -m budgetmodel.cli.konverter_cmd --skabelon`` rewrites docs/scenarie-skabelon.xlsx."""
    import sys

    from budgetmodel.reports.render import workbook_bytes

    argv = sys.argv[1:] if argv is None else argv
    if "--skabelon" not in argv:
        print("brug: python -m budgetmodel.cli.konverter_cmd --skabelon")
        return 2
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(TEMPLATE, workbook_bytes(template_workbook()))
    print(f"skrevet: {TEMPLATE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
