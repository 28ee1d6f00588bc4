"""Role cards: one Markdown and one self-contained HTML card per role, from kb."""

from __future__ import annotations

import re

import pytest

from sop_sim.cli import main
from sop_sim.errors import KnowledgeError
from sop_sim.knowledge import load_kb
from sop_sim.quiz.cards import build_card, to_html, to_markdown, write_cards


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_one_markdown_and_one_html_per_role(tmp_path, kb):
    written = write_cards(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted([f"{r}.md" for r in kb.role_ids()] + [f"{r}.html" for r in kb.role_ids()])
    for role in kb.role_ids():
        md = (tmp_path / f"{role}.md").read_text()
        assert md.startswith(f"# {kb.name(role)}")
        assert kb.mission(role) in md
        for step in kb.steps_attended_by(role):
            assert kb.name(step) in md, f"{role} card misses {step}"
        for conflict in kb.conflicts(role):
            assert conflict in md


def test_html_is_self_contained_and_printable(tmp_path, kb):
    write_cards(tmp_path, roles=["finance"])
    page = (tmp_path / "finance.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "@media print" in page
    assert not re.search(r"(src|href)\s*=", page), "no external resources"
    assert "S&amp;OP" in page or "S&OP" not in page, "text is HTML-escaped"


def test_card_content_comes_from_kb(kb):
    sponsor = build_card(kb, "executive_sponsor")
    assert [(m.step, m.part) for m in sponsor.meetings] == [("Executive S&OP meeting", "chairs")]
    assert sponsor.approves == ("Authorized operating plan",)
    po = build_card(kb, "process_owner")
    assert {m.part for m in po.meetings} >= {"facilitates"}
    assert "Consensus demand plan" not in po.owns
    ops = to_markdown(build_card(kb, "operations"))
    assert "| Supply review | ~10 | leads |" in ops
    assert "Supply plan" in ops
    hr = to_html(build_card(kb, "human_resources"))
    assert "Workforce plan" in hr


def test_cli_cards(tmp_path, capsys):
    assert main(["cards", "--out", str(tmp_path / "cards")]) == 0
    assert "9 role cards" in capsys.readouterr().out
    assert len(list((tmp_path / "cards").iterdir())) == 18
    assert main(["cards", "--out", str(tmp_path / "one"), "--role", "sales"]) == 0
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["sales.html", "sales.md"]


def test_unknown_role(tmp_path, capsys):
    with pytest.raises(KnowledgeError, match="valid roles: executive_sponsor"):
        write_cards(tmp_path, roles=["ceo"])
    assert main(["cards", "--out", str(tmp_path), "--role", "ceo"]) == 2
    assert "unknown role 'ceo'" in capsys.readouterr().err
