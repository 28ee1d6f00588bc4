"""ipywidgets front ends. Only this package imports ipywidgets; the model never does."""

from sop_sim.ui.explorer import ScenarioExplorer
from sop_sim.ui.game_board import GameBoard
from sop_sim.ui.quiz_widget import ExamWidget, QuizWidget
from sop_sim.ui.raci import RaciExplorer
from sop_sim.ui.sweep import EngagementSweep
from sop_sim.ui.tables import (
    escalation_log,
    format_comparison,
    fva_view,
    kpi_comparison,
    kpi_summary,
    minutes_frame,
    minutes_table,
    show_table,
)
from sop_sim.ui.walkthrough import CycleWalkthrough

__all__ = [
    "CycleWalkthrough",
    "EngagementSweep",
    "ExamWidget",
    "GameBoard",
    "QuizWidget",
    "RaciExplorer",
    "ScenarioExplorer",
    "escalation_log",
    "format_comparison",
    "fva_view",
    "kpi_comparison",
    "kpi_summary",
    "minutes_frame",
    "minutes_table",
    "show_table",
]
