"""Start-up of the CLI: the import time of `budgetmodel --help` and of a refund of a small panel
(`python -X importtime`, the sum of every module's own time, best of five fresh processes), and
the wall time of the same commands, beside a bare `python -c pass`.

    python bench/start.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "fixtures" / "refund" / "small_panel.csv"
RUN = "import sys; from budgetmodel.cli import main; sys.argv = ['budgetmodel'] + sys.argv[1:]; main()"


def import_seconds(args: list[str]) -> tuple[float, list[tuple[float, str]]]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", RUN, *args], capture_output=True, text=True)
    own = [(int(m.group(1)) / 1e6, m.group(3).strip()) for m in re.finditer(r"import time:\s+(\d+) \|\s+(\d+) \|(.*)", done.stderr)]
    return sum(t for t, _ in own), sorted(own, reverse=True)[:8]


def wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - t


def main() -> int:
    base = min(wall([sys.executable, "-c", "pass"]) for _ in range(5))
    print(f"python -c pass: {base:.3f} s")
    for label, args in (("budgetmodel --help", ["--help"]), ("budgetmodel refund small_panel.csv --json", ["refund", str(SMALL), "--json"])):
        runs = [import_seconds(args) for _ in range(5)]
        best = min(runs, key=lambda r: r[0])
        w = min(wall([sys.executable, "-c", RUN, *args]) for _ in range(5))
        print(f"{label}: imports {best[0]:.3f} s (goal ≤ 0,25 s), wall {w:.3f} s")
        print("   largest own import times: " + ", ".join(f"{n} {t * 1000:.0f} ms" for t, n in best[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
