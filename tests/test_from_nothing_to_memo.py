"""The "Done when" of issue 14, as a new user would go: from nothing (`budgetmodel ny`) to a filled-in
scenario and staff profile, a semicolon CSV extract from the municipality's own benefit system
(decimal commas, its own column names and codes translated by a mapping file, counts at start)
→ `validate` → `refund` priced to the krone (worked by hand below) → a `businesscase` memo."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from budgetmodel.cli import app

runner = CliRunner()

# Testby Kommune's extract: person 0101901234 had 3 weeks on the refusionstrappe before 2025
# (counts at start), 0202802345 had 60; 0303703456 is not in the counts file (0 weeks) and was on
# folkepension (FP, not a benefit the model prices: mapped to null, a self-support week) first.
EXTRACT = (
    "cpr;uge;ydelse;aktivering;beloeb\n"
    "0101901234;2025-W01;KH;00;4.000,50\n"
    "0101901234;2025-W02;KH;00;4.000,50\n"
    "0101901234;2025-W03;KH;LT;4.000,50\n"
    "0202802345;2025-W01;SD;00;3.500,00\n"
    "0202802345;2025-W02;SD;00;3.500,00\n"
    "0303703456;2025-W01;FP;00;6.000,00\n"
    "0303703456;2025-W02;KH;00;2.500,25\n"
    "0303703456;2025-W03;KH;00;2.500,25\n"
)
COUNTS = "person_id;count_weeks\n0101901234;3\n0202802345;60\n"
MAPPING = """kind: code-mapping
name: Testby Kommunes ydelsessystem
source: Testby Kommunes ydelsessystem, kodeliste for udtræk 2025 (eksempel til testen)
columns: {cpr: person_id, uge: week, ydelse: benefit, aktivering: activation, beloeb: amount_dkk}
benefit: {KH: kontanthjaelp, SD: sygedagpenge, FP: null}
activation: {"00": none, LT: loentilskud}
"""

# By hand, the refusionstrappe (LBK nr. 221 af 12/02/2021 § 5, stk. 2: 80 pct. in weeks 1-4 of the
# count, 40 pct. in 5-26, 30 pct. in 27-52, 20 pct. from week 53), one count per person across benefits:
#   0101901234: count weeks 4, 5, 6 → 0,8 × 4.000,50 + 0,4 × 4.000,50 × 2          = 6.400,80 kr.
#   0202802345: count weeks 61, 62 → 0,2 × 3.500,00 × 2                            = 1.400,00 kr.
#   0303703456: FP dropped; count weeks 1, 2 → 0,8 × 2.500,25 × 2                   = 4.000,40 kr.
GROSS = 3 * 4000.50 + 2 * 3500.00 + 2 * 2500.25  # 24.002,00 kr.
STATE = 0.8 * 4000.50 + 0.4 * 4000.50 * 2 + 0.2 * 3500.00 * 2 + 0.8 * 2500.25 * 2  # 11.801,20 kr.

# the numbers the economist fills in where `ny` wrote UDFYLD, in the file's order: bloktilskud share,
# wage per årsværk, price of a helårstilbud; then per group helårspersoner, kr. per helårsperson and
# the shares in weeks 1-4, 5-26, 27-52 and 53+ of the refusionstrappe
GROUPS = {"kontanthjaelp_jobparat": (310, 165000), "kontanthjaelp_aktivitetsparat": (240, 168000), "sygedagpenge": (415, 210000)}
DURATION = (0.1, 0.2, 0.2, 0.5)
SCENARIO_NUMBERS = ["0.00412", "545000", "62000"] + [str(x) for hp, level in GROUPS.values() for x in (hp, level, *DURATION)]
# The memo's answer by hand: the state refunds 80/40/30/20 pct. by week of the count (§ 5, stk. 2),
# so the municipality keeps 0,1 × 0,2 + 0,2 × 0,6 + 0,2 × 0,7 + 0,5 × 0,8 = 0,68 of the gross:
# 0,68 × (310 × 165.000 + 240 × 168.000 + 415 × 210.000) = 0,68 × 178.620.000 = 121.461.600 kr. a year
NET_PER_YEAR = 0.68 * sum(hp * level for hp, level in GROUPS.values())


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], terminal_width=200)


def test_from_nothing_to_a_validated_scenario_a_priced_extract_and_a_memo(tmp_path):
    # 1. from nothing: a scenario and a staff profile under current law
    scenario = tmp_path / "testby-kommune-basis.yaml"
    r = invoke("ny", "Testby Kommune", "--years", "2027-2030", "--out", scenario)
    assert r.exit_code == 0, r.stderr
    profile = tmp_path / "testby-kommune-personale.yaml"
    assert profile.is_file() and str(profile.name) in r.stdout
    # 2. validate lists what is left to fill in, in both files, with line and field
    v = invoke("validate", scenario)
    assert v.exit_code == 1
    gaps = [line for line in v.stderr.splitlines() if "mangler:" in line]
    in_profile = [g for g in gaps if str(profile) in g]
    assert len(gaps) == len(in_profile) + 7 + 12 * len(GROUPS) and len(in_profile) == 17
    assert all("mangler" in line for line in v.stderr.splitlines()[1:])  # nothing but what is left to fill in
    assert any("[municipality.staff.target_groups.sygedagpenge.aarsvaerk] mangler" in g for g in in_profile)
    # 3. fill in: the economist's own figures and sources
    numbers = iter(SCENARIO_NUMBERS)
    text = re.sub(r"value: null(?=  # UDFYLD|,)", lambda m: "value: " + next(numbers), scenario.read_text(encoding="utf-8"))
    assert next(numbers, None) is None
    scenario.write_text(text.replace('"UDFYLD: ', '"Testby Kommune, eget udtræk: '), encoding="utf-8")
    staff = profile.read_text(encoding="utf-8")
    staff = re.sub(r"  uddannelsesydelse:[^\n]*\n(    [^\n]*\n)+", "", staff)  # abolished 1.7.2025: the group is deleted
    aarsvaerk = iter(["7.5", "6.0", "9.0", "8.5", "3.0", "1.0", "2.0"])
    staff = re.sub(r"aarsvaerk: UDFYLD", lambda m: "aarsvaerk: " + next(aarsvaerk), staff)
    aarspersoner = iter(["520", "310", "240", "415", "60", "25", "30"])
    staff = re.sub(r"aarspersoner: UDFYLD", lambda m: "aarspersoner: " + next(aarspersoner), staff)
    profile.write_text(staff.replace('"UDFYLD: ', '"Testby Kommune, lønsystemet: '), encoding="utf-8")
    v = invoke("validate", scenario)
    assert v.exit_code == 0, v.stderr
    # 4. the extract, priced to the krone
    (tmp_path / "udtraek.csv").write_text(EXTRACT, encoding="utf-8")
    (tmp_path / "optaelling.csv").write_text(COUNTS, encoding="utf-8")
    (tmp_path / "kortlaegning.yaml").write_text(MAPPING, encoding="utf-8")
    rows = tmp_path / "raekker.csv"
    own = ("--kortlaegning", tmp_path / "kortlaegning.yaml", "--start-count", tmp_path / "optaelling.csv")
    r = invoke("refund", tmp_path / "udtraek.csv", *own, "--json", "--out", rows, "--dansk-csv")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["gross_dkk"], doc["state_dkk"], doc["municipal_dkk"]) == (24002.00, 11801.20, 12200.80)
    assert abs(doc["state_dkk"] - STATE) < 0.005 and abs(doc["gross_dkk"] - GROSS) < 0.005
    assert doc["by_benefit"]["sygedagpenge"]["state_dkk"] == 1400.00 and doc["rows"] == 7 and doc["warnings"] == []
    # 2025-W01 runs Monday 30 December 2024 - Sunday 5 January 2025: 2/7 of it belongs to 2024
    years = {y["year"]: y for y in doc["by_calendar_year"]}
    assert years[2024]["gross_dkk"] == round(2 / 7 * (4000.50 + 3500.00), 2) == 2143.00
    assert round(years[2024]["gross_dkk"] + years[2025]["gross_dkk"], 2) == 24002.00
    lines = rows.read_text(encoding="utf-8").splitlines()
    assert lines[1] == "0101901234;2025-W01;kontanthjaelp;none;4000,5;trappe;1;4;0,8;3200,4;800,1"
    # the same extract out of core gives the same kroner
    p = invoke("refund", tmp_path / "udtraek.csv", *own, "--json", "--partitioned")
    assert p.exit_code == 0, p.stderr
    assert json.loads(p.stdout)["state_dkk"] == 11801.20
    # 5. the memo
    memo = tmp_path / "notat.md"
    b = invoke("businesscase", scenario, "--format", "md", "--out", memo)
    assert b.exit_code == 0, b.stderr
    text = memo.read_text(encoding="utf-8")
    assert "Testby Kommune" in text and "## Resultat" in text
    assert round(NET_PER_YEAR) == 121_461_600
    assert "Kommunens nettoudgift til forsørgelse efter refusion er 121,5 mio. kr. om året i 2027-2030" in text
    assert "| **Kommunens nettoudgift** | **121.462** | **121.462** | **121.462** | **121.462** |" in text
    assert "| Forsørgelsesudgifter, brutto | 178.620 | 178.620 | 178.620 | 178.620 |" in text
    assert doc["rates_fingerprint"][:12] in text  # one rates fingerprint in every command
