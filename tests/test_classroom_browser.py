"""Classroom mode end to end in a real browser: one Chromium context per seat plus the facilitator.

A real server process serves a class of two teams (sales, marketing and operations played
by people) on a SQLite file, then on a throw-away PostgreSQL database. The facilitator opens the console, sees every seat arrive
in the lobby and starts the class; each seat plays its decisions through its own page
(once with a bad value first, which must be refused with one line and change nothing).
After every step no page may show a private news item of another role, and the
projector none at all. Screenshots go to ``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from classroom_support import new_database, new_session, pg_cluster  # noqa: F401

from sop_sim import Game
from sop_sim.classroom.bots import free_port, start_server, stop_server, wait_ready

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
HUMANS = ["sales", "marketing", "operations"]
MONTHS = 3
WAIT_MS = 30_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (make test installs it)"),
]


def _private_news() -> list[tuple[str, str]]:
    """(owner role, text) of every private item any role can learn in this game."""
    game = Game("baseline", 0, HUMANS, months=MONTHS)
    return [(d.owner, d.describe()) for d in game.scenario.disturbances if d.known_from < MONTHS]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def classroom(request, tmp_path: Path):
    pg = request.getfixturevalue("pg_cluster") if request.param == "postgresql" else None
    db = new_database(request.param, tmp_path, pg)
    session = new_session(db, teams=2, humans=",".join(HUMANS), months=MONTHS)
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "classroom-server.log", "wb")  # noqa: SIM115 - closed below
    proc = start_server(db, port, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc=proc)
        yield base, session
    finally:
        stop_server(proc)
        log.close()


def _check_privacy(pages: dict[str, object], news: list[tuple[str, str]]) -> int:
    """Assert no seat page shows another role's news (and the projector none); return own items seen."""
    own = 0
    for who, page in pages.items():
        text = page.inner_text("body")  # type: ignore[attr-defined]
        role = who.split(":")[1] if who.startswith("seat:") else None
        for owner, item in news:
            if item in text:
                assert role == owner, f"{who} shows private news of {owner}: {item!r}"
                own += 1
    return own


def test_two_teams_play_three_months_in_the_browser(classroom) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, session = classroom
    news = _private_news()
    assert news, "the scenario should give some role private news"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            fac = browser.new_context().new_page()
            fac.goto(base + session["facilitator"])
            assert fac.locator(".qrcard svg").count() == 6, "one QR code per seat"
            seats = {}
            for s in session["seats"]:
                page = browser.new_context().new_page()  # one context per seat: no shared cookies or storage
                page.goto(base + s["path"])
                page.wait_for_selector("text=The class has not started yet", timeout=WAIT_MS)
                seats[f"seat:{s['role']}:{s['team']}"] = page
            proj = browser.new_context().new_page()
            proj.goto(base + session["projector"])
            fac.wait_for_selector("text=6 of 6 seats opened", timeout=WAIT_MS)  # presence in the lobby
            fac.click("text=Start the class")
            fac.wait_for_selector(".state-running", timeout=WAIT_MS)
            fac.screenshot(path=str(ARTIFACTS / "classroom-console.png"), full_page=True)

            pages = {**seats, "projector": proj, "facilitator-console": fac}
            refused_once = False
            decided = 0
            deadline = time.monotonic() + 240
            own_seen = 0
            while time.monotonic() < deadline:
                acted = False
                for who, page in seats.items():
                    form = page.locator("#decision form")
                    if form.count() == 0:
                        continue
                    acted = True
                    if not refused_once and page.locator("#decision input[type=text]").count():
                        box = page.locator("#decision input[type=text]").first
                        box.fill("not a number")
                        page.click("#decision button[type=submit]")
                        page.wait_for_selector("#form-error:has-text('not answered yet'), "
                                               "#form-error:has-text('not a number')", timeout=WAIT_MS)
                        err = page.locator("#form-error").inner_text().strip()
                        assert "\n" not in err and "enter a number from -50 to 100" in err, err
                        assert not re.search(r"\b(adjust_pct|include_deal|include_promotion)\b", err), \
                            f"the error names an internal field: {err}"
                        refused_once = True
                        page.screenshot(path=str(ARTIFACTS / "classroom-seat-error.png"), full_page=True)
                    with page.expect_response(lambda r: "/decision?fill=1" in r.url):
                        page.click("text=Fill in the suggestion")
                    page.wait_for_function("[...document.querySelectorAll('#decision input[type=text]')]"
                                           ".every(e => e.value !== '' && e.value !== 'not a number')",
                                           timeout=WAIT_MS)
                    with page.expect_response(lambda r: r.url.endswith("/decide")) as resp:
                        page.click("#decision button[type=submit]")
                    assert resp.value.status == 200, f"{who}: the suggestion was refused"
                    decided += 1
                    own_seen += _check_privacy(pages, news)
                fac_state = fac.evaluate("fetch('/api/facilitator/' + location.pathname.split('/')[2])"
                                         ".then(r => r.json())")
                if all(t["finished"] for t in fac_state["teams"]):
                    break
                if not acted:
                    time.sleep(0.3)
            assert refused_once, "a bad value should have been refused once"
            assert decided == 2 * MONTHS * len(HUMANS), f"{decided} decisions made through the pages"
            assert all(t["finished"] for t in fac_state["teams"]), fac_state
            assert own_seen > 0, "some seat should have shown its own private news"
            for page in seats.values():
                page.wait_for_selector("text=The game is over", timeout=WAIT_MS)
            _check_privacy(pages, news)
            proj.wait_for_selector("text=game over", timeout=WAIT_MS)
            assert proj.locator(".leaderboard tr").count() == 3, "the projector ranks both teams"
            fac.goto(fac.url.split("#")[0] + "/debrief")
            assert fac.locator("svg").count() >= 3, "the debrief across teams has charts"
            assert "Team 2" in fac.inner_text("body")
            seats["seat:sales:1"].screenshot(path=str(ARTIFACTS / "classroom-seat.png"), full_page=True)
        finally:
            browser.close()
