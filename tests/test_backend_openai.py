"""OpenAICompatBackend against a small real OpenAI-compatible server on loopback."""

from __future__ import annotations

import asyncio
import io
import json
import socket
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import aclosing
from typing import Any

import httpx
import pytest
import uvicorn
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from sightguard.backends.openai_compat import OpenAICompatBackend
from sightguard.config import Limits
from sightguard.errors import BackendError, BackendTimeout
from sightguard.images import ImageIntake
from sightguard.types import ChatRequest, ImagePart, Message, TextPart

SECRET = "sk-test-secret-123"
STREAM_PIECES = ["Hel", "lo", ", wor", "ld"]


# -- the upstream server ----------------------------------------------------------------
def _completion(text: str) -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "object": "chat.completion",
        "model": "upstream",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14},
    }


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": {"message": message, "type": "error"}}, status_code=status, headers=headers)


def _sse(pieces: list[str]) -> StreamingResponse:
    async def events() -> AsyncIterator[bytes]:
        yield b": keep-alive\n\n"
        yield b'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n'
        for piece in pieces:
            chunk = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            yield f"data: {json.dumps(chunk)}\n\n".encode()
            await asyncio.sleep(0.005)
        yield b'data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":4}}\n\n'
        yield b"data: [DONE]\n\n"
        yield b'data: {"choices":[{"index":0,"delta":{"content":"after done"}}]}\n\n'

    return StreamingResponse(events(), media_type="text/event-stream")


async def _ok(body: dict[str, Any], n: int) -> Response:
    return _sse(STREAM_PIECES) if body.get("stream") else JSONResponse(_completion("a red square"))


async def _flaky(body: dict[str, Any], n: int) -> Response:
    return _error(503, "overloaded") if n <= 2 else await _ok(body, n)


async def _rate_limited(body: dict[str, Any], n: int) -> Response:
    return _error(429, "slow down", {"Retry-After": "0"}) if n == 1 else await _ok(body, n)


async def _broken(body: dict[str, Any], n: int) -> Response:
    return _error(500, "internal failure in the model server")


async def _rejects(body: dict[str, Any], n: int) -> Response:
    return _error(400, f"this model does not accept images (key {SECRET})")


async def _slow(body: dict[str, Any], n: int) -> Response:
    await asyncio.sleep(0.5)
    return await _ok(body, n)


async def _not_json(body: dict[str, Any], n: int) -> Response:
    return Response("<html>gateway</html>", media_type="text/html")


async def _no_choices(body: dict[str, Any], n: int) -> Response:
    return JSONResponse({"object": "chat.completion", "choices": []})


SCENARIOS: dict[str, Callable[[dict[str, Any], int], Awaitable[Response]]] = {
    "ok": _ok,
    "flaky": _flaky,
    "rate_limited": _rate_limited,
    "broken": _broken,
    "rejects": _rejects,
    "slow": _slow,
    "not_json": _not_json,
    "no_choices": _no_choices,
}


class Upstream:
    """Records every call per run id, so each test counts only its own calls."""

    def __init__(self) -> None:
        self.base = ""
        self.calls: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.app = Starlette(routes=[Route("/{scenario}/{run}/v1/chat/completions", self._chat, methods=["POST"])])

    async def _chat(self, request: Request) -> Response:
        calls = self.calls[request.path_params["run"]]
        body = await request.json()
        calls.append({"body": body, "headers": dict(request.headers)})
        return await SCENARIOS[request.path_params["scenario"]](body, len(calls))

    def url(self, scenario: str) -> tuple[str, list[dict[str, Any]]]:
        run = uuid.uuid4().hex
        return f"{self.base}/{scenario}/{run}/v1", self.calls[run]


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    state = Upstream()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    state.base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(
        state.app, log_level="warning", lifespan="off", ws="none", http="h11", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "upstream server did not start"
            time.sleep(0.01)
        yield state
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
async def make_backend() -> AsyncIterator[Callable[..., OpenAICompatBackend]]:
    made: list[OpenAICompatBackend] = []

    def make(base_url: str, **kwargs: Any) -> OpenAICompatBackend:
        kwargs.setdefault("backoff_s", 0.01)
        kwargs.setdefault("timeout_s", 5.0)
        backend = OpenAICompatBackend(base_url, **kwargs)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        await backend.aclose()


# -- requests ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def image() -> ImagePart:
    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buf, "PNG")
    return ImageIntake(Limits()).normalise(buf.getvalue(), "x")


def _request(image: ImagePart | None = None, **kwargs: Any) -> ChatRequest:
    parts: tuple[TextPart | ImagePart, ...] = (TextPart("What is in this picture?"),)
    if image is not None:
        parts += (image,)
    messages = (Message("system", (TextPart("Be brief."),)), Message("user", parts))
    return ChatRequest(messages=messages, model="client-model", **kwargs)


async def _collect(pieces: AsyncIterator[str]) -> list[str]:
    return [piece async for piece in pieces]


# -- tests ------------------------------------------------------------------------------
async def test_complete_sends_image_as_data_url_and_model(upstream: Upstream, make_backend, image) -> None:
    url, calls = upstream.url("ok")
    backend = make_backend(url, model="served-model", api_key=SECRET)

    reply = await backend.complete(_request(image, max_tokens=64, temperature=0.2))

    assert reply.text == "a red square"
    assert reply.finish_reason == "stop"
    assert reply.usage is not None and (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (11, 3)
    assert len(calls) == 1
    body, headers = calls[0]["body"], calls[0]["headers"]
    assert body["model"] == "served-model"
    assert body["stream"] is False and body["max_tokens"] == 64 and body["temperature"] == 0.2
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert body["messages"][1] == {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is in this picture?"},
            {"type": "image_url", "image_url": {"url": image.data_url()}},
        ],
    }
    assert body["messages"][1]["content"][1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert headers["authorization"] == f"Bearer {SECRET}"


async def test_model_defaults_to_the_requests_and_text_only_is_a_string(upstream: Upstream, make_backend) -> None:
    url, calls = upstream.url("ok")
    backend = make_backend(url)

    await backend.complete(_request())

    body = calls[0]["body"]
    assert body["model"] == "client-model"
    assert body["messages"][1] == {"role": "user", "content": "What is in this picture?"}
    assert "max_tokens" not in body and "temperature" not in body
    assert "authorization" not in calls[0]["headers"]


async def test_stream_yields_pieces_in_order(upstream: Upstream, make_backend, image) -> None:
    url, calls = upstream.url("ok")
    backend = make_backend(url)

    pieces = await _collect(backend.stream(_request(image)))

    assert pieces == STREAM_PIECES
    assert len(calls) == 1 and calls[0]["body"]["stream"] is True


async def test_stream_left_early_closes_cleanly(upstream: Upstream, make_backend) -> None:
    url, _ = upstream.url("ok")
    backend = make_backend(url)

    async with aclosing(backend.stream(_request())) as pieces:
        async for piece in pieces:
            assert piece == STREAM_PIECES[0]
            break
    assert (await backend.complete(_request())).text == "a red square"  # the client is still usable


async def test_503_twice_then_200_is_retried(upstream: Upstream, make_backend) -> None:
    url, calls = upstream.url("flaky")
    backend = make_backend(url, max_retries=2)

    reply = await backend.complete(_request())

    assert reply.text == "a red square"
    assert len(calls) == 3


async def test_stream_is_retried_before_its_first_byte(upstream: Upstream, make_backend) -> None:
    url, calls = upstream.url("flaky")
    backend = make_backend(url, max_retries=2)

    assert await _collect(backend.stream(_request())) == STREAM_PIECES
    assert len(calls) == 3


async def test_429_with_retry_after_zero_is_retried(upstream: Upstream, make_backend) -> None:
    url, calls = upstream.url("rate_limited")
    backend = make_backend(url, backoff_s=30.0)  # Retry-After: 0 must win over the backoff

    reply = await asyncio.wait_for(backend.complete(_request()), timeout=5)

    assert reply.text == "a red square"
    assert len(calls) == 2


async def test_persistent_500_is_a_backend_error(upstream: Upstream, make_backend) -> None:
    url, calls = upstream.url("broken")
    backend = make_backend(url, max_retries=2)

    with pytest.raises(BackendError) as info:
        await backend.complete(_request())

    assert type(info.value) is BackendError and info.value.status == 502
    assert "500" in info.value.message and "internal failure in the model server" in info.value.message
    assert len(calls) == 3


async def test_persistent_500_on_a_stream_is_a_backend_error(upstream: Upstream, make_backend) -> None:
    url, calls = upstream.url("broken")
    backend = make_backend(url, max_retries=1)

    with pytest.raises(BackendError) as info:
        await _collect(backend.stream(_request()))

    assert info.value.status == 502 and "500" in info.value.message
    assert len(calls) == 2


async def test_400_is_not_retried_and_hides_the_key(upstream: Upstream, make_backend, image) -> None:
    url, calls = upstream.url("rejects")
    backend = make_backend(url, api_key=SECRET, max_retries=2)

    with pytest.raises(BackendError) as info:
        await backend.complete(_request(image))

    assert info.value.status == 502
    assert "400" in info.value.message and "does not accept images" in info.value.message
    assert SECRET not in info.value.message
    assert len(calls) == 1


async def test_slow_endpoint_times_out(upstream: Upstream, make_backend) -> None:
    url, calls = upstream.url("slow")
    backend = make_backend(url, timeout_s=0.2)

    with pytest.raises(BackendTimeout) as info:
        await backend.complete(_request())

    assert info.value.status == 504 and "timed out" in info.value.message
    assert len(calls) == 1  # timeouts are not retried


async def test_connection_refused_is_a_backend_error(make_backend) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the backend connects
    backend = make_backend(f"http://127.0.0.1:{port}/v1", max_retries=1)

    with pytest.raises(BackendError) as info:
        await backend.complete(_request())
    assert type(info.value) is BackendError and info.value.status == 502
    assert "unreachable" in info.value.message

    with pytest.raises(BackendError):
        await _collect(backend.stream(_request()))


@pytest.mark.parametrize("scenario, words", [("not_json", "not JSON"), ("no_choices", "no choices")])
async def test_malformed_answers_are_backend_errors(upstream: Upstream, make_backend, scenario, words) -> None:
    url, calls = upstream.url(scenario)
    backend = make_backend(url)

    with pytest.raises(BackendError) as info:
        await backend.complete(_request())

    assert info.value.status == 502 and words in info.value.message
    assert len(calls) == 1


# -- a stream that breaks part-way (needs control of the bytes: an in-process transport) ----
class _BreakingStream(httpx.AsyncByteStream):
    def __init__(self, events_before_break: list[bytes]) -> None:
        self.events = events_before_break

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for event in self.events:
            yield event
        raise httpx.ReadError("connection reset by peer")


def _breaking_transport(streams: list[list[bytes] | None]) -> tuple[httpx.MockTransport, list[int]]:
    """Call i answers with streams[i]: a list of events then a reset, or None for a whole answer."""
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        events = streams[min(len(calls), len(streams)) - 1]
        headers = {"content-type": "text/event-stream"}
        if events is None:
            body = (
                b"".join(
                    f"data: {json.dumps({'choices': [{'delta': {'content': p}}]})}\n\n".encode() for p in STREAM_PIECES
                )
                + b"data: [DONE]\n\n"
            )
            return httpx.Response(200, headers=headers, content=body)
        return httpx.Response(200, headers=headers, stream=_BreakingStream(events))

    return httpx.MockTransport(handler), calls


async def test_stream_broken_before_any_piece_is_retried(make_backend) -> None:
    transport, calls = _breaking_transport([[b": ping\n\n"], None])
    backend = make_backend("http://upstream.invalid/v1", transport=transport)

    assert await _collect(backend.stream(_request())) == STREAM_PIECES
    assert len(calls) == 2


async def test_stream_broken_after_a_piece_is_not_retried(make_backend) -> None:
    first = b'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n'
    transport, calls = _breaking_transport([[first], None])
    backend = make_backend("http://upstream.invalid/v1", transport=transport)

    received: list[str] = []
    with pytest.raises(BackendError) as info:
        async for piece in backend.stream(_request()):
            received.append(piece)

    assert received == ["Hel"]
    assert "unreachable" in info.value.message
    assert len(calls) == 1
