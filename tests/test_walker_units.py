"""What the HTML walker makes a unit of, seen through the CLI on real files.

Each test writes a small project, runs ``extract``/``update``/``publish`` as
a user would, reads the templates a translator gets and the page a reader
gets, and runs the page through ``bench/roundtrip.py``'s comparison (as the
republished source, with an empty catalog, and half "translated"), since a
new way of reading a construct must not lose a character of it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib
from lxml import html as lxml_html

from test_publish_links import make_project, review

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import roundtrip  # noqa: E402


def page(title: str, body: str) -> str:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<title>{title}</title></head><body>\n<h1>{title}</h1>\n{body}\n</body></html>\n')


def template(project: Path, name: str) -> dict[str, polib.POEntry]:
    path = project / "locales" / "templates" / f"{name}.pot"
    return {e.msgid: e for e in polib.pofile(str(path))} if path.exists() else {}


def published(project: Path, name: str):
    return lxml_html.parse(str(project / "public" / "de" / f"{name}.html")).getroot()


def lang_of(el) -> str | None:
    """The language an element's text is in: its own ``lang`` or the nearest one above."""
    for node in [el, *el.iterancestors()]:
        if node.get("lang") is not None:
            return node.get("lang")
    return None


def assert_lossless(project: Path, name: str) -> None:
    path = project / "source" / f"{name}.html"
    modes = ("source", "fallback", "partial")
    for mode, result in zip(modes, roundtrip.roundtrip_modes(path, modes)):
        assert result.ok, (mode, result.error, result.differences)


# --------------------------------------------------------------------------- controls

CONTROLS = page("Controls in sentences", """\
<p>The <my-widget data-x="1">custom element</my-widget> is inline in this sentence.</p>
<p>Press the <button type="button">Save</button> button to keep your changes.</p>
<p>Choose <select name="colour"><option>red</option><option>blue</option></select> as your colour.</p>
<p>Scored <meter value="0.5">half</meter> of the points, <progress max="3" value="1">a third</progress> done, <output>nine</output> in all.</p>
<p><label>Your name <input name="n"></label> is never shown to anyone.</p>
<p>An equation <mjx-container><mjx-math><mjx-mi class="mjx-i"></mjx-mi></mjx-math></mjx-container> stays whole.</p>
<div class="tools"><button>Share</button><button>Print</button></div>""")


def test_controls_and_custom_elements_stay_in_their_sentence(tmp_path, l10n):
    project = make_project(tmp_path, {"controls.html": CONTROLS})
    l10n(project, "extract")
    units = template(project, "controls")
    for msgid in ("The <1>custom element</1> is inline in this sentence.",
                  "Press the <1>Save</1> button to keep your changes.",
                  "Choose <1/> as your colour.",
                  "Scored <1>half</1> of the points, <2>a third</2> done, <3>nine</3> in all.",
                  "<1>Your name <2/></1> is never shown to anyone.",
                  "An equation <1/> stays whole.",
                  # a select's options are labels, each a unit of the article's own
                  "red", "blue"):
        assert msgid in units, (msgid, sorted(units))
    assert "placeholder <1/> is <select> red | blue" in units["Choose <1/> as your colour."].comment
    everything = set(units) | set(template(project, "_site"))
    for fragment in ("The", "custom element", "is inline in this sentence.", "Save",
                     "Press the", "half", "Choose", "as your colour."):
        assert fragment not in everything, fragment
    # buttons standing alone are each a unit, with no placeholder around it
    assert {"Share", "Print"} <= everything
    assert not any("Share" in m and m != "Share" for m in everything)

    l10n(project, "update", "-l", "de")
    review(project, {
        "The <1>custom element</1> is inline in this sentence.":
            "Das <1>eigene Element</1> steht mitten im Satz.",
        "Press the <1>Save</1> button to keep your changes.":
            "Drücken Sie <1>Speichern</1>, um Ihre Änderungen zu behalten.",
        "Choose <1/> as your colour.": "Wählen Sie <1/> als Ihre Farbe.",
        "red": "rot", "blue": "blau"})
    l10n(project, "publish", "-l", "de")
    root = published(project, "controls")
    widget = root.find(".//my-widget")
    assert widget.get("data-x") == "1" and widget.text == "eigene Element"
    assert widget.getparent().text_content() == "Das eigene Element steht mitten im Satz."
    button = root.find(".//p/button")
    assert button.get("type") == "button" and button.text == "Speichern"
    select = root.find(".//select")
    assert select.get("name") == "colour"
    assert [o.text for o in select.iter("option")] == ["rot", "blau"]
    assert select.getparent().text_content() == "Wählen Sie rotblau als Ihre Farbe."
    assert root.find(".//mjx-container/mjx-math/mjx-mi") is not None
    assert_lossless(project, "controls")


XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:svg="http://www.w3.org/2000/svg" xml:lang="en" lang="en">
<head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /><title>XHTML page</title></head>
<body><h1>XHTML page</h1>
<p>A <x-highlight>marked</x-highlight> word and a star <svg:svg width="8" height="8" aria-label="a yellow star"><svg:title>star shape</svg:title><svg:path d="M0 0h8"/></svg:svg> in one sentence.</p>
</body></html>
"""


def test_prefixed_svg_and_unknown_elements_in_xhtml(tmp_path, l10n):
    project = make_project(tmp_path, {"x.html": XHTML})
    l10n(project, "extract")
    units = template(project, "x")
    assert "A <1>marked</1> word and a star <2/> in one sentence." in units
    assert "a yellow star" in units            # the svg's label, as for a plain <svg>
    assert "star shape" not in units           # its drawing's text is never prose
    l10n(project, "update", "-l", "de")
    review(project, {"A <1>marked</1> word and a star <2/> in one sentence.":
                     "Ein <1>markiertes</1> Wort und ein Stern <2/> in einem Satz."})
    l10n(project, "publish", "-l", "de")
    text = (project / "public" / "de" / "x.html").read_text(encoding="utf-8")
    assert ("Ein <x-highlight>markiertes</x-highlight> Wort und ein Stern <svg:svg") in text
    assert '<svg:path d="M0 0h8"/>' in text or '<svg:path d="M0 0h8"></svg:path>' in text
    assert_lossless(project, "x")


# --------------------------------------------------------------------------- ruby

def test_ruby_is_kept_whole_inside_its_sentence(tmp_path, l10n):
    project = make_project(tmp_path, {"ruby.html": page("Ruby", (
        "<p>The word <ruby>漢<rt>kan</rt></ruby> is read as kan in this sentence.</p>\n"
        "<p>Both <ruby>東<rp>(</rp><rt>tō</rt><rp>)</rp>京<rt>kyō</rt></ruby> halves.</p>"))})
    l10n(project, "extract")
    units = template(project, "ruby")
    msgid = "The word <1/> is read as kan in this sentence."
    assert msgid in units
    assert "<ruby> 漢kan" in units[msgid].comment
    assert "Both <1/> halves." in units
    assert not {"漢", "kan", "東", "tō", "京"} & set(units)
    l10n(project, "update", "-l", "de")
    review(project, {msgid: "Das Wort <1/> wird in diesem Satz kan gelesen."})
    l10n(project, "publish", "-l", "de")
    text = (project / "public" / "de" / "ruby.html").read_text(encoding="utf-8")
    assert "<p>Das Wort <ruby>漢<rt>kan</rt></ruby> wird in diesem Satz kan gelesen.</p>" in text
    assert_lossless(project, "ruby")


# --------------------------------------------------------------------------- visible "hidden" text

ARIA = page("Aria hidden", """\
<p>The article body is long enough to be the article. It has several sentences of text in it.</p>
<p><span aria-hidden="true">Five minute read</span> <span class="sr-only">Reading time: five minutes</span></p>
<p aria-hidden="true">This paragraph is visible to every sighted reader.</p>
<dialog id="thanks"><p>Thanks for signing up to our letters.</p></dialog>
<p hidden>A correction not yet published.</p>
<p style="color: red; display: none">Secret tracking text.</p>""")


def test_aria_hidden_and_closed_dialog_text_is_translated(tmp_path, l10n):
    project = make_project(tmp_path, {"ah.html": ARIA})
    l10n(project, "extract")
    everything = set(template(project, "ah")) | set(template(project, "_site"))
    assert "<1>Five minute read</1> <2>Reading time: five minutes</2>" in everything
    assert "This paragraph is visible to every sighted reader." in everything
    assert "Thanks for signing up to our letters." in everything
    assert not {"A correction not yet published.", "Secret tracking text."} & everything

    l10n(project, "update", "-l", "de")
    review(project, {
        "<1>Five minute read</1> <2>Reading time: five minutes</2>":
            "<1>Fünf Minuten Lesezeit</1> <2>Lesezeit: fünf Minuten</2>",
        "This paragraph is visible to every sighted reader.":
            "Diesen Absatz sieht jeder sehende Leser."})
    l10n(project, "publish", "-l", "de")
    root = published(project, "ah")
    icon = root.find('.//span[@aria-hidden="true"]')
    assert icon.text == "Fünf Minuten Lesezeit" and lang_of(icon) == "de"
    para = root.find('.//p[@aria-hidden="true"]')
    assert para.text == "Diesen Absatz sieht jeder sehende Leser." and lang_of(para) == "de"
    # untranslated, the dialog's text is marked as the English it still is
    dialog_p = root.find('.//dialog/p')
    assert dialog_p.text == "Thanks for signing up to our letters."
    assert lang_of(dialog_p) == "en"
    # what nobody sees is copied through as it is
    assert root.find(".//p[@hidden]").text == "A correction not yet published."
    assert lang_of(root.find(".//p[@hidden]")) == "de"
    assert_lossless(project, "ah")


# --------------------------------------------------------------------------- unclosed link

UNCLOSED = page("Unclosed link", """\
<p>Read <a href="https://news.example.com/story">the whole story
<p>This paragraph follows an unclosed link.</p>
<ul><li>A list item.</li></ul>""")


def test_an_unclosed_link_ends_its_sentence_as_a_placeholder(tmp_path, l10n):
    project = make_project(tmp_path, {"ua.html": UNCLOSED})
    l10n(project, "extract")
    units = template(project, "ua")
    sentence = "Read <1>the whole story </1>"
    assert sentence in units, sorted(units)
    assert not {"Read", "the whole story"} & set(units)
    assert {"This paragraph follows an unclosed link.", "A list item."} <= set(units)

    l10n(project, "update", "-l", "de")
    # the translator moves the verb after the link
    review(project, {sentence: "<1>Die ganze Geschichte</1> lesen",
                     "This paragraph follows an unclosed link.":
                         "Dieser Absatz folgt einem offenen Link."})
    l10n(project, "publish", "-l", "de")
    root = published(project, "ua")
    link = root.find(".//a[@href='https://news.example.com/story']")
    # the link still holds what it held, its head now German; words after it
    # stay before the paragraphs it runs on over, inside it as those are
    assert link.text == "Die ganze Geschichte lesen"
    assert [el.tag for el in link] == ["p", "ul"]
    assert link[0].text == "Dieser Absatz folgt einem offenen Link."
    assert not (link.getparent().text or "").strip()
    assert_lossless(project, "ua")


def test_an_unclosed_link_left_in_english_is_marked_so(tmp_path, l10n):
    project = make_project(tmp_path, {"ua.html": UNCLOSED})
    l10n(project, "update", "-l", "de")
    review(project, {"This paragraph follows an unclosed link.":
                     "Dieser Absatz folgt einem offenen Link."})
    l10n(project, "publish", "-l", "de")
    root = published(project, "ua")
    link = root.find(".//a[@href='https://news.example.com/story']")
    outer = link.getparent()
    assert outer.text_content().startswith("Read the whole story")
    assert lang_of(link) == "en"                       # the untranslated sentence's end
    assert all(lang_of(n) == "en" for n in outer if n is not link)   # and its start
    assert link[0].text == "Dieser Absatz folgt einem offenen Link."
    assert lang_of(link[0]) == "de"                    # translated inside it
    assert lang_of(link.find("ul/li")) == "en"


def test_machine_data_in_a_title_is_no_unit(tmp_path, l10n):
    """Wikipedia's COinS metadata is a query string in a title attribute: data for
    reference managers, not words; it stays in the page as written."""
    coins = ("ctx_ver=Z39.88-2004&amp;rft_val_fmt=info%3Aofi%2Ffmt%3Akev%3Amtx%3Ajournal"
             "&amp;rft.atitle=Trade+corridors&amp;rft.date=2019")
    body = (f'<p>The corridor opened in 2019.<span class="Z3988" title="{coins}"></span></p>\n'
            '<p><a href="/x" title="Read the whole report">Report</a> and '
            '<abbr title="AT&amp;T">the company</abbr> agreed.</p>')
    project = make_project(tmp_path, {"coins.html": page("Coins", body)})
    l10n(project, "extract")
    units = set(template(project, "coins")) | set(template(project, "_site"))
    assert not any("ctx_ver" in m or "rft" in m for m in units), sorted(units)
    assert {"Read the whole report", "AT&T"} <= units        # words, and a name with &, stay units
    l10n(project, "update", "-l", "de")
    l10n(project, "publish", "-l", "de", "--min-complete", "0")
    span = published(project, "coins").find(".//span[@class='Z3988']")
    assert span.get("title") == coins.replace("&amp;", "&")
