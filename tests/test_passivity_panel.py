"""A panel's own passive share (STAR 2018) in `refund` and `forecast`, in memory and out of core.

The small panel below is counted by hand (comments give each person's reading); both paths must
give the same block, and the STAR 2018 shares beside it come from data/star2018."""

import json
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.financing.panel import PanelArrays, Where, read_panel_arrays
from budgetmodel.paths import data_dir
from budgetmodel.unitcost.passivity import StarData, load_passivity_assumptions, passive_share, passivity_counts, reference_week
from test_passivity import _weeks

runner = CliRunner()


def _write(path, spells):
    rows = ["person_id,week,benefit,activation,amount_dkk"]
    for pid, benefit, start, end, offers in spells:
        for w in _weeks(start, end):
            rows.append(f"{pid},{w},{benefit},{offers.get(w, 'none')},4000")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


# Reference week 2019-W10 (the panel's last); the last year = 2018-W11 … 2019-W10 (2018 has 52 weeks).
SPELLS = [
    ("A", "dagpenge", "2018-W01", "2019-W10", {}),  # 62 weeks, no offer: long-term, passive
    ("B", "dagpenge", "2018-W01", "2019-W10", {"2018-W11": "loentilskud"}),  # offer in the window's first week: active
    ("C", "dagpenge", "2018-W01", "2019-W10", {"2018-W10": "virksomhedspraktik"}),  # offer a week before the window: passive
    ("D", "dagpenge", "2018-W11", "2019-W10", {}),  # exactly 52 weeks: long-term, passive
    ("E", "dagpenge", "2018-W12", "2019-W10", {}),  # 51 weeks: not long-term
    ("F", "sygedagpenge", "2018-W01", "2018-W30", {}),  # sygedagpenge, then 32 weeks of dagpenge: other group, run broken
    ("F", "dagpenge", "2018-W31", "2019-W10", {}),
    ("G", "kontanthjaelp", "2018-W01", "2018-W40", {"2018-W20": "mentor"}),  # udsatte 62 weeks across two benefits;
    ("G", "ressourceforloeb", "2018-W41", "2019-W10", {}),  # mentor counts as an offer: active
    ("H", "ledighedsydelse", "2018-W01", "2019-W10", {}),  # udsatte, passive
    ("I", "sygedagpenge", "2018-W01", "2019-W10", {"2019-W10": "delvis_raskmelding"}),  # offer in the reference week: active
    ("J", "uddannelseshjaelp", "2018-W01", "2019-W09", {}),  # off benefit in the reference week
    ("K", "fleksjob", "2018-W01", "2019-W10", {}),  # not one of STAR's groups
] + [  # short spells that end, so the forecast can estimate exits; off benefit in the reference week
    (f"X{i}", b, "2018-W05", "2018-W20", {}) for i, b in enumerate(("dagpenge", "sygedagpenge", "kontanthjaelp", "ressourceforloeb", "ledighedsydelse", "uddannelseshjaelp", "fleksjob"))
]


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("passiv") / "panel.csv", SPELLS)


def _groups(block):
    return {g["group"]: (g["long_term_persons"], g["passive_persons"], g["passive_share"]) for g in block["groups"]}


def _refund(panel, *args):
    res = runner.invoke(app, ["refund", str(panel), "--json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _forecast(panel, *args):
    res = runner.invoke(app, ["forecast", str(panel), "--years", "1", "--bootstrap", "0", "--json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_refund_reports_the_panels_passive_share_by_hand_through_both_paths(panel):
    whole = _refund(panel, "--in-memory")["passive_share"]
    assert whole["reference_week"] == "2019-W10" and whole["computed"] is True and whole["message"] is None
    # dagpenge: A, B, C, D long-term; A, C, D passive → 3 / 4; sygedagpenge: I active → 0 / 1;
    # udsatte: G (ressourceforløb, active), H (ledighedsydelse, passive) → 1 / 2
    assert _groups(whole) == {"dagpenge": (4, 3, 0.75), "sygedagpenge": (1, 0, 0.0), "udsatte": (2, 1, 0.5)}
    udsatte = whole["groups"][2]
    assert udsatte["by_benefit"] == {"ledighedsydelse": {"long_term_persons": 1, "passive_persons": 1}, "ressourceforloeb": {"long_term_persons": 1, "passive_persons": 0}}
    # beside STAR 2018: national 16/22/27 pct., surveyed 34/38/48 pct. (data/star2018/passivandele.csv)
    assert [(g["national_share"], g["surveyed_share"]) for g in whole["groups"]] == [(0.16, 0.34), (0.22, 0.38), (0.27, 0.48)]
    assert [g["difference_to_national_pct_points"] for g in whole["groups"]] == [59.0, -22.0, 23.0]
    assert "mindst 52 sammenhængende uger" in whole["convention"] and "personer, ikke helårspersoner" in whole["convention"]
    for k in (1, 2, 5):
        assert _refund(panel, "--partitioned", "--partitions", str(k))["passive_share"] == whole, k


def test_the_reference_week_option_reads_as_passivandel_at(panel):
    blocks = [_refund(panel, "--passivandel-uge", "2019-W09", path)["passive_share"] for path in ("--in-memory", "--partitioned")]
    assert blocks[0] == blocks[1]
    # window 2018-W10 … 2019-W09: B's and C's offers both inside; D has 51 weeks; I's offer comes after;
    # J is on uddannelseshjælp in the week. dagpenge A, B, C → 1 / 3; sygedagpenge I → 1 / 1; udsatte G, H, J → 2 / 3
    assert _groups(blocks[0]) == {"dagpenge": (3, 1, pytest.approx(1 / 3)), "sygedagpenge": (1, 1, 1.0), "udsatte": (3, 2, pytest.approx(2 / 3))}
    standalone = runner.invoke(app, ["passivandel", str(panel), "--at", "2019-W09", "--json"])
    assert [g["passive_share"] for g in json.loads(standalone.stdout)["groups"]] == [g["passive_share"] for g in blocks[0]["groups"]]


def test_forecast_reports_the_same_block_in_memory_and_out_of_core(panel):
    whole = _forecast(panel, "--in-memory")["passive_share"]
    assert whole == _refund(panel)["passive_share"]
    assert _forecast(panel, "--partitioned", "--partitions", "3")["passive_share"] == whole
    txt = runner.invoke(app, ["forecast", str(panel), "--years", "1", "--bootstrap", "0"])
    assert txt.exit_code == 0, txt.output
    assert "Passivandel (STAR 2018-metoden) i referenceugen 2019-W10" in txt.stdout
    row = next(line for line in txt.stdout.splitlines() if line.strip().startswith("Dagpenge "))
    assert row.split() == ["Dagpenge", "4", "3", "75,0", "16", "34", "59,0"]


def test_refund_table_shows_the_share_beside_star_and_labels_follow_up_as_no_reason(panel):
    txt = runner.invoke(app, ["refund", str(panel)])
    assert txt.exit_code == 0, txt.output
    rows = {line.split()[0]: line.split()[1:] for line in txt.stdout.splitlines() if line.strip().startswith(("Dagpenge ", "Sygedagpenge ", "Udsatte "))}
    assert rows == {"Dagpenge": ["4", "3", "75,0", "16", "34", "59,0"], "Sygedagpenge": ["1", "0", "0,0", "22", "38", "-22,0"], "Udsatte": ["2", "1", "50,0", "27", "48", "23,0"]}
    flat = " ".join(txt.stdout.split())
    assert "Styringsfund hos STAR 2018 (om kommunernes opfølgning, ikke årsager til passivitet): Løbende opfølgning" in flat


def test_a_panel_shorter_than_a_year_says_so_in_danish(tmp_path):
    short = _write(tmp_path / "kort.csv", [("A", "dagpenge", "2018-W01", "2018-W30", {})])
    for path in ("--in-memory", "--partitioned"):
        block = _refund(short, path)["passive_share"]
        assert block["computed"] is False
        assert block["message"] == (
            "Passivandelen er ikke beregnet: panelet begynder 2018-W01, kun 30 uger til og med referenceugen 2018-W30; "
            "passivandelen kræver mindst 52 uger (1 års anciennitet og det seneste års indsats, STAR 2018) — vælg en senere referenceuge eller et længere panel"
        )
        assert [g["passive_share"] for g in block["groups"]] == [None, None, None]
        assert [g["national_share"] for g in block["groups"]] == [0.16, 0.22, 0.27]
    txt = runner.invoke(app, ["refund", str(short)])
    assert txt.exit_code == 0 and "Passivandelen er ikke beregnet" in " ".join(txt.stdout.split()) and "ikke beregnet" in txt.stdout


def test_a_reference_week_not_in_the_panel_is_one_clear_error(panel):
    for week, expect in (("2019-W11", "ligger uden for panelet (2018-W01 til 2019-W10)"), ("2019-11", "er ikke en ISO-uge")):
        for path in ("--in-memory", "--partitioned"):
            res = runner.invoke(app, ["refund", str(panel), "--passivandel-uge", week, path])
            assert res.exit_code == 1 and "Traceback" not in res.output
            assert "--passivandel-uge" in res.output and expect in res.output


def test_the_star_shares_come_from_data(tmp_path, panel):
    root = tmp_path / "data"
    shutil.copytree(data_dir() / "star2018", root / "star2018")
    table = root / "star2018" / "passivandele.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(";34%;16%;", ";40%;20%;"), encoding="utf-8")
    r = passive_share(read_panel_arrays(panel), StarData.load(root), load_passivity_assumptions())
    g = r.groups[0].as_dict()
    assert (g["national_share"], g["surveyed_share"], g["difference_to_national_pct_points"]) == (0.20, 0.40, 55.0)


def test_follow_up_is_a_governance_finding_not_a_reason():
    star = StarData.load()
    found = {r["code"]: r for r in star.governance_findings()}
    assert found["ledelse_opfoelgning"]["kind"] == "styring" and found["ledelse_opfoelgning"]["printed"] == "omkring fire ud af fem"
    for group in ("dagpenge", "sygedagpenge", "udsatte"):
        codes = [r["code"] for r in star.reasons_for(group)]
        assert "ledelse_opfoelgning" not in codes and "politisk_droeftelse" not in codes
        assert all(r["kind"] == "aarsag" for r in star.reasons_for(group))
    # 'sygedagpenge og udsatte' is no reason given for dagpenge
    assert "R1_komplekse" not in [r["code"] for r in star.reasons_for("dagpenge")]
    assert "R1_komplekse" in [r["code"] for r in star.reasons_for("sygedagpenge")]


def test_an_unknown_kind_in_the_reasons_table_is_refused(tmp_path):
    from budgetmodel.errors import InputError

    root = tmp_path / "data"
    shutil.copytree(data_dir() / "star2018", root / "star2018")
    table = root / "star2018" / "aarsager.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("ledelse_opfoelgning;styring;", "ledelse_opfoelgning;grund;"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        StarData.load(root)
    assert "ledelse_opfoelgning.art" in e.value.render() and "aarsag, styring" in e.value.render()


def _reference(panel: PanelArrays, ref_week: int, anc: int, win: int, active: set[int], group_of: dict[int, str]) -> dict[tuple[str, int], list[int]]:
    """A person-by-person reading of STAR's definition (a test oracle): (group, benefit) → [long-term, passive]."""
    from budgetmodel.financing.panel import parse_week, week_number

    wk = [int(week_number(parse_week(w))) for w in panel.week_labels]
    rows: dict[int, list[tuple[int, int, int]]] = {}
    for p, w, b, a in zip(panel.person, panel.week, panel.benefit, panel.activation):
        rows.setdefault(int(p), []).append((wk[w], int(b), int(a)))
    out: dict[tuple[str, int], list[int]] = {}
    for p, rs in rows.items():
        is_active = any(a in active and ref_week - win < w <= ref_week for w, _, a in rs)
        for g in sorted(set(group_of.values())):
            weeks = {w for w, b, _ in rs if group_of.get(b) == g}
            if ref_week not in weeks:
                continue
            n = 0
            while ref_week - n in weeks:
                n += 1
            if n >= anc:
                b = min(b for w, b, _ in rs if w == ref_week and group_of.get(b) == g)
                c = out.setdefault((g, b), [0, 0])
                c[0] += 1
                c[1] += not is_active
    return out


def test_counts_match_a_person_by_person_reading_on_random_panels():
    from budgetmodel.codes import ACTIVATIONS, BENEFITS
    from budgetmodel.financing.panel import week_label

    a = load_passivity_assumptions()
    active = {ACTIVATIONS.index(x) for x in a.active_activations.value}
    group_of = {BENEFITS.index(b): g for b, g in a.benefit_groups.value.items()}
    rng = np.random.default_rng(11)
    first = 2500
    labels = [week_label(first + i) for i in range(120)]
    for _ in range(5):
        n = 3000
        person = rng.integers(0, 60, n)
        week = np.sort(rng.integers(0, 120, n)).astype(np.int32)
        # long unbroken runs are rare at random: give a third of the persons every week on one benefit
        full = np.repeat(np.arange(60, 80), 120)
        person = np.r_[person, full]
        week = np.r_[week, np.tile(np.arange(120, dtype=np.int32), 20)]
        benefit = rng.choice([0, 1, 3, 4, 5, 7, 8], person.size).astype(np.int8)
        benefit[n:] = np.repeat(rng.choice([0, 3, 4, 8], 20), 120)
        activation = np.where(rng.random(person.size) < 0.01, rng.integers(1, len(ACTIVATIONS), person.size), 0).astype(np.int8)
        panel = PanelArrays(person.astype(np.int64), None, week, labels, benefit, activation, np.full(person.size, 1.0), Where("x", "frame"))
        for ref_i in (60, 90, 119):
            ref = first + ref_i
            counts = passivity_counts(panel, a, ref)
            expect = _reference(panel, ref, 52, 52, active, group_of)
            got = {(group_of[b], b): [int(counts[b, 0]), int(counts[b, 1])] for b in group_of if counts[b, 0]}
            assert got == expect
            assert sum(v[0] for v in expect.values()) > 5


def test_reference_week_is_the_last_week_by_default():
    a = load_passivity_assumptions()
    assert reference_week(100, 200, None, a, "p.csv") == (200, None)
    ref, message = reference_week(100, 140, None, a, "p.csv", strict=False)
    assert ref == 140 and "kun 41 uger" in message
