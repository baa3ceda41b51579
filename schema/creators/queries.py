"""The creators root query fields (creators, verificationApplications), and the User fields
`creatorProfile` and `verificationApplications` that schema/accounts.py calls lazily."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.creators import CreatorTier as CreatorTierModel
from models.creators import VerificationStatus as VerificationStatusModel
from resolvers import creators
from resolvers.creators.loaders import profile_by_user
from schema.accounts import User
from schema.base import Info, decode_id
from schema.creators.types import (
    CreatorProfile,
    CreatorTier,
    VerificationApplication,
    VerificationStatus,
)
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection


@strawberry.input(description="Narrow the creators listing; all given conditions must hold.")
class CreatorFilter:
    tier: CreatorTier | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only creators of this tier."
    )
    verified: bool | None = strawberry.field(
        default=None, description="Only verified (true) or unverified (false) creators."
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only creators who cover this category (a Category id)."
    )


async def user_creator_profile(user_id: int, info: Info) -> CreatorProfile | None:
    row = await info.context.loaders[profile_by_user].load(user_id)
    return CreatorProfile.from_model(row) if row else None


async def user_verification_applications(
    user_id: int,
    info: Info,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[VerificationApplication] | None:
    page = await creators.user_applications(
        info.context, user_id=user_id, args=page_args(first, after, last, before)
    )
    return None if page is None else to_connection(page, VerificationApplication.from_model)


@strawberry.type
class CreatorQuery:
    @strawberry.field(
        description="Users with a creator profile, newest account first; deactivated accounts "
        "are never listed. Paged by cursor."
    )
    async def creators(
        self,
        info: Info,
        filter: Annotated[
            CreatorFilter | None,
            strawberry.argument(description="Conditions every listed creator meets."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        where = filter or CreatorFilter()
        page = await creators.list_creators(
            info.context,
            tier=CreatorTierModel(where.tier) if where.tier is not None else None,
            verified=where.verified,
            category_id=(
                decode_id(where.category_id, "Category", field="filter.categoryId")
                if where.category_id is not None
                else None
            ),
            args=page_args(first, after, last, before),
        )
        return to_connection(page, User.from_model)

    @strawberry.field(
        description="Verification applications, newest first: the admins' review queue. "
        "Admins only, in person."
    )
    async def verification_applications(
        self,
        info: Info,
        status: Annotated[
            VerificationStatus | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only applications in this status; null: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[VerificationApplication]:
        page = await creators.list_applications(
            info.context,
            status=VerificationStatusModel(status) if status is not None else None,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, VerificationApplication.from_model)
