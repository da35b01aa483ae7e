"""The embedded text moderator: multilingual USE sentence embeddings + hashed n-grams -> one calibrated
logistic score per category, floored by high-precision patterns for the most direct requests.
Weights are trained by `sightguard train-moderator` from the project's corpus and ship in the
package (weights.npz)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..types import ImagePart
from .base import ModerationResult
from .embedder import DIM as EMBEDDING_DIM
from .embedder import NAME as EMBEDDER_NAME
from .embedder import Embedder
from .features import BUCKETS, LEXICAL_WEIGHT, hashed
from .patterns import pattern_scores

WEIGHTS_PATH = Path(__file__).with_name("weights.npz")


@dataclass(frozen=True)
class ModelWeights:
    categories: tuple[str, ...]
    w_embedding: np.ndarray  # (C, EMBEDDING_DIM)
    w_lexical: np.ndarray  # (C, BUCKETS)
    bias: np.ndarray  # (C,)
    platt_a: np.ndarray  # (C,) calibrated = sigmoid(a * logit + b)
    platt_b: np.ndarray
    thresholds: np.ndarray  # (C,) default thresholds chosen on out-of-fold training scores
    meta: dict[str, Any]

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            categories=np.array(self.categories),
            w_embedding=self.w_embedding.astype(np.float32),
            w_lexical=self.w_lexical.astype(np.float16),
            bias=self.bias.astype(np.float32),
            platt_a=self.platt_a.astype(np.float32),
            platt_b=self.platt_b.astype(np.float32),
            thresholds=self.thresholds.astype(np.float32),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> ModelWeights:
        if not path.is_file():
            raise ConfigError(f"no moderation weights at {path}: run `sightguard train-moderator`")
        with np.load(path, allow_pickle=False) as z:
            w_lexical = z["w_lexical"].astype(np.float32)
            meta = json.loads(str(z["meta"]))
            if (
                w_lexical.shape[1] != BUCKETS
                or meta.get("lexical_weight") != LEXICAL_WEIGHT
                or meta.get("embedder") != EMBEDDER_NAME
                or z["w_embedding"].shape[1] != EMBEDDING_DIM
            ):
                raise ConfigError(f"{path}: trained with other features; retrain: sightguard train-moderator")
            return cls(
                categories=tuple(str(c) for c in z["categories"]),
                w_embedding=z["w_embedding"],
                w_lexical=w_lexical,
                bias=z["bias"],
                platt_a=z["platt_a"],
                platt_b=z["platt_b"],
                thresholds=z["thresholds"],
                meta=meta,
            )

    def logits(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        out = embeddings @ self.w_embedding.T + self.bias
        for row, text in enumerate(texts):
            idx, values = hashed(text)
            out[row] += self.w_lexical[:, idx] @ values
        return np.asarray(out)

    def calibrate(self, logits: np.ndarray) -> np.ndarray:
        return np.asarray(0.5 * (1.0 + np.tanh(0.5 * (self.platt_a * logits + self.platt_b))))  # a stable sigmoid

    def default_thresholds(self) -> dict[str, float]:
        return {c: float(t) for c, t in zip(self.categories, self.thresholds, strict=True)}


class EmbeddedModerator:
    """Scores texts in-process; a few milliseconds a message."""

    name = "embedded"
    sees_images = False

    def __init__(self, weights_path: Path = WEIGHTS_PATH, embedder: Embedder | None = None, patterns: bool = True):
        self.weights = ModelWeights.load(weights_path)
        self.patterns = patterns  # moderation/patterns.py: a floor of direct harmful phrasings
        self.categories = frozenset(self.weights.categories)
        self.embedder = embedder or Embedder()

    def score_texts(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated scores per category for each text (synchronous; batches embed faster)."""
        texts = [t if t.strip() else "" for t in texts]
        probs = self.weights.calibrate(self.weights.logits(self.embedder.embed(list(texts)), texts))
        rows = [dict(zip(self.weights.categories, map(float, row), strict=True)) for row in probs]
        if self.patterns:
            for row, text in zip(rows, texts, strict=True):
                for category, score in pattern_scores(text).items():
                    row[category] = max(row[category], score)
        return rows

    async def moderate(self, text: str, images: Sequence[ImagePart] = ()) -> ModerationResult:
        (scores,) = await asyncio.to_thread(self.score_texts, [text])
        return ModerationResult(scores=scores, moderator=self.name)

    async def moderate_many(self, texts: Sequence[str]) -> list[ModerationResult]:
        rows = await asyncio.to_thread(self.score_texts, texts)
        return [ModerationResult(scores=s, moderator=self.name) for s in rows]

    def warm_up(self) -> None:
        self.score_texts(["warm up"])

    async def aclose(self) -> None:
        return None
