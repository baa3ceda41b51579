"""Two API processes (A and B) on the suite's PostgreSQL and Redis, for the module's tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.carts.shop import Shop
from tests.conftest import Backend
from tests.subscriptions.support import api_process
from tests.utils import GraphQLClient

# Small limits, so the tests reach them.
PER_CONNECTION = 3
PER_CALLER = 3
BUDGET = 5000  # the maximum query cost, the least a budget may be


@pytest.fixture(scope="module")
def processes(
    running: Backend, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """The base URLs of processes A and B."""
    workdir = tmp_path_factory.mktemp("processes")
    limits = {
        "SUBSCRIPTIONS_PER_CONNECTION": str(PER_CONNECTION),
        "SUBSCRIPTION_CONNECTIONS_PER_CALLER": str(PER_CALLER),
        # The smallest budget there is, barely restoring: two costly subscriptions exhaust it.
        "COST_BUDGET": str(BUDGET),
        "COST_BUDGET_RESTORE_RATE": "1",
    }
    with ExitStack() as stack:
        a = stack.enter_context(api_process(workdir / "a", running.settings, **limits))
        b = stack.enter_context(api_process(workdir / "b", running.settings, **limits))
        yield a, b


@pytest.fixture
def shop(gql: GraphQLClient) -> Shop:
    return Shop(gql)
