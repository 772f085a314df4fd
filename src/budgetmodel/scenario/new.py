"""`budgetmodel ny`: a basis scenario for one's own municipality under current law and its staff
profile, every field explained in a Danish comment and every number the model cannot know marked
``value: null  # UDFYLD`` (the profile's plain numbers: ``UDFYLD``); ``budgetmodel validate`` lists
those as 'mangler', with file, line and field. The law section is written from the schema's
required fields (dates = the first budget year's 1 January), so it follows the schema.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from budgetmodel.scenario import schema

FILL = "UDFYLD"



def _q(text: str) -> str:
    """A name as a quoted YAML scalar (a name starting with @, =, # or a quote stays text)."""
    import json

    return json.dumps(text, ensure_ascii=False)

def slug(name: str) -> str:
    text = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "kommune"


def _unknown(indent: str, what: str) -> str:
    return (
        f"{indent}value: null  # {FILL}: {what}\n"
        f"{indent}status: data  # data (egne tal), fra_notat, derived (beregnet, forklar i note), law eller assumption\n"
        f'{indent}source: "{FILL}: hvor tallet kommer fra (system, udtræk, dato)"\n'
    )


def _law(first: int) -> str:
    """The required fields of the law section, each a date: current law from the first budget year."""
    required = [n for n, info in schema.Law.model_fields.items() if info.is_required()]
    if not required:  # current law: each week by the law in force that week
        return "law: {}  # gældende lov: hver uge prissættes efter loven i kraft den uge (satserne ligger i rates/, se budgetmodel rates list)\n"
    out = ["law:  # hvilken lov der prissætter scenariet; satserne selv ligger i rates/ (budgetmodel rates list)\n"]
    for name, info in schema.Law.model_fields.items():
        if info.is_required():
            ann = str(info.annotation)
            if "date" in ann.lower():
                out.append(f"  {name}: {first}-01-01  # gældende lov pr. budgetårets start\n")
            else:
                out.append(f"  {name}: null  # {FILL}: se docs/scenario-reference.md, afsnit Law\n")
    return "".join(out)


GROUPS = (
    ("kontanthjaelp_jobparat", "Jobparate kontanthjælpsmodtagere", "kontanthjaelp_jobparat", "kontanthjaelp"),
    ("kontanthjaelp_aktivitetsparat", "Aktivitetsparate kontanthjælpsmodtagere", "kontanthjaelp_aktivitetsparat", "kontanthjaelp"),
    ("sygedagpenge", "Sygedagpengemodtagere", "sygedagpenge", "sygedagpenge"),
)


def staircase_bands(book, first: int) -> list[tuple[str, float]]:
    """The refusionstrappe's count-week bands and state shares (pct.) in force on 1 January of the
    first budget year, from the rate book (empty before the staircase, 2016-01-04)."""
    from budgetmodel.rates.schema import parse_band

    values = book.table("refusionstrappe").in_force(dt.date(first, 1, 1))
    return sorted(((v.where["count_week"], float(v.value)) for v in values), key=lambda b: parse_band(b[0])[0])


def _duration(bands: list[tuple[str, float]]) -> str:
    if not bands:
        return "        # duration: andel pr. varighedsbånd (se docs/scenario-reference.md, CaseloadGroup)\n"
    shares = ", ".join(f"{band}: {pct:g} pct." for band, pct in bands)
    out = [f"        duration:  # andel af helårspersonerne efter uge på refusionstrappen (statens refusion {shares}); summer til 1\n"]
    for band, _pct in bands:
        out.append(f'          "{band}": {{value: null, status: data, source: "{FILL}: andel i uge {band}, fx fra eget udtræk (budgetmodel refund)"}}  # {FILL}\n')
    return "".join(out)


def template(name: str, first: int, last: int, staff: str | None = None, bands: list[tuple[str, float]] | None = None) -> str:
    """The basis scenario's YAML text (deterministic: no dates of today); ``staff``: the staff
    profile's file name (beside the scenario), default :func:`profile_file`; ``bands``: the
    staircase's bands in force at the first year (:func:`staircase_bands`), default the bundled law's."""
    staff = staff or profile_file(name)
    if bands is None:
        from budgetmodel.rates import load_rates

        bands = staircase_bands(load_rates(), first)
    if last < first:
        raise ValueError("det sidste år må ikke ligge før det første")
    years = ", ".join(str(y) for y in range(first, last + 1))
    groups = []
    for key, label, tg, benefit in GROUPS:
        groups.append(
            f"      {key}:  # én målgruppe; tilføj eller slet grupper efter kommunens egen opdeling\n"
            f"        label: {label}\n"
            f"        target_group: {tg}  # målgruppe i rates/refusion_driftsudgifter (se docs/scenario-reference.md, TargetGroup)\n"
            f"        benefit: {benefit}  # ydelseskode (budgetmodel koder)\n"
            f"        staff_group: {STAFF_OF_GROUP[tg]}  # målgruppen i personaleprofilen, hvis medarbejdere betjener gruppen\n"
            f"        age: alle  # under_30, over_30 eller alle\n"
            f"        helaarspersoner:  # helårspersoner på ydelsen i et budgetår (personer × andel af året)\n"
            + _unknown("          ", "antal helårspersoner, fx fra Jobindsats eller eget ydelsessystem")
            + f"        benefit_dkk_per_helaarsperson:  # ydelsen i kr. pr. helårsperson om året (brutto, før refusion)\n"
            + _unknown("          ", "kr. pr. helårsperson, fx den gennemsnitlige udbetaling i eget ydelsessystem")
            + _duration(bands)
        )
    return (
        f"# Budgetgrundlag for {name} {first}-{last} under gældende lov, skrevet af `budgetmodel ny`.\n"
        f"# Udfyld hvert felt markeret {FILL} (value: null) og kør `budgetmodel validate FIL`: den lister\n"
        f"# hvad der mangler, med linje og felt. Alle felter er forklaret i docs/scenario-reference.md.\n"
        f"# Hvert tal har en kilde (source) og en status: data (kommunens egne tal), fra_notat (trykt i et\n"
        f"# dokument), derived (beregnet; regnestykket i note), law (loven) eller assumption (en antagelse).\n"
        f"kind: scenario\n"
        f"id: {slug(name)}-basis\n"
        f"title: {_q(f'{name} {first}-{last}, budgetgrundlag')}\n"
        f"description: Kommunens sagsstamme, personale og priser under gældende lov, uden initiativer.\n"
        f"years: [{years}]  # budgetårene (kalenderår, uden huller)\n"
        f"\n"
        f"municipality:\n"
        f"  name: {_q(name)}\n"
        f"  bloktilskud_share:  # kommunens andel af det samlede bloktilskud (andel 0-1, fx 0.00935)\n"
        + _unknown("    ", "andel af bloktilskuddet, fx fra Indenrigs- og Boligministeriets tilskudsudmelding")
        + f"  prices:\n"
        f"    wage_dkk_per_aarsvaerk:  # en sagsbehandlers årsløn i kr. pr. årsværk (uden overhead)\n"
        + _unknown("      ", "årsløn i kr.")
        + f"    helaarstilbud_dkk:  # pris i kr. for et helårstilbud købt hos en ekstern leverandør, efter alder\n"
        f"      alle:\n"
        + _unknown("        ", "pris i kr. pr. helårstilbud")
        + f"  caseload:\n"
        f'    source: "{FILL}: hvor sagsstammen kommer fra (system og dato for udtrækket)"\n'
        f"    groups:\n" + "".join(groups)
        + f"  staff:  # jobcentrets personale: årsværk og årspersoner pr. målgruppe (bruges af benchmark, enhedsomkostninger og optimering)\n"
        f"    profile: {staff}  # personaleprofilen, skrevet af budgetmodel ny ved siden af denne fil\n"
        f"\n"
        + _law(first)
        + f"\n"
        f"assumptions:  # antagelser, aldrig lov: det en følsomhedsberegning varierer\n"
        f"  duration_effect:  # relativ forkortelse af tiden på ydelse for deltagere i virksomhedsrettede tilbud (andel 0-1)\n"
        f"    value: 0\n"
        f"    status: assumption\n"
        f'    source: "Antagelse: ingen effekt, indtil kommunen har en målt effekt"\n'
        f"  caseload_growth:  # årlig vækst i sagsstammen (andel; 0 = uændret)\n"
        f"    value: 0\n"
        f"    status: assumption\n"
        f'    source: "Antagelse: uændret sagsstamme i budgetperioden"\n'
    )


def parse_years(text: str) -> tuple[int, int]:
    """'2027-2030' → (2027, 2030); '2027' → (2027, 2027); ValueError in Danish otherwise."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", text)
    if not m:
        raise ValueError(f"'{text}' er ikke en periode (forventede ÅÅÅÅ-ÅÅÅÅ, fx 2027-2030)")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if last < first:
        raise ValueError(f"'{text}': sidste år kommer før første")
    if not 2000 <= first <= 2100 or not 2000 <= last <= 2100:
        raise ValueError(f"'{text}': årene skal ligge i 2000-2100")
    return first, last


def today_year() -> int:
    return dt.date.today().year


# The staff profile's target groups (the unit-cost model's, Mploy/Kibak's groups) with what each
# covers under current law; the scenario's caseload groups point at them through staff_group.
STAFF_GROUPS = (
    ("a_dagpenge", "forsikrede ledige på dagpenge"),
    ("kontanthjaelp_match1", "jobparate kontanthjælpsmodtagere (efter 1.7.2025 også de unge, der før fik uddannelseshjælp)"),
    ("kontanthjaelp_match23", "aktivitetsparate kontanthjælpsmodtagere"),
    ("uddannelsesydelse", "uddannelseshjælp: ophævet 1.7.2025 (kontanthjælpsreformen); slet gruppen for budgetår derefter"),
    ("sygedagpenge", "sygedagpengemodtagere"),
    ("ledighedsydelse", "ledighedsydelse (visiterede til fleksjob uden job)"),
    ("revalidering", "revalidender"),
    ("ressourceforloeb", "ressourceforløb (lukket for nye forløb fra 2026)"),
)
STAFF_OF_GROUP = {"kontanthjaelp_jobparat": "kontanthjaelp_match1", "kontanthjaelp_aktivitetsparat": "kontanthjaelp_match23", "sygedagpenge": "sygedagpenge"}


def profile_file(name: str) -> str:
    """The staff profile's file name beside the scenario (``ringsted-kommune-personale.yaml``)."""
    return f"{slug(name)}-personale.yaml"


def staff_template(name: str, first: int) -> str:
    """The staff profile's YAML text: årsværk and årspersoner by target group, every number UDFYLD."""
    groups = "".join(
        f"  {key}:  # {what}\n"
        f"    aarsvaerk: {FILL}  # årsværk (fuldtidsstillinger) på målgruppen, inkl. teamledelse; fx fra lønsystemet\n"
        f"    aarspersoner: {FILL}  # helårspersoner på ydelse i målgruppen (= fuldtidspersoner i Jobindsats)\n"
        for key, what in STAFF_GROUPS
    )
    return (
        f"# Personaleprofil for {name}s jobcenter (enhedsomkostningsprofil), skrevet af `budgetmodel ny`.\n"
        f"# Scenariet henter den med municipality.staff.profile. Udfyld hvert {FILL} med kommunens egne tal\n"
        f"# (årsværk fra lønsystemet eller organisationsdiagrammet, årspersoner fra Jobindsats eller\n"
        f"# ydelsessystemet) og slet de målgrupper, kommunen ikke har. `budgetmodel validate` på scenariet\n"
        f"# lister det, der mangler, med linje og felt i denne fil. Felterne: docs/scenario-reference.md\n"
        f"# (UnitCostProfile og GroupStaff); eksempler: data/profiles/*.yaml.\n"
        f"municipality: {_q(name)}\n"
        f"reference_year: {first}  # året tallene gælder for\n"
        f'source: "{FILL}: hvor tallene kommer fra (system, udtræk, dato)"\n'
        f"target_groups:  # pr. målgruppe (Mploy/Kibak-benchmarkets grupper, se budgetmodel benchmark)\n"
        + groups
        + f"# Valgfrit (ellers antagelserne i data/assumptions/unitcost.yaml): salary_dkk_per_aarsvaerk (årsløn i kr.),\n"
        f"# overhead_share (andel 0-1), productive_hours_per_aarsvaerk (timer); pr. målgruppe også tasks (årsværk\n"
        f"# pr. opgave: modtagelse, sagsbehandling, virksomhedsindsats, teamledelse), samtaler og virksomhedsplaceringer.\n"
    )
