"""`sightguard serve | chat | eval | report | ...`. Every option also has a SIGHTGUARD_* environment variable."""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import logging
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .config import Settings, load_settings
from .errors import RequestError, SightguardError


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("host", "port", "api_key"):
        if getattr(args, key, None) is not None:
            out[key] = getattr(args, key)
    backend = {
        k: getattr(args, f"backend_{k}")
        for k in ("type", "url", "model")
        if getattr(args, f"backend_{k}", None) is not None
    }
    if backend:
        out["backend"] = backend
    return out


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config, overrides=_overrides(args))


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .server import create_app

    settings = _settings(args)
    app = create_app(settings, warm_up=not args.no_warm_up)
    print(f"sightguard: backend={settings.backend.type} on http://{settings.host}:{settings.port}/v1", file=sys.stderr)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    return 0


async def _chat(settings: Settings, images: list[Path], prompt: str) -> dict[str, Any]:
    import httpx

    from .server import create_app

    content: list[dict[str, Any]] = [{"type": "text", "text": prompt}]
    for path in images:
        data = base64.b64encode(path.read_bytes()).decode()
        content.append({"type": "image_url", "image_url": {"url": f"data:image/*;base64,{data}"}})
    app = create_app(settings)
    body = {"model": settings.model_name, "messages": [{"role": "user", "content": content}]}
    headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sightguard", timeout=600) as client:
            resp = await client.post("/v1/chat/completions", json=body, headers=headers)
    answer: dict[str, Any] = resp.json()
    return answer


def cmd_chat(args: argparse.Namespace) -> int:
    for path in args.images:
        if not path.is_file():
            print(f"sightguard chat: no such image: {path}", file=sys.stderr)
            return 2
    answer = asyncio.run(_chat(_settings(args), args.images, args.prompt))
    if "error" in answer:
        err = answer["error"]
        print(f"error ({err.get('param') or 'request'}): {err['message']}", file=sys.stderr)
        return 1
    choice = answer["choices"][0]
    print(choice["message"]["content"])
    if args.trace:
        ext = answer["sightguard"]
        print(f"\n-- finish_reason: {choice['finish_reason']}", file=sys.stderr)
        for entry in ext["trace"]:
            print(
                f"   {entry['stage']:<7} {entry['name']:<16} {entry['action']:<7} {entry['ms']:>8.1f} ms  "
                f"{entry['category'] or ''} {entry['reason']}",
                file=sys.stderr,
            )
    if args.json:
        print(json.dumps(answer, indent=2))
    return 0


def cmd_train_moderator(args: argparse.Namespace) -> int:
    from .moderation.corpus import default_corpus_dir
    from .moderation.model import WEIGHTS_PATH
    from .moderation.train import train

    corpus = args.corpus or default_corpus_dir()
    if not corpus.is_dir():
        print(f"sightguard train-moderator: no corpus folder {corpus} (run from a source checkout)", file=sys.stderr)
        return 2
    weights = train(corpus, args.out or WEIGHTS_PATH)
    print(f"corpus digest {weights.meta['corpus_digest']}, {weights.meta['train_texts']} training texts")
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    import time

    from .decisionlog import default_path, summarise

    settings = _settings(args)
    path = Path(args.db or settings.decision_log.path or default_path())
    since = time.time() - args.hours * 3600 if args.hours else 0.0
    try:
        summary = summarise(path, limit=args.limit, since=since)
    except FileNotFoundError as exc:
        print(f"sightguard log: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"path": str(path), **asdict(summary)}, indent=2))
        return 0
    share = summary.refused / summary.requests if summary.requests else 0.0
    print(f"{path}: {summary.requests} requests, {summary.refused} refused ({share:.1%})")
    if summary.by_category:
        print("\nrefusals per category:")
        for category, count in summary.by_category.items():
            print(f"  {category:<30} {count:>6}")
    if summary.recent:
        print(f"\nlatest {len(summary.recent)} refusals:")
        for r in summary.recent:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.ts))
            print(f"  {when}  {r.guard:<18} {r.category:<28} {r.score:5.2f}  {r.images} image(s)  {r.model}")
    return 0


def _eval_env(name: str, default: str | None = None) -> str | None:
    """Defaults of the eval options: SIGHTGUARD_EVAL_<NAME> (argparse applies `type` to string defaults)."""
    return os.environ.get(f"SIGHTGUARD_EVAL_{name}", default)


def _eval_samples(args: argparse.Namespace, names: list[str]) -> list[Any]:
    """Built-in packs, then public benchmarks read from the user's files, then demographics."""
    from .evals.loaders import load_benchmark
    from .evals.packs import build_pack

    samples = [s for name in names for s in build_pack(name, seed=args.seed, limit=args.limit)]
    for spec in args.benchmark or []:
        name, _, path = spec.partition("=")
        samples += load_benchmark(name, Path(path), limit=args.limit, seed=args.seed)
        names.append(name)
    if args.demographics:
        samples += build_pack("demographics", seed=args.seed, limit=args.limit, path=args.demographics)
        names.append("demographics")
    return samples


def cmd_eval(args: argparse.Namespace) -> int:
    from .evals.loaders import BENCHMARKS
    from .evals.packs import PACKS, SYSTEM_CARD
    from .evals.runner import RunOptions, run_eval
    from .evals.targets import Target, build_target, parse_target

    if not (args.pack or args.benchmark or args.demographics):
        print("sightguard eval: give --pack, --benchmark NAME=PATH or --demographics CSV", file=sys.stderr)
        return 2
    for spec in args.benchmark or []:
        name, eq, path = spec.partition("=")
        if not eq or not path or name not in BENCHMARKS:
            known = ", ".join(BENCHMARKS)
            print(
                f"sightguard eval: --benchmark: expected NAME=PATH with NAME one of {known}, got {spec!r}",
                file=sys.stderr,
            )
            return 2
    names: list[str] = []
    for pack in args.pack or []:
        names += list(SYSTEM_CARD) if pack == "system-card" else [pack]
    names = list(dict.fromkeys(names))
    unknown = [n for n in names if n not in PACKS]
    if unknown:
        known = ", ".join(["system-card", *PACKS])
        print(f"sightguard eval: --pack: unknown {', '.join(unknown)} (known: {known})", file=sys.stderr)
        return 2
    try:
        samples = _eval_samples(args, names)
    except (FileNotFoundError, ValueError) as exc:
        print(f"sightguard eval: {exc}", file=sys.stderr)
        return 2
    try:
        specs = [parse_target(t) for t in args.target or ["local"]]
    except ValueError as exc:
        print(f"sightguard eval: {exc}", file=sys.stderr)
        return 2
    remote = [s for s in specs if not s.local]
    models: list[str] = args.model or []
    if len(models) > 1 and len(models) != len(remote):
        print(
            f"sightguard eval: --model: give one for all URL targets or one per URL target "
            f"({len(remote)} URL targets, {len(models)} models)",
            file=sys.stderr,
        )
        return 2
    settings = _settings(args) if len(remote) < len(specs) else None
    targets: list[Target] = []
    for spec in specs:
        model = None
        if not spec.local and models:
            model = models[remote.index(spec)] if len(models) > 1 else models[0]
        target = build_target(
            spec, settings=settings, model=model, api_key=args.api_key, timeout_s=args.timeout, warm_up=True
        )
        targets.append(target)
    options = RunOptions(
        concurrency=args.concurrency, timeout_s=args.timeout, retries=args.retries, limit=args.limit, seed=args.seed
    )
    try:
        summary = asyncio.run(run_eval(samples, targets, args.out, options, packs=names))
    except KeyboardInterrupt:
        print(f"\nsightguard eval: interrupted; run the same command again to resume {args.out}", file=sys.stderr)
        return 130
    print(
        f"{args.out}: {summary.answered} answered, {summary.errors} errors, {summary.skipped} done before "
        f"({len(targets)} target(s), {summary.wall_s:.0f} s). Report: sightguard report {args.out}",
        file=sys.stderr,
    )
    return 1 if summary.errors else 0


def cmd_report(args: argparse.Namespace) -> int:
    from .evals.report import write_report
    from .evals.runner import log_path

    missing = [str(d) for d in args.runs if not log_path(d).is_file()]
    if missing:
        print(f"sightguard report: no run log (log.jsonl) in {', '.join(missing)}", file=sys.stderr)
        return 2
    files = write_report(args.runs, args.out or args.runs[0] / "report")
    print(files.html)
    print(files.markdown)
    return 0


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="YAML settings file (env: SIGHTGUARD_CONFIG)")
    p.add_argument(
        "--backend",
        dest="backend_type",
        choices=["describer", "openai", "fake"],
        help="model backend (env: SIGHTGUARD_BACKEND__TYPE; default: describer)",
    )
    p.add_argument(
        "--backend-url", help="OpenAI-compatible base URL, e.g. http://localhost:8001/v1 (env: SIGHTGUARD_BACKEND__URL)"
    )
    p.add_argument("--backend-model", help="model name sent to the backend (env: SIGHTGUARD_BACKEND__MODEL)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sightguard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the OpenAI-compatible guarded service")
    _add_common(serve)
    serve.add_argument("--host", help="listen address (env: SIGHTGUARD_HOST; default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="listen port (env: SIGHTGUARD_PORT; default 8000)")
    serve.add_argument("--api-key", help="require this bearer token (env: SIGHTGUARD_API_KEY)")
    serve.add_argument("--no-warm-up", action="store_true", help="load perception models on first use")
    serve.set_defaults(func=cmd_serve)
    chat = sub.add_parser("chat", help="ask about images from the terminal, through the same guards")
    _add_common(chat)
    chat.add_argument("images", nargs="*", type=Path, help="image files")
    chat.add_argument("--prompt", "-p", default="Describe this image.", help="the question")
    chat.add_argument("--trace", action="store_true", help="print every guard's decision and timing")
    chat.add_argument("--json", action="store_true", help="also print the full response")
    chat.set_defaults(func=cmd_chat)
    trainer = sub.add_parser("train-moderator", help="train the embedded text moderator from the project corpus")
    trainer.add_argument("--corpus", type=Path, help="corpus folder (default: data/moderation of this checkout)")
    trainer.add_argument("--out", type=Path, help="weights file (default: the packaged weights.npz)")
    trainer.set_defaults(func=cmd_train_moderator)
    logs = sub.add_parser("log", help="recent refusals and per-category counts from the decision log")
    logs.add_argument("--config", help="YAML settings file (env: SIGHTGUARD_CONFIG)")
    logs.add_argument("--db", help="decision log path (env: SIGHTGUARD_DECISION_LOG__PATH)")
    logs.add_argument("--limit", type=int, default=20, help="how many recent refusals to list")
    logs.add_argument("--hours", type=float, help="only the last N hours")
    logs.add_argument("--json", action="store_true", help="machine-readable output")
    logs.set_defaults(func=cmd_log)
    ev = sub.add_parser("eval", help="run evaluation packs against sightguard or any OpenAI-compatible endpoint")
    _add_common(ev)  # --config / --backend ... configure the `local` target
    ev.add_argument("--pack", action="append", help="a built-in pack, or system-card for all of them (repeatable)")
    ev.add_argument(
        "--benchmark",
        action="append",
        help="a public benchmark read from your copy, NAME=PATH (repeatable), e.g. xstest=~/data/xstest_prompts.csv",
    )
    ev.add_argument(
        "--demographics", type=Path, help="FairFace-layout CSV (file,age,gender,race) for the demographics pack"
    )
    ev.add_argument(
        "--target",
        action="append",
        help="local (sightguard in process) or http(s)://host:port/v1, optionally NAME=...; repeatable (default local)",
    )
    ev.add_argument("--model", action="append", help="model for URL targets: once for all, or once per URL target")
    ev.add_argument(
        "--api-key", default=_eval_env("API_KEY"), help="bearer token for URL targets (env: SIGHTGUARD_EVAL_API_KEY)"
    )
    ev.add_argument("--out", type=Path, required=True, help="run folder; an existing one is resumed")
    ev.add_argument(
        "--limit",
        type=int,
        default=_eval_env("LIMIT"),
        help="samples per pack (env: SIGHTGUARD_EVAL_LIMIT; default: all)",
    )
    ev.add_argument(
        "--seed", type=int, default=_eval_env("SEED", "0"), help="sampling seed (env: SIGHTGUARD_EVAL_SEED; default 0)"
    )
    ev.add_argument(
        "--concurrency",
        type=int,
        default=_eval_env("CONCURRENCY", "4"),
        help="requests in flight (env: SIGHTGUARD_EVAL_CONCURRENCY; default 4)",
    )
    ev.add_argument(
        "--timeout",
        type=float,
        default=_eval_env("TIMEOUT", "120"),
        help="seconds per request (env: SIGHTGUARD_EVAL_TIMEOUT; default 120)",
    )
    ev.add_argument(
        "--retries",
        type=int,
        default=_eval_env("RETRIES", "3"),
        help="retries on 429, 5xx, connection errors (env: SIGHTGUARD_EVAL_RETRIES; default 3)",
    )
    ev.set_defaults(func=cmd_eval)
    rep = sub.add_parser("report", help="HTML report and Markdown summary of one or more eval runs")
    rep.add_argument("runs", nargs="+", type=Path, help="run folders written by `sightguard eval`")
    rep.add_argument("--out", type=Path, help="output folder (default: FIRST_RUN/report)")
    rep.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (SightguardError, RequestError) as exc:
        print(f"sightguard: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
