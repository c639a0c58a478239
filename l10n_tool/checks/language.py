"""``language``: the header's ``Language`` names the folder's locale.

A PO file saved into the wrong folder (the French catalog of a page copied
into ``locales/de/``, a Traditional Chinese one into ``zh_Hans/``) passes
every other check: its msgids are this project's and its placeholders fit,
but its translations are in another language and would be published as
German or Simplified Chinese. Its header usually still says what it is, so
a ``Language`` naming another language, or another script of it, is an
error at the header. Another region of the same language (``de_AT`` in
``de/``, ``pt_PT`` in ``pt/``) and a value that is no locale code are not
judged. ``update`` writes the folder's locale into the header, so this is
seen before the file is first merged (in CI, where only ``check`` runs).
"""

from l10n_tool.catalog.merge import same_language
from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding


def rule(ctx, f):
    value = (f.po.metadata.get("Language") or "").strip()
    if not value or same_language(value, ctx.locale.code) is not False:
        return
    yield Finding.of("language", "error", ctx.locale.code, f.path,
                     getattr(f.po, "header_line", 1) or 1, "",
                     f"Language: {ctx.locale.code} (or another region of it)",
                     f"Language: {value}",
                     f"the header says Language: {value}, but the file is in the "
                     f"{ctx.locale.code} folder: translations of another language would be "
                     f"published as {ctx.locale.code}; move the file to its locale's folder, "
                     "or correct the header if it is wrong")


CHECK = Check("language", "error",
              "the header's Language names the folder's locale (not a file of another language)",
              rule, "file", __doc__)
