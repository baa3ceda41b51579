"""Real API processes on the test's PostgreSQL and Redis, and the two kinds of subscriber the
tests use: node running graphql-ws (tests/js/subscribe.mjs), and Python's `websockets`
speaking graphql-transport-ws by hand (for what the library hides: close codes, limits)."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from settings import Settings
from tests.served import ROOT, served
from tests.utils import GraphQLClient

SCRIPT = ROOT / "tests" / "js" / "subscribe.mjs"
PROTOCOL = "graphql-transport-ws"
# Bounds on waiting for what must come; a failing test waits this long, a passing one not.
WAIT = 20.0


def environment(settings: Settings, **overrides: str) -> dict[str, str]:
    """A served process on the suite's own database, Redis (and prefix) and bucket, with no
    worker: the test runs the relay itself, in its own process, as a worker elsewhere would."""
    env = {
        "ENVIRONMENT": "development",
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "REDIS_PREFIX": settings.redis_prefix,
        "MEDIA_URL": settings.media_url,
        "S3_ENDPOINT_URL": settings.s3_endpoint_url or "",
        "S3_ACCESS_KEY_ID": settings.s3_access_key_id or "",
        "S3_SECRET_ACCESS_KEY": settings.s3_secret_access_key or "",
        "AUTO_MIGRATE": "false",
        "SEED_DEMO": "false",
        "RUN_WORKER_IN_PROCESS": "false",
        "REDIS_TIMEOUT_SECONDS": "1",
        # Short beats, so a revoked token's subscriptions close within the test.
        "SUBSCRIPTION_PING_SECONDS": "0.5",
        "LOG_LEVEL": "WARNING",
    }
    return env | overrides


@contextmanager
def api_process(workdir: Path, settings: Settings, **overrides: str) -> Iterator[str]:
    """One `python main.py serve`; its base URL."""
    workdir.mkdir(parents=True, exist_ok=True)
    with served(workdir, **environment(settings, **overrides)) as url:
        yield url


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://") + "/graphql"


@asynccontextmanager
async def api_client(base: str) -> AsyncIterator[GraphQLClient]:
    """GraphQL over HTTP to a served process."""
    async with httpx.AsyncClient(base_url=base, timeout=WAIT) as http:
        yield GraphQLClient(http)


class NodeSubscriber:
    """graphql-ws's createClient in node, subscribed to one operation; its report lines."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[dict[str, Any]] = []

    async def next_line(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), WAIT)
        if not raw:
            stderr = await self.process.stderr.read() if self.process.stderr else b""
            pytest.fail(f"the node subscriber ended: {self.lines} {stderr.decode()}")
        line: dict[str, Any] = json.loads(raw)
        self.lines.append(line)
        return line

    async def ready(self) -> None:
        """Connected, and the subscription receives events (subscribe.mjs explains how)."""
        await self.expect("connected")
        await self.expect("ready")

    async def expect(self, event: str) -> dict[str, Any]:
        line = await self.next_line()
        assert line["event"] == event, (line, self.lines)
        return line


@asynccontextmanager
async def node_subscriber(
    base: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> AsyncIterator[NodeSubscriber]:
    node = shutil.which("node")
    if node is None or not (SCRIPT.parent / "node_modules" / "graphql-ws").is_dir():
        pytest.fail("needs node and `npm ci --prefix tests/js` (bash .ci/test does both)")
    spec = {"query": query, "variables": variables or {}}
    if token is not None:
        spec["authorization"] = f"Bearer {token}"
    process = await asyncio.create_subprocess_exec(
        node,
        str(SCRIPT),
        ws_url(base),
        json.dumps(spec),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield NodeSubscriber(process)
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


class Socket:
    """graphql-transport-ws by hand over `websockets`."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        """The next message other than the server's pings (answered, as clients do)."""
        while True:
            raw = await asyncio.wait_for(self.connection.recv(), WAIT)
            message: dict[str, Any] = json.loads(raw)
            if message["type"] == "ping":
                await self.send({"type": "pong"})
                continue
            return message

    async def init(self, token: str | None = None) -> dict[str, Any]:
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await self.send({"type": "connection_init", "payload": payload})
        return await self.receive()

    async def subscribe(self, id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.send({"id": id, "type": "subscribe", "payload": payload})

    async def closed(self) -> tuple[int | None, str]:
        """The close code and reason, once the server closed the socket."""
        try:
            while True:
                await self.receive()
        except ConnectionClosed as closed:
            frame = closed.rcvd
            return (frame.code, frame.reason) if frame else (None, "")


@asynccontextmanager
async def socket(base: str) -> AsyncIterator[Socket]:
    async with connect(ws_url(base), subprotocols=[PROTOCOL], open_timeout=WAIT) as connection:  # type: ignore[list-item]
        yield Socket(connection)
