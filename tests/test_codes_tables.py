"""The code lists in codes.py equal the dimension values of every rate table (no copy drifting)."""

from budgetmodel.codes import DIMENSION_CODES, SHARED_DIMENSIONS
from budgetmodel.rates import load_rates


def test_every_coded_dimension_equals_its_code_list():
    book = load_rates()
    seen = set()
    for tid, table in book.tables.items():
        for d in table.spec.dimensions:
            key = (tid, d.name)
            if key in DIMENSION_CODES:
                assert tuple(d.values) == DIMENSION_CODES[key], f"{tid}.{d.name} differs from codes.py"
                seen.add(key)
            else:
                assert d.name not in SHARED_DIMENSIONS, f"{tid}.{d.name}: add it to codes.DIMENSION_CODES"
    assert seen == set(DIMENSION_CODES), f"listed in codes.py but not in rates/: {set(DIMENSION_CODES) - seen}"


def test_every_bundled_table_says_known_through():
    book = load_rates()
    missing = [tid for tid, t in book.tables.items() if t.known_through is None]
    assert missing == []
