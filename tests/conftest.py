"""Shared fixtures: project copies, the CLI, msgfmt and a tiny Argos model."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings


from l10n_tool.cli import cli

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))

# CI draws the same examples on every run, so a red build is always reproducible
# and never depends on the draw; a local run explores fresh ones each time.
settings.register_profile("ci", derandomize=True, print_blob=True)


@pytest.fixture(params=["fresh files", "old files"])
def racy_window(request, monkeypatch, tmp_path):
    """Runs a test twice. "fresh files": as a test makes them, every file
    changed within the racy window (2 s) of the run that looks at it, so each
    run hashes their content again. "old files": as a newsroom's are,
    changed long before a run looks (a window of 50 ms, still far above a
    file system's timestamp tick), so runs trust what their stats say (the
    build state's stat rows) and take their shortcuts."""
    if request.param == "old files":
        if not fine_timestamps(tmp_path):
            pytest.skip("this file system's timestamps are too coarse for a 50 ms window")
        from l10n_tool import buildstate
        monkeypatch.setattr(buildstate, "_RACY_NS", 50 * 10**6)
    return request.param


def fine_timestamps(folder: Path) -> bool:
    """Whether the file system stamps files finer than a millisecond (ext4,
    xfs, btrfs, tmpfs): a window of 50 ms is then far above its tick. On one
    with whole-second (or 2 s) stamps, only the real window is safe."""
    stamps = []
    for i in range(3):
        probe = folder / f".stamp-{i}"
        probe.write_text("x")
        stamps.append(probe.stat().st_mtime_ns)
        probe.unlink()
    return any(ns % 10**6 for ns in stamps)


def copy_project(dest: Path, with_locales: bool = True, extra_pages=()) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "source", dest / "source")
    shutil.copy(REPO / "glossary.csv", dest / "glossary.csv")
    shutil.copy(REPO / "pyproject.toml", dest / "pyproject.toml")
    if with_locales:
        shutil.copytree(REPO / "locales", dest / "locales")
    for page in extra_pages:
        shutil.copy(page, dest / "source" / Path(page).name)
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the sample project, translations included."""
    return copy_project(tmp_path / "site")


@pytest.fixture
def bare_project(tmp_path) -> Path:
    """The sample sources and the two test pages, with no locales yet."""
    return copy_project(tmp_path / "bare", with_locales=False,
                        extra_pages=[DATA / "rich.html", DATA / "messy.html"])


class Result:
    def __init__(self, r):
        self.exit_code = r.exit_code
        self.stdout = r.stdout
        self.stderr = r.stderr
        self.exception = r.exception

    def __repr__(self):
        return f"<exit {self.exit_code}\nstdout: {self.stdout}\nstderr: {self.stderr}>"


@pytest.fixture
def l10n(tmp_path, monkeypatch):
    """Run ``l10n -C PROJECT ARGS…`` in-process through click, as a user would."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))

    def run(project: Path, *args: str, expect: int | None = 0) -> Result:
        r = Result(CliRunner().invoke(cli, ["-C", str(project), *args], catch_exceptions=True))
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            raise r.exception
        if expect is not None:
            assert r.exit_code == expect, r
        return r
    return run


def msgfmt_check(*paths: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian package gettext) is required; .ci/run installs it"
    for path in paths:
        r = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)],
                           capture_output=True, text=True)
        assert r.returncode == 0, f"{path}: {r.stderr}"


def all_catalogs(project: Path) -> list[Path]:
    return sorted((project / "locales").rglob("*.po")) + sorted((project / "locales").rglob("*.pot"))


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> dict:
    """A tiny Argos package in the real format: folder and .argosmodel archive."""
    from tiny_model import build_package, zip_package
    from l10n_tool.formats.html import read_document

    lines = [u.text for p in sorted((REPO / "source").glob("*.html")) for u in read_document(p).units]
    base = tmp_path_factory.mktemp("tiny-model")
    folder = build_package(lines, base / "translate-en_zh-tiny")
    return {"folder": folder, "archive": zip_package(folder, base / "translate-en_zh-tiny.argosmodel")}
