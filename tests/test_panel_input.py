"""Real extracts in: CSV dialects, a source system's codes, the count at start, calendar years,
the rows file, one rates fingerprint, `budgetmodel koder` (issue 14)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from budgetmodel.cli import app
from budgetmodel.codes import ACTIVATIONS, BENEFITS, CODE_NAMES
from budgetmodel.errors import InputError
from budgetmodel.financing.panel import read_panel
from budgetmodel.financing.panel_input import StartCounts, detect_dialect
from budgetmodel.financing.refund import compute_refunds, refund_summary, summarise
from budgetmodel.rates import load_rates
from refund_reference import random_panel, reference_rows, week_str

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
runner = CliRunner()


@pytest.fixture(scope="module")
def book():
    return load_rates()


def refund(*args):
    return runner.invoke(app, ["refund", *map(str, args)])


def danish(x: float) -> str:
    return f"{x:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def write_danish(df: pd.DataFrame, path: Path) -> None:
    out = df.copy()
    out["amount_dkk"] = [danish(v) for v in out["amount_dkk"]]
    out.to_csv(path, sep=";", index=False)


# ----------------------------------------------------------------------------- dialects


def test_danish_csv_is_read_from_the_file_itself_and_priced_like_the_standard_file(tmp_path, book):
    df = random_panel(60, seed=14, first="2015-W40", weeks=120)
    std, dk = tmp_path / "std.csv", tmp_path / "dk.csv"
    df.to_csv(std, index=False)
    write_danish(df, dk)
    assert "1.234,56" in danish(1234.56) and ";" in dk.read_text().splitlines()[0]
    d = detect_dialect(dk)
    assert (d.delimiter, d.decimal) == (";", ",")
    a, b = read_panel(std), read_panel(dk)
    np.testing.assert_array_equal(a["amount_dkk"].to_numpy(), b["amount_dkk"].to_numpy())
    ra, rb = refund(std, "--json"), refund(dk, "--json")
    assert ra.exit_code == 0 and rb.exit_code == 0, rb.stderr
    ja, jb = json.loads(ra.stdout), json.loads(rb.stdout)
    ja.pop("file"), jb.pop("file")
    assert ja == jb
    ref = pd.DataFrame(reference_rows(df.to_dict("records"), book))
    assert abs(jb["state_dkk"] - ref.state_dkk.sum()) < 0.01


def test_semicolon_with_decimal_point_and_thousands_points(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("person_id;week;benefit;activation;amount_dkk\n1;2016-W01;kontanthjaelp;none;300.5\n1;2016-W02;kontanthjaelp;none;1000\n")
    assert detect_dialect(p).decimal == "."
    assert read_panel(p)["amount_dkk"].tolist() == [300.5, 1000.0]
    q = tmp_path / "q.csv"
    q.write_text("person_id;week;benefit;activation;amount_dkk\n1;2016-W01;kontanthjaelp;none;1.234\n1;2016-W02;kontanthjaelp;none;2.000,25\n")
    assert read_panel(q)["amount_dkk"].tolist() == [1234.0, 2000.25]


def test_forced_wrong_format_gives_one_problem_with_a_danish_hint(tmp_path):
    p = tmp_path / "dk.csv"
    p.write_text("person_id;week;benefit;activation;amount_dkk\n1;2016-W01;kontanthjaelp;none;1.234,56\n")
    r = refund(p, "--csv-format", "standard", "--json")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("1 fejl i input:")
    assert "mangler kolonnerne 'person_id', 'week', 'benefit', 'activation', 'amount_dkk'" in r.stderr
    assert "overskriften indeholder semikolon: prøv --csv-format dansk" in r.stderr


def test_bad_danish_amount_names_line_and_the_format_read(tmp_path):
    p = tmp_path / "dk.csv"
    p.write_text("person_id;week;benefit;activation;amount_dkk\n1;2016-W01;kontanthjaelp;none;1.234,56\n1;2016-W02;kontanthjaelp;none;12,3,4\n")
    r = refund(p, "--json")
    assert r.exit_code == 1
    assert f"{p}:3: [amount_dkk] '12,3,4' er ikke et tal" in r.stderr and "decimalkomma" in r.stderr


# ----------------------------------------------------------------------------- code mapping


def test_bundled_danish_extract_with_mapping_prices_like_the_standard_sample():
    a = refund(EX / "panel-eksempel.csv", "--start-count", EX / "optaelling-ved-start.csv", "--json")
    b = refund(EX / "panel-eksempel-dansk.csv", "--kortlaegning", EX / "kortlaegning-dst.yaml", "--start-count", EX / "optaelling-ved-start.csv", "--json")
    assert a.exit_code == 0 and b.exit_code == 0, b.stderr
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    for k in ("gross_dkk", "state_dkk", "municipal_dkk", "by_benefit", "by_calendar_year", "persons", "rows"):
        assert ja[k] == jb[k]
    assert ja["warnings"] == [] and ja["rows"] > 1000


def test_mapping_translates_drops_null_codes_and_names_unknown_codes(tmp_path, book):
    p = tmp_path / "x.csv"
    p.write_text(
        "cpr;uge;ydelseskode;aktiveringskode;beloeb\n"
        "A;2016-W01;318;00;1.000,00\n"
        "A;2016-W02;411;00;9.999,00\n"  # førtidspension: not priced, a self-support week
        "A;2016-W03;318;12;1.000,00\n"
        "B;2016-W01;kontanthjaelp;none;500,50\n"  # the model's own codes pass
    )
    m = EX / "kortlaegning-dst.yaml"
    df = read_panel(p, mapping=m)
    assert df["benefit"].tolist() == ["kontanthjaelp", "kontanthjaelp", "kontanthjaelp"]
    assert df["activation"].tolist() == ["none", "loentilskud", "none"]
    rows = compute_refunds(df, book)
    assert rows["spell_week"].tolist() == [1, 1, 1]  # W02 dropped: the spell starts over
    p.write_text(p.read_text() + "B;2016-W02;999;00;1,00\n")
    with pytest.raises(InputError) as exc:
        read_panel(p, mapping=m)
    assert f"{p}:6: [benefit] ukendt ydelseskode '999' (forventede en kode i kortlægningen {m}" in str(exc.value)


def test_broken_mapping_file_is_named_with_line(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text("kind: code-mapping\nname: x\nsource: y\nbenefit:\n  '1': kontanthjaelp\n  '2': kontant\n")
    p = tmp_path / "p.csv"
    p.write_text("person_id,week,benefit,activation,amount_dkk\n1,2016-W01,1,none,1\n")
    r = refund(p, "--kortlaegning", m)
    assert r.exit_code == 1 and f"{m}:4: [benefit]" in r.stderr and "ukendt ydelseskode 'kontant'" in r.stderr


# ----------------------------------------------------------------------------- count at start


def start_counts_for(df: pd.DataFrame, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {p: int(rng.choice([0, 3, 4, 25, 26, 51, 52, 60])) for p in df["person_id"].unique()}


def test_count_at_start_matches_the_reference_to_the_krone(book):
    df = random_panel(200, seed=2023, first="2023-W01", weeks=150)
    counts = start_counts_for(df, 7)
    ref = pd.DataFrame(reference_rows(df.to_dict("records"), book, start_counts=counts))
    sc = StartCounts({str(k): v for k, v in counts.items()}, "<test>")
    got = compute_refunds(df, book, start_counts=sc)
    np.testing.assert_array_equal(got.count_week.to_numpy(), ref.count_week.to_numpy())
    np.testing.assert_array_equal(got.state_share.to_numpy(), ref.state_share.to_numpy())
    s = summarise(got)
    assert abs(s["state_dkk"] - ref.state_dkk.sum()) < 0.01
    assert s["warnings"] == []
    plain = refund_summary(df, book)
    assert plain["state_dkk"] > s["state_dkk"]  # counting from 1 overstates the refund
    assert plain["warnings"] and "efter 2014-W27" in plain["warnings"][0]


def test_count_at_start_continues_the_staircase_and_restarts_after_52_weeks(book):
    df = pd.DataFrame(
        [{"person_id": "a", "week": w, "benefit": "kontanthjaelp", "activation": "none", "amount_dkk": 1000.0} for w in ("2023-W01", "2023-W02")]
        + [{"person_id": "b", "week": "2024-W02", "benefit": "kontanthjaelp", "activation": "none", "amount_dkk": 1000.0}]
        + [{"person_id": "b", "week": "2023-W01", "benefit": "kontanthjaelp", "activation": "none", "amount_dkk": 1000.0}]
    )
    rows = compute_refunds(df, book, start_counts=StartCounts({"a": 25, "b": 60}, "<t>"))
    # a: weeks 26 and 27 of the count (40 pct. in weeks 5-26, 30 pct. in 27-52)
    assert rows["count_week"].tolist() == [26, 27, 1, 61]
    assert rows["state_share"].tolist()[:2] == [0.4, 0.3]
    # b: 2023-W01 is week 61 (20 pct.); 2024-W02 follows 52 self-support weeks (2023-W02 … 2023-W52,
    # 2024-W01), so the count starts over (§ 6, stk. 1): week 1, 80 pct.
    assert rows["state_share"].tolist()[2:] == [0.8, 0.2]
    rows = compute_refunds(df.assign(week=df["week"].replace("2024-W02", "2024-W01")), book, start_counts=StartCounts({"a": 25, "b": 60}, "<t>"))
    assert rows["count_week"].tolist() == [26, 27, 62, 61]  # 51 self-support weeks: no restart


def test_start_count_file_errors_are_listed_at_once(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("person_id;count_weeks\n1;4\n2;-1\n1;5\n3;fire\n")
    r = refund(EX / "panel-eksempel.csv", "--start-count", p)
    assert r.exit_code == 1
    assert f"{p}:3: [count_weeks] negativt antal uger -1" in r.stderr
    assert f"{p}:4: [person_id] person '1' står to gange (første gang i linje 2)" in r.stderr
    assert f"{p}:5: [count_weeks] 'fire' er ikke et helt antal uger" in r.stderr


def test_no_warning_for_a_panel_from_before_the_origin(book):
    df = random_panel(20, seed=1, first="2014-W01", weeks=60)
    assert refund_summary(df, book)["warnings"] == []


# ----------------------------------------------------------------------------- calendar years


def test_calendar_years_split_weeks_by_days_so_a_53_week_year_is_not_dearer(book):
    # one person on benefit every week 2019-W01 … 2022-W52 at 700 kr. a week (100 kr. a day);
    # ISO 2020 has 53 weeks, 2021 has 52
    m = dt.date.fromisocalendar(2019, 1, 1)
    weeks = []
    while True:
        w = week_str(m)
        if w == "2023-W01":
            break
        weeks.append(w)
        m += dt.timedelta(weeks=1)
    df = pd.DataFrame({"person_id": 1, "week": weeks, "benefit": "kontanthjaelp", "activation": "none", "amount_dkk": 700.0})
    s = refund_summary(df, book, start_counts=StartCounts({"1": 100}, "<t>"))
    assert s["year_convention"] == "calendar_year_days"
    by = {y["year"]: y for y in s["by_calendar_year"]}
    assert by[2018]["gross_dkk"] == 100.0  # 2019-W01 starts Monday 31 December 2018
    assert by[2020]["gross_dkk"] == 36600.0 and by[2020]["helaarspersoner"] == 1.0  # leap year: 366 days
    assert by[2021]["gross_dkk"] == 36500.0 and by[2021]["helaarspersoner"] == 1.0
    assert by[2022]["gross_dkk"] == 36500.0  # 1-2 January from 2021-W52, 6 days of 2022-W52
    assert by[2023]["gross_dkk"] == 100.0  # 2022-W52 ends Sunday 1 January 2023
    assert abs(sum(y["gross_dkk"] for y in s["by_calendar_year"]) - s["gross_dkk"]) < 0.01
    assert abs(sum(y["state_dkk"] for y in s["by_calendar_year"]) - s["state_dkk"]) < 0.01
    assert by[2021]["by_benefit"]["kontanthjaelp"]["state_dkk"] == by[2021]["state_dkk"] == 36500.0 * 0.2


# ----------------------------------------------------------------------------- outputs


def test_rows_file_is_rounded_to_ore_and_adds_up(tmp_path):
    out, dk = tmp_path / "rows.csv", tmp_path / "rows-dk.csv"
    assert refund(EX / "panel-eksempel.csv", "--out", out).exit_code == 0
    rows = pd.read_csv(out, dtype={"person_id": str})
    for c in ("amount_dkk", "state_dkk", "municipal_dkk"):
        text = out.read_text()
        assert (rows[c] * 100 - (rows[c] * 100).round()).abs().max() < 1e-6
    assert "0000000" not in text and "9999999" not in text
    assert ((rows["state_dkk"] + rows["municipal_dkk"] - rows["amount_dkk"]).abs() < 0.005).all()
    assert refund(EX / "panel-eksempel.csv", "--out", dk, "--dansk-csv").exit_code == 0
    again = pd.read_csv(dk, sep=";", decimal=",", dtype={"person_id": str})
    pd.testing.assert_frame_equal(rows, again)


def test_one_rates_fingerprint_in_refund_run_and_forecast():
    fp = load_rates().fingerprint
    r = refund(EX / "panel-eksempel.csv", "--json")
    assert json.loads(r.stdout)["rates_fingerprint"] == fp
    run = runner.invoke(app, ["run", str(ROOT / "scenarios/lyngby-taarbaek-2014-basis.yaml"), "--json"])
    assert fp in run.stdout


# ----------------------------------------------------------------------------- koder


def test_every_code_has_a_danish_name():
    missing = [c for c in (*BENEFITS, *ACTIVATIONS) if not CODE_NAMES.get(c)]
    assert missing == [], f"add a Danish name to budgetmodel/codes.py CODE_NAMES for {missing}"


def test_koder_lists_codes_with_names_and_validity_from_the_rates(book):
    r = runner.invoke(app, ["koder", "--json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    by = {e["code"]: e for e in doc["benefit"]}
    assert [e["code"] for e in doc["benefit"]] == list(BENEFITS)
    assert by["kontanthjaelp"]["name"] == "Kontanthjælp"
    first_2014 = min(e.valid_from for e in book.table("refusion_forsoergelse").spec.values)
    assert by["kontanthjaelp"]["valid"][0]["from"] == first_2014.isoformat() == "2014-01-01"
    assert by["dagpenge"]["tables"] == ["refusion_forsoergelse", "refusionstrappe_omfattede_ydelser"]
    # dagpenge: the 2014 rules to 3 January 2016, then co-financed (§ 5, stk. 3); sygedagpenge refunded (§ 5, stk. 2)
    assert [(v["from"], v["to"], v["regime"]) for v in by["dagpenge"]["valid"]] == [("2014-01-01", "2016-01-03", "2014"), ("2016-01-04", None, "medfinansiering")]
    assert by["sygedagpenge"]["valid"][-1]["regime"] == "refusion"
    # midlertidig arbejdsmarkedsydelse: the municipality's contribution to 3 January 2016 (seed 002), then co-financed (§ 3, stk. 1, nr. 2)
    ma = by["midlertidig_arbejdsmarkedsydelse"]
    assert [(v["from"], v["to"], v["regime"]) for v in ma["valid"]] == [("2014-01-01", "2016-01-03", "arbejdsmarkedsydelse"), ("2016-01-04", None, "medfinansiering")]
    assert "medfinansiering_arbejdsmarkedsydelse" in ma["tables"]
    acts = {e["code"]: e for e in doc["activation"]}
    assert acts["mentor"]["valid"][-1] == {"from": "2016-01-04", "to": None, "regime": "trappe", "text": "refusionstrappen (aktiveringen har ingen betydning)"}
    text = runner.invoke(app, ["koder"]).stdout
    assert "Arbejdsløshedsdagpenge" in text and "Virksomhedspraktik" in text


def test_forecast_reads_an_own_extract_like_refund():
    """`forecast` takes --kortlaegning, --start-count and --csv-format: the Danish extract with the
    DST mapping gives the standard sample's forecast, and the counts at start lower the state's part."""
    common = ["--years", "2", "--bootstrap", "0", "--json"]
    counts = ["--start-count", str(EX / "optaelling-ved-start.csv")]
    a = runner.invoke(app, ["forecast", str(EX / "panel-eksempel.csv"), *common, *counts])
    b = runner.invoke(app, ["forecast", str(EX / "panel-eksempel-dansk.csv"), *common, *counts, "--kortlaegning", str(EX / "kortlaegning-dst.yaml"), "--csv-format", "dansk"])
    c = runner.invoke(app, ["forecast", str(EX / "panel-eksempel.csv"), *common])
    assert a.exit_code == b.exit_code == c.exit_code == 0, b.stderr
    ya, yb, yc = (json.loads(r.stdout)["years"] for r in (a, b, c))
    assert ya == yb and yc[0]["gross_dkk"] == ya[0]["gross_dkk"]
    # the forecast's staircase offsets are read from the refund engine's count, which goes on from
    # the count at start: P127 had 14 weeks counted, so its first week in the panel is week 15
    from budgetmodel.financing.panel_input import read_start_counts
    from budgetmodel.forecast.engine import PricedPanel

    df = read_panel(EX / "panel-eksempel.csv")
    pp = PricedPanel.from_frame(df, load_rates(), start_counts=read_start_counts(EX / "optaelling-ved-start.csv"))
    first = df.index[df["person_id"] == "P127"][0]
    assert pp.count_week[first] == 15


def test_one_rates_fingerprint_in_every_command_that_prints_one(tmp_path):
    """The same rates/ give the same fingerprint in refund, forecast, koder, rates show, run,
    beskaeftigelsestilskud, compare and the memo's footer (no command hashes a subset of the tables)."""
    fp = load_rates().fingerprint
    basis = ROOT / "scenarios/lyngby-taarbaek-2014-basis.yaml"
    varde = ROOT / "scenarios/varde-2014-arbejdsmarkedsydelse.yaml"
    as_json = {
        "refund": ["refund", str(EX / "panel-eksempel.csv"), "--json"],
        "forecast": ["forecast", str(EX / "panel-eksempel.csv"), "--years", "1", "--bootstrap", "0", "--json"],
        "koder": ["koder", "--json"],
        "rates show": ["rates", "show", "refusionstrappe", "--at", "2027-01-01", "--json"],
        "run": ["run", str(basis), "--json", "--save-resolved", str(tmp_path / "r.yaml")],
        "beskaeftigelsestilskud": ["beskaeftigelsestilskud", str(varde), "--json"],
    }
    for name, args in as_json.items():
        r = runner.invoke(app, args)
        assert r.exit_code == 0, (name, r.stderr)
        doc = json.loads(r.stdout)
        assert doc.get("rates_fingerprint", doc.get("provenance", {}).get("rates_fingerprint")) == fp, name
    memo = tmp_path / "notat.md"
    assert runner.invoke(app, ["businesscase", str(basis), "--format", "md", "--out", str(memo)]).exit_code == 0
    assert f"satser (rates) sha256 `{fp}`" in memo.read_text(encoding="utf-8")
    page = tmp_path / "s.html"
    assert runner.invoke(app, ["compare", str(basis), str(varde), "--format", "html", "--out", str(page)]).exit_code == 0
    assert fp in page.read_text(encoding="utf-8")


def test_forecast_of_an_own_extract_out_of_core_equals_in_memory():
    """The Danish extract with the DST mapping and counts at start: the forecast in 3 partitions
    gives the in-memory forecast's calendar years to the krone."""
    own = ["--kortlaegning", str(EX / "kortlaegning-dst.yaml"), "--start-count", str(EX / "optaelling-ved-start.csv"), "--years", "2", "--bootstrap", "0", "--json"]
    a = runner.invoke(app, ["forecast", str(EX / "panel-eksempel-dansk.csv"), *own, "--in-memory"])
    b = runner.invoke(app, ["forecast", str(EX / "panel-eksempel-dansk.csv"), *own, "--partitioned", "--partitions", "3"])
    assert a.exit_code == b.exit_code == 0, b.stderr
    ya, yb = json.loads(a.stdout), json.loads(b.stdout)
    assert ya["years"] == yb["years"] and ya["year_convention"] == yb["year_convention"] == "calendar_year_days"
    assert [y["year"] for y in ya["years"]] == [2026, 2027]
