"""Reading many articles: each one read again only when it or the code changed, and the ones to
read shared among processes.

An article's records are kept in a cache directory under a key that hashes the code that reads
(every module and word list of the ``kg`` package), the file's path (spans name it) and its
bytes. A build whose articles did not change reads none of them; a build after one article
changed reads that one. What is read is the same whether it came from the cache, from a worker
process or from this one, so the graph is too (tests/test_incremental.py compares the bytes).

The cache holds pickles: it is kg's own directory (under the build's ``out/.kg/``), to be trusted
as the code is, never a place to put files from elsewhere.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import Diagnostic, SourceError
from kg.files import replace_atomically
from kg.records import Article
from kg.sources import read_article_bytes, read_source, source_text
from kg.sources.manifest import source_info

# Below this many bytes to read, starting worker processes costs more than it saves.
POOL_BYTES = 1_000_000
CACHE_SUFFIX = ".pickle"

Read = Article | Diagnostic


@dataclass(frozen=True)
class Reading:
    results: list[Read]  # in the order of the files
    from_cache: int
    read: int
    # what to keep once the build is published: key → the records as read; and every key used
    fresh: dict[str, bytes] = field(default_factory=dict)
    used: frozenset[str] = frozenset()


@functools.cache
def code_version() -> str:
    """A hash of the code that turns text into records: the ``kg`` package's files."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".toml") and p.is_file()):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def read_all(files: list[Path], cache: Path | None = None, workers: int | None = None) -> Reading:
    """Every file read, or the first error it meets; from ``cache`` where it holds the file."""
    loaded: dict[int, tuple[str, bytes]] = {}
    results: dict[int, Read] = {}
    for index, path in enumerate(files):
        try:
            loaded[index] = (_key(path, data := read_article_bytes(path)), data)
        except SourceError as exc:
            results[index] = exc.diagnostic
    cached = _from_cache(cache, {index: key for index, (key, _) in loaded.items()})
    results |= cached
    wanted = {index: (str(files[index]), data) for index, (_, data) in loaded.items() if index not in cached}
    fresh = _read_many(wanted, workers)
    results |= fresh
    # pickled now: later stages add to an article (a warning that it was read once), and the
    # cache must hold what reading gave
    kept = {loaded[i][0]: _pickled(r) for i, r in fresh.items() if cache is not None and isinstance(r, Article)}
    for index, result in results.items():
        if isinstance(result, Article):
            result.source = source_info(files[index])
    ordered = [results[index] for index in range(len(files))]
    return Reading(ordered, len(cached), len(fresh), kept, frozenset(key for key, _ in loaded.values()))


def _pickled(article: Article) -> bytes:
    return pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)


def _key(path: Path, data: bytes) -> str:
    digest = hashlib.sha256(code_version().encode() + b"\0" + os.fsencode(path) + b"\0")
    digest.update(data)
    return digest.hexdigest()


def _from_cache(cache: Path | None, keys: dict[int, str]) -> dict[int, Read]:
    found: dict[int, Read] = {}
    if cache is None:
        return found
    for index, key in keys.items():
        try:
            article = pickle.loads((cache / (key + CACHE_SUFFIX)).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            continue  # not kept, or left half-written by a killed build: read it again
        if isinstance(article, Article):
            found[index] = article
    return found


def _read_many(wanted: dict[int, tuple[str, bytes]], workers: int | None) -> dict[int, Read]:
    """Each file's records; by a pool of processes when there is enough to read."""
    count = min(workers or os.cpu_count() or 1, len(wanted))
    if count < 2 or sum(len(data) for _, data in wanted.values()) < POOL_BYTES:
        return {index: _read_one(item) for index, item in wanted.items()}
    with ProcessPoolExecutor(count) as pool:
        # the largest first, so that no worker is left with a long file at the end
        order = sorted(wanted, key=lambda index: -len(wanted[index][1]))
        return dict(zip(order, pool.map(_read_one, (wanted[i] for i in order)), strict=True))


def _read_one(item: tuple[str, bytes]) -> Read:
    name, data = item
    try:
        return read_source(source_text(name, data))
    except SourceError as exc:
        return exc.diagnostic


def keep(cache: Path, reading: Reading) -> str | None:
    """Store what was read; remove what this build did not use, so the cache holds one corpus.
    Called once the build is published; a cache that cannot be written costs only time, so the
    answer is a warning to show, not an error."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for key, data in reading.fresh.items():
            replace_atomically(cache / (key + CACHE_SUFFIX), data)
        keep = {key + CACHE_SUFFIX for key in reading.used}
        for path in cache.iterdir():
            if path.name not in keep:  # an article no longer built, or a killed build's temporary
                path.unlink(missing_ok=True)
    except OSError as exc:
        return f"the cache {cache} was not written ({exc.strerror or exc}): the next build reads every article"
    return None
