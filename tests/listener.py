"""A local HTTP server on 127.0.0.1 that answers every request with one body and counts them:
the tests' stand-in for a remote server that must never be reached."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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
