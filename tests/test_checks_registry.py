"""Issue 9: the check registry is the single source of truth.

`--list`, `--select`/`--ignore`, `[tool.l10n.check]` and every report read
the ids, severities and titles the checks declare, and README's recipe for a
new check (one module, one line in REGISTRY) works as written.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

import l10n_tool
from l10n_tool import checks
from l10n_tool.checks import settings as check_settings
from l10n_tool.errors import L10nError
from test_check import ASIA, edit, po_file

SCHEMA = json.loads((Path(l10n_tool.__file__).parent / "checks" / "report.schema.json").read_text())


def plant_number_and_placeholder(project):
    edit(po_file(project, "zh_Hans", ASIA), "Up to now, more than 4,500",
         lambda s: s.replace("，占全国总量的23%", ""))
    edit(po_file(project, "zh_Hans", ASIA), "<1>Shamshad Akhtar</1>", lambda s: s.replace("</1>", ""))


def failing(report) -> set[str]:
    return {f["check"] for f in report["findings"] if f["severity"] != "info"}


def test_registry_declares_unique_ids_severities_titles_and_docs():
    ids = [c.id for c in checks.REGISTRY]
    assert len(ids) == len(set(ids))
    for c in checks.REGISTRY:
        assert c.severity in ("error", "warning", "info") and c.title and "\n" not in c.title
        assert c.doc and c.scope in ("entry", "file", "locale", "project")


def test_list_prints_every_check(project, l10n):
    lines = l10n(project, "check", "--list").stdout.splitlines()
    assert len(lines) == len(checks.REGISTRY)
    for line, c in zip(lines, checks.REGISTRY):
        assert line.split(None, 2) == [c.id, c.severity, c.title]


def test_select_and_ignore(project, l10n):
    plant_number_and_placeholder(project)
    r = l10n(project, "check", "--all", "--format", "json", expect=1)
    assert failing(json.loads(r.stdout)) == {"numbers", "placeholders"}
    r = l10n(project, "check", "--all", "--format", "json", "--select", "numbers", expect=1)
    assert {f["check"] for f in json.loads(r.stdout)["findings"]} == {"numbers"}
    r = l10n(project, "check", "--all", "--format", "json", "--ignore", "numbers",
             "--ignore", "placeholders")
    assert failing(json.loads(r.stdout)) == set()


@pytest.mark.parametrize("option,typo,hint", [("--select", "numbrs", "numbers"),
                                               ("--ignore", "placeholder", "placeholders"),
                                               ("--select", "zzz", None)])
def test_unknown_check_id_is_one_line_exit_2(project, l10n, option, typo, hint):
    r = l10n(project, "check", "--all", option, typo, expect=2)
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"error: unknown check '{typo}'")
    assert (f"did you mean '{hint}'?" in r.stderr) if hint else "--list" in r.stderr


def add_to_pyproject(project: Path, toml: str) -> int:
    """Append a table; return the line number of its first line."""
    path = project / "pyproject.toml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + textwrap.dedent(toml), encoding="utf-8")
    return text.count("\n") + 1


def test_pyproject_overrides_severity_and_selection(project, l10n):
    plant_number_and_placeholder(project)
    add_to_pyproject(project, """\
        [tool.l10n.check]
        ignore = ["placeholders"]
        [tool.l10n.check.severity]
        numbers = "warning"
        """)
    r = l10n(project, "check", "--all", "--format", "json")
    report = json.loads(r.stdout)
    assert failing(report) == {"numbers"}
    assert {f["severity"] for f in report["findings"] if f["check"] == "numbers"} == {"warning"}
    l10n(project, "check", "--all", "--strict", expect=1)
    listed = dict(line.split()[:2] for line in l10n(project, "check", "--list").stdout.splitlines())
    assert listed["numbers"] == "warning" and listed["placeholders"] == "off"
    # the command line's --select replaces the configured selection
    r = l10n(project, "check", "--all", "--format", "json", "--select", "placeholders", expect=1)
    assert failing(json.loads(r.stdout)) == {"placeholders"}


def test_pyproject_unknown_id_names_its_line(project, l10n):
    first = add_to_pyproject(project, """\
        [tool.l10n.check]
        select = ["numbers",
                  "placeholdrs"]
        """)
    r = l10n(project, "check", "--all", expect=2)
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1
    assert f"pyproject.toml:{first + 2}: unknown check 'placeholdrs'; did you mean 'placeholders'?" \
        in r.stderr


@pytest.mark.parametrize("table,message", [
    ({"severity": {"numbers": "fatal"}}, "severity of numbers must be one of error, warning, info"),
    ({"severity": {"numbres": "info"}}, "unknown check 'numbres'; did you mean 'numbers'?"),
    ({"selct": ["numbers"]}, "unknown setting 'selct'"),
    ({"ignore": "numbers"}, "ignore in [tool.l10n.check] must be a list of check ids"),
])
def test_settings_parse_rejects(tmp_path, table, message):
    path = tmp_path / "pyproject.toml"
    with pytest.raises(L10nError) as exc:
        check_settings.parse(table, path)
    assert message in exc.value.message and exc.value.path == str(path)


PLUGIN = '''
"""``shouting``: a msgstr in capitals only, as README's recipe writes a check."""

from l10n_tool.checks.base import Check


def rule(ctx, entry):
    if entry.msgstr.isupper() and not entry.msgid.isupper():
        yield "normal case", entry.msgstr, "the translation shouts"


CHECK = Check("shouting", "error", "a msgstr in capitals only", rule, "entry", __doc__)
'''


def test_readme_recipe_new_check_module_plus_one_registry_line(project, l10n, tmp_path,
                                                                monkeypatch):
    (tmp_path / "plugin_checks").mkdir()
    (tmp_path / "plugin_checks" / "shouting.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "plugin_checks"))
    import shouting
    monkeypatch.setattr(checks, "REGISTRY", (*checks.REGISTRY, shouting.CHECK))
    monkeypatch.delitem(sys.modules, "shouting")

    line = edit(po_file(project, "de", ASIA), "Up to now", lambda s: s.upper())
    r = l10n(project, "check", "-l", "de", "--format", "json", expect=1)
    report = json.loads(r.stdout)
    jsonschema.validate(report, SCHEMA)
    mine = [(f["check"], f["severity"], f["line"]) for f in report["findings"]
            if f["check"] == "shouting"]
    assert mine == [("shouting", "error", line)]
    assert "a msgstr in capitals only" in l10n(project, "check", "--list").stdout
    r = l10n(project, "check", "-l", "de", "--format", "json", "--ignore", "shouting")
    assert not [f for f in json.loads(r.stdout)["findings"] if f["check"] == "shouting"]
