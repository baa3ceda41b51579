"""GraphQL over HTTP: media types and status codes.

Under application/json a well-formed request is answered 200 whatever went wrong; under
application/graphql-response+json a request error (parse, validation, variables) is a 400 with
no `data` entry, while execution errors keep 200 and their data.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from schema import limits
from tests.utils import GraphQLClient

GRAPHQL_RESPONSE = "application/graphql-response+json"
ACCEPT_NEW = {"accept": GRAPHQL_RESPONSE}
COERCION_FAILURE = {
    "query": "query Q($id: ID!) { node(id: $id) { id } }",
    "variables": {"id": None},
}


async def _post(http: httpx.AsyncClient, body: dict[str, Any], accept: str) -> httpx.Response:
    return await http.post("/graphql", json=body, headers={"accept": accept})


# ---- media types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "answered"),
    [
        (None, "application/json"),  # legacy clients (the spec's watershed aside; see README)
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}; charset=utf-8", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, */*", GRAPHQL_RESPONSE),  # a type named beats a wildcard
        (f"application/json, {GRAPHQL_RESPONSE}", "application/json"),  # listed first
        (f"{GRAPHQL_RESPONSE};q=0.5, application/json", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=0", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=high", "application/json"),  # malformed: skipped
        ("text/html", "application/json"),  # nothing we have: answered anyway, not 406
    ],
)
async def test_the_response_media_type_follows_accept(
    http: httpx.AsyncClient, accept: str | None, answered: str
) -> None:
    headers = {"accept": accept} if accept else {}

    reply = await http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

    assert reply.status_code == 200
    assert reply.headers["content-type"].split(";")[0] == answered
    assert "accept" in {name.strip().lower() for name in reply.headers["vary"].split(",")}
    assert reply.json()["data"] == {"__typename": "Query"}


async def test_graphql_response_json_says_utf_8(http: httpx.AsyncClient) -> None:
    reply = await _post(http, {"query": "{ __typename }"}, GRAPHQL_RESPONSE)

    assert reply.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"


# ---- status codes -----------------------------------------------------------------------------

REQUEST_ERRORS = [
    pytest.param({"query": "{ viewer { id "}, "Syntax Error", id="parse"),
    pytest.param({"query": "{ viewr { id } }"}, "Cannot query field", id="validation"),
    pytest.param({"query": "{ products(first: 1000) { totalCount } }"}, "`first`", id="limits"),
    pytest.param(COERCION_FAILURE, "Variable '$id' has invalid value", id="variables"),
]


@pytest.mark.parametrize(("body", "message"), REQUEST_ERRORS)
async def test_request_errors_are_400_without_data_under_graphql_response_json(
    http: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    reply = await _post(http, body, GRAPHQL_RESPONSE)

    assert reply.status_code == 400
    assert reply.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in reply.json()
    assert reply.json()["errors"][0]["message"].startswith(message)
    assert reply.headers["x-sql-statements"] == "0"


@pytest.mark.parametrize(("body", "message"), REQUEST_ERRORS)
async def test_request_errors_stay_200_with_null_data_under_json(
    http: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    reply = await _post(http, body, "application/json")

    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    assert reply.json()["data"] is None
    assert reply.json()["errors"][0]["message"].startswith(message)


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


async def test_our_failure_before_execution_is_500_without_data(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the cost analysis, which runs at validation, failing in a way nobody planned for
    def broken(*_: object) -> int:
        raise RuntimeError("cost walker bug")

    monkeypatch.setattr(limits._CostWalker, "selection_cost", broken)

    # when
    reply = await _post(http, {"query": "{ __typename }"}, GRAPHQL_RESPONSE)

    # then: masked, and not blamed on the client
    assert reply.status_code == 500
    assert "data" not in reply.json()
    assert reply.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


async def test_execution_errors_keep_200_and_their_data(http: httpx.AsyncClient) -> None:
    reply = await _post(
        http, {"query": '{ __typename node(id: "bogus") { id } }'}, GRAPHQL_RESPONSE
    )

    assert reply.status_code == 200
    assert reply.json()["data"] == {"__typename": "Query", "node": None}
    assert reply.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_error_that_nulls_the_root_is_still_200(http: httpx.AsyncClient) -> None:
    reply = await _post(http, {"query": "{ sessions { id } }"}, GRAPHQL_RESPONSE)

    # The operation ran: `data` is there, null, and the spec recommends 200 for that.
    assert reply.status_code == 200
    assert reply.json()["data"] is None
    assert reply.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_refusals_before_graphql_use_the_negotiated_type(http: httpx.AsyncClient) -> None:
    headers = {**ACCEPT_NEW, "authorization": "Bearer ags_not-a-token"}

    reply = await http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

    assert reply.status_code == 401
    assert reply.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert reply.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_unknown_document_id_uses_the_negotiated_type(http: httpx.AsyncClient) -> None:
    reply = await _post(http, {"documentId": "sha256:" + "0" * 64}, GRAPHQL_RESPONSE)

    assert reply.status_code == 404
    assert reply.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert reply.json()["errors"][0]["extensions"]["code"] == "DOCUMENT_NOT_FOUND"
