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
    unknown = sorted(set(policy.required) - formats.all_kinds())
    if unknown:
        raise L10nError(f"[tool.l10n.publish.{locale}] required: unknown unit kind(s) "
                        f"{', '.join(unknown)}; known: {', '.join(sorted(formats.all_kinds()))}")


def decide(doc: Document, po: catalog.Catalog | None, locale: str,
           policy: PublishPolicy) -> Decision:
    """Site chrome is translated once for the whole site, so only the page's
    own (article) units count towards its threshold and required kinds."""
    entries = catalog.live_entries(po)
    units = [u for u in doc.units if u.scope != "chrome"]
    plain = {u.text for u in units if u.kind in formats.get(doc.format).plain_text_kinds}

    def live(msgid: str) -> bool:
        return catalog.usable(entries.get(msgid), policy.include_fuzzy,
                              msgid in plain).text is not None

    msgids = list(dict.fromkeys(u.text for u in units))
    done = sum(1 for m in msgids if live(m))
    share = 100.0 * done / len(msgids) if msgids else 100.0
    what = "translated" if policy.include_fuzzy else "reviewed"
    if share + 1e-9 < policy.min_complete:
        return Decision(locale, doc.slug, False, share,
                        f"{share:.0f}% {what}, below min_complete {policy.min_complete:g}%")
    missing = sorted({u.kind for u in units if u.kind in policy.required and not live(u.text)})
    if missing:
        return Decision(locale, doc.slug, False, share,
                        f"required {', '.join(missing)} not {what}")
    return Decision(locale, doc.slug, True, share)
