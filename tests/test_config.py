from __future__ import annotations

from pathlib import Path

import pytest

from sightguard.config import load_settings
from sightguard.errors import ConfigError
from sightguard.guards import build_guards


def test_yaml_then_env_then_overrides(tmp_path: Path) -> None:
    cfg = tmp_path / "s.yaml"
    cfg.write_text("port: 9000\nbackend: {type: openai, url: 'http://a/v1'}\nlimits: {max_images_per_request: 3}\n")
    env = {"SIGHTGUARD_PORT": "9100", "SIGHTGUARD_LIMITS__URL_ALLOWLIST": "[img.example.org]", "HOME": "/x"}
    s = load_settings(cfg, environ=env, overrides={"backend": {"model": "llava"}})
    assert s.port == 9100
    assert s.backend.type == "openai" and s.backend.url == "http://a/v1" and s.backend.model == "llava"
    assert s.limits.max_images_per_request == 3 and s.limits.url_allowlist == ["img.example.org"]


def test_bad_settings_are_named() -> None:
    with pytest.raises(ConfigError, match="prot"):
        load_settings(environ={"SIGHTGUARD_PROT": "1"})
    with pytest.raises(ConfigError, match="guards\\[0\\].type"):
        build_guards(load_settings(environ={"SIGHTGUARD_GUARDS": "[{type: nope}]"}).guards)
    with pytest.raises(ConfigError, match="threshold"):
        build_guards(
            load_settings(environ={"SIGHTGUARD_GUARDS": "[{type: explicit_image, params: {threshold: 3}}]"}).guards
        )


def test_config_file_is_never_executed(tmp_path: Path) -> None:
    cfg = tmp_path / "evil.yaml"
    cfg.write_text("!!python/object/apply:os.system ['touch pwned']\n")
    with pytest.raises(ConfigError):
        load_settings(cfg, environ={})
