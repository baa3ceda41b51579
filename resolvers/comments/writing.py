"""Writing comments: add (top-level or a reply), edit, soft delete.

Every input is checked before anything is written, and each write is one short transaction
(the comment row and its mention rows together). A comment is one INSERT and counts are
counted from the rows, so concurrent comments never lose a count. Deleting is soft and
idempotent: the row stays (its replies keep their place) with its body erased and its mentions
dropped; the API shows it as deleted, without author. Side effects (mention notifications) are
for the worker after commit: `sync_mentions` returns who was newly mentioned.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from models.comments import Comment, CommentTargetKind
from models.content import Post
from resolvers import events
from resolvers.auth import require_scope
from resolvers.comments.access import (
    check_can_delete,
    check_can_edit,
    comment_target,
    target_comment,
)
from resolvers.comments.checks import check_body, render, reply_depth
from resolvers.comments.loaders import comment_by_id, comment_counts, reply_counts
from resolvers.comments.mentions import sync_mentions
from resolvers.communities import require_voice
from resolvers.errors import InvalidInput, NotFound
from resolvers.loading import forget
from resolvers.principal import Scope
from resolvers.ratelimit import consume

if TYPE_CHECKING:
    from resolvers.context import Context


def _forget(ctx: Context, comment: Comment) -> None:
    """Counts and the row change: this request's answer must show it."""
    forget(ctx.loaders[comment_by_id], comment.id)
    forget(ctx.loaders[comment_counts], (comment.target_kind, comment.target_id))
    if comment.parent_id is not None:
        forget(ctx.loaders[reply_counts], comment.parent_id)


async def _reload(ctx: Context, comment_id: int) -> Comment:
    forget(ctx.loaders[comment_by_id], comment_id)
    row = await ctx.loaders[comment_by_id].load(comment_id)
    assert row is not None  # comments are never deleted for real
    return row


async def add_comment(
    ctx: Context, kind: CommentTargetKind, target_id: int, body: str, parent_id: int | None
) -> Comment:
    """Comment on a target you can see, or reply to one of its comments (depth-capped)."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    text = check_body(body)
    depth = 0
    if parent_id is not None:
        parent = await target_comment(ctx, parent_id)
        if (parent.target_kind, parent.target_id) != (kind, target_id):
            raise InvalidInput("parentId", "That comment is on something else than `targetId`.")
        if parent.deleted_at is not None:
            raise InvalidInput("parentId", "That comment was deleted; it takes no replies.")
        depth = reply_depth(parent.depth)
    target = await comment_target(ctx, kind, target_id)
    if isinstance(target.row, Post):
        await require_voice(user, target.row.community_id)
    await consume(
        ctx,
        "comment",
        str(user.id),
        limit=ctx.settings.comments_per_minute,
        window_seconds=60,
        message="Too many comments in a minute. Try again shortly.",
    )
    async with in_transaction():
        row = await Comment.create(
            target_kind=kind,
            target_id=target_id,
            author_id=user.id,
            parent_id=parent_id,
            depth=depth,
            body=text,
            body_html=render(text),
        )
        mentioned = await sync_mentions(row.id, user.id, text)
        await events.comment_created(row, mentioned)
    _forget(ctx, row)
    return await _reload(ctx, row.id)


async def edit_comment(ctx: Context, comment_id: int, body: str) -> Comment:
    """Replace your comment's body; the same body again changes nothing."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    text = check_body(body)
    comment = await target_comment(ctx, comment_id)
    check_can_edit(user, comment)
    if comment.deleted_at is not None:
        raise NotFound("Comment", "That comment was deleted.")
    if text == comment.body:
        return comment
    async with in_transaction():
        changed = await Comment.filter(id=comment.id, deleted_at__isnull=True).update(
            body=text, body_html=render(text), edited_at=datetime.now(UTC)
        )
        if not changed:  # deleted meanwhile
            raise NotFound("Comment", "That comment was deleted.")
        await sync_mentions(comment.id, user.id, text)
    _forget(ctx, comment)
    return await _reload(ctx, comment.id)


async def delete_comment(ctx: Context, comment_id: int) -> Comment:
    """Soft delete: the body and mentions go, the row and its replies stay. Deleting a
    deleted comment is no error and changes nothing."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    comment = await target_comment(ctx, comment_id)
    await check_can_delete(ctx, user, comment)
    if comment.deleted_at is not None:
        return comment
    async with in_transaction():
        changed = await Comment.filter(id=comment.id, deleted_at__isnull=True).update(
            deleted_at=datetime.now(UTC), deleted_by_id=user.id, body="", body_html=""
        )
        if changed:
            await sync_mentions(comment.id, comment.author_id, "")
    _forget(ctx, comment)
    return await _reload(ctx, comment.id)
