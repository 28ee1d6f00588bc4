"""Shared set-up of the browser tests: one Voila server on a free loopback port.

Voila runs from the test interpreter's environment with the kit's ``sop`` template (as
``make app`` does), its output goes to a log under ``tests/artifacts/``, and it is stopped
when the ``with`` block ends, however the test ends.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "notebooks" / "app"
ARTIFACTS = ROOT / "tests" / "artifacts"
START_TIMEOUT_S = 90
#: Debian's Chromium, which Playwright drives through executable_path (no browser is ever downloaded),
#: and the flags it runs with headless in a container.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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


@contextmanager
def voila_server(target: Path, log_name: str) -> Iterator[str]:
    """Serve ``target`` (one notebook or a folder of them) with Voila; yield its base URL (no trailing slash)."""
    voila = Path(sys.executable).with_name("voila")
    assert voila.exists(), f"expected voila next to the test interpreter at {voila}"
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / log_name
    env = {**os.environ, "JUPYTER_PATH": str(APPS / "share")}  # the kit's template, as `make app`
    with log.open("w") as out:
        proc = subprocess.Popen([str(voila), str(target), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
                                 "--template=sop"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(port, proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
