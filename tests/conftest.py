"""Test wiring: one app per backend through its real lifespan, real services, isolated tests.

Backends: "services" is real PostgreSQL + Redis + SeaweedFS S3 (every test); "embedded" is the
laptop defaults, SQLite + fakeredis + a media directory (tests marked `smoke` run on both).
A session-scoped parametrised fixture makes pytest run all tests of one backend, tear its app
down, then start the next, so only one tortoise context ever exists at a time.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager
from tortoise.contrib.test import truncate_all_models

from main import create_app
from resolvers.ratelimit import LOCAL_COUNTS
from settings import Settings
from storage.cache import open_redis
from storage.media import S3Options, S3Storage, make_s3_client
from tests.utils import GraphQLClient

pytest_plugins = ["tests.factories", "tests.authz"]

POSTGRES_URL = os.environ.get("AGORA_TEST_POSTGRES", "postgres://postgres:postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("AGORA_TEST_REDIS", "redis://127.0.0.1:6379/0")
S3_ENDPOINT = os.environ.get("AGORA_TEST_S3", "http://127.0.0.1:8433")
S3_KEY, S3_SECRET = "agora", "agora-secret"
RUN_ID = uuid.uuid4().hex[:8]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "smoke: also runs on the embedded backend")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        smoke = metafunc.definition.get_closest_marker("smoke") is not None
        backends = ["services", "embedded"] if smoke else ["services"]
        metafunc.parametrize("backend", backends, indirect=True, scope="session")


@dataclass(slots=True)
class Backend:
    name: str
    settings: Settings
    app: Any = None
    state: dict[str, Any] | None = None

    @property
    def is_services(self) -> bool:
        return self.name == "services"


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Backend:
    name: str = request.param
    base = Settings(
        environment="development",
        auto_migrate=True,
        seed_demo=False,
        run_worker_in_process=False,
        count_sql=True,
        redis_prefix=f"agora-test-{RUN_ID}:",
        public_url="http://test",
        login_max_failures=5,
        # Tests send bursts (60 concurrent sign-ins) through one event loop on a 2-core host:
        # 0.25 s would trip the Redis breaker on our own loop's latency, not on Redis.
        redis_timeout_seconds=1.0,
    )
    if name == "embedded":
        root = tmp_path_factory.mktemp("embedded")
        settings = base.replace(
            database_url=f"sqlite://{root}/agora.sqlite3",
            redis_url=f"memory://{RUN_ID}",
            media_url=f"file://{root}/media",
        )
    else:
        settings = base.replace(
            database_url=f"{POSTGRES_URL}/agora_test_{RUN_ID}",
            redis_url=REDIS_URL,
            media_url=f"s3://agora-test-{RUN_ID}",
            s3_endpoint_url=S3_ENDPOINT,
            s3_access_key_id=S3_KEY,
            s3_secret_access_key=S3_SECRET,
        )
    return Backend(name=name, settings=settings)


@pytest.fixture(scope="session")
async def running(backend: Backend) -> AsyncIterator[Backend]:
    """The app for this backend, started and stopped through its real lifespan."""
    if backend.is_services:
        await _recreate_database(backend.settings.database_url)
        bucket = await _create_bucket(backend.settings)
    app = create_app(backend.settings)
    try:
        async with LifespanManager(app, startup_timeout=60) as manager:
            backend.app = manager.app
            backend.state = manager._state
            yield backend
    finally:
        if backend.is_services:
            await _drop_bucket(bucket)
            await _drop_database(backend.settings.database_url)


@pytest.fixture
async def http(running: Backend) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=running.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture(autouse=True)
async def _isolate(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "running" in request.fixturenames:
        await _reset(request.getfixturevalue("running"))


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)


@pytest.fixture
def services(running: Backend) -> Any:
    assert running.state is not None
    return running.state["services"]


async def _reset(backend: Backend) -> None:
    """Per-test isolation: empty every table and every Redis key of this run, and the
    in-process counts the rate limits keep while Redis is away."""
    LOCAL_COUNTS.clear()
    await truncate_all_models()
    redis = open_redis(backend.settings.redis_url)
    try:
        if backend.is_services:
            async for key in redis.scan_iter(match=f"*{backend.settings.redis_prefix}*"):
                await redis.delete(key)
        else:
            await redis.flushall()
    finally:
        await redis.aclose()


async def _recreate_database(url: str) -> None:
    server, _, name = url.rpartition("/")
    connection = await asyncpg.connect(f"{server}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_database(url: str) -> None:
    server, _, name = url.rpartition("/")
    connection = await asyncpg.connect(f"{server}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def s3_options(settings: Settings) -> S3Options:
    return S3Options(
        bucket=settings.media_url[len("s3://") :],
        endpoint_url=settings.s3_endpoint_url,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=settings.s3_secret_access_key,
        region=settings.s3_region,
        public_url=None,
    )


async def _create_bucket(settings: Settings) -> S3Storage:
    storage = S3Storage(client=make_s3_client(s3_options(settings)), options=s3_options(settings))
    await storage.ensure_bucket()
    return storage


async def _drop_bucket(storage: S3Storage) -> None:
    bucket = storage.options.bucket
    listing = storage.client.list_objects_v2(Bucket=bucket)
    for item in listing.get("Contents", []):
        storage.client.delete_object(Bucket=bucket, Key=item["Key"])
    storage.client.delete_bucket(Bucket=bucket)
    await storage.close()
