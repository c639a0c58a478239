"""Whether a locale's page is good enough to go live.

Editors set the bar per locale in ``[tool.l10n.publish]``; the decision and
its one-line reason are data, so the CLI can print why a page is withheld
and the site builder can leave it out of every switcher and sitemap.
"""

from __future__ import annotations

from dataclasses import dataclass

from l10n_tool import catalog
from l10n_tool.config import PublishPolicy
from l10n_tool.document import Document
from l10n_tool.errors import L10nError
from l10n_tool import formats


@dataclass(frozen=True)
class Decision:
    locale: str
    slug: str
    published: bool
    share: float            # percent of the page's article units that may go live
    reason: str | None = None


def validate(policy: PublishPolicy, locale: str) -> None:
    unknown = formats.unknown_kinds(policy.required)
    if unknown:
        raise L10nError(f"[tool.l10n.publish.{locale}] required: unknown unit kind(s) "
                        f"{', '.join(unknown)}; known: {', '.join(sorted(formats.all_kinds()))}")


def article_units(doc: Document) -> tuple[list[tuple[str, str]], set[str]]:
    """What a decision needs of a page: its article units as (msgid, kind),
    and the msgids that must be plain text. Small enough to remember, so an
    unchanged page is never parsed again just to decide."""
    units = [(u.text, u.kind) for u in doc.units if u.scope != "chrome"]
    plain_kinds = formats.get(doc.format).plain_text_kinds
    return units, {text for text, kind in units if kind in plain_kinds}


def decide(doc: Document, po: catalog.Catalog | None, locale: str,
           policy: PublishPolicy) -> Decision:
    """Site chrome is translated once for the whole site, so only the page's
    own (article) units count towards its threshold and required kinds."""
    units, plain = article_units(doc)
    return decide_units(doc.slug, units, plain, verdicts(po, policy.include_fuzzy), locale, policy)


def verdicts(po: catalog.Catalog | None, include_fuzzy: bool):
    """``verdict(msgid, plain) → catalog.Usable``, each worked out once: the
    decision and the page rebuild ask about the same entries."""
    entries = catalog.live_entries(po)
    known: dict[tuple[str, bool], catalog.Usable] = {}

    def verdict(msgid: str, plain: bool) -> catalog.Usable:
        k = (msgid, plain)
        v = known.get(k)
        if v is None:
            v = known[k] = catalog.usable(entries.get(msgid), include_fuzzy, plain)
        return v
    verdict.line = lambda msgid: entries[msgid].linenum
    return verdict


def verdict_table(po: catalog.Catalog | None, include_fuzzy: bool) -> dict:
    """Every verdict of a catalog as plain data, {msgid: [line, (text,
    problem) as markup, (text, problem) as plain text]}: the site catalog
    is read once per change, not once per run that renders a page."""
    out = {}
    for msgid, entry in catalog.live_entries(po).items():
        row = [entry.linenum]
        for plain in (False, True):
            v = catalog.usable(entry, include_fuzzy, plain)
            row.append([v.text, v.problem])
        out[msgid] = row
    return out


def table_verdicts(table: dict):
    """``verdicts`` answered from a ``verdict_table``."""
    none = catalog.Usable(None)

    def verdict(msgid: str, plain: bool) -> catalog.Usable:
        row = table.get(msgid)
        return none if row is None else catalog.Usable(*row[2 if plain else 1])
    verdict.line = lambda msgid: table[msgid][0]
    return verdict


def decide_units(slug: str, units: list[tuple[str, str]], plain: set[str], verdict,
                 locale: str, policy: PublishPolicy) -> Decision:
    def live(msgid: str) -> bool:
        return verdict(msgid, msgid in plain).text is not None

    msgids = list(dict.fromkeys(text for text, _ in units))
    done = sum(1 for m in msgids if live(m))
    share = 100.0 * done / len(msgids) if msgids else 100.0
    what = "translated" if policy.include_fuzzy else "reviewed"
    if share + 1e-9 < policy.min_complete:
        return Decision(locale, slug, False, share,
                        f"{share:.0f}% {what}, below min_complete {policy.min_complete:g}%")
    missing = sorted({kind for text, kind in units if kind in policy.required and not live(text)})
    if missing:
        return Decision(locale, slug, False, share,
                        f"required {', '.join(missing)} not {what}")
    return Decision(locale, slug, True, share)
