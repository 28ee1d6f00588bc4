"""What the meetings share: plan versions, issues, the month's artefacts and the meeting base class."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import numpy as np

from sop_sim.planning.supply import SupplyInputs, SupplyPlan

if TYPE_CHECKING:
    from sop_sim.cycle.scheduler import SOPCycle

#: What each kind of issue is about, in the words of the minutes.
ISSUE_KIND_WORDS = {"capacity": "capacity gap", "overtime": "overtime", "npi_date": "launch date",
                    "aop_gap": "gap to the annual plan"}

#: What an executive or pre-S&OP choice means, in the words of the minutes (an option id as key).
CHOICE_WORDS = {"approve": "approve the overtime", "accept": "accept the gap", "hire": "hire workers",
                "outsource": "outsource the excess", "promote": "run the promotion",
                "closed": "closed, overtaken by a newer capacity issue", "defer": "deferred"}


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` with its noun in the right number: ``counted(1, "worker")`` -> ``"1 worker"``."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def choice_words(choice: str | None) -> str:
    """A choice's option id as people read it (``"accept"`` -> ``"accept the gap"``)."""
    return CHOICE_WORDS.get(choice or "", choice or "no choice")


#: Outsourcing is contracted for the near term only; later gaps come back to a later review.
OUTSOURCE_COMMIT_MONTHS = 3


class Line(NamedTuple):
    """One line of the minutes: a status code for code to read, the sentence for people.

    ``role`` names the role the line is about (an absence, a missing input), if any.
    """

    code: str
    text: str
    role: str | None = None


@dataclass
class Issue:
    """Something a meeting could not settle alone; escalated ones go to the executives."""

    id: str
    kind: str  # capacity, overtime, npi_date, aop_gap
    month: int
    raised_day: float
    raised_at: str
    summary: str
    options: list[tuple[str, str, float]] = field(default_factory=list)  # (id, label, cost)
    recommendation: str | None = None
    needs_executive: bool = True
    prepared: bool = False
    status: str = "open"  # open, resolved, decided, closed
    closed_day: float | None = None
    choice: str | None = None
    payload: Any = None

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o[0] for o in self.options)

    @property
    def name(self) -> str:
        """The issue as the minutes name it for people: ``"issue 4 (overtime)"`` (``id`` stays ``"I4"``)."""
        return f"issue {self.id.lstrip('I')} ({ISSUE_KIND_WORDS.get(self.kind, self.kind)})"


@dataclass
class Plan:
    """A plan version for months ``first`` .. ``first + len(units) - 1``."""

    version: str
    made_in: int
    first: int
    units: np.ndarray  # months x families
    label: str = ""

    def covers(self, month: int) -> bool:
        return self.first <= month < self.first + len(self.units)

    def at(self, month: int) -> np.ndarray:
        return self.units[month - self.first]


@dataclass
class MonthState:
    """The artefacts one month's cycle produces, step by step."""

    month: int
    baseline: dict | None = None
    stat: Plan | None = None
    demand: Plan | None = None  # consensus demand plan (None if no demand review)
    supply_inputs: SupplyInputs | None = None  # what the supply review gave the planner
    supply: SupplyPlan | None = None
    supply_plan: Plan | None = None
    issues: list[Issue] = field(default_factory=list)
    recommended: Plan | None = None


class Actions:
    """What meetings may *do* to the company: hire, order, outsource, run a promotion.

    The only writing door from the cycle to the world; reading goes through
    :class:`sop_sim.information.Information`.
    """

    def __init__(self, world: Any) -> None:
        self._world = world

    def hire(self, n: int, month_now: int) -> int:
        return self._world.hire(n, month_now)

    def order_material(self, arrive_month: int, qty: list[int]) -> None:
        self._world.order_material(arrive_month, qty)

    def order_outsourcing(self, arrive_month: int, qty: list[int]) -> None:
        self._world.order_outsourcing(arrive_month, qty)

    def add_promotion(self, month: int, j: int, uplift: float) -> None:
        self._world.add_promotion(month, j, uplift)


class Meeting:
    """One step of the monthly cycle. Subclasses set :attr:`step` and write :meth:`run`.

    A meeting reads the shared cycle state (``self.cycle``: this month's artefacts in
    ``cycle.state``, the latest data baseline, the authorized plan, open issues), reads
    the world only through ``self.info`` and acts only through ``self.act``.
    """

    step: ClassVar[str]

    def __init__(self, cycle: SOPCycle) -> None:
        self.cycle = cycle
        self.info = cycle.info
        self.act = cycle.act
        self.rec = cycle.rec

    @property
    def sc(self) -> Any:
        """The scenario as played (a game may add disturbances during the run)."""
        return self.cycle.sc

    def run(self, month: int) -> Generator[Any, Any, None]:
        """SimPy process step: hold (or fail to hold) this meeting in ``month``."""
        raise NotImplementedError

    def not_held(self, month: int, code: str, why: str, notes: list[Line], present=(), absent=(),
                 cancelled_by: tuple[str, ...] = ()) -> None:
        """Write the minutes of a meeting that did not take place (``code``: skipped or not_held_no_lead)."""
        if code == "skipped":
            present, absent = (), ()  # nobody was invited
        self.rec.meeting(month, self.step, self.cycle.now(), held=False, status=why, code=code, notes=notes,
                         present=present, absent=absent, cancelled_by=cancelled_by)
