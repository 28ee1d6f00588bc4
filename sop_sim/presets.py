"""Named scenarios: a mature S&OP process and the failures the kit teaches.

``PRESETS`` maps a name to a :class:`~sop_sim.config.Scenario`; each scenario's
``description`` says in one line what it shows. Every preset differs from
``baseline`` only in its levers, so with the same seed the two share common random
numbers and any difference in the results comes from the lever.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from sop_sim.config import STEP_IDS, Scenario
from sop_sim.errors import ScenarioError

_BASE = Scenario(
    name="baseline",
    description="Mature S&OP: all five steps held, engaged executive, one set of numbers.",
)


def _variant(name: str, description: str, **levers: object) -> Scenario:
    return replace(_BASE, name=name, description=description, **levers)


PRESETS: Mapping[str, Scenario] = MappingProxyType(
    {
        s.name: s
        for s in (
            _BASE,
            _variant("no_sop", "No S&OP at all: every function plans from its own numbers.",
                     skip_steps=frozenset(STEP_IDS)),
            _variant("skip_demand_review", "No demand review: supply plans from the bare statistical forecast.",
                     skip_steps=frozenset({"demand_review"})),
            _variant("skip_supply_review", "No supply review: the plan is never checked against capacity.",
                     skip_steps=frozenset({"supply_review"})),
            _variant("skip_pre_sop", "No pre-S&OP: raw, unpriced issues go straight to the executives.",
                     skip_steps=frozenset({"pre_sop"})),
            _variant("disengaged_executive", "The executive sponsor attends one meeting in four.",
                     executive_engagement=0.25),
            _variant("silos", "Meetings happen, but each function executes from its own numbers.", silos=True),
            _variant("poor_data", "Recorded actuals are unreliable, so every forecast starts from bad history.",
                     data_quality=0.3),
            _variant("supply_chain_only", "S&OP run by supply chain alone: sales, marketing and finance stay away.",
                     supply_chain_only=True),
            _variant("short_horizon", "Plans look only three months ahead, too short for the seasonal peak.",
                     horizon_months=3),
            _variant("sku_level", "Meetings review every SKU and run out of time before the real issues.",
                     planning_level="sku"),
        )
    }
)


def get_scenario(scenario_or_name: Scenario | str) -> Scenario:
    """Return a scenario given itself or a preset name."""
    if isinstance(scenario_or_name, Scenario):
        return scenario_or_name
    if isinstance(scenario_or_name, str) and scenario_or_name in PRESETS:
        return PRESETS[scenario_or_name]
    raise ScenarioError(f"preset={scenario_or_name!r} is unknown: allowed {sorted(PRESETS)}")
