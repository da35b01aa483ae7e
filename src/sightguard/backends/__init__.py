"""Model backends: the embedded describer, any OpenAI-compatible endpoint, and a scripted fake."""

from .base import Backend, BackendReply, Capabilities

__all__ = ["Backend", "BackendReply", "Capabilities"]
