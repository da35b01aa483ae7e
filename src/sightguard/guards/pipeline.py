"""Input guards, then the backend, then output guards; every step lands in the trace.

Input guards run concurrently; when several refuse, the first in configured order decides.
Streaming: with no output guards the backend's pieces pass straight through; with output guards
the answer is buffered and checked whole before any of it is sent, because a refusal cannot be
taken back once text has reached the client.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

from ..backends import Backend
from ..perception import Perception
from ..types import ChatRequest, ChatResult, GuardDecision, TraceEntry, Usage
from .base import Guard, GuardInput


@dataclass
class StreamPiece:
    """A piece of answer text, or (last) the finished result with its trace."""

    text: str = ""
    result: ChatResult | None = None


class GuardPipeline:
    def __init__(self, backend: Backend, perception: Perception, guards: list[Guard], refusal_text: str) -> None:
        self.backend = backend
        self.perception = perception
        self.input_guards = [g for g in guards if g.stage == "input"]
        self.output_guards = [g for g in guards if g.stage == "output"]
        self.refusal_text = refusal_text

    async def _run_guards(
        self, guards: list[Guard], subject: GuardInput, trace: list[TraceEntry]
    ) -> GuardDecision | None:
        async def timed(guard: Guard) -> tuple[GuardDecision, float]:
            t0 = time.perf_counter()
            decision = await guard.check(subject)
            return decision, (time.perf_counter() - t0) * 1000

        outcomes = await asyncio.gather(*(timed(g) for g in guards))
        stage: Literal["input", "output"] = "output" if subject.answer is not None else "input"
        for decision, ms in outcomes:
            trace.append(
                TraceEntry(
                    stage, decision.guard, decision.action, ms, decision.category, decision.score, decision.reason
                )
            )
        return next((d for d, _ in outcomes if d.refused), None)

    def _refusal(self, request: ChatRequest, decision: GuardDecision, trace: list[TraceEntry]) -> ChatResult:
        return ChatResult(
            text=self.refusal_text,
            finish_reason="content_filter",
            refusal=self.refusal_text,
            decided_by=decision,
            trace=trace,
            model=request.model,
        )

    async def run(self, request: ChatRequest, trace: list[TraceEntry] | None = None) -> ChatResult:
        trace = trace if trace is not None else []
        refused = await self._run_guards(self.input_guards, GuardInput(request, self.perception), trace)
        if refused:
            return self._refusal(request, refused, trace)
        t0 = time.perf_counter()
        reply = await self.backend.complete(request)
        trace.append(TraceEntry("backend", self.backend.name, "allow", (time.perf_counter() - t0) * 1000))
        refused = await self._run_guards(self.output_guards, GuardInput(request, self.perception, reply.text), trace)
        if refused:
            return self._refusal(request, refused, trace)
        finish: Literal["stop", "length"] = "length" if reply.finish_reason == "length" else "stop"
        return ChatResult(
            text=reply.text, finish_reason=finish, trace=trace, usage=reply.usage or Usage(), model=request.model
        )

    async def stream(self, request: ChatRequest, trace: list[TraceEntry] | None = None) -> AsyncIterator[StreamPiece]:
        trace = trace if trace is not None else []
        refused = await self._run_guards(self.input_guards, GuardInput(request, self.perception), trace)
        if refused:
            yield StreamPiece(result=self._refusal(request, refused, trace))
            return
        t0 = time.perf_counter()
        pieces: list[str] = []
        async for piece in self.backend.stream(request):
            pieces.append(piece)
            if not self.output_guards:
                yield StreamPiece(text=piece)
        trace.append(TraceEntry("backend", self.backend.name, "allow", (time.perf_counter() - t0) * 1000))
        answer = "".join(pieces)
        refused = await self._run_guards(self.output_guards, GuardInput(request, self.perception, answer), trace)
        if refused:
            yield StreamPiece(result=self._refusal(request, refused, trace))
            return
        if self.output_guards:
            yield StreamPiece(text=answer)
        yield StreamPiece(result=ChatResult(text=answer, trace=trace, model=request.model))
