"""Generate the learner notebooks in ``exercises/`` from the worked ones in ``solutions/``.

One source, two copies: every ``solutions/NN_name.ipynb`` becomes
``exercises/NN_name.ipynb`` with

* each code cell tagged ``solution`` replaced by a placeholder: for every
  ``check("id", name)`` line in it, ``name = ...  # your answer here`` followed by the
  check itself (which then reports "not answered yet"); a tagged cell without a check
  becomes ``# your code here``;
* each markdown cell tagged ``solution`` (a worked explanation) dropped;
* all outputs and execution counts cleared, and a first cell saying where it came from.

Usage::

    python -m sop_sim.exercises.build            # write exercises/
    python -m sop_sim.exercises.build --check    # exit 1 if exercises/ is out of date

Sub-folders (``solutions/role_play/``) belong to other tools and are left alone.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

from sop_sim._io import atomic_write_text

ROOT = Path(__file__).resolve().parents[2]
TAG = "solution"
_CHECK = re.compile(r"""^\s*check\(\s*(["'])([\w.]+)\1\s*,\s*([A-Za-z_]\w*)\s*\)\s*$""")
_NOTEBOOK = re.compile(r"^\d\d_\w+\.ipynb$")


def _header(name: str) -> nbformat.NotebookNode:
    text = (f"*Learner copy of `solutions/{name}`, made by `make exercises`. Fill in each `...`, run the "
            "cell and read the feedback; compare with the solution when you are done. Running `make "
            "exercises` again overwrites this file, so keep your work in a copy.*")
    return nbformat.v4.new_markdown_cell(text, id="learner-copy")


def _placeholder(source: str) -> str:
    checks = [m for m in map(_CHECK.match, source.splitlines()) if m]
    if not checks:
        return "# your code here"
    lines = [f"{m.group(3)} = ...  # your answer here" for m in checks]
    lines += [f"check({m.group(1)}{m.group(2)}{m.group(1)}, {m.group(3)})" for m in checks]
    return "\n".join(lines)


def learner_notebook(solution: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The learner copy of one solution notebook (see the module docstring)."""
    cells = [_header(name)]
    for cell in solution.cells:
        tags = list(cell.get("metadata", {}).get("tags", []))
        if TAG in tags and cell.cell_type == "markdown":
            continue
        if TAG in tags:
            new = nbformat.v4.new_code_cell(_placeholder(cell.source), id=cell.get("id"))
        elif cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source, id=cell.get("id"))
        else:
            new = nbformat.v4.new_markdown_cell(cell.source, id=cell.get("id"))
        keep = [t for t in tags if t != TAG]
        if keep:
            new.metadata["tags"] = keep
        cells.append(new)
    nb = nbformat.v4.new_notebook(cells=cells, metadata=dict(solution.metadata))
    nb.nbformat, nb.nbformat_minor = solution.nbformat, solution.nbformat_minor
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    """The exact text written to disk (stable, so the sync test can compare it)."""
    return nbformat.writes(nb) + "\n"


def solution_paths(root: Path = ROOT) -> list[Path]:
    """The solution notebooks the build reads: ``solutions/NN_name.ipynb``, sorted."""
    return sorted(p for p in (root / "solutions").glob("*.ipynb") if _NOTEBOOK.match(p.name))


def expected_files(root: Path = ROOT) -> dict[Path, str]:
    """Learner path -> the text the build would write there."""
    out = {}
    for path in solution_paths(root):
        nb = nbformat.read(path, as_version=4)
        out[root / "exercises" / path.name] = render(learner_notebook(nb, path.name))
    return out


def out_of_sync(root: Path = ROOT) -> list[str]:
    """Learner notebooks that are missing or differ from what the build would write.

    Other files in ``exercises/`` (a learner's own copies) are not this build's business.
    """
    want = expected_files(root)
    return [f"{p.relative_to(root)} is missing" if not p.exists() else f"{p.relative_to(root)} differs"
            for p, text in want.items() if not p.exists() or p.read_text(encoding="utf-8") != text]


def build(root: Path = ROOT) -> list[Path]:
    """Write every learner notebook that changed; return the paths written."""
    (root / "exercises").mkdir(exist_ok=True)
    written = []
    want = expected_files(root)
    for path, text in want.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write_text(path, text)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sop_sim.exercises.build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether exercises/ is up to date")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    if not (args.root / "solutions").is_dir():
        print(f"error: no solutions/ folder under {args.root}", file=sys.stderr)
        return 2
    if args.check:
        problems = out_of_sync(args.root)
        for line in problems:
            print(line)
        print("exercises/ is up to date" if not problems else "run `make exercises` to regenerate")
        return 1 if problems else 0
    written = build(args.root)
    print(f"{len(written)} learner notebook(s) written" + "".join(f"\n  {p}" for p in written))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
