"""The creator mutations: edit your profile, apply for verification; admins decide."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.creators import CreatorTier as CreatorTierModel
from resolvers import creators
from schema.accounts import User
from schema.base import Info, decode_id
from schema.creators.payloads import (
    ApplyForVerificationPayload,
    ApplyForVerificationSuccess,
    ApproveVerificationPayload,
    ApproveVerificationSuccess,
    RejectVerificationPayload,
    RejectVerificationSuccess,
    RevokeVerificationPayload,
    RevokeVerificationSuccess,
    UpdateCreatorProfilePayload,
    UpdateCreatorProfileSuccess,
)
from schema.creators.types import CreatorProfile, CreatorTier, VerificationApplication

ApplicationId = Annotated[
    strawberry.ID,
    strawberry.argument(description="The application to decide (a VerificationApplication id)."),
]
Reason = Annotated[
    str,
    strawberry.argument(description="Why, 1-500 characters; the applicant reads it."),
]


@strawberry.input(description="What you ask to be verified as, and why.")
class ApplyForVerificationInput:
    requested_tier: CreatorTier = strawberry.field(  # type: ignore[valid-type]
        description="KOL, or BRAND if you own or staff a storefront."
    )
    message: str = strawberry.field(
        default="", description="A note for the admins, plain text, at most 2000 characters."
    )
    links: list[str] = strawberry.field(
        default_factory=list,
        description="Up to 5 http(s) URLs of your work elsewhere, at most 500 characters each.",
    )


def _application_id(value: strawberry.ID) -> int:
    return decode_id(value, "VerificationApplication", field="applicationId")


@strawberry.type
class CreatorMutation:
    @strawberry.mutation(
        description="Edit your creator profile, creating it (as an unverified KOC) on first "
        "use; omitted fields stay. Any signed-in user; apps need write:content."
    )
    async def update_creator_profile(
        self,
        info: Info,
        headline: Annotated[
            str | None,
            strawberry.argument(
                description="Plain text, one line, at most 120 characters; empty clears it."
            ),
        ] = None,
        category_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="The full list of categories you cover (Category ids, at most 5, "
                "each existing), replacing the old; duplicates count once."
            ),
        ] = None,
    ) -> UpdateCreatorProfilePayload | None:
        ids = (
            [decode_id(pk, "Category", field="categoryIds") for pk in category_ids]
            if category_ids is not None
            else None
        )
        row = await creators.update_creator_profile(
            info.context, headline=headline, category_ids=ids
        )
        user = info.context.principal.user
        assert user is not None  # update_creator_profile requires a signed-in caller
        return UpdateCreatorProfileSuccess(
            profile=CreatorProfile.from_model(row), user=User.from_model(user)
        )

    @strawberry.mutation(
        description="Ask the admins for a verified badge as a KOL or BRAND. One pending "
        "application at a time; by the user themself (apps need write:content)."
    )
    async def apply_for_verification(
        self,
        info: Info,
        input: Annotated[
            ApplyForVerificationInput,
            strawberry.argument(description="The tier asked for, a message and links."),
        ],
    ) -> ApplyForVerificationPayload | None:
        row = await creators.apply_for_verification(
            info.context,
            requested_tier=CreatorTierModel(input.requested_tier),
            message=input.message,
            links=input.links,
        )
        return ApplyForVerificationSuccess(application=VerificationApplication.from_model(row))

    @strawberry.mutation(
        description="Grant a pending application: the user is verified with `tier` (default: "
        "the tier asked for). Admins only, in person."
    )
    async def approve_verification(
        self,
        info: Info,
        application_id: ApplicationId,
        tier: Annotated[
            CreatorTier | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="KOL or BRAND (BRAND only for users with a storefront); null: the "
                "requested tier."
            ),
        ] = None,
    ) -> ApproveVerificationPayload | None:
        row = await creators.approve_verification(
            info.context,
            application_id=_application_id(application_id),
            tier=CreatorTierModel(tier) if tier is not None else None,
        )
        return ApproveVerificationSuccess(application=VerificationApplication.from_model(row))

    @strawberry.mutation(
        description="Refuse a pending application, with a reason. Admins only, in person."
    )
    async def reject_verification(
        self, info: Info, application_id: ApplicationId, reason: Reason
    ) -> RejectVerificationPayload | None:
        row = await creators.reject_verification(
            info.context, application_id=_application_id(application_id), reason=reason
        )
        return RejectVerificationSuccess(application=VerificationApplication.from_model(row))

    @strawberry.mutation(
        description="Take a user's verified badge back: unverified, tier KOC again. Admins "
        "only, in person."
    )
    async def revoke_verification(
        self,
        info: Info,
        user_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The verified user (a User id)."),
        ],
        reason: Reason,
    ) -> RevokeVerificationPayload | None:
        row = await creators.revoke_verification(
            info.context, user_id=decode_id(user_id, "User", field="userId"), reason=reason
        )
        return RevokeVerificationSuccess(user=User.from_model(row))
