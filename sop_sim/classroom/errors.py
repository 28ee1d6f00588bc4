"""Errors of the classroom: one line for the person, and the HTTP status to answer with."""

from __future__ import annotations

from sop_sim.errors import SopSimError


class ClassroomError(SopSimError):
    """Bad input to the classroom: ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class NotFound(ClassroomError):
    """An unknown or forged token (answered with 404 and no data)."""

    def __init__(self) -> None:
        super().__init__("not found", 404)
