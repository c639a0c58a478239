"""Incremental extract and update: redo only what changed, and the same files as a full run."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest

#: every test twice: with files as fresh as a test makes them, and as old as a
#: newsroom's (see conftest's racy_window)
pytestmark = pytest.mark.usefixtures("racy_window")

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
MEDIA = "media-delegation-visits-sw-china-for-green-development-along-the-yangtze-river"


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for p in sorted((project / "locales").rglob("*.po*"))}


def full_run(project: Path, l10n, tmp_path: Path, name: str, *args: str) -> dict[str, bytes]:
    """The same project state, updated with no build state at all."""
    twin = tmp_path / name
    shutil.copytree(project, twin, ignore=shutil.ignore_patterns(".l10n-cache"))
    l10n(twin, "update", *(args or ("--all",)))
    return snapshot(twin)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_changed_reads_no_page_and_writes_nothing(project, l10n, monkeypatch):
    l10n(project, "update", "--all")
    before = {p: p.stat().st_mtime_ns for p in (project / "locales").rglob("*.po*")}
    from l10n_tool.project import Project
    reads = []
    original = Project.read_page
    monkeypatch.setattr(Project, "read_page", lambda self, p: reads.append(p) or original(self, p))
    out = l10n(project, "update", "--all").stdout
    assert reads == []
    assert "6 PO files up to date" in out
    assert {p: p.stat().st_mtime_ns for p in (project / "locales").rglob("*.po*")} == before


def test_one_page_edited_is_the_same_as_a_full_run(project, l10n, tmp_path, monkeypatch):
    l10n(project, "update", "--all")
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    from l10n_tool.project import Project
    reads = []
    original = Project.read_page
    monkeypatch.setattr(Project, "read_page", lambda self, p: reads.append(p.stem) or original(self, p))
    l10n(project, "update", "--all")
    assert reads == [ASIA]
    monkeypatch.undo()
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")
    po = polib.pofile(str(project / "locales" / "zh_Hans" / f"{ASIA}.po"))
    changed = [e for e in po if "fuzzy" in e.flags]
    assert len(changed) == 1 and changed[0].previous_msgid.startswith("Esko Aho thought")


def test_the_site_template_is_rebuilt_only_when_some_page_chrome_changed(project, l10n, tmp_path,
                                                                        monkeypatch):
    l10n(project, "update", "--all")
    from l10n_tool.steps import extract
    built = []
    original = extract.site_template
    monkeypatch.setattr(extract, "site_template", lambda *a: built.append(1) or original(*a))
    page = project / "source" / f"{ASIA}.html"
    edit(page, "Esko Aho thought", "Esko Aho firmly thought")        # the article only
    l10n(project, "update", "--all")
    assert built == []
    edit(page, "<li><a href=\"about.html\">About Us</a></li>",
         "<li><a href=\"about.html\">About the paper</a></li>")          # the footer
    l10n(project, "update", "--all")
    assert built == [1]
    monkeypatch.undo()
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")
    assert "About the paper" in (project / "locales" / "templates" / "_site.pot").read_text()


def test_a_translation_on_one_page_fills_the_same_sentence_elsewhere(project, l10n, tmp_path):
    """The memory gains a sentence; the other page's untranslated copy is filled on the next run."""
    l10n(project, "update", "-l", "de")
    asia = project / "locales" / "de" / f"{ASIA}.po"
    po = polib.pofile(str(asia))
    target = next(e for e in po if not e.obsolete and not e.msgstr and "<" not in e.msgid
                  and "&" not in e.msgid and "paragraph" in e.comment)
    # the same sentence, untranslated, on the other page
    edit(project / "source" / f"{MEDIA}.html", "</h1>", f"</h1>\n<p>{target.msgid}</p>")
    l10n(project, "update", "-l", "de")
    polib_po = polib.pofile(str(asia))
    for e in polib_po:
        if e.msgid == target.msgid:
            e.msgstr = "Foto"
    polib_po.save(str(asia))                 # a translator's save
    l10n(project, "update", "-l", "de")
    media = polib.pofile(str(project / "locales" / "de" / f"{MEDIA}.po"))
    assert next(e for e in media if e.msgid == target.msgid).msgstr == "Foto"
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin2", "-l", "de")


def test_losing_the_build_state_is_harmless(project, l10n):
    l10n(project, "update", "--all")
    before = snapshot(project)
    shutil.rmtree(project / ".l10n-cache")
    l10n(project, "update", "--all")
    assert snapshot(project) == before


def test_a_corrupt_build_state_is_one_line(project, l10n):
    l10n(project, "update", "--all")
    (project / ".l10n-cache" / "state.sqlite").write_bytes(b"not a database" * 100)
    r = l10n(project, "update", "--all", expect=2)
    assert "state.sqlite" in r.stderr and r.stderr.count("\n") == 1


def test_a_renamed_page_reuses_its_old_catalog_with_a_note(project, l10n):
    l10n(project, "update", "-l", "zh_Hans")
    old_po = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    reviewed = {e.msgid: e.msgstr for e in polib.pofile(str(old_po))
                if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    (project / "source" / f"{ASIA}.html").rename(project / "source" / "asia-europe.html")
    out = l10n(project, "update", "-l", "zh_Hans").stdout
    assert f"note: locales/zh_Hans/{ASIA}.po has no source page" in out
    new = {e.msgid: e for e in polib.pofile(str(project / "locales" / "zh_Hans" / "asia-europe.po"))}
    assert len(reviewed) > 30
    assert all(new[m].msgstr == s and "fuzzy" not in new[m].flags for m, s in reviewed.items())
    assert old_po.exists()                                  # never deleted by the tool
    assert f"orphaned: locales/zh_Hans/{ASIA}.po" in l10n(project, "status", "-l", "zh_Hans").stdout


def test_a_source_page_linking_outside_the_project_is_not_read(bare_project, l10n, tmp_path):
    outside = tmp_path / "secret.html"
    outside.write_text("<html><body><p>Secret text from elsewhere.</p></body></html>")
    (bare_project / "source" / "leak.html").symlink_to(outside)
    r = l10n(bare_project, "extract", expect=1)
    assert "source/leak.html: a link to a file outside the project" in r.stderr
    assert not (bare_project / "locales" / "templates" / "leak.pot").exists()


def test_a_cache_folder_that_is_a_file_is_one_line(project, l10n):
    (project / ".l10n-cache").write_text("oops")
    for command in (["update", "--all"], ["translate", "-l", "de", "--engine", "pseudo"]):
        r = l10n(project, *command, expect=2)
        assert ".l10n-cache: the cache folder is a file" in r.stderr and r.stderr.count("\n") == 1


def test_a_changed_tool_does_not_trust_the_old_state(project, l10n, monkeypatch):
    """Outputs recorded by another version of the code are made again."""
    from l10n_tool import buildstate
    l10n(project, "update", "--all")
    buildstate.code_version.cache_clear()
    monkeypatch.setattr(buildstate, "__version__", "9.9.9")
    from l10n_tool.project import Project
    reads = []
    original = Project.read_page
    monkeypatch.setattr(Project, "read_page", lambda self, p: reads.append(p) or original(self, p))
    l10n(project, "update", "--all")
    buildstate.code_version.cache_clear()
    assert len(reads) == 2


def test_reserved_page_names_are_problems_with_a_reason(bare_project, l10n):
    (bare_project / "source" / "_site.html").write_text("<p>A page named like the site catalog.</p>")
    (bare_project / "source" / "index.html").write_text("<p>A home page.</p>")
    r = l10n(bare_project, "extract", expect=1)
    assert "source/_site.html: _site is the name of the site-wide catalog; rename the page" in r.stderr
    assert "source/index.html: the site writes its own index.html; rename the page" in r.stderr
    (bare_project / "source" / "empty.html").write_text("   \n")
    l10n(bare_project, "update", "-l", "de", expect=1)
    pages = {row.split()[1] for row in l10n(bare_project, "status", "-l", "de").stdout.splitlines()[1:]}
    assert "empty" not in pages and "rich" in pages


def test_workers_extract_and_merge_the_same_files(project, l10n, tmp_path, monkeypatch):
    """Pages read and PO files merged in forked workers, however few: the
    same templates and catalogs as one process, memory reuse and fuzzy
    matches included."""
    from l10n_tool import workers
    shutil.rmtree(project / "locales" / "templates")
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    serial = tmp_path / "serial"
    shutil.copytree(project, serial)
    monkeypatch.setenv("L10N_WORKERS", "1")
    l10n(serial, "update", "--all")
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    monkeypatch.setenv("L10N_WORKERS", "2")
    from l10n_tool.steps import update
    pids = tmp_path / "pids"
    original = update._merge_one

    def merge_one(*args):
        with open(pids, "a") as f:
            f.write(f"{os.getpid()}\n")
        return original(*args)
    monkeypatch.setattr(update, "_merge_one", merge_one)
    out = l10n(project, "update", "--all").stdout
    assert snapshot(project) == snapshot(serial)
    assert str(os.getpid()) not in pids.read_text().split()     # merged in workers
    assert "1 fuzzy" in out
    po = polib.pofile(str(project / "locales" / "zh_Hans" / f"{ASIA}.po"))
    assert any(e.previous_msgid and e.previous_msgid.startswith("Esko Aho thought") for e in po)


def test_a_run_with_nothing_changed_reports_what_the_last_found(project, l10n, monkeypatch):
    """The whole-run shortcut replays the bad page and the orphan, with the same exit code,
    without listing a page's template or loading the glossary."""
    (project / "source" / f"{MEDIA}.html").write_bytes(b"\x00\x01binary")
    shutil.copy(project / "locales" / "de" / f"{ASIA}.po", project / "locales" / "de" / "gone.po")
    first = l10n(project, "update", "-l", "de", expect=1)
    from l10n_tool.project import Project
    loads = []
    monkeypatch.setattr(Project, "glossary", lambda self: loads.append(1))
    again = l10n(project, "update", "-l", "de", expect=1)
    assert loads == []
    assert again.stderr == first.stderr and f"source/{MEDIA}.html" in again.stderr
    assert "locales/de/gone.po has no source page" in again.stdout
    assert "PO files up to date" in again.stdout


def test_each_input_a_run_depends_on_ends_the_shortcut(project, l10n):
    """A translator's save, a deleted PO file, a hand-edited template, a new page and a
    glossary edit each make the next run do its work."""
    l10n(project, "update", "-l", "de")
    asia = project / "locales" / "de" / f"{ASIA}.po"
    po = polib.pofile(str(asia))
    entry = next(e for e in po if not e.obsolete and e.msgid and not e.msgstr and "<" not in e.msgid)
    entry.msgstr = "Übersetzt"
    po.save(str(asia))
    # the same sentence on the other page is filled from the memory the save fed
    media = project / "locales" / "de" / f"{MEDIA}.po"
    edit(project / "source" / f"{MEDIA}.html", "</h1>", f"</h1>\n<p>{entry.msgid}</p>")
    l10n(project, "update", "-l", "de")
    assert any(e.msgid == entry.msgid and e.msgstr == "Übersetzt" for e in polib.pofile(str(media)))
    media.unlink()
    assert "created" in l10n(project, "update", "-l", "de").stdout and media.exists()
    pot = project / "locales" / "templates" / f"{ASIA}.pot"
    pot.write_text(pot.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    l10n(project, "update", "-l", "de")
    assert not pot.read_text(encoding="utf-8").endswith("\n\n")      # written again
    shutil.copy(project / "source" / f"{ASIA}.html", project / "source" / "copy.html")
    l10n(project, "update", "-l", "de")
    assert (project / "locales" / "de" / "copy.po").exists()
    with open(project / "glossary.csv", "a", encoding="utf-8") as f:
        f.write("Yangtze River,translate,长江,Jangtse,A river\n")
    l10n(project, "update", "-l", "de")
    notes = (project / "locales" / "de" / f"{MEDIA}.po").read_text(encoding="utf-8")
    assert "#. glossary: Yangtze River = Jangtse (de)" in notes


def test_a_memory_lookup_reads_by_msgid_and_takes_the_first_file(tmp_path):
    from l10n_tool import buildstate
    state = buildstate.BuildState(tmp_path / "state.sqlite")
    for n in range(300):                      # a memory big enough for the planner to choose
        state.remember("de", tmp_path / f"p{n:03d}.po", [(None, f"Sentence {n}.", f"Satz {n}.")])
    state.remember("de", tmp_path / "a.po", [(None, "Sentence 7.", "Der Satz 7.")])
    memory = state.memory("de")
    assert memory[(None, "Sentence 7.")] == "Der Satz 7."           # a.po sorts first
    plan = " ".join(str(row) for row in state.db.execute(
        "EXPLAIN QUERY PLAN " + buildstate._LOOKUP, ("de", "x", "")))
    assert "tm_key" in plan and "msgid=?" in plan, plan
    state.close()


def test_extract_names_the_templates_it_wrote_and_counts_the_rest(project, l10n):
    l10n(project, "extract")
    out = l10n(project, "extract").stdout.splitlines()
    assert out == ["3 templates up to date"]                  # two pages and the site
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    out = l10n(project, "extract").stdout.splitlines()
    assert out[0].startswith(f"locales/templates/{ASIA}.pot: ") and out[0].endswith(" units")
    assert out[1:] == ["2 templates up to date"]


def test_the_shortcut_sees_a_moved_source_folder_and_ignores_a_stray_template(project, l10n):
    l10n(project, "update", "-l", "de")
    shutil.copytree(project / "source", project / "src2")
    l10n(project, "--source-dir", "src2", "update", "-l", "de")
    assert f"#: src2/{ASIA}.html" in (project / "locales" / "de" / f"{ASIA}.po").read_text("utf-8")
    (project / "locales" / "templates" / "stray.pot").mkdir()      # not a file: not ours
    l10n(project, "--source-dir", "src2", "update", "-l", "de")
    l10n(project, "--source-dir", "src2", "update", "-l", "de")


def test_a_po_file_that_arrives_during_a_run_is_seen_by_the_next(project, l10n, monkeypatch):
    from l10n_tool.steps import update as update_step
    real = update_step._update

    def meanwhile(*args):
        run = real(*args)
        shutil.copy(project / "locales" / "de" / f"{ASIA}.po", project / "locales" / "de" / "old.po")
        return run
    monkeypatch.setattr(update_step, "_update", meanwhile)
    l10n(project, "update", "-l", "de")
    monkeypatch.undo()
    assert "locales/de/old.po has no source page" in l10n(project, "update", "-l", "de").stdout


def test_each_set_of_locales_keeps_its_own_shortcut(project, l10n, monkeypatch):
    l10n(project, "update", "-l", "de")
    l10n(project, "update", "-l", "zh_Hans")
    from l10n_tool.project import Project
    loads = []
    monkeypatch.setattr(Project, "glossary", lambda self: loads.append(1))
    l10n(project, "update", "-l", "de")
    l10n(project, "update", "-l", "zh_Hans")
    assert loads == []


def test_a_glossary_term_in_the_chrome_reaches_the_site_template(project, l10n):
    l10n(project, "update", "-l", "de")
    with open(project / "glossary.csv", "a", encoding="utf-8") as f:
        f.write("Cookie notice,translate,Cookie-Hinweis,Cookie-Hinweis,Banner\n")
    l10n(project, "update", "-l", "de")
    site = (project / "locales" / "templates" / "_site.pot").read_text(encoding="utf-8")
    assert "#. glossary: Cookie notice" in site


def test_a_run_after_one_edit_loads_no_locale_data(project, l10n, monkeypatch):
    """Locale names, directions and plural forms come from the build state once
    a run worked them out: loading CLDR data costs more than merging one file."""
    from l10n_tool import locales
    page = project / "source" / f"{ASIA}.html"
    edit(page, "Esko Aho thought", "Esko Aho firmly thought")
    l10n(project, "update", "-l", "zh_Hans")
    l10n(project, "publish", "-l", "zh_Hans")
    edit(page, "Esko Aho firmly thought", "Esko Aho thought, firmly,")
    locales.get_locale.cache_clear()               # a new process, as far as facts go
    monkeypatch.setattr(locales.LocaleInfo, "babel_locale",
                        lambda self: pytest.fail(f"CLDR data loaded for {self.code}"))
    l10n(project, "update", "-l", "zh_Hans")
    l10n(project, "publish", "-l", "zh_Hans")
    po = polib.pofile(str(project / "locales" / "zh_Hans" / f"{ASIA}.po"))
    assert any("Esko Aho thought, firmly," in e.msgid for e in po)          # merged
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    html = (project / "public" / "zh_Hans" / f"{ASIA}.html").read_text(encoding="utf-8")
    assert 'lang="zh-Hans"' in html and "中文" in html


def test_po_headers_are_babels(tmp_path):
    """The header written without Babel's catalog is the one it writes, field for field."""
    from babel.messages.catalog import Catalog as BabelCatalog
    from l10n_tool.catalog.io import header
    from l10n_tool.locales import get_locale
    for code in (None, "de", "zh_Hans", "ar", "ru", "pt_BR", "en_XA"):
        loc = get_locale(code) if code else None
        for project in ("News", ""):
            ours = header(loc, project)
            babel = dict(BabelCatalog(locale=loc.babel_locale() if loc else None, project=project,
                                      version=ours["Project-Id-Version"].rsplit(" ", 1)[1]
                                      ).mime_headers)
            babel.update({"Generated-By": ours["Generated-By"],
                          "Content-Type": "text/plain; charset=UTF-8"})
            if loc:
                babel.update({"Language": loc.code, "Plural-Forms": loc.plural_forms,
                              "Language-Team": f"{loc.english_name} <{loc.code}@li.org>"})
            # two clock readings: the creation date may differ by a minute, never in form
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}", ours["POT-Creation-Date"])
            babel["POT-Creation-Date"] = ours["POT-Creation-Date"]
            assert list(ours) == list(babel) and ours == babel, code


def test_the_code_digest_sees_every_edit_of_the_package_and_nothing_else(tmp_path):
    from l10n_tool.buildstate import code_digest
    pkg = tmp_path / "pkg"
    shutil.copytree(Path(__file__).resolve().parent.parent / "l10n_tool", pkg,
                    ignore=shutil.ignore_patterns("__pycache__"))
    first = code_digest(pkg, "1.0")
    assert code_digest(pkg, "1.0") == first and code_digest(pkg, "1.1") != first
    (pkg / "__pycache__").mkdir(exist_ok=True)
    (pkg / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0" * 10)
    (pkg / "notes.txt").write_text("not code")
    assert code_digest(pkg, "1.0") == first
    seen = [first]
    module = pkg / "checks" / "base.py"
    stat = module.stat()
    module.write_text(module.read_text() + "\n# edited\n")          # another size
    seen.append(code_digest(pkg, "1.0"))
    module.write_text(module.read_text().replace("# edited", "# EDITED"))   # same size
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))      # a new mtime
    seen.append(code_digest(pkg, "1.0"))
    (pkg / "formats" / "new.py").write_text("")                    # a file added
    seen.append(code_digest(pkg, "1.0"))
    assert len(set(seen)) == len(seen)


def test_a_po_file_a_translator_changed_is_merged_again_as_from_scratch(project, l10n, tmp_path):
    """With the build state warm, a hand-edited PO file gets what a fresh clone's
    update gives it: an entry deleted by hand comes back, one added by hand is
    made obsolete, an emptied file is rebuilt; a CRLF save with nothing to change
    is left as it is."""
    l10n(project, "update", "--all")
    po_path = project / "locales" / "de" / f"{ASIA}.po"
    po = polib.pofile(str(po_path))
    gone = next(e for e in po if not e.obsolete and not e.msgstr)
    po.remove(gone)
    po.append(polib.POEntry(msgid="Added by hand.", msgstr="Von Hand."))
    po.save(str(po_path))
    site = project / "locales" / "de" / "_site.po"
    site.write_bytes(b"")
    media = project / "locales" / "zh_Hans" / f"{MEDIA}.po"
    crlf = media.read_bytes().replace(b"\n", b"\r\n")
    media.write_bytes(crlf)
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")
    po = polib.pofile(str(po_path))
    assert po.find(gone.msgid) is not None
    assert po.find("Added by hand.", include_obsolete_entries=True).obsolete
    assert len(polib.pofile(str(site))) > 0
    assert media.read_bytes() == crlf


def test_translates_drafts_are_the_tools_own_change_and_a_persons_edit_is_not(project, l10n,
                                                                             monkeypatch):
    """The update after translate merges only the file a person changed
    meanwhile: translate records the files it wrote from update's record."""
    from l10n_tool import catalog
    l10n(project, "update", "--all")
    person = project / "locales" / "de" / f"{MEDIA}.po"
    po = polib.pofile(str(person))
    po.append(polib.POEntry(msgid="Added by hand.", msgstr="Von Hand."))
    po.save(str(person))
    r = l10n(project, "translate", "-l", "de", "--engine", "pseudo")
    assert f"locales/de/{ASIA}.po" in r.stdout or "files written" in r.stdout
    merged = []
    real = catalog.merge
    monkeypatch.setattr(catalog, "merge", lambda pot, old, *a, **kw:
                        merged.append(old.fpath if old is not None else None) or
                        real(pot, old, *a, **kw))
    l10n(project, "update", "--all")
    assert [Path(p).name for p in merged] == [person.name]
    assert polib.pofile(str(person)).find("Added by hand.", include_obsolete_entries=True).obsolete


def test_a_few_files_changed_are_updated_without_looking_at_the_rest(project, l10n, tmp_path,
                                                                     monkeypatch):
    """An article edited: only its page is extracted and its PO files merged,
    no other page's records looked at. The site's chrome, or a translation
    other pages may reuse, concerns every page: a whole update. Every run
    writes what a full run writes."""
    from l10n_tool.steps import update as step
    l10n(project, "update", "--all")
    page = project / "source" / f"{ASIA}.html"
    whole = []
    real = step._update
    monkeypatch.setattr(step, "_update", lambda *a, **kw: whole.append(1) or real(*a, **kw))

    def translate(path: Path) -> None:
        po = polib.pofile(str(path))
        entry = next(e for e in po if not e.obsolete and not e.msgstr and "<" not in e.msgid)
        entry.msgstr = "übersetzt"
        po.save(str(path))
    changes = [
        (lambda: edit(page, "Esko Aho thought", "Esko Aho firmly thought"), 0),
        (lambda: edit(page, "<li><a href=\"about.html\">About Us</a></li>",
                      "<li><a href=\"about.html\">About the paper</a></li>"), 1),
        (lambda: translate(project / "locales" / "de" / f"{MEDIA}.po"), 1),
        (lambda: edit(page, "Esko Aho firmly thought", "Esko Aho thought"), 0)]
    for n, (change, whole_runs) in enumerate(changes):
        whole.clear()
        change()
        l10n(project, "update", "--all")
        assert len(whole) == whole_runs, n
        assert snapshot(project) == full_run(project, l10n, tmp_path, f"twin{n}"), n
