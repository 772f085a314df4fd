"""Municipality names as people type them: any case, with or without æøå, with or without hyphens.

"Lyngby-Taarbæk", "Lyngby-Taarbæk Kommune", "lyngby-taarbaek", "LYNGBY TAARBAEK" and "lyngby-taarbak"
all name the same municipality. Danish letters are matched both as their two-letter spelling (æ→ae, ø→oe, å→aa) and
as the bare vowel (æ→a, ø→o, å→a). "Københavns Kommune" names "København" (the genitive of the official name).

A name must equal a candidate after this normalisation: a beginning is not enough, since many
municipalities share one ("Frederiks-berg/-havn/-sund", "Lyngby-Taarbæk"); :func:`close` gives the
near misses a Danish error can list.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_TWO = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})
_ONE = str.maketrans({"æ": "a", "ø": "o", "å": "a", "é": "e", "ü": "u"})


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text)


_SUFFIX = re.compile(r"\s+(regions)?kommune$")  # "Lyngby-Taarbæk Kommune" names the municipality "Lyngby-Taarbæk"


def keys(name: str) -> set[str]:
    """Every spelling of ``name`` that should match: two-letter and one-letter forms, no separators."""
    low = unicodedata.normalize("NFC", name.strip().lower())
    bare = _SUFFIX.sub("", low)
    forms = {bare}
    if bare != low and bare.endswith("s"):
        forms.add(bare[:-1])  # "Københavns Kommune", "Bornholms Regionskommune"
    return {k for f in forms for k in (_letters(f.translate(_TWO)), _letters(f.translate(_ONE))) if k}


def slug(name: str) -> str:
    """File-name form: 'Lyngby-Taarbæk' → 'lyngby_taarbaek'."""
    low = unicodedata.normalize("NFC", name.strip().lower()).translate(_TWO)
    return re.sub(r"[^a-z0-9]+", "_", low).strip("_")


def match(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate that ``name`` names (equal after normalisation), or None when none or more than one does."""
    wanted = keys(name)
    hits = [c for c in dict.fromkeys(candidates) if wanted & keys(c)]
    return hits[0] if len(hits) == 1 else None


def close(name: str, candidates: Iterable[str], n: int = 5) -> list[str]:
    """Candidates near ``name``: those it begins or is contained in, then the most similar spellings."""
    wanted = keys(name)
    candidates = list(dict.fromkeys(candidates))
    out = [c for c in candidates if any(w and (ck.startswith(w) or w.startswith(ck) or w in ck) for w in wanted for ck in keys(c))]
    best = {c: max(difflib.SequenceMatcher(None, w, ck).ratio() for w in wanted for ck in keys(c)) for c in candidates} if wanted else {}
    out += [c for c in sorted(best, key=lambda c: -best[c]) if best[c] >= 0.6 and c not in out]
    return out[:n]


def unknown_text(name: str, candidates: Iterable[str], what: str) -> str:
    """A Danish message for a name that matches no candidate, with the close ones."""
    candidates = list(candidates)
    near = close(name, candidates)
    hint = f"mente du {' eller '.join(near) if len(near) <= 2 else ', '.join(near[:-1]) + ' eller ' + near[-1]}?" if near else "ingen ligner"
    return f"'{name}' er ikke {what} ({hint}; navnet skal stå helt, fx 'Lyngby-Taarbæk' eller 'Lyngby-Taarbæk Kommune'; store/små bogstaver, æøå/ae-oe-aa og bindestreger er ligegyldige)"
