"""`budgetmodel validate` knows every kind of YAML file the project ships, without the CLI loaded."""

from pathlib import Path

import pytest

from budgetmodel.errors import InputError
from budgetmodel.validation import validate_paths

ROOT = Path(__file__).resolve().parents[1]


def test_every_bundled_yaml_file_is_claimed_and_valid():
    folders = [ROOT / "rates", ROOT / "data", ROOT / "scenarios"]
    n = sum(len(list(f.rglob("*.yaml"))) for f in folders)
    assert validate_paths(folders) == n


def test_a_broken_profile_names_file_line_and_field(tmp_path):
    src = (ROOT / "data" / "profiles" / "lyngby_taarbaek.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "profil.yaml"
    bad.write_text(src.replace("samtaler: 1385.0", "samtaler: mange", 1), encoding="utf-8")
    line = next(i for i, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "samtaler: mange" in text)
    with pytest.raises(InputError) as exc:
        validate_paths([bad])
    assert f"{bad}:{line}:" in str(exc.value) and "samtaler" in str(exc.value)


def test_an_unknown_kind_of_file_is_an_error_not_skipped(tmp_path):
    odd = tmp_path / "odd.yaml"
    odd.write_text("hello: world\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        validate_paths([odd])
    assert f"{odd}:1:" in str(exc.value) and "ukendt slags fil" in str(exc.value)


def test_validate_compiles_scenarios_against_the_rates_named_by_rates(tmp_path):
    """validate --rates DIR compiles a scenario against that folder's law (issue 10, item 4): an
    override of a table the folder lacks is refused there, and accepted against the bundled rates."""
    import shutil

    from typer.testing import CliRunner

    from budgetmodel.cli import app
    from budgetmodel.paths import rates_dir

    rates = tmp_path / "rates"
    shutil.copytree(rates_dir(), rates)
    (rates / "refusionstrappe.yaml").unlink()
    scen = tmp_path / "s.yaml"
    toy = Path(__file__).parent / "fixtures" / "scenarios" / "staircase-toy.yaml"
    scen.write_text(f"kind: scenario\nid: s\ntitle: S\nextends: [{toy}]\n"
                    "law:\n  overrides:\n    - {table: refusionstrappe, where: {count_week: '1-4'}, valid_from: 2016-01-04, value: 50, source: 'Test'}\n")
    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(scen)]).exit_code == 0
    res = runner.invoke(app, ["validate", str(scen), "--rates", str(rates)])
    assert res.exit_code == 1 and "refusionstrappe" in res.output


def test_a_bloktilskud_share_of_zero_is_one_located_error(tmp_path):
    """The budgetgaranti divides by nothing and regulates nothing with a share of 0: the scenario
    says so at the field, in validate as in run (before: an internal error, a traceback in validate)."""
    from typer.testing import CliRunner

    from budgetmodel.cli import app

    base = Path(__file__).resolve().parents[1] / "scenarios" / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml"
    p = tmp_path / "s.yaml"
    p.write_text(
        f"kind: scenario\nid: bt0\ntitle: Bloktilskud 0\nextends: [{base}]\nmunicipality:\n  bloktilskud_share:\n"
        "    value: 0\n    status: assumption\n    source: test\n",
        encoding="utf-8",
    )
    for args in (["validate", str(p)], ["run", str(p)]):
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 1, res.output
        assert f"{p}:7: [municipality.bloktilskud_share.value] skal være større end 0; fik 0" in res.output
        assert "Traceback" not in res.output and "intern fejl" not in res.output


@pytest.mark.parametrize(
    "text, line, danish",
    [
        ("a: b: c\n", 1, "et kolon efter en værdi"),
        ("a:\n\t- 1\n", 2, "et tegn, der ikke kan begynde en værdi (fx et tabulatortegn"),
        ("a: [1, 2\n", 2, "forventede ',' eller ']' i en liste i [ ]"),
        ('a: "abc\n', 2, "filen slutter midt i en værdi"),
        ("a:\n  b: 1\n c: 2\n", 3, "indrykningen passer ikke med linjerne over"),
        ("a: {b: 1\n", 2, "forventede ',' eller '}' i en tabel i { }"),
        ("a: &\n  b: 1\n", 1, "et anker (&) eller en henvisning (*) uden navn"),
        ("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", 2, "direktivet %YAML står to gange"),
    ],
)
def test_yaml_syntax_errors_are_danish(tmp_path, text, line, danish):
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        validate_paths([p])
    [problem] = exc.value.problems
    assert problem.line == line and problem.message.startswith("YAML-syntaksfejl: " + danish), problem.message
    assert "PyYAML" not in problem.message


def test_a_sensitivity_path_through_a_year_key_says_it_cannot_be_varied(tmp_path):
    """The beskæftigelsestilskud's figures sit under grant years; naming one in a sensitivity path
    gave 'ingen nøgle 2014 (har: 2014, 2015)' before."""
    toy = Path(__file__).resolve().parent / "fixtures" / "scenarios" / "beskaeftigelsestilskud-toy.yaml"
    p = tmp_path / "s.yaml"
    p.write_text(
        f"kind: scenario\nid: by\ntitle: År som nøgle\nextends: [{toy}]\nsensitivity:\n  seed: 1\n  draws: 100\n  tornado:\n"
        "    - parameter: budget.beskaeftigelsestilskud.years.2014.own.net_expenses_dkk\n      label: Nettoudgift 2014\n      relative_pct: 10\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        validate_paths([p])
    [problem] = exc.value.problems
    assert problem.line == 9 and problem.field == "sensitivity.tornado.0.parameter"
    assert "tal under et årstal ('2014') kan ikke varieres i følsomhedsanalysen" in problem.message


def test_a_sensitivity_bound_outside_its_field_is_refused_in_danish(tmp_path):
    base = Path(__file__).resolve().parents[1] / "scenarios" / "lyngby-taarbaek-2014-jobformidler.yaml"
    p = tmp_path / "s.yaml"
    p.write_text(
        f"kind: scenario\nid: rng\ntitle: Interval\nextends: [{base}]\nsensitivity:\n  seed: 1\n  draws: 100\n  tornado:\n"
        "    - parameter: initiatives.personlig_jobformidler.offer_reductions.over_30.helaarstilbud\n      label: x\n"
        "      low: -5\n      high: 1.5\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        validate_paths([p])
    [problem] = exc.value.problems
    assert (problem.line, problem.field) == (11, "sensitivity.tornado.0.low")
    assert problem.message == "low = -5 passer ikke til initiatives.personlig_jobformidler.offer_reductions.over_30.helaarstilbud: skal være mindst 0"
