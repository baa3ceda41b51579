"""The social mutations: follow, unfollow, createShareLink, resolveShareLink."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import social
from schema.base import Info
from schema.social.payloads import (
    CreateShareLinkPayload,
    CreateShareLinkSuccess,
    FollowPayload,
    FollowSuccess,
    ResolveShareLinkPayload,
    ResolveShareLinkSuccess,
    UnfollowPayload,
    UnfollowSuccess,
)
from schema.social.types import (
    ShareChannel,
    ShareLink,
    build_target,
    follow_target_id,
    share_target_id,
)

FollowTargetId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The user, topic or community (a User, Topic or Community id); a user "
        "other than you."
    ),
]


@strawberry.type
class SocialMutation:
    @strawberry.mutation(
        description="Follow a user, topic or community you can see. Following again is no "
        "error and changes nothing. Any signed-in user; apps need write:content."
    )
    async def follow(self, info: Info, target_id: FollowTargetId) -> FollowPayload | None:
        kind, pk = follow_target_id(target_id)
        target = await social.follow(info.context, kind, pk)
        return FollowSuccess(target=build_target(target))

    @strawberry.mutation(
        description="Stop following a user, topic or community; not following it is no "
        "error. Apps need write:content."
    )
    async def unfollow(self, info: Info, target_id: FollowTargetId) -> UnfollowPayload | None:
        kind, pk = follow_target_id(target_id)
        target = await social.unfollow(info.context, kind, pk)
        return UnfollowSuccess(target=build_target(target))

    @strawberry.mutation(
        description="Your tracked link to a post, product, user page or topic you can see, "
        "for one channel; asking again gives the same link. Apps need write:content."
    )
    async def create_share_link(
        self,
        info: Info,
        target_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="What to share: a Post, Product, User or Topic id."),
        ],
        channel: Annotated[
            ShareChannel,  # type: ignore[valid-type]
            strawberry.argument(description="Where you will share it."),
        ],
    ) -> CreateShareLinkPayload | None:
        kind, pk = share_target_id(target_id)
        row = await social.create_share_link(info.context, kind, pk, channel)
        return CreateShareLinkSuccess(share_link=ShareLink.from_model(row))

    @strawberry.mutation(
        description="Open a share link: its target, with the click counted. Anyone, signed "
        "in or not; each client address may open SHARE_CLICKS_PER_MINUTE a minute "
        "(RATE_LIMITED past that)."
    )
    async def resolve_share_link(
        self,
        info: Info,
        code: Annotated[
            str,
            strawberry.argument(description="The link's code (the last part of its url)."),
        ],
    ) -> ResolveShareLinkPayload | None:
        link, target = await social.resolve_share_link(info.context, code)
        return ResolveShareLinkSuccess(
            code=link.code,
            channel=link.channel,
            target=build_target(target),
            sharer_id=link.sharer_id,
        )
