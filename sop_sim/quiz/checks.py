"""Structured fact checks that tie questions to the knowledge base.

A question that states who owns, leads or attends something, or in which order
the steps run, carries ``checks``: each one names a knowledge-base query
(``relation``), its argument (``subject``) and what the question assumes::

    {relation = "owners", subject = "demand_plan", expect = ["sales", "marketing"]}
    {relation = "named_roles", subject = "demand_review", includes = ["finance"]}
    {relation = "plans_owned_by", subject = "process_owner", expect = []}
    {relation = "step_ids", expect = ["data_gathering", "demand_review", ...]}

Only doctrine can be checked: the simulated company's practice (who it invites,
its calendar days) is not a relation here, so no question can rest on it.

``expect`` means equality (as a set, except for ``step_ids`` where order counts),
``includes`` means every listed id is in the answer, ``excludes`` means none is.
:func:`verify` runs them; a test asserts that no question contradicts the kb.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sop_sim.knowledge import KnowledgeBase

#: relation -> the kind of id its subject must be (None: takes no subject)
RELATIONS: dict[str, str | None] = {
    "owners": "artefact",
    "approvers": "artefact",
    "is_plan": "artefact",
    "producers": "artefact",
    "consumers": "artefact",
    "leads": "step",
    "named_roles": "step",
    "facilitator": "step",
    "lead_verb": "step",
    "key_output": "step",
    "outputs": "step",
    "inputs": "step",
    "authority": "step",
    "position": "step",
    "steps_led_by": "role",
    "steps_facilitated_by": "role",
    "artefacts_owned_by": "role",
    "plans_owned_by": "role",
    "step_ids": None,
    "role_ids": None,
}
_ORDERED = {"step_ids"}
_OPS = ("expect", "includes", "excludes")


@dataclass(frozen=True)
class Check:
    """One fact a question relies on: ``kb.<relation>(subject) <op> value``."""

    relation: str
    subject: str | None
    op: str
    value: Any

    def __str__(self) -> str:
        call = f"{self.relation}({self.subject!r})" if self.subject else f"{self.relation}()"
        return f"{call} {self.op} {self.value!r}"


def parse_checks(raw: Any, kb: KnowledgeBase) -> tuple[Check, ...]:
    """Validate raw check tables; raise ValueError with a one-line reason."""
    if not isinstance(raw, list):
        raise ValueError("must be a list of tables")
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError("each check is a table")
        relation = item.get("relation")
        if relation not in RELATIONS:
            raise ValueError(f"unknown relation {relation!r}; valid: {', '.join(RELATIONS)}")
        ops = [k for k in _OPS if k in item]
        extra = set(item) - {"relation", "subject", *_OPS}
        if len(ops) != 1 or extra:
            raise ValueError(f"{relation}: give exactly one of {', '.join(_OPS)} and nothing else")
        subject = item.get("subject")
        kind = RELATIONS[relation]
        if kind is None:
            if subject is not None:
                raise ValueError(f"{relation} takes no subject")
        else:
            try:
                getattr(kb, kind)(subject)
            except KeyError as exc:
                raise ValueError(f"{relation}: {exc.args[0]}") from None
        value = item[ops[0]]
        out.append(Check(relation, subject, ops[0], tuple(value) if isinstance(value, list) else value))
    return tuple(out)


def evaluate(check: Check, kb: KnowledgeBase) -> bool:
    """True when the knowledge base agrees with the check."""
    fn = getattr(kb, check.relation)
    actual = fn(check.subject) if check.subject is not None else fn()
    if isinstance(actual, (tuple, frozenset)):
        if check.op != "expect" and not isinstance(check.value, tuple):
            return False
        wanted = check.value if isinstance(check.value, tuple) else (check.value,)
        if check.op == "expect":
            if check.relation in _ORDERED:
                return tuple(actual) == wanted
            return set(actual) == set(wanted)
        if check.op == "includes":
            return set(wanted) <= set(actual)
        return not set(wanted) & set(actual)
    if check.op == "expect":
        return actual == check.value
    wanted = check.value if isinstance(check.value, tuple) else (check.value,)
    return (actual in wanted) if check.op == "includes" else (actual not in wanted)


def verify(questions: Iterable[Any], kb: KnowledgeBase) -> list[str]:
    """Every check that the knowledge base contradicts, as readable lines."""
    return [
        f"{q.id}: {check} is false (kb says {_actual(check, kb)!r})"
        for q in questions
        for check in q.checks
        if not evaluate(check, kb)
    ]


def _actual(check: Check, kb: KnowledgeBase) -> Any:
    fn = getattr(kb, check.relation)
    value = fn(check.subject) if check.subject is not None else fn()
    return sorted(value) if isinstance(value, frozenset) else value
