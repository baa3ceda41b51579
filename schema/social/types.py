"""The social object types: ShareLink, the share channel, and the follow and share target unions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

import strawberry
from strawberry import relay

from models.social import FollowTargetKind as FollowTargetKindModel
from models.social import ShareChannel as ShareChannelModel
from models.social import ShareLink as ShareLinkModel
from models.social import ShareTargetKind as ShareTargetKindModel
from resolvers import social
from resolvers.errors import InvalidInput
from resolvers.social.loaders import share_totals_by_code
from schema.accounts import User
from schema.base import Info, describe_values, parse_global_id
from schema.catalog import Product
from schema.communities import Community
from schema.content import Post, Topic
from schema.money import Money
from schema.nodes import VisibleNode, build_each

ShareChannel = strawberry.enum(
    ShareChannelModel,
    name="ShareChannel",
    description="Where a share link is shared; each sharer has one link per target and channel.",
)
describe_values(
    ShareChannel,
    {
        "WECHAT": "WeChat (微信): chats, groups, Moments.",
        "WEIBO": "Weibo (微博).",
        "DOUYIN": "Douyin (抖音).",
        "XIAOHONGSHU": "Xiaohongshu (小红书).",
        "SMS": "A text message.",
        "EMAIL": "An email.",
        "COPY": "Copied to the clipboard, to paste anywhere.",
        "OTHER": "Any other place.",
    },
)

FollowTarget = Annotated[
    User | Topic | Community,
    strawberry.union(
        "FollowTarget",
        description="What can be followed: a user (creator, merchant, anyone), a topic or a "
        "community (a PRIVATE one only by those who see it).",
    ),
]
ShareTarget = Annotated[
    Post | Product | User | Topic,
    strawberry.union(
        "ShareTarget",
        description="What a share link leads to: a post, a product, a user's page or a topic.",
    ),
]

_FOLLOW_KINDS = {
    "User": FollowTargetKindModel.USER,
    "Topic": FollowTargetKindModel.TOPIC,
    "Community": FollowTargetKindModel.COMMUNITY,
}
_SHARE_KINDS = {
    "Post": ShareTargetKindModel.POST,
    "Product": ShareTargetKindModel.PRODUCT,
    "User": ShareTargetKindModel.USER,
    "Topic": ShareTargetKindModel.TOPIC,
}
_BUILD: dict[str, Any] = {
    "user": User.from_model,
    "topic": Topic.from_model,
    "post": Post.from_model,
    "product": Product.from_model,
    "community": Community.from_model,
}


def _target_id(value: str, kinds: dict[str, Any], field: str) -> tuple[Any, int]:
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] not in kinds:
        names = " or ".join(kinds)
        raise InvalidInput(field, f"`{field}` must be the id of a {names}.")
    return kinds[parsed[0]], parsed[1]


def follow_target_id(value: str) -> tuple[FollowTargetKindModel, int]:
    kind, pk = _target_id(value, _FOLLOW_KINDS, "targetId")
    return kind, pk


def share_target_id(value: str) -> tuple[ShareTargetKindModel, int]:
    kind, pk = _target_id(value, _SHARE_KINDS, "targetId")
    return kind, pk


def build_target(target: social.FollowTarget | social.ShareTarget) -> Any:
    """The GraphQL object of a follow or share target (a member of its union)."""
    return _BUILD[target.kind.value](target.row)


@strawberry.type(
    description="A tracked link to a post, product, user page or topic, shared by one user on "
    "one channel. Only its sharer (apps: read:content) and admins see it and its numbers."
)
class ShareLink(VisibleNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(
        description="The short random code (base62): what `resolveShareLink` and a cart "
        "line's `attribution.shareCode` take."
    )
    channel: ShareChannel = strawberry.field(  # type: ignore[valid-type]
        description="Where it is shared."
    )
    clicks: int = strawberry.field(
        description="How many times it was opened (`resolveShareLink`); clicks reach this "
        "count within about a minute (the worker moves them from Redis)."
    )
    created_at: datetime = strawberry.field(description="When it was first asked for.")
    row: strawberry.Private[ShareLinkModel]

    @classmethod
    def from_model(cls, row: ShareLinkModel) -> Self:
        return cls(
            id=row.id,
            code=row.code,
            channel=row.channel,
            clicks=row.clicks,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await social.visible_share_links(info.context, ids), cls.from_model)

    @strawberry.field(description="The link to share: `PUBLIC_URL/s/<code>`.")
    def url(self, info: Info) -> str:
        return social.share_url(info.context, self.code)

    @strawberry.field(description="Who shares it.")
    async def sharer(self, info: Info) -> User:
        return await User.required(info, self.row.sharer_id)

    @strawberry.field(
        description="What it leads to; null once that is gone or hidden from you (a post "
        "taken down, a product off sale)."
    )
    async def target(self, info: Info) -> ShareTarget | None:
        key = (self.row.target_kind, self.row.target_id)
        [found] = await social.share_targets(info.context, [key])
        return None if found is None else build_target(found)

    @strawberry.field(
        description="Paid (not refunded) orders with a line carrying this code; an order "
        "counts once."
    )
    async def orders(self, info: Info) -> int:
        return (await info.context.loaders[share_totals_by_code].load(self.code)).orders

    @strawberry.field(description="Units on those lines.")
    async def units(self, info: Info) -> int:
        return (await info.context.loaders[share_totals_by_code].load(self.code)).units

    @strawberry.field(
        description="What buyers paid for those lines (after discounts), one amount per "
        "currency; empty before the first sale."
    )
    async def gmv(self, info: Info) -> list[Money]:
        totals = await info.context.loaders[share_totals_by_code].load(self.code)
        return [Money.of(amount, currency) for amount, currency in totals.gmv]
