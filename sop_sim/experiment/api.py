"""Replicated experiments: ``replicate``, ``compare`` and ``sweep`` with common random numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sop_sim.config import LEVER_FIELDS, Scenario
from sop_sim.errors import ScenarioError
from sop_sim.experiment.runner import check_count, execute, replication_seeds
from sop_sim.experiment.stats import headline_kpi, ordered_kpis, paired_differences, summary_table
from sop_sim.metrics import KPIS, SUMMARY_ORDER, format_amount, format_change, is_missing
from sop_sim.presets import get_scenario
from sop_sim.results import Result
from sop_sim.roles import check_policies

#: The KPIs a forest plot shows unless told otherwise: the headline (economic profit, or margin
#: where the summary has none) first, then service, cost and inventory as a trade-off.
HEADLINE_KPIS: tuple[str, ...] = (headline_kpi(), "fill_rate", "total_cost", "inventory_value", "forecast_wape",
                                  "sets_of_numbers")


class _Runs(list):
    """Full results kept on request; pandas copies ``attrs`` deeply, this list is shared instead."""

    def __deepcopy__(self, memo: dict) -> _Runs:
        return self


def _with_overrides(scenario: Scenario | str, overrides: dict[str, Any]) -> Scenario:
    sc = get_scenario(scenario)
    if not overrides:
        return sc
    known = {f.name for f in fields(Scenario)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ScenarioError(f"{unknown[0]} is not a scenario field: allowed {sorted(known)}")
    return replace(sc, **overrides)


def _frame(name: str, seeds: list[int], outcome: list) -> pd.DataFrame:
    df = pd.DataFrame([summary for summary, _ in outcome], columns=list(SUMMARY_ORDER), dtype=float)
    df.insert(0, "seed", pd.array(seeds, dtype="int64"))
    df.insert(0, "rep", range(len(seeds)))
    df.insert(0, "scenario", name)
    return df


def _results(scenario: Scenario, seeds: list[int], outcome: list) -> _Runs:
    return _Runs(Result(scenario, s, records, summary) for s, (summary, records) in zip(seeds, outcome, strict=True))


def replicate(scenario: Scenario | str = "baseline", reps: int = 100, seed: int = 0, executor: Executor | None = None,
              progress: bool | None = None, keep_runs: bool = False, jobs: int | None = None,
              policies: Mapping[str, Any] | None = None, **overrides: Any) -> pd.DataFrame:
    """Run one scenario ``reps`` times with different random numbers.

    Parameters
    ----------
    scenario:
        A :class:`~sop_sim.config.Scenario` or preset name.
    reps:
        Number of replications, 1 to 100,000 (``runner.MAX_REPS``).
    seed:
        0 to 2**63 - 1. Seeds the experiment: replication ``i`` runs with ``replication_seeds(seed, reps)[i]``,
        the same in every scenario (common random numbers).
    executor:
        Any ``concurrent.futures.Executor`` (e.g. ``dask.distributed.Client(...).get_executor()``).
        By default a local process pool uses every core.
    progress:
        Show a progress bar (None: only when the work takes more than about a second).
    keep_runs:
        Also keep every full :class:`~sop_sim.results.Result`, in ``frame.attrs["runs"]``.
        Off by default: the summaries alone keep memory small.
    jobs:
        Local worker processes, 1 to 256 (``runner.MAX_JOBS``; default: every core; 1 runs in
        this process). No more than four per core are started. The local pool is joblib's
        loky executor, so this works from notebooks, scripts on stdin and scripts without
        an ``if __name__ == "__main__":`` guard.
    policies:
        ``{role_id: policy}`` swapped in for every replication (see :class:`sop_sim.Policy`);
        the workers receive them, so their classes must be importable (not defined in a
        notebook cell when a process pool runs them).
    **overrides:
        Scenario fields to change first, e.g. ``months=12``.

    Returns
    -------
    pandas.DataFrame
        One row per replication: ``scenario``, ``rep``, ``seed`` and every KPI. Any row is
        reproduced by ``sop_sim.run(scenario, seed=row.seed)``.
    """
    sc = _with_overrides(scenario, overrides)
    seeds = replication_seeds(seed, reps)
    (outcome,) = execute([(sc, seeds)], executor=executor, n_jobs=jobs, progress=progress, keep_runs=keep_runs,
                         policies=check_policies(policies))
    df = _frame(sc.name, seeds, outcome).set_index("rep")
    if keep_runs:
        df.attrs["runs"] = _results(sc, seeds, outcome)
    return df


class Comparison:
    """Replications of several scenarios on common random numbers, with confidence intervals.

    Attributes
    ----------
    replications:
        Tidy frame, one row per scenario and replication: ``scenario``, ``rep``, ``seed``, KPIs.
    table:
        Mean, standard deviation, n and confidence interval per scenario and KPI.
    differences:
        Scenario minus reference, paired by replication, with a t-interval and a verdict.
    reference, scenarios, reps, seed, level:
        How the experiment was set up.
    runs:
        Scenario name -> list of full results, only with ``keep_runs=True``.
    field, values:
        For a :func:`sweep`: the scenario field moved and its values, in scenario order.
    """

    def __init__(self, replications: pd.DataFrame, scenarios: Sequence[str], reference: str, *, reps: int,
                 seed: int, level: float = 0.95, runs: dict[str, list[Result]] | None = None,
                 field: str | None = None, values: Sequence[Any] | None = None) -> None:
        self.replications = replications
        self.scenarios = tuple(scenarios)
        self.reference = reference
        self.reps, self.seed, self.level = reps, seed, level
        self.runs = runs
        self.field, self.values = field, None if values is None else tuple(values)

    @property
    def kpis(self) -> tuple[str, ...]:
        return SUMMARY_ORDER

    @cached_property
    def table(self) -> pd.DataFrame:
        return summary_table(self.replications, self.scenarios, self.kpis, self.level)

    @cached_property
    def differences(self) -> pd.DataFrame:
        return paired_differences(self.replications, self.scenarios, self.reference, self.kpis, self.level)

    def __repr__(self) -> str:
        return (f"<Comparison of {len(self.scenarios)} scenarios x {self.reps} replications "
                f"(seed {self.seed}, reference {self.reference!r})>")

    def means(self, kpis: Iterable[str] | None = None) -> pd.DataFrame:
        """KPI x scenario table of means (a quick look; ``table`` has the intervals)."""
        ks = list(kpis or self.kpis)
        return self.table["mean"].unstack("scenario").loc[ks, list(self.scenarios)]

    def by_value(self, kpi: str) -> pd.DataFrame:
        """For a sweep: mean and interval of ``kpi`` at each value of the swept field."""
        if self.field is None or self.values is None:
            raise ScenarioError("by_value needs a sweep: allowed on the result of sop_sim.sweep(...)")
        _check_kpis([kpi])
        t = self.table.xs(kpi, level="kpi").loc[list(self.scenarios)]
        t.index = pd.Index(self.values, name=self.field)
        return t[["mean", "ci_low", "ci_high", "sd", "n"]]

    def report(self, kpis: Iterable[str] | None = None) -> pd.DataFrame:
        """A printable table: per KPI and scenario, the mean and the difference from the reference.

        The headline KPI comes first, then service, cost and inventory (read together, as a
        trade-off), then the rest. Numbers carry their unit and confidence interval in
        brackets; a KPI some runs had nothing to measure for says over how many runs it was
        taken, and "n/a" with the reason where none had. ``verdict`` says, in words, whether
        the difference is clearly better, worse, a trade-off or not clear (see :meth:`headline`).
        """
        ks = list(kpis or self.kpis)
        _check_kpis(ks)
        ks = ordered_kpis(ks)
        t, d = self.table, self.differences
        ci = f"{self.level:.0%} CI"
        rows = []
        for k in ks:
            for name in self.scenarios:
                mean = _fmt_ci(k, *t.loc[(name, k), ["mean", "ci_low", "ci_high", "n"]], reps=self.reps)
                if name == self.reference:
                    diff, word = "(reference)", ""
                else:
                    diff = _fmt_ci(k, *d.loc[(name, k), ["diff", "ci_low", "ci_high", "n"]], reps=self.reps,
                                   change=True)
                    word = d.loc[(name, k), "reading"]
                rows.append((KPIS[k].label, name, mean, diff, word))
        return pd.DataFrame(rows, columns=["KPI", "scenario", f"mean [{ci}]",
                                           f"difference from {self.reference} [{ci}]", "verdict"]
                            ).set_index(["KPI", "scenario"])

    def headline(self) -> dict[str, str]:
        """One sentence per compared scenario: the overall answer, then service, cost and inventory.

        The headline KPI (``economic_profit``, or ``margin`` where the summary has none)
        decides "better" or "worse overall"; lower cost or inventory that came with worse
        service is named a trade-off, not a gain.
        """
        head = headline_kpi(self.kpis)
        d = self.differences
        out = {}
        for name in self.scenarios:
            if name == self.reference:
                continue
            row = d.loc[(name, head)]
            overall = {"better": "better overall", "worse": "worse overall", "same": "the same overall",
                       "no clear difference": "no clear difference overall",
                       "n/a": "no overall answer (nothing to measure)"}.get(row["verdict"], "not yet clear "
                                                                            "(one replication)")
            change = _fmt_ci(head, row["diff"], row["ci_low"], row["ci_high"], row["n"], reps=self.reps, change=True)
            runs = (f"{self.level:.0%} interval, {self.reps} paired runs" if self.reps > 1
                    else "one run each, so no interval")
            text = f"{name} against {self.reference}: {KPIS[head].label.lower()} {change} ({runs}), {overall}."
            verdicts = d.loc[name, "verdict"]
            if "fill_rate" in verdicts.index:
                fill = d.loc[(name, "fill_rate")]
                change = format_change("fill_rate", fill["diff"])
                if change in ("no change", "n/a"):
                    text += " Service held (fill rate unchanged)." if change == "no change" else ""
                else:
                    said = {"better": "Service rose", "worse": "Service fell"}.get(
                        fill["verdict"], "No clear change in service")
                    text += f" {said} (fill rate {change})."
            traded = [k for k in ("total_cost", "inventory_value", "inventory_turns")
                      if k in verdicts.index and verdicts[k] == "trade-off"]
            if traded:
                parts = ", ".join(f"{KPIS[k].label.lower()} {format_change(k, d.loc[(name, k), 'diff'])}"
                                  for k in traded)
                text += f" {parts[0].upper()}{parts[1:]}, {d.loc[(name, traded[0]), 'reading'].split(', ', 1)[1]}."
            out[name] = text
        return out

    def plot(self, kpis: Iterable[str] | None = None, **kwargs: Any) -> Any:
        """Forest plot of the differences from the reference, one panel per KPI.

        Draws :data:`HEADLINE_KPIS` unless given ``kpis`` (the headline KPI first, then
        service, cost and inventory); returns a matplotlib Figure (see
        :func:`sop_sim.plotting.forest`, which takes ``figsize`` and ``dpi``). A cost or
        inventory change that is a trade-off against service is drawn neutral, not green.
        """
        from sop_sim.plotting import forest

        ks = list(kpis) if kpis else list(HEADLINE_KPIS)
        _check_kpis(ks)
        ks = ordered_kpis(ks)
        if len(self.scenarios) < 2:
            raise ScenarioError("plot needs two or more scenarios: allowed a comparison with a reference and "
                                "at least one other scenario")
        return forest(self.differences, ks, reference=self.reference, level=self.level, **kwargs)

    def to_csv(self, path: str | Path) -> Path:
        """Write every replication (the tidy frame) to one CSV file, atomically."""
        from sop_sim.safefile import atomic_writer, writable_target

        with atomic_writer(path, what="CSV file") as fh:
            self.replications.to_csv(fh, index=False)
        return writable_target(path)


def _listed(name: str, values: Any) -> list:
    """``values`` as a list, or a one-line ScenarioError when it is not a collection."""
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise ScenarioError(f"{name}={values!r} is invalid: allowed a list, e.g. [0.5, 1.0]")
    return list(values)


def _check_kpis(kpis: Iterable[str]) -> None:
    for k in kpis:
        if k not in KPIS:
            raise ScenarioError(f"kpi={k!r} is unknown: allowed {list(KPIS)}")


def _fmt_ci(kpi: str, mean: float, low: float, high: float, n: float, *, reps: int, change: bool = False) -> str:
    """A mean (or a change) with its unit, its interval in brackets and, when runs lacked a value, how many had one."""
    fmt = format_change if change else format_amount
    if is_missing(mean):  # the reason once, with the mean; a difference just says n/a
        return f"n/a: {KPIS[kpi].missing}" if KPIS[kpi].missing and not change else "n/a"
    text = fmt(kpi, mean)
    lo, hi = (fmt(kpi, x).replace("no change", "0") for x in (low, high))
    if not is_missing(low) and lo != hi:
        for unit in (" units", " days", " points", " a year"):  # the unit once, after the upper bound
            lo = lo.removesuffix(unit)
        text += f" [{lo} to {hi}]"
    if int(n) < reps:
        text += f" ({int(n)} of {reps} runs had a value)"
    return text


def compare(scenarios: Iterable[Scenario | str], reps: int = 100, seed: int = 0, reference: str = "baseline",
            executor: Executor | None = None, progress: bool | None = None, keep_runs: bool = False,
            jobs: int | None = None, level: float = 0.95, policies: Mapping[str, Any] | None = None,
            **overrides: Any) -> Comparison:
    """Replicate several scenarios on common random numbers and compare them with a reference.

    Parameters
    ----------
    scenarios:
        Preset names and/or :class:`~sop_sim.config.Scenario` objects, each with a unique name.
    reference:
        Name of the scenario the others are compared with (one of ``scenarios``).
    level:
        Confidence level of the intervals (0.95: 95 %).
    reps, seed, executor, progress, keep_runs, jobs, policies, **overrides:
        As in :func:`replicate`; overrides and policies apply to every scenario.

    Returns
    -------
    Comparison
        ``.replications`` (tidy), ``.table`` (mean, sd, CI), ``.differences`` (paired CIs), ``.plot()``.
    """
    if isinstance(scenarios, str | Scenario):  # compare("baseline"): one scenario, not its letters
        scenarios = [scenarios]
    scs = [_with_overrides(s, overrides) for s in _listed("scenarios", scenarios)]
    return _compare(scs, reps, seed, reference, executor, progress, keep_runs, jobs, level,
                    policies=check_policies(policies))


def _compare(scs: list[Scenario], reps: int, seed: int, reference: str, executor: Executor | None,
             progress: bool | None, keep_runs: bool, jobs: int | None, level: float,
             field: str | None = None, values: Sequence[Any] | None = None,
             policies: Mapping[str, Any] | None = None) -> Comparison:
    if not scs:
        raise ScenarioError("scenarios=[] is invalid: allowed one or more preset names or Scenario objects")
    names = [sc.name for sc in scs]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup is not None:
        raise ScenarioError(f"scenario name {dup!r} appears twice: allowed unique names "
                            "(give each a name with dataclasses.replace(scenario, name=...))")
    if reference not in names:
        raise ScenarioError(f"reference={reference!r} is not among the scenarios: allowed one of {names}")
    if isinstance(level, bool) or not isinstance(level, float | int) or not 0 < level < 1:
        raise ScenarioError(f"level={level!r} is invalid: allowed a number between 0 and 1, e.g. 0.95")
    reps = check_count("reps", reps)
    seeds = replication_seeds(seed, reps)
    outcomes = execute([(sc, seeds) for sc in scs], executor=executor, n_jobs=jobs, progress=progress,
                       keep_runs=keep_runs, policies=policies)
    frame = pd.concat([_frame(sc.name, seeds, out) for sc, out in zip(scs, outcomes, strict=True)],
                      ignore_index=True)
    runs = ({sc.name: _results(sc, seeds, out) for sc, out in zip(scs, outcomes, strict=True)}
            if keep_runs else None)
    return Comparison(frame, names, reference, reps=reps, seed=seed, level=level, runs=runs, field=field,
                      values=values)


def _label(value: Any) -> str:
    if isinstance(value, frozenset | set):
        return "{" + ", ".join(sorted(map(str, value))) + "}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def sweep(base: Scenario | str, field: str, values: Iterable[Any], reps: int = 100, seed: int = 0,
          reference: Any = None, executor: Executor | None = None, progress: bool | None = None,
          keep_runs: bool = False, jobs: int | None = None, level: float = 0.95,
          policies: Mapping[str, Any] | None = None, **overrides: Any) -> Comparison:
    """Move one scenario field across ``values`` and replicate each variant on common random numbers.

    Parameters
    ----------
    base:
        The scenario (or preset name) to vary.
    field:
        A scenario field, usually a lever from :data:`sop_sim.config.LEVER_FIELDS`.
    values:
        The values to try; each variant is named ``"<field>=<value>"``.
    reference:
        The value the others are compared with (default: the first).
    reps, seed, executor, progress, keep_runs, jobs, level, policies, **overrides:
        As in :func:`compare`.

    Returns
    -------
    Comparison
        With ``.field`` and ``.values`` set; ``.by_value(kpi)`` gives one KPI along the sweep.
    """
    allowed = [f.name for f in fields(Scenario) if f.name not in ("name", "description")]
    if field not in allowed:
        raise ScenarioError(f"field={field!r} is not a scenario field: allowed {list(LEVER_FIELDS)} "
                            f"(or {sorted(set(allowed) - set(LEVER_FIELDS))})")
    sc = _with_overrides(base, overrides)
    vals = _listed("values", values)
    if not vals:
        raise ScenarioError(f"values=[] is invalid: allowed one or more values for {field}")
    scs = [replace(sc, name=f"{field}={_label(v)}", **{field: v}) for v in vals]
    ref = scs[0].name if reference is None else f"{field}={_label(reference)}"
    return _compare(scs, reps, seed, ref, executor, progress, keep_runs, jobs, level, field=field, values=vals,
                    policies=check_policies(policies))
