"""The simulation runs behind each exercise, defined once for the notebooks and the checks.

A notebook calls :func:`runs_for` to get fresh results to explore; the checks use the
same scenarios and seeds through a private cache, so a learner who edits a DataFrame
in place cannot change what the checker expects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

import pandas as pd

from sop_sim.calendar import month_range
from sop_sim.config import Scenario
from sop_sim.model import run
from sop_sim.presets import PRESETS
from sop_sim.results import Result
from sop_sim.ui.tables import LearnerTable

#: Months simulated in every exercise run: two seasons, enough for each lesson, fast.
MONTHS = 24
#: Seeds of the replicated comparison in the remedy exercise (common random numbers).
REMEDY_SEEDS: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
#: The preset hidden behind the "mystery" run of the minutes exercise.
MYSTERY_PRESET = "supply_chain_only"
#: Which cycle's plans the constrained and finance exercises read.
PLAN_CYCLE = {"constrained": 7, "finance": 6}
#: Which cycle's authorized plan the master-schedule exercise breaks down (Apr Y1).
MPS_CYCLE = 3
#: Months covered by the finance exercise's projection (cycle + 1 .. cycle + 12).
FINANCE_MONTHS = 12


def _preset(preset: str, **levers: object) -> Scenario:
    return replace(PRESETS[preset], months=MONTHS, **levers)


def struggling() -> Scenario:
    """The remedy exercise's starting point: silos, poor data and optimistic sales at once."""
    return replace(PRESETS["baseline"], name="struggling", months=MONTHS, silos=True, data_quality=0.5,
                   bias={"sales": 0.25},
                   description="Functions plan from their own numbers, the history is unreliable "
                               "and sales forecasts run 25% high.")


def _mystery() -> Scenario:
    return _preset(MYSTERY_PRESET, name="mystery", description="A company whose S&OP process is failing. Why?")


#: exercise id -> label -> (scenario factory, seed)
_SETUPS: dict[str, dict[str, tuple[object, int]]] = {
    "five_steps": {"base": (lambda: _preset("baseline"), 0)},
    "predict_skip": {"base": (lambda: _preset("baseline"), 0),
                     "skip": (lambda: _preset("skip_supply_review"), 0)},
    "minutes": {"mystery": (_mystery, 0)},
    "fva": {"base": (lambda: _preset("baseline"), 2),
            "biased": (lambda: _preset("baseline", name="biased_sales", bias={"sales": 0.25},
                                       description="The baseline company, with a sales team 25% optimistic "
                                                   "instead of 8%."), 2)},
    "constrained": {"base": (lambda: _preset("baseline"), 0)},
    "escalation": {"disengaged": (lambda: _preset("disengaged_executive"), 7),
                   "base": (lambda: _preset("baseline"), 7)},
    "finance": {"base": (lambda: _preset("baseline"), 0)},
    "horizon": {"short": (lambda: _preset("short_horizon"), 0), "base": (lambda: _preset("baseline"), 0)},
    "sku_level": {"sku": (lambda: _preset("sku_level"), 0), "base": (lambda: _preset("baseline"), 0)},
    "remedy": {"base": (lambda: _preset("baseline"), 0), "struggling": (struggling, 0)},
    "mps": {"base": (lambda: _preset("baseline"), 0), "sku": (lambda: _preset("sku_level"), 0)},
}


def scenarios_for(exercise_id: str) -> dict[str, tuple[Scenario, int]]:
    """Label -> (scenario, seed) of the runs an exercise uses (empty if it needs none)."""
    return {label: (make(), seed) for label, (make, seed) in _SETUPS.get(exercise_id, {}).items()}


def runs_for(exercise_id: str) -> dict[str, Result]:
    """Fresh results of the runs an exercise uses: label -> :class:`~sop_sim.Result`.

    Each call runs the simulation again (a few hundredths of a second per run), so you
    may change the frames you get without touching anything the checks rely on.
    """
    return {label: run(sc, seed=seed) for label, (sc, seed) in scenarios_for(exercise_id).items()}


def describe_runs(exercise_id: str) -> LearnerTable:
    """What :func:`runs_for` runs for an exercise, shown in full: scenario, seed, months simulated, description.

    The rows are the labels :func:`runs_for` returns; ``.frame`` holds the same as a DataFrame.
    """
    rows = [{"run": label, "scenario": sc.name, "seed": seed,
             "months simulated": f"{sc.months} ({month_range(0, sc.months - 1)})", "what it is": sc.description}
            for label, (sc, seed) in scenarios_for(exercise_id).items()]
    frame = pd.DataFrame(rows, columns=["run", "scenario", "seed", "months simulated", "what it is"])
    return LearnerTable(frame.set_index("run"), caption="The runs this exercise uses (all start in Jan Y1)")


@lru_cache(maxsize=64)
def checker_run(exercise_id: str, label: str) -> Result:
    """The checker's own cached copy of one exercise run (never handed to learners)."""
    sc, seed = scenarios_for(exercise_id)[label]
    return run(sc, seed=seed)


def replicate_summaries(scenarios: Mapping[str, Scenario] | list[Scenario],
                        seeds: tuple[int, ...] = REMEDY_SEEDS) -> pd.DataFrame:
    """Mean KPIs of several scenarios over the same seeds (common random numbers).

    A small sequential stand-in for :func:`sop_sim.experiment.compare`, used by the
    remedy check so the checker starts no process pool.

    Returns
    -------
    pandas.DataFrame
        One row per scenario name, one column per KPI (means over ``seeds``).
    """
    items = scenarios.items() if isinstance(scenarios, Mapping) else ((s.name, s) for s in scenarios)
    means = {name: pd.DataFrame([run(sc, seed=s).summary for s in seeds]).mean() for name, sc in items}
    return pd.DataFrame(means).T
