"""Study-group exercises: auto-checked questions on top of the simulation.

>>> from sop_sim.exercises import check
>>> print(check("raci.demand_plan", ...))
… Not answered yet. Replace the `...` with your answer and run the cell again.

The exercises are listed in :data:`EXERCISES` (data in ``registry.toml``). Their
notebooks live in ``solutions/`` (worked) and ``exercises/`` (generated from the
solutions by ``python -m sop_sim.exercises.build``). Expected answers are computed from
the simulation at check time (:mod:`sop_sim.exercises.expected`).
"""

from sop_sim.exercises.analysis import first_moves, monthly_comparison, planning_case, price_list
from sop_sim.exercises.checking import Feedback, check
from sop_sim.exercises.registry import EXERCISES, QUESTIONS, Exercise, Question, exercise_table
from sop_sim.exercises.setups import describe_runs, replicate_summaries, runs_for, struggling
from sop_sim.exercises.views import (
    answer_ids,
    decisions_view,
    kpi_view,
    minutes_view,
    monthly_view,
    months_view,
    numbers_view,
)

__all__ = [
    "EXERCISES",
    "Exercise",
    "Feedback",
    "QUESTIONS",
    "Question",
    "answer_ids",
    "check",
    "decisions_view",
    "describe_runs",
    "exercise_table",
    "first_moves",
    "kpi_view",
    "minutes_view",
    "monthly_comparison",
    "monthly_view",
    "months_view",
    "numbers_view",
    "planning_case",
    "price_list",
    "replicate_summaries",
    "runs_for",
    "struggling",
]
