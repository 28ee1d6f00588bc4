"""ipywidgets front ends. Only this package imports ipywidgets; the model never does."""

from sop_sim.ui.quiz_widget import QuizWidget

__all__ = [
    "QuizWidget",
]
