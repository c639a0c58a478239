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
from pathlib import Path

from l10n_tool.errors import L10nError

DEFAULT_BEAM = 2


class ArgosEngine:
    name = "argos"

    def __init__(self, package_dir: Path, beam_size: int = DEFAULT_BEAM, threads: int = 0,
                 max_batch_size: int = 32, device: str = "cpu"):
        import ctranslate2
        import sentencepiece

        self.package_dir = Path(package_dir)
        meta = json.loads((self.package_dir / "metadata.json").read_text(encoding="utf-8"))
        self.code = meta.get("code") or self.package_dir.name
        self.version = str(meta.get("package_version", ""))
        self.target_prefix = meta.get("target_prefix") or ""
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        sp_path = self.package_dir / "sentencepiece.model"
        if not sp_path.exists():
            raise L10nError("package has no sentencepiece.model (BPE packages are not supported)",
                            self.package_dir)
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
        self.translator = ctranslate2.Translator(str(self.package_dir / "model"), device=device,
                                                 intra_threads=threads, inter_threads=1)

    def identity(self) -> str:
        return f"argos {self.code} {self.version} beam={self.beam_size}"

    def translate(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        pieces = self.sp.encode(texts, out_type=str)
        prefix = [[self.target_prefix]] * len(pieces) if self.target_prefix else None
        results = self.translator.translate_batch(
            pieces, target_prefix=prefix, beam_size=self.beam_size, num_hypotheses=1,
            max_batch_size=self.max_batch_size, batch_type="examples", replace_unknowns=True)
        out = []
        for r in results:
            tokens = r.hypotheses[0]
            if self.target_prefix and tokens[:1] == [self.target_prefix]:
                tokens = tokens[1:]
            out.append(self.sp.decode(tokens).strip())
        return out


class PivotEngine:
    """Two engines in a row, through English, when no direct pair exists."""
    name = "argos"

    def __init__(self, first, second):
        self.first, self.second = first, second

    def identity(self) -> str:
        return f"{self.first.identity()} + {self.second.identity()}"

    def translate(self, texts: list[str]) -> list[str]:
        return self.second.translate(self.first.translate(texts))
