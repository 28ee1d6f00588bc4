"""Scan every notebook cell nbval executes for developer strings (see ``tests/nbscan.py``).

Loaded by pytest for any run under the repository, but it acts only on nbval's notebook cells,
so the scan costs no extra execution: it reads the outputs nbval already collected and the
widget messages the kernel sent while the cell ran. ``SOP_NBSCAN_STRICT=1`` ignores the list of
known defects (``tests.nbscan.KNOWN``), to see what is left to fix.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

from tests.nbscan import KNOWN, scan_cell  # noqa: E402 - tests is a namespace package


def _is_notebook_cell(item: pytest.Item) -> bool:
    return type(item).__name__ == "IPyNbCell" and hasattr(item.parent, "get_kernel_message")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    if not _is_notebook_cell(item):
        return (yield)
    parent: Any = item.parent
    original = parent.get_kernel_message
    comms: list[dict[str, Any]] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        msg = original(*args, **kwargs)
        if msg.get("msg_type") in ("comm_open", "comm_msg"):
            comms.append(msg)
        return msg

    parent.get_kernel_message = recording
    try:
        result = yield
    finally:
        del parent.get_kernel_message  # back to the class's method
    found = scan_cell(getattr(item, "test_outputs", None) or [], comms)
    notebook = item.path.relative_to(item.config.rootpath).as_posix()
    allowed = frozenset() if os.environ.get("SOP_NBSCAN_STRICT") else KNOWN.get(notebook, frozenset())
    found = [p for p in found if p.split(":")[0] not in allowed]
    if found:
        raise AssertionError(f"{notebook} cell {getattr(item, 'cell_num', '?')} shows a learner developer output:\n  "
                             + "\n  ".join(found))
    return result
