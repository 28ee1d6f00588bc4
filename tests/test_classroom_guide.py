"""The facilitator guide and the role briefs speak the learner's language and match the tools."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from sop_sim.cli import build_parser
from sop_sim.config import ROLE_IDS
from sop_sim.game.briefs import facilitator_guide, write_briefs

INTERNAL = ("include_deal", "include_promotion", "adjust_pct", "npi_launch_month", "allow_overtime", "prebuild",
            "buffer_pct", "prebuy", "flag_gap")


def test_guide_commands_parse_and_name_every_console_control() -> None:
    guide = facilitator_guide()
    commands = [" ".join(block.replace("\\\n", " ").split()) for block in
                re.findall(r"^ {7}(sop-sim .*?(?:\n {11}.*)*)$", guide, flags=re.M)]
    assert len(commands) >= 2, commands
    for cmd in commands:
        args = build_parser().parse_args(shlex.split(cmd)[1:])  # exits on an unknown flag
        assert args.command == "classroom"
    for control in ("Start the class", "Pause", "Resume", "End the game now", "Reveal private information",
                    "hand to agent", "give back", "Inject an event", "decision timer", "Printable link slips",
                    "Debrief across teams", "Every decision (CSV)", "Monthly KPIs (CSV)", "Pass the laptop"):
        assert control.lower() in guide.lower(), f"the guide should explain {control!r}"


def test_briefs_name_decisions_as_learners_read_them(tmp_path: Path) -> None:
    write_briefs("baseline", tmp_path, months=12)
    for role in ROLE_IDS:
        text = (tmp_path / f"{role}.md").read_text()
        section = text.split("## Decisions you will make", 1)[1].split("##", 1)[0]
        for name in INTERNAL:
            assert not re.search(rf"\b{name}\b", section), f"{role}'s brief shows the field name {name}"
        assert "[" not in section, f"{role}'s brief shows a Python list: {section}"
