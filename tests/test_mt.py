"""Issue 3: model packages, offline MT drafts, glossary protection, the cache."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import polib
import pytest

from conftest import REPO, all_catalogs, msgfmt_check
from l10n_tool import catalog, markup
from l10n_tool.glossary import count_in_target, load as load_glossary

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
MEDIA = "media-delegation-visits-sw-china-for-green-development-along-the-yangtze-river"


def clear_some(po_path: Path, every: int = 4) -> set[str]:
    """Empty every n-th translation, as if new text had arrived; returns their msgids."""
    po = polib.pofile(str(po_path))
    cleared = set()
    for i, e in enumerate(e for e in po if e.msgid):
        if i % every == 0:
            e.msgstr = ""
            cleared.add(e.msgid)
    po.save(str(po_path))
    return cleared


# --------------------------------------------------------------------------- models

def test_models_install_list_replace_remove(tiny_model, l10n, project, tmp_path):
    r = l10n(project, "models", "install", str(tiny_model["archive"]))
    assert "installed translate-en_zh-tiny 0.1 (en→zh)" in r.stdout
    assert "en→zh" in l10n(project, "models", "list").stdout

    newer = tmp_path / "newer" / "translate-en_zh-tiny-v2"
    shutil.copytree(tiny_model["folder"], newer)
    meta = json.loads((newer / "metadata.json").read_text())
    meta["package_version"] = "0.2"
    (newer / "metadata.json").write_text(json.dumps(meta))
    l10n(project, "models", "install", str(newer))
    listed = l10n(project, "models", "list").stdout.strip().splitlines()
    assert len(listed) == 1 and " 0.2 " in listed[0]
    assert sorted(p.name for p in (tmp_path / "argos-packages").iterdir()) == ["translate-en_zh-tiny-v2"]

    l10n(project, "models", "remove", "en:zh")
    assert "no packages installed" in l10n(project, "models", "list").stdout


@pytest.mark.parametrize("member", ["../evil.txt", "/tmp/evil-abs.txt", "pkg/../../evil.txt"])
def test_install_refuses_zip_slip(tmp_path, l10n, project, member):
    archive = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("pkg/metadata.json", '{"from_code": "en", "to_code": "zh"}')
        zf.writestr(member, "gotcha")
    r = l10n(project, "models", "install", str(archive), expect=2)
    assert "escapes the target folder" in r.stderr and str(archive) in r.stderr
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil-abs.txt").exists()
    assert not list((tmp_path / "argos-packages").glob("*/pkg"))


@pytest.mark.parametrize("metadata,message", [
    (None, "no metadata.json"),
    ("{not json", "invalid metadata.json"),
    ('{"from_code": "en"}', "missing to_code"),
])
def test_install_refuses_bad_metadata(tiny_model, tmp_path, l10n, project, metadata, message):
    folder = tmp_path / "bad" / "translate-bad"
    shutil.copytree(tiny_model["folder"], folder)
    (folder / "metadata.json").unlink()
    if metadata is not None:
        (folder / "metadata.json").write_text(metadata)
    r = l10n(project, "models", "install", str(folder), expect=2)
    assert message in r.stderr
    assert not [p for p in (tmp_path / "argos-packages").iterdir() if not p.name.startswith(".")]


def test_no_model_for_the_pair_lists_what_is_installed(tiny_model, l10n, project):
    l10n(project, "models", "install", str(tiny_model["archive"]))
    r = l10n(project, "translate", "-l", "de", expect=2)
    assert r.stderr.count("\n") == 1
    assert "no Argos model for en→de; installed: en→zh" in r.stderr
    assert "l10n models install" in r.stderr


# --------------------------------------------------------------------------- argos drafts

def test_argos_translate_fills_only_untranslated_entries(tiny_model, l10n, project):
    l10n(project, "models", "install", str(tiny_model["archive"]))
    paths = [project / "locales" / "zh_Hans" / f"{slug}.po" for slug in (ASIA, MEDIA)]
    cleared = {(p, m) for p in paths for m in clear_some(p)}
    pending = len({m for _, m in cleared})
    reviewed = {(p, e.msgid): (e.msgstr, e.flags) for p in paths
                for e in polib.pofile(str(p)) if e.msgstr and e.msgid}

    r = l10n(project, "translate", "-l", "zh_Hans")
    assert f"{pending} pending, 0 from cache, {pending} translated by argos " \
           "translate-en_zh-tiny 0.1 beam=2" in r.stdout
    for p in paths:
        for e in polib.pofile(str(p)):
            if not e.msgid:
                continue
            if (p, e.msgid) in cleared:
                assert e.msgstr and "fuzzy" in e.flags
                assert "mt: argos translate-en_zh-tiny 0.1 beam=2" in e.tcomment
                assert ">>zh<<" not in e.msgstr and ">>cmn_Hans<<" not in e.msgstr
            else:
                assert (e.msgstr, e.flags) == reviewed[(p, e.msgid)]
    msgfmt_check(*all_catalogs(project))

    # nothing new: instant, nothing written
    stamp = [p.stat().st_mtime_ns for p in paths]
    r = l10n(project, "translate", "-l", "zh_Hans")
    assert r.stdout.startswith("zh_Hans: 0 pending") and "0 files written" in r.stdout
    assert [p.stat().st_mtime_ns for p in paths] == stamp


def test_cleared_fuzzy_flag_makes_a_draft_reviewed(tiny_model, l10n, project):
    l10n(project, "models", "install", str(tiny_model["archive"]))
    po_path = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    clear_some(po_path, every=10)
    l10n(project, "translate", "-l", "zh_Hans")
    po = polib.pofile(str(po_path))
    drafts = [e for e in po if "fuzzy" in e.flags]
    assert len(drafts) >= 2
    accepted = drafts[0]
    accepted.flags.remove("fuzzy")          # what Poedit does when a translator accepts it
    accepted.msgstr = "译者审校后的译文。"
    po.save(str(po_path))

    r = l10n(project, "translate", "-l", "zh_Hans", "--refresh-drafts")
    assert f"{len(drafts) - 1} pending" in r.stdout
    po = polib.pofile(str(po_path))
    kept = next(e for e in po if e.msgid == accepted.msgid)
    assert kept.msgstr == "译者审校后的译文。" and "fuzzy" not in kept.flags
    assert sum("fuzzy" in e.flags for e in po) == len(drafts) - 1


def test_a_draft_a_translator_edited_but_left_fuzzy_is_theirs(tiny_model, l10n, project):
    """Poedit: text typed into a draft with "Needs work" left on. The entry is
    the person's fuzzy translation now: --refresh-drafts leaves it, status and
    check count it as fuzzy, not as an MT draft."""
    l10n(project, "models", "install", str(tiny_model["archive"]))
    po_path = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    clear_some(po_path, every=10)
    l10n(project, "translate", "-l", "zh_Hans")
    po = polib.pofile(str(po_path))
    drafts = [e for e in po if catalog.is_mt_draft(e)]
    assert len(drafts) >= 2 and all("(draft " in e.tcomment for e in drafts)
    edited = drafts[0]
    edited.msgstr = "译者改过但仍待审的译文。"       # still fuzzy
    po.save(str(po_path))
    assert catalog.state(polib.pofile(str(po_path)).find(edited.msgid)) is catalog.State.FUZZY

    r = l10n(project, "translate", "-l", "zh_Hans", "--refresh-drafts")
    assert f"{len(drafts) - 1} pending" in r.stdout
    po = polib.pofile(str(po_path))
    kept = po.find(edited.msgid)
    assert kept.msgstr == "译者改过但仍待审的译文。" and "fuzzy" in kept.flags
    states = [catalog.state(e) for e in po]
    assert states.count(catalog.State.MT_DRAFT) == len(drafts) - 1
    assert catalog.state(kept) is catalog.State.FUZZY


def test_translate_runs_without_network(tiny_model, project, tmp_path):
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(tmp_path / "pk"), PYTHONPATH=str(REPO))
    run = [sys.executable, "-m", "l10n_tool", "-C", str(project)]
    subprocess.run(run + ["models", "install", str(tiny_model["archive"])], env=env, check=True,
                   capture_output=True)
    clear_some(project / "locales" / "zh_Hans" / f"{ASIA}.po")
    r = subprocess.run(["unshare", "-n"] + run + ["translate", "-l", "zh_Hans"], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "translated by argos translate-en_zh-tiny" in r.stdout


# --------------------------------------------------------------------------- pseudo and protection

def test_pseudo_drafts_obey_glossary_and_placeholders(bare_project, l10n):
    l10n(bare_project, "update", "-l", "zh_Hans")
    r = l10n(bare_project, "translate", "-l", "zh_Hans", "--engine", "pseudo")
    assert "0 with problems" in r.stdout
    glossary = load_glossary(bare_project / "glossary.csv")
    checked = 0
    for po_path in (bare_project / "locales" / "zh_Hans").glob("*.po"):
        for e in polib.pofile(str(po_path)):
            if not e.msgid:
                continue
            # edge tags, and tagged text with no letters at an edge (a phone number in a
            # link, a reference mark "[43]"), go around MT as they are
            core = re.sub(r"(\s*<(\d+)>[\d\W]*?</\2>)+$", "", e.msgstr)
            core = re.sub(r"^(\s*</?\d+/?>)+|(\s*</?\d+/?>)+$", "", core)
            assert "fuzzy" in e.flags and core.startswith("[") and core.endswith("]"), e.msgstr
            assert markup.compare(e.msgid, e.msgstr) is None, e.msgid
            for occ in glossary.find(e.msgid):
                want = occ.term.approved("zh_Hans")
                if occ.term.type == "fixed":
                    n = sum(1 for o in glossary.find(e.msgid) if o.term == occ.term)
                    assert count_in_target(e.msgstr, want, "zh_Hans", True) == n, e.msgstr
                else:
                    assert want in e.msgstr, (want, e.msgstr)
                checked += 1
    assert checked > 50
    msgfmt_check(*all_catalogs(bare_project))


def test_pseudo_locale_en_xa_publishes_accented_pages(bare_project, l10n):
    l10n(bare_project, "update", "-l", "en_XA")
    l10n(bare_project, "translate", "-l", "en_XA", "--engine", "pseudo")
    l10n(bare_project, "publish", "-l", "en_XA", "--include-fuzzy", "--min-complete", "0")
    page = (bare_project / "public" / "en_XA" / f"{ASIA}.html").read_text(encoding="utf-8")
    assert "<h1>[Àšîà-Éûŕöþé Çööþéŕàţîöñ Ɓŕîñĝ Đéṽéļöþɱéñţ Öþþöŕţûñîţîéš ţö Çĥöñĝǫîñĝ ~" in page
    assert "(ILSTC)" in page and "ţĥé ILSTC ŵîļļ" in page      # fixed terms stay verbatim
    assert '<html lang="en-XA" dir="ltr">' in page


@pytest.mark.parametrize("levels", [40, 1200])
def test_a_sentence_inside_hundreds_of_nested_tags_is_translated(tmp_path, l10n, levels):
    """An old page with an unclosed <font> on each line is one unit nested as deep
    as its lines (libxml2 reads 2,048 levels): 50 levels took 33 s of placing
    spans, 1,200 ran out of Python frames (an internal error)."""
    (tmp_path / "source").mkdir()
    lines = "".join(f"<font face=x>Line {i} of the old page<br>\n" for i in range(levels))
    (tmp_path / "source" / "old.html").write_text(
        f"<html><head><title>Old page</title></head><body><h1>Old page</h1><p>{lines}</p>"
        "</body></html>", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["de"]\n', encoding="utf-8")
    l10n(tmp_path, "update", "-l", "de")
    r = l10n(tmp_path, "translate", "-l", "de", "--engine", "pseudo")
    assert "0 with problems" in r.stdout, r
    po = polib.pofile(str(tmp_path / "locales" / "de" / "old.po"))
    deep = next(e for e in po if e.msgid.startswith("<1>Line 0"))
    assert markup.compare(deep.msgid, deep.msgstr) is None
    assert markup.strip(deep.msgstr).count("Ļîñé") == levels     # every line translated
    l10n(tmp_path, "check", "-l", "de")


class ReversedEngine:
    """Copies its input, like a random-weights model, but answers last unit first,
    as a distributed executor may."""

    def identity(self):
        return "reversed 1"

    def translate(self, texts):
        for i in reversed(range(len(texts))):
            yield i, texts[i]


def test_results_out_of_order_reach_the_right_entries(bare_project, l10n):
    from l10n_tool.config import load_settings
    from l10n_tool.locales import get_locale
    from l10n_tool.mt.cache import MTCache
    from l10n_tool.mt.protect import protect, restore
    from l10n_tool.project import Project
    from l10n_tool.steps.translate import translate_locale

    l10n(bare_project, "update", "-l", "de")
    project = Project(load_settings(bare_project))
    glossary = project.glossary()
    with MTCache(bare_project / ".l10n-cache" / "mt.sqlite") as cache:
        summary = translate_locale(project, get_locale("de"), ReversedEngine(), glossary, cache)
    assert summary.translated == summary.pending > 50
    checked = 0
    for path in sorted((bare_project / "locales" / "de").glob("*.po")):   # pages and _site.po
        for e in polib.pofile(str(path)):
            if e.msgid:
                p = protect(e.msgid, glossary, "de")
                assert e.msgstr == restore(p, p.text)[0] and "fuzzy" in e.flags, e.msgid
                assert "mt: reversed 1" in e.tcomment
                checked += 1
    assert checked >= summary.pending
    msgfmt_check(*all_catalogs(bare_project))


def test_stopped_run_keeps_finished_units_and_resumes(bare_project, l10n):
    """Stopping (what Ctrl-C does) keeps exactly the units finished so far."""
    import threading

    from l10n_tool.config import load_settings
    from l10n_tool.locales import get_locale
    from l10n_tool.mt.cache import MTCache
    from l10n_tool.mt.pseudo import PseudoEngine
    from l10n_tool.project import Project
    from l10n_tool.steps import translate as step

    stop = threading.Event()

    class Stopping:
        def identity(self):
            return "pseudo 1"

        def translate(self, texts):           # Ctrl-C once 20 units are done
            for i, out in enumerate(PseudoEngine().translate(texts)):
                if i == 20:
                    stop.set()
                yield i, out

    l10n(bare_project, "update", "-l", "de")
    project = Project(load_settings(bare_project))
    de, glossary = get_locale("de"), project.glossary()
    with MTCache(bare_project / ".l10n-cache" / "mt.sqlite") as cache:
        p = step.plan(project, de, Stopping(), glossary, cache)
        for _ in step.run(p, Stopping(), glossary, cache, stop=stop):
            pass
        first = step.write(project, p)
        assert first.interrupted and first.translated == 20
        assert cache.count() == first.translated
        drafts = {e.msgid for path in (bare_project / "locales" / "de").glob("*.po")
                  for e in polib.pofile(str(path)) if e.msgstr}
        assert len(drafts) == first.translated                 # finished units were saved
        r = l10n(bare_project, "translate", "-l", "de", "--engine", "pseudo")
        assert f", {first.pending - first.translated} translated by" in r.stdout
        assert cache.count() == first.pending


def long_page(path: Path, units: int) -> None:
    """A page of many distinct sentences, so that a run on the tiny model lasts seconds."""
    import random
    words = "river trade corridor city port train cargo green energy bridge market school".split()
    rnd = random.Random(5)
    paras = [f"<p>Item {i}: the {' '.join(rnd.choice(words) for _ in range(rnd.randint(6, 14)))}.</p>"
             for i in range(units)]
    path.write_text("<!DOCTYPE html><html lang='en'><head><title>Long page</title></head><body>"
                    "<main><article><h1>Long page</h1>" + "\n".join(paras) +
                    "</article></main></body></html>", encoding="utf-8")


def interrupt_translate(project: Path, env: dict, cached: int = 0) -> tuple[float, str, int]:
    """Start `l10n translate`, Ctrl-C it once it has added units to the cache; returns
    (seconds from SIGINT to exit, stderr, rows in the cache)."""
    import signal
    import sqlite3
    import time

    db = project / ".l10n-cache" / "mt.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "l10n_tool", "-C", str(project), "translate",
                             "-l", "zh_Hans", "--threads", "1"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def rows() -> int:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
                return con.execute("SELECT COUNT(*) FROM mt").fetchone()[0]
        except sqlite3.Error:
            return 0
    deadline = time.monotonic() + 60
    while rows() <= cached and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    elapsed = time.monotonic() - sent
    assert proc.returncode == 130, err
    return elapsed, err, rows()


def test_ctrl_c_stops_at_once_and_keeps_every_finished_unit(tiny_model, bare_project, tmp_path):
    for page in bare_project.glob("source/*.html"):
        page.unlink()
    long_page(bare_project / "source" / "long.html", 800)
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(tmp_path / "pk"), PYTHONPATH=str(REPO))
    run = [sys.executable, "-m", "l10n_tool", "-C", str(bare_project)]
    subprocess.run(run + ["models", "install", str(tiny_model["archive"])], env=env, check=True,
                   capture_output=True)
    subprocess.run(run + ["update", "-l", "zh_Hans"], env=env, check=True, capture_output=True)

    elapsed, err, cached = interrupt_translate(bare_project, env)
    assert elapsed < 2.0, err
    m = re.search(r"interrupted: (\d+) of (\d+) units translated and saved", err)
    assert m, err
    saved, total = int(m.group(1)), int(m.group(2))
    assert 0 < saved == cached < total
    po = polib.pofile(str(bare_project / "locales" / "zh_Hans" / "long.po"))
    assert sum(1 for e in po if e.msgstr and "fuzzy" in e.flags) == saved   # drafts written too
    msgfmt_check(bare_project / "locales" / "zh_Hans" / "long.po")

    # the rerun starts where the first one stopped
    _, err, cached_after = interrupt_translate(bare_project, env, cached)
    m = re.search(r"interrupted: (\d+) of (\d+) units", err)
    assert m and int(m.group(2)) == total - saved, err
    assert cached_after == saved + int(m.group(1))


# --------------------------------------------------------------------------- engines and settings

def one_line_error(r) -> str:
    assert r.stderr.count("\n") == 1, r.stderr
    return r.stderr


def add_settings(project: Path, toml: str) -> Path:
    path = project / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_unknown_engine_suggests_the_close_name(project, l10n):
    err = one_line_error(l10n(project, "translate", "-l", "de", "--engine", "argso", expect=2))
    assert "unknown MT engine 'argso'; did you mean 'argos'?" in err
    path = add_settings(project, '[tool.l10n.mt]\nengine = "psuedo"\n')
    err = one_line_error(l10n(project, "translate", "-l", "de", expect=2))
    assert f"pyproject.toml:{line_of(path, 'psuedo')}: unknown MT engine 'psuedo'; " \
           "did you mean 'pseudo'?" in err


@pytest.mark.parametrize("toml,where,message", [
    ('[tool.l10n.mt.argos]\nbeem = 4\n', "beem", "unknown option 'beem' for MT engine 'argos'; "
                                                 "did you mean 'beam'?"),
    ('[tool.l10n.mt]\nbeam = 0\n', "beam = 0", "MT engine 'argos': beam must be between 1 and 16"),
    ('[tool.l10n.mt]\nexecuter = "ray"\n', "executer",
     "unknown setting 'executer' in [tool.l10n.mt]; did you mean 'executor'?"),
    ('[tool.l10n.mt]\nexecutor = "slurm"\n', "slurm", "unknown executor 'slurm'"),
    ('[tool.l10n.mt.argos]\ndevice = "tpu"\n', 'device = "tpu"',
     "MT engine 'argos': device must be one of cpu, cuda, auto, not 'tpu'"),
    ('[tool.l10n.mt.argso]\nbeam = 1\n', "argso", "unknown MT engine table [tool.l10n.mt.argso]; "
                                                  "did you mean 'argos'?"),
])
def test_bad_mt_settings_name_their_line(project, l10n, toml, where, message):
    path = add_settings(project, toml)
    err = one_line_error(l10n(project, "translate", "-l", "de", expect=2))
    assert f"pyproject.toml:{line_of(path, where)}: {message}" in err


def test_bad_cli_option_is_one_line(project, l10n):
    err = one_line_error(l10n(project, "translate", "-l", "de", "--beam", "x", expect=2))
    assert "--beam: MT engine 'argos': beam must be int, not 'x'" in err
    err = one_line_error(l10n(project, "translate", "-l", "de", "--engine", "pseudo",
                              "--option", "beam=2", expect=2))
    assert "unknown option 'beam' for MT engine 'pseudo'" in err


def test_engine_and_options_from_pyproject(tiny_model, l10n, project):
    """[tool.l10n.mt] picks the engine, its own table sets options, the CLI wins."""
    l10n(project, "models", "install", str(tiny_model["archive"]))
    clear_some(project / "locales" / "zh_Hans" / f"{ASIA}.po", every=8)
    add_settings(project, '[tool.l10n.mt]\nbeam = 3\nthreads = 1\n[tool.l10n.mt.argos]\nbeam = 1\n')
    r = l10n(project, "translate", "-l", "zh_Hans")
    assert "translated by argos translate-en_zh-tiny 0.1 beam=1 in" in r.stdout
    clear_some(project / "locales" / "zh_Hans" / f"{ASIA}.po", every=8)
    r = l10n(project, "translate", "-l", "zh_Hans", "--option", "beam=4")
    assert "translated by argos translate-en_zh-tiny 0.1 beam=4 in" in r.stdout
    add_settings(project, '[tool.l10n.mt.pseudo]\n').write_text(
        (project / "pyproject.toml").read_text().replace("beam = 3\n", 'beam = 3\nengine = "pseudo"\n'))
    clear_some(project / "locales" / "zh_Hans" / f"{ASIA}.po", every=8)
    assert "translated by pseudo 1 in" in l10n(project, "translate", "-l", "zh_Hans").stdout


def test_cuda_device_without_cuda_is_one_line(tiny_model, l10n, project):
    import ctranslate2
    if ctranslate2.get_cuda_device_count():
        pytest.skip("this machine has CUDA")
    l10n(project, "models", "install", str(tiny_model["archive"]))
    clear_some(project / "locales" / "zh_Hans" / f"{ASIA}.po", every=8)
    err = one_line_error(l10n(project, "translate", "-l", "zh_Hans", "--device", "cuda", expect=2))
    assert "device = cuda, but CUDA is not available here" in err
    assert "translated by argos" in l10n(project, "translate", "-l", "zh_Hans", "--device",
                                         "auto").stdout


def test_missing_ray_names_the_extra(project, l10n, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)          # import ray → ImportError
    clear_some(project / "locales" / "de" / f"{ASIA}.po", every=8)
    err = one_line_error(l10n(project, "translate", "-l", "de", "--engine", "pseudo",
                              "--executor", "ray", expect=2))
    assert "the ray executor needs Ray: pip install 'l10n_tool[ray]'" in err


@pytest.mark.parametrize("damage,message", [
    ("file", ""),               # the project lock, also in the cache folder, says it first
    ("corrupt", "file is not a database; it is only a cache: delete it"),
    ("folder", "unable to open database file"),
])
def test_broken_cache_is_one_line(project, l10n, damage, message):
    cache = project / ".l10n-cache"
    if damage == "file":
        cache.write_text("not a folder")
    elif damage == "corrupt":
        cache.mkdir()
        (cache / "mt.sqlite").write_bytes(b"garbage " * 1000)
    else:
        (cache / "mt.sqlite").mkdir(parents=True)
    clear_some(project / "locales" / "de" / f"{ASIA}.po", every=8)
    r = l10n(project, "translate", "-l", "de", "--engine", "pseudo", expect=2)
    assert ".l10n-cache" in one_line_error(r) and message in r.stderr


def test_unwritable_cache_is_one_line(project, l10n):
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only files")
    cache = project / ".l10n-cache"
    cache.mkdir()
    l10n(project, "translate", "-l", "de", "--engine", "pseudo")
    for p in [cache / "mt.sqlite", *cache.glob("mt.sqlite-*"), cache]:
        p.chmod(0o500 if p.is_dir() else 0o400)
    try:
        clear_some(project / "locales" / "de" / f"{ASIA}.po", every=8)
        r = l10n(project, "translate", "-l", "de", "--engine", "pseudo", expect=2)
        assert "mt.sqlite" in one_line_error(r)
    finally:
        cache.chmod(0o700)


# --------------------------------------------------------------------------- glossary file

@pytest.mark.parametrize("row,line,message", [
    ("ILSTC,fixed,,,dup", 26, "duplicate term 'ILSTC' (first at line 2)"),
    (",translate,x,,", 26, "empty term"),
    ("Foo,approved,x,,", 26, "bad type 'approved'"),
    ("chongqing,fixed,,,", 26, "'chongqing' is both a fixed and a translate term"),
])
def test_malformed_glossary_is_a_one_line_error(project, l10n, row, line, message):
    path = project / "glossary.csv"
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    r = l10n(project, "extract", expect=2)
    assert f"glossary.csv:{line}: glossary: {message}" in r.stderr


def test_unknown_locale_column_in_glossary(project, l10n):
    path = project / "glossary.csv"
    text = path.read_text(encoding="utf-8").replace("term,type,zh_Hans,de,note", "term,type,zh_Hans,xx_QQ,note")
    path.write_text(text, encoding="utf-8")
    r = l10n(project, "extract", expect=2)
    assert "glossary.csv:1: glossary: unknown locale column 'xx_QQ'" in r.stderr


def test_glossary_comments_reach_translators(project, l10n):
    l10n(project, "update", "--all")
    po = polib.pofile(str(project / "locales" / "zh_Hans" / f"{ASIA}.po"))
    ilstc = next(e for e in po if "(ILSTC)" in e.msgid)
    assert "glossary: ILSTC (fixed)" in ilstc.comment
    assert "glossary: New International Land-Sea Trade Corridor = 国际陆海贸易新通道 (zh_Hans)" \
        in ilstc.comment
    de = polib.pofile(str(project / "locales" / "de" / f"{ASIA}.po"))
    bri = next(e for e in de if "(BRI)" in e.msgid)
    assert "glossary: BRI = “一带一路” (zh_Hans)" in bri.comment    # no German rendering yet
    # the POT says the same, so msgmerge with the POT and `l10n update` agree
    pot = polib.pofile(str(project / "locales" / "templates" / f"{ASIA}.pot"))
    assert next(e for e in pot if "(BRI)" in e.msgid).comment == bri.comment
    assert "glossary: United Nations = 联合国 (zh_Hans)" in next(
        e for e in de if "United Nations" in e.msgid).comment


def test_pivots_through_english_without_a_direct_pair(tiny_model, l10n, bare_project, tmp_path):
    pyproject = bare_project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('source_locale = "en"', 'source_locale = "de"')
                         .replace('locales = ["zh_Hans", "de"]', 'locales = ["zh_Hans"]'))
    l10n(bare_project, "models", "install", str(tiny_model["archive"]))          # en→zh
    de_en = tmp_path / "de-en" / "translate-de_en-tiny"
    shutil.copytree(tiny_model["folder"], de_en)
    meta = json.loads((de_en / "metadata.json").read_text())
    meta.update(from_code="de", to_code="en", code="translate-de_en-tiny")
    del meta["target_prefix"]
    (de_en / "metadata.json").write_text(json.dumps(meta))
    l10n(bare_project, "models", "install", str(de_en))
    for page in ("rich", MEDIA):          # one page is enough, and the toy model is slow to stop
        (bare_project / "source" / f"{page}.html").unlink()
    l10n(bare_project, "update", "-l", "zh_Hans")
    r = l10n(bare_project, "translate", "-l", "zh_Hans", "--beam", "1", "--threads", "1")
    assert "translated by argos translate-de_en-tiny 0.1 beam=1 + argos translate-en_zh-tiny 0.1 beam=1" \
        in r.stdout
    po = polib.pofile(str(bare_project / "locales" / "zh_Hans" / f"{ASIA}.po"))
    assert all(e.msgstr and "fuzzy" in e.flags for e in po if e.msgid)


def test_progress_bar_on_a_terminal_only(bare_project, l10n, tmp_path):
    if shutil.which("script") is None:
        pytest.skip("util-linux `script` is needed for a pseudo-terminal")
    l10n(bare_project, "update", "-l", "de", "-l", "fr")
    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="100")
    cmd = f"{sys.executable} -m l10n_tool -C {bare_project} translate --engine pseudo -l"
    tty = subprocess.run(["script", "-qec", f"{cmd} fr", "/dev/null"], env=env,
                         capture_output=True, text=True)
    assert tty.returncode == 0, tty.stdout
    assert "translating fr" in tty.stdout and "100%" in tty.stdout
    piped = subprocess.run(cmd.split() + ["de"], env=env, capture_output=True, text=True)
    assert piped.returncode == 0 and "translating" not in piped.stdout + piped.stderr
    assert piped.stdout.count("\n") == 1 and " 0 from cache, " in piped.stdout  # one-line summary


def test_progress_bar_advances_with_finished_units(tiny_model, bare_project, tmp_path):
    """Drawn on a pseudo-terminal: several steps between 0% and 100%, and every
    time estimate under a minute (the run takes seconds), never days."""
    if shutil.which("script") is None:
        pytest.skip("util-linux `script` is needed for a pseudo-terminal")
    for page in bare_project.glob("source/*.html"):
        page.unlink()
    long_page(bare_project / "source" / "long.html", 160)
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(tmp_path / "pk"), PYTHONPATH=str(REPO),
               COLUMNS="100")
    run = [sys.executable, "-m", "l10n_tool", "-C", str(bare_project)]
    subprocess.run(run + ["models", "install", str(tiny_model["archive"])], env=env, check=True,
                   capture_output=True)
    subprocess.run(run + ["update", "-l", "zh_Hans"], env=env, check=True, capture_output=True)
    cmd = " ".join(run + ["translate", "-l", "zh_Hans", "--threads", "1", "--batch-size", "8"])
    started = time.monotonic()
    tty = subprocess.run(["script", "-qec", cmd, "/dev/null"], env=env, capture_output=True,
                         text=True)
    seconds = time.monotonic() - started
    assert tty.returncode == 0, tty.stdout
    percents = {int(p) for p in re.findall(r"(\d+)%", tty.stdout)}
    assert 100 in percents and len(percents - {0, 100}) >= 3, tty.stdout
    etas = re.findall(r"%\s+(\S+ )?(\d\d):(\d\d):(\d\d)", tty.stdout)
    # click estimates once a second: a run shorter than a few seconds may show none
    assert etas or seconds < 4, (seconds, tty.stdout)
    assert all(not days and h == "00" and m == "00" for days, h, m, _ in etas), etas


def test_source_text_that_looks_like_a_token_survives():
    from l10n_tool.mt.protect import protect, restore
    from l10n_tool.mt.pseudo import PseudoEngine

    glossary = load_glossary(REPO / "glossary.csv")
    msgid = "The X5X camera from <1>ILSTC</1> costs 2 X 3X less."
    p = protect(msgid, glossary, "de")
    assert restore(p, p.text) == (msgid, [], [])          # a model that copies its input
    out = next(iter(PseudoEngine().translate([p.text])))
    text, repairs, problems = restore(p, out)
    assert "X5X" in text and "X 3X" in text and "<1>ILSTC</1>" in text
    assert not repairs and not problems


def test_an_approved_term_starting_a_sentence_gets_its_capital(tmp_path):
    """"Smart city trade fair opens": the approved rendering, written in place of
    the term, starts the headline with a capital as the model would have."""
    from l10n_tool.mt.protect import protect, restore
    (tmp_path / "g.csv").write_text("term,type,pt_BR\nsmart city,translate,cidade inteligente\n",
                                    encoding="utf-8")
    glossary = load_glossary(tmp_path / "g.csv")
    for msgid, start in (("Smart city trade fair opens.", "Cidade inteligente"),
                         ("A smart city opens.", "A cidade inteligente")):
        p = protect(msgid, glossary, "pt_BR")
        text, _, problems = restore(p, p.texts)       # a model that copies its input
        assert text.startswith(start) and not problems, (msgid, text)


def test_a_token_whose_number_the_model_dropped_is_debris():
    """A tiny model in a long sentence writes "XX" for X1X: removed and reported,
    and the check flags it in a msgstr whose msgid has none."""
    from l10n_tool.checks.markup_text import debris
    from l10n_tool.mt.protect import protect, restore
    glossary = load_glossary(REPO / "glossary.csv")
    p = protect("The ILSTC office opened on Monday.", glossary, "de")
    text, _, problems = restore(p, "Das XX Büro wurde am Montag eröffnet.")
    assert "XX" not in text and any("ILSTC" in problem for problem in problems)
    assert debris("o XX, o XX") and not debris("Super Bowl XXL, X-ray")


def test_a_draft_that_loops_is_a_problem_unless_the_source_does():
    from l10n_tool.mt.protect import protect, restore
    glossary = load_glossary(REPO / "glossary.csv")
    p = protect("The region grew quickly, and the city with it.", glossary, "pt_BR")
    _, _, problems = restore(p, "A região cresceu, a cidade, a cidade, a cidade, a cidade.")
    assert any("repeats “a cidade”" in problem for problem in problems)
    p = protect("Ha ha ha, said the mayor.", glossary, "pt_BR")
    assert restore(p, "Ha ha ha, disse o prefeito.")[2] == []


def test_source_text_that_reads_like_a_placeholder_goes_through_as_written():
    """"The literal text <1> and </1>" (escaped in the msgid as \\<1>): the model
    garbled it ("no 1> e no n.o 1>"); it is kept out of MT and comes back."""
    from l10n_tool.mt.protect import protect, restore
    from l10n_tool.mt.pseudo import PseudoEngine
    glossary = load_glossary(REPO / "glossary.csv")
    msgid = "The literal text \\<1> and \\</1> appears in <1>this</1> sentence."
    p = protect(msgid, glossary, "de")
    assert "<1>" not in " ".join(p.texts)
    text, _, problems = restore(p, list(PseudoEngine().translate(p.texts)))
    assert "\\<1>" in text and "\\</1>" in text and not problems, text


def test_translate_leaves_a_hand_added_plural_entry_alone(bare_project, l10n):
    """Pages give no plural entries; one a translator adds has forms, not a
    msgstr: a draft written there was dropped on save but counted as translated."""
    l10n(bare_project, "update", "-l", "de")
    path = next((bare_project / "locales" / "de").glob("asia*.po"))
    po = polib.pofile(str(path))
    po.append(polib.POEntry(msgid="one comment", msgid_plural="{n} comments",
                            msgstr_plural={0: "", 1: ""}))
    po.save(str(path))
    pending = {e.msgid for f in (bare_project / "locales" / "de").glob("*.po")
               for e in polib.pofile(str(f)) if e.msgid and not e.obsolete and not e.translated()}
    r = l10n(bare_project, "translate", "-l", "de", "--engine", "pseudo")
    assert f"{len(pending) - 1} translated by" in r.stdout, r.stdout
    plural = next(e for e in polib.pofile(str(path)) if e.msgid == "one comment")
    assert not plural.tcomment and "fuzzy" not in plural.flags
    msgfmt_check(path)
