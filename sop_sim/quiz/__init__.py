"""Self-paced S&OP quizzes: the question bank, the engine and progress tracking.

>>> from sop_sim.quiz import Quiz
>>> quiz = Quiz.draw(topic="role:finance", n=3, seed=7)
>>> len(quiz)
3

No user interface lives here: :mod:`sop_sim.ui` (widget) and
:mod:`sop_sim.quiz.terminal` (command line) sit on top of :class:`Quiz`.
"""

from sop_sim.quiz.bank import KINDS, Bank, Question, load_bank
from sop_sim.quiz.engine import (
    LEVELS,
    Feedback,
    Missed,
    Quiz,
    parse_level,
    review_order,
    select_topic,
    topic_label,
)
from sop_sim.quiz.exam import Exam, ExamResult
from sop_sim.quiz.grading import Presented, grade, present
from sop_sim.quiz.progress import Attempt, Progress, default_progress_path

__all__ = [
    "KINDS",
    "LEVELS",
    "Exam",
    "ExamResult",
    "Missed",
    "parse_level",
    "topic_label",
    "Attempt",
    "Bank",
    "Feedback",
    "Presented",
    "Progress",
    "Question",
    "Quiz",
    "default_progress_path",
    "grade",
    "load_bank",
    "present",
    "review_order",
    "select_topic",
]
