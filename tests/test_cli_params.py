"""Option values converted by plain Python (cli/params.py) give what typer's pydantic adapters give,
and anything else still goes to typer (the same Danish messages)."""

import re
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

import budgetmodel.cli  # noqa: F401 - installs the conversion (and the Danish words)

app = typer.Typer()


@app.command()
def show(
    n: int = typer.Option(None, "--n", min=1),
    x: float = typer.Option(None, "--x"),
    p: Path = typer.Option(None, "--p"),
    s: str = typer.Option("auto", "--s"),
    flag: bool = typer.Option(None, "--flag/--no-flag"),
) -> None:
    typer.echo(repr((n, x, p, s, flag)))


def _run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args), terminal_width=300)
    return r.exit_code, " ".join(re.sub(r"[│╭╮╰╯─]", " ", r.output + (r.stderr if r.stderr_bytes else "")).split())


def test_plain_values():
    assert _run("--n", "7", "--x", "1e3", "--p", "a/b.csv", "--s", "dansk", "--flag") == (0, repr((7, 1000.0, Path("a/b.csv"), "dansk", True)))
    assert _run("--n", " +12 ", "--x", ".5")[1] == repr((12, 0.5, None, "auto", None))
    assert _run("--x", "-2")[1] == repr((None, -2.0, None, "auto", None))


def test_values_typer_refuses_keep_its_danish_messages():
    code, out = _run("--n", "0")
    assert code == 2 and "Ugyldig værdi for '--n': skal være mindst 1; fik '0'" in out
    code, out = _run("--n", "abc")
    assert code == 2 and "forventede et heltal (kunne ikke læse teksten som et heltal); fik 'abc'" in out
    code, out = _run("--x", "1,5")
    assert code == 2 and "forventede et tal" in out


def test_no_pydantic_for_plain_values():
    import subprocess

    code = (
        "import sys, typer\n"
        "import budgetmodel.cli\n"
        "from pathlib import Path\n"
        "app = typer.Typer()\n"
        "@app.command()\n"
        "def f(n: int = typer.Option(1, '--n', min=1), p: Path = typer.Option(None, '--p')):\n"
        "    print(n, p)\n"
        "try:\n"
        "    app(['--n', '3', '--p', 'x.csv'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('pydantic' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "3 x.csv" and done.stderr.strip() == "False"


def test_digits_of_other_scripts_are_refused_as_typer_refuses_them():
    """int('٣') is 3 in Python; typer refuses it, and so does the plain conversion (ASCII digits only)."""
    code, out = _run("--n", "٣")
    assert code == 2 and "forventede et heltal" in out
    code, out = _run("--x", "١.5")
    assert code == 2 and "forventede et tal" in out


def test_memory_and_partitions_have_an_upper_bound(tmp_path):
    """--memory inf or a 20-digit --partitions was an internal error (OverflowError) before."""
    from typer.testing import CliRunner

    from budgetmodel.cli import app

    panel = tmp_path / "p.csv"
    panel.write_text("person_id,week,benefit,activation,amount_dkk\n1,2017-W01,dagpenge,none,1.5\n", encoding="utf-8")
    for cmd in ("refund", "forecast"):
        for opt, value, said in (("--memory", "inf", "skal være højst 1000000"), ("--partitions", "99999999999999999999", "--partitions")):
            res = CliRunner().invoke(app, [cmd, str(panel), opt, value])
            assert res.exit_code == 2 and said in res.output and "intern fejl" not in res.output, (cmd, opt, res.output)
