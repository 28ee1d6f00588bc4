"""The words a player reads for each decision field, shared by every front end.

The game's decision fields keep their names in the data, saved games and the classroom's
JSON API (``include_deal``, ``adjust_pct``...). A learner never reads them: the classroom's
seat pages, the notebook game board, the role briefs and the debrief all name a field by the
label here, and its choices by the plain names here.
"""

from __future__ import annotations

from sop_sim.decisions import FieldSpec

#: (role, field) or field -> the label a learner reads.
LABELS: dict[str, str] = {
    "sales.adjust_pct": "Your change to the statistical forecast, per product family (%)",
    "marketing.adjust_pct": "Your change for market conditions, per product family (%)",
    "include_deal": "Put the customer deal you know of into the demand plan?",
    "include_promotion": "Put the promotion you are planning into the demand plan?",
    "npi_launch_month": "Launch month of the new product family",
    "strategy": "Production strategy",
    "allow_overtime": "Plan overtime, up to the cap?",
    "prebuild": "Build stock ahead of peaks in months with spare capacity?",
    "buffer_pct": "Extra material ordered above the plan (%)",
    "prebuy": "Bring material orders forward ahead of a supplier problem you know of?",
    "flag_gap": "Raise the gap to the annual plan as an issue for the executives?",
    "escalate": "Issues to take to the executive meeting (the rest are settled here)",
    "authorize": "Authorize this plan as the one operating plan?",
    "choices": "Your decision on each escalated issue",
}
#: Plain help where the engine's help line uses model terms.
HELP: dict[str, str] = {
    "npi_launch_month": "Product development's best estimate of when the new family can launch.",
    "strategy": "How the plant meets demand that moves from month to month.",
    "choices": "Choosing 'defer' leaves the issue open until next month.",
}
CHOICE_NAMES: dict[str, str] = {
    "level": "Level: steady workforce, build stock ahead",
    "chase": "Chase: follow demand with overtime and outsourcing",
    "hybrid": "Hybrid: build ahead, then overtime, then ask for more people",
}


def label(role: str, f: FieldSpec) -> str:
    return LABELS.get(f"{role}.{f.name}") or LABELS.get(f.name) or f.name.replace("_", " ").capitalize()
