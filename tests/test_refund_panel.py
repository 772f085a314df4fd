"""Reading and checking person-week panels."""

import datetime as dt

import pandas as pd
import pytest

from budgetmodel.errors import InputError
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, parse_week, read_panel, validate_panel, week_label, week_number


def test_iso_weeks():
    assert parse_week("2016-W01") == dt.date(2016, 1, 4)
    assert parse_week("2015-W53") == dt.date(2015, 12, 28)
    assert parse_week("2014-W01") == dt.date(2013, 12, 30)
    for bad in ("2014-W53", "2016-W00", "2016-W1", "2016W01", "16-W01", ""):
        with pytest.raises(ValueError):
            parse_week(bad)
    assert week_number(dt.date(2016, 1, 10)) - week_number(dt.date(2015, 12, 28)) == 1
    assert week_label(week_number(dt.date(2016, 1, 4))) == "2016-W01"


def test_read_panel_gives_compact_codes(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("person_id,week,benefit,activation,amount_dkk,extra\nA 1,2016-W02,dagpenge,none,10,x\n A 1 ,2016-W01,kontanthjaelp,loentilskud,5.5,y\n")
    df = read_panel(p)
    assert list(df.columns) == ["person_id", "week", "benefit", "activation", "amount_dkk"]
    assert tuple(df.benefit.cat.categories) == BENEFITS and tuple(df.activation.cat.categories) == ACTIVATIONS
    assert df.person_id.nunique() == 1  # surrounding spaces do not make another person
    assert list(df.week.cat.categories) == ["2016-W01", "2016-W02"]
    assert df.amount_dkk.tolist() == [10.0, 5.5]


def test_validate_panel_on_frames_names_rows_and_fields():
    df = pd.DataFrame({"person_id": [1, 2], "week": ["2016-W01", "2016-W99"], "benefit": ["dagpenge", "x"], "activation": ["none", "none"], "amount_dkk": [1.0, -1.0]})
    with pytest.raises(InputError) as exc:
        validate_panel(df, file="frame.csv")
    text = str(exc.value)
    assert "frame.csv:2: [week] række 2: '2016-W99': 2016 har ISO-ugerne 1-52" in text
    assert "frame.csv:2: [benefit] række 2: ukendt ydelseskode 'x'" in text
    assert "frame.csv:2: [amount_dkk] række 2: negativt beløb -1.0" in text


def test_canonical_frames_are_checked_too():
    df = validate_panel(pd.DataFrame({"person_id": [1], "week": ["2016-W01"], "benefit": ["dagpenge"], "activation": ["none"], "amount_dkk": [1.0]}))
    df.loc[0, "amount_dkk"] = float("nan")
    with pytest.raises(InputError, match=r"\[amount_dkk\] række 1: mangler en værdi"):
        validate_panel(df, file="x")


def test_missing_file():
    with pytest.raises(InputError, match="panelfilen findes ikke"):
        read_panel("/nonexistent/panel.csv")
