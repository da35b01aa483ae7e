"""POST /v1/moderations: OpenAI's shapes, any number of images, each image scored.

Until the text moderation model lands, text parts are accepted and reported as unscored
(`sightguard.scored_categories` lists what was actually measured).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Any

from .protocol import ImageContent, ModerationBody, TextContent

if TYPE_CHECKING:
    from .app import Service

OPENAI_CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)


def _threshold(service: Service) -> float:
    for spec in service.settings.guards:
        if spec.type == "explicit_image":
            return float(spec.params.get("threshold", 0.8))
    return 0.8


def _result(image_scores: list[float], has_text: bool, threshold: float) -> dict[str, Any]:
    sexual = max(image_scores, default=0.0)
    scores = {c: 0.0 for c in OPENAI_CATEGORIES}
    scores["sexual"] = sexual
    flags = {c: False for c in OPENAI_CATEGORIES}
    flags["sexual"] = sexual >= threshold
    applied: dict[str, list[str]] = {c: [] for c in OPENAI_CATEGORIES}
    applied["sexual"] = ["image"] if image_scores else []
    return {
        "flagged": any(flags.values()),
        "categories": flags,
        "category_scores": scores,
        "category_applied_input_types": applied,
        "sightguard": {
            "scored_categories": ["sexual"] if image_scores else [],
            "images": [{"index": i, "sexual": round(s, 4)} for i, s in enumerate(image_scores)],
            "text_scored": False if has_text else None,
        },
    }


async def moderate(body: ModerationBody, service: Service) -> dict[str, Any]:
    threshold = _threshold(service)
    results = []
    if isinstance(body.input, str) or (body.input and isinstance(body.input[0], str)):
        texts = [body.input] if isinstance(body.input, str) else body.input
        results = [_result([], True, threshold) for _ in texts]
    else:
        images = []
        has_text = False
        for j, part in enumerate(body.input):
            if isinstance(part, ImageContent):
                images.append(await service.intake.load(part.image_url.url, f"input[{j}]"))
            elif isinstance(part, TextContent):
                has_text = True
        explicit = await asyncio.gather(*(service.perception.explicit(img) for img in images))
        results = [_result([r.scores["sexual"] for r in explicit], has_text, threshold)]
    return {"id": f"modr-{uuid.uuid4().hex[:24]}", "model": body.model or "sightguard-moderation", "results": results}
