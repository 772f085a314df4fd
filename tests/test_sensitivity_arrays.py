"""The Monte Carlo and tornado computed as arrays (one scenario run with each varied input as an
array of its draws), checked against the oracle of one scalar scenario run per draw.

The oracle (:func:`per_draw`) lives here only: production never loops over the draws except for
the inputs in ``sensitivity.LOOP_ONLY`` (method 'loop', named in the memo)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from budgetmodel import fmt
from pydantic import BaseModel
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.errors import InputError
from budgetmodel.financing.initiative import OfferLine, OfferRefundRule, offer_refund_changes
from budgetmodel.rates import load_rates
from budgetmodel.scenario.load import LoadedScenario, load_scenario
from budgetmodel.scenario.run import run_scenario
from budgetmodel.scenario.schema import Share, Sourced, resolve_parameter, with_parameter
from budgetmodel.scenario.sensitivity import LOOP_ONLY, analyse, headline, measure_by_year, measure_draws, measure_of, monte_carlo_draws

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
FIX = ROOT / "tests" / "fixtures"
MEASURES = ("initiatives", "budget", "caseload")
WITH_MC = sorted(p for p in [*SCEN.glob("*.yaml"), *(FIX / "memo").glob("*.yaml")] if "monte_carlo:" in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def book():
    return load_rates()


def _at(loaded: LoadedScenario, changes: list[tuple[str, object]]) -> LoadedScenario:
    s = loaded.scenario
    for path, v in changes:
        s = with_parameter(s, path, v)
    return LoadedScenario(s, loaded.path, loaded.files, loaded.resolved, loaded.input_hash, loaded.aux)


def per_draw(loaded: LoadedScenario, book, measure: str, draws, idx) -> np.ndarray:
    """The oracle: one scalar scenario run per draw (what the sensitivity analysis did before)."""
    out = []
    for i in idx:
        one = _at(loaded, [(p, float(col[i])) for p, col in draws])
        out.append(headline(run_scenario(one, book, with_caseload=measure == "caseload", detail=False), measure))
    return np.array(out)


def test_the_bundled_monte_carlos_are_computed_as_arrays():
    assert {p.name for p in WITH_MC} >= {"lyngby-taarbaek-2014-jobformidler.yaml", "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml", "flat.yaml"}
    for p in WITH_MC:
        s = load_scenario(p).scenario
        assert not any(u.parameter.startswith(LOOP_ONLY) for u in s.sensitivity.monte_carlo), p


@pytest.mark.parametrize("path", WITH_MC, ids=lambda p: p.stem)
def test_array_draws_equal_one_run_per_draw(book, path):
    loaded = load_scenario(path, book)
    measure = measure_of(loaded.scenario)
    draws, _, _ = monte_carlo_draws(loaded.scenario)
    n = loaded.scenario.sensitivity.draws
    arrays = measure_draws(loaded, book, measure, draws, n)
    assert arrays.shape == (n,)
    idx = range(min(50, n))
    np.testing.assert_allclose(arrays[: len(idx)], per_draw(loaded, book, measure, draws, idx), rtol=0, atol=1e-6)


# today's loop (one scenario run per draw, before the arrays), all 2.000 draws: P10/P50/P90, mean,
# share below the base, the base; the histogram's 20 counts and its span
LOOP_FIGURES = {
    "lyngby-taarbaek-2014-jobformidler": (
        (-4259234.41695588, -3695880.5261779707, -3123799.4787190757, -3689637.450811236, 0.3065, -3907449.0),
        [7, 10, 33, 66, 87, 94, 148, 192, 243, 216, 202, 179, 173, 121, 91, 75, 37, 13, 10, 3],
        (-4867064.986041361, -2425060.279884937),
    ),
    "lyngby-taarbaek-2014-kontanthjaelpsreform": (
        (19289157.805477966, 19842245.125167243, 20441520.730381973, 19859218.165288128, 0.3305, 19664166.0),
        [3, 13, 26, 70, 92, 109, 137, 172, 201, 244, 175, 189, 153, 127, 97, 83, 58, 25, 15, 11],
        (18713298.680581354, 21029813.14943614),
    ),
}


@pytest.mark.parametrize("name", sorted(LOOP_FIGURES))
def test_bundled_monte_carlo_equals_the_loop(book, name):
    loaded = load_scenario(SCEN / f"{name}.yaml", book)
    mc_sens = analyse(loaded, book, run_scenario(loaded, book))
    mc = mc_sens.monte_carlo
    assert mc.method == "arrays" and mc.draws == 2000
    (p10, p50, p90, mean, below, base_metric), counts, (lo, hi) = LOOP_FIGURES[name]
    assert mc_sens.base == base_metric
    for got, want in ((mc.p10, p10), (mc.p50, p50), (mc.p90, p90), (mc.mean, mean), (mc.histogram[0][0], lo), (mc.histogram[-1][1], hi)):
        assert abs(got - want) <= 1e-6
    assert mc.base_share_below == below
    assert [c for _, _, c in mc.histogram] == counts


# ---------------------------------------------------------------------------------------------
# every input a sensitivity section can name, through the whole chain


def _draws_for(scenario, path: str) -> list[float]:
    """Draws that hit the branches: 0, the base, one and a half times it (a share kept ≤ 1),
    each one the field accepts on its own."""
    node = resolve_parameter(scenario, path)
    v = float(node.value)
    cand = [0.0, v, 1.5 * v] if v else [0.0, 0.05, 1.0]
    if isinstance(node, Share):
        cand = [min(c, 1.0) for c in cand]
    ok = []
    for c in cand:
        try:
            with_parameter(scenario, path, c)
        except ValueError:
            continue
        ok.append(c)
    return ok


def _measures(result) -> dict[str, object]:
    """Every measure by year (a measure the run does not have counts 0, as headline() does)."""
    years = list(result.scenario.years)
    return {m: measure_by_year(result, m) or {y: 0.0 for y in years} for m in MEASURES}


def _compare_path(loaded, book, path: str, values: list[float] | None = None) -> str:
    """Run the draws of one input as an array and one scalar run per draw: the same refusal, or
    the same value of every measure in every year for every draw."""
    values = values if values is not None else _draws_for(loaded.scenario, path)
    scalar, errors = [], []
    for v in values:
        try:
            scalar.append(_measures(run_scenario(_at(loaded, [(path, v)]), book, with_caseload=True, detail=False)))
        except (InputError, ValueError) as exc:  # a refusal (ValueError: an engine's own input check)
            errors.append({p.message for p in exc.problems} if isinstance(exc, InputError) else {type(exc).__name__})
    try:
        arrays = _measures(run_scenario(_at(loaded, [(path, np.array(values))]), book, with_caseload=True, detail=False))
    except (InputError, ValueError) as exc:
        assert errors, f"{path}: the arrays refuse a draw set the scalar runs accept: {exc}"
        got = {p.message for p in exc.problems} if isinstance(exc, InputError) else {type(exc).__name__}
        assert got <= set().union(*errors), (path, got, errors)
        return "refused"
    assert not errors, f"{path}: a scalar draw is refused, the arrays accept it: {errors}"
    for k, (v, one) in enumerate(zip(values, scalar)):
        assert one.keys() == arrays.keys(), path
        for m, by_year in one.items():
            for y, want in by_year.items():
                got = np.broadcast_to(arrays[m][y], (len(values),))[k]
                assert abs(got - want) <= 1e-6, (path, v, m, y, got, want)
    return "equal"


GENERIC = [
    SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml",  # an initiative, mentorramme, budgetgaranti, driftsloft
    SCEN / "lyngby-taarbaek-2016-refusionstrappe.yaml",  # the refusionstrappe
    SCEN / "testrup-2026-virksomhedskonsulenter.yaml",  # activatable share from STAR 2018, 2026 law
    SCEN / "varde-2014-arbejdsmarkedsydelse.yaml",  # caseload groups as budget lines (co-financing)
    FIX / "scenarios" / "fiktiv-2026-virksomhedskonsulenter.yaml",  # offers with their own prices
    FIX / "scenarios" / "reform-line-toy.yaml",  # reform lines computed from the caseload and the law
    FIX / "scenarios" / "oevo-mentor-toy.yaml",
    FIX / "scenarios" / "staircase-toy.yaml",  # the caseload priced week by week
    FIX / "memo" / "break-even-year-3.yaml",  # two initiatives on one group
    SCEN / "lyngby-taarbaek-2014-basis.yaml",  # long-term recipients, first 3 months, the population
]


def _shape(path: str) -> str:
    """A path with its keys (groups, initiatives, bands, years …) left out: one test per kind of input."""
    parts = path.split(".")
    keyed = {"groups", "initiatives", "offer_reductions", "activation", "duration", "purchases", "helaarstilbud_dkk", "parts", "lines", "years", "other", "offers"}
    return ".".join("*" if i and parts[i - 1] in keyed else p for i, p in enumerate(parts))


def _sourced_paths(node, parts: tuple = ()):
    """Every number with a source in a scenario (a path a sensitivity section can name)."""
    if isinstance(node, Sourced):
        yield ".".join(parts)
    elif isinstance(node, BaseModel):
        for k in type(node).model_fields:
            if parts or k != "sensitivity":
                yield from _sourced_paths(getattr(node, k), (*parts, k))
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _sourced_paths(v, (*parts, str(k)))


def test_every_input_a_sensitivity_section_can_name_varies_as_arrays(book):
    """Every number with a source in the bundled scenarios that resolve_parameter accepts (one of
    each kind), varied as an array of draws (0, the base, 1,5 × the base; then ± 5 pct. if 0 is
    refused), against one scalar run per draw: the same refusal or the same value of every measure
    in every year."""
    seen: dict[str, str] = {}
    for path in GENERIC:
        loaded = load_scenario(path, book)
        for p in _sourced_paths(loaded.scenario):
            if p.startswith(LOOP_ONLY) or _shape(p) in seen:
                continue
            try:
                node = resolve_parameter(loaded.scenario, p)
            except KeyError:
                continue  # a path a sensitivity section cannot name (a band '1-4', a year key)
            outcome = _compare_path(loaded, book, p)
            if outcome == "refused" and (v := float(node.value)):
                near = [0.95 * v, v, 1.05 * v]
                outcome = _compare_path(loaded, book, p, [min(x, 1.0) for x in near] if isinstance(node, Share) else near)
            seen[_shape(p)] = outcome
    assert {"budget.mentor.ramme_dkk", "municipality.driftsloft_pool.operating_expenses_dkk", "initiatives.*.persons_per_staff", "municipality.caseload.groups.*.activation.*"} <= set(seen)
    assert len(seen) >= 22 and set(seen.values()) == {"equal"}, seen


def test_named_inputs_vary_as_arrays(book):
    """A wage, a price, participants per staff, the duration effect, the mentorramme and a share."""
    job = load_scenario(SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml", book)
    for p in (
        "initiatives.personlig_jobformidler.wage_dkk_per_year",
        "municipality.prices.helaarstilbud_dkk.over_30",
        "initiatives.personlig_jobformidler.persons_per_staff",
        "assumptions.duration_effect",
        "budget.mentor.ramme_dkk",
        "municipality.bloktilskud_share",
        "municipality.driftsloft_pool.operating_expenses_dkk",
        "municipality.driftsloft_pool.helaarspersoner",
    ):
        v = float(resolve_parameter(job.scenario, p).value)
        values = [0.8 * v, v, 1.2 * v] if v else [0.0, 0.05, 0.1]
        assert _compare_path(job, book, p, values) == "equal", p
    assert _compare_path(job, book, "municipality.caseload.groups.kontanthjaelp_jobparat_over30.placeable_share", [0.6, 0.8, 1.0]) == "equal"


def test_a_cap_hit_by_some_draws_and_not_others(book):
    """The mentorramme caps the refund (LAB § 121 a: min(rate × expenses, ramme)): draws of the
    ramme below the expected refund lose refund, draws above it lose none; each draw equals its
    scalar run."""
    loaded = load_scenario(SCEN / "lyngby-taarbaek-2014-kontanthjaelpsreform.yaml", book)
    ramme = np.array([0.0, 1_000_000.0, 2_130_576.0, 5_000_000.0, 9_000_000.0])
    run = run_scenario(_at(loaded, [("budget.mentor.ramme_dkk", ramme)]), book, with_caseload=False, detail=False)
    lost = np.asarray(run.budget.line("mentor").dkk[2014])
    assert (lost > 0).any() and (lost == 0).any()
    for k, r in enumerate(ramme):
        one = run_scenario(_at(loaded, [("budget.mentor.ramme_dkk", float(r))]), book, with_caseload=False, detail=False)
        assert abs(lost[k] - one.budget.line("mentor").dkk[2014]) <= 1e-6
        assert abs(np.asarray(run.budget.lines[-1].dkk[2015])[k] - one.budget.lines[-1].dkk[2015]) <= 1e-6


def test_the_driftsloft_pool_straddling_its_cap(book, tmp_path):
    """The jobformidler initiative's cut in offers, refunded under the 2014 driftsloft (participants
    in benefit month 30, past the jobparate months without refund): pools of operating expenses
    below the loft lose the refund of the cut, pools above it lose none. Draws on both sides,
    through the whole chain, each equal to its scalar run."""
    p = tmp_path / "pool.yaml"
    p.write_text(
        f"kind: scenario\nid: pool\ntitle: Puljen\nextends:\n  - {SCEN / 'lyngby-taarbaek-2014-jobformidler.yaml'}\n"
        "initiatives:\n  personlig_jobformidler:\n    participant_benefit_month: 30\n",
        encoding="utf-8",
    )
    loaded = load_scenario(p, book)
    path = "municipality.driftsloft_pool.operating_expenses_dkk"
    pools = [1_000_000.0, 5_000_000.0, 12_000_000.0, 15_128_758.0, 40_000_000.0]
    assert _compare_path(loaded, book, path, pools) == "equal"
    got = measure_draws(loaded, book, "initiatives", [(path, np.array(pools))], len(pools))
    assert len(set(got[:3].tolist())) == 3 and got[-2] == got[-1]  # below the loft the cut costs refund; far above it, not


def test_the_driftsloft_pool_cap_element_wise():
    """LAB § 118 (2014): the refund of a change in offers is share × (min(pool + change, cap) −
    min(pool, cap)): a pool below the cap loses the refund of the cut (as far as the pool goes), a
    pool far above it loses none."""
    offers = (OfferLine("a", "a", "g", "kontanthjaelp", "vejledning_opkvalificering", -10.0, 50_000.0, 13),)
    pool = np.array([100_000.0, 1_000_000.0, 1_200_000.0, 3_000_000.0])
    rules = (OfferRefundRule(0.5, "g", 1_000_000.0, pool),)
    (got,) = offer_refund_changes(offers, rules)
    for k, e in enumerate(pool):
        (one,) = offer_refund_changes(offers, (OfferRefundRule(0.5, "g", 1_000_000.0, float(e)),))
        assert got[k] == one
    assert got.tolist() == [-50_000.0, -250_000.0, -150_000.0, 0.0]


# ---------------------------------------------------------------------------------------------
# a draw the model refuses


def _scenario_with_mc(tmp_path: Path, high: float) -> Path:
    p = tmp_path / "jobformidler-draws.yaml"
    p.write_text(
        textwrap.dedent(
            f"""\
            kind: scenario
            id: jobformidler-draws
            title: Jobformidlere med for mange deltagere i nogle træk
            extends:
              - {SCEN / 'lyngby-taarbaek-2014-basis.yaml'}
              - {SCEN / 'parts' / 'personlig-jobformidler.yaml'}
            sensitivity:
              seed: 5
              draws: 300
              measure: initiatives
              monte_carlo:
                - parameter: initiatives.personlig_jobformidler.persons_per_staff
                  label: Personer pr. jobformidler
                  distribution: uniform
                  low: 20
                  high: {high}
            """
        ),
        encoding="utf-8",
    )
    return p


def test_one_draw_above_the_room_refuses_the_draw_set(book, tmp_path):
    ok = load_scenario(_scenario_with_mc(tmp_path, 30), book)
    assert analyse(ok, book, run_scenario(ok, book)).monte_carlo.method == "arrays"
    bad = load_scenario(_scenario_with_mc(tmp_path, 400), book)
    draws, _, _ = monte_carlo_draws(bad.scenario)
    col = draws[0][1]
    assert (col < 30).any()  # most draws are fine, some are not
    with pytest.raises(InputError) as exc:
        analyse(bad, book, run_scenario(bad, book))
    problems = exc.value.problems
    assert {p.field for p in problems} == {"initiatives.personlig_jobformidler.persons_per_staff"}
    # the messages the scalar run gives for the first draw that breaks the checks
    first = next(float(v) for v in col if _refused(bad, book, v))
    with pytest.raises(InputError) as one:
        run_scenario(_at(bad, [(draws[0][0], first)]), book)
    assert [(p.file, p.line, p.message) for p in problems] == [(p.file, p.line, p.message) for p in one.value.problems]
    assert "deltagere, men gruppen" in problems[0].message and f"{fmt.number(2 * first, 2).rstrip('0').rstrip(',')} deltagere" in problems[0].message


def _refused(loaded, book, v: float) -> bool:
    try:
        run_scenario(_at(loaded, [("initiatives.personlig_jobformidler.persons_per_staff", v)]), book, with_caseload=False, detail=False)
    except InputError:
        return True
    return False


def test_the_cli_exits_with_one_danish_error(tmp_path):
    bad = _scenario_with_mc(tmp_path, 400)
    res = CliRunner().invoke(app, ["businesscase", str(bad), "--format", "md", "--out", str(tmp_path / "m.md")])
    assert res.exit_code != 0
    assert "deltagere, men gruppen" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m.md").exists()
    # validate refuses what businesscase would, with the same message (and passes the good one)
    checked = CliRunner().invoke(app, ["validate", str(bad)])
    assert checked.exit_code == 1 and "deltagere, men gruppen" in checked.output and "Traceback" not in checked.output
    assert CliRunner().invoke(app, ["validate", str(_scenario_with_mc(tmp_path, 30))]).exit_code == 0


def test_the_automatic_tornado_leaves_a_refused_input_out(book):
    """Without a sensitivity section, an assumption whose ±20 pct. the model refuses is left out;
    the others equal two scalar runs each."""
    loaded = load_scenario(SCEN / "lyngby-taarbaek-2014-basis.yaml", book)
    base = run_scenario(loaded, book)
    sens = analyse(loaded, book, base)
    assert sens is None or sens.automatic
    for bar in ([] if sens is None else sens.tornado + sens.unmoved):
        lo = headline(run_scenario(_at(loaded, [(bar.parameter, bar.low)]), book, with_caseload=sens.measure == "caseload", detail=False), sens.measure)
        hi = headline(run_scenario(_at(loaded, [(bar.parameter, bar.high)]), book, with_caseload=sens.measure == "caseload", detail=False), sens.measure)
        assert abs(bar.metric_low - lo) <= 1e-6 and abs(bar.metric_high - hi) <= 1e-6


# ---------------------------------------------------------------------------------------------
# the documented fallback: inputs in LOOP_ONLY run one scenario per draw, and the memo says so


def test_the_loop_fallback_gives_the_same_draws_and_the_memo_names_it(book, tmp_path, monkeypatch):
    """An input in LOOP_ONLY runs one scenario per draw: the same P10/P50/P90 as the arrays, the
    method named in the result and a note in the memo (here the loop is forced on an input that
    the arrays handle, to compare the two)."""
    from budgetmodel.reports.context import memo_context
    from budgetmodel.reports.render import render
    from budgetmodel.scenario import sensitivity

    loaded = load_scenario(_scenario_with_mc(tmp_path, 30), book)
    base = run_scenario(loaded, book)
    arrays = analyse(loaded, book, base)
    assert arrays.monte_carlo.method == "arrays"
    assert "ét ad gangen" not in render(memo_context(base, arrays), "md").decode("utf-8")
    monkeypatch.setattr(sensitivity, "LOOP_ONLY", ("initiatives.",))
    loop = analyse(loaded, book, base)
    mc = loop.monte_carlo
    assert mc.method == "loop"
    for a, b in ((mc.p10, arrays.monte_carlo.p10), (mc.p50, arrays.monte_carlo.p50), (mc.p90, arrays.monte_carlo.p90), (mc.mean, arrays.monte_carlo.mean)):
        assert abs(a - b) <= 1e-6
    ctx = memo_context(base, loop)
    assert ctx["sensitivity"]["mc"]["method"] == "loop"
    assert "Trækkene er regnet ét ad gangen" in render(ctx, "md").decode("utf-8")


def test_a_forecasts_inflow_growth_runs_draw_by_draw(book, tmp_path):
    """The forecast re-projects the person-week panel for each inflow growth: method 'loop', each
    draw equal to its own scenario run."""
    import datetime as dt
    import shutil

    from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, week_number
    from budgetmodel.forecast import synthetic as sy
    from budgetmodel.scenario.sensitivity import method_for

    specs = {"kontanthjaelp": sy.BenefitSpec(inflow_per_week=6.0, hazard=(0.03,), amount_dkk_per_week=2400.0, activation_probs={"none": 0.7, "virksomhedspraktik": 0.3})}
    panel = sy.simulate(specs, week_number(dt.date(2017, 1, 2)), 130, benefits=BENEFITS, activations=ACTIVATIONS, seed=7, burn_in_weeks=150)
    sy.to_frame(panel).to_csv(tmp_path / "panel.csv", index=False)
    shutil.copy(FIX / "scenarios" / "staircase-toy.yaml", tmp_path / "toy.yaml")
    (tmp_path / "s.yaml").write_text(
        "kind: scenario\nid: toy-forecast\ntitle: Testkommune med fremskrivning\nextends: [toy.yaml]\nyears: [2020, 2021]\n"
        "municipality:\n  caseload:\n    forecast:\n      panel: panel.csv\n      years: 3\n      note: Syntetisk panel\n"
        "      inflow_growth: {value: 0.05, status: assumption, source: Test}\n",
        encoding="utf-8",
    )
    loaded = load_scenario(tmp_path / "s.yaml", book)
    path = "municipality.caseload.forecast.inflow_growth"
    assert method_for([path, "assumptions.duration_effect"]) == "loop" and method_for(["assumptions.duration_effect"]) == "arrays"
    draws = [(path, np.array([0.0, 0.1]))]
    got = measure_draws(loaded, book, "caseload", draws, 2)
    np.testing.assert_allclose(got, per_draw(loaded, book, "caseload", draws, range(2)), rtol=0, atol=1e-6)
    assert got[1] > got[0]  # more inflow, more net cost


def test_the_activatable_default_from_star_takes_draws(book, tmp_path):
    """A group without an activatable share gets 1 − STAR's passive share × its long-term share
    (unitcost.passivity); the long-term share's draws straddle 1 (capped: min(1, long-term /
    helårspersoner)) and each equals its scalar run."""
    p = tmp_path / "star.yaml"
    p.write_text(
        textwrap.dedent(
            f"""\
            kind: scenario
            id: star-draws
            title: Aktiverbar andel fra STAR
            extends: [{FIX / 'scenarios' / 'fiktiv-2026-virksomhedskonsulenter.yaml'}]
            municipality:
              caseload:
                groups:
                  aktivitetsparate_over30:
                    long_term_helaarspersoner: {{value: 300, status: assumption, source: Test}}
            initiatives:
              virksomhedskonsulenter:
                to_activation: nytteindsats
                participants: {{value: 200, status: assumption, source: Test}}
            """
        ),
        encoding="utf-8",
    )
    loaded = load_scenario(p, book)
    group = "municipality.caseload.groups.aktivitetsparate_over30"
    # 200 participants fit while 1 − 27 pct. × long-term share leaves room: 400 × 0,9325 − 140 ≥ 200
    assert _compare_path(loaded, book, f"{group}.long_term_helaarspersoner", [100.0, 150.0, 200.0]) == "equal"
    # at 300 and 400 long-term recipients the activatable share (79,75 and 73 pct.) leaves too little room
    assert _compare_path(loaded, book, f"{group}.long_term_helaarspersoner", [100.0, 300.0, 400.0]) == "refused"
    assert _compare_path(loaded, book, f"{group}.helaarspersoner", [500.0, 600.0, 800.0]) == "equal"


def test_inputs_no_bundled_scenario_names_vary_as_arrays(book, tmp_path):
    """A wage per staff member, an offer's own price, and the share of the covered expenses (a
    budgetgaranti part keyed on them) vary as arrays like the rest."""
    (tmp_path / "wage.yaml").write_text(
        textwrap.dedent(
            f"""\
            kind: scenario
            id: wage-draws
            title: Løn pr. medarbejder og egen pris
            extends: [{FIX / 'scenarios' / 'fiktiv-2026-virksomhedskonsulenter.yaml'}]
            initiatives:
              virksomhedskonsulenter:
                wage_dkk_per_staff: {{value: 520000, status: assumption, source: Test}}
                offer_reductions:
                  over_30:
                    price_dkk: {{value: 70000, status: assumption, source: Test}}
            """
        ),
        encoding="utf-8",
    )
    wage = load_scenario(tmp_path / "wage.yaml", book)
    for p, values in (
        ("initiatives.virksomhedskonsulenter.wage_dkk_per_staff", [400_000.0, 520_000.0, 700_000.0]),
        ("initiatives.virksomhedskonsulenter.offer_reductions.over_30.price_dkk", [0.0, 70_000.0, 90_000.0]),
    ):
        assert _compare_path(wage, book, p, values) == "equal", p
    # staff without a wage, and a wage without staff, are refused for the draw set as for one run
    assert _compare_path(wage, book, "initiatives.virksomhedskonsulenter.wage_dkk_per_staff", [0.0, 520_000.0]) == "refused"
    assert _compare_path(wage, book, "initiatives.virksomhedskonsulenter.staff_count", [0.0, 3.0]) == "refused"
    (tmp_path / "covered.yaml").write_text(
        textwrap.dedent(
            f"""\
            kind: scenario
            id: covered-draws
            title: Nøgle efter de omfattede udgifter
            extends: [{FIX / 'scenarios' / 'reform-line-toy.yaml'}]
            budget:
              budgetgaranti:
                covered_expenses_share: {{value: 0.01, status: assumption, source: Test}}
                parts:
                  refusionsreform:
                    key: covered_expenses
            """
        ),
        encoding="utf-8",
    )
    covered = load_scenario(tmp_path / "covered.yaml", book)
    assert _compare_path(covered, book, "budget.budgetgaranti.covered_expenses_share", [0.0, 0.01, 0.02]) == "equal"
    got = measure_draws(covered, book, "budget", [("budget.budgetgaranti.covered_expenses_share", np.array([0.0, 0.02]))], 2)
    assert got[0] != got[1]
