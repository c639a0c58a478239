"""Build a tiny Argos package in the real format, for tests.

A CTranslate2 transformer from ``ctranslate2.specs`` with random weights
(2 layers, d_model 32) and a SentencePiece model trained on the project's own
source pages. Its output is noise, but it exercises everything real packages
do: metadata.json, model/ with config.json (add_source_bos and a BOS language
token, as in the real en→zh package), sentencepiece.model, target_prefix,
batching and decoding. Built in about a second; nothing is downloaded.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

D_MODEL, FFN, LAYERS, HEADS = 32, 64, 2, 2
BOS = ">>cmn_Hans<<"
PREFIX = ">>zh<<"


def _train_sentencepiece(lines: list[str], out: Path) -> list[str]:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=400,
        hard_vocab_limit=False, user_defined_symbols=[BOS, PREFIX], character_coverage=1.0,
        bos_id=-1, pad_id=-1, unk_piece="<unk>", eos_piece="</s>", minloglevel=2)
    out.write_bytes(model.getvalue())
    sp = spm.SentencePieceProcessor(model_file=str(out))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())] + ["<s>"]


def _resolve(spec, name: str):
    obj = spec
    parts = name.split("/")
    for part in parts[:-1]:
        base, _, index = part.rpartition("_")
        if index.isdigit() and hasattr(obj, base):
            obj = getattr(obj, base)[int(index)]
        else:
            obj = getattr(obj, part)
    return obj, parts[-1]


def _shape(name: str, vocab: int):
    if name.endswith(("gamma", "beta")):
        return (D_MODEL,)
    if "embeddings" in name or "projection" in name:
        return (vocab, D_MODEL)
    if "ffn/linear_0" in name:
        return (FFN, D_MODEL)
    if "ffn/linear_1" in name:
        return (D_MODEL, FFN)
    if "self_attention/linear_0" in name:
        return (3 * D_MODEL, D_MODEL)
    if "/attention/linear_1" in name:
        return (2 * D_MODEL, D_MODEL)
    return (D_MODEL, D_MODEL)


def build_package(lines: list[str], folder: Path, seed: int = 7) -> Path:
    """Write an unpacked package to ``folder``; returns it."""
    from ctranslate2 import specs

    folder.mkdir(parents=True)
    vocab = _train_sentencepiece(lines, folder / "sentencepiece.model")
    spec = specs.TransformerSpec.from_config((LAYERS, LAYERS), HEADS)
    rng = np.random.default_rng(seed)
    for name, value in spec.variables(ordered=True):
        if value is not None or not name.endswith(("weight", "gamma", "beta")):
            continue
        shape = _shape(name, len(vocab))
        if name.endswith("gamma"):
            data = np.ones(shape, np.float32)
        elif name.endswith("beta"):
            data = np.zeros(shape, np.float32)
        else:
            data = rng.normal(0, 0.2, shape).astype(np.float32)
        obj, attr = _resolve(spec, name)
        setattr(obj, attr, data)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.add_source_bos = True
    spec.config.bos_token = BOS
    spec.config.eos_token = "</s>"
    spec.config.unk_token = "<unk>"
    spec.config.decoder_start_token = "</s>"
    spec.validate()
    spec.optimize(quantization="int8")
    (folder / "model").mkdir()
    spec.save(str(folder / "model"))
    (folder / "metadata.json").write_text(json.dumps({
        "package_version": "0.1", "argos_version": "1.9", "from_code": "en", "from_name": "English",
        "to_code": "zh", "to_name": "Chinese", "type": "translate", "code": "translate-en_zh-tiny",
        "target_prefix": PREFIX, "note": "random weights, for tests only"}, indent=2))
    return folder


def zip_package(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return archive
