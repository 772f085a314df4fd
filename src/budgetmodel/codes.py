"""The codes the whole model shares: benefits and activation types of a person-week panel (and of
rates/refusion_forsoergelse and rates/refusionstrappe_omfattede_ydelser), target groups and expense types of rates/refusion_driftsudgifter.

One list each; the pydantic ``Literal`` types are built from the same tuples, so a panel, a
scenario and the financing inputs can never disagree on a code.
"""

from __future__ import annotations

from typing import Literal

WEEKS_PER_HELAARSPERSON = 52  # a helårsperson is 52 weeks on benefit (ARCHITECTURE.md, vocabulary)

BENEFITS: tuple[str, ...] = (
    "kontanthjaelp",
    "uddannelseshjaelp",
    "integrationsydelse",
    "dagpenge",
    "sygedagpenge",
    "ledighedsydelse",
    "revalidering",
    "fleksjob",
    "ressourceforloeb",
    "jobafklaring",
    "foertidspension",  # tilkendt fra 1. juli 2014 (LBK 221/2021 § 3, stk. 1, nr. 11; § 5, stk. 3)
    "ansat_med_loentilskud",  # a week in subsidised employment WITHOUT a benefit: amount 0 (§ 6, stk. 2)
    "midlertidig_arbejdsmarkedsydelse",  # LAB (L 2013-14), 30.12.2013 -; LBK 221/2021 § 3, stk. 1, nr. 2
)
# codes of the benefit column that are no benefit: a week in employment with wage subsidy is not
# self-support (LBK nr. 221 af 12/02/2021 § 6, stk. 2), nor a week with a benefit (§ 5, stk. 2)
SUBSIDISED_EMPLOYMENT: tuple[str, ...] = ("ansat_med_loentilskud",)
ACTIVATIONS: tuple[str, ...] = (
    "none",
    "virksomhedspraktik",
    "loentilskud",
    "ordinaer_uddannelse",
    "vejledning_opkvalificering",
    "nytteindsats",
    "delvis_raskmelding",
    "mentor",
)
# virksomhedsrettede tilbud (company-based offers, LAB kap. 11-12): virksomhedspraktik and løntilskud
COMPANY_ACTIVATIONS: tuple[str, ...] = ("virksomhedspraktik", "loentilskud")
TARGET_GROUPS: tuple[str, ...] = (  # rates/refusion_driftsudgifter `target_group`
    "kontanthjaelp_jobparat",
    "kontanthjaelp_aktivitetsparat",
    "uddannelseshjaelp_aabenlyst_uddannelsesparat",
    "uddannelseshjaelp_uddannelsesparat",
    "uddannelseshjaelp_aktivitetsparat",
    "dagpenge",
    "sygedagpenge",
    "revalidering",
    "ledighedsydelse",
    "ressourceforloeb",
    "beskaeftiget",
    "foertidspension",  # førtidspensionister outside ressourceforløb (LAB § 195, nr. 1)
)
INDSATS_EXPENSES: tuple[str, ...] = (  # rates/refusion_driftsudgifter `expense`
    "virksomhedsrettet",
    "vejledning_opkvalificering",
    "ordinaer_uddannelse",
    "laese_skrive_regne",
    "mentor",
    "personlig_assistance",
    "loentilskud_voksenelev",
)

# the expense type (rates/refusion_driftsudgifter) an offer of each activation type is booked as
ACTIVATION_EXPENSE: dict[str, str] = {
    "virksomhedspraktik": "virksomhedsrettet",
    "loentilskud": "virksomhedsrettet",
    "nytteindsats": "virksomhedsrettet",
    "vejledning_opkvalificering": "vejledning_opkvalificering",
    "ordinaer_uddannelse": "ordinaer_uddannelse",
    "mentor": "mentor",
}

# target groups with a legal minimum of conversations (rates/samtalekadence `target_group`)
CONTACT_TARGET_GROUPS: tuple[str, ...] = TARGET_GROUPS[:5]
BUDGETGARANTI_EXPENSES: tuple[str, ...] = (  # rates/budgetgaranti `expense`
    "kontanthjaelp",
    "uddannelseshjaelp",
    "aktivering",
    "foertidspension",
    "ressourceforloeb",
    "ledighedsydelse",
    "integration",
    "egu",
    "sygedagpenge",
    "fleksjob",
    "personlige_tillaeg",
    "boligsikring",
    "boligydelse",
    "seniorjob",
    "mentor",
    "dagpenge",
)

# every coded dimension of a rate table and the list it must equal (tests/test_codes_tables.py)
DIMENSION_CODES: dict[tuple[str, str], tuple[str, ...]] = {
    ("refusion_forsoergelse", "benefit"): BENEFITS,
    ("refusion_forsoergelse", "activation"): ACTIVATIONS,
    ("refusionstrappe_omfattede_ydelser", "benefit"): BENEFITS,
    ("tilbud_efter_lab", "activation"): ACTIVATIONS,
    ("refusion_driftsudgifter", "target_group"): TARGET_GROUPS,
    ("refusion_driftsudgifter", "expense"): INDSATS_EXPENSES,
    ("driftsloft_omfattet", "expense"): INDSATS_EXPENSES,
    ("driftsloft_gruppe", "target_group"): TARGET_GROUPS,
    ("mentorramme", "target_group"): TARGET_GROUPS,
    ("samtalekadence", "target_group"): CONTACT_TARGET_GROUPS,
    ("samtalekadence_vindue", "target_group"): CONTACT_TARGET_GROUPS,
    ("budgetgaranti", "expense"): BUDGETGARANTI_EXPENSES,
}
# dimension names that always hold one of the shared code lists (a new table using one must be listed above)
SHARED_DIMENSIONS: frozenset[str] = frozenset({"benefit", "activation", "target_group", "expense"})

Benefit = Literal[BENEFITS]  # type: ignore[valid-type]
Activation = Literal[ACTIVATIONS]  # type: ignore[valid-type]
TargetGroup = Literal[TARGET_GROUPS]  # type: ignore[valid-type]
IndsatsExpense = Literal[INDSATS_EXPENSES]  # type: ignore[valid-type]

# Danish names of the codes, for `budgetmodel koder` and messages. Every code above needs one
# (tests/test_koder.py checks it); the law's own words where it has them.
CODE_NAMES: dict[str, str] = {
    "kontanthjaelp": "Kontanthjælp",
    "uddannelseshjaelp": "Uddannelseshjælp",
    "integrationsydelse": "Integrationsydelse (selvforsørgelses- og hjemrejseydelse, overgangsydelse)",
    "dagpenge": "Arbejdsløshedsdagpenge",
    "sygedagpenge": "Sygedagpenge",
    "ledighedsydelse": "Ledighedsydelse",
    "revalidering": "Revalideringsydelse",
    "fleksjob": "Fleksløntilskud (fleksjob)",
    "ressourceforloeb": "Ressourceforløbsydelse under ressourceforløb",
    "jobafklaring": "Ressourceforløbsydelse under jobafklaringsforløb",
    "foertidspension": "Førtidspension (tilkendt fra 1. juli 2014)",
    "ansat_med_loentilskud": "Ansat med løntilskud uden ydelse (støttet beskæftigelse, beløb 0)",
    "midlertidig_arbejdsmarkedsydelse": "Midlertidig arbejdsmarkedsydelse",
    "none": "Ingen aktivering i ugen (passiv periode)",
    "virksomhedspraktik": "Virksomhedspraktik (virksomhedsrettet tilbud)",
    "loentilskud": "Ansættelse med løntilskud (virksomhedsrettet tilbud)",
    "ordinaer_uddannelse": "Ordinær uddannelse",
    "vejledning_opkvalificering": "Vejledning og opkvalificering",
    "nytteindsats": "Nytteindsats",
    "delvis_raskmelding": "Delvis raskmelding",
    "mentor": "Mentorstøtte",
}
