"""check(): right, wrong, unanswered and invalid answers for every exercise question."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sop_sim.calendar import month_label
from sop_sim.exercises import EXERCISES, QUESTIONS, check, exercise_table, struggling
from sop_sim.exercises import expected as E
from sop_sim.exercises.registry import MAX_MINUTES, MIN_MINUTES
from sop_sim.knowledge import load_kb

PLAIN = [qid for qid, q in QUESTIONS.items() if q.kind != "scenario"]


def _want(qid: str):
    q = QUESTIONS[qid]
    return q.answer if q.answer is not None else E.EXPECTED[qid]()


def _right(qid: str):
    want, kind = _want(qid), QUESTIONS[qid].kind
    if kind == "set":
        return sorted(want)
    if kind == "choice" and isinstance(want, frozenset):
        return sorted(want)[0]
    if kind == "sequence":
        return list(want)
    return want


def _wrong(qid: str):
    q, want = QUESTIONS[qid], _want(qid)
    if q.kind == "number":
        return want + 10 * q.tolerance * (abs(want) if q.tolerance_kind == "rel" else 1) + 1e-9
    if q.kind in ("integer", "month"):
        return want + 1
    if q.kind == "choice":
        accepted = want if isinstance(want, frozenset) else {want}
        allowed = q.choices or load_kb().step_ids()
        return next(c for c in allowed if c not in accepted)
    if q.kind == "set":
        universe = {"roles": load_kb().role_ids(), "artefacts": load_kb().artefact_ids()}[q.universe]
        return sorted(set(want) ^ {universe[0]})
    if q.kind == "sequence":
        return list(reversed(want))
    keys = list(want)
    return {**want, keys[0]: want[keys[1]], keys[1]: want[keys[0]]}


def test_registry_is_complete():
    assert len(EXERCISES) >= 10, f"expected at least 10 exercises, found {len(EXERCISES)}"
    for e in EXERCISES.values():
        assert MIN_MINUTES <= e.minutes <= MAX_MINUTES, f"{e.id}: minutes {e.minutes} outside 15-30"
        assert e.objective and e.exam_topic and e.questions, f"{e.id}: objective, exam topic and questions required"
    for qid, q in QUESTIONS.items():
        has_source = q.answer is not None or qid in E.EXPECTED or q.kind == "scenario"
        assert has_source, f"{qid}: no fixed answer and no expected-value function"
        assert not (q.answer is not None and qid in E.EXPECTED), f"{qid}: answer defined twice"
    assert set(E.EXPECTED) <= set(QUESTIONS), f"expected values for unknown questions: {set(E.EXPECTED) - set(QUESTIONS)}"
    table = exercise_table()
    assert list(table.index) == list(EXERCISES), "exercise_table() should list every exercise in order"


@pytest.mark.parametrize("qid", PLAIN)
def test_right_answer_is_correct(qid):
    fb = check(qid, _right(qid))
    assert fb.status == "correct", f"{qid}: the expected answer should pass, got: {fb}"
    assert bool(fb), f"{qid}: correct feedback should be truthy"


@pytest.mark.parametrize("qid", PLAIN)
def test_wrong_answer_gets_a_hint_without_the_answer(qid):
    wrong = _wrong(qid)
    fb = check(qid, wrong)
    assert fb.status == "wrong", f"{qid}: {wrong!r} should be judged wrong, got: {fb}"
    assert "Hint:" in fb.message, f"{qid}: wrong feedback should carry a hint: {fb}"
    want = _want(qid)
    detail = fb.message.split("Hint:")[0]  # the hint itself is fixed text from the registry
    if QUESTIONS[qid].kind in ("number", "integer"):
        assert f"{want:g}" not in detail and f"{want:,.0f}" not in detail, f"{qid}: feedback leaks the answer"
    if QUESTIONS[qid].kind == "month":
        assert month_label(want) not in detail, f"{qid}: feedback leaks the answer"
    if QUESTIONS[qid].kind == "choice" and isinstance(want, str):
        assert repr(want) not in detail, f"{qid}: feedback leaks the answer"


@pytest.mark.parametrize("qid", list(QUESTIONS))
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_reports_not_answered_yet(qid, placeholder):
    fb = check(qid, placeholder)
    assert fb.status == "unanswered", f"{qid}: {placeholder!r} should be 'not answered yet', got {fb}"
    assert "not answered yet" in str(fb).lower(), f"{qid}: the text should say not answered yet: {fb}"


@pytest.mark.parametrize("qid", list(QUESTIONS))
def test_wrong_type_gives_a_friendly_message(qid):
    fb = check(qid, object())
    assert fb.status == "invalid", f"{qid}: an object() answer should be invalid, got {fb}"
    assert "Traceback" not in fb.message and fb.message, f"{qid}: expected a one-line message, got {fb}"


def test_unknown_question_is_a_friendly_message():
    fb = check("no_such.question", 1)
    assert fb.status == "invalid" and "no_such.question" in fb.message, f"expected a message naming the id: {fb}"


def test_number_normalisation():
    want = _want("fva.statistical_wape")
    assert check("fva.statistical_wape", np.float64(want)).status == "correct", "numpy floats should be accepted"
    assert check("fva.statistical_wape", pd.Series([want])).status == "correct", "a one-value Series should be read"
    pct = check("fva.statistical_wape", want * 100)
    assert pct.status == "wrong" and "percentage" in pct.message, f"a percentage should get a percentage hint: {pct}"
    assert check("fva.statistical_wape", "0.1").status == "invalid", "text should be invalid, not a crash"
    assert check("fva.statistical_wape", True).status == "invalid", "a bool is not a number"
    assert check("fva.statistical_wape", [1, 2]).status == "invalid", "a list is not one number"
    assert check("predict_skip.service_month", 2.5).status == "invalid", "a month must be a whole number"
    month = _want("predict_skip.service_month")
    assert check("predict_skip.service_month", float(month)).status == "correct", "3.0 counts as 3"


def test_sets_accept_names_and_reject_unknown_ids():
    assert check("raci.demand_plan", ["Sales", "marketing"]).status == "correct", "display names should map to ids"
    assert check("raci.supply_plan", "operations").status == "correct", "a single id is a one-element set"
    bad = check("raci.supply_plan", ["ops"])
    assert bad.status == "invalid" and "operations" in bad.message, f"unknown ids should list allowed ids: {bad}"
    assert check("raci.process_owner_plans", []).status == "correct", "an empty list is a valid answer"


def test_sequence_and_mapping_feedback():
    order = list(load_kb().step_ids())
    assert check("five_steps.order", set(order)).status == "invalid", "a set has no order"
    partial = check("five_steps.order", order[:2] + order[:1:-1])
    assert partial.status == "wrong" and "first 2" in partial.message, f"expected a count of leading matches: {partial}"
    assert check("five_steps.key_outputs", ["demand_plan"]).status == "invalid", "a list is not a mapping"
    missing = check("five_steps.key_outputs", {"demand_review": "demand_plan"})
    assert missing.status == "wrong" and "missing" in missing.message, f"missing keys should be named: {missing}"


def test_remedy_design_is_judged_by_replications():
    start = struggling()
    assert check("remedy.design", replace(start, name="remedy", silos=False, data_quality=1.0)), \
        "fixing silos and data quality should recover service at lower cost"
    same = check("remedy.design", start)
    assert same.status == "wrong", f"the unchanged struggling scenario should not pass: {same}"
    too_many = check("remedy.design", replace(start, silos=False, data_quality=1.0, bias={"sales": 0.08}))
    assert too_many.status == "wrong" and "budget" in too_many.message, f"three changes exceed the budget: {too_many}"
    weak = check("remedy.design", replace(start, bias={"sales": 0.08}))
    assert weak.status == "wrong" and "fill rate" in weak.message, f"fixing only the bias should fail on service: {weak}"
    assert check("remedy.design", {"silos": False}).status == "invalid", "a dict is not a Scenario"


@pytest.mark.parametrize("qid", [q for q, v in QUESTIONS.items() if v.kind == "month"])
def test_a_month_is_answered_as_a_calendar_month_or_the_frames_number(qid):
    want = _want(qid)
    for answer in (month_label(want), month_label(want).lower(), month_label(want, long=True), want):
        assert check(qid, answer).status == "correct", f"{qid}: {answer!r} names the right month"
    later = check(qid, month_label(want + 1))
    assert later.status == "wrong" and "too late" in later.message, f"{qid}: a later month should say so: {later}"
    assert check(qid, "Smarch Y1").status == "invalid", f"{qid}: an unknown month name should be invalid"


@pytest.mark.parametrize(("qid", "label"), [("predict_skip.first_kpi", "Inventory value"),
                                            ("fva.worst_step", "Sales input"),
                                            ("constrained.unconstrained_version", "Consensus demand plan"),
                                            ("five_steps.decides", "Executive S&OP meeting")])
def test_a_choice_may_be_named_as_the_tables_show_it(qid, label):
    fb = check(qid, label)
    assert fb.status in ("correct", "wrong"), f"{qid}: the label {label!r} the tables show should be understood: {fb}"
