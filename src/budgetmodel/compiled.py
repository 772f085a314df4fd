"""Input files checked once: the checked, plain form of a file kept beside the bytecode.

Reading a rate table or an assumption file means parsing YAML, checking it with pydantic and the
table's own rules, and turning it into plain objects: at every start that costs the imports of
pydantic and PyYAML (~0,1 s) and the work, for bytes that have not changed. :func:`cached` keeps
the plain result of a file that passed its check in ``budgetmodel/__pycache__/compiled/`` (one
file per kind, folder and file name; at most :data:`MAX_KEPT`), keyed by

- the file's bytes (SHA-256) and its name (a table's id must equal its file name),
- the source of the modules that check and shape it (size and modification time), and
- the Python version,

so an edited rate file, a renamed file or a changed checker is checked again, and a file with a
problem is never kept (its problems are reported as before, every time). Where the folder cannot
be written (a read-only install) or a kept file cannot be read, the file is simply checked again:
the cache only ever saves time. ``BUDGETMODEL_NO_CACHE=1`` turns it off.

The kept form is a pickle of the package's own plain classes (dataclasses, dates, enums), read only
from the package's own ``__pycache__`` folder, like the bytecode beside it.
"""

from __future__ import annotations

import os
import pickle
import re
import sys
import zlib
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")

PACKAGE = Path(__file__).resolve().parent
CACHE_DIR = PACKAGE / "__pycache__" / "compiled"
FORMAT = 1  # raise when the layout of a kept file changes
MAX_KEPT = 400  # kept files; beyond, the least recently written go (a folder of tables is ~20)


def enabled() -> bool:
    return not os.environ.get("BUDGETMODEL_NO_CACHE")


def code_stamp(modules: Sequence[str]) -> tuple:
    """(name, size, mtime_ns) of each module's source (paths relative to the package)."""
    out = []
    for m in modules:
        try:
            st = (PACKAGE / m).stat()
            out.append((m, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((m, None, None))
    return tuple(out)


def _path(kind: str, name: str) -> Path:
    safe = name if re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", name) else f"h{zlib.crc32(name.encode()):08x}"
    return CACHE_DIR / f"{kind}-{safe}.pickle"


def cached(kind: str, name: str, sha256: str, code: Sequence[str], build: Callable[[], T]) -> T:
    """``build()`` (which raises on a problem), or its kept result for the same ``kind``, file
    ``name``, content ``sha256`` and checking ``code`` (module paths in the package)."""
    if not enabled():
        return build()
    key = (FORMAT, sys.version_info[:2], kind, name, sha256, code_stamp(code))
    path = _path(kind, name)
    try:
        with open(path, "rb") as fh:
            kept_key, value = pickle.load(fh)
        if kept_key == key:
            return value
    except Exception:  # absent, unreadable, truncated, from another version: check the file again
        pass
    value = build()
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune()
    except Exception:  # a read-only install, a full disk: no cache
        try:
            tmp.unlink()  # type: ignore[possibly-undefined]
        except Exception:
            pass
    return value


def _prune() -> None:
    kept = list(CACHE_DIR.glob("*.pickle"))
    if len(kept) > MAX_KEPT:
        kept.sort(key=lambda p: p.stat().st_mtime_ns)
        for old in kept[: len(kept) - MAX_KEPT]:
            old.unlink(missing_ok=True)


def cached_file(kind: str, path: Path | str, code: Sequence[str], build: Callable[[str], T]) -> tuple[T, str]:
    """(checked form, SHA-256) of a file: its bytes are read (as every loader reads a text file:
    :func:`budgetmodel.safefile.read_regular`) and hashed, and ``build(sha256)`` checks it unless
    the same bytes under the same name were checked before (:func:`cached`)."""
    import hashlib

    from budgetmodel.safefile import read_regular

    path = Path(path)
    sha = hashlib.sha256(read_regular(path)).hexdigest()
    folder = zlib.crc32(str(path.resolve().parent).encode())  # one slot per folder and file: a copy elsewhere does not evict it
    return cached(kind, f"{folder:08x}-{path.name}", sha, code, lambda: build(sha)), sha
