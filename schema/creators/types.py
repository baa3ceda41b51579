"""The creator object types and enums: CreatorProfile, VerificationApplication, tiers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.creators import CreatorProfile as CreatorProfileModel
from models.creators import CreatorTier as CreatorTierModel
from models.creators import VerificationApplication as VerificationApplicationModel
from models.creators import VerificationStatus as VerificationStatusModel
from resolvers import creators
from resolvers.creators.loaders import (
    categories_by_user,
    published_post_count_by_user,
    published_tutorial_count_by_user,
)
from schema.accounts import User
from schema.base import Info, describe_values
from schema.nodes import VisibleNode, build_each

if TYPE_CHECKING:
    from schema.catalog import Category

CreatorTier = strawberry.enum(
    CreatorTierModel,
    name="CreatorTier",
    description="What kind of creator a profile is. Everyone starts as a KOC; KOL and BRAND "
    "come only with an approved verification.",
)
describe_values(
    CreatorTier,
    {
        "KOC": "Key opinion consumer: an ordinary user whose posts and reviews others trust.",
        "KOL": "Key opinion leader: a verified creator with a following.",
        "BRAND": "A verified brand account: the user owns or staffs a storefront.",
    },
)
VerificationStatus = strawberry.enum(
    VerificationStatusModel,
    name="VerificationStatus",
    description="Where a verification application is.",
)
describe_values(
    VerificationStatus,
    {
        "PENDING": "Waiting for an admin; a user has at most one pending application.",
        "APPROVED": "Granted: the user is verified with `grantedTier`.",
        "REJECTED": "Refused, with `decisionReason`; the user may apply again.",
        "REVOKED": "Granted, then the badge was taken back, with `decisionReason`.",
    },
)


@strawberry.type(
    description="A user's public creator page: headline, categories, tier and verified "
    "badge, and counts. Created by the user's first `updateCreatorProfile`."
)
class CreatorProfile:
    headline: str = strawberry.field(
        description="Plain text, one line, at most 120 characters; empty if not set."
    )
    tier: CreatorTier = strawberry.field(  # type: ignore[valid-type]
        description="KOC, or the KOL or BRAND tier an admin granted."
    )
    verified: bool = strawberry.field(
        description="Whether the user holds the verified badge (granted by an admin)."
    )
    verified_at: datetime | None = strawberry.field(
        description="When the badge was granted; null when not verified."
    )
    updated_at: datetime = strawberry.field(description="When the profile last changed.")
    row: strawberry.Private[CreatorProfileModel]

    @classmethod
    def from_model(cls, row: CreatorProfileModel) -> Self:
        return cls(
            headline=row.headline,
            tier=row.tier,
            verified=row.verified,
            verified_at=row.verified_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field(description="The catalog categories the creator covers, at most 5, in order.")
    async def categories(
        self, info: Info
    ) -> list[Annotated[Category, strawberry.lazy("schema.catalog")]]:
        from schema.catalog import Category

        rows = await info.context.loaders[categories_by_user].load(self.row.user_id)
        return [Category.from_model(row) for row in rows]

    @strawberry.field(
        description="How many published posts the user has that everyone may read (posts "
        "of private communities are not counted); exact."
    )
    async def post_count(self, info: Info) -> int:
        return await info.context.loaders[published_post_count_by_user].load(self.row.user_id)

    @strawberry.field(description="How many published tutorials the user has; exact.")
    async def tutorial_count(self, info: Info) -> int:
        return await info.context.loaders[published_tutorial_count_by_user].load(self.row.user_id)

    @strawberry.field(description="How many users follow the creator; exact.")
    async def follower_count(self, info: Info) -> int:
        from schema.social.profile import USER, count_followers

        return await count_followers(info, USER, self.row.user_id)


@strawberry.type(
    description="A user's request for a verified badge (KOL or BRAND). Seen only by the "
    "applicant and admins."
)
class VerificationApplication(VisibleNode):
    id: relay.NodeID[int]
    requested_tier: CreatorTier = strawberry.field(  # type: ignore[valid-type]
        description="The tier asked for: KOL or BRAND."
    )
    message: str = strawberry.field(description="What the applicant told the admins.")
    links: list[str] = strawberry.field(
        description="Up to 5 http(s) links to the applicant's work elsewhere."
    )
    status: VerificationStatus = strawberry.field(  # type: ignore[valid-type]
        description="PENDING, APPROVED, REJECTED or REVOKED."
    )
    granted_tier: CreatorTier | None = strawberry.field(  # type: ignore[valid-type]
        description="The tier granted on approval (an admin may grant another than asked)."
    )
    decision_reason: str = strawberry.field(
        description="Why it was rejected or revoked; empty otherwise."
    )
    decided_at: datetime | None = strawberry.field(
        description="When it was last decided (approved, rejected or revoked); null while pending."
    )
    created_at: datetime = strawberry.field(description="When the user applied.")
    row: strawberry.Private[VerificationApplicationModel]

    @classmethod
    def from_model(cls, row: VerificationApplicationModel) -> Self:
        return cls(
            id=row.id,
            requested_tier=row.requested_tier,
            message=row.message,
            links=list(row.links),
            status=row.status,
            granted_tier=row.granted_tier,
            decision_reason=row.decision_reason,
            decided_at=row.decided_at,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        rows = await creators.visible_verification_applications(info.context, ids)
        return build_each(rows, cls.from_model)

    @strawberry.field(description="The applicant; null if that account is deactivated.")
    async def user(self, info: Info) -> User | None:
        return await User.related(info, self.row.user_id)
