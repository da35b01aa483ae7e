"""A scripted backend for tests (ours and users'): answers with the given replies in turn."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterable

from ..types import ChatRequest
from .base import BackendReply, Capabilities


class FakeBackend:
    name = "fake"

    def __init__(self, replies: Iterable[str] = ("This is a scripted answer.",), *, chunk_words: int = 1) -> None:
        self.replies = list(replies) or [""]
        self._next = itertools.cycle(self.replies)
        self.requests: list[ChatRequest] = []  # what it was sent, for assertions
        self.capabilities = Capabilities(sees_images=True, max_images=None, streams=True)
        self.chunk_words = chunk_words

    async def complete(self, request: ChatRequest) -> BackendReply:
        self.requests.append(request)
        return BackendReply(next(self._next))

    async def stream(self, request: ChatRequest) -> AsyncIterator[str]:
        self.requests.append(request)
        words = next(self._next).split(" ")
        for i in range(0, len(words), self.chunk_words):
            yield ("" if i == 0 else " ") + " ".join(words[i : i + self.chunk_words])

    async def aclose(self) -> None:
        return None
