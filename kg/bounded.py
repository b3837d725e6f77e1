"""Work that can be stopped: a task run in a process of its own, ended when its time is up.

A pyoxigraph query or a Rust reasoner holds the interpreter in native code until it is done;
nothing in Python can interrupt it (Oxigraph's maintainers say a running query cannot be
cancelled). A forked process can be killed, and its memory is the system's again at once.
The fork copies the parent's state for free, so the task is any function, with no pickling
of its inputs; only its result (or the error it raised) comes back, pickled.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Literal, TypeVar

from kg.errors import ExitCode, KgError

T = TypeVar("T")
Outcome = tuple[Literal["returned", "raised"], object]


class Stopped(KgError):
    """The task took longer than its limit, or ran out of memory, and was ended."""

    exit_code = ExitCode.BAD_INPUT


def memory_limit() -> int:
    """Three quarters of the machine's memory: a task beyond it is refused by the kernel in
    the worker (MemoryError, or an aborted allocation) before the machine starts swapping."""
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") * 3 // 4


def within(seconds: float, what: str, task: Callable[[], T]) -> T:
    """``task()``, run in a worker process killed after ``seconds`` (0: no time limit)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(task, sender), daemon=True)
    worker.start()
    sender.close()
    try:
        kind, value = _wait(receiver, worker, seconds, what)
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receiver.close()
    if kind == "raised":
        raise _stopped(what) if isinstance(value, MemoryError) else value  # type: ignore[misc]
    return value  # type: ignore[return-value]


def _wait(receiver: Connection, worker: multiprocessing.process.BaseProcess, seconds: float, what: str) -> Outcome:
    if not receiver.poll(seconds or None):
        raise Stopped(f"{what} took longer than {seconds:g} s and was stopped (--timeout sets the limit, 0 for none)")
    try:
        outcome: Outcome = receiver.recv()
    except EOFError:  # the worker died without a word: killed by the kernel, or aborted
        worker.join()
        raise _stopped(what, worker.exitcode) from None
    return outcome


def _stopped(what: str, exitcode: int | None = None) -> Stopped:
    how = f" (signal {signal.Signals(-exitcode).name})" if exitcode and exitcode < 0 else ""
    return Stopped(f"{what} ran out of memory{how} and was stopped")


def _work(task: Callable[[], object], sender: Connection) -> None:
    limit = memory_limit()
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    outcome: Outcome
    try:
        outcome = ("returned", task())
    except BaseException as exc:  # every error goes back to the parent, which raises it
        outcome = ("raised", exc)
    try:
        sender.send(outcome)
    except Exception as exc:  # a result that cannot be pickled is a bug, said in one line
        sender.send(("raised", RuntimeError(f"the worker's result could not be sent back: {exc}")))
    sender.close()
