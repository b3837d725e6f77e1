"""Writing never destroys what is at the target, and a set of outputs is published as one."""

from __future__ import annotations

import errno
import fcntl
import multiprocessing
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg import files
from kg.cli import main
from kg.errors import SourceError
from kg.files import OutputError, publish_set, read_regular, replace_atomically, write_file
from tests.expectations import ROOT

OLD = {"kg.ttl": b"old turtle\n", "kg.jsonld": b"old json\n"}
NEW = {"kg.ttl": b"new turtle\n", "kg.jsonld": b"new json\n"}


def _listing(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


def _read_set(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in OLD}


def test_a_fifo_is_written_into_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(
        [sys.executable, "-c", f"import sys; print(len(open({str(fifo)!r}, 'rb').read()))"], stdout=subprocess.PIPE
    )
    write_file(fifo, b"x" * 300_000)
    assert reader.communicate(timeout=30)[0].strip() == b"300000"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_dev_null_is_written_into_and_stays_a_device() -> None:
    before = os.stat("/dev/null")
    write_file(Path("/dev/null"), b"data")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_dev_stdout_is_the_descriptor_itself(capfd: pytest.CaptureFixture[str]) -> None:
    write_file(Path("/dev/stdout"), "列表\n".encode())
    write_file(Path("-"), b"second\n")
    assert capfd.readouterr().out == "列表\nsecond\n"


def test_directory_and_socket_are_refused(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    for target, kind in [(tmp_path, "directory"), (tmp_path / "sock", "socket")]:
        with pytest.raises(OutputError, match=f"is a {kind}; refusing"):
            write_file(target, b"data")
    assert stat.S_ISSOCK((tmp_path / "sock").stat().st_mode)
    server.close()


def test_a_symbolic_link_to_a_file_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real.ttl").write_bytes(b"old")
    (tmp_path / "link.ttl").symlink_to("real.ttl")
    write_file(tmp_path / "link.ttl", b"new")
    assert (tmp_path / "link.ttl").is_symlink() and (tmp_path / "real.ttl").read_bytes() == b"new"


def test_replacing_keeps_the_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "kg.nt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    replace_atomically(target, b"new")
    assert (target.read_bytes(), stat.S_IMODE(target.stat().st_mode)) == (b"new", 0o640)
    assert _listing(tmp_path) == ["kg.nt"]


def _failing(after: int, name: str, error: int = errno.ENOSPC) -> Callable[..., Any]:
    """``os.<name>`` that fails on its ``after``-th call (0-based), as a full disk would."""
    real = getattr(os, name)
    calls = [0]

    def call(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] > after:
            raise OSError(error, os.strerror(error))
        return real(*args, **kwargs)

    return call


def test_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "kg.nt"
    target.write_bytes(b"old")
    monkeypatch.setattr(os, "fsync", _failing(0, "fsync"))
    with pytest.raises(OutputError, match="no space left on device; nothing was changed"):
        replace_atomically(target, b"new")
    assert target.read_bytes() == b"old" and _listing(tmp_path) == ["kg.nt"]


def test_an_abandoned_temporary_is_removed_and_one_in_use_is_not(tmp_path: Path) -> None:
    abandoned = tmp_path / ".kg.nt.kgtmp-abandoned"
    in_use = tmp_path / ".kg.nt.kgtmp-in-use"
    abandoned.write_bytes(b"left by a killed run")
    in_use.write_bytes(b"being written")
    with open(in_use, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        replace_atomically(tmp_path / "kg.nt", b"data")
        assert _listing(tmp_path) == [".kg.nt.kgtmp-in-use", "kg.nt"]


def test_read_regular_refuses_a_fifo_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a.wiki")
    with pytest.raises(SourceError, match="is a FIFO, not a file"):
        read_regular(tmp_path / "a.wiki", 100, "an article")


def test_read_regular_checks_the_limit_while_reading() -> None:
    # /dev/zero never ends: the limit is reached by reading, not by asking the size (0)
    with pytest.raises(SourceError, match="is a character device"):
        read_regular(Path("/dev/zero"), 100, "an article")


def test_the_size_limit(tmp_path: Path) -> None:
    (tmp_path / "a.wiki").write_bytes(b"x" * 101)
    assert read_regular(tmp_path / "a.wiki", 101, "an article") == b"x" * 101
    with pytest.raises(SourceError, match="at most"):
        read_regular(tmp_path / "a.wiki", 100, "an article")


# ---------------------------------------------------------------- sets


def test_a_set_is_published_through_links(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_set(out, OLD)
    publish_set(out, NEW)
    assert _read_set(out) == NEW
    assert all(os.readlink(out / name) == f".kg/current/{name}" for name in NEW)
    assert len(list((out / ".kg" / "sets").iterdir())) == 2  # the new set and the one before
    publish_set(out, {**OLD, "kg-inferred.ttl": b"inferred"})
    publish_set(out, OLD)
    assert not (out / "kg-inferred.ttl").is_symlink()  # no stale link to a file the set lacks
    assert len(list((out / ".kg" / "sets").iterdir())) == 2


def test_files_of_an_earlier_version_are_replaced_by_links(tmp_path: Path) -> None:
    for name, data in OLD.items():
        (tmp_path / name).write_bytes(data)
    publish_set(tmp_path, NEW)
    assert _read_set(tmp_path) == NEW


def test_a_target_that_is_not_a_file_is_refused_before_writing(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "kg.jsonld")
    with pytest.raises(OutputError, match=r"kg\.jsonld: is a FIFO; refusing to replace it; nothing was written"):
        publish_set(tmp_path, NEW)
    assert _listing(tmp_path) == ["kg.jsonld"]
    with pytest.raises(OutputError, match="not a directory"):
        publish_set(tmp_path / "kg.jsonld", NEW)


@pytest.mark.parametrize("primitive", ["fsync", "rename", "replace", "symlink", "mkdir"])
def test_a_failure_at_any_step_leaves_the_old_set_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, primitive: str
) -> None:
    publish_set(tmp_path, OLD)
    for step in range(12):
        with monkeypatch.context() as patch:
            patch.setattr(os, primitive, _failing(step, primitive))
            try:
                publish_set(tmp_path, NEW)
            except OutputError as exc:
                assert "nothing was changed" in str(exc)
        seen = _read_set(tmp_path)
        assert seen in (OLD, NEW), (primitive, step, seen)
        assert not [p for p in _listing(tmp_path) if "kgtmp" in p], (primitive, step)
        publish_set(tmp_path, OLD)


def _publish_forever(directory: str) -> None:
    while True:
        publish_set(Path(directory), OLD)
        publish_set(Path(directory), NEW)


def test_a_kill_at_any_moment_leaves_one_whole_set(tmp_path: Path) -> None:
    publish_set(tmp_path, OLD)
    context = multiprocessing.get_context("spawn")
    for attempt in range(15):
        writer = context.Process(target=_publish_forever, args=(str(tmp_path),))
        writer.start()
        time.sleep(0.4 + 0.013 * attempt)
        os.kill(writer.pid or 0, signal.SIGKILL)
        writer.join()
        assert _read_set(tmp_path) in (OLD, NEW)
    publish_set(tmp_path, NEW)  # the next build removes what the killed ones left
    assert not [p for p in _listing(tmp_path) if "kgtmp" in p]


def _publish_many(directory: str, which: int) -> None:
    for _ in range(30):
        publish_set(Path(directory), [OLD, NEW][which])


def _read_current(directory: Path) -> tuple[bytes, ...]:
    """The set as a reader that resolves the link once sees it (two separate opens could
    straddle a swap)."""
    current = directory / ".kg" / os.readlink(directory / ".kg" / "current")
    return tuple((current / name).read_bytes() for name in OLD)


def test_two_builds_at_once_publish_one_after_the_other(tmp_path: Path) -> None:
    publish_set(tmp_path, OLD)
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_publish_many, args=(str(tmp_path), which)) for which in (0, 1)]
    for writer in writers:
        writer.start()
    seen = set()
    while any(writer.is_alive() for writer in writers):
        seen.add(_read_current(tmp_path))
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert seen <= {tuple(OLD.values()), tuple(NEW.values())}
    assert _read_set(tmp_path) == NEW or _read_set(tmp_path) == OLD


# ---------------------------------------------------------------- the commands


def test_export_onto_a_fifo_or_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(ROOT / "seeds" / "mim.md"), "--out", str(tmp_path / "out")]) == 0
    graph = str(tmp_path / "out" / "kg.ttl")
    assert main(["export", graph, "--format", "nt", "-o", str(tmp_path)]) == 2
    assert f"{tmp_path}: is a directory; refusing to write over it" in capsys.readouterr().err
    assert main(["export", graph, "--format", "nt", "-o", "/dev/null"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_build_onto_an_unwritable_place_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_bytes(b"")
    assert main(["build", str(ROOT / "seeds" / "mim.md"), "--out", str(tmp_path / "file" / "out")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("kg: ") and "nothing was changed" in error and "\n" not in error
    assert files.kind_of(tmp_path / "file") == "regular file"


def test_links_a_killed_build_had_not_renamed_are_removed(tmp_path: Path) -> None:
    """A kill between making a new link and renaming it over the old one leaves the new link."""
    publish_set(tmp_path, OLD)
    name = next(iter(OLD))
    os.symlink("sets/gone", tmp_path / ".kg" / ".current.kgtmp-99999")
    os.symlink(".kg/current/gone", tmp_path / f".{name}.kgtmp-99999")
    publish_set(tmp_path, NEW)
    assert not [p for p in _listing(tmp_path) if "kgtmp" in p]
    assert _read_set(tmp_path) == NEW
