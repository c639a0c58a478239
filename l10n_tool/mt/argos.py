"""Argos Translate packages run directly on CTranslate2 and SentencePiece.

We do not call ``argostranslate.translate``: it segments with stanza or
spaCy (torch at run time) and batches by tokens, which on CPU fits about one
sentence per batch. Our units are already sentences, so we encode them with
the package's own SentencePiece model and send length-sorted batches to
``Translator.translate_batch``. The model's ``config.json`` (for example a
source BOS language token) is applied by CTranslate2 itself; the package's
``target_prefix`` is passed on and stripped from the output.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Iterator

from l10n_tool.errors import L10nError
from l10n_tool.mt.engine import DEFAULT_BEAM, Option

#: Batches handed to CTranslate2 at a time. Two keep its worker busy while we
#: collect the previous one; more would only lengthen the wait when a run is
#: stopped, since a submitted batch cannot be cancelled.
IN_FLIGHT = 2


def resolve_device(device: str) -> str:
    """``auto`` is decided where the model loads, so one setting serves a Ray
    cluster of CPU and GPU machines."""
    if device == "cpu":
        return device
    import ctranslate2
    try:
        gpus = ctranslate2.get_cuda_device_count()
    except Exception:  # noqa: BLE001 - a CPU-only build may raise instead of returning 0
        gpus = 0
    if device == "auto":
        return "cuda" if gpus else "cpu"
    if not gpus:
        raise L10nError("device = cuda, but CUDA is not available here (no GPU, no driver, or a "
                        "CPU-only CTranslate2); use device = cpu or auto")
    return device


class ArgosEngine:
    name = "argos"
    OPTIONS = (
        Option("beam", int, DEFAULT_BEAM, "beam size; 1 is greedy and fastest, 4 is Argos's default",
               min=1, max=16),
        Option("threads", int, 0, "CPU threads for CTranslate2 (0: one per available core)",
               min=0, max=256),
        Option("batch_size", int, 32, "units per CTranslate2 batch", min=1, max=1024),
        Option("device", str, "cpu", "cpu, cuda, or auto (cuda when a GPU is visible)",
               choices=("cpu", "cuda", "auto")),
    )

    @classmethod
    def from_options(cls, source: str, target: str, options: dict):
        from l10n_tool.mt import models
        chain = [cls(p.path, beam_size=options.get("beam", DEFAULT_BEAM),
                     threads=options.get("threads", 0),
                     max_batch_size=options.get("batch_size", 32),
                     device=options.get("device", "cpu"))
                 for p in models.route(source, target)]
        return chain[0] if len(chain) == 1 else PivotEngine(*chain)

    def __init__(self, package_dir: Path, beam_size: int = DEFAULT_BEAM, threads: int = 0,
                 max_batch_size: int = 32, device: str = "cpu", replace_unknowns: bool = True):
        import sentencepiece

        self.package_dir = Path(package_dir)
        meta = json.loads((self.package_dir / "metadata.json").read_text(encoding="utf-8"))
        self.code = meta.get("code") or self.package_dir.name
        self.version = str(meta.get("package_version", ""))
        self.target_prefix = meta.get("target_prefix") or ""
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.replace_unknowns = replace_unknowns
        self.device = device
        config_path = self.package_dir / "model" / "config.json"
        config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else {}
        #: Control tokens that must never reach a draft, wherever the model emits them.
        self.special = {t for t in (self.target_prefix, config.get("bos_token"), "<s>", "</s>",
                                    "<pad>") if t}
        sp_path = self.package_dir / "sentencepiece.model"
        if not sp_path.exists():
            raise L10nError("package has no sentencepiece.model (BPE packages are not supported)",
                            self.package_dir)
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
        # 0 would give CTranslate2's default of 4 threads, oversubscribing 2 cores.
        self.threads = threads or len(os.sched_getaffinity(0))
        self._translator = None

    @property
    def translator(self):
        """Loaded on first use, and the device checked then: a Ray driver builds
        the engine for its identity only, so it neither holds a copy of the model
        its workers load nor needs the GPU they have."""
        if self._translator is None:
            import ctranslate2
            self._translator = ctranslate2.Translator(
                str(self.package_dir / "model"), device=resolve_device(self.device),
                intra_threads=self.threads, inter_threads=1)
        return self._translator

    def identity(self) -> str:
        return f"argos {self.code} {self.version} beam={self.beam_size}"

    def lengths(self, texts: list[str]) -> list[int]:
        """What batches are sorted by; a distributed executor cuts the same batches."""
        return [len(p) for p in self.sp.encode(texts, out_type=str)]

    def translate(self, texts: list[str]) -> Iterator[tuple[int, str]]:
        """Length-sorted batches, at most ``IN_FLIGHT`` submitted at a time, each
        unit yielded as its future completes, so finished work reaches the cache
        at once and a stop waits for two batches at most. Output length is
        bounded per batch by 3× its longest unit, as a safeguard against a
        degenerate model repeating itself up to 512 tokens."""
        if not texts:
            return
        pieces = self.sp.encode(texts, out_type=str)
        order = sorted(range(len(texts)), key=lambda i: len(pieces[i]))
        batches = [order[i:i + self.max_batch_size]
                   for i in range(0, len(order), self.max_batch_size)]
        batches.reverse()                      # pop() from the end: shortest first
        pending: list[dict[int, object]] = []  # per submitted batch: index → future not yet yielded
        while batches or pending:
            while batches and len(pending) < IN_FLIGHT:
                batch = batches.pop()
                pending.append(dict(zip(batch, self._submit([pieces[i] for i in batch]))))
            done = [(i, f) for futures in pending for i, f in futures.items() if f.done()]
            if not done:
                time.sleep(0.003)
                continue
            for i, future in done:
                for futures in pending:
                    futures.pop(i, None)
                tokens = [t for t in future.result().hypotheses[0] if t not in self.special]
                yield i, self.sp.decode(tokens).strip()
            pending = [futures for futures in pending if futures]

    def _submit(self, batch: list[list[str]]):
        prefix = [[self.target_prefix]] * len(batch) if self.target_prefix else None
        return self.translator.translate_batch(
            batch, target_prefix=prefix, beam_size=self.beam_size, num_hypotheses=1,
            max_batch_size=self.max_batch_size, batch_type="examples",
            replace_unknowns=self.replace_unknowns,
            max_decoding_length=min(512, 3 * max(map(len, batch)) + 16), asynchronous=True)


class PivotEngine:
    """Two engines in a row, through English, when no direct pair exists."""

    def __init__(self, first, second):
        self.first, self.second = first, second

    def identity(self) -> str:
        return f"{self.first.identity()} + {self.second.identity()}"

    def lengths(self, texts: list[str]) -> list[int]:
        return self.first.lengths(texts)

    def translate(self, texts: list[str]) -> Iterator[tuple[int, str]]:
        middle = [""] * len(texts)
        for i, text in self.first.translate(texts):
            middle[i] = text
        return self.second.translate(middle)
