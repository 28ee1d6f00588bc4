"""The policy base class: how one role decides, as an object a student can replace.

A *policy* holds the rules a teacher would vary for one role: how sales adjusts the
forecast, which strategy operations plans with and when it hires, what finance raises
and how it prices it, how the executive decides. The meetings (:mod:`sop_sim.cycle`)
ask a role's policy at each step the role takes part in; the policy answers from the
role's view (:class:`sop_sim.information.RoleView`), never from the world's truth.

What each role's policy answers (``ctx`` keys in brackets; the fields are those of the
default policy in :mod:`sop_sim.roles.defaults`, which a person playing the role fills in):

=====================  ==============================================================
role                   methods
=====================  ==============================================================
sales, marketing       ``at_demand_review`` (month, first, last, families, npi, forecast):
                       ``adjust_pct`` per family, ``include_deal`` / ``include_promotion``
product_development    ``at_demand_review``: ``npi_launch_month``
operations             ``at_supply_review`` (month, first, last, families): ``strategy``,
                       ``allow_overtime``, ``prebuild``; ``reactive_hires(view)`` -> workers
                       to hire at a month's start whatever the plan says
supply_chain           ``at_supply_review``: ``buffer_pct``, ``prebuy``
finance                ``at_pre_sop`` (month, aop_gap, issues): ``flag_gap``;
                       ``gap_options(view, ctx)`` -> (options, recommendation, payload)
process_owner          ``at_pre_sop`` (month, aop_gap, issues): ``escalate``
executive_sponsor      ``at_executive_sop`` (month, escalations): ``choices``, ``authorize``;
                       ``settle_unprepared(view, issue, draw)`` -> an option id or None
human_resources        ``at_executive_sop`` (authorized_hires): ``hires``
=====================  ==============================================================

Pass policies by role id to :func:`sop_sim.run`, :class:`sop_sim.SOPModel`,
:func:`sop_sim.replicate`, :func:`sop_sim.compare`, :func:`sop_sim.sweep` or
:class:`sop_sim.Game`: ``policies={"sales": InflatingSales(pct=40)}``. A class is accepted
too (it is built with no arguments). Each run works on its own copy, so a policy that
keeps state never carries it from one run into the next.
"""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sop_sim.config import ROLE_IDS
from sop_sim.errors import ScenarioError

if TYPE_CHECKING:
    from sop_sim.decisions import FieldSpec
    from sop_sim.information import RoleView

Proposal = tuple[tuple["FieldSpec", ...], dict[str, Any]]

#: What each role's policy must define (the meetings call these).
REQUIRED_METHODS: Mapping[str, tuple[str, ...]] = {
    "executive_sponsor": ("at_executive_sop", "settle_unprepared"),
    "process_owner": ("at_pre_sop",),
    "sales": ("at_demand_review",),
    "marketing": ("at_demand_review",),
    "operations": ("at_supply_review", "reactive_hires"),
    "supply_chain": ("at_supply_review",),
    "finance": ("at_pre_sop", "gap_options"),
    "product_development": ("at_demand_review",),
    "human_resources": ("at_executive_sop",),
}


class Policy:
    """How one role decides. Subclass it (or a default role policy) to write your own.

    A policy answers the meetings its role takes part in. For each step it joins, it
    defines ``at_<step>(self, view, ctx)`` (for example ``at_demand_review``) returning
    ``(fields, suggestion)``:

    * ``fields``: the decision fields (:class:`sop_sim.FieldSpec`), with types and bounds.
      A person playing the role in a game fills in the same fields.
    * ``suggestion``: the values this policy chooses, one per field.

    ``view`` is what the role may know now (:class:`sop_sim.information.RoleView`):
    ``view.month``, ``view.bias``, ``view.news()`` (its own private news), the shared
    plan and KPIs. ``ctx`` holds the meeting's agenda: the planned months, the families,
    the issues on the table.

    Some roles have extra rules the meetings call (see :data:`REQUIRED_METHODS`), e.g.
    operations' ``reactive_hires(view)`` and the executive's ``settle_unprepared``.
    The easiest start is to subclass the role's default policy and override one method::

        from sop_sim.roles import Sales

        class InflatingSales(Sales):
            '''Sales adds a fixed share to every family's forecast.'''

            def __init__(self, pct: float = 40.0) -> None:
                self.pct = pct

            def at_demand_review(self, view, ctx):
                fields, suggestion = super().at_demand_review(view, ctx)
                suggestion["adjust_pct"] = {f: self.pct for f in ctx["families"]}
                return fields, suggestion

        sop_sim.run("baseline", seed=1, policies={"sales": InflatingSales(40)})

    A suggestion must be valid for its fields (numbers within bounds, choices among the
    choices); ``DecisionPoint.validate`` says what is allowed. Keep the arguments of
    ``__init__`` as attributes of the same name (as above): a saved game stores them
    (see :meth:`params`) and rebuilds the policy from its importable class name.
    """

    def propose(self, step: str, view: RoleView, ctx: dict[str, Any]) -> Proposal:
        """The fields and suggestion for ``step``; none if this policy has no ``at_<step>``."""
        method = getattr(self, f"at_{step}", None)
        if method is None:
            return (), {}
        return method(view, ctx)

    def params(self) -> dict[str, Any]:
        """The arguments that rebuild this policy (``type(self)(**params)``); saved games store them."""
        return dict(getattr(self, "__dict__", {}))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({args})"


def _instance(role: str, policy: Any) -> Policy:
    if isinstance(policy, type):
        try:
            policy = policy()
        except TypeError as exc:
            raise ScenarioError(f"policies[{role!r}]={policy.__name__} cannot be built without arguments "
                                f"({exc}): allowed a policy object or a class with no required arguments") from None
    missing = [m for m in REQUIRED_METHODS[role] if not callable(getattr(policy, m, None))]
    if missing or not callable(getattr(policy, "propose", None)):
        what = missing[0] if missing else "propose"
        raise ScenarioError(f"policies[{role!r}]={type(policy).__name__} lacks the method {what}(): a policy for "
                            f"{role} must define {list(REQUIRED_METHODS[role])} (subclass sop_sim.Policy "
                            "or the role's default policy)")
    return policy


def check_policies(policies: Mapping[str, Any] | None) -> dict[str, Policy]:
    """Validate ``{role_id: policy}``; return role id -> policy object (classes are built).

    Raises
    ------
    ScenarioError
        An unknown role id, or a policy that lacks a method its role needs.
    """
    if policies is None:
        return {}
    if not isinstance(policies, Mapping):
        raise ScenarioError(f"policies={policies!r} is invalid: allowed a mapping of role id -> policy")
    out = {}
    for role, policy in policies.items():
        if role not in ROLE_IDS:
            raise ScenarioError(f"policies has unknown role id {role!r}: allowed {list(ROLE_IDS)}")
        out[role] = _instance(role, policy)
    return out


def fresh(policies: Mapping[str, Policy]) -> dict[str, Policy]:
    """A private copy of each policy for one run (so no state leaks between runs)."""
    return {role: copy.deepcopy(p) for role, p in policies.items()}


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """A policy as JSON data: its importable class name and its parameters.

    Raises
    ------
    ScenarioError
        The class cannot be imported by name (defined inside a function) or its
        parameters are not plain JSON values.
    """
    cls = type(policy)
    name = f"{cls.__module__}:{cls.__qualname__}"
    if "<locals>" in cls.__qualname__:
        raise ScenarioError(f"policy {cls.__qualname__} cannot be saved: allowed a class defined at the top "
                            "level of an importable module")
    params = policy.params() if callable(getattr(policy, "params", None)) else {}
    try:
        params = json.loads(json.dumps(params))
    except (TypeError, ValueError):
        raise ScenarioError(f"policy {cls.__qualname__} cannot be saved: its params() {params!r} are not "
                            "plain JSON values (numbers, text, lists, mappings)") from None
    return {"class": name, "params": params}


def policy_from_dict(role: str, data: Any) -> Policy:
    """Rebuild a policy saved by :func:`policy_to_dict` (raises ``ScenarioError`` with one line)."""
    try:
        module, _, qualname = data["class"].partition(":")
        params = dict(data.get("params") or {})
    except (TypeError, KeyError, AttributeError):
        raise ScenarioError(f"policies[{role!r}]={data!r} is invalid: allowed "
                            "{'class': 'module:Class', 'params': {...}}") from None
    try:
        obj: Any = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError, ValueError):
        raise ScenarioError(f"the {role} policy {data['class']} cannot be imported here: allowed a policy whose "
                            "module is installed or importable (import it, then load again)") from None
    try:
        policy = obj(**params)
    except TypeError as exc:
        raise ScenarioError(f"the {role} policy {data['class']} cannot be rebuilt from {params}: {exc}") from None
    return check_policies({role: policy})[role]
