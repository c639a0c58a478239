"""``l10n publish``: the localised site, rebuilt where its inputs changed.

Decides what goes live per locale (the policy), renders each live page,
links the versions to each other, adds indexes, sitemap and assets, and
writes them one at a time into a new generation that ``publish.build``
flips in for readers only when it is complete.

Incremental: the build state remembers, per page version, what the policy
decided, its title and its problems, under a digest of what they came from
(the page's fingerprint, its PO file's, the site PO file's, the policy), and
per output file the digest of everything it was made from, which adds the
published versions of the page and of every article it links to. An output
whose digest still matches, and whose live file is still the one written,
is hard-linked into the new generation: no HTML or PO file is read for it.
When nothing at all changed, publish checks one digest over every input and
stops at ``up to date``.

A page that cannot be read or rendered is one problem (``file:line:
reason``) and is left out; the rest of the site still goes live. With ``-l``
only the named locales are decided again: the other locales already live
are rebuilt under the policy they were last published with, so they stay
live and the language switchers stay symmetric.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from lxml import etree

from l10n_tool import catalog, formats, workers as workers_mod
from l10n_tool.buildstate import digest
from l10n_tool.config import PublishPolicy, Settings
from l10n_tool.document import Document
from l10n_tool.errors import L10nError
from l10n_tool.fsutil import bad_name, printable
from l10n_tool.locales import LocaleInfo, get_locale, remembered_facts
from l10n_tool.problems import Problem
from l10n_tool.project import SITE_SLUG, Project
from l10n_tool.publish import site
from l10n_tool.publish.build import MARKER, SiteDir, Written
from l10n_tool.publish.pages import localise
from l10n_tool.publish.policy import (Decision, article_units, decide_units, table_verdicts,
                                      validate, verdict_table, verdicts)

#: the prefix of publish's memos in the build state
KEY = "publish:"
#: pages read ahead of their turn (a link's target) whose document and
#: catalogs are kept for their turn; more are read again then
HELD = 8
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
    policies = _policies(project, locales, min_complete, include_fuzzy,
                         out.live_policies() if keep_other_locales else {})
    with project.build_state() as state:
        _Build(project, state, out, policies, result).run()
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


def _withheld(project: Project, doc: Document, loc: LocaleInfo, exc: Exception) -> Problem:
    why = exc.message if isinstance(exc, L10nError) else f"cannot render the page: {exc}"
    where = getattr(exc, "path", None)
    return Problem(f"{why}; {loc.code} version withheld",
                   project.rel(where) if where else project.rel(doc.path),
                   getattr(exc, "line", None), code="page")


def _shown(project: Project, path: Path) -> str:
    """``path`` relative to the project, without resolving a final symlink."""
    parent = project.rel(path.parent)
    return path.name if parent == "." else f"{parent}/{path.name}"


def _render_in_child(build, staging, task):
    """One page's versions, rendered by a forked worker straight into the
    staging folder; what it worked out comes back to be remembered."""
    build.child, build.delta = True, {}
    build.late, build.again = [], False
    staging.stats, staging.written = {}, []
    slug, todo = task
    p = build.page(slug, keep=True)
    build.build_page(slug, staging, todo if todo is not None else [loc.code for loc in p.live])
    p.drop()
    return p, build.delta, staging.stats, staging.written, build.late, build.again


_DECISION_FIELDS = [f.name for f in fields(Decision)]


def _problem(data: dict) -> Problem:
    return Problem(**data)


class _Lazy(dict):
    """A mapping whose values (a page's fingerprint, the digest of how it is
    read) are worked out when first asked for: a run that rebuilds a few of
    10,000 pages asks for a few."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


class _Again(Exception):
    """A version presumed live failed to render for the first time: the
    switchers and links already written count it, so build once more."""


@dataclass
class _Version:
    inputs: str                   # digest of what its decision and rendering came from
    data: dict | None             # remembered: decision, title, problems, failure


@dataclass
class _Page:
    slug: str
    path: Path
    key: str                      # digest of the source page and how it is read
    versions: dict[str, _Version] = field(default_factory=dict)
    live: list[LocaleInfo] = field(default_factory=list)   # source first (the x-default)
    unreadable: Problem | None = None
    doc: Document | None = None   # held only while the page is being built
    pos: dict = field(default_factory=dict)

    def drop(self) -> None:
        self.doc, self.pos = None, {}


class _Build:
    """One publish run: decisions, pages, indexes and assets, each redone
    only when the digest of its inputs differs from what the state holds."""

    def __init__(self, project: Project, state, out: SiteDir, policies: dict[str, PublishPolicy],
                 result: PublishResult):
        self.project, self.state, self.out, self.result = project, state, out, result
        self.s = s = project.settings
        self.policies = policies
        self._version_inputs: dict[tuple[str, str], str] = {}    # asked several times a page
        self._policy_reprs = {code: repr(p) for code, p in policies.items()}
        self.source = get_locale(s.source_locale)
        self.targets = [get_locale(code) for code in policies]
        self.codes = [self.source.code] + [loc.code for loc in self.targets]
        self.out_key = f"{KEY}out:{out.out}:"
        self._memos: dict[str, tuple[str, str]] | None = None
        self._decoded: dict[str, tuple[str, dict]] = {}
        self.changed: dict[str, tuple[str, dict]] = {}
        self.site_verdicts: dict[str, object] = {}
        #: pages found unreadable in this run (kept across passes)
        self.unreadable: dict[str, Problem] = {}
        #: a worker process, which must not touch the build state's database
        self.child = False
        #: pages being read by workers: links to them are guessed
        self.pending: set[str] = set()
        #: in a worker: what it remembered, to be sent back
        self.delta: dict[str, tuple[str, dict]] | None = None
        #: the records are read all at once (a run over every page), or each when asked for
        self.bulk = True
        #: a staging folder a first attempt began, for the next to go on with
        self.staging = None

    # -- the build state, read in bulk and written at the end
    def memos(self) -> dict[str, tuple[str, str]]:
        if self._memos is None:
            self._memos = self.state.memos(f"{KEY}v:")
            self._memos.update(self.state.memos(self.out_key))
        return self._memos

    def memo(self, key: str, inputs: str) -> dict | None:
        """The data remembered under ``key`` if it was made from ``inputs``."""
        known = self.recorded(key)
        return known[1] if known is not None and known[0] == inputs else None

    def recorded(self, key: str) -> tuple[str, dict] | None:
        """(inputs, data) remembered under ``key``, whatever the inputs."""
        if key in self.changed:
            return self.changed[key]
        known = self._decoded.get(key)
        if known is None:
            row = self.memos().get(key) if self.bulk else self.state.memo_row(key)
            if row is None:
                return None
            # decoded once: a page's memos are asked for by several stages of the build
            known = self._decoded[key] = (row[0], json.loads(row[1]))
        return known

    def remember(self, key: str, inputs: str, data: dict) -> None:
        self.changed[key] = (inputs, data)
        if self.delta is not None:
            self.delta[key] = (inputs, data)

    def save(self) -> None:
        for key, (inputs, data) in self.changed.items():
            self.state.set_memo(key, inputs, data)

    # -- the run
    def run(self) -> None:
        project, s, result = self.project, self.s, self.result
        paths, self.listing_problems = project.page_files()
        self.paths = {p.stem: p for p in paths}
        self.slugs = list(self.paths)
        how = digest("read", s.source_locale, s.segment, repr(s.extract))
        fps = self.state.fingerprints(map(os.fspath, paths))
        page_fp = _Lazy(lambda slug: self.state.input_fingerprint(self.paths[slug]))
        folder = os.fspath(s.locales_dir)     # strings: 10,000s of paths, the same keys
        po_paths = {(code, slug): f"{folder}/{code}/{slug}.po"
                    for code in self.codes[1:] for slug in self.slugs}
        fps.update(self.state.fingerprints(po_paths.values()))
        self.po_fp = _Lazy(lambda key: self.state.input_fingerprint(po_paths[key]))
        self.site_fp = {code: self.state.input_fingerprint(f"{folder}/{code}/{SITE_SLUG}.po")
                        for code in self.codes[1:]}
        assets = self.find_assets()
        #: what each page's versions come from, short: the next run finds the
        #: pages that changed by comparing these, not by digesting every page again
        self.slug_inputs = {slug: "\x1f".join([path.name, fps[os.fspath(path)],
                                               *(fps[po_paths[(c, slug)]] for c in self.codes[1:])])
                            for slug, path in self.paths.items()}
        self.site_key = digest(
            "all", how, s.base_url, s.site_name, self.codes,
            [(code, repr(p)) for code, p in self.policies.items()],
            [str(p) for p in self.listing_problems],
            sorted(self.site_fp.items()), [(rel, fp) for rel, _, fp in assets])
        all_key = f"{KEY}all:{self.out.out}"
        row = self.state.blob(all_key)
        known = row[1] if row is not None and isinstance(row[1], dict) else None
        if known is not None and known.get("site") == self.site_key and \
                known.get("slugs") == self.slug_inputs and known.get("stats") == self.live_stats():
            self.out.clean()
            self.replay(known)
            return
        self.page_keys = _Lazy(lambda slug: digest(
            "page", how, os.path.splitext(self.paths[slug].name)[1].lower(), page_fp[slug]))
        with remembered_facts(self.state, [self.source, *self.targets]):
            written = self.build_changed(known) if known is not None else None
            while written is None:    # each pass remembers its new render failures; two at most
                try:
                    written = self.build(assets)
                except _Again:
                    continue
        result.written, result.unchanged, result.removed = \
            written.written, written.unchanged, written.removed
        self.save()
        self.state.set_blob(all_key, self.site_key, {
            "stats": self.live_stats(self.stats),
            # rows for Decision(*row); not asdict(), which deep-copies each of 10,000
            "decisions": [[getattr(d, f) for f in _DECISION_FIELDS] for d in result.decisions],
            "problems": [asdict(p) for p in self.page_problems],
            "asset_problems": [asdict(p) for p in self.asset_problems],
            "files": written.unchanged + len(written.written),
            # what the next run needs to rebuild only the pages that changed
            "site": self.site_key, "slugs": self.slug_inputs, "live": self.live_codes,
            "by_slug": self.by_slug, "whole": self.whole})

    def replay(self, known: dict) -> None:
        r = self.result
        r.decisions = [Decision(*d) for d in known["decisions"]]
        r.problems = [_problem(p) for p in known["problems"]] + r.problems + \
            [_problem(p) for p in known.get("asset_problems", ())]
        r.unchanged = known["files"]

    def live_stats(self, stats: dict[str, tuple[int, int, int]] | None = None) -> dict | None:
        """(size, mtime, inode) of every file of the live site as this run
        found it (``stats``: those just written), the link to it and its
        marker's: any file rewritten, replaced or removed there changes them."""
        out = self.out
        if out.live is None or out.manifest is None or not out.out.is_symlink():
            return None
        try:
            files = dict(out.live_stats() if stats is None else stats)
            files.pop(MARKER, None)
            return {"link": os.readlink(out.out), "marker": out.live_stat(MARKER), "files": files}
        except OSError:
            return None

    def build_changed(self, known: dict) -> "Written | None":
        """A few pages changed and nothing else: only they are decided and
        rendered, and every other file of the live site is kept as it is,
        without a look at its page or its records. None (nothing done) when
        the rest of the site depends on what changed: a version that went
        live or was withheld (links and switchers elsewhere follow it), a new
        title (the indexes), a page that failed, or more pages than that."""
        slugs, stats = known.get("slugs"), known.get("stats")
        if known.get("site") != self.site_key or not known.get("whole") or \
                not isinstance(slugs, dict) or list(slugs) != self.slugs or not stats:
            return None
        changed = [slug for slug in self.slugs if slugs[slug] != self.slug_inputs[slug]]
        if not changed or len(changed) >= workers_mod.PARALLEL_MIN or \
                stats != self.live_stats():
            return None
        self.bulk = False           # a few records asked for: no reading of all of them
        titles = {}
        for slug in changed:
            for code in self.codes:
                was = self.recorded(f"{KEY}v:{code}:{slug}")
                titles[(slug, code)] = was[1].get("title") if was is not None else None
        self.pages, self.held = {}, OrderedDict()
        self.late, self.again = [], False
        staging = self.out.begin()
        try:
            for slug in changed:
                self.build_page(slug, staging)
            rows, by_slug = known["decisions"], dict(known["by_slug"])
            where = {(row[0], row[1]): i for i, row in enumerate(rows)}
            for slug in changed:
                p = self.pages[slug]
                codes = [loc.code for loc in p.live]
                if p.unreadable or codes != known["live"].get(slug) or self.again or self.late \
                        or any(p.versions[c].data.get("title") != titles[(slug, c)] for c in codes) \
                        or any((loc.code, slug) not in where for loc in self.targets):
                    staging.restart()
                    self.staging, self.bulk = staging, True   # for the whole build
                    return None
                for loc in self.targets:
                    rows[where[(loc.code, slug)]] = [getattr(self._decision(p, loc), f)
                                                     for f in _DECISION_FIELDS]
                by_slug[slug] = [asdict(x) for x in self.slug_problems(p)]
            staging.adopt(stats["files"])
            self.live_codes, self.by_slug, self.whole = known["live"], by_slug, True
            self.page_problems = list(self.listing_problems) + \
                [_problem(x) for slug in self.slugs for x in by_slug.get(slug, ())]
            self.asset_problems = [_problem(x) for x in known.get("asset_problems", ())]
            self.result.decisions = [Decision(*row) for row in rows]
            self.result.problems = self.page_problems + self.result.problems + self.asset_problems
            meta = {"locales": {code: asdict(p) for code, p in self.policies.items()}}
            written = staging.finish(meta)
        except BaseException:
            staging.abort()
            raise
        self.stats = staging.stats
        return written

    def build(self, assets) -> "Written":
        self.pages: dict[str, _Page] = {}
        self.held: OrderedDict[str, _Page] = OrderedDict()
        self.page_problems: list[Problem] = []
        self.late: list[Problem] = []            # serialising failures
        self.again = False
        staging, self.staging = self.staging or self.out.begin(), None
        try:
            workers = workers_mod.count()
            if workers > 1:
                self.build_in_parallel(staging, workers)
            else:
                for slug in self.slugs:
                    self.build_page(slug, staging)
            if self.again:
                staging.restart()
                self.staging = staging        # the next pass begins where this one did
                raise _Again
            self.collect()
            site_rels = self.site_files(staging)
            self.copy_assets(staging, assets, site_rels)
            meta = {"locales": {code: asdict(p) for code, p in self.policies.items()}}
            written = staging.finish(meta)
        except _Again:
            raise
        except BaseException:
            staging.abort()
            raise
        self.stats = staging.stats
        return written

    # -- many pages to read or render: worker processes, forked with this build
    def build_in_parallel(self, staging, workers: int) -> None:
        """Pages are read, decided and rendered by forked workers, each
        writing its files straight into the staging folder; what they worked
        out comes back here to be remembered. A worker cannot know yet
        whether an article it links to, read by another worker, goes live:
        it takes last run's decision (or live), and every page whose guess
        proves wrong is rendered again here."""
        self.memos()                      # read before forking: workers never query the state
        self.pending = {slug for slug in self.slugs if self._unknown(slug)}
        if len(self.pending) < workers_mod.PARALLEL_MIN:
            self.pending = set()          # decided here as needed: no guesses to check
        plan: list[tuple[str, list[str] | None]] = [(slug, None) for slug in self.slugs
                                                   if slug in self.pending]
        for slug in self.slugs:
            if slug not in self.pending:
                p = self.page(slug)
                todo = [loc.code for loc in p.live if not self.kept(p, loc, staging)]
                if todo:
                    plan.append((slug, todo))
        if len(plan) < workers_mod.PARALLEL_MIN:      # (then nothing is pending)
            for slug, todo in plan:
                self.build_page(slug, staging, todo)
            return
        for loc in [self.source, *self.targets]:      # the language switcher's facts
            loc.work_out("direction", "native_name", "og_locale")
        staging.ready()                               # one folder for every worker to write in
        rendered = workers_mod.fan_out(lambda task: _render_in_child(self, staging, task),
                                       plan, workers, minimum=1)
        for (slug, todo), (p, delta, stats, written, late, again) in zip(plan, rendered):
            self.changed.update(delta)
            if todo is None:
                self.pages[slug] = p
                if p.unreadable:
                    self.unreadable[slug] = p.unreadable
            else:
                for key, (inputs, data) in delta.items():
                    if key.startswith(f"{KEY}v:"):
                        self.pages[slug].versions[key[len(KEY):].split(":", 2)[1]].data = data
            staging.merge(stats, written)
            self.late += late
            self.again = self.again or again
        self.pending = set()
        for slug in self.slugs:        # the guesses checked, now that every page is decided
            p = self.pages[slug]
            wrong = []
            for loc in p.live:
                known = self.recorded(f"{self.out_key}{loc.code}/{slug}.html")
                if known is not None and known[0] != self.out_inputs(p, loc.code,
                                                                     known[1]["asked"]):
                    wrong.append(loc.code)
            if wrong:
                self.build_page(slug, staging, wrong)

    def _unknown(self, slug: str) -> bool:
        """The page's HTML or one of its PO files changed (or was never
        read): a worker must read it and decide it."""
        if slug in self.unreadable:
            return True
        src = self.source.code
        if self.memo(f"{KEY}v:{src}:{slug}", self.version_inputs(slug, src)) is None:
            return True
        return any(self.memo(f"{KEY}v:{loc.code}:{slug}", self.version_inputs(slug, loc.code))
                   is None for loc in self.targets)

    def version_inputs(self, slug: str, code: str) -> str:
        """What a version's decision and rendering come from (the source
        version: its page alone)."""
        known = self._version_inputs.get((slug, code))
        if known is None:
            known = digest("version", self.page_keys[slug]) if code == self.source.code else \
                digest("version", self.page_keys[slug], code, self.po_fp[(code, slug)],
                       self.site_fp[code], self._policy_reprs[code])
            self._version_inputs[(slug, code)] = known
        return known

    def guess(self, other: str, code: str) -> str:
        """Where a link to a page another worker decides will most likely
        point: as last run decided, else at the version in ``code``."""
        known = self.recorded(f"{KEY}v:{code}:{other}") if code != self.source.code else None
        data = known[1] if known is not None else {}
        live = data.get("decision", [True])[0] and not data.get("failed")
        return f"{code if live else self.source.code}/{other}.html"

    def kept(self, p: _Page, loc: LocaleInfo, staging) -> bool:
        """The version's file, hard-linked from the live site, if its inputs
        are as they were when it was written."""
        rel = f"{loc.code}/{p.slug}.html"
        known = self.recorded(self.out_key + rel)
        return bool(p.versions[loc.code].data.get("rendered") and known is not None and
                    self.out_inputs(p, loc.code, known[1]["asked"]) == known[0] and
                    staging.keep(rel, known[1]["stat"]))

    # -- pages: what is decided, and what goes live
    def page(self, slug: str, keep: bool = False) -> _Page:
        """The page's decisions per locale, from the state where its inputs
        are as last time, else from reading the page (only when the page
        changed) and its PO files."""
        p = self.pages.get(slug)
        if p is None:
            p = self.pages[slug] = self._decide(slug)
            if not keep and (p.doc is not None or p.pos):
                self.held[slug] = p      # read for a link; likely built soon
                while len(self.held) > HELD:
                    self.held.popitem(last=False)[1].drop()
        return p

    def _decide(self, slug: str) -> _Page:
        src = self.source.code
        p = _Page(slug, self.paths[slug], self.page_keys[slug], unreadable=self.unreadable.get(slug))
        if p.unreadable:
            return p
        inputs = self.version_inputs(slug, src)
        p.versions[src] = _Version(inputs, self.memo(f"{KEY}v:{src}:{slug}", inputs))
        for loc in self.targets:
            inputs = self.version_inputs(slug, loc.code)
            p.versions[loc.code] = _Version(inputs, self.memo(f"{KEY}v:{loc.code}:{slug}", inputs))
        if p.versions[src].data is None:
            if self.doc(p) is None:
                return p
            self.set_version(p, src, {"rendered": False})
        stale = [loc for loc in self.targets if p.versions[loc.code].data is None]
        if stale:
            got = self.units(p)
            if got is None:
                return p
            units, plain = got
            for loc in stale:
                policy = self.policies[loc.code]
                d = decide_units(slug, units, plain, self.verdict(p, loc.code), loc.code, policy)
                self.set_version(p, loc.code, {"decision": [d.published, d.share, d.reason],
                                               "rendered": False})
        self.set_live(p)
        return p

    def set_live(self, p: _Page) -> None:
        v = p.versions
        if p.unreadable or v[self.source.code].data.get("failed"):
            p.live = []
            return
        p.live = [self.source] + [loc for loc in self.targets if v[loc.code].data["decision"][0]
                                  and not v[loc.code].data.get("failed")]

    def set_version(self, p: _Page, code: str, data: dict) -> None:
        v = p.versions[code]
        v.data = data
        self.remember(f"{KEY}v:{code}:{p.slug}", v.inputs, data)

    def units(self, p: _Page) -> tuple[list[tuple[str, str]], set[str]] | None:
        """The page's article units, remembered apart from the versions (they
        are bulky and needed only when a PO file changed)."""
        key = f"{KEY}units:{p.slug}"
        known = self.changed.get(key)
        known = known[1] if known is not None and known[0] == p.key else \
            None if self.child else self.state.memo(key, p.key)
        if known is not None:
            return [tuple(u) for u in known["units"]], set(known["plain"])
        if self.doc(p) is None:
            return None
        units, plain = article_units(p.doc)
        self.remember(key, p.key, {"units": units, "plain": sorted(plain)})
        return units, plain

    def doc(self, p: _Page) -> Document | None:
        if p.doc is None and p.unreadable is None:
            try:
                p.doc = self.project.read_page(p.path)
            except L10nError as exc:
                p.unreadable = self.unreadable[p.slug] = self.project.page_problem(exc, p.path)
        return p.doc

    def load_po(self, path: Path):
        if path.is_dir():
            raise L10nError("a folder where a PO file should be", path)
        return catalog.load(path) if path.exists() else None

    def verdict(self, p: _Page, code: str):
        if code not in p.pos:
            po = self.load_po(self.project.po_path(code, p.slug))
            p.pos[code] = verdicts(po, self.policies[code].include_fuzzy)
        return p.pos[code]

    def site_verdict(self, code: str):
        """The site catalog's verdicts, remembered as a table while the
        file is unchanged (with 10,000 pages its references make it big)."""
        if code not in self.site_verdicts:
            fuzzy = self.policies[code].include_fuzzy
            key, inputs = f"{KEY}site:{code}", digest("site-po", self.site_fp[code], fuzzy)
            table = self.changed.get(key)
            table = table[1] if table is not None and table[0] == inputs else \
                None if self.child else self.state.memo(key, inputs)
            if table is None:
                path = self.project.po_path(code, SITE_SLUG)
                table = verdict_table(catalog.load(path) if path.is_file() else None, fuzzy)
                self.remember(key, inputs, table)
            self.site_verdicts[code] = table_verdicts(table)
        return self.site_verdicts[code]

    def target(self, other: str, code: str) -> str | None:
        """The path of article ``other``'s best version for a page in ``code``."""
        if other not in self.paths:
            return None
        if other in self.pending and other not in self.pages:
            return self.guess(other, code)
        codes = [loc.code for loc in self.page(other).live]
        if not codes:
            return None
        return f"{code if code in codes else self.source.code}/{other}.html"

    def out_inputs(self, p: _Page, code: str, asked: list[str]) -> str:
        return digest("out", p.versions[code].inputs, self.s.base_url,
                      [loc.code for loc in p.live], [(b, self.target(b, code)) for b in asked])

    def build_page(self, slug: str, staging, todo: list[str] | None = None) -> None:
        """Each live version of the page, kept or rendered (``todo``: the
        versions already known to need rendering)."""
        p = self.page(slug, keep=True)
        for loc in list(p.live):
            if todo is not None and loc.code not in todo or \
                    todo is None and self.kept(p, loc, staging):
                continue
            self.render(p, loc, staging)
        p.drop()
        self.held.pop(slug, None)

    def render(self, p: _Page, loc: LocaleInfo, staging) -> None:
        project, src = self.project, self.source
        doc = self.doc(p)
        if doc is None:               # readable a moment ago (or last run): it changed
            self.again = True
            return
        is_source = loc.code == src.code
        try:
            root, problems = localise(
                doc, None, project.rel(project.po_path(loc.code, p.slug)), loc, src,
                not is_source and self.policies[loc.code].include_fuzzy, None,
                project.rel(project.po_path(loc.code, SITE_SLUG)),
                None if is_source else self.verdict(p, loc.code),
                None if is_source else self.site_verdict(loc.code))
        except (L10nError, ValueError, etree.LxmlError) as exc:
            self.set_version(p, loc.code, dict(p.versions[loc.code].data, rendered=True,
                                               failed=asdict(_withheld(project, doc, loc, exc))))
            self.again = True
            return
        title = (root.findtext(".//title") or root.findtext(".//h1") or p.slug).strip()
        self.set_version(p, loc.code, dict(p.versions[loc.code].data, rendered=True, failed=None,
                                           title=title, problems=[asdict(x) for x in problems]))
        asked: set[str] = set()

        def article_target(other: str) -> str | None:
            asked.add(other)
            return self.target(other, loc.code)
        here = site.Version(loc, p.slug, title)
        site.rewrite_urls(root, here, article_target)
        site.decorate_page(root, here, [site.Version(v, p.slug, "") for v in p.live],
                           self.s.base_url)
        try:
            data = formats.get(doc.format).serialize(root).encode("utf-8")
        except (L10nError, ValueError, etree.LxmlError) as exc:
            self.late.append(_withheld(project, doc, loc, exc))
            return
        stat = staging.put(here.path, data)
        order = sorted(asked)
        self.remember(self.out_key + here.path, self.out_inputs(p, loc.code, order),
                      {"asked": order, "stat": stat})

    def collect(self) -> None:
        """Decisions and problems in the order a full build reports them."""
        problems = list(self.listing_problems)
        problems += [self.pages[s].unreadable for s in self.slugs if self.pages[s].unreadable]
        self.by_slug = {}
        for slug in self.slugs:
            p = self.pages[slug]
            if not p.unreadable:
                mine = self.slug_problems(p)
                problems += mine
                if mine:
                    self.by_slug[slug] = [asdict(x) for x in mine]
        self.page_problems = problems + self.late
        #: every page readable and rendered: a later run may rebuild only what changes
        self.whole = not self.late and not any(self.pages[s].unreadable for s in self.slugs)
        self.live_codes = {slug: [loc.code for loc in self.pages[slug].live] for slug in self.slugs}
        self.result.decisions = [self._decision(self.pages[slug], loc) for loc in self.targets
                                 for slug in self.slugs if not self.pages[slug].unreadable]
        self.result.problems = self.page_problems + self.result.problems

    def slug_problems(self, p: _Page) -> list[Problem]:
        """The problems of a readable page's versions."""
        problems = []
        src = self.source.code
        for code in self.codes:
            data = p.versions[code].data
            if code != src and not data["decision"][0]:
                continue
            if data.get("failed"):
                problems.append(_problem(data["failed"]))
                if code == src:
                    break
            else:
                problems += [_problem(x) for x in data.get("problems", ())]
        return problems

    def _decision(self, p: _Page, loc: LocaleInfo) -> Decision:
        d = Decision(loc.code, p.slug, *p.versions[loc.code].data["decision"])
        if d.published and loc not in p.live:
            d = replace(d, published=False, reason="could not be rendered")
        return d

    # -- the site around the pages
    def site_files(self, staging) -> set[str]:
        """Indexes and sitemap, from the titles remembered with each version."""
        s, src = self.s, self.source
        pages = [self.pages[slug] for slug in self.slugs if self.pages[slug].live]
        live = [src] + [loc for loc in self.targets if any(loc in p.live for p in pages)]
        groups = [[site.Version(loc, p.slug, p.versions[loc.code].data["title"])
                   for loc in p.live] for p in pages]
        inputs = digest("site", s.site_name, s.base_url, [loc.code for loc in live],
                        [[(v.locale.code, v.slug, v.title) for v in g] for g in groups])
        serialize = formats.get("html").serialize
        # a title that fell back to the source's is marked as the source language
        source_titles = {v.slug: v.title for g in groups for v in g if v.locale == src}
        made = {}
        for loc in live:
            made[f"{loc.code}/index.html"] = lambda loc=loc: serialize(site.locale_index(
                loc, s.site_name, [v for g in groups for v in g if v.locale == loc], live, src,
                s.base_url, source_titles)).encode("utf-8")
        made["index.html"] = lambda: serialize(site.root_index(s.site_name, live)).encode("utf-8")
        made["sitemap.xml"] = lambda: site.sitemap(groups, s.base_url)
        for rel, make in made.items():
            known = self.memo(self.out_key + rel, inputs)
            if known is None or not staging.keep(rel, known["stat"]):
                self.remember(self.out_key + rel, inputs, {"stat": staging.put(rel, make())})
        return set(made) | {f"{loc.code}/{p.slug}.html" for p in pages for loc in p.live}

    def find_assets(self) -> list[tuple[str, Path, str]]:
        """Every non-page file of the source folder, with its fingerprint.
        Symlinks are followed only when they stay inside the project: a link
        to /etc/… is reported and skipped, never copied into a public site."""
        project, result = self.project, self.result
        src = self.s.source_dir
        root = self.s.root.resolve()
        page_suffixes = formats.suffixes()
        found: list[tuple[str, Path, str]] = []
        seen: set[Path] = set()

        cache = self.s.cache_dir.resolve()
        # a cache folder around the source folder (cache_dir = "."): its own files
        # are beside source/, so only a link to the cache folder itself reaches them
        around = src.resolve().is_relative_to(cache)

        def own(real: Path) -> str | None:
            """Which of the tool's own folders ``real`` is in: the site
            (copying it into itself would grow it by one level a run) or
            the build cache (the translation memory is not for the web)."""
            if self.out.holds(real):
                return "the published site"
            in_cache = real == cache if around else real.is_relative_to(cache)
            return "the build cache" if in_cache else None

        def walk(folder: Path, rel: str) -> None:
            real = folder.resolve()
            if real in seen:
                return
            seen.add(real)
            if rel and own(real):
                return           # the cache folder inside the source folder: not an asset
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.name.startswith(".") or rel == "" and \
                        entry.name.lower().endswith(page_suffixes) and \
                        not entry.is_dir(follow_symlinks=False):
                    continue         # a page, or a link to one: the page listing tells of it
                path = Path(entry.path)
                name = f"{rel}{entry.name}"
                why = bad_name(entry.name)
                if why:
                    result.problems.append(Problem(f"{why}; not published",
                                                   printable(_shown(project, path)), code="asset"))
                    continue
                if entry.is_symlink():
                    try:
                        target = path.resolve(strict=True)
                    except (OSError, RuntimeError):
                        result.warnings.append(Problem(
                            f"a broken symlink (to {os.readlink(path)}); not published",
                            _shown(project, path), severity="warning", code="asset"))
                        continue
                    if not target.is_relative_to(root):
                        result.warnings.append(Problem(
                            f"symlink to {os.readlink(path)} points outside the project; "
                            "not published", _shown(project, path), severity="warning",
                            code="asset"))
                        continue
                    if (which := own(target)) is not None:
                        result.warnings.append(Problem(
                            f"symlink to {os.readlink(path)} points into {which}; not published",
                            _shown(project, path), severity="warning", code="asset"))
                        continue
                if entry.is_dir():
                    walk(path, name + "/")
                elif entry.is_file() and not (rel == "" and path.suffix.lower() in page_suffixes):
                    if path.suffix.lower() in page_suffixes:
                        result.warnings.append(Problem(
                            "a page in a subfolder is copied as it is, not translated (only "
                            "pages directly in the source folder are)", _shown(project, path),
                            severity="warning", code="asset"))
                    try:
                        found.append((name, path, self.state.fingerprint(path)))
                    except OSError as exc:
                        result.problems.append(Problem(
                            f"cannot read: {exc.strerror}; not published",
                            _shown(project, path), code="asset"))
        if src.is_dir():
            walk(src, "")
        return found

    def copy_assets(self, staging, assets, site_rels: set[str]) -> None:
        """Byte for byte, and only the ones that changed."""
        self.asset_problems: list[Problem] = []
        for rel, path, fp in assets:
            if rel in site_rels:
                self.asset_problems.append(Problem(
                    "the site writes a file of this name itself; not published",
                    self.project.rel(path), code="asset"))
                continue
            inputs = digest("asset", fp)
            known = self.memo(self.out_key + rel, inputs)
            if known is not None and staging.keep(rel, known["stat"]):
                continue
            try:
                data = path.read_bytes()
            except OSError as exc:
                self.asset_problems.append(Problem(f"cannot read: {exc.strerror}; not published",
                                                   _shown(self.project, path), code="asset"))
                continue
            self.remember(self.out_key + rel, inputs, {"stat": staging.put(rel, data)})
        self.result.problems += self.asset_problems
