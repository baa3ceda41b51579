"""What the social mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.accounts import User
from schema.base import Info
from schema.errors import NotFoundError, ValidationError
from schema.social.types import FollowTarget, ShareChannel, ShareLink, ShareTarget


@strawberry.type(description="You follow it (now, or already did: following twice is the same).")
class FollowSuccess:
    target: FollowTarget = strawberry.field(
        description="The user, topic or community, with its `followerCount` and "
        "`viewerFollows` as they are now."
    )


@strawberry.type(description="You no longer follow it (or never did).")
class UnfollowSuccess:
    target: FollowTarget = strawberry.field(
        description="The user, topic or community, with its `followerCount` and "
        "`viewerFollows` as they are now."
    )


@strawberry.type(description="Your link for this target and channel (the same one every time).")
class CreateShareLinkSuccess:
    share_link: ShareLink = strawberry.field(description="The link, with its code and url.")


@strawberry.type(description="Where the link leads; the click was counted.")
class ResolveShareLinkSuccess:
    code: str = strawberry.field(
        description="The code resolved; keep it for the cart line's `attribution.shareCode`."
    )
    channel: ShareChannel = strawberry.field(  # type: ignore[valid-type]
        description="Where the link was shared."
    )
    target: ShareTarget = strawberry.field(
        description="The post, product, user page or topic to show."
    )
    sharer_id: strawberry.Private[int]

    @strawberry.field(description="Who shared it; null if that account is no longer shown.")
    async def sharer(self, info: Info) -> User | None:
        return await User.load_one(info, self.sharer_id)


_ERRORS = ValidationError | NotFoundError

FollowPayload = Annotated[
    FollowSuccess | _ERRORS,
    strawberry.union("FollowPayload", description="The followed target, or why not."),
]
UnfollowPayload = Annotated[
    UnfollowSuccess | _ERRORS,
    strawberry.union("UnfollowPayload", description="The unfollowed target, or why not."),
]
CreateShareLinkPayload = Annotated[
    CreateShareLinkSuccess | _ERRORS,
    strawberry.union("CreateShareLinkPayload", description="Your share link, or why not."),
]
ResolveShareLinkPayload = Annotated[
    ResolveShareLinkSuccess | _ERRORS,
    strawberry.union(
        "ResolveShareLinkPayload",
        description="The link's target, or NotFoundError (no such code, or its target is gone "
        "or hidden from you).",
    ),
]
