"""Perception runs each model once per image, shared by guards and the describer."""

from __future__ import annotations

import asyncio

from helpers import encode, sample

from sightguard.config import Limits
from sightguard.images import ImageIntake
from sightguard.perception import Perception
from sightguard.perception.ocr import TextLine, reading_order


def part(name: str):  # type: ignore[no-untyped-def]
    return ImageIntake(Limits()).normalise(encode(sample(name)), "x")


async def test_each_model_runs_once_per_image(perception: Perception, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fresh = Perception()
    fresh.ocr_model, fresh.people_model, fresh.explicit_model = (
        perception.ocr_model,
        perception.people_model,
        perception.explicit_model,
    )
    calls = {"ocr": 0}
    real_read = fresh.ocr_model.read

    def counting_read(rgb):  # type: ignore[no-untyped-def]
        calls["ocr"] += 1
        return real_read(rgb)

    monkeypatch.setattr(fresh.ocr_model, "read", counting_read)
    image = part("page")
    results = await asyncio.gather(*(fresh.ocr(image) for _ in range(5)))  # concurrent: one computation
    again = await fresh.facts(image)
    assert calls["ocr"] == 1
    assert all(r is results[0] for r in results) and again.ocr is results[0]


async def test_people_and_explicit_on_real_photos(perception: Perception) -> None:
    astronaut, camera, hopper = part("astronaut"), part("camera"), part("hopper")
    assert (await perception.people(astronaut)).count == 1
    assert (await perception.people(hopper)).faces == 1
    for image in (astronaut, camera, hopper):
        assert (await perception.explicit(image)).scores["sexual"] < 0.2


def test_reading_order_groups_lines_left_to_right() -> None:
    lines = [
        TextLine("right", 1, (300, 10, 400, 30)),
        TextLine("second", 1, (0, 50, 100, 70)),
        TextLine("left", 1, (0, 12, 100, 32)),
    ]
    assert [ln.text for ln in reading_order(lines)] == ["left", "right", "second"]


async def test_intake_reuses_a_resent_image(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from helpers import data_url

    intake = ImageIntake(Limits())
    calls = []
    real = intake.normalise
    monkeypatch.setattr(intake, "normalise", lambda raw, param: calls.append(1) or real(raw, param))
    url = data_url(encode(sample("camera")))
    first, second = await intake.load(url, "a"), await intake.load(url, "b")
    assert first is second and len(calls) == 1
