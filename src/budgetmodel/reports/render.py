"""Render report contexts: Markdown and HTML through sandboxed, autoescaped Jinja templates in
``reports/templates/``; PDF by printing the HTML with WeasyPrint; xlsx with openpyxl.

Reproducible: the same context gives byte-identical Markdown, HTML and xlsx (the workbook's
timestamps are fixed and its zip entries carry a fixed date). The PDF carries WeasyPrint's own
metadata and is not promised to be byte-identical.

Numbers in the xlsx are numbers, with the display format ``#,##0`` — Excel shows it with the
reader's separators, i.e. 1.302.483 in a Danish Excel; totals are formulas (``reports/xlsx.py``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from budgetmodel.paths import templates_dir
from budgetmodel.reports.escape import defuse_formulas, md_html

FORMATS = ("md", "html", "pdf", "xlsx")
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _md(text: Any) -> str:
    """Escape what would break a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _template_cache(kind: str):
    """Jinja's compiled templates kept beside the package's bytecode
    (``budgetmodel/__pycache__/jinja-KIND``): Jinja checks each against its template's source
    (SHA-1) and compiles again when it changed; one folder per environment ``kind``, since the
    same source compiles differently under other options. Without a writable folder (a
    read-only install), templates are compiled at every run, as before."""
    import os

    from jinja2 import FileSystemBytecodeCache

    from budgetmodel.compiled import CACHE_DIR, enabled

    class Kept(FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:  # type: ignore[no-untyped-def]
            try:
                super().load_bytecode(bucket)
            except OSError:
                pass

        def dump_bytecode(self, bucket) -> None:  # type: ignore[no-untyped-def]
            try:
                os.makedirs(self.directory, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return Kept(str(CACHE_DIR.parent / f"jinja-{kind}")) if enabled() else None


def environment(root: Path | None = None, kind: str = "html") -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(root or templates_dir())),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "svg"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_template_cache(kind),
    )
    env.filters["md"] = _md
    return env


def _markdown_env(root: Path | None = None) -> SandboxedEnvironment:
    """Markdown is not HTML: no HTML escaping, but cells are escaped with the ``md`` filter."""
    env = environment(root, kind="md")
    env.autoescape = False
    env.trim_blocks = False
    env.finalize = md_html  # raw HTML from input is shown as text
    return env


def render_md(ctx: dict[str, Any], template: str = "memo.md") -> str:
    text = _markdown_env().get_template(template).render(**ctx)
    lines = [ln.rstrip() for ln in text.splitlines()]
    out: list[str] = []
    for ln in lines:  # at most one blank line in a row
        if ln == "" and out and out[-1] == "":
            continue
        out.append(ln)
    return "\n".join(out).strip() + "\n"


def render_html(ctx: dict[str, Any], template: str = "memo.html") -> str:
    return environment().get_template(template).render(**ctx)


def compile_templates() -> int:
    """Compile every template once into the kept bytecode (``scripts/install.sh``), so the first
    memo after an install does not compile them; the number of templates."""
    env, md = environment(), _markdown_env()
    names = env.list_templates(extensions=("html", "md"))
    for name in names:
        (md if name.endswith(".md") else env).get_template(name)
    return len(names)


TOC_AFTER_PAGES = 3  # a memo longer than this gets a table of contents


def _weasyprint_html():
    """WeasyPrint's HTML class. Its import looks each library up under several names, and every
    name that does not load directly asks ``ctypes.util.find_library``, which runs ldconfig, gcc
    and ld (about 50 processes, a noticeable part of a cold memo). On Linux the ``.so.N`` names
    load directly, so the import is tried first without the search, then as WeasyPrint does it."""
    import sys

    if "weasyprint" not in sys.modules and sys.platform.startswith("linux"):
        import ctypes.util

        search = ctypes.util.find_library
        ctypes.util.find_library = lambda _name: None
        try:
            from weasyprint import HTML

            return HTML
        except OSError:
            for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = search
    from weasyprint import HTML

    return HTML


def render_pdf(ctx: dict[str, Any], template: str = "memo.html") -> bytes:
    """The memo as PDF. A memo longer than TOC_AFTER_PAGES pages (laid out without a table of
    contents) gets one. The version with the table of contents is laid out first: when it runs to
    TOC_AFTER_PAGES + 2 pages or more, the memo without it (less than a page shorter) is longer
    than TOC_AFTER_PAGES, so one layout is enough; otherwise the plain one decides, as before."""
    HTML = _weasyprint_html()
    import gc

    gc.freeze()  # WeasyPrint's modules and stylesheets out of the collector's passes during the layout (see cli.keep_imported)

    def layout(c: dict[str, Any]):
        return HTML(string=render_html(c, template), base_url=str(templates_dir())).render()

    try:
        if "toc" not in ctx or ctx["toc"]:
            return layout(ctx).write_pdf()
        with_toc = layout({**ctx, "toc": True})
        if len(with_toc.pages) >= TOC_AFTER_PAGES + 2:
            return with_toc.write_pdf()
        plain = layout(ctx)
        return (with_toc if len(plain.pages) > TOC_AFTER_PAGES else plain).write_pdf()
    finally:
        gc.unfreeze()  # a process that renders many memos collects each one's objects again


# ---------------------------------------------------------------------------------------------
# xlsx


def deterministic_zip(raw: bytes) -> bytes:
    """Rewrite a zip with a fixed date on every entry (same order, same content)."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def workbook_bytes(wb: Any) -> bytes:
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.creator = "budgetmodel"
    wb.properties.lastModifiedBy = "budgetmodel"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    defuse_formulas(wb)  # text from input is never a formula
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
    return deterministic_zip(buf.getvalue())


def render_xlsx(ctx: dict[str, Any]) -> bytes:
    from budgetmodel.reports.xlsx import memo_workbook

    return workbook_bytes(memo_workbook(ctx))



def render(ctx: dict[str, Any], fmt_name: str) -> bytes:
    if fmt_name == "md":
        return render_md(ctx).encode("utf-8")
    if fmt_name == "html":
        return render_html(ctx).encode("utf-8")
    if fmt_name == "pdf":
        return render_pdf(ctx)
    if fmt_name == "xlsx":
        return render_xlsx(ctx)
    raise ValueError(f"ukendt format {fmt_name!r} (forventede en af {', '.join(FORMATS)})")
