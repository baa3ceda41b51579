"""The database failing, in process: which errors become a 503 SERVICE_UNAVAILABLE, and its shape.

The real thing, PostgreSQL refusing, cut or frozen under a served app, is in
test_database_outage.py; here a resolver or the token look-up raises what asyncpg raises.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

import schema.http
from resolvers import catalog

GRAPHQL_RESPONSE = "application/graphql-response+json"
# One field that fails on its own (a bad id) beside one that needs the database.
MIXED = {"query": '{ __typename node(id: "bogus") { id } products(first: 1) { totalCount } }'}


def _failing(exc: BaseException) -> Any:
    async def fail(*_: object, **__: object) -> None:
        raise exc

    return fail


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_the_database_failing_inside_graphql_is_a_503_without_partial_data(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, accept: str
) -> None:
    cut = asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")
    monkeypatch.setattr(catalog, "list_products", _failing(cut))

    reply = await http.post("/graphql", json=MIXED, headers={"accept": accept})

    assert reply.status_code == 503
    assert reply.headers["content-type"].startswith(accept)
    assert reply.headers["retry-after"] == "5"
    body = reply.json()
    assert body["errors"] == [
        {
            "message": "The database is unavailable. Retry in a few seconds.",
            "extensions": {
                "code": "SERVICE_UNAVAILABLE",
                "requestId": reply.headers["x-request-id"],
            },
        }
    ]
    if accept == GRAPHQL_RESPONSE:
        assert "data" not in body
    else:
        assert body["data"] is None


@pytest.mark.parametrize(
    "exc",
    [RuntimeError("a bug"), FileNotFoundError(2, "No such file"), TimeoutError()],
    ids=["bug", "a file", "our own timeout"],
)
async def test_other_failures_stay_masked_internal_errors(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    monkeypatch.setattr(catalog, "list_products", _failing(exc))

    reply = await http.post("/graphql", json=MIXED)

    assert reply.status_code == 200
    assert "retry-after" not in reply.headers
    assert reply.json()["data"] is None  # products is non-null: its error nulls the root
    codes = [error["extensions"]["code"] for error in reply.json()["errors"]]
    assert sorted(codes) == ["BAD_USER_INPUT", "INTERNAL_SERVER_ERROR"]


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_the_database_failing_before_graphql_is_the_same_503(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, accept: str
) -> None:
    shutting_down = asyncpg.CannotConnectNowError("the database system is shutting down")
    monkeypatch.setattr(schema.http, "authenticate", _failing(shutting_down))
    headers = {"accept": accept, "authorization": "Bearer ags_whatever"}

    reply = await http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

    assert reply.status_code == 503
    assert reply.headers["content-type"].startswith(accept)
    assert reply.headers["retry-after"] == "5"
    assert "accept" in reply.headers["vary"].lower()
    [error] = reply.json()["errors"]
    assert error["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "requestId": reply.headers["x-request-id"],
    }
    assert ("data" in reply.json()) is (accept == "application/json")


async def test_a_bug_before_graphql_is_not_taken_for_an_outage(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema.http, "authenticate", _failing(KeyError("a bug")))

    with pytest.raises(KeyError):
        await http.post("/graphql", json={"query": "{ __typename }"})
