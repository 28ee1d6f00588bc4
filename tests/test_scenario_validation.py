"""Validation layer: every invalid Scenario value fails with a one-line, named error."""

from dataclasses import replace

import pytest

import sop_sim
from sop_sim import Scenario, ScenarioError

BAD = [
    ("skip_steps", {"demand_review", "lunch"}, "skip_steps"),
    ("skip_steps", "demand_review", "skip_steps"),
    ("executive_engagement", 1.5, "executive_engagement"),
    ("executive_engagement", -0.1, "executive_engagement"),
    ("executive_engagement", "high", "executive_engagement"),
    ("engagement", {"ceo": 0.5}, "engagement"),
    ("engagement", {"sales": 2.0}, "engagement['sales']"),
    ("bias", {"sales": 5.0}, "bias['sales']"),
    ("silos", "yes", "silos"),
    ("data_quality", 1.01, "data_quality"),
    ("data_quality", float("nan"), "data_quality"),
    ("supply_chain_only", 1, "supply_chain_only"),
    ("horizon_months", 0, "horizon_months"),
    ("horizon_months", 3.5, "horizon_months"),
    ("horizon_months", True, "horizon_months"),
    ("planning_level", "item", "planning_level"),
    ("months", 2, "months"),
    ("months", 1000, "months"),
]


@pytest.mark.parametrize(("field", "value", "named"), BAD)
def test_invalid_value_names_field_value_and_allowed(field, value, named):
    with pytest.raises(ScenarioError) as info:
        replace(Scenario(), **{field: value})
    msg = str(info.value)
    assert named in msg, f"error should name the field {named!r}: {msg}"
    assert "allowed" in msg, f"error should say what is allowed: {msg}"
    assert "\n" not in msg, "error should be one line"


def test_scenario_error_is_a_value_error():
    assert issubclass(ScenarioError, ValueError)


def test_unknown_preset_lists_the_presets():
    with pytest.raises(ScenarioError, match="baseline"):
        sop_sim.run("no_such_preset")


def test_unknown_override_field_is_named():
    with pytest.raises(ScenarioError, match="colour"):
        sop_sim.run("baseline", colour="red")


def test_negative_seed_is_rejected():
    with pytest.raises(ScenarioError, match="seed"):
        sop_sim.run("baseline", seed=-1)


def test_variants_are_new_objects_and_presets_stay_unchanged():
    base = sop_sim.PRESETS["baseline"]
    variant = replace(base, silos=True)
    assert variant.silos and not base.silos, "replace must not mutate the preset"
    with pytest.raises(AttributeError):
        base.silos = True  # frozen


def test_every_preset_is_valid_and_described():
    required = {"baseline", "no_sop", "skip_demand_review", "skip_supply_review", "skip_pre_sop",
                "disengaged_executive", "silos", "poor_data", "supply_chain_only", "short_horizon"}
    assert required <= set(sop_sim.PRESETS), f"missing presets: {required - set(sop_sim.PRESETS)}"
    for name, sc in sop_sim.PRESETS.items():
        assert sc.name == name
        assert sc.description and "\n" not in sc.description, f"{name} needs a one-line description"


def test_company_and_disturbance_validation():
    with pytest.raises(ScenarioError, match="family"):
        sop_sim.Disturbance("promotion", 3, "toasters")  # fine alone ...
        replace(Scenario(), disturbances=(sop_sim.Disturbance("promotion", 3, "toasters"),))
    with pytest.raises(ScenarioError, match="kind"):
        sop_sim.Disturbance("earthquake", 3)
    with pytest.raises(ScenarioError, match="known_from"):
        sop_sim.Disturbance("deal", 3, "mowers", 100, known_from=5)


def test_equal_scenarios_hash_equal_so_they_can_key_a_cache():
    a = sop_sim.PRESETS["silos"]
    b = replace(a)
    assert a == b and hash(a) == hash(b)
    assert hash(replace(a, engagement={"sales": 0.5})) != hash(a)
