"""Load on `kg serve` (run on demand): CLIENTS concurrent clients for SECONDS on loopback.

    python bench/bench_serve.py GRAPH.ttl [CLIENTS] [SECONDS] [WORKERS]

Starts `kg serve GRAPH` on a free port, then each client asks in turn the SPARQL endpoint
(a SELECT), a stored query through /api and a party's page, as fast as answers come. Prints
requests, errors, requests per second, and the median and 99th-percentile latency per kind,
as a Markdown table for the README.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict

import httpx

SELECT = "SELECT ?c (COUNT(?a) AS ?n) WHERE { ?a <https://kg.example.org/ontology#conference> ?c } GROUP BY ?c"
ASKED = {
    "sparql": ("sparql", {"query": SELECT}, "application/sparql-results+json"),
    "api": ("api/members", {"international": "ICOR"}, "application/sparql-results+json"),
    "page": ("id/party/劳动党_(塞尔维亚)", {}, "text/html"),
}


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(graph: str, workers: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    argv = [sys.executable, "-m", "kg", "serve", graph, "--port", str(port), "--workers", workers]
    process = subprocess.Popen(argv)
    root = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            httpx.get(root + "sparql", timeout=5)
            return process, root
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("kg serve did not start")


def _client(root: str, stop: float, times: dict[str, list[float]], errors: list[str]) -> None:
    with httpx.Client(timeout=60) as http:
        while time.monotonic() < stop:
            for kind, (path, params, accept) in ASKED.items():
                started = time.perf_counter()
                reply = http.get(root + path, params=params, headers={"Accept": accept})
                times[kind].append(time.perf_counter() - started)
                if reply.status_code != 200:
                    errors.append(f"{kind}: {reply.status_code}")


def main() -> None:
    graph = sys.argv[1]
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
    workers = sys.argv[4] if len(sys.argv) > 4 else "2"
    process, root = _start(graph, workers)
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(root, stop, times, errors)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    process.terminate()
    process.wait()
    total = sum(len(t) for t in times.values())
    print(
        f"{clients} clients, {seconds:g} s, {workers} workers: {total} requests, {len(errors)} errors, {total / seconds:.0f}/s"
    )
    print("| request | n | p50 ms | p99 ms |\n|---|---|---|---|")
    for kind, spent in times.items():
        ranked = sorted(spent)
        p99 = ranked[min(len(ranked) - 1, int(len(ranked) * 0.99))]
        print(f"| {kind} | {len(spent)} | {statistics.median(spent) * 1000:.0f} | {p99 * 1000:.0f} |")


if __name__ == "__main__":
    main()
