"""Municipality names as people type them: any case, with or without æøå, with or without hyphens.

"Lyngby-Taarbæk", "Lyngby-Taarbæk Kommune", "lyngby-taarbaek", "LYNGBY TAARBAEK" and "lyngby-taarbak"
all name the same municipality. Danish letters are matched both as their two-letter spelling (æ→ae, ø→oe, å→aa) and
as the bare vowel (æ→a, ø→o, å→a).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_TWO = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})
_ONE = str.maketrans({"æ": "a", "ø": "o", "å": "a", "é": "e", "ü": "u"})


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text)


_SUFFIX = re.compile(r"\s+kommune$")  # "Lyngby-Taarbæk Kommune" names the municipality "Lyngby-Taarbæk"


def keys(name: str) -> set[str]:
    """Every spelling of ``name`` that should match: two-letter and one-letter forms, no separators."""
    low = _SUFFIX.sub("", unicodedata.normalize("NFC", name.strip().lower()))
    return {_letters(low.translate(_TWO)), _letters(low.translate(_ONE))}


def slug(name: str) -> str:
    """File-name form: 'Lyngby-Taarbæk' → 'lyngby_taarbaek'."""
    low = unicodedata.normalize("NFC", name.strip().lower()).translate(_TWO)
    return re.sub(r"[^a-z0-9]+", "_", low).strip("_")


def match(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate that ``name`` names, or None."""
    wanted = keys(name)
    candidates = list(candidates)
    for c in candidates:
        if wanted & keys(c):
            return c
    # a unique beginning is enough ("lyngby" → "Lyngby-Taarbæk")
    starts = [c for c in candidates if any(k and ck.startswith(k) for k in wanted for ck in keys(c))]
    return starts[0] if len(starts) == 1 else None
