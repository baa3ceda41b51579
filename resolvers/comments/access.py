"""Who sees and does what with comments.

A comment a moderator hid (`hidden_at`, resolvers/moderation) is seen only by its author,
site staff (moderators, admins) and the moderators of the community of the post it is on;
threads and counts leave it out (resolvers/comments/reading.py).

A comment is seen by whoever sees what it is on, through that domain's own `visible_<noun>s`
rule (the rule `node(id)` uses): comments on a draft post or tutorial, a hidden review or a
product not on sale are invisible, on every path, and cannot be made (NotFoundError).

Writing: anyone signed in comments, as themself (apps: write:content). Only the author edits.
Deleting is for the author, moderators and admins, and for the author of the post or tutorial
the comment is on (they keep their own discussion civil); not for a review's author or a
product's merchant, whose targets are answered elsewhere (merchant replies, moderation).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.accounts import Role, User
from models.comments import Comment, CommentTargetKind
from resolvers.catalog import visible_products
from resolvers.comments.loaders import comment_by_id
from resolvers.communities import moderated_community_ids
from resolvers.content import visible_posts, visible_tutorials
from resolvers.content.loaders import post_by_id
from resolvers.errors import NotFound, PermissionDenied
from resolvers.principal import Scope
from resolvers.reviews import visible_reviews

if TYPE_CHECKING:
    from resolvers.context import Context

Visible = Callable[["Context", Sequence[int]], Awaitable[Sequence[Any]]]

RULES: dict[CommentTargetKind, tuple[str, Visible]] = {
    CommentTargetKind.POST: ("Post", visible_posts),
    CommentTargetKind.TUTORIAL: ("Tutorial", visible_tutorials),
    CommentTargetKind.REVIEW: ("Review", visible_reviews),
    CommentTargetKind.PRODUCT: ("Product", visible_products),
}
# Kinds whose author may delete any comment on it.
OWNED_THREADS = (CommentTargetKind.POST, CommentTargetKind.TUTORIAL)
STAFF = (Role.MODERATOR, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class CommentTarget:
    """A post, tutorial, review or product, as its model row."""

    kind: CommentTargetKind
    row: Any


async def comment_targets(
    ctx: Context, keys: Sequence[tuple[CommentTargetKind, int]]
) -> list[CommentTarget | None]:
    """The targets the caller can see, None for the rest: one batch per kind."""
    found: dict[tuple[CommentTargetKind, int], CommentTarget] = {}
    for kind, (_, visible) in RULES.items():
        ids = [target_id for k, target_id in keys if k is kind]
        if ids:
            for target_id, row in zip(ids, await visible(ctx, ids), strict=True):
                if row is not None:
                    found[(kind, target_id)] = CommentTarget(kind, row)
    return [found.get(key) for key in keys]


async def comment_target(ctx: Context, kind: CommentTargetKind, target_id: int) -> CommentTarget:
    [target] = await comment_targets(ctx, [(kind, target_id)])
    if target is None:
        raise NotFound(RULES[kind][0])
    return target


async def visible_comments(ctx: Context, ids: Sequence[int]) -> list[Comment | None]:
    """Comments on targets the caller may see, for node(id), nodes and every mutation."""
    rows = await ctx.loaders[comment_by_id].load_many(ids)
    keys = [(row.target_kind, row.target_id) for row in rows if row is not None]
    targets = await comment_targets(ctx, keys)
    seen = {key for key, target in zip(keys, targets, strict=True) if target is not None}
    shown = [row for row in rows if row is not None and (row.target_kind, row.target_id) in seen]
    allowed = {row.id for row in shown} - await _hidden_from_caller(ctx, shown)
    return [row if row is not None and row.id in allowed else None for row in rows]


async def _hidden_from_caller(ctx: Context, rows: Sequence[Comment]) -> set[int]:
    """The hidden comments the caller is neither the author nor a moderator of."""
    user = ctx.principal.user
    if ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes:
        user = None
    hidden = [row for row in rows if row.hidden_at is not None]
    if not hidden or (user is not None and user.role in STAFF):
        return set()
    if user is not None:
        hidden = [row for row in hidden if row.author_id != user.id]
    on_posts = [row.target_id for row in hidden if row.target_kind is CommentTargetKind.POST]
    if not hidden or user is None or not on_posts:
        return {row.id for row in hidden}
    posts = await ctx.loaders[post_by_id].load_many(on_posts)
    community_of = {post.id: post.community_id for post in posts if post is not None}
    mine = await moderated_community_ids(
        ctx, [cid for cid in community_of.values() if cid is not None]
    )
    return {
        row.id
        for row in hidden
        if row.target_kind is not CommentTargetKind.POST
        or community_of.get(row.target_id) not in mine
    }


async def target_comment(ctx: Context, comment_id: int) -> Comment:
    [row] = await visible_comments(ctx, [comment_id])
    if row is None:
        raise NotFound("Comment")
    return row


def check_can_edit(user: User, comment: Comment) -> None:
    if comment.author_id != user.id:
        raise PermissionDenied("Only its author can edit a comment.")


async def check_can_delete(ctx: Context, user: User, comment: Comment) -> None:
    if comment.author_id == user.id or user.role in STAFF:
        return
    if comment.target_kind in OWNED_THREADS:
        target = await comment_target(ctx, comment.target_kind, comment.target_id)
        if target.row.author_id == user.id:
            return
    raise PermissionDenied(
        "Only its author, the author of what it is on (posts, tutorials) and moderators can "
        "delete a comment."
    )
