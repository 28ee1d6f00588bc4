"""Forecasting and supply planning tools used by the S&OP cycle."""

from sop_sim.planning.aggregate import ProductionPlan, production_plan
from sop_sim.planning.compare import compare_strategies
from sop_sim.planning.pricing import price_plan

__all__ = ["ProductionPlan", "compare_strategies", "price_plan", "production_plan"]
