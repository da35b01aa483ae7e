"""Refuses requests carrying sexually explicit images (the card reuses DALL-E's detector; we
use open_nsfw). Every image of the conversation is scored, not only the first."""

from __future__ import annotations

import asyncio
from typing import Literal

from ..types import GuardDecision
from .base import GuardInput, allow


class ExplicitImageGuard:
    name = "explicit_image"
    stage: Literal["input", "output"] = "input"

    def __init__(self, threshold: float = 0.8) -> None:
        if not 0.0 < threshold <= 1.0:
            raise TypeError("threshold must be in (0, 1]")
        self.threshold = threshold

    async def check(self, subject: GuardInput) -> GuardDecision:
        images = subject.request.images
        if not images:
            return allow(self.name, "no images")
        results = await asyncio.gather(*(subject.perception.explicit(img) for img in images))
        worst = max(range(len(results)), key=lambda i: results[i].scores["sexual"])
        score = results[worst].scores["sexual"]
        if score >= self.threshold:
            return GuardDecision(
                action="refuse",
                guard=self.name,
                category="sexual",
                score=score,
                reason=f"image {worst + 1} scored {score:.2f} for sexual content (threshold {self.threshold})",
            )
        return allow(self.name, f"max sexual score {score:.2f}", score)
