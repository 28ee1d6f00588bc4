"""What one role may see during a game, as plain JSON-able data.

The engine, not the UI, decides what a player sees. A role's view holds:

* ``card``: its role card from the knowledge base (mission, responsibilities, the
  tensions it brings, the meetings it leads and attends);
* ``private_news``: the disturbances only this role knows of *now* (its agent's
  ``news(month)``), and never anything private to another role;
* ``shared``: what everybody at the table can see: the latest consensus demand plan
  and authorized plan, KPIs so far, the last meetings' minutes, and the issues on the
  table at the meeting the decision belongs to.

Minutes and plans are shared on purpose: once a role brings its news to a meeting,
the effect is in the plan for all to see. That is the point of S&OP.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sop_sim.model import SOPModel

#: How many months of each plan the shared board shows.
PLAN_MONTHS_SHOWN = 6
#: How many of the latest meetings' minutes the shared board shows.
MINUTES_SHOWN = 5


def role_card(kb: Any, role: str) -> dict[str, Any]:
    """The role card from the knowledge base, as plain data."""
    r = kb.role(role)
    return {
        "id": role,
        "name": r.name,
        "mission": r.mission,
        "responsibilities": list(r.responsibilities),
        "conflicts": list(r.conflicts),
        "leads": [kb.name(s) for s in kb.steps_led_by(role)],
        "attends": [kb.name(s) for s in kb.steps_attended_by(role)],
    }


def _issue(issue: Any) -> dict[str, Any]:
    return {
        "id": issue.id, "kind": issue.kind, "month": issue.month, "summary": issue.summary,
        "options": [{"id": o[0], "label": o[1], "cost": float(o[2])} for o in issue.options],
        "recommendation": issue.recommendation, "prepared": bool(issue.prepared), "status": issue.status,
    }


def _latest_plan(model: SOPModel, version: str) -> dict[str, Any] | None:
    fams = list(model.scenario.company.family_ids)
    for made_in, v, first, units in reversed(model.recorder.plans):
        if v != version:
            continue
        start = max(first, made_in + 1)  # show from next month: the current one is already running
        rows = units[start - first: start - first + PLAN_MONTHS_SHOWN]
        return {"made_in": made_in, "first": start,
                "units": {f: [round(float(x)) for x in rows[:, j]] for j, f in enumerate(fams)}}
    return None


def _minutes(model: SOPModel) -> list[dict[str, Any]]:
    out = []
    for m in model.recorder.minutes[-MINUTES_SHOWN:]:
        out.append({k: (list(v) if isinstance(v, tuple) else v) for k, v in m.items()})
    return out


def shared_view(model: SOPModel, ctx: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What every role at the table can see now."""
    ctx = ctx or {}
    issues = ctx.get("escalations", ctx.get("issues", []))
    out: dict[str, Any] = {
        "families": list(model.scenario.company.family_ids),
        "consensus_plan": _latest_plan(model, "consensus"),
        "authorized_plan": _latest_plan(model, "authorized"),
        "kpis_so_far": model.kpis_so_far(),
        "last_minutes": _minutes(model),
        "issues": [_issue(i) for i in issues],
    }
    if "aop_gap" in ctx:
        out["aop_gap"] = float(ctx["aop_gap"])
    if "authorized_hires" in ctx:
        out["authorized_hires"] = int(ctx["authorized_hires"])
    return out


def role_view(model: SOPModel, role: str, month: int, ctx: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything ``role`` may see in ``month``: its card, its own news, the shared board."""
    agent = model.agents[role]
    return {
        "role": role,
        "month": month,
        "card": role_card(model.kb, role),
        "private_news": [d.describe() for d in agent.news(month)],
        "shared": shared_view(model, ctx),
    }
