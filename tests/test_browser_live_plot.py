"""End to end: the explorer's plots are drawn by the browser and updated in place.

Voila serves ``notebooks/app/explorer.ipynb``; Playwright drives Debian's Chromium (never a
downloaded browser). The test marks the plot's SVG elements, unticks the supply review and
checks that the same elements now draw the new run (every panel's scenario line moves), and that no picture was sent or shown for it (no ``<img>`` in the app, no
``image/png`` in any message from the kernel).
"""

from __future__ import annotations

import pytest
from voila_support import APPS, CHROMIUM, CHROMIUM_FLAGS, voila_server

APP = APPS / "explorer.ipynb"
RENDER_TIMEOUT_MS = 120_000
UPDATE_TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (make test installs it)"),
]

#: The plot as the page shows it: its figures' titles, each line's path, marks on the elements.
READ = """() => {
  const plot = document.querySelector('.sop-live-plot');
  const svgs = [...plot.querySelectorAll('svg.svg-figure')];
  return {
    titles: svgs.map(s => (s.querySelector('.mainheading') || {}).textContent || ''),
    lines: svgs.map(s => [...s.querySelectorAll('path.line')].map(p => p.getAttribute('d'))),
    marked: svgs.filter(s => s.dataset.sopMark === 'kept').length,
    ticks: [...plot.querySelectorAll('.axis .tick text')].map(t => t.textContent),
    images: document.querySelectorAll('.sop-app img').length,
    legend: plot.querySelector('.sop-legend').innerText,
  };
}"""


def test_a_lever_change_updates_the_same_plot_in_place() -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    frames: list[str] = []
    with voila_server(APP, "voila_live_plot.log") as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("websocket", lambda ws: ws.on(
                "framereceived", lambda payload: frames.append(payload if isinstance(payload, str)
                                                               else payload.decode("utf-8", "replace"))))
            page.goto(f"{base}/", timeout=RENDER_TIMEOUT_MS)
            page.locator(".sop-kpi table.sop-kpi-table").wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
            page.locator(".sop-live-plot path.line").first.wait_for(state="attached", timeout=RENDER_TIMEOUT_MS)
            page.wait_for_timeout(1000)
            before = page.evaluate(READ)
            page.evaluate("() => document.querySelectorAll('.sop-live-plot svg.svg-figure')"
                          ".forEach(s => { s.dataset.sopMark = 'kept'; })")
            frames.clear()
            page.locator(".widget-checkbox", has_text="Supply review").locator("input[type=checkbox]").uncheck()
            page.wait_for_function(
                """(old) => { const p = [...document.querySelectorAll('.sop-live-plot svg.svg-figure')]
                     .map(s => [...s.querySelectorAll('path.line')].map(x => x.getAttribute('d')));
                   return p.length === old.length && p.every((lines, i) => lines[1] !== old[i][1]); }""",
                arg=before["lines"], timeout=UPDATE_TIMEOUT_MS)
            page.wait_for_timeout(500)  # let every message of the update arrive
            after = page.evaluate(READ)
        finally:
            browser.close()
    assert before["titles"] == ["Fill rate", "Inventory value", "Total cost", "Backorders"], \
        f"one panel per KPI, titled for learners: {before['titles']}"
    assert "Jan Y1" in before["ticks"] and "Jul Y1" in before["ticks"], "the x axes show calendar months"
    assert "this scenario" in before["legend"] and "baseline" in before["legend"], "the legend names both runs"
    assert after["marked"] == len(before["lines"]) == 4, "the same four SVG figures should still be on the page"
    assert after["titles"] == before["titles"], "the panels keep their titles"
    assert all(len(lines) == 2 for lines in after["lines"]), "each panel draws the reference and the scenario"
    assert all(a[1] != b[1] for a, b in zip(after["lines"], before["lines"], strict=True)), \
        "every panel's scenario line should show the run without a supply review"
    assert before["images"] == after["images"] == 0, "the app shows no picture"
    assert frames and not any("image/png" in f for f in frames), \
        "the kernel should send the new data, not a PNG"
