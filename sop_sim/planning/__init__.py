"""Forecasting and supply planning tools used by the S&OP cycle."""

from sop_sim.planning.aggregate import ProductionPlan, production_plan
from sop_sim.planning.compare import compare_strategies

__all__ = ["ProductionPlan", "compare_strategies", "production_plan"]
