"""Build the whole published site and swap it in.

The site is built in memory first, then written to a staging folder beside
the output and swapped in with two renames, so a failure halfway leaves the
previous site intact. Files whose bytes did not change are hard-linked from
the previous site, not rewritten, and a run that changes nothing touches
nothing at all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from l10n_tool import formats
from l10n_tool.fsutil import replace_dir
from l10n_tool.locales import LocaleInfo, get_locale
from l10n_tool.project import Project
from l10n_tool.publish import site
from l10n_tool.publish.pages import PageProblem, localise
from l10n_tool.publish.policy import Decision, decide, validate


@dataclass
class PublishResult:
    out_dir: Path
    decisions: list[Decision] = field(default_factory=list)
    problems: list[PageProblem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    @property
    def pages(self) -> list[Decision]:
        return [d for d in self.decisions if d.published]


def publish(project: Project, locales: list[LocaleInfo], min_complete: float | None = None,
            include_fuzzy: bool | None = None, out_dir: Path | None = None) -> PublishResult:
    s = project.settings
    source = get_locale(s.source_locale)
    docs = project.documents()
    docs_by_slug = {doc.slug: doc for doc in docs}
    out = Path(out_dir or s.output_dir)
    result = PublishResult(out)

    # 1. decide what goes live (reading every PO file before anything is built)
    catalogs = {loc.code: project.catalogs(loc.code) for loc in locales}
    overrides = {k: v for k, v in (("min_complete", min_complete), ("include_fuzzy", include_fuzzy))
                 if v is not None}
    policies = {loc.code: replace(s.policy(loc.code), **overrides) for loc in locales}
    published: dict[str, list[LocaleInfo]] = {doc.slug: [source] for doc in docs}
    for loc in locales:
        validate(policies[loc.code], loc.code)
        for doc in docs:
            d = decide(doc, catalogs[loc.code].get(doc.slug), loc.code, policies[loc.code])
            result.decisions.append(d)
            if d.published:
                published[doc.slug].append(loc)

    # 2. render every published page
    files: dict[str, bytes] = {}
    roots = {}
    for doc in docs:
        for loc in published[doc.slug]:
            po = catalogs.get(loc.code, {}).get(doc.slug)
            po_rel = project.rel(project.po_path(loc.code, doc.slug))
            fuzzy_ok = loc.code in policies and policies[loc.code].include_fuzzy
            root, problems = localise(doc, po, po_rel, loc, source, fuzzy_ok)
            result.problems.extend(problems)
            title = (root.findtext(".//title") or root.findtext(".//h1") or doc.slug).strip()
            roots[(loc.code, doc.slug)] = (root, site.Version(loc, doc.slug, title))

    # 3. link the versions to each other (the source version first: it is x-default)
    versions = {doc.slug: [roots[(loc.code, doc.slug)][1] for loc in published[doc.slug]]
                for doc in docs}
    for (code, slug), (root, here) in roots.items():
        def article_target(other: str, code=code) -> str | None:
            if other not in versions:
                return None
            codes = [v.locale.code for v in versions[other]]
            return f"{code if code in codes else source.code}/{other}.html"
        site.rewrite_urls(root, here, article_target)
        site.decorate_page(root, here, versions[slug], s.base_url)
        files[here.path] = formats.get(docs_by_slug[slug].format).serialize(root).encode("utf-8")

    # 4. indexes, sitemap, assets (our own HTML pages)
    serialize = formats.get("html").serialize
    live_locales = [source] + [loc for loc in locales
                               if any(loc in published[d.slug] for d in docs)]
    for loc in live_locales:
        pages = [roots[(loc.code, d.slug)][1] for d in docs if loc in published[d.slug]]
        idx = site.locale_index(loc, s.site_name, pages, live_locales, source, s.base_url)
        files[f"{loc.code}/index.html"] = serialize(idx).encode("utf-8")
    files["index.html"] = serialize(site.root_index(s.site_name, live_locales)).encode("utf-8")
    files["sitemap.xml"] = site.sitemap(list(versions.values()), s.base_url)
    for asset in _assets(s.source_dir):
        files[asset.relative_to(s.source_dir).as_posix()] = asset.read_bytes()

    result.written, result.unchanged, result.removed = write_site(files, out)
    return result


def _assets(source_dir: Path) -> list[Path]:
    return sorted(p for p in source_dir.rglob("*")
                  if p.is_file() and p.suffix.lower() not in (".html", ".htm")
                  and not any(part.startswith(".") for part in p.relative_to(source_dir).parts))


def _existing(out: Path) -> dict[str, Path]:
    if not out.is_dir():
        return {}
    return {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}


def write_site(files: dict[str, bytes], out: Path) -> tuple[list[str], int, list[str]]:
    """Swap ``files`` in as the new content of ``out``; unchanged files are kept."""
    existing = _existing(out)
    removed = sorted(set(existing) - set(files))
    same = {rel for rel, data in files.items()
            if rel in existing and existing[rel].read_bytes() == data}
    if not removed and len(same) == len(files):
        return [], len(same), []
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    written = []
    try:
        for rel, data in sorted(files.items()):
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if rel in same:
                try:
                    os.link(existing[rel], dest)
                except OSError:
                    shutil.copy2(existing[rel], dest)
            else:
                dest.write_bytes(data)
                os.chmod(dest, 0o644)
                written.append(rel)
        os.chmod(staging, 0o755)
        replace_dir(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written, len(same), removed
