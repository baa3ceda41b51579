"""Who manages an app's webhooks, and who sees its subscriptions and deliveries.

The app's owner in person (and admins, as for apps), or the app's own token holding the
`webhooks` scope, for that app only. Another app of the same owner sees nothing: one
integration cannot read or redirect another's deliveries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.accounts import Role
from models.apps import App
from models.webhooks import WebhookDelivery, WebhookSubscription
from resolvers.apps import app_by_id, managed_app
from resolvers.auth import require_scope
from resolvers.errors import NotFound
from resolvers.principal import Scope
from resolvers.webhooks.loaders import delivery_by_id, subscription_by_id

if TYPE_CHECKING:
    from resolvers.context import Context


async def webhook_app(ctx: Context, app_id: int) -> App:
    """The app whose webhooks the caller manages; NotFound when not theirs."""
    principal = ctx.principal
    if principal.is_app:
        require_scope(ctx, Scope.WEBHOOKS)
        if principal.app is None or principal.app.id != app_id:
            raise NotFound("App")
        app = await ctx.loaders[app_by_id].load(app_id)
        if app is None:
            raise NotFound("App")
        return app
    return await managed_app(ctx, app_id)


async def managed_subscription(ctx: Context, subscription_id: int) -> WebhookSubscription:
    if ctx.principal.is_app:  # the scope first: its message beats a NotFound
        require_scope(ctx, Scope.WEBHOOKS)
    row = await ctx.loaders[subscription_by_id].load(subscription_id)
    if row is None:
        raise NotFound("WebhookSubscription")
    try:
        await webhook_app(ctx, row.app_id)
    except NotFound:
        raise NotFound("WebhookSubscription") from None
    return row


async def managed_delivery(
    ctx: Context, delivery_id: int
) -> tuple[WebhookDelivery, WebhookSubscription]:
    if ctx.principal.is_app:
        require_scope(ctx, Scope.WEBHOOKS)
    row = await ctx.loaders[delivery_by_id].load(delivery_id)
    if row is None:
        raise NotFound("WebhookDelivery")
    try:
        subscription = await managed_subscription(ctx, row.subscription_id)
    except NotFound:
        raise NotFound("WebhookDelivery") from None
    return row, subscription


async def _seen_apps(ctx: Context, app_ids: Sequence[int]) -> set[int]:
    principal = ctx.principal
    user = principal.user
    if user is None:
        return set()
    if principal.is_app:
        if Scope.WEBHOOKS not in principal.scopes or principal.app is None:
            return set()
        return {principal.app.id} & set(app_ids)
    apps = await ctx.loaders[app_by_id].load_many(list(dict.fromkeys(app_ids)))
    return {
        app.id
        for app in apps
        if app is not None and (app.owner_id == user.id or user.role is Role.ADMIN)
    }


async def visible_webhook_subscriptions(
    ctx: Context, ids: Sequence[int]
) -> list[WebhookSubscription | None]:
    """Subscriptions of the apps whose webhooks the caller manages."""
    rows = await ctx.loaders[subscription_by_id].load_many(ids)
    seen = await _seen_apps(ctx, [row.app_id for row in rows if row is not None])
    return [row if row is not None and row.app_id in seen else None for row in rows]


async def visible_webhook_deliveries(
    ctx: Context, ids: Sequence[int]
) -> list[WebhookDelivery | None]:
    """Deliveries of the subscriptions the caller sees."""
    rows = await ctx.loaders[delivery_by_id].load_many(ids)
    subscriptions = await visible_webhook_subscriptions(
        ctx, [row.subscription_id for row in rows if row is not None]
    )
    seen = {row.id for row in subscriptions if row is not None}
    return [row if row is not None and row.subscription_id in seen else None for row in rows]
