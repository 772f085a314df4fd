"""Every failure mode of a rate file is one clear message naming file, line and field."""

from pathlib import Path

import pytest

from budgetmodel.errors import InputError
from budgetmodel.rates import load_rates, load_table
from budgetmodel.validation import validate_paths

BROKEN = Path(__file__).parent / "fixtures" / "rates_broken"

# file → (line, field, words the message must contain)
CASES = {
    "unknown_key": (9, "values.0.colour", ["ukendt nøgle 'colour'"]),
    "bad_date_month": (5, "values.0.valid_from", ["'2014-13-01' er ikke en gyldig dato", "måneden skal være 1-12", "ÅÅÅÅ-MM-DD"]),
    "bad_date_unpadded": (5, "values.0.valid_from", ["ISO-dato ÅÅÅÅ-MM-DD", "'2014-1-1'"]),
    "overlap": (10, "values.1.valid_from", ["overlapping periods", "line 5", "2015-06-01"]),
    "same_start": (9, "values.2.valid_from", ["overlapping periods", "line 7", "2016-01-04"]),
    "missing_source": (5, "values.0.source", ["det krævede felt 'source' mangler"]),
    "out_of_range": (6, "values.0.value", ["value 120 out of range [0, 100]", "'pct'"]),
    "duplicate_key": (7, "values.0.value", ["duplicate key 'value'", "first at line 6"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_failure_mode_names_file_line_and_field(name):
    line, field, words = CASES[name]
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(InputError) as exc:
        load_table(path)
    problems = exc.value.problems
    assert len(problems) == 1, exc.value.render()
    p = problems[0]
    assert (Path(p.file), p.line, p.field) == (path, line, field)
    text = str(p)
    assert text.startswith(f"{path}:{line}: [{field}] ")
    for w in words:
        assert w in text


def test_reading_and_schema_problems_come_together():
    path = BROKEN / "several_problems.yaml"
    with pytest.raises(InputError) as exc:
        load_table(path)
    got = [(p.line, p.field) for p in exc.value.problems]
    assert got == [(5, "values.0.valid_from"), (11, "values.1.status"), (13, "values.1.colour")]
    rendered = exc.value.render()
    assert rendered.startswith("3 fejl i input:")
    assert "'2014-02-30' er ikke en gyldig dato" in rendered and "fik 'maybe'" in rendered


def test_validate_reports_every_file_at_once():
    with pytest.raises(InputError) as exc:
        validate_paths([BROKEN])
    files = {Path(p.file).stem for p in exc.value.problems}
    assert files == set(CASES) | {"several_problems"}


def test_load_rates_on_broken_folder_lists_all(tmp_path):
    with pytest.raises(InputError) as exc:
        load_rates(BROKEN, need=())  # the files' own problems (the missing model tables: tests/test_validate_complete.py)
    assert len(exc.value.problems) == len(CASES) + 3


def test_id_must_match_file_name(tmp_path):
    src = (BROKEN / "out_of_range.yaml").read_text(encoding="utf-8").replace("value: 120", "value: 12")
    path = tmp_path / "other_name.yaml"
    path.write_text(src, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_table(path)
    (p,) = exc.value.problems
    assert (p.line, p.field) == (1, "id") and "must equal the file name 'other_name'" in p.message


def test_any_yaml_model_gets_reading_and_schema_problems_together(tmp_path):
    """The same loader serves scenarios and profiles: an impossible date does not crash it."""
    import datetime as dt

    from pydantic import BaseModel, ConfigDict

    from budgetmodel.sourcefile import load_model

    class Doc(BaseModel):
        model_config = ConfigDict(extra="forbid")
        start: dt.date
        amount: int

    p = tmp_path / "s.yaml"
    p.write_text("start: 2014-02-29\namount: many\nextra: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_model(p, Doc)
    assert [(x.line, x.field) for x in exc.value.problems] == [(1, "start"), (2, "amount"), (3, "extra")]
    assert "'2014-02-29' er ikke en gyldig dato" in exc.value.problems[0].message


def test_schema_and_whole_table_problems_come_in_one_message(tmp_path):
    """A bad status (schema) does not hide a wrong id or an out-of-range value (whole-table checks)."""
    p = tmp_path / "trappe.yaml"
    p.write_text(
        "id: refusionstrappe\ndescription: Test\nunit: pct\nvalues:\n"
        "  - {valid_from: 2016-01-04, value: 140, status: guess, source: Lov § 5}\n"
        "foo: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_table(p)
    got = sorted((q.line, q.field) for q in exc.value.problems)
    assert got == [(1, "id"), (5, "values.0.status"), (5, "values.0.value"), (6, "foo")]
    assert "value 140 out of range [0, 100]" in str(exc.value)
