"""The question bank: size, coverage, agreement with the knowledge base, validation."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from sop_sim.errors import KnowledgeError
from sop_sim.knowledge import load_kb
from sop_sim.quiz import KINDS, load_bank
from sop_sim.quiz.bank import DATA_DIR
from sop_sim.quiz.checks import Check, verify
from sop_sim.quiz.grading import grade, present

MINIMUM = {"role": 5, "step": 5, "principle": 3, "failure": 2, "tip": 3}


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_size_and_kinds(bank):
    written = [q for q in bank if q.source != "kb"]
    assert len(written) >= 150, f"expected >= 150 questions in the TOML files, found {len(written)}"
    assert len(bank) > len(written), "questions generated from kb are included by default"
    assert set(Counter(q.kind for q in bank)) == set(KINDS), "every question kind is used"
    assert len(set(bank.ids())) == len(bank)


def test_coverage_of_every_topic(bank, kb):
    counts = bank.topic_counts()
    short = []
    for kind, minimum in MINIMUM.items():
        ids = {"role": kb.role_ids(), "step": kb.step_ids(), "principle": kb.principle_ids(),
               "failure": kb.failure_ids(), "tip": kb.tip_ids()}[kind]
        short += [f"{kind}:{i} has {counts[f'{kind}:{i}']} < {minimum}" for i in ids
                  if counts[f"{kind}:{i}"] < minimum]
    assert not short, "topics below the coverage minimum: " + "; ".join(short)
    for concept in kb.concept_ids():
        assert counts[f"concept:{concept}"] >= 1, f"concept:{concept} is never tested"


def test_enough_scenarios(bank):
    scenarios = [q for q in bank if q.scenario]
    assert len(scenarios) >= 20, f"expected >= 20 scenario questions, found {len(scenarios)}"


def test_bank_never_contradicts_kb(bank, kb):
    assert verify(bank, kb) == []


def test_fact_questions_carry_checks(bank):
    generated = [q for q in bank if q.source == "kb"]
    assert len(generated) >= 15
    assert all(q.checks for q in generated)
    assert sum(bool(q.checks) for q in bank) >= 60, "ownership/leadership/order facts should be checked"


def test_verify_reports_a_contradiction(bank, kb):
    q = bank["role-sc-material"]
    wrong = type(q)(**{**q.__dict__, "checks": (Check("owners", "material_plan", "expect", ("operations",)),)})
    problems = verify([wrong], kb)
    assert len(problems) == 1 and "role-sc-material" in problems[0] and "supply_chain" in problems[0]


def test_every_question_has_a_full_credit_answer(bank):
    for q in bank:
        p = present(q, seed=0)
        marking = grade(p, p.correct_response())
        assert marking.correct and marking.score == 1.0, q.id
        assert q.explanation and len(q.explanation) > 20, q.id


def test_no_position_dependent_options(bank):
    """Options are shuffled, so 'all of the above' style options would break."""
    for q in bank:
        for text in q.options + q.right:
            assert "of the above" not in text.lower(), q.id


def test_generated_questions_follow_kb(bank, kb):
    assert bank["kb-order-steps"].options == tuple(kb.name(s) for s in kb.step_ids())
    q = bank["kb-leads-demand_review"]
    assert q.kind == "multi_select"
    assert {q.options[i] for i in q.answer} == {kb.name("sales"), kb.name("marketing")}
    q = bank["kb-output-pre_sop"]
    assert q.options[q.answer] == kb.name("recommended_plan")


# ------------------------------------------------------------------ malformed banks

GOOD = '''
[[question]]
id = "t-one"
kind = "single_choice"
difficulty = 1
topics = ["role:sales"]
prompt = "Who owns the demand plan?"
options = ["Sales and marketing", "Operations"]
answer = 0
explanation = "Sales and marketing own it."
'''


def _bank_dir(tmp_path: Path, text: str) -> Path:
    (tmp_path / "qs.toml").write_text(text)
    return tmp_path


def test_a_minimal_bank_loads(tmp_path):
    bank = load_bank(_bank_dir(tmp_path, GOOD), generated=False)
    assert bank.ids() == ("t-one",)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("answer = 0", "answer = 5", r"qs.toml: question 't-one': answer 5 is not an option index"),
        ('kind = "single_choice"', 'kind = "essay"', r"question 't-one': kind 'essay'"),
        ('topics = ["role:sales"]', 'topics = ["role:ceo"]', r"question 't-one': unknown topic 'role:ceo'"),
        ("difficulty = 1", "difficulty = 9", r"question 't-one': difficulty"),
        ('explanation = "Sales and marketing own it."\n', "", r"question 't-one': missing field 'explanation'"),
        ("answer = 0", "answer = 0\nhint = 'x'", r"question 't-one': unknown field\(s\) hint"),
        ("answer = 0", 'answer = 0\nchecks = [{relation = "bosses", subject = "demand_plan", expect = []}]',
         r"question 't-one': checks: unknown relation 'bosses'"),
        ("answer = 0", 'answer = 0\nchecks = [{relation = "owners", subject = "forecast", expect = []}]',
         r"question 't-one': checks: owners: unknown artefact id 'forecast'"),
        ('own it."\n', "own it.\"\n[question.why_wrong]\n0 = 'it is right'\n",
         r"question 't-one': why_wrong 0 explains an option that is right"),
        ('options = ["Sales and marketing", "Operations"]', 'options = ["Same", "Same"]',
         r"question 't-one': options has duplicate entries"),
    ],
)
def test_malformed_question_names_file_and_id(tmp_path, old, new, message):
    assert old in GOOD
    with pytest.raises(KnowledgeError, match=message):
        load_bank(_bank_dir(tmp_path, GOOD.replace(old, new, 1)), generated=False)


def test_duplicate_ids_across_files(tmp_path):
    (tmp_path / "a.toml").write_text(GOOD)
    (tmp_path / "b.toml").write_text(GOOD)
    with pytest.raises(KnowledgeError, match=r"b.toml: question 't-one': duplicate id \(also in a.toml\)"):
        load_bank(tmp_path, generated=False)


def test_invalid_toml_names_the_file(tmp_path):
    with pytest.raises(KnowledgeError, match="qs.toml: not valid TOML"):
        load_bank(_bank_dir(tmp_path, "[[question]\n"), generated=False)


def test_shipped_files_load_from_a_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    assert len(load_bank(target)) == len(load_bank())
