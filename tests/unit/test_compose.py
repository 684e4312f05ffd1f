"""docker-compose.yml is valid compose, checked against the compose-spec schema (no engine here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = Path(sys.executable).parent / "check-jsonschema"


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    command = [str(VALIDATOR), "--builtin-schema", "vendor.compose-spec", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_the_compose_file_is_valid_compose() -> None:
    result = validate(ROOT / "docker-compose.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_refuses_a_broken_compose_file(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    text = (ROOT / "docker-compose.yml").read_text()
    broken.write_text(text.replace("    restart: unless-stopped\n", "    restart: [1, 2]\n", 1))
    assert validate(broken).returncode != 0


def test_postgres_kafka_in_kraft_mode_and_the_three_nodes_with_health_checks() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "kafka", "node-320000", "node-360000", "node-360100"}
    assert all("healthcheck" in service for service in services.values())
    kafka = services["kafka"]["environment"]
    assert "controller" in kafka["KAFKA_PROCESS_ROLES"]
    assert not any("ZOOKEEPER" in name for name in kafka)
    for code in ("320000", "360000", "360100"):
        node = services[f"node-{code}"]
        assert code in node["command"]
        environment = node["environment"]
        assert environment["JIXIAO_ENVIRONMENT"] == "production"
        assert environment["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert "JIXIAO_SECRET_KEY" in environment
        assert set(node["depends_on"]) == {"postgres", "kafka"}
