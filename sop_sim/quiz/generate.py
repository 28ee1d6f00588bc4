"""Questions generated from the knowledge base itself.

These can never drift from ``kb``: who leads each step, the key output of each
step, the order of the cycle and who owns each artefact. Their ids start with
``kb-`` and their ``source`` is ``"kb"``. Distractors are chosen with a random
generator seeded by the question id, so the generated bank is the same on every
run.
"""

from __future__ import annotations

import random
from types import MappingProxyType

from sop_sim.knowledge import KnowledgeBase
from sop_sim.quiz.bank import Question
from sop_sim.quiz.checks import Check

_PERSON_ROLES = ("executive_sponsor", "process_owner")


def _lc(text: str) -> str:
    """Lower-case a name for mid-sentence use, leaving acronyms such as S&OP alone."""
    first, _, rest = text.partition(" ")
    if first[1:2].isupper() or "&" in first[:2]:
        return text
    return first[0].lower() + first[1:] + (" " + rest if rest else "")


def _role(kb: KnowledgeBase, role: str) -> str:
    """A role's name as it reads mid-sentence: "the executive sponsor", "sales"."""
    name = _lc(kb.name(role))
    return f"the {name}" if role in _PERSON_ROLES else name


def _names(kb: KnowledgeBase, roles: list[str] | tuple[str, ...]) -> str:
    """Roles joined for a sentence, first letter capitalised: "Sales and marketing"."""
    parts = [_role(kb, r) for r in kb.role_ids() if r in roles]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[0].upper() + text[1:]


def _choice(
    qid: str, right: list[str], pool: tuple[str, ...], n_options: int
) -> tuple[tuple[str, ...], list[int]]:
    """Right ids plus distractors from pool, in a fixed order per question id."""
    rng = random.Random(qid)
    wrong = [p for p in pool if p not in right]
    picked = right + rng.sample(wrong, min(len(wrong), max(n_options - len(right), 2)))
    ids = tuple(sorted(picked, key=pool.index))
    return ids, [ids.index(r) for r in right]


def _leads(kb: KnowledgeBase, step: str) -> Question:
    s = kb.step(step)
    qid = f"kb-leads-{step}"
    leads = [r for r in kb.role_ids() if r in s.leads]
    ids, right = _choice(qid, leads, kb.role_ids(), 4 if len(leads) == 1 else 5)
    verb = "chairs" if s.lead_verb == "chairs" else "leads"
    multi = len(leads) > 1
    prompt = (
        f"Which roles lead the {_lc(s.name)}? Select all that apply."
        if multi
        else f"Which role {verb} the {_lc(s.name)}?"
    )
    extra = ""
    if s.facilitator not in s.leads:
        extra = f" {_names(kb, [s.facilitator])} facilitates the meeting but does not lead it."
    return Question(
        id=qid, kind="multi_select" if multi else "single_choice", prompt=prompt,
        topics=(f"step:{step}", *(f"role:{r}" for r in leads)), difficulty=1,
        explanation=f"{_names(kb, leads)} {s.lead_verb} the {_lc(s.name)}. "
        f"{s.description}{extra}",
        options=tuple(kb.name(i) for i in ids),
        answer=tuple(right) if multi else right[0],
        checks=(Check("leads", step, "expect", tuple(leads)),), source="kb",
    )


def _key_output(kb: KnowledgeBase, step: str) -> Question:
    s = kb.step(step)
    qid = f"kb-output-{step}"
    ids, right = _choice(qid, [s.key_output], kb.artefact_ids(), 4)
    return Question(
        id=qid, kind="single_choice",
        prompt=f"What is the key output of the {_lc(s.name)}?",
        topics=(f"step:{step}",), difficulty=1,
        explanation=f"The {_lc(s.name)} exists to produce the {_lc(kb.name(s.key_output))}: "
        f"{_lc(kb.description(s.key_output))}",
        options=tuple(kb.name(i) for i in ids), answer=right[0],
        why_wrong=MappingProxyType({
            i: f"The {_lc(kb.name(a))} comes from the {_lc(kb.name(kb.producers(a)[0]))}."
            for i, a in enumerate(ids) if a != s.key_output and kb.producers(a)
        }),
        checks=(Check("key_output", step, "expect", s.key_output),), source="kb",
    )


def _order(kb: KnowledgeBase) -> Question:
    steps = kb.step_ids()
    return Question(
        id="kb-order-steps", kind="ordering",
        prompt="Put the five steps of the monthly S&OP cycle in order, first to last.",
        topics=(*(f"step:{s}" for s in steps), "tip:demand_first"), difficulty=1,
        explanation="Facts first, then demand, then supply in response to demand, then "
        "reconciliation, and only then the executive decision: "
        + " -> ".join(kb.name(s) for s in steps) + ".",
        options=tuple(kb.name(s) for s in steps),
        checks=(Check("step_ids", None, "expect", steps),), source="kb",
    )


def _owner(kb: KnowledgeBase, artefact: str) -> Question:
    a = kb.artefact(artefact)
    qid = f"kb-owner-{artefact}"
    owners = [r for r in kb.role_ids() if r in a.owners]
    multi = len(owners) > 1
    ids, right = _choice(qid, owners, kb.role_ids(), 4 if not multi else len(owners) + 2)
    note = ""
    if "process_owner" not in a.owners and a.is_plan:
        note = " The process owner facilitates the cycle but owns no plan."
    return Question(
        id=qid, kind="multi_select" if multi else "single_choice",
        prompt=(f"Who owns the {_lc(a.name)}? Select all that apply." if multi
                else f"Who owns the {_lc(a.name)}?"),
        topics=(*(f"role:{r}" for r in owners), "tip:owns_what"), difficulty=1 if not multi else 2,
        explanation=f"{_names(kb, owners)} {'own' if multi else 'owns'} the {_lc(a.name)}: "
        f"{_lc(a.description)}{note}",
        options=tuple(kb.name(i) for i in ids),
        answer=tuple(right) if multi else right[0],
        checks=(Check("owners", artefact, "expect", tuple(owners)),), source="kb",
    )


def _owner_matching(kb: KnowledgeBase) -> Question:
    pairs = [(a, next(iter(kb.owners(a)))) for a in kb.artefact_ids()
             if kb.is_plan(a) and len(kb.owners(a)) == 1]
    return Question(
        id="kb-match-plan-owners", kind="matching",
        prompt="Match each plan with the role that owns it.",
        topics=(*(f"role:{r}" for _, r in pairs), "tip:owns_what"), difficulty=2,
        explanation=". ".join(f"{_names(kb, [r])} owns the {_lc(kb.name(a))}" for a, r in pairs)
        + ". The process owner owns no plan: it facilitates the cycle.",
        left=tuple(kb.name(a) for a, _ in pairs),
        right=(*(kb.name(r) for _, r in pairs), kb.name("process_owner")),
        checks=tuple(Check("owners", a, "expect", (r,)) for a, r in pairs), source="kb",
    )


def generate_questions(kb: KnowledgeBase) -> list[Question]:
    """All questions derived from ``kb`` (about two dozen)."""
    out = [_leads(kb, s) for s in kb.step_ids()]
    out += [_key_output(kb, s) for s in kb.step_ids()]
    out.append(_order(kb))
    out += [_owner(kb, a) for a in kb.artefact_ids()]
    out.append(_owner_matching(kb))
    return out
