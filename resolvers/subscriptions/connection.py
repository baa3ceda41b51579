"""One websocket's state on the resolver side: its context, who it is, and its checks.

The transport (schema/subscriptions/transport.py) calls these at connection_init and on every
heartbeat; the subscription fields read the hub from the context.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from resolvers.auth import authenticate
from resolvers.context import Context
from resolvers.errors import Unauthenticated
from resolvers.principal import ANONYMOUS, Principal
from resolvers.subscriptions.hub import Hub, SubscriptionUnavailable
from resolvers.subscriptions.leases import Lease, caller_of, lease_for


@dataclass(slots=True, kw_only=True)
class SubscriptionContext(Context):
    """The context of every operation on one websocket: shared by its subscriptions, which
    give it fresh loaders per event (so each event reads the database as it is then)."""

    hub: Hub
    # What the client sent in connection_init (strawberry sets it).
    connection_params: dict[str, object] = field(default_factory=dict)
    # The credential the connection authenticated with, re-checked on every heartbeat.
    authorization: str | None = None
    lease: Lease | None = None
    # Set by the transport while it waits for a new subscription to reach the hub, so the
    # messages after a `subscribe` are read only once its events are being received.
    subscribed: asyncio.Event | None = None
    # Closes the connection for a credential that stopped working (the transport's 4401).
    signed_out: Callable[[str], Awaitable[None]] | None = None


def authorization_of(params: dict[str, object], header: str | None) -> str | None:
    """`{"authorization": "Bearer …"}` in connection_init (what browsers can send), else the
    handshake's Authorization header (what other clients may send instead)."""
    for name in ("authorization", "Authorization"):
        value = params.get(name)
        if isinstance(value, str) and value:
            return value
    return header or None


async def sign_in(ctx: SubscriptionContext, authorization: str | None) -> Principal:
    """Authenticate the connection (Unauthenticated for a bad token) and keep its credential."""
    principal = await authenticate(authorization) if authorization else ANONYMOUS
    ctx.principal = principal
    ctx.authorization = authorization
    return principal


async def recheck(ctx: SubscriptionContext) -> None:
    """On a heartbeat: the token still works (Unauthenticated if revoked, expired, or its
    account disabled), and the principal is as it is now (an app's scopes may have changed)."""
    if ctx.authorization is not None:
        ctx.principal = await authenticate(ctx.authorization)


async def still_signed_in(ctx: SubscriptionContext) -> bool:
    """Before each event: a token revoked since the last heartbeat receives nothing more, and
    its connection is closed now rather than at the next beat."""
    try:
        await recheck(ctx)
    except Unauthenticated as exc:
        if ctx.signed_out is not None:
            await ctx.signed_out(exc.message)
        return False
    return True


async def take_lease(ctx: SubscriptionContext) -> bool:
    """Count this connection against its caller's limit; False when the caller is at it.

    Raises SubscriptionUnavailable when Redis cannot be reached: nothing can be delivered then
    anyway, and the client is told at once instead of waiting on a dead channel.
    """
    settings = ctx.settings
    if not ctx.hub.listening:
        raise SubscriptionUnavailable()
    caller = caller_of(ctx.principal, ctx.client_network)
    lease = lease_for(ctx.redis, ctx.keys, caller, settings.subscription_ping_seconds)
    try:
        with ctx.redis_breaker.guard():
            taken = await lease.renew(settings.subscription_connections_per_caller)
    except Exception as exc:  # Redis down, hung, or its breaker open
        raise SubscriptionUnavailable() from exc
    if taken:
        ctx.lease = lease
    return taken


async def renew_lease(ctx: SubscriptionContext) -> None:
    """On a heartbeat; a failure only means the lease may lapse (the hub ends the
    subscriptions itself if Redis is really gone)."""
    if ctx.lease is not None:
        with ctx.redis_breaker.guard():
            await ctx.lease.renew(ctx.settings.subscription_connections_per_caller)


async def release_lease(ctx: SubscriptionContext) -> None:
    if ctx.lease is not None:
        lease, ctx.lease = ctx.lease, None
        with ctx.redis_breaker.guard():
            await lease.release()
