"""What may be liked and saved, and by whom it is seen: each target kind's own rule.

A target is one the caller can see through its domain's `visible_<noun>s` rule (the one
`node(id)` uses) whose author is still active: a draft or archived post of someone else, a
missing one, or one whose author was deactivated is a NotFound, so the mutations tell nothing
`node` would not. The saved list applies the same rule in SQL (`listed`), so items that
became invisible since they were saved drop out of it, and come back if they return.

Comments: whoever sees what a comment is on sees it (resolvers/comments); a deleted one
takes no reactions and drops out of the saved list. A new target kind is one `TargetRule` here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.catalog import Product, ProductStatus
from models.comments import Comment, CommentTargetKind
from models.content import Post, Tutorial
from models.reactions import ReactionTargetKind
from models.reviews import Review, ReviewStatus
from resolvers.accounts import user_by_id
from resolvers.comments import visible_comments
from resolvers.content import (
    posts_visible_to,
    tutorials_visible_to,
    visible_posts,
    visible_tutorials,
)
from resolvers.errors import NotFound

if TYPE_CHECKING:
    from resolvers.context import Context

Key = tuple[ReactionTargetKind, int]


async def _live_comments(ctx: Context, ids: Sequence[int]) -> list[Comment | None]:
    """Comments the caller sees that are not deleted: a deleted one takes no reactions."""
    rows = await visible_comments(ctx, ids)
    return [row if row is not None and row.deleted_at is None else None for row in rows]


def _listed_comments(ctx: Context) -> QuerySet[Comment]:
    """The SQL form of `_live_comments` for the saved list: not deleted, by an active author,
    on a post or tutorial the caller may see, a published review or a product on sale. (A
    merchant's saved comment on their own draft product is left out: rare, and harmless.)"""
    posts = posts_visible_to(ctx, Post.all()).values("id")
    tutorials = tutorials_visible_to(ctx, Tutorial.all()).values("id")
    reviews = Review.filter(status=ReviewStatus.PUBLISHED).values("id")
    products = Product.filter(status=ProductStatus.ACTIVE).values("id")
    on = Q(
        Q(target_kind=CommentTargetKind.POST, target_id__in=Subquery(posts)),
        Q(target_kind=CommentTargetKind.TUTORIAL, target_id__in=Subquery(tutorials)),
        Q(target_kind=CommentTargetKind.REVIEW, target_id__in=Subquery(reviews)),
        Q(target_kind=CommentTargetKind.PRODUCT, target_id__in=Subquery(products)),
        join_type=Q.OR,
    )
    return Comment.filter(on, deleted_at__isnull=True, author__is_active=True)


@dataclass(frozen=True, slots=True)
class TargetRule:
    resource: str  # the GraphQL type name, for NotFoundError
    visible: Callable[[Context, Sequence[int]], Awaitable[Sequence[Any]]]
    # The rows the caller may see whose author is active, as a query (for subqueries).
    listed: Callable[[Context], QuerySet[Any]]


RULES: dict[ReactionTargetKind, TargetRule] = {
    ReactionTargetKind.POST: TargetRule(
        "Post",
        visible_posts,
        lambda ctx: posts_visible_to(ctx, Post.filter(author__is_active=True)),
    ),
    ReactionTargetKind.TUTORIAL: TargetRule(
        "Tutorial",
        visible_tutorials,
        lambda ctx: tutorials_visible_to(ctx, Tutorial.filter(author__is_active=True)),
    ),
    ReactionTargetKind.COMMENT: TargetRule("Comment", _live_comments, _listed_comments),
}


@dataclass(frozen=True, slots=True)
class ReactionTarget:
    """A post, tutorial or comment, as its model row."""

    kind: ReactionTargetKind
    row: Any


async def reaction_targets(ctx: Context, keys: Sequence[Key]) -> list[ReactionTarget | None]:
    """The targets the caller may react to, None for the rest: one batch per kind, and one
    for their authors."""
    found: dict[Key, Any] = {}
    for kind, rule in RULES.items():
        ids = [target_id for k, target_id in keys if k is kind]
        if ids:
            rows = await rule.visible(ctx, ids)
            found.update({(kind, i): row for i, row in zip(ids, rows, strict=True) if row})
    authors = await ctx.loaders[user_by_id].load_many([row.author_id for row in found.values()])
    active = {author.id for author in authors if author is not None and author.is_active}
    return [
        ReactionTarget(key[0], found[key])
        if key in found and found[key].author_id in active
        else None
        for key in keys
    ]


async def reaction_target(ctx: Context, kind: ReactionTargetKind, target_id: int) -> ReactionTarget:
    [target] = await reaction_targets(ctx, [(kind, target_id)])
    if target is None:
        raise NotFound(RULES[kind].resource)
    return target
