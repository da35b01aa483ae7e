"""Packaged models that look at pixels. Each loads lazily, once per process, on first use."""

from .service import ImageFacts, Perception

__all__ = ["ImageFacts", "Perception"]
