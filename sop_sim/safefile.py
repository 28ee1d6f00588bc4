"""The one safe-file layer of the kit: every file it writes or reads goes through here.

Writing behaves like a careful editor:

* **atomic**: the new content goes to a temporary file in the target's own folder, is
  flushed and ``fsync``-ed, then replaces the target with one ``os.replace``. A crash,
  a full disk or Ctrl-C leaves the old file or the new one, never half of one, and the
  temporary file is removed on any failure (``KeyboardInterrupt`` included). A stray
  temporary file left by a killed process is removed by the next write of that file.
* **through symlinks**: saving to a symlink writes its target; the link stays a link.
* **read-only is respected**: a file without write permission is refused, not replaced.
* **the mode is kept**: an existing file keeps its permission bits (and owner where we
  may set it); a new file gets the usual ``0o666`` less the umask.
* **empty paths are refused**: ``""`` never means "the current folder".

Reading is bounded: only regular files are read (a FIFO, ``/dev/zero``, a folder or a
socket is refused without blocking), the size is limited, JSON is checked for nesting
depth before it is parsed (deep nesting is a one-line error, not ``RecursionError``) and
must be strict JSON (no ``NaN``/``Infinity``).

Files shared by several processes (quiz progress, classroom files) are changed under a
lock (the ``filelock`` library) with :func:`locked` or :func:`update_json`, so two
writers at once never lose each other's work.

Every problem is raised as one line naming the file, what is wrong and what to do; the
error class is :class:`sop_sim.errors.FileError` unless the caller names its own (a
saved game reader passes ``error=SaveFileError``).
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import stat
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from filelock import FileLock, Timeout

from sop_sim.errors import FileError, SopSimError

__all__ = [
    "MAX_BYTES", "MAX_DATA_BYTES", "MAX_JSON_DEPTH", "LOCK_TIMEOUT", "check_path", "describe_os_error", "writable_target", "ensure_folder",
    "atomic_writer", "atomic_write_bytes", "atomic_write_text", "atomic_write_json",
    "read_bytes", "read_text", "read_json", "loads_json", "read_toml", "locked", "update_json",
]

#: Largest file the kit reads unless a caller allows more (saved games, progress, data files).
MAX_BYTES = 32 * 1024 * 1024
#: Largest data file (knowledge base, question bank) read: the kit's own are under 100 kB.
MAX_DATA_BYTES = 4 * 1024 * 1024
#: Deepest nesting of arrays/objects accepted in a JSON file (the kit's own files use < 10).
MAX_JSON_DEPTH = 64
#: Seconds to wait for another process to release a shared file.
LOCK_TIMEOUT = 10.0

ErrorType = type[SopSimError]

_HINTS = {
    errno.ENOSPC: "the disk is full: free some space or choose another folder",
    errno.EFBIG: "the file is larger than this system allows (disk quota or size limit): "
                 "free some space or choose another folder",
    errno.EDQUOT: "the disk quota is used up: free some space or choose another folder",
    errno.EACCES: "permission denied: choose a file or folder you may use",
    errno.EPERM: "permission denied: choose a file or folder you may use",
    errno.EROFS: "the file system is read-only: choose another folder",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder: give a file name",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "it is a symbolic link that points to itself",
    errno.EEXIST: "a file of that name is in the way",
}


def _reason(exc: OSError) -> str:
    """A short, plain reason for an ``OSError`` (no class names, no errno numbers)."""
    if exc.errno in _HINTS:
        return _HINTS[exc.errno]
    return (exc.strerror or str(exc) or "unknown error").rstrip(".").lower()


def describe_os_error(exc: OSError) -> str:
    """One line for an ``OSError`` nobody caught earlier: the file and a plain reason."""
    name = exc.filename if exc.filename is not None else "a file"
    return f"cannot use {name}: {_reason(exc)}"


def check_path(path: Any, what: str = "file", error: ErrorType = FileError) -> Path:
    """``path`` as a ``Path``; an empty, blank or NUL-containing path raises ``error``."""
    if path is None or (isinstance(path, str | bytes) and not path.strip()):
        raise error(f"the {what} path is empty: give a file or folder name")
    if not isinstance(path, str | os.PathLike):
        raise error(f"the {what} path must be text, got {type(path).__name__}")
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if "\0" in text:
        raise error(f"the {what} path contains a NUL character: give a plain file name")
    return Path(text)


def _resolve_links(p: Path, what: str, error: ErrorType) -> Path:
    """Follow a symlink (chain) to the file it names, so the link itself stays a link."""
    if not p.is_symlink():
        return p
    target = Path(os.path.realpath(p))
    if target.is_symlink():  # realpath stops on a loop
        raise error(f"cannot write {what} {p}: it is a symbolic link that points to itself")
    return target


def writable_target(path: Any, what: str = "file", error: ErrorType = FileError) -> Path:
    """The file a write to ``path`` must change, checked: not a folder, not read-only.

    Symlinks are followed to their target. Raises ``error`` with one line otherwise.
    """
    p = _resolve_links(check_path(path, what, error), what, error)
    try:
        st = p.stat()
    except FileNotFoundError:
        return p
    except OSError as exc:
        raise error(f"cannot write {what} {p}: {_reason(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise error(f"cannot write {what} {p}: it is a folder: give a file name")
    if not stat.S_ISREG(st.st_mode):
        raise error(f"cannot write {what} {p}: it is not a regular file (a device, pipe or socket): "
                    "give a file name")
    if not (st.st_mode & 0o222) or not os.access(p, os.W_OK):
        raise error(f"{what} {p} is read-only: make it writable or choose another file")
    return p


def ensure_folder(path: Any, what: str = "folder", error: ErrorType = FileError) -> Path:
    """Create folder ``path`` (and its parents) if needed; raise ``error`` if it cannot be one."""
    p = check_path(path, what, error)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise error(f"cannot use {what} {p}: a file of that name is in the way: give a folder name") from None
    except OSError as exc:
        raise error(f"cannot create {what} {p}: {_reason(exc)}") from None
    if not os.access(p, os.W_OK | os.X_OK):
        raise error(f"cannot write into {what} {p}: permission denied: choose a folder you may use")
    return p


def _temp_name(target: Path) -> str:
    return f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


_STRAY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")


def _remove_stray_temps(target: Path) -> None:
    """Remove temporary files of ``target`` left by processes that no longer run."""
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        m = _STRAY.match(entry.name)
        if not m or m.group("name") != target.name:
            continue
        pid = int(m.group("pid"))
        if pid == os.getpid():
            continue  # maybe another thread of ours is writing it
        try:
            os.kill(pid, 0)
            continue  # the writer is alive
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError):  # alive, someone else's; or not a pid
            continue
        try:
            entry.unlink()
        except OSError:
            pass


@contextmanager
def atomic_writer(path: Any, *, binary: bool = False, what: str = "file",
                  error: ErrorType = FileError, encoding: str = "utf-8") -> Iterator[IO[Any]]:
    """A file object whose content replaces ``path`` atomically when the block ends.

    Use it for writers that want a file object (``DataFrame.to_csv``, ``Figure.savefig``).
    If the block raises (anything, ``KeyboardInterrupt`` too) the target is untouched and
    the temporary file is removed. File-system failures become one-line ``error``.
    """
    target = writable_target(path, what, error)
    if str(target.parent) not in ("", "."):
        ensure_folder(target.parent, "folder", error)
    _remove_stray_temps(target)
    try:
        old = target.stat()
    except OSError:
        old = None
    tmp = target.parent / _temp_name(target)
    fd = -1
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600 if old else 0o666)
            if old is not None:
                os.fchmod(fd, stat.S_IMODE(old.st_mode))
                if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                    try:
                        os.fchown(fd, old.st_uid, old.st_gid)
                    except OSError:
                        pass  # not allowed: the new file is ours, with the old mode
            fh = os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": encoding, "newline": ""}))
            fd = -1  # the file object owns it now
            with fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            if isinstance(exc, SopSimError):
                raise
            raise error(f"cannot write {what} {target}: {_reason(exc)}") from None
    except BaseException:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable too (best effort: not every file system allows it)."""
    try:
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def atomic_write_bytes(path: Any, data: bytes, *, what: str = "file", error: ErrorType = FileError) -> Path:
    """Write ``data`` to ``path`` atomically; return the path of the file written."""
    target = writable_target(path, what, error)
    with atomic_writer(target, binary=True, what=what, error=error) as fh:
        fh.write(data)
    return target


def atomic_write_text(path: Any, text: str, *, what: str = "file", error: ErrorType = FileError) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; return the path of the file written."""
    return atomic_write_bytes(path, text.encode("utf-8"), what=what, error=error)


def atomic_write_json(path: Any, data: Any, *, what: str = "file", error: ErrorType = FileError) -> Path:
    """Write ``data`` as indented, strict JSON (no NaN) atomically."""
    return atomic_write_text(path, json.dumps(data, indent=2, allow_nan=False) + "\n", what=what, error=error)


def read_bytes(path: Any, *, what: str = "file", limit: int = MAX_BYTES, error: ErrorType = FileError) -> bytes:
    """The bytes of regular file ``path``, at most ``limit`` of them.

    A folder, FIFO, device (``/dev/zero``) or socket is refused at once, without blocking
    and without reading it.
    """
    p = check_path(path, what, error)
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise error(f"cannot read {what} {p}: {_reason(exc)}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"cannot read {what} {p}: it is a folder: give a file")
        if not stat.S_ISREG(st.st_mode):
            raise error(f"cannot read {what} {p}: it is not a regular file (a device, pipe or socket): "
                        "give a saved file")
        if st.st_size > limit:
            raise error(f"cannot read {what} {p}: it is {st.st_size:,} bytes, allowed at most {limit:,}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while we read it
            raise error(f"cannot read {what} {p}: it is over {limit:,} bytes, allowed at most {limit:,}")
        return b"".join(chunks)
    except OSError as exc:
        if isinstance(exc, SopSimError):
            raise
        raise error(f"cannot read {what} {p}: {_reason(exc)}") from None
    finally:
        os.close(fd)


def read_text(path: Any, *, what: str = "file", limit: int = MAX_BYTES, error: ErrorType = FileError) -> str:
    """The UTF-8 text of regular file ``path`` (a leading byte-order mark is dropped)."""
    data = read_bytes(path, what=what, limit=limit, error=error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"cannot read {what} {path}: it is not UTF-8 text (bad byte at offset {exc.start})") from None


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', re.S)


def _json_depth_ok(text: str, max_depth: int) -> bool:
    if text.count("[") + text.count("{") <= max_depth:
        return True  # cannot nest deeper than it has brackets
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif tok in "]}":
            depth -= 1
    return True


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def loads_json(text: str, *, what: str = "file", source: Any = None, max_depth: int = MAX_JSON_DEPTH,
               error: ErrorType = FileError) -> Any:
    """Parse strict JSON ``text``: nesting at most ``max_depth`` deep, no NaN/Infinity."""
    where = f"{what} {source}" if source is not None else what
    if not _json_depth_ok(text, max_depth):
        raise error(f"{where} is not valid: JSON nested deeper than {max_depth} levels")
    try:
        return json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise error(f"{where} is not valid: invalid JSON ({exc.msg.lower()} at line {exc.lineno}, "
                    f"column {exc.colno})") from None
    except RecursionError:
        raise error(f"{where} is not valid: JSON nested too deeply") from None
    except ValueError as exc:  # NaN/Infinity, or an integer with thousands of digits
        raise error(f"{where} is not valid: invalid JSON ({str(exc).splitlines()[0]})") from None


def read_json(path: Any, *, what: str = "file", limit: int = MAX_BYTES, max_depth: int = MAX_JSON_DEPTH,
              error: ErrorType = FileError) -> Any:
    """Read and parse a strict JSON file, bounded in size and nesting depth."""
    text = read_text(path, what=what, limit=limit, error=error)
    return loads_json(text, what=what, source=path, max_depth=max_depth, error=error)


def read_toml(path: Any, *, what: str = "file", limit: int = MAX_BYTES, error: ErrorType = FileError) -> dict:
    """Read and parse a TOML file, bounded in size; deep nesting is a one-line error."""
    text = read_text(path, what=what, limit=limit, error=error)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML ({what}): {exc}") from None
    except RecursionError:
        raise error(f"{path}: not valid TOML ({what}): nested too deeply") from None


@contextmanager
def locked(path: Any, *, what: str = "file", timeout: float = LOCK_TIMEOUT,
           error: ErrorType = FileError) -> Iterator[Path]:
    """Hold an exclusive lock on shared file ``path`` (its symlink target) for the block.

    The lock is a separate ``.NAME.lock`` file next to the target, taken with
    ``filelock``; every process that changes the file takes it first. Yields the target.
    Waiting longer than ``timeout`` seconds raises one line saying the file is in use.
    """
    target = _resolve_links(check_path(path, what, error), what, error)
    if str(target.parent) not in ("", "."):
        ensure_folder(target.parent, "folder", error)
    lock = FileLock(target.parent / f".{target.name}.lock", timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise error(f"{what} {target} is in use by another program (waited {timeout:g} s): "
                    "try again when it has finished") from None
    except OSError as exc:
        raise error(f"cannot lock {what} {target}: {_reason(exc)}") from None
    try:
        yield target
    finally:
        lock.release()


def update_json(path: Any, change: Callable[[Any], Any], *, what: str = "file", limit: int = MAX_BYTES,
                max_depth: int = MAX_JSON_DEPTH, timeout: float = LOCK_TIMEOUT,
                error: ErrorType = FileError) -> Any:
    """Read-modify-write a shared JSON file under its lock; return what was written.

    ``change`` gets the current content (``None`` when there is no file yet) and returns
    the new content, so two processes updating at once each see the other's work.
    """
    with locked(path, what=what, timeout=timeout, error=error) as target:
        current = (read_json(target, what=what, limit=limit, max_depth=max_depth, error=error)
                   if target.exists() else None)
        new = change(current)
        atomic_write_json(target, new, what=what, error=error)
    return new
