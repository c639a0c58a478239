"""Issues 2, 5, 10, 12, 13: publishing localised pages and the multilingual site."""

from __future__ import annotations

import os
import re
from pathlib import Path

import polib
import pytest
from lxml import etree, html

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
MEDIA = "media-delegation-visits-sw-china-for-green-development-along-the-yangtze-river"
XHTML = "{http://www.w3.org/1999/xhtml}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(path: Path):
    return html.document_fromstring(path.read_text(encoding="utf-8"))


def body_text(root) -> str:
    body = root.find("body")
    for nav in body.xpath(".//nav[@class='l10n-switcher']"):
        nav.drop_tree()
    return " ".join("".join(body.itertext()).split())


def structure(root) -> list:
    """Tag sequence with attributes, minus what publishing adds on purpose:
    the switcher, alternate links, lang/dir, rewritten URLs and fallback spans."""
    root = html.document_fromstring(html.tostring(root))
    for el in root.xpath("//nav[@class='l10n-switcher'] | //link[@rel='alternate' or @rel='canonical']"):
        el.drop_tree()
    for span in root.xpath("//span[@lang and count(@*)=1]"):
        span.drop_tag()
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        attrs = {k: v for k, v in el.attrib.items() if k not in ("lang", "dir", "href", "src")}
        out.append((el.tag, tuple(sorted(attrs.items())) if el.tag not in ("img", "meta")
                    else tuple(sorted((k, v) for k, v in attrs.items() if k not in ("alt", "content")))))
    return out


def test_empty_po_files_reproduce_every_source_page(bare_project, l10n):
    l10n(bare_project, "update", "-l", "de")
    l10n(bare_project, "publish", "-l", "de", "--min-complete", "0")
    for slug in (ASIA, MEDIA, "rich", "messy"):
        source = parse(bare_project / "source" / f"{slug}.html")
        for locale in ("en", "de"):
            out = parse(bare_project / "public" / locale / f"{slug}.html")
            assert body_text(out) == body_text(parse(bare_project / "source" / f"{slug}.html"))
            assert structure(out) == structure(source), (slug, locale)
            assert out.findtext(".//title").split() == source.findtext(".//title").split()
    rich = (bare_project / "public" / "de" / "rich.html").read_text(encoding="utf-8")
    assert "&lt;angle&gt; brackets &amp; ampersands" in rich
    assert 'var msg = "not translatable";' in rich
    assert '<a href="https://example.com/a?b=1&amp;c=2" title="A linked site" class="ext">' in rich
    assert '<p lang="en">Dr. Smith moved' in rich        # untranslated blocks are marked
    messy = (bare_project / "public" / "de" / "messy.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">' in messy
    assert "15.1\u00a0m² and\u00a0more" in messy                  # &nbsp; survives


@pytest.fixture
def chrome_project(project, l10n) -> Path:
    """The sample project after `update`, which moves site chrome (menus,
    cookie banner, footer) and its translations into locales/<locale>/_site.po."""
    l10n(project, "update", "--all")
    return project


def test_publish_zh_gives_two_complete_chinese_pages(chrome_project, l10n):
    project = chrome_project
    l10n(project, "publish", "-l", "zh_Hans")
    for slug in (ASIA, MEDIA):
        page = project / "public" / "zh_Hans" / f"{slug}.html"
        root = parse(page)
        assert root.get("lang") == "zh-Hans" and root.get("dir") == "ltr"
        assert not root.xpath("//body//*[@lang='en'][not(ancestor::nav)]"), "no unit may fall back"
        assert re.search(r"[\u4e00-\u9fff]", root.findtext(".//title"))
    media = (project / "public" / "zh_Hans" / f"{MEDIA}.html").read_text(encoding="utf-8")
    for term in ("CLCIZ", "NUSRI", "LJNAAC", "重庆两江协同创新区", "新加坡国立大学（重庆）研究院", "两江新区"):
        assert term in media


def test_partial_translation_falls_back_with_lang_en(project, l10n):
    l10n(project, "publish", "-l", "de", "--min-complete", "0")
    root = parse(project / "public" / "de" / f"{ASIA}.html")
    assert root.findtext(".//h1") == "Asiatisch-europäische Zusammenarbeit bringt Chongqing Entwicklungschancen"
    fallback = root.xpath("//h2[@lang='en']/text()")
    assert "Supporting Chongqing to build a new smart city" in fallback
    assert "Mehr Direktflüge von Chongqing nach Europa" in root.xpath("//h2[not(@lang)]/text()")


def test_rtl_locale_gets_dir_rtl(bare_project, l10n):
    l10n(bare_project, "update", "-l", "ar")
    l10n(bare_project, "publish", "-l", "ar", "--min-complete", "0")
    root = parse(bare_project / "public" / "ar" / f"{ASIA}.html")
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")


def set_msgstr(po_path: Path, msgid_start: str, msgstr: str) -> int:
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid.startswith(msgid_start))
    entry.msgstr = msgstr
    po.save(str(po_path))
    text = po_path.read_text(encoding="utf-8").splitlines()
    return next(i for i, l in enumerate(text, 1) if l.startswith("msgid") and
                (msgid_start[:20] in l or msgid_start[:20] in text[i]))


def test_translated_text_is_escaped_and_bad_placeholders_fall_back(chrome_project, l10n):
    project = chrome_project
    zh = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    set_msgstr(project / "locales" / "zh_Hans" / "_site.po", "You can change your cookie",
               '您可以<b>更改</b><script>alert(1)</script>设置。')
    line = set_msgstr(zh, "<1>Shamshad Akhtar</1>", "联合国前副秘书长<1>沙姆沙德·阿赫塔尔介绍……")
    r = l10n(project, "publish", "-l", "zh_Hans", expect=1)
    assert f"locales/zh_Hans/{ASIA}.po:{line}: placeholders do not match" in r.stderr
    page = (project / "public" / "zh_Hans" / f"{ASIA}.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;更改&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert '<span lang="en"><strong>Shamshad Akhtar</strong>, former Under-Secretary-General' in page


def hreflangs(root) -> dict:
    return {l.get("hreflang"): l.get("href") for l in root.xpath("//head/link[@rel='alternate']")}


def test_publish_all_builds_a_symmetric_site(project, l10n):
    r = l10n(project, "publish", "--all")
    assert re.search(f"withheld de/{ASIA}: \\d+% reviewed, below min_complete 80%", r.stdout)
    assert f"withheld de/{MEDIA}" in r.stdout
    public = project / "public"
    pages = sorted(p.relative_to(public).as_posix() for p in public.glob("*/*.html")
                   if p.name != "index.html")
    assert pages == sorted(f"{loc}/{slug}.html" for loc in ("en", "zh_Hans") for slug in (ASIA, MEDIA))
    assert not (public / "de").exists()
    assert not any("/de/" in p.read_text(encoding="utf-8") for p in public.rglob("*.html"))

    base = "http://localhost:8000/"
    for slug in (ASIA, MEDIA):
        sets = {loc: hreflangs(parse(public / loc / f"{slug}.html")) for loc in ("en", "zh_Hans")}
        expected = {"en": f"{base}en/{slug}.html", "zh-Hans": f"{base}zh_Hans/{slug}.html",
                    "x-default": f"{base}en/{slug}.html"}
        assert sets["en"] == sets["zh_Hans"] == expected
        switch = parse(public / "zh_Hans" / f"{slug}.html").xpath(
            "//nav[@class='l10n-switcher']//a/@href")
        assert switch == [f"../en/{slug}.html"]

    sitemap = etree.parse(str(public / "sitemap.xml"))
    urls = {u.findtext(f"{SM}loc"): {l.get("hreflang"): l.get("href") for l in u.iter(f"{XHTML}link")}
            for u in sitemap.getroot()}
    assert set(urls) == {base + p for p in pages}
    for url, alternates in urls.items():
        loc, slug = url[len(base):].split("/")
        assert alternates == hreflangs(parse(public / loc / slug))

    picker = parse(public / "index.html")
    names = picker.xpath("//ul[@class='l10n-languages']//a/text()")
    assert names == ["English", "中文 (简体)"]
    zh_index = parse(public / "zh_Hans" / "index.html")
    assert zh_index.xpath("//main//li/a/text()") == ["亚欧合作为重庆带来发展机遇",
                                                     "媒体代表团走进中国西南，探访长江沿线绿色发展"]


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_publish_is_incremental(project, l10n):
    l10n(project, "publish", "--all")
    first = snapshot(project / "public")
    r = l10n(project, "publish", "--all")
    assert "up to date" in r.stdout
    assert snapshot(project / "public") == first

    set_msgstr(project / "locales" / "zh_Hans" / f"{MEDIA}.po", "Opening up to cultural diversity",
               "拥抱多元文化")
    r = l10n(project, "publish", "--all")
    assert "1 written" in r.stdout
    second = snapshot(project / "public")
    changed = {k for k in first if first[k] != second[k]}
    # and the marker, which names the generation this one was made from
    assert changed == {f"zh_Hans/{MEDIA}.html", ".l10n-publish"}


def test_failed_publish_leaves_previous_site_intact(project, l10n):
    l10n(project, "publish", "--all")
    before = {p: p.read_bytes() for p in (project / "public").rglob("*") if p.is_file()}
    po = project / "locales" / "zh_Hans" / f"{MEDIA}.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    r = l10n(project, "publish", "--all", expect=2)
    assert f"locales/zh_Hans/{MEDIA}.po:" in r.stderr
    assert {p: p.read_bytes() for p in (project / "public").rglob("*") if p.is_file()} == before
    assert not [p for p in project.iterdir() if p.name.startswith(".public.staging")]


def test_links_follow_the_locale_when_published(project, l10n):
    l10n(project, "publish", "-l", "de", "--min-complete", "30")   # only ASIA is 40% done
    link = parse(project / "public" / "de" / f"{ASIA}.html").xpath(
        "//article//a[contains(@href, 'media-delegation')]/@href")
    assert link == [f"../en/{MEDIA}.html"]
    l10n(project, "publish", "-l", "zh_Hans")
    link = parse(project / "public" / "zh_Hans" / f"{ASIA}.html").xpath(
        "//article//a[contains(@href, 'media-delegation')]/@href")
    assert link == [f"{MEDIA}.html"]


def test_required_kinds_withhold_a_page(project, l10n):
    set_msgstr(project / "locales" / "zh_Hans" / f"{MEDIA}.po",
               "Media Delegation Visits SW China", "")
    r = l10n(project, "publish", "-l", "zh_Hans")
    assert f"withheld zh_Hans/{MEDIA}: required headline, title not reviewed" in r.stdout
    assert not (project / "public" / "zh_Hans" / f"{MEDIA}.html").exists()
    assert (project / "public" / "zh_Hans" / f"{ASIA}.html").exists()


def test_include_fuzzy_lets_drafts_go_live(chrome_project, l10n):
    project = chrome_project
    po_path = project / "locales" / "zh_Hans" / "_site.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid == "I Agree")
    entry.flags.append("fuzzy")
    po.save(str(po_path))
    l10n(project, "publish", "-l", "zh_Hans")
    assert '<button type="button" lang="en">I Agree</button>' in \
        (project / "public" / "zh_Hans" / f"{ASIA}.html").read_text(encoding="utf-8")
    l10n(project, "publish", "-l", "zh_Hans", "--include-fuzzy")
    assert '<button type="button">我同意</button>' in \
        (project / "public" / "zh_Hans" / f"{ASIA}.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- issues 10, 12, 13

def tree(folder: Path) -> dict:
    """Every file under ``folder`` (not following symlinks) with its bytes."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if not p.is_symlink() else "link")
            for p in folder.rglob("*") if (p.is_file() or p.is_symlink())
            and ".l10n-cache" not in p.parts}      # the project lock


def test_publish_refuses_folders_it_did_not_write(project, l10n, tmp_path):
    (project / "mine").mkdir()
    (project / "mine" / "notes.txt").write_text("my own file")
    (project / "empty").mkdir()
    before = tree(tmp_path)
    for out in ("locales", ".", "source", str(tmp_path), "locales/zh_Hans", "mine",
                "source/public"):
        r = l10n(project, "publish", "--all", "--out", str(project / out), expect=2)
        assert "refusing to publish here" in r.stderr and r.stderr.count("\n") == 1, r
        assert tree(tmp_path) == before, out
    assert l10n(project, "publish", "--out", str(project / "mine"), expect=2).stderr.startswith(
        "error: mine: refusing to publish here: it holds files publish did not write (notes.txt)")
    l10n(project, "publish", "--all", "--out", str(project / "empty"))   # an empty folder is fine
    assert (project / "empty" / "index.html").is_file()
    (project / "public").mkdir()
    l10n(project, "publish", "--all")
    (project / "public" / "zh_Hans" / "extra.html").write_text("hand-made")
    r = l10n(project, "publish", "--all", expect=2)
    assert "zh_Hans/extra.html" in r.stderr
    assert (project / "public" / "zh_Hans" / "extra.html").read_text() == "hand-made"


def test_publish_one_locale_keeps_the_others_live(project, l10n):
    l10n(project, "publish", "-l", "zh_Hans", "--min-complete", "0")
    l10n(project, "publish", "-l", "de", "--min-complete", "0")
    public = project / "public"
    for loc in ("en", "de", "zh_Hans"):
        assert (public / loc / f"{ASIA}.html").is_file(), loc
    switch = parse(public / "zh_Hans" / f"{ASIA}.html").xpath(
        "//nav[@class='l10n-switcher']//a/@hreflang")
    assert switch == ["en", "de"]          # the kept locale links to the new one
    assert set(hreflangs(parse(public / "de" / f"{ASIA}.html"))) == {"en", "zh-Hans", "de",
                                                                     "x-default"}
    r = l10n(project, "publish", "-l", "de", "--min-complete", "0")
    assert "up to date" in r.stdout
    l10n(project, "publish", "--all")          # --all: the configured policies, de withheld
    assert not (public / "de").exists() and (public / "zh_Hans").exists()


def _reader():
    """The reader a web server would be (shared with bench/publish.py): it
    stats the site's files in a loop and counts how often one is missing."""
    import importlib.util
    from conftest import REPO
    spec = importlib.util.spec_from_file_location("bench_publish", REPO / "bench" / "publish.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.start_reader


start_reader = _reader()


def test_readers_never_see_the_site_missing(project, l10n):
    public = project / "public"
    public.mkdir()
    l10n(project, "publish", "--all", "--min-complete", "0")        # a real folder at first
    assert public.is_symlink()                                      # migrated to a symlink
    stop = project / "stop-reading"
    reader = start_reader(public, stop)
    try:
        for n in range(6):
            (project / "source" / "counter.txt").write_text(str(n))   # something new each time
            assert "written" in l10n(project, "publish", "--all").stdout
    finally:
        stop.write_text("")
        missing, reads = map(int, reader.communicate(timeout=30)[0].split())
    assert reads > 0 and missing == 0
    generations = sorted(p.name for p in project.iterdir() if p.name.startswith(".public"))
    assert len(generations) == 2                # the live one and the previous
    assert (public / "counter.txt").read_text() == "5"


def test_killed_publish_leaves_a_complete_site_and_the_next_run_cleans_up(project, l10n):
    import os
    import signal
    import subprocess
    import sys
    import time
    from conftest import REPO
    assets = project / "source" / "assets"
    assets.mkdir()
    for i in range(3000):
        (assets / f"{i}.txt").write_text(f"asset {i}\n" * 20)
    l10n(project, "publish", "--all")
    before = tree(project / "public")
    (project / "source" / "new.txt").write_text("new")
    proc = subprocess.Popen([sys.executable, "-m", "l10n_tool", "-C", str(project), "publish",
                             "--all"], env=dict(os.environ, PYTHONPATH=str(REPO)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(".public.staging-") for p in project.iterdir()):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the publish finished before it could be killed"
    assert [p for p in project.iterdir() if p.name.startswith(".public.staging-")]
    assert tree(project / "public") == before           # the old site, complete
    r = l10n(project, "publish", "--all")
    assert "written" in r.stdout
    assert (project / "public" / "new.txt").read_text() == "new"
    leftovers = [p.name for p in project.iterdir()
                 if p.name.startswith(".public.") and not p.name[len(".public."):].isdigit()]
    assert leftovers == []


def test_a_bad_page_is_withheld_and_the_rest_published(project, l10n):
    (project / "source" / "broken.html").write_bytes(b"<html><body><p>x</p>\n\x00\x01</body></html>")
    (project / "source" / "index.html").write_text("<html><body><p>home</p></body></html>")
    (project / "source" / f"{MEDIA}.htm").write_text("<html><body><p>again</p></body></html>")
    r = l10n(project, "publish", "-l", "zh_Hans", expect=1)
    errors = r.stderr.splitlines()
    assert any(e.startswith("error: source/broken.html:2: ") for e in errors), r
    assert any(e.startswith("error: source/index.html: ") for e in errors), r
    assert any(e.startswith(f"error: source/{MEDIA}.htm") and f"source/{MEDIA}.html" in e
               for e in errors), r
    assert "Traceback" not in r.stderr
    public = project / "public"
    assert (public / "zh_Hans" / f"{ASIA}.html").is_file()
    assert (public / "en" / f"{MEDIA}.html").is_file()
    assert not (public / "en" / "broken.html").exists()
    assert "home" not in (public / "index.html").read_text(encoding="utf-8")


def test_odd_asset_names_and_links_are_one_line_each(project, l10n):
    src = project / "source"
    (src / "img").mkdir()
    (src / "img" / "ok.png").write_bytes(b"png")
    os.close(os.open(os.fsencode(src / "img") + b"/caf\xe9.png", os.O_CREAT | os.O_WRONLY))
    (src / "img" / "gone.png").symlink_to("nowhere.png")
    (src / "dang.html").symlink_to("missing.html")
    r = l10n(project, "publish", "-l", "zh_Hans", expect=1)
    lines = r.stderr.splitlines()
    assert "Traceback" not in r.stderr
    assert [line for line in lines if "caf" in line] == [
        "error: source/img/caf\\xe9.png: file name is not valid UTF-8; rename it; not published"]
    assert any("source/img/gone.png: a broken symlink (to nowhere.png)" in line for line in lines)
    assert len([line for line in lines if "dang.html" in line]) == 1        # the page listing's
    assert (project / "public" / "img" / "ok.png").read_bytes() == b"png"
    assert (project / "public" / "zh_Hans" / f"{ASIA}.html").is_file()


def test_assets_are_copied_byte_for_byte_and_outside_links_skipped(project, l10n):
    blob = bytes(range(256)) * 8 + b"\r\n\x00"
    (project / "source" / "img").mkdir()
    (project / "source" / "img" / "photo.bin").write_bytes(blob)
    (project / "source" / "secret").symlink_to("/etc/hostname")
    (project / "source" / "glossary-link.csv").symlink_to(project / "glossary.csv")
    r = l10n(project, "publish", "--all")
    assert "warning: source/secret: symlink to /etc/hostname points outside the project" in r.stderr
    public = project / "public"
    assert (public / "img" / "photo.bin").read_bytes() == blob
    assert not (public / "secret").exists()
    assert (public / "glossary-link.csv").read_bytes() == (project / "glossary.csv").read_bytes()


def test_sitemap_urls_are_percent_encoded_and_default_base_url_warned(project, l10n):
    (project / "source" / f"{ASIA}.html").rename(project / "source" / "my page.html")
    r = l10n(project, "publish", "--all", "--min-complete", "0")
    assert r.stderr.count("warning: pyproject.toml: base_url is the default") == 1
    sitemap = (project / "public" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>http://localhost:8000/en/my%20page.html</loc>" in sitemap
    assert "my page" not in sitemap
    canonical = parse(project / "public" / "en" / "my page.html").xpath(
        "//link[@rel='canonical']/@href")
    assert canonical == ["http://localhost:8000/en/my%20page.html"]
    toml = project / "pyproject.toml"
    toml.write_text(toml.read_text().replace('site_name = "iChongqing"',
                                             'site_name = "iChongqing"\nbase_url = "https://x.example/"'))
    assert "base_url" not in l10n(project, "publish", "--all").stderr


def test_serve_on_a_busy_port_is_one_line(project, l10n):
    import socket
    l10n(project, "publish", "--all")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        r = l10n(project, "serve", "--port", str(s.getsockname()[1]), expect=2)
    assert r.stderr.startswith("error: cannot serve on 127.0.0.1:") and "port already in use" in r.stderr
    assert r.stderr.count("\n") == 1


def test_chrome_units_come_from_the_site_catalog(monkeypatch):
    """The page rebuild looks chrome up in the site catalog, article units in
    the page's; the policy counts article units only."""
    from lxml.builder import E
    from l10n_tool import formats
    from l10n_tool.config import PublishPolicy
    from l10n_tool.document import Document, Unit
    from l10n_tool.locales import get_locale
    from l10n_tool.publish.pages import localise
    from l10n_tool.publish.policy import decide

    def render(doc, lookup, **_):
        return E.html(E.body(*[E.p(lookup(u) or u.text) for u in doc.units]))
    fmt = formats.SourceFormat("plain", (".txt",), None, render, None, frozenset({"paragraph"}),
                               frozenset())
    monkeypatch.setitem(formats.REGISTRY, "plain", lambda: fmt)
    doc = Document("page", Path("page.txt"), [Unit("Story", "paragraph", 1),
                                              Unit("Menu", "paragraph", 2, scope="chrome")],
                   format="plain")

    def po(**pairs):
        cat = polib.POFile()
        for msgid, msgstr in pairs.items():
            cat.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
        return cat
    page_po, site_po = po(Story="Geschichte", Menu="falsch"), po(Menu="Menü", Story="falsch")
    de, en = get_locale("de"), get_locale("en")
    root, problems = localise(doc, page_po, "de/page.po", de, en, False, site_po, "de/_site.po")
    assert [p.text for p in root.iter("p")] == ["Geschichte", "Menü"] and problems == []
    strict = PublishPolicy(min_complete=100)
    assert decide(doc, po(Story="Geschichte"), "de", strict).published
    assert not decide(doc, po(Menu="Menü"), "de", strict).published


def test_first_run_on_a_site_from_an_older_version_migrates_it(project, l10n):
    import shutil
    l10n(project, "publish", "--all")
    public = project / "public"
    old = project / "old-site"
    shutil.copytree(public, old, symlinks=True)
    (old / ".l10n-publish").unlink()                   # older versions wrote no marker
    for p in [p for p in project.iterdir() if p.name.startswith(".public.")]:
        shutil.rmtree(p)
    public.unlink()
    old.rename(public)
    before = tree(public)
    set_msgstr(project / "locales" / "zh_Hans" / f"{MEDIA}.po", "Opening up to cultural diversity",
               "拥抱多元文化")
    r = l10n(project, "publish", "--all")
    assert "1 written" in r.stdout
    assert public.is_symlink()
    previous = [p for p in project.iterdir() if p.name.startswith(".public.") and p != public.resolve()]
    assert len(previous) == 1                          # the old folder, kept as the previous site
    assert {k: v for k, v in tree(previous[0]).items() if k != ".l10n-publish"} == before
    l10n(project, "publish", "--all", "--min-complete", "0")
    l10n(project, "publish", "--all")
    assert previous[0].name not in [p.name for p in project.iterdir()]   # cleaned two runs later


ODD_PAGE = """<!DOCTYPE html>
<html xml:lang="pt-BR" lang="pt-BR">
<head><meta charset="utf-8"><title>Odd page</title></head>
<body>
<article>
<h1 xml:lang="en">An odd page</h1>
<p>See <a href="%s.html " @click="go()" rel:gt_act="x" x-on:click.prevent="y" :class="z">the other
article</a> and <a name="show-mobilität" href="#show-mobilität">this</a>.</p>
<picture><source srcset="img/w_320,h_200/a.webp 1x, img/b.webp 2x"><img src="img/a b.png"
srcset="img/c,d.png 1x" alt="An image"></picture>
<p>Link to <a href="https://example.com/a b?x=ü">outside</a>.</p>
</article>
</body>
</html>
""" % MEDIA


def test_odd_attributes_and_urls_survive_publishing(project, l10n):
    (project / "source" / "odd.html").write_text(ODD_PAGE, encoding="utf-8")
    r = l10n(project, "publish", "-l", "de", "--min-complete", "0")
    assert "Traceback" not in r.stderr
    page = (project / "public" / "de" / "odd.html").read_text(encoding="utf-8")
    assert f'<a href="{MEDIA}.html " @click="go()" rel:gt_act="x" x-on:click.prevent="y" ' \
           ':class="z">' in page                         # trailing space kept, no %20
    assert '<a name="show-mobilität" href="#show-mobilität">' in page
    assert 'srcset="../img/w_320,h_200/a.webp 1x, ../img/b.webp 2x"' in page
    assert 'src="../img/a b.png"' in page and 'srcset="../img/c,d.png 1x"' in page
    assert 'href="https://example.com/a b?x=ü"' in page
    assert 'xml:lang="pt-BR"' in page


def replace_render(monkeypatch, wrap) -> None:
    """The html format with ``wrap(real_render)`` as its render."""
    from l10n_tool import formats
    real = formats.get("html")
    render = wrap(real.render)
    monkeypatch.setitem(formats.REGISTRY, "html",
                        lambda: formats.SourceFormat(real.name, real.suffixes, real.read, render,
                                                     real.serialize, real.kinds,
                                                     real.plain_text_kinds))


def fail_render(monkeypatch, slug: str, lang: str) -> None:
    """Rendering ``slug`` in ``lang`` (BCP 47) fails, as a page nested too deep would."""
    from l10n_tool.errors import L10nError

    def wrap(real):
        def render(doc, lookup, **kw):
            if doc.slug == slug and kw.get("lang_attr") == lang:
                raise L10nError("nesting too deep to rebuild", doc.path, 7)
            return real(doc, lookup, **kw)
        return render
    replace_render(monkeypatch, wrap)


def test_a_page_that_fails_to_render_is_withheld_alone(project, l10n, monkeypatch):
    fail_render(monkeypatch, MEDIA, "zh-Hans")
    r = l10n(project, "publish", "-l", "zh_Hans", expect=1)
    assert f"error: source/{MEDIA}.html:7: nesting too deep to rebuild; zh_Hans version " \
           "withheld\n" in r.stderr
    public = project / "public"
    assert not (public / "zh_Hans" / f"{MEDIA}.html").exists()
    assert (public / "en" / f"{MEDIA}.html").is_file()
    assert (public / "zh_Hans" / f"{ASIA}.html").is_file()
    assert f"zh_Hans/{MEDIA}" not in (public / "sitemap.xml").read_text(encoding="utf-8")
    assert parse(public / "zh_Hans" / f"{ASIA}.html").xpath(
        f"//article//a[contains(@href, '{MEDIA}')]/@href") == [f"../en/{MEDIA}.html"]


def test_publish_one_locale_on_an_older_site_keeps_its_locales(project, l10n):
    import shutil
    l10n(project, "publish", "--all")
    public = project / "public"
    real = project / "real"
    shutil.copytree(public, real)
    (real / ".l10n-publish").unlink()                  # as an older version left it
    public.unlink()
    real.rename(public)
    l10n(project, "publish", "-l", "de", "--min-complete", "0")
    assert (public / "zh_Hans" / f"{ASIA}.html").is_file() and (public / "de" / f"{ASIA}.html").is_file()


def test_write_atomic_writes_through_a_symlink(tmp_path):
    """A report or page written over a symlink (`check -o` into a shared
    folder) keeps the link: the target gets the new bytes."""
    from l10n_tool.fsutil import write_atomic
    target = tmp_path / "shared" / "report.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    assert write_atomic(link, "new") and link.is_symlink() and target.read_text() == "new"
    assert not write_atomic(link, "new")                 # unchanged: not touched


def test_old_generations_are_removed_only_when_they_hold_nothing_but_ours(project, l10n):
    """A file someone put into an old generation, or a folder named like one
    but not ours, is never deleted, and the real previous generation stays."""
    import os
    page = project / "source" / "asia-europe-cooperation-bring-development-opportunities-to-chongqing.html"

    def edit(word: str) -> None:
        page.write_text(page.read_text(encoding="utf-8").replace("</h1>", f"{word}</h1>", 1),
                        encoding="utf-8")
        l10n(project, "publish", "--all")

    l10n(project, "publish", "--all")
    edit(" one")
    gens = sorted(p.name for p in project.iterdir() if p.name.startswith(".public."))
    first = project / gens[0]
    (first / "notes.txt").write_text("mine")              # a person's file in an old generation
    stranger = project / ".public.90"
    stranger.mkdir()
    (stranger / "keep.txt").write_text("not publish's")    # a folder publish never wrote
    edit(" two")
    edit(" three")
    assert (first / "notes.txt").read_text() == "mine"
    assert (stranger / "keep.txt").read_text() == "not publish's"
    live = os.readlink(project / "public")
    ours = sorted(int(p.name.rsplit(".", 1)[1]) for p in project.iterdir()
                  if p.name.startswith(".public.") and (p / ".l10n-publish").is_file()
                  and p != first)
    assert int(live.rsplit(".", 1)[1]) == ours[-1] and len(ours) == 2   # live + real previous


def test_canonical_and_hreflang_links_anywhere_in_the_source_are_replaced(project, l10n):
    """The author's canonical and alternates in a published language give way to
    each version's own; an alternate in a language not published here stays."""
    page = project / "source" / "asia-europe-cooperation-bring-development-opportunities-to-chongqing.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</h1>", '</h1>\n<link rel="canonical" href="https://elsewhere.example/a">'
                 '<link rel="alternate" hreflang="fr" href="https://elsewhere.example/fr">'
                 '<link rel="alternate" hreflang="zh-Hans" href="https://elsewhere.example/zh">tail', 1),
        encoding="utf-8")
    l10n(project, "publish", "--all")
    out = (project / "public" / "zh_Hans" / page.name).read_text(encoding="utf-8")
    assert out.count('rel="canonical"') == 1 and "https://elsewhere.example/a" not in out
    assert "https://elsewhere.example/zh" not in out
    assert 'hreflang="fr" href="https://elsewhere.example/fr"' in out and "tail" in out


def test_a_page_in_a_subfolder_is_copied_with_a_warning(project, l10n):
    sub = project / "source" / "archive"
    sub.mkdir()
    (sub / "old.html").write_text("<html><body><p>An old page.</p></body></html>")
    r = l10n(project, "publish", "--all")
    assert "source/archive/old.html: a page in a subfolder is copied as it is, not translated" \
        in r.stderr + r.stdout
    assert (project / "public" / "archive" / "old.html").read_text() == \
        "<html><body><p>An old page.</p></body></html>"


def test_an_entry_with_a_msgctxt_added_by_hand_is_another_message(project, l10n):
    po_path = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    po = polib.pofile(str(po_path))
    ours = next(e for e in po if e.msgstr and not e.obsolete and "<" not in e.msgid)
    po.append(polib.POEntry(msgctxt="navigation", msgid=ours.msgid, msgstr="别的意思"))
    po.save(str(po_path))
    l10n(project, "publish", "-l", "zh_Hans")
    page = (project / "public" / "zh_Hans" / f"{ASIA}.html").read_text(encoding="utf-8")
    assert "别的意思" not in page and ours.msgstr in page


def test_serve_refuses_a_port_out_of_range(project, l10n):
    r = l10n(project, "serve", "--port", "99999", expect=2)
    assert "99999 is not in the range 0<=x<=65535" in r.stderr and "Traceback" not in r.stderr
