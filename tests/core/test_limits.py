"""Abuse limits reject hostile documents before any resolver runs: clear errors, 0 SQL."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any, cast

import pytest
from strawberry.extensions.validation_cache import _get_validate_cache

from models.carts import Cart
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


# Two nested pages of N: with N = 100, 2 + 100 x (2 + 2 + 100 x 2) points.
REVIEW_PAGES = (
    "{ products(first: N) { edges { node { reviews(first: N) { edges { node { id } } } } } } }"
)


async def test_variable_defaults_are_priced_like_literals(gql: GraphQLClient) -> None:
    literal = await gql.post(REVIEW_PAGES.replace("N", "100"))
    defaulted = await gql.post("query($n: Int = 100) " + REVIEW_PAGES.replace("N", "$n"))
    too_big = await gql.post("query($n: Int = 1000) " + REVIEW_PAGES.replace("N", "$n"))

    for response in (literal, defaulted):
        assert response.codes == ["QUERY_TOO_COSTLY"]
        assert response.data is None
        assert response.sql == 0
    costs = [response.errors[0]["extensions"]["cost"] for response in (literal, defaulted)]
    assert costs[0] == costs[1] == 2 + 100 * (2 + 2 + 100 * 2)
    assert set(too_big.codes) == {"BAD_USER_INPUT"}  # one per `first: $n`
    assert too_big.sql == 0


async def test_the_budget_pays_the_cost_of_variable_defaults(
    gql: GraphQLClient, running: Any, services: Any
) -> None:
    # Refilling at 1 point a second, so the bucket shows what each operation paid.
    settings = services.settings.replace(cost_budget=5000, cost_budget_restore_rate=1)
    running.state["services"] = replace(services, settings=settings)
    try:
        literal = await gql.post(REVIEW_PAGES.replace("N", "10"))
        defaulted = await gql.post("query($n: Int = 10) " + REVIEW_PAGES.replace("N", "$n"))
    finally:
        running.state["services"] = services

    assert not literal.errors
    assert not defaulted.errors
    costs = [r.body["extensions"]["cost"] for r in (literal, defaulted)]
    assert costs[0]["requestedQueryCost"] == costs[1]["requestedQueryCost"] == 2 + 10 * 24
    left = [cost["throttleStatus"]["currentlyAvailable"] for cost in costs]
    assert left[0] - left[1] in (242, 241)  # 241 if a point came back in between


async def test_two_operations_without_an_operation_name_run_neither(gql: GraphQLClient) -> None:
    document = "mutation Start { createCart { __typename } } query Look { __typename }"

    unnamed = await gql.post(document)
    named = await gql.send({"query": document, "operationName": "Look"})

    assert unnamed.codes == ["OPERATION_NAME_REQUIRED"]
    assert "operationName" in unnamed.errors[0]["message"]
    assert unnamed.data is None
    assert unnamed.sql == 0
    assert await Cart.all().count() == 0
    assert named.data == {"__typename": "Query"}
    assert not named.errors


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
