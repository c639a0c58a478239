"""Issues 2 and 5: publishing localised pages and the multilingual site."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from lxml import etree, html

from conftest import DATA

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


def test_publish_zh_gives_two_complete_chinese_pages(project, l10n):
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


def test_translated_text_is_escaped_and_bad_placeholders_fall_back(project, l10n):
    zh = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    set_msgstr(zh, "You can change your cookie", '您可以<b>更改</b><script>alert(1)</script>设置。')
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
    assert f"withheld de/{ASIA}: 55% reviewed, below min_complete 80%" in r.stdout
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
    assert changed == {f"zh_Hans/{MEDIA}.html"}


def test_failed_publish_leaves_previous_site_intact(project, l10n):
    l10n(project, "publish", "--all")
    before = {p: p.read_bytes() for p in (project / "public").rglob("*") if p.is_file()}
    po = project / "locales" / "zh_Hans" / f"{MEDIA}.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    r = l10n(project, "publish", "--all", expect=2)
    assert f"locales/zh_Hans/{MEDIA}.po:" in r.stderr
    assert {p: p.read_bytes() for p in (project / "public").rglob("*") if p.is_file()} == before
    assert not [p for p in project.iterdir() if p.name.startswith(".public")]


def test_links_follow_the_locale_when_published(project, l10n):
    l10n(project, "publish", "-l", "de", "--min-complete", "50")   # only ASIA is 55% done
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


def test_include_fuzzy_lets_drafts_go_live(project, l10n):
    po_path = project / "locales" / "zh_Hans" / f"{ASIA}.po"
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
