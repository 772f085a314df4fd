"""Compiled kernels that cost nothing to import: numba is loaded on the first large call.

``@kernel`` marks a function written in numba's subset of Python. Below :data:`SMALL_ROWS` rows
(the length of the first array argument) the function runs as plain Python — importing numba
and loading its cached machine code costs about 0,3 s, more than a small panel takes to price —
and from there on as a numba function compiled with ``cache=True`` (machine code kept on disk:
next to the source, or in the user's cache folder when that is read-only, or in
``NUMBA_CACHE_DIR``). Both paths run the same source, so they give the same numbers (tested).
:func:`warm` compiles every kernel ahead (``scripts/install.sh`` does it), so a cold run loads
machine code instead of compiling it.
"""

from __future__ import annotations

import types
from typing import Any, Callable

SMALL_ROWS = 20_000

_KERNELS: list["Kernel"] = []


class Kernel:
    """A function run as Python on small inputs and compiled by numba on large ones."""

    def __init__(self, fn: Callable[..., Any]):
        self.py_func = fn
        self.__name__ = fn.__name__
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn
        self._compiled: Any = None
        _KERNELS.append(self)

    def compiled(self) -> Any:
        """The numba dispatcher (compiled lazily; kernels it calls are swapped for theirs)."""
        if self._compiled is None:
            import numba

            fn = self.py_func
            calls = {k: v.compiled() for k, v in fn.__globals__.items() if isinstance(v, Kernel) and k in fn.__code__.co_names}
            if calls:  # numba resolves globals at compile time: give it the compiled callees
                fn = types.FunctionType(fn.__code__, {**fn.__globals__, **calls}, fn.__name__, fn.__defaults__, fn.__closure__)
                fn.__qualname__ = self.py_func.__qualname__
                fn.__module__ = self.py_func.__module__
            try:
                self._compiled = numba.njit(cache=True, nogil=True)(fn)
            except RuntimeError:  # no writable cache folder anywhere (set NUMBA_CACHE_DIR): compile each run
                self._compiled = numba.njit(nogil=True)(fn)
        return self._compiled

    def __call__(self, *args: Any) -> Any:
        n = next((a.shape[0] for a in args if getattr(a, "ndim", 0) >= 1), 0)
        if n < SMALL_ROWS and self._compiled is None:
            return self.py_func(*args)
        return self.compiled()(*args)


def kernel(fn: Callable[..., Any]) -> Kernel:
    return Kernel(fn)


def warm() -> int:
    """Compile (or load from the cache) every kernel of the refund engine on tiny inputs."""
    import numpy as np

    import budgetmodel.financing.refund as refund  # noqa: F401 - registers the kernels
    from budgetmodel.financing.shares import share_tables, load_refund_rates
    from budgetmodel.financing.panel import PanelArrays, Where

    n = 3
    panel = PanelArrays(
        person=np.array([1, 1, 2], np.int64),
        person_labels=None,
        week=np.array([0, 1, 0], np.int32),
        week_labels=["2017-W01", "2017-W02"],
        benefit=np.zeros(n, np.int8),
        activation=np.zeros(n, np.int8),
        amount=np.ones(n),
        where=Where("<warm>", "frame"),
    )
    book = load_refund_rates()
    share_tables(book)
    import budgetmodel.jit as this  # the imported module, also when run as __main__

    small, this.SMALL_ROWS = this.SMALL_ROWS, 0
    try:
        refund.refund_summary(panel, book)
        refund.is_grouped(panel.person[::-1].copy(), panel.week)
        cols = np.zeros(n)
        refund.sums_of_columns(panel.benefit, panel.benefit, cols, cols, 2)
        from budgetmodel.financing import stream

        stream.warm()
    finally:
        this.SMALL_ROWS = small
    return sum(k._compiled is not None for k in this._KERNELS)


if __name__ == "__main__":  # python -m budgetmodel.jit: compile ahead
    print(f"{warm()} kernels compiled")
