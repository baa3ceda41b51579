"""Managing subscriptions (create, change, delete, rotate, re-enable) and redelivering."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.accounts import User
from models.apps import App
from models.webhooks import WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription
from resolvers.accounts import user_by_id
from resolvers.errors import Conflict, InvalidInput
from resolvers.events import EVENT_TYPES
from resolvers.loading import forget
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.principal import ROLE_SCOPES, Scope
from resolvers.webhooks.access import managed_delivery, managed_subscription, webhook_app
from resolvers.webhooks.audience import rule_for
from resolvers.webhooks.loaders import delivery_by_id, subscription_by_id, subscriptions_by_app
from resolvers.webhooks.secrets import encrypt_secret, new_secret, secret_hint
from resolvers.webhooks.sending import WebhookPolicy, enqueue_attempt

if TYPE_CHECKING:
    from resolvers.context import Context

MAX_SUBSCRIPTIONS_PER_APP = 10
MAX_URL_LENGTH = 2000

EVENT_DESCRIPTIONS: dict[str, str] = {
    "order.created": "An order was placed (before its payment).",
    "order.paid": "An order's payment was captured.",
    "order.shipped": "Lines of an order were shipped.",
    "order.delivered": "Lines of an order were delivered.",
    "order.cancelled": "An unpaid order was cancelled or expired.",
    "order.refunded": "A paid order was refunded.",
    "product.updated": "A product's own fields changed.",
    "product.out_of_stock": "A product's total stock fell to zero.",
    "product.back_in_stock": "A product's total stock rose above zero.",
    "review.created": "A review was published.",
    "post.published": "A post went out.",
    "follow.created": "Someone followed a user or a topic.",
    "comment.created": "A comment or reply was made.",
    "reaction.created": "Someone liked a post or tutorial.",
    "community.invited": "A moderator invited someone to a community.",
    "community.member_approved": "A request to join a community was approved.",
    "notification.created": "A notification was written for the app's owner.",
    "notification.updated": "One of the owner's grouped notifications gained someone.",
    "content.hidden": "A moderator hid a post, tutorial, comment, review or community.",
    "content.restored": "A moderator showed a hidden item again.",
    "content.reports_dismissed": "A moderator closed an item's reports without hiding it.",
    "webhook.disabled": "One of this app's webhook subscriptions was disabled after failures.",
}
assert set(EVENT_DESCRIPTIONS) == EVENT_TYPES, "describe every event type for webhooks"


@dataclass(frozen=True, slots=True)
class EventTypeInfo:
    type: str
    scope: Scope
    description: str
    audience: str


def event_types() -> list[EventTypeInfo]:
    return [
        EventTypeInfo(
            type=name,
            scope=rule_for(name).scope,
            description=EVENT_DESCRIPTIONS[name],
            audience=rule_for(name).description,
        )
        for name in sorted(EVENT_TYPES)
    ]


@dataclass(frozen=True, slots=True)
class SubscriptionWithSecret:
    subscription: WebhookSubscription
    secret: str  # shown once: at creation and at each rotation


def check_url(url: str, allow_http: bool) -> str:
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise InvalidInput("url", f"A URL is 1-{MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidInput("url", "This is not a valid URL.") from None
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme.lower() not in schemes:
        raise InvalidInput(
            "url", "The URL must start with https://" + (" or http://" if allow_http else "") + "."
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidInput("url", "The URL must not hold credentials; check the signature.")
    if parts.fragment:
        raise InvalidInput("url", "The URL must not have a #fragment.")
    host = parts.hostname
    if not host:
        raise InvalidInput("url", "The URL needs a host.")
    if port == 0:
        raise InvalidInput("url", "The URL's port must be 1-65535.")
    if not allow_http and _internal(host):
        raise InvalidInput("url", "The URL must name a public host.")
    return url


def _internal(host: str) -> bool:
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def check_event_types(types: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(item.strip() for item in types))
    if not wanted:
        raise InvalidInput("eventTypes", "Subscribe to at least one event type.")
    unknown = [item for item in wanted if item not in EVENT_TYPES]
    if unknown:
        shown = ", ".join(repr(item[:64]) for item in unknown[:5])
        raise InvalidInput("eventTypes", f"Unknown event types: {shown} (see `webhookEventTypes`).")
    return sorted(wanted)


async def _check_app_may_receive(ctx: Context, app: App) -> None:
    owner = await ctx.loaders[user_by_id].load(app.owner_id)
    if owner is None or not _holds_webhooks(app, owner):
        raise InvalidInput(
            "appId", "The app needs the webhooks scope (creators and merchants may grant it)."
        )


def _holds_webhooks(app: App, owner: User) -> bool:
    return Scope.WEBHOOKS.value in app.scopes and Scope.WEBHOOKS in ROLE_SCOPES[owner.role]


async def create_subscription(
    ctx: Context, *, app_id: int, url: str, event_types: list[str]
) -> SubscriptionWithSecret:
    app = await webhook_app(ctx, app_id)
    url = check_url(url, ctx.settings.webhook_allow_http)
    types = check_event_types(event_types)
    await _check_app_may_receive(ctx, app)
    secret = new_secret()
    async with in_transaction():
        # The app's row lock serialises concurrent creates, so the count below is the truth.
        await App.select_for_update().filter(id=app.id).first()
        if await WebhookSubscription.filter(app_id=app.id).count() >= MAX_SUBSCRIPTIONS_PER_APP:
            raise Conflict(
                f"An app can have at most {MAX_SUBSCRIPTIONS_PER_APP} webhook subscriptions."
            )
        row = await WebhookSubscription.create(
            app_id=app.id,
            url=url,
            event_types=types,
            secret_encrypted=encrypt_secret(secret, ctx.settings.secret_key),
            secret_hint=secret_hint(secret),
        )
    forget(ctx.loaders[subscriptions_by_app], app.id)
    return SubscriptionWithSecret(row, secret)


async def update_subscription(
    ctx: Context, *, subscription_id: int, url: str | None, event_types: list[str] | None
) -> WebhookSubscription:
    row = await managed_subscription(ctx, subscription_id)
    fields = ["updated_at"]
    if url is not None:
        row.url = check_url(url, ctx.settings.webhook_allow_http)
        fields.append("url")
    if event_types is not None:
        row.event_types = check_event_types(event_types)
        fields.append("event_types")
    await row.save(update_fields=fields)
    return row


async def delete_subscription(ctx: Context, *, subscription_id: int) -> int:
    row = await managed_subscription(ctx, subscription_id)
    await WebhookSubscription.filter(id=row.id).delete()  # its deliveries go with it
    forget(ctx.loaders[subscription_by_id], row.id)
    forget(ctx.loaders[subscriptions_by_app], row.app_id)
    return int(row.id)


async def rotate_secret(ctx: Context, *, subscription_id: int) -> SubscriptionWithSecret:
    """A new secret at once: deliveries from now on are signed with it only."""
    row = await managed_subscription(ctx, subscription_id)
    secret = new_secret()
    row.secret_encrypted = encrypt_secret(secret, ctx.settings.secret_key)
    row.secret_hint = secret_hint(secret)
    await row.save(update_fields=["secret_encrypted", "secret_hint", "updated_at"])
    return SubscriptionWithSecret(row, secret)


async def enable_subscription(ctx: Context, *, subscription_id: int) -> WebhookSubscription:
    """Turn a disabled subscription back on, its failure count back to 0. Deliveries that
    failed meanwhile stay FAILED: redeliver those that matter."""
    row = await managed_subscription(ctx, subscription_id)
    app = await webhook_app(ctx, row.app_id)
    await _check_app_may_receive(ctx, app)
    await WebhookSubscription.filter(id=row.id).update(
        active=True, disabled_at=None, disabled_reason="", consecutive_failures=0
    )
    await row.refresh_from_db()
    return row


async def redeliver(ctx: Context, *, delivery_id: int) -> WebhookDelivery:
    """Send a finished delivery again (same body, a fresh signature), with a full round of
    retries; refused while it is still being delivered or its subscription is disabled."""
    row, subscription = await managed_delivery(ctx, delivery_id)
    if not subscription.active:
        raise Conflict("The subscription is disabled; enable it first.")
    done = (WebhookDeliveryStatus.SUCCEEDED, WebhookDeliveryStatus.FAILED)
    now = datetime.now(UTC)
    changed = await WebhookDelivery.filter(id=row.id, status__in=done).update(
        status=WebhookDeliveryStatus.PENDING, round_start=F("attempts"), next_attempt_at=now
    )
    if not changed:
        raise Conflict("This delivery is still being delivered.")
    forget(ctx.loaders[delivery_by_id], row.id)
    await row.refresh_from_db()
    await enqueue_attempt(
        ctx.services.queue,
        WebhookPolicy.of(ctx.settings),
        row.id,
        row.attempts + 1,
        breaker=ctx.redis_breaker,
        wait_seconds=ctx.settings.redis_timeout_seconds,
    )
    return row


async def deliveries_page(
    subscription_id: int, args: PageArgs, status: WebhookDeliveryStatus | None
) -> Page[WebhookDelivery]:
    """A subscription's deliveries, newest first; the caller already sees the subscription."""
    rows = WebhookDelivery.filter(subscription_id=subscription_id)
    if status is not None:
        rows = rows.filter(status=status)
    return await paginate_query(rows, args)
