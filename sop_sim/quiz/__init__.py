"""Self-paced S&OP quizzes: the question bank, the engine and progress tracking.

>>> from sop_sim.quiz import Quiz
>>> quiz = Quiz.draw(topic="role:finance", n=3, seed=7)
>>> len(quiz)
3

No user interface lives here: :mod:`sop_sim.ui` (widget) and
:mod:`sop_sim.quiz.terminal` (command line) sit on top of :class:`Quiz`.
"""

from sop_sim.quiz.bank import KINDS, Bank, Question, load_bank

__all__ = ["KINDS", "Bank", "Question", "load_bank"]
