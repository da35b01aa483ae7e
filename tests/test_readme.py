"""The README's Python example runs, unchanged but for the server address, against the service."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import screenshot

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs(
    describer_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert code, "README has a python example"
    source = code.group(1).replace("http://127.0.0.1:8000", describer_server)
    screenshot("Organic honey 250 g\nBest before 2027", (800, 300)).save(tmp_path / "label.png")
    monkeypatch.chdir(tmp_path)
    exec(compile(source, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Organic honey" in out and "Best before 2027" in out
    assert "image_intake" in out


def test_readme_quickstart_matches_ci() -> None:
    text = README.read_text()
    ci = (README.parent / ".ci" / "run").read_text()
    assert "pip install -e '.[test]'" in text and "python -m pytest -q" in text
    assert "pip install -q -e '.[test]'" in ci and "python -m pytest -q" in ci
