"""Per-caller cost budgets: a leaky bucket in Redis pays for every operation before it runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import asyncpg
import pytest

from resolvers import catalog
from tests.factories import SignIn
from tests.utils import GraphQLClient

# Anonymous and database-free, so the test measures the budget, not the data.
PAGE = "{ products(first: 100) { edges { node { title variants { sku } } } } }"


@pytest.fixture
async def small_budget(running: Any, services: Any) -> AsyncIterator[Any]:
    """The smallest budget the settings allow, refilling at 1 point a second."""
    settings = services.settings.replace(cost_budget=5000, cost_budget_restore_rate=1)
    running.state["services"] = replace(services, settings=settings)
    try:
        yield settings
    finally:
        running.state["services"] = services


@pytest.mark.smoke
async def test_each_caller_pays_until_the_bucket_is_empty(
    gql: GraphQLClient, small_budget: Any, sign_in: SignIn
) -> None:
    first = await gql.post(PAGE)
    cost = first.body["extensions"]["cost"]["requestedQueryCost"]
    assert cost > 100  # so the 1 point a second refill cannot matter during the test
    affordable = 5000 // cost
    replies = [first] + [await gql.post(PAGE) for _ in range(affordable)]

    paid, refused = replies[:affordable], replies[affordable]
    assert all(not reply.errors for reply in paid)
    left = [
        reply.body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] for reply in paid
    ]
    assert left == sorted(left, reverse=True)
    assert left[-1] < cost
    assert refused.codes == ["RATE_LIMITED"]
    assert refused.errors[0]["extensions"]["retryAfterSeconds"] >= 1
    assert refused.data is None
    assert refused.sql == 0  # nothing ran
    status = refused.body["extensions"]["cost"]["throttleStatus"]
    assert status == {"maximumAvailable": 5000, "currentlyAvailable": left[-1], "restoreRate": 1}
    # Another caller has a bucket of their own.
    someone = await sign_in()
    theirs = await gql.post(PAGE, token=someone.token)
    assert not theirs.errors
    assert theirs.body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 5000 - cost


async def test_budgets_can_be_turned_off(gql: GraphQLClient, running: Any, services: Any) -> None:
    running.state["services"] = replace(services, settings=services.settings.replace(cost_budget=0))
    try:
        reply = await gql.post("{ viewer { id } }")
    finally:
        running.state["services"] = services

    assert not reply.errors
    assert "throttleStatus" not in reply.body["extensions"]["cost"]


@pytest.mark.smoke
async def test_the_budget_script_is_loaded_again_after_redis_forgets_it(
    gql: GraphQLClient, services: Any
) -> None:
    await gql.post("{ viewer { id } }")
    await services.redis.script_flush()  # as after a Redis restart or failover

    reply = await gql.post("{ viewer { id } }")

    assert not reply.errors
    assert reply.body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] < 20_000


async def test_an_operation_the_database_failed_costs_nothing(
    gql: GraphQLClient, small_budget: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    paid = await gql.post(PAGE)
    before = paid.body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]

    async def database_gone(*_: object, **__: object) -> None:
        raise asyncpg.ConnectionDoesNotExistError("connection was closed in the middle")

    monkeypatch.setattr(catalog, "list_products", database_gone)
    failed = await gql.post(PAGE)
    monkeypatch.undo()

    assert failed.status == 503
    assert failed.codes == ["SERVICE_UNAVAILABLE"]
    # The refill (1 point a second) may add a point or two; the cost (> 100) is not taken.
    after = failed.body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    assert before <= after <= before + 3
    again = await gql.post(PAGE)
    cost = again.body["extensions"]["cost"]["requestedQueryCost"]
    left = again.body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    assert before - cost <= left <= before - cost + 3
