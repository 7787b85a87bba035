"""Settings read the environment and refuse to start on unsafe or mistyped values.

Each case imports the settings in a fresh interpreter, as a server would at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
LONG_KEY = "k3y-" + "x" * 46
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.TIME_ZONE, "
    "s.DATABASES['default']['ENGINE'])"
)
# Variables a developer's shell or the PostgreSQL test run may set; each case starts clean.
SETTINGS_ENV = [
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "EMAIL_URL",
    "RESUELVE_ANSWER_DAYS",
    "RESUELVE_ACK_HOURS",
    "TASKS_BACKEND",
    "ALLOWED_HOSTS",
]


def start(module: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    environ.update(
        DJANGO_SETTINGS_MODULE=f"resuelve.settings.{module}",
        RESUELVE_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(REPO),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("debug", ["1", "true", "on", "YES"])
def test_it_refuses_to_run_production_with_debug_on(tmp_path, debug):
    refused(
        start("production", tmp_path, DEBUG=debug, SECRET_KEY=LONG_KEY),
        "DEBUG is on; production settings refuse to start",
    )


@pytest.mark.parametrize(
    "key",
    [
        None,  # unset: the insecure development key
        "resuelve-insecure-development-key-do-not-use-in-production",
        "x" * 31,
        "",
    ],
)
def test_it_refuses_production_without_a_long_secret_key(tmp_path, key):
    env = {} if key is None else {"SECRET_KEY": key}
    refused(
        start("production", tmp_path, **env),
        "SECRET_KEY is the default or shorter than 32 characters",
    )


@pytest.mark.parametrize("debug", [None, "0", "false", "no", "off"])
def test_it_starts_production_with_a_long_key_and_debug_off(tmp_path, debug):
    env = {"SECRET_KEY": "y" * 32}
    if debug is not None:
        env["DEBUG"] = debug
    result = start("production", tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "America/Bogota",
        "resuelve.core.db.sqlite",
    ]


def test_it_reads_the_database_and_time_zone_from_the_environment(tmp_path):
    result = start(
        "production",
        tmp_path,
        SECRET_KEY=LONG_KEY,
        TIME_ZONE="Europe/Tallinn",
        DATABASE_URL="postgres://resuelve@db.internal:5432/resuelve",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["Europe/Tallinn", "django.db.backends.postgresql"]


@pytest.mark.parametrize(
    ("module", "env", "message"),
    [
        ("production", {"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ("dev", {"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        (
            "production",
            {"TIME_ZONE": "Mars/Base"},
            "TIME_ZONE='Mars/Base' is not a known time zone",
        ),
        (
            "production",
            {"DATABASE_URL": "nonsense"},
            "DATABASE_URL='nonsense' is not a database URL",
        ),
        ("dev", {"DATABASE_URL": "mongodb://localhost/x"}, "is not a database URL"),
        ("production", {"RESUELVE_ANSWER_DAYS": "fifteen"}, "is not a whole number"),
        ("production", {"LANGUAGE_CODE": "fr"}, "LANGUAGE_CODE='fr' is not served"),
        ("production", {"EMAIL_URL": "carrier-pigeon://coop"}, "is not an e-mail URL"),
        ("production", {"EMAIL_URL": "nonsense"}, "is not an e-mail URL"),
    ],
)
def test_it_fails_loudly_on_a_bad_environment_value(tmp_path, module, env, message):
    refused(start(module, tmp_path, SECRET_KEY=LONG_KEY, **env), message)


@pytest.mark.parametrize(
    ("flag", "expected"), [(None, "True 5"), ("1", "True 5"), ("0", "None None")]
)
def test_postgresql_statements_are_prepared_unless_switched_off(tmp_path, flag, expected):
    environ = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    environ.pop("DB_SERVER_SIDE_BINDING", None)
    environ.update(
        DJANGO_SETTINGS_MODULE="resuelve.settings.dev",
        RESUELVE_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(REPO),
        DATABASE_URL="postgres://resuelve@db.internal:5432/resuelve",
    )
    if flag is not None:
        environ["DB_SERVER_SIDE_BINDING"] = flag
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "o = s.DATABASES['default']['OPTIONS']; "
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", show], env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
