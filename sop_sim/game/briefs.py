"""Printable role briefs and the facilitator's answer key, generated from a scenario.

A brief is one page per role: its mission, its meetings, the decisions it will make in
the game (taken from the engine's own decision fields), the private information it
holds at the start, and how the scenario treats it. Because the briefs are built from
the same scenario and engine the game runs on, they always match the game.

``sop-sim briefs --preset baseline --out DIR`` writes ``<role>.md``, ``<role>.html``
and an ``index.md`` into ``DIR``; :func:`write_answer_key` writes the facilitator's key.
:func:`facilitator_guide` is the step-by-step guide to running a class (classroom mode,
one browser per seat, or the hot-seat board); the classroom console serves it too.
Months are calendar months (:func:`sop_sim.calendar.month_label`) and decisions are named
as the seat pages name them, never by their internal field names.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from html import escape
from pathlib import Path

from sop_sim._io import atomic_write_text
from sop_sim.calendar import month_label
from sop_sim.config import ROLE_IDS, Scenario
from sop_sim.game.engine import Game
from sop_sim.knowledge import load_kb
from sop_sim.metrics import KPIS
from sop_sim.presets import get_scenario
from sop_sim.safefile import ensure_folder

Section = tuple[str, list[str], list[str]]  # heading, paragraphs, bullet points

#: What a mature team does with each kind of private news, and what holding it back costs.
EVENT_LESSON = {
    "promotion": "Marketing should put the promotion into the demand plan at the demand review, so the plant "
                 "builds the extra volume ahead; kept back, the promotion empties the shelves and costs express "
                 "freight and lost sales.",
    "deal": "Sales should bring the deal, weighted by its chance of signing, into the demand plan early: the plant "
            "and suppliers need months of notice. Hidden until signed, it arrives as a shortage.",
    "npi_slip": "Product development should report the new launch date at once: everyone else plans materials "
                "and capacity for a launch that will not happen, and stock piles up.",
    "supplier_disruption": "Supply chain should bring material forward before the supplier problem; found on "
                           "the day, it means expediting at a premium and a production gap.",
    "breakdown": "Operations should plan around lost capacity (build ahead, overtime, outsourcing) as soon as "
                 "the breakdown is known; otherwise the plan in force is simply not feasible.",
    "budget_cut": "Finance should tell the supply review about the smaller overtime budget, so the plan stops "
                  "counting on overtime it can no longer pay for.",
}


def _decisions_by_role(sc: Scenario, seed: int) -> dict[str, list[tuple[str, str, str]]]:
    """(meeting, field, what is allowed + help) for each role, as the engine asks them."""
    game = Game(sc, seed, ROLE_IDS)
    kb = load_kb()
    from sop_sim.classroom.forms import learner_field

    names = {f.id: f.name for f in sc.company.families}
    seen: dict[str, dict[tuple[str, str], tuple[str, str, str]]] = {r: {} for r in ROLE_IDS}
    while (req := game.advance()) is not None:
        for f in req.fields:
            if (req.step, f.name) not in seen[req.role]:
                label, text = learner_field(req.role, f, names)
                seen[req.role][(req.step, f.name)] = (kb.name(req.step), label, text)
        game.decide(req, req.suggestion())
    return {r: list(v.values()) for r, v in seen.items()}


def _decision_line(label: str, text: str) -> str:
    """A decision as one readable line: its label, its help unless that only repeats the label, what is allowed."""
    help_, sep, answer = text.partition("Answer: ")
    help_ = help_.strip()
    if help_ and len(help_) <= len(label) + 5 and \
            SequenceMatcher(None, label.lower().rstrip("?."), help_.lower().rstrip("?.")).ratio() > 0.75:
        help_ = ""
    head = label if label.endswith(("?", ".")) else label + (":" if help_ else ".")
    return " ".join(x for x in (head, help_, sep + answer) if x.strip())


def _lever_notes(sc: Scenario, role: str) -> list[str]:
    kb = load_kb()
    out = []
    eng = sc.role_engagement(role)
    if eng < 1:
        out.append(f"In this scenario your function turns up to a meeting with a chance of {eng:.0%}: when the "
                   "game marks you absent, the others decide without you.")
    if sc.bias.get(role):
        out.append(f"Your function habitually adds {sc.bias[role]:+.0%} to its numbers. Others may challenge it.")
    if sc.silos:
        out.append("Each function executes from its own numbers, whatever the meetings agree.")
    for step in sorted(sc.skip_steps & set(kb.steps_attended_by(role)), key=kb.step_ids().index):
        out.append(f"The {kb.name(step)} is not held in this scenario.")
    if sc.supply_chain_only and role in ("sales", "marketing", "finance"):
        out.append("S&OP is run by supply chain alone: your function stays away from the meetings.")
    return out


def brief_sections(sc: Scenario, role: str, decisions: list[tuple[str, str, str]]) -> list[Section]:
    """The content of one role's brief."""
    kb = load_kb()
    r = kb.role(role)
    fams = ", ".join(f"{f.name} ({f.id})" for f in sc.company.families)
    start = [d for d in sc.disturbances if d.owner == role and d.known_from == 0 and d.month < sc.months]
    later = [d for d in sc.disturbances if d.owner == role and 0 < d.known_from < sc.months]
    meetings = [f"{kb.name(s)}, around day {kb.day(s)}"
                + (" (you lead it)" if s in kb.steps_led_by(role) else "") for s in kb.steps_attended_by(role)]
    news = [f"{d.describe()}" for d in start] or ["Nothing yet that the others do not know."]
    later_line = (f"During the game you will learn {len(later)} more thing(s) before anyone else. Your tab on the "
                  "game board shows each one when you learn it." if later else
                  "You will not receive more private news unless the facilitator announces some.")
    return [
        ("Your mission", [r.mission], []),
        ("The company", [f"{sc.company.name} makes {fams} on one plant. The game runs {sc.months} months, "
                         f"scenario '{sc.name}': {sc.description}"], []),
        ("What you answer for", [], list(r.responsibilities)),
        ("Your meetings", ["The days follow this company's monthly calendar: its own practice, not a rule of "
                           "S&OP."], meetings),
        ("Decisions you will make", ["The game asks you for these; the board always shows what a "
                                     "simulated colleague would do, one click away."],
         [f"{step}: {_decision_line(name, text)}" for step, name, text in decisions]
         or ["None in this game: you advise the meetings you attend."]),
        ("What only you know at the start", [later_line + " Keep this page to yourself: deciding when to "
                                             "share what you know is part of the game."], news),
        ("How this scenario treats you", [], _lever_notes(sc, role) or ["Nothing special: a mature process."]),
        ("Tensions you bring to the table", [], list(r.conflicts)),
    ]


def to_markdown(title: str, sections: list[Section]) -> str:
    lines = [f"# {title}", ""]
    for head, paras, bullets in sections:
        lines += [f"## {head}", ""]
        for p in paras:
            lines += [p, ""]
        if bullets:
            lines += [f"- {b}" for b in bullets] + [""]
    return "\n".join(lines)


def to_html(title: str, sections: list[Section]) -> str:
    body = []
    for head, paras, bullets in sections:
        body.append(f"<h2>{escape(head)}</h2>")
        body += [f"<p>{escape(p)}</p>" for p in paras]
        if bullets:
            body.append("<ul>" + "".join(f"<li>{escape(b)}</li>" for b in bullets) + "</ul>")
    css = ("body{font-family:system-ui,Arial,sans-serif;max-width:780px;margin:1.5em auto;font-size:11pt;"
           "line-height:1.35}h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.1em;margin:.9em 0 .2em;"
           "color:#2a6f97}ul{margin:.2em 0;padding-left:1.3em}p{margin:.3em 0}"
           "@media print{body{margin:0}@page{size:A4;margin:1.5cm}}")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{css}</style></head><body>\n<h1>{escape(title)}</h1>\n" + "\n".join(body) + "\n</body></html>\n")


def write_briefs(scenario: Scenario | str, out: str | Path, *, months: int = 12, seed: int = 0) -> list[Path]:
    """Write one brief per role (Markdown and HTML) and an index into ``out``."""
    sc = get_scenario(scenario)
    game = Game(sc, seed, months=months)  # validates months through the scenario
    sc = game.scenario
    kb = load_kb()
    decisions = _decisions_by_role(sc, seed)
    out = ensure_folder(out, "briefs folder")  # an empty path is refused, never "here"
    paths = []
    index = [f"# Role briefs: scenario '{sc.name}', {sc.months} months", "",
             "Generated by `sop-sim briefs` from the scenario the game runs; do not edit by hand.", ""]
    for role in ROLE_IDS:
        title = f"{kb.name(role)}: role brief"
        sections = brief_sections(sc, role, decisions[role])
        paths.append(atomic_write_text(out / f"{role}.md", to_markdown(title, sections)))
        paths.append(atomic_write_text(out / f"{role}.html", to_html(title, sections)))
        index.append(f"- {kb.name(role)}: [{role}.md]({role}.md), [{role}.html]({role}.html)")
    paths.append(atomic_write_text(out / "index.md", "\n".join(index) + "\n"))
    return paths


def answer_key(scenario: Scenario | str, *, months: int = 12, seed: int = 0) -> str:
    """The facilitator's key: every role's private news, what a mature team does with it, reference KPIs."""
    sc = get_scenario(scenario)
    game = Game(sc, seed, months=months)
    sc = game.scenario
    game.play_suggestions()
    base = Game("baseline", seed, months=months)
    base.play_suggestions()
    kb = load_kb()
    lines = [f"# Answer key: scenario '{sc.name}', {sc.months} months, seed {seed}", "",
             f"{sc.description}", "", "Generated by `sop_sim.game.briefs.answer_key`; do not edit by hand.", "",
             "## Private information, role by role", ""]
    for role in ROLE_IDS:
        events = [d for d in sc.disturbances if d.owner == role and d.known_from < sc.months]
        if not events:
            continue
        lines.append(f"### {kb.name(role)}")
        lines.append("")
        for d in events:
            inside = "" if d.month < sc.months else " (happens after the game ends; it still shapes the plan)"
            lines.append(f"- Known from {month_label(d.known_from)}: {d.describe()}{inside}")
        lines += ["", EVENT_LESSON[events[0].kind], ""]
    lines += ["## Reference results on the same seed", "",
              "What the simulated agents achieve: compare the team's debrief against these.", "",
              "| KPI | all agents, this scenario | mature baseline |", "|---|---:|---:|"]
    from sop_sim.metrics import format_kpi

    for name, kpi in KPIS.items():
        a, b = game.result.summary[name], base.result.summary[name]  # type: ignore[union-attr]
        lines.append(f"| {kpi.label} | {format_kpi(name, a)} | {format_kpi(name, b)} |")
    return "\n".join(lines) + "\n"


def write_answer_key(scenario: Scenario | str, out: str | Path, *, months: int = 12, seed: int = 0) -> Path:
    """Write :func:`answer_key` to ``out``."""
    return atomic_write_text(out, answer_key(scenario, months=months, seed=seed))


def facilitator_guide() -> str:
    """The step-by-step guide to running the role-play with a class (Markdown)."""
    return """# Facilitator guide: running the S&OP role-play with a class

Two ways to play. **Classroom mode** gives every player their own browser (laptop, tablet
or phone) and you a console: use it for a class. The **hot-seat board** (notebook
`08_role_play_game.ipynb`) is for one laptop passed round a small table.

## Classroom mode, step by step (a 45-minute class of 4 to 6 teams)

### Before the class (10 minutes, the day before)

1. Decide the scenario, the number of teams and which roles people play. Four to six
   people per team works well: `sales,marketing,operations,supply_chain,finance,executive_sponsor`.
   The simulated agents play every other role. Every team plays the same scenario and seed,
   so the leaderboard is fair.
2. Create the session (a SQLite file is all you need):

       sop-sim classroom new --db class.sqlite --preset baseline --seed 1 --teams 5 \\
           --humans sales,marketing,operations,supply_chain,finance,executive_sponsor --months 6

   It prints your facilitator link (keep it to yourself), the projector link and one link
   per seat. Use `--timer 90` to give each decision 90 seconds (you can change it later).
3. Start the server where the class can reach it, e.g. on your laptop on the room's network:

       sop-sim classroom serve --db class.sqlite --host 0.0.0.0 --port 8000

   For a large class, start a second `serve` process on the same database (or use a
   `postgresql://` URL with `--db`): any number of processes can serve one class.
4. Open the facilitator link **with the address the students will use** (for example
   `http://192.168.1.20:8000/f/...`): the console then shows working QR codes and links.
   Print the link slips ("Printable link slips" at the top of the console) and cut them up.

### At the start (5 minutes)

5. Hand each player their slip (or show the QR codes from the console: each player scans
   their own). A seat link reopens the same seat on any device, so a player who closes
   the tab just opens it again.
6. Watch the lobby: the grid shows each seat as **not opened yet** until its player opens
   the link, then **here**, and counts the opened seats. Put the projector page on the wall: it shows each team's shared board
   and the leaderboard, never anyone's private news.
7. While players read their role card and what only they know (on their seat page), explain
   the company, the five meetings and the one rule: one plan a month.
8. Press **Start the class**. Every seat page switches to the game by itself.

### During the game (25 minutes)

9. Each seat sees its own decision when the team reaches it, with "Fill in the suggestion"
   (what a simulated colleague would do) and "Submit decision". Bad input is refused with
   one line saying what to enter; nothing changes until a valid decision is sent.
10. Watch the grid: **to decide now** (the team waits for that seat, with the timer if one
    is set), **submitted**, **waiting**, **offline** (the page has been closed for a while)
    and **agent plays**. If a player leaves, press **hand to agent** on their cell: the
    agent's suggestion is then taken for that seat and recorded as the agent's. Press
    **give back** when they return.
11. Set or change the **decision timer** at any time: when it runs out, the agent's
    suggestion is taken and recorded as the timer's, so slow teams keep up.
12. **Inject an event** into one team or all: choose the kind, the month and the family.
    It is announced only to the role that would know of it (a promotion to marketing,
    a supplier problem to supply chain...). Watch whether that person tells the others.
13. **Pause** stops all decisions (to explain something to the whole room); **Resume**
    carries on. **End the game now** stops every team where it is, for example when time is up.

### After the game (15 minutes)

14. Press **Reveal private information**: every seat and the console now show what each
    role knew. Discuss who shared what, and when.
15. Show the leaderboard (projector page): economic profit, fill rate and the maturity
    reading of each team. Teams are ranked on economic profit, not fill rate: a team whose
    sales seat inflated every forecast often shows the best fill rate but pays for the extra
    stock, and a team whose executive never decided or authorized anything ends lower still.
16. Open **Debrief across teams** (under Results): one report that compares every team with
    the all-agent run and the mature baseline, with charts and questions to discuss. Each
    team's own debrief (decision by decision, next to what the agent would have done) is
    linked from there.
17. Download **Every decision (CSV)** and **Monthly KPIs (CSV)** for your records or a
    follow-up exercise. The database file keeps the whole class: serving it again later
    shows everything as it was.

## Hot-seat board, step by step (one laptop, 3 to 9 players)

1. Print the role briefs (`sop-sim briefs --preset baseline --out briefs/`) and hand them
   out face down.
2. Open `notebooks/08_role_play_game.ipynb`, set the human roles and run it. Project the
   **Shared board** tab; keep the **Facilitator** tab for yourself. The board never switches
   tabs by itself.
3. Press **Advance** on the facilitator tab. The status line says whose turn it is: pass the
   laptop to that person. Their tab stays covered ("Pass the laptop to ...") until they press
   "I am ...: show my screen"; everyone else looks away. After they submit, the tab covers
   itself again.
4. Inject events, pause, save, reveal and write the debrief from the facilitator tab, as in
   classroom mode.
"""


def write_facilitator_guide(out: str | Path) -> Path:
    """Write :func:`facilitator_guide` to ``out`` (Markdown)."""
    return atomic_write_text(out, facilitator_guide())
