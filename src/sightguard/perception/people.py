"""Faces (dlib's HOG frontal detector, built into dlib, Boost licence) and whole people
(OpenCV's HOG pedestrian detector, shipped in opencv-python-headless 4.x, Apache-2.0).
Detection only: boxes and counts, never identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .lazy import LazyModel


@dataclass(frozen=True)
class Detection:
    box: tuple[int, int, int, int]  # left, top, right, bottom
    score: float
    kind: str  # "face" or "person"


class PeopleModel(LazyModel):
    FACE_MIN_SCORE = 0.3  # dlib HOG margin; below it, clothing patterns pass for faces
    PERSON_MIN_SCORE = 1.0  # HOG SVM margin; below 1, folds of clothing pass for people
    MAX_SIDE = 1024

    def _build(self) -> tuple[Any, Any]:
        import cv2
        import dlib

        hog = cv2.HOGDescriptor()
        hog.setSVMDetector(np.asarray(cv2.HOGDescriptor.getDefaultPeopleDetector(), np.float32))
        return dlib.get_frontal_face_detector(), hog

    def detect(self, rgb: np.ndarray) -> tuple[Detection, ...]:

        with self.using() as (faces_model, hog):
            return self._detect(faces_model, hog, rgb)

    def _detect(self, faces_model: Any, hog: Any, rgb: np.ndarray) -> tuple[Detection, ...]:
        import cv2

        scale = min(1.0, self.MAX_SIDE / max(rgb.shape[:2]))
        img = cv2.resize(rgb, None, fx=scale, fy=scale) if scale < 1 else rgb
        # small images: upsample once so faces of ~40 px are found
        upsample = 1 if max(img.shape[:2]) <= 800 else 0
        rects, scores, _ = faces_model.run(np.ascontiguousarray(img), upsample, 0.0)
        found = [
            Detection(_unscale((r.left(), r.top(), r.right(), r.bottom()), scale), float(s), "face")
            for r, s in zip(rects, scores, strict=False)
            if s >= self.FACE_MIN_SCORE
        ]
        if img.shape[0] < 128 or img.shape[1] < 64:
            return tuple(found)  # smaller than the HOG window: OpenCV would crash, and no body fits
        boxes, weights = hog.detectMultiScale(img, winStride=(8, 8), padding=(8, 8), scale=1.05)
        for (x, y, w, h), weight in zip(boxes, np.ravel(weights), strict=False):
            if float(weight) >= self.PERSON_MIN_SCORE:
                found.append(Detection(_unscale((x, y, x + w, y + h), scale), float(weight), "person"))
        return tuple(found)


def _unscale(box: tuple[int, int, int, int], scale: float) -> tuple[int, int, int, int]:
    return tuple(int(round(v / scale)) for v in box)  # type: ignore[return-value]


def count_people(detections: tuple[Detection, ...]) -> list[tuple[int, int, int, int]]:
    """One box per person: faces, plus person boxes that hold no detected face."""
    faces = [d.box for d in detections if d.kind == "face"]
    people = list(faces)
    for d in detections:
        if d.kind != "person":
            continue
        left, top, right, bottom = d.box
        if not any(left <= (f[0] + f[2]) / 2 <= right and top <= (f[1] + f[3]) / 2 <= bottom for f in faces):
            people.append(d.box)
    return people
