"""Forecasting and supply planning tools used by the S&OP cycle.

The public names below are loaded on first use (PEP 562), so a run, which needs only
:mod:`~sop_sim.planning.supply` and :mod:`~sop_sim.planning.forecast`, does not import
pandas with the aggregate planning tools.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ProductionPlan": "sop_sim.planning.aggregate",
    "production_plan": "sop_sim.planning.aggregate",
    "compare_strategies": "sop_sim.planning.compare",
    "price_plan": "sop_sim.planning.pricing",
}

__all__ = ["ProductionPlan", "compare_strategies", "price_plan", "production_plan"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sop_sim.planning' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
