"""Render findings for people (text), programs (json), GitHub and CI dashboards.

The JSON layout is a documented contract (``report.schema.json`` beside this
file, version 1); add fields, never rename or remove them.
"""

from __future__ import annotations

import json
from collections import defaultdict

from l10n_tool.checks.finding import visible
from l10n_tool.checks.runner import CheckRun

SCHEMA_VERSION = 1


def render(run: CheckRun, fmt: str, strict: bool = False) -> str:
    return FORMATS[fmt](run, strict)


def text(run: CheckRun, strict: bool = False) -> str:
    by_file = defaultdict(list)
    for f in run.findings:
        by_file[f.file].append(f)
    lines = []
    for path in sorted(by_file):
        lines.append(visible(path))
        for f in sorted(by_file[path], key=lambda f: (f.line or 0, f.check)):
            lines.append(f"  {f.line or 0:>5}  {f.severity:<7} {f.check:<20} {visible(f.message)}")
            if f.msgid:
                lines.append(f"         msgid: {f.msgid}")
            if f.severity != "info":
                lines.append(f"         expected: {visible(f.expected)}   found: {visible(f.found)}")
    lines.append(f"{len(run.files)} files, {run.entries} entries: {run.count('error')} errors, "
                 f"{run.count('warning')} warnings, {run.count('info')} info"
                 + (" (--strict: warnings fail)" if strict else "")
                 + (" — FAILED" if run.failed(strict) else " — OK"))
    return "\n".join(lines)


def as_json(run: CheckRun, strict: bool = False) -> str:
    return json.dumps({
        "version": SCHEMA_VERSION,
        "ok": not run.failed(strict),
        "summary": {"files": len(run.files), "entries": run.entries,
                    "errors": run.count("error"), "warnings": run.count("warning"),
                    "info": run.count("info")},
        "findings": [f.as_dict() for f in run.findings],
    }, ensure_ascii=False, indent=2)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(run: CheckRun, strict: bool = False) -> str:
    """One workflow command per finding: ::error file=…,line=…,title=…::message."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for f in run.findings:
        lvl = "error" if f.fails(strict) else level[f.severity]
        msg = f"{f.message} [{f.locale}] msgid: {f.msgid}" if f.msgid else f.message
        line = f",line={f.line}" if f.line else ""       # a folder or a whole file: no line
        out.append(f"::{lvl} file={_escape_prop(visible(f.file))}{line},"
                   f"title={_escape_prop(f.check)}::{_escape_data(visible(msg))}")
    return "\n".join(out)


def junit(run: CheckRun, strict: bool = False) -> str:
    """A testsuite per PO file, a testcase per finding (failures for errors).
    XML 1.0 cannot carry most control characters, so they are written as
    their codes: a report a CI server cannot parse reports nothing."""
    from xml.etree import ElementTree as ET   # here: every other format starts without it

    root = ET.Element("testsuites", name="l10n check")
    by_file = defaultdict(list)
    for f in run.findings:
        by_file[f.file].append(f)
    total = failures = 0
    for path in sorted(set(run.files) | set(by_file)):
        items = by_file.get(path, [])
        fails = [f for f in items if f.fails(strict)]
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(max(1, len(items))),
                              failures=str(len(fails)), errors="0", skipped="0")
        if not items:
            ET.SubElement(suite, "testcase", classname=path, name="all checks")
        for f in items:
            case = ET.SubElement(suite, "testcase", classname=f"{f.locale}.{f.check}",
                                 name=f"{path}:{f.line or 0} {f.check}", file=path,
                                 line=str(f.line or 0))
            body = f"{f.message}\nmsgid: {f.msgid}\nexpected: {f.expected}\nfound: {f.found}"
            if f.fails(strict):
                ET.SubElement(case, "failure", message=f.message, type=f.check).text = body
            else:
                ET.SubElement(case, "system-out").text = f"{f.severity}: {body}"
        total += max(1, len(items))
        failures += len(fails)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    for node in root.iter():
        node.attrib.update((k, visible(v)) for k, v in node.attrib.items())
        if node.text:
            node.text = visible(node.text)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


#: Report formats by name: a new one is a function above plus one line here;
#: ``l10n check --format`` offers exactly these.
FORMATS = {"text": text, "json": as_json, "github": github, "junit": junit}
