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
            raise ValueError(f"kommunen står mere end én gang: {', '.join(dupes)}")
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
        raise ValueError("fordelingsnøglen summerer til nul")
    return {name: total * k / whole for name, k in key.items()}


def unemployment_growth_pct(key_year: Decimal, grant_year: Decimal) -> Decimal:
    """Relative change in unemployment from the key year to the grant year, in percent."""
    if key_year <= 0:
        raise ValueError("ledigheden i nøgleåret skal være positiv")
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


# --- one municipality, with its landsdel's figures as inputs -----------------------------------
#
# A municipal budget does not have every municipality of its landsdel: it has its own figures and
# the landsdel's totals as published for the grant year (grundtilskud, net expenses as expected
# when the grant was set, at the midtvejsregulering and at the efterregulering, unemployment in
# the key year and the grant year). The grant is then
#
#     grundtilskud       = own grant two years before × P/L factor                  (§ 23 a, stk. 2, nr. 1)
#     merudgiftsbehov(s) = (landsdel's net expenses(s) − landsdel's grundtilskud)
#                          × own unemployment in the key year / the landsdel's      (§ 23 a, stk. 2, nr. 2)
#     midtvejsregulering = merudgiftsbehov(midtvejs) − merudgiftsbehov(foreløbig)    (§ 23 a, stk. 6)
#     efterregulering    = merudgiftsbehov(endelig) − merudgiftsbehov(midtvejs)      (§ 23 a, stk. 7)
#     forsikringsordning = insurance_compensation(...) on the last stage given      (§ 23 b)
#
# in kroner (float, as every other budget line); the stages not yet known are left out.


class LandsdelFigures(_Frozen):
    """The landsdel's totals for one grant year (kroner; unemployment in fuldtidspersoner)."""

    name: str = Field(min_length=1)
    grundtilskud_dkk: Annotated[float, Field(strict=True, allow_inf_nan=False)]
    net_expenses_foreloebig_dkk: Annotated[float, Field(strict=True, allow_inf_nan=False)]
    net_expenses_midtvejs_dkk: Annotated[float, Field(strict=True, allow_inf_nan=False)] | None = None
    net_expenses_endelig_dkk: Annotated[float, Field(strict=True, allow_inf_nan=False)] | None = None
    unemployed_key_year: Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)]
    unemployed_grant_year: Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]


class OwnFigures(_Frozen):
    """The municipality's own figures for one grant year."""

    grant_two_years_before_dkk: Annotated[float, Field(strict=True, allow_inf_nan=False)]
    unemployed_key_year: Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]
    unemployed_grant_year: Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]
    net_expenses_dkk: Annotated[float, Field(strict=True, allow_inf_nan=False)] | None = None  # own net expenses on the area


class GrantYearInput(_Frozen):
    grant_year: int = Field(ge=2010, le=2100)
    price_wage_factor: Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)]
    own: OwnFigures
    landsdel: LandsdelFigures

    @model_validator(mode="after")
    def _own_within_landsdel(self) -> "GrantYearInput":
        if self.own.unemployed_key_year > self.landsdel.unemployed_key_year:
            raise ValueError("kommunens ledige i nøgleåret kan ikke overstige landsdelens")
        if self.landsdel.net_expenses_endelig_dkk is not None and self.landsdel.net_expenses_midtvejs_dkk is None:
            raise ValueError("efterreguleringen forudsætter midtvejsreguleringens tal (net_expenses_midtvejs_dkk)")
        return self


class GrantYear(_Frozen):
    """One municipality's beskæftigelsestilskud for one grant year, kroner (float)."""

    grant_year: int
    landsdel: str
    key_share: float  # own unemployment in the key year / the landsdel's
    grundtilskud_dkk: float
    merudgiftsbehov_foreloebig_dkk: float
    midtvejsregulering_dkk: float
    efterregulering_dkk: float
    insurance_dkk: float
    total_dkk: float  # grundtilskud + merudgiftsbehov (last stage) + insurance
    net_expenses_dkk: float | None
    balance_dkk: float | None  # total − own net expenses (negative: the grant does not cover them)
    stage: str  # foreløbig | midtvejs | endelig: the last stage the figures reach
    growth_gap_pp: float
    threshold_pp: float
    sources: tuple[dict, ...]


def grant_year(inp: GrantYearInput, book: RateBook) -> GrantYear:
    """The beskæftigelsestilskud of one municipality for one grant year from its own and its
    landsdel's figures (see the comment above)."""
    at = dt.date(inp.grant_year, 1, 1)
    threshold = book.lookup(THRESHOLD_TABLE, at, parameter="forsikring_taerskel")
    sources = [threshold.as_dict()] + [
        book.lookup(STRUCTURE_TABLE, at, element=e).as_dict()
        for e in ("grundtilskud", "merudgiftsbehov", "midtvejsregulering", "efterregulering", "fordelingsnoegle", "forsikringsordning", "forsikringsberegning")
    ]
    own, ld = inp.own, inp.landsdel
    share = own.unemployed_key_year / ld.unemployed_key_year
    grund = own.grant_two_years_before_dkk * inp.price_wage_factor

    def behov(net: float) -> float:
        return (net - ld.grundtilskud_dkk) * share

    foreloebig = behov(ld.net_expenses_foreloebig_dkk)
    midtvejs = behov(ld.net_expenses_midtvejs_dkk) if ld.net_expenses_midtvejs_dkk is not None else foreloebig
    endelig = behov(ld.net_expenses_endelig_dkk) if ld.net_expenses_endelig_dkk is not None else midtvejs
    stage = "endelig" if ld.net_expenses_endelig_dkk is not None else ("midtvejs" if ld.net_expenses_midtvejs_dkk is not None else "foreloebig")
    last_net = {"foreloebig": ld.net_expenses_foreloebig_dkk, "midtvejs": ld.net_expenses_midtvejs_dkk, "endelig": ld.net_expenses_endelig_dkk}[stage]
    growth_own = (own.unemployed_grant_year / own.unemployed_key_year - 1) * 100 if own.unemployed_key_year > 0 else 0.0
    growth_ld = (ld.unemployed_grant_year / ld.unemployed_key_year - 1) * 100
    gap = growth_own - growth_ld
    insurance = float(
        insurance_compensation(
            Decimal(str(gap)), Decimal(str(threshold.value)), Decimal(str(own.unemployed_key_year)), Decimal(str(last_net - ld.grundtilskud_dkk)), Decimal(str(ld.unemployed_grant_year))
        )
    )
    total = grund + endelig + insurance
    return GrantYear(
        grant_year=inp.grant_year,
        landsdel=ld.name,
        key_share=share,
        grundtilskud_dkk=grund,
        merudgiftsbehov_foreloebig_dkk=foreloebig,
        midtvejsregulering_dkk=midtvejs - foreloebig,
        efterregulering_dkk=endelig - midtvejs,
        insurance_dkk=insurance,
        total_dkk=total,
        net_expenses_dkk=own.net_expenses_dkk,
        balance_dkk=None if own.net_expenses_dkk is None else total - own.net_expenses_dkk,
        stage=stage,
        growth_gap_pp=gap,
        threshold_pp=float(threshold.value),
        sources=tuple(sources),
    )
