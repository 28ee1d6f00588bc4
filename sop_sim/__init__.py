"""sop_sim: a teaching and simulation kit for Sales and Operations Planning (S&OP).

Quick start::

    import sop_sim
    result = sop_sim.run("baseline", seed=1)
    result.summary            # one row of KPIs
    result.minutes            # who met, what they decided, what went wrong
    sop_sim.PRESETS           # the named scenarios
"""

from sop_sim._lazy import lazy_exports

# The public names are loaded on first use (PEP 562), so ``import sop_sim`` and the
# ``sop-sim`` command start quickly: pandas, the game and the experiment runner are
# imported only when a name that needs them is asked for.
_EXPORTS = {
    "LEVER_FIELDS": "sop_sim.config",
    "ROLE_IDS": "sop_sim.config",
    "STEP_IDS": "sop_sim.config",
    "Company": "sop_sim.config",
    "Disturbance": "sop_sim.config",
    "Family": "sop_sim.config",
    "Plant": "sop_sim.config",
    "Scenario": "sop_sim.config",
    "default_company": "sop_sim.config",
    "default_disturbances": "sop_sim.config",
    "DecisionPoint": "sop_sim.decisions",
    "FieldSpec": "sop_sim.decisions",
    "AnswerError": "sop_sim.errors",
    "DecisionError": "sop_sim.errors",
    "FileError": "sop_sim.errors",
    "KnowledgeError": "sop_sim.errors",
    "SaveFileError": "sop_sim.errors",
    "ScenarioError": "sop_sim.errors",
    "SopSimError": "sop_sim.errors",
    "Comparison": "sop_sim.experiment",
    "compare": "sop_sim.experiment",
    "replicate": "sop_sim.experiment",
    "sweep": "sop_sim.experiment",
    "Game": "sop_sim.game",
    "KPIS": "sop_sim.metrics",
    "kpi_table": "sop_sim.metrics",
    "SOPModel": "sop_sim.model",
    "run": "sop_sim.model",
    "Result": "sop_sim.results",
    "Policy": "sop_sim.roles",
}


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)


# Eager on purpose: importing the submodule ``sop_sim.presets`` later would replace the
# ``presets`` mapping below with the module (needs only numpy, which the model needs anyway).
from sop_sim.presets import PRESETS, get_scenario  # noqa: E402

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
