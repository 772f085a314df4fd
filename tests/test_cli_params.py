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
