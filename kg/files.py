"""Reading and writing files without harm.

Reading: only regular files, and a size limit checked while reading (a FIFO or a device would
block or never end). Writing never destroys what is at the target: a regular file is replaced
in one step; a character device or FIFO (``-o /dev/null``, ``-o /dev/stdout``, a pipe) is
written into, as the user asked; anything else there (a directory, a socket, a block device) is
refused. A set of files written together (``kg.ttl`` + ``kg.jsonld``) is published by swapping
one symbolic link under a lock, so readers see the old set or the new one, never a mix, whatever
happens during the write.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Literal

from kg.defaults import STDIN
from kg.errors import Diagnostic, ExitCode, KgError, SourceError

FileKind = Literal["absent", "regular file", "directory", "FIFO", "character device", "block device", "socket"]
# Paths that name a descriptor this process already holds: written to the descriptor itself,
# so `>>` keeps appending and nothing is reopened or truncated.
_DESCRIPTORS = {"-": 1, "/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR_DIRS = ("/dev/fd/", "/proc/self/fd/")
_CHUNK = 1 << 20
SET_DIR = ".kg"  # where published sets live, inside the output directory
_TEMPORARY = ".kgtmp-"


class OutputError(KgError):
    """A target that cannot or must not be written; nothing was changed."""

    exit_code = ExitCode.BAD_INPUT


def file_kind(mode: int) -> FileKind:
    kinds: list[tuple[bool, FileKind]] = [
        (stat.S_ISREG(mode), "regular file"),
        (stat.S_ISDIR(mode), "directory"),
        (stat.S_ISFIFO(mode), "FIFO"),
        (stat.S_ISCHR(mode), "character device"),
        (stat.S_ISBLK(mode), "block device"),
    ]
    return next((kind for matches, kind in kinds if matches), "socket")


def kind_of(path: Path) -> FileKind:
    """What is at ``path``, following symbolic links."""
    try:
        return file_kind(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return "absent"


# ---------------------------------------------------------------- reading


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is a located error.

    Opened without blocking, so a FIFO with no writer is refused instead of waiting forever."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise _read_error(name, "unreadable-file", f"cannot read file: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as stream:
        kind = file_kind(os.fstat(fd).st_mode)
        if kind != "regular file":
            raise _read_error(name, "not-a-file", f"is a {kind}, not a file; give {what} file")
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            raise _read_error(name, "unreadable-file", f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _read_error(name, "too-large", f"file too large: {what} is at most {limit // 1024 // 1024} MB")
    return data


def read_stdin(limit: int, what: str) -> bytes:
    """Standard input, whole, of at most ``limit`` bytes (``-`` as a file name, as riot and arq read it)."""
    data = sys.stdin.buffer.read(limit + 1) if sys.stdin is not None else b""
    if len(data) > limit:
        raise _read_error("<stdin>", "too-large", f"input too large: {what} is at most {limit // 1024 // 1024} MB")
    return data


def read_input(path: Path, limit: int, what: str) -> bytes:
    """``-``: standard input; anything else: a regular file."""
    return read_stdin(limit, what) if path == STDIN else read_regular(path, limit, what)


def _read_error(path: str, code: str, message: str) -> SourceError:
    return SourceError(Diagnostic(path, 1, 1, "error", code, message))


# ---------------------------------------------------------------- writing one file


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` without destroying what is there (see the module's text)."""
    descriptor = _descriptor(path)
    if descriptor is not None:
        with _os_errors(path):
            _write_all(descriptor, data)
        return
    kind = kind_of(path)
    if kind in ("absent", "regular file"):
        replace_atomically(Path(os.path.realpath(path)), data)
    elif kind in ("character device", "FIFO"):
        with _os_errors(path):
            fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
    else:
        raise OutputError(f"{path}: is a {kind}; refusing to write over it")


def _descriptor(path: Path) -> int | None:
    text = str(path)
    if text in _DESCRIPTORS:
        return _DESCRIPTORS[text]
    for prefix in _DESCRIPTOR_DIRS:
        if text.startswith(prefix) and text[len(prefix) :].isdecimal() and text[len(prefix) :].isascii():
            return int(text[len(prefix) :])
    return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[:_CHUNK]) :]


def replace_atomically(path: Path, data: bytes) -> None:
    """Replace the regular file ``path`` in one step: readers see the old file or the new one.
    On any failure the temporary file is removed and the old file is left as it was."""
    with _os_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(path.parent, f".{path.name}{_TEMPORARY}")
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}{_TEMPORARY}", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                fcntl.flock(handle, fcntl.LOCK_EX)  # in use until renamed (see _remove_abandoned)
                stream.write(data)
                stream.flush()
                os.fsync(handle)
                os.fchmod(handle, _mode_for(path))
                os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_directory(path.parent)


def _mode_for(path: Path) -> int:
    """The file's own mode when replacing it; else the usual mode (mkstemp makes 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return _default_mode()


def _default_mode() -> int:
    current = os.umask(0)
    os.umask(current)
    return 0o666 & ~current


def _remove_abandoned(directory: Path, prefix: str) -> None:
    """Temporary files a killed run left behind: those no running writer holds locked."""
    for leftover in directory.glob(prefix + "*"):
        with contextlib.suppress(OSError):
            fd = os.open(leftover, os.O_RDONLY | os.O_NOFOLLOW)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                leftover.unlink()
            finally:
                os.close(fd)


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot sync a directory
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _os_errors(path: Path) -> Iterator[None]:
    """An operating-system error while writing is the user's to fix: one line, exit 2."""
    try:
        yield
    except OSError as exc:
        reason = "no space left on device" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        where = exc.filename if exc.filename and exc.errno != errno.ENOSPC else path
        raise OutputError(f"{where}: cannot write: {reason.lower()}; nothing was changed") from None


# ---------------------------------------------------------------- writing a set of files


# What a set holds under a name: a file's bytes, or what writes a directory at a path (a store
# made from the set's files, so that their bytes name the set).
Content = bytes | Callable[[Path], None]


def publish_set(directory: Path, files: Mapping[str, Content]) -> list[Path]:
    """Write ``files`` (name → bytes, or a directory's writer) into ``directory`` as one set.

    The files go into a new directory under ``.kg/sets/``; one symbolic link, ``.kg/current``,
    is then swapped to it, and each ``directory/name`` is a link through ``.kg/current``. A lock
    makes concurrent builds publish one after the other. A killed build leaves the old set in
    place; what it left under ``.kg/`` is removed by the next one."""
    _check_targets(directory, files)
    sets = directory / SET_DIR / "sets"
    with _os_errors(directory), _locked(directory / SET_DIR / "lock"):
        _remove_unpublished(sets)
        _remove_link_temporaries(directory, files)
        name = _write_set(sets, files)
        _point(directory / SET_DIR / "current", f"sets/{name}")
        for file in files:
            _point(directory / file, f"{SET_DIR}/current/{file}")
        _unlink_stale(directory, files)
        _remove_old_sets(sets, keep=name)
    return [directory / file for file in files]


def _remove_link_temporaries(directory: Path, files: Mapping[str, Content]) -> None:
    """New links a killed build made but had not renamed into place (``_point``). Publishing
    holds the lock, so no running build owns one."""
    for folder, name in [(directory / SET_DIR, "current"), *((directory, file) for file in files)]:
        for leftover in folder.glob(f".{name}{_TEMPORARY}*"):
            if leftover.is_symlink():
                leftover.unlink(missing_ok=True)


def _check_targets(directory: Path, files: Mapping[str, Content]) -> None:
    """Refuse before writing anything if a target is something other than a file or a link."""
    if kind_of(directory) not in ("absent", "directory"):
        raise OutputError(f"{directory}: is a {kind_of(directory)}, not a directory; nothing was written")
    for file in files:
        target = directory / file
        if not target.is_symlink() and kind_of(target) not in ("absent", "regular file"):
            raise OutputError(f"{target}: is a {kind_of(target)}; refusing to replace it; nothing was written")


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another build publishing here: wait for it
        yield
    finally:
        os.close(fd)


def _write_set(sets: Path, files: Mapping[str, Content]) -> str:
    """The set's directory name: a digest of its files, so rebuilding the same graph is a no-op.
    Directories are written after the files, and named in the digest (they are made from them)."""
    digest = hashlib.sha256()
    for file, data in sorted(files.items()):
        digest.update(f"{file}\0{len(data) if isinstance(data, bytes) else 'directory'}\0".encode())
        digest.update(data if isinstance(data, bytes) else b"")
    name = digest.hexdigest()[:16]
    if (sets / name).is_dir():
        return name
    sets.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_TEMPORARY, dir=sets))
    try:
        for file, data in files.items():
            if isinstance(data, bytes):
                _write_staged(staging / file, data)
        for file, data in files.items():
            if not isinstance(data, bytes):
                data(staging / file)
        staging.chmod(0o755)
        os.rename(staging, sets / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _sync_directory(sets)
    return name


def _write_staged(path: Path, data: bytes) -> None:
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, _default_mode())


def _point(link: Path, target: str) -> None:
    """Make ``link`` a symbolic link to ``target`` in one step (a new link renamed over it)."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    temporary = link.with_name(f".{link.name}{_TEMPORARY}{os.getpid()}")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    try:
        os.replace(temporary, link)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(link.parent)


def _unlink_stale(directory: Path, files: Mapping[str, Content]) -> None:
    """Links to files an earlier set had and this one has not (kg-inferred.ttl of an earlier
    build with --reason): they would give a stale file, or none."""
    prefix = f"{SET_DIR}/current/"
    for link in directory.iterdir():
        if link.name not in files and link.is_symlink() and os.readlink(link).startswith(prefix):
            link.unlink()


def _remove_unpublished(sets: Path) -> None:
    """Staging directories of builds that were killed (the lock says no build is running)."""
    for leftover in sets.glob(_TEMPORARY + "*") if sets.is_dir() else ():
        shutil.rmtree(leftover, ignore_errors=True)


def _remove_old_sets(sets: Path, keep: str) -> None:
    """Sets older than the previous one: the previous stays for readers that resolved the old
    link an instant before the swap."""
    others = sorted((s for s in sets.iterdir() if s.name != keep), key=lambda s: s.stat().st_mtime_ns)
    for old in others[:-1]:
        shutil.rmtree(old, ignore_errors=True)
