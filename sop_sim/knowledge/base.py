"""The knowledge base: who leads, attends, owns and approves what in S&OP.

A :class:`KnowledgeBase` is an immutable view over the validated data files in
``sop_sim/knowledge/data``. Build one with :func:`sop_sim.knowledge.load_kb`; do
not construct it by hand. Every query takes plain ids (``"demand_review"``,
``"sales"``) and raises :class:`KeyError` listing the valid ids when given an
unknown one, so a typo never silently returns an empty answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is only needed for the optional table view
    import pandas as pd

#: Topic categories of the quiz taxonomy, in display order.
TOPIC_KINDS: tuple[str, ...] = ("role", "step", "principle", "failure", "tip", "concept")


@dataclass(frozen=True)
class Role:
    """One function taking part in S&OP."""

    id: str
    name: str
    description: str
    examples: str
    mission: str
    responsibilities: tuple[str, ...]
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """One step of the monthly cycle."""

    id: str
    order: int
    name: str
    description: str
    day: int
    last_day: int
    leads: frozenset[str]
    lead_verb: str
    facilitator: str
    participants: frozenset[str]
    key_output: str
    outputs: frozenset[str]
    inputs: frozenset[str]
    authority: str
    named_roles: frozenset[str] = frozenset()
    company_outputs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Artefact:
    """A plan or document that flows through the cycle."""

    id: str
    name: str
    description: str
    is_plan: bool
    owners: frozenset[str]
    approvers: frozenset[str]
    practice: bool = False


@dataclass(frozen=True)
class Entry:
    """A principle, common failure, exam tip or concept: an id, a name, one line."""

    kind: str
    id: str
    name: str
    description: str
    number: int | None = None


def _lookup(table: Mapping[str, object], key: str, what: str) -> object:
    try:
        return table[key]
    except (KeyError, TypeError):
        valid = ", ".join(table)
        raise KeyError(f"unknown {what} id {key!r}; valid {what} ids: {valid}") from None


@dataclass(frozen=True)
class KnowledgeBase:
    """Validated, read-only S&OP knowledge. Obtain it from ``load_kb()``.

    Sets of ids are returned as ``frozenset``; ordered lists (cycle order, file
    order) as ``tuple``. Nothing returned can be mutated.
    """

    roles: Mapping[str, Role]
    steps: Mapping[str, Step]
    artefacts: Mapping[str, Artefact]
    entries: Mapping[str, Mapping[str, Entry]]  # kind -> id -> Entry
    source: str = ""
    sections: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # id -> title

    # ----------------------------------------------------------- reference
    def section_ids(self) -> tuple[str, ...]:
        """Ids of the reference sections a quiz question may cite as its ``source``."""
        return tuple(self.sections)

    def section_title(self, section: str) -> str:
        return _lookup(self.sections, section, "reference section")  # type: ignore[return-value]

    # ----------------------------------------------------------------- ids
    def role_ids(self) -> tuple[str, ...]:
        """Role ids in reference order (executive sponsor first)."""
        return tuple(self.roles)

    def step_ids(self) -> tuple[str, ...]:
        """Step ids in cycle order."""
        return tuple(self.steps)

    def artefact_ids(self) -> tuple[str, ...]:
        """Artefact ids in file order."""
        return tuple(self.artefacts)

    def principle_ids(self) -> tuple[str, ...]:
        return tuple(self.entries["principle"])

    def failure_ids(self) -> tuple[str, ...]:
        return tuple(self.entries["failure"])

    def tip_ids(self) -> tuple[str, ...]:
        """Exam tip ids in tip-number order."""
        return tuple(self.entries["tip"])

    def concept_ids(self) -> tuple[str, ...]:
        return tuple(self.entries["concept"])

    def topics(self) -> tuple[str, ...]:
        """Every valid quiz topic, ``"<kind>:<id>"``, e.g. ``"role:sales"``."""
        out: list[str] = []
        for kind in TOPIC_KINDS:
            out.extend(f"{kind}:{i}" for i in self._ids_of(kind))
        return tuple(out)

    def _ids_of(self, kind: str) -> tuple[str, ...]:
        if kind == "role":
            return self.role_ids()
        if kind == "step":
            return self.step_ids()
        if kind == "artefact":
            return self.artefact_ids()
        return tuple(self.entries[kind])

    # ------------------------------------------------------------- objects
    def role(self, role: str) -> Role:
        return _lookup(self.roles, role, "role")  # type: ignore[return-value]

    def step(self, step: str) -> Step:
        return _lookup(self.steps, step, "step")  # type: ignore[return-value]

    def artefact(self, artefact: str) -> Artefact:
        return _lookup(self.artefacts, artefact, "artefact")  # type: ignore[return-value]

    def entry(self, topic: str) -> Entry:
        """A principle, failure, tip or concept by topic, e.g. ``"tip:owns_what"``."""
        kind, _, ident = topic.partition(":")
        table = self.entries.get(kind)
        if table is None or ident not in table:
            raise KeyError(
                f"unknown topic {topic!r}; valid topics: {', '.join(self.topics())}"
            )
        return table[ident]

    # ------------------------------------------------------------- steps
    def leads(self, step: str) -> frozenset[str]:
        """Roles that lead (for the executive meeting: chair) a step; empty for the
        pre-S&OP meeting, for which the reference names no lead."""
        return self.step(step).leads

    def participants(self, step: str) -> frozenset[str]:
        """Who the simulated company invites to a step (its practice, leads included).

        The reference does not give full attendance lists; :meth:`named_roles` holds
        only the roles it places in the step. The simulation draws attendance from
        this list.
        """
        return self.step(step).participants

    def named_roles(self, step: str) -> frozenset[str]:
        """The roles the reference itself places in a step (doctrine)."""
        return self.step(step).named_roles

    def facilitator(self, step: str) -> str:
        """The role that organizes and moderates the step (the process owner facilitates
        every meeting)."""
        return self.step(step).facilitator

    def lead_verb(self, step: str) -> str:
        """How the lead runs the step: ``runs``, ``lead`` or ``chairs`` ("" without a lead)."""
        return self.step(step).lead_verb

    def key_output(self, step: str) -> str:
        return self.step(step).key_output

    def outputs(self, step: str) -> frozenset[str]:
        """Every artefact a step produces according to the reference, key output included."""
        return self.step(step).outputs

    def company_outputs(self, step: str) -> frozenset[str]:
        """The simulated company's own supporting documents produced in a step (practice)."""
        return self.step(step).company_outputs

    def is_practice(self, artefact: str) -> bool:
        """Whether an artefact is the simulated company's own document, not S&OP doctrine."""
        return self.artefact(artefact).practice

    def inputs(self, step: str) -> frozenset[str]:
        return self.step(step).inputs

    def authority(self, step: str) -> str:
        """What the step may do with the plan: prepare, propose, recommend or decide."""
        return self.step(step).authority

    def position(self, step: str) -> int:
        """1-based place of a step in the cycle."""
        return self.step(step).order

    def day(self, step: str) -> int:
        """Day of the month on which the step starts in the simulated company's calendar
        (company practice: the reference gives no dates)."""
        return self.step(step).day

    def day_span(self, step: str) -> tuple[int, int]:
        """First and last day of the step in the simulated company's calendar."""
        s = self.step(step)
        return (s.day, s.last_day)

    def producers(self, artefact: str) -> tuple[str, ...]:
        """Steps (cycle order) that output an artefact (company documents included);
        empty for standing documents."""
        self.artefact(artefact)
        return tuple(s.id for s in self.steps.values()
                     if artefact in s.outputs or artefact in s.company_outputs)

    def consumers(self, artefact: str) -> tuple[str, ...]:
        """Steps (cycle order) that read an artefact."""
        self.artefact(artefact)
        return tuple(s.id for s in self.steps.values() if artefact in s.inputs)

    # ----------------------------------------------------------- artefacts
    def owners(self, artefact: str) -> frozenset[str]:
        return self.artefact(artefact).owners

    def approvers(self, artefact: str) -> frozenset[str]:
        return self.artefact(artefact).approvers

    def is_plan(self, artefact: str) -> bool:
        return self.artefact(artefact).is_plan

    # --------------------------------------------------------------- roles
    def responsibilities(self, role: str) -> tuple[str, ...]:
        return self.role(role).responsibilities

    def conflicts(self, role: str) -> tuple[str, ...]:
        """Typical tensions the role brings into the meetings (for role cards)."""
        return self.role(role).conflicts

    def mission(self, role: str) -> str:
        return self.role(role).mission

    def steps_led_by(self, role: str) -> tuple[str, ...]:
        self.role(role)
        return tuple(s.id for s in self.steps.values() if role in s.leads)

    def steps_attended_by(self, role: str) -> tuple[str, ...]:
        """Steps the role takes part in (led ones included), in cycle order."""
        self.role(role)
        return tuple(s.id for s in self.steps.values() if role in s.participants)

    def steps_facilitated_by(self, role: str) -> tuple[str, ...]:
        self.role(role)
        return tuple(s.id for s in self.steps.values() if s.facilitator == role)

    def artefacts_owned_by(self, role: str) -> tuple[str, ...]:
        self.role(role)
        return tuple(a.id for a in self.artefacts.values() if role in a.owners)

    def plans_owned_by(self, role: str) -> tuple[str, ...]:
        """Artefacts flagged as plans that the role owns (none for the process owner)."""
        return tuple(a for a in self.artefacts_owned_by(role) if self.artefacts[a].is_plan)

    # ---------------------------------------------------------------- text
    def _resolve(self, ident: str) -> object:
        if ":" in ident:
            kind, _, rest = ident.partition(":")
            if kind == "role":
                return self.role(rest)
            if kind == "step":
                return self.step(rest)
            if kind == "artefact":
                return self.artefact(rest)
            return self.entry(ident)
        for table in (self.roles, self.steps, self.artefacts):
            if ident in table:
                return table[ident]
        for kind in ("principle", "failure", "tip"):
            if ident in self.entries[kind]:
                return self.entries[kind][ident]
        valid = list(self.roles) + list(self.steps) + list(self.artefacts)
        for kind in ("principle", "failure", "tip"):
            valid.extend(self.entries[kind])
        raise KeyError(
            f"unknown id {ident!r}; valid ids: {', '.join(valid)} "
            "(or a topic such as 'concept:horizon')"
        )

    def name(self, ident: str) -> str:
        """Display name of any role, step, artefact, principle, failure or tip id.

        Topic strings such as ``"concept:horizon"`` or ``"role:sales"`` work too.
        """
        return self._resolve(ident).name  # type: ignore[attr-defined]

    def description(self, ident: str) -> str:
        """One-line description of any id accepted by :meth:`name`."""
        return self._resolve(ident).description  # type: ignore[attr-defined]

    # --------------------------------------------------------------- views
    def membership_table(self, doctrine: bool = False) -> pd.DataFrame:
        """Roles by steps: ``leads``/``chairs``, ``facilitates``, ``attends`` or ``""``.

        By default ``attends`` follows the simulated company's invitations (its
        practice). With ``doctrine=True`` only the roles the reference places in each
        step are shown, and ``attends`` becomes ``takes part``.
        """
        import pandas as pd

        rows = {}
        for role in self.roles:
            row = {}
            for s in self.steps.values():
                if role in s.leads:
                    row[s.name] = "chairs" if s.lead_verb == "chairs" else "leads"
                elif s.facilitator == role:
                    row[s.name] = "facilitates"
                elif doctrine and role in s.named_roles:
                    row[s.name] = "takes part"
                elif not doctrine and role in s.participants:
                    row[s.name] = "attends"
                else:
                    row[s.name] = ""
            rows[self.roles[role].name] = row
        return pd.DataFrame.from_dict(rows, orient="index")

    def ownership_table(self) -> pd.DataFrame:
        """One row per artefact: name, whether it is a plan, owners, producing steps."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "artefact": a.name,
                    "plan": a.is_plan,
                    "owners": ", ".join(self.roles[r].name for r in self.role_ids() if r in a.owners),
                    "produced in": ", ".join(self.steps[s].name for s in self.producers(a.id)),
                }
                for a in self.artefacts.values()
            ]
        )
