"""The reaction types: the kind enum, the `Reactable` union, and the saved-items connection."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from models.reactions import ReactionKind as ReactionKindModel
from models.reactions import ReactionTargetKind
from resolvers import reactions
from resolvers.errors import InvalidInput
from schema.base import describe_values, parse_global_id
from schema.comments import Comment
from schema.content import Post, Tutorial

ReactionKind = strawberry.enum(
    ReactionKindModel,
    name="ReactionKind",
    description="A reaction to a post, tutorial or comment; each user has at most one of each "
    "kind on each target.",
)
describe_values(
    ReactionKind,
    {
        "LIKE": "A like: counted in `likeCount`, public as a number only.",
        "SAVE": "A bookmark: counted in `saveCount`, listed in your own `saved` (only you see "
        "what you saved).",
    },
)

Reactable = Annotated[
    Post | Tutorial | Comment,
    strawberry.union(
        "Reactable",
        description="What can be liked and saved: a post, a tutorial or a comment.",
    ),
]

# GraphQL type name -> target kind; a new target is one entry here and one member of
# `Reactable`.
_KINDS: dict[str, ReactionTargetKind] = {
    "Post": ReactionTargetKind.POST,
    "Tutorial": ReactionTargetKind.TUTORIAL,
    "Comment": ReactionTargetKind.COMMENT,
}
_BUILD: dict[ReactionTargetKind, Callable[[Any], Any]] = {
    ReactionTargetKind.POST: Post.from_model,
    ReactionTargetKind.TUTORIAL: Tutorial.from_model,
    ReactionTargetKind.COMMENT: Comment.from_model,
}


def parse_target_id(value: str) -> tuple[ReactionTargetKind, int]:
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] not in _KINDS:
        names = ", ".join(list(_KINDS)[:-1]) + " or " + list(_KINDS)[-1]
        raise InvalidInput("targetId", f"`targetId` must be the id of a {names}.")
    return _KINDS[parsed[0]], parsed[1]


def build_target(target: reactions.ReactionTarget) -> Any:
    """The GraphQL object of a reaction target (a member of `Reactable`)."""
    return _BUILD[target.kind](target.row)


@strawberry.type(description="One of your saved items, and when you saved it.")
class SavedItemEdge:
    cursor: str = strawberry.field(description="Pass it as `after` (or `before`) to page on.")
    saved_at: datetime = strawberry.field(description="When you saved it.")
    node: Reactable = strawberry.field(description="The saved post, tutorial or comment.")


@strawberry.type(
    description="A page of your saved posts, tutorials and comments, newest save first. Items "
    "you may no longer see (archived, back to draft, their author deactivated, a comment "
    "deleted or on something hidden) are left out, and come back if they return (deleted "
    "comments do not)."
)
class SavedItemConnection:
    edges: list[SavedItemEdge] = strawberry.field(description="The items of this page.")
    page_info: relay.PageInfo = strawberry.field(description="Where this page sits.")
    count_rows: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items there are in all pages together.")
    async def total_count(self) -> int:
        return await self.count_rows()


def saved_connection(found: reactions.SavedPage) -> SavedItemConnection:
    page = found.page
    shown = [row for row in page.rows if row.id in found.items]
    edges = [
        SavedItemEdge(
            cursor=page.cursor(row),
            saved_at=found.items[row.id].saved_at,
            node=build_target(found.items[row.id].target),
        )
        for row in shown
    ]
    return SavedItemConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        ),
        count_rows=page.count,
    )
