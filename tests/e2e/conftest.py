"""Browser tests: the app started as a user starts it (`rongcuo-kg app`) on 127.0.0.1 on a free
port, driven in Debian's Chromium by Playwright; stopped by its process id afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from servers import serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, data: str | None = None, timeout: float = 180.0,
              editors: str | None = None, oidc: str | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "rongcuo_kg.cli", "app", "--port", str(port)]
    if data:
        cmd += ["--data", data]
    if editors:
        cmd += ["--editors", editors]
    if oidc:
        cmd += ["--oidc", oidc]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    stop_app(proc)
    raise RuntimeError(f"the app did not answer on port {port} within {timeout:.0f} s")


def stop_app(proc: subprocess.Popen) -> None:
    """Stop the app and its children by process id (its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


OIDC_DIR = Path(__file__).resolve().parents[1] / "oidc"


@contextmanager
def oidc_provider(port: int, client_id: str, client_secret: str, redirect_uri: str):
    """A real OpenID Connect provider (tests/oidc: panva's oidc-provider on Node.js) on loopback;
    yields its issuer URL."""
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():  # the set-up installs it (make oidc)
        subprocess.run(["make", "-s", "oidc"], cwd=OIDC_DIR.parents[1], check=False)
    proc = subprocess.Popen(["node", str(OIDC_DIR / "provider.mjs"), str(port), client_id, client_secret,
                             redirect_uri], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    issuer = f"http://127.0.0.1:{port}"
    with serving(proc, f"{issuer}/.well-known/openid-configuration", "the OpenID provider", 30,
                 lambda: proc.stderr.read().decode(errors="replace")[-1000:]):
        yield issuer


@pytest.fixture(scope="module")
def app_url():
    port = free_port()
    proc = start_app(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(proc)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():  # the set-up installs it where missing (Debian's chromium + a CJK font)
        subprocess.run(["make", "-s", "browser"], cwd=Path(__file__).resolve().parents[2], check=False)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing and `make browser` could not install Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
