"""Worker processes that answer jobs on one store, each stopped by killing it when its time is up.

A pyoxigraph query cannot be cancelled once it runs (see kg.bounded), so a server that must
answer the next request after an explosive one runs each job in a worker process. Workers are
forked from the process that loaded the store, so they share its pages until they write, and
a worker killed at its time limit is replaced by a fresh fork in milliseconds.

A job is a name from ``JOBS`` and plain arguments; its reply is a ``Reply`` (status, media
type, body), so nothing but strings and bytes crosses the pipe.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from kg.bounded import memory_limit
from kg.errors import KgError
from kg.store import Store


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_reply(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


Job = Callable[..., Reply]
# How long a request may wait for a worker, in time limits: a queue of clients is served in
# turn, and only a queue this long (every worker stuck on slow queries) is turned away.
QUEUE_TURNS = 10


Opener = Callable[[], Store]  # gives the store in the worker: an on-disk store is opened there


class _Worker:
    def __init__(self, opener: Opener, jobs: dict[str, Job]) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_answer_jobs, args=(opener, jobs, child), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


def _answer_jobs(opener: Opener, jobs: dict[str, Job], connection: Connection) -> None:
    limit = memory_limit()
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    store = opener()
    while True:
        try:
            name, args = connection.recv()
        except EOFError:  # the server has gone
            return
        connection.send(_answer(store, jobs[name], args))


def _answer(store: Store, job: Job, args: tuple[Any, ...]) -> Reply:
    try:
        return job(store, *args)
    except KgError as exc:  # the request's fault: a bad query, an unknown parameter
        return text_reply(400, str(exc))
    except MemoryError:
        return text_reply(503, "the request ran out of memory and was stopped")


class Pool:
    """``size`` workers; a job waits for an idle one, and is stopped after ``seconds`` (0: never)."""

    def __init__(self, opener: Opener, jobs: dict[str, Job], size: int, seconds: float) -> None:
        self.opener, self.jobs, self.seconds = opener, jobs, seconds
        self.idle: asyncio.Queue[_Worker] = asyncio.Queue()
        for _ in range(size):
            self.idle.put_nowait(_Worker(opener, jobs))

    async def run(self, name: str, *args: Any) -> Reply:
        waiting = QUEUE_TURNS * self.seconds or None
        try:
            worker = await asyncio.wait_for(self.idle.get(), waiting)
        except TimeoutError:
            return text_reply(503, f"every worker stayed busy for {waiting:g} s; try again")
        try:
            reply, worker = await self._ask(worker, name, args)
        finally:
            self.idle.put_nowait(worker)
        return reply

    async def _ask(self, worker: _Worker, name: str, args: tuple[Any, ...]) -> tuple[Reply, _Worker]:
        worker.connection.send((name, args))
        if not await asyncio.to_thread(worker.connection.poll, self.seconds or None):
            worker.stop()
            message = f"the request took longer than {self.seconds:g} s and was stopped (kg serve --timeout)"
            return text_reply(503, message), _Worker(self.opener, self.jobs)
        try:
            reply: Reply = worker.connection.recv()
        except EOFError:  # killed by the kernel: out of memory
            worker.stop()
            return text_reply(503, "the request ran out of memory and was stopped"), _Worker(self.opener, self.jobs)
        return reply, worker

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait().stop()
