"""Unexpected failures are masked with a request id; expected ones are typed or coded."""

from __future__ import annotations

import pytest

from resolvers import accounts
from tests.factories import SignIn
from tests.utils import GraphQLClient


async def test_unexpected_exception_is_masked_with_request_id(
    gql: GraphQLClient,
    sign_in: SignIn,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: a resolver failing in a way nobody planned for
    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(accounts, "list_sessions", broken)
    shopper = await sign_in()

    # when
    response = await gql.post("{ sessions { id } }", token=shopper.token)

    # then
    assert response.status == 200
    assert response.errors == [
        {
            "message": "Unexpected error. Quote the request id when reporting it.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["sessions"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": response.request_id},
        }
    ]
    assert "hunter2" not in str(response.body)
    assert response.request_id in caplog.text
    assert "hunter2" in caplog.text


async def test_client_request_id_is_echoed(gql: GraphQLClient) -> None:
    response = await gql.post("{ __typename }", headers={"x-request-id": "trace-abc-12345"})

    assert response.request_id == "trace-abc-12345"


async def test_syntax_errors_are_not_masked(gql: GraphQLClient) -> None:
    response = await gql.post("{ viewer { id ")

    assert len(response.errors) == 1
    assert response.errors[0]["message"].startswith("Syntax Error")
    assert response.sql == 0


async def test_field_suggestions_are_disabled(gql: GraphQLClient) -> None:
    response = await gql.post("{ viewr { id } }")

    assert response.errors[0]["message"] == "Cannot query field 'viewr' on type 'Query'."


async def test_mutations_are_refused_over_get(gql: GraphQLClient) -> None:
    reply = await gql.http.get(
        "/graphql", params={"query": "mutation { logout { revokedSessions } }"}
    )

    # GraphQL over HTTP: 405 with Allow (strawberry itself says 400); nothing runs.
    assert reply.status_code == 405
    assert reply.headers["allow"] == "POST"
    assert "mutations are not allowed when using get" in reply.text.lower()
    assert reply.headers["x-sql-statements"] == "0"


@pytest.mark.parametrize(
    ("document", "argument"),
    [
        ("{ product { title } }", "id"),
        ('{ product(id: "garbage") { title } }', "id"),
        ('{ product(id: "VXNlcjox") { title } }', "id"),  # User:1, a real id of another type
        ('{ products(filter: {categoryId: "garbage"}) { totalCount } }', "filter.categoryId"),
    ],
)
async def test_bad_query_input_is_bad_user_input_naming_the_argument(
    gql: GraphQLClient, caplog: pytest.LogCaptureFixture, document: str, argument: str
) -> None:
    response = await gql.post(document)

    assert response.status == 200
    assert response.codes == ["BAD_USER_INPUT"]
    error = response.errors[0]
    assert error["extensions"]["argument"] == argument
    assert f"`{argument}`" in error["message"]
    assert response.sql == 0
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "{ viewer { id "}, "GRAPHQL_PARSE_FAILED"),
        ({"query": "{ viewr { id } }"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": "query($n: Int!) { products(first: $n) { totalCount } }"}, "BAD_USER_INPUT"),
        (
            {
                "query": "query($n: Int!) { products(first: $n) { totalCount } }",
                "variables": {"n": "many"},
            },
            "BAD_USER_INPUT",
        ),
    ],
)
async def test_request_errors_carry_a_code(
    gql: GraphQLClient, body: dict[str, object], code: str
) -> None:
    response = await gql.send(body)

    assert response.codes == [code], response.errors
    assert response.sql == 0


@pytest.mark.parametrize(
    ("body", "named"),
    [
        # Literals, at any depth of an input object or list, String or ID alike.
        ({"query": '{ user(handle: "a\\u0000b") { id } }'}, {"argument": "handle"}),
        (
            {"query": '{ products(filter: {search: "\\u0000"}) { totalCount } }'},
            {"argument": "filter"},
        ),
        ({"query": '{ nodes(ids: ["VXNlcjox", "\\u0000"]) { id } }'}, {"argument": "ids"}),
        # Variables, given or defaulted.
        (
            {"query": "query($h: String!) { user(handle: $h) { id } }", "variables": {"h": "\x00"}},
            {"variable": "h"},
        ),
        (
            {"query": 'query($h: String! = "a\\u0000") { user(handle: $h) { id } }'},
            {"variable": "h"},
        ),
        (
            {
                "query": "query($f: ProductFilter) { products(filter: $f) { totalCount } }",
                "variables": {"f": {"tag": "tea\x00"}},
            },
            {"variable": "f"},
        ),
    ],
)
async def test_strings_holding_nul_are_refused_before_anything_runs(
    gql: GraphQLClient, body: dict[str, object], named: dict[str, str]
) -> None:
    # PostgreSQL text cannot hold U+0000; schema/text.py refuses it in every string.
    response = await gql.send(body)

    assert response.codes == ["BAD_USER_INPUT"], response.errors
    assert named.items() <= response.errors[0]["extensions"].items()
    assert "U+0000" in response.errors[0]["message"]
    assert response.data is None
    assert response.sql == 0
