"""Automatic persisted queries on the HTTP path (resolvers/apq.py has the rules).

PersistedQueries works on the raw request, inside TrustedDocuments: a hash alone becomes the
`query` it names, and a query sent with its hash is checked against it and marked for
registration. RegisterPersistedQuery stores a marked query once strawberry has parsed,
validated and priced it, before it runs, so only documents that could run are ever stored.
Statuses and messages are Apollo Server's, which Apollo Client's link is written against.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

import orjson
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from resolvers import apq
from resolvers.principal import ANONYMOUS
from schema.http import errors_response

if TYPE_CHECKING:
    from resolvers.context import Context, Services

# The request state entry naming the hash a query was sent with, for RegisterPersistedQuery.
REGISTER = "apq_register"
# Apollo Server's: an error about the cache must not itself be cached, or the retry that fills
# it would be answered from a proxy's copy.
UNCACHED = {"Cache-Control": "private, no-cache, must-revalidate"}


@dataclass(frozen=True, slots=True)
class _Answer:
    """A persisted-query request answered before GraphQL runs."""

    status: int
    code: str
    message: str

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = {"message": self.message, "extensions": {"code": self.code}}
        headers = UNCACHED if self.status == 200 else None
        await errors_response(scope, self.status, [error], headers)(scope, receive, send)


# Answered 200 as Apollo Server does: the link reads the code and retries with the query.
NOT_FOUND = _Answer(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
NOT_SUPPORTED = _Answer(200, "PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported")
BAD_VERSION = _Answer(400, "BAD_REQUEST", "Unsupported persisted query version")
BAD_HASH = _Answer(
    400, "BAD_REQUEST", "persistedQuery.sha256Hash must be 64 lowercase hexadecimal digits."
)
MISMATCH = _Answer(400, "PERSISTED_QUERY_HASH_MISMATCH", "provided sha does not match query")


class PersistedQueries:
    """Resolves `extensions.persistedQuery` on GET and POST; other requests pass untouched."""

    def __init__(self, view: ASGIApp) -> None:
        self.view = view

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if request.method == "GET":
            params = dict(request.query_params)
            extensions = _json_or_none(params.get("extensions", "").encode())
            answer, changed, register = await _resolve(scope, params, extensions)
            if changed:
                scope = {**scope, "query_string": urlencode(params).encode()}
            await (answer or self.view)(_marked(scope, register), receive, send)
            return
        body = await request.body()
        data = _json_or_none(body) if b"persistedQuery" in body else None
        answer, register = None, None
        if isinstance(data, dict):
            answer, changed, register = await _resolve(scope, data, data.get("extensions"))
            if changed:
                body = orjson.dumps(data)

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        await (answer or self.view)(_marked(scope, register), replay, send)


def _marked(scope: Scope, register: str | None) -> Scope:
    """The scope with the hash to register under in a state of its own: the state dict may be
    shared by every request (asgi-lifespan's is), so it must not be written to."""
    if register is None:
        return scope
    return {**scope, "state": {**scope["state"], REGISTER: register}}


async def _resolve(
    scope: Scope, data: dict[str, Any], extensions: Any
) -> tuple[_Answer | None, bool, str | None]:
    """Put a hash's text in `query`, or check a query against its hash: (an answer to send
    instead of running anything, whether `query` was filled in, the hash to register under)."""
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if persisted is None:
        return None, False, None
    services: Services = scope["state"]["services"]
    if not services.settings.apq_enabled:
        return NOT_SUPPORTED, False, None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        return BAD_VERSION, False, None
    sha = persisted.get("sha256Hash")
    if not isinstance(sha, str) or not apq.HASH.match(sha):
        return BAD_HASH, False, None
    query = data.get("query")
    if not query:
        principal = scope["state"].get("principal", ANONYMOUS)
        trusted_only = services.settings.anonymous_trusted_documents_only and principal.is_anonymous
        text = await apq.lookup(services, sha, trusted_only=trusted_only)
        if text is None:
            return NOT_FOUND, False, None
        data["query"] = text
        return None, True, None
    if not isinstance(query, str):
        return None, False, None  # strawberry answers a malformed request itself
    if apq.query_hash(query) != sha:
        return MISMATCH, False, None
    return None, False, sha


def _json_or_none(raw: bytes) -> Any:
    try:
        return orjson.loads(raw) if raw else None
    except orjson.JSONDecodeError:
        return None  # strawberry answers malformed JSON itself


class RegisterPersistedQuery(SchemaExtension):
    """Stores a query sent with its hash once it passed every check, before it runs.

    It follows QueryCost: a request refused for its budget has its result set by then, and is
    neither run nor stored.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        ctx = cast("Context", context.context)
        # Only HTTP requests through PersistedQueries carry a hash; other callers of the schema
        # (a websocket, tests executing it directly) may have no request at all.
        scope = getattr(getattr(ctx, "request", None), "scope", None) or {}
        sha = (scope.get("state") or {}).get(REGISTER)
        if sha is not None and context.result is None and context.query is not None:
            await apq.register(ctx, sha, context.query)
        yield
