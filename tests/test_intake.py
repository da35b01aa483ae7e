"""Hostile inputs: each answered with the exact status and an OpenAI error envelope naming the
parameter, and a normal request still works afterwards."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from helpers import data_url, encode, image_part, noise_photo, png_claiming, running, sample
from PIL import Image
from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sightguard.backends.fake import FakeBackend
from sightguard.config import Settings
from sightguard.server import create_app


def chat(url: str, content: Any, **extra: Any) -> httpx.Response:
    body = {"model": "default", "messages": [{"role": "user", "content": content}], **extra}
    return httpx.post(f"{url}/v1/chat/completions", json=body, timeout=60)


def with_image(url_value: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": "What is it?"}, {"type": "image_url", "image_url": {"url": url_value}}]


def assert_error(resp: httpx.Response, status: int, param: str | None, code: str | None = None) -> None:
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["param"] == param
    assert error["message"]
    if code:
        assert error["code"] == code


def still_healthy(url: str) -> None:
    resp = chat(url, [{"type": "text", "text": "hi"}, image_part(encode(sample("camera")))])
    assert resp.status_code == 200
    assert resp.json()["choices"][0]["finish_reason"] == "stop"


svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'

CASES = [
    ("bad base64", with_image("data:image/png;base64,@@@not-base64@@@"), 400, "invalid_request_error"),
    ("not base64 data url", with_image("data:image/png,rawbytes"), 400, None),
    ("svg data url", with_image(data_url(svg, "image/svg+xml")), 415, "unsupported_format"),
    ("svg bytes as png", with_image(data_url(svg)), 415, "unsupported_format"),
    ("bmp", with_image(data_url(encode(Image.new("RGB", (8, 8)), "BMP"))), 415, "unsupported_format"),
    ("tiff", with_image(data_url(encode(Image.new("RGB", (8, 8)), "TIFF"))), 415, "unsupported_format"),
    ("truncated png", with_image(data_url(b"\x89PNG\r\n\x1a\nnot really")), 400, "invalid_image"),
    ("unknown bytes", with_image(data_url(b"hello, not an image at all")), 415, "invalid_image"),
    ("pixel bomb", with_image(data_url(png_claiming(40000, 40000))), 413, "image_too_many_pixels"),
    ("too many bytes", with_image(data_url(encode(noise_photo((1000, 1000))))), 413, "image_too_large"),
    ("file scheme", with_image("file:///etc/passwd"), 400, "unsupported_url_scheme"),
    ("ftp scheme", with_image("ftp://example.org/a.png"), 400, "unsupported_url_scheme"),
    ("host not allow-listed", with_image("https://example.org/a.png"), 400, "url_not_allowed"),
    ("text media type", with_image("data:text/plain;base64,aGVsbG8="), 415, None),
]


@pytest.mark.parametrize("name,content,status,code", CASES, ids=[c[0] for c in CASES])
def test_hostile_image(fake_server: str, name: str, content: Any, status: int, code: str | None) -> None:
    resp = chat(fake_server, content)
    expected_code = code if code != "invalid_request_error" else None
    assert_error(resp, status, "messages[0].content[1]", expected_code)
    still_healthy(fake_server)


def test_too_many_images(fake_server: str) -> None:
    img = image_part(encode(sample("camera").resize((64, 64))))
    resp = chat(fake_server, [{"type": "text", "text": "x"}, *[img] * 5])
    assert_error(resp, 400, "messages[0].content[5]", "too_many_images")
    still_healthy(fake_server)


@pytest.mark.parametrize(
    "body,status,param",
    [
        (b"{not json", 400, None),
        (b'{"model": "default"}', 400, "messages"),
        (b'{"model": "default", "messages": []}', 400, "messages"),
        (b'{"model": "default", "messages": [{"role": "robot", "content": "x"}]}', 400, "messages[0].role"),
        (
            b'{"model": "default", "messages": [{"role": "user", "content": [{"type": "video"}]}]}',
            400,
            "messages[0].content[0]",
        ),
        (b'{"model": "default", "messages": [{"role": "user", "content": "x"}], "temperature": 9}', 400, "temperature"),
        (b'{"model": "default", "messages": [{"role": "system", "content": "only system"}]}', 400, "messages"),
    ],
)
def test_malformed_bodies(fake_server: str, body: bytes, status: int, param: str | None) -> None:
    resp = httpx.post(f"{fake_server}/v1/chat/completions", content=body, headers={"content-type": "application/json"})
    assert_error(resp, status, param)
    still_healthy(fake_server)


def test_body_size_limit(fake_server: str) -> None:
    resp = httpx.post(f"{fake_server}/v1/chat/completions", content=b"x" * 13_000_000)
    assert_error(resp, 413, None, "body_too_large")
    still_healthy(fake_server)


def test_images_only_in_user_messages(fake_server: str) -> None:
    body = {
        "model": "default",
        "messages": [
            {"role": "assistant", "content": [image_part(encode(sample("camera")))]},
            {"role": "user", "content": "x"},
        ],
    }
    resp = httpx.post(f"{fake_server}/v1/chat/completions", json=body)
    assert_error(resp, 400, "messages[0].content[0]")


def test_exif_orientation_applied_and_metadata_dropped(fake_server: str, fake_backend: FakeBackend) -> None:
    photo = sample("astronaut").resize((200, 100))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees on display
    exif[0x8825] = {2: (48.0, 51.0, 24.0), 1: "N"}  # GPS latitude: must never reach a backend
    raw = encode(photo, "JPEG", exif=exif.tobytes())
    assert b"Exif" in raw
    resp = chat(fake_server, [{"type": "text", "text": "x"}, image_part(raw, "image/jpeg")])
    assert resp.status_code == 200
    forwarded = fake_backend.requests[-1].images[0]
    assert (forwarded.width, forwarded.height) == (100, 200)
    assert b"Exif" not in forwarded.data and b"GPS" not in forwarded.data
    assert not Image.open(io.BytesIO(forwarded.data)).getexif()


def test_gif_first_frame_and_webp(fake_server: str, fake_backend: FakeBackend) -> None:
    frames = [Image.new("RGB", (32, 32), c) for c in ("red", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    webp = encode(Image.new("RGB", (16, 16), "green"), "WEBP")
    resp = chat(
        fake_server,
        [{"type": "text", "text": "x"}, image_part(buf.getvalue(), "image/gif"), image_part(webp, "image/webp")],
    )
    assert resp.status_code == 200
    gif, webp_part = fake_backend.requests[-1].images
    first = Image.open(io.BytesIO(gif.data)).convert("RGB").getpixel((5, 5))
    assert first[0] > 200 and first[2] < 50  # red: the first frame
    assert webp_part.media_type == "image/png"


# -- remote images: allow-list and SSRF ------------------------------------------------------


@pytest.fixture(scope="module")
def image_host() -> Iterator[str]:
    png = encode(sample("camera").resize((64, 64)))

    async def image(request: Any) -> Response:
        return Response(png, media_type="image/png")

    async def elsewhere(request: Any) -> Response:
        return RedirectResponse("http://other.invalid/x.png")

    async def same_host(request: Any) -> Response:
        return RedirectResponse("/img.png")

    async def big(request: Any) -> Response:
        return Response(b"\0" * 3_000_000, media_type="image/png")

    app = Starlette(
        routes=[Route("/img.png", image), Route("/away", elsewhere), Route("/again", same_host), Route("/big", big)]
    )
    with running(app) as url:
        yield url


def remote_server(perception: Any, allow: list[str], private_ok: bool):  # type: ignore[no-untyped-def]
    settings = Settings.model_validate({"limits": {"url_allowlist": allow, "max_image_bytes": 2_000_000}})
    return running(
        create_app(settings, backend=FakeBackend(), perception=perception, allow_private_image_hosts=private_ok)
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_allow_listed_host_on_loopback_is_refused(image_host: str, perception: Any, host: str) -> None:
    port = image_host.rsplit(":", 1)[1]
    with remote_server(perception, [host], private_ok=False) as url:
        resp = chat(url, with_image(f"http://{host}:{port}/img.png"))
        assert_error(resp, 400, "messages[0].content[1]", "url_not_allowed")
        assert "private" in resp.json()["error"]["message"]


@pytest.mark.parametrize("address", ["169.254.169.254", "10.0.0.1", "192.168.1.1", "[::1]", "0.0.0.0"])
def test_private_and_metadata_addresses_refused(perception: Any, address: str) -> None:
    host = address.strip("[]")
    with remote_server(perception, [host], private_ok=False) as url:
        resp = chat(url, with_image(f"http://{address}/latest/meta-data/"))
        assert_error(resp, 400, "messages[0].content[1]", "url_not_allowed")


def test_fetch_rules_on_an_allowed_host(image_host: str, perception: Any) -> None:
    # private addresses allowed here only so the fetch rules can be exercised on loopback
    with remote_server(perception, ["127.0.0.1"], private_ok=True) as url:
        ok = chat(url, with_image(f"{image_host}/img.png"))
        assert ok.status_code == 200, ok.text
        assert chat(url, with_image(f"{image_host}/again")).status_code == 200
        assert_error(chat(url, with_image(f"{image_host}/away")), 400, "messages[0].content[1]", "url_redirect")
        assert_error(chat(url, with_image(f"{image_host}/big")), 413, "messages[0].content[1]", "image_too_large")
        assert_error(
            chat(url, with_image(f"{image_host}/missing.png")), 400, "messages[0].content[1]", "url_fetch_failed"
        )


def test_base64_is_counted_before_decoding(fake_server: str) -> None:
    huge = "data:image/png;base64," + base64.b64encode(b"\0" * 2_100_000).decode()
    assert_error(chat(fake_server, with_image(huge)), 413, "messages[0].content[1]", "image_too_large")


@pytest.mark.parametrize("size", [(1, 1), (64, 64), (3000, 2), (2, 1500), (63, 127)])
def test_tiny_and_thin_images_are_described(describer_server: str, size: tuple[int, int]) -> None:
    # models have minimum input sizes (OpenCV's HOG segfaults below its window): none may crash us
    raw = encode(Image.new("RGB", size, "white"))
    resp = chat(describer_server, [{"type": "text", "text": "Describe this."}, image_part(raw)])
    assert resp.status_code == 200, resp.text
    assert f"{size[0]}x{size[1]} pixels" in resp.json()["choices"][0]["message"]["content"]
