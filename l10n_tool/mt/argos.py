"""Argos Translate packages run directly on CTranslate2 and SentencePiece.

We do not call ``argostranslate.translate``: it segments with stanza or
spaCy (torch at run time) and batches by tokens, which on CPU fits about one
sentence per batch. Our units are already sentences, so we encode them with
the package's own SentencePiece model and send whole batches to
``Translator.translate_batch``. The model's ``config.json`` (for example a
source BOS language token) is applied by CTranslate2 itself; the package's
``target_prefix`` is passed on and stripped from the output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

from l10n_tool.errors import L10nError

DEFAULT_BEAM = 2


class ArgosEngine:
    def __init__(self, package_dir: Path, beam_size: int = DEFAULT_BEAM, threads: int = 0,
                 max_batch_size: int = 32, device: str = "cpu", replace_unknowns: bool = True):
        import ctranslate2
        import sentencepiece

        self.package_dir = Path(package_dir)
        meta = json.loads((self.package_dir / "metadata.json").read_text(encoding="utf-8"))
        self.code = meta.get("code") or self.package_dir.name
        self.version = str(meta.get("package_version", ""))
        self.target_prefix = meta.get("target_prefix") or ""
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.replace_unknowns = replace_unknowns
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
        self.translator = ctranslate2.Translator(str(self.package_dir / "model"), device=device,
                                                 intra_threads=self.threads, inter_threads=1)
        self.chunk_size = max_batch_size

    def identity(self) -> str:
        return f"argos {self.code} {self.version} beam={self.beam_size}"

    def translate(self, texts: list[str]) -> Iterator[str]:
        """All units in one asynchronous call: CTranslate2 sorts them by length,
        cuts batches and keeps every thread busy, exactly as a raw
        ``translate_batch`` would, and we collect results in order as they finish.

        Output length is bounded by 3× the longest unit of the call. Cutting and
        submitting the batches ourselves would allow a bound per batch, but
        measured 5% slower (bench/mt.py), and only a degenerate model needs it.
        """
        if not texts:
            return
        pieces = self.sp.encode(texts, out_type=str)
        prefix = [[self.target_prefix]] * len(pieces) if self.target_prefix else None
        pending = self.translator.translate_batch(
            pieces, target_prefix=prefix, beam_size=self.beam_size, num_hypotheses=1,
            max_batch_size=self.max_batch_size, batch_type="examples",
            replace_unknowns=self.replace_unknowns,
            max_decoding_length=min(512, 3 * max(map(len, pieces)) + 16), asynchronous=True)
        for future in pending:
            tokens = [t for t in future.result().hypotheses[0] if t not in self.special]
            yield self.sp.decode(tokens).strip()


class PivotEngine:
    """Two engines in a row, through English, when no direct pair exists."""

    def __init__(self, first, second):
        self.first, self.second = first, second

    def identity(self) -> str:
        return f"{self.first.identity()} + {self.second.identity()}"

    @property
    def chunk_size(self) -> int:
        return min(self.first.chunk_size, self.second.chunk_size)

    def translate(self, texts: list[str]) -> Iterator[str]:
        return self.second.translate(list(self.first.translate(texts)))
