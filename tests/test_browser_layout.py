"""The explorer and the walkthrough on a projector (1280x720) and a phone (390x844), in a real browser.

Voila serves ``notebooks/app/`` with the kit's template (``notebooks/app/share``: Voila's lab
page without its CDN links); Playwright drives Debian's Chromium (never a downloaded browser).
Each app is loaded once and looked at in both sizes. The checks:

* every control (sliders, drop-downs, check boxes, buttons, number boxes) lies inside the
  viewport, and a slider keeps a usable track (it does not collapse to a dot);
* the page itself never scrolls sideways: a table wider than the screen scrolls inside its own box;
* the minutes' "What went wrong" column stays readable at 1280 px (not one word per line);
* nothing is requested from outside the local server, and the buttons' icon font is loaded.

Screenshots go to ``tests/artifacts/<app>_<width>x<height>.png`` for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_support import voila_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
APPS = ROOT / "notebooks" / "app"
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = ((1280, 720), (390, 844))
RENDER_TIMEOUT_MS = 120_000
CONTROLS = (".widget-slider, .widget-dropdown, .widget-checkbox, .widget-button, .widget-text, "
            ".widget-inline-hbox.widget-text")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (make test installs it)"),
]

#: Measures the page in the browser: controls and table boxes outside the viewport, page overflow,
#: slider tracks, the width of the minutes' last column and the icon font of the buttons.
MEASURE = """(controls) => {
  const W = window.innerWidth;
  const out = {width: W, scrollWidth: document.documentElement.scrollWidth, outside: [], boxes: [],
               sliders: [], wrongColumn: null, iconFont: null};
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  for (const el of document.querySelectorAll(controls)) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > W + 1) out.outside.push((el.innerText || el.className).slice(0, 40) + ` [${r.left|0}..${r.right|0}]`);
  }
  for (const t of document.querySelectorAll('.sop-app table')) {
    let box = t.parentElement;
    while (box && box !== document.body && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    const r = (box || document.body).getBoundingClientRect();
    if (r.left < -1 || r.right > W + 1) out.boxes.push((t.innerText || '').slice(0, 40) + ` [${r.left|0}..${r.right|0}]`);
  }
  for (const s of document.querySelectorAll('.widget-slider .slider-container, .widget-slider .noUi-target')) {
    if (visible(s)) out.sliders.push(s.getBoundingClientRect().width | 0);
  }
  const th = [...document.querySelectorAll('.sop-minutes th')].find(x => x.innerText.includes('What went wrong'));
  if (th) out.wrongColumn = th.getBoundingClientRect().width | 0;
  const icon = document.querySelector('.widget-button i.fa');
  if (icon) out.iconFont = getComputedStyle(icon, '::before').fontFamily + ' ' + (icon.getBoundingClientRect().width | 0);
  return out;
}"""


@pytest.fixture(scope="module")
def voila_base() -> Iterator[str]:
    with voila_server(APPS, "voila_layout.log") as base:
        yield base


def _look(base: str, app: str, ready: str) -> dict[tuple[int, int], dict[str, Any]]:
    """Open one app, measure it at each size, screenshot it; also return outside requests."""
    sync_api = pytest.importorskip("playwright.sync_api")
    seen: dict[tuple[int, int], dict[str, Any]] = {}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
            outside: list[str] = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:", "blob:"))
                    else None)
            page.goto(f"{base}/voila/render/{app}.ipynb", timeout=RENDER_TIMEOUT_MS)
            page.locator(ready).first.wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
            page.wait_for_timeout(1500)  # let the plots arrive
            for w, h in SIZES:
                page.set_viewport_size({"width": w, "height": h})
                page.wait_for_timeout(600)
                page.screenshot(path=str(ARTIFACTS / f"{app}_{w}x{h}.png"))  # what the screen shows first
                seen[(w, h)] = {**page.evaluate(MEASURE, CONTROLS), "requests": list(outside)}
            # the whole app for a person to read: Voila scrolls inside its own container, so a full-page
            # shot stops at the fold; a viewport as tall as the content (same width) shows all of it
            for w, h in SIZES:
                page.set_viewport_size({"width": w, "height": h})
                tall = page.evaluate("Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
                page.set_viewport_size({"width": w, "height": min(int(tall) + 40, 8000)})
                page.wait_for_timeout(500)
                page.screenshot(path=str(ARTIFACTS / f"{app}_{w}x{h}_whole.png"))
        finally:
            browser.close()
    return seen


def _check(app: str, seen: dict[tuple[int, int], dict[str, Any]], icons: bool = False) -> None:
    for (w, h), m in seen.items():
        where = f"{app} at {w}x{h}"
        assert not m["outside"], f"{where}: controls outside the viewport: {m['outside']}"
        assert not m["boxes"], f"{where}: tables whose box leaves the viewport: {m['boxes']}"
        assert m["scrollWidth"] <= m["width"] + 1, \
            f"{where}: the page scrolls sideways ({m['scrollWidth']} px for {m['width']} px); tables should scroll in their box"
        assert all(s >= 100 for s in m["sliders"]), f"{where}: a slider track shrank to {min(m['sliders'])} px"
        assert not m["requests"], f"{where}: requests left the local server: {m['requests'][:3]}"
        assert not icons or m["iconFont"] and "Font Awesome" in m["iconFont"] and not m["iconFont"].endswith(" 0"), \
            f"{where}: the buttons' icon font should load from the local server, got {m['iconFont']}"


def test_explorer_fits_a_projector_and_a_phone(voila_base: str) -> None:
    seen = _look(voila_base, "explorer", ".sop-kpi table.sop-kpi-table")
    _check("explorer", seen)
    wide = seen[(1280, 720)]["wrongColumn"]
    assert wide is not None and wide >= 150, f"'What went wrong' should not be squeezed at 1280 px (got {wide} px)"


def test_walkthrough_fits_a_projector_and_a_phone(voila_base: str) -> None:
    _check("walkthrough", _look(voila_base, "walkthrough", "table.sop-meeting"), icons=True)
