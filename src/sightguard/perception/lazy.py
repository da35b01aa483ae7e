"""Shared by the model wrappers: build on first use, then one inference at a time.

The wrapped libraries (rapidocr, dlib, OpenCV's HOG, onnxruntime sessions with per-call state)
are not all safe to call from several threads at once; onnxruntime already uses both cores.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class LazyModel(ABC):
    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.RLock()

    @abstractmethod
    def _build(self) -> Any:
        """Import the library and load the packaged weights."""

    @contextmanager
    def using(self) -> Iterator[Any]:
        with self._lock:
            if self._model is None:
                self._model = self._build()
            yield self._model
