"""What the creator mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.accounts import User
from schema.creators.types import CreatorProfile, VerificationApplication
from schema.errors import ConflictError, NotFoundError, ValidationError


@strawberry.type(description="Your creator profile after the change.")
class UpdateCreatorProfileSuccess:
    profile: CreatorProfile = strawberry.field(description="The profile as it is now.")
    user: User = strawberry.field(description="You, whose `creatorProfile` this is.")


@strawberry.type(description="Your application is PENDING until an admin decides.")
class ApplyForVerificationSuccess:
    application: VerificationApplication = strawberry.field(description="The new application.")


@strawberry.type(description="The application is APPROVED; the user is verified.")
class ApproveVerificationSuccess:
    application: VerificationApplication = strawberry.field(
        description="The application, with `grantedTier`."
    )


@strawberry.type(description="The application is REJECTED; the user may apply again.")
class RejectVerificationSuccess:
    application: VerificationApplication = strawberry.field(
        description="The application, with `decisionReason`."
    )


@strawberry.type(description="The badge is gone: the user is unverified and a KOC again.")
class RevokeVerificationSuccess:
    user: User = strawberry.field(description="The user, with their profile as it is now.")


_DECISION_ERRORS = ValidationError | NotFoundError | ConflictError

UpdateCreatorProfilePayload = Annotated[
    UpdateCreatorProfileSuccess | ValidationError,
    strawberry.union(
        "UpdateCreatorProfilePayload", description="Your profile, or why the change was refused."
    ),
]
ApplyForVerificationPayload = Annotated[
    ApplyForVerificationSuccess | ValidationError | ConflictError,
    strawberry.union(
        "ApplyForVerificationPayload",
        description="The pending application, or why not (ConflictError: one is pending "
        "already, or you hold that badge).",
    ),
]
ApproveVerificationPayload = Annotated[
    ApproveVerificationSuccess | _DECISION_ERRORS,
    strawberry.union(
        "ApproveVerificationPayload",
        description="The approved application, or why not (ConflictError: already decided).",
    ),
]
RejectVerificationPayload = Annotated[
    RejectVerificationSuccess | _DECISION_ERRORS,
    strawberry.union(
        "RejectVerificationPayload",
        description="The rejected application, or why not (ConflictError: already decided).",
    ),
]
RevokeVerificationPayload = Annotated[
    RevokeVerificationSuccess | _DECISION_ERRORS,
    strawberry.union(
        "RevokeVerificationPayload",
        description="The user without the badge, or why not (ConflictError: not verified).",
    ),
]
