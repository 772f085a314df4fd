"""Build the allocation model as a Pyomo model: one function per constraint family.

The model for one municipality is :func:`populate` applied to a block; :func:`build_model` puts
it in a ``ConcreteModel`` with the net cost as objective, :func:`build_national` puts one block
per municipality in a single model (the same definition, many blocks).

Decisions per period t and target group g (offer o):
    c[t,g]  årsværk on conversations
    p[t,g]  årsværk on job brokering added to today's virksomhedsindsats (p0, given)
    x[t,g]  helårspersoner in company-based offers added to today's (x0, given)
    y[t,o]  helårstilbud bought             n_conv[t], n_plac[t]  posts (whole posts if integer)
Derived: helårspersoner on benefit neff[t,g] = N − effect_company·x − Σ_o effect_o·(y_o − y0_o)
(today's caseload N already reflects today's offers); conversations held s[t,g]; operating-cost
refunds r_loft[t,pool], r_mentor[t].

Objective: Σ_t weight_t · net_t, where net_t = benefits − benefit refunds + wages + purchases
+ other refundable expenses − operating-cost refunds (driftsloft, mentorramme).

``docs/optimiser.md`` writes the same model out in mathematics with the source of each coefficient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import pyomo.environ as pyo

from budgetmodel.optimise.data import Allocation, OptimiserInput


@dataclass(frozen=True)
class Row:
    """One constraint: lhs (sense) rhs, with a magnitude used to weigh its slack in the elastic model."""

    lhs: Any
    sense: str  # "<=", ">=", "=="
    rhs: float
    scale: float


@dataclass(frozen=True)
class FamilyMeta:
    family: str
    component: str
    sense: str
    describe: Callable[[tuple], str]  # index → Danish description of the constraint


# ---------------------------------------------------------------------------------------------
# Helpers


def _add(b: pyo.Block, family: str, name: str, rows: dict[Any, Row], describe: Callable[[tuple], str]) -> None:
    """Add one indexed constraint (and, in the elastic model, its slack variables)."""
    if not rows:
        return
    keys = list(rows)
    elastic = b._elastic is True or (isinstance(b._elastic, frozenset) and family in b._elastic)
    if elastic:
        up = pyo.Var(keys, within=pyo.NonNegativeReals)  # raises the lhs (relaxes >=, ==)
        dn = pyo.Var(keys, within=pyo.NonNegativeReals)  # lowers the lhs (relaxes <=, ==)
        b.add_component(f"{name}__up", up)
        b.add_component(f"{name}__dn", dn)
        for k in keys:
            r = rows[k]
            w = 1.0 / max(r.scale, 1.0)
            if r.sense in (">=", "=="):
                b._slack_terms.append(w * up[k])
            if r.sense in ("<=", "=="):
                b._slack_terms.append(w * dn[k])
        b._slacks[name] = (up, dn)

    def rule(_b: pyo.Block, *k: Any) -> Any:
        key = k if len(k) > 1 else k[0]
        r = rows[key]
        lhs = r.lhs
        if name in b._slacks:
            lhs = lhs + b._slacks[name][0][key] - b._slacks[name][1][key]
        if r.sense == "<=":
            return lhs <= r.rhs
        if r.sense == ">=":
            return lhs >= r.rhs
        return lhs == r.rhs

    b.add_component(name, pyo.Constraint(keys, rule=rule))
    sense = {rows[k].sense for k in keys}
    b._meta[name] = FamilyMeta(family, name, sense.pop() if len(sense) == 1 else "mixed", describe)


# ---------------------------------------------------------------------------------------------
# Constraint families (one function each; the docstring names the rule, data.FAMILIES the id)


def budget(b: pyo.Block, inp: OptimiserInput) -> None:
    """Wages + purchases ≤ the period's budget (scenario)."""
    rows = {}
    for per in inp.periods:
        t = per.id
        spend = b.wages[t] + b.purchases[t]
        rows[t] = Row(spend, "<=", per.budget_dkk, per.budget_dkk)
    _add(b, "budget", "budget", rows, lambda k: f"budgettet til løn og køb ({k[0]})")


def staff_floor(b: pyo.Block, inp: OptimiserInput) -> None:
    """Today's staff may be moved between tasks but not dismissed (scenario assumption)."""
    rows = {}
    for per in inp.periods:
        if not per.keep_current_staff:
            continue
        staff = sum(g.current_conversation_aarsvaerk for g in per.groups)  # today's virksomhedsindsats stays as it is
        rows[per.id] = Row(b.n_conv[per.id] + b.n_plac[per.id], ">=", staff, max(staff, 1.0))
    _add(b, "staff_floor", "staff_floor", rows, lambda k: f"de nuværende årsværk bevares ({k[0]})")


def legal_minimum_conversations(b: pyo.Block, inp: OptimiserInput) -> None:
    """Conversations held ≥ legal minimum per helårsperson × helårspersoner on benefit (samtalekadence)."""
    rows = {}
    for per in inp.periods:
        for g in per.groups:
            k = (per.id, g.id)
            rows[k] = Row(b.s[k] - g.min_conversations_per_helaarsperson * b.neff[k], ">=", 0.0,
                          max(g.min_conversations_per_helaarsperson * g.helaarspersoner, 1.0))
    _add(b, "legal_minimum_conversations", "legal_minimum_conversations", rows,
         lambda k: f"lovpligtige samtaler, {b._label[k]}")


def conversation_hours(b: pyo.Block, inp: OptimiserInput) -> None:
    """Hours per conversation × conversations ≤ hours per årsværk × årsværk on conversations."""
    rows = {}
    for per in inp.periods:
        for g in per.groups:
            k = (per.id, g.id)
            rows[k] = Row(g.hours_per_conversation * b.s[k] - per.hours_per_aarsvaerk * b.c[k], "<=", 0.0, per.hours_per_aarsvaerk)
    _add(b, "conversation_hours", "conversation_hours", rows, lambda k: f"timer til samtaler, {b._label[k]}")


def persons_per_broker(b: pyo.Block, inp: OptimiserInput) -> None:
    """Helårspersoner added to company-based offers ≤ persons per broker × årsværk added (seed 004: 25)."""
    rows = {}
    for per in inp.periods:
        for g in per.groups:
            k = (per.id, g.id)
            rows[k] = Row(b.x[k] - per.persons_per_broker * b.p[k], "<=", 0.0, per.persons_per_broker)
    _add(b, "persons_per_broker", "persons_per_broker", rows, lambda k: f"personer pr. årsværk i virksomhedsindsatsen, {b._label[k]}")


def placement_hours(b: pyo.Block, inp: OptimiserInput) -> None:
    """Hours per placement × placements per helårsperson × x ≤ hours per årsværk × årsværk added to placements."""
    rows = {}
    for per in inp.periods:
        for g in per.groups:
            need = g.hours_per_placement * g.placements_per_helaarsperson
            if need == 0:
                continue
            k = (per.id, g.id)
            rows[k] = Row(need * b.x[k] - per.hours_per_aarsvaerk * b.p[k], "<=", 0.0, per.hours_per_aarsvaerk)
    _add(b, "placement_hours", "placement_hours", rows, lambda k: f"timer til virksomhedsplaceringer, {b._label[k]}")


def placeable(b: pyo.Block, inp: OptimiserInput) -> None:
    """Helårspersoner in company-based offers ≤ how many in the group can be placed at all (scenario, seed 003)."""
    rows = {}
    for per in inp.periods:
        for g in per.groups:
            k = (per.id, g.id)
            rows[k] = Row(b.x_total[k], "<=", g.placeable_helaarspersoner, max(g.placeable_helaarspersoner, 1.0))
    _add(b, "placeable", "placeable", rows, lambda k: f"hvor mange der kan placeres i virksomhedsrettede tilbud, {b._label[k]}")


def activatable(b: pyo.Block, inp: OptimiserInput) -> None:
    """Helårspersoner in offers of any kind ≤ how many can be activated (scenario, seed 003) and ≤ those on benefit."""
    rows, within = {}, {}
    for per in inp.periods:
        for g in per.groups:
            k = (per.id, g.id)
            in_offers = b.x_total[k] + sum(b.y[per.id, o.id] for o in per.offers if o.group == g.id)
            rows[k] = Row(in_offers, "<=", g.activatable_helaarspersoner, max(g.activatable_helaarspersoner, 1.0))
            within[k] = Row(in_offers - b.neff[k], "<=", 0.0, max(g.helaarspersoner, 1.0))
    _add(b, "activatable", "activatable", rows, lambda k: f"hvor mange der kan aktiveres, {b._label[k]}")
    _add(b, "activatable", "activatable_within_caseload", within, lambda k: f"personer i tilbud ≤ personer på ydelse, {b._label[k]}")
    for per in inp.periods:
        for o in per.offers:
            if o.max_helaarstilbud is not None:
                b.y[per.id, o.id].setub(o.max_helaarstilbud)


def activation_duty(b: pyo.Block, inp: OptimiserInput) -> None:
    """Helårspersoner of the duty's groups in company-based offers + offers that count ≥ the duty."""
    rows = {}
    for per in inp.periods:
        for duty in per.activation_duties:
            active = sum(b.x_total[per.id, g] for g in duty.groups) + sum(
                b.y[per.id, o.id] for o in per.offers if o.group in duty.groups and o.counts_as_activation
            )
            rows[(per.id, duty.id)] = Row(active, ">=", duty.min_helaarspersoner, max(duty.min_helaarspersoner, 1.0))
    _add(b, "activation_duty", "activation_duty", rows, lambda k: f"aktiveringspligten, {b._duty_label[k]}")


def driftsloft(b: pyo.Block, inp: OptimiserInput) -> None:
    """Refund ≤ share × refundable expenses, and ≤ share × loft × helårspersoner (the driftsloft)."""
    expenses, loft = {}, {}
    for per in inp.periods:
        for pool in per.driftsloft:
            k = (per.id, pool.id)
            exp = pool.other_expenses_dkk + sum(
                o.price_dkk_per_helaarstilbud * b.y[per.id, o.id] for o in per.offers if o.refund == "driftsloft" and o.group in pool.groups
            )
            hp = pool.other_helaarspersoner + sum(b.neff[per.id, g] for g in pool.groups)
            expenses[k] = Row(b.r_loft[k] - pool.refund_share * exp, "<=", 0.0, max(pool.other_expenses_dkk, 1.0))
            loft[k] = Row(b.r_loft[k] - pool.refund_share * pool.loft_dkk_per_helaarsperson * hp, "<=", 0.0, max(pool.other_expenses_dkk, 1.0))
    _add(b, "driftsloft", "driftsloft_expenses", expenses, lambda k: f"refusion højst af de faktiske driftsudgifter, {b._pool_label[k]}")
    _add(b, "driftsloft", "driftsloft", loft, lambda k: f"driftsloftet, {b._pool_label[k]}")


def mentorramme(b: pyo.Block, inp: OptimiserInput) -> None:
    """Mentor refund ≤ share × mentor expenses, and ≤ the municipality's mentorramme (the ramme caps the
    refund, state kroner: the reading of the financing engine, financing/mentor.py)."""
    expenses, ramme = {}, {}
    for per in inp.periods:
        mr = per.mentorramme
        if mr is None:
            continue
        exp = mr.other_expenses_dkk + sum(o.price_dkk_per_helaarstilbud * b.y[per.id, o.id] for o in per.offers if o.refund == "mentorramme")
        expenses[per.id] = Row(b.r_mentor[per.id] - mr.refund_share * exp, "<=", 0.0, max(mr.ramme_dkk, 1.0))
        ramme[per.id] = Row(b.r_mentor[per.id], "<=", mr.ramme_dkk, max(mr.ramme_dkk, 1.0))
    _add(b, "mentorramme", "mentorramme_expenses", expenses, lambda k: f"mentorrefusion højst af de faktiske udgifter ({k[0]})")
    _add(b, "mentorramme", "mentorramme", ramme, lambda k: f"mentorrammen ({k[0]})")


def fixed_allocation(b: pyo.Block, inp: OptimiserInput, alloc: Allocation) -> None:
    """Every decision equals a given allocation (to value today's or the initiative's allocation)."""
    rows = {}
    for per in inp.periods:
        a = alloc[per.id]
        for g in per.groups:
            k = (per.id, g.id)
            rows[("c",) + k] = Row(b.c[k], "==", a.conversation_aarsvaerk[g.id], max(abs(a.conversation_aarsvaerk[g.id]), 1.0))
            rows[("p",) + k] = Row(b.p_total[k], "==", a.placement_aarsvaerk[g.id], max(abs(a.placement_aarsvaerk[g.id]), 1.0))
            rows[("x",) + k] = Row(b.x_total[k], "==", a.in_company_offers[g.id], max(abs(a.in_company_offers[g.id]), 1.0))
        for o in per.offers:
            rows[("y", per.id, o.id)] = Row(b.y[per.id, o.id], "==", a.helaarstilbud[o.id], max(abs(a.helaarstilbud[o.id]), 1.0))
    what = {"c": "årsværk til samtaler", "p": "årsværk til virksomhedsindsats", "x": "personer i virksomhedsrettede tilbud", "y": "helårstilbud"}

    def describe(k: tuple) -> str:
        label = b._label.get((k[1], k[2])) or b._offer_label[(k[1], k[2])]
        return f"den fastlagte fordeling: {what[k[0]]}, {label}"

    _add(b, "fixed_allocation", "fixed_allocation", rows, describe)


FAMILY_FUNCTIONS: dict[str, Callable[[pyo.Block, OptimiserInput], None]] = {
    "budget": budget,
    "staff_floor": staff_floor,
    "legal_minimum_conversations": legal_minimum_conversations,
    "conversation_hours": conversation_hours,
    "persons_per_broker": persons_per_broker,
    "placement_hours": placement_hours,
    "placeable": placeable,
    "activatable": activatable,
    "activation_duty": activation_duty,
    "driftsloft": driftsloft,
    "mentorramme": mentorramme,
}


# ---------------------------------------------------------------------------------------------
# The model


def populate(b: pyo.Block, inp: OptimiserInput, *, fixed: Allocation | None = None, elastic: bool | frozenset[str] = False,
             integer_posts: bool | None = None, exclude: frozenset[str] = frozenset()) -> pyo.Block:
    """Put one municipality's variables, constraints and net-cost expression on block ``b``.

    ``exclude`` leaves constraint families out (used only to find which families conflict).
    """
    integer = inp.integer_posts if integer_posts is None else integer_posts
    b._inp = inp
    b._elastic = elastic
    b._slack_terms = []
    b._slacks = {}
    b._meta = {}
    b._label = {(p.id, g.id): f"{g.label} ({p.id})" for p in inp.periods for g in p.groups}
    b._offer_label = {(p.id, o.id): f"{o.label} ({p.id})" for p in inp.periods for o in p.offers}
    b._duty_label = {(p.id, d.id): f"{d.label} ({p.id})" for p in inp.periods for d in p.activation_duties}
    b._pool_label = {(p.id, pool.id): f"{pool.label} ({p.id})" for p in inp.periods for pool in p.driftsloft}

    b.T = pyo.Set(initialize=[p.id for p in inp.periods], ordered=True)
    b.TG = pyo.Set(initialize=[(p.id, g.id) for p in inp.periods for g in p.groups], dimen=2, ordered=True)
    b.TO = pyo.Set(initialize=[(p.id, o.id) for p in inp.periods for o in p.offers], dimen=2, ordered=True)
    b.TP = pyo.Set(initialize=[(p.id, pool.id) for p in inp.periods for pool in p.driftsloft], dimen=2, ordered=True)
    b.TM = pyo.Set(initialize=[p.id for p in inp.periods if p.mentorramme is not None], ordered=True)

    nn = pyo.NonNegativeReals
    b.c = pyo.Var(b.TG, within=nn)
    b.p = pyo.Var(b.TG, within=nn)
    b.x = pyo.Var(b.TG, within=nn)
    b.s = pyo.Var(b.TG, within=nn)
    b.y = pyo.Var(b.TO, within=nn)
    posts = pyo.NonNegativeIntegers if integer else nn
    b.n_conv = pyo.Var(b.T, within=posts)
    b.n_plac = pyo.Var(b.T, within=posts)
    b.r_loft = pyo.Var(b.TP, within=nn)
    b.r_mentor = pyo.Var(b.TM, within=nn)

    per_of = {p.id: p for p in inp.periods}

    def neff(_b: pyo.Block, t: str, gid: str) -> Any:
        per = per_of[t]
        g = per.group(gid)
        return g.helaarspersoner - g.effect_company * b.x[t, gid] - sum(
            o.effect * (b.y[t, o.id] - o.current_helaarstilbud) for o in per.offers if o.group == gid and o.effect
        )

    b.neff = pyo.Expression(b.TG, rule=neff)
    b.x_total = pyo.Expression(b.TG, rule=lambda _b, t, gid: per_of[t].group(gid).current_in_company_offers + b.x[t, gid])
    b.p_total = pyo.Expression(b.TG, rule=lambda _b, t, gid: per_of[t].group(gid).current_placement_aarsvaerk + b.p[t, gid])

    # Posts: årsværk on each task fit in the posts paid for (definitional, never relaxed).
    b.posts_conv = pyo.Constraint(b.T, rule=lambda _b, t: sum(b.c[t, g.id] for g in per_of[t].groups) <= b.n_conv[t])
    b.posts_plac = pyo.Constraint(b.T, rule=lambda _b, t: sum(b.p[t, g.id] for g in per_of[t].groups) <= b.n_plac[t])

    _cost_expressions(b, inp)
    for name in inp.families():
        if name in FAMILY_FUNCTIONS and name not in exclude:
            FAMILY_FUNCTIONS[name](b, inp)
    if fixed is not None and "fixed_allocation" not in exclude:
        fixed_allocation(b, inp, fixed)
    b.slack_total = pyo.Expression(expr=sum(b._slack_terms) if b._slack_terms else 0.0)
    return b


def _cost_expressions(b: pyo.Block, inp: OptimiserInput) -> None:
    per_of = {p.id: p for p in inp.periods}

    def benefits(_b: pyo.Block, t: str) -> Any:
        return sum(g.benefit_dkk_per_helaarsperson * b.neff[t, g.id] for g in per_of[t].groups)

    def benefit_refund(_b: pyo.Block, t: str) -> Any:
        return sum(
            g.benefit_dkk_per_helaarsperson
            * (g.refund_share_passive * (b.neff[t, g.id] - b.x_total[t, g.id]) + g.refund_share_company * b.x_total[t, g.id])
            for g in per_of[t].groups
        )

    def wages(_b: pyo.Block, t: str) -> Any:
        per = per_of[t]
        base = sum(g.current_placement_aarsvaerk for g in per.groups)  # today's virksomhedsindsats (given)
        return per.wage_conversation_dkk_per_aarsvaerk * b.n_conv[t] + per.wage_placement_dkk_per_aarsvaerk * (base + b.n_plac[t])

    def purchases(_b: pyo.Block, t: str) -> Any:
        return sum(o.price_dkk_per_helaarstilbud * b.y[t, o.id] for o in per_of[t].offers)

    def other_expenses(_b: pyo.Block, t: str) -> Any:
        per = per_of[t]
        return sum(pool.other_expenses_dkk for pool in per.driftsloft) + (per.mentorramme.other_expenses_dkk if per.mentorramme else 0.0)

    def operating_refund(_b: pyo.Block, t: str) -> Any:
        per = per_of[t]
        return sum(b.r_loft[t, pool.id] for pool in per.driftsloft) + (b.r_mentor[t] if per.mentorramme else 0.0)

    b.benefits = pyo.Expression(b.T, rule=benefits)
    b.benefit_refund = pyo.Expression(b.T, rule=benefit_refund)
    b.wages = pyo.Expression(b.T, rule=wages)
    b.purchases = pyo.Expression(b.T, rule=purchases)
    b.other_expenses = pyo.Expression(b.T, rule=other_expenses)
    b.operating_refund = pyo.Expression(b.T, rule=operating_refund)
    b.net_annual = pyo.Expression(
        b.T, rule=lambda _b, t: b.benefits[t] - b.benefit_refund[t] + b.wages[t] + b.purchases[t] + b.other_expenses[t] - b.operating_refund[t]
    )
    b.net_cost = pyo.Expression(expr=sum(per_of[t].weight * b.net_annual[t] for t in b.T))


def build_model(inp: OptimiserInput, *, fixed: Allocation | None = None, elastic: bool | frozenset[str] = False,
                integer_posts: bool | None = None, exclude: frozenset[str] = frozenset(),
                feasibility_only: bool = False) -> pyo.ConcreteModel:
    """The model for one municipality: minimise the net cost (or, elastic, the weighted slack).

    ``fixed`` pins every decision to an allocation (valuing today's or the initiative's
    allocation); posts are then continuous, so wages are paid for exactly the årsværk given.
    ``elastic`` (True, or the families to relax) adds a slack to each constraint and minimises the
    weighted slack instead. ``feasibility_only`` replaces the objective by zero (used to find
    conflicting families).
    """
    if fixed is not None and integer_posts is None:
        integer_posts = False
    m = pyo.ConcreteModel(name=f"allokering {inp.municipality}")
    populate(m, inp, fixed=fixed, elastic=elastic, integer_posts=integer_posts, exclude=exclude)
    if feasibility_only:  # a constant objective: only whether any allocation satisfies the constraints
        m.obj = pyo.Objective(expr=0.0 * m.n_conv[m.T.first()], sense=pyo.minimize)
    else:
        m.obj = pyo.Objective(expr=m.slack_total if elastic is not False else m.net_cost, sense=pyo.minimize)
    return m


def build_national(inputs: Sequence[OptimiserInput]) -> pyo.ConcreteModel:
    """All municipalities in one model: one block per municipality, the sum of their net costs."""
    m = pyo.ConcreteModel(name="allokering, alle kommuner")
    m.M = pyo.Set(initialize=range(len(inputs)), ordered=True)

    def rule(b: pyo.Block, i: int) -> None:
        populate(b, inputs[i])

    m.mun = pyo.Block(m.M, rule=rule)
    m.obj = pyo.Objective(expr=sum(m.mun[i].net_cost for i in m.M), sense=pyo.minimize)
    return m

