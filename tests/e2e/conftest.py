"""Browser tests: a real `resuelve serve` on loopback with its own SQLite database and demo
data, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "screenshots"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _resuelve(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "resuelve.cli", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"resuelve {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; `make test` installs it (apt-get).")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    data = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "resuelve.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{data}/e2e.sqlite3",
        "RESUELVE_DATA_DIR": str(data),
        "EMAIL_URL": f"file://{data}/mail",
        "LANGUAGE_CODE": "es",
        "RESUELVE_DEADLINE_POLICY": "co-ley-1755",  # as `make demo` runs
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    _resuelve(env, "migrate", "--no-input", "-v0")
    _resuelve(env, "demo", "--complaints", "60", "--no-migrate")
    # One fresh complaint, registered through the service as the intake would, to walk through.
    code = _resuelve(
        env, "shell", "-c",
        "from resuelve.complaints import services\n"
        "c = services.complaint_register(channel='phone', kind='claim',"
        " subject='Frenos chirrían tras el mantenimiento',"
        " description='Desde el mantenimiento los frenos chirrían al detenerme.',"
        " contact_name='Valentina Torres', contact_email='valentina@example.com', language='es',"
        " route=False)\n"
        "print(c.tracking_code)",
    ).strip().splitlines()[-1]
    process = subprocess.Popen(
        [sys.executable, "-m", "resuelve.cli", "serve", "--no-worker", "--port", str(port),
         "--workers", "1", "--threads", "4"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"server did not start: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        time.sleep(0.3)
    yield {"base": base, "code": code, "env": env}
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, server: dict[str, object]) -> Iterator[object]:
    context = browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shoot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
