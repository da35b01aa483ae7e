"""Perception shared by guards and the describer: each model runs at most once per image.

Results are cached by the image's sha256 (an LRU); concurrent requests for the same image and
model wait on one computation instead of starting a second. Models run in worker threads.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from PIL import Image

from ..types import ImagePart
from .colors import ColourFacts, colour_facts
from .explicit import ExplicitModel
from .ocr import OcrModel, OcrResult
from .people import Detection, PeopleModel, count_people

T = TypeVar("T")


@dataclass(frozen=True)
class PeopleResult:
    detections: tuple[Detection, ...]
    people_boxes: tuple[tuple[int, int, int, int], ...]
    ms: float

    @property
    def count(self) -> int:
        return len(self.people_boxes)

    @property
    def faces(self) -> int:
        return sum(d.kind == "face" for d in self.detections)


@dataclass(frozen=True)
class ExplicitResult:
    scores: dict[str, float]
    ms: float


@dataclass(frozen=True)
class ImageFacts:
    image: ImagePart
    ocr: OcrResult
    people: PeopleResult
    explicit: ExplicitResult
    colours: ColourFacts


class Perception:
    def __init__(self, cache_size: int = 512) -> None:
        self.ocr_model, self.people_model, self.explicit_model = OcrModel(), PeopleModel(), ExplicitModel()
        self._cache: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._pending: dict[tuple[str, str], asyncio.Future[Any]] = {}
        self._cache_size = cache_size
        self._decoded: OrderedDict[str, Image.Image] = OrderedDict()

    def warm_up(self) -> None:
        blank = np.full((64, 64, 3), 255, np.uint8)
        self.ocr_model.read(blank)
        self.people_model.detect(blank)
        self.explicit_model.scores(Image.fromarray(blank))

    def _pil(self, image: ImagePart) -> Image.Image:
        img = self._decoded.get(image.sha256)
        if img is None:
            img = Image.open(io.BytesIO(image.data)).convert("RGB")
            self._decoded[image.sha256] = img
            if len(self._decoded) > 8:
                self._decoded.popitem(last=False)
        return img

    async def _cached(self, kind: str, image: ImagePart, compute: Callable[[], T]) -> T:
        key = (kind, image.sha256)
        if key in self._cache:
            self._cache.move_to_end(key)
            cached: T = self._cache[key]
            return cached
        pending = self._pending.get(key)
        if pending is not None:
            shared: T = await asyncio.shield(pending)
            return shared
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            value = await asyncio.to_thread(compute)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        finally:
            self._pending.pop(key, None)
        future.set_result(value)
        self._cache[key] = value
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return value

    async def ocr(self, image: ImagePart) -> OcrResult:
        def run() -> OcrResult:
            t0 = time.perf_counter()
            lines = self.ocr_model.read(np.asarray(self._pil(image)))
            return OcrResult(lines, (time.perf_counter() - t0) * 1000)

        return await self._cached("ocr", image, run)

    async def people(self, image: ImagePart) -> PeopleResult:
        def run() -> PeopleResult:
            t0 = time.perf_counter()
            found = self.people_model.detect(np.asarray(self._pil(image)))
            return PeopleResult(found, tuple(count_people(found)), (time.perf_counter() - t0) * 1000)

        return await self._cached("people", image, run)

    async def explicit(self, image: ImagePart) -> ExplicitResult:
        def run() -> ExplicitResult:
            t0 = time.perf_counter()
            scores = self.explicit_model.scores(self._pil(image))
            return ExplicitResult(scores, (time.perf_counter() - t0) * 1000)

        return await self._cached("explicit", image, run)

    async def colours(self, image: ImagePart) -> ColourFacts:
        return await self._cached("colours", image, lambda: colour_facts(self._pil(image)))

    async def facts(self, image: ImagePart) -> ImageFacts:
        jobs: list[Awaitable[Any]] = [self.ocr(image), self.people(image), self.explicit(image), self.colours(image)]
        ocr, people, explicit, colours = await asyncio.gather(*jobs)
        return ImageFacts(image, ocr, people, explicit, colours)
