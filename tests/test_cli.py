from __future__ import annotations

from pathlib import Path

import pytest
from helpers import sample

from sightguard.cli import main


def test_chat_prints_the_answer_and_trace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.png"
    sample("page").save(path)
    assert main(["chat", str(path), "--prompt", "What does this say?", "--trace"]) == 0
    out, err = capsys.readouterr()
    assert "Region-based segmentation" in out
    assert "explicit_image" in err and "describer" in err and "ms" in err


def test_chat_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", str(tmp_path / "missing.png")]) == 2
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    assert main(["chat", str(bad)]) == 1
    assert "messages[0].content[1]" in capsys.readouterr().err


BENCHMARK_FIXTURES = Path(__file__).parent / "fixtures" / "benchmarks"


def test_eval_runs_a_public_benchmark_from_the_users_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    out = tmp_path / "run"
    xstest = BENCHMARK_FIXTURES / "xstest"
    args = ["eval", "--backend", "fake", "--benchmark", f"xstest={xstest}", "--limit", "4", "--out", str(out)]
    assert main(args) == 0
    results = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    rows = [r for r in results if r["type"] == "result"]
    assert len(rows) == 4 and {r["pack"] for r in rows} == {"xstest"}
    assert {r["expect"] for r in rows} <= {"answer", "refuse"}
    assert results[0]["packs"] == ["xstest"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --pack, --benchmark"),
        (["--benchmark", "nosuch=/tmp"], "--benchmark: expected NAME=PATH"),
        (["--benchmark", "xstest"], "--benchmark: expected NAME=PATH"),
        (["--benchmark", "xstest=/no/such/folder"], "/no/such/folder"),
        (["--demographics", "/no/such/fairface.csv"], "/no/such/fairface.csv"),
    ],
)
def test_eval_rejects_bad_sources_before_loading_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["eval", "--out", str(tmp_path / "run"), *args]) == 2
    assert message in capsys.readouterr().err
