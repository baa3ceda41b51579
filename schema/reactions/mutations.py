"""The reaction mutations: react and unreact (a like or a save)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import reactions
from schema.base import Info
from schema.reactions.payloads import ReactPayload, ReactSuccess, UnreactPayload, UnreactSuccess
from schema.reactions.types import ReactionKind, build_target, parse_target_id

TargetId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The post, tutorial or comment (a Post, Tutorial or Comment id)."
    ),
]
Kind = Annotated[
    ReactionKind,  # type: ignore[valid-type]
    strawberry.argument(description="LIKE or SAVE."),
]


@strawberry.type
class ReactionMutation:
    @strawberry.mutation(
        description="Like or save a post, tutorial or comment you can see (not a deleted "
        "comment). Reacting again is no error and changes nothing. Any signed-in user, as "
        "themself; apps need write:content."
    )
    async def react(self, info: Info, target_id: TargetId, kind: Kind) -> ReactPayload | None:
        target_kind, pk = parse_target_id(target_id)
        target = await reactions.react(info.context, kind, target_kind, pk)
        return ReactSuccess(target=build_target(target))

    @strawberry.mutation(
        description="Take back your like or save of a post, tutorial or comment; not having "
        "it is no error. Apps need write:content."
    )
    async def unreact(self, info: Info, target_id: TargetId, kind: Kind) -> UnreactPayload | None:
        target_kind, pk = parse_target_id(target_id)
        target = await reactions.unreact(info.context, kind, target_kind, pk)
        return UnreactSuccess(target=build_target(target))
