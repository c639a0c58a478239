"""``l10n publish``: the localised site, built in memory and swapped in whole.

Decides what goes live per locale (the policy), renders each live page,
links the versions to each other, adds indexes, sitemap and assets, and
hands the finished set of files to ``publish.build.SiteDir``, which writes a
new generation and flips it in for readers in one step.

A page that cannot be read or rendered is one problem (``file:line:
reason``) and is left out; the rest of the site still goes live. With ``-l``
only the named locales are decided again: the other locales already live
are rebuilt under the policy they were last published with, so they stay
live and the language switchers stay symmetric.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from lxml import etree

from l10n_tool import catalog, formats
from l10n_tool.config import PublishPolicy, Settings
from l10n_tool.document import Document
from l10n_tool.errors import L10nError
from l10n_tool.locales import LocaleInfo, get_locale
from l10n_tool.problems import Problem
from l10n_tool.project import SITE_SLUG, Project
from l10n_tool.publish import site
from l10n_tool.publish.build import SiteDir
from l10n_tool.publish.pages import localise
from l10n_tool.publish.policy import Decision, decide, validate

#: the base_url a project gets when it sets none
DEFAULT_BASE_URL = Settings.__dataclass_fields__["base_url"].default


@dataclass
class PublishResult:
    out_dir: Path
    shown: str = ""               # the output folder as the user named it (not its generation)
    decisions: list[Decision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    @property
    def pages(self) -> list[Decision]:
        return [d for d in self.decisions if d.published]


def publish(project: Project, locales: list[LocaleInfo], min_complete: float | None = None,
            include_fuzzy: bool | None = None, out_dir: Path | None = None,
            keep_other_locales: bool = False) -> PublishResult:
    s = project.settings
    out = SiteDir(Path(out_dir or s.output_dir),
                  {"project folder": s.root, "source folder": s.source_dir,
                   "locales folder": s.locales_dir}, s.source_dir, s.root)
    result = PublishResult(out.out, out.shown)
    if s.base_url == DEFAULT_BASE_URL:
        result.warnings.append(Problem(
            f"base_url is the default {DEFAULT_BASE_URL}: canonical, hreflang and sitemap URLs "
            "point at localhost; set base_url in [tool.l10n]", "pyproject.toml",
            severity="warning", code="publish"))
    docs, page_problems = project.documents_and_problems()
    result.problems += page_problems
    source = get_locale(s.source_locale)

    policies = _policies(project, locales, min_complete, include_fuzzy,
                         out.live_policies() if keep_other_locales else {})
    targets = [get_locale(code) for code in policies]
    published, catalogs = _decide(project, docs, targets, policies, source, result)
    roots = _render(project, docs, published, catalogs, policies, source, result)
    files = _link(project, docs, published, roots, source, s.base_url, result)
    files.update(_site_files(s, docs, published, roots, source, targets))
    for rel, data in _assets(project, result).items():
        if rel in files:
            result.problems.append(Problem("the site writes a file of this name itself; "
                                           "not published", project.rel(s.source_dir / rel),
                                           code="asset"))
        else:
            files[rel] = data

    meta = {"locales": {code: asdict(p) for code, p in policies.items()}}
    w = out.write(files, meta)
    result.written, result.unchanged, result.removed = w.written, w.unchanged, w.removed
    return result


def _policies(project: Project, locales: list[LocaleInfo], min_complete, include_fuzzy,
              live: dict[str, dict | None]) -> dict[str, PublishPolicy]:
    """The policy per target locale: the settings plus the command's options
    for the locales named, the recorded policy (or, for a site published
    before policies were recorded, the configured one) for the others live."""
    s = project.settings
    overrides = {k: v for k, v in (("min_complete", min_complete), ("include_fuzzy", include_fuzzy))
                 if v is not None}
    policies = {}
    for code, recorded in live.items():
        try:
            info = get_locale(code)
        except L10nError:
            continue             # not a locale folder (an asset folder), or one unknown now
        kept = s.policy(info.code) if recorded is None else _recorded(recorded)
        if kept is not None and info.code != s.source_locale:
            policies[info.code] = kept
    for loc in locales:
        policies[loc.code] = replace(s.policy(loc.code), **overrides)
    for code, policy in policies.items():
        validate(policy, code)
    return policies


def _recorded(data) -> PublishPolicy | None:
    """A policy as the site's marker recorded it, or None if it is not one."""
    try:
        policy = PublishPolicy(float(data["min_complete"]), data["include_fuzzy"],
                               tuple(data["required"]))
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(policy.include_fuzzy, bool) or \
            not all(isinstance(k, str) for k in policy.required):
        return None
    return policy


def _decide(project, docs, targets, policies, source, result):
    """Which versions go live; every PO file is read before anything is built."""
    catalogs = {loc.code: project.catalogs(loc.code) for loc in targets}
    site_catalogs = {}
    for loc in targets:
        path = project.po_path(loc.code, SITE_SLUG)
        site_catalogs[loc.code] = catalog.load(path) if path.is_file() else None
    published: dict[str, list[LocaleInfo]] = {doc.slug: [source] for doc in docs}
    for loc in targets:
        for doc in docs:
            d = decide(doc, catalogs[loc.code].get(doc.slug), loc.code, policies[loc.code])
            result.decisions.append(d)
            if d.published:
                published[doc.slug].append(loc)
    return published, (catalogs, site_catalogs)


def _render(project, docs, published, catalogs, policies, source, result):
    """Each live version's page tree. A version that fails to render is
    withheld with one problem naming it; when the source version fails, the
    whole page is (its translations would have no x-default to point at)."""
    pages, site_pages = catalogs
    roots = {}
    for doc in docs:
        for loc in list(published[doc.slug]):
            fuzzy_ok = loc.code in policies and policies[loc.code].include_fuzzy
            try:
                root, problems = localise(
                    doc, pages.get(loc.code, {}).get(doc.slug),
                    project.rel(project.po_path(loc.code, doc.slug)), loc, source, fuzzy_ok,
                    site_pages.get(loc.code), project.rel(project.po_path(loc.code, SITE_SLUG)))
            except (L10nError, ValueError, etree.LxmlError) as exc:
                result.problems.append(_withheld(project, doc, loc, exc))
                gone = {l.code for l in published[doc.slug]} if loc.code == source.code \
                    else {loc.code}
                published[doc.slug] = [l for l in published[doc.slug] if l.code not in gone]
                result.decisions = [replace(d, published=False, reason="could not be rendered")
                                    if d.slug == doc.slug and d.locale in gone and d.published
                                    else d for d in result.decisions]
                if loc.code == source.code:
                    break
                continue
            result.problems.extend(problems)
            title = (root.findtext(".//title") or root.findtext(".//h1") or doc.slug).strip()
            roots[(loc.code, doc.slug)] = (root, site.Version(loc, doc.slug, title))
    return roots


def _withheld(project: Project, doc: Document, loc: LocaleInfo, exc: Exception) -> Problem:
    why = exc.message if isinstance(exc, L10nError) else f"cannot render the page: {exc}"
    where = getattr(exc, "path", None)
    return Problem(f"{why}; {loc.code} version withheld",
                   project.rel(where) if where else project.rel(doc.path),
                   getattr(exc, "line", None), code="page")


def _link(project, docs: list[Document], published, roots, source, base_url,
          result) -> dict[str, bytes]:
    """Links between the versions (the source version first: it is x-default)."""
    versions = {doc.slug: [roots[(loc.code, doc.slug)][1] for loc in published[doc.slug]]
                for doc in docs if published[doc.slug]}
    fmt = {doc.slug: formats.get(doc.format) for doc in docs}
    docs_by_slug = {doc.slug: doc for doc in docs}
    files = {}
    for (code, slug), (root, here) in roots.items():
        def article_target(other: str, code=code) -> str | None:
            if other not in versions:
                return None
            codes = [v.locale.code for v in versions[other]]
            return f"{code if code in codes else source.code}/{other}.html"
        site.rewrite_urls(root, here, article_target)
        site.decorate_page(root, here, versions[slug], base_url)
        try:
            files[here.path] = fmt[slug].serialize(root).encode("utf-8")
        except (L10nError, ValueError, etree.LxmlError) as exc:
            result.problems.append(_withheld(project, docs_by_slug[slug], here.locale, exc))
    return files


def _site_files(s, docs, published, roots, source, targets) -> dict[str, bytes]:
    """Indexes and sitemap: our own pages, from the same list of versions."""
    serialize = formats.get("html").serialize
    live = [source] + [loc for loc in targets if any(loc in published[d.slug] for d in docs)]
    files = {}
    for loc in live:
        versions = [roots[(loc.code, d.slug)][1] for d in docs if loc in published[d.slug]]
        idx = site.locale_index(loc, s.site_name, versions, live, source, s.base_url)
        files[f"{loc.code}/index.html"] = serialize(idx).encode("utf-8")
    files["index.html"] = serialize(site.root_index(s.site_name, live)).encode("utf-8")
    groups = [[roots[(loc.code, d.slug)][1] for loc in published[d.slug]]
              for d in docs if published[d.slug]]
    files["sitemap.xml"] = site.sitemap(groups, s.base_url)
    return files


def _assets(project: Project, result: PublishResult) -> dict[str, bytes]:
    """Every non-page file of the source folder, byte for byte. Symlinks are
    followed only when they stay inside the project: a link to /etc/… is
    reported and skipped, never copied into a public site."""
    s = project.settings
    src = s.source_dir
    root = s.root.resolve()
    page_suffixes = formats.suffixes()
    files: dict[str, bytes] = {}
    seen: set[Path] = set()

    def walk(folder: Path, rel: str) -> None:
        real = folder.resolve()
        if real in seen:
            return
        seen.add(real)
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            name = f"{rel}{entry.name}"
            if entry.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root) or not target.exists():
                    result.warnings.append(Problem(
                        f"symlink to {os.readlink(path)} points outside the project; not published",
                        _shown(project, path), severity="warning", code="asset"))
                    continue
            if entry.is_dir():
                walk(path, name + "/")
            elif entry.is_file() and not (rel == "" and path.suffix.lower() in page_suffixes):
                try:
                    files[name] = path.read_bytes()
                except OSError as exc:
                    result.problems.append(Problem(f"cannot read: {exc.strerror}; not published",
                                                   _shown(project, path), code="asset"))
    if src.is_dir():
        walk(src, "")
    return files


def _shown(project: Project, path: Path) -> str:
    """``path`` relative to the project, without resolving a final symlink."""
    parent = project.rel(path.parent)
    return path.name if parent == "." else f"{parent}/{path.name}"
