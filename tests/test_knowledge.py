"""The knowledge base: the fixed S&OP facts, the query API and validation on load."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from sop_sim.errors import KnowledgeError
from sop_sim.knowledge import DATA_DIR, load_kb

ROLES = (
    "executive_sponsor", "process_owner", "sales", "marketing", "operations",
    "supply_chain", "finance", "product_development", "human_resources",
)
STEPS = ("data_gathering", "demand_review", "supply_review", "pre_sop", "executive_sop")
ARTEFACTS = {
    "data_baseline", "demand_plan", "supply_plan", "recommended_plan", "authorized_plan",
    "financial_projection", "sop_calendar", "npi_schedule", "material_plan", "workforce_plan",
    "action_log",
}


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_ids_and_cycle_order(kb):
    assert kb.role_ids() == ROLES
    assert kb.step_ids() == STEPS, "steps must come back in cycle order"
    assert ARTEFACTS <= set(kb.artefact_ids())
    assert [kb.position(s) for s in STEPS] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("step", "leads", "participants", "key_output", "inputs"),
    [
        ("data_gathering", {"process_owner"}, {"process_owner", "finance", "supply_chain", "sales"},
         "data_baseline", None),
        ("demand_review", {"sales", "marketing"},
         {"sales", "marketing", "finance", "product_development", "process_owner"},
         "demand_plan", {"data_baseline", "npi_schedule"}),
        ("supply_review", {"operations", "supply_chain"},
         {"operations", "supply_chain", "human_resources", "product_development", "finance", "process_owner"},
         "supply_plan", {"demand_plan", "data_baseline"}),
        ("pre_sop", set(), set(ROLES) - {"executive_sponsor"},
         "recommended_plan", {"demand_plan", "supply_plan"}),
        ("executive_sop", {"executive_sponsor"}, set(ROLES),
         "authorized_plan", {"recommended_plan", "financial_projection"}),
    ],
)
def test_step_membership_contract(kb, step, leads, participants, key_output, inputs):
    assert kb.leads(step) == frozenset(leads)
    assert kb.participants(step) == frozenset(participants)
    assert kb.leads(step) <= kb.participants(step), "leads are participants too"
    assert kb.key_output(step) == key_output
    assert key_output in kb.outputs(step)
    if inputs is not None:
        assert kb.inputs(step) == frozenset(inputs)
    assert kb.facilitator(step) == "process_owner"
    assert isinstance(kb.leads(step), frozenset) and isinstance(kb.inputs(step), frozenset)


def test_data_gathering_reads_no_plan(kb):
    assert not any(kb.is_plan(a) for a in kb.inputs("data_gathering"))


def test_supply_review_outputs(kb):
    """The reference's supply review produces a supply plan; Brightwater's own supporting
    documents are company practice, kept apart so they are never taught as doctrine."""
    assert kb.outputs("supply_review") == {"supply_plan"}
    assert kb.company_outputs("supply_review") == {"material_plan", "workforce_plan"}
    assert kb.is_practice("material_plan") and kb.is_practice("workforce_plan")
    assert not kb.is_practice("supply_plan")
    assert kb.producers("material_plan") == ("supply_review",)
    for step in STEPS:
        assert not any(kb.is_practice(a) for a in kb.outputs(step)), step


def test_doctrine_versus_company_practice(kb):
    """named_roles are what the reference states; participants are Brightwater's invitations."""
    assert kb.named_roles("demand_review") == {"sales", "marketing", "finance", "process_owner"}
    assert kb.named_roles("supply_review") == {"operations", "supply_chain", "process_owner"}
    assert kb.named_roles("data_gathering") == {"process_owner"}
    assert "human_resources" not in kb.named_roles("pre_sop")
    assert "human_resources" in kb.participants("pre_sop"), "the simulated company invites HR"
    for step in STEPS:
        assert kb.leads(step) <= kb.named_roles(step) <= kb.participants(step)
        assert "process_owner" in kb.named_roles(step), "the process owner facilitates every meeting"
    assert kb.leads("pre_sop") == frozenset() and kb.lead_verb("pre_sop") == ""
    assert kb.producers("financial_projection") == ("pre_sop",)


@pytest.mark.parametrize(
    ("artefact", "owners"),
    [
        ("data_baseline", {"process_owner"}),
        ("demand_plan", {"sales", "marketing"}),
        ("supply_plan", {"operations"}),
        ("material_plan", {"supply_chain"}),
        ("workforce_plan", {"human_resources"}),
        ("financial_projection", {"finance"}),
        ("npi_schedule", {"product_development"}),
        ("recommended_plan", set()),
        ("authorized_plan", {"sales", "marketing", "operations", "supply_chain", "finance", "product_development"}),
        ("sop_calendar", {"process_owner"}),
        ("action_log", {"process_owner"}),
    ],
)
def test_ownership_contract(kb, artefact, owners):
    assert kb.owners(artefact) == frozenset(owners)


def test_approvers_chair_and_facilitator(kb):
    assert kb.approvers("authorized_plan") == {"executive_sponsor"}
    assert kb.approvers("demand_plan") == frozenset()
    assert kb.lead_verb("executive_sop") == "chairs"
    assert kb.lead_verb("pre_sop") == ""
    assert kb.authority("pre_sop") == "recommend" and kb.authority("executive_sop") == "decide"
    assert kb.steps_facilitated_by("process_owner") == STEPS


def test_process_owner_owns_no_plan(kb):
    assert kb.plans_owned_by("process_owner") == ()
    assert set(kb.artefacts_owned_by("process_owner")) == {"data_baseline", "sop_calendar", "action_log"}
    for plan in ("demand_plan", "supply_plan", "recommended_plan", "authorized_plan"):
        assert kb.is_plan(plan)


def test_role_views(kb):
    assert kb.steps_led_by("process_owner") == ("data_gathering",)
    assert kb.steps_led_by("executive_sponsor") == ("executive_sop",)
    assert kb.steps_attended_by("executive_sponsor") == ("executive_sop",)
    assert kb.steps_attended_by("process_owner") == STEPS
    assert kb.artefacts_owned_by("operations") == ("supply_plan", "authorized_plan")
    assert "executive_sponsor" not in kb.owners("authorized_plan"), "the sponsor approves, the functions own"
    for role in ROLES:
        resp = kb.responsibilities(role)
        assert isinstance(resp, tuple) and resp and all(isinstance(r, str) for r in resp)
        assert len(kb.conflicts(role)) >= 2, f"{role} needs typical conflicts for its card"
        assert kb.mission(role)


def test_days(kb):
    assert [kb.day(s) for s in STEPS] == [1, 6, 10, 13, 16]
    assert kb.day_span("data_gathering") == (1, 3)


def test_guidance(kb):
    assert set(kb.principle_ids()) >= {
        "one_set_of_numbers", "consensus", "structured_escalation", "mutual_respect",
        "accountability", "planning_horizon", "aggregate_planning",
    }
    assert len(kb.failure_ids()) == 5
    assert len(kb.tip_ids()) == 11
    assert [kb.entry(f"tip:{t}").number for t in kb.tip_ids()] == list(range(1, 12))
    assert "concept:sop_vs_mps_mrp" in kb.topics()


def test_names_and_descriptions_for_every_id(kb):
    ids = [*kb.role_ids(), *kb.step_ids(), *kb.artefact_ids(), *kb.principle_ids(),
           *kb.failure_ids(), *kb.tip_ids()]
    for i in ids:
        assert kb.name(i).strip() and kb.description(i).strip(), i
    for topic in kb.topics():
        assert kb.name(topic) and kb.description(topic), topic


def test_unknown_ids_raise_keyerror_listing_valid_ones(kb):
    with pytest.raises(KeyError, match="valid artefact ids: data_baseline"):
        kb.owners("demand_forecast")
    with pytest.raises(KeyError, match="demand_review"):
        kb.leads("demand_meeting")
    with pytest.raises(KeyError, match="executive_sponsor"):
        kb.responsibilities("ceo")
    with pytest.raises(KeyError, match="valid ids"):
        kb.name("nonsense")


def test_cached_and_immutable(kb):
    assert load_kb() is kb
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.roles = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        kb.steps["x"] = None  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.step("pre_sop").leads = frozenset()  # type: ignore[misc]


def test_tables(kb):
    table = kb.membership_table()
    assert table.shape == (9, 5)
    assert table.loc["Executive sponsor", "Executive S&OP meeting"] == "chairs"
    assert table.loc["S&OP process owner", "Demand review"] == "facilitates"
    assert len(kb.ownership_table()) == len(kb.artefact_ids())


# ------------------------------------------------------------------ broken data


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_copy_of_the_data_loads(data_copy):
    assert load_kb(data_copy).step_ids() == STEPS


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("steps.toml", 'leads = ["sales", "marketing"]', 'leads = ["sails", "marketing"]',
         r"steps.toml: step 'demand_review': leads: unknown role 'sails'"),
        ("steps.toml", 'key_output = "demand_plan"\n', "",
         r"steps.toml: step 'demand_review': missing field 'key_output'"),
        ("steps.toml", 'leads = ["executive_sponsor"]', "leads = []",
         r"step 'executive_sop': lead_verb is only for a step with leads"),
        ("steps.toml", 'named_roles = ["operations", "supply_chain", "process_owner"]',
         'named_roles = ["operations", "process_owner"]',
         r"step 'supply_review': leads \['supply_chain'\] missing from named_roles"),
        ("steps.toml", 'outputs = ["supply_plan"]', 'outputs = ["supply_plan", "material_plan"]',
         r"step 'supply_review': outputs: 'material_plan' is a company practice document"),
        ("artefacts.toml", 'owners = ["process_owner"]', "owners = []",
         r"artefact 'data_baseline': a document that is not a plan needs at least one owner"),
        ("sources.toml", 'id = "role.finance"', 'id = "Role Finance"', r"sources.toml: section 'Role Finance'"),
        ("steps.toml", 'inputs = ["demand_plan", "data_baseline"]', 'inputs = ["demand_plan", "forecast"]',
         r"step 'supply_review': inputs: unknown artefact 'forecast'"),
        ("artefacts.toml", 'owners = ["operations"]', 'owners = ["plant"]',
         r"artefacts.toml: artefact 'supply_plan': owners: unknown role 'plant'"),
        ("roles.toml", 'id = "marketing"', 'id = "sales"', r"roles.toml: role 'sales': duplicate id"),
        ("roles.toml", 'name = "Finance"', 'name = "Finance"\ncolour = "red"',
         r"role 'finance': unknown field\(s\) colour"),
        ("guidance.toml", "number = 2\n", "number = 7\n", r"guidance.toml: tip numbers"),
        ("steps.toml", "order = 3", "order = 4", r"step 'supply_review': order is 4"),
    ],
)
def test_broken_data_names_file_entry_and_problem(data_copy, file, old, new, message):
    _edit(data_copy / file, old, new)
    with pytest.raises(KnowledgeError, match=message):
        load_kb(data_copy)


def test_invalid_toml_and_missing_file(data_copy):
    (data_copy / "roles.toml").write_text("[[role]\nid = ")
    with pytest.raises(KnowledgeError, match="roles.toml: not valid TOML"):
        load_kb(data_copy)
    (data_copy / "roles.toml").unlink()
    with pytest.raises(KnowledgeError, match="roles.toml: file not found"):
        load_kb(data_copy)


def test_reference_sections(kb):
    ids = kb.section_ids()
    assert len(ids) == len(set(ids)) >= 40
    for role in kb.role_ids():
        assert f"role.{role}" in ids
    for step in kb.step_ids():
        assert f"step.{step}" in ids
    for kind in ("principle", "failure", "tip"):
        for i in kb._ids_of(kind):
            assert f"{kind}.{i}" in ids
    assert kb.section_title("why.agility").startswith("Why roles matter 4")


def test_facts_the_audit_found_missing_are_present(kb):
    text = " ".join([*kb.responsibilities("process_owner"), kb.role("process_owner").examples,
                     kb.role("process_owner").description]).lower()
    for phrase in ("integrity", "continuous improvement", "day to day", "reports to operations, supply chain or finance"):
        assert phrase in text.replace("reporting to", "reports to"), phrase
    assert "concept:organizational_agility" in kb.topics()
    assert "agreed" in kb.description("concept:collaboration_requirements")
    assert "approve" in kb.role("executive_sponsor").description
    hr = " ".join([kb.role("human_resources").description, kb.mission("human_resources")]).lower()
    assert "supports workforce planning" in hr and "owns" not in hr
