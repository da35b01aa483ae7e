"""Guards: each is one async check returning a GuardDecision; pipeline.py runs them."""

from .base import Guard, GuardInput, build_guards

__all__ = ["Guard", "GuardInput", "build_guards"]
