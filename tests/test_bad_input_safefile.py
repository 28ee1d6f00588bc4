"""sop_sim.safefile: atomic, careful writes; bounded, depth-safe reads; locked shared files."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sop_sim import safefile
from sop_sim.errors import FileError, SaveFileError, SopSimError

ROOT = Path(__file__).resolve().parents[1]


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert text and "\n" not in text, f"expected a one-line message, got {text!r}"
    assert "Traceback" not in text and "Errno" not in text, f"message leaks internals: {text!r}"
    return text


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old


# --- writing ---------------------------------------------------------------------------------


def test_new_file_gets_the_usual_mode_and_content(tmp_path):
    p = safefile.atomic_write_text(tmp_path / "sub" / "a.txt", "héllo\n")
    assert p.read_text(encoding="utf-8") == "héllo\n"
    assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~_umask(), "a new file must get 0o666 less the umask"
    assert _temps(p.parent) == []


def test_existing_file_keeps_its_mode(tmp_path):
    p = tmp_path / "a.json"
    p.write_text("{}")
    p.chmod(0o640)
    safefile.atomic_write_json(p, {"x": 1})
    assert json.loads(p.read_text()) == {"x": 1}
    assert stat.S_IMODE(p.stat().st_mode) == 0o640, "the mode of an existing file must be kept"


def test_writes_through_a_symlink_and_keeps_the_link(tmp_path):
    target = tmp_path / "real" / "save.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    written = safefile.atomic_write_text(link, "new")
    assert link.is_symlink(), "saving over a symlink must keep the link"
    assert target.read_text() == "new" and written == target
    assert _temps(target.parent) == [] and _temps(tmp_path) == []


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "later.txt")
    safefile.atomic_write_text(link, "x")
    assert link.is_symlink() and (tmp_path / "later.txt").read_text() == "x"


def test_symlink_loop_is_one_line(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(FileError) as err:
        safefile.atomic_write_text(a, "x")
    assert "points to itself" in _one_line(err.value)


def test_read_only_file_is_refused_and_unchanged(tmp_path):
    p = tmp_path / "ro.txt"
    p.write_text("keep me")
    p.chmod(0o444)
    with pytest.raises(FileError) as err:
        safefile.atomic_write_text(p, "overwritten")
    assert "read-only" in _one_line(err.value)
    assert p.read_text() == "keep me" and _temps(tmp_path) == []


@pytest.mark.parametrize("bad", ["", "   ", None, "a\0b", b""])
def test_empty_or_odd_paths_are_refused(tmp_path, bad, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileError) as err:
        safefile.atomic_write_text(bad, "x")
    _one_line(err.value)
    assert list(tmp_path.iterdir()) == [], "nothing may be written to the current folder"


def test_folder_and_device_targets_are_refused(tmp_path):
    for target, words in ((tmp_path, "folder"), ("/dev/null", "not a regular file")):
        with pytest.raises(FileError) as err:
            safefile.atomic_write_text(target, "x")
        assert words in _one_line(err.value)


def test_parent_that_is_a_file_is_one_line(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(FileError) as err:
        safefile.atomic_write_text(tmp_path / "f" / "x.txt", "x")
    assert "in the way" in _one_line(err.value) or "not a folder" in str(err.value)


def test_custom_error_class(tmp_path):
    with pytest.raises(SaveFileError):
        safefile.atomic_write_text("", "x", error=SaveFileError)


@pytest.mark.parametrize("where", ["inside", "fsync", "replace"])
def test_keyboard_interrupt_leaves_old_file_and_no_temp(tmp_path, monkeypatch, where):
    p = tmp_path / "a.txt"
    p.write_text("old")
    if where == "inside":
        with pytest.raises(KeyboardInterrupt), safefile.atomic_writer(p) as fh:
            fh.write("half")
            raise KeyboardInterrupt
    else:
        def boom(*args):
            raise KeyboardInterrupt

        monkeypatch.setattr(safefile.os, where, boom)
        with pytest.raises(KeyboardInterrupt):
            safefile.atomic_write_text(p, "new")
        monkeypatch.undo()
    assert p.read_text() == "old", "an interrupted save must leave the old file"
    assert _temps(tmp_path) == [], "an interrupted save must remove its temporary file"


def test_full_disk_is_one_line_and_loses_nothing(tmp_path):
    """A tiny file-size limit (RLIMIT_FSIZE) stands in for a full disk, without privileges."""
    p = tmp_path / "save.json"
    p.write_text('{"old": true}')
    script = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        from sop_sim import safefile
        from sop_sim.errors import FileError
        try:
            safefile.atomic_write_text({str(p)!r}, "x" * 100_000)
        except FileError as exc:
            print(exc)
            sys.exit(2)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert out.stderr == "" and len(out.stdout.strip().splitlines()) == 1, out
    assert "cannot write" in out.stdout and "free some space" in out.stdout
    assert p.read_text() == '{"old": true}' and _temps(tmp_path) == []


def test_stray_temp_of_a_dead_writer_is_removed(tmp_path):
    p = tmp_path / "save.json"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    stray = tmp_path / f".save.json.{dead}-0123abcd.tmp"
    stray.write_text("half")
    alive = tmp_path / f".save.json.{os.getppid()}-0123abcd.tmp"  # a live process's write in progress
    alive.write_text("busy")
    other = tmp_path / f".other.json.{dead}-0123abcd.tmp"
    other.write_text("not ours")
    safefile.atomic_write_text(p, "new")
    assert not stray.exists(), "a dead writer's temporary file must be cleaned up"
    assert alive.exists() and other.exists(), "only the dead writer's temp of this file may go"


# --- reading ---------------------------------------------------------------------------------


def _alarm(seconds: int):
    def fail(*_):
        raise AssertionError("the reader blocked")

    signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _alarm(5)
    try:
        with pytest.raises(FileError) as err:
            safefile.read_json(fifo, what="saved game")
    finally:
        signal.alarm(0)
    assert "not a regular file" in _one_line(err.value)


@pytest.mark.parametrize("path, words", [("/dev/zero", "not a regular file"), ("/", "folder"),
                                         ("/nonexistent/x.json", "no such file")])
def test_devices_folders_and_missing_files(path, words):
    _alarm(5)
    try:
        with pytest.raises(FileError) as err:
            safefile.read_bytes(path)
    finally:
        signal.alarm(0)
    assert words in _one_line(err.value)


def test_size_limit(tmp_path):
    p = tmp_path / "big.json"
    p.write_bytes(b" " * 2000)
    with pytest.raises(FileError) as err:
        safefile.read_json(p, limit=1000)
    assert "allowed at most 1,000" in _one_line(err.value)
    assert safefile.read_bytes(p, limit=2000) == b" " * 2000


@pytest.mark.parametrize("text, words", [
    ("[" * 100_000 + "]" * 100_000, "nested deeper"),
    ('{"a":' * 5000 + "1" + "}" * 5000, "nested deeper"),
    ('{"x": NaN}', "NaN"),
    ('{"x": -Infinity}', "Infinity"),
    ('{"x": 1', "line 1"),
    ("9" * 5000, "invalid JSON"),
])
def test_bad_json_is_one_line(tmp_path, text, words):
    p = tmp_path / "x.json"
    p.write_text(text)
    with pytest.raises(FileError) as err:
        safefile.read_json(p, what="progress file")
    msg = _one_line(err.value)
    assert words in msg and "progress file" in msg


def test_deep_brackets_inside_strings_are_fine(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"note": "[" * 500}))
    assert safefile.read_json(p) == {"note": "[" * 500}


def test_not_utf8(tmp_path):
    p = tmp_path / "x.json"
    p.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(FileError) as err:
        safefile.read_json(p)
    assert "not UTF-8" in _one_line(err.value)


def test_toml_deep_nesting_and_syntax(tmp_path):
    p = tmp_path / "x.toml"
    p.write_text("a = " + "[" * 5000 + "]" * 5000)
    with pytest.raises(FileError) as err:
        safefile.read_toml(p)
    assert "nested too deeply" in _one_line(err.value)
    p.write_text("a = = 1")
    with pytest.raises(FileError) as err:
        safefile.read_toml(p)
    assert "not valid TOML" in _one_line(err.value)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_json_or_one_clear_error(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("fuzz") / "x.json"
    p.write_bytes(data)
    try:
        safefile.read_json(p)
    except SopSimError as exc:
        _one_line(exc)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_text_round_trips(tmp_path_factory, text):
    p = tmp_path_factory.mktemp("rt") / "x.txt"
    safefile.atomic_write_text(p, text)
    assert safefile.read_bytes(p).decode("utf-8") == text


# --- shared files ----------------------------------------------------------------------------

_WRITER = textwrap.dedent("""
    import sys
    from sop_sim import safefile
    path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(n):
        safefile.update_json(path, lambda d: {**(d or {}), f"{who}{i}": i})
""")


def test_two_writers_at_once_lose_nothing(tmp_path):
    p = tmp_path / "shared.json"
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(p), who, "40"]) for who in "ab"]
    assert [proc.wait(timeout=120) for proc in procs] == [0, 0]
    data = json.loads(p.read_text())
    assert len(data) == 80, f"two writers under the lock must keep all 80 entries, kept {len(data)}"
    assert _temps(tmp_path) == []


def test_lock_timeout_is_one_line(tmp_path):
    p = tmp_path / "shared.json"
    held, release = threading.Event(), threading.Event()

    def holder():
        with safefile.locked(p):
            held.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(10)
    try:
        with pytest.raises(FileError) as err, safefile.locked(p, timeout=0.2, what="quiz progress"):
            pass
    finally:
        release.set()
        t.join()
    assert "in use by another program" in _one_line(err.value)


def test_update_json_starts_from_none_and_follows_links(tmp_path):
    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert safefile.update_json(link, lambda d: {"n": (d or {"n": 0})["n"] + 1}) == {"n": 1}
    assert safefile.update_json(link, lambda d: {"n": d["n"] + 1}) == {"n": 2}
    assert link.is_symlink() and json.loads(real.read_text()) == {"n": 2}
