"""CORS for browser clients: CORS_ORIGINS decides which pages may call the API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from main import create_app
from settings import Settings

SHOP = "https://shop.example"
PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type, authorization, x-request-id",
}


def _names(header: str) -> set[str]:
    return {name.strip().lower() for name in header.split(",")}


@pytest.fixture
async def shop_only(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The real app allowing one origin. Not started: CORS answers before anything needs
    the database, and only one started app (tests/conftest.py) may hold tortoise at a time."""
    settings = Settings(
        media_url=f"file://{tmp_path}/media", cors_origins=(SHOP,), count_sql=True
    ).validated()
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_preflight_from_a_configured_origin_is_allowed(
    shop_only: httpx.AsyncClient,
) -> None:
    reply = await shop_only.options("/graphql", headers={"origin": SHOP, **PREFLIGHT})

    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == SHOP
    assert _names(reply.headers["access-control-allow-methods"]) == {"get", "post"}
    allowed = _names(reply.headers["access-control-allow-headers"])
    assert {"content-type", "authorization", "x-request-id"} <= allowed
    # Bearer tokens, not cookies: a page never sends credentials along.
    assert "access-control-allow-credentials" not in reply.headers
    assert "origin" in _names(reply.headers["vary"])
    assert reply.headers["x-request-id"]


async def test_preflight_from_another_origin_is_refused(shop_only: httpx.AsyncClient) -> None:
    reply = await shop_only.options(
        "/graphql", headers={"origin": "https://evil.example", **PREFLIGHT}
    )

    assert reply.status_code == 400
    assert "access-control-allow-origin" not in reply.headers


async def test_preflight_for_another_method_is_refused(shop_only: httpx.AsyncClient) -> None:
    headers = {"origin": SHOP, "access-control-request-method": "PUT"}

    reply = await shop_only.options("/graphql", headers=headers)

    assert reply.status_code == 400


async def test_responses_to_a_configured_origin_expose_our_headers(
    shop_only: httpx.AsyncClient,
) -> None:
    reply = await shop_only.get("/healthz", headers={"origin": SHOP})

    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == SHOP
    exposed = _names(reply.headers["access-control-expose-headers"])
    assert exposed == {"x-request-id", "x-sql-statements"}  # COUNT_SQL is on here


async def test_responses_to_another_origin_allow_nothing(shop_only: httpx.AsyncClient) -> None:
    reply = await shop_only.get("/healthz", headers={"origin": "https://evil.example"})

    assert reply.status_code == 200  # the browser, not the server, withholds it from the page
    assert "access-control-allow-origin" not in reply.headers


async def test_production_allows_no_origin_by_default(tmp_path: Path) -> None:
    env = {"ENVIRONMENT": "production", "SECRET_KEY": "s" * 40, "MEDIA_URL": f"file://{tmp_path}"}
    app = create_app(Settings.from_env(env))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        reply = await client.options("/graphql", headers={"origin": SHOP, **PREFLIGHT})

    assert reply.status_code == 400
    assert "access-control-allow-origin" not in reply.headers


async def test_development_allows_any_origin_on_graphql(http: httpx.AsyncClient) -> None:
    origin = {"origin": "http://localhost:5173"}
    preflight = await http.options("/graphql", headers={**origin, **PREFLIGHT})

    reply = await http.post("/graphql", json={"query": "{ __typename }"}, headers=origin)

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert reply.status_code == 200
    assert reply.json()["data"] == {"__typename": "Query"}
    assert reply.headers["access-control-allow-origin"] == "*"
    assert "x-request-id" in _names(reply.headers["access-control-expose-headers"])
