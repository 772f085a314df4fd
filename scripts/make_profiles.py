"""Write the example unit-cost profiles in data/profiles/ from the benchmark's published figures.

    .venv/bin/python scripts/make_profiles.py Lyngby-Taarbæk Varde

The files are what `budgetmodel.unitcost.benchmark.published_profile` builds (a test checks that
they still agree); edit the numbers of a copy to describe another municipality.
"""

import sys

import yaml

from budgetmodel.paths import data_dir
from budgetmodel.unitcost import names
from budgetmodel.unitcost.assumptions import load_assumptions
from budgetmodel.unitcost.benchmark import BenchmarkData, published_profile

data = BenchmarkData.load()
per = load_assumptions().samtaler_per_year_per_intensity.value
for m in sys.argv[1:]:
    profile = published_profile(data, m, per)
    body = yaml.safe_dump(profile.model_dump(exclude_none=True, exclude_defaults=True), allow_unicode=True, sort_keys=False, width=100)
    head = (
        f"# Enhedsomkostningsprofil for {profile.municipality} bygget af Mploy/Kibak-benchmarkets tal (2013).\n"
        "# Skrevet af scripts/make_profiles.py; tallene er afledte (se 'source'). Kopiér filen og ret tallene\n"
        "# for at beskrive en anden kommune: aarsvaerk og aarspersoner pr. målgruppe er det, der skal til.\n"
    )
    out = data_dir() / "profiles" / f"{names.slug(profile.municipality)}.yaml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(head + body, encoding="utf-8")
    print(out)
