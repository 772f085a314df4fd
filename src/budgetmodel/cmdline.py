"""What the command line named: folders a scenario may read from, and paths written as folders.

The CLI's group calls :func:`note` with the raw arguments before they are parsed (``Path()``
drops a trailing slash). Kept free of heavy imports: it runs on every start."""

from __future__ import annotations

import os
from pathlib import Path

# existing folders named on the command line: a scenario may read files inside them
FOLDERS: set[str] = set()
# arguments written with a trailing slash ('--out mappe/'): they name folders, never files
SLASHED: set[str] = set()


def note(args: list[str]) -> None:
    FOLDERS.clear()
    SLASHED.clear()
    for a in args:
        value = a.split("=", 1)[1] if a.startswith("--") and "=" in a else a
        if not value or value.startswith("-") or "\x00" in value:
            continue
        if len(value) > 1 and value.endswith(("/", os.sep)):
            SLASHED.add(str(Path(value)))
        try:
            if os.path.isdir(value):
                FOLDERS.add(value)
        except (OSError, ValueError):
            pass
