"""The published site's folder: marked, never destroying, atomic for readers.

``public`` (the output folder) is a symlink to one complete generation,
``.public.<N>`` beside it. A publish writes the next generation into a
staging folder, renames it into place and flips the symlink with one
rename, so a web server serving ``public/`` always finds a complete old or
new site. The previous generation is kept (a reader half-way through it
keeps working); older ones, and leftovers of killed runs, are removed by the
next run.

A new generation is the previous one taken over, not a folder of hard links
to every live file: the live generation's marker names the generation it
was made from and the files that differ between the two, so bringing that
one up to date costs what changed, not what the site holds (10,000 pages
are 20,000 links to make and, later, to remove). It is taken over only
while its folders are as they were left: a file someone put there is never
published, and the generation is made afresh instead.

Every generation carries a ``.l10n-publish`` marker listing what it holds.
That list is what makes deleting safe: publish only ever removes folders it
marked, and refuses an output folder holding anything it did not write (the
project folder, ``locales/``, a folder of the user's own files), so a wrong
``--out`` cannot destroy anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from l10n_tool.errors import L10nError
from l10n_tool.fsutil import point_symlink, process_alive

MARKER = ".l10n-publish"
_MARKER_NOTE = "written by `l10n publish`; this folder is replaced on every publish"


@dataclass(frozen=True)
class Written:
    written: list[str]
    unchanged: int
    removed: list[str]


def _files(folder: Path, empty_dirs: bool = False) -> list[str]:
    """Every entry under ``folder`` that is not a folder (symlinks included),
    and with ``empty_dirs`` every folder holding nothing, as ``name/``. A
    folder that cannot be read is an OSError: what it holds is unknown, so
    nothing may be deleted on the strength of this list."""
    present, _ = _scan(folder, stats=False)
    return present if empty_dirs else [p for p in present if not p.endswith("/")]


def _scan(folder: Path, stats: bool = True
          ) -> tuple[list[str], dict[str, tuple[int, int, int]]]:
    """``_files`` with empty folders, and (``stats``) the (size, mtime_ns,
    inode) of each file, in one pass: publish reads the live site's once per
    run (20,000 files at 10,000 pages), to refuse foreign files and to know
    its own."""
    out: list[str] = []
    found_stats: dict[str, tuple[int, int, int]] = {}

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            found = False
            for e in entries:
                found = True
                rel = prefix + e.name
                if e.is_dir(follow_symlinks=False):
                    walk(e.path, rel + "/")
                    continue
                out.append(rel)
                if stats and not e.is_symlink():
                    st = e.stat(follow_symlinks=False)
                    found_stats[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
            if prefix and not found:
                out.append(prefix)
    walk(os.fspath(folder), "")
    return sorted(out), found_stats


def _foreign(present: list[str], ours: set[str]) -> list[str]:
    """The entries of ``present`` (``_files`` with empty folders) publish did
    not write; an empty folder is ours when it held a file of ours (a
    person deleted that file by hand)."""
    return [p for p in present if p not in ours and
            not (p.endswith("/") and any(f.startswith(p) for f in ours))]


def _only_ours(folder: Path) -> bool:
    """A generation holding nothing but what its marker lists: one we may
    delete. A folder without a marker, or with a file someone added, is not."""
    try:
        listed = json.loads((folder / MARKER).read_text(encoding="utf-8")).get("files")
        # an empty folder in a marked generation holds nothing to lose (a
        # certbot webroot's .well-known/acme-challenge/ left behind): not foreign
        return isinstance(listed, list) and not _foreign(_files(folder), set(listed) | {MARKER})
    except (OSError, ValueError, AttributeError, TypeError):
        return False


class SiteDir:
    """One output folder and the generations behind it."""

    def __init__(self, out: Path, protected: dict[str, Path], source_dir: Path, root: Path):
        out = Path(os.path.abspath(out))
        self.out = out.parent.resolve() / out.name
        self.parent = self.out.parent
        self.name = self.out.name
        #: the folder as the user sees it: relative to the project, its symlink not resolved
        self.shown = os.path.relpath(self.out, Path(root).resolve()) \
            if self.out.is_relative_to(Path(root).resolve()) else str(self.out)
        self._gen = re.compile(rf"\.{re.escape(self.name)}\.(\d+)")
        self._leftover = re.compile(rf"\.{re.escape(self.name)}\.(?:staging|link|aside)-(\d+)")
        self._check_place(protected)
        #: the live site's files as this run found them (see ``_scan``)
        self._stats: dict[str, tuple[int, int, int]] | None = None
        self.live, self.manifest = self._check_contents(source_dir)

    # -- refusing what is not ours
    def _refuse(self, why: str) -> L10nError:
        return L10nError(f"refusing to publish here: {why}; nothing was changed "
                         "(choose another --out or output_dir)", self.shown)

    def _check_place(self, protected: dict[str, Path]) -> None:
        for label, path in protected.items():
            path = Path(path).resolve()
            if path == self.out:
                raise self._refuse(f"it is the {label}")
            if path.is_relative_to(self.out):
                raise self._refuse(f"it holds the {label}")
            if label != "project folder" and self.out.is_relative_to(path):
                raise self._refuse(f"it is inside the {label}")

    def _check_contents(self, source_dir: Path) -> tuple[Path | None, dict | None]:
        """The folder now holding the live site and its manifest, after making
        sure that everything in it was written by publish."""
        out = self.out
        if out.is_symlink():
            target = os.readlink(out)
            folder = self.parent / target
            if not self._gen.fullmatch(target):
                raise self._refuse(f"it is a symlink to {target}, which publish did not make")
            if not (folder / MARKER).is_file():
                raise self._refuse(
                    f"it links to {target}, whose {MARKER} marker is gone, so what it holds "
                    f"cannot be told from files of yours; remove the {self.name} link (and "
                    f"{target} once you have kept what is yours) to publish afresh")
        elif not out.exists():
            return None, None
        elif not out.is_dir():
            raise self._refuse("it is not a folder")
        else:
            folder = out
        try:
            present, self._stats = _scan(folder)
        except OSError as exc:
            raise self._refuse(f"{exc.filename} cannot be read ({exc.strerror}), so what it "
                               "holds is unknown") from None
        if not present:
            return folder, None
        manifest = self._read_manifest(folder)
        if manifest is not None:
            # marked: its files say what is ours; an empty folder someone made
            # there holds nothing to lose, and must not stop a newsroom publishing
            present = [p for p in present if not p.endswith("/")]
            ours = set(manifest["files"]) | {MARKER}
        elif folder == out and (extra := _not_published(out, present, source_dir)) is not None:
            ours = set(present) - set(extra)     # a site written before the marker existed
        else:
            ours = set()
        foreign = _foreign(present, ours)
        if foreign:
            more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
            raise self._refuse(f"it holds files publish did not write ({', '.join(foreign[:3])}"
                               f"{more}); to publish extra files put them in the source folder")
        return folder, manifest

    def _read_manifest(self, folder: Path) -> dict | None:
        try:
            data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise self._refuse(f"its {MARKER} marker is unreadable ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("files"), list):
            raise self._refuse(f"its {MARKER} marker is not one publish wrote")
        return data

    def holds(self, real: Path) -> bool:
        """The resolved path ``real`` is in this output folder or one of the
        folders publish keeps beside it (generations, staging)."""
        try:
            first = real.relative_to(self.parent).parts[0]
        except (ValueError, IndexError):
            return False
        return first == self.name or bool(self._gen.fullmatch(first) or
                                          self._leftover.fullmatch(first))

    def live_policies(self) -> dict[str, dict | None]:
        """The locales live now, each with the policy it was published under
        (None for a site an older version wrote, which recorded none)."""
        if self.manifest is not None:
            return dict(self.manifest.get("locales") or {})
        if self.live is None:
            return {}
        return {p.name: None for p in sorted(self.live.iterdir())
                if p.is_dir() and (p / "index.html").is_file()}

    # -- generations
    def _generations(self) -> dict[int, Path]:
        out = {}
        for entry in self.parent.iterdir():
            m = self._gen.fullmatch(entry.name)
            if m and entry.is_dir() and not entry.is_symlink():
                out[int(m.group(1))] = entry
        return out

    def clean(self) -> None:
        """Remove leftovers of killed runs and generations older than the previous one."""
        try:
            self._clean()
        except OSError:
            pass             # best effort: what is left is removed by a later run

    def _clean(self) -> None:
        if not self.parent.is_dir():
            return
        for entry in self.parent.iterdir():
            m = self._leftover.fullmatch(entry.name)
            if m and not process_alive(int(m.group(1))):
                _remove(entry)
        if not self.out.is_symlink():
            return
        live = self._gen.fullmatch(os.readlink(self.out))
        current = int(live.group(1)) if live else None
        gens = self._generations()
        previous = max((n for n in gens if current is not None and n < current), default=None)
        for n, folder in gens.items():
            # a generation is read through (10,000s of files) only if it is to go
            if n not in (current, previous) and _only_ours(folder):
                shutil.rmtree(folder, ignore_errors=True)

    def write(self, files: dict[str, bytes], meta: dict) -> Written:
        """Make ``files`` (path → bytes) the live site; unchanged files are
        hard-linked from the live generation, and nothing at all is touched
        when nothing changed."""
        staging = self.begin()
        try:
            for rel, data in sorted(files.items()):
                staging.put(rel, data)
            return staging.finish(meta)
        except BaseException:
            staging.abort()
            raise

    def begin(self) -> "Staging":
        """A new generation to fill file by file (so a 10,000-page site never
        sits in memory whole); it goes live only with ``finish``."""
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise L10nError(f"cannot create the folder: {exc.strerror}", self.parent) from None
        self.clean()
        return Staging(self, self._recyclable())

    def _recyclable(self) -> Path | None:
        """The generation the live one was made from, if it can be taken over:
        its folders' mtimes as they were when it stopped being live (a file
        added or removed there changes its folder's)."""
        made_from = (self.manifest or {}).get("generation")
        if not self.out.is_symlink() or self.live is None or not isinstance(made_from, dict):
            return None
        base, dirs = made_from.get("base"), made_from.get("base_dirs")
        if not isinstance(base, str) or not self._gen.fullmatch(base) or \
                not isinstance(dirs, dict) or not isinstance(made_from.get("changed"), list):
            return None
        folder = self.parent / base
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.samefile(self.live):
                return None
            for rel, mtime in dirs.items():
                if os.stat(f"{folder}/{rel}").st_mtime_ns != mtime:
                    return None
        except (OSError, TypeError):
            return None
        return folder

    def live_stats(self) -> dict[str, tuple[int, int, int]]:
        """``live_stat`` of every file of the live site, marker included."""
        if self._stats is not None:
            return self._stats
        return {rel: st for rel in [*(self.manifest or {}).get("files", ()), MARKER]
                if (st := self.live_stat(rel)) is not None}

    def live_stat(self, rel: str) -> tuple[int, int, int] | None:
        """(size, mtime_ns, inode) of a file of the live generation: the same
        across generations for a hard-linked file, changed by any rewrite."""
        if self.live is None:
            return None
        if self._stats is not None:
            return self._stats.get(rel)
        try:
            st = os.stat(f"{self.live}/{rel}")
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns, st.st_ino)

    def _finish(self, staging: "Staging", meta: dict) -> Written:
        files = staging.stats
        manifest = {"note": _MARKER_NOTE, **meta, "files": sorted(files)}
        old = set(self.manifest["files"]) if self.manifest is not None else \
            set(_files(self.live)) if self.live else set()
        old.discard(MARKER)
        removed = sorted(old - set(files))
        folder = staging.folder
        if (self.out.is_symlink() and not removed and not staging.written
                and len(files) == len(old) and self.manifest is not None and
                {k: v for k, v in self.manifest.items() if k != "generation"} ==
                json.loads(json.dumps(manifest))):       # as read back: lists, not tuples
            _remove(folder)
            return Written([], len(files), [])
        staging.remove(removed)
        changed = sorted(set(staging.written) | set(removed))
        if self.out.is_symlink() and self.live is not None:
            # what the next publish needs to take the live generation over
            # (after a whole-site change that is every file: taking it over
            # costs what a fresh folder would, and it need not be removed)
            dirs = {""}                # every folder, those holding only folders too
            for rel in old:
                parent = rel.rpartition("/")[0]
                while parent not in dirs:
                    dirs.add(parent)
                    parent = parent.rpartition("/")[0]
            try:
                manifest["generation"] = {
                    "base": self.live.name, "changed": changed,
                    "base_dirs": {d: os.stat(f"{self.live}/{d}").st_mtime_ns for d in sorted(dirs)}}
            except OSError:
                pass
        marker = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        try:
            staging.ready()
        except OSError as exc:
            raise L10nError(f"cannot write the site: {exc.strerror or exc}", folder) from None
        n = max(self._generations(), default=0) + 1
        legacy = self.live is not None and not self.out.is_symlink()
        if legacy:
            n += 1                    # n - 1 is kept for the folder being replaced
        try:
            if not (self.live and _same(self.live / MARKER, marker) and
                    _link_or_false(self.live / MARKER, folder / MARKER)):
                (folder / MARKER).write_bytes(marker)
            os.chmod(folder, 0o755)
            generation = self.parent / f".{self.name}.{n}"
            os.rename(folder, generation)
        except OSError as exc:
            _remove(folder)
            raise L10nError(f"cannot write the site: {exc.strerror or exc}",
                            exc.filename or folder) from None
        try:
            point_symlink(self.out, generation.name)
        except OSError as exc:
            raise L10nError(f"cannot switch the site to the new version: {exc.strerror or exc}; "
                            "the previous one stays live", self.shown) from None
        try:                 # the new site is live; tidying up is best effort
            if legacy:
                self._keep_replaced(self.parent / f".{self.name}.link-{os.getpid()}", n - 1)
        except OSError:
            pass
        self.live, self.manifest, self._stats = generation, manifest, None
        self.clean()
        written = sorted(set(staging.written))
        return Written(written, len(files) - len(written), removed)

    def _keep_replaced(self, folder: Path, n: int) -> None:
        """The real folder a first symlinked publish replaced becomes the
        previous generation, marked, so that the next runs may remove it."""
        if not folder.is_dir() or folder.is_symlink():
            return
        present = _files(folder)
        if not present:
            folder.rmdir()
            return
        if MARKER not in present:
            (folder / MARKER).write_text(json.dumps({"note": _MARKER_NOTE, "files": present}),
                                         encoding="utf-8")
        os.rename(folder, self.parent / f".{self.name}.{n}")


class Staging:
    """The next generation, written into ``.<out>.staging-<pid>`` one file
    at a time. Each ``put``/``keep`` records the file's stat, which the
    caller may remember to prove next time that a live file is still the
    one it wrote.

    Given the generation the live one was made from (``base``), it takes
    that folder over at the first file that differs from the live site,
    after bringing it up to date with the live generation; until then (and
    for every file that stays as it is) nothing is done on disk."""

    def __init__(self, site: SiteDir, base: Path | None = None):
        self.site = site
        self.folder = site.parent / f".{site.name}.staging-{os.getpid()}"
        _remove(self.folder)
        self.stats: dict[str, tuple[int, int, int]] = {}
        self.written: list[str] = []
        self._wrote: set[str] = set()          # ``written``, to look up
        self._dirs: set[str] = set()
        self._base = base
        #: the live files, which a taken-over generation holds already
        self._live = set(site.manifest["files"]) if base is not None else set()
        if base is None:
            self._make()

    def _make(self) -> None:
        try:
            self.folder.mkdir()
        except OSError as exc:
            raise L10nError(f"cannot write the site: {exc.strerror or exc}", self.folder) from None

    def ready(self) -> None:
        """The folder on disk, for worker processes to write into."""
        if self._base is not None and not self.folder.is_dir():
            self._take()

    def _take(self) -> None:
        """The base generation, brought up to date with the live one, as the
        staging folder; on any failure a fresh folder of hard links instead."""
        try:
            os.rename(self._base, self.folder)
            for rel in [*self.site.manifest["generation"]["changed"], MARKER]:
                path = f"{self.folder}/{rel}"
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                if rel in self._live:
                    self._link_live(rel)
                else:
                    _prune(self.folder, rel)
            return
        except (OSError, KeyError, TypeError):
            _remove(self.folder)
        self._base, self._live, self._dirs = None, set(), set()
        self._make()
        for rel in self.stats:                  # kept so far: link them as a fresh folder does
            try:
                self._link_live(rel)
            except OSError as exc:
                raise self._fail(exc) from None

    def _dest(self, rel: str) -> str:
        parent = rel.rpartition("/")[0]
        if parent not in self._dirs:
            try:
                os.makedirs(f"{self.folder}/{parent}", exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                if self._base is None:
                    raise
                self._clear_way(parent)  # a live file where the new site has a folder
            self._dirs.add(parent)
        dest = f"{self.folder}/{rel}"
        if self._base is not None and os.path.isdir(dest) and not os.path.islink(dest):
            shutil.rmtree(dest)          # a live folder where the new site has a file
            self._dirs = set()
        return dest

    def _clear_way(self, folder: str) -> None:
        """In a taken-over generation, remove the live files standing where
        ``folder`` and the folders above it go."""
        path = self.folder
        for part in folder.split("/"):
            path = f"{path}/{part}"
            if os.path.lexists(path) and (os.path.islink(path) or not os.path.isdir(path)):
                os.unlink(path)
        os.makedirs(f"{self.folder}/{folder}", exist_ok=True)

    def _link_live(self, rel: str) -> None:
        """The live generation's file, hard-linked into this one."""
        os.link(f"{self.site.live}/{rel}", self._dest(rel))

    def _fail(self, exc: OSError) -> L10nError:
        return L10nError(f"cannot write the site: {exc.strerror or exc}",
                         exc.filename or self.folder)

    def keep(self, rel: str, stat: tuple[int, int, int] | None) -> bool:
        """Keep the live generation's file when it is still the one with
        ``stat``; False (nothing done) otherwise."""
        live = self.site.live_stat(rel)
        if live is None or stat is None or live != tuple(stat):
            return False
        if rel not in self._live:
            try:
                self._link_live(rel)
            except OSError:
                return False
        self.stats[rel] = live
        return True

    def merge(self, stats: dict[str, tuple[int, int, int]], written: list[str]) -> None:
        """What a worker process kept and wrote into this staging folder."""
        self.stats.update(stats)
        self.written += written
        self._wrote.update(written)

    def adopt(self, stats: dict[str, tuple[int, int, int]]) -> None:
        """Keep these live files, whose stats the caller has just seen, as
        they are (those not kept or written already)."""
        for rel, stat in stats.items():
            if rel in self.stats:
                continue
            if rel not in self._live:
                try:
                    self._link_live(rel)
                except OSError as exc:
                    raise self._fail(exc) from None
            self.stats[rel] = stat

    def put(self, rel: str, data: bytes) -> tuple[int, int, int]:
        """Write ``data``, or keep the live file when it holds exactly that."""
        live = self.site.live / rel if self.site.live is not None else None
        same = live is not None and _same(live, data)
        try:
            if same and rel in self._live and rel not in self._wrote:
                self.stats[rel] = _stat(live)
                return self.stats[rel]
            if same and rel in self._wrote:   # a worker wrote it first, from a wrong guess
                self._wrote.discard(rel)
                self.written.remove(rel)
            if self._base is not None and not self.folder.is_dir():
                self._take()
            dest = self._dest(rel)
            if os.path.lexists(dest):
                os.unlink(dest)         # never write through a link into the live site
            if same and _link_or_false(live, dest):
                self.stats[rel] = _stat(dest)
                return self.stats[rel]
            self.written.append(rel)    # a new file: it differs from the live one's inode
            self._wrote.add(rel)
            with open(dest, "wb") as f:
                f.write(data)
            os.chmod(dest, 0o644)
            self.stats[rel] = _stat(dest)
        except OSError as exc:
            raise self._fail(exc) from None
        return self.stats[rel]

    def remove(self, rels: list[str]) -> None:
        """Live files the new generation no longer holds: a taken-over
        generation has them, a fresh one never had."""
        if not rels or self._base is None:
            return
        self.ready()
        for rel in rels:
            try:
                os.unlink(f"{self.folder}/{rel}")
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                continue         # gone with a folder, or a folder of the new site's now
            except OSError as exc:
                raise self._fail(exc) from None
            _prune(self.folder, rel)

    def restart(self) -> None:
        """Back to what the staging started from, for a build to begin again:
        a taken-over generation is not lost to a second pass."""
        taken = self._base is not None and self.folder.is_dir()
        try:
            for rel in (self.written if self._base is not None else self.stats):
                path = f"{self.folder}/{rel}"
                if taken or self._base is None:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(path)
                if taken and rel in self._live:
                    self._link_live(rel)
        except OSError as exc:
            raise self._fail(exc) from None
        self.stats, self.written, self._wrote = {}, [], set()

    def finish(self, meta: dict) -> Written:
        return self.site._finish(self, meta)

    def abort(self) -> None:
        _remove(self.folder)


def _prune(folder: Path, rel: str) -> None:
    """The folders that held ``rel`` and are empty now, up to ``folder``."""
    parent = rel.rpartition("/")[0]
    while parent:
        try:
            os.rmdir(f"{folder}/{parent}")
        except OSError:
            return
        parent = parent.rpartition("/")[0]


def _not_published(folder: Path, present: list[str], source_dir: Path) -> list[str] | None:
    """For a site an older version of publish wrote (before the marker: its
    language picker and sitemap), the files in it that it did not write;
    None for a folder that is no such site. It wrote the picker, the
    sitemap, copies of source assets, and in each locale folder (one with
    its index.html) that index and the pages of the source folder: a page
    of a person's own (``about.html``, ``drafts/x.html``) is not one."""
    try:
        picker = (folder / "index.html").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if "l10n-languages" not in picker or "sitemap.xml" not in present:
        return None
    from l10n_tool import formats        # only for this one-time migration
    suffixes = formats.suffixes()
    try:
        stems = {os.path.splitext(n)[0] for n in os.listdir(source_dir)
                 if os.path.splitext(n)[1].lower() in suffixes}
    except OSError:
        stems = set()
    listed = set(present)

    def written(p: str) -> bool:
        if p in ("index.html", "sitemap.xml") or (source_dir / p).is_file():
            return True
        locale, _, name = p.partition("/")
        return bool(locale) and "/" not in name and name.endswith(".html") and \
            f"{locale}/index.html" in listed and (name == "index.html" or name[:-5] in stems)
    return [p for p in present if not written(p)]


def _link_or_false(src: Path, dest: Path) -> bool:
    try:
        os.link(src, dest)
    except OSError:
        return False
    return True


def _stat(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
