"""Questions generated from the knowledge base itself.

These can never drift from ``kb``: who leads (or facilitates) each step, the key
output of each step, the order of the cycle, who owns each doctrinal document and
who approves the integrated plan. Their ids start with ``kb-`` and their ``file``
is ``"kb"``. Only doctrine is asked: the simulated company's own practice (its
calendar days, its invitations, its supporting documents) never becomes a question.
Distractors are chosen with a random generator seeded by the question id, so the
generated bank is the same on every run, and every distractor gets its own
``why_wrong`` text.
"""

from __future__ import annotations

import random
from types import MappingProxyType

from sop_sim.knowledge import KnowledgeBase
from sop_sim.quiz.bank import Question
from sop_sim.quiz.checks import Check

_PERSON_ROLES = ("executive_sponsor", "process_owner")

#: documents asked about, with the verb the reference uses and the sections that support it
_OWNED: dict[str, tuple[str, tuple[str, ...]]] = {
    "demand_plan": ("owns", ("tip.owns_what", "role.sales", "role.marketing")),
    "supply_plan": ("owns", ("tip.owns_what", "role.operations")),
    "financial_projection": ("prepares", ("tip.owns_what", "role.finance")),
    "data_baseline": ("compiles", ("step.data_gathering", "role.process_owner")),
    "sop_calendar": ("maintains", ("role.process_owner",)),
    "action_log": ("keeps", ("role.process_owner", "principle.accountability")),
    "npi_schedule": ("provides", ("role.product_development",)),
}

#: how a stem names a document whose own name would echo the key (e.g. "financial
#: projection" -> Finance, "new product ... schedule" -> Product development)
_OWNED_STEM = {
    "financial_projection": "the projection of the plan in revenue, cost, margin and working capital",
    "npi_schedule": "the dates of launches, engineering changes and phase-outs",
    "sop_calendar": "the calendar of the monthly cycle's meetings",
}

#: why the owner holds the document, for the explanation
_OWNED_WHY = {
    "demand_plan": "they know the market, the customers and their own promotions and launches",
    "supply_plan": "it answers for what the plant can make and proposes the alternatives when it cannot",
    "financial_projection": "it holds the money view of the business and the annual operating plan",
    "data_baseline": "consolidating the data and vouching for its integrity is part of running the cycle",
    "sop_calendar": "keeping the meetings on schedule is part of running the cycle",
    "action_log": "following every action to closure is how S&OP makes its decisions stick",
    "npi_schedule": "it judges when new products are technically ready and when old ones are phased out",
}

#: how a stem describes a step whose name would echo its key output (the "demand
#: review" -> "Consensus demand plan") or its chair ("executive" meeting -> Executive sponsor)
_STEP_STEM = {
    "data_gathering": "the first step of the monthly cycle, where last month's facts are compiled",
    "demand_review": "the second step of the monthly cycle, led by sales and marketing",
    "supply_review": "the third step of the monthly cycle, where capacity, materials and workforce are tested against demand",
    "executive_sop": "the last meeting of the monthly cycle, where the plan is approved",
}


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


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _names(kb: KnowledgeBase, roles: list[str] | tuple[str, ...]) -> str:
    """Roles joined for a sentence, first letter capitalised: "Sales and marketing"."""
    parts = [_role(kb, r) for r in kb.role_ids() if r in roles]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return _cap(text)


def _step(kb: KnowledgeBase, step: str) -> str:
    """A step as it reads mid-sentence: "the demand review", "the data gathering and reporting step"."""
    name = _lc(kb.name(step))
    return f"the {name} step" if step == "data_gathering" else f"the {name}"


def _part(kb: KnowledgeBase, role: str) -> str:
    """What a role does in S&OP, from its description, as a sentence for a why_wrong note."""
    desc = kb.role(role).description
    return f"Its part in S&OP: {desc[0].lower()}{desc[1:]}"


def _choice(
    qid: str, right: list[str], pool: tuple[str, ...], n_options: int
) -> tuple[tuple[str, ...], list[int]]:
    """Right ids plus distractors from pool, in a fixed order per question id."""
    rng = random.Random(qid)
    wrong = [p for p in pool if p not in right]
    picked = right + rng.sample(wrong, min(len(wrong), max(n_options - len(right), 2)))
    ids = tuple(sorted(picked, key=pool.index))
    return ids, [ids.index(r) for r in right]


def _why_not_lead(kb: KnowledgeBase, step: str, role: str) -> str:
    s, who, where = kb.step(step), _cap(_role(kb, role)), _step(kb, step)
    verb = "run" if s.lead_verb == "runs" else "lead"
    if role == s.facilitator:
        return f"{who} facilitates {where} but does not {verb} it."
    if role in s.named_roles:
        return f"{who} takes part in {where} but does not {verb} it."
    if step == "executive_sop":
        return f"{who} takes part in the decisions as one of the functions, but the chair is the executive sponsor's."
    return f"{who} does not {verb} {where}. {_part(kb, role)}"


def _leads(kb: KnowledgeBase, step: str) -> Question:
    s = kb.step(step)
    qid = f"kb-leads-{step}"
    leads = [r for r in kb.role_ids() if r in s.leads]
    ids, right = _choice(qid, leads, kb.role_ids(), 4 if len(leads) == 1 else 5)
    multi = len(leads) > 1
    verb = {"chairs": "chairs", "runs": "runs"}.get(s.lead_verb, "leads")
    where = _STEP_STEM.get(step, _step(kb, step)) if step in ("executive_sop", "supply_review") else _step(kb, step)
    prompt = (f"Which roles lead {where}? Select all that apply." if multi
              else f"Which role {verb} {where}?")
    extra = ""
    if s.facilitator not in s.leads:
        not_verb = "chair" if s.lead_verb == "chairs" else "lead"
        extra = f" {_names(kb, [s.facilitator])} facilitates the meeting but does not {not_verb} it."
    sources = (f"step.{step}", *(f"role.{r}" for r in leads if step in ("data_gathering", "executive_sop")))
    return Question(
        id=qid, kind="multi_select" if multi else "single_choice", prompt=prompt,
        topics=(f"step:{step}", *(f"role:{r}" for r in leads)), difficulty=1,
        explanation=(f"{s.description}{extra}" if where == _step(kb, step)
                     else f"That is {_step(kb, step)}. {s.description}{extra}"),
        options=tuple(kb.name(i) for i in ids),
        answer=tuple(right) if multi else right[0],
        why_wrong=MappingProxyType({i: _why_not_lead(kb, step, r) for i, r in enumerate(ids) if r not in leads}),
        checks=(Check("leads", step, "expect", tuple(leads)),), source=sources, file="kb",
    )


def _facilitates(kb: KnowledgeBase, step: str) -> Question:
    """For a step the reference gives no lead: who facilitates it."""
    s = kb.step(step)
    qid = f"kb-facilitates-{step}"
    ids, right = _choice(qid, [s.facilitator], kb.role_ids(), 4)
    where = _step(kb, step)
    why = {}
    for i, r in enumerate(ids):
        if r == s.facilitator:
            continue
        who = _cap(_role(kb, r))
        if r == "executive_sponsor":
            why[i] = f"{who} chairs the executive meeting that follows; {where} prepares its decisions."
        elif r in s.named_roles:
            why[i] = f"{who} takes part in {where} as one of the functions; it does not run the meeting."
        else:
            why[i] = f"{who} does not run {where}. {_part(kb, r)}"
    return Question(
        id=qid, kind="single_choice", prompt=f"Which role facilitates {where}?",
        topics=(f"step:{step}", f"role:{s.facilitator}"), difficulty=1,
        explanation=f"{s.description} {_names(kb, [s.facilitator])} facilitates it, as it facilitates "
        "every meeting of the cycle; no function leads it.",
        options=tuple(kb.name(i) for i in ids), answer=right[0], why_wrong=MappingProxyType(why),
        checks=(Check("facilitator", step, "expect", s.facilitator), Check("leads", step, "expect", ())),
        source=(f"step.{step}", f"role.{s.facilitator}"), file="kb",
    )


def _why_not_output(kb: KnowledgeBase, step: str, artefact: str) -> str:
    name = kb.name(artefact)
    made_in = [p for p in kb.producers(artefact) if artefact in kb.outputs(p)]
    if made_in:
        producer = made_in[0]
        if kb.key_output(producer) == artefact:
            return f"The {_lc(name)} is the key output of {_step(kb, producer)}, not of {_step(kb, step)}."
        return f"The {_lc(name)} is produced in {_step(kb, producer)}, not in {_step(kb, step)}."
    keeper = " and ".join(_role(kb, r) for r in kb.role_ids() if r in kb.owners(artefact))
    return f"The {_lc(name)} is a standing document that {keeper} keeps up to date, not the output of one step."


def _key_output(kb: KnowledgeBase, step: str) -> Question:
    s = kb.step(step)
    qid = f"kb-output-{step}"
    # parallel options: when the key output is a plan, the distractors are plans too
    pool = tuple(a for a in kb.artefact_ids()
                 if not kb.is_practice(a) and (a == s.key_output or a not in s.outputs)
                 and (kb.is_plan(a) or not kb.is_plan(s.key_output)))
    ids, right = _choice(qid, [s.key_output], pool, 4)
    a = kb.artefact(s.key_output)
    where = _STEP_STEM.get(step, _step(kb, step)) if step != "executive_sop" else _step(kb, step)
    named = "" if where == _step(kb, step) else f"That is {_step(kb, step)}. "
    return Question(
        id=qid, kind="single_choice",
        prompt=f"What is the key output of {where}?",
        topics=(f"step:{step}",), difficulty=1,
        explanation=f"{named}{s.description} So its key output is the {_lc(a.name)}.",
        options=tuple(kb.name(i) for i in ids), answer=right[0],
        why_wrong=MappingProxyType({i: _why_not_output(kb, step, x) for i, x in enumerate(ids) if x != s.key_output}),
        checks=(Check("key_output", step, "expect", s.key_output),), source=(f"step.{step}",), file="kb",
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
        checks=(Check("step_ids", None, "expect", steps),),
        source=(*(f"step.{s}" for s in steps), "tip.demand_first"), file="kb",
    )


def _why_not_owner(kb: KnowledgeBase, artefact: str, role: str) -> str:
    who = _cap(_role(kb, role))
    if role == "process_owner" and not kb.is_plan(artefact):
        return (f"{who} runs the cycle and keeps its calendar, baseline and action log, but this document "
                "must come from the function that knows its content.")
    if role == "process_owner":
        return f"{who} facilitates the cycle and owns no plan, so that it can stay neutral."
    if role == "executive_sponsor":
        return f"{who} decides the open issues and approves the final plan, but does not prepare the {_lc(kb.name(artefact))}."
    mine = [kb.name(a) for a in _OWNED if role in kb.owners(a)]
    if mine:
        return f"{who} is responsible for the {_lc(mine[0])}, not for the {_lc(kb.name(artefact))}."
    return f"{who} is not responsible for the {_lc(kb.name(artefact))}. {_part(kb, role)}"


def _owner(kb: KnowledgeBase, artefact: str) -> Question:
    a = kb.artefact(artefact)
    verb, sources = _OWNED[artefact]
    qid = f"kb-owner-{artefact}"
    owners = [r for r in kb.role_ids() if r in a.owners]
    multi = len(owners) > 1
    ids, right = _choice(qid, owners, kb.role_ids(), 4 if not multi else len(owners) + 2)
    plural = {"owns": "own", "prepares": "prepare", "compiles": "compile", "maintains": "maintain",
              "keeps": "keep", "provides": "provide"}[verb]
    note = ""
    if "process_owner" not in a.owners and a.is_plan:
        note = " The process owner facilitates the cycle but owns no plan."
    what = _OWNED_STEM.get(artefact, f"the {_lc(a.name)}")
    return Question(
        id=qid, kind="multi_select" if multi else "single_choice",
        prompt=(f"Who {plural}s {what}? Select all that apply." if multi and verb == "owns"
                else f"Who {verb} {what}?"),
        topics=(*(f"role:{r}" for r in owners), "tip:owns_what"), difficulty=1 if not multi else 2,
        explanation=f"{_names(kb, owners)} {plural if multi else verb} the {_lc(a.name)}, because "
        f"{_OWNED_WHY[artefact]}. The {_lc(a.name)} is {_lc(a.description)}{note}",
        options=tuple(kb.name(i) for i in ids),
        answer=tuple(right) if multi else right[0],
        why_wrong=MappingProxyType({i: _why_not_owner(kb, artefact, r) for i, r in enumerate(ids) if r not in owners}),
        checks=(Check("owners", artefact, "expect", tuple(owners)),), source=sources, file="kb",
    )


def _approver(kb: KnowledgeBase) -> Question:
    qid = "kb-approver-authorized_plan"
    approvers = [r for r in kb.role_ids() if r in kb.approvers("authorized_plan")]
    ids, right = _choice(qid, approvers, kb.role_ids(), 4)
    why = {}
    for i, r in enumerate(ids):
        if r in approvers:
            continue
        who = _cap(_role(kb, r))
        if r == "process_owner":
            why[i] = f"{who} facilitates the executive meeting but approves nothing and owns no plan."
        elif r in kb.owners("authorized_plan"):
            why[i] = f"{who} is one of the functions that own the integrated plan together; approving it is the sponsor's job."
        else:
            why[i] = f"{who} does not approve the plan. {_part(kb, r)}"
    return Question(
        id=qid, kind="single_choice",
        prompt="Who approves the integrated plan, making it the authorized operating plan?",
        topics=("role:executive_sponsor", "step:executive_sop", "tip:owns_what"), difficulty=1,
        explanation="The executive sponsor approves the integrated plan in the executive S&OP meeting, "
        "after deciding the open issues. The functions own that plan together; the sponsor's "
        "approval makes it the single plan everyone executes.",
        options=tuple(kb.name(i) for i in ids), answer=right[0], why_wrong=MappingProxyType(why),
        checks=(Check("approvers", "authorized_plan", "expect", tuple(approvers)),),
        source=("role.executive_sponsor", "step.executive_sop", "overview.collaboration"), file="kb",
    )


def generate_questions(kb: KnowledgeBase) -> list[Question]:
    """All questions derived from ``kb`` (about twenty)."""
    out = [_leads(kb, s) if kb.leads(s) else _facilitates(kb, s) for s in kb.step_ids()]
    out += [_key_output(kb, s) for s in kb.step_ids()]
    out.append(_order(kb))
    out += [_owner(kb, a) for a in _OWNED if a in kb.artefacts]
    out.append(_approver(kb))
    return out
