"""End to end: the explorer app in Voila, driven in a real headless Chromium.

Voila serves ``notebooks/app/explorer.ipynb`` on a free loopback port; Playwright opens it
in Debian's Chromium (never a downloaded browser), waits for the widgets, unticks the
supply review and checks that the KPI table on the page changes. A screenshot goes to
``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
APP = ROOT / "notebooks" / "app" / "explorer.ipynb"
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 90
RENDER_TIMEOUT_MS = 120_000
UPDATE_TIMEOUT_S = 60

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (make test installs it)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"voila exited with code {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return  # the server accepts connections; the page itself is awaited in the browser
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"voila did not listen on port {port} within {START_TIMEOUT_S} s: {log.read_text()[-2000:]}")


@pytest.fixture()
def voila_url() -> str:
    voila = Path(sys.executable).with_name("voila")
    assert voila.exists(), f"expected voila next to the test interpreter at {voila}"
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "voila.log"
    with log.open("w") as out:
        env = {**os.environ, "JUPYTER_PATH": str(APP.parent / "share")}  # the kit's template, as `make app`
        proc = subprocess.Popen([str(voila), str(APP), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
                                 "--template=sop"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(port, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


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
