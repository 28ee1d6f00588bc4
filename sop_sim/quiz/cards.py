"""Printable role cards, built from the knowledge base.

One card per role, in two clearly separated parts:

* **The role in S&OP** (doctrine, from the reference): its mission, the meetings the
  reference places it in and its part there (chairs, leads, facilitates, takes part),
  what it owns or approves, the inputs and outputs of those meetings, and its
  responsibilities.
* **Brightwater's practice** (the simulated company, not S&OP doctrine): the company's
  meeting calendar (approximate day of the month) with the meetings it invites the
  role to, and any company document the role keeps.

The role-play tensions are classroom material and labelled so. Each card is written as
Markdown and as a self-contained HTML page whose print CSS keeps it to one page on both
A4 and US Letter paper (a browser test prints every card in both sizes).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

from sop_sim.errors import KnowledgeError
from sop_sim.knowledge import KnowledgeBase, load_kb
from sop_sim.safefile import atomic_write_text, ensure_folder

COMPANY = "Brightwater"
PRACTICE_NOTE = (f"How {COMPANY}, the simulated company, runs its calendar. This is the company's "
                 "practice, not S&OP doctrine: the reference gives no dates and does not list who "
                 "attends each meeting.")
TENSIONS_TITLE = "Tensions to play (classroom material, not from the reference)"

CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto;
       color: #222; line-height: 1.3; padding: 0 1em; }
h1 { font-size: 1.5em; border-bottom: 3px solid #2b5d8a; padding-bottom: .15em; margin: 0 0 .1em; }
.examples { color: #555; font-style: italic; margin-top: 0; }
.mission { background: #eef3f8; border-left: 4px solid #2b5d8a; padding: .4em .7em; }
h2 { font-size: 1.05em; color: #2b5d8a; margin: .8em 0 .25em; }
.practice { border: 1px dashed #999; padding: .2em .7em .5em; margin-top: 1em; }
.practice h2 { color: #666; }
.note { color: #555; font-size: .9em; margin: .1em 0 .3em; }
.inline { margin: .35em 0; }
table { border-collapse: collapse; width: 100%; font-size: .95em; }
th, td { border: 1px solid #bbb; padding: .2em .45em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
ul { margin: .15em 0; padding-left: 1.3em; }
footer { margin-top: 1em; font-size: .8em; color: #777; }
@media print {
  @page { size: auto; margin: 12mm; }
  body { margin: 0; max-width: none; font-size: 9.5pt; line-height: 1.22; }
  .mission { background: none; }
  h2, table, ul { page-break-inside: avoid; }
}
"""


@dataclass(frozen=True)
class CardRow:
    """One meeting on a role card."""

    step: str
    day: str  # Brightwater's calendar ("" in the doctrine table)
    part: str  # chairs, leads, facilitates, takes part / invited


@dataclass(frozen=True)
class RoleCard:
    """Everything printed on one role card, in plain data."""

    role: str
    name: str
    examples: str
    mission: str
    meetings: tuple[CardRow, ...]  # doctrine: meetings the reference places the role in
    owns: tuple[str, ...]
    approves: tuple[str, ...]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    responsibilities: tuple[str, ...]
    conflicts: tuple[str, ...]
    calendar: tuple[CardRow, ...] = ()  # company practice: Brightwater's invitations and days
    company_documents: tuple[str, ...] = ()


def _part(kb: KnowledgeBase, role: str, step: str) -> str:
    s = kb.step(step)
    if role in s.leads:
        return {"chairs": "chairs", "runs": "runs it"}.get(s.lead_verb, "leads")
    if s.facilitator == role:
        return "facilitates"
    return "takes part"


def build_card(kb: KnowledgeBase, role: str) -> RoleCard:
    """Collect the facts for one role's card from ``kb``."""
    r = kb.role(role)
    rows, inputs, outputs = [], [], []
    for step in kb.step_ids():
        s = kb.step(step)
        if role not in s.named_roles:
            continue
        rows.append(CardRow(s.name, "", _part(kb, role, step)))
        inputs += [kb.name(a) for a in kb.artefact_ids() if a in s.inputs and kb.name(a) not in inputs]
        outputs += [kb.name(a) for a in kb.artefact_ids() if a in s.outputs and kb.name(a) not in outputs]
    calendar = []
    for step in kb.step_ids():
        s = kb.step(step)
        if role in s.participants:
            first, last = kb.day_span(step)
            calendar.append(CardRow(s.name, f"{first}-{last}" if last != first else f"~{first}",
                                    _part(kb, role, step) if role in s.named_roles else "invited"))
    owns = []
    for a in kb.artefacts_owned_by(role):
        if kb.is_practice(a):
            continue
        together = len(kb.owners(a)) > 2
        owns.append(kb.name(a) + (" (together with the other functions)" if together else ""))
    return RoleCard(
        role=role, name=r.name, examples=r.examples, mission=r.mission, meetings=tuple(rows),
        owns=tuple(owns),
        approves=tuple(kb.name(a) for a in kb.artefact_ids() if role in kb.approvers(a)),
        inputs=tuple(inputs), outputs=tuple(outputs),
        responsibilities=r.responsibilities, conflicts=r.conflicts, calendar=tuple(calendar),
        company_documents=tuple(kb.name(a) for a in kb.artefacts_owned_by(role) if kb.is_practice(a)),
    )


def _or_none(items: tuple[str, ...], none: str) -> list[str]:
    return list(items) if items else [none]


#: short lists of document names, printed on one line each to keep the card to one page
_INLINE = ("What you own", "What you approve", "Inputs of your meetings", "Outputs of your meetings")


def _sections(card: RoleCard) -> list[tuple[str, list[str]]]:
    if card.role == "process_owner":
        no_plan = "No plan: you make the cycle run for everyone and stay neutral."
    elif card.approves:
        no_plan = "No plan of your own: you approve the plan the functions own together."
    else:
        no_plan = "No plan of your own."
    meetings = bool(card.meetings)
    return [
        ("What you own", _or_none(card.owns, no_plan)),
        ("What you approve", list(card.approves)),
        ("Inputs of your meetings", _or_none(card.inputs, "None.") if meetings else []),
        ("Outputs of your meetings", _or_none(card.outputs, "None.") if meetings else []),
        ("Responsibilities", list(card.responsibilities)),
    ]


def _meeting_note(card: RoleCard) -> str:
    if card.meetings:
        return "The meetings the reference places you in, and your part in each."
    return ("The reference names no meeting for this role; it takes part where the company "
            "includes it (see the company calendar below).")


def to_markdown(card: RoleCard) -> str:
    """The card as Markdown."""
    lines = [f"# {card.name}", ""]
    if card.examples:
        lines += [f"*{card.examples}*", ""]
    lines += [f"> **Mission in the cycle:** {card.mission}", "", "## Your meetings", "", _meeting_note(card)]
    if card.meetings:
        lines += ["", "| Step | Your part |", "|---|---|"] + [f"| {m.step} | {m.part} |" for m in card.meetings]
    for title, items in _sections(card):
        if items and title in _INLINE:
            lines += ["", f"**{title}:** {'; '.join(items)}"]
        elif items:
            lines += ["", f"## {title}", ""] + [f"- {i}" for i in items]
    lines += ["", f"## {TENSIONS_TITLE}", ""] + [f"- {c}" for c in card.conflicts]
    lines += ["", f"## {COMPANY}'s meeting calendar (company practice)", "", PRACTICE_NOTE, ""]
    if card.calendar:
        lines += ["| Step | Day of month | You |", "|---|---|---|"]
        lines += [f"| {m.step} | {m.day} | {m.part} |" for m in card.calendar]
    else:
        lines.append("You are not invited to any meeting.")
    if card.company_documents:
        lines += ["", f"Company documents you keep: {', '.join(card.company_documents)}."]
    lines += ["", "---", "Generated by `sop-sim cards` from the sop_sim knowledge base.", ""]
    return "\n".join(lines)


def to_html(card: RoleCard) -> str:
    """The card as one self-contained HTML page with print CSS (one page on A4 or Letter)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>Role card: {e(card.name)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<h1>{e(card.name)}</h1>",
    ]
    if card.examples:
        parts.append(f'<p class="examples">{e(card.examples)}</p>')
    parts.append(f'<p class="mission"><strong>Mission in the cycle:</strong> {e(card.mission)}</p>')
    parts += ["<h2>Your meetings</h2>", f'<p class="note">{e(_meeting_note(card))}</p>']
    if card.meetings:
        parts += ["<table>", "<tr><th>Step</th><th>Your part</th></tr>"]
        parts += [f"<tr><td>{e(m.step)}</td><td>{e(m.part)}</td></tr>" for m in card.meetings]
        parts.append("</table>")
    for title, items in _sections(card):
        if items and title in _INLINE:
            parts.append(f'<p class="inline"><strong>{e(title)}:</strong> {e("; ".join(items))}</p>')
        elif items:
            parts += [f"<h2>{e(title)}</h2>", "<ul>", *[f"<li>{e(i)}</li>" for i in items], "</ul>"]
    parts += [f"<h2>{e(TENSIONS_TITLE)}</h2>", "<ul>", *[f"<li>{e(c)}</li>" for c in card.conflicts], "</ul>"]
    parts += ['<div class="practice">', f"<h2>{e(COMPANY)}'s meeting calendar (company practice)</h2>",
              f'<p class="note">{e(PRACTICE_NOTE)}</p>']
    if card.calendar:
        parts += ["<table>", "<tr><th>Step</th><th>Day of month</th><th>You</th></tr>"]
        parts += [f"<tr><td>{e(m.step)}</td><td>{e(m.day)}</td><td>{e(m.part)}</td></tr>" for m in card.calendar]
        parts.append("</table>")
    else:
        parts.append("<p>You are not invited to any meeting.</p>")
    if card.company_documents:
        parts.append(f'<p class="note">Company documents you keep: {e(", ".join(card.company_documents))}.</p>')
    parts += ["</div>", "<footer>Generated by sop-sim cards from the sop_sim knowledge base.</footer>",
              "</body>", "</html>", ""]
    return "\n".join(parts)


def write_cards(
    out_dir: str | os.PathLike[str], roles: list[str] | None = None, kb: KnowledgeBase | None = None
) -> list[Path]:
    """Write ``<role>.md`` and ``<role>.html`` for each role; return the paths.

    Raises
    ------
    KnowledgeError
        For an unknown role id (the message lists the valid ones).
    """
    kb = kb or load_kb()
    chosen = roles or list(kb.role_ids())
    unknown = [r for r in chosen if r not in kb.role_ids()]
    if unknown:
        raise KnowledgeError(f"unknown role {unknown[0]!r}; valid roles: {', '.join(kb.role_ids())}")
    out = ensure_folder(out_dir, "cards folder")  # an empty path is refused, never "here"
    written = []
    for role in chosen:
        card = build_card(kb, role)
        written.append(atomic_write_text(out / f"{role}.md", to_markdown(card), what="role card"))
        written.append(atomic_write_text(out / f"{role}.html", to_html(card), what="role card"))
    return written
