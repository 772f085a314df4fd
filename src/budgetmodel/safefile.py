"""Reading input files safely: only regular files, bounded in size, text in a known encoding.

Light on imports (no YAML, no pydantic): panels, statistics tables and YAML files all read
through here, and the CLI starts fast.

- only regular files are read (a FIFO, a device such as /dev/zero or a folder is refused before
  a byte is read; the file is opened without blocking and checked with ``fstat``);
- a folder's files are listed by :func:`regular_files`, which refuses links that lead out of it;
- text must be UTF-8 (a BOM is allowed; UTF-16/UTF-32 with a BOM is decoded; anything else is
  refused naming the line and the byte);
- a message quotes at most :data:`SHOWN_CHARS` characters of a value (never a whole file).
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import Any

from budgetmodel.errors import InputError, Problem

SHOWN_CHARS = 60
MAX_TEXT_BYTES = 8 * 1024 * 1024  # default bound for a text input (a rate table or scenario is a few kB)


def short(value: Any, limit: int = SHOWN_CHARS) -> str:
    """``repr`` of a value cut to ``limit`` characters: a message never echoes a whole file."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[:limit] + f"… ({len(text)} tegn)"
    return repr(text) if isinstance(value, str) else text


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "en mappe"
    if stat.S_ISFIFO(mode):
        return "en FIFO (navngivet rør)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhedsfil"
    if stat.S_ISSOCK(mode):
        return "en socket"
    return "ikke en almindelig fil"


def read_regular(path: Path | str, max_bytes: int | None = MAX_TEXT_BYTES, what: str = "filen") -> bytes:
    """The bytes of a regular file; anything else (FIFO, device, folder, too big) is an InputError.

    The file is opened without blocking and checked with ``fstat`` before reading, so a FIFO or
    /dev/zero can neither hang nor fill the memory."""
    file = str(path)
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError([Problem(file, None, "", f"{what} kan ikke læses: {exc.strerror}")]) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError([Problem(file, None, "", f"{what} er {kind_of(st.st_mode)}; kun almindelige filer læses")])
        if max_bytes is not None and st.st_size > max_bytes:
            raise InputError([Problem(file, None, "", f"{what} fylder {st.st_size:,} byte; højst {max_bytes:,} byte er tilladt".replace(",", "."))])
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:
                raise InputError([Problem(file, None, "", f"{what} er større end {max_bytes:,} byte".replace(",", "."))])
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError([Problem(file, None, "", f"{what} kan ikke læses: {exc.strerror}")]) from None
    finally:
        os.close(fd)


def sha256_file(path: Path | str) -> str:
    """SHA-256 of a regular file, read in blocks (a panel may be large)."""
    import hashlib  # here: ~5 ms at every start otherwise

    check_regular(path)
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        raise InputError([Problem(str(path), None, "", f"filen kan ikke læses: {exc.strerror}")]) from None
    return h.hexdigest()


def check_regular(path: Path | str, what: str = "filen") -> None:
    """Refuse a path that is not a regular file (without opening it: a FIFO would block)."""
    file = str(path)
    try:
        st = os.stat(file)
    except OSError as exc:
        raise InputError([Problem(file, None, "", f"{what} kan ikke læses: {exc.strerror}")]) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError([Problem(file, None, "", f"{what} er {kind_of(st.st_mode)}; kun almindelige filer læses")])


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def sniff_encoding(raw: bytes) -> str:
    """The codec of a text file: from its BOM, else UTF-8."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return codec
    return "utf-8"


def decode_text(raw: bytes, file: str) -> str:
    """Text of a file: UTF-8 (optionally with BOM) or UTF-16/32 with a BOM; otherwise one clear
    error naming the line and byte (latin-1 or Windows-1252 exports are the usual case)."""
    codec = sniff_encoding(raw)
    if codec == "utf-8" and b"\x00" in raw[:4096]:
        raise InputError([Problem(file, None, "", "filen indeholder NUL-byte (UTF-16 uden BOM eller en binær fil); gem den som UTF-8-tekst")])
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = " (latin-1/Windows-1252?)" if codec == "utf-8" else ""
        raise InputError(
            [Problem(file, line, "", f"filen er ikke gyldig {codec.upper().replace('-SIG', '')}: byte 0x{raw[exc.start]:02x} kan ikke læses{hint}; gem filen som UTF-8")]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError([Problem(file, line, "", "filen indeholder et NUL-tegn; den er ikke en tekstfil")])
    return text


def regular_files(folder: Path | str, suffixes: tuple[str, ...]) -> tuple[list[Path], list[Problem]]:
    """The files below ``folder`` whose name ends in one of ``suffixes``, sorted; a FIFO, device,
    or link that leads out of the folder is a problem, not a file to read."""
    folder = Path(folder)
    root = folder.resolve()
    files: list[Path] = []
    problems: list[Problem] = []
    for q in sorted(folder.rglob("*")):
        if q.suffix.lower() not in suffixes:
            continue
        try:
            real = q.resolve(strict=True)
        except (OSError, RuntimeError):
            problems.append(Problem(str(q), None, "", "linket peger ikke på en fil, der findes"))
            continue
        if q.is_symlink() and not real.is_relative_to(root):
            problems.append(Problem(str(q), None, "", f"linket peger ud af mappen {folder}; kun filer i mappen læses"))
            continue
        try:
            mode = real.stat().st_mode
        except OSError as exc:
            problems.append(Problem(str(q), None, "", f"filen kan ikke læses: {exc.strerror}"))
            continue
        if stat.S_ISDIR(mode):
            continue
        if not stat.S_ISREG(mode):
            problems.append(Problem(str(q), None, "", f"filen er {kind_of(mode)}; kun almindelige filer læses"))
            continue
        files.append(q)
    return files, problems
