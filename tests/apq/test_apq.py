"""Automatic persisted queries: the hash alone, PERSISTED_QUERY_NOT_FOUND, then the query with
its hash, stored in Redis once it passed every check, over POST and GET."""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from models.accounts import Role
from resolvers.context import Services
from settings import Settings, SettingsError
from storage.cache import open_redis
from tests.factories import SignIn
from tests.utils import GraphQLClient, Response

# Texts of their own: trusted documents of the same text (registered by other tests) would stay
# in this process's memory and answer these hashes.
VIEWER = "query ApqViewer { viewer { handle } }"
USER = "query ApqUser($h: String!) { user(handle: $h) { handle } }"
REGISTER_TRUSTED = """
mutation($docs: [String!]!) { registerTrustedDocuments(documents: $docs) {
  __typename ... on RegisterTrustedDocumentsSuccess { documentIds } } }
"""
UNCACHED = "private, no-cache, must-revalidate"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha(text)}}


async def stored(services: Services, text: str) -> bytes | None:
    value: bytes | None = await services.redis.get(services.keys("apq", sha(text)))
    return value


async def get(
    http: httpx.AsyncClient, params: dict[str, Any], token: str | None = None
) -> Response:
    sent = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    headers = {"authorization": f"Bearer {token}"} if token else {}
    reply = await http.get("/graphql", params=sent, headers=headers)
    return Response(
        status=reply.status_code,
        body=reply.json(),
        sql=int(reply.headers.get("x-sql-statements", "-1")),
        request_id=reply.headers.get("cache-control", ""),  # what these tests read from GET
    )


@pytest.mark.smoke
async def test_round_trip_over_post(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Services
) -> None:
    hashed = {"extensions": persisted(USER), "variables": {"h": "nobody"}}

    miss = await http.post("/graphql", json=hashed)
    register = await gql.send({"query": USER, **hashed})
    hit = await gql.send(hashed)

    assert miss.status_code == 200
    assert miss.headers["cache-control"] == UNCACHED
    not_found = {
        "message": "PersistedQueryNotFound",
        "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
    }
    assert miss.json() == {"errors": [not_found]}
    assert (register.status, register.data, register.errors) == (200, {"user": None}, [])
    assert (hit.status, hit.data, hit.errors) == (200, {"user": None}, [])
    assert hit.body["extensions"]["cost"]["requestedQueryCost"] == 1  # limits still apply
    assert await stored(services, USER) == USER.encode()
    ttl = await services.redis.ttl(services.keys("apq", sha(USER)))
    assert 0 < ttl <= services.settings.apq_ttl_seconds


async def test_round_trip_over_get_and_mutations_stay_post_only(
    http: httpx.AsyncClient, gql: GraphQLClient, services: Services, sign_in: SignIn
) -> None:
    user = await sign_in()
    mutation = "mutation { logout { __typename } }"

    miss = await get(http, {"extensions": persisted(VIEWER)}, user.token)
    register = await get(http, {"query": VIEWER, "extensions": persisted(VIEWER)}, user.token)
    hit = await get(http, {"extensions": persisted(VIEWER)}, user.token)
    # Anonymous: it runs (and is refused as such) but is valid, so it is stored.
    await gql.send({"query": mutation, "extensions": persisted(mutation)})
    mutation_by_get = await http.get(
        "/graphql", params={"extensions": json.dumps(persisted(mutation))}
    )

    assert (miss.status, miss.codes, miss.request_id) == (
        200,
        ["PERSISTED_QUERY_NOT_FOUND"],
        UNCACHED,
    )
    assert register.data == {"viewer": {"handle": user.user.handle}}
    assert hit.data == {"viewer": {"handle": user.user.handle}}
    assert await stored(services, VIEWER) == VIEWER.encode()
    assert await stored(services, mutation) == mutation.encode()  # registered over POST
    assert mutation_by_get.status_code == 405
    assert mutation_by_get.headers["allow"] == "POST"


async def test_a_hash_that_does_not_match_is_refused_and_nothing_is_stored(
    gql: GraphQLClient, services: Services
) -> None:
    other = "{ viewer { id } }"
    mismatch = await gql.send({"query": other, "extensions": persisted(VIEWER)})
    version_2 = {"persistedQuery": {"version": 2, "sha256Hash": sha(VIEWER)}}
    wrong_version = await gql.send({"query": VIEWER, "extensions": version_2})
    not_hex = await gql.send(
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "sha256:" + sha(VIEWER)}}}
    )

    assert (mismatch.status, mismatch.codes, mismatch.sql) == (
        400,
        ["PERSISTED_QUERY_HASH_MISMATCH"],
        0,
    )
    assert (wrong_version.status, wrong_version.codes) == (400, ["BAD_REQUEST"])
    assert (not_hex.status, not_hex.codes) == (400, ["BAD_REQUEST"])
    assert await stored(services, VIEWER) is None
    assert await stored(services, other) is None


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ("{ viewer { nope } }", "GRAPHQL_VALIDATION_FAILED"),
        ("query {", "GRAPHQL_PARSE_FAILED"),
        # Deeper than MAX_QUERY_DEPTH (10).
        (
            "{ viewer { "
            + "apps(first: 1) { edges { node { owner { " * 3
            + "id"
            + " } } } }" * 3
            + " } }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
        # Over MAX_QUERY_COST through a variable's default, as a literal would be.
        (
            "query($n: Int = 100) { products(first: $n) { edges { node { "
            "reviews(first: $n) { edges { node { id } } } } } } }",
            "QUERY_TOO_COSTLY",
        ),
        (
            "{ " + " ".join(f"a{i}: viewer {{ id }}" for i in range(20)) + " }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ],
    ids=["invalid", "syntax", "deep", "costly", "aliases"],
)
async def test_documents_that_fail_a_check_are_not_stored(
    gql: GraphQLClient, services: Services, document: str, code: str
) -> None:
    registered = await gql.send({"query": document, "extensions": persisted(document)})
    again = await gql.send({"extensions": persisted(document)})

    assert registered.codes == [code]
    assert registered.data is None
    assert registered.sql == 0
    assert await stored(services, document) is None
    assert again.codes == ["PERSISTED_QUERY_NOT_FOUND"]


@contextmanager
def settings_of(running: Any, services: Services, **changes: Any) -> Iterator[Services]:
    changed = replace(services, settings=services.settings.replace(**changes))
    running.state["services"] = changed
    try:
        yield changed
    finally:
        running.state["services"] = services


async def test_large_documents_and_registrations_past_the_limit_run_unstored(
    gql: GraphQLClient, running: Any, services: Services
) -> None:
    documents = [f"query Q{i} {{ viewer {{ id }} }}" for i in range(3)]
    large = "query Large { viewer { id } }" + " " * 100

    with settings_of(running, services, apq_registrations_per_hour=2, apq_max_document_bytes=100):
        runs = [await gql.send({"query": d, "extensions": persisted(d)}) for d in documents]
        oversized = await gql.send({"query": large, "extensions": persisted(large)})

    assert [r.data for r in runs] == [{"viewer": None}] * 3
    assert [await stored(services, d) is not None for d in documents] == [True, True, False]
    assert oversized.data == {"viewer": None}
    assert await stored(services, large) is None


async def test_apq_can_be_turned_off(gql: GraphQLClient, running: Any, services: Services) -> None:
    with settings_of(running, services, apq_enabled=False):
        hashed = await gql.send({"extensions": persisted(VIEWER)})
        with_query = await gql.send({"query": VIEWER, "extensions": persisted(VIEWER)})
        plain = await gql.post(VIEWER)

    assert (hashed.status, hashed.codes) == (200, ["PERSISTED_QUERY_NOT_SUPPORTED"])
    assert (with_query.status, with_query.codes) == (200, ["PERSISTED_QUERY_NOT_SUPPORTED"])
    assert plain.data == {"viewer": None}
    assert await stored(services, VIEWER) is None


async def test_trusted_documents_answer_their_hash(
    gql: GraphQLClient, running: Any, services: Services, sign_in: SignIn
) -> None:
    admin = await sign_in(role=Role.ADMIN)
    user = await sign_in()
    # Unique to this run: the trusted document stays in this process's memory afterwards.
    trusted_text = f"query Trusted{uuid.uuid4().hex} {{ viewer {{ handle }} }}"
    await gql.data(REGISTER_TRUSTED, {"docs": [trusted_text]}, token=admin.token)
    apq_only = "query Mine { viewer { id } }"
    await gql.send({"query": apq_only, "extensions": persisted(apq_only)}, token=user.token)

    anywhere = await gql.send({"extensions": persisted(trusted_text)})
    with settings_of(running, services, anonymous_trusted_documents_only=True):
        trusted = await gql.send({"extensions": persisted(trusted_text)})
        not_trusted = await gql.send({"extensions": persisted(apq_only)})
        registration = await gql.send({"query": USER, "extensions": persisted(USER)})
        signed_in = await gql.send({"extensions": persisted(apq_only)}, token=user.token)

    assert anywhere.data == {"viewer": None}
    assert await stored(services, trusted_text) is None  # answered from the trusted document
    assert trusted.data == {"viewer": None}
    # An APQ document someone signed in registered is not a trusted one.
    assert not_trusted.codes == ["PERSISTED_QUERY_NOT_FOUND"]
    assert (registration.status, registration.codes) == (403, ["TRUSTED_DOCUMENT_REQUIRED"])
    assert await stored(services, USER) is None
    assert signed_in.data == {"viewer": {"id": signed_in.data["viewer"]["id"]}}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
async def redis_down(running: Any, services: Services) -> AsyncIterator[Services]:
    """The app with a Redis that refuses every connection."""
    client = open_redis(f"redis://127.0.0.1:{_closed_port()}/0", timeout=1.0)
    down = replace(services, redis=client)
    running.state["services"] = down
    try:
        yield down
    finally:
        running.state["services"] = services
        await client.aclose()


async def test_with_redis_down_hashes_miss_and_queries_run_unstored(
    gql: GraphQLClient, services: Services, redis_down: Services
) -> None:
    document = "query Down { viewer { id } }"
    miss = await gql.send({"extensions": persisted(document)})
    register = await gql.send({"query": document, "extensions": persisted(document)})
    again = await gql.send({"extensions": persisted(document)})

    assert (miss.status, miss.codes) == (200, ["PERSISTED_QUERY_NOT_FOUND"])
    assert (register.status, register.data, register.errors) == (200, {"viewer": None}, [])
    assert (again.status, again.codes) == (200, ["PERSISTED_QUERY_NOT_FOUND"])
    assert await stored(services, document) is None


async def test_concurrent_registrations_store_one_entry_and_all_run(
    gql: GraphQLClient, services: Services
) -> None:
    document = "query Concurrent { viewer { id } }"
    body = {"query": document, "extensions": persisted(document)}

    replies = await asyncio.gather(*(gql.send(body) for _ in range(50)))
    hit = await gql.send({"extensions": persisted(document)})

    assert [r.data for r in replies] == [{"viewer": None}] * 50
    keys = [k async for k in services.redis.scan_iter(match=services.keys("apq", "*"))]
    assert keys == [services.keys("apq", sha(document)).encode()]
    assert hit.data == {"viewer": None}


def test_the_documented_hashes_are_those_of_the_documented_queries() -> None:
    root = Path(__file__).resolve().parent.parent.parent
    documented = {
        root / "README.md": "query Viewer { viewer { handle } }",
        root / "docs" / "apps.md": (
            "query Products($first: Int!) { products(first: $first) { edges { node { title } } } }"
        ),
    }
    for path, query in documented.items():
        text = path.read_text(encoding="utf-8")
        assert query in text, path
        assert sha(query) in text, path


async def test_a_registration_marks_its_own_request_only(
    gql: GraphQLClient, services: Services
) -> None:
    first = "query MarkedFirst { viewer { id } }"
    later = "query MarkedLater { viewer { handle } }"
    await gql.send({"query": first, "extensions": persisted(first)})
    await services.redis.delete(services.keys("apq", sha(first)))

    plain = await gql.post(later)

    # Nothing of the registration carried over to the next request (the tests' ASGI state is
    # one dict shared by every request): the later text was not stored under the first hash.
    assert plain.data == {"viewer": None}
    assert [k async for k in services.redis.scan_iter(match=services.keys("apq", "*"))] == []


def test_settings_are_read_from_the_environment() -> None:
    defaults = Settings.from_env({})
    read = Settings.from_env(
        {
            "APQ_ENABLED": "false",
            "APQ_TTL_SECONDS": "600",
            "APQ_MAX_DOCUMENT_BYTES": "4096",
            "APQ_REGISTRATIONS_PER_HOUR": "7",
        }
    )

    assert (defaults.apq_enabled, defaults.apq_ttl_seconds) == (True, 86400)
    assert (defaults.apq_max_document_bytes, defaults.apq_registrations_per_hour) == (32768, 100)
    assert (read.apq_enabled, read.apq_ttl_seconds) == (False, 600)
    assert (read.apq_max_document_bytes, read.apq_registrations_per_hour) == (4096, 7)
    with pytest.raises(SettingsError, match="APQ_TTL_SECONDS"):
        Settings.from_env({"APQ_TTL_SECONDS": "5"})
