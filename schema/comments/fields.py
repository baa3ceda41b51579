"""The comment fields of Post, Tutorial, Review and Product (`comments`, `commentCount`).

Those types live in their own packages, which import this module lazily (it imports them,
through types.py): each field there is one call here.
"""

from __future__ import annotations

from models.comments import CommentTargetKind
from resolvers import comments
from resolvers.comments.loaders import comment_counts
from schema.base import Info
from schema.comments.types import Comment
from schema.pagination import Connection, page_args, to_connection

POST, TUTORIAL = CommentTargetKind.POST, CommentTargetKind.TUTORIAL
REVIEW, PRODUCT = CommentTargetKind.REVIEW, CommentTargetKind.PRODUCT
PageArguments = tuple[int | None, str | None, int | None, str | None]


async def count(info: Info, kind: CommentTargetKind, pk: int) -> int:
    return (await info.context.loaders[comment_counts].load((kind, pk))).live


async def thread(
    info: Info,
    kind: CommentTargetKind,
    pk: int,
    sort: comments.CommentOrder | None,
    paging: PageArguments,
) -> Connection[Comment]:
    order = comments.CommentOrder(sort.value) if sort is not None else comments.CommentOrder.NEWEST
    page = await comments.target_comments(info.context, kind, pk, order, page_args(*paging))
    return to_connection(page, Comment.from_model)
