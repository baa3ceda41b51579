"""The root Query and Mutation: each domain's roots combined, plus Relay's node and nodes."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.errors import InvalidInput
from schema import errors
from schema.accounts import AccountMutation, AccountQuery
from schema.apps import AppMutation, AppQuery
from schema.base import Info
from schema.carts import CartMutation, CartQuery
from schema.carts import errors as carts_errors
from schema.carts.tutorials import TutorialCartMutation
from schema.catalog import CatalogMutation, CatalogQuery
from schema.comments import CommentMutation
from schema.communities import CommunityMutation, CommunityQuery
from schema.content import (
    ContentMutation,
    ContentQuery,
    TagMutation,
    TutorialMutation,
    TutorialQuery,
)
from schema.creators import CreatorMutation, CreatorQuery
from schema.documents import DocumentMutation
from schema.feeds import FeedQuery, TrendingQuery
from schema.media import MediaMutation
from schema.media import errors as media_errors
from schema.moderation import ModerationMutation, ModerationQuery
from schema.nodes import resolve_global_ids
from schema.notifications import NotificationMutation
from schema.orders import OrderMutation, OrderQuery
from schema.orders import errors as orders_errors
from schema.reactions import ReactionMutation
from schema.reviews import ReviewMutation, ReviewQuery
from schema.reviews import errors as reviews_errors
from schema.social import SocialMutation
from schema.webhooks import WebhookMutation, WebhookQuery

MAX_NODES = 100


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id, or null if it does not exist "
        "or you may not see it."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="A global id this API issued, e.g. a `Product.id`."),
        ],
    ) -> relay.Node | None:
        [found] = await resolve_global_ids(info, [id], "id")
        return found

    @strawberry.field(
        description=f"Objects by global id, in order (at most {MAX_NODES}); null "
        "for each that does not exist or you may not see."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description="Up to 100 global ids, of any mix of types; the results keep their "
                "order."
            ),
        ],
    ) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise InvalidInput("ids", f"Ask for at most {MAX_NODES} ids at once.")
        return list(await resolve_global_ids(info, ids, "ids"))


# Every domain's exception-to-typed-error mappings (schema/<domain>/errors.py).
ERROR_MAPPINGS = [
    *errors.ERROR_MAPPINGS,
    *carts_errors.ERROR_MAPPINGS,
    *orders_errors.ERROR_MAPPINGS,
    *reviews_errors.ERROR_MAPPINGS,
    *media_errors.ERROR_MAPPINGS,
]


@strawberry.type(
    description="Everything there is to read: the viewer and users, apps and scopes, the "
    "catalog and its reviews, carts and coupons, orders and attribution, posts, tutorials and "
    "topics, creators and their verification, communities, home, topic and trending feeds, "
    "the moderation queue, and any object by "
    "global id (`node`, `nodes`). Fields return null for what you may not see."
)
class Query(
    NodeQuery,
    AccountQuery,
    AppQuery,
    CatalogQuery,
    ReviewQuery,
    CartQuery,
    OrderQuery,
    ContentQuery,
    CreatorQuery,
    TutorialQuery,
    CommunityQuery,
    TrendingQuery,
    FeedQuery,
    ModerationQuery,
    WebhookQuery,
):
    pass


@strawberry.type(
    description="Every change: accounts and sessions, apps and tokens, the catalog, reviews, "
    "carts, checkout and the order lifecycle, trusted documents, media uploads, posts, "
    "tutorials, creator profiles and verification, follows and share links, comments, likes "
    "and saves, communities, marking notifications read, reports and moderation, webhook "
    "subscriptions. Each "
    "returns a payload union of its success type and the typed errors it can produce."
)
class Mutation(
    AccountMutation,
    AppMutation,
    CatalogMutation,
    ReviewMutation,
    CartMutation,
    OrderMutation,
    DocumentMutation,
    MediaMutation,
    ContentMutation,
    CreatorMutation,
    TutorialMutation,
    TutorialCartMutation,
    TagMutation,
    SocialMutation,
    CommentMutation,
    ReactionMutation,
    CommunityMutation,
    NotificationMutation,
    ModerationMutation,
    WebhookMutation,
):
    pass
