import pytest

from budgetmodel import fmt


@pytest.mark.parametrize(
    "value,digits,text",
    [
        (1302483, 0, "1.302.483"),
        (1033200, 0, "1.033.200"),
        (-517, 0, "-517"),
        (516.6, 0, "517"),
        (0.5, 0, "1"),  # half away from zero, not banker's rounding
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (24.25, 1, "24,3"),
        (51.6, 1, "51,6"),
        (999.5, 0, "1.000"),
        (-0.4, 0, "0"),
        (12345678.9, 1, "12.345.678,9"),
    ],
)
def test_number(value, digits, text):
    assert fmt.number(value, digits) == text


def test_kroner_thousands_and_millions():
    assert fmt.kr(1302483) == "1.302.483 kr."
    assert fmt.thousand(-1302483) == "-1.302"
    assert fmt.thousand(-516600) == "-517"
    assert fmt.mio(5288000) == "5,3 mio. kr."
    assert fmt.pct(0.5) == "50 pct."


def test_nan_never_formats():
    with pytest.raises(ValueError):
        fmt.number(float("nan"))
