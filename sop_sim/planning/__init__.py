"""Forecasting and supply planning tools used by the S&OP cycle."""

from sop_sim.planning.aggregate import (
    ProductionPlan,
    compare_strategies,
    price_plan,
    production_plan,
)

__all__ = ["ProductionPlan", "compare_strategies", "price_plan", "production_plan"]
