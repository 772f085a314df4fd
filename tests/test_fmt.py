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


def test_numpy_and_decimal_values():
    import numpy as np
    from decimal import Decimal

    assert fmt.number(np.float64(516.6)) == "517"
    assert fmt.number(np.int64(1302483)) == "1.302.483"
    assert fmt.number(Decimal("1428.424"), 1) == "1.428,4"
    with pytest.raises(ValueError):
        fmt.number(np.float64("nan"))


def test_write_atomic_makes_an_ordinary_readable_file(tmp_path):
    import os
    import stat

    from budgetmodel.cli.common import write_atomic

    target = tmp_path / "sub" / "memo.md"
    write_atomic(target, "Samlet årlig besparelse kr. 1.302.483\n")
    assert target.read_text(encoding="utf-8") == "Samlet årlig besparelse kr. 1.302.483\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["memo.md"]  # no temporary left behind


def test_an_unwritable_output_path_is_one_line_not_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from budgetmodel.cli import app
    from budgetmodel.paths import scenarios_dir

    blocker = tmp_path / "fil"
    blocker.write_text("", encoding="utf-8")
    job = scenarios_dir() / "lyngby-taarbaek-2014-jobformidler.yaml"
    r = CliRunner().invoke(app, ["businesscase", str(job), "--format", "md", "--out", str(blocker / "memo.md")])
    assert r.exit_code == 1
    assert "Traceback" not in r.output and str(blocker) in r.output and "kan ikke skrives" in r.output
