"""Outputs that never damage anything: every file the tool writes goes through here.

- The target must be a new path or a regular file (a link to a regular file writes that file).
  A folder, a FIFO, a device node (/dev/null, /dev/sda) or a /proc/self/fd link is refused
  before anything is written, and so is a path written with a trailing slash (it names a folder).
- The bytes go to a temporary file beside the target (``.NAME.PID.XXXX.tmp``) that is renamed
  over it only when complete, so a reader never sees half a file. On failure the temporary file
  is removed; one left by a killed run is removed by the next write to the same folder (its
  process no longer exists).
- Every error names the target, never the temporary file, in Danish (a full disk included).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from budgetmodel import cmdline
from budgetmodel.errors import InputError, Problem
from budgetmodel.safefile import kind_of


_DANISH = {
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "diskkvoten er opbrugt",
    errno.EACCES: "ingen skriveadgang",
    errno.EPERM: "handlingen er ikke tilladt",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOENT: "mappen findes ikke",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EISDIR: "stien er en mappe",
    errno.EEXIST: "en del af stien findes og er ikke en mappe",
    errno.ENAMETOOLONG: "stien er for lang",
    errno.EIO: "skrivefejl på enheden",
    errno.EFBIG: "filen bliver for stor",
    errno.ELOOP: "for mange led af links",
}

_TMP_RE = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def danish_reason(exc: OSError) -> str:
    """What went wrong, in Danish (the C library's text when the error is a rare one)."""
    return _DANISH.get(exc.errno or 0, exc.strerror or str(exc))


def _refuse(target: Path, why: str) -> InputError:
    return InputError([Problem(str(target), None, "--out", why)])


_SPECIAL = ("/proc", "/dev", "/sys")


def _special_hop(link: Path) -> str | None:
    """The special folder (/proc, /dev, /sys) a chain of links passes through, if any."""
    p = Path(os.path.abspath(link))
    for _ in range(40):
        for root in _SPECIAL:
            if str(p) == root or str(p).startswith(root + "/"):
                return root
        try:
            nxt = os.readlink(p)
        except OSError:
            return None
        p = Path(os.path.abspath(os.path.join(os.path.dirname(p), nxt)))
    return None


def check_target(path: Path | str) -> Path:
    """The path to write: ``path`` itself, or the regular file a link points to.

    Raises InputError (naming ``path``) for a folder (or a trailing slash), a FIFO, a device,
    a socket, a dangling link or a link to anything but a regular file."""
    text = os.fspath(path)
    target = Path(path)
    if text.endswith(("/", os.sep)) or text in cmdline.SLASHED or str(target) in cmdline.SLASHED:
        raise _refuse(target, "stien slutter med '/' og er altså en mappe; angiv et filnavn i mappen, fx " + str(target / "resultat"))
    special = _special_hop(target)
    if special is not None and os.path.lexists(target):
        raise _refuse(target, f"ligger i {special} (en proces' filhåndtag eller en enhed); kun almindelige filer overskrives")
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise _refuse(target, f"kan ikke skrives: {danish_reason(exc)}") from None
    if stat.S_ISLNK(st.st_mode):
        special = _special_hop(target)
        if special is not None:
            raise _refuse(target, f"er et link ind i {special} (en proces' filhåndtag eller en enhed); kun almindelige filer overskrives")
        try:
            real = target.resolve(strict=True)
            st = os.stat(real)
        except (OSError, RuntimeError):
            raise _refuse(target, "er et link, der ikke peger på en eksisterende fil; skriver ikke gennem det") from None
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(target, f"er et link til {kind_of(st.st_mode)} ({real}); kun almindelige filer overskrives")
        return real
    if not stat.S_ISREG(st.st_mode):
        hint = "; angiv et filnavn i mappen" if stat.S_ISDIR(st.st_mode) else "; kun almindelige filer overskrives"
        raise _refuse(target, f"er {kind_of(st.st_mode)}{hint}")
    return target


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale(folder: Path) -> None:
    """Remove temporary files a killed run left in ``folder`` (their process is gone)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        m = _TMP_RE.match(name)
        if m and not _pid_alive(int(m.group(1))):
            try:
                p = folder / name
                if stat.S_ISREG(os.lstat(p).st_mode):
                    p.unlink()
            except OSError:
                pass


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` to write; renamed over ``path`` when the block succeeds.

    Every OSError (no space, no permission, a missing folder …) becomes an InputError naming
    ``path``; the temporary file never survives a failure."""
    shown = Path(path)
    target = check_target(path)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _refuse(shown, f"mappen {folder} kan ikke oprettes: {danish_reason(exc)}") from None
    clean_stale(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _refuse(shown, f"kan ikke skrives: {danish_reason(exc)}") from None
    os.close(fd)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; an output is an ordinary file
        yield Path(tmp)
        check_target(path)  # nothing else was put there while we worked
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _refuse(shown, f"kan ikke skrives: {danish_reason(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path | str, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half a file."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
