"""Abuse limits reject hostile documents before any resolver runs: clear errors, 0 SQL."""

from __future__ import annotations

import functools
from typing import Any, cast

import pytest
from strawberry.extensions.validation_cache import _get_validate_cache

from schema.limits import CACHE_SIZE
from tests.utils import GraphQLClient

pytestmark = pytest.mark.smoke


def nested_users(depth: int) -> str:
    query = "id"
    for _ in range(depth):
        query = f"apps(first: 1) {{ edges {{ node {{ owner {{ {query} }} }} }} }}"
    return f"{{ viewer {{ {query} }} }}"


async def test_deep_document_is_rejected_without_sql(gql: GraphQLClient) -> None:
    response = await gql.post(nested_users(5))  # ~20 levels deep

    assert response.data is None
    assert len(response.errors) == 1
    assert "exceeds maximum operation depth of 10" in response.errors[0]["message"]
    assert response.sql == 0


async def test_fifty_aliases_are_rejected_without_sql(gql: GraphQLClient) -> None:
    aliases = " ".join(f"a{n}: viewer {{ id }}" for n in range(50))

    response = await gql.post(f"{{ {aliases} }}")

    assert len(response.errors) == 1
    assert response.errors[0]["message"] == "50 aliases found. Allowed: 15"
    assert response.sql == 0


async def test_first_above_100_is_rejected_without_sql(gql: GraphQLClient) -> None:
    literal = await gql.post("{ users(first: 1000) { totalCount } }")
    variable = await gql.post("query($n: Int) { users(first: $n) { totalCount } }", {"n": 1000})

    for response in (literal, variable):
        assert response.errors == [
            {
                "message": "`first` must be between 0 and 100; got 1000.",
                "locations": response.errors[0]["locations"],
                "extensions": {"code": "BAD_USER_INPUT", "argument": "first"},
            }
        ]
        assert response.data is None
        assert response.sql == 0


async def test_negative_last_is_rejected(gql: GraphQLClient) -> None:
    response = await gql.post("{ viewer { apps(last: -1) { totalCount } } }")

    assert response.codes == ["BAD_USER_INPUT"]
    assert response.sql == 0


async def test_too_many_tokens_are_rejected_without_sql(gql: GraphQLClient) -> None:
    fields = " ".join(["__typename"] * 2100)

    response = await gql.post(f"{{ {fields} }}")

    assert len(response.errors) == 1
    assert response.errors[0]["message"] == (
        "Syntax Error: Document contains more than 2000 tokens. Parsing aborted."
    )
    assert response.sql == 0


async def test_cost_is_reported_and_capped(gql: GraphQLClient) -> None:
    cheap = await gql.post("{ viewer { id } }")
    nested = (
        "{ users(first: 100) { edges { node { apps(first: 100) { edges { node { id "
        "tokens(first: 100) { totalCount } } } } } } } }"
    )
    costly = await gql.post(nested)

    cost = cheap.body["extensions"]["cost"]
    assert (cost["requestedQueryCost"], cost["maximumAvailable"]) == (1, 5000)
    assert cost["throttleStatus"]["maximumAvailable"] == 20_000
    assert costly.codes == ["QUERY_TOO_COSTLY"]
    assert costly.errors[0]["extensions"]["cost"] > 5000
    assert costly.sql == 0


async def test_validation_cache_keeps_hitting_with_limits_on(gql: GraphQLClient) -> None:
    """Regression guard for strawberry #4635: per-request rule classes defeat the cache."""
    cache = cast("functools._lru_cache_wrapper[Any]", _get_validate_cache(CACHE_SIZE))
    query = "query CacheProbe { viewer { id handle } }"
    await gql.post(query)
    before = cache.cache_info()

    for _ in range(5):
        await gql.post(query)

    after = cache.cache_info()
    assert after.hits - before.hits == 5
    assert after.misses == before.misses
