"""Replications, common random numbers, confidence intervals and executors (sop_sim.experiment)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sop_sim
from sop_sim.errors import ScenarioError
from sop_sim.experiment import HEADLINE_KPIS, compare, replicate, replication_seeds, sweep
from sop_sim.experiment.stats import verdict
from sop_sim.metrics import SUMMARY_ORDER

SHORT = {"months": 12}
TRIO = ["baseline", "skip_supply_review", "disengaged_executive"]


@pytest.fixture(scope="module")
def trio():
    """Three presets x 4 replications, run in this process."""
    return compare(TRIO, reps=4, seed=3, jobs=1, progress=False, **SHORT)


def test_seeds_are_deterministic_distinct_and_depend_on_the_experiment_seed():
    a, b = replication_seeds(0, 50), replication_seeds(0, 50)
    assert a == b, "the same (seed, reps) should give the same replication seeds"
    assert len(set(a)) == 50, "every replication should get its own seed"
    assert replication_seeds(0, 5) == a[:5], "replication i's seed should not depend on how many reps there are"
    assert not set(a) & set(replication_seeds(1, 50)), "experiments with different seeds should not share runs"
    assert all(0 <= s < 2**63 for s in a), "seeds should fit a signed 64-bit column"


def test_replicate_rows_reproduce_single_runs():
    df = replicate("baseline", reps=2, seed=7, jobs=1, progress=False, **SHORT)
    assert list(df.columns) == ["scenario", "seed", *SUMMARY_ORDER], f"unexpected columns {list(df.columns)}"
    assert list(df.index) == [0, 1], "one row per replication, indexed by rep"
    for rep, row in df.iterrows():
        single = sop_sim.run("baseline", seed=int(row["seed"]), **SHORT).summary
        got = row[list(SUMMARY_ORDER)].astype(float).rename(single.name)
        pd.testing.assert_series_equal(got, single, check_exact=True, check_names=False,
                                       obj=f"replication {rep} vs run(seed=row.seed)")


def test_compare_uses_common_random_numbers(trio):
    seeds = trio.replications.pivot(index="rep", columns="scenario", values="seed")
    assert (seeds.nunique(axis=1) == 1).all(), "replication i should use the same seed in every scenario"
    assert list(trio.replications["scenario"].unique()) == TRIO, "scenarios should keep the order given"
    assert len(trio.replications) == 3 * 4, "one row per scenario and replication"


def test_table_means_and_t_intervals(trio):
    t = trio.table
    runs = trio.replications
    x = runs.loc[runs.scenario == "baseline", "fill_rate"].to_numpy()
    row = t.loc[("baseline", "fill_rate")]
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    assert row["mean"] == pytest.approx(x.mean(), abs=1e-12), "table mean should be the mean of the replications"
    assert row["ci_low"] == pytest.approx(x.mean() - half), "lower bound should be mean - t * sd / sqrt(n)"
    assert row["ci_high"] == pytest.approx(min(1.0, x.mean() + half)), \
        "upper bound should be mean + t * sd / sqrt(n), cut at 100% for a fill rate"
    assert row["n"] == 4, "n should count the replications"
    assert set(t.index.get_level_values("kpi")) == set(SUMMARY_ORDER), "every KPI should be in the table"


def test_paired_differences_are_per_replication(trio):
    runs = trio.replications.set_index(["scenario", "rep"])
    d = (runs.loc["skip_supply_review", "total_cost"] - runs.loc["baseline", "total_cost"]).to_numpy()
    row = trio.differences.loc[("skip_supply_review", "total_cost")]
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    assert row["diff"] == pytest.approx(d.mean()), "diff should be the mean paired difference"
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((d.mean() - half, d.mean() + half)), \
        "the interval should be a t-interval on the paired differences"
    assert "baseline" not in trio.differences.index.get_level_values("scenario"), \
        "the reference should not be compared with itself"


def test_verdict_reads_the_kpi_direction():
    assert verdict("fill_rate", 0.01, 0.05) == "better", "a higher fill rate is better"
    assert verdict("total_cost", 10.0, 50.0) == "worse", "a higher cost is worse"
    assert verdict("total_cost", -10.0, 50.0) == "no clear difference", "an interval across zero decides nothing"
    assert verdict("escalations", 1.0, 2.0) == "higher", "a KPI with no direction is only higher or lower"
    assert verdict("lost_sales", 0.0, 0.0) == "same", "identical runs should read as the same"


def test_parallel_pool_equals_sequential_bit_for_bit():
    kw = dict(reps=5, seed=11, progress=False, **SHORT)
    seq = compare(["baseline", "silos"], jobs=1, **kw)
    par = compare(["baseline", "silos"], jobs=2, **kw)
    pd.testing.assert_frame_equal(par.replications, seq.replications, check_exact=True,
                                  obj="process-pool replications vs sequential")


def test_any_executor_equals_sequential():
    kw = dict(reps=3, seed=5, progress=False, **SHORT)
    seq = replicate("poor_data", jobs=1, **kw)
    with ThreadPoolExecutor(2) as ex:
        other = replicate("poor_data", executor=ex, **kw)
    pd.testing.assert_frame_equal(other, seq, check_exact=True, obj="thread-executor replications vs sequential")


def test_dask_local_cluster_equals_sequential():
    distributed = pytest.importorskip("distributed")
    kw = dict(reps=3, seed=2, progress=False, **SHORT)
    seq = compare(["baseline", "skip_pre_sop"], jobs=1, **kw)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc, \
            distributed.Client(lc) as client:
        on_dask = compare(["baseline", "skip_pre_sop"], executor=client.get_executor(), **kw)
    pd.testing.assert_frame_equal(on_dask.replications, seq.replications, check_exact=True,
                                  obj="dask replications vs sequential")


def test_keep_runs_keeps_full_results_only_on_request():
    df = replicate("baseline", reps=2, seed=1, jobs=1, progress=False, **SHORT)
    assert "runs" not in df.attrs, "full runs should not be kept unless asked"
    kept = replicate("baseline", reps=2, seed=1, jobs=1, progress=False, keep_runs=True, **SHORT)
    runs = kept.attrs["runs"]
    assert len(runs) == 2 and runs[1].seed == int(kept.loc[1, "seed"]), "one Result per replication, same seed"
    assert len(runs[0].periods) == 12 * 4, "a kept run should have its per-period frame (12 months x 4 families)"
    c = compare(["baseline", "silos"], reps=2, jobs=1, progress=False, keep_runs=True, **SHORT)
    assert [len(v) for v in c.runs.values()] == [2, 2], "compare should keep runs per scenario"


def test_sweep_names_values_and_by_value():
    sw = sweep("baseline", "executive_engagement", [1.0, 0.5, 0.0], reps=2, jobs=1, progress=False, **SHORT)
    assert sw.scenarios == ("executive_engagement=1", "executive_engagement=0.5", "executive_engagement=0"), \
        f"unexpected scenario names {sw.scenarios}"
    assert sw.reference == "executive_engagement=1", "the first value should be the reference"
    by = sw.by_value("fill_rate")
    assert list(by.index) == [1.0, 0.5, 0.0] and by.index.name == "executive_engagement", \
        "by_value should be indexed by the swept values"
    assert (by["ci_low"] <= by["mean"]).all() and (by["mean"] <= by["ci_high"]).all(), "mean inside its interval"


@pytest.mark.parametrize(("call", "needle"), [
    (lambda: replicate("baseline", reps=0, jobs=1), "reps=0"),
    (lambda: replicate("baseline", reps=2, seed=-1, jobs=1), "seed=-1"),
    (lambda: replicate("nonsense", reps=2, jobs=1), "preset='nonsense'"),
    (lambda: replicate("baseline", reps=2, jobs=0), "jobs=0"),
    (lambda: compare(["baseline", "baseline"], reps=2, jobs=1), "appears twice"),
    (lambda: compare(["silos", "no_sop"], reps=2, jobs=1), "reference='baseline'"),
    (lambda: compare(["baseline"], reps=2, jobs=1, colour="red"), "colour is not a scenario field"),
    (lambda: sweep("baseline", "engagment", [0.5], reps=2, jobs=1), "field='engagment'"),
    (lambda: sweep("baseline", "data_quality", [2.0], reps=2, jobs=1), "data_quality=2.0"),
])
def test_bad_input_fails_with_one_clear_line(call, needle):
    with pytest.raises(ScenarioError) as info:
        call()
    msg = str(info.value)
    assert needle in msg and "allowed" in msg, f"error should name {needle!r} and what is allowed, got {msg!r}"
    assert "\n" not in msg, "the error should be one line"


def test_plot_and_report(trio, tmp_path):
    fig = trio.plot()
    assert len([ax for ax in fig.axes if ax.get_visible()]) == len(HEADLINE_KPIS), "one panel per headline KPI"
    rep = trio.report(["fill_rate", "margin"])
    assert list(rep.index.get_level_values("scenario")) == TRIO * 2, "one report row per KPI and scenario"
    assert "[" in rep.iloc[0, 0] and rep.iloc[0, 1] == "(reference)", "means with CIs; reference row marked"
    assert rep.iloc[1, 2] in {"better", "worse", "no clear difference", "same"}, "each difference has a verdict"
    path = trio.to_csv(tmp_path / "out" / "runs.csv")
    back = pd.read_csv(path)
    assert len(back) == len(trio.replications) and "seed" in back, "the CSV should hold every replication"
