"""Exercise notebooks: in sync with their solutions, thin, and every worked answer checks right.

The notebooks' code runs here in-process (fast); ``make test`` also runs them in a real
kernel under nbval.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
from pathlib import Path

import nbformat
import pytest

from sop_sim.exercises import EXERCISES, check
from sop_sim.exercises.build import (
    _CHECK,
    ROOT,
    TAG,
    _placeholder,
    build,
    learner_notebook,
    out_of_sync,
    render,
)

os.environ.setdefault("MPLBACKEND", "Agg")
SOLUTIONS = {e.id: ROOT / "solutions" / e.notebook for e in EXERCISES.values()}


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _run(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Execute the code cells in one namespace; question id -> feedback status of each check line."""
    import matplotlib.pyplot as plt

    ns: dict[str, object] = {}
    statuses = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(cell.source, "<cell>", "exec"), ns)
        for m in map(_CHECK.match, cell.source.splitlines()):
            if m:
                statuses[m.group(2)] = check(m.group(2), ns[m.group(3)]).status
    plt.close("all")
    return statuses


def test_exercises_are_in_sync_with_solutions():
    problems = out_of_sync()
    assert not problems, f"exercises/ is out of date, run `make exercises`: {problems}"


def test_build_is_deterministic_and_writes_only_learner_copies(tmp_path):
    (tmp_path / "solutions" / "role_play").mkdir(parents=True)
    src = SOLUTIONS["raci"]
    (tmp_path / "solutions" / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "solutions" / "role_play" / "01_card.ipynb").write_text("{}", encoding="utf-8")
    assert out_of_sync(tmp_path) == [f"exercises/{src.name} is missing"], "a missing copy should be reported"
    assert [p.name for p in build(tmp_path)] == [src.name], "the build should write the one learner copy"
    assert build(tmp_path) == [], "a second build should write nothing"
    assert not (tmp_path / "exercises" / "role_play").exists(), "role_play/ belongs to another tool"
    copy = tmp_path / "exercises" / src.name
    copy.write_text(copy.read_text(encoding="utf-8").replace("check(", "check( "), encoding="utf-8")
    assert out_of_sync(tmp_path) == [f"exercises/{src.name} differs"], "an edited copy should be reported"


def test_placeholder_keeps_the_check_and_drops_the_answer():
    text = _placeholder('x = compute()\ny = 2\ncheck("raci.demand_plan", y)')
    assert text == 'y = ...  # your answer here\ncheck("raci.demand_plan", y)', f"unexpected placeholder: {text!r}"
    assert _placeholder("table = something()") == "# your code here", "a cell without a check becomes a stub"


def test_learner_copy_drops_worked_explanations():
    nb = _read(SOLUTIONS["raci"])
    copy = learner_notebook(nb, "01_raci.ipynb")
    explanations = [c.source for c in nb.cells if c.cell_type == "markdown" and TAG in c.metadata.get("tags", [])]
    assert explanations, "the raci solution should have worked explanations"
    text = render(copy)
    assert all(e not in text for e in explanations), "worked explanations must not reach the learner copy"
    assert 'kb.owners("demand_plan")' not in text, "solution code must not reach the learner copy"


@pytest.mark.parametrize("eid", list(EXERCISES))
def test_notebook_states_objective_topic_time_and_ends_with_what_to_notice(eid):
    e = EXERCISES[eid]
    nb = _read(SOLUTIONS[eid])
    head, last = nb.cells[0].source, nb.cells[-1].source
    for text in (e.title, e.objective, e.exam_topic, f"{e.minutes} minutes"):
        assert text in head, f"{e.notebook}: the first cell should state {text!r}"
    assert last.startswith("## What to notice"), f"{e.notebook}: the last cell should say what to notice"


@pytest.mark.parametrize("eid", list(EXERCISES))
def test_notebooks_are_thin_and_have_no_outputs(eid):
    for nb in (_read(SOLUTIONS[eid]), _read(ROOT / "exercises" / EXERCISES[eid].notebook)):
        assert nb.metadata["kernelspec"]["name"] == "python3", "kernel should be python3"
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            assert not cell.outputs and cell.execution_count is None, f"{eid}: commit notebooks without outputs"
            assert len(cell.source.splitlines()) <= 15, f"{eid}: code cells should be at most 15 lines"
            defs = [n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
            assert not defs, f"{eid}: notebooks must not define functions or classes"


@pytest.mark.parametrize("eid", list(EXERCISES))
def test_every_question_has_one_check_in_its_notebook(eid):
    nb = _read(SOLUTIONS[eid])
    ids = [m.group(2) for c in nb.cells if c.cell_type == "code" for m in map(_CHECK.match, c.source.splitlines()) if m]
    assert sorted(ids) == sorted(EXERCISES[eid].question_ids), f"{eid}: checks {ids} vs registry"
    for c in nb.cells:
        if any(map(_CHECK.match, c.source.splitlines())):
            assert TAG in c.metadata.get("tags", []), f"{eid}: a cell with a check must be tagged {TAG!r}"


@pytest.mark.parametrize("eid", list(EXERCISES))
def test_worked_solution_answers_all_check_right(eid):
    statuses = _run(_read(SOLUTIONS[eid]))
    wrong = {q: s for q, s in statuses.items() if s != "correct"}
    assert not wrong, f"{eid}: the worked solution should pass every check, got {wrong}"


@pytest.mark.parametrize("eid", list(EXERCISES))
def test_learner_copy_runs_and_reports_not_answered_yet(eid):
    statuses = _run(_read(ROOT / "exercises" / EXERCISES[eid].notebook))
    assert set(statuses) == set(EXERCISES[eid].question_ids), f"{eid}: every question should keep its check"
    assert set(statuses.values()) == {"unanswered"}, f"{eid}: placeholders should report not answered yet: {statuses}"
