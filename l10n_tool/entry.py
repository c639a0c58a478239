"""The ``l10n`` console script, light enough to catch Ctrl-C during start-up.

Importing the CLI pulls in lxml, Babel, polib and click, which takes a few
hundred milliseconds; a Ctrl-C in that window would otherwise end in a
traceback from the import machinery. This module imports nothing heavy
until the handler is in place.
"""

from __future__ import annotations

import sys

#: the thread the local MT executor runs a native engine on (mt/executors/local.py)
ENGINE_THREAD = "l10n-mt"


def main() -> None:
    try:
        from l10n_tool.cli import main as cli_main
        cli_main()
        code = 0
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        code = 130
    except SystemExit as exc:
        code = exc.code
    _leave(code)


def _leave(code) -> None:
    """Exit with ``code``. After a Ctrl-C the engine thread is left in the
    middle of a batch in native code (CTranslate2); a normal exit would run
    the library's C++ destructors under it and crash with SIGSEGV instead
    of exiting 130. Everything the run keeps is committed and closed by
    then (the command has returned), so the process leaves without
    finalising: output flushed, then ``os._exit``."""
    import os
    import signal
    import threading     # imported here: a Ctrl-C during start-up must find the handler
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # leaving already: no traceback now
    if any(t.name == ENGINE_THREAD and t.is_alive() for t in threading.enumerate()):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        if isinstance(code, str):
            sys.stderr.write(code + "\n")
            sys.stderr.flush()
        os._exit(code if isinstance(code, int) else 0 if code is None else 1)
    sys.exit(code)
