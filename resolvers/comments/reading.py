"""Reading threads: a target's top-level comments and a comment's replies, as pages.

The first page of a thread (no `after`, `last` or `before`) comes from the `first_pages`
loader, so a page of posts with their comments, or of comments with their replies, costs one
statement for all of them. Later pages ("load more") are one keyset query each. Deleted
comments stay in the lists (without body or author) so their replies keep their place;
comments a moderator hid do not (for anyone: the lists and counts are shared by every
caller), though their author and moderators still reach them by id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from models.accounts import User
from models.comments import Comment, CommentTargetKind
from resolvers.accounts import user_by_id, visible_users
from resolvers.comments.loaders import (
    FirstPage,
    comment_counts,
    first_pages,
    mentioned_users,
    reply_counts,
)
from resolvers.pagination import PageArgs, SortedPage, SortKey, check_page_args, paginate_sorted

if TYPE_CHECKING:
    from resolvers.context import Context


class CommentOrder(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"


SORT = {
    CommentOrder.NEWEST: SortKey("id"),
    CommentOrder.OLDEST: SortKey("id", descending=False),
}
REPLY_ORDER = CommentOrder.OLDEST  # a conversation reads top to bottom


async def _page(
    ctx: Context, key: FirstPage, order: CommentOrder, count: Callable[[], Awaitable[int]]
) -> SortedPage[Comment]:
    rows = await ctx.loaders[first_pages].load(key)
    return SortedPage(
        rows=rows[: key.size],
        has_next_page=len(rows) > key.size,
        has_previous_page=False,
        count=count,
        key=SORT[order],
    )


def _first_page_size(args: PageArgs) -> int | None:
    """The page size when this is a thread's first page forwards, else None."""
    size, backwards = check_page_args(args)
    if backwards or args.after or args.before or size == 0:
        return None
    return size


async def target_comments(
    ctx: Context, kind: CommentTargetKind, target_id: int, order: CommentOrder, args: PageArgs
) -> SortedPage[Comment]:
    """The top-level comments of a target the caller sees (the caller checked that)."""
    size = _first_page_size(args)
    if size is None:
        query = Comment.filter(
            target_kind=kind, target_id=target_id, parent_id__isnull=True, hidden_at__isnull=True
        )
        return await paginate_sorted(query, args, SORT[order])

    async def count() -> int:  # only when `totalCount` is asked for
        return (await ctx.loaders[comment_counts].load((kind, target_id))).top_level

    key = FirstPage(kind, target_id, size, order is CommentOrder.NEWEST)
    return await _page(ctx, key, order, count)


async def comment_replies(ctx: Context, comment: Comment, args: PageArgs) -> SortedPage[Comment]:
    """A comment's direct replies, oldest first."""
    size = _first_page_size(args)
    if size is None:
        query = Comment.filter(parent_id=comment.id, hidden_at__isnull=True)
        return await paginate_sorted(query, args, SORT[REPLY_ORDER])

    async def count() -> int:
        return (await ctx.loaders[reply_counts].load(comment.id)).listed

    key = FirstPage(None, comment.id, size, newest_first=False)
    return await _page(ctx, key, REPLY_ORDER, count)


async def comment_mentions(ctx: Context, comment: Comment) -> list[User]:
    """The users a comment mentions that the caller may see (deactivated ones only staff),
    in the order its body names them; none once it is deleted."""
    if comment.deleted_at is not None:
        return []
    rows = await ctx.loaders[mentioned_users].load(comment.id)
    users = ctx.loaders[user_by_id]
    for row in rows:  # loaded already: the visibility rule below needs no query of its own
        users.prime(row.id, row)
    return [user for user in await visible_users(ctx, [row.id for row in rows]) if user]
