"""The monthly S&OP cycle: a scheduler plus one module per meeting.

Each month, on calendar days taken from :data:`sop_sim.config.STEP_DAY`, the scheduler
(:class:`SOPCycle`, :mod:`sop_sim.cycle.scheduler`) runs:

1. :class:`DataGathering` (process owner): the data baseline from the recorded actuals.
2. :class:`DemandReview` (sales and marketing): the unconstrained consensus demand plan.
3. :class:`SupplyReview` (operations and supply chain): the supply plan, capacity
   options, material orders.
4. :class:`PreSOP` (process owner facilitates, finance prices): the recommended plan
   and the escalations, prepared with options.
5. :class:`ExecutiveSOP` (executive sponsor chairs): decisions and the authorized plan,
   which drives production from the next month.

Each meeting's module says what it covers, reads and writes. Meetings read the world
only through :class:`sop_sim.information.Information` and act through
:class:`~sop_sim.cycle.base.Actions`; what roles decide comes from their policies
(:mod:`sop_sim.roles`). Who leads and attends comes from the knowledge base; whether
each person turns up is drawn from the ``attendance`` stream and their engagement.
Every effect is written in the minutes (with status codes), the escalation log and the
plan versions.
"""

from sop_sim.cycle.base import (
    OUTSOURCE_COMMIT_MONTHS,
    Actions,
    Issue,
    Line,
    Meeting,
    MonthState,
    Plan,
)
from sop_sim.cycle.data_gathering import DataGathering
from sop_sim.cycle.demand_review import DemandReview
from sop_sim.cycle.executive_sop import ExecutiveSOP
from sop_sim.cycle.pre_sop import PreSOP
from sop_sim.cycle.scheduler import ITEM_MINUTES, MEETING_MINUTES, MEETINGS, SOPCycle
from sop_sim.cycle.supply_review import SupplyReview
from sop_sim.roles.defaults import PROMO_GAP_UPLIFT

__all__ = [
    "ITEM_MINUTES", "MEETINGS", "MEETING_MINUTES", "OUTSOURCE_COMMIT_MONTHS", "PROMO_GAP_UPLIFT", "Actions",
    "DataGathering", "DemandReview", "ExecutiveSOP", "Issue", "Line", "Meeting", "MonthState", "Plan", "PreSOP",
    "SOPCycle", "SupplyReview",
]
