"""Forecasting and supply planning tools used by the S&OP cycle.

The public names below are loaded on first use (PEP 562), so a run, which needs only
:mod:`~sop_sim.planning.supply` and :mod:`~sop_sim.planning.forecast`, does not import
pandas with the aggregate planning tools.
"""

from __future__ import annotations

from sop_sim._lazy import lazy_exports

_EXPORTS = {
    "ProductionPlan": "sop_sim.planning.aggregate",
    "production_plan": "sop_sim.planning.aggregate",
    "compare_strategies": "sop_sim.planning.compare",
    "price_plan": "sop_sim.planning.pricing",
}

__all__ = ["ProductionPlan", "compare_strategies", "price_plan", "production_plan"]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
