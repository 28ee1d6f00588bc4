"""The question bank: size, coverage, agreement with the knowledge base, validation."""

from __future__ import annotations

import re
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
    written = [q for q in bank if q.file != "kb"]
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
    generated = [q for q in bank if q.file == "kb"]
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
source = ["tip.owns_what"]
options = ["Sales and marketing", "Operations"]
answer = 0
explanation = "Sales and marketing own it."

[question.why_wrong]
1 = "Operations owns the supply plan."
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
        ('1 = "Operations owns the supply plan."', "0 = 'it is right'",
         r"question 't-one': why_wrong 0 explains an option that is right"),
        ('1 = "Operations owns the supply plan."', "",
         r"question 't-one': why_wrong missing for wrong option\(s\) 1: every wrong option needs"),
        ('source = ["tip.owns_what"]', 'source = ["tip.who_owns"]',
         r"question 't-one': source: unknown reference section 'tip.who_owns'; valid: overview.roles"),
        ('source = ["tip.owns_what"]\n', "", r"question 't-one': missing field 'source'"),
        ('source = ["tip.owns_what"]', 'source = "tip.owns_what"', r"question 't-one': field 'source' has the wrong type"),
        ('source = ["tip.owns_what"]', "source = []", r"question 't-one': source needs at least 1"),
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


# ------------------------------------------------------------------ trustworthy keys

def test_every_question_cites_reference_sections(bank, kb):
    sections = set(kb.section_ids())
    for q in bank:
        assert q.source, f"{q.id}: no source"
        assert set(q.source) <= sections, q.id
    # every section of the reference that states a role, step, principle, failure or tip is cited
    cited = {s for q in bank for s in q.source}
    for kind in ("role", "step", "principle", "failure", "tip"):
        missing = [s for s in sections if s.startswith(kind + ".") and s not in cited]
        assert not missing, f"reference sections never cited: {missing}"


def test_every_wrong_option_is_explained(bank):
    for q in bank:
        if q.kind == "single_choice":
            wrong = set(range(len(q.options))) - {q.answer}
        elif q.kind == "multi_select":
            wrong = set(range(len(q.options))) - set(q.answer)
        else:
            continue
        assert set(q.why_wrong) == wrong, f"{q.id}: why_wrong for {sorted(q.why_wrong)}, wrong options {sorted(wrong)}"
        assert all(len(text) > 20 and text.endswith(".") for text in q.why_wrong.values()), q.id


def test_the_key_is_rarely_the_longest_option(bank):
    """A test-wise learner who always picks the longest option must not pass."""
    single = [q for q in bank if q.kind == "single_choice"]
    longest = [q.id for q in single
               if len(q.options[q.answer]) > max(len(o) for i, o in enumerate(q.options) if i != q.answer)]
    assert len(longest) <= len(single) / 3, f"key is the longest option in {len(longest)} of {len(single)}"
    # and never by a wide margin
    for q in single:
        key = len(q.options[q.answer])
        rest = max(len(o) for i, o in enumerate(q.options) if i != q.answer)
        assert key <= 1.5 * rest, f"{q.id}: key {key} characters, longest distractor {rest}"


def test_single_choice_items_have_four_options(bank):
    """The CPIM exam format: four options, one best answer."""
    assert all(len(q.options) == 4 for q in bank if q.kind == "single_choice")


def test_company_practice_is_never_asked(bank, kb):
    """Brightwater's calendar, invitations and own documents are not S&OP doctrine."""
    practice_names = {kb.name(a).lower() for a in kb.artefact_ids() if kb.is_practice(a)}
    for q in bank:
        text = " ".join((q.prompt, *q.options, *q.left, *q.right, q.explanation)).lower()
        assert not any(re.search(rf"\b{re.escape(name)}\b", text) for name in practice_names), q.id
        assert "day of the month" not in text and "around day" not in text, q.id
        assert all(c.relation not in ("participants", "day") for c in q.checks), q.id


def test_removed_flawed_questions_stay_removed(bank):
    for qid in ("kb-owner-material_plan", "kb-owner-workforce_plan", "kb-owner-recommended_plan",
                "kb-owner-authorized_plan", "kb-leads-pre_sop", "kb-match-plan-owners",
                "role-pd-attends", "step-dg-participants", "step-sr-day"):
        assert qid not in bank.ids()
    approve = bank["kb-approver-authorized_plan"]
    assert approve.options[approve.answer] == "Executive sponsor"


# ------------------------------------------------------------------ cues a test-wise learner could use

_STOP = set("""a an the of and or to in on for is are be by with what which who whom does do it its this that
these those at as from s&op into than then their there when where why how most best first likely should would can
could will not no one each other about""".split())
_ABSOLUTE = re.compile(r"\b(always|never|only|all|none|every|nothing|alone|must)\b", re.IGNORECASE)


def _words(text: str) -> set[str]:
    """Content words of a text, cut to five letters so 'supplier' and 'supply' count as one."""
    return {w[:5] for w in re.findall(r"[a-z0-9&]+", text.lower().replace("-", " "))
            if w not in _STOP and len(w) > 2}


def _key_and_distractors(q):
    return q.options[q.answer], [o for i, o in enumerate(q.options) if i != q.answer]


def test_the_key_is_not_the_only_option_that_echoes_the_stem(bank):
    """'What is the key output of the demand review?' must not have 'demand' in the key alone."""
    for q in bank:
        if q.kind != "single_choice":
            continue
        stem = _words(q.prompt)
        key, distractors = _key_and_distractors(q)
        echoed = _words(key) & stem
        if echoed:
            assert any(_words(d) & stem for d in distractors), f"{q.id}: only the key repeats {sorted(echoed)}"


def test_absolute_words_are_not_only_in_distractors(bank):
    """'Only', 'never', 'always'... in two or more distractors but not in the key marks them as wrong."""
    for q in bank:
        if q.kind != "single_choice":
            continue
        key, distractors = _key_and_distractors(q)
        marked = [d for d in distractors if _ABSOLUTE.search(d)]
        assert len(marked) < 2 or _ABSOLUTE.search(key), f"{q.id}: absolute words only in {marked}"


def test_the_key_has_the_same_grammatical_form_as_the_distractors(bank):
    """A key that alone starts differently ('At the top' against 'By ...', 'By ...', 'By ...') stands out."""
    for q in bank:
        if q.kind != "single_choice":
            continue
        key, distractors = _key_and_distractors(q)
        starts = {d.split()[0].lower().strip(":,") for d in distractors}
        assert not (len(starts) == 1 and key.split()[0].lower().strip(":,") not in starts), q.id


def test_no_option_refers_to_the_other_options(bank):
    for q in bank:
        for text in q.options + q.right:
            assert not re.search(r"\b(all|none|both|neither) of (these|them|the options)\b", text, re.I), q.id


def test_exam_items_stand_alone(bank):
    """The exam draws four-option, single-answer items that need neither the kit nor another question."""
    from sop_sim.quiz.exam import exam_pool
    pool = exam_pool(bank)
    assert len(pool) >= 100
    for q in pool:
        assert q.kind == "single_choice" and len(q.options) == 4 and isinstance(q.answer, int), q.id
        text = " ".join((q.prompt, *q.options)).lower()
        assert not re.search(r"brightwater|the kit\b|notebook|simulation|previous question|select all", text), q.id


def test_matching_pairs_are_not_given_away_by_a_shared_word(bank):
    """'Facilitating the process' must not pair with 'S&OP process owner' by the word alone."""
    for q in bank:
        if q.kind != "matching":
            continue
        for i, left in enumerate(q.left):
            others = set().union(*(_words(r) for j, r in enumerate(q.right) if j != i))
            shared = (_words(left) & _words(q.right[i])) - others
            assert not shared, f"{q.id}: '{left}' and '{q.right[i]}' share {sorted(shared)}"


def test_true_false_answers_are_balanced(bank):
    """Always answering 'False' (or 'True') must not pass the true/false items."""
    answers = [q.answer for q in bank if q.kind == "true_false"]
    assert 0.35 <= sum(answers) / len(answers) <= 0.65, f"{sum(answers)} of {len(answers)} are true"
