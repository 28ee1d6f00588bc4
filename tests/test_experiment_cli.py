"""`sop-sim compare`: the table, the files it writes, and one-line errors with exit status 2."""

from __future__ import annotations

import pandas as pd
import pytest

from sop_sim.cli import main

BASE = ["compare", "--months", "12", "--jobs", "1", "--no-progress"]


def test_compare_prints_means_differences_and_writes_files(tmp_path, capsys):
    csv, png = tmp_path / "runs.csv", tmp_path / "plots" / "forest.png"
    code = main([*BASE, "baseline", "skip_supply_review", "--reps", "3", "--kpis", "fill_rate,margin",
                 "--csv", str(csv), "--plot", str(png)])
    out = capsys.readouterr().out
    assert code == 0, f"compare should succeed, got exit {code}"
    assert "Fill rate" in out and "Margin" in out and "skip_supply_review" in out, f"table missing rows:\n{out}"
    assert "difference from baseline" in out and "(reference)" in out, "the table should show paired differences"
    assert len(pd.read_csv(csv)) == 2 * 3, "the CSV should hold one row per scenario and replication"
    assert png.read_bytes()[:4] == b"\x89PNG", "--plot should write a PNG file"


@pytest.mark.parametrize(("argv", "needle"), [
    (["baseline", "--reps", "0"], "reps=0"),
    (["baseline", "nope", "--reps", "2"], "preset='nope'"),
    (["baseline", "silos", "--reps", "2", "--plot", "out.txt"], "--plot out.txt"),
    (["baseline", "--reps", "2", "--kpis", "speed"], "'speed' is unknown"),
    (["baseline", "silos", "--reps", "2", "--reference", "no_sop"], "reference='no_sop'"),
])
def test_bad_input_is_one_line_and_exit_2(argv, needle, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main([*BASE, *argv])
    err = capsys.readouterr().err.strip()
    assert code == 2, f"bad input should exit with status 2, got {code}"
    assert needle in err and err.count("\n") == 0, f"expected one line naming {needle!r}, got {err!r}"
    assert not list(tmp_path.iterdir()), "a failed command should write no files"
