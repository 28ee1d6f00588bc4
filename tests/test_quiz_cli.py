"""`sop-sim quiz` driven through stdin, as when piped."""

from __future__ import annotations

import io
import json
import string
import textwrap

import pytest

from sop_sim.cli import main
from sop_sim.errors import AnswerError
from sop_sim.quiz import Quiz, load_bank, present
from sop_sim.quiz.terminal import parse_typed


def _typed(p, response) -> str:
    """What a learner would type for an engine response."""
    if p.kind == "true_false":
        return "t" if response else "f"
    if p.kind == "single_choice":
        return str(response + 1)
    if p.kind == "matching":
        return " ".join(string.ascii_lowercase[i] for i in response)
    return " ".join(str(i + 1) for i in response)


def _wrong(p):
    right = p.correct_response()
    if p.kind == "true_false":
        return not right
    if p.kind == "single_choice":
        return (right + 1) % len(p.options)
    if p.kind == "multi_select":
        return [i for i in range(len(p.options)) if i not in right][:1]
    return list(reversed(right)) if p.kind == "ordering" else [(r + 1) % len(p.options) for r in right]


def _run(monkeypatch, capsys, argv, stdin_text):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin_text))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_piped_quiz_all_correct(monkeypatch, capsys, tmp_path):
    path = tmp_path / "progress.json"
    expected = Quiz.draw(n=4, seed=11)  # same seed, same questions and shuffles
    answers = "".join(_typed(p, p.correct_response()) + "\n" for p in expected.items)
    code, out, _ = _run(monkeypatch, capsys, ["quiz", "--n", "4", "--seed", "11", "--progress", str(path)], answers)
    assert code == 0
    assert out.count("Correct!") == 4
    assert "Score: 4 out of 4 answered (100%)" in out
    assert f"Progress saved to {path}" in out
    assert len(json.loads(path.read_text())["attempts"]) == 4


def test_invalid_input_reprompts_with_one_line(monkeypatch, capsys, tmp_path):
    path = tmp_path / "p.json"
    first = Quiz.draw(topic="role:finance", n=1, seed=3).items[0]
    answers = f"banana\n99\n\n{_typed(first, first.correct_response())}\n"
    code, out, _ = _run(monkeypatch, capsys,
                        ["quiz", "--topic", "role:finance", "--n", "1", "--seed", "3", "--progress", str(path)],
                        answers)
    assert code == 0
    hints = [line for line in out.splitlines() if "! " in line]
    assert len(hints) == 2, out
    assert "Correct!" in out
    assert len(json.loads(path.read_text())["attempts"]) == 1, "typos record nothing"


def test_eof_and_quit_end_cleanly(monkeypatch, capsys, tmp_path):
    path = tmp_path / "p.json"
    code, out, err = _run(monkeypatch, capsys, ["quiz", "--n", "3", "--progress", str(path)], "")
    assert code == 0 and "Stopped early." in out and err == ""
    assert not path.exists(), "nothing answered, nothing written"
    code, out, _ = _run(monkeypatch, capsys, ["quiz", "--n", "3", "--seed", "1", "--progress", str(path)], "s\nq\n")
    assert code == 0 and "Stopped early." in out and "Score: 0 out of 0" in out


def test_review_mode_and_csv(monkeypatch, capsys, tmp_path):
    path, csv = tmp_path / "p.json", tmp_path / "mastery.csv"
    first = Quiz.draw(n=2, seed=5)
    wrong_then_right = []
    for i, p in enumerate(first.items):
        r = p.correct_response()
        if i == 0:  # answer the first one wrongly
            r = _wrong(p)
        wrong_then_right.append(_typed(p, r))
    _run(monkeypatch, capsys, ["quiz", "--n", "2", "--seed", "5", "--progress", str(path)],
         "\n".join(wrong_then_right) + "\n")
    code, out, _ = _run(monkeypatch, capsys,
                        ["quiz", "--review", "--n", "1", "--progress", str(path), "--csv", str(csv)], "q\n")
    assert code == 0
    assert textwrap.wrap(first.items[0].prompt, 78)[0] in out, "the missed question comes back first"
    assert csv.read_text().startswith("topic,attempts,correct")


def test_bad_input_exits_2_with_one_line(monkeypatch, capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    code, _, err = _run(monkeypatch, capsys, ["quiz", "--progress", str(bad)], "")
    assert code == 2 and err.count("\n") == 1 and "left unchanged" in err
    assert bad.read_text() == "{oops"
    code, _, err = _run(monkeypatch, capsys, ["quiz", "--topic", "role:ceo", "--no-save"], "")
    assert code == 2 and "unknown topic 'role:ceo'" in err
    with pytest.raises(SystemExit) as exc:
        main(["quiz", "--n", "0"])
    assert exc.value.code == 2


def test_list_topics(monkeypatch, capsys):
    code, out, _ = _run(monkeypatch, capsys, ["quiz", "--list-topics"], "")
    assert code == 0 and "role:finance" in out and "scenario" in out


def test_default_progress_path_honours_env(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("SOP_SIM_QUIZ_PROGRESS", str(tmp_path / "env.json"))
    p = Quiz.draw(n=1, seed=8).items[0]
    code, out, _ = _run(monkeypatch, capsys, ["quiz", "--n", "1", "--seed", "8"],
                        _typed(p, p.correct_response()) + "\n")
    assert code == 0 and (tmp_path / "env.json").exists()


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("role-hr-some-orgs", "F", False),
        ("role-hr-some-orgs", "yes", True),
        ("role-exec-typical-title", " 2 ", 1),
        ("role-sc-duties", "1, 3", (0, 2)),
        ("role-sc-duties", "3 1", (0, 2)),
        ("kb-order-steps", "5 4 3 2 1", (4, 3, 2, 1, 0)),
        ("step-match-outputs", "edcba", (4, 3, 2, 1, 0)),
        ("step-match-outputs", "e d c b a", (4, 3, 2, 1, 0)),
    ],
)
def test_parse_typed(qid, text, expected):
    assert parse_typed(present(load_bank()[qid], 0), text) == expected


@pytest.mark.parametrize(
    ("qid", "text", "hint"),
    [
        ("role-hr-some-orgs", "maybe", "t for true"),
        ("role-exec-typical-title", "1 2", "exactly one"),
        ("role-exec-typical-title", "7", "from 1 to 4"),
        ("role-exec-typical-title", "0", "from 1 to 4"),
        ("role-sc-duties", "one", "numbers from 1 to 5"),
        ("kb-order-steps", "1 2 3", "exactly once"),
        ("step-match-outputs", "abz", "letters a to e"),
        ("step-match-outputs", "ab", "one match for each"),
    ],
)
def test_parse_typed_rejects(qid, text, hint):
    with pytest.raises(AnswerError, match=hint):
        parse_typed(present(load_bank()[qid], 0), text)
