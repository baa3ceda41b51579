"""GraphQL over HTTP: media types and status codes, and graphql-http's audit of the real server.

Under application/json a well-formed request is answered 200 whatever went wrong; under
application/graphql-response+json a request error (parse, validation, variables) is a 400 with
no `data` entry, while execution errors keep 200 and their data.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from schema import limits
from tests.served import ROOT, served
from tests.utils import GraphQLClient

GRAPHQL_RESPONSE = "application/graphql-response+json"
ACCEPT_NEW = {"accept": GRAPHQL_RESPONSE}
AUDIT = ROOT / "tests" / "js"
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
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]
    assert "extensions" not in response.body  # a refused request costs no budget
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


async def test_a_refused_budget_is_200_with_null_data(
    http: httpx.AsyncClient, running: Any, services: Any
) -> None:
    # given: the smallest budget, refilling at 1 point a second
    settings = services.settings.replace(cost_budget=5000, cost_budget_restore_rate=1)
    running.state["services"] = dataclasses.replace(services, settings=settings)
    page = {"query": "{ products(first: 100) { edges { node { title variants { sku } } } } }"}
    try:
        # when: spent (each page costs over 100 points, so 50 pages are more than enough)
        for _ in range(50):
            reply = await _post(http, page, GRAPHQL_RESPONSE)
            if "errors" in reply.json():
                break
    finally:
        running.state["services"] = services

    # then: the document was fine and execution was reached: not a request error
    assert reply.status_code == 200
    assert reply.json()["data"] is None
    assert reply.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


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


# ---- graphql-http's audit against the real server ---------------------------------------------


@pytest.fixture
def served_url(tmp_path: Path) -> Iterator[str]:
    """`python main.py serve` on the embedded defaults; its GraphQL URL."""
    with served(
        tmp_path,
        ENVIRONMENT="development",
        DATABASE_URL=f"sqlite://{tmp_path}/agora.sqlite3",
        REDIS_URL="memory://",
        MEDIA_URL=f"file://{tmp_path}/media",
        SEED_DEMO="false",
        RUN_WORKER_IN_PROCESS="false",
        LOG_LEVEL="WARNING",
    ) as url:
        yield f"{url}/graphql"


def test_graphql_http_audit_passes_every_must_and_should(served_url: str) -> None:
    node = shutil.which("node")
    if node is None or not (AUDIT / "node_modules" / "graphql-http").is_dir():
        pytest.fail("needs node and `npm ci --prefix tests/js` (bash .ci/test does both)")

    audit = subprocess.run(
        [node, str(AUDIT / "audit.mjs"), served_url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert audit.returncode == 0, audit.stderr
    results: list[dict[str, str]] = json.loads(audit.stdout)
    failed = [r for r in results if r["status"] in ("error", "warn")]
    report = "\n".join(f"{r['status']} {r['id']} {r['name']}: {r['reason']}" for r in failed)
    assert not failed, f"{len(failed)} of {len(results)} audits failed:\n{report}"
    assert len(results) == 61  # it really ran: graphql-http 1.23.1 has 61 audits
