"""``l10n status``: reviewed, draft and untranslated units and words per page.

The site's chrome catalog is one row of its own; PO files whose page is gone
(renamed or deleted) are listed as orphaned, so they are not left behind
without a word. Counts of an unchanged PO file come from the build state.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from l10n_tool import catalog
from l10n_tool.buildstate import BuildState, code_version
from l10n_tool.locales import LocaleInfo
from l10n_tool.fsutil import files_by_name
from l10n_tool.project import SITE_SLUG, Project


@dataclass
class StatusReport:
    rows: list[dict] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)    # PO/POT files with no source page


def _stats(project: Project, state: BuildState, path: Path) -> catalog.Stats:
    # the tool's code too: counts an older version recorded (one that read a file
    # differently, or counted differently) are not this version's
    sha = f"{state.fingerprint(path)} {code_version()}"
    known = state.memo(f"stats:{os.fspath(path)}", sha)
    if known is not None:
        return catalog.Stats(**known)
    st = catalog.stats(project.load_po(path))
    state.set_memo(f"stats:{os.fspath(path)}", sha, asdict(st))
    return st


def status(project: Project, locales: list[LocaleInfo]) -> StatusReport:
    report = StatusReport()
    paths, _ = project.page_files()
    slugs = [p.stem for p in paths]
    templates = project.settings.templates_dir
    if project.site_template_path().exists():
        slugs.append(SITE_SLUG)
    pages = set(slugs)
    report.orphaned += [project.rel(p) for p in files_by_name(templates, ".pot")
                        if p.stem not in pages]
    with project.build_state() as state:
        for loc in locales:
            folder = project.settings.locales_dir / loc.code
            present = {p.stem: p for p in files_by_name(folder, ".po")}
            report.orphaned += [project.rel(p) for s, p in present.items() if s not in pages]
            for slug in slugs:
                path = present.get(slug) or project.template_path(slug)
                if not path.exists():
                    continue                      # never extracted (an unreadable page)
                st = _stats(project, state, path)
                if slug not in present:           # no PO yet: all of the template untranslated
                    st = catalog.Stats(total=st.total, untranslated=st.total,
                                       words_total=st.words_total)
                report.rows.append({"locale": loc.code, "page": slug,
                                    "file": project.rel(project.po_path(loc.code, slug)),
                                    **st.as_dict()})
    return report
