"""The seat of each role in a run: engagement, bias, private news and the policy that decides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sop_sim.config import Disturbance, Scenario
from sop_sim.roles.defaults import DEFAULT_POLICIES
from sop_sim.roles.policy import Policy, fresh


@dataclass
class Agent:
    """A function in the S&OP process.

    Attributes
    ----------
    role:
        Role id.
    engagement:
        Baseline chance of attending a meeting the role belongs to.
    bias:
        Share the role adds to its forecast input (sales optimism is positive).
    private:
        Disturbances only this role knows of, each from its ``known_from`` month.
    policy:
        How the role decides (:class:`~sop_sim.roles.Policy`).
    """

    role: str
    engagement: float
    bias: float
    private: tuple[Disturbance, ...]
    policy: Policy

    def news(self, month: int) -> list[Disturbance]:
        """What this role knows now that others do not (events not yet past)."""
        return [d for d in self.private if d.known_from <= month <= d.month]


def build_agents(scenario: Scenario, policies: Mapping[str, Policy] | None = None) -> dict[str, Agent]:
    """One agent per role, with its engagement, bias, private knowledge and policy.

    ``policies`` must already be checked (:func:`~sop_sim.roles.check_policies`); each
    run gets its own copy of them.
    """
    chosen = fresh(policies or {})
    agents = {}
    for role, cls in DEFAULT_POLICIES.items():
        private = tuple(d for d in scenario.disturbances if d.owner == role)
        policy = chosen.get(role) or cls()
        agents[role] = Agent(role, scenario.role_engagement(role), scenario.bias.get(role, 0.0), private, policy)
    return agents
