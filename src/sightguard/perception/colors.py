"""Cheap pixel statistics the describer can state as facts: orientation, brightness, main colours."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

_NAMED = {
    "black": (20, 20, 20),
    "white": (240, 240, 240),
    "grey": (128, 128, 128),
    "red": (200, 30, 30),
    "orange": (240, 140, 30),
    "yellow": (235, 215, 40),
    "green": (40, 150, 50),
    "blue": (40, 80, 200),
    "light blue": (140, 190, 235),
    "purple": (130, 50, 160),
    "pink": (240, 150, 190),
    "brown": (120, 75, 40),
    "beige": (215, 195, 160),
    "dark green": (25, 70, 35),
    "navy": (20, 30, 80),
}
_NAMES = list(_NAMED)
_PALETTE = np.array([_NAMED[n] for n in _NAMES], dtype=np.float32)


@dataclass(frozen=True)
class ColourFacts:
    main_colours: tuple[str, ...]  # most common first, each covering at least 10% of the image
    brightness: float  # 0 (black) .. 1 (white)
    greyscale: bool


def colour_facts(img: Image.Image) -> ColourFacts:
    small = np.asarray(img.convert("RGB").resize((64, 64)), dtype=np.float32).reshape(-1, 3)
    nearest = np.argmin(((small[:, None, :] - _PALETTE[None, :, :]) ** 2).sum(-1), axis=1)
    counts = np.bincount(nearest, minlength=len(_NAMES)) / len(nearest)
    order = [i for i in np.argsort(-counts) if counts[i] >= 0.10][:3]
    spread = float(np.abs(small - small.mean(axis=1, keepdims=True)).mean())
    return ColourFacts(tuple(_NAMES[i] for i in order), float(small.mean() / 255), spread < 6)
