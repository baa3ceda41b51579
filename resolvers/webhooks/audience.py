"""Which apps may receive an event: the API's own read rules, applied to the app.

An app receives an event only if, calling the API with its own token at that moment, it could
read what the event is about: the same `visible_*` rule `node(id:)` uses, run for a principal
made of the app (its scopes cut down to its owner's role), plus the scope that reads that kind
of thing. docs/webhooks.md has the table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from starlette.requests import Request

from models.accounts import Role, User
from models.apps import App
from resolvers import accounts, catalog, comments, communities, content, orders, reviews
from resolvers.context import Context
from resolvers.events import DomainEvent, ref_id
from resolvers.principal import Principal, Scope

Visible = Callable[[Context, Sequence[int]], Awaitable[Sequence[object | None]]]


@dataclass(frozen=True, slots=True)
class Rule:
    scope: Scope
    description: str


# Per type prefix (the part before the dot): the scope an app needs, and what else must hold.
RULES: dict[str, Rule] = {
    "order": Rule(
        Scope.READ_ORDERS,
        "The order is visible to the app's owner: they are its buyer, or run (own or staff) a "
        "merchant with lines in it.",
    ),
    "product": Rule(
        Scope.READ_COMMERCE,
        "The product is visible to the owner: active, or a draft or archived product of a "
        "merchant they run.",
    ),
    "review": Rule(
        Scope.READ_CONTENT,
        "The review is visible to the owner: published, or their own.",
    ),
    "post": Rule(
        Scope.READ_CONTENT,
        "The post is visible to the owner: published (in a community, only to its members).",
    ),
    "follow": Rule(
        Scope.READ_CONTENT,
        "The follower and what they followed (a user or a topic) are visible to the owner.",
    ),
    "comment": Rule(
        Scope.READ_CONTENT,
        "The comment is visible to the owner: its post, tutorial, review or product is.",
    ),
    "reaction": Rule(
        Scope.READ_CONTENT,
        "The liked post or tutorial and the person who liked it are visible to the owner.",
    ),
    "community": Rule(
        Scope.READ_CONTENT,
        "The community is visible to the owner: public, or private and they belong to it or "
        "are invited.",
    ),
    "notification": Rule(
        Scope.READ_CONTENT,
        "Only the notification's recipient (the app's owner is the person notified).",
    ),
    "content": Rule(
        Scope.READ_CONTENT,
        "The moderated item's author, and site moderators and admins.",
    ),
    "webhook": Rule(
        Scope.WEBHOOKS,
        "Only the app whose subscription it is.",
    ),
}


def rule_for(event_type: str) -> Rule:
    return RULES[event_type.partition(".")[0]]


def app_context(app: App, owner: User) -> Context:
    """A context for the app as its tokens would make it. The read rules used here touch
    neither the request nor the services."""
    return Context(
        request=Request({"type": "http", "headers": [], "client": None}),
        request_id=f"webhooks-app-{app.id}",
        principal=Principal.for_app(app, owner, 0),
        services=cast("Any", None),
    )


async def _sees(ctx: Context, visible: Visible, pk: int | None) -> bool:
    if pk is None:
        return False
    [found] = await visible(ctx, [pk])
    return found is not None


async def _sees_typed(ctx: Context, ref: Any) -> bool:
    """A `{"__typename": …, "id": …}` target: a User, Topic, Post or Tutorial."""
    if not isinstance(ref, dict):
        return False
    typename = ref.get("__typename")
    kinds: dict[str, Visible] = {
        "User": accounts.visible_users,
        "Topic": content.visible_topics,
        "Post": content.visible_posts,
        "Tutorial": content.visible_tutorials,
    }
    if typename not in kinds:
        return False
    return await _sees(ctx, kinds[typename], ref_id(ref, str(typename)))


async def could_read(app: App, owner: User, event: DomainEvent) -> bool:
    """Whether the app, with its current scopes, could read what the event is about."""
    prefix = event.type.partition(".")[0]
    rule = RULES.get(prefix)
    if rule is None or not owner.is_active:
        return False
    ctx = app_context(app, owner)
    if Scope.WEBHOOKS not in ctx.principal.scopes or rule.scope not in ctx.principal.scopes:
        return False
    payload = event.payload
    if prefix == "order":
        return await _sees(ctx, orders.visible_orders, ref_id(payload.get("order"), "Order"))
    if prefix == "product":
        pk = ref_id(payload.get("product"), "Product")
        return await _sees(ctx, catalog.visible_products, pk)
    if prefix == "review":
        return await _sees(ctx, reviews.visible_reviews, ref_id(payload.get("review"), "Review"))
    if prefix == "post":
        return await _sees(ctx, content.visible_posts, ref_id(payload.get("post"), "Post"))
    if prefix == "comment":
        pk = ref_id(payload.get("comment"), "Comment")
        return await _sees(ctx, comments.visible_comments, pk)
    if prefix == "follow":
        follow = payload.get("follow") or {}
        follower = ref_id(follow.get("follower"), "User")
        return await _sees(ctx, accounts.visible_users, follower) and await _sees_typed(
            ctx, follow.get("target")
        )
    if prefix == "reaction":
        reaction = payload.get("reaction") or {}
        user = ref_id(reaction.get("user"), "User")
        return await _sees(ctx, accounts.visible_users, user) and await _sees_typed(
            ctx, reaction.get("target")
        )
    if prefix == "community":
        pk = ref_id(payload.get("community"), "Community")
        return await _sees(ctx, communities.visible_communities, pk)
    if prefix == "notification":
        notification = payload.get("notification") or {}
        return ref_id(notification.get("recipient"), "User") == int(owner.id)
    if prefix == "content":
        staff = owner.role in (Role.MODERATOR, Role.ADMIN)
        return staff or ref_id(payload.get("author"), "User") == int(owner.id)
    if prefix == "webhook":
        return ref_id(payload.get("app"), "App") == int(app.id)
    return False
