"""sop_sim: a teaching and simulation kit for Sales and Operations Planning (S&OP).

Quick start::

    import sop_sim
    result = sop_sim.run("baseline", seed=1)
    result.summary            # one row of KPIs
    result.minutes            # who met, what they decided, what went wrong
    sop_sim.PRESETS           # the named scenarios
"""

from sop_sim.config import (
    LEVER_FIELDS,
    ROLE_IDS,
    STEP_IDS,
    Company,
    Disturbance,
    Family,
    Plant,
    Scenario,
    default_company,
    default_disturbances,
)
from sop_sim.decisions import DecisionPoint, FieldSpec
from sop_sim.errors import (
    AnswerError,
    DecisionError,
    FileError,
    KnowledgeError,
    SaveFileError,
    ScenarioError,
    SopSimError,
)
from sop_sim.experiment import Comparison, compare, replicate, sweep
from sop_sim.game import Game
from sop_sim.metrics import KPIS, kpi_table
from sop_sim.model import SOPModel, run
from sop_sim.presets import PRESETS, get_scenario
from sop_sim.results import Result
from sop_sim.roles import Policy

presets = PRESETS  # the name for the preset mapping

__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "Company",
    "Comparison",
    "DecisionError",
    "FileError",
    "DecisionPoint",
    "Disturbance",
    "Family",
    "FieldSpec",
    "Game",
    "KPIS",
    "KnowledgeError",
    "LEVER_FIELDS",
    "PRESETS",
    "Plant",
    "Policy",
    "ROLE_IDS",
    "Result",
    "SOPModel",
    "STEP_IDS",
    "SaveFileError",
    "Scenario",
    "ScenarioError",
    "SopSimError",
    "compare",
    "default_company",
    "default_disturbances",
    "get_scenario",
    "kpi_table",
    "presets",
    "replicate",
    "run",
    "sweep",
]
