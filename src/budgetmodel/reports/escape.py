"""Text from input files is data in every output, never code.

- xlsx: a cell whose text starts with ``=`` would be stored as a formula by openpyxl, and text
  starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) is taken as one by a
  spreadsheet when edited or exported. :func:`defuse_formulas` stores every such cell as text with
  Excel's quote prefix (shown as typed, never evaluated). The tool writes no formulas itself.
- Markdown: raw HTML in a scenario's title or note would pass through a Markdown renderer.
  :func:`md_html` escapes ``<``, ``>`` and a ``&`` that would start an entity, for every value a
  Markdown template prints.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def defuse_formulas(wb: Any) -> int:
    """Store every text cell that a spreadsheet could read as a formula as plain text; returns how
    many. Formulas the report wrote on purpose (``wb.intended_formulas``: sheet, cell) are kept."""
    n = 0
    keep = getattr(wb, "intended_formulas", set())
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if (ws.title, cell.coordinate) in keep:
                    continue
                if cell.data_type == "f" or (isinstance(v, str) and v.startswith(FORMULA_START)):
                    text = v if isinstance(v, str) else str(v)
                    cell._value = text  # noqa: SLF001  (openpyxl re-reads '=' as a formula through .value)
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    n += 1
    return n


def md_html(value: Any) -> Any:
    """Escape raw HTML in a value printed into Markdown (``<b>`` shows as text, not as markup)."""
    if value is None or isinstance(value, (int, float)):
        return value
    text = str(value)
    if "<" not in text and ">" not in text and "&" not in text:
        return value
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
