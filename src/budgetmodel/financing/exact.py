"""Sums of kroner that do not depend on the order of addition: whole kroner + millionths, in integers.

A float sum depends on the order of its terms, so a panel priced in partitions of persons (or on
Dask) would differ from the same panel priced whole in the last øre. Here every row's amount is
rounded to a millionth of a krone (half away from zero; amounts in øre times shares with up to
four decimals are exact there) and added as integers, split into whole kroner and millionths so
that no realistic panel overflows 64 bits (the kroner of 10^10 rows of 10^8 kr. still fit). An
integer sum is the same in any order: the partitioned and the in-memory path give the same bytes.

An exact amount is an int64 array whose last axis is (kroner, millionths), 0 ≤ millionths < 10^6.
"""

from __future__ import annotations

import math

import numpy as np

from budgetmodel.jit import kernel

MICRO = 1_000_000


@kernel
def micro_of(x):  # pragma: no cover - compiled
    """x kroner in millionths of a krone, rounded half away from zero."""
    q = x * 1e6
    return math.floor(q + 0.5) if q >= 0 else -math.floor(-q + 0.5)


@kernel
def add_micro(kr, micro, k, q):  # pragma: no cover - compiled
    """Add ``q`` millionths of a krone to cell ``k`` of the (kroner, millionths) accumulators."""
    kr[k] += q // 1_000_000
    micro[k] += q % 1_000_000


def exact(kr: np.ndarray, micro: np.ndarray) -> np.ndarray:
    """Accumulators as one normalised exact amount array (..., 2)."""
    kr = np.asarray(kr, np.int64) + np.asarray(micro, np.int64) // MICRO
    return np.stack([kr, np.asarray(micro, np.int64) % MICRO], axis=-1)


def total(m: np.ndarray, axis: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Exact sum over ``axis`` (of the axes before the last); all of them when None."""
    m = np.asarray(m, np.int64)
    if axis is None:
        axis = tuple(range(m.ndim - 1))
    s = m.sum(axis=axis)
    return exact(s[..., 0], s[..., 1])


def kroner(m: np.ndarray) -> np.ndarray | float:
    """Exact amounts as kroner (float): the same integers give the same float."""
    m = np.asarray(m, np.int64)
    out = m[..., 0].astype(np.float64) + m[..., 1] / 1e6
    return float(out) if out.ndim == 0 else out


def bincount(bins: np.ndarray, values: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Exact sums of ``values`` kroner (× integer ``weights``) by bin: (size, 2)."""
    q = np.floor(np.abs(values) * 1e6 + 0.5).astype(np.int64) * np.where(values < 0, -1, 1)
    if weights is not None:
        q = q * np.asarray(weights).astype(np.int64)
    kr = np.zeros(size, np.int64)
    micro = np.zeros(size, np.int64)
    np.add.at(kr, bins, q // MICRO)
    np.add.at(micro, bins, q % MICRO)
    return exact(kr, micro)


__all__ = ["MICRO", "micro_of", "add_micro", "exact", "total", "kroner", "bincount"]
