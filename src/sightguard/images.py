"""Image intake: every image is checked and normalised here before any model sees a pixel.

Order matters: bytes are counted before decoding, the header (format, width, height) is read
before pixels are, and only then is the image decoded, EXIF orientation applied and the image
re-encoded without any metadata (EXIF, GPS, ICC text, comments never reach a backend).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import io
import ipaddress
import socket
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx
from PIL import Image, ImageOps, UnidentifiedImageError

from .config import Limits
from .errors import InvalidRequest, PayloadTooLarge, UnsupportedMedia
from .types import ImagePart

_MAX_REDIRECTS = 3


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


@dataclass
class ImageIntake:
    limits: Limits
    allow_private_addresses: bool = False  # only for tests and closed networks
    # chat clients resend every earlier image on each turn: keep the last few normalised results
    recent_size: int = 64
    _recent: OrderedDict[str, ImagePart] = field(default_factory=OrderedDict, repr=False)

    async def load(self, url: str, param: str) -> ImagePart:
        if not isinstance(url, str) or not url:
            raise InvalidRequest("image_url.url must be a non-empty string", param=param)
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            raw = self._decode_data_url(url, param)
        elif scheme in ("http", "https"):
            raw = await self._fetch(url, param)
        else:
            raise InvalidRequest(
                f"image URL scheme '{scheme}' is not allowed; send a data: URL",
                param=param,
                code="unsupported_url_scheme",
            )
        key = hashlib.sha256(raw).hexdigest()
        part = self._recent.get(key)
        if part is None:
            part = await asyncio.to_thread(self.normalise, raw, param)
            self._recent[key] = part
            if len(self._recent) > self.recent_size:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(key)
        return part

    # -- sources ------------------------------------------------------------------------
    def _decode_data_url(self, url: str, param: str) -> bytes:
        header, sep, payload = url.partition(",")
        if not sep or not header.lower().endswith(";base64"):
            raise InvalidRequest("data URL must be base64: data:image/png;base64,...", param=param)
        media = header[5:].split(";", 1)[0].lower()
        if media and not media.startswith("image/"):
            raise UnsupportedMedia(f"data URL media type '{media}' is not an image", param=param)
        if "svg" in media:
            raise UnsupportedMedia("SVG images are not accepted", param=param, code="unsupported_format")
        # 4 base64 characters carry 3 bytes: refuse oversized payloads before decoding them
        if len(payload) * 3 // 4 > self.limits.max_image_bytes + 3:
            raise PayloadTooLarge(
                f"image is larger than {self.limits.max_image_bytes} bytes", param=param, code="image_too_large"
            )
        try:
            return base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidRequest("data URL is not valid base64", param=param) from None

    async def _fetch(self, url: str, param: str) -> bytes:
        for _ in range(_MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            if not host:
                raise InvalidRequest("image URL has no host", param=param)
            if host not in {h.lower() for h in self.limits.url_allowlist}:
                raise InvalidRequest(
                    f"image host '{host}' is not on the allow-list; send a data: URL",
                    param=param,
                    code="url_not_allowed",
                )
            address = await self._resolve_checked(host, parts.port, param)
            # connect to the address we checked (not a second DNS answer), keep Host/SNI the name
            netloc = f"[{address}]" if ":" in address else address
            if parts.port:
                netloc += f":{parts.port}"
            target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            timeout = httpx.Timeout(self.limits.fetch_timeout_s)
            try:
                async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False) as client:
                    async with client.stream(
                        "GET",
                        target,
                        headers={"Host": parts.netloc.rsplit("@", 1)[-1]},
                        extensions={"sni_hostname": host},
                    ) as resp:
                        if resp.is_redirect:
                            location = resp.headers.get("location", "")
                            url = str(httpx.URL(url).join(location))
                            if (urlsplit(url).hostname or "").lower() != host:
                                raise InvalidRequest(
                                    "image URL redirects to another host", param=param, code="url_redirect"
                                )
                            continue
                        if resp.status_code != 200:
                            raise InvalidRequest(
                                f"fetching the image failed with HTTP {resp.status_code}",
                                param=param,
                                code="url_fetch_failed",
                            )
                        declared = int(resp.headers.get("content-length") or 0)
                        if declared > self.limits.max_image_bytes:
                            raise PayloadTooLarge("image is too large", param=param, code="image_too_large")
                        chunks, size = [], 0
                        async for chunk in resp.aiter_bytes():
                            size += len(chunk)
                            if size > self.limits.max_image_bytes:
                                raise PayloadTooLarge("image is too large", param=param, code="image_too_large")
                            chunks.append(chunk)
                        return b"".join(chunks)
            except httpx.TimeoutException:
                raise InvalidRequest("fetching the image timed out", param=param, code="url_timeout") from None
            except httpx.HTTPError as exc:
                raise InvalidRequest(
                    f"fetching the image failed: {exc}", param=param, code="url_fetch_failed"
                ) from None
        raise InvalidRequest("image URL redirects too many times", param=param, code="url_redirect")

    async def _resolve_checked(self, host: str, port: int | None, param: str) -> str:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
        except socket.gaierror:
            raise InvalidRequest(
                f"image host '{host}' does not resolve", param=param, code="url_fetch_failed"
            ) from None
        addresses = [str(info[4][0]) for info in infos]
        if not self.allow_private_addresses and not all(_is_public(a) for a in addresses):
            raise InvalidRequest(
                f"image host '{host}' resolves to a private, loopback or link-local address",
                param=param,
                code="url_not_allowed",
            )
        return addresses[0]

    # -- decoding -----------------------------------------------------------------------
    def normalise(self, raw: bytes, param: str) -> ImagePart:
        limits = self.limits
        if len(raw) > limits.max_image_bytes:
            raise PayloadTooLarge(
                f"image is larger than {limits.max_image_bytes} bytes", param=param, code="image_too_large"
            )
        head = raw[:512].lstrip().lower()
        if head.startswith(b"<?xml") or b"<svg" in head:
            raise UnsupportedMedia("SVG images are not accepted", param=param, code="unsupported_format")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                img = Image.open(io.BytesIO(raw))  # reads the header only
                fmt = (img.format or "").upper()
                if fmt not in {f.upper() for f in limits.allowed_formats}:
                    raise UnsupportedMedia(
                        f"image format {fmt or 'unknown'} is not accepted; use one of "
                        f"{', '.join(limits.allowed_formats)}",
                        param=param,
                        code="unsupported_format",
                    )
                width, height = img.size
                if width * height > limits.max_image_pixels or width <= 0 or height <= 0:
                    raise PayloadTooLarge(
                        f"image is {width}x{height} pixels; the limit is {limits.max_image_pixels} pixels",
                        param=param,
                        code="image_too_many_pixels",
                    )
                if getattr(img, "n_frames", 1) > 1:
                    img.seek(0)  # animated images: the first frame
                img.load()
                upright = ImageOps.exif_transpose(img)
                return _encode(upright, fmt)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PayloadTooLarge("image claims too many pixels", param=param, code="image_too_many_pixels") from None
        except UnidentifiedImageError:
            raise UnsupportedMedia("image could not be decoded", param=param, code="invalid_image") from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise InvalidRequest(f"image could not be decoded: {exc}", param=param, code="invalid_image") from None


def _encode(img: Image.Image, source_format: str) -> ImagePart:
    """Re-encode without metadata: JPEG stays JPEG (photos), everything else becomes PNG."""
    buf = io.BytesIO()
    if source_format == "JPEG":
        img = img.convert("RGB") if img.mode not in ("RGB", "L") else img
        img.save(buf, "JPEG", quality=92)
        media = "image/jpeg"
    else:
        if img.mode not in ("RGB", "RGBA", "L", "LA"):
            img = img.convert("RGBA" if "transparency" in img.info or img.mode == "PA" else "RGB")
        img.save(buf, "PNG", compress_level=1)
        media = "image/png"
    data = buf.getvalue()
    return ImagePart(
        data=data,
        media_type=media,
        sha256=hashlib.sha256(data).hexdigest(),
        width=img.width,
        height=img.height,
        source_format=source_format,
    )
