"""OCR with rapidocr (PP-OCRv6 ONNX models shipped in the wheel, Apache-2.0)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .lazy import LazyModel


@dataclass(frozen=True)
class TextLine:
    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class OcrResult:
    lines: tuple[TextLine, ...]
    ms: float

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class OcrModel(LazyModel):
    # thresholds picked on the project's own images: the defaults drop faint lines of text
    PARAMS = {"Det.thresh": 0.2, "Det.box_thresh": 0.3, "Global.use_cls": False, "Global.log_level": "critical"}
    MIN_CONFIDENCE = 0.5

    def _build(self) -> Any:
        from rapidocr import RapidOCR

        return RapidOCR(params=self.PARAMS)

    def read(self, rgb: np.ndarray) -> tuple[TextLine, ...]:
        rgb = _pad_for_detector(rgb)
        with self.using() as engine:
            result = engine(np.ascontiguousarray(rgb[:, :, ::-1]))  # rapidocr expects BGR
        if result.boxes is None or result.txts is None:
            return ()
        lines = []
        for box, text, score in zip(result.boxes, result.txts, result.scores, strict=False):
            if float(score) < self.MIN_CONFIDENCE or not any(c.isalnum() for c in text):
                continue
            xs, ys = [p[0] for p in box], [p[1] for p in box]
            lines.append(TextLine(text.strip(), float(score), (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys)))))
        return reading_order(lines)


def _pad_for_detector(rgb: np.ndarray) -> np.ndarray:
    """The detector scales the short side up to 736 px: a 1500x2 strip would become 736 px by
    half a million (it crashes). Pad the short side to at least a fifth of the long one, and
    both to 32 px, with the border's colour, so the work stays bounded and text is untouched."""
    h, w = rgb.shape[:2]
    target_h, target_w = max(h, w // 5, 32), max(w, h // 5, 32)
    if (target_h, target_w) == (h, w):
        return rgb
    fill = np.median(np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]), axis=0).astype(rgb.dtype)
    out = np.empty((target_h, target_w, 3), rgb.dtype)
    out[:] = fill
    out[:h, :w] = rgb
    return out


def reading_order(lines: list[TextLine]) -> tuple[TextLine, ...]:
    """Top to bottom; lines whose vertical centres are within half a line height read left to right."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        centre = (line.box[1] + line.box[3]) / 2
        height = max(1, line.box[3] - line.box[1])
        if rows:
            last = rows[-1][0]
            if abs(centre - (last.box[1] + last.box[3]) / 2) < height / 2:
                rows[-1].append(line)
                continue
        rows.append([line])
    return tuple(line for row in rows for line in sorted(row, key=lambda ln: ln.box[0]))
