"""`gunicorn app:server` serves the same app as `natije run` (the production entry point)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, response.read()


def test_gunicorn_serves_the_app(harness, store_copy, tmp_path):
    port = free_port()
    env = harness.clean_environ() | {"NATIJE_DATABASE_URL": harness.sqlite_url(store_copy),
                                     "NATIJE_DATA_DIR": str(tmp_path)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "--no-control-socket", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                             "app:server"], cwd=harness.ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = fetch(base + "/?lang=kk")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not serve: " + proc.stdout.read().decode(errors="replace")[-3000:])
                time.sleep(0.2)
        assert status == 200 and b'lang="kk"' in body
        assert b"/vendor/bootstrap/" in body and b"cdn" not in body.lower()
        status, layout = fetch(base + "/_dash-layout")
        assert status == 200 and json.loads(layout)
        status, css = fetch(base + "/vendor/bootstrap/css/bootstrap.min.css")
        assert status == 200 and len(css) > 100_000
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
