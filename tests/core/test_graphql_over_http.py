"""GraphQL over HTTP: media types and status codes."""

from __future__ import annotations

from tests.utils import GraphQLClient

COERCION_FAILURE = {
    "query": "query Q($id: ID!) { node(id: $id) { id } }",
    "variables": {"id": None},
}


async def test_variables_that_do_not_fit_are_refused_before_execution(gql: GraphQLClient) -> None:
    response = await gql.send(COERCION_FAILURE)

    # graphql-core's own message, found before execution: no SQL, and no budget charged.
    assert response.errors == [
        {
            "message": "Variable '$id' has invalid value: "
            "Expected value of non-null type 'ID!' not to be None.",
            "locations": [{"line": 1, "column": 9}],
        }
    ]
    assert "extensions" not in response.body
    assert response.sql == 0
