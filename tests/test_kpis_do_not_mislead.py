"""KPIs that do not mislead (issue 10 item 4, issue 14): NaN when there is nothing to measure, forecast
error at one lag for every preset, FVA as the standard stairstep, and verdicts that read service, cost
and inventory as a trade-off under one headline KPI."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

import sop_sim
from sop_sim.cli import main
from sop_sim.config import Scenario
from sop_sim.experiment import HEADLINE_KPIS, compare
from sop_sim.experiment import stats as st
from sop_sim.fva import VERSIONS, constrained_gap, fva_table, seasonal_naive
from sop_sim.metrics import (
    FORECAST_LAG,
    KPIS,
    LATENCY_CAP_DAYS,
    SUMMARY_ORDER,
    decision_waits,
    format_change,
    format_kpi,
)
from sop_sim.planning.forecast import seasonal_forecast
from sop_sim.results import Result
from sop_sim.ui.tables import comparison_html, format_comparison, kpi_comparison

DEV_STRINGS = re.compile(r"\bnan\b|NaN|\+0\.0%|-0\.0+\b|e[+-]\d\d")


@pytest.fixture(scope="module")
def base() -> Result:
    return sop_sim.run("baseline", seed=1)


@pytest.fixture(scope="module")
def no_sop() -> Result:
    return sop_sim.run("no_sop", seed=1)


# --- 1. nothing to measure: NaN in the data, "n/a" to learners -------------------------------
def test_no_sop_has_no_latency_attendance_or_open_escalations_to_measure(no_sop: Result) -> None:
    s = no_sop.summary
    assert s["escalations"] == 0, "without S&OP nothing is escalated"
    for k in ("decision_latency_days", "open_escalations", "attendance"):
        assert math.isnan(s[k]), f"{k} has nothing to measure in no_sop and must be NaN, not {s[k]}"
        assert KPIS[k].missing, f"{k} can be NaN, so KPIS must say why"
    assert format_kpi("decision_latency_days", s["decision_latency_days"]) == "n/a"


def test_decision_wait_starts_at_the_due_executive_meeting_and_is_capped() -> None:
    end = 36 * 30
    e = [
        {"raised_day": 10, "closed_day": 16},    # supply review, decided at its month's executive meeting
        {"raised_day": 13, "closed_day": 16},    # pre-S&OP, same meeting: the same wait, whatever the mix
        {"raised_day": 40, "closed_day": 76},    # deferred one meeting
        {"raised_day": 70, "closed_day": None},  # never decided: capped
        {"raised_day": 20, "closed_day": 46},    # raised after the month's meeting: due next month's
        {"raised_day": 1000, "closed_day": None},  # due too close to the end: its wait is not known yet
    ]
    assert decision_waits(e, end) == [0.0, 0.0, 30.0, float(LATENCY_CAP_DAYS), 0.0]
    assert decision_waits([], end) == [], "no escalation: no wait to average (the KPI is NaN)"


def test_latency_does_not_grow_with_run_length() -> None:
    short = sop_sim.run("sku_level", seed=2, months=12).summary["decision_latency_days"]
    long = sop_sim.run("sku_level", seed=2, months=36).summary["decision_latency_days"]
    assert short == long == LATENCY_CAP_DAYS, \
        f"an agenda that never reaches the issues waits the cap in any run length: {short} vs {long}"


def test_nan_flows_through_replicated_statistics() -> None:
    runs = pd.DataFrame({"scenario": ["a"] * 3 + ["b"] * 3, "rep": [0, 1, 2] * 2,
                         "decision_latency_days": [1.0, 2.0, 3.0, np.nan, 5.0, 7.0],
                         "fill_rate": [0.9, 0.9, 0.9, 0.8, 0.8, 0.8]})
    t = st.summary_table(runs, ["a", "b"], ["decision_latency_days"])
    assert t.loc[("b", "decision_latency_days"), "n"] == 2, "n counts the runs with a value"
    assert t.loc[("b", "decision_latency_days"), "mean"] == pytest.approx(6.0), "the mean of the runs with a value"
    d = st.paired_differences(runs, ["a", "b"], "a", ["decision_latency_days"])
    row = d.loc[("b", "decision_latency_days")]
    assert row["n"] == 2 and row["diff"] == pytest.approx(3.5), "pairs with a NaN side are left out"
    allnan = runs.assign(decision_latency_days=np.nan)
    row = st.paired_differences(allnan, ["a", "b"], "a", ["decision_latency_days"]).loc[("b", "decision_latency_days")]
    assert row["n"] == 0 and row["verdict"] == "n/a", "nothing to measure anywhere: n/a, not 'same' or 'better'"


def test_report_cli_and_tables_say_n_a_with_why(base: Result, no_sop: Result, capsys) -> None:
    code = main(["compare", "baseline", "no_sop", "--reps", "2", "--months", "12", "--jobs", "1", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"n/a: {KPIS['decision_latency_days'].missing}" in out, "the CLI should say n/a and why"
    assert f"n/a: {KPIS['attendance'].missing}" in out
    assert not DEV_STRINGS.search(out), f"developer strings in the compare output: {DEV_STRINGS.search(out)}"
    frame = kpi_comparison(base, no_sop)
    assert frame.loc["decision_latency_days", "verdict"] == "n/a", "n/a is neither better nor worse"
    text = format_comparison(frame, "baseline", "no S&OP")
    assert text.loc["Decision latency", "no S&OP"] == "n/a"
    assert text.loc["Decision latency", "verdict"] == f"n/a: {KPIS['decision_latency_days'].missing}"
    html = comparison_html(frame, "baseline", "no S&OP")
    assert "kpi-better" not in re.search(r'<tr class="([^"]*)"[^>]*><th[^>]*>Decision latency', html).group(0)
    assert not DEV_STRINGS.search(html)


def test_explorer_shows_n_a_with_why() -> None:
    from sop_sim.ui.explorer import ScenarioExplorer

    ex = ScenarioExplorer(preset="no_sop", seed=1)
    assert "n/a: nothing was escalated" in ex.kpis.value, "the explorer should say why latency is n/a"
    assert ex.kpis.value.index("sop-headline") < ex.kpis.value.index("<table"), "the headline leads the table"


# --- 2. forecast error like for like -----------------------------------------------------------
def _wape(result: Result, forecast: dict[tuple[int, str], float]) -> float:
    orders = result.periods.set_index(["month", "family"])["orders"]
    err = sum(abs(f - orders[k]) for k, f in forecast.items())
    return err / sum(orders[k] for k in forecast)


def test_forecast_error_is_lag_1_operations_forecast_without_sop(no_sop: Result) -> None:
    assert FORECAST_LAG == 1
    rec = no_sop.recorded_orders
    fams = list(no_sop.scenario.company.family_ids)
    fc = {}
    for m in range(1, no_sop.scenario.months):
        hist = rec.loc[: m - 2]  # recorded up to month m-2: made in month m-1, one month ahead
        for f in fams:
            fc[(m, f)] = float(seasonal_forecast(hist[f].to_numpy(), m - 1, 2)[1])
    assert no_sop.summary["forecast_wape"] == pytest.approx(_wape(no_sop, fc), rel=1e-9), \
        "no_sop's forecast error should judge operations' forecast made a month ahead"


def test_forecast_error_is_lag_1_consensus_with_sop(base: Result) -> None:
    p = base.plans
    lag1 = p[(p["month"] == p["cycle"] + 1) & (p["version"] == "consensus")]
    fc = {(int(r.month), r.family): r.units for r in lag1.itertuples() if r.month < base.scenario.months}
    assert base.summary["forecast_wape"] == pytest.approx(_wape(base, fc), rel=1e-9), \
        "the baseline's forecast error should judge the consensus made a month ahead"
    assert fva_table(base, lag=1).loc["consensus", "wape"] == pytest.approx(base.summary["forecast_wape"]), \
        "the KPI and the FVA consensus step measure the same lag"


def test_kpi_definition_states_the_lag() -> None:
    assert "lag 1" in KPIS["forecast_wape"].formula and "every preset" in KPIS["forecast_wape"].formula


# --- 3. FVA stairstep ------------------------------------------------------------------------
def _synthetic() -> Result:
    """Three months, four families, 100 units ordered every month; plans with known errors."""
    sc = Scenario(months=3)
    fams = list(sc.company.family_ids)
    F = len(fams)
    periods = [{"month": m, "family": f, "orders": 100} for m in range(3) for f in fams]
    flat = {"statistical": 80.0, "sales_input": 130.0, "consensus": 90.0, "supply": 50.0, "authorized": 50.0}
    plans = []
    for c in (0, 1):
        for v, x in flat.items():
            first = c + 1 if v in ("supply", "authorized") else c
            plans.append((c, v, first, np.full((3 - first, F), x)))
    rec = np.full((24 + 3, F), 60.0)  # same month last year: 60 units
    records = {"periods": periods, "plans": plans, "recorded_orders": rec}
    return Result(sc, 0, records, {k: 0.0 for k in SUMMARY_ORDER})


def test_fva_stairstep_order_and_values_on_a_known_case() -> None:
    t = fva_table(_synthetic(), lag=1)
    assert tuple(t.index) == VERSIONS == ("naive", "statistical", "sales_input", "consensus"), \
        "the stairstep runs naive, statistical, sales input, consensus"
    assert t["wape"].to_numpy() == pytest.approx([0.40, 0.20, 0.30, 0.10])
    assert t["fva"].to_numpy() == pytest.approx([0.0, 0.20, -0.10, 0.20]), "each step against the one before"
    assert t["vs_naive"].to_numpy() == pytest.approx([0.0, 0.20, 0.10, 0.30]), "each version against naive"
    assert "supply" not in t.index and "authorized" not in t.index, "constrained plans are not forecast value"
    g = constrained_gap(_synthetic(), lag=1)
    assert g.loc["supply", "wape"] == pytest.approx(0.5) and g.loc["supply", "gap_vs_consensus"] == pytest.approx(0.4)


def test_seasonal_naive_uses_only_what_was_recorded_when_the_forecast_was_made() -> None:
    r = _synthetic()
    r._r["recorded_orders"] = np.arange(27 * 4, dtype=float).reshape(27, 4)
    idx = pd.MultiIndex.from_tuples([(5, 6, "mowers"), (0, 13, "mowers"), (1, 12, "mowers"), (0, 24, "mowers")],
                                    names=["cycle", "month", "family"])
    got = seasonal_naive(r, idx)
    rec = r.recorded_orders["mowers"]
    assert got[0] == rec[6 - 12], "a month ahead: the same month a year earlier"
    assert got[1] == rec[13 - 24], "13 months ahead: last year's month was not recorded yet, two years earlier"
    assert got[2] == rec[0], "month 0 is recorded by cycle 1: a year back is enough"
    assert got[3] == rec[-12], "24 months ahead: month 0 is not recorded yet, so three years back"


def test_fva_on_the_baseline_beats_naive(base: Result) -> None:
    t = fva_table(base)
    assert tuple(t.index) == VERSIONS
    assert t.loc["statistical", "vs_naive"] > 0, "the statistical forecast should beat the seasonal naive"
    assert t.loc["consensus", "wape"] < t.loc["naive", "wape"]


# --- 4. one headline, a trade-off, no misleading green ------------------------------------------
def test_headline_is_economic_profit_when_the_summary_has_it(monkeypatch) -> None:
    assert st.headline_kpi(["margin", "fill_rate"]) == "margin", "margin until economic profit exists"
    assert HEADLINE_KPIS[0] == st.headline_kpi(), "the forest plot leads with the headline"
    fake = dict(KPIS)
    fake["economic_profit"] = KPIS["margin"]
    monkeypatch.setattr(st, "KPIS", fake)
    assert st.headline_kpi() == "economic_profit", "the headline switches by itself once the KPI exists"


@pytest.mark.parametrize(("service", "kpi", "interval", "want"), [
    ((-0.10, -0.05), "inventory_value", (-100.0, -50.0), "trade-off"),   # inventory fell, service fell too
    ((-0.10, -0.05), "inventory_turns", (2.0, 5.0), "trade-off"),       # turns up because shelves were empty
    ((-0.10, -0.05), "total_cost", (-10.0, -5.0), "trade-off"),         # cheaper by serving fewer
    ((-0.10, 0.02), "inventory_value", (-100.0, -50.0), "trade-off"),    # service may have fallen: no green
    ((0.02, 0.05), "total_cost", (5.0, 10.0), "trade-off"),             # dearer, and it bought service
    ((-0.01, 0.01), "inventory_value", (-100.0, -50.0), "better"),       # same service, less stock: a gain
    ((-0.10, -0.05), "fill_rate", (-0.10, -0.05), "worse"),
    ((-0.10, -0.05), "margin", (10.0, 20.0), "better"),                 # the headline is never a trade-off
])
def test_verdict_rules(service, kpi, interval, want) -> None:
    got = st.verdicts({"fill_rate": service, kpi: interval})[kpi]
    assert got == want, f"{kpi} {interval} with fill rate {service}: want {want!r}, got {got!r}"


def test_single_run_table_does_not_paint_stockouts_green(base: Result) -> None:
    broken = sop_sim.run("skip_supply_review", seed=1)
    frame = kpi_comparison(base, broken)
    assert frame.index[0] == st.headline_kpi(), "the headline KPI comes first"
    assert frame.loc["fill_rate", "verdict"] == "worse"
    for k in ("inventory_value", "inventory_turns"):
        assert frame.loc[k, "verdict"] == "trade-off", f"{k} must not read 'better' when service fell"
        assert "service fell" in frame.loc[k, "reading"]
    html = comparison_html(frame, "baseline", "no supply review")
    assert "kpi-better" not in re.search(r'<tr class="([^"]*)"[^>]*><th[^>]*>Inventory value', html).group(0)


def test_comparison_leads_with_one_headline_and_plain_numbers() -> None:
    c = compare(["baseline", "skip_supply_review"], reps=3, seed=1, jobs=1, progress=False, months=12)
    rep = c.report()
    assert rep.index.get_level_values("KPI")[0] == KPIS[st.headline_kpi()].label, "the report leads with the headline"
    sentence = c.headline()["skip_supply_review"]
    assert sentence.startswith(f"skip_supply_review against baseline: {KPIS[st.headline_kpi()].label.lower()}")
    assert "overall" in sentence
    text = rep.to_string() + sentence
    assert not DEV_STRINGS.search(text), f"developer strings in the report: {DEV_STRINGS.search(text)}"
    assert format_change("fill_rate", -0.00001) == "no change" and format_change("margin", -0.4) == "no change"
    assert format_change("fill_rate", 0.0213) == "+2.1 points" and format_change("margin", -12345.6) == "-$12,346"


def test_unknown_kpi_in_report_is_one_clear_line() -> None:
    from sop_sim.errors import ScenarioError

    c = compare(["baseline", "silos"], reps=2, seed=1, jobs=1, progress=False, months=6)
    for call in (lambda: c.report(["speed"]), lambda: c.plot(["speed"])):
        with pytest.raises(ScenarioError, match="kpi='speed' is unknown: allowed"):
            call()


def test_sop_sim_run_says_why_a_kpi_is_n_a(capsys) -> None:
    assert main(["run", "--preset", "no_sop", "--months", "6"]) == 0
    out = capsys.readouterr().out
    assert f"Decision latency is n/a: {KPIS['decision_latency_days'].missing}." in out
    assert not DEV_STRINGS.search(out), f"developer strings in the run output: {DEV_STRINGS.search(out)}"
