"""PostgreSQL going away: every request gets a clean, retryable 503, and the app recovers alone.

The app runs as a real `python main.py serve` (uvicorn: keep-alive is part of what is tested)
on a database of its own, reached through a proxy the tests break (tests/pgproxy.py); the shared
PostgreSQL itself is never touched beyond creating and dropping that database.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from tests.conftest import POSTGRES_URL
from tests.pgproxy import PostgresProxy
from tests.served import served

ROOT = Path(__file__).resolve().parents[2]
GRAPHQL_RESPONSE = "application/graphql-response+json"
PRODUCTS = {"query": "{ products(first: 1) { totalCount } }"}
VIEWER = {"query": "{ viewer { handle } }"}
# Short waits, so a frozen database costs the tests about a second per request.
TIMEOUTS = {
    "DATABASE_CONNECT_TIMEOUT_SECONDS": "1",
    "DATABASE_STATEMENT_TIMEOUT_SECONDS": "1",
    "DATABASE_POOL_TIMEOUT_SECONDS": "1",
}


@dataclasses.dataclass
class Outage:
    proxy: PostgresProxy
    url: str
    token: str

    def client(self) -> httpx.Client:
        # One connection, so two requests in a row show whether the server kept it open; the
        # client's own timeout only stops a hung test, the assertions are about the answers.
        return httpx.Client(base_url=self.url, limits=httpx.Limits(max_connections=1), timeout=30)


@pytest.fixture(scope="module")
def outage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outage]:
    name = f"agora_outage_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}"')
    shared = urlsplit(POSTGRES_URL)
    proxy = PostgresProxy(shared.hostname or "127.0.0.1", shared.port or 5432)
    port = proxy.start()
    tmp = tmp_path_factory.mktemp("outage")
    user = shared.netloc.rpartition("@")[0]
    try:
        with served(
            tmp,
            ENVIRONMENT="development",
            DATABASE_URL=f"postgres://{user}@127.0.0.1:{port}/{name}?maxsize=2",
            REDIS_URL="memory://",
            MEDIA_URL=f"file://{tmp}/media",
            SEED_DEMO="false",
            RUN_WORKER_IN_PROCESS="false",
            LOG_LEVEL="WARNING",
            **TIMEOUTS,
        ) as url:
            yield Outage(proxy=proxy, url=url, token=_register(url))
    finally:
        proxy.close()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # Whatever happened, nothing escaped to uvicorn: it logs those as "Exception in ASGI app".
    log = (tmp / "server.log").read_text(errors="replace")  # tests/served.py writes it there
    assert "Exception in ASGI application" not in log


@pytest.fixture
def database(outage: Outage) -> Iterator[PostgresProxy]:
    """The outage's proxy, forwarding again after each test."""
    yield outage.proxy
    outage.proxy.set_mode("pass")


def _admin(statement: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(f"{POSTGRES_URL}/postgres")
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def _register(url: str) -> str:
    mutation = (
        'mutation { register(email: "outage@example.com", password: "analytical-engine-1", '
        'handle: "outage_user") { __typename ... on AuthSuccess { token } } }'
    )
    reply = httpx.post(f"{url}/graphql", json={"query": mutation}, timeout=30)
    token: str = reply.json()["data"]["register"]["token"]
    return token


def _post(
    client: httpx.Client,
    body: dict[str, Any],
    *,
    token: str | None = None,
    accept: str | None = None,
) -> httpx.Response:
    headers = {}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    if accept is not None:
        headers["accept"] = accept
    return client.post("/graphql", json=body, headers=headers)


def _local_port(reply: httpx.Response) -> int:
    port: int = reply.extensions["network_stream"].get_extra_info("client_addr")[1]
    return port


def _assert_unavailable(reply: httpx.Response, *, media_type: str = "application/json") -> None:
    assert reply.status_code == 503, reply.text
    assert reply.headers["content-type"].startswith(media_type)
    assert int(reply.headers["retry-after"]) > 0
    request_id = reply.headers["x-request-id"]
    body = reply.json()
    [error] = body["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "requestId": request_id}
    assert "database" in error["message"].lower()
    if media_type == GRAPHQL_RESPONSE:
        assert "data" not in body
    else:
        assert body["data"] is None


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_a_database_that_refuses_connections_is_a_503_on_a_kept_connection(
    outage: Outage, database: PostgresProxy, signed_in: bool
) -> None:
    token = outage.token if signed_in else None
    body = VIEWER if signed_in else PRODUCTS
    with outage.client() as client:
        assert _post(client, body, token=token).status_code == 200  # the connection is open

        database.set_mode("refuse")
        first = _post(client, body, token=token)
        first_port = _local_port(first)
        second = _post(client, body, token=token, accept=GRAPHQL_RESPONSE)
        second_port = _local_port(second)

    _assert_unavailable(first)
    _assert_unavailable(second, media_type=GRAPHQL_RESPONSE)
    assert first_port == second_port  # kept alive, not dropped after an error
    assert first.headers.get("connection") != "close"


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_a_frozen_database_is_a_503_once_the_waits_run_out(
    outage: Outage, database: PostgresProxy, signed_in: bool
) -> None:
    token = outage.token if signed_in else None
    body = VIEWER if signed_in else PRODUCTS
    with outage.client() as client:
        assert _post(client, body, token=token).status_code == 200  # a pooled connection is open

        database.set_mode("freeze")
        # More requests than the pool has connections (2): the extra ones wait for one at most
        # DATABASE_POOL_TIMEOUT_SECONDS, instead of queueing for as long as the freeze lasts.
        replies = [_post(client, body, token=token) for _ in range(3)]

    for reply in replies:
        _assert_unavailable(reply)


def test_the_app_recovers_by_itself_when_the_database_is_back(
    outage: Outage, database: PostgresProxy
) -> None:
    with outage.client() as client:
        database.set_mode("refuse")
        _assert_unavailable(_post(client, PRODUCTS))
        _assert_unavailable(_post(client, VIEWER, token=outage.token))

        database.set_mode("pass")
        anonymous = _post(client, PRODUCTS)
        signed_in = _post(client, VIEWER, token=outage.token)

        database.drop()  # a restart: every pooled connection is cut, the server is back at once
        after_restart = _post(client, VIEWER, token=outage.token)

    assert anonymous.status_code == 200
    assert anonymous.json()["data"] == {"products": {"totalCount": 0}}
    assert signed_in.json()["data"] == {"viewer": {"handle": "outage_user"}}
    # A connection cut under the pool is noticed and replaced; at worst the first request that
    # finds it dead is a 503, never a 500, and the next one is served.
    if after_restart.status_code == 503:
        _assert_unavailable(after_restart)
        with outage.client() as client:
            after_restart = _post(client, VIEWER, token=outage.token)
    assert after_restart.status_code == 200, after_restart.text
    assert after_restart.json()["data"] == {"viewer": {"handle": "outage_user"}}
