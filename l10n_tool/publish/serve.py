"""A local preview server for the published site (not for production)."""

from __future__ import annotations

import errno
import functools
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from l10n_tool.errors import L10nError


def serve(directory: Path, bind: str, port: int, started: Callable[[str], None] = print) -> None:
    """Serve until Ctrl-C. ``directory`` may be the site's symlink: each
    request resolves it again, so a publish meanwhile is picked up whole."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=os.fspath(directory))
    try:
        httpd = ThreadingHTTPServer((bind, port), handler)
    except OSError as exc:
        why = "port already in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
        raise L10nError(f"cannot serve on {bind}:{port}: {why} (try --port)") from None
    with httpd:
        started(f"http://{bind}:{httpd.server_address[1]}/")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
