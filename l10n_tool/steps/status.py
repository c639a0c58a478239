"""``l10n status``: reviewed, draft and untranslated units and words per page."""

from __future__ import annotations

from l10n_tool import catalog
from l10n_tool.locales import LocaleInfo
from l10n_tool.project import Project


def status(project: Project, locales: list[LocaleInfo]) -> list[dict]:
    rows = []
    for loc in locales:
        pos = project.catalogs(loc.code)
        for doc in project.documents():
            po = pos.get(doc.slug)
            if po is None:
                msgids = {u.text for u in doc.units}
                st = catalog.Stats(total=len(msgids), untranslated=len(msgids),
                                   words_total=sum(catalog.words(t) for t in msgids))
            else:
                st = catalog.stats(po)
            rows.append({"locale": loc.code, "page": doc.slug,
                         "file": project.rel(project.po_path(loc.code, doc.slug)), **st.as_dict()})
    return rows
