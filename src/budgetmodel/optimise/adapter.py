"""Build an :class:`OptimiserInput` from a scenario, the rates at its dates and the unit-cost figures.

Where each number comes from (the same text goes into ``OptimiserInput.sources``):

- caseload, benefit levels, shares that can be placed / activated, purchases, prices, wages and
  the initiative: the scenario (``municipality.caseload``, ``municipality.prices``, ``initiatives``);
- state refund of the benefit: ``financing.shares.state_share`` at ``law.refund_rules_at`` (2014:
  by activation; from 2016-01-04: the staircase by duration), averaged over the group's duration mix;
- refund of the offers bought: ``rates/refusion_driftsudgifter``, the driftsloft ``rates/driftsloft``;
- legal minimum conversations: ``rates/samtalekadence`` (+ ``samtalekadence_vindue``);
- hours per conversation and per placement: BDO/HBS 2024 Tab. 2.1 (``data/bdo2024``), the group's
  segment from the unit-cost assumptions; hours per årsværk: the unit-cost assumption (Quartz+Co
  1.428 h) or the profile's override;
- today's conversation årsværk: the profile's conversations × hours / hours per årsværk, lifted to
  the legal minimum where today's figure (a 2013 benchmark) is below the 2014 cadence.

Readings where the scenario is silent are written into ``OptimiserInput.notes`` and printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from budgetmodel.codes import COMPANY_ACTIVATIONS, WEEKS_PER_HELAARSPERSON  # today's helårspersoner in offers = the group's shares of these
from budgetmodel.errors import InputError, Problem
from budgetmodel.optimise.data import OptimiserInput, conversations_per_helaarsperson
from budgetmodel.rates import RateBook, load_rates
from budgetmodel.rates.schema import parse_band
from budgetmodel.unitcost.passivity import activatable_default

# The staff profile (Mploy/Kibak 2013) still has the pre-reform match groups; the 2014 reform turned
# match 1 (jobklar) into jobparate / uddannelsesparate and match 2-3 into aktivitetsparate (seed 004,
# pjecerne: "matchsystemet afskaffes … jobparate eller aktivitetsparate"). A caseload group's staff is
# its share (by helårspersoner) of the profile group's.
STAFF_GROUP = {
    "kontanthjaelp_jobparat": "kontanthjaelp_match1",
    "uddannelseshjaelp_uddannelsesparat": "kontanthjaelp_match1",
    "uddannelseshjaelp_aabenlyst_uddannelsesparat": "kontanthjaelp_match1",
    "kontanthjaelp_aktivitetsparat": "kontanthjaelp_match23",
    "uddannelseshjaelp_aktivitetsparat": "kontanthjaelp_match23",
}

WEEKS_PER_YEAR = WEEKS_PER_HELAARSPERSON  # growth and placements are per year of 52 weeks
ACTIVATION_LABEL = {
    "vejledning_opkvalificering": "vejledning og opkvalificering",
    "ordinaer_uddannelse": "ordinær uddannelse",
    "mentor": "mentor",
    "virksomhedspraktik": "virksomhedspraktik",
    "loentilskud": "løntilskud",
    "nytteindsats": "nytteindsats",
}


class _Problems:
    def __init__(self, loaded: Any):
        self.loaded = loaded
        self.file = str(loaded.path)
        self.items: list[Problem] = []

    def add(self, loc: str, message: str) -> None:
        from budgetmodel.scenario.load import compose_cached

        parts = tuple(int(p) if p.isdigit() else p for p in loc.split("."))
        try:
            file, line = compose_cached(self.loaded).where(parts)
        except Exception:  # a location the composer does not know: name the top file
            file, line = self.file, None
        self.items.append(Problem(str(file), line, loc, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(self.items)


def _value(x: Any) -> float:
    return float(x.value)


def _src(x: Any) -> str:
    return f"{x.source}" + (f" ({x.note})" if getattr(x, "note", "") else "")


def from_scenario(path: Path | str, book: RateBook | None = None) -> OptimiserInput:
    """Load a scenario file and turn it into the optimiser's input (InputError with file + line)."""
    from budgetmodel.scenario.load import load_scenario

    book = book if book is not None else load_rates()
    loaded = load_scenario(path, book)
    return from_loaded(loaded, book)


def from_loaded(loaded: Any, book: RateBook) -> OptimiserInput:
    from budgetmodel.financing.initiative import year_fractions
    from budgetmodel.financing.shares import state_share
    from budgetmodel.scenario.load import lookup_rate
    from budgetmodel.scenario.run import _INDSATS_EXPENSE, _staircase
    from budgetmodel.unitcost.assumptions import load_assumptions
    from budgetmodel.unitcost.costs import BdoData

    s = loaded.scenario
    pr = _Problems(loaded)
    notes: list[str] = []
    mun = s.municipality
    groups = mun.caseload.groups
    at = s.law.refund_rules_at
    rates_at = s.law.rates_at
    staff = mun.staff
    ua = load_assumptions()
    bdo = BdoData.load()

    # --- the initiative (at most one: the fixed case) and the horizon -------------------------
    if len(s.initiatives) > 1:
        pr.add("initiatives", "optimiseren værdisætter ét initiativ ad gangen som den fastlagte fordeling; scenariet har flere")
    ini_key, ini = next(iter(s.initiatives.items())) if s.initiatives else (None, None)
    if ini is not None:
        weights = {y: w for y, w in year_fractions(ini.start, ini.duration_months, list(s.years)).items() if w > 0}
        horizon = f"initiativets løbetid ({ini.start.isoformat()}, {ini.duration_months} måneder)"
    else:
        weights = {y: 1.0 for y in s.years}
        horizon = "scenariets år"
    if not weights:
        pr.add(f"initiatives.{ini_key}.start", "initiativet ligger uden for scenariets år")
    notes.append(f"Horisont: {horizon}; hvert år vægtes med den del af året, fordelingen gælder.")

    # --- staff and hours ---------------------------------------------------------------------
    if staff is None:
        pr.add("municipality.staff", "optimiseren skal bruge personaleprofilen (årsværk pr. målgruppe og opgave)")
        pr.raise_if_any()
    hours = staff.productive_hours_per_aarsvaerk or ua.productive_hours_per_aarsvaerk.value
    hours_src = "profilen (productive_hours_per_aarsvaerk)" if staff.productive_hours_per_aarsvaerk else _src(ua.productive_hours_per_aarsvaerk)
    wage_c = _value(mun.prices.wage_dkk_per_aarsvaerk)
    if ini is not None:
        n_staff = _value(ini.staff_count)
        wage_p = _value(ini.wage_dkk_per_year) / n_staff if n_staff else wage_c
        ppb = _value(ini.persons_per_staff)
        ppb_src = _src(ini.persons_per_staff)
        wage_p_src = _src(ini.wage_dkk_per_year)
    else:
        wage_p, wage_p_src = wage_c, "som sagsbehandlere (scenariet har intet initiativ)"
        other = s.assumptions.other.get("persons_per_broker")
        if other is None:
            pr.add("assumptions.other.persons_per_broker", "uden et initiativ skal scenariet angive personer pr. jobformidler")
            ppb, ppb_src = 1.0, ""
        else:
            ppb, ppb_src = _value(other), _src(other)
    wpp = s.assumptions.weeks_per_placement
    if wpp is None or _value(wpp) <= 0:
        pr.add("assumptions.weeks_per_placement", "optimiseren skal bruge varigheden af en virksomhedsplacering (uger) for timerne pr. placering")
    placements = WEEKS_PER_YEAR / _value(wpp) if wpp is not None and _value(wpp) > 0 else 0.0
    growth = _value(s.assumptions.caseload_growth)
    y0 = s.years[0]

    # --- target groups -----------------------------------------------------------------------
    profile_hp: dict[str, float] = {}
    activatable: dict[str, float] = {}
    for key, g in groups.items():
        pg = STAFF_GROUP.get(g.target_group)
        if pg is None:
            pr.add(f"municipality.caseload.groups.{key}.target_group", f"ingen personalegruppe for {g.target_group} i profilen")
            continue
        if pg not in staff.target_groups:
            pr.add("municipality.staff.target_groups", f"profilen mangler {pg} (personalet for {g.label})")
            continue
        profile_hp[pg] = profile_hp.get(pg, 0.0) + _value(g.helaarspersoner)
        if g.activatable_share is None:  # default derived from STAR 2018 (unitcost.passivity), else required
            d = activatable_default(g.target_group, _value(g.helaarspersoner),
                                    None if g.long_term_helaarspersoner is None else _value(g.long_term_helaarspersoner))
            if d is not None:
                activatable[key] = d.value
                notes.append(f"{g.label}: aktiverbar andel ikke angivet i scenariet; standard fra STAR 2018. {d.derivation} Kilde: {d.source}")
        else:
            activatable[key] = _value(g.activatable_share)
        for field in ("placeable_share", "activatable_share", "benefit_dkk_per_helaarsperson"):
            if getattr(g, field) is None and not (field == "activatable_share" and key in activatable):
                pr.add(f"municipality.caseload.groups.{key}.{field}", "optimiseren skal bruge dette felt")
        if not g.duration:
            pr.add(f"municipality.caseload.groups.{key}.duration", "optimiseren skal bruge varighedsfordelingen (refusionen efter varighed)")
    pr.raise_if_any()

    def benefit_level(key: str) -> float:
        b = groups[key].benefit_dkk_per_helaarsperson
        if isinstance(b, list):
            return sum(lookup_rate(s, r, book)[0] for r in b)
        if hasattr(b, "rate"):
            return lookup_rate(s, b, book)[0]
        return _value(b)

    def refund_share(key: str, activation: str) -> float:
        g = groups[key]
        shares = []
        for band, share in g.duration.items():
            week = parse_band(band)[0]
            v = state_share(book, np.datetime64(at), g.benefit, activation, week, week)
            shares.append(float(np.asarray(v).ravel()[0]) * _value(share))
        return sum(shares)

    cadence_src: set[str] = set()

    def cadence(key: str) -> float:
        g = groups[key]
        try:
            first = book.lookup("samtalekadence", rates_at, target_group=g.target_group, phase="foerste_3_maaneder")
            then = book.lookup("samtalekadence", rates_at, target_group=g.target_group, phase="derefter")
            w1 = book.value("samtalekadence_vindue", rates_at, target_group=g.target_group, phase="foerste_3_maaneder")
            w2 = book.value("samtalekadence_vindue", rates_at, target_group=g.target_group, phase="derefter")
        except KeyError as exc:
            pr.add(f"municipality.caseload.groups.{key}.target_group", f"ingen lovpligtig samtalekadence: {exc.args[0]}")
            return 0.0
        cadence_src.update({first.source, then.source})
        share = _value(g.first_3_months_share) if g.first_3_months_share is not None else 0.0
        return conversations_per_helaarsperson((float(first.value), float(w1)), (float(then.value), float(w2)), share)

    if any(g.first_3_months_share is None for g in groups.values()):
        notes.append("Grupper uden first_3_months_share regnes som helårspersoner efter de første 3 måneder (kadencen 'derefter').")

    seg_src = _src(ua.segments)
    hours_tab = bdo.t("tab_2_1_noegleprocesser")
    bdo_src = f"{hours_tab.document}, {hours_tab.title} (data/bdo2024/tab_2_1_noegleprocesser.csv), gns."

    def segment_hours(key: str, activity: str) -> float:
        seg = ua.segments.value[STAFF_GROUP[groups[key].target_group]]
        h = bdo.hours(seg, activity)
        if h is None:
            pr.add(f"municipality.caseload.groups.{key}.target_group", f"BDO Tab. 2.1 har ingen timer for {activity} i segmentet {seg}")
            return 0.0
        return h["average"]

    lifted: list[str] = []
    periods = []
    today_spend_by_year: dict[int, float] = {}
    for year, weight in weights.items():
        factor = (1.0 + growth) ** (year - y0)
        tgroups, offers = [], []
        spend = 0.0
        for key, g in groups.items():
            hp = _value(g.helaarspersoner) * factor
            pg = STAFF_GROUP[g.target_group]
            prof = staff.target_groups[pg]
            split = _value(g.helaarspersoner) / profile_hp[pg]
            h_conv = segment_hours(key, "samtaler")
            a = cadence(key)
            required = a * hp * h_conv / hours
            if prof.samtaler is not None:
                c0 = prof.samtaler * split * factor * h_conv / hours
            else:
                c0 = required
                if year == next(iter(weights)):
                    notes.append(f"{g.label}: profilen oplyser ikke dagens samtaler; dagens samtaletid sættes til lovens minimum.")
            if c0 < required - 1e-9:
                if year == next(iter(weights)):
                    lifted.append(g.label)
                c0 = required
            p0 = prof.tasks.get("virksomhedsindsats", 0.0) * split
            x0 = hp * sum(_value(g.activation[a_]) for a_ in COMPANY_ACTIVATIONS if a_ in g.activation)
            company = ini.to_activation if ini is not None and key == ini.target_group else COMPANY_ACTIVATIONS[0]
            tgroups.append(dict(
                id=key, label=g.label, helaarspersoner=hp, benefit_dkk_per_helaarsperson=benefit_level(key),
                refund_share_passive=refund_share(key, "none"), refund_share_company=refund_share(key, company),
                min_conversations_per_helaarsperson=a, hours_per_conversation=h_conv,
                hours_per_placement=segment_hours(key, "virksomhedsplaceringer"), placements_per_helaarsperson=placements,
                placeable_helaarspersoner=_value(g.placeable_share) * hp, activatable_helaarspersoner=activatable[key] * hp,
                effect_company=_value(s.assumptions.duration_effect),
                current_conversation_aarsvaerk=c0, current_placement_aarsvaerk=p0, current_in_company_offers=x0,
            ))
            spend += wage_c * c0 + wage_p * p0
            month = ini.participant_benefit_month if ini is not None and key == ini.target_group else 1
            for act, n in g.purchases.items():
                price = mun.prices.helaarstilbud_dkk.get(g.age)
                if price is None:
                    pr.add(f"municipality.prices.helaarstilbud_dkk.{g.age}", f"ingen pris pr. helårstilbud for {g.label}")
                    continue
                expense = _INDSATS_EXPENSE.get(act)
                try:
                    pct = float(book.value("refusion_driftsudgifter", at, target_group=g.target_group, expense=expense, benefit_month=month))
                except KeyError:
                    pct = 0.0
                if pct == 0:
                    rule = "none"
                elif expense == "mentor":
                    rule = "mentorramme"
                else:
                    rule = "driftsloft"
                offers.append(dict(
                    id=f"{key}__{act}", label=f"{ACTIVATION_LABEL.get(act, act)}, {g.label.lower()}", group=key,
                    price_dkk_per_helaarstilbud=_value(price), refund=rule,
                    current_helaarstilbud=_value(n) * factor, _pct=pct,
                ))
                spend += _value(price) * _value(n) * factor
        today_spend_by_year[year] = spend
        periods.append(dict(year=year, weight=weight, groups=tgroups, offers=offers))
    pr.raise_if_any()
    if lifted:
        notes.append(
            "Dagens samtaler (benchmark 2013) ligger under 2014-kadencen for " + ", ".join(lifted)
            + "; basislinjen løftes til lovens minimum, så i dag, initiativ og optimum sammenlignes på lovlige fordelinger."
        )

    # --- refund rules for the offers: driftsloft and mentorramme ------------------------------
    pool_src = ""
    any_loft = any(o["refund"] == "driftsloft" for p in periods for o in p["offers"])
    pool_cfg = mun.driftsloft_pool
    use_pool = any_loft and pool_cfg is not None and pool_cfg.operating_expenses_dkk is not None
    if any_loft and not use_pool:
        notes.append(
            "Driftsudgifterne ligger i forvejen over driftsloftet (seed 004, bilag 4), og scenariet oplyser ikke "
            "udgifterne i loftspuljen: køb under driftsloftet regnes uden refusion ved en ændring (marginalt tab af refusion = 0)."
        )
        for p in periods:
            for o in p["offers"]:
                if o["refund"] == "driftsloft":
                    o["refund"] = "none"
    basis = s.budget.driftsloft.basis if s.budget.driftsloft is not None else "genberegnet"
    mentor_offers = any(o["refund"] == "mentorramme" for p in periods for o in p["offers"])
    if mentor_offers and s.budget.mentor is None:
        pr.add("budget.mentor.ramme_dkk", "der købes mentortilbud med refusion under mentorrammen; scenariet skal angive rammen")
    pr.raise_if_any()

    out_periods = []
    for p in periods:
        year = p["year"]
        pools = []
        if use_pool:
            pool_groups = [g["id"] for g in p["groups"]]
            try:
                loft_rv = book.lookup("driftsloft", at, loft_group=book.value("driftsloft_gruppe", at, target_group=groups[pool_groups[0]].target_group), basis=basis)
            except KeyError as exc:
                pr.add("municipality.driftsloft_pool", f"intet driftsloft: {exc.args[0]}")
                pr.raise_if_any()
            pcts = {o["_pct"] for o in p["offers"] if o["refund"] == "driftsloft"}
            modeled = sum(o["price_dkk_per_helaarstilbud"] * o["current_helaarstilbud"] for o in p["offers"] if o["refund"] == "driftsloft")
            total = _value(pool_cfg.operating_expenses_dkk)
            if total < modeled:
                pr.add("municipality.driftsloft_pool.operating_expenses_dkk", f"udgifterne i puljen ({total:.0f} kr.) er mindre end købene i sagsstammen ({modeled:.0f} kr.)")
            hp_model = sum(g["helaarspersoner"] for g in p["groups"])
            pools.append(dict(
                id="driftsloft", label="driftsloftet for aktiveringsudgifter", refund_share=max(pcts) / 100.0,
                loft_dkk_per_helaarsperson=float(loft_rv.value), groups=pool_groups,
                other_helaarspersoner=max(0.0, _value(pool_cfg.helaarspersoner) - hp_model), other_expenses_dkk=max(0.0, total - modeled),
            ))
            pool_src = f"{loft_rv.source}; puljen: {_src(pool_cfg.helaarspersoner)}; udgifter: {_src(pool_cfg.operating_expenses_dkk)}"
        mentor = None
        if mentor_offers:
            mentor = dict(refund_share=max(o["_pct"] for o in p["offers"] if o["refund"] == "mentorramme") / 100.0,
                          ramme_dkk=_value(s.budget.mentor.ramme_dkk))
        # activation duties: stated per group, else today's level per target group code
        duties = []
        implicit: dict[str, list[str]] = {}
        for key, g in groups.items():
            if g.activation_duty_helaarspersoner is not None:
                duties.append(dict(id=key, label=g.label, groups=[key], min_helaarspersoner=_value(g.activation_duty_helaarspersoner)))
            else:
                implicit.setdefault(g.target_group, []).append(key)
        for tg, keys in implicit.items():
            level = sum(gr["current_in_company_offers"] for gr in p["groups"] if gr["id"] in keys)
            level += sum(o["current_helaarstilbud"] for o in p["offers"] if o["group"] in keys)
            labels = " og ".join(groups[k].label.lower() for k in keys)
            duties.append(dict(id=tg, label=labels, groups=keys, min_helaarspersoner=level))
        for o in p["offers"]:
            o.pop("_pct")
        budget = _value(s.assumptions.optimiser_budget_dkk) if s.assumptions.optimiser_budget_dkk is not None else today_spend_by_year[year]
        initiative = None
        if ini is not None:
            initiative = _change(s, ini_key, ini, p, pr)
        out_periods.append(dict(
            id=str(year), weight=p["weight"], rates_date=at, groups=p["groups"], offers=p["offers"],
            wage_conversation_dkk_per_aarsvaerk=wage_c, wage_placement_dkk_per_aarsvaerk=wage_p,
            hours_per_aarsvaerk=hours, persons_per_broker=ppb, budget_dkk=budget,
            keep_current_staff=s.assumptions.keep_current_staff, activation_duties=duties,
            driftsloft=pools, mentorramme=mentor, initiative=initiative,
        ))
    pr.raise_if_any()
    if implicit:
        notes.append("Scenariet angiver ingen aktiveringspligt; mindst dagens antal helårspersoner i tilbud fastholdes pr. målgruppe (summeret over aldersgrupper).")

    caseload_src = mun.caseload.source
    regime = "refusionstrappen" if _staircase(book, at) else "2014-reglerne (refusion efter aktivering)"
    sources = {
        "objective": (
            f"Kommunens nettoudgift: forsørgelsesydelser ({caseload_src}) efter statsrefusion ({regime}, pr. {at.isoformat()}, "
            f"financing.shares); løn: {_src(mun.prices.wage_dkk_per_aarsvaerk)}; jobformidlere: {wage_p_src}; "
            "køb: municipality.prices.helaarstilbud_dkk (seed 004, bilag 4, Tabel 1); effekt på varighed: "
            f"{_src(s.assumptions.duration_effect)}"
        ),
        "budget": (_src(s.assumptions.optimiser_budget_dkk) if s.assumptions.optimiser_budget_dkk is not None
                   else "Dagens løn og køb i scenariet (assumptions.optimiser_budget_dkk er ikke angivet)"),
        "staff_floor": "Scenariet, assumptions.keep_current_staff: medarbejdere kan flyttes mellem opgaver, ikke afskediges",
        "legal_minimum_conversations": "rates/samtalekadence og samtalekadence_vindue: " + "; ".join(sorted(cadence_src)),
        "conversation_hours": f"{bdo_src} (samtaler); segment: {seg_src}; timer pr. årsværk: {hours_src}",
        "persons_per_broker": ppb_src,
        "placement_hours": f"{bdo_src} (virksomhedsplaceringer); uger pr. placering: {_src(wpp)}; timer pr. årsværk: {hours_src}",
        "placeable": "Scenariet, municipality.caseload.groups.*.placeable_share (" + "; ".join(sorted({_src(g.placeable_share) for g in groups.values()})) + ")",
        "activatable": "Scenariet, municipality.caseload.groups.*.activatable_share (" + "; ".join(sorted({_src(g.activatable_share) if g.activatable_share is not None else "standard fra STAR 2018, se forudsætningerne" for g in groups.values()})) + ")",
        "activation_duty": ("Antagelse: mindst dagens antal helårspersoner i tilbud pr. målgruppe (scenariet angiver ingen aktiveringspligt)"
                            if implicit else "Scenariet, activation_duty_helaarspersoner"),
        "driftsloft": pool_src or "ikke i modellen",
        "mentorramme": (_src(s.budget.mentor.ramme_dkk) if mentor_offers else "ikke i modellen"),
        "fixed_allocation": (f"Scenariet, initiatives.{ini_key}: {ini.title}" if ini is not None else "ikke i modellen"),
    }
    return OptimiserInput.model_validate(dict(
        municipality=mun.name, regime=regime, periods=out_periods, integer_posts=False, sources=sources, notes=notes,
    ))


def _change(s: Any, key: str, ini: Any, period: dict, pr: _Problems) -> dict:
    """The initiative as changes against today: brokers and persons for its target group, fewer offers."""
    n = _value(ini.staff_count)
    change = dict(
        placement_aarsvaerk={ini.target_group: n},
        in_company_offers={ini.target_group: n * _value(ini.persons_per_staff)},
        helaarstilbud={},
    )
    groups = s.municipality.caseload.groups
    tg = groups[ini.target_group].target_group
    for age, red in ini.offer_reductions.items():
        keys = [k for k, g in groups.items() if g.target_group == tg and g.age == age]
        offer_ids = [f"{k}__{ini.from_activation}" for k in keys]
        found = [o for o in period["offers"] if o["id"] in offer_ids]
        if len(found) != 1:
            pr.add(f"initiatives.{key}.offer_reductions.{age}",
                   f"fandt {len(found)} køb af {ini.from_activation} for {tg}, {age}; der skal være præcis ét")
            continue
        if red.price_dkk is not None and abs(_value(red.price_dkk) - found[0]["price_dkk_per_helaarstilbud"]) > 1e-9:
            pr.add(f"initiatives.{key}.offer_reductions.{age}.price_dkk", "prisen afviger fra prisen på dagens køb (municipality.prices)")
        change["helaarstilbud"][found[0]["id"]] = -_value(red.helaarstilbud)
    return change
