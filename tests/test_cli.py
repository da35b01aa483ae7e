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
