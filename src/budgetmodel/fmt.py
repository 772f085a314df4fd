"""Danish number format for everything a person reads: 1.302.483 kr.; 5,3 mio. kr.; 24,3.

Rounding is Danish commercial rounding (half away from zero), never banker's rounding, so a
published 516,6 → 517 comes out as printed.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, digits: int = 0) -> float:
    if value is None or isinstance(value, bool):
        raise ValueError(f"kan ikke afrunde {value!r}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
        d = Decimal(int(value))
    else:
        f = float(value)  # also numpy floats, whose repr is 'np.float64(...)'
        if not math.isfinite(f):
            raise ValueError(f"kan ikke afrunde {value!r}")
        d = Decimal(repr(f))
    if not d.is_finite():
        raise ValueError(f"kan ikke afrunde {value!r}")
    q = Decimal(1).scaleb(-digits)
    return float(d.quantize(q, rounding=ROUND_HALF_UP))


def number(value: float, digits: int = 0) -> str:
    """1302483 → '1.302.483'; (24.25, 1) → '24,3'; -517 → '-517' (true minus sign: '−517')."""
    r = round_half_up(value, digits)
    if r == 0:
        r = 0.0  # no '-0'
    sign = "-" if r < 0 else ""
    whole, _, frac = f"{abs(r):.{digits}f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if digits > 0:
        out += "," + frac
    return sign + out


def plain(value: float) -> str:
    """A limit as a reader writes it, unrounded: 1e12 → '1.000.000.000.000', 0.5 → '0,5', 2100 → '2100'
    (four digits, as a year, without a thousands point)."""
    if float(value).is_integer():
        return number(value, 0) if abs(value) >= 10_000 else str(int(value))
    return repr(float(value)).replace(".", ",")


def kr(value: float, digits: int = 0) -> str:
    """'1.302.483 kr.'"""
    return f"{number(value, digits)} kr."


def thousand(value_dkk: float) -> str:
    """A kroner amount shown in 1.000 kr.: 1302483 → '1.302'."""
    return number(value_dkk / 1000.0, 0)


def mio(value_dkk: float, digits: int = 1) -> str:
    """5288000 → '5,3 mio. kr.'"""
    return f"{number(value_dkk / 1_000_000.0, digits)} mio. kr."


def pct(share: float, digits: int = 0) -> str:
    """0.5 → '50 pct.'; a share in [0, 1] shown as Danish percent."""
    return f"{number(share * 100.0, digits)} pct."


DA_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december")


def date_da(d) -> str:
    """A date as Danish text: 4. januar 2016."""
    return f"{d.day}. {DA_MONTHS[d.month - 1]} {d.year}"
