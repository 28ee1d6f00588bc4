"""Role briefs: generated from the scenario, committed copies never drift, private info stays private."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_sim.cli import main
from sop_sim.config import ROLE_IDS
from sop_sim.game.briefs import answer_key, write_briefs
from sop_sim.presets import PRESETS

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ("baseline", "disengaged_executive", "silos")


@pytest.mark.parametrize("preset", COMMITTED)
def test_committed_briefs_match_the_generator(preset: str, tmp_path: Path) -> None:
    write_briefs(preset, tmp_path, months=12)
    folder = ROOT / "exercises" / "role_play" / "briefs" / preset
    for new in sorted(tmp_path.iterdir()):
        old = folder / new.name
        assert old.exists(), f"{old} is missing: run `sop-sim briefs --preset {preset} --out {folder}`"
        assert old.read_text() == new.read_text(), f"{old} is out of date: regenerate it with sop-sim briefs"
    key = ROOT / "solutions" / "role_play" / f"answer_key_{preset}.md"
    assert key.read_text() == answer_key(preset), f"{key} is out of date: sop-sim briefs --preset {preset} --out ... --key {key}"


def test_each_brief_holds_only_its_own_start_news(tmp_path: Path) -> None:
    write_briefs("baseline", tmp_path, months=12)
    sc = PRESETS["baseline"]
    for role in ROLE_IDS:
        text = (tmp_path / f"{role}.md").read_text()
        for d in sc.disturbances:
            if d.owner != role or d.known_from > 0:
                assert d.describe() not in text, f"{role}'s brief leaks {d.describe()}"
            else:
                assert d.describe() in text, f"{role}'s brief should tell it: {d.describe()}"
        assert (tmp_path / f"{role}.html").read_text().startswith("<!DOCTYPE html>"), "HTML brief expected"


def test_cli_briefs(tmp_path: Path, capsys) -> None:
    assert main(["briefs", "--preset", "silos", "--out", str(tmp_path)]) == 0, "briefs command should work"
    assert (tmp_path / "index.md").exists(), "an index should be written"
    assert main(["briefs", "--preset", "nope", "--out", str(tmp_path)]) == 2, "unknown preset: exit 2"
    assert "unknown" in capsys.readouterr().err, "the error should name the problem"
