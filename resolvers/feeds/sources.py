"""Feeds from PostgreSQL: what a user's followed users and topics published, keyset-paged by
(published_at, id) newest first, each window one statement; the large followed sources; who
a new post goes to.

Only PUBLISHED posts of active authors, and never the viewer's own posts (their feed is what
others say). The same rule decides what fan-out pushes, so a feed rebuilt from here is the
feed fan-out would have built.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from models.content import Post, PostStatus, PostTopic
from models.social import Follow, FollowTargetKind
from resolvers.feeds.store import Item, Source

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def score_of(moment: datetime) -> int:
    """A feed score: microseconds since the epoch, exact (a Redis score is a double)."""
    return (moment - EPOCH) // MICROSECOND


def moment_of(score: int) -> datetime:
    return EPOCH + score * MICROSECOND


def published() -> QuerySet[Post]:
    # Hidden by a moderator: out of every feed, for everyone.
    return Post.filter(status=PostStatus.PUBLISHED, hidden_at__isnull=True, author__is_active=True)


def _window(query: QuerySet[Post], after: Item | None, limit: int) -> QuerySet[Post]:
    if after is not None:
        score, post_id = after
        moment = moment_of(score)
        query = query.filter(Q(published_at__lt=moment) | Q(published_at=moment, id__lt=post_id))
    return query.order_by("-published_at", "-id").limit(limit)


async def _items(query: QuerySet[Post], after: Item | None, limit: int) -> list[Item]:
    if limit <= 0:
        return []
    rows = await _window(query, after, limit).values_list("id", "published_at")
    return [(score_of(moment), int(post_id)) for post_id, moment in rows]


def _from(viewer_id: int, users: Any, topics: Any) -> QuerySet[Post]:
    """Published posts by `users` or carrying one of `topics` (id lists or subqueries)."""
    tagged = Subquery(PostTopic.filter(topic_id__in=topics).values("post_id"))
    return (
        published().filter(Q(author_id__in=users) | Q(id__in=tagged)).exclude(author_id=viewer_id)
    )


def _followed(viewer_id: int, kind: FollowTargetKind) -> Subquery:
    return Subquery(Follow.filter(follower_id=viewer_id, target_kind=kind).values("target_id"))


def followed_posts(viewer_id: int) -> QuerySet[Post]:
    """Everything the viewer's home feed holds, as PostgreSQL knows it."""
    users = _followed(viewer_id, FollowTargetKind.USER)
    return _from(viewer_id, users, _followed(viewer_id, FollowTargetKind.TOPIC))


async def followed_items(viewer_id: int, after: Item | None, limit: int) -> list[Item]:
    """A window of the home feed straight from PostgreSQL: the rebuild, deep pages past the
    Redis cap, and every page while Redis is unreachable."""
    return await _items(followed_posts(viewer_id), after, limit)


async def source_items(
    viewer_id: int, sources: Sequence[Source], after: Item | None, limit: int
) -> list[Item]:
    """A window of what these (large) sources published: merged into the feed on read."""
    users = [pk for kind, pk in sources if kind is FollowTargetKind.USER] or [0]
    topics = [pk for kind, pk in sources if kind is FollowTargetKind.TOPIC] or [0]
    return await _items(_from(viewer_id, users, topics), after, limit)


async def topic_items(topic_id: int, after: Item | None, limit: int) -> list[Item]:
    tagged = Subquery(PostTopic.filter(topic_id=topic_id).values("post_id"))
    return await _items(published().filter(id__in=tagged), after, limit)


def _followers_of(sources: Sequence[Source]) -> QuerySet[Follow]:
    condition = Q(id=0)  # matches nothing: the start of an OR
    for kind in FollowTargetKind:
        ids = [pk for k, pk in sources if k is kind]
        if ids:
            condition |= Q(target_kind=kind, target_id__in=ids)
    return Follow.filter(condition)


async def follower_counts(sources: Sequence[Source]) -> dict[Source, int]:
    if not sources:
        return {}
    rows: list[dict[str, Any]] = await (
        _followers_of(sources)
        .annotate(n=Count("id"))
        .group_by("target_kind", "target_id")
        .values("target_kind", "target_id", "n")
    )
    return {
        (FollowTargetKind(row["target_kind"]), int(row["target_id"])): int(row["n"]) for row in rows
    }


async def large_sources(viewer_id: int, max_followers: int) -> list[Source]:
    """The users and topics the viewer follows that have more than `max_followers` followers
    (one grouped statement; at a much larger scale a follower-count column would replace it)."""
    condition = Q(id=0)
    for kind in FollowTargetKind:
        condition |= Q(target_kind=kind, target_id__in=_followed(viewer_id, kind))
    rows: list[dict[str, Any]] = await (
        Follow.filter(condition)
        .annotate(n=Count("id"))
        .group_by("target_kind", "target_id")
        .filter(n__gt=max_followers)
        .values("target_kind", "target_id")
    )
    found = [(FollowTargetKind(row["target_kind"]), int(row["target_id"])) for row in rows]
    return sorted(found)


async def audience(post_id: int, max_followers: int) -> tuple[Item, set[int]] | None:
    """A published post's feed item and who gets it pushed: the followers of its author and of
    its topics, leaving out sources with more than `max_followers` followers (their followers
    merge them on read) and the author. None if the post is not (or no longer) published."""
    post = await published().filter(id=post_id).first()
    if post is None or post.published_at is None:
        return None
    topic_ids = await PostTopic.filter(post_id=post.id).values_list("topic_id", flat=True)
    sources: list[Source] = [(FollowTargetKind.USER, post.author_id)]
    sources += [(FollowTargetKind.TOPIC, int(str(pk))) for pk in topic_ids]
    counts = await follower_counts(sources)
    small = [source for source in sources if counts.get(source, 0) <= max_followers]
    followers = await _followers_of(small).distinct().values_list("follower_id", flat=True)
    recipients = {int(str(pk)) for pk in followers} if small else set()
    recipients.discard(post.author_id)
    return (score_of(post.published_at), post.id), recipients
