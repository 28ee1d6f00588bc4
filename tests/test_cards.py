"""Role cards: one Markdown and one self-contained HTML card per role, from kb."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sop_sim.cli import main
from sop_sim.errors import KnowledgeError
from sop_sim.knowledge import load_kb
from sop_sim.quiz.cards import build_card, to_markdown, write_cards


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
    assert sponsor.owns == (), "the sponsor approves the integrated plan; the functions own it"
    po = build_card(kb, "process_owner")
    assert [m.part for m in po.meetings] == ["runs it"] + ["facilitates"] * 4, "no invented pre-S&OP lead"
    assert "Consensus demand plan" not in po.owns
    ops = to_markdown(build_card(kb, "operations"))
    assert "| Supply review | leads |" in ops and "| Supply review | ~10 | leads |" in ops
    assert "Authorized operating plan (together with the other functions)" in ops
    sc = build_card(kb, "supply_chain")
    assert "Material plan" not in sc.owns and "Material plan" not in sc.outputs
    assert sc.company_documents == ("Material plan",)
    hr = build_card(kb, "human_resources")
    assert hr.meetings == () and hr.owns == () and [m.part for m in hr.calendar] == ["invited"] * 3
    assert "Workforce plan" not in " ".join(hr.owns + hr.outputs + hr.responsibilities)


def test_company_calendar_is_labelled_as_practice(tmp_path, kb):
    write_cards(tmp_path)
    for role in kb.role_ids():
        md = (tmp_path / f"{role}.md").read_text()
        doctrine, _, practice = md.partition("meeting calendar (company practice)")
        assert practice, role
        assert "Day of month" not in doctrine and "Day of month" in practice, "days only in the company part"
        assert "not S&OP doctrine" in practice
        assert "Tensions to play (classroom material, not from the reference)" in doctrine
        page = (tmp_path / f"{role}.html").read_text()
        assert '<div class="practice">' in page and "not S&amp;OP doctrine" in page


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


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (make test installs it)")
def test_every_card_prints_on_one_page_of_a4_and_letter(tmp_path, kb):
    sync_api = pytest.importorskip("playwright.sync_api")
    write_cards(tmp_path)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            for role in kb.role_ids():
                page.goto((tmp_path / f"{role}.html").as_uri())
                for paper in ("A4", "Letter"):
                    pdf = page.pdf(format=paper, print_background=False)
                    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
                    assert pages == 1, f"{role} card prints on {pages} {paper} pages"
        finally:
            browser.close()
