"""The same smoke tests on real services and on the embedded defaults."""

from __future__ import annotations

import httpx
import pytest

from tests.utils import GraphQLClient

pytestmark = pytest.mark.smoke

REGISTER = """
mutation Register($email: String!, $password: String!, $handle: String!) {
  register(email: $email, password: $password, handle: $handle) {
    __typename
    ... on AuthSuccess { token user { handle email role } }
  }
}
"""


async def test_typename_and_anonymous_viewer(gql: GraphQLClient) -> None:
    assert await gql.data("{ __typename viewer { id } }") == {"__typename": "Query", "viewer": None}


async def test_register_then_viewer(gql: GraphQLClient) -> None:
    # when
    data = await gql.data(
        REGISTER, {"email": "Ada@Example.com", "password": "analytical-engine-1", "handle": "ada_l"}
    )
    # then
    result = data["register"]
    assert result["__typename"] == "AuthSuccess"
    assert result["user"] == {"handle": "ada_l", "email": "ada@example.com", "role": "SHOPPER"}
    viewer = await gql.data("{ viewer { handle email } }", token=result["token"])
    assert viewer == {"viewer": {"handle": "ada_l", "email": "ada@example.com"}}


async def test_health_and_readiness(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "redis": "ok", "storage": "ok"}


async def test_queries_via_get(http: httpx.AsyncClient) -> None:
    reply = await http.get("/graphql", params={"query": "{ __typename }"})
    assert reply.status_code == 200
    assert reply.json()["data"] == {"__typename": "Query"}


async def test_other_methods_are_not_allowed(http: httpx.AsyncClient) -> None:
    reply = await http.put("/graphql", json={"query": "{ __typename }"})
    assert reply.status_code == 405
    assert set(reply.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


async def test_head_is_not_allowed_and_says_what_is(http: httpx.AsyncClient) -> None:
    reply = await http.head("/graphql", params={"query": "{ __typename }"})
    assert reply.status_code == 405
    assert reply.headers["allow"] == "GET, POST"
