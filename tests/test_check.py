"""Issues 4, 9, 11: `l10n check` over copies of the real PO files, one planted violation
each; catalogs found in locales/; MT debris and markup-looking text."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import polib
import pytest

import l10n_tool
from conftest import REPO

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
MEDIA = "media-delegation-visits-sw-china-for-green-development-along-the-yangtze-river"
SCHEMA = json.loads((Path(l10n_tool.__file__).parent / "checks" / "report.schema.json").read_text())


def po_file(project: Path, locale: str, slug: str) -> Path:
    return project / "locales" / locale / f"{slug}.po"


def edit(path: Path, msgid_start: str, change) -> int:
    """Change one entry's msgstr through ``change(old) -> new``; return its msgid line."""
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid.startswith(msgid_start))
    new = change(entry.msgstr)
    assert new != entry.msgstr, "the plant must change something"
    entry.msgstr = new
    po.save(str(path))
    return msgid_line(path, entry.msgid)


def msgid_line(path: Path, msgid: str) -> int:
    """The line of the ``msgid`` keyword of the entry with this msgid."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for e in polib.pofile(str(path)):
        if e.msgid == msgid:
            i = max(0, e.linenum - 2)
            while not lines[i].startswith("msgid "):
                i += 1
            return i + 1
    raise AssertionError


def catalog_count(project: Path, locale: str = "*") -> int:
    """PO files in locales/ (the site-wide catalog too, once the project has one)."""
    return len([p for p in (project / "locales").glob(f"{locale}/*.po") if p.parent.name != "templates"])


def run_all_formats(l10n, project, *args):
    out = {}
    for fmt in ("text", "json", "github", "junit"):
        out[fmt] = l10n(project, "check", "--all", "--format", fmt, *args, expect=None)
    return out


def test_clean_sample_locales_pass(project, l10n):
    r = l10n(project, "check", "--all", "--format", "json")
    report = json.loads(r.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["ok"] and report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0
    # every PO file of the configured locales, the site-wide catalog included
    assert report["summary"]["files"] == catalog_count(project) >= 4
    assert "— OK" in l10n(project, "check", "--all").stdout


def test_repository_locales_pass():
    """The repository's own translations are clean (CI runs the same command)."""
    from click.testing import CliRunner
    from l10n_tool.cli import cli

    r = CliRunner().invoke(cli, ["-C", str(REPO), "check", "--all"])
    assert r.exit_code == 0, r.stdout


PLANTS = {
    "glossary-fixed": ("zh_Hans", ASIA, "He added that the New International Land-Sea Trade",
                       lambda s: s.replace("（ILSTC）", "")),
    "glossary-approved": ("zh_Hans", ASIA, "As a central city in Western China",
                          lambda s: s.replace("长江经济带", "长江经济区")),
    "placeholders": ("zh_Hans", ASIA, "<1>Shamshad Akhtar</1>", lambda s: s.replace("</1>", "")),
    "numbers": ("zh_Hans", ASIA, "Up to now, more than 4,500", lambda s: s.replace("，占全国总量的23%", "")),
    # the same sentence on a second page, translated a little differently
    "consistency": ("zh_Hans", MEDIA, "Up to now, more than 4,500", "repeat from ASIA"),
    "markup-text": ("zh_Hans", ASIA, "<1>Shamshad Akhtar</1>", lambda s: s.replace("</1>", "</1>X", 1)),
}


@pytest.mark.parametrize("check_id", sorted(PLANTS))
def test_each_planted_violation_is_found_in_every_format(project, l10n, check_id):
    locale, slug, start, change = PLANTS[check_id]
    path = po_file(project, locale, slug)
    if change == "repeat from ASIA":
        source = next(e for e in polib.pofile(str(po_file(project, locale, ASIA)))
                      if e.msgid.startswith(start))
        po = polib.pofile(str(path))
        po.append(polib.POEntry(msgid=source.msgid, msgstr=source.msgstr + " "))
        po.save(str(path))
        line = edit(path, start, lambda s: s.rstrip() + "  ")
    else:
        line = edit(path, start, change)
    rel = f"locales/{locale}/{slug}.po"
    out = run_all_formats(l10n, project)
    expected_exit = 0 if check_id == "consistency" else 1          # consistency is a warning
    assert {r.exit_code for r in out.values()} == {expected_exit}

    report = json.loads(out["json"].stdout)
    jsonschema.validate(report, SCHEMA)
    mine = [f for f in report["findings"] if f["check"] == check_id]
    assert [(f["file"], f["line"], f["locale"]) for f in mine] == [(rel, line, locale)]
    assert mine[0]["msgid"].startswith(start[:30]) and mine[0]["expected"] and mine[0]["found"]
    assert not [f for f in report["findings"] if f["severity"] != "info" and f is not mine[0]
                and f["check"] != check_id]

    text = out["text"].stdout
    block = text.split(rel + "\n", 1)[1]
    assert f"{line:>5}  {mine[0]['severity']:<7} {check_id}" in block

    level = "error" if mine[0]["severity"] == "error" else "warning"
    assert f"::{level} file={rel},line={line},title={check_id}::" in out["github"].stdout

    suites = ET.fromstring(out["junit"].stdout.encode())
    cases = [c for c in suites.iter("testcase") if c.get("classname") == f"{locale}.{check_id}"]
    assert [(c.get("file"), c.get("line")) for c in cases] == [(rel, str(line))]
    assert (cases[0].find("failure") is not None) == (level == "error")


def test_glossary_consistency_warns_when_no_approved_rendering(project, l10n):
    glossary = project / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "Liangjiang New Area,translate,两江新区,", "Liangjiang New Area,translate,,"), encoding="utf-8")
    r = l10n(project, "check", "-l", "zh_Hans", "--format", "json")
    assert not [f for f in json.loads(r.stdout)["findings"] if f["check"] == "glossary-consistency"]
    line = edit(po_file(project, "zh_Hans", MEDIA), "So far, almost 120 urban parks",
                lambda s: s.replace("两江新区", "两江开发区"))
    r = l10n(project, "check", "-l", "zh_Hans", "--format", "json")
    found = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "glossary-consistency"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert "most common: '两江新区'" in found[0]["message"]
    assert r.exit_code == 0
    assert (found[0]["file"], found[0]["line"]) == (f"locales/zh_Hans/{MEDIA}.po", line)
    assert (found[0]["expected"], found[0]["found"]) == ("两江新区", "目前，两江开发区已建成城市公园近120个。")
    assert l10n(project, "check", "-l", "zh_Hans", "--strict", expect=None).exit_code == 1


def test_glossary_file_problems_are_findings(project, l10n):
    glossary = project / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "TEU,translate,标准箱,,again\n",
                        encoding="utf-8")
    r = l10n(project, "check", "--all", "--format", "json", expect=1)
    found = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "glossary-file"]
    assert [(f["file"], f["line"]) for f in found] == [("glossary.csv", 26)]
    assert "duplicate term 'TEU'" in found[0]["message"]


def test_a_broken_glossary_row_with_glossary_file_off_stops_the_check(project, l10n):
    """The glossary checks skip a broken row; with glossary-file off nothing would
    say so, and a misspelt fixed term would never be enforced."""
    glossary = project / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "NUSRX,fixd,,,\n", encoding="utf-8")
    r = l10n(project, "check", "--all", "--ignore", "glossary-file", expect=2)
    assert r.stderr.startswith("error: glossary.csv:26: bad type 'fixd'") and r.stderr.count("\n") == 1
    # no check reads the glossary: nothing is skipped in silence
    l10n(project, "check", "--all", "--select", "placeholders")


def test_min_complete_turns_untranslated_into_errors(project, l10n):
    r = l10n(project, "check", "-l", "de", "--format", "json")
    info = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "untranslated"]
    assert {f["severity"] for f in info} == {"info"} and len(info) == 2
    r = l10n(project, "check", "-l", "de", "--min-complete", "80", "--format", "json", expect=1)
    errors = [f for f in json.loads(r.stdout)["findings"] if f["severity"] == "error"]
    assert {(f["check"], f["file"]) for f in errors} == {
        ("untranslated", f"locales/de/{ASIA}.po"), ("untranslated", f"locales/de/{MEDIA}.po")}


def test_german_number_formats(project, l10n):
    path = po_file(project, "de", ASIA)
    po = polib.pofile(str(path))
    assert "4.500" in next(e for e in po if e.msgid.startswith("Up to now")).msgstr
    r = l10n(project, "check", "-l", "de", "--format", "json")          # 4.500 == 4,500
    assert not [f for f in json.loads(r.stdout)["findings"] if f["check"] == "numbers"]
    line = edit(path, "Up to now", lambda s: s.replace(", das sind 23 % aller Züge", ""))
    r = l10n(project, "check", "-l", "de", "--format", "json", expect=1)
    found = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "numbers"]
    assert [(f["line"], f["expected"]) for f in found] == [(line, "23")]


@pytest.mark.parametrize("msgid,msgstr,ok", [
    ("RMB 160 billion", "1600亿元人民币", True),
    ("350,000 TEUs", "35万标准箱", True),
    ("the 2nd dialogue", "第二届对话", True),
    ("15.1 square meters", "15.1平方米", True),
    ("RMB 160 billion", "160亿元人民币", False),
    ("23% of the total", "占总量的", False),
])
def test_numbers_by_value_in_chinese(msgid, msgstr, ok):
    from l10n_tool.checks.numbers import rule
    from l10n_tool.locales import get_locale

    class Ctx:
        locale = get_locale("zh_Hans")
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    assert (list(rule(Ctx, entry)) == []) == ok


def test_github_annotations_one_per_finding(project, l10n):
    edit(po_file(project, "zh_Hans", ASIA), "<1>Shamshad Akhtar</1>",
         lambda s: s.replace("1800", "1900").replace("</1>", ""))
    out = run_all_formats(l10n, project)
    findings = json.loads(out["json"].stdout)["findings"]
    lines = out["github"].stdout.strip().splitlines()
    assert len(lines) == len(findings) >= 3
    assert all(l.startswith(("::error ", "::warning ", "::notice ")) for l in lines)


def test_fuzzy_drafts_are_checked_as_warnings(project, l10n):
    path = po_file(project, "zh_Hans", ASIA)
    edit(path, "<1>Shamshad Akhtar</1>", lambda s: s.replace("</1>", ""))
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid.startswith("<1>Shamshad Akhtar</1>"))
    entry.flags.append("fuzzy")
    po.save(str(path))
    r = l10n(project, "check", "-l", "zh_Hans", "--format", "json")
    found = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "placeholders"]
    assert [f["severity"] for f in found] == ["warning"]
    l10n(project, "check", "-l", "zh_Hans", "--strict", expect=1)


def test_undecodable_po_is_a_finding_and_exit_2_with_its_check_off(project, l10n):
    path = po_file(project, "zh_Hans", ASIA)
    data = path.read_bytes()
    cut = data.index(b'msgstr "', data.index(b"\n\n"))          # the first entry's msgstr
    path.write_bytes(data[:cut + 8] + b"\xff\xfe" + data[cut + 8:])
    line = data[:cut].count(b"\n") + 1
    r = l10n(project, "check", "--all", "--format", "json", expect=1)
    found = [(f["check"], f["file"], f["line"], f["found"])
             for f in json.loads(r.stdout)["findings"] if f["severity"] == "error"]
    assert found == [("po-syntax", f"locales/zh_Hans/{ASIA}.po", line, "not UTF-8")]
    r = l10n(project, "check", "--all", "--ignore", "po-syntax", expect=2)
    assert r.stderr == f"error: locales/zh_Hans/{ASIA}.po:{line}: not UTF-8\n"


# -- issue 9: catalogs are found in locales/, not through the source pages

def test_po_file_of_a_removed_page_is_still_checked_and_orphaned(project, l10n):
    line = edit(po_file(project, "zh_Hans", ASIA), "Up to now, more than 4,500",
                lambda s: s.replace("，占全国总量的23%", ""))
    (project / "source" / f"{ASIA}.html").unlink()
    r = l10n(project, "check", "--all", "--format", "json", expect=1)
    report = json.loads(r.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["summary"]["files"] == catalog_count(project)
    orphans = [(f["file"], f["severity"]) for f in report["findings"] if f["check"] == "orphaned"]
    assert orphans == [(f"locales/zh_Hans/{ASIA}.po", "warning"), (f"locales/de/{ASIA}.po", "warning")]
    numbers = [(f["file"], f["line"]) for f in report["findings"] if f["check"] == "numbers"]
    assert numbers == [(f"locales/zh_Hans/{ASIA}.po", line)]


def test_orphaned_alone_is_a_warning(project, l10n):
    (project / "source" / f"{MEDIA}.html").unlink()
    r = l10n(project, "check", "--all")
    assert "orphaned" in r.stdout and "— OK" in r.stdout
    l10n(project, "check", "--all", "--strict", expect=1)


def test_broken_source_page_does_not_stop_check(project, l10n):
    (project / "source" / f"{ASIA}.html").write_text("", encoding="utf-8")
    (project / "source" / "half-written.html").write_bytes(b"\x00\x01 not html")
    r = l10n(project, "check", "--all", "--format", "json")
    assert json.loads(r.stdout)["summary"]["files"] == catalog_count(project)


def test_site_catalog_is_checked(project, l10n):
    site = project / "locales" / "zh_Hans" / "_site.po"
    site.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: zh_Hans\\n"\n\n'
        '#. button\nmsgid "Read <1>more</1>"\nmsgstr "阅读<1>更多"\n', encoding="utf-8")
    r = l10n(project, "check", "-l", "zh_Hans", "--format", "json", expect=1)
    found = [(f["check"], f["file"], f["line"]) for f in json.loads(r.stdout)["findings"]
             if f["severity"] != "info"]
    assert found == [("placeholders", "locales/zh_Hans/_site.po", 7)]


def test_unconfigured_locale_folder_is_noted_and_checkable(project, l10n):
    import shutil
    shutil.copytree(project / "locales" / "de", project / "locales" / "fr")
    r = l10n(project, "check", "--all", "--format", "json")
    notes = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "unconfigured-locale"]
    assert [(f["file"], f["severity"]) for f in notes] == [("locales/fr", "info")]
    assert "-l fr" in notes[0]["message"]
    github = l10n(project, "check", "--all", "--format", "github").stdout
    assert "::notice file=locales/fr,title=unconfigured-locale::" in github      # no line 0
    r = l10n(project, "check", "-l", "fr", "--format", "json", expect=None)
    report = json.loads(r.stdout)            # German text under fr: numbers read the fr way
    assert report["summary"]["files"] == catalog_count(project, "fr")
    assert not [f for f in report["findings"] if f["check"] == "unconfigured-locale"]


def test_locale_without_catalogs_is_exit_2(project, l10n):
    r = l10n(project, "check", "-l", "fr", expect=2)
    assert r.stderr.startswith("error: locales/fr") and "l10n update -l fr" in r.stderr


# -- issue 11: MT token debris and markup-looking text

@pytest.mark.parametrize("msgid,msgstr,bad", [
    ("<1>Shamshad Akhtar</1>, former", "<1>Shamshad Akhtar</1>X, ex-subsecretário", True),
    ("<1>Yangtze River Economic Belt</1>, Chongqing", "<1>Cinturão</1>X, Chongqing", True),
    ("the Belt", "o X1X Cinturão", True),
    ("actively", "X2XValmente", True),
    ("the corridor", "o corredor X12X", True),
    ("the corridor", "o corredor X3 e", True),
    ("a <1>bold</1> move", "uma jogada X<1>ousada</1>", True),
    ("the corridor", "o corredor \ue001", True),
    ("the corridor", "o ⟦1⟧ corredor", True),
    ("bold", "<b>ousado</b>", True),
    ("line one", "linha um<br>", True),
    ("a link", '<a href="x">ligação</a>', True),
    ("R&D and trade", "P&amp;D e comércio", True),
    ("a space", "um&nbsp;espaço", True),
    ("it's", "é&#39;s", True),
    ("X-ray images", "imagens de raio X-ray", False),
    ("Xi Jinping said", "习近平说", False),
    ("Model X9 is here", "O Modelo X9 está aqui", False),
    ("Model <1>X9</1>", "Modelo <1>X9</1>", False),
    ("Generation X", "Geração X", False),
    ("the <1>Belt</1> and <2/>", "o <1>Cinturão</1> e <2/>", False),
    ("R&D, AT&T; and 3 < 4 > 2", "P&D, AT&T; e 3 < 4 > 2", False),
    ("Write &amp; for an ampersand", "Escreva &amp; para um e comercial", False),
    ("Tokens like X1X are internal", "Tokens como X1X são internos", False),
    ("Type <b> for bold", "Digite <b> para negrito", False),
    # invisible characters: bidi controls and zero-width ones the msgid lacks
    ("Price 100 USD", "Preço \u202e100 USD", True),
    ("Price 100 USD", "Preço \u202b100\u202c USD", True),
    ("the name", "o \u2067nome\u2069", True),
    ("the name", "o no\u200bme", True),
    ("the name", "o no\u2060me", True),
    ("the name", "\ufeffo nome", True),
    ("Type \u202e to reverse", "Digite \u202e para inverter", False),
    ("the year 2025", "\u0633\u0646\u0629 \u200f2025\u200f", False),      # RLM: an RTL translator's mark
    ("I want", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", False),  # Persian ZWNJ
])
def test_markup_text_rule(msgid, msgstr, bad):
    from l10n_tool.checks.markup_text import rule

    found = list(rule(None, polib.POEntry(msgid=msgid, msgstr=msgstr)))
    assert bool(found) == bad, found


@pytest.mark.parametrize("msgstr,bad", [
    ("\u064a\u0631\u0628\u0637 (\u2066ILSTC\u2069) \u0628\u0627\u0644\u0645\u062f\u064a\u0646\u0629", False),
    ("\u064a\u0631\u0628\u0637 \u2068ILSTC\u2069 \u0648\u2066NUSRI\u2069", False),
    ("\u064a\u0631\u0628\u0637 (\u2066ILSTC) \u0628\u0627\u0644\u0645\u062f\u064a\u0646\u0629", True),     # never closed
    ("\u064a\u0631\u0628\u0637 ILSTC\u2069", True),                                  # a PDI alone
    ("\u064a\u0631\u0628\u0637 \u202eILSTC\u202c", True),                           # an override
])
def test_paired_isolates_around_a_latin_term_pass_in_an_rtl_locale(msgstr, bad):
    """W3C's advice for a Latin name in Arabic text is an isolate pair; it cannot
    reorder anything outside it. Unpaired isolates and overrides still fail."""
    from l10n_tool.checks.markup_text import rule
    from l10n_tool.locales import get_locale

    class Ctx:
        locale = get_locale("ar")
    found = list(rule(Ctx, polib.POEntry(msgid="It links (ILSTC) with the city", msgstr=msgstr)))
    assert bool(found) == bad, found


def test_markup_text_in_drafts_is_a_warning_and_in_reviewed_an_error(project, l10n):
    path = po_file(project, "de", ASIA)
    po = polib.pofile(str(path))
    reviewed = next(e for e in po if e.msgstr and "fuzzy" not in e.flags)
    reviewed.msgstr += " &amp;"
    draft = next(e for e in po if not e.msgstr and not e.obsolete)
    draft.msgstr, draft.flags = draft.msgid + " X1X", ["fuzzy"]
    draft.tcomment = "mt: pseudo"
    po.save(str(path))
    r = l10n(project, "check", "-l", "de", "--format", "json", expect=1)
    found = sorted((f["severity"], f["found"]) for f in json.loads(r.stdout)["findings"]
                   if f["check"] == "markup-text")
    assert found == [("error", "&amp;"), ("warning", "X1X")]


def test_bidi_override_fails_reviewed_and_warns_in_drafts(project, l10n):
    """A right-to-left override pasted into a reviewed msgstr would be published
    and reverse what readers see; in an MT draft it is shown before review."""
    path = po_file(project, "de", ASIA)
    po = polib.pofile(str(path))
    reviewed = next(e for e in po if e.msgstr and "fuzzy" not in e.flags)
    reviewed.msgstr = "\u202e" + reviewed.msgstr
    draft = next(e for e in po if not e.msgstr and not e.obsolete)
    draft.msgstr, draft.flags = draft.msgid.replace(" ", "\u200b", 1), ["fuzzy"]
    po.save(str(path))
    r = l10n(project, "check", "-l", "de", "--format", "json", expect=1)
    found = sorted((f["severity"], f["found"]) for f in json.loads(r.stdout)["findings"]
                   if f["check"] == "markup-text")
    assert found == [("error", "U+202E"), ("warning", "U+200B")]
    assert "\u202e" not in l10n(project, "check", "-l", "de", expect=1).stdout


def test_zero_width_space_is_allowed_in_thai():
    from l10n_tool.checks.markup_text import rule
    from l10n_tool.locales import get_locale

    class Ctx:
        locale = get_locale("th")
    entry = polib.POEntry(msgid="Read more news", msgstr="\u0e2d\u0e48\u0e32\u0e19\u200b\u0e02\u0e48\u0e32\u0e27")
    assert list(rule(Ctx, entry)) == []
    entry.msgstr += "\u202e"
    assert [f[1] for f in rule(Ctx, entry)] == ["U+202E"]


# -- issue 14: a rerun reuses what did not change, and sees everything that did

def test_rerun_reuses_results_and_matches_a_fresh_check_after_every_change(project, l10n,
                                                                          monkeypatch):
    from l10n_tool import catalog

    reads = []
    real_load = catalog.load
    monkeypatch.setattr(catalog, "load", lambda path: reads.append(path) or real_load(path))

    def same_as_fresh(expect=None) -> dict:
        reads.clear()
        cached = l10n(project, "check", "--all", "--format", "json", expect=expect)
        fresh = l10n(project, "check", "--all", "--format", "json", "--no-cache", expect=expect)
        assert json.loads(cached.stdout) == json.loads(fresh.stdout)
        assert cached.exit_code == fresh.exit_code
        return json.loads(cached.stdout)

    first = same_as_fresh(0)
    assert (project / ".l10n-cache" / "state.sqlite").is_file()
    reads.clear()
    assert json.loads(l10n(project, "check", "--all", "--format", "json").stdout) == first
    assert reads == []                                   # nothing changed: no catalog read

    edit(po_file(project, "zh_Hans", ASIA), "Up to now, more than 4,500",
         lambda s: s.replace("，占全国总量的23%", ""))
    reads.clear()
    l10n(project, "check", "--all", "--format", "json", expect=1)
    assert reads == [po_file(project, "zh_Hans", ASIA)]     # only the edited catalog is read
    assert {f["check"] for f in same_as_fresh(1)["findings"] if f["severity"] == "error"} == {"numbers"}

    glossary = project / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "Liangjiang New Area,translate,两江新区,", "Liangjiang New Area,translate,两江开发区,"),
        encoding="utf-8")
    assert "glossary-approved" in {f["check"] for f in same_as_fresh(1)["findings"]}

    (project / "source" / f"{MEDIA}.html").unlink()
    assert "orphaned" in {f["check"] for f in same_as_fresh(1)["findings"]}
    report = same_as_fresh(None)
    for option in (["--select", "orphaned"], ["--min-complete", "90"], ["--ignore", "numbers"]):
        r = l10n(project, "check", "--all", "--format", "json", *option, expect=None)
        f = l10n(project, "check", "--all", "--format", "json", "--no-cache", *option, expect=None)
        assert json.loads(r.stdout) == json.loads(f.stdout) != report


@pytest.mark.parametrize("damage", ["cache folder is a file", "state is not a database"])
def test_unusable_cache_only_means_a_full_check(project, l10n, damage):
    fresh = l10n(project, "check", "--all", "--format", "json", "--no-cache").stdout
    if damage == "cache folder is a file":
        (project / ".l10n-cache").write_text("not a folder", encoding="utf-8")
    else:
        (project / ".l10n-cache").mkdir()
        (project / ".l10n-cache" / "state.sqlite").write_bytes(b"\x00garbage" * 100)
    r = l10n(project, "check", "--all", "--format", "json")
    assert r.stdout == fresh and not r.stderr


@pytest.mark.parametrize("spaced", [True, False])
def test_shared_renderings_shortcut_equals_candidate_set_intersection(spaced):
    """glossary-consistency's fast path must give exactly the verdict of the full
    sets, and the sets are every run of words the definition names."""
    from hypothesis import given, settings, strategies as st
    from l10n_tool.checks.glossary import MIN_RENDERING, _any_shared, _candidates, _words

    alphabet = "ab cd-'’,<1>两江新区开发" if not spaced else "abc d-'’,.<1>/ "
    texts = st.lists(st.text(alphabet=alphabet, max_size=30), min_size=2, max_size=5)

    def runs_of_words(words):     # the definition: every run of 1 to 4 words, long enough
        w = words.split()
        return {g for n in range(1, 5) for i in range(len(w) - n + 1)
                if len(g := " ".join(w[i:i + n])) >= MIN_RENDERING}

    @settings(max_examples=300, deadline=None)
    @given(texts)
    def same(items):
        words = [_words(t, spaced) for t in items]
        if spaced:
            assert [_candidates(w, spaced) for w in words] == [runs_of_words(w) for w in words]
        assert _any_shared(words, spaced) == bool(set.intersection(*(_candidates(w, spaced)
                                                                     for w in words)))
    same()


# -- issue 14 at newsroom scale: the check reads every catalog through pofile's entry pattern

#: Lines a PO file may hold, gettext's layout and everything around it: odd spacing, CRs,
#: escapes, previous msgids, obsolete and plural entries, comments in odd places, errors.
PO_LINES = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', "",
            "   ", "#", "# note", "#  two", "#. extracted", "#.x", "#: a.html:3 b.html",
            "#, fuzzy", "#,c-format, no-wrap", "#| msgid \"old\"", "#| \"more\"", "#|msgid\"x\"",
            "#~ msgid \"gone\"", "#~ msgstr \"weg\"", "#~ \"cont\"", "#~| msgid \"was\"", "#~",
            "#~msgid \"tight\"", "#x", 'msgctxt "menu"', 'msgid "a"', 'msgid "b\\"q\\" \\\\"',
            'msgstr "x\\303\\251"', 'msgstr "\\q"', '"line\\n"', '""', 'msgid_plural "as"',
            "msgstr[0] \"eins\"", "msgstr[1] \"zwei\"", "msgstr[ 1] \"?\"", "msgid  \"sp\"  ",
            'msgid\t"tab"', '  msgstr "indent"', 'msgstr "open', "msgstr \"cr\"\r", "garbage",
            "#~ msgstr[0] \"x\"", "#~ msgid_plural \"y\""]


def test_entry_pattern_reads_what_the_line_reader_reads():
    """The entry pattern takes only gettext's layout, and gives exactly the
    entries the line-by-line reader gives (which also names the line of any
    error); every other file is left to that reader."""
    from hypothesis import given, settings, strategies as st
    from l10n_tool.catalog import pofile
    from l10n_tool.errors import L10nError

    fields = ("tcomment", "comment", "occurrences", "flags", "prev", "fields", "plural",
              "obsolete", "line")
    entry = st.lists(st.sampled_from(PO_LINES), max_size=6).map("\n".join)
    ordinary = st.sampled_from(['#. c\n#: p.html:1\nmsgid "a"\nmsgstr "b"\n',
                                '#, fuzzy\n#| msgid "o"\nmsgid "c"\nmsgstr ""\n"d\\n"\n"e"\n',
                                'msgctxt "m"\nmsgid "a"\nmsgid_plural "s"\nmsgstr[0] "x"\n'
                                'msgstr[1] "y"\n', '#~ msgid "z"\n#~ msgstr "w"\n#~ "v"\n'])
    # gettext-shaped entries with any text: escapes, quotes, Unicode line breaks
    piece = st.text(alphabet='ab "\\#~|:,.\u2028\x85\x1c\t', max_size=8).map(
        lambda t: t.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")) | \
        st.sampled_from(["\\n", "\\303\\251", "\\x41", "\\1", "\\n", "\\q"])
    string = st.lists(st.lists(piece, max_size=3).map(lambda p: '"' + "".join(p) + '"'),
                      min_size=1, max_size=3)

    def shaped(comments, prefix, ctx, msgid, msgstr, plural):
        def keyword(name, lines):
            return [prefix + name + " " + lines[0]] + [prefix + line for line in lines[1:]]
        out = list(comments) + (keyword("msgctxt", ctx) if ctx else []) + keyword("msgid", msgid)
        if plural:
            out += keyword("msgid_plural", plural[0])
            out += [line for n, form in enumerate(plural[1:]) for line in keyword(f"msgstr[{n}]", form)]
        else:
            out += keyword("msgstr", msgstr)
        return "\n".join(out) + "\n"
    comment = st.sampled_from([line for line in PO_LINES if line.startswith("#")
                               and not line.startswith(("#~ ", "#~m", '#| "'))])
    gettext = st.builds(shaped, st.lists(comment, max_size=4), st.sampled_from(["", "#~ "]),
                        st.none() | string, string, string, st.none() | st.lists(string, max_size=3))
    texts = st.lists(st.one_of(ordinary, entry, gettext), max_size=8).map("\n".join) | \
        st.lists(st.one_of(ordinary, gettext), max_size=8).map("\n".join)

    @settings(max_examples=1500, deadline=None)
    @given(texts, st.booleans())
    def same(text, newline):
        text += "\n" if newline else ""
        try:
            lines = pofile._read_lines(text)
        except L10nError as exc:
            lines = exc
        fast = pofile._read_entries(text) if "\r" not in text else None
        if fast is not None:
            assert not isinstance(lines, L10nError), (text, lines)
            assert [[getattr(d, f) for f in fields] for d in fast] == \
                [[getattr(d, f) for f in fields] for d in lines]
    same()


PARKS = "So far, almost 120 urban parks"


def test_text_repeated_on_many_pages_is_reported_on_each_as_a_fresh_check_does(project, l10n):
    """Entries that recur on page after page are checked once per locale; every
    copy is still reported at its own file and line, a draft copy as a draft,
    and a rerun after one page changed reports what a --no-cache check does."""
    glossary = project / "glossary.csv"        # a term with no approved rendering yet
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "Liangjiang New Area,translate,两江新区,", "Liangjiang New Area,translate,,"), encoding="utf-8")
    original = po_file(project, "zh_Hans", MEDIA)
    edit(original, PARKS, lambda s: s.replace("120", "12"))
    copies = []
    for n in range(4):
        slug = f"copy-{n}"
        (project / "source" / f"{slug}.html").write_bytes((project / "source" / f"{MEDIA}.html").read_bytes())
        copy = polib.pofile(str(original))
        if n == 1:      # the same entries further down the file
            copy.insert(0, polib.POEntry(msgid="A line of its own", msgstr="独有的一行"))
        if n == 2:      # the violation as an unreviewed draft
            next(e for e in copy if e.msgid.startswith(PARKS)).flags.append("fuzzy")
        if n == 3:      # another rendering of the term
            entry = next(e for e in copy if e.msgid.startswith("Overseas Chinese media"))
            entry.msgstr = entry.msgstr.replace("两江新区", "两江开发区")
        copy.save(str(po_file(project, "zh_Hans", slug)))
        copies.append(slug)

    def report(*args):
        r = l10n(project, "check", "-l", "zh_Hans", "--format", "json", *args, expect=None)
        return r.exit_code, json.loads(r.stdout)

    code, fresh = report("--no-cache")
    numbers = {(f["file"], f["severity"], f["line"]) for f in fresh["findings"]
               if f["check"] == "numbers"}
    parks = next(e.msgid for e in polib.pofile(str(original)) if e.msgid.startswith(PARKS))
    lines = {slug: msgid_line(po_file(project, "zh_Hans", slug), parks) for slug in [MEDIA, *copies]}
    assert numbers == {(f"locales/zh_Hans/{slug}.po", "warning" if slug == "copy-2" else "error",
                        lines[slug]) for slug in lines}
    assert lines["copy-1"] != lines[MEDIA]
    assert [f["file"] for f in fresh["findings"] if f["check"] == "glossary-consistency"] == \
        ["locales/zh_Hans/copy-3.po"]
    assert (code, fresh) == report()                         # fills the memo
    assert (code, fresh) == report()                         # all of it remembered
    edit(po_file(project, "zh_Hans", "copy-0"), PARKS, lambda s: s.replace("12", "120"))
    code, fresh = report("--no-cache")
    assert (code, fresh) == report()
    assert "locales/zh_Hans/copy-0.po" not in {f["file"] for f in fresh["findings"]
                                              if f["check"] == "numbers"}


def test_every_summary_is_plain_json_data(project):
    """A remembered summary comes back through JSON: a fresh one must already be
    exactly that (lists, not tuples), or a rerun could see other data."""
    from l10n_tool import catalog, checks
    from l10n_tool.checks.finding import CatalogFile, Context
    from l10n_tool.glossary import parse
    from l10n_tool.locales import get_locale

    path = project / "glossary.csv"        # a term with no approved rendering yet
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Liangjiang New Area,translate,两江新区,", "Liangjiang New Area,translate,,"), encoding="utf-8")
    glossary, _ = parse(path)
    seen = set()
    for locale in ("zh_Hans", "de"):
        files = [CatalogFile(p.name, catalog.load(p), p.stem)
                 for p in sorted((project / "locales" / locale).glob("*.po"))]
        ctx = Context(get_locale(locale), files, glossary)
        for check in checks.REGISTRY:
            if check.summary is not None:
                for f in files:
                    summary = check.summary(ctx, f)
                    assert json.loads(json.dumps(summary)) == summary, check.id
                    seen.update([check.id] if summary else [])
    assert seen == {c.id for c in checks.REGISTRY if c.summary is not None}


def test_shortcuts_of_the_entry_checks_give_the_full_verdicts():
    """numbers tries the msgstr read the msgid's way before the locale's notations,
    and reads a run of bare digits without grouping it; placeholders compares
    token sequences before the placeholders themselves: each verdict must be
    exactly the one of the full computation."""
    from decimal import Decimal
    from hypothesis import given, settings, strategies as st
    from l10n_tool import markup
    from l10n_tool.checks import numbers, placeholders
    from l10n_tool.locales import get_locale

    class Ctx:
        locale = get_locale("de")

    def full_numbers(msgid, msgstr):
        wanted = numbers.source_values(msgid)
        have = numbers.target_values(msgstr, Ctx.locale) if wanted else set()
        return [values for values in wanted if not {v.normalize() for v in values} & have]

    pieces = ["1", "2", "0", "12", "1.5", "4,500", "4.500", "20 000", " ", ".", ",", "'", "’",
              "\u00a0", "<1>", "</1>", "<2/>", "</2>", "\\<1>", "\\", "<", " Mio", " billion",
              " tausend", "x", "A380"]
    text = st.lists(st.sampled_from(pieces), max_size=10).map("".join)

    @settings(max_examples=1500, deadline=None)
    @given(text, text)
    def same(msgid, msgstr):
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
        got = list(numbers.rule(Ctx, entry))
        assert [e for e, _, _ in got] == [format(min(v), "f") for v in full_numbers(msgid, msgstr)]
        why = markup.compare(msgid, msgstr) if "<" in msgid + msgstr else None
        assert [w for _, _, w in placeholders.rule(Ctx, entry)] == ([why] if why else [])
        for run in numbers.NUMBER_RUN.finditer(msgstr):
            if run.group().isdigit():
                assert numbers._run_values(msgstr, run, ".", ",", "de") == [
                    Decimal(run.group()).scaleb(numbers._scale_after(msgstr, run.end(), "de"))]
    same()


def test_a_hidden_file_or_a_folder_named_like_a_page_is_no_page_to_check_against(project, l10n):
    """The pages check sees are the pages every step sees: the PO file of a page
    that only survives as a hidden draft or a folder is orphaned."""
    src = project / "source"
    (src / "another.html").write_text("<html><body><p>Another page.</p></body></html>")
    (src / f"{ASIA}.html").rename(src / f".{ASIA}.html")
    (src / f"{MEDIA}.html").rename(project / "kept.tmp")
    (src / f"{MEDIA}.html").mkdir()
    r = l10n(project, "check", "--all", "--format", "json", expect=None)
    orphans = sorted(f["file"] for f in json.loads(r.stdout)["findings"] if f["check"] == "orphaned")
    assert orphans == sorted(f"locales/{loc}/{slug}.po" for loc in ("de", "zh_Hans")
                             for slug in (ASIA, MEDIA))


def test_a_report_written_to_a_pipe_is_written_to_it(project, l10n, tmp_path):
    """`-o >(gzip)` or a named pipe: written to as it is, never read first (that
    hung) and never renamed over (as root, -o /dev/null replaced /dev/null)."""
    import threading
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    l10n(project, "check", "--all", "--format", "json", "-o", str(fifo), expect=None)
    reader.join(timeout=30)
    assert got and json.loads(got[0])["summary"]["files"] == catalog_count(project)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
