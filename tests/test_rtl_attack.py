"""Right-to-left and CJK newsroom locales end to end: numbers written the way
Arabic, Persian, Hebrew, Urdu, Traditional Chinese and Japanese editors write
them must pass the ``numbers`` check, and wrong ones must still fail."""

from __future__ import annotations

import json

import polib
import pytest

from l10n_tool.locales import get_locale
from test_numbers import findings as number_findings

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
RLM, LRI, PDI, ALM = "\u200f", "\u2066", "\u2069", "\u061c"


def findings(locale: str, msgid: str, msgstr: str) -> list:
    return [f[0] for f in number_findings(locale, msgid, msgstr)]


@pytest.mark.parametrize("locale,msgid,msgstr", [
    ("ar", "Over 4,500 trains", "أكثر من ٤٬٥٠٠ قطار"),            # Arabic-Indic, ٬ groups
    ("ar", "Over 4,500 trains", "أكثر من 4٬500 قطار"),            # Latin digits, Arabic group
    ("ar", "15.1 square meters", "١٥٫١ متر مربع"),                 # ٫ is the decimal
    ("ar", "RMB 160 billion", "١٦٠ مليار يوان"),
    ("ar", "RMB 160 billion", "160 ملياراً من اليوانات"),
    ("ar", "4,500 trains", f"{LRI}٤٬٥٠٠{PDI} قطار"),
    ("ar", "23% of the total", f"{ALM}٢٣٪ من الإجمالي"),
    ("ar", "4,500 trains", f"4{RLM},500 قطار"),
    ("fa", "Over 4,500 trains", "بیش از ۴٬۵۰۰ قطار"),               # Persian digits
    ("fa", "15.1 square meters", "۱۵٫۱ متر مربع"),
    ("fa", "RMB 160 billion", "۱۶۰ میلیارد یوان"),
    ("ur", "RMB 160 billion", "160 ارب یوآن"),
    ("ur", "30 million people", "3 کروڑ لوگ"),                   # a crore is 10^7
    ("he", "RMB 575 billion", "575 מיליארד יואן"),
    ("he", "4,500 trains", "4,500 רכבות"),
    ("zh_Hant", "RMB 160 billion", "1600億元人民幣"),
    ("zh_Hant", "350,000 TEUs", "35萬標準箱"),
    ("zh_Hant", "2,000 people", "兩千人"),
    ("zh_Hant", "the 2nd dialogue", "第二屆對話"),
    ("ja", "RMB 160 billion", "１６００億元"),                     # full-width digits
    ("ja", "350,000 TEUs", "３５万ＴＥＵ"),
    ("ja", "4,500 trains", "４，５００本の列車"),
    ("ja", "15.1 square meters", "１５．１平方メートル"),
    ("ja", "about 15,000 people", "約1万5000人"),              # digits between scales
    ("zh_Hans", "RMB 120 million", "1亿2000万元"),
    ("zh_Hant", "15,000 people", "１萬５０００人"),
    ("ja", "in 2021", "二〇二一年に"),                            # a year in kanji digits
    ("ar", "The 2nd Asia-Europe Cooperation Dialogue", "حوار التعاون الآسيوي الأوروبي الثاني"),
    ("ar", "the 2nd session", "الدورة الثانية"),
    ("he", "The 2nd dialogue", "הדיאלוג השני"),
    ("fa", "The 2nd dialogue", "دومین گفتگو"),
])
def test_correct_rtl_and_cjk_numbers_pass(locale, msgid, msgstr):
    assert findings(locale, msgid, msgstr) == []


@pytest.mark.parametrize("locale,msgid,msgstr,missing", [
    ("ar", "Over 4,500 trains", "أكثر من ٤٬٦٠٠ قطار", ["4500"]),
    ("ar", "15.1 square meters", "١٥٫٢ متر مربع", ["15.1"]),
    ("ar", "RMB 160 billion", "١٦٠ مليون يوان", ["160000000000"]),   # million, not billion
    ("fa", "Over 4,500 trains", "بیش از ۴۵ قطار", ["4500"]),
    ("he", "RMB 575 billion", "575 מיליון יואן", ["575000000000"]),
    ("zh_Hant", "RMB 160 billion", "160億元人民幣", ["160000000000"]),
    ("ja", "350,000 TEUs", "３５千ＴＥＵ", ["350000"]),
    ("ja", "about 15,000 people", "約1万4000人", ["15000"]),
    ("zh_Hans", "RMB 120 million", "2亿1000万元", ["120000000"]),
    ("ja", "in 2021", "二〇二二年に", ["2021"]),
    ("ar", "The 2nd dialogue", "الحوار الثالث", ["2"]),
    ("he", "The 2nd dialogue", "הדיאלוג הראשון", ["2"]),
])
def test_wrong_rtl_and_cjk_numbers_fail(locale, msgid, msgstr, missing):
    assert findings(locale, msgid, msgstr) == missing


def test_check_passes_an_arabic_catalog_with_arabic_numbers(tmp_path, l10n):
    """Through the CLI: an Arabic newsroom's reviewed figures are not CI errors."""
    from conftest import copy_project
    project = copy_project(tmp_path / "site")
    toml = project / "pyproject.toml"
    toml.write_text(toml.read_text().replace('locales = ["zh_Hans", "de"]', 'locales = ["ar", "fa"]'))
    l10n(project, "update", "--all")
    texts = {
        "ar": {"Over 4,500": "أكثر من ٤٬٥٠٠ قطار شحن بين الصين وأوروبا انطلقت من تشونغتشينغ",
               "350,000 TEUs": "نُقلت ٣٥٠٬٠٠٠ حاوية من أوروبا وإليها، بقيمة تزيد على ١٦٠ مليار يوان."},
        "fa": {"Over 4,500": "بیش از ۴٬۵۰۰ قطار باری چین-اروپا از چونگ‌چینگ",
               "350,000 TEUs": "۳۵۰٬۰۰۰ کانتینر به اروپا و از آن حمل شد، به ارزش بیش از ۱۶۰ میلیارد یوان."},
    }
    for locale, table in texts.items():
        path = project / "locales" / locale / f"{ASIA}.po"
        po = polib.pofile(str(path))
        for e in po:
            for start, text in table.items():
                if e.msgid.startswith(start):
                    e.msgstr = text
        po.save()
    r = l10n(project, "check", "-l", "ar", "-l", "fa", "--format", "json", "--select", "numbers")
    assert [f for f in json.loads(r.stdout)["findings"] if f["check"] == "numbers"] == []
    # and a wrong figure is still found, at its line
    path = project / "locales" / "ar" / f"{ASIA}.po"
    po = polib.pofile(str(path))
    for e in po:
        if e.msgid.startswith("Over 4,500"):
            e.msgstr = e.msgstr.replace("٤٬٥٠٠", "٤٬٠٠٠")
    po.save()
    r = l10n(project, "check", "-l", "ar", "--format", "json", "--select", "numbers", expect=1)
    assert [f["expected"] for f in json.loads(r.stdout)["findings"] if f["check"] == "numbers"] == ["4500"]


GLOSSARY = """term,type,ar,he,note
ILSTC,fixed,,,
NUS,fixed,,,
Chongqing,translate,تشونغتشينغ,צ'ונגצ'ינג,
Trade Corridor,translate,الممر التجاري,,
"""
PAGE = """<html><head><title>Trains</title></head><body><article><h1>Trains</h1>
<p>The ILSTC links Chongqing and the Trade Corridor.</p>
<p>NUS opened.</p></article></body></html>
"""


def _rtl_project(tmp_path, l10n):
    project = tmp_path / "rtl"
    (project / "source").mkdir(parents=True)
    (project / "source" / "a.html").write_text(PAGE, encoding="utf-8")
    (project / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    (project / "pyproject.toml").write_text(
        '[tool.l10n]\nlocales = ["ar", "he", "de"]\nglossary = "glossary.csv"\n')
    l10n(project, "update", "--all")
    return project


def _fill(project, locale, table):
    path = project / "locales" / locale / "a.po"
    po = polib.pofile(str(path))
    for e in po:
        if e.msgid in table:
            e.msgstr = table[e.msgid]
    po.save()


def _glossary_findings(project, l10n, locale, expect):
    r = l10n(project, "check", "-l", locale, "--format", "json",
             "--select", "glossary-fixed", "--select", "glossary-approved", expect=expect)
    return sorted((f["check"], f["expected"]) for f in json.loads(r.stdout)["findings"])


SENTENCE = "The ILSTC links Chongqing and the Trade Corridor."


@pytest.mark.parametrize("locale,msgstr", [
    # "and the ILSTC", "to Chongqing" (ل), "to the corridor" (ل + ال = لل)
    ("ar", "يربط والـILSTC لتشونغتشينغ وللممر التجاري."),
    ("ar", "يربط وILSTC بتشونغتشينغ وبالممر التجاري."),
    ("ar", f"يربط {LRI}ILSTC{PDI} تشونغتشينغ والممر التجاري."),
    # "in Chongqing" (ב), "and the ILSTC" written joined (וה) and with a maqaf
    ("he", "והILSTC מחבר בצ'ונגצ'ינג."),
    ("he", "ה־ILSTC מחבר וצ'ונגצ'ינג."),
])
def test_glossary_terms_joined_to_arabic_and_hebrew_proclitics_pass(tmp_path, l10n, locale, msgstr):
    project = _rtl_project(tmp_path, l10n)
    _fill(project, locale, {SENTENCE: msgstr})
    assert _glossary_findings(project, l10n, locale, 0) == []


@pytest.mark.parametrize("locale,table,missing", [
    ("ar", {SENTENCE: "يربط الممر تشونغ."}, [("glossary-approved", "الممر التجاري"),
                                           ("glossary-approved", "تشونغتشينغ"),
                                           ("glossary-fixed", "ILSTC ×1")]),
    ("ar", {"NUS opened.": "افتتحت NUSRI."}, [("glossary-fixed", "NUS ×1")]),   # another term
    ("ar", {SENTENCE: "يربط ILSTCx تشونغتشينغية والممر التجاري."},
     [("glossary-approved", "تشونغتشينغ"), ("glossary-fixed", "ILSTC ×1")]),
    ("de", {SENTENCE: "Der xILSTC verbindet Chongqing."}, [("glossary-fixed", "ILSTC ×1")]),
])
def test_glossary_terms_still_missing_in_rtl_text_fail(tmp_path, l10n, locale, table, missing):
    project = _rtl_project(tmp_path, l10n)
    _fill(project, locale, table)
    assert _glossary_findings(project, l10n, locale, 1) == missing


def test_locale_index_marks_a_title_that_fell_back_to_the_source():
    """An English title in the Arabic index is marked lang="en" dir="ltr", as the
    page marks its own fallback text; translated ones take the page's."""
    from l10n_tool.publish import site
    en, ar, ja = get_locale("en"), get_locale("ar"), get_locale("ja")
    titles = {"a": "Why trains?", "b": "Ports"}
    pages = [site.Version(ar, "a", "Why trains?"), site.Version(ar, "b", "الموانئ")]
    root = site.locale_index(ar, "Site", pages, [en, ar], en, "https://example.org/",
                             source_titles=titles)
    links = {a.text: (a.get("lang"), a.get("dir")) for a in root.iter("a") if a.get("hreflang") is None}
    assert links == {"Why trains?": ("en", "ltr"), "الموانئ": (None, None)}
    root = site.locale_index(ja, "Site", [site.Version(ja, "a", "Why trains?")], [en, ja], en,
                             "https://example.org/", source_titles=titles)
    assert [(a.get("lang"), a.get("dir")) for a in root.iter("a") if a.get("hreflang") is None] \
        == [("en", None)]


def test_the_published_arabic_index_marks_an_english_title(tmp_path, l10n):
    """Through publish: an untranslated page's title in the ar index is English."""
    from lxml import html as lxml_html
    project = _rtl_project(tmp_path, l10n)
    l10n(project, "publish", "--all", "--min-complete", "0")
    root = lxml_html.parse(str(project / "public" / "ar" / "index.html")).getroot()
    links = [a for a in root.iter("a") if a.get("href") == "a.html"]
    assert [(a.get("lang"), a.get("dir")) for a in links] == [("en", "ltr")]


OG_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Trains</title>
<meta property="og:locale" content="en_US">
<meta property="og:locale:alternate" content="ar_EG">
<meta property="og:locale:alternate" content="fr_FR">
<meta http-equiv="Content-Language" content="en">
</head><body><article><h1>Trains</h1><p>Trains left Chongqing.</p></article></body></html>
"""


def test_published_pages_say_their_language_in_open_graph_and_content_language(tmp_path, l10n):
    """Real news pages carry og:locale en_US (the language a shared card is shown
    in) and a Content-Language meta: the Arabic and Traditional Chinese versions
    say theirs; the source page keeps its own."""
    from lxml import html as lxml_html
    project = tmp_path / "og"
    (project / "source").mkdir(parents=True)
    (project / "source" / "a.html").write_text(OG_PAGE, encoding="utf-8")
    (project / "pyproject.toml").write_text(
        '[tool.l10n]\nlocales = ["ar", "zh_Hant"]\nbase_url = "https://news.example/"\n')
    l10n(project, "update", "--all")
    _fill(project, "ar", {"Trains": "القطارات", "Trains left Chongqing.": "غادرت القطارات تشونغتشينغ."})
    _fill(project, "zh_Hant", {"Trains": "火車", "Trains left Chongqing.": "火車從重慶出發。"})
    l10n(project, "publish", "--all")

    def metas(locale):
        doc = lxml_html.parse(str(project / "public" / locale / "a.html")).getroot()
        return ([m.get("content") for m in doc.iter("meta") if m.get("property") == "og:locale"],
                sorted(m.get("content") for m in doc.iter("meta")
                       if m.get("property") == "og:locale:alternate"),
                [m.get("content") for m in doc.iter("meta") if m.get("http-equiv")],
                (doc.get("lang"), doc.get("dir")))
    assert metas("ar") == (["ar_EG"], ["fr_FR"], ["ar"], ("ar", "rtl"))
    assert metas("zh_Hant") == (["zh_TW"], ["ar_EG", "fr_FR"], ["zh-Hant"], ("zh-Hant", "ltr"))
    assert metas("en") == (["en_US"], ["ar_EG", "fr_FR"], ["en"], ("en", "ltr"))


@pytest.mark.parametrize("locale,first,second,warned", [
    ("ar", "زار الوفد تشونغتشينغ.", "وصل إلى تشونغتشينغ ثم غادر.", False),
    ("ar", "زار الوفد تشونغتشينغ.", "وصل لتشونغتشينغ وغادر.", False),        # "to Chongqing"
    ("ar", "زار الوفد تشونغتشينغ.", "وصل وتشونغتشينغ وغادر.", False),        # "and Chongqing"
    ("he", "המשלחת ביקרה בצ'ונגצ'ינג.", "הרכבת יצאה מצ'ונגצ'ינג.", False),  # "in", "from"
    ("ar", "زار الوفد تشونغتشينغ.", "وصل إلى شونغكينغ وغادر.", True),      # two renderings
])
def test_glossary_consistency_sees_through_proclitics(tmp_path, l10n, locale, first, second, warned):
    project = tmp_path / "cons"
    (project / "source").mkdir(parents=True)
    (project / "source" / "a.html").write_text(
        "<html><body><article><h1>Visit</h1><p>The delegation visited Chongqing.</p>"
        "<p>It reached Chongqing and left.</p></article></body></html>", encoding="utf-8")
    (project / "glossary.csv").write_text("term,type,note\nChongqing,translate,\n", encoding="utf-8")
    (project / "pyproject.toml").write_text(
        f'[tool.l10n]\nlocales = ["{locale}"]\nglossary = "glossary.csv"\n')
    l10n(project, "update", "--all")
    _fill(project, locale, {"The delegation visited Chongqing.": first,
                            "It reached Chongqing and left.": second})
    r = l10n(project, "check", "-l", locale, "--format", "json", "--select", "glossary-consistency")
    found = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "glossary-consistency"]
    assert bool(found) == warned, found


DIR_PAGE = """<html lang="en" dir="ltr"><head><title>Trains</title></head><body>
<div class="wrap" dir="ltr" lang="en"><article dir="ltr"><h1 dir="ltr">Trains</h1>
<p dir="ltr">Trains left Chongqing. They came back.</p>
<pre dir="ltr"><code>x = 1</code></pre>
<p dir="ltr" lang="fr">Les trains sont partis.</p></article></div>
<div dir="ltr">""" + "<div>" * 1100 + "<p>Deep text.</p>" + "</div>" * 1100 + """</div>
</body></html>
"""


def test_source_ltr_dir_over_arabic_text_turns_rtl(tmp_path, l10n):
    """An English page's dir="ltr" wrappers would lay the Arabic translation out
    left to right; they turn rtl where Arabic text is, and stay where the text is
    code, French, or an English sentence that fell back (its own span)."""
    from lxml import html as lxml_html
    project = tmp_path / "dir"
    (project / "source").mkdir(parents=True)
    (project / "source" / "a.html").write_text(DIR_PAGE, encoding="utf-8")
    (project / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["ar", "ja"]\n')
    l10n(project, "update", "--all")
    for locale, table in {"ar": {"Trains": "القطارات", "Trains left Chongqing.": "غادرت القطارات."},
                          "ja": {"Trains": "列車", "Trains left Chongqing.": "列車が出発した。"}}.items():
        _fill(project, locale, table)
    l10n(project, "publish", "--all", expect=None)

    def dirs(locale):
        doc = lxml_html.parse(str(project / "public" / locale / "a.html")).getroot()
        return [(el.tag, el.get("dir")) for el in doc.iter() if el.get("dir") and
                el.tag not in ("a", "span", "html")]
    # the deep text is past extraction's depth: English, its wrapper stays ltr (and
    # the walk to find that out is no recursion)
    assert dirs("ar") == [("div", "rtl"), ("article", "rtl"), ("h1", "rtl"), ("p", "rtl"),
                          ("pre", "ltr"), ("p", "ltr"), ("div", "ltr")]
    assert dirs("ja") == [("div", "ltr"), ("article", "ltr"), ("h1", "ltr"), ("p", "ltr"),
                          ("pre", "ltr"), ("p", "ltr"), ("div", "ltr")]
    doc = lxml_html.parse(str(project / "public" / "ar" / "a.html")).getroot()
    span = next(s for s in doc.iter("span") if s.get("lang") == "en")
    assert (span.text, span.get("dir")) == ("They came back.", "ltr")
