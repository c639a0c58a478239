"""Argos model packages: find, install, remove.

Packages live where Argos Translate keeps them (``ARGOS_PACKAGES_DIR``, or
argostranslate's own data folders), so models installed by Argos itself or
by LibreTranslate are found too, and ours are usable by them. Installing is
stricter than ``argostranslate.package.install_from_path``: archives whose
paths escape the target folder are refused, the metadata is validated, and an
older version of the same pair is replaced in one rename.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from l10n_tool.errors import L10nError

REQUIRED_METADATA = ("from_code", "to_code")


@dataclass(frozen=True)
class ModelPackage:
    path: Path
    code: str
    from_code: str
    to_code: str
    version: str
    note: str = ""

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"


def package_dirs() -> list[Path]:
    """Where packages are looked for; the first one is where we install."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return [Path(env)]
    from argostranslate import settings  # reads its own env and config files
    return [Path(p) for p in settings.package_dirs]


def _read_metadata(folder: Path, origin) -> dict:
    path = folder / "metadata.json"
    if not path.exists():
        raise L10nError("not an Argos package: no metadata.json", origin)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise L10nError(f"invalid metadata.json: {exc}", origin, line) from None
    if not isinstance(meta, dict):
        raise L10nError("invalid metadata.json: not a JSON object", origin)
    missing = [k for k in REQUIRED_METADATA if not isinstance(meta.get(k), str) or not meta.get(k)]
    if missing:
        raise L10nError(f"invalid metadata.json: missing {', '.join(missing)}", origin)
    if meta.get("type", "translate") != "translate":
        raise L10nError(f"package type {meta.get('type')!r} is not a translation model", origin)
    if not (folder / "model" / "model.bin").exists():
        raise L10nError("not an Argos package: no model/model.bin", origin)
    if not (folder / "sentencepiece.model").exists() and not (folder / "bpe.model").exists():
        raise L10nError("not an Argos package: no sentencepiece.model", origin)
    return meta


def _package(folder: Path, meta: dict) -> ModelPackage:
    return ModelPackage(folder, meta.get("code") or folder.name, meta["from_code"],
                        meta["to_code"], str(meta.get("package_version", "")),
                        meta.get("note", ""))


def installed() -> list[ModelPackage]:
    out = []
    for directory in package_dirs():
        if not directory.is_dir():
            continue
        for folder in sorted(directory.iterdir()):
            if not folder.is_dir() or folder.name.startswith("."):
                continue
            try:
                out.append(_package(folder, _read_metadata(folder, folder)))
            except L10nError:
                continue  # sbd packages, half-installed folders: not ours to judge
    return out


def _safe_members(archive: zipfile.ZipFile, origin: Path) -> str:
    """Check every member stays inside one top-level folder; return its name."""
    tops = set()
    for info in archive.infolist():
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":"):
            raise L10nError(f"refusing archive: member {name!r} escapes the target folder", origin)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise L10nError(f"refusing archive: member {name!r} is a symbolic link", origin)
        if pure.parts:
            tops.add(pure.parts[0])
    if len(tops) != 1:
        raise L10nError("not an Argos package: the archive must hold exactly one top-level folder",
                        origin)
    return tops.pop()


def install(source: Path) -> ModelPackage:
    """Install a ``.argosmodel`` file or an unpacked package folder."""
    source = Path(source)
    if not source.exists():
        raise L10nError("no such file or folder", source)
    target_dir = package_dirs()[0]
    target_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=target_dir))
    try:
        if source.is_dir():
            name = source.name
            shutil.copytree(source, staging / name, symlinks=False)
        else:
            if not zipfile.is_zipfile(source):
                raise L10nError("not an Argos package: not a zip archive", source)
            with zipfile.ZipFile(source) as archive:
                name = _safe_members(archive, source)
                archive.extractall(staging)
        meta = _read_metadata(staging / name, source)
        new = _package(staging / name, meta)
        final = target_dir / name
        displaced = [p for p in installed() if p.path.parent == target_dir and
                     (p.path == final or (p.from_code, p.to_code) == (new.from_code, new.to_code))]
        aside = []
        for old in displaced:
            moved = staging / f"old-{old.path.name}"
            os.replace(old.path, moved)
            aside.append((moved, old.path))
        try:
            os.replace(staging / name, final)
        except BaseException:
            for moved, original in aside:
                os.replace(moved, original)
            raise
        return _package(final, meta)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove(which: str) -> list[ModelPackage]:
    """Remove packages by code (translate-en_zh) or pair (en:zh, en-zh)."""
    gone = []
    for p in installed():
        pair = {f"{p.from_code}:{p.to_code}", f"{p.from_code}-{p.to_code}", f"{p.from_code}_{p.to_code}"}
        if which in pair or which == p.code or which == p.path.name:
            shutil.rmtree(p.path)
            gone.append(p)
    if not gone:
        raise L10nError(f"no installed package matches {which!r}; see `l10n models list`")
    return gone


def install_from_index(from_code: str, to_code: str) -> ModelPackage:
    """Download from the Argos package index. Needs the network."""
    from argostranslate import package as argos_package

    argos_package.update_package_index()
    available = [p for p in argos_package.get_available_packages()
                 if p.from_code == from_code and p.to_code == to_code]
    if not available:
        raise L10nError(f"the Argos package index has no {from_code}→{to_code} package "
                        "(or it could not be downloaded: this needs the network)")
    path = available[0].download()
    return install(Path(path))


def route(from_code: str, to_code: str) -> list[ModelPackage]:
    """Packages to chain for a pair: direct, else through English."""
    by_pair = {}
    for p in installed():
        by_pair.setdefault((p.from_code, p.to_code), p)
    if (from_code, to_code) in by_pair:
        return [by_pair[(from_code, to_code)]]
    if from_code != "en" and to_code != "en" and (from_code, "en") in by_pair \
            and ("en", to_code) in by_pair:
        return [by_pair[(from_code, "en")], by_pair[("en", to_code)]]
    pairs = ", ".join(sorted(p.pair for p in by_pair.values())) or "none"
    raise L10nError(f"no Argos model for {from_code}→{to_code}; installed: {pairs}. "
                    f"Install one with `l10n models install PATH.argosmodel` "
                    f"(or `l10n models install --from-index {from_code} {to_code}`, needs the network)")
