"""Scenario and company configuration: frozen dataclasses, validated when built.

A :class:`Scenario` holds the failure levers a learner moves (skip a step, executive
engagement, silos, data quality, ...) and the :class:`Company` it runs on. Neither
carries runtime state: the model builds its resources and random streams from them.
Make a variant with :func:`dataclasses.replace`; the copy is validated again.

The default company, *Brightwater Outdoor*, is fictional. Its assumptions (one place to
cite them) are the defaults of :class:`Family`, :class:`Plant` and :func:`default_company`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

import numpy as np

from sop_sim.calendar import month_label
from sop_sim.errors import ScenarioError

#: Role ids, in the order the kit lists them (the knowledge base holds their facts).
ROLE_IDS: tuple[str, ...] = (
    "executive_sponsor",
    "process_owner",
    "sales",
    "marketing",
    "operations",
    "supply_chain",
    "finance",
    "product_development",
    "human_resources",
)
#: Step ids in cycle order.
STEP_IDS: tuple[str, ...] = (
    "data_gathering",
    "demand_review",
    "supply_review",
    "pre_sop",
    "executive_sop",
)
DAYS_PER_MONTH = 30
#: Calendar day (0-based, within the month) on which each step is held.
STEP_DAY: Mapping[str, int] = MappingProxyType(
    {"data_gathering": 2, "demand_review": 6, "supply_review": 10, "pre_sop": 13, "executive_sop": 16}
)
DISTURBANCE_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "promotion": "marketing",
        "deal": "sales",
        "npi_slip": "product_development",
        "supplier_disruption": "supply_chain",
        "breakdown": "operations",
        "budget_cut": "finance",
    }
)
PLANNING_LEVELS = ("family", "sku")


def _fail(name: str, value: Any, allowed: str) -> ScenarioError:
    return ScenarioError(f"{name}={value!r} is invalid: allowed {allowed}")


def _check_number(name: str, value: Any, low: float, high: float, *, integer: bool = False) -> None:
    # numbers.Integral/Real take numpy scalars (np.int64, np.float32) as the numbers they are
    kind = "an integer" if integer else "a number"
    ok_type = isinstance(value, numbers.Integral) if integer else isinstance(value, numbers.Real)
    if 0 < low < 1e-3:
        allowed = f"a positive {kind[kind.index(' ') + 1:]} up to {_num(high)}"
    else:
        allowed = f"{kind} from {_num(low)} to {_num(high)}"
    if isinstance(value, bool | np.bool_) or not ok_type or (not integer and not math.isfinite(value)):
        raise _fail(name, value, allowed)
    if not low <= value <= high:
        raise _fail(name, value, allowed)


def _num(x: float) -> str:
    """A bound in plain notation (1,000,000 rather than 1e6)."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return np.format_float_positional(x, trim="-")


def _check_text(name: str, value: Any, allowed: str = "text") -> None:
    if not isinstance(value, str):
        raise _fail(name, value, allowed)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python number it holds (so saves and hashes stay plain)."""
    return value.item() if isinstance(value, np.generic) else value


#: Allowed size of each kind of disturbance (``magnitude``), with what it means.
MAGNITUDE_RANGE: Mapping[str, tuple[float, float, str]] = MappingProxyType(
    {
        "promotion": (0.0, 5.0, "a volume uplift from 0 to 5 (0.45 = +45 %)"),
        "deal": (0.0, 1e6, "a deal size from 0 to 1,000,000 units"),
        "npi_slip": (0.0, 1e9, "0 or more (a slip has no size: its month is the new launch month)"),
        "supplier_disruption": (0.0, 1.0, "a share of the material not delivered, from 0 to 1"),
        "breakdown": (0.0, 1.0, "a share of plant capacity lost, from 0 to 1"),
        "budget_cut": (0.0, 1.0, "a share of the overtime budget cut, from 0 to 1"),
    }
)
#: Disturbance kinds that concern one product family (the others concern the plant).
FAMILY_KINDS: tuple[str, ...] = ("promotion", "deal", "npi_slip", "supplier_disruption")


@dataclass(frozen=True)
class Family:
    """A product family: the level at which S&OP plans.

    Demand in month ``t`` (0 = the first simulated month) has a mean of
    ``base * (1 + growth) ** (t / 12) * seasonality[t % 12]``, times the NPI ramp for a
    new product, and varies around it with a lognormal noise of coefficient ``cv``.
    """

    id: str
    name: str
    base: float  # mean units per month before trend and seasonality
    growth: float  # yearly trend, 0.05 = +5 % a year
    seasonality: tuple[float, ...]  # 12 monthly indices, mean 1
    cv: float  # month-to-month noise (coefficient of variation)
    price: float  # list price per unit
    material_cost: float  # cost of the key material per unit
    hours_per_unit: float  # plant labour hours per unit
    skus: int = 10  # items in the family (used by SKU-level planning)
    npi_launch: int | None = None  # planned launch month for a new product introduction
    npi_ramp_months: int = 6

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.isidentifier():
            raise _fail("family.id", self.id, "a lowercase identifier such as 'mowers'")
        p = f"family[{self.id}]"
        _check_text(f"{p}.name", self.name)
        for name in ("base", "price", "material_cost", "hours_per_unit"):
            _check_number(f"{p}.{name}", getattr(self, name), 1e-9, 1e9)
        _check_number(f"{p}.growth", self.growth, -0.5, 1.0)
        _check_number(f"{p}.cv", self.cv, 0.0, 1.0)
        _check_number(f"{p}.skus", self.skus, 1, 500, integer=True)
        seasonality = self.seasonality
        if isinstance(seasonality, str | bytes | Mapping) or not isinstance(seasonality, Iterable):
            raise _fail(f"{p}.seasonality", seasonality, "12 positive monthly indices")
        seasonality = tuple(seasonality)
        if len(seasonality) != 12:
            raise _fail(f"{p}.seasonality", seasonality, "12 positive monthly indices")
        for i, v in enumerate(seasonality):
            _check_number(f"{p}.seasonality[{i}]", v, 1e-6, 100.0)
        object.__setattr__(self, "seasonality", tuple(float(v) for v in seasonality))
        if self.npi_launch is not None:
            _check_number(f"{p}.npi_launch", self.npi_launch, 0, 120, integer=True)
        _check_number(f"{p}.npi_ramp_months", self.npi_ramp_months, 1, 36, integer=True)
        for name in ("base", "growth", "cv", "price", "material_cost", "hours_per_unit", "skus", "npi_launch",
                     "npi_ramp_months"):
            object.__setattr__(self, name, _plain(getattr(self, name)))


@dataclass(frozen=True)
class Plant:
    """Shared plant capacity, workforce and cost rates."""

    workers: int = 60  # workers on the payroll at the start
    hours_per_worker: float = 160.0  # regular hours per worker per month
    wage: float = 25.0  # per regular hour
    overtime_share: float = 0.20  # overtime allowed, as a share of regular hours
    overtime_premium: float = 1.5  # overtime hour costs wage * premium
    outsource_premium: float = 0.25  # outsourced unit costs (material + labour) * (1 + premium)
    outsource_lead_months: int = 1
    outsource_capacity_hours: float = 500.0  # what the contract manufacturer can take per month
    hire_lead_months: int = 4  # recruiting (two months) plus training (two) before a hire is productive
    hire_cost: float = 4000.0  # recruiting, per hire
    training_months: int = 2  # of the hiring lead time, months a new hire is paid while training
    material_lead_months: int = 2
    expedite_premium: float = 0.40  # expedited material costs material_cost * (1 + premium)
    carrying_rate: float = 0.01  # per month: storage, handling, insurance (capital: company.cost_of_capital)
    late_freight_rate: float = 0.08  # a backorder ships by express freight at our cost, share of price
    safety_months: float = 0.5  # finished-goods safety stock, in months of demand

    def __post_init__(self) -> None:
        _check_number("plant.workers", self.workers, 1, 100_000, integer=True)
        _check_number("plant.hours_per_worker", self.hours_per_worker, 1, 744)
        for name in ("wage", "hire_cost", "outsource_capacity_hours"):
            _check_number(f"plant.{name}", getattr(self, name), 0, 1e9)
        for name in ("overtime_share", "outsource_premium", "expedite_premium", "carrying_rate",
                     "late_freight_rate"):
            _check_number(f"plant.{name}", getattr(self, name), 0, 5)
        _check_number("plant.overtime_premium", self.overtime_premium, 1, 5)
        _check_number("plant.safety_months", self.safety_months, 0, 6)
        for name in ("outsource_lead_months", "hire_lead_months", "material_lead_months", "training_months"):
            _check_number(f"plant.{name}", getattr(self, name), 0, 12, integer=True)
        for f in fields(self):
            object.__setattr__(self, f.name, _plain(getattr(self, f.name)))

    @property
    def cost_per_hire(self) -> float:
        """What each hire costs before it is productive: recruiting plus wages while training."""
        return self.hire_cost + self.training_months * self.hours_per_worker * self.wage


@dataclass(frozen=True)
class Disturbance:
    """A scripted event, known in advance to one role only.

    ``known_from`` is the month from which the owning role knows of it; the event
    reaches the plan only if that role brings it to the right meeting.
    """

    kind: str
    month: int
    family: str | None = None
    magnitude: float = 0.0  # meaning depends on kind, see ``describe``
    known_from: int = 0
    probability: float = 1.0  # for deals: chance the customer signs

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or self.kind not in DISTURBANCE_KINDS:
            raise _fail("disturbance.kind", self.kind, f"one of {sorted(DISTURBANCE_KINDS)}")
        p = f"disturbance[{self.kind}]"
        _check_number(f"{p}.month", self.month, 0, 240, integer=True)
        _check_number(f"{p}.known_from", self.known_from, 0, 240, integer=True)
        low, high, meaning = MAGNITUDE_RANGE[self.kind]
        m = self.magnitude
        if (isinstance(m, bool | np.bool_) or not isinstance(m, numbers.Real) or not math.isfinite(m)
                or not low <= m <= high):
            raise _fail(f"{p}.magnitude", m, meaning)
        _check_number(f"{p}.probability", self.probability, 0.0, 1.0)
        if self.known_from > self.month:
            raise _fail(f"{p}.known_from", self.known_from, f"<= month ({self.month})")
        if self.family is not None and not isinstance(self.family, str):
            raise _fail(f"{p}.family", self.family, "a family id (text) or None")
        if self.kind in FAMILY_KINDS and self.family is None:
            raise _fail(f"{p}.family", self.family, "a family id: this kind of event concerns one family")
        for name in ("month", "known_from", "magnitude", "probability"):
            object.__setattr__(self, name, _plain(getattr(self, name)))

    @property
    def owner(self) -> str:
        """The role that knows of this disturbance."""
        return DISTURBANCE_KINDS[self.kind]

    def describe(self) -> str:
        """One plain-language line, as the owning role would report it."""
        m = month_label(self.month)
        fam = self.family or "all families"
        return {
            "promotion": f"Promotion on {fam} in {m}: about +{self.magnitude:.0%} volume at a 10% discount.",
            "deal": f"A large customer deal for {fam} in {m}: {self.magnitude:,.0f} units, "
            f"{self.probability:.0%} likely to sign.",
            "npi_slip": f"The {fam} launch slips to {m} (engineering changes).",
            "supplier_disruption": f"The {fam} material supplier will deliver only {1 - self.magnitude:.0%} "
            f"of orders in {m}.",
            "breakdown": f"A press breakdown in {m} takes {self.magnitude:.0%} of plant capacity.",
            "budget_cut": f"Overtime budget cut by {self.magnitude:.0%} from {m}.",
        }[self.kind]


@dataclass(frozen=True)
class Company:
    """The physical world the S&OP process plans for."""

    name: str
    families: tuple[Family, ...]
    plant: Plant = field(default_factory=Plant)
    aop_stretch: float = 0.04  # the annual operating plan asks for this much above the expected trend
    # economics (see sop_sim.economics): what finance charges below the margin line
    cost_of_capital: float = 0.10  # a year, on the money tied up in stock (materials and finished goods)
    excess_cover_months: int = 6  # stock beyond this many months of expected demand will not sell in time
    excess_write_down: float = 0.5  # share of its cost written off on stock beyond that cover

    def __post_init__(self) -> None:
        _check_text("company.name", self.name)
        if isinstance(self.families, str | bytes | Mapping) or not isinstance(self.families, Iterable):
            raise _fail("company.families", self.families, "a list of 1 to 12 Family objects")
        object.__setattr__(self, "families", tuple(self.families))
        bad = next((f for f in self.families if not isinstance(f, Family)), None)
        if bad is not None:
            raise _fail("company.families", type(bad).__name__, "Family objects")
        if not isinstance(self.plant, Plant):
            raise _fail("company.plant", type(self.plant).__name__, "a sop_sim.Plant")
        if not 1 <= len(self.families) <= 12:
            raise _fail("company.families", len(self.families), "1 to 12 families")
        ids = [f.id for f in self.families]
        if len(set(ids)) != len(ids):
            raise _fail("company.families", ids, "unique family ids")
        _check_number("company.aop_stretch", self.aop_stretch, -0.5, 1.0)
        _check_number("company.cost_of_capital", self.cost_of_capital, 0.0, 1.0)
        _check_number("company.excess_cover_months", self.excess_cover_months, 1, 36, integer=True)
        _check_number("company.excess_write_down", self.excess_write_down, 0.0, 1.0)

    def family(self, family_id: str) -> Family:
        for fam in self.families:
            if fam.id == family_id:
                return fam
        raise KeyError(f"unknown family {family_id!r}; known: {[f.id for f in self.families]}")

    @property
    def family_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.families)


_SPRING = (0.55, 0.65, 1.05, 1.55, 1.75, 1.6, 1.25, 0.95, 0.75, 0.65, 0.6, 0.65)
_SUMMER = (0.8, 0.8, 0.95, 1.1, 1.2, 1.25, 1.25, 1.15, 1.0, 0.9, 0.8, 1.0)
_AUTUMN = (0.7, 0.7, 0.8, 0.85, 0.85, 0.9, 0.95, 1.05, 1.35, 1.55, 1.3, 1.0)
_FLAT = (1.0,) * 12


def default_company() -> Company:
    """Brightwater Outdoor: four families of garden equipment on one plant.

    Mowers peak sharply in spring, more than the plant can make in those months, so
    the peak needs capacity decided months ahead (pre-build, hiring). Robot mowers
    are a new product introduction planned for month 8. Material lead time is two
    months and a new hire needs four months before being productive.
    """
    return Company(
        name="Brightwater Outdoor",
        families=(
            Family("mowers", "Petrol mowers", 1800, 0.03, _SPRING, 0.12, 320.0, 170.0, 2.0, skus=12),
            Family("trimmers", "Line trimmers", 2600, 0.06, _SUMMER, 0.10, 110.0, 52.0, 0.8, skus=9),
            Family("blowers", "Leaf blowers", 1300, 0.00, _AUTUMN, 0.12, 150.0, 70.0, 1.0, skus=8),
            Family("robots", "Robot mowers", 700, 0.10, _FLAT, 0.18, 900.0, 480.0, 3.0, skus=4,
                   npi_launch=8, npi_ramp_months=6),
        ),
    )


def default_disturbances() -> tuple[Disturbance, ...]:
    """The scripted events of the default scenario, each known to one role only."""
    return (
        Disturbance("promotion", 3, "trimmers", 0.45, known_from=0),
        Disturbance("promotion", 15, "trimmers", 0.45, known_from=12),
        Disturbance("promotion", 27, "blowers", 0.45, known_from=24),
        Disturbance("deal", 6, "mowers", 1500, known_from=2, probability=0.8),
        Disturbance("deal", 20, "blowers", 1200, known_from=16, probability=0.8),
        Disturbance("npi_slip", 10, "robots", 0, known_from=4),
        Disturbance("supplier_disruption", 13, "mowers", 0.6, known_from=10),
        Disturbance("breakdown", 21, None, 0.3, known_from=21),
        Disturbance("budget_cut", 18, None, 0.5, known_from=16),
    )


def _frozen_map(value: Mapping[str, float] | None) -> Mapping[str, float]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class Scenario:
    """One configuration of the S&OP process: the levers, the company, the events.

    Parameters
    ----------
    name, description:
        A label and one line saying what the scenario shows.
    skip_steps:
        Step ids that are not held. Their key output is then missing and whoever
        needs it falls back on their own numbers (see the minutes).
    executive_engagement:
        0..1, the chance the executive sponsor attends the executive S&OP meeting.
        Other functions' attendance follows the executive's recent record.
    engagement:
        Role id -> 0..1 chance that role attends the meetings it belongs to (default 1).
    bias:
        Role id -> forecast bias that role adds to its input (sales optimism: +0.08).
    silos:
        Each function executes from its own numbers even when an authorized plan exists.
    data_quality:
        0..1, 1 = the recorded actuals are exact; lower adds recording errors.
    supply_chain_only:
        S&OP is run by supply chain alone: sales, marketing and finance stay away.
    horizon_months:
        How many months ahead each plan looks (S&OP typically 18-24).
    planning_level:
        ``"family"`` (aggregate, as S&OP should) or ``"sku"`` (item detail).
    months:
        Simulated months.
    """

    name: str = "custom"
    description: str = ""
    skip_steps: frozenset[str] = frozenset()
    executive_engagement: float = 1.0
    engagement: Mapping[str, float] = field(default_factory=dict)
    bias: Mapping[str, float] = field(default_factory=lambda: {"sales": 0.08})
    silos: bool = False
    data_quality: float = 1.0
    supply_chain_only: bool = False
    horizon_months: int = 18
    planning_level: str = "family"
    months: int = 36
    company: Company = field(default_factory=default_company)
    disturbances: tuple[Disturbance, ...] = field(default_factory=default_disturbances)

    def __post_init__(self) -> None:
        # Normalise containers so the dataclass stays hashable-free but immutable.
        skip = self.skip_steps
        if isinstance(skip, str) or not isinstance(skip, set | frozenset | list | tuple):
            raise _fail("skip_steps", skip, f"a set of step ids from {list(STEP_IDS)}")
        bad = next((s for s in skip if not isinstance(s, str)), None)
        if bad is not None:
            raise _fail("skip_steps", bad, f"step ids (text) from {list(STEP_IDS)}")
        object.__setattr__(self, "skip_steps", frozenset(skip))
        for label in ("engagement", "bias"):
            value = getattr(self, label)
            if value is not None and not isinstance(value, Mapping):
                raise _fail(label, value, "a mapping of role id to number, e.g. {'sales': 0.5}")
            object.__setattr__(self, label, _frozen_map({k: _plain(v) for k, v in (value or {}).items()}))
        events = self.disturbances
        if isinstance(events, str | bytes | Mapping | Disturbance) or not isinstance(events, Iterable):
            raise _fail("disturbances", events, "a list of Disturbance objects (or an empty list)")
        object.__setattr__(self, "disturbances", tuple(events))
        for name in ("executive_engagement", "data_quality", "horizon_months", "months"):
            object.__setattr__(self, name, _plain(getattr(self, name)))
        self.validate()

    def validate(self) -> None:
        """Raise :class:`ScenarioError` naming the first invalid field."""
        if not isinstance(self.name, str):
            raise _fail("name", self.name, "a string")
        unknown = sorted(self.skip_steps - set(STEP_IDS))
        if unknown:
            raise _fail("skip_steps", unknown[0], f"step ids from {list(STEP_IDS)}")
        _check_number("executive_engagement", self.executive_engagement, 0.0, 1.0)
        for label, mapping, low, high in (("engagement", self.engagement, 0.0, 1.0), ("bias", self.bias, -0.9, 2.0)):
            for role, value in mapping.items():
                if role not in ROLE_IDS:
                    raise _fail(f"{label}[{role!r}]", role, f"role ids from {list(ROLE_IDS)}")
                _check_number(f"{label}[{role!r}]", value, low, high)
        if "executive_sponsor" in self.engagement:
            raise _fail("engagement['executive_sponsor']", self.engagement["executive_sponsor"],
                        "other roles only: set the sponsor's attendance with executive_engagement")
        for name in ("silos", "supply_chain_only"):
            if not isinstance(getattr(self, name), bool):
                raise _fail(name, getattr(self, name), "True or False")
        _check_number("data_quality", self.data_quality, 0.0, 1.0)
        _check_number("horizon_months", self.horizon_months, 1, 36, integer=True)
        if self.planning_level not in PLANNING_LEVELS:
            raise _fail("planning_level", self.planning_level, f"one of {list(PLANNING_LEVELS)}")
        _check_number("months", self.months, 3, 120, integer=True)
        if not isinstance(self.company, Company):
            raise _fail("company", type(self.company).__name__, "a sop_sim.Company")
        fams = set(self.company.family_ids)
        for d in self.disturbances:
            if not isinstance(d, Disturbance):
                raise _fail("disturbances", d, "Disturbance objects")
            if d.family is not None and d.family not in fams:
                raise _fail(f"disturbance[{d.kind}].family", d.family, f"one of {sorted(fams)}")
            if d.kind == "npi_slip":
                npi = sorted(f.id for f in self.company.families if f.npi_launch is not None)
                if d.family not in npi:
                    raise _fail("disturbance[npi_slip].family", d.family,
                                f"a new product family (one with npi_launch): {npi or 'none in this company'}")

    def __hash__(self) -> int:
        # the mapping fields are read-only views: hash their items so scenarios can key a cache
        return hash(tuple(
            tuple(sorted(v.items())) if isinstance(v, Mapping) else v
            for v in (getattr(self, f.name) for f in fields(self))
        ))

    def role_engagement(self, role: str) -> float:
        """Baseline chance that ``role`` attends, before the executive's example."""
        if role == "executive_sponsor":
            return self.executive_engagement
        if self.supply_chain_only and role in ("sales", "marketing", "finance"):
            return 0.0
        return self.engagement.get(role, 1.0)

    def lever_dict(self) -> dict[str, Any]:
        """The levers as plain values (for tables, saved games and the UI)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("company", "disturbances"):
                continue
            v = getattr(self, f.name)
            if isinstance(v, frozenset):
                v = sorted(v)
            elif isinstance(v, Mapping):
                v = dict(v)
            out[f.name] = v
        return out


#: The scenario fields a learner can move (used by the UI and ``sweep``).
LEVER_FIELDS: tuple[str, ...] = (
    "skip_steps",
    "executive_engagement",
    "engagement",
    "bias",
    "silos",
    "data_quality",
    "supply_chain_only",
    "horizon_months",
    "planning_level",
    "months",
)
