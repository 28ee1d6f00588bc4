"""User-facing errors.

Every error a learner or instructor can cause with bad input (a scenario value, a
decision, a quiz answer, a saved file) is a :class:`SopSimError`. Its message is one
line naming what is wrong and what is allowed; the CLI prints it and exits with
status 2, never a traceback. Each subclass is also a ``ValueError`` so callers that
only know the standard library can still catch it; :class:`FileError` is an ``OSError``
instead, because it reports a file that cannot be read or written.
"""

from __future__ import annotations


class SopSimError(Exception):
    """Base class for errors caused by bad input; the message is one line."""


class ScenarioError(SopSimError, ValueError):
    """An invalid :class:`sop_sim.Scenario` field value."""


class DecisionError(SopSimError, ValueError):
    """An invalid decision submitted to a game."""


class AnswerError(SopSimError, ValueError):
    """A quiz answer of the wrong type or out of range."""


class SaveFileError(SopSimError, ValueError):
    """A saved game or quiz progress file that is corrupt, foreign or edited."""


class KnowledgeError(SopSimError, ValueError):
    """A broken knowledge-base or question-bank data file."""


class FileError(SopSimError, OSError):
    """A file or folder that cannot be read or written (missing, read-only, a FIFO, too big,
    a full disk, an empty path); raised by :mod:`sop_sim.safefile`."""
