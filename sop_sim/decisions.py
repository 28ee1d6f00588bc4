"""Decision points: every choice a role makes in a meeting goes through one.

At each point the cycle builds a :class:`DecisionPoint` naming the role, step and
month, the fields the role may set (with types and bounds), the agent's own
suggestion and what the role can see. A simulated agent answers with its suggestion;
in a game a person answers instead (``sop_sim.game``). Because both paths go through
the same point and the same validation, a game in which every person submits the
suggestion ends exactly where ``sop_sim.run`` does.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sop_sim.errors import DecisionError

FIELD_KINDS = ("bool", "int", "float", "choice", "subset", "per_family", "per_item")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a decision.

    ``kind`` is one of ``bool``, ``int``, ``float``, ``choice`` (one of ``choices``),
    ``subset`` (any subset of ``choices``, as a list), ``per_family`` (a mapping from each
    of ``choices`` to a number within bounds) or ``per_item`` (a mapping from each of
    ``keys`` to one of ``choices``).
    """

    name: str
    kind: str
    help: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind in ("int", "float"):
            return f"{'an integer' if self.kind == 'int' else 'a number'} from {self.low} to {self.high}"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return f"one of {list(self.choices)}"
        if self.kind == "subset":
            return f"a list drawn from {list(self.choices)}"
        if self.kind == "per_family":
            return f"a number from {self.low} to {self.high} for each of {list(self.choices)}"
        return f"for each of {list(self.keys)}, one of {list(self.choices)}"

    def _number(self, value: Any, where: str) -> float:
        integer = self.kind == "int"
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):  # numpy numbers too
            raise DecisionError(f"{where}={value!r} is invalid: allowed {self.describe()}")
        value = value.item() if isinstance(value, np.generic) else value
        if integer and isinstance(value, float):
            if not value.is_integer():
                raise DecisionError(f"{where}={value!r} is invalid: allowed {self.describe()}")
            value = int(value)
        if not math.isfinite(value) or not (self.low <= value <= self.high):  # type: ignore[operator]
            raise DecisionError(f"{where}={value!r} is out of range: allowed {self.describe()}")
        return value

    def validate(self, value: Any) -> Any:
        """Return the value in canonical form or raise :class:`DecisionError`."""
        n = self.name
        if self.kind == "bool":
            if not isinstance(value, bool | np.bool_):
                raise DecisionError(f"{n}={value!r} is invalid: allowed true or false")
            return bool(value)
        if self.kind in ("int", "float"):
            v = self._number(value, n)
            return int(v) if self.kind == "int" else float(v)
        if self.kind == "choice":
            if value not in self.choices:
                raise DecisionError(f"{n}={value!r} is invalid: allowed {self.describe()}")
            return value
        if self.kind == "subset":
            if isinstance(value, str) or not isinstance(value, Sequence | set | frozenset):
                raise DecisionError(f"{n}={value!r} is invalid: allowed {self.describe()}")
            bad = [v for v in value if v not in self.choices]
            if bad:
                raise DecisionError(f"{n} contains {bad[0]!r}: allowed {self.describe()}")
            return sorted(set(value), key=self.choices.index)
        if self.kind == "per_family":
            if not isinstance(value, Mapping):
                raise DecisionError(f"{n}={value!r} is invalid: allowed {self.describe()}")
            extra = sorted(set(value) - set(self.choices))
            if extra:
                raise DecisionError(f"{n} has unknown family {extra[0]!r}: allowed {list(self.choices)}")
            out = {k: float(self._number(value[k], f"{n}[{k}]")) for k in self.choices if k in value}
            missing = [k for k in self.choices if k not in value]  # never read a gap as 0
            if missing:
                raise DecisionError(f"{n} is missing {', '.join(map(repr, missing))}: give {self.describe()}")
            return {k: out[k] for k in self.choices}
        if not isinstance(value, Mapping):
            raise DecisionError(f"{n}={value!r} is invalid: allowed {self.describe()}")
        extra = sorted(set(value) - set(self.keys))
        if extra:
            raise DecisionError(f"{n} has unknown item {extra[0]!r}: allowed {list(self.keys)}")
        out = {}
        for k in self.keys:
            if k not in value:
                raise DecisionError(f"{n} is missing {k!r}: {self.describe()}")
            if value[k] not in self.choices:
                raise DecisionError(f"{n}[{k}]={value[k]!r} is invalid: allowed {list(self.choices)}")
            out[k] = value[k]
        return out


def fresh_copy(decision: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a decision whose mappings and lists are new too, so changing it changes nothing else."""
    out = {}
    for k, v in decision.items():
        kind = type(v)
        if kind is dict or kind is list:  # the common case first: the Mapping check is slow
            v = kind(v)
        elif isinstance(v, Mapping):
            v = dict(v)
        elif isinstance(v, list):
            v = list(v)
        out[k] = v
    return out


@dataclass(frozen=True)
class DecisionPoint:
    """A pending choice for one role in one meeting.

    Attributes
    ----------
    seq:
        Position in the run's sequence of decision points (0, 1, 2, ...).
    role, step, month:
        Who decides, in which meeting, in which month (0-based).
    fields:
        The decision fields with their types and bounds.
    view:
        What this role can see now: its private news, the shared plan and KPIs.
    """

    seq: int
    role: str
    step: str
    month: int
    fields: tuple[FieldSpec, ...]
    suggested: Mapping[str, Any]
    view: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""

    def suggestion(self) -> dict[str, Any]:
        """The simulated agent's own decision (a fresh copy)."""
        return fresh_copy(self.suggested)

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise DecisionError(f"unknown field {name!r}: allowed {[f.name for f in self.fields]}")

    def validate(self, decision: Mapping[str, Any]) -> dict[str, Any]:
        """Check a complete decision; return it in canonical form.

        Raises
        ------
        DecisionError
            A field is unknown, missing, of the wrong type or out of bounds.
        """
        if not isinstance(decision, Mapping):
            raise DecisionError(f"decision={decision!r} is invalid: allowed a mapping of field -> value")
        names = [f.name for f in self.fields]
        unknown = sorted(set(decision) - set(names))
        if unknown:
            raise DecisionError(f"unknown field {unknown[0]!r} for {self.role} at {self.step}: allowed {names}")
        missing = [n for n in names if n not in decision]
        if missing:
            raise DecisionError(f"missing field {missing[0]!r} for {self.role} at {self.step}: give all of {names}")
        return {f.name: f.validate(decision[f.name]) for f in self.fields}
