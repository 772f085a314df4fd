"""The CLI speaks Danish: typer's own words in help and usage errors, and every command's help line."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from budgetmodel.cli import app

runner = CliRunner()


def test_help_uses_danish_words_for_typer_s_own_strings():
    text = runner.invoke(app, ["--help"]).stdout
    for word in ("Brug: budgetmodel", "Tilvalg", "Kommandoer", "Vis denne hjælp og stop."):
        assert word in text
    for word in ("Usage:", "Options", "Commands", "Show this message"):
        assert word not in text
    sub = runner.invoke(app, ["refund", "--help"]).stdout
    assert "Argumenter" in sub and "Tilvalg" in sub and "Usage" not in sub


def test_usage_errors_are_danish():
    r = runner.invoke(app, ["refund"])
    assert r.exit_code == 2 and "Argumentet 'panel' mangler." in r.stderr and "Prøv 'budgetmodel refund --help' for hjælp." in r.stderr
    r = runner.invoke(app, ["refund", "x.csv", "--nope"])
    assert "Ukendt tilvalg: --nope" in r.stderr


def test_every_command_s_help_line_is_danish():
    text = runner.invoke(app, ["--help"]).stdout
    english = re.compile(r"\b(the|and|with|of|per|its)\b")
    listed = text[text.index("Kommandoer"):]
    assert not english.search(listed.replace("pr.", "")), listed
