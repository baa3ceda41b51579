"""/healthz says the process is alive; /readyz names what is down."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from storage.cache import open_redis


async def test_readyz_names_redis_when_it_is_unreachable(
    http: httpx.AsyncClient, running: Any, services: Any
) -> None:
    dead = open_redis("redis://127.0.0.1:1/0")  # nothing listens there
    running.state["services"] = replace(services, redis=dead)
    try:
        ready = await http.get("/readyz")
        alive = await http.get("/healthz")
        answered = await http.post("/graphql", json={"query": "{ viewer { id } }"})
    finally:
        running.state["services"] = services
        await dead.aclose()

    assert ready.status_code == 503
    assert ready.json()["down"] == ["redis"]
    assert ready.json()["checks"]["database"] == "ok"
    assert ready.json()["checks"]["storage"] == "ok"
    assert alive.status_code == 200
    assert answered.json()["data"] == {"viewer": None}  # the API keeps answering


async def test_readyz_names_storage_when_the_bucket_is_gone(
    http: httpx.AsyncClient, running: Any, services: Any
) -> None:
    from storage.media import S3Options, S3Storage, make_s3_client

    options = S3Options(
        bucket="no-such-bucket-agora",
        endpoint_url="http://127.0.0.1:1",
        access_key_id="x",
        secret_access_key="y",
        region="us-east-1",
        public_url=None,
    )
    broken = S3Storage(client=make_s3_client(options), options=options)
    running.state["services"] = replace(services, storage=broken)
    try:
        ready = await http.get("/readyz")
    finally:
        running.state["services"] = services

    assert ready.status_code == 503
    assert ready.json()["down"] == ["storage"]
