"""The creators domain's per-request loaders (see resolvers/loading.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count

from models.catalog import Category
from models.communities import Community, CommunityVisibility
from models.content import Post, PostStatus, Tutorial, TutorialStatus
from models.creators import CreatorCategory, CreatorProfile, VerificationApplication
from resolvers.loading import LoaderSpec, by_id

application_by_id = by_id(VerificationApplication)


async def _load_profiles(user_ids: list[int]) -> list[CreatorProfile | None]:
    found = {row.user_id: row for row in await CreatorProfile.filter(user_id__in=user_ids)}
    return [found.get(user_id) for user_id in user_ids]


async def _load_categories(user_ids: list[int]) -> list[list[Category]]:
    # The categories joined in: a page of creators costs one statement for all of theirs.
    rows = (
        await CreatorCategory.filter(user_id__in=user_ids)
        .select_related("category")
        .order_by("user_id", "position", "id")
    )
    found: defaultdict[int, list[Category]] = defaultdict(list)
    for row in rows:
        found[row.user_id].append(row.category)
    return [found[user_id] for user_id in user_ids]


def _published_count(
    model: type[Post] | type[Tutorial], published: PostStatus | TutorialStatus
) -> Callable[[list[int]], Awaitable[list[int]]]:
    async def count(user_ids: list[int]) -> list[int]:
        # One grouped COUNT for the whole batch: exact, and constant SQL whatever the page size.
        query = model.filter(author_id__in=user_ids, status=published, hidden_at__isnull=True)
        if model is Post:
            # What everyone may read, as a topic's count (resolvers/content/writing.py): a
            # public count must not reveal activity in a private community.
            query = query.filter(
                Q(community_id=None)
                | Q(
                    community_id__in=Subquery(
                        Community.filter(
                            visibility=CommunityVisibility.PUBLIC, hidden_at=None
                        ).values("id")
                    )
                )
            )
        rows = (
            await query.annotate(n=Count("id")).group_by("author_id").values_list("author_id", "n")
        )
        counts = {int(author_id): int(n) for author_id, n in rows}
        return [counts.get(user_id, 0) for user_id in user_ids]

    return count


profile_by_user = LoaderSpec("CreatorProfile.by_user", _load_profiles)
# Each creator's categories, in the order they gave them.
categories_by_user = LoaderSpec("Category.by_creator", _load_categories)
published_post_count_by_user = LoaderSpec(
    "Post.published_count_by_author", _published_count(Post, PostStatus.PUBLISHED)
)
published_tutorial_count_by_user = LoaderSpec(
    "Tutorial.published_count_by_author", _published_count(Tutorial, TutorialStatus.PUBLISHED)
)
