"""Issue 14: an incremental publish is byte for byte a full one, and reads only what changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from test_publish import ASIA, MEDIA, fail_render, replace_render, set_msgstr

#: every test twice: with files as fresh as a test makes them, and as old as a
#: newsroom's (see conftest's racy_window)
pytestmark = pytest.mark.usefixtures("racy_window")


def site_files(project: Path) -> dict[str, bytes]:
    """The site's files; of the marker, what it says the site holds (not the
    generation it was made from, which only an incremental publish has)."""
    public = project / "public"
    files = {p.relative_to(public).as_posix(): p.read_bytes()
             for p in sorted(public.rglob("*")) if p.is_file()}
    marker = json.loads(files[".l10n-publish"])
    marker.pop("generation", None)
    files[".l10n-publish"] = json.dumps(marker, sort_keys=True).encode()
    return files


def full_build(project: Path, tmp_path: Path, l10n, *args: str):
    """The same project published from scratch: no build state, no earlier site."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(project, fresh, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n == ".l10n-cache"
                                             or n == "public" or n.startswith(".public.")])
    return fresh, l10n(fresh, "publish", *args, expect=None)


def lines(r) -> tuple[list[str], list[str]]:
    """What a run says about pages (withheld, errors, warnings), without the file counts."""
    return ([l for l in r.stdout.splitlines() if not l.startswith("public:")],
            r.stderr.splitlines())


def assert_as_from_scratch(project: Path, tmp_path: Path, l10n, r, why=None) -> None:
    """The site and what the run said are those of a full build of the same files."""
    fresh, full = full_build(project, tmp_path, l10n, "--all")
    assert site_files(project) == site_files(fresh), why
    assert lines(r) == lines(full)


def edit_page(project: Path) -> None:
    page = project / "source" / f"{ASIA}.html"
    text = page.read_text(encoding="utf-8")
    assert "Chongqing" in text
    page.write_text(text.replace("Chongqing", "Chongqing City", 3), encoding="utf-8")


def edit_entry(project: Path) -> None:
    set_msgstr(project / "locales" / "zh_Hans" / f"{MEDIA}.po", "Opening up to cultural diversity",
               "拥抱多元文化，开放包容")


def edit_site_po(project: Path) -> None:
    set_msgstr(project / "locales" / "zh_Hans" / "_site.po", "Cookie notice", "Cookie 通知（新）")


def edit_setting(project: Path) -> None:
    toml = project / "pyproject.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'site_name = "iChongqing"', 'site_name = "iChongqing News"\nbase_url = "https://news.example/"'),
        encoding="utf-8")


def withhold_linked_page(project: Path) -> None:
    """MEDIA's Chinese headline emptied: it is withheld, and ASIA's link to it
    must now point at the English version, though ASIA itself did not change."""
    set_msgstr(project / "locales" / "zh_Hans" / f"{MEDIA}.po", "Media Delegation Visits SW China", "")


def edit_asset(project: Path) -> None:
    (project / "source" / "site.css").write_text("body { color: #123; }\n", encoding="utf-8")


def remove_page(project: Path) -> None:
    (project / "source" / f"{MEDIA}.html").unlink()


EDITS = [edit_page, edit_entry, edit_site_po, edit_setting, withhold_linked_page, edit_asset,
         remove_page]


@pytest.fixture
def published(project, l10n) -> Path:
    l10n(project, "update", "--all")
    l10n(project, "publish", "--all")
    return project


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_incremental_publish_is_byte_identical_to_a_full_one(published, l10n, tmp_path, edit):
    project = published
    before = site_files(project)
    edit(project)
    r = l10n(project, "publish", "--all", expect=None)
    assert "up to date" not in r.stdout, r
    fresh, full = full_build(project, tmp_path, l10n, "--all")
    assert r.exit_code == full.exit_code, (r, full)
    assert site_files(project) == site_files(fresh)
    assert site_files(project) != before
    assert lines(r) == lines(full)


def test_links_to_a_withheld_page_follow_it(published, l10n):
    project = published
    asia = project / "public" / "zh_Hans" / f"{ASIA}.html"
    assert f'href="{MEDIA}.html' in asia.read_text(encoding="utf-8")
    withhold_linked_page(project)
    l10n(project, "publish", "--all")
    assert f'href="../en/{MEDIA}.html' in asia.read_text(encoding="utf-8")


class Counter:
    def __init__(self, monkeypatch):
        from l10n_tool import catalog
        from l10n_tool.project import Project
        self.pages: list[str] = []
        self.catalogs: list[str] = []
        self.renders: list[str] = []
        read_page, load = Project.read_page, catalog.load

        def counted_read(project, path):
            self.pages.append(Path(path).name)
            return read_page(project, path)

        def counted_load(path, *a, **kw):
            self.catalogs.append(Path(path).parent.name + "/" + Path(path).name)
            return load(path, *a, **kw)

        def wrap(real):
            def counted_render(doc, lookup, **kw):
                self.renders.append(f"{kw.get('lang_attr')}/{doc.slug}")
                return real(doc, lookup, **kw)
            return counted_render
        monkeypatch.setattr(Project, "read_page", counted_read)
        monkeypatch.setattr(catalog, "load", counted_load)
        replace_render(monkeypatch, wrap)

def test_nothing_changed_reads_no_page_and_no_catalog(published, l10n, monkeypatch):
    project = published
    count = Counter(monkeypatch)
    live = (project / "public").resolve()
    r = l10n(project, "publish", "--all")
    assert "up to date" in r.stdout
    assert (count.pages, count.catalogs, count.renders) == ([], [], [])
    assert (project / "public").resolve() == live


def test_one_entry_edited_rebuilds_only_its_page(published, l10n, monkeypatch):
    project = published
    count = Counter(monkeypatch)
    edit_entry(project)
    r = l10n(project, "publish", "--all")
    assert "1 written" in r.stdout, r
    assert count.pages == [f"{MEDIA}.html"]
    assert count.catalogs == [f"zh_Hans/{MEDIA}.po"]         # the site catalog is remembered
    assert count.renders == [f"zh-Hans/{MEDIA}"]


def test_a_withheld_page_is_decided_again_without_reading_its_html(published, l10n, monkeypatch):
    """de is withheld (below min_complete 80): a new German translation is
    decided from the page's remembered units and the PO file alone."""
    project = published
    assert not (project / "public" / "de").exists()
    count = Counter(monkeypatch)
    po = project / "locales" / "de" / f"{MEDIA}.po"
    set_msgstr(po, "Opening up to cultural diversity", "Offen für kulturelle Vielfalt")
    r = l10n(project, "publish", "--all")
    assert f"withheld de/{MEDIA}" in r.stdout
    assert count.pages == [] and count.renders == []
    assert count.catalogs == [f"de/{MEDIA}.po"]


def test_a_hand_edited_published_file_is_put_back(published, l10n):
    project = published
    page = project / "public" / "zh_Hans" / f"{ASIA}.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</body>", b"<p>defaced</p></body>"))
    r = l10n(project, "publish", "--all")
    assert "1 written" in r.stdout, r
    assert page.read_bytes() == good


def test_problems_are_reported_again_when_nothing_changed(project, l10n, monkeypatch):
    fail_render(monkeypatch, MEDIA, "zh-Hans")
    (project / "source" / "broken.html").write_bytes(b"<html><body><p>x</p>\n\x00\x01</body></html>")
    first = l10n(project, "publish", "-l", "zh_Hans", expect=1)
    assert f"{MEDIA}.html:7: nesting too deep" in first.stderr
    assert "source/broken.html:2: " in first.stderr
    again = l10n(project, "publish", "-l", "zh_Hans", expect=1)
    assert "up to date" in again.stdout
    assert lines(again) == lines(first)
    assert not (project / "public" / "zh_Hans" / f"{MEDIA}.html").exists()
    assert f"zh_Hans/{MEDIA}" not in (project / "public" / "sitemap.xml").read_text(encoding="utf-8")


@pytest.fixture
def in_workers(monkeypatch):
    """Publish with two worker processes, however few pages change."""
    from l10n_tool import workers
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    monkeypatch.setenv("L10N_WORKERS", "2")


def test_workers_build_the_same_site(project, l10n, tmp_path, monkeypatch, in_workers):
    """ASIA links to MEDIA. When MEDIA's catalog changes, a worker decides
    it while ASIA's file is kept on the guess that MEDIA stays live; MEDIA is
    withheld, so ASIA must be rebuilt with the link to the English version."""
    l10n(project, "update", "--all")
    l10n(project, "publish", "--all")
    asia = project / "public" / "zh_Hans" / f"{ASIA}.html"
    assert f'href="{MEDIA}.html' in asia.read_text(encoding="utf-8")
    for edits in ([withhold_linked_page], [edit_page, edit_entry]):
        for edit in edits:
            edit(project)
        r = l10n(project, "publish", "--all")
        if edits == [withhold_linked_page]:
            assert f'href="../en/{MEDIA}.html' in asia.read_text(encoding="utf-8")
        with monkeypatch.context() as serial:
            serial.setenv("L10N_WORKERS", "1")
            fresh, full = full_build(project, tmp_path, l10n, "--all")
        assert site_files(project) == site_files(fresh)
        assert lines(r) == lines(full)


def test_workers_withhold_a_page_that_fails_to_render(project, l10n, tmp_path, monkeypatch,
                                                      in_workers):
    fail_render(monkeypatch, MEDIA, "zh-Hans")
    r = l10n(project, "publish", "--all", expect=1)
    assert f"{MEDIA}.html:7: nesting too deep" in r.stderr
    monkeypatch.setenv("L10N_WORKERS", "1")
    assert_as_from_scratch(project, tmp_path, l10n, r)


def test_an_asset_named_like_a_site_file_is_reported_every_run(published, l10n):
    project = published
    (project / "source" / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    first = l10n(project, "publish", "--all", expect=1)
    assert "source/sitemap.xml: the site writes a file of this name itself" in first.stderr
    again = l10n(project, "publish", "--all", expect=1)
    assert "up to date" in again.stdout
    assert lines(again) == lines(first)


def add_page(project: Path) -> None:
    shutil.copy(project / "source" / f"{ASIA}.html", project / "source" / "asia-again.html")


def generations(project: Path) -> dict[int, Path]:
    return {int(p.name.rsplit(".", 1)[1]): p for p in project.iterdir()
            if p.name.startswith(".public.") and p.name.rsplit(".", 1)[1].isdigit()}


def test_each_publish_takes_over_the_generation_before_the_live_one(published, l10n, tmp_path):
    """A new generation is the one before the live one brought up to date
    (the same folder: its inode), not a folder of links to every file; after
    every kind of edit, pages removed and added, it is byte for byte a full
    build, and holds nothing the live site does not."""
    project = published
    taken = []
    for edit in [*EDITS, add_page, edit_page]:
        before = {p.stat().st_ino: n for n, p in generations(project).items()}
        edit(project)
        r = l10n(project, "publish", "--all", expect=None)
        assert_as_from_scratch(project, tmp_path, l10n, r, edit.__name__)
        taken.append(before.get((project / "public").resolve().stat().st_ino))
        assert len(generations(project)) == 2
    # the first publish after the first had no generation to take over
    assert taken[0] is None and all(n is not None for n in taken[1:]), taken


def test_a_generation_someone_added_a_file_to_is_not_taken_over(published, l10n):
    """Its file would go live: the generation is made afresh, and the file
    and its folder stay as they are."""
    project = published
    edit_page(project)
    l10n(project, "publish", "--all")
    live = (project / "public").resolve()
    base = next(p for p in generations(project).values() if p != live)
    (base / "zh_Hans" / "notes.txt").write_text("mine", encoding="utf-8")
    edit_entry(project)
    l10n(project, "publish", "--all")
    assert not (project / "public" / "zh_Hans" / "notes.txt").exists()
    assert (base / "zh_Hans" / "notes.txt").read_text(encoding="utf-8") == "mine"
    edit_asset(project)           # the file's generation is not ours to remove, nor to take
    l10n(project, "publish", "--all")
    assert (base / "zh_Hans" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (project / "public" / "zh_Hans" / "notes.txt").exists()


def test_a_page_changed_is_rebuilt_without_looking_at_the_others(published, l10n, tmp_path,
                                                                 monkeypatch):
    """An entry edited changes one page: the site is not built page by page
    again, and is byte for byte a full build. A new title changes the
    indexes too, and a version withheld every link to it: those are whole
    builds, with the same result."""
    from l10n_tool.steps import publish as step
    project = published
    builds = []
    whole = step._Build.build

    def counted(self, *args):
        builds.append(1)
        return whole(self, *args)
    monkeypatch.setattr(step._Build, "build", counted)
    po = project / "locales" / "zh_Hans" / f"{MEDIA}.po"
    for edit, whole_builds in [(edit_entry, 0),
                               (lambda p: set_msgstr(po, "Media Delegation Visits SW China",
                                                     "媒体代表团走进中国西南"), 1),
                               (withhold_linked_page, 1)]:
        builds.clear()
        edit(project)
        r = l10n(project, "publish", "--all")
        assert "1 written" in r.stdout or whole_builds, r.stdout
        assert len(builds) == whole_builds
        assert_as_from_scratch(project, tmp_path, l10n, r)
