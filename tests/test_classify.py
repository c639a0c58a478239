"""Article vs site chrome vs hidden, on small hand-written pages and the real corpus."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from l10n_tool.errors import L10nError
from l10n_tool.formats import classify as cls

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "real-pages"

PARA = ("The council voted on Tuesday to expand the harbour, a project that has divided "
        "the town for years, and construction is expected to begin next spring. ")

PAGE = f"""<!DOCTYPE html>
<html><head><title>Harbour vote</title>
<meta name="description" content="The council voted to expand the harbour.">
</head><body>
<header class="site-header"><a href="/">Daily Bugle</a>
  <nav><ul><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
</header>
<div id="cookie-banner"><p>We use cookies to improve your experience.</p>
  <button>Accept all</button></div>
<main>
  <h1 id="headline">Council backs harbour expansion</h1>
  <p class="byline">By Jane Doe, Harbour Town</p>
  <div class="story">
    <p id="p1">{PARA * 2}</p>
    <p id="p2">{PARA * 3}</p>
    <div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
    <p id="p3">{PARA * 2}</p>
    <p id="gone" style="color: red; display: none !important">Secret tracking text</p>
    <p id="attr" hidden>Not yet published correction</p>
    <div id="aria" aria-hidden="true"><span id="icon">★</span></div>
    <template><p id="tpl">Template text</p></template>
    <ul class="related-links"><li><a href="/a">Another story</a></li>
      <li><a href="/b">Yet another story</a></li></ul>
  </div>
</main>
<aside><h2 id="popular">Most popular</h2><p>Sidebar text, somewhat long, with commas, here.</p></aside>
<footer><p id="copyright">© Daily Bugle. All rights reserved.</p></footer>
</body></html>
"""


def parse(text: str):
    return lxml_html.document_fromstring(text)


def by_id(root, ident: str):
    found = root.xpath(f'//*[@id="{ident}"]')
    assert found, ident
    return found[0]


@pytest.fixture
def page():
    root = parse(PAGE)
    return root, cls.classify(root, None)


def test_article_text_is_article(page):
    root, c = page
    for ident in ("p1", "p2", "p3", "headline"):
        assert c.scope(by_id(root, ident)) == cls.ARTICLE, ident
    assert c.scope(root.find(".//p[@class='byline']")) == cls.ARTICLE


def test_head_metadata_belongs_to_the_article(page):
    root, c = page
    assert c.scope(root.find("head/title")) == cls.ARTICLE
    assert c.scope(root.find("head/meta[@name='description']")) == cls.ARTICLE


def test_site_furniture_is_chrome(page):
    root, c = page
    assert c.scope(root.find(".//nav//a")) == cls.CHROME
    assert c.scope(root.find(".//header/a")) == cls.CHROME
    assert c.scope(by_id(root, "cookie-banner").find("p")) == cls.CHROME
    assert c.scope(root.find(".//button")) == cls.CHROME
    assert c.scope(by_id(root, "popular")) == cls.CHROME
    assert c.scope(by_id(root, "copyright")) == cls.CHROME


def test_furniture_inside_the_article_is_chrome(page):
    root, c = page
    assert c.scope(root.find(".//div[@class='share-tools']/a")) == cls.CHROME
    assert c.scope(root.find(".//ul[@class='related-links']/li")) == cls.CHROME


def test_hidden_elements(page):
    root, c = page
    for ident in ("gone", "attr"):
        assert c.hidden(by_id(root, ident)), ident
    assert c.hidden(root.find(".//template"))
    # aria-hidden hides from assistive technology, not from eyes: translated
    for ident in ("p1", "headline", "copyright", "aria", "icon"):
        assert not c.hidden(by_id(root, ident)), ident


def test_hidden_is_inherited_and_aria_hidden_wrapper_of_the_article_is_not():
    # A page saved while a modal was open: aria-hidden on the wrapper of everything.
    root = parse(f"""<html><body><div id="wrap" aria-hidden="true">
        <div style="visibility:hidden"><p id="inner">Hidden <b id="deep">deep</b></p></div>
        <article><p id="body1">{PARA * 3}</p><p>{PARA * 2}</p></article></div>
        <img id="pixel" src="t.gif" width="1" height="1" alt="">
        <img id="photo" src="p.jpg" width="640" height="1" alt="A photo">
        </body></html>""")
    c = cls.classify(root)
    assert c.hidden(by_id(root, "inner")) and c.hidden(by_id(root, "deep"))
    assert not c.hidden(by_id(root, "wrap"))
    assert not c.hidden(by_id(root, "body1"))
    assert c.scope(by_id(root, "body1")) == cls.ARTICLE
    assert c.hidden(by_id(root, "pixel"))
    assert not c.hidden(by_id(root, "photo"))


def test_density_finds_the_article_without_semantic_markup():
    links = "".join(f'<li><a href="/{i}">Section number {i}</a></li>' for i in range(30))
    root = parse(f"""<html><body>
        <div id="top"><ul>{links}</ul></div>
        <div id="x1"><div id="x2"><p id="a">{PARA * 2}</p><p id="b">{PARA * 2}</p>
        <p id="c">{PARA}</p></div></div>
        <div id="bottom"><p>Contact us</p></div></body></html>""")
    c = cls.classify(root)
    for ident in ("a", "b", "c"):
        assert c.scope(by_id(root, ident)) == cls.ARTICLE
    assert c.scope(root.find(".//li")) == cls.CHROME
    assert c.scope(by_id(root, "bottom").find("p")) == cls.CHROME


def test_articlebody_markup_wins_over_density():
    root = parse(f"""<html><body>
        <div id="side"><p>{PARA * 4}</p></div>
        <div itemprop="articleBody"><p id="real">{PARA * 2}</p></div></body></html>""")
    c = cls.classify(root)
    assert c.scope(by_id(root, "real")) == cls.ARTICLE
    assert c.scope(by_id(root, "side").find("p")) == cls.CHROME


def test_selectors_override_detection(page):
    root = parse(PAGE)
    rules = cls.rules_from_table({"article": "aside", "include": ["footer p"],
                                  "exclude": ["#p2", ".byline"]}, "pyproject.toml")
    c = cls.classify(root, rules)
    assert c.scope(by_id(root, "popular")) == cls.ARTICLE
    assert c.scope(by_id(root, "copyright")) == cls.ARTICLE
    assert c.scope(by_id(root, "p1")) == cls.CHROME
    assert c.hidden(by_id(root, "p2"))
    assert c.hidden(root.find(".//p[@class='byline']"))
    assert not c.hidden(by_id(root, "p1"))


def test_page_wrapped_in_one_form_is_not_all_chrome():
    # ASP.NET pages put everything inside <form id="aspnetForm">.
    root = parse(f"""<html><body><form id="aspnetForm"><nav><a href="/">Home</a></nav>
        <div class="story"><p id="a">{PARA * 3}</p><p>{PARA * 2}</p>
        <form class="newsletter"><p id="nl">Sign up for our newsletter</p></form></div>
        </form></body></html>""")
    c = cls.classify(root)
    assert c.scope(by_id(root, "a")) == cls.ARTICLE
    assert c.scope(by_id(root, "nl")) == cls.CHROME
    assert c.scope(root.find(".//nav/a")) == cls.CHROME


def test_include_covers_the_whole_subtree_and_exclude_hides_it():
    root = parse(PAGE)
    rules = cls.rules_from_table({"include": ["header"], "exclude": ["aside"]}, "p")
    c = cls.classify(root, rules)
    assert c.scope(root.find(".//header/nav/ul/li/a")) == cls.ARTICLE
    assert c.hidden(by_id(root, "popular"))
    assert c.scope(by_id(root, "p1")) == cls.ARTICLE


def test_section_name_h1_is_not_the_headline():
    root = parse(f"""<html><head><title>Peanuts early may prevent allergy</title></head>
        <body><div class="masthead"><h1 id="section">Health Center</h1></div>
        <div class="body"><p id="a">{PARA * 3}</p><p>{PARA * 2}</p></div>
        <div class="top"><h1 id="real">Babies who eat peanuts early may avoid allergy</h1></div>
        </body></html>""")
    c = cls.classify(root)
    assert c.scope(by_id(root, "section")) == cls.CHROME
    assert c.scope(by_id(root, "real")) == cls.ARTICLE


def test_article_selector_matching_nothing_falls_back_to_detection():
    root = parse(PAGE)
    c = cls.classify(root, cls.ExtractRules(article=".no-such-thing"))
    assert c.scope(by_id(root, "p1")) == cls.ARTICLE
    assert c.scope(root.find(".//nav//a")) == cls.CHROME


def test_element_made_after_classification_asks_its_ancestors(page):
    root, c = page
    from lxml import etree
    new = etree.SubElement(by_id(root, "p1"), "span")
    assert c.scope(new) == cls.ARTICLE
    assert not c.hidden(new)


def test_rules_from_table_validates():
    assert cls.rules_from_table({}, "p") == cls.ExtractRules()
    rules = cls.rules_from_table({"article": " main ", "include": "figure",
                                  "exclude": [".ad", "#promo"]}, "p")
    assert rules == cls.ExtractRules("main", ("figure",), (".ad", "#promo"))
    bad = [({"article": 3}, "article"), ({"include": [1]}, "include"),
           ({"exclude": ["div[["]}, "bad CSS selector"), ({"article": "p >> >"}, "bad CSS"),
           ({"artcle": "main"}, "unknown key 'artcle'"), ([], "must be a table")]
    for table, message in bad:
        with pytest.raises(L10nError) as info:
            cls.rules_from_table(table, "pyproject.toml")
        assert message in info.value.message
        assert info.value.path == "pyproject.toml"


def test_deeply_nested_page_does_not_recurse():
    # Deeper than Python's recursion limit (the HTML parser caps depth, so build it).
    from lxml import etree
    root = parse("<html><body></body></html>")
    el = root.find("body")
    for _ in range(3000):
        el = etree.SubElement(el, "div")
    p = etree.SubElement(el, "p")
    p.text = PARA * 2
    c = cls.classify(root)
    assert c.scope(p) == cls.ARTICLE and not c.hidden(p)


def _bench():
    spec = importlib.util.spec_from_file_location("bench_classify", REPO / "bench" / "classify.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not CORPUS.is_dir(), reason="real-pages corpus not present")
def test_real_pages_meet_the_targets():
    bench = _bench()
    scores = bench.run(CORPUS)
    assert len(scores) >= 40
    precision, recall = bench.means(scores)
    assert precision >= 0.90, [(s.name, round(s.precision, 3)) for s in scores]
    assert recall >= 0.97, [(s.name, round(s.recall, 3)) for s in scores]


def test_article_element_around_several_text_blocks_is_the_container():
    # Short pages: the text blocks are siblings; the <article> holding them
    # (lists, tables, figures included) is the article.
    root = parse(f"""<html><body><header><p>Brand</p></header><article>
        <h1>Title</h1><p>{PARA}</p><p>{PARA}</p><ul><li id="li">Item</li></ul>
        <table><tr><td id="td">Cell</td></tr></table>
        <figure><img id="img" src="a.jpg" alt="A house"><figcaption>House</figcaption></figure>
        </article></body></html>""")
    c = cls.classify(root)
    for ident in ("li", "td", "img"):
        assert c.scope(by_id(root, ident)) == cls.ARTICLE, ident
    assert c.scope(root.find(".//header/p")) == cls.CHROME


def test_hidden_wrapper_of_the_whole_page_is_shown_by_its_script():
    root = parse(f"""<html><body style="display:none"><div id="app" style="display: none">
        <p id="a">{PARA * 6}</p><p>{PARA * 4}</p></div>
        <div id="modal" style="display:none"><p id="m">Subscribe now</p></div></body></html>""")
    c = cls.classify(root)
    assert not c.hidden(by_id(root, "a")) and c.scope(by_id(root, "a")) == cls.ARTICLE
    assert c.hidden(by_id(root, "m"))


def test_furniture_names_and_what_is_not_one():
    root = parse(f"""<html><body><article class="entry">
        <h1>How we share code</h1><p>{PARA * 3}</p>
        <div id="sharing-with-a-single-developer" class="section"><h2 id="h">Sharing with one
        developer</h2><p id="slug">{PARA}</p></div>
        <figure class="fig--has-shares"><img id="fig" src="a.jpg" alt="Harbour at dawn"></figure>
        <p>{PARA * 2}</p>
        <div class="jp-relatedposts"><h3 id="rel">Related</h3><p id="relp">Another post</p></div>
        <div class="addthis_toolbox"><a id="at" href="#">Email</a></div>
        </article></body></html>""")
    c = cls.classify(root)
    for ident in ("h", "slug", "fig"):
        assert c.scope(by_id(root, ident)) == cls.ARTICLE, ident
    for ident in ("rel", "relp", "at"):
        assert c.scope(by_id(root, ident)) == cls.CHROME, ident


def test_site_header_inside_the_container_is_chrome_the_article_header_is_not():
    root = parse(f"""<html><body><div id="page">
        <header id="site"><a href="/">Bugle</a><nav><a href="/w">World</a></nav></header>
        <header id="story"><h1 id="h">Council backs harbour</h1><p id="dek">A vote.</p></header>
        <p>{PARA * 3}</p><p>{PARA * 2}</p><p>{PARA * 2}</p></div></body></html>""")
    c = cls.classify(root)
    assert c.scope(by_id(root, "site").find("a")) == cls.CHROME
    assert c.scope(by_id(root, "h")) == cls.ARTICLE
    assert c.scope(by_id(root, "dek")) == cls.ARTICLE


# --------------------------------------------------------------------------- through the CLI

def _project(tmp_path, extract_table: str = "") -> Path:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "harbour.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_dir = "source"\nsource_locale = "en"\nlocales = ["de"]\n'
        'locales_dir = "locales"\n' + extract_table, encoding="utf-8")
    return tmp_path


def _msgids(path: Path) -> set[str]:
    import polib
    return {e.msgid for e in polib.pofile(str(path))} if path.exists() else set()


def test_extract_sends_chrome_to_the_site_catalog(tmp_path, l10n):
    project = _project(tmp_path)
    l10n(project, "extract")
    templates = project / "locales" / "templates"
    page, site = _msgids(templates / "harbour.pot"), _msgids(templates / "_site.pot")
    assert "Council backs harbour expansion" in page
    assert any(m.startswith("The council voted on Tuesday") for m in page)
    chrome = {"<1>World</1>", "<1>Sport</1>", "Accept all", "Most popular"}
    assert chrome <= site
    assert not page & chrome
    everything = page | site
    for hidden in ("Secret tracking text", "Not yet published correction", "Template text"):
        assert not any(hidden in m for m in everything), hidden


def test_extract_obeys_selectors_in_pyproject(tmp_path, l10n):
    project = _project(tmp_path, '[tool.l10n.extract]\ninclude = ["aside"]\nexclude = ["nav"]\n')
    l10n(project, "extract")
    templates = project / "locales" / "templates"
    page, site = _msgids(templates / "harbour.pot"), _msgids(templates / "_site.pot")
    assert "Most popular" in page
    assert not {"<1>World</1>", "<1>Sport</1>"} & (page | site)


def test_bad_selector_in_pyproject_is_one_line_naming_the_file(tmp_path, l10n):
    project = _project(tmp_path, '[tool.l10n.extract]\narticle = "div[["\n')
    r = l10n(project, "extract", expect=2)
    assert "pyproject.toml" in r.stderr and "bad CSS selector" in r.stderr
    assert "Traceback" not in r.stderr


def test_share_buttons_inside_a_byline_above_the_article_stay_chrome():
    # seattletimes: the dateline (marked article, above the container) holds
    # the share bar; its "Share this article via Facebook" went to the page's
    # catalog along with the byline it sat in
    page = PAGE.replace(
        '<p class="byline">By Jane Doe, Harbour Town</p>',
        '<div class="article-dateline"><time id="when">April 28, 2019</time>'
        '<div class="article-share" id="sharebar"><a id="fb" aria-label="Share via Facebook">'
        '</a><a id="tw" href="#">Tweet</a></div><nav id="crumbs"><a href="/">Home</a></nav></div>')
    root = parse(page)
    result = cls.classify(root)
    assert result.scope(by_id(root, "when")) == cls.ARTICLE
    for ident in ("sharebar", "fb", "tw", "crumbs"):
        assert result.scope(by_id(root, ident)) == cls.CHROME, ident


def test_words_of_text_without_cjk_are_found_as_with_cjk():
    """Text with no kana, ideograph or Hangul skips the CJK pattern (slow to
    compile); its words must be what that pattern finds."""
    import re
    from hypothesis import given, strategies as st

    full = re.compile(cls._WORD)

    @given(st.text(alphabet=st.characters(max_codepoint=0x33ff)))
    def same(text):
        assert cls._word_list(text) == [w.lower() for w in full.findall(text)]

    same()
    assert cls._word_list("abc 中文") == ["abc", "中", "文"]
