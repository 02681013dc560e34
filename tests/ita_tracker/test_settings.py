"""Production settings refuse to start without a real secret and hosts, and pass the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3y-" + "x7Qp9Lm2Zr5Vt8Wn" * 4


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "env,message",
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "ita.example.go.th"}, "SECRET_KEY"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "ita.example.go.th", "SECRET_KEY": "short"}, "SECRET_KEY"),
        (
            {"DEBUG": "0", "ALLOWED_HOSTS": "ita.example.go.th", "SECRET_KEY": "django-insecure-" + "a1b2c3d4e5" * 6},
            "SECRET_KEY",
        ),
        ({"DEBUG": "0", "SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secret_and_hosts(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_passes_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="ita.example.go.th",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
