"""The guard protocol and the registry that builds guards from config ({type, params})."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from ..config import GuardSpec
from ..errors import ConfigError
from ..perception import Perception
from ..types import ChatRequest, GuardDecision


@dataclass(frozen=True)
class GuardInput:
    request: ChatRequest
    perception: Perception
    answer: str | None = None  # set for output guards


class Guard(Protocol):
    name: str
    stage: Literal["input", "output"]

    async def check(self, subject: GuardInput) -> GuardDecision: ...


def _registry() -> dict[str, Callable[..., Guard]]:
    from .explicit import ExplicitImageGuard

    return {"explicit_image": ExplicitImageGuard}


def build_guards(specs: list[GuardSpec]) -> list[Guard]:
    registry = _registry()
    guards = []
    for i, spec in enumerate(specs):
        factory = registry.get(spec.type)
        if factory is None:
            raise ConfigError(f"guards[{i}].type: unknown guard '{spec.type}' (known: {', '.join(registry)})")
        try:
            guards.append(factory(**spec.params))
        except TypeError as exc:
            raise ConfigError(f"guards[{i}].params: {exc}") from exc
    return guards


def allow(guard: str, reason: str = "", score: float = 0.0) -> GuardDecision:
    return GuardDecision(action="allow", guard=guard, score=score, reason=reason)
