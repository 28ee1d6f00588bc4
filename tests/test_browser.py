"""End to end: the explorer app in Voila, driven in a real headless Chromium.

Voila serves ``notebooks/app/explorer.ipynb`` on a free loopback port; Playwright opens it
in Debian's Chromium (never a downloaded browser), waits for the widgets, unticks the
supply review and checks that the KPI table on the page changes. A screenshot goes to
``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from voila_support import voila_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
APP = ROOT / "notebooks" / "app" / "explorer.ipynb"
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RENDER_TIMEOUT_MS = 120_000
UPDATE_TIMEOUT_S = 60

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (make test installs it)"),
]


@pytest.fixture()
def voila_url() -> Iterator[str]:
    with voila_server(APP, "voila.log") as base:
        yield f"{base}/"


def test_unticking_supply_review_changes_the_kpi_table(voila_url: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(voila_url, timeout=RENDER_TIMEOUT_MS)
            table = page.locator(".sop-kpi table.sop-kpi-table")
            table.wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
            before = table.inner_text()
            assert "Plan adherence" in before, "the KPI table should list plan adherence"
            assert "worse" not in before, "baseline against baseline should show no worse KPI"
            box = page.locator(".widget-checkbox", has_text="Supply review").locator("input[type=checkbox]")
            assert box.is_checked(), "the supply review should start ticked"
            box.uncheck()
            after = before
            deadline = time.monotonic() + UPDATE_TIMEOUT_S
            while after == before and time.monotonic() < deadline:
                page.wait_for_timeout(250)
                after = table.inner_text()
            page.wait_for_timeout(500)  # let the plot image settle before the screenshot
            page.screenshot(path=str(ARTIFACTS / "explorer_no_supply_review.png"), full_page=True)
        finally:
            browser.close()
    assert after != before, f"the KPI table should change within {UPDATE_TIMEOUT_S} s of unticking the supply review"
    assert "worse" in after, "without a supply review some KPIs should be marked worse than baseline"
    row = [line for line in after.splitlines() if line.startswith("Plan adherence")]
    assert row and row[0] != [x for x in before.splitlines() if x.startswith("Plan adherence")][0], \
        "the plan adherence shown should change"
