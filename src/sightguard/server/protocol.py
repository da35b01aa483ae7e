"""OpenAI wire models (requests and responses) and their explicit conversion to internal values."""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InvalidRequest, PayloadTooLarge
from ..images import ImageIntake
from ..types import ChatRequest, ChatResult, Message, Part, TextPart


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class ImageURL(_Wire):
    url: str
    detail: str | None = None


class TextContent(_Wire):
    type: Literal["text"]
    text: str


class ImageContent(_Wire):
    type: Literal["image_url"]
    image_url: ImageURL


class WireMessage(_Wire):
    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[TextContent | ImageContent] | None = None


class ChatCompletionBody(_Wire):
    model: str
    messages: list[WireMessage] = Field(min_length=1)
    stream: bool = False
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    n: int = Field(default=1, ge=1, le=1)


class ModerationBody(_Wire):
    model: str | None = None
    input: str | list[str] | list[TextContent | ImageContent]


def parse_body(model: type[BaseModel], raw: bytes) -> Any:
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        param, message = _name_the_parameter(exc)
        raise InvalidRequest(f"{param or 'body'}: {message}", param=param or None) from None


def _name_the_parameter(exc: ValidationError) -> tuple[str, str]:
    """A union reports an error per member; keep the deepest ones and name what they share."""
    found = [(_segments(e["loc"]), e["msg"]) for e in exc.errors()]
    deepest = [(p, m) for p, m in found if not any(len(q) > len(p) and q[: len(p)] == p for q, _ in found)]
    paths = [p for p, _ in deepest]
    common = paths[0]
    for p in paths[1:]:
        n = 0
        while n < min(len(common), len(p)) and common[n] == p[n]:
            n += 1
        common = common[:n]
    message = deepest[0][1] if len(deepest) == 1 else "does not match any accepted form"
    return "".join(common).lstrip("."), message


def _segments(loc: tuple[int | str, ...]) -> list[str]:
    """('messages', 0, 'content', 'list[...]', 2, 'ImageContent', 'image_url') ->
    ['.messages', '[0]', '.content', '[2]', '.image_url']."""
    out = []
    for item in loc:
        if isinstance(item, int):
            out.append(f"[{item}]")
        elif not (item == "str" or "[" in item or item[:1].isupper()):  # skip pydantic's union member names
            out.append("." + item)
    return out


async def to_chat_request(body: ChatCompletionBody, intake: ImageIntake) -> ChatRequest:
    messages: list[Message] = []
    images = 0
    for i, wire in enumerate(body.messages):
        role = "system" if wire.role == "developer" else wire.role
        parts: list[Part] = []
        if isinstance(wire.content, str):
            parts.append(TextPart(wire.content))
        elif wire.content is not None:
            for j, content in enumerate(wire.content):
                param = f"messages[{i}].content[{j}]"
                if isinstance(content, TextContent):
                    parts.append(TextPart(content.text))
                    continue
                if role != "user":
                    raise InvalidRequest("images are only accepted in user messages", param=param)
                images += 1
                if images > intake.limits.max_images_per_request:
                    raise InvalidRequest(
                        f"too many images: at most {intake.limits.max_images_per_request} per request",
                        param=param,
                        code="too_many_images",
                    )
                parts.append(await intake.load(content.image_url.url, param))
        if sum(len(p.text) for p in parts if isinstance(p, TextPart)) > intake.limits.max_text_chars:
            raise PayloadTooLarge("message text is too long", param=f"messages[{i}].content")
        messages.append(Message(role, tuple(parts)))
    if not any(m.role == "user" for m in messages):
        raise InvalidRequest("at least one user message is required", param="messages")
    return ChatRequest(
        messages=tuple(messages),
        model=body.model,
        stream=body.stream,
        max_tokens=body.max_completion_tokens or body.max_tokens,
        temperature=body.temperature,
    )


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:24]}"


def sightguard_extension(result: ChatResult) -> dict[str, Any]:
    decided = result.decided_by
    return {
        "decision": "refuse" if decided else "allow",
        "decided_by": None
        if decided is None
        else {
            "guard": decided.guard,
            "category": decided.category,
            "score": round(decided.score, 4),
            "reason": decided.reason,
        },
        "trace": [entry.as_dict() for entry in result.trace],
    }


def completion_response(result: ChatResult) -> dict[str, Any]:
    return {
        "id": _new_id("chatcmpl"),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": result.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": result.text, "refusal": result.refusal},
                "finish_reason": result.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": result.usage.prompt_tokens,
            "completion_tokens": result.usage.completion_tokens,
            "total_tokens": result.usage.prompt_tokens + result.usage.completion_tokens,
        },
        "sightguard": sightguard_extension(result),
    }


class ChunkWriter:
    """Builds the chat.completion.chunk objects of one streamed answer."""

    def __init__(self, model: str) -> None:
        self.id, self.model, self.created = _new_id("chatcmpl"), model, int(time.time())

    def chunk(self, delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
            **extra,
        }
