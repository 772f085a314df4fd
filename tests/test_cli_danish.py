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


def _commands() -> list[list[str]]:
    text = runner.invoke(app, ["--help"], terminal_width=200).stdout
    listed = text[text.index("Kommandoer"):]
    names = re.findall(r"^│ ([a-z][a-z-]+) ", listed, re.M)
    out = [[n] for n in names if n != "rates"] + [["rates"], ["rates", "list"], ["rates", "show"]]
    assert len(out) >= 15, names
    return out


def test_every_command_s_help_has_no_english_chrome():
    """Usage line, placeholders, the types beside the options and the help option: all Danish."""
    english = ("Usage", "[OPTIONS]", "COMMAND", "[ARGS]", "Show this message", "Options", "Arguments", "<bool>", "<path>", "<int>", "<float>", "<text>", "[required]", "[default")
    for cmd in _commands():
        text = runner.invoke(app, [*cmd, "--help"], terminal_width=200).stdout
        assert text.count("Brug: budgetmodel") == 1, cmd
        assert "[TILVALG]" in text, cmd
        for word in english:
            assert word not in text, (cmd, word)
    assert "KOMMANDO [ARGUMENTER]..." in runner.invoke(app, ["--help"]).stdout


def test_typical_misuse_gives_danish_messages():
    cases = {
        ("forecast", "p.csv", "--years", "abc"): "Ugyldig værdi for '--years': forventede et heltal (kunne ikke læse teksten som et heltal); fik 'abc'",
        ("forecast", "p.csv", "--years", "0"): "Ugyldig værdi for '--years': skal være mindst 1; fik '0'",
        ("refund", "p.csv", "--json=3"): "Tilvalget '--json' tager ingen værdi.",
        ("refund", "p.csv", "--out"): "Tilvalget '--out' skal have en værdi.",
        ("refund", "p.csv", "a", "b"): "Uventede ekstra argumenter: (a b)",
        ("refund", "p.csv", "--ou", "x"): "Ukendt tilvalg: --ou (mulige tilvalg: --json, --out)",
        ("rates", "show", "refusionstrappe", "--at", "2017-13-01"): "Ugyldig værdi: '2017-13-01'",
        ("nosuch",): "Ingen kommando ved navn 'nosuch'.",
    }
    for args, message in cases.items():
        r = runner.invoke(app, list(args), terminal_width=300)
        assert r.exit_code == 2, args
        flat = " ".join(re.sub(r"[│╭╮╰╯─]", " ", r.stderr).split())
        assert message in flat, (args, flat)
        for word in ("Invalid value", "Input should", "No such", "Missing", "Got unexpected", "requires an argument", "Possible options"):
            assert word not in flat, (args, word)


def test_pydantic_errors_in_a_scenario_are_danish_with_file_line_and_field(tmp_path):
    from budgetmodel.pydantic_da import TEXTS, danish

    f = tmp_path / "s.yaml"
    f.write_text(
        "kind: scenario\nid: x\ntitle: X\nyears: [2027]\nlaw: {as_if: 2027-01-01}\n"
        "municipality:\n  name: X\n  bloktilskud_share: {value: 'en halv', source: s, status: assumption}\n",
        encoding="utf-8",
    )
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 1
    assert f"{f}:8: [municipality.bloktilskud_share.value] forventede et tal; fik 'en halv'" in r.stderr
    assert "Input should" not in r.stderr
    # the error types users meet, each from pydantic's own context
    assert danish({"type": "greater_than_equal", "ctx": {"ge": 0.5}}) == "skal være mindst 0,5"
    assert danish({"type": "literal_error", "ctx": {"expected": "'law', 'derived' or 'assumption'"}}) == "forventede en af: 'law', 'derived' eller 'assumption'"
    assert danish({"type": "value_error", "msg": "Value error, startdatoen ligger efter slutdatoen"}) == "startdatoen ligger efter slutdatoen"
    assert all(not t.startswith(("Input", "Value")) for t in TEXTS.values())


def test_a_value_that_fits_no_branch_of_a_union_gives_one_problem(tmp_path):
    """benefit_dkk_per_helaarsperson is a number with source, a rate reference or a list of them:
    a too short source is one problem, not one per branch."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "scenarios" / "testrup-2026-virksomhedskonsulenter.yaml"
    f = tmp_path / "s.yaml"
    f.write_text(src.read_text(encoding="utf-8").replace('source: "Eksempel: kontanthjælp pr. helårsperson"', 'source: "x"'), encoding="utf-8")
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 1
    assert r.stderr.startswith("1 fejl i input:"), r.stderr
    assert f"{f}:35: [municipality.caseload.groups.aktivitetsparate.benefit_dkk_per_helaarsperson.source] teksten er for kort (mindst 3 tegn); fik 'x'" in r.stderr
