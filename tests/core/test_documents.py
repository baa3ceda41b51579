"""Trusted documents: admins register operations, clients run them by id."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from models.accounts import Role
from models.documents import TrustedDocument
from tests.factories import SignIn
from tests.utils import GraphQLClient

REGISTER = """
mutation($docs: [String!]!) { registerTrustedDocuments(documents: $docs) {
  __typename ... on RegisterTrustedDocumentsSuccess { documentIds }
  ... on ValidationError { field message } } }
"""
VIEWER = "query Viewer { viewer { handle } }"
USER = "query User($h: String!) { user(handle: $h) { handle } }"


def sha(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.smoke
async def test_registered_documents_run_by_id(
    gql: GraphQLClient, http: httpx.AsyncClient, sign_in: SignIn
) -> None:
    admin = await sign_in(role=Role.ADMIN)

    first = await gql.data(REGISTER, {"docs": [VIEWER, USER]}, token=admin.token)
    again = await gql.data(REGISTER, {"docs": [USER]}, token=admin.token)
    by_post = await gql.send(
        {"documentId": sha(USER), "variables": {"h": admin.user.handle}}, token=admin.token
    )
    by_get = await http.get(
        "/graphql",
        params={"documentId": sha(VIEWER)},
        headers={"authorization": f"Bearer {admin.token}"},
    )

    assert first["registerTrustedDocuments"]["documentIds"] == [sha(VIEWER), sha(USER)]
    assert again["registerTrustedDocuments"]["documentIds"] == [sha(USER)]
    assert await TrustedDocument.all().count() == 2
    assert by_post.data == {"user": {"handle": admin.user.handle}}
    assert by_post.body["extensions"]["cost"]["requestedQueryCost"] == 1  # limits still apply
    assert by_get.status_code == 200
    assert by_get.json()["data"] == {"viewer": {"handle": admin.user.handle}}


async def test_registration_is_all_or_nothing_and_for_admins(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    admin = await sign_in(role=Role.ADMIN)
    merchant = await sign_in(role=Role.MERCHANT)

    invalid = await gql.data(REGISTER, {"docs": [VIEWER, "{ viewer { nope } }"]}, token=admin.token)
    broken = await gql.data(REGISTER, {"docs": ["query {"]}, token=admin.token)
    empty = await gql.data(REGISTER, {"docs": []}, token=admin.token)
    by_merchant = await gql.post(REGISTER, {"docs": [VIEWER]}, token=merchant.token)
    by_anonymous = await gql.post(REGISTER, {"docs": [VIEWER]})

    assert invalid["registerTrustedDocuments"] == {
        "__typename": "ValidationError",
        "field": "documents[1]",
        "message": "Cannot query field 'nope' on type 'User'.",
    }
    assert broken["registerTrustedDocuments"]["field"] == "documents[0]"
    assert "Syntax Error" in broken["registerTrustedDocuments"]["message"]
    assert empty["registerTrustedDocuments"]["field"] == "documents"
    assert by_merchant.codes == ["FORBIDDEN"]
    assert by_anonymous.codes == ["UNAUTHENTICATED"]
    assert await TrustedDocument.all().count() == 0


async def test_unknown_malformed_and_ambiguous_requests(gql: GraphQLClient) -> None:
    never = sha(f"{{ never registered {uuid.uuid4().hex} }}")
    unknown = await gql.send({"documentId": never})
    repeated = await gql.send({"documentId": never})
    malformed = await gql.send({"documentId": "md5:abc"})
    both = await gql.send({"documentId": sha(VIEWER), "query": VIEWER})

    assert (unknown.status, unknown.codes, unknown.sql) == (404, ["DOCUMENT_NOT_FOUND"], 1)
    assert (repeated.status, repeated.sql) == (404, 0)  # remembered as missing for a while
    assert (malformed.status, malformed.codes, malformed.sql) == (404, ["DOCUMENT_NOT_FOUND"], 0)
    assert (both.status, both.codes) == (400, ["BAD_REQUEST"])


@pytest.fixture
async def trusted_only(running: Any, services: Any) -> AsyncIterator[None]:
    settings = services.settings.replace(anonymous_trusted_documents_only=True)
    running.state["services"] = replace(services, settings=settings)
    try:
        yield
    finally:
        running.state["services"] = services


@pytest.mark.smoke
async def test_anonymous_callers_may_be_held_to_registered_documents(
    gql: GraphQLClient, http: httpx.AsyncClient, sign_in: SignIn, trusted_only: None
) -> None:
    admin = await sign_in(role=Role.ADMIN)
    await gql.data(REGISTER, {"docs": [VIEWER]}, token=admin.token)

    free_form = await gql.post(VIEWER)
    free_form_get = await http.get("/graphql", params={"query": VIEWER})
    by_id = await gql.send({"documentId": sha(VIEWER)})
    signed_in = await gql.post(VIEWER, token=admin.token)

    assert (free_form.status, free_form.codes, free_form.sql) == (
        403,
        ["TRUSTED_DOCUMENT_REQUIRED"],
        0,
    )
    assert free_form_get.status_code == 403
    # Bodies the check cannot read as a JSON object do not get past it either.
    for raw in (b'{"query": "{ viewer { id } }", "variables": {"x": NaN}}', b"[]", b"\xff\xfe{"):
        sneaky = await http.post(
            "/graphql", content=raw, headers={"content-type": "application/json"}
        )
        assert sneaky.status_code == 400, raw
        assert sneaky.headers["x-sql-statements"] == "0"
    assert by_id.data == {"viewer": None}
    assert signed_in.data == {"viewer": {"handle": admin.user.handle}}
