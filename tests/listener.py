"""Local servers for the tests, on 127.0.0.1: one that answers every request with one body and
counts them (the stand-in for a remote server that must never be reached), and two real
stores: the Oxigraph server and Virtuoso Open Source."""

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
        _wait_for(root + "/query", server, 30)
        yield root
    finally:
        server.terminate()
        server.wait(timeout=10)


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
"""


@contextmanager
def virtuoso_server(directory: Path) -> Iterator[str]:
    """Virtuoso Open Source (Debian's virtuoso-opensource, which .ci/run installs) over a new
    database in ``directory``, its user dba with password dba; its address http://127.0.0.1:PORT."""
    binary = shutil.which("virtuoso-t")
    assert binary, "Virtuoso comes from Debian's virtuoso-opensource (make system-packages installs it)"
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    server = subprocess.Popen(
        [binary, "+configfile", str(ini), "+foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    root = f"http://127.0.0.1:{http_port}"
    try:
        _wait_for(root + "/sparql", server, 120)
        yield root
    finally:
        server.terminate()
        server.wait(timeout=60)


def _wait_for(address: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(address, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{address} did not answer within {seconds} s (exit code {server.poll()})")
