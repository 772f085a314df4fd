"""Numbers that are one value or many draws of it: the valuation's arithmetic for a scalar
scenario and for a sensitivity run's Monte Carlo draws (or a tornado's low/high pair) alike.

The sensitivity analysis places a numpy array (one element per draw) where a scenario's value
was (``scenario.schema.with_parameter``); the compile step and the engines then compute every
draw at once through the SAME functions, because their arithmetic is element-wise and their
branches go through the helpers here:

- ``vmin``/``vmax``: Python's min/max for two scalars (the scalar route is unchanged to the bit),
  numpy's element-wise minimum/maximum when either is an array;
- ``any_``: a check that refuses a scenario refuses the whole draw set if ANY draw breaks it;
- ``first_bad``: the values of the first draw that breaks a check, so the message is the one the
  scenario run would give for that draw;
- ``ratio``: ``a / b`` where ``b`` is not 0, else 0 (element-wise).

Scalars stay plain Python floats throughout, so a scenario run's bytes do not change. numpy is
imported only when an array is met (it is already loaded then)."""

from __future__ import annotations

from typing import Any, Union

Num = Union[float, Any]  # a float, or a 1-d numpy array of draws


def is_draws(x: Any) -> bool:
    """True for a numpy array (the draws of a sensitivity run)."""
    return type(x).__module__ == "numpy" and getattr(x, "ndim", 0) > 0


def num(x: Any) -> Num:
    """A scenario value as the valuation reads it: float(x) for a scalar, the array as it is."""
    return x if is_draws(x) else float(x)


def vmin(a: Num, b: Num) -> Num:
    if is_draws(a) or is_draws(b):
        import numpy as np

        return np.minimum(a, b)
    return min(a, b)


def vmax(a: Num, b: Num) -> Num:
    if is_draws(a) or is_draws(b):
        import numpy as np

        return np.maximum(a, b)
    return max(a, b)


def where(cond: Any, a: Num, b: Num) -> Num:
    """a where cond holds, else b (element-wise for draws)."""
    if is_draws(cond):
        import numpy as np

        return np.where(cond, a, b)
    return a if cond else b


def any_(cond: Any) -> bool:
    """Whether the condition holds for the scalar, or for any draw."""
    if is_draws(cond):
        return bool(cond.any())
    return bool(cond)


def ratio(a: Num, b: Num) -> Num:
    """a / b where b is not 0, else 0 (a scalar route keeps ``a / b if b else 0.0``)."""
    if is_draws(a) or is_draws(b):
        import numpy as np

        b_arr = np.asarray(b, dtype=float)
        safe = np.where(b_arr != 0, b_arr, 1.0)
        return np.where(b_arr != 0, np.asarray(a, dtype=float) / safe, 0.0)
    return a / b if b else 0.0


def first_bad(cond: Any, *values: Num) -> tuple[float, ...]:
    """The values at the first draw where ``cond`` holds (the scalars themselves for a scalar
    run): the figures an error message quotes."""
    if not is_draws(cond):
        return tuple(values)
    i = int(cond.argmax())
    return tuple(float(v[i]) if is_draws(v) else float(v) for v in values)


def bounds(x: Num) -> tuple[float, float]:
    """The smallest and largest value (of the draws)."""
    if is_draws(x):
        return float(x.min()), float(x.max())
    return float(x), float(x)
