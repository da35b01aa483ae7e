"""Latency, throughput, cold start and memory of the full request path.

    python benchmarks/service_bench.py [--n 30]

Needs the test extra (sample images from scikit-image). Runs real uvicorn servers on loopback:
one with the fake backend (guard/HTTP overhead) and one `sightguard serve` subprocess with the
embedded describer (cold start, latency, throughput, peak RSS read from /proc).
Every "uncached" request carries a new image (one pixel changed), so perception really runs.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers import free_port, running, sample, screenshot  # noqa: E402

from sightguard.backends.fake import FakeBackend  # noqa: E402
from sightguard.config import Settings  # noqa: E402
from sightguard.server import create_app  # noqa: E402

MENU = "Tomato soup  $4.50\nGrilled cheese sandwich  $6.25\nGarden salad  $5.00\nOpen 11am to 9pm daily"


def png_url(img: Image.Image, variant: int) -> str:
    arr = np.array(img.convert("RGB"))
    arr[0, 0] = (variant % 256, (variant // 256) % 256, 7)  # a new sha256, same content
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def body(question: str, urls: list[str]) -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": question}]
    content += [{"type": "image_url", "image_url": {"url": u}} for u in urls]
    return {"model": "default", "messages": [{"role": "user", "content": content}]}


async def timed(client: httpx.AsyncClient, payload: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    r = await client.post("/v1/chat/completions", json=payload)
    r.raise_for_status()
    return (time.perf_counter() - t0) * 1000


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(xs, q))


def row(name: str, xs: list[float]) -> str:
    return f"| {name} | {statistics.median(xs):.1f} | {pct(xs, 95):.1f} | {len(xs)} |"


async def series(client: httpx.AsyncClient, make: Any, n: int) -> list[float]:
    await timed(client, make(-1))  # warm
    return [await timed(client, make(i)) for i in range(n)]


async def bench_fake(n: int) -> list[str]:
    app = create_app(Settings(), backend=FakeBackend(["ok"]))
    with running(app) as url:
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            text = await series(client, lambda i: body("Hello", []), n * 5)
    return [row("text only, fake backend (HTTP + guards overhead)", text)]


async def bench_describer(url: str, n: int) -> list[str]:
    photo = sample("astronaut").resize((1024, 768))
    shot = screenshot(MENU)
    rows = []
    async with httpx.AsyncClient(base_url=url, timeout=300) as client:
        rows.append(row("text only, describer", await series(client, lambda i: body("Hello", []), n)))
        rows.append(
            row(
                "one 1024x768 photo (new image each time)",
                await series(client, lambda i: body("Describe this photo.", [png_url(photo, i)]), n),
            )
        )
        rows.append(
            row(
                "one 1024x768 screenshot with text (new image each time)",
                await series(client, lambda i: body("What does this say?", [png_url(shot, i)]), n),
            )
        )
        same = png_url(shot, 99999)
        rows.append(
            row(
                "same screenshot again (perception cache)",
                await series(client, lambda i: body("What does this say?", [same]), n),
            )
        )
        rows.append(
            row(
                "4 images: 2 photos + 2 screenshots (new each time)",
                await series(
                    client,
                    lambda i: body(
                        "Describe these.", [png_url(photo if k < 2 else shot, 20000 + 4 * i + k) for k in range(4)]
                    ),
                    max(3, n // 3),
                ),
            )
        )
        # throughput: concurrency 8, every request a new screenshot
        total = max(16, n)
        sem = asyncio.Semaphore(8)

        async def one(i: int) -> float:
            async with sem:
                return await timed(client, body("What does this say?", [png_url(shot, 50000 + i)]))

        t0 = time.perf_counter()
        lat = await asyncio.gather(*(one(i) for i in range(total)))
        wall = time.perf_counter() - t0
        rows.append(row(f"concurrency 8, new screenshots: {total / wall:.2f} req/s", list(lat)))
    return rows


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30, help="requests per series")
    n = parser.parse_args().n
    print(f"sightguard service benchmark, {os.cpu_count()} cores, n={n}\n")
    port = free_port()
    page = Path("/tmp/sightguard-bench-page.png")
    sample("page").save(page)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sightguard.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=300) as client:
            while True:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            ready = time.perf_counter() - t0
            shot = png_url(screenshot(MENU), 123456)
            await timed(client, body("What does this say?", [shot]))
            first = time.perf_counter() - t0
        rows = await bench_describer(url, n)
        rss = peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    rows = await bench_fake(n) + rows
    print("| request | p50 ms | p95 ms | n |\n|---|---|---|---|")
    print("\n".join(rows))
    print(f"\ncold start (process start -> listening, models warmed): {ready:.2f} s")
    print(f"cold start to first answer (a screenshot): {first:.2f} s")
    print(f"peak RSS of `sightguard serve` with all perception models loaded: {rss:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
