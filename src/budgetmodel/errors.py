"""One error type for bad input: every problem at once, each with file, line, field and expectation."""

from __future__ import annotations

import re
from dataclasses import dataclass


def _natural(text: str) -> tuple:
    """Sort key reading digits as numbers: a workbook's cell Ark!C9 comes before Ark!C10."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text))


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


class InputError(Exception):
    """Raised with the full list of problems found in one or more input files."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (_natural(p.file), p.line or 0, p.field))
        super().__init__(self.render())

    def render(self) -> str:
        n = len(self.problems)
        head = f"{n} fejl i input:" if n != 1 else "1 fejl i input:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def __add__(self, other: "InputError") -> "InputError":
        return InputError([*self.problems, *other.problems])
