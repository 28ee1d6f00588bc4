"""House rules for notebooks: they narrate and call the package, never define things.

Every notebook under notebooks/, exercises/ and solutions/ must have no ``def`` or
``class``, no code cell longer than 15 non-comment lines, no stored error output, and the
``python3`` kernel. Logic that needs more belongs in ``sop_sim`` where it is tested.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("notebooks", "exercises", "solutions")
MAX_LINES = 15
DEFINES = re.compile(r"^\s*(async\s+def|def|class)\s+\w+", re.MULTILINE)
TEACHING = ("00_start_here", "01_the_monthly_cycle", "02_roles_and_ownership", "03_skipping_steps",
            "04_executive_engagement", "05_collaboration_failures", "07_experiments")


def _notebooks() -> list[Path]:
    found = []
    for folder in FOLDERS:
        found += [p for p in sorted((ROOT / folder).rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
    return found


def _code_lines(source: str) -> list[str]:
    return [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_the_teaching_notebooks_exist() -> None:
    missing = [n for n in TEACHING if not (ROOT / "notebooks" / f"{n}.ipynb").exists()]
    assert not missing, f"expected these notebooks under notebooks/: {missing}"


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_thin(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernel should be python3"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"{path.relative_to(ROOT)} cell {i}"
        hit = DEFINES.search(cell.source)
        assert hit is None, f"{where} defines {hit.group(0).strip()!r}: put it in the sop_sim package instead"
        n = len(_code_lines(cell.source))
        assert n <= MAX_LINES, f"{where} has {n} code lines, at most {MAX_LINES} allowed"
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{where} stores an error output ({errors[0].get('ename')}): clear or fix it"


def test_the_checks_catch_a_bad_notebook(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("def helper():\n    return 1"),
                nbformat.v4.new_code_cell("\n".join(f"x{i} = {i}" for i in range(16)))]
    assert DEFINES.search(nb.cells[0].source), "a def at the start of a line should be caught"
    assert len(_code_lines(nb.cells[1].source)) == 16, "sixteen code lines should count as sixteen"
    assert not DEFINES.search("# how to define a function\nprint('class action')"), \
        "the words def/class in comments or strings are not definitions"
