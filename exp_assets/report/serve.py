"""`exp-assets report --serve`: the report directory over HTTP on 127.0.0.1
only (never another interface), with Python's own http.server."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

from .location import INDEX, SERVE_HOST, served_url


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # one line per request would bury the address printed at start


def serve(directory: Path, port: int) -> None:
    """Serve `directory` until interrupted (Ctrl-C)."""
    if not (directory / INDEX).exists():
        raise FileNotFoundError(f"no report in {directory} (no {INDEX}); write it first with `exp-assets report`")
    handler = functools.partial(_Quiet, directory=str(directory))
    with http.server.ThreadingHTTPServer((SERVE_HOST, port), handler) as server:
        print(f"Serving the report in {directory} at {served_url(INDEX, server.server_address[1])} "
              "(Ctrl-C stops it)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
