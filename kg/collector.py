"""Python's cyclic garbage collector, paused while a stage makes many objects that all live on.

The collector runs after every few hundred allocations and, as the heap grows, walks all of it
again: reading a graph of 180k triples back into rdflib took 5.9 s with it running and 2.5 s
with it paused, and mwparserfromhell's tree builder ran 1.6-2.2x faster (PERF-NOTES.md). What
the paused stage leaves as garbage in reference cycles waits for the next collection.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def settling() -> Iterator[Callable[[], None]]:
    """Gives ``settle``: what the process has made so far lives on, so the collector stops
    walking it (``gc.freeze``); it walks it again once the block is left. A build's articles
    and graph are millions of objects that live to its end: the collections walking them
    again and again took half of validation's time at 1M triples (21.7 s; 10.6 s settled)."""
    try:
        gc.freeze()
        yield gc.freeze
    finally:
        gc.unfreeze()
