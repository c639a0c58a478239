"""Links a published site must get right, and the language it says it is in.

Every test builds a small project on disk and goes through the CLI
(``update``, ``publish``), then reads ``public/`` as a browser would: an
href is resolved against the page's own URL and must name a file that
exists, spelt exactly so (a case-sensitive server), and a ``lang`` must say
the language of the words it holds.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import polib
from lxml import html

BASE = "https://news.example.com/"


def make_project(tmp_path: Path, pages: dict[str, str]) -> Path:
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_locale = "en"\nlocales = ["de"]\n'
        f'base_url = "{BASE}"\n', encoding="utf-8")
    for name, text in pages.items():
        (root / "source" / name).write_text(text, encoding="utf-8")
    return root


def review(project: Path, translations: dict[str, str]) -> None:
    """A translator's reviewed msgstrs, wherever the entry landed (the page's
    catalog or the site's ``_site.po``)."""
    found = set()
    for path in sorted((project / "locales" / "de").glob("*.po")):
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid in translations:
                entry.msgstr = translations[entry.msgid]
                found.add(entry.msgid)
        po.save(str(path))
    assert found == set(translations), set(translations) - found


def msgids(project: Path) -> set[str]:
    return {e.msgid for path in (project / "locales" / "de").glob("*.po")
            for e in polib.pofile(str(path))}


def hrefs(page: Path) -> list[str]:
    return [a.get("href") for a in html.parse(str(page)).getroot().iter("a", "link")
            if a.get("href") is not None]


def target_file(public: Path, page: Path, href: str) -> Path | None:
    """The file a browser fetches for ``href`` on ``page``; None if off-site."""
    url = urljoin(BASE + page.relative_to(public).as_posix(), href)
    if not url.startswith(BASE):
        return None
    return public / unquote(urlsplit(url).path[len(urlsplit(BASE).path):])


def assert_links_resolve(public: Path, page: Path) -> list[str]:
    """Every link of ``page`` names a published file, exactly as it is spelt."""
    checked = []
    for href in hrefs(page):
        path = target_file(public, page, href)
        if path is None:
            continue
        names = {p.name for p in path.parent.iterdir()} if path.parent.is_dir() else set()
        assert path.name in names, f"{page.relative_to(public)}: {href!r} -> {path}"
        checked.append(href)
    return checked


def test_links_to_htm_and_upper_case_pages_use_the_published_names(tmp_path, l10n):
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{0}</title>'
            '</head><body><h1>{0}</h1><p>{1}</p></body></html>')
    project = make_project(tmp_path, {
        "hub.html": page.format("Hub", 'Read <a href="old.htm?from=hub#top">the old article'
                                       '</a> and <a href="Report.HTML#summary">the report</a>.'),
        "old.htm": page.format("Old article", 'Back to the <a href="hub.html">hub</a>.'),
        "Report.HTML": page.format("Report", "A report page."),
    })
    l10n(project, "update", "--all")
    review(project, {"Read <1>the old article</1> and <2>the report</2>.":
                     "Lies <1>den alten Artikel</1> und <2>den Bericht</2>."})
    l10n(project, "publish", "--all")
    public = project / "public"
    for locale in ("en", "de"):
        hub = public / locale / "hub.html"
        links = hrefs(hub)
        assert "old.html?from=hub#top" in links and "Report.html#summary" in links, links
        assert "old.htm?from=hub#top" not in links and "Report.HTML#summary" not in links
        assert len(assert_links_resolve(public, hub)) >= 6    # + switcher, index links
        assert_links_resolve(public, public / locale / "old.html")
    assert "Lies" in (public / "de" / "hub.html").read_text(encoding="utf-8")


def test_indexes_and_switchers_link_to_pages_with_url_syntax_in_their_names(tmp_path, l10n):
    names = ["a#b.html", "q?x.html", "pct%20.html", "file with spaces.html", "plain.html"]
    page = ("<html><head><title>Page {0}</title></head><body><h1>Heading {0}</h1>"
            "<p>Some text.</p></body></html>")
    project = make_project(tmp_path, {name: page.format(i) for i, name in enumerate(names)})
    l10n(project, "update", "--all")
    l10n(project, "publish", "--all")
    public = project / "public"
    pages = [public / "index.html"] + [public / loc / "index.html" for loc in ("en", "de")]
    pages += [public / loc / name for loc in ("en", "de") for name in names]
    for page in pages:
        checked = assert_links_resolve(public, page)
        assert checked, page
    for locale in ("en", "de"):
        listed = {target_file(public, public / locale / "index.html", h).name
                  for h in hrefs(public / locale / "index.html")
                  if "/" not in h and h != "index.html"}
        assert listed == set(names), listed
    # the switcher of a#b.html links to the other version, not to "a" with a fragment
    assert "../en/a%23b.html" in hrefs(public / "de" / "a#b.html")


def test_content_after_the_body_and_html_end_tags_is_kept_and_translated(tmp_path, l10n):
    project = make_project(tmp_path, {"late.html": (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Late content'
        '</title></head>\n<body><h1>Late content</h1><p>Inside the body.</p></body>\n'
        '<p>After the body end tag.</p>\n</html>\n<p>After the html end tag.</p>\n')})
    l10n(project, "update", "--all")
    assert {"After the body end tag.", "After the html end tag."} <= msgids(project)
    review(project, {"After the body end tag.": "Nach dem Ende des Body.",
                     "After the html end tag.": "Nach dem Ende von HTML."})
    l10n(project, "publish", "--all")
    en = (project / "public" / "en" / "late.html").read_text(encoding="utf-8")
    de = (project / "public" / "de" / "late.html").read_text(encoding="utf-8")
    for page, texts in ((en, ("After the body end tag.", "After the html end tag.")),
                        (de, ("Nach dem Ende des Body.", "Nach dem Ende von HTML."))):
        for text in texts:
            assert f"<p>{text}</p>" in page, page
            assert page.index(text) < page.index("</body>"), page   # in the body, as browsers
    assert "After the" not in de


ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Inner lang</title>
</head><body>
<article lang="en-GB"><h1>Inner lang</h1><p>The article is marked as British English.</p>
<p>Another colour of paragraph.</p></article>
<section lang="en"><p>This section stays in English.</p></section>
<div lang="EN-gb"><p>Half of this block is translated.</p><p>The other half is not.</p></div>
<p>He said <span lang="en-US">color</span> and left.</p>
<p>A French phrase <i lang="fr">je ne sais quoi</i> inside an English sentence.</p>
<blockquote lang="de">Ein deutsches Zitat steht hier im Original.</blockquote>
<p lang="ar">هذه فقرة باللغة العربية.</p>
</body></html>
"""


def test_lang_of_translated_text_says_the_target_and_other_languages_stay(tmp_path, l10n):
    project = make_project(tmp_path, {"il.html": ARTICLE})
    l10n(project, "update", "--all")
    ids = msgids(project)
    assert "A French phrase <1/> inside an English sentence." in ids
    assert not any("deutsches" in m or "je ne sais" in m or "العربية" in m for m in ids), ids
    notes = [e.comment for e in polib.pofile(str(project / "locales" / "de" / "il.po"))
             if e.msgid.startswith("A French phrase")]
    assert notes and 'lang="fr"' in notes[0], notes
    review(project, {
        "Inner lang": "Innere Sprache",
        "The article is marked as British English.": "Der Artikel ist britisch markiert.",
        "Another colour of paragraph.": "Ein Absatz in anderer Farbe.",
        "Half of this block is translated.": "Die Hälfte ist übersetzt.",
        "He said <1>color</1> and left.": "Er sagte <1>Farbe</1> und ging.",
        "A French phrase <1/> inside an English sentence.":
            "Ein französischer Ausdruck <1/> in einem deutschen Satz.",
    })
    l10n(project, "publish", "--all")
    de = html.parse(str(project / "public" / "de" / "il.html")).getroot()
    body = de.find("body")
    assert de.get("lang") == "de"
    assert body.find("article").get("lang") == "de"
    assert body.find("section").get("lang") == "en"             # all left in English
    div = body.find("div")
    assert div.get("lang") == "de" and [p.get("lang") for p in div] == [None, "en"]
    assert [p.text_content() for p in div] == ["Die Hälfte ist übersetzt.",
                                               "The other half is not."]
    said = body.xpath("p[starts-with(., 'Er sagte')]/span")[0]
    assert (said.text, said.get("lang")) == ("Farbe", "de")
    phrase = body.xpath("p[starts-with(., 'Ein französischer')]/i")[0]
    assert (phrase.text, phrase.get("lang")) == ("je ne sais quoi", "fr")
    quote = body.find("blockquote")
    assert (quote.text, quote.get("lang")) == ("Ein deutsches Zitat steht hier im Original.",
                                               "de")
    assert body.xpath("p[@lang='ar']")[0].text == "هذه فقرة باللغة العربية."
    # the source-language page keeps every lang exactly as written
    en = (project / "public" / "en" / "il.html").read_text(encoding="utf-8")
    for written in ('<article lang="en-GB">', '<section lang="en">', '<div lang="EN-gb">',
                    '<span lang="en-US">color</span>', '<i lang="fr">'):
        assert written in en


def test_xhtml_xml_lang_follows_the_translation(tmp_path, l10n):
    project = make_project(tmp_path, {"x.html": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n'
        '<head><title>XHTML page</title></head>\n<body><h1>XHTML page</h1>'
        '<p xml:lang="en" lang="en">A translated line.</p>'
        '<p xml:lang="en">An untranslated line.</p></body>\n</html>\n')})
    l10n(project, "update", "--all")
    review(project, {"A translated line.": "Eine übersetzte Zeile."})
    l10n(project, "publish", "--all")
    de = (project / "public" / "de" / "x.html").read_text(encoding="utf-8")
    assert '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="de" lang="de"' in de
    assert '<p xml:lang="de" lang="de">Eine übersetzte Zeile.</p>' in de
    assert '<p xml:lang="en" lang="en">An untranslated line.</p>' in de
    en = (project / "public" / "en" / "x.html").read_text(encoding="utf-8")
    assert 'xml:lang="en" lang="en"' in en.split("<head>")[0]
    assert '<p xml:lang="en">An untranslated' in en


def test_xmp_and_plaintext_are_raw_text_never_translated(tmp_path, l10n):
    project = make_project(tmp_path, {
        "xmp.html": ("<html><head><title>Raw text</title></head><body><h1>Raw text</h1>"
                     "<xmp>Shown as <b>written</b> &amp; never translated.</xmp>"
                     "<p>A normal paragraph.</p></body></html>"),
        "plain.html": ("<html><head><title>Plain text</title></head><body><h1>Plain text</h1>"
                       "<plaintext>Everything from here <i>is text</i>.</p>\n"),
    })
    l10n(project, "update", "--all")
    ids = msgids(project)
    assert {"A normal paragraph.", "Raw text", "Plain text"} <= ids
    assert not any("written" in m or "is text" in m for m in ids), ids
    l10n(project, "publish", "--all")
    for locale in ("en", "de"):
        xmp = (project / "public" / locale / "xmp.html").read_text(encoding="utf-8")
        assert "<xmp>Shown as <b>written</b> &amp; never translated.</xmp>" in xmp
        # a plaintext element never ends: any end tag after it would be shown as text
        plain = (project / "public" / locale / "plain.html").read_text(encoding="utf-8")
        assert plain.endswith("<plaintext>Everything from here <i>is text</i>.</p>\n"), plain


def test_translate_yes_inside_translate_no_is_translated_again(tmp_path, l10n):
    project = make_project(tmp_path, {"yes.html": (
        '<html lang="en"><head><title>Translate yes</title></head><body><h1>Translate yes</h1>'
        '<p>We sell <span translate="no">Acme <b translate="yes">garden tools</b> Pro</span>'
        ' online.</p>'
        '<div translate="no" lang="en"><p>Product code list.</p>'
        '<p translate="yes">This line is for readers.</p></div>'
        '<div lang="fr"><p>Une phrase en français.</p><p lang="en-GB">An English line.</p>'
        '</div></body></html>')})
    l10n(project, "update", "--all")
    ids = msgids(project)
    assert {"We sell <1/> online.", "garden tools", "This line is for readers.",
            "An English line."} <= ids, ids
    assert not any("Product code" in m or "Acme" in m or "français" in m for m in ids), ids
    review(project, {"garden tools": "Gartengeräte",
                     "This line is for readers.": "Diese Zeile ist für Leser.",
                     "An English line.": "Eine englische Zeile."})
    l10n(project, "publish", "--all")
    de = html.parse(str(project / "public" / "de" / "yes.html")).getroot()
    bold = de.xpath("//b")[0]
    # the sentence around it stays English (marked so), the given-back words say German
    assert (bold.text, bold.get("lang")) == ("Gartengeräte", "de")
    assert bold.getparent().text == "Acme " and bold.tail == " Pro"
    assert "We sell" in de.xpath("//p")[0].text_content()
    kept, readers = de.xpath("//div[@translate='no']/p")
    assert kept.text == "Product code list." and kept.get("lang") in (None, "en")
    assert (readers.text, readers.get("lang")) == ("Diese Zeile ist für Leser.", "de")
    french, english = de.xpath("//div[@lang='fr']/p")
    assert french.text == "Une phrase en français."
    assert (english.text, english.get("lang")) == ("Eine englische Zeile.", "de")


def test_button_input_values_are_translated(tmp_path, l10n):
    project = make_project(tmp_path, {"form.html": (
        '<html><head><title>Form</title></head><body><h1>Form</h1><form>'
        '<input type="text" name="q" value="typed words">'
        '<input type="submit" value="Send it"><input type="RESET" value="Clear all">'
        '<input type="button" value="Cancel"></form></body></html>')})
    l10n(project, "update", "--all")
    ids = msgids(project)
    assert {"Send it", "Clear all", "Cancel"} <= ids and "typed words" not in ids
    review(project, {"Send it": "Absenden", "Clear all": "Alles löschen",
                     "Cancel": "Abbrechen"})
    l10n(project, "publish", "--all")
    de = (project / "public" / "de" / "form.html").read_text(encoding="utf-8")
    for html_text in ('<input type="text" name="q" value="typed words">',
                      '<input type="submit" value="Absenden">',
                      '<input type="RESET" value="Alles löschen">',
                      '<input type="button" value="Abbrechen">'):
        assert html_text in de
    assert 'value="Send it"' in (project / "public" / "en" / "form.html").read_text(
        encoding="utf-8")
