"""Fixtures for the events tests."""

from __future__ import annotations

import pytest

from tests.carts.shop import Shop
from tests.events.support import seen
from tests.utils import GraphQLClient

__all__ = ["seen"]


@pytest.fixture
def shop(gql: GraphQLClient) -> Shop:
    return Shop(gql)
