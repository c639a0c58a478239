"""The ``l10n`` console script, light enough to catch Ctrl-C during start-up.

Importing the CLI pulls in lxml, Babel, polib and click, which takes a few
hundred milliseconds; a Ctrl-C in that window would otherwise end in a
traceback from the import machinery. This module imports nothing heavy
until the handler is in place.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from l10n_tool.cli import main as cli_main
        cli_main()
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(130)
