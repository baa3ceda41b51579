"""Introspection: bounded in depth, priced like other fields, and off unless it is wanted."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from graphql import get_introspection_query

from main import limits_of
from schema import build_schema
from settings import Settings
from tests.test_settings import PRODUCTION
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


def test_introspection_is_on_in_development_and_off_in_production() -> None:
    assert Settings.from_env({}).introspection is True
    assert Settings.from_env(PRODUCTION).introspection is False
    assert Settings.from_env({**PRODUCTION, "INTROSPECTION": "true"}).introspection is True


async def test_introspection_can_be_turned_off() -> None:
    schema = build_schema(replace(limits_of(Settings()), introspection=False))
    # What the few extensions that read the context need: budgets off, a request id.
    context: Any = SimpleNamespace(settings=Settings(cost_budget=0), request_id="test")

    refused = [
        await schema.execute(query, context_value=context)
        for query in ('{ __type(name: "Query") { name } }', FULL_SCHEMA)
    ]
    typename = await schema.execute("{ __typename }", context_value=context)

    for result in refused:
        assert result.data is None
        assert result.errors
        assert {(error.extensions or {}).get("code") for error in result.errors} == {
            "INTROSPECTION_DISABLED"
        }
        assert "Introspection is turned off" in result.errors[0].message
    assert typename.errors is None
    assert typename.data == {"__typename": "Query"}
