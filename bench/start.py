"""Start-up of the CLI: the import time of `budgetmodel --help` and of a refund of a small panel
(`python -X importtime`, the sum of every module's own time, best of five fresh processes), and
the wall time of the same commands, beside baselines measured in the same run: a bare
`python -c pass`, and the imports of the libraries a small refund cannot do without
(numpy, pyarrow's CSV reader, typer).

The commands run once before they are measured: that run writes what an install writes too
(bytecode, the command index, the checked rate tables in `budgetmodel/__pycache__/compiled`).

    python bench/start.py [--runs N]     (best of N fresh processes, default 5; more on a busy machine)
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "fixtures" / "refund" / "small_panel.csv"
RUN = "import sys; from budgetmodel.cli import main; sys.argv = ['budgetmodel'] + sys.argv[1:]; main()"
FLOOR = "import numpy, pyarrow, pyarrow.csv, typer"  # what a refund of a CSV panel needs in any case


def import_seconds(code: str, args: list[str]) -> tuple[float, list[tuple[float, str]]]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code, *args], capture_output=True, text=True)
    own = [(int(m.group(1)) / 1e6, m.group(3).strip()) for m in re.finditer(r"import time:\s+(\d+) \|\s+(\d+) \|(.*)", done.stderr)]
    return sum(t for t, _ in own), sorted(own, reverse=True)[:8]


def wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - t


def bytecode_missing() -> list[str]:
    """Modules of budgetmodel without current bytecode (a start would compile them)."""
    package = ROOT / "src" / "budgetmodel"
    out = []
    for src in package.rglob("*.py"):
        pyc = Path(importlib.util.cache_from_source(str(src)))
        if not pyc.exists() or pyc.stat().st_mtime < src.stat().st_mtime:
            out.append(str(src.relative_to(package)))
    return out


def main() -> int:
    n = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    for args in (["--help"], ["refund", str(SMALL), "--json"]):  # caches written (as at install)
        subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True)
    missing = bytecode_missing()
    if missing and os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print(f"NB: {len(missing)} modules without bytecode and PYTHONDONTWRITEBYTECODE set: run `python -m compileall -q src/budgetmodel` (scripts/install.sh does)")
    print(f"load average {os.getloadavg()[0]:.1f}")
    base = min(wall([sys.executable, "-c", "pass"]) for _ in range(n))
    floor = min(import_seconds(FLOOR, [])[0] for _ in range(n))
    floor_wall = min(wall([sys.executable, "-c", FLOOR]) for _ in range(n))
    print(f"python -c pass: wall {base:.3f} s")
    print(f"python -c '{FLOOR}': imports {floor:.3f} s, wall {floor_wall:.3f} s")
    for label, args in (("budgetmodel --help", ["--help"]), ("budgetmodel refund small_panel.csv --json", ["refund", str(SMALL), "--json"])):
        runs = [import_seconds(RUN, args) for _ in range(n)]
        best = min(runs, key=lambda r: r[0])
        w = min(wall([sys.executable, "-c", RUN, *args]) for _ in range(n))
        print(f"{label}: imports {best[0]:.3f} s (goal ≤ 0,25 s; {best[0] / floor:.2f}× the libraries' own), wall {w:.3f} s ({w / base:.1f}× python -c pass)")
        print("   largest own import times: " + ", ".join(f"{n} {t * 1000:.0f} ms" for t, n in best[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
