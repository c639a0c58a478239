"""Real pages survive read → rebuild → write, and what a page says is never lost.

The corpus test runs every page of ``../shared/corpus/real-pages/`` through
the comparison in ``bench/roundtrip.py``; the others build small pages with
exactly the constructs real sites use and go through the CLI or the format.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib
import pytest

from conftest import msgfmt_check
from l10n_tool import markup
from l10n_tool.errors import L10nError
from l10n_tool.formats import html

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import roundtrip  # noqa: E402

CORPUS = roundtrip.PAGES


# --------------------------------------------------------------------------- corpus

@pytest.mark.skipif(not CORPUS.is_dir(), reason="the real-page corpus is not next to this checkout")
def test_every_real_page_round_trips_exactly():
    """As the republished source page, as a page whose units all fall back, and
    with every other unit translated (as itself: nothing may be lost or added)."""
    pages = roundtrip.pages(CORPUS)
    assert len(pages) >= 40
    failed = []
    modes = ("source", "fallback", "partial")
    for path in pages:
        for mode, r in zip(modes, roundtrip.roundtrip_modes(path, modes)):
            if not r.ok:
                failed.append(f"{r.name} ({mode}): {r.error or '; '.join(r.differences[:3])}")
            if mode == "fallback":
                assert r.wrappers == 0  # nothing translated: each run has an element of its own
    assert not failed, "\n".join(failed)


def test_the_comparison_sees_what_a_lossy_rebuild_breaks():
    source = ('<html><body><p>怎么样？后果 <a href="x.html " name="show-mobilität">a</a>'
              '<img srcset="a,b.jpg 1x, c.jpg 2x"><video><source src="v.mp4"></video></p></body></html>')
    lossy = ('<!DOCTYPE html><html><body><p>怎么样？ 后果 <a href="x.html%20" name="show-mobilit%C3%A4t">a</a>'
             '<img srcset="a"><video><source src="v.mp4"></source></video></p></body></html>')
    diffs, _, _ = roundtrip.compare(source, lossy)
    text = "\n".join(diffs)
    for what in ("visible text", "URL <a href>", "id/name <a name>", "URL <img srcset>",
                 "end tags for void elements", "doctype added"):
        assert what in text, (what, diffs)
    assert roundtrip.compare(source, source)[0] == []


# --------------------------------------------------------------------------- through the CLI

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Fran\xe7ais page</title></head>
<body><article>
<h1 xml:lang="en" @click="open()" :class="{big: on}" x-on:keyup.enter="go" rel:gt_act="x">Fran\xe7ais news today</h1>
<p>Type &lt;1&gt; to open and <b>bold</b>. Dates: <!--#echo var="DATE_LOCAL" --> stay.</p>
<p><a href="https://example.com/x.html " name="show-mobilit\xe4t">The link</a> and text.<br>
<picture><source srcset="https://img.example.com/a,b.jpg 1x, https://img.example.com/c.jpg 2x">
<img src="https://img.example.com/a.jpg" alt="A dog in the park"></picture>
<noscript><img src="https://img.example.com/n.jpg" alt="A cat on the roof"></noscript></p>
<video src="https://example.com/v.mp4"><track src="https://example.com/t.vtt" kind="captions"></video>
<p>Plain <span>words</span> here<wbr>now.</p>
<div>Loose text before a block.<p>In a block.</p></div>
</article></body></html>
""".encode("latin-1")


def mini_project(tmp_path: Path, pages: dict[str, bytes], source_locale: str = "en",
                 locales: tuple[str, ...] = ("de",)) -> Path:
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    quoted = ", ".join(f'"{code}"' for code in locales)
    (root / "pyproject.toml").write_text(
        f'[tool.l10n]\nsource_locale = "{source_locale}"\nlocales = [{quoted}]\n'
        'base_url = "https://news.example.com/"\n', encoding="utf-8")
    for name, data in pages.items():
        (root / "source" / name).write_bytes(data)
    return root


def translate(po_path: Path, translations: dict[str, str]) -> None:
    """What a translator does in Poedit: fill msgstr, clear fuzzy (reviewed)."""
    po = polib.pofile(str(po_path))
    found = set()
    for e in po:
        if e.msgid in translations:
            e.msgstr = translations[e.msgid]
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
            found.add(e.msgid)
    assert found == set(translations), set(translations) - found
    po.save(str(po_path))


def test_real_page_constructs_survive_extract_and_publish(tmp_path, l10n):
    proj = mini_project(tmp_path, {"page.html": PAGE})
    l10n(proj, "update", "--all")
    ids = {e.msgid for e in polib.pofile(str(proj / "locales" / "de" / "page.po"))}
    # a literal "<1>" in the text is escaped, the real markup is a placeholder
    assert r"Type \<1> to open and <1>bold</1>." in ids
    # alt of an <img> inside <picture> and inside <noscript> is extracted
    assert {"A dog in the park", "A cat on the roof"} <= ids
    # an SSI directive is a placeholder of its own, so it survives translation
    assert "Dates: <1/> stay." in ids
    translate(proj / "locales" / "de" / "page.po", {
        r"Type \<1> to open and <1>bold</1>.": r"Tippe \<1> zum Öffnen und <1>fett</1>.",
        "Dates: <1/> stay.": "Daten: <1/> bleiben.",
        "A dog in the park": "Ein Hund im Park",
    })
    msgfmt_check(proj / "locales" / "de" / "page.po")   # the escape is plain gettext
    l10n(proj, "publish", "--all")
    en = (proj / "public" / "en" / "page.html").read_text(encoding="utf-8")
    de = (proj / "public" / "de" / "page.html").read_text(encoding="utf-8")
    for page in (en, de):
        assert not page.lstrip().lower().startswith("<!doctype")          # none in the source
        assert 'content="text/html; charset=utf-8"' in page               # declaration follows
        assert "Français" in page and "FranÃ§ais" not in page
        # attribute names browsers accept, values byte-for-byte
        assert ('xml:lang="en" @click="open()" :class="{big: on}" x-on:keyup.enter="go" '
                'rel:gt_act="x"') in page
        assert 'href="https://example.com/x.html "' in page
        assert 'name="show-mobilität"' in page
        assert ('srcset="https://img.example.com/a,b.jpg 1x, https://img.example.com/c.jpg 2x"'
                in page)
        for void in ("source", "track", "wbr", "img", "br"):
            assert f"</{void}>" not in page
        assert '<!--#echo var="DATE_LOCAL" -->' in page
    assert "Type &lt;1&gt; to open and <b>bold</b>." in en
    assert "Tippe &lt;1&gt; zum Öffnen und <b>fett</b>." in de
    assert '<!--#echo var="DATE_LOCAL" --> bleiben.' in de
    assert 'alt="Ein Hund im Park"' in de and 'alt="A cat on the roof"' in de
    # fallback marked on its own element where that holds no translation; a span
    # only where the source text shares its element with translated text
    assert '<p lang="en">Plain <span>words</span> here<wbr>now.</p>' in de
    assert '<div lang="en">Loose text before a block.<p lang="en">In a block.</p></div>' in de
    assert '<span lang="en">stay.</span>' not in de and '<span lang="en">' in de
    # that paragraph's image alt is translated, so its untranslated text gets a span
    assert '<p><span lang="en"><a href="https://example.com/x.html "' in de
    assert " lang=" not in en.split("<article>")[1]    # the source page marks nothing


def test_a_gb2312_page_that_is_utf8_is_read_with_a_warning(tmp_path, l10n):
    utf8 = ('<html><head><meta charset="gb2312"><title>标题</title></head>'
            '<body><p>怎么样？后果很严重。</p></body></html>').encode("utf-8")
    gbk = ('<html><head><meta charset="gb2312"><title>朱镕基</title></head>'  # 镕: GBK, not GB2312
           '<body><p>他说了。</p></body></html>').encode("gbk")
    proj = mini_project(tmp_path, {"utf8.html": utf8, "gbk.html": gbk}, source_locale="zh_Hans",
                        locales=("en",))
    r = l10n(proj, "update", "--all")
    assert "utf8.html" in r.stdout + r.stderr and "declares charset gb2312" in r.stdout + r.stderr
    assert "gbk.html" not in r.stdout + r.stderr
    assert "朱镕基" in (proj / "locales" / "templates" / "gbk.pot").read_text(encoding="utf-8")
    l10n(proj, "publish", "--all")
    page = (proj / "public" / "zh_Hans" / "utf8.html").read_text(encoding="utf-8")
    assert "<p>怎么样？后果很严重。</p>" in page and 'charset="utf-8"' in page


# --------------------------------------------------------------------------- the format itself

def page(tmp_path: Path, body: str, name: str = "p.html", lang: str = "en") -> html.Document:
    path = tmp_path / name
    path.write_text(f"<html><head><title>T</title></head><body>{body}</body></html>",
                    encoding="utf-8")
    return html.read_document(path, lang)


def published(doc, translations: dict[str, str], joiner: str = " ", fallback: str | None = "en"):
    root = html.render(doc, lambda u: translations.get(u.text), joiner=joiner, fallback_lang=fallback)
    return html.serialize(root)


def test_cjk_fallback_keeps_the_source_spacing(tmp_path):
    doc = page(tmp_path, "<p>怎么样？后果很严重。我们走吧！</p>", lang="zh")
    assert [u.text for u in doc.units if u.kind != "title"] == ["怎么样？", "后果很严重。", "我们走吧！"]
    assert "<p>怎么样？后果很严重。我们走吧！</p>" in published(doc, {}, fallback=None)
    # one sentence translated: it gets the locale's joiner, the two that fall back keep none
    out = published(doc, {"怎么样？": "How is it?"}, joiner=" ")
    assert 'How is it? <span lang="en">后果很严重。我们走吧！</span>' in out


def test_comments_inside_a_translated_paragraph_are_kept(tmp_path):
    doc = page(tmp_path, "<p>One <!-- ad slot --><b>bold</b> word. Two words.</p>")
    out = published(doc, {"One <1>bold</1> word.": "Ein <1>fettes</1> Wort."})
    assert "<!-- ad slot -->" in out and "Ein <b>fettes</b> Wort." in out
    assert '<span lang="en">Two words.</span>' in out


def test_units_without_letters_are_not_queued(tmp_path):
    doc = page(tmp_path, "<p>640</p><p>0:46</p><td>12 %</td><p>Score 3:1.</p>")
    assert [u.text for u in doc.units if u.kind != "title"] == ["Score 3:1."]
    assert "<p>640</p><p>0:46</p>" in published(doc, {})


def test_literal_placeholder_text_round_trips_with_translation(tmp_path):
    doc = page(tmp_path, r"<p>Type &lt;1&gt; or \&lt;2/&gt; and <b>bold</b></p>")
    (unit,) = [u for u in doc.units if u.kind != "title"]
    assert unit.text == r"Type \<1> or \\\<2/> and <1>bold</1>"
    assert markup.strip(unit.text) == r"Type <1> or \<2/> and bold"
    assert r"<p>Type &lt;1&gt; or \&lt;2/&gt; and <b>bold</b></p>" in published(doc, {}, fallback=None)
    out = published(doc, {unit.text: r"<1>Fett</1>: \<1> oder \\\<2/> tippen"})
    assert r"<p><b>Fett</b>: &lt;1&gt; oder \&lt;2/&gt; tippen</p>" in out
    # a translator who drops the escape adds a placeholder: rejected, source text used
    out = published(doc, {unit.text: "<1>Fett</1>: <1> oder <2/> tippen"})
    assert r'<p lang="en">Type &lt;1&gt; or \&lt;2/&gt; and <b>bold</b></p>' in out


def test_deep_nesting_is_kept_or_refused_with_a_line(tmp_path):
    body = "<div>" * 1500 + "<p>Deep text.</p>" + "</div>" * 1500 + "<p>After the deep part.</p>"
    doc = page(tmp_path, body)
    assert {"Deep text.", "After the deep part."} <= {u.text for u in doc.units}
    out = published(doc, {"Deep text.": "Tiefer Text."}, fallback=None)
    assert "<p>Tiefer Text.</p>" in out and "After the deep part." in out
    assert out.count("<div>") == 1500
    too_deep = tmp_path / "deep.html"
    too_deep.write_text("<html><body>\n" + "<div>" * 3000 + "x" + "</div>" * 3000 + "</body></html>")
    with pytest.raises(L10nError, match="nested deeper") as exc:
        html.read_document(too_deep)
    assert exc.value.path == str(too_deep) and exc.value.line == 2


def test_nul_anywhere_is_refused_with_its_line(tmp_path):
    path = tmp_path / "nul.html"
    path.write_bytes(b"<html><body>" + b"<p>padding</p>\n" * 1000 + b"<p>x\x00</p></body></html>")
    with pytest.raises(L10nError, match="NUL") as exc:
        html.read_document(path)
    assert exc.value.line == 1001


def test_undecodable_declared_charset_falls_back_to_detection(tmp_path):
    path = tmp_path / "bad.html"
    text = "<html><body><p>Ça coûte très cher, déjà à Noël. Les élèves français sont là.</p></body></html>"
    path.write_bytes(text.replace("<html>", '<html><meta charset="utf-8">').encode("cp1252"))
    doc = html.read_document(path)
    assert any("declares charset utf-8" in w and "detected" in w for w in doc.warnings)
    assert "Ça coûte très cher, déjà à Noël." in {u.text for u in doc.units}


# --------------------------------------------------------------------------- fuzz

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_TEXT = st.text(alphabet="ab Z.。？ &<>\\1/\u00a0\n字", min_size=0, max_size=12)
_ATTR_NAMES = st.sampled_from(["class", "id", "name", "href", "title", "xml:lang", "@click",
                               ":class", "x-on:click", "rel:gt_act", "data-x", "alt", "srcset"])
_ATTR_VALUES = st.text(alphabet="a &\"'<>é, /1x", max_size=10)


@st.composite
def _fragment(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 9 if depth < 4 else 2))
        if choice <= 1:
            parts.append(draw(_TEXT).replace("&", "&amp;").replace("<", "&lt;"))
        elif choice == 2:
            parts.append(draw(st.sampled_from(
                ["<br>", "<wbr>", "<img alt='A cat'>", "<!-- c -->", '<!--#echo var="X" -->',
                 "<source src='s.mp4'>"])))
        else:
            tag = draw(st.sampled_from(["p", "div", "span", "a", "b", "em", "li", "h2",
                                        "picture", "section"]))
            attrs = draw(st.dictionaries(_ATTR_NAMES, _ATTR_VALUES, max_size=3))
            attr_text = "".join(f' {k}="{v.replace("&", "&amp;").replace(chr(34), "&quot;")}"'
                                for k, v in attrs.items())
            parts.append(f"<{tag}{attr_text}>{draw(_fragment(depth + 1))}</{tag}>")
    return "".join(parts)


def _swapcase(unit):
    return unit.text.swapcase()  # keeps placeholders and escapes, changes every letter


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(_fragment())
def test_random_pages_round_trip(tmp_path, body):
    path = tmp_path / "fuzz.html"
    path.write_text(f"<html><head><title>Fuzz</title></head><body>{body}</body></html>",
                    encoding="utf-8")
    for fallback in (None, "en"):
        r = roundtrip.roundtrip(path, fallback)
        assert r.ok, (body, r.error, r.differences)
    # translated: every element and attribute is still there, only text changed
    doc = html.read_document(path)
    out = html.serialize(html.render(doc, _swapcase, fallback_lang="en"))
    source = path.read_text(encoding="utf-8")
    diffs, _, _ = roundtrip.compare(source, out)
    translated = tuple(f"attribute <{t} {a}>" for t in ("img", "p", "div", "span", "a", "b", "em",
                                                         "li", "h2", "picture", "section")
                       for a in html.ATTRIBUTES)
    assert [d for d in diffs if not d.startswith(("visible text",) + translated)] == [], (body, out)


def test_control_characters_never_reach_a_msgid_or_break_a_rebuild(tmp_path):
    doc = page(tmp_path, "<p>a&#x1c;b\u2028c\x0bd. Next one.</p><img alt='x&#x1e;y'>")
    texts = {u.text for u in doc.units}
    assert {"ab cd.", "Next one.", "xy"} <= texts
    out = published(doc, {"Next one.": "Weiter\x1c.", "xy": "x\x1ey\u2028z"})
    assert "Weiter." in out and 'alt="xy z"' in out
    assert "ab\u2028c" in published(doc, {}, fallback=None)  # only control characters go


def test_html5_void_elements_do_not_swallow_what_follows(tmp_path):
    doc = page(tmp_path, "<p><wbr>Short text here.<p>Second paragraph.<video><source src=v.mp4>"
                         "<track src=t.vtt>Fallback words.</video>")
    assert [(u.kind, u.text) for u in doc.units if u.kind != "title"] == [
        ("lead", "<1/>Short text here."), ("paragraph", "Second paragraph.<1/>")]
    out = published(doc, {}, fallback=None)
    assert "<p><wbr>Short text here.</p><p>Second paragraph." in out
    assert '<source src="v.mp4" /><track src="t.vtt" />' not in out  # written as HTML, not XML
    assert '<source src="v.mp4"><track src="t.vtt">Fallback words.</video>' in out


_PIECES = [b"<p>", b"</p>", b"<div>", b"</div>", b"<a href='x '>", b"</a>", b"<b>", b"</b>",
           b"Word. ", b"\xe4\xb8\xad\xe3\x80\x82", b"\xff", b"&#x1c;", b"&lt;1&gt;", b"<1>",
           b"<!--c-->", b"<!--#x -->", b"<?php x ?>", b"<meta charset=gb2312>", b"<title>",
           b"</title>", b"<source>", b"<wbr>", b"<br/>", b"<img alt='a b'>", b"<select><option>O",
           b"<table><tr><td>x", b"<script>var a='<p>';</script>", b"<p @click='x' :a=1 rel:g=3>",
           b"<noscript><img alt='n'></noscript>", b"<picture><source srcset='a,b 1x'><img alt='p'>"
           b"</picture>", b"\x0b", b"<template><p>t</p></template>", b"<p hidden>h</p>",
           b"<a name='\xc3\xa4'>", b"<!DOCTYPE html>", b"<head>", b"<body>"]


@settings(max_examples=80, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=25))
def test_broken_pages_are_read_or_refused_never_crash(tmp_path, pieces):
    path = tmp_path / "broken.html"
    path.write_bytes(b"".join(pieces))
    for fallback in (None, "en"):
        r = roundtrip.roundtrip(path, fallback)   # only L10nError is caught in there
        assert r.error or r.ok, (pieces, r.differences)
    if r.error is None:
        doc = html.read_document(path)
        html.serialize(html.render(doc, _swapcase, fallback_lang="en"))


def test_a_page_that_declared_no_charset_is_given_utf8(tmp_path):
    path = tmp_path / "plain.html"
    path.write_bytes("<html><head><title>Grüße</title></head><body><p>Schöne Grüße.</p></body></html>"
                     .encode("utf-8"))
    out = html.serialize(html.render(html.read_document(path), lambda u: None))
    assert out.startswith('<html><head><meta charset="utf-8"><title>Grüße</title>')


def test_each_sentence_has_its_own_source_line(tmp_path):
    path = tmp_path / "lines.html"
    path.write_text("<html><body>\n<p>First one.\n  Second\n  one.\n\n Third <b>bold\n</b> one.</p>"
                    "\n<p>\n\nLater.</p></body></html>", encoding="utf-8")
    assert [(u.line, u.text) for u in html.read_document(path).units] == [
        (2, "First one."), (3, "Second one."), (6, "Third <1>bold </1> one."), (10, "Later.")]


def test_charset_sniffing_follows_the_browser_order(tmp_path):
    from l10n_tool.formats import charset
    body = "<html><head>{}</head><body><p>“Grüße” aus Köln.</p></body></html>"
    # a byte-order mark beats any declaration
    d = charset.decode(b"\xff\xfe" + body.format('<meta charset="iso-8859-1">').encode("utf-16-le"), "p")
    assert d.encoding == "utf-16-le" and "“Grüße”" in d.text and not d.warnings
    # iso-8859-1 means windows-1252 on the web: its curly quotes are not C1 controls
    d = charset.decode(body.format('<meta charset="iso-8859-1">').encode("cp1252"), "p")
    assert "“Grüße” aus Köln." in d.text and not d.warnings
    # http-equiv, after 8 KB of scripts
    d = charset.decode(body.format("<script>" + "x" * 9000 + "</script><meta http-equiv=Content-Type "
                                   "content='text/html; charset=windows-1252'>").encode("cp1252"), "p")
    assert d.declared == "windows-1252" and "Köln" in d.text
    # an unknown label: read anyway, and say so
    d = charset.decode(body.format('<meta charset="x-klingon">').encode("cp1252"), "p")
    assert "Köln" in d.text and "unknown charset 'x-klingon'" in d.warnings[0]
    # nothing declared: UTF-8 if it is UTF-8
    d = charset.decode(body.format("").encode("utf-8"), "p")
    assert d.encoding == "utf-8" and not d.warnings


def test_a_utf8_page_with_one_stray_byte_stays_utf8(tmp_path):
    from l10n_tool.formats import charset
    data = ('<meta charset="utf-8"><p>Grüße aus Köln, “schön”.</p><p>It’s</p>'.encode("utf-8")
            .replace("’".encode("utf-8"), b"\x92"))
    d = charset.decode(data, "p")
    assert "Grüße aus Köln, “schön”." in d.text and "It\ufffds" in d.text
    assert "1 bad byte(s) replaced" in d.warnings[0]


def test_fallback_in_a_right_to_left_page_keeps_its_direction(tmp_path):
    doc = page(tmp_path, "<p>Only English here.</p><p>First one. Second one.</p>")
    arabic = {"First one.": "الأول."}
    root = html.render(doc, lambda u: arabic.get(u.text), lang_attr="ar", direction="rtl",
                       fallback_lang="en")
    out = html.serialize(root)
    assert '<p lang="en" dir="ltr">Only English here.</p>' in out
    assert '<p>الأول. <span lang="en" dir="ltr">Second one.</span></p>' in out
    # a left-to-right locale needs no dir on its fallback
    assert '<p lang="en">Only English here.</p>' in published(doc, {})
