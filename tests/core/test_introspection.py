"""Introspection: bounded in depth and priced like other fields."""

from __future__ import annotations

import pytest
from graphql import get_introspection_query

from tests.utils import GraphQLClient

pytestmark = pytest.mark.smoke

FULL_SCHEMA = get_introspection_query(descriptions=True)


def of_type_chain(depth: int) -> str:
    selection = "name"
    for _ in range(depth):
        selection = f"ofType {{ {selection} }}"
    return f'{{ __type(name: "Query") {{ {selection} }} }}'


async def test_a_deep_of_type_chain_is_rejected_without_sql(gql: GraphQLClient) -> None:
    deep = await gql.post(of_type_chain(40))

    assert deep.data is None
    assert len(deep.errors) == 1
    assert "introspection" in deep.errors[0]["message"].lower()
    assert deep.sql == 0


async def test_the_standard_introspection_query_still_runs(gql: GraphQLClient) -> None:
    response = await gql.post(FULL_SCHEMA)

    assert not response.errors
    assert response.data["__schema"]["queryType"] == {"name": "Query", "kind": "OBJECT"}
    cost = response.body["extensions"]["cost"]["requestedQueryCost"]
    assert 0 < cost <= 5000


async def test_introspection_is_charged(gql: GraphQLClient) -> None:
    typename = await gql.post("{ __typename }")
    small = await gql.post('{ __type(name: "Query") { name } }')
    # The full schema fifteen times over, under fifteen aliases.
    body = FULL_SCHEMA.split("__schema", 1)[1].split("\n}\n", 1)[0]
    fragments = FULL_SCHEMA.split("\n}\n", 1)[1]
    aliased = " ".join(f"s{n}: __schema {body}" for n in range(15))
    many = await gql.post(f"query {{ {aliased} }}\n{fragments}")

    assert typename.body["extensions"]["cost"]["requestedQueryCost"] == 0
    assert small.body["extensions"]["cost"]["requestedQueryCost"] > 0
    assert many.codes == ["QUERY_TOO_COSTLY"]
    assert many.data is None
    assert many.sql == 0
