"""Issues 12 and 13: typed settings, one-line errors, locale aliases, a named glossary."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from l10n_tool.config import load_settings

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"


def set_settings(project: Path, text: str) -> int:
    """Append ``text`` to the project's [tool.l10n] area; returns the line of its last line."""
    path = project / "pyproject.toml"
    body = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text.strip("\n") + "\n"
    path.write_text(body, encoding="utf-8")
    return body.count("\n")


def one_error_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r
    assert "Traceback" not in r.stderr + r.stdout
    return lines[0]


def replace_setting(project: Path, old: str, new: str) -> int:
    path = project / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1 + new.rstrip("\n").count("\n")


# --------------------------------------------------------------------------- typed settings

WRONG_TYPES = [
    ('locales = ["zh_Hans", "de"]', 'locales = "de"', "locales must be a list"),
    ('locales = ["zh_Hans", "de"]', "locales = [1, 2]", "locales must be a list of strings"),
    ('source_dir = "source"', "source_dir = 3", "source_dir must be a string"),
    ('source_locale = "en"', "source_locale = true", "source_locale must be a string"),
    ('locales_dir = "locales"', "locales_dir = []", "locales_dir must be a string"),
    ('glossary = "glossary.csv"', "glossary = false", "glossary must be a string"),
    ('output_dir = "public"', "output_dir = {x = 1}", "output_dir must be a string"),
    ('cache_dir = ".l10n-cache"', "cache_dir = 1.5", "cache_dir must be a string"),
    ('site_name = "iChongqing"', "site_name = 2026", "site_name must be a string"),
    ('site_name = "iChongqing"', 'segment = "words"', "segment must be one of 'sentences', 'paragraphs'"),
    ('site_name = "iChongqing"', "base_url = 8000", "base_url must be a string"),
    ('site_name = "iChongqing"', 'po_wrap = "79"', "po_wrap must be a width"),
    ('site_name = "iChongqing"', "po_wrap = -3", "po_wrap must be at least 0"),
    ("include_fuzzy = false", 'include_fuzzy = "false"', "include_fuzzy must be true or false"),
    ("min_complete = 0\n", 'min_complete = "80"\n', "min_complete must be a number"),
    ("min_complete = 0\n", "min_complete = 120\n", "min_complete must be between 0 and 100"),
    ("required = []", 'required = "title"', "required must be a list"),
    ('site_name = "iChongqing"', "mt = 3", "mt must be a table"),
    ("min_complete = 0\n", "min_complete = nan\n", "min_complete must be between 0 and 100"),
    ('site_name = "iChongqing"', 'base_url = "not a url"', "base_url must be an http(s) URL"),
    ('locales_dir = "locales"', 'locales_dir = "source"', "locales_dir and source_dir must be separate"),
    ('locales_dir = "locales"', 'locales_dir = "source/po"', "locales_dir and source_dir must be separate"),
    ('required = ["title", "headline", "lead"]', 'required = ["titel"]',
     "required: unknown unit kind(s) titel; did you mean 'title'?"),
]


@pytest.mark.parametrize("old,new,message", WRONG_TYPES)
def test_wrong_setting_is_one_line_error_at_its_line(bare_project, l10n, old, new, message):
    line = replace_setting(bare_project, old, new)
    r = l10n(bare_project, "status", expect=2)
    error = one_error_line(r)
    assert f"pyproject.toml:{line}: {message}" in error, error
    assert not (bare_project / "locales").exists()


def test_string_false_is_not_true(bare_project, l10n):
    """The bug behind unreviewed MT going live: "false" is a non-empty string."""
    replace_setting(bare_project, "include_fuzzy = false", 'include_fuzzy = "false"')
    error = one_error_line(l10n(bare_project, "publish", "--all", expect=2))
    assert "write false without quotes" in error
    assert not (bare_project / "public").exists()


def test_locales_string_names_the_fix_not_a_letter(bare_project, l10n):
    replace_setting(bare_project, 'locales = ["zh_Hans", "de"]', 'locales = "de"')
    error = one_error_line(l10n(bare_project, "update", expect=2))
    assert "unknown locale 'd'" not in error
    assert 'locales = ["de"]' in error


@pytest.mark.parametrize("text,where,suggestion", [
    ('lcoales = ["de"]', "[tool.l10n]", "did you mean 'locales'?"),
    ("[tool.l10n.publish.de]\nmin_complet = 80", "[tool.l10n.publish.de]", "did you mean 'min_complete'?"),
])
def test_unknown_key_suggests_the_close_match(bare_project, l10n, text, where, suggestion):
    path = bare_project / "pyproject.toml"
    if text.startswith("[tool.l10n.publish.de]"):
        line = replace_setting(bare_project, "[tool.l10n.publish.de]\nmin_complete = 80", text)
    else:
        line = replace_setting(bare_project, 'site_name = "iChongqing"',
                               'site_name = "iChongqing"\n' + text)
    error = one_error_line(l10n(bare_project, "status", expect=2))
    assert f"pyproject.toml:{line}: unknown setting" in error and where in error
    assert suggestion in error, path.read_text()


def test_sub_tables_are_kept_for_their_owners(bare_project):
    set_settings(bare_project, """
[tool.l10n.check]
disable = ["consistency"]

[tool.l10n.mt]
engine = "pseudo"

[tool.l10n.mt.argos]
beam = 4
""")
    replace_setting(bare_project, 'site_name = "iChongqing"', 'site_name = "iChongqing"\npo_wrap = 0')
    s = load_settings(bare_project)
    assert s.check == {"disable": ["consistency"]}
    assert s.mt == {"engine": "pseudo", "argos": {"beam": 4}}
    assert s.po_wrap == 0
    assert s.policy("zh_Hans").required == ("title", "headline", "lead")
    assert s.policy("de").min_complete == 80 and s.policy("fr") == s.default_policy


def test_po_wrap_defaults_to_msgcat_width(bare_project):
    assert load_settings(bare_project).po_wrap == 79


# --------------------------------------------------------------------------- outside a project

def test_outside_a_project_is_one_clear_line(tmp_path, l10n):
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in (("status",), ("update", "-l", "de"), ("check", "--all")):
        error = one_error_line(l10n(empty, *args, expect=2))
        assert error == f"error: no pyproject.toml with [tool.l10n] in {empty.resolve()}"
    (empty / "pyproject.toml").write_text('[project]\nname = "x"\n')
    error = one_error_line(l10n(empty, "extract", expect=2))
    assert "no pyproject.toml with [tool.l10n]" in error


def test_commands_that_need_no_project_work_anywhere(tmp_path, l10n):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no packages installed" in l10n(empty, "models", "list").stdout
    assert "Usage" in l10n(empty, "--help").stdout
    assert "Usage" in l10n(empty, "update", "--help").stdout
    assert "l10n" in l10n(empty, "--version").stdout


# --------------------------------------------------------------------------- glossary and paths

def test_named_glossary_that_is_missing_stops_the_gate(project, l10n):
    (project / "glossary.csv").unlink()
    for args in (("check", "--all"), ("translate", "-l", "de", "--engine", "pseudo"),
                 ("update", "-l", "de")):
        error = one_error_line(l10n(project, *args, expect=2))
        assert "glossary.csv: glossary not found" in error


def test_glossary_option_naming_a_missing_file_is_an_error(project, l10n):
    error = one_error_line(l10n(project, "--glossary", "terms.csv", "check", "--all", expect=2))
    assert "terms.csv: glossary not found" in error


def test_glossary_that_is_a_folder(project, l10n):
    (project / "glossary.csv").unlink()
    (project / "glossary.csv").mkdir()
    error = one_error_line(l10n(project, "check", "--all", expect=2))
    assert "glossary.csv: glossary is a folder" in error


def test_project_without_any_glossary_setting_needs_none(bare_project, l10n):
    replace_setting(bare_project, 'glossary = "glossary.csv"\n', "")
    (bare_project / "glossary.csv").unlink()
    l10n(bare_project, "update", "-l", "de")


def test_po_path_that_is_a_folder(project, l10n):
    po = project / "locales" / "de" / f"{ASIA}.po"
    po.unlink()
    po.mkdir()
    error = one_error_line(l10n(project, "update", "-l", "de", expect=2))
    assert f"locales/de/{ASIA}.po" in error


# --------------------------------------------------------------------------- locale aliases

@pytest.mark.parametrize("given,folder", [("zh_CN", "zh_Hans"), ("zh-TW", "zh_Hant")])
def test_locale_alias_resolves_with_a_note(bare_project, l10n, given, folder):
    r = l10n(bare_project, "update", "-l", given)
    assert f"note: locale {given} is {folder}; using locales/{folder}/" in r.stderr
    assert sorted(p.name for p in (bare_project / "locales").iterdir()) == sorted([folder, "templates"])


def test_plain_and_regional_locales_stay_as_written(bare_project, l10n):
    r = l10n(bare_project, "update", "-l", "pt", "-l", "pt_BR")
    assert "note:" not in r.stderr
    assert sorted(p.name for p in (bare_project / "locales").iterdir()) == ["pt", "pt_BR", "templates"]


def test_alias_in_settings_is_noted(bare_project, l10n):
    replace_setting(bare_project, 'locales = ["zh_Hans", "de"]', 'locales = ["zh_CN", "de"]')
    r = l10n(bare_project, "update")
    assert "locale 'zh_CN' is zh_Hans" in r.stderr
    assert (bare_project / "locales" / "zh_Hans").is_dir()
    assert not (bare_project / "locales" / "zh_Hans_CN").exists()


# --------------------------------------------------------------------------- the error boundary

def test_ctrl_c_during_start_up_is_one_line_and_exit_130(bare_project, l10n, monkeypatch):
    import l10n_tool.cli as cli_mod

    def interrupted(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli_mod, "load_settings", interrupted)
    r = l10n(bare_project, "status", expect=130)
    assert one_error_line(r) == "error: interrupted"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_os_errors_on_write_are_one_line(project, l10n, monkeypatch, code):
    """A fault-injecting layer: the final rename of every atomic write fails."""
    real = os.replace

    def failing(src, dst, *a, **k):
        if str(dst).endswith((".po", ".pot", ".html", ".txt")):
            raise OSError(code, os.strerror(code), str(dst))
        return real(src, dst, *a, **k)
    po = project / "locales" / "de" / f"{ASIA}.po"
    po.write_text(po.read_text(encoding="utf-8").replace("msgstr", "msgstr", 1))
    before = {p: p.read_bytes() for p in project.rglob("*.po")}
    (project / "source" / f"{ASIA}.html").write_text(
        (project / "source" / f"{ASIA}.html").read_text(encoding="utf-8").replace(
            "</body>", "<p>A sentence added for this test.</p></body>"), encoding="utf-8")
    monkeypatch.setattr(os, "replace", failing)
    for args in (("update", "-l", "de"), ("check", "--all", "-o", str(project / "report.txt"))):
        error = one_error_line(l10n(project, *args, expect=2))
        assert os.strerror(code) in error
    assert {p: p.read_bytes() for p in project.rglob("*.po")} == before
    assert not list(project.rglob("*.tmp"))


@pytest.mark.parametrize("exc,expected", [
    (lambda: __import__("sqlite3").OperationalError("database is locked"),
     "error: .l10n-cache: database error: database is locked"),
    (lambda: b"caf\xe9!".decode("utf-8"), "error: not valid utf-8: invalid continuation byte"),
    (lambda: IsADirectoryError(errno.EISDIR, "Is a directory", "locales/de/x.po"),
     "error: locales/de/x.po: Is a directory"),
])
def test_error_boundary_turns_library_failures_into_one_line(project, l10n, monkeypatch, exc,
                                                             expected):
    import l10n_tool.steps.status as status_step

    def failing(*a, **k):
        made = exc()
        raise made
    monkeypatch.setattr(status_step, "status", failing)      # what `l10n status` calls
    error = one_error_line(l10n(project, "status", expect=2))
    assert error.startswith(expected), error


def test_settings_know_each_keys_line_for_sub_table_owners(bare_project):
    line = set_settings(bare_project, "[tool.l10n.mt.argos]\nbeam = 4")
    s = load_settings(bare_project)
    assert s.line("tool", "l10n", "mt", "argos", "beam") == line
    assert s.line("tool", "l10n", "mt", "argos") == line - 1
    assert s.line("tool", "l10n", "mt", "argos", "threads") == line - 1   # not written: its table


def test_extract_table_errors_get_a_line(bare_project, l10n):
    line = set_settings(bare_project, '[tool.l10n.extract]\nexclude = ["nav"]\nincldue = ["aside"]')
    error = one_error_line(l10n(bare_project, "extract", expect=2))
    assert f"pyproject.toml:{line}:" in error and "incldue" in error


def test_a_bug_is_still_one_line_pointing_at_it(project, l10n, monkeypatch):
    import l10n_tool.steps.status as status_step

    def buggy(*a, **k):
        raise RuntimeError("generator raised StopIteration\nsecond line")
    monkeypatch.setattr(status_step, "status", buggy)
    error = one_error_line(l10n(project, "status", expect=2))
    assert error.startswith("error: internal error at l10n_tool/cli.py:")
    assert "RuntimeError: generator raised StopIteration (a bug in l10n_tool" in error
    monkeypatch.setenv("L10N_TRACEBACK", "1")
    with pytest.raises(RuntimeError):
        l10n(project, "status")


@pytest.mark.parametrize("setting,long_lines", [("", False), ("po_wrap = 0", True),
                                                ('po_wrap = "keep"', False)])
def test_po_wrap_reaches_the_catalog_writer(bare_project, l10n, setting, long_lines):
    replace_setting(bare_project, 'site_name = "iChongqing"', f'site_name = "iChongqing"\n{setting}')
    l10n(bare_project, "update", "-l", "de")
    text = (bare_project / "locales" / "de" / f"{ASIA}.po").read_text(encoding="utf-8")
    strings = [line for line in text.splitlines() if line.startswith(("msg", '"'))]
    assert any(len(line) > 79 for line in strings) == long_lines


def test_a_policy_for_a_locale_not_published_is_noted(bare_project, l10n):
    set_settings(bare_project, "[tool.l10n.publish.fr]\nmin_complete = 50\n")
    r = l10n(bare_project, "status")
    assert "[tool.l10n.publish.fr] is for a locale not in `locales`" in r.stderr + r.stdout


def test_a_locale_column_twice_in_the_glossary(project, l10n):
    path = project / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("de,", "de,de,")
    path.write_text("\n".join(l.replace(",,", ",,,", 1) if i else l
                              for i, l in enumerate(lines)) + "\n", encoding="utf-8")
    r = l10n(project, "check", "--all", expect=1)
    assert "locale column 'de' appears twice" in r.stdout and "glossary-file" in r.stdout


def test_locales_named_by_file_are_what_babel_makes_of_them(monkeypatch):
    """get_locale takes de or pt_BR by the name of Babel's data file, without
    loading Babel; every such name must give what Babel's own parse gives."""
    from l10n_tool import locales
    names = [p.stem for p in Path(locales._babel_data("locale-data")).glob("*.dat")
             if locales._PLAIN.fullmatch(p.stem) and p.stem.lower() not in locales.NOT_LANGUAGES]
    assert len(names) > 300                       # CLDR's languages and regions, found
    for name in names:
        fast = locales.get_locale(name)
        slow = locales._from_babel(name, name, None, None)
        assert (fast, fast.alias_of) == (slow, slow.alias_of), name
        assert fast.og_locale == slow.og_locale, name
    # no Babel folder found (a zipped install): Babel itself is asked, not the cwd
    monkeypatch.setattr(locales, "_babel_dir", lambda: None)
    assert locales._babel_data_version() == __import__("babel").__version__
    assert locales.get_locale.__wrapped__("pt_BR").bcp47 == "pt-BR"
