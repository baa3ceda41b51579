"""Attribution in GraphQL: the source enum, and the input and type of a line's source."""

from __future__ import annotations

from typing import Self

import strawberry
from strawberry import relay

from models.attribution import Attributed
from models.attribution import SourceType as SourceTypeModel
from resolvers import carts
from resolvers.errors import InvalidInput
from schema.accounts import User
from schema.base import MAX_PRIMARY_KEY, Info, decode_id, describe_values, parse_global_id
from schema.content import Post, Tutorial

AttributionSource = strawberry.enum(
    SourceTypeModel,
    name="AttributionSource",
    description="What brought a buyer to a product: a POST, a TUTORIAL, a CREATOR, or a "
    "SHARE_LINK (identified by its share code).",
)
describe_values(
    AttributionSource,
    {
        "POST": "A post; `sourceId` is the post.",
        "TUTORIAL": "A tutorial; `sourceId` is the tutorial.",
        "CREATOR": "A creator's profile; `sourceId` is the creator's User id.",
        "SHARE_LINK": "A share link, named by `shareCode`.",
    },
)


# Global-id type names of attribution sources.
SOURCE_TYPE_NAMES = {
    SourceTypeModel.POST: "Post",
    SourceTypeModel.TUTORIAL: "Tutorial",
    SourceTypeModel.CREATOR: "User",
    SourceTypeModel.SHARE_LINK: "ShareLink",
}


@strawberry.input(description="Where a cart line came from. Every field is optional.")
class AttributionInput:
    source_type: AttributionSource | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The kind of source."
    )
    source_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The post's or tutorial's id (its global id, or the number); for CREATOR "
        "the creator's User id.",
    )
    creator_id: strawberry.ID | None = strawberry.field(
        default=None, description="The creator (a User id) credited with the sale."
    )
    share_code: str | None = strawberry.field(
        default=None, description="The share-link code the buyer arrived with."
    )


def source_id_of(value: strawberry.ID | None, source_type: SourceTypeModel | None) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.isdigit() and 0 < int(text) <= MAX_PRIMARY_KEY:
        return int(text)
    parsed = parse_global_id(text)  # None too for a key beyond BIGINT, which no row can have
    if parsed is None or source_type is None or parsed[0] != SOURCE_TYPE_NAMES[source_type]:
        raise InvalidInput("attribution.sourceId", "Not an id of that kind of source.")
    return parsed[1]


def attribution_from_input(value: AttributionInput | None) -> carts.Attribution | None:
    if value is None:
        return None
    source_type = SourceTypeModel(value.source_type) if value.source_type is not None else None
    return carts.Attribution(
        source_type=source_type,
        source_id=source_id_of(value.source_id, source_type),
        creator_id=(
            decode_id(value.creator_id, "User", field="attribution.creatorId")
            if value.creator_id is not None
            else None
        ),
        share_code=value.share_code,
    )


@strawberry.type(description="Where a cart or order line came from.")
class Attribution:
    source_type: AttributionSource | None = strawberry.field(  # type: ignore[valid-type]
        description="The kind of source, if recorded."
    )
    source_id: strawberry.ID | None = strawberry.field(
        description="Global id of the source (Post, Tutorial, User), if recorded."
    )
    share_code: str | None = strawberry.field(description="The share-link code, if any.")
    creator_id: strawberry.Private[int | None]
    post_id: strawberry.Private[int | None] = None
    tutorial_id: strawberry.Private[int | None] = None

    @classmethod
    def of(cls, row: Attributed) -> Self | None:
        if row.source_type is None and row.creator_id is None and row.share_code is None:
            return None
        source_id = None
        if row.source_id is not None and row.source_type is not None:
            type_name = SOURCE_TYPE_NAMES[row.source_type]
            source_id = strawberry.ID(str(relay.GlobalID(type_name, str(row.source_id))))
        return cls(
            source_type=row.source_type,
            source_id=source_id,
            share_code=row.share_code,
            creator_id=row.creator_id,
            post_id=row.source_id if row.source_type is SourceTypeModel.POST else None,
            tutorial_id=row.source_id if row.source_type is SourceTypeModel.TUTORIAL else None,
        )

    @strawberry.field(
        description="The post (`sourceType` POST) it came from; null if it is gone or you may "
        "not see it."
    )
    async def post(self, info: Info) -> Post | None:
        return None if self.post_id is None else await Post.load_one(info, self.post_id)

    @strawberry.field(
        description="The tutorial (`sourceType` TUTORIAL) it came from; null if it is gone or "
        "you may not see it."
    )
    async def tutorial(self, info: Info) -> Tutorial | None:
        if self.tutorial_id is None:
            return None
        return await Tutorial.load_one(info, self.tutorial_id)

    @strawberry.field(
        description="The creator credited with the sale, if any; null if that account is "
        "deactivated."
    )
    async def creator(self, info: Info) -> User | None:
        return await User.related(info, self.creator_id)
