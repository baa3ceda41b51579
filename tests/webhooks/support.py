"""Webhook test tools: a real HTTP receiver on a loopback port, a real worker, the API calls."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from models.accounts import Role
from models.apps import App
from resolvers.principal import ROLE_SCOPES, Scope
from tests.utils import GraphQLClient, gid

CREATE = """
mutation($app: ID!, $url: String!, $types: [String!]!) {
  createWebhookSubscription(appId: $app, url: $url, eventTypes: $types) {
    __typename
    ... on CreateWebhookSubscriptionSuccess {
      secret subscription { id url eventTypes secretHint active } }
    ... on ValidationError { field message }
    ... on ConflictError { message }
    ... on NotFoundError { message }
  } }
"""
DELIVERIES = """
query($id: ID!, $status: WebhookDeliveryStatus, $n: Int = 20) { node(id: $id) {
  ... on WebhookSubscription {
    active disabledReason consecutiveFailures
    deliveries(first: $n, status: $status) { totalCount edges { node {
      id eventId eventType status attemptCount lastResponseCode lastDurationMs lastError body
      attempts { number startedAt durationMs succeeded responseCode error nextAttemptAt }
    } } }
  } } }
"""
REDELIVER = """
mutation($id: ID!) { redeliverWebhook(deliveryId: $id) {
  __typename ... on RedeliverWebhookSuccess { delivery { id status } }
  ... on ConflictError { message } } }
"""

# A worker whose retries come within seconds, so tests watch a whole schedule.
FAST: dict[str, Any] = {
    "webhook_retry_base_seconds": 0.2,
    "webhook_retry_max_seconds": 1.0,
    "webhook_timeout_seconds": 2.0,
    "webhook_max_attempts": 5,
    "webhook_disable_after_failures": 2,
}


@dataclass(frozen=True, slots=True)
class Received:
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() when it arrived


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check, as docs/webhooks.md shows it."""
    timestamp = headers["agora-webhook-timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(headers["agora-webhook-signature"], f"v1={expected}")


@dataclass
class Receiver:
    """An HTTP server answering every POST with `status` (after `hold`, when set)."""

    status: int = 200
    hold: asyncio.Event | None = None
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {key.decode().lower(): value.decode() for key, value in scope["headers"]}
        async with self._arrived:
            self.requests.append(Received(headers, body, time.time()))
            self._arrived.notify_all()
        if self.hold is not None:
            await self.hold.wait()
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b"thanks"})

    async def wait_for(self, count: int, seconds: float = 60) -> list[Received]:
        """The first `count` requests, once they came (failing after `seconds`)."""
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(self.requests) >= count), seconds
            )
        return self.requests[:count]


@contextlib.asynccontextmanager
async def receiving(receiver: Receiver) -> AsyncIterator[Receiver]:
    """Serve the receiver with uvicorn on a free loopback port for the block."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    receiver.port = sock.getsockname()[1]
    config = uvicorn.Config(
        receiver, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110  (uvicorn has no event for it)
        await asyncio.sleep(0.01)
    try:
        yield receiver
    finally:
        if receiver.hold is not None:
            receiver.hold.set()
        server.should_exit = True
        await task
        sock.close()


async def webhook_app(make_app: Callable[..., Awaitable[App]], owner: Any, *lacking: Scope) -> App:
    """An app of `owner` with every scope the owner's role allows but `lacking`."""
    role: Role = owner.role
    scopes = sorted(s.value for s in ROLE_SCOPES[role] if s not in lacking)
    return await make_app(owner, scopes=scopes)


async def subscribe(
    gql: GraphQLClient, token: str, app: App, url: str, types: list[str]
) -> tuple[str, str]:
    """Subscribe through the API; the subscription's id and its secret."""
    variables = {"app": gid("App", app.id), "url": url, "types": types}
    made = (await gql.data(CREATE, variables, token=token))["createWebhookSubscription"]
    assert made["__typename"] == "CreateWebhookSubscriptionSuccess", made
    return made["subscription"]["id"], made["secret"]


async def deliveries(
    gql: GraphQLClient, token: str, subscription: str, status: str | None = None
) -> dict[str, Any]:
    data = await gql.data(DELIVERIES, {"id": subscription, "status": status}, token=token)
    found: dict[str, Any] = data["node"]
    return found


async def settled(
    gql: GraphQLClient, token: str, subscription: str, check: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """The subscription as seen once `check` holds (polled; failing after a minute)."""
    deadline = time.monotonic() + 60
    while True:
        seen = await deliveries(gql, token, subscription)
        if check(seen):
            return seen
        assert time.monotonic() < deadline, f"never settled: {seen}"
        await asyncio.sleep(0.1)
