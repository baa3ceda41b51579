"""Creator profiles: the user's own edits, and the creators listing.

A profile is created by the user's first `updateCreatorProfile` (or by an approved
application); every user starts as a KOC, unverified. The tier and the badge change only
through verification (verification.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.accounts import User
from models.catalog import Category
from models.creators import CreatorCategory, CreatorProfile, CreatorTier
from resolvers.auth import require_scope
from resolvers.creators.checks import check_category_count, check_headline
from resolvers.creators.loaders import categories_by_user, profile_by_user
from resolvers.errors import InvalidInput
from resolvers.loading import forget
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


async def _existing_categories(category_ids: Sequence[int]) -> list[int]:
    ids = check_category_count(category_ids)
    rows = await Category.filter(id__in=ids).only("id")
    found = {row.id for row in rows}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise InvalidInput("categoryIds", "Every category must exist (see `categories`).")
    return ids


async def ensure_profile(user_id: int) -> CreatorProfile:
    """The user's profile, created as an unverified KOC on first use (inside a transaction)."""
    profile, _ = await CreatorProfile.get_or_create(user_id=user_id)
    return profile


async def update_creator_profile(
    ctx: Context, *, headline: str | None, category_ids: Sequence[int] | None
) -> CreatorProfile:
    """The caller's own profile, created on first call; omitted fields stay."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    cleaned = check_headline(headline) if headline is not None else None
    categories = await _existing_categories(category_ids) if category_ids is not None else None
    async with in_transaction():
        profile = await ensure_profile(user.id)
        if cleaned is not None:
            profile.headline = cleaned
            await CreatorProfile.filter(id=profile.id).update(headline=cleaned)
        if categories is not None:
            await CreatorCategory.filter(user_id=user.id).delete()
            await CreatorCategory.bulk_create(
                [
                    CreatorCategory(user_id=user.id, category_id=pk, position=n)
                    for n, pk in enumerate(categories)
                ]
            )
    forget_profile(ctx, user.id)
    return profile


def forget_profile(ctx: Context, user_id: int) -> None:
    forget(ctx.loaders[profile_by_user], user_id)
    forget(ctx.loaders[categories_by_user], user_id)


async def list_creators(
    ctx: Context,
    *,
    tier: CreatorTier | None,
    verified: bool | None,
    category_id: int | None,
    args: PageArgs,
) -> Page[User]:
    """Active users with a creator profile, newest account first, filtered."""
    profiles = CreatorProfile.all()
    if tier is not None:
        profiles = profiles.filter(tier=tier)
    if verified is not None:
        profiles = profiles.filter(verified=verified)
    query = User.filter(is_active=True, id__in=Subquery(profiles.values("user_id")))
    if category_id is not None:
        in_category = CreatorCategory.filter(category_id=category_id).values("user_id")
        query = query.filter(id__in=Subquery(in_category))
    return await paginate_query(query, args)
