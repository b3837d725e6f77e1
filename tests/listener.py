"""Local servers for the tests, on 127.0.0.1: one that answers every request with one body and
counts them (the stand-in for a remote server that must never be reached), and the real
Oxigraph server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx


class CountingHandler(BaseHTTPRequestHandler):
    requests = 0  # per server: each gets its own subclass
    body = b"{}"
    content_type = "application/json"

    def _answer(self) -> None:
        type(self).requests += 1
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def counting_server(
    body: bytes = b"{}", content_type: str = "application/json"
) -> Iterator[tuple[str, type[CountingHandler]]]:
    """(its address http://127.0.0.1:PORT, the handler class whose ``requests`` counts)."""
    handler = type("Handler", (CountingHandler,), {"requests": 0, "body": body, "content_type": content_type})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_binary() -> str:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert binary, "the oxigraph server comes with the dev dependencies (pip install -e '.[dev]')"
    return binary


@contextmanager
def oxigraph_server(location: Path, read_only: bool = False) -> Iterator[str]:
    """The Oxigraph server on 127.0.0.1 over the store at ``location``; its address http://127.0.0.1:PORT."""
    port = free_port()
    command = "serve-read-only" if read_only else "serve"
    server = subprocess.Popen(
        [oxigraph_binary(), command, "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(root + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield root
    finally:
        server.terminate()
        server.wait(timeout=10)
