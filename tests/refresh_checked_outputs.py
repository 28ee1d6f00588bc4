"""Re-execute notebooks and keep only the outputs nbval checks.

Run after the model's numbers change, then commit the notebooks::

    .venv/bin/python tests/refresh_checked_outputs.py notebooks/*.ipynb

Each notebook runs top to bottom on a fresh ``python3`` kernel (from its own folder).
Cells marked ``# NBVAL_CHECK_OUTPUT`` keep their fresh outputs; every other cell is
cleared, so notebooks are committed without outputs except the ones CI compares.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

MARK = "NBVAL_CHECK_OUTPUT"


def refresh(path: Path, timeout: int = 300) -> int:
    """Execute ``path`` in place and strip unchecked outputs; return how many cells kept output."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    kept = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if MARK in cell.source:  # nbval wants a checked cell's execution count kept
            kept += 1
        else:
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)  # widget state is not checked and is large
    nbformat.write(nb, path)
    return kept


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: refresh_checked_outputs.py NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    for name in argv:
        print(f"{name}: {refresh(Path(name))} checked cell(s) refreshed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
