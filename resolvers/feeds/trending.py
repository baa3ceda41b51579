"""The trending feed: published public posts ranked by time-decayed engagement.

    engagement = likes + 2 x saves + 3 x comments (comments not deleted)
    hotness    = (engagement + 1) / (age in hours + 2) ** 1.8

Hacker News' gravity formula: engagement lifts a post, age pulls it down, the +1 lets a new post
with no engagement rank among equally old ones, the +2 hours keeps a brand-new post from
dividing by almost nothing. Saves weigh more than likes (an intent to come back, to buy),
comments most (a conversation). Candidates are the posts published in the last
TRENDING_WINDOW (at most CANDIDATES of the newest), outside private communities.

Scores change every minute, so a ranking computed per request would reshuffle between pages.
A ranking is a snapshot instead: the worker's `refresh_trending` cron (or the first request that
finds none) stores the top SNAPSHOT_SIZE post ids as a Redis list under a version, and a cursor
is (version, position): paging through one snapshot is exact while new posts and likes arrive,
and a first page always reads the newest snapshot. Snapshots live SNAPSHOT_SECONDS; a cursor
into an expired one is bad input (start again from the first page). With Redis unreachable the
ranking is computed from PostgreSQL for each request (version 0): the feed is still served.
Hydration goes through visible_posts, so a post hidden since (archived, author deactivated)
is skipped.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from redis.asyncio import Redis
from redis.exceptions import RedisError
from tortoise.expressions import Q, Subquery
from tortoise.functions import Count

from models.comments import Comment, CommentTargetKind
from models.communities import Community, CommunityVisibility
from models.content import Post, PostStatus
from models.reactions import Reaction, ReactionKind, ReactionTargetKind
from resolvers.content import visible_posts
from resolvers.errors import InvalidInput
from resolvers.pagination import (
    Page,
    PageArgs,
    SortKey,
    check_page_args,
    decode_sort_cursor,
    encode_sort_cursor,
)
from storage.cache import Keys

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)

TRENDING_WINDOW = timedelta(days=7)
CANDIDATES = 5000
SNAPSHOT_SIZE = 500
SNAPSHOT_SECONDS = 3600
GRAVITY = 1.8
WEIGHTS = {"like": 1, "save": 2, "comment": 3}
LIVE = 0  # the version of a ranking computed for one request (Redis unreachable)
POSITION = SortKey("version")  # a cursor: (snapshot version, position + 1)


def hotness(engagement: int, age_hours: float) -> float:
    return float((engagement + 1) / (max(age_hours, 0.0) + 2) ** GRAVITY)


async def _engagement(ids: Sequence[int]) -> Counter[int]:
    """likes + 2 x saves + 3 x comments per post (two grouped statements)."""
    found: Counter[int] = Counter()
    reactions = (
        await Reaction.filter(target_kind=ReactionTargetKind.POST, target_id__in=ids)
        .annotate(n=Count("id"))
        .group_by("target_id", "kind")
        .values_list("target_id", "kind", "n")
    )
    for target_id, kind, n in reactions:
        weight = WEIGHTS["save"] if kind in (ReactionKind.SAVE, "save") else WEIGHTS["like"]
        found[int(target_id)] += weight * int(n)
    comments = (
        await Comment.filter(
            target_kind=CommentTargetKind.POST, target_id__in=ids, deleted_at__isnull=True
        )
        .annotate(n=Count("id"))
        .group_by("target_id")
        .values_list("target_id", "n")
    )
    for target_id, n in comments:
        found[int(target_id)] += WEIGHTS["comment"] * int(n)
    return found


async def rank_trending(now: datetime | None = None, community_id: int | None = None) -> list[int]:
    """The post ids of the current ranking, hottest first (ties: newest first): of the whole
    site (the last TRENDING_WINDOW, public posts), or of one community (its newest CANDIDATES
    posts, however old: a quiet community's HOT is its best recent posts)."""
    now = now or datetime.now(UTC)
    if community_id is None:
        public = Subquery(Community.filter(visibility=CommunityVisibility.PUBLIC).values("id"))
        scope = Q(Q(community_id__isnull=True) | Q(community_id__in=public)) & Q(
            published_at__gte=now - TRENDING_WINDOW
        )
    else:
        scope = Q(community_id=community_id)
    candidates = (
        await Post.filter(
            scope, status=PostStatus.PUBLISHED, hidden_at__isnull=True, author__is_active=True
        )
        .order_by("-published_at", "-id")
        .limit(CANDIDATES)
        .values_list("id", "published_at")
    )
    if not candidates:
        return []
    engagement = await _engagement([int(pid) for pid, _ in candidates])
    ranked = sorted(
        (
            (
                hotness(engagement[int(pid)], (now - published).total_seconds() / 3600),
                published,
                int(pid),
            )
            for pid, published in candidates
        ),
        reverse=True,
    )
    return [pid for _, _, pid in ranked[:SNAPSHOT_SIZE]]


def _scope(community_id: int | None) -> str:
    # A hash tag per ranking: its keys stay in one slot on Redis Cluster.
    return "{posts}" if community_id is None else f"{{community:{community_id}}}"


def _current_key(keys: Keys, community_id: int | None = None) -> str:
    return keys("trending", _scope(community_id), "current")


def _snapshot_key(keys: Keys, version: int, community_id: int | None = None) -> str:
    return keys("trending", _scope(community_id), version)


async def store_snapshot(
    redis: Redis, keys: Keys, ids: Sequence[int], community_id: int | None = None
) -> int:
    """Store a ranking under a new version and make it current; the version."""
    version = time.time_ns() // 1000  # microseconds: unique per refresh, grows
    async with redis.pipeline(transaction=True) as pipe:
        key = _snapshot_key(keys, version, community_id)
        if ids:
            pipe.rpush(key, *[str(pid) for pid in ids])
        else:
            pipe.rpush(key, "0")  # an empty ranking is still a snapshot (0 is no post id)
        pipe.expire(key, SNAPSHOT_SECONDS)
        pipe.set(_current_key(keys, community_id), version, ex=SNAPSHOT_SECONDS)
        await pipe.execute()
    return version


async def refresh_trending(redis: Redis, keys: Keys) -> int:
    """Recompute the ranking and store it as the current snapshot (the worker's cron)."""
    ids = await rank_trending()
    await store_snapshot(redis, keys, ids)
    return len(ids)


async def _window(
    ctx: Context, version: int | None, start: int, count: int, community_id: int | None
) -> tuple[int, list[int], int]:
    """(version, ids from `start`, length of the ranking): from the snapshot `version` (None:
    the current one, made now if there is none), or ranked live when Redis is unreachable."""
    redis, keys = ctx.redis, ctx.keys
    try:
        with ctx.redis_breaker.guard():
            if version is None:
                current = await redis.get(_current_key(keys, community_id))
                version = int(current) if current is not None else None
            if version is None:
                ranked = await rank_trending(community_id=community_id)
                version = await store_snapshot(redis, keys, ranked, community_id)
            if version != LIVE:
                key = _snapshot_key(keys, version, community_id)
                async with redis.pipeline(transaction=False) as pipe:
                    pipe.lrange(key, start, start + count - 1)
                    pipe.llen(key)
                    raw, length = await pipe.execute()
                if not length:
                    raise InvalidInput(
                        "after", "This trending page has expired: start again from the first page."
                    )
                ids = [int(item) for item in raw if int(item) > 0]
                return version, ids, int(length) if ids or start else 0
    except (RedisError, OSError):
        log.warning("trending: Redis unavailable, ranking from PostgreSQL")
    ranked = await rank_trending(community_id=community_id)
    return LIVE, ranked[start : start + count], len(ranked)


@dataclass(frozen=True, slots=True)
class TrendingPage(Page[Post]):
    """Cursors are (snapshot version, position in it, from 1)."""

    version: int = LIVE
    positions: dict[int, int] = field(default_factory=dict)

    def cursor(self, row: Post) -> str:
        return encode_sort_cursor(self.version, self.positions[row.id])


async def trending_feed(
    ctx: Context, args: PageArgs, community_id: int | None = None
) -> TrendingPage:
    """A page of the trending ranking, hydrated and re-checked through visible_posts (a post
    hidden since is skipped, so a page may hold fewer than asked)."""
    size, _ = check_page_args(args)
    version: int | None = None
    start = 0
    if args.after is not None:
        value, position = decode_sort_cursor(args.after, "after", POSITION)
        version, start = int(value), position
    if args.last is not None or args.before is not None:
        field = "last" if args.last is not None else "before"
        raise InvalidInput(field, "A ranking pages forwards only: use `first` and `after`.")
    version, ids, total = await _window(ctx, version, start, size + 1, community_id)
    shown = ids[:size]
    # A post a moderator hid since the snapshot leaves the feed, even for its author and staff.
    rows = [
        row for row in await visible_posts(ctx, shown) if row is not None and row.hidden_at is None
    ]
    positions = {pid: start + n + 1 for n, pid in enumerate(shown)}

    async def count() -> int:
        return total

    return TrendingPage(
        rows=rows,
        has_next_page=len(ids) > size,
        has_previous_page=args.after is not None,
        count=count,
        version=version,
        positions=positions,
    )
