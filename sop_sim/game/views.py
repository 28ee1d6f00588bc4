"""What one role may see during a game, as plain JSON-able data.

The engine, not the UI, decides what a player sees, and it builds it from the one
information layer the meetings and policies use (:class:`sop_sim.information.Information`),
so a player never sees more than an agent in the same seat. A role's view holds:

* ``card``: its role card from the knowledge base (mission, responsibilities, the
  tensions it brings, the meetings it leads and attends);
* ``private_news``: the disturbances only this role knows of *now* (from their
  ``known_from`` month), and never anything private to another role;
* ``shared``: what everybody at the table can see: the latest consensus demand plan
  and authorized plan, KPIs so far, the last meetings' minutes, and the issues on the
  table at the meeting the decision belongs to.

Minutes and plans are shared on purpose: once a role brings its news to a meeting,
the effect is in the plan for all to see. That is the point of S&OP.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sop_sim.information import MINUTES_SHOWN, PLAN_MONTHS_SHOWN, role_card

if TYPE_CHECKING:
    from sop_sim.model import SOPModel

__all__ = ["MINUTES_SHOWN", "PLAN_MONTHS_SHOWN", "role_card", "role_view", "shared_view"]


def shared_view(model: SOPModel, ctx: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What every role at the table can see now."""
    return model.info.shared_view(ctx)


def role_view(model: SOPModel, role: str, month: int, ctx: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything ``role`` may see in ``month``: its card, its own news, the shared board."""
    return model.info.player_view(role, month, ctx)
