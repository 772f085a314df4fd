"""Beskæftigelsestilskud: grundtilskud + merudgiftsbehov, and the forsikringsordning.

The grant compensates the municipalities for their net expenses on insured unemployed people
(dagpenge co-financing and the active effort after refunds). Per municipality and grant year:

- grundtilskud (LUL § 23 a, stk. 2, nr. 1): the municipality's total grant two years before the
  grant year, uprated to the grant year's price and wage level (the factor is an input: a
  price index is data, not law);
- merudgiftsbehov (§ 23 a, stk. 2, nr. 2, final settlement per landsdel in stk. 7): the landsdel's
  net expenses minus the landsdel's grundtilskud, shared among its municipalities by their
  unemployment in the key year (two years before the grant year);
- forsikringsordning (§ 23 b): a municipality whose unemployment grows more than the threshold
  (5 percentage points, rates table ``beskaeftigelsestilskud``) faster than its landsdel's gets a
  compensation. The computation of that compensation is a written-down reading (rates table
  ``beskaeftigelsestilskud_struktur``, element ``forsikringsberegning``): the part beyond the
  threshold of what the municipality loses by being keyed on old unemployment.

Amounts are Decimal kroner; results are rounded to øre (half away from zero) only at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from budgetmodel.rates import RateBook, load_rates

THRESHOLD_TABLE = "beskaeftigelsestilskud"
STRUCTURE_TABLE = "beskaeftigelsestilskud_struktur"
_OERE = Decimal("0.01")
_HUNDRED = Decimal(100)

Dkk = Annotated[Decimal, Field(allow_inf_nan=False)]
Persons = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MunicipalityInput(_Frozen):
    """One municipality's figures for the grant year."""

    municipality: str = Field(min_length=1)
    landsdel: str = Field(min_length=1)
    grant_two_years_before_dkk: Dkk  # total beskæftigelsestilskud in grant year − 2
    net_expenses_dkk: Dkk  # net expenses covered by the grant, in the grant year
    unemployed_key_year: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]  # bruttoledige, grant year − 2
    unemployed_grant_year: Persons  # bruttoledige (fuldtidspersoner) in the grant year


class BeskaeftigelsestilskudInput(_Frozen):
    grant_year: int = Field(ge=2010, le=2100)
    price_wage_factor: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]  # P/L uprating, grant year − 2 → grant year
    municipalities: tuple[MunicipalityInput, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> "BeskaeftigelsestilskudInput":
        names = [m.municipality for m in self.municipalities]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"municipality listed more than once: {', '.join(dupes)}")
        return self


class MunicipalityGrant(_Frozen):
    municipality: str
    landsdel: str
    grundtilskud_dkk: Decimal
    merudgiftsbehov_dkk: Decimal
    insurance_dkk: Decimal
    total_dkk: Decimal  # grundtilskud + merudgiftsbehov + insurance
    net_expenses_dkk: Decimal
    balance_dkk: Decimal  # total − net expenses (negative: the grant does not cover the expenses)
    unemployment_growth_pct: Decimal
    landsdel_growth_pct: Decimal
    growth_gap_pp: Decimal  # municipality − landsdel; above the threshold triggers the insurance


class BeskaeftigelsestilskudResult(_Frozen):
    grant_year: int
    threshold_pp: Decimal
    municipalities: tuple[MunicipalityGrant, ...]
    sources: tuple[dict, ...]  # RateValue.as_dict() of every rule used, for citing

    def by_municipality(self, name: str) -> MunicipalityGrant:
        for m in self.municipalities:
            if m.municipality == name:
                return m
        raise KeyError(name)


# --- pure functions ---------------------------------------------------------------------------


def grundtilskud(grant_two_years_before_dkk: Decimal, price_wage_factor: Decimal) -> Decimal:
    """§ 23 a, stk. 2, nr. 1: the grant of two years before, uprated to the grant year's P/L level."""
    return grant_two_years_before_dkk * price_wage_factor


def merudgiftsbehov_total(net_expenses: Iterable[Decimal], grundtilskud_amounts: Iterable[Decimal]) -> Decimal:
    """§ 23 a, stk. 7: the landsdel's net expenses minus its municipalities' grundtilskud."""
    return sum(net_expenses, Decimal(0)) - sum(grundtilskud_amounts, Decimal(0))


def distribute_by_key(total: Decimal, key: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Share ``total`` in proportion to ``key`` (unemployment in the key year)."""
    whole = sum(key.values(), Decimal(0))
    if whole <= 0:
        raise ValueError("the distribution key sums to zero")
    return {name: total * k / whole for name, k in key.items()}


def unemployment_growth_pct(key_year: Decimal, grant_year: Decimal) -> Decimal:
    """Relative change in unemployment from the key year to the grant year, in percent."""
    if key_year <= 0:
        raise ValueError("unemployment in the key year must be positive")
    return (grant_year / key_year - 1) * _HUNDRED


def insurance_compensation(
    growth_gap_pp: Decimal,
    threshold_pp: Decimal,
    unemployed_key_year: Decimal,
    landsdel_merudgiftsbehov: Decimal,
    landsdel_unemployed_grant_year: Decimal,
) -> Decimal:
    """§ 23 b (reading, see module doc): compensation for the growth gap beyond the threshold.

    Only a gap strictly MORE than the threshold counts ('mere end 5 procentpoint'); a landsdel
    whose merudgiftsbehov is not positive leaves nothing to insure.
    """
    if growth_gap_pp <= threshold_pp or landsdel_merudgiftsbehov <= 0 or landsdel_unemployed_grant_year <= 0:
        return Decimal(0)
    per_unemployed = landsdel_merudgiftsbehov / landsdel_unemployed_grant_year
    return per_unemployed * unemployed_key_year * (growth_gap_pp - threshold_pp) / _HUNDRED


def _oere(x: Decimal) -> Decimal:
    return x.quantize(_OERE, rounding=ROUND_HALF_UP)


# --- orchestrator -----------------------------------------------------------------------------


def compute_beskaeftigelsestilskud(inp: BeskaeftigelsestilskudInput, book: RateBook | None = None) -> BeskaeftigelsestilskudResult:
    """The final (efterreguleret) beskæftigelsestilskud of every municipality in ``inp``.

    Each landsdel is settled on its own, so ``inp`` must hold every municipality of each landsdel
    it names (a landsdel's merudgiftsbehov and growth are sums over the municipalities given).
    """
    book = book if book is not None else load_rates()
    at = dt.date(inp.grant_year, 1, 1)
    threshold = book.lookup(THRESHOLD_TABLE, at, parameter="forsikring_taerskel")
    threshold_pp = Decimal(str(threshold.value))
    sources = [threshold.as_dict()] + [
        book.lookup(STRUCTURE_TABLE, at, element=e).as_dict()
        for e in ("grundtilskud", "merudgiftsbehov", "efterregulering", "fordelingsnoegle", "forsikringsordning", "forsikringsberegning")
    ]

    by_landsdel: dict[str, list[MunicipalityInput]] = {}
    for m in inp.municipalities:
        by_landsdel.setdefault(m.landsdel, []).append(m)

    grants: dict[str, MunicipalityGrant] = {}
    for landsdel, members in by_landsdel.items():
        grund = {m.municipality: grundtilskud(m.grant_two_years_before_dkk, inp.price_wage_factor) for m in members}
        behov = merudgiftsbehov_total((m.net_expenses_dkk for m in members), grund.values())
        shares = distribute_by_key(behov, {m.municipality: m.unemployed_key_year for m in members})
        key_total = sum((m.unemployed_key_year for m in members), Decimal(0))
        grant_year_total = sum((m.unemployed_grant_year for m in members), Decimal(0))
        landsdel_growth = unemployment_growth_pct(key_total, grant_year_total)
        for m in members:
            growth = unemployment_growth_pct(m.unemployed_key_year, m.unemployed_grant_year)
            gap = growth - landsdel_growth
            insurance = insurance_compensation(gap, threshold_pp, m.unemployed_key_year, behov, grant_year_total)
            total = grund[m.municipality] + shares[m.municipality] + insurance
            grants[m.municipality] = MunicipalityGrant(
                municipality=m.municipality,
                landsdel=landsdel,
                grundtilskud_dkk=_oere(grund[m.municipality]),
                merudgiftsbehov_dkk=_oere(shares[m.municipality]),
                insurance_dkk=_oere(insurance),
                total_dkk=_oere(total),
                net_expenses_dkk=_oere(m.net_expenses_dkk),
                balance_dkk=_oere(total - m.net_expenses_dkk),
                unemployment_growth_pct=growth,
                landsdel_growth_pct=landsdel_growth,
                growth_gap_pp=gap,
            )
    ordered = tuple(grants[m.municipality] for m in inp.municipalities)
    return BeskaeftigelsestilskudResult(grant_year=inp.grant_year, threshold_pp=threshold_pp, municipalities=ordered, sources=tuple(sources))
