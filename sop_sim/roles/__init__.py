"""One agent per function: its seat (engagement, bias, private news) and its policy.

* :mod:`sop_sim.roles.policy`: the :class:`Policy` base class and how injected policies
  are checked (:func:`check_policies`) and saved.
* :mod:`sop_sim.roles.defaults`: the default policy of each role.
* :mod:`sop_sim.roles.agents`: :class:`Agent` and :func:`build_agents`.
* :mod:`sop_sim.roles.examples`: deviant policies for exercises (inflating sales,
  an executive who never decides).
"""

from sop_sim.roles.agents import Agent, build_agents
from sop_sim.roles.defaults import (
    DEFAULT_POLICIES,
    PROMO_GAP_UPLIFT,
    REACTIVE_HIRES,
    STRATEGIES,
    ExecutiveSponsor,
    Finance,
    HumanResources,
    Marketing,
    Operations,
    ProcessOwner,
    ProductDevelopment,
    Sales,
    SupplyChain,
)
from sop_sim.roles.examples import DeferringExecutive, InflatingSales
from sop_sim.roles.policy import (
    REQUIRED_METHODS,
    Policy,
    check_policies,
    policy_from_dict,
    policy_to_dict,
)

#: Before policies were objects, the default classes were known by this name.
AGENT_CLASSES = DEFAULT_POLICIES

__all__ = [
    "AGENT_CLASSES", "DEFAULT_POLICIES", "PROMO_GAP_UPLIFT", "REACTIVE_HIRES", "REQUIRED_METHODS", "STRATEGIES",
    "Agent", "DeferringExecutive", "ExecutiveSponsor", "Finance", "HumanResources", "InflatingSales", "Marketing",
    "Operations", "Policy", "ProcessOwner", "ProductDevelopment", "Sales", "SupplyChain", "build_agents",
    "check_policies", "policy_from_dict", "policy_to_dict",
]
