"""The WebSocket at /graphql: graphql-transport-ws (the `graphql-ws` library's protocol) on
strawberry's handler, with our authentication, limits, heartbeat and close codes.

Close codes (docs/subscriptions.md): 4400 a malformed message, 4401 a bad, revoked or expired
token (at connection_init or later), 4408 no connection_init in time or no pong to a ping,
4429 the caller's connections are at the limit (or a second connection_init), 4503 Redis
cannot be reached. A refused *subscription* is an `error` message with GraphQL errors
(FORBIDDEN, UNAUTHENTICATED, BAD_USER_INPUT, SUBSCRIPTION_LIMIT, SERVICE_UNAVAILABLE); the
connection stays open.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import timedelta
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.schema import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    PongMessage,
    SubscribeMessage,
)

from resolvers import subscriptions
from resolvers.context import Context
from resolvers.errors import Unauthenticated
from resolvers.principal import ANONYMOUS
from resolvers.subscriptions import SubscriptionContext, SubscriptionUnavailable
from schema.http import GraphQLView
from settings import Settings
from storage.database import is_database_unavailable

log = logging.getLogger("agora.subscriptions")

UNAUTHENTICATED = 4401
TIMEOUT = 4408
TOO_MANY = 4429
UNAVAILABLE = 4503
# The longest the transport waits for a new subscription to be in place (its access checks
# are a few queries) before it reads the client's next message anyway.
READY_SECONDS = 10.0
# A close frame's reason is at most 123 bytes.
MAX_REASON = 120


class SubscriptionView(GraphQLView):
    """Serves only the WebSocket (main.py routes HTTP to the plain view)."""

    def __init__(self, schema: BaseSchema, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(
                seconds=settings.subscription_init_timeout_seconds
            ),
            # Counted by our handler, which answers with a code (strawberry's has none).
            max_subscriptions_per_connection=None,
            # Tokens travel in connection_init, never in cookies: a page on another origin
            # gets nothing a script elsewhere could not, as with CORS (CORS_ORIGINS).
            allowed_origins=settings.cors_origins,
        )
        self.graphql_transport_ws_handler_class = AgoraTransportHandler

    def encode_json(self, data: object) -> str:  # type: ignore[override]
        # Text frames: the protocol's messages are text, and clients read binary ones as
        # something else (graphql-ws on node gets a Buffer and closes with 4004).
        return orjson.dumps(data).decode()

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        if not isinstance(request, WebSocket):
            return await super().get_context(request, response)
        return SubscriptionContext(
            request=request,
            request_id=uuid.uuid4().hex,
            principal=ANONYMOUS,
            services=request.state.services,
            hub=request.state.subscriptions,
        )


class AgoraTransportHandler(BaseGraphQLTransportWSHandler[Context, None]):
    heartbeat: asyncio.Task[None] | None = None
    awaiting_pong: bool = False

    @property
    def ctx(self) -> SubscriptionContext:
        assert isinstance(self.context, SubscriptionContext)
        return self.context

    async def close(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):  # already closed by the client: nothing to tell
            await self.websocket.close(code=code, reason=reason[:MAX_REASON])

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        if self.connection_timed_out:
            return
        if self.connection_init_timeout_task:
            self.connection_init_timeout_task.cancel()
        payload = message.get("payload") or {}
        if not isinstance(payload, dict):
            await self.close(4400, "Invalid connection init payload")
            return
        if self.connection_init_received:
            await self.close(TOO_MANY, "Too many initialisation requests")
            return
        self.connection_init_received = True
        ctx = self.ctx
        ctx.connection_params = payload
        ctx.signed_out = self.signed_out
        header = ctx.request.headers.get("authorization")
        try:
            await subscriptions.sign_in(ctx, subscriptions.authorization_of(payload, header))
            taken = await subscriptions.take_lease(ctx)
        except Unauthenticated as exc:
            await self.close(UNAUTHENTICATED, f"Unauthenticated: {exc.message}")
            return
        except SubscriptionUnavailable:
            await self.close(UNAVAILABLE, "Service unavailable: Redis cannot be reached; retry")
            return
        except Exception as exc:
            if not is_database_unavailable(exc):
                raise
            await self.close(UNAVAILABLE, "Service unavailable: the database; retry")
            return
        if not taken:
            limit = ctx.settings.subscription_connections_per_caller
            await self.close(TOO_MANY, f"Too many connections: at most {limit} per caller")
            return
        await self.send_message({"type": "connection_ack"})
        self.connection_acknowledged = True
        self.heartbeat = asyncio.create_task(self._beat())

    async def signed_out(self, why: str) -> None:
        await self.close(UNAUTHENTICATED, f"Unauthenticated: {why}")

    async def handle_pong(self, message: PongMessage) -> None:
        self.awaiting_pong = False

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        limit = self.ctx.settings.subscriptions_per_connection
        if self.connection_acknowledged and len(self.operations) >= limit:
            error = GraphQLError(
                f"At most {limit} subscriptions per connection: complete one first.",
                extensions={"code": "SUBSCRIPTION_LIMIT", "limit": limit},
            )
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return
        # Read nothing more from the client until the subscription receives events (or has
        # ended): what the client sends next (a mutation, a query) then happens after it is
        # in place, so no event of that can be missed.
        ready = self.ctx.subscribed = asyncio.Event()
        try:
            await super().handle_subscribe(message)
            operation = self.operations.get(message["id"])
            if operation is not None and operation.task is not None:
                waiting = asyncio.ensure_future(ready.wait())
                await asyncio.wait(
                    {operation.task, waiting},
                    timeout=READY_SECONDS,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                waiting.cancel()
        finally:
            self.ctx.subscribed = None

    async def shutdown(self) -> None:
        if self.heartbeat is not None:
            self.heartbeat.cancel()
            await asyncio.gather(self.heartbeat, return_exceptions=True)
        await super().shutdown()
        with contextlib.suppress(Exception):  # it lapses by itself if Redis is away
            await subscriptions.release_lease(self.ctx)

    async def _beat(self) -> None:
        """Ping, and with each beat re-check the token and renew the connection's lease."""
        interval = self.ctx.settings.subscription_ping_seconds
        while True:
            await asyncio.sleep(interval)
            if self.awaiting_pong:
                await self.close(TIMEOUT, "No pong to the last ping")
                return
            try:
                await subscriptions.recheck(self.ctx)
            except Unauthenticated as exc:
                await self.signed_out(exc.message)
                return
            except Exception:  # the database away: checked again on the next beat
                log.warning("could not re-check a subscriber's token", exc_info=True)
            with contextlib.suppress(Exception):
                await subscriptions.renew_lease(self.ctx)
            self.awaiting_pong = True
            try:
                await self.send_message({"type": "ping"})
            except Exception:  # gone: the receive loop ends the connection
                return
