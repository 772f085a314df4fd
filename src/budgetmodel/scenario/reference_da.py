"""The scenario reference's Danish words: what each field means, its unit, and an example where the
bundled scenarios (``scenarios/``, ``tests/fixtures/scenarios/``) hold none.

Under each model's name an optional ``= beskrivelse`` line, then one line per field:
``felt | betydning | enhed | eksempel`` (the example is YAML as
it is written in a scenario, and may be left empty when a bundled scenario has the field; the unit
``–`` for a text or a section). :mod:`budgetmodel.scenario.reference` reads it, and
``tests/test_scenario_reference.py`` fails when a field of the schema has no line here, or a line
names a field the schema does not have.
"""

from __future__ import annotations

TABLE = r"""
[Scenario]
= En scenariefil (`kind: scenario`): en kommune og dens valg, i afsnit der holdes adskilt med vilje.
kind | filens slags: altid `scenario` (et stykke, der lægges ind med extends, er `scenario-fragment`) | – |
id | scenariets id: små bogstaver, tal, punktum, bindestreg; står i filnavne og fodnoter | – |
title | titel i notater og tabeller | – |
description | kort beskrivelse af scenariet | – |
years | budgetårene (kalenderår, fortløbende) | år |
municipality | kommunen: navn, sagsstamme, personale, priser, andel af bloktilskuddet | – |
law | hvilken lov der prissætter scenariet, og reformer lagt over loven | – |
budget | budgetlinjer fra deres årsager (budgetgaranti, mentor, driftsloft, beskæftigelsestilskud …) | – |
initiatives | initiativer: ændringer af sagsstammen med start og varighed, nøgle = initiativets id | – |
assumptions | antagelser, aldrig lov: det en følsomhedsberegning varierer | – |
sensitivity | følsomhed: tornado og Monte Carlo | – |
memo | notatets tekst: skabelon, overskrift, resumé, baggrund | – |
methods | de offentliggjorte analyser på kommunens egne tal (BDO, Quartz+Co, STAR, Mploy) | – | {benchmark: true, memo: true}

[Municipality]
= Kommunen: sagsstamme, personale, priser og andel af bloktilskuddet.
name | kommunens navn | – |
kommunekode | kommunenummer (Danmarks Statistik, 101-999) | kode |
bloktilskud_share | kommunens andel af det samlede bloktilskud (nøglen for DUT og budgetgaranti) | andel 0-1 |
population_18_64 | antal 18-64-årige | personer |
caseload | sagsstammen: målgrupper med helårspersoner, ydelse, aktivering og varighed | – |
staff | jobcentrets personale: årsværk og årspersoner pr. målgruppe (eller `profile: fil.yaml`) | – |
prices | priser: årsløn pr. årsværk og pris pr. helårstilbud | – |
driftsloft_pool | puljen under driftsloftet (2014-2019): helårspersoner og driftsudgifter | – |

[Caseload]
source | hvor sagsstammen kommer fra (system, udtræk, dato) | – |
groups | målgrupperne; nøglen er gruppens id (fx `aktivitetsparate`) | – |
forecast | sagsstammen som prognose fra et personugepanel (budgetmodel forecast) | – | {panel: panel.csv, years: 4, note: Eget udtræk 2023-2025}

[CaseloadGroup]
= Personer på ydelse i én målgruppe. `activation` giver andelen pr. aktiveringstype (resten: ingen), `duration` andelen pr. varighedsbånd på refusionsoptællingen (summer til 1); cellerne er helårspersoner × aktiveringsandel × varighedsandel.
label | gruppens navn i tabeller | – |
target_group | målgruppen i refusions- og lofttabellerne (rates/) | kode |
benefit | ydelsen (budgetmodel koder) | kode |
age | aldersgruppe | – |
helaarspersoner | helårspersoner på ydelsen i et budgetår | helårspersoner |
long_term_helaarspersoner | heraf på offentlig forsørgelse i mindst et år | helårspersoner |
placeable_share | andel der kan placeres i virksomhedsrettede tilbud | andel 0-1 |
activatable_share | andel der overhovedet kan aktiveres | andel 0-1 |
benefit_dkk_per_helaarsperson | ydelsen pr. helårsperson om året: et tal, en sats fra rates/ eller en liste af satser, der lægges sammen | kr. pr. helårsperson pr. år |
benefit_label | hvad notatet kalder ydelsesniveauet, fx 'takst for ej-forsørger' | – |
activation | andel af helårspersonerne pr. aktiveringstype (resten: ingen aktivering) | andel 0-1 |
duration | andel pr. varighedsbånd i uger på refusionsoptællingen ('1-4', '5-26', '27-52', '53+'); summer til 1 | andel 0-1 |
purchases | helårstilbud købt om året pr. tilbudstype | helårstilbud pr. år |
activation_duty_helaarspersoner | mindste antal helårspersoner i tilbud, hvis der er en aktiveringspligt | helårspersoner | {value: 40, source: "Eget skøn over aktiveringspligten", status: assumption}
first_3_months_share | andel i de første 3 måneder (visitationssamtaler) | andel 0-1 |
staff_group | målgruppen i municipality.staff.target_groups, hvis personale betjener gruppen | – |

[Prices]
wage_dkk_per_aarsvaerk | en sagsbehandlers årsløn (uden overhead) | kr. pr. årsværk pr. år |
helaarstilbud_dkk | pris for ét helårstilbud hos en ekstern leverandør, pr. aldersgruppe | kr. pr. helårstilbud |

[DriftsloftPool]
helaarspersoner | helårspersoner under driftsloftet | helårspersoner |
operating_expenses_dkk | driftsudgifter til aktivering under loftet | kr. pr. år |

[ForecastCaseload]
panel | personugepanelet (CSV eller Parquet), relativt til scenariefilen | – | panel.csv
years | antal kalenderår, der fremskrives | år | 4
inflow_growth | årlig vækst i tilgangen (0,1 = 10 pct.) | andel pr. år | {value: 0.02, source: "Eget skøn over tilgangen", status: assumption}
assumptions | en fil med en `forecast:`-sektion (antagelser for prognosen) | – | prognose.yaml
note | note om panelet | – | "Eget udtræk 2023-2025 fra ydelsessystemet"

[UnitCostProfile]
= Jobcentrets personale pr. målgruppe (enhedsomkostningsprofil); `budgetmodel ny` skriver en som KOMMUNE-personale.yaml.
municipality | kommunens navn | – |
reference_year | året tallene gælder for | år |
source | hvor tallene kommer fra | – |
target_groups | årsværk og årspersoner pr. målgruppe (Mploy/Kibak-benchmarkets grupper) | – |
cross_cutting | tværgående årsværk: administration, strategisk ledelse, diverse | årsværk |
aarspersoner_total | årspersoner i alt, hvis kommunen opgiver tallet (ellers summen af grupperne) | årspersoner |
aarsvaerk_total_stated | årsværk i alt som kommunen opgiver det (skal stemme med rækkerne inden for afrunding) | årsværk |
heraf_aarsvaerk | heraf-rækker: ledelse, virksomhedsindsats, puljer og løntilskud | årsværk |
salary_dkk_per_aarsvaerk | årsløn pr. årsværk (ellers antagelsen i data/assumptions/unitcost.yaml) | kr. pr. årsværk | 501689
overhead_share | overhead som andel af lønnen (ellers antagelsen) | andel 0-1 | 0.15
productive_hours_per_aarsvaerk | produktive timer pr. årsværk (ellers antagelsen) | timer pr. år | 1428

[GroupStaff]
aarsvaerk | årsværk på målgruppen inkl. teamledelse | årsværk |
aarspersoner | helårspersoner på ydelse i målgruppen (årspersoner = fuldtidspersoner) | årspersoner |
tasks | fordeling af årsværkene på opgaver (modtagelse, sagsbehandling, virksomhedsindsats, teamledelse) | årsværk |
external_dkk | eksterne køb for målgruppen | kr. pr. år | 1250000
samtaler | samtaler om året | samtaler pr. år |
virksomhedsplaceringer | virksomhedsplaceringer startet om året | placeringer pr. år |

[Law]
= Loven: hver uge prissættes efter loven i kraft den uge; `as_if` prissætter alle år efter én dato; `overrides` lægger en reform over satserne i rates/.
as_if | prissæt alle år efter loven på én dato (et "hvad nu hvis"; notatet siger det) | dato ÅÅÅÅ-MM-DD |
rates_at | dato for opslag af satser, hvor det afviger fra budgetåret | dato ÅÅÅÅ-MM-DD |
overrides | reform lagt over loven: ændrede satser med tabel, celle, gyldighed og kilde | – | [{table: refusionstrappe, where: {count_week: "53+"}, valid_from: 2028-01-01, value: 15, source: "Lovforslag L 999 (eksempel)", note: Reform}]
changes | lovændringer scenariet bygger på (titel, ikrafttræden, kilde) | – |
note | note om lovgrundlaget | – |

[LawChange]
title | lovændringens titel | – |
in_force | ikrafttrædelsesdato | dato ÅÅÅÅ-MM-DD |
source | lov, lovforslag eller bekendtgørelse | – |
note | note | – |

[LawOverride]
table | satstabellens id i rates/ (budgetmodel rates list) | – | refusionstrappe
where | cellen i tabellen (dimension: værdi) | – | {count_week: "53+"}
valid_from | første dag den nye værdi gælder | dato ÅÅÅÅ-MM-DD | 2028-01-01
valid_to | sidste dag (tom = uden slut) | dato ÅÅÅÅ-MM-DD | 2030-12-31
value | den nye værdi i tabellens enhed | tabellens enhed | 15
source | reformens kilde (lovforslag, aftale) | – | "Lovforslag L 999 (eksempel)"
note | note | – | "Reformens nedsættelse af refusionen efter et år"

[Budget]
= Budgetlinjerne fra deres årsager; trykte tal er kontroller, aldrig input.
budgetgaranti | reformens lokale virkning mod statens regulering (budgetgarantien) | – |
mentor | mentorrammen (2014-2015) | – |
driftsloft | driftsloftet (2014-2019): tabt refusion | – |
oevo_mentor | ØVO og mentor over beløbsgrænsen fra 2026 (LAB § 203 a) | – | {label: ØVO og mentor over beløbsgrænsen, spending: {label: Udgifter, unit: dkk, by_year: {"2027": 12000000}, source: "Budget 2027", status: data}, fuldtidspersoner: {label: Fuldtidspersoner, unit: count, by_year: {"2027": 900}, source: "Jobindsats", status: data}}
beskaeftigelsestilskud | beskæftigelsestilskuddet pr. tilskudsår | – |
fixed_lines | linjer taget som trykt i et dokument, fx puljen | – |
caseload_groups | målgrupper, hvis nettoudgift efter statens andel er en budgetlinje | – |
total | trykt 'Samlet budgetudfordring' (en kontrol) | – |
netto | trykt 'Samlet budgetudfordring, netto' (en kontrol) | – |

[Budgetgaranti]
title | titel | – |
parts | reformens dele, hver med linjer, nationalt beløb og fordelingsnøgle | – |
covered_expenses_share | kommunens andel af de udgifter garantien dækker (nøglen covered_expenses) | andel 0-1 | {value: 0.0093, source: "Udgiftsbaseret nøgle, eget skøn", status: assumption}
summary | trykt sammenfatning (kontroller) | – |

[BudgetgarantiPart]
title | delens titel | – |
lines | kommunens egne linjer; deres sum er den lokale virkning | – |
national | det nationale beløb (DUT eller budgetgaranti) | 1.000 kr. |
key | fordelingsnøglen: bloktilskud eller dækkede udgifter | – | covered_expenses
local | trykt 'I alt' (en kontrol) | 1.000 kr. |
state | trykt 'Ifølge staten' (en kontrol) | 1.000 kr. |
difference | trykt 'Forskel' (en kontrol) | 1.000 kr. |

[BudgetgarantiSummary]
local | trykt lokal virkning i alt (en kontrol) | 1.000 kr. |
state | trykt statens regulering i alt (en kontrol) | 1.000 kr. |
difference | trykt forskel i alt (en kontrol) | 1.000 kr. |

[ReformLine]
label | linjens navn | – |
unit | enhed: tdkk (1.000 kr.), dkk (kr.) eller count (antal) | – |
by_year | værdien pr. år | linjens enhed |
source | kilde | – |
status | status | – |
note | note | – |
printed | det trykte tal, hvor værdien er en læsning inden for dokumentets afrunding | linjens enhed |
computed | linjen regnet fra sagsstamme og udgifter under ny og gammel lov | – | {caseload: [{group: aktivitetsparate, band: "53+", helaarspersoner: {label: Færre, unit: count, by_year: {"2027": -10}, source: "Eget skøn", status: assumption}}]}
same_as | eller: samme beløb som en anden serie i budgettet (sti fra budget.) | – |

[ReformComputation]
caseload | ændringer i sagsstammen (helårspersoner pr. celle) | – | [{group: aktivitetsparate, band: "53+", helaarspersoner: {label: Færre, unit: count, by_year: {"2027": -10}, source: "Eget skøn", status: assumption}}]
expenses | ændringer i driftsudgifter pr. celle | – | [{label: Færre tilbud, target_group: kontanthjaelp_aktivitetsparat, activation: vejledning_opkvalificering, benefit_month: 13, amount: {label: Udgift, unit: tdkk, by_year: {"2027": -500}, source: "Eget skøn", status: assumption}}]
old_law | den gamle lov, linjen sammenlignes med | – | {as_if: 2015-12-31}

[ReformCaseloadCell]
group | målgruppen i municipality.caseload.groups | – | aktivitetsparate
benefit | ydelsen (standard: gruppens) | kode | kontanthjaelp
activation | aktiveringstypen (standard: gruppens fordeling) | kode | none
band | varighedsbånd på refusionsoptællingen, fx '53+' (standard: gruppens fordeling) | uger | "53+"
benefit_dkk_per_helaarsperson | ydelsen pr. helårsperson (standard: gruppens) | kr. pr. helårsperson | {value: 150000, source: "Eget tal", status: data}
helaarspersoner | ændringen i helårspersoner pr. år (negativ = færre) | helårspersoner | {label: Færre, unit: count, by_year: {"2027": -10}, source: "Eget skøn", status: assumption}

[ReformExpenseCell]
label | linjens navn | – | Færre tilbud
target_group | målgruppen i refusionstabellen | kode | kontanthjaelp_aktivitetsparat
activation | tilbudstypen | kode | vejledning_opkvalificering
benefit_month | måned i kontanthjælpsforløbet (reglen for jobparate) | måned | 13
amount | beløbet pr. år | 1.000 kr. eller kr. | {label: Udgift, unit: tdkk, by_year: {"2027": -500}, source: "Eget skøn", status: assumption}

[OldLaw]
as_if | datoen for den gamle lov | dato ÅÅÅÅ-MM-DD | 2015-12-31
overrides | om scenariets law.overrides også gælder under den gamle lov | – | false

[Mentor]
basis | netto- eller bruttoudgifter | – |
ramme_dkk | den udmeldte mentorramme | kr. |
lines | mentorudgifter pr. målgruppe | – |
budget | trykt 'Budget mentor' (en kontrol) | 1.000 kr. |
challenge | trykt 'Samlet budgetudfordring' (en kontrol) | 1.000 kr. |

[MentorLine]
label | linjens navn | – |
target_group | målgruppen: afgør refusionen (under rammen, uden loft for ressourceforløb, eller ingen) | kode |
amount | udgiften pr. år | 1.000 kr. |

[Driftsloft]
basis | loftet som udmeldt eller genberegnet | – |
old_loft | det gamle loft og dets kilde | – |
helaarspersoner | helårspersoner pr. målgruppe under loftet | helårspersoner |
expenses | driftsudgifter pr. refusionscelle | – |
loss_dkk_per_helaarsperson | trykt 'Tab pr. helårsperson i kr.' (en kontrol) | kr. pr. helårsperson |
challenge | trykt 'Samlet budgetudfordring i 1.000 kr.' (en kontrol) | 1.000 kr. |

[DriftsloftExpense]
label | linjens navn | – |
target_group | målgruppen i refusionstabellen | kode |
expense | udgiftstypen (virksomhedsrettet, vejledning og opkvalificering …) | kode |
benefit_month | måned på ydelse (refusionen af driftsudgifter afhænger af den) | måned | 7
amount | udgiften pr. år | 1.000 kr. |

[OldLoft]
basis | det gamle loft: udmeldt, genberegnet eller ikke bindende | – |
source | kilde | – |
status | status | – |
note | note | – |

[OevoMentor]
label | linjens navn | – | ØVO og mentor over beløbsgrænsen
spending | udgifter til ØVO og mentor pr. år | kr. eller 1.000 kr. | {label: Udgifter, unit: dkk, by_year: {"2027": 12000000}, source: "Budget 2027", status: data}
fuldtidspersoner | fuldtidspersoner pr. år | fuldtidspersoner | {label: Fuldtidspersoner, unit: count, by_year: {"2027": 900}, source: "Jobindsats", status: data}

[Beskaeftigelsestilskud]
label | linjens navn | – | Beskæftigelsestilskud
years | tilskudsårene; nøgle = året | – |

[BeskaeftigelsestilskudYear]
price_wage_factor | pris- og lønfremskrivning fra tilskudsåret − 2 til tilskudsåret | faktor |
own | kommunens egne tal | – |
landsdel | landsdelens tal | – |

[BeskaeftigelsestilskudOwn]
grant_two_years_before_dkk | kommunens samlede beskæftigelsestilskud i tilskudsåret − 2 | kr. |
unemployed_key_year | bruttoledige i nøgleåret (tilskudsåret − 2) | personer |
unemployed_grant_year | bruttoledige i tilskudsåret | personer |
net_expenses_dkk | kommunens nettoudgifter til forsikrede ledige (tilskuddets område) | kr. |

[BeskaeftigelsestilskudLandsdel]
name | landsdelens navn | – |
grundtilskud_dkk | grundtilskuddet til alle landsdelens kommuner | kr. |
net_expenses_foreloebig_dkk | forventede nettoudgifter, da tilskuddet blev udmeldt | kr. |
net_expenses_midtvejs_dkk | nettoudgifter ved midtvejsreguleringen (i tilskudsåret) | kr. |
net_expenses_endelig_dkk | faktiske nettoudgifter ved efterreguleringen (året efter) | kr. |
unemployed_key_year | bruttoledige i nøgleåret | personer |
unemployed_grant_year | bruttoledige i tilskudsåret | personer |

[Initiative]
= En ændring af sagsstammen med start og varighed: medarbejdere, der flytter deltagere fra én aktivering til en anden, kortere tid på ydelse og ændrede køb af tilbud. Lønnen er `municipality.prices.wage_dkk_per_aarsvaerk`, medmindre initiativet giver sin egen.
title | initiativets titel | – |
start | startdato | dato ÅÅÅÅ-MM-DD |
duration_months | varighed | måneder |
target_group | målgruppen deltagerne kommer fra (nøgle i municipality.caseload.groups) | – |
staff_label | hvad medarbejderne kaldes i tabeller, fx 'personlige jobformidlere' | – |
staff_count | ansatte | årsværk |
wage_dkk_per_staff | årsløn pr. medarbejder (standard: municipality.prices.wage_dkk_per_aarsvaerk) | kr. pr. år | {value: 540000, source: "Lønsystemet, virksomhedskonsulenter", status: data}
wage_dkk_per_year | den samlede årsløn for staff_count medarbejdere, som opgivet | kr. pr. år |
persons_per_staff | deltagere pr. medarbejder i den nye aktivering | helårspersoner pr. årsværk |
participants | eller: deltagere i alt (helårspersoner ved fuld effekt) | helårspersoner |
from_activation | hvorfra deltagerne flyttes (først herfra, så fra gruppens andre ikke-virksomhedsrettede aktiveringer) | kode |
to_activation | hvortil deltagerne flyttes | kode |
participant_week | deltagernes uge på refusionsoptællingen (eller i forløbet under 2014-reglerne) | uge |
participant_benefit_month | deltagernes måned på ydelse (refusion af driftsudgifter) | måned |
duration_effect | relativ forkortelse af deltagernes tid på ydelse (standard: assumptions.duration_effect) | andel 0-1 |
offer_reductions | færre købte helårstilbud pr. aldersgruppe | – |
offers | ændrede køb af tilbud pr. målgruppe, tilbudstype og pris | – | [{group: aktivitetsparate, activation: vejledning_opkvalificering, helaarstilbud: {value: -10, source: "Eget skøn", status: assumption}, price_dkk: {value: 60000, source: "Kontrakt 2026", status: data}}]
note | note | – |

[OfferReduction]
helaarstilbud | helårstilbud færre om året ved fuld effekt | helårstilbud pr. år |
price_dkk | pris pr. helårstilbud (standard: municipality.prices.helaarstilbud_dkk for aldersgruppen) | kr. pr. helårstilbud | {value: 60000, source: "Kontrakt 2026", status: data}

[OfferChange]
group | målgruppen (nøgle i municipality.caseload.groups) | – | aktivitetsparate
activation | tilbudstypen der købes | kode | vejledning_opkvalificering
helaarstilbud | ændringen pr. år ved fuld effekt (+ flere, − færre) | helårstilbud pr. år | {value: -10, source: "Eget skøn", status: assumption}
price_dkk | pris pr. helårstilbud | kr. pr. helårstilbud | {value: 60000, source: "Kontrakt 2026", status: data}
benefit_month | måned på ydelse (standard: initiativets participant_benefit_month) | måned | 13

[Assumptions]
= Antagelser, aldrig lov: det en følsomhedsberegning varierer.
duration_effect | relativ forkortelse af tiden på ydelse for deltagere (0 som i de offentliggjorte cases) | andel 0-1 |
caseload_growth | årlig vækst i sagsstammen (0 = uændret) | andel pr. år |
weeks_per_placement | gennemsnitlig længde af én virksomhedsplacering | uger |
keep_current_staff | medarbejdere kan flyttes mellem opgaver, ikke afskediges (optimeringen) | ja/nej |
optimiser_budget_dkk | løn og køb optimeringen må bruge (standard: dagens) | kr. pr. år | {value: 25000000, source: "Budget 2027, jobcentret", status: data}
other | andre navngivne antagelser, som følsomheden kan variere | – | {ledighed_2028: {value: 0.045, source: "Finansministeriets prognose (eksempel)", status: assumption}}

[Sensitivity]
seed | frø til Monte Carlo (samme frø, samme tal) | heltal |
draws | antal Monte Carlo-træk | træk |
measure | hvad følsomheden måler: initiativerne, budgettet eller sagsstammen | – |
tornado | input der varieres ét ad gangen | – |
monte_carlo | usikre input, der trækkes samtidig | – |

[TornadoItem]
parameter | sti til et tal med kilde, fx initiatives.personlig_jobformidler.persons_per_staff | – |
label | navn i figuren | – |
low | lav værdi | inputtets enhed |
high | høj værdi | inputtets enhed |
relative_pct | eller: lav/høj = basis × (1 ∓ relative_pct/100) | pct. |

[Uncertain]
parameter | sti til et tal med kilde | – |
label | navn i figuren | – |
distribution | fordeling: trekant eller ligefordeling | – |
low | laveste værdi | inputtets enhed |
mode | mest sandsynlige værdi (trekant; med relative_pct basisværdien) | inputtets enhed |
high | højeste værdi | inputtets enhed |
relative_pct | eller: interval = basis × (1 ∓ relative_pct/100) | pct. |

[Memo]
template | notattype: business case, reform eller budget | – |
heading | overskrift | – |
subheading | underoverskrift | – |
date | notatets dato | dato ÅÅÅÅ-MM-DD |
journal | journalnummer | – | "27.00.00-Ø00-1-27"
author | forfatter | – |
summary | resumé, ét afsnit pr. punkt | – |
background | baggrund, ét afsnit pr. punkt | – |
source | kilde til notatets tekst | – |

[MethodsSection]
memo | et dansk afsnit i notatet med analyserne | ja/nej | true
bdo | BDO/HBS 2024-profil (enhedsomkostninger) | – | {municipality: Testrup Kommune, target_groups: {kontanthjaelp: {fuldtidspersoner: 400, borgernaere_aarsvaerk: 12}}}
quartz | Quartz+Co 2014-profil (tidsforbrug, produktivitet) | – | {municipality: Testrup Kommune, aarsvaerk: {sagsbehandlere: 40}}
passivity | STAR 2018: passive langtidsmodtagere i et panel | – | {panel: panel.csv, at: 2025-W20}
benchmark | Mploy/Kibak-benchmark af municipality.staff | ja/nej | true

[BdoProfile]
municipality | kommunens navn | – | Testrup Kommune
year | året tallene gælder for | år | 2026
overhead_share | overhead som andel (ellers BDO's 15 pct.) | andel 0-1 | 0.15
functions | personale pr. funktion: borgernære, tværgående, ydelse, ledelse | – | {ledelse: {maanedsloen_dkk: 62000, aarsvaerk: 3}}
target_groups | pr. målgruppe: fuldtidspersoner, borgernære årsværk, eksterne køb … | – | {kontanthjaelp: {fuldtidspersoner: 400, borgernaere_aarsvaerk: 12}}
andet | borgernære årsværk og eksterne køb uden for målgrupperne | – | {borgernaere_aarsvaerk: 2, eksterne_dkk: 500000}
what_if | hvad nu hvis: flere samtaler eller tilbud pr. fuldtidsperson (BDO's hældninger) | – | {samtaler_pr_fuldtidsperson: 1, tilbud_pr_fuldtidsperson: 0}
eksterne_konto5_andel | andel af de eksterne køb, der konteres på hovedkonto 5 (BDO afsnit 3.5) | andel 0-1 | 0.4

[FunctionStaff]
maanedsloen_dkk | gennemsnitlig månedsløn inkl. pension (BDO afsnit 8.4); tom = antagelse | kr. pr. måned | 38000
aarsvaerk | årsværk i funktionen (tværgående, ydelse og ledelse fordeles med BDO's nøgler) | årsværk | 3
konto5_andel | andel af funktionens årsværk, der konteres på hovedkonto 5 (resten på 6; BDO afsnit 3.5) | andel 0-1 | 0.2

[GroupInput]
fuldtidspersoner | fuldtidspersoner i målgruppen | fuldtidspersoner | 400
borgernaere_aarsvaerk | borgernære årsværk på målgruppen | årsværk | 12
eksterne_dkk | eksterne køb; tom = ukendt (sammenligningen siger det) | kr. pr. år | 2500000
ydelse_aarsvaerk | kommunens egne ydelsesårsværk i stedet for BDO's nøgle | årsværk | 1.5
ledelse_aarsvaerk | ledelsesårsværk på målgruppen | årsværk | 0.8
opgaver | egen fordeling af de borgernære årsværk på opgaver | årsværk | {sagsrelateret: 9, virksomhedsindsats: 3}
samtaler | samtaler om året | samtaler pr. år | 4800
tilbud | tilbud om året | tilbud pr. år | 350

[OtherInput]
borgernaere_aarsvaerk | borgernære årsværk uden for målgrupperne | årsværk | 2
eksterne_dkk | eksterne køb uden for målgrupperne | kr. pr. år | 500000

[WhatIf]
samtaler_pr_fuldtidsperson | flere samtaler pr. fuldtidsperson om året | samtaler | 1
tilbud_pr_fuldtidsperson | flere tilbud pr. fuldtidsperson om året | tilbud | 0
groups | målgrupperne det gælder; tom = alle profilens | – | [kontanthjaelp]

[QuartzProfile]
municipality | kommunens navn | – | Testrup Kommune
aarsvaerk | årsværk pr. personalegruppe (sagsbehandlere, virksomhedskonsulenter …) | årsværk | {sagsbehandlere: 40, virksomhedskonsulenter: 8}
time_use | andele af de disponible timer; tom = landstallet (Figur 1) | andel 0-1 | {direkte_kontakt: 0.3}
available_hours_per_aarsvaerk | disponible timer pr. årsværk; tom = 1.428 | timer pr. år | 1428
sager | fuldtidspersoner på a-dagpenge, sygedagpenge og kontanthjælp | fuldtidspersoner | 1200
cost_base_dkk | jobcentrets driftsudgifter; tom = årsværk × landets udgift pr. årsværk | kr. pr. år | 30000000
exclude_proposals | Tabel 1's forslag, der ikke gælder lokalt (koder) | – | [A3]
reprioritised | frigjorte ressourcer bliver i jobcentret: intet fradrag for overlap | ja/nej | true
benchmark_sager_per_aarsvaerk | sager pr. årsværk at måle mod; tom = 45 (de fem mest produktive) | sager pr. årsværk | 45

[PassivitySpec]
panel | et personugepanel, relativt til scenariefilen | – | panel.csv
at | referenceugen; tom = panelets sidste | uge ÅÅÅÅ-Wuu | 2025-W20

[RateRef]
= En sats slået op i rates/ (tabel og celle), evt. ganget med en faktor.
rate | satstabellens id i rates/ | – |
where | cellen i tabellen (dimension: værdi) | – |
at | opslagsdato (standard: hvert budgetår) | dato ÅÅÅÅ-MM-DD | 2027-01-01
factor | faktor satsen ganges med, fx 12 for en månedssats | faktor |
note | note | – |

[Series]
= Et tal pr. år med enhed, kilde og status.
label | rækkens navn | – |
unit | enhed: tdkk (1.000 kr.), dkk (kr.) eller count (antal) | – |
by_year | værdien pr. år | rækkens enhed |
source | kilde | – |
status | status | – |
note | note | – |

[Sourced]
= Et tal med kilde og status: `{value: 0.5, source: "Eget udtræk", status: data}`.
value | tallet | feltets enhed |
source | hvor tallet kommer fra (dokument og tabel, system og udtræk, lov og §) | – |
status | status: hvor sikkert tallet er | – |
note | note, fx regnestykket bag et afledt tal | – | "0,004 = 1.240 / 310.000 (eget regnestykke)"

[NonNegative]
= Et tal ≥ 0 med kilde og status.
value | tallet (≥ 0) | feltets enhed |
source | hvor tallet kommer fra | – |
status | status | – |
note | note | – |

[Share]
= En andel 0-1 med kilde og status.
value | andelen (0-1) | andel 0-1 |
source | hvor andelen kommer fra | – |
status | status | – |
note | note | – |

[OpenShare]
= En andel større end 0 og mindre end 1 med kilde og status (en andel, der hverken er ingen eller det hele).
value | andelen (over 0, under 1) | andel 0-1 |
source | hvor andelen kommer fra | – |
status | status | – |
note | note | – | "Andel af landets 18-64-årige brugt som nøgle (antagelse)"
"""


def parse(text: str = TABLE) -> tuple[dict[str, dict[str, tuple[str, str, str]]], dict[str, str]]:
    """model → field → (betydning, enhed, eksempel); and model → its Danish description (a line
    ``= …`` under the model's name)."""
    out: dict[str, dict[str, tuple[str, str, str]]] = {}
    about: dict[str, str] = {}
    model = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            model = line[1:-1]
            out.setdefault(model, {})
            continue
        if line.startswith("= "):
            about[model] = line[2:]
            continue
        parts = [p.strip() for p in line.split("|", 3)]
        parts += [""] * (4 - len(parts))
        out[model][parts[0]] = (parts[1], parts[2], parts[3])
    return out, about


FIELDS, MODELS_DA = parse()
