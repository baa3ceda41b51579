"""The Comment node, its sort, and the union of what can be commented on."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

import strawberry
from strawberry import relay

from models.comments import Comment as CommentModel
from models.comments import CommentTargetKind
from resolvers import comments
from resolvers.comments.loaders import reply_counts
from resolvers.errors import InvalidInput
from schema.accounts import User
from schema.base import Info, describe_values, parse_global_id
from schema.catalog import Product
from schema.content import Post, Tutorial
from schema.nodes import VisibleNode, build_each
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection
from schema.reviews import Review

CommentSort = strawberry.enum(
    comments.CommentOrder,
    name="CommentSort",
    description="How to order a thread's top-level comments (replies are always oldest first).",
)
describe_values(
    CommentSort,
    {"NEWEST": "Most recent first (the default).", "OLDEST": "Earliest first, as a conversation."},
)

CommentTarget = Annotated[
    Post | Tutorial | Review | Product,
    strawberry.union(
        "CommentTarget",
        description="What can be commented on: a post, tutorial, review or product.",
    ),
]

_KINDS = {
    "Post": CommentTargetKind.POST,
    "Tutorial": CommentTargetKind.TUTORIAL,
    "Review": CommentTargetKind.REVIEW,
    "Product": CommentTargetKind.PRODUCT,
}
_BUILD: dict[CommentTargetKind, Any] = {
    CommentTargetKind.POST: Post.from_model,
    CommentTargetKind.TUTORIAL: Tutorial.from_model,
    CommentTargetKind.REVIEW: Review.from_model,
    CommentTargetKind.PRODUCT: Product.from_model,
}


def comment_target_id(value: str) -> tuple[CommentTargetKind, int]:
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] not in _KINDS:
        raise InvalidInput(
            "targetId", "`targetId` must be the id of a Post, Tutorial, Review or Product."
        )
    return _KINDS[parsed[0]], parsed[1]


def build_target(target: comments.CommentTarget) -> Any:
    """The GraphQL object of a comment target (a member of its union)."""
    return _BUILD[target.kind](target.row)


@strawberry.type(
    description="A comment on a post, tutorial, review or product, or a reply to one (replies "
    f"go {comments.MAX_DEPTH} levels deep). Whoever sees what it is on sees it. A deleted "
    "comment stays in its thread, so its replies keep their place, with `isDeleted` true and "
    "no body, author or mentions."
)
class Comment(VisibleNode):
    id: relay.NodeID[int]
    body: str = strawberry.field(
        description="The Markdown its author wrote (1-5,000 characters); empty once deleted."
    )
    body_html: str = strawberry.field(
        description="`body` rendered and sanitised as `Post.bodyHtml`; empty once deleted."
    )
    depth: int = strawberry.field(
        description=f"0 for a top-level comment, one more per reply level (at most "
        f"{comments.MAX_DEPTH})."
    )
    created_at: datetime = strawberry.field(description="When it was written.")
    edited_at: datetime | None = strawberry.field(
        description="When its author last changed the body; null if never."
    )
    is_deleted: bool = strawberry.field(
        description="Deleted by its author, a moderator or the owner of the thread."
    )
    row: strawberry.Private[CommentModel]

    @classmethod
    def from_model(cls, row: CommentModel) -> Self:
        deleted = row.deleted_at is not None
        return cls(
            id=row.id,
            body="" if deleted else row.body,
            body_html="" if deleted else row.body_html,
            depth=row.depth,
            created_at=row.created_at,
            edited_at=row.edited_at,
            is_deleted=deleted,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await comments.visible_comments(info.context, ids), cls.from_model)

    @strawberry.field(
        description="Who wrote it; null once deleted, or if that account is deactivated."
    )
    async def author(self, info: Info) -> User | None:
        if self.is_deleted:
            return None
        return await User.related(info, self.row.author_id)

    @strawberry.field(description="The post, tutorial, review or product it is on.")
    async def target(self, info: Info) -> CommentTarget | None:
        key = (self.row.target_kind, self.row.target_id)
        [found] = await comments.comment_targets(info.context, [key])
        return None if found is None else build_target(found)

    @strawberry.field(description="The comment it replies to; null for a top-level comment.")
    async def parent(self, info: Info) -> Comment | None:
        if self.row.parent_id is None:
            return None
        return await Comment.load_one(info, self.row.parent_id)

    @strawberry.field(
        description="Its direct replies, oldest first, deleted ones included (as deleted)."
    )
    async def replies(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Comment]:
        page = await comments.comment_replies(
            info.context, self.row, page_args(first, after, last, before)
        )
        return to_connection(page, Comment.from_model)

    @strawberry.field(
        description="How many direct replies it has, deleted ones not counted; exact."
    )
    async def reply_count(self, info: Info) -> int:
        return (await info.context.loaders[reply_counts].load(self.row.id)).live

    @strawberry.field(
        description="The users its body names as `@handle` (existing, active accounts; at most "
        "10), in the order named; empty once deleted."
    )
    async def mentions(self, info: Info) -> list[User]:
        return [
            User.from_model(row) for row in await comments.comment_mentions(info.context, self.row)
        ]

    # ---- reactions (schema/reactions/fields.py): likes and saves ----

    @strawberry.field(description="How many users like this comment; exact.")
    async def like_count(self, info: Info) -> int:
        from schema.reactions import fields  # it imports this module

        return await fields.count(info, fields.COMMENT, self.row.id, fields.LIKE)

    @strawberry.field(description="How many users saved this comment; exact.")
    async def save_count(self, info: Info) -> int:
        from schema.reactions import fields

        return await fields.count(info, fields.COMMENT, self.row.id, fields.SAVE)

    @strawberry.field(description="Whether you like this comment; false when signed out.")
    async def viewer_has_liked(self, info: Info) -> bool:
        from schema.reactions import fields

        return await fields.viewer_has(info, fields.COMMENT, self.row.id, fields.LIKE)

    @strawberry.field(description="Whether you saved this comment; false when signed out.")
    async def viewer_has_saved(self, info: Info) -> bool:
        from schema.reactions import fields

        return await fields.viewer_has(info, fields.COMMENT, self.row.id, fields.SAVE)
