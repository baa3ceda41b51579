"""Fixtures for the notifications tests."""

from __future__ import annotations

import pytest

from tests.carts.shop import Shop
from tests.utils import GraphQLClient


@pytest.fixture
def shop(gql: GraphQLClient) -> Shop:
    return Shop(gql)
