"""The HTTP surface around the GraphQL schema: request ids and SQL counting, CORS, bearer
authentication, trusted documents, the strawberry view, and the health routes.

main.py assembles these into the app; everything here works on one request at a time.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from redis.asyncio import Redis
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.execution import ExecutionResult, PreExecutionError

from resolvers import documents
from resolvers.auth import authenticate
from resolvers.context import Context, Services
from resolvers.errors import Unauthenticated
from resolvers.events import kicking_relay
from resolvers.principal import ANONYMOUS
from schema.masking import SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE
from schema.negotiation import CONTENT_TYPES, JSON, response_media_type
from settings import Settings
from storage.database import count_statements, is_database_unavailable, ping_database

log = logging.getLogger("agora.http")

READY_CHECK_TIMEOUT = 2.0
# What a 503 tells clients to wait: about what a restart takes, and short next to the
# connect, pool and statement timeouts a request has already waited out.
RETRY_AFTER_SECONDS = 5
# A client's X-Request-ID is kept if it looks like an id; anything else is replaced.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Gives each request an id (X-Request-ID) and, when enabled, counts its SQL statements."""

    def __init__(self, app: ASGIApp, *, count_sql: bool) -> None:
        self.app = app
        self.count_sql = count_sql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        with count_statements() as statements:

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    headers.append((b"x-request-id", request_id.encode()))
                    if self.count_sql:
                        headers.append((b"x-sql-statements", str(statements.value).encode()))
                    message["headers"] = headers
                await send(message)

            await self.app(scope, receive, send_with_headers)


def cors(origins: Sequence[str], *, count_sql: bool) -> Middleware:
    """Lets pages on `origins` (CORS_ORIGINS; `*` is any) call the API from a browser.

    Callers authenticate with a bearer token, never a cookie, so credentials stay off: a page
    gets nothing a script on any machine could not fetch with the same token. Content-Type and
    Accept are CORS-safelisted, and Starlette allows them whatever we list.
    """
    exposed = ["X-Request-ID", "X-SQL-Statements"] if count_sql else ["X-Request-ID"]
    return Middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "X-Request-ID"],
        expose_headers=exposed,
        allow_credentials=False,
    )


class GraphQLView(GraphQL[Context, None]):
    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]
        return Context(
            request=request,
            request_id=request.state.request_id,
            principal=getattr(request.state, "principal", ANONYMOUS),
            services=request.state.services,
        )

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def parse_json(self, data: str | bytes) -> Any:
        # The same parser as TrustedDocuments: a body one of them read differently from the
        # other (NaN, lone surrogates, UTF-16) could slip past that check. orjson's
        # JSONDecodeError is json's, which strawberry turns into a 400.
        return orjson.loads(data)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        return _SubResponse(response_media_type(request.headers.get("accept")))

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            # A mutation that recorded events kicks the relay once it is done (after commit).
            async with kicking_relay(
                context.services.queue,
                breaker=context.redis_breaker,
                wait_seconds=context.settings.redis_timeout_seconds,
            ):
                result = await super().execute_single(
                    request, request_adapter, sub_response, context, root_value, request_data
                )
        except HTTPException as exc:
            # Only GET restricts operation types, and GraphQL over HTTP answers a mutation sent
            # with GET 405 (strawberry says 400); AuthenticatedGraphQL adds `Allow: POST`.
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, exc.reason) from exc.__cause__
            raise
        # Strawberry returns a PreExecutionError when nothing ran: the document did not parse
        # or validate, or (schema/coercion.py) the variables did not fit it.
        if isinstance(result, PreExecutionError) and _media_type(sub_response) != JSON:
            sub_response.status_code = _request_error_status(result)
        if any(_code(error) == SERVICE_UNAVAILABLE for error in result.errors or ()):
            # Under either media type: what ran cannot be trusted to be whole, and 503 is what
            # clients, proxies and load balancers retry.
            sub_response.status_code = 503
            sub_response.headers["retry-after"] = str(RETRY_AFTER_SECONDS)
        return result

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        media_type = _media_type(sub_response)
        if sub_response.status_code == 503 and isinstance(response_data, dict):
            response_data = _unavailable_only(response_data)
        # Only execute_single() sets a 4xx/5xx here, for a request error or the database being
        # down: such a response has no `data` entry at all, not even null. (Batching is off, so
        # one result per request.)
        if (
            media_type != JSON
            and sub_response.status_code >= 400
            and isinstance(response_data, dict)
        ):
            response_data = response_data.copy()
            response_data.pop("data", None)
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = CONTENT_TYPES[media_type]
        response.headers.add_vary_header("Accept")  # for caches: the answer depends on it
        return response


class _SubResponse(Response):
    """Strawberry's per-request response, which it hands to create_response() in place of the
    request, carrying the media type negotiated from the request's Accept header."""

    def __init__(self, media_type: str) -> None:
        super().__init__()
        del self.headers["content-length"]  # as strawberry's own: only added headers are copied
        self.negotiated_media_type = media_type


def _media_type(sub_response: Response) -> str:
    return sub_response.negotiated_media_type if isinstance(sub_response, _SubResponse) else JSON


def _code(error: Any) -> object:
    return (error.extensions or {}).get("code")


def _code_of(formatted: dict[str, Any]) -> object:
    return (formatted.get("extensions") or {}).get("code")


def _unavailable_only(response_data: GraphQLHTTPResponse) -> GraphQLHTTPResponse:
    """A 503's body: no partial data (null; dropped under graphql-response+json), and one
    SERVICE_UNAVAILABLE error in place of one per field that hit the database."""
    errors = cast("list[dict[str, Any]]", response_data.get("errors") or [])
    first = next(error for error in errors if _code_of(error) == SERVICE_UNAVAILABLE)
    error = {"message": first["message"], "extensions": first["extensions"]}
    return {**response_data, "data": None, "errors": [error]}


def _request_error_status(result: ExecutionResult) -> int:
    # A masked unexpected failure before execution (an extension crashing) is ours, not the
    # client's: a 5xx, still without data, as the spec allows.
    codes = {(error.extensions or {}).get("code") for error in result.errors or ()}
    return 500 if "INTERNAL_SERVER_ERROR" in codes else 400


class AuthenticatedGraphQL:
    """Resolves the bearer token before GraphQL runs; a bad token is a 401, not anonymous."""

    def __init__(self, view: ASGIApp) -> None:
        self.view = view

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._authenticated(scope, receive, send_noting_start)
        except Exception as exc:
            # The database failing before GraphQL runs (the token's look-up, a trusted
            # document's) is the same retryable 503 as inside it; anything else, or a failure
            # once the answer has begun, is a bug and stays one.
            if started or not is_database_unavailable(exc):
                raise
            request_id = scope["state"]["request_id"]
            log.warning("database unavailable (request %s): %r", request_id, exc)
            await unavailable_response(scope)(scope, receive, send)

    async def _authenticated(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            principal = await authenticate(request.headers.get("authorization"))
        except Unauthenticated as exc:
            error = {"message": exc.message, "extensions": exc.extensions}
            challenge = {"WWW-Authenticate": 'Bearer realm="agora"'}
            await errors_response(scope, 401, [error], challenge)(scope, receive, send)
            return
        scope["state"]["principal"] = principal

        # A 405 to a GET is a mutation sent with GET, which POST would run; any other 405 that
        # gets this far (HEAD, which the route admits with GET) is strawberry refusing the method.
        allow = b"POST" if scope["method"] == "GET" else b"GET, POST"

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                message["headers"] = [*message.get("headers", []), (b"allow", allow)]
            await send(message)

        await self.view(scope, receive, send_with_allow)


class TrustedDocuments:
    """Runs `documentId` requests as their registered text (resolvers/documents.py), and with
    ANONYMOUS_TRUSTED_DOCUMENTS_ONLY refuses anonymous free-form documents.

    It works on the raw request, before strawberry parses it, so the rest of the stack (limits,
    cost, caches) sees an ordinary `query` and treats both kinds alike.
    """

    def __init__(self, view: ASGIApp) -> None:
        self.view = view

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        settings: Settings = request.state.services.settings
        principal = scope["state"].get("principal", ANONYMOUS)
        only_trusted = settings.anonymous_trusted_documents_only and principal.is_anonymous
        if request.method == "GET":
            params = dict(request.query_params)
            refusal, resolved = await _resolve_document(params, only_trusted)
            if resolved:
                scope = {**scope, "query_string": urlencode(params).encode()}
            await self._pass(refusal, scope, receive, send)
            return
        body = await request.body()  # read once here, so replayed to the view below
        refusal = None
        # Strawberry parses the body anyway: parse it here too only when it may matter.
        data = _json_or_none(body) if only_trusted or b"documentId" in body else {}
        if isinstance(data, dict):
            refusal, resolved = await _resolve_document(data, only_trusted)
            if resolved:
                body = orjson.dumps(data)
        elif only_trusted:  # nothing this check could read is allowed past it
            refusal = _Refusal(400, "BAD_REQUEST", "The body must be a JSON object.")

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        await self._pass(refusal, scope, replay, send)

    async def _pass(
        self, refusal: _Refusal | None, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if refusal is not None:
            await refusal(scope, receive, send)
        else:
            await self.view(scope, receive, send)


async def _resolve_document(
    data: dict[str, Any], only_trusted: bool
) -> tuple[_Refusal | None, bool]:
    """Put a `documentId`'s registered text in `query`: (a refusal to send, whether it did)."""
    identifier = data.pop("documentId", None)
    if identifier is None:
        if only_trusted and data.get("query"):
            message = "Anonymous callers may run only registered documents: send documentId."
            return _Refusal(403, "TRUSTED_DOCUMENT_REQUIRED", message), False
        return None, False
    if data.get("query"):
        return _Refusal(400, "BAD_REQUEST", "Send either documentId or query, not both."), False
    text = await documents.document_text(str(identifier))
    if text is None:
        return _Refusal(404, "DOCUMENT_NOT_FOUND", "No document is registered by that id."), False
    data["query"] = text
    return None, True


def _json_or_none(body: bytes) -> Any:
    try:
        return orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        return None  # strawberry answers malformed JSON itself


@dataclass(frozen=True, slots=True)
class _Refusal:
    """A request refused before GraphQL runs; answered once the request's Accept is known."""

    status: int
    code: str
    message: str

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = {"message": self.message, "extensions": {"code": self.code}}
        await errors_response(scope, self.status, [error])(scope, receive, send)


def errors_response(
    scope: Scope,
    status: int,
    errors: list[dict[str, Any]],
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A GraphQL response of errors alone, for a request refused before GraphQL ran, in the
    media type the request accepts, like the view's own answers."""
    media_type = response_media_type(Headers(scope=scope).get("accept"))
    response = JSONResponse(
        {"errors": errors}, status, headers=headers, media_type=CONTENT_TYPES[media_type]
    )
    response.headers.add_vary_header("Accept")
    return response


def unavailable_response(scope: Scope) -> Response:
    """The 503 of a request the database failed before GraphQL ran, shaped as one it failed
    inside GraphQL (GraphQLView): one SERVICE_UNAVAILABLE error with the request id, and under
    application/json a null `data`, as the view writes it there."""
    media_type = response_media_type(Headers(scope=scope).get("accept"))
    extensions = {"code": SERVICE_UNAVAILABLE, "requestId": scope["state"]["request_id"]}
    body: dict[str, Any] = {"errors": [{"message": UNAVAILABLE_MESSAGE, "extensions": extensions}]}
    if media_type == JSON:
        body = {"data": None, **body}
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    response = JSONResponse(body, 503, headers=headers, media_type=CONTENT_TYPES[media_type])
    response.headers.add_vary_header("Accept")
    return response


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    services: Services = request.state.services
    checks: dict[str, Callable[[], Awaitable[Any]]] = {
        "database": ping_database,
        "redis": lambda: _ping(services.redis),
        "storage": services.storage.ping,
    }
    results = await asyncio.gather(*(_check(check) for check in checks.values()))
    report = dict(zip(checks, results, strict=True))
    down = [name for name, result in report.items() if result != "ok"]
    status = 503 if down else 200
    return JSONResponse(
        {"status": "unavailable" if down else "ready", "down": down, "checks": report},
        status_code=status,
    )


async def _ping(redis: Redis) -> None:
    # redis-py types ping() for its sync and async clients at once.
    await cast("Awaitable[bool]", redis.ping())


async def _check(check: Callable[[], Awaitable[Any]]) -> str:
    try:
        await asyncio.wait_for(check(), READY_CHECK_TIMEOUT)
    except TimeoutError:
        return "timeout"
    except Exception as exc:  # any failure means "not ready"; the report says which
        return f"error: {type(exc).__name__}"
    return "ok"
