"""Time the memo pipeline on the bundled jobformidler scenario: load, run, sensitivity, each format
(warm, in one process), then the cold PDF memo: README's first command in a fresh process.

Baselines measured in the same run: one plain run of the scenario (load + engines) for the warm
pipeline; for the cold PDF, ``python -c pass`` and WeasyPrint alone printing the same HTML in a
fresh process (``from weasyprint import HTML; HTML(string=…).write_pdf()``, its libraries loaded
by their ``.so`` names as budgetmodel loads them), the floor of any memo printed by WeasyPrint. Wall and CPU (user + system) of the best of ``--cold N`` runs (5).

    python bench/memos.py [--cold N]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from budgetmodel.rates import load_rates
from budgetmodel.reports.context import memo_context
from budgetmodel.reports.render import render
from budgetmodel.scenario.load import load_scenario
from budgetmodel.scenario.run import RecordingBook, run_scenario
from budgetmodel.scenario.sensitivity import analyse

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml"
BUDGETMODEL = Path(sys.executable).parent / "budgetmodel"
# WeasyPrint's libraries loaded by their .so names, as budgetmodel loads them (reports.render), so
# the baseline does not pay for ctypes.util.find_library's ldconfig/gcc processes
WEASYPRINT_ALONE = (
    "import ctypes.util, sys; ctypes.util.find_library = lambda name: None; from weasyprint import HTML; "
    "HTML(string=open(sys.argv[1], encoding='utf-8').read(), base_url=sys.argv[2]).write_pdf(sys.argv[3])"
)


def timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t
    print(f"{label:38s} {dt * 1000:9.1f} ms")
    return out, dt


def fresh(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU of the child) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best(cmd: list[str], n: int) -> tuple[float, float]:
    runs = [fresh(cmd) for _ in range(n)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def cold_pdf(ctx, n: int) -> None:
    """README's first command against WeasyPrint alone on the same HTML, fresh processes."""
    from budgetmodel.paths import templates_dir
    from budgetmodel.reports.render import render_html

    html = render_html(ctx if ctx.get("toc", True) else {**ctx, "toc": True})  # the jobformidler memo is long: laid out with contents
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "memo.html"
        page.write_text(html, encoding="utf-8")
        fresh([str(BUDGETMODEL), "businesscase", str(SCEN), "--format", "pdf", "--out", f"{tmp}/warm.pdf"])  # caches written once (install does it too)
        base = best([sys.executable, "-c", "pass"], n)
        alone = best([sys.executable, "-c", WEASYPRINT_ALONE, str(page), str(templates_dir()), f"{tmp}/alone.pdf"], n)
        memo = best([str(BUDGETMODEL), "businesscase", str(SCEN), "--format", "pdf", "--out", f"{tmp}/memo.pdf"], n)
    load = os.getloadavg()[0]
    print(f"\ncold PDF memo (fresh processes, best of {n}, load average {load:.1f}):")
    print(f"  python -c pass                          wall {base[0]:.3f} s  CPU {base[1]:.3f} s")
    print(f"  WeasyPrint alone, the same HTML         wall {alone[0]:.3f} s  CPU {alone[1]:.3f} s")
    print(f"  budgetmodel businesscase --format pdf   wall {memo[0]:.3f} s  CPU {memo[1]:.3f} s  (goal ≤ 2,5 s wall)")
    print(f"  memo ÷ WeasyPrint alone: wall {memo[0] / alone[0]:.2f}×, CPU {memo[1] / alone[1]:.2f}×; "
          f"the rest (imports, scenario, Monte Carlo, context): {memo[1] - alone[1]:.3f} s CPU")


def main() -> None:
    n = int(sys.argv[sys.argv.index("--cold") + 1]) if "--cold" in sys.argv else 5
    book = load_rates()
    run_scenario(load_scenario(SCEN, book), book, with_caseload=False)  # warm imports and caches
    loaded, t_load = timed("load + validate scenario", lambda: load_scenario(SCEN, book))
    result, t_run = timed("run (engines)", lambda: run_scenario(loaded, RecordingBook(book), with_caseload=False))
    draws = loaded.scenario.sensitivity.draws
    sens, t_sens = timed(f"sensitivity ({draws} Monte Carlo draws)", lambda: analyse(loaded, RecordingBook(book), result))
    ctx, t_ctx = timed("report context", lambda: memo_context(result, sens))
    total = t_load + t_run + t_sens + t_ctx
    for fmt_name in ("md", "html", "xlsx", "pdf"):
        _, t = timed(f"render {fmt_name}", lambda: render(ctx, fmt_name))
        total_fmt = total + t
        print(f"{'  memo total, ' + fmt_name:38s} {total_fmt * 1000:9.1f} ms")
    base = t_load + t_run
    print(f"baseline (load + run): {base * 1000:.1f} ms; per Monte Carlo draw {t_sens / max(draws, 1) * 1e6:.0f} µs; "
          f"memo (pdf) / baseline = {(total + t) / base:.0f}×")
    cold_pdf(ctx, n)


if __name__ == "__main__":
    main()
