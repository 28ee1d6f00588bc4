"""Each meeting run alone on a prepared state: what it writes and what its minutes say (as codes)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import sop_sim
from sop_sim.cycle import Issue, MonthState, Plan
from sop_sim.model import SOPModel
from sop_sim.roles import DeferringExecutive


def _model(**levers) -> SOPModel:
    sc = replace(sop_sim.PRESETS["baseline"], **levers) if levers else sop_sim.PRESETS["baseline"]
    return SOPModel(sc, seed=3)


def _hold(model: SOPModel, step: str, month: int = 0) -> dict:
    """Run one meeting to its end (agents answer at once) and return its minutes row."""
    if model.cycle.state is None or model.cycle.state.month != month:
        model.cycle.state = MonthState(month)
    for _ in model.cycle.meetings[step].run(month):
        raise AssertionError(f"{step} waited for a person although only agents play")
    rows = [m for m in model.recorder.minutes if m["step"] == step and m["month"] == month]
    assert len(rows) == 1, f"{step} should write exactly one minutes row, got {len(rows)}"
    return rows[0]


def test_data_gathering_compiles_the_baseline():
    m = _model()
    row = _hold(m, "data_gathering")
    assert (row["code"], row["held"]) == ("held", True), row
    assert row["decision_codes"] == ("baseline_compiled",), row
    assert m.cycle.baseline is not None and m.cycle.baseline["month"] == 0, "the baseline should be this month's"
    assert m.cycle.baseline["history"].shape == (24, 4), "24 months of recorded history for 4 families"


def test_data_gathering_without_its_lead_is_not_held():
    m = _model(engagement={"process_owner": 0.0})
    row = _hold(m, "data_gathering")
    assert (row["code"], row["cancelled_by"]) == ("not_held_no_lead", ("process_owner",)), row
    assert row["note_codes"] == ("no_baseline",) and m.cycle.baseline is None, row


def test_demand_review_writes_the_consensus_plan_with_the_known_promotion():
    m = _model()
    _hold(m, "data_gathering")
    row = _hold(m, "demand_review")
    st = m.cycle.state
    assert row["code"] == "held" and "promotion_included" in row["decision_codes"], row
    assert st.demand is not None and st.demand.version == "consensus"
    assert st.demand.units.shape == (19, 4) and (st.demand.units >= 0).all(), "H+1 months x families, non-negative"
    j = m.scenario.company.family_ids.index("trimmers")
    assert st.demand.units[3, j] > st.stat.units[3, j] * 1.3, "the month-3 trimmer promotion should lift the plan"
    assert [v for _, v, _, _ in m.recorder.plans] == ["statistical", "sales_input", "consensus"]


def test_demand_review_skipped_leaves_only_the_statistical_forecast():
    m = _model(skip_steps=frozenset({"demand_review"}))
    _hold(m, "data_gathering")
    row = _hold(m, "demand_review")
    assert row["code"] == "skipped" and row["note_codes"] == ("no_consensus_plan",), row
    assert m.cycle.state.demand is None and m.cycle.state.stat is not None


def test_supply_review_raises_a_capacity_issue_for_a_plan_the_plant_cannot_make():
    m = _model()
    _hold(m, "data_gathering")
    _hold(m, "demand_review")
    st = m.cycle.state
    st.demand = Plan("consensus", 0, 0, st.demand.units * 3.0)  # prepared: three times the demand
    row = _hold(m, "supply_review")
    kinds = [i.kind for i in st.issues]
    assert "capacity" in kinds, f"a tripled demand plan must raise a capacity issue, got {kinds}"
    assert set(row["escalations"]) == {i.id for i in st.issues}, row
    assert "material_ordered" in row["decision_codes"] and st.supply_plan is not None, row


def _issue(m: SOPModel, **kw) -> Issue:
    base = {"options": [("approve", "Approve the overtime", 0.0)], "recommendation": "approve"}
    return m.cycle.new_issue("overtime", 0, "supply_review", "approve 100 overtime hours", **{**base, **kw})


def test_pre_sop_escalates_prepared_issues_and_settles_the_rest():
    m = _model()
    _hold(m, "data_gathering")
    _hold(m, "demand_review")
    st = m.cycle.state
    up, down = _issue(m, needs_executive=True), _issue(m, needs_executive=False)
    st.issues = [up, down]
    row = _hold(m, "pre_sop")
    assert row["code"] == "held" and up.id in row["escalations"] and down.id not in row["escalations"], row
    assert up.prepared and up in m.cycle.open_issues, "finance was there: the escalation goes up prepared"
    assert down.status == "resolved" and "settled" in row["decision_codes"], row
    assert st.recommended is not None, "the pre-S&OP puts a recommended plan to the executives"


def test_pre_sop_without_the_process_owner_sends_issues_up_raw():
    m = _model(engagement={"process_owner": 0.0})
    m.cycle.state = MonthState(0)
    iss = _issue(m)
    m.cycle.state.issues = [iss]
    row = _hold(m, "pre_sop")
    assert (row["code"], row["note_codes"]) == ("not_held_no_lead", ("raw_issues",)), row
    assert not iss.prepared and iss.recommendation is None and iss in m.cycle.open_issues


def _exec_ready(m: SOPModel) -> Issue:
    m.cycle.state = st = MonthState(0)
    st.stat = Plan("statistical", 0, 0, np.full((19, 4), 100.0))
    st.supply_plan = st.recommended = Plan("supply", 0, 1, np.full((18, 4), 100.0), label="supply plan of month 0")
    iss = _issue(m, prepared=True)
    m.cycle.open_issues.append(iss)
    return iss


def test_executive_sop_decides_and_authorizes():
    m = _model()
    iss = _exec_ready(m)
    row = _hold(m, "executive_sop")
    assert iss.status == "decided" and iss.choice == "approve", iss
    assert row["decision_codes"] == ("decided", "authorized"), row
    assert m.cycle.authorized is not None and m.cycle.authorized.made_in == 0 and m.cycle.authorized.first == 1


def test_executive_sop_with_an_executive_who_never_decides():
    m = SOPModel(sop_sim.PRESETS["baseline"], seed=3, policies={"executive_sponsor": DeferringExecutive()})
    iss = _exec_ready(m)
    row = _hold(m, "executive_sop")
    assert iss.status == "open" and row["note_codes"] == ("deferred",), row


@pytest.mark.parametrize("step", sop_sim.STEP_IDS)
def test_every_meeting_documents_what_it_reads_writes_and_who_leads(step):
    import importlib

    doc = importlib.import_module(f"sop_sim.cycle.{step}").__doc__ or ""
    for word in ("Covers:", "Reads:", "Writes:", "Lead"):
        assert word in doc, f"sop_sim.cycle.{step} docstring should say {word!r}"


@pytest.mark.parametrize("preset", sorted(sop_sim.PRESETS))
def test_every_code_in_the_minutes_is_documented(preset):
    from sop_sim.records import MINUTE_CODES

    m = sop_sim.run(preset, seed=2, months=12).minutes
    used = set(m["code"]) | {c for col in ("decision_codes", "note_codes") for cs in m[col] for c in cs}
    assert used <= set(MINUTE_CODES), f"codes without a meaning in MINUTE_CODES: {sorted(used - set(MINUTE_CODES))}"
    for row in m.itertuples(index=False):
        assert len(row.notes) == len(row.note_codes) == len(row.note_roles), row
        assert len(row.decisions) == len(row.decision_codes), row
        assert row.held == (row.code == "held"), row
