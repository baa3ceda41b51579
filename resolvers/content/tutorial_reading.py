"""Reading tutorials: by id or slug, the listing and its filters, a user's tutorials."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from models.content import Difficulty, Tutorial, TutorialStatus
from resolvers.content.loaders import tutorial_by_slug
from resolvers.content.slugs import SLUG_MAX
from resolvers.content.tutorial_access import can_see_tutorial, tutorials_visible_to
from resolvers.pagination import PageArgs, SortedPage, SortKey, paginate_sorted

if TYPE_CHECKING:
    from resolvers.context import Context


class TutorialOrder(StrEnum):
    NEWEST = "newest"  # most recently created first
    OLDEST = "oldest"


TUTORIAL_SORT = {
    TutorialOrder.NEWEST: SortKey("id"),
    TutorialOrder.OLDEST: SortKey("id", descending=False),
}


async def tutorial_with_slug(ctx: Context, slug: str) -> Tutorial | None:
    wanted = slug.strip().lower()
    if not wanted or len(wanted) > SLUG_MAX:  # no tutorial has it; tortoise would raise
        return None
    row = await ctx.loaders[tutorial_by_slug].load(wanted)
    return row if row is not None and can_see_tutorial(ctx, row) else None


async def list_tutorials(
    ctx: Context,
    *,
    author_id: int | None,
    status: TutorialStatus,
    difficulty: Difficulty | None,
    product_id: int | None,
    order: TutorialOrder,
    args: PageArgs,
) -> SortedPage[Tutorial]:
    """Tutorials in one status the caller may see: PUBLISHED for all, others only their own
    (every author's for admins). `product_id`: those whose parts or steps use that product."""
    query = tutorials_visible_to(ctx, Tutorial.filter(status=status))
    if author_id is not None:
        query = query.filter(author_id=author_id)
    if difficulty is not None:
        query = query.filter(difficulty=difficulty)
    if product_id is not None:
        # One row per (tutorial, product) in tutorial_products: the join never repeats a row.
        query = query.filter(used_products__product_id=product_id)
    return await paginate_sorted(query, args, TUTORIAL_SORT[order])


async def user_tutorials(
    ctx: Context, *, author_id: int, status: TutorialStatus | None, args: PageArgs
) -> SortedPage[Tutorial]:
    """A user's tutorials, newest first: published for others, every status for the author
    and admins."""
    query = tutorials_visible_to(ctx, Tutorial.filter(author_id=author_id))
    if status is not None:
        query = query.filter(status=status)
    return await paginate_sorted(query, args, TUTORIAL_SORT[TutorialOrder.NEWEST])
