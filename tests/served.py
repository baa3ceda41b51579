"""`python main.py serve` as a real process on a free loopback port, for tests that need the
server as clients meet it (real HTTP, uvicorn, its lifespan)."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def served(workdir: Path, **settings: str) -> Iterator[str]:
    """The server's base URL (`http://127.0.0.1:PORT`), with exactly these settings: nothing
    of the caller's environment that names a setting leaks in. Its output is in workdir."""
    known = {field.name.upper() for field in dataclasses.fields(Settings)}
    env = {name: value for name, value in os.environ.items() if name not in known}
    env.update(settings)
    log = workdir / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "main.py", "serve", "--host", "127.0.0.1", "--port", "0"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{_wait_for_port(server, log)}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_for_port(server: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> int:
    # uvicorn names the port it got for --port 0 once the app has started (lifespan done).
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(rb"Uvicorn running on http://127\.0\.0\.1:(\d+)", log.read_bytes())
        if found:
            return int(found.group(1))
        if server.poll() is not None:
            break
        time.sleep(0.1)
    pytest.fail(f"the server did not start:\n{log.read_text(errors='replace')}")
