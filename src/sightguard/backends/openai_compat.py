"""A backend for any OpenAI-compatible chat completions endpoint (vLLM, Ollama /v1, llama.cpp, OpenAI).

Retries 429, 5xx and connection failures with exponential backoff; a stream is retried only
while nothing has been yielded to the caller yet. Timeouts are not retried: a model that is too
slow once is likely to be too slow again, and the client is already waiting.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from typing import Any, TypeVar, cast

import httpx

from ..errors import BackendError, BackendTimeout
from ..types import ChatRequest, ImagePart, Message, TextPart, Usage
from .base import BackendReply, Capabilities

logger = logging.getLogger(__name__)

T = TypeVar("T")

_MAX_RETRY_AFTER_S = 5.0  # a client is waiting: never pause longer than this
_EXCERPT_CHARS = 200


class _Retryable(Exception):
    """One attempt failed in a way worth another; `error` is raised when no attempt is left."""

    def __init__(self, error: BackendError, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


class OpenAICompatBackend:
    name = "openai"

    def __init__(
        self,
        base_url: str,
        *,
        model: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        max_retries: int = 2,
        backoff_s: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout_s = timeout_s
        self.max_retries = max(0, max_retries)
        self.backoff_s = backoff_s
        self.capabilities = Capabilities(sees_images=True, max_images=None, streams=True)
        self._api_key = api_key
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    # -- protocol -----------------------------------------------------------------------
    async def complete(self, request: ChatRequest) -> BackendReply:
        body = self.wire_body(request, stream=False)
        data = await self._retrying(lambda: self._post_json(body))
        return _reply_from(data)

    async def stream(self, request: ChatRequest) -> AsyncIterator[str]:
        body = self.wire_body(request, stream=True)
        started = False
        for attempt in range(self.max_retries + 1):
            try:
                async with aclosing(self._stream_once(body)) as pieces:
                    async for piece in pieces:
                        started = True
                        yield piece
                return
            except _Retryable as exc:
                if started or attempt == self.max_retries:
                    raise exc.error from None
                await self._pause(attempt, exc)

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    # -- wire format --------------------------------------------------------------------
    def wire_body(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model or request.model,
            "messages": [_wire_message(m) for m in request.messages],
            "stream": stream,
        }
        if request.max_tokens is not None:
            body["max_tokens"] = request.max_tokens
        if request.temperature is not None:
            body["temperature"] = request.temperature
        return body

    # -- transport ----------------------------------------------------------------------
    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
            self._client = httpx.AsyncClient(
                transport=self._transport,
                timeout=httpx.Timeout(self.timeout_s),
                headers=headers,
                trust_env=False,
            )
        return self._client

    async def _retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        for attempt in range(self.max_retries):
            try:
                return await call()
            except _Retryable as exc:
                await self._pause(attempt, exc)
        try:
            return await call()
        except _Retryable as exc:
            raise exc.error from None

    async def _pause(self, attempt: int, exc: _Retryable) -> None:
        delay = exc.retry_after if exc.retry_after is not None else self.backoff_s * 2**attempt
        logger.warning(
            "model backend: %s; retry %d of %d in %.2f s", exc.error.message, attempt + 1, self.max_retries, delay
        )
        await asyncio.sleep(delay)

    async def _open(self, body: dict[str, Any]) -> httpx.Response:
        """Sends one request; returns a 2xx response whose body is still unread (the caller closes it)."""
        accept = "text/event-stream" if body["stream"] else "application/json"
        request = self._http().build_request(
            "POST", f"{self.base_url}/chat/completions", json=body, headers={"Accept": accept}
        )
        response = await self._guard(self._http().send(request, stream=True))
        if response.is_success:
            return response
        try:
            await self._guard(response.aread())
        finally:
            await response.aclose()
        raise self._status_error(response)

    async def _post_json(self, body: dict[str, Any]) -> Any:
        response = await self._open(body)
        try:
            raw = await self._guard(response.aread())
        finally:
            await response.aclose()
        try:
            return json.loads(raw)
        except ValueError:
            raise BackendError("model backend sent a response that is not JSON", code="backend_bad_response") from None

    async def _stream_once(self, body: dict[str, Any]) -> AsyncGenerator[str, None]:
        response = await self._open(body)
        try:
            # httpx's line iterator is an async generator; close it now, not when it is collected
            lines = cast(AsyncGenerator[str, None], response.aiter_lines())
            async with aclosing(lines):
                while (line := await self._guard(anext(lines, None))) is not None:
                    data = _sse_data(line)
                    if data == "[DONE]":
                        return
                    piece = _delta_text(data) if data else ""
                    if piece:
                        yield piece
        finally:
            await response.aclose()

    async def _guard(self, pending: Awaitable[T]) -> T:
        """Awaits one network operation, turning httpx failures into our errors."""
        try:
            return await pending
        except httpx.TimeoutException:
            raise BackendTimeout(
                f"model backend timed out (no answer within {self.timeout_s:g} s)", code="backend_timeout"
            ) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise _Retryable(
                BackendError(
                    f"model backend is unreachable ({type(exc).__name__}: {_excerpt(str(exc), self._api_key)})",
                    code="backend_unreachable",
                )
            ) from None
        except httpx.HTTPError as exc:
            raise BackendError(
                f"model backend request failed ({type(exc).__name__}: {_excerpt(str(exc), self._api_key)})",
                code="backend_unreachable",
            ) from None

    def _status_error(self, response: httpx.Response) -> Exception:
        status = response.status_code
        detail = _excerpt(_upstream_message(response), self._api_key)
        error = BackendError(
            f"model backend answered HTTP {status}" + (f": {detail}" if detail else ""), code="backend_http_error"
        )
        if status == 429 or status >= 500:
            return _Retryable(error, _retry_after(response))
        return error


# -- helpers ----------------------------------------------------------------------------
def _wire_message(message: Message) -> dict[str, Any]:
    if all(isinstance(p, TextPart) for p in message.parts):
        return {"role": message.role, "content": message.text}
    return {"role": message.role, "content": [_wire_part(p) for p in message.parts]}


def _wire_part(part: TextPart | ImagePart) -> dict[str, Any]:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    return {"type": "image_url", "image_url": {"url": part.data_url()}}


def _reply_from(data: Any) -> BackendReply:
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise BackendError("model backend sent a response with no choices", code="backend_bad_response")
    choice = choices[0]
    message = choice.get("message")
    text = _text_of(message.get("content") if isinstance(message, dict) else None)
    finish = "length" if choice.get("finish_reason") == "length" else "stop"
    return BackendReply(text=text, finish_reason=finish, usage=_usage_from(data.get("usage")))


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # a few servers answer with content parts
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def _usage_from(usage: Any) -> Usage | None:
    if not isinstance(usage, dict):
        return None
    try:
        return Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
    except (TypeError, ValueError):
        return None


def _sse_data(line: str) -> str | None:
    if not line.startswith("data:"):
        return None  # blank separators, comments, event:/id: fields
    return line[5:].strip()


def _delta_text(data: str) -> str:
    try:
        chunk = json.loads(data)
    except ValueError:
        raise BackendError("model backend sent a stream event that is not JSON", code="backend_bad_response") from None
    if not isinstance(chunk, dict):
        raise BackendError("model backend sent a malformed stream event", code="backend_bad_response")
    if "error" in chunk:
        raise BackendError(
            f"model backend failed mid-stream: {_excerpt(_message_in(chunk), None)}", code="backend_http_error"
        )
    choices = chunk.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return ""  # e.g. a final usage-only chunk
    delta = choices[0].get("delta")
    return _text_of(delta.get("content") if isinstance(delta, dict) else None)


def _upstream_message(response: httpx.Response) -> str:
    try:
        return _message_in(response.json())
    except (ValueError, UnicodeDecodeError):
        return response.text


def _message_in(payload: Any) -> str:
    """The error message in the shapes servers use: {"error": {"message"}}, {"error": str}, {"detail"}."""
    if isinstance(payload, dict):
        for key in ("error", "detail", "message"):
            if key in payload:
                return _message_in(payload[key])
        return json.dumps(payload)
    return str(payload)


def _excerpt(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, "***")
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 1] + "…"


def _retry_after(response: httpx.Response) -> float | None:
    try:
        seconds = float(response.headers.get("retry-after", ""))
    except ValueError:
        return None  # absent, or an HTTP date: use our own backoff
    return min(max(seconds, 0.0), _MAX_RETRY_AFTER_S)
