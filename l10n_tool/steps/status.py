"""``l10n status``: reviewed, draft and untranslated units and words per page.

The site's chrome catalog is one row of its own; PO files whose page is gone
(renamed or deleted) are listed as orphaned, so they are not left behind
without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from l10n_tool import catalog
from l10n_tool.locales import LocaleInfo
from l10n_tool.project import SITE_SLUG, Project


@dataclass
class StatusReport:
    rows: list[dict] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)    # PO/POT files with no source page


def status(project: Project, locales: list[LocaleInfo]) -> StatusReport:
    report = StatusReport()
    docs = project.documents()
    slugs = [d.slug for d in docs]
    chrome = {u.text for d in docs for u in d.units if u.scope == "chrome"}
    pending = {d.slug: {u.text for u in d.units if u.scope != "chrome"} for d in docs}
    if chrome:
        slugs.append(SITE_SLUG)
        pending[SITE_SLUG] = chrome
    templates = project.settings.templates_dir
    report.orphaned += [project.rel(p) for p in sorted(templates.glob("*.pot"))
                        if p.stem not in pending] if templates.is_dir() else []
    for loc in locales:
        pos = project.locale_catalogs(loc.code)
        report.orphaned += [project.rel(project.po_path(loc.code, s)) for s in pos if s not in pending]
        for slug in slugs:
            po = pos.get(slug)
            if po is None:
                msgids = pending[slug]
                st = catalog.Stats(total=len(msgids), untranslated=len(msgids),
                                   words_total=sum(catalog.words(t) for t in msgids))
            else:
                st = catalog.stats(po)
            report.rows.append({"locale": loc.code, "page": slug,
                                "file": project.rel(project.po_path(loc.code, slug)), **st.as_dict()})
    return report
