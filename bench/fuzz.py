"""Mutation fuzzing of `kg build` over the seed and corpus articles (run on demand, nightly-style).

    python bench/fuzz.py [CASES] [WORKERS]

Each case mutates one article (truncate, delete/duplicate/swap lines, swap cells, break markup,
insert control characters, re-encode, BOM, CRLF, deep template nesting; a few cases are 50 MB)
and runs `kg build` on it in-process. A case passes when the build conforms and writes both
files (exit 0), or rejects the input with a `path:line:col` diagnostic, exit 2 and no output
file. Anything else — a non-conforming graph, exit 3, a traceback, a partial output, a hang
(over 60 s) — is a failure, printed with its seed so it can be replayed.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for d in ("seeds", "tests/articles") for p in (ROOT / d).iterdir() if p.suffix in (".wiki", ".md"))
BREAKERS = [
    "<br />",
    "||",
    "|}",
    "{|",
    "|-",
    "<tr>",
    "</td>",
    "<table>",
    "**",
    "'''",
    "{{",
    "}}",
    "[[",
    "]]",
    "（",
    "）",
    "2010年",
    "1.",
    "## ",
    "==",
    "\\[",
]
DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: error: ", re.MULTILINE)
HANG_SECONDS = 60


def _lines(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 8)):
        if not lines:
            break
        at, other = rng.randrange(len(lines)), rng.randrange(len(lines))
        action = rng.randrange(6)
        if action == 0:
            del lines[at]
        elif action == 1:
            lines.insert(at, lines[at])
        elif action == 2:
            lines[at], lines[other] = lines[other], lines[at]
        elif action == 3:
            lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)] + rng.choice(BREAKERS)
        elif action == 4:
            cells = re.split(r"(\|\||</td>)", lines[at])
            rng.shuffle(cells)
            lines[at] = "".join(cells)
        else:
            lines[at] = lines[at].replace(rng.choice("|<>[]{}*'"), "", 1)
    return "\n".join(lines)


def mutate(seed: int) -> tuple[str, bytes]:
    """(file suffix, content) of case ``seed``."""
    rng = random.Random(seed)
    source = rng.choice(SOURCES)
    text = source.read_text(encoding="utf-8")
    kind = rng.randrange(100)
    if kind < 60:
        text = _lines(rng, text)
    elif kind < 70:
        text = text[: rng.randrange(len(text) + 1)]
    elif kind < 78:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + "".join(chr(rng.randrange(0, 32)) for _ in range(rng.randint(1, 5))) + text[at:]
    elif kind < 84:
        text = text.replace("\n", "\r\n")
    elif kind < 88:
        return source.suffix, b"\xef\xbb\xbf" + text.encode("utf-8")
    elif kind < 93:
        return source.suffix, text.encode(rng.choice(["gb18030", "big5", "utf-16", "latin-1"]), errors="replace")
    elif kind < 97:
        depth = rng.choice([50, 500, 5000])
        at = rng.randrange(len(text) + 1)
        text = text[:at] + "{{x|" * depth + "}}" * depth + text[at:]
    elif kind < 99:
        text = _lines(rng, text) + "\n" + ("| {{FRA}} || 某党\n|-\n" * rng.randint(10, 200))
    else:
        text = text * max(1, 50_000_000 // max(1, len(text.encode("utf-8"))))
    return source.suffix, text.encode("utf-8")


def _alarm(signum: int, frame: object) -> None:
    raise TimeoutError


def run_case(seed: int) -> tuple[int, str, str]:
    """(seed, outcome, detail) of one case."""
    from kg.cli import main  # noqa: PLC0415 - imported in each worker

    suffix, data = mutate(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / f"case-{seed}{suffix}", Path(tmp) / "out"
        path.write_bytes(data)
        stderr = io.StringIO()
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(HANG_SECONDS)
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
                code = main(["build", str(path), "--out", str(out)])
        except TimeoutError:
            return seed, "hang", f"over {HANG_SECONDS} s"
        finally:
            signal.alarm(0)
        written = sorted(p.name for p in out.iterdir()) if out.exists() else []
        err = stderr.getvalue()
    if code == 0 and written == ["kg.jsonld", "kg.ttl"]:
        return seed, "conforms", ""
    if code == 2 and not written and DIAGNOSTIC.search(err) and "Traceback" not in err:
        return seed, "rejected", DIAGNOSTIC.search(err).group(0).split(": error")[0].rsplit(":", 2)[0][-20:]  # type: ignore[union-attr]
    return seed, "FAILED", f"exit {code}, wrote {written}: {err.strip()[:300]}"


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    start = time.perf_counter()
    outcomes: Counter[str] = Counter()
    with multiprocessing.Pool(workers) as pool:
        for seed, outcome, detail in pool.imap_unordered(run_case, range(cases), chunksize=20):
            outcomes[outcome] += 1
            if outcome not in ("conforms", "rejected"):
                print(f"case {seed}: {outcome}: {detail}", flush=True)
    elapsed = time.perf_counter() - start
    print(f"{cases} cases in {elapsed:.0f} s: " + ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())))
    sys.exit(1 if outcomes["FAILED"] or outcomes["hang"] else 0)


if __name__ == "__main__":
    main()
