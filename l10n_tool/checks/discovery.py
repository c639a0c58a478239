"""``orphaned`` and ``unconfigured-locale``: what is in ``locales/`` but not
in the project any more (or not yet).

`l10n check` checks the catalogs that exist, as Babel's ``compile`` does, not
the ones the source pages imply: a page removed from ``source/`` leaves its
PO files behind, and they may still be published or sent to translators, so
they are checked and reported. A locale folder nobody configured is only
noted; it may be work in progress.
"""

from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding


def orphaned_rule(ctx, f):
    if f.orphaned:
        yield Finding.of("orphaned", "warning", ctx.locale.code, f.path, 1, "",
                         f"a source page named {f.slug}", "no such source page",
                         f"no source page {f.slug!r}: the catalog is orphaned "
                         "(remove it, or restore the page)")


def unconfigured_rule(ctx):
    for path, name in ctx.unconfigured:
        yield Finding.of("unconfigured-locale", "info", "*", path, 0, "",
                         "a locale in [tool.l10n] locales", name,
                         f"locale folder {name} is not in [tool.l10n] locales; "
                         f"check it with -l {name}")


ORPHANED = Check("orphaned", "warning", "a catalog in locales/ whose source page no longer exists",
                 orphaned_rule, "file", __doc__)
UNCONFIGURED = Check("unconfigured-locale", "info",
                     "a locale folder in locales/ that [tool.l10n] locales does not list",
                     unconfigured_rule, "project", __doc__)
