"""Build an :class:`OptimiserInput` from a scenario, the rates at its dates and the unit-cost figures.

Where each number comes from (the same text goes into ``OptimiserInput.sources``):

- caseload, benefit levels, shares that can be placed / activated, purchases, prices, wages and
  the initiative: the scenario (``municipality.caseload``, ``municipality.prices``, ``initiatives``);
- everything starts from ``budgetmodel.scenario.compile`` (the one place a scenario meets the law):
  the same checks as ``run`` (impossible initiatives are errors here too), the same pricing;
- state refund of the benefit: the compiled week-by-week pricing (the law in force each week, or
  ``law.as_if``), averaged over the group's duration mix and the year's weeks; for a group with an
  initiative, the shares of its participants (their duration band, the activations they leave),
  averaged over the weeks the initiative runs, so the fixed case is valued as ``run`` values it;
- refund of the offers bought: the compiled offer rule (``rates/refusion_driftsudgifter`` and the
  driftsloft pool ``rates/driftsloft``) at the year's law;
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

from budgetmodel.codes import ACTIVATION_EXPENSE, COMPANY_ACTIVATIONS, WEEKS_PER_HELAARSPERSON  # today's helårspersoner in offers = the group's shares of these
from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.initiative import OfferLine
from budgetmodel.optimise.data import OptimiserInput, conversations_per_helaarsperson
from budgetmodel.rates import RateBook, load_rates
from budgetmodel.unitcost.passivity import activatable_default, no_activatable_default

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


def activatable_problems(s: Any) -> list[tuple[str, str]]:
    """(location, Danish message) for every caseload group the optimiser covers whose activatable
    share is neither given nor derivable from STAR 2018 (unitcost.passivity.no_activatable_default).
    ``validate`` asks the same of a scenario set up for the optimiser (assumptions.weeks_per_placement)."""
    out = []
    for key, g in s.municipality.caseload.groups.items():
        if g.activatable_share is None and STAFF_GROUP.get(g.target_group) is not None:
            loc = f"municipality.caseload.groups.{key}.activatable_share"
            missing = no_activatable_default(g.target_group, loc)
            if missing is not None:
                out.append((loc, missing + " (optimiseren bruger den)"))
    return out


def check_activatable(loaded: Any) -> None:
    """InputError (file, line) for :func:`activatable_problems` of a loaded scenario."""
    pr = _Problems(loaded)
    for loc, message in activatable_problems(loaded.scenario):
        pr.add(loc, message)
    pr.raise_if_any()


def from_scenario(path: Path | str, book: RateBook | None = None) -> OptimiserInput:
    """Load a scenario file and turn it into the optimiser's input (InputError with file + line)."""
    from budgetmodel.scenario.load import load_scenario

    book = book if book is not None else load_rates()
    loaded = load_scenario(path, book)
    return from_loaded(loaded, book)


def from_loaded(loaded: Any, book: RateBook) -> OptimiserInput:
    import datetime as dt

    from budgetmodel.scenario.compile import compile_scenario
    from budgetmodel.unitcost.assumptions import load_assumptions
    from budgetmodel.unitcost.costs import BdoData

    compiled = compile_scenario(loaded, book)  # the same checks and pricing as run
    s = loaded.scenario
    pr = _Problems(loaded)
    notes: list[str] = list(compiled.notes)
    mun = s.municipality
    groups = mun.caseload.groups
    staff = mun.staff
    ua = load_assumptions()
    bdo = BdoData.load()
    specs = compiled.initiatives
    pricing = compiled.pricing

    def law_at(year: int) -> dt.date:
        """The date whose law sets a year's cadence and offer refunds: as_if, else mid-year
        (the benefit refund is priced week by week)."""
        return s.law.as_if or dt.date(year, 7, 1)

    # --- the initiatives (the fixed case, all of them) and the horizon ------------------------
    fractions = {sp.key: {y: round(sum(w for _, w in sp.weeks.get(y, ())), 12) for y in s.years} for sp in specs}
    if specs:
        weights = {y: max(fractions[sp.key][y] for sp in specs) for y in s.years}
        weights = {y: w for y, w in weights.items() if w > 0}
        horizon = "initiativernes løbetid (" + "; ".join(f"{sp.start.isoformat()}, {sp.duration_months} måneder" for sp in specs) + ")"
    else:
        weights = {y: 1.0 for y in s.years}
        horizon = "scenariets år"
    notes.append(f"Horisont: {horizon}; hvert år vægtes med den del af året, fordelingen gælder.")
    ini_of_group = {}
    for sp in specs:
        ini_of_group.setdefault(sp.group, sp)

    # --- staff and hours ---------------------------------------------------------------------
    if staff is None:
        notes.append(
            "Scenariet har ingen personaleprofil (municipality.staff): dagens samtaletid sættes til lovens minimum, "
            "dagens virksomhedsindsats til 0 årsværk, og timer pr. årsværk er enhedsomkostningsantagelsen."
        )
    own_hours = staff.productive_hours_per_aarsvaerk if staff is not None else None
    hours = own_hours or ua.productive_hours_per_aarsvaerk.value
    hours_src = "profilen (productive_hours_per_aarsvaerk)" if own_hours else _src(ua.productive_hours_per_aarsvaerk)
    wage_c = _value(mun.prices.wage_dkk_per_aarsvaerk)
    n_staff_all = sum(sp.staff_count for sp in specs)
    if len(specs) > 1:
        notes.append("Flere initiativer: optimeringen bruger ét antal personer pr. medarbejder (alle deltagere / alle medarbejdere) og én løn pr. medarbejder (lønnen i alt / medarbejderne); den fastlagte fordeling har initiativernes løn og deltagere i alt.")
    if specs and n_staff_all > 0:
        wage_p = sum(sp.staff_count * sp.wage_dkk_per_staff for sp in specs) / n_staff_all
        ppb = sum(sp.participants for sp in specs) / n_staff_all
        ppb_src = "Scenariets initiativer: deltagere / medarbejdere (" + "; ".join(f"{sp.title}: {sp.participants:g} / {sp.staff_count:g}" for sp in specs) + ")"
        wage_p_src = "Scenariets initiativer: løn pr. medarbejder (" + "; ".join(f"{sp.title}: {sp.wage_dkk_per_staff:,.0f} kr.".replace(",", ".") for sp in specs) + ")"
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
        if staff is not None and pg not in staff.target_groups:
            pr.add("municipality.staff.target_groups", f"profilen mangler {pg} (personalet for {g.label})")
            continue
        profile_hp[pg] = profile_hp.get(pg, 0.0) + _value(g.helaarspersoner)
        if g.activatable_share is None:  # default derived from STAR 2018 (unitcost.passivity), else required
            d = activatable_default(g.target_group, _value(g.helaarspersoner),
                                    None if g.long_term_helaarspersoner is None else _value(g.long_term_helaarspersoner))
            if d is not None:
                activatable[key] = d.value
                notes.append(f"{g.label}: aktiverbar andel ikke angivet i scenariet; standard fra STAR 2018. {d.derivation} Kilde: {d.source}")
            else:  # outside STAR's six groups: a required input (see activatable_problems)
                activatable[key] = 0.0
        else:
            activatable[key] = _value(g.activatable_share)
        for field in ("placeable_share", "benefit_dkk_per_helaarsperson"):
            if getattr(g, field) is None:
                pr.add(f"municipality.caseload.groups.{key}.{field}", "optimiseren skal bruge dette felt")
        if not g.duration:
            pr.add(f"municipality.caseload.groups.{key}.duration", "optimiseren skal bruge varighedsfordelingen (refusionen efter varighed)")
    for loc, message in activatable_problems(s):
        pr.add(loc, message)
    pr.raise_if_any()

    def benefit_level(key: str, year: int) -> float:
        return compiled.inputs.value(f"municipality.caseload.groups.{key}.benefit_dkk_per_helaarsperson", year=year)

    def refund_shares(key: str, year: int, company: str) -> tuple[float, float]:
        """(passive, company) state shares: the group's average; for a group with an initiative,
        its participants' (the activations they leave, their band) over the weeks it runs."""
        sp = ini_of_group.get(key)
        if sp is None or not sp.weeks.get(year):
            return compiled.group_share(key, "none", year), compiled.group_share(key, company, year)
        weeks = sp.weeks[year]
        total = sum(m.persons for m in sp.moves) or 1.0
        passive = sum(compiled.group_share(key, m.from_activation, year, weeks, {m.band: 1.0}) * m.persons for m in sp.moves) / total
        bands: dict[str, float] = {}
        for m in sp.moves:
            bands[m.band] = bands.get(m.band, 0.0) + m.persons
        return passive, compiled.group_share(key, company, year, weeks, bands)

    cadence_src: set[str] = set()

    def cadence(key: str, year: int) -> float:
        g = groups[key]
        rates_at = law_at(year)
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
    changed_offers: dict[str, dict[str, Any]] = {}
    for spec in specs:
        for o in spec.offers:
            changed_offers.setdefault(o.group, {}).setdefault(o.activation, o)
    today_spend_by_year: dict[int, float] = {}
    for year, weight in weights.items():
        factor = (1.0 + growth) ** (year - y0)
        tgroups, offers = [], []
        spend = 0.0
        for key, g in groups.items():
            hp = _value(g.helaarspersoner) * factor
            pg = STAFF_GROUP[g.target_group]
            prof = staff.target_groups[pg] if staff is not None else None
            split = _value(g.helaarspersoner) / profile_hp[pg]
            h_conv = segment_hours(key, "samtaler")
            a = cadence(key, year)
            required = a * hp * h_conv / hours
            if prof is not None and prof.samtaler is not None:
                c0 = prof.samtaler * split * factor * h_conv / hours
            else:
                c0 = required
                if year == next(iter(weights)):
                    notes.append(f"{g.label}: profilen oplyser ikke dagens samtaler; dagens samtaletid sættes til lovens minimum.")
            if c0 < required - 1e-9:
                if year == next(iter(weights)):
                    lifted.append(g.label)
                c0 = required
            p0 = prof.tasks.get("virksomhedsindsats", 0.0) * split if prof is not None else 0.0
            x0 = hp * sum(_value(g.activation[a_]) for a_ in COMPANY_ACTIVATIONS if a_ in g.activation)
            sp = ini_of_group.get(key)
            company = sp.to_activation if sp is not None else COMPANY_ACTIVATIONS[0]
            s_passive, s_company = refund_shares(key, year, company)
            tgroups.append(dict(
                id=key, label=g.label, helaarspersoner=hp, benefit_dkk_per_helaarsperson=benefit_level(key, year),
                refund_share_passive=s_passive, refund_share_company=s_company,
                min_conversations_per_helaarsperson=a, hours_per_conversation=h_conv,
                hours_per_placement=segment_hours(key, "virksomhedsplaceringer"), placements_per_helaarsperson=placements,
                placeable_helaarspersoner=_value(g.placeable_share) * hp, activatable_helaarspersoner=activatable[key] * hp,
                effect_company=sp.effect if sp is not None else _value(s.assumptions.duration_effect),
                current_conversation_aarsvaerk=c0, current_placement_aarsvaerk=p0, current_in_company_offers=x0,
            ))
            spend += wage_c * c0 + wage_p * p0
            bought = {act: _value(n) for act, n in g.purchases.items()}
            for line in changed_offers.get(key, {}).values():
                bought.setdefault(line.activation, 0.0)
            for act, n in bought.items():
                line = changed_offers.get(key, {}).get(act)
                price_v = line.price_dkk if line is not None else (_value(mun.prices.helaarstilbud_dkk[g.age]) if g.age in mun.prices.helaarstilbud_dkk else None)
                if price_v is None:
                    pr.add(f"municipality.prices.helaarstilbud_dkk.{g.age}", f"ingen pris pr. helårstilbud for {g.label}")
                    continue
                month = line.benefit_month if line is not None else (sp.offers[0].benefit_month if sp is not None and sp.offers else 1)
                probe = OfferLine(f"{key}__{act}", act, key, g.target_group, act, 1.0, price_v, month)
                r = pricing.offer_rule(law_at(year), probe)
                if r.share <= 0:
                    rule = "none"
                elif ACTIVATION_EXPENSE.get(act) == "mentor":
                    rule = "mentorramme"
                else:
                    rule = "driftsloft"
                offers.append(dict(
                    id=f"{key}__{act}", label=f"{ACTIVATION_LABEL.get(act, act)}, {g.label.lower()}", group=key,
                    price_dkk_per_helaarstilbud=price_v, refund=rule,
                    current_helaarstilbud=n * factor, _rule=r,
                ))
                spend += price_v * n * factor
        today_spend_by_year[year] = spend
        periods.append(dict(year=year, weight=weight, groups=tgroups, offers=offers))
    pr.raise_if_any()
    if lifted:
        notes.append(
            "Dagens samtaler (benchmark 2013) ligger under 2014-kadencen for " + ", ".join(lifted)
            + "; basislinjen løftes til lovens minimum, så i dag, initiativ og optimum sammenlignes på lovlige fordelinger."
        )

    # --- refund rules for the offers: driftsloft and mentorramme ------------------------------
    # the compiled offer rule: a share, and (when the scenario gives the driftsloft pool) the loft
    # × helårspersoner and the expenses in the pool; without a pool the change is refunded in full
    pool_src = ""
    pool_cfg = mun.driftsloft_pool
    mentor_offers = any(o["refund"] == "mentorramme" for p in periods for o in p["offers"])
    if mentor_offers and s.budget.mentor is None:
        pr.add("budget.mentor.ramme_dkk", "der købes mentortilbud med refusion under mentorrammen; scenariet skal angive rammen")
    pr.raise_if_any()

    out_periods = []
    for p in periods:
        year = p["year"]
        pools = []
        loft_offers = [o for o in p["offers"] if o["refund"] == "driftsloft"]
        by_pool: dict[str, list[dict]] = {}
        for o in loft_offers:
            by_pool.setdefault(o["_rule"].pool or "uden_loft", []).append(o)
        hp_model = sum(g["helaarspersoner"] for g in p["groups"])
        for pid, items in sorted(by_pool.items()):
            r = items[0]["_rule"]
            pool_groups = sorted({o["group"] for o in items} | {g["id"] for g in p["groups"]})
            if r.pool is None:
                pools.append(dict(id="uden_loft", label="refusion af driftsudgifter uden kendt loft", refund_share=r.share,
                                  loft_dkk_per_helaarsperson=1e12, groups=pool_groups))
                continue
            modeled = sum(o["price_dkk_per_helaarstilbud"] * o["current_helaarstilbud"] for o in items)
            total = float(r.pool_expenses_dkk or 0.0)
            if total < modeled:
                pr.add("municipality.driftsloft_pool.operating_expenses_dkk", f"udgifterne i puljen ({total:.0f} kr.) er mindre end købene i sagsstammen ({modeled:.0f} kr.)")
            pool_hp = _value(pool_cfg.helaarspersoner)
            pools.append(dict(
                id=f"driftsloft_{pid}", label="driftsloftet for aktiveringsudgifter", refund_share=r.share,
                loft_dkk_per_helaarsperson=(r.cap_dkk or 0.0) / pool_hp if pool_hp else 0.0, groups=pool_groups,
                other_helaarspersoner=max(0.0, pool_hp - hp_model), other_expenses_dkk=max(0.0, total - modeled),
            ))
            pool_src = f"rates/driftsloft ({law_at(year).isoformat()}); puljen: {_src(pool_cfg.helaarspersoner)}; udgifter: {_src(pool_cfg.operating_expenses_dkk)}"
        mentor = None
        if mentor_offers:
            mentor = dict(refund_share=max(o["_rule"].share for o in p["offers"] if o["refund"] == "mentorramme"),
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
            o.pop("_rule")
        budget = _value(s.assumptions.optimiser_budget_dkk) if s.assumptions.optimiser_budget_dkk is not None else today_spend_by_year[year]
        # this year's staff: the initiatives running in it, each by the share of the year it runs
        ks = {sp.key: (fractions[sp.key][year] / p["weight"] if p["weight"] else 0.0) for sp in specs}
        staff_t = sum(ks[sp.key] * sp.staff_count for sp in specs)
        ppb_t = sum(ks[sp.key] * sp.participants for sp in specs) / staff_t if staff_t > 0 else ppb
        if ppb_t <= 0:
            ppb_t = ppb if ppb > 0 else 1.0  # no participants: the number does not bind
        wage_t = sum(ks[sp.key] * sp.staff_count * sp.wage_dkk_per_staff for sp in specs) / staff_t if staff_t > 0 else wage_p
        initiative = _change(specs, fractions, year, p["weight"], p, ppb_t) if specs else None
        out_periods.append(dict(
            id=str(year), weight=p["weight"], rates_date=law_at(year), groups=p["groups"], offers=p["offers"],
            wage_conversation_dkk_per_aarsvaerk=wage_c, wage_placement_dkk_per_aarsvaerk=wage_t,
            hours_per_aarsvaerk=hours, persons_per_broker=ppb_t, budget_dkk=budget,
            keep_current_staff=s.assumptions.keep_current_staff, activation_duties=duties,
            driftsloft=pools, mentorramme=mentor, initiative=initiative,
        ))
    pr.raise_if_any()
    if implicit:
        notes.append("Scenariet angiver ingen aktiveringspligt; mindst dagens antal helårspersoner i tilbud fastholdes pr. målgruppe (summeret over aldersgrupper).")

    caseload_src = mun.caseload.source
    regime = compiled.law.describe()
    sources = {
        "objective": (
            f"Kommunens nettoudgift: forsørgelsesydelser ({caseload_src}) efter statsrefusion ({regime}; "
            f"budgetmodel.scenario.compile); løn: {_src(mun.prices.wage_dkk_per_aarsvaerk)}; initiativernes medarbejdere: {wage_p_src}; "
            "køb: municipality.prices.helaarstilbud_dkk og initiativernes priser; effekt på varighed: "
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
        "fixed_allocation": ("Scenariet, " + "; ".join(f"initiatives.{sp.key}: {sp.title}" for sp in specs) if specs else "ikke i modellen"),
    }
    return OptimiserInput.model_validate(dict(
        municipality=mun.name, regime=regime, periods=out_periods, integer_posts=False, sources=sources, notes=notes,
    ))


def _change(specs: list, fractions: dict[str, dict[int, float]], year: int, weight: float, period: dict, ppb: float) -> dict:
    """All initiatives as changes against today in one year: staff and participants for their
    groups, offers bought more or less; each scaled by the share of the year it runs relative to
    the period's weight (so the weighted period carries exactly each initiative's phasing). The
    model has one number of persons per staff member (all participants / all staff); each group
    gets the årsværk its participants need at that number, so staff, wages and participants in
    total are the initiatives' own."""
    change: dict[str, dict[str, float]] = dict(placement_aarsvaerk={}, in_company_offers={}, helaarstilbud={})
    for sp in specs:
        k = fractions[sp.key][year] / weight if weight else 0.0
        if k == 0:
            continue
        aarsvaerk = sp.participants / ppb if ppb > 0 else sp.staff_count
        change["placement_aarsvaerk"][sp.group] = change["placement_aarsvaerk"].get(sp.group, 0.0) + k * aarsvaerk
        change["in_company_offers"][sp.group] = change["in_company_offers"].get(sp.group, 0.0) + k * sp.participants
        for o in sp.offers:
            oid = f"{o.group}__{o.activation}"
            change["helaarstilbud"][oid] = change["helaarstilbud"].get(oid, 0.0) + k * o.helaarstilbud
    return change
