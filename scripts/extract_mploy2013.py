"""One-off extraction of the Mploy/Kibak benchmark tables from the seed text into data/mploy2013/.

Run once by hand (the seeds are not part of the repository): it copies every printed cell
verbatim, normalises only the municipality names of the header (OCR variants) and gives each
row a stable code. The CSV files it wrote were then reviewed line by line against the seed.
"""

import re
import sys
from pathlib import Path

SEED = Path(sys.argv[1])  # /work/shared/seeds/004_e014b426b53ea594.txt
OUT = Path(sys.argv[2])  # data/mploy2013
DOC = "Mploy og Kibak: Jobcenterbenchmark 2013 – produktivitet og kvalitet i 15 jobcentre (rapport til Lyngby-Taarbæk Kommune, bilag til dagsorden feb. 2014); seeds/004_e014b426b53ea594.txt"
MUNIS = ["Sønderborg", "Varde", "Middelfart", "Rebild", "Egedal", "Odsherred", "Jammerbugt", "Lyngby-Taarbæk",
         "Aabenraa", "Stevns", "Furesø", "Mariagerfjord", "Assens", "Ikast-Brande", "Haderslev", "Gns. kommuner"]
HEAD = ["code", "label", "unit", *MUNIS]
PROD = "aarsvaerk_pr_1000_aarspersoner"

QUALITY = [
    (r"^Samtaleintensitet", "samtaleintensitet", "samtaler_pr_13_fuldtidsydelsesuger"),
    (r"^Tilbuds?intensitet", "tilbudsintensitet", "nye_tilbud_pr_helaarsperson"),
    (r"^Virksomhed\w* ?rettet tilbuds?intensitet", "virksomhedsrettet_tilbudsintensitet", "nye_virksomhedsrettede_tilbud_pr_helaarsperson"),
    (r"^Aktiveringsgrad virksomhedsrettet", "virksomhedsrettet_aktiveringsgrad", "pct"),
    (r"^Aktiveringsgrad", "aktiveringsgrad", "pct"),
    (r"^Virksomhedsrettet aktiveringsgrad", "virksomhedsrettet_aktiveringsgrad", "pct"),
    (r"delvise raskmeldinger", "delvise_raskmeldinger", "pct"),
    (r"^Job- og uddannelsesrater", "job_og_uddannelsesrate", "pct"),
]

T41 = [
    ("Produktivitet", "produktivitet", PROD), ("*A-dagpenge", "a_dagpenge", PROD),
    ("*Udd.- & arbejdsmarkedsydelse", "uddannelsesydelse", PROD), ("*Kontanthjælp 1", "kontanthjaelp_match1", PROD),
    ("*Kontanthjælp 2+3", "kontanthjaelp_match23", PROD), ("*Revalidering", "revalidering", PROD),
    ("*Sygedagpenge", "sygedagpenge", PROD), ("*Ledighedsydelse", "ledighedsydelse", PROD),
    ("*Ressourceforløb", "ressourceforloeb", PROD), ("Administration", "administration", PROD),
    ("I alt", "i_alt", PROD), ("-Heraf ledelse", "heraf_ledelse", PROD),
    ("-Heraf virksomhedsindsats", "heraf_virksomhedsindsats", PROD), ("-Heraf puljer og løntilskud", "heraf_puljer_loentilskud", PROD),
]

SUB = {
    "-For over 30-årige": ("over_30", PROD + "_i_aldersgruppen"),
    "-For under 30-årige": ("under_30", PROD + "_i_aldersgruppen"),
    "-Specialiseret sagsbehandling": ("specialiseret", PROD),
    "-Integrationsindsats": ("integration", PROD),
    "-Samtaler og opfølgingsplaner": ("samtaler_opfoelgning", PROD),
    "-Rehabiliteringsteam": ("rehabiliteringsteam", PROD),
    "-Ressourceforløb": ("ressourceforloeb", PROD),
    "-Udplacering": ("udplacering", PROD),
    "-Jobformidling": ("jobformidling", PROD),
    "-Formidling": ("formidling", PROD),
    "-Jobrotation": ("jobrotation", PROD),
    "-Generel virksomhedskontakt": ("generel_kontakt", PROD),
    "-Fastholdelse": ("fastholdelse", PROD),
}
TOP = {"Produktivitet": "produktivitet", "Modtagelse og telefonvagt": "modtagelse", "Sagsbehandling": "sagsbehandling",
       "Virksomhedsindsats": "virksomhedsindsats", "Teamledelse": "teamledelse", "Samlet": "samlet",
       "-Heraf puljer og løntilskud": "heraf_puljer_loentilskud"}
T410 = {"Produktivitet": "produktivitet", "Udplacering": "udplacering", "Jobformidling": "jobformidling", "Jobrotation": "jobrotation",
        "Generel virksomhedskontakt": "generel_kontakt", "Fastholdelse": "fastholdelse", "Teamedelse": "teamledelse"}
T411 = {"Produktivitet": "produktivitet", "Administration, møder mv.": "administration_moeder", "Stabsbetjening": "stabsbetjening",
        "ledelse (stab/administration)": "ledelse_stab", "Samlet": "samlet"}
T412 = {"Produktivitet": "produktivitet", "Teamledelse": "teamledelse", "Strategisk ledelse": "strategisk_ledelse", "I alt": "i_alt"}

lines = SEED.read_text(encoding="utf-8").splitlines()


def table_rows(start: int):
    """Rows (line number, label, 16 cells) of the table whose title is on line `start` (1-based)."""
    out = []
    i = start  # title line index+1 → next lines
    seen_head = False
    while i < len(lines):
        parts = lines[i].split("\t")
        if len(parts) == 17:
            if parts[0].strip() == "":
                seen_head = True
            else:
                out.append((i + 1, parts[0].strip(), [p.strip() for p in parts[1:]]))
        elif seen_head and lines[i].strip() and not lines[i].startswith("\t"):
            break
        i += 1
    return out


def quality(label):
    for pat, code, unit in QUALITY:
        if re.search(pat, label, re.I):
            return code, unit
    return None


def write(name, title, rows, first_line, last_line, unit="per række, se kolonnen unit", notes=()):
    body = [";".join(HEAD)]
    for code, label, u, cells in rows:
        assert len(cells) == 16, (name, code)
        assert ";" not in label
        body.append(";".join([code, label, u, *cells]))
    head = [f"# document: {DOC}", f"# table: {title}", f"# unit: {unit}", f"# source: linje {first_line}-{last_line}",
            "# key: code", "# text: code, label, unit",
            "# note: tal som trykt (dansk format); '-' er rapportens tankestreg (ingen ressourcer/ingen data)",
            "# note: kommunenavne i overskriften er rettet for OCR-varianter (Mariagerford, Midelfart, Ilkast-Brande m.fl.)",
            *(f"# note: {n}" for n in notes)]
    (OUT / f"{name}.csv").write_text("\n".join(head + body) + "\n", encoding="utf-8")


def group_table(start, name, title, notes=()):
    rows = []
    parent = None
    src = table_rows(start)
    for ln, label, cells in src:
        if all(c == "" for c in cells):
            continue  # section heading ("Kvalitet")
        q = quality(label)
        if label in TOP:
            code = TOP[label]
            parent = code if code in ("sagsbehandling", "virksomhedsindsats") else None
            rows.append((code, label, PROD, cells))
        elif label in SUB:
            sub, unit = SUB[label]
            assert parent, (name, label)
            rows.append((f"{parent}.{sub}", label, unit, cells))
        elif q:
            rows.append((q[0], label, q[1], cells))
        else:
            raise SystemExit(f"{name}: unknown row {label!r} line {ln}")
    write(name, title, rows, src[0][0], src[-1][0], notes=notes)


def mapped_table(start, name, title, mapping, notes=()):
    rows = []
    src = table_rows(start)
    for ln, label, cells in src:
        if all(c == "" for c in cells):
            continue
        if label in mapping:
            rows.append((mapping[label], label, PROD, cells))
        elif quality(label):
            q = quality(label)
            rows.append((q[0], label, q[1], cells))
        else:
            raise SystemExit(f"{name}: unknown row {label!r}")
    write(name, title, rows, src[0][0], src[-1][0], notes=notes)


def find(title_prefix):
    for i, l in enumerate(lines):
        if l.startswith(title_prefix):
            return i + 1
    raise SystemExit(title_prefix)


OUT.mkdir(parents=True, exist_ok=True)
# table 4.1
src = table_rows(find("Tabel 4.1:"))
rows = []
labels41 = dict((a, (b, c)) for a, b, c in T41)
for ln, label, cells in src:
    if all(c == "" for c in cells):
        continue
    if label in labels41:
        rows.append((labels41[label][0], label, labels41[label][1], cells))
    else:
        q = quality(label)
        assert q, label
        rows.append((q[0], label, q[1], cells))
write("tabel_4_01", lines[find("Tabel 4.1:") - 1].strip(), rows, src[0][0], src[-1][0],
      notes=["*-rækker: inklusiv teamledelse, eksklusiv møder og administration (tabellens fodnote)"])
for n, code in [(2, "a_dagpenge"), (3, "uddannelsesydelse"), (4, "kontanthjaelp_match1"), (5, "kontanthjaelp_match23"),
                (6, "sygedagpenge"), (7, "ledighedsydelse"), (8, "revalidering"), (9, "ressourceforloeb")]:
    s = find(f"Tabel 4.{n}:")
    notes = ["rækkerne for over/under 30-årige er årsværk pr. 1.000 årspersoner i aldersgruppen og lægges ikke sammen med de øvrige"]
    if n == 9:
        notes.append("tabellens fodnote: tid til forberedende arbejde (det forberedende skema) er registreret som sagsbehandling på diverse målgrupper")
    group_table(s, f"tabel_4_{n:02d}_{code}", lines[s - 1].strip(), notes)
mapped_table(find("Tabel 4.10:"), "tabel_4_10_virksomhedsindsats", lines[find("Tabel 4.10:") - 1].strip(), T410)
mapped_table(find("Tabel 4.11:"), "tabel_4_11_administration", lines[find("Tabel 4.11:") - 1].strip(), T411)
mapped_table(find("Tabel 4.12:"), "tabel_4_12_ledelse", lines[find("Tabel 4.12:") - 1].strip(), T412)

# Bilag I
BILAG = [
    ("Befolkning (18-64 år)", "befolkning_18_64", "personer"),
    ("Rammevilkår A-dagpenge", "rammevilkaar.a_dagpenge", "placering_1_98"),
    ("Rammevilkår Sygedagpenge", "rammevilkaar.sygedagpenge", "placering_1_98"),
    ("Rammevilkår kontanthjælp", "rammevilkaar.kontanthjaelp", "placering_1_98"),
    ("Rammevilkår samlet", "rammevilkaar.samlet", "placering_1_98"),
]
TRYK = [("A-dagpenge", "a_dagpenge"), ("Kontanthjælp m1", "kontanthjaelp_match1"), ("Kontanthjælp m2-3", "kontanthjaelp_match23"),
        ("Sygedagpenge", "sygedagpenge"), ("Ledighedsydelse", "ledighedsydelse"), ("Revalidering", "revalidering"),
        ("JC-målgruppe i alt", "jc_maalgruppe_i_alt"), ("Førtidspension", "foertidspension"), ("Fleksjob", "fleksjob"),
        ("I alt (inkl. pension & fleksjob)", "i_alt_inkl_pension_fleksjob")]
RES = [("A-dagpenge", "a_dagpenge"), ("Udd.- & arbejdsmarkedsydelse", "uddannelsesydelse"), ("Kontanthjælp 1", "kontanthjaelp_match1"),
       ("Kontanthjælp 2+3", "kontanthjaelp_match23"), ("Revalidering", "revalidering"), ("Sygedagpenge", "sygedagpenge"),
       ("Ledighedsydelse", "ledighedsydelse"), ("Ressourceforløb", "ressourceforloeb"), ("Administration", "administration"),
       ("Strategisk ledelse", "strategisk_ledelse"), ("Diverse", "diverse"), ("I alt", "i_alt"), ("-Heraf ledelse", "heraf_ledelse"),
       ("-Heraf virksomhedsindsats", "heraf_virksomhedsindsats"), ("-Heraf puljer og løntilskud", "heraf_puljer_loentilskud")]
OTHER = [("Andel hos Anden Aktør", "andel_anden_aktoer", "pct"), ("Antal ressourceforløb (aug-13)", "antal_ressourceforloeb_aug_2013", "antal"),
         ("Årsværk per 1.000 18-64-årige", "aarsvaerk_pr_1000_18_64", "aarsvaerk_pr_1000_18_64_aarige"),
         ("Antal faglige koordinatore", "antal_faglige_koordinatorer", "antal")]
s = find("Bilag I:")
src = table_rows(s)
section = None
rows = []
for ln, label, cells in src:
    if all(c == "" for c in cells):
        section = label
        continue
    if label in dict((a, b) for a, b, c in BILAG) and label.startswith(("Befolkning", "Rammevilkår")):
        code, unit = [(b, c) for a, b, c in BILAG if a == label][0]
    elif section and section.startswith("Forsørgelsestryk"):
        code, unit = "forsoergelsestryk." + dict(TRYK)[label], "pct_af_befolkningen_18_64"
    elif section and section.startswith("Ressourcefordeling"):
        code, unit = "ressourcefordeling." + dict(RES)[label], "pct_af_aarsvaerk"
    elif section == "Andre oplysninger":
        code, unit = [(b, c) for a, b, c in OTHER if a == label][0]
    else:
        raise SystemExit(f"bilag: {label}")
    rows.append((code, label, unit, cells))
write("bilag_1_noegletal", lines[s - 1].strip(), rows, src[0][0], src[-1][0],
      notes=["rammevilkår: placering blandt de 98 kommuner, 1 = bedste rammevilkår (KORA 2013, omvendt rækkefølge)",
             "forsørgelsestryk: pct. af de 18-64-årige ekskl. efterløn"])
print("ok")
